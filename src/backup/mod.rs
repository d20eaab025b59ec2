//! Backups a person keeps outside the computer: the printable recovery sheet
//! (PDF) and the QR codes that move accounts to a phone.
//!
//! Why krilla for the PDF: it is maintained (it is Typst's PDF backend), embeds
//! subsets of TrueType/OpenType/CFF fonts with ToUnicode maps — so Japanese
//! names are real, searchable, copyable text — and draws vector paths for the
//! QR modules. printpdf pulls in an HTML layout engine for text layout, and
//! pdf-writer alone would leave font subsetting and CMaps to us.
//!
//! This module uses `otp` only; fonts come from the system through `text`.

pub mod qr;
pub mod sheet;
pub mod text;

pub use sheet::{Paper, SheetAccount, render_sheet};

/// The calendar date of a Unix time where the user is (the system's time
/// zone: a sheet printed at 08:00 in Tokyo bears that day, not yesterday's UTC
/// date), as the current language writes it: `2026-05-02` in English,
/// `2026年5月2日` in Japanese.
pub fn date(unix: u64) -> String {
    format_date(&crate::t!("sheet-date-format"), local_civil(unix))
}

/// [`date`] in `lang`, for tests that know which language the sheet is in.
pub fn date_in(lang: crate::i18n::Lang, unix: u64) -> String {
    let pattern = crate::i18n::format_in(lang, "sheet-date-format", &[])
        .unwrap_or_else(|| "%Y-%m-%d".to_string());
    format_date(&pattern, local_civil(unix))
}

/// Year, month (1–12) and day (1–31) of a Unix time in the local time zone
/// (UTC when the zone cannot be read).
fn local_civil(unix: u64) -> (i32, u32, u32) {
    use chrono::{Datelike, TimeZone};
    let secs = i64::try_from(unix).unwrap_or(i64::MAX);
    match chrono::Local.timestamp_opt(secs, 0).single() {
        Some(t) => (t.year(), t.month(), t.day()),
        None => utc_civil(unix),
    }
}

fn utc_civil(unix: u64) -> (i32, u32, u32) {
    use chrono::Datelike;
    let secs = i64::try_from(unix).unwrap_or(i64::MAX);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| (t.year(), t.month(), t.day()))
        .unwrap_or((1970, 1, 1))
}

/// Fills a date pattern from the message files. The pattern is the language's
/// to choose, in the strftime subset GNOME's translators know: `%Y` the year,
/// `%m`/`%d` the month/day with a leading zero, `%-m`/`%-d` without one, `%%`
/// a percent sign; anything else is copied as written.
fn format_date(pattern: &str, (year, month, day): (i32, u32, u32)) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let unpadded = chars.next_if_eq(&'-').is_some();
        match (chars.next(), unpadded) {
            (Some('Y'), _) => out.push_str(&format!("{year:04}")),
            (Some('m'), false) => out.push_str(&format!("{month:02}")),
            (Some('d'), false) => out.push_str(&format!("{day:02}")),
            (Some('m'), true) => out.push_str(&month.to_string()),
            (Some('d'), true) => out.push_str(&day.to_string()),
            (Some('%'), false) => out.push('%'),
            (other, _) => {
                out.push('%');
                if unpadded {
                    out.push('-');
                }
                out.extend(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::i18n::Lang;

    use super::{format_date, utc_civil};

    fn in_lang(lang: Lang, unix: u64) -> String {
        let pattern = crate::i18n::format_in(lang, "sheet-date-format", &[]).unwrap();
        format_date(&pattern, utc_civil(unix))
    }

    #[test]
    fn dates_are_calendar_dates() {
        let date = |unix| in_lang(Lang::En, unix);
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(1_700_000_000), "2023-11-14");
        assert_eq!(date(4_102_444_799), "2099-12-31");
    }

    #[test]
    fn japanese_dates_are_written_with_year_month_day() {
        let date = |unix| in_lang(Lang::Ja, unix);
        assert_eq!(date(1_796_169_600), "2026年12月2日");
        assert_eq!(date(951_782_400), "2000年2月29日");
        assert_eq!(date(0), "1970年1月1日");
    }

    #[test]
    fn date_patterns_copy_what_they_do_not_know() {
        assert_eq!(format_date("%d.%m.%Y", (1970, 1, 1)), "01.01.1970");
        assert_eq!(
            format_date("%-d/%-m %% %q %-x", (1970, 1, 1)),
            "1/1 % %q %-x"
        );
        assert_eq!(format_date("%", (1970, 1, 1)), "%");
    }
}
