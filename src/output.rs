//! Write: every file goes into a staging folder next to `--out` the moment it is
//! rendered (so a big site is never held in memory whole), and the staging folder
//! replaces `--out` only when the whole build succeeded. A failed build removes the
//! staging folder and leaves the old site untouched.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{OutputFile, Rendered, Sink};

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct WriteReport {
    /// Generated files (HTML, JSON, XML, assets).
    pub files: usize,
    /// Of which HTML pages.
    pub pages: usize,
    /// Attachments copied.
    pub copied: usize,
    /// Total bytes of the output.
    pub bytes: u64,
}

/// Refuses output folders whose replacement would destroy content: the site root itself,
/// a folder holding the root, or `content/`.
fn check_out_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let canonical_out = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
    let dangerous = canonical_root.starts_with(&canonical_out)
        || canonical_out.starts_with(canonical_root.join("content"))
        || canonical_out.join("content/site.yaml").exists();
    if dangerous {
        return Err(Diagnostic::at_path(
            out,
            "refusing to replace this output folder: it holds the site's content",
        ));
    }
    if out.exists() && !out.is_dir() {
        return Err(Diagnostic::at_path(
            out,
            "output path exists and is not a folder",
        ));
    }
    Ok(())
}

/// The staging folder of one build: a [`Sink`] writing each file as it is rendered.
/// Dropped without [`Staging::finish`] (any failure), it deletes itself.
pub struct Staging {
    root: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    /// Paths written so far: two outputs on one path are an error, not a silent overwrite.
    paths: Mutex<HashSet<String>>,
    bytes: AtomicU64,
}

impl Staging {
    /// Checks `out` and creates an empty staging folder beside it.
    pub fn create(root: &Path, out: &Path) -> Result<Staging, Diagnostics> {
        check_out_dir(root, out).map_err(one)?;
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        fs::create_dir_all(&parent).map_err(|e| {
            one(Diagnostic::at_path(
                &parent,
                format!("cannot create folder: {e}"),
            ))
        })?;
        let name = out
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.gongkai-staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| {
                one(Diagnostic::at_path(
                    &dir,
                    format!("cannot clear staging folder: {e}"),
                ))
            })?;
        }
        fs::create_dir_all(&dir).map_err(|e| {
            one(Diagnostic::at_path(
                &dir,
                format!("cannot create folder: {e}"),
            ))
        })?;
        Ok(Staging {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            parent,
            name,
            dir,
            paths: Mutex::new(HashSet::new()),
            bytes: AtomicU64::new(0),
        })
    }

    /// Copies the attachments, then swaps the staging folder in for `out`.
    pub fn finish(self, rendered: &Rendered) -> Result<WriteReport, Diagnostics> {
        let mut report = WriteReport {
            files: rendered.files.len(),
            pages: rendered
                .files
                .iter()
                .filter(|f| f.path.ends_with(".html"))
                .count(),
            copied: rendered.copies.len(),
            bytes: self.bytes.load(Ordering::Relaxed),
        };
        for copy in &rendered.copies {
            self.claim(&copy.to).map_err(one)?;
            let target = self.dir.join(&copy.to);
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir).map_err(|e| {
                    one(Diagnostic::at_path(
                        dir,
                        format!("cannot create folder: {e}"),
                    ))
                })?;
            }
            report.bytes += fs::copy(self.root.join(&copy.from), &target).map_err(|e| {
                one(Diagnostic::at_path(
                    &copy.from,
                    format!("cannot copy attachment: {e}"),
                ))
            })?;
        }
        swap_in(&self.dir, &self.out, &self.parent, &self.name).map_err(one)?;
        Ok(report)
    }

    /// Records `path` as written, or fails if an earlier output took it.
    fn claim(&self, path: &str) -> Result<(), Diagnostic> {
        let fresh = self
            .paths
            .lock()
            .map_or(true, |mut paths| paths.insert(path.to_string()));
        if fresh {
            Ok(())
        } else {
            Err(Diagnostic::at_path(
                Path::new(path),
                "two outputs would be written to this path (an attachment clashing with a page?)",
            ))
        }
    }
}

impl Sink for Staging {
    fn put(&self, mut file: OutputFile) -> Result<OutputFile, Diagnostic> {
        self.claim(&file.path)?;
        write_file(&self.dir.join(&file.path), &file.bytes)?;
        self.bytes
            .fetch_add(file.bytes.len() as u64, Ordering::Relaxed);
        file.bytes = Vec::new();
        Ok(file)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // After a successful swap the folder has become `out` and is no longer here.
        if self.dir.exists() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::new();
    all.push(d);
    all
}

fn write_file(target: &Path, data: &[u8]) -> Result<(), Diagnostic> {
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir)
            .map_err(|e| Diagnostic::at_path(dir, format!("cannot create folder: {e}")))?;
    }
    fs::write(target, data).map_err(|e| Diagnostic::at_path(target, format!("cannot write: {e}")))
}

/// Replaces `out` by `staging` with two renames; on failure the old output is put back.
fn swap_in(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), Diagnostic> {
    let old: Option<PathBuf> = if out.exists() {
        let old = parent.join(format!(".{name}.gongkai-old-{}", std::process::id()));
        if old.exists() {
            let _ = fs::remove_dir_all(&old);
        }
        fs::rename(out, &old)
            .map_err(|e| Diagnostic::at_path(out, format!("cannot move old output aside: {e}")))?;
        Some(old)
    } else {
        None
    };
    if let Err(e) = fs::rename(staging, out) {
        if let Some(old) = &old {
            let _ = fs::rename(old, out);
        }
        return Err(Diagnostic::at_path(
            out,
            format!("cannot move new output in place: {e}"),
        ));
    }
    if let Some(old) = old {
        let _ = fs::remove_dir_all(old);
    }
    Ok(())
}
