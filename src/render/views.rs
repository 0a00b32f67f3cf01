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
    /// `base_url` (ends in `/`), for canonical URLs, Open Graph and the `Url` tag.
    pub base_url: Option<String>,
    /// 承办单位.
    pub organizer: Option<String>,
    /// 联系方式.
    pub contact: Option<crate::config::Contact>,
    /// 公网安备号 as written.
    pub police_record: Option<String>,
    /// The digits of the 公网安备号, for the record site's `recordcode` query.
    pub police_record_code: Option<String>,
    /// 党政机关网站标识 image, root-relative.
    pub party_gov_mark: Option<String>,
    /// Its verification page.
    pub party_gov_mark_url: Option<String>,
    /// 纠错 / 联系我们.
    pub feedback_url: Option<String>,
    /// The favicon, root-relative: the site's, else the theme's.
    pub favicon: String,
    /// The favicon's media type.
    pub favicon_type: &'static str,
}

/// The theme's favicon, used when content/ has none: its fingerprinted path
/// (`assets/favicon.<hash>.svg`).
pub fn theme_favicon() -> &'static str {
    super::theme::asset("assets/favicon.svg").unwrap_or("assets/favicon.svg")
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
            base_url: config.base_url.clone(),
            organizer: config.identity.organizer.clone(),
            contact: config.identity.contact.clone().filter(|c| {
                c.address.is_some() || c.phone.is_some() || c.email.is_some() || c.hours.is_some()
            }),
            police_record: config.identity.police_record.clone(),
            police_record_code: config.identity.police_record.as_deref().and_then(|r| {
                let digits: String = r.chars().filter(char::is_ascii_digit).collect();
                (!digits.is_empty()).then_some(digits)
            }),
            party_gov_mark: config
                .identity
                .party_gov_mark
                .as_ref()
                .map(|(p, _)| p.clone()),
            party_gov_mark_url: config.identity.party_gov_mark_url.clone(),
            feedback_url: config.identity.feedback_url.clone(),
            favicon: config
                .favicon
                .as_ref()
                .map_or(theme_favicon(), |(p, _)| p.as_str())
                .to_string(),
            favicon_type: match config.favicon.as_ref().map(|(p, _)| p.as_str()) {
                Some("favicon.ico") => "image/x-icon",
                Some("favicon.png") => "image/png",
                _ => "image/svg+xml",
            },
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

/// A column (栏目) as its pages' tags name it (国办发〔2017〕47号 网页设计规范, docs/portal.md):
/// `ColumnName`, `ColumnDescription`, `ColumnKeywords`, `ColumnType`.
#[derive(Debug, Serialize)]
pub struct Column {
    /// 栏目名称, as the main navigation names it.
    pub name: &'static str,
    /// 栏目描述.
    pub description: &'static str,
    /// 栏目关键词, comma-separated.
    pub keywords: &'static str,
    /// 栏目类型.
    pub kind: &'static str,
    /// Root-relative URL of the column's first page (网站地图 lists it).
    pub url: &'static str,
}

/// 政府文件: notice lists (all, by year).
pub const NOTICES: Column = Column {
    name: "政府文件",
    description: "本机关发布的通知、公告等政府文件，按发文日期排列，可按年份浏览",
    keywords: "政府文件,通知,公告,政府信息公开",
    kind: "信息公开",
    url: crate::urls::NOTICES,
};
/// 工作动态: the news list.
pub const NEWS: Column = Column {
    name: "工作动态",
    description: "知识产权工作的会议、活动与工作进展",
    keywords: "工作动态,新闻,会议",
    kind: "政务动态",
    url: crate::urls::NEWS,
};
/// 工作进度: the plans.
pub const PROGRESS: Column = Column {
    name: "工作进度",
    description: "工作分解方案及各项任务的负责单位、时限与进度",
    keywords: "工作进度,工作分解,任务,督查",
    kind: "重点工作",
    url: crate::urls::PLANS,
};
/// 协调机构: the bodies.
pub const BODIES: Column = Column {
    name: "协调机构",
    description: "联席会议、领导小组等议事协调机构及其成员单位和职责分工",
    keywords: "议事协调机构,联席会议,领导小组,成员单位,职责分工",
    kind: "机构职能",
    url: crate::urls::BODIES,
};
/// 机构名录: the unit registry.
pub const UNITS: Column = Column {
    name: "机构名录",
    description: "发文机关、成员单位和责任单位名录",
    keywords: "机构名录,成员单位,责任单位",
    kind: "机构职能",
    url: crate::urls::UNITS,
};
/// 搜索: the search page.
pub const SEARCH: Column = Column {
    name: "搜索",
    description: "按标题、文号、索引号、单位检索本站文件、动态、机构和任务",
    keywords: "搜索,检索,政府文件",
    kind: "搜索服务",
    url: crate::urls::SEARCH,
};
/// 网站地图.
pub const SITEMAP: Column = Column {
    name: "网站地图",
    description: "本站全部栏目及其页面的导航",
    keywords: "网站地图,栏目,导航",
    kind: "网站导航",
    url: crate::urls::SITEMAP_PAGE,
};

