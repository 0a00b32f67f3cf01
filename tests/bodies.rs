//! Coordinating bodies and unit pages, read from built fixture sites.

mod common;

use common::{TestSite, find, meta_value, texts};

const NOTICE: &str = "index_no: k12498411/2014-00065\ntitle: 关于印发联席会议工作制度的通知\nissuer: lyg-gov\ndate: 2014-05-07\nsummary: 概述\n";

fn fixture() -> TestSite {
    let site = TestSite::new();
    site.notice("2014/rules", NOTICE, "正文。\n");
    site.write(
        "content/units/lyg-xcb.yaml",
        "name: 中共连云港市委宣传部\nshort_name: 市委宣传部\nkind: department\n",
    );
    site.write(
        "content/units/lyg-all.yaml",
        "name: 各有关单位\nkind: collective\n",
    );
    site.write(
        "content/bodies/lyg-ip.yaml",
        "name: 连云港市知识产权联席会议\nkind: joint_conference\nestablished_by: k12498411/2014-00065\noffice: {unit: lyg-kjj, note: 联席会议办公室设在市科技局（知识产权局）}\nleaders:\n  - {role: 召集人, title: 市政府分管副市长, unit: lyg-gov}\nmembers:\n  - unit: lyg-xcb\n    duties: |\n      主要负责指导、协调各级各类媒体加强知识产权宣传。\n  - unit: lyg-kjj\n    duties: 负责联席会议办公室的日常工作。\n  - unit: lyg-all\nrules: |\n  （一）联席会议原则上每年召开1次。\n",
    );
    site
}

#[test]
fn body_page_lists_members_in_order_with_duties() {
    let site = fixture();
    site.build("2024-12-31").expect("build");
    let page = site.page("bodies/lyg-ip/");
    assert_eq!(texts(&page, "h1"), ["连云港市知识产权联席会议"]);
    assert_eq!(meta_value(&page, "类别").as_deref(), Some("联席会议"));
    assert_eq!(
        meta_value(&page, "设立依据").as_deref(),
        Some("关于印发联席会议工作制度的通知")
    );
    assert_eq!(
        texts(&page, ".member-name"),
        [
            "中共连云港市委宣传部",
            "连云港市科学技术局",
            "各有关单位 统称"
        ]
    );
    assert_eq!(
        texts(&page, ".member .duties"),
        [
            "主要负责指导、协调各级各类媒体加强知识产权宣传。",
            "负责联席会议办公室的日常工作。"
        ]
    );
    assert_eq!(texts(&page, ".leaders tbody th"), ["召集人"]);
    assert_eq!(
        texts(&page, ".leaders tbody td"),
        ["市政府分管副市长", "连云港市人民政府"]
    );
    let office = texts(&page, "section[aria-labelledby=office] p").join("");
    assert!(office.contains("办公室设在连云港市科学技术局"), "{office}");
    assert_eq!(
        texts(&page, "section[aria-labelledby=rules] .prose"),
        ["（一）联席会议原则上每年召开1次。"]
    );
    let links = common::broken_links(&site.out());
    assert!(links.is_empty(), "{links:?}");
}

#[test]
fn unit_page_lists_its_bodies_roles_duties_and_notices() {
    let site = fixture();
    site.build("2024-12-31").expect("build");
    let kjj = site.page("units/lyg-kjj/");
    assert_eq!(texts(&kjj, ".membership h3"), ["连云港市知识产权联席会议"]);
    assert_eq!(
        texts(&kjj, ".membership .roles"),
        ["办公室所在单位；成员单位"]
    );
    assert_eq!(
        texts(&kjj, ".membership .duties p"),
        ["负责联席会议办公室的日常工作。"]
    );
    let gov = site.page("units/lyg-gov/");
    assert_eq!(
        texts(&gov, ".membership .roles"),
        ["召集人（市政府分管副市长）所在单位"]
    );
    assert_eq!(
        texts(&gov, ".notice-title"),
        ["关于印发联席会议工作制度的通知"]
    );
    assert_eq!(texts(&gov, "#children ~ ul li"), ["连云港市科学技术局"]);
    let all = site.page("units/lyg-all/");
    assert!(
        texts(&all, ".callout")
            .join("")
            .contains("并非一个具体机构")
    );
    let registry = site.page("units/");
    let groups = texts(&registry, ".unit-group h2");
    assert_eq!(
        groups.last().map(String::as_str),
        Some("集合性单位（泛指多个单位）")
    );
    assert!(
        texts(&registry, ".unit-list li").contains(&"连云港市科学技术局 （市科技局）".to_string())
    );
}

#[test]
fn bodies_index_and_home_link_to_the_body() {
    let site = fixture();
    site.build("2024-12-31").expect("build");
    assert_eq!(
        texts(&site.page("bodies/"), ".body-name"),
        ["连云港市知识产权联席会议"]
    );
    let home = site.page("");
    assert!(texts(&home, "#bodies ~ ul a").contains(&"连云港市知识产权联席会议".to_string()));
}

#[test]
fn open_data_carries_bodies_and_memberships() {
    let site = fixture();
    site.build("2024-12-31").expect("build");
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(site.out().join(name)).expect("read"))
            .expect("json")
    };
    let bodies = read("data/bodies.json");
    let body = &bodies["bodies"][0];
    assert_eq!(body["id"], "lyg-ip");
    assert_eq!(body["members"][1]["unit"], "lyg-kjj");
    assert_eq!(body["office"]["unit"], "lyg-kjj");
    assert_eq!(body["established_by"], "k12498411/2014-00065");
    let units = read("data/units.json");
    let kjj = units["units"]
        .as_array()
        .and_then(|a| a.iter().find(|u| u["id"] == "lyg-kjj"))
        .expect("unit");
    assert_eq!(
        kjj["bodies"][0]["roles"],
        serde_json::json!(["office", "member"])
    );
    assert_eq!(kjj["url"], "units/lyg-kjj/");
}

