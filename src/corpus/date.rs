//! Dates as news data writes them, parsed to ISO 8601: RFC 3339, "2015-12-16 10:00:00",
//! "Wed, Dec 16, 2015", "Wed, 16 Dec 2015 10:00:00 GMT", "26-FEB-1987 15:01:01.79",
//! "December 16, 2015", "16 December 2015". Unparseable dates are kept as written by the caller.

/// A parsed date: the ISO 8601 form and seconds since the Unix epoch (UTC; a date without a
/// time counts as midnight UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedDate {
    /// "2015-12-16", "2015-12-16T10:00:00", or with an offset "2015-12-16T10:00:00+01:00".
    pub iso: String,
    /// Seconds since 1970-01-01T00:00:00Z.
    pub timestamp: i64,
}

/// The weekdays' names in lower case, Monday first.
pub(crate) const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The months' names in lower case, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The months' three-letter abbreviations in lower case, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Parses `text` as a date; `None` when no supported form matches.
pub(crate) fn parse_date(text: &str) -> Option<ParsedDate> {
    let t = text.trim();
    if t.is_empty() || t.len() > 80 {
        return None;
    }
    parse_wire(t)
        .or_else(|| parse_iso(t))
        .or_else(|| parse_words(t))
}

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// The UTC date and time of `timestamp` seconds since the epoch; `None` outside the years
/// -9999 to 9999.
fn utc(timestamp: i64) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(timestamp).ok()
}

/// The calendar day (`YYYY-MM-DD`, UTC) of `timestamp` seconds since the epoch (the seconds
/// as written outside the years -9999 to 9999).
pub(crate) fn day_of(timestamp: i64) -> String {
    match utc(timestamp) {
        Some(t) => format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
        None => timestamp.to_string(),
    }
}

/// `timestamp` seconds since the epoch as ISO 8601 UTC, `YYYY-MM-DDTHH:MM:SSZ` (the seconds
/// as written outside the years -9999 to 9999).
pub fn iso_utc(timestamp: i64) -> String {
    match utc(timestamp) {
        Some(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        None => timestamp.to_string(),
    }
}

/// The wire form "26-FEB-1987 15:01:01.79" (the day may be one digit; the time and its
/// hundredths optional), read at fixed places: every record of a Reuters corpus has one.
fn parse_wire(t: &str) -> Option<ParsedDate> {
    let s = t.as_bytes();
    let day_len = match s.iter().position(|&b| b == b'-')? {
        n @ (1 | 2) => n,
        _ => return None,
    };
    let d = digits(s, 0, day_len)?;
    let mon = s.get(day_len + 1..day_len + 4)?;
    if s.get(day_len + 4) != Some(&b'-') {
        return None;
    }
    let mut lower = [0u8; 3];
    for (l, &b) in lower.iter_mut().zip(mon) {
        *l = b.to_ascii_lowercase();
    }
    let m = u32::try_from(MONTHS.iter().position(|x| x.as_bytes() == lower)?).ok()? + 1;
    let y = digits(s, day_len + 5, 4)?;
    let date = Ymd::new(i32::try_from(y).ok()?, m, d)?;
    let i = day_len + 9;
    if i == s.len() {
        return Some(date.finish(None, None));
    }
    if s[i] != b' ' {
        return None;
    }
    let (time, end) = clock(s, i + 1, b".")?;
    (end == s.len()).then(|| date.finish(Some(time), None))
}

/// A time "HH:MM", "HH:MM:SS" or "HH:MM:SS" then one of `fraction` and digits, at byte `at`;
/// the time and the byte just past it.
fn clock(s: &[u8], at: usize, fraction: &[u8]) -> Option<(Hms, usize)> {
    let h = digits(s, at, 2)?;
    if s.get(at + 2) != Some(&b':') {
        return None;
    }
    let min = digits(s, at + 3, 2)?;
    let mut i = at + 5;
    let mut sec = 0;
    if s.get(i) == Some(&b':') {
        sec = digits(s, i + 1, 2)?;
        i += 3;
        if s.get(i).is_some_and(|b| fraction.contains(b)) {
            i += 1;
            while s.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    }
    Some((Hms::new(h, min, sec)?, i))
}

fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = s.get(at..at + n)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
}

/// The compact forms "20151216" and "20151216T100500Z" (GDELT's `seendate`), read as the
/// dashed ones.
fn parse_compact(t: &str) -> Option<ParsedDate> {
    let s = t.as_bytes();
    if s.len() < 8 || !s[..8].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let date = format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..8]);
    if s.len() == 8 {
        return parse_iso(&date);
    }
    if s.len() < 15 || !matches!(s[8], b'T' | b't') || !s[9..15].iter().all(u8::is_ascii_digit) {
        return None;
    }
    parse_iso(&format!(
        "{date}T{}:{}:{}{}",
        &t[9..11],
        &t[11..13],
        &t[13..15],
        &t[15..]
    ))
}

