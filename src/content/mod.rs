//! Load: every content file read and parsed into typed items, one module per kind.
//!
//! Loading checks what one file alone can tell (required fields, real dates, known enum
//! values, id shapes); references between files are checked in [`crate::site`].

pub mod application;
pub mod body;
pub mod ids;
pub mod markdown;
pub mod notice;
pub mod page;
pub mod plan;
pub mod unit;
pub mod year_report;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::limits::Limits;
use crate::source::{self, SourceFile};
use crate::text;
use application::{Application, ApplicationId};
use body::Body;
use notice::Notice;
use page::{News, Page};
use plan::Plan;
use unit::{Unit, UnitId};

/// Everything read from `content/`, each item valid on its own.
///
/// Items are shared (`Arc`) with the [`LoadCache`]: a rebuild that finds a file unchanged
/// hands the same item on without copying it, and dropping a site frees only what no
/// cache holds.
#[derive(Debug)]
pub struct Content {
    /// `site.yaml`.
    pub config: SiteConfig,
    /// Notices in path order.
    pub notices: Vec<Arc<Notice>>,
    /// Units in id order.
    pub units: Vec<Arc<Unit>>,
    /// Free pages in path order.
    pub pages: Vec<Arc<Page>>,
    /// Work news in path order.
    pub news: Vec<Arc<News>>,
    /// Coordinating bodies in id order.
    pub bodies: Vec<Arc<Body>>,
    /// Progress plans in id order.
    pub plans: Vec<Arc<Plan>>,
    /// The 依申请公开 register in id order: counted and checked, never published.
    pub applications: Vec<Arc<Application>>,
    /// The year files of the annual report (`content/reports/<year>.yaml`) in year order.
    pub reports: Vec<Arc<year_report::YearReport>>,
    /// Ids of unit files that exist but failed to load: references to them are not
    /// reported again as "unknown unit".
    pub broken_units: Vec<String>,
    /// Every link written in a Markdown text, checked when the site is resolved.
    pub links: Vec<crate::links::WrittenLink>,
}

/// Reads the site at `root`. Returns whatever loaded (everything but the files with
/// errors) whenever site.yaml is valid, so that references can still be checked and every
/// problem of a commit is reported in one run; the diagnostics hold every problem found.
pub fn load(root: &Path) -> (Option<Content>, Diagnostics) {
    load_cached(root, &mut LoadCache::default())
}

/// What a previous load read and made of each file, so that a rebuild (`gongkai serve`)
/// parses only the files that changed. A file is read again when its size or
/// modification time differ, or when the watcher named it ([`LoadCache::forget`]).
///
/// When the watcher can say exactly which content files changed
/// ([`LoadCache::expect_changes`]), the next load does not even walk the folders or look
/// at the other files' stamps: at 100,000 notices that walk is most of a rebuild's load.
#[derive(Default)]
pub struct LoadCache {
    notices: FileCache<Notice>,
    units: FileCache<Unit>,
    bodies: FileCache<Body>,
    plans: FileCache<Plan>,
    pages: FileCache<Page>,
    news: FileCache<News>,
    applications: FileCache<Application>,
    reports: FileCache<year_report::YearReport>,
    /// The load-time check of each Markdown body, by a hash of its file and offset.
    markdown: std::sync::Mutex<rustc_hash::FxHashMap<u64, Arc<markdown::Checked>>>,
    /// The content files the next load may trust to be the only ones changed; `None`
    /// when anything may have changed (every folder is walked, every stamp compared).
    only: Option<rustc_hash::FxHashSet<PathBuf>>,
}

impl LoadCache {
    /// Drops what is known of `path` (relative to the site root, or absolute under it),
    /// so the next load reads it whatever its time stamp says.
    pub fn forget(&mut self, path: &Path) {
        self.notices.files.remove(path);
        self.units.files.remove(path);
        self.bodies.files.remove(path);
        self.plans.files.remove(path);
        self.pages.files.remove(path);
        self.news.files.remove(path);
        self.applications.files.remove(path);
        self.reports.files.remove(path);
    }

