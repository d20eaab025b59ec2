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

/// The calendar date (UTC) of a Unix time, as the current language writes it
/// on the sheet: `2026-05-02` in English, `2026年5月2日` in Japanese.
pub fn date(unix: u64) -> String {
    format_date(&crate::t!("sheet-date-format"), unix)
}

/// The calendar date (UTC) of a Unix time in `lang`, for tests that know which
/// language the sheet is in.
pub fn date_in(lang: crate::i18n::Lang, unix: u64) -> String {
    let pattern = crate::i18n::format_in(lang, "sheet-date-format", &[])
        .unwrap_or_else(|| "%Y-%m-%d".to_string());
    format_date(&pattern, unix)
}

/// Year, month (1–12) and day (1–31) of a Unix time, in UTC.
fn civil(unix: u64) -> (i64, i64, i64) {
    // Days to civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
    let days = (unix / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Fills a date pattern from the message files. The pattern is the language's
/// to choose, in the strftime subset GNOME's translators know: `%Y` the year,
/// `%m`/`%d` the month/day with a leading zero, `%-m`/`%-d` without one, `%%`
/// a percent sign; anything else is copied as written.
fn format_date(pattern: &str, unix: u64) -> String {
    let (year, month, day) = civil(unix);
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

    #[test]
    fn dates_are_calendar_dates() {
        let date = |unix| super::date_in(Lang::En, unix);
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(1_700_000_000), "2023-11-14");
        assert_eq!(date(4_102_444_799), "2099-12-31");
    }

    #[test]
    fn japanese_dates_are_written_with_year_month_day() {
        let date = |unix| super::date_in(Lang::Ja, unix);
        assert_eq!(date(1_796_169_600), "2026年12月2日");
        assert_eq!(date(951_782_400), "2000年2月29日");
        assert_eq!(date(0), "1970年1月1日");
    }

    #[test]
    fn date_patterns_copy_what_they_do_not_know() {
        assert_eq!(super::format_date("%d.%m.%Y", 0), "01.01.1970");
        assert_eq!(super::format_date("%-d/%-m %% %q %-x", 0), "1/1 % %q %-x");
        assert_eq!(super::format_date("%", 0), "%");
    }
}
