//! One photo, bytes in, published copies out: decode (JPEG at a reduced
//! DCT scale when that is still large enough), turn upright by its EXIF
//! orientation, resize to the display width and the thumbnail width, and
//! encode again with no metadata but the colour profile. A photo that is
//! already small and upright is not re-encoded: its metadata segments are
//! cut out and the rest kept byte for byte.
//!
//! Pure functions of bytes and settings; the cache and the build decide
//! what to do with the result.

use std::io::Cursor;

use fast_image_resize as fir;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, RgbImage, RgbaImage};

use crate::config::ImageSettings;

/// Larger images are refused before decoding (decompression bombs): a
/// 200-megapixel phone photo is 16320 × 12240.
pub const MAX_PIXELS: u64 = 210_000_000;
pub const MAX_SIDE: u32 = 40_000;
/// What a decoder may allocate, whatever the header says.
const MAX_ALLOC: u64 = 1 << 30;

/// The file formats a published copy can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }
}

/// One published copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

/// What a photo becomes. `thumb` is `None` when the display copy is
/// already no wider than a thumbnail.
#[derive(Debug, Clone)]
pub struct Processed {
    pub display: Encoded,
    pub thumb: Option<Encoded>,
    /// Whether any pixel work was done (false: metadata cut out only).
    pub reencoded: bool,
    /// Whether the copies are in another format than the original's bytes
    /// (WebP published as JPEG): then they need another name.
    pub renamed: bool,
}

/// Why a photo cannot be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not an image we read, by its bytes (e.g. HEIC, or not an image).
    Unsupported { format: String },
    /// Truncated or corrupt; the decoder's words.
    Corrupt { detail: String },
    /// Dimensions beyond [`MAX_PIXELS`] / [`MAX_SIDE`].
    TooManyPixels { width: u32, height: u32 },
}

/// What the header says, read without decoding the pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

/// The format by the file's first bytes (not its name) and its size;
/// refuses decompression bombs before any pixel is decoded.
pub fn inspect(bytes: &[u8]) -> Result<Header, Problem> {
    let format = match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Format::Jpeg,
        Ok(ImageFormat::Png) => Format::Png,
        Ok(ImageFormat::WebP) => Format::Webp,
        Ok(other) => {
            return Err(Problem::Unsupported {
                format: format!("{other:?}").to_uppercase(),
            });
        }
        Err(_) => {
            return Err(Problem::Unsupported {
                format: sniff_other(bytes).to_string(),
            });
        }
    };
    // The header alone: no limits needed to read it, and ours come next.
    let mut reader = reader(bytes, format);
    reader.no_limits();
    let (width, height) = reader.into_dimensions().map_err(|e| Problem::Corrupt {
        detail: e.to_string(),
    })?;
    if width > MAX_SIDE || height > MAX_SIDE || width as u64 * height as u64 > MAX_PIXELS {
        return Err(Problem::TooManyPixels { width, height });
    }
    if width == 0 || height == 0 {
        return Err(Problem::Corrupt {
            detail: "0 × 0".into(),
        });
    }
    Ok(Header {
        format,
        width,
        height,
    })
}

/// Names formats phones and scanners produce that we do not read.
fn sniff_other(bytes: &[u8]) -> &'static str {
    let brand = bytes.get(4..12).unwrap_or_default();
    if brand.starts_with(b"ftyp") {
        let b = &brand[4..];
        if b.starts_with(b"hei") || b.starts_with(b"mif1") || b.starts_with(b"hev") {
            return "HEIC";
        }
        if b.starts_with(b"avi") {
            return "AVIF";
        }
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return "TIFF";
    }
    if bytes.starts_with(b"BM") {
        return "BMP";
    }
    ""
}

fn reader(bytes: &[u8], format: Format) -> ImageReader<Cursor<&[u8]>> {
    let mut r = ImageReader::with_format(
        Cursor::new(bytes),
        match format {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::Webp => ImageFormat::WebP,
        },
    );
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    r.limits(limits);
    r
}

/// The EXIF orientation (1–8; 1 when absent) and whether the file carries
/// any EXIF at all.
fn exif_orientation(bytes: &[u8]) -> (u32, bool) {
    match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => {
            let o = exif
                .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
                .and_then(|f| f.value.get_uint(0))
                .filter(|o| (1..=8).contains(o))
                .unwrap_or(1);
            (o, true)
        }
        Err(_) => (1, false),
    }
}