    /// Tells the next load that `changed` (relative to the site root) are the only files
    /// changed since the last one, as a file watcher reports them. Each is forgotten. The
    /// next load trusts the list only when every path under `content/` is a Markdown or
    /// YAML file that is a regular file or gone: a folder, a link, a temporary or
    /// near-miss name could stand for files not named, so then everything is looked at.
    pub fn expect_changes(&mut self, root: &Path, changed: &[PathBuf]) {
        for path in changed {
            self.forget(path);
        }
        let trusted = changed.iter().all(|path| {
            let Ok(inside) = path.strip_prefix("content") else {
                return true; // site.yaml and the theme are read on every load anyway
            };
            let named = path.extension().and_then(|e| e.to_str());
            let hidden = inside
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            let kind = match std::fs::symlink_metadata(root.join(path)) {
                Ok(meta) => meta.file_type().is_file(),
                Err(e) => e.kind() == std::io::ErrorKind::NotFound,
            };
            !hidden && kind && matches!(named, Some("md" | "yaml"))
        });
        let listed = self.notices.listing.is_some();
        self.only =
            (trusted && listed && !changed.is_empty()).then(|| changed.iter().cloned().collect());
    }
}

/// What parsing one file gave: the item, if its identity could be read, and the problems.
type Parsed<T> = (Option<T>, Vec<Diagnostic>);

/// Parsed files of one kind by path, with the stamp they had when read, and the folder's
/// listing as the last walk found it.
struct FileCache<T> {
    files: rustc_hash::FxHashMap<PathBuf, Cached<T>>,
    listing: Option<Listing<T>>,
}

impl<T> Default for FileCache<T> {
    fn default() -> Self {
        FileCache {
            files: Default::default(),
            listing: None,
        }
    }
}

/// A kind's files as the last load found them: their paths in path order (the order a
/// walk sorted by file name gives), the item each gave (parallel to `paths`), and the
/// warnings for files the walk skipped.
struct Listing<T> {
    paths: Vec<PathBuf>,
    items: Vec<Option<Arc<T>>>,
    skipped: Vec<Diagnostic>,
}

/// One file as a previous load made it.
struct Cached<T> {
    stamp: Stamp,
    item: Option<Arc<T>>,
    diagnostics: Vec<Diagnostic>,
}

/// Size and modification time: what tells a file changed without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    /// The stamp of `path`, without following a symbolic link; `None` when it is gone.
    pub(crate) fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// Reads the site at `root` like [`load`], reusing from `cache` every file that did not
