//! Coordinating bodies (`content/bodies/<id>.yaml`): 联席会议, 领导小组 … with their
//! leaders, office and member units in published order, each with its 职责分工.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, missing_field, unknown_value};
use crate::source::{Located, Position, SourceFile};
use crate::text;

pub use super::ids::BodyId;

/// What sort of coordinating body it is; decides the words on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    /// 联席会议.
    JointConference,
    /// 领导小组.
    LeadingGroup,
    /// Any other body (委员会, 工作专班 …).
    Other,
}

impl BodyKind {
    const KEYS: [&'static str; 3] = ["joint_conference", "leading_group", "other"];

    fn parse(text: &str) -> Option<BodyKind> {
        Some(match text {
            "joint_conference" => BodyKind::JointConference,
            "leading_group" => BodyKind::LeadingGroup,
            "other" => BodyKind::Other,
            _ => return None,
        })
    }

    /// The value as written in YAML.
    pub fn key(self) -> &'static str {
        Self::KEYS[self as usize]
    }

    /// What a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            BodyKind::JointConference => "联席会议",
            BodyKind::LeadingGroup => "领导小组",
            BodyKind::Other => "议事协调机构",
        }
    }
}

/// A leading position (召集人, 组长, 副组长): a post, never a private person.
#[derive(Debug, Clone)]
pub struct Leader {
    /// 召集人 / 组长 / 副组长 ….
    pub role: String,
    /// The post that fills it (市政府分管副市长).
    pub title: String,
    /// The unit the post belongs to.
    pub unit: Option<Located<String>>,
}

/// Where the body's office (办公室) sits.
#[derive(Debug, Clone)]
pub struct Office {
    /// The unit hosting the office.
    pub unit: Located<String>,
    /// The published wording (联席会议办公室设在市科技局（知识产权局）).
    pub note: Option<String>,
}

/// A member unit and what it is responsible for.
#[derive(Debug, Clone)]
pub struct Member {
    /// The member unit.
    pub unit: Located<String>,
    /// 职责分工, Markdown.
    pub duties: Option<String>,
}

/// A coordinating body as loaded; unit and notice references are checked in `site`.
#[derive(Debug, Clone)]
pub struct Body {
    /// File stem.
    pub id: BodyId,
    /// The file, for diagnostics.
    pub file: SourceFile,
    /// Full name.
    pub name: String,
    /// 联席会议, 领导小组 or other.
    pub kind: BodyKind,
    /// 索引号 of the notice that established it.
    pub established_by: Option<Located<String>>,
    /// Where its office sits.
    pub office: Option<Office>,
    /// Leading positions in published order.
    pub leaders: Vec<Leader>,
    /// Member units in published order.
    pub members: Vec<Member>,
    /// 工作规则 / 工作要求, Markdown.
    pub rules: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBody {
    name: Option<String>,
    kind: Option<Spanned<String>>,
    established_by: Option<Spanned<String>>,
    office: Option<RawOffice>,
    #[serde(default)]
    leaders: Vec<RawLeader>,
    #[serde(default)]
    members: Vec<RawMember>,
    rules: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffice {
    unit: Spanned<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLeader {
    role: String,
    title: String,
    unit: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    unit: Spanned<String>,
    duties: Option<String>,
}

/// Parses one body file. A duplicate member is reported here (it is visible in the file
/// alone); references to units and notices are checked when the site is resolved.
pub fn parse(file: SourceFile, id: BodyId) -> (Option<Body>, Vec<Diagnostic>) {
    let raw: RawBody = match file.parse_yaml(&file.text) {
        Ok(raw) => raw,
        Err(d) => return (None, vec![d]),
    };
    let mut errors = Vec::new();
    let name = raw.name.filter(|n| !n.trim().is_empty());
    if name.is_none() {
        errors.push(missing_field(&file, "name"));
    }
    let kind = match &raw.kind {
        None => BodyKind::Other,
        Some(k) => BodyKind::parse(&k.value).unwrap_or_else(|| {
            let at = Position::of(k);
            errors.push(unknown_value(
                &file,
                at,
                text!("body kind", "议事协调机构类型"),
                &k.value,
                &BodyKind::KEYS,
            ));
            BodyKind::Other
        }),
    };
    let members: Vec<Member> = raw
        .members
        .into_iter()
        .map(|m| Member {
            unit: Located::from(m.unit),
            duties: m.duties.filter(|d| !d.trim().is_empty()),
        })
        .collect();
    for (i, member) in members.iter().enumerate() {
        if let Some(first) = members[..i]
            .iter()
            .find(|m| m.unit.value == member.unit.value)
        {
            errors.push(
                Diagnostic::error(
                    Code::Duplicate,
                    &file,
                    member.unit.position,
                    text!(
                        "unit `{unit}` is listed twice as a member (first on line {line})",
                        "成员单位 `{unit}` 重复列出（第一次在第 {line} 行）",
                        unit = &member.unit.value,
                        line = first.unit.position.line
                    ),
                )
                .with_help(text!(
                    "merge its duties into one entry",
                    "请把它的职责分工合并为一条"
                )),
            );
        }
    }
    let body = Body {
        name: name.unwrap_or_else(|| id.to_string()),
        kind,
        established_by: raw.established_by.map(Located::from),
        office: raw.office.map(|o| Office {
            unit: Located::from(o.unit),
            note: o.note,
        }),
        leaders: raw
            .leaders
            .into_iter()
            .map(|l| Leader {
                role: l.role,
                title: l.title,
                unit: l.unit.map(Located::from),
            })
            .collect(),
        members,
        rules: raw.rules.filter(|r| !r.trim().is_empty()),
        id,
        file,
    };
    (Some(body), errors)
}
