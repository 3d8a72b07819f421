//! Generates a large Chinese union site for benchmarks:
//!
//! ```text
//! cargo run --release --example gen_site -- <folder> [pages]   # default 10000
//! ```
//!
//! The folder gets `site.yaml`, the repository's default theme and
//! `content/` with the four kinds (notices with 文号, policies, events,
//! service pages) spread over years, with tags, departments, pinned and
//! expired pages, page bundles with small attachments and cover images, and
//! bodies of several paragraphs with headings, a table, a list and links to
//! other pages and to bundle files. Every link resolves, so the site builds
//! without errors (`--now 2026-11-21`). The same arguments always give the
//! same bytes: a small LCG, no `rand`.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Knuth's MMIX LCG; the high bits are good enough to pick words.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// True with probability `pct` percent.
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Notice,
    Policy,
    Event,
    Service,
}

impl Kind {
    fn dir(self) -> &'static str {
        match self {
            Kind::Notice => "notices",
            Kind::Policy => "policies",
            Kind::Event => "events",
            Kind::Service => "services",
        }
    }
}

/// What every page is, decided before any is written, so that a page can
/// link to another by its path.
struct Plan {
    kind: Kind,
    year: i32,
    month: u32,
    day: u32,
    slug: String,
    bundle: bool,
    /// File names in the bundle folder.
    files: Vec<(String, usize)>,
}

impl Plan {
    /// Content-relative path of the Markdown file.
    fn path(&self) -> String {
        let dir = self.kind.dir();
        if self.bundle {
            format!("{dir}/{}/{}/index.md", self.year, self.slug)
        } else {
            format!("{dir}/{}/{}.md", self.year, self.slug)
        }
    }

    /// The folder its relative links start from.
    fn dir(&self) -> String {
        let p = self.path();
        p[..p.rfind('/').unwrap()].to_string()
    }
}

/// `from_dir` → `to` (both content-relative): `../../policies/2024/x.md`.
fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

const DEPARTMENTS: &[&str] = &[
    "工会办公室",
    "组织宣传部",
    "权益保障部",
    "女职工委员会",
    "经费审查委员会",
    "生活保障部",
    "文体协会",
    "劳动保护监督检查委员会",
    "职工技术协会",
    "困难职工帮扶中心",
    "职工法律服务站",
    "青年工作委员会",
];

const TAGS: &[&str] = &[
    "职代会",
    "民主管理",
    "劳动保护",
    "安全生产",
    "送温暖",
    "困难帮扶",
    "金秋助学",
    "女职工",
    "休假",
    "疗休养",
    "劳动合同",
    "工伤保险",
    "法律服务",
    "心理健康",
    "职工书屋",
    "职工文体",
    "技能竞赛",
    "劳动竞赛",
    "劳模工匠",
    "会员服务",
    "工会经费",
    "厂务公开",
    "集体协商",
    "工资福利",
    "职工培训",
    "防暑降温",
    "冬季保暖",
    "节日慰问",
    "婚育服务",
    "健康体检",
    "住房公积金",
    "职业病防治",
    "一线职工",
    "青年职工",
    "退休职工",
    "志愿服务",
    "读书活动",
    "运动会",
    "文艺汇演",
    "摄影比赛",
];

const PLACES: &[&str] = &[
    "集团体育中心",
    "集团总部办公楼A座报告厅",
    "职工活动中心",
    "机械制造公司会议室",
    "职工书屋",
    "集团培训中心",
    "滨河公园",
    "物流公司职工之家",
];

const SUBJECTS: &[&str] = &[
    "职工代表大会",
    "春季职工健步走",
    "劳动保护检查",
    "夏季防暑降温",
    "冬季安全生产",
    "金秋助学",
    "困难职工帮扶",
    "女职工权益保护",
    "职工疗休养",
    "职业技能竞赛",
    "职工书屋读书分享",
    "职工运动会",
    "会员信息采集",
    "工会经费审查",
    "劳模工匠座谈",
    "职工心理健康讲座",
    "集体协商要约",
    "厂务公开检查",
    "职工法律援助",
    "节日慰问",
];