/// change since the cache saw it, and leaving in `cache` what this load read.
pub fn load_cached(root: &Path, cache: &mut LoadCache) -> (Option<Content>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let config = match SiteConfig::load(root) {
        Ok(config) => Some(config),
        Err(d) => {
            diagnostics.extend(d);
            None
        }
    };
    let limits = config.as_ref().map(|c| c.limits).unwrap_or_default();
    let only = cache.only.take();
    let reader = Reader {
        root,
        limits: &limits,
        only: only.as_ref(),
    };
    let notices = reader.load_kind(
        "content/notices",
        "md",
        true,
        &mut cache.notices,
        &mut diagnostics,
        |f, _| notice::parse(f),
    );
    let units = reader.load_kind(
        "content/units",
        "yaml",
        false,
        &mut cache.units,
        &mut diagnostics,
        |f, stem| match UnitId::parse(stem) {
            Ok(id) => unit::parse(f, id),
            Err(message) => (
                None,
                vec![Diagnostic::at_path(Code::InvalidId, &f.path, message)],
            ),
        },
    );
    let bodies = reader.load_kind(
        "content/bodies",
        "yaml",
        false,
        &mut cache.bodies,
        &mut diagnostics,
        |f, stem| match body::BodyId::parse(stem) {
            Ok(id) => body::parse(f, id),
            Err(message) => (
                None,
                vec![Diagnostic::at_path(Code::InvalidId, &f.path, message)],
            ),
        },
    );
    let plans = reader.load_kind(
        "content/progress",
        "yaml",
        false,
        &mut cache.plans,
        &mut diagnostics,
        |f, stem| match plan::PlanId::parse(stem) {
            Ok(id) => plan::parse(f, id),
            Err(message) => (
                None,
                vec![Diagnostic::at_path(Code::InvalidId, &f.path, message)],
            ),
        },
    );
    let pages = reader.load_kind(
        "content/pages",
        "md",
        true,
        &mut cache.pages,
        &mut diagnostics,
        |f, stem| whole(page::parse_page(f, stem.to_string())),
    );
    let news = reader.load_kind(
        "content/news",
        "md",
        true,
        &mut cache.news,
        &mut diagnostics,
        |f, stem| whole(page::parse_news(f, stem.to_string())),
    );
    let applications = reader.load_kind(
        "content/applications",
        "yaml",
        false,
        &mut cache.applications,
        &mut diagnostics,
        |f, stem| match ApplicationId::parse(stem) {
            Ok(id) => application::parse(f, id),
            Err(message) => (
                None,
                vec![Diagnostic::at_path(Code::InvalidId, &f.path, message)],
            ),
        },
    );
    let reports = reader.load_kind(
        "content/reports",
        "yaml",
        false,
        &mut cache.reports,
        &mut diagnostics,
        |f, stem| match year_report::ReportYear::parse(stem) {
            Ok(year) => year_report::parse(f, year),
            Err(message) => (
                None,
                vec![Diagnostic::at_path(Code::InvalidId, &f.path, message)],
            ),
        },
    );
    for (kind, kind_zh, slugs) in [
        (
            "page",
            "页面",
            pages.iter().map(|p| (&p.slug, &p.file)).collect::<Vec<_>>(),
        ),
        (
            "news item",
            "工作动态",
            news.iter().map(|n| (&n.slug, &n.file)).collect(),
        ),
    ] {
        report_invalid_or_duplicate_slugs(kind, kind_zh, &slugs, &mut diagnostics);
    }
    let texts = Texts {
        notices: &notices,
        pages: &pages,
        news: &news,
        bodies: &bodies,
        plans: &plans,
    };
    let mut links = check_markdown(&texts, &limits, &cache.markdown, &mut diagnostics);
    links.extend(check_report_texts(&reports, &limits, &mut diagnostics));
    let unit_files = cache.units.listing.as_ref().map(|l| l.paths.as_slice());
    let broken_units = unit_files
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.file_stem()?.to_str().map(str::to_string))
        .filter(|stem| !units.iter().any(|u| u.id.as_str() == stem))
        .collect();
    let content = config.map(|config| Content {
        config,
        notices,
        units,
        pages,
        news,
        bodies,
        plans,
        applications,
        reports,
        broken_units,
        links,
    });
    (content, diagnostics)
}

/// Reads content files within the site's limits.
struct Reader<'a> {
    root: &'a Path,
    limits: &'a Limits,
    /// The only files changed since the last load, when the watcher could tell.
    only: Option<&'a rustc_hash::FxHashSet<PathBuf>>,
}