/// "2015-12-16", "2015-12-16T10:00:00Z", "2015-12-16 10:00:00.123+01:00", "20151216".
fn parse_iso(t: &str) -> Option<ParsedDate> {
    let s = t.as_bytes();
    let (y, m, d, i) = if s.get(4) == Some(&b'-') {
        (digits(s, 0, 4)?, digits(s, 5, 2)?, digits(s, 8, 2)?, 10)
    } else {
        return parse_compact(t);
    };
    if s.get(7) != Some(&b'-') {
        return None;
    }
    let date = Ymd::new(i32::try_from(y).ok()?, m, d)?;
    if i == s.len() {
        return Some(date.finish(None, None));
    }
    if !matches!(s[i], b'T' | b't' | b' ') {
        return None;
    }
    let (time, i) = clock(s, i + 1, b".,")?;
    let rest = t[i..].trim();
    let offset = if rest.is_empty() {
        None
    } else {
        Some(parse_offset(rest)?)
    };
    Some(date.finish(Some(time), offset))
}

/// "Z", "UTC", "GMT", "+01:00", "+0100", "-05".
fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") || s.eq_ignore_ascii_case("gmt")
    {
        return Some(0);
    }
    let b = s.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let h = i32::try_from(digits(b, 1, 2)?).ok()?;
    let m = match b.len() {
        3 => 0,
        5 => i32::try_from(digits(b, 3, 2)?).ok()?,
        6 if b[3] == b':' => i32::try_from(digits(b, 4, 2)?).ok()?,
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// Forms with a month name: "Wed, Dec 16, 2015", "26-FEB-1987 15:01:01.79",
/// "December 16, 2015 10:05 GMT", "16 December 2015".
fn parse_words(t: &str) -> Option<ParsedDate> {
    let mut month = None;
    let mut year = None;
    let mut day = None;
    let mut time = None;
    let mut offset = None;
    for raw in t.split(|c: char| c.is_whitespace() || c == ',' || c == '/') {
        if raw.is_empty() {
            continue;
        }
        // A time "15:01:01.79" or "10:05".
        if raw.contains(':') && raw.as_bytes()[0].is_ascii_digit() {
            let mut parts = raw.split(':');
            let h: u32 = parts.next()?.parse().ok()?;
            let m: u32 = parts.next()?.get(..2)?.parse().ok()?;
            let s: u32 = match parts.next() {
                Some(p) => p.get(..2).and_then(|x| x.parse().ok()).unwrap_or(0),
                None => 0,
            };
            time = Some(Hms::new(h, m, s)?);
            continue;
        }
        if (raw.starts_with('+') || raw.starts_with('-'))
            && raw.len() >= 3
            && let Some(o) = parse_offset(raw)
        {
            offset = Some(o);
            continue;
        }
        if raw.eq_ignore_ascii_case("gmt") || raw.eq_ignore_ascii_case("utc") {
            offset = Some(0);
            continue;
        }
        if year.is_some() && month.is_some() && day.is_some() {
            // A full date is found; what follows ("- Page 7 News List") is not part of it.
            continue;
        }
        // "26-FEB-1987" style: split on '-'.
        for tok in raw.split('-').filter(|s| !s.is_empty()) {
            let tok = tok.trim_end_matches('.');
            if tok.bytes().all(|b| b.is_ascii_digit()) {
                let n: u32 = tok.parse().ok()?;
                if tok.len() == 4 && year.is_none() {
                    year = Some(i32::try_from(n).ok()?);
                } else if tok.len() <= 2 && day.is_none() && (1..=31).contains(&n) {
                    day = Some(n);
                } else {
                    return None;
                }
            } else if let Some(n) = ordinal_day(tok) {
                day.get_or_insert(n);
            } else if (3..=16).contains(&tok.len()) && month.is_none() {
                // Month names are short: lower-case on the stack, no allocation per word.
                let mut buf = [0u8; 16];
                let lower = &mut buf[..tok.len()];
                lower.copy_from_slice(tok.as_bytes());
                lower.make_ascii_lowercase();
                let Ok(lower) = std::str::from_utf8(lower) else {
                    continue;
                };
                if let Some(mi) = MONTHS.iter().position(|m| lower.starts_with(m))
                    && is_month_word(lower, mi)
                {
                    month = Some(u32::try_from(mi).ok()? + 1);
                }
                // Any other word is tolerated around the date ("Wed", "Page 7", "News").
            }
        }
    }
    let date = Ymd::new(year?, month?, day?)?;
    Some(date.finish(time, offset))
}

fn ordinal_day(tok: &str) -> Option<u32> {
    // "1st" … "31st": a digit first (most tokens are words: no allocation for them).
    if !tok.as_bytes().first().is_some_and(u8::is_ascii_digit) || tok.len() > 4 {
        return None;
    }
    let lower = tok.to_ascii_lowercase();
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(num) = lower.strip_suffix(suffix)
            && !num.is_empty()
            && num.len() <= 2
            && num.bytes().all(|b| b.is_ascii_digit())
        {
            return num.parse().ok().filter(|n| (1..=31).contains(n));
        }
    }
    None
}

