//! Render: the resolved [`Site`] into output files, one module per page family.
//!
//! Every output file records which content items it shows ([`ItemKey`]), so a watcher
//! can rebuild only the pages one changed file affects.

pub mod bodies;
mod catalog;
pub mod data;
pub mod deps;
pub mod feeds;
pub mod highlight;
pub mod markdown;
mod notices;
mod pages;
pub mod progress;
mod report_table;
pub mod reports;
pub mod theme;
mod units;
pub mod views;

use std::sync::atomic::Ordering;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::{BodyIx, NoticeIx, PlanIx, Site, UnitIx};
pub use data::Kept;
pub use deps::{ItemKey, Reads};
use views::SiteView;

impl Rendered {
    /// Output paths that read `changed`: what must be re-rendered when it changes.
    pub fn affected_by(&self, changed: &ItemKey) -> Vec<&str> {
        self.files
            .iter()
            .filter(|f| f.sources.contains(changed))
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
    /// What the file shows ([`deps`]), sorted.
    pub sources: Vec<ItemKey>,
    /// Whether the page has highlighted code (then `assets/highlight.css` is written).
    pub has_code: bool,
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
pub struct WithinLimit<'a> {
    inner: &'a dyn Sink,
    max: u64,
    written: std::sync::atomic::AtomicU64,
}

impl<'a> WithinLimit<'a> {
    /// A sink passing files to `inner` until `max` bytes, of which `already` are taken.
    pub fn new(inner: &'a dyn Sink, max: u64, already: u64) -> Self {
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
                crate::diagnostics::Code::OutputTooLarge,
                std::path::Path::new(crate::config::SITE_FILE),
                // No file name here: every later file fails too, and equal messages are
                // reported once.
                crate::text!(
                    "the site's output passes the limit of {max}",
                    "站点的输出超过上限 {max}",
                    max = crate::limits::megabytes(self.max)
                ),
            )
            .with_help(crate::text!(
                "raise `limits: output_mb:` in site.yaml if the site is really this big",
                "如果站点确实这么大，请在 site.yaml 中调高 `limits: output_mb:`"
            )));
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
}

pub use renderer::Renderer;

/// The renderer lives in its own module so that page families cannot reach the site
/// around [`Reads`]: what a page shows is what it recorded.
mod renderer {
    use super::*;

    /// Shared by every page: the site, the templates, the site-wide view and the sink.
    pub struct Renderer<'a> {
        site: &'a Site,
        tera: &'a tera::Tera,
        sink: &'a dyn Sink,
        site_view: SiteView,
        kept: Option<&'a Kept>,
    }

    impl<'a> Renderer<'a> {
        /// Prepares rendering of `site` with `tera`, each page going to `sink`.
        pub fn new(site: &'a Site, tera: &'a tera::Tera, sink: &'a dyn Sink) -> Self {
            let site_view = SiteView::new(&site.config, &site.as_of, &site.pages);
            Self {
                site,
                tera,
                sink,
                site_view,
                kept: None,
            }
        }

        /// Renders with `kept`: what an earlier build made of each item and can be used
        /// again where the item did not change (the rebuild engine keeps one).
        pub fn keeping(self, kept: &'a Kept) -> Self {
            Self {
                kept: Some(kept),
                ..self
            }
        }

        /// What earlier builds made, if this render keeps it.
        pub(crate) fn kept(&self) -> Option<&'a Kept> {
            self.kept
        }

        /// A reader for one page: everything the page shows is read through it.
        pub fn reads(&self) -> Reads<'a> {
            Reads::new(self.site)
        }

        /// The site-wide values, for tests that render a template by hand.
        #[cfg(test)]
        pub(crate) fn site_view(&self) -> &SiteView {
            &self.site_view
        }

        /// Hands a finished file (JSON, XML) to the sink, with what it read.
        pub fn file(
            &self,
            reads: Reads<'_>,
            path: String,
            bytes: Vec<u8>,
        ) -> Result<OutputFile, Diagnostic> {
            self.sink.put(OutputFile {
                path,
                bytes,
                sources: reads.into_sources(),
                has_code: false,
            })
        }

        /// Renders `template` to `path` (`notices/x/index.html`), with the page's own
        /// values in `page` and the frame values every template uses.
        pub fn page(
            &self,
            reads: Reads<'_>,
            path: String,
            template: &str,
            head: PageHead<'_>,
            page: &impl Serialize,
        ) -> Result<OutputFile, Diagnostic> {
            // Every page shows the site-wide frame: site.yaml and the footer's pages.
            reads.config();
            reads.pages();
            let frame = Frame {
                site: &self.site_view,
                root: match (&self.site_view.base_path, path.as_str()) {
                    (Some(base), "404.html") => base.clone(),
                    _ => root_prefix(&path),
                },
                section: head.section,
                title: head.title,
                has_code: head.has_code,
                url: page_url(&self.site_view, &path),
                column: head.column,
                article: head.article.as_ref(),
                json_ld: head.json_ld.as_deref(),
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
                sources: reads.into_sources(),
                has_code: head.has_code,
            })
        }
    }
}

