//! Watching the site's sources: `content/` (which holds `site.yaml`, the only place the
//! loader reads it from, `config::SITE_FILE`) and `themes/` (template overrides).
//!
//! The root itself is watched without recursion, so that a `themes/` (or `content/`)
//! created while serving is noticed and watched from then on, while `public/`, `.git/`
//! and the rest of the root cost no watches and trigger no rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// How long the debouncer waits for a burst of events (an editor's write, rename and
/// chmod of one save; `git checkout` of many files) to end before one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(40);

/// The folders under the root whose changes rebuild the site.
const SOURCES: [&str; 2] = ["content", "themes"];

/// One debounced batch of changes: the source paths (absolute; none means "rescan
/// everything") and when the first of its events happened, so serve can tell how long a
/// save waited before its rebuild began.
pub(crate) struct Batch {
    pub(crate) paths: Vec<PathBuf>,
    pub(crate) since: Option<std::time::Instant>,
}

/// A running watcher; dropping it stops watching.
pub(crate) struct Watch {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    /// Which of [`SOURCES`] are watched (they may appear later).
    watched: [bool; 2],
}

impl Watch {
    /// Starts watching the sources under `root`, sending each debounced batch of changed
    /// source paths (absolute) to `changes`.
    pub(crate) fn start(root: &Path, changes: Sender<Batch>) -> Result<Watch, String> {
        // Events name paths as watched: watch the canonical root so that they compare
        // with it, whatever form (`.`, a symlink) the root was given in.
        let root = root
            .canonicalize()
            .map_err(|e| format!("{}: {e}", root.display()))?;
        let sources: Vec<PathBuf> = SOURCES.iter().map(|s| root.join(s)).collect();
        let handler = move |result: DebounceEventResult| match result {
            Ok(events) => {
                let mut paths: Vec<PathBuf> = events
                    .iter()
                    // Reading a file (as every build does) is not a change.
                    .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                    .flat_map(|e| e.event.paths.iter())
                    .filter(|p| sources.iter().any(|s| p.starts_with(s)))
                    .cloned()
                    .collect();
                paths.sort();
                paths.dedup();
                let since = events.iter().map(|e| e.time).min();
                if !paths.is_empty() {
                    // The receiver is gone only while serve is stopping.
                    let _ = changes.send(Batch { paths, since });
                }
            }
            Err(errors) => {
                for error in errors {
                    eprintln!("watch: {error}");
                }
                // Something may have been missed: rebuild from a full rescan.
                let _ = changes.send(Batch {
                    paths: Vec::new(),
                    since: None,
                });
            }
        };
        let debouncer = new_debouncer(DEBOUNCE, None, handler).map_err(|e| e.to_string())?;
        let mut watch = Watch {
            root,
            debouncer,
            watched: [false; 2],
        };
        watch
            .debouncer
            .watch(&watch.root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", watch.root.display()))?;
        watch.refresh(&[]);
        Ok(watch)
    }

    /// Watches every source folder that exists and is not watched yet, and watches again
    /// one that `changed` names itself (removed and made anew, its old watch is gone).
    /// Called before each rebuild, so a `themes/` made while serving is picked up by the
    /// change that made it.
    pub(crate) fn refresh(&mut self, changed: &[PathBuf]) {
        for (i, name) in SOURCES.iter().enumerate() {
            let dir = self.root.join(name);
            if self.watched[i] && changed.contains(&dir) {
                let _ = self.debouncer.unwatch(&dir);
                self.watched[i] = false;
            }
            if self.watched[i] || !dir.is_dir() {
                continue;
            }
            match self.debouncer.watch(&dir, RecursiveMode::Recursive) {
                Ok(()) => self.watched[i] = true,
                Err(e) => eprintln!("cannot watch {}: {e}", dir.display()),
            }
        }
    }
}
