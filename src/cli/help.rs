//! `--help` in the reader's language: the command that clap derives from
//! [`Cli`](super::Cli)'s doc comments, its texts replaced by messages from the
//! bundle (the doc comments stay, as clap needs them and as notes for readers).
//!
//! Every text is a literal `t!("help-…")` in the tables below, keyed by the
//! command's path (`""`, `"add"`, `"recovery use"`) and the argument's id, so
//! the message tests see every id. English reads exactly as clap's own help;
//! where a language renames clap's headings ("Usage:", "Options"…), the
//! headings come from the bundle too. clap's usage errors stay as clap prints
//! them (their wording is clap's, with no hook to translate it).

use clap::{Arg, Command, CommandFactory};

use crate::t;

/// The whole command line, its help texts in the current language.
pub fn command() -> Command {
    let mut cmd = super::Cli::command();
    // Built first, so that clap's own `--help`, `--version` and `help`
    // command exist and the global options are copied into every command.
    cmd.build();
    // clap keeps headings as `&'static str`: four short strings, made once
    // per process.
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let headings = Headings {
        commands: leak(t!("help-heading-commands")),
        arguments: leak(t!("help-heading-arguments")),
        options: leak(t!("help-heading-options")),
    };
    localize(cmd, "", &headings)
}

struct Headings {
    commands: &'static str,
    arguments: &'static str,
    options: &'static str,
}

fn localize(cmd: Command, path: &str, headings: &Headings) -> Command {
    let mut cmd = cmd;
    if let Some(about) = about(path) {
        cmd = cmd.about(about);
    }
    if let Some(long) = long_about(path) {
        cmd = cmd.long_about(long);
    }
    let usage = t!("help-usage");
    let (commands, arguments, options) = (headings.commands, headings.arguments, headings.options);
    if usage != "Usage:" {
        // clap's default template, with the heading in the reader's language.
        let gap = if usage.ends_with(':') { " " } else { "" };
        cmd = cmd.help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{usage}{gap}{{usage}}\n\n{{all-args}}{{after-help}}"
        ));
    }
    if commands != "Commands" {
        cmd = cmd.subcommand_help_heading(commands);
    }
    let path_owned = path.to_string();
    cmd = cmd.mut_args(|arg| {
        let mut arg = localize_arg(arg, &path_owned);
        if arg.get_help_heading().is_none() {
            if arg.is_positional() && arguments != "Arguments" {
                // Under a heading of its own, clap sorts by display order, then
                // name; positionals keep their places.
                let place = arg.get_index().unwrap_or(0);
                arg = arg.help_heading(arguments).display_order(place);
            } else if !arg.is_positional() && options != "Options" {
                arg = arg.help_heading(options);
            }
        }
        arg
    });
    cmd.mut_subcommands(|sub| {
        let sub_path = match path {
            "" => sub.get_name().to_string(),
            _ => format!("{path} {}", sub.get_name()),
        };
        localize(sub, &sub_path, headings)
    })
}

fn localize_arg(arg: Arg, path: &str) -> Arg {
    let id = arg.get_id().as_str().to_string();
    match id.as_str() {
        // clap's own: the long form is there when some help is longer than its summary.
        "help" if arg.get_long_help().is_some() => arg
            .help(t!("help-flag-more"))
            .long_help(t!("help-flag-summary")),
        "help" => arg.help(t!("help-flag")),
        "version" => arg.help(t!("help-version")),
        _ => match arg_help(path, &id) {
            Some(text) => arg.help(text),
            None => arg,
        },
    }
}

/// The `help` command's copies of the commands (`ninsho help add`) read as the
/// commands themselves.
fn command_path(path: &str) -> &str {
    path.strip_prefix("help ").unwrap_or(path)
}

fn about(path: &str) -> Option<String> {
    Some(match command_path(path) {
        "" => t!("help-about"),
        "list" => t!("help-list"),
        "code" => t!("help-code"),
        "add" => t!("help-add"),
        "edit" => t!("help-edit"),
        "remove" => t!("help-remove"),
        "import" => t!("help-import"),
        "export" => t!("help-export"),
        "scan" => t!("help-scan"),
        "recovery" => t!("help-recovery"),
        "recovery add" => t!("help-recovery-add"),
        "recovery list" => t!("help-recovery-list"),
        "recovery use" => t!("help-recovery-use"),
        "recovery unuse" => t!("help-recovery-unuse"),
        "recovery remove" => t!("help-recovery-remove"),
        "backup" => t!("help-backup"),
        "backup set" => t!("help-backup-set"),
        "backup off" => t!("help-backup-off"),
        "backup now" => t!("help-backup-now"),
        "backup status" => t!("help-backup-status"),
        "follow" => t!("help-follow"),
        "follow add" => t!("help-follow-add"),
        "follow list" => t!("help-follow-list"),
        "follow remove" => t!("help-follow-remove"),
        "follow status" => t!("help-follow-status"),
        "follow apply" => t!("help-follow-apply"),
        "store" => t!("help-store"),
        "store status" => t!("help-store-status"),
        "store use" => t!("help-store-use"),
        "lock" => t!("help-lock"),
        "help" | "recovery help" | "backup help" | "follow help" | "store help" => {
            t!("help-help-command")
        }
        _ => return None,
    })
}

