//! The home page, free pages (`/<slug>/`), work news (`/news/`) and `404.html`.

use serde::Serialize;

use super::views::{NoticeItem, notice_item};
use super::{ItemKey, OutputFile, PageHead, PageId, Reads, Renderer, Section};
use crate::diagnostics::Diagnostic;
use crate::links::root_of;
use crate::site::Site;
use crate::time::chinese_date;
use crate::urls;

/// Notices on the home page.
const HOME_NOTICES: usize = 10;
/// News items on the home page.
const HOME_NEWS: usize = 5;

/// A news item as lists show it.
#[derive(Serialize)]
pub struct NewsItem {
    url: String,
    title: String,
    date: String,
    source: Option<String>,
}

#[derive(Serialize)]
struct Home<P: Serialize> {
    plans: Vec<P>,
    notices: Vec<NoticeItem>,
    notice_count: usize,
    news: Vec<NewsItem>,
    bodies: Vec<super::bodies::BodyRef>,
    unit_count: usize,
    /// The site's Atom feed (with `base_url`).
    feed: Option<String>,
    /// The 信息公开 columns.
    disclosure: Vec<super::views::Link>,
}

/// The list-line view of news item `ix`.
pub fn news_item(reads: &Reads, ix: usize) -> NewsItem {
    let news = reads.news_line(ix);
    reads.narrow(ItemKey::NewsLine(news.slug.clone()), |_| NewsItem {
        url: urls::news(&news.slug),
        title: news.title.clone(),
        date: news.date.to_string(),
        source: news.source.clone(),
    })
}

/// The home page, free pages, news, 404 and search.
pub(super) fn list_pages(site: &Site, ids: &mut Vec<PageId>) {
    ids.push(PageId::Home);
    ids.extend((0..site.pages.len()).map(PageId::Page));
    ids.push(PageId::NewsList);
    ids.extend((0..site.news.len()).map(PageId::News));
    ids.push(PageId::NotFound);
    ids.push(PageId::Search);
    ids.push(PageId::Sitemap);
    ids.push(PageId::Robots);
}

/// The home page: the latest notices and news.
pub(super) fn home(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let view = Home {
        plans: super::progress::plan_summaries(&reads),
        notices: (0..reads.notice_count().min(HOME_NOTICES))
            .map(|ix| notice_item(&reads, ix))
            .collect(),
        notice_count: reads.notice_count(),
        news: (0..reads.news_count().min(HOME_NEWS))
            .map(|ix| news_item(&reads, ix))
            .collect(),
        bodies: (0..reads.body_count())
            .map(|bx| super::bodies::body_ref(&reads, bx))
            .collect(),
        unit_count: reads.unit_count(),
        feed: super::feeds::feed_link(reads.config(), || crate::urls::FEED.to_string()),
        disclosure: super::catalog::home_links(&reads),
    };
    r.page(
        reads,
        urls::index_file(""),
        "index.html",
        PageHead::new("首页", Section::Home),
        &view,
    )
}

#[derive(Serialize)]
struct FreePage {
    title: String,
    summary: Option<String>,
    body_html: String,
}

/// Free page `ix`, at `/<slug>/`.
pub(super) fn free_page(r: &Renderer, ix: usize) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let page = reads.page(ix);
    let url = urls::page(&page.slug);
    let body = reads.markdown(page.body(), &page.file.path, &root_of(&url));
    let view = FreePage {
        title: page.title.clone(),
        summary: page.summary.clone(),
        body_html: body.html,
    };
    r.page(
        reads,
        urls::index_file(&url),
        "page.html",
        PageHead::new(&page.title, Section::Page).code(body.has_code),
        &view,
    )
}

#[derive(Serialize)]
struct NewsPage {
    title: String,
    date: String,
    date_label: String,
    source: Option<String>,
    body_html: String,
}

#[derive(Serialize)]
struct NewsList {
    news: Vec<NewsItem>,
    feed: Option<String>,
}

/// `/news/`.
pub(super) fn news_list(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let news = (0..reads.news_count())
        .map(|ix| news_item(&reads, ix))
        .collect();
    let feed = super::feeds::feed_link(reads.config(), || urls::feed_in(urls::NEWS));
    r.page(
        reads,
        urls::index_file(urls::NEWS),
        "news_list.html",
        PageHead::new("工作动态", Section::News).column(&super::views::NEWS),
        &NewsList { news, feed },
    )
}

