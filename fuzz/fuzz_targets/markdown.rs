//! Arbitrary text → Markdown rendering (raw HTML escaped, and let through) and the plain
//! text search indexes.
#![no_main]

use gongkai::render::markdown::{plain_text, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for unsafe_html in [false, true] {
        let rendered = render(text, unsafe_html);
        let mut ids = std::collections::HashSet::new();
        for heading in &rendered.headings {
            assert!(ids.insert(heading.id.as_str()), "duplicate heading id {}", heading.id);
        }
    }
    let _ = plain_text(text);
});
