use super::*;

fn paras(raw: &str) -> Vec<String> {
    clean(raw, &KnownMeta::default()).paragraphs
}

fn reasons(c: &Cleaned) -> Vec<RemovalReason> {
    c.removed.iter().map(|r| r.reason).collect()
}

const WRAPPED: &str = "The council met on Tuesday to discuss the budget for the coming\n\
        year, and members argued for several hours about the new tram line.\n\
        It was not clear when a vote would be held on the plan.\n\
        Opposition members said the cost estimate of 410 million crowns was\n\
        far too optimistic and asked for an independent review of it.\n";

#[test]
fn hard_wrapped_lines_are_joined_and_sentence_final_short_lines_end_paragraphs() {
    let p = paras(WRAPPED);
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(p[0].starts_with("The council met") && p[0].ends_with("held on the plan."));
    assert!(p[1].starts_with("Opposition members"));
}

#[test]
fn reuters_indent_starts_a_paragraph() {
    let raw = "Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary and improving prospects.\n    The dry period means the temporao will be late this year.\n    Arrivals for the week ended February 22 were 155,221 bags\nof 60 kilos making a cumulative total for the season.\n";
    let p = paras(raw);
    assert_eq!(p.len(), 3, "{p:#?}");
    assert_eq!(
        p[1],
        "The dry period means the temporao will be late this year."
    );
}

#[test]
fn a_line_that_goes_on_with_an_open_sentence_joins_it_when_the_width_is_unknown() {
    // A table of figures with indented rows, and notes wrapped under it: too few long lines
    // to tell the wrap width, so each line is a paragraph unless it goes on with the one
    // before.
    let table = "Shr profit 12 cts vs loss four cts
    Net profit 310,000 vs loss 96,000
    Revs 8.4 mln vs 7.9 mln
    Year
    Shr profit 40 cts vs loss 22 cts
    Net profit 1,020,000 vs loss 560,000
    NOTE: Current year net includes a gain of 11 cts a share
from the sale of a warehouse in Tilbury.
    Prior year figures restated for a two-for-one stock
split paid in May.";
    let p = paras(table);
    assert_eq!(p.len(), 8, "{p:#?}");
    assert_eq!(p[0], "Shr profit 12 cts vs loss four cts");
    assert_eq!(p[3], "Year");
    assert_eq!(
        p[6],
        "NOTE: Current year net includes a gain of 11 cts a share from the sale of a warehouse in Tilbury."
    );
    assert_eq!(
        p[7],
        "Prior year figures restated for a two-for-one stock split paid in May."
    );
    // A short item whose dateline was taken off its first line.
    let item = "Marrow Ferries Ltd
said it will order two new vessels for the Kestrel crossing,
at a cost of about 40 mln crowns.
    It said the ships, which would carry up to
600 passengers, are due in service in 2029.";
    let p = paras(item);
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(
        p[0].starts_with("Marrow Ferries Ltd said it will order"),
        "{}",
        p[0]
    );
    assert!(
        p[1].ends_with("up to 600 passengers, are due in service in 2029."),
        "{}",
        p[1]
    );
    // A line that ends with a word no sentence ends with goes on, whatever the next starts
    // with; rows of a table do not take the next.
    let open = "The port authority said it would publish the tonnage figures on\nFriday.\n    No time was set.\n    Tonnage rose 4 pct in\nMarch after falling in February.";
    let p = paras(open);
    assert_eq!(p.len(), 3, "{p:#?}");
    assert!(p[0].ends_with("figures on Friday."), "{}", p[0]);
    assert!(
        p[2].ends_with("in March after falling in February."),
        "{}",
        p[2]
    );
    let rows = "Shr 1.20 dlrs vs 90 cts\n    Six mths\n    Year ended June 30 in\n    Net 4.1 mln vs 3.2 mln";
    assert_eq!(paras(rows).len(), 4, "{:#?}", paras(rows));
}

#[test]
fn first_word_alone_on_a_line_starts_a_paragraph() {
    let raw = "Kerry said the talks would go on through the night, officials said in a statement issued on Tuesday afternoon in the capital.\nKerry\nwill seek to prepare the ground for a third round of talks of world\npowers on Syria amid doubts over whether a meeting pencilled in for\nFriday in New York will go ahead and whether it would be useful.\nThe opposition was not invited to the meeting that took place on\nTuesday, officials said, an approach likely to anger Moscow again.\nAhead\nof the talks, the Russian Foreign Ministry issued a statement in the\nmorning that complained about the pace of the preparations for it.\n";
    let p = paras(raw);
    assert_eq!(p.len(), 4, "{p:#?}");
    assert!(p[1].starts_with("Kerry will seek"), "{}", p[1]);
    assert!(p[3].starts_with("Ahead of the talks"), "{}", p[3]);
}

#[test]
fn hyphen_at_line_end_joins_the_word() {
    let p = paras("The long-\nterm plan was agreed.");
    assert_eq!(p, vec!["The long-term plan was agreed."]);
}

