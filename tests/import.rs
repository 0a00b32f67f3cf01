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
fn notices_are_not_supported_yet_and_say_so() {
    let site = site_without_plan();
    let o = ImportOptions::new(
        site.path(),
        vec![PathBuf::from("/work/does-not-matter.docx")],
    );
    match run(&o) {
        Err(ImportError::Usage(m)) => assert!(m.en().contains("not supported yet")),
        other => panic!("{other:?}"),
    }
    let notice = ImportOptions {
        kind: ImportKind::Notice,
        ..ImportOptions::new(site.path(), vec![fixture("gz-2007-ip-demo-city.txt")])
    };
    match run(&notice) {
        Err(ImportError::Usage(m)) => assert!(m.en().contains("not supported yet")),
        other => panic!("{other:?}"),
    }
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
