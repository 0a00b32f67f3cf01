//! `gongkai import` end to end: seed 001 (the Guangzhou 工作分解表, box drawing, cells
//! wrapping and merged across pages) imported into a copy of the example site without its
//! plan must give back `content/progress/gz-2007-ip-demo-city.yaml`.
//!
//! Compared field by field, through the loader itself (`gongkai::content::load`): the
//! title, the period, the 11 categories (类号, 项目分类) and the 54 tasks (序号, 工作内容,
//! 负责单位 and 参与单位 as unit ids, deadline). Not compared: `source` and `body` (the
//! text carries neither the 索引号 of the publishing notice nor the body's id: they were
//! added by hand), `targets` (hand-picked phrases of 工作内容; the table numbers none),
//! `updates` (sample progress) and `notes` (an editor's remark).

use std::path::{Path, PathBuf};

use gongkai::content::plan::Plan;
use gongkai::import::{ImportError, ImportKind, ImportOptions, run};

const PLAN: &str = "content/progress/gz-2007-ip-demo-city.yaml";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/import").join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the example site without the Guangzhou plan.
fn site_without_plan() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    std::fs::remove_file(dir.path().join(PLAN)).unwrap();
    dir
}

fn options(root: &Path, files: Vec<PathBuf>) -> ImportOptions {
    ImportOptions {
        kind: ImportKind::Plan,
        ..ImportOptions::new(root, files)
    }
}

fn plan_of(root: &Path, id: &str) -> Plan {
    let (content, diagnostics) = gongkai::content::load(root);
    let content = content.unwrap_or_else(|| panic!("{diagnostics:?}"));
    content
        .plans
        .iter()
        .find(|p| p.id.as_str() == id)
        .map(|p| (**p).clone())
        .unwrap_or_else(|| panic!("no plan {id}"))
}

fn ids(units: &[gongkai::source::Located<String>]) -> Vec<&str> {
    units.iter().map(|u| u.value.as_str()).collect()
}

#[test]
fn seed_001_reproduces_the_guangzhou_plan_field_by_field() {
    let site = site_without_plan();
    let report = run(&options(
        site.path(),
        vec![fixture("gz-2007-ip-demo-city.txt")],
    ))
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(report.written);
    assert_eq!(report.files.len(), 1, "no new units: every name is known");
    assert_eq!(report.files[0].path, Path::new(PLAN));

    let expected = plan_of(repo(), "gz-2007-ip-demo-city");
    let actual = plan_of(site.path(), "gz-2007-ip-demo-city");
    assert_eq!(actual.title, expected.title);
    assert_eq!(actual.period, expected.period);
    assert_eq!(actual.categories.len(), 11);
    assert_eq!(actual.tasks().count(), 54);
    for (a, e) in actual.categories.iter().zip(&expected.categories) {
        assert_eq!((&a.number, &a.name), (&e.number, &e.name));
        assert_eq!(
            a.tasks.len(),
            e.tasks.len(),
            "tasks of category {}",
            e.number
        );
    }
    for (a, e) in actual.tasks().zip(expected.tasks()) {
        let n = &e.number.value;
        assert_eq!(a.number.value, *n);
        assert_eq!(a.content, e.content, "工作内容 of task {n}");
        assert_eq!(ids(&a.lead), ids(&e.lead), "负责单位 of task {n}");
        assert_eq!(ids(&a.partners), ids(&e.partners), "参与单位 of task {n}");
        assert_eq!(a.deadline, e.deadline, "deadline of task {n}");
    }
    // Every guess names a line of the input.
    assert!(report.guesses.iter().all(|g| g.line >= 1 && g.line <= 323));
}

#[test]
fn dry_run_writes_nothing_and_is_deterministic() {
    let site = site_without_plan();
    let mut o = options(site.path(), vec![fixture("gz-2007-ip-demo-city.txt")]);
    o.dry_run = true;
    let first = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!first.written);
    assert!(!site.path().join(PLAN).exists());
    assert!(!first.guesses.is_empty());
    let second = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(first.files, second.files);
    assert_eq!(first.guesses, second.guesses);
}

