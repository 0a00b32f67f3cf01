//! Open data (`/data/*.json`) and the machine feeds (`/sitemap.xml`, `/feed.xml`).
//!
//! The JSON files use the content's own field names plus what the build computed; other
//! systems harvest them, so their shape is documented in `docs/open-data.md` and kept stable.

use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{OutputFile, PageId, Renderer};
use crate::content::plan::{Status, Update};
use crate::diagnostics::Diagnostic;
use crate::enums::Key;
use crate::progress::{Progress, Rollup};
use crate::site::Site;
use crate::time::Deadline;
use crate::urls;

/// What the open data made of each notice, kept by the rebuild engine between builds: a
/// notice whose fingerprint ([`Site::notice_fingerprint`]) did not change keeps its
/// record's JSON, so one save in a 100,000-notice site does not serialise every record
/// of `data/notices.json` again. Records are kept by that fingerprint alone: it stands
/// for everything a record shows, the 索引号 included.
#[derive(Default)]
pub struct Kept {
    notice_records: Mutex<FxHashMap<u64, Arc<[u8]>>>,
}

/// `data/notices.json`: `{"as_of": …, "notices": [records]}` as `serde_json`'s pretty
/// printer writes it, each record serialised on its own (in parallel, or taken from
/// `kept`) and indented to its depth in the file.
fn notices_json(site: &Site, kept: Option<&Kept>) -> Vec<u8> {
    let known = kept
        .map(|k| std::mem::take(&mut *k.notice_records.lock().unwrap_or_else(|e| e.into_inner())));
    let records: Vec<(u64, Arc<[u8]>)> = (0..site.notices.len())
        .into_par_iter()
        .map(|ix| {
            let Some(known) = &known else {
                return (0, indented_record(site, ix).into());
            };
            let print = site.notice_fingerprint(ix);
            match known.get(&print) {
                Some(json) => (print, Arc::clone(json)),
                None => (print, indented_record(site, ix).into()),
            }
        })
        .collect();
    let mut out = Vec::with_capacity(records.iter().map(|(_, r)| r.len() + 2).sum::<usize>() + 64);
    out.extend_from_slice(b"{\n  \"as_of\": ");
    out.extend_from_slice(json_string(&site.as_of.date.to_string()).as_bytes());
    out.extend_from_slice(b",\n  \"notices\": [");
    for (i, (_, record)) in records.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        out.extend_from_slice(record);
    }
    if !records.is_empty() {
        out.extend_from_slice(b"\n  ");
    }
    out.extend_from_slice(b"]\n}\n");
    if let (Some(kept), Some(mut known)) = (kept, known) {
        known.clear();
        known.extend(records);
        *kept
            .notice_records
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = known;
    }
    out
}

/// One notice's record, pretty-printed and indented four spaces (its depth in the file).
fn indented_record(site: &Site, ix: usize) -> Vec<u8> {
    let mut plain = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"  ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut plain, formatter);
    // A record of plain data always serialises.
    let _ = notice_record(site, ix).serialize(&mut serializer);
    let mut out = Vec::with_capacity(plain.len() + plain.len() / 8);
    // JSON strings escape their line breaks: every `\n` here is the printer's.
    for line in plain.split(|&b| b == b'\n') {
        if !out.is_empty() {
            out.push(b'\n');
        }
        out.extend_from_slice(b"    ");
        out.extend_from_slice(line);
    }
    out
}

/// A string as JSON.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| String::from("\"\""))
}

/// What `data/notices.json` says of one notice.
fn notice_record(site: &Site, ix: usize) -> NoticeRecord<'_> {
    let index_no = |ix: &usize| site.notices[*ix].index_no.value.as_str();
    let n = &site.notices[ix];
    let links = &site.notice_links[ix];
    NoticeRecord {
        index_no: n.index_no.value.as_str(),
        title: &n.title,
        issuer: links
            .issuers
            .iter()
            .map(|&u| site.units[u].id.as_str())
            .collect(),
        doc_no: n.doc_no.as_deref(),
        date: n.date.to_string(),
        published: n.published.to_string(),
        genre: n.genre.as_deref(),
        topic: (!n.topic.is_empty()).then(|| n.topic.join("/")),
        keywords: &n.keywords,
        summary: n.summary.as_deref(),
        validity: site.validity(ix).key(),
        declared_validity: n.validity,
        valid_from: n.valid_from.map(|d| d.to_string()),
        valid_until: n.valid_until.map(|d| d.to_string()),
        supersedes: links.supersedes.iter().map(index_no).collect(),
        superseded_by: links.superseded_by.iter().map(index_no).collect(),
        related: links.related.iter().map(index_no).collect(),
        attachments: links
            .attachments
            .iter()
            .map(|a| AttachmentRecord {
                title: &a.title,
                file: &a.path,
                size: a.size,
            })
            .collect(),
        url: urls::notice(&n.index_no.value),
    }
}

