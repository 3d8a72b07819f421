//! The command line in Chinese, the default: `--help` texts, headings and
//! clap's own error messages. clap parses before the site's language is
//! known, so [`lang_from_argv`] decides first, from `--lang` or the
//! `language:` line of the site.yaml that the command will use.

use std::path::{Path, PathBuf};

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

use crate::i18n::Lang;

/// `--lang en`/`--lang=en` on the command line, else `language: en` in the
/// site.yaml of `--root` (or of the current folder or a parent), else
/// Chinese.
pub fn lang_from_argv(args: &[String]) -> Lang {
    let value_of = |flag: &str| {
        args.iter().enumerate().find_map(|(i, a)| {
            if a == flag {
                args.get(i + 1).cloned()
            } else {
                a.strip_prefix(&format!("{flag}=")).map(str::to_string)
            }
        })
    };
    if let Some(lang) = value_of("--lang").and_then(|v| Lang::from_tag(&v)) {
        return lang;
    }
    let root = value_of("--root").map_or_else(|| PathBuf::from("."), PathBuf::from);
    site_language(&root).unwrap_or(Lang::Zh)
}

/// The `language:` of the site.yaml found from `root` up, read as a line
/// (the file may have errors that the command itself will report).
fn site_language(root: &Path) -> Option<Lang> {
    let dir = super::find_site_root(root)?;
    let text = std::fs::read_to_string(dir.join(crate::config::FILE_NAME)).ok()?;
    text.lines().find_map(|line| {
        let value = line.strip_prefix("language:")?;
        let value = value.split('#').next()?.trim().trim_matches(['"', '\'']);
        Lang::from_tag(value)
    })
}

/// Help texts by subcommand (`""` for the top level) and argument id.
const ABOUT: &[(&str, &str)] = &[
    (
        "",
        "工会内网站点生成器：把 Markdown 文件夹生成为可离线浏览的内网网站",
    ),
    ("build", "生成网站到输出文件夹（默认 public/）"),
    ("init", "新建一个可以直接生成的站点（默认在当前文件夹）"),
    (
        "new",
        "新建一篇页面：notice、policy、event 或 page，并写上标题",
    ),
    (
        "check",
        "找出生成时会遇到的所有问题（以及更多），不写出网站",
    ),
    ("watch", "生成网站，并在文件变化时自动更新输出文件夹"),
    (
        "serve",
        "在 watch 的基础上用浏览器预览网站，保存文件后自动刷新",
    ),
];

const ARGS: &[(&str, &str, &str)] = &[
    (
        "*",
        "lang",
        "消息语言：zh（默认，或 site.yaml 中的 language）或 en",
    ),
    (
        "*",
        "root",
        "站点文件夹（site.yaml 所在的文件夹；默认从当前文件夹向上查找）",
    ),
    (
        "*",
        "output",
        "网站输出到哪个文件夹（默认：站点文件夹中的 public）",
    ),
    ("*", "drafts", "包括标有 draft: true 的草稿"),
    ("check", "drafts", "把草稿当作已发布来检查"),
    ("*", "future", "包括日期在将来的页面（定时发布）"),
    ("check", "future", "把日期在将来的页面当作已发布来检查"),
    (
        "*",
        "now",
        "按这个日期和时间生成（站点时区），例如 2024-03-05",
    ),
    (
        "*",
        "verbose",
        "逐条列出所有警告，包括在很多文件中重复出现的",
    ),
    (
        "*",
        "poll",
        "每隔这么多毫秒（默认 500）检查一次文件变化，不依赖系统通知（用于网络共享文件夹）",
    ),
    ("*", "bind", "监听的地址（默认 127.0.0.1：只有本机能访问）"),
    ("*", "port", "监听的端口（默认 1111；被占用时自动用下一个）"),
    (
        "*",
        "base_path",
        "在这个子路径下预览网站，与内网上的部署一致（例如 /union/；默认 /）",
    ),
    ("*", "open", "在默认浏览器中打开预览"),
    (
        "*",
        "format",
        "输出格式：text（默认，给人看）或 json（给编辑器工具）",
    ),
    (
        "*",
        "dir",
        "新站点的文件夹（不存在时新建；默认：当前文件夹）",
    ),
    ("*", "force", "文件夹不是空的也写入，同名文件会被替换"),
    (
        "*",
        "theme",
        "同时把内置主题复制到 themes/default/ 以便修改；在已有站点中只复制主题（已有的文件不覆盖）",
    ),
    (
        "*",
        "kind",
        "页面类型：notice（通知）、policy（政策）、event（活动）或 page（页面）",
    ),
    (
        "*",
        "title",
        "页面标题，例如 \"关于召开职工代表大会的通知\"",
    ),
    (
        "*",
        "bundle",
        "新建一个文件夹（页面包），照片和附件可以放在旁边",
    ),
    (
        "*",
        "section",
        "content/ 下的栏目文件夹，例如 notices（默认：_index.md 中写了这种 kind 的栏目）",
    ),
    ("*", "slug", "网址中的名称（默认：日期加标题）"),
    ("*", "date", "页面日期（默认：站点时区的今天）"),
    ("*", "help", "显示帮助"),
    ("*", "version", "显示版本号"),
];