/// 开放数据: the `/data/` page.
pub const DATA: Column = Column {
    name: "开放数据",
    description: "本站政府文件、机构、协调机构和工作进度的开放数据文件（JSON 与 CSV）及其字段说明",
    keywords: "开放数据,数据下载,JSON,CSV",
    kind: "数据开放",
    url: crate::urls::DATA,
};

/// 信息公开: the landing page of the disclosure columns (`/disclosure/`).
pub const DISCLOSURE: Column = Column {
    name: "信息公开",
    description: "政府信息公开指南、公开制度、公开目录、政策解读、工作动态、年度报告和依申请公开",
    keywords: "政府信息公开,公开指南,公开制度,公开目录,政策解读,年度报告,依申请公开",
    kind: "信息公开",
    url: crate::urls::DISCLOSURE,
};
/// 公开目录: the catalog and its lists by 主题分类, 文种 and 发布机构.
pub const CATALOG: Column = Column {
    name: "公开目录",
    description: "主动公开的政府文件，可按主题分类、文种、发布机构和年份浏览",
    keywords: "公开目录,主题分类,文种,发布机构,政府信息公开",
    kind: "信息公开",
    url: crate::urls::CATALOG,
};
/// 政策解读: the notices that interpret others.
pub const INTERPRETATIONS: Column = Column {
    name: "政策解读",
    description: "对本机关政策文件的解读，每篇注明所解读的文件",
    keywords: "政策解读,解读,政策文件",
    kind: "解读回应",
    url: crate::urls::INTERPRETATIONS,
};
/// 年度报告: 政府信息公开工作年度报告.
pub const REPORTS: Column = Column {
    name: "年度报告",
    description: "政府信息公开工作年度报告（《中华人民共和国政府信息公开条例》第四十九、五十条）",
    keywords: "政府信息公开工作年度报告,年度报告,政府信息公开",
    kind: "信息公开",
    url: crate::urls::REPORTS,
};

/// The columns in the order of the main navigation (网站地图 lists them so), 信息公开's
/// own columns after it.
pub const COLUMNS: [&Column; 9] = [
    &DISCLOSURE,
    &CATALOG,
    &INTERPRETATIONS,
    &REPORTS,
    &NOTICES,
    &NEWS,
    &PROGRESS,
    &BODIES,
    &UNITS,
];

/// What a content page (文章页: a notice, news item, unit, body or plan) says of itself
/// in its tags: `ArticleTitle`, `PubDate`, `ContentSource`, `Keywords`, `Description`,
/// `Url`, each once and never empty.
#[derive(Debug, Serialize)]
pub struct Article {
    /// 文章标题.
    pub title: String,
    /// 发布时间, `YYYY-MM-DD HH:MM`.
    pub pub_date: String,
    /// 文章来源.
    pub source: String,
    /// 关键词, comma-separated.
    pub keywords: String,
    /// 摘要.
    pub description: String,
    /// `og:type`.
    pub og_type: &'static str,
}

impl Article {
    /// The tags of a page titled `title`, published `date` (a `YYYY-MM-DD` or
    /// `YYYY-MM-DD HH:MM` string), from `source`; empty keywords or description fall back
    /// to `keywords_else` and the title.
    pub fn new(
        title: &str,
        date: &str,
        source: &str,
        keywords: &[String],
        keywords_else: &[&str],
        description: Option<&str>,
    ) -> Article {
        let keywords: Vec<&str> = keywords
            .iter()
            .map(|k| k.trim())
            .filter(|k| !k.is_empty())
            .collect();
        let keywords = if keywords.is_empty() {
            keywords_else
                .iter()
                .copied()
                .filter(|k| !k.is_empty())
                .collect()
        } else {
            keywords
        };
        let description = description
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| title.to_string());
        Article {
            title: title.to_string(),
            pub_date: pub_date(date),
            source: source.to_string(),
            keywords: if keywords.is_empty() {
                title.to_string()
            } else {
                keywords.join(",")
            },
            description,
            og_type: "article",
        }
    }
}

/// 文章来源 of pages the office itself writes (units, bodies, plans): the 主办单位, else
/// the site's title.
pub fn office(reads: &Reads) -> String {
    let config = reads.config();
    config.owner.clone().unwrap_or_else(|| config.title.clone())
}

/// A JSON-LD value as the text of a `<script type="application/ld+json">` data block:
/// `<`, `>` and `&` as JSON escapes, so no `</script>` or `<!--` can end or bend it.
pub fn json_ld(value: &serde_json::Value) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// `YYYY-MM-DD HH:MM` (the tag's format) of a date or date-time string: a date alone is
/// taken at 00:00.
pub fn pub_date(date: &str) -> String {
    let date = date.trim().replace('T', " ");
    match date.len() {
        10 => format!("{date} 00:00"),
        n if n > 16 => date.get(..16).unwrap_or(&date).to_string(),
        _ => date,
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
