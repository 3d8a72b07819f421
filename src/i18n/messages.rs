//! Diagnostic messages. Each variant has a stable code (for `--format json`
//! and for documentation), a message and, where we can say what to type
//! instead, a hint.

use super::Lang;

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
        let zh = lang == Lang::Zh;
        match self {
            Expect::Text => {
                if zh {
                    "文本"
                } else {
                    "text"
                }
            }
            Expect::Date => {
                if zh {
                    "日期"
                } else {
                    "a date"
                }
            }
            Expect::Bool => {
                if zh {
                    "是/否（true 或 false）"
                } else {
                    "true or false"
                }
            }
            Expect::Number => {
                if zh {
                    "数字"
                } else {
                    "a number"
                }
            }
            Expect::TextOrList => {
                if zh {
                    "文本或列表"
                } else {
                    "text or a list"
                }
            }
            Expect::List => {
                if zh {
                    "列表"
                } else {
                    "a list"
                }
            }
            Expect::Map => {
                if zh {
                    "键值表"
                } else {
                    "a mapping"
                }
            }
            Expect::AttachmentList => {
                if zh {
                    "附件列表（每项含 file 和 title）"
                } else {
                    "a list of {file, title}"
                }
            }
        }
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
    let zh = lang == Lang::Zh;
    match found {
        "null" => {
            if zh {
                "空值"
            } else {
                "nothing"
            }
        }
        "bool" => {
            if zh {
                "是/否"
            } else {
                "true/false"
            }
        }
        "number" => {
            if zh {
                "数字"
            } else {
                "a number"
            }
        }
        "string" => {
            if zh {
                "文本"
            } else {
                "text"
            }
        }
        "list" => {
            if zh {
                "列表"
            } else {
                "a list"
            }
        }
        "map" => {
            if zh {
                "键值表"
            } else {
                "a mapping"
            }
        }
        _ => {
            if zh {
                "其他内容"
            } else {
                "something else"
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Msg {
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
        /// The themes that do exist, comma-separated.
        available: String,
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
        /// The line with Chinese quotes (or the other ASCII quote).
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
    /// `tags: [职代会，民主管理]`: an item split at full-width commas.
    SplitListItem {
        field: String,
        written: String,
        items: String,
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
    UnknownKind {
        value: String,
    },
    UnknownSort {
        value: String,
    },
    UnknownUrgency {
        value: String,
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
    },
    BrokenLink {
        target: String,
    },
    MissingAttachment {
        file: String,
    },
    MissingCover {
        file: String,
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
    BadNow {
        value: String,
    },
    BadSlug {
        value: String,
    },
    UnsafeOutput {
        path: String,
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
}

impl Msg {
    pub fn code(&self) -> &'static str {
        match self {
            Msg::ConfigMissing { .. } => "config-missing",
            Msg::ConfigNotMap => "config-not-map",
            Msg::BadTimezone { .. } => "bad-timezone",
            Msg::BadLanguage { .. } => "bad-language",
            Msg::ThemeMissing { .. } => "theme-missing",
            Msg::SplitListItem { .. } => "list-item-split",
            Msg::SecondColon { .. } => "yaml-colon-in-value",
            Msg::QuoteInQuotes { .. } => "yaml-stray-quote",
            Msg::IndentedKey { .. } => "yaml-bad-indent",
            Msg::YamlTooDeep { .. } => "yaml-too-deep",
            Msg::YamlTooLong { .. } => "yaml-too-long",
            Msg::YamlSyntax { .. } => "yaml-syntax",
            Msg::NoFrontMatter => "no-front-matter",
            Msg::UnclosedFrontMatter => "unclosed-front-matter",
            Msg::TomlFrontMatter => "toml-front-matter",
            Msg::FrontMatterNotMap => "front-matter-not-map",
            Msg::MissingField { .. } => "missing-field",
            Msg::WrongType { .. } => "wrong-type",
            Msg::BadDate { .. } => "bad-date",
            Msg::UnknownKind { .. } => "unknown-kind",
            Msg::UnknownSort { .. } => "unknown-sort",
            Msg::UnknownUrgency { .. } => "unknown-urgency",
            Msg::UnknownKey { .. } => "unknown-key",
            Msg::DuplicateKey { .. } => "duplicate-key",
            Msg::DuplicateUrl { .. } => "duplicate-url",
            Msg::BrokenLink { .. } => "broken-link",
            Msg::MissingAttachment { .. } => "missing-attachment",
            Msg::MissingCover { .. } => "missing-cover",
            Msg::NotUtf8 => "not-utf8",
            Msg::Template { .. } => "template-error",
            Msg::TemplateMissing { .. } => "template-missing",
            Msg::Io { .. } => "io-error",
            Msg::BadNow { .. } => "bad-now",
            Msg::BadSlug { .. } => "bad-slug",
            Msg::UnsafeOutput { .. } => "unsafe-output",
            Msg::YamlProblem { issue } => match issue {
                YamlIssue::ColonInValue => "yaml-colon-in-value",
                YamlIssue::BadIndent => "yaml-bad-indent",
                YamlIssue::UnclosedQuote => "yaml-unclosed-quote",
                YamlIssue::StrayQuote => "yaml-stray-quote",
                YamlIssue::UnclosedBracket => "yaml-unclosed-bracket",
                YamlIssue::ReservedStart => "yaml-reserved-start",
                YamlIssue::MissingColon => "yaml-missing-colon",
            },
            Msg::TabInYaml => "yaml-tab",
            Msg::FullWidthColon { .. } => "full-width-colon",
            Msg::NoSpaceAfterColon { .. } => "no-space-after-colon",
            Msg::UnclosedFrontMatterAfter { .. } => "unclosed-front-matter",
            Msg::FrontMatterNotAtStart => "front-matter-not-at-start",
            Msg::DecodedEncoding { .. } => "decoded-encoding",
            Msg::UnsureEncoding { .. } => "unsure-encoding",
            Msg::LinkNeedsFix { .. } => "link-needs-fix",
            Msg::BrokenAnchor { .. } => "broken-anchor",
            Msg::ImageNoAlt { .. } => "image-no-alt",
            Msg::PinExpired { .. } => "pin-expired",
            Msg::PinnedButExpired { .. } => "pinned-but-expired",
            Msg::Scheduled { .. } => "scheduled",
            Msg::UnusedFile { .. } => "unused-file",
            Msg::LargeFile { .. } => "large-file",
            Msg::ExternalCover { .. } => "external-cover",
            Msg::MisnamedMarkdown { .. } => "misnamed-markdown",
            Msg::InitNotEmpty { .. } => "init-not-empty",
            Msg::NoSectionForKind { .. } => "no-section-for-kind",
            Msg::SectionMissing { .. } => "section-missing",
            Msg::SlugTaken { .. } => "slug-taken",
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.text_zh(),
            Lang::En => self.text_en(),
        }
    }

    fn text_zh(&self) -> String {
        match self {
            Msg::ConfigMissing { path } => format!("找不到站点配置文件 {path}"),
            Msg::ConfigNotMap => "site.yaml 的内容应当是“键: 值”的形式".into(),
            Msg::BadTimezone { value } => format!("无法识别的时区“{value}”"),
            Msg::BadLanguage { value } => format!("不支持的语言“{value}”"),
            Msg::ThemeMissing { name, path, .. } => {
                format!("找不到主题“{name}”：站点里没有 {path} 文件夹，也没有同名的内置主题")
            }
            Msg::SplitListItem {
                field,
                written,
                items,
            } => format!("`{field}` 列表里的“{written}”用了中文逗号，已按逗号拆成几项：{items}"),
            Msg::SecondColon { key, .. } => {
                format!("`{key}` 的值里还有一个“冒号加空格”，YAML 会把它误当成又一个字段")
            }
            Msg::QuoteInQuotes { .. } => {
                "值里的英文引号和包住整个值的引号是同一种，YAML 读到第二个引号就认为值结束了".into()
            }
            Msg::IndentedKey { key, .. } => {
                format!("字段 `{key}` 前面多了空格（缩进），YAML 以为它属于上一行")
            }
            Msg::YamlTooDeep { max } => format!(
                "方括号或花括号嵌套超过 {max} 层，页面信息不会这样写；为免构建卡住，没有读取这个文件"
            ),
            Msg::YamlTooLong { kb, max_kb } => format!(
                "页面信息（--- 之间的部分）有 {kb} KB，超过了 {max_kb} KB 的上限；为免构建卡住，没有读取这个文件"
            ),
            Msg::YamlSyntax { detail } => format!("YAML 格式错误：{detail}"),
            Msg::NoFrontMatter => "文件开头缺少用 --- 包围的页面信息（front matter）".into(),
            Msg::UnclosedFrontMatter => {
                "页面信息（front matter）以 --- 开始，但没有用 --- 结束".into()
            }
            Msg::TomlFrontMatter => {
                "页面信息使用了 TOML 格式（+++），unionpress 只支持 YAML 格式（---）".into()
            }
            Msg::FrontMatterNotMap => "页面信息应当是“键: 值”的形式".into(),
            Msg::MissingField { field } => format!("缺少必填项 `{field}`"),
            Msg::WrongType {
                field,
                expect,
                found,
            } => format!(
                "`{field}` 应当是{}，这里写的是{}",
                expect.name(Lang::Zh),
                found_name(Lang::Zh, found)
            ),
            Msg::BadDate { field, value } => format!("`{field}` 的日期“{value}”无法识别"),
            Msg::UnknownKind { value } => format!("未知的栏目类型 kind: “{value}”"),
            Msg::UnknownSort { value } => format!("未知的排序方式 sort: “{value}”"),
            Msg::UnknownUrgency { value } => format!("未知的紧急程度“{value}”"),
            Msg::UnknownKey { key, .. } => {
                format!("无法识别的字段 `{key}`（已作为自定义字段保留在 page.extra 中）")
            }
            Msg::DuplicateKey { key, other } if key == other => {
                format!("字段 `{key}` 写了两次，YAML 不知道该用哪一个")
            }
            Msg::DuplicateKey { key, other } => {
                format!("字段 `{key}` 与前面的 `{other}` 重复（同一个字段写了两次）")
            }
            Msg::DuplicateUrl { url, other } => {
                format!("网址 {url} 与 {other} 重复，两个页面会写到同一个位置")
            }
            Msg::BrokenLink { target } => format!("链接指向的页面或文件不存在：{target}"),
            Msg::MissingAttachment { file } => format!("附件文件不存在：{file}"),
            Msg::MissingCover { file } => format!("封面图片不存在：{file}"),
            Msg::NotUtf8 => "文件不是 UTF-8 编码".into(),
            Msg::Template { detail } => format!("模板错误：{detail}"),
            Msg::TemplateMissing { name } => format!("找不到模板 {name}"),
            Msg::Io { path, detail } => format!("无法读写 {path}：{detail}"),
            Msg::BadNow { value } => format!("--now 的时间“{value}”无法识别"),
            Msg::BadSlug { value } => format!("slug “{value}”不能用作网址"),
            Msg::UnsafeOutput { path } => format!(
                "不能把网站输出到 {path}：它是站点目录本身或其中的源文件目录，输出时会覆盖源文件"
            ),
            Msg::YamlProblem { issue } => match issue {
                YamlIssue::ColonInValue => {
                    "这一行的值里有“冒号加空格”，YAML 会把它误当成新的字段".into()
                }
                YamlIssue::BadIndent => "这一行前面多了空格（缩进），YAML 以为它属于上一行".into(),
                YamlIssue::UnclosedQuote => "这里开始的引号没有结束（引号要成对）".into(),
                YamlIssue::StrayQuote => "引号用法有误：引号结束后，同一行还有别的文字".into(),
                YamlIssue::UnclosedBracket => "方括号列表 [ ] 没有写完整".into(),
                YamlIssue::ReservedStart => "值不能直接以 @、`、% 或 * 开头".into(),
                YamlIssue::MissingColon => "这一行既不是“字段: 值”，也不是列表项".into(),
            },
            Msg::TabInYaml => "这里用了 Tab 键缩进，YAML 只认空格".into(),
            Msg::FullWidthColon { key } => {
                format!("字段 `{key}` 后面用了中文冒号“：”，YAML 只认英文冒号“:”")
            }
            Msg::NoSpaceAfterColon { key } => format!("字段 `{key}` 的冒号后面缺少空格"),
            Msg::UnclosedFrontMatterAfter { line } => format!(
                "页面信息（front matter）以第 1 行的 --- 开始，但没有用 --- 结束（看起来应在第 {line} 行之后结束）"
            ),
            Msg::FrontMatterNotAtStart => {
                "页面信息的 --- 必须写在文件的第一行，这里上面还有空行".into()
            }
            Msg::DecodedEncoding { encoding } => format!(
                "文件是 {encoding} 编码，已自动转换后读取；请另存为 UTF-8 编码，以免在其他电脑或工具中出现乱码"
            ),
            Msg::UnsureEncoding { encoding } => format!(
                "文件不是 UTF-8 编码，看起来像 {encoding}，但无法确定；为避免乱码，没有读取这个文件"
            ),
            Msg::LinkNeedsFix { target, .. } => format!(
                "链接地址“{target}”不是完整的网址，浏览器会把它当成本站的文件，点开会找不到"
            ),
            Msg::BrokenAnchor {
                target, fragment, ..
            } => {
                if target.is_empty() {
                    format!("本页找不到链接 #{fragment} 指向的标题")
                } else {
                    format!("{target} 中找不到链接 #{fragment} 指向的标题")
                }
            }
            Msg::ImageNoAlt { src } => {
                format!("图片 {src} 没有替代文字（读屏软件朗读、图片加载失败时显示的文字）")
            }
            Msg::PinExpired { until } => format!("置顶已于 {until} 到期，页面已不再置顶"),
            Msg::PinnedButExpired { expires } => {
                format!("页面已于 {expires} 过了有效期，置顶不再生效")
            }
            Msg::Scheduled { date } => {
                format!("定时发布：页面日期是 {date}，在此之前不会出现在网站上")
            }
            Msg::UnusedFile { file } => format!("文件 {file} 没有被任何页面链接或使用"),
            Msg::LargeFile {
                file,
                size_mb,
                max_mb,
            } => format!(
                "文件 {file} 有 {size_mb} MB，超过了站点设定的 {max_mb} MB 上限，内网下载会很慢"
            ),
            Msg::ExternalCover { url } => {
                format!("封面图片是外部网址 {url}，内网电脑可能无法访问，因此不显示")
            }
            Msg::MisnamedMarkdown { file, .. } => format!(
                "{file} 看起来是一篇页面，但文件名不以 .md 结尾，所以不会生成页面，只会原样复制"
            ),
            Msg::InitNotEmpty { path } => {
                format!("文件夹 {path} 不是空的；为免覆盖已有文件，没有新建站点")
            }
            Msg::NoSectionForKind { kind } => {
                format!("没有哪个栏目的 _index.md 写了 kind: {kind}，不知道把新页面放在哪里")
            }
            Msg::SectionMissing { dir } => format!("栏目文件夹 {dir} 不存在"),
            Msg::SlugTaken { slug, other } => format!("slug “{slug}” 已被 {other} 使用"),
        }
    }

    fn text_en(&self) -> String {
        match self {
            Msg::ConfigMissing { path } => format!("site configuration {path} not found"),
            Msg::ConfigNotMap => "site.yaml must be a list of `key: value` lines".into(),
            Msg::BadTimezone { value } => format!("unknown time zone `{value}`"),
            Msg::BadLanguage { value } => format!("unsupported language `{value}`"),
            Msg::ThemeMissing { name, path, .. } => format!(
                "theme `{name}` not found: the site has no {path} folder and no built-in theme has that name"
            ),
            Msg::SplitListItem {
                field,
                written,
                items,
            } => format!(
                "`{field}`: the item `{written}` has full-width commas; it was split into: {items}"
            ),
            Msg::SecondColon { key, .. } => format!(
                "the value of `{key}` contains another `: `, which YAML reads as the start of another field"
            ),
            Msg::QuoteInQuotes { .. } => "the value contains the same quote that wraps it, so YAML ends the value at the second quote".into(),
            Msg::IndentedKey { key, .. } => format!(
                "`{key}` is indented, so YAML reads it as part of the line above"
            ),
            Msg::YamlTooDeep { max } => format!(
                "brackets nested more than {max} deep; front matter never needs that, and the file was not read so the build cannot stall"
            ),
            Msg::YamlTooLong { kb, max_kb } => format!(
                "the front matter is {kb} KB, over the {max_kb} KB limit; the file was not read so the build cannot stall"
            ),
            Msg::YamlSyntax { detail } => format!("invalid YAML: {detail}"),
            Msg::NoFrontMatter => {
                "the file does not start with front matter between --- lines".into()
            }
            Msg::UnclosedFrontMatter => {
                "front matter starts with --- but is never closed with ---".into()
            }
            Msg::TomlFrontMatter => {
                "front matter is TOML (+++); unionpress reads YAML (---)".into()
            }
            Msg::FrontMatterNotMap => "front matter must be a list of `key: value` lines".into(),
            Msg::MissingField { field } => format!("required field `{field}` is missing"),
            Msg::WrongType {
                field,
                expect,
                found,
            } => format!(
                "`{field}` should be {}, found {}",
                expect.name(Lang::En),
                found_name(Lang::En, found)
            ),
            Msg::BadDate { field, value } => format!("`{field}`: cannot read the date `{value}`"),
            Msg::UnknownKind { value } => format!("unknown section kind `{value}`"),
            Msg::UnknownSort { value } => format!("unknown sort order `{value}`"),
            Msg::UnknownUrgency { value } => format!("unknown urgency `{value}`"),
            Msg::UnknownKey { key, .. } => format!("unknown field `{key}` (kept in page.extra)"),
            Msg::DuplicateKey { key, other } if key == other => {
                format!("`{key}` is written twice; only one value can count")
            }
            Msg::DuplicateKey { key, other } => {
                format!("`{key}` repeats `{other}` (the same field written twice)")
            }
            Msg::DuplicateUrl { url, other } => {
                format!("URL {url} is also written by {other}; two pages cannot share one URL")
            }
            Msg::BrokenLink { target } => {
                format!("link to a page or file that does not exist: {target}")
            }
            Msg::MissingAttachment { file } => format!("attachment not found: {file}"),
            Msg::MissingCover { file } => format!("cover image not found: {file}"),
            Msg::NotUtf8 => "the file is not UTF-8 text".into(),
            Msg::Template { detail } => format!("template error: {detail}"),
            Msg::TemplateMissing { name } => format!("template {name} not found"),
            Msg::Io { path, detail } => format!("cannot read or write {path}: {detail}"),
            Msg::BadNow { value } => format!("cannot read the --now time `{value}`"),
            Msg::BadSlug { value } => format!("slug `{value}` cannot be used in a URL"),
            Msg::UnsafeOutput { path } => format!(
                "refusing to write the site into {path}: it is the site folder or one of its source folders"
            ),
            Msg::YamlProblem { issue } => match issue {
                YamlIssue::ColonInValue => {
                    "this value contains `: `, which YAML reads as the start of another field"
                        .into()
                }
                YamlIssue::BadIndent => {
                    "this line is indented, so YAML reads it as part of the line above".into()
                }
                YamlIssue::UnclosedQuote => "the quote that starts here is never closed".into(),
                YamlIssue::StrayQuote => "there is more text after the closing quote".into(),
                YamlIssue::UnclosedBracket => "the [ ] list is not closed".into(),
                YamlIssue::ReservedStart => "a value cannot start with @, `, % or *".into(),
                YamlIssue::MissingColon => {
                    "this line is neither `key: value` nor a list item".into()
                }
            },
            Msg::TabInYaml => "indented with a tab; YAML only accepts spaces".into(),
            Msg::FullWidthColon { key } => {
                format!("`{key}` is followed by a full-width colon `：`; YAML needs `:`")
            }
            Msg::NoSpaceAfterColon { key } => format!("no space after the colon of `{key}`"),
            Msg::UnclosedFrontMatterAfter { line } => format!(
                "front matter starts with --- on line 1 but is never closed (it seems to end after line {line})"
            ),
            Msg::FrontMatterNotAtStart => {
                "the front matter's --- must be the very first line; there are blank lines above it"
                    .into()
            }
            Msg::DecodedEncoding { encoding } => {
                format!("the file is in {encoding}; it was converted, but please save it as UTF-8")
            }
            Msg::UnsureEncoding { encoding } => format!(
                "the file is not UTF-8; it looks like {encoding} but not certainly, so it was not read (to avoid garbled text)"
            ),
            Msg::LinkNeedsFix { target, .. } => format!(
                "`{target}` is not a complete address; a browser would look for a file of that name on this site"
            ),
            Msg::BrokenAnchor {
                target, fragment, ..
            } => {
                if target.is_empty() {
                    format!("no heading on this page for the link #{fragment}")
                } else {
                    format!("no heading in {target} for the link #{fragment}")
                }
            }
            Msg::ImageNoAlt { src } => format!(
                "image {src} has no alternative text (read aloud by screen readers, shown when the image fails to load)"
            ),
            Msg::PinExpired { until } => {
                format!("pinning ended on {until}; the page is no longer pinned")
            }
            Msg::PinnedButExpired { expires } => {
                format!("the page expired on {expires}, so it is no longer pinned")
            }
            Msg::Scheduled { date } => {
                format!("scheduled: the page is dated {date} and stays off the site until then")
            }
            Msg::UnusedFile { file } => format!("no page links to or uses {file}"),
            Msg::LargeFile {
                file,
                size_mb,
                max_mb,
            } => format!(
                "{file} is {size_mb} MB, over the site's limit of {max_mb} MB; it will download slowly on the intranet"
            ),
            Msg::ExternalCover { url } => format!(
                "the cover image is an outside address ({url}) that intranet computers may not reach; it is not shown"
            ),
            Msg::MisnamedMarkdown { file, .. } => format!(
                "{file} looks like a page, but its name does not end in .md, so it is copied as a file instead of becoming a page"
            ),
            Msg::InitNotEmpty { path } => format!(
                "the folder {path} is not empty; no site was created, to avoid overwriting files"
            ),
            Msg::NoSectionForKind { kind } => format!(
                "no section's _index.md says `kind: {kind}`, so it is unclear where the new page goes"
            ),
            Msg::SectionMissing { dir } => format!("the section folder {dir} does not exist"),
            Msg::SlugTaken { slug, other } => {
                format!("the slug `{slug}` is already used by {other}")
            }
        }
    }

    pub fn hint(&self, lang: Lang) -> Option<String> {
        let zh = lang == Lang::Zh;
        let pick = |a: &str, b: &str| Some(if zh { a.to_string() } else { b.to_string() });
        match self {
            Msg::ConfigMissing { .. } => pick(
                "在站点根目录新建 site.yaml，至少写一行：title: 某某公司工会；或运行 unionpress init 新建站点",
                "create site.yaml in the site root with at least `title: My Union`, or run `unionpress init`",
            ),
            Msg::BadTimezone { .. } => pick(
                "请写成 IANA 时区名，例如 timezone: Asia/Shanghai",
                "use an IANA name such as `timezone: Asia/Shanghai`",
            ),
            Msg::BadLanguage { .. } => pick("可选 zh-CN 或 en", "use `zh-CN` or `en`"),
            Msg::ThemeMissing { available, .. } => Some(if zh {
                format!(
                    "可用的主题：{available}。把 site.yaml 中的 theme 改成其中之一，或删除这一行以使用内置的 default 主题"
                )
            } else {
                format!(
                    "available themes: {available}. Set `theme:` in site.yaml to one of them, or remove the line to use the built-in default theme"
                )
            }),
            Msg::SecondColon { fixed, .. } => Some(if zh {
                format!("给整个值加上英文双引号，写成：{fixed}")
            } else {
                format!("put the whole value in double quotes: {fixed}")
            }),
            Msg::QuoteInQuotes { fixed, single } => Some(match (zh, single) {
                (true, Some(single)) => format!(
                    "把值里的引号改成中文引号“ ”，写成：{fixed}\n或者用英文单引号包住整个值：{single}"
                ),
                (true, None) => format!("去掉包住整个值的引号，写成：{fixed}"),
                (false, Some(single)) => format!(
                    "use Chinese quotes “ ” inside the value: {fixed}\nor wrap the whole value in single quotes: {single}"
                ),
                (false, None) => format!("drop the quotes around the value: {fixed}"),
            }),
            Msg::IndentedKey { fixed, .. } => Some(if zh {
                format!("删除行首的空格，写成：{fixed}")
            } else {
                format!("remove the spaces at the start of the line: {fixed}")
            }),
            Msg::YamlTooDeep { .. } | Msg::YamlTooLong { .. } => pick(
                "检查这个文件是否被误改或损坏；页面信息只需要 title、date 等几行",
                "check whether the file was damaged; front matter is a few lines like title and date",
            ),
            Msg::SplitListItem { .. } => pick(
                "列表里的项目之间请用英文逗号加空格分隔，例如 tags: [职代会, 民主管理]",
                "separate list items with an ASCII comma and a space, e.g. `tags: [one, two]`",
            ),
            Msg::YamlSyntax { .. } => pick(
                "检查这一行：冒号后要有一个空格，列表项以“- ”开头，缩进用空格不用 Tab，含冒号或 # 的内容加英文引号",
                "check this line: a space after each colon, list items start with `- `, indent with spaces (no tabs), quote values containing `:` or `#`",
            ),
            Msg::NoFrontMatter => pick(
                "在文件第一行加入：\n---\ntitle: 标题\ndate: 2024-03-05\n---",
                "start the file with:\n---\ntitle: Title\ndate: 2024-03-05\n---",
            ),
            Msg::UnclosedFrontMatter => pick(
                "在页面信息最后一行之后单独写一行 ---",
                "add a line with just --- after the last front-matter line",
            ),
            Msg::TomlFrontMatter => pick(
                "把 +++ 换成 ---，并把 key = \"value\" 改写为 key: value",
                "replace +++ with --- and rewrite `key = \"value\"` as `key: value`",
            ),
            Msg::FrontMatterNotMap => pick(
                "每行写成“字段: 值”，例如 title: 关于……的通知",
                "write one `key: value` per line, e.g. `title: Notice`",
            ),
            Msg::MissingField { field } => Some(match (zh, field.as_str()) {
                (true, "date") => "加一行发布日期，例如 date: 2024-03-05".into(),
                (false, "date") => "add the publication date, e.g. `date: 2024-03-05`".into(),
                (true, _) => format!("加一行 {field}: …，例如 title: 关于召开职工代表大会的通知"),
                (false, _) => format!("add a line `{field}: …`"),
            }),
            Msg::WrongType { expect, .. } => Some(if zh {
                format!("请写成：{}", expect.example())
            } else {
                format!("write it like: {}", expect.example())
            }),
            Msg::BadDate { .. } => pick(
                "可用的写法：2024-03-05、2024-03-05 14:30、2024/3/5、2024年3月5日、2024-03-05T14:30:00+08:00",
                "accepted forms: 2024-03-05, 2024-03-05 14:30, 2024/3/5, 2024年3月5日, 2024-03-05T14:30:00+08:00",
            ),
            Msg::UnknownKind { .. } => pick(
                "kind 可选：notice（通知公告）、policy（政策解读）、event（活动报道）、page（服务页面）",
                "kind is one of: notice, policy, event, page",
            ),
            Msg::UnknownSort { .. } => pick(
                "sort 可选：date（默认，置顶在前、新的在前）、date_asc（旧的在前）、title（按标题）",
                "sort is one of: date (default), date_asc, title",
            ),
            Msg::UnknownUrgency { .. } => {
                pick("urgency 可选：加急、特急", "urgency is one of: 加急, 特急")
            }
            Msg::UnknownKey {
                suggestion: Some(s),
                ..
            } => Some(if zh {
                format!("是不是想写 `{s}`？")
            } else {
                format!("did you mean `{s}`?")
            }),
            Msg::UnknownKey {
                suggestion: None, ..
            } => None,
            Msg::DuplicateKey { key, other } if key == other => pick(
                "删除其中一行，只保留要用的那个值",
                "delete one of the two lines, keeping the value you mean",
            ),
            Msg::DuplicateKey { .. } => pick(
                "删除其中一行（中文和英文字段名含义相同，只写一个）",
                "delete one of the two lines (the Chinese and English names mean the same field)",
            ),
            Msg::DuplicateUrl { .. } => pick(
                "给其中一个页面写一个不同的 slug，例如 slug: zhidaihui-2024",
                "give one of the pages a different `slug:`",
            ),
            Msg::BrokenLink { .. } => pick(
                "检查文件名和路径是否写对；链接其他页面时写相对路径，如 ../services/legal-aid.md",
                "check the file name and path; link other pages by relative path, e.g. ../services/legal-aid.md",
            ),
            Msg::MissingAttachment { .. } | Msg::MissingCover { .. } => pick(
                "把文件放到与 index.md 相同的文件夹（页面包）里，并检查文件名是否一致",
                "put the file in the same folder as index.md (the page bundle) and check the file name",
            ),
            Msg::NotUtf8 => pick(
                "用记事本或 VS Code 打开此文件，“另存为”时编码选择 UTF-8",
                "open the file in your editor and save it again with UTF-8 encoding",
            ),
            Msg::Template { .. } | Msg::TemplateMissing { .. } => pick(
                "检查模板这一行的 {{ }} 和 {% %} 是否成对、变量名是否写对（可用变量见 docs/THEMES.md）",
                "check that {{ }} and {% %} are balanced and the names exist (see docs/THEMES.md)",
            ),
            Msg::BadNow { .. } => pick(
                "例如 --now 2024-03-05 或 --now \"2024-03-05 09:00\"",
                "e.g. --now 2024-03-05 or --now \"2024-03-05 09:00\"",
            ),
            Msg::BadSlug { .. } => pick(
                "slug 只用字母、数字、汉字和连字符，例如 slug: zhidaihui-2024",
                "use letters, digits and hyphens, e.g. `slug: annual-meeting-2024`",
            ),
            Msg::UnsafeOutput { .. } => pick(
                "用 --output 指定一个单独的目录，例如 --output public",
                "pass a separate folder, e.g. `--output public`",
            ),
            Msg::YamlProblem { issue } => match issue {
                YamlIssue::ColonInValue => pick(
                    "给整个值加上英文双引号，例如 title: \"会议安排: 第一天\"",
                    "put the whole value in double quotes, e.g. `title: \"Agenda: day one\"`",
                ),
                YamlIssue::BadIndent => pick(
                    "字段名要顶格写：删除行首的空格。只有列表项（- …）和附件的 file/title 才缩进",
                    "start field names at the beginning of the line; only list items (- …) are indented",
                ),
                YamlIssue::UnclosedQuote => pick(
                    "在值的末尾补上同样的引号，例如 title: \"关于召开职工代表大会的通知\"",
                    "close the quote at the end of the value, e.g. `title: \"Annual meeting\"`",
                ),
                YamlIssue::StrayQuote => pick(
                    "值里本身有单引号时，用双引号把整个值包起来，例如 title: \"It's 工会\"；或去掉开头的引号",
                    "if the value contains a quote, wrap it all in the other kind, e.g. `title: \"It's ours\"`",
                ),
                YamlIssue::UnclosedBracket => pick(
                    "写成 tags: [职代会, 民主管理]：项目之间用英文逗号分隔，最后要有 ]",
                    "write `tags: [one, two]`: commas between items and a closing ]",
                ),
                YamlIssue::ReservedStart => pick(
                    "给整个值加上英文双引号，例如 author: \"@工会办公室\"",
                    "put the value in double quotes, e.g. `author: \"@office\"`",
                ),
                YamlIssue::MissingColon => pick(
                    "写成“字段: 值”（英文冒号后加一个空格）；如果这一行是正文，说明结束页面信息的 --- 写漏了或放错了位置",
                    "write `key: value` (a space after the colon); if this line is body text, the closing --- is missing or misplaced",
                ),
            },
            Msg::TabInYaml => pick("把这个 Tab 换成两个空格", "replace the tab with two spaces"),
            Msg::FullWidthColon { key } => Some(if zh {
                format!("把“：”改成英文冒号再加一个空格，写成 {key}: …")
            } else {
                format!("use an ASCII colon and a space: `{key}: …`")
            }),
            Msg::NoSpaceAfterColon { key } => Some(if zh {
                format!("在冒号后加一个空格，写成 {key}: …")
            } else {
                format!("add a space after the colon: `{key}: …`")
            }),
            Msg::UnclosedFrontMatterAfter { line } => Some(if zh {
                format!("在第 {line} 行之后单独写一行 ---，把页面信息和正文分开")
            } else {
                format!("add a line with just --- after line {line}")
            }),
            Msg::FrontMatterNotAtStart => pick(
                "删除 --- 上面的空行，让 --- 成为第一行",
                "delete the blank lines above the ---",
            ),
            Msg::DecodedEncoding { .. } | Msg::UnsureEncoding { .. } => pick(
                "用记事本打开这个文件，选择“文件 → 另存为”，把下方的“编码”选为 UTF-8 后保存；WPS 和 VS Code 另存时也可选择 UTF-8 编码",
                "open the file in Notepad, choose File → Save As, set Encoding to UTF-8 and save",
            ),
            Msg::LinkNeedsFix { fix, .. } => Some(if zh {
                format!("把括号里的地址改为 {fix}")
            } else {
                format!("write the address as {fix}")
            }),
            Msg::BrokenAnchor {
                suggestion: Some(s),
                ..
            } => Some(if zh {
                format!("是不是想写 #{s}？")
            } else {
                format!("did you mean #{s}?")
            }),
            Msg::BrokenAnchor {
                suggestion: None, ..
            } => pick(
                "锚点由标题文字生成：标题“一、参会人员”的锚点是 #一参会人员；也可以在标题末尾写 {#名称} 自定义锚点",
                "anchors come from heading text: `## Who attends` is #who-attends; or add {#name} at the end of the heading",
            ),
            Msg::ImageNoAlt { .. } => pick(
                "在方括号里写上图片的内容，例如 ![职工运动会拔河比赛](tug-of-war.jpg)",
                "describe the picture inside the brackets, e.g. ![Tug of war at the sports day](tug-of-war.jpg)",
            ),
            Msg::PinExpired { .. } => pick(
                "要继续置顶，就把 pinned_until（置顶至）改为新的日期；不再需要置顶，就删除 pinned 和 pinned_until 两行",
                "to keep it pinned set a new `pinned_until`; otherwise delete `pinned` and `pinned_until`",
            ),
            Msg::PinnedButExpired { .. } => pick(
                "删除 pinned（置顶）一行，或把 expires（有效期至）改为新的日期",
                "delete `pinned`, or move `expires` to a new date",
            ),
            Msg::Scheduled { .. } => pick(
                "到期后重新构建即会发布；要现在发布，把 date 改为今天或更早；预览可加 --future",
                "it is published by the first build on or after that date; to publish now, set `date` to today; preview with --future",
            ),
            Msg::UnusedFile { .. } => pick(
                "在页面正文里链接它（例如 [下载报名表](报名表.docx)），或写进 attachments；不再需要就删除它",
                "link to it from a page (e.g. [Form](form.docx)) or list it under `attachments`; delete it if unneeded",
            ),
            Msg::LargeFile { .. } => pick(
                "压缩后再放入（图片可缩小尺寸，PDF 可用 WPS 的“PDF 压缩”），或拆分成几个文件；确需更大的文件，可在 site.yaml 中调大 max_attachment_mb",
                "compress it (smaller images, a compressed PDF) or split it; or raise `max_attachment_mb` in site.yaml",
            ),
            Msg::ExternalCover { .. } => pick(
                "把图片下载后放进页面所在的文件夹，写成 cover: cover.jpg",
                "download the image into the page's folder and write `cover: cover.jpg`",
            ),
            Msg::MisnamedMarkdown { rename_to, .. } => Some(if zh {
                format!("如果它是一篇页面，请改名为 {rename_to}；如果是要下载的文件，可以忽略")
            } else {
                format!(
                    "if it is a page, rename it to {rename_to}; if it is a download, ignore this"
                )
            }),
            Msg::InitNotEmpty { .. } => pick(
                "换一个空文件夹，例如 unionpress init 我的工会网站；或加上 --force 写入（同名文件会被替换）",
                "choose an empty folder, or add --force (files with the same names are replaced)",
            ),
            Msg::NoSectionForKind { kind } => Some(if zh {
                format!(
                    "用 --section 指定栏目文件夹，例如 --section notices；或在栏目的 _index.md 中写 kind: {kind}"
                )
            } else {
                format!(
                    "pass --section, e.g. --section notices, or write `kind: {kind}` in a section's _index.md"
                )
            }),
            Msg::SectionMissing { .. } => pick(
                "检查文件夹名，例如 --section notices（相对于 content 文件夹）",
                "check the folder name, e.g. --section notices (relative to content/)",
            ),
            Msg::SlugTaken { .. } => pick(
                "换一个 --slug，例如在末尾加上年份：--slug zhidaihui-2025",
                "choose another --slug, e.g. add the year: --slug annual-meeting-2025",
            ),
            Msg::ConfigNotMap | Msg::Io { .. } => None,
        }
    }
}
