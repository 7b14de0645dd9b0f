//! Operations on sorted, deduplicated slices (shingle sets, word-hash sets, figures).

/// Calls `f` with each element two sorted, deduplicated slices share, in order.
#[inline]
pub(crate) fn for_each_shared<T: Ord>(a: &[T], b: &[T], mut f: impl FnMut(&T)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(&a[i]);
                i += 1;
                j += 1;
            }
        }
    }
}

/// Number of elements two sorted, deduplicated slices share.
pub fn shared_count<T: Ord>(a: &[T], b: &[T]) -> usize {
    let mut n = 0;
    for_each_shared(a, b, |_| n += 1);
    n
}

/// Hash values that can be bucketed by their top bits (uniform hashes).
pub(crate) trait HashKey: Copy + Ord + Default {
    /// The top `bits` bits of the value.
    fn top(self, bits: u32) -> usize;
}

impl HashKey for u32 {
    #[inline]
    fn top(self, bits: u32) -> usize {
        usize::try_from(self >> (u32::BITS - bits)).unwrap_or(usize::MAX)
    }
}

impl HashKey for u64 {
    #[inline]
    fn top(self, bits: u32) -> usize {
        usize::try_from(self >> (u64::BITS - bits)).unwrap_or(usize::MAX)
    }
}

/// Sorts and deduplicates `v`, a list of hash values (spread evenly over their range): one
/// pass places each value in a bucket of its top bits, about two values a bucket, and an
/// insertion sort then only orders values within their bucket. Same result as
/// `sort_unstable` then `dedup`, in about a third of the time for the hundreds of word and
/// shingle hashes of an article; short lists are sorted the usual way.
pub(crate) fn sort_dedup_hashes<T: HashKey>(v: &mut Vec<T>) {
    const MAX_BITS: u32 = 12;
    let n = v.len();
    if n < 48 {
        v.sort_unstable();
        v.dedup();
        return;
    }
    let bits = (usize::BITS - (n / 2).leading_zeros()).clamp(4, MAX_BITS);
    let mut ends = vec![0u32; (1 << bits) + 1];
    for &x in v.iter() {
        ends[x.top(bits) + 1] += 1;
    }
    for i in 1..=(1usize << bits) {
        ends[i] += ends[i - 1];
    }
    let mut out = vec![T::default(); n];
    for &x in v.iter() {
        let b = x.top(bits);
        out[usize::try_from(ends[b]).unwrap_or(usize::MAX)] = x;
        ends[b] += 1;
    }
    // Bucket order: every value of an earlier bucket is smaller, so each value moves back
    // only past the larger values of its own bucket. Values that crowd into a few buckets
    // (not hashes, or chosen to collide) would make this quadratic: past a budget of moves
    // the standard sort finishes the job.
    let mut budget = 8 * n;
    for i in 1..n {
        let x = out[i];
        let mut j = i;
        while j > 0 && out[j - 1] > x {
            out[j] = out[j - 1];
            j -= 1;
        }
        out[j] = x;
        budget = budget.saturating_sub(i - j);
        if budget == 0 {
            out.sort_unstable();
            break;
        }
    }
    out.dedup();
    *v = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_count_of_sorted_slices() {
        assert_eq!(shared_count(&[1, 3, 5, 7], &[2, 3, 7, 9]), 2);
        assert_eq!(shared_count::<u32>(&[], &[1]), 0);
    }

    #[test]
    fn hashes_sort_and_dedup_as_the_standard_sort() {
        let mut state = 42u64;
        for n in [0usize, 1, 5, 47, 48, 49, 100, 333, 1000, 5000, 20000] {
            let v64: Vec<u64> = (0..n)
                .map(|i| {
                    state = crate::corpus::group::features::mix(state.wrapping_add(1));
                    // Some repeats, some small values, some at the ends of the range.
                    match i % 7 {
                        0 => state % 50,
                        1 => u64::MAX - state % 3,
                        _ => state,
                    }
                })
                .collect();
            let v32: Vec<u32> = v64.iter().map(|&x| crate::num::low_u32(x)).collect();
            let mut want64 = v64.clone();
            want64.sort_unstable();
            want64.dedup();
            let mut got64 = v64;
            sort_dedup_hashes(&mut got64);
            assert_eq!(got64, want64, "u64, {n}");
            let mut want32 = v32.clone();
            want32.sort_unstable();
            want32.dedup();
            let mut got32 = v32;
            sort_dedup_hashes(&mut got32);
            assert_eq!(got32, want32, "u32, {n}");
        }
        // Values all in one bucket (not hashes): still sorted, by the fallback.
        let mut same_top: Vec<u32> = (0..3000u32).rev().collect();
        sort_dedup_hashes(&mut same_top);
        assert_eq!(same_top, (0..3000u32).collect::<Vec<_>>());
    }
}
