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

/// Number of elements two sorted, deduplicated slices share. Both positions move on by
/// comparisons turned into numbers, not branches: which one moves is a coin toss to a branch
/// predictor.
pub fn shared_count<T: Ord + Copy>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

/// Moves the distinct values of sorted `items` to its front, in order; gives how many (what
/// `Vec::dedup` keeps, on a slice: a scratch buffer is deduplicated in place, then copied
/// out at its size).
pub(crate) fn dedup_sorted<T: PartialEq + Copy>(items: &mut [T]) -> usize {
    let mut n = 0;
    for k in 0..items.len() {
        if n == 0 || items[n - 1] != items[k] {
            items[n] = items[k];
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedup_sorted_keeps_each_value_once_in_order() {
        let mut v = [1, 1, 2, 3, 3, 3, 7, 9, 9];
        let n = dedup_sorted(&mut v);
        assert_eq!(&v[..n], [1, 2, 3, 7, 9]);
        let mut none: [u32; 0] = [];
        assert_eq!(dedup_sorted(&mut none), 0);
        let mut one = [5, 5, 5];
        assert_eq!(dedup_sorted(&mut one), 1);
    }

    #[test]
    fn shared_count_of_sorted_slices() {
        assert_eq!(shared_count(&[1, 3, 5, 7], &[2, 3, 7, 9]), 2);
        assert_eq!(shared_count::<u32>(&[], &[1]), 0);
    }

    #[test]
    fn shared_count_agrees_with_for_each_shared() {
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            state >> 58
        };
        for _ in 0..200 {
            let mut a: Vec<u64> = (0..next()).map(|_| next()).collect();
            let mut b: Vec<u64> = (0..next()).map(|_| next()).collect();
            for v in [&mut a, &mut b] {
                v.sort_unstable();
                v.dedup();
            }
            let mut want = 0;
            for_each_shared(&a, &b, |_| want += 1);
            assert_eq!(shared_count(&a, &b), want, "{a:?} {b:?}");
        }
    }
}