#[test]
fn a_second_import_refuses_without_force() {
    let site = site_without_plan();
    let o = options(site.path(), vec![fixture("gz-2007-ip-demo-city.txt")]);
    run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    let path = site.path().join(PLAN);
    std::fs::write(&path, "title: edited by hand\ntasks: []\n").unwrap();
    match run(&o) {
        Err(ImportError::Usage(message)) => assert!(message.en().contains("already exists")),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "title: edited by hand\ntasks: []\n"
    );
    let forced = ImportOptions { force: true, ..o };
    run(&forced).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("number: 54")
    );
}

#[test]
fn gb18030_input_decodes_to_the_same_plan() {
    let site = site_without_plan();
    let utf8 = std::fs::read_to_string(fixture("gz-2007-ip-demo-city.txt")).unwrap();
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&utf8);
    assert!(!unmappable);
    let dir = tempfile::tempdir().unwrap();
    let gb = dir.path().join("gz-2007-ip-demo-city.txt");
    std::fs::write(&gb, &bytes).unwrap();
    let mut o = options(site.path(), vec![gb]);
    o.dry_run = true;
    let from_gb = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(from_gb.encodings[0].1, "gb18030");
    assert!(from_gb.guesses[0].what.en().contains("gb18030"));
    o.files = vec![fixture("gz-2007-ip-demo-city.txt")];
    let from_utf8 = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(from_gb.files, from_utf8.files);
}

const SMALL: &str = "\
2009年某市知识产权工作任务分解表
| 序号 | 工作任务 | 责任单位 | 配合单位 | 完成时限 |
|---|---|---|---|---|
| 1 | 制定知识产权战略 | 市知识产权局 | 市文化广电新闻出版局 | 2009年3月 |
";

#[test]
fn unknown_units_stop_the_import_or_become_new_units() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &site.path().join("content"));
    let input = site.path().join("small-plan.txt");
    std::fs::write(&input, SMALL).unwrap();
    let o = options(site.path(), vec![input]);
    match run(&o) {
        Err(ImportError::Input { problems, .. }) => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].line, 4);
            assert!(problems[0].what.en().contains("市文化广电新闻出版局"));
            assert!(
                problems[0].what.en().contains("closest known"),
                "{}",
                problems[0].what.en()
            );
        }
        other => panic!("expected the unknown unit, got {other:?}"),
    }
    assert!(
        !site
            .path()
            .join("content/progress/small-plan.yaml")
            .exists()
    );
    let report = run(&ImportOptions {
        new_units: true,
        ..o
    })
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(report.files.len(), 2);
    let unit = std::fs::read_to_string(site.path().join(&report.files[1].path)).unwrap();
    assert!(unit.starts_with("# 待审核"), "{unit}");
    let plan = plan_of(site.path(), "small-plan");
    let task = plan.tasks().next().unwrap();
    assert_eq!(
        ids(&task.partners),
        [report.files[1].path.file_stem().unwrap().to_str().unwrap()]
    );
}

