//! Notice pages (`/notices/<slug>/`) and lists (`/notices/`, `/notices/<year>/`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::views::{self, Link, NoticeItem, UnitRef, notice_item, unit_ref};
use super::{OutputFile, PageHead, PageId, Renderer, Section};
use crate::diagnostics::Diagnostic;
use crate::enums::{Key, Label};
use crate::links::root_of;
use crate::site::{NoticeIx, Site};
use crate::time::chinese_date;
use crate::urls;

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
    /// 文件类别, only when the file names one.
    category_label: Option<&'static str>,
    /// 废止日期.
    repealed_on: Option<String>,
    body_html: String,
    attachments: Vec<AttachmentView>,
    supersedes: Vec<NoticeItem>,
    superseded_by: Vec<NoticeItem>,
    related: Vec<NoticeItem>,
    /// The notices this one is the 政策解读 of.
    interprets: Vec<NoticeItem>,
    /// The 政策解读 of this notice.
    interpretations: Vec<NoticeItem>,
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

/// The page of notice `ix`.
pub(super) fn notice_page(r: &Renderer, ix: NoticeIx) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let (notice, links) = reads.notice(ix);
    let url = urls::notice(&notice.index_no.value);
    let root = root_of(&url);
    let body = reads.markdown(notice.body(), &notice.file.path, &root);
    let validity = reads.validity(ix);
    let items = |list: &[NoticeIx]| list.iter().map(|&i| notice_item(&reads, i)).collect();
    let view = NoticePage {
        url,
        index_no: notice.index_no.value.to_string(),
        title: notice.title.clone(),
        issuers: links.issuers.iter().map(|&u| unit_ref(&reads, u)).collect(),
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
        category_label: notice.category.map(|c| c.label()),
        repealed_on: notice.repealed_on.map(|d| d.to_string()),
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
        interprets: items(&links.interprets),
        interpretations: items(&links.interpreted_by),
        establishes: links
            .establishes
            .iter()
            .map(|&b| super::bodies::body_ref(&reads, b))
            .collect(),
        draft: notice.draft,
    };
    let issuers: Vec<&str> = view.issuers.iter().map(|u| u.name.as_str()).collect();
    let mut fallback: Vec<&str> = view.topic.iter().map(String::as_str).collect();
    fallback.extend(view.genre.as_deref());
    let published = match &notice.published_time {
        Some(time) => format!("{} {time}", view.published),
        None => view.published.clone(),
    };
    let article = views::Article::new(
        &notice.title,
        &published,
        &issuers.join("、"),
        &notice.keywords,
        &fallback,
        notice.summary.as_deref(),
    );
    // schema.org has no type for an administrative notice: a `GovernmentPermit` or
    // `Legislation` would claim too much, so a notice is an `Article` published by its
    // issuers (docs/portal.md).
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": notice.title,
        "identifier": view.index_no,
        "datePublished": published.replace(' ', "T"),
        "dateCreated": view.date,
        "inLanguage": reads.config().language,
        "publisher": view.issuers.iter().map(|u| serde_json::json!({
            "@type": "GovernmentOrganization", "name": u.name,
        })).collect::<Vec<_>>(),
    });
    if let Some(summary) = &notice.summary {
        ld["description"] = summary.as_str().into();
    }
    if !notice.keywords.is_empty() {
        ld["keywords"] = notice.keywords.join(",").into();
    }
    r.page(
        reads,
        urls::index_file(&view.url),
        "notice.html",
        PageHead::new(&notice.title, Section::Notices)
            .column(&views::NOTICES)
            .code(body.has_code)
            .article(article)
            .json_ld(&ld),
        &view,
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
    /// The site's Atom feed of notices (with `base_url`).
    feed: Option<String>,
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

/// The list of all notices and one list per year, each paginated.
pub(super) fn list_pages(site: &Site, ids: &mut Vec<PageId>) {
    let mut counts: BTreeMap<i16, usize> = BTreeMap::new();
    for notice in &site.notices {
        *counts.entry(notice.date.year()).or_default() += 1;
    }
    let lists = std::iter::once((None, site.notices.len()))
        .chain(counts.into_iter().rev().map(|(year, n)| (Some(year), n)));
    for (year, count) in lists {
        let total = count.div_ceil(PAGE_SIZE).max(1);
        ids.extend((1..=total).map(|page| PageId::NoticeList { year, page }));
    }
}

/// Page `page` of the list of all notices (`year` `None`) or of one year's, 20 a page,
/// newest first.
pub(super) fn notice_list(
    r: &Renderer,
    year: Option<i16>,
    page: usize,
) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let mut counts: BTreeMap<i16, usize> = BTreeMap::new();
    let mut list: Vec<NoticeIx> = Vec::new();
    for (ix, y) in reads.notice_years().enumerate() {
        *counts.entry(y).or_default() += 1;
        if year.is_none_or(|wanted| wanted == y) {
            list.push(ix);
        }
    }
    let base = urls::notice_list(year);
    let heading = match year {
        Some(year) => format!("{year}年文件"),
        None => "全部文件".to_string(),
    };
    let pagination = pagination(&base, list.len(), PAGE_SIZE, page);
    let start = (page - 1) * PAGE_SIZE;
    let shown = list
        .get(start..(start + PAGE_SIZE).min(list.len()))
        .unwrap_or(&[]);
    let view = NoticeList {
        heading: heading.clone(),
        notices: shown.iter().map(|&ix| notice_item(&reads, ix)).collect(),
        total: list.len(),
        pagination,
        years: counts
            .into_iter()
            .rev()
            .map(|(year, count)| YearLink {
                year,
                url: urls::notice_list(Some(year)),
                count,
            })
            .collect(),
        current_year: year,
        feed: super::feeds::feed_link(reads.config(), || urls::FEED.to_string()),
    };
    let title = if page > 1 {
        format!("{heading}（第{page}页）")
    } else {
        heading
    };
    r.page(
        reads,
        urls::index_file(&urls::paged(&base, page)),
        "notice_list.html",
        PageHead::new(&title, Section::Notices).column(&views::NOTICES),
        &view,
    )
}

/// Previous / next links of page `current` of a list of `count` items at `base`
/// (`notices/`), `size` a page.
pub fn pagination(base: &str, count: usize, size: usize, current: usize) -> Pagination {
    let total = count.div_ceil(size).max(1);
    let url = |n: usize| urls::paged(base, n);
    Pagination {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paginates_twenty_a_page() {
        let second = pagination("notices/", 41, 20, 2);
        assert_eq!(second.total, 3);
        assert_eq!(second.prev.as_deref(), Some("notices/"));
        assert_eq!(second.next.as_deref(), Some("notices/page/3/"));
        assert_eq!(pagination("notices/", 0, 20, 1).total, 1);
        assert_eq!(
            urls::index_file(&urls::paged("notices/", 3)),
            "notices/page/3/index.html"
        );
    }
}
