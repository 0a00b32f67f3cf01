//! Inputs the fuzzers found (`fuzz/regressions/<target>/`), replayed on every `cargo test`
//! through the calls their target makes, so a fixed finding stays fixed without nightly
//! (docs/fuzzing.md, "Adding a regression"). Findings of `site_build`, whose inputs are
//! `arbitrary`'s encoding of a site, are kept here as the sites they wrote.

use std::fs;
use std::path::{Path, PathBuf};

use gongkai::config::SiteConfig;
use gongkai::content::markdown::plain_text;
use gongkai::content::markdown::{Origin, Settings, check};
use gongkai::content::{body, notice, page, plan, unit};
use gongkai::limits::Limits;
use gongkai::links::{LinkContext, LinkIndex};
use gongkai::render::markdown::render;
use gongkai::search::fold::fold;
use gongkai::search::tokenize::{code_term, index_terms, query_terms, runs};
use gongkai::source::SourceFile;
use gongkai::time::{Deadline, parse_date};

/// The texts kept for `target` (files that are not UTF-8 are skipped, as every target
/// skips them), with their names.
fn inputs(target: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let text = String::from_utf8(fs::read(&path).ok()?).ok()?;
            Some((path, text))
        })
        .collect()
}

/// What `fuzz_targets/content_load.rs` does with one input.
fn load_every_kind(text: &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = |path: &str| SourceFile::new(PathBuf::from(path), text.to_string());
    let source = file("content/notices/2014/a.md");
    let middle = (0..=text.len() / 2)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    for offset in [0, middle, text.len()] {
        let p = source.position_of(offset);
        let _ = source.line_text(p.line);
    }
    let body_check = |file: &SourceFile, body: &str, offset: usize| {
        for e in check(file, body, Origin::Body(offset), &Limits::default()).errors {
            let _ = e.to_string();
        }
    };
    let (n, errors) = notice::parse(file("content/notices/2014/a.md"));
    errors.iter().for_each(|e| drop(e.to_string()));
    if let Some(n) = n {
        body_check(&n.file, n.body(), n.body_offset);
    }
    let (_, errors) = unit::parse(
        file("content/units/fuzz.yaml"),
        unit::UnitId::parse("fuzz").expect("id"),
    );
    errors.iter().for_each(|e| drop(e.to_string()));
    let (_, errors) = body::parse(
        file("content/bodies/fuzz.yaml"),
        body::BodyId::parse("fuzz").expect("id"),
    );
    errors.iter().for_each(|e| drop(e.to_string()));
    let (p, errors) = plan::parse(
        file("content/progress/fuzz.yaml"),
        plan::PlanId::parse("fuzz").expect("id"),
    );
    errors.iter().for_each(|e| drop(e.to_string()));
    for task in p.iter().flat_map(|p| p.tasks()) {
        if let Some(d) = &task.deadline {
            let _ = (d.date(), d.label(), d.written());
        }
    }
    let (a, errors) = gongkai::content::application::parse(
        file("content/applications/fuzz.yaml"),
        gongkai::content::application::ApplicationId::parse("fuzz").expect("id"),
    );
    errors.iter().for_each(|e| drop(e.to_string()));
    if let Some(a) = a {
        let calendar = gongkai::duties::Calendar::new(&Default::default());
        let _ = gongkai::duties::Due::of(&a, &calendar);
    }
    if let Ok(p) = page::parse_page(file("content/pages/fuzz.md"), "fuzz".into()) {
        body_check(&p.file, p.body(), p.body_offset);
    }
    if let Ok(n) = page::parse_news(file("content/news/fuzz.md"), "fuzz".into()) {
        body_check(&n.file, n.body(), n.body_offset);
    }
    if let Err(errors) = SiteConfig::parse(&file("content/site.yaml")) {
        let _ = errors.to_string();
    }
}

#[test]
fn content_load_regressions() {
    for (path, text) in inputs("content_load") {
        eprintln!("{}", path.display());
        load_every_kind(&text);
    }
}

#[test]
fn markdown_regressions() {
    let index = LinkIndex::default();
    let links = LinkContext::new(&index, Path::new("content/pages/a.md"), "../");
    for (path, text) in inputs("markdown") {
        eprintln!("{}", path.display());
        let file = SourceFile::new(PathBuf::from("content/pages/a.md"), text.clone());
        let _ = check(&file, &text, Origin::Body(0), &Limits::default());
        for unsafe_html in [false, true] {
            let rendered = render(
                &text,
                &Settings::new(unsafe_html, &Limits::default()),
                &links,
            );
            assert!(!rendered.html.contains('\0'));
        }
        let _ = plain_text(&text);
    }
}

#[test]
fn dates_regressions() {
    for (path, text) in inputs("dates") {
        eprintln!("{}", path.display());
        if let Ok(date) = parse_date(&text) {
            assert_eq!(date.to_string(), text.trim());
        }
        if let Ok(deadline) = Deadline::parse(&text) {
            assert_eq!(Deadline::parse(&deadline.written()).ok(), Some(deadline));
        }
    }
}

#[test]
fn tokenizer_regressions() {
    for (path, text) in inputs("tokenizer") {
        eprintln!("{}", path.display());
        assert_eq!(fold(&text).chars().count(), text.chars().count());
        let _ = runs(&text);
        let mut terms = std::collections::HashSet::new();
        index_terms(&text, |t| {
            terms.insert(t.text());
        });
        for term in query_terms(&text) {
            assert!(terms.contains(&term), "{term:?}");
        }
        let _ = code_term(&text);
    }
}
