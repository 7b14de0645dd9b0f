//! The primitives of the store's binary forms (the corpus state, the article rows, the edits
//! of a raw text): LEB128 varints (seven bits a byte, the low first; the high bit: more
//! follow) and length-prefixed bytes, every read checked against what is left.

/// Appends `v` as a varint.
pub(super) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(low7(v) | 0x80);
        v >>= 7;
    }
    out.push(low7(v));
}

/// Appends `b` after its length.
pub(super) fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_varint(out, u64::try_from(b.len()).unwrap_or(u64::MAX));
    out.extend_from_slice(b);
}

/// A signed number as a varint's value: zigzag, so that a small negative number takes as
/// few bytes as a small positive one.
pub(super) fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)).cast_unsigned()
}

/// The number [`zigzag`] made `v` of.
pub(super) fn unzigzag(v: u64) -> i64 {
    (v >> 1).cast_signed() ^ -(v & 1).cast_signed()
}

/// The low seven bits of `v`.
fn low7(v: u64) -> u8 {
    u8::try_from(v & 0x7f).unwrap_or(0)
}

/// Bytes being read; every read checks its bounds (`None` past the end).
#[derive(Debug, Clone)]
pub(super) struct In<'a>(pub(super) &'a [u8]);

impl<'a> In<'a> {
    pub(super) fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    /// A varint of at most 64 bits (`None` past them).
    pub(super) fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            if shift == 63 && b > 1 {
                return None;
            }
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    /// A length or a count of records, each at least one byte long: no larger than what is
    /// left, so a damaged count cannot ask for a huge allocation.
    pub(super) fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.varint()?).ok()?;
        (n <= self.0.len()).then_some(n)
    }

    /// The next `n` bytes.
    pub(super) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (b, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(b)
    }

    /// Bytes after their length.
    pub(super) fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.count()?;
        self.take(n)
    }

    /// A UTF-8 string after its length.
    pub(super) fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    /// Whether everything was read.
    pub(super) fn end(&self) -> Option<()> {
        self.0.is_empty().then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_refuse_more_than_64_bits() {
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            let mut r = In(&out);
            assert_eq!(r.varint(), Some(v));
            assert_eq!(r.end(), Some(()));
        }
        // Ten bytes whose last carries more than the 64th bit.
        let mut over = vec![0xff; 9];
        over.push(0x02);
        assert_eq!(In(&over).varint(), None);
        assert_eq!(In(&[0x80]).varint(), None, "cut short");
        // A length past the bytes left asks for nothing.
        let mut long = Vec::new();
        put_varint(&mut long, 10);
        long.extend_from_slice(b"abc");
        assert_eq!(In(&long).str(), None);
        for v in [0, 1, -1, i64::MIN, i64::MAX, -14_182_940] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
        assert_eq!(zigzag(-1), 1, "a small negative number stays small");
    }
}
