//! The command line: `ninsho list | code | add | edit | remove | import | export | scan | recovery | backup | follow | store | lock`.
//!
//! Exit status 0 on success, 1 with a one-line `ninsho: …` message on stderr on
//! any error, 2 for usage errors (clap). Only this edge uses `anyhow`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use zeroize::Zeroizing;

use crate::formats;
pub use crate::otp::migration::batch_notes;
use crate::otp::{self, Algorithm, Kind, OtpAccount, Params, Secret};
use crate::t;
use crate::vault::keyring::{KeyringStore, service_name};
use crate::vault::{self, SecretStore, StoreError, Vault};

mod backup;
mod follow;
mod help;
mod lock;
mod recovery;
mod scan;
mod store;

/// Largest image `scan` reads: a screenshot of an 8K screen is tens of MiB.
/// (Import files are capped lower, at `formats::MAX_FILE_BYTES`.)
const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Parser, Debug)]
#[command(
    name = "ninsho",
    version,
    about = "Two-factor authentication codes, with secrets in your OS keyring",
    long_about = "Two-factor authentication codes (TOTP, HOTP, Steam) with secrets in your OS keyring.\n\
                  Run without a command to open the window."
)]
pub struct Cli {
    /// Folder for the account list (no secrets); default: the platform data folder.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Language of messages (en, ja); default: NINSHO_LANG, else the system's.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// With the encrypted file store: file holding its password (first line);
    /// without it, a terminal asks.
    #[arg(long, global = true, value_name = "F")]
    pub store_password_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List accounts (never secrets).
    List {
        /// Print the list as JSON (names and parameters, never secrets).
        #[arg(long)]
        json: bool,
    },
    /// Print the current code of one account, or of a URI without storing it.
    Code(CodeArgs),
    /// Add an account from an otpauth:// URI or from fields.
    Add(AddArgs),
    /// Rename an account or move it to another group (the secret stays as it is).
    Edit(EditArgs),
    /// Remove accounts and their secrets.
    Remove {
        /// Issuer, account name, or part of them; each must match one account.
        #[arg(required = true, value_name = "QUERY")]
        queries: Vec<String>,
        /// Confirm the removal.
        #[arg(long)]
        yes: bool,
    },
    /// Import accounts from another authenticator's export.
    Import(ImportArgs),
    /// Write every account to a file another authenticator can import.
    Export(ExportArgs),
    /// Find authenticator QR codes in images or on the screen.
    Scan(ScanArgs),
    /// Recovery (backup) codes a service gave for an account, kept in the keyring.
    Recovery {
        #[command(subcommand)]
        command: recovery::RecoveryCommand,
    },
    /// Automatic encrypted backups to a folder (Aegis format), after every change.
    Backup {
        #[command(subcommand)]
        command: backup::BackupCommand,
    },
    /// Follow another device's backups (a file or a synced folder) and apply its changes after review.
    Follow {
        #[command(subcommand)]
        command: follow::FollowCommand,
    },
    /// Where the secrets are kept: the OS keyring (default) or an encrypted file.
    Store {
        #[command(subcommand)]
        command: store::StoreCommand,
    },
    /// Lock every running Ninsho window.
    Lock,
}

#[derive(Args, Debug)]
pub struct CodeArgs {
    /// Issuer, account name, or part of them (fuzzy).
    #[arg(required_unless_present = "uri", conflicts_with = "uri")]
    pub query: Option<String>,
    /// Compute the code of this otpauth:// URI; nothing is stored ("-" reads
    /// it from standard input, keeping the secret off the command line).
    #[arg(long, value_name = "URI")]
    pub uri: Option<String>,
    /// Unix time to compute the code for (default: now).
    #[arg(long, value_name = "UNIX")]
    pub at: Option<u64>,
    /// HOTP: advance the counter and print the next code.
    #[arg(long, conflicts_with = "uri")]
    pub next: bool,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// An otpauth:// URI ("-" reads it from standard input).
    #[arg(conflicts_with_all = ["issuer", "account", "secret"])]
    pub uri: Option<String>,
    /// The service, e.g. GitHub (with --secret).
    #[arg(long, requires = "secret")]
    pub issuer: Option<String>,
    /// The account name at that service, e.g. alice@example.com (with --secret).
    #[arg(long, requires = "secret")]
    pub account: Option<String>,
    /// Base32 secret ("-" reads it from standard input, keeping it out of shell history).
    #[arg(long, required_unless_present = "uri")]
    pub secret: Option<String>,
    /// Hash algorithm (default SHA1).
    #[arg(long, value_name = "SHA1|SHA256|SHA512")]
    pub algorithm: Option<String>,
    /// Digits in a code (default 6).
    #[arg(long)]
    pub digits: Option<String>,
    /// Seconds a code lasts (default 30).
    #[arg(long, value_name = "SECONDS")]
    pub period: Option<String>,
    /// Counter-based (HOTP) instead of time-based.
    #[arg(long, conflicts_with = "steam")]
    pub hotp: bool,
    /// Steam Guard code.
    #[arg(long)]
    pub steam: bool,
    /// HOTP: the counter to start from (default 0).
    #[arg(long, requires = "hotp")]
    pub counter: Option<String>,
}

