//! View models: what templates see. Everything a template prints is plain data computed
//! here, so templates stay simple and tera's autoescape covers every string from content.

use serde::Serialize;

use super::deps::{ItemKey, Reads};
use crate::config::SiteConfig;
use crate::enums::{Key, Label};
use crate::site::{NoticeIx, UnitIx};
use crate::time::{AsOf, chinese_date};

/// Site-wide values every page shows (header, footer, `<meta>`).
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// Site title.
    pub title: String,
    /// `lang` attribute.
    pub language: String,
    /// 主办单位.
    pub owner: Option<String>,
    /// 政府网站标识码.
    pub site_code: Option<String>,
    /// ICP备案号.
    pub icp: Option<String>,
    /// The *as of* date, `YYYY-MM-DD`.
    pub as_of: String,
    /// The *as of* date the Chinese way.
    pub as_of_label: String,
    /// Free pages, for the footer.
    pub pages: Vec<Link>,
    /// Host name from `base_url`, for the `SiteDomain` meta tag.
    pub domain: Option<String>,
    /// Path part of `base_url` (`/` or `/sub/`): the only root that works for `404.html`,
    /// which a server shows at any depth.
    pub base_path: Option<String>,
}

impl SiteView {
    /// Builds the site-wide values once per build; every page shows them, and
    /// `Renderer::page` records that it read them (site.yaml and the list of pages).
    pub fn new(
        config: &SiteConfig,
        as_of: &AsOf,
        pages: &[std::sync::Arc<crate::content::page::Page>],
    ) -> SiteView {
        SiteView {
            title: config.title.clone(),
            language: config.language.clone(),
            owner: config.owner.clone(),
            site_code: config.site_code.clone(),
            icp: config.icp.clone(),
            as_of: as_of.date.to_string(),
            as_of_label: chinese_date(as_of.date),
            pages: pages
                .iter()
                .map(|p| Link {
                    url: crate::urls::page(&p.slug),
                    title: p.title.clone(),
                })
                .collect(),
            domain: config.base_url.as_deref().map(|url| {
                let host = url
                    .trim_start_matches("https://")
                    .trim_start_matches("http://");
                host.split('/').next().unwrap_or(host).to_string()
            }),
            base_path: config.base_url.as_deref().map(|url| {
                let host_and_path = url
                    .trim_start_matches("https://")
                    .trim_start_matches("http://");
                match host_and_path.find('/') {
                    Some(i) => host_and_path[i..].to_string(),
                    None => "/".to_string(),
                }
            }),
        }
    }
}

/// A titled link; `url` is relative to the site root and ends in `/` for a page folder.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    /// Root-relative URL.
    pub url: String,
    /// Link text.
    pub title: String,
}

/// A unit as shown wherever it is named.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRef {
    /// Unit id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Short name, or the full name if it has none.
    pub short_name: String,
    /// Root-relative URL of the unit page.
    pub url: String,
    /// Whether this stands for a group (各有关单位) rather than an organisation.
    pub collective: bool,
}

/// A unit reference for templates.
pub fn unit_ref(reads: &Reads, ix: UnitIx) -> UnitRef {
    let unit = reads.unit_name(ix);
    reads.narrow(ItemKey::UnitName(unit.id.clone()), |_| UnitRef {
        id: unit.id.to_string(),
        name: unit.name.clone(),
        short_name: unit.display_short().to_string(),
        url: crate::urls::unit(unit.id.as_str()),
        collective: unit.kind == crate::content::unit::UnitKind::Collective,
    })
}

/// One line of a notice list.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeItem {
    /// Root-relative URL.
    pub url: String,
    /// 标题.
    pub title: String,
    /// 索引号.
    pub index_no: String,
    /// 文号.
    pub doc_no: Option<String>,
    /// 发文日期, `YYYY-MM-DD`.
    pub date: String,
    /// 发布机构.
    pub issuers: Vec<UnitRef>,
    /// 时效 key as of the build.
    pub validity: &'static str,
    /// 时效 as a reader sees it.
    pub validity_label: &'static str,
    /// 文种.
    pub genre: Option<String>,
}

/// The list-line view of notice `ix`.
pub fn notice_item(reads: &Reads, ix: NoticeIx) -> NoticeItem {
    let id = reads.notice_id(ix);
    let item = reads.narrow(ItemKey::NoticeLine(id.clone()), |site| {
        let notice = &site.notices[ix];
        let validity = site.validity(ix);
        NoticeItem {
            url: crate::urls::notice(&notice.index_no.value),
            title: notice.title.clone(),
            index_no: notice.index_no.value.to_string(),
            doc_no: notice.doc_no.clone(),
            date: notice.date.to_string(),
            issuers: Vec::new(),
            validity: validity.key(),
            validity_label: validity.label(),
            genre: notice.genre.clone(),
        }
    });
    NoticeItem {
        issuers: reads
            .notice_issuers(ix)
            .iter()
            .map(|&u| unit_ref(reads, u))
            .collect(),
        ..item
    }
}

/// "12.3 KB": a file size the way download links show it.
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

/// The document type a reader expects next to a download link.
pub fn file_kind(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => "PDF",
        "doc" | "docx" => "Word",
        "xls" | "xlsx" => "Excel",
        "ppt" | "pptx" => "PowerPoint",
        "wps" => "WPS",
        "ofd" => "OFD",
        "txt" => "文本",
        "zip" | "rar" | "7z" => "压缩包",
        "jpg" | "jpeg" | "png" | "gif" | "webp" => "图片",
        _ => "文件",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_kinds() {
        assert_eq!(human_size(900), "900 B");
        assert_eq!(human_size(2048), "2.0 KB");
        assert_eq!(human_size(3 * 1024 * 1024), "3.0 MB");
        assert_eq!(file_kind("a/b.PDF"), "PDF");
        assert_eq!(file_kind("a/b.docx"), "Word");
        assert_eq!(file_kind("noext"), "文件");
    }
}