fn is_month_word(lower: &str, index: usize) -> bool {
    lower.len() == 3 || MONTH_NAMES[index].starts_with(lower) || lower == "sept"
}

struct Ymd {
    y: i32,
    m: u32,
    d: u32,
    /// Days since 1970-01-01.
    days: i64,
}

struct Hms {
    h: u32,
    m: u32,
    s: u32,
}

impl Hms {
    fn new(h: u32, m: u32, s: u32) -> Option<Hms> {
        (h < 24 && m < 60 && s < 61).then_some(Hms { h, m, s })
    }
}

impl Ymd {
    fn new(y: i32, m: u32, d: u32) -> Option<Ymd> {
        if !(1000..=9999).contains(&y) {
            return None;
        }
        let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
        let date = time::Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()?;
        let days = i64::from(date.to_julian_day() - UNIX_EPOCH_JULIAN_DAY);
        Some(Ymd { y, m, d, days })
    }

    /// Days since 1970-01-01.
    fn days(&self) -> i64 {
        self.days
    }

    fn finish(self, time: Option<Hms>, offset_min: Option<i32>) -> ParsedDate {
        // Written digit by digit: this runs once per record of a big corpus.
        fn two(out: &mut String, n: u32) {
            out.push(char::from(b'0' + (n / 10 % 10) as u8));
            out.push(char::from(b'0' + (n % 10) as u8));
        }
        let base = self.days() * 86_400;
        let mut iso = String::with_capacity(25);
        if (0..=9999).contains(&self.y) {
            let y = self.y.unsigned_abs();
            two(&mut iso, y / 100);
            two(&mut iso, y % 100);
        } else {
            iso.push_str(&format!("{:04}", self.y));
        }
        iso.push('-');
        two(&mut iso, self.m);
        iso.push('-');
        two(&mut iso, self.d);
        let Some(t) = time else {
            return ParsedDate {
                iso,
                timestamp: base,
            };
        };
        iso.push('T');
        two(&mut iso, t.h);
        iso.push(':');
        two(&mut iso, t.m);
        iso.push(':');
        two(&mut iso, t.s);
        match offset_min {
            None => {}
            Some(0) => iso.push('Z'),
            Some(o) => {
                iso.push(if o < 0 { '-' } else { '+' });
                two(&mut iso, o.unsigned_abs() / 60);
                iso.push(':');
                two(&mut iso, o.unsigned_abs() % 60);
            }
        }
        let secs = i64::from(t.h * 3600 + t.m * 60 + t.s);
        let off = i64::from(offset_min.unwrap_or(0)) * 60;
        ParsedDate {
            iso,
            timestamp: base + secs - off,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.iso)
    }

