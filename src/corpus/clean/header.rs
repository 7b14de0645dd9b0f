//! The header of an article: page header with its date, headline, deck or kicker, dateline
//! or agency line and byline, taken out of the body into their fields.

use super::*;

/// Scans the first lines for a page header, headline, deck, dateline and byline; returns the
/// index of the first body line.
pub(super) fn take_header(lines: &[&str], known: &KnownMeta<'_>, out: &mut Cleaned) -> usize {
    let is_blank = |i: usize| lines.get(i).is_none_or(|l| is_blank_line(l));
    let next_non_blank = |from: usize| (from..lines.len()).find(|&j| !is_blank(j));
    // The last line of the block (lines up to a blank one) starting at `i`.
    let block_end = |i: usize| {
        (i..lines.len())
            .take_while(|&j| !is_blank(j))
            .last()
            .unwrap_or(i)
    };
    let mut have_headline = known.title.is_some();
    let mut body_start = 0;
    let mut k = 0;
    let mut cursor = next_non_blank(0);
    while let Some(i) = cursor {
        if k >= 8 {
            break;
        }
        let line = lines[i].trim();
        let followed_by_blank = is_blank(i + 1);
        let next = next_non_blank(i + 1).map(|j| lines[j].trim());
        let next_is_meta = next.is_some_and(|n| is_dateline(n) || is_byline(n));
        let mut last = i;
        let reason = if k == 0 && is_page_header(line) {
            if let Some(d) = find_date(line) {
                out.date = Some(d);
            }
            RemovalReason::PageHeader
        } else if !have_headline
            && is_headline(line)
            && !is_byline(line)
            && !is_dateline(line)
            && (followed_by_blank || is_all_caps(line) || next_is_meta)
        {
            have_headline = true;
            out.title = Some(line.to_string());
            RemovalReason::Headline
        } else if known
            .title
            .is_some_and(|t| k == 0 && same_matching_form(t, line))
        {
            RemovalReason::Headline
        } else if have_headline
            && out.deck.is_none()
            && out.dateline.is_none()
            && (is_kicker(line)
                || (next_is_meta && followed_by_blank && line.chars().count() <= 400))
        {
            // A deck may be hard-wrapped: it runs to the next blank line.
            last = block_end(i);
            let text = lines[i..=last]
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ");
            out.deck = Some(text);
            RemovalReason::Deck
        } else if out.dateline.is_none() && known.dateline.is_none() && is_dateline(line) {
            out.dateline = Some(line.trim_end_matches(['-', '–', '—']).trim().to_string());
            RemovalReason::Dateline
        } else if known.dateline.is_some_and(|d| d.trim() == line) {
            RemovalReason::Dateline
        } else if out.byline.is_none() && is_byline(line) {
            out.byline = Some(line.to_string());
            RemovalReason::Byline
        } else {
            break;
        };
        let text = lines[i..=last]
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ");
        out.removed.push(RemovedLine {
            text,
            reason,
            lines: Some((i + 1, last + 1)),
        });
        body_start = last + 1;
        cursor = next_non_blank(last + 1);
        k += 1;
    }
    body_start
}

pub(super) fn find_date(line: &str) -> Option<String> {
    if let Some(d) = parse_date(line) {
        return Some(d.iso);
    }
    // "Wed, Dec 16, 2015 - Page 7": try the part before " - " or " | ".
    line.split([' ', '|'])
        .next()
        .and(line.split(" - ").next())
        .and_then(parse_date)
        .map(|d| d.iso)
}

pub(super) fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

pub(super) fn is_page_header(line: &str) -> bool {
    // The cheap tests first: most first lines are not headers, and parsing a date is not cheap.
    let words = word_count(line);
    line.len() <= 400
        && line.chars().count() <= 100
        && words <= 14
        && !line.ends_with('.')
        && (words <= 6
            || line.contains(" - ")
            || line.contains(" | ")
            || contains_ignore_ascii_case(line, "page"))
        && find_date(line).is_some()
}

