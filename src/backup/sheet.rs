//! The printable recovery sheet: one block per account — issuer, account, a QR
//! code of its canonical URI, the secret in groups of four, its parameters,
//! its unused recovery codes with check boxes and the date — under a header
//! that says to keep the sheet offline. A4 or US Letter, as many pages as the
//! accounts need; a block never splits across pages.
//!
//! The QR symbol is 38 mm wide (modules of 0.6–1.3 mm for real URIs), drawn as
//! vector squares, with at least 7 mm of white around it: phones read that from
//! paper at arm's length, and `pdftoppm -r 150` gives at least 3.5 px a module.

use krilla::color::{luma, rgb};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::{Document, SerializeSettings};
use zeroize::Zeroizing;

use super::qr::{self, Qr};
use super::text::{Fonts, Line, MissingGlyph};
use crate::i18n::Lang;
use crate::otp::{Kind, OtpAccount};
use crate::t;

/// Paper sizes in points (1/72 inch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    pub const NAMES: [&'static str; 2] = ["a4", "letter"];

    pub fn parse(name: &str) -> Option<Paper> {
        match name.to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" | "us-letter" => Some(Paper::Letter),
            _ => None,
        }
    }

    /// The paper a person most likely has: A4 for a Japanese sheet (Japan
    /// prints on A4) and wherever the locale's region does, US Letter where it
    /// is the norm. `paper_locale` is `LC_PAPER`, else `LANG` (`en_US.UTF-8`).
    pub fn for_locale(lang: Lang, paper_locale: &str) -> Paper {
        let letter = ["_US", "_CA", "_MX", "_PH", "_CL", "_CO", "_VE"]
            .iter()
            .any(|r| paper_locale.contains(r));
        if letter && lang != Lang::Ja {
            Paper::Letter
        } else {
            Paper::A4
        }
    }

    /// [`Paper::for_locale`] for this process: the sheet's language and the
    /// environment's `LC_PAPER` or `LANG`.
    pub fn from_environment() -> Paper {
        let locale = std::env::var("LC_PAPER")
            .or_else(|_| std::env::var("LANG"))
            .unwrap_or_default();
        Paper::for_locale(crate::i18n::current(), &locale)
    }

    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (mm(210.0), mm(297.0)),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// One account on the sheet, with the recovery codes still to print (unused).
pub struct SheetAccount {
    pub account: OtpAccount,
    pub recovery_codes: Vec<Zeroizing<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error(transparent)]
    Font(#[from] MissingGlyph),
    #[error("{0}")]
    Qr(String),
    #[error("{}", t!("sheet-error-pdf", reason = .0))]
    Pdf(String),
    /// What went wrong with one account's block, naming the account.
    #[error("{account}: {source}")]
    Account {
        account: String,
        source: Box<SheetError>,
    },
}

fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

const MARGIN: f32 = 12.0; // mm
const QR_SYMBOL: f32 = 38.0; // mm
const QR_QUIET: f32 = 7.0; // mm of white around the symbol, at least
const QR_COLUMN: f32 = QR_SYMBOL + 2.0 * QR_QUIET;
const CODE_ROW: f32 = 14.0; // pt
const BOX: f32 = 7.5; // pt

/// Something placed in a block, relative to the block's top left.
enum Mark {
    /// A line of text; `y` is its baseline.
    Text {
        line: Line,
        x: f32,
        y: f32,
        grey: bool,
    },
    Qr {
        qr: Qr,
        x: f32,
        y: f32,
        side: f32,
    },
    CheckBox {
        x: f32,
        y: f32,
    },
    Rule {
        y: f32,
        width: f32,
    },
}

struct Block {
    marks: Vec<Mark>,
    height: f32,
}

/// Lays text out into lines no wider than `width`, breaking after spaces or
/// between CJK characters (or anywhere, for a word too long for a line). Past
/// `max_lines` the last line ends with an ellipsis.
fn wrap(
    fonts: &mut Fonts,
    text: &str,
    size: f32,
    mono: bool,
    width: f32,
    max_lines: usize,
) -> Result<Vec<Line>, MissingGlyph> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for token in tokens(text) {
        let candidate = format!("{current}{token}");
        if !current.is_empty() && fonts.width(candidate.trim_end(), size, mono)? > width {
            lines.push(std::mem::take(&mut current));
            current = token.trim_start().to_string();
        } else {
            current = candidate;
        }
        // A token wider than a whole line is broken between characters.
        if fonts.width(current.trim_end(), size, mono)? > width {
            let mut piece = String::new();
            for c in current.chars() {
                let longer = format!("{piece}{c}");
                if !piece.is_empty() && fonts.width(longer.trim_end(), size, mono)? > width {
                    lines.push(std::mem::take(&mut piece));
                }
                piece.push(c);
            }
            current = piece;
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = lines.last_mut().expect("max_lines > 0");
        while !last.is_empty() && fonts.width(&format!("{}…", last.trim_end()), size, mono)? > width
        {
            last.pop();
        }
        *last = format!("{}…", last.trim_end());
    }
    lines
        .iter()
        .map(|l| fonts.line(l.trim_end(), size, mono))
        .collect()
}

