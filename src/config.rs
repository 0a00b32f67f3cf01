//! `content/site.yaml`: the site's title, owner and switches.

use std::path::Path;

use jiff::civil::Date;
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Lang};
use crate::limits::{Limits, MAX_NESTING};
use crate::source::{Position, SourceFile};
use crate::text;
use crate::time::located_date;

/// Where site settings live, relative to the site root.
pub const SITE_FILE: &str = "content/site.yaml";

/// The validated site settings.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Site title, shown in every page header.
    pub title: String,
    /// `lang` of every page; UI strings follow it.
    pub language: String,
    /// Absolute base used only in the feed and sitemap (internal links stay relative).
    pub base_url: Option<String>,
    /// 主办单位, shown in the footer.
    pub owner: Option<String>,
    /// 政府网站标识码.
    pub site_code: Option<String>,
    /// ICP备案号.
    pub icp: Option<String>,
    /// Licence of the open data (`license:`), named in every `data/` file and on `/data/`.
    pub license: Option<String>,
    /// Optional check that every 索引号 has the office's shape.
    pub index_no_pattern: Option<Regex>,
    /// *as of* from the file, used when `--as-of` is not given.
    pub as_of: Option<Date>,
    /// Raw HTML in Markdown passes through only when true.
    pub unsafe_html: bool,
    /// Sizes and depths content may reach (`limits:`).
    pub limits: Limits,
    /// The site's identity beyond its owner: 承办单位, contact, records ([`Identity`]).
    pub identity: Identity,
    /// Holiday arrangements (`holidays:`) for years the shipped data lacks or gets wrong;
    /// each year replaces the shipped one whole ([`crate::duties::Calendar::new`]).
    pub holidays: crate::duties::Arrangements,
    /// The site's own favicon: `favicon.ico`, `.png` or `.svg` in content/ (path under
    /// content/, size), found by [`Self::load`]; else pages use the theme's.
    pub favicon: Option<(String, u64)>,
    /// `columns:` and `inspection:`: the limits `check --inspection` judges by
    /// ([`crate::inspection`]); unused by a normal check or build.
    pub inspection: crate::inspection::Settings,
}

/// The names a site's own favicon may have in content/, in the order they are looked for.
/// Not SVG: an SVG opened on its own runs its scripts as part of the site, which is why
/// attachments may not be SVG either (the theme's own favicon is an SVG we wrote).
pub const FAVICONS: [&str; 2] = ["favicon.ico", "favicon.png"];

/// What a 党政机关网站标识 image may be (raster images only, as for the favicon).
const MARK_TYPES: [&str; 5] = ["png", "jpg", "jpeg", "gif", "webp"];

/// 承办单位, contact, 公网安备号, 党政机关网站标识 and the 纠错 link (site.yaml, optional;
/// shown in every page's footer, docs/portal.md).
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// 承办单位 (`owner` is 主办单位).
    pub organizer: Option<String>,
    /// 联系方式.
    pub contact: Option<Contact>,
    /// 公网安备号, e.g. `苏公网安备 32070002000000号`.
    pub police_record: Option<String>,
    /// 党政机关网站标识: an image under content/ (path, size; the size is read by
    /// [`SiteConfig::load`]).
    pub party_gov_mark: Option<(String, u64)>,
    /// Where the 党政机关网站标识 links (its verification page).
    pub party_gov_mark_url: Option<String>,
    /// 纠错 / 联系我们 (http(s) or mailto:).
    pub feedback_url: Option<String>,
}

/// 联系方式 as the footer shows it.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// 地址.
    #[serde(default)]
    #[schemars(title = "地址", description = "地址，如 连云港市朝阳东路2号")]
    pub address: Option<String>,
    /// 电话.
    #[serde(default)]
    #[schemars(title = "电话", description = "联系电话，页脚链接为 tel:")]
    pub phone: Option<String>,
    /// 邮箱.
    #[serde(default)]
    #[schemars(title = "邮箱", description = "电子邮箱，页脚链接为 mailto:")]
    pub email: Option<String>,
    /// 办公时间.
    #[serde(default)]
    #[schemars(
        title = "办公时间",
        description = "办公时间，如 工作日 8:30-12:00 14:00-17:30"
    )]
    pub hours: Option<String>,
}

