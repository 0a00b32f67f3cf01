//! The site on a real server under its Content-Security-Policy (docs/security.md).
//!
//! Debian's nginx serves built sites with the very files of `docs/nginx/` (only `listen`,
//! `root`/`alias` and the snippet's path rewritten), so the CSP tested is the one
//! documented; plain HTTP requests check the headers, gzip and caching, and
//! `tests/js/csp.test.mjs` loads every page of the example site and a search in headless
//! Chromium, failing on any CSP violation or console error. The same run proves the
//! detector: a page of an `unsafe_html: true` site with inline script, style, an event
//! handler and an innerHTML write must report each of them.
//!
//! Without nginx, Chromium or Node the server test is skipped with a message, unless
//! `GONGKAI_REQUIRE_BROWSER=1` (CI), where it fails. The static checks always run.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{SITE_YAML, TestSite};
use scraper::Html;

/// Debian's, unless GONGKAI_NGINX / CHROMIUM say otherwise.
fn nginx() -> PathBuf {
    std::env::var_os("GONGKAI_NGINX").map_or_else(|| "/usr/sbin/nginx".into(), PathBuf::from)
}
fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| "/usr/bin/chromium".into(), PathBuf::from)
}
/// What `docs/nginx/*.conf` say, and the test rewrites.
const DOC_ROOT: &str = "/var/www/gongkai/public";
const DOC_SNIPPET: &str = "/etc/nginx/snippets/gongkai-security-headers.conf";
const NOTICE: &str = "notices/k12498411-2014-00065/index.html";
/// The search of the brief, and its first result (as in tests/js/browser.test.mjs).
const QUERY: &str = "联席会议";
const FIRST_RESULT: &str = "连云港市召开2024年度知识产权联席会议全体会议";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    fs::read_to_string(repo().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The Content-Security-Policy of `docs/nginx/security-headers.conf`.
fn csp() -> String {
    let snippet = read("docs/nginx/security-headers.conf");
    let line = snippet
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("add_header Content-Security-Policy "))
        .expect("security-headers.conf sets Content-Security-Policy");
    assert!(
        line.ends_with("\" always;"),
        "`always`, so 404 pages get it: {line}"
    );
    let value = line
        .split_once('"')
        .and_then(|(_, rest)| rest.rsplit_once('"'))
        .map(|(value, _)| value.to_string())
        .expect("quoted value");
    assert!(!value.contains('"'));
    value
}

// ---------------------------------------------------------------------------------------
// Static checks: always run.

#[test]
fn the_csp_is_documented_where_it_is_set() {
    let csp = csp();
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
        "require-trusted-types-for 'script'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-"), "{csp}");
    let security = read("docs/security.md");
    assert!(
        security.contains(&csp),
        "docs/security.md shows the policy of docs/nginx/security-headers.conf verbatim:\n{csp}"
    );
    for conf in [
        "docs/nginx/gongkai.conf",
        "docs/nginx/gongkai-subfolder.conf",
    ] {
        let text = read(conf);
        assert!(text.contains(&format!("include {DOC_SNIPPET};")), "{conf}");
        assert!(text.contains("gzip_static on;"), "{conf}");
        assert!(
            !text.contains("Content-Security-Policy"),
            "{conf}: only in the snippet"
        );
    }
}

