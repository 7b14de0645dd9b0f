//! Saved web pages: the main text and metadata, extracted with rs-trafilatura.

/// What a saved page yields.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExtractedPage {
    /// The main text, one paragraph per blank-line-separated block.
    pub text: String,
    /// The page's headline.
    pub title: Option<String>,
    /// Publication date as found.
    pub date: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Site name or host.
    pub source: Option<String>,
    /// Description (the deck).
    pub description: Option<String>,
}

/// Extracts the main text and metadata of a page. A failure of the extractor (an error, or a
/// panic inside it) becomes an error message, never a crash.
pub(crate) fn extract(html: &str) -> Result<ExtractedPage, String> {
    let caught = super::quiet_panic::catch(|| rs_trafilatura::extract(html));
    let result = caught
        .map_err(|_| "HTML extraction failed (extractor crashed on this page)".to_string())?
        .map_err(|e| format!("HTML extraction failed: {e}"))?;
    let text = result
        .content_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    if text.is_empty() && result.metadata.title.is_none() {
        return Err("no article text found in the page".into());
    }
    let m = result.metadata;
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(ExtractedPage {
        text,
        title: nonempty(m.title),
        date: m.date.map(|d| d.to_rfc3339()),
        author: nonempty(m.author),
        url: nonempty(m.url),
        source: nonempty(m.sitename).or(nonempty(m.hostname)),
        description: nonempty(m.description),
    })
}
