//! Tests of the collation: orderings, provenance, edge cases, and agreement with the pairwise
//! comparison on synthetic versions, the sample corpus and the seeds.

use super::*;
use crate::compare::{Comparison, OpKind};

fn paras(ps: &[&str]) -> Vec<String> {
    ps.iter().map(|s| s.to_string()).collect()
}

/// Every sentence of every version is in exactly one reading, in its own column.
fn check_cover(c: &Collation) {
    for (v, sents) in c.sentences.iter().enumerate() {
        let mut seen = vec![0usize; sents.len()];
        for r in &c.readings {
            assert_eq!(r.cells.len(), c.width());
            assert_ne!(r.cells[r.base].state, CellState::Absent);
            assert!(
                r.cells[..r.base]
                    .iter()
                    .all(|x| x.state == CellState::Absent)
            );
            for s in r.cells[v].sentences.clone() {
                seen[s] += 1;
            }
        }
        assert!(seen.iter().all(|&k| k == 1), "version {v}: {seen:?}");
    }
}

/// The pairwise alignment read from the table equals `Comparison::new` of every pair; cells'
/// moves equal the moves of the comparison against the reading's base version.
fn check_agreement(inputs: &[VersionInput<'_>], c: &Collation) {
    check_cover(c);
    assert!(c.disagreements.is_empty(), "{:?}", c.disagreements);
    let n = c.width();
    let body = |col: usize| inputs[c.versions[col].input].paragraphs;
    for p in 0..n {
        for q in p + 1..n {
            let cmp = Comparison::new(body(p), body(q));
            let mut expected: Vec<PairGroup> = cmp
                .ops
                .iter()
                .map(|op| PairGroup {
                    a: op.a_sentences(),
                    b: op.b_sentences(),
                    equal: op.kind == OpKind::Equal,
                })
                .collect();
            expected.sort_by_key(PairGroup::sort_key);
            assert_eq!(c.pairwise(p, q), expected, "columns {p} and {q}");
            for r in c.readings.iter().filter(|r| r.base == p) {
                let cell = &r.cells[q];
                if cell.state == CellState::Absent {
                    continue;
                }
                let op = &cmp.ops[cmp.b_op[cell.sentences.start]];
                assert_eq!(cell.moved, op.moved, "columns {p} and {q}: {}", cell.text);
                let all_equal = cell
                    .sentences
                    .clone()
                    .all(|s| cmp.ops[cmp.b_op[s]].kind == OpKind::Equal);
                assert_eq!(cell.state == CellState::Same, all_equal, "{}", cell.text);
            }
        }
    }
}

#[test]
fn versions_ordered_by_date_undated_last_in_input_order() {
    let body = paras(&["One sentence here."]);
    let inputs = [
        VersionInput::new("undated-1", &body),
        VersionInput::new("late", &body).dated("2026-03-05", 300),
        VersionInput::new("undated-2", &body),
        VersionInput::new("early", &body).dated("2026-03-03", 100),
    ];
    let c = collate(&inputs);
    let ids: Vec<&str> = c.versions.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["early", "late", "undated-1", "undated-2"]);
    let undated: Vec<bool> = c.versions.iter().map(|v| v.undated).collect();
    assert_eq!(undated, [false, false, true, true]);
    assert_eq!(c.versions[0].date.as_deref(), Some("2026-03-03"));
    assert_eq!(c.versions[2].input, 0);
    assert_eq!(c.timeline(), [Some(0.0), Some(1.0), None, None]);
    check_agreement(&inputs, &c);
}

#[test]
fn single_version_is_its_own_base() {
    let body = paras(&[
        "The ferry sank at night. Twelve people died.",
        "Divers searched.",
    ]);
    let inputs = [VersionInput::new("only", &body)];
    let c = collate(&inputs);
    assert_eq!(c.readings.len(), 3);
    let texts: Vec<&str> = c.readings.iter().map(Reading::base_text).collect();
    assert_eq!(
        texts,
        [
            "The ferry sank at night.",
            "Twelve people died.",
            "Divers searched."
        ]
    );
    assert!(
        c.readings
            .iter()
            .all(|r| r.cells[0].state == CellState::Same)
    );
    let v = &c.versions[0];
    assert_eq!(v.reuse, 0.0);
    assert_eq!(v.added, [0, 1, 2]);
    assert!(v.cut.is_empty() && v.changed.is_empty());
    assert_eq!(v.origins, [0, 0, 0]);
    assert_eq!(c.timeline(), [None]);
    check_agreement(&inputs, &c);
}

