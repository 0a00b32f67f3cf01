//! One test per validation rule: each checks the message, the file and the line a
//! publisher would be sent to, and that nothing was written.

mod common;

use common::{TestSite, find};

const GOOD: &str = "index_no: k12498411/2014-00065\ntitle: 通知\nissuer: lyg-gov\ndate: 2014-05-07\nsummary: 概述\n";

fn assert_at(d: &gongkai::Diagnostic, path: &str, line: usize) {
    assert_eq!(d.path.to_string_lossy(), path, "{d}");
    assert_eq!(d.position.line, line, "{d}");
    assert!(d.is_error(), "{d}");
}

#[test]
fn a_valid_notice_builds() {
    let site = TestSite::new();
    site.notice("2014/a", GOOD, "正文\n");
    let report = site.build("2024-12-31").expect("valid site");
    assert_eq!(report.notices, 1);
    assert!(report.warnings.is_empty(), "{}", report.warnings);
}

#[test]
fn required_fields_are_reported_together() {
    let site = TestSite::new();
    site.notice("2014/a", "index_no: k12498411/2014-00065\n", "");
    let errors = site.errors();
    for field in ["title", "issuer", "date"] {
        let d = find(&errors, &format!("missing required field `{field}`"));
        assert_at(d, "content/notices/2014/a.md", 1);
    }
    assert!(!site.out().exists(), "nothing may be written");
}

#[test]
fn impossible_dates_are_errors() {
    let site = TestSite::new();
    site.notice(
        "2009/a",
        "index_no: k12498411/2009-00001\ntitle: 通知\nissuer: lyg-gov\ndate: 2009-02-30\n",
        "",
    );
    let errors = site.errors();
    let d = find(&errors, "`2009-02-30` is not a real calendar date");
    assert_at(d, "content/notices/2009/a.md", 5);
    assert_eq!(d.position.column, 7);
    assert_eq!(d.line_text, "date: 2009-02-30");
}

#[test]
fn duplicate_index_no_names_both_files() {
    let site = TestSite::new();
    site.notice("2014/a", GOOD, "");
    site.notice("2014/b", GOOD, "");
    let errors = site.errors();
    let d = find(&errors, "duplicate index_no `k12498411/2014-00065`");
    assert!(d.message.en().contains("content/notices/2014/"), "{d}");
    assert_eq!(d.position.line, 2);
}

#[test]
fn index_no_must_match_the_site_pattern() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        "index_no: 2014-65\ntitle: 通知\nissuer: lyg-gov\ndate: 2014-05-07\n",
        "",
    );
    let errors = site.errors();
    let d = find(&errors, "does not match the site's index_no_pattern");
    assert_at(d, "content/notices/2014/a.md", 2);
    assert!(
        d.help
            .as_ref()
            .map(|h| h.en())
            .unwrap_or("")
            .contains("index_no_pattern")
    );
}

#[test]
fn unknown_issuer_suggests_the_closest_unit() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        "index_no: k12498411/2014-00065\ntitle: 通知\nissuer: [lyg-gov, lyg-kj]\ndate: 2014-05-07\n",
        "",
    );
    let errors = site.errors();
    let d = find(&errors, "unknown unit `lyg-kj`");
    assert_at(d, "content/notices/2014/a.md", 4);
    assert_eq!(
        d.help.as_ref().map(|h| h.en()),
        Some("did you mean `lyg-kjj`?")
    );
    let text = errors.to_string();
    assert!(
        text.contains("content/notices/2014/a.md:4:"),
        "printed as path:line:col\n{text}"
    );
    assert!(
        text.contains("issuer: [lyg-gov, lyg-kj]"),
        "offending line shown\n{text}"
    );
}

#[test]
fn unknown_supersedes_and_related_are_errors() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        "index_no: k12498411/2014-00065\ntitle: 通知\nissuer: lyg-gov\ndate: 2014-05-07\nsupersedes: [k12498411/2010-00012]\nrelated:\n  - k12498411/2014-00076\n",
        "",
    );
    site.notice(
        "2014/b",
        "index_no: k12498411/2014-00067\ntitle: 解读\nissuer: lyg-gov\ndate: 2014-05-08\n",
        "",
    );
    let errors = site.errors();
    let d = find(&errors, "unknown notice index_no `k12498411/2010-00012`");
    assert_at(d, "content/notices/2014/a.md", 6);
    let d = find(&errors, "unknown notice index_no `k12498411/2014-00076`");
    assert_at(d, "content/notices/2014/a.md", 8);
    assert_eq!(
        d.help.as_ref().map(|h| h.en()),
        Some("did you mean `k12498411/2014-00067`?")
    );
}

#[test]
fn interprets_must_name_another_known_notice() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        "index_no: k12498411/2014-00065\ntitle: 解读\nissuer: lyg-gov\ndate: 2014-05-07\ninterprets: [k12498411/2014-00099, k12498411/2014-00065]\n",
        "",
    );
    let errors = site.errors();
    let d = find(&errors, "unknown notice index_no `k12498411/2014-00099`");
    assert_at(d, "content/notices/2014/a.md", 6);
    let d = find(&errors, "a notice cannot list itself in `interprets`");
    assert_at(d, "content/notices/2014/a.md", 6);
}

#[test]
fn unknown_parent_unit_is_an_error() {
    let site = TestSite::new();
    site.write(
        "content/units/lyg-czj.yaml",
        "name: 连云港市财政局\nkind: department\nparent: lyg-gv\n",
    );
    let errors = site.errors();
    let d = find(&errors, "unknown unit `lyg-gv`");
    assert_at(d, "content/units/lyg-czj.yaml", 3);
    assert_eq!(
        d.help.as_ref().map(|h| h.en()),
        Some("did you mean `lyg-gov`?")
    );
}

