//! `gongkai serve`: build the site into a folder this session owns, serve it on
//! 127.0.0.1, rebuild when the sources change and tell open pages to reload.
//!
//! - [`engine`]: the rebuild engine (its API is the contract with the incremental one);
//! - `watch`: notify + debouncer on `content/` and `themes/`;
//! - `http`: the server, the reload script injected into HTML responses only, and the
//!   server-sent events that carry rebuilds and errors to open pages (`live.js`).
//!
//! Nothing of serve reaches a built site: the output is a temporary folder removed on
//! exit, never `public/`, and the reload snippet exists only in HTTP responses.

pub mod engine;
mod http;
mod watch;

use std::io::Write;
use std::net::{Ipv4Addr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::enums::Key;
use crate::text;
use engine::{Engine, Outcome};

/// How many ports after `--port` are tried when it is taken.
const PORT_TRIES: u16 = 100;

/// Runs `gongkai serve` until Ctrl-C (or SIGTERM): builds `options` into a temporary
/// folder, serves it on 127.0.0.1 from `port` (or the next free one; 0 lets the system
/// choose), prints the URL on stdout and, with `open`, opens it in the default browser.
///
/// Returns an error only for what stops serve from starting (no free port, no temporary
/// folder, no watcher); content errors are shown and served around.
pub fn run(options: crate::BuildOptions, port: u16, open: bool) -> Result<(), String> {
    let temp = tempfile::Builder::new()
        .prefix("gongkai-serve-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary output folder: {e}"))?;
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;

    let listener = bind(port)?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("cannot read the server's address: {e}"))?
        .port();
    let out = temp.path().join("site");
    let root = options.root.clone();
    let live = Arc::new(Live::new());
    let engine = Arc::new(Mutex::new(Engine::new(options, out.clone())));

    let lang = crate::config::site_language(&root);
    let shown = root.display();
    say(lang, text!("building {shown} …", "正在构建 {shown} …"));
    rebuild(&mut lock(&engine), &live, &[], None);

    let server = Arc::new(
        tiny_http::Server::from_listener(listener, None)
            .map_err(|e| format!("cannot start the server: {e}"))?,
    );
    {
        let (server, out, live) = (Arc::clone(&server), out.clone(), Arc::clone(&live));
        std::thread::spawn(move || http::serve(&server, &out, &live));
    }

    let (changes_tx, changes_rx) = mpsc::channel::<watch::Batch>();
    let watch = watch::Watch::start(&root, changes_tx)?;
    {
        let (engine, live) = (Arc::clone(&engine), Arc::clone(&live));
        std::thread::spawn(move || rebuild_loop(watch, &changes_rx, &engine, &live));
    }

    let url = format!("http://127.0.0.1:{port}/");
    // The URL alone on stdout, first, so that scripts (and the tests) can read it.
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{url}");
    let _ = stdout.flush();
    let output = out.display();
    say(
        lang,
        text!(
            "serving {shown} at {url} (output in {output}); watching content/ and themes/; Ctrl-C stops",
            "正在预览 {shown}：{url}（输出在 {output}）；监视 content/ 和 themes/；按 Ctrl-C 停止"
        ),
    );
    if open {
        open_browser(&url);
    }

    // Ctrl-C, SIGTERM or SIGHUP.
    let _ = stop_rx.recv();
    say(lang, text!("stopping …", "正在停止 …"));
    server.unblock();
    // A rebuild under way finishes first (its files are being renamed into the folder).
    let engine = lock(&engine);
    let removed = temp.close();
    drop(engine);
    removed.map_err(|e| format!("cannot remove {}: {e}", out.display()))
}

/// Binds 127.0.0.1:`port`, or the next free port after it; port 0 lets the system choose.
fn bind(port: u16) -> Result<TcpListener, String> {
    if port == 0 {
        return TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"));
    }
    let last = port.saturating_add(PORT_TRIES - 1);
    for candidate in port..=last {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, candidate)) {
            Ok(listener) => {
                if candidate != port {
                    eprintln!("port {port} is taken; using {candidate}");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(format!("cannot listen on 127.0.0.1:{candidate}: {e}")),
        }
    }
    Err(format!(
        "ports {port}–{last} on 127.0.0.1 are all taken; pass another --port"
    ))
}

/// Opens `url` in the default browser with the system's own opener (no crate needed);
/// failing to is reported, not fatal.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match command.spawn() {
        // Reaped in the background so it leaves no zombie.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("cannot open a browser ({e}); open {url} yourself"),
    }
}

/// Takes the engine even if a rebuild panicked while holding it (the next rebuild
/// rescans everything anyway).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Rebuilds after each batch of changes, one at a time, merging batches that arrived
/// while the previous rebuild ran.
fn rebuild_loop(
    mut watch: watch::Watch,
    changes: &mpsc::Receiver<watch::Batch>,
    engine: &Mutex<Engine>,
    live: &Live,
) {
    while let Ok(batch) = changes.recv() {
        let mut since = batch.since;
        let mut changed = batch.paths;
        let mut rescan = changed.is_empty();
        while let Ok(more) = changes.try_recv() {
            rescan |= more.paths.is_empty();
            since = since.into_iter().chain(more.since).min();
            changed.extend(more.paths);
        }
        if rescan {
            changed.clear();
        }
        changed.sort();
        changed.dedup();
        watch.refresh(&changed);
        rebuild(&mut lock(engine), live, &changed, since);
    }
}