#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("change").required(true).multiple(true))]
pub struct EditArgs {
    /// Issuer, account name, or part of them (fuzzy).
    pub query: String,
    /// New issuer ("" clears it).
    #[arg(long, group = "change")]
    pub issuer: Option<String>,
    /// New account name ("" clears it).
    #[arg(long, alias = "name", group = "change")]
    pub account: Option<String>,
    /// New group ("" takes the account out of its group).
    #[arg(long, group = "change")]
    pub group: Option<String>,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The export file of the other app.
    pub file: PathBuf,
    /// Format name; detected from the content when omitted.
    #[arg(long, value_name = "NAME")]
    pub format: Option<String>,
    /// File holding the export's password (first line).
    #[arg(long, value_name = "F")]
    pub password_file: Option<PathBuf>,
    /// Show what would be added; store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// aegis-encrypted, aegis (unencrypted), otpauth (URI list, unencrypted) or
    /// pdf (printable recovery sheet).
    #[arg(long, value_name = "FORMAT")]
    pub format: String,
    /// Only these accounts (issuer, account name, or part of them); default: all.
    #[arg(long, value_name = "QUERY", num_args = 1..)]
    pub accounts: Vec<String>,
    /// Paper size of the pdf sheet.
    #[arg(long, value_name = "a4|letter")]
    pub paper: Option<String>,
    /// File to write (replaced if it exists; created readable by you only).
    #[arg(long, value_name = "FILE")]
    pub output: PathBuf,
    /// File holding the password for an encrypted format (first line).
    #[arg(long, value_name = "F")]
    pub password_file: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Screenshots or photos (PNG, JPEG, WebP, BMP, GIF).
    #[arg(required_unless_present = "screen", value_name = "IMAGE")]
    pub images: Vec<PathBuf>,
    /// Capture every monitor and scan it too.
    #[arg(long)]
    pub screen: bool,
    /// Print the accounts found as JSON (includes secrets).
    #[arg(long)]
    pub json: bool,
    /// Save the accounts found (duplicates are skipped).
    #[arg(long)]
    pub add: bool,
}

/// A store that could not be reached: every call reports why.
struct Unreachable(StoreError);

impl SecretStore for Unreachable {
    fn set(&self, _: &str, _: &str, _: &[u8]) -> Result<(), StoreError> {
        Err(self.0.clone())
    }
    fn get(&self, _: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        Err(self.0.clone())
    }
    fn delete(&self, _: &str) -> Result<bool, StoreError> {
        Err(self.0.clone())
    }
    fn ids(&self) -> Result<Vec<String>, StoreError> {
        Err(self.0.clone())
    }
}

type CliVault = Vault<Box<dyn SecretStore>>;

fn resolve_data_dir(data_dir: Option<&Path>) -> Result<PathBuf> {
    match data_dir {
        Some(d) => Ok(d.to_path_buf()),
        None => vault::default_data_dir().ok_or_else(|| anyhow!(crate::t!("cli-no-data-dir"))),
    }
}

fn open_vault(data_dir: Option<&Path>) -> Result<CliVault> {
    let dir = resolve_data_dir(data_dir)?;
    Ok(Vault::open(&dir, store::connect(&dir))?)
}

/// Opens the vault and finishes any write a killed process left pending (cheap
/// when there is none), telling the user what was repaired.
fn open_ready_vault(data_dir: Option<&Path>, stderr: &mut dyn Write) -> Result<CliVault> {
    let mut vault = open_vault(data_dir)?;
    // A note may quote a keyring item's user name, which anyone could have set.
    for note in vault.finish_interrupted()? {
        writeln!(stderr, "ninsho: {}", otp::printable(&note))?;
    }
    Ok(vault)
}

/// Runs start-up repair, telling the user what it did.
fn repair(vault: &mut CliVault, stderr: &mut dyn Write) -> Result<()> {
    for note in vault.repair()? {
        writeln!(stderr, "ninsho: {}", otp::printable(&note))?;
    }
    for path in formats::export::sweep_remembered(vault.dir()) {
        let path = path.display().to_string();
        writeln!(
            stderr,
            "ninsho: {}",
            t!("cli-repaired-export", path = otp::printable(&path))
        )?;
    }
    Ok(())
}

