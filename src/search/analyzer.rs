//! How text is cut into searchable words: one analyzer for the index, the query and the
//! diff view's search, so that all three agree on what a word is.
//!
//! Words are runs of letters and digits (any script); they are lower-cased and folded to ASCII
//! where a folding exists (`é` → `e`, `ß` → `ss`, `Œ` → `oe`), so a search ignores case and
//! accents. Words over [`MAX_WORD_BYTES`] are dropped (base64 blobs, URLs run together).

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// The name the analyzer is registered under in an index.
pub(crate) const ANALYZER_NAME: &str = "stet_words";

/// Longest word indexed, in bytes.
pub(crate) const MAX_WORD_BYTES: usize = 64;

/// The analyzer of every text field.
pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::from(WordTokenizer::default())
}

/// Cuts a text into words (runs of letters and digits), lower-cased and folded, in one pass:
/// the words tantivy's `SimpleTokenizer`, `RemoveLongFilter`, `LowerCaser` and
/// `AsciiFoldingFilter` would give, with their positions (a word too long still takes a
/// position), but an ASCII word (most words of most corpora) is copied once, lower-cased as
/// it is copied, instead of being copied and checked by each stage. A word with other letters
/// goes through tantivy's own lower-caser and folder, so both agree on it.
#[derive(Clone)]
pub(crate) struct WordTokenizer {
    token: Token,
    /// Lower-cases and folds one non-ASCII word (the whole word is one token).
    fold: TextAnalyzer,
}

impl Default for WordTokenizer {
    fn default() -> WordTokenizer {
        WordTokenizer {
            token: Token::default(),
            fold: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
        }
    }
}

/// The words of one text, as [`WordTokenizer`] cuts them.
pub(crate) struct WordStream<'a> {
    text: &'a str,
    /// Where the scan goes on, in bytes.
    at: usize,
    token: &'a mut Token,
    fold: &'a mut TextAnalyzer,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        self.token.position = usize::MAX;
        WordStream {
            text,
            at: 0,
            token: &mut self.token,
            fold: &mut self.fold,
        }
    }
}

/// What a byte is to the word scan: an ASCII lower-case letter or digit, an ASCII capital,
/// another ASCII character (a separator), or part of a longer character (decoded to decide).
const SEPARATOR: u8 = 0;
const ASCII_WORD: u8 = 1;
const ASCII_UPPER: u8 = 2;
const OTHER: u8 = 3;
const BYTE_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b: u8 = 0;
    while b < 128 {
        t[b as usize] = if b.is_ascii_uppercase() {
            ASCII_UPPER
        } else if b.is_ascii_alphanumeric() {
            ASCII_WORD
        } else {
            SEPARATOR
        };
        b += 1;
    }
    t
};

/// Whether the character that starts at byte `at` of `text` (a char boundary, not ASCII) is
/// a letter or a digit, and its length in bytes.
#[inline(never)]
fn other_char(text: &str, at: usize) -> (bool, usize) {
    match text.get(at..).and_then(|t| t.chars().next()) {
        Some(c) => (c.is_alphanumeric(), c.len_utf8()),
        None => (false, 1),
    }
}

impl WordStream<'_> {
    /// The next word's byte range, whether it is all ASCII and whether it holds an ASCII
    /// capital.
    #[inline]
    fn next_word(&mut self) -> Option<(usize, usize, bool, bool)> {
        let bytes = self.text.as_bytes();
        let mut at = self.at;
        // Skip to the next letter or digit.
        let start = loop {
            let &b = bytes.get(at)?;
            match BYTE_CLASS[usize::from(b)] {
                SEPARATOR => at += 1,
                ASCII_WORD | ASCII_UPPER => break at,
                _ => match other_char(self.text, at) {
                    (true, _) => break at,
                    (false, n) => at += n,
                },
            }
        };
        let mut ascii = true;
        let mut upper = false;
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            match BYTE_CLASS[usize::from(b)] {
                ASCII_WORD => end += 1,
                ASCII_UPPER => {
                    upper = true;
                    end += 1;
                }
                SEPARATOR => break,
                _ => match other_char(self.text, end) {
                    (true, n) => {
                        ascii = false;
                        end += n;
                    }
                    (false, _) => break,
                },
            }
        }
        self.at = end;
        Some((start, end, ascii, upper))
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((start, end, ascii, upper)) = self.next_word() {
            // Every word takes a position, even one too long to keep.
            self.token.position = self.token.position.wrapping_add(1);
            if end - start >= MAX_WORD_BYTES {
                continue;
            }
            let word = &self.text[start..end];
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.text.clear();
            if ascii {
                self.token.text.push_str(word);
                // Most words have no capital: nothing to lower.
                if upper {
                    self.token.text.make_ascii_lowercase();
                }
            } else {
                let mut folded = self.fold.token_stream(word);
                if folded.advance() {
                    self.token.text.push_str(&folded.token().text);
                }
            }
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// One word of a text: its searchable form and where it stands (a byte range of the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// The folded, lower-case form.
    pub text: String,
    /// Start byte in the text.
    pub start: usize,
    /// End byte in the text.
    pub end: usize,
}

/// The words of `text`, in order.
pub(crate) fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Word> {
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
pub(crate) fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
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

    /// The chain of tantivy filters the one-pass tokenizer stands for.
    fn filter_chain() -> TextAnalyzer {
        use tantivy::tokenizer::{RemoveLongFilter, SimpleTokenizer};
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build()
    }

    fn tokens(a: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut s = a.token_stream(text);
        while s.advance() {
            let t = s.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    #[test]
    fn one_pass_gives_the_words_of_the_filter_chain() {
        let long = "x".repeat(MAX_WORD_BYTES);
        let just = "y".repeat(MAX_WORD_BYTES - 1);
        let long_accent = format!("{}é", "z".repeat(MAX_WORD_BYTES - 2));
        let texts = [
            String::new(),
            "   ,,, ".into(),
            "Hello, World! U.S. Jean-Pierre's 3.5% rise".into(),
            "Die Straße in MÜNCHEN; L'économie française, cœur ÆON ǅ İstanbul".into(),
            "東京 Москва ΣΊΣΥΦΟΣ ﬁnance Ⅻ ½ ١٢٣ x\u{301}y e\u{301}".into(),
            format!("before {long} after {just} {long_accent} end"),
            "tab\there\nnew\u{a0}nbsp\u{200b}zw\u{1f600}emoji".into(),
            "ÀÉÎÕÜ àéîõü ÇçÑñ ẞ ß Ǆ ǆ ĳ Ĳ".into(),
        ];
        let mut one = analyzer();
        let mut chain = filter_chain();
        for t in &texts {
            assert_eq!(tokens(&mut one, t), tokens(&mut chain, t), "{t:?}");
        }
        // Every character of the first planes, each alone and between letters.
        let mut all = String::new();
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            all.push(c);
            all.push('a');
            all.push(c);
            all.push(' ');
        }
        assert_eq!(tokens(&mut one, &all), tokens(&mut chain, &all));
        let sample = crate::corpus::sample::load_sample(&Default::default());
        for a in &sample.articles {
            let text = a.paragraphs.join("\n\n");
            assert_eq!(tokens(&mut one, &text), tokens(&mut chain, &text));
            assert_eq!(tokens(&mut one, &a.title), tokens(&mut chain, &a.title));
        }
    }
}