/// Inline script or style on a page (what a `script-src`/`style-src 'self'` policy
/// refuses), as "where: what".
fn inline_code(name: &str, html: &str) -> Vec<String> {
    let page = Html::parse_document(html);
    let mut found = Vec::new();
    for element in page
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let e = element.value();
        // A JSON-LD block is data, not script: browsers never run it, so `script-src`
        // does not apply to it. It must be JSON that no `</script>` can end early.
        if e.name() == "script" && e.attr("type") == Some("application/ld+json") {
            let text: String = element.text().collect();
            // In a template, the block is the expression that fills it.
            let json = text.trim() == "{{ json_ld | safe }}"
                || serde_json::from_str::<serde_json::Value>(&text).is_ok();
            if text.contains('<') || !json {
                found.push(format!("{name}: a JSON-LD block that is not plain JSON"));
            }
            continue;
        }
        if e.name() == "script" && e.attr("src").is_none() {
            found.push(format!("{name}: inline <script>"));
        }
        if e.name() == "style" {
            found.push(format!("{name}: <style> element"));
        }
        for (attr, value) in e.attrs() {
            if attr == "style" || attr.starts_with("on") {
                found.push(format!("{name}: <{} {attr}=\"{value}\">", e.name()));
            }
            if (attr == "href" || attr == "src" || attr == "action")
                && value
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("javascript:")
            {
                found.push(format!("{name}: <{} {attr}=\"{value}\">", e.name()));
            }
        }
    }
    found
}

