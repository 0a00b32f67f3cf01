//! The CI recipes of docs/ci/ (GitHub Actions and GitLab CI for a publisher's content
//! repository) are run here, not only read: the `run:` of the GitHub steps named
//! `gongkai check` and `gongkai build`, and the `script:` of the GitLab jobs `check` and
//! `build`, go through `sh -e -c` in a copy of the example site laid out as a publisher's
//! repository (its `content/` and `themes/`), with `gongkai` on PATH being the binary
//! under test. Installing and publishing are not run (they need the network and secrets);
//! the structure they rely on is checked (schedule, `pages` job, artifacts).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const GITHUB: &str = "docs/ci/github-actions.yml";
const GITLAB: &str = "docs/ci/gitlab-ci.yml";

/// An as-of date other than the example site's own (`as_of: 2024-12-31` in site.yaml),
/// at which its site looks different (validity, plan deadlines).
const LATER: &str = "2099-01-01";

fn repo_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// A recipe, parsed as the CI service would (YAML → JSON values).
fn recipe(relative: &str) -> Value {
    let text = fs::read_to_string(repo_file(relative)).expect("read recipe");
    serde_saphyr::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Every step of every job of the GitHub workflow, with its job's id.
fn github_steps(workflow: &Value) -> Vec<(String, &Value)> {
    let jobs = workflow["jobs"].as_object().expect("jobs");
    jobs.iter()
        .flat_map(|(id, job)| {
            job["steps"]
                .as_array()
                .map(|steps| steps.iter().map(|s| (id.clone(), s)).collect::<Vec<_>>())
                .unwrap_or_default()
        })
        .collect()
}

/// The one GitHub step named `name` (the marker the tests find it by), with its job.
fn github_step<'a>(workflow: &'a Value, name: &str) -> (String, &'a Value) {
    let found: Vec<_> = github_steps(workflow)
        .into_iter()
        .filter(|(_, step)| step["name"] == name)
        .collect();
    assert_eq!(found.len(), 1, "{GITHUB}: one step named `{name}`");
    found.into_iter().next().expect("one")
}

/// The shell script of a marked GitHub step: its `run:`, which must be plain sh.
fn github_script(workflow: &Value, name: &str) -> String {
    let (_, step) = github_step(workflow, name);
    assert_eq!(
        step["shell"], "sh",
        "{GITHUB}: `{name}` runs with `shell: sh`"
    );
    assert!(step.get("env").is_none(), "{GITHUB}: `{name}` has no env");
    let run = step["run"].as_str().expect("run:").to_owned();
    assert!(
        !run.contains("${{"),
        "{GITHUB}: `{name}` must not use ${{{{ }}}} expressions"
    );
    run
}

/// The `script:` of a GitLab job, its lines joined as the runner runs them.
fn gitlab_script(pipeline: &Value, job: &str) -> String {
    let lines = pipeline[job]["script"]
        .as_array()
        .unwrap_or_else(|| panic!("{GITLAB}: job `{job}` has a script: list"));
    assert!(!lines.is_empty());
    let lines: Vec<&str> = lines.iter().map(|l| l.as_str().expect("a line")).collect();
    let script = lines.join("\n");
    assert!(!script.contains("${{"));
    script
}

/// A publisher's repository: the example site's `content/` and `themes/`, nothing else
/// of gongkai's source; and a folder with `gongkai` (the binary under test) for PATH.
struct Publisher {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

impl Publisher {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = dir.path().join("repo");
        for folder in ["content", "themes"] {
            let from = repo_file(folder);
            if from.is_dir() {
                copy_tree(&from, &repo.join(folder));
            }
        }
        let bin = dir.path().join("bin");
        fs::create_dir_all(&bin).expect("mkdir bin");
        link(
            Path::new(env!("CARGO_BIN_EXE_gongkai")),
            &bin.join("gongkai"),
        );
        Self { dir, bin }
    }

