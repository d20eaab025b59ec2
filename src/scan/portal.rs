//! Captures the screen on Wayland through the desktop portal's Screenshot
//! interface (`org.freedesktop.portal.Screenshot`), which is the only way a
//! Wayland client may read other windows' pixels.
//!
//! Why ashpd: it is the maintained Rust binding of the portals and runs on the
//! zbus that the keyring store already links, so it adds no C library and
//! almost no build time. The portal answers with a `file://` URI of a PNG it
//! wrote (GNOME asks the user once whether Ninsho may take screenshots). A
//! screenshot can show a secret, so the file is deleted as soon as it is read.

use std::path::PathBuf;

use super::screen::{Capture, ScreenError};

/// Asks the portal for a non-interactive screenshot of every monitor, as one picture.
pub fn capture() -> Result<Vec<Capture>, ScreenError> {
    let uri = async_io::block_on(request()).map_err(portal_error)?;
    let path = file_path(&uri).ok_or_else(|| {
        ScreenError::Capture(crate::t!("err-portal-not-local", uri = uri.as_str()))
    })?;
    let bytes = std::fs::read(&path);
    // The portal's copy is ours to dispose of, whatever happens next.
    let _ = std::fs::remove_file(&path);
    let bytes = bytes.map_err(|e| {
        ScreenError::Capture(crate::t!(
            "err-portal-read",
            detail = crate::i18n::io_error(&e)
        ))
    })?;
    let image = super::decode_image(&bytes)
        .map_err(|e| ScreenError::Capture(crate::t!("err-portal-image", detail = e.to_string())))?
        .into_rgba8();
    Ok(vec![Capture {
        name: crate::t!("scan-capture-portal"),
        width: image.width(),
        height: image.height(),
        rgba: image.into_raw(),
    }])
}

async fn request() -> ashpd::Result<String> {
    let response = ashpd::desktop::screenshot::Screenshot::request()
        .interactive(false)
        .modal(false)
        .send()
        .await?
        .response()?;
    Ok(response.uri().as_str().to_string())
}

fn portal_error(e: ashpd::Error) -> ScreenError {
    use ashpd::desktop::ResponseError;
    match e {
        ashpd::Error::Response(ResponseError::Cancelled) => {
            ScreenError::Portal(crate::t!("err-portal-cancelled"))
        }
        ashpd::Error::PortalNotFound(_) => ScreenError::Portal(crate::t!("err-portal-missing")),
        e => ScreenError::Portal(e.to_string()),
    }
}

/// The local path of a `file://` URI, percent-decoded.
fn file_path(uri: &str) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    let rest = uri.strip_prefix("file://")?;
    // file://host/path: only the local host (empty or "localhost") is ours to read.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(path).collect();
    Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
}

#[cfg(test)]
mod tests {
    use super::file_path;
    use std::path::Path;

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(
            file_path("file:///home/a/Pictures/Screenshot%20from%202026.png").as_deref(),
            Some(Path::new("/home/a/Pictures/Screenshot from 2026.png"))
        );
        assert_eq!(
            file_path("file://localhost/tmp/s.png").as_deref(),
            Some(Path::new("/tmp/s.png"))
        );
        assert_eq!(file_path("file://otherhost/tmp/s.png"), None);
        assert_eq!(file_path("https://example.com/s.png"), None);
    }
}