fn long_about(path: &str) -> Option<String> {
    match path {
        "" => Some(t!("help-long-about")),
        _ => None,
    }
}

fn arg_help(path: &str, id: &str) -> Option<String> {
    Some(match (path, id) {
        (_, "data_dir") => t!("help-data-dir"),
        (_, "lang") => t!("help-lang"),
        (_, "store_password_file") => t!("help-store-password-file"),
        ("code" | "edit", "query") => t!("help-query-fuzzy"),
        ("list", "json") => t!("help-list-json"),
        ("code", "uri") => t!("help-code-uri"),
        ("code", "at") => t!("help-code-at"),
        ("code", "next") => t!("help-code-next"),
        ("add", "uri") => t!("help-add-uri"),
        ("add", "secret") => t!("help-add-secret"),
        ("add", "issuer") => t!("help-add-issuer"),
        ("add", "account") => t!("help-add-account"),
        ("add", "algorithm") => t!("help-add-algorithm"),
        ("add", "digits") => t!("help-add-digits"),
        ("add", "period") => t!("help-add-period"),
        ("add", "counter") => t!("help-add-counter"),
        ("add", "hotp") => t!("help-add-hotp"),
        ("add", "steam") => t!("help-add-steam"),
        ("edit", "issuer") => t!("help-edit-issuer"),
        ("edit", "account") => t!("help-edit-account"),
        ("edit", "group") => t!("help-edit-group"),
        ("remove", "queries") => t!("help-remove-queries"),
        ("remove", "yes") => t!("help-remove-yes"),
        ("import", "file") => t!("help-import-file"),
        ("import", "json") => t!("help-import-json"),
        ("import", "format") => t!("help-import-format"),
        ("import", "password_file") => t!("help-import-password-file"),
        ("import", "dry_run") => t!("help-import-dry-run"),
        ("export", "format") => t!("help-export-format"),
        ("export", "accounts") => t!("help-export-accounts"),
        ("export", "paper") => t!("help-export-paper"),
        ("export", "output") => t!("help-export-output"),
        ("export", "password_file") => t!("help-export-password-file"),
        ("scan", "images") => t!("help-scan-images"),
        ("scan", "screen") => t!("help-scan-screen"),
        ("scan", "json") => t!("help-scan-json"),
        ("scan", "add") => t!("help-scan-add"),
        (
            "recovery add" | "recovery list" | "recovery use" | "recovery unuse"
            | "recovery remove",
            "query",
        ) => {
            t!("help-recovery-query")
        }
        ("recovery list", "json") => t!("help-recovery-list-json"),
        ("backup set", "folder") => t!("help-backup-folder"),
        ("backup set", "password_file") => t!("help-backup-password-file"),
        ("backup set", "keep") => t!("help-backup-keep"),
        ("backup status", "json") => t!("help-backup-status-json"),
        ("follow add", "path") => t!("help-follow-path"),
        ("follow add", "password_file") => t!("help-follow-password-file"),
        ("follow add", "format") => t!("help-follow-format"),
        ("follow remove", "path") => t!("help-follow-remove-path"),
        ("follow status", "json") => t!("help-follow-status-json"),
        ("follow apply", "yes") => t!("help-follow-yes"),
        ("follow apply", "with_removals") => t!("help-follow-with-removals"),
        ("store status", "json") => t!("help-store-status-json"),
        ("store use", "store") => t!("help-store-use-store"),
        ("store use", "password_file") => t!("help-store-use-password-file"),
        ("recovery use", "code") => t!("help-recovery-use-code"),
        ("recovery unuse" | "recovery remove", "code") => t!("help-recovery-code"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_localized_command_is_consistent_and_keeps_every_argument() {
        use clap::CommandFactory;
        let localized = super::command();
        localized.clone().debug_assert();
        let mut plain = super::super::Cli::command();
        plain.build();
        fn ids(cmd: &clap::Command, out: &mut Vec<String>, path: &str) {
            for a in cmd.get_arguments() {
                out.push(format!("{path} {}", a.get_id()));
            }
            for s in cmd.get_subcommands() {
                ids(s, out, &format!("{path} {}", s.get_name()));
            }
        }
        let (mut a, mut b) = (Vec::new(), Vec::new());
        ids(&localized, &mut a, "");
        ids(&plain, &mut b, "");
        assert_eq!(a, b);
    }
}
