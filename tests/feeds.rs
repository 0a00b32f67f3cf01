//! Feeds and crawl as a feed reader and a crawler meet them: every Atom feed parses with a
//! real Atom parser (atom_syndication) and its entries link to built pages; the pages the
//! feeds belong to announce them in `<head>` and show a visible 订阅 link; the sitemap
//! names every page, with `lastmod` on every content URL.

mod common;

use std::fs;
use std::path::Path;

use common::{all_files, built_example_site, read_page};
use scraper::Selector;

const BASE: &str = "https://ip.example.gov.cn/";

fn feeds(out: &Path) -> Vec<String> {
    let mut found: Vec<String> = all_files(out)
        .into_iter()
        .filter_map(|p| {
            let rel = p.to_str()?.replace('\\', "/");
            rel.ends_with("feed.xml").then_some(rel)
        })
        .collect();
    found.sort();
    found
}

/// The built file a feed's absolute link points at.
fn target(out: &Path, href: &str) -> std::path::PathBuf {
    let rel = href
        .strip_prefix(BASE)
        .expect("an absolute link on the site");
    let rel = rel.split('#').next().unwrap_or(rel);
    if rel.is_empty() || rel.ends_with('/') {
        out.join(rel).join("index.html")
    } else {
        out.join(rel)
    }
}

#[test]
fn every_feed_parses_as_atom_and_links_to_built_pages() {
    let out = built_example_site();
    let found = feeds(out);
    for expected in [
        "feed.xml",
        "news/feed.xml",
        "progress/gz-2007-ip-demo-city/feed.xml",
    ] {
        assert!(found.iter().any(|f| f == expected), "{expected}: {found:?}");
    }
    let unit_feeds = found.iter().filter(|f| f.starts_with("units/")).count();
    let units: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("data/units.json")).expect("read"))
            .expect("JSON");
    let issuing = units["units"]
        .as_array()
        .expect("units")
        .iter()
        .filter(|u| !u["notices"].as_array().expect("notices").is_empty())
        .count();
    assert!(issuing > 0);
    assert_eq!(unit_feeds, issuing, "one feed per unit that issued notices");

    for path in &found {
        let bytes = fs::read(out.join(path)).expect("read");
        let feed = atom_syndication::Feed::read_from(&bytes[..])
            .unwrap_or_else(|e| panic!("{path} is not Atom: {e}"));
        assert!(!feed.title().as_str().is_empty(), "{path}: a title");
        let self_link = feed
            .links()
            .iter()
            .find(|l| l.rel() == "self")
            .unwrap_or_else(|| panic!("{path}: a self link"));
        assert_eq!(self_link.href(), format!("{BASE}{path}"));
        let alternate = feed
            .links()
            .iter()
            .find(|l| l.rel() == "alternate")
            .unwrap_or_else(|| panic!("{path}: an alternate link"));
        assert!(
            target(out, alternate.href()).is_file(),
            "{path}: {}",
            alternate.href()
        );
        if path != "news/feed.xml" && !path.starts_with("progress/") {
            assert!(!feed.entries().is_empty(), "{path} has entries");
        }
        let mut ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(
            ids.len(),
            feed.entries().len(),
            "{path}: entry ids are unique"
        );
        for entry in feed.entries() {
            assert!(!entry.title().as_str().is_empty());
            let link = entry.links().first().expect("an entry link");
            assert!(
                target(out, link.href()).is_file(),
                "{path}: {}",
                link.href()
            );
        }
    }
    // The news feed has every news item; the plan's feed its updates, newest first.
    let news =
        atom_syndication::Feed::read_from(&fs::read(out.join("news/feed.xml")).expect("read")[..])
            .expect("Atom");
    assert_eq!(news.entries().len(), 4);
    let plan = atom_syndication::Feed::read_from(
        &fs::read(out.join("progress/gz-2007-ip-demo-city/feed.xml")).expect("read")[..],
    )
    .expect("Atom");
    assert!(!plan.entries().is_empty(), "the plan's progress updates");
    let dates: Vec<_> = plan.entries().iter().map(|e| *e.updated()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
}

