//! Resolve: the whole site checked as one — unique 索引号, every reference between files,
//! attachments inside `content/` — and indexed both ways for rendering.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::Content;
use crate::content::body::Body;
use crate::content::notice::{IndexNo, Notice, Validity};
use crate::content::page::{News, Page};
use crate::content::plan::{Plan, Update};
use crate::content::unit::{Unit, UnitId};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Severity, Text, did_you_mean};
use crate::enums::{Key, Label};
use crate::links::{LinkIndex, Unresolved, WrittenLink};
use crate::progress::{self, Progress, Rollup};
use crate::source::{Located, SourceFile};
use crate::text;
use crate::time::AsOf;

/// A position in [`Site::notices`]; only the resolver makes these, so they are always valid.
pub type NoticeIx = usize;
/// A position in [`Site::units`].
pub type UnitIx = usize;
/// A position in [`Site::bodies`].
pub type BodyIx = usize;
/// A position in [`Site::plans`].
pub type PlanIx = usize;

/// The validated site: every reference resolved, lists in display order.
#[derive(Debug)]
pub struct Site {
    /// The site root folder.
    pub root: PathBuf,
    /// `site.yaml`.
    pub config: SiteConfig,
    /// The day validity is judged on.
    pub as_of: AsOf,
    /// Notices, newest first (发文日期, then 索引号).
    pub notices: Vec<std::sync::Arc<Notice>>,
    /// What each notice links to and is linked from, parallel to `notices`.
    pub notice_links: Vec<NoticeLinks>,
    /// Units in id order.
    pub units: Vec<std::sync::Arc<Unit>>,
    /// Parent, children and issued notices, parallel to `units`.
    pub unit_links: Vec<UnitLinks>,
    /// Free pages, by `order` then title.
    pub pages: Vec<std::sync::Arc<Page>>,
    /// Work news, newest first.
    pub news: Vec<std::sync::Arc<News>>,
    /// Coordinating bodies in id order.
    pub bodies: Vec<std::sync::Arc<Body>>,
    /// Resolved references of each body, parallel to `bodies`.
    pub body_links: Vec<BodyLinks>,
    /// Progress plans in id order.
    pub plans: Vec<std::sync::Arc<Plan>>,
    /// Resolved references and computed progress of each plan, parallel to `plans`.
    pub plan_links: Vec<PlanLinks>,
    /// Every document a Markdown link can name, and the files links publish.
    pub links: LinkIndex,
    /// 公开目录: notices by topic and genre, and the 政策解读.
    pub catalog: crate::catalog::Catalog,
    /// The 依申请公开 register in id order: for counting only, never rendered.
    pub applications: Vec<std::sync::Arc<crate::content::application::Application>>,
    /// Working days: the shipped holiday arrangements with site.yaml's laid over them.
    pub calendar: crate::duties::Calendar,
    /// The annual report's year files in year order (`content/reports/<year>.yaml`).
    pub reports: Vec<std::sync::Arc<crate::content::year_report::YearReport>>,
    unit_index: HashMap<UnitId, UnitIx>,
}

/// A notice's resolved references.
#[derive(Debug, Clone, Default)]
pub struct NoticeLinks {
    /// 发布机构, in the order written.
    pub issuers: Vec<UnitIx>,
    /// Notices this one replaces.
    pub supersedes: Vec<NoticeIx>,
    /// Notices that replace this one.
    pub superseded_by: Vec<NoticeIx>,
    /// 相关文件 in either direction.
    pub related: Vec<NoticeIx>,
    /// The notices this one is the 政策解读 of.
    pub interprets: Vec<NoticeIx>,
    /// The 政策解读 of this notice.
    pub interpreted_by: Vec<NoticeIx>,
    /// Attachments found on disk.
    pub attachments: Vec<ResolvedAttachment>,
    /// Bodies this notice established.
    pub establishes: Vec<BodyIx>,
}

/// A body's resolved references.
#[derive(Debug, Clone, Default)]
pub struct BodyLinks {
    /// The notice that established it.
    pub established_by: Option<NoticeIx>,
    /// The unit hosting its office.
    pub office: Option<UnitIx>,
    /// The unit of each leader, parallel to `Body::leaders`.
    pub leaders: Vec<Option<UnitIx>>,
    /// Member units, parallel to `Body::members`.
    pub members: Vec<UnitIx>,
}

/// A plan's resolved references and its progress as of the build.
#[derive(Debug, Clone, Default)]
pub struct PlanLinks {
    /// The notice that published the plan.
    pub source: Option<NoticeIx>,
    /// The body that runs it.
    pub body: Option<BodyIx>,
    /// One entry per task, in table order (`Plan::tasks()`).
    pub tasks: Vec<TaskLinks>,
    /// Roll-up per category, parallel to `Plan::categories`.
    pub categories: Vec<Rollup>,
    /// Roll-up of the whole plan.
    pub total: Rollup,
}

/// A task's units and progress; targets in their own entries.
#[derive(Debug, Clone)]
pub struct TaskLinks {
    /// Index of the task's category in `Plan::categories`.
    pub category: usize,
    /// 负责单位.
    pub lead: Vec<UnitIx>,
    /// 参与单位.
    pub partners: Vec<UnitIx>,
    /// The task's own progress (rolled up from its targets when it has some).
    pub progress: Progress,
    /// Reporting unit of each of the task's own updates.
    pub update_by: Vec<Option<UnitIx>>,
    /// Each target's units and progress, parallel to `Task::targets`.
    pub targets: Vec<TargetLinks>,
}

/// A target's effective units (its own, else its task's) and progress.
#[derive(Debug, Clone)]
pub struct TargetLinks {
    /// 负责单位.
    pub lead: Vec<UnitIx>,
    /// 参与单位.
    pub partners: Vec<UnitIx>,
    /// Its progress.
    pub progress: Progress,
    /// Reporting unit of each update.
    pub update_by: Vec<Option<UnitIx>>,
}

