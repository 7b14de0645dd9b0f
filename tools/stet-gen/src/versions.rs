//! Synthetic versions of one invented report (made-up words, no real text): each version edits
//! the previous one — sentences reworded, one dropped, one added, one moved. For the collation
//! tests and benchmark, where the number and length of versions matter, not the language.

/// A deterministic generator of a story's versions: each version edits the previous one
/// (a sentence reworded, one dropped, one added, one moved).
pub fn synthetic_versions(count: usize, words: usize, seed: u64) -> Vec<Vec<String>> {
    synthetic_versions_reworded(count, words, seed, 1, 2)
}

/// As [`synthetic_versions`], rewording `sentences` sentences by `words_each` words per version.
pub fn synthetic_versions_reworded(
    count: usize,
    words: usize,
    seed: u64,
    sentences: usize,
    words_each: usize,
) -> Vec<Vec<String>> {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut next = move |m: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        // 31 bits: fits a usize.
        usize::try_from(state >> 33).unwrap_or(0) % m.max(1)
    };
    const SYL: &[&str] = &[
        "ka", "lo", "mer", "tan", "vi", "sol", "de", "ron", "bel", "ust", "ar", "en", "pol", "gri",
        "fa", "mo", "ter", "lin",
    ];
    let word = |next: &mut dyn FnMut(usize) -> usize| {
        let n = 1 + next(3);
        (0..n).map(|_| SYL[next(SYL.len())]).collect::<String>()
    };
    let sentence = |next: &mut dyn FnMut(usize) -> usize| {
        let n = 12 + next(14);
        let mut s = String::new();
        for k in 0..n {
            if k > 0 {
                s.push(' ');
            }
            let w = word(next);
            if k == 0 {
                let mut cs = w.chars();
                if let Some(f) = cs.next() {
                    s.extend(f.to_uppercase());
                    s.push_str(cs.as_str());
                }
            } else {
                s.push_str(&w);
            }
        }
        s.push('.');
        s
    };
    let mut sents: Vec<String> = Vec::new();
    let mut total = 0;
    while total < words {
        let s = sentence(&mut next);
        total += s.split(' ').count();
        sents.push(s);
    }
    let to_paras =
        |sents: &[String]| -> Vec<String> { sents.chunks(3).map(|c| c.join(" ")).collect() };
    let mut out = vec![to_paras(&sents)];
    for _ in 1..count {
        // Reword: replace words of some sentences.
        for _ in 0..sentences {
            let k = next(sents.len());
            let mut ws: Vec<String> = sents[k].split(' ').map(str::to_string).collect();
            for _ in 0..words_each {
                let at = 1 + next(ws.len() - 2);
                ws[at] = word(&mut next);
            }
            sents[k] = ws.join(" ");
        }
        // Drop one, add one, move one.
        if sents.len() > 4 {
            let d = next(sents.len());
            sents.remove(d);
        }
        let at = next(sents.len() + 1);
        let s = sentence(&mut next);
        sents.insert(at, s);
        let from = next(sents.len());
        let s = sents.remove(from);
        let to = next(sents.len() + 1);
        sents.insert(to, s);
        out.push(to_paras(&sents));
    }
    out
}
