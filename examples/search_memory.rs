//! The search index's share of a build's memory, measured (docs/search.md, "Memory"):
//!
//!     cargo run --release --example search_memory -- bench-sites/n100000
//!
//! The site is loaded and checked first; the kernel's peak-RSS mark is then reset
//! (`/proc/self/clear_refs`), and the clean index is built (`search::index::build`, what
//! `gongkai build` runs): the peak over the resident size before it is what the index adds
//! to a build's peak, with the files it returns still held (as the build holds them until
//! they are written).

use std::time::Instant;

fn status(key: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace()
        .nth(1)?
        .parse::<u64>()
        .ok()
        .map(|kb| kb * 1024)
}

/// A measurement, not a test: it prints, and asserts nothing.
fn main() {
    let Some(root) = std::env::args_os().nth(1) else {
        eprintln!("usage: search_memory SITE_ROOT   (e.g. bench-sites/n100000)");
        std::process::exit(2);
    };
    let mut options = gongkai::BuildOptions::new(root);
    options.as_of = "2024-12-31".parse().ok();
    let site = match gongkai::check(&options) {
        Ok((site, _)) => site,
        Err(errors) => {
            eprintln!("the site does not check:\n{errors}");
            std::process::exit(1);
        }
    };
    let check_peak = status("VmHWM:").unwrap_or(0);
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = status("VmRSS:").unwrap_or(0);
    let started = Instant::now();
    let (files, stats) = gongkai::search::index::build(&site);
    let elapsed = started.elapsed();
    let peak = status("VmHWM:").unwrap_or(0);
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    let mb = |b: u64| b as f64 / 1e6;
    println!(
        "{} documents, {} terms, {} files, {:.1} MB written; index built in {:.1?}; \
         resident before {:.0} MB (check's peak {:.0} MB); peak while indexing {:.0} MB: \
         the index adds {:.0} MB, of which {:.0} MB are the files it returns",
        stats.docs,
        stats.terms,
        files.len(),
        bytes as f64 / 1e6,
        elapsed,
        mb(before),
        mb(check_peak),
        mb(peak),
        mb(peak.saturating_sub(before)),
        bytes as f64 / 1e6,
    );
    drop(site);
}
