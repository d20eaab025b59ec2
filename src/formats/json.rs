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
    Parsed(&'a Value),
    /// Starts like JSON but ends early: a truncated export. The text is kept so
    /// detectors can still recognise their keys and report the damage.
    Truncated(&'a str),
    No,
}

fn first_byte(bytes: &[u8]) -> Option<u8> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    bytes.iter().copied().find(|b| !b.is_ascii_whitespace())
}

#[cfg(test)]
thread_local! {
    /// Parses made on this thread, for the test that detection parses once.
    pub(crate) static PARSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// One parse of a file's bytes, kept for every detector and the importer
/// (see `formats::Input`): a 64 MB file parsed once per detector cost seconds
/// and a gigabyte.
pub(crate) enum Parsed<'a> {
    NotText,
    Json(Doc),
    Broken(serde_json::Error, &'a str),
    /// More objects, lists or values than any export holds: not parsed.
    TooMany(&'static str),
}

/// Objects and lists a file may hold. A parsed object costs about 700 bytes
/// (`{"a":0}` is 7 in the file), so 32 MiB of them took 2.9 GB; an Aegis
/// export of 100 000 accounts (the import cap) has about 340 000.
pub const MAX_CONTAINERS: usize = 500_000;
/// Values (commas, roughly) a file may hold: 32 MiB of `1,` took 580 MB;
/// that Aegis export has about 1.3 million.
pub const MAX_VALUES: usize = 2_500_000;

/// Counts objects and lists, and commas, outside strings: what parsing would
/// allocate, known in one quick pass before anything is allocated.
fn too_many(text: &str) -> Option<&'static str> {
    let (mut containers, mut values) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for &b in text.as_bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => containers += 1,
            b',' => values += 1,
            _ => {}
        }
    }
    if containers > MAX_CONTAINERS {
        Some("objects and lists")
    } else if values > MAX_VALUES {
        Some("values")
    } else {
        None
    }
}

impl<'a> Parsed<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        #[cfg(test)]
        PARSES.with(|n| n.set(n.get() + 1));
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Parsed::NotText;
        };
        if matches!(first_byte(bytes), Some(b'{' | b'['))
            && let Some(what) = too_many(text)
        {
            return Parsed::TooMany(what);
        }
        match serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')) {
            Ok(v) => Parsed::Json(Doc(v)),
            Err(e) => Parsed::Broken(e, text),
        }
    }

    /// What a detector sees: only text that starts like JSON counts.
    pub(crate) fn sniff(&self, bytes: &[u8]) -> Sniff<'_> {
        if !matches!(first_byte(bytes), Some(b'{' | b'[')) {
            return Sniff::No;
        }
        match self {
            Parsed::Json(doc) => Sniff::Parsed(&doc.0),
            Parsed::Broken(e, text) if e.is_eof() => Sniff::Truncated(text),
            _ => Sniff::No,
        }
    }

    /// The whole file as JSON, or why it is damaged without quoting its content.
    pub(crate) fn value(&self, what: &'static str) -> Result<&Value, FormatError> {
        let damaged = |detail: String| FormatError::Damaged { what, detail };
        match self {
            Parsed::Json(doc) => Ok(&doc.0),
            Parsed::NotText => Err(damaged(crate::t!("err-json-not-text"))),
            Parsed::Broken(e, _) if e.is_eof() => Err(damaged(crate::t!(
                "err-json-ends-early",
                line = e.line(),
                column = e.column()
            ))),
            Parsed::Broken(e, _) => Err(damaged(crate::t!(
                "err-json-broken",
                line = e.line(),
                column = e.column()
            ))),
            Parsed::TooMany(_) => Err(self.too_large().unwrap_or(FormatError::Undetected)),
        }
    }

    /// The error for a file with more JSON than any export holds.
    pub(crate) fn too_large(&self) -> Option<FormatError> {
        match self {
            Parsed::TooMany(what) => Some(FormatError::Unsupported(match *what {
                "values" => crate::t!(
                    "err-json-too-many-values",
                    containers = MAX_CONTAINERS,
                    values = MAX_VALUES
                ),
                _ => crate::t!(
                    "err-json-too-many-containers",
                    containers = MAX_CONTAINERS,
                    values = MAX_VALUES
                ),
            })),
            _ => None,
        }
    }
}

/// Parses a whole decrypted file, or says why it is damaged without quoting
/// its content.
pub(crate) fn parse(bytes: &[u8], what: &'static str) -> Result<Doc, FormatError> {
    let parsed = Parsed::new(bytes);
    parsed.value(what)?;
    match parsed {
        Parsed::Json(doc) => Ok(doc),
        _ => Err(FormatError::Damaged {
            what,
            detail: crate::t!("err-json-invalid"),
        }),
    }
}

/// A string field; `None` when absent or null.
pub(crate) fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// A string field that must be there.
pub(crate) fn need_str<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    match v.get(key) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(crate::t!("err-json-missing", key = key)),
        Some(_) => Err(crate::t!("err-json-not-text-field", key = key)),
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
            .ok_or_else(|| crate::t!("err-json-negative", key = key, value = n.to_string())),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| crate::t!("err-json-not-whole", key = key)),
        Some(_) => Err(crate::t!("err-json-not-number", key = key)),
    }
}

/// An array field; an absent or null one is empty.
pub(crate) fn array_field<'a>(v: &'a Value, key: &str) -> Result<&'a [Value], String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(crate::t!("err-json-not-list", key = key)),
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
        let sniff = |b: &[u8]| match Parsed::new(b).sniff(b) {
            Sniff::Parsed(_) => "parsed",
            Sniff::Truncated(_) => "truncated",
            Sniff::No => "no",
        };
        assert_eq!(sniff(b"{\"a\": [1, 2"), "truncated");
        assert_eq!(sniff(b"{\"a\": }"), "no");
        assert_eq!(sniff(b"\x00\x01garbage"), "no");
        assert_eq!(sniff(b" [1]"), "parsed");
        assert_eq!(sniff(b"17"), "no");
    }

    #[test]
    fn parse_errors_do_not_quote_the_file() {
        let e = parse(b"{\"secret\": JBSWY3DPEHPK3PXP}", "test").unwrap_err();
        assert!(!e.to_string().contains("JBSW"), "{e}");
    }
}
