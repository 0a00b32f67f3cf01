//! Progress plans: `/progress/`, `/progress/<id>/` (the 工作分解表 as published, with
//! status, overdue and 序时进度 per row and figures drawn at build time) and the per-unit
//! view `/progress/<id>/units/<unit>/`.

use std::collections::BTreeSet;

use serde::Serialize;

use super::views::{NoticeItem, UnitRef, notice_item, unit_ref};
use super::{OutputFile, PageHead, PageId, Reads, Renderer, Section};
use crate::content::plan::{Status, Update};
use crate::diagnostics::Diagnostic;
use crate::enums::{Key, Label};
use crate::links::root_of;
use crate::progress::{Progress, Rollup};
use crate::site::{Involvement, PlanIx, Site, UnitIx};
use crate::time::chinese_date;
use crate::urls;

/// Root-relative URL of a plan page.
pub fn plan_url(id: &str) -> String {
    urls::plan(id)
}

/// A status as a reader sees it: words, percent, overdue and 序时进度.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// Status key (CSS class and open data).
    pub key: &'static str,
    /// 已完成, 推进中 ….
    pub label: &'static str,
    /// 0–100.
    pub percent: u8,
    /// Past its deadline and not done.
    pub overdue: bool,
    /// 序时进度, if the leaf has a start and a dated deadline.
    pub expected: Option<u8>,
    /// 超进度 / 达进度 / 欠进度.
    pub verdict: Option<&'static str>,
    /// Verdict key for CSS, in kebab case (`on-track`).
    pub verdict_key: Option<String>,
}

impl StatusView {
    /// The view of computed progress.
    pub fn of(p: &Progress) -> StatusView {
        StatusView {
            key: p.status.key(),
            label: p.status.label(),
            percent: p.percent,
            overdue: p.overdue,
            expected: p.schedule.map(|s| s.expected),
            verdict: p.schedule.map(|s| s.verdict.label()),
            verdict_key: p.schedule.map(|s| s.verdict.key().replace('_', "-")),
        }
    }
}

/// One segment of a stacked status bar, drawn as SVG at build time.
#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    /// Status key (fill colour via CSS).
    pub key: &'static str,
    /// Status words.
    pub label: &'static str,
    /// Leaves with this status.
    pub count: usize,
    /// Left edge, 0–100.
    pub x: f32,
    /// Width, 0–100.
    pub width: f32,
}

/// A roll-up as templates show it: figures, text and bar segments.
#[derive(Debug, Clone, Serialize)]
pub struct RollupView {
    /// The numbers.
    #[serde(flatten)]
    pub rollup: Rollup,
    /// Stacked-bar segments, one per status present.
    pub segments: Vec<Segment>,
    /// The whole figure in words, for screen readers and as the SVG's title.
    pub text: String,
}

impl RollupView {
    /// Builds segments and text for `rollup`.
    pub fn of(rollup: &Rollup) -> RollupView {
        let total = rollup.total.max(1) as f32;
        let mut x: f32 = 0.0;
        let mut segments = Vec::new();
        let mut parts = Vec::new();
        for status in Status::SUMMARY {
            let count = rollup.count(status);
            if count == 0 {
                continue;
            }
            let width = count as f32 * 100.0 / total;
            segments.push(Segment {
                key: status.key(),
                label: status.label(),
                count,
                x: (x * 100.0).round() / 100.0,
                width: (width * 100.0).round() / 100.0,
            });
            x += width;
            parts.push(format!("{}{}项", status.label(), count));
        }
        let text = format!(
            "共{}项：{}；逾期{}项；完成率{}%",
            rollup.total,
            if parts.is_empty() {
                "无".to_string()
            } else {
                parts.join("，")
            },
            rollup.overdue,
            rollup.done_percent
        );
        RollupView {
            rollup: rollup.clone(),
            segments,
            text,
        }
    }
}

#[derive(Serialize)]
struct UnitLink {
    name: String,
    short_name: String,
    /// The per-unit view of this plan.
    url: String,
    collective: bool,
}

#[derive(Serialize)]
struct UpdateView {
    date: String,
    status: &'static str,
    percent: Option<u8>,
    by: Option<String>,
    note_html: Option<String>,
    sample: bool,
}

#[derive(Serialize)]
struct CategoryCell {
    number: String,
    name: String,
    rowspan: usize,
}

#[derive(Serialize)]
struct TaskCell {
    number: String,
    content: String,
    rowspan: usize,
    /// The rolled-up status of a task with targets.
    rolled: Option<StatusView>,
}