fn now() -> u64 {
    vault::system_clock()
}

/// Secrets, passwords and recovery codes read from stdin or a file: far below
/// this, and the cap keeps a mistaken pipe from filling memory.
const MAX_SECRET_INPUT: usize = 1 << 20;

/// Standard input, read through wiping buffers (a growing `String` would free
/// copies of the secret as it grows).
fn read_stdin_secret() -> Result<Zeroizing<String>> {
    Ok(otp::wipe::read_text(
        std::io::stdin().lock(),
        MAX_SECRET_INPUT,
        &t!("cli-standard-input"),
    )?)
}

/// Runs a parsed command. Output goes to the given writers so tests can capture it.
pub fn run(cli: Cli, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Result<()> {
    let data_dir = cli.data_dir.as_deref();
    store::set_password_file(cli.store_password_file.clone());
    // Backups on: the accounts as they were, to back up once if they change.
    let watch = backup::watch(data_dir, cli.command.as_ref());
    let result = match cli.command {
        None => crate::ui::run(resolve_data_dir(data_dir)?),
        Some(Command::List { json }) => list(data_dir, json, stdout, stderr),
        Some(Command::Code(args)) => code(data_dir, args, stdout, stderr),
        Some(Command::Add(args)) => add(data_dir, args, stdout, stderr),
        Some(Command::Edit(args)) => edit(data_dir, args, stdout, stderr),
        Some(Command::Remove { queries, yes }) => remove(data_dir, &queries, yes, stdout, stderr),
        Some(Command::Import(args)) => import(data_dir, args, stdout, stderr),
        Some(Command::Export(args)) => export(data_dir, args, stdout, stderr),
        Some(Command::Scan(args)) => scan::scan(data_dir, args, stdout, stderr),
        Some(Command::Recovery { command }) => {
            recovery::recovery(data_dir, command, stdout, stderr)
        }
        Some(Command::Backup { command }) => backup::backup(data_dir, command, stdout, stderr),
        Some(Command::Follow { command }) => follow::follow(data_dir, command, stdout, stderr),
        Some(Command::Store { command }) => store::store(data_dir, command, stdout, stderr),
        Some(Command::Lock) => lock::lock(data_dir, stdout),
    };
    if result.is_ok()
        && let Some(watch) = watch
    {
        backup::after_change(watch, stderr)?;
    }
    result
}

fn list(
    data_dir: Option<&Path>,
    json: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let mut vault = open_vault(data_dir)?;
    // Listing needs no secrets: a missing keyring is a warning here, not an error.
    if let Err(e) = repair(&mut vault, stderr) {
        writeln!(
            stderr,
            "ninsho: {}",
            t!("cli-warning", text = e.to_string())
        )?;
    }
    if json {
        let all: Vec<_> = vault.entries().map(|e| e.to_json()).collect();
        writeln!(stdout, "{}", serde_json::to_string_pretty(&all)?)?;
        return Ok(());
    }
    let rows: Vec<[String; 4]> = vault
        .entries()
        .map(|e| {
            let params = match e.kind {
                Kind::Hotp => format!(
                    "hotp {} {}d #{}",
                    e.algorithm.as_str(),
                    e.digits,
                    e.counter.unwrap_or(0)
                ),
                Kind::Steam => "steam".to_string(),
                Kind::Totp => format!(
                    "totp {} {}d {}s",
                    e.algorithm.as_str(),
                    e.digits,
                    e.period.unwrap_or(otp::DEFAULT_PERIOD)
                ),
            };
            // Names saved by older versions may hold control characters.
            let shown = |t: &str| otp::printable(t).into_owned();
            [shown(&e.issuer), shown(&e.name), params, shown(&e.group)]
        })
        .collect();
    if rows.is_empty() {
        writeln!(stderr, "ninsho: {}", t!("cli-list-empty"))?;
        return Ok(());
    }
    let header = [
        t!("cli-list-header-issuer"),
        t!("cli-list-header-account"),
        t!("cli-list-header-type"),
        t!("cli-list-header-group"),
    ];
    for line in columns(std::iter::once(&header).chain(&rows)) {
        writeln!(stdout, "{line}")?;
    }
    Ok(())
}

/// Lines of left-aligned columns two spaces apart, measured in terminal cells:
/// a Japanese name is twice as wide as it has characters. The last column is
/// not padded, so no line ends in spaces.
fn columns<'a, const N: usize>(rows: impl Iterator<Item = &'a [String; N]> + Clone) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let mut widths = [0usize; N];
    for row in rows.clone() {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    rows.map(|row| {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < N {
                line.extend(std::iter::repeat_n(' ', widths[i] - cell.width() + 2));
            }
        }
        line.trim_end().to_string()
    })
    .collect()
}