/// Orientations 5–8 turn the picture a quarter: width and height swap.
fn swaps(orientation: u32) -> bool {
    orientation >= 5
}

/// Width and height of a copy no wider than `max`.
fn fit(width: u32, height: u32, max: u32) -> (u32, u32) {
    if width <= max {
        return (width, height);
    }
    let h = (height as u64 * max as u64 + width as u64 / 2) / width as u64;
    (max, h.max(1) as u32)
}

/// Pixels with or without alpha, in the source's orientation.
enum Pixels {
    Rgb(RgbImage),
    Rgba(RgbaImage),
}

impl Pixels {
    fn dimensions(&self) -> (u32, u32) {
        match self {
            Pixels::Rgb(i) => i.dimensions(),
            Pixels::Rgba(i) => i.dimensions(),
        }
    }
}

pub fn process(bytes: &[u8], settings: &ImageSettings) -> Result<Processed, Problem> {
    let header = inspect(bytes)?;
    let (orientation, _) = exif_orientation(bytes);
    let (up_w, up_h) = if swaps(orientation) {
        (header.height, header.width)
    } else {
        (header.width, header.height)
    };
    let (disp_w, disp_h) = fit(up_w, up_h, settings.max_width);
    let needs_thumb = disp_w > settings.thumb_width;

    // Small and upright: keep the encoded bytes, cut out the metadata.
    if orientation == 1 && disp_w == up_w {
        let display = Encoded {
            bytes: strip_metadata(bytes, header.format),
            format: header.format,
            width: up_w,
            height: up_h,
        };
        let thumb = if needs_thumb {
            let (pixels, icc) = decode(bytes, header, up_w, up_h, settings.thumb_width, 1)?;
            Some(thumb_of(pixels, header.format, icc.as_deref(), settings)?)
        } else {
            None
        };
        return Ok(Processed {
            display,
            thumb,
            reencoded: false,
            renamed: false,
        });
    }

    let (pixels, icc) = decode(bytes, header, up_w, up_h, disp_w, orientation)?;
    let out_format = match (&pixels, header.format) {
        (Pixels::Rgba(_), _) => Format::Png,
        (Pixels::Rgb(_), Format::Png) => Format::Png,
        (Pixels::Rgb(_), _) => Format::Jpeg,
    };
    let display_px = resize(pixels, disp_w, disp_h)?;
    let thumb = if needs_thumb {
        let (tw, th) = fit(disp_w, disp_h, settings.thumb_width);
        let small = resize(clone_pixels(&display_px), tw, th)?;
        Some(encode(&small, out_format, icc.as_deref(), settings)?)
    } else {
        None
    };
    let display = encode(&display_px, out_format, icc.as_deref(), settings)?;
    Ok(Processed {
        display,
        thumb,
        reencoded: true,
        renamed: out_format != header.format,
    })
}

fn clone_pixels(p: &Pixels) -> Pixels {
    match p {
        Pixels::Rgb(i) => Pixels::Rgb(i.clone()),
        Pixels::Rgba(i) => Pixels::Rgba(i.clone()),
    }
}

fn thumb_of(
    pixels: Pixels,
    format: Format,
    icc: Option<&[u8]>,
    settings: &ImageSettings,
) -> Result<Encoded, Problem> {
    let (w, h) = pixels.dimensions();
    let (tw, th) = fit(w, h, settings.thumb_width);
    let format = match (&pixels, format) {
        (Pixels::Rgba(_), _) | (_, Format::Png) => Format::Png,
        _ => Format::Jpeg,
    };
    encode(&resize(pixels, tw, th)?, format, icc, settings)
}

/// Decodes, upright, at least `want_w` wide when the source allows
/// (a JPEG is decoded at 1/2, 1/4 or 1/8 scale when that is enough).
fn decode(
    bytes: &[u8],
    header: Header,
    up_w: u32,
    up_h: u32,
    want_w: u32,
    orientation: u32,
) -> Result<(Pixels, Option<Vec<u8>>), Problem> {
    let corrupt = |e: &dyn std::fmt::Display| Problem::Corrupt {
        detail: e.to_string(),
    };
    let (pixels, icc) = match header.format {
        Format::Jpeg => decode_jpeg(bytes, up_w, up_h, want_w, orientation)?,
        _ => {
            let mut decoder = reader(bytes, header.format)
                .into_decoder()
                .map_err(|e| corrupt(&e))?;
            let icc = decoder.icc_profile().ok().flatten();
            let img = DynamicImage::from_decoder(decoder).map_err(|e| corrupt(&e))?;
            let px = if img.color().has_alpha() {
                Pixels::Rgba(img.into_rgba8())
            } else {
                Pixels::Rgb(img.into_rgb8())
            };
            (px, icc)
        }
    };
    Ok((orient(pixels, orientation), icc))
}

