//! `gongkai new …` end to end: the real binary scaffolds a site and files into it, each
//! with every field of its schema, and `gongkai check` and `build` pass on the result;
//! notices get successive 索引号.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use gongkai::schema::Kind;
use serde_json::Value;
use strum::VariantArray;

/// Runs `gongkai ARGS` in `cwd`: exit code, stdout, stderr.
fn gongkai(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run gongkai");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `gongkai ARGS` in `root`, expects success and one path written; returns it.
fn new_file(root: &Path, args: &[&str]) -> PathBuf {
    let (code, stdout, stderr) = gongkai(root, args);
    assert_eq!(code, Some(0), "gongkai {args:?}:\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one path printed: {stdout}");
    let path = root.join(lines[0]);
    assert!(path.is_file(), "{} was not written", path.display());
    path
}

/// The YAML of a scaffolded file (its front matter for Markdown), as JSON.
fn yaml_of(kind: Kind, path: &Path) -> (String, Value) {
    let text = fs::read_to_string(path).expect("read scaffold");
    let yaml = if kind.is_front_matter() {
        let file = gongkai::source::SourceFile::new(path.to_path_buf(), text.clone());
        file.front_matter().expect("front matter").yaml
    } else {
        text.clone()
    };
    let value = serde_saphyr::from_str(&yaml).expect("YAML");
    (text, value)
}

/// Checks what every scaffold promises: the schema line first (pointing at a schema
/// that is there), every field of the schema written or commented out with a comment,
/// and a value valid against the schema.
fn assert_scaffold(kind: Kind, path: &Path) -> Value {
    let (text, value) = yaml_of(kind, path);
    let mut lines = text.lines();
    if kind.is_front_matter() {
        assert_eq!(lines.next(), Some("---"), "{}", path.display());
    }
    let first = lines.next().unwrap_or_default();
    let schema = first
        .strip_prefix("# yaml-language-server: $schema=")
        .unwrap_or_else(|| panic!("{}: first line is {first:?}", path.display()));
    assert!(schema.ends_with(kind.file_name()), "{schema}");
    let schema_path = path.parent().expect("parent").join(schema);
    assert!(
        schema_path.is_file(),
        "{} does not exist",
        schema_path.display()
    );
    let schema_value = kind.schema();
    for field in schema_value["properties"]
        .as_object()
        .expect("properties")
        .keys()
    {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{field}:")) || l.starts_with(&format!("# {field}:")))
            .unwrap_or_else(|| panic!("{}: no line for `{field}`:\n{text}", path.display()));
        assert!(
            line.contains("  # ") && line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: `{field}` has no Chinese comment: {line}",
            path.display()
        );
    }
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema_value)
        .expect("schema");
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    value
}

fn check_passes(root: &Path) {
    let (code, _, stderr) = gongkai(root, &["check", "--root", "."]);
    assert_eq!(code, Some(0), "gongkai check:\n{stderr}");
}

