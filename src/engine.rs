//! The rebuild engine behind `gongkai serve`: keeps an output folder up to date after
//! edits, re-rendering only the pages whose recorded sources changed.
//!
//! The first [`Engine::rebuild`] is a whole build. Each later one loads again only the
//! files the watcher named (or, when it cannot say, whose stamp changed), sharing every
//! unchanged item with the last build; resolves the site whole; and brings the
//! [`fingerprint`] of every key some page read up to date: a page is rendered again when
//! one of its keys changed, when it is new, and it is removed when the site no longer
//! makes it. The search index, attachments and `assets/highlight.css` follow the same
//! rule, and what the render made of each notice last time (its open-data record) is
//! reused while the notice's fingerprint is the same. What the engine writes is
//! byte-identical to what `gongkai build` writes for the same content
//! (`tests/incremental.rs`).
//!
//! Files are replaced one by one through a rename, so a request never reads half a file;
//! pages are rendered in memory first, so a failed rebuild leaves the folder as it was.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::content::LoadCache;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::render::deps::{self, Ids, fingerprint};
use crate::render::{self, InMemory, ItemKey, OutputFile, PageId, Renderer};
use crate::site::Site;
use crate::{BuildOptions, output};

/// Keeps one output folder up to date with one site.
pub struct Engine {
    options: BuildOptions,
    out: PathBuf,
    cache: LoadCache,
    /// The search index as the last good build left it.
    search: crate::search::SearchIndex,
    /// What the render made of each item last time (open-data records), reused where
    /// the item's fingerprint is unchanged.
    kept: render::Kept,
    /// The compiled templates, with the fingerprint of the theme files they came from:
    /// compiled again only when a template changes.
    templates: Option<(u64, tera::Tera)>,
    /// What the last good build wrote; `None` before the first.
    state: Option<State>,
}

/// What one (re)build changed in the output folder.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Output paths (relative, `/`-separated) written or rewritten.
    pub written: Vec<String>,
    /// Output paths removed.
    pub removed: Vec<String>,
    /// Pages rendered again (written or found unchanged).
    pub rendered: usize,
    /// Warnings of this build.
    pub warnings: Diagnostics,
    /// Wall time of each step, in order (`load`, `fingerprints`, `render` …): what
    /// `gongkai serve --verbose` prints and the latency bench reads.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Outcome {
    /// Records the time since `since` as step `name`, and restarts the clock.
    fn lap(&mut self, name: &'static str, since: &mut std::time::Instant) {
        let now = std::time::Instant::now();
        self.timings.push((name, now - *since));
        *since = now;
    }
}

/// The output as the last good build left it.
#[derive(Default)]
struct State {
    /// Every generated page and data file by output path.
    pages: FxHashMap<String, Record>,
    /// Files copied from `content/`, with the stamp of their source when copied.
    copies: BTreeMap<String, Option<Stamp>>,
    /// The fingerprint of every key some page read, in the last build.
    fingerprints: FxHashMap<ItemKey, Option<u64>>,
}

/// One generated file: what it read and what it holds.
struct Record {
    sources: Vec<ItemKey>,
    has_code: bool,
    hash: u64,
}

/// Size and modification time of an attachment's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = fs::metadata(path).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// `assets/highlight.<hash>.css`: one name for the whole run (its bytes are the binary's).
fn highlight_css_path() -> &'static str {
    render::theme::highlight().path.as_str()
}

impl Engine {
    /// An engine building `options` into `out` (created if missing, owned by the engine).
    /// Nothing is built yet.
    pub fn new(options: BuildOptions, out: PathBuf) -> Engine {
        Engine {
            options,
            out,
            cache: LoadCache::default(),
            search: crate::search::SearchIndex::for_rebuilds(),
            kept: render::Kept::default(),
            templates: None,
            state: None,
        }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// The output folder.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Builds everything the first time; afterwards brings the output up to date after
    /// `changed` paths (absolute, as the watcher reports them; empty means "unknown":
    /// every file's stamp is checked, and so it is when the paths name anything but
    /// content files: see [`LoadCache::expect_changes`]). On errors the output is left
    /// as it was and the diagnostics are returned.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Outcome, Diagnostics> {
        self.rebuild_then(changed, |_| {})
    }