const POLICY_LAWS: &[(&str, &str, &str)] = &[
    (
        "《中华人民共和国劳动合同法》",
        "全国人民代表大会常务委员会",
        "主席令第七十三号",
    ),
    (
        "《职工带薪年休假条例》",
        "中华人民共和国国务院",
        "国务院令第514号",
    ),
    (
        "《工伤保险条例》",
        "中华人民共和国国务院",
        "国务院令第586号",
    ),
    (
        "《女职工劳动保护特别规定》",
        "中华人民共和国国务院",
        "国务院令第619号",
    ),
    (
        "《中华人民共和国工会法》",
        "全国人民代表大会常务委员会",
        "主席令第一百零七号",
    ),
    (
        "《企业民主管理规定》",
        "中华全国总工会等六部门",
        "总工发〔2012〕12号",
    ),
    (
        "《中华人民共和国劳动法》",
        "全国人民代表大会常务委员会",
        "主席令第二十八号",
    ),
];

const SENTENCES: &[&str] = &[
    "为深入贯彻落实全心全意依靠工人阶级的根本方针，切实维护职工合法权益，集团工会结合实际制定本方案。",
    "各基层工会要高度重视，明确专人负责，认真组织实施，确保各项工作落到实处。",
    "活动期间，各单位要加强安全管理，制定应急预案，确保参与职工的人身安全。",
    "职工可通过所在单位工会报名，也可直接拨打集团工会服务热线8600咨询。",
    "根据《中华人民共和国工会法》和集团工会年度工作要点，现就有关事项通知如下。",
    "用人单位应当依法为职工缴纳社会保险费，不得以任何理由拖欠或者少缴。",
    "累计工作满1年不满10年的，年休假5天；满10年不满20年的，年休假10天；满20年的，年休假15天。",
    "女职工在孕期不能适应原劳动的，用人单位应当根据医疗机构的证明，予以减轻劳动量或者安排其他能够适应的劳动。",
    "职工因工作遭受事故伤害的，所在单位应当自事故伤害发生之日起30日内提出工伤认定申请。",
    "本次活动共有来自各分公司、直属单位的职工代表参加，现场气氛热烈。",
    "集团工会主席在讲话中充分肯定了过去一年各级工会组织取得的成绩，并对下一步工作提出了明确要求。",
    "比赛设个人奖和团体奖，获奖选手将优先推荐参加省市级职业技能竞赛。",
    "请各单位于规定时间前将报名汇总表报送集团工会组织宣传部，逾期不再受理。",
    "困难职工家庭子女当年考入全日制普通高等院校的，可申请金秋助学金。",
    "工会经费收支情况每年向会员代表大会报告，接受会员监督。",
    "职工对本单位劳动条件、安全卫生等方面有意见和建议的，可以通过职工代表提出提案。",
    "心理咨询室每周二、周四下午开放，咨询内容严格保密，欢迎有需要的职工预约。",
    "夏季高温期间，各单位应当合理安排作业时间，落实防暑降温措施，按规定发放高温津贴。",
    "职工书屋现有藏书一万余册，开放时间为工作日中午和下午下班后，职工凭工作证借阅。",
    "各级工会要把维护职工合法权益和服务职工群众作为工作的出发点和落脚点。",
    "集体合同草案应当提交职工代表大会或者全体职工讨论，经讨论通过后由双方首席代表签字。",
    "活动结束后，参赛选手纷纷表示，这样的活动既锻炼了身体，又增进了同事之间的了解。",
    "对于生活确有困难的职工，工会将按照帮扶办法及时给予救助，做到应帮尽帮。",
    "会员信息采集工作以“应采尽采、准确完整”为原则，请各基层工会认真核对会员信息。",
];

const HEADINGS: &[&str] = &[
    "一、工作目标",
    "二、主要内容",
    "三、时间安排",
    "四、参加对象",
    "五、有关要求",
    "六、联系方式",
    "七、政策依据",
    "八、办理流程",
];

