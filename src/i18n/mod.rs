//! The message catalogue: every word a user reads, in Chinese and English.
//!
//! Nothing outside this module holds user-facing text. Diagnostics carry a
//! typed [`Msg`]; it becomes words here, in the language the site (or
//! `--lang`) asks for. Theme strings (`t.*` in templates) live in [`ui`].

mod messages;
pub mod ui;

pub use messages::{Expect, Msg, YamlIssue};

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

pub fn hint_prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "提示：",
        Lang::En => "hint: ",
    }
}

/// `2024年3月5日` or `5 March 2024`.
pub fn format_date(lang: Lang, year: i16, month: i8, day: i8) -> String {
    match lang {
        Lang::Zh => format!("{year}年{month}月{day}日"),
        Lang::En => {
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
            let m = MONTHS
                .get((month.max(1) - 1) as usize)
                .copied()
                .unwrap_or("");
            format!("{day} {m} {year}")
        }
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

pub fn warnings_only(lang: Lang, warnings: usize) -> String {
    match lang {
        Lang::Zh => format!("{warnings} 个警告"),
        Lang::En => format!("{warnings} warning(s)"),
    }
}
