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
}

impl Msg {
    pub fn code(&self) -> &'static str {
        match self {
            Msg::ConfigMissing { .. } => "config-missing",
            Msg::ConfigNotMap => "config-not-map",
            Msg::BadTimezone { .. } => "bad-timezone",
            Msg::BadLanguage { .. } => "bad-language",
            Msg::ThemeMissing { .. } => "theme-missing",
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
            Msg::ThemeMissing { name, path } => format!("找不到主题“{name}”（应在 {path}）"),
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
        }
    }

    fn text_en(&self) -> String {
        match self {
            Msg::ConfigMissing { path } => format!("site configuration {path} not found"),
            Msg::ConfigNotMap => "site.yaml must be a list of `key: value` lines".into(),
            Msg::BadTimezone { value } => format!("unknown time zone `{value}`"),
            Msg::BadLanguage { value } => format!("unsupported language `{value}`"),
            Msg::ThemeMissing { name, path } => {
                format!("theme `{name}` not found (looked in {path})")
            }
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
            Msg::ThemeMissing { .. } => pick(
                "检查 site.yaml 中的 theme，或删除该行以使用内置的 default 主题",
                "check `theme:` in site.yaml, or remove it to use the built-in default theme",
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
            Msg::ConfigNotMap | Msg::Io { .. } => None,
        }
    }
}
