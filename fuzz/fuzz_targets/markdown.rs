//! Arbitrary text → the load-time Markdown check (nesting, headings, links), rendering
//! with raw HTML escaped and let through (with internal links to rewrite), and the plain
//! text search indexes.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use gongkai::content::markdown::{Origin, Settings, check};
use gongkai::limits::Limits;
use gongkai::links::{Kind, LinkContext, LinkIndex};
use gongkai::content::markdown::plain_text;
use gongkai::render::markdown::render;
use gongkai::source::SourceFile;
use libfuzzer_sys::fuzz_target;

/// A few documents internal links may name: a notice, a unit and an attachment.
static LINKS: LazyLock<LinkIndex> = LazyLock::new(|| {
    let mut index = LinkIndex::default();
    index.add(
        Path::new("content/notices/2014/a.md"),
        Kind::Notice,
        "k1/2014-00001",
    );
    index.add(Path::new("content/units/u0.yaml"), Kind::Unit, "u0");
    index.publish_file("attachments/2014/a.pdf".into(), 1024);
    index
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile::new(PathBuf::from("content/pages/a.md"), text.to_string());
    let limits = Limits::default();
    let checked = check(&file, text, Origin::Body(0), &limits);
    for e in &checked.errors {
        let _ = e.to_string();
    }
    let links = LinkContext::new(&LINKS, Path::new("content/pages/a.md"), "../");
    for unsafe_html in [false, true] {
        let rendered = render(text, &Settings::new(unsafe_html, &limits), &links);
        assert!(!rendered.html.contains('\0'), "NUL reached the HTML");
        let mut ids = std::collections::HashSet::new();
        for heading in &rendered.headings {
            assert!(
                ids.insert(heading.id.as_str()),
                "duplicate heading id {}",
                heading.id
            );
        }
    }
    let _ = plain_text(text);
});
