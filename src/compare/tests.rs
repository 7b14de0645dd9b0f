//! Tests of the whole comparison, one per rule, and the seeds alignment.

use super::*;

fn paras(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn kinds(c: &Comparison) -> Vec<(OpKind, bool)> {
    c.ops.iter().map(|o| (o.kind, o.moved)).collect()
}

#[test]
fn identical_texts_are_all_equal() {
    let a = paras(&["One sentence here. Another one.", "A second paragraph."]);
    let c = compare(&a, &a);
    assert_eq!(c.stats.equal, 3);
    assert_eq!(
        c.stats.changed + c.stats.added + c.stats.removed + c.stats.moved,
        0
    );
    assert_eq!(c.stats.similarity, 1.0);
    assert_eq!(c.ops[2].words.len(), 1);
    assert_eq!(&*c.ops[2].words[0].text, "A second paragraph.");
}

#[test]
fn empty_texts_compare_as_identical() {
    let c = compare(&[], &[]);
    assert!(c.ops.is_empty());
    assert_eq!(c.stats.similarity, 1.0);
    let c = compare(&paras(&["", "  "]), &[]);
    assert!(c.ops.is_empty());
}

#[test]
fn one_side_empty() {
    let a = paras(&["First thing. Second thing."]);
    let c = compare(&a, &[]);
    assert_eq!(kinds(&c), vec![(OpKind::Removed, false); 2]);
    assert_eq!(c.stats.similarity, 0.0);
    let c = compare(&[], &a);
    assert_eq!(kinds(&c), vec![(OpKind::Added, false); 2]);
    assert_eq!(c.ops[1].b.as_deref(), Some("Second thing."));
    assert_eq!(c.ops[1].b_index, Some(1));
}

#[test]
fn quote_styles_are_equal_with_minor_word_changes() {
    let a = paras(&["Kerry said there were still \u{201C}kinks\u{201D} to work out."]);
    let b = paras(&["Kerry said there were still \"kinks\" to work out."]);
    let c = compare(&a, &b);
    assert_eq!(kinds(&c), vec![(OpKind::Equal, false)]);
    assert!(
        c.ops[0]
            .words
            .iter()
            .any(|w| w.minor && w.op == WordOp::Delete)
    );
    assert_eq!(c.stats.similarity, 1.0);
}

#[test]
fn punctuation_only_change_is_minor() {
    let a = paras(&["Russia is one of the allies and it launched strikes."]);
    let b = paras(&["Russia is one of the allies, and it launched strikes."]);
    let c = compare(&a, &b);
    assert_eq!(kinds(&c), vec![(OpKind::Changed, false)]);
    assert!(c.ops[0].minor);
}

#[test]
fn abbreviations_keep_sentences_whole() {
    let a = paras(&["U.S. Secretary John Kerry met Gen. Smith on Sept. 30. It was brief."]);
    let c = compare(&a, &a);
    assert_eq!(c.a.len(), 2);
    assert_eq!(
        &*c.a[0].text,
        "U.S. Secretary John Kerry met Gen. Smith on Sept. 30."
    );
}

#[test]
fn moved_paragraph_is_flagged_with_its_partner_position() {
    let a = paras(&[
        "The council met on Monday to discuss the budget.",
        "Protesters gathered outside the town hall in the rain.",
        "The mayor said cuts were unavoidable this year.",
        "A vote is expected next week after more talks.",
    ]);
    let b = paras(&[
        "The council met on Monday to discuss the budget.",
        "The mayor said cuts were unavoidable this year.",
        "A vote is expected next week after more talks.",
        "Protesters gathered outside the town hall in the rain.",
    ]);
    let c = compare(&a, &b);
    assert_eq!(
        kinds(&c),
        vec![
            (OpKind::Equal, false),
            (OpKind::Equal, false),
            (OpKind::Equal, false),
            (OpKind::Equal, true)
        ]
    );
    let moved = &c.ops[3];
    assert_eq!(moved.a_index, Some(1));
    // It stood in A before the mayor's sentence, op 1.
    assert_eq!(moved.moved_from, Some(1));
    assert_eq!(c.stats.moved, 1);
    assert_eq!(c.stats.similarity, 1.0);
}

#[test]
fn repeated_sentences_pair_with_the_copy_in_place() {
    let a = paras(&[
        "Police closed the road. No one was hurt. The fire started at noon. No one was hurt. \
         Crews stayed overnight.",
    ]);
    let b = paras(&[
        "Police closed the road. The fire started at noon. No one was hurt. Crews stayed overnight.",
    ]);
    let c = compare(&a, &b);
    assert_eq!(
        kinds(&c),
        vec![
            (OpKind::Equal, false),
            (OpKind::Removed, false),
            (OpKind::Equal, false),
            (OpKind::Equal, false),
            (OpKind::Equal, false)
        ]
    );
    assert_eq!(c.ops[1].a_index, Some(1));
    assert_eq!(c.ops[3].a_index, Some(3));
}

#[test]
fn ops_map_to_char_ranges_of_the_canonical_texts() {
    let a = paras(&[
        "\u{201C}Caf\u{E9}s close.\u{201D} Nothing else.",
        "Second paragraph.",
    ]);
    let b = paras(&["Nothing else.", "Second paragraph here."]);
    let c = compare(&a, &b);
    let canon_a: Vec<char> = a.join("\n\n").chars().collect();
    let canon_b: Vec<char> = b.join("\n\n").chars().collect();
    for (k, op) in c.ops.iter().enumerate() {
        if let Some(r) = c.a_chars(k) {
            let s: String = canon_a[r].iter().collect();
            assert_eq!(Some(s.as_str()), op.a.as_deref());
            assert_eq!(c.a_op[op.a_index.unwrap()], k);
        }
        if let Some(r) = c.b_chars(k) {
            let s: String = canon_b[r].iter().collect();
            assert_eq!(Some(s.as_str()), op.b.as_deref());
            assert_eq!(c.b_op[op.b_index.unwrap()], k);
        }
    }
    assert_eq!(c.a_chars(0), Some(0..14));
}

#[test]
fn removed_sentences_stand_where_they_were_in_a() {
    let a =
        paras(&["Alpha beta gamma delta. Removed sentence about nothing else. Omega psi chi phi."]);
    let b = paras(&["Alpha beta gamma delta. Omega psi chi phi. Brand new text is here."]);
    let c = compare(&a, &b);
    assert_eq!(
        c.ops.iter().map(|o| o.kind).collect::<Vec<_>>(),
        vec![OpKind::Equal, OpKind::Removed, OpKind::Equal, OpKind::Added]
    );
}

#[test]
fn split_sentence_is_one_group() {
    let a = paras(&[
        "The minister resigned on Friday after weeks of pressure over the housing scandal, \
         and the prime minister accepted her resignation within hours.",
    ]);
    let b = paras(&[
        "The minister resigned on Friday after weeks of pressure over the housing scandal. \
         The prime minister accepted her resignation within hours.",
    ]);
    let c = compare(&a, &b);
    assert_eq!(kinds(&c), vec![(OpKind::Changed, false)]);
    assert_eq!(c.ops[0].b_count, 2);
    assert_eq!(c.ops[0].b_sentences(), 0..2);
    // Merged back: the same the other way round.
    let c = compare(&b, &a);
    assert_eq!(kinds(&c), vec![(OpKind::Changed, false)]);
    assert_eq!(c.ops[0].a_count, 2);
    assert!(
        c.ops[0]
            .words
            .iter()
            .any(|w| w.op == WordOp::Insert && w.text.contains("and"))
    );
}

#[test]
fn unrelated_sentences_are_not_paired() {
    let a = paras(&["The central bank raised interest rates by a quarter point."]);
    let b = paras(&["Heavy snow closed roads across the north of the country."]);
    let c = compare(&a, &b);
    assert_eq!(
        c.ops.iter().map(|o| o.kind).collect::<Vec<_>>(),
        vec![OpKind::Removed, OpKind::Added]
    );
}

#[test]
fn text_without_sentence_ends() {
    let a = paras(&["a line without any end and more words after it"]);
    let b = paras(&["a line without any end and some words after it"]);
    let c = compare(&a, &b);
    assert_eq!(kinds(&c), vec![(OpKind::Changed, false)]);
    let ins: Vec<&str> = c.ops[0]
        .words
        .iter()
        .filter(|w| w.op == WordOp::Insert)
        .map(|w| &*w.text)
        .collect();
    assert_eq!(ins, vec!["some"]);
}

#[test]
fn a_one_megabyte_paragraph_is_bounded() {
    let words: Vec<String> = (0..180_000u32)
        .map(|i| format!("w{}", i.wrapping_mul(2_654_435_761) % 50_000))
        .collect();
    let a = vec![words.join(" ")];
    assert!(a[0].len() > 1_000_000);
    let mut edited = words.clone();
    edited.insert(10, "inserted".to_string());
    edited.truncate(170_000);
    let b = vec![edited.join(" ")];
    let c = compare(&a, &b);
    assert!(!c.notes.is_empty());
    assert!(c.stats.similarity > 0.9, "{:?}", c.stats);
    assert!(c.stats.equal > c.stats.changed);
}

#[test]
fn serialises_to_the_documented_shape() {
    let a = paras(&["Kerry will seek to prepare the ground for talks."]);
    let b = paras(&["Kerry is seeking to prepare the ground for talks."]);
    let v = serde_json::to_value(compare(&a, &b)).unwrap();
    let op = &v["ops"][0];
    assert_eq!(op["kind"], "changed");
    assert_eq!(op["moved"], false);
    assert_eq!(op["a_index"], 0);
    assert_eq!(op["words"][1]["op"], "delete");
    assert_eq!(op["words"][1]["text"], "will seek");
    for k in [
        "equal",
        "changed",
        "moved",
        "added",
        "removed",
        "similarity",
    ] {
        assert!(v["stats"].get(k).is_some(), "{k}");
    }
}

/// The seeds' cleaned paragraphs through the corpus loader: `None` when `../shared` is absent.
pub(crate) fn seed_paragraphs() -> Option<(Vec<String>, Vec<String>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/seeds");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let load = |prefix: &str| -> Option<Vec<String>> {
        let path = files.iter().find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })?;
        let corpus = crate::corpus::load::load_paths(
            std::slice::from_ref(path),
            &crate::corpus::load::LoadOptions::default(),
            &|_| {},
        );
        corpus
            .articles
            .into_iter()
            .next()
            .map(|mut a| std::mem::take(&mut a.paragraphs))
    };
    Some((load("000_")?, load("003_")?))
}

