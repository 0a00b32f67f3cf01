//! The 依申请公开 register (content/applications): never in the output, checked against
//! its answer deadline on the working-day calendar, the same in check, build and the
//! rebuild engine; and the notice fields the annual report counts (category, repealed_on).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{TestSite, all_files, find};
use gongkai::{Code, Severity};

/// A small site with one notice; `with_register` adds two applications whose data is
/// distinctive enough to be found anywhere it leaked.
fn site(with_register: bool) -> TestSite {
    let site = TestSite::new();
    site.notice(
        "2024/a",
        "index_no: K1/2024-00001\ntitle: 关于开展知识产权宣传周活动的通知\nissuer: lyg-kjj\n\
         date: 2024-04-20\nsummary: 部署宣传周活动。\n",
        "正文。\n",
    );
    if with_register {
        site.write(
            "content/applications/zz-register-7781.yaml",
            "received: 2023-11-17\napplicant: legal_service\nchannel: fax\n\
             replied: 2023-12-13\noutcome: not_processed/mass_repeat\n",
        );
        site.write(
            "content/applications/zz-register-7782.yaml",
            "received: 2024-06-26\napplicant: public_interest\nchannel: in_person\n",
        );
    }
    site
}

fn build_into(site: &TestSite, out: &Path) {
    let mut options = site.options("2024-06-30");
    options.out = Some(out.to_path_buf());
    if let Err(errors) = gongkai::build(&options) {
        panic!("build failed:\n{errors}");
    }
}

#[test]
fn applications_never_reach_the_output() {
    let work = tempfile::tempdir().expect("temp dir");
    let (without, with) = (work.path().join("without"), work.path().join("with"));
    build_into(&site(false), &without);
    build_into(&site(true), &with);
    let files = all_files(&with);
    assert_eq!(
        files,
        all_files(&without),
        "the same files, register or not"
    );
    for relative in &files {
        let bytes = fs::read(with.join(relative)).expect("read");
        // Pages, feeds, the sitemap, the search index and the open data: byte for byte.
        assert!(
            bytes == fs::read(without.join(relative)).expect("read"),
            "{} changed when applications were added",
            relative.display()
        );
        let text = String::from_utf8_lossy(&bytes);
        for needle in [
            "zz-register",
            "2023-11-17",
            "2023年11月17日",
            "2023-12-13",
            "mass_repeat",
            "legal_service",
            "applications/",
            "依申请公开申请",
        ] {
            assert!(
                !text.contains(needle),
                "{} holds `{needle}`",
                relative.display()
            );
        }
    }
    assert!(files.iter().any(|f| f.starts_with("search")), "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("data")), "{files:?}");
}

#[test]
fn an_overdue_application_fails_check_naming_file_line_and_deadline() {
    let site = TestSite::new();
    site.write(
        "content/applications/2024-007.yaml",
        "# 国庆前收到\nreceived: 2024-09-20\napplicant: natural_person\n",
    );
    // Due 2024-10-23 (20 working days after Fri 09-20, across 国庆 and its 调休 days).
    let (code, json) = site.check_json(&["--as-of", "2024-10-28"]);
    assert_eq!(code, Some(1), "{json:#}");
    let d = &json["diagnostics"][0];
    assert_eq!(d["file"], "content/applications/2024-007.yaml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(11))
    );
    assert_eq!(d["code"], "deadline-passed");
    let message = d["message"].as_str().unwrap_or_default();
    assert!(message.contains("2024-10-23"), "{message}");
    assert!(message.contains("已逾期 3 个工作日"), "{message}");

    let (code, json) = site.check_json(&["--as-of", "2024-10-17"]);
    assert_eq!(code, Some(0), "{json:#}");
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "deadline-near");
    assert_eq!(d["severity"], "warning");
    assert!(
        d["message"]
            .as_str()
            .unwrap_or_default()
            .contains("还剩 4 个工作日"),
        "{d:#}"
    );
    assert_eq!(site.check_json(&["--as-of", "2024-10-14"]).0, Some(0));
    // Answered: quiet, and the file name appears in the message of no other check.
    site.write(
        "content/applications/2024-007.yaml",
        "received: 2024-09-20\napplicant: natural_person\nreplied: 2024-10-22\noutcome: disclosed\n",
    );
    let (code, json) = site.check_json(&["--as-of", "2024-12-31"]);
    assert_eq!(
        (code, &json["diagnostics"]),
        (Some(0), &serde_json::json!([]))
    );
}

