//! The message catalogue: every word a user reads, in Chinese and English.
//!
//! Nothing outside this module holds user-facing text. Diagnostics carry a
//! typed [`Msg`]; it becomes words here, in the language the site (or
//! `--lang`) asks for. Theme strings (`t.*` in templates) live in [`ui`].

mod messages;
pub mod ui;

pub use messages::{DateProblem, Expect, FilePlace, Loaded, Msg, OutputPlace, YamlIssue};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `zh-CN`, `zh`, `zh-Hans`… are Chinese; `en`, `en-US`… English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Before the name of a file that a message is about but that has no
/// text to show (a document, a photo).
pub fn file_prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "文件：",
        Lang::En => "file: ",
    }
}

pub fn hint_prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "提示：",
        Lang::En => "hint: ",
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2024年3月5日` or `5 March 2024`.
pub fn format_date(lang: Lang, year: i16, month: i8, day: i8) -> String {
    match lang {
        Lang::Zh => format!("{year}年{month}月{day}日"),
        Lang::En => {
            let m = MONTHS
                .get((month.max(1) - 1) as usize)
                .copied()
                .unwrap_or("");
            format!("{day} {m} {year}")
        }
    }
}

/// `2026年` or `2026`, for archive headings.
pub fn year_label(lang: Lang, year: i16) -> String {
    match lang {
        Lang::Zh => format!("{year}年"),
        Lang::En => year.to_string(),
    }
}

/// `3月` or `March`.
pub fn month_label(lang: Lang, month: i8) -> String {
    match lang {
        Lang::Zh => format!("{month}月"),
        Lang::En => MONTHS
            .get((month.max(1) - 1) as usize)
            .copied()
            .unwrap_or("")
            .to_string(),
    }
}

/// The build summary's line about the search index.
pub fn search_summary(lang: Lang, pages: usize, files: usize, bytes: u64) -> String {
    let size = crate::format::human_size(bytes);
    match lang {
        Lang::Zh => format!("搜索索引：{pages} 个页面，{files} 个文件，共 {size}"),
        Lang::En => format!("Search index: {pages} pages, {files} files, {size}"),
    }
}

/// The build summary's line about feeds: written, or why not.
pub fn feeds_summary(lang: Lang, feeds: Option<usize>) -> String {
    match (lang, feeds) {
        (Lang::Zh, Some(n)) => format!("已生成 {n} 个 Atom 订阅源和 sitemap.xml"),
        (Lang::En, Some(n)) => format!("Wrote {n} Atom feed(s) and sitemap.xml"),
        (Lang::Zh, None) => "未生成 Atom 订阅源和 sitemap.xml：它们需要完整网址，请在 site.yaml 中设置 base_url（例如 base_url: http://gonghui.example.cn/）".into(),
        (Lang::En, None) => "Skipped the Atom feeds and sitemap.xml: they need full URLs; set base_url in site.yaml (e.g. base_url: http://union.example.com/)".into(),
    }
}

/// A reader's name for a file type, from its extension.
pub fn file_type_label(lang: Lang, ext: &str) -> String {
    let zh = lang == Lang::Zh;
    let label = match ext.to_ascii_lowercase().as_str() {
        "pdf" => {
            if zh {
                "PDF 文档"
            } else {
                "PDF document"
            }
        }
        "doc" | "docx" | "wps" | "odt" | "rtf" => {
            if zh {
                "Word 文档"
            } else {
                "Word document"
            }
        }
        "xls" | "xlsx" | "et" | "ods" | "csv" => {
            if zh {
                "Excel 表格"
            } else {
                "Spreadsheet"
            }
        }
        "ppt" | "pptx" | "dps" | "odp" => {
            if zh {
                "演示文稿"
            } else {
                "Presentation"
            }
        }
        "zip" | "rar" | "7z" | "gz" | "tar" => {
            if zh {
                "压缩包"
            } else {
                "Archive"
            }
        }
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "bmp" | "svg" => {
            if zh {
                "图片"
            } else {
                "Image"
            }
        }
        "txt" | "md" => {
            if zh {
                "文本文件"
            } else {
                "Text file"
            }
        }
        "mp3" | "wav" | "m4a" => {
            if zh {
                "音频"
            } else {
                "Audio"
            }
        }
        "mp4" | "mov" | "avi" | "wmv" => {
            if zh {
                "视频"
            } else {
                "Video"
            }
        }
        _ => {
            if zh {
                "文件"
            } else {
                "File"
            }
        }
    };
    label.to_string()
}

/// Summary lines of the command line front end.
pub fn build_summary(lang: Lang, pages: usize, files: usize, written: usize, ms: u128) -> String {
    match lang {
        Lang::Zh => format!(
            "构建完成：{pages} 个页面，共 {files} 个文件（{written} 个有变化），用时 {ms} 毫秒"
        ),
        Lang::En => format!("Built {pages} pages, {files} files ({written} changed) in {ms} ms"),
    }
}

pub fn build_failed(lang: Lang, errors: usize, warnings: usize) -> String {
    match lang {
        Lang::Zh => format!("构建失败：{errors} 个错误，{warnings} 个警告。原有输出未作任何改动。"),
        Lang::En => format!(
            "Build failed: {errors} error(s), {warnings} warning(s). The previous output was left untouched."
        ),
    }
}

/// A watch rebuild that failed half-way (a full disk): what the output now
/// holds, so no one believes it is unchanged.
pub fn partly_updated(lang: Lang, errors: usize, updated: usize, not_updated: &[String]) -> String {
    let shown: Vec<&str> = not_updated.iter().take(5).map(String::as_str).collect();
    let more = not_updated.len().saturating_sub(shown.len());
    match lang {
        Lang::Zh => format!(
            "发现 {errors} 个错误：已更新 {updated} 个文件，{} 个文件未能更新，仍是上一版本（{}{}）；每个文件都是完整的旧版或新版，没有写了一半的文件。问题解决后保存任一文件即可补齐",
            not_updated.len(),
            shown.join("、"),
            if more > 0 {
                format!(" 等，另有 {more} 个")
            } else {
                String::new()
            },
        ),
        Lang::En => format!(
            "{errors} error(s): {updated} file(s) updated, {} not updated and still the previous version ({}{}); every file is wholly old or new, none half-written. Save any file once the problem is fixed to finish",
            not_updated.len(),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
        ),
    }
}

pub fn warnings_only(lang: Lang, warnings: usize) -> String {
    match lang {
        Lang::Zh => format!("{warnings} 个警告"),
        Lang::En => format!("{warnings} warning(s)"),
    }
}

pub fn watching(lang: Lang, polling: bool) -> String {
    match (lang, polling) {
        (Lang::Zh, false) => "正在监视文件变化，保存即更新（按 Ctrl+C 退出）".into(),
        (Lang::Zh, true) => {
            "正在以轮询方式监视文件变化（适用于网络共享目录），保存即更新（按 Ctrl+C 退出）".into()
        }
        (Lang::En, false) => {
            "Watching for changes; saving a file updates the site (Ctrl+C to stop)".into()
        }
        (Lang::En, true) => {
            "Watching for changes by polling (for network shares); Ctrl+C to stop".into()
        }
    }
}

pub fn serving(lang: Lang, url: &str) -> String {
    match lang {
        Lang::Zh => format!("预览地址：{url}"),
        Lang::En => format!("Preview at {url}"),
    }
}

pub fn port_taken(lang: Lang, wanted: u16, got: u16) -> String {
    match lang {
        Lang::Zh => format!("端口 {wanted} 已被占用，改用端口 {got}"),
        Lang::En => format!("Port {wanted} is in use; using {got} instead"),
    }
}

pub fn no_free_port(lang: Lang, wanted: u16, detail: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "无法启动预览服务：端口 {wanted} 及其后 9 个端口都不可用（{detail}）。请用 --port 指定其他端口。"
        ),
        Lang::En => format!(
            "Cannot start the preview server: port {wanted} and the 9 after it are unavailable ({detail}). Pick another with --port."
        ),
    }
}

pub fn serve_read_failed(lang: Lang, path: &str, detail: &str) -> String {
    match lang {
        Lang::Zh => {
            format!("预览服务无法读取文件 {path}：{detail}。请检查该文件的权限，或重新构建。")
        }
        Lang::En => format!(
            "The preview server cannot read {path}: {detail}. Check its permissions, or rebuild."
        ),
    }
}

pub fn watch_failed(lang: Lang, detail: &str) -> String {
    match lang {
        Lang::Zh => format!("无法监视文件变化：{detail}。可改用 --poll 轮询方式。"),
        Lang::En => format!("Cannot watch for changes: {detail}. Try --poll."),
    }
}

pub fn rebuilt(lang: Lang, changed: usize, ms: u128) -> String {
    match lang {
        Lang::Zh => format!("已更新：{changed} 个文件有变化，用时 {ms} 毫秒"),
        Lang::En => format!("Updated: {changed} file(s) changed in {ms} ms"),
    }
}

/// What the watcher's quick path wrote or removed: the edited pages, the
/// lists that show them or (after a new date, tags, pinning…) no longer
/// do, the search index and the feeds; the full build follows.
pub fn quick_update(lang: Lang, files: usize, ms: u128) -> String {
    match lang {
        Lang::Zh => format!(
            "已先行更新 {files} 个文件（改动的页面、列出它或不再列出它的列表和搜索索引），用时 {ms} 毫秒；正在检查其余文件"
        ),
        Lang::En => format!(
            "Updated {files} file(s) first (the edited pages, the lists that show them or no longer do, and the search index) in {ms} ms; now checking the rest"
        ),
    }
}

pub fn kept_last_good(lang: Lang, errors: usize) -> String {
    match lang {
        Lang::Zh => {
            format!("发现 {errors} 个错误，网站保持上一次成功构建的版本；修改后保存即可重新生成")
        }
        Lang::En => format!("{errors} error(s); the site stays as last built until they are fixed"),
    }
}

/// The closing line of `check`.
pub fn check_summary(lang: Lang, pages: usize, errors: usize, warnings: usize) -> String {
    match (lang, errors, warnings) {
        (Lang::Zh, 0, 0) => format!("检查完成：{pages} 个页面，没有发现问题"),
        (Lang::Zh, 0, w) => format!("检查完成：{pages} 个页面，没有错误，{w} 个警告（可以构建）"),
        (Lang::Zh, e, w) => {
            format!("检查完成：{pages} 个页面，{e} 个错误，{w} 个警告；改正错误后才能构建")
        }
        (Lang::En, 0, 0) => format!("Checked {pages} pages: no problems found"),
        (Lang::En, 0, w) => {
            format!("Checked {pages} pages: no errors, {w} warning(s); the site builds")
        }
        (Lang::En, e, w) => {
            format!("Checked {pages} pages: {e} error(s), {w} warning(s); fix the errors to build")
        }
    }
}

/// After `init`: where the site is and what to do next.
pub fn init_done(lang: Lang, dir: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "已在 {dir} 新建站点。下一步：\n  1. 修改 site.yaml 中的网站名称和联系方式\n  2. 新建一篇通知：unionpress new notice \"关于……的通知\" --root {dir}\n  3. 生成网站：unionpress build --root {dir}（结果在 {dir}/public 文件夹）"
        ),
        Lang::En => format!(
            "Created a new site in {dir}. Next:\n  1. Set the site's title and contacts in site.yaml\n  2. Write a notice: unionpress new notice \"Title\" --root {dir}\n  3. Build it: unionpress build --root {dir} (the site goes to {dir}/public)"
        ),
    }
}

/// After a build: the pages left out as drafts and as scheduled, naming up
/// to five of each; `None` when none were.
pub fn held_back(lang: Lang, drafts: &[String], scheduled: &[String]) -> Option<String> {
    let names = |files: &[String]| {
        let shown: Vec<&str> = files.iter().take(5).map(String::as_str).collect();
        let more = files.len().saturating_sub(5);
        match (lang, more) {
            (_, 0) => shown.join(if lang == Lang::Zh { "、" } else { ", " }),
            (Lang::Zh, n) => format!("{} 等（另有 {n} 篇）", shown.join("、")),
            (Lang::En, n) => format!("{} and {n} more", shown.join(", ")),
        }
    };
    let mut lines = Vec::new();
    if !drafts.is_empty() {
        lines.push(match lang {
            Lang::Zh => format!(
                "{} 篇草稿没有发布（draft: true）：{}。写完后删除 draft 一行即可发布；预览草稿可加 --drafts",
                drafts.len(),
                names(drafts)
            ),
            Lang::En => format!(
                "{} draft(s) left out (draft: true): {}. Delete the `draft` line to publish; --drafts previews them",
                drafts.len(),
                names(drafts)
            ),
        });
    }
    if !scheduled.is_empty() {
        lines.push(match lang {
            Lang::Zh => format!(
                "{} 篇定时发布的页面还没到日期，没有发布：{}。预览可加 --future",
                scheduled.len(),
                names(scheduled)
            ),
            Lang::En => format!(
                "{} scheduled page(s) dated in the future left out: {}. --future previews them",
                scheduled.len(),
                names(scheduled)
            ),
        });
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// When site.yaml was found in a folder above the current one.
pub fn site_found_above(lang: Lang, path: &str) -> String {
    match lang {
        Lang::Zh => format!("当前文件夹没有 site.yaml，使用上级文件夹中的 {path}"),
        Lang::En => format!("no site.yaml here; using {path} from a folder above"),
    }
}

/// After `init --theme`: where the theme's files went, and what was kept.
pub fn theme_ejected(lang: Lang, folder: &str, written: usize, kept: usize) -> String {
    match (lang, kept) {
        (Lang::Zh, 0) => format!(
            "已把内置主题复制到 {folder}（{written} 个文件）。修改其中的模板和样式后重新构建即可生效；删除这个文件夹就恢复使用内置主题。"
        ),
        (Lang::Zh, _) => format!(
            "已把内置主题复制到 {folder}：新写入 {written} 个文件，已有的 {kept} 个文件保持不变（没有覆盖）。"
        ),
        (Lang::En, 0) => format!(
            "Copied the built-in theme into {folder} ({written} files). Edit its templates and styles and build again; delete the folder to go back to the built-in theme."
        ),
        (Lang::En, _) => format!(
            "Copied the built-in theme into {folder}: {written} files written, {kept} files already there were kept (not overwritten)."
        ),
    }
}

/// After `new`: the file to open, and how to publish it.
pub fn page_created(lang: Lang, path: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "已新建 {path}\n用编辑器打开它填写正文；写完后删除其中的 draft: true 一行，重新构建即可发布。"
        ),
        Lang::En => format!(
            "Created {path}\nOpen it and write the text; delete the line `draft: true` and build again to publish it."
        ),
    }
}

/// When `new` had to change the slug it derived, to keep away from a page
/// that already has it.
pub fn slug_adjusted(lang: Lang, wanted: &str, other: &str, got: &str) -> String {
    match lang {
        Lang::Zh => format!("网址名“{wanted}”已被 {other} 使用，新页面改用“{got}”"),
        Lang::En => format!("the slug `{wanted}` is used by {other}; the new page uses `{got}`"),
    }
}

/// `--lang` got something that is neither Chinese nor English.
pub fn unknown_lang(value: &str) -> String {
    format!("不支持的语言“{value}”（可选 zh 或 en）/ unknown language `{value}` (zh or en)")
}

/// One line for a warning repeated in many places: how often, the first
/// message, the first `named` files, and how to see them all.
pub fn folded_warnings(
    lang: Lang,
    code: &str,
    text: &str,
    count: usize,
    files: &[String],
    named: usize,
) -> String {
    let shown: Vec<&str> = files.iter().take(named).map(String::as_str).collect();
    let more = files.len().saturating_sub(named);
    match lang {
        Lang::Zh => {
            let others = if more > 0 {
                format!(" 等 {} 个文件", files.len())
            } else {
                String::new()
            };
            format!(
                "warning[{code}] ×{count}：{text}——见 {}{others}（unionpress check 或 build --verbose 逐条列出）",
                shown.join("、")
            )
        }
        Lang::En => {
            let others = if more > 0 {
                format!(" and {more} more files")
            } else {
                String::new()
            };
            format!(
                "warning[{code}] ×{count}: {text} — in {}{others} (unionpress check or build --verbose lists each)",
                shown.join(", ")
            )
        }
    }
}

/// How many of each problem, when there are too many to read one by one.
pub fn tally(lang: Lang, counts: &[(&str, usize)]) -> String {
    let items: Vec<String> = counts
        .iter()
        .map(|(code, n)| match lang {
            Lang::Zh => format!("{code} {n} 个"),
            Lang::En => format!("{code} ×{n}"),
        })
        .collect();
    match lang {
        Lang::Zh => format!("按类型统计：{}", items.join("，")),
        Lang::En => format!("By kind: {}", items.join(", ")),
    }
}
