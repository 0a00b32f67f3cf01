//! A notice that establishes a coordinating body (成立…领导小组 / 联席会议) → a proposed
//! `content/bodies/<id>.yaml`, with `--kind auto`.
//!
//! Read from the notice's blocks ([`super::notice::Block`]):
//! - **name**: the words after 成立 in the title, up to 的通知; a leading 区/市/县 is given
//!   the place of the issuer (`区…领导小组` of 宝鸡市金台区… → `金台区…领导小组`), a guess;
//! - **kind**: 领导小组 → `leading_group`, 联席会议 → `joint_conference`, else `other`;
//! - **leaders**: `组长：` / `副组长：` / `召集人：` / `副召集人：` lead-ins, the title as written
//!   and the unit its first words name (`区政府分管副区长` → the unit 区政府);
//! - **office**: the paragraph with 办公室设在 / 办公地点设在, the unit named after 设在;
//! - **members**: the `单位：职责` paragraphs of the 职责分工 section, in order, matched to
//!   units by name; then the units of the `成员：` list that have no duties there (a guess
//!   each). Without a 职责分工 section, the `成员：` list alone;
//! - **rules**: the sections whose heading names 规则, 要求 or 制度, each under its bold
//!   heading without the number.
//!
//! The file starts with a `# 待审核 / to review` comment, like the units `--new-units` makes.

use std::collections::BTreeMap;

use serde::Serialize;

use super::notice::{Block, resolve_units_with};
use super::plan::{Found, UnitRef};
use super::units::{Registry, disambiguate};
use crate::content::unit::UnitId;
use crate::diagnostics::Text;
use crate::text;

/// A leader as proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProposedLeader {
    /// 组长, 副组长, 召集人 …
    pub role: String,
    /// The position as written.
    pub title: String,
    /// The unit its first words name.
    pub unit: Option<UnitId>,
}

/// A body as proposed from a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProposedBody {
    /// 名称.
    pub name: String,
    /// `leading_group`, `joint_conference` or `other`.
    pub kind: &'static str,
    /// The office's unit and the paragraph that sets it up.
    pub office: Option<(UnitId, String)>,
    /// 组长, 副组长 …
    pub leaders: Vec<ProposedLeader>,
    /// Member units with their 职责分工.
    pub members: Vec<(UnitRef, Option<String>)>,
    /// 工作规则 and the like, Markdown.
    pub rules: Option<String>,
}

impl ProposedBody {
    /// Every unit reference that may be unknown (the members').
    pub(crate) fn unit_refs_mut(&mut self) -> impl Iterator<Item = &mut UnitRef> {
        self.members.iter_mut().map(|(u, _)| u)
    }
}

/// Whether a notice's title establishes a body.
pub(crate) fn establishes(title: &str) -> bool {
    let Some((_, after)) = title.split_once("成立") else {
        return false;
    };
    ["领导小组", "联席会议", "委员会", "工作组", "小组", "指挥部"]
        .iter()
        .any(|w| after.contains(w))
}

const LEADER_ROLES: &[&str] = &["组长", "副组长", "召集人", "副召集人", "主任", "副主任"];

