//! Thin binary: the CLI with a subcommand; the window (later) without one.

fn main() -> std::process::ExitCode {
    #[cfg(feature = "gui")]
    let _ = ninsho::ui::PROCESS_START.set(std::time::Instant::now());
    ninsho::cli::main_with_args()
}