/// Break opportunities: words with their trailing spaces, and single CJK
/// characters (Japanese has no spaces between words). Japanese line-breaking
/// rules (kinsoku) keep closing punctuation, small kana and the long-vowel mark
/// off the start of a line, and opening brackets off its end.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let breaks = prev.is_some_and(|p| {
            if p.is_whitespace() {
                true
            } else if no_break_after(p) || no_break_before(c) {
                false
            } else {
                wide(p) || wide(c)
            }
        });
        match out.last_mut() {
            Some(token) if !breaks => token.push(c),
            _ => out.push(c.to_string()),
        }
        prev = Some(c);
    }
    out
}

/// Characters lines may break around as around a CJK character: the
/// characters themselves and CJK punctuation and full-width forms.
fn wide(c: char) -> bool {
    crate::backup::text::is_cjk(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF65)
}

/// Closing punctuation, small kana and marks a Japanese line never starts with.
fn no_break_before(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '］'
            | '｝'
            | '！'
            | '？'
            | '：'
            | '；'
            | '・'
            | 'ー'
            | '々'
            | '〜'
            | '…'
            | '‥'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | ')'
            | ']'
            | '}'
            | ','
            | '.'
            | ':'
            | ';'
            | '!'
            | '?'
    )
}

/// Opening brackets a Japanese line never ends with.
fn no_break_after(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '【' | '〔' | '〈' | '《' | '［' | '｛' | '(' | '[' | '{'
    )
}