fn code(
    data_dir: Option<&Path>,
    args: CodeArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let at = args.at.unwrap_or_else(now);
    if let Some(uri) = args.uri {
        let uri = match uri.as_str() {
            "-" => read_stdin_secret()?,
            _ => Zeroizing::new(uri),
        };
        let parsed = otp::parse_uri(uri.trim())?;
        for w in &parsed.warnings {
            writeln!(
                stderr,
                "ninsho: {}",
                t!("cli-warning", text = w.to_string())
            )?;
        }
        writeln!(stdout, "{}", parsed.account.code_at(at))?;
        return Ok(());
    }
    let query = args.query.unwrap_or_default();
    let mut vault = open_ready_vault(data_dir, stderr)?;
    let entry = vault.find(&query)?.clone();
    let mut account = vault.account(&entry)?;
    if args.next {
        if entry.kind != Kind::Hotp {
            bail!(t!("cli-next-not-hotp", name = entry.display_name()));
        }
        let next = account
            .params
            .counter
            .checked_add(1)
            .ok_or_else(|| anyhow!(t!("cli-counter-at-max", name = entry.display_name())))?;
        vault.set_counter(entry.id, next)?;
        account.params.counter = next;
    }
    writeln!(stdout, "{}", account.code_at(at))?;
    Ok(())
}

fn account_from_fields(args: &AddArgs) -> Result<OtpAccount> {
    let secret_text = match args.secret.as_deref() {
        Some("-") => read_stdin_secret()?,
        Some(s) => Zeroizing::new(s.to_string()),
        None => bail!(t!("cli-secret-required")),
    };
    let secret = Secret::parse_base32(&secret_text)?;
    let issuer = args.issuer.clone().unwrap_or_default().trim().to_string();
    let name = args.account.clone().unwrap_or_default().trim().to_string();
    if issuer.is_empty() && name.is_empty() {
        bail!(t!("cli-needs-issuer-or-account"));
    }
    let period = args.period.as_deref().map(otp::parse_period).transpose()?;
    let params = if args.steam {
        Params::steam(period.unwrap_or(otp::DEFAULT_PERIOD))
    } else {
        Params {
            kind: if args.hotp { Kind::Hotp } else { Kind::Totp },
            algorithm: args
                .algorithm
                .as_deref()
                .map(Algorithm::parse)
                .transpose()?
                .unwrap_or(Algorithm::Sha1),
            digits: args
                .digits
                .as_deref()
                .map(otp::parse_digits)
                .transpose()?
                .unwrap_or(6),
            period: period.unwrap_or(otp::DEFAULT_PERIOD),
            counter: args
                .counter
                .as_deref()
                .map(otp::parse_counter)
                .transpose()?
                .unwrap_or(0),
        }
    };
    Ok(OtpAccount {
        issuer,
        name,
        secret,
        params,
        extra: Vec::new(),
    })
}

fn add(
    data_dir: Option<&Path>,
    args: AddArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let account = match args.uri.as_deref() {
        Some(uri) => {
            let text = if uri == "-" {
                read_stdin_secret()?
            } else {
                Zeroizing::new(uri.to_string())
            };
            if otp::uri::strip_scheme(text.trim(), "otpauth-migration").is_some() {
                bail!(t!("cli-transfer-uri-to-add"));
            }
            if args.algorithm.is_some()
                || args.digits.is_some()
                || args.period.is_some()
                || args.hotp
                || args.steam
            {
                bail!(t!("cli-uri-with-parameters"));
            }
            let parsed = otp::parse_uri(&text)?;
            for w in &parsed.warnings {
                writeln!(
                    stderr,
                    "ninsho: {}",
                    t!("cli-warning", text = w.to_string())
                )?;
            }
            parsed.account
        }
        None => account_from_fields(&args)?,
    };
    let mut vault = open_vault(data_dir)?;
    repair(&mut vault, stderr)?;
    let report = vault.add(vec![account], &mut |_, _| {})?;
    if let Some(dup) = report.duplicates.first() {
        bail!(t!("cli-already-added", name = dup.display_name()));
    }
    for e in &report.added {
        writeln!(stdout, "{}", t!("cli-added", name = e.display_name()))?;
    }
    Ok(())
}

fn remove(
    data_dir: Option<&Path>,
    queries: &[String],
    yes: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let mut vault = open_vault(data_dir)?;
    repair(&mut vault, stderr)?;
    // Every query is resolved before anything is removed: a typo removes nothing.
    let mut targets: Vec<vault::Entry> = Vec::new();
    for query in queries {
        let entry = vault.find(query)?;
        if !targets.iter().any(|t| t.id == entry.id) {
            targets.push(entry.clone());
        }
    }
    if !yes {
        let names: Vec<String> = targets.iter().map(|e| e.display_name()).collect();
        bail!(t!(
            "cli-remove-confirm",
            names = names.join(", "),
            count = names.len()
        ));
    }
    // One line per account as it goes, so an interrupted run says what it did.
    for entry in targets {
        vault.remove(entry.id)?;
        writeln!(stdout, "{}", t!("cli-removed", name = entry.display_name()))?;
    }
    Ok(())
}

