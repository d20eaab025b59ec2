//! Text for the sheet: system fonts chosen per character and shaped into
//! glyphs, so a line can mix Latin and Japanese and still be real PDF text.
//!
//! Fonts come from the same finder the window uses (fontconfig's list through
//! fontique, via `egui_system_font_provider`), preferring Japanese forms for
//! Han characters unless the locale is Chinese or Korean. Each run of
//! characters that one font covers is shaped with rustybuzz; krilla embeds a
//! subset of each font used, with a ToUnicode map from our glyph clusters.

use std::collections::HashMap;
use std::ops::Range;

use eframe::egui::FontFamily;
use eframe::egui::epaint::text::{FallbackRequest, FontProvider};
use egui_system_font_provider::SystemFontProvider;
use krilla::text::{Font, GlyphId, KrillaGlyph};

/// The system font finder, preferring Japanese glyph forms for Han characters
/// unless the user's locale is Chinese or Korean.
pub fn system_fonts() -> SystemFontProvider {
    let lang = std::env::var("LC_ALL")
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("LANG").ok())
        .unwrap_or_default();
    let fonts = SystemFontProvider::new();
    if lang.starts_with("zh") || lang.starts_with("ko") {
        fonts
    } else {
        fonts.with_locale(Some("ja"))
    }
}

/// No installed font has a glyph for this character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::t!("err-missing-glyph", character = .0.to_string(), code = format!("{:04X}", *.0 as u32)))]
pub struct MissingGlyph(pub char);

/// One run of glyphs in one font.
pub struct Run {
    pub font: Font,
    pub glyphs: Vec<KrillaGlyph>,
    pub text: String,
    /// Offset from the start of the line, in points.
    pub x: f32,
}

/// A shaped line of text at one size.
pub struct Line {
    pub runs: Vec<Run>,
    pub size: f32,
    pub width: f32,
}

/// Japanese, Chinese and Korean characters (lines may break between them).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0xFF66..=0xFF9F // half-width Katakana
    )
}

/// A font file's bytes, shared with krilla without a copy.
type Blob = std::sync::Arc<dyn AsRef<[u8]> + Send + Sync>;

struct Loaded {
    font: Font,
    data: Blob,
    index: u32,
    /// Found as a monospace font.
    mono: bool,
}

impl Loaded {
    fn face(&self) -> Option<rustybuzz::Face<'_>> {
        rustybuzz::Face::from_slice((*self.data).as_ref(), self.index)
    }

    fn covers(&self, c: char) -> bool {
        self.face()
            .and_then(|face| face.glyph_index(c))
            .is_some_and(|g| g.0 != 0)
    }
}

pub struct Fonts {
    finder: SystemFontProvider,
    loaded: Vec<Loaded>,
    by_name: HashMap<String, usize>,
    for_char: HashMap<(char, bool), usize>,
}

impl Default for Fonts {
    fn default() -> Self {
        Self::new()
    }
}

impl Fonts {
    pub fn new() -> Self {
        Fonts {
            finder: system_fonts(),
            loaded: Vec::new(),
            by_name: HashMap::new(),
            for_char: HashMap::new(),
        }
    }

    /// The font for `c` (monospace or proportional): the same every time.
    fn font_for(&mut self, c: char, mono: bool) -> Result<usize, MissingGlyph> {
        if let Some(&i) = self.for_char.get(&(c, mono)) {
            return Ok(i);
        }
        // A font already in use covers most characters; checking it first keeps a
        // line (and the file) to few fonts.
        let existing = self
            .loaded
            .iter()
            .position(|f| f.mono == mono && f.covers(c));
        let index = match existing {
            Some(i) => i,
            None => {
                let cluster = c.to_string();
                let insert = self
                    .finder
                    .font_for(&FallbackRequest {
                        cluster: &cluster,
                        family: if mono {
                            &FontFamily::Monospace
                        } else {
                            &FontFamily::Proportional
                        },
                    })
                    .ok_or(MissingGlyph(c))?;
                match self.by_name.get(&insert.name) {
                    Some(&i) => i,
                    None => {
                        let data = insert.data.font;
                        let index = insert.data.index;
                        let loaded = Font::new(data.clone().into(), index)
                            .map(|font| Loaded {
                                font,
                                data,
                                index,
                                mono,
                            })
                            .filter(|f| f.covers(c))
                            .ok_or(MissingGlyph(c))?;
                        self.loaded.push(loaded);
                        self.by_name.insert(insert.name, self.loaded.len() - 1);
                        self.loaded.len() - 1
                    }
                }
            }
        };
        self.for_char.insert((c, mono), index);
        Ok(index)
    }

