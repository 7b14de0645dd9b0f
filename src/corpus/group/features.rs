//! What grouping knows of one article: hashes of its word 5-grams (all of them, and a sample
//! for the inverted index), the numbers it states, and the day its dateline names.

use crate::corpus::Article;
use crate::num;
use crate::text::normalize_for_matching;

/// Words per shingle.
pub(crate) const SHINGLE_WORDS: usize = 5;

/// A body with fewer 5-grams than this is short: it keeps every 5-gram for verification and
/// indexes four times as many for candidate search.
pub(crate) const SHORT_TEXT: usize = 400;
/// A long body keeps one in this many 5-grams (by hash) for verification.
pub(crate) const LONG_KEEP: u32 = 4;

/// The matching features of one article.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// Sorted, deduplicated low 32 bits of the hashes of the body's word 5-grams whose hash is
    /// divisible by `keep` (every 5-gram of a short body, one in four of a long one).
    pub shingles: Vec<u32>,
    /// The sampling rate of `shingles` (a power of two).
    pub keep: u32,
    /// Sorted, deduplicated 64-bit hashes of the 5-grams indexed for candidate search.
    pub sampled: Vec<u64>,
    /// Sorted, deduplicated hashes of the numbers in title and body.
    pub numbers: Vec<u64>,
    /// Sorted, deduplicated hashes of the numbers in the title.
    pub title_numbers: Vec<u64>,
    /// Month and day named by the dateline ("LONDON, March 15 -" → (3, 15)), when it names one.
    pub dateline_day: Option<(u8, u8)>,
    /// Who and when the headline and lead name, and the words of the opening.
    pub subject: super::subject::Subject,
    /// Number of words in the body.
    pub words: usize,
    /// A hash of the page the record is (its address's [`super::verify::page_key`]; 0 for
    /// none): records with different hashes are not one page.
    pub page: u64,
}

/// A fast 64-bit hash of a word (multiply-rotate over 8-byte chunks, no finaliser: words are
/// only ever combined into 5-grams, which are finalised with [`mix`]).
pub(crate) fn hash_word(bytes: &[u8]) -> u64 {
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(0x517C_C1B7_2722_0A95);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = (h.rotate_left(5) ^ tail8(rest)).wrapping_mul(0x517C_C1B7_2722_0A95);
    }
    h
}

/// A fast 64-bit hash of a byte string (multiply-rotate over 8-byte chunks, then a finaliser).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0x9E37_79B9_7F4A_7C15 ^ (bytes.len() as u64);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(buf))
            .wrapping_mul(0xBF58_476D_1CE4_E5B9)
            .rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(buf))
            .wrapping_mul(0x94D0_49BB_1331_11EB)
            .rotate_left(31);
    }
    mix(h)
}

/// The splitmix64 finaliser: spreads every input bit over the output (so low bits sample well).
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Splits normalised text into word tokens: whitespace-separated pieces with leading and
/// trailing punctuation trimmed ("(reuters)," → "reuters"; "6-3/16" and "3.254" stay whole).
pub fn tokens(normalized: &str) -> impl Iterator<Item = &str> {
    normalized
        .split(' ')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
}

/// Calls `f` with each word token of `text` in its matching form, as [`tokens`] would give
/// for `normalize_for_matching(text)`, without building the normalised string.
pub(crate) fn for_each_token(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    buf.clear();
    let mut flush = |buf: &mut String| {
        if buf.is_empty() {
            return;
        }
        let bytes = buf.as_bytes();
        let clean_ends =
            bytes[0].is_ascii_alphanumeric() && bytes[bytes.len() - 1].is_ascii_alphanumeric();
        let t = if clean_ends {
            buf.as_str()
        } else {
            buf.trim_matches(|c: char| !c.is_alphanumeric())
        };
        if !t.is_empty() {
            f(t);
        }
        buf.clear();
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_whitespace() {
                flush(buf);
            } else {
                buf.push(b.to_ascii_lowercase() as char);
            }
            i += 1;
            continue;
        }
        // `i` is on a char boundary: every ASCII byte is one, and we step over whole chars.
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        if matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}'
        ) {
            continue;
        }
        let n = crate::text::normalize_char(c);
        if n.is_whitespace() {
            flush(buf);
        } else {
            buf.push(n);
        }
    }
    flush(buf);
}