fn decode_jpeg(
    bytes: &[u8],
    up_w: u32,
    up_h: u32,
    want_w: u32,
    orientation: u32,
) -> Result<(Pixels, Option<Vec<u8>>), Problem> {
    let corrupt = |e: &dyn std::fmt::Display| Problem::Corrupt {
        detail: e.to_string(),
    };
    let mut dec = jpeg_decoder::Decoder::new(bytes);
    dec.set_max_decoding_buffer_size(MAX_ALLOC as usize);
    dec.read_info().map_err(|e| corrupt(&e))?;
    let info = dec.info().ok_or_else(|| corrupt(&"no header"))?;
    if info.pixel_format == jpeg_decoder::PixelFormat::RGB24
        || info.pixel_format == jpeg_decoder::PixelFormat::L8
    {
        // The scale is asked for in the file's own orientation.
        let (ww, wh) = fit(up_w, up_h, want_w);
        let (sw, sh) = if swaps(orientation) {
            (wh, ww)
        } else {
            (ww, wh)
        };
        let (w, h) = dec
            .scale(
                sw.min(u16::MAX as u32) as u16,
                sh.min(u16::MAX as u32) as u16,
            )
            .map_err(|e| corrupt(&e))?;
        let data = dec.decode().map_err(|e| corrupt(&e))?;
        let icc = dec.icc_profile();
        let (w, h) = (w as u32, h as u32);
        let rgb = if info.pixel_format == jpeg_decoder::PixelFormat::L8 {
            data.iter().flat_map(|&g| [g, g, g]).collect()
        } else {
            data
        };
        let img = RgbImage::from_raw(w, h, rgb).ok_or_else(|| corrupt(&"short image data"))?;
        return Ok((Pixels::Rgb(img), icc));
    }
    // CMYK and other rare layouts: the general decoder converts them.
    let mut decoder = reader(bytes, Format::Jpeg)
        .into_decoder()
        .map_err(|e| corrupt(&e))?;
    let icc = decoder.icc_profile().ok().flatten();
    let img = DynamicImage::from_decoder(decoder).map_err(|e| corrupt(&e))?;
    // A CMYK profile does not describe the RGB pixels we made.
    let icc = icc.filter(|p| p.get(16..20) == Some(b"RGB "));
    Ok((Pixels::Rgb(img.into_rgb8()), icc))
}

/// Applies an EXIF orientation (1–8).
fn orient(p: Pixels, orientation: u32) -> Pixels {
    use image::imageops::{flip_horizontal, flip_vertical, rotate90, rotate180, rotate270};
    macro_rules! turn {
        ($img:expr) => {
            match orientation {
                2 => flip_horizontal(&$img),
                3 => rotate180(&$img),
                4 => flip_vertical(&$img),
                5 => flip_horizontal(&rotate90(&$img)),
                6 => rotate90(&$img),
                7 => flip_horizontal(&rotate270(&$img)),
                8 => rotate270(&$img),
                _ => $img,
            }
        };
    }
    match p {
        Pixels::Rgb(img) => Pixels::Rgb(turn!(img)),
        Pixels::Rgba(img) => Pixels::Rgba(turn!(img)),
    }
}

fn resize(p: Pixels, w: u32, h: u32) -> Result<Pixels, Problem> {
    let (sw, sh) = p.dimensions();
    if (sw, sh) == (w, h) {
        return Ok(p);
    }
    let failed = |e: &dyn std::fmt::Display| Problem::Corrupt {
        detail: e.to_string(),
    };
    let (raw, kind) = match p {
        Pixels::Rgb(i) => (i.into_raw(), fir::PixelType::U8x3),
        Pixels::Rgba(i) => (i.into_raw(), fir::PixelType::U8x4),
    };
    let src = fir::images::Image::from_vec_u8(sw, sh, raw, kind).map_err(|e| failed(&e))?;
    let mut dst = fir::images::Image::new(w, h, kind);
    let options = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3));
    fir::Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| failed(&e))?;
    let raw = dst.into_vec();
    let short = || failed(&"resize");
    Ok(match kind {
        fir::PixelType::U8x4 => Pixels::Rgba(RgbaImage::from_raw(w, h, raw).ok_or_else(short)?),
        _ => Pixels::Rgb(RgbImage::from_raw(w, h, raw).ok_or_else(short)?),
    })
}

