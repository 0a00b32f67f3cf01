//! Notice pages (`/notices/<slug>/`) and lists (`/notices/`, `/notices/<year>/`).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::markdown;
use super::views::{self, Link, NoticeItem, UnitRef, notice_item, unit_ref};
use super::{ItemKey, OutputFile, PageHead, Renderer};
use crate::diagnostics::Diagnostic;
use crate::links::{LinkContext, root_of};
use crate::site::NoticeIx;
use crate::time::chinese_date;

/// Notices per list page.
pub const PAGE_SIZE: usize = 20;

#[derive(Serialize)]
struct NoticePage {
    url: String,
    index_no: String,
    title: String,
    issuers: Vec<UnitRef>,
    doc_no: Option<String>,
    date: String,
    date_label: String,
    published: String,
    genre: Option<String>,
    topic: Vec<String>,
    keywords: Vec<String>,
    summary: Option<String>,
    validity: &'static str,
    validity_label: &'static str,
    valid_from: Option<String>,
    valid_until: Option<String>,
    body_html: String,
    attachments: Vec<AttachmentView>,
    supersedes: Vec<NoticeItem>,
    superseded_by: Vec<NoticeItem>,
    related: Vec<NoticeItem>,
    establishes: Vec<super::bodies::BodyRef>,
    draft: bool,
}

#[derive(Serialize)]
struct AttachmentView {
    title: String,
    url: String,
    size: String,
    kind: &'static str,
}

/// One page per notice, rendered in parallel: they are most of any site.
pub fn notice_pages(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    (0..r.site.notices.len())
        .into_par_iter()
        .map(|ix| notice_page(r, ix))
        .collect()
}

fn notice_page(r: &Renderer, ix: NoticeIx) -> Result<OutputFile, Diagnostic> {
    let site = r.site;
    let notice = &site.notices[ix];
    let links = &site.notice_links[ix];
    let url = views::notice_url(site, ix);
    let root = root_of(&url);
    let link_context = LinkContext::new(&site.links, &notice.file.path, &root);
    let body = markdown::render(notice.body(), &site.config.markdown(), &link_context);
    let validity = site.validity(ix);
    let items = |list: &[NoticeIx]| list.iter().map(|&i| notice_item(site, i)).collect();
    let view = NoticePage {
        url,
        index_no: notice.index_no.value.to_string(),
        title: notice.title.clone(),
        issuers: links.issuers.iter().map(|&u| unit_ref(site, u)).collect(),
        doc_no: notice.doc_no.clone(),
        date: notice.date.to_string(),
        date_label: chinese_date(notice.date),
        published: notice.published.to_string(),
        genre: notice.genre.clone(),
        topic: notice.topic.clone(),
        keywords: notice.keywords.clone(),
        summary: notice.summary.clone(),
        validity: validity.key(),
        validity_label: validity.label(),
        valid_from: notice.valid_from.map(|d| d.to_string()),
        valid_until: notice.valid_until.map(|d| d.to_string()),
        body_html: body.html,
        attachments: links
            .attachments
            .iter()
            .map(|a| AttachmentView {
                title: a.title.clone(),
                url: a.path.clone(),
                size: views::human_size(a.size),
                kind: views::file_kind(&a.path),
            })
            .collect(),
        supersedes: items(&links.supersedes),
        superseded_by: items(&links.superseded_by),
        related: items(&links.related),
        establishes: links
            .establishes
            .iter()
            .map(|&b| super::bodies::body_ref(site, b))
            .collect(),
        draft: notice.draft,
    };
    let mut sources = vec![ItemKey::Site, ItemKey::Notice(view.index_no.clone())];
    for &other in links
        .supersedes
        .iter()
        .chain(&links.superseded_by)
        .chain(&links.related)
    {
        sources.push(ItemKey::Notice(
            site.notices[other].index_no.value.to_string(),
        ));
    }
    sources.extend(view.issuers.iter().map(|u| ItemKey::Unit(u.id.clone())));
    sources.extend(view.establishes.iter().map(|b| ItemKey::Body(b.id.clone())));
    r.page(
        format!("{}index.html", view.url),
        "notice.html",
        PageHead {
            title: &notice.title,
            section: "notices",
            has_code: body.has_code,
        },
        &view,
        sources,
    )
}

