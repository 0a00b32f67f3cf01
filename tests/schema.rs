//! The JSON Schemas of `gongkai schema`: the committed ones are what the binary writes,
//! every file of the example site is valid against them, and every broken fixture of
//! tests/fixtures/schema/ is refused both by its schema and by `gongkai check`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use gongkai::schema::Kind;
use gongkai::source::SourceFile;
use serde_json::Value;
use strum::VariantArray;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validator(kind: Kind) -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&kind.schema())
        .unwrap_or_else(|e| panic!("{kind:?}: the schema does not compile: {e}"))
}

/// The YAML a schema applies to, read the way a validator in an editor reads it: the
/// whole file, or the front matter of a Markdown file; as a JSON value.
fn instance(kind: Kind, path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = SourceFile::new(path.to_path_buf(), text);
    let yaml = if kind.is_front_matter() {
        match file.front_matter() {
            Ok(front) => front.yaml,
            Err(e) => panic!("{e}"),
        }
    } else {
        file.text.clone()
    };
    let value: Value = serde_saphyr::from_str(&yaml)
        .unwrap_or_else(|e| panic!("{}: not YAML: {e}", path.display()));
    // An empty front matter is null; the loader reads it as a map without fields.
    if value.is_null() {
        Value::Object(Default::default())
    } else {
        value
    }
}

fn schema_errors(kind: Kind, path: &Path) -> Vec<String> {
    let instance = instance(kind, path);
    validator(kind)
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn committed_schemas_are_up_to_date() {
    let dir = repo().join(gongkai::schema::DEFAULT_DIR);
    for &kind in Kind::VARIANTS {
        let path = dir.join(kind.file_name());
        let committed = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == kind.schema_text(),
            "{} is not what `gongkai schema` writes: run `cargo run -- schema` and commit it",
            path.display()
        );
    }
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("schemas/")
        .filter_map(|e| e.ok())
        // schemas/open-data/ holds the hand-written schemas of the built open data.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| Some(e.file_name().to_str()?.to_string()))
        .collect();
    names.sort();
    let mut expected: Vec<String> = Kind::VARIANTS
        .iter()
        .map(|k| k.file_name().into())
        .collect();
    expected.sort();
    assert_eq!(names, expected, "schemas/ holds exactly one file per kind");
}

#[test]
fn the_command_writes_one_file_per_kind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("s");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["schema", "--out"])
        .arg(&out)
        .output()
        .expect("run gongkai");
    assert!(output.status.success(), "{output:?}");
    let printed = String::from_utf8_lossy(&output.stdout);
    for &kind in Kind::VARIANTS {
        let path = out.join(kind.file_name());
        assert!(printed.contains(&path.display().to_string()), "{printed}");
        let written = fs::read_to_string(&path).expect("written schema");
        let value: Value = serde_json::from_str(&written).expect("JSON");
        assert_eq!(
            value["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(value["additionalProperties"], false);
    }
}

#[test]
fn every_example_site_file_is_valid() {
    let content = repo().join("content");
    let mut checked = 0;
    for &kind in Kind::VARIANTS {
        let (folder, ext, recursive) = match kind {
            Kind::Site => {
                let errors = schema_errors(kind, &content.join("site.yaml"));
                assert!(errors.is_empty(), "content/site.yaml: {errors:#?}");
                checked += 1;
                continue;
            }
            Kind::Notice => ("notices", "md", true),
            Kind::Unit => ("units", "yaml", false),
            Kind::Body => ("bodies", "yaml", false),
            Kind::Plan => ("progress", "yaml", false),
            Kind::News => ("news", "md", true),
            Kind::Page => ("pages", "md", true),
            Kind::Application => ("applications", "yaml", false),
            Kind::Report => ("reports", "yaml", false),
        };
        let mut walker = walkdir::WalkDir::new(content.join(folder));
        if !recursive {
            walker = walker.max_depth(1);
        }
        let mut of_kind = 0;
        for entry in walker.into_iter().filter_map(Result::ok) {
            let path = entry.path();
            if !entry.file_type().is_file()
                || path.extension().and_then(|e| e.to_str()) != Some(ext)
            {
                continue;
            }
            let errors = schema_errors(kind, path);
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            of_kind += 1;
        }
        assert!(of_kind > 0, "the example site has no {kind:?} file");
        checked += of_kind;
    }
    assert!(checked > 50, "only {checked} files checked");
}

/// Which kind a fixture is (its name starts with it) and where it goes in a site.
fn placement(name: &str) -> (Kind, String) {
    let (prefix, _) = name.split_once('-').expect("kind-what.ext");
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    match prefix {
        "site" => (Kind::Site, "content/site.yaml".into()),
        "notice" => (Kind::Notice, "content/notices/2024/fixture.md".into()),
        "unit" => (Kind::Unit, "content/units/fixture.yaml".into()),
        "body" => (Kind::Body, "content/bodies/fixture.yaml".into()),
        "plan" => (Kind::Plan, "content/progress/fixture.yaml".into()),
        "news" => (Kind::News, format!("content/news/fixture.{ext}")),
        "page" => (Kind::Page, format!("content/pages/fixture.{ext}")),
        "application" => (
            Kind::Application,
            "content/applications/fixture.yaml".into(),
        ),
        "report" => (Kind::Report, "content/reports/2024.yaml".into()),
        other => panic!("fixture {name}: unknown kind {other}"),
    }
}

#[test]
fn broken_fixtures_fail_the_schema_and_check_and_good_ones_pass_both() {
    let dir = repo().join("tests/fixtures/schema");
    let mut fixtures: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    fixtures.sort();
    let mut broken_per_kind = std::collections::BTreeMap::<&str, usize>::new();
    for path in &fixtures {
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        let (kind, place) = placement(name);
        let ok = name.contains("-ok.");
        let errors = schema_errors(kind, path);
        let site = common::TestSite::new();
        site.write(&place, &fs::read_to_string(path).expect("fixture text"));
        let (code, stderr) = site.check_command();
        if ok {
            assert!(errors.is_empty(), "{name} should be valid: {errors:#?}");
            assert_eq!(
                code,
                Some(0),
                "{name}: gongkai check should pass:\n{stderr}"
            );
        } else {
            assert!(!errors.is_empty(), "{name}: the schema accepts it");
            assert_eq!(code, Some(1), "{name}: gongkai check accepts it:\n{stderr}");
            assert!(
                stderr.contains(&place),
                "{name}: the error names another file:\n{stderr}"
            );
            *broken_per_kind
                .entry(name.split('-').next().unwrap_or(""))
                .or_default() += 1;
        }
    }
    // Unknown field, wrong type and missing required field for every kind; wrong enum
    // value where the kind has an enum.
    for (kind, least) in [
        ("site", 3),
        ("notice", 4),
        ("unit", 4),
        ("body", 4),
        ("plan", 4),
        ("news", 3),
        ("page", 3),
        ("application", 4),
        ("report", 3),
    ] {
        let found = broken_per_kind.get(kind).copied().unwrap_or(0);
        assert!(found >= least, "{kind}: only {found} broken fixtures");
    }
}

#[test]
fn a_date_that_is_not_in_the_calendar_fails_the_schema_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("n.md");
    fs::write(
        &path,
        "---\nindex_no: K1/2024-00001\ntitle: 通知\nissuer: lyg-gov\ndate: 2009-02-30\n---\n",
    )
    .expect("write");
    assert!(!schema_errors(Kind::Notice, &path).is_empty());
}