/// Proposes the body a notice establishes. `issuer` is the issuing unit's full name;
/// `prefixes` counts the id prefixes of the notice's units, for ambiguous names.
pub(crate) fn propose(
    title: &str,
    title_line: usize,
    issuer: Option<&str>,
    blocks: &[Block],
    registry: &Registry,
    prefixes: &BTreeMap<String, usize>,
    found: &mut Vec<Found>,
) -> Option<ProposedBody> {
    let (_, after) = title.split_once("成立")?;
    let mut name = after
        .trim_end_matches("的通知")
        .trim_end_matches("的决定")
        .trim_end_matches("的通告")
        .to_string();
    if let (Some(first), Some(issuer)) = (name.chars().next(), issuer)
        && matches!(first, '区' | '市' | '县')
        && let Some(place) = place_of(issuer, first)
    {
        name = format!("{place}{}", &name[first.len_utf8()..]);
    }
    found.push(Found {
        line: title_line,
        what: text!(
            "body `{name}` proposed: the notice establishes it (review the file)",
            "拟新建协调机构“{name}”：本通知成立该机构（请核对该文件）"
        ),
    });
    let kind = if name.contains("领导小组") {
        "leading_group"
    } else if name.contains("联席会议") {
        "joint_conference"
    } else {
        "other"
    };

    let unit_at_start = |text: &str| -> Option<UnitId> {
        let (_, ids) = registry.longest_prefix(text)?;
        match ids.as_slice() {
            [id] => Some(id.clone()),
            ids => disambiguate(ids, prefixes),
        }
    };

    let mut leaders = Vec::new();
    let mut office = None;
    let mut listed: Vec<(UnitRef, usize)> = Vec::new();
    let mut duties: Vec<(UnitRef, String)> = Vec::new();
    let mut rules: Vec<String> = Vec::new();
    let mut section = String::new();
    for block in blocks {
        match block {
            Block::Heading { level: 2, text, .. } => {
                section = text.clone();
                if ["规则", "要求", "制度"].iter().any(|w| text.contains(w)) {
                    let bare = text
                        .split_once('、')
                        .map_or(text.as_str(), |(_, t)| t)
                        .to_string();
                    rules.push(format!("**{bare}**"));
                }
            }
            Block::Para { text, lead, line } => {
                let in_rules = ["规则", "要求", "制度"].iter().any(|w| section.contains(w));
                if in_rules && !rules.is_empty() {
                    rules.push(text.clone());
                }
                let rest = |lead: &str| {
                    text.strip_prefix(lead)
                        .and_then(|r| r.strip_prefix('：'))
                        .unwrap_or(text)
                        .to_string()
                };
                if office.is_none()
                    && let Some((_, after)) = text
                        .split_once("办公室设在")
                        .or_else(|| text.split_once("办公地点设在"))
                {
                    let unit_text = after
                        .split(['，', '。', '；', ','])
                        .next()
                        .unwrap_or_default();
                    match unit_at_start(unit_text) {
                        Some(id) => office = Some((id, text.clone())),
                        None => found.push(Found {
                            line: *line,
                            what: text!(
                                "office `{unit_text}`: no unit of that name, left out",
                                "办公室所在单位“{unit_text}”：没有该名称的单位，未写入"
                            ),
                        }),
                    }
                }
                let Some(lead) = lead else { continue };
                if LEADER_ROLES.contains(&lead.as_str()) {
                    for title in rest(lead).trim_end_matches('。').split('、') {
                        let unit = unit_at_start(title);
                        if unit.is_none() {
                            found.push(Found {
                                line: *line,
                                what: text!(
                                    "{lead} `{title}`: no unit named at its start, written without one",
                                    "{lead}“{title}”：开头没有可识别的单位，未写单位"
                                ),
                            });
                        }
                        leaders.push(ProposedLeader {
                            role: lead.clone(),
                            title: title.to_string(),
                            unit,
                        });
                    }
                } else if matches!(lead.as_str(), "成员" | "成员单位") {
                    let list = rest(lead);
                    let list = strip_person_suffix(list.trim_end_matches('。'));
                    for r in resolve_units_with(registry, list, *line, prefixes, found) {
                        if !listed.iter().any(|(u, _)| *u == r) {
                            listed.push((r, *line));
                        }
                    }
                } else if section.contains("职责") {
                    let unit = resolve_units_with(registry, lead, *line, prefixes, found);
                    match unit.as_slice() {
                        [one] => duties.push((one.clone(), rest(lead))),
                        _ => found.push(Found {
                            line: *line,
                            what: text!(
                                "`{lead}` in 职责分工 is not one unit: its duties are left out",
                                "职责分工中的“{lead}”不是一个单位：其职责未写入"
                            ),
                        }),
                    }
                }
            }
            _ => {}
        }
    }
    let mut members: Vec<(UnitRef, Option<String>)> =
        duties.into_iter().map(|(u, d)| (u, Some(d))).collect();
    for (unit, line) in listed {
        if members.iter().any(|(u, _)| *u == unit) {
            continue;
        }
        if !members.is_empty() {
            let shown = match &unit {
                UnitRef::Known(id) => id.to_string(),
                UnitRef::Unknown { name, .. } => name.clone(),
            };
            found.push(Found {
                line,
                what: text!(
                    "member {shown} is listed but has no 职责分工: added without duties",
                    "成员 {shown} 在名单中但没有职责分工：已加入，未写职责"
                ),
            });
        }
        members.push((unit, None));
    }
    Some(ProposedBody {
        name,
        kind,
        office,
        leaders,
        members,
        rules: (!rules.is_empty()).then(|| rules.join("\n\n")),
    })
}

