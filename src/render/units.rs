//! The unit registry (`/units/`) and unit pages (`/units/<id>/`).

use serde::Serialize;

use super::views::{NoticeItem, UnitRef, notice_item, unit_ref};
use super::{ItemKey, OutputFile, PageHead, Renderer};
use crate::content::unit::UnitKind;
use crate::diagnostics::Diagnostic;

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
        };
        let mut sources = vec![ItemKey::Site, ItemKey::Unit(unit.id.to_string())];
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