/// "ABCD EFGH IJKL …"
pub fn group_secret(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn parameters(account: &OtpAccount) -> String {
    let p = &account.params;
    let algorithm = p.algorithm.as_str();
    match p.kind {
        Kind::Totp => t!(
            "sheet-totp",
            algorithm = algorithm,
            digits = p.digits,
            period = p.period
        ),
        // As text: a counter may be past what a float holds exactly.
        Kind::Hotp => t!(
            "sheet-hotp",
            algorithm = algorithm,
            digits = p.digits,
            counter = p.counter.to_string()
        ),
        Kind::Steam => t!("sheet-steam", period = p.period),
    }
}

/// One account's block, at most `max_height` tall (a page's body).
fn block(
    fonts: &mut Fonts,
    item: &SheetAccount,
    width: f32,
    max_height: f32,
    printed: &str,
) -> Result<Block, SheetError> {
    let a = &item.account;
    let mut marks = Vec::new();
    let side = mm(QR_SYMBOL);
    let top = mm(QR_QUIET);
    // Names up to Ninsho's limit can percent-encode past what a QR code holds:
    // that account is printed without one (the secret text restores it), and
    // the others keep theirs.
    let no_qr = match qr::account_qr(a) {
        Ok(qr) => {
            marks.push(Mark::Qr {
                qr,
                x: mm(QR_QUIET),
                y: top,
                side,
            });
            None
        }
        Err(_) => Some(t!("sheet-no-qr", bytes = crate::otp::format_uri(a).len())),
    };

    let x = mm(QR_COLUMN);
    let text_width = width - x;
    let mut y = top;
    // Each line takes 1.25 of its size; the baseline sits at the line's bottom
    // less a quarter of the size (room for descenders).
    let add = |marks: &mut Vec<Mark>, lines: Vec<Line>, grey: bool, y: &mut f32| {
        for line in lines {
            *y += line.size * 1.25;
            marks.push(Mark::Text {
                x,
                y: *y - line.size * 0.25,
                line,
                grey,
            });
        }
    };
    let (title, subtitle) = if a.issuer.is_empty() {
        (a.name.as_str(), "")
    } else {
        (a.issuer.as_str(), a.name.as_str())
    };
    let no_name = t!("sheet-no-name");
    let title = if title.is_empty() { &no_name } else { title };
    let (title, odd_title) = fonts.printable(title, false);
    let (subtitle, odd_subtitle) = fonts.printable(subtitle, false);
    add(
        &mut marks,
        wrap(fonts, &title, 14.0, false, text_width, 2)?,
        false,
        &mut y,
    );
    if !subtitle.is_empty() {
        add(
            &mut marks,
            wrap(fonts, &subtitle, 10.5, false, text_width, 2)?,
            false,
            &mut y,
        );
    }
    let mut notes: Vec<String> = no_qr.into_iter().collect();
    if odd_title || odd_subtitle {
        notes.push(t!("sheet-unprintable"));
    }
    for note in notes {
        y += 2.0;
        add(
            &mut marks,
            wrap(fonts, &note, 8.0, false, text_width, 3)?,
            true,
            &mut y,
        );
    }
    y += 4.0;
    add(
        &mut marks,
        wrap(fonts, &t!("sheet-secret-key"), 7.5, false, text_width, 2)?,
        true,
        &mut y,
    );
    let secret = Zeroizing::new(group_secret(&a.secret.to_base32()));
    add(
        &mut marks,
        wrap(fonts, &secret, 11.0, true, text_width, 8)?,
        false,
        &mut y,
    );
    y += 2.0;
    let params = t!(
        "sheet-parameters-printed",
        parameters = parameters(a),
        date = printed
    );
    add(
        &mut marks,
        wrap(fonts, &params, 8.5, false, text_width, 2)?,
        true,
        &mut y,
    );
    y += 4.0;

    let codes = &item.recovery_codes;
    if codes.is_empty() {
        add(
            &mut marks,
            wrap(
                fonts,
                &t!("sheet-no-recovery-codes"),
                7.5,
                false,
                text_width,
                2,
            )?,
            true,
            &mut y,
        );
    } else {
        let heading = t!("sheet-recovery-codes", count = codes.len());
        add(
            &mut marks,
            wrap(fonts, &heading, 7.5, false, text_width, 2)?,
            true,
            &mut y,
        );
        let lines = codes
            .iter()
            .map(|c| {
                let code = Zeroizing::new(fonts.printable(c, true).0);
                fonts.line(&code, 10.0, true)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let widest = lines.iter().map(|l| l.width).fold(0.0, f32::max);
        let column = BOX + 6.0 + widest + 14.0;
        let columns = ((text_width / column) as usize).clamp(1, 4);
        // A block must fit on a page: past that, the last slot says how many
        // codes did not fit (they stay in Ninsho).
        let max_rows = (((max_height - y - 12.0) / CODE_ROW) as usize).max(1);
        let mut rows = codes.len().div_ceil(columns);
        let mut lines = lines;
        if rows > max_rows {
            rows = max_rows;
            let shown = rows * columns - 1;
            let more = t!("sheet-more-codes", count = codes.len() - shown);
            lines.truncate(shown);
            // The note takes the last slot: smaller type where the language's
            // words are longer than the slot is wide.
            let room = text_width - (columns - 1) as f32 * column;
            let wide = fonts.width(&more, 8.0, false)?;
            let size = if wide > room {
                (8.0 * room / wide).max(5.5)
            } else {
                8.0
            };
            lines.push(fonts.line(&more, size, false)?);
        }
        let total = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            if i == total - 1 && total < codes.len() {
                let (row, col) = (i % rows, i / rows);
                marks.push(Mark::Text {
                    line,
                    x: x + col as f32 * column,
                    y: y + row as f32 * CODE_ROW + 3.0 + BOX - 0.5,
                    grey: true,
                });
                continue;
            }
            let (row, col) = (i % rows, i / rows);
            let cx = x + col as f32 * column;
            let cy = y + row as f32 * CODE_ROW;
            marks.push(Mark::CheckBox { x: cx, y: cy + 3.0 });
            marks.push(Mark::Text {
                line,
                x: cx + BOX + 6.0,
                y: cy + 3.0 + BOX - 0.5,
                grey: false,
            });
        }
        y += rows as f32 * CODE_ROW + 3.0;
    }
    let height = (y + 6.0).max(mm(QR_SYMBOL + 2.0 * QR_QUIET));
    marks.push(Mark::Rule { y: height, width });
    Ok(Block { marks, height })
}

fn draw_line(surface: &mut Surface, line: &Line, x: f32, y: f32, grey: bool) {
    let paint = if grey {
        rgb::Color::new(85, 85, 85).into()
    } else {
        luma::Color::black().into()
    };
    surface.set_fill(Some(Fill {
        paint,
        ..Default::default()
    }));
    for run in &line.runs {
        surface.draw_glyphs(
            Point::from_xy(x + run.x, y),
            &run.glyphs,
            run.font.clone(),
            &run.text,
            line.size,
            false,
        );
    }
}

fn draw_mark(surface: &mut Surface, mark: &Mark, ox: f32, oy: f32) {
    match mark {
        Mark::Text { line, x, y, grey } => draw_line(surface, line, ox + x, oy + y, *grey),
        Mark::Qr { qr, x, y, side } => {
            let module = side / qr.width as f32;
            let mut pb = PathBuilder::new();
            for (row, col, len) in qr.dark_runs() {
                if let Some(r) = Rect::from_xywh(
                    ox + x + col as f32 * module,
                    oy + y + row as f32 * module,
                    len as f32 * module,
                    module,
                ) {
                    pb.push_rect(r);
                }
            }
            if let Some(path) = pb.finish() {
                surface.set_fill(Some(Fill::default()));
                surface.draw_path(&path);
            }
        }
        Mark::CheckBox { x, y } => stroke_rect(surface, ox + x, oy + y, BOX, BOX, 0.8),
        Mark::Rule { y, width } => {
            stroke_line(surface, ox, oy + y, ox + width, 0.5);
        }
    }
}

fn stroke_rect(surface: &mut Surface, x: f32, y: f32, w: f32, h: f32, width: f32) {
    let Some(rect) = Rect::from_xywh(x, y, w, h) else {
        return;
    };
    let mut pb = PathBuilder::new();
    pb.push_rect(rect);
    if let Some(path) = pb.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            width,
            ..Default::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

fn stroke_line(surface: &mut Surface, x0: f32, y: f32, x1: f32, width: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(x0, y);
    pb.line_to(x1, y);
    if let Some(path) = pb.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            width,
            paint: luma::Color::new(150).into(),
            ..Default::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

/// Renders the sheet. `printed` is the date shown on it.
pub fn render_sheet(
    accounts: &[SheetAccount],
    paper: Paper,
    printed: &str,
) -> Result<Zeroizing<Vec<u8>>, SheetError> {
    let mut fonts = Fonts::new();
    let (page_w, page_h) = paper.size();
    let margin = mm(MARGIN);
    let content_w = page_w - 2.0 * margin;

    let title_text = t!("sheet-title");
    let title = wrap(&mut fonts, &title_text, 17.0, false, content_w, 2)?;
    let warning = wrap(&mut fonts, &t!("sheet-warning"), 8.5, false, content_w, 4)?;
    let header_h = title.len() as f32 * 17.0 * 1.2 + warning.len() as f32 * 8.5 * 1.3 + 8.0;
    let footer_h = 16.0;
    let body_top = margin + header_h;
    let body_h = page_h - body_top - margin - footer_h;

    // Lay every account out, then fill pages: a block never splits.
    let mut pages: Vec<Vec<(Block, f32)>> = vec![Vec::new()];
    let mut y = 0.0;
    for item in accounts {
        let b = block(&mut fonts, item, content_w, body_h, printed).map_err(|e| {
            SheetError::Account {
                account: item.account.display_name(),
                source: Box::new(e),
            }
        })?;
        if y > 0.0 && y + b.height > body_h {
            pages.push(Vec::new());
            y = 0.0;
        }
        let h = b.height;
        pages.last_mut().expect("one page at least").push((b, y));
        y += h;
    }

    let mut document = Document::new_with(SerializeSettings::default());
    document.set_metadata(
        Metadata::new()
            .title(title_text)
            .language(crate::i18n::current().tag().to_string())
            .creator("Ninsho".to_string()),
    );
    let total = pages.len();
    let settings = PageSettings::from_wh(page_w, page_h)
        .ok_or_else(|| SheetError::Pdf("bad page size".into()))?;
    for (n, blocks) in pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut hy = margin + 17.0 - 17.0 * 1.2;
        for line in &title {
            hy += 17.0 * 1.2;
            draw_line(&mut surface, line, margin, hy, false);
        }
        for line in &warning {
            hy += 8.5 * 1.3;
            draw_line(&mut surface, line, margin, hy, false);
        }
        stroke_line(&mut surface, margin, body_top - 2.0, page_w - margin, 1.0);
        for (b, by) in blocks {
            for mark in &b.marks {
                draw_mark(&mut surface, mark, margin, body_top + by);
            }
        }
        let footer = fonts.line(
            &t!("sheet-footer", date = printed, page = n + 1, pages = total),
            8.0,
            false,
        )?;
        draw_line(&mut surface, &footer, margin, page_h - margin, true);
        surface.finish();
        page.finish();
    }
    let bytes = document
        .finish()
        .map_err(|e| SheetError::Pdf(format!("{e:?}")))?;
    Ok(Zeroizing::new(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_grouped_in_fours() {
        assert_eq!(group_secret("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
        assert_eq!(group_secret("ABCDEF"), "ABCD EF");
    }

    #[test]
    fn japanese_breaks_between_characters_and_words_at_spaces() {
        assert_eq!(tokens("山田 太郎"), ["山", "田", " ", "太", "郎"]);
        assert_eq!(tokens("Big Bank Ltd"), ["Big ", "Bank ", "Ltd"]);
        assert_eq!(tokens("QRコード"), ["QR", "コー", "ド"]);
    }

    #[test]
    fn japanese_lines_never_start_with_closing_punctuation_nor_end_with_opening() {
        assert_eq!(
            tokens("保管し、「キー」（秘密）。ちょっと"),
            [
                "保",
                "管",
                "し、",
                "「キー」",
                "（秘",
                "密）。",
                "ちょっ",
                "と"
            ]
        );
        assert_eq!(tokens("Ninshoで"), ["Ninsho", "で"]);
        assert_eq!(
            tokens("URI（123バイト）"),
            ["URI", "（123", "バ", "イ", "ト）"]
        );
    }

    #[test]
    fn japanese_text_wraps_within_the_width_at_character_boundaries() {
        let mut fonts = Fonts::new();
        let text = "このシートはオフラインで安全な場所に保管してください。写真に撮ったり、信頼できないパソコンに取り込んだりしないでください。";
        let Ok(lines) = wrap(&mut fonts, text, 10.0, false, 120.0, 20) else {
            return; // no Japanese font installed here
        };
        assert!(lines.len() > 3, "{} lines", lines.len());
        let texts: Vec<String> = lines
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect())
            .collect();
        assert_eq!(texts.concat(), text);
        for (line, text) in lines.iter().zip(&texts) {
            assert!(line.width <= 120.0, "{text:?} is {} wide", line.width);
            assert!(!text.starts_with(['、', '。', 'ー', 'っ']), "{texts:?}");
        }
    }

    #[test]
    fn japanese_sheets_default_to_a4_english_ones_follow_the_locale() {
        assert_eq!(Paper::for_locale(Lang::En, "en_US.UTF-8"), Paper::Letter);
        assert_eq!(Paper::for_locale(Lang::En, "en_GB.UTF-8"), Paper::A4);
        assert_eq!(Paper::for_locale(Lang::En, ""), Paper::A4);
        assert_eq!(Paper::for_locale(Lang::Ja, "en_US.UTF-8"), Paper::A4);
        assert_eq!(Paper::for_locale(Lang::Ja, "ja_JP.UTF-8"), Paper::A4);
    }

    /// One account with these recovery codes.
    fn with_codes(codes: impl Iterator<Item = String>) -> SheetAccount {
        let account = crate::otp::parse_uri("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP")
            .unwrap()
            .account;
        SheetAccount {
            account,
            recovery_codes: codes.map(Zeroizing::new).collect(),
        }
    }

    #[test]
    fn a_block_never_outgrows_a_page() {
        let item = with_codes((0..100).map(|i| format!("{i:03}-{}", "x".repeat(40))));
        let mut fonts = Fonts::new();
        let block = block(&mut fonts, &item, 500.0, 400.0, "2026-01-01").unwrap();
        assert!(block.height <= 400.0 + 1.0, "{}", block.height);
        let texts: Vec<String> = block
            .marks
            .iter()
            .filter_map(|m| match m {
                Mark::Text { line, .. } => Some(line.runs.iter().map(|r| r.text.clone()).collect()),
                _ => None,
            })
            .collect();
        assert!(
            texts.iter().any(|t| t.contains("more in Ninsho")),
            "{texts:?}"
        );
    }

    #[test]
    fn the_note_of_codes_left_out_stays_inside_the_block() {
        let item = with_codes((0..100).map(|i| format!("{i:08}")));
        let mut fonts = Fonts::new();
        let width = mm(QR_COLUMN) + 160.0;
        let block = block(&mut fonts, &item, width, 200.0, "2026-01-01").unwrap();
        let mut notes = 0;
        for mark in &block.marks {
            if let Mark::Text { line, x, .. } = mark {
                let text: String = line.runs.iter().map(|r| r.text.as_str()).collect();
                assert!(x + line.width <= width + 0.5, "{text:?} overflows");
                notes += usize::from(text.contains("more in Ninsho"));
            }
        }
        assert_eq!(notes, 1);
    }

    #[test]
    fn paper_names() {
        assert_eq!(Paper::parse("A4"), Some(Paper::A4));
        assert_eq!(Paper::parse("letter"), Some(Paper::Letter));
        assert_eq!(Paper::parse("legal"), None);
        let (w, h) = Paper::A4.size();
        assert!((w - 595.28).abs() < 0.01 && (h - 841.89).abs() < 0.01);
    }
}
