//! Load: every content file read and parsed into typed items, one module per kind.
//!
//! Loading checks what one file alone can tell (required fields, real dates, known enum
//! values, id shapes); references between files are checked in [`crate::site`].

pub mod body;
pub mod ids;
pub mod notice;
pub mod page;
pub mod plan;
pub mod unit;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::SourceFile;
use body::Body;
use notice::Notice;
use page::{News, Page};
use plan::Plan;
use unit::{Unit, UnitId, is_valid_id};

/// Everything read from `content/`, each item valid on its own.
#[derive(Debug)]
pub struct Content {
    /// `site.yaml`.
    pub config: SiteConfig,
    /// Notices in path order.
    pub notices: Vec<Notice>,
    /// Units in id order.
    pub units: Vec<Unit>,
    /// Free pages in path order.
    pub pages: Vec<Page>,
    /// Work news in path order.
    pub news: Vec<News>,
    /// Coordinating bodies in id order.
    pub bodies: Vec<Body>,
    /// Progress plans in id order.
    pub plans: Vec<Plan>,
    /// Ids of unit files that exist but failed to load: references to them are not
    /// reported again as "unknown unit".
    pub broken_units: Vec<String>,
}

/// Reads the site at `root`. Returns whatever loaded (everything but the files with
/// errors) whenever site.yaml is valid, so that references can still be checked and every
/// problem of a commit is reported in one run; the diagnostics hold every problem found.
pub fn load(root: &Path) -> (Option<Content>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let config = match SiteConfig::load(root) {
        Ok(config) => Some(config),
        Err(d) => {
            diagnostics.extend(d);
            None
        }
    };
    let notices = load_kind(
        root,
        "content/notices",
        "md",
        true,
        &mut diagnostics,
        |f, _| notice::parse(f),
    );
    let units = load_kind(
        root,
        "content/units",
        "yaml",
        false,
        &mut diagnostics,
        |f, stem| match UnitId::parse(stem) {
            Ok(id) => unit::parse(f, id),
            Err(message) => (None, vec![Diagnostic::at_path(&f.path, message)]),
        },
    );
    let bodies = load_kind(
        root,
        "content/bodies",
        "yaml",
        false,
        &mut diagnostics,
        |f, stem| match body::BodyId::parse(stem) {
            Ok(id) => body::parse(f, id),
            Err(message) => (None, vec![Diagnostic::at_path(&f.path, message)]),
        },
    );
    let plans = load_kind(
        root,
        "content/progress",
        "yaml",
        false,
        &mut diagnostics,
        |f, stem| match plan::PlanId::parse(stem) {
            Ok(id) => plan::parse(f, id),
            Err(message) => (None, vec![Diagnostic::at_path(&f.path, message)]),
        },
    );
    let pages = load_kind(
        root,
        "content/pages",
        "md",
        true,
        &mut diagnostics,
        |f, stem| whole(page::parse_page(f, stem.to_string())),
    );
    let news = load_kind(
        root,
        "content/news",
        "md",
        true,
        &mut diagnostics,
        |f, stem| whole(page::parse_news(f, stem.to_string())),
    );
    for (kind, slugs) in [
        (
            "page",
            pages.iter().map(|p| (&p.slug, &p.file)).collect::<Vec<_>>(),
        ),
        (
            "news item",
            news.iter().map(|n| (&n.slug, &n.file)).collect(),
        ),
    ] {
        report_invalid_or_duplicate_slugs(kind, &slugs, &mut diagnostics);
    }
    let broken_units = content_files(root, Path::new("content/units"), "yaml", false)
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
        broken_units,
    });
    (content, diagnostics)
}

/// Reads and parses, in parallel, every `*.ext` file under `root/folder` (recursively if
/// `recursive`), in file-name order so output never depends on the file system.
fn load_kind<T: Send>(
    root: &Path,
    folder: &str,
    ext: &str,
    recursive: bool,
    diagnostics: &mut Diagnostics,
    parse: impl Fn(SourceFile, &str) -> (Option<T>, Vec<Diagnostic>) + Sync,
) -> Vec<T> {
    let paths = match content_files(root, Path::new(folder), ext, recursive) {
        Ok(paths) => paths,
        Err(d) => {
            diagnostics.push(d);
            return Vec::new();
        }
    };
    let results: Vec<(Option<T>, Vec<Diagnostic>)> = paths
        .par_iter()
        .map(|relative| {
            let file = match SourceFile::read(root, relative) {
                Ok(file) => file,
                Err(d) => return (None, vec![d]),
            };
            let stem = relative
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            parse(file, &stem)
        })
        .collect();
    let mut items = Vec::with_capacity(results.len());
    for (item, errors) in results {
        items.extend(item);
        errors.into_iter().for_each(|d| diagnostics.push(d));
    }
    items
}

/// Adapts a parser that yields an item only when the whole file is valid.
fn whole<T>(result: Result<T, Vec<Diagnostic>>) -> (Option<T>, Vec<Diagnostic>) {
    match result {
        Ok(item) => (Some(item), Vec::new()),
        Err(errors) => (None, errors),
    }
}

/// Relative paths of the content files of one kind, sorted. A missing folder is simply
/// an empty kind; hidden files and symlinks are skipped (a symlink could point outside
/// the site).
fn content_files(
    root: &Path,
    folder: &Path,
    ext: &str,
    recursive: bool,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut walker = WalkDir::new(&dir).sort_by_file_name().follow_links(false);
    if !recursive {
        walker = walker.max_depth(1);
    }
    let mut paths = Vec::new();
    for entry in walker {
        let entry = entry.map_err(|e| Diagnostic::at_path(folder, format!("cannot read: {e}")))?;
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') && entry.depth() > 0 {
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if entry.path().extension().and_then(|e| e.to_str()) != Some(ext) {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        paths.push(relative.to_path_buf());
    }
    Ok(paths)
}

fn report_invalid_or_duplicate_slugs(
    kind: &str,
    slugs: &[(&String, &SourceFile)],
    diagnostics: &mut Diagnostics,
) {
    let mut seen: std::collections::BTreeMap<&str, &SourceFile> = Default::default();
    for (slug, file) in slugs {
        if !is_valid_id(slug) {
            diagnostics.push(Diagnostic::at_path(
                &file.path,
                format!(
                    "file name `{slug}` is not a valid {kind} id: use lowercase ASCII letters, digits and `-`"
                ),
            ));
        } else if let Some(first) = seen.insert(slug, file) {
            diagnostics.push(Diagnostic::at_path(
                &file.path,
                format!(
                    "{kind} id `{slug}` is also used by {}: file stems must be unique",
                    first.path.display()
                ),
            ));
        }
    }
}