/// A leaf of a plan (a task without targets, or one target) that a unit leads or joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Involvement {
    /// The plan.
    pub plan: PlanIx,
    /// Index of the task in `Plan::tasks()` order.
    pub task: usize,
    /// The target, if the leaf is one.
    pub target: Option<usize>,
    /// Whether the unit leads (负责) rather than joins (参与).
    pub leads: bool,
}

/// One way a unit takes part in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyRole {
    /// 成员单位; the index into `Body::members` gives its duties.
    Member(usize),
    /// The body's office sits in this unit.
    Office,
    /// A leading post (召集人, 组长 …) belongs to this unit; index into `Body::leaders`.
    Leader(usize),
}

/// A unit's place in one body.
#[derive(Debug, Clone)]
pub struct Membership {
    /// The body.
    pub body: BodyIx,
    /// Every role the unit has there, in the order office, leaders, member.
    pub roles: Vec<BodyRole>,
}

/// An attachment that exists inside `content/`.
#[derive(Debug, Clone)]
pub struct ResolvedAttachment {
    /// Link text.
    pub title: String,
    /// Path relative to `content/`, normalised with `/`; also its path in `public/`.
    pub path: String,
    /// Size in bytes, shown next to the link.
    pub size: u64,
}

/// A unit's resolved relations.
#[derive(Debug, Clone, Default)]
pub struct UnitLinks {
    /// The unit it belongs to.
    pub parent: Option<UnitIx>,
    /// Units whose parent it is.
    pub children: Vec<UnitIx>,
    /// Notices it issued or co-issued, newest first.
    pub notices: Vec<NoticeIx>,
    /// Bodies it takes part in, in body id order.
    pub bodies: Vec<Membership>,
    /// Plan leaves it leads or joins, in plan and table order.
    pub tasks: Vec<Involvement>,
}

/// 时效 as of the build: the declared value, adjusted by `valid_from` / `valid_until`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    strum::IntoStaticStr,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EffectiveValidity {
    #[strum(message = "有效")]
    Effective,
    #[strum(message = "已修改")]
    Amended,
    #[strum(message = "部分失效")]
    PartiallyExpired,
    #[strum(message = "失效")]
    Expired,
    #[strum(message = "废止")]
    Repealed,
    /// Before `valid_from`.
    #[strum(message = "尚未生效")]
    NotYetEffective,
}

/// The key is used in open data and search filters; the label in the 时效 cell.
impl Key for EffectiveValidity {}
impl Label for EffectiveValidity {}

impl EffectiveValidity {
    /// Computes 时效 on `as_of`: past `valid_until` a notice is 失效, before
    /// `valid_from` 尚未生效; a declared 废止/失效 always wins.
    pub fn of(notice: &Notice, as_of: &AsOf) -> EffectiveValidity {
        let declared = match notice.validity {
            Validity::Effective => EffectiveValidity::Effective,
            Validity::Amended => EffectiveValidity::Amended,
            Validity::PartiallyExpired => EffectiveValidity::PartiallyExpired,
            Validity::Expired => return EffectiveValidity::Expired,
            Validity::Repealed => return EffectiveValidity::Repealed,
        };
        if notice.valid_until.is_some_and(|until| until < as_of.date) {
            return EffectiveValidity::Expired;
        }
        if notice.valid_from.is_some_and(|from| as_of.date < from) {
            return EffectiveValidity::NotYetEffective;
        }
        declared
    }
}

impl Site {}

impl Site {
    /// The notice with 索引号 `index_no`.
    pub fn unit(&self, id: &UnitId) -> Option<&Unit> {
        self.unit_index.get(id).map(|&i| &*self.units[i])
    }

    /// 时效 of notice `ix` as of the build.
    pub fn validity(&self, ix: NoticeIx) -> EffectiveValidity {
        EffectiveValidity::of(&self.notices[ix], &self.as_of)
    }

    /// A hash of everything the site knows of the notice at `ix`: its file, its 时效 as
    /// of the build and its resolved links (by id, so that another notice moving in the
    /// list does not change it). Equal in two builds, every output made of the notice
    /// alone (its page, its open-data record, its search document but for its issuers'
    /// names) is the same.
    pub fn notice_fingerprint(&self, ix: NoticeIx) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        let notice = &self.notices[ix];
        notice.file.content_hash().hash(&mut h);
        self.validity(ix).hash(&mut h);
        let links = &self.notice_links[ix];
        for list in [
            &links.supersedes,
            &links.superseded_by,
            &links.related,
            &links.interprets,
            &links.interpreted_by,
        ] {
            list.len().hash(&mut h);
            for &n in list {
                self.notices[n].index_no.value.hash(&mut h);
            }
        }
        for &u in &links.issuers {
            self.units[u].id.hash(&mut h);
        }
        for a in &links.attachments {
            (&a.title, &a.path, a.size).hash(&mut h);
        }
        for &b in &links.establishes {
            self.bodies[b].id.hash(&mut h);
        }
        h.finish()
    }
}