#[test]
fn pages_and_templates_need_no_inline_script_or_style() {
    let mut found = Vec::new();
    let templates = repo().join("themes/default/templates");
    for entry in fs::read_dir(&templates).expect("templates") {
        let path = entry.expect("entry").path();
        let text = fs::read_to_string(&path).expect("template");
        found.extend(inline_code(&path.display().to_string(), &text));
    }
    let out = common::built_example_site();
    for file in common::all_files(out) {
        if file.extension().and_then(|e| e.to_str()) == Some("html") {
            let text = fs::read_to_string(out.join(&file)).expect("page");
            found.extend(inline_code(&file.display().to_string(), &text));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn theme_scripts_never_parse_strings_as_html_or_code() {
    for script in [
        "themes/default/static/search/search-page.js",
        "themes/default/static/search/from-disk.js",
        "themes/default/static/elder.js",
        "themes/default/static/search/gongkai-search.js",
    ] {
        let text = read(script);
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "createContextualFragment",
            "DOMParser",
            "eval(",
            "new Function",
            "cssText",
            "setAttribute(\"style\"",
            "setAttribute(\"on",
        ] {
            assert!(!text.contains(sink), "{script} uses {sink}");
        }
    }
}

/// pulldown-cmark alone would write `style="text-align: …"` on the cells of an aligned GFM
/// table column, which `style-src 'self'` refuses; src/render/markdown.rs writes classes.
#[test]
fn aligned_table_columns_need_no_inline_style() {
    let site = TestSite::new();
    site.notice(
        "2024/a",
        "index_no: k12498411/2024-00001\ntitle: 表格\nissuer: lyg-gov\ndate: 2024-01-01\nsummary: 表格\n",
        "| 单位 | 件数 |\n|:---|---:|\n| 市科技局 | 3 |\n",
    );
    site.build("2024-12-31").expect("builds");
    let page = fs::read_to_string(site.out().join("notices/k12498411-2024-00001/index.html"))
        .expect("page");
    let found = inline_code("notice", &page);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

// ---------------------------------------------------------------------------------------
// The real server.

/// Whether the tools are there; if not, says why and skips, or fails under
/// GONGKAI_REQUIRE_BROWSER=1.
fn tools(part: &str, names: &[(&str, bool)]) -> bool {
    let missing: Vec<&str> = names
        .iter()
        .filter(|(_, present)| !present)
        .map(|(name, _)| *name)
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "{} missing: skipping {part} (apt-get install nginx chromium nodejs)",
        missing.join(", ")
    );
    if std::env::var("GONGKAI_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("{message} (GONGKAI_REQUIRE_BROWSER=1)");
    }
    eprintln!("SKIPPED: {message}");
    false
}

fn node_works() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// nginx with our config as a child process in its own process group; stopped (with its
/// workers) when dropped.
struct Nginx {
    child: Child,
    dir: PathBuf,
}

impl Nginx {
    /// Starts nginx with `servers` inside `http { }`, waiting until every port accepts.
    fn start(dir: &Path, servers: &str, ports: &[u16]) -> Result<Nginx, String> {
        let d = dir.display();
        let user = if running_as_root() {
            // Workers would otherwise run as nobody, who cannot read the temp folders.
            "user root;\n"
        } else {
            ""
        };
        let config = format!(
            "{user}worker_processes 1;\nerror_log {d}/error.log warn;\nevents {{ worker_connections 256; }}\nhttp {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n    access_log {d}/access.log;\n    client_body_temp_path {d}/client_body;\n    proxy_temp_path {d}/proxy;\n    fastcgi_temp_path {d}/fastcgi;\n    uwsgi_temp_path {d}/uwsgi;\n    scgi_temp_path {d}/scgi;\n    sendfile on;\n{servers}\n}}\n"
        );
        fs::write(dir.join("nginx.conf"), config).map_err(|e| e.to_string())?;
        let log = fs::File::create(dir.join("nginx.out")).map_err(|e| e.to_string())?;
        let child = Command::new(nginx())
            .arg("-p")
            .arg(dir)
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-g")
            .arg(format!("daemon off; pid {d}/nginx.pid;"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", nginx().display()))?;
        let mut nginx = Nginx {
            child,
            dir: dir.to_path_buf(),
        };
        let end = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                return Err(format!("nginx exited ({status}):\n{}", nginx.logs()));
            }
            if ports
                .iter()
                .all(|p| TcpStream::connect(("127.0.0.1", *p)).is_ok())
            {
                return Ok(nginx);
            }
            if Instant::now() > end {
                return Err(format!("nginx did not listen in 15 s:\n{}", nginx.logs()));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn logs(&self) -> String {
        let read = |name: &str| fs::read_to_string(self.dir.join(name)).unwrap_or_default();
        format!("{}{}", read("nginx.out"), read("error.log"))
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        // Graceful stop: the master stops its workers, then exits.
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let end = Instant::now() + Duration::from_secs(5);
        while Instant::now() < end {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Still running (and not reaped, so the id is still ours): the whole group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("bind"))
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().expect("addr").port())
        .collect()
}

/// `text` with each `(from, to)` replaced; every `from` must occur, so a change of the
/// documented config cannot silently leave the test on something else.
fn rewrite(name: &str, text: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (from, to) in pairs {
        assert!(out.contains(from), "{name} no longer contains `{from}`");
        out = out.replace(from, to);
    }
    out
}

fn snippet_path() -> String {
    repo()
        .join("docs/nginx/security-headers.conf")
        .display()
        .to_string()
}

/// docs/nginx/gongkai.conf serving `site` on `port`.
fn root_server(site: &Path, port: u16) -> String {
    rewrite(
        "docs/nginx/gongkai.conf",
        &read("docs/nginx/gongkai.conf"),
        &[
            ("listen 80;", &format!("listen 127.0.0.1:{port};")),
            ("listen [::]:80;", ""),
            (DOC_ROOT, &site.display().to_string()),
            (DOC_SNIPPET, &snippet_path()),
        ],
    )
}

/// docs/nginx/gongkai-subfolder.conf (site under /sub/), in a server of its own on `port`.
fn subfolder_server(site: &Path, port: u16) -> String {
    let locations = rewrite(
        "docs/nginx/gongkai-subfolder.conf",
        &read("docs/nginx/gongkai-subfolder.conf"),
        &[
            (DOC_ROOT, &site.display().to_string()),
            (DOC_SNIPPET, &snippet_path()),
        ],
    );
    // The host's own icon, which the site's pages under /sub/ make browsers ask for.
    format!(
        "server {{\n    listen 127.0.0.1:{port};\n    location = /favicon.ico {{ return 204; }}\n{locations}\n}}\n"
    )
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A plain HTTP/1.1 GET.
fn get(port: u16, path: &str, gzip: bool) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let accept = if gzip {
        "Accept-Encoding: gzip\r\n"
    } else {
        ""
    };
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n{accept}\r\n"
    )
    .expect("request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size");
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .expect("hex chunk size");
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// The path `{prefix}{stem}.<hash>.{ext}` that `text` (a page, a module) links or imports,
/// e.g. `assets/style.3f2a1c9e0b.css`: the theme's files have fingerprinted names.
fn fingerprinted_in(text: &str, prefix: &str, stem: &str, ext: &str) -> String {
    let pattern = format!(
        "{}{}\\.[0-9a-f]{{10}}\\.{ext}",
        regex::escape(prefix),
        regex::escape(stem)
    );
    let found = regex::Regex::new(&pattern)
        .expect("pattern")
        .find(text)
        .unwrap_or_else(|| panic!("no {pattern} in:\n{text}"));
    found.as_str().to_string()
}

/// The headers every response of the site carries (docs/nginx/security-headers.conf).
fn assert_security_headers(what: &str, r: &Response, csp: &str) {
    assert_eq!(r.header("Content-Security-Policy"), Some(csp), "{what}");
    assert_eq!(
        r.header("X-Content-Type-Options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        r.header("Referrer-Policy"),
        Some("strict-origin-when-cross-origin"),
        "{what}"
    );
    assert_eq!(r.header("X-Frame-Options"), Some("SAMEORIGIN"), "{what}");
}

fn check_http(root: u16, sub: u16, unsafe_port: u16, unsafe_site: &Path, csp: &str) {
    let page = |port: u16, path: &str| {
        let r = get(port, path, false);
        assert_eq!(r.status, 200, "{path}");
        assert_security_headers(path, &r, csp);
        r
    };
    // Pages: UTF-8, revalidated every time (never the year-long caching of the
    // fingerprinted theme files).
    for (port, path) in [
        (root, "/"),
        (root, "/index.html"),
        (root, &format!("/{NOTICE}")),
        (root, "/notices/k12498411-2014-00065/"),
        (root, "/search/index.html"),
        (sub, "/sub/"),
        (sub, &format!("/sub/{NOTICE}")),
        (sub, "/sub/notices/k12498411-2014-00065/"),
    ] {
        let r = page(port, path);
        assert_eq!(
            r.header("Content-Type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
        assert_eq!(r.header("Cache-Control"), Some("no-cache"), "{path}");
        assert!(String::from_utf8_lossy(&r.body).contains("<main"), "{path}");
    }
    // A folder without its slash is redirected, relative to the host the reader used.
    let r = get(root, "/notices/k12498411-2014-00065", false);
    assert_eq!(r.status, 301);
    assert_eq!(r.header("Location"), Some("/notices/k12498411-2014-00065/"));
    let r = get(sub, "/sub", false);
    assert_eq!(r.status, 301);
    assert!(r.header("Location").is_some_and(|l| l.ends_with("/sub/")));
    // Theme files, search index, open data: the types nosniff insists on. The theme's
    // files have fingerprinted names (read from the pages, as a browser does) and are
    // cached a year; the search client's public path and the rest are revalidated.
    const YEAR: &str = "public, max-age=31536000, immutable";
    for (port, prefix) in [(root, "/"), (sub, "/sub/")] {
        let home = String::from_utf8_lossy(&page(port, prefix).body).into_owned();
        let search_page =
            String::from_utf8_lossy(&page(port, &format!("{prefix}search/")).body).into_owned();
        let style = fingerprinted_in(&home, "assets/", "style", "css");
        let favicon = fingerprinted_in(&home, "assets/", "favicon", "svg");
        let module = fingerprinted_in(&search_page, "assets/search/", "search-page", "js");
        let module_text =
            String::from_utf8_lossy(&page(port, &format!("{prefix}{module}")).body).into_owned();
        // The module imports the client's fingerprinted twin, beside it.
        let client = format!(
            "assets/search/{}",
            fingerprinted_in(&module_text, "./", "gongkai-search", "js")
        );
        for (path, mime, cache) in [
            (style.as_str(), "text/css; charset=utf-8", YEAR),
            (
                module.as_str(),
                "application/javascript; charset=utf-8",
                YEAR,
            ),
            (
                client.as_str(),
                "application/javascript; charset=utf-8",
                YEAR,
            ),
            (favicon.as_str(), "image/svg+xml; charset=utf-8", YEAR),
            (
                "search/gongkai-search.js",
                "application/javascript; charset=utf-8",
                "no-cache",
            ),
            (
                "search/manifest.json",
                "application/json; charset=utf-8",
                "no-cache",
            ),
            (
                "data/notices.json",
                "application/json; charset=utf-8",
                "no-cache",
            ),
        ] {
            let path = format!("{prefix}{path}");
            let r = page(port, &path);
            assert_eq!(r.header("Content-Type"), Some(mime), "{path}");
            assert_eq!(r.header("Cache-Control"), Some(cache), "{path}");
        }
        // Attachments: downloads only, never a page or script of the site's origin.
        let path = format!("{prefix}attachments/2014/lyg-ip-rules.pdf");
        let r = page(port, &path);
        assert_eq!(
            r.header("Content-Type"),
            Some("application/octet-stream"),
            "{path}"
        );
        assert_eq!(
            r.header("Content-Disposition"),
            Some("attachment"),
            "{path}"
        );
        assert_eq!(r.header("Cache-Control"), Some("max-age=604800"), "{path}");
        // The site's own 404 page, with the headers (`always`).
        let path = format!("{prefix}no-such-page/");
        let r = get(port, &path, false);
        assert_eq!(r.status, 404, "{path}");
        assert_security_headers(&path, &r, csp);
        assert!(
            String::from_utf8_lossy(&r.body).contains("页面未找到"),
            "{path}: the site's 404.html"
        );
    }
    // No icon of its own: "no content" rather than a 404.
    let r = get(root, "/favicon.ico", false);
    assert_eq!(r.status, 204);
    // Compressed on the fly…
    let home = String::from_utf8_lossy(&page(root, "/").body).into_owned();
    let style = format!("/{}", fingerprinted_in(&home, "assets/", "style", "css"));
    for path in ["/", style.as_str(), "/search/manifest.json"] {
        let r = get(root, path, true);
        assert_eq!(r.header("Content-Encoding"), Some("gzip"), "{path}");
        assert_eq!(r.header("Vary"), Some("Accept-Encoding"), "{path}");
        assert_security_headers(path, &r, csp);
    }
    // …and the `.gz` twin of `--precompress` sent as it is (gzip_static): level 9, where
    // nginx's own compression is level 5, so equal bytes show which one nginx sent.
    let unsafe_style = common::theme_asset(unsafe_site, "", "style", "css");
    let twin = fs::read(unsafe_site.join(format!("{unsafe_style}.gz"))).expect("twin");
    let r = get(unsafe_port, &format!("/{unsafe_style}"), true);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Content-Encoding"), Some("gzip"));
    assert_eq!(
        r.header("Content-Length"),
        Some(twin.len().to_string().as_str())
    );
    assert!(
        r.body == twin,
        "gzip_static sends style.css.gz byte for byte"
    );
    assert_security_headers("gzip_static", &r, csp);
    // An attachment that is a script is not a script here.
    let r = page(unsafe_port, "/attachments/probe.js");
    assert_eq!(r.header("Content-Type"), Some("application/octet-stream"));
}

/// Title, issuer and other fields that look like HTML, on a site that escapes them.
const HOSTILE_TITLE: &str =
    "<img src=x onerror=\"window.__pwned=1\">联席会议<b>工作制度</b> & &amp; '引号' \"双引号\"";
const HOSTILE_UNIT: &str = "市\"><svg onload=\"window.__pwned=1\">局<i>";

fn hostile_site() -> TestSite {
    let site = TestSite::new();
    let yaml = |s: &str| format!("'{}'", s.replace('\'', "''"));
    site.write(
        "content/units/evil.yaml",
        &format!(
            "name: {}\nshort_name: {}\nkind: department\nparent: lyg-gov\n",
            yaml(HOSTILE_UNIT),
            yaml(HOSTILE_UNIT)
        ),
    );
    site.notice(
        "2024/evil",
        &format!(
            "index_no: k12498411/2024-00001\ntitle: {}\nissuer: evil\ndoc_no: {}\ndate: 2024-03-01\ngenre: 通知\ntopic: {}\nkeywords: [{}]\nsummary: {}\n",
            yaml(HOSTILE_TITLE),
            yaml("连政发〔2024〕1号<script>window.__pwned=1</script>"),
            yaml("综合政务/<b>其他</b>"),
            yaml("\"><svg onload=window.__pwned=1>"),
            yaml("</title><script>window.__pwned=1</script>联席会议"),
        ),
        concat!(
            "联席会议<script>window.__pwned=1</script>\n\n",
            "<img src=x onerror=\"window.__pwned=1\">\n\n",
            "<a href=\"javascript:window.__pwned=1\">原始链接</a>\n\n",
            "[链接](javascript:window.__pwned=1) [链接](JaVaScRiPt:window.__pwned=1) ",
            // `<java\tscript:…>` and `%20javascript:…` are relative paths to no file, so
            // `check` refuses them (tests/hostile.rs): they cannot reach a page.
            "[链接](javascript&#58;window.__pwned=1) ",
            "![图](data:image/svg+xml,<svg/onload=alert(1)>)\n",
        ),
    );
    site.build("2024-12-31")
        .unwrap_or_else(|e| panic!("the hostile site must build:\n{e}"));
    site
}

/// An `unsafe_html: true` site whose notice breaks the CSP in every way the detector must
/// see; built, then given a same-origin script that writes innerHTML, a script among the
/// attachments and a `.gz` twin.
fn unsafe_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/site.yaml",
        &format!("{SITE_YAML}unsafe_html: true\n"),
    );
    site.notice(
        "2024/unsafe",
        "index_no: k12498411/2024-00002\ntitle: 内联脚本\nissuer: lyg-gov\ndate: 2024-03-01\nsummary: 测试\n",
        concat!(
            "正文。\n\n",
            "<script>window.__inlineScriptRan = true;</script>\n\n",
            "<p id=\"styled\" style=\"color: rgb(255, 0, 0)\">内联样式</p>\n\n",
            "<img alt=\"\" src=\"../../assets/style.css\" onerror=\"window.__inlineHandlerRan = true\">\n\n",
            "<div id=\"probe-target\"></div>\n\n",
            "<p><a id=\"js-link\" href=\"javascript:window.__javascriptUrlRan = true\">链接</a></p>\n\n",
            "<script src=\"../../assets/probe.js\"></script>\n\n",
            "<script src=\"../../attachments/probe.js\"></script>\n",
        ),
    );
    // Built with `--precompress`, so nginx has the `.gz` twins gzip_static sends.
    let mut options = site.options("2024-12-31");
    options.precompress = true;
    gongkai::build(&options).unwrap_or_else(|e| panic!("the unsafe site must build:\n{e}"));
    let out = site.out();
    // gongkai refuses a `.js` attachment (tests/hostile.rs); one put there by hand must
    // still not run, since nginx serves /attachments/ as downloads.
    fs::create_dir_all(out.join("attachments")).expect("attachments folder");
    fs::write(
        out.join("attachments/probe.js"),
        "window.__attachmentRan = true;\n",
    )
    .expect("attachment probe");
    fs::write(
        out.join("assets/probe.js"),
        "try {\n  document.getElementById(\"probe-target\").innerHTML = \"<b>injected</b>\";\n  document.documentElement.dataset.probe = \"allowed\";\n} catch {\n  document.documentElement.dataset.probe = \"refused\";\n}\n",
    )
    .expect("probe");
    site
}

fn json(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn example_site_behind_nginx_has_no_csp_violation_in_chromium() {
    if !tools("the CSP test against nginx", &[("nginx", nginx().exists())]) {
        return;
    }
    let csp = csp();
    let example = common::built_example_site();
    let hostile = hostile_site();
    let unsafe_ = unsafe_site();
    let dir = tempfile::tempdir().expect("temp dir");

    let mut attempt = 0;
    let (nginx, ports) = loop {
        attempt += 1;
        let ports = free_ports(4);
        let servers = [
            root_server(example, ports[0]),
            subfolder_server(example, ports[1]),
            root_server(&hostile.out(), ports[2]),
            root_server(&unsafe_.out(), ports[3]),
        ]
        .join("\n");
        match Nginx::start(dir.path(), &servers, &ports) {
            Ok(nginx) => break (nginx, ports),
            Err(e) if attempt < 3 && e.contains("Address already in use") => continue,
            Err(e) => panic!("{e}"),
        }
    };
    let [root, sub, hostile_port, unsafe_port] = [ports[0], ports[1], ports[2], ports[3]];

    check_http(root, sub, unsafe_port, &unsafe_.out(), &csp);

    if !tools(
        "the Chromium part of the CSP test (the HTTP checks passed)",
        &[("chromium", chromium().exists()), ("node", node_works())],
    ) {
        return;
    }
    let origin = |port: u16| format!("http://127.0.0.1:{port}/");
    let query: String = QUERY
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect::<String>();
    let pages: Vec<String> = common::all_files(example)
        .into_iter()
        .filter(|f| f.extension().and_then(|e| e.to_str()) == Some("html"))
        .map(|f| json(&format!("{}{}", origin(root), f.display())))
        .collect();
    let plan = format!(
        "{{\n\"chromium\": {},\n\"csp\": {},\n\"pages\": [{}],\n\"searches\": [\n  {{\"notice\": {}, \"search\": {}, \"first\": {}}},\n  {{\"notice\": {}, \"search\": {}, \"first\": {}}}\n],\n\"notFound\": {},\n\"hostile\": {{\"search\": {}, \"page\": {}, \"title\": {}, \"issuer\": {}}},\n\"unsafe\": {{\"url\": {}, \"expect\": [\"script-src-elem\", \"script-src-attr\", \"style-src-attr\", \"require-trusted-types-for\"]}}\n}}\n",
        json(&chromium().display().to_string()),
        json(&csp),
        pages.join(",\n  "),
        json(&format!("{}{NOTICE}", origin(root))),
        json(&format!("{}search/index.html?q={query}", origin(root))),
        json(FIRST_RESULT),
        json(&format!("{}sub/{NOTICE}", origin(sub))),
        json(&format!("{}sub/search/index.html?q={query}", origin(sub))),
        json(FIRST_RESULT),
        json(&format!("{}no-such-page/", origin(root))),
        json(&format!(
            "{}search/index.html?q={query}",
            origin(hostile_port)
        )),
        json(&format!(
            "{}notices/k12498411-2024-00001/index.html",
            origin(hostile_port)
        )),
        json(HOSTILE_TITLE),
        json(HOSTILE_UNIT),
        json(&format!(
            "{}notices/k12498411-2024-00002/index.html",
            origin(unsafe_port)
        )),
    );
    let plan_file = dir.path().join("plan.json");
    fs::write(&plan_file, plan).expect("plan");

    let output = Command::new("node")
        .args([
            "--experimental-websocket",
            "--test",
            "tests/js/csp.test.mjs",
        ])
        .env("GONGKAI_CSP_PLAN", &plan_file)
        .current_dir(repo())
        .output()
        .expect("node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let logs = nginx.logs();
    drop(nginx);
    assert!(
        output.status.success(),
        "node tests/js/csp.test.mjs failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- nginx\n{logs}"
    );
    assert!(stdout.contains("# pass"), "no test ran:\n{stdout}");
    assert!(stdout.contains("# fail 0"), "{stdout}");
}