#[test]
fn empty_input_and_empty_version() {
    let c = collate(&[]);
    assert!(c.readings.is_empty() && c.versions.is_empty());
    let body = paras(&["Something happened today."]);
    let empty: Vec<String> = Vec::new();
    let inputs = [
        VersionInput::new("a", &body),
        VersionInput::new("b", &empty),
    ];
    let c = collate(&inputs);
    assert_eq!(c.readings.len(), 1);
    assert_eq!(c.readings[0].cells[1].state, CellState::Absent);
    assert_eq!(c.versions[1].cut, [0]);
    assert_eq!(c.versions[1].reuse, 0.0);
    check_agreement(&inputs, &c);
}

#[test]
fn identical_versions_are_all_same_with_full_reuse() {
    let body = paras(&[
        "Councillors voted 31 to 18 in favour after a six-hour debate.",
        "The route includes a new bridge over the river. Work starts next year.",
    ]);
    let copy = body.clone();
    let inputs = [
        VersionInput::new("wire", &body).dated("d1", 1),
        VersionInput::new("repost", &copy).dated("d2", 2),
    ];
    let c = collate(&inputs);
    assert_eq!(c.readings.len(), 3);
    for r in &c.readings {
        assert_eq!(r.base, 0);
        assert_eq!(r.cells[1].state, CellState::Same);
        assert!(!r.cells[1].moved);
    }
    let v = &c.versions[1];
    assert_eq!(v.reuse, 1.0);
    assert!(v.added.is_empty() && v.cut.is_empty() && v.changed.is_empty());
    assert_eq!(v.origins, [0, 0, 0]);
    check_agreement(&inputs, &c);
}

#[test]
fn additions_keep_consensus_order_and_provenance() {
    let v1 = paras(&["Alpha boats sailed north at dawn. Gamma crews stayed in port."]);
    let v2 = paras(&[
        "Alpha boats sailed north at dawn. Beta divers recovered two bodies from the wreck. Gamma crews stayed in port.",
    ]);
    let v3 = paras(&[
        "Alpha boats sailed north at dawn. Beta divers recovered two bodies from the wreck on Tuesday. Delta officials opened an inquiry.",
    ]);
    let inputs = [
        VersionInput::new("v1", &v1).dated("1", 1),
        VersionInput::new("v2", &v2).dated("2", 2),
        VersionInput::new("v3", &v3).dated("3", 3),
    ];
    let c = collate(&inputs);
    let firsts: Vec<&str> = c
        .readings
        .iter()
        .map(|r| r.base_text().split(' ').next().unwrap_or(""))
        .collect();
    // Delta stands where v3 has it: after Gamma, which v3 cut there.
    assert_eq!(firsts, ["Alpha", "Beta", "Gamma", "Delta"]);
    let marks: Vec<Vec<CellState>> = c
        .readings
        .iter()
        .map(|r| r.cells.iter().map(|x| x.state).collect())
        .collect();
    use CellState::*;
    assert_eq!(
        marks,
        [
            vec![Same, Same, Same],
            vec![Absent, Same, Changed],
            vec![Same, Same, Absent],
            vec![Absent, Absent, Same],
        ]
    );
    // The spans an annotation of the Beta reading targets: its text in each version's body.
    let spans = c.reading_spans(1);
    assert_eq!(
        spans.iter().map(|(col, _)| *col).collect::<Vec<_>>(),
        [1, 2]
    );
    for (col, span) in &spans {
        let body = inputs[c.versions[*col].input].paragraphs.join("\n\n");
        let text: String = body.chars().skip(span.start).take(span.len()).collect();
        assert_eq!(text, c.readings[1].cells[*col].text);
    }
    assert!(c.reading_spans(99).is_empty());
    assert!(c.pairwise(0, 3).is_empty());
    assert!(c.cell_diff(99, 0).is_none() && c.cell_diff(0, 3).is_none());
    // v3's Beta sentence comes from v2; its Delta sentence is its own.
    assert_eq!(c.versions[2].origins, [0, 1, 2]);
    assert_eq!(c.versions[1].added, [1]);
    assert_eq!(c.versions[2].added, [3]);
    assert_eq!(c.versions[2].cut, [2]);
    assert_eq!(c.versions[2].changed, [1]);
    // v2 carries v1's 11 words of its 19.
    assert_eq!(c.versions[1].words, 19);
    assert_eq!(c.versions[1].carried, 11);
    assert!((c.versions[1].reuse - 11.0 / 19.0).abs() < 1e-9);
    let diff = c.cell_diff(1, 2).expect("present");
    assert!(
        diff.changes
            .iter()
            .any(|ch| ch.op == crate::compare::WordOp::Insert && &*ch.text == "on Tuesday")
    );
    check_agreement(&inputs, &c);
}

