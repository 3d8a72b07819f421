//! Phone-like test photos: a JPEG with noise (so it compresses like a
//! photo), a pattern that shows which way is up, and an EXIF block such as
//! a phone writes (orientation, maker, owner, body serial, GPS position).
//! Used by tests/photos.rs and by examples/gen_photos.rs (the benchmark).
#![allow(dead_code)]

/// Text in the EXIF block that must never reach a published copy.
pub const SECRETS: &[&str] = &["UnionPhone", "Zhang Wei", "SN-7731-0042", "Exif\0\0"];

/// An RGB photo `w` × `h` as stored (before orientation): a red block in
/// the stored top-left corner, a blue block in the stored top-right, a
/// smooth gradient elsewhere, plus noise of amplitude `noise`.
pub fn pixels(w: u32, h: u32, noise: u8, seed: u32) -> Vec<u8> {
    let mut rng = seed.wrapping_mul(2_654_435_761).max(1);
    let mut px = Vec::with_capacity((w * h * 3) as usize);
    let (bw, bh) = (w / 5, h / 5);
    for y in 0..h {
        for x in 0..w {
            let mut c = if y < bh && x < bw {
                [220u8, 30, 30]
            } else if y < bh && x >= w - bw {
                [30, 30, 220]
            } else {
                [
                    (x * 200 / w + 30) as u8,
                    (y * 200 / h + 30) as u8,
                    ((x + y) * 100 / (w + h) + 60) as u8,
                ]
            };
            if noise > 0 {
                for v in &mut c {
                    // xorshift
                    rng ^= rng << 13;
                    rng ^= rng >> 17;
                    rng ^= rng << 5;
                    let n = (rng % (2 * noise as u32 + 1)) as i32 - noise as i32;
                    *v = (*v as i32 + n).clamp(0, 255) as u8;
                }
            }
            px.extend_from_slice(&c);
        }
    }
    px
}

/// A baseline JPEG of `pixels`.
pub fn jpeg(w: u32, h: u32, px: &[u8], quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(px, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .expect("encode test jpeg");
    out
}

/// The JPEG with a phone's EXIF block inserted after its first segment.
pub fn with_exif(jpeg: &[u8], orientation: u16, gps: bool) -> Vec<u8> {
    let tiff = tiff(orientation, gps);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A phone photo: noisy, `orientation`, GPS and owner data in EXIF.
pub fn phone_jpeg(w: u32, h: u32, orientation: u16, seed: u32) -> Vec<u8> {
    with_exif(&jpeg(w, h, &pixels(w, h, 24, seed), 90), orientation, true)
}

struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    /// Inline value (≤ 4 bytes) or the bytes stored after the IFD.
    data: Vec<u8>,
}

fn ascii(tag: u16, s: &str) -> Entry {
    let mut data = s.as_bytes().to_vec();
    data.push(0);
    Entry {
        tag,
        kind: 2,
        count: data.len() as u32,
        data,
    }
}

fn short(tag: u16, v: u16) -> Entry {
    Entry {
        tag,
        kind: 3,
        count: 1,
        data: v.to_le_bytes().to_vec(),
    }
}

fn long(tag: u16, v: u32) -> Entry {
    Entry {
        tag,
        kind: 4,
        count: 1,
        data: v.to_le_bytes().to_vec(),
    }
}

fn rationals(tag: u16, vals: &[(u32, u32)]) -> Entry {
    let mut data = Vec::new();
    for (n, d) in vals {
        data.extend_from_slice(&n.to_le_bytes());
        data.extend_from_slice(&d.to_le_bytes());
    }
    Entry {
        tag,
        kind: 5,
        count: vals.len() as u32,
        data,
    }
}

/// Writes one IFD at `at` (an offset in the TIFF block) into `out`.
fn ifd(out: &mut Vec<u8>, entries: &[Entry]) {
    let at = out.len();
    let table = 2 + entries.len() * 12 + 4;
    let mut extra_at = at + table;
    let mut extra = Vec::new();
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for e in entries {
        out.extend_from_slice(&e.tag.to_le_bytes());
        out.extend_from_slice(&e.kind.to_le_bytes());
        out.extend_from_slice(&e.count.to_le_bytes());
        if e.data.len() <= 4 {
            let mut v = e.data.clone();
            v.resize(4, 0);
            out.extend_from_slice(&v);
        } else {
            out.extend_from_slice(&(extra_at as u32).to_le_bytes());
            extra.extend_from_slice(&e.data);
            if e.data.len() % 2 == 1 {
                extra.push(0);
            }
            extra_at = at + table + extra.len();
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&extra);
}

fn tiff(orientation: u16, gps: bool) -> Vec<u8> {
    let mut out = b"II*\0".to_vec();
    out.extend_from_slice(&8u32.to_le_bytes());
    // IFD0, then the GPS IFD right after it: its offset is known once IFD0
    // is laid out, so lay out IFD0 twice.
    let ifd0 = |gps_at: u32| {
        let mut v = vec![
            ascii(0x010F, "UnionPhone"),
            ascii(0x0110, "UnionPhone X1"),
            short(0x0112, orientation),
            ascii(0x013B, "Zhang Wei"),
            ascii(0xA431, "SN-7731-0042"),
        ];
        if gps {
            v.push(long(0x8825, gps_at));
        }
        v.sort_by_key(|e| e.tag);
        v
    };
    let mut probe = out.clone();
    ifd(&mut probe, &ifd0(0));
    let gps_at = probe.len() as u32;
    ifd(&mut out, &ifd0(gps_at));
    if gps {
        ifd(
            &mut out,
            &[
                ascii(0x0001, "N"),
                rationals(0x0002, &[(35, 1), (6, 1), (3012, 100)]),
                ascii(0x0003, "E"),
                rationals(0x0004, &[(118, 1), (21, 1), (4509, 100)]),
            ],
        );
    }
    out
}
