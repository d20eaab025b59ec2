//! `otpauth://` URIs (Google's Key URI format) in, canonical URIs out.
//!
//! Parsing is lenient where real QR codes are sloppy (secret case, padding, spaces
//! and dashes; `%3A` or `:` in the label; `+` for space in parameters; KeePassXC's
//! `encoder=steam`), strict where a mistake would give wrong codes (digits, period,
//! counter, algorithm, type). Parameters we do not interpret are kept, in order, so
//! that a URI survives a round trip.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::{
    Algorithm, Kind, MAX_URI_BYTES, OtpAccount, OtpError, Params, STEAM_DIGITS, Secret,
    parse_counter, parse_digits, parse_period, shorten,
};

/// Everything but RFC 3986's unreserved characters is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A parsed URI and what the user should be told about it.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub account: OtpAccount,
    pub warnings: Vec<String>,
}

fn decode(text: &str, plus_is_space: bool, what: &'static str) -> Result<String, OtpError> {
    let replaced;
    let text = if plus_is_space && text.contains('+') {
        replaced = text.replace('+', " ");
        &replaced
    } else {
        text
    };
    percent_decode_str(text)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| OtpError::BadEncoding(what))
}

/// Splits `scheme://rest` case-insensitively; `None` when the scheme differs.
pub(crate) fn strip_scheme<'a>(text: &'a str, scheme: &str) -> Option<&'a str> {
    let prefix = format!("{scheme}://");
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(&prefix)
        .then(|| &text[prefix.len()..])
}

/// Splits a query string into raw (still encoded) key/value pairs.
pub(crate) fn query_pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

/// Splits a raw (still encoded) label into issuer prefix and account name: at the
/// first literal ':', or else at the first "%3A". Splitting before decoding keeps
/// an encoded colon inside a name or issuer (as [`format_uri`] writes it) apart
/// from the separator.
fn split_label(label: &str) -> Option<(&str, &str)> {
    if let Some(split) = label.split_once(':') {
        return Some(split);
    }
    let at = label.to_ascii_lowercase().find("%3a")?;
    Some((&label[..at], &label[at + 3..]))
}