#[test]
fn moves_are_marked_as_in_the_pairwise_diff() {
    let v1 = paras(&[
        "The governor ordered an inquiry into the sinking.",
        "Rescuers searched the lake through the night.",
        "The ferry was built in 1989 and refitted in 2019.",
        "Services across the lake were suspended on Tuesday.",
    ]);
    let v2 = paras(&[
        "The governor ordered an inquiry into the sinking.",
        "Services across the lake were suspended on Tuesday.",
        "Rescuers searched the lake through the night.",
        "The ferry was built in 1989 and refitted in 2019.",
    ]);
    let inputs = [VersionInput::new("a", &v1), VersionInput::new("b", &v2)];
    let c = collate(&inputs);
    assert_eq!(c.readings.len(), 4);
    let moved: Vec<bool> = c.readings.iter().map(|r| r.cells[1].moved).collect();
    assert_eq!(moved.iter().filter(|&&m| m).count(), 1);
    assert!(c.readings[3].cells[1].moved, "{:?}", c.readings[3]);
    check_agreement(&inputs, &c);
}

#[test]
fn split_sentence_is_one_cell_of_two_sentences() {
    let v1 = paras(&[
        "Forty-four people were pulled from the water alive, most of them by fishing boats that reached the scene before the coast guard.",
    ]);
    let v2 = paras(&[
        "Forty-four people were pulled from the water alive. Most of them were rescued by fishing boats that reached the scene before the coast guard.",
    ]);
    let inputs = [VersionInput::new("a", &v1), VersionInput::new("b", &v2)];
    let c = collate(&inputs);
    assert_eq!(c.readings.len(), 1, "{:?}", c.readings);
    assert_eq!(c.readings[0].cells[1].sentences, 0..2);
    assert_eq!(c.readings[0].cells[1].state, CellState::Changed);
    check_agreement(&inputs, &c);
}

use stet_gen::versions::{synthetic_versions, synthetic_versions_reworded};

#[test]
fn thirty_versions_agree_with_every_pairwise_diff() {
    let bodies = synthetic_versions(30, 300, 7);
    let ids: Vec<String> = (0..30).map(|i| format!("v{i:02}")).collect();
    let dates: Vec<String> = (0..30).map(|i| format!("2026-03-{:02}", i + 1)).collect();
    // Given in reverse order: the columns follow the dates.
    let inputs: Vec<VersionInput<'_>> = (0..30)
        .rev()
        .map(|i| VersionInput::new(&ids[i], &bodies[i]).dated(&dates[i], i64::try_from(i).unwrap()))
        .collect();
    let c = collate(&inputs);
    assert_eq!(c.width(), 30);
    assert_eq!(c.versions[0].id, "v00");
    assert_eq!(c.versions[29].id, "v29");
    // Each version adds one sentence and rewords one.
    for v in &c.versions[1..] {
        assert!(!v.added.is_empty(), "{}", v.id);
        assert!(v.reuse > 0.8 && v.reuse < 1.0, "{}: {}", v.id, v.reuse);
    }
    check_agreement(&inputs, &c);
}

