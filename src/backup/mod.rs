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

/// The calendar date (UTC) of a Unix time, as `2026-05-02`.
pub fn date(unix: u64) -> String {
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
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_calendar_dates() {
        assert_eq!(super::date(0), "1970-01-01");
        assert_eq!(super::date(951_782_400), "2000-02-29");
        assert_eq!(super::date(1_700_000_000), "2023-11-14");
        assert_eq!(super::date(4_102_444_799), "2099-12-31");
    }
}
