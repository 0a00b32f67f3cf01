//! Coordinating bodies (`content/bodies/<id>.yaml`): 联席会议, 领导小组 … with their
//! leaders, office and member units in published order, each with its 职责分工.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, missing_field, unknown_value};
use crate::enums::{Key, Label};
use crate::source::{Located, Position, SourceFile};
use crate::text;

pub use super::ids::BodyId;

/// What sort of coordinating body it is; decides the words on its page. Read through
/// serde, so the keys accepted are those of the schema.
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
#[schemars(title = "机构类型", description = "议事协调机构的类型")]
pub enum BodyKind {
    /// 联席会议.
    #[strum(message = "联席会议")]
    #[schemars(title = BodyKind::JointConference.label(), description = "联席会议")]
    JointConference,
    /// 领导小组.
    #[strum(message = "领导小组")]
    #[schemars(title = BodyKind::LeadingGroup.label(), description = "领导小组")]
    LeadingGroup,
    /// Any other body (委员会, 工作专班 …).
    #[strum(message = "议事协调机构")]
    #[schemars(
        title = "其他",
        description = "其他议事协调机构（委员会、工作专班 …），默认"
    )]
    Other,
}

impl Key for BodyKind {}
impl Label for BodyKind {}

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

/// A body file as written; its schema is generated from this struct.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Body",
    title = "议事协调机构",
    description = "gongkai 议事协调机构（content/bodies/<id>.yaml）及其成员单位"
)]
pub(crate) struct RawBody {
    #[schemars(
        with = "crate::schema::Text",
        title = "名称",
        description = "机构名称（必填）"
    )]
    name: Option<String>,
    #[schemars(
        with = "Option<BodyKind>",
        title = "机构类型",
        description = "机构类型：joint_conference 联席会议 | leading_group 领导小组 | other 其他（默认）"
    )]
    kind: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::IndexNo>",
        title = "成立文件",
        description = "成立该机构的通知的索引号"
    )]
    established_by: Option<Spanned<String>>,
    #[schemars(title = "办公室", description = "办公室所在单位")]
    office: Option<RawOffice>,
    #[serde(default)]
    #[schemars(
        title = "负责人",
        description = "召集人 / 组长 / 副组长：写职务，不写个人姓名"
    )]
    leaders: Vec<RawLeader>,
    #[serde(default)]
    #[schemars(title = "成员单位", description = "成员单位，按公布顺序")]
    members: Vec<RawMember>,
    #[schemars(title = "工作规则", description = "工作规则 / 工作要求（Markdown）")]
    rules: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Office", title = "办公室", description = "办公室所在单位")]
struct RawOffice {
    #[schemars(
        with = "crate::schema::Id",
        title = "所在单位",
        description = "办公室所在单位的 id"
    )]
    unit: Spanned<String>,
    #[schemars(
        title = "说明",
        description = "公布的原文，如 联席会议办公室设在市科技局"
    )]
    note: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Leader",
    title = "负责人",
    description = "负责人职位（不是个人）"
)]
struct RawLeader {
    #[schemars(title = "角色", description = "角色：召集人、组长、副组长 …")]
    role: String,
    #[schemars(title = "职务", description = "担任该角色的职务，如 市政府分管副市长")]
    title: String,
    #[schemars(
        with = "Option<crate::schema::Id>",
        title = "所在单位",
        description = "该职务所在单位的 id"
    )]
    unit: Option<Spanned<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Member",
    title = "成员单位",
    description = "成员单位及其职责分工"
)]
struct RawMember {
    #[schemars(
        with = "crate::schema::Id",
        title = "单位",
        description = "成员单位的 id"
    )]
    unit: Spanned<String>,
    #[schemars(title = "职责分工", description = "职责分工（Markdown）")]
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
        Some(k) => super::parse_key(&k.value).unwrap_or_else(|| {
            let at = Position::of(k);
            errors.push(unknown_value(
                &file,
                at,
                text!("body kind", "议事协调机构类型"),
                &k.value,
                &BodyKind::keys(),
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