/// Checks every cross-file rule and builds the [`Site`]; all problems are collected.
///
/// Returns the site when no error was found, and every problem (warnings too) either way.
pub fn resolve(
    root: &Path,
    content: Content,
    as_of: AsOf,
    include_drafts: bool,
) -> (Option<Site>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let Content {
        config,
        mut notices,
        mut units,
        mut pages,
        mut news,
        mut bodies,
        mut plans,
        mut applications,
        mut reports,
        broken_units,
        links: written_links,
    } = content;
    let mut left_out: BTreeSet<PathBuf> = BTreeSet::new();
    if !include_drafts {
        left_out.extend(
            notices
                .iter()
                .filter(|n| n.draft)
                .map(|n| n.file.path.clone()),
        );
        left_out.extend(news.iter().filter(|n| n.draft).map(|n| n.file.path.clone()));
        notices.retain(|n| !n.draft);
        news.retain(|n| !n.draft);
    }
    notices.par_sort_by(|a, b| (b.date, &b.index_no.value).cmp(&(a.date, &a.index_no.value)));
    units.sort_by(|a, b| a.id.cmp(&b.id));
    bodies.sort_by(|a, b| a.id.cmp(&b.id));
    plans.sort_by(|a, b| a.id.cmp(&b.id));
    applications.sort_by(|a, b| a.id.cmp(&b.id));
    reports.sort_by_key(|r| r.year);
    let calendar = crate::duties::Calendar::new(&config.holidays);
    crate::duties::deadlines::check(&applications, &calendar, as_of.date, &mut diagnostics);
    pages.sort_by(|a, b| (a.order, &a.title, &a.slug).cmp(&(b.order, &b.title, &b.slug)));
    news.sort_by(|a, b| (b.date, &a.slug).cmp(&(a.date, &b.slug)));

    // The link index needs only the items in order: it is made on a thread of its own
    // while the references are resolved (at 100,000 notices each takes a while).
    let (notices, units, bodies, plans, pages, news) = (notices, units, bodies, plans, pages, news);
    let (notice_links, unit_links, body_links, plan_links, link_index, unit_index) =
        std::thread::scope(|scope| {
            let link_index = scope
                .spawn(|| index_links(&notices, &units, &bodies, &plans, &pages, &news, &reports));

            let unit_index: HashMap<UnitId, UnitIx> = units
                .iter()
                .enumerate()
                .map(|(i, u)| (u.id.clone(), i))
                .collect();
            let unit_ids: Vec<&str> = units.iter().map(|u| u.id.as_str()).collect();
            let unit_refs = UnitRefs {
                index: &unit_index,
                known: &unit_ids,
                broken: &broken_units,
            };
            let notice_index = index_notices(&notices, &config, &mut diagnostics);
            let index_nos: Vec<&str> = notices.iter().map(|n| n.index_no.value.as_str()).collect();
            let mut notice_links = vec![NoticeLinks::default(); notices.len()];
            let mut unit_links = vec![UnitLinks::default(); units.len()];
            let content_dir = root.join("content");
            for (ix, notice) in notices.iter().enumerate() {
                let links = &mut notice_links[ix];
                for issuer in &notice.issuers {
                    if let Some(u) = unit_refs.resolve(&notice.file, issuer, &mut diagnostics)
                        && !links.issuers.contains(&u)
                    {
                        links.issuers.push(u);
                        unit_links[u].notices.push(ix);
                    }
                }
                for (refs, field) in [
                    (&notice.supersedes, "supersedes"),
                    (&notice.related, "related"),
                    (&notice.interprets, "interprets"),
                ] {
                    for reference in refs {
                        let Some(target) = NoticeRefs {
                            index: &notice_index,
                            known: &index_nos,
                        }
                        .resolve(&notice.file, reference, &mut diagnostics) else {
                            continue;
                        };
                        if target == ix {
                            diagnostics.push(Diagnostic::error(
                                Code::SelfReference,
                                &notice.file,
                                reference.position,
                                text!(
                                    "a notice cannot list itself in `{field}`",
                                    "文件不能在 `{field}` 中列出自己"
                                ),
                            ));
                        } else {
                            match field {
                                "supersedes" => links.supersedes.push(target),
                                "interprets" => links.interprets.push(target),
                                _ => links.related.push(target),
                            }
                        }
                    }
                }
                for attachment in &notice.attachments {
                    match resolve_attachment(&content_dir, &attachment.file.value, &config.limits) {
                        Ok((path, size)) => links.attachments.push(ResolvedAttachment {
                            title: attachment.title.clone(),
                            path,
                            size,
                        }),
                        Err((code, message)) => diagnostics.push(Diagnostic::error(
                            code,
                            &notice.file,
                            attachment.file.position,
                            message,
                        )),
                    }
                }
                if notice.summary.is_none() {
                    diagnostics.push(Diagnostic::warning(
                        Code::MissingSummary,
                        &notice.file,
                        notice.index_no.position,
                        text!(
                            "notice {no} has no summary (内容概述)",
                            "文件 {no} 没有内容概述（summary）",
                            no = &notice.index_no.value
                        ),
                    ));
                }
            }
            link_back(&mut notice_links);
            report_supersede_cycles(&notices, &notice_links, &mut diagnostics);

            for (ix, unit) in units.iter().enumerate() {
                let Some(parent) = &unit.parent else {
                    continue;
                };
                match unit_refs.resolve(&unit.file, parent, &mut diagnostics) {
                    Some(p) if p == ix => diagnostics.push(Diagnostic::error(
                        Code::SelfReference,
                        &unit.file,
                        parent.position,
                        text!(
                            "a unit cannot be its own parent",
                            "单位不能是自己的上级单位"
                        ),
                    )),
                    Some(p) => {
                        unit_links[ix].parent = Some(p);
                        unit_links[p].children.push(ix);
                    }
                    None => {}
                }
            }
            report_parent_cycles(&units, &unit_links, &mut diagnostics);

            let notice_refs = NoticeRefs {
                index: &notice_index,
                known: &index_nos,
            };
            let body_links: Vec<BodyLinks> = bodies
                .iter()
                .enumerate()
                .map(|(bx, body)| {
                    let links = resolve_body(body, &unit_refs, &notice_refs, &mut diagnostics);
                    record_memberships(bx, &links, &mut unit_links);
                    if let Some(n) = links.established_by {
                        notice_links[n].establishes.push(bx);
                    }
                    links
                })
                .collect();

            let body_ids: Vec<&str> = bodies.iter().map(|b| b.id.as_str()).collect();
            let plan_context = PlanContext {
                units: &unit_refs,
                notices: &notice_refs,
                body_ids: &body_ids,
                as_of: as_of.date,
            };
            let plan_links: Vec<PlanLinks> = plans
                .iter()
                .enumerate()
                .map(|(px, plan)| {
                    let links = plan_context.resolve(plan, &mut diagnostics);
                    record_involvements(px, &links, &mut unit_links);
                    links
                })
                .collect();
            let mut link_index = link_index
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let published = written_links.iter().filter(|l| !left_out.contains(&l.from));
            check_links(
                published,
                &content_dir,
                &config.limits,
                &mut link_index,
                &mut diagnostics,
            );
            (
                notice_links,
                unit_links,
                body_links,
                plan_links,
                link_index,
                unit_index,
            )
        });

    check_page_columns(&pages, &mut diagnostics);
    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    let catalog = crate::catalog::Catalog::of(&notices, &notice_links);
    let site = Site {
        root: root.to_path_buf(),
        config,
        as_of,
        notices,
        notice_links,
        units,
        unit_links,
        pages,
        news,
        bodies,
        body_links,
        plans,
        plan_links,
        links: link_index,
        catalog,
        applications,
        calendar,
        reports,
        unit_index,
    };
    // The annual report's tables are part of the one validation: a year whose 表三 does
    // not balance fails check and build alike.
    for report in &site.reports {
        let (_, problems) = crate::duties::report::Tables::compute(&site, report);
        problems.into_iter().for_each(|d| diagnostics.push(d));
    }
    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    (Some(site), diagnostics)
}

