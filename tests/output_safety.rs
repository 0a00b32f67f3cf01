//! What `gongkai build` may replace, on small sites: a folder it did not make is refused
//! (and `--force` overrides only that), a second build into a locked output is turned
//! away with the holder's pid, and folders a killed build left beside the output are
//! removed or, for a site moved aside, put back. The real kills are in tests/crash.rs.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::TestSite;
use gongkai::output::{MARKER, MARKER_TEXT};

const NOTICE: &str = "index_no: k12498411/2014-00065\ntitle: 关于印发工作制度的通知\nissuer: lyg-gov\ndate: 2014-05-07\nsummary: 概述。\n";

/// An English site: the messages asserted on below are the English ones.
fn site() -> TestSite {
    let site = TestSite::new();
    site.english();
    site.notice("2014/rules", NOTICE, "正文。\n");
    site
}

/// `gongkai build --root <site> --out <out> <extra>` with the real binary.
fn build(site: &TestSite, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--as-of", "2024-12-31", "--root"])
        .arg(site.root())
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run gongkai")
}

/// A build of `site` into its default output (ROOT/public) that must succeed.
fn build_ok(site: &TestSite) {
    let built = build(site, &site.out(), &[]);
    assert!(built.status.success(), "{}", stderr(&built));
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file and folder under `dir` with the bytes of each file, sorted.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut all: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let bytes = e
                .file_type()
                .is_file()
                .then(|| fs::read(e.path()).expect("read"));
            let path = e.path().strip_prefix(dir).expect("prefix").to_path_buf();
            (path, bytes)
        })
        .collect();
    all.sort();
    all
}

/// Names in `dir` that gongkai makes beside an output for itself.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".gongkai-"))
        // The build cache stays by design (docs/performance.md); staging folders, locks
        // and sites moved aside must not.
        .filter(|n| n != ".gongkai-cache")
        .collect();
    names.sort();
    names
}

/// A folder someone keeps: a git repository with documents.
fn unrelated_folder(parent: &Path) -> PathBuf {
    let folder = parent.join("papers");
    for (path, text) in [
        (".git/HEAD", "ref: refs/heads/main\n"),
        (".git/config", "[core]\n\trepositoryformatversion = 0\n"),
        ("notes.md", "# 会议记录\n"),
        ("drafts/plan.txt", "工作计划\n"),
    ] {
        let file = folder.join(path);
        fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        fs::write(file, text).expect("write");
    }
    folder
}

