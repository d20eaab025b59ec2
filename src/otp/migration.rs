//! Google Authenticator's transfer format: `otpauth-migration://offline?data=`
//! followed by a base64 protobuf `MigrationPayload`.
//!
//! The schema is not published by Google; the field numbers below are the ones
//! every independent decoder agrees on. `prost` does the wire format. The format
//! cannot carry a TOTP period (always 30 s), Steam codes, or digit counts other
//! than 6 and 8.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use percent_encoding::percent_decode_str;
use prost::Message;

use super::uri::{query_pairs, strip_scheme};
use super::{Algorithm, Kind, OtpAccount, Params, Secret};

#[derive(Clone, PartialEq, prost::Message)]
pub struct MigrationPayload {
    #[prost(message, repeated, tag = "1")]
    pub otp_parameters: Vec<OtpParameters>,
    #[prost(int32, tag = "2")]
    pub version: i32,
    #[prost(int32, tag = "3")]
    pub batch_size: i32,
    #[prost(int32, tag = "4")]
    pub batch_index: i32,
    #[prost(int32, tag = "5")]
    pub batch_id: i32,
}

/// `Debug` is written by hand below so the secret never prints.
#[derive(Clone, PartialEq, prost::Message)]
#[prost(skip_debug)]
pub struct OtpParameters {
    #[prost(bytes = "vec", tag = "1")]
    pub secret: Vec<u8>,
    #[prost(string, tag = "2")]
    pub name: String,
    #[prost(string, tag = "3")]
    pub issuer: String,
    /// 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5.
    #[prost(int32, tag = "4")]
    pub algorithm: i32,
    /// 0 unspecified, 1 six, 2 eight.
    #[prost(int32, tag = "5")]
    pub digits: i32,
    /// 0 unspecified, 1 HOTP, 2 TOTP.
    #[prost(int32, tag = "6")]
    pub r#type: i32,
    #[prost(int64, tag = "7")]
    pub counter: i64,
}

impl std::fmt::Debug for OtpParameters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtpParameters")
            .field("secret", &"[redacted]")
            .field("name", &self.name)
            .field("issuer", &self.issuer)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("type", &self.r#type)
            .field("counter", &self.counter)
            .finish()
    }
}

impl Drop for OtpParameters {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrationError {
    #[error("{}", crate::t!("err-not-migration", value = .0))]
    NotMigration(String),
    #[error("{}", crate::t!("err-migration-no-data"))]
    MissingData,
    #[error("{}", crate::t!("err-migration-bad-base64"))]
    BadBase64,
    #[error("{}", crate::t!("err-migration-bad-payload", detail = .0))]
    BadPayload(String),
    #[error("{}", crate::t!("err-migration-empty"))]
    Empty,
}

/// Where one transfer QR code sits in a multi-code export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Batch {
    pub id: i32,
    pub index: i32,
    pub size: i32,
}

/// One decoded transfer code: the accounts it carries, the entries it could not
/// convert (with the reason), and its batch position.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub accounts: Vec<OtpAccount>,
    pub skipped: Vec<(String, String)>,
    pub batch: Batch,
}

fn base64_engine(alphabet: &base64::alphabet::Alphabet) -> GeneralPurpose {
    GeneralPurpose::new(
        alphabet,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    )
}

/// Decodes one `otpauth-migration://offline?data=…` URI.
pub fn parse_migration_uri(text: &str) -> Result<Decoded, MigrationError> {
    let text = text.trim();
    let shown = || MigrationError::NotMigration(super::shorten(text));
    let rest = strip_scheme(text, "otpauth-migration").ok_or_else(shown)?;
    let (host, query) = rest.split_once('?').ok_or(MigrationError::MissingData)?;
    if !host.trim_end_matches('/').eq_ignore_ascii_case("offline") {
        return Err(shown());
    }
    let raw = query_pairs(query)
        .find(|(k, _)| k.eq_ignore_ascii_case("data"))
        .map(|(_, v)| v)
        .ok_or(MigrationError::MissingData)?;
    // '+' is a base64 character here, not a space: Google writes it unescaped.
    // Both buffers hold every secret of the batch: wiped when dropped.
    let mut data = zeroize::Zeroizing::new(Vec::with_capacity(raw.len()));
    data.extend(percent_decode_str(raw).filter(|b| !b.is_ascii_whitespace()));
    let bytes = zeroize::Zeroizing::new(
        base64_engine(&base64::alphabet::STANDARD)
            .decode(&*data)
            .or_else(|_| base64_engine(&base64::alphabet::URL_SAFE).decode(&*data))
            .map_err(|_| MigrationError::BadBase64)?,
    );
    decode_payload(&bytes)
}

