//! Render: the resolved [`Site`] into output files, one module per page family.
//!
//! Every output file records which content items it shows ([`ItemKey`]), so a watcher
//! can rebuild only the pages one changed file affects.

pub mod bodies;
pub mod data;
pub mod highlight;
pub mod markdown;
mod notices;
mod pages;
pub mod progress;
pub mod theme;
mod units;
pub mod views;

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::Site;
use views::SiteView;

/// A content item an output page depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKey {
    /// `site.yaml` and the theme: every page depends on them.
    Site,
    /// Any notice: lists that show "the latest" or "all" notices.
    AllNotices,
    /// One notice, by 索引号.
    Notice(String),
    /// One unit, by id.
    Unit(String),
    /// Any unit: the registry.
    AllUnits,
    /// One coordinating body, by id.
    Body(String),
    /// Any body: the bodies index.
    AllBodies,
    /// One progress plan, by id.
    Plan(String),
    /// Any plan: plan lists and summaries.
    AllPlans,
    /// A free page, by slug.
    Page(String),
    /// One news item, by slug.
    News(String),
    /// Any news item: news lists.
    AllNews,
}

impl ItemKey {
    /// Whether a page that lists `self` among its sources must be rebuilt when the item
    /// `changed` changes: the exact item, or a family key (`AllNotices`) for any member.
    pub fn is_affected_by(&self, changed: &ItemKey) -> bool {
        self == changed
            || matches!(
                (self, changed),
                (ItemKey::AllNotices, ItemKey::Notice(_))
                    | (ItemKey::AllUnits, ItemKey::Unit(_))
                    | (ItemKey::AllBodies, ItemKey::Body(_))
                    | (ItemKey::AllPlans, ItemKey::Plan(_))
                    | (ItemKey::AllNews, ItemKey::News(_))
            )
            || *changed == ItemKey::Site
    }
}

impl Rendered {
    /// Output paths that show `changed` and must be rewritten when it changes: what a
    /// watcher (`gongkai serve`) rebuilds after one file is saved.
    pub fn affected_by(&self, changed: &ItemKey) -> Vec<&str> {
        self.files
            .iter()
            .filter(|f| f.sources.iter().any(|s| s.is_affected_by(changed)))
            .map(|f| f.path.as_str())
            .collect()
    }
}

/// One file of the built site. Its bytes go to a [`Sink`] as soon as the file is made:
/// into the staging folder for a build (the record keeps only path and sources), or
/// nowhere for an in-memory render.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/`.
    pub path: String,
    /// The bytes (pages already minified); empty once a writing sink has taken them.
    pub bytes: Vec<u8>,
    /// The content items this file shows.
    pub sources: Vec<ItemKey>,
}

/// A file copied as is into the output (attachments).
#[derive(Debug, Clone)]
pub struct CopiedFile {
    /// Source, relative to the site root.
    pub from: std::path::PathBuf,
    /// Path relative to the output folder.
    pub to: String,
}

/// Where each file goes the moment it is made, so that a big site is never held in
/// memory whole: [`crate::output::Staging`] writes it into the staging folder; [`InMemory`]
/// keeps it (tests, and reading which pages a change affects).
pub trait Sink: Sync {
    /// Takes `file` and returns what the render keeps of it (at least path and sources).
    fn put(&self, file: OutputFile) -> Result<OutputFile, Diagnostic>;
}

/// A sink that keeps every file, bytes included.
pub struct InMemory;

impl Sink for InMemory {
    fn put(&self, file: OutputFile) -> Result<OutputFile, Diagnostic> {
        Ok(file)
    }
}

/// A sink that fails the build once the output would pass `limits: output_mb:`, so that
/// no content can fill the disk; attachments count from the start.
struct WithinLimit<'a> {
    inner: &'a dyn Sink,
    max: u64,
    written: std::sync::atomic::AtomicU64,
}

impl<'a> WithinLimit<'a> {
    fn new(inner: &'a dyn Sink, max: u64, already: u64) -> Self {
        WithinLimit {
            inner,
            max,
            written: std::sync::atomic::AtomicU64::new(already),
        }
    }
}

