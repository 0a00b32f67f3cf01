//! Notices (`content/notices/**/*.md`): 通知、公告 … with their metadata block.

use std::fmt;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, Text, missing_field, unknown_value};
use crate::enums::{Key, Label};
use crate::source::{Located, Position, SourceFile};
use crate::text;
use crate::time::located_date;

/// 索引号: the identifier every disclosed document carries, unique in the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct IndexNo(String);

/// Read back (the build cache) only through [`IndexNo::parse`].
impl<'de> serde::Deserialize<'de> for IndexNo {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        IndexNo::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl IndexNo {
    /// Accepts any non-empty 索引号 without spaces or control characters; the site may
    /// check a stricter shape with `index_no_pattern`.
    pub fn parse(text: &str) -> Result<IndexNo, Text> {
        let text = text.trim();
        if text.is_empty() {
            return Err(text!("index_no is empty", "index_no 为空"));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(text!(
                "index_no `{text}` must not contain spaces or control characters",
                "index_no `{text}` 不得含有空格或控制字符"
            ));
        }
        let no = IndexNo(text.to_string());
        let slug = no.slug();
        if slug.starts_with('.') || slug.ends_with('.') {
            return Err(text!(
                "index_no `{text}` would give the page folder `{slug}`: a folder name may not start or end with `.`",
                "index_no `{text}` 对应的页面文件夹为 `{slug}`：文件夹名不能以 `.` 开头或结尾"
            ));
        }
        if slug.len() > MAX_SLUG_LEN {
            return Err(text!(
                "index_no `{text}` is too long for a page folder ({len} bytes, at most {MAX_SLUG_LEN})",
                "index_no `{text}` 过长，无法作为页面文件夹名（{len} 字节，最多 {MAX_SLUG_LEN}）",
                len = slug.len()
            ));
        }
        if super::ids::is_reserved_on_windows(&slug) {
            return Err(text!(
                "index_no `{text}` would give the page folder `{slug}`, a name Windows reserves",
                "index_no `{text}` 对应的页面文件夹为 `{slug}`，这是 Windows 保留的名称"
            ));
        }
        Ok(no)
    }

    /// The 索引号 as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL folder name: characters outside `[A-Za-z0-9._-]` become `-` (DESIGN). Two
    /// 索引号 may give one slug (`a/1`, `a-1`): the resolver refuses that, naming both.
    pub fn slug(&self) -> String {
        slug_of(&self.0)
    }
}

/// Maps keyed by 索引号 are looked up with the text a reference was written as.
impl std::borrow::Borrow<str> for IndexNo {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IndexNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The URL folder name of a 索引号 as written: characters outside `[A-Za-z0-9._-]`
/// become `-` (DESIGN).
pub fn slug_of(index_no: &str) -> String {
    let mut slug = String::with_capacity(index_no.len());
    push_slug(&mut slug, index_no);
    slug
}

/// Appends [`slug_of`] `index_no` to `out` (URLs are made of it for every notice, often).
pub fn push_slug(out: &mut String, index_no: &str) {
    out.extend(index_no.chars().map(|c| {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            c
        } else {
            '-'
        }
    }));
}

/// Longest page folder made from a 索引号, within every file system's 255-byte limit.
pub const MAX_SLUG_LEN: usize = 150;

/// 时效 as the publisher declares it. The loader reads the key through serde, so the
/// keys accepted are exactly those of the schema (titles: the labels readers see).
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
#[schemars(title = "时效", description = "时效：发布机构声明的效力状态")]
pub enum Validity {
    /// 有效.
    #[strum(message = "有效")]
    #[schemars(title = Validity::Effective.label(), description = "有效")]
    Effective,
    /// 已修改.
    #[strum(message = "已修改")]
    #[schemars(title = Validity::Amended.label(), description = "已修改：部分条款已被修改")]
    Amended,
    /// 部分失效.
    #[strum(message = "部分失效")]
    #[schemars(title = Validity::PartiallyExpired.label(), description = "部分失效")]
    PartiallyExpired,
    /// 失效.
    #[strum(message = "失效")]
    #[schemars(title = Validity::Expired.label(), description = "失效：已过有效期或被宣布失效")]
    Expired,
    /// 废止.
    #[strum(message = "废止")]
    #[schemars(title = Validity::Repealed.label(), description = "废止：已被宣布废止")]
    Repealed,
}

impl Key for Validity {}
impl Label for Validity {}

/// 文件类别 for the annual report's 表二 (规章、行政规范性文件): which kind of document a
/// notice is decides the row it counts in. Read through serde, like [`Validity`].
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
#[schemars(title = "文件类别", description = "文件类别：年度报告表二据此统计")]
pub enum Category {
    /// 规章.
    #[strum(message = "规章")]
    #[schemars(title = Category::Rule.label(), description = "规章")]
    Rule,
    /// 行政规范性文件.
    #[strum(message = "行政规范性文件")]
    #[schemars(title = Category::Normative.label(), description = "行政规范性文件")]
    Normative,
    /// Anything else (the default).
    #[strum(message = "其他文件")]
    #[schemars(title = Category::Other.label(), description = "其他文件（默认）")]
    Other,
}

impl Key for Category {}
impl Label for Category {}

/// A file offered for download under a notice (文件下载).
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Link text.
    pub title: String,
    /// Path relative to `content/`, as written; checked to exist inside `content/` later.
    pub file: Located<String>,
}