/// Parses one `otpauth://` URI.
pub fn parse_uri(text: &str) -> Result<Parsed, OtpError> {
    let text = text.trim();
    let rest = strip_scheme(text, "otpauth").ok_or_else(|| OtpError::NotOtpauth(shorten(text)))?;
    if text.len() > MAX_URI_BYTES {
        return Err(OtpError::UriTooLong(text.len()));
    }
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (kind_text, label) = path.split_once('/').unwrap_or((path, ""));
    let mut kind = Kind::parse(kind_text)?;

    let (label_issuer, name) = match split_label(label) {
        Some((issuer, name)) => (
            Some(decode(issuer, false, "the label")?.trim().to_string()),
            decode(name, false, "the label")?.trim().to_string(),
        ),
        None => (None, decode(label, false, "the label")?.trim().to_string()),
    };

    let mut secret_text: Option<zeroize::Zeroizing<String>> = None;
    let mut issuer_param: Option<String> = None;
    let mut algorithm: Option<Algorithm> = None;
    let mut digits: Option<u8> = None;
    let mut period: Option<u64> = None;
    let mut counter: Option<u64> = None;
    let mut extra = Vec::new();
    for (key, raw) in query_pairs(query) {
        let key_l = key.to_ascii_lowercase();
        match key_l.as_str() {
            "secret" => {
                secret_text = Some(zeroize::Zeroizing::new(decode(raw, true, "secret")?));
            }
            "issuer" => issuer_param = Some(decode(raw, true, "issuer")?.trim().to_string()),
            "algorithm" => algorithm = Some(Algorithm::parse(&decode(raw, true, "algorithm")?)?),
            "digits" => digits = Some(parse_digits(&decode(raw, true, "digits")?)?),
            "period" => period = Some(parse_period(&decode(raw, true, "period")?)?),
            "counter" => counter = Some(parse_counter(&decode(raw, true, "counter")?)?),
            "encoder" if decode(raw, true, "encoder")?.eq_ignore_ascii_case("steam") => {
                kind = Kind::Steam;
            }
            _ => extra.push((
                decode(key, true, "a parameter name")?,
                decode(raw, true, "a parameter value")?,
            )),
        }
    }

    let secret = match secret_text {
        Some(s) => Secret::parse_base32(&s)?,
        None => return Err(OtpError::MissingSecret),
    };

    let mut warnings = Vec::new();
    let issuer = match (label_issuer, issuer_param) {
        (Some(l), Some(p)) if !l.is_empty() && !p.is_empty() && l != p => {
            warnings.push(crate::t!(
                "err-uri-issuer-mismatch",
                label = shorten(&l),
                param = shorten(&p)
            ));
            p
        }
        (_, Some(p)) if !p.is_empty() => p,
        (Some(l), _) => l,
        _ => String::new(),
    };

    let params = match kind {
        Kind::Steam => {
            if digits.is_some_and(|d| d != STEAM_DIGITS) {
                warnings.push(crate::t!(
                    "err-uri-steam-digits",
                    steam = STEAM_DIGITS,
                    digits = digits.unwrap_or_default()
                ));
            }
            Params::steam(period.unwrap_or(super::DEFAULT_PERIOD))
        }
        _ => Params {
            kind,
            algorithm: algorithm.unwrap_or(Algorithm::Sha1),
            digits: digits.unwrap_or(6),
            // Each kind keeps only its own moving factor: a TOTP URI's counter= or
            // an HOTP URI's period= means nothing and would not survive export.
            period: match kind {
                Kind::Hotp => super::DEFAULT_PERIOD,
                _ => period.unwrap_or(super::DEFAULT_PERIOD),
            },
            counter: match kind {
                Kind::Hotp => counter.unwrap_or(0),
                _ => 0,
            },
        },
    };
    if kind == Kind::Hotp && counter.is_none() {
        warnings.push(crate::t!("err-uri-hotp-no-counter"));
    }

    let account = OtpAccount {
        issuer,
        name,
        secret,
        params,
        extra,
    };
    account.check_names()?;
    let canonical = format_uri(&account).len();
    if canonical > MAX_URI_BYTES {
        return Err(OtpError::UriTooLong(canonical));
    }
    Ok(Parsed { account, warnings })
}

