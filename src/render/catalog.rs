//! The 信息公开 columns: the landing page (`/disclosure/`), 公开目录 (`/catalog/` and its
//! lists by 主题分类, 文种 and 发布机构), 政策解读 (`/interpretations/`) and 年度报告
//! (`/reports/`, in [`super::reports`]). Each list is paginated like the notice list, newest first, and reads
//! only its own group's membership, so a title edit re-renders only the list pages that
//! show the notice (docs/portal.md).

use std::collections::BTreeMap;

use serde::Serialize;

use super::notices::{PAGE_SIZE, Pagination, pagination};
use super::views::{self, Link, NoticeItem, UnitRef, notice_item, unit_ref};
use super::{OutputFile, PageHead, PageId, Reads, Renderer, Section};
use crate::catalog::GroupKind;
use crate::content::page::PageColumn;
use crate::diagnostics::Diagnostic;
use crate::enums::Label;
use crate::site::{NoticeIx, Site, UnitIx};
use crate::urls;

/// The pages of the 信息公开 columns, in the order the sitemap lists them.
pub(super) fn list_pages(site: &Site, ids: &mut Vec<PageId>) {
    ids.push(PageId::Disclosure);
    ids.push(PageId::Catalog);
    for kind in [GroupKind::Topic, GroupKind::Genre] {
        for (group, g) in site.catalog.groups(kind).iter().enumerate() {
            ids.extend(
                (1..=page_count(g.notices.len())).map(|page| PageId::GroupList {
                    kind,
                    group,
                    page,
                }),
            );
        }
    }
    for (unit, links) in site.unit_links.iter().enumerate() {
        if !links.notices.is_empty() {
            ids.extend(
                (1..=page_count(links.notices.len())).map(|page| PageId::IssuerList { unit, page }),
            );
        }
    }
    let interpretations = site.catalog.interpretations.len();
    ids.extend((1..=page_count(interpretations)).map(|page| PageId::Interpretations { page }));
}

/// List pages for `count` items: one at least (an empty list says so).
fn page_count(count: usize) -> usize {
    count.div_ceil(PAGE_SIZE).max(1)
}

/// The first folder of the list of group `group` of `kind`.
pub(super) fn group_url(site: &Site, kind: GroupKind, group: usize) -> String {
    urls::group(kind, &site.catalog.groups(kind)[group].slug)
}

/// What a 公开目录 grouping is called.
fn kind_label(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Topic => "主题分类",
        GroupKind::Genre => "文种",
    }
}

/// One column of the 信息公开 landing page.
#[derive(Serialize)]
struct Entry {
    name: &'static str,
    description: &'static str,
    /// Root-relative URL; `None` when the site has no such page yet.
    url: Option<String>,
    /// What the entry holds, in words (`3篇`), where it is a list.
    note: Option<String>,
}

#[derive(Serialize)]
struct Disclosure {
    entries: Vec<Entry>,
    /// The 公开指南 page, which says how to apply (依申请公开).
    guide: Option<Link>,
}

/// The free page of `column`, if one says it is.
fn column_page(reads: &Reads, column: PageColumn) -> Option<Link> {
    reads
        .page_columns()
        .iter()
        .find(|p| p.column.as_ref().map(|c| c.value) == Some(column))
        .map(|p| Link {
            url: urls::page(&p.slug),
            title: p.title.clone(),
        })
}

/// The 信息公开 columns the home page links: those with a page, and 依申请公开 on the
/// landing page.
pub(super) fn home_links(reads: &Reads) -> Vec<Link> {
    let mut links = Vec::new();
    for column in [PageColumn::Guide, PageColumn::Rules] {
        if let Some(page) = column_page(reads, column) {
            links.push(Link {
                url: page.url,
                title: column.label().to_string(),
            });
        }
    }
    for column in [&views::CATALOG, &views::INTERPRETATIONS, &views::REPORTS] {
        links.push(Link {
            url: column.url.to_string(),
            title: column.name.to_string(),
        });
    }
    links
}