    fn repo(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    /// Runs `script` with `sh -e -c` in the repository, as a CI runner would: `CI` set,
    /// `gongkai` first on PATH, no as-of date from the environment unless `env` gives one.
    fn run(&self, script: &str, env: &[(&str, &str)]) -> Output {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut paths = vec![self.bin.clone()];
        paths.extend(std::env::split_paths(&path));
        let mut command = Command::new("sh");
        command
            .arg("-e")
            .arg("-c")
            .arg(script)
            .current_dir(self.repo())
            .env("PATH", std::env::join_paths(paths).expect("PATH"))
            .env("CI", "true")
            .env_remove("GONGKAI_AS_OF")
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        command.envs(env.iter().copied());
        command.output().expect("run sh")
    }

    /// Gives one notice an issuer that no file in content/units defines.
    fn break_content(&self) {
        let notice = self
            .repo()
            .join("content/notices/2014/lyg-ip-liaison-rules.md");
        let text = fs::read_to_string(&notice).expect("read notice");
        assert!(text.contains("\nissuer: lyg-kjj\n"), "the notice to break");
        fs::write(
            &notice,
            text.replace("\nissuer: lyg-kjj\n", "\nissuer: lyg-no-such-unit\n"),
        )
        .expect("write notice");
    }

    /// The check report the step wrote.
    fn report(&self) -> Value {
        let path = self.repo().join("gongkai-check.json");
        let text = fs::read_to_string(&path).expect("the check step writes gongkai-check.json");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
    }
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) {
    std::os::unix::fs::symlink(target, at).expect("symlink gongkai");
}

#[cfg(not(unix))]
fn link(target: &Path, at: &Path) {
    fs::copy(target, at).expect("copy gongkai");
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).expect("inside").to_path_buf();
            (relative, fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The files in which two trees differ (missing on one side, or other bytes).
fn differences(a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<PathBuf> {
    let paths: std::collections::BTreeSet<&PathBuf> = a.keys().chain(b.keys()).collect();
    paths
        .into_iter()
        .filter(|path| a.get(*path) != b.get(*path))
        .cloned()
        .collect()
}

fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn assert_clean_report(report: &Value) {
    assert_eq!(report["version"], 1, "{report}");
    assert_eq!(report["summary"]["errors"], 0, "{report}");
    assert_eq!(report["summary"]["exit_code"], 0, "{report}");
    assert!(report["summary"]["checked"]["notices"].as_u64() > Some(0));
}

fn assert_unknown_unit(report: &Value) {
    assert_eq!(report["summary"]["exit_code"], 1, "{report}");
    assert!(report["summary"]["errors"].as_u64() >= Some(1), "{report}");
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diagnostics.iter().any(|d| d["code"] == "unknown-unit"
            && d["file"] == "content/notices/2014/lyg-ip-liaison-rules.md"),
        "the report lists unknown-unit in the broken notice: {report}"
    );
}

/// A built site as gongkai itself builds it for `as_of`, for comparison.
fn reference_build(publisher: &Publisher, as_of: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let out = publisher.dir.path().join(format!("reference-{as_of}"));
    let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--quiet", "--as-of", as_of, "--out"])
        .arg(&out)
        .current_dir(publisher.repo())
        .output()
        .expect("run gongkai");
    assert!(output.status.success(), "{}", describe(&output));
    tree(&out)
}

#[test]
fn both_recipes_parse_with_a_nightly_schedule_and_their_publish_jobs() {
    let github = recipe(GITHUB);
    let cron = github["on"]["schedule"][0]["cron"]
        .as_str()
        .expect("GitHub workflow: on.schedule[0].cron");
    assert_eq!(cron.split_whitespace().count(), 5, "a cron line: {cron}");
    assert!(
        github["on"]["workflow_dispatch"].is_object(),
        "runs by hand"
    );
    let jobs = github["jobs"].as_object().expect("jobs");
    for (job, action) in [
        ("deploy-pages", "actions/deploy-pages@"),
        ("deploy-rsync", "rsync -a --delete"),
        ("deploy-rclone", "rclone sync --checksum public/"),
    ] {
        let text = serde_json::to_string(&jobs[job]).expect("json");
        assert!(text.contains(action), "{job} uses {action}");
        let condition = jobs[job]["if"].as_str().expect("a publish job has `if:`");
        assert!(condition.contains("vars.PUBLISH_TO"), "{job}: {condition}");
        assert!(condition.contains("pull_request"), "{job}: {condition}");
        assert_eq!(jobs[job]["needs"], "site");
    }
    let steps = github_steps(&github);
    let uses = |prefix: &str| -> Vec<&Value> {
        steps
            .iter()
            .map(|(_, s)| *s)
            .filter(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(prefix)))
            .collect()
    };
    let pages = uses("actions/upload-pages-artifact@");
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0]["with"]["path"], "public/");
    // The rsync and rclone jobs look for public/.gongkai-output, which upload-artifact
    // drops unless told otherwise.
    let site: Vec<_> = uses("actions/upload-artifact@")
        .into_iter()
        .filter(|s| s["with"]["name"] == "site")
        .collect();
    assert_eq!(site.len(), 1);
    assert_eq!(site[0]["with"]["path"], "public/");
    assert_eq!(site[0]["with"]["include-hidden-files"], true);
    let report: Vec<_> = uses("actions/upload-artifact@")
        .into_iter()
        .filter(|s| s["with"]["path"] == "gongkai-check.json")
        .collect();
    assert_eq!(report.len(), 1, "the check report is an artifact");
    let condition = report[0]["if"].as_str().expect("if:");
    assert!(
        condition.contains("!cancelled()") || condition.contains("always()"),
        "the report is uploaded when the check fails too: {condition}"
    );
    // Check comes before build, in one job (one as-of date).
    let (check_job, _) = github_step(&github, "gongkai check");
    let (build_job, _) = github_step(&github, "gongkai build");
    assert_eq!(check_job, build_job);
    let names: Vec<&Value> = steps.iter().map(|(_, s)| &s["name"]).collect();
    let at = |n: &str| names.iter().position(|x| *x == n).expect("step");
    assert!(at("gongkai check") < at("gongkai build"));

    let gitlab = recipe(GITLAB);
    assert_eq!(
        gitlab["stages"],
        serde_json::json!(["check", "build", "deploy"])
    );
    assert_eq!(gitlab["check"]["stage"], "check");
    assert_eq!(gitlab["build"]["stage"], "build");
    assert_eq!(gitlab["pages"]["stage"], "deploy");
    assert_eq!(
        gitlab["pages"]["artifacts"]["paths"],
        serde_json::json!(["public"]),
        "GitLab Pages publishes public/"
    );
    assert_eq!(
        gitlab["build"]["artifacts"]["paths"],
        serde_json::json!(["public"])
    );
    assert_eq!(gitlab["check"]["artifacts"]["when"], "always");
    assert_eq!(
        gitlab["check"]["artifacts"]["paths"],
        serde_json::json!(["gongkai-check.json"])
    );
    let workflow_rules = serde_json::to_string(&gitlab["workflow"]["rules"]).expect("json");
    assert!(
        workflow_rules.contains(r#"$CI_PIPELINE_SOURCE == \"schedule\""#),
        "scheduled (nightly) pipelines run: {workflow_rules}"
    );
    for (job, action) in [
        ("pages", "public/index.html"),
        ("deploy-rsync", "rsync -a --delete"),
        ("deploy-rclone", "rclone sync --checksum public/"),
    ] {
        let text = serde_json::to_string(&gitlab[job]).expect("json");
        assert!(text.contains(action), "{job} uses {action}");
        assert!(
            text.contains("$PUBLISH_TO =="),
            "{job} is chosen by PUBLISH_TO"
        );
        assert_eq!(gitlab[job]["needs"], serde_json::json!(["build"]));
    }
    assert_eq!(gitlab["variables"]["PUBLISH_TO"], "pages", "one enabled");
}