/// `区人民法院分管负责同志` → `区人民法院`: the people a member list names, not units.
fn strip_person_suffix(list: &str) -> &str {
    for suffix in [
        "分管负责同志",
        "主要负责同志",
        "分管领导",
        "主要领导",
        "负责同志",
        "负责人",
        "为成员单位",
    ] {
        if let Some(s) = list.strip_suffix(suffix) {
            return s;
        }
    }
    list
}

/// The place of the issuer a leading `区`/`市`/`县` means: 宝鸡市金台区人民政府办公室, 区 →
/// 金台区.
fn place_of(issuer: &str, level: char) -> Option<String> {
    let chars: Vec<char> = issuer.chars().collect();
    let end = chars.iter().position(|&c| c == level)?;
    let start = chars[..end]
        .iter()
        .rposition(|&c| matches!(c, '省' | '市' | '州' | '区' | '县'))
        .map_or(0, |p| p + 1);
    (end > start).then(|| chars[start..=end].iter().collect())
}

#[derive(Serialize)]
struct OutOffice<'a> {
    unit: &'a str,
    note: &'a str,
}

#[derive(Serialize)]
struct OutLeader<'a> {
    role: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
}

#[derive(Serialize)]
struct OutMember<'a> {
    unit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    duties: Option<&'a str>,
}

#[derive(Serialize)]
struct OutBody<'a> {
    name: &'a str,
    kind: &'a str,
    established_by: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    office: Option<OutOffice<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    leaders: Vec<OutLeader<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    members: Vec<OutMember<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rules: Option<&'a str>,
}

/// The body file's YAML, marked for review; `new_ids` gives the ids of new units.
pub(crate) fn to_yaml(
    body: &ProposedBody,
    established_by: &str,
    new_ids: &BTreeMap<String, UnitId>,
    source: &str,
) -> Result<String, Text> {
    let mut members = Vec::new();
    for (unit, duties) in &body.members {
        let id = match unit {
            UnitRef::Known(id) => id.to_string(),
            UnitRef::Unknown { name, .. } => {
                new_ids.get(name).map(|id| id.to_string()).ok_or_else(|| {
                    text!(
                        "internal error: no id for unit `{name}`",
                        "内部错误：单位“{name}”没有 id"
                    )
                })?
            }
        };
        members.push(OutMember {
            unit: id,
            duties: duties.as_deref(),
        });
    }
    let out = OutBody {
        name: &body.name,
        kind: body.kind,
        established_by,
        office: body.office.as_ref().map(|(unit, note)| OutOffice {
            unit: unit.as_str(),
            note,
        }),
        leaders: body
            .leaders
            .iter()
            .map(|l| OutLeader {
                role: &l.role,
                title: &l.title,
                unit: l.unit.as_ref().map(UnitId::as_str),
            })
            .collect(),
        members,
        rules: body.rules.as_deref(),
    };
    let yaml = serde_saphyr::to_string(&out).map_err(|e| {
        text!(
            "internal error: cannot write a body as YAML: {e}",
            "内部错误：无法将协调机构写为 YAML：{e}"
        )
    })?;
    Ok(format!(
        "# 待审核 / to review: proposed by `gongkai import` from {source}.\n\
         # 请核对名称、领导、办公室、成员单位及其职责后删除这两行注释。\n{yaml}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_established_by_cheng_li() {
        assert!(establishes("关于成立区知识产权工作协调领导小组的通知"));
        assert!(!establishes(
            "关于印发连云港市知识产权联席会议工作制度的通知"
        ));
    }

    #[test]
    fn the_place_of_the_issuer() {
        assert_eq!(
            place_of("宝鸡市金台区人民政府办公室", '区').as_deref(),
            Some("金台区")
        );
        assert_eq!(
            place_of("连云港市人民政府", '市').as_deref(),
            Some("连云港市")
        );
        assert_eq!(place_of("某某局", '区'), None);
    }

    #[test]
    fn person_suffixes_go() {
        assert_eq!(strip_person_suffix("甲局、乙局分管负责同志"), "甲局、乙局");
    }
}