/// Lower-cases the ASCII letters of eight bytes at once (other bytes unchanged).
fn ascii_lower8(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low7 = x & !HIGH;
    // High bit of each byte set where the byte is >= 'A' and where it is > 'Z'.
    let ge_a = low7.wrapping_add(ONES * (0x80 - b'A' as u64));
    let gt_z = low7.wrapping_add(ONES * (0x7F - b'Z' as u64));
    let upper = ge_a & !gt_z & !x & HIGH;
    x | (upper >> 2)
}

/// [`hash_word`] of the lower-cased form of the ASCII word `text[start..end]`, without
/// building it. Also says whether the word has a digit. A last partial chunk is one 8-byte
/// load, masked, when the text goes on past the word (no byte loop to mispredict).
fn hash_ascii_word_lower(text: &[u8], start: usize, end: usize) -> (u64, bool) {
    let mut h: u64 = (end - start) as u64;
    let mut digits = 0u64;
    let mut step = |raw: u64| {
        // Bytes '0'..='9' become 0..=9 and are caught by the "less than 10" test.
        let t = raw ^ (ONES * 0x30);
        digits |= t.wrapping_sub(ONES * 10) & !t & HIGH;
        h = (h.rotate_left(5) ^ ascii_lower8(raw)).wrapping_mul(0x517C_C1B7_2722_0A95);
    };
    let mut p = start;
    while p + 8 <= end {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(&text[p..p + 8]);
        step(u64::from_le_bytes(buf));
        p += 8;
    }
    if p < end {
        let rest = end - p;
        let x = match text.get(p..p + 8) {
            Some(c) => {
                let mut buf = [0u8; 8];
                buf.copy_from_slice(c);
                // Keep the word's `rest` bytes (1 to 7), zero the ones after it.
                u64::from_le_bytes(buf) & (u64::MAX >> (64 - 8 * rest))
            }
            None => tail8(&text[p..end]),
        };
        step(x);
    }
    (h, digits != 0)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Eight bytes of `bytes` from `i`, padded with spaces past the end.
fn load8(bytes: &[u8], i: usize) -> u64 {
    if let Some(chunk) = bytes.get(i..i + 8) {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(chunk);
        return u64::from_le_bytes(buf);
    }
    let mut v = u64::from_le_bytes([b' '; 8]);
    for (k, &b) in bytes.get(i..).unwrap_or(&[]).iter().enumerate() {
        v = (v & !(0xFF << (8 * k))) | (u64::from(b) << (8 * k));
    }
    v
}

/// The last (fewer than eight) bytes of a word as a little-endian number, zero-padded, without
/// a call to `memcpy`.
fn tail8(rest: &[u8]) -> u64 {
    let mut v = 0u64;
    for (k, &b) in rest.iter().enumerate() {
        v |= u64::from(b) << (8 * k);
    }
    v
}

/// The high bit of the first byte below 0x21 (space or control) is exact; bytes after it may be
/// flagged falsely (borrows), so only the lowest flag is used.
fn space_mask(x: u64) -> u64 {
    x.wrapping_sub(ONES * 0x21) & !x & HIGH
}

/// Calls `f(hash, is_number)` for each word token of `text`: the same tokens and hashes as
/// [`for_each_token`] then [`hash_word`] (ASCII control characters also separate words), with
/// a fast path for ASCII words that finds word ends eight bytes at a time.
pub(crate) fn for_each_word_hash(text: &str, buf: &mut String, mut f: impl FnMut(u64, bool)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        while i < n && bytes[i] <= b' ' {
            i += 1;
        }
        if i >= n {
            break;
        }
        let start = i;
        let mut high = 0u64;
        loop {
            let x = load8(bytes, i);
            let m = space_mask(x);
            if m == 0 {
                high |= x & HIGH;
                i += 8;
                continue;
            }
            let flag = m.trailing_zeros();
            // Bytes before the first space: bits below `flag - 7`.
            let before = (1u64 << (flag - 7)) - 1;
            high |= x & HIGH & before;
            i = (i + (flag as usize - 7) / 8).min(n);
            break;
        }
        // `start` and `i` sit next to ASCII bytes or the ends: both are char boundaries.
        let word = &bytes[start..i];
        if high == 0 {
            // Most words start and end with a letter or digit: nothing to trim.
            let (a, b) = match word {
                [x, .., y] | [x @ y] if x.is_ascii_alphanumeric() && y.is_ascii_alphanumeric() => {
                    (start, i)
                }
                _ => {
                    let (a, b) = trim_ascii_punctuation(word);
                    (start + a, start + b)
                }
            };
            if a < b {
                let (h, digit) = hash_ascii_word_lower(bytes, a, b);
                f(h, digit);
            }
        } else {
            for_each_token(&text[start..i], buf, |t| {
                f(hash_word(t.as_bytes()), is_number(t))
            });
        }
    }
}