#[test]
fn non_transitive_links_are_listed_not_lost() {
    // B is halfway between A and C: A≈B and B≈C pair, A and C are too far apart.
    let a = paras(&["Kestrel boats carried timber north along the eastern shore every winter."]);
    let b = paras(&["Kestrel boats carried grain south along the western coast every summer."]);
    let c_ = paras(&["Pilots flew grain south along the western coast during summer nights."]);
    let inputs = [
        VersionInput::new("a", &a).dated("1", 1),
        VersionInput::new("b", &b).dated("2", 2),
        VersionInput::new("c", &c_).dated("3", 3),
    ];
    let c = collate(&inputs);
    check_cover(&c);
    // Whatever the pairwise alignments say, every link is either a row or a disagreement.
    for p in 0..3 {
        for q in p + 1..3 {
            let cmp = Comparison::new(inputs[p].paragraphs, inputs[q].paragraphs);
            let paired = cmp.ops.iter().any(|o| o.a.is_some() && o.b.is_some());
            let in_row = c
                .pairwise(p, q)
                .iter()
                .any(|g| !g.a.is_empty() && !g.b.is_empty());
            let listed = c
                .disagreements
                .iter()
                .any(|d| d.a_version == p && d.b_version == q);
            assert_eq!(paired, in_row || listed, "{p} {q}");
            assert!(!(in_row && listed));
        }
    }
}

/// The multi-version stories of the sample corpus, by path, as in `assets/sample-truth.md`.
const SAMPLE_STORIES: &[&[&str]] = &[
    &[
        "norda-wire/0303-ferry-capsizes-lake-orsen.txt",
        "feeds/news-please-2026-03.jsonl:2",
        "lakeshore-news/ferry-death-toll-rises-to-14.html",
        "valmere-courier/2026-03-04-p3-ferry-toll-rises.txt",
    ],
    &[
        "feeds/news-please-2026-03.jsonl:3",
        "valmere-today/eastbank-tram-line-wins-council-vote.json",
        "reposts/eastbank-voice-tram-vote.txt",
    ],
    &[
        "feeds/news-please-2026-03.jsonl:4",
        "eastbank-herald/2026-03-05-p9-reservoir-log-boat.txt",
    ],
];

#[test]
fn sample_corpus_stories_agree_with_pairwise_diffs() {
    let corpus = crate::corpus::sample::load_sample(&Default::default());
    for story in SAMPLE_STORIES {
        let articles: Vec<&crate::corpus::Article> = story
            .iter()
            .map(|key| {
                corpus
                    .find(key)
                    .map(|i| &corpus.articles[i])
                    .or_else(|| corpus.articles.iter().find(|a| a.path.ends_with(key)))
                    .unwrap_or_else(|| panic!("{key} not in the sample corpus"))
            })
            .collect();
        let inputs: Vec<VersionInput<'_>> = articles
            .iter()
            .map(|a| VersionInput::from_article(a))
            .collect();
        let c = collate(&inputs);
        check_agreement(&inputs, &c);
        assert!(c.versions[1..].iter().all(|v| v.reuse > 0.5));
    }
    // Story A: the dated versions first, the wire original (no year in its dateline) after.
    let a: Vec<&crate::corpus::Article> = SAMPLE_STORIES[0]
        .iter()
        .filter_map(|key| {
            corpus
                .find(key)
                .map(|i| &corpus.articles[i])
                .or_else(|| corpus.articles.iter().find(|a| a.path.ends_with(key)))
        })
        .collect();
    let inputs: Vec<VersionInput<'_>> = a.iter().map(|a| VersionInput::from_article(a)).collect();
    let c = collate(&inputs);
    // The Varn quote: added by the update, carried by the repost and the print version.
    let varn = c
        .readings
        .iter()
        .position(|r| r.base_text().contains("We owe these families"))
        .expect("Varn quote");
    let col = |path: &str| {
        c.versions
            .iter()
            .position(|v| v.id.ends_with(path) || a[v.input].path.ends_with(path))
            .expect("version")
    };
    let update_id = &corpus.articles[corpus.find(SAMPLE_STORIES[0][1]).expect("update")].id;
    let update = col(update_id);
    let wire = col("0303-ferry-capsizes-lake-orsen.txt");
    let print = col("2026-03-04-p3-ferry-toll-rises.txt");
    assert_eq!(c.readings[varn].cells[wire].state, CellState::Absent);
    assert_ne!(c.readings[varn].cells[update].state, CellState::Absent);
    assert_ne!(c.readings[varn].cells[print].state, CellState::Absent);
    assert!(c.readings[varn].cells[print].moved || c.readings[varn].base != update);
    // The print version cut the Lake Orsen ending.
    let orsen = c
        .readings
        .iter()
        .position(|r| r.base_text().contains("prone to sudden storms"))
        .expect("Lake Orsen sentence");
    assert_eq!(c.readings[orsen].cells[print].state, CellState::Absent);
}

