//! What `gongkai check` and `gongkai build` tell a publisher and a tool: codes at the
//! right file:line:column in `--format json`, exit statuses 0/1/2, `--deny-warnings`,
//! plain text when piped, NO_COLOR, the site's language, and docs/diagnostics.md listing
//! every code with the meaning the code gives it.

mod common;

use std::collections::BTreeMap;

use common::TestSite;
use gongkai::Code;
use serde_json::Value;
use strum::VariantArray;

const GOOD: &str = "index_no: k12498411/2014-00065\ntitle: 关于印发工作制度的通知\nissuer: lyg-gov\ndate: 2014-05-07\nsummary: 概述。\n";

/// A site with one problem of each of several kinds, in separate files.
fn broken() -> TestSite {
    let site = TestSite::new();
    site.notice("2014/good", GOOD, "正文。\n");
    // unknown-unit at 4:9, invalid-date at 5:7.
    site.notice(
        "2014/refs",
        "index_no: k12498411/2014-00066\ntitle: 坏\nissuer: lyg-kj\ndate: 2014-02-30\nsummary: 概述。\n",
        "",
    );
    // unknown-field: `isuer` on line 4.
    site.notice(
        "2014/typo",
        "index_no: k12498411/2014-00067\ntitle: 错字\nisuer: lyg-gov\ndate: 2014-05-07\n",
        "",
    );
    // duplicate-index-no at 2:11.
    site.notice(
        "2014/twin",
        "index_no: k12498411/2014-00065\ntitle: 重复\nissuer: lyg-gov\ndate: 2014-05-07\nsummary: 概述。\n",
        "",
    );
    // yaml-syntax in a unit file.
    site.write("content/units/bad.yaml", "name: [unclosed\n");
    // missing-field: a unit without a name.
    site.write("content/units/nameless.yaml", "kind: department\n");
    site
}

/// The JSON diagnostics as (file, code) → (line, column).
fn by_file_and_code(json: &Value) -> BTreeMap<(String, String), (u64, u64)> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            (
                (
                    d["file"].as_str().expect("file").to_string(),
                    d["code"].as_str().expect("code").to_string(),
                ),
                (
                    d["line"].as_u64().expect("line"),
                    d["column"].as_u64().expect("column"),
                ),
            )
        })
        .collect()
}

#[test]
fn json_names_file_line_column_and_code_of_each_problem() {
    let site = broken();
    let (code, json) = site.check_json(&["--as-of", "2024-12-31"]);
    assert_eq!(code, Some(1), "{json:#}");
    let found = by_file_and_code(&json);
    let at = |file: &str, code: &str| found.get(&(format!("content/{file}"), code.to_string()));
    assert_eq!(
        at("notices/2014/refs.md", "unknown-unit"),
        Some(&(4, 9)),
        "{json:#}"
    );
    assert_eq!(
        at("notices/2014/refs.md", "invalid-date"),
        Some(&(5, 7)),
        "{json:#}"
    );
    assert_eq!(
        at("notices/2014/typo.md", "unknown-field").map(|p| p.0),
        Some(4),
        "{json:#}"
    );
    assert_eq!(
        at("notices/2014/twin.md", "duplicate-index-no"),
        Some(&(2, 11)),
        "{json:#}"
    );
    assert!(at("units/bad.yaml", "yaml-syntax").is_some(), "{json:#}");
    assert!(
        at("units/nameless.yaml", "missing-field").is_some(),
        "{json:#}"
    );

    // The whole shape, on one diagnostic.
    let unknown = json["diagnostics"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["code"] == "unknown-unit"))
        .expect("unknown-unit");
    assert_eq!(unknown["severity"], "error");
    assert_eq!(unknown["source_line"], "issuer: lyg-kj");
    assert_eq!(
        unknown["message"], "未知单位 `lyg-kj`",
        "Chinese: no language set"
    );
    assert_eq!(unknown["help"], "是否应为 `lyg-kjj`？");
    let typo = json["diagnostics"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["code"] == "unknown-field"))
        .expect("unknown-field");
    assert_eq!(typo["message"], "未知字段 `isuer`", "{typo:#}");
    assert_eq!(typo["help"], "是否应为 `issuer`？", "{typo:#}");
    assert_eq!(json["version"], 1);
    assert_eq!(json["language"], "zh-CN");
    let summary = &json["summary"];
    assert_eq!(summary["exit_code"], 1);
    assert_eq!(summary["warnings"], 0);
    assert_eq!(
        summary["errors"].as_u64(),
        Some(json["diagnostics"].as_array().map_or(0, |a| a.len()) as u64)
    );
    assert!(summary["checked"].is_null());
}

