//! The built site opened from disk (`file://`), as a reader double-clicking
//! `public/index.html` meets it: every page but search works without a server, and the
//! search page, whose module browsers refuse to load from disk, says how to serve it.
//!
//! Headless Chromium loads the page from disk and its DOM after scripts ran is read back.
//! Without Chromium the browser test is skipped with a message, unless
//! `GONGKAI_REQUIRE_BROWSER=1` (CI), where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| "/usr/bin/chromium".into(), PathBuf::from)
}

/// The DOM of `page` as headless Chromium has it once its scripts ran.
fn dom_from_disk(page: &Path) -> Option<String> {
    let browser = chromium();
    if !browser.exists() {
        assert!(
            std::env::var_os("GONGKAI_REQUIRE_BROWSER").is_none(),
            "GONGKAI_REQUIRE_BROWSER is set but {} is missing",
            browser.display()
        );
        eprintln!("SKIPPED: no Chromium at {}", browser.display());
        return None;
    }
    let profile = tempfile::tempdir().expect("temp dir");
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--virtual-time-budget=3000", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn note(html: &str) -> Option<(bool, String)> {
    let doc = Html::parse_document(html);
    let selector = Selector::parse("#search-from-disk").expect("selector");
    let note = doc.select(&selector).next()?;
    let hidden = note.value().attr("hidden").is_some();
    Some((hidden, note.text().collect::<String>()))
}

#[test]
fn the_search_page_says_how_to_serve_the_site_when_opened_from_disk() {
    let out = common::built_example_site();
    let page = out.join("search/index.html");
    // As served over HTTP (and without JavaScript) the note is hidden.
    let built = std::fs::read_to_string(&page).expect("search page");
    let (hidden, text) = note(&built).expect("the search page holds the note");
    assert!(
        hidden,
        "the note is hidden until a script finds the page on disk"
    );
    for words in ["file://", "gongkai serve", "python3 -m http.server"] {
        assert!(text.contains(words), "the note names {words}: {text}");
    }
    let Some(dom) = dom_from_disk(&page) else {
        return;
    };
    let (hidden, _) = note(&dom).expect("the note is still in the page");
    assert!(!hidden, "opened from disk, the note shows:\n{dom}");
    // The rest of the site works from disk: the home page's links are relative files.
    let home = dom_from_disk(&out.join("index.html")).expect("chromium ran once already");
    let doc = Html::parse_document(&home);
    let links = Selector::parse("main a[href]").expect("selector");
    let hrefs: Vec<&str> = doc
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(!hrefs.is_empty());
    for href in hrefs {
        assert!(
            href.starts_with("file://") || !href.contains("://"),
            "a link that needs a server: {href}"
        );
    }
}