#[test]
fn a_new_site_and_files_in_it_pass_check_and_build() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, stdout, stderr) = gongkai(
        dir.path(),
        &["new", "site", "site", "--title", "测试：信息公开"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let root = dir.path().join("site");
    for &kind in Kind::VARIANTS {
        assert!(
            root.join("schemas").join(kind.file_name()).is_file(),
            "{kind:?}"
        );
    }
    for (kind, written) in [
        (Kind::Site, "site/content/site.yaml"),
        (Kind::Unit, "site/content/units/office.yaml"),
        (Kind::Page, "site/content/pages/guide.md"),
    ] {
        assert!(stdout.lines().any(|l| l == written), "{stdout}");
        assert_scaffold(kind, &dir.path().join(written));
    }
    let notice = stdout
        .lines()
        .find(|l| l.starts_with("site/content/notices/"))
        .expect("a notice written");
    let value = assert_scaffold(Kind::Notice, &dir.path().join(notice));
    assert_eq!(value["issuer"], "office");
    assert!(
        value["index_no"]
            .as_str()
            .is_some_and(|n| n.ends_with("-00001")),
        "{value}"
    );
    check_passes(&root);
    let (code, _, stderr) = gongkai(&root, &["build", "--root", "."]);
    assert_eq!(code, Some(0), "gongkai build:\n{stderr}");
    assert!(root.join("public/index.html").is_file());

    // A second `new site` there refuses, naming the file, and changes nothing.
    let before = fs::read_to_string(root.join("content/site.yaml")).expect("site.yaml");
    let (code, _, stderr) = gongkai(dir.path(), &["new", "site", "site"]);
    assert_eq!(code, Some(1));
    // In the site's language: Chinese for a new site.
    assert!(stderr.contains("site.yaml 已存在，未覆盖"), "{stderr}");
    assert_eq!(
        fs::read_to_string(root.join("content/site.yaml")).expect("site.yaml"),
        before
    );

    // A unit with its 索引号 prefix, then two notices: successive numbers.
    let unit = new_file(
        &root,
        &[
            "new",
            "unit",
            "lyg-kjj",
            "--name",
            "连云港市科学技术局",
            "--kind",
            "department",
            "--index-prefix",
            "K12345678",
        ],
    );
    assert_eq!(
        assert_scaffold(Kind::Unit, &unit)["index_prefix"],
        "K12345678"
    );
    let title = "关于\"知识产权宣传周\"的通知: 第1号 # 不是注释";
    let first = new_file(
        &root,
        &[
            "new",
            "notice",
            "--issuer",
            "lyg-kjj",
            "--title",
            title,
            "--date",
            "2024-04-20",
        ],
    );
    let second = new_file(
        &root,
        &[
            "new",
            "notice",
            "--issuer",
            "lyg-kjj",
            "--title",
            "第二个通知",
            "--date",
            "2024-04-21",
        ],
    );
    assert_eq!(
        first,
        root.join("content/notices/2024/K12345678-2024-00001.md")
    );
    let first = assert_scaffold(Kind::Notice, &first);
    let second = assert_scaffold(Kind::Notice, &second);
    assert_eq!(first["index_no"], "K12345678/2024-00001");
    assert_eq!(second["index_no"], "K12345678/2024-00002");
    assert_eq!(first["title"], title, "the title round-trips");
    assert_eq!(first["date"], "2024-04-20");

    let body = new_file(
        &root,
        &[
            "new",
            "body",
            "lyg-ip",
            "--name",
            "知识产权联席会议",
            "--kind",
            "joint_conference",
        ],
    );
    assert_scaffold(Kind::Body, &body);
    let plan = new_file(
        &root,
        &["new", "plan", "ip-2024", "--title", "2024年工作分解表"],
    );
    assert_scaffold(Kind::Plan, &plan);
    let news = new_file(
        &root,
        &[
            "new",
            "news",
            "meeting",
            "--title",
            "联席会议召开: 第一次",
            "--date",
            "2024-05-01",
        ],
    );
    assert_eq!(
        assert_scaffold(Kind::News, &news)["title"],
        "联席会议召开: 第一次"
    );
    // An application received today (the default): open, far from its deadline.
    let application = new_file(
        &root,
        &["new", "application", "2024-001", "--applicant", "business"],
    );
    let value = assert_scaffold(Kind::Application, &application);
    assert_eq!(value["applicant"], "business");
    assert!(value.get("replied").is_none(), "{value}");
    let (code, _, stderr) = gongkai(
        &root,
        &["new", "application", "2024-002", "--applicant", "person"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    check_passes(&root);
    let (code, _, stderr) = gongkai(&root, &["build", "--root", "."]);
    assert_eq!(code, Some(0), "gongkai build:\n{stderr}");
    assert!(
        !walkdir::WalkDir::new(root.join("public"))
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| e.path().to_string_lossy().contains("application")),
        "nothing of the application reaches the output"
    );

    // Never overwrites: exit 1 naming the file, which keeps its text.
    let before = fs::read_to_string(&news).expect("news");
    let (code, stdout, stderr) = gongkai(&root, &["new", "news", "meeting", "--title", "另一条"]);
    assert_eq!(code, Some(1));
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("content/news/meeting.md 已存在，未覆盖"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&news).expect("news"), before);
}

#[test]
fn the_next_index_no_follows_the_issuers_numbers() {
    let site = common::TestSite::new();
    // lyg-gov and lyg-kjj share the office's prefix, as in the example site; a joint
    // notice led by lyg-kjj counts for the prefix's numbers but gives lyg-gov no prefix.
    site.notice(
        "2014/a",
        "index_no: k12498411/2014-00065\ntitle: 甲\nissuer: lyg-gov\ndate: 2014-05-07\n",
        "",
    );
    site.notice(
        "2014/b",
        "index_no: k12498411/2014-00078\ntitle: 乙\nissuer: [lyg-kjj, lyg-gov]\ndate: 2014-06-07\n",
        "",
    );
    site.notice(
        "2013/c",
        "index_no: k12498411/2013-00102\ntitle: 丙\nissuer: lyg-kjj\ndate: 2013-06-07\n",
        "",
    );
    let root = site.root();
    // Without --out, the schemas go into ROOT/schemas/, where the scaffolds point.
    let (code, stdout, stderr) = gongkai(root, &["schema", "--root", "."]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), Kind::VARIANTS.len(), "{stdout}");
    let path = new_file(
        root,
        &[
            "new",
            "notice",
            "--issuer",
            "lyg-gov",
            "--title",
            "丁",
            "--date",
            "2014-08-01",
        ],
    );
    assert_eq!(
        assert_scaffold(Kind::Notice, &path)["index_no"],
        "k12498411/2014-00079"
    );
    let path = new_file(
        root,
        &[
            "new",
            "notice",
            "--issuer",
            "lyg-kjj",
            "--title",
            "戊",
            "--date",
            "2015-01-05",
        ],
    );
    assert_eq!(
        assert_scaffold(Kind::Notice, &path)["index_no"],
        "k12498411/2015-00001"
    );
    let (code, stdout, _) = gongkai(root, &["check", "--root", "."]);
    assert_eq!(code, Some(0), "{stdout}");

    // A unit without notices and without index_prefix: exit 1, saying what to add.
    site.write(
        "content/units/lyg-czj.yaml",
        "name: 连云港市财政局\nkind: department\n",
    );
    let (code, _, stderr) = gongkai(
        root,
        &[
            "new",
            "notice",
            "--issuer",
            "lyg-czj",
            "--title",
            "己",
            "--date",
            "2015-01-05",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(stderr.contains("index_prefix"), "{stderr}");
    // An unknown issuer: exit 1 naming it.
    let (code, _, stderr) = gongkai(
        root,
        &["new", "notice", "--issuer", "lyg-kj", "--title", "庚"],
    );
    assert_eq!(code, Some(1));
    assert!(stderr.contains("lyg-kj"), "{stderr}");
    // A declared prefix wins, and a number the site's pattern refuses is not written.
    site.write(
        "content/units/lyg-czj.yaml",
        "name: 连云港市财政局\nindex_prefix: 01234567X\n",
    );
    let path = new_file(
        root,
        &[
            "new",
            "notice",
            "--issuer",
            "lyg-czj",
            "--title",
            "辛",
            "--date",
            "2015-01-05",
        ],
    );
    assert_eq!(
        assert_scaffold(Kind::Notice, &path)["index_no"],
        "01234567X/2015-00001"
    );
    site.write(
        "content/units/lyg-czj.yaml",
        "name: 连云港市财政局\nindex_prefix: x.y\n",
    );
    let (code, _, stderr) = gongkai(
        root,
        &[
            "new",
            "notice",
            "--issuer",
            "lyg-czj",
            "--title",
            "壬",
            "--date",
            "2015-01-05",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(stderr.contains("index_no_pattern"), "{stderr}");
}

#[test]
fn an_invalid_index_prefix_fails_check() {
    let site = common::TestSite::new();
    site.write(
        "content/units/lyg-czj.yaml",
        "name: 连云港市财政局\nindex_prefix: 有/斜杠\n",
    );
    let (code, stderr) = site.check_command();
    assert_eq!(code, Some(1));
    assert!(stderr.contains("index_prefix"), "{stderr}");
}