#[test]
fn dangling_member_fails_with_path_line_and_suggestion() {
    let site = fixture();
    site.write(
        "content/bodies/lyg-ip.yaml",
        "name: 联席会议\nkind: joint_conference\nmembers:\n  - unit: lyg-xcb\n  - unit: lyg-kjjj\n",
    );
    let errors = site.errors();
    let d = find(&errors, "unknown unit `lyg-kjjj`");
    assert_eq!(d.path.to_string_lossy(), "content/bodies/lyg-ip.yaml");
    assert_eq!(d.position.line, 5);
    assert_eq!(
        d.help.as_ref().map(|h| h.en()),
        Some("did you mean `lyg-kjj`?")
    );
}

#[test]
fn unknown_office_leader_and_establishing_notice_are_errors() {
    let site = fixture();
    site.write(
        "content/bodies/lyg-ip.yaml",
        "name: 联席会议\nestablished_by: k12498411/2014-00056\noffice: {unit: lyg-kj}\nleaders:\n  - {role: 召集人, title: 副市长, unit: lyg-go}\n",
    );
    let errors = site.errors();
    assert_eq!(
        find(&errors, "unknown notice index_no `k12498411/2014-00056`")
            .position
            .line,
        2
    );
    assert_eq!(find(&errors, "unknown unit `lyg-kj`").position.line, 3);
    assert_eq!(find(&errors, "unknown unit `lyg-go`").position.line, 5);
}

#[test]
fn a_unit_listed_twice_in_one_body_is_an_error() {
    let site = fixture();
    site.write(
        "content/bodies/lyg-ip.yaml",
        "name: 联席会议\nmembers:\n  - unit: lyg-xcb\n  - unit: lyg-kjj\n  - unit: lyg-xcb\n",
    );
    let errors = site.errors();
    let d = find(
        &errors,
        "unit `lyg-xcb` is listed twice as a member (first on line 3)",
    );
    assert_eq!(d.position.line, 5);
}

#[test]
fn unknown_body_kind_suggests_one() {
    let site = fixture();
    site.write(
        "content/bodies/lyg-ip.yaml",
        "name: 联席会议\nkind: leading-group\n",
    );
    let errors = site.errors();
    let d = find(&errors, "unknown body kind `leading-group`");
    assert_eq!(
        d.help.as_ref().map(|h| h.en()),
        Some("did you mean `leading_group`?")
    );
}

#[test]
fn script_in_a_duty_is_text() {
    let site = fixture();
    site.write(
        "content/bodies/lyg-ip.yaml",
        "name: 联席会议\nmembers:\n  - unit: lyg-xcb\n    duties: \"<script>alert(1)</script>负责宣传\"\n",
    );
    site.build("2024-12-31").expect("build");
    for url in ["bodies/lyg-ip/", "units/lyg-xcb/"] {
        let page = site.page(url);
        // The unit page's JSON-LD block is data, never run (docs/portal.md).
        let script = scraper::Selector::parse(
            "script:not([type=\"application/ld+json\"]):not([src*=\"assets/elder.\"])",
        )
        .expect("selector");
        assert_eq!(page.select(&script).count(), 0, "{url}");
        assert!(
            texts(&page, ".duties")
                .join("")
                .contains("<script>alert(1)</script>负责宣传"),
            "{url}"
        );
    }
}

#[test]
fn every_page_knows_which_content_it_shows() {
    let site = fixture();
    let (resolved, _) = gongkai::check(&site.options("2024-12-31")).expect("valid");
    let tera = gongkai::render::theme::load(site.root()).expect("templates");
    let rendered = gongkai::render::render_site(&resolved, &tera).expect("render");
    use gongkai::content::notice::IndexNo;
    use gongkai::content::unit::UnitId;
    use gongkai::render::ItemKey;
    let unit = UnitId::parse("lyg-xcb").expect("an id");
    // Where the unit is named: its page, the body it is a member of, the registry.
    let affected = rendered.affected_by(&ItemKey::UnitName(unit.clone()));
    for expected in [
        "units/lyg-xcb/index.html",
        "bodies/lyg-ip/index.html",
        "units/index.html",
    ] {
        assert!(
            affected.contains(&expected),
            "{expected} not in {affected:?}"
        );
    }
    assert!(
        !affected.contains(&"notices/k12498411-2014-00065/index.html"),
        "{affected:?}"
    );
    // The unit whole (its aliases, website, notices) only on its own page; open data
    // shows everything.
    let affected = rendered.affected_by(&ItemKey::Unit(unit));
    assert_eq!(affected, ["units/lyg-xcb/index.html"]);
    assert!(
        rendered
            .affected_by(&ItemKey::Whole)
            .contains(&"data/units.json")
    );
    let notice = IndexNo::parse("k12498411/2014-00065").expect("an index no");
    let affected = rendered.affected_by(&ItemKey::Notice(notice.clone()));
    assert_eq!(affected, ["notices/k12498411-2014-00065/index.html"]);
    let affected = rendered.affected_by(&ItemKey::NoticeLine(notice));
    assert!(
        affected.contains(&"bodies/lyg-ip/index.html"),
        "established_by shows the notice's line"
    );
    assert!(!affected.contains(&"units/lyg-xcb/index.html"));
}

#[test]
fn the_establishing_notice_links_to_its_body() {
    let site = fixture();
    site.build("2024-12-31").expect("build");
    let page = site.page("notices/k12498411-2014-00065/");
    assert_eq!(
        texts(&page, "#establishes ~ ul a"),
        ["连云港市知识产权联席会议"]
    );
}
