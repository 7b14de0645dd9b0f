//! Named styles of the interface, as plain data (no terminal types): the UI turns them into
//! terminal styles. Every highlight carries a modifier too, so the monochrome theme (NO_COLOR)
//! stays readable.

use std::collections::BTreeMap;

/// A colour as written in `config.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ThemeColor {
    /// The terminal's default.
    Reset,
    /// One of the 16 named ANSI colours, 0..=15 (black, red, … , white).
    Ansi(u8),
    /// An entry of the 256-colour palette.
    Indexed(u8),
    /// A true colour.
    Rgb(u8, u8, u8),
}

/// The 16 ANSI colour names, in palette order.
pub(crate) const ANSI_NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
];

impl ThemeColor {
    /// Parses `red`, `lightblue`, `#rrggbb`, `reset` or a palette index `0`..`255`.
    pub(crate) fn parse(s: &str) -> Result<ThemeColor, String> {
        let t = s.trim().to_ascii_lowercase();
        if t == "reset" || t == "default" {
            return Ok(ThemeColor::Reset);
        }
        if let Some((_, i)) = ANSI_NAMES
            .iter()
            .zip(0u8..)
            .find(|&(&n, _)| n == t || n.replace("gray", "grey") == t)
        {
            return Ok(ThemeColor::Ansi(i));
        }
        if let Some(hex) = t.strip_prefix('#')
            && hex.len() == 6
            && let Ok(v) = u32::from_str_radix(hex, 16)
        {
            let [_, r, g, b] = v.to_be_bytes();
            return Ok(ThemeColor::Rgb(r, g, b));
        }
        if let Ok(i) = t.parse::<u8>() {
            return Ok(ThemeColor::Indexed(i));
        }
        Err(format!(
            "a colour name ({}), \"#rrggbb\" or 0-255, found {s:?}",
            ANSI_NAMES.join(", ")
        ))
    }
}

/// Text attributes that stay visible without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Modifiers {
    /// Bold.
    pub bold: bool,
    /// Dim.
    pub dim: bool,
    /// Italic.
    pub italic: bool,
    /// Underlined.
    pub underline: bool,
    /// Reversed video.
    pub reversed: bool,
    /// Crossed out.
    pub crossed_out: bool,
}

impl Modifiers {
    /// The modifier names accepted in `config.toml`.
    pub(crate) const NAMES: [&'static str; 6] = [
        "bold",
        "dim",
        "italic",
        "underline",
        "reversed",
        "crossed_out",
    ];

    /// Turns on the modifier called `name`.
    pub(crate) fn set(&mut self, name: &str) -> Result<(), String> {
        match name {
            "bold" => self.bold = true,
            "dim" => self.dim = true,
            "italic" => self.italic = true,
            "underline" | "underlined" => self.underline = true,
            "reversed" | "reverse" => self.reversed = true,
            "crossed_out" => self.crossed_out = true,
            _ => {
                return Err(format!(
                    "one of {}, found {name:?}",
                    Modifiers::NAMES.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// One named style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ThemeStyle {
    /// Foreground colour.
    pub fg: Option<ThemeColor>,
    /// Background colour.
    pub bg: Option<ThemeColor>,
    /// Attributes.
    pub modifiers: Modifiers,
}

/// Every style the interface uses, by name (`list.selected`, `reader.match` …).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Theme {
    styles: BTreeMap<String, ThemeStyle>,
}

/// The style names the interface uses; `config.toml` may set any of them.
pub(crate) const STYLE_NAMES: &[&str] = &[
    "border",
    "border.focused",
    "title",
    "title.focused",
    "list.selected",
    "list.selected.inactive",
    "list.unread",
    "list.read",
    "list.meta",
    "list.match",
    "reader.title",
    "reader.meta",
    "reader.deck",
    "reader.url",
    "reader.body",
    "reader.rule",
    "reader.removed",
    "reader.match",
    "reader.match.current",
    "status.bar",
    "status.key",
    "status.info",
    "status.error",
    "status.input",
    "popup",
    "popup.heading",
    "popup.key",
    "popup.selected",
    "gauge",
    "scrollbar",
    "reader.cursor",
    "reader.selection",
    "diff.header",
    "diff.same",
    "diff.delete",
    "diff.insert",
    "diff.minor",
    "diff.removed",
    "diff.added",
    "diff.note",
    "diff.moved",
    "diff.gutter",
    "diff.cursor",
    "collate.same",
    "collate.changed",
    "collate.absent",
    "collate.moved",
    "collate.insert",
    "collate.delete",
    "collate.selected",
    "collate.reuse",
    "collate.timeline",
];

impl Theme {
    /// Sets the style called `name`.
    pub(crate) fn set(&mut self, name: &str, style: ThemeStyle) {
        self.styles.insert(name.to_string(), style);
    }

    /// The style called `name` (plain when unset).
    pub(crate) fn get(&self, name: &str) -> ThemeStyle {
        self.styles.get(name).copied().unwrap_or_default()
    }

    /// The same theme without any colour: only the modifiers remain (for NO_COLOR).
    pub fn monochrome(&self) -> Theme {
        Theme {
            styles: self
                .styles
                .iter()
                .map(|(k, s)| {
                    (
                        k.clone(),
                        ThemeStyle {
                            fg: None,
                            bg: None,
                            modifiers: s.modifiers,
                        },
                    )
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_colours() {
        assert_eq!(ThemeColor::parse("red"), Ok(ThemeColor::Ansi(1)));
        assert_eq!(ThemeColor::parse("LightBlue"), Ok(ThemeColor::Ansi(12)));
        assert_eq!(ThemeColor::parse("grey"), Ok(ThemeColor::Ansi(7)));
        assert_eq!(
            ThemeColor::parse("#ff8000"),
            Ok(ThemeColor::Rgb(255, 128, 0))
        );
        assert_eq!(ThemeColor::parse("236"), Ok(ThemeColor::Indexed(236)));
        assert!(ThemeColor::parse("purpleish").is_err());
    }

    #[test]
    fn monochrome_keeps_modifiers_only() {
        let mut t = Theme::default();
        let mut m = Modifiers::default();
        m.set("reversed").unwrap();
        t.set(
            "list.selected",
            ThemeStyle {
                fg: Some(ThemeColor::Ansi(0)),
                bg: Some(ThemeColor::Ansi(6)),
                modifiers: m,
            },
        );
        let mono = t.monochrome().get("list.selected");
        assert_eq!(mono.fg, None);
        assert_eq!(mono.bg, None);
        assert!(mono.modifiers.reversed);
    }
}