    /// Shapes `text` into runs, one per font, at `size` points.
    pub fn line(&mut self, text: &str, size: f32, mono: bool) -> Result<Line, MissingGlyph> {
        let mut spans: Vec<(usize, Range<usize>)> = Vec::new();
        for (at, c) in text.char_indices() {
            let end = at + c.len_utf8();
            // Spaces and marks go with the run they are in, whatever font has them.
            let keep = (c.is_whitespace() || is_mark(c)) && !spans.is_empty();
            let font = if keep {
                spans.last().expect("not empty").0
            } else {
                self.font_for(c, mono)?
            };
            match spans.last_mut() {
                Some((f, range)) if *f == font => range.end = end,
                _ => spans.push((font, at..end)),
            }
        }
        let mut runs = Vec::with_capacity(spans.len());
        let mut x = 0.0;
        for (font, range) in spans {
            let loaded = &self.loaded[font];
            let piece = &text[range];
            let glyphs = shape(loaded, piece);
            let font = loaded.font.clone();
            let advance: f32 = glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size;
            runs.push(Run {
                font,
                glyphs,
                text: piece.to_string(),
                x,
            });
            x += advance;
        }
        Ok(Line {
            runs,
            size,
            width: x,
        })
    }

    /// `text` with each character that no installed font has replaced by
    /// U+FFFD (or `?` where even that is missing), and whether any was: one
    /// odd character in a name must not cost the whole sheet.
    pub fn printable(&mut self, text: &str, mono: bool) -> (String, bool) {
        let mut replaced = false;
        let out = text
            .chars()
            .map(|c| {
                // Spaces and marks ride with their neighbours' font (see `line`).
                if c.is_whitespace() || is_mark(c) || self.font_for(c, mono).is_ok() {
                    return c;
                }
                replaced = true;
                if self.font_for('\u{fffd}', mono).is_ok() {
                    '\u{fffd}'
                } else {
                    '?'
                }
            })
            .collect();
        (out, replaced)
    }

    /// The width of `text` at `size` points.
    pub fn width(&mut self, text: &str, size: f32, mono: bool) -> Result<f32, MissingGlyph> {
        Ok(self.line(text, size, mono)?.width)
    }
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x3099..=0x309A | 0xFE00..=0xFE0F | 0x200C..=0x200D)
}

/// Glyphs for `text` in one font, advances in em units, each with the byte
/// range of the text it shows (for copy and search).
fn shape(font: &Loaded, text: &str) -> Vec<KrillaGlyph> {
    let Some(face) = font.face() else {
        return Vec::new();
    };
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(&face, &[], buffer);
    let em = face.units_per_em() as f32;
    let infos = shaped.glyph_infos();
    // A cluster ends where the next larger cluster value begins.
    let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    let end_of = |start: usize| {
        starts
            .iter()
            .find(|&&s| s > start)
            .copied()
            .unwrap_or(text.len())
    };
    infos
        .iter()
        .zip(shaped.glyph_positions())
        .map(|(info, pos)| {
            let start = info.cluster as usize;
            KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                pos.x_advance as f32 / em,
                pos.x_offset as f32 / em,
                pos.y_offset as f32 / em,
                pos.y_advance as f32 / em,
                start..end_of(start),
                None,
            )
        })
        .collect()
}
