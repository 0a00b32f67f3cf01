//! Free pages (`content/pages/**/*.md`, e.g. 政府信息公开指南) and work news
//! (`content/news/**/*.md`, 工作动态): a title, a few fields and a Markdown body.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, missing_field, unknown_value};
use crate::enums::{Key, Label};
use crate::source::{Located, Position, SourceFile};
use crate::text;
use crate::time::located_date;

/// A free page, published at `/<slug>/`.
#[derive(Debug, Clone)]
pub struct Page {
    /// The file, kept for the body text and diagnostics.
    pub file: SourceFile,
    /// URL folder, from the file stem (`[a-z0-9-]+`).
    pub slug: String,
    /// Page title.
    pub title: String,
    /// One-line description, used in the page's `<meta name="description">`.
    pub summary: Option<String>,
    /// Position in the footer and home-page lists (lower first, then by title).
    pub order: i64,
    /// The 信息公开 column the page stands for (公开指南, 公开制度), where it says so.
    pub column: Option<Located<PageColumn>>,
    /// Byte offset of the Markdown body.
    pub body_offset: usize,
}

/// The 信息公开 columns a free page can be: the 信息公开 landing page links the page of
/// each, and no two pages may claim one.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[schemars(
    title = "栏目",
    description = "页面所属的信息公开栏目：guide 公开指南 | rules 公开制度"
)]
pub enum PageColumn {
    /// 政府信息公开指南 (条例 第十二条).
    #[strum(message = "公开指南")]
    #[schemars(title = PageColumn::Guide.label(), description = "政府信息公开指南")]
    Guide,
    /// 政府信息公开制度: the office's own rules for disclosure.
    #[strum(message = "公开制度")]
    #[schemars(title = PageColumn::Rules.label(), description = "政府信息公开制度")]
    Rules,
}

impl Key for PageColumn {}
impl Label for PageColumn {}

impl Page {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        self.file.text.get(self.body_offset..).unwrap_or("")
    }
}

/// A work-news item (工作动态), published at `/news/<slug>/`.
#[derive(Debug, Clone)]
pub struct News {
    /// The file, kept for the body text and diagnostics.
    pub file: SourceFile,
    /// URL folder, from the file stem.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// Date of the event or report.
    pub date: Date,
    /// 来源: who reported it.
    pub source: Option<String>,
    /// Byte offset of the Markdown body.
    pub body_offset: usize,
    /// Built only with `--drafts`.
    pub draft: bool,
}

impl News {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        self.file.text.get(self.body_offset..).unwrap_or("")
    }
}

/// A page's front matter as written; its schema is generated from this struct.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Page",
    title = "页面",
    description = "gongkai 页面（content/pages/<id>.md）的 front matter"
)]
pub(crate) struct RawPage {
    #[schemars(
        with = "crate::schema::Text",
        title = "标题",
        description = "页面标题（必填）"
    )]
    title: Option<String>,
    #[schemars(
        title = "摘要",
        description = "一句话说明，用于页面的 <meta name=\"description\">"
    )]
    summary: Option<String>,
    #[serde(default)]
    #[schemars(
        title = "排序",
        description = "在页脚和首页列表中的顺序，小的在前（默认 0）"
    )]
    order: i64,
    #[schemars(
        with = "Option<PageColumn>",
        title = "栏目",
        description = "页面所属的信息公开栏目：guide 公开指南 | rules 公开制度（可选；每个栏目只能有一个页面）"
    )]
    column: Option<Spanned<String>>,
}

/// A news item's front matter as written; its schema is generated from this struct.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "News",
    title = "工作动态",
    description = "gongkai 工作动态（content/news/<id>.md）的 front matter"
)]
pub(crate) struct RawNews {
    #[schemars(
        with = "crate::schema::Text",
        title = "标题",
        description = "标题（必填）"
    )]
    title: Option<String>,
    #[schemars(
        with = "crate::schema::Date",
        title = "日期",
        description = "日期（必填），YYYY-MM-DD"
    )]
    date: Option<Spanned<String>>,
    #[schemars(title = "来源", description = "来源：发稿单位或媒体")]
    source: Option<String>,
    #[serde(default)]
    #[schemars(
        title = "草稿",
        description = "草稿：为 true 时只在 --drafts 构建中出现"
    )]
    draft: bool,
}

/// Parses one free page.
pub fn parse_page(file: SourceFile, slug: String) -> Result<Page, Vec<Diagnostic>> {
    let front = file.front_matter().map_err(|d| vec![d])?;
    let raw: RawPage = file.parse_yaml(&front.yaml).map_err(|d| vec![d])?;
    let body_offset = front.body_offset;
    let column = match &raw.column {
        None => None,
        Some(c) => match super::parse_key::<PageColumn>(&c.value) {
            Some(column) => Some(Located::new(column, Position::of(c))),
            None => {
                return Err(vec![unknown_value(
                    &file,
                    Position::of(c),
                    text!("column", "栏目"),
                    &c.value,
                    &PageColumn::keys(),
                )]);
            }
        },
    };
    let Some(title) = raw.title.filter(|t| !t.trim().is_empty()) else {
        return Err(vec![missing_field(&file, "title")]);
    };
    Ok(Page {
        slug,
        title,
        summary: raw.summary,
        order: raw.order,
        column,
        body_offset,
        file,
    })
}

/// Parses one news item.
pub fn parse_news(file: SourceFile, slug: String) -> Result<News, Vec<Diagnostic>> {
    let front = file.front_matter().map_err(|d| vec![d])?;
    let raw: RawNews = file.parse_yaml(&front.yaml).map_err(|d| vec![d])?;
    let body_offset = front.body_offset;
    let mut errors = Vec::new();
    let title = raw.title.filter(|t| !t.trim().is_empty());
    if title.is_none() {
        errors.push(missing_field(&file, "title"));
    }
    let date = match &raw.date {
        None => {
            errors.push(missing_field(&file, "date"));
            None
        }
        Some(d) => located_date(&file, d, &mut errors),
    };
    match (title, date) {
        (Some(title), Some(date)) if errors.is_empty() => Ok(News {
            slug,
            title,
            date: date.value,
            source: raw.source,
            body_offset,
            draft: raw.draft,
            file,
        }),
        _ => Err(errors),
    }
}
