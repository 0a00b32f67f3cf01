//! Kills real `gongkai build` processes of a 3,000-notice site and checks that `--out`
//! always holds one whole site, the old or the new (never a mixture, never nothing
//! except in the two-rename fallback, which the next build repairs), and that the next
//! build succeeds and leaves nothing behind.
//!
//! Two site roots, version A and version B (more notices, other titles), build into one
//! `--out`, so each killed build replaces one whole known site by another. Kill points:
//! fractions of a first timed build (SIGKILL and SIGTERM, through both swaps), and, via
//! the debug-only hooks of src/output.rs, exactly between the fallback's two renames.

#![cfg(unix)]

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Instant;

use gongkai::output::{MARKER, MARKER_TEXT};

const NOTICES_A: usize = 3000;
const NOTICES_B: usize = 3060;

/// One version of the site: its root, how many notices, the tag in every title.
struct Version {
    root: PathBuf,
    notices: usize,
    tag: &'static str,
}

impl Version {
    /// Writes the site: site.yaml and a unit as in tests/common, then `notices` short
    /// notices over ten years (short bodies keep the debug build fast).
    fn write(root: PathBuf, notices: usize, tag: &'static str) -> Version {
        let write = |relative: &str, text: &str| {
            let path = root.join(relative);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(path, text).expect("write");
        };
        write("content/site.yaml", common::SITE_YAML);
        write(
            "content/units/lyg-gov.yaml",
            "name: 连云港市人民政府\nshort_name: 市政府\nkind: government\n",
        );
        for i in 0..notices {
            let year = 2010 + i % 10;
            write(
                &format!("content/notices/{year}/n{i:05}.md"),
                &format!(
                    "---\nindex_no: k12498411/{year}-{i:05}\ntitle: 通知{i}（{tag}）\nissuer: lyg-gov\ndate: {year}-{:02}-{:02}\nsummary: 概述{i}\n---\n正文{i}。\n",
                    i % 12 + 1,
                    i % 28 + 1
                ),
            );
        }
        Version { root, notices, tag }
    }

    /// The notice page folders this version's output holds.
    fn pages(&self) -> BTreeSet<String> {
        (0..self.notices)
            .map(|i| format!("k12498411-{}-{i:05}", 2010 + i % 10))
            .collect()
    }
}

/// `gongkai build` of `version` into `out`, not yet waited for.
fn spawn(version: &Version, out: &Path, env: &[(&str, &str)], stderr: Stdio) -> Child {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--as-of", "2024-12-31", "--root"])
        .arg(&version.root)
        .arg("--out")
        .arg(out)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("run gongkai")
}

fn build(version: &Version, out: &Path, env: &[(&str, &str)]) -> Output {
    spawn(version, out, env, Stdio::piped())
        .wait_with_output()
        .expect("wait for gongkai")
}

fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "the build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[derive(Clone, Copy, Debug)]
enum Signal {
    Kill,
    Term,
}

fn signal(child: &mut Child, signal: Signal) {
    match signal {
        Signal::Kill => child.kill().expect("SIGKILL"),
        Signal::Term => {
            let status = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status()
                .expect("run kill");
            assert!(status.success(), "kill -TERM failed");
        }
    }
    // Reaped here; whether it was killed or had finished, the output must be whole.
    child.wait().expect("wait");
}