#[test]
fn invalid_applications_are_errors_at_their_place() {
    let site = TestSite::new();
    site.write(
        "content/applications/a.yaml",
        "received: 2024-09-20\napplicant: natural_person\nname: 某某\n",
    );
    site.write(
        "content/applications/b.yaml",
        "received: 2024-09-20\napplicant: business\noutcome: withheld/process\n",
    );
    site.write(
        "content/applications/c.yaml",
        "received: 2024-09-20\napplicant: business\nreplied: 2024-09-19\noutcome: withheld/proces\n",
    );
    let errors = site.errors();
    let at = |name: &str| {
        errors
            .iter()
            .find(|d| d.path.ends_with(name))
            .unwrap_or_else(|| panic!("nothing about {name}:\n{errors}"))
    };
    let a = at("a.yaml");
    assert_eq!((a.code, a.position.line), (Code::UnknownField, 3));
    let b = at("b.yaml");
    assert_eq!(
        (b.code, b.position.line, b.position.column),
        (Code::RequiresField, 3, 10)
    );
    let c: Vec<_> = errors
        .iter()
        .filter(|d| d.path.ends_with("c.yaml"))
        .map(|d| {
            (
                d.code,
                d.position.line,
                d.help.as_ref().map(|h| h.en().to_string()),
            )
        })
        .collect();
    assert!(c.contains(&(Code::DateOrder, 3, None)), "{c:?}");
    assert!(
        c.contains(&(
            Code::UnknownValue,
            4,
            Some("did you mean `withheld/process`?".into())
        )),
        "{c:?}"
    );
}

#[test]
fn site_yaml_holidays_extend_the_shipped_calendar() {
    let site = TestSite::new();
    site.write(
        "content/applications/2027-001.yaml",
        "received: 2027-02-01\napplicant: business\n",
    );
    // No notice for 2027 is shipped: Monday to Friday, due 2027-03-01, and a warning.
    let (code, json) = site.check_json(&["--as-of", "2027-03-02"]);
    assert_eq!(code, Some(1), "{json:#}");
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["deadline-passed", "holidays-unknown"], "{json:#}");
    // A made-up 2027 (for the test only): Feb 8–12 off, Saturday Feb 6 worked.
    site.write(
        "content/site.yaml",
        &format!(
            "{}holidays:\n  2027:\n    holidays: [{{name: 春节, from: 2027-02-08, to: 2027-02-12}}]\n    workdays: [2027-02-06]\n",
            common::SITE_YAML
        ),
    );
    let (code, json) = site.check_json(&["--as-of", "2027-03-02"]);
    assert_eq!(code, Some(0), "{json:#}");
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "deadline-near", "{json:#}");
    let message = d["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("2027-03-05") && message.contains("还剩 3 个工作日"),
        "{message}"
    );
    assert_eq!(json["diagnostics"].as_array().map(Vec::len), Some(1));

    // A workday on a weekday is refused where it is written.
    site.write(
        "content/site.yaml",
        &format!(
            "{}holidays:\n  2027:\n    workdays: [2027-02-05]\n",
            common::SITE_YAML
        ),
    );
    let (code, json) = site.check_json(&["--as-of", "2027-03-02"]);
    assert_eq!(code, Some(1), "{json:#}");
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "invalid-holidays");
    assert_eq!(d["file"], "content/site.yaml");
    assert_eq!(
        d["line"].as_u64(),
        Some(common::SITE_YAML.lines().count() as u64 + 3)
    );
}