/// Each 信息公开 column (`column: guide`) is one page: the landing page links one.
fn check_page_columns(pages: &[std::sync::Arc<Page>], diagnostics: &mut Diagnostics) {
    for (i, page) in pages.iter().enumerate() {
        let Some(column) = &page.column else {
            continue;
        };
        let first = pages[..i]
            .iter()
            .find(|p| p.column.as_ref().map(|c| c.value) == Some(column.value));
        if let Some(first) = first {
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    &page.file,
                    column.position,
                    text!(
                        "`column: {column}` is already the column of {first}",
                        "`column: {column}` 已是 {first} 的栏目",
                        column = column.value.key(),
                        first = first.file.path.display()
                    ),
                )
                .with_help(text!(
                    "a column has one page: remove `column:` from one of them",
                    "每个栏目只有一个页面：请删去其中一个的 `column:`"
                )),
            );
        }
    }
}

/// Every document of the site that a link may name, by id and by source path.
fn index_links(
    notices: &[std::sync::Arc<Notice>],
    units: &[std::sync::Arc<Unit>],
    bodies: &[std::sync::Arc<Body>],
    plans: &[std::sync::Arc<Plan>],
    pages: &[std::sync::Arc<Page>],
    news: &[std::sync::Arc<News>],
    reports: &[std::sync::Arc<crate::content::year_report::YearReport>],
) -> LinkIndex {
    use crate::links::Kind;
    let mut index = LinkIndex::default();
    for n in notices {
        index.add(&n.file.path, Kind::Notice, n.index_no.value.as_str());
    }
    for u in units {
        index.add(&u.file.path, Kind::Unit, u.id.as_str());
    }
    for b in bodies {
        index.add(&b.file.path, Kind::Body, b.id.as_str());
    }
    for p in plans {
        index.add(&p.file.path, Kind::Plan, p.id.as_str());
    }
    for p in pages {
        index.add(&p.file.path, Kind::Page, &p.slug);
    }
    for n in news {
        index.add(&n.file.path, Kind::News, &n.slug);
    }
    for r in reports {
        index.add(&r.file.path, Kind::Report, &r.year.to_string());
    }
    index
}

/// Checks every internal link; a path to a file that is no document publishes the file,
/// under the same rules as an attachment (inside content/, within the size limit, not in
/// the place of a page).
fn check_links<'a>(
    links: impl Iterator<Item = &'a WrittenLink>,
    content_dir: &Path,
    limits: &crate::limits::Limits,
    index: &mut LinkIndex,
    diagnostics: &mut Diagnostics,
) {
    for link in links {
        let problem = match index.target(&link.from, &link.dest) {
            Ok(None) if crate::external::is_external(&link.dest) => {
                index.add_external(link.clone());
                continue;
            }
            Ok(_) => continue,
            Err(Unresolved::Invalid(code, message)) => (code, message),
            Err(Unresolved::MaybeFile(path)) => {
                match resolve_attachment(content_dir, &path, limits) {
                    Ok((path, size)) => {
                        index.publish_file(path, size);
                        continue;
                    }
                    Err((code, why)) => {
                        let code = if code == Code::BrokenAttachment {
                            Code::BrokenLink
                        } else {
                            code
                        };
                        let message = text!(
                            "link `{dest}` does not resolve: {en}",
                            "链接 `{dest}` 无法解析：{zh}",
                            dest = &link.dest,
                            en = why.en(),
                            zh = why.zh()
                        );
                        (code, message)
                    }
                }
            }
        };
        let (code, message) = problem;
        diagnostics.push(link.diagnostic(Severity::Error, code, message).with_help(text!(
            "link a document as notice:索引号, unit:id, body:id, plan:id, page:id or news:id, or by the path of its file",
            "链接文档请写 notice:索引号、unit:id、body:id、plan:id、page:id 或 news:id，或写其文件路径"
        )));
    }
}

/// The notices by 索引号: (hash, 索引号, position) sorted, searched by halves. Made in
/// parallel with no copy of any 索引号, and sorted by a number: at 100,000 notices a hash
/// map of owned keys, or a sort comparing the texts, costs a rebuild more than every
/// lookup of the site together.
struct NoticeIndex<'a>(Vec<(u64, &'a str, NoticeIx)>);

impl NoticeIndex<'_> {
    fn get(&self, index_no: &str) -> Option<NoticeIx> {
        let key = (text_hash(index_no.chars()), index_no);
        self.0
            .binary_search_by(|(hash, no, _)| (*hash, *no).cmp(&key))
            .ok()
            .map(|at| self.0[at].2)
    }
}

/// A hash of a text given as characters.
fn text_hash(chars: impl Iterator<Item = char>) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    for c in chars {
        h.write_u32(u32::from(c));
    }
    h.finish()
}

/// The page folder of a 索引号 as a file system that ignores case sees it: its slug,
/// lower-cased (a slug is ASCII, so ASCII lower case is all there is).
fn folder_chars(index_no: &str) -> impl Iterator<Item = char> + '_ {
    index_no.chars().map(|c| {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            c.to_ascii_lowercase()
        } else {
            '-'
        }
    })
}

