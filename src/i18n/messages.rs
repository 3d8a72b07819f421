//! Diagnostic messages. Each message is one catalogue entry, written in one
//! place: its stable code (for `--format json` and for documentation), its
//! text in Chinese and English and, where we can say what to type instead,
//! a hint in both languages. Adding a diagnostic means adding a variant to
//! [`Msg`] and one arm to [`Msg::entry`].

use super::Lang;

/// `zh` or `en`, for the small words messages are built from.
fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Why a date written in an accepted form cannot be a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateProblem {
    /// `2026年13月5日`
    NoMonth { month: u32 },
    /// `2026年2月30日`: that month has only `days` days.
    NoDay {
        year: i32,
        month: u32,
        day: u32,
        days: u32,
    },
    /// `25:00`
    NoHour { hour: u32 },
    /// `9:75`
    NoMinute { minute: u32 },
}

/// Why a folder cannot be the output (see `output::guard`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OutputPlace {
    SiteRoot,
    HoldsSources(String),
    InsideSources(String),
    Home,
    FsRoot,
    CurrentDir,
    MountPoint,
}

/// What a field should have held, for "wrong type" messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expect {
    Text,
    Date,
    Bool,
    Number,
    TextOrList,
    List,
    Map,
    AttachmentList,
}

impl Expect {
    fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Expect::Text => ("文本", "text"),
            Expect::Date => ("日期", "a date"),
            Expect::Bool => ("是/否（true 或 false）", "true or false"),
            Expect::Number => ("数字", "a number"),
            Expect::TextOrList => ("文本或列表", "text or a list"),
            Expect::List => ("列表", "a list"),
            Expect::Map => ("键值表", "a mapping"),
            Expect::AttachmentList => (
                "附件列表（每项含 file 和 title）",
                "a list of {file, title}",
            ),
        };
        pick(lang, zh, en)
    }

    fn example(self) -> &'static str {
        match self {
            Expect::Text => "title: 关于召开职工代表大会的通知",
            Expect::Date => "date: 2024-03-05",
            Expect::Bool => "pinned: true",
            Expect::Number => "participants: 120",
            Expect::TextOrList => "tags: [职代会, 民主管理]",
            Expect::List => "recipients: [各分工会, 各部门]",
            Expect::Map => "contact: {hotline: 8001}",
            Expect::AttachmentList => "attachments:\n  - file: 议程.pdf\n    title: 大会议程",
        }
    }

    /// The example, with the field's own name where any number will do
    /// (`new_days: 30`, not another field the file should not have).
    fn example_for(self, field: &str) -> String {
        match self {
            Expect::Number => format!("{field}: 30"),
            _ => self.example().to_string(),
        }
    }
}

/// A YAML mistake we can name, so the editor reads what to fix rather than
/// the parser's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum YamlIssue {
    /// `title: 会议: 第一天` — a second `: ` inside a value.
    ColonInValue,
    /// `  date: …` — a key indented under a plain value.
    BadIndent,
    /// `title: "关于…` — a quote opened and never closed.
    UnclosedQuote,
    /// `title: 'It's'` — text after the closing quote.
    StrayQuote,
    /// `tags: [a, b` — a flow list never closed.
    UnclosedBracket,
    /// `author: @工会` — a value starting with a character YAML reserves
    /// (`@`, `` ` ``, `%`, `*`).
    ReservedStart,
    /// A line that is neither `key: value` nor a list item.
    MissingColon,
}

/// The name of a YAML value's type as an editor would call it.
pub fn found_name(lang: Lang, found: &str) -> &'static str {
    let (zh, en) = match found {
        "null" => ("空值", "nothing"),
        "bool" => ("是/否", "true/false"),
        "number" => ("数字", "a number"),
        "string" => ("文本", "text"),
        "list" => ("列表", "a list"),
        "map" => ("键值表", "a mapping"),
        _ => ("其他内容", "something else"),
    };
    pick(lang, zh, en)
}

/// What a page loads from another server, for [`Msg::ExternalLoad`]: it
/// decides what the reader misses and what to type instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Loaded {
    /// A picture that can be written as a Markdown image (`![…](…)`,
    /// `<img src>`, `<img srcset>`).
    Image,
    /// A picture named in an attribute or in CSS (`background`, `poster`,
    /// `url(…)`, `<input type=image>`): its address is replaced in place.
    Background,
    Script,
    Stylesheet,
    /// Another page shown inside this one (`<iframe>`, `<embed>`, `<object>`).
    Frame,
    /// A video, a sound or its subtitles.
    Media,
    /// A web font (`url(….woff2)`).
    Font,
    /// Anything else the browser fetches by itself (`<link rel=icon>`…).
    Other,
}

/// What the reader misses when a load of this kind fails, and a name for
/// the file to download: `[noun, effect, noun_en, effect_en, name, name_en]`.
fn loaded_words(kind: Loaded) -> [&'static str; 6] {
    match kind {
        Loaded::Image | Loaded::Background => [
            "图片",
            "这张图片显示不出来",
            "an image",
            "a broken image",
            "图片1.jpg",
            "image1.jpg",
        ],
        Loaded::Script => [
            "脚本",
            "这个脚本运行不了，靠它的功能都会失效",
            "a script",
            "nothing the script does",
            "脚本.js",
            "script.js",
        ],
        Loaded::Stylesheet => [
            "样式表",
            "这份样式表加载不到，页面样式会走样",
            "a stylesheet",
            "the page without that styling",
            "样式.css",
            "style.css",
        ],
        Loaded::Frame => [
            "嵌入的网页",
            "嵌入的地方是一块空白或错误提示",
            "an embedded page",
            "an empty box or an error",
            "视频.mp4",
            "video.mp4",
        ],
        Loaded::Media => [
            "音视频",
            "音视频播放不了",
            "a video or sound",
            "a player that does not play",
            "视频.mp4",
            "video.mp4",
        ],
        Loaded::Font => [
            "字体",
            "字体加载不到，文字会换成别的字体",
            "a web font",
            "the text in another font",
            "字体文件名",
            "font-file",
        ],
        Loaded::Other => [
            "文件",
            "这个文件加载不到",
            "a file",
            "nothing of it",
            "文件名",
            "file-name",
        ],
    }
}

/// One catalogue entry: a message's code, its words in both languages and
/// its hint, if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub zh: String,
    pub en: String,
    pub hint: Option<(String, String)>,
}