#[test]
fn blank_line_paragraphs_stay_and_single_newline_paragraphs_split_when_unwrapped() {
    assert_eq!(paras("One.\n\nTwo words here.\n\nThree.").len(), 3);
    let unwrapped = "First paragraph is a long one that goes on and on without a hard wrap because it came from a JSON field.\nSecond one, shorter.\nThird paragraph is again quite long and it also runs on for a good while before it ends here now.\nFourth is short\n";
    assert_eq!(paras(unwrapped).len(), 4);
}

#[test]
fn builtin_boilerplate_is_removed_with_reasons() {
    let raw = "Body text that is the article itself and says something.\n\nThis story has been viewed 1965 times.\n\nComments will be moderated. Keep comments relevant.\n\nTOP top\n\nPost a Comment\n\nShare | Print | Email\n\n© 2026 Norda Wire. All rights reserved.\n\nFollow us on Twitter";
    let c = clean(raw, &KnownMeta::default());
    assert_eq!(
        c.paragraphs,
        vec!["Body text that is the article itself and says something."]
    );
    assert_eq!(
        reasons(&c),
        vec![
            RemovalReason::ViewCounter,
            RemovalReason::Comments,
            RemovalReason::Navigation,
            RemovalReason::Comments,
            RemovalReason::Share,
            RemovalReason::Copyright,
            RemovalReason::Share,
        ]
    );
}

#[test]
fn body_sentences_that_merely_start_like_boilerplate_stay() {
    let p = paras(
        "This story began in 1987 when the dam was built.\n\nShare prices fell 3 percent on the news, traders said.",
    );
    assert_eq!(p.len(), 2);
}

#[test]
fn teaser_copy_at_the_top_gives_way_to_the_body_copy() {
    let raw = "Kerry's meeting follows a meeting in Riyadh last week.\n\nThe lead paragraph of the story.\n\nA middle paragraph.\n\nKerry's meeting follows a meeting in Riyadh last week.\n\nThe end.";
    let c = clean(raw, &KnownMeta::default());
    assert_eq!(c.paragraphs[0], "The lead paragraph of the story.");
    assert_eq!(
        c.paragraphs[2],
        "Kerry's meeting follows a meeting in Riyadh last week."
    );
    assert_eq!(reasons(&c), vec![RemovalReason::DuplicateParagraph]);
    assert_eq!(c.removed[0].lines, Some((1, 1)));
}

#[test]
fn print_header_gives_date_headline_deck_dateline() {
    let raw = "Wed, Dec 16, 2015 - Page 7 News List\n\nKerry seeks Syria progress in Moscow\n\nDIVISIVE:The US needs to rethink its policy\n\nReuters, MOSCOW\n\nUS Secretary of State John Kerry said he wanted progress.\n\nSecond paragraph.";
    let c = clean(raw, &KnownMeta::default());
    assert_eq!(c.date.as_deref(), Some("2015-12-16"));
    assert_eq!(
        c.title.as_deref(),
        Some("Kerry seeks Syria progress in Moscow")
    );
    assert_eq!(
        c.deck.as_deref(),
        Some("DIVISIVE:The US needs to rethink its policy")
    );
    assert_eq!(c.dateline.as_deref(), Some("Reuters, MOSCOW"));
    assert_eq!(c.paragraphs.len(), 2);
    assert_eq!(
        reasons(&c),
        vec![
            RemovalReason::PageHeader,
            RemovalReason::Headline,
            RemovalReason::Deck,
            RemovalReason::Dateline
        ]
    );
}

#[test]
fn reuters_caps_headline_and_dateline_line() {
    let raw = "TREASURY'S BAKER PURSUING S. ASIAN REVALUATIONS\nWASHINGTON, March 31 -\nTreasury Secretary James Baker told\nthe House Appropriations Committee the United States is still\npressing newly industrialized nations.\n";
    let c = clean(raw, &KnownMeta::default());
    assert_eq!(
        c.title.as_deref(),
        Some("TREASURY'S BAKER PURSUING S. ASIAN REVALUATIONS")
    );
    assert_eq!(c.dateline.as_deref(), Some("WASHINGTON, March 31"));
    assert_eq!(c.paragraphs.len(), 1);
    assert!(c.paragraphs[0].starts_with("Treasury Secretary James Baker told the House"));
}

#[test]
fn inline_dateline_and_byline() {
    let c = clean(
        "By Anna Berg\n\nMOSCOW (Reuters) - Kerry arrived on Tuesday.",
        &KnownMeta::default(),
    );
    assert_eq!(c.byline.as_deref(), Some("By Anna Berg"));
    assert_eq!(c.dateline.as_deref(), Some("MOSCOW (Reuters)"));
    assert_eq!(c.paragraphs, vec!["Kerry arrived on Tuesday."]);
}

#[test]
fn a_body_opening_is_not_mistaken_for_a_headline() {
    // Wrapped first line, no blank after it: body text, not a headline.
    let p = paras(WRAPPED);
    assert!(p[0].starts_with("The council met"));
    let c = clean(WRAPPED, &KnownMeta::default());
    assert_eq!(c.title, None);
}

