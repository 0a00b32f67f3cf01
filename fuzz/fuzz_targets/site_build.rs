//! A small generated site (units, notices referring to each other, a body, a plan with
//! tasks, targets and updates, pages and news), with arbitrary text in every free-text
//! field and body, written to a temporary folder: `gongkai::check`, and when it passes,
//! the whole render in memory (every page, open data, feeds and the search index).
#![no_main]

use std::fmt::Write as _;
use std::path::Path;
use std::sync::LazyLock;

use arbitrary::Arbitrary;
use gongkai::BuildOptions;
use libfuzzer_sys::fuzz_target;

/// Items of each kind written at most (the generator may ask for more).
const MAX_ITEMS: usize = 4;

#[derive(Arbitrary, Debug)]
struct Site {
    title: String,
    base_url: bool,
    index_no_pattern: bool,
    unsafe_html: bool,
    /// Small `limits:` (nesting, headings, highlight KB) to run into.
    limits: Option<(u8, u8, u8)>,
    drafts: bool,
    as_of: Day,
    units: Vec<Unit>,
    notices: Vec<Notice>,
    body: Option<Body>,
    plan: Option<Plan>,
    pages: Vec<Page>,
    news: Vec<News>,
}

/// A date as written in content: nearly always a real one.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Day {
    year: u8,
    month: u8,
    day: u8,
}

impl Day {
    fn text(self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            1990 + u32::from(self.year % 40),
            1 + self.month % 12,
            // Now and then a day the month may not have (2 in 256; not 0xFF or 0x00,
            // the bytes a fuzzer writes most).
            match self.day {
                0x9D => 31,
                0x9E => 30,
                d => 1 + d % 28,
            }
        )
    }
}

#[derive(Arbitrary, Debug)]
struct Unit {
    name: String,
    short_name: Option<String>,
    aliases: Vec<String>,
    kind: u8,
    parent: Option<u8>,
    website: Option<String>,
}

#[derive(Arbitrary, Debug)]
struct Notice {
    title: String,
    issuers: Vec<u8>,
    doc_no: Option<String>,
    date: Day,
    published: Option<Day>,
    genre: Option<String>,
    topic: Option<String>,
    keywords: Vec<String>,
    summary: Option<String>,
    validity: Option<u8>,
    valid_from: Option<Day>,
    valid_until: Option<Day>,
    supersedes: Vec<u8>,
    related: Vec<u8>,
    attachment: Option<String>,
    draft: bool,
    body: String,
    links: Vec<Link>,
}

/// An internal link appended to a Markdown body (by id or by source path), or any path.
#[derive(Arbitrary, Debug)]
enum Link {
    Notice(u8, Option<String>),
    Unit(u8),
    Body,
    Plan,
    Page(u8),
    News(u8),
    Source(u8),
    Attachment(u8),
    Path(String),
}

#[derive(Arbitrary, Debug)]
struct Body {
    name: String,
    kind: u8,
    established_by: Option<u8>,
    office: Option<(u8, Option<String>)>,
    leaders: Vec<(String, String, Option<u8>)>,
    members: Vec<(u8, Option<String>)>,
    rules: Option<String>,
}

#[derive(Arbitrary, Debug)]
struct Plan {
    title: String,
    source: Option<u8>,
    body: bool,
    period: Option<(Day, Day)>,
    categories: Vec<(Option<String>, String, Vec<Task>)>,
    notes: Option<String>,
}

#[derive(Arbitrary, Debug)]
struct Task {
    number: Result<u8, String>,
    content: Option<String>,
    lead: Vec<u8>,
    partners: Vec<u8>,
    deadline: Option<Deadline>,
    targets: Vec<Target>,
    updates: Vec<Update>,
}

#[derive(Arbitrary, Debug)]
struct Target {
    text: String,
    deadline: Option<Deadline>,
    lead: Vec<u8>,
    updates: Vec<Update>,
}

#[derive(Arbitrary, Debug)]
enum Deadline {
    Year(u8),
    Month(u8, u8),
    Day(Day),
    Label(String),
    LabelDate(String, Day),
}

#[derive(Arbitrary, Debug)]
struct Update {
    date: Day,
    status: u8,
    percent: Option<u8>,
    by: Option<u8>,
    note: Option<String>,
    sample: bool,
}

#[derive(Arbitrary, Debug)]
struct Page {
    title: String,
    summary: Option<String>,
    order: Option<i8>,
    body: String,
    links: Vec<Link>,
}