/// The range of `word` without the bytes before its first and after its last ASCII letter or
/// digit (empty when it has none).
fn trim_ascii_punctuation(word: &[u8]) -> (usize, usize) {
    let Some(a) = word.iter().position(u8::is_ascii_alphanumeric) else {
        return (0, 0);
    };
    let b = word
        .iter()
        .rposition(u8::is_ascii_alphanumeric)
        .unwrap_or(a);
    (a, b + 1)
}

/// Whether a token states a number (has a digit).
pub fn is_number(token: &str) -> bool {
    token.bytes().any(|b| b.is_ascii_digit())
}

/// Computes the features of `article`. A long body indexes the 5-grams whose hash is divisible
/// by `sample`, a short one those divisible by `sample / 4` (`sample` is rounded up to a power
/// of two, so that the two samples nest and short and long bodies still meet).
pub fn features(article: &Article, sample: u64) -> Features {
    features_with(article, sample, &mut Scratch::default())
}

impl Features {
    /// The number of 5-grams the body has, estimated from the kept sample (at least 1).
    pub(crate) fn size(&self) -> usize {
        (self.shingles.len() * self.keep.max(1) as usize).max(1)
    }
}

/// Buffers reused from one article to the next by [`features_with`].
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    word_hashes: Vec<u64>,
    buf: String,
    subject: super::subject::SubjectScratch,
    /// Every 5-gram's low 32 bits, the kept ones first.
    kept: Vec<u32>,
    /// Every 5-gram's hash, the indexed ones first.
    indexed: Vec<u64>,
    /// The figures of title and body, and of the title.
    numbers: Vec<u64>,
    title_numbers: Vec<u64>,
}

/// [`features`] with reusable buffers (one `Scratch` per thread).
pub(crate) fn features_with(article: &Article, sample: u64, scratch: &mut Scratch) -> Features {
    let sample = sample.max(1).next_power_of_two();
    let Scratch {
        word_hashes,
        buf,
        subject,
        kept,
        indexed,
        numbers: numbers_buf,
        title_numbers: title_numbers_buf,
    } = scratch;
    word_hashes.clear();
    // The figures are gathered in scratch buffers and copied out once at their size.
    let (numbers, title_numbers) = (&mut *numbers_buf, &mut *title_numbers_buf);
    numbers.clear();
    title_numbers.clear();
    for para in &article.paragraphs {
        for_each_word_hash(para, buf, |h, number| {
            if number {
                numbers.push(h);
            }
            word_hashes.push(h);
        });
    }
    for_each_word_hash(&article.title, buf, |h, number| {
        if number {
            numbers.push(h);
            title_numbers.push(h);
        }
    });
    title_numbers.sort_unstable();
    title_numbers.dedup();
    let title_numbers = title_numbers.to_vec();
    numbers.sort_unstable();
    numbers.dedup();
    let numbers = numbers.to_vec();

    let words = word_hashes.len();
    let short = words < SHORT_TEXT + SHINGLE_WORDS;
    let keep = if short { 1 } else { LONG_KEEP };
    let index_rate = if short { (sample / 4).max(1) } else { sample };
    // Both rates are powers of two: a mask tests divisibility without a division.
    debug_assert!(keep.is_power_of_two() && index_rate.is_power_of_two());
    let (keep_mask, index_mask) = (keep - 1, index_rate - 1);
    // Every 5-gram is written to the scratch buffers and the count moves on only for those
    // kept: no branch on the hash (one in four kept is a coin toss to a branch predictor).
    let slots = words.max(1);
    if kept.len() < slots {
        kept.resize(slots, 0);
        indexed.resize(slots, 0);
    }
    let (mut n_kept, mut n_indexed) = (0usize, 0usize);
    if words >= SHINGLE_WORDS {
        for w in word_hashes.windows(SHINGLE_WORDS) {
            // Independent rotations (no chain of multiplications); `mix` spreads the bits.
            let h = mix(w[0]
                ^ w[1].rotate_left(13)
                ^ w[2].rotate_left(26)
                ^ w[3].rotate_left(39)
                ^ w[4].rotate_left(52));
            kept[n_kept] = num::low_u32(h);
            n_kept += usize::from(num::low_u32(h) & keep_mask == 0);
            indexed[n_indexed] = h;
            n_indexed += usize::from(h & index_mask == 0);
        }
    } else if words > 0 {
        // A very short body is one shingle, always indexed.
        let mut h: u64 = 0;
        for &x in word_hashes.iter() {
            h = h.rotate_left(13) ^ x;
        }
        let h = mix(h);
        kept[0] = num::low_u32(h);
        indexed[0] = h;
        (n_kept, n_indexed) = (1, 1);
    }
    // Held for every article of the corpus until it is grouped: sorted and deduplicated in
    // the scratch buffers and copied out at their size, with no spare capacity (what deduplication left
    // was a tenth of the features' bytes at 100k generated articles) and no reallocation.
    let kept = &mut kept[..n_kept];
    kept.sort_unstable();
    let n = crate::sorted::dedup_sorted(kept);
    let shingles = kept[..n].to_vec();
    let indexed = &mut indexed[..n_indexed];
    indexed.sort_unstable();
    let n = crate::sorted::dedup_sorted(indexed);
    let sampled = indexed[..n].to_vec();
    let mut subject = super::subject::subject(&article.title, &article.paragraphs, subject);
    subject.shrink_to_fit();
    Features {
        shingles,
        keep,
        subject,
        sampled,
        numbers,
        title_numbers,
        dateline_day: article.dateline.as_deref().and_then(dateline_day),
        words,
        page: article
            .url
            .as_deref()
            .and_then(super::verify::page_key)
            .map_or(0, |k| hash_bytes(k.as_bytes()) | 1),
    }
}

