//! Photos from phones: a bundle with a large, rotated, GPS-tagged JPEG
//! builds into an upright copy no wider than 1600 px and a thumbnail, with
//! no EXIF in anything published; the gallery, the event list and the home
//! page show it; the second build does no image work; bad image files get
//! a diagnostic that names them.

mod common;
#[path = "common/photo.rs"]
mod photo;

use common::{Build, Site, run_cli};
use photo::SECRETS;
use unionpress::i18n::Lang;

const EVENT: &str =
    "title: 职工运动会\ndate: 2026-02-10\nevent_date: 2026-02-08\nlocation: 体育中心";

/// Stored 2200 × 1700 with orientation 6 (turn 90° clockwise): upright it
/// is 1700 × 2200, so the display copy is 1600 × 2071.
fn rotated_site() -> Site {
    let site = Site::new();
    site.page(
        "events/sports/index.md",
        EVENT,
        "开幕式后进行了接力比赛。\n\n![接力冲刺](relay.jpg \"终点冲刺\")\n\n拔河比赛同样激烈。",
    );
    site.file(
        "content/events/sports/relay.jpg",
        photo::phone_jpeg(2200, 1700, 6, 1),
    );
    site.file(
        "content/events/sports/crowd.jpg",
        photo::phone_jpeg(1800, 1200, 1, 2),
    );
    site
}

fn published_images(b: &Build) -> Vec<String> {
    b.files()
        .into_iter()
        .filter(|f| {
            let f = f.to_ascii_lowercase();
            [".jpg", ".jpeg", ".png", ".webp"]
                .iter()
                .any(|e| f.ends_with(e))
        })
        .collect()
}

fn assert_no_metadata(b: &Build) {
    let images = published_images(b);
    assert!(!images.is_empty());
    for url in images {
        let bytes = std::fs::read(b.path(&url)).unwrap();
        for secret in SECRETS {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{url} still holds {secret:?}"
            );
        }
        let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&bytes));
        assert!(exif.is_err(), "{url} still has EXIF");
    }
}

fn rgb_at(img: &image::RgbImage, x: u32, y: u32) -> [u8; 3] {
    img.get_pixel(x, y).0
}

#[test]
fn a_rotated_phone_photo_is_published_upright_smaller_and_without_exif() {
    let site = rotated_site();
    let b = site.build().ok();

    let display = image::open(b.path("events/sports/relay.jpg"))
        .unwrap()
        .to_rgb8();
    assert_eq!(display.dimensions(), (1600, 2071), "upright and resized");
    // Stored top-left (red) is now top-right; stored top-right (blue) is
    // now bottom-right.
    let (w, h) = display.dimensions();
    let red = rgb_at(&display, w - 40, 40);
    let blue = rgb_at(&display, w - 40, h - 40);
    assert!(
        red[0] > 150 && red[2] < 100,
        "top right should be red: {red:?}"
    );
    assert!(
        blue[2] > 150 && blue[0] < 100,
        "bottom right should be blue: {blue:?}"
    );
    let top_left = rgb_at(&display, 40, 40);
    assert!(top_left[0] < 150, "top left is not red: {top_left:?}");

    let thumb = image::open(b.path("events/sports/relay.thumb.jpg")).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (480, 621));
    assert_no_metadata(&b);

    // The Markdown image: sizes, lazy loading, a srcset with the thumbnail.
    let html = b.html("events/sports/index.html");
    assert!(
        html.contains("<img src=\"relay.jpg\" alt=\"接力冲刺\" title=\"终点冲刺\" width=\"1600\" height=\"2071\" loading=\"lazy\" decoding=\"async\" srcset=\"relay.thumb.jpg 480w, relay.jpg 1600w\""),
        "{html}"
    );
    // The gallery: both photos, captioned with the title, each thumbnail a
    // link to its display copy.
    let gallery = &html[html.find("class=\"gallery\"").expect("gallery")..];
    assert!(
        gallery.contains(
            "href=\"../../events/sports/relay.jpg\" data-width=\"1600\" data-height=\"2071\""
        ),
        "{gallery}"
    );
    assert!(
        gallery
            .contains("src=\"../../events/sports/relay.thumb.jpg\" width=\"480\" height=\"621\""),
        "{gallery}"
    );
    assert!(
        gallery.contains("<figcaption>终点冲刺</figcaption>"),
        "{gallery}"
    );
    assert!(
        gallery.contains("href=\"../../events/sports/crowd.jpg\""),
        "{gallery}"
    );
    assert!(gallery.contains("gallery.js"), "{gallery}");
    assert!(b.has("gallery.js"));

    // No cover: the first photo stands for the report on the list and at home.
    let list = b.html("events/index.html");
    assert!(list.contains("class=\"page-item-thumb\""), "{list}");
    assert!(list.contains("../events/sports/relay.thumb.jpg"), "{list}");
    let home = b.html("index.html");
    assert!(home.contains("图片新闻"), "{home}");
    assert!(home.contains("events/sports/relay.thumb.jpg"), "{home}");
}