impl Reader<'_> {
    /// Reads and parses, in parallel, every `*.ext` file under `root/folder` (recursively
    /// if `recursive`), in file-name order so output never depends on the file system;
    /// files `cache` knows unchanged are taken from it instead (shared, not copied).
    fn load_kind<T: Send + Sync>(
        &self,
        folder: &str,
        ext: &str,
        recursive: bool,
        cache: &mut FileCache<T>,
        diagnostics: &mut Diagnostics,
        parse: impl Fn(SourceFile, &str) -> (Option<T>, Vec<Diagnostic>) + Sync,
    ) -> Vec<Arc<T>> {
        let kind = Kind {
            folder: Path::new(folder),
            ext,
            recursive,
        };
        let patched = match (self.only, cache.listing.take()) {
            (Some(changed), Some(listing)) => self.patch(
                &kind,
                listing,
                changed,
                &mut cache.files,
                &parse,
                diagnostics,
            ),
            _ => None,
        };
        let listing = match patched {
            Some(listing) => listing,
            None => match self.walk(&kind, &mut cache.files, &parse, diagnostics) {
                Some(listing) => listing,
                None => {
                    cache.files.clear();
                    return Vec::new();
                }
            },
        };
        listing
            .skipped
            .iter()
            .for_each(|d| diagnostics.push(d.clone()));
        // Diagnostics are sorted by the caller: their order here does not matter.
        for cached in cache.files.values() {
            cached
                .diagnostics
                .iter()
                .for_each(|d| diagnostics.push(d.clone()));
        }
        let items = listing.items.iter().flatten().cloned().collect();
        cache.listing = Some(listing);
        items
    }

    /// Walks the kind's folder and reads every file whose stamp `files` does not know.
    fn walk<T: Send + Sync>(
        &self,
        kind: &Kind<'_>,
        files: &mut rustc_hash::FxHashMap<PathBuf, Cached<T>>,
        parse: &(impl Fn(SourceFile, &str) -> (Option<T>, Vec<Diagnostic>) + Sync),
        diagnostics: &mut Diagnostics,
    ) -> Option<Listing<T>> {
        let (paths, skipped) = match content_files(self.root, kind.folder, kind.ext, kind.recursive)
        {
            Ok(found) => found,
            Err(d) => {
                diagnostics.push(d);
                return None;
            }
        };
        // Files the walk no longer finds are forgotten.
        files.retain(|path, _| paths.binary_search(path).is_ok());
        let known = &*files;
        let parsed: Vec<Option<(Option<Stamp>, Parsed<T>)>> = paths
            .par_iter()
            .map(|relative| {
                let stamp = Stamp::of(&self.root.join(relative));
                let cached = known.get(relative);
                if stamp.is_some() && cached.is_some_and(|c| Some(c.stamp) == stamp) {
                    return None;
                }
                Some((stamp, self.read_and_parse(relative, parse)))
            })
            .collect();
        let mut items = Vec::with_capacity(paths.len());
        for (relative, result) in paths.iter().zip(parsed) {
            match result {
                None => items.push(files.get(relative).and_then(|c| c.item.clone())),
                Some((stamp, parsed)) => {
                    items.push(keep(files, relative, stamp, parsed, diagnostics))
                }
            }
        }
        Some(Listing {
            paths,
            items,
            skipped,
        })
    }

    /// The last load's listing with the watcher's `changed` files of this kind read again,
    /// put in or taken out; `None` when a change touches a file the walk had skipped with
    /// a warning (the caller walks again).
    fn patch<T: Send + Sync>(
        &self,
        kind: &Kind<'_>,
        mut listing: Listing<T>,
        changed: &rustc_hash::FxHashSet<PathBuf>,
        files: &mut rustc_hash::FxHashMap<PathBuf, Cached<T>>,
        parse: &(impl Fn(SourceFile, &str) -> (Option<T>, Vec<Diagnostic>) + Sync),
        diagnostics: &mut Diagnostics,
    ) -> Option<Listing<T>> {
        let mut mine: Vec<&PathBuf> = changed.iter().filter(|p| kind.holds(p)).collect();
        mine.sort();
        if mine
            .iter()
            .any(|path| listing.skipped.iter().any(|d| &d.path == *path))
        {
            return None;
        }
        for path in mine {
            let at = listing.paths.binary_search(path);
            let stamp = Stamp::of(&self.root.join(path));
            let item = match stamp {
                Some(_) => {
                    let parsed = self.read_and_parse(path, parse);
                    keep(files, path, stamp, parsed, diagnostics)
                }
                None => {
                    files.remove(path);
                    None
                }
            };
            match (at, stamp.is_some()) {
                (Ok(i), true) => listing.items[i] = item,
                (Ok(i), false) => {
                    listing.paths.remove(i);
                    listing.items.remove(i);
                }
                (Err(i), true) => {
                    listing.paths.insert(i, path.clone());
                    listing.items.insert(i, item);
                }
                (Err(_), false) => {}
            }
        }
        Some(listing)
    }

    /// Reads one file within the limits and parses it.
    fn read_and_parse<T>(
        &self,
        relative: &Path,
        parse: &(impl Fn(SourceFile, &str) -> (Option<T>, Vec<Diagnostic>) + Sync),
    ) -> (Option<T>, Vec<Diagnostic>) {
        {
            {
                let (file, mut errors) =
                    match SourceFile::read_within(self.root, relative, self.limits.file_bytes()) {
                        Ok(read) => read,
                        Err(d) => return (None, vec![d]),
                    };
                let stem = relative
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .to_string();
                // A file with bad bytes is still parsed (they read as U+FFFD), so its
                // 索引号 or id is known and references to it are not reported again.
                let (item, more) = parse(file, &stem);
                errors.extend(more);
                (item, errors)
            }
        }
    }
}

