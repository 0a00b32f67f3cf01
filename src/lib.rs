//! gongkai (公开): a static-site generator for government information disclosure.
//!
//! The build is one pipeline, a module per stage:
//!
//! 1. [`content::load`]: read and parse every file (one module per content kind);
//! 2. [`site::resolve`]: check references between files and index them both ways;
//! 3. [`render::render_to`]: turn the site into pages, in parallel, each written into
//!    the staging folder ([`output::Staging`]) as soon as it is made; with the build
//!    cache, only the pages whose sources changed, the others hard-linked from the last
//!    output (`build_cache`);
//! 4. [`search::SearchIndex::build`]: the search index, from the site alone, into the
//!    same staging folder;
//! 5. [`output::Staging::finish`]: copy attachments and swap the output folder in atomically.
//!
//! Errors of every stage are collected as [`Diagnostics`], never only the first.

mod build_cache;
pub mod catalog;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod duties;
pub mod engine;
pub mod enums;
pub mod external;
pub mod import;
pub mod inspection;
pub mod limits;
pub mod links;
pub mod output;
pub mod precompress;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod time;
pub mod urls;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

pub use diagnostics::{Code, Diagnostic, Diagnostics, Lang, Severity, Text};
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
    /// `--precompress`: a `.gz` and a `.br` beside every text file ([`precompress`]).
    pub precompress: bool,
    /// Use and update the build cache under `.gongkai-cache/` (`gongkai build` does unless
    /// `--no-cache`; off for the library's callers unless they ask): pages whose sources
    /// did not change are taken from the last output instead of rendered.
    pub cache: bool,
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
            precompress: false,
            cache: false,
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
    /// Pages written, by kind.
    pub pages: PageCounts,
    /// Warnings (they do not fail the build).
    pub warnings: Diagnostics,
    /// Wall time of each stage, for the bench.
    pub timings: Timings,
    /// Files taken unchanged from the last output by the build cache (0 without it).
    pub reused: usize,
}

/// How many pages of each kind a site has, for the one-line summary of `build` and
/// `check` and for `--format json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PageCounts {
    /// One page per notice.
    pub notices: usize,
    /// One page per unit.
    pub units: usize,
    /// One page per coordinating body.
    pub bodies: usize,
    /// One page per progress plan.
    pub plans: usize,
    /// One page per news item.
    pub news: usize,
    /// One page per free page.
    pub pages: usize,
    /// Every other page: the home page, lists and their pages, years, search, 404 …
    /// (0 after a check, which writes nothing).
    pub lists: usize,
}

impl PageCounts {
    /// The item pages of `site`, with `html_pages` written in all (0 when nothing was
    /// written) giving the lists as what is left.
    pub fn of(site: &site::Site, html_pages: usize) -> Self {
        let mut counts = PageCounts {
            notices: site.notices.len(),
            units: site.units.len(),
            bodies: site.bodies.len(),
            plans: site.plans.len(),
            news: site.news.len(),
            pages: site.pages.len(),
            lists: 0,
        };
        let items = counts.notices
            + counts.units
            + counts.bodies
            + counts.plans
            + counts.news
            + counts.pages;
        counts.lists = html_pages.saturating_sub(items);
        counts
    }
}

/// Wall time of each stage of a build.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Load, validate and resolve.
    pub check: std::time::Duration,
    /// Render and write pages, then the search index.
    pub render: std::time::Duration,
    /// Of which: the search index, built and written (its own stage, after the pages).
    pub search: std::time::Duration,
    /// Copy attachments and swap the output folder in.
    pub write: std::time::Duration,
}

/// Loads, validates and resolves the site without writing anything.
///
/// Returns the site and its warnings, or every error found.
pub fn check(options: &BuildOptions) -> Result<(site::Site, Diagnostics), Diagnostics> {
    check_cached(options, &mut content::LoadCache::default())
}

/// [`check`], reading again only the files that changed since `cache` last saw them.
pub fn check_cached(
    options: &BuildOptions,
    cache: &mut content::LoadCache,
) -> Result<(site::Site, Diagnostics), Diagnostics> {
    let (content, mut diagnostics) = content::load_cached(&options.root, cache);
    let Some(content) = content else {
        diagnostics.sort();
        return Err(diagnostics);
    };
    let as_of = AsOf::resolve(options.as_of, content.config.as_of).map_err(|message| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::at_path(
            diagnostics::Code::InvalidEnvironment,
            Path::new("SOURCE_DATE_EPOCH"),
            message,
        ));
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
    build_counting(options, None)
}

