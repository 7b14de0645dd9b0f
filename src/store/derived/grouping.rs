//! The grouping index kept beside the stored state ([`crate::corpus::group::GroupIndex`]):
//! what grouping articles added later needs of the others without reading their texts.
//!
//! Rows of the `meta` table, written in the transaction that writes the state (and removed
//! with it, being named `state/...`): `state/g/K`, blocks of 8,192 articles (each a varint
//! count of sampled hashes and their 8 bytes, a varint count of names and their 4 bytes);
//! `state/v/K`, blocks of 65,536 verified pairs (varint `a`, varint `b - a`, a kind byte (1 version, 2 related, 3 a version that is a copy of the same text),
//! the score and the two covers as 4-byte floats); and `state/gi`, the head: a magic, the
//! xxh3 of the state's main row it goes with (an index from another state is never used),
//! the article and pair counts and each block's xxh3.

use crate::corpus::group::verify::Verdict;
use crate::corpus::group::{Checked, GroupIndex};

const MAGIC: &[u8; 8] = b"stetGI\x02\n";
const ARTICLES: usize = 8192;
const PAIRS: usize = 65536;

/// The rows to store for `index`, beside the state whose main row is `main` (gathered: the
/// store takes them one at a time from [`encode_each`]).
#[cfg(test)]
pub(super) fn encode(index: GroupIndex, main: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut rows = Vec::new();
    // Nothing fails: the rows are only gathered.
    let _ = encode_each(index, main, &mut |name, b| -> Result<(), ()> {
        rows.push((name, b));
        Ok(())
    });
    rows
}

/// The rows to store for `index`, beside the state whose main row is `main`, each handed to
/// `put` as soon as it is made (the head last), each article's hashes dropped once encoded:
/// only one block of rows is held at once. Stops at the first error `put` gives.
pub(super) fn encode_each<E>(
    index: GroupIndex,
    main: &[u8],
    put: &mut dyn FnMut(String, Vec<u8>) -> Result<(), E>,
) -> Result<(), E> {
    let mut head = MAGIC.to_vec();
    head.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(main).to_le_bytes());
    varint(&mut head, index.sampled.len() as u64);
    varint(&mut head, index.verdicts.len() as u64);
    let n = index.sampled.len();
    let mut hashes = Vec::new();
    let mut sampled = index.sampled.into_iter();
    let mut names = index.names.into_iter();
    for k in 0..n.div_ceil(ARTICLES) {
        let mut b = Vec::new();
        for _ in 0..ARTICLES.min(n - k * ARTICLES) {
            let s = sampled.next().unwrap_or_default();
            varint(&mut b, s.len() as u64);
            for h in s {
                b.extend_from_slice(&h.to_le_bytes());
            }
            let names = names.next().unwrap_or_default();
            varint(&mut b, names.len() as u64);
            for h in names {
                b.extend_from_slice(&h.to_le_bytes());
            }
        }
        hashes.push(xxhash_rust::xxh3::xxh3_64(&b));
        // Held until the state is stored: no spare capacity.
        put(format!("state/g/{k}"), b)?;
    }
    let mut vhashes = Vec::new();
    for (k, chunk) in index.verdicts.chunks(PAIRS).enumerate() {
        let mut b = Vec::new();
        for c in chunk {
            varint(&mut b, u64::from(c.a));
            varint(&mut b, u64::from(c.b.saturating_sub(c.a)));
            let (kind, score) = match c.verdict {
                Verdict::Version(s) if c.copy => (3u8, s),
                Verdict::Version(s) => (1u8, s),
                Verdict::Related(s) => (2, s),
                Verdict::Apart => (0, 0.0),
            };
            b.push(kind);
            for f in [score, c.cover.0, c.cover.1] {
                b.extend_from_slice(&f.to_bits().to_le_bytes());
            }
        }
        vhashes.push(xxhash_rust::xxh3::xxh3_64(&b));
        put(format!("state/v/{k}"), b)?;
    }
    for hs in [&hashes, &vhashes] {
        varint(&mut head, hs.len() as u64);
        for h in hs {
            head.extend_from_slice(&h.to_le_bytes());
        }
    }
    put("state/gi".to_string(), head)
}

