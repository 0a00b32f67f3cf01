//! The unit registry (`/units/`) and unit pages (`/units/<id>/`).

use serde::Serialize;

use super::bodies::{BodyRef, body_ref};
use super::views::{NoticeItem, UnitRef, notice_item, unit_ref};
use super::{OutputFile, PageHead, PageId, Reads, Renderer, Section};
use crate::content::unit::UnitKind;
use crate::diagnostics::Diagnostic;
use crate::enums::{Key, Label};
use crate::links::root_of;
use crate::site::{BodyRole, Membership, Site, UnitIx};
use crate::urls;

#[derive(Serialize)]
struct UnitPage {
    unit: UnitRef,
    aliases: Vec<String>,
    kind: &'static str,
    kind_label: &'static str,
    website: Option<String>,
    parent: Option<UnitRef>,
    children: Vec<UnitRef>,
    notices: Vec<NoticeItem>,
    bodies: Vec<MembershipView>,
    tasks: Option<super::progress::UnitTasks>,
    as_of_label: String,
    /// The unit's Atom feed of notices, when it issued any (and with `base_url`).
    feed: Option<String>,
}

/// A unit's place in one body, as its page shows it.
#[derive(Serialize)]
struct MembershipView {
    body: BodyRef,
    /// 办公室所在单位, 召集人（市政府分管副市长）所在单位, 成员单位.
    roles: Vec<String>,
    /// 职责分工 in this body, when it is a member with duties.
    duties_html: Option<String>,
}

fn membership_view(reads: &Reads, unit_url: &str, membership: &Membership) -> MembershipView {
    let (body, _) = reads.body(membership.body);
    let mut duties_html = None;
    let roles = membership
        .roles
        .iter()
        .map(|role| match role {
            BodyRole::Office => "办公室所在单位".to_string(),
            BodyRole::Leader(i) => {
                let leader = &body.leaders[*i];
                format!("{}（{}）所在单位", leader.role, leader.title)
            }
            BodyRole::Member(i) => {
                // Written in the body's file, shown on the unit's page.
                let root = root_of(unit_url);
                duties_html = body.members[*i]
                    .duties
                    .as_deref()
                    .map(|d| reads.markdown(d, &body.file.path, &root).html);
                "成员单位".to_string()
            }
        })
        .collect();
    MembershipView {
        body: body_ref(reads, membership.body),
        roles,
        duties_html,
    }
}

#[derive(Serialize)]
struct UnitGroup {
    kind: &'static str,
    label: &'static str,
    units: Vec<UnitRef>,
}

#[derive(Serialize)]
struct UnitList {
    groups: Vec<UnitGroup>,
}

/// `/units/` and one page per unit.
pub(super) fn list_pages(site: &Site, ids: &mut Vec<PageId>) {
    ids.push(PageId::Units);
    ids.extend((0..site.units.len()).map(PageId::Unit));
}

/// `/units/`, grouped by kind.
pub(super) fn registry(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let units: Vec<(UnitKind, UnitRef)> = (0..reads.unit_count())
        .map(|u| (reads.unit_name(u).kind, unit_ref(&reads, u)))
        .collect();
    let groups = UnitKind::LISTED
        .iter()
        .map(|&kind| UnitGroup {
            kind: kind.key(),
            label: kind.label(),
            units: units
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, u)| u.clone())
                .collect(),
        })
        .filter(|g| !g.units.is_empty())
        .collect();
    r.page(
        reads,
        urls::index_file(urls::UNITS),
        "unit_list.html",
        PageHead::new("机构名录", Section::Units).column(&super::views::UNITS),
        &UnitList { groups },
    )
}

/// The page of unit `ix`.
pub(super) fn unit_page(r: &Renderer, ix: UnitIx) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let (unit, links) = reads.unit(ix);
    let url = urls::unit(unit.id.as_str());
    let view = UnitPage {
        unit: unit_ref(&reads, ix),
        aliases: unit.aliases.clone(),
        kind: unit.kind.key(),
        kind_label: unit.kind.label(),
        website: unit.website.clone(),
        parent: links.parent.map(|p| unit_ref(&reads, p)),
        children: links
            .children
            .iter()
            .map(|&c| unit_ref(&reads, c))
            .collect(),
        notices: links
            .notices
            .iter()
            .map(|&n| notice_item(&reads, n))
            .collect(),
        bodies: links
            .bodies
            .iter()
            .map(|m| membership_view(&reads, &url, m))
            .collect(),
        tasks: (!links.tasks.is_empty()).then(|| super::progress::unit_tasks(&reads, ix, None)),
        as_of_label: crate::time::chinese_date(reads.as_of().date),
        feed: super::feeds::feed_link(reads.config(), || urls::feed_in(&url))
            .filter(|_| !links.notices.is_empty()),
    };
    let mut keywords = vec![unit.name.clone(), view.unit.short_name.clone()];
    keywords.extend(unit.aliases.iter().cloned());
    let mut seen = std::collections::BTreeSet::new();
    keywords.retain(|k| seen.insert(k.clone()));
    let description = format!(
        "{}（{}）：所属议事协调机构、职责分工、承担的工作任务和发布的文件",
        unit.name, view.kind_label
    );
    let article = super::views::Article::new(
        &unit.name,
        &reads.as_of().date.to_string(),
        &super::views::office(&reads),
        &keywords,
        &[],
        Some(&description),
    );
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": unit.name,
    });
    if !unit.aliases.is_empty() || view.unit.short_name != unit.name {
        let mut names: Vec<&str> = vec![view.unit.short_name.as_str()];
        names.extend(unit.aliases.iter().map(String::as_str));
        names.retain(|n| *n != unit.name);
        ld["alternateName"] = names.into();
    }
    if let Some(website) = &unit.website {
        ld["url"] = website.as_str().into();
    }
    if let Some(parent) = &view.parent {
        ld["parentOrganization"] = serde_json::json!({
            "@type": "GovernmentOrganization", "name": parent.name,
        });
    }
    r.page(
        reads,
        urls::index_file(&url),
        "unit.html",
        PageHead::new(&unit.name, Section::Units)
            .column(&super::views::UNITS)
            .article(article)
            .json_ld(&ld),
        &view,
    )
}