/// The month and day a dateline names: "NEW YORK, March 2 -" → (3, 2); `None` without one.
pub(crate) fn dateline_day(dateline: &str) -> Option<(u8, u8)> {
    month_days(dateline).next()
}

/// Every "Month Day" named in `text` ("March 2", "Sept 30"), in order.
pub(crate) fn month_days(text: &str) -> impl Iterator<Item = (u8, u8)> {
    let norm = normalize_for_matching(text);
    let toks: Vec<String> = tokens(&norm).map(str::to_string).collect();
    let mut out = Vec::new();
    for pair in toks.windows(2) {
        let (m, d) = (&pair[0], &pair[1]);
        if m.len() < 3 || !m.is_char_boundary(3) {
            continue;
        }
        let Some(month) = crate::corpus::date::MONTHS
            .iter()
            .position(|x| *x == &m[..3])
        else {
            continue;
        };
        if let Ok(day) = d.parse::<u8>()
            && (1..=31).contains(&day)
        {
            out.push((u8::try_from(month + 1).unwrap_or(u8::MAX), day));
        }
    }
    out.into_iter()
}

/// The 5-gram overlap of two articles: (shared, smaller), both estimated in 5-grams, at the
/// coarser of the two sampling rates.
pub(crate) fn overlap(a: &Features, b: &Features) -> (usize, usize) {
    let k = a.keep.max(b.keep).max(1);
    if a.keep == b.keep {
        let smaller = a.shingles.len().min(b.shingles.len());
        return (
            shared_count(&a.shingles, &b.shingles) * k as usize,
            smaller * k as usize,
        );
    }
    // Compare at the coarser rate: skip the finer sample's extra hashes as we go.
    // Sampling rates are powers of two: a mask tests divisibility without a division.
    if k.is_power_of_two() {
        let mask = k - 1;
        return overlap_masked(&a.shingles, &b.shingles, mask, k as usize);
    }
    let kept = |h: &&u32| h.is_multiple_of(k);
    let (mut x, mut y) = (
        a.shingles.iter().filter(kept),
        b.shingles.iter().filter(kept),
    );
    let (mut na, mut nb, mut shared) = (0usize, 0usize, 0usize);
    let (mut p, mut q) = (x.next(), y.next());
    while let (Some(u), Some(v)) = (p, q) {
        match u.cmp(v) {
            std::cmp::Ordering::Less => {
                na += 1;
                p = x.next();
            }
            std::cmp::Ordering::Greater => {
                nb += 1;
                q = y.next();
            }
            std::cmp::Ordering::Equal => {
                shared += 1;
                na += 1;
                nb += 1;
                p = x.next();
                q = y.next();
            }
        }
    }
    na += usize::from(p.is_some()) + x.count();
    nb += usize::from(q.is_some()) + y.count();
    (shared * k as usize, na.min(nb) * k as usize)
}