    /// [`Engine::rebuild`], calling `pages_ready` with what was done so far once the files a
    /// reader opens are in place: before the files for programs
    /// ([`PageId::is_for_programs`]: open data, feeds, sitemaps) and the search index,
    /// which at 100,000 notices take longer to render and write than the pages that
    /// changed. `serve` reloads the open pages then. The outcome returned at the end holds
    /// everything, including what `pages_ready` saw.
    pub fn rebuild_then(
        &mut self,
        changed: &[PathBuf],
        pages_ready: impl FnOnce(&Outcome),
    ) -> Result<Outcome, Diagnostics> {
        let relative: Vec<PathBuf> = changed
            .iter()
            .map(|path| {
                path.strip_prefix(&self.options.root)
                    .unwrap_or(path)
                    .to_path_buf()
            })
            .collect();
        self.cache.expect_changes(&self.options.root, &relative);
        let mut clock = std::time::Instant::now();
        let (site, warnings) = crate::check_cached(&self.options, &mut self.cache)?;
        let theme = self.theme_fingerprint();
        let tera = match self.templates.take() {
            Some((print, tera)) if print == theme => tera,
            _ => render::theme::load(&self.options.root)?,
        };
        let mut next = State::default();
        let mut outcome = Outcome {
            warnings,
            ..Outcome::default()
        };
        outcome.lap("load", &mut clock);
        let mut previous = self.state.take().unwrap_or_default();
        if previous.pages.is_empty() {
            self.search = crate::search::SearchIndex::for_rebuilds();
        }
        let templates = (theme, tera);
        let result = self.update(
            &site,
            &templates,
            (&mut previous, &mut next),
            &mut outcome,
            clock,
            pages_ready,
        );
        self.templates = Some(templates);
        // Freeing the records and the site model of a big site takes a while (the link
        // index alone holds two strings per notice); nothing waits for it.
        std::thread::spawn(move || drop((previous, site)));
        match result {
            Ok(()) => {
                self.state = Some(next);
                outcome.written.sort();
                outcome.removed.sort();
                Ok(outcome)
            }
            Err(d) => {
                // Pages already in place are consistent with the old records only where
                // untouched; forget everything so the next rebuild writes every file.
                self.state = None;
                self.search = crate::search::SearchIndex::for_rebuilds();
                Err(d)
            }
        }
    }