fn date_of(rng: &mut Rng) -> (i32, u32, u32) {
    let year = 2019 + rng.below(8) as i32; // 2019..=2026
    let last_month = if year == 2026 { 10 } else { 12 };
    let month = 1 + rng.below(last_month) as u32;
    let day = 1 + rng.below(28) as u32;
    (year, month, day)
}

fn plan(n: usize, rng: &mut Rng) -> Vec<Plan> {
    (0..n)
        .map(|i| {
            let kind = match rng.below(20) {
                0..=7 => Kind::Notice,
                8..=11 => Kind::Policy,
                12..=16 => Kind::Event,
                _ => Kind::Service,
            };
            let (year, month, day) = date_of(rng);
            let bundle = rng.chance(12) || (kind == Kind::Event && rng.chance(30));
            let mut files = Vec::new();
            if bundle {
                let docs = [
                    ("附件1：实施方案.pdf", 6_000),
                    ("附件2：报名汇总表.xlsx", 3_500),
                    ("回执.docx", 4_200),
                    ("议程.pdf", 2_800),
                ];
                for _ in 0..1 + rng.below(2) {
                    let (name, size) = rng.pick(&docs);
                    if !files.iter().any(|(f, _)| f == name) {
                        files.push((name.to_string(), size + rng.below(2_000)));
                    }
                }
                if kind == Kind::Event {
                    files.push(("cover.jpg".into(), 8_000 + rng.below(8_000)));
                    files.push(("photo-1.jpg".into(), 6_000 + rng.below(6_000)));
                }
            }
            let prefix = match kind {
                Kind::Notice => "notice",
                Kind::Policy => "policy",
                Kind::Event => "event",
                Kind::Service => "service",
            };
            Plan {
                kind,
                year,
                month,
                day,
                slug: format!("{prefix}-{i:05}"),
                bundle,
                files,
            }
        })
        .collect()
}

fn paragraph(rng: &mut Rng) -> String {
    let mut p = String::new();
    for _ in 0..3 + rng.below(4) {
        p.push_str(rng.pick(SENTENCES));
    }
    p
}

fn body(i: usize, plans: &[Plan], rng: &mut Rng) -> String {
    let me = &plans[i];
    let mut out = String::new();
    out.push_str(&paragraph(rng));
    out.push_str("\n\n");
    let sections = 2 + rng.below(3);
    let start = rng.below(HEADINGS.len() - sections);
    for (s, heading) in HEADINGS[start..start + sections].iter().enumerate() {
        let _ = write!(out, "## {heading}\n\n");
        for _ in 0..1 + rng.below(2) {
            out.push_str(&paragraph(rng));
            out.push_str("\n\n");
        }
        if s == 0 {
            out.push_str("| 项目 | 安排 | 负责部门 |\n| --- | --- | --- |\n");
            for row in 0..3 + rng.below(4) {
                let _ = writeln!(
                    out,
                    "| 第{}项 | {}月{}日前完成 | {} |",
                    row + 1,
                    1 + rng.below(12),
                    1 + rng.below(28),
                    rng.pick(DEPARTMENTS)
                );
            }
            out.push('\n');
        }
        if s == 1 {
            for item in 0..3 {
                let _ = writeln!(out, "{}. {}", item + 1, rng.pick(SENTENCES));
            }
            out.push('\n');
        }
    }
    // Links to earlier pages, by relative path to their Markdown file.
    if i > 0 {
        let mut links = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let j = rng.below(i);
            let to = &plans[j];
            links.push(format!(
                "[{}]({})",
                SUBJECTS[j % SUBJECTS.len()],
                relative(&me.dir(), &to.path())
            ));
        }
        let _ = write!(out, "相关内容：{}。\n\n", links.join("、"));
    }
    if me.bundle {
        for (file, _) in &me.files {
            if file.ends_with(".jpg") {
                let _ = write!(out, "![活动现场]({file})\n\n");
            } else {
                let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
                let _ = write!(out, "请下载[{stem}]({file})。\n\n");
            }
        }
    }
    let _ = write!(
        out,
        "咨询电话：8600（内线）。\n\n会宝岭集团有限公司工会委员会\n\n{}年{}月{}日\n",
        me.year, me.month, me.day
    );
    out
}