/// News item `ix`, at `/news/<slug>/`.
pub(super) fn news_page(r: &Renderer, ix: usize) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let news = reads.news(ix);
    let url = urls::news(&news.slug);
    let body = reads.markdown(news.body(), &news.file.path, &root_of(&url));
    let view = NewsPage {
        title: news.title.clone(),
        date: news.date.to_string(),
        date_label: chinese_date(news.date),
        source: news.source.clone(),
        body_html: body.html,
    };
    let source = news
        .source
        .clone()
        .unwrap_or_else(|| super::views::office(&reads));
    let article = super::views::Article::new(
        &news.title,
        &view.date,
        &source,
        &[],
        &["工作动态", &source],
        None,
    );
    r.page(
        reads,
        urls::index_file(&url),
        "news.html",
        PageHead::new(&news.title, Section::News)
            .column(&super::views::NEWS)
            .code(body.has_code)
            .article(article),
        &view,
    )
}

/// `404.html`. Servers show it at any depth, so its links start from the path of
/// `base_url` when that is known (see `Renderer::page`); otherwise they are relative to
/// the root folder, which is right at least for a 404 at the top level.
pub(super) fn not_found(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    r.page(
        r.reads(),
        "404.html".into(),
        "404.html",
        PageHead::new("页面未找到", Section::None),
        &(),
    )
}

/// `/search/`: the form and the results, filled in by the search client.
pub(super) fn search_page(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    r.page(
        r.reads(),
        urls::index_file(urls::SEARCH),
        "search.html",
        PageHead::new("搜索", Section::Search).column(&super::views::SEARCH),
        &(),
    )
}

/// One column on the 网站地图 page, with its pages.
#[derive(Serialize)]
struct SitemapColumn {
    name: &'static str,
    description: &'static str,
    url: &'static str,
    links: Vec<super::views::Link>,
}

/// `/sitemap/` (网站地图): every column with its lists (years, bodies, plans), the
/// search and the free pages.
pub(super) fn sitemap_page(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    use super::views::{self, Link};
    let reads = r.reads();
    let years: std::collections::BTreeSet<i16> = reads.notice_years().collect();
    let columns = views::COLUMNS
        .iter()
        .map(|c| SitemapColumn {
            name: c.name,
            description: c.description,
            url: c.url,
            links: match c.url {
                urls::NOTICES => years
                    .iter()
                    .rev()
                    .map(|&y| Link {
                        url: urls::notice_list(Some(y)),
                        title: format!("{y}年文件"),
                    })
                    .collect(),
                urls::DISCLOSURE => reads
                    .page_columns()
                    .iter()
                    .filter(|p| p.column.is_some())
                    .map(|p| Link {
                        url: urls::page(&p.slug),
                        title: p.title.clone(),
                    })
                    .collect(),
                urls::CATALOG => catalog_links(&reads),
                urls::BODIES => (0..reads.body_count())
                    .map(|bx| {
                        let b = super::bodies::body_ref(&reads, bx);
                        Link {
                            url: b.url,
                            title: b.name,
                        }
                    })
                    .collect(),
                urls::PLANS => (0..reads.plan_count())
                    .map(|px| {
                        let (plan, _) = reads.plan(px);
                        Link {
                            url: urls::plan(plan.id.as_str()),
                            title: plan.title.clone(),
                        }
                    })
                    .collect(),
                _ => Vec::new(),
            },
        })
        .collect::<Vec<_>>();
    #[derive(Serialize)]
    struct Sitemap {
        columns: Vec<SitemapColumn>,
    }
    r.page(
        reads,
        urls::index_file(urls::SITEMAP_PAGE),
        "sitemap.html",
        PageHead::new("网站地图", Section::None).column(&views::SITEMAP),
        &Sitemap { columns },
    )
}

/// The 公开目录 lists the 网站地图 names: each topic and each genre.
fn catalog_links(reads: &Reads) -> Vec<super::views::Link> {
    use crate::catalog::GroupKind;
    let mut links = Vec::new();
    for (kind, label) in [(GroupKind::Topic, "主题分类"), (GroupKind::Genre, "文种")] {
        for g in reads.groups(kind) {
            links.push(super::views::Link {
                url: urls::group(kind, &g.slug),
                title: format!("{label}：{}", g.name),
            });
        }
    }
    links
}

/// `robots.txt`: everything may be crawled; with `base_url`, it names the sitemap.
pub(super) fn robots(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &reads.config().base_url {
        text.push_str(&format!("\nSitemap: {base}sitemap.xml\n"));
    }
    r.file(reads, urls::ROBOTS.to_string(), text.into_bytes())
}
