use rxing::common::{DetectorRXingResult, GlobalHistogramBinarizer, HybridBinarizer};
use rxing::multi::qrcode::detector::MultiDetector;
use rxing::qrcode::decoder::qrcode_decoder::decode_bitmatrix_with_hints;
use rxing::{BinaryBitmap, DecodeHintValue, DecodeHints, Luma8LuminanceSource};
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let img = ninsho::scan::decode_image(&bytes).unwrap();
    let luma = ninsho::scan::to_luma(&img);
    let hints = DecodeHints::default().with(DecodeHintValue::TryHarder(true));
    for filter in [image::imageops::Triangle, image::imageops::CatmullRom, image::imageops::Lanczos3] {
    for scale in [1.0f64, 1.5, 2.0, 3.0] {
        let (w, h) = ((luma.width() as f64 * scale) as u32, (luma.height() as f64 * scale) as u32);
        let l = image::imageops::resize(&luma, w, h, filter);
        for global in [false, true] {
            let src = Luma8LuminanceSource::new(l.as_raw().clone(), w, h).unwrap();
            let mut out = vec![];
            let matrix = if global { BinaryBitmap::new(GlobalHistogramBinarizer::new(src)).get_black_matrix().clone() } else { BinaryBitmap::new(HybridBinarizer::new(src)).get_black_matrix().clone() };
            match MultiDetector::new(&matrix).detectMulti(&hints) {
                Ok(ds) => for d in ds {
                    match decode_bitmatrix_with_hints(d.getBits(), &hints) {
                        Ok(r) => out.push(format!("OK {}", &r.getText()[..40.min(r.getText().len())])),
                        Err(e) => out.push(format!("ERR {e:?} at {:?}", d.getPoints().iter().map(|p| (p.x as i32, p.y as i32)).collect::<Vec<_>>())),
                    }
                },
                Err(e) => out.push(format!("detect err {e:?}")),
            }
            println!("{filter:?} {scale} global={global}: {out:?}");
        }
    }
    }
}