fn front_matter(i: usize, plans: &[Plan], rng: &mut Rng) -> String {
    let p = &plans[i];
    let subject = SUBJECTS[(i * 7 + rng.below(3)) % SUBJECTS.len()];
    let dept = rng.pick(DEPARTMENTS);
    let mut fm = String::new();
    let title = match p.kind {
        Kind::Notice => format!("关于开展{}年{subject}工作的通知（{i}）", p.year),
        Kind::Policy => format!("{}：{subject}相关条款解读（{i}）", rng.pick(POLICY_LAWS).0),
        Kind::Event => format!("{}年{subject}活动圆满举行（{i}）", p.year),
        Kind::Service => format!("{subject}服务指南（{i}）"),
    };
    let _ = writeln!(fm, "title: {title}");
    let _ = writeln!(
        fm,
        "date: {}-{:02}-{:02} {:02}:{:02}",
        p.year,
        p.month,
        p.day,
        8 + rng.below(10),
        rng.below(60)
    );
    let _ = writeln!(fm, "department: {dept}");
    let _ = writeln!(
        fm,
        "author: {dept} 王{}",
        ["静", "磊", "芳", "伟", "敏"][i % 5]
    );
    let _ = writeln!(fm, "editor: 孙晓雯\nreviewer: 李明哲");
    let tags: Vec<&str> = (0..1 + rng.below(3)).map(|_| rng.pick(TAGS)).collect();
    let _ = writeln!(fm, "tags: [{}]", tags.join(", "));
    if rng.chance(30) {
        let _ = writeln!(fm, "summary: {}", rng.pick(SENTENCES));
    }
    match p.kind {
        Kind::Notice => {
            let _ = writeln!(fm, "doc_number: 会宝岭工发〔{}〕{}号", p.year, 1 + i % 200);
            let _ = writeln!(fm, "recipients: 各分公司工会，各直属基层工会");
            if rng.chance(3) {
                let _ = writeln!(fm, "urgency: 加急");
            }
            if rng.chance(6) {
                let _ = writeln!(fm, "expires: {}-12-31", p.year);
            }
        }
        Kind::Policy => {
            let (_, issuer, number) = rng.pick(POLICY_LAWS);
            let _ = writeln!(fm, "issuer: {issuer}\npolicy_number: {number}");
            let _ = writeln!(fm, "effective: {}-01-01", 2008 + rng.below(15));
            let _ = writeln!(
                fm,
                "source: 国家法律法规数据库\nsource_url: https://flk.npc.gov.cn/"
            );
        }
        Kind::Event => {
            let _ = writeln!(
                fm,
                "event_date: {}-{:02}-{:02} 09:00",
                p.year,
                p.month,
                p.day.max(2) - 1
            );
            let _ = writeln!(fm, "location: {}", rng.pick(PLACES));
            let _ = writeln!(fm, "organizer: 会宝岭集团有限公司工会委员会");
            let _ = writeln!(fm, "participants: {}", 20 + rng.below(1500));
            if p.files.iter().any(|(f, _)| f == "cover.jpg") {
                let _ = writeln!(fm, "cover: cover.jpg");
            }
        }
        Kind::Service => {}
    }
    if rng.chance(1) {
        let _ = writeln!(fm, "pinned: true");
        if rng.chance(50) {
            let _ = writeln!(fm, "pinned_until: {}-12-31", p.year);
        }
    }
    let docs: Vec<&(String, usize)> = p
        .files
        .iter()
        .filter(|(f, _)| !f.ends_with(".jpg"))
        .collect();
    if !docs.is_empty() {
        fm.push_str("attachments:\n");
        for (file, _) in docs {
            let title = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
            let _ = writeln!(fm, "  - file: {file}\n    title: {title}");
        }
    }
    fm
}