#[test]
fn github_check_and_build_steps_run_and_fail_on_broken_content() {
    let workflow = recipe(GITHUB);
    let check = github_script(&workflow, "gongkai check");
    let build = github_script(&workflow, "gongkai build");
    let publisher = Publisher::new();

    // Today's date, as on the nightly run.
    let output = publisher.run(&check, &[]);
    assert!(output.status.success(), "check step: {}", describe(&output));
    assert_clean_report(&publisher.report());
    let output = publisher.run(&build, &[]);
    assert!(output.status.success(), "build step: {}", describe(&output));
    let public = publisher.repo().join("public");
    assert!(public.join("index.html").is_file());
    assert!(public.join(".gongkai-output").is_file());

    // A fixed date (GONGKAI_AS_OF, from the workflow's input or variable) is the one
    // used, not site.yaml's `as_of: 2024-12-31`, and the step's output is what gongkai
    // builds for it, byte for byte.
    let output = publisher.run(&build, &[("GONGKAI_AS_OF", LATER)]);
    assert!(output.status.success(), "build step: {}", describe(&output));
    let built = tree(&public);
    let same = differences(&built, &reference_build(&publisher, LATER));
    assert!(same.is_empty(), "built as of {LATER}, apart from: {same:?}");
    let other = differences(&built, &reference_build(&publisher, "2024-12-31"));
    assert!(!other.is_empty(), "the as-of date was not used");

    publisher.break_content();
    let output = publisher.run(&check, &[("GONGKAI_AS_OF", "2024-12-31")]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert_unknown_unit(&publisher.report());
    // The people's version of the same report is in the log.
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("unknown-unit"),
        "{}",
        describe(&output)
    );
    let output = publisher.run(&build, &[("GONGKAI_AS_OF", "2024-12-31")]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let changed = differences(&tree(&public), &built);
    assert!(
        changed.is_empty(),
        "a failed build leaves public/ as it was: {changed:?}"
    );
}

#[test]
fn gitlab_check_and_build_jobs_run_and_fail_on_broken_content() {
    let pipeline = recipe(GITLAB);
    let check = gitlab_script(&pipeline, "check");
    let build = gitlab_script(&pipeline, "build");
    let dotenv = pipeline["check"]["artifacts"]["reports"]["dotenv"]
        .as_str()
        .expect("check hands the as-of date on in a dotenv report");
    let publisher = Publisher::new();

    let output = publisher.run(&check, &[]);
    assert!(output.status.success(), "check job: {}", describe(&output));
    assert_clean_report(&publisher.report());
    // What GitLab passes to `build` (it needs `check`): the dotenv report's variables.
    let text = fs::read_to_string(publisher.repo().join(dotenv)).expect("dotenv report");
    let variables: Vec<(String, String)> = text
        .lines()
        .map(|line| {
            let (name, value) = line.split_once('=').expect("NAME=value");
            (name.to_owned(), value.to_owned())
        })
        .collect();
    assert_eq!(variables.len(), 1, "{text}");
    assert_eq!(variables[0].0, "GONGKAI_AS_OF");
    assert!(
        jiff::civil::Date::strptime("%Y-%m-%d", &variables[0].1).is_ok(),
        "{text}"
    );
    let env: Vec<(&str, &str)> = variables
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let output = publisher.run(&build, &env);
    assert!(output.status.success(), "build job: {}", describe(&output));
    let public = publisher.repo().join("public");
    assert!(public.join("index.html").is_file());
    let same = differences(
        &tree(&public),
        &reference_build(&publisher, &variables[0].1),
    );
    assert!(
        same.is_empty(),
        "built as of {}, apart from: {same:?}",
        variables[0].1
    );

    // A date set as a CI/CD variable goes through check into the dotenv report, and is
    // the one build uses (not site.yaml's `as_of: 2024-12-31`).
    let output = publisher.run(&check, &[("GONGKAI_AS_OF", LATER)]);
    assert!(output.status.success(), "check job: {}", describe(&output));
    let text = fs::read_to_string(publisher.repo().join(dotenv)).expect("dotenv report");
    assert_eq!(text.trim_end(), format!("GONGKAI_AS_OF={LATER}"));
    let output = publisher.run(&build, &[("GONGKAI_AS_OF", LATER)]);
    assert!(output.status.success(), "build job: {}", describe(&output));
    let built = tree(&public);
    let same = differences(&built, &reference_build(&publisher, LATER));
    assert!(same.is_empty(), "built as of {LATER}, apart from: {same:?}");
    let other = differences(&built, &reference_build(&publisher, "2024-12-31"));
    assert!(!other.is_empty(), "the as-of date was not used");

    publisher.break_content();
    let output = publisher.run(&check, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert_unknown_unit(&publisher.report());
    let output = publisher.run(&build, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
}

#[test]
fn a_root_that_is_not_a_site_fails_the_check_with_exit_2_and_a_report() {
    let workflow = recipe(GITHUB);
    let check = github_script(&workflow, "gongkai check");
    let publisher = Publisher::new();
    fs::remove_file(publisher.repo().join("content/site.yaml")).expect("remove site.yaml");
    let output = publisher.run(&check, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let report = publisher.report();
    assert_eq!(report["summary"]["exit_code"], 2, "{report}");
    assert!(
        report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["code"] == "not-a-site"),
        "{report}"
    );
}