#[test]
fn known_title_repeated_in_the_body_is_removed() {
    let c = clean(
        "Ferry capsizes\n\nThe ferry capsized.",
        &KnownMeta {
            title: Some("Ferry capsizes"),
            dateline: None,
        },
    );
    assert_eq!(c.paragraphs, vec!["The ferry capsized."]);
    assert_eq!(reasons(&c), vec![RemovalReason::Headline]);
}

#[test]
fn curly_quotes_are_kept() {
    let p = paras("\u{201C}We will,\u{201D} she said.");
    assert_eq!(p, vec!["\u{201C}We will,\u{201D} she said."]);
}

#[test]
fn empty_and_whitespace_texts_give_no_paragraphs() {
    assert!(paras("").is_empty());
    assert!(paras("  \n\n \t\n").is_empty());
}

fn article(id: &str, source: &str, paragraphs: &[&str]) -> Article {
    Article {
        id: id.into(),
        source: source.into(),
        more: crate::corpus::ArticleMore {
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            ..crate::corpus::ArticleMore::default()
        }
        .boxed(),
        ..Article::default()
    }
}

#[test]
fn lines_recurring_across_a_source_are_learned_as_boilerplate() {
    let mut arts: Vec<Article> = (0..6)
        .map(|i| {
            article(
                &format!("a{i}"),
                "courier",
                &[
                    &format!(
                        "Story {} begins here.",
                        ["one", "two", "three", "four", "five", "six"][i]
                    ),
                    "Middle.",
                    "Read the Courier every day, since 1887.",
                ],
            )
        })
        .collect();
    arts.push(article(
        "other",
        "herald",
        &["Body.", "More.", "Read the Courier every day, since 1887."],
    ));
    let before: Vec<Article> = arts.clone();
    let learned = remove_source_boilerplate(&mut arts);
    // A reader of the text alone (an index build) keeps the same paragraphs.
    for (b, a) in before.iter().zip(&arts) {
        let stripped = learned.strip(
            source_boilerplate::hash_source(&b.source),
            b.paragraphs.clone(),
        );
        assert_eq!(stripped, a.paragraphs, "{}", a.id);
    }
    // "Middle." recurs too: both recurring edge lines go, the story's own line stays.
    assert_eq!(arts[0].paragraphs, vec!["Story one begins here."]);
    assert_eq!(arts[0].removed[0].reason, RemovalReason::SourceBoilerplate);
    // Another source keeps it.
    assert_eq!(arts[6].paragraphs.len(), 3);
}

#[test]
fn learned_boilerplate_never_empties_an_article() {
    let mut arts: Vec<Article> = (0..6)
        .map(|i| {
            article(
                &format!("a{i}"),
                "wire",
                &["Treasury balances rose 3.1 billion dlrs.", "Reuter"],
            )
        })
        .collect();
    let before: Vec<Article> = arts.clone();
    let learned = remove_source_boilerplate(&mut arts);
    assert!(arts.iter().all(|a| !a.paragraphs.is_empty()));
    for (b, a) in before.iter().zip(&arts) {
        let stripped = learned.strip(
            source_boilerplate::hash_source(&b.source),
            b.paragraphs.clone(),
        );
        assert_eq!(stripped, a.paragraphs);
    }
}

#[test]
fn counts_of_a_listing_match_the_full_articles_after_learned_boilerplate() {
    let make = |counts_only: bool| {
        let mut arts: Vec<Article> = (0..8)
            .map(|i| {
                let mut a = article(
                    &format!("a{i}"),
                    "courier",
                    &[
                        "Read the Courier every day.",
                        &format!("Story {i} begins here with words."),
                        &"more words here ".repeat(i + 1),
                        "Share this story on social media",
                        "Copyright 2026 The Courier, all rights kept.",
                    ][..if i % 3 == 0 { 2 } else { 5 }],
                );
                a.title = format!("Title {i}");
                a.edge_keys = Some(compute_edge_keys(&a.paragraphs));
                if counts_only {
                    a.counts = Some(body_counts(&a.paragraphs));
                    a.paragraphs = Vec::new();
                }
                a
            })
            .collect();
        let _ = remove_source_boilerplate(&mut arts);
        arts.iter()
            .map(|a| (a.word_count(), a.paragraph_count(), a.removed_count()))
            .collect::<Vec<_>>()
    };
    let full = make(false);
    assert_eq!(make(true), full);
    // Something was learned and removed, and a two-paragraph body kept its text.
    assert!(full.iter().any(|&(_, _, removed)| removed >= 2), "{full:?}");
    assert!(full.iter().all(|&(words, paras, _)| words > 0 && paras > 0));
}

#[test]
fn removed_lines_point_at_raw_lines() {
    let c = clean("Body line one.\n\nPost a Comment", &KnownMeta::default());
    assert_eq!(c.removed[0].lines, Some((3, 3)));
}
