//! Conversions between counts and floats, and down to narrower integers, named by what they
//! assume: the few `as` casts the lossy-cast lints allow, each with its reason, so the rest of
//! the code converts by meaning (`try_from` with a saturating fallback, `From` where lossless).

/// `n` as an `f64`: exact below 2^53, which every count, length and offset here is.
#[allow(
    clippy::cast_precision_loss,
    reason = "counts and lengths are far below 2^53, where f64 holds them exactly"
)]
pub fn f64_of(n: usize) -> f64 {
    n as f64
}

/// `n` as an `f64`: exact below 2^53, which every count, hash tally and byte size here is.
#[allow(
    clippy::cast_precision_loss,
    reason = "counts and sizes are far below 2^53, where f64 holds them exactly"
)]
pub fn f64_of_u64(n: u64) -> f64 {
    n as f64
}

/// `n` as an `f64`: exact within ±2^53, which every time in seconds, difference of times and
/// configured number here is (a larger one is out of every range it is checked against).
#[allow(
    clippy::cast_precision_loss,
    reason = "times in seconds and configured numbers are far within 2^53"
)]
pub fn f64_of_i64(n: i64) -> f64 {
    n as f64
}

/// `n` as an `f32`, for a ratio or a score: counts above 2^24 round to f32's precision, which
/// is all a ratio of them keeps anyway.
#[allow(
    clippy::cast_precision_loss,
    reason = "an operand of an f32 ratio or score: rounded to the precision the result has"
)]
pub(crate) fn f32_of(n: usize) -> f32 {
    n as f32
}

/// `x` (already rounded, floored or clamped as the caller means) as a `usize`: negative and
/// NaN give 0, too large gives `usize::MAX` (Rust's float-to-int `as` saturates).
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "float-to-int `as` saturates (NaN to 0): the clamping wanted here"
)]
pub fn usize_of(x: f64) -> usize {
    x as usize
}

/// `x` (already rounded as the caller means) as an `i64`, saturating (NaN gives 0).
#[allow(
    clippy::cast_possible_truncation,
    reason = "float-to-int `as` saturates (NaN to 0): the clamping wanted here"
)]
pub(crate) fn i64_of(x: f64) -> i64 {
    x as i64
}

/// The low 32 bits of `n` (of a hash: the bits kept as a smaller key).
pub(crate) fn low_u32(n: u64) -> u32 {
    u32::try_from(n & u64::from(u32::MAX)).unwrap_or(u32::MAX)
}

/// `n` as a `u16` (a terminal's cells), saturating: a count of rows or columns on screen
/// fits; a larger one is cut to the screen by the caller.
pub(crate) fn u16_of(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// `n` as a `u32`, saturating (offsets and counts that in practice stay below 4 Gi).
pub fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A `u32` count as a `usize` (lossless on every target stet builds for; saturating).
pub fn usize_from_u32(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// `n` as an `isize` (a signed step), saturating.
pub(crate) fn isize_of(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

/// `n` as an `i64`, saturating.
pub fn i64_from(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_saturate_instead_of_wrapping() {
        assert_eq!(u16_of(70_000), u16::MAX);
        assert_eq!(u16_of(80), 80);
        assert_eq!(usize_of(-3.7), 0);
        assert_eq!(usize_of(f64::NAN), 0);
        assert_eq!(usize_of(2.9), 2);
        assert_eq!(i64_of(-2.5), -2);
        assert_eq!(isize_of(usize::MAX), isize::MAX);
        assert_eq!(i64_from(5), 5);
        assert_eq!(u32_of(usize::MAX), u32::MAX);
        assert_eq!(low_u32(0x1234_5678_9abc_def0), 0x9abc_def0);
        assert!((f64_of(3) - 3.0).abs() < f64::EPSILON);
        assert!((f32_of(1 << 24) - 16_777_216.0).abs() < f32::EPSILON);
    }
}
