//! gongkai (公开): a static-site generator for government information disclosure.
//!
//! The build is one pipeline, a module per stage:
//!
//! 1. [`content::load`]: read and parse every file (one module per content kind);
//! 2. [`site::resolve`]: check references between files and index them both ways;
//! 3. [`render::render_to`]: turn the site into pages, in parallel, each written into
//!    the staging folder ([`output::Staging`]) as soon as it is made;
//! 4. [`output::Staging::finish`]: copy attachments and swap the output folder in atomically.
//!
//! Errors of every stage are collected as [`Diagnostics`], never only the first.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod external;
pub mod limits;
pub mod links;
pub mod output;
pub mod progress;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod time;
pub mod urls;

use std::path::{Path, PathBuf};

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
use jiff::civil::Date;
pub use time::AsOf;

/// What `gongkai build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root: the folder holding `content/site.yaml`.
    pub root: PathBuf,
    /// Output folder; `public/` under the root when `None`.
    pub out: Option<PathBuf>,
    /// `--as-of`: overrides every other source of "today".
    pub as_of: Option<Date>,
    /// Build notices and news marked `draft: true`.
    pub drafts: bool,
    /// `--force`: replace a non-empty output folder even without gongkai's marker file
    /// ([`output::MARKER`]). The site root, a folder holding it and `content/` stay refused.
    pub force: bool,
}

impl BuildOptions {
    /// Options for building the site at `root` with defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            out: None,
            as_of: None,
            drafts: false,
            force: false,
        }
    }

    /// The output folder the build writes.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The *as of* date used.
    pub as_of: AsOf,
    /// Notices built.
    pub notices: usize,
    /// Files written.
    pub output: output::WriteReport,
    /// Warnings (they do not fail the build).
    pub warnings: Diagnostics,
    /// Wall time of each stage, for the bench.
    pub timings: Timings,
}

/// Wall time of each stage of a build.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Load, validate and resolve.
    pub check: std::time::Duration,
    /// Render and write pages (including the search index).
    pub render: std::time::Duration,
    /// Of which: the search index.
    pub search: std::time::Duration,
    /// Copy attachments and swap the output folder in.
    pub write: std::time::Duration,
}

/// Loads, validates and resolves the site without writing anything.
///
/// Returns the site and its warnings, or every error found.
pub fn check(options: &BuildOptions) -> Result<(site::Site, Diagnostics), Diagnostics> {
    let (content, mut diagnostics) = content::load(&options.root);
    let Some(content) = content else {
        diagnostics.sort();
        return Err(diagnostics);
    };
    let as_of = AsOf::resolve(options.as_of, content.config.as_of).map_err(|message| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::at_path(Path::new("SOURCE_DATE_EPOCH"), message));
        d
    })?;
    let (site, resolved) = site::resolve(&options.root, content, as_of, options.drafts);
    diagnostics.extend(resolved);
    diagnostics.sort();
    match site {
        Some(site) if !diagnostics.has_errors() => Ok((site, diagnostics)),
        _ => Err(diagnostics),
    }
}

/// Builds the site: check, render, then write into the output folder atomically.
/// On any error nothing is written and the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<Report, Diagnostics> {
    // A root that does not exist gets check's diagnostics before any folder is created.
    if !options.root.is_dir() {
        check(options)?;
    }
    // The output comes first, before the content is even read: it is locked against a
    // second build, a site a killed build left aside is put back, stale folders go, and a
    // folder gongkai did not make is refused; all of that whatever the content holds.
    let staging = output::Staging::create(&options.root, &options.out_dir(), options.force)?;
    let started = std::time::Instant::now();
    let (site, warnings) = check(options)?;
    let checked = std::time::Instant::now();
    let tera = render::theme::load(&options.root)?;
    let rendered = render::render_to(&site, &tera, &staging)?;
    let rendered_at = std::time::Instant::now();
    let output = staging.finish(&rendered)?;
    Ok(Report {
        as_of: site.as_of,
        notices: site.notices.len(),
        output,
        warnings,
        timings: Timings {
            check: checked - started,
            render: rendered_at - checked,
            search: rendered.search_time,
            write: rendered_at.elapsed(),
        },
    })
}
