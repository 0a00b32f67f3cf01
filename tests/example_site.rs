//! The example site in `content/` (made from the seeds), built and read as a reader would.

mod common;

use common::{broken_links, built_example_site, meta_value, read_page, texts};
use scraper::Html;

fn page(url: &str) -> Html {
    read_page(built_example_site(), url)
}

#[test]
fn the_example_site_builds_without_broken_links() {
    let broken = broken_links(built_example_site());
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn seed_000_keeps_its_metadata_block() {
    let page = page("notices/k12498411-2014-00065/");
    assert_eq!(
        meta_value(&page, "索引号").as_deref(),
        Some("k12498411/2014-00065")
    );
    assert_eq!(
        meta_value(&page, "发布机构").as_deref(),
        Some("连云港市人民政府")
    );
    assert_eq!(meta_value(&page, "发文日期").as_deref(), Some("2014-05-07"));
    assert_eq!(
        meta_value(&page, "标题").as_deref(),
        Some("市政府办公室关于印发连云港市知识产权联席会议工作制度的通知")
    );
    assert_eq!(
        meta_value(&page, "文号").as_deref(),
        Some("连政办发〔2014〕67号")
    );
    assert_eq!(
        meta_value(&page, "内容概述").as_deref(),
        Some(
            "为加强对全市知识产权工作的宏观管理，健全知识产权协调机制，特建立连云港市知识产权联席会议工作制度。"
        )
    );
    assert_eq!(meta_value(&page, "时效").as_deref(), Some("有效"));
    let download = meta_value(&page, "文件下载").unwrap_or_default();
    assert!(download.contains("PDF"), "{download}");
    let body = texts(&page, ".prose").join("");
    assert!(body.contains("各县、区人民政府，市各有关单位："), "{body}");
    assert!(body.contains("联席会议由市政府分管副市长任召集人"));
    assert!(
        !body.contains('發') && !body.contains("(fā)"),
        "encoding damage fixed"
    );
    let replaced = texts(&page, "section[aria-labelledby=supersession] .notice-title");
    assert_eq!(replaced.len(), 1, "supersedes the 2010 system");
}

#[test]
fn seeds_001_and_004_are_notices_with_their_issuers() {
    let gz = page("notices/007482947-2007-00025/");
    assert_eq!(
        meta_value(&gz, "文号").as_deref(),
        Some("穗府办〔2007〕25号")
    );
    assert_eq!(
        meta_value(&gz, "发布机构").as_deref(),
        Some("广州市人民政府办公厅")
    );
    assert_eq!(meta_value(&gz, "发文日期").as_deref(), Some("2007-06-30"));
    let jt = page("notices/11610303016031240Y-2022-00046/");
    assert_eq!(
        meta_value(&jt, "文号").as_deref(),
        Some("宝金政办字〔2022〕46号")
    );
    assert_eq!(
        meta_value(&jt, "发布机构").as_deref(),
        Some("宝鸡市金台区人民政府办公室")
    );
}

#[test]
fn jintai_leading_group_has_twelve_members_with_the_seeds_duties() {
    let page = page("bodies/jt-ip-leading-group/");
    assert_eq!(texts(&page, "h1"), ["金台区知识产权工作协调领导小组"]);
    assert_eq!(texts(&page, ".leaders tbody th"), ["组长", "副组长"]);
    assert_eq!(
        texts(&page, ".leaders tbody td:first-of-type"),
        ["区政府分管副区长", "区市场监管局局长"]
    );
    let members = texts(&page, ".member-name");
    assert_eq!(members.len(), 12, "{members:?}");
    assert_eq!(members[0], "中共宝鸡市金台区委宣传部");
    assert_eq!(members[1], "宝鸡市金台区市场监督管理局");
    assert_eq!(members[11], "宝鸡市金台区人民法院");
    let duties = texts(&page, ".member .duties");
    assert_eq!(duties.len(), 12);
    assert_eq!(
        duties[0],
        "主要负责指导、协调各级各类媒体加强知识产权宣传；开展著作权法的宣传、教育、培训和行政执法工作，组织查处著作权侵权、盗版等违法行为；会同相关部门组织知识产权联合执法行动和大型宣传活动。"
    );
    assert_eq!(
        duties[6],
        "主要负责统筹安排区级财政资金支持知识产权工作；指导完善区知识产权财政支持政策。"
    );
    let office = texts(&page, "section[aria-labelledby=office] p").join("");
    assert!(office.contains("宝鸡市金台区市场监督管理局"), "{office}");
    let rules = texts(&page, "section[aria-labelledby=rules]").join("");
    assert!(rules.contains("领导小组会议原则上每年召开一次"), "{rules}");
}

#[test]
fn lianyungang_joint_conference_has_its_convener_office_members_and_rules() {
    let page = page("bodies/lyg-ip-joint-conference/");
    assert_eq!(texts(&page, ".leaders tbody th"), ["召集人"]);
    assert_eq!(
        texts(&page, ".leaders tbody td:first-of-type"),
        ["市政府分管副市长"]
    );
    let office = texts(&page, "section[aria-labelledby=office] p").join("");
    assert!(office.contains("连云港市科学技术局"), "{office}");
    assert!(office.contains("市科技局（知识产权局）"), "{office}");
    let members = texts(&page, ".member-name");
    assert_eq!(members.len(), 22, "{members:?}");
    assert_eq!(members[0], "中共连云港市委宣传部");
    let rules = texts(&page, "section[aria-labelledby=rules] p");
    assert_eq!(rules.len(), 5);
    assert!(rules[0].starts_with("（一）联席会议原则上每年召开1次"));
}

#[test]
fn the_guangzhou_leading_group_is_published() {
    let page = page("bodies/gz-ip-leading-group/");
    assert_eq!(
        texts(&page, "h1"),
        ["广州市创建国家知识产权示范城市工作领导小组"]
    );
}

#[test]
fn one_office_is_one_unit_and_two_cities_are_two_units() {
    let lyg = page("units/lyg-kjj/");
    assert_eq!(texts(&lyg, "h1"), ["连云港市科学技术局"]);
    let aliases = meta_value(&lyg, "又称").unwrap_or_default();
    assert!(
        aliases.contains("市知识产权局") && aliases.contains("市科技局（知识产权局）"),
        "{aliases}"
    );
    assert_eq!(texts(&lyg, ".membership h3"), ["连云港市知识产权联席会议"]);
    let gz = page("units/gz-kjj/");
    assert_eq!(texts(&gz, "h1"), ["广州市科学技术局"]);
    assert_eq!(meta_value(&gz, "简称"), meta_value(&lyg, "简称"));
    let scjgj = page("units/jt-scjgj/");
    assert_eq!(
        texts(&scjgj, ".membership .roles"),
        ["办公室所在单位；副组长（区市场监管局局长）所在单位；成员单位"]
    );
}

#[test]
fn collective_units_are_shown_as_groups() {
    let registry = page("units/");
    let groups = texts(&registry, ".unit-group h2");
    assert!(
        groups.contains(&"集合性单位（泛指多个单位）".to_string()),
        "{groups:?}"
    );
}

#[test]
fn the_guangzhou_table_is_complete_with_its_rowspans() {
    let page = page("progress/gz-2007-ip-demo-city/");
    let numbers = texts(&page, "td.task-number");
    let expected: Vec<String> = (1..=54).map(|n| n.to_string()).collect();
    assert_eq!(numbers, expected, "all 54 tasks in order");
    let categories = texts(&page, "th.category-number");
    assert_eq!(
        categories,
        [
            "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"
        ]
    );
    let rowspans: usize = {
        let sel = scraper::Selector::parse("th.category-number").expect("selector");
        page.select(&sel)
            .filter_map(|c| c.value().attr("rowspan")?.parse::<usize>().ok())
            .sum()
    };
    let rows = texts(&page, ".plan-table tbody tr").len();
    assert_eq!(rowspans, rows, "类号 cells span every row of the table");
    let contents = texts(&page, "td.task-content");
    assert!(
        contents[0].starts_with(
            "加强市级有关知识产权协调管理职能和工作，完善政务信息系统和联络员制度建设"
        ),
        "{}",
        contents[0]
    );
    let names = texts(&page, "td.category-name");
    assert_eq!(names[0], "建立健全知识产权管理、协调体系");
    assert_eq!(
        names[10],
        "知识产权信息服务平台、中介服务机构和行业知识产权保护协会建设"
    );
    let samples = texts(&page, ".latest .sample");
    assert!(!samples.is_empty() && samples.iter().all(|s| s == "示例数据"));
    let summary = texts(&page, ".plan-summary h2").join("");
    assert!(summary.contains("截至2024年12月31日"), "{summary}");
}

/// `interprets:` makes a notice the 政策解读 of another: each page names the other under
/// that label, and neither lists the other again as 相关文件.
#[test]
fn a_policy_interpretation_is_labelled_so_on_both_pages() {
    let rules = page("notices/k12498411-2014-00065/");
    let interpretations = texts(
        &rules,
        "section[aria-labelledby=interpretations] .notice-title",
    );
    assert_eq!(
        interpretations,
        ["《连云港市知识产权联席会议工作制度》政策解读"]
    );
    assert_eq!(
        texts(&rules, "#interpretations"),
        ["政策解读"],
        "the section's heading"
    );
    let related = texts(&rules, "section[aria-labelledby=related] .notice-title");
    assert!(
        !related.iter().any(|t| t.contains("政策解读")),
        "not again among 相关文件: {related:?}"
    );
    let reading = page("notices/k12498411-2014-00066/");
    assert_eq!(
        texts(
            &reading,
            "section[aria-labelledby=interprets] .notice-title"
        ),
        ["市政府办公室关于印发连云港市知识产权联席会议工作制度的通知"]
    );
    assert!(texts(&reading, "section[aria-labelledby=related] .notice-title").is_empty());
}

/// The 信息公开 columns: the landing page links each column that has a page, 公开目录 files
/// every notice under its topic, genre and issuer, and 政策解读 names what it interprets.
#[test]
fn the_disclosure_columns_hold_the_example_content() {
    let landing = page("disclosure/");
    let columns = texts(&landing, ".disclosure-column h2 a");
    for name in [
        "公开指南",
        "公开制度",
        "公开目录",
        "政策解读",
        "工作动态",
        "年度报告",
    ] {
        assert!(columns.iter().any(|c| c == name), "{name}: {columns:?}");
    }
    let catalog = page("catalog/");
    let topics = texts(&catalog, "#by-topics + ul a");
    assert_eq!(topics, ["市场监管、安全生产监管", "科技、教育"]);
    assert_eq!(texts(&catalog, "#by-genres + ul a"), ["政策解读", "通知"]);
    // Every notice under its first-level topic; the lower levels counted on the page.
    let topic = page("catalog/topic/t460ac637/");
    assert_eq!(texts(&topic, ".notice-title").len(), 14);
    assert_eq!(
        texts(&topic, ".catalog-levels tbody th"),
        ["科技、教育 / 知识产权"]
    );
    assert_eq!(texts(&topic, ".catalog-levels caption").len(), 1);
    // By issuer: a joint notice is under each of its issuers.
    for unit in ["gz-zscqj", "gz-bqj"] {
        let list = page(&format!("catalog/issuer/{unit}/"));
        assert!(
            texts(&list, ".notice-title")
                .iter()
                .any(|t| t.contains("世界知识产权日")),
            "{unit}"
        );
    }
    // Newest first: the three 2024 规范性文件's, then 2014's.
    let readings = page("interpretations/");
    assert_eq!(
        texts(&readings, ".notice-title"),
        [
            "《连云港市知识产权维权援助工作办法》政策解读",
            "《连云港市知识产权质押融资风险补偿资金管理暂行办法》政策解读",
            "《连云港市专利资助奖励办法》政策解读",
            "《连云港市知识产权联席会议工作制度》政策解读"
        ]
    );
    assert_eq!(
        texts(&readings, ".interprets a"),
        [
            "连云港市科学技术局关于印发《连云港市知识产权维权援助工作办法》的通知",
            "连云港市科学技术局 连云港市财政局关于印发《连云港市知识产权质押融资风险补偿资金管理暂行办法》的通知",
            "连云港市科学技术局关于印发《连云港市专利资助奖励办法》的通知",
            "市政府办公室关于印发连云港市知识产权联席会议工作制度的通知"
        ]
    );
    // 年度报告: the example's year files, newest first, each with its tables' files.
    let reports = page("reports/");
    assert!(texts(&reports, ".empty-state").is_empty());
    let titles = texts(&reports, ".report-list .notice-title");
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(
        titles[0].ends_with("2024年政府信息公开工作年度报告"),
        "{titles:?}"
    );
    assert!(
        titles[1].ends_with("2023年政府信息公开工作年度报告"),
        "{titles:?}"
    );
    let report = page("reports/2024/");
    assert_eq!(texts(&report, "h1"), [titles[0].clone()]);
    assert_eq!(texts(&report, "article.report table").len(), 3);
}