#[derive(Arbitrary, Debug)]
struct News {
    title: String,
    date: Day,
    source: Option<String>,
    draft: bool,
    body: String,
    links: Vec<Link>,
}

const UNIT_KINDS: [&str; 9] = [
    "government",
    "department",
    "court",
    "procuratorate",
    "district",
    "agency",
    "customs",
    "collective",
    "other",
];
const VALIDITY: [&str; 5] = [
    "effective",
    "amended",
    "partially_expired",
    "expired",
    "repealed",
];
const BODY_KINDS: [&str; 3] = ["joint_conference", "leading_group", "other"];
const STATUS: [&str; 5] = ["not_started", "in_progress", "done", "delayed", "suspended"];

/// A YAML scalar holding exactly `text` (JSON strings are YAML double-quoted scalars).
fn q(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// A required text: `text`, or a placeholder where it is blank (so that most generated
/// sites pass `check` and reach the render; blank titles are `content_load`'s business).
fn r(text: &str) -> String {
    if text.trim().is_empty() {
        q("标题")
    } else {
        q(text)
    }
}

/// A Markdown body with its links appended, one a line.
fn body_text(text: &str, links: &[Link], ids: &Ids) -> String {
    let mut out = text.to_string();
    for link in links.iter().take(MAX_ITEMS) {
        let dest = match link {
            Link::Notice(n, fragment) => {
                let mut dest = format!("notice:{}", ids.notice(*n));
                if let Some(f) = fragment {
                    dest.push('#');
                    dest.push_str(f);
                }
                dest
            }
            Link::Unit(n) => format!("unit:{}", ids.unit(*n)),
            Link::Body => "body:b0".into(),
            Link::Plan => "plan:p0".into(),
            Link::Page(n) => format!("page:{}", Ids::item("p", ids.pages, *n)),
            Link::News(n) => format!("news:{}", Ids::item("n", ids.news, *n)),
            Link::Source(n) => format!("@/notices/2014/{}.md", Ids::item("n", ids.notices, *n)),
            Link::Attachment(n) => format!("@/attachments/a{}.pdf", usize::from(*n) % MAX_ITEMS),
            Link::Path(p) => p.clone(),
        };
        let _ = write!(out, "\n\n[链接]({dest})\n");
    }
    out
}

/// How many items of each kind the site has, for references among them.
struct Ids {
    units: usize,
    notices: usize,
    pages: usize,
    news: usize,
}

/// One reference in 256 names an item that does not exist (more would make nearly every
/// generated site fail `check` and never reach the render).
fn dangling(n: u8) -> bool {
    n == 0x9D
}

impl Ids {
    fn unit(&self, n: u8) -> String {
        if self.units == 0 || dangling(n) {
            return "no-such-unit".into();
        }
        format!("u{}", usize::from(n) % self.units)
    }

    fn notice(&self, n: u8) -> String {
        if self.notices == 0 || dangling(n) {
            return "k1/1999-99999".into();
        }
        index_no(usize::from(n) % self.notices)
    }

    /// `n{i}` or `p{i}` among `count` items (one past the end when dangling).
    fn item(prefix: &str, count: usize, n: u8) -> String {
        if count == 0 || dangling(n) {
            return format!("{prefix}{count}");
        }
        format!("{prefix}{}", usize::from(n) % count)
    }

    fn units(&self, list: &[u8]) -> String {
        let ids: Vec<String> = list.iter().take(MAX_ITEMS).map(|&n| self.unit(n)).collect();
        format!("[{}]", ids.join(", "))
    }
}

fn index_no(i: usize) -> String {
    format!("k1/2014-{:05}", i + 1)
}

fn strings(list: &[String]) -> String {
    let items: Vec<String> = list.iter().take(MAX_ITEMS).map(|s| q(s)).collect();
    format!("[{}]", items.join(", "))
}

fn deadline(d: &Deadline) -> String {
    match d {
        Deadline::Year(y) => format!("{}", 1990 + u32::from(y % 40)),
        Deadline::Month(y, m) => format!("\"{}-{:02}\"", 1990 + u32::from(y % 40), 1 + m % 12),
        Deadline::Day(day) => day.text(),
        Deadline::Label(l) => r(l),
        Deadline::LabelDate(l, day) => format!("{{label: {}, date: {}}}", q(l), day.text()),
    }
}

fn updates(out: &mut String, indent: &str, list: &[Update], ids: &Ids) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}updates:");
    // In date order, as a plan lists them.
    let mut list: Vec<&Update> = list.iter().take(MAX_ITEMS).collect();
    list.sort_by_key(|u| u.date.text());
    for u in list {
        let _ = writeln!(out, "{indent}  - date: {}", u.date.text());
        let _ = writeln!(
            out,
            "{indent}    status: {}",
            STATUS[usize::from(u.status) % 5]
        );
        if let Some(p) = u.percent {
            let _ = writeln!(out, "{indent}    percent: {}", p % 111);
        }
        if let Some(by) = u.by {
            let _ = writeln!(out, "{indent}    by: {}", ids.unit(by));
        }
        if let Some(note) = &u.note {
            let _ = writeln!(out, "{indent}    note: {}", q(note));
        }
        let _ = writeln!(out, "{indent}    sample: {}", u.sample);
    }
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn write_site(root: &Path, site: &Site) {
    let units = &site.units[..site.units.len().min(MAX_ITEMS)];
    let notices = &site.notices[..site.notices.len().min(MAX_ITEMS)];
    // Every site gets one unit at least: notices, bodies and plans all need one.
    if units.is_empty() {
        write(
            root,
            "content/units/u0.yaml",
            "name: 市人民政府\nkind: government\n",
        );
    }
    let ids = Ids {
        units: units.len().max(1),
        notices: notices.len(),
        pages: site.pages.len().min(2),
        news: site.news.len().min(2),
    };

    let mut yaml = format!("title: {}\n", r(&site.title));
    if site.base_url {
        yaml.push_str("base_url: https://ip.example.gov.cn/sub\n");
    }
    if site.index_no_pattern {
        yaml.push_str("index_no_pattern: '^[0-9A-Za-z]+/\\d{4}-\\d{5}$'\n");
    }
    let _ = writeln!(yaml, "unsafe_html: {}", site.unsafe_html);
    if let Some((nesting, headings, highlight_kb)) = site.limits {
        let _ = writeln!(
            yaml,
            "limits: {{nesting: {nesting}, headings: {headings}, highlight_kb: {highlight_kb}}}"
        );
    }
    write(root, "content/site.yaml", &yaml);

    for (i, u) in units.iter().enumerate() {
        let mut y = format!("name: {}\n", r(&u.name));
        if let Some(s) = &u.short_name {
            let _ = writeln!(y, "short_name: {}", q(s));
        }
        let _ = writeln!(y, "aliases: {}", strings(&u.aliases));
        let _ = writeln!(
            y,
            "kind: {}",
            UNIT_KINDS[usize::from(u.kind) % UNIT_KINDS.len()]
        );
        // A parent among the units before this one (no cycles but by a dangling id).
        if let Some(p) = u.parent.filter(|_| i > 0) {
            let parent = if dangling(p) {
                ids.unit(p)
            } else {
                format!("u{}", usize::from(p) % i)
            };
            let _ = writeln!(y, "parent: {parent}");
        }
        if let Some(w) = &u.website {
            let _ = writeln!(y, "website: {}", q(&format!("https://{w}")));
        }
        write(root, &format!("content/units/u{i}.yaml"), &y);
    }

    for (i, n) in notices.iter().enumerate() {
        let mut y = format!("---\nindex_no: {}\ntitle: {}\n", index_no(i), r(&n.title));
        // A notice without issuer is `content_load`'s business: give it the first unit.
        let issuers = if n.issuers.is_empty() {
            &[0][..]
        } else {
            &n.issuers[..]
        };
        let _ = writeln!(y, "issuer: {}", ids.units(issuers));
        if let Some(d) = &n.doc_no {
            let _ = writeln!(y, "doc_no: {}", q(d));
        }
        let _ = writeln!(y, "date: {}", n.date.text());
        if let Some(d) = n.published {
            let _ = writeln!(y, "published: {}", d.text());
        }
        if let Some(g) = &n.genre {
            let _ = writeln!(y, "genre: {}", q(g));
        }
        if let Some(t) = &n.topic {
            let _ = writeln!(y, "topic: {}", q(t));
        }
        let _ = writeln!(y, "keywords: {}", strings(&n.keywords));
        if let Some(s) = &n.summary {
            let _ = writeln!(y, "summary: {}", q(s));
        }
        if let Some(v) = n.validity {
            let _ = writeln!(y, "validity: {}", VALIDITY[usize::from(v) % 5]);
        }
        if let Some(d) = n.valid_from {
            let _ = writeln!(y, "valid_from: {}", d.text());
        }
        if let Some(d) = n.valid_until {
            let _ = writeln!(y, "valid_until: {}", d.text());
        }
        // Other notices (a notice listing itself is an error `content_load` reaches).
        let refs = |list: &[u8]| -> String {
            let mut v: Vec<String> = list
                .iter()
                .take(MAX_ITEMS)
                .filter(|_| ids.notices > 1)
                .map(|&r| {
                    let other = (i + 1 + usize::from(r) % (ids.notices - 1)) % ids.notices;
                    if dangling(r) {
                        ids.notice(r)
                    } else {
                        index_no(other)
                    }
                })
                .collect();
            v.sort();
            v.dedup();
            format!("[{}]", v.join(", "))
        };
        let _ = writeln!(y, "supersedes: {}", refs(&n.supersedes));
        let _ = writeln!(y, "related: {}", refs(&n.related));
        if let Some(title) = &n.attachment {
            let file = format!("attachments/a{i}.pdf");
            write(root, &format!("content/{file}"), "%PDF-1.4\n");
            let _ = writeln!(y, "attachments:\n  - title: {}\n    file: {file}", q(title));
        }
        let _ = writeln!(y, "draft: {}", n.draft);
        y.push_str("---\n");
        y.push_str(&body_text(&n.body, &n.links, &ids));
        write(root, &format!("content/notices/2014/n{i}.md"), &y);
    }

    if let Some(b) = &site.body {
        let mut y = format!("name: {}\n", r(&b.name));
        let _ = writeln!(y, "kind: {}", BODY_KINDS[usize::from(b.kind) % 3]);
        if let Some(n) = b.established_by.filter(|_| ids.notices > 0) {
            let _ = writeln!(y, "established_by: {}", ids.notice(n));
        }
        if let Some((unit, note)) = &b.office {
            let _ = write!(y, "office: {{unit: {}", ids.unit(*unit));
            if let Some(note) = note {
                let _ = write!(y, ", note: {}", q(note));
            }
            y.push_str("}\n");
        }
        if !b.leaders.is_empty() {
            y.push_str("leaders:\n");
            for (role, title, unit) in b.leaders.iter().take(MAX_ITEMS) {
                let _ = write!(y, "  - {{role: {}, title: {}", r(role), r(title));
                if let Some(u) = unit {
                    let _ = write!(y, ", unit: {}", ids.unit(*u));
                }
                y.push_str("}\n");
            }
        }
        if !b.members.is_empty() {
            y.push_str("members:\n");
            let mut seen = std::collections::HashSet::new();
            for (unit, duties) in b.members.iter().take(MAX_ITEMS) {
                if !seen.insert(ids.unit(*unit)) {
                    continue;
                }
                let _ = writeln!(y, "  - unit: {}", ids.unit(*unit));
                if let Some(d) = duties {
                    let _ = writeln!(y, "    duties: {}", q(d));
                }
            }
        }
        if let Some(r) = &b.rules {
            let _ = writeln!(y, "rules: {}", q(r));
        }
        write(root, "content/bodies/b0.yaml", &y);
    }

    if let Some(p) = &site.plan {
        let mut y = format!("title: {}\n", r(&p.title));
        if let Some(s) = p.source.filter(|_| ids.notices > 0) {
            let _ = writeln!(y, "source: {}", ids.notice(s));
        }
        if p.body && site.body.is_some() {
            y.push_str("body: b0\n");
        }
        if let Some((start, end)) = p.period {
            let (start, end) = (start.text().min(end.text()), start.text().max(end.text()));
            let _ = writeln!(y, "period: {{start: {start}, end: {end}}}");
        }
        y.push_str("categories:\n");
        if p.categories.is_empty() {
            y.push_str(
                "  - name: 类别\n    tasks:\n      - {number: 1, content: 任务, lead: [u0]}\n",
            );
        }
        let mut task_number = 1;
        for (number, name, tasks) in p.categories.iter().take(MAX_ITEMS) {
            y.push_str("  - ");
            if let Some(number) = number {
                let _ = write!(y, "number: {}\n    ", q(number));
            }
            let _ = write!(y, "name: {}\n    tasks:", r(name));
            y.push_str(if tasks.is_empty() { " []\n" } else { "\n" });
            for t in tasks.iter().take(MAX_ITEMS) {
                // 序号 are unique in a plan: a running number, or text with it.
                task_number += 1;
                match &t.number {
                    Ok(_) => {
                        let _ = writeln!(y, "      - number: {task_number}");
                    }
                    Err(s) => {
                        let _ = writeln!(y, "      - number: {}", q(&format!("{s}{task_number}")));
                    }
                }
                let content = t.content.as_deref().unwrap_or_default();
                let _ = writeln!(y, "        content: {}", r(content));
                let lead = if t.lead.is_empty() {
                    &[0][..]
                } else {
                    &t.lead[..]
                };
                let _ = writeln!(y, "        lead: {}", ids.units(lead));
                let _ = writeln!(y, "        partners: {}", ids.units(&t.partners));
                if let Some(d) = &t.deadline {
                    let _ = writeln!(y, "        deadline: {}", deadline(d));
                }
                if !t.targets.is_empty() {
                    y.push_str("        targets:\n");
                    for target in t.targets.iter().take(MAX_ITEMS) {
                        let _ = writeln!(y, "          - text: {}", r(&target.text));
                        if let Some(d) = &target.deadline {
                            let _ = writeln!(y, "            deadline: {}", deadline(d));
                        }
                        let _ = writeln!(y, "            lead: {}", ids.units(&target.lead));
                        updates(&mut y, "            ", &target.updates, &ids);
                    }
                }
                updates(&mut y, "        ", &t.updates, &ids);
            }
        }
        if let Some(n) = &p.notes {
            let _ = writeln!(y, "notes: {}", q(n));
        }
        write(root, "content/progress/p0.yaml", &y);
    }

    for (i, p) in site.pages.iter().take(2).enumerate() {
        let mut y = format!("---\ntitle: {}\n", r(&p.title));
        if let Some(s) = &p.summary {
            let _ = writeln!(y, "summary: {}", q(s));
        }
        if let Some(o) = p.order {
            let _ = writeln!(y, "order: {o}");
        }
        y.push_str("---\n");
        y.push_str(&body_text(&p.body, &p.links, &ids));
        write(root, &format!("content/pages/p{i}.md"), &y);
    }

    for (i, n) in site.news.iter().take(2).enumerate() {
        let mut y = format!("---\ntitle: {}\ndate: {}\n", r(&n.title), n.date.text());
        if let Some(s) = &n.source {
            let _ = writeln!(y, "source: {}", q(s));
        }
        let _ = writeln!(y, "draft: {}\n---", n.draft);
        y.push_str(&body_text(&n.body, &n.links, &ids));
        write(root, &format!("content/news/n{i}.md"), &y);
    }
}