/// An entry without a hint; add one with [`Entry::hint`].
fn entry(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Entry {
    Entry {
        code,
        zh: zh.into(),
        en: en.into(),
        hint: None,
    }
}

impl Entry {
    fn hint(mut self, zh: impl Into<String>, en: impl Into<String>) -> Entry {
        self.hint = Some((zh.into(), en.into()));
        self
    }

    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    pub fn hint_text(&self, lang: Lang) -> Option<&str> {
        self.hint.as_ref().map(|(zh, en)| match lang {
            Lang::Zh => zh.as_str(),
            Lang::En => en.as_str(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Msg {
    // photos (src/images)
    ImageUnsupported {
        file: String,
        format: String,
    },
    ImageCorrupt {
        file: String,
        detail: String,
    },
    ImageTooLarge {
        file: String,
        size_mb: String,
        max_mb: u64,
    },
    ImageTooManyPixels {
        file: String,
        width: u32,
        height: u32,
    },
    ImageUnreadable {
        file: String,
        detail: String,
    },
    BadImageSetting {
        key: String,
        value: String,
    },
    UnknownImageSetting {
        key: String,
        known: String,
    },
    ConfigMissing {
        path: String,
    },
    ConfigNotMap,
    BadTimezone {
        value: String,
    },
    BadLanguage {
        value: String,
    },
    ThemeMissing {
        name: String,
        path: String,
        /// The themes that do exist.
        available: Vec<String>,
    },
    /// The site's own `search.js` (a copied theme's, or `static/`'s) is of
    /// an older form than the search index this version writes.
    StaleSearchScript {
        /// Site-relative, `/`-joined.
        path: String,
    },
    /// `tags: [职代会，民主管理]`: an item split at full-width commas.
    SplitListItem {
        field: String,
        written: String,
        items: Vec<String>,
        /// The list as it should be written.
        fixed: String,
    },
    /// `title: 附件1: 会议议程`: a second `: ` in a plain value.
    SecondColon {
        key: String,
        /// The line as it should be written.
        fixed: String,
    },
    /// `title: "关于开展"职工之家"创建活动的通知"`: the value's own quotes
    /// end the quoted value early.
    QuoteInQuotes {
        /// The line with Chinese quotes (or without the outer quotes).
        fixed: String,
        /// The line wrapped in single quotes, when that also works.
        single: Option<String>,
    },
    /// `  date: …` indented under a key with a plain value.
    IndentedKey {
        key: String,
        fixed: String,
    },
    YamlTooDeep {
        max: usize,
    },
    YamlTooLong {
        kb: usize,
        max_kb: usize,
    },
    YamlSyntax {
        detail: String,
    },
    NoFrontMatter,
    UnclosedFrontMatter,
    TomlFrontMatter,
    FrontMatterNotMap,
    MissingField {
        field: String,
    },
    WrongType {
        field: String,
        expect: Expect,
        found: &'static str,
    },
    BadDate {
        field: String,
        value: String,
    },
    /// A date in an accepted form that does not exist (`2月30日`).
    ImpossibleDate {
        field: String,
        value: String,
        problem: DateProblem,
    },
    UnknownKind {
        value: String,
    },
    UnknownSort {
        value: String,
    },
    UnknownUrgency {
        value: String,
    },
    TitleLinesMismatch {
        joined: String,
        title: String,
    },
    UnknownKey {
        key: String,
        suggestion: Option<String>,
    },
    DuplicateKey {
        key: String,
        other: String,
    },
    DuplicateUrl {
        url: String,
        other: String,
        /// A slug that is free, for the hint (`None`: a generated list's URL).
        free_slug: Option<String>,
    },
    /// A `menu:` entry without `title` or `url` (number 0: `menu` itself is
    /// not a list); `item` is the entry when it is plain text.
    BadMenuItem {
        number: usize,
        item: String,
    },
    /// A page or a file under `content/` at a URL the build writes itself
    /// (a list's later page, a tag list, the search page, a feed, 404…).
    GeneratedUrl {
        url: String,
        /// A page (change its slug) rather than a copied file (rename it).
        page: bool,
    },
    BrokenLink {
        target: String,
        /// A file or page in the same folder with a close name.
        suggestion: Option<String>,
    },
    /// `[名单](慰问 名单 (2).pdf)`: spaces in a link target make Markdown
    /// show the link as text.
    LinkWithSpaces {
        written: String,
        fixed: String,
    },
    /// A key in site.yaml that nothing reads.
    UnknownSiteKey {
        key: String,
        suggestion: Option<String>,
    },
    /// `new notice ""`
    EmptyTitle,
    MissingAttachment {
        file: String,
        place: FilePlace,
    },
    MissingCover {
        file: String,
        place: FilePlace,
    },
    NotUtf8,
    Template {
        detail: String,
    },
    TemplateMissing {
        name: String,
    },
    Io {
        path: String,
        detail: String,
    },
    /// A file saved while the build was reading the site.
    ChangedWhileBuilding {
        path: String,
    },
    BadNow {
        value: String,
    },
    BadSlug {
        value: String,
    },
    UnsafeOutput {
        path: String,
        why: OutputPlace,
    },
    /// An existing folder with files unionpress did not write.
    OutputNotOurs {
        path: String,
        files: usize,
    },
    OutputNotAFolder {
        path: String,
    },
    OutputBadManifest {
        path: String,
        detail: String,
    },
    /// A file unionpress did not write is where the site needs one.
    OutputInTheWay {
        path: String,
    },
    OutputMountInside {
        path: String,
    },
    /// The old output tree kept files that exist nowhere else.
    OutputOldKept {
        path: String,
    },
    /// Another build is publishing into the same output: this one waits.
    OutputBusy {
        path: String,
        pid: Option<u32>,
    },
    YamlProblem {
        issue: YamlIssue,
    },
    TabInYaml,
    FullWidthColon {
        key: String,
    },
    NoSpaceAfterColon {
        key: String,
    },
    /// No closing `---`; the front matter seems to end after this 1-based line.
    UnclosedFrontMatterAfter {
        line: usize,
    },
    FrontMatterNotAtStart,
    DecodedEncoding {
        encoding: &'static str,
    },
    UnsureEncoding {
        encoding: &'static str,
    },
    /// A link that is meant to leave the site but is written as a file name.
    LinkNeedsFix {
        target: String,
        fix: String,
    },
    /// `target` is empty for a link to a heading on the same page.
    BrokenAnchor {
        target: String,
        fragment: String,
        suggestion: Option<String>,
    },
    ImageNoAlt {
        src: String,
    },
    PinExpired {
        until: String,
    },
    PinnedButExpired {
        expires: String,
    },
    Scheduled {
        date: String,
    },
    UnusedFile {
        file: String,
    },
    LargeFile {
        file: String,
        size_mb: String,
        max_mb: u64,
    },
    ExternalCover {
        url: String,
    },
    /// A page makes the reader's browser load `url` from another server.
    ExternalLoad {
        url: String,
        kind: Loaded,
        /// The name the downloaded file could keep (`a.png`), when the
        /// address ends in one.
        file: Option<String>,
        /// An image of a WeChat official account (`mmbiz.qpic.cn`).
        wechat: bool,
    },
    /// A page loads `url` from the server's root (`/uploads/a.png`), which
    /// is outside the site's folder under a sub-path and over `file://`.
    RootAbsoluteLoad {
        url: String,
        kind: Loaded,
        file: Option<String>,
    },
    MisnamedMarkdown {
        file: String,
        rename_to: String,
    },
    InitNotEmpty {
        path: String,
    },
    NoSectionForKind {
        kind: &'static str,
    },
    SectionMissing {
        dir: String,
    },
    SlugTaken {
        slug: String,
        other: String,
    },
    /// `[x](javascript:…)`, `source_url: vbscript:…`, `data:text/html,…`.
    UnsafeUrl {
        url: String,
        scheme: String,
    },
    /// A tag or department with nothing a file name can hold (`..`, `#?`).
    UnusableName {
        field: &'static str,
        name: String,
    },
    /// A file Windows cannot store under this name (`CON.pdf`, `a?.doc`).
    WindowsFileName {
        file: String,
        rename_to: String,
    },
}

impl Msg {
    pub fn code(&self) -> &'static str {
        self.entry().code
    }

    pub fn text(&self, lang: Lang) -> String {
        self.entry().text(lang).to_string()
    }

    pub fn hint(&self, lang: Lang) -> Option<String> {
        self.entry().hint_text(lang).map(str::to_string)
    }

    /// The catalogue: every message, in both languages, with its hint.
    pub fn entry(&self) -> Entry {
        match self {
            Msg::ConfigMissing { path } => entry(
                "config-missing",
                format!("找不到站点配置文件 {path}"),
                format!("site configuration {path} not found"),
            )
            .hint(
                "在站点根目录新建 site.yaml，至少写一行：title: 某某公司工会；或运行 unionpress init 新建站点",
                "create site.yaml in the site root with at least `title: My Union`, or run `unionpress init`",
            ),
            Msg::ConfigNotMap => entry(
                "config-not-map",
                "site.yaml 的内容应当是“键: 值”的形式",
                "site.yaml must be a list of `key: value` lines",
            ),
            Msg::BadTimezone { value } => entry(
                "bad-timezone",
                format!("无法识别的时区“{value}”"),
                format!("unknown time zone `{value}`"),
            )
            .hint(
                "请写成 IANA 时区名，例如 timezone: Asia/Shanghai",
                "use an IANA name such as `timezone: Asia/Shanghai`",
            ),
            Msg::BadLanguage { value } => entry(
                "bad-language",
                format!("不支持的语言“{value}”"),
                format!("unsupported language `{value}`"),
            )
            .hint("可选 zh-CN 或 en", "use `zh-CN` or `en`"),
            Msg::ThemeMissing {
                name,
                path,
                available,
            } => entry(
                "theme-missing",
                format!("找不到主题“{name}”：站点里没有 {path} 文件夹，也没有同名的内置主题"),
                format!(
                    "theme `{name}` not found: the site has no {path} folder and no built-in theme has that name"
                ),
            )
            .hint(
                format!(
                    "可用的主题：{}。把 site.yaml 中的 theme 改成其中之一，或删除这一行以使用内置的 default 主题",
                    available.join("、")
                ),
                format!(
                    "available themes: {}. Set `theme:` in site.yaml to one of them, or remove the line to use the built-in default theme",
                    available.join(", ")
                ),
            ),
            Msg::StaleSearchScript { path } => {
                let (zh, en) = if path.starts_with("themes/default/") {
                    (
                        format!("删除 {path}，再在站点文件夹中运行 unionpress init --theme：它只补回缺少的文件，不改动已有的文件。若你改过这个脚本，再把改动加到新文件里"),
                        format!("delete {path}, then run `unionpress init --theme` in the site folder: it writes only the missing files and changes none that are there. If you had changed the script, make your changes again in the new file"),
                    )
                } else {
                    (
                        format!("用 unionpress 自带主题里的 static/search.js 替换 {path}（在一个空文件夹中运行 unionpress init --theme 即可得到它）"),
                        format!("replace {path} with the built-in theme's static/search.js (run `unionpress init --theme` in an empty folder to get it)"),
                    )
                };
                entry(
                    "stale-search-script",
                    format!("{path} 是旧版的搜索脚本，读不懂本版 unionpress 生成的搜索索引：站内搜索将找不到任何结果"),
                    format!("{path} is an older search script that cannot read the search index this version of unionpress writes: the site's search will find nothing"),
                )
                .hint(zh, en)
            }
            Msg::SplitListItem {
                field,
                written,
                items,
                fixed,
            } => entry(
                "list-item-split",
                format!(
                    "`{field}` 列表里的“{written}”用了中文逗号或顿号，已拆成 {} 项：{}",
                    items.len(),
                    items.join("、")
                ),
                format!(
                    "`{field}`: `{written}` has full-width commas; the list was read as {} items: {}",
                    items.len(),
                    items.join(", ")
                ),
            )
            .hint(
                format!("列表项之间用英文逗号，写成：{fixed}"),
                format!("separate list items with ASCII commas: {fixed}"),
            ),
            Msg::SecondColon { key, fixed } => entry(
                "yaml-colon-in-value",
                format!("`{key}` 的值里还有一个“冒号加空格”，YAML 会把它误当成又一个字段"),
                format!(
                    "the value of `{key}` contains another `: `, which YAML reads as the start of another field"
                ),
            )
            .hint(
                format!("给整个值加上英文双引号，写成：{fixed}"),
                format!("put the whole value in double quotes: {fixed}"),
            ),
            Msg::QuoteInQuotes { fixed, single } => {
                let e = entry(
                    "yaml-stray-quote",
                    "值里的英文引号和包住整个值的引号是同一种，YAML 读到第二个引号就认为值结束了",
                    "the value contains the same quote that wraps it, so YAML ends the value at the second quote",
                );
                match single {
                    Some(single) => e.hint(
                        format!(
                            "把值里的引号改成中文引号“ ”，写成：{fixed}\n或者用英文单引号包住整个值：{single}"
                        ),
                        format!(
                            "use Chinese quotes “ ” inside the value: {fixed}\nor wrap the whole value in single quotes: {single}"
                        ),
                    ),
                    None => e.hint(
                        format!("去掉包住整个值的引号，写成：{fixed}"),
                        format!("drop the quotes around the value: {fixed}"),
                    ),
                }
            }
            Msg::IndentedKey { key, fixed } if fixed.starts_with(' ') => entry(
                "yaml-bad-indent",
                format!("字段 `{key}` 的缩进和上下的字段没有对齐，YAML 不知道它属于哪一项"),
                format!("`{key}` is not indented like the fields around it, so YAML cannot tell what it belongs to"),
            )
            .hint(
                format!("让它和同一项的其他字段对齐（用空格），写成：{fixed}"),
                format!("line it up with the other fields of the same item (spaces): {fixed}"),
            ),
            Msg::IndentedKey { key, fixed } => entry(
                "yaml-bad-indent",
                format!("字段 `{key}` 前面多了空格（缩进），YAML 以为它属于上一行"),
                format!("`{key}` is indented, so YAML reads it as part of the line above"),
            )
            .hint(
                format!("删除行首的空格，写成：{fixed}"),
                format!("remove the spaces at the start of the line: {fixed}"),
            ),
            Msg::YamlTooDeep { max } => entry(
                "yaml-too-deep",
                format!(
                    "方括号或花括号嵌套超过 {max} 层，页面信息不会这样写；为免构建卡住，没有读取这个文件"
                ),
                format!(
                    "brackets nested more than {max} deep; front matter never needs that, and the file was not read so the build cannot stall"
                ),
            )
            .hint(
                "检查这个文件是否被误改或损坏；页面信息只需要 title、date 等几行",
                "check whether the file was damaged; front matter is a few lines like title and date",
            ),
            Msg::YamlTooLong { kb, max_kb } => entry(
                "yaml-too-long",
                format!(
                    "页面信息（--- 之间的部分）有 {kb} KB，超过了 {max_kb} KB 的上限；为免构建卡住，没有读取这个文件"
                ),
                format!(
                    "the front matter is {kb} KB, over the {max_kb} KB limit; the file was not read so the build cannot stall"
                ),
            )
            .hint(
                "检查这个文件是否被误改或损坏；页面信息只需要 title、date 等几行",
                "check whether the file was damaged; front matter is a few lines like title and date",
            ),
            Msg::YamlSyntax { detail } => entry(
                "yaml-syntax",
                format!("YAML 格式错误：{detail}"),
                format!("invalid YAML: {detail}"),
            )
            .hint(
                "检查这一行：冒号后要有一个空格，列表项以“- ”开头，缩进用空格不用 Tab，含冒号或 # 的内容加英文引号",
                "check this line: a space after each colon, list items start with `- `, indent with spaces (no tabs), quote values containing `:` or `#`",
            ),
            Msg::NoFrontMatter => entry(
                "no-front-matter",
                "文件开头缺少用 --- 包围的页面信息（front matter）",
                "the file does not start with front matter between --- lines",
            )
            .hint(
                "在文件第一行加入：\n---\ntitle: 标题\ndate: 2024-03-05\n---",
                "start the file with:\n---\ntitle: Title\ndate: 2024-03-05\n---",
            ),
            Msg::UnclosedFrontMatter => entry(
                "unclosed-front-matter",
                "页面信息（front matter）以 --- 开始，但没有用 --- 结束",
                "front matter starts with --- but is never closed with ---",
            )
            .hint(
                "在页面信息最后一行之后单独写一行 ---",
                "add a line with just --- after the last front-matter line",
            ),
            Msg::TomlFrontMatter => entry(
                "toml-front-matter",
                "页面信息使用了 TOML 格式（+++），unionpress 只支持 YAML 格式（---）",
                "front matter is TOML (+++); unionpress reads YAML (---)",
            )
            .hint(
                "把 +++ 换成 ---，并把 key = \"value\" 改写为 key: value",
                "replace +++ with --- and rewrite `key = \"value\"` as `key: value`",
            ),
            Msg::FrontMatterNotMap => entry(
                "front-matter-not-map",
                "页面信息应当是“键: 值”的形式",
                "front matter must be a list of `key: value` lines",
            )
            .hint(
                "每行写成“字段: 值”，例如 title: 关于……的通知",
                "write one `key: value` per line, e.g. `title: Notice`",
            ),
            Msg::MissingField { field } => {
                let e = entry(
                    "missing-field",
                    format!("缺少必填项 `{field}`"),
                    format!("required field `{field}` is missing"),
                );
                if field == "date" {
                    e.hint(
                        "加一行发布日期，例如 date: 2024-03-05",
                        "add the publication date, e.g. `date: 2024-03-05`",
                    )
                } else {
                    e.hint(
                        format!("加一行 {field}: …，例如 title: 关于召开职工代表大会的通知"),
                        format!("add a line `{field}: …`"),
                    )
                }
            }
            Msg::WrongType {
                field,
                expect,
                found,
            } => entry(
                "wrong-type",
                format!(
                    "`{field}` 应当是{}，这里写的是{}",
                    expect.name(Lang::Zh),
                    found_name(Lang::Zh, found)
                ),
                format!(
                    "`{field}` should be {}, found {}",
                    expect.name(Lang::En),
                    found_name(Lang::En, found)
                ),
            )
            .hint(
                format!("请写成：{}", expect.example_for(field)),
                format!("write it like: {}", expect.example_for(field)),
            ),
            Msg::BadDate { field, value } => entry(
                "bad-date",
                format!("`{field}` 的日期“{value}”无法识别"),
                format!("`{field}`: cannot read the date `{value}`"),
            )
            .hint(
                "可用的写法：2024-03-05、2024-03-05 14:30、2024/3/5、2024年3月5日、2024-03-05T14:30:00+08:00、2024-03-05 14:30 +0800",
                "accepted forms: 2024-03-05, 2024-03-05 14:30, 2024/3/5, 2024年3月5日, 2024-03-05T14:30:00+08:00, 2024-03-05 14:30 +0800",
            ),
            Msg::ImpossibleDate {
                field,
                value,
                problem,
            } => {
                let (zh, en, hint_zh, hint_en) = match *problem {
                    DateProblem::NoMonth { month } => (
                        format!("一年只有 12 个月，没有 {month} 月"),
                        format!("there is no month {month}"),
                        "把月份改成 1 到 12 之间的数字".to_string(),
                        "write a month from 1 to 12".to_string(),
                    ),
                    DateProblem::NoDay { day: 0, .. } => (
                        "没有 0 日".to_string(),
                        "there is no day 0".to_string(),
                        "日子从 1 开始".to_string(),
                        "days start at 1".to_string(),
                    ),
                    DateProblem::NoDay {
                        year, month, days, ..
                    } => (
                        format!("{year} 年 {month} 月只有 {days} 天"),
                        format!("month {month} of {year} has only {days} days"),
                        format!("把日子改成 1 到 {days} 之间的数字"),
                        format!("write a day from 1 to {days}"),
                    ),
                    DateProblem::NoHour { hour } => (
                        format!("没有 {hour} 点（小时是 0 到 23）"),
                        format!("there is no hour {hour} (hours run from 0 to 23)"),
                        "用 24 小时制写时间，例如 14:30".to_string(),
                        "write the time on the 24-hour clock, e.g. 14:30".to_string(),
                    ),
                    DateProblem::NoMinute { minute } => (
                        format!("没有 {minute} 分（分钟是 0 到 59）"),
                        format!("there is no minute {minute} (minutes run from 0 to 59)"),
                        "分钟写 00 到 59，例如 14:30".to_string(),
                        "write minutes from 00 to 59, e.g. 14:30".to_string(),
                    ),
                };
                entry(
                    "impossible-date",
                    format!("`{field}` 的日期“{value}”不存在：{zh}"),
                    format!("`{field}`: the date `{value}` does not exist: {en}"),
                )
                .hint(hint_zh, hint_en)
            }
            Msg::UnknownKind { value } => entry(
                "unknown-kind",
                format!("未知的栏目类型 kind: “{value}”"),
                format!("unknown section kind `{value}`"),
            )
            .hint(
                "kind 可选：notice（通知公告）、policy（政策解读）、event（活动报道）、page（服务页面）",
                "kind is one of: notice, policy, event, page",
            ),
            Msg::UnknownSort { value } => entry(
                "unknown-sort",
                format!("未知的排序方式 sort: “{value}”"),
                format!("unknown sort order `{value}`"),
            )
            .hint(
                "sort 可选：date（默认，置顶在前、新的在前）、date_asc（旧的在前）、title（按标题）",
                "sort is one of: date (default), date_asc, title",
            ),
            Msg::UnknownUrgency { value } => entry(
                "unknown-urgency",
                format!("未知的紧急程度“{value}”"),
                format!("unknown urgency `{value}`"),
            )
            .hint("urgency 可选：加急、特急", "urgency is one of: 加急, 特急"),
            Msg::TitleLinesMismatch { joined, title } => entry(
                "title-lines-mismatch",
                format!("标题分行连起来是“{joined}”，与标题“{title}”不一致，已按标题自动换行"),
                format!("title_lines read `{joined}`, not the title `{title}`; the title wraps by itself instead"),
            )
            .hint(
                "把标题原样分成几行，例如 title_lines: [关于召开集团第五届, 职工代表大会第三次会议的通知]；不需要手动换行时删去这一项",
                "split the title itself, e.g. title_lines: [Notice of the fifth, workers' congress]; or remove the key to let it wrap by itself",
            ),
            Msg::UnknownKey { key, suggestion } => {
                let e = entry(
                    "unknown-key",
                    format!("无法识别的字段 `{key}`（已作为自定义字段保留在 page.extra 中）"),
                    format!("unknown field `{key}` (kept in page.extra)"),
                );
                match suggestion {
                    Some(s) => e.hint(format!("是不是想写 `{s}`？"), format!("did you mean `{s}`?")),
                    None => e,
                }
            }
            Msg::DuplicateKey { key, other } if key == other => entry(
                "duplicate-key",
                format!("字段 `{key}` 写了两次，YAML 不知道该用哪一个"),
                format!("`{key}` is written twice; only one value can count"),
            )
            .hint(
                "删除其中一行，只保留要用的那个值",
                "delete one of the two lines, keeping the value you mean",
            ),
            Msg::DuplicateKey { key, other } => entry(
                "duplicate-key",
                format!("字段 `{key}` 与前面的 `{other}` 重复（同一个字段写了两次）"),
                format!("`{key}` repeats `{other}` (the same field written twice)"),
            )
            .hint(
                "删除其中一行（中文和英文字段名含义相同，只写一个）",
                "delete one of the two lines (the Chinese and English names mean the same field)",
            ),
            Msg::DuplicateUrl {
                url,
                other,
                free_slug,
            } => {
                let e = entry(
                    "duplicate-url",
                    format!("网址 {url} 与 {other} 重复，两个页面会写到同一个位置"),
                    format!(
                        "URL {url} is also written by {other}; two pages cannot share one URL"
                    ),
                );
                match free_slug {
                    Some(free) => e.hint(
                        format!(
                            "这一页如果是复制来的，给它写一个不同的 slug，例如 slug: {free}；如果是重复的文件，删除其中一个"
                        ),
                        format!(
                            "if this page is a copy, give it another slug, e.g. `slug: {free}`; if it is a duplicate, delete one of the files"
                        ),
                    ),
                    None => e.hint(
                        "这个网址是网站自动生成的列表页，给这一页换一个 slug",
                        "the build writes a list at this URL; give the page another `slug:`",
                    ),
                }
            }
            Msg::BadMenuItem { number, item } => {
                let (zh, en) = match (*number, item.is_empty()) {
                    (0, _) => (
                        "`menu` 应当是菜单项列表".to_string(),
                        "`menu` should be a list of menu items".to_string(),
                    ),
                    (n, true) => (format!("菜单第 {n} 项不完整"), format!("menu item {n} is incomplete")),
                    (n, false) => (
                        format!("菜单第 {n} 项“{item}”不完整"),
                        format!("menu item {n} (`{item}`) is incomplete"),
                    ),
                };
                entry(
                    "bad-menu-item",
                    format!("{zh}：每一项都要写 title（显示的文字）和 url（链接地址）"),
                    format!("{en}: each item needs a `title` (the text shown) and a `url`"),
                )
                .hint(
                    "写成：\nmenu:\n  - { title: 通知公告, url: notices/ }\n  - { title: 中华全国总工会, url: \"https://www.acftu.org/\" }",
                    "write it like:\nmenu:\n  - { title: Notices, url: notices/ }\n  - { title: ACFTU, url: \"https://www.acftu.org/\" }",
                )
            }
            Msg::GeneratedUrl { url, page } => entry(
                "duplicate-url",
                format!(
                    "网址 {url} 是 unionpress 自动生成的页面（栏目或标签、部门、下载的列表页，搜索、归档、订阅源、sitemap 或 404），这个{}不能使用它",
                    if *page { "页面" } else { "文件" }
                ),
                format!(
                    "URL {url} is written by unionpress itself (a list page of a section, tag, department or the downloads, search, archive, a feed, the sitemap or 404); this {} cannot use it",
                    if *page { "page" } else { "file" }
                ),
            )
            .hint(
                if *page {
                    "给这个页面写一个别的 slug，例如 slug: notice-page-2；或把文件改名、移到别的文件夹"
                } else {
                    "把这个文件改名，或移到别的文件夹"
                },
                if *page {
                    "give this page another `slug:` (e.g. slug: notice-page-2), or rename or move the file"
                } else {
                    "rename this file or move it to another folder"
                },
            ),
            Msg::BrokenLink { target, suggestion } => {
                let e = entry(
                    "broken-link",
                    format!("链接指向的页面或文件不存在：{target}"),
                    format!("link to a page or file that does not exist: {target}"),
                );
                match suggestion {
                    Some(s) => e.hint(format!("是不是想写 {s}？"), format!("did you mean {s}?")),
                    None => e.hint(
                        "检查文件名和路径是否写对；链接其他页面时写相对路径，如 ../services/legal-aid.md",
                        "check the file name and path; link other pages by relative path, e.g. ../services/legal-aid.md",
                    ),
                }
            }
            Msg::LinkWithSpaces { written, fixed } => entry(
                "link-with-spaces",
                format!("链接地址里有空格，Markdown 不会把 {written} 当成链接，页面上会原样显示这段文字"),
                format!("the link target has spaces, so Markdown shows {written} as plain text, not a link"),
            )
            .hint(
                format!("用尖括号把地址括起来，写成：{fixed}"),
                format!("put the address in angle brackets: {fixed}"),
            ),
            Msg::UnknownSiteKey { key, suggestion } => {
                let e = entry(
                    "unknown-key",
                    format!("site.yaml 中无法识别的设置 `{key}`，已忽略"),
                    format!("unknown setting `{key}` in site.yaml; it is ignored"),
                );
                match suggestion {
                    Some(s) => e.hint(format!("是不是想写 `{s}`？"), format!("did you mean `{s}`?")),
                    None => e.hint(
                        "可用的设置见 README 的“站点配置”一节；不需要就删除这一行",
                        "the settings are listed in the README (site.yaml); delete the line if unneeded",
                    ),
                }
            }
            Msg::EmptyTitle => entry(
                "empty-title",
                "标题是空的：新页面需要一个标题",
                "the title is empty: a new page needs one",
            )
            .hint(
                "把标题写在引号里，例如 unionpress new notice \"关于召开职工代表大会的通知\"",
                "write the title in quotes, e.g. unionpress new notice \"Annual meeting\"",
            ),
            Msg::MissingAttachment { file, place } => entry(
                "missing-attachment",
                format!("附件文件不存在：{file}"),
                format!("attachment not found: {file}"),
            )
            .hint(place.hint().0, place.hint().1),
            Msg::MissingCover { file, place } => entry(
                "missing-cover",
                format!("封面图片不存在：{file}"),
                format!("cover image not found: {file}"),
            )
            .hint(place.hint().0, place.hint().1),
            Msg::NotUtf8 => entry(
                "not-utf8",
                "文件不是 UTF-8 编码",
                "the file is not UTF-8 text",
            )
            .hint(
                "用记事本或 VS Code 打开此文件，“另存为”时编码选择 UTF-8",
                "open the file in your editor and save it again with UTF-8 encoding",
            ),
            Msg::Template { detail } => entry(
                "template-error",
                format!("模板错误：{detail}"),
                format!("template error: {detail}"),
            )
            .hint(TEMPLATE_HINT.0, TEMPLATE_HINT.1),
            Msg::TemplateMissing { name } => entry(
                "template-missing",
                format!("找不到模板 {name}"),
                format!("template {name} not found"),
            )
            .hint(TEMPLATE_HINT.0, TEMPLATE_HINT.1),
            Msg::ImageUnsupported { file, format } if format.is_empty() => entry(
                "image-unsupported",
                format!("文件 {file} 的扩展名是图片，内容却不是 JPEG、PNG 或 WebP 图片"),
                format!("{file} is named like an image but is not a JPEG, PNG or WebP image"),
            )
            .hint(
                "用看图软件打开它确认：若打不开，请重新从手机或相机复制；若是别的文件，请改回它本来的扩展名",
                "open it in an image viewer: if it does not open, copy it again from the phone or camera; if it is another kind of file, give it its own extension back",
            ),
            Msg::ImageUnsupported { file, format } => entry(
                "image-unsupported",
                format!("图片 {file} 是 {format} 格式，浏览器和本程序都无法处理"),
                format!("the image {file} is in {format} format, which browsers and unionpress cannot handle"),
            )
            .hint(
                "请另存为 JPEG（.jpg）后替换原文件：苹果手机可在“设置 → 相机 → 格式”中选“兼容性最佳”，或用系统自带的“画图”打开后另存为 JPEG",
                "save it as JPEG (.jpg) and replace the file: on an iPhone choose Settings → Camera → Formats → Most Compatible",
            ),
            Msg::ImageCorrupt { file, detail } => entry(
                "image-corrupt",
                format!("图片 {file} 已损坏或不完整，无法读取（{detail}）"),
                format!("the image {file} is damaged or incomplete and cannot be read ({detail})"),
            )
            .hint(
                "从手机或相机重新复制这张照片（复制中断会留下不完整的文件），或将它从文件夹中删除",
                "copy the photo again from the phone or camera (an interrupted copy leaves a partial file), or remove it",
            ),
            Msg::ImageTooLarge {
                file,
                size_mb,
                max_mb,
            } => entry(
                "image-too-large",
                format!("图片 {file} 有 {size_mb} MB，超过了 {max_mb} MB 的图片上限"),
                format!("the image {file} is {size_mb} MB, over the image limit of {max_mb} MB"),
            )
            .hint(
                "用手机或电脑把照片缩小后再放入（长边 4000 像素以内的照片通常不到 10 MB）；确需更大的图片，可在 site.yaml 的 images: 下调大 max_mb",
                "shrink the photo before adding it; or raise `max_mb` under `images:` in site.yaml",
            ),
            Msg::ImageTooManyPixels {
                file,
                width,
                height,
            } => entry(
                "image-too-many-pixels",
                format!("图片 {file} 的尺寸为 {width} × {height} 像素，大得不正常，为防止耗尽内存不予处理"),
                format!("the image {file} claims {width} × {height} pixels, too many to decode safely"),
            )
            .hint(
                "请换用相机或手机拍摄的原始照片，或先把图片缩小到长边 10000 像素以内",
                "use the camera's own photo, or shrink the image below 10,000 pixels on its long side",
            ),
            Msg::ImageUnreadable { file, detail } => entry(
                "image-unreadable",
                format!("无法处理图片 {file}：{detail}"),
                format!("cannot process the image {file}: {detail}"),
            ),
            Msg::BadImageSetting { key, value } => entry(
                "bad-image-setting",
                format!("images 中 {key} 的值“{value}”不可用"),
                format!("`{value}` is not a usable value for `{key}` under `images`"),
            )
            .hint(
                "写成例如 images: {max_width: 1600, thumb_width: 480, quality: 82, publish_originals: false, max_mb: 50}；quality 为 1–100，publish_originals 为 true 或 false",
                "e.g. `images: {max_width: 1600, thumb_width: 480, quality: 82, publish_originals: false, max_mb: 50}`; quality is 1–100",
            ),
            Msg::UnknownImageSetting { key, known } => entry(
                "unknown-image-setting",
                format!("images 中没有 {key} 这一项"),
                format!("there is no `{key}` setting under `images`"),
            )
            .hint(
                format!("可用的项：{known}"),
                format!("the settings are: {known}"),
            ),
            Msg::Io { path, detail } => entry(
                "io-error",
                format!("无法读写 {path}：{detail}"),
                format!("cannot read or write {path}: {detail}"),
            ),
            Msg::ChangedWhileBuilding { path } => entry(
                "changed-while-building",
                format!("{path} 在构建过程中被修改，本次构建没有写出任何文件"),
                format!("{path} changed while the site was being built; nothing was written"),
            )
            .hint(
                "等文件保存完毕后，再运行一次同样的命令",
                "once the file is saved, run the same command again",
            ),
            Msg::BadNow { value } => entry(
                "bad-now",
                format!("--now 的时间“{value}”无法识别"),
                format!("cannot read the --now time `{value}`"),
            )
            .hint(
                "例如 --now 2024-03-05 或 --now \"2024-03-05 09:00\"",
                "e.g. --now 2024-03-05 or --now \"2024-03-05 09:00\"",
            ),
            Msg::BadSlug { value } => entry(
                "bad-slug",
                format!("slug “{value}”不能用作网址"),
                format!("slug `{value}` cannot be used in a URL"),
            )
            .hint(
                "slug 只用字母、数字、汉字和连字符，例如 slug: zhidaihui-2024",
                "use letters, digits and hyphens, e.g. `slug: annual-meeting-2024`",
            ),
            Msg::UnsafeOutput { path, why } => {
                let (zh, en) = match why {
                    OutputPlace::SiteRoot => (
                        "它是站点目录本身或包含站点目录，输出会覆盖源文件".to_string(),
                        "it is the site folder or contains it; the sources would be overwritten"
                            .to_string(),
                    ),
                    OutputPlace::HoldsSources(s) => (
                        format!("其中包含网站的源文件 {s}"),
                        format!("it contains the site's sources ({s})"),
                    ),
                    OutputPlace::InsideSources(s) => (
                        format!("它位于源文件目录 {s} 之内"),
                        format!("it is inside the source folder {s}"),
                    ),
                    OutputPlace::Home => (
                        "它是用户主目录或包含主目录".to_string(),
                        "it is your home folder or contains it".to_string(),
                    ),
                    OutputPlace::FsRoot => (
                        "它是文件系统的根目录".to_string(),
                        "it is the root of the file system".to_string(),
                    ),
                    OutputPlace::CurrentDir => (
                        "它是当前所在目录或其上级目录".to_string(),
                        "it is the current folder or one of its parents".to_string(),
                    ),
                    OutputPlace::MountPoint => (
                        "它是另一个磁盘（文件系统）的挂载点，无法整体替换".to_string(),
                        "it is a mount point, which cannot be swapped as a whole".to_string(),
                    ),
                };
                let e = entry(
                    "unsafe-output",
                    format!("不能把网站输出到 {path}：{zh}；没有写入任何内容"),
                    format!("refusing to write the site into {path}: {en}; nothing was written"),
                );
                if *why == OutputPlace::MountPoint {
                    e.hint(
                        format!("在其中新建一个子目录作为输出，例如 --output {path}/public"),
                        format!("use a folder inside it, e.g. `--output {path}/public`"),
                    )
                } else {
                    e.hint(
                        "用 --output 指定一个新的或空的目录，例如 --output public",
                        "pass a new or empty folder, e.g. `--output public`",
                    )
                }
            }
            Msg::OutputNotOurs { path, files } => entry(
                "output-not-ours",
                format!(
                    "输出目录 {path} 里已有 {files} 个文件，但不是 unionpress 生成的（没有 .unionpress-output 记录）；为免覆盖或删除这些文件，没有写入任何内容"
                ),
                format!(
                    "the output folder {path} already holds {files} file(s) that unionpress did not write (no .unionpress-output record); nothing was written, so none of them is overwritten or deleted"
                ),
            )
            .hint(
                "用 --output 指定一个新的或空的目录，例如 --output public；如果这个目录是旧版 unionpress 生成的，确认里面没有别的文件后把它清空，再重新构建",
                "choose a new or empty folder, e.g. `--output public`; if an older unionpress made this folder, check it holds nothing else, empty it and build again",
            ),
            Msg::OutputNotAFolder { path } => entry(
                "output-not-a-folder",
                format!("输出位置 {path} 是一个文件，不是目录；没有写入任何内容"),
                format!("the output {path} is a file, not a folder; nothing was written"),
            )
            .hint(
                "用 --output 指定一个目录，例如 --output public",
                "pass a folder, e.g. `--output public`",
            ),
            Msg::OutputBadManifest { path, detail } => entry(
                "output-bad-manifest",
                format!(
                    "输出目录 {path} 里的记录文件 .unionpress-output 无法识别（{detail}），不能据此替换或删除任何文件；没有写入任何内容"
                ),
                format!(
                    "the record .unionpress-output in {path} cannot be read ({detail}), so no file may be replaced or removed on its word; nothing was written"
                ),
            )
            .hint(
                "用 --output 指定一个新的或空的目录；或确认该目录里只有网站文件后把它清空，再重新构建",
                "choose a new or empty folder, or check the folder holds only the site, empty it and build again",
            ),
            Msg::OutputInTheWay { path } => entry(
                "output-in-the-way",
                format!(
                    "输出目录里已有 {path}，但它不是 unionpress 写入的，而网站需要在这个位置写文件；为免覆盖，它原样保留"
                ),
                format!(
                    "{path} in the output folder was not written by unionpress, but the site needs that place; it was left as it is"
                ),
            )
            .hint(
                "把它移到别处或改名，再重新构建",
                "move or rename it, then build again",
            ),
            Msg::OutputMountInside { path } => entry(
                "output-mount-inside",
                format!("输出目录里的 {path} 挂载了另一个磁盘（文件系统），输出目录无法整体替换；没有写入任何内容"),
                format!("another file system is mounted at {path} inside the output folder, so the folder cannot be swapped; nothing was written"),
            )
            .hint(
                "把挂载点移出输出目录，或换一个输出目录",
                "move the mount out of the output folder, or choose another output folder",
            ),
            Msg::OutputOldKept { path } => entry(
                "output-old-kept",
                format!(
                    "新网站已发布，但旧输出 {path} 里有文件在新输出中找不到，已保留未删除"
                ),
                format!(
                    "the new site is published, but the old output {path} holds files the new one does not, so it was kept"
                ),
            )
            .hint(
                "检查这个目录，把需要的文件移走；下次构建会再清理它",
                "look through that folder and move out what you need; the next build tidies it again",
            ),
            Msg::OutputBusy { path, pid } => {
                let (who_zh, who_en) = match pid {
                    Some(pid) => (format!("（进程号 {pid}）"), format!(" (process {pid})")),
                    None => (" ".to_string(), String::new()),
                };
                let (stop_zh, stop_en) = match pid {
                    Some(pid) => (format!("进程 {pid}"), format!("process {pid}")),
                    None => ("那个 unionpress".to_string(), "that unionpress".to_string()),
                };
                entry(
                    "output-busy",
                    format!(
                        "另一个 unionpress{who_zh}正在向输出目录 {path} 发布网站，等它完成后本次构建会自动继续……"
                    ),
                    format!(
                        "another unionpress{who_en} is publishing into the output folder {path}; this build goes on by itself once it is done…"
                    ),
                )
                .hint(
                    format!(
                        "不必操作；按 Ctrl+C 可放弃本次构建，输出不受影响。如果长时间没有进展，先关闭{stop_zh}（它所在的窗口，或在任务管理器中结束它）"
                    ),
                    format!(
                        "nothing to do; Ctrl+C gives this build up and leaves the output as it is. If nothing happens for a long time, stop {stop_en} (close its window, or end it in the task manager)"
                    ),
                )
            }
            Msg::YamlProblem { issue } => yaml_problem(*issue),
            Msg::TabInYaml => entry(
                "yaml-tab",
                "这里用了 Tab 键缩进，YAML 只认空格",
                "indented with a tab; YAML only accepts spaces",
            )
            .hint("把这个 Tab 换成两个空格", "replace the tab with two spaces"),
            Msg::FullWidthColon { key } => entry(
                "full-width-colon",
                format!("字段 `{key}` 后面用了中文冒号“：”，YAML 只认英文冒号“:”"),
                format!("`{key}` is followed by a full-width colon `：`; YAML needs `:`"),
            )
            .hint(
                format!("把“：”改成英文冒号再加一个空格，写成 {key}: …"),
                format!("use an ASCII colon and a space: `{key}: …`"),
            ),
            Msg::NoSpaceAfterColon { key } => entry(
                "no-space-after-colon",
                format!("字段 `{key}` 的冒号后面缺少空格"),
                format!("no space after the colon of `{key}`"),
            )
            .hint(
                format!("在冒号后加一个空格，写成 {key}: …"),
                format!("add a space after the colon: `{key}: …`"),
            ),
            Msg::UnclosedFrontMatterAfter { line } => entry(
                "unclosed-front-matter",
                format!(
                    "页面信息（front matter）以第 1 行的 --- 开始，但没有用 --- 结束（看起来应在第 {line} 行之后结束）"
                ),
                format!(
                    "front matter starts with --- on line 1 but is never closed (it seems to end after line {line})"
                ),
            )
            .hint(
                format!("在第 {line} 行之后单独写一行 ---，把页面信息和正文分开"),
                format!("add a line with just --- after line {line}"),
            ),
            Msg::FrontMatterNotAtStart => entry(
                "front-matter-not-at-start",
                "页面信息的 --- 必须写在文件的第一行，这里上面还有空行",
                "the front matter's --- must be the very first line; there are blank lines above it",
            )
            .hint(
                "删除 --- 上面的空行，让 --- 成为第一行",
                "delete the blank lines above the ---",
            ),
            Msg::DecodedEncoding { encoding } => entry(
                "decoded-encoding",
                format!(
                    "文件是 {encoding} 编码，已自动转换后读取；请另存为 UTF-8 编码，以免在其他电脑或工具中出现乱码"
                ),
                format!("the file is in {encoding}; it was converted, but please save it as UTF-8"),
            )
            .hint(SAVE_AS_UTF8_HINT.0, SAVE_AS_UTF8_HINT.1),
            Msg::UnsureEncoding { encoding } => entry(
                "unsure-encoding",
                format!(
                    "文件不是 UTF-8 编码，看起来像 {encoding}，但无法确定；为避免乱码，没有读取这个文件"
                ),
                format!(
                    "the file is not UTF-8; it looks like {encoding} but not certainly, so it was not read (to avoid garbled text)"
                ),
            )
            .hint(SAVE_AS_UTF8_HINT.0, SAVE_AS_UTF8_HINT.1),
            Msg::LinkNeedsFix { target, fix } => entry(
                "link-needs-fix",
                format!(
                    "链接地址“{target}”不是完整的网址，浏览器会把它当成本站的文件，点开会找不到"
                ),
                format!(
                    "`{target}` is not a complete address; a browser would look for a file of that name on this site"
                ),
            )
            .hint(
                format!("把括号里的地址改为 {fix}"),
                format!("write the address as {fix}"),
            ),
            Msg::BrokenAnchor {
                target,
                fragment,
                suggestion,
            } => {
                let e = if target.is_empty() {
                    entry(
                        "broken-anchor",
                        format!("本页找不到链接 #{fragment} 指向的标题"),
                        format!("no heading on this page for the link #{fragment}"),
                    )
                } else {
                    entry(
                        "broken-anchor",
                        format!("{target} 中找不到链接 #{fragment} 指向的标题"),
                        format!("no heading in {target} for the link #{fragment}"),
                    )
                };
                match suggestion {
                    Some(s) => e.hint(format!("是不是想写 #{s}？"), format!("did you mean #{s}?")),
                    None => e.hint(
                        "锚点由标题文字生成：标题“一、参会人员”的锚点是 #一参会人员；也可以在标题末尾写 {#名称} 自定义锚点",
                        "anchors come from heading text: `## Who attends` is #who-attends; or add {#name} at the end of the heading",
                    ),
                }
            }
            Msg::ImageNoAlt { src } => entry(
                "image-no-alt",
                format!("图片 {src} 没有替代文字（读屏软件朗读、图片加载失败时显示的文字）"),
                format!(
                    "image {src} has no alternative text (read aloud by screen readers, shown when the image fails to load)"
                ),
            )
            .hint(
                "在方括号里写上图片的内容，例如 ![职工运动会拔河比赛](tug-of-war.jpg)",
                "describe the picture inside the brackets, e.g. ![Tug of war at the sports day](tug-of-war.jpg)",
            ),
            Msg::PinExpired { until } => entry(
                "pin-expired",
                format!("置顶已于 {until} 到期，页面已不再置顶"),
                format!("pinning ended on {until}; the page is no longer pinned"),
            )
            .hint(
                "要继续置顶，就把 pinned_until（置顶至）改为新的日期；不再需要置顶，就删除 pinned 和 pinned_until 两行",
                "to keep it pinned set a new `pinned_until`; otherwise delete `pinned` and `pinned_until`",
            ),
            Msg::PinnedButExpired { expires } => entry(
                "pinned-but-expired",
                format!("页面已于 {expires} 过了有效期，置顶不再生效"),
                format!("the page expired on {expires}, so it is no longer pinned"),
            )
            .hint(
                "删除 pinned（置顶）一行，或把 expires（有效期至）改为新的日期",
                "delete `pinned`, or move `expires` to a new date",
            ),
            Msg::Scheduled { date } => entry(
                "scheduled",
                format!("定时发布：页面日期是 {date}，在此之前不会出现在网站上"),
                format!("scheduled: the page is dated {date} and stays off the site until then"),
            )
            .hint(
                "到期后重新构建即会发布；要现在发布，把 date 改为今天或更早；预览可加 --future",
                "it is published by the first build on or after that date; to publish now, set `date` to today; preview with --future",
            ),
            Msg::UnusedFile { file } => {
                let name = file.rsplit('/').next().unwrap_or(file);
                let target = if name.contains(' ') {
                    format!("<{name}>")
                } else {
                    name.to_string()
                };
                let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
                let image = matches!(
                    ext.as_deref(),
                    Some("jpg" | "jpeg" | "png" | "gif" | "webp" | "svg")
                );
                let (zh, en) = if image {
                    (
                        format!("在同一文件夹的页面正文里插入它：![图片说明]({target})"),
                        format!("show it in the page beside it: ![What the picture shows]({target})"),
                    )
                } else {
                    (
                        format!("在同一文件夹的页面正文里链接它：[{name}]({target})，或写进 attachments"),
                        format!("link to it from the page beside it: [{name}]({target}), or list it under `attachments`"),
                    )
                };
                entry(
                    "unused-file",
                    format!("文件 {file} 没有被任何页面链接或使用"),
                    format!("no page links to or uses {file}"),
                )
                .hint(
                    format!("{zh}；不再需要就删除它"),
                    format!("{en}; delete it if unneeded"),
                )
            }
            Msg::LargeFile {
                file,
                size_mb,
                max_mb,
            } => entry(
                "large-file",
                format!(
                    "文件 {file} 有 {size_mb} MB，超过了站点设定的 {max_mb} MB 上限，内网下载会很慢"
                ),
                format!(
                    "{file} is {size_mb} MB, over the site's limit of {max_mb} MB; it will download slowly on the intranet"
                ),
            )
            .hint(
                "压缩后再放入（图片可缩小尺寸，PDF 可用 WPS 的“PDF 压缩”），或拆分成几个文件；确需更大的文件，可在 site.yaml 中调大 max_attachment_mb",
                "compress it (smaller images, a compressed PDF) or split it; or raise `max_attachment_mb` in site.yaml",
            ),
            Msg::ExternalCover { url } => entry(
                "external-cover",
                format!("封面图片是外部网址 {url}，内网电脑可能无法访问，因此不显示"),
                format!(
                    "the cover image is an outside address ({url}) that intranet computers may not reach; it is not shown"
                ),
            )
            .hint(
                "把图片下载后放进页面所在的文件夹，写成 cover: cover.jpg",
                "download the image into the page's folder and write `cover: cover.jpg`",
            ),
            Msg::ExternalLoad {
                url,
                kind,
                file,
                wechat,
            } => {
                let [noun, effect, noun_en, effect_en, name, name_en] = loaded_words(*kind);
                let name = file.as_deref().unwrap_or(name);
                let name_en = file.as_deref().unwrap_or(name_en);
                let mut zh = format!(
                    "{noun} {url} 要从其他服务器加载：连不上那台服务器的读者（内网电脑通常上不了外网）那里，{effect}；从共享文件夹直接打开网站（file://）时也一样"
                );
                let mut en = format!(
                    "{noun_en} is loaded from another server, {url}: readers who cannot reach that server (intranet computers usually cannot reach the internet) see {effect_en}, also when the site is opened from a file share (file://)"
                );
                if *wechat {
                    zh.push_str("。微信公众号的图片还不许其他网站引用，即使能上外网，也只显示“此图片来自微信公众平台 未经允许不可引用”");
                    en.push_str(". WeChat official-account images also refuse to show on other sites, even with internet access");
                }
                let bundle = "页面的文件夹（页面是单个 .md 文件时，先改成文件夹形式：名称/index.md）";
                let bundle_en = "the page's folder (for a single .md file, first make it a folder: name/index.md)";
                let (hint, hint_en) = match kind {
                    Loaded::Image if *wechat => (
                        format!(
                            "在微信里打开原文，把图片保存下来（电脑上右键“另存为”，手机上长按），放在这篇页面的文件旁边，把这一处写成 ![图片说明]({name})"
                        ),
                        format!(
                            "open the article in WeChat, save the picture (right-click \"Save as\", or a long press on a phone), put it beside this page's file and write ![description]({name_en})"
                        ),
                    ),
                    Loaded::Image => (
                        format!(
                            "把图片下载下来，放在这篇页面的文件旁边（同一个文件夹），把这一处写成 ![图片说明]({name})"
                        ),
                        format!(
                            "download the picture, put it beside this page's file (the same folder) and write ![description]({name_en})"
                        ),
                    ),
                    Loaded::Frame => (
                        format!(
                            "视频请下载成 MP4 文件，放进{bundle}，写成 <video src=\"{name}\" controls></video>；其他网页请改成普通链接，如 [打开网页]({url})，读者点开时自己去看"
                        ),
                        format!(
                            "download a video as an MP4 file into {bundle_en} and write <video src=\"{name_en}\" controls></video>; for any other page write a link instead, e.g. [open the page]({url})"
                        ),
                    ),
                    Loaded::Font => (
                        "删掉这个字体，改用读者电脑上已有的字体，如 font-family: \"Microsoft YaHei\", \"PingFang SC\", sans-serif".to_string(),
                        "remove this font and use the fonts readers' computers have, e.g. font-family: \"Microsoft YaHei\", \"PingFang SC\", sans-serif".to_string(),
                    ),
                    _ => (
                        format!("把{noun}下载下来，放进{bundle}，把这个地址改成 {name}；用不着就删掉它"),
                        format!(
                            "download it into {bundle_en} and replace the address with {name_en}; or remove it if it is not needed"
                        ),
                    ),
                };
                // The address gives no name: several pictures would all be
                // told the same one.
                let (hint, hint_en) =
                    if file.is_none() && matches!(kind, Loaded::Image | Loaded::Background) {
                        (
                            format!("{hint}（每张图片各用一个文件名：图片1.jpg、图片2.jpg……）"),
                            format!("{hint_en} (a name of its own for each picture: image1.jpg, image2.jpg…)"),
                        )
                    } else {
                        (hint, hint_en)
                    };
                let (hint, hint_en) = if *wechat {
                    (hint, hint_en)
                } else {
                    (
                        format!("{hint}。如果这是内网服务器上的地址，每位读者都打得开，可以不改"),
                        format!(
                            "{hint_en}. If it is a server on the intranet that every reader can reach, it may stay"
                        ),
                    )
                };
                entry("external-load", zh, en).hint(hint, hint_en)
            }
            Msg::RootAbsoluteLoad { url, kind, file } => {
                let [noun, effect, noun_en, effect_en, name, name_en] = loaded_words(*kind);
                let name = file.as_deref().unwrap_or(name);
                let name_en = file.as_deref().unwrap_or(name_en);
                let (hint, hint_en) = match kind {
                    Loaded::Image => (
                        format!(
                            "把图片放在这篇页面的文件旁边（同一个文件夹），把这一处写成相对路径 ![图片说明]({name})"
                        ),
                        format!(
                            "put the picture beside this page's file (the same folder) and write the relative path: ![description]({name_en})"
                        ),
                    ),
                    _ => (
                        format!(
                            "把{noun}放进页面的文件夹（页面是单个 .md 文件时，先改成文件夹形式：名称/index.md），把这个地址改成相对路径 {name}"
                        ),
                        format!(
                            "put it in the page's folder (for a single .md file, first make it a folder: name/index.md) and replace the address with the relative path {name_en}"
                        ),
                    ),
                };
                entry(
                    "root-absolute-load",
                    format!(
                        "{noun}地址 {url} 以 / 开头，指向网站服务器的根目录：网站放在子路径下（如 http://intranet/union/）或从共享文件夹直接打开（file://）时，{effect}"
                    ),
                    format!(
                        "{noun_en} is loaded from {url}, which starts with / and so names the web server's root: when the site is served under a sub-path (http://intranet/union/) or opened from a file share (file://), readers see {effect_en}"
                    ),
                )
                .hint(hint, hint_en)
            }
            Msg::MisnamedMarkdown { file, rename_to } => entry(
                "misnamed-markdown",
                format!(
                    "{file} 看起来是一篇页面，但文件名不以 .md 结尾，所以不会生成页面，只会原样复制"
                ),
                format!(
                    "{file} looks like a page, but its name does not end in .md, so it is copied as a file instead of becoming a page"
                ),
            )
            .hint(
                format!("如果它是一篇页面，请改名为 {rename_to}；如果是要下载的文件，可以忽略"),
                format!("if it is a page, rename it to {rename_to}; if it is a download, ignore this"),
            ),
            Msg::InitNotEmpty { path } => entry(
                "init-not-empty",
                format!("文件夹 {path} 不是空的；为免覆盖已有文件，没有新建站点"),
                format!(
                    "the folder {path} is not empty; no site was created, to avoid overwriting files"
                ),
            )
            .hint(
                "换一个空文件夹，例如 unionpress init 我的工会网站；或加上 --force 写入（同名文件会被替换）",
                "choose an empty folder, or add --force (files with the same names are replaced)",
            ),
            Msg::NoSectionForKind { kind } => entry(
                "no-section-for-kind",
                format!("没有哪个栏目的 _index.md 写了 kind: {kind}，不知道把新页面放在哪里"),
                format!(
                    "no section's _index.md says `kind: {kind}`, so it is unclear where the new page goes"
                ),
            )
            .hint(
                format!(
                    "用 --section 指定栏目文件夹，例如 --section notices；或在栏目的 _index.md 中写 kind: {kind}"
                ),
                format!(
                    "pass --section, e.g. --section notices, or write `kind: {kind}` in a section's _index.md"
                ),
            ),
            Msg::SectionMissing { dir } => entry(
                "section-missing",
                format!("栏目文件夹 {dir} 不存在"),
                format!("the section folder {dir} does not exist"),
            )
            .hint(
                "检查文件夹名，例如 --section notices（相对于 content 文件夹）",
                "check the folder name, e.g. --section notices (relative to content/)",
            ),
            Msg::SlugTaken { slug, other } => entry(
                "slug-taken",
                format!("slug “{slug}” 已被 {other} 使用"),
                format!("the slug `{slug}` is already used by {other}"),
            )
            .hint(
                "换一个 --slug，例如在末尾加上年份：--slug zhidaihui-2025",
                "choose another --slug, e.g. add the year: --slug annual-meeting-2025",
            ),
            Msg::UnsafeUrl { url, scheme } => entry(
                "unsafe-url",
                format!(
                    "不安全的链接地址“{url}”：{scheme}: 开头的地址会在读者的浏览器里运行代码或打开来历不明的内容，不能发布"
                ),
                format!(
                    "unsafe address `{url}`: a {scheme}: address runs code or opens unknown content in the reader's browser, and is not published"
                ),
            )
            .hint(
                "删除这个链接，或改成以 https:// 开头的网址，或站内文件的相对路径，如 附件/议程.pdf",
                "remove the link, or write an address starting with https://, or the relative path of a file of the site, e.g. files/agenda.pdf",
            ),
            Msg::UnusableName { field, name } => {
                let example = if *field == "tags" {
                    "tags: [职代会, 劳动保护]"
                } else {
                    "department: 工会办公室"
                };
                let (zh, en) = if name.trim().is_empty() {
                    (
                        format!("{field} 里有一项是空的，这一项被忽略"),
                        format!("an item of {field} is empty; it is ignored"),
                    )
                } else {
                    (
                        format!(
                            "{field} 里的“{name}”没有可用作网址的文字（只有标点或点号），这一项被忽略，不会生成列表页"
                        ),
                        format!(
                            "`{name}` in {field} has nothing a web address can hold (only punctuation or dots); it is ignored and gets no list page"
                        ),
                    )
                };
                entry("unusable-name", zh, en).hint(
                    format!("写成有文字的名称，例如 {example}；不需要时删除这一项"),
                    format!("write a name with letters, e.g. {example}; delete the item if it is not needed"),
                )
            }
            Msg::WindowsFileName { file, rename_to } => entry(
                "windows-file-name",
                format!(
                    "文件名“{file}”在 Windows 电脑和共享文件夹里无法保存（保留名称、特殊符号或末尾的点和空格），复制到 Windows 时会出错"
                ),
                format!(
                    "Windows computers and shares cannot store the file name `{file}` (a reserved name, a special character, or a trailing dot or space); copying the site to Windows fails"
                ),
            )
            .hint(
                format!("把文件改名为 {rename_to}，并同时修改引用它的链接"),
                format!("rename the file to {rename_to}, and the links to it too"),
            ),
        }
    }
}

/// Where a page's attachment or cover was looked for, for the hint: a
/// single-file page's files sit beside it, a bundle's beside its
/// `index.md`, and a path with folders in it is followed from there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FilePlace {
    /// The file as the build looked for it, as the editor sees the site
    /// (`content/notices/议程.pdf`); `None` when `..` climbs out of the
    /// content folder.
    pub path: Option<String>,
    /// The page's file as the editor sees it (`content/notices/test.md`).
    pub page: String,
    pub bundle: bool,
}

impl FilePlace {
    fn hint(&self) -> (String, String) {
        let (page_folder, page_file) = self.page.rsplit_once('/').unwrap_or(("", &self.page));
        let Some(path) = &self.path else {
            return (
                format!(
                    "文件路径跳出了 content 文件夹；写从 {page_file} 所在文件夹出发的相对路径，并检查文件名是否一致"
                ),
                format!(
                    "the path climbs out of the content folder; write it relative to the folder of {page_file}, and check the file name"
                ),
            );
        };
        let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
        let (zh, en) = match (folder == page_folder, self.bundle) {
            (false, _) => (String::new(), String::new()),
            (true, true) => (
                "（页面包，与 index.md 同一个文件夹）".into(),
                " (the page bundle, beside index.md)".into(),
            ),
            (true, false) => (
                format!("（与 {page_file} 同一个文件夹）"),
                format!(" (beside {page_file})"),
            ),
        };
        (
            format!("把 {name} 放到 {folder}/ 文件夹里{zh}，并检查文件名和扩展名是否一致"),
            format!(
                "put {name} in the folder {folder}/{en}, and check the file name and its extension"
            ),
        )
    }
}

const TEMPLATE_HINT: (&str, &str) = (
    "检查模板这一行的 {{ }} 和 {% %} 是否成对、变量名是否写对（可用变量见 docs/THEMES.md）",
    "check that {{ }} and {% %} are balanced and the names exist (see docs/THEMES.md)",
);

const SAVE_AS_UTF8_HINT: (&str, &str) = (
    "用记事本打开这个文件，选择“文件 → 另存为”，把下方的“编码”选为 UTF-8 后保存；WPS 和 VS Code 另存时也可选择 UTF-8 编码",
    "open the file in Notepad, choose File → Save As, set Encoding to UTF-8 and save",
);

/// The YAML mistakes we name, one entry each.
fn yaml_problem(issue: YamlIssue) -> Entry {
    match issue {
        YamlIssue::ColonInValue => entry(
            "yaml-colon-in-value",
            "这一行的值里有“冒号加空格”，YAML 会把它误当成新的字段",
            "this value contains `: `, which YAML reads as the start of another field",
        )
        .hint(
            "给整个值加上英文双引号，例如 title: \"会议安排: 第一天\"",
            "put the whole value in double quotes, e.g. `title: \"Agenda: day one\"`",
        ),
        YamlIssue::BadIndent => entry(
            "yaml-bad-indent",
            "这一行前面多了空格（缩进），YAML 以为它属于上一行",
            "this line is indented, so YAML reads it as part of the line above",
        )
        .hint(
            "字段名要顶格写：删除行首的空格。只有列表项（- …）和附件的 file/title 才缩进",
            "start field names at the beginning of the line; only list items (- …) are indented",
        ),
        YamlIssue::UnclosedQuote => entry(
            "yaml-unclosed-quote",
            "这里开始的引号没有结束（引号要成对）",
            "the quote that starts here is never closed",
        )
        .hint(
            "在值的末尾补上同样的引号，例如 title: \"关于召开职工代表大会的通知\"",
            "close the quote at the end of the value, e.g. `title: \"Annual meeting\"`",
        ),
        YamlIssue::StrayQuote => entry(
            "yaml-stray-quote",
            "引号用法有误：引号结束后，同一行还有别的文字",
            "there is more text after the closing quote",
        )
        .hint(
            "值里本身有单引号时，用双引号把整个值包起来，例如 title: \"It's 工会\"；或去掉开头的引号",
            "if the value contains a quote, wrap it all in the other kind, e.g. `title: \"It's ours\"`",
        ),
        YamlIssue::UnclosedBracket => entry(
            "yaml-unclosed-bracket",
            "方括号列表 [ ] 没有写完整",
            "the [ ] list is not closed",
        )
        .hint(
            "写成 tags: [职代会, 民主管理]：项目之间用英文逗号分隔，最后要有 ]",
            "write `tags: [one, two]`: commas between items and a closing ]",
        ),
        YamlIssue::ReservedStart => entry(
            "yaml-reserved-start",
            "值不能直接以 @、`、% 或 * 开头",
            "a value cannot start with @, `, % or *",
        )
        .hint(
            "给整个值加上英文双引号，例如 author: \"@工会办公室\"",
            "put the value in double quotes, e.g. `author: \"@office\"`",
        ),
        YamlIssue::MissingColon => entry(
            "yaml-missing-colon",
            "这一行既不是“字段: 值”，也不是列表项",
            "this line is neither `key: value` nor a list item",
        )
        .hint(
            "写成“字段: 值”（英文冒号后加一个空格）；如果这一行是正文，说明结束页面信息的 --- 写漏了或放错了位置",
            "write `key: value` (a space after the colon); if this line is body text, the closing --- is missing or misplaced",
        ),
    }
}