    fn update(
        &mut self,
        site: &Site,
        (theme, tera): &(u64, tera::Tera),
        (previous, next): (&mut State, &mut State),
        outcome: &mut Outcome,
        mut clock: std::time::Instant,
        pages_ready: impl FnOnce(&Outcome),
    ) -> Result<(), Diagnostics> {
        fs::create_dir_all(&self.out).map_err(|e| one(io_error(&self.out, "create", &e)))?;
        // Records move from `previous` to `next` below: whether this is the first build
        // must be known before.
        let first_build = previous.pages.is_empty();
        let ids = Ids::of(site);
        let site_key = self.site_fingerprint(site, *theme);
        let fingerprint_of = |key: &ItemKey| match key {
            ItemKey::Site => Some(site_key),
            _ => fingerprint(site, &ids, key),
        };
        // The keys read last time, brought up to date in place; which of them changed.
        // The whole site's key (open data reads it) is made of every item's: it comes
        // last, from the others.
        let mut fingerprints = std::mem::take(&mut previous.fingerprints);
        let mut changed: FxHashSet<ItemKey> = fingerprints
            .par_iter_mut()
            .filter(|(key, _)| **key != ItemKey::Whole)
            .filter_map(|(key, print)| {
                let now = fingerprint_of(key);
                (now != *print).then(|| {
                    *print = now;
                    key.clone()
                })
            })
            .collect();
        if let Some(&old) = fingerprints.get(&ItemKey::Whole) {
            let now = Some(deps::fingerprint_whole(site, |key| {
                match fingerprints.get(key) {
                    Some(&known) => known,
                    None => fingerprint_of(key),
                }
            }));
            if now != old {
                fingerprints.insert(ItemKey::Whole, now);
                changed.insert(ItemKey::Whole);
            }
        }
        outcome.lap("fingerprints", &mut clock);
        let pages = render::pages(site);
        let paths: Vec<String> = pages.par_iter().map(|id| id.path(site)).collect();
        // A handful of keys change on a save: comparing with each beats hashing every
        // key of every page.
        let few: Vec<&ItemKey> = changed.iter().collect();
        let is_changed = |key: &ItemKey| {
            if few.len() <= 16 {
                few.contains(&key)
            } else {
                changed.contains(key)
            }
        };
        let dirty: Vec<PageId> = pages
            .par_iter()
            .zip(&paths)
            .filter(|(_, path)| match previous.pages.get(path.as_str()) {
                None => true,
                Some(record) => record.sources.iter().any(is_changed),
            })
            .map(|(&id, _)| id)
            .collect();
        outcome.lap("pages", &mut clock);
        let renderer = Renderer::new(site, tera, &InMemory).keeping(&self.kept);
        let (for_programs, for_readers): (Vec<PageId>, Vec<PageId>) =
            dirty.into_iter().partition(|id| id.is_for_programs());

        // First what a reader has open: the pages, then what they link to.
        let (rendered, took) = render_each(&renderer, &for_readers);
        let rendered = rendered?;
        outcome.rendered = rendered.len();
        let mut rendered_paths: Vec<String> = rendered.iter().map(|f| f.path.clone()).collect();
        self.write_rendered(rendered, previous, next, outcome)?;
        // The pages not rendered again keep their records, moved over: what is left in
        // `previous` is then what was rendered again, is still to be, or is gone.
        let later: FxHashSet<String> = for_programs.iter().map(|id| id.path(site)).collect();
        for path in paths {
            if !next.pages.contains_key(&path)
                && !later.contains(&path)
                && let Some(old) = previous.pages.remove(&path)
            {
                next.pages.insert(path, old);
            }
        }
        self.highlight_css(previous, next, outcome)?;
        self.copy_published(site, previous, next, outcome)?;
        if first_build {
            self.write(output::MARKER, output::MARKER_TEXT.as_bytes())?;
            outcome.written.push(output::MARKER.to_string());
        }
        outcome.lap("for readers", &mut clock);
        outcome.timings.push(("of which rendering", took));
        pages_ready(outcome);

        // Then, side by side, the files programs read and the search index: at 100,000
        // notices a few big files (89 MB of `data/notices.json`) that would otherwise
        // leave a core idle. After an error the index is dropped (`rebuild`).
        let search_index = &mut self.search;
        let ((rendered, took), (search, search_took)) = rayon::join(
            || render_each(&renderer, &for_programs),
            || {
                let started = std::time::Instant::now();
                (search_index.build(site), started.elapsed())
            },
        );
        let rendered = rendered?;
        outcome.rendered += rendered.len();
        rendered_paths.extend(rendered.iter().map(|f| f.path.clone()));
        let (data_took, search_took) = (took, search_took);
        self.write_rendered(rendered, previous, next, outcome)?;
        for file in search.written {
            self.write(&file.path, &file.bytes)?;
            outcome.written.push(file.path);
        }
        for path in search.removed {
            self.remove(&path)?;
            outcome.removed.push(path);
        }
        let gone: Vec<&String> = previous
            .pages
            .keys()
            .chain(previous.copies.keys())
            .filter(|p| !next.pages.contains_key(*p) && !next.copies.contains_key(*p))
            .collect();
        for path in gone {
            self.remove(path)?;
            outcome.removed.push(path.clone());
        }
        outcome.lap("for programs", &mut clock);
        // Side by side: how long each took of that.
        outcome.timings.push(("of which data", data_took));
        outcome.timings.push(("of which search", search_took));
        let read_now: FxHashSet<&ItemKey> = rendered_paths
            .iter()
            .chain(std::iter::once(&highlight_css_path().to_string()))
            .filter_map(|path| next.pages.get(path))
            .flat_map(|record| &record.sources)
            .collect();
        // The keys read for the first time get their fingerprints, for the next
        // comparison; those of items gone and read by no page any more are dropped.
        let mut fresh: Vec<&ItemKey> = read_now
            .iter()
            .filter(|key| !fingerprints.contains_key(**key))
            .copied()
            .collect();
        fresh.sort_unstable();
        fresh.dedup();
        let whole = fresh.iter().position(|key| **key == ItemKey::Whole);
        let whole = whole.map(|at| fresh.remove(at));
        let computed: Vec<(ItemKey, Option<u64>)> = fresh
            .into_par_iter()
            .map(|key| (key.clone(), fingerprint_of(key)))
            .collect();
        fingerprints.extend(computed);
        if whole.is_some() {
            let print = deps::fingerprint_whole(site, |key| match fingerprints.get(key) {
                Some(&known) => known,
                None => fingerprint_of(key),
            });
            fingerprints.insert(ItemKey::Whole, Some(print));
        }
        fingerprints.retain(|key, print| print.is_some() || read_now.contains(key));
        next.fingerprints = fingerprints;
        outcome.lap("record", &mut clock);
        Ok(())
    }

    /// Writes the files whose bytes differ from last time and records every one in
    /// `next`; hashed and written in parallel (open data is a few big files).
    fn write_rendered(
        &self,
        rendered: Vec<OutputFile>,
        previous: &State,
        next: &mut State,
        outcome: &mut Outcome,
    ) -> Result<(), Diagnostics> {
        let old_pages = &previous.pages;
        let written: Vec<Result<(OutputFile, u64, bool), Diagnostics>> = rendered
            .into_par_iter()
            .map(|file| {
                let hash = bytes_hash(&file.bytes);
                let changed = old_pages.get(&file.path).is_none_or(|r| r.hash != hash);
                if changed {
                    self.write(&file.path, &file.bytes)?;
                }
                Ok((file, hash, changed))
            })
            .collect();
        for result in written {
            let (file, hash, changed) = result?;
            if changed {
                outcome.written.push(file.path.clone());
            }
            next.pages.insert(
                file.path,
                Record {
                    sources: file.sources,
                    has_code: file.has_code,
                    hash,
                },
            );
        }
        Ok(())
    }