/// `/disclosure/`: every 信息公开 column, linked where it has a page.
pub(super) fn disclosure(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let guide = column_page(&reads, PageColumn::Guide);
    let rules = column_page(&reads, PageColumn::Rules);
    let page_entry = |column: PageColumn, link: &Option<Link>, description| Entry {
        name: column.label(),
        description,
        url: link.as_ref().map(|l| l.url.clone()),
        note: None,
    };
    let entries = vec![
        page_entry(
            PageColumn::Guide,
            &guide,
            "公开的范围、方式和时限，依申请公开的办理程序，监督和救济",
        ),
        page_entry(
            PageColumn::Rules,
            &rules,
            "主动公开、依申请公开、保密审查和监督保障等工作制度",
        ),
        Entry {
            name: views::CATALOG.name,
            description: views::CATALOG.description,
            url: Some(urls::CATALOG.to_string()),
            note: Some(format!("{}件", reads.notice_count())),
        },
        Entry {
            name: views::INTERPRETATIONS.name,
            description: views::INTERPRETATIONS.description,
            url: Some(urls::INTERPRETATIONS.to_string()),
            note: Some(format!("{}篇", reads.interpretation_count())),
        },
        Entry {
            name: views::NEWS.name,
            description: views::NEWS.description,
            url: Some(urls::NEWS.to_string()),
            note: Some(format!("{}条", reads.news_count())),
        },
        Entry {
            name: views::REPORTS.name,
            description: views::REPORTS.description,
            url: Some(urls::REPORTS.to_string()),
            note: None,
        },
    ];
    r.page(
        reads,
        urls::index_file(urls::DISCLOSURE),
        "disclosure.html",
        PageHead::new("信息公开", Section::Disclosure).column(&views::DISCLOSURE),
        &Disclosure { entries, guide },
    )
}

/// A group, an issuer or a year as the catalog lists it.
#[derive(Serialize)]
struct GroupLink {
    name: String,
    url: String,
    count: usize,
}

/// One way to browse the catalog, with its groups.
#[derive(Serialize)]
struct Way {
    /// `topics`, `genres`, `issuers`, `years`: the section's id.
    id: &'static str,
    /// 按主题分类 …
    title: &'static str,
    groups: Vec<GroupLink>,
}

#[derive(Serialize)]
struct Catalog {
    ways: Vec<Way>,
    total: usize,
}

/// `/catalog/`: the ways to browse the notices, each way with its counts.
pub(super) fn catalog(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let groups = |kind: GroupKind| -> Vec<GroupLink> {
        reads
            .groups(kind)
            .iter()
            .map(|g| GroupLink {
                name: g.name.clone(),
                url: urls::group(kind, &g.slug),
                count: g.notices.len(),
            })
            .collect()
    };
    let issuers = (0..reads.unit_count())
        .filter_map(|u| {
            let count = reads.issued(u).len();
            (count > 0).then(|| {
                let unit = unit_ref(&reads, u);
                GroupLink {
                    url: urls::issuer(&unit.id),
                    name: unit.name,
                    count,
                }
            })
        })
        .collect();
    let mut years: BTreeMap<i16, usize> = BTreeMap::new();
    for y in reads.notice_years() {
        *years.entry(y).or_default() += 1;
    }
    let years = years
        .into_iter()
        .rev()
        .map(|(year, count)| GroupLink {
            name: format!("{year}年"),
            url: urls::notice_list(Some(year)),
            count,
        })
        .collect();
    let way = |id, title, groups| Way { id, title, groups };
    let view = Catalog {
        ways: vec![
            way("topics", "按主题分类", groups(GroupKind::Topic)),
            way("genres", "按文种", groups(GroupKind::Genre)),
            way("issuers", "按发布机构", issuers),
            way("years", "按年份", years),
        ],
        total: reads.notice_count(),
    };
    r.page(
        reads,
        urls::index_file(urls::CATALOG),
        "catalog.html",
        PageHead::new("公开目录", Section::Disclosure).column(&views::CATALOG),
        &view,
    )
}

/// How many notices of a topic file under each of its lower levels.
#[derive(Serialize)]
struct Level {
    /// The levels under the first, joined with ` / ` (`知识产权`); empty for notices
    /// filed under the first level alone.
    name: String,
    count: usize,
}

#[derive(Serialize)]
struct CatalogList {
    /// 主题分类, 文种, 发布机构.
    by: &'static str,
    name: String,
    heading: String,
    notices: Vec<NoticeItem>,
    total: usize,
    pagination: Pagination,
    /// A topic's lower levels, with counts.
    levels: Vec<Level>,
    /// An issuer's unit page.
    unit: Option<UnitRef>,
}