/// The canonical URI: upper-case unpadded secret, percent-encoded label, the
/// issuer both in the label and in `issuer=`, every parameter explicit.
pub fn format_uri(account: &OtpAccount) -> zeroize::Zeroizing<String> {
    let enc = |s: &str| utf8_percent_encode(s, COMPONENT).to_string();
    let p = &account.params;
    let mut head = format!("otpauth://{}/", p.kind.as_str());
    if !account.issuer.is_empty() {
        head.push_str(&enc(&account.issuer));
        head.push(':');
    } else if account.name.contains(':') {
        // An empty prefix, so that the colon in the name is not taken for one.
        head.push(':');
    }
    head.push_str(&enc(&account.name));
    head.push_str("?secret=");
    let secret = account.secret.to_base32();
    let mut tail = String::new();
    if !account.issuer.is_empty() {
        tail.push_str("&issuer=");
        tail.push_str(&enc(&account.issuer));
    }
    tail.push_str(&format!(
        "&algorithm={}&digits={}",
        p.algorithm.as_str(),
        p.digits
    ));
    match p.kind {
        Kind::Hotp => tail.push_str(&format!("&counter={}", p.counter)),
        _ => tail.push_str(&format!("&period={}", p.period)),
    }
    for (k, v) in &account.extra {
        tail.push('&');
        tail.push_str(&enc(k));
        tail.push('=');
        tail.push_str(&enc(v));
    }
    // Sized once: a String that grows frees its old buffer, secret and all,
    // without wiping it.
    let mut uri = zeroize::Zeroizing::new(String::with_capacity(
        head.len() + secret.len() + tail.len(),
    ));
    for part in [head.as_str(), secret.as_str(), tail.as_str()] {
        uri.push_str(part);
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> OtpAccount {
        parse_uri(text).unwrap().account
    }

    #[test]
    fn defaults_are_sha1_six_digits_thirty_seconds() {
        let a = parse("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP");
        assert_eq!(a.params, Params::default());
        assert_eq!((a.issuer.as_str(), a.name.as_str()), ("", "alice"));
    }

    #[test]
    fn label_prefix_with_encoded_colon_and_spaces() {
        let a = parse("otpauth://totp/ACME%20Co%3A%20john.doe%40email.com?secret=JBSWY3DPEHPK3PXP");
        assert_eq!(a.issuer, "ACME Co");
        assert_eq!(a.name, "john.doe@email.com");
    }

    #[test]
    fn issuer_parameter_wins_over_label_with_a_warning() {
        let p = parse_uri("otpauth://totp/Old:bob?secret=JBSWY3DPEHPK3PXP&issuer=New").unwrap();
        assert_eq!(p.account.issuer, "New");
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].contains("Old") && p.warnings[0].contains("New"));
        let same =
            parse_uri("otpauth://totp/Same:bob?secret=JBSWY3DPEHPK3PXP&issuer=Same").unwrap();
        assert!(same.warnings.is_empty());
    }

    #[test]
    fn plus_in_parameters_is_a_space() {
        let a = parse(
            "otpauth://hotp/Air%20Canada:Benjamin?secret=KUVJJOM753IHTNDSZVCNKL7GII&issuer=Air+Canada&algorithm=SHA256&digits=7&counter=50",
        );
        assert_eq!(a.issuer, "Air Canada");
        assert_eq!(a.params.kind, Kind::Hotp);
        assert_eq!(a.params.counter, 50);
        assert_eq!(a.params.digits, 7);
        assert_eq!(a.params.algorithm, Algorithm::Sha256);
    }

    #[test]
    fn canonical_form_and_round_trip_keep_unknown_parameters() {
        let a = parse(
            "OTPAUTH://TOTP/Example:alice%40google.com?secret=jbsw%20y3dp-ehpk3pxp%3D%3D&issuer=Example&period=60&image=https%3A%2F%2Fx.test%2Fa.png&codeDisplay=%7B%7D",
        );
        let uri = format_uri(&a);
        assert_eq!(
            uri.as_str(),
            "otpauth://totp/Example:alice%40google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example&algorithm=SHA1&digits=6&period=60&image=https%3A%2F%2Fx.test%2Fa.png&codeDisplay=%7B%7D"
        );
        let again = parse(&uri);
        assert_eq!(again, a);
        assert_eq!(format_uri(&again).as_str(), uri.as_str());
    }

    #[test]
    fn japanese_names_round_trip() {
        let a = parse(
            "otpauth://totp/%E3%83%84%E3%82%A4%E3%83%83%E3%82%BF%E3%83%BC:%E5%B1%B1%E7%94%B0%E5%A4%AA%E9%83%8E?secret=JBSWY3DPEHPK3PXP",
        );
        assert_eq!(a.issuer, "ツイッター");
        assert_eq!(a.name, "山田太郎");
        assert_eq!(parse(&format_uri(&a)), a);
    }

    /// Fuzzing (fuzz/ target `uri`) found names and issuers with colons that came
    /// back split differently after a round trip.
    #[test]
    fn colons_in_names_survive_the_round_trip() {
        for (uri, issuer, name) in [
            (
                "otpauth://totp/a%3Ab:c%3Ad?secret=JBSWY3DP&issuer=a%3Ab",
                "a:b",
                "c:d",
            ),
            ("otpauth://totp/:x%3Ay?secret=JBSWY3DP", "", "x:y"),
            ("otpauth://totp/Ex%3Ame?secret=JBSWY3DP", "Ex", "me"),
            ("otpauth://totp/Ex:me:you?secret=JBSWY3DP", "Ex", "me:you"),
        ] {
            let a = parse(uri);
            assert_eq!(
                (a.issuer.as_str(), a.name.as_str()),
                (issuer, name),
                "{uri}"
            );
            assert_eq!(parse(&format_uri(&a)), a, "{uri}");
        }
    }

    /// Fuzzing found a TOTP URI with counter= whose counter was kept, then lost
    /// by the canonical form (which writes period for TOTP, counter for HOTP).
    #[test]
    fn only_the_kinds_own_moving_factor_is_kept() {
        let t = parse("otpauth://totp/a?secret=JBSWY3DP&counter=10300&period=50");
        assert_eq!((t.params.period, t.params.counter), (50, 0));
        let h = parse("otpauth://hotp/a?secret=JBSWY3DP&counter=7&period=50");
        assert_eq!(
            (h.params.period, h.params.counter),
            (crate::otp::DEFAULT_PERIOD, 7)
        );
        for a in [t, h] {
            assert_eq!(parse(&format_uri(&a)), a);
        }
    }

    #[test]
    fn steam_by_type_or_encoder() {
        let a = parse(
            "otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Boeing&algorithm=SHA1&digits=5&period=30",
        );
        assert_eq!(a.params, Params::steam(30));
        let b = parse("otpauth://totp/Steam:me?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&encoder=steam");
        assert_eq!(b.params.kind, Kind::Steam);
        assert_eq!(b.params.digits, 5);
        assert!(b.extra.is_empty());
    }

    #[test]
    fn malformed_uris_are_typed_errors_quoting_the_value() {
        let cases: &[(&str, OtpError)] = &[
            (
                "otpauth://totp/a?secret=JBSWY3DP&digits=0",
                OtpError::BadDigits("0".into()),
            ),
            (
                "otpauth://totp/a?secret=JBSWY3DP&digits=11",
                OtpError::BadDigits("11".into()),
            ),
            (
                "otpauth://totp/a?secret=JBSWY3DP&digits=six",
                OtpError::BadDigits("six".into()),
            ),
            (
                "otpauth://totp/a?secret=JBSWY3DP&period=0",
                OtpError::BadPeriod("0".into()),
            ),
            (
                "otpauth://totp/a?secret=JBSWY3DP&period=-30",
                OtpError::BadPeriod("-30".into()),
            ),
            ("otpauth://totp/a?secret=", OtpError::EmptySecret),
            ("otpauth://totp/a?issuer=x", OtpError::MissingSecret),
            (
                "otpauth://totp/a?secret=JBSW0Y3DP",
                OtpError::BadBase32Char {
                    character: '0',
                    position: 4,
                },
            ),
            (
                "otpauth://motp/a?secret=JBSWY3DP",
                OtpError::UnknownType("motp".into()),
            ),
            (
                "otpauth://totp/a?secret=JBSWY3DP&algorithm=MD5",
                OtpError::UnknownAlgorithm("MD5".into()),
            ),
            (
                "otpauth://hotp/a?secret=JBSWY3DP&counter=-1",
                OtpError::BadCounter("-1".into()),
            ),
            (
                "otpauth://hotp/a?secret=JBSWY3DP&counter=18446744073709551616",
                OtpError::BadCounter("18446744073709551616".into()),
            ),
            (
                "https://example.com/?secret=JBSWY3DP",
                OtpError::NotOtpauth("https://example.com/?secret=JBSWY3DP".into()),
            ),
            (
                "otpauth://totp/%FF?secret=JBSWY3DP",
                OtpError::BadEncoding("the label"),
            ),
        ];
        for (uri, want) in cases {
            let got = parse_uri(uri).unwrap_err();
            assert_eq!(&got, want, "{uri}");
        }
        let msg = parse_uri("otpauth://totp/a?secret=JBSWY3DP&digits=11")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("\"11\""), "{msg}");
    }

    #[test]
    fn max_counter_is_accepted() {
        let a = parse("otpauth://hotp/a?secret=JBSWY3DP&counter=18446744073709551615");
        assert_eq!(a.params.counter, u64::MAX);
    }
}