impl Sink for WithinLimit<'_> {
    fn put(&self, file: OutputFile) -> Result<OutputFile, Diagnostic> {
        let size = file.bytes.len() as u64;
        let total = self.written.fetch_add(size, Ordering::Relaxed) + size;
        if total > self.max {
            return Err(Diagnostic::at_path(
                std::path::Path::new(crate::config::SITE_FILE),
                // No file name here: every later file fails too, and equal messages are
                // reported once.
                format!(
                    "the site's output passes the limit of {}",
                    crate::limits::megabytes(self.max)
                ),
            )
            .with_help("raise `limits: output_mb:` in site.yaml if the site is really this big"));
        }
        self.inner.put(file)
    }
}

/// Everything the build wrote (or, in memory, would write).
#[derive(Debug, Default)]
pub struct Rendered {
    /// Generated files.
    pub files: Vec<OutputFile>,
    /// Files copied from content.
    pub copies: Vec<CopiedFile>,
    /// Time spent building the search index (part of rendering).
    pub search_time: std::time::Duration,
}

/// Shared by every page family: the site, the templates, the site-wide view and the sink.
pub struct Renderer<'a> {
    site: &'a Site,
    tera: &'a tera::Tera,
    sink: &'a dyn Sink,
    site_view: SiteView,
    /// Set when any page has highlighted code: only then is the stylesheet written.
    code_seen: AtomicBool,
}

/// Values every page template receives besides its own.
#[derive(Serialize)]
struct Frame<'a> {
    site: &'a SiteView,
    /// Relative prefix from this page to the site root ("" or "../../").
    root: String,
    /// Which main-navigation section is current.
    section: &'a str,
    /// The page's `<title>` (before the site title).
    title: &'a str,
    /// Whether the page needs the code-highlighting stylesheet.
    has_code: bool,
}

impl<'a> Renderer<'a> {
    /// Prepares rendering of `site` with `tera`, each page going to `sink`.
    pub fn new(site: &'a Site, tera: &'a tera::Tera, sink: &'a dyn Sink) -> Self {
        let site_view = SiteView::new(&site.config, &site.as_of, site);
        Self {
            site,
            tera,
            sink,
            site_view,
            code_seen: AtomicBool::new(false),
        }
    }

    /// Renders `template` to `path` (`notices/x/index.html`), with the page's own
    /// values in `page` and the frame values every template uses.
    fn page(
        &self,
        path: String,
        template: &str,
        head: PageHead<'_>,
        page: &impl Serialize,
        sources: Vec<ItemKey>,
    ) -> Result<OutputFile, Diagnostic> {
        if head.has_code {
            self.code_seen.store(true, Ordering::Relaxed);
        }
        let frame = Frame {
            site: &self.site_view,
            root: match (&self.site_view.base_path, path.as_str()) {
                (Some(base), "404.html") => base.clone(),
                _ => root_prefix(&path),
            },
            section: head.section,
            title: head.title,
            has_code: head.has_code,
        };
        let mut context =
            tera::Context::from_serialize(&frame).map_err(|e| template_error(template, &e))?;
        context.insert("page", page);
        let html = self
            .tera
            .render(template, &context)
            .map_err(|e| template_error(template, &e))?;
        self.sink.put(OutputFile {
            path,
            bytes: minify(html.as_bytes()),
            sources,
        })
    }
}

/// Minifies one HTML page (every page goes through minify-html, as the design asks).
fn minify(html: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = true;
    // Our pages carry no inline script; leave JS alone (its minifier rewrites quotes).
    cfg.minify_js = false;
    minify_html::minify(html, &cfg)
}

/// Title, section and needs of one page.
pub struct PageHead<'a> {
    /// `<title>` text before the site title.
    pub title: &'a str,
    /// Current navigation section: home, notices, units, news, search, page.
    pub section: &'a str,
    /// Whether a highlighted code block appears.
    pub has_code: bool,
}

fn template_error(template: &str, error: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::at_path(
        &std::path::Path::new(theme::OVERRIDE_DIR).join(template),
        format!("cannot render template: {error}"),
    )
}

