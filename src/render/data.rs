//! Open data (`/data/*.json`) and the machine feeds (`/sitemap.xml`, `/feed.xml`).
//!
//! The JSON files use the content's own field names plus what the build computed; other
//! systems harvest them, so their shape is documented in `docs/open-data.md` and kept stable.

use serde::Serialize;

use super::Renderer;
use super::views::{notice_url, unit_url};
use super::{ItemKey, OutputFile};
use crate::content::plan::{Status, Update};
use crate::diagnostics::Diagnostic;
use crate::progress::{Progress, Rollup};
use crate::site::Site;
use crate::time::Deadline;

#[derive(Serialize)]
struct NoticesFile<'a> {
    as_of: String,
    notices: Vec<NoticeRecord<'a>>,
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

fn json_file(
    path: &str,
    value: &impl Serialize,
    sources: Vec<ItemKey>,
) -> Result<OutputFile, Diagnostic> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| {
        Diagnostic::at_path(
            crate::diagnostics::Code::WriteFailed,
            std::path::Path::new(path),
            crate::text!("cannot write JSON: {e}", "无法写出 JSON：{e}"),
        )
    })?;
    bytes.push(b'\n');
    Ok(OutputFile {
        path: path.to_string(),
        bytes,
        sources,
    })
}

/// `/data/notices.json` and `/data/units.json`.
pub fn open_data(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = r.site;
    let index_no = |ix: &usize| site.notices[*ix].index_no.value.as_str();
    let notices = NoticesFile {
        as_of: site.as_of.date.to_string(),
        notices: site
            .notices
            .iter()
            .enumerate()
            .map(|(ix, n)| {
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
                    url: notice_url(site, ix),
                }
            })
            .collect(),
    };
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
                url: unit_url(u.id.as_str()),
            })
            .collect(),
    };
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
                url: super::bodies::body_url(b.id.as_str()),
            })
            .collect(),
    };
    vec![
        json_file(
            "data/bodies.json",
            &bodies,
            vec![ItemKey::Site, ItemKey::AllBodies, ItemKey::AllUnits],
        ),
        json_file(
            "data/notices.json",
            &notices,
            vec![ItemKey::Site, ItemKey::AllNotices],
        ),
        json_file(
            "data/units.json",
            &units,
            vec![
                ItemKey::Site,
                ItemKey::AllUnits,
                ItemKey::AllNotices,
                ItemKey::AllBodies,
            ],
        ),
    ]
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
pub fn progress_data(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = r.site;
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
                url: super::progress::plan_url(plan.id.as_str()),
            }
        })
        .collect();
    vec![json_file(
        "data/progress.json",
        &ProgressFile {
            as_of: site.as_of.date.to_string(),
            plans,
        },
        vec![ItemKey::Site, ItemKey::AllPlans, ItemKey::AllUnits],
    )]
}

/// `/sitemap.xml` and `/feed.xml` (Atom): both need absolute URLs, so they are written
/// only when `base_url` is set in site.yaml.
pub fn feeds(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = r.site;
    let Some(base) = site.config.base_url.as_deref() else {
        return Vec::new();
    };
    vec![Ok(sitemap(site, base)), Ok(atom_feed(site, base))]
}

fn sitemap(site: &Site, base: &str) -> OutputFile {
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
    for (ix, n) in site.notices.iter().enumerate() {
        url(&notice_url(site, ix), Some(n.published.to_string()));
    }
    for u in &site.units {
        url(&unit_url(u.id.as_str()), None);
    }
    for p in &site.pages {
        url(&crate::urls::page(&p.slug), None);
    }
    for b in &site.bodies {
        url(&super::bodies::body_url(b.id.as_str()), None);
    }
    url("progress/", None);
    for p in &site.plans {
        url(&super::progress::plan_url(p.id.as_str()), None);
    }
    for n in &site.news {
        url(&crate::urls::news(&n.slug), Some(n.date.to_string()));
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
        sources: vec![
            ItemKey::Site,
            ItemKey::AllNotices,
            ItemKey::AllUnits,
            ItemKey::AllNews,
        ],
    }
}

/// Notices in the feed: the newest ones, enough for any reader polling daily.
const FEED_ENTRIES: usize = 50;

fn atom_feed(site: &Site, base: &str) -> OutputFile {
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
        let link = format!("{base}{}", notice_url(site, ix));
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
    OutputFile {
        path: "feed.xml".into(),
        bytes: xml.into_bytes(),
        sources: vec![ItemKey::Site, ItemKey::AllNotices],
    }
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
