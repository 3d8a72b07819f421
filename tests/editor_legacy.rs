//! Importing content written by others: the shared sofastack-zh corpus
//! (583 Hugo posts) copied into a section of a new site. `check` and `build`
//! report each problem once, at its file and line, with a hint, and nothing
//! else; unknown keys stay in `page.extra`; once the files named in errors
//! are removed, every remaining post is built, with its co-located images.

mod editor_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use editor_support::{TestSite, copy_tree};
use unionpress::build;
use unionpress::diagnostics::{Diagnostic, Diagnostics, Sources};
use unionpress::i18n::Lang;
use unionpress::site::Options;

const CORPUS: &str = "../shared/corpora/sofastack-zh/content/zh";
const SECTION: &str = "content/archive";

/// Every error the corpus has, by file: code and line. Each was looked at
/// by hand (see the notes); anything else is a regression.
const EXPECTED: &[(&str, &str, usize)] = &[
    // `[PPT](https://…/EnvoyCon UDPA 2019.pdf)`: spaces in the address, so
    // Markdown shows the link as text (the hint gives the `<…>` form).
    (
        "blog/service-mesh-api-udpa-follow-up/index.md",
        "link-with-spaces",
        50,
    ),
    // `+++` TOML front matter, CRLF line ends.
    ("activities/_index.md", "toml-front-matter", 1),
    // `---` immediately closed by `---`: a section without a title.
    ("blog/_index.md", "missing-field", 1),
    // Mail addresses written as links without `mailto:`: a browser looks
    // for a file of that name on the site.
    (
        "blog/antgroup-sofastack-rivers-and-lakes-on-the-cloud/index.md",
        "link-needs-fix",
        308,
    ),
    // A container image name as a link: no scheme, so a file on the site.
    (
        "blog/dlrover's-stability-guarantee-for-large-model-training-on-k8s-with-thousands-of-cardinalities/index.md",
        "link-needs-fix",
        267,
    ),
    (
        "blog/go-native-plug-in-use-problem-full-analysis/index.md",
        "link-needs-fix",
        122,
    ),
    (
        "blog/open-source-summer-2022-welcome-to-the-sofastack-community-and-mosn-community-projects/index.md",
        "link-needs-fix",
        39,
    ),
    (
        "blog/open-source-summer-2022-welcome-to-the-sofastack-community-and-mosn-community-projects/index.md",
        "link-needs-fix",
        53,
    ),
    (
        "blog/open-source-summer-2022-welcome-to-the-sofastack-community-and-mosn-community-projects/index.md",
        "link-needs-fix",
        67,
    ),
    (
        "blog/open-source-summer-2022-welcome-to-the-sofastack-community-and-mosn-community-projects/index.md",
        "link-needs-fix",
        85,
    ),
    (
        "blog/open-source-summer-2022-welcome-to-the-sofastack-community-and-mosn-community-projects/index.md",
        "link-needs-fix",
        101,
    ),
    (
        "blog/open-source-summer-2022-welcome-to-the-sofastack-community-and-mosn-community-projects/index.md",
        "link-needs-fix",
        119,
    ),
    // `(*https://…*)`: emphasis stars inside the link's address.
    (
        "blog/open-source-summer-experience-haring-mosn-community-weixin-doing-what-you-think-is-cool/index.md",
        "link-needs-fix",
        22,
    ),
    (
        "blog/open-source-summer-experience-haring-mosn-community-weixin-doing-what-you-think-is-cool/index.md",
        "link-needs-fix",
        195,
    ),
    (
        "blog/open-source-summer-experience-haring-mosn-community-weixin-doing-what-you-think-is-cool/index.md",
        "link-needs-fix",
        196,
    ),
    (
        "blog/open-source-summer-experience-haring-mosn-community-weixin-doing-what-you-think-is-cool/index.md",
        "link-needs-fix",
        197,
    ),
    (
        "blog/open-source-summer-experience-sharing-koupleless-community-wei-zhaohua-the-spirit-of-open-source-is-a-never-ending-relay/index.md",
        "link-needs-fix",
        24,
    ),
    (
        "blog/open-source-summer-experience-sharing-koupleless-community-wei-zhaohua-the-spirit-of-open-source-is-a-never-ending-relay/index.md",
        "link-needs-fix",
        44,
    ),
    (
        "blog/origins｜ant's-practical-path-to-application-level-service-discovery/index.md",
        "link-needs-fix",
        45,
    ),
    (
        "blog/prometheus-on-ceresdb-evolutionary-path/index.md",
        "link-needs-fix",
        256,
    ),
    ("blog/sofa-weekly-0505/index.md", "link-needs-fix", 74),
    ("blog/sofa-weekly-0505/index.md", "link-needs-fix", 84),
    ("blog/sofa-weekly-0505/index.md", "link-needs-fix", 96),
    ("blog/sofa-weekly-0505/index.md", "link-needs-fix", 106),
    // `(h/blog/…/)`: a typo for the root-absolute `/blog/…/`.
    ("blog/sofa-weekly-20200529/index.md", "broken-link", 97),
    ("blog/sofa-weekly-20201016/index.md", "link-needs-fix", 110),
    // `(SOFABolt：https://…)`: a label typed inside the address.
    ("blog/sofa-weekly-20210604/index.md", "link-needs-fix", 42),
    ("blog/sofa-weekly-20210604/index.md", "link-needs-fix", 51),
    ("blog/sofaweekly-20230106/index.md", "link-needs-fix", 84),
    // `cover: "/cover.jpg"`, and the bundle has no cover.jpg (the original
    // theme showed an empty image here too).
    (
        "blog/spring-boot-sofa-boot-class-isolation-integration/index.md",
        "missing-cover",
        8,
    ),
    // The only file without front matter: it starts with an image.
    (
        "blog/what-have-we-learned-from-scale-platform-engineering-practices/20220927/index.md",
        "no-front-matter",
        1,
    ),
];