/// Remembers a file just read in `files` (when it was still there to stamp) and returns
/// its item; a file gone while being read is reported, not kept.
fn keep<T>(
    files: &mut rustc_hash::FxHashMap<PathBuf, Cached<T>>,
    relative: &Path,
    stamp: Option<Stamp>,
    (item, problems): Parsed<T>,
    diagnostics: &mut Diagnostics,
) -> Option<Arc<T>> {
    let item = item.map(Arc::new);
    match stamp {
        Some(stamp) => {
            files.insert(
                relative.to_path_buf(),
                Cached {
                    stamp,
                    item: item.clone(),
                    diagnostics: problems,
                },
            );
        }
        None => {
            files.remove(relative);
            problems.into_iter().for_each(|d| diagnostics.push(d));
        }
    }
    item
}

/// Where the files of one content kind live.
struct Kind<'a> {
    folder: &'a Path,
    ext: &'a str,
    recursive: bool,
}

impl Kind<'_> {
    /// Whether `path` (relative to the site root) would be one of this kind's files.
    fn holds(&self, path: &Path) -> bool {
        let Ok(inside) = path.strip_prefix(self.folder) else {
            return false;
        };
        let depth = inside.components().count();
        path.extension().is_some_and(|e| e == self.ext)
            && depth >= 1
            && (self.recursive || depth == 1)
    }
}

/// The loaded items that hold Markdown.
#[derive(Clone, Copy)]
struct Texts<'a> {
    notices: &'a [Arc<Notice>],
    pages: &'a [Arc<Page>],
    news: &'a [Arc<News>],
    bodies: &'a [Arc<Body>],
    plans: &'a [Arc<Plan>],
}