#[test]
fn missing_attachment_is_an_error() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        &format!("{GOOD}attachments:\n  - title: 全文\n    file: attachments/none.pdf\n"),
        "",
    );
    let errors = site.errors();
    let d = find(&errors, "`attachments/none.pdf` does not exist");
    assert_at(d, "content/notices/2014/a.md", 9);
}

#[test]
fn attachment_may_not_escape_content() {
    let site = TestSite::new();
    site.write("secret.txt", "secret");
    site.notice(
        "2014/a",
        &format!("{GOOD}attachments:\n  - title: 全文\n    file: ../secret.txt\n"),
        "",
    );
    let errors = site.errors();
    let d = find(&errors, "must be relative to content/ and stay inside it");
    assert_at(d, "content/notices/2014/a.md", 9);
}

#[cfg(unix)]
#[test]
fn attachment_symlink_may_not_escape_content() {
    let site = TestSite::new();
    site.write("secret.txt", "secret");
    std::fs::create_dir_all(site.root().join("content/attachments")).expect("mkdir");
    std::os::unix::fs::symlink(
        site.root().join("secret.txt"),
        site.root().join("content/attachments/link.txt"),
    )
    .expect("symlink");
    site.notice(
        "2014/a",
        &format!("{GOOD}attachments:\n  - title: 全文\n    file: attachments/link.txt\n"),
        "",
    );
    let errors = site.errors();
    let d = find(&errors, "is a link that leads outside content/");
    assert_at(d, "content/notices/2014/a.md", 9);
}

#[test]
fn ids_must_be_lowercase_ascii() {
    let site = TestSite::new();
    site.write("content/units/LYG_Gov2.yaml", "name: 某单位\n");
    let errors = site.errors();
    let d = find(&errors, "`LYG_Gov2` is not a valid id");
    assert_eq!(d.path.to_string_lossy(), "content/units/LYG_Gov2.yaml");
}

#[test]
fn unknown_validity_suggests_a_known_one() {
    let site = TestSite::new();
    site.notice("2014/a", &format!("{GOOD}validity: expird\n"), "");
    let errors = site.errors();
    let d = find(&errors, "unknown validity `expird`");
    assert_at(d, "content/notices/2014/a.md", 7);
    assert_eq!(
        d.help.as_ref().map(|h| h.en()),
        Some("did you mean `expired`?")
    );
}

#[test]
fn yaml_syntax_errors_point_into_the_file() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        "index_no: k12498411/2014-00065\ntitle: [通知\nissuer: lyg-gov\n",
        "",
    );
    let errors = site.errors();
    let d = find(&errors, "invalid YAML");
    assert_eq!(d.path.to_string_lossy(), "content/notices/2014/a.md");
    assert!(d.position.line >= 3, "{d}");
}

#[test]
fn unknown_fields_are_errors_not_silently_dropped() {
    let site = TestSite::new();
    site.notice("2014/a", &format!("{GOOD}isuer: lyg-kjj\n"), "");
    let errors = site.errors();
    let d = find(&errors, "isuer");
    assert_at(d, "content/notices/2014/a.md", 7);
}

#[test]
fn every_error_of_every_file_is_collected() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        "index_no: k12498411/2014-00065\ntitle: 通知\nissuer: nobody\ndate: 2014-05-07\n",
        "",
    );
    site.notice(
        "2014/b",
        "index_no: k12498411/2014-00066\ntitle: 通知\nissuer: lyg-gov\ndate: 2014-13-07\n",
        "",
    );
    site.write("content/units/lyg-czj.yaml", "name: 财政局\nkind: bureau\n");
    let errors = site.errors();
    assert_eq!(errors.errors().count(), 3, "{errors}");
}

#[test]
fn missing_summary_is_only_a_warning() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        "index_no: k12498411/2014-00065\ntitle: 通知\nissuer: lyg-gov\ndate: 2014-05-07\n",
        "",
    );
    let report = site.build("2024-12-31").expect("warnings do not fail");
    let w = report.warnings.iter().next().expect("a warning");
    assert!(w.message.en().contains("no summary"), "{w}");
    assert_eq!(w.severity, gongkai::Severity::Warning);
}

#[test]
fn a_page_column_must_be_known_and_taken_once() {
    let site = TestSite::new();
    site.notice("2014/a", GOOD, "");
    site.write(
        "content/pages/guide.md",
        "---\ntitle: 指南\ncolumn: guide\n---\n正文\n",
    );
    site.write(
        "content/pages/guide-old.md",
        "---\ntitle: 旧指南\norder: 3\ncolumn: guide\n---\n正文\n",
    );
    site.write(
        "content/pages/rules.md",
        "---\ntitle: 制度\ncolumn: rule\n---\n正文\n",
    );
    let errors = site.errors();
    let d = find(&errors, "unknown column `rule`");
    assert_at(d, "content/pages/rules.md", 3);
    assert_eq!(d.position.column, 9, "{d}");
    assert_eq!(
        d.help.as_ref().map(|h| h.en()),
        Some("did you mean `rules`?")
    );
    let d = find(&errors, "`column: guide` is already the column of");
    assert_at(d, "content/pages/guide-old.md", 4);
    assert!(d.message.en().contains("content/pages/guide.md"), "{d}");
}
