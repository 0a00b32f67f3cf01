//! Progress plans: the table's structure, statuses and overdue as of two dates,
//! roll-ups, and every validation rule, read from built fixture sites.

mod common;

use common::{TestSite, find, texts};
use scraper::{Html, Selector};

/// A plan with two categories, targets, a label deadline and a `{label, date}` one.
const PLAN: &str = r#"title: 2009年示范城市工作分解表
source: k12498411/2009-00001
period: {start: 2009-01-01, end: 2010-12-31}
categories:
  - number: 一
    name: 建立健全管理体系
    tasks:
      - number: 1
        content: 完善联络员制度。
        lead: [lyg-kjj]
        partners: [lyg-gov]
        deadline: 2009-06
        updates:
          - {date: 2009-03-31, status: in_progress, percent: 40, by: lyg-kjj, note: 已起草。}
          - {date: 2009-06-20, status: done, by: lyg-kjj, note: 已印发。}
      - number: 2
        content: 专利申请量和授权量稳步增长。
        lead: [lyg-kjj]
        deadline: 2009-12
        targets:
          - text: 年专利申请量达到5500件以上
            updates:
              - {date: 2009-09-30, status: in_progress, percent: 60}
          - text: 年专利授权量达到3300件以上
            deadline: {label: 试点期内, date: 2010-12-31}
            lead: [lyg-gov]
  - number: 二
    name: 加大宣传力度
    tasks:
      - number: 3
        content: 开展知识产权宣传周活动。
        lead: [lyg-gov]
        deadline: 常设
notes: 本表为测试数据。
"#;

fn fixture() -> TestSite {
    let site = TestSite::new();
    site.notice(
        "2009/plan",
        "index_no: k12498411/2009-00001\ntitle: 关于印发工作分解表的通知\nissuer: lyg-gov\ndate: 2009-01-05\nsummary: 概述\n",
        "",
    );
    site.write("content/progress/demo.yaml", PLAN);
    site
}

fn rows(page: &Html) -> Vec<scraper::ElementRef<'_>> {
    let sel = Selector::parse(".plan-table tbody tr").expect("selector");
    page.select(&sel).collect()
}

