//! The home page, free pages (`/<slug>/`), work news (`/news/`) and `404.html`.

use serde::Serialize;

use super::markdown;
use super::views::{NoticeItem, notice_item};
use super::{ItemKey, OutputFile, PageHead, Renderer};
use crate::diagnostics::Diagnostic;
use crate::links::{LinkContext, root_of};
use crate::time::chinese_date;

/// Notices on the home page.
const HOME_NOTICES: usize = 10;
/// News items on the home page.
const HOME_NEWS: usize = 5;

#[derive(Serialize)]
struct NewsItem {
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
}

fn news_item(r: &Renderer, ix: usize) -> NewsItem {
    let news = &r.site.news[ix];
    NewsItem {
        url: crate::urls::news(&news.slug),
        title: news.title.clone(),
        date: news.date.to_string(),
        source: news.source.clone(),
    }
}

/// The home page: the latest notices and news.
pub fn home(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = r.site;
    let view = Home {
        plans: super::progress::plan_summaries(site),
        notices: (0..site.notices.len().min(HOME_NOTICES))
            .map(|ix| notice_item(site, ix))
            .collect(),
        notice_count: site.notices.len(),
        news: (0..site.news.len().min(HOME_NEWS))
            .map(|ix| news_item(r, ix))
            .collect(),
        bodies: (0..site.bodies.len())
            .map(|bx| super::bodies::body_ref(site, bx))
            .collect(),
        unit_count: site.units.len(),
    };
    vec![r.page(
        "index.html".into(),
        "index.html",
        PageHead {
            title: "首页",
            section: "home",
            has_code: false,
        },
        &view,
        vec![
            ItemKey::Site,
            ItemKey::AllNotices,
            ItemKey::AllNews,
            ItemKey::AllUnits,
            ItemKey::AllBodies,
            ItemKey::AllPlans,
        ],
    )]
}

#[derive(Serialize)]
struct FreePage {
    title: String,
    summary: Option<String>,
    body_html: String,
}

/// One page per file of `content/pages/`.
pub fn free_pages(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    r.site
        .pages
        .iter()
        .map(|page| {
            let root = root_of(&crate::urls::page(&page.slug));
            let links = LinkContext::new(&r.site.links, &page.file.path, &root);
            let body = markdown::render(page.body(), &r.site.config.markdown(), &links);
            let view = FreePage {
                title: page.title.clone(),
                summary: page.summary.clone(),
                body_html: body.html,
            };
            r.page(
                format!("{}/index.html", page.slug),
                "page.html",
                PageHead {
                    title: &page.title,
                    section: "page",
                    has_code: body.has_code,
                },
                &view,
                vec![ItemKey::Site, ItemKey::Page(page.slug.clone())],
            )
        })
        .collect()
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
}

/// `/news/` and one page per news item.
pub fn news_pages(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = r.site;
    let mut out = vec![r.page(
        "news/index.html".into(),
        "news_list.html",
        PageHead {
            title: "工作动态",
            section: "news",
            has_code: false,
        },
        &NewsList {
            news: (0..site.news.len()).map(|ix| news_item(r, ix)).collect(),
        },
        vec![ItemKey::Site, ItemKey::AllNews],
    )];
    for news in &site.news {
        let root = root_of(&crate::urls::news(&news.slug));
        let links = LinkContext::new(&site.links, &news.file.path, &root);
        let body = markdown::render(news.body(), &site.config.markdown(), &links);
        let view = NewsPage {
            title: news.title.clone(),
            date: news.date.to_string(),
            date_label: chinese_date(news.date),
            source: news.source.clone(),
            body_html: body.html,
        };
        out.push(r.page(
            format!("news/{}/index.html", news.slug),
            "news.html",
            PageHead {
                title: &news.title,
                section: "news",
                has_code: body.has_code,
            },
            &view,
            vec![ItemKey::Site, ItemKey::News(news.slug.clone())],
        ));
    }
    out
}

/// `404.html`. Servers show it at any depth, so its links start from the path of
/// `base_url` when that is known (see `Renderer::page`); otherwise they are relative to
/// the root folder, which is right at least for a 404 at the top level.
pub fn not_found(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    vec![r.page(
        "404.html".into(),
        "404.html",
        PageHead {
            title: "页面未找到",
            section: "",
            has_code: false,
        },
        &(),
        vec![ItemKey::Site],
    )]
}

/// `/search/`: the form and the results, filled in by the search client.
pub fn search_page(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    vec![r.page(
        "search/index.html".into(),
        "search.html",
        PageHead {
            title: "搜索",
            section: "search",
            has_code: false,
        },
        &(),
        vec![ItemKey::Site],
    )]
}