/// Values every page template receives besides its own.
#[derive(Serialize)]
struct Frame<'a> {
    site: &'a SiteView,
    /// Relative prefix from this page to the site root ("" or "../../").
    root: String,
    /// Which main-navigation section is current.
    section: Section,
    /// The page's `<title>` (before the site title).
    title: &'a str,
    /// Whether the page needs the code-highlighting stylesheet.
    has_code: bool,
    /// The page's URL for its `Url` tag, canonical link and `og:url`: absolute with
    /// `base_url`, else from the site root; `None` for `404.html`.
    url: Option<String>,
    /// The column tags of a column page.
    column: Option<&'a views::Column>,
    /// The content tags of a content page.
    article: Option<&'a views::Article>,
    /// A schema.org JSON-LD block, already escaped for a `<script>` data block.
    json_ld: Option<&'a str>,
}

/// The URL of the page written to `path`: `base_url` + its folder with `base_url`,
/// else its folder from the site root (`notices/x/`, `./` for home); none for 404.html.
fn page_url(site: &views::SiteView, path: &str) -> Option<String> {
    let folder = path.strip_suffix("index.html")?;
    Some(match &site.base_url {
        Some(base) => format!("{base}{folder}"),
        None if folder.is_empty() => "./".to_string(),
        None => folder.to_string(),
    })
}

/// The main-navigation section a page belongs to (the header marks it current).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// 首页.
    Home,
    /// 信息公开 and its columns (公开目录, 政策解读, 年度报告).
    Disclosure,
    /// 政府信息公开 lists and notice pages.
    Notices,
    /// 机构名录.
    Units,
    /// 议事协调机构.
    Bodies,
    /// 工作进度.
    Progress,
    /// 工作动态.
    News,
    /// 搜索.
    Search,
    /// A free page.
    Page,
    /// No section (the 404 page).
    #[serde(rename = "")]
    None,
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
    /// Current navigation section.
    pub section: Section,
    /// Whether a highlighted code block appears.
    pub has_code: bool,
    /// Column tags: all four on a column page (lists, registry, search …); a content
    /// page names its column too (`ColumnName`, `ColumnType`).
    pub column: Option<&'static views::Column>,
    /// Content tags, for a content page (notice, news, unit, body, plan).
    pub article: Option<views::Article>,
    /// schema.org JSON-LD of the page ([`views::json_ld`]).
    pub json_ld: Option<String>,
}

impl<'a> PageHead<'a> {
    /// The head of a page titled `title` in `section`, without tags of its own.
    pub fn new(title: &'a str, section: Section) -> Self {
        PageHead {
            title,
            section,
            has_code: false,
            column: None,
            article: None,
            json_ld: None,
        }
    }