#[test]
fn json_of_a_clean_site_counts_what_was_checked_and_exits_0() {
    let site = TestSite::new();
    site.english();
    site.notice("2014/good", GOOD, "正文。\n");
    let (code, json) = site.check_json(&["--as-of", "2024-12-31"]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert_eq!(json["language"], "en");
    assert_eq!(json["summary"]["checked"]["notices"], 1);
    assert_eq!(json["summary"]["checked"]["units"], 2);
    assert_eq!(json["summary"]["exit_code"], 0);
}

#[test]
fn exit_status_is_0_for_clean_1_for_content_2_for_the_machine() {
    let clean = TestSite::new();
    clean.notice("2014/good", GOOD, "正文。\n");
    let ok = clean.run(&["check", "--as-of", "2024-12-31"], &[]);
    assert_eq!(ok.status.code(), Some(0));
    let built = clean.run(&["build", "--as-of", "2024-12-31"], &[]);
    assert_eq!(built.status.code(), Some(0));

    let site = broken();
    assert_eq!(site.check_command().0, Some(1));
    let failed = site.run(&["build", "--as-of", "2024-12-31"], &[]);
    assert_eq!(failed.status.code(), Some(1));

    // A root that does not exist: 2, for check and build, text and JSON.
    let missing = clean.root().join("no-such-site");
    for args in [
        vec!["check"],
        vec!["build"],
        vec!["check", "--format", "json"],
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(&args)
            .arg("--root")
            .arg(&missing)
            .output()
            .expect("run gongkai");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    let (code, json) = {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["check", "--format", "json", "--root"])
            .arg(&missing)
            .output()
            .expect("run gongkai");
        let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        (output.status.code(), json)
    };
    assert_eq!(code, Some(2));
    assert_eq!(json["diagnostics"][0]["code"], "not-a-site", "{json:#}");
    assert_eq!(json["summary"]["exit_code"], 2);

    // A folder gongkai did not make, as --out: refused, 2, untouched.
    let papers = clean.root().join("papers");
    std::fs::create_dir_all(&papers).expect("mkdir");
    std::fs::write(papers.join("thesis.txt"), "mine").expect("write");
    let refused = clean.run(
        &[
            "build",
            "--as-of",
            "2024-12-31",
            "--out",
            &papers.to_string_lossy(),
        ],
        &[],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("[output-refused]"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(papers.join("thesis.txt").is_file());

    // A usage error is clap's 2.
    let usage = clean.run(&["check", "--format", "yaml"], &[]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn deny_warnings_turns_a_warning_into_exit_1() {
    let site = TestSite::new();
    site.english();
    site.notice(
        "2014/bare",
        "index_no: k12498411/2014-00065\ntitle: 无概述\nissuer: lyg-gov\ndate: 2014-05-07\n",
        "正文。\n",
    );
    let (code, json) = site.check_json(&["--as-of", "2024-12-31"]);
    assert_eq!(code, Some(0));
    assert_eq!(json["diagnostics"][0]["code"], "missing-summary");
    assert_eq!(json["diagnostics"][0]["severity"], "warning");
    let (code, json) = site.check_json(&["--as-of", "2024-12-31", "--deny-warnings"]);
    assert_eq!(code, Some(1));
    assert_eq!(json["summary"]["exit_code"], 1);

    let denied = site.run(&["check", "--as-of", "2024-12-31", "--deny-warnings"], &[]);
    assert_eq!(denied.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&denied.stderr);
    assert!(stderr.contains("--deny-warnings"), "{stderr}");
    let built = site.run(&["build", "--as-of", "2024-12-31", "--deny-warnings"], &[]);
    assert_eq!(built.status.code(), Some(1));
    let built = site.run(&["build", "--as-of", "2024-12-31"], &[]);
    assert_eq!(built.status.code(), Some(0));
}

#[test]
fn piped_output_is_plain_text_without_a_progress_bar() {
    let site = broken();
    let check = site.run(&["check", "--as-of", "2024-12-31"], &[]);
    let clean = TestSite::new();
    clean.notice("2014/good", GOOD, "正文。\n");
    let build = clean.run(&["build", "--as-of", "2024-12-31"], &[]);
    for output in [&check, &build] {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.is_empty());
        assert!(
            !stderr.contains('\u{1b}'),
            "ANSI escape in piped output: {stderr:?}"
        );
        assert!(
            !stderr.contains('\r'),
            "progress redraws in piped output: {stderr:?}"
        );
    }
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(stderr.starts_with("已构建：文件 1、单位 2"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one summary line: {stderr}");
    assert!(check.stdout.is_empty(), "text goes to stderr");
}

#[test]
fn no_color_wins_over_forced_colour() {
    let site = broken();
    let args = ["check", "--as-of", "2024-12-31"];
    let forced = site.run(&args, &[("CLICOLOR_FORCE", "1")]);
    let stderr = String::from_utf8_lossy(&forced.stderr);
    assert!(
        stderr.contains("\u{1b}["),
        "colours when forced: {stderr:?}"
    );
    let plain = site.run(&args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    let stderr = String::from_utf8_lossy(&plain.stderr);
    assert!(!stderr.contains('\u{1b}'), "NO_COLOR: {stderr:?}");
    assert_eq!(forced.status.code(), plain.status.code());
}

#[test]
fn messages_follow_the_language_of_the_site() {
    let site = broken();
    let (_, zh) = site.check_command();
    assert!(
        zh.contains("content/notices/2014/refs.md:4:9: 错误[unknown-unit]：未知单位 `lyg-kj`"),
        "{zh}"
    );
    assert!(zh.contains("= 帮助：是否应为 `lyg-kjj`？"), "{zh}");
    assert!(zh.contains("错误[unknown-field]：未知字段 `isuer`"), "{zh}");
    assert!(zh.contains("错误：发现"), "{zh}");

    site.english();
    let (_, en) = site.check_command();
    assert!(
        en.contains("content/notices/2014/refs.md:4:9: error[unknown-unit]: unknown unit `lyg-kj`"),
        "{en}"
    );
    assert!(en.contains("= help: did you mean `lyg-kjj`?"), "{en}");
    assert!(
        en.contains("error: 6 problem(s) found; nothing was written"),
        "{en}"
    );
    assert!(!en.contains("错误"), "{en}");
    let (_, json) = site.check_json(&[]);
    assert_eq!(json["language"], "en");
    let unknown = json["diagnostics"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["code"] == "unknown-unit"))
        .expect("unknown-unit");
    assert_eq!(unknown["message"], "unknown unit `lyg-kj`");

    // Without a readable site.yaml there is no language to read: Chinese.
    let empty = tempfile::tempdir().expect("temp dir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", "--root"])
        .arg(empty.path())
        .output()
        .expect("run gongkai");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("错误[not-a-site]：这里没有站点"),
        "{stderr}"
    );
}

#[test]
fn quiet_prints_errors_only_and_verbose_the_stages() {
    let site = TestSite::new();
    site.english();
    site.notice(
        "2014/bare",
        "index_no: k12498411/2014-00065\ntitle: 无概述\nissuer: lyg-gov\ndate: 2014-05-07\n",
        "正文。\n",
    );
    let quiet = site.run(&["build", "--as-of", "2024-12-31", "--quiet"], &[]);
    assert_eq!(quiet.status.code(), Some(0));
    assert!(
        quiet.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
    let normal = site.run(&["build", "--as-of", "2024-12-31"], &[]);
    let stderr = String::from_utf8_lossy(&normal.stderr);
    assert!(stderr.contains("warning[missing-summary]"), "{stderr}");
    assert!(
        stderr.contains("built 1 notices, 2 units, 0 bodies, 0 plans, 0 news, 0 pages,"),
        "{stderr}"
    );
    assert!(stderr.contains("; 1 warning(s)"), "{stderr}");
    assert!(
        !stderr.contains("render"),
        "stage timings only with --verbose: {stderr}"
    );
    let verbose = site.run(&["build", "--as-of", "2024-12-31", "--verbose"], &[]);
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    assert!(
        stderr.contains("  check ") && stderr.contains("render"),
        "{stderr}"
    );
    let check = site.run(&["check", "--as-of", "2024-12-31", "--quiet"], &[]);
    assert!(
        check.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let broken = broken();
    let quiet = broken.run(&["check", "--quiet"], &[]);
    assert_eq!(quiet.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&quiet.stderr).contains("[unknown-unit]"));
}

/// The rows of the code table in docs/diagnostics.md: code → (exit, meaning, 含义).
fn documented_codes() -> BTreeMap<String, (String, String, String)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md"))
        .expect("docs/diagnostics.md");
    let table = doc
        .split("\n## Codes\n")
        .nth(1)
        .expect("a Codes section")
        .split("\n## ")
        .next()
        .unwrap_or_default();
    table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .map(|row| {
            let cells: Vec<&str> = row.split(" | ").collect();
            assert_eq!(cells.len(), 4, "code | exit | meaning | 含义: {row}");
            (
                cells[0].trim_end_matches('`').to_string(),
                (
                    cells[1].to_string(),
                    cells[2].to_string(),
                    cells[3].trim_end_matches(" |").to_string(),
                ),
            )
        })
        .collect()
}

#[test]
fn every_code_is_documented_in_both_languages() {
    let documented = documented_codes();
    for &code in Code::VARIANTS {
        let name = code.to_string();
        let (exit, en, zh) = documented
            .get(&name)
            .unwrap_or_else(|| panic!("`{name}` is missing from docs/diagnostics.md"));
        let (meaning_en, meaning_zh) = code.meaning();
        assert_eq!(en, meaning_en, "{name}: the English meaning");
        assert_eq!(zh, meaning_zh, "{name}: the Chinese meaning");
        assert_eq!(
            exit,
            &code.class().exit_code().to_string(),
            "{name}: the exit status"
        );
        assert!(
            meaning_zh
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{name}: the Chinese meaning is Chinese"
        );
        assert!(
            meaning_en.starts_with(|c: char| c.is_ascii_uppercase() || c == '`'),
            "{name}: the English meaning is an English sentence"
        );
        // The name is what serde writes: the JSON and the table agree.
        let json = serde_json::to_value(code).expect("serialise");
        assert_eq!(json, Value::String(name.clone()));
        let back: Code = serde_json::from_value(json).expect("deserialise");
        assert_eq!(back, code);
    }
    assert_eq!(
        documented.len(),
        Code::VARIANTS.len(),
        "docs/diagnostics.md lists a code that does not exist"
    );
}
