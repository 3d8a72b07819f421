//! QR codes for the print version of a page: a worker at the bulletin board
//! scans the printed notice and opens the page online. Made at build time as
//! inline SVG (no image files, no network), only when `base_url` says where
//! the site is online; templates get it as `page.qr_svg`.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use qrcode::{Color, EcLevel, QrCode};

/// The light margin a scanner needs around the code, in modules.
const QUIET: usize = 4;

/// What a URL path must escape: controls, space, quotes, `#`, `%`, `?`,
/// angle brackets, and all non-ASCII (phones' scanners differ on raw UTF-8).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The page's absolute address: `base_url` joined with its root-relative
/// URL, the folder rather than `index.html` (shorter, so a smaller code).
pub fn page_address(base_url: &str, url: &str) -> String {
    let path = url.strip_suffix("index.html").unwrap_or(url);
    format!(
        "{}/{}",
        base_url.trim_end_matches('/'),
        utf8_percent_encode(path, PATH)
    )
}

/// An SVG QR code of `text` (error correction M: a creased or smudged
/// print still scans), one path of row runs, scaled by CSS through its
/// `viewBox`; `None` when the text is too long for any QR code.
pub fn svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let size = width + 2 * QUIET;
    let dark: Vec<bool> = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    // Each run of dark modules in a row is one rectangle: a tenth of the
    // bytes of one square a module, and no hairlines between them.
    let mut path = String::new();
    for (y, row) in dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|&&d| d).count();
            path.push_str(&format!("M{} {}h{run}v1h-{run}z", x + QUIET, y + QUIET));
            x += run;
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\" aria-hidden=\"true\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_name_the_folder_and_escape_what_a_scanner_may_not_read() {
        assert_eq!(
            page_address("http://gh.example.cn/union/", "notices/a/index.html"),
            "http://gh.example.cn/union/notices/a/"
        );
        assert_eq!(
            page_address("http://gh.example.cn", "notices/职代会 通知/index.html"),
            "http://gh.example.cn/notices/%E8%81%8C%E4%BB%A3%E4%BC%9A%20%E9%80%9A%E7%9F%A5/"
        );
        assert_eq!(
            page_address("http://gh.example.cn/", "files/a.pdf"),
            "http://gh.example.cn/files/a.pdf"
        );
    }

    #[test]
    fn the_code_is_inline_svg_that_scales() {
        let svg = svg("http://gh.example.cn/union/notices/a/").unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
        assert!(!svg.contains("<?xml"));
        assert!(
            svg.contains("<path fill=\"#000\" d=\"M4 4h7v1h-7z"),
            "{svg}"
        );
        assert!(svg.ends_with("</svg>"), "{svg}");
        // A version 3 code (29 modules) plus the quiet zone.
        assert!(svg.contains("viewBox=\"0 0 37 37\""), "{svg}");
    }

    /// The dark modules the SVG path paints, read back from its `M x y hN`.
    fn paint(svg: &str) -> (usize, Vec<bool>) {
        let size: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let mut dark = vec![false; size * size];
        let d = svg.split(" d=\"").nth(1).unwrap();
        for seg in d.split('M').skip(1) {
            let (xy, rest) = seg.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let run: usize = rest.split('v').next().unwrap().parse().unwrap();
            for k in x..x + run {
                dark[y * size + k] = true;
            }
        }
        (size, dark)
    }

    #[test]
    fn the_code_scans_back_to_the_address() {
        let address = "http://gh.example.cn/union/notices/%E8%81%8C%E4%BB%A3%E4%BC%9A/";
        let (size, dark) = paint(&svg(address).unwrap());
        // Four pixels a module, as a phone camera would see a sharp print.
        let scale = 4;
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(size * scale, size * scale, |x, y| {
                if dark[(y / scale) * size + x / scale] {
                    0
                } else {
                    255
                }
            });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, text) = grids[0].decode().expect("decodes");
        assert_eq!(text, address);
    }

    #[test]
    fn text_too_long_for_a_code_gives_none() {
        assert!(svg(&"x".repeat(5000)).is_none());
    }
}