    /// `assets/highlight.<hash>.css` exists exactly when some page has highlighted code.
    fn highlight_css(
        &self,
        previous: &State,
        next: &mut State,
        outcome: &mut Outcome,
    ) -> Result<(), Diagnostics> {
        next.pages.remove(highlight_css_path());
        if !next.pages.values().any(|r| r.has_code) {
            return Ok(());
        }
        let css = render::highlight_css();
        let hash = bytes_hash(&css.bytes);
        if previous
            .pages
            .get(highlight_css_path())
            .is_none_or(|r| r.hash != hash)
        {
            self.write(&css.path, &css.bytes)?;
            outcome.written.push(css.path.clone());
        }
        next.pages.insert(
            css.path,
            Record {
                sources: css.sources,
                has_code: false,
                hash,
            },
        );
        Ok(())
    }

    /// Copies attachments and linked files that are new or changed since last time.
    fn copy_published(
        &self,
        site: &Site,
        previous: &State,
        next: &mut State,
        outcome: &mut Outcome,
    ) -> Result<(), Diagnostics> {
        for path in render::published_files(site).keys() {
            let from = self.options.root.join("content").join(path);
            let stamp = Stamp::of(&from);
            if previous.copies.get(*path) != Some(&stamp) || stamp.is_none() {
                let bytes = fs::read(&from).map_err(|e| {
                    one(io_error(
                        &Path::new("content").join(path),
                        "read attachment",
                        &e,
                    ))
                })?;
                self.write(path, &bytes)?;
                outcome.written.push(path.to_string());
            }
            next.copies.insert(path.to_string(), stamp);
        }
        Ok(())
    }

    /// What every page reads of the site besides its content: site.yaml as loaded, the
    /// *as of* date, drafts, and the theme's files (`theme`).
    fn site_fingerprint(&self, site: &Site, theme: u64) -> u64 {
        deps::fingerprint_site(site, self.options.drafts, theme)
    }

    fn theme_fingerprint(&self) -> u64 {
        deps::fingerprint_theme(&self.options.root)
    }

    /// Writes `path` under the output through a temporary file and a rename, so that a
    /// reader sees the old bytes or the new, never half.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostics> {
        let target = self.out.join(path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(|e| one(io_error(dir, "create", &e)))?;
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temporary = target.with_file_name(format!(".{name}.gongkai-tmp"));
        fs::write(&temporary, bytes).map_err(|e| one(io_error(&temporary, "write", &e)))?;
        fs::rename(&temporary, &target).map_err(|e| one(io_error(&target, "replace", &e)))
    }

    /// Removes `path` under the output, and the folders it leaves empty.
    fn remove(&self, path: &str) -> Result<(), Diagnostics> {
        let target = self.out.join(path);
        match fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(one(io_error(&target, "remove", &e))),
        }
        let mut dir = target.parent();
        while let Some(d) = dir {
            if d == self.out || fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}

/// Renders `ids` in parallel, in memory; every error, or every file, and how long it took.
fn render_each(
    renderer: &Renderer,
    ids: &[PageId],
) -> (Result<Vec<OutputFile>, Diagnostics>, std::time::Duration) {
    let started = std::time::Instant::now();
    let results: Vec<Result<OutputFile, Diagnostic>> = ids
        .par_iter()
        .map(|&id| render::render_page(renderer, id))
        .collect();
    let mut rendered = Vec::with_capacity(results.len());
    let mut errors = Diagnostics::new();
    for result in results {
        match result {
            Ok(file) => rendered.push(file),
            Err(d) => errors.push(d),
        }
    }
    let result = if errors.has_errors() {
        Err(errors)
    } else {
        Ok(rendered)
    };
    (result, started.elapsed())
}

fn bytes_hash(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    bytes.hash(&mut h);
    h.finish()
}

fn io_error(path: &Path, what: &str, error: &std::io::Error) -> Diagnostic {
    let (what_zh, code) = match what {
        "read attachment" => ("读取附件", Code::ReadFailed),
        "create" => ("创建", Code::WriteFailed),
        "write" => ("写入", Code::WriteFailed),
        "replace" => ("替换", Code::WriteFailed),
        _ => ("删除", Code::WriteFailed),
    };
    Diagnostic::at_path(
        code,
        path,
        crate::text!("cannot {what}: {error}", "无法{what_zh}：{error}"),
    )
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::new();
    all.push(d);
    all
}
