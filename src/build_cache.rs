//! The build cache: what the last `gongkai build` into an output folder rendered, so that
//! the next build renders only the pages whose sources changed and hard-links every
//! other file from the folder it is about to replace (docs/performance.md).
//!
//! The rule that separates a reused page from a rendered one is the one the serve engine
//! keeps in memory ([`crate::engine`]): each generated file was recorded with the
//! [`ItemKey`]s it read, and each key with its [`fingerprint`]. A page is reused when it
//! was made last time, every key it read has the same fingerprint now, and its file (and
//! its `.gz`/`.br` twins) in the output folder is a regular file nobody modified after
//! the cache was saved. Everything else goes through the normal render. The search
//! index, the highlighting stylesheet, the theme files and the attachments are made whole
//! each time.
//!
//! The cache lives under `.gongkai-cache/build/` in the site root, one file per output
//! folder. It is trusted only by the binary that wrote it (version, size and modification
//! time of the executable), for the same options (*as of*, drafts, precompression), and
//! for the output folder it describes (its device and inode after the swap: a folder some
//! other build swapped in is not that one). Anything else, or a cache that does not read,
//! means a full build; the cache is never needed for correctness, and `--no-cache`
//! ignores it. gongkai creates the folder with a `CACHEDIR.TAG` (so backup tools skip it)
//! and never writes into a `.gongkai-cache` without that tag.

use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::{Deserialize, Serialize};

use crate::BuildOptions;
use crate::output::Staging;
use crate::render::deps::{self, Ids, fingerprint};
use crate::render::{ItemKey, OutputFile, PageId};
use crate::site::Site;

/// The cache folder, relative to the site root.
pub const DIR: &str = ".gongkai-cache";

/// The tag of <https://bford.info/cachedir/>: backup tools skip a folder holding it, and
/// gongkai writes only into a cache folder holding it.
const TAG: &str = "CACHEDIR.TAG";
const TAG_TEXT: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by gongkai (`gongkai build`).\n\
# Deleting this folder is always safe: the next build is then a full one.\n";

/// What the last build into one output folder made, as saved.
#[derive(Serialize, Deserialize)]
struct Saved {
    /// Who may trust it: [`cache_key`].
    key: String,
    /// The output folder's (device, inode) right after the swap.
    out_id: (u64, u64),
    /// When it was saved: files modified later were touched by someone else.
    saved_at: SystemTime,
    /// Every key some page read, with its fingerprint then.
    fingerprints: Vec<(ItemKey, Option<u64>)>,
    /// Every generated page and data file, with what it read.
    files: Vec<SavedFile>,
}

#[derive(Serialize, Deserialize)]
struct SavedFile {
    path: String,
    sources: Vec<ItemKey>,
    has_code: bool,
}

/// The build cache of one output folder.
pub(crate) struct BuildCache {
    file: PathBuf,
    key: String,
}

/// What the last build made, read back and checked against this build's options.
pub(crate) struct Previous {
    saved_at: SystemTime,
    fingerprints: FxHashMap<ItemKey, Option<u64>>,
    files: FxHashMap<String, SavedFile>,
}

/// Every key some file read, with its fingerprint now.
pub(crate) type Fingerprints = FxHashMap<ItemKey, Option<u64>>;

impl BuildCache {
    /// The cache for `options`' output folder, or `None` when the build asked for none.
    pub(crate) fn of(options: &BuildOptions) -> Option<BuildCache> {
        if !options.cache {
            return None;
        }
        // Named by the output folder's absolute path; the folder itself may not exist yet
        // (the first build), its parent does once the staging folder is made.
        let out = options.out_dir();
        let out = match (out.parent(), out.file_name()) {
            (Some(parent), Some(name)) => fs::canonicalize(if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            })
            .map_or_else(|_| out.clone(), |parent| parent.join(name)),
            _ => out,
        };
        let mut h = FxHasher::default();
        out.hash(&mut h);
        let file = options
            .root
            .join(DIR)
            .join("build")
            .join(format!("{:016x}.json", h.finish()));
        Some(BuildCache {
            file,
            key: cache_key(options),
        })
    }

    /// The last build's record, when it was written by this binary with these options
    /// for the folder now at `out`.
    pub(crate) fn previous(&self, out: &Path) -> Option<Previous> {
        let bytes = fs::read(&self.file).ok()?;
        let saved: Saved = serde_json::from_slice(&bytes).ok()?;
        if saved.key != self.key || Some(saved.out_id) != folder_id(out) {
            return None;
        }
        Some(Previous {
            saved_at: saved.saved_at,
            fingerprints: saved.fingerprints.into_iter().collect(),
            files: saved
                .files
                .into_iter()
                .map(|file| (file.path.clone(), file))
                .collect(),
        })
    }

    /// Records what this build made into `out` (after the swap). A failure to save
    /// costs the next build its speed, nothing else, so it is reported, not fatal.
    pub(crate) fn save(
        &self,
        site: &Site,
        options: &BuildOptions,
        out: &Path,
        files: &[OutputFile],
        known: Fingerprints,
    ) -> std::io::Result<()> {
        let Some(out_id) = folder_id(out) else {
            return Ok(());
        };
        let saved_files: Vec<SavedFile> = files
            .iter()
            .filter(|file| !file.sources.is_empty())
            .map(|file| SavedFile {
                path: file.path.clone(),
                sources: file.sources.clone(),
                has_code: file.has_code,
            })
            .collect();
        let read: FxHashSet<&ItemKey> = saved_files.iter().flat_map(|f| &f.sources).collect();
        let site_key = site_key(site, options);
        let ids = Ids::of(site);
        let mut fingerprints: Vec<(ItemKey, Option<u64>)> = read
            .into_par_iter()
            .map(|key| {
                let print = match known.get(key) {
                    Some(&print) => print,
                    None if *key == ItemKey::Site => Some(site_key),
                    None => fingerprint(site, &ids, key),
                };
                (key.clone(), print)
            })
            .collect();
        fingerprints.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let saved = Saved {
            key: self.key.clone(),
            out_id,
            saved_at: SystemTime::now(),
            fingerprints,
            files: saved_files,
        };
        let dir = self.file.parent().unwrap_or(Path::new("."));
        ensure_cache_dir(&options.root, dir)?;
        let temp = self
            .file
            .with_extension(format!("{}.tmp", std::process::id()));
        fs::write(&temp, serde_json::to_vec(&saved)?)?;
        fs::rename(&temp, &self.file)
    }
}