/// Which version `dir` holds whole, or a panic saying what is wrong with it: the
/// marker, exactly one version's set of notice pages, and that version's tag on every
/// notice page, the home page and the notice list.
fn whole<'a>(dir: &Path, versions: [&'a Version; 2]) -> &'a Version {
    assert!(dir.is_dir(), "{} is missing", dir.display());
    assert_eq!(
        fs::read_to_string(dir.join(MARKER)).ok().as_deref(),
        Some(MARKER_TEXT),
        "{}: marker",
        dir.display()
    );
    let pages: BTreeSet<String> = fs::read_dir(dir.join("notices"))
        .expect("notices/")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("k12498411-"))
        .collect();
    let Some(version) = versions.into_iter().find(|v| v.pages() == pages) else {
        panic!(
            "{}: {} notice pages, neither version's set ({} or {})",
            dir.display(),
            pages.len(),
            versions[0].notices,
            versions[1].notices
        );
    };
    let other = versions
        .iter()
        .find(|v| v.tag != version.tag)
        .expect("two versions");
    let mut files: Vec<PathBuf> = pages
        .iter()
        .map(|p| dir.join("notices").join(p).join("index.html"))
        .collect();
    files.push(dir.join("index.html"));
    files.push(dir.join("notices/index.html"));
    for file in files {
        let html = fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{}: {e} in a {} site", file.display(), version.tag));
        assert!(
            html.contains(version.tag) && !html.contains(other.tag),
            "{} mixes versions",
            file.display()
        );
    }
    version
}

/// The staging and old folders beside the output.
fn leftovers(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(parent)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".gongkai-staging-") || n.contains(".gongkai-old-"))
        .collect();
    names.sort();
    names
}

/// After a kill: `out` is whole, or (two-rename fallback only, killed between the
/// renames) missing with the old site whole in the one `-old-` folder.
fn check_after_kill<'a>(
    parent: &Path,
    out: &Path,
    versions: [&'a Version; 2],
    fallback: bool,
    what: &str,
) -> &'a Version {
    if out.exists() || !fallback {
        return whole(out, versions);
    }
    let old: Vec<String> = leftovers(parent)
        .into_iter()
        .filter(|n| n.contains("-old-"))
        .collect();
    assert_eq!(
        old.len(),
        1,
        "{what}: --out missing and old folders {old:?}"
    );
    whole(&parent.join(&old[0]), versions)
}

/// The next build of `version` succeeds, leaves `out` holding it and nothing beside it.
fn rebuild(version: &Version, parent: &Path, out: &Path, versions: [&Version; 2]) {
    assert_success(&build(version, out, &[]));
    assert_eq!(whole(out, versions).tag, version.tag);
    assert_eq!(leftovers(parent), Vec::<String>::new());
}

/// Starts a build that stops at `point` (a debug-only hook) and returns it once it is
/// there.
fn spawn_paused(version: &Version, out: &Path, point: &str, no_exchange: bool) -> Child {
    let mut env = vec![("GONGKAI_TEST_PAUSE", point)];
    if no_exchange {
        env.push(("GONGKAI_TEST_NO_EXCHANGE", "1"));
    }
    let mut child = spawn(version, out, &env, Stdio::piped());
    let stderr = child.stderr.take().expect("stderr");
    let paused = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .any(|l| l.contains(&format!("test pause at {point}")));
    assert!(paused, "the build did not stop at {point}");
    child
}

/// A folder on a RAM disk where there is one: the shared VM's disk takes seconds to
/// remove a few thousand files, which would measure the disk rather than the build.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::Builder::new()
            .prefix("gongkai-crash")
            .tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().expect("temp dir")
}