/// The index stored beside the state whose main row is `main`, its rows read by `get`;
/// `None` when it is missing, from another state, or does not decode.
pub(super) fn decode(
    main: &[u8],
    get: &mut dyn FnMut(&str) -> Option<Vec<u8>>,
) -> Option<GroupIndex> {
    let head = get("state/gi")?;
    let mut r = head.strip_prefix(MAGIC.as_slice())?;
    if take_u64(&mut r)? != xxhash_rust::xxh3::xxh3_64(main) {
        return None;
    }
    let n = usize::try_from(read_varint(&mut r)?).ok()?;
    let pairs = usize::try_from(read_varint(&mut r)?).ok()?;
    let mut blocks = || -> Option<Vec<u64>> {
        let k = usize::try_from(read_varint(&mut r)?).ok()?;
        (0..k).map(|_| take_u64(&mut r)).collect()
    };
    let ghashes = blocks()?;
    let vhashes = blocks()?;
    if ghashes.len() != n.div_ceil(ARTICLES) || vhashes.len() != pairs.div_ceil(PAIRS) {
        return None;
    }
    let mut index = GroupIndex {
        sampled: Vec::with_capacity(n),
        names: Vec::with_capacity(n),
        verdicts: Vec::with_capacity(pairs),
    };
    for (k, h) in ghashes.iter().enumerate() {
        let b = get(&format!("state/g/{k}"))?;
        if xxhash_rust::xxh3::xxh3_64(&b) != *h {
            return None;
        }
        let mut r = b.as_slice();
        while !r.is_empty() {
            let s = usize::try_from(read_varint(&mut r)?).ok()?;
            let mut sampled = Vec::with_capacity(s.min(r.len() / 8));
            for _ in 0..s {
                sampled.push(take_u64(&mut r)?);
            }
            let m = usize::try_from(read_varint(&mut r)?).ok()?;
            let mut names = Vec::with_capacity(m.min(r.len() / 4));
            for _ in 0..m {
                names.push(u32::from_le_bytes(take(&mut r, 4)?.try_into().ok()?));
            }
            index.sampled.push(sampled);
            index.names.push(names);
        }
    }
    for (k, h) in vhashes.iter().enumerate() {
        let b = get(&format!("state/v/{k}"))?;
        if xxhash_rust::xxh3::xxh3_64(&b) != *h {
            return None;
        }
        let mut r = b.as_slice();
        while !r.is_empty() {
            let a = u32::try_from(read_varint(&mut r)?).ok()?;
            let b = a.checked_add(u32::try_from(read_varint(&mut r)?).ok()?)?;
            let kind = *take(&mut r, 1)?.first()?;
            let mut f = [0f32; 3];
            for x in &mut f {
                *x = f32::from_bits(u32::from_le_bytes(take(&mut r, 4)?.try_into().ok()?));
            }
            let verdict = match kind {
                1 | 3 => Verdict::Version(f[0]),
                2 => Verdict::Related(f[0]),
                _ => return None,
            };
            index.verdicts.push(Checked {
                a,
                b,
                verdict,
                cover: (f[1], f[2]),
                copy: kind == 3,
            });
        }
    }
    let in_range = index
        .verdicts
        .iter()
        .all(|c| c.a < c.b && (c.b as usize) < n);
    (index.sampled.len() == n && index.verdicts.len() == pairs && in_range).then_some(index)
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(u8::try_from(v & 0x7f).unwrap_or(0) | 0x80);
        v >>= 7;
    }
    out.push(u8::try_from(v).unwrap_or(0));
}

fn read_varint(r: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = r.split_first()?;
        *r = rest;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn take<'a>(r: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if r.len() < n {
        return None;
    }
    let (x, rest) = r.split_at(n);
    *r = rest;
    Some(x)
}

fn take_u64(r: &mut &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(take(r, 8)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_round_trips_and_is_refused_for_another_state_or_damaged() {
        let index = GroupIndex {
            sampled: (0..9000u64).map(|i| vec![i, i * 7 + 1]).collect(),
            names: (0..9000u32).map(|i| vec![i]).collect(),
            verdicts: vec![
                Checked {
                    a: 1,
                    b: 8999,
                    verdict: Verdict::Version(0.75),
                    cover: (0.5, 1.0),
                    copy: true,
                },
                Checked {
                    a: 2,
                    b: 3,
                    verdict: Verdict::Related(0.6),
                    cover: (1.0, 1.0),
                    copy: false,
                },
            ],
        };
        let rows = encode(index.clone(), b"main");
        let mut map: std::collections::HashMap<String, Vec<u8>> = rows.into_iter().collect();
        let back = decode(b"main", &mut |k| map.get(k).cloned()).unwrap();
        assert_eq!(back, index);
        assert!(decode(b"other", &mut |k| map.get(k).cloned()).is_none());
        map.get_mut("state/g/1").unwrap()[0] ^= 1;
        assert!(decode(b"main", &mut |k| map.get(k).cloned()).is_none());
        map.remove("state/g/1");
        assert!(decode(b"main", &mut |k| map.get(k).cloned()).is_none());
    }
}