/// Splits the site's pages into those to render and those `staging` took over from the
/// last output unchanged (already in the staging folder), with the fingerprints worked
/// out on the way (every key the last build's files read), for [`BuildCache::save`].
pub(crate) fn plan(
    site: &Site,
    options: &BuildOptions,
    previous: Option<Previous>,
    staging: &Staging,
) -> Result<(Vec<PageId>, Vec<OutputFile>, Fingerprints), crate::Diagnostics> {
    let pages = crate::render::pages(site);
    let Some(previous) = previous else {
        return Ok((pages, Vec::new(), Fingerprints::default()));
    };
    let site_key = site_key(site, options);
    let ids = Ids::of(site);
    let fingerprints: Fingerprints = previous
        .fingerprints
        .par_iter()
        .map(|(key, _)| {
            let now = match key {
                ItemKey::Site => Some(site_key),
                _ => fingerprint(site, &ids, key),
            };
            (key.clone(), now)
        })
        .collect();
    // `Whole` is made of every item's fingerprint; the keys are compared as they are.
    let unchanged = |key: &ItemKey| {
        previous.fingerprints.get(key).is_some_and(|then| {
            fingerprints
                .get(key)
                .is_some_and(|now| now == then && now.is_some())
        })
    };
    let decided: Vec<Result<Result<OutputFile, PageId>, crate::Diagnostic>> = pages
        .into_par_iter()
        .map(|id| {
            let path = id.path(site);
            let Some(file) = previous.files.get(&path) else {
                return Ok(Err(id));
            };
            if !file.sources.iter().all(&unchanged) {
                return Ok(Err(id));
            }
            let group = with_twins(&path, options.precompress);
            Ok(match staging.reuse(&group, previous.saved_at)? {
                Some(_) => Ok(OutputFile {
                    path,
                    bytes: Vec::new(),
                    sources: file.sources.clone(),
                    has_code: file.has_code,
                }),
                None => Err(id),
            })
        })
        .collect();
    let (mut render, mut reused) = (Vec::new(), Vec::new());
    let mut errors = crate::Diagnostics::new();
    for decision in decided {
        match decision {
            Ok(Ok(file)) => reused.push(file),
            Ok(Err(id)) => render.push(id),
            Err(d) => errors.push(d),
        }
    }
    if errors.has_errors() {
        errors.sort();
        return Err(errors);
    }
    Ok((render, reused, fingerprints))
}

/// `path` and, when the build precompresses, the twins [`crate::precompress`] writes
/// beside it: a reused page brings its twins, or is rendered again.
fn with_twins(path: &str, precompress: bool) -> Vec<String> {
    let mut group = vec![path.to_string()];
    if precompress && crate::precompress::is_compressible(path) {
        // Files under the precompress threshold have none; the staging folder then finds
        // them missing and the page is rendered, which is correct and rare (small files).
        group.push(format!("{path}.gz"));
        group.push(format!("{path}.br"));
    }
    group
}

/// Whatever makes a build's bytes differ besides the content: the binary and the
/// options. The executable's size and time stand for the binary, so that two
/// development builds of the same version do not share a cache.
fn cache_key(options: &BuildOptions) -> String {
    let exe = std::env::current_exe()
        .and_then(fs::metadata)
        .map(|meta| {
            let time = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}-{time}", meta.len())
        })
        .unwrap_or_default();
    format!(
        "gongkai {} exe {exe} as-of {:?} drafts {} precompress {}",
        env!("CARGO_PKG_VERSION"),
        options.as_of,
        options.drafts,
        options.precompress
    )
}

fn site_key(site: &Site, options: &BuildOptions) -> u64 {
    deps::fingerprint_site(site, options.drafts, deps::fingerprint_theme(&options.root))
}

/// Creates the cache folder with its tag, or refuses a `.gongkai-cache` gongkai did not
/// make (no tag): it may be someone's own folder.
fn ensure_cache_dir(root: &Path, dir: &Path) -> std::io::Result<()> {
    let top = root.join(DIR);
    if !top.exists() {
        fs::create_dir_all(&top)?;
        fs::write(top.join(TAG), TAG_TEXT)?;
    }
    let tagged = fs::read_to_string(top.join(TAG))
        .is_ok_and(|t| t.starts_with("Signature: 8a477f597d28d172789f06886806bc55"));
    if !tagged || fs::symlink_metadata(&top).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::other(format!(
            "{} exists but has no {TAG}: not gongkai's, left alone",
            top.display()
        )));
    }
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn folder_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::symlink_metadata(path).ok()?;
    meta.is_dir().then(|| (meta.dev(), meta.ino()))
}

/// Without inodes the folder cannot be told from one swapped in by another build: no
/// cache.
#[cfg(not(unix))]
fn folder_id(_: &Path) -> Option<(u64, u64)> {
    None
}
