//! How text is cut into searchable words: one analyzer for the index, the query and the
//! diff view's search, so that all three agree on what a word is.
//!
//! Words are runs of letters and digits (any script); they are lower-cased and folded to ASCII
//! where a folding exists (`é` → `e`, `ß` → `ss`, `Œ` → `oe`), so a search ignores case and
//! accents. Words over [`MAX_WORD_BYTES`] are dropped (base64 blobs, URLs run together).

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenStream,
};

/// The name the analyzer is registered under in an index.
pub const ANALYZER_NAME: &str = "stet_words";

/// Longest word indexed, in bytes.
pub const MAX_WORD_BYTES: usize = 64;

/// The analyzer of every text field.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// One word of a text: its searchable form and where it stands (a byte range of the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The folded, lower-case form.
    pub text: String,
    /// Start byte in the text.
    pub start: usize,
    /// End byte in the text.
    pub end: usize,
}

/// The words of `text`, in order.
pub fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push(Word {
            text: t.text.clone(),
            start: t.offset_from,
            end: t.offset_to,
        });
    }
    out
}

/// The folded forms of the words of `text`.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    words(analyzer, text).into_iter().map(|w| w.text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents_in_any_script() {
        let mut a = analyzer();
        assert_eq!(
            terms(&mut a, "Die Straße in MÜNCHEN"),
            ["die", "strasse", "in", "munchen"]
        );
        assert_eq!(
            terms(&mut a, "L'économie française, cœur"),
            ["l", "economie", "francaise", "coeur"]
        );
        assert_eq!(terms(&mut a, "東京 Москва"), ["東京", "москва"]);
        let w = words(&mut a, "a Éclair");
        assert_eq!((w[1].start, w[1].end), (2, 9));
        assert!(terms(&mut a, &"x".repeat(100)).is_empty());
    }
}