#[test]
fn the_command_line_dry_run_prints_the_file_and_writes_nothing() {
    let site = site_without_plan();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["import", "--dry-run", "--kind", "plan", "--root"])
        .arg(site.path())
        .arg(fixture("gz-2007-ip-demo-city.txt"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("==> content/progress/gz-2007-ip-demo-city.yaml\n"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("gz-2007-ip-demo-city.txt:17: 推测："),
        "{stderr}"
    );
    assert!(!site.path().join(PLAN).exists());
}

/// 繁體 with conversion debris: the debris always goes; the headers and unit names are
/// read only once `--simplify` makes them simplified.
const TRADITIONAL: &str = "\
2009年某市知識產(chǎn)權工作任務分解表
| 序號 | 工作任務 | 責任單位 | 完成時限 |
|---|---|---|---|
| 1 | 制定知識產(chǎn)權戰略 | 市財政局 | 2009年3月 |
";

#[test]
fn traditional_text_needs_simplify_and_debris_always_goes() {
    let site = site_without_plan();
    let input = site.path().join("trad-plan.txt");
    std::fs::write(&input, TRADITIONAL).unwrap();
    let mut o = options(site.path(), vec![input]);
    o.dry_run = true;
    match run(&o) {
        Err(ImportError::Input { problems, .. }) => {
            assert!(
                problems[0]
                    .what
                    .en()
                    .contains("no task-decomposition table")
            )
        }
        other => panic!("traditional headers are not read without --simplify: {other:?}"),
    }
    o.simplify = true;
    let report = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    let yaml = &report.files[0].text;
    assert!(yaml.contains("content: 制定知识产权战略"), "{yaml}");
    assert!(
        yaml.contains("- gz-czj") || yaml.contains("- lyg-czj"),
        "{yaml}"
    );
    let debris = report
        .guesses
        .iter()
        .find(|g| g.what.en().contains("debris"))
        .unwrap();
    assert_eq!(debris.line, 1);
}

#[test]
fn a_site_failing_check_after_writing_says_why() {
    let site = site_without_plan();
    // A unit file broken beforehand: the import writes its plan, then check fails.
    std::fs::write(
        site.path().join("content/units/broken.yaml"),
        "kind: other\n",
    )
    .unwrap();
    match run(&options(
        site.path(),
        vec![fixture("gz-2007-ip-demo-city.txt")],
    )) {
        Err(ImportError::Check {
            report,
            diagnostics,
        }) => {
            assert!(report.written);
            assert!(diagnostics.has_errors());
            assert!(site.path().join(PLAN).exists());
        }
        other => panic!("expected the check to fail, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Notices (seed 000: 连云港, a pipe metadata table, 繁體 with debris; seed 004: 金台区, no
// table, a 领导小组 with 12 members and their 职责分工).

const LYG: &str = "content/notices/2014/lyg-ip-joint-conference-rules.md";
const JT: &str = "content/notices/2022/jt-ip-leading-group.md";
const JT_BODY: &str = "content/bodies/jt-ip-leading-group.yaml";

/// A copy of the example site without `files` (the notice, or notice and body, a seed
/// is); `prefix` gives 区政府办公室 the `index_prefix:` its 索引号 uses (seed 004 has none).
fn site_without(files: &[&str], prefix: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    for f in files {
        std::fs::remove_file(dir.path().join(f)).unwrap();
    }
    if prefix {
        let unit = dir.path().join("content/units/jt-gov-office.yaml");
        let mut text = std::fs::read_to_string(&unit).unwrap();
        text.push_str("index_prefix: 11610303016031240Y\n");
        std::fs::write(&unit, text).unwrap();
    }
    dir
}

fn notice_of(root: &Path, path: &str) -> gongkai::content::notice::Notice {
    let (content, diagnostics) = gongkai::content::load(root);
    let content = content.unwrap_or_else(|| panic!("{diagnostics:?}"));
    content
        .notices
        .iter()
        .find(|n| n.file.path == Path::new(path))
        .map(|n| (**n).clone())
        .unwrap_or_else(|| panic!("no notice {path}"))
}

/// The body's paragraphs, normalised: split at blank lines, each trimmed, empty ones
/// dropped (so only line-ending and blank-line differences are forgiven).
fn paragraphs(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let body = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
        .map(|(_, b)| b.to_string())
        .unwrap_or_else(|| panic!("no front matter in {}", file.display()));
    body.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn notice_options(root: &Path, files: Vec<PathBuf>, kind: ImportKind) -> ImportOptions {
    ImportOptions {
        kind,
        ..ImportOptions::new(root, files)
    }
}

#[test]
fn seed_000_with_simplify_reproduces_the_lyg_notice() {
    let site = site_without(&[LYG], false);
    let mut o = notice_options(
        site.path(),
        vec![fixture("lyg-ip-joint-conference-rules.txt")],
        ImportKind::Notice,
    );
    o.simplify = true;
    let report = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(report.written, "and the site passes check");
    assert_eq!(report.files.len(), 1);
    assert_eq!(report.files[0].path, Path::new(LYG));
    let expected = notice_of(repo(), LYG);
    let actual = notice_of(site.path(), LYG);
    // Every field of the metadata block (主题词 and 文件下载 are empty in the seed).
    assert_eq!(actual.index_no.value, expected.index_no.value);
    assert_eq!(actual.title, expected.title);
    let ids = |n: &gongkai::content::notice::Notice| -> Vec<String> {
        n.issuers.iter().map(|i| i.value.clone()).collect()
    };
    assert_eq!(ids(&actual), ids(&expected));
    assert_eq!(actual.date, expected.date);
    assert_eq!(actual.doc_no, expected.doc_no);
    assert_eq!(actual.summary, expected.summary);
    assert_eq!(actual.validity, expected.validity);
    assert_eq!(actual.genre, expected.genre);
    assert!(actual.keywords.is_empty());
    // The body, paragraph by paragraph.
    let (a, e) = (
        paragraphs(&site.path().join(LYG)),
        paragraphs(&repo().join(LYG)),
    );
    for (i, (a, e)) in a.iter().zip(&e).enumerate() {
        assert_eq!(a, e, "paragraph {i}");
    }
    assert_eq!(a.len(), e.len());
    let debris = report
        .guesses
        .iter()
        .find(|g| g.what.en().contains("debris"));
    assert!(debris.is_some_and(|g| g.line == 2));
}

#[test]
fn seed_000_without_simplify_keeps_traditional_but_loses_the_debris() {
    let site = site_without(&[LYG], false);
    let mut o = notice_options(
        site.path(),
        vec![fixture("lyg-ip-joint-conference-rules.txt")],
        ImportKind::Notice,
    );
    o.dry_run = true;
    match run(&o) {
        Err(ImportError::Input { problems, guesses }) => {
            assert!(
                problems[0].what.en().contains("連云港市人民政府"),
                "{problems:?}"
            );
            assert!(guesses.iter().any(|g| g.what.en().contains("debris")));
        }
        other => panic!("the 繁體 issuer is no unit without --simplify: {other:?}"),
    }
    o.new_units = true;
    let report = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    let text = &report.files[0].text;
    assert!(
        text.contains("title: 市政府辦公室關于印發連云港市知識產權聯席會議工作制度的通知"),
        "{text}"
    );
    assert!(!text.contains("(fā)") && !text.contains("(chǎn)"), "{text}");
}

#[test]
fn seed_004_kind_auto_gives_the_notice_and_the_body_with_12_members() {
    let site = site_without(&[JT, JT_BODY], true);
    let o = notice_options(
        site.path(),
        vec![fixture("jt-ip-leading-group.txt")],
        ImportKind::Auto,
    );
    let report = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(report.written, "and the site passes check");
    let paths: Vec<&Path> = report.files.iter().map(|f| f.path.as_path()).collect();
    assert_eq!(paths, [Path::new(JT), Path::new(JT_BODY)]);

    let expected = notice_of(repo(), JT);
    let actual = notice_of(site.path(), JT);
    assert_eq!(actual.title, expected.title);
    assert_eq!(actual.issuers[0].value, "jt-gov-office");
    assert_eq!(actual.doc_no, expected.doc_no);
    assert_eq!(actual.date, expected.date);
    assert_eq!(actual.genre, expected.genre);
    // No 索引号 in the text: the issuer's next free one, shown as a guess.
    assert_eq!(
        actual.index_no.value.as_str(),
        "11610303016031240Y/2022-00001"
    );
    assert!(
        report
            .guesses
            .iter()
            .any(|g| g.what.en().contains("索引号 11610303016031240Y/2022-00001"))
    );
    assert_eq!(
        paragraphs(&site.path().join(JT)),
        paragraphs(&repo().join(JT))
    );
    // Guesses with their lines: the title (7), the 落款 (65), the date (67), the joined
    // page breaks (33, 49).
    for line in [7, 33, 49, 65, 67] {
        assert!(
            report.guesses.iter().any(|g| g.line == line),
            "no guess at {line}"
        );
    }

    let body_of = |root: &Path| {
        let (content, d) = gongkai::content::load(root);
        let content = content.unwrap_or_else(|| panic!("{d:?}"));
        content
            .bodies
            .iter()
            .find(|b| b.id.as_str() == "jt-ip-leading-group")
            .map(|b| (**b).clone())
            .unwrap()
    };
    let (a, e) = (body_of(site.path()), body_of(repo()));
    assert_eq!(a.name, e.name);
    assert_eq!(a.kind, e.kind);
    assert_eq!(
        a.established_by.as_ref().map(|i| i.value.as_str()),
        Some(actual.index_no.value.as_str())
    );
    let office = |b: &gongkai::content::body::Body| {
        b.office
            .as_ref()
            .map(|o| (o.unit.value.clone(), o.note.clone()))
    };
    assert_eq!(office(&a), office(&e));
    let leaders = |b: &gongkai::content::body::Body| -> Vec<(String, String, Option<String>)> {
        b.leaders
            .iter()
            .map(|l| {
                (
                    l.role.clone(),
                    l.title.clone(),
                    l.unit.as_ref().map(|u| u.value.clone()),
                )
            })
            .collect()
    };
    assert_eq!(leaders(&a), leaders(&e));
    assert_eq!(a.members.len(), 12);
    assert_eq!(e.members.len(), 12);
    for (am, em) in a.members.iter().zip(&e.members) {
        assert_eq!(am.unit.value, em.unit.value);
        let trim = |d: &Option<String>| d.as_deref().map(str::trim).map(str::to_string);
        assert_eq!(
            trim(&am.duties),
            trim(&em.duties),
            "duties of {}",
            em.unit.value
        );
    }
    assert_eq!(
        a.rules.as_deref().map(str::trim),
        e.rules.as_deref().map(str::trim)
    );
    let body_text = std::fs::read_to_string(site.path().join(JT_BODY)).unwrap();
    assert!(body_text.starts_with("# 待审核"), "{body_text}");
}

#[test]
fn seed_004_as_a_notice_only_and_without_an_index_prefix() {
    // --kind notice: no body proposed.
    let site = site_without(&[JT, JT_BODY], true);
    let mut o = notice_options(
        site.path(),
        vec![fixture("jt-ip-leading-group.txt")],
        ImportKind::Notice,
    );
    o.dry_run = true;
    let report = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(report.files.len(), 1);
    // Without an index_prefix (and no notice of the issuer), nothing can number it.
    let bare = site_without(&[JT, JT_BODY], false);
    o.root = bare.path().to_path_buf();
    o.dry_run = false;
    match run(&o) {
        Err(ImportError::Input { problems, .. }) => {
            assert!(
                problems[0].what.en().contains("no 索引号 in the text"),
                "{problems:?}"
            );
            assert!(problems[0].what.en().contains("index_prefix"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!bare.path().join(JT).exists());
}

/// `label：value` lines instead of a table, letter-spaced labels, two on a line.
const LABEL_LINES: &str = "\
索 引 号：k12498411/2014-00099    发布机构：连云港市人民政府办公室
发文日期：2014年6月1日
标    题：关于开展知识产权宣传周活动的通知
文    号：连政办发〔2014〕80号
主 题 词：知识产权、宣传
内容概述：部署宣传周活动。
时    效：有效
关于开展知识产权宣传周活动的通知
各县、区人民政府，市各有关单位：
现将有关事项通知如下。
附件：1.活动安排
2.联系人名单
| 序号 | 活动 | 时间 |
|---|---|---|
| 1 | 启动仪式 | 4月20日 |
连云港市人民政府办公室
2014年6月1日
";

#[test]
fn label_value_lines_attachments_and_a_table() {
    let site = site_without(&[], false);
    let input = site.path().join("lyg-ip-week.txt");
    std::fs::write(&input, LABEL_LINES).unwrap();
    let o = notice_options(site.path(), vec![input], ImportKind::Auto);
    let report = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    let path = "content/notices/2014/lyg-ip-week.md";
    assert_eq!(report.files[0].path, Path::new(path));
    let n = notice_of(site.path(), path);
    assert_eq!(n.index_no.value.as_str(), "k12498411/2014-00099");
    assert_eq!(n.issuers[0].value, "lyg-gov-office");
    assert_eq!(n.title, "关于开展知识产权宣传周活动的通知");
    assert_eq!(n.doc_no.as_deref(), Some("连政办发〔2014〕80号"));
    assert_eq!(n.date.to_string(), "2014-06-01");
    assert_eq!(n.keywords, ["知识产权", "宣传"]);
    assert_eq!(n.summary.as_deref(), Some("部署宣传周活动。"));
    assert_eq!(
        paragraphs(&site.path().join(path)),
        [
            "各县、区人民政府，市各有关单位：",
            "现将有关事项通知如下。",
            "附件：",
            "1. 活动安排\n2. 联系人名单",
            "| 序号 | 活动 | 时间 |\n|---|---|---|\n| 1 | 启动仪式 | 4月20日 |",
            "连云港市人民政府办公室\\\n2014年6月1日",
        ]
    );
}

/// No table, no labels: every field is a guess with its line.
const NO_TABLE: &str = "\
关于做好2015年专利申请资助工作的通知

连政办发〔2015〕3号

各县、区人民政府：

一、资助范围

（一）资助对象

本市企业。

连云港市人民政府

二○一五年三月二日
";

#[test]
fn a_notice_without_a_table_is_guessed_line_by_line() {
    let site = site_without(&[], false);
    let input = site.path().join("lyg-patent-2015.txt");
    std::fs::write(&input, NO_TABLE).unwrap();
    let mut o = notice_options(site.path(), vec![input.clone()], ImportKind::Notice);
    o.dry_run = true;
    let first = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!first.written);
    assert!(!site.path().join("content/notices/2015").exists());
    let at = |line: usize, word: &str| {
        first
            .guesses
            .iter()
            .any(|g| g.line == line && g.what.en().contains(word))
    };
    assert!(at(1, "title"));
    assert!(at(3, "文号"));
    assert!(at(13, "发布机构"));
    assert!(at(15, "发文日期 2015-03-02"));
    assert!(at(13, "索引号 k12498411/2015-00001"));
    let text = &first.files[0].text;
    assert!(text.contains("doc_no: 连政办发〔2015〕3号"), "{text}");
    assert!(
        text.contains("---\n各县、区人民政府：\n\n## 一、资助范围"),
        "the 文号 line is not the body's: {text}"
    );
    assert!(at(3, "left out of the body"));
    assert!(
        text.contains("## 一、资助范围\n\n### （一）资助对象\n\n本市企业。"),
        "{text}"
    );
    assert!(
        text.ends_with("连云港市人民政府\\\n二○一五年三月二日\n"),
        "{text}"
    );
    // Deterministic, and the written file passes check.
    let second = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(first.files, second.files);
    assert_eq!(first.guesses, second.guesses);
    o.dry_run = false;
    let written = run(&o).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(written.written);
    // A second import refuses to overwrite.
    match run(&o) {
        Err(ImportError::Usage(m)) => assert!(m.en().contains("already exists")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_command_line_dry_run_of_seed_004_shows_both_files_and_the_guesses() {
    let site = site_without(&[JT, JT_BODY], true);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["import", "--dry-run", "--root"])
        .arg(site.path())
        .arg(fixture("jt-ip-leading-group.txt"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with(&format!("==> {JT}\n---\n")), "{stdout}");
    assert!(
        stdout.contains(&format!("\n==> {JT_BODY}\n# 待审核")),
        "{stdout}"
    );
    assert!(
        stderr.contains("jt-ip-leading-group.txt:67: 推测：发文日期 2022-09-22"),
        "{stderr}"
    );
    // In line order.
    let lines: Vec<usize> = stderr
        .lines()
        .filter_map(|l| l.split(':').nth(1)?.parse().ok())
        .collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
    assert!(!site.path().join(JT).exists() && !site.path().join(JT_BODY).exists());
}

#[test]
fn an_unknown_member_unit_stops_the_body_or_becomes_a_new_unit() {
    let site = site_without(&[JT, JT_BODY], true);
    let seed = std::fs::read_to_string(fixture("jt-ip-leading-group.txt")).unwrap();
    let input = site.path().join("jt-ip-leading-group.txt");
    std::fs::write(&input, seed.replace("区林业局:", "区林草中心:")).unwrap();
    let o = notice_options(site.path(), vec![input], ImportKind::Auto);
    match run(&o) {
        Err(ImportError::Input { problems, .. }) => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0].what.en().contains("区林草中心"));
            assert_eq!(problems[0].line, 51);
        }
        other => panic!("{other:?}"),
    }
    assert!(!site.path().join(JT).exists());
    let report = run(&ImportOptions {
        new_units: true,
        ..o
    })
    .unwrap_or_else(|e| panic!("{e:?}"));
    let paths: Vec<String> = report
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    assert_eq!(paths, [JT, JT_BODY, "content/units/import-1.yaml"]);
    assert!(report.files[1].text.contains("- unit: import-1\n"));
}

#[test]
fn a_taken_index_no_stops_the_import_before_writing() {
    let site = site_without(&[], false);
    let input = site.path().join("lyg-copy.txt");
    std::fs::copy(fixture("lyg-ip-joint-conference-rules.txt"), &input).unwrap();
    let mut o = notice_options(site.path(), vec![input], ImportKind::Notice);
    o.simplify = true;
    match run(&o) {
        Err(ImportError::Input { problems, .. }) => {
            assert_eq!(problems[0].line, 1);
            assert!(
                problems[0]
                    .what
                    .en()
                    .contains(&format!("is taken by {LYG}")),
                "{problems:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        !site
            .path()
            .join("content/notices/2014/lyg-copy.md")
            .exists()
    );
}

// ---------------------------------------------------------------------------------------
// .docx: written here with the zip crate (no binary fixture to keep in step)

/// A `.docx` whose `word/document.xml` body is `body`.
fn docx(body: &str) -> Vec<u8> {
    use std::io::Write;
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// A cell: `props` in `w:tcPr`, a paragraph per `\n` of `text`.
fn cell(props: &str, text: &str) -> String {
    let paragraphs: String = text.split('\n').map(para).collect();
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>")
}

fn row(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

const RESTART: &str = r#"<w:vMerge w:val="restart"/>"#;
const CONTINUE: &str = "<w:vMerge/>";

/// The Guangzhou task table in small, as Word holds it: a two-row header (负责单位
/// spanning 牵头单位 and 参与单位 by `w:gridSpan`), 类号 and 项目分类 merged down over
/// their tasks by `w:vMerge`, 工作内容 in two paragraphs.
fn small_plan_docx() -> Vec<u8> {
    let header1 = row(&[
        cell(RESTART, "类号"),
        cell(RESTART, "项目分类"),
        cell(RESTART, "序号"),
        cell(RESTART, "工 作 内 容"),
        cell(r#"<w:gridSpan w:val="2"/>"#, "负责单位"),
        cell(RESTART, "完成时限"),
    ]);
    let header2 = row(&[
        cell(CONTINUE, ""),
        cell(CONTINUE, ""),
        cell(CONTINUE, ""),
        cell(CONTINUE, ""),
        cell("", "牵头单位"),
        cell("", "参与单位"),
        cell(CONTINUE, ""),
    ]);
    let task1 = row(&[
        cell(RESTART, "一"),
        cell(RESTART, "建立健全知识产权\n管理、协调体系"),
        cell("", "1"),
        cell("", "研究制定《广州市知识产权\n战略纲要》。"),
        cell("", "市知识产权局"),
        cell("", "各有关单位"),
        cell("", "2008年3月"),
    ]);
    let task2 = row(&[
        cell(CONTINUE, ""),
        cell(CONTINUE, ""),
        cell("", "2"),
        cell("", "完善知识产权联络员制度。"),
        cell("", "市知识产权局"),
        cell("", ""),
        cell("", "常设"),
    ]);
    let task3 = row(&[
        cell("", "二"),
        cell("", "加大政策、资金的引导扶持力度"),
        cell("", "3"),
        cell("", "设立知识产权专项资金。"),
        cell("", "广州市财政局"),
        cell("", "市知识产权局"),
        cell("", "2008年底"),
    ]);
    docx(&format!(
        "{}{}{}<w:tbl>{header1}{header2}{task1}{task2}{task3}</w:tbl>{}",
        para("广州市人民政府办公厅印发工作分解方案的通知"),
        para("附件："),
        para("2008年广州市知识产权工作分解表"),
        para("")
    ))
}

#[test]
fn a_docx_task_table_imports_as_a_plan() {
    let site = site_without_plan();
    let input = site.path().join("gz-2008-small.docx");
    std::fs::write(&input, small_plan_docx()).unwrap();
    let report = run(&options(site.path(), vec![input])).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(report.written);
    assert_eq!(report.files.len(), 1, "every unit is known");
    assert_eq!(report.encodings[0].1, "UTF-8");
    let plan = plan_of(site.path(), "gz-2008-small");
    assert_eq!(plan.title, "2008年广州市知识产权工作分解表");
    let categories: Vec<(&str, &str, usize)> = plan
        .categories
        .iter()
        .map(|c| (c.number.as_str(), c.name.as_str(), c.tasks.len()))
        .collect();
    assert_eq!(
        categories,
        [
            ("一", "建立健全知识产权管理、协调体系", 2),
            ("二", "加大政策、资金的引导扶持力度", 1)
        ]
    );
    let tasks: Vec<_> = plan.tasks().collect();
    assert_eq!(tasks[0].content, "研究制定《广州市知识产权战略纲要》。");
    assert_eq!(ids(&tasks[0].lead), ["gz-zscqj"]);
    assert_eq!(ids(&tasks[0].partners), ["gz-all-relevant"]);
    assert_eq!(ids(&tasks[1].lead), ["gz-zscqj"]);
    assert!(tasks[1].partners.is_empty());
    assert_eq!(ids(&tasks[2].lead), ["gz-czj"]);
    assert_eq!(ids(&tasks[2].partners), ["gz-zscqj"]);
    let yaml = &report.files[0].text;
    assert!(yaml.contains("2008-03"), "{yaml}");
    assert!(yaml.contains("常设"), "{yaml}");
    // Lines are paragraphs and table rows: the title is paragraph 3, the header rows 4
    // and 5, the tasks 6–8; every guess points inside the document.
    let title = report
        .guesses
        .iter()
        .find(|g| g.what.en().contains("title"))
        .unwrap_or_else(|| panic!("{:?}", report.guesses));
    assert_eq!(title.line, 3);
    assert!(report.guesses.iter().all(|g| (1..=9).contains(&g.line)));
}

/// `bytes` with the uncompressed size of every entry named `name` rewritten, in its
/// local header and its central directory entry.
fn declare_size(bytes: &[u8], name: &str, size: u32) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i + 30 <= out.len() {
        let (size_at, len_at, name_at) = match &out[i..i + 4] {
            [0x50, 0x4b, 0x03, 0x04] => (22, 26, 30),
            [0x50, 0x4b, 0x01, 0x02] => (24, 28, 46),
            _ => {
                i += 1;
                continue;
            }
        };
        let len = u16::from_le_bytes([out[i + len_at], out[i + len_at + 1]]) as usize;
        if out.get(i + name_at..i + name_at + len) == Some(name.as_bytes()) {
            out[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
        }
        i += 4;
    }
    out
}

fn usage_error(site: &Path, input: PathBuf) -> String {
    match run(&options(site, vec![input])) {
        Err(ImportError::Usage(m)) => {
            assert!(!m.zh().is_empty());
            m.en().to_string()
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_docx_that_is_not_one_a_zip_bomb_and_a_doc_are_refused_by_name() {
    let site = site_without_plan();
    let dir = site.path();

    let not_zip = dir.join("plain.docx");
    std::fs::write(&not_zip, "序号 工作内容 负责单位").unwrap();
    let m = usage_error(dir, not_zip);
    assert!(
        m.contains("plain.docx") && m.contains("not a zip archive"),
        "{m}"
    );

    let bomb = dir.join("bomb.docx");
    let bytes = declare_size(&small_plan_docx(), "word/document.xml", 0xFFFF_FFF0);
    std::fs::write(&bomb, bytes).unwrap();
    let m = usage_error(dir, bomb);
    assert!(m.contains("bomb.docx") && m.contains("zip bomb"), "{m}");
    assert!(m.contains("4294967280 bytes"), "{m}");

    let doc = dir.join("old.doc");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(512, 0);
    std::fs::write(&doc, &ole).unwrap();
    let m = usage_error(dir, doc);
    assert!(
        m.contains("old.doc") && m.contains("save it as .docx"),
        "{m}"
    );
    // The same bytes named .docx are still a binary Word file.
    let renamed = dir.join("renamed.docx");
    std::fs::write(&renamed, &ole).unwrap();
    assert!(usage_error(dir, renamed).contains("save it as .docx"));

    assert!(!dir.join("content/progress/bomb.yaml").exists());
}
