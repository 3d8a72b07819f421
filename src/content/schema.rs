//! What front matter may say: the kinds of content, the keys each knows, and
//! the Chinese spellings editors may use for them.

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Kind {
    Notice,
    Policy,
    Event,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Notice, Kind::Policy, Kind::Event, Kind::Page];

    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim() {
            "notice" | "通知" | "通知公告" => Some(Kind::Notice),
            "policy" | "政策" | "政策解读" => Some(Kind::Policy),
            "event" | "活动" | "活动报道" => Some(Kind::Event),
            "page" | "页面" | "服务" => Some(Kind::Page),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Notice => "notice",
            Kind::Policy => "policy",
            Kind::Event => "event",
            Kind::Page => "page",
        }
    }

    /// The template a page of this kind renders with.
    pub fn template(self) -> &'static str {
        match self {
            Kind::Notice => "notice.html",
            Kind::Policy => "policy.html",
            Kind::Event => "event.html",
            Kind::Page => "page.html",
        }
    }
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Sort {
    /// Pinned first, then newest first.
    #[default]
    Date,
    /// Oldest first (a series, a schedule).
    DateAsc,
    Title,
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        match s.trim() {
            "date" | "date_desc" | "newest" => Some(Sort::Date),
            "date_asc" | "oldest" => Some(Sort::DateAsc),
            "title" => Some(Sort::Title),
            _ => None,
        }
    }
}

pub const URGENCIES: &[&str] = &["加急", "特急"];

/// Keys every page knows.
pub const PAGE_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "draft",
    "summary",
    "tags",
    "slug",
    "author",
    "editor",
    "reviewer",
    "department",
    "pinned",
    "pinned_until",
    "expires",
    "attachments",
    "template",
    "kind",
    // from Jekyll, Hexo and Hugo: the summary, and more tags
    "description",
    "categories",
    // notice
    "doc_number",
    "urgency",
    "recipients",
    "cc",
    "signed_on",
    "contact",
    "printed_by",
    "printed_on",
    "title_lines",
    // policy
    "issuer",
    "policy_number",
    "effective",
    "source",
    "source_url",
    // event
    "event_date",
    "location",
    "organizer",
    "participants",
    "cover",
];

pub const SECTION_KEYS: &[&str] = &[
    "title",
    "kind",
    "paginate",
    "sort",
    "description",
    "template",
    "summary",
];

/// Chinese key → key. Both spellings of one key in one file is an error.
pub const ALIASES: &[(&str, &str)] = &[
    ("标题", "title"),
    ("日期", "date"),
    ("发布日期", "date"),
    ("更新日期", "updated"),
    ("草稿", "draft"),
    ("摘要", "summary"),
    ("标签", "tags"),
    ("作者", "author"),
    ("责任编辑", "editor"),
    ("审核", "reviewer"),
    ("发布部门", "department"),
    ("发布单位", "department"),
    ("置顶", "pinned"),
    ("置顶至", "pinned_until"),
    ("有效期至", "expires"),
    ("附件", "attachments"),
    ("文号", "doc_number"),
    ("紧急程度", "urgency"),
    ("主送", "recipients"),
    ("抄送", "cc"),
    ("成文日期", "signed_on"),
    ("联系人", "contact"),
    ("印发机关", "printed_by"),
    ("印发日期", "printed_on"),
    ("标题分行", "title_lines"),
    ("制定机关", "issuer"),
    ("文件编号", "policy_number"),
    ("施行日期", "effective"),
    ("来源", "source"),
    ("原文链接", "source_url"),
    ("活动日期", "event_date"),
    ("地点", "location"),
    ("主办", "organizer"),
    ("参加人数", "participants"),
    ("封面", "cover"),
    ("类型", "kind"),
    ("栏目类型", "kind"),
    ("说明", "description"),
    ("每页条数", "paginate"),
    ("排序", "sort"),
];
