//! The rebuild engine behind `gongkai serve`: brings a folder the serve session owns up to
//! date after content changes.
//!
//! This implementation is deliberately naive — every rebuild checks and renders the whole
//! site in memory — but it only touches the output files whose bytes changed, so an open
//! page, the watcher and the browser see exactly what a change did. It is meant to be
//! replaced by an incremental engine with the same API; nothing else in `serve` depends
//! on what is inside [`Engine`].

use std::collections::HashMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{self, OutputFile};

/// What one (re)build changed in the output folder.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Output paths (relative, `/`-separated) written or rewritten.
    pub written: Vec<String>,
    /// Output paths removed.
    pub removed: Vec<String>,
    /// Warnings of this build.
    pub warnings: Diagnostics,
}

/// Builds a site into a folder it owns and keeps it up to date.
pub struct Engine {
    options: crate::BuildOptions,
    out: PathBuf,
    /// What each output file in `out` holds, to write only files whose bytes changed.
    files: HashMap<String, Fingerprint>,
}

/// Length and hash of a generated file, or length and modification time of the source of
/// a copied one (attachments can be large: they are not read to be compared).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fingerprint {
    Bytes {
        len: usize,
        hash: u64,
    },
    Copy {
        len: u64,
        modified: Option<SystemTime>,
    },
}

impl Fingerprint {
    fn of_bytes(bytes: &[u8]) -> Self {
        // SipHash (std's default): a missed change needs a 64-bit collision between two
        // versions of one file of the same length.
        let mut hasher = std::hash::DefaultHasher::new();
        bytes.hash(&mut hasher);
        Fingerprint::Bytes {
            len: bytes.len(),
            hash: hasher.finish(),
        }
    }
}

impl Engine {
    /// An engine building `options` into `out` (created if missing, owned by the engine).
    /// Nothing is built yet.
    pub fn new(options: crate::BuildOptions, out: PathBuf) -> Engine {
        Engine {
            options,
            out,
            files: HashMap::new(),
        }
    }

    /// The output folder.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Builds everything the first time; afterwards brings `out` up to date after
    /// `changed` paths (absolute, as the watcher reports them; empty means "unknown:
    /// rescan everything"). On errors, `out` is left as it was and the diagnostics are
    /// returned.
    ///
    /// This engine ignores `changed`: it always renders the whole site and compares.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Outcome, Diagnostics> {
        let _ = changed;
        let (site, warnings) = crate::check(&self.options)?;
        let tera = render::theme::load(&self.options.root)?;
        let rendered = render::render_site(&site, &tera)?;

        // Everything the new site holds, before a single byte is written: a clash between
        // an attachment and a page is an error, and `out` stays as it was.
        let mut wanted: HashMap<&str, Fingerprint> = HashMap::new();
        let mut errors = Diagnostics::new();
        for file in &rendered.files {
            wanted.insert(&file.path, Fingerprint::of_bytes(&file.bytes));
        }
        let mut copies = Vec::with_capacity(rendered.copies.len());
        for copy in &rendered.copies {
            let from = self.options.root.join(&copy.from);
            let fingerprint = match fs::metadata(&from) {
                Ok(meta) => Fingerprint::Copy {
                    len: meta.len(),
                    modified: meta.modified().ok(),
                },
                Err(e) => {
                    errors.push(Diagnostic::at_path(
                        &copy.from,
                        format!("cannot read attachment: {e}"),
                    ));
                    continue;
                }
            };
            if wanted.insert(&copy.to, fingerprint).is_some() {
                errors.push(Diagnostic::at_path(
                    Path::new(&copy.to),
                    "two outputs would be written to this path (an attachment clashing with a page?)",
                ));
            }
            copies.push((from, copy.to.as_str(), fingerprint));
        }
        if errors.has_errors() {
            errors.sort();
            return Err(errors);
        }
        fs::create_dir_all(&self.out).map_err(|e| one(&self.out, "cannot create folder", e))?;

        let stale = |path: &str, fingerprint: Fingerprint| {
            self.files.get(path) != Some(&fingerprint) || !self.out.join(path).is_file()
        };
        let to_write: Vec<&OutputFile> = rendered
            .files
            .iter()
            .filter(|f| stale(&f.path, wanted[f.path.as_str()]))
            .collect();
        let to_copy: Vec<&(PathBuf, &str, Fingerprint)> = copies
            .iter()
            .filter(|(_, to, fingerprint)| stale(to, *fingerprint))
            .collect();
        let out = &self.out;
        let results: Vec<Result<(), Diagnostic>> = to_write
            .par_iter()
            .map(|file| replace(out, &file.path, |tmp| fs::write(tmp, &file.bytes)))
            .chain(
                to_copy
                    .par_iter()
                    .map(|(from, to, _)| replace(out, to, |tmp| fs::copy(from, tmp).map(|_| ()))),
            )
            .collect();
        let mut written: Vec<String> = to_write
            .iter()
            .map(|f| f.path.clone())
            .chain(to_copy.iter().map(|(_, to, _)| to.to_string()))
            .collect();
        for result in results {
            if let Err(d) = result {
                errors.push(d);
            }
        }
        if errors.has_errors() {
            // Some files may be new and some old: forget what is on disk, so the next
            // rebuild writes every file again.
            self.files.clear();
            errors.sort();
            return Err(errors);
        }

        let mut removed: Vec<String> = self
            .files
            .keys()
            .filter(|path| !wanted.contains_key(path.as_str()))
            .cloned()
            .collect();
        for path in &removed {
            let target = self.out.join(path);
            match fs::remove_file(&target) {
                Ok(()) => remove_empty_parents(&self.out, &target),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => errors.push(single(&target, "cannot remove", e)),
            }
        }
        self.files = wanted
            .into_iter()
            .map(|(path, fingerprint)| (path.to_string(), fingerprint))
            .collect();
        if errors.has_errors() {
            return Err(errors);
        }
        written.sort();
        removed.sort();
        Ok(Outcome {
            written,
            removed,
            warnings,
        })
    }
}

/// Writes `path` under `out` through `write` into a temporary file beside it, then renames
/// it into place: a request reading the file meanwhile gets the old or the new bytes,
/// never half of them.
fn replace(
    out: &Path,
    path: &str,
    write: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), Diagnostic> {
    let target = out.join(path);
    let dir = target.parent().unwrap_or(out);
    fs::create_dir_all(dir).map_err(|e| single(dir, "cannot create folder", e))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Hidden, so the server never lists or serves it as part of the site.
    let tmp = dir.join(format!(".{name}.gongkai-tmp-{}", std::process::id()));
    write(&tmp).map_err(|e| single(&tmp, "cannot write", e))?;
    fs::rename(&tmp, &target).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        single(&target, "cannot write", e)
    })
}

/// Removes the folders above `file` that its removal left empty, up to `out`.
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

fn single(path: &Path, what: &str, error: std::io::Error) -> Diagnostic {
    Diagnostic::at_path(path, format!("{what}: {error}"))
}

fn one(path: &Path, what: &str, error: std::io::Error) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.push(single(path, what, error));
    d
}
