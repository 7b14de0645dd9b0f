//! A teaser copy of a paragraph near the top, dropped where the paragraph stands again.

use super::*;

/// Removes a paragraph that occurs twice: a teaser copy near the top gives way to the copy in
/// the body; otherwise the later copy goes.
pub(super) fn collapse_duplicates(paragraphs: &mut Vec<Para>, removed: &mut Vec<RemovedLine>) {
    if paragraphs.len() < 2 {
        return;
    }
    // Most bodies have a few dozen paragraphs: their keys are searched in a list, not hashed
    // into a map made for each article.
    let many = paragraphs.len() > 64;
    let mut first_at: FxHashMap<u64, usize> = FxHashMap::default();
    let mut firsts: Vec<(u64, usize)> = Vec::with_capacity(if many { 0 } else { paragraphs.len() });
    let mut drop = vec![false; paragraphs.len()];
    for (i, p) in paragraphs.iter().enumerate() {
        if !crate::corpus::article::has_words(&p.text, 4) {
            continue;
        }
        // Paragraphs are whitespace-collapsed already; a teaser is a verbatim copy.
        let key = {
            use std::hash::{Hash, Hasher};
            let mut h = rustc_hash::FxHasher::default();
            p.text.hash(&mut h);
            h.finish()
        };
        let first = if many {
            first_at.get(&key).copied()
        } else {
            firsts.iter().find(|(k, _)| *k == key).map(|&(_, j)| j)
        };
        match first {
            Some(j) if j < 2 && i > j + 1 => drop[j] = true,
            Some(_) => drop[i] = true,
            None if many => {
                first_at.insert(key, i);
            }
            None => firsts.push((key, i)),
        }
    }
    if !drop.contains(&true) {
        return;
    }
    let mut i = 0;
    paragraphs.retain(|p| {
        let d = drop[i];
        i += 1;
        if d {
            removed.push(RemovedLine {
                text: p.text.clone(),
                reason: RemovalReason::DuplicateParagraph,
                lines: Some(p.lines),
            });
        }
        !d
    });
}