#[test]
fn the_second_build_does_no_image_work() {
    let site = rotated_site();
    let first = site.build().ok();
    let stats = first.report.images.expect("image stats");
    assert_eq!((stats.processed, stats.reused), (2, 0));
    assert!(site.root.join(".unionpress/images/index.json").is_file());

    let second = site.build().ok();
    let stats = second.report.images.expect("image stats");
    assert_eq!(
        (stats.processed, stats.reused, stats.hashed),
        (0, 2, 0),
        "nothing decoded, nothing even re-read"
    );
    assert!(second.report.timings().contains("photos processed 0"));

    // A photo replaced by another: only that one is processed again.
    site.file(
        "content/events/sports/crowd.jpg",
        photo::phone_jpeg(1700, 1100, 1, 3),
    );
    let third = site.build().ok();
    let stats = third.report.images.unwrap();
    assert_eq!((stats.processed, stats.reused), (1, 1));
    let crowd = image::open(third.path("events/sports/crowd.jpg")).unwrap();
    assert_eq!(crowd.width(), 1600);
    assert_eq!(crowd.height(), 1035);
}

/// A build takes the cache's entries as its index describes them, without
/// opening them: a copy or a description someone deleted is still
/// noticed, and that photo is made again rather than the build failing.
#[test]
fn a_copy_deleted_from_the_image_cache_is_made_again() {
    let site = rotated_site();
    site.build().ok();
    let cache = site.root.join(".unionpress/images");
    let named = |part: &str| -> Vec<String> {
        (names_in(&cache).into_iter())
            .filter(|n| n.len() > 25 && n.contains(part))
            .collect()
    };
    let thumbs = named("-thumb.");
    assert_eq!(thumbs.len(), 2, "{:?}", names_in(&cache));
    std::fs::remove_file(cache.join(&thumbs[0])).unwrap();
    let b = site.build().ok();
    let stats = b.report.images.unwrap();
    assert_eq!((stats.processed, stats.reused), (1, 1));
    assert_eq!(named("-thumb."), thumbs);
    let copies = published_images(&b);
    let copies = copies.iter().filter(|f| f.starts_with("events/sports/"));
    assert_eq!(copies.count(), 4, "{:?}", b.files());

    let described = named(".json");
    assert_eq!(described.len(), 2);
    std::fs::remove_file(cache.join(&described[1])).unwrap();
    let stats = site.build().ok().report.images.unwrap();
    assert_eq!((stats.processed, stats.reused), (1, 1));
    assert_eq!(named(".json"), described);
    let stats = site.build().ok().report.images.unwrap();
    assert_eq!((stats.processed, stats.reused), (0, 2));
}

