//! Reading foreign JSON files: sniffing for detection, parse errors that never
//! quote file content, and field accessors whose errors name the field, not its
//! value (the value may be a secret).
//!
//! The parsed tree holds secrets as plain strings, so [`Doc`] overwrites every
//! string in it when dropped. (serde_json's own scratch buffers are not covered;
//! this is best effort, like any zeroizing in a garbage-free language.)

use serde_json::Value;
use zeroize::Zeroize;

use super::FormatError;

/// A parsed JSON document whose strings are wiped on drop.
pub(crate) struct Doc(pub Value);

impl std::fmt::Debug for Doc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Doc([redacted])")
    }
}

impl Drop for Doc {
    fn drop(&mut self) {
        scrub(&mut self.0);
    }
}

pub(crate) fn scrub(v: &mut Value) {
    match v {
        Value::String(s) => s.zeroize(),
        Value::Array(a) => a.iter_mut().for_each(scrub),
        Value::Object(m) => m.values_mut().for_each(scrub),
        _ => {}
    }
}

/// What a quick look at the bytes says.
pub(crate) enum Sniff<'a> {
    Parsed(Doc),
    /// Starts like JSON but ends early: a truncated export. The text is kept so
    /// detectors can still recognise their keys and report the damage.
    Truncated(&'a str),
    No,
}

fn first_byte(bytes: &[u8]) -> Option<u8> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    bytes.iter().copied().find(|b| !b.is_ascii_whitespace())
}

pub(crate) fn sniff(bytes: &[u8]) -> Sniff<'_> {
    if !matches!(first_byte(bytes), Some(b'{' | b'[')) {
        return Sniff::No;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Sniff::No;
    };
    match serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')) {
        Ok(v) => Sniff::Parsed(Doc(v)),
        Err(e) if e.is_eof() => Sniff::Truncated(text),
        Err(_) => Sniff::No,
    }
}

/// Parses a whole file, or says why it is damaged without quoting its content.
pub(crate) fn parse(bytes: &[u8], what: &'static str) -> Result<Doc, FormatError> {
    let damaged = |detail: String| FormatError::Damaged { what, detail };
    let text = std::str::from_utf8(bytes).map_err(|_| damaged("it is not UTF-8 text".into()))?;
    serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}'))
        .map(Doc)
        .map_err(|e| {
            if e.is_eof() {
                damaged(format!(
                    "it ends early (line {}, column {})",
                    e.line(),
                    e.column()
                ))
            } else {
                damaged(format!(
                    "it is not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ))
            }
        })
}

/// A string field; `None` when absent or null.
pub(crate) fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// A string field that must be there.
pub(crate) fn need_str<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    match v.get(key) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(format!("it has no \"{key}\"")),
        Some(_) => Err(format!("its \"{key}\" is not text")),
    }
}

/// A whole number, written as a number or as a numeric string; `None` when absent
/// or null.
pub(crate) fn u64_field(v: &Value, key: &str) -> Result<Option<u64>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("its \"{key}\" is not a whole number >= 0 ({n})")),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("its \"{key}\" is not a whole number")),
        Some(_) => Err(format!("its \"{key}\" is not a number")),
    }
}

/// An array field; an absent or null one is empty.
pub(crate) fn array_field<'a>(v: &'a Value, key: &str) -> Result<&'a [Value], String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(format!("its \"{key}\" is not a list")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_fields_not_values() {
        let v: Value = serde_json::json!({"secret": 123456, "digits": "x"});
        assert_eq!(
            need_str(&v, "secret").unwrap_err(),
            "its \"secret\" is not text"
        );
        assert!(!u64_field(&v, "digits").unwrap_err().contains('x'));
        assert_eq!(u64_field(&v, "period"), Ok(None));
    }

    #[test]
    fn sniff_tells_truncated_from_foreign() {
        assert!(matches!(sniff(b"{\"a\": [1, 2"), Sniff::Truncated(_)));
        assert!(matches!(sniff(b"{\"a\": }"), Sniff::No));
        assert!(matches!(sniff(b"\x00\x01garbage"), Sniff::No));
        assert!(matches!(sniff(b" [1]"), Sniff::Parsed(_)));
    }

    #[test]
    fn parse_errors_do_not_quote_the_file() {
        let e = parse(b"{\"secret\": JBSWY3DPEHPK3PXP}", "test").unwrap_err();
        assert!(!e.to_string().contains("JBSW"), "{e}");
    }
}