/// Checks every Markdown text of the site (bodies of notices, pages and news; Markdown
/// fields of bodies and plans) against the limits, so `check` refuses what would crash
/// or stall the render; returns every link written in them, for the resolver.
fn check_markdown(
    texts: &Texts<'_>,
    limits: &Limits,
    cache: &std::sync::Mutex<rustc_hash::FxHashMap<u64, Arc<markdown::Checked>>>,
    diagnostics: &mut Diagnostics,
) -> Vec<crate::links::WrittenLink> {
    use markdown::{Origin, check};
    let Texts {
        notices,
        pages,
        news,
        bodies,
        plans,
    } = *texts;
    // The bodies of Markdown files; notices are most of any site, so all go in parallel.
    let bodies_of_files: Vec<(&SourceFile, &str, usize)> = notices
        .iter()
        .map(|n| (&n.file, n.body(), n.body_offset))
        .chain(pages.iter().map(|p| (&p.file, p.body(), p.body_offset)))
        .chain(news.iter().map(|n| (&n.file, n.body(), n.body_offset)))
        .collect();
    // Checked bodies are kept by a hash of file and text: a rebuild checks only what
    // changed, and finds the rest without hashing any path.
    let mut known = cache.lock().unwrap_or_else(|e| e.into_inner());
    let found: Vec<(u64, Arc<markdown::Checked>)> = bodies_of_files
        .par_iter()
        .map(|&(file, body, offset)| {
            let hash = text_hash(file.content_hash(), offset, limits);
            match known.get(&hash) {
                Some(checked) => (hash, Arc::clone(checked)),
                None => (
                    hash,
                    Arc::new(check(file, body, Origin::Body(offset), limits)),
                ),
            }
        })
        .collect();
    known.clear();
    known.extend(found.iter().map(|(h, c)| (*h, Arc::clone(c))));
    drop(known);
    let mut found: Vec<Arc<markdown::Checked>> = found.into_iter().map(|(_, c)| c).collect();
    for b in bodies {
        let start = source::Position::START;
        if let Some(rules) = &b.rules {
            found.push(Arc::new(check(
                &b.file,
                rules,
                Origin::Field("rules", start),
                limits,
            )));
        }
        for m in &b.members {
            if let Some(duties) = &m.duties {
                let origin = Origin::Field("duties", m.unit.position);
                found.push(Arc::new(check(&b.file, duties, origin, limits)));
            }
        }
    }
    for p in plans {
        let start = source::Position::START;
        if let Some(notes) = &p.notes {
            found.push(Arc::new(check(
                &p.file,
                notes,
                Origin::Field("notes", start),
                limits,
            )));
        }
        let updates = p.tasks().flat_map(|t| {
            t.updates
                .iter()
                .chain(t.targets.iter().flat_map(|target| target.updates.iter()))
        });
        for u in updates {
            if let Some(note) = &u.note {
                let origin = Origin::Field("note", u.date.position);
                found.push(Arc::new(check(&p.file, note, origin, limits)));
            }
        }
    }
    let mut links = Vec::new();
    for checked in found {
        checked
            .errors
            .iter()
            .for_each(|d| diagnostics.push(d.clone()));
        links.extend(checked.links.iter().cloned());
    }
    links
}

/// The Markdown sections of the annual report's year files (overview, problems, other)
/// against the limits, like every Markdown text, so a text that would crash or stall the
/// render is refused now; returns the links written in them, which `/reports/<year>/`
/// renders and the resolver checks like every link.
fn check_report_texts(
    reports: &[Arc<year_report::YearReport>],
    limits: &Limits,
    diagnostics: &mut Diagnostics,
) -> Vec<crate::links::WrittenLink> {
    let mut links = Vec::new();
    for r in reports {
        for (field, section) in r.texts() {
            let origin = markdown::Origin::Field(field, section.position);
            let checked = markdown::check(&r.file, &section.text, origin, limits);
            checked.errors.into_iter().for_each(|d| diagnostics.push(d));
            links.extend(checked.links);
        }
    }
    links
}

/// A hash of a file's text (its [`SourceFile::content_hash`]), where its Markdown body
/// starts and the limits it is checked against: the check's errors depend on all three.
fn text_hash(file_hash: u64, offset: usize, limits: &Limits) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (file_hash, offset, limits).hash(&mut h);
    h.finish()
}

/// Reads an enum key (`effective`, `department` …) through the enum's serde derive, the
/// same one its JSON Schema is generated from, so the keys the loader accepts and those
/// the schema lists cannot drift apart. `None` for anything else (the caller reports it
/// with a suggestion).
pub(crate) fn parse_key<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    use serde::de::IntoDeserializer;
    let key: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        text.into_deserializer();
    T::deserialize(key).ok()
}

/// Adapts a parser that yields an item only when the whole file is valid.
fn whole<T>(result: Result<T, Vec<Diagnostic>>) -> (Option<T>, Vec<Diagnostic>) {
    match result {
        Ok(item) => (Some(item), Vec::new()),
        Err(errors) => (None, errors),
    }
}