    /// A column page of `column`.
    pub fn column(self, column: &'static views::Column) -> Self {
        Self {
            column: Some(column),
            ..self
        }
    }

    /// A content page with these tags.
    pub fn article(self, article: views::Article) -> Self {
        Self {
            article: Some(article),
            ..self
        }
    }

    /// With highlighted code, or not.
    pub fn code(self, has_code: bool) -> Self {
        Self { has_code, ..self }
    }

    /// With a JSON-LD block.
    pub fn json_ld(self, value: &serde_json::Value) -> Self {
        Self {
            json_ld: Some(views::json_ld(value)),
            ..self
        }
    }
}

fn template_error(template: &str, error: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::at_path(
        crate::diagnostics::Code::Template,
        &std::path::Path::new(theme::OVERRIDE_DIR).join(template),
        crate::text!("cannot render template: {error}", "无法渲染模板：{error}"),
    )
}

/// "../../" for `notices/x/index.html`: links stay relative so the site works under
/// any subfolder and from disk.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// One file the render makes, named by what it shows. Indexes are positions in this
/// build's site; across builds a file is known by its output path ([`crate::urls`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageId {
    /// A notice page.
    Notice(NoticeIx),
    /// Page `page` (1-based) of the list of all notices, or of one year's.
    NoticeList {
        /// The year, or `None` for all notices.
        year: Option<i16>,
        /// 1-based page number.
        page: usize,
    },
    /// `/disclosure/` (信息公开).
    Disclosure,
    /// `/catalog/` (公开目录).
    Catalog,
    /// Page `page` (1-based) of the notices of 公开目录 group `group` (a topic or genre).
    GroupList {
        /// Topic or genre.
        kind: crate::catalog::GroupKind,
        /// Position in `Catalog::groups(kind)`.
        group: usize,
        /// 1-based page number.
        page: usize,
    },
    /// Page `page` (1-based) of the notices unit `unit` issued, in the catalog.
    IssuerList {
        /// The issuer.
        unit: UnitIx,
        /// 1-based page number.
        page: usize,
    },
    /// Page `page` (1-based) of `/interpretations/` (政策解读).
    Interpretations {
        /// 1-based page number.
        page: usize,
    },
    /// `/reports/` (年度报告).
    Reports,
    /// The annual report of `site.reports[i]`, at `/reports/<year>/`.
    Report(usize),
    /// The tables of `site.reports[i]` as CSV or JSON, beside its page.
    ReportTables(usize, reports::TablesFile),
    /// `/units/`.
    Units,
    /// A unit page.
    Unit(UnitIx),
    /// `/bodies/`.
    Bodies,
    /// A body page.
    Body(BodyIx),
    /// `/progress/`.
    Plans,
    /// A plan page.
    Plan(PlanIx),
    /// A plan's view for one unit.
    PlanUnit(PlanIx, UnitIx),
    /// The home page.
    Home,
    /// A free page.
    Page(usize),
    /// `/news/`.
    NewsList,
    /// A news item.
    News(usize),
    /// `404.html`.
    NotFound,
    /// `/search/`.
    Search,
    /// `/sitemap/` (网站地图).
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// An open-data file, the `/data/` page or the sitemap.
    Data(data::DataFile),
    /// An Atom feed.
    Feed(feeds::Feed),
    /// Part `n` (1-based) of a sitemap split under a sitemap index.
    SitemapPart(usize),
    /// A file of the theme copied as is (`assets/…`, the search client).
    Asset(usize),
}

