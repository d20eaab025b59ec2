//! A blank eframe window with the same options as Ninsho's, for benches/window.sh:
//! the baseline that Ninsho's start-up time, idle CPU and memory are compared to.

use eframe::egui;

fn main() -> eframe::Result {
    let start = std::time::Instant::now();
    let mut first = true;
    eframe::run_ui_native(
        "Blank",
        eframe::NativeOptions {
            viewport: egui::ViewportBuilder::default()
                .with_title("Blank")
                .with_inner_size([440.0, 640.0]),
            ..Default::default()
        },
        move |ui, _frame| {
            if first {
                first = false;
                eprintln!(
                    "ninsho-trace: first frame {:.0} ms",
                    start.elapsed().as_secs_f64() * 1000.0
                );
            }
            egui::CentralPanel::default().show(ui, |_| {});
        },
    )
}