fn edit(
    data_dir: Option<&Path>,
    args: EditArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    // No keyring-wide search needed: the entry is found in the metadata file.
    let mut vault = open_ready_vault(data_dir, stderr)?;
    let old = vault.find(&args.query)?.clone();
    let issuer = args.issuer.as_deref().unwrap_or(&old.issuer).trim();
    let name = args.account.as_deref().unwrap_or(&old.name).trim();
    let group = args.group.as_deref().unwrap_or(&old.group);
    if issuer.is_empty() && name.is_empty() {
        bail!(t!("cli-edit-needs-name"));
    }
    let new = vault.edit(old.id, issuer, name, group)?;
    let (was, now) = (old.display_name(), new.display_name());
    let mut line = if was == now {
        t!("cli-edited", name = now)
    } else {
        t!("cli-renamed", was = was, now = now)
    };
    if new.group != old.group {
        line = match new.group.as_str() {
            "" => t!("cli-edited-no-group", line = line),
            g => t!("cli-edited-group", line = line, group = g),
        };
    }
    writeln!(stdout, "{line}")?;
    Ok(())
}

/// Reads at most `limit` bytes of `path`; a larger file is refused by its
/// size on disk, before any of it is read.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let shown = || path.display().to_string();
    let too_large = |len: u64| {
        anyhow!(t!(
            "cli-too-large-limit",
            path = shown(),
            mib = len >> 20,
            limit = limit >> 20
        ))
    };
    let file = std::fs::File::open(path).with_context(|| t!("cli-cannot-open", path = shown()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > limit {
        return Err(too_large(len));
    }
    // The file may grow after the size was read (or be a pipe, size 0).
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| t!("cli-cannot-read", path = shown()))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn import(
    data_dir: Option<&Path>,
    args: ImportArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let bytes = read_limited(&args.file, formats::MAX_FILE_BYTES as u64)?;
    let shown = args.file.display().to_string();
    // Detection and import share one parse of the file.
    let input = formats::Input::new(&bytes);
    let format = match args.format.as_deref() {
        Some(name) => formats::by_name(name)?,
        None => formats::detect_input(&input).with_context(|| shown.clone())?,
    };
    let password = match &args.password_file {
        Some(p) if !format.encryptable => {
            let note = t!(
                "cli-not-encrypted-ignoring",
                format = format.name,
                path = p.display().to_string()
            );
            writeln!(stderr, "ninsho: {}", t!("cli-warning", text = note))?;
            None
        }
        Some(p) => Some(read_password_file(p)?),
        None => None,
    };
    let found = match (format.import)(&input, password.as_deref().map(|s| s.as_str())) {
        Ok(found) => found,
        Err(formats::FormatError::PasswordNeeded(what)) => {
            bail!(t!("cli-password-needed", path = &shown, what = what))
        }
        Err(e) => return Err(anyhow::Error::new(e).context(shown)),
    };
    if found.accounts.is_empty() {
        match found.skipped.as_slice() {
            [] => bail!(t!("cli-no-accounts-in-file", path = &shown)),
            [(what, why)] => bail!(t!(
                "cli-nothing-importable",
                path = &shown,
                what = what,
                why = why
            )),
            [(what, why), rest @ ..] => bail!(t!(
                "cli-nothing-importable-more",
                path = &shown,
                what = what,
                why = why,
                more = rest.len()
            )),
        }
    }
    print_notes(
        stderr,
        found
            .warnings
            .iter()
            .map(|w| t!("cli-warning", text = w.to_string())),
        |more| t!("cli-more-warnings", count = more),
    )?;
    print_notes(
        stderr,
        found
            .skipped
            .iter()
            .map(|(what, why)| t!("cli-skipped-entry", what = what, why = why)),
        |more| t!("cli-more-skipped", count = more),
    )?;
    for line in batch_notes(&found.batches) {
        writeln!(stderr, "ninsho: {line}")?;
    }

    let mut vault = open_vault(data_dir)?;
    if args.dry_run {
        // Duplicates need the keyring only when names collide with saved accounts.
        let (fresh, duplicates) = vault.plan_add(found.accounts)?;
        print_notes(
            stderr,
            duplicates
                .iter()
                .map(|d| t!("cli-would-skip-duplicate", name = d.display_name())),
            |more| t!("cli-more-duplicates", count = more),
        )?;
        if args.json {
            let all: Vec<_> = fresh.iter().map(|a| a.to_json()).collect();
            writeln!(stdout, "{}", serde_json::to_string_pretty(&all)?)?;
        } else {
            for a in &fresh {
                writeln!(stdout, "{}", t!("cli-would-add", name = a.display_name()))?;
            }
        }
        return Ok(());
    }

    repair(&mut vault, stderr)?;
    let total = found.accounts.len();
    let mut groups = found.groups.into_iter();
    let grouped = found
        .accounts
        .into_iter()
        .map(|a| (a, groups.next().flatten().unwrap_or_default()))
        .collect();
    // The keyring takes ~25 ms an item: long imports count up in 5% steps. Each
    // account counted is durable: if the process dies now, the next start keeps it.
    let report = vault.add_grouped(grouped, &mut |done, all| {
        if all >= 20 && (done % (all / 20).max(10) == 0 || done == all) {
            let _ = writeln!(
                stderr,
                "ninsho: {}",
                t!("cli-saved-progress", done = done, total = all)
            );
        }
    })?;
    if args.json {
        let out = serde_json::json!({
            "added": report.added.iter().map(|e| e.to_json()).collect::<Vec<_>>(),
            "duplicates": report.duplicates.iter().map(|a| serde_json::json!({"issuer": a.issuer, "account": a.name})).collect::<Vec<_>>(),
            "skipped": found.skipped.iter().map(|(what, why)| serde_json::json!({"entry": what, "reason": why})).collect::<Vec<_>>(),
        });
        writeln!(stdout, "{}", serde_json::to_string_pretty(&out)?)?;
    } else {
        for e in &report.added {
            writeln!(stdout, "{}", t!("cli-added", name = e.display_name()))?;
        }
        for d in &report.duplicates {
            writeln!(
                stdout,
                "{}",
                t!("cli-duplicate-skipped", name = d.display_name())
            )?;
        }
        writeln!(
            stdout,
            "{}",
            t!(
                "cli-import-summary",
                added = report.added.len(),
                total = total,
                duplicates = report.duplicates.len(),
                skipped = found.skipped.len()
            )
        )?;
    }
    Ok(())
}

/// Notes of one kind printed one a line up to here; the rest are counted, so a
/// file of 100 000 broken entries gives a screenful, not 100 000 lines.
const MAX_NOTES: usize = 20;

/// `ninsho: NOTE` for the first [`MAX_NOTES`] notes, then `more(N)`: "… and N more".
fn print_notes(
    stderr: &mut dyn Write,
    notes: impl Iterator<Item = String>,
    more_line: impl Fn(usize) -> String,
) -> Result<()> {
    let mut more = 0usize;
    for (i, note) in notes.enumerate() {
        if i < MAX_NOTES {
            writeln!(stderr, "ninsho: {}", otp::printable(&note))?;
        } else {
            more += 1;
        }
    }
    if more > 0 {
        writeln!(stderr, "ninsho: {}", more_line(more))?;
    }
    Ok(())
}

/// The first line of a password file (without its line ending).
fn read_password_file(path: &Path) -> Result<Zeroizing<String>> {
    let file = std::fs::File::open(path).with_context(|| {
        t!(
            "cli-cannot-read-password-file",
            path = path.display().to_string()
        )
    })?;
    let text = otp::wipe::read_text(
        file,
        MAX_SECRET_INPUT,
        &t!("cli-password-file", path = path.display().to_string()),
    )?;
    Ok(Zeroizing::new(
        text.lines().next().unwrap_or_default().to_string(),
    ))
}

fn export(
    data_dir: Option<&Path>,
    args: ExportArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let format = formats::export::export_by_name(&args.format)?;
    let password = match (&args.password_file, format.encrypted) {
        (Some(p), true) => Some(read_password_file(p)?),
        (None, true) => bail!(t!("cli-export-needs-password", format = format.name)),
        (Some(p), false) => bail!(t!(
            "cli-export-not-encrypted",
            format = format.name,
            path = p.display().to_string()
        )),
        (None, false) => None,
    };
    let paper = match (&args.paper, format.printable) {
        (None, _) => Default::default(),
        (Some(p), true) => crate::backup::Paper::parse(p).ok_or_else(|| {
            anyhow!(t!(
                "cli-unknown-paper",
                paper = p,
                known = crate::backup::Paper::NAMES.join(", ")
            ))
        })?,
        (Some(_), false) => bail!(t!("cli-paper-only-pdf")),
    };
    let mut vault = open_vault(data_dir)?;
    repair(&mut vault, stderr)?;
    let mut entries: Vec<vault::Entry> = vault.entries().cloned().collect();
    if !args.accounts.is_empty() {
        let mut chosen = std::collections::HashSet::new();
        for q in &args.accounts {
            chosen.insert(vault.find(q)?.id);
        }
        entries.retain(|e| chosen.contains(&e.id));
    }
    if entries.is_empty() {
        bail!(t!("cli-nothing-to-export"));
    }
    let mut accounts = Vec::with_capacity(entries.len());
    let mut recovery_codes = Vec::with_capacity(entries.len());
    for e in &entries {
        // An export that silently lacks an account would be found out too late.
        let (account, codes) = vault
            .account_with_codes(e)
            .with_context(|| t!("cli-cannot-export", name = e.display_name()))?;
        accounts.push(account);
        recovery_codes.push(
            codes
                .iter()
                .filter(|c| !c.used)
                .map(|c| Zeroizing::new(c.code.clone()))
                .collect(),
        );
    }
    let groups: Vec<String> = entries.iter().map(|e| e.group.clone()).collect();
    let ids: Vec<String> = entries.iter().map(|e| e.id.to_string()).collect();
    let bytes = (format.render)(&formats::export::ExportInput {
        accounts: &accounts,
        groups: &groups,
        ids: &ids,
        recovery_codes: &recovery_codes,
        password: password.as_deref().map(|s| s.as_str()),
        paper,
        now: now(),
    })?;
    formats::export::remember_folder(vault.dir(), &args.output);
    formats::export::write_private_file(&args.output, &bytes)
        .with_context(|| t!("cli-cannot-write", path = args.output.display().to_string()))?;
    if args.accounts.is_empty() && format.name != "otpauth" {
        // Every account, in a file that restores them: no reminder until they change.
        crate::autobackup::note_full_export(vault.dir(), now());
    }
    if !format.encrypted {
        let note = t!(
            "cli-export-unencrypted-warning",
            path = args.output.display().to_string()
        );
        writeln!(stderr, "ninsho: {}", t!("cli-warning", text = note))?;
    }
    writeln!(
        stdout,
        "{}",
        t!(
            "cli-exported",
            count = accounts.len(),
            path = args.output.display().to_string()
        )
    )?;
    Ok(())
}

/// Entry point for the binary: returns the process exit status.
pub fn main_with_args() -> std::process::ExitCode {
    // The language first, so that even clap's usage errors and --help use it.
    crate::i18n::init(lang_argument(std::env::args_os()).as_deref());
    let cli = match help::command()
        .try_get_matches()
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m))
    {
        Ok(c) => c,
        Err(e) => {
            match usage_error(&e) {
                Some(text) => eprintln!("{text}"),
                None => {
                    let _ = e.print();
                }
            }
            return std::process::ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let mut stdout = ClosedPipeOk {
        inner: std::io::stdout().lock(),
        closed: false,
    };
    let mut stderr = std::io::stderr();
    let result = run(cli, &mut stdout, &mut stderr);
    let _ = stdout.flush();
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // Anything that came from input is escaped, line by line (an
            // ambiguous query lists its matches one per line).
            let msg: Vec<String> = error_message(&e)
                .lines()
                .map(|l| otp::printable(l).into_owned())
                .collect();
            let _ = writeln!(stderr, "ninsho: {}", msg.join("\n"));
            std::process::ExitCode::from(1)
        }
    }
}