/// The placeholder shown for an argument's value (`--root <文件夹>`).
const VALUE_NAMES: &[(&str, &str)] = &[
    ("lang", "语言"),
    ("root", "文件夹"),
    ("output", "文件夹"),
    ("now", "日期"),
    ("poll", "毫秒"),
    ("bind", "地址"),
    ("port", "端口"),
    ("base_path", "路径"),
    ("format", "格式"),
    ("dir", "文件夹"),
    ("kind", "类型"),
    ("title", "标题"),
    ("section", "栏目"),
    ("slug", "名称"),
    ("date", "日期"),
];

fn arg_help(sub: &str, id: &str) -> Option<&'static str> {
    ARGS.iter()
        .find(|(s, i, _)| *s == sub && *i == id)
        .or_else(|| ARGS.iter().find(|(s, i, _)| *s == "*" && *i == id))
        .map(|(_, _, h)| *h)
}

/// clap's placeholders in a usage line, in Chinese.
pub fn placeholders(text: &str) -> String {
    text.replace("[OPTIONS]", "[选项]")
        .replace("<COMMAND>", "<命令>")
}

/// `Usage: unionpress build [OPTIONS]` → `unionpress build [选项]`.
fn usage_zh(cmd: &mut Command) -> String {
    placeholders(
        cmd.render_usage()
            .to_string()
            .trim_start_matches("Usage:")
            .trim(),
    )
}

fn localize_one(mut cmd: Command, sub: &str) -> Command {
    if let Some((_, about)) = ABOUT.iter().find(|(s, _)| *s == sub) {
        cmd = cmd.about(*about);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let help = arg_help(sub, &id);
        let value_name = VALUE_NAMES.iter().find(|(i, _)| *i == id).map(|(_, v)| *v);
        cmd = cmd.mut_arg(id.as_str(), |a| {
            let heading = if a.is_positional() {
                "参数"
            } else {
                "选项"
            };
            let takes_values = a.get_action().takes_values();
            let a = a
                .help_heading(heading)
                .hide_default_value(takes_values)
                .hide_possible_values(takes_values);
            let a = match value_name {
                Some(v) if takes_values => a.value_name(v),
                _ => a,
            };
            match help {
                Some(h) => a.help(h),
                None => a,
            }
        });
    }
    // clap adds its English `--help`/`--version` when building; ours say
    // the same in Chinese.
    let version = sub.is_empty();
    cmd = cmd.disable_help_flag(true).arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help("显示帮助")
            .help_heading("选项"),
    );
    if version {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号")
                .help_heading("选项"),
        );
    }
    cmd.subcommand_help_heading("命令")
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
}

/// The whole command tree with Chinese texts.
pub fn localize(cmd: Command) -> Command {
    let mut cmd = localize_one(cmd.disable_help_subcommand(true), "");
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for sub in subs {
        cmd = cmd.mut_subcommand(sub.as_str(), |s| localize_one(s, &sub));
    }
    cmd
}

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// A clap error in Chinese: what is wrong, how the command is used, where
/// the help is. `None` for help and version output, which are printed as
/// they are.
pub fn error_text(e: &clap::Error, cmd: &mut Command) -> Option<String> {
    let arg = context(e, ContextKind::InvalidArg);
    let value = context(e, ContextKind::InvalidValue);
    let what = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::UnknownArgument => {
            let mut s = format!("无法识别的选项 {arg}");
            let tip = context(e, ContextKind::SuggestedArg);
            if !tip.is_empty() {
                s.push_str(&format!("；是不是想写 {tip}？"));
            }
            s
        }
        ErrorKind::InvalidSubcommand => {
            let tip = context(e, ContextKind::SuggestedSubcommand);
            let value = context(e, ContextKind::InvalidSubcommand);
            let mut s =
                format!("没有 {value} 这个命令（可用：build、init、new、check、watch、serve）");
            if !tip.is_empty() {
                s.push_str(&format!("；是不是想写 {tip}？"));
            }
            s
        }
        ErrorKind::InvalidValue => {
            let valid = context(e, ContextKind::ValidValue);
            if value.is_empty() {
                format!("{arg} 后面缺少值")
            } else if valid.is_empty() {
                format!("{arg} 的值“{value}”无效")
            } else {
                format!("{arg} 的值“{value}”无效，可选：{valid}")
            }
        }
        ErrorKind::ValueValidation => format!("{arg} 的值“{value}”无效：{}", e.kind()),
        ErrorKind::MissingRequiredArgument => format!("缺少必填的参数 {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "请写出要运行的命令：build、init、new、check、watch 或 serve".to_string()
        }
        ErrorKind::ArgumentConflict => {
            format!(
                "{arg} 不能和 {} 一起使用",
                context(e, ContextKind::PriorArg)
            )
        }
        ErrorKind::TooManyValues => format!("多余的参数“{value}”"),
        ErrorKind::NoEquals => format!("{arg} 的值要用等号写，例如 {arg}=值"),
        _ => format!("命令行有误：{}", e.kind()),
    };
    let usage = match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(u)) => {
            placeholders(u.to_string().trim_start_matches("Usage:").trim())
        }
        _ => usage_zh(cmd),
    };
    Some(format!(
        "错误：{what}\n\n用法：{usage}\n\n查看帮助：unionpress --help"
    ))
}
