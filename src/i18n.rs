//! Every word a person reads, in their language: Project Fluent messages, one
//! file per language under `assets/locales/` (embedded in the binary), terms
//! kept consistent by `assets/locales/GLOSSARY.md`.
//!
//! The language is process-wide: the binary picks it once at start ([`init`]:
//! `--lang`, then `NINSHO_LANG`, then the system locale), the window's Settings
//! may change it ([`set`]); library code that never calls either speaks
//! English, so in-process tests read English unless they ask otherwise.
//!
//! Look messages up with [`t!`](crate::t): `t!("list-empty")`,
//! `t!("import-saved", saved = 3, total = 10)`. Output that scripts read
//! (`--json`, the codes themselves) never goes through here.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language Ninsho speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    En,
    Ja,
    /// English with every message marked `⟦…⟧`: tests use it to find text that
    /// bypasses the message files. Chosen only by `NINSHO_LANG=pseudo`.
    Pseudo,
}

impl Lang {
    /// The languages a person can choose, in the order Settings lists them.
    pub const CHOICES: [Lang; 2] = [Lang::En, Lang::Ja];

    /// The language's name in itself, for a language menu.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
            Lang::Pseudo => "⟦Pseudo⟧",
        }
    }

    /// The BCP 47 tag (`en`, `ja`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En | Lang::Pseudo => "en",
            Lang::Ja => "ja",
        }
    }

    /// Reads a locale or language name: `ja`, `ja_JP.UTF-8`, `ja-JP`, `en_US`,
    /// `C`… Anything that is not Japanese is English, as the issue of a
    /// language we do not have is best met by the one most people read next.
    pub fn from_locale(locale: &str) -> Lang {
        let lang = locale
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match lang.as_str() {
            "ja" | "jp" | "japanese" => Lang::Ja,
            "pseudo" => Lang::Pseudo,
            _ => Lang::En,
        }
    }
}

const EN_FTL: &str = include_str!("../assets/locales/en/ninsho.ftl");
const JA_FTL: &str = include_str!("../assets/locales/ja/ninsho.ftl");

/// The message file of each language, for the tests that compare them.
pub const SOURCES: [(Lang, &str); 2] = [(Lang::En, EN_FTL), (Lang::Ja, JA_FTL)];

static CURRENT: AtomicU8 = AtomicU8::new(0);

fn encode(lang: Lang) -> u8 {
    match lang {
        Lang::En => 0,
        Lang::Ja => 1,
        Lang::Pseudo => 2,
    }
}

/// The language messages are in now.
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Ja,
        2 => Lang::Pseudo,
        _ => Lang::En,
    }
}

/// Switches every later message to `lang`.
pub fn set(lang: Lang) {
    CURRENT.store(encode(lang), Ordering::Relaxed);
}

/// The language the environment asks for: `NINSHO_LANG`, else the system
/// locale (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG` on Linux; the platform's
/// setting on Windows and macOS).
pub fn from_environment() -> Lang {
    if let Some(lang) = std::env::var("NINSHO_LANG").ok().filter(|v| !v.is_empty()) {
        return Lang::from_locale(&lang);
    }
    sys_locale::get_locale()
        .map(|l| Lang::from_locale(&l))
        .unwrap_or(Lang::En)
}

static CHOSEN_FOR_RUN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// True when `--lang` or `NINSHO_LANG` chose the language for this run: the
/// window's saved language then gives way to it.
pub fn chosen_for_this_run() -> bool {
    CHOSEN_FOR_RUN.load(Ordering::Relaxed)
}

/// Picks the process's language at start: `explicit` (`--lang`) when given,
/// else [`from_environment`].
pub fn init(explicit: Option<&str>) -> Lang {
    let env = std::env::var_os("NINSHO_LANG").is_some_and(|v| !v.is_empty());
    CHOSEN_FOR_RUN.store(explicit.is_some() || env, Ordering::Relaxed);
    let lang = explicit
        .map(Lang::from_locale)
        .unwrap_or_else(from_environment);
    set(lang);
    lang
}

type Bundle = FluentBundle<FluentResource>;

