//! HTML as lines of text, for exports saved as web pages: every block element (`p`, `div`,
//! `tr`, headings, list items) is a paragraph followed by a blank line, `br` a line break;
//! scripts, styles and comments are left out. Parsed with html5ever (through dom_query), so
//! any page, however broken, gives some lines.

use dom_query::NodeRef;

/// Whether an element of this name starts and ends a block of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "tr"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "blockquote"
            | "pre"
            | "hr"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "center"
            | "dd"
            | "dt"
            | "title"
            | "body"
    )
}

/// Collects the text of a node tree as lines.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    lines: Vec<String>,
    line: String,
}

impl Lines {
    /// Ends the current line (if it has text).
    pub(crate) fn break_line(&mut self) {
        let t = self.line.trim();
        if !t.is_empty() {
            self.lines.push(t.to_string());
        }
        self.line.clear();
    }

    /// Ends the current block: the line, then one blank line.
    pub(crate) fn break_block(&mut self) {
        self.break_line();
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// Adds text, HTML whitespace collapsed to single spaces.
    pub(crate) fn text(&mut self, t: &str) {
        for (i, piece) in t.split(|c: char| c.is_ascii_whitespace()).enumerate() {
            if i > 0 && !self.line.ends_with(' ') {
                self.line.push(' ');
            }
            self.line.push_str(piece);
        }
    }

    /// Walks `node` and everything under it (depth-first, without recursion: a deeply nested
    /// page cannot overflow the stack).
    pub(crate) fn walk(&mut self, node: &NodeRef<'_>) {
        enum Step<'a> {
            Enter(NodeRef<'a>),
            Leave(bool),
        }
        let mut stack = vec![Step::Enter(*node)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Leave(block) => {
                    if block {
                        self.break_block();
                    }
                }
                Step::Enter(n) => {
                    if n.is_text() {
                        self.text(&n.text());
                        continue;
                    }
                    if !(n.is_element() || n.is_document() || n.is_fragment()) {
                        continue;
                    }
                    let name = n
                        .node_name()
                        .map(|s| s.to_ascii_lowercase())
                        .unwrap_or_default();
                    match name.as_str() {
                        "script" | "style" | "noscript" | "template" | "head" => continue,
                        "br" => {
                            self.break_line();
                            continue;
                        }
                        "td" | "th" => self.text(" "),
                        _ => {}
                    }
                    let block = is_block(&name);
                    if block {
                        self.break_block();
                    }
                    stack.push(Step::Leave(block));
                    for child in n.children_it(true) {
                        stack.push(Step::Enter(child));
                    }
                }
            }
        }
    }

    /// The lines collected.
    pub(crate) fn finish(mut self) -> Vec<String> {
        self.break_line();
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        self.lines
    }
}

/// The text of an HTML page as lines, blocks separated by blank lines.
pub(crate) fn html_lines(html: &str) -> Vec<String> {
    let doc = dom_query::Document::from(html);
    let mut lines = Lines::default();
    lines.walk(&doc.root());
    lines.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_breaks_and_hidden_parts() {
        let html = "<html><head><style>.a{}</style><title>T</title></head><body>\
            <!-- c --><div class=c0><p>1 of 2 DOCUMENTS</p></div>\
            <div><p><span>LENGTH: </span><span>239&nbsp;words</span></p></div>\
            <div><p>Copyright 2013 AFP<br>All   Rights\nReserved</p></div>\
            <script>var x = '<p>no</p>';</script></body></html>";
        assert_eq!(
            html_lines(html),
            [
                "1 of 2 DOCUMENTS",
                "",
                "LENGTH: 239\u{a0}words",
                "",
                "Copyright 2013 AFP",
                "All Rights Reserved"
            ]
        );
    }
}