#[test]
fn the_engine_reports_what_check_reports() {
    let site = site(true);
    let options = site.options("2024-07-01");
    let mut engine = gongkai::engine::Engine::new(options.clone(), site.out());
    let first = engine.rebuild(&[]).expect("first build");
    let (_, checked) = gongkai::check(&options).expect("check");
    let codes = |d: &gongkai::Diagnostics| -> Vec<(Code, PathBuf)> {
        d.iter().map(|d| (d.code, d.path.clone())).collect()
    };
    assert_eq!(codes(&first.warnings), codes(&checked));
    // A new application close to its deadline: a warning, and not one page written.
    let relative = PathBuf::from("content/applications/zz-register-7783.yaml");
    site.write(
        relative.to_str().expect("path"),
        "received: 2024-06-03\napplicant: business\n",
    );
    let outcome = engine
        .rebuild(std::slice::from_ref(&relative))
        .expect("rebuild");
    assert_eq!(outcome.written, Vec::<String>::new());
    let (_, checked) = gongkai::check(&options).expect("check");
    assert_eq!(codes(&outcome.warnings), codes(&checked));
    let near = find(&outcome.warnings, "zz-register-7783");
    assert_eq!(
        (near.code, near.severity),
        (Code::DeadlineNear, Severity::Warning)
    );
}

#[test]
fn category_and_repealed_on_show_in_the_metadata_block() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        "index_no: K1/2014-00001\ntitle: 办法\nissuer: lyg-kjj\ndate: 2014-05-07\nsummary: 概述。\n\
         validity: repealed\ncategory: normative\nrepealed_on: 2019-05-06\n",
        "正文。\n",
    );
    site.notice(
        "2014/b",
        "index_no: K1/2014-00002\ntitle: 通知\nissuer: lyg-kjj\ndate: 2014-05-08\nsummary: 概述。\n",
        "正文。\n",
    );
    site.build("2024-12-31").expect("build");
    let a = site.page("notices/K1-2014-00001/");
    assert_eq!(
        common::meta_value(&a, "文件类别").as_deref(),
        Some("行政规范性文件")
    );
    assert_eq!(
        common::meta_value(&a, "废止日期").as_deref(),
        Some("2019-05-06")
    );
    let b = site.page("notices/K1-2014-00002/");
    let labels = common::meta_labels(&b);
    assert!(
        !labels.iter().any(|l| l == "文件类别" || l == "废止日期"),
        "{labels:?}"
    );

    site.notice(
        "2014/b",
        "index_no: K1/2014-00002\ntitle: 通知\nissuer: lyg-kjj\ndate: 2014-05-08\nsummary: 概述。\n\
         repealed_on: 2014-05-01\n",
        "正文。\n",
    );
    let errors = site.errors();
    let mut codes: Vec<_> = errors
        .iter()
        .filter(|d| d.path.ends_with("b.md"))
        .map(|d| (d.code, d.position.line))
        .collect();
    codes.sort();
    assert_eq!(codes, [(Code::DateOrder, 7), (Code::RequiresField, 7)]);
}

#[test]
fn the_example_sites_register_is_clean_and_carries_one_over() {
    let mut options = gongkai::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    for as_of in ["2024-12-31", "2025-01-20", "2026-06-30"] {
        options.as_of = as_of.parse().ok();
        let (site, warnings) = gongkai::check(&options).expect("the example site checks");
        assert!(
            warnings.is_empty(),
            "as of {as_of}: the example site warns:\n{warnings}"
        );
        assert_eq!(site.applications.len(), 13);
    }
    options.as_of = "2024-12-31".parse().ok();
    let (site, _) = gongkai::check(&options).expect("check");
    let open: Vec<&str> = site
        .applications
        .iter()
        .filter(|a| a.open_on(site.as_of.date))
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(open, ["2024-012"]);
}