fn cell_text(row: &scraper::ElementRef, selector: &str) -> String {
    let sel = Selector::parse(selector).expect("selector");
    row.select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join("|")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn categories_span_their_tasks_and_targets_are_sub_rows() {
    let site = fixture();
    site.build("2009-12-31").expect("build");
    let page = site.page("progress/demo/");
    let rows = rows(&page);
    assert_eq!(rows.len(), 4, "task 1, two target rows of task 2, task 3");
    let category = Selector::parse("th.category-number").expect("selector");
    let spans: Vec<(String, String)> = page
        .select(&category)
        .map(|c| {
            (
                c.text().collect(),
                c.value().attr("rowspan").unwrap_or("1").to_string(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [("一".into(), "3".into()), ("二".into(), "1".into())]
    );
    let task = Selector::parse("td.task-number").expect("selector");
    let tasks: Vec<(String, String)> = page
        .select(&task)
        .map(|c| {
            (
                c.text().collect(),
                c.value().attr("rowspan").unwrap_or("1").to_string(),
            )
        })
        .collect();
    assert_eq!(
        tasks,
        [
            ("1".into(), "1".into()),
            ("2".into(), "2".into()),
            ("3".into(), "1".into())
        ]
    );
    assert_eq!(
        cell_text(&rows[1], "td.target"),
        "年专利申请量达到5500件以上"
    );
    assert_eq!(
        cell_text(&rows[2], "td.target"),
        "年专利授权量达到3300件以上"
    );
    assert_eq!(
        cell_text(&rows[2], "td.deadline"),
        "试点期内（2010年12月31日前）"
    );
    assert_eq!(cell_text(&rows[3], "td.deadline"), "常设");
    assert_eq!(
        cell_text(&rows[2], "td.lead"),
        "市政府",
        "a target overrides its task's lead"
    );
}

#[test]
fn statuses_and_overdue_as_of_two_dates() {
    let site = fixture();
    site.build("2009-12-31").expect("build");
    let page = site.page("progress/demo/");
    let rows = rows(&page);
    let status = |i: usize| cell_text(&rows[i], "td.status-cell .badge");
    assert_eq!(status(0), "已完成");
    assert_eq!(status(1), "推进中", "due 2009-12-31, not yet overdue");
    assert_eq!(status(2), "未启动");
    assert_eq!(status(3), "未启动");
    let page_later;
    {
        site.build("2010-01-01").expect("build");
        page_later = site.page("progress/demo/");
    }
    let rows = self::rows(&page_later);
    let status = |i: usize| cell_text(&rows[i], "td.status-cell .badge");
    assert_eq!(status(0), "已完成", "done is never overdue");
    assert_eq!(status(1), "推进中|逾期");
    assert_eq!(status(2), "未启动", "试点期内 runs to 2010-12-31");
    assert_eq!(status(3), "未启动", "常设 is never overdue");
    let rolled = cell_text(&rows[1], ".rolled");
    assert!(
        rolled.contains("推进中") && rolled.contains("逾期") && rolled.contains("30%"),
        "{rolled}"
    );
    let schedule = cell_text(&rows[1], ".schedule");
    assert!(
        schedule.contains("欠进度"),
        "60% with all the time gone: {schedule}"
    );
}

#[test]
fn roll_ups_count_leaves() {
    let site = fixture();
    site.build("2010-01-01").expect("build");
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.out().join("data/progress.json")).expect("read"),
    )
    .expect("json");
    let plan = &data["plans"][0];
    assert_eq!(plan["rollup"]["total"], 4);
    assert_eq!(plan["rollup"]["done"], 1);
    assert_eq!(plan["rollup"]["in_progress"], 1);
    assert_eq!(plan["rollup"]["not_started"], 2);
    assert_eq!(plan["rollup"]["overdue"], 1);
    assert_eq!(plan["rollup"]["done_percent"], 25);
    let task2 = &plan["categories"][0]["tasks"][1];
    assert_eq!(task2["status"], "in_progress");
    assert_eq!(task2["percent"], 30);
    assert_eq!(task2["overdue"], true);
    assert_eq!(task2["deadline_date"], "2009-12-31");
    let target = &task2["targets"][1];
    assert_eq!(target["deadline"], "试点期内");
    assert_eq!(target["deadline_date"], "2010-12-31");
    assert_eq!(target["overdue"], false);
    let task3 = &plan["categories"][1]["tasks"][0];
    assert_eq!(task3["deadline_date"], serde_json::Value::Null);
    assert_eq!(plan["categories"][0]["rollup"]["total"], 3);

    let page = site.page("progress/demo/");
    let summary = texts(&page, ".plan-summary .legend").join(" ");
    for expected in [
        "已完成 1项",
        "推进中 1项",
        "未启动 2项",
        "逾期 1项",
        "完成率 25%",
    ] {
        assert!(summary.contains(expected), "{summary}");
    }
    let svg = Selector::parse(".plan-summary svg[role=img]").expect("selector");
    let label = page
        .select(&svg)
        .next()
        .and_then(|s| s.value().attr("aria-label"))
        .unwrap_or_default()
        .to_string();
    assert!(label.contains("截至") || label.contains("共4项"), "{label}");
    assert!(
        texts(&page, ".plan-summary h2")
            .join("")
            .contains("截至2010年1月1日")
    );
}

#[test]
fn units_see_the_tasks_they_lead_and_join() {
    let site = fixture();
    site.build("2010-01-01").expect("build");
    let unit = site.page("units/lyg-gov/");
    let headings = texts(&unit, "#tasks ~ h3");
    assert_eq!(headings, ["负责（2项）", "参与（1项）"]);
    let view = site.page("progress/demo/units/lyg-gov/");
    assert_eq!(texts(&view, "#led ~ .table-scroll table tbody tr").len(), 2);
    let plan = site.page("progress/demo/");
    let link = Selector::parse("td.lead a").expect("selector");
    let href = plan
        .select(&link)
        .next()
        .and_then(|a| a.value().attr("href"))
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        href, "../../progress/demo/units/lyg-kjj/index.html",
        "unit names lead to the per-unit view"
    );
    assert!(common::broken_links(&site.out()).is_empty());
    let home = site.page("");
    assert!(
        texts(&home, "#progress-summary ~ h3").contains(&"2009年示范城市工作分解表".to_string())
    );
}

#[test]
fn sample_updates_are_marked_as_such() {
    let site = fixture();
    site.write(
        "content/progress/demo.yaml",
        &PLAN.replace("note: 已印发。}", "note: 已印发。, sample: true}"),
    );
    site.build("2010-01-01").expect("build");
    let page = site.page("progress/demo/");
    assert_eq!(texts(&page, ".latest .sample"), ["示例数据"]);
    assert!(
        texts(&page, ".sample-callout")
            .join("")
            .contains("并非实际报送")
    );
}

fn plan_error(replace: &str, with: &str, as_of: &str) -> gongkai::Diagnostics {
    let site = fixture();
    assert!(PLAN.contains(replace), "{replace}");
    site.write(
        "content/progress/demo.yaml",
        &PLAN.replacen(replace, with, 1),
    );
    match site.build(as_of) {
        Ok(_) => panic!("the plan should fail"),
        Err(d) => d,
    }
}

fn line_of(text: &str) -> usize {
    PLAN.lines()
        .position(|l| l.contains(text))
        .map_or(0, |i| i + 1)
}

#[test]
fn unknown_units_are_errors_with_a_suggestion() {
    let errors = plan_error("partners: [lyg-gov]", "partners: [lyg-gv]", "2010-01-01");
    let d = find(&errors, "unknown unit `lyg-gv`");
    assert_eq!(d.path.to_string_lossy(), "content/progress/demo.yaml");
    assert_eq!(d.position.line, line_of("partners: [lyg-gov]"));
    assert_eq!(
        d.help.as_ref().map(|h| h.en()),
        Some("did you mean `lyg-gov`?")
    );
    let errors = plan_error(
        "by: lyg-kjj, note: 已起草",
        "by: kjj, note: 已起草",
        "2010-01-01",
    );
    assert_eq!(
        find(&errors, "unknown unit `kjj`").position.line,
        line_of("已起草")
    );
}

#[test]
fn duplicate_task_number_is_an_error() {
    let errors = plan_error("      - number: 3", "      - number: 2", "2010-01-01");
    let d = find(&errors, "duplicate 序号 `2`");
    assert_eq!(d.position.line, line_of("- number: 3"));
    assert!(
        d.message
            .en()
            .contains(&format!("line {}", line_of("- number: 2"))),
        "{d}"
    );
}

#[test]
fn impossible_month_is_an_error() {
    let errors = plan_error("deadline: 2009-06", "deadline: 2009-13", "2010-01-01");
    let d = find(&errors, "has no month 13");
    assert_eq!(d.position.line, line_of("deadline: 2009-06"));
}

#[test]
fn unknown_status_suggests_one() {
    let errors = plan_error("status: done", "status: finished", "2010-01-01");
    let d = find(&errors, "unknown status `finished`");
    assert_eq!(d.position.line, line_of("status: done"));
    let errors = plan_error("status: done", "status: don", "2010-01-01");
    assert_eq!(
        find(&errors, "unknown status `don`")
            .help
            .as_ref()
            .map(|h| h.en()),
        Some("did you mean `done`?")
    );
}

#[test]
fn percent_outside_0_to_100_is_an_error() {
    let errors = plan_error("percent: 40", "percent: 140", "2010-01-01");
    let d = find(&errors, "percent 140 is outside 0–100");
    assert_eq!(d.position.line, line_of("percent: 40"));
    let errors = plan_error("percent: 40", "percent: -5", "2010-01-01");
    find(&errors, "percent -5 is outside 0–100");
}

#[test]
fn updates_out_of_date_order_are_an_error() {
    let errors = plan_error("date: 2009-06-20", "date: 2009-02-20", "2010-01-01");
    let d = find(
        &errors,
        "update of 2009-02-20 comes after one of 2009-03-31",
    );
    assert_eq!(d.position.line, line_of("date: 2009-06-20"));
}

#[test]
fn an_update_after_as_of_is_an_error() {
    let site = fixture();
    let errors = match site.build("2009-09-01") {
        Ok(_) => panic!("an update of 2009-09-30 cannot be reported as of 2009-09-01"),
        Err(d) => d,
    };
    let d = find(
        &errors,
        "update dated 2009-09-30 is after the build's as-of date 2009-09-01",
    );
    assert_eq!(d.position.line, line_of("date: 2009-09-30"));
}

#[test]
fn a_plan_may_list_tasks_without_categories() {
    let site = TestSite::new();
    site.write(
        "content/progress/flat.yaml",
        "title: 无类号计划\ntasks:\n  - number: 1\n    content: 甲\n    lead: [lyg-kjj]\n    deadline: 2020\n",
    );
    site.build("2021-01-01").expect("build");
    let page = site.page("progress/flat/");
    assert!(
        texts(&page, ".plan-table thead th")
            .iter()
            .all(|h| h != "类号")
    );
    assert_eq!(texts(&page, ".plan-table td.task-number"), ["1"]);
    assert_eq!(texts(&page, ".plan-table .status-cell .overdue"), ["逾期"]);
}