fn corpus() -> Option<std::path::PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    path.is_dir().then_some(path)
}

fn site_with_corpus(corpus: &Path) -> TestSite {
    let site = TestSite::new();
    copy_tree(corpus, &site.path(SECTION));
    site.write(
        &format!("{SECTION}/_index.md"),
        "---\ntitle: 技术文章存档\n---\n",
    );
    site
}

fn now() -> Options {
    Options {
        drafts: false,
        future: false,
        // After the newest post (2026-04-01), so every post is published.
        now: "2026-06-01T00:00:00+08:00".parse().unwrap(),
    }
}

fn errors(diags: &[Diagnostic]) -> Vec<(String, &'static str, usize)> {
    let prefix = format!("{SECTION}/");
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let span = d.span.as_ref().unwrap_or_else(|| panic!("no place: {d:?}"));
            let file = span
                .file
                .strip_prefix(&prefix)
                .unwrap_or(&span.file)
                .to_string();
            assert!(span.line >= 1 && span.column >= 1);
            assert!(d.msg.hint(Lang::Zh).is_some(), "no hint: {d:?}");
            (file, d.msg.code(), span.line)
        })
        .collect()
}

fn expected() -> Vec<(String, &'static str, usize)> {
    EXPECTED
        .iter()
        .map(|(f, c, l)| (f.to_string(), *c, *l))
        .collect()
}