impl PageId {
    /// Whether programs rather than readers open this file: open data, feeds, sitemaps,
    /// `robots.txt`, the annual reports' tables as CSV and JSON. These are the few big
    /// files every edit changes (and the small ones a program fetches); `gongkai serve`
    /// writes them after the pages a reader is looking at
    /// ([`crate::engine::Engine::rebuild_then`]). None of them goes through a template
    /// (the `/data/` page, which shows their sizes, does and is a reader's page), so once
    /// the pages are written only a disk error can still fail the rebuild.
    pub fn is_for_programs(self) -> bool {
        match self {
            PageId::Data(data::DataFile::Index) => false,
            PageId::Data(_)
            | PageId::Feed(_)
            | PageId::SitemapPart(_)
            | PageId::Robots
            | PageId::ReportTables(..) => true,
            _ => false,
        }
    }

    /// The output path of this file in `site`: what names it across builds.
    pub fn path(self, site: &Site) -> String {
        use crate::urls;
        let folder = match self {
            PageId::Notice(ix) => {
                // The one page kind there are 100,000 of: one allocation.
                let no = site.notices[ix].index_no.value.as_str();
                let mut path = String::with_capacity(no.len() + "notices//index.html".len());
                path.push_str("notices/");
                crate::content::notice::push_slug(&mut path, no);
                path.push_str("/index.html");
                return path;
            }
            PageId::NoticeList { year, page } => urls::paged(&urls::notice_list(year), page),
            PageId::Disclosure => urls::DISCLOSURE.to_string(),
            PageId::Catalog => urls::CATALOG.to_string(),
            PageId::GroupList { kind, group, page } => {
                urls::paged(&catalog::group_url(site, kind, group), page)
            }
            PageId::IssuerList { unit, page } => {
                urls::paged(&urls::issuer(site.units[unit].id.as_str()), page)
            }
            PageId::Interpretations { page } => urls::paged(urls::INTERPRETATIONS, page),
            PageId::Reports => urls::REPORTS.to_string(),
            PageId::Report(ix) => urls::report(&site.reports[ix].year.to_string()),
            PageId::ReportTables(ix, file) => {
                return reports::tables_path(site.reports[ix].year, file);
            }
            PageId::Units => urls::UNITS.to_string(),
            PageId::Unit(ix) => urls::unit(site.units[ix].id.as_str()),
            PageId::Bodies => urls::BODIES.to_string(),
            PageId::Body(bx) => urls::body(site.bodies[bx].id.as_str()),
            PageId::Plans => urls::PLANS.to_string(),
            PageId::Plan(px) => urls::plan(site.plans[px].id.as_str()),
            PageId::PlanUnit(px, u) => {
                urls::plan_unit(site.plans[px].id.as_str(), site.units[u].id.as_str())
            }
            PageId::Home => String::new(),
            PageId::Page(ix) => urls::page(&site.pages[ix].slug),
            PageId::NewsList => urls::NEWS.to_string(),
            PageId::News(ix) => urls::news(&site.news[ix].slug),
            PageId::NotFound => return "404.html".to_string(),
            PageId::Search => urls::SEARCH.to_string(),
            PageId::Sitemap => urls::SITEMAP_PAGE.to_string(),
            PageId::Robots => return urls::ROBOTS.to_string(),
            PageId::Data(file) => return file.path().to_string(),
            PageId::Feed(feed) => return feed.path(site),
            PageId::SitemapPart(n) => return urls::sitemap_part(n),
            PageId::Asset(i) => return theme::assets()[i].path.clone(),
        };
        urls::index_file(&folder)
    }
}

/// Every file the render makes for `site`, in a fixed order; `assets/highlight.css`
/// aside, which follows from the pages ([`highlight_css`]).
pub fn pages(site: &Site) -> Vec<PageId> {
    let mut ids: Vec<PageId> = (0..site.notices.len()).map(PageId::Notice).collect();
    notices::list_pages(site, &mut ids);
    catalog::list_pages(site, &mut ids);
    reports::list_pages(site, &mut ids);
    units::list_pages(site, &mut ids);
    bodies::list_pages(site, &mut ids);
    progress::list_pages(site, &mut ids);
    pages::list_pages(site, &mut ids);
    data::list_files(site, &mut ids);
    feeds::list_files(site, &mut ids);
    ids.extend((0..theme::assets().len()).map(PageId::Asset));
    ids
}

