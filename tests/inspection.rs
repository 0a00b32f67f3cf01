//! `gongkai check --inspection`: each item of the 检查指标 fires on a copy of the example
//! site changed in one way, with its code and place, in `--format json` and with exit 1;
//! the example site itself is silent at its own as-of date, and a normal check says
//! nothing of any of it.

use std::fs;
use std::path::Path;

use serde_json::Value;

/// A copy of the example site's content/ in a temporary folder.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in walkdir::WalkDir::new(source.join("content")) {
        let entry = entry.expect("walk");
        let relative = entry.path().strip_prefix(source).expect("under source");
        let to = dir.path().join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).expect("mkdir");
        } else {
            fs::copy(entry.path(), &to).expect("copy");
        }
    }
    dir
}

/// Replaces `from` by `to` in the file at `relative` (which must hold it).
fn edit(root: &Path, relative: &str, from: &str, to: &str) {
    let path = root.join(relative);
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{relative} holds no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

fn remove(root: &Path, relative: &str) {
    fs::remove_file(root.join(relative)).expect("remove");
}

/// `gongkai check --root ROOT --format json ARGS`: exit code and document.
fn check_json(root: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("run gongkai");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    (output.status.code(), json)
}

/// The diagnostics of `--inspection`, as (code, file, line).
fn inspect(root: &Path, args: &[&str]) -> (Option<i32>, Vec<(String, String, u64)>) {
    let mut all = vec!["--inspection"];
    all.extend_from_slice(args);
    let (code, json) = check_json(root, &all);
    let found = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            assert_eq!(d["severity"], "error", "{d}");
            (
                d["code"].as_str().expect("code").to_string(),
                d["file"].as_str().expect("file").to_string(),
                d["line"].as_u64().expect("line"),
            )
        })
        .collect();
    (code, found)
}

/// Runs the inspection and expects exactly the one finding.
fn expect_one(root: &Path, args: &[&str], code: &str, file: &str, line: u64) {
    let (status, found) = inspect(root, args);
    assert_eq!(
        found,
        vec![(code.to_string(), file.to_string(), line)],
        "the only finding"
    );
    assert_eq!(status, Some(1), "a finding fails the inspection");
    // Without --inspection the same site checks clean.
    let (status, json) = check_json(root, &[]);
    assert_eq!(status, Some(0), "{json}");
    assert_eq!(json["diagnostics"], Value::Array(vec![]));
}

#[test]
fn the_example_site_passes_the_inspection_at_its_own_as_of() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (status, found) = inspect(root, &[]);
    assert_eq!(found, vec![], "the example site must be silent");
    assert_eq!(status, Some(0));
}

#[test]
fn a_stale_site_fires_the_home_page_and_both_columns() {
    let site = example_copy();
    // Without its 2024 report, too: due by 31 January 2025.
    std::fs::remove_file(site.path().join("content/reports/2024.yaml")).expect("remove");
    let (status, found) = inspect(site.path(), &["--as-of", "2025-07-01"]);
    assert_eq!(status, Some(1));
    let codes: Vec<&str> = found.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        [
            "missing-annual-report",
            "stale-home",
            "stale-column",
            "stale-column"
        ],
        "{found:?}"
    );
    assert!(found[1..].iter().all(|(_, f, _)| f == "content/site.yaml"));
}

#[test]
fn the_home_page_is_stale_after_14_days() {
    let site = example_copy();
    // The newest item is the news of 2024-12-19: 14 days on is fine, 15 is not.
    let (_, found) = inspect(site.path(), &["--as-of", "2025-01-02"]);
    assert_eq!(found, vec![]);
    let (_, found) = inspect(site.path(), &["--as-of", "2025-01-03"]);
    let codes: Vec<&str> = found.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(codes, ["stale-home", "stale-column"], "{found:?}");
}

#[test]
fn a_column_limit_in_site_yaml_is_where_the_finding_points() {
    let site = example_copy();
    let yaml = "content/site.yaml";
    let text = fs::read_to_string(site.path().join(yaml)).expect("site.yaml");
    let line = text.lines().count() as u64 + 2;
    fs::write(
        site.path().join(yaml),
        format!("{text}columns:\n  notices:\n    max_age_days: 20\n"),
    )
    .expect("write");
    // The 2024 notice of 2024-12-02 is 29 days old: over 20.
    expect_one(site.path(), &[], "stale-column", yaml, line + 1);
}

#[test]
fn columns_are_validated_in_site_yaml() {
    for (bad, code, line) in [
        ("columns:\n  forum: {max_age_days: 7}\n", "unknown-field", 2),
        ("columns:\n  news: {max_age_days: 0}\n", "out-of-range", 2),
        ("columns:\n  news: {max_age_days: -3}\n", "out-of-range", 2),
        (
            "inspection:\n  interpretation_within_days: -1\n",
            "out-of-range",
            2,
        ),
        ("inspection:\n  within: 1\n", "unknown-field", 2),
    ] {
        let site = example_copy();
        let yaml = site.path().join("content/site.yaml");
        let text = fs::read_to_string(&yaml).expect("site.yaml");
        // Replace the example's own inspection block so each case stands alone.
        let text = text
            .split("\n# gongkai check --inspection")
            .next()
            .expect("text")
            .to_string();
        let first = text.lines().count() as u64 + 1;
        fs::write(&yaml, format!("{text}\n{bad}")).expect("write");
        // A plain check fails too: site.yaml is wrong whatever is asked.
        let (status, json) = check_json(site.path(), &[]);
        assert_eq!(status, Some(1), "{bad}: {json}");
        let d = &json["diagnostics"][0];
        assert_eq!(d["code"], code, "{bad}: {json}");
        assert_eq!(d["file"], "content/site.yaml", "{bad}");
        assert_eq!(d["line"], first + line - 1, "{bad}: {json}");
    }
}