/// site.yaml as written; its schema is generated from this struct.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Site",
    title = "站点设置",
    description = "gongkai 站点设置（content/site.yaml）"
)]
pub(crate) struct RawConfig {
    #[schemars(
        with = "crate::schema::Text",
        title = "站点名称",
        description = "站点名称（必填），显示在每页页头"
    )]
    title: Option<Spanned<String>>,
    #[schemars(
        with = "Option<String>",
        title = "语言",
        description = "页面语言（html lang），默认 zh-CN"
    )]
    language: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::Url>",
        title = "网站地址",
        description = "网站的绝对地址（http/https），只用于 sitemap.xml 和 feed.xml"
    )]
    base_url: Option<Spanned<String>>,
    #[schemars(title = "主办单位", description = "主办单位，显示在页脚")]
    owner: Option<String>,
    #[schemars(
        title = "政府网站标识码",
        description = "政府网站标识码（加引号：\"3207000001\"），显示在页脚和 <meta name=\"SiteIDCode\">"
    )]
    site_code: Option<String>,
    #[schemars(title = "ICP备案号", description = "ICP备案号，显示在页脚")]
    icp: Option<String>,
    #[schemars(
        title = "开放数据许可",
        description = "开放数据（data/ 下的文件）的许可，如 CC-BY-4.0，写入每个数据文件并显示在 /data/ 页"
    )]
    license: Option<String>,
    #[schemars(
        with = "Option<String>",
        title = "索引号格式",
        description = "索引号格式：每个索引号都必须匹配的正则表达式，如 '^[0-9A-Za-z]+/\\d{4}-\\d{5}$'"
    )]
    index_no_pattern: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::Date>",
        title = "基准日期",
        description = "基准日期（as of），YYYY-MM-DD：判断时效与逾期的“今天”，--as-of 优先"
    )]
    as_of: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(
        title = "允许原始 HTML",
        description = "允许 Markdown 中的原始 HTML 原样输出；默认 false（显示为文本）"
    )]
    unsafe_html: bool,
    #[schemars(
        with = "Option<Limits>",
        title = "限制",
        description = "内容的大小与深度限制"
    )]
    limits: Option<Spanned<Limits>>,
    #[schemars(
        title = "承办单位",
        description = "承办单位，显示在页脚（owner 为主办单位）"
    )]
    organizer: Option<String>,
    #[schemars(
        title = "联系方式",
        description = "联系方式：地址、电话、邮箱、办公时间，显示在页脚"
    )]
    contact: Option<Contact>,
    #[schemars(
        title = "公网安备号",
        description = "公网安备号，如“苏公网安备 32070002000000号”，页脚链接到全国互联网安全管理服务平台"
    )]
    police_record: Option<String>,
    #[schemars(
        with = "Option<String>",
        title = "党政机关网站标识",
        description = "党政机关网站标识图片，content/ 下的路径，如 assets/dzjg.png（可选）"
    )]
    party_gov_mark: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::Url>",
        title = "党政机关网站标识验证地址",
        description = "党政机关网站标识的验证页面地址，http(s)（可选；给出时标识链接到它）"
    )]
    party_gov_mark_url: Option<Spanned<String>>,
    #[schemars(
        with = "Option<String>",
        title = "纠错地址",
        description = "网站纠错 / 联系我们的地址（http(s) 或 mailto:），显示在页脚"
    )]
    feedback_url: Option<Spanned<String>>,
    #[schemars(
        with = "Option<std::collections::BTreeMap<u16, crate::duties::calendar::RawYear>>",
        title = "节假日安排",
        description = "补充或更正节假日安排（按年份）：国务院办公厅通知未收录的年份；写出的年份整体替换内置数据。用于计算依申请公开的答复期限"
    )]
    holidays: Option<Spanned<crate::duties::calendar::RawArrangements>>,
    #[schemars(
        title = "栏目更新期限",
        description = "gongkai check --inspection：各栏目最新信息的最长天数，如 news: {max_age_days: 14}、notices: {max_age_days: 180}"
    )]
    columns: Option<crate::inspection::RawColumns>,
    #[schemars(
        title = "检查设置",
        description = "gongkai check --inspection 的设置，如 interpretation_within_days: 0（政策解读与行政规范性文件同日发布）"
    )]
    inspection: Option<crate::inspection::RawInspection>,
}