/// Renders the one file `id` and hands it to the renderer's sink.
pub fn render_page(r: &Renderer, id: PageId) -> Result<OutputFile, Diagnostic> {
    match id {
        PageId::Notice(ix) => notices::notice_page(r, ix),
        PageId::NoticeList { year, page } => notices::notice_list(r, year, page),
        PageId::Disclosure => catalog::disclosure(r),
        PageId::Catalog => catalog::catalog(r),
        PageId::GroupList { kind, group, page } => catalog::group_list(r, kind, group, page),
        PageId::IssuerList { unit, page } => catalog::issuer_list(r, unit, page),
        PageId::Interpretations { page } => catalog::interpretations(r, page),
        PageId::Reports => reports::report_list(r),
        PageId::Report(ix) => reports::report_page(r, ix),
        PageId::ReportTables(ix, file) => reports::report_tables(r, ix, file),
        PageId::Units => units::registry(r),
        PageId::Unit(ix) => units::unit_page(r, ix),
        PageId::Bodies => bodies::body_list(r),
        PageId::Body(bx) => bodies::body_page(r, bx),
        PageId::Plans => progress::plan_list(r),
        PageId::Plan(px) => progress::plan_page(r, px),
        PageId::PlanUnit(px, u) => progress::plan_unit_page(r, px, u),
        PageId::Home => pages::home(r),
        PageId::Page(ix) => pages::free_page(r, ix),
        PageId::NewsList => pages::news_list(r),
        PageId::News(ix) => pages::news_page(r, ix),
        PageId::NotFound => pages::not_found(r),
        PageId::Search => pages::search_page(r),
        PageId::Sitemap => pages::sitemap_page(r),
        PageId::Robots => pages::robots(r),
        PageId::Data(file) => data::render(r, file),
        PageId::Feed(feed) => feeds::render_feed(r, feed),
        PageId::SitemapPart(n) => feeds::render_sitemap_part(r, n),
        PageId::Asset(i) => {
            let asset = &theme::assets()[i];
            r.file(r.reads(), asset.path.clone(), asset.bytes.clone())
        }
    }
}

/// `assets/highlight.<hash>.css` ([`theme::highlight`]), written when any page has
/// highlighted code.
pub fn highlight_css() -> OutputFile {
    let css = theme::highlight();
    OutputFile {
        path: css.path.clone(),
        bytes: css.bytes.clone(),
        sources: vec![ItemKey::Site],
        has_code: false,
    }
}

/// Renders every page of the site, in parallel, keeping every file in memory.
pub fn render_site(site: &Site, tera: &tera::Tera) -> Result<Rendered, Diagnostics> {
    render_to(site, tera, &InMemory)
}

/// The files to copy from `content/`: attachments of notices and files that Markdown
/// links name, each once (notices may share one), with their sizes.
pub fn published_files(site: &Site) -> std::collections::BTreeMap<&str, u64> {
    let mut published: std::collections::BTreeMap<&str, u64> = site
        .notice_links
        .iter()
        .flat_map(|links| &links.attachments)
        .map(|a| (a.path.as_str(), a.size))
        .collect();
    published.extend(site.links.published_files());
    // The site's favicon and 党政机关网站标识, at the same path as in content/.
    let config = &site.config;
    published.extend(
        config
            .favicon
            .iter()
            .chain(&config.identity.party_gov_mark)
            .map(|(path, size)| (path.as_str(), *size)),
    );
    published
}

/// Renders every page of the site, in parallel, handing each file to `sink` as soon as it
/// is made, and lists the files to copy.
pub fn render_to(site: &Site, tera: &tera::Tera, sink: &dyn Sink) -> Result<Rendered, Diagnostics> {
    render_some(site, tera, sink, pages(site), Vec::new())
}