/// Indexes the notices by 索引号, reporting duplicates, 索引号 that give one page folder
/// (compared without case: `A-1` and `a-1` are one folder on Windows and macOS) and
/// those that do not match `index_no_pattern`.
fn index_notices<'a>(
    notices: &'a [std::sync::Arc<Notice>],
    config: &SiteConfig,
    diagnostics: &mut Diagnostics,
) -> NoticeIndex<'a> {
    let no = |ix: NoticeIx| notices[ix].index_no.value.as_str();
    if let Some(pattern) = &config.index_no_pattern {
        let misfits: Vec<NoticeIx> = (0..notices.len())
            .into_par_iter()
            .filter(|&ix| !pattern.is_match(no(ix)))
            .collect();
        for ix in misfits {
            let notice = &notices[ix];
            diagnostics.push(
                Diagnostic::error(
                    Code::IndexNoPattern,
                    &notice.file,
                    notice.index_no.position,
                    text!(
                        "index_no `{no}` does not match the site's index_no_pattern",
                        "index_no `{no}` 不符合站点的 index_no_pattern",
                        no = &notice.index_no.value
                    ),
                )
                .with_help(text!(
                    "index_no_pattern in site.yaml is `{p}`",
                    "site.yaml 中的 index_no_pattern 为 `{p}`",
                    p = pattern.as_str()
                )),
            );
        }
    }
    // Same page folder: sorted by folder, then position, the first of each run is the
    // one the others clash with.
    let mut by_folder: Vec<(u64, NoticeIx)> = (0..notices.len())
        .into_par_iter()
        .map(|ix| (text_hash(folder_chars(no(ix))), ix))
        .collect();
    by_folder.par_sort_unstable();
    let mut first = 0;
    for at in 1..by_folder.len() {
        let ((hash, ix), (first_hash, other)) = (by_folder[at], by_folder[first]);
        if hash != first_hash {
            first = at;
            continue;
        }
        if !folder_chars(no(ix)).eq(folder_chars(no(other))) {
            // Another folder with the same hash: rare enough to compare with each.
            let Some(&(_, clash)) = by_folder[first..at]
                .iter()
                .find(|(_, o)| folder_chars(no(ix)).eq(folder_chars(no(*o))))
            else {
                continue;
            };
            if no(ix) != no(clash) {
                report_slug_clash(&notices[ix], &notices[clash], diagnostics);
            }
            continue;
        }
        if no(ix) == no(other) {
            continue; // a duplicate 索引号, reported below
        }
        report_slug_clash(&notices[ix], &notices[other], diagnostics);
    }
    // Duplicates: the first in the site's order keeps the 索引号.
    let mut by_no: Vec<(u64, &str, NoticeIx)> = (0..notices.len())
        .into_par_iter()
        .map(|ix| (text_hash(no(ix).chars()), no(ix), ix))
        .collect();
    by_no.par_sort_unstable();
    let mut index: Vec<(u64, &str, NoticeIx)> = Vec::with_capacity(by_no.len());
    for (hash, index_no, ix) in by_no {
        match index.last() {
            Some(&(_, kept, first)) if kept == index_no => {
                diagnostics.push(Diagnostic::error(
                    Code::DuplicateIndexNo,
                    &notices[ix].file,
                    notices[ix].index_no.position,
                    text!(
                        "duplicate index_no `{no}`: also used by {first}",
                        "index_no `{no}` 重复：{first} 也使用了它",
                        no = index_no,
                        first = notices[first].file.path.display()
                    ),
                ));
            }
            _ => index.push((hash, index_no, ix)),
        }
    }
    NoticeIndex(index)
}

/// Reports that `notice`'s 索引号 gives the page folder of `other`'s.
fn report_slug_clash(notice: &Notice, other: &Notice, diagnostics: &mut Diagnostics) {
    let index_no = &notice.index_no;
    diagnostics.push(
        Diagnostic::error(
            Code::SlugClash,
            &notice.file,
            index_no.position,
            text!(
                "index_no `{no}` gives the same page folder `notices/{slug}/` as index_no `{other_no}` of {other_file}",
                "index_no `{no}` 与 {other_file} 的 index_no `{other_no}` 对应同一个页面文件夹 `notices/{slug}/`",
                slug = index_no.value.slug(),
                no = &index_no.value,
                other_no = &other.index_no.value,
                other_file = other.file.path.display()
            ),
        )
        .with_help(text!(
            "index numbers that differ only in punctuation or case cannot both be published; correct one of them",
            "仅标点或大小写不同的两个索引号不能同时发布，请改正其中一个"
        )),
    );
}

/// Looks up unit references, reporting unknown ones with the closest known id.
struct UnitRefs<'a> {
    index: &'a HashMap<UnitId, UnitIx>,
    known: &'a [&'a str],
    broken: &'a [String],
}

impl UnitRefs<'_> {
    fn resolve(
        &self,
        file: &SourceFile,
        reference: &Located<String>,
        diagnostics: &mut Diagnostics,
    ) -> Option<UnitIx> {
        // A reference found is a valid id; only one not found needs a closer look.
        let found = self.index.get(reference.value.as_str()).copied();
        if found.is_none() && !self.broken.contains(&reference.value) {
            let help =
                did_you_mean(&reference.value, self.known.iter().copied()).unwrap_or_else(|| {
                    text!(
                        "add content/units/{id}.yaml or use an existing unit id",
                        "请添加 content/units/{id}.yaml，或使用已有的单位 id",
                        id = &reference.value
                    )
                });
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownUnit,
                    file,
                    reference.position,
                    text!(
                        "unknown unit `{id}`",
                        "未知单位 `{id}`",
                        id = &reference.value
                    ),
                )
                .with_help(help),
            );
        }
        found
    }
}

/// Looks up notice references by 索引号, reporting unknown ones with the closest.
struct NoticeRefs<'a> {
    index: &'a NoticeIndex<'a>,
    known: &'a [&'a str],
}