/// [`overlap`] of two samples at the rate whose mask is `mask` (hashes with `h & mask != 0`
/// skipped), scaled by `k`. Every step is a comparison turned into numbers (no branch on the
/// hashes): skip an unkept hash of `a`, else one of `b`, else compare the two.
fn overlap_masked(a: &[u32], b: &[u32], mask: u32, k: usize) -> (usize, usize) {
    let (mut i, mut j) = (0, 0);
    let (mut na, mut nb, mut shared) = (0usize, 0usize, 0usize);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        let (kx, ky) = (x & mask == 0, y & mask == 0);
        let both = kx & ky;
        let (le, ge) = (both & (x <= y), both & (y <= x));
        i += usize::from(!kx | le);
        j += usize::from((kx & !ky) | ge);
        na += usize::from(le);
        nb += usize::from(ge);
        shared += usize::from(le & ge);
    }
    na += a[i..].iter().filter(|&&h| h & mask == 0).count();
    nb += b[j..].iter().filter(|&&h| h & mask == 0).count();
    (shared * k, na.min(nb) * k)
}

pub use crate::sorted::shared_count;

#[cfg(test)]
mod tests {
    use super::*;

    fn art(body: &str) -> Article {
        Article {
            more: crate::corpus::ArticleMore {
                paragraphs: body.split("\n\n").map(str::to_string).collect(),
                ..crate::corpus::ArticleMore::default()
            }
            .boxed(),
            ..Article::default()
        }
    }

    #[test]
    fn tokens_trim_punctuation_and_keep_numbers_whole() {
        let t: Vec<&str> = tokens("(reuters) said 6-3/16 pct, 3.254 dlrs.").collect();
        assert_eq!(t, vec!["reuters", "said", "6-3/16", "pct", "3.254", "dlrs"]);
    }

    #[test]
    fn streamed_tokens_match_normalised_tokens() {
        let text =
            "  \u{201C}Kerry\u{2019}s\u{201D} talks \u{2014} co\u{00AD}op, 6-3/16 PCT.\n(Reuters) ";
        let norm = normalize_for_matching(text);
        let want: Vec<&str> = tokens(&norm).collect();
        let mut got = Vec::new();
        for_each_token(text, &mut String::new(), |t| got.push(t.to_string()));
        assert_eq!(got, want);
    }

