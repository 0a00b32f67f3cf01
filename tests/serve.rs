//! `gongkai serve`, end to end: the real binary on a throw-away site, asked over HTTP as a
//! browser would (and, in `tests/js/serve.test.mjs`, by headless Chromium), while the
//! test edits the site's files. Also the rebuild engine's contract (`serve::engine`).
//!
//! Each server is started with `--port 0` (the system picks a free port) and the test
//! reads the URL serve prints on its first line of stdout, so parallel tests never race
//! for a port; `a_taken_port_moves_to_the_next_free_one` covers the port search itself.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestSite;
use gongkai::serve::engine::Engine;

/// How long a change may take to be served (a debug build on two shared cores).
const PATIENCE: Duration = Duration::from_secs(30);

const RULES: &str = "index_no: k12498411/2014-00065\ntitle: 市政府办公室关于印发知识产权联席会议工作制度的通知\nissuer: lyg-kjj\ndoc_no: 连政办发〔2014〕67号\ndate: 2014-05-07\nsummary: 为加强对全市知识产权工作的宏观管理。\n";
const OLD: &str = "index_no: k12498411/2010-00012\ntitle: 关于建立专利导航工作机制的通知\nissuer: lyg-kjj\ndate: 2010-03-01\nsummary: 旧。\nvalidity: repealed\n";
const RULES_PAGE: &str = "notices/k12498411-2014-00065/";
const OLD_PAGE: &str = "notices/k12498411-2010-00012/";

/// A small site: two notices of 市科技局 (`lyg-kjj`).
fn site() -> TestSite {
    let site = TestSite::new();
    site.notice("2014/rules", RULES, "各县、区人民政府：\n\n正文。\n");
    site.notice("2010/old", OLD, "旧。\n");
    site
}

/// A running `gongkai serve`; stopped (Ctrl-C, then killed) when dropped, also on panic.
struct Serve {
    child: Child,
    url: String,
    stderr: Arc<Mutex<String>>,
    agent: ureq::Agent,
}