/// Page `page` of the notices of group `group` of `kind`.
pub(super) fn group_list(
    r: &Renderer,
    kind: GroupKind,
    group: usize,
    page: usize,
) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let g = reads.group(kind, group);
    // The levels table heads the first page only: counting them walks every notice of
    // the topic, which every page of a big topic would otherwise repeat.
    let levels = match kind {
        GroupKind::Topic if page == 1 => levels(&reads, &g.notices),
        _ => Vec::new(),
    };
    let base = urls::group(kind, &g.slug);
    let view = list_view(&reads, kind_label(kind), &g.name, &g.notices, &base, page);
    render_list(r, reads, &base, page, CatalogList { levels, ..view })
}

/// The lower levels of a topic's notices, by name, with counts.
fn levels(reads: &Reads, notices: &[NoticeIx]) -> Vec<Level> {
    // Counted by the levels as stored: no string is made per notice.
    let mut counts: BTreeMap<&[String], usize> = BTreeMap::new();
    for &ix in notices {
        let topic = reads.group_topic(ix);
        *counts
            .entry(topic.get(1..).unwrap_or_default())
            .or_default() += 1;
    }
    if counts.len() == 1 && counts.contains_key(&[][..]) {
        return Vec::new();
    }
    counts
        .into_iter()
        .map(|(levels, count)| Level {
            name: levels.join(" / "),
            count,
        })
        .collect()
}

/// Page `page` of the notices unit `unit` issued.
pub(super) fn issuer_list(
    r: &Renderer,
    unit: UnitIx,
    page: usize,
) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let notices = reads.issued(unit);
    let unit_view = unit_ref(&reads, unit);
    let base = urls::issuer(&unit_view.id);
    let view = list_view(&reads, "发布机构", &unit_view.name, notices, &base, page);
    render_list(
        r,
        reads,
        &base,
        page,
        CatalogList {
            unit: Some(unit_view),
            ..view
        },
    )
}

/// The list view of page `page` of `notices`, a list at `base` of the catalog.
fn list_view(
    reads: &Reads,
    by: &'static str,
    name: &str,
    notices: &[NoticeIx],
    base: &str,
    page: usize,
) -> CatalogList {
    let start = (page - 1) * PAGE_SIZE;
    let shown = notices
        .get(start..(start + PAGE_SIZE).min(notices.len()))
        .unwrap_or(&[]);
    CatalogList {
        by,
        name: name.to_string(),
        heading: format!("{by}：{name}"),
        notices: shown.iter().map(|&ix| notice_item(reads, ix)).collect(),
        total: notices.len(),
        pagination: pagination(base, notices.len(), PAGE_SIZE, page),
        levels: Vec::new(),
        unit: None,
    }
}

fn render_list(
    r: &Renderer,
    reads: Reads<'_>,
    base: &str,
    page: usize,
    view: CatalogList,
) -> Result<OutputFile, Diagnostic> {
    let title = paged_title(&view.heading, page);
    r.page(
        reads,
        urls::index_file(&urls::paged(base, page)),
        "catalog_list.html",
        PageHead::new(&title, Section::Disclosure).column(&views::CATALOG),
        &view,
    )
}

/// `标题（第2页）` past the first page.
fn paged_title(heading: &str, page: usize) -> String {
    if page > 1 {
        format!("{heading}（第{page}页）")
    } else {
        heading.to_string()
    }
}

/// One 政策解读 with the notices it interprets.
#[derive(Serialize)]
struct Interpretation {
    notice: NoticeItem,
    interprets: Vec<NoticeItem>,
}

#[derive(Serialize)]
struct Interpretations {
    items: Vec<Interpretation>,
    total: usize,
    pagination: Pagination,
}

/// Page `page` of `/interpretations/`: each 政策解读 with the notices it interprets.
pub(super) fn interpretations(r: &Renderer, page: usize) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let all: Vec<(NoticeIx, &[NoticeIx])> = reads.interpretations().collect();
    let start = (page - 1) * PAGE_SIZE;
    let shown = all
        .get(start..(start + PAGE_SIZE).min(all.len()))
        .unwrap_or(&[]);
    let view = Interpretations {
        items: shown
            .iter()
            .map(|&(ix, targets)| Interpretation {
                notice: notice_item(&reads, ix),
                interprets: targets.iter().map(|&t| notice_item(&reads, t)).collect(),
            })
            .collect(),
        total: all.len(),
        pagination: pagination(urls::INTERPRETATIONS, all.len(), PAGE_SIZE, page),
    };
    let title = paged_title("政策解读", page);
    r.page(
        reads,
        urls::index_file(&urls::paged(urls::INTERPRETATIONS, page)),
        "interpretations.html",
        PageHead::new(&title, Section::Disclosure).column(&views::INTERPRETATIONS),
        &view,
    )
}