/// One rebuild: prints what happened and tells open pages, after the files are in place.
fn rebuild(engine: &mut Engine, live: &Live, changed: &[PathBuf], since: Option<Instant>) {
    let started = Instant::now();
    // How long the first change of the batch waited for the watcher to let it through.
    let waited = since.map(|t| started.saturating_duration_since(t));
    // Open pages reload as soon as the pages are written; the files for programs and the
    // search index follow, and tell pages again (only those they change).
    let mut told = Vec::new();
    let result = engine.rebuild_then(changed, |so_far| {
        live.pages_ready(so_far);
        told = so_far.written.clone();
    });
    let took = started.elapsed();
    // Read each time: site.yaml may just have changed its language.
    let lang = crate::config::site_language(engine.root());
    let colour = anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
    match result {
        Ok(outcome) => {
            for warning in outcome.warnings.iter() {
                eprintln!("{}\n", warning.render(lang, colour));
            }
            let steps: Vec<String> = waited
                .map(|w| ("watch", w))
                .iter()
                .chain(&outcome.timings)
                .map(|(step, time)| format!("{step} {:.0} ms", time.as_secs_f64() * 1e3))
                .collect();
            say(
                lang,
                text!(
                    "built in {took}: {rendered} page(s) rendered, {written} file(s) written, {removed} removed ({steps})",
                    "构建用时 {took}：渲染 {rendered} 个页面，写出 {written} 个文件，删除 {removed} 个（{steps}）",
                    took = seconds(took),
                    rendered = outcome.rendered,
                    written = outcome.written.len(),
                    removed = outcome.removed.len(),
                    steps = steps.join(", ")
                ),
            );
            live.set_base_path(engine.root());
            live.built(&outcome, &told);
        }
        Err(diagnostics) => {
            for d in diagnostics.iter() {
                eprintln!("{}\n", d.render(lang, colour));
            }
            say(
                lang,
                text!(
                    "error: {count} problem(s) found; still serving the last good site",
                    "错误：发现 {count} 个问题；继续提供上一次成功构建的站点",
                    count = diagnostics.errors().count()
                ),
            );
            live.failed(&diagnostics, lang);
        }
    }
}

/// Prints a status line in the site's language.
fn say(lang: crate::diagnostics::Lang, line: crate::diagnostics::Text) {
    eprintln!("{}", crate::diagnostics::printable(line.get(lang)));
}

fn seconds(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// One diagnostic as open pages receive it (JSON, shown in the error overlay).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Problem {
    /// Relative to the site root, `/`-separated.
    file: String,
    line: usize,
    column: usize,
    /// `error` or `warning`.
    severity: &'static str,
    /// The stable code (docs/diagnostics.md).
    code: crate::diagnostics::Code,
    /// In the site's language.
    message: String,
    /// The source line the position is on (may be empty).
    line_text: String,
    help: Option<String>,
}

impl Problem {
    /// `d` as the overlay shows it, in `lang`.
    fn of(d: &Diagnostic, lang: crate::diagnostics::Lang) -> Self {
        Problem {
            file: d.path.to_string_lossy().replace('\\', "/"),
            line: d.position.line,
            column: d.position.column,
            severity: d.severity.key(),
            code: d.code,
            message: d.message.get(lang).to_string(),
            line_text: d.line_text.clone(),
            help: d.help.as_ref().map(|h| h.get(lang).to_string()),
        }
    }
}

/// What open pages are told: the state on connecting (`kind: "state"`), then one message
/// after each rebuild (`kind: "build"`, with the paths it wrote and removed).
#[derive(Serialize)]
struct Message<'a> {
    kind: &'static str,
    /// Differs between two runs of serve: a page from an earlier run reloads.
    session: &'a str,
    /// Counts rebuilds that told pages something; a page knows the one it was served at.
    version: u64,
    /// The current errors: empty when the last rebuild succeeded.
    errors: &'a [Problem],
    /// False while a rebuild has written the pages but not yet the files for programs
    /// (open data, feeds, sitemaps, the search index).
    settled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    written: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed: Option<&'a [String]>,
}

/// The state shared by the rebuild thread and the request threads: the current errors
/// and the open event streams.
pub(crate) struct Live {
    session: String,
    inner: Mutex<LiveInner>,
    /// The path of site.yaml's `base_url` when it is not `/` (`/zscq/`): the site is
    /// served under it too, as the 404 page links from there.
    base_path: Mutex<Option<String>>,
}

struct LiveInner {
    version: u64,
    /// See [`Message::settled`].
    settled: bool,
    /// Whether this rebuild's first message counted a version already.
    counted: bool,
    errors: Vec<Problem>,
    /// One sender per open event stream; dropped when its stream is gone.
    streams: Vec<mpsc::Sender<String>>,
}