#[derive(Serialize)]
struct NoticeRecord<'a> {
    index_no: &'a str,
    title: &'a str,
    issuer: Vec<&'a str>,
    doc_no: Option<&'a str>,
    date: String,
    published: String,
    genre: Option<&'a str>,
    topic: Option<String>,
    keywords: &'a [String],
    summary: Option<&'a str>,
    /// 时效 as of the build (`effective` past `valid_until` is `expired` …).
    validity: &'static str,
    /// 时效 as the publisher declared it.
    declared_validity: crate::content::notice::Validity,
    valid_from: Option<String>,
    valid_until: Option<String>,
    supersedes: Vec<&'a str>,
    superseded_by: Vec<&'a str>,
    related: Vec<&'a str>,
    attachments: Vec<AttachmentRecord<'a>>,
    url: String,
}

#[derive(Serialize)]
struct AttachmentRecord<'a> {
    title: &'a str,
    file: &'a str,
    size: u64,
}

#[derive(Serialize)]
struct UnitsFile<'a> {
    as_of: String,
    units: Vec<UnitRecord<'a>>,
}

#[derive(Serialize)]
struct UnitRecord<'a> {
    id: &'a str,
    name: &'a str,
    short_name: Option<&'a str>,
    aliases: &'a [String],
    kind: &'static str,
    parent: Option<&'a str>,
    website: Option<&'a str>,
    notices: Vec<&'a str>,
    bodies: Vec<MembershipRecord<'a>>,
    url: String,
}

#[derive(Serialize)]
struct MembershipRecord<'a> {
    body: &'a str,
    /// `member`, `office` or `leader`.
    roles: Vec<&'static str>,
    /// 职责分工 (Markdown) when the unit is a member with duties.
    duties: Option<&'a str>,
}

#[derive(Serialize)]
struct BodiesFile<'a> {
    as_of: String,
    bodies: Vec<BodyRecord<'a>>,
}

#[derive(Serialize)]
struct BodyRecord<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    established_by: Option<&'a str>,
    office: Option<OfficeRecord<'a>>,
    leaders: Vec<LeaderRecord<'a>>,
    members: Vec<MemberRecord<'a>>,
    rules: Option<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct OfficeRecord<'a> {
    unit: &'a str,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct LeaderRecord<'a> {
    role: &'a str,
    title: &'a str,
    unit: Option<&'a str>,
}

#[derive(Serialize)]
struct MemberRecord<'a> {
    unit: &'a str,
    duties: Option<&'a str>,
}

/// The open-data and feed files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFile {
    /// `data/bodies.json`.
    Bodies,
    /// `data/notices.json`.
    Notices,
    /// `data/units.json`.
    Units,
    /// `data/progress.json`.
    Progress,
    /// `sitemap.xml` (only with `base_url`).
    Sitemap,
    /// `feed.xml` (only with `base_url`).
    Feed,
}

impl DataFile {
    /// Path in the output.
    pub fn path(self) -> &'static str {
        match self {
            DataFile::Bodies => "data/bodies.json",
            DataFile::Notices => "data/notices.json",
            DataFile::Units => "data/units.json",
            DataFile::Progress => "data/progress.json",
            DataFile::Sitemap => "sitemap.xml",
            DataFile::Feed => "feed.xml",
        }
    }
}

/// The open-data files, and the feeds when site.yaml has a `base_url` (they need
/// absolute URLs).
pub(super) fn list_files(site: &Site, ids: &mut Vec<PageId>) {
    let mut files = vec![
        DataFile::Bodies,
        DataFile::Notices,
        DataFile::Units,
        DataFile::Progress,
    ];
    if site.config.base_url.is_some() {
        files.extend([DataFile::Sitemap, DataFile::Feed]);
    }
    ids.extend(files.into_iter().map(PageId::Data));
}