/// Sets every file's time in `dir` back by `days`.
fn age_files(dir: &std::path::Path, days: u64) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(days * 24 * 3600);
    for f in std::fs::read_dir(dir).unwrap().flatten() {
        let file = std::fs::File::options().write(true).open(f.path()).unwrap();
        file.set_modified(then).unwrap();
    }
}

fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = (std::fs::read_dir(dir).unwrap().flatten())
        .map(|f| f.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn copies_no_build_used_for_a_month_leave_the_cache_and_nothing_else_does() {
    let site = rotated_site();
    site.build().ok();
    let cache = site.root.join(".unionpress/images");
    let first = names_in(&cache);
    // Two entries (a description each, with its copies) and the index.
    assert_eq!(
        first.iter().filter(|n| n.ends_with(".json")).count(),
        3,
        "{first:?}"
    );

    // The crowd photo is replaced; its old copies are unused from now on,
    // but a week-old unused entry stays (the photo may come back).
    site.file(
        "content/events/sports/crowd.jpg",
        photo::phone_jpeg(1700, 1100, 1, 3),
    );
    age_files(&cache, 7);
    // Someone's file, and a temporary file a build may be writing now.
    std::fs::write(cache.join("说明.txt"), "别删").unwrap();
    let leftover = "0123456789abcdef-01234567-display.tmp99-1";
    std::fs::write(cache.join(leftover), "half").unwrap();
    let b = site.build().ok();
    assert_eq!(b.report.images.unwrap().pruned, 0);
    let kept = names_in(&cache);
    for name in &first {
        assert!(kept.contains(name), "{name} went too early: {kept:?}");
    }

    // A month later nothing has used the old crowd copies: they go, with
    // the day-old leftover; the relay photo's entry is used, so it stays
    // however old its files are.
    age_files(&cache, 31);
    let b = site.build().ok();
    let stats = b.report.images.unwrap();
    assert_eq!((stats.processed, stats.reused), (0, 2));
    let now = names_in(&cache);
    assert_eq!(stats.pruned, 3 + 1, "{now:?}");
    assert!(now.contains(&"说明.txt".to_string()) && now.contains(&"index.json".to_string()));
    assert!(!now.contains(&leftover.to_string()));
    let entries = now
        .iter()
        .filter(|n| n.len() > 25 && n.ends_with(".json"))
        .count();
    assert_eq!(entries, 2, "relay and the new crowd: {now:?}");
    // And what stays still serves: the next build processes nothing.
    let again = site.build().ok().report.images.unwrap();
    assert_eq!((again.processed, again.pruned), (0, 0));
}

#[test]
fn other_settings_give_other_copies() {
    let site = rotated_site();
    site.build().ok();
    let yaml = format!(
        "{}images:\n  max_width: 800\n  thumb_width: 200\n  quality: 70\n",
        common::SITE_YAML
    );
    site.file("site.yaml", yaml);
    let b = site.build().ok();
    assert_eq!(b.report.images.unwrap().processed, 2);
    let display = image::open(b.path("events/sports/relay.jpg")).unwrap();
    assert_eq!((display.width(), display.height()), (800, 1035));
    let thumb = image::open(b.path("events/sports/relay.thumb.jpg")).unwrap();
    assert_eq!(thumb.width(), 200);
}

#[test]
fn a_small_photo_with_gps_is_stripped_not_reencoded() {
    let site = Site::new();
    site.page("events/small/index.md", EVENT, "![合影](group.jpg)");
    let mut original = photo::with_exif(
        &photo::jpeg(900, 600, &photo::pixels(900, 600, 10, 4), 85),
        1,
        true,
    );
    let image_end = original.len();
    // Phones append more pictures after the image (depth maps, a preview
    // with its own EXIF).
    original.extend_from_slice(&photo::phone_jpeg(64, 48, 1, 9));
    site.file("content/events/small/group.jpg", &original);
    let b = site.build().ok();
    let published = std::fs::read(b.path("events/small/group.jpg")).unwrap();
    assert!(published.len() < original.len());
    // The image data is the original's, byte for byte.
    let tail = &original[image_end - 4000..image_end];
    assert_eq!(&published[published.len() - 4000..], tail);
    assert_no_metadata(&b);
    let thumb = image::open(b.path("events/small/group.thumb.jpg")).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (480, 320));
}