#[test]
fn the_legacy_corpus_reports_each_problem_once_and_builds_once_they_go() {
    let Some(corpus) = corpus() else {
        panic!("the shared corpus is missing at {CORPUS}");
    };
    let site = site_with_corpus(&corpus);
    let req = |output| build::Request {
        root: site.root().to_path_buf(),
        output,
        options: now(),
        lang: Some(Lang::Zh),
    };

    // check: the errors above, each once, sorted; nothing else fails.
    let checked = unionpress::check::run(&req(None));
    let found = errors(&checked.diags);
    let mut want = expected();
    want.sort();
    assert_eq!(found, want);
    // build: the same errors, and nothing written.
    let built = build::run(&req(Some(site.path("public"))));
    assert_eq!(errors(&built.diags), want);
    assert!(!site.path("public/index.html").exists());

    // Warnings are about keys we do not know, addresses outside the
    // intranet, pictures without words, files no page uses: never a panic,
    // never an error.
    let warned: BTreeMap<&str, usize> =
        checked
            .diags
            .iter()
            .filter(|d| !d.is_error())
            .fold(BTreeMap::new(), |mut m, d| {
                *m.entry(d.msg.code()).or_default() += 1;
                m
            });
    let allowed = [
        "unknown-key",
        "external-cover",
        // Pictures on yuque, alipayobjects, juejin and WeChat servers.
        "external-load",
        "image-no-alt",
        "unused-file",
        "misnamed-markdown",
        "broken-anchor",
    ];
    for code in warned.keys() {
        assert!(
            allowed.contains(code),
            "unexpected warning {code}: {warned:?}"
        );
    }

    // Hugo's `categories` are browsed as tags (README, "Sites moved from
    // other generators"); other unknown keys are kept.
    let (mut d, mut s) = (Diagnostics::default(), Sources::default());
    let loaded = build::load(site.root(), now(), &mut d, &mut s).unwrap();
    let pages = &loaded.site.pages;
    assert!(
        pages
            .iter()
            .all(|p| p.page.meta.extra.iter().all(|(k, _)| k != "categories"))
    );
    let raft = pages
        .iter()
        .find(|p| p.page.rel.ends_with("sofa-jraft-rheakv/index.md"))
        .expect("the RheaKV post");
    assert!(raft.page.meta.tags.iter().any(|t| t == "SOFAJRaft"));
    let with_authorlink = pages
        .iter()
        .filter(|p| p.page.meta.extra.iter().any(|(k, _)| k == "authorlink"))
        .count();
    assert!(with_authorlink > 100, "{with_authorlink}");

    // Remove the files named in errors: the build succeeds.
    let broken: BTreeSet<&str> = EXPECTED.iter().map(|(f, _, _)| *f).collect();
    for file in &broken {
        std::fs::remove_file(site.path(&format!("{SECTION}/{file}"))).unwrap();
    }
    let built = build::run(&req(Some(site.path("public"))));
    assert!(
        !built.failed(),
        "{:?}",
        built
            .diags
            .iter()
            .filter(|d| d.is_error())
            .collect::<Vec<_>>()
    );

    // Every remaining post is a page of the site, written out, with its images.
    let posts = count_posts(&site.path(SECTION));
    let (mut d, mut s) = (Diagnostics::default(), Sources::default());
    let loaded = build::load(site.root(), now(), &mut d, &mut s).unwrap();
    let archived: Vec<_> = loaded
        .site
        .pages
        .iter()
        .filter(|p| p.page.rel.starts_with("archive/"))
        .collect();
    assert_eq!(archived.len(), posts);
    for p in &archived {
        let html = std::fs::read_to_string(site.path("public").join(&p.url))
            .unwrap_or_else(|e| panic!("{}: {e}", p.url));
        let title = escape(&p.page.meta.title);
        let shown = ["&#x27;", "&#39;", "'"]
            .iter()
            .any(|q| html.contains(&title.replace('\'', q)));
        assert!(shown, "{} lacks its title", p.url);
    }
    let images: Vec<_> = loaded
        .site
        .assets
        .iter()
        .filter(|a| is_image(&a.asset.rel))
        .collect();
    // All 31 of the corpus's images: in bundles, or (where the bundle's
    // page was removed above) as plain files.
    assert_eq!(images.len(), 31);
    assert!(images.iter().filter(|a| a.asset.bundle.is_some()).count() >= 29);
    for a in &images {
        assert!(
            site.path("public").join(&a.url).is_file(),
            "{} not copied",
            a.url
        );
    }
    // A bundle's cover written Hugo's way (`/cover.jpg`) is the bundle's own.
    let workshop = archived
        .iter()
        .find(|p| {
            p.page
                .rel
                .ends_with("sofastack-cloud-native-workshop/index.md")
        })
        .unwrap();
    assert_eq!(
        workshop.cover_url.as_deref(),
        Some("archive/activities/sofastack-cloud-native-workshop/cover.jpg")
    );
}

/// Pages as the corpus has them: `x.md`, or a bundle's `index.md` (other
/// Markdown inside a bundle is one of its files, not a page).
fn count_posts(dir: &Path) -> usize {
    let files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let bundles: BTreeSet<_> = files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "index.md"))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "_index.md"))
        .filter(|p| {
            p.file_name().is_some_and(|n| n == "index.md")
                || !p.ancestors().skip(1).any(|a| bundles.contains(a))
        })
        .count()
}

fn is_image(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp", ".gif"]
        .iter()
        .any(|e| lower.ends_with(e))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