    #[test]
    fn rfc3339_and_news_please_forms() {
        assert_eq!(iso("2015-12-16T10:05:00Z").unwrap(), "2015-12-16T10:05:00Z");
        assert_eq!(
            iso("2015-12-16T10:05:00+01:00").unwrap(),
            "2015-12-16T10:05:00+01:00"
        );
        assert_eq!(iso("2015-12-16 10:05:00").unwrap(), "2015-12-16T10:05:00");
        assert_eq!(iso("2015-12-16").unwrap(), "2015-12-16");
        assert_eq!(iso("20151216").unwrap(), "2015-12-16");
        assert_eq!(iso("20151216T100500Z").unwrap(), "2015-12-16T10:05:00Z");
        assert!(iso("20151216T10").is_none());
        assert_eq!(
            iso("2015-12-16T10:05:00.123456Z").unwrap(),
            "2015-12-16T10:05:00Z"
        );
    }

    #[test]
    fn month_name_forms() {
        assert_eq!(iso("Wed, Dec 16, 2015").unwrap(), "2015-12-16");
        assert_eq!(iso("December 16, 2015").unwrap(), "2015-12-16");
        assert_eq!(iso("16 December 2015").unwrap(), "2015-12-16");
        assert_eq!(iso("Sept. 30, 2015").unwrap(), "2015-09-30");
        assert_eq!(
            iso("Wed, 16 Dec 2015 10:05:00 GMT").unwrap(),
            "2015-12-16T10:05:00Z"
        );
        assert_eq!(
            iso("Wed, 16 Dec 2015 10:05:00 +0200").unwrap(),
            "2015-12-16T10:05:00+02:00"
        );
    }

    #[test]
    fn reuters_form() {
        assert_eq!(
            iso("26-FEB-1987 15:01:01.79").unwrap(),
            "1987-02-26T15:01:01"
        );
        // The fixed-place reader and the general one agree, and hand odd shapes on.
        for t in [
            "26-FEB-1987 15:01:01.79",
            "5-Mar-1987 09:12",
            "26-FEB-1987",
            "31-APR-1987 10:00:00.00",
            "26-FEB-1987 25:01:01.79",
            "26-FEB-1987 15:01:01.79 GMT",
            "26-FEBR-1987",
        ] {
            let general = parse_words(t).map(|d| d.iso);
            let wire = parse_wire(t).map(|d| d.iso);
            assert!(
                wire.is_none() || wire == general,
                "{t}: {wire:?} vs {general:?}"
            );
            assert_eq!(parse_date(t).map(|d| d.iso), general, "{t}");
        }
        assert!(parse_wire("26-FEB-1987 15:01:01.79").is_some());
        assert_eq!(
            iso(" 5-MAR-1987 09:12:00.00").unwrap(),
            "1987-03-05T09:12:00"
        );
    }

    #[test]
    fn page_header_gives_its_date() {
        assert_eq!(
            iso("Wed, Dec 16, 2015 - Page 7 News List").unwrap(),
            "2015-12-16"
        );
    }

    #[test]
    fn timestamps_are_utc_seconds() {
        assert_eq!(parse_date("1970-01-01").unwrap().timestamp, 0);
        assert_eq!(
            parse_date("1970-01-02T00:00:00+01:00").unwrap().timestamp,
            86_400 - 3600
        );
        assert_eq!(parse_date("2000-03-01").unwrap().timestamp, 951_868_800);
    }

    #[test]
    fn days_and_times_from_timestamps() {
        assert_eq!(day_of(0), "1970-01-01");
        assert_eq!(day_of(1_450_224_000), "2015-12-16");
        assert_eq!(day_of(951_782_400), "2000-02-29");
        assert_eq!(day_of(-86_400), "1969-12-31");
        assert_eq!(
            iso_utc(1_577_836_800 + 59 * 86_400 + 3661),
            "2020-02-29T01:01:01Z"
        );
        assert_eq!(iso_utc(-1), "1969-12-31T23:59:59Z");
        assert_eq!(day_of(i64::MAX), i64::MAX.to_string());
        for t in [-62_135_596_800, -1, 0, 86_399, 951_782_400, 253_402_300_799] {
            let back = parse_date(&iso_utc(t)).map(|p| p.timestamp);
            assert_eq!(back, (t >= -30_610_224_000).then_some(t), "{t}");
        }
    }

    #[test]
    fn nonsense_is_rejected() {
        for s in [
            "",
            "yesterday",
            "2015-13-01",
            "Feb 30, 2015",
            "12345",
            "Page 7",
            "32 Dec 2015",
        ] {
            assert_eq!(iso(s), None, "{s}");
        }
    }
}