/// Relative paths of the content files of one kind, sorted, and a warning for each file
/// that looks meant to be one but is not read. A missing folder is simply an empty kind.
/// Hidden files and folders are ignored; symlinks are skipped with a warning (one could
/// point outside the site), as are near-miss extensions (`.yml` for `.yaml`).
fn content_files(
    root: &Path,
    folder: &Path,
    ext: &str,
    recursive: bool,
) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Diagnostic> {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut walker = WalkDir::new(&dir).sort_by_file_name().follow_links(false);
    if !recursive {
        walker = walker.max_depth(1);
    }
    let mut paths = Vec::new();
    let mut skipped = Vec::new();
    let visible =
        |e: &walkdir::DirEntry| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.');
    for entry in walker.into_iter().filter_entry(visible) {
        let entry = entry.map_err(|e| {
            Diagnostic::at_path(
                Code::ReadFailed,
                folder,
                text!("cannot read: {e}", "无法读取：{e}"),
            )
        })?;
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let extension = entry
            .path()
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        let wanted = extension == ext;
        if entry.file_type().is_symlink() {
            if wanted || extension.is_empty() {
                skipped.push(Diagnostic::warning_at_path(
                    Code::SkippedFile,
                    relative,
                    text!(
                        "this is a symbolic link and is not read: content files must be real files inside content/",
                        "这是符号链接，不会被读取：内容文件必须是 content/ 中的真实文件"
                    ),
                ));
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if wanted {
            paths.push(relative.to_path_buf());
        } else if is_near_miss(extension, ext) {
            skipped.push(Diagnostic::warning_at_path(
                Code::SkippedFile,
                relative,
                text!(
                    "this file is not read: files here must end in `.{ext}`",
                    "此文件不会被读取：这里的文件必须以 `.{ext}` 结尾"
                ),
            ));
        }
    }
    Ok((paths, skipped))
}

/// An extension a publisher probably meant as `wanted` (`yml`, `YAML`, `markdown`).
fn is_near_miss(extension: &str, wanted: &str) -> bool {
    let lower = extension.to_ascii_lowercase();
    lower != extension && lower == wanted
        || matches!(
            (lower.as_str(), wanted),
            ("yml", "yaml") | ("markdown" | "mdown", "md")
        )
}

fn report_invalid_or_duplicate_slugs(
    kind: &str,
    kind_zh: &str,
    slugs: &[(&String, &SourceFile)],
    diagnostics: &mut Diagnostics,
) {
    let mut seen: std::collections::BTreeMap<&str, &SourceFile> = Default::default();
    for (slug, file) in slugs {
        if let Some(problem) = ids::id_problem(slug) {
            diagnostics.push(Diagnostic::at_path(
                Code::InvalidId,
                &file.path,
                text!(
                    "file name `{slug}` is not a valid {kind} id: {en}",
                    "文件名 `{slug}` 不是有效的{kind_zh} id：{zh}",
                    en = problem.en(),
                    zh = problem.zh()
                ),
            ));
        } else if kind == "page" && crate::urls::TOP_FOLDERS.contains(&slug.as_str()) {
            diagnostics.push(
                Diagnostic::at_path(
                    Code::ReservedName,
                    &file.path,
                    text!(
                        "a page cannot be called `{slug}`: the site's own `/{slug}/` is there",
                        "页面不能命名为 `{slug}`：站点自己的 `/{slug}/` 在那里"
                    ),
                )
                .with_help(text!("rename the file", "请重命名此文件")),
            );
        } else if let Some(first) = seen.insert(slug, file) {
            diagnostics.push(Diagnostic::at_path(
                Code::DuplicateId,
                &file.path,
                text!(
                    "{kind} id `{slug}` is also used by {first}: file stems must be unique",
                    "{kind_zh} id `{slug}` 已被 {first} 使用：文件名（不含扩展名）必须唯一",
                    first = first.path.display()
                ),
            ));
        }
    }
}