impl Live {
    fn new() -> Live {
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Live {
            session: format!("{}-{}", std::process::id(), started.as_millis()),
            inner: Mutex::new(LiveInner {
                version: 0,
                settled: true,
                counted: false,
                errors: Vec::new(),
                streams: Vec::new(),
            }),
            base_path: Mutex::new(None),
        }
    }

    /// The subfolder the site is published in, as the last build's site.yaml says.
    pub(crate) fn base_path(&self) -> Option<String> {
        lock(&self.base_path).clone()
    }

    fn set_base_path(&self, root: &std::path::Path) {
        let path = crate::config::SiteConfig::load(root)
            .ok()
            .and_then(|c| c.base_url)
            .and_then(|url| base_path_of(&url));
        *lock(&self.base_path) = path;
    }

    /// The session and version a page served now was built at (written into the script
    /// URL injected into it, so a page served just before a rebuild still reloads).
    pub(crate) fn tag(&self) -> (String, u64) {
        (self.session.clone(), lock(&self.inner).version)
    }

    /// The current state, as JSON (`/__gongkai/state` and the first event of a stream).
    pub(crate) fn state(&self) -> String {
        let inner = lock(&self.inner);
        self.message(&inner, "state", None)
    }

    /// A new event stream: its first message is the current state, then every rebuild.
    pub(crate) fn subscribe(&self) -> mpsc::Receiver<String> {
        let (tx, rx) = mpsc::channel();
        let mut inner = lock(&self.inner);
        let _ = tx.send(self.message(&inner, "state", None));
        inner.streams.push(tx);
        rx
    }

    /// The pages of a rebuild are written (`so_far`), the rest is still to come.
    fn pages_ready(&self, so_far: &Outcome) {
        let mut inner = lock(&self.inner);
        inner.settled = false;
        inner.counted = false;
        if so_far.written.is_empty() && inner.errors.is_empty() {
            return;
        }
        inner.errors.clear();
        inner.counted = true;
        self.broadcast(&mut inner, Some((&so_far.written, &[])));
    }

    /// A rebuild is done; open pages were told of the paths in `told` already.
    fn built(&self, outcome: &Outcome, told: &[String]) {
        let mut inner = lock(&self.inner);
        inner.settled = true;
        let counted = std::mem::take(&mut inner.counted);
        let told: std::collections::HashSet<&str> = told.iter().map(String::as_str).collect();
        let written: Vec<String> = outcome
            .written
            .iter()
            .filter(|path| !told.contains(path.as_str()))
            .cloned()
            .collect();
        let nothing = written.is_empty() && outcome.removed.is_empty();
        if nothing && inner.errors.is_empty() {
            return;
        }
        inner.errors.clear();
        // Pages reloaded with the first message; this one only tells those the files
        // for programs concern (the search page), and a page served in between is current.
        if counted {
            self.send(&mut inner, Some((&written, &outcome.removed)));
        } else {
            self.broadcast(&mut inner, Some((&written, &outcome.removed)));
        }
    }

    fn failed(&self, diagnostics: &Diagnostics, lang: crate::diagnostics::Lang) {
        let mut inner = lock(&self.inner);
        inner.settled = true;
        inner.counted = false;
        inner.errors = diagnostics.errors().map(|d| Problem::of(d, lang)).collect();
        self.broadcast(&mut inner, None);
    }

    fn broadcast(&self, inner: &mut LiveInner, paths: Option<(&[String], &[String])>) {
        inner.version += 1;
        self.send(inner, paths);
    }

    /// Tells open pages what was written, without counting a new version: a page served
    /// since the version was counted is up to date and need not reload on connecting.
    fn send(&self, inner: &mut LiveInner, paths: Option<(&[String], &[String])>) {
        let text = self.message(inner, "build", paths);
        inner
            .streams
            .retain(|stream| stream.send(text.clone()).is_ok());
    }

    fn message(
        &self,
        inner: &LiveInner,
        kind: &'static str,
        paths: Option<(&[String], &[String])>,
    ) -> String {
        let message = Message {
            kind,
            session: &self.session,
            version: inner.version,
            errors: &inner.errors,
            settled: inner.settled,
            written: paths.map(|p| p.0),
            removed: paths.map(|p| p.1),
        };
        // Plain strings and numbers: serialising cannot fail.
        serde_json::to_string(&message).unwrap_or_default()
    }
}

/// The path of a `base_url` when it names a subfolder: `https://host/zscq/` → `/zscq/`;
/// `None` for a domain root.
fn base_path_of(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |at| &after_scheme[at..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let path = if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    (path != "/").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::base_path_of;

    #[test]
    fn a_base_url_names_a_subfolder_or_the_root() {
        assert_eq!(
            base_path_of("https://x.gov.cn/zscq/").as_deref(),
            Some("/zscq/")
        );
        assert_eq!(
            base_path_of("https://x.gov.cn/a/b").as_deref(),
            Some("/a/b/")
        );
        assert_eq!(base_path_of("https://x.gov.cn/"), None);
        assert_eq!(base_path_of("https://x.gov.cn"), None);
    }
}
