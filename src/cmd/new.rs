//! `unionpress new notice|policy|event|page "标题"`: the command line of
//! [`crate::scaffold::page`], which writes the page.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::content::Kind;
use crate::diagnostics::{Diagnostic, Renderer, Sources};
use crate::i18n::{self, Lang};
use crate::scaffold::page::{self, Created, NewPage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// 通知公告
    #[value(alias = "通知", alias = "通知公告")]
    Notice,
    /// 政策解读
    #[value(alias = "政策", alias = "政策解读")]
    Policy,
    /// 活动报道
    #[value(alias = "活动", alias = "活动报道")]
    Event,
    /// 服务页面
    #[value(alias = "页面", alias = "服务")]
    Page,
}

impl KindArg {
    pub fn kind(self) -> Kind {
        match self {
            KindArg::Notice => Kind::Notice,
            KindArg::Policy => Kind::Policy,
            KindArg::Event => Kind::Event,
            KindArg::Page => Kind::Page,
        }
    }
}

#[derive(Args, Debug, Clone)]
pub struct NewArgs {
    /// notice (通知), policy (政策), event (活动) or page (页面).
    #[arg(value_enum)]
    pub kind: KindArg,
    /// The page's title, e.g. "关于召开职工代表大会的通知".
    pub title: String,
    /// Make a folder (a page bundle) so photos and attachments can go beside it.
    #[arg(long)]
    pub bundle: bool,
    /// The section folder under content/, e.g. notices (default: the section
    /// whose _index.md has this kind).
    #[arg(long)]
    pub section: Option<String>,
    /// The name in the page's URL (default: the date and the title).
    #[arg(long)]
    pub slug: Option<String>,
    /// The page's date (default: today in the site's time zone).
    #[arg(long)]
    pub date: Option<String>,
    /// The site folder (where site.yaml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

impl NewArgs {
    fn page(&self) -> NewPage {
        NewPage {
            kind: self.kind.kind(),
            title: self.title.clone(),
            bundle: self.bundle,
            section: self.section.clone(),
            slug: self.slug.clone(),
            date: self.date.clone(),
            root: self.root.clone(),
        }
    }
}

pub fn run(args: &NewArgs, lang: Option<Lang>) -> ExitCode {
    match create(args) {
        Ok((created, site_lang)) => {
            let lang = lang.unwrap_or(site_lang);
            if let Some((wanted, other)) = &created.adjusted {
                eprintln!(
                    "{}",
                    i18n::slug_adjusted(lang, wanted, other, &created.slug)
                );
            }
            let shown = created
                .path
                .strip_prefix(&args.root)
                .unwrap_or(&created.path);
            crate::cli::say(i18n::page_created(lang, &shown.display().to_string()));
            ExitCode::SUCCESS
        }
        Err((diags, sources)) => {
            Renderer {
                sources: &sources,
                lang: lang.unwrap_or_default(),
            }
            .emit_stderr(&diags);
            ExitCode::FAILURE
        }
    }
}

/// Creates the page; on failure, the problems and the texts they point into.
pub fn create(args: &NewArgs) -> Result<(Created, Lang), (Vec<Diagnostic>, Sources)> {
    page::create(&args.page())
}
