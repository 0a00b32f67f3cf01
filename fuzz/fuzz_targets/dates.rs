//! Dates and deadlines as written in content: `parse_date` (YYYY-MM-DD) and
//! `Deadline::parse` (YYYY, YYYY-MM, YYYY-MM-DD or a label), with what is derived from them.
#![no_main]

use gongkai::time::{Deadline, chinese_date, parse_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(date) = parse_date(text) {
        let _ = chinese_date(date);
        // A date that parses prints back as itself.
        assert_eq!(date.to_string(), text.trim());
    }
    if let Ok(deadline) = Deadline::parse(text) {
        let _ = (deadline.date(), deadline.label());
        let written = deadline.written();
        // What open data prints parses back to the same deadline.
        assert_eq!(Deadline::parse(&written).ok(), Some(deadline));
    }
});