fn build(lang: Lang, source: &'static str) -> Bundle {
    let id: LanguageIdentifier = lang.tag().parse().expect("a valid language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: egui and terminals would
    // show them as boxes, and our arguments are names, counts and paths.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(source.to_string())
        .unwrap_or_else(|(_, errors)| panic!("{} messages do not parse: {errors:?}", lang.tag()));
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("{} messages repeat ids: {errors:?}", lang.tag()));
    bundle
}

fn bundle(lang: Lang) -> &'static Bundle {
    static EN: OnceLock<Bundle> = OnceLock::new();
    static JA: OnceLock<Bundle> = OnceLock::new();
    match lang {
        Lang::En | Lang::Pseudo => EN.get_or_init(|| build(Lang::En, EN_FTL)),
        Lang::Ja => JA.get_or_init(|| build(Lang::Ja, JA_FTL)),
    }
}

/// One argument of a message.
pub enum Arg<'a> {
    Text(std::borrow::Cow<'a, str>),
    Number(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(s.into())
    }
}
impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(s.as_str().into())
    }
}
impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Text(s.into())
    }
}
impl<'a> From<std::borrow::Cow<'a, str>> for Arg<'a> {
    fn from(s: std::borrow::Cow<'a, str>) -> Self {
        Arg::Text(s)
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i32, i64, f32, f64);

/// The message `id` in the current language, its arguments filled in. A
/// message missing from a language falls back to English (the tests keep the
/// files complete); an id missing everywhere is shown as itself.
pub fn message(id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let lang = current();
    let text = format_in(lang, id, args)
        .or_else(|| format_in(Lang::En, id, args))
        .unwrap_or_else(|| id.to_string());
    match lang {
        Lang::Pseudo => format!("⟦{text}⟧"),
        _ => text,
    }
}

/// An operating-system error in the reader's language: the common kinds from
/// the message files, with the system's error number kept for a search; any
/// other kind as the system words it.
pub fn io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let text = match e.kind() {
        K::NotFound => crate::t!("err-io-not-found"),
        K::PermissionDenied => crate::t!("err-io-permission-denied"),
        K::AlreadyExists => crate::t!("err-io-already-exists"),
        K::IsADirectory => crate::t!("err-io-is-a-directory"),
        K::NotADirectory => crate::t!("err-io-not-a-directory"),
        K::StorageFull => crate::t!("err-io-storage-full"),
        K::ReadOnlyFilesystem => crate::t!("err-io-read-only"),
        K::DirectoryNotEmpty => crate::t!("err-io-directory-not-empty"),
        K::FileTooLarge => crate::t!("err-io-file-too-large"),
        K::UnexpectedEof => crate::t!("err-io-unexpected-end"),
        _ => return e.to_string(),
    };
    match e.raw_os_error() {
        Some(code) => crate::t!("err-io-with-code", text = text, code = code),
        None => text,
    }
}

/// The message `id` in `lang`, if that language has it.
pub fn format_in(lang: Lang, id: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
    let bundle = bundle(lang);
    let pattern = bundle.get_message(id)?.value()?;
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        let value = match value {
            Arg::Text(s) => FluentValue::from(s.to_string()),
            Arg::Number(n) => FluentValue::from(*n),
        };
        fluent_args.set(*name, value);
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    Some(text.into_owned())
}

/// Looks up a message in the current language: `t!("id")` or
/// `t!("id", name = value, count = n)`.
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::message($id, &[])
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message(
            $id,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_map_to_languages() {
        for (locale, lang) in [
            ("ja_JP.UTF-8", Lang::Ja),
            ("ja-JP", Lang::Ja),
            ("ja", Lang::Ja),
            ("JA_jp.eucJP", Lang::Ja),
            ("en_US.UTF-8", Lang::En),
            ("C", Lang::En),
            ("POSIX", Lang::En),
            ("fr_FR.UTF-8", Lang::En),
            ("", Lang::En),
            ("pseudo", Lang::Pseudo),
        ] {
            assert_eq!(Lang::from_locale(locale), lang, "{locale}");
        }
    }
}