#[test]
fn pages_announce_their_feed_in_the_head_and_show_a_subscribe_link() {
    let out = built_example_site();
    let alternate = Selector::parse(r#"head link[rel="alternate"][type="application/atom+xml"]"#)
        .expect("selector");
    let visible = Selector::parse("main a[type=\"application/atom+xml\"]").expect("selector");
    let unit = fs::read_dir(out.join("units"))
        .expect("units/")
        .filter_map(|e| e.ok())
        .find(|e| e.path().join("feed.xml").is_file())
        .expect("a unit with a feed")
        .file_name();
    let unit = format!("units/{}/", unit.to_string_lossy());
    for (page, feed) in [
        ("", "feed.xml"),
        ("notices/", "feed.xml"),
        ("notices/2014/", "feed.xml"),
        ("news/", "news/feed.xml"),
        (
            "progress/gz-2007-ip-demo-city/",
            "progress/gz-2007-ip-demo-city/feed.xml",
        ),
        (unit.as_str(), &format!("{unit}feed.xml")),
    ] {
        let html = read_page(out, page);
        let root = "../".repeat(page.matches('/').count());
        let expected = format!("{root}{feed}");
        let head: Vec<&str> = html
            .select(&alternate)
            .filter_map(|l| l.value().attr("href"))
            .collect();
        assert_eq!(head, [expected.as_str()], "{page}: <link rel=alternate>");
        let link = html
            .select(&visible)
            .next()
            .unwrap_or_else(|| panic!("{page}: 订阅"));
        assert_eq!(link.value().attr("href"), Some(expected.as_str()));
        assert!(link.text().collect::<String>().contains("订阅"));
        assert!(out.join(feed).is_file());
    }
    // A page without a feed of its own announces none.
    let notice = read_page(out, "bodies/");
    assert_eq!(notice.select(&alternate).count(), 0);
}

#[test]
fn the_sitemap_names_every_page_with_lastmod_on_content() {
    let out = built_example_site();
    let xml = fs::read_to_string(out.join("sitemap.xml")).expect("read");
    let urls: Vec<(String, Option<String>)> = xml
        .split("<url>")
        .skip(1)
        .map(|u| {
            let loc = u
                .split("<loc>")
                .nth(1)
                .and_then(|l| l.split("</loc>").next())
                .expect("loc");
            let lastmod = u
                .split("<lastmod>")
                .nth(1)
                .and_then(|l| l.split("</lastmod>").next())
                .map(String::from);
            (loc.to_string(), lastmod)
        })
        .collect();
    let pages: Vec<String> = all_files(out)
        .into_iter()
        .filter_map(|p| {
            let rel = p.to_str()?.replace('\\', "/");
            let folder = rel.strip_suffix("index.html")?;
            Some(format!("{BASE}{folder}"))
        })
        .collect();
    assert!(pages.len() > 100);
    for page in &pages {
        assert!(
            urls.iter().any(|(loc, _)| loc == page),
            "the sitemap names {page}"
        );
    }
    assert_eq!(urls.len(), pages.len(), "and nothing else");
    for (loc, lastmod) in &urls {
        if loc.ends_with("/search/") {
            continue;
        }
        let date = lastmod
            .as_deref()
            .unwrap_or_else(|| panic!("{loc}: lastmod"));
        assert!(date.parse::<jiff::civil::Date>().is_ok(), "{loc}: {date}");
    }
    let notices: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("data/notices.json")).expect("read"))
            .expect("JSON");
    for record in notices["notices"].as_array().expect("notices") {
        let loc = format!("{BASE}{}", record["url"].as_str().expect("url"));
        let (_, lastmod) = urls.iter().find(|(l, _)| *l == loc).expect("listed");
        assert_eq!(
            lastmod.as_deref(),
            record["published"].as_str(),
            "a notice's lastmod is its publication date"
        );
    }
}