impl NoticeRefs<'_> {
    fn resolve(
        &self,
        file: &SourceFile,
        reference: &Located<String>,
        diagnostics: &mut Diagnostics,
    ) -> Option<NoticeIx> {
        let found = self.index.get(reference.value.as_str()).or_else(|| {
            IndexNo::parse(&reference.value)
                .ok()
                .and_then(|no| self.index.get(no.as_str()))
        });
        if found.is_none() {
            let d = Diagnostic::error(
                Code::UnknownNotice,
                file,
                reference.position,
                text!(
                    "unknown notice index_no `{no}`",
                    "未知文件索引号 `{no}`",
                    no = &reference.value
                ),
            );
            diagnostics
                .push(d.with_help_opt(did_you_mean(&reference.value, self.known.iter().copied())));
        }
        found
    }
}

/// Resolves a body's unit and notice references.
fn resolve_body(
    body: &Body,
    units: &UnitRefs,
    notices: &NoticeRefs,
    diagnostics: &mut Diagnostics,
) -> BodyLinks {
    let file = &body.file;
    BodyLinks {
        established_by: body
            .established_by
            .as_ref()
            .and_then(|no| notices.resolve(file, no, diagnostics)),
        office: body
            .office
            .as_ref()
            .and_then(|o| units.resolve(file, &o.unit, diagnostics)),
        leaders: body
            .leaders
            .iter()
            .map(|l| {
                l.unit
                    .as_ref()
                    .and_then(|u| units.resolve(file, u, diagnostics))
            })
            .collect(),
        members: body
            .members
            .iter()
            .filter_map(|m| units.resolve(file, &m.unit, diagnostics))
            .collect(),
    }
}

/// Records on each unit the roles it has in body `bx`.
fn record_memberships(bx: BodyIx, links: &BodyLinks, unit_links: &mut [UnitLinks]) {
    let mut roles: BTreeMap<UnitIx, Vec<BodyRole>> = BTreeMap::new();
    if let Some(u) = links.office {
        roles.entry(u).or_default().push(BodyRole::Office);
    }
    for (i, u) in links.leaders.iter().enumerate() {
        if let Some(u) = u {
            roles.entry(*u).or_default().push(BodyRole::Leader(i));
        }
    }
    for (i, &u) in links.members.iter().enumerate() {
        roles.entry(u).or_default().push(BodyRole::Member(i));
    }
    for (u, roles) in roles {
        unit_links[u].bodies.push(Membership { body: bx, roles });
    }
}

/// What resolving a plan needs from the rest of the site.
struct PlanContext<'a> {
    units: &'a UnitRefs<'a>,
    notices: &'a NoticeRefs<'a>,
    body_ids: &'a [&'a str],
    as_of: jiff::civil::Date,
}

impl PlanContext<'_> {
    /// Resolves a plan's references and computes its progress as of the build.
    fn resolve(&self, plan: &Plan, diagnostics: &mut Diagnostics) -> PlanLinks {
        let file = &plan.file;
        let units = |refs: &[Located<String>], diagnostics: &mut Diagnostics| -> Vec<UnitIx> {
            refs.iter()
                .filter_map(|r| self.units.resolve(file, r, diagnostics))
                .collect()
        };
        let source = plan
            .source
            .as_ref()
            .and_then(|no| self.notices.resolve(file, no, diagnostics));
        let body = plan.body.as_ref().and_then(|b| {
            let found = self.body_ids.iter().position(|id| *id == b.value);
            if found.is_none() {
                let d = Diagnostic::error(
                    Code::UnknownBody,
                    file,
                    b.position,
                    text!(
                        "unknown body `{id}`",
                        "未知议事协调机构 `{id}`",
                        id = &b.value
                    ),
                );
                diagnostics
                    .push(d.with_help_opt(did_you_mean(&b.value, self.body_ids.iter().copied())));
            }
            found
        });
        let start = plan.period.map(|(start, _)| start);
        let mut categories = vec![Rollup::default(); plan.categories.len()];
        let mut tasks = Vec::new();
        for (cx, category) in plan.categories.iter().enumerate() {
            for task in &category.tasks {
                let lead = units(&task.lead, diagnostics);
                let partners = units(&task.partners, diagnostics);
                let targets: Vec<TargetLinks> = task
                    .targets
                    .iter()
                    .map(|target| {
                        let deadline = target.deadline.as_ref().or(task.deadline.as_ref());
                        let progress = progress::leaf(&target.updates, deadline, start, self.as_of);
                        categories[cx].add(&progress);
                        TargetLinks {
                            lead: if target.lead.is_empty() {
                                lead.clone()
                            } else {
                                units(&target.lead, diagnostics)
                            },
                            partners: if target.partners.is_empty() {
                                partners.clone()
                            } else {
                                units(&target.partners, diagnostics)
                            },
                            update_by: self.check_updates(file, &target.updates, diagnostics),
                            progress,
                        }
                    })
                    .collect();
                let progress = if targets.is_empty() {
                    let p =
                        progress::leaf(&task.updates, task.deadline.as_ref(), start, self.as_of);
                    categories[cx].add(&p);
                    p
                } else {
                    let leaves: Vec<Progress> =
                        targets.iter().map(|t| t.progress.clone()).collect();
                    progress::rolled(&leaves, task.deadline.as_ref(), self.as_of)
                };
                tasks.push(TaskLinks {
                    category: cx,
                    update_by: self.check_updates(file, &task.updates, diagnostics),
                    lead,
                    partners,
                    progress,
                    targets,
                });
            }
        }
        let mut total = Rollup::default();
        categories.iter().for_each(|c| total.merge(c));
        PlanLinks {
            source,
            body,
            tasks,
            categories,
            total,
        }
    }

    /// Resolves each update's reporting unit; an update dated after *as of* is an error
    /// (the site would show a future report as fact).
    fn check_updates(
        &self,
        file: &SourceFile,
        updates: &[Update],
        diagnostics: &mut Diagnostics,
    ) -> Vec<Option<UnitIx>> {
        updates
            .iter()
            .map(|u| {
                if u.date.value > self.as_of {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::FutureDate,
                            file,
                            u.date.position,
                            text!(
                                "update dated {date} is after the build's as-of date {as_of}",
                                "进度更新日期 {date} 晚于本次构建的截至日期 {as_of}",
                                date = u.date.value,
                                as_of = self.as_of
                            ),
                        )
                        .with_help(text!(
                            "fix the date, or build with a later --as-of",
                            "请改正日期，或用更晚的 --as-of 构建"
                        )),
                    );
                }
                u.by.as_ref()
                    .and_then(|by| self.units.resolve(file, by, diagnostics))
            })
            .collect()
    }
}