/// A file of `size` bytes that starts like its type; photos are real
/// (small) JPEGs, since the build decodes them.
fn blob(name: &str, size: usize, rng: &mut Rng) -> Vec<u8> {
    if name.ends_with(".jpg") {
        let (w, h) = (240u16, 160u16);
        let px: Vec<u8> = (0..w as usize * h as usize * 3)
            .map(|_| (rng.next() & 0xFF) as u8)
            .collect();
        let mut out = Vec::with_capacity(size);
        jpeg_encoder::Encoder::new(&mut out, 60)
            .encode(&px, w, h, jpeg_encoder::ColorType::Rgb)
            .expect("encode a JPEG in memory");
        return out;
    }
    let magic: &[u8] = if name.ends_with(".pdf") {
        b"%PDF-1.4\n"
    } else if name.ends_with(".jpg") {
        b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"
    } else {
        b"PK\x03\x04"
    };
    let mut out = magic.to_vec();
    while out.len() < size {
        out.push((rng.next() & 0xFF) as u8);
    }
    out
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            write(&target, fs::read(entry.path()).unwrap());
        }
    }
}

const SITE_YAML: &str = "\
title: 会宝岭集团工会
subtitle: 职工之家 · 服务职工 · 维护权益
organization: 会宝岭集团有限公司工会委员会
language: zh-CN
timezone: Asia/Shanghai
theme: default
paginate: 20
menu:
  - title: 首页
    url: index.html
  - title: 通知公告
    url: notices/index.html
  - title: 政策解读
    url: policies/index.html
  - title: 活动报道
    url: events/index.html
  - title: 职工服务
    url: services/index.html
  - title: 中华全国总工会
    url: https://www.acftu.org/
contact:
  hotline: 8600（内线）
  mailbox: ghbgs@hbl-group.com.cn
  office: 集团总部办公楼A座3楼306室
";

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: gen_site <folder> [pages]   (default 10000 pages)");
        std::process::exit(2);
    };
    let n: usize = match args.next().map(|s| s.parse()) {
        None => 10_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("pages: {e}");
            std::process::exit(2);
        }
    };
    if root.join("content").exists() {
        eprintln!(
            "{} already has content/; pick an empty folder",
            root.display()
        );
        std::process::exit(2);
    }
    let mut rng = Rng(0x756e_696f_6e70_7265); // "unionpre"
    write(&root.join("site.yaml"), SITE_YAML);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &root.join("themes/default"),
    );
    let content = root.join("content");
    write(
        &content.join("_index.md"),
        "---\ntitle: 会宝岭集团工会 · 职工之家\n---\n\n欢迎访问会宝岭集团有限公司工会委员会内网。\n",
    );
    for (dir, title, kind) in [
        ("notices", "通知公告", "notice"),
        ("policies", "政策解读", "policy"),
        ("events", "活动报道", "event"),
        ("services", "职工服务", "page"),
    ] {
        write(
            &content.join(dir).join("_index.md"),
            format!(
                "---\ntitle: {title}\nkind: {kind}\ndescription: {title}栏目\n---\n\n本栏目发布{title}。\n"
            ),
        );
    }

    let plans = plan(n, &mut rng);
    let mut bytes = 0usize;
    let mut files = 0usize;
    for i in 0..plans.len() {
        let fm = front_matter(i, &plans, &mut rng);
        let text = format!("---\n{fm}---\n\n{}", body(i, &plans, &mut rng));
        bytes += text.len();
        files += 1;
        write(&content.join(plans[i].path()), text);
        for (name, size) in &plans[i].files {
            let data = blob(name, *size, &mut rng);
            bytes += data.len();
            files += 1;
            write(&content.join(plans[i].dir()).join(name), data);
        }
    }
    let count = |k: Kind| plans.iter().filter(|p| p.kind == k).count();
    eprintln!(
        "{}: {n} pages ({} notices, {} policies, {} events, {} services; {} bundles), {files} files, {:.1} MB",
        root.display(),
        count(Kind::Notice),
        count(Kind::Policy),
        count(Kind::Event),
        count(Kind::Service),
        plans.iter().filter(|p| p.bundle).count(),
        bytes as f64 / 1e6
    );
}
