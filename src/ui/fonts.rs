//! CJK names: egui's bundled fonts have no CJK glyphs, so system fonts are found
//! on demand through fontconfig (egui's `SystemFontProvider`, via fontique).
//!
//! We wrap it for two reasons: prefer Japanese glyph forms for Han characters
//! (our first users are Japanese, and 山田 should not come out in Chinese forms),
//! unless the system locale is Chinese or Korean; and notice when no installed
//! font covers a CJK character, so the window can say so once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use eframe::egui;
use egui::epaint::text::{FallbackRequest, FontInsert, FontProvider};

pub struct CjkFonts {
    inner: egui_system_font_provider::SystemFontProvider,
    missing: Arc<AtomicBool>,
}

/// Installs the provider; the flag turns true when a CJK character had no font.
pub fn install(ctx: &egui::Context) -> Arc<AtomicBool> {
    let missing = Arc::new(AtomicBool::new(false));
    let inner = crate::backup::text::system_fonts();
    ctx.add_font_provider(Arc::new(CjkFonts {
        inner,
        missing: missing.clone(),
    }));
    missing
}

pub use crate::backup::text::is_cjk;

impl FontProvider for CjkFonts {
    fn fonts_for_family(&self, family: &egui::FontFamily) -> Vec<FontInsert> {
        self.inner.fonts_for_family(family)
    }

    fn font_for(&self, request: &FallbackRequest<'_>) -> Option<FontInsert> {
        let found = self.inner.font_for(request);
        if found.is_none() && request.cluster.chars().next().is_some_and(is_cjk) {
            self.missing.store(true, Ordering::Relaxed);
        }
        found
    }
}