#[test]
fn seeds_alignment() {
    let Some((a, b)) = seed_paragraphs() else {
        eprintln!("skipped: ../shared/data/seeds is absent");
        return;
    };
    assert_eq!(a.len(), 11);
    assert_eq!(b.len(), 19);
    assert!(b[0].starts_with("US Secretary of State John Kerry said he wanted"));
    check_seeds(&compare(&a, &b));
}

/// The acceptance for the seeds pair.
pub(crate) fn check_seeds(c: &Comparison) {
    let expected: &[(&str, &str, bool)] = &[
        (
            "Kerry will seek to prepare the ground",
            "Kerry is seeking to prepare the ground",
            false,
        ),
        (
            "U.S. Secretary of State John Kerry arrived in Moscow on Tuesday",
            "Russia and the US have not reached an agreement over the role of",
            true,
        ),
        (
            "Russia is one of Assad's staunchest allies",
            "Russia, one of al-Assad\u{2019}s staunchest allies",
            false,
        ),
        (
            "It says only the Syrian people",
            "Syrians and not external powers should decide",
            false,
        ),
        (
            "Speaking before Kerry's arrival in Moscow",
            "Speaking before Kerry\u{2019}s arrival, a US Department of State official",
            false,
        ),
        (
            "Ahead of the talks, the Russian Foreign Ministry issued a statement",
            "The Russian Ministry of Foreign Affairs issued a statement",
            false,
        ),
        (
            "Kerry's meeting with Putin follows a meeting last week in Riyadh",
            "Kerry\u{2019}s visit follows a meeting last week in Riyadh",
            false,
        ),
        (
            "While Kerry said there were still \"kinks\"",
            "While Kerry said there were still \u{201C}kinks\u{201D}",
            false,
        ),
    ];
    let paired: Vec<&Op> = c
        .ops
        .iter()
        .filter(|o| o.a.is_some() && o.b.is_some())
        .collect();
    let listing = || {
        c.ops
            .iter()
            .map(|o| {
                format!(
                    "{:?} moved={} sim={:.2}\n  A: {:?}\n  B: {:?}",
                    o.kind, o.moved, o.similarity, o.a, o.b
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(paired.len(), expected.len(), "{}", listing());
    for (xa, xb, moved) in expected {
        let op = paired
            .iter()
            .find(|o| o.a.as_deref().is_some_and(|t| t.starts_with(xa)))
            .unwrap_or_else(|| panic!("no pair for {xa}\n{}", listing()));
        assert_eq!(op.kind, OpKind::Changed, "{xa}");
        assert!(
            op.b.as_deref().is_some_and(|t| t.starts_with(xb)),
            "{xa} paired with {:?}\n{}",
            op.b,
            listing()
        );
        assert_eq!(op.moved, *moved, "{xa}\n{}", listing());
        assert_eq!(op.a_count, 1);
        assert_eq!(op.b_count, 1);
    }
    let removed: Vec<&str> = c
        .ops
        .iter()
        .filter(|o| o.kind == OpKind::Removed)
        .filter_map(|o| o.a.as_deref())
        .collect();
    assert_eq!(removed.len(), 4, "{removed:#?}");
    for needle in [
        "Toner",
        "preconditions",
        "Assad himself",
        "The opposition groups said",
    ] {
        assert!(removed.iter().any(|t| t.contains(needle)), "{needle}");
    }
    let added: Vec<&str> = c
        .ops
        .iter()
        .filter(|o| o.kind == OpKind::Added)
        .filter_map(|o| o.b.as_deref())
        .collect();
    for needle in [
        "I look forward",
        "On that route",
        "Free Syrian Army",
        "Gerasimov",
    ] {
        assert!(added.iter().any(|t| t.contains(needle)), "{needle}");
    }
    assert_eq!(c.stats.changed, 8);
    assert_eq!(c.stats.moved, 1);
    assert_eq!(c.stats.removed, 4);
    assert_eq!(c.stats.equal, 0);
    // Reading order of B: the B indices of ops that have one increase.
    let bs: Vec<usize> = c.ops.iter().filter_map(|o| o.b_index).collect();
    assert!(bs.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn random_text_never_panics() {
    let alphabet: Vec<char> =
        "aAbZ0 9.,;:!?'\"\u{201C}\u{201D}\u{2019}\u{2026}\u{3002}\u{4E2D}\u{6587}\
        \u{301}\u{200B}\u{A0}\n\t-\u{2014}()[]U.S.Mr.é"
            .chars()
            .collect();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n as u64).unwrap()
    };
    for _ in 0..500 {
        let mut side = || -> Vec<String> {
            (0..next(4))
                .map(|_| {
                    (0..next(120))
                        .map(|_| alphabet[next(alphabet.len())])
                        .collect()
                })
                .collect()
        };
        let (a, b) = (side(), side());
        let c = compare(&a, &b);
        let c2 = compare(&a, &a);
        assert_eq!(c2.stats.changed + c2.stats.added + c2.stats.removed, 0);
        for (k, op) in c.ops.iter().enumerate() {
            if let (Some(text), Some(r)) = (&op.a, c.a_chars(k))
                && op.a_count == 1
            {
                assert_eq!(text.chars().count(), r.len());
            }
            for w in &op.words {
                if let (Some(t), Some(r)) = (&op.a, &w.a) {
                    assert!(t.get(r.clone()).is_some());
                }
                if let (Some(t), Some(r)) = (&op.b, &w.b) {
                    assert!(t.get(r.clone()).is_some());
                }
            }
        }
        let _ = serde_json::to_string(&c).unwrap();
    }
}

/// Thousands of copies of a few tiny paragraphs, one paragraph inserted in the middle: the
/// copies align by position and the comparison reports that one paragraph added (the
/// relative-position pairing alone reported hundreds of thousands added and removed).
#[test]
fn repeated_tiny_paragraphs_align_by_position() {
    let n: usize = if cfg!(debug_assertions) {
        60_000
    } else {
        400_000
    };
    let unit = ["Yes.", "No.", "Maybe so."];
    let a: Vec<String> = (0..n).map(|i| unit[i % 3].to_string()).collect();
    let mut b = a.clone();
    b.insert(n / 2, "An inserted paragraph.".to_string());
    let c = compare(&a, &b);
    assert_eq!(
        (
            c.stats.added,
            c.stats.removed,
            c.stats.changed,
            c.stats.moved
        ),
        (1, 0, 0, 0),
        "{:?}",
        c.stats
    );
    assert_eq!(c.stats.equal, n);
    // One copy inserted (the same text as its neighbours) and one removed elsewhere.
    let mut b = a.clone();
    b.insert(n / 3, "No.".to_string());
    b.remove(2 * n / 3);
    let c = compare(&a, &b);
    // Either one added and one removed, or (the same text) one moved: never more.
    let counts = (c.stats.added, c.stats.removed, c.stats.moved);
    assert!(counts == (1, 1, 0) || counts == (0, 0, 1), "{:?}", c.stats);
}

/// The anchored step for repeated sentences changes nothing where sentences repeat little:
/// a repeated line between two edits pairs with the copy beside its neighbours.
#[test]
fn repeated_lines_between_edits_pair_beside_their_neighbours() {
    let a = paras(&[
        "One unique line.",
        "Repeat me.",
        "Two unique line.",
        "Repeat me.",
        "Three unique line.",
    ]);
    let b = paras(&[
        "One unique line.",
        "Repeat me.",
        "A new line.",
        "Two unique line.",
        "Repeat me.",
        "Three unique line.",
    ]);
    let c = compare(&a, &b);
    assert_eq!(
        (c.stats.equal, c.stats.added, c.stats.removed, c.stats.moved),
        (5, 1, 0, 0)
    );
}

#[test]
fn a_stopped_comparison_gives_up_at_the_step_it_was_stopped_in() {
    // 300 paragraphs, a fifth of them reworded: every step has work to do.
    let para = |v: usize, p: usize| {
        format!(
            "Paragraph {p} says the council voted {} to one. The plan costs {} crowns.",
            p + 2,
            if p.is_multiple_of(5) {
                p * 10 + v
            } else {
                p * 10
            }
        )
    };
    let a: Vec<String> = (0..300).map(|p| para(0, p)).collect();
    let b: Vec<String> = (0..300).map(|p| para(1, p)).collect();
    let steps = std::sync::Mutex::new(Vec::new());
    let stopped = std::sync::atomic::AtomicBool::new(false);
    // Stopped as soon as the alignment begins: no word difference is made.
    let ctl = Control {
        stop: &|| stopped.load(std::sync::atomic::Ordering::Relaxed),
        progress: &|s| {
            if s == Step::Aligning {
                stopped.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            steps.lock().unwrap().push(s);
        },
    };
    assert_eq!(compare_until(&a, &b, &ctl), None);
    assert_eq!(
        steps.lock().unwrap().as_slice(),
        &[Step::Segmenting, Step::Aligning]
    );
    // Stopped halfway through the word differences.
    steps.lock().unwrap().clear();
    stopped.store(false, std::sync::atomic::Ordering::Relaxed);
    let ctl = Control {
        stop: &|| stopped.load(std::sync::atomic::Ordering::Relaxed),
        progress: &|s| {
            if matches!(s, Step::Words { done, .. } if done >= 256) {
                stopped.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            steps.lock().unwrap().push(s);
        },
    };
    assert_eq!(compare_until(&a, &b, &ctl), None);
    assert_eq!(
        steps.lock().unwrap().last(),
        Some(&Step::Words {
            done: 256,
            total: 600
        })
    );
    // Never stopped: the same comparison as `compare`.
    let full = compare_until(&a, &b, &Control::NONE);
    assert_eq!(full.as_ref(), Some(&compare(&a, &b)));
    // (The short reworded sentences are too unlike to pair: removed and added.)
    let stats = full.map(|c| c.stats).unwrap_or_default();
    assert_eq!((stats.equal, stats.removed, stats.added), (540, 60, 60));
}

#[test]
fn a_comparison_of_multi_mb_versions_stops_inside_the_segmentation() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // One paragraph of about 3 MB each (no parallel halves), B reworded at its start.
    let sentence = "The council voted 12 to 3 on the harbour plan, which costs 40 million crowns. ";
    let a = vec![sentence.repeat(40_000)];
    let b = vec![format!("A new opening. {}", a[0])];
    let steps = std::sync::Mutex::new(Vec::new());
    let calls = AtomicUsize::new(0);
    // The first question comes while A is segmented: it says stop.
    let ctl = Control {
        stop: &|| {
            calls.fetch_add(1, Ordering::Relaxed);
            true
        },
        progress: &|s| steps.lock().unwrap().push(s),
    };
    assert_eq!(compare_until(&a, &b, &ctl), None);
    assert_eq!(
        calls.load(Ordering::Relaxed),
        1,
        "no question after the stop"
    );
    assert_eq!(steps.lock().unwrap().as_slice(), &[Step::Segmenting]);
    // Stopped after A's checks (its text segmented, then prepared) and the one between the
    // steps: while B is segmented, before any alignment.
    steps.lock().unwrap().clear();
    let calls = AtomicUsize::new(0);
    let at = 2 * (a[0].len() / segment::CHECK_EVERY_BYTES) + 2;
    let ctl = Control {
        stop: &|| calls.fetch_add(1, Ordering::Relaxed) + 1 >= at,
        progress: &|s| steps.lock().unwrap().push(s),
    };
    assert_eq!(compare_until(&a, &b, &ctl), None);
    assert_eq!(
        calls.load(Ordering::Relaxed),
        at,
        "no question after the stop"
    );
    assert_eq!(steps.lock().unwrap().as_slice(), &[Step::Segmenting]);
}