/// How far a build is, for a progress bar: files handed to the output folder so far, and
/// the number of pages the site makes (0 until the content is checked).
#[derive(Debug, Default)]
pub struct Progress {
    /// Files written into the staging folder.
    pub written: Arc<AtomicU64>,
    /// Pages and data files the render makes ([`render::pages`]); the search index
    /// comes after them.
    pub pages: AtomicU64,
}

/// [`build`], reporting into `progress` as files are written, so the command line can
/// show a bar while the pages are rendered.
pub fn build_counting(
    options: &BuildOptions,
    progress: Option<Arc<Progress>>,
) -> Result<Report, Diagnostics> {
    // A root that does not exist gets check's diagnostics before any folder is created.
    if !options.root.is_dir() {
        check(options)?;
    }
    // The output comes first, before the content is even read: it is locked against a
    // second build, a site a killed build left aside is put back, stale folders go, and a
    // folder gongkai did not make is refused; all of that whatever the content holds.
    let mut staging = output::Staging::create(&options.root, &options.out_dir(), options.force)?;
    if let Some(progress) = &progress {
        staging.count_into(Arc::clone(&progress.written));
    }
    let started = std::time::Instant::now();
    let (site, mut warnings) = check(options)?;
    if let Some(progress) = &progress {
        let pages = render::pages(&site).len() as u64;
        progress
            .pages
            .store(pages, std::sync::atomic::Ordering::Relaxed);
    }
    let checked = std::time::Instant::now();
    let tera = render::theme::load(&options.root)?;
    // No content may fill the disk: pages and the index count against `limits:
    // output_mb:`, attachments from the start.
    let attachments: u64 = render::published_files(&site).values().sum();
    let limited =
        render::WithinLimit::new(&staging, site.config.limits.output_bytes(), attachments);
    let twins = precompress::Precompress::new(&limited);
    let sink: &dyn render::Sink = if options.precompress {
        &twins
    } else {
        &limited
    };
    let cache = build_cache::BuildCache::of(options);
    let previous = cache.as_ref().and_then(|c| c.previous(&options.out_dir()));
    let (render_ids, unchanged, known) = build_cache::plan(&site, options, previous, &staging)?;
    let reused = unchanged.len();
    let mut rendered = render::render_some(&site, &tera, sink, render_ids, unchanged)?;
    let search_started = std::time::Instant::now();
    let search = search::SearchIndex::new().build(&site);
    put_search_files(search.written, sink, &mut rendered)?;
    let rendered_at = std::time::Instant::now();
    let output = staging.finish(&rendered)?;
    if let Some(cache) = &cache
        && let Err(e) = cache.save(&site, options, &options.out_dir(), &rendered.files, known)
    {
        // The site is built; only the next build's speed is at stake.
        warnings.push(Diagnostic::warning_at_path(
            diagnostics::Code::WriteFailed,
            Path::new(build_cache::DIR),
            text!("build cache not saved: {e}", "未能保存构建缓存：{e}"),
        ));
    }
    Ok(Report {
        as_of: site.as_of,
        notices: site.notices.len(),
        pages: PageCounts::of(&site, output.pages),
        output,
        warnings,
        timings: Timings {
            check: checked - started,
            render: rendered_at - checked,
            search: rendered_at - search_started,
            write: rendered_at.elapsed(),
        },
        reused,
    })
}

/// Hands the search index's files to `sink` and lists them with the rendered files.
fn put_search_files(
    files: Vec<search::SearchFile>,
    sink: &dyn render::Sink,
    rendered: &mut render::Rendered,
) -> Result<(), Diagnostics> {
    use rayon::prelude::*;
    // The index shows every kind of content.
    let sources = vec![render::ItemKey::Whole];
    let results: Vec<Result<render::OutputFile, Diagnostic>> = files
        .into_par_iter()
        .map(|file| {
            sink.put(render::OutputFile {
                path: file.path,
                bytes: file.bytes,
                sources: sources.clone(),
                has_code: false,
            })
        })
        .collect();
    let mut diagnostics = Diagnostics::new();
    for result in results {
        match result {
            Ok(file) => rendered.files.push(file),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    Ok(())
}
