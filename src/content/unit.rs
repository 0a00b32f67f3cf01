//! Units (`content/units/<id>.yaml`): the registry of organisations that issue notices,
//! sit in bodies and lead tasks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, missing_field, unknown_value};
use crate::enums::{Key, Label};
use crate::source::{Located, Position, SourceFile};
use crate::text;

pub use super::ids::{UnitId, is_valid_id};

/// What sort of organisation a unit is; `/units/` groups by it. Read through serde, so
/// the keys accepted are those of the schema; each variant's title is its [`crate::enums::Label::label`].
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
#[schemars(title = "单位类型", description = "单位类型：单位名录按此分组")]
pub enum UnitKind {
    /// 人民政府 and its general office.
    #[strum(message = "人民政府及办公机构")]
    #[schemars(title = UnitKind::Government.label(), description = "人民政府及其办公厅（室）")]
    Government,
    /// A working department of a government (局, 委, 办).
    #[strum(message = "政府工作部门")]
    #[schemars(title = UnitKind::Department.label(), description = "政府工作部门（局、委、办）")]
    Department,
    /// 人民法院.
    #[strum(message = "审判机关")]
    #[schemars(title = UnitKind::Court.label(), description = "人民法院")]
    Court,
    /// 人民检察院.
    #[strum(message = "检察机关")]
    #[schemars(title = UnitKind::Procuratorate.label(), description = "人民检察院")]
    Procuratorate,
    /// A county, district or county-level city government.
    #[strum(message = "县（市、区）")]
    #[schemars(title = UnitKind::District.label(), description = "县（市、区）人民政府")]
    District,
    /// Other public agency (管委会, 中心).
    #[strum(message = "其他机构")]
    #[schemars(title = UnitKind::Agency.label(), description = "其他公共机构（管委会、中心）")]
    Agency,
    /// 海关.
    #[strum(message = "海关")]
    #[schemars(title = UnitKind::Customs.label(), description = "海关")]
    Customs,
    /// A group written as one entry, such as 各有关单位: not an organisation.
    #[strum(message = "集合性单位（泛指多个单位）")]
    #[schemars(title = UnitKind::Collective.label(), description = "泛指多个单位的集合条目，如 各有关单位、各县（市、区）政府")]
    Collective,
    /// Anything else.
    #[strum(message = "其他单位")]
    #[schemars(title = UnitKind::Other.label(), description = "其他单位（默认）")]
    Other,
}

impl UnitKind {
    /// Every kind, in the order `/units/` lists them (and diagnostics name them): not the
    /// declaration order of [`strum::VariantArray`], which the schema keeps.
    pub const LISTED: [UnitKind; 9] = [
        UnitKind::Government,
        UnitKind::Department,
        UnitKind::Court,
        UnitKind::Procuratorate,
        UnitKind::District,
        UnitKind::Agency,
        UnitKind::Customs,
        UnitKind::Other,
        UnitKind::Collective,
    ];
}

impl Key for UnitKind {}
impl Label for UnitKind {}

/// A unit as loaded: references (`parent`) are checked later, when every unit is known.
#[derive(Debug, Clone)]
pub struct Unit {
    /// File stem.
    pub id: UnitId,
    /// Path of the YAML file, for diagnostics.
    pub file: SourceFile,
    /// Full official name.
    pub name: String,
    /// Short name used in tables (市科技局).
    pub short_name: Option<String>,
    /// Other names the same office goes by.
    pub aliases: Vec<String>,
    /// What sort of organisation it is.
    pub kind: UnitKind,
    /// The unit it belongs to, as written.
    pub parent: Option<Located<String>>,
    /// Official website.
    pub website: Option<String>,
    /// 索引号 prefix of the notices it issues (`k12498411`); `gongkai new notice` numbers
    /// from it.
    pub index_prefix: Option<String>,
}

