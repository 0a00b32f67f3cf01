//! Load: every content file read and parsed into typed items, one module per kind.
//!
//! Loading checks what one file alone can tell (required fields, real dates, known enum
//! values, id shapes); references between files are checked in [`crate::site`].

pub mod body;
pub mod ids;
pub mod markdown;
pub mod notice;
pub mod page;
pub mod plan;
pub mod unit;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::limits::Limits;
use crate::source::{self, SourceFile};
use crate::text;
use body::Body;
use notice::Notice;
use page::{News, Page};
use plan::Plan;
use unit::{Unit, UnitId};

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
    /// Every link written in a Markdown text, checked when the site is resolved.
    pub links: Vec<crate::links::WrittenLink>,
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
    let limits = config.as_ref().map(|c| c.limits).unwrap_or_default();
    let reader = Reader {
        root,
        limits: &limits,
    };
    let notices = reader.load_kind("content/notices", "md", true, &mut diagnostics, |f, _| {
        notice::parse(f)
    });
    let units = reader.load_kind(
        "content/units",
        "yaml",
        false,
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
        &mut diagnostics,
        |f, stem| match plan::PlanId::parse(stem) {
            Ok(id) => plan::parse(f, id),
            Err(message) => (
                None,
                vec![Diagnostic::at_path(Code::InvalidId, &f.path, message)],
            ),
        },
    );
    let pages = reader.load_kind("content/pages", "md", true, &mut diagnostics, |f, stem| {
        whole(page::parse_page(f, stem.to_string()))
    });
    let news = reader.load_kind("content/news", "md", true, &mut diagnostics, |f, stem| {
        whole(page::parse_news(f, stem.to_string()))
    });
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
    let links = check_markdown(
        &notices,
        &pages,
        &news,
        &bodies,
        &plans,
        &limits,
        &mut diagnostics,
    );
    let broken_units = content_files(root, Path::new("content/units"), "yaml", false)
        .map(|(paths, _)| paths)
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
        links,
    });
    (content, diagnostics)
}

/// Reads content files within the site's limits.
struct Reader<'a> {
    root: &'a Path,
    limits: &'a Limits,
}

impl Reader<'_> {
    /// Reads and parses, in parallel, every `*.ext` file under `root/folder` (recursively
    /// if `recursive`), in file-name order so output never depends on the file system.
    fn load_kind<T: Send>(
        &self,
        folder: &str,
        ext: &str,
        recursive: bool,
        diagnostics: &mut Diagnostics,
        parse: impl Fn(SourceFile, &str) -> (Option<T>, Vec<Diagnostic>) + Sync,
    ) -> Vec<T> {
        let paths = match content_files(self.root, Path::new(folder), ext, recursive) {
            Ok((paths, skipped)) => {
                skipped.into_iter().for_each(|d| diagnostics.push(d));
                paths
            }
            Err(d) => {
                diagnostics.push(d);
                return Vec::new();
            }
        };
        let results: Vec<(Option<T>, Vec<Diagnostic>)> = paths
            .par_iter()
            .map(|relative| {
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
            })
            .collect();
        let mut items = Vec::with_capacity(results.len());
        for (item, errors) in results {
            items.extend(item);
            errors.into_iter().for_each(|d| diagnostics.push(d));
        }
        items
    }
}

/// Checks every Markdown text of the site (bodies of notices, pages and news; Markdown
/// fields of bodies and plans) against the limits, so `check` refuses what would crash
/// or stall the render; returns every link written in them, for the resolver.
fn check_markdown(
    notices: &[Notice],
    pages: &[Page],
    news: &[News],
    bodies: &[Body],
    plans: &[Plan],
    limits: &Limits,
    diagnostics: &mut Diagnostics,
) -> Vec<crate::links::WrittenLink> {
    use markdown::{Origin, check};
    // The bodies of Markdown files; notices are most of any site, so all go in parallel.
    let bodies_of_files: Vec<(&SourceFile, &str, usize)> = notices
        .iter()
        .map(|n| (&n.file, n.body(), n.body_offset))
        .chain(pages.iter().map(|p| (&p.file, p.body(), p.body_offset)))
        .chain(news.iter().map(|n| (&n.file, n.body(), n.body_offset)))
        .collect();
    let mut found: Vec<markdown::Checked> = bodies_of_files
        .par_iter()
        .map(|&(file, body, offset)| check(file, body, Origin::Body(offset), limits))
        .collect();
    for b in bodies {
        let start = source::Position::START;
        if let Some(rules) = &b.rules {
            found.push(check(&b.file, rules, Origin::Field("rules", start), limits));
        }
        for m in &b.members {
            if let Some(duties) = &m.duties {
                let origin = Origin::Field("duties", m.unit.position);
                found.push(check(&b.file, duties, origin, limits));
            }
        }
    }
    for p in plans {
        let start = source::Position::START;
        if let Some(notes) = &p.notes {
            found.push(check(&p.file, notes, Origin::Field("notes", start), limits));
        }
        let updates = p.tasks().flat_map(|t| {
            t.updates
                .iter()
                .chain(t.targets.iter().flat_map(|target| target.updates.iter()))
        });
        for u in updates {
            if let Some(note) = &u.note {
                let origin = Origin::Field("note", u.date.position);
                found.push(check(&p.file, note, origin, limits));
            }
        }
    }
    let mut links = Vec::new();
    for checked in found {
        checked.errors.into_iter().for_each(|d| diagnostics.push(d));
        links.extend(checked.links);
    }
    links
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