#[derive(Serialize)]
struct Row {
    category: Option<CategoryCell>,
    task: Option<TaskCell>,
    target: Option<String>,
    deadline: String,
    lead: Vec<UnitLink>,
    partners: Vec<UnitLink>,
    status: StatusView,
    latest: Option<UpdateView>,
    updates: Vec<UpdateView>,
}

#[derive(Serialize)]
struct CategorySummary {
    number: String,
    name: String,
    rollup: RollupView,
}

#[derive(Serialize)]
struct PlanPage {
    id: String,
    title: String,
    url: String,
    source: Option<NoticeItem>,
    body: Option<super::bodies::BodyRef>,
    period: Option<(String, String)>,
    has_categories: bool,
    total: RollupView,
    categories: Vec<CategorySummary>,
    rows: Vec<Row>,
    notes_html: Option<String>,
    has_sample: bool,
    as_of_label: String,
    /// The plan's Atom feed of progress updates (with `base_url`).
    feed: Option<String>,
}

#[derive(Serialize)]
struct PlanListItem {
    title: String,
    url: String,
    total: RollupView,
    period: Option<(String, String)>,
    source: Option<NoticeItem>,
}

/// A plan as listed on `/progress/` and the home page.
pub fn plan_summaries(reads: &Reads) -> Vec<impl Serialize + use<>> {
    (0..reads.plan_count())
        .map(|px| {
            let (plan, links) = reads.plan(px);
            PlanListItem {
                title: plan.title.clone(),
                url: urls::plan(plan.id.as_str()),
                total: RollupView::of(&links.total),
                period: plan.period.map(|(s, e)| (s.to_string(), e.to_string())),
                source: links.source.map(|n| notice_item(reads, n)),
            }
        })
        .collect()
}

/// `/progress/`, each plan page and each plan's view for every unit it involves.
pub(super) fn list_pages(site: &Site, ids: &mut Vec<PageId>) {
    ids.push(PageId::Plans);
    for px in 0..site.plans.len() {
        ids.push(PageId::Plan(px));
        let involved: BTreeSet<UnitIx> = (0..site.units.len())
            .filter(|&u| site.unit_links[u].tasks.iter().any(|i| i.plan == px))
            .collect();
        ids.extend(involved.into_iter().map(|u| PageId::PlanUnit(px, u)));
    }
}

/// `/progress/`.
pub(super) fn plan_list(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    #[derive(Serialize)]
    struct PlanList<T: Serialize> {
        plans: Vec<T>,
    }
    let reads = r.reads();
    let plans = plan_summaries(&reads);
    r.page(
        reads,
        urls::index_file(urls::PLANS),
        "plan_list.html",
        PageHead::new("工作进度", Section::Progress).column(&super::views::PROGRESS),
        &PlanList { plans },
    )
}

fn unit_link(reads: &Reads, plan: &str, u: UnitIx) -> UnitLink {
    let unit = unit_ref(reads, u);
    UnitLink {
        url: urls::plan_unit(plan, &unit.id),
        name: unit.name,
        short_name: unit.short_name,
        collective: unit.collective,
    }
}

/// An update as its row shows it; `note` is Markdown written in `from`.
fn update_view(
    reads: &Reads,
    from: &std::path::Path,
    root: &str,
    update: &Update,
    by: Option<UnitIx>,
) -> UpdateView {
    UpdateView {
        date: update.date.value.to_string(),
        status: update.status.label(),
        percent: update.percent,
        by: by.map(|u| unit_ref(reads, u).short_name),
        note_html: update
            .note
            .as_deref()
            .map(|n| reads.markdown(n, from, root).html),
        sample: update.sample,
    }
}