/// A notice as loaded; references are checked when the whole site is known.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The file, kept for diagnostics and for the body text.
    pub file: SourceFile,
    /// 索引号.
    pub index_no: Located<IndexNo>,
    /// 标题.
    pub title: String,
    /// 发布机构: one unit id, or several for a joint notice (联合发文).
    pub issuers: Vec<Located<String>>,
    /// 文号.
    pub doc_no: Option<String>,
    /// 发文日期.
    pub date: Date,
    /// 发布日期 (defaults to `date`).
    pub published: Date,
    /// 发布时间 of the day, `HH:MM`, when `published` gives one (`2014-05-08 09:30`).
    pub published_time: Option<String>,
    /// 体裁/文种.
    pub genre: Option<String>,
    /// 主题分类, levels separated by `/`.
    pub topic: Vec<String>,
    /// 主题词.
    pub keywords: Vec<String>,
    /// 内容概述.
    pub summary: Option<String>,
    /// 时效 as declared.
    pub validity: Validity,
    /// 施行日期.
    pub valid_from: Option<Date>,
    /// 有效期至.
    pub valid_until: Option<Date>,
    /// Notices this one replaces, by 索引号.
    pub supersedes: Vec<Located<String>>,
    /// 相关文件, by 索引号.
    pub related: Vec<Located<String>>,
    /// The notices this one is the 政策解读 of, by 索引号.
    pub interprets: Vec<Located<String>>,
    /// 文件类别 as written; `None` counts as [`Category::Other`] (see [`Notice::category`]).
    pub category: Option<Category>,
    /// 废止/失效日期: the day a repealed or expired notice stopped applying.
    pub repealed_on: Option<Date>,
    /// 文件下载.
    pub attachments: Vec<Attachment>,
    /// Built only with `--drafts`.
    pub draft: bool,
    /// Byte offset of the Markdown body in `file.text`.
    pub body_offset: usize,
    /// A hash of the path and the front matter (the text before the body): what a list
    /// line can show of the notice, so a rebuild tells a body-only edit without looking
    /// at every field.
    pub front_hash: u64,
}

/// `2014-05-08 09:30` → (`2014-05-08`, `Some(Ok("09:30"))`); a date alone has no time;
/// a time that is not `HH:MM` of a real hour and minute is `Err`.
fn split_time(value: &str) -> (&str, Option<Result<String, ()>>) {
    let value = value.trim();
    let Some((day, time)) = value.split_once([' ', 'T']) else {
        return (value, None);
    };
    let time = time.trim();
    let parsed = time
        .split_once(':')
        .filter(|(h, m)| h.len() == 2 && m.len() == 2)
        .and_then(|(h, m)| Some((h.parse::<u8>().ok()?, m.parse::<u8>().ok()?)))
        .filter(|&(h, m)| h < 24 && m < 60)
        .map(|(h, m)| format!("{h:02}:{m:02}"))
        .ok_or(());
    (day, Some(parsed))
}

