//! Phone-like photos for the image benchmark (bench/images.sh) and the
//! example site: noisy JPEGs that compress like photos, every third one
//! stored sideways with EXIF orientation 6 and GPS, owner and serial tags.
//!
//! `cargo run --release --example gen_photos -- DIR COUNT [WIDTHxHEIGHT]`
//! `cargo run --release --example gen_photos -- --exif IN.jpg OUT.jpg`
//! (the second adds the phone EXIF block, orientation 6, to a JPEG that is
//! already stored turned 90° anticlockwise).

#[path = "../tests/common/photo.rs"]
mod photo;

use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--exif") {
        let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
            eprintln!("usage: gen_photos --exif IN.jpg OUT.jpg");
            std::process::exit(2);
        };
        let bytes = std::fs::read(input).expect("read input");
        std::fs::write(output, photo::with_exif(&bytes, 6, true)).expect("write output");
        return;
    }
    let (Some(dir), Some(count)) = (
        args.first(),
        args.get(1).and_then(|c| c.parse::<u32>().ok()),
    ) else {
        eprintln!("usage: gen_photos DIR COUNT [WIDTHxHEIGHT]");
        std::process::exit(2);
    };
    let (w, h) = args
        .get(2)
        .and_then(|s| s.split_once('x'))
        .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
        .unwrap_or((4000u32, 3000u32));
    std::fs::create_dir_all(dir).expect("create dir");
    (0..count).into_par_iter().for_each(|i| {
        let rotated = i % 3 == 0;
        let (sw, sh) = if rotated { (h, w) } else { (w, h) };
        let jpeg = photo::jpeg(sw, sh, &photo::pixels(sw, sh, 18, i + 1), 92);
        let bytes = photo::with_exif(&jpeg, if rotated { 6 } else { 1 }, true);
        std::fs::write(format!("{dir}/IMG_{:04}.jpg", i + 1), bytes).expect("write photo");
    });
}
