//! Measures the candidate image crates on one photo: decode, resize to a
//! 1600 px display copy and a 480 px thumbnail, encode both as JPEG.
//! `cargo run --release --example image_codecs -- photo.jpg`

use std::time::Instant;

use fast_image_resize as fir;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: image_codecs PHOTO.jpg");
    let bytes = std::fs::read(&path).expect("read");
    let runs = 3;
    for (name, f) in [
        (
            "image (zune-jpeg) decode + image resize_exact(Triangle) + image JpegEncoder",
            a as fn(&[u8]),
        ),
        (
            "image (zune-jpeg) decode + fast_image_resize + image JpegEncoder",
            b,
        ),
        (
            "image (zune-jpeg) decode + fast_image_resize + jpeg-encoder",
            c,
        ),
        (
            "jpeg-decoder DCT-scaled decode + fast_image_resize + jpeg-encoder",
            d,
        ),
    ] {
        f(&bytes);
        let t = Instant::now();
        for _ in 0..runs {
            f(&bytes);
        }
        println!(
            "{:>6.1} ms  {name}",
            t.elapsed().as_secs_f64() * 1000.0 / runs as f64
        );
    }
}

fn timed<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    if std::env::var_os("VERBOSE").is_some() {
        eprintln!("    {label}: {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    }
    r
}

fn target(w: u32, h: u32, max: u32) -> (u32, u32) {
    (max, (h as u64 * max as u64 / w as u64) as u32)
}

fn image_encode(img: &image::RgbImage) -> usize {
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
    img.write_with_encoder(enc).unwrap();
    out.len()
}

fn fast_encode(w: u32, h: u32, px: &[u8]) -> usize {
    let mut out = Vec::new();
    let enc = jpeg_encoder::Encoder::new(&mut out, 82);
    enc.encode(px, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out.len()
}

fn fir_resize(w: u32, h: u32, px: Vec<u8>, max: u32) -> (u32, u32, Vec<u8>) {
    let src = fir::images::Image::from_vec_u8(w, h, px, fir::PixelType::U8x3).unwrap();
    let (tw, th) = target(w, h, max);
    let mut dst = fir::images::Image::new(tw, th, fir::PixelType::U8x3);
    let mut r = fir::Resizer::new();
    r.resize(
        &src,
        &mut dst,
        &fir::ResizeOptions::new()
            .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3)),
    )
    .unwrap();
    (tw, th, dst.into_vec())
}

fn a(bytes: &[u8]) {
    let img = timed("decode", || {
        image::load_from_memory(bytes).unwrap().to_rgb8()
    });
    for max in [1600, 480] {
        let (tw, th) = target(img.width(), img.height(), max);
        let r = timed("resize", || {
            image::imageops::resize(&img, tw, th, image::imageops::FilterType::Triangle)
        });
        timed("encode", || image_encode(&r));
    }
}

fn b(bytes: &[u8]) {
    let img = timed("decode", || {
        image::load_from_memory(bytes).unwrap().to_rgb8()
    });
    let (w, h) = img.dimensions();
    let px = img.into_raw();
    let (dw, dh, display) = timed("resize", || fir_resize(w, h, px, 1600));
    let (tw, th, thumb) = timed("resize", || fir_resize(dw, dh, display.clone(), 480));
    timed("encode", || {
        image_encode(&image::RgbImage::from_raw(dw, dh, display).unwrap())
    });
    timed("encode", || {
        image_encode(&image::RgbImage::from_raw(tw, th, thumb).unwrap())
    });
}

fn c(bytes: &[u8]) {
    let img = timed("decode", || {
        image::load_from_memory(bytes).unwrap().to_rgb8()
    });
    let (w, h) = img.dimensions();
    let (dw, dh, display) = timed("resize", || fir_resize(w, h, img.into_raw(), 1600));
    let (tw, th, thumb) = timed("resize", || fir_resize(dw, dh, display.clone(), 480));
    timed("encode", || fast_encode(dw, dh, &display));
    timed("encode", || fast_encode(tw, th, &thumb));
}

fn d(bytes: &[u8]) {
    let (w, h, px) = timed("decode", || {
        let mut dec = jpeg_decoder::Decoder::new(bytes);
        dec.read_info().unwrap();
        let (w, h) = dec.scale(1600, 1).unwrap();
        let px = dec.decode().unwrap();
        (w as u32, h as u32, px)
    });
    let (dw, dh, display) = timed("resize", || fir_resize(w, h, px, 1600));
    let (tw, th, thumb) = timed("resize", || fir_resize(dw, dh, display.clone(), 480));
    timed("encode", || fast_encode(dw, dh, &display));
    timed("encode", || fast_encode(tw, th, &thumb));
}