/// See [`Notice::front_hash`].
fn front_hash(path: &std::path::Path, front: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (path, front).hash(&mut h);
    h.finish()
}

impl Notice {
    /// 文件类别 for counting: [`Category::Other`] unless the file says otherwise.
    pub fn category(&self) -> Category {
        self.category.unwrap_or(Category::Other)
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        self.file.text.get(self.body_offset..).unwrap_or("")
    }
}

/// `issuer: x` or `issuer: [x, y]`, keeping the position of each id.
#[derive(Debug)]
enum OneOrMany {
    One(String),
    Many(Vec<Spanned<String>>),
}

/// What [`OneOrMany`]'s visitor accepts: one unit id, or a non-empty list of them.
impl JsonSchema for OneOrMany {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Issuer".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let id = generator.subschema_for::<crate::schema::Id>();
        schemars::json_schema!({
            "oneOf": [
                id,
                { "type": "array", "items": id, "minItems": 1 }
            ]
        })
    }
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor;
        impl<'de> Visitor<'de> for OneOrManyVisitor {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a unit id or a list of unit ids")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<String>>()? {
                    items.push(item);
                }
                Ok(OneOrMany::Many(items))
            }
        }
        deserializer.deserialize_any(OneOrManyVisitor)
    }
}

/// The front matter as written; the schema of notices is generated from this struct.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Notice",
    title = "通知",
    description = "gongkai 通知（content/notices/**/*.md）的 front matter：信息公开元数据"
)]
pub(crate) struct RawNotice {
    #[schemars(
        with = "crate::schema::IndexNo",
        title = "索引号",
        description = "索引号（必填，全站唯一）：前缀/年份-流水号，如 k12498411/2014-00065"
    )]
    index_no: Option<Spanned<String>>,
    #[schemars(
        with = "crate::schema::Text",
        title = "标题",
        description = "标题（必填）"
    )]
    title: Option<String>,
    #[schemars(
        with = "OneOrMany",
        title = "发布机构",
        description = "发布机构（必填）：单位 id；联合发文写列表 [主办, 会签]，第一个为主办机构"
    )]
    issuer: Option<Spanned<OneOrMany>>,
    #[schemars(title = "文号", description = "文号，如 连政办发〔2014〕67号")]
    doc_no: Option<String>,
    #[schemars(
        with = "crate::schema::Date",
        title = "发文日期",
        description = "发文日期 / 成文日期（必填），YYYY-MM-DD"
    )]
    date: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::DateTime>",
        title = "发布日期",
        description = "发布日期，YYYY-MM-DD，可带时间 YYYY-MM-DD HH:MM；默认同发文日期"
    )]
    published: Option<Spanned<String>>,
    #[schemars(
        title = "文种",
        description = "文种（体裁）：通知、公告、意见、办法、决定 …"
    )]
    genre: Option<String>,
    #[schemars(
        title = "主题分类",
        description = "主题分类，用 / 分隔层级，如 科技、教育/知识产权"
    )]
    topic: Option<String>,
    #[serde(default)]
    #[schemars(title = "主题词", description = "主题词列表，如 [知识产权, 联席会议]")]
    keywords: Vec<String>,
    #[schemars(title = "内容概述", description = "内容概述（缺少时给出警告）")]
    summary: Option<String>,
    #[schemars(
        with = "Option<Validity>",
        title = "时效",
        description = "时效：effective 有效 | amended 已修改 | partially_expired 部分失效 | expired 失效 | repealed 废止（默认 effective）"
    )]
    validity: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::Date>",
        title = "施行日期",
        description = "施行日期，YYYY-MM-DD：此前显示为尚未生效"
    )]
    valid_from: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::Date>",
        title = "有效期至",
        description = "有效期至，YYYY-MM-DD：此后显示为失效"
    )]
    valid_until: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(
        with = "Vec<crate::schema::IndexNo>",
        title = "替代文件",
        description = "本文件替代的通知（索引号列表），被替代的通知显示“已被……替代”"
    )]
    supersedes: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(
        with = "Vec<crate::schema::IndexNo>",
        title = "相关文件",
        description = "相关文件（索引号列表），两边的页面都会显示"
    )]
    related: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(
        with = "Vec<crate::schema::IndexNo>",
        title = "政策解读",
        description = "本文件是这些文件的政策解读（索引号列表）：两边的页面都标明“政策解读”"
    )]
    interprets: Vec<Spanned<String>>,
    #[schemars(
        with = "Option<Category>",
        title = "文件类别",
        description = "文件类别（年度报告用）：rule 规章 | normative 行政规范性文件 | other 其他文件（默认）"
    )]
    category: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::Date>",
        title = "废止日期",
        description = "废止/失效日期，YYYY-MM-DD：须与 validity: repealed 或 expired 同用，且不早于发文日期"
    )]
    repealed_on: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(title = "文件下载", description = "文件下载：附件列表")]
    attachments: Vec<RawAttachment>,
    #[serde(default)]
    #[schemars(
        title = "草稿",
        description = "草稿：为 true 时只在 --drafts 构建中出现"
    )]
    draft: bool,
}

