//! Where each kind of page lives in the built site: root-relative folder URLs
//! (`notices/<slug>/`), the one place that knows them. Templates add `index.html` so that
//! `public/` works from disk; open data and the sitemap use the folders.

use crate::catalog::{GroupKind, GroupSlug};
use crate::content::notice::IndexNo;

/// Top-level folders the build writes itself (and `attachments/`, where the documented
/// layout puts them): a free page, published at `/<slug>/`, may not take one.
pub const TOP_FOLDERS: [&str; 14] = [
    "sitemap",
    "disclosure",
    "catalog",
    "interpretations",
    "notices",
    "units",
    "bodies",
    "progress",
    "news",
    "search",
    "assets",
    "data",
    "reports",
    "attachments",
];

/// A notice page: `notices/<slug>/`.
pub fn notice(index_no: &IndexNo) -> String {
    notice_written(index_no.as_str())
}

/// A notice page from its 索引号 as written in a link.
pub fn notice_written(index_no: &str) -> String {
    let mut url = String::with_capacity("notices//".len() + index_no.len());
    url.push_str("notices/");
    crate::content::notice::push_slug(&mut url, index_no);
    url.push('/');
    url
}

/// A unit page: `units/<id>/`.
pub fn unit(id: &str) -> String {
    format!("units/{id}/")
}

/// A coordinating body's page: `bodies/<id>/`.
pub fn body(id: &str) -> String {
    format!("bodies/{id}/")
}

/// A progress plan's page: `progress/<id>/`.
pub fn plan(id: &str) -> String {
    format!("progress/{id}/")
}

/// A free page: `<slug>/`.
pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

/// A news item: `news/<slug>/`.
pub fn news(slug: &str) -> String {
    format!("news/{slug}/")
}

/// The notice list of one year, or of all notices: `notices/<year>/`, `notices/`.
pub fn notice_list(year: Option<i16>) -> String {
    match year {
        Some(year) => format!("notices/{year}/"),
        None => "notices/".to_string(),
    }
}

/// Page `n` (1-based) of the paginated list at `base`: `base` itself, then
/// `base/page/<n>/`.
pub fn paged(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// The 信息公开 landing page: `disclosure/`.
pub const DISCLOSURE: &str = "disclosure/";
/// 公开目录: `catalog/`, the ways to browse the notices.
pub const CATALOG: &str = "catalog/";
/// 政策解读: `interpretations/`, the notices that interpret others.
pub const INTERPRETATIONS: &str = "interpretations/";
/// 政府信息公开工作年度报告: `reports/`.
pub const REPORTS: &str = "reports/";

/// The annual report on `year`: `reports/<year>/`.
pub fn report(year: &str) -> String {
    format!("{REPORTS}{year}/")
}

/// The file name of the annual report's tables on `year` as CSV or JSON (`report-2024.csv`),
/// beside its page and the same name `gongkai report` writes by default.
pub fn report_tables(year: &str, extension: &str) -> String {
    format!("report-{year}.{extension}")
}

/// The notices of one first-level 主题分类: `catalog/topic/<slug>/` (slug:
/// [`crate::catalog::GroupSlug`]).
pub fn topic(slug: &GroupSlug) -> String {
    format!("catalog/topic/{}/", slug.as_str())
}

/// The notices of one 文种: `catalog/genre/<slug>/`.
pub fn genre(slug: &GroupSlug) -> String {
    format!("catalog/genre/{}/", slug.as_str())
}

/// The first list page of a 公开目录 group of `kind`.
pub fn group(kind: GroupKind, slug: &GroupSlug) -> String {
    match kind {
        GroupKind::Topic => topic(slug),
        GroupKind::Genre => genre(slug),
    }
}

/// The notices one unit issued, as the catalog lists them: `catalog/issuer/<unit-id>/`.
pub fn issuer(id: &str) -> String {
    format!("catalog/issuer/{id}/")
}

/// The list of all notices: `notices/`.
pub const NOTICES: &str = "notices/";
/// The 网站地图 page: `sitemap/` (`sitemap.xml` is the crawlers').
pub const SITEMAP_PAGE: &str = "sitemap/";
/// `robots.txt`.
pub const ROBOTS: &str = "robots.txt";

/// The unit registry: `units/`.
pub const UNITS: &str = "units/";
/// The bodies index: `bodies/`.
pub const BODIES: &str = "bodies/";
/// The progress index: `progress/`.
pub const PLANS: &str = "progress/";
/// The news list: `news/`.
pub const NEWS: &str = "news/";
/// The search page: `search/`.
pub const SEARCH: &str = "search/";

/// The site's Atom feed: `feed.xml`.
pub const FEED: &str = "feed.xml";
/// The sitemap (or sitemap index): `sitemap.xml`.
pub const SITEMAP: &str = "sitemap.xml";
/// The open-data page: `data/`.
pub const DATA: &str = "data/";

/// The Atom feed of the page at folder `url`: `<url>feed.xml` (`news/feed.xml`,
/// `units/<id>/feed.xml`, `progress/<id>/feed.xml`).
pub fn feed_in(url: &str) -> String {
    format!("{url}feed.xml")
}

/// Part `n` (1-based) of a sitemap split under a sitemap index: `sitemap-<n>.xml`.
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// A plan's view for one unit: `progress/<plan>/units/<unit>/`.
pub fn plan_unit(plan: &str, unit: &str) -> String {
    format!("progress/{plan}/units/{unit}/")
}

/// The file a folder URL is served from: `notices/x/` → `notices/x/index.html`, the root
/// `""` → `index.html`.
pub fn index_file(url: &str) -> String {
    let mut file = String::with_capacity(url.len() + "index.html".len());
    file.push_str(url);
    file.push_str("index.html");
    file
}
