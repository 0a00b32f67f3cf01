//! Where each kind of page lives in the built site: root-relative folder URLs
//! (`notices/<slug>/`), the one place that knows them. Templates add `index.html` so that
//! `public/` works from disk; open data and the sitemap use the folders.

use crate::content::notice::IndexNo;

/// Top-level folders the build writes itself (and `attachments/`, where the documented
/// layout puts them): a free page, published at `/<slug>/`, may not take one.
pub const TOP_FOLDERS: [&str; 10] = [
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
    format!("notices/{}/", crate::content::notice::slug_of(index_no))
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