/// Copies the folder `from` to `to` (which must not exist).
fn copy_folder(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Makes `out` a copy of the built site `saved`.
fn restore(saved: &Path, out: &Path) {
    if out.exists() {
        fs::remove_dir_all(out).expect("remove");
    }
    copy_folder(saved, out);
}

#[test]
fn killed_builds_leave_the_old_or_the_new_site() {
    let started = Instant::now();
    let scratch = scratch();
    let parent = scratch.path();
    let a = Version::write(parent.join("a"), NOTICES_A, "甲版");
    let b = Version::write(parent.join("b"), NOTICES_B, "乙版");
    let versions = [&a, &b];
    // Two small versions: the build after each kill is one of them (what it must do,
    // put back, clear away and succeed, does not depend on the site's size), and so are
    // the kills at the hooks, whose place does not depend on timing.
    let small_a = Version::write(parent.join("small-a"), 20, "丙版");
    let small_b = Version::write(parent.join("small-b"), 21, "丁版");
    let small = [&small_a, &small_b];
    let out = parent.join("public");

    // The old site, built once and timed: the kill points are fractions of this build.
    let first = Instant::now();
    assert_success(&build(&a, &out, &[]));
    let duration = first.elapsed();
    assert_eq!(whole(&out, versions).tag, a.tag);
    let saved = parent.join("saved-a");
    copy_folder(&out, &saved);

    // Spread over the build, each signal and each swap at least twice; the last point
    // falls around the swap and the removal of the old site.
    let points = [
        (0.10, Signal::Kill, false),
        (0.35, Signal::Term, false),
        (0.60, Signal::Kill, true),
        (0.85, Signal::Term, true),
        (0.97, Signal::Kill, false),
    ];
    for (fraction, sig, fallback) in points {
        restore(&saved, &out);
        let env: &[(&str, &str)] = if fallback {
            &[("GONGKAI_TEST_NO_EXCHANGE", "1")]
        } else {
            &[]
        };
        let mut child = spawn(&b, &out, env, Stdio::null());
        std::thread::sleep(duration.mul_f64(fraction));
        signal(&mut child, sig);
        let what = format!("{sig:?} at {fraction} of {duration:.2?} (fallback swap: {fallback})");
        let found = check_after_kill(parent, &out, versions, fallback, &what);
        eprintln!("{what}: {} site", found.tag);
        rebuild(&small_a, parent, &out, small);
    }

    if cfg!(debug_assertions) {
        // Exactly between the fallback's two renames: --out is gone, the old site whole
        // in the -old- folder; the next start puts it back before anything else, even
        // when that build then fails on its content.
        let broken = Version::write(parent.join("broken"), 1, "坏");
        fs::write(
            broken.root.join("content/notices/2010/n00000.md"),
            "---\ntitle: 坏\n---\n",
        )
        .expect("write");
        let big = (&a, &b, versions);
        let small_run = (&small_a, &small_b, small);
        for (sig, (old, new, pair)) in [(Signal::Kill, big), (Signal::Term, small_run)] {
            if old.tag == a.tag {
                restore(&saved, &out);
            } else {
                rebuild(old, parent, &out, pair);
            }
            let mut child = spawn_paused(new, &out, "before-swap-rename", true);
            let pid = child.id();
            signal(&mut child, sig);
            assert!(!out.exists(), "{sig:?}: --out is moved aside at this point");
            let aside = parent.join(format!(".public.gongkai-old-{pid}"));
            assert_eq!(whole(&aside, pair).tag, old.tag, "{sig:?}");
            let failed = build(&broken, &out, &[]);
            assert_eq!(failed.status.code(), Some(1));
            assert_eq!(whole(&out, pair).tag, old.tag, "{sig:?}: put back");
            assert_eq!(leftovers(parent), Vec::<String>::new());
        }

        // Where RENAME_EXCHANGE works (Linux; ext4, tmpfs, btrfs, xfs) the default swap
        // never reaches that point: one atomic step, no instant without --out.
        let exchanged = build(
            &small_b,
            &out,
            &[("GONGKAI_TEST_PAUSE", "before-swap-rename")],
        );
        assert_success(&exchanged);
        if cfg!(target_os = "linux") {
            assert!(
                !String::from_utf8_lossy(&exchanged.stderr).contains("test pause"),
                "the default swap on Linux took the two-rename fallback"
            );
        }
        assert_eq!(whole(&out, small).tag, small_b.tag);

        // Just before the swap, by either path: the old site, whole.
        for no_exchange in [false, true] {
            let mut child = spawn_paused(&small_a, &out, "before-swap", no_exchange);
            signal(&mut child, Signal::Kill);
            assert_eq!(whole(&out, small).tag, small_b.tag);
        }
        rebuild(&small_a, parent, &out, small);
    }
    eprintln!(
        "first build {duration:.2?}; whole test {:.2?}",
        started.elapsed()
    );
}
