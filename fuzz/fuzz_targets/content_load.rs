//! Bytes → one content file of every kind: front-matter split, YAML load and the
//! validation each kind's parser does on its own (notices, units, bodies, plans, pages,
//! news, applications, report year files and site.yaml), then every diagnostic printed (positions → source lines).
#![no_main]

use std::path::PathBuf;

use gongkai::config::SiteConfig;
use gongkai::content::markdown::{Origin, check};
use gongkai::content::{application, body, notice, page, plan, unit, year_report};
use gongkai::limits::Limits;
use gongkai::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // `SourceFile::read` rejects non-UTF-8 and strips a BOM; do the same.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = |path: &str| SourceFile::new(PathBuf::from(path), text.to_string());

    let source = file("content/notices/2014/a.md");
    if let Ok(front) = source.front_matter() {
        assert!(front.body_offset <= text.len());
        assert!(text.ends_with(front.body));
    }
    // Positions of character offsets must be computable (diagnostics inside a body).
    let middle = (0..=text.len() / 2)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    for offset in [0, middle, text.len()] {
        let p = source.position_of(offset);
        let _ = source.line_text(p.line);
    }

    let (n, errors) = notice::parse(file("content/notices/2014/a.md"));
    print_all(&errors);
    if let Some(n) = n {
        let _ = n.index_no.value.slug();
        body_check(&n.file, n.body(), n.body_offset);
    }
    let (_, errors) = unit::parse(file("content/units/fuzz.yaml"), id(unit::UnitId::parse));
    print_all(&errors);
    let (_, errors) = body::parse(file("content/bodies/fuzz.yaml"), id(body::BodyId::parse));
    print_all(&errors);
    let (p, errors) = plan::parse(file("content/progress/fuzz.yaml"), id(plan::PlanId::parse));
    print_all(&errors);
    if let Some(p) = p {
        for task in p.tasks() {
            if let Some(d) = &task.deadline {
                let _ = (d.date(), d.label(), d.written());
            }
        }
    }
    let (a, errors) = application::parse(
        file("content/applications/fuzz.yaml"),
        id(application::ApplicationId::parse),
    );
    print_all(&errors);
    if let Some(a) = a {
        // The deadline's count is bounded whatever the file says (third_party_days ≤ 1000).
        let calendar = gongkai::duties::Calendar::new(&Default::default());
        let _ = gongkai::duties::Due::of(&a, &calendar);
    }
    let year = year_report::ReportYear::parse("2024").expect("a valid year");
    let (_, errors) = year_report::parse(file("content/reports/2024.yaml"), year);
    print_all(&errors);
    match page::parse_page(file("content/pages/fuzz.md"), "fuzz".into()) {
        Ok(p) => body_check(&p.file, p.body(), p.body_offset),
        Err(errors) => print_all(&errors),
    }
    match page::parse_news(file("content/news/fuzz.md"), "fuzz".into()) {
        Ok(n) => body_check(&n.file, n.body(), n.body_offset),
        Err(errors) => print_all(&errors),
    }
    if let Err(errors) = SiteConfig::parse(&file("content/site.yaml")) {
        let _ = errors.to_string();
    }
});

fn id<T>(parse: fn(&str) -> Result<T, gongkai::Text>) -> T {
    parse("fuzz").expect("a valid id")
}

/// The Markdown check `content::load` runs on every body (nesting, headings, links).
fn body_check(file: &SourceFile, body: &str, offset: usize) {
    let checked = check(file, body, Origin::Body(offset), &Limits::default());
    print_all(&checked.errors);
}

fn print_all(errors: &[gongkai::Diagnostic]) {
    for e in errors {
        let _ = e.to_string();
    }
}
