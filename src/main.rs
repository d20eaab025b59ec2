//! Thin binary: the CLI with a subcommand; the window (later) without one.

fn main() -> std::process::ExitCode {
    ninsho::cli::main_with_args()
}