/// Whether two lines have the same matching form (quotes, dashes, case and spacing unified):
/// their first letters and digits are compared before anything is hashed.
pub(super) fn same_matching_form(a: &str, b: &str) -> bool {
    fn lead(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .take(8)
            .map(|c| c.to_ascii_lowercase())
    }
    // Only ASCII letters and digits are the same in both forms; a line starting otherwise is
    // left to the hash.
    if a.is_ascii() && b.is_ascii() && !lead(a).eq(lead(b)) {
        return false;
    }
    matching_hash(a, false) == matching_hash(b, false)
}

/// Whether `haystack` contains `needle` (ASCII) in any letter case, without allocating.
pub(super) fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

pub(super) fn is_headline(line: &str) -> bool {
    let n = line.chars().count();
    (3..=160).contains(&n)
        && word_count(line) <= 22
        && !line.ends_with(['.', ',', ';', ':'])
        && line.chars().next().is_some_and(|c| {
            c.is_uppercase() || c.is_numeric() || c == '\'' || c == '"' || c == '‘' || c == '“'
        })
}

pub(super) fn is_all_caps(line: &str) -> bool {
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 3
        && line
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| !c.is_lowercase())
}

/// "DIVISIVE:The US needs…", "ANALYSIS: …".
pub(super) fn is_kicker(line: &str) -> bool {
    let Some((head, rest)) = line.split_once(':') else {
        return false;
    };
    let head = head.trim();
    !head.is_empty()
        && head.chars().count() <= 30
        && is_all_caps(head)
        && head
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '\'' || c == '-' || c == '&')
        && !rest.trim().is_empty()
}

/// "Reuters, MOSCOW", "WASHINGTON, March 31 -", "MOSCOW (Reuters) -", "Norda Wire, VALMERE".
pub(super) fn is_dateline(line: &str) -> bool {
    let n = line.chars().count();
    if !(3..=60).contains(&n) || line.ends_with('.') {
        return false;
    }
    let trimmed = line.trim_end_matches(['-', '–', '—', ' ']);
    if let Some((a, b)) = trimmed.split_once(',') {
        let (a, b) = (a.trim(), b.trim());
        // PLACE, Month Day
        if is_place(a) && is_month_day(b) {
            return true;
        }
        // Agency, PLACE
        if is_place(b) && word_count(a) <= 4 && a.chars().next().is_some_and(char::is_uppercase) {
            return true;
        }
        // PLACE, Country
        return false;
    }
    // "MOSCOW (Reuters)"
    if let Some((place, agency)) = trimmed.split_once('(') {
        return is_place(place.trim()) && agency.ends_with(')') && word_count(agency) <= 3;
    }
    false
}

pub(super) fn is_place(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= 30
        && word_count(s) <= 4
        && is_all_caps(s)
        && s.chars().all(|c| c.is_alphabetic() || " .'-/".contains(c))
}

pub(super) fn is_month_day(s: &str) -> bool {
    let mut words = s.split_whitespace();
    let (Some(m), Some(d), None) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    let m = m.trim_end_matches('.').to_ascii_lowercase();
    m.len() >= 3
        && crate::corpus::date::MONTHS.iter().any(|x| m.starts_with(x))
        && d.len() <= 2
        && d.bytes().all(|b| b.is_ascii_digit())
}

/// End (byte index) of an inline dateline at the start of a paragraph:
/// "MOSCOW (Reuters) - ", "WASHINGTON, March 31 - ", "VALMERE, March 3 (Norda Wire) — ".
pub(super) fn inline_dateline_end(p: &str) -> Option<usize> {
    let window: String = p.chars().take(70).collect();
    for dash in [" - ", " – ", " — ", " -- "] {
        if let Some(pos) = window.find(dash) {
            let head = &window[..pos];
            if is_dateline(head) || is_dateline(&format!("{head} -")) {
                return Some(pos + dash.len());
            }
        }
    }
    None
}

pub(super) fn is_byline(line: &str) -> bool {
    let Some(rest) = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("BY "))
    else {
        return false;
    };
    line.chars().count() <= 80
        && word_count(rest) <= 8
        && rest.chars().next().is_some_and(char::is_uppercase)
        && !rest.ends_with('.')
}