#[test]
fn gifs_and_svgs_pass_through_and_originals_are_opt_in() {
    let site = rotated_site();
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>";
    site.file("content/events/sports/anim.gif", gif);
    site.file("content/events/sports/logo.svg", svg);
    let b = site.build().ok();
    assert_eq!(
        std::fs::read(b.path("events/sports/anim.gif")).unwrap(),
        gif
    );
    assert_eq!(
        std::fs::read_to_string(b.path("events/sports/logo.svg")).unwrap(),
        svg
    );
    assert!(!b.has("events/sports/relay.original.jpg"));

    site.file(
        "site.yaml",
        format!("{}images: {{publish_originals: true}}\n", common::SITE_YAML),
    );
    let b = site.build().ok();
    let original = std::fs::read(site.root.join("content/events/sports/relay.jpg")).unwrap();
    assert_eq!(
        std::fs::read(b.path("events/sports/relay.original.jpg")).unwrap(),
        original
    );
    let html = b.html("events/sports/index.html");
    assert!(
        html.contains("href=\"../../events/sports/relay.original.jpg\" download>下载原图</a>"),
        "{html}"
    );
}

/// A valid small JPEG whose header claims `w` × `h`.
fn lying_jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut b = photo::jpeg(64, 48, &photo::pixels(64, 48, 0, 1), 80);
    let sof = b.windows(2).position(|m| m == [0xFF, 0xC0]).unwrap();
    b[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    b[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    b
}

#[test]
fn bad_image_files_get_diagnostics_that_name_them() {
    let site = Site::new();
    site.file(
        "site.yaml",
        format!("{}images: {{max_mb: 1}}\n", common::SITE_YAML),
    );
    site.page("events/bad/index.md", EVENT, "现场照片见下。");
    let whole = photo::phone_jpeg(1200, 900, 1, 5);
    site.file("content/events/bad/cut.jpg", &whole[..whole.len() / 2]);
    site.file("content/events/bad/notes.jpg", "这不是图片");
    site.file("content/events/bad/bomb.jpg", lying_jpeg(60000, 60000));
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    site.file("content/events/bad/IMG_0001.HEIC", &heic);
    let mut big = photo::jpeg(64, 48, &photo::pixels(64, 48, 0, 1), 80);
    big.resize(1_200_000, 0);
    site.file("content/events/bad/big.jpg", &big);
    let b = site.build_with(common::Opts {
        lang: Some(Lang::Zh),
        ..Default::default()
    });
    let b = b.failed();
    let dir = "content/events/bad";
    let cut = b.diag("image-corrupt", &format!("{dir}/cut.jpg"));
    assert!(cut.msg.text(Lang::Zh).contains("已损坏或不完整"));
    assert!(cut.msg.hint(Lang::Zh).unwrap().contains("重新复制"));
    let notes = b.diag("image-unsupported", &format!("{dir}/notes.jpg"));
    assert!(
        notes.msg.text(Lang::Zh).contains("内容却不是"),
        "{}",
        notes.msg.text(Lang::Zh)
    );
    let bomb = b.diag("image-too-many-pixels", &format!("{dir}/bomb.jpg"));
    assert!(bomb.msg.text(Lang::Zh).contains("60000 × 60000"));
    let heic = b.diag("image-unsupported", &format!("{dir}/IMG_0001.HEIC"));
    assert!(heic.msg.text(Lang::Zh).contains("HEIC"));
    assert!(heic.msg.hint(Lang::Zh).unwrap().contains("兼容性最佳"));
    let big = b.diag("image-too-large", &format!("{dir}/big.jpg"));
    assert!(
        big.msg.text(Lang::Zh).contains("1.1 MB"),
        "{}",
        big.msg.text(Lang::Zh)
    );
    assert!(big.msg.hint(Lang::Zh).unwrap().contains("max_mb"));
    assert!(!b.path("events/bad/cut.jpg").exists(), "nothing written");

    // `check` names the same files without decoding them.
    let out = run_cli(&["check", "--root", site.root.to_str().unwrap()]);
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    for file in ["big.jpg", "bomb.jpg", "IMG_0001.HEIC", "notes.jpg"] {
        assert!(text.contains(&format!("{dir}/{file}")), "{file}:\n{text}");
    }
    assert!(text.contains("超过了 1 MB 的图片上限"), "{text}");
}

#[test]
fn a_bad_images_setting_is_named() {
    let site = rotated_site();
    site.file(
        "site.yaml",
        format!("{}images: {{quality: 500, thumbs: 3}}\n", common::SITE_YAML),
    );
    let b = site.build().failed();
    let bad = b.diag("bad-image-setting", "site.yaml");
    assert!(bad.msg.text(Lang::Zh).contains("quality"));
    let unknown = b.diag("unknown-image-setting", "site.yaml");
    assert!(unknown.msg.hint(Lang::Zh).unwrap().contains("thumb_width"));
}

#[test]
fn a_big_phone_photo_is_not_a_slow_download_but_a_big_pdf_is() {
    let site = rotated_site();
    site.file(
        "site.yaml",
        format!("{}max_attachment_mb: 1\n", common::SITE_YAML),
    );
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(1_300_000, b' ');
    site.file("content/events/sports/议程.pdf", &pdf);
    let out = run_cli(&["check", "--root", site.root.to_str().unwrap()]);
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("议程.pdf"), "{text}");
    // relay.jpg is over 1 MB too, but readers get its 1600 px copy.
    assert!(!text.contains("relay.jpg 有"), "{text}");
}

