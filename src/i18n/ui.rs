//! Strings the theme shows (`t.*` in templates), in each language.

use super::Lang;

/// `(key, Chinese, English)`.
const STRINGS: &[(&str, &str, &str)] = &[
    ("home", "首页", "Home"),
    ("pinned", "置顶", "Pinned"),
    ("expired", "已失效", "Expired"),
    (
        "expired_notice",
        "本文已过有效期，仅供查阅存档。",
        "This item has expired and is kept for the record.",
    ),
    ("latest", "最新发布", "Latest"),
    ("more", "更多", "More"),
    ("attachments", "附件", "Attachments"),
    ("download", "下载", "Download"),
    ("doc_number", "文号", "Document No."),
    ("department", "发布部门", "Department"),
    ("published", "发布日期", "Published"),
    ("updated", "更新日期", "Updated"),
    ("author", "作者", "Author"),
    ("editor", "责任编辑", "Editor"),
    ("reviewer", "审核", "Reviewed by"),
    ("contact", "联系人", "Contact"),
    ("recipients", "主送", "To"),
    ("cc", "抄送", "Cc"),
    ("urgency", "紧急程度", "Urgency"),
    ("signed_on", "成文日期", "Signed on"),
    ("issuer", "制定机关", "Issued by"),
    ("policy_number", "文件编号", "Policy No."),
    ("effective", "施行日期", "Effective"),
    ("source", "来源", "Source"),
    ("view_source", "查看原文", "View the original"),
    ("event_date", "活动时间", "Date"),
    ("location", "活动地点", "Location"),
    ("organizer", "主办单位", "Organizer"),
    ("participants", "参加人数", "Participants"),
    ("participants_unit", "人", "people"),
    ("tags", "标签", "Tags"),
    ("all_tags", "全部标签", "All tags"),
    ("prev_page", "上一页", "Previous"),
    ("next_page", "下一页", "Next"),
    ("page_n_of", "页", "page"),
    ("not_found_title", "页面不存在", "Page not found"),
    (
        "not_found_text",
        "您访问的页面不存在或已被移除。",
        "The page you asked for does not exist or has been removed.",
    ),
    ("back_home", "返回首页", "Back to the home page"),
    ("search", "搜索", "Search"),
    (
        "search_placeholder",
        "搜索通知、政策、活动……",
        "Search notices, policies, events…",
    ),
    ("toc", "目录", "Contents"),
    ("hotline", "服务热线", "Hotline"),
    ("mailbox", "电子邮箱", "Email"),
    ("office", "办公地点", "Office"),
    ("no_pages", "暂无内容", "Nothing here yet"),
    ("sections", "栏目", "Sections"),
    ("pages_count", "篇", "items"),
    ("skip_to_content", "跳到正文", "Skip to content"),
    ("menu", "菜单", "Menu"),
    ("print", "打印", "Print"),
    ("printed_by", "印发机关", "Printed by"),
    ("printed_suffix", "印发", " (printed)"),
    ("qr_caption", "扫码阅读网页版", "Scan to read online"),
    ("printed_from", "本文来自", "From "),
    ("expires", "有效期至", "Valid until"),
    ("breadcrumb", "当前位置", "Breadcrumb"),
    ("pagination", "分页", "Pagination"),
    ("search_title", "站内搜索", "Search this site"),
    (
        "search_hint",
        "输入标题、文号、部门或正文中的词语；多个词语用空格分开，结果须同时包含。",
        "Type words from a title, document number, department or text; separate several words with spaces to find pages with all of them.",
    ),
    ("search_results", "找到 {count} 条结果", "{count} results"),
    (
        "search_none",
        "没有找到相关内容，请换个词语或减少词语再试。",
        "Nothing found. Try other or fewer words.",
    ),
    ("search_more", "显示更多结果", "Show more results"),
    (
        "search_unavailable",
        "搜索索引未能加载，请重新生成网站后再试。",
        "The search index could not be loaded; rebuild the site and try again.",
    ),
    (
        "search_noscript",
        "搜索需要浏览器启用 JavaScript。也可以通过栏目、标签、发布部门和归档查找内容。",
        "Search needs JavaScript. You can also browse by section, tag, department or archive.",
    ),
    ("related", "相关内容", "Related"),
    ("departments", "发布部门", "Departments"),
    ("all_departments", "全部发布部门", "All departments"),
    ("archive", "归档", "Archive"),
    ("archive_by_month", "按月份浏览", "Browse by month"),
    ("downloads", "下载中心", "Downloads"),
    (
        "downloads_intro",
        "本站全部附件，按发布时间从新到旧排列。",
        "Every attachment on this site, newest first.",
    ),
    ("file_name", "文件名称", "File"),
    ("file_type", "类型", "Type"),
    ("file_size", "大小", "Size"),
    ("date", "日期", "Date"),
    ("source_page", "所属页面", "Page"),
    ("feed", "订阅", "Feed"),
    // Accessibility: text size and contrast switch, 新 marks, task lists,
    // the contact page (theme.js, base.html, contact.html).
    ("display_mode", "显示方式", "Display"),
    ("size_standard", "标准", "Standard"),
    ("size_large", "大字", "Large"),
    ("high_contrast", "高对比", "High contrast"),
    ("new_mark", "新", "New"),
    ("task_done", "已完成", "done"),
    ("task_todo", "未完成", "to do"),
    ("table", "表格", "Table"),
    ("report", "我要反映", "Contact us"),
    ("contact_title", "联系工会", "Contact the union"),
    (
        "contact_intro",
        "有意见、建议或困难，欢迎通过以下方式向工会反映。本网站不收集任何信息，请直接拨打电话、发送邮件或前往办公地点。",
        "Questions, suggestions or problems: reach the union in any of these ways. This site collects nothing; call, write or visit us.",
    ),
    ("hours", "接待时间", "Office hours"),
    ("call", "拨打", "Call"),
    ("write_mail", "写邮件", "Write an email"),
    ("mail_subject", "职工反映", "A member writes"),
    ("online_form", "网上反映", "Online form"),
    ("open_form", "打开反映页面", "Open the form"),
    (
        "opens_elsewhere",
        "（在其他网站打开）",
        " (opens another site)",
    ),
];

/// All strings for one language, as the `t` map templates read.
pub fn strings(lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
    STRINGS
        .iter()
        .map(move |(k, zh, en)| (*k, if lang == Lang::Zh { *zh } else { *en }))
}

/// One string (the key itself if there is none, so a typo shows).
pub fn get(lang: Lang, key: &str) -> &str {
    strings(lang)
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_translated() {
        let mut keys: Vec<_> = STRINGS.iter().map(|s| s.0).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "duplicate UI string key");
        assert!(
            STRINGS
                .iter()
                .all(|(_, zh, en)| !zh.is_empty() && !en.is_empty())
        );
    }
}