#[test]
fn seeds_agree_with_the_pairwise_diff() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    };
    let mut files: Vec<std::path::PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with("000_") || n.starts_with("003_")
            })
        })
        .collect();
    files.sort();
    if files.len() != 2 {
        eprintln!("skipped: seeds 000 and 003 not both in {}", dir.display());
        return;
    }
    let corpus = crate::corpus::load::load_paths(&files, &Default::default(), &|_| {});
    assert_eq!(corpus.articles.len(), 2);
    let inputs: Vec<VersionInput<'_>> = corpus
        .articles
        .iter()
        .map(VersionInput::from_article)
        .collect();
    let c = collate(&inputs);
    check_agreement(&inputs, &c);
    let shared = c.readings.iter().filter(|r| r.present() == 2).count();
    assert!(shared >= 5, "{shared} shared readings");
}

#[test]
fn heavy_rewording_keeps_rows_sound_and_lists_every_other_link() {
    // Many sentences reworded by many words: pairwise alignments stop being transitive.
    let bodies = synthetic_versions_reworded(8, 400, 3, 12, 7);
    let ids: Vec<String> = (0..8).map(|i| format!("v{i}")).collect();
    let inputs: Vec<VersionInput<'_>> = (0..8)
        .map(|i| VersionInput::new(&ids[i], &bodies[i]).dated("d", i64::try_from(i).unwrap()))
        .collect();
    let c = collate(&inputs);
    check_cover(&c);
    let mut missing = 0;
    for p in 0..8 {
        for q in p + 1..8 {
            let cmp = Comparison::new(inputs[p].paragraphs, inputs[q].paragraphs);
            let truth: Vec<PairGroup> = cmp
                .ops
                .iter()
                .filter(|op| op.a.is_some() && op.b.is_some())
                .map(|op| PairGroup {
                    a: op.a_sentences(),
                    b: op.b_sentences(),
                    equal: op.kind == OpKind::Equal,
                })
                .collect();
            // Every pair the table shows is a pair of the comparison.
            for g in c.pairwise(p, q) {
                if !g.a.is_empty() && !g.b.is_empty() {
                    assert!(truth.contains(&g), "{p} {q}: {g:?} not in the diff");
                }
            }
            // Every pair of the comparison is shown by the table or listed.
            let shown = c.pairwise(p, q);
            for g in &truth {
                let listed = c
                    .disagreements
                    .iter()
                    .any(|d| d.a_version == p && d.b_version == q && d.a == g.a && d.b == g.b);
                assert!(shown.contains(g) != listed, "{p} {q}: {g:?}");
                missing += usize::from(listed);
            }
        }
    }
    assert_eq!(missing, c.disagreements.len());
    if c.disagreements.is_empty() {
        check_agreement(&inputs, &c);
    }
    eprintln!(
        "heavy rewording: {} readings, {} links not shown",
        c.readings.len(),
        missing
    );
}