impl Serve {
    /// Starts `gongkai serve --root ROOT --port PORT --as-of 2024-12-31` and waits for the
    /// URL it prints once the first build is done.
    fn start(root: &Path, port: u16) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["serve", "--as-of", "2024-12-31", "--port"])
            .arg(port.to_string())
            .arg("--root")
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gongkai serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        if let Some(mut pipe) = child.stderr.take() {
            let stderr = Arc::clone(&stderr);
            std::thread::spawn(move || {
                let mut buffer = [0u8; 4096];
                while let Ok(n @ 1..) = pipe.read(&mut buffer) {
                    let text = String::from_utf8_lossy(&buffer[..n]).into_owned();
                    if let Ok(mut all) = stderr.lock() {
                        all.push_str(&text);
                    }
                }
            });
        }
        let (tx, rx) = mpsc::channel();
        if let Some(pipe) = child.stdout.take() {
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(20)))
            .build()
            .into();
        let mut serve = Serve {
            child,
            url: String::new(),
            stderr,
            agent,
        };
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(url) => serve.url = url,
            Err(_) => panic!("serve printed no URL; stderr:\n{}", serve.stderr()),
        }
        assert!(
            serve.url.starts_with("http://127.0.0.1:") && serve.url.ends_with('/'),
            "{}",
            serve.url
        );
        serve
    }

    fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn port(&self) -> u16 {
        self.url
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a port in the URL")
    }

    /// The output folder, as serve reports it on stderr.
    fn out(&self) -> PathBuf {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let stderr = self.stderr();
            // The site's language (Chinese here), or English.
            for (open, close) in [("（输出在 ", '）'), ("(output in ", ')')] {
                if let Some(rest) = stderr.split(open).nth(1) {
                    return PathBuf::from(rest.split(close).next().expect("a path"));
                }
            }
            assert!(Instant::now() < deadline, "no output folder in:\n{stderr}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Status, headers and body of `GET path` (relative to the site root).
    fn get(&self, path: &str) -> Answer {
        let url = format!("{}{path}", self.url);
        let mut response = self
            .agent
            .get(&url)
            .call()
            .unwrap_or_else(|e| panic!("GET {url}: {e}\nstderr:\n{}", self.stderr()));
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let content_type = header("content-type");
        let csp = header("content-security-policy");
        let location = header("location");
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .read_to_string()
            .unwrap_or_else(|e| panic!("GET {url}: body: {e}"));
        Answer {
            status,
            content_type,
            csp,
            location,
            body,
        }
    }

    /// Polls `GET path` until `done` holds, for up to [`PATIENCE`].
    fn wait_for(&self, path: &str, what: &str, done: impl Fn(&Answer) -> bool) -> Answer {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let answer = self.get(path);
            if done(&answer) {
                return answer;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: /{path} still answers {} after {PATIENCE:?}:\n{}\nstderr:\n{}",
                answer.status,
                answer.body,
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Ctrl-C, as a publisher stops serve; returns whether it exited successfully.
    fn interrupt(&mut self) -> bool {
        let _ = Command::new("kill")
            .arg("-INT")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        false
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.interrupt();
        }
    }
}

struct Answer {
    status: u16,
    content_type: String,
    csp: String,
    location: String,
    body: String,
}

/// The title the 公开 notice page shows.
fn page_title(answer: &Answer) -> String {
    let page = scraper::Html::parse_document(&answer.body);
    common::texts(&page, "main h1").join(" ")
}

#[test]
fn serves_the_site_and_follows_a_title_change() {
    let site = site();
    let serve = Serve::start(site.root(), 0);

    let home = serve.get("");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert!(
        home.csp.contains("script-src 'self'"),
        "served with the production policy: {}",
        home.csp
    );
    assert!(
        home.body
            .contains("<script type=\"module\" src=\"/__gongkai/live.js?page=index.html&amp;s="),
        "{}",
        home.body
    );
    let notice = serve.get(RULES_PAGE);
    assert_eq!(
        page_title(&notice),
        "市政府办公室关于印发知识产权联席会议工作制度的通知"
    );
    assert!(
        notice
            .body
            .contains(&format!("page={RULES_PAGE}index.html"))
    );
    // A folder without its slash is redirected, as nginx does.
    let redirect = serve.get(RULES_PAGE.trim_end_matches('/'));
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.location, format!("/{RULES_PAGE}"));
    let home = scraper::Html::parse_document(&serve.get("").body);
    let stylesheet = common::stylesheet_href(&home, "style").expect("the home page's stylesheet");
    let css = serve.get(&stylesheet);
    assert_eq!(css.status, 200);
    assert_eq!(css.content_type, "text/css; charset=utf-8");
    assert!(!css.body.contains("__gongkai"), "only HTML gets the script");
    let script = serve.get("__gongkai/live.js");
    assert_eq!(script.content_type, "text/javascript; charset=utf-8");
    assert!(!script.body.contains("innerHTML"));

    // The title changes in the file: the notice page, the notice list, the unit page and
    // search follow.
    site.notice(
        "2014/rules",
        &RULES.replace("工作制度的通知", "工作规则的通知"),
        "各县、区人民政府：\n\n正文。\n",
    );
    let new_title = "市政府办公室关于印发知识产权联席会议工作规则的通知";
    let notice = serve.wait_for(RULES_PAGE, "the new title", |a| page_title(a) == new_title);
    assert_eq!(notice.status, 200);
    for page in ["notices/", "units/lyg-kjj/", ""] {
        let answer = serve.get(page);
        assert!(
            answer.body.contains(new_title) && !answer.body.contains("工作制度的通知"),
            "/{page} shows the new title:\n{}",
            answer.body
        );
    }
    let found = search(&serve.url, "工作规则");
    assert_eq!(found, [new_title], "search finds the new title");
    assert!(
        search(&serve.url, "工作制度").is_empty(),
        "and not the old one"
    );

    // Served pages get the script; the files on disk never do.
    let out = serve.out();
    let files = common::all_files(&out);
    assert!(files.len() > 10, "{files:?}");
    for file in files {
        let bytes = std::fs::read(out.join(&file)).expect("read output");
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__gongkai"),
            "{} holds the reload snippet",
            file.display()
        );
    }
}

