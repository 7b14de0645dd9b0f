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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_count_of_sorted_slices() {
        assert_eq!(shared_count(&[1, 3, 5, 7], &[2, 3, 7, 9]), 2);
        assert_eq!(shared_count::<u32>(&[], &[1]), 0);
    }
}