/// Renders one data file. Each shows the whole site (or, for the feed, the newest
/// notices and the date of the last one published), so it reads it whole.
pub(super) fn render(r: &Renderer, file: DataFile) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let site = reads.whole();
    let bytes = match file {
        DataFile::Bodies | DataFile::Notices | DataFile::Units => open_data(site, file, r.kept()),
        DataFile::Progress => progress_data(site),
        DataFile::Sitemap | DataFile::Feed => {
            let Some(base) = site.config.base_url.as_deref() else {
                return Err(Diagnostic::at_path(
                    crate::diagnostics::Code::MissingField,
                    std::path::Path::new(crate::config::SITE_FILE),
                    crate::text!("a feed needs `base_url`", "订阅源需要 `base_url`"),
                ));
            };
            Ok(match file {
                DataFile::Sitemap => sitemap(site, base),
                _ => atom_feed(site, base),
            })
        }
    }?;
    r.file(reads, file.path().to_string(), bytes)
}

/// Pretty JSON, one final newline.
fn json_bytes(path: &str, value: &impl Serialize) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| {
        Diagnostic::at_path(
            crate::diagnostics::Code::WriteFailed,
            std::path::Path::new(path),
            crate::text!("cannot write JSON: {e}", "无法写出 JSON：{e}"),
        )
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// `/data/notices.json`, `/data/units.json` or `/data/bodies.json`.
fn open_data(site: &Site, file: DataFile, kept: Option<&Kept>) -> Result<Vec<u8>, Diagnostic> {
    let index_no = |ix: &usize| site.notices[*ix].index_no.value.as_str();
    if file == DataFile::Notices {
        return Ok(notices_json(site, kept));
    }
    if file == DataFile::Units {
        let units = UnitsFile {
            as_of: site.as_of.date.to_string(),
            units: site
                .units
                .iter()
                .enumerate()
                .map(|(ix, u)| UnitRecord {
                    id: u.id.as_str(),
                    name: &u.name,
                    short_name: u.short_name.as_deref(),
                    aliases: &u.aliases,
                    kind: u.kind.key(),
                    parent: site.unit_links[ix]
                        .parent
                        .map(|p| site.units[p].id.as_str()),
                    website: u.website.as_deref(),
                    notices: site.unit_links[ix].notices.iter().map(index_no).collect(),
                    bodies: site.unit_links[ix]
                        .bodies
                        .iter()
                        .map(|m| membership_record(site, m))
                        .collect(),
                    url: urls::unit(u.id.as_str()),
                })
                .collect(),
        };
        return json_bytes(file.path(), &units);
    }
    let unit_id = |u: usize| site.units[u].id.as_str();
    let bodies = BodiesFile {
        as_of: site.as_of.date.to_string(),
        bodies: site
            .bodies
            .iter()
            .zip(&site.body_links)
            .map(|(b, links)| BodyRecord {
                id: b.id.as_str(),
                name: &b.name,
                kind: b.kind.key(),
                established_by: links
                    .established_by
                    .map(|n| site.notices[n].index_no.value.as_str()),
                office: b
                    .office
                    .as_ref()
                    .zip(links.office)
                    .map(|(o, u)| OfficeRecord {
                        unit: unit_id(u),
                        note: o.note.as_deref(),
                    }),
                leaders: b
                    .leaders
                    .iter()
                    .zip(&links.leaders)
                    .map(|(l, u)| LeaderRecord {
                        role: &l.role,
                        title: &l.title,
                        unit: u.map(unit_id),
                    })
                    .collect(),
                members: b
                    .members
                    .iter()
                    .zip(&links.members)
                    .map(|(m, &u)| MemberRecord {
                        unit: unit_id(u),
                        duties: m.duties.as_deref(),
                    })
                    .collect(),
                rules: b.rules.as_deref(),
                url: urls::body(b.id.as_str()),
            })
            .collect(),
    };
    json_bytes(file.path(), &bodies)
}

#[derive(Serialize)]
struct ProgressFile<'a> {
    as_of: String,
    plans: Vec<PlanRecord<'a>>,
}

#[derive(Serialize)]
struct PlanRecord<'a> {
    id: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    body: Option<&'a str>,
    period: Option<PeriodRecord>,
    notes: Option<&'a str>,
    rollup: &'a Rollup,
    categories: Vec<CategoryRecord<'a>>,
    url: String,
}

#[derive(Serialize)]
struct PeriodRecord {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct CategoryRecord<'a> {
    /// 类号; empty for a plan without categories.
    number: &'a str,
    name: &'a str,
    rollup: &'a Rollup,
    tasks: Vec<TaskRecord<'a>>,
}