#[test]
fn init_ignores_the_cache_in_git_and_keeps_an_existing_gitignore() {
    let tmp = tempfile::tempdir().unwrap();
    let fresh = tmp.path().join("fresh");
    assert!(run_cli(&["init", fresh.to_str().unwrap()]).status.success());
    let ignore = std::fs::read_to_string(fresh.join(".gitignore")).unwrap();
    assert!(ignore.contains("/.unionpress/") && ignore.contains("/public/"));

    let own = tmp.path().join("own");
    std::fs::create_dir_all(&own).unwrap();
    std::fs::write(own.join(".gitignore"), "*.bak\n").unwrap();
    assert!(run_cli(&["init", own.to_str().unwrap()]).status.success());
    assert_eq!(
        std::fs::read_to_string(own.join(".gitignore")).unwrap(),
        "*.bak\n"
    );
}

#[test]
fn a_large_webp_becomes_a_jpeg_under_a_new_name_and_links_follow() {
    let site = Site::new();
    site.page("events/web/index.md", EVENT, "![横幅](banner.webp)");
    let (w, h) = (2000, 1000);
    let img = image::RgbImage::from_raw(w, h, photo::pixels(w, h, 8, 7)).unwrap();
    let mut webp = Vec::new();
    img.write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut webp))
        .unwrap();
    site.file("content/events/web/banner.webp", &webp);
    let b = site.build().ok();
    assert!(
        !b.has("events/web/banner.webp"),
        "the original is not published"
    );
    let copy = image::open(b.path("events/web/banner.webp.jpg")).unwrap();
    assert_eq!((copy.width(), copy.height()), (1600, 800));
    let html = b.html("events/web/index.html");
    assert!(
        html.contains("<img src=\"banner.webp.jpg\" alt=\"横幅\" width=\"1600\" height=\"800\""),
        "{html}"
    );
    assert!(html.contains("banner.thumb.jpg"), "{html}");
}