/// The page of plan `px`: the 工作分解表 with progress.
pub(super) fn plan_page(r: &Renderer, px: PlanIx) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let (plan, links) = reads.plan(px);
    let id = plan.id.as_str();
    let root = root_of(&urls::plan(id));
    let from = plan.file.path.as_path();
    let mut rows = Vec::new();
    let mut has_sample = false;
    let tasks: Vec<_> = plan.tasks().zip(&links.tasks).collect();
    for (cx, category) in plan.categories.iter().enumerate() {
        let in_category: Vec<_> = tasks.iter().filter(|(_, l)| l.category == cx).collect();
        let category_rows: usize = in_category
            .iter()
            .map(|(t, _)| t.targets.len().max(1))
            .sum();
        let mut first_in_category = true;
        for (task, task_links) in in_category {
            let task_rows = task.targets.len().max(1);
            let mut leaves: Vec<Row> = Vec::with_capacity(task_rows);
            let mut add_row = |target: Option<String>,
                               deadline: Option<&crate::time::Deadline>,
                               lead: &[UnitIx],
                               partners: &[UnitIx],
                               progress: &Progress,
                               updates: &[Update],
                               by: &[Option<UnitIx>]| {
                let updates: Vec<UpdateView> = updates
                    .iter()
                    .zip(by)
                    .map(|(u, &b)| update_view(&reads, from, &root, u, b))
                    .collect();
                has_sample |= updates.iter().any(|u| u.sample);
                leaves.push(Row {
                    category: None,
                    task: None,
                    target,
                    deadline: deadline.map_or_else(|| "—".to_string(), |d| d.label()),
                    lead: lead.iter().map(|&u| unit_link(&reads, id, u)).collect(),
                    partners: partners.iter().map(|&u| unit_link(&reads, id, u)).collect(),
                    status: StatusView::of(progress),
                    latest: progress.latest.and_then(|i| {
                        updates.get(i).map(|u| UpdateView {
                            date: u.date.clone(),
                            status: u.status,
                            percent: u.percent,
                            by: u.by.clone(),
                            note_html: u.note_html.clone(),
                            sample: u.sample,
                        })
                    }),
                    updates,
                });
            };
            if task.targets.is_empty() {
                add_row(
                    None,
                    task.deadline.as_ref(),
                    &task_links.lead,
                    &task_links.partners,
                    &task_links.progress,
                    &task.updates,
                    &task_links.update_by,
                );
            } else {
                for (target, target_links) in task.targets.iter().zip(&task_links.targets) {
                    add_row(
                        Some(target.text.clone()),
                        target.deadline.as_ref().or(task.deadline.as_ref()),
                        &target_links.lead,
                        &target_links.partners,
                        &target_links.progress,
                        &target.updates,
                        &target_links.update_by,
                    );
                }
            }
            if let Some(first) = leaves.first_mut() {
                first.task = Some(TaskCell {
                    number: task.number.value.clone(),
                    content: task.content.clone(),
                    rowspan: task_rows,
                    rolled: (!task.targets.is_empty())
                        .then(|| StatusView::of(&task_links.progress)),
                });
                if first_in_category && plan.has_categories {
                    first.category = Some(CategoryCell {
                        number: category.number.clone(),
                        name: category.name.clone(),
                        rowspan: category_rows,
                    });
                }
            }
            first_in_category = false;
            rows.extend(leaves);
        }
    }
    let view = PlanPage {
        id: id.to_string(),
        title: plan.title.clone(),
        url: urls::plan(id),
        source: links.source.map(|n| notice_item(&reads, n)),
        body: links.body.map(|b| super::bodies::body_ref(&reads, b)),
        period: plan.period.map(|(s, e)| (chinese_date(s), chinese_date(e))),
        has_categories: plan.has_categories,
        total: RollupView::of(&links.total),
        categories: plan
            .categories
            .iter()
            .zip(&links.categories)
            .filter(|_| plan.has_categories)
            .map(|(c, rollup)| CategorySummary {
                number: c.number.clone(),
                name: c.name.clone(),
                rollup: RollupView::of(rollup),
            })
            .collect(),
        rows,
        notes_html: plan
            .notes
            .as_deref()
            .map(|n| reads.markdown(n, from, &root).html),
        has_sample,
        as_of_label: chinese_date(reads.as_of().date),
        feed: super::feeds::feed_link(reads.config(), || urls::feed_in(&urls::plan(id))),
    };
    // Published as of its latest progress report, else with its source notice, else as
    // of the build.
    let latest = plan
        .tasks()
        .flat_map(|t| {
            t.updates
                .iter()
                .chain(t.targets.iter().flat_map(|g| &g.updates))
        })
        .map(|u| u.date.value)
        .max();
    let date = match (latest, &view.source) {
        (Some(d), _) => d.to_string(),
        (None, Some(n)) => n.date.clone(),
        (None, None) => reads.as_of().date.to_string(),
    };
    let article = super::views::Article::new(
        &plan.title,
        &date,
        &view
            .body
            .as_ref()
            .map_or_else(|| super::views::office(&reads), |b| b.name.clone()),
        &[],
        &[
            "工作分解",
            "工作进度",
            view.body.as_ref().map_or("", |b| b.name.as_str()),
        ],
        Some(&format!("{}：{}", plan.title, view.total.text)),
    );
    r.page(
        reads,
        urls::index_file(&view.url),
        "plan.html",
        PageHead::new(&plan.title, Section::Progress)
            .column(&super::views::PROGRESS)
            .article(article),
        &view,
    )
}