/// The default theme, loaded once (the generated sites override no template).
static TERA: LazyLock<tera::Tera> = LazyLock::new(|| {
    gongkai::render::theme::load(Path::new("/nonexistent-gongkai-site")).expect("default theme")
});

fuzz_target!(|site: Site| {
    // One worker thread: the fuzzer runs one input at a time on a shared machine.
    static POOL: std::sync::Once = std::sync::Once::new();
    POOL.call_once(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build_global();
    });
    let dir = tempfile::tempdir().expect("temp dir");
    write_site(dir.path(), &site);
    let options = BuildOptions {
        root: dir.path().to_path_buf(),
        out: None,
        as_of: site.as_of.text().parse().ok(),
        drafts: site.drafts,
        force: false,
    };
    match gongkai::check(&options) {
        Ok((checked, warnings)) => {
            let _ = warnings.to_string();
            let rendered = gongkai::render::render_site(&checked, &TERA)
                .unwrap_or_else(|e| panic!("a checked site must render:\n{e}"));
            if std::env::var_os("GONGKAI_FUZZ_VERBOSE").is_some() {
                eprintln!("rendered {} files", rendered.files.len());
            }
            for file in &rendered.files {
                if file.path.ends_with(".html") || file.path.ends_with(".json") {
                    assert!(
                        std::str::from_utf8(&file.bytes).is_ok(),
                        "{} is not UTF-8",
                        file.path
                    );
                }
            }
        }
        Err(errors) => {
            let text = errors.to_string();
            if std::env::var_os("GONGKAI_FUZZ_VERBOSE").is_some() {
                eprintln!("check failed:\n{text}");
            }
        }
    }
});