/// Records on each unit the plan leaves it leads or joins.
fn record_involvements(px: PlanIx, links: &PlanLinks, unit_links: &mut [UnitLinks]) {
    for (tx, task) in links.tasks.iter().enumerate() {
        let leaves: Vec<(Option<usize>, &[UnitIx], &[UnitIx])> = if task.targets.is_empty() {
            vec![(None, &task.lead, &task.partners)]
        } else {
            task.targets
                .iter()
                .enumerate()
                .map(|(i, t)| (Some(i), t.lead.as_slice(), t.partners.as_slice()))
                .collect()
        };
        for (target, lead, partners) in leaves {
            let mut seen = BTreeSet::new();
            for (&u, leads) in lead
                .iter()
                .map(|u| (u, true))
                .chain(partners.iter().map(|u| (u, false)))
            {
                if seen.insert(u) {
                    unit_links[u].tasks.push(Involvement {
                        plan: px,
                        task: tx,
                        target,
                        leads,
                    });
                }
            }
        }
    }
}

/// Fills `superseded_by` and makes `related` symmetric, each list sorted and unique.
fn link_back(links: &mut [NoticeLinks]) {
    let mut superseded_by: BTreeMap<NoticeIx, BTreeSet<NoticeIx>> = BTreeMap::new();
    let mut related: BTreeMap<NoticeIx, BTreeSet<NoticeIx>> = BTreeMap::new();
    let mut interpreted_by: BTreeMap<NoticeIx, BTreeSet<NoticeIx>> = BTreeMap::new();
    for (ix, l) in links.iter().enumerate() {
        for &old in &l.supersedes {
            superseded_by.entry(old).or_default().insert(ix);
        }
        for &other in &l.related {
            related.entry(ix).or_default().insert(other);
            related.entry(other).or_default().insert(ix);
        }
        for &policy in &l.interprets {
            interpreted_by.entry(policy).or_default().insert(ix);
        }
    }
    let take = |map: &mut BTreeMap<NoticeIx, BTreeSet<NoticeIx>>, ix| -> Vec<NoticeIx> {
        map.remove(&ix).unwrap_or_default().into_iter().collect()
    };
    for (ix, l) in links.iter_mut().enumerate() {
        l.supersedes.sort_unstable();
        l.supersedes.dedup();
        l.interprets.sort_unstable();
        l.interprets.dedup();
        l.superseded_by = take(&mut superseded_by, ix);
        l.interpreted_by = take(&mut interpreted_by, ix);
        // A 政策解读 and its notice show each other as such, not again as 相关文件.
        let (interprets, interpreted_by) = (&l.interprets, &l.interpreted_by);
        l.related = take(&mut related, ix)
            .into_iter()
            .filter(|r| !interprets.contains(r) && !interpreted_by.contains(r))
            .collect();
    }
}

/// Finds an attachment under `content/`: no absolute path, no `..`, and no symlink that
/// leads outside. Returns its normalised relative path and size.
fn resolve_attachment(
    content_dir: &Path,
    written: &str,
    limits: &crate::limits::Limits,
) -> Result<(String, u64), (Code, Text)> {
    let broken = |message: Text| (Code::BrokenAttachment, message);
    let relative = Path::new(written);
    let escapes = relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if written.trim().is_empty() || escapes || written.contains('\\') {
        return Err(broken(text!(
            "attachment path `{written}` must be relative to content/ and stay inside it (no `..`, no leading `/`)",
            "附件路径 `{written}` 必须相对于 content/ 且不超出它（不能有 `..`，不能以 `/` 开头）"
        )));
    }
    let full = content_dir.join(relative);
    let canonical = full.canonicalize().map_err(|_| {
        broken(text!(
            "attachment file `{written}` does not exist under content/",
            "content/ 下不存在附件文件 `{written}`"
        ))
    })?;
    let content_canonical = content_dir.canonicalize().map_err(|e| {
        (
            Code::ReadFailed,
            text!("cannot read content/: {e}", "无法读取 content/：{e}"),
        )
    })?;
    if !canonical.starts_with(&content_canonical) {
        return Err(broken(text!(
            "attachment `{written}` is a link that leads outside content/",
            "附件 `{written}` 是指向 content/ 之外的链接"
        )));
    }
    let meta = std::fs::metadata(&canonical).map_err(|e| {
        (
            Code::ReadFailed,
            text!(
                "cannot read attachment `{written}`: {e}",
                "无法读取附件 `{written}`：{e}"
            ),
        )
    })?;
    if !meta.is_file() {
        return Err(broken(text!(
            "attachment `{written}` is not a file",
            "附件 `{written}` 不是文件"
        )));
    }
    if meta.len() > limits.attachment_bytes() {
        return Err((
            Code::FileTooLarge,
            text!(
                "attachment `{written}` is {size}, more than the limit of {max} (raise `limits: attachment_mb:` in site.yaml)",
                "附件 `{written}` 大小为 {size}，超过上限 {max}（可在 site.yaml 中调高 `limits: attachment_mb:`）",
                size = crate::limits::megabytes(meta.len()),
                max = crate::limits::megabytes(limits.attachment_bytes())
            ),
        ));
    }
    let normalised: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let path = normalised.join("/");
    if let Some((code, problem)) = clashes_with_the_build(&path) {
        return Err((
            code,
            text!(
                "attachment `{written}` cannot be published: {en}",
                "附件 `{written}` 不能发布：{zh}",
                en = problem.en(),
                zh = problem.zh()
            ),
        ));
    }
    Ok((path, meta.len()))
}