impl SiteConfig {
    /// How this site renders Markdown.
    pub fn markdown(&self) -> crate::content::markdown::Settings {
        crate::content::markdown::Settings::new(self.unsafe_html, &self.limits)
    }

    /// Reads and validates `content/site.yaml` under `root`.
    pub fn load(root: &Path) -> Result<SiteConfig, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let file = match SourceFile::read(root, Path::new(SITE_FILE)) {
            Ok(file) => file,
            Err(mut d) => {
                if !root.join(SITE_FILE).exists() {
                    // Nothing to read: the wrong --root, not a broken file.
                    d.code = Code::NotASite;
                    d.message = text!(
                        "no site here: {root} holds no {SITE_FILE}",
                        "这里没有站点：{root} 中没有 {SITE_FILE}",
                        root = root.display()
                    );
                }
                diagnostics.push(d.with_help(text!(
                    "a site root is a folder holding content/site.yaml; pass it with --root",
                    "站点根目录是包含 content/site.yaml 的文件夹，请用 --root 指定"
                )));
                return Err(diagnostics);
            }
        };
        let mut config = Self::parse(&file)?;
        let content = root.join("content");
        let size = |relative: &str| {
            std::fs::symlink_metadata(content.join(relative))
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len())
        };
        config.favicon = FAVICONS
            .iter()
            .find_map(|name| size(name).map(|n| (name.to_string(), n)));
        if let Some((path, bytes)) = &mut config.identity.party_gov_mark {
            match size(path) {
                Some(n) => *bytes = n,
                None => {
                    diagnostics.push(
                        Diagnostic::at_path(
                            Code::BrokenAttachment,
                            Path::new(SITE_FILE),
                            text!(
                                "party_gov_mark `{path}`: no such file in content/",
                                "party_gov_mark `{path}`：content/ 中没有这个文件",
                                path = path.as_str()
                            ),
                        )
                        .with_help(text!(
                            "put the image under content/ and give its path from there, e.g. assets/dzjg.png",
                            "把图片放在 content/ 下，并写出相对 content/ 的路径，如 assets/dzjg.png"
                        )),
                    );
                    return Err(diagnostics);
                }
            }
        }
        Ok(config)
    }

    /// Parses and validates the text of a site.yaml already read (what [`Self::load`]
    /// does after reading the file; public for the fuzz targets).
    pub fn parse(file: &SourceFile) -> Result<SiteConfig, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let raw: RawConfig = match file.parse_yaml(&file.text) {
            Ok(raw) => raw,
            Err(d) => {
                diagnostics.push(d);
                return Err(diagnostics);
            }
        };
        let mut errors = Vec::new();
        let title = raw.title.map(|t| t.value).filter(|t| !t.trim().is_empty());
        if title.is_none() {
            errors.push(crate::diagnostics::missing_field(file, "title"));
        }
        let language = raw
            .language
            .map_or_else(|| "zh-CN".to_string(), |l| l.value);
        let base_url = raw.base_url.and_then(|url| {
            let value = url.value.trim().to_string();
            if value.starts_with("https://") || value.starts_with("http://") {
                Some(if value.ends_with('/') {
                    value
                } else {
                    value + "/"
                })
            } else {
                errors.push(Diagnostic::error(
                    Code::InvalidUrl,
                    file,
                    Position::of(&url),
                    text!(
                        "base_url `{value}` must be an absolute http(s) URL",
                        "base_url `{value}` 必须是以 http(s) 开头的完整网址",
                        value = &value
                    ),
                ));
                None
            }
        });
        let mut link = |url: Option<Spanned<String>>, schemes: &[&str], field: &str| {
            let url = url?;
            let value = url.value.trim().to_string();
            if schemes.iter().any(|s| value.starts_with(s)) && value.len() > 8 {
                return Some(value);
            }
            errors.push(Diagnostic::error(
                Code::InvalidUrl,
                file,
                Position::of(&url),
                text!(
                    "{field} `{value}` must start with {schemes}",
                    "{field} `{value}` 必须以 {schemes} 开头",
                    value = &value,
                    schemes = schemes.join(" / ")
                ),
            ));
            None
        };
        let party_gov_mark_url = link(
            raw.party_gov_mark_url.clone(),
            &["https://", "http://"],
            "party_gov_mark_url",
        );
        let feedback_url = link(
            raw.feedback_url.clone(),
            &["https://", "http://", "mailto:"],
            "feedback_url",
        );
        let identity = Identity {
            organizer: raw.organizer.clone(),
            contact: raw.contact.clone(),
            police_record: raw.police_record.clone(),
            party_gov_mark: raw.party_gov_mark.as_ref().and_then(|m| {
                let path = m.value.trim().trim_start_matches("./").to_string();
                let inside = !path.is_empty()
                    && !path.starts_with('/')
                    && !path.contains('\\')
                    && path
                        .split('/')
                        .all(|c| !c.is_empty() && !c.starts_with('.'))
                    && path.rsplit_once('.').is_some_and(|(_, ext)| {
                        MARK_TYPES.contains(&ext.to_ascii_lowercase().as_str())
                    });
                if inside {
                    return Some((path, 0));
                }
                errors.push(Diagnostic::error(
                    Code::BrokenAttachment,
                    file,
                    Position::of(m),
                    text!(
                        "party_gov_mark `{path}` must be an image ({types}) inside content/",
                        "party_gov_mark `{path}` 必须是 content/ 下的图片（{types}）",
                        path = &path,
                        types = MARK_TYPES.join(", ")
                    ),
                ));
                None
            }),
            party_gov_mark_url,
            feedback_url,
        };
        let index_no_pattern = raw.index_no_pattern.and_then(|p| {
            Regex::new(&p.value)
                .map_err(|e| {
                    errors.push(Diagnostic::error(
                        Code::InvalidPattern,
                        file,
                        Position::of(&p),
                        text!(
                            "index_no_pattern is not a valid regular expression: {e}",
                            "index_no_pattern 不是有效的正则表达式：{e}"
                        ),
                    ));
                })
                .ok()
        });
        let as_of = raw
            .as_of
            .and_then(|d| located_date(file, &d, &mut errors))
            .map(|d| d.value);
        let limits = match raw.limits {
            None => Limits::default(),
            Some(limits) => {
                if limits.value.nesting > MAX_NESTING || limits.value.nesting == 0 {
                    errors.push(
                        Diagnostic::error(
                            Code::OutOfRange,
                            file,
                            Position::of(&limits),
                            text!(
                                "limits.nesting is {n}: it must be between 1 and {MAX_NESTING}",
                                "limits.nesting 为 {n}：须在 1 到 {MAX_NESTING} 之间",
                                n = limits.value.nesting
                            ),
                        )
                        .with_help(text!(
                            "deeper nesting crashes HTML parsers; flatten the document",
                            "嵌套更深会使 HTML 解析器崩溃，请减少文档的嵌套层次"
                        )),
                    );
                }
                limits.value
            }
        };
        let holidays = match raw.holidays {
            None => Default::default(),
            Some(h) => {
                let at = Position::of(&h);
                crate::duties::calendar::parse_years(file, at, h.value, &mut errors)
            }
        };
        let inspection =
            crate::inspection::settings(file, raw.columns, raw.inspection, &mut errors);
        for e in errors {
            diagnostics.push(e);
        }
        match title {
            Some(title) if !diagnostics.has_errors() => Ok(SiteConfig {
                title,
                language,
                base_url,
                owner: raw.owner,
                site_code: raw.site_code,
                icp: raw.icp,
                license: raw.license.filter(|l| !l.trim().is_empty()),
                index_no_pattern,
                as_of,
                unsafe_html: raw.unsafe_html,
                limits,
                identity,
                holidays,
                favicon: None,
                inspection,
            }),
            _ => Err(diagnostics),
        }
    }
}

/// The language to speak to the publisher of the site at `root`, read before (and
/// whatever) the full check: a site whose site.yaml is broken or missing still gets its
/// errors in a language, Chinese unless `language:` says otherwise.
pub fn site_language(root: &Path) -> Lang {
    #[derive(Deserialize)]
    struct LanguageOnly {
        language: Option<String>,
    }
    let Ok(file) = SourceFile::read(root, Path::new(SITE_FILE)) else {
        return Lang::default();
    };
    // Any field, any error: only `language:` matters here, the check reports the rest.
    let parsed: Option<LanguageOnly> = serde_saphyr::from_str(&file.text).ok();
    parsed
        .and_then(|p| p.language)
        .map_or_else(Lang::default, |tag| Lang::of_tag(&tag))
}