#[derive(Serialize)]
struct NoticeList {
    heading: String,
    notices: Vec<NoticeItem>,
    total: usize,
    pagination: Pagination,
    years: Vec<YearLink>,
    current_year: Option<i16>,
}

#[derive(Serialize)]
struct YearLink {
    year: i16,
    url: String,
    count: usize,
}

/// Previous / next links and "第 2 / 5 页".
#[derive(Serialize, Default)]
pub struct Pagination {
    /// 1-based current page.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Root-relative URL of the previous page.
    pub prev: Option<String>,
    /// Root-relative URL of the next page.
    pub next: Option<String>,
    /// The first, last and nearby pages, for direct jumps (not all: a 10,000-notice
    /// list would otherwise repeat 500 links on each of its 500 pages).
    pub pages: Vec<Link>,
}

/// The all-notices list and one list per year, 20 a page, newest first.
pub fn notice_lists(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = r.site;
    let mut by_year: BTreeMap<i16, Vec<NoticeIx>> = BTreeMap::new();
    for (ix, notice) in site.notices.iter().enumerate() {
        by_year.entry(notice.date.year()).or_default().push(ix);
    }
    let years: Vec<YearLink> = by_year
        .iter()
        .rev()
        .map(|(&year, list)| YearLink {
            year,
            url: format!("notices/{year}/"),
            count: list.len(),
        })
        .collect();
    let all: Vec<NoticeIx> = (0..site.notices.len()).collect();
    let mut lists = vec![("notices/".to_string(), "全部文件".to_string(), None, all)];
    for (year, list) in by_year.into_iter().rev() {
        lists.push((
            format!("notices/{year}/"),
            format!("{year}年文件"),
            Some(year),
            list,
        ));
    }
    lists
        .into_par_iter()
        .flat_map_iter(|(base, heading, year, list)| {
            let pages = paginate(&base, list.len(), PAGE_SIZE);
            pages
                .into_iter()
                .map(|(path, pagination)| {
                    let start = (pagination.current - 1) * PAGE_SIZE;
                    let shown = &list[start..(start + PAGE_SIZE).min(list.len())];
                    let view = NoticeList {
                        heading: heading.clone(),
                        notices: shown.iter().map(|&ix| notice_item(site, ix)).collect(),
                        total: list.len(),
                        pagination,
                        years: years
                            .iter()
                            .map(|y| YearLink {
                                year: y.year,
                                url: y.url.clone(),
                                count: y.count,
                            })
                            .collect(),
                        current_year: year,
                    };
                    let title = if view.pagination.current > 1 {
                        format!("{}（第{}页）", heading, view.pagination.current)
                    } else {
                        heading.clone()
                    };
                    r.page(
                        path,
                        "notice_list.html",
                        PageHead {
                            title: &title,
                            section: "notices",
                            has_code: false,
                        },
                        &view,
                        vec![ItemKey::Site, ItemKey::AllNotices, ItemKey::AllUnits],
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Output paths and pagination of a list of `count` items at `base` (`notices/`):
/// page 1 is `base/index.html`, page n is `base/page/n/index.html`.
pub fn paginate(base: &str, count: usize, size: usize) -> Vec<(String, Pagination)> {
    let total = count.div_ceil(size).max(1);
    let url = |n: usize| {
        if n == 1 {
            base.to_string()
        } else {
            format!("{base}page/{n}/")
        }
    };
    (1..=total)
        .map(|current| {
            let pagination = Pagination {
                current,
                total,
                prev: (current > 1).then(|| url(current - 1)),
                next: (current < total).then(|| url(current + 1)),
                pages: (1..=total)
                    .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= 2)
                    .map(|n| Link {
                        url: url(n),
                        title: n.to_string(),
                    })
                    .collect(),
            };
            (format!("{}index.html", url(current)), pagination)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paginates_twenty_a_page() {
        let pages = paginate("notices/", 41, 20);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].0, "notices/index.html");
        assert_eq!(pages[2].0, "notices/page/3/index.html");
        assert_eq!(pages[1].1.prev.as_deref(), Some("notices/"));
        assert_eq!(pages[1].1.next.as_deref(), Some("notices/page/3/"));
        assert_eq!(paginate("notices/", 0, 20).len(), 1);
    }
}