/// Decodes the protobuf bytes of a transfer code.
pub fn decode_payload(bytes: &[u8]) -> Result<Decoded, MigrationError> {
    let payload =
        MigrationPayload::decode(bytes).map_err(|e| MigrationError::BadPayload(e.to_string()))?;
    if payload.otp_parameters.is_empty() {
        return Err(MigrationError::Empty);
    }
    let mut accounts = Vec::new();
    let mut skipped = Vec::new();
    for p in &payload.otp_parameters {
        match convert(p) {
            Ok(a) => accounts.push(a),
            Err(reason) => skipped.push((
                super::display_name(&super::shorten(&p.issuer), &super::shorten(&p.name)),
                reason,
            )),
        }
    }
    Ok(Decoded {
        accounts,
        skipped,
        batch: Batch {
            id: payload.batch_id,
            index: payload.batch_index,
            size: payload.batch_size.max(1),
        },
    })
}

fn convert(p: &OtpParameters) -> Result<OtpAccount, String> {
    let secret = Secret::from_bytes(p.secret.clone()).map_err(|e| e.to_string())?;
    let algorithm = match p.algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return Err(crate::t!("err-migration-md5")),
        n => return Err(crate::t!("err-migration-algorithm", number = n)),
    };
    let digits = match p.digits {
        0 | 1 => 6,
        2 => 8,
        n => return Err(crate::t!("err-migration-digits", number = n)),
    };
    let (kind, counter) = match p.r#type {
        0 | 2 => (Kind::Totp, 0),
        1 => (
            Kind::Hotp,
            u64::try_from(p.counter)
                .map_err(|_| crate::t!("err-migration-negative-counter", counter = p.counter))?,
        ),
        n => return Err(crate::t!("err-migration-type", number = n)),
    };
    // Google stores "Issuer:account" in the name when the account came with a label prefix.
    let name = match p.name.split_once(':') {
        Some((prefix, rest)) if !p.issuer.is_empty() && prefix.trim() == p.issuer.trim() => {
            rest.trim().to_string()
        }
        _ => p.name.clone(),
    };
    let account = OtpAccount {
        issuer: p.issuer.clone(),
        name,
        secret,
        params: Params {
            kind,
            algorithm,
            digits,
            period: super::DEFAULT_PERIOD,
            counter,
        },
        extra: Vec::new(),
    };
    account.check_names().map_err(|e| e.to_string())?;
    Ok(account)
}

/// Builds transfer payloads, at most `per_code` accounts each, with batch fields
/// set, for accounts the format can carry; the rest are returned with a reason.
pub fn encode_payloads(
    accounts: &[OtpAccount],
    per_code: usize,
    batch_id: i32,
) -> (Vec<Vec<u8>>, Vec<(String, String)>) {
    let mut ok = Vec::new();
    let mut skipped = Vec::new();
    for a in accounts {
        let p = &a.params;
        let reason = match (p.kind, p.digits, p.period) {
            (Kind::Steam, _, _) => Some(crate::t!("err-transfer-steam")),
            (_, d, _) if d != 6 && d != 8 => Some(crate::t!("err-transfer-digits")),
            (Kind::Totp, _, period) if period != super::DEFAULT_PERIOD => {
                Some(crate::t!("err-transfer-period"))
            }
            _ => None,
        };
        match reason {
            Some(r) => skipped.push((a.display_name(), r)),
            None => ok.push(OtpParameters {
                secret: a.secret.as_bytes().to_vec(),
                name: a.name.clone(),
                issuer: a.issuer.clone(),
                algorithm: match p.algorithm {
                    Algorithm::Sha1 => 1,
                    Algorithm::Sha256 => 2,
                    Algorithm::Sha512 => 3,
                },
                digits: if p.digits == 8 { 2 } else { 1 },
                r#type: if p.kind == Kind::Hotp { 1 } else { 2 },
                counter: p.counter.min(i64::MAX as u64) as i64,
            }),
        }
    }
    let chunks: Vec<&[OtpParameters]> = ok.chunks(per_code.max(1)).collect();
    let size = chunks.len() as i32;
    let payloads = chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            MigrationPayload {
                otp_parameters: chunk.to_vec(),
                version: 1,
                batch_size: size,
                batch_index: i as i32,
                batch_id,
            }
            .encode_to_vec()
        })
        .collect();
    (payloads, skipped)
}

/// The `otpauth-migration://offline?data=…` URI of one payload, as Google
/// Authenticator writes it (standard base64, percent-encoded).
pub fn migration_uri(payload: &[u8]) -> zeroize::Zeroizing<String> {
    let data = zeroize::Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(payload));
    let data = percent_encoding::utf8_percent_encode(&data, percent_encoding::NON_ALPHANUMERIC);
    zeroize::Zeroizing::new(format!("otpauth-migration://offline?data={data}"))
}

