//! The words that mark the parts of database exports, in the interface languages the
//! databases offer (English, German, French by default). Exports change: every list can be
//! extended with `--keyword KIND=WORD`.

/// The marker words of Nexis and LexisNexis exports. Matching ignores case.
#[derive(Debug, Clone)]
pub struct ExportKeywords {
    /// A line alone that ends an article of a Nexis Uni export ("End of Document").
    pub end: Vec<String>,
    /// A line alone after the fields where the text starts ("Body").
    pub body: Vec<String>,
    /// A line alone after the text that starts the trailing furniture ("Classification",
    /// "Graphic", "Correction", "Notes").
    pub trailer: Vec<String>,
    /// Field names whose value is the headline (old exports: `HEADLINE:`).
    pub title: Vec<String>,
    /// Field names whose value is the byline.
    pub byline: Vec<String>,
    /// Field names whose value is the dateline.
    pub dateline: Vec<String>,
    /// Field names whose value is a highlight or summary (the deck).
    pub highlight: Vec<String>,
    /// Field names of the section (kept out of the text).
    pub section: Vec<String>,
    /// Field names of the length in words.
    pub length: Vec<String>,
    /// Field names that start the furniture after the text of an old export (`LOAD-DATE:`,
    /// `LANGUAGE:` …) or close a Nexis Uni article (`Load-Date:`).
    pub after_text: Vec<String>,
    /// Field names of a story's version (Nexis keeps versions of live stories): kept in the id.
    pub version: Vec<String>,
    /// The word of "N of M DOCUMENTS" lines ("DOCUMENTS", "Dokument", "Document").
    pub documents: Vec<String>,
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for ExportKeywords {
    fn default() -> Self {
        ExportKeywords {
            end: words(&["End of Document", "Ende des Dokuments", "Fin du document"]),
            body: words(&["Body", "Text", "Texte", "Corps", "Corps du texte"]),
            trailer: words(&[
                "Classification",
                "Graphic",
                "Correction",
                "Notes",
                "Klassifikation",
                "Klassifizierung",
                "Grafik",
                "Korrektur",
                "Anmerkungen",
                "Classement",
                "Graphique",
                "Rectificatif",
                "Remarques",
            ]),
            title: words(&["HEADLINE", "TITEL", "TITRE", "Schlagzeile"]),
            byline: words(&["Byline", "Autor", "Auteur", "Verfasser"]),
            dateline: words(&["Dateline", "Ortszeile", "Ort", "Lieu"]),
            highlight: words(&["Highlight", "Hervorhebung", "Faits saillants", "Abstract"]),
            section: words(&["Section", "Rubrik", "Rubrique", "Ressort"]),
            length: words(&["Length", "Länge", "Longueur"]),
            after_text: words(&[
                "Load-Date",
                "Ladedatum",
                "Date de chargement",
                "Date-Chargement",
                "Language",
                "Sprache",
                "Langue",
                "Update",
                "Graphic",
                "Grafik",
                "Publication-Type",
                "Publikationstyp",
                "Journal-Code",
                "Document-Type",
                "Correction-Date",
                "Notes",
                "Subject",
                "Organization",
                "Geographic",
                "Person",
                "Company",
                "Ticker",
                "Industry",
                "Country",
                "City",
                "State",
                "URL",
            ]),
            version: words(&["Version"]),
            documents: words(&[
                "DOCUMENTS",
                "DOKUMENTE",
                "DOKUMENTEN",
                "Dokument",
                "Document",
            ]),
        }
    }
}

impl ExportKeywords {
    /// The kinds `--keyword KIND=WORD` takes.
    pub(crate) const KINDS: [&'static str; 12] = [
        "end",
        "body",
        "trailer",
        "title",
        "byline",
        "dateline",
        "highlight",
        "section",
        "length",
        "after_text",
        "version",
        "documents",
    ];

    /// Adds `word` to the list of `kind`.
    pub(crate) fn add(&mut self, kind: &str, word: &str) -> Result<(), String> {
        let word = word.trim();
        if word.is_empty() {
            return Err("empty keyword".into());
        }
        let list = match kind {
            "end" => &mut self.end,
            "body" => &mut self.body,
            "trailer" => &mut self.trailer,
            "title" => &mut self.title,
            "byline" => &mut self.byline,
            "dateline" => &mut self.dateline,
            "highlight" => &mut self.highlight,
            "section" => &mut self.section,
            "length" => &mut self.length,
            "after_text" => &mut self.after_text,
            "version" => &mut self.version,
            "documents" => &mut self.documents,
            _ => {
                return Err(format!(
                    "unknown keyword kind {kind:?}; expected one of {}",
                    Self::KINDS.join(", ")
                ));
            }
        };
        list.push(word.to_string());
        Ok(())
    }

    /// Whether `line`, trimmed, is one of `list` (ignoring case).
    pub(crate) fn is(list: &[String], line: &str) -> bool {
        let t = line.trim();
        !t.is_empty()
            && t.len() <= 64
            && list
                .iter()
                .any(|w| w.eq_ignore_ascii_case(t) || caseless_eq(w, t))
    }

    /// Whether `name` (a field name) is one of `list`, ignoring case and `-`/space differences.
    pub(crate) fn names(list: &[String], name: &str) -> bool {
        let norm = |s: &str| -> String {
            s.chars()
                .filter(|c| !matches!(c, '-' | ' ' | '_'))
                .flat_map(char::to_lowercase)
                .collect()
        };
        let n = norm(name);
        !n.is_empty() && list.iter().any(|w| norm(w) == n)
    }
}

fn caseless_eq(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_match_and_extend() {
        let mut k = ExportKeywords::default();
        assert!(ExportKeywords::is(&k.end, "  end of document "));
        assert!(ExportKeywords::names(&k.length, "LÄNGE"));
        assert!(ExportKeywords::names(&k.after_text, "LOAD-DATE"));
        assert!(!ExportKeywords::is(&k.end, "Fin"));
        k.add("end", "Fin").unwrap();
        assert!(ExportKeywords::is(&k.end, "Fin"));
        assert!(k.add("ending", "x").unwrap_err().contains("after_text"));
    }
}