#[derive(Serialize)]
struct LeafFields<'a> {
    deadline: Option<String>,
    deadline_date: Option<String>,
    status: Status,
    percent: u8,
    overdue: bool,
    /// 序时进度 (share of time elapsed, 0–100), when the plan has a start and the
    /// deadline a date.
    expected_percent: Option<u8>,
    /// `ahead` 超进度 | `on_track` 达进度 | `behind` 欠进度.
    schedule: Option<crate::progress::Verdict>,
    lead: Vec<&'a str>,
    partners: Vec<&'a str>,
}

#[derive(Serialize)]
struct TaskRecord<'a> {
    number: &'a str,
    content: &'a str,
    #[serde(flatten)]
    leaf: LeafFields<'a>,
    targets: Vec<TargetRecord<'a>>,
    updates: Vec<UpdateRecord<'a>>,
}

#[derive(Serialize)]
struct TargetRecord<'a> {
    text: &'a str,
    #[serde(flatten)]
    leaf: LeafFields<'a>,
    updates: Vec<UpdateRecord<'a>>,
}

#[derive(Serialize)]
struct UpdateRecord<'a> {
    date: String,
    status: Status,
    percent: Option<u8>,
    by: Option<&'a str>,
    note: Option<&'a str>,
    sample: bool,
}

fn leaf_fields<'a>(
    site: &'a Site,
    deadline: Option<&Deadline>,
    progress: &Progress,
    lead: &[usize],
    partners: &[usize],
) -> LeafFields<'a> {
    LeafFields {
        deadline: deadline.map(Deadline::written),
        deadline_date: progress.deadline_date.map(|d| d.to_string()),
        status: progress.status,
        percent: progress.percent,
        overdue: progress.overdue,
        expected_percent: progress.schedule.map(|s| s.expected),
        schedule: progress.schedule.map(|s| s.verdict),
        lead: lead.iter().map(|&u| site.units[u].id.as_str()).collect(),
        partners: partners
            .iter()
            .map(|&u| site.units[u].id.as_str())
            .collect(),
    }
}

fn update_records<'a>(
    site: &'a Site,
    updates: &'a [Update],
    by: &[Option<usize>],
) -> Vec<UpdateRecord<'a>> {
    updates
        .iter()
        .zip(by)
        .map(|(u, b)| UpdateRecord {
            date: u.date.value.to_string(),
            status: u.status,
            percent: u.percent,
            by: b.map(|b| site.units[b].id.as_str()),
            note: u.note.as_deref(),
            sample: u.sample,
        })
        .collect()
}

/// `/data/progress.json`: every plan with status, percent, deadline date and overdue on
/// each task and target, and the roll-ups.
fn progress_data(site: &Site) -> Result<Vec<u8>, Diagnostic> {
    let plans = site
        .plans
        .iter()
        .zip(&site.plan_links)
        .map(|(plan, links)| {
            let tasks: Vec<_> = plan.tasks().zip(&links.tasks).collect();
            PlanRecord {
                id: plan.id.as_str(),
                title: &plan.title,
                source: links
                    .source
                    .map(|n| site.notices[n].index_no.value.as_str()),
                body: links.body.map(|b| site.bodies[b].id.as_str()),
                period: plan.period.map(|(s, e)| PeriodRecord {
                    start: s.to_string(),
                    end: e.to_string(),
                }),
                notes: plan.notes.as_deref(),
                rollup: &links.total,
                categories: plan
                    .categories
                    .iter()
                    .zip(&links.categories)
                    .enumerate()
                    .map(|(cx, (c, rollup))| CategoryRecord {
                        number: &c.number,
                        name: &c.name,
                        rollup,
                        tasks: tasks
                            .iter()
                            .filter(|(_, l)| l.category == cx)
                            .map(|(t, l)| TaskRecord {
                                number: &t.number.value,
                                content: &t.content,
                                leaf: leaf_fields(
                                    site,
                                    t.deadline.as_ref(),
                                    &l.progress,
                                    &l.lead,
                                    &l.partners,
                                ),
                                targets: t
                                    .targets
                                    .iter()
                                    .zip(&l.targets)
                                    .map(|(target, tl)| TargetRecord {
                                        text: &target.text,
                                        leaf: leaf_fields(
                                            site,
                                            target.deadline.as_ref().or(t.deadline.as_ref()),
                                            &tl.progress,
                                            &tl.lead,
                                            &tl.partners,
                                        ),
                                        updates: update_records(
                                            site,
                                            &target.updates,
                                            &tl.update_by,
                                        ),
                                    })
                                    .collect(),
                                updates: update_records(site, &t.updates, &l.update_by),
                            })
                            .collect(),
                    })
                    .collect(),
                url: urls::plan(plan.id.as_str()),
            }
        })
        .collect();
    json_bytes(
        DataFile::Progress.path(),
        &ProgressFile {
            as_of: site.as_of.date.to_string(),
            plans,
        },
    )
}