/// One leaf of a plan as a unit's lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct LeafItem {
    /// The plan's title.
    pub plan_title: String,
    /// Root-relative URL of the plan page.
    pub plan_url: String,
    /// 序号.
    pub number: String,
    /// 工作内容.
    pub content: String,
    /// 目标要求, if the leaf is a target.
    pub target: Option<String>,
    /// Deadline as written.
    pub deadline: String,
    /// 负责 or 参与.
    pub role: &'static str,
    /// Status, percent, overdue.
    pub status: StatusView,
}

/// The leaf `involvement` points at (`None` only if it does not exist, which the
/// resolver never records).
pub fn leaf_item(reads: &Reads, involvement: &Involvement) -> Option<LeafItem> {
    let (plan, links) = reads.plan(involvement.plan);
    let (task, task_links) = plan.tasks().zip(&links.tasks).nth(involvement.task)?;
    let (target, deadline, progress) = match involvement.target {
        Some(i) => (
            Some(task.targets.get(i)?.text.clone()),
            task.targets[i].deadline.as_ref().or(task.deadline.as_ref()),
            &task_links.targets.get(i)?.progress,
        ),
        None => (None, task.deadline.as_ref(), &task_links.progress),
    };
    Some(LeafItem {
        plan_title: plan.title.clone(),
        plan_url: urls::plan(plan.id.as_str()),
        number: task.number.value.clone(),
        content: task.content.clone(),
        target,
        deadline: deadline.map_or_else(|| "—".to_string(), |d| d.label()),
        role: if involvement.leads {
            "负责"
        } else {
            "参与"
        },
        status: StatusView::of(progress),
    })
}

/// A unit's leaves across plans, with a roll-up of the ones it leads and joins.
#[derive(Debug, Clone, Serialize)]
pub struct UnitTasks {
    /// Leaves it leads.
    pub led: Vec<LeafItem>,
    /// Leaves it joins.
    pub joined: Vec<LeafItem>,
    /// Roll-up of the leaves it leads.
    pub led_rollup: RollupView,
    /// Roll-up of the leaves it joins.
    pub joined_rollup: RollupView,
}

/// The leaves unit `u` leads and joins, limited to plan `only` when given.
pub fn unit_tasks(reads: &Reads, u: UnitIx, only: Option<PlanIx>) -> UnitTasks {
    let mut led = Vec::new();
    let mut joined = Vec::new();
    let mut led_rollup = Rollup::default();
    let mut joined_rollup = Rollup::default();
    for involvement in &reads.unit(u).1.tasks {
        if only.is_some_and(|p| p != involvement.plan) {
            continue;
        }
        let links = &reads.plan(involvement.plan).1.tasks[involvement.task];
        let progress = match involvement.target {
            Some(i) => &links.targets[i].progress,
            None => &links.progress,
        };
        let Some(item) = leaf_item(reads, involvement) else {
            continue;
        };
        if involvement.leads {
            led_rollup.add(progress);
            led.push(item);
        } else {
            joined_rollup.add(progress);
            joined.push(item);
        }
    }
    UnitTasks {
        led,
        joined,
        led_rollup: RollupView::of(&led_rollup),
        joined_rollup: RollupView::of(&joined_rollup),
    }
}

#[derive(Serialize)]
struct PlanUnitPage {
    plan_title: String,
    plan_url: String,
    unit: UnitRef,
    tasks: UnitTasks,
    as_of_label: String,
}

/// The view of plan `px` for unit `u`: the leaves it leads and joins.
pub(super) fn plan_unit_page(
    r: &Renderer,
    px: PlanIx,
    u: UnitIx,
) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let (plan, _) = reads.plan(px);
    let unit = unit_ref(&reads, u);
    let view = PlanUnitPage {
        plan_title: plan.title.clone(),
        plan_url: urls::plan(plan.id.as_str()),
        tasks: unit_tasks(&reads, u, Some(px)),
        unit,
        as_of_label: chinese_date(reads.as_of().date),
    };
    let title = format!("{}：{}", view.unit.name, plan.title);
    r.page(
        reads,
        urls::index_file(&urls::plan_unit(plan.id.as_str(), &view.unit.id)),
        "plan_unit.html",
        PageHead::new(&title, Section::Progress).column(&super::views::PROGRESS),
        &view,
    )
}
