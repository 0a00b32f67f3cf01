//! Coordinating bodies: `/bodies/` and `/bodies/<id>/` (leaders, office, members with
//! their duties in published order, rules).

use serde::Serialize;

use super::markdown;
use super::views::{NoticeItem, UnitRef, notice_item, unit_ref};
use super::{ItemKey, OutputFile, PageHead, Renderer};
use crate::diagnostics::Diagnostic;
use crate::links::{LinkContext, root_of};
use crate::site::{BodyIx, Site};

/// Root-relative URL of a body page.
pub fn body_url(id: &str) -> String {
    crate::urls::body(id)
}

/// A body as named in lists and on unit pages.
#[derive(Debug, Clone, Serialize)]
pub struct BodyRef {
    /// Body id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// joint_conference / leading_group / other.
    pub kind: &'static str,
    /// 联席会议 / 领导小组 ….
    pub kind_label: &'static str,
    /// Root-relative URL.
    pub url: String,
}

/// The reference view of body `bx`.
pub fn body_ref(site: &Site, bx: BodyIx) -> BodyRef {
    let body = &site.bodies[bx];
    BodyRef {
        id: body.id.to_string(),
        name: body.name.clone(),
        kind: body.kind.key(),
        kind_label: body.kind.label(),
        url: body_url(body.id.as_str()),
    }
}

#[derive(Serialize)]
struct LeaderView {
    role: String,
    title: String,
    unit: Option<UnitRef>,
}

#[derive(Serialize)]
struct MemberView {
    number: usize,
    unit: UnitRef,
    duties_html: Option<String>,
}

#[derive(Serialize)]
struct OfficeView {
    unit: UnitRef,
    note: Option<String>,
}

#[derive(Serialize)]
struct BodyPage {
    body: BodyRef,
    established_by: Option<NoticeItem>,
    leaders: Vec<LeaderView>,
    office: Option<OfficeView>,
    members: Vec<MemberView>,
    members_with_duties: usize,
    rules_html: Option<String>,
}

#[derive(Serialize)]
struct BodyListItem {
    body: BodyRef,
    member_count: usize,
    office: Option<UnitRef>,
    established_by: Option<NoticeItem>,
}

#[derive(Serialize)]
struct BodyList {
    bodies: Vec<BodyListItem>,
}

/// `/bodies/` and one page per body.
pub fn body_pages(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = r.site;
    let list = BodyList {
        bodies: (0..site.bodies.len())
            .map(|bx| {
                let links = &site.body_links[bx];
                BodyListItem {
                    body: body_ref(site, bx),
                    member_count: links.members.len(),
                    office: links.office.map(|u| unit_ref(site, u)),
                    established_by: links.established_by.map(|n| notice_item(site, n)),
                }
            })
            .collect(),
    };
    let mut out = vec![r.page(
        "bodies/index.html".into(),
        "body_list.html",
        PageHead {
            title: "议事协调机构",
            section: "bodies",
            has_code: false,
        },
        &list,
        vec![ItemKey::Site, ItemKey::AllBodies, ItemKey::AllUnits],
    )];
    out.extend((0..site.bodies.len()).map(|bx| body_page(r, bx)));
    out
}

fn body_page(r: &Renderer, bx: BodyIx) -> Result<OutputFile, Diagnostic> {
    let site = r.site;
    let body = &site.bodies[bx];
    let links = &site.body_links[bx];
    let settings = site.config.markdown();
    let mut has_code = false;
    let root = root_of(&body_url(body.id.as_str()));
    let link_context = LinkContext::new(&site.links, &body.file.path, &root);
    let mut render = |text: &str| {
        let rendered = markdown::render(text, &settings, &link_context);
        has_code |= rendered.has_code;
        rendered.html
    };
    let members: Vec<MemberView> = body
        .members
        .iter()
        .zip(&links.members)
        .enumerate()
        .map(|(i, (member, &u))| MemberView {
            number: i + 1,
            unit: unit_ref(site, u),
            duties_html: member.duties.as_deref().map(&mut render),
        })
        .collect();
    let view = BodyPage {
        body: body_ref(site, bx),
        established_by: links.established_by.map(|n| notice_item(site, n)),
        leaders: body
            .leaders
            .iter()
            .zip(&links.leaders)
            .map(|(leader, unit)| LeaderView {
                role: leader.role.clone(),
                title: leader.title.clone(),
                unit: unit.map(|u| unit_ref(site, u)),
            })
            .collect(),
        office: body
            .office
            .as_ref()
            .zip(links.office)
            .map(|(office, u)| OfficeView {
                unit: unit_ref(site, u),
                note: office.note.clone(),
            }),
        members_with_duties: members.iter().filter(|m| m.duties_html.is_some()).count(),
        members,
        rules_html: body.rules.as_deref().map(&mut render),
    };
    let mut sources = vec![ItemKey::Site, ItemKey::Body(body.id.to_string())];
    sources.extend(
        view.members
            .iter()
            .map(|m| ItemKey::Unit(m.unit.id.clone())),
    );
    sources.extend(view.office.iter().map(|o| ItemKey::Unit(o.unit.id.clone())));
    sources.extend(
        view.leaders
            .iter()
            .filter_map(|l| l.unit.as_ref())
            .map(|u| ItemKey::Unit(u.id.clone())),
    );
    sources.extend(
        view.established_by
            .iter()
            .map(|n| ItemKey::Notice(n.index_no.clone())),
    );
    r.page(
        format!("{}index.html", view.body.url),
        "body.html",
        PageHead {
            title: &body.name,
            section: "bodies",
            has_code,
        },
        &view,
        sources,
    )
}