/// A notice cannot, through `supersedes`, replace itself: each page would say it was
/// replaced by the other. Finds every cycle with one depth-first pass (a back edge closes
/// one) and reports it at the reference that closes it, listing the notices around it.
fn report_supersede_cycles(
    notices: &[std::sync::Arc<Notice>],
    links: &[NoticeLinks],
    diagnostics: &mut Diagnostics,
) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let mut mark = vec![Mark::New; notices.len()];
    for start in 0..notices.len() {
        if mark[start] != Mark::New {
            continue;
        }
        // The current path: each notice with the index of its next edge to follow.
        let mut path: Vec<(NoticeIx, usize)> = vec![(start, 0)];
        mark[start] = Mark::OnPath;
        while let Some(&mut (ix, ref mut next)) = path.last_mut() {
            let Some(&target) = links[ix].supersedes.get(*next) else {
                mark[ix] = Mark::Done;
                path.pop();
                continue;
            };
            *next += 1;
            match mark[target] {
                Mark::New => {
                    mark[target] = Mark::OnPath;
                    path.push((target, 0));
                }
                Mark::OnPath => {
                    let from = path.iter().position(|&(n, _)| n == target).unwrap_or(0);
                    let cycle: Vec<String> = path[from..]
                        .iter()
                        .chain(std::iter::once(&(target, 0)))
                        .map(|&(n, _)| notices[n].index_no.value.to_string())
                        .collect();
                    let notice = &notices[ix];
                    let wanted = &notices[target].index_no.value;
                    let position = notice
                        .supersedes
                        .iter()
                        .find(|r| IndexNo::parse(&r.value).is_ok_and(|no| &no == wanted))
                        .map_or(notice.index_no.position, |r| r.position);
                    diagnostics.push(
                        Diagnostic::error(
                            Code::Cycle,
                            &notice.file,
                            position,
                            text!(
                                "`supersedes` goes round in a circle: {cycle}",
                                "`supersedes` 形成了循环：{cycle}",
                                cycle = cycle.join(" → ")
                            ),
                        )
                        .with_help(text!(
                            "a notice can only replace older ones; remove one of these references",
                            "文件只能替代更早的文件，请删除其中一个引用"
                        )),
                    );
                }
                Mark::Done => {}
            }
        }
    }
}

/// Why an attachment's path in the output (its path under `content/`) cannot be published,
/// if it cannot: it would run in a browser as part of the site (HTML, SVG, script), or it
/// would take the place of a file the build writes itself: pages are `…/index.html`,
/// `assets/`, `search/` and `data/` are the build's, and so are a few root files. Compared
/// without case, as on Windows and macOS; hidden names are refused too (servers often
/// hide them).
fn clashes_with_the_build(path: &str) -> Option<(Code, Text)> {
    let reserved = |message: Text| Some((Code::ReservedName, message));
    let lower = path.to_lowercase();
    let segments: Vec<&str> = lower.split('/').collect();
    if segments.iter().any(|s| s.starts_with('.')) {
        return reserved(text!(
            "a file or folder name may not start with `.`",
            "文件或文件夹名不能以 `.` 开头"
        ));
    }
    if segments.last() == Some(&"index.html") {
        return reserved(text!(
            "`index.html` is the name of every page the build writes",
            "`index.html` 是构建写出的每个页面的文件名"
        ));
    }
    if matches!(segments.first(), Some(&("assets" | "search" | "data"))) {
        return reserved(text!(
            "`assets/`, `search/` and `data/` hold files the build writes",
            "`assets/`、`search/` 和 `data/` 存放构建写出的文件"
        ));
    }
    if segments.len() == 1
        && matches!(
            segments[0],
            "404.html" | "feed.xml" | "sitemap.xml" | "robots.txt" | "favicon.ico"
        )
    {
        return reserved(text!(
            "the build writes a file of this name at the site root",
            "构建会在站点根目录写出同名文件"
        ));
    }
    if segments
        .iter()
        .any(|s| crate::content::ids::is_reserved_on_windows(s))
    {
        return reserved(text!(
            "its name is one Windows reserves",
            "它的名称是 Windows 保留的名称"
        ));
    }
    let extension = lower.rsplit_once('.').map_or("", |(_, e)| e);
    if ACTIVE_TYPES.contains(&extension) {
        return Some((
            Code::ActiveFile,
            text!(
                "a browser would run it as part of the site (HTML, SVG, script, style sheet): offer it zipped, or as PDF",
                "浏览器会把它当作站点的一部分运行（HTML、SVG、脚本、样式表）：请压缩后提供，或提供 PDF"
            ),
        ));
    }
    None
}

/// File types a browser runs or renders as part of the site's origin: published from
/// content, they would be script on the site without `unsafe_html`, which the CSP's
/// `script-src 'self'` allows. Attachments are documents to download, never these.
const ACTIVE_TYPES: [&str; 16] = [
    "html", "htm", "xhtml", "shtml", "xht", "svg", "svgz", "js", "mjs", "cjs", "css", "xml", "xsl",
    "xslt", "wasm", "swf",
];

fn report_parent_cycles(
    units: &[std::sync::Arc<Unit>],
    links: &[UnitLinks],
    diagnostics: &mut Diagnostics,
) {
    for (start, unit) in units.iter().enumerate() {
        let mut seen = BTreeSet::from([start]);
        let mut current = links[start].parent;
        while let Some(p) = current {
            if p == start {
                if let Some(parent) = &unit.parent {
                    diagnostics.push(Diagnostic::error(
                        Code::Cycle,
                        &unit.file,
                        parent.position,
                        text!(
                            "unit `{id}` is its own ancestor through `parent`",
                            "单位 `{id}` 通过 `parent` 成了自己的上级",
                            id = &unit.id
                        ),
                    ));
                }
                break;
            }
            if !seen.insert(p) {
                break;
            }
            current = links[p].parent;
        }
    }
}