/// `/sitemap.xml`: every page a crawler should visit.
fn sitemap(site: &Site, base: &str) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |path: &str, lastmod: Option<String>| {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_xml(&format!("{base}{path}")));
        xml.push_str("</loc>");
        if let Some(date) = lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(&date);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    };
    for path in ["", "notices/", "units/", "bodies/", "news/"] {
        url(path, None);
    }
    for n in &site.notices {
        url(
            &urls::notice(&n.index_no.value),
            Some(n.published.to_string()),
        );
    }
    for u in &site.units {
        url(&urls::unit(u.id.as_str()), None);
    }
    for p in &site.pages {
        url(&urls::page(&p.slug), None);
    }
    for b in &site.bodies {
        url(&urls::body(b.id.as_str()), None);
    }
    url("progress/", None);
    for p in &site.plans {
        url(&urls::plan(p.id.as_str()), None);
    }
    for n in &site.news {
        url(&urls::news(&n.slug), Some(n.date.to_string()));
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

/// Notices in the feed: the newest ones, enough for any reader polling daily.
const FEED_ENTRIES: usize = 50;

/// `/feed.xml` (Atom): the newest notices.
fn atom_feed(site: &Site, base: &str) -> Vec<u8> {
    let updated = site
        .notices
        .iter()
        .map(|n| n.published)
        .max()
        .unwrap_or(site.as_of.date);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"alternate\" href=\"{}\"/>\n  <link rel=\"self\" href=\"{}feed.xml\"/>\n  <updated>{}T00:00:00Z</updated>\n",
        escape_xml(&site.config.language),
        escape_xml(&site.config.title),
        escape_xml(base),
        escape_xml(base),
        escape_xml(base),
        updated
    );
    if let Some(owner) = &site.config.owner {
        xml.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            escape_xml(owner)
        ));
    }
    for ix in 0..site.notices.len().min(FEED_ENTRIES) {
        let n = &site.notices[ix];
        let link = format!("{base}{}", urls::notice(&site.notices[ix].index_no.value));
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" href=\"{}\"/>\n    <updated>{}T00:00:00Z</updated>\n",
            escape_xml(&n.title),
            escape_xml(&link),
            escape_xml(&link),
            n.published
        ));
        if let Some(summary) = &n.summary {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape_xml(summary)));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

fn membership_record<'a>(site: &'a Site, m: &crate::site::Membership) -> MembershipRecord<'a> {
    use crate::site::BodyRole;
    let body = &site.bodies[m.body];
    MembershipRecord {
        body: body.id.as_str(),
        roles: m
            .roles
            .iter()
            .map(|r| match r {
                BodyRole::Member(_) => "member",
                BodyRole::Office => "office",
                BodyRole::Leader(_) => "leader",
            })
            .collect(),
        duties: m.roles.iter().find_map(|r| match r {
            BodyRole::Member(i) => body.members[*i].duties.as_deref(),
            _ => None,
        }),
    }
}

/// Escapes text for XML content and attribute values.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `data/notices.json` as `serde_json`'s pretty printer writes the whole file.
    #[derive(Serialize)]
    struct NoticesFile<'a> {
        as_of: String,
        notices: Vec<NoticeRecord<'a>>,
    }

    fn whole_file(site: &Site) -> Vec<u8> {
        let file = NoticesFile {
            as_of: site.as_of.date.to_string(),
            notices: (0..site.notices.len())
                .map(|ix| notice_record(site, ix))
                .collect(),
        };
        let mut bytes = serde_json::to_vec_pretty(&file).expect("serialises");
        bytes.push(b'\n');
        bytes
    }

    #[test]
    fn notices_json_is_the_pretty_printers_file_with_or_without_kept_records() {
        let mut options = crate::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
        options.as_of = "2024-12-31".parse().ok();
        let (site, _) = crate::check(&options).expect("the example site checks");
        assert!(site.notices.len() > 3);
        let expected = whole_file(&site);
        assert_eq!(notices_json(&site, None), expected);
        let kept = Kept::default();
        assert_eq!(
            notices_json(&site, Some(&kept)),
            expected,
            "first, filling kept"
        );
        assert_eq!(
            notices_json(&site, Some(&kept)),
            expected,
            "from kept records"
        );
        let mut empty = site;
        empty.notices.clear();
        empty.notice_links.clear();
        assert_eq!(notices_json(&empty, None), whole_file(&empty));
    }
}