impl Unit {
    /// The name to show where space is short.
    pub fn display_short(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
}

/// A unit file as written; its schema is generated from this struct.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Unit",
    title = "单位",
    description = "gongkai 单位（content/units/<id>.yaml）：发文、参加议事协调机构、承担任务的机构"
)]
pub(crate) struct RawUnit {
    #[schemars(
        with = "crate::schema::Text",
        title = "名称",
        description = "单位全称（必填），如 连云港市科学技术局"
    )]
    name: Option<String>,
    #[schemars(title = "简称", description = "简称，用于列表和表格，如 市科技局")]
    short_name: Option<String>,
    #[serde(default)]
    #[schemars(title = "别名", description = "同一单位的其他名称，如 [市知识产权局]")]
    aliases: Vec<String>,
    #[schemars(
        with = "Option<UnitKind>",
        title = "单位类型",
        description = "单位类型：government | department | court | procuratorate | district | agency | customs | collective | other（默认）"
    )]
    kind: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::Id>",
        title = "上级单位",
        description = "上级单位的 id"
    )]
    parent: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::Url>",
        title = "网站",
        description = "单位网站，http:// 或 https:// 开头"
    )]
    website: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::IndexPrefix>",
        title = "索引号前缀",
        description = "索引号前缀（如 k12498411）：gongkai new notice 据此编出下一个索引号 前缀/年份-流水号"
    )]
    index_prefix: Option<Spanned<String>>,
}

/// Whether `text` can be a unit's 索引号 prefix (`index_prefix:`): 1–64 ASCII letters,
/// digits, `.`, `_` or `-`, the characters a 索引号 keeps in its page folder, and no `/`,
/// which separates the prefix from `year-sequence`. The schema states the same pattern.
pub fn is_valid_index_prefix(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Parses one unit file; `id` comes from its stem (already checked by the loader).
///
/// A unit whose YAML parses comes back even with field errors (with placeholders), so
/// references to and from it are still checked; the errors stop the build.
pub fn parse(file: SourceFile, id: UnitId) -> (Option<Unit>, Vec<Diagnostic>) {
    let raw: RawUnit = match file.parse_yaml(&file.text) {
        Ok(raw) => raw,
        Err(d) => return (None, vec![d]),
    };
    let mut errors = Vec::new();
    let name = raw.name.filter(|n| !n.trim().is_empty());
    if name.is_none() {
        errors.push(missing_field(&file, "name"));
    }
    let kind = match &raw.kind {
        None => Some(UnitKind::Other),
        Some(k) => super::parse_key(&k.value).or_else(|| {
            let known = UnitKind::LISTED.map(UnitKind::key);
            errors.push(unknown_value(
                &file,
                Position::of(k),
                text!("unit kind", "单位类型"),
                &k.value,
                &known,
            ));
            None
        }),
    };
    if let Some(site) = &raw.website
        && !(site.value.starts_with("https://") || site.value.starts_with("http://"))
    {
        errors.push(Diagnostic::error(
            Code::InvalidUrl,
            &file,
            Position::of(site),
            text!(
                "website `{v}` must start with https:// or http://",
                "website `{v}` 必须以 https:// 或 http:// 开头",
                v = &site.value
            ),
        ));
    }
    if let Some(prefix) = &raw.index_prefix
        && !is_valid_index_prefix(&prefix.value)
    {
        errors.push(Diagnostic::error(
            crate::diagnostics::Code::InvalidIndexNo,
            &file,
            Position::of(prefix),
            crate::text!(
                "index_prefix `{value}` must be 1–64 ASCII letters, digits, `.`, `_` or `-`",
                "index_prefix `{value}` 须为 1–64 个 ASCII 字母、数字、`.`、`_` 或 `-`",
                value = &prefix.value
            ),
        ));
    }
    let unit = Unit {
        index_prefix: raw.index_prefix.map(|p| p.value),
        name: name.unwrap_or_else(|| id.to_string()),
        kind: kind.unwrap_or(UnitKind::Other),
        id,
        short_name: raw.short_name.filter(|s| !s.trim().is_empty()),
        aliases: raw.aliases,
        parent: raw
            .parent
            .map(|p| Located::new(p.value.clone(), Position::of(&p))),
        website: raw.website.map(|w| w.value),
        file,
    };
    (Some(unit), errors)
}