/// One entry of `attachments:`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Attachment",
    title = "附件",
    description = "附件（文件下载）"
)]
struct RawAttachment {
    #[schemars(title = "附件名称", description = "附件名称（链接文字）")]
    title: String,
    #[schemars(
        with = "String",
        title = "附件文件",
        description = "附件路径，相对于 content/，如 attachments/2014/x.pdf"
    )]
    file: Spanned<String>,
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// Parses one notice file: front matter, required fields, dates and enums.
///
/// Whenever the 索引号 can be read, a notice comes back even if other fields are wrong
/// (with placeholders, and the errors alongside), so its references are still checked
/// and a publisher sees every problem in one run. A build never renders such a notice:
/// any error stops it before rendering.
pub fn parse(file: SourceFile) -> (Option<Notice>, Vec<Diagnostic>) {
    let front = match file.front_matter() {
        Ok(front) => front,
        Err(d) => return (None, vec![d]),
    };
    let raw: RawNotice = match file.parse_yaml(&front.yaml) {
        Ok(raw) => raw,
        Err(d) => return (None, vec![d]),
    };
    let body_offset = front.body_offset;
    let mut errors = Vec::new();
    let missing = |field: &str| missing_field(&file, field);

    let index_no = match &raw.index_no {
        None => {
            errors.push(missing("index_no"));
            None
        }
        Some(s) => match IndexNo::parse(&s.value) {
            Ok(no) => Some(Located::new(no, Position::of(s))),
            Err(message) => {
                errors.push(Diagnostic::error(
                    Code::InvalidIndexNo,
                    &file,
                    Position::of(s),
                    message,
                ));
                None
            }
        },
    };
    let title = non_empty(raw.title);
    if title.is_none() {
        errors.push(missing("title"));
    }
    let issuers: Vec<Located<String>> = match raw.issuer {
        None => Vec::new(),
        Some(spanned) => {
            let position = Position::of(&spanned);
            match spanned.value {
                OneOrMany::One(id) => vec![Located::new(id, position)],
                OneOrMany::Many(ids) => ids.into_iter().map(Located::from).collect(),
            }
        }
    };
    if issuers.is_empty() {
        errors.push(missing("issuer"));
    }
    let date = match &raw.date {
        None => {
            errors.push(missing("date"));
            None
        }
        Some(d) => located_date(&file, d, &mut errors),
    };
    // `published` may carry a time of day: `2014-05-08 09:30` (the PubDate tag's form).
    let mut published_time = None;
    let published = raw.published.as_ref().and_then(|d| {
        let (day, time) = split_time(&d.value);
        if let Some(time) = time {
            match time {
                Ok(time) => published_time = Some(time),
                Err(()) => {
                    errors.push(Diagnostic::error(
                        Code::InvalidDate,
                        &file,
                        Position::of(d),
                        text!(
                            "`{value}` is not a date and time: write YYYY-MM-DD HH:MM, e.g. 2014-05-08 09:30",
                            "`{value}` 不是有效的日期时间：请写成 YYYY-MM-DD HH:MM，如 2014-05-08 09:30",
                            value = d.value.as_str()
                        ),
                    ));
                    return None;
                }
            }
        }
        let day = serde_saphyr::Spanned {
            value: day.to_string(),
            referenced: d.referenced,
            defined: d.defined,
        };
        located_date(&file, &day, &mut errors)
    });
    let valid_from = raw
        .valid_from
        .as_ref()
        .and_then(|d| located_date(&file, d, &mut errors));
    let valid_until = raw
        .valid_until
        .as_ref()
        .and_then(|d| located_date(&file, d, &mut errors));
    if let (Some(from), Some(until)) = (&valid_from, &valid_until)
        && until.value < from.value
    {
        errors.push(Diagnostic::error(
            Code::DateOrder,
            &file,
            until.position,
            text!(
                "valid_until {until} is before valid_from {from}",
                "valid_until {until} 早于 valid_from {from}",
                until = until.value,
                from = from.value
            ),
        ));
    }
    let validity = match &raw.validity {
        None => Some(Validity::Effective),
        Some(v) => super::parse_key(&v.value).or_else(|| {
            let at = Position::of(v);
            errors.push(unknown_value(
                &file,
                at,
                text!("validity", "时效"),
                &v.value,
                &Validity::keys(),
            ));
            None
        }),
    };
    let category = raw.category.as_ref().and_then(|c| {
        super::parse_key(&c.value).or_else(|| {
            errors.push(unknown_value(
                &file,
                Position::of(c),
                text!("category", "文件类别"),
                &c.value,
                &Category::keys(),
            ));
            None
        })
    });
    let repealed_on = raw
        .repealed_on
        .as_ref()
        .and_then(|d| located_date(&file, d, &mut errors));
    if let Some(repealed) = &repealed_on {
        check_repealed_on(&file, repealed, validity, date.as_ref(), &mut errors);
    }

    let Some(index_no) = index_no else {
        return (None, errors);
    };
    let title = title.unwrap_or_default();
    let date = date.unwrap_or(Located::new(Date::MIN, Position::START));
    let validity = validity.unwrap_or(Validity::Effective);
    let topic = raw
        .topic
        .map(|t| {
            t.split('/')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let notice = Notice {
        index_no,
        title,
        issuers,
        doc_no: non_empty(raw.doc_no),
        published: published.map_or(date.value, |p| p.value),
        published_time,
        date: date.value,
        genre: non_empty(raw.genre),
        topic,
        keywords: raw
            .keywords
            .into_iter()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect(),
        summary: non_empty(raw.summary),
        validity,
        valid_from: valid_from.map(|d| d.value),
        valid_until: valid_until.map(|d| d.value),
        supersedes: raw.supersedes.into_iter().map(Located::from).collect(),
        related: raw.related.into_iter().map(Located::from).collect(),
        interprets: raw.interprets.into_iter().map(Located::from).collect(),
        category,
        repealed_on: repealed_on.map(|d| d.value),
        attachments: raw
            .attachments
            .into_iter()
            .map(|a| Attachment {
                title: a.title,
                file: Located::from(a.file),
            })
            .collect(),
        draft: raw.draft,
        body_offset,
        front_hash: front_hash(&file.path, file.text.get(..body_offset).unwrap_or("")),
        file,
    };
    (Some(notice), errors)
}

/// A `repealed_on` needs a notice declared repealed or expired (a date of 废止 on a
/// notice still in force would count it twice in the annual report), and cannot come
/// before the notice's own date.
fn check_repealed_on(
    file: &SourceFile,
    repealed: &Located<Date>,
    validity: Option<Validity>,
    date: Option<&Located<Date>>,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some(validity) = validity
        && !matches!(validity, Validity::Repealed | Validity::Expired)
    {
        errors.push(
            Diagnostic::error(
                Code::RequiresField,
                file,
                repealed.position,
                text!(
                    "repealed_on is given but validity is `{v}`: only a repealed or expired notice has one",
                    "给出了 repealed_on，但时效为 `{v}`：只有废止或失效的文件才有废止日期",
                    v = validity.key()
                ),
            )
            .with_help(text!(
                "add `validity: repealed` (or `expired`), or remove repealed_on",
                "请加上 `validity: repealed`（或 `expired`），或删除 repealed_on"
            )),
        );
    }
    if let Some(date) = date
        && repealed.value < date.value
    {
        errors.push(Diagnostic::error(
            Code::DateOrder,
            file,
            repealed.position,
            text!(
                "repealed_on {r} is before the notice's date {d}",
                "repealed_on {r} 早于发文日期 {d}",
                r = repealed.value,
                d = date.value
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(front: &str) -> Result<Notice, Vec<Diagnostic>> {
        let (notice, errors) = parse(SourceFile::new(
            "content/notices/a.md".into(),
            format!("---\n{front}---\n正文\n"),
        ));
        match notice {
            Some(notice) if errors.is_empty() => Ok(notice),
            _ => Err(errors),
        }
    }

    #[test]
    fn slug_replaces_slashes() {
        let no = IndexNo::parse("k12498411/2014-00065").expect("index no");
        assert_eq!(no.slug(), "k12498411-2014-00065");
    }

    #[test]
    fn reads_a_full_notice() {
        let n = notice(
            "index_no: k1/2014-00065\ntitle: 通知\nissuer: [a, b]\ndate: 2014-05-07\n\
             keywords: [知识产权]\ntopic: 科技、教育/知识产权\nvalidity: repealed\n",
        )
        .expect("valid notice");
        assert_eq!(n.issuers.len(), 2);
        assert_eq!(n.issuers[1].value, "b");
        assert_eq!(n.issuers[1].position.line, 4);
        assert_eq!(n.published, n.date);
        assert_eq!(n.topic, ["科技、教育", "知识产权"]);
        assert_eq!(n.validity, Validity::Repealed);
        assert_eq!(n.body(), "正文\n");
    }

    #[test]
    fn reads_category_and_repealed_on() {
        let n = notice(
            "index_no: k1/2014-00065\ntitle: 通知\nissuer: a\ndate: 2014-05-07\nsummary: 概述\n\
             validity: repealed\ncategory: normative\nrepealed_on: 2019-05-06\n",
        )
        .expect("valid notice");
        assert_eq!(n.category(), Category::Normative);
        assert_eq!(n.repealed_on, Date::new(2019, 5, 6).ok());
        let plain = notice("index_no: k1/2014-00066\ntitle: 通知\nissuer: a\ndate: 2014-05-07\n")
            .expect("valid notice");
        assert_eq!((plain.category, plain.category()), (None, Category::Other));
    }

    #[test]
    fn repealed_on_needs_a_repeal_and_a_later_date() {
        let errors = notice(
            "index_no: k1/2014-00065\ntitle: 通知\nissuer: a\ndate: 2014-05-07\n\
             repealed_on: 2013-01-01\ncategory: rules\n",
        )
        .expect_err("invalid notice");
        let codes: Vec<_> = errors.iter().map(|d| (d.code, d.position.line)).collect();
        assert!(codes.contains(&(Code::RequiresField, 6)), "{codes:?}");
        assert!(codes.contains(&(Code::DateOrder, 6)), "{codes:?}");
        assert!(codes.contains(&(Code::UnknownValue, 7)), "{codes:?}");
        let expired = notice(
            "index_no: k1/2014-00065\ntitle: 通知\nissuer: a\ndate: 2014-05-07\n\
             validity: expired\nrepealed_on: 2014-05-07\n",
        );
        assert!(expired.is_ok(), "{expired:?}");
    }

    #[test]
    fn collects_every_error_of_a_file() {
        let errors = notice("index_no: k1/2014-00065\ndate: 2009-02-30\nvalidity: efective\n")
            .expect_err("invalid notice");
        let messages: Vec<_> = errors.iter().map(|d| d.message.en()).collect();
        assert!(messages.contains(&"missing required field `title`"));
        assert!(messages.contains(&"missing required field `issuer`"));
        assert!(
            messages
                .iter()
                .any(|m| m.contains("not a real calendar date"))
        );
        let validity = errors
            .iter()
            .find(|d| d.message.en().contains("unknown validity"))
            .expect("validity error");
        assert_eq!(validity.position.line, 4);
        assert_eq!(
            validity.help.as_ref().map(|h| h.en()),
            Some("did you mean `effective`?")
        );
    }
}