/// [`render_to`] for the pages `ids` only, the others being `unchanged`: files the build
/// cache found in the output folder being replaced and has already handed to the sink
/// (`crate::build_cache`). The highlighting stylesheet and the attachments are for the
/// whole site.
pub(crate) fn render_some(
    site: &Site,
    tera: &tera::Tera,
    sink: &dyn Sink,
    ids: Vec<PageId>,
    unchanged: Vec<OutputFile>,
) -> Result<Rendered, Diagnostics> {
    let published = published_files(site);
    let renderer = Renderer::new(site, tera, sink);
    let results: Vec<Result<OutputFile, Diagnostic>> = ids
        .into_par_iter()
        .map(|id| render_page(&renderer, id))
        .collect();
    let mut files = unchanged;
    files.reserve(results.len() + 1);
    keep_files(results, &mut files)?;
    if files.iter().any(|f| f.has_code) {
        keep_files(vec![sink.put(highlight_css())], &mut files)?;
    }
    let copies = published
        .keys()
        .map(|path| CopiedFile {
            from: std::path::Path::new("content").join(path),
            to: path.to_string(),
        })
        .collect();
    Ok(Rendered { files, copies })
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
    fn every_page_is_written_where_its_id_says() {
        let mut options = crate::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
        options.as_of = "2024-12-31".parse().ok();
        let (site, _) = crate::check(&options).expect("the example site checks");
        let tera = theme::load(&options.root).expect("default theme");
        let renderer = Renderer::new(&site, &tera, &InMemory);
        let ids = pages(&site);
        assert!(ids.len() > 100);
        for id in ids {
            let file = render_page(&renderer, id).expect("renders");
            assert_eq!(file.path, id.path(&site), "{id:?}");
        }
    }

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("notices/index.html"), "../");
        assert_eq!(root_prefix("notices/k1-2014-00065/index.html"), "../../");
    }

    // Minified pages parse to the same text as unminified ones (docs/fuzzing.md): a
    // generated Markdown body, title and summary go through `markdown::render` and the
    // real `page.html` template (with `base.html`), exactly as `Renderer::page` renders a
    // free page, and the page is read back with scraper before and after `minify`.

    use proptest::prelude::*;
    use scraper::{ElementRef, Html, Node};
    use std::sync::LazyLock;

    /// A site with only its site.yaml (the frame every page gets), and the default theme.
    static FRAME: LazyLock<(crate::site::Site, tera::Tera)> = LazyLock::new(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let yaml = "title: 测试站点 <&>\nowner: 测试办公室\nsite_code: \"3207000001\"\nbase_url: https://ip.example.gov.cn/\n";
        std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
        std::fs::write(dir.path().join("content/site.yaml"), yaml).expect("write");
        let mut options = crate::BuildOptions::new(dir.path());
        options.as_of = "2024-12-31".parse().ok();
        let (site, _) = crate::check(&options).expect("a site with only site.yaml checks");
        let tera = theme::load(dir.path()).expect("default theme");
        (site, tera)
    });

    /// The unminified page of a free page with this title, summary and Markdown body.
    fn free_page(title: &str, summary: Option<&str>, body: &str) -> String {
        let (site, tera) = &*FRAME;
        let renderer = Renderer::new(site, tera, &InMemory);
        let root = "../../";
        let links = crate::links::LinkContext::new(
            &site.links,
            std::path::Path::new("content/pages/a.md"),
            root,
        );
        let rendered = markdown::render(body, &site.config.markdown(), &links);
        let frame = Frame {
            site: renderer.site_view(),
            root: root.into(),
            section: Section::Page,
            title,
            has_code: rendered.has_code,
            url: Some("a/".into()),
            column: None,
            article: None,
            json_ld: None,
        };
        let mut context = tera::Context::from_serialize(&frame).expect("frame");
        context.insert(
            "page",
            &serde_json::json!({ "title": title, "summary": summary, "body_html": rendered.html }),
        );
        tera.render("page.html", &context)
            .expect("page.html renders")
    }

    /// Elements whose text flows inline: whitespace around them is significant. Form
    /// controls and labels are boxes of their own (the header's search form is a flex row,
    /// where whitespace between them shows nothing), so they separate blocks.
    const INLINE: &[&str] = &[
        "a", "abbr", "b", "cite", "code", "del", "em", "i", "img", "ins", "kbd", "mark", "q", "s",
        "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    ];
    /// Attributes with the value the element has without them, which minify-html drops.
    fn is_default_attribute(element: &str, name: &str, value: &str) -> bool {
        matches!(
            (element, name, value),
            ("form", "method", "get") | ("button", "type", "submit") | ("input", "type", "text")
        )
    }

    /// Elements whose whitespace is kept as written.
    const VERBATIM: &[&str] = &["pre", "textarea", "script", "style"];

    /// What a reader gets from a page: the text of each block with whitespace collapsed
    /// (blocks separated; whitespace at a block's edges dropped, as browsers do), the text
    /// of `<pre>` and the like exactly, and every element with its attributes in order.
    fn reading(html: &str) -> (Vec<String>, Vec<String>) {
        fn walk(
            element: ElementRef<'_>,
            verbatim: bool,
            blocks: &mut Vec<String>,
            elements: &mut Vec<String>,
        ) {
            let name = element.value().name();
            let viewport = element.value().attr("name") == Some("viewport");
            let mut attrs: Vec<String> = element
                .value()
                .attrs()
                .filter(|&(k, v)| !is_default_attribute(name, k, v))
                .map(|(k, v)| match k {
                    // minify-html drops the spaces of `width=device-width, initial-scale=1`.
                    "content" if viewport => format!("{k}={:?}", v.replace(", ", ",")),
                    _ => format!("{k}={v:?}"),
                })
                .collect();
            attrs.sort();
            elements.push(format!("<{name} {}>", attrs.join(" ")));
            let block = !INLINE.contains(&name);
            let verbatim = verbatim || VERBATIM.contains(&name);
            if block {
                blocks.push(if verbatim { "|".into() } else { String::new() });
            }
            for child in element.children() {
                if let Some(child) = ElementRef::wrap(child) {
                    walk(child, verbatim, blocks, elements);
                    continue;
                }
                let Node::Text(text) = child.value() else {
                    continue;
                };
                let out = blocks.last_mut().expect("a block");
                if verbatim {
                    out.push_str(text);
                    continue;
                }
                if text.starts_with(|c: char| c.is_ascii_whitespace()) {
                    out.push(' ');
                }
                out.push_str(&text.split_ascii_whitespace().collect::<Vec<_>>().join(" "));
                if text.ends_with(|c: char| c.is_ascii_whitespace()) {
                    out.push(' ');
                }
            }
            if block {
                blocks.push(String::new());
            }
        }
        let document = Html::parse_document(html);
        let mut blocks = vec![String::new()];
        let mut elements = Vec::new();
        walk(document.root_element(), false, &mut blocks, &mut elements);
        let blocks = blocks
            .into_iter()
            .map(|b| {
                if b.starts_with('|') {
                    b
                } else {
                    // Runs of spaces across inline elements collapse to one, as rendered.
                    b.split(' ')
                        .filter(|w| !w.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                }
            })
            .filter(|b| !b.is_empty() && b != "|")
            .collect();
        (blocks, elements)
    }

    /// Inline Markdown: CJK and Latin words, characters HTML escapes, emphasis, code,
    /// links and line breaks.
    fn inline() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => proptest::sample::select(vec![
                "知识产权", "联席会议", "连政办发〔2014〕67号", "市科技局（知识产权局）", "hello",
                "world", "a", "2014", "，", "。", "、", "<", ">", "&", "\"", "'", "&amp;",
                "&#x4E00;", "<b>粗</b>", "<!-- c -->", "\\*", "~",
            ]).prop_map(str::to_string),
            2 => proptest::sample::select(vec![" ", "  ", "\t", "\n", "  \n", "\\\n", "\u{3000}", "\u{a0}"])
                .prop_map(str::to_string),
            1 => "[a-z知识 ]{1,6}".prop_map(|t| format!("*{t}*")),
            1 => "[a-z知识 ]{1,6}".prop_map(|t| format!("**{t}**")),
            1 => "[a-z知识 <&]{1,6}".prop_map(|t| format!("`{t}`")),
            1 => "[a-z知识 ]{1,6}".prop_map(|t| format!("~~{t}~~")),
            1 => ("[a-z知识 ]{1,6}", proptest::sample::select(vec![
                "https://x.cn/a?b=1&c=2", "../a/", "#fn-1", "javascript:alert(1)", "mailto:a@b.cn",
            ])).prop_map(|(t, u)| format!("[{t}]({u})")),
            1 => Just("[^1]".to_string()),
        ];
        proptest::collection::vec(piece, 1..12).prop_map(|p| p.concat())
    }

    /// A Markdown document of generated blocks.
    fn markdown_doc() -> impl Strategy<Value = String> {
        let code_line = "[ \ta-z知<&>{}\\\"]{0,12}";
        let block = prop_oneof![
            4 => inline(),
            1 => (1usize..=6, inline()).prop_map(|(n, t)| format!("{} {}", "#".repeat(n), t.replace('\n', " "))),
            1 => proptest::collection::vec((0usize..3, any::<bool>(), inline()), 1..5).prop_map(|items| {
                items.into_iter().map(|(depth, ordered, t)| {
                    format!("{}{} {}", "  ".repeat(depth * 2), if ordered { "1." } else { "-" }, t.replace('\n', " "))
                }).collect::<Vec<_>>().join("\n")
            }),
            1 => inline().prop_map(|t| format!("> {}", t.replace('\n', "\n> "))),
            1 => (proptest::sample::select(vec!["", "rust", "yaml", "text", "nosuch"]),
                  proptest::collection::vec(code_line, 0..5))
                .prop_map(|(lang, lines)| format!("```{lang}\n{}\n```", lines.join("\n"))),
            1 => proptest::collection::vec(code_line, 1..4)
                .prop_map(|lines| lines.iter().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")),
            1 => proptest::collection::vec("[a-z知 ]{1,5}", 2..4).prop_map(|cells| {
                let n = cells.len();
                format!("| {} |\n|{}|\n| {} |", cells.join(" | "), "---|".repeat(n).trim_end_matches('|'), cells.join(" | "))
            }),
            1 => Just("---".to_string()),
            1 => Just("[^1]: 注释 *a*".to_string()),
            1 => Just("<div>\n原样 <b>HTML</b>\n</div>".to_string()),
        ];
        proptest::collection::vec(block, 0..8).prop_map(|b| b.join("\n\n"))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn minified_pages_read_as_unminified(
            title in inline().prop_map(|t| t.replace('\n', " ")),
            summary in proptest::option::of(inline()),
            body in markdown_doc(),
        ) {
            let page = free_page(&title, summary.as_deref(), &body);
            let minified = String::from_utf8(minify(page.as_bytes())).expect("UTF-8");
            prop_assert!(minified.len() <= page.len());
            let (text, elements) = reading(&page);
            let (min_text, min_elements) = reading(&minified);
            prop_assert_eq!(min_text, text, "body {:?}", body);
            prop_assert_eq!(min_elements, elements, "body {:?}", body);
        }

        /// The same for arbitrary text as the body.
        #[test]
        fn minified_pages_read_as_unminified_for_any_body(body in "\\PC{0,64}") {
            let page = free_page("标题", None, &body);
            let minified = String::from_utf8(minify(page.as_bytes())).expect("UTF-8");
            prop_assert_eq!(reading(&minified), reading(&page), "body {:?}", body);
        }
    }
}
