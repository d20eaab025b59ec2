//! QR codes of accounts: one account's canonical `otpauth://` URI, or Google
//! Authenticator transfer codes (`otpauth-migration://`, at most ten accounts
//! each, batch fields set). The sheet draws the modules as vector squares; the
//! window and the tests render them to pixels with [`Qr::to_rgba`].

use qrcode::{Color, EcLevel, QrCode};
use zeroize::Zeroizing;

use crate::otp::{OtpAccount, format_uri, migration};

/// Accounts per transfer code, as Google Authenticator itself exports them.
pub const PER_TRANSFER_CODE: usize = 10;

/// Light modules around a code, per the QR specification.
pub const QUIET_ZONE: usize = 4;

/// A QR code's modules, row by row; `true` is dark.
#[derive(Clone)]
pub struct Qr {
    pub width: usize,
    dark: Vec<bool>,
}

impl Qr {
    /// Encodes `text` with medium error correction (a smudge on paper or a
    /// photo at an angle still reads).
    pub fn new(text: &str) -> Result<Qr, String> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|e| crate::t!("err-qr-make", bytes = text.len(), detail = e.to_string()))?;
        Ok(Qr {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }

    /// Horizontal runs of dark modules: (row, first column, length). Drawing runs
    /// instead of single modules keeps paths small and leaves no hairline seams.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push((y, start, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }

    /// Black-on-white RGBA pixels, `module` pixels per module, with the quiet
    /// zone. Returns (side in pixels, pixels).
    pub fn to_rgba(&self, module: usize) -> (usize, Vec<u8>) {
        let side = (self.width + 2 * QUIET_ZONE) * module;
        let mut px = vec![255u8; side * side * 4];
        for (y, x0, len) in self.dark_runs() {
            for row in 0..module {
                let py = (y + QUIET_ZONE) * module + row;
                let from = ((x0 + QUIET_ZONE) * module + py * side) * 4;
                for p in px[from..from + len * module * 4].chunks_exact_mut(4) {
                    p[..3].fill(0);
                }
            }
        }
        (side, px)
    }
}

/// The QR code of one account's canonical URI.
pub fn account_qr(account: &OtpAccount) -> Result<Qr, String> {
    Qr::new(&format_uri(account))
}

/// Transfer codes for Google Authenticator, and the accounts it cannot carry
/// (name, reason). Each code's URI is returned with it.
pub struct Transfer {
    pub codes: Vec<(Zeroizing<String>, Qr)>,
    pub skipped: Vec<(String, String)>,
}

pub fn transfer_codes(accounts: &[OtpAccount], batch_id: i32) -> Result<Transfer, String> {
    let (payloads, skipped) = migration::encode_payloads(accounts, PER_TRANSFER_CODE, batch_id);
    let codes = payloads
        .iter()
        .map(|p| {
            let uri = migration::migration_uri(p);
            let qr = Qr::new(&uri)?;
            Ok((uri, qr))
        })
        .collect::<Result<_, String>>()?;
    Ok(Transfer { codes, skipped })
}

/// A batch id for a new transfer export: Google Authenticator uses it to tell
/// one export's codes from another's.
pub fn new_batch_id() -> i32 {
    (uuid::Uuid::new_v4().as_u128() as i32)
        .wrapping_abs()
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_codes_read_back_as_the_same_accounts() {
        let accounts: Vec<OtpAccount> = (0..23)
            .map(|i| {
                crate::otp::parse_uri(&format!(
                    "otpauth://totp/Svc{i}:user{i}%40example.com?secret=JBSWY3DPEHPK3PX{}",
                    ["P", "Q", "R", "S"][i % 4]
                ))
                .unwrap()
                .account
            })
            .collect();
        let transfer = transfer_codes(&accounts, 99).unwrap();
        assert_eq!(transfer.codes.len(), 3, "ten accounts per code");
        let mut found = Vec::new();
        for (uri, qr) in &transfer.codes {
            let (side, px) = qr.to_rgba(4);
            let report = crate::scan::scan_rgba(side as u32, side as u32, &px);
            assert_eq!(report.batches.len(), 1);
            assert_eq!(report.batches[0].size, 3);
            assert!(uri.starts_with("otpauth-migration://offline?data="));
            found.extend(report.accounts);
        }
        assert_eq!(found.len(), 23);
        for (a, b) in accounts.iter().zip(&found) {
            assert!(
                a.same_account(b),
                "{} != {}",
                a.display_name(),
                b.display_name()
            );
        }
        let one = account_qr(&accounts[0]).unwrap();
        let (side, px) = one.to_rgba(3);
        let report = crate::scan::scan_rgba(side as u32, side as u32, &px);
        assert!(report.accounts[0].same_account(&accounts[0]));
    }
}