/// Titles of every result of `query`, asked by the site's own search client in Node
/// against the server (tests/js/serve-search.mjs).
fn search(base: &str, query: &str) -> Vec<String> {
    let output = Command::new("node")
        .arg("tests/js/serve-search.mjs")
        .args([base, query])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("node must be installed to test search through serve (Node 20+)");
    assert!(
        output.status.success(),
        "node failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("a JSON list of titles")
}

#[test]
fn a_deleted_notice_answers_404_with_the_sites_404_page() {
    let site = site();
    let serve = Serve::start(site.root(), 0);
    assert_eq!(serve.get(OLD_PAGE).status, 200);
    let not_found_page = serve.get("no/such/page/");
    assert_eq!(not_found_page.status, 404);
    let built_404 = std::fs::read_to_string(serve.out().join("404.html")).expect("404.html");
    let heading = common::texts(&scraper::Html::parse_document(&built_404), "h1").join(" ");
    assert!(!heading.is_empty());

    std::fs::remove_file(site.root().join("content/notices/2010/old.md")).expect("delete");
    let gone = serve.wait_for(OLD_PAGE, "the deleted notice's 404", |a| a.status == 404);
    assert_eq!(
        common::texts(&scraper::Html::parse_document(&gone.body), "h1").join(" "),
        heading,
        "the site's own 404 page"
    );
    assert!(
        gone.body
            .contains("/__gongkai/live.js?page=notices/k12498411-2010-00012/index.html")
    );
    assert!(!serve.get("notices/").body.contains("专利导航"));
    assert!(
        !serve.out().join(OLD_PAGE).exists(),
        "its folder is removed"
    );
    // Nothing outside the output folder is served.
    assert_eq!(serve.get("..%2F..%2Fetc%2Fpasswd").status, 404);
}

/// With `base_url` in a subfolder the 404 page links from it (as published); serve answers
/// there too, so the preview's 404 page keeps its stylesheet and links.
#[test]
fn a_subfolder_base_url_is_served_under_its_path_too() {
    let site = site();
    let yaml = common::SITE_YAML.replace(
        "base_url: https://ip.example.gov.cn/",
        "base_url: https://ip.example.gov.cn/zscq/",
    );
    site.write("content/site.yaml", &yaml);
    let serve = Serve::start(site.root(), 0);
    let at_root = serve.get("notices/");
    let in_folder = serve.get("zscq/notices/");
    assert_eq!((at_root.status, in_folder.status), (200, 200));
    assert_eq!(page_title(&at_root), page_title(&in_folder));
    let missing = serve.get("zscq/no/such/page/");
    assert_eq!(missing.status, 404);
    let page = scraper::Html::parse_document(&missing.body);
    let stylesheet = scraper::Selector::parse("link[rel=stylesheet]").expect("selector");
    let href = page
        .select(&stylesheet)
        .filter_map(|l| l.value().attr("href"))
        .find(|h| h.ends_with(".css"))
        .expect("the 404 page links the stylesheet");
    assert!(href.starts_with("/zscq/assets/style."), "{href}");
    let css = serve.get(href.trim_start_matches('/'));
    assert_eq!(css.status, 200, "the 404 page's stylesheet is served");
    assert!(
        css.content_type.starts_with("text/css"),
        "{}",
        css.content_type
    );
    assert_eq!(serve.get("zscq").location, "/zscq/");
}

#[test]
fn a_content_error_is_shown_and_the_last_good_site_kept() {
    let site = site();
    let serve = Serve::start(site.root(), 0);
    let state: serde_json::Value =
        serde_json::from_str(&serve.get("__gongkai/state").body).expect("state JSON");
    assert_eq!(state["errors"], serde_json::json!([]));

    site.notice(
        "2014/rules",
        &RULES.replace("issuer: lyg-kjj", "issuer: lyg-kjjj"),
        "正文。\n",
    );
    let answer = serve.wait_for("__gongkai/state", "the error", |a| {
        a.body.contains("\"errors\":[{")
    });
    let state: serde_json::Value = serde_json::from_str(&answer.body).expect("state JSON");
    let error = &state["errors"][0];
    assert_eq!(error["file"], "content/notices/2014/rules.md");
    assert_eq!(error["line"], 4);
    assert_eq!(error["column"], 9);
    assert_eq!(error["severity"], "error");
    assert_eq!(error["line_text"], "issuer: lyg-kjjj");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("lyg-kjjj")),
        "{error}"
    );
    assert!(
        error["help"]
            .as_str()
            .is_some_and(|h| h.contains("lyg-kjj`")),
        "{error}"
    );
    // The terminal gets the diagnostic as `gongkai check` prints it.
    let deadline = Instant::now() + PATIENCE;
    while !serve.stderr().contains("继续提供上一次成功构建的站点") {
        assert!(Instant::now() < deadline, "{}", serve.stderr());
        std::thread::sleep(Duration::from_millis(50));
    }
    let stderr = serve.stderr();
    assert!(
        stderr.contains("content/notices/2014/rules.md:4:9: 错误[unknown-unit]"),
        "{stderr}"
    );
    assert!(stderr.contains("4 | issuer: lyg-kjjj"), "{stderr}");
    // The last good site is still served.
    let notice = serve.get(RULES_PAGE);
    assert_eq!(notice.status, 200);
    assert_eq!(
        page_title(&notice),
        "市政府办公室关于印发知识产权联席会议工作制度的通知"
    );

    site.notice("2014/rules", RULES, "正文。\n");
    serve.wait_for("__gongkai/state", "the error to clear", |a| {
        a.body.contains("\"errors\":[]")
    });
}

