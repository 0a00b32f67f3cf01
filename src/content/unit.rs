//! Units (`content/units/<id>.yaml`): the registry of organisations that issue notices,
//! sit in bodies and lead tasks.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, missing_field, unknown_value};
use crate::source::{Located, Position, SourceFile};
use crate::text;

pub use super::ids::{UnitId, is_valid_id};

/// What sort of organisation a unit is; `/units/` groups by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 人民政府 and its general office.
    Government,
    /// A working department of a government (局, 委, 办).
    Department,
    /// 人民法院.
    Court,
    /// 人民检察院.
    Procuratorate,
    /// A county, district or county-level city government.
    District,
    /// Other public agency (管委会, 中心).
    Agency,
    /// 海关.
    Customs,
    /// A group written as one entry, such as 各有关单位: not an organisation.
    Collective,
    /// Anything else.
    Other,
}

impl UnitKind {
    /// Every kind, in the order `/units/` lists them.
    pub const ALL: [UnitKind; 9] = [
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

    fn parse(text: &str) -> Option<UnitKind> {
        Some(match text {
            "government" => UnitKind::Government,
            "department" => UnitKind::Department,
            "court" => UnitKind::Court,
            "procuratorate" => UnitKind::Procuratorate,
            "district" => UnitKind::District,
            "agency" => UnitKind::Agency,
            "customs" => UnitKind::Customs,
            "collective" => UnitKind::Collective,
            "other" => UnitKind::Other,
            _ => return None,
        })
    }

    /// The value as written in YAML.
    pub fn key(self) -> &'static str {
        match self {
            UnitKind::Government => "government",
            UnitKind::Department => "department",
            UnitKind::Court => "court",
            UnitKind::Procuratorate => "procuratorate",
            UnitKind::District => "district",
            UnitKind::Agency => "agency",
            UnitKind::Customs => "customs",
            UnitKind::Collective => "collective",
            UnitKind::Other => "other",
        }
    }

    /// The heading a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Government => "人民政府及办公机构",
            UnitKind::Department => "政府工作部门",
            UnitKind::Court => "审判机关",
            UnitKind::Procuratorate => "检察机关",
            UnitKind::District => "县（市、区）",
            UnitKind::Agency => "其他机构",
            UnitKind::Customs => "海关",
            UnitKind::Collective => "集合性单位（泛指多个单位）",
            UnitKind::Other => "其他单位",
        }
    }
}

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
}

impl Unit {
    /// The name to show where space is short.
    pub fn display_short(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    name: Option<String>,
    short_name: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    kind: Option<Spanned<String>>,
    parent: Option<Spanned<String>>,
    website: Option<Spanned<String>>,
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
        Some(k) => UnitKind::parse(&k.value).or_else(|| {
            let known = UnitKind::ALL.map(UnitKind::key);
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
    let unit = Unit {
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