/// Incomplete batches named one by one; beyond this, one line counts the rest.
const MAX_BATCH_NOTES: usize = 5;

/// "2 of 3 transfer codes read — the remaining one is missing" for each
/// incomplete Google Authenticator batch (the first few; then how many more).
pub fn batch_notes(batches: &[Batch]) -> Vec<String> {
    // Grouped by id in one pass: a file of 200 000 transfer codes must not
    // cost a scan of all of them per batch.
    let mut by_id: std::collections::BTreeMap<i32, (i32, std::collections::HashSet<i32>)> =
        std::collections::BTreeMap::new();
    for b in batches {
        let (size, seen) = by_id.entry(b.id).or_insert((1, Default::default()));
        *size = (*size).max(b.size);
        seen.insert(b.index);
    }
    let mut notes = Vec::new();
    let mut more = 0usize;
    for (size, seen) in by_id.values() {
        let (size, have) = (*size, seen.len() as i32);
        if size <= 1 || have >= size {
            continue;
        }
        if notes.len() == MAX_BATCH_NOTES {
            more += 1;
            continue;
        }
        let missing = size - have;
        notes.push(crate::t!(
            "err-batch-incomplete",
            have = have,
            size = size,
            missing = missing
        ));
    }
    if more > 0 {
        notes.push(crate::t!("err-batch-incomplete-more", count = more));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST: &str = "otpauth-migration://offline?data=CjUKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpGgtyYXNwYmVycnlwaSABKAEwAhABGAEgACjr4JKK%2B%2F%2F%2F%2F%2F8B";

    #[test]
    fn parameters_never_print_their_secret() {
        let p = OtpParameters {
            secret: b"Hello!\xde\xad\xbe\xef".to_vec(),
            name: "alice".into(),
            issuer: String::new(),
            algorithm: 1,
            digits: 1,
            r#type: 2,
            counter: 0,
        };
        let shown = format!("{p:?}");
        assert!(
            shown.contains("redacted") && shown.contains("alice"),
            "{shown}"
        );
        assert!(
            !shown.contains("72, 101") && !shown.contains("222"),
            "{shown}"
        );
    }

    #[test]
    fn decodes_a_single_totp_account() {
        let d = parse_migration_uri(FIRST).unwrap();
        assert_eq!(d.accounts.len(), 1);
        let a = &d.accounts[0];
        assert_eq!(a.issuer, "raspberrypi");
        assert_eq!(a.name, "pi@raspberrypi");
        assert_eq!(a.secret.to_base32().as_str(), "7KSQL2JTUDIS5EF65KLMRQIIGY");
        assert_eq!(a.params, Params::default());
        assert_eq!(d.batch.size, 1);
    }

    #[test]
    fn broken_uris_are_errors() {
        assert!(matches!(
            parse_migration_uri("otpauth-migration://offline?data=XXXX"),
            Err(MigrationError::BadPayload(_))
        ));
        assert!(matches!(
            parse_migration_uri("QR-Code:otpauth-migration://offline?data=CjUK"),
            Err(MigrationError::NotMigration(_))
        ));
        let err = |uri: &str| parse_migration_uri(uri).unwrap_err();
        assert_eq!(
            err("otpauth-migration://offline?x=1"),
            MigrationError::MissingData
        );
        assert_eq!(
            err("otpauth-migration://offline?data=%%%%"),
            MigrationError::BadBase64
        );
        assert_eq!(
            err("otpauth-migration://offline?data="),
            MigrationError::Empty
        );
    }

    #[test]
    fn encode_then_decode_gives_the_same_accounts_in_batches() {
        let mut accounts = Vec::new();
        for i in 0..23u8 {
            let kind = if i % 3 == 0 { Kind::Hotp } else { Kind::Totp };
            accounts.push(OtpAccount {
                issuer: format!("Issuer {i}"),
                name: format!("user{i}@example.com"),
                secret: Secret::from_bytes(vec![i + 1; 20]).unwrap(),
                params: Params {
                    kind,
                    algorithm: [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512]
                        [i as usize % 3],
                    digits: if i % 2 == 0 { 6 } else { 8 },
                    period: 30,
                    counter: if kind == Kind::Hotp {
                        i as u64 * 1000
                    } else {
                        0
                    },
                },
                extra: vec![],
            });
        }
        let (payloads, skipped) = encode_payloads(&accounts, 10, 77);
        assert!(skipped.is_empty());
        assert_eq!(payloads.len(), 3);
        let mut back = Vec::new();
        for (i, p) in payloads.iter().enumerate() {
            let d = decode_payload(p).unwrap();
            assert_eq!(
                d.batch,
                Batch {
                    id: 77,
                    index: i as i32,
                    size: 3
                }
            );
            back.extend(d.accounts);
        }
        assert_eq!(back, accounts);
    }
}
