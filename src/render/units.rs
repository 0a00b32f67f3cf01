//! The unit registry (`/units/`) and unit pages (`/units/<id>/`).

use serde::Serialize;

use super::bodies::{BodyRef, body_ref};
use super::markdown;
use super::views::{NoticeItem, UnitRef, notice_item, unit_ref};
use super::{ItemKey, OutputFile, PageHead, Renderer};
use crate::content::unit::UnitKind;
use crate::diagnostics::Diagnostic;
use crate::links::{LinkContext, root_of};
use crate::site::{BodyRole, Membership, Site, UnitIx};

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

fn membership_view(site: &Site, unit: UnitIx, membership: &Membership) -> MembershipView {
    let body = &site.bodies[membership.body];
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
                let root = root_of(&crate::urls::unit(site.units[unit].id.as_str()));
                let links = LinkContext::new(&site.links, &body.file.path, &root);
                duties_html = body.members[*i]
                    .duties
                    .as_deref()
                    .map(|d| markdown::render(d, &site.config.markdown(), &links).html);
                "成员单位".to_string()
            }
        })
        .collect();
    MembershipView {
        body: body_ref(site, membership.body),
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

/// `/units/` grouped by kind, then one page per unit.
pub fn unit_pages(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = r.site;
    let groups = UnitKind::ALL
        .iter()
        .map(|&kind| UnitGroup {
            kind: kind.key(),
            label: kind.label(),
            units: (0..site.units.len())
                .filter(|&u| site.units[u].kind == kind)
                .map(|u| unit_ref(site, u))
                .collect(),
        })
        .filter(|g| !g.units.is_empty())
        .collect();
    let mut out = vec![r.page(
        "units/index.html".into(),
        "unit_list.html",
        PageHead {
            title: "机构名录",
            section: "units",
            has_code: false,
        },
        &UnitList { groups },
        vec![ItemKey::Site, ItemKey::AllUnits],
    )];
    for (ix, unit) in site.units.iter().enumerate() {
        let links = &site.unit_links[ix];
        let view = UnitPage {
            unit: unit_ref(site, ix),
            aliases: unit.aliases.clone(),
            kind: unit.kind.key(),
            kind_label: unit.kind.label(),
            website: unit.website.clone(),
            parent: links.parent.map(|p| unit_ref(site, p)),
            children: links.children.iter().map(|&c| unit_ref(site, c)).collect(),
            notices: links
                .notices
                .iter()
                .map(|&n| notice_item(site, n))
                .collect(),
            bodies: links
                .bodies
                .iter()
                .map(|m| membership_view(site, ix, m))
                .collect(),
            tasks: (!links.tasks.is_empty()).then(|| super::progress::unit_tasks(site, ix, None)),
            as_of_label: crate::time::chinese_date(site.as_of.date),
        };
        let mut sources = vec![ItemKey::Site, ItemKey::Unit(unit.id.to_string())];
        let plans: std::collections::BTreeSet<_> = links.tasks.iter().map(|i| i.plan).collect();
        sources.extend(
            plans
                .into_iter()
                .map(|p| ItemKey::Plan(site.plans[p].id.to_string())),
        );
        sources.extend(view.bodies.iter().map(|m| ItemKey::Body(m.body.id.clone())));
        sources.extend(
            view.parent
                .iter()
                .chain(&view.children)
                .map(|u| ItemKey::Unit(u.id.clone())),
        );
        sources.extend(
            view.notices
                .iter()
                .map(|n| ItemKey::Notice(n.index_no.clone())),
        );
        out.push(r.page(
            format!("{}index.html", view.unit.url),
            "unit.html",
            PageHead {
                title: &unit.name,
                section: "units",
                has_code: false,
            },
            &view,
            sources,
        ));
    }
    out
}