fn encode(
    p: &Pixels,
    format: Format,
    icc: Option<&[u8]>,
    settings: &ImageSettings,
) -> Result<Encoded, Problem> {
    let failed = |e: &dyn std::fmt::Display| Problem::Corrupt {
        detail: e.to_string(),
    };
    let (width, height) = p.dimensions();
    // Only an RGB profile describes the RGB pixels written (a grey or CMYK
    // source's profile would skew the colours).
    let icc = icc.filter(|p| p.get(16..20) == Some(b"RGB "));
    let mut bytes = Vec::new();
    match (format, p) {
        (Format::Jpeg, Pixels::Rgb(img)) => {
            let mut enc = jpeg_encoder::Encoder::new(&mut bytes, settings.quality);
            if let Some(icc) = icc {
                enc.add_icc_profile(icc).map_err(|e| failed(&e))?;
            }
            enc.encode(
                img.as_raw(),
                width as u16,
                height as u16,
                jpeg_encoder::ColorType::Rgb,
            )
            .map_err(|e| failed(&e))?;
        }
        (_, pixels) => {
            use image::ImageEncoder;
            let mut enc = image::codecs::png::PngEncoder::new(&mut bytes);
            if let Some(icc) = icc {
                // A profile the encoder refuses only costs colour accuracy.
                let _ = enc.set_icc_profile(icc.to_vec());
            }
            let (raw, color) = match pixels {
                Pixels::Rgb(i) => (i.as_raw(), image::ExtendedColorType::Rgb8),
                Pixels::Rgba(i) => (i.as_raw(), image::ExtendedColorType::Rgba8),
            };
            enc.write_image(raw, width, height, color)
                .map_err(|e| failed(&e))?;
            return Ok(Encoded {
                bytes,
                format: Format::Png,
                width,
                height,
            });
        }
    }
    Ok(Encoded {
        bytes,
        format,
        width,
        height,
    })
}

/// The file with its metadata cut out and nothing else changed: JPEG APP1
/// (EXIF, XMP), APP13 (IPTC) and comments; PNG text and eXIf chunks; WebP
/// EXIF and XMP chunks. Colour profiles stay.
pub fn strip_metadata(bytes: &[u8], format: Format) -> Vec<u8> {
    let stripped = match format {
        Format::Jpeg => strip_jpeg(bytes),
        Format::Png => strip_png(bytes),
        Format::Webp => strip_webp(bytes),
    };
    stripped.unwrap_or_else(|| bytes.to_vec())
}

fn strip_jpeg(b: &[u8]) -> Option<Vec<u8>> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..2]);
    let mut i = 2;
    loop {
        if b.get(i) != Some(&0xFF) {
            return None;
        }
        let marker = *b.get(i + 1)?;
        if marker == 0xFF {
            // Fill byte.
            i += 1;
            continue;
        }
        if marker == 0xDA {
            // Start of scan: image data up to the end-of-image marker. In
            // the data a 0xFF byte is followed by 0x00, a restart marker or
            // the next table or scan, so the first FF D9 ends the image.
            // Phones append more pictures after it (depth maps, a second
            // JPEG with its own EXIF): those are left out.
            let end = memchr::memmem::find(&b[i..], &[0xFF, 0xD9]).map_or(b.len(), |p| i + p + 2);
            out.extend_from_slice(&b[i..end]);
            return Some(out);
        }
        let len = u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]) as usize;
        let end = i + 2 + len;
        if len < 2 || end > b.len() {
            return None;
        }
        let segment = &b[i + 4..end];
        // APP2 holds the colour profile (kept) or the index of the appended
        // pictures (dropped with them).
        let drop = matches!(marker, 0xE1 | 0xED | 0xFE)
            || (0xE3..=0xEF).contains(&marker) && marker != 0xEE
            || marker == 0xE2 && segment.starts_with(b"MPF\0");
        if !drop {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
    }
}