#[test]
fn an_unrelated_folder_is_refused_untouched_and_force_replaces_it() {
    let site = site();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let folder = unrelated_folder(elsewhere.path());
    let before = snapshot(&folder);

    let refused = build(&site, &folder, &[]);
    // Not the content's fault: exit 2, like any other refused or unreadable path.
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains(&folder.display().to_string()),
        "names the folder: {message}"
    );
    assert!(message.contains("not made by gongkai"), "{message}");
    for way_out in ["another --out", "empty the folder", "--force"] {
        assert!(message.contains(way_out), "says how to proceed: {message}");
    }
    assert!(
        before == snapshot(&folder),
        "the refused folder was changed"
    );
    assert_eq!(leftovers(elsewhere.path()), Vec::<String>::new());

    let forced = build(&site, &folder, &["--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(!folder.join(".git").exists() && !folder.join("notes.md").exists());
    assert_eq!(
        fs::read_to_string(folder.join(MARKER)).expect("marker"),
        MARKER_TEXT
    );
    assert!(
        folder
            .join("notices/k12498411-2014-00065/index.html")
            .is_file()
    );
    // Now it is gongkai's: the next build replaces it without being told.
    let again = build(&site, &folder, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(leftovers(elsewhere.path()), Vec::<String>::new());
}

#[test]
fn an_empty_folder_is_taken_and_every_output_holds_the_marker() {
    let site = site();
    let out = site.root().join("empty");
    fs::create_dir(&out).expect("mkdir");
    let built = build(&site, &out, &[]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert_eq!(
        fs::read_to_string(out.join(MARKER)).expect("marker"),
        MARKER_TEXT
    );
    // The library's default output (ROOT/public) too.
    site.build("2024-12-31").expect("build");
    assert_eq!(
        fs::read_to_string(site.out().join(MARKER)).expect("marker"),
        MARKER_TEXT
    );
}

#[test]
fn force_still_refuses_the_site_root_and_content() {
    let site = site();
    let before = snapshot(site.root());
    for out in [
        site.root().to_path_buf(),
        site.root().join("content"),
        site.root().join("content/notices"),
    ] {
        let refused = build(&site, &out, &["--force"]);
        assert_eq!(refused.status.code(), Some(2), "{}", out.display());
        assert!(
            stderr(&refused).contains("holds the site's content"),
            "{}",
            stderr(&refused)
        );
    }
    assert!(before == snapshot(site.root()), "the site was changed");
}

#[test]
fn a_second_build_is_told_which_process_holds_the_lock() {
    let site = site();
    let out = site.out();
    build_ok(&site);
    let before = snapshot(&out);
    let lock_path = site.root().join(".public.gongkai-lock");
    let mut lock = fs::File::create(&lock_path).expect("lock file");
    lock.lock().expect("lock");
    write!(lock, "{}", std::process::id()).expect("pid");

    let refused = build(&site, &out, &[]);
    // Not the content's fault: exit 2, like any other refused or unreadable path.
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains(&lock_path.display().to_string()),
        "names the lock file: {message}"
    );
    assert!(
        message.contains(&format!("pid {}", std::process::id())),
        "names the holder: {message}"
    );
    assert!(
        before == snapshot(&out),
        "a refused build changed the output"
    );

    drop(lock);
    let built = build(&site, &out, &[]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn two_real_builds_at_once() {
    if !cfg!(debug_assertions) {
        return; // the pause hook exists in debug builds only
    }
    let site = site();
    let out = site.out();
    build_ok(&site);
    // The first build stops just before its swap, holding the lock.
    let mut first = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--as-of", "2024-12-31", "--root"])
        .arg(site.root())
        .env("GONGKAI_TEST_PAUSE", "before-swap")
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gongkai");
    let mut lines = BufReader::new(first.stderr.take().expect("stderr")).lines();
    assert!(
        lines
            .by_ref()
            .map_while(Result::ok)
            .any(|l| l.contains("test pause at before-swap")),
        "the first build did not pause"
    );
    let second = build(&site, &out, &[]);
    let message = stderr(&second);
    first.kill().expect("kill");
    first.wait().expect("wait");
    assert_eq!(second.status.code(), Some(2), "{message}");
    assert!(
        message.contains(&format!("another gongkai build (pid {})", first.id())),
        "{message}"
    );
    assert!(message.contains(".public.gongkai-lock"), "{message}");
    // The killed first build left its staging folder and its (no longer locked) lock
    // file; the next build clears both.
    assert_eq!(
        leftovers(site.root()),
        [
            ".public.gongkai-lock".to_string(),
            format!(".public.gongkai-staging-{}", first.id())
        ]
    );
    let built = build(&site, &out, &[]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn stale_folders_of_dead_builds_are_removed() {
    let site = site();
    build_ok(&site);
    for stale in [
        ".public.gongkai-staging-4000001/notices/x/index.html",
        ".public.gongkai-old-4000002/index.html",
    ] {
        site.write(stale, "<p>stale</p>");
    }
    // Folders of another output beside it are not this build's to remove.
    site.write(".other.gongkai-staging-4000003/index.html", "<p>other</p>");
    build_ok(&site);
    assert_eq!(
        leftovers(site.root()),
        [".other.gongkai-staging-4000003".to_string()]
    );
}

#[test]
fn a_site_moved_aside_is_put_back_even_if_the_content_is_broken() {
    // What a build killed between the fallback's two renames leaves: no --out, the old
    // site in `-old-PID`, the new one in `-staging-PID`.
    let site = site();
    build_ok(&site);
    let before = snapshot(&site.out());
    fs::rename(site.out(), site.root().join(".public.gongkai-old-4000001")).expect("aside");
    site.write(
        ".public.gongkai-staging-4000001/index.html",
        "<p>half new</p>",
    );
    site.notice(
        "2014/broken",
        "index_no: k12498411/2014-00099\ntitle: 坏\nissuer: nobody\ndate: 2014-02-30\n",
        "",
    );
    let failed = build(&site, &site.out(), &[]);
    assert_eq!(failed.status.code(), Some(1), "broken content");
    assert!(
        before == snapshot(&site.out()),
        "the old site is back whole"
    );
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}