/// clap's usage errors in the reader's language. clap words them in English
/// with no way to translate, so for other languages the common kinds are told
/// from clap's context here; English (and any kind not known here) stays as
/// clap prints it.
fn usage_error(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if crate::i18n::current() == crate::i18n::Lang::En {
        return None;
    }
    let get = |kind: ContextKind| -> String {
        match e.get(kind) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => v.join(", "),
            Some(ContextValue::StyledStr(s)) => s.to_string(),
            Some(ContextValue::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let arg = get(ContextKind::InvalidArg);
    let message = match e.kind() {
        ErrorKind::UnknownArgument => t!("cli-usage-unknown-argument", arg = arg),
        ErrorKind::InvalidSubcommand => t!(
            "cli-usage-unknown-command",
            command = get(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => t!("cli-usage-missing", args = arg),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => t!(
            "cli-usage-invalid-value",
            arg = arg,
            value = get(ContextKind::InvalidValue)
        ),
        ErrorKind::ArgumentConflict => t!(
            "cli-usage-conflict",
            arg = arg,
            other = get(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            t!("cli-usage-value-count", arg = arg)
        }
        _ => return None,
    };
    let mut text = format!("ninsho: {}", otp::printable(&message));
    for suggestion in [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand] {
        let suggested = get(suggestion);
        if !suggested.is_empty() {
            text += &format!("\n{}", t!("cli-usage-suggest", suggestion = suggested));
        }
    }
    let usage = get(ContextKind::Usage);
    if !usage.is_empty() {
        // clap's own "Usage:" heading, as the localized --help words it.
        let heading = t!("help-usage");
        let gap = if heading.ends_with(':') { " " } else { "" };
        let usage = usage.trim().trim_start_matches("Usage:").trim_start();
        text += &format!("\n\n{heading}{gap}{usage}");
    }
    text += &format!("\n\n{}", t!("cli-usage-see-help"));
    Some(text)
}

/// The value of `--lang X` or `--lang=X`, read before clap parses the rest.
fn lang_argument(args: impl Iterator<Item = std::ffi::OsString>) -> Option<String> {
    let mut args = args.map(|a| a.to_string_lossy().into_owned());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            return args.next();
        }
        if let Some(value) = arg.strip_prefix("--lang=") {
            return Some(value.to_string());
        }
    }
    None
}

/// The error for the terminal: one line, except that the accounts an ambiguous
/// query matched are listed one per line below it, as the message lays them out.
fn error_message(e: &anyhow::Error) -> String {
    match e.downcast_ref::<vault::VaultError>() {
        Some(ambiguous @ vault::VaultError::Ambiguous { .. }) => ambiguous.to_string(),
        // As `{e:#}` words it (each cause after a colon), with the system's
        // own errors in the reader's language; a cause the message before it
        // already quotes (errors that name their cause) is not said twice.
        _ => {
            let mut text = String::new();
            for cause in e.chain() {
                let part = match cause.downcast_ref::<std::io::Error>() {
                    Some(io) => crate::i18n::io_error(io),
                    None => cause.to_string(),
                };
                if text.is_empty() {
                    text = part;
                } else if !text.contains(&part) {
                    text.push_str(": ");
                    text.push_str(&part);
                }
            }
            text.replace('\n', " ")
        }
    }
}

/// Standard output that takes a closed pipe (`ninsho list | head -1`) as the
/// reader having read enough: the rest of the output is dropped, and the
/// command finishes what it was doing (a removal half done would be worse) and
/// exits 0, with no "Broken pipe" message.
struct ClosedPipeOk<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> ClosedPipeOk<W> {
    fn guard<T>(
        &mut self,
        done: T,
        op: impl FnOnce(&mut W) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        if self.closed {
            return Ok(done);
        }
        match op(&mut self.inner) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(done)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for ClosedPipeOk<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.guard(buf.len(), |w| w.write(buf))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.guard((), Write::flush)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_batches_are_named() {
        use otp::migration::Batch;
        let b = |index| Batch {
            id: 7,
            index,
            size: 3,
        };
        assert_eq!(
            batch_notes(&[b(0), b(2)]),
            vec!["2 of 3 transfer codes read — the remaining one is missing; export or scan it"]
        );
        assert!(batch_notes(&[b(0), b(1), b(2)]).is_empty());
        assert!(
            batch_notes(&[Batch {
                id: 1,
                index: 0,
                size: 1
            }])
            .is_empty()
        );
    }

    #[test]
    fn list_columns_line_up_by_display_width() {
        use unicode_width::UnicodeWidthStr;
        let row = |a: &str, b: &str, c: &str| [a.to_string(), b.to_string(), c.to_string()];
        let rows = [
            row("ISSUER", "ACCOUNT", "TYPE"),
            row("ツイッター", "山田太郎", "totp SHA1 6d 30s"),
            row("GitHub", "alice", "totp SHA1 6d 30s"),
        ];
        let lines = columns(rows.iter());
        // Where the TYPE column starts, in terminal cells, is the same on every line.
        let type_at: Vec<usize> = lines
            .iter()
            .zip(&rows)
            .map(|(line, row)| line[..line.find(&row[2]).unwrap()].width())
            .collect();
        assert_eq!(type_at, [22, 22, 22], "{lines:#?}");
        assert_eq!(lines[1], "ツイッター  山田太郎  totp SHA1 6d 30s");
        assert!(lines.iter().all(|l| !l.ends_with(' ')));
    }

    #[test]
    fn a_closed_pipe_swallows_output_and_reports_success() {
        struct Closed(usize);
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                self.0 += 1;
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
        }
        let mut out = ClosedPipeOk {
            inner: Closed(0),
            closed: false,
        };
        assert!(writeln!(out, "first").is_ok());
        assert!(writeln!(out, "second").is_ok() && out.flush().is_ok());
        assert_eq!(out.inner.0, 1, "nothing more is tried once the reader left");
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut out = ClosedPipeOk {
            inner: Full,
            closed: false,
        };
        assert!(
            writeln!(out, "x").is_err(),
            "other write errors still count"
        );
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