    #[test]
    fn fast_word_hashes_match_the_normalised_tokens() {
        for text in [
            "  \u{201C}Kerry\u{2019}s\u{201D} talks \u{2014} co\u{00AD}op, 6-3/16 PCT.\n(Reuters) ",
            "The QUICK brown-fox [jumped] over 1,234.5 lazy dogs; ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{",
            "caf\u{00E9} na\u{00EF}ve\u{00A0}words \u{00C9}COLE -- ... 'quoted' \"x\"",
            "internationalisation-and-localisation 12345678901234567 abcdefgh abcdefg\u{00E9}h",
            "a\u{00E9}bcdefghijklmnop  qrstuvwxyz\u{00E9}  \u{00E9}\u{00E9}\u{00E9}\u{00E9}\u{00E9}x",
            "x",
            "   leading and trailing   ",
            "",
        ] {
            let norm = normalize_for_matching(text);
            let want: Vec<(u64, bool)> = tokens(&norm)
                .map(|t| (hash_word(t.as_bytes()), is_number(t)))
                .collect();
            let mut got = Vec::new();
            for_each_word_hash(text, &mut String::new(), |h, n| got.push((h, n)));
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn fast_word_hashes_match_on_random_text() {
        let alphabet: Vec<char> = "aZ9 .,-'\"(\n\u{00E9}\u{2019}\u{00A0}\u{2014}xyzQ"
            .chars()
            .collect();
        let mut state = 12345u64;
        for _ in 0..500 {
            let len = (mix(state) % 40) as usize;
            let text: String = (0..len)
                .map(|_| {
                    state = mix(state.wrapping_add(1));
                    alphabet
                        [usize::try_from(state % u64::try_from(alphabet.len()).unwrap()).unwrap()]
                })
                .collect();
            let norm = normalize_for_matching(&text);
            let want: Vec<(u64, bool)> = tokens(&norm)
                .map(|t| (hash_word(t.as_bytes()), is_number(t)))
                .collect();
            let mut got = Vec::new();
            for_each_word_hash(&text, &mut String::new(), |h, n| got.push((h, n)));
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn ascii_lowercasing_of_eight_bytes() {
        let x = u64::from_le_bytes(*b"AZaz@[`{");
        assert_eq!(ascii_lower8(x).to_le_bytes(), *b"azaz@[`{");
    }

    #[test]
    fn wrapping_and_case_do_not_change_shingles() {
        let a = features(
            &art("The Fed said on Monday it would\nadd reserves today."),
            1,
        );
        let b = features(
            &art("the fed said on monday it would add reserves today"),
            1,
        );
        assert_eq!(a.shingles, b.shingles);
        assert_eq!(a.shingles.len(), 6);
        assert_eq!(a.sampled.len(), 6);
        assert_eq!(a.words, 10);
    }

    #[test]
    fn long_bodies_keep_a_nested_sample_and_still_meet_short_ones() {
        let long_text: String = (0..2000).map(|i| format!("w{i} ")).collect();
        let short_text: String = (100..300).map(|i| format!("w{i} ")).collect();
        let long = features(&art(&long_text), 16);
        let short = features(&art(&short_text), 16);
        assert_eq!((long.keep, short.keep), (LONG_KEEP, 1));
        assert!(long.shingles.len() < 700 && long.shingles.len() > 300);
        let (shared, smaller) = overlap(&long, &short);
        assert_eq!((shared, smaller), overlap_by_filters(&long, &short));
        assert_eq!(overlap(&short, &long), overlap_by_filters(&short, &long));
        // The short text is all inside the long one: containment near 1.
        let c = num::f32_of(shared) / num::f32_of(smaller);
        assert!(c > 0.9, "{c}");
        // The long body's index sample is a subset of what a short body would index.
        assert!(long.sampled.iter().all(|h| h % 16 == 0));
        assert!(short.sampled.iter().all(|h| h % 4 == 0));
    }

    /// [`overlap`] as it was written first: both samples filtered at the coarser rate.
    fn overlap_by_filters(a: &Features, b: &Features) -> (usize, usize) {
        let k = a.keep.max(b.keep).max(1);
        let x: Vec<u32> = a.shingles.iter().copied().filter(|h| h % k == 0).collect();
        let y: Vec<u32> = b.shingles.iter().copied().filter(|h| h % k == 0).collect();
        let k = k as usize;
        (shared_count(&x, &y) * k, x.len().min(y.len()) * k)
    }

    #[test]
    fn masked_overlap_matches_filtered_samples() {
        let mut state = 99u64;
        for _ in 0..300 {
            let mut sample = |n: u64, keep: u32| {
                state = mix(state.wrapping_add(1));
                let mut v: Vec<u32> = (0..state % n)
                    .map(|i| num::low_u32(mix(state ^ i)) % 64)
                    .filter(|h| h % keep == 0)
                    .collect();
                v.sort_unstable();
                v.dedup();
                Features {
                    shingles: v,
                    keep,
                    ..Features::default()
                }
            };
            let (a, b) = (sample(40, 1), sample(40, 4));
            assert_eq!(overlap(&a, &b), overlap_by_filters(&a, &b));
            assert_eq!(overlap(&b, &a), overlap_by_filters(&b, &a));
        }
    }

    #[test]
    fn numbers_come_from_title_and_body() {
        let mut a = art("Balances rose to 3.254 billion dlrs on March 30.");
        a.title = "BALANCES ROSE ON MARCH 30".into();
        let f = features(&a, 4);
        assert_eq!(f.numbers.len(), 2);
    }

    #[test]
    fn datelines_name_month_and_day() {
        assert_eq!(dateline_day("NEW YORK, March 2 -"), Some((3, 2)));
        assert_eq!(dateline_day("LONDON, Sept 30 -"), Some((9, 30)));
        assert_eq!(dateline_day("Reuters, MOSCOW"), None);
        assert_eq!(dateline_day("Maybe 99"), None);
    }
}
