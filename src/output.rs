//! Write: the whole site goes into a staging folder next to `--out`, and replaces it
//! only when every file was written. A failed build leaves the old site untouched.
//! (Pages arrive minified: rendering minifies each page as it is made, so the site held
//! in memory between render and write is as small as it will be on disk.)

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::Rendered;

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

/// Writes everything into a staging folder beside `out`, then swaps it in.
pub fn write(root: &Path, out: &Path, rendered: &Rendered) -> Result<WriteReport, Diagnostics> {
    let fail = |d: Diagnostic| {
        let mut all = Diagnostics::new();
        all.push(d);
        all
    };
    check_out_dir(root, out).map_err(fail)?;
    let mut seen = HashSet::new();
    for path in rendered
        .files
        .iter()
        .map(|f| &f.path)
        .chain(rendered.copies.iter().map(|c| &c.to))
    {
        if !seen.insert(path.as_str()) {
            return Err(fail(Diagnostic::at_path(
                Path::new(path),
                "two outputs would be written to this path (an attachment clashing with a page?)",
            )));
        }
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| {
        fail(Diagnostic::at_path(
            parent,
            format!("cannot create folder: {e}"),
        ))
    })?;
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.gongkai-staging-{}", std::process::id()));
    let result = write_staging(root, &staging, rendered).and_then(|report| {
        swap_in(&staging, out, parent, &name)?;
        Ok(report)
    });
    if staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result.map_err(fail)
}

fn write_staging(
    root: &Path,
    staging: &Path,
    rendered: &Rendered,
) -> Result<WriteReport, Diagnostic> {
    if staging.exists() {
        fs::remove_dir_all(staging).map_err(|e| {
            Diagnostic::at_path(staging, format!("cannot clear staging folder: {e}"))
        })?;
    }
    let bytes: Result<Vec<u64>, Diagnostic> = rendered
        .files
        .par_iter()
        .map(|file| {
            write_file(&staging.join(&file.path), &file.bytes)?;
            Ok(file.bytes.len() as u64)
        })
        .collect();
    let mut report = WriteReport {
        files: rendered.files.len(),
        pages: rendered
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count(),
        copied: rendered.copies.len(),
        bytes: bytes?.iter().sum(),
    };
    for copy in &rendered.copies {
        let target = staging.join(&copy.to);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| Diagnostic::at_path(dir, format!("cannot create folder: {e}")))?;
        }
        report.bytes += fs::copy(root.join(&copy.from), &target)
            .map_err(|e| Diagnostic::at_path(&copy.from, format!("cannot copy attachment: {e}")))?;
    }
    Ok(report)
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
