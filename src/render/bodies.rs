//! Coordinating bodies: `/bodies/` and `/bodies/<id>/` (leaders, office, members with
//! their duties in published order, rules).

use serde::Serialize;

use super::views::{NoticeItem, UnitRef, notice_item, unit_ref};
use super::{ItemKey, OutputFile, PageHead, PageId, Reads, Renderer, Section};
use crate::diagnostics::Diagnostic;
use crate::enums::{Key, Label};
use crate::links::root_of;
use crate::site::{BodyIx, Site};
use crate::urls;

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
pub fn body_ref(reads: &Reads, bx: BodyIx) -> BodyRef {
    let body = reads.body_name(bx);
    reads.narrow(ItemKey::BodyName(body.id.clone()), |_| BodyRef {
        id: body.id.to_string(),
        name: body.name.clone(),
        kind: body.kind.key(),
        kind_label: body.kind.label(),
        url: urls::body(body.id.as_str()),
    })
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
pub(super) fn list_pages(site: &Site, ids: &mut Vec<PageId>) {
    ids.push(PageId::Bodies);
    ids.extend((0..site.bodies.len()).map(PageId::Body));
}

/// `/bodies/`.
pub(super) fn body_list(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let list = BodyList {
        bodies: (0..reads.body_count())
            .map(|bx| {
                let (_, links) = reads.body(bx);
                BodyListItem {
                    body: body_ref(&reads, bx),
                    member_count: links.members.len(),
                    office: links.office.map(|u| unit_ref(&reads, u)),
                    established_by: links.established_by.map(|n| notice_item(&reads, n)),
                }
            })
            .collect(),
    };
    r.page(
        reads,
        urls::index_file(urls::BODIES),
        "body_list.html",
        PageHead::new("议事协调机构", Section::Bodies).column(&super::views::BODIES),
        &list,
    )
}

/// The page of body `bx`.
pub(super) fn body_page(r: &Renderer, bx: BodyIx) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let (body, links) = reads.body(bx);
    let mut has_code = false;
    let root = root_of(&urls::body(body.id.as_str()));
    let mut render = |text: &str| {
        let rendered = reads.markdown(text, &body.file.path, &root);
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
            unit: unit_ref(&reads, u),
            duties_html: member.duties.as_deref().map(&mut render),
        })
        .collect();
    let view = BodyPage {
        body: body_ref(&reads, bx),
        established_by: links.established_by.map(|n| notice_item(&reads, n)),
        leaders: body
            .leaders
            .iter()
            .zip(&links.leaders)
            .map(|(leader, unit)| LeaderView {
                role: leader.role.clone(),
                title: leader.title.clone(),
                unit: unit.map(|u| unit_ref(&reads, u)),
            })
            .collect(),
        office: body
            .office
            .as_ref()
            .zip(links.office)
            .map(|(office, u)| OfficeView {
                unit: unit_ref(&reads, u),
                note: office.note.clone(),
            }),
        members_with_duties: members.iter().filter(|m| m.duties_html.is_some()).count(),
        members,
        rules_html: body.rules.as_deref().map(&mut render),
    };
    // Published with the notice that set it up, else as of the build.
    let date = view
        .established_by
        .as_ref()
        .map_or_else(|| reads.as_of().date.to_string(), |n| n.date.clone());
    let mut keywords = vec![body.name.clone(), view.body.kind_label.to_string()];
    keywords.extend(
        view.members
            .iter()
            .take(5)
            .map(|m| m.unit.short_name.clone()),
    );
    let description = format!(
        "{}的组成人员、办公室、{}个成员单位及其职责分工和工作规则",
        body.name,
        view.members.len()
    );
    let article = super::views::Article::new(
        &body.name,
        &date,
        &super::views::office(&reads),
        &keywords,
        &[],
        Some(&description),
    );
    r.page(
        reads,
        urls::index_file(&view.body.url),
        "body.html",
        PageHead::new(&body.name, Section::Bodies)
            .column(&super::views::BODIES)
            .code(has_code)
            .article(article),
        &view,
    )
}