fn strip_png(b: &[u8]) -> Option<Vec<u8>> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !b.starts_with(SIG) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(SIG);
    let mut i = SIG.len();
    while i < b.len() {
        let len = u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?) as usize;
        let kind = b.get(i + 4..i + 8)?;
        let end = i.checked_add(12)?.checked_add(len)?;
        if end > b.len() {
            return None;
        }
        if !matches!(kind, b"eXIf" | b"tEXt" | b"iTXt" | b"zTXt" | b"tIME") {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
    }
    Some(out)
}

fn strip_webp(b: &[u8]) -> Option<Vec<u8>> {
    if b.len() < 12 || &b[..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..12]);
    let mut i = 12;
    while i + 8 <= b.len() {
        let kind = &b[i..i + 4];
        let len = u32::from_le_bytes(b[i + 4..i + 8].try_into().ok()?) as usize;
        let end = (i + 8).checked_add(len + (len & 1))?.min(b.len());
        if kind == b"VP8X" && end - i >= 9 {
            let at = out.len();
            out.extend_from_slice(&b[i..end]);
            // Clear the EXIF (0x08) and XMP (0x04) flags.
            out[at + 8] &= !0x0C;
        } else if kind != b"EXIF" && kind != b"XMP " {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
    }
    let size = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_the_aspect_and_never_enlarges() {
        assert_eq!(fit(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit(800, 600, 1600), (800, 600));
        assert_eq!(fit(3000, 4000, 480), (480, 640));
    }

    fn chunk(kind: &[u8], data: &[u8], le: bool) -> Vec<u8> {
        let mut c = Vec::new();
        let n = data.len() as u32;
        if le {
            c.extend_from_slice(kind);
            c.extend_from_slice(&n.to_le_bytes());
            c.extend_from_slice(data);
            if data.len() % 2 == 1 {
                c.push(0);
            }
        } else {
            c.extend_from_slice(&n.to_be_bytes());
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0; 4]); // CRC, not checked here
        }
        c
    }

    #[test]
    fn png_text_and_exif_chunks_are_cut_out() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &[0; 13], false));
        png.extend(chunk(b"iCCP", b"profile", false));
        png.extend(chunk(b"eXIf", b"MM\0*GPS", false));
        png.extend(chunk(b"tEXt", b"Author\0Zhang Wei", false));
        png.extend(chunk(b"IDAT", b"pixels", false));
        png.extend(chunk(b"IEND", b"", false));
        let out = strip_metadata(&png, Format::Png);
        let has = |b: &[u8], s: &[u8]| b.windows(s.len()).any(|w| w == s);
        assert!(!has(&out, b"eXIf") && !has(&out, b"Zhang Wei"));
        assert!(has(&out, b"iCCP") && has(&out, b"IDAT") && has(&out, b"IEND"));
    }

    #[test]
    fn webp_exif_and_xmp_chunks_are_cut_out_and_flags_cleared() {
        let mut body = b"WEBP".to_vec();
        body.extend(chunk(
            b"VP8X",
            &[0x0C | 0x20, 0, 0, 0, 9, 0, 0, 9, 0, 0],
            true,
        ));
        body.extend(chunk(b"ICCP", b"profile", true));
        body.extend(chunk(b"VP8L", b"pixels", true));
        body.extend(chunk(b"EXIF", b"II*\0GPS", true));
        body.extend(chunk(b"XMP ", b"<x:xmpmeta/>", true));
        let mut webp = b"RIFF".to_vec();
        webp.extend_from_slice(&(body.len() as u32).to_le_bytes());
        webp.extend(body);
        let out = strip_metadata(&webp, Format::Webp);
        let has = |b: &[u8], s: &[u8]| b.windows(s.len()).any(|w| w == s);
        assert!(!has(&out, b"EXIF") && !has(&out, b"XMP ") && !has(&out, b"GPS"));
        assert!(has(&out, b"ICCP") && has(&out, b"VP8L"));
        assert_eq!(out[20] & 0x0C, 0, "EXIF and XMP flags cleared");
        assert_eq!(out[20] & 0x20, 0x20, "ICC flag kept");
        let size = u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize;
        assert_eq!(size, out.len() - 8);
    }

    #[test]
    fn heic_is_named() {
        let mut b = vec![0, 0, 0, 24];
        b.extend_from_slice(b"ftypheic");
        b.extend_from_slice(&[0; 16]);
        assert_eq!(
            inspect(&b),
            Err(Problem::Unsupported {
                format: "HEIC".into()
            })
        );
    }
}
