//! Buffers for secret bytes that leave no copy behind when they grow or are
//! read into: a plain `Vec` that outgrows its storage frees the old block as it
//! is, secret and all.

use std::io::{self, Read, Write};

use zeroize::{Zeroize, Zeroizing};

/// A byte buffer that wipes its old storage when it grows, so serialising a
/// secret into it leaves no copy in freed memory.
#[derive(Default)]
pub struct WipingBuffer(pub Zeroizing<Vec<u8>>);

impl WipingBuffer {
    pub fn with_capacity(capacity: usize) -> Self {
        WipingBuffer(Zeroizing::new(Vec::with_capacity(capacity)))
    }
}

impl Write for WipingBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let needed = self.0.len() + bytes.len();
        if needed > self.0.capacity() {
            let mut bigger = Vec::with_capacity(needed.max(256).next_power_of_two());
            bigger.extend_from_slice(&self.0);
            // The old buffer is wiped as the `Zeroizing` that held it drops.
            self.0 = Zeroizing::new(bigger);
        }
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Why [`read_text`] gave up.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}", crate::t!("err-read-too-large", what = .what, size = size_text(*.limit)))]
    TooLarge { what: String, limit: usize },
    #[error("{}", crate::t!("err-read-not-text", what = .what))]
    NotText { what: String },
    #[error("{}", crate::t!("err-read-io", what = .what, detail = crate::i18n::io_error(.source)))]
    Io { what: String, source: io::Error },
}

fn size_text(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        crate::t!("err-size-mib", mib = bytes >> 20)
    } else {
        crate::t!("err-size-bytes", bytes = bytes)
    }
}

/// All of `reader` as text, at most `limit` bytes (more is an error, found
/// without reading it all), through buffers that are wiped when freed.
pub fn read_text(
    reader: impl Read,
    limit: usize,
    what: &str,
) -> Result<Zeroizing<String>, ReadError> {
    let mut out = WipingBuffer::with_capacity(4096);
    let mut chunk = Zeroizing::new([0u8; 4096]);
    let mut reader = reader.take(limit as u64 + 1);
    loop {
        let n = match reader.read(&mut chunk[..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(source) => {
                return Err(ReadError::Io {
                    what: what.to_string(),
                    source,
                });
            }
        };
        if out.0.len() + n > limit {
            return Err(ReadError::TooLarge {
                what: what.to_string(),
                limit,
            });
        }
        out.write_all(&chunk[..n]).map_err(|source| ReadError::Io {
            what: what.to_string(),
            source,
        })?;
    }
    let bytes = std::mem::take(&mut *out.0);
    // `from_utf8` keeps the same storage; on failure it hands it back to wipe.
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Zeroizing::new(text)),
        Err(e) => {
            e.into_bytes().zeroize();
            Err(ReadError::NotText {
                what: what.to_string(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_to_the_limit_and_refuses_more() {
        let text = "x".repeat(10_000);
        assert_eq!(
            read_text(text.as_bytes(), 10_000, "input")
                .unwrap()
                .as_str(),
            text
        );
        let e = read_text(text.as_bytes(), 9_999, "standard input").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("standard input is larger than 9999 bytes"),
            "{e}"
        );
        assert!(matches!(
            read_text(&b"\xff\xfe"[..], 100, "f"),
            Err(ReadError::NotText { .. })
        ));
    }
}