#[test]
fn an_empty_news_column_fires() {
    let site = example_copy();
    for entry in fs::read_dir(site.path().join("content/news")).expect("news") {
        fs::remove_file(entry.expect("entry").path()).expect("remove");
    }
    // The home page's newest item is now the notice of 2024-12-02: stale too.
    let (status, found) = inspect(site.path(), &[]);
    assert_eq!(status, Some(1));
    let codes: Vec<&str> = found.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(codes, ["stale-home", "empty-column"], "{found:?}");
}

#[test]
fn no_interpretation_at_all_is_an_empty_column_and_a_missing_one() {
    let site = example_copy();
    // Every 政策解读 of the example stops interpreting: each 规范性文件 in force misses its own.
    for (reading, of) in [
        (
            "2014/lyg-ip-joint-conference-rules-interpretation",
            "2014-00065",
        ),
        ("2024/lyg-patent-funding-2024-interpretation", "2024-00006"),
        ("2024/lyg-ip-pledge-risk-fund-interpretation", "2024-00018"),
        ("2024/lyg-ip-rights-assistance-interpretation", "2024-00025"),
    ] {
        edit(
            site.path(),
            &format!("content/notices/{reading}.md"),
            &format!("interprets: [k12498411/{of}]\n"),
            "",
        );
    }
    let (status, found) = inspect(site.path(), &[]);
    assert_eq!(status, Some(1));
    let missing = |file: &str| {
        (
            "missing-interpretation".to_string(),
            format!("content/notices/{file}.md"),
            12,
        )
    };
    assert_eq!(
        found,
        vec![
            missing("2014/lyg-ip-joint-conference-rules"),
            missing("2024/lyg-ip-pledge-risk-fund"),
            missing("2024/lyg-ip-rights-assistance"),
            missing("2024/lyg-patent-funding-2024"),
            (
                "empty-column".to_string(),
                "content/site.yaml".to_string(),
                1
            ),
        ]
    );
}

#[test]
fn an_interpretation_later_than_allowed_fires_at_the_notice() {
    let site = example_copy();
    // The example allows 5 days (its 政策解读 came 5 days after); 4 is too few.
    edit(
        site.path(),
        "content/site.yaml",
        "interpretation_within_days: 5",
        "interpretation_within_days: 4",
    );
    expect_one(
        site.path(),
        &[],
        "missing-interpretation",
        "content/notices/2014/lyg-ip-joint-conference-rules.md",
        12,
    );
}

#[test]
fn a_repealed_normative_notice_needs_no_interpretation() {
    // 2010-00012 is normative, repealed in 2014, and has no 政策解读: silent (the example
    // test above). Made effective again, it fires.
    let site = example_copy();
    let file = "content/notices/2010/lyg-ip-joint-conference-2010.md";
    edit(
        site.path(),
        file,
        "validity: repealed\nrepealed_on: 2014-05-07\n",
        "validity: effective\n",
    );
    expect_one(site.path(), &[], "missing-interpretation", file, 12);
}

#[test]
fn last_years_report_is_due_after_31_january() {
    let site = example_copy();
    remove(site.path(), "content/reports/2023.yaml");
    // In January 2024 the 2023 report is not yet due, and 2022's is not asked for.
    let (_, found) = inspect(site.path(), &["--as-of", "2024-01-31"]);
    assert!(
        !found.iter().any(|(c, _, _)| c == "missing-annual-report"),
        "{found:?}"
    );
    expect_one(
        site.path(),
        &[],
        "missing-annual-report",
        "content/reports/2023.yaml",
        1,
    );
}

#[test]
fn a_site_code_of_the_wrong_length_points_at_its_line() {
    let site = example_copy();
    edit(
        site.path(),
        "content/site.yaml",
        "site_code: \"3207000001\"",
        "site_code: \"320700\"",
    );
    expect_one(site.path(), &[], "missing-identity", "content/site.yaml", 5);
}

#[test]
fn missing_identity_fields_each_fire() {
    for (from, to) in [
        ("site_code: \"3207000001\"\n", ""),
        ("icp: 苏ICP备00000000号\n", ""),
        (
            "contact:\n  address: 连云港市朝阳东路2号\n  phone: 0518-00000000\n  email: ip@example.gov.cn\n",
            "contact:\n",
        ),
    ] {
        let site = example_copy();
        edit(site.path(), "content/site.yaml", from, to);
        let (status, found) = inspect(site.path(), &[]);
        assert_eq!(status, Some(1), "{from}");
        assert_eq!(found.len(), 1, "{from}: {found:?}");
        assert_eq!(found[0].0, "missing-identity");
        assert_eq!(found[0].1, "content/site.yaml");
    }
}

#[test]
fn no_guide_page_fires() {
    let site = example_copy();
    edit(site.path(), "content/pages/guide.md", "column: guide\n", "");
    expect_one(site.path(), &[], "missing-identity", "content/pages", 1);
}

#[test]
fn the_text_output_names_the_code_in_both_languages() {
    let site = example_copy();
    remove(site.path(), "content/reports/2023.yaml");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", "--inspection", "--root"])
        .arg(site.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("content/reports/2023.yaml:1:1: 错误[missing-annual-report]"),
        "{stderr}"
    );
}