#[test]
fn a_taken_port_moves_to_the_next_free_one_and_ctrl_c_cleans_up() {
    let site = site();
    // Hold a port, so serve must move past it.
    let held = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let taken = held.local_addr().expect("address").port();
    let mut serve = Serve::start(site.root(), taken);
    assert_ne!(serve.port(), taken);
    assert!(serve.port() > taken, "{}", serve.url);
    assert!(
        serve.stderr().contains(&format!("port {taken} is taken")),
        "{}",
        serve.stderr()
    );
    assert_eq!(serve.get("").status, 200);
    let out = serve.out();
    assert!(out.join("index.html").is_file());
    assert!(!out.starts_with(site.root()), "never under the site root");

    assert!(serve.interrupt(), "exits successfully on Ctrl-C");
    assert!(!out.exists(), "the output folder is removed on exit");
    assert!(
        !site.root().join("public").exists(),
        "public/ is never touched"
    );
}

#[test]
fn the_overlay_appears_and_clears_in_headless_chromium() {
    let site = site();
    let serve = Serve::start(site.root(), 0);
    let shots = tempfile::tempdir().expect("temp dir");
    let output = Command::new("node")
        .args([
            "--experimental-websocket",
            "--test",
            "tests/js/serve.test.mjs",
        ])
        .env("GONGKAI_SERVE_URL", &serve.url)
        .env("GONGKAI_SERVE_PAGE", RULES_PAGE)
        .env(
            "GONGKAI_SERVE_FILE",
            site.root().join("content/notices/2014/rules.md"),
        )
        .env("GONGKAI_SHOTS", shots.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("node must be installed to run the browser tests (Node 20+)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "node failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- serve\n{}",
        serve.stderr()
    );
    assert!(stdout.contains("# fail 0"), "{stdout}");
    // The JS test skips only without Chromium, and fails instead under
    // GONGKAI_REQUIRE_BROWSER=1 (CI).
    if stdout.contains("# skipped 1") {
        eprintln!("SKIPPED: the serve browser test (no Chromium):\n{stdout}");
    } else {
        assert!(stdout.contains("# pass 1"), "{stdout}");
        for shot in ["serve-overlay.png", "serve-preview.png"] {
            let png = std::fs::read(shots.path().join(shot)).expect("a screenshot");
            assert!(png.starts_with(b"\x89PNG"), "{shot}");
        }
        // Kept for a look by hand: GONGKAI_KEEP_SHOTS=DIR.
        if let Some(keep) = std::env::var_os("GONGKAI_KEEP_SHOTS") {
            for shot in ["serve-overlay.png", "serve-preview.png"] {
                let _ = std::fs::copy(shots.path().join(shot), Path::new(&keep).join(shot));
            }
        }
    }
}

#[test]
fn built_sites_carry_no_reload_snippet() {
    let site = site();
    site.build("2024-12-31").expect("build");
    for out in [site.out(), common::built_example_site().to_path_buf()] {
        let files = common::all_files(&out);
        assert!(files.len() > 10);
        for file in files {
            let bytes = std::fs::read(out.join(&file)).expect("read");
            assert!(
                !String::from_utf8_lossy(&bytes).contains("__gongkai"),
                "{} holds serve's snippet",
                file.display()
            );
        }
    }
}

/// The engine's contract, which an incremental engine must keep: the first rebuild writes
/// everything; afterwards only what changed is written or removed; an error leaves the
/// folder as it was.
#[test]
fn the_engine_writes_only_what_changed() {
    let site = site();
    let out = tempfile::tempdir().expect("temp dir");
    let mut engine = Engine::new(site.options("2024-12-31"), out.path().join("site"));
    assert_eq!(engine.out(), out.path().join("site"));
    let first = engine.rebuild(&[]).expect("first build");
    let everything = common::all_files(engine.out());
    let listed: Vec<PathBuf> = first.written.iter().map(PathBuf::from).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(
        sorted, everything,
        "the first build lists every file it wrote"
    );
    assert!(first.removed.is_empty());

    let again = engine.rebuild(&[]).expect("rebuild");
    assert!(
        again.written.is_empty() && again.removed.is_empty(),
        "{:?}",
        again.written
    );

    let file = site.root().join("content/notices/2014/rules.md");
    site.notice(
        "2014/rules",
        &RULES.replace("工作制度的通知", "工作规则的通知"),
        "各县、区人民政府：\n\n正文。\n",
    );
    let changed = engine
        .rebuild(std::slice::from_ref(&file))
        .expect("rebuild");
    for path in [
        "notices/k12498411-2014-00065/index.html",
        "notices/index.html",
        "units/lyg-kjj/index.html",
        "index.html",
    ] {
        assert!(
            changed.written.iter().any(|w| w == path),
            "{path} in {:?}",
            changed.written
        );
    }
    assert!(
        !changed
            .written
            .iter()
            .any(|w| w == "notices/k12498411-2010-00012/index.html"),
        "the other notice is untouched: {:?}",
        changed.written
    );
    assert!(changed.written.iter().any(|w| w.starts_with("search/")));
    assert!(changed.removed.is_empty());

    let before = snapshot(engine.out());
    site.notice(
        "2014/rules",
        &RULES.replace("issuer: lyg-kjj", "issuer: nobody"),
        "正文。\n",
    );
    let errors = engine
        .rebuild(std::slice::from_ref(&file))
        .expect_err("an error");
    assert!(common::rendered(&errors).contains("nobody"));
    assert_eq!(
        snapshot(engine.out()),
        before,
        "an error leaves the folder as it was"
    );

    let old = site.root().join("content/notices/2010/old.md");
    std::fs::remove_file(&old).expect("delete");
    site.notice("2014/rules", RULES, "正文。\n");
    let removed = engine.rebuild(&[old, file]).expect("rebuild");
    assert!(
        removed
            .removed
            .iter()
            .any(|r| r == "notices/k12498411-2010-00012/index.html"),
        "{:?}",
        removed.removed
    );
    assert!(!engine.out().join("notices/k12498411-2010-00012").exists());
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    common::all_files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).expect("read");
            (f, bytes)
        })
        .collect()
}