/// "../../" for `notices/x/index.html`: links stay relative so the site works under
/// any subfolder and from disk.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A function rendering one family of pages (notice pages, lists, units …).
type PageFamily = fn(&Renderer) -> Vec<Result<OutputFile, Diagnostic>>;

/// Renders every page of the site, in parallel, keeping every file in memory.
pub fn render_site(site: &Site, tera: &tera::Tera) -> Result<Rendered, Diagnostics> {
    render_to(site, tera, &InMemory)
}

/// Renders every page of the site, in parallel, handing each file to `sink` as soon as it
/// is made, and lists the files to copy.
pub fn render_to(site: &Site, tera: &tera::Tera, sink: &dyn Sink) -> Result<Rendered, Diagnostics> {
    let attachments: u64 = site
        .notice_links
        .iter()
        .flat_map(|links| &links.attachments)
        .map(|a| (a.path.as_str(), a.size))
        .collect::<std::collections::BTreeMap<_, _>>()
        .values()
        .sum();
    let limited = WithinLimit::new(sink, site.config.limits.output_bytes(), attachments);
    let sink: &dyn Sink = &limited;
    let renderer = Renderer::new(site, tera, sink);
    // Page families hand their pages to the sink in `Renderer::page`; data families
    // (JSON, feeds) return whole files, handed over below.
    let families: Vec<(PageFamily, bool)> = vec![
        (notices::notice_pages, true),
        (notices::notice_lists, true),
        (units::unit_pages, true),
        (bodies::body_pages, true),
        (progress::progress_pages, true),
        (pages::home, true),
        (pages::free_pages, true),
        (pages::news_pages, true),
        (pages::not_found, true),
        (pages::search_page, true),
        (data::open_data, false),
        (data::progress_data, false),
        (data::feeds, false),
    ];
    let results: Vec<Result<OutputFile, Diagnostic>> = families
        .par_iter()
        .flat_map_iter(|(family, via_page)| {
            family(&renderer)
                .into_iter()
                .map(move |result| match result {
                    Ok(file) if !via_page => sink.put(file),
                    other => other,
                })
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    keep_files(results, &mut files)?;
    let mut extra: Vec<OutputFile> = theme::ASSETS
        .iter()
        .map(|(name, bytes)| OutputFile {
            path: format!("assets/{name}"),
            bytes: bytes.to_vec(),
            sources: vec![ItemKey::Site],
        })
        .collect();
    let search_started = std::time::Instant::now();
    let (search_files, _) = crate::search::index::build(site);
    let search_time = search_started.elapsed();
    extra.extend(search_files);
    extra.push(OutputFile {
        path: "search/gongkai-search.js".into(),
        bytes: theme::SEARCH_CLIENT.to_vec(),
        sources: vec![ItemKey::Site],
    });
    if renderer.code_seen.load(Ordering::Relaxed) {
        extra.push(OutputFile {
            path: "assets/highlight.css".into(),
            bytes: highlight::stylesheet().into_bytes(),
            sources: vec![ItemKey::Site],
        });
    }
    keep_files(
        extra.into_par_iter().map(|file| sink.put(file)).collect(),
        &mut files,
    )?;
    // Notices may share one attachment (a form several notices offer): copy it once.
    // Files that Markdown links name are published the same way.
    let attachment_paths: std::collections::BTreeSet<&str> = site
        .notice_links
        .iter()
        .flat_map(|links| &links.attachments)
        .map(|a| a.path.as_str())
        .chain(site.links.published_files())
        .collect();
    let copies = attachment_paths
        .into_iter()
        .map(|path| CopiedFile {
            from: std::path::Path::new("content").join(path),
            to: path.to_string(),
        })
        .collect();
    Ok(Rendered {
        files,
        copies,
        search_time,
    })
}

/// Appends the files of `results` to `files`, or returns every error among them.
fn keep_files(
    results: Vec<Result<OutputFile, Diagnostic>>,
    files: &mut Vec<OutputFile>,
) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("notices/index.html"), "../");
        assert_eq!(root_prefix("notices/k1-2014-00065/index.html"), "../../");
    }
}
