//! The preview server: the output folder as a static site, plus four endpoints of its own
//! under `/__gongkai/` (a prefix no built site uses):
//!
//! - `live.js`, `live.css`: the reload and error-overlay script and its stylesheet;
//! - `events`: server-sent events, the current state on connecting, then one message
//!   after each rebuild (see `Live`);
//! - `state`: the current state as JSON.
//!
//! Every HTML response gets `<script type="module" src="/__gongkai/live.js?…">` before
//! `</head>`; the files on disk never hold it. Responses carry the security headers of
//! `docs/nginx/security-headers.conf` (the Content-Security-Policy included), so a page
//! previewed here runs under the policy it will be served with, and so does live.js.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server};

use super::Live;

/// The reload and overlay script (an ES module; no HTML sink, see docs/security.md).
const LIVE_JS: &str = include_str!("live.js");
/// The overlay's stylesheet (the policy refuses inline styles).
const LIVE_CSS: &str = include_str!("live.css");
/// Where the server's own files live.
const PREFIX: &str = "/__gongkai/";
/// How often an idle event stream gets a comment, so a closed one is noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The headers production sends (`add_header NAME "VALUE" always;` lines), read from the
/// nginx snippet, the one place the policy is written.
static SECURITY_HEADERS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    include_str!("../../docs/nginx/security-headers.conf")
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("add_header ")?;
            let (name, rest) = rest.split_once(' ')?;
            let value = rest.trim().strip_prefix('"')?.split_once('"')?.0;
            Some((name.to_string(), value.to_string()))
        })
        .collect()
});

/// Answers requests until the server is unblocked, each on a thread of its own (an event
/// stream holds its thread for as long as the page is open).
pub(super) fn serve(server: &Server, out: &Path, live: &std::sync::Arc<Live>) {
    for request in server.incoming_requests() {
        let out = out.to_path_buf();
        let live = std::sync::Arc::clone(live);
        std::thread::spawn(move || handle(request, &out, &live));
    }
}

fn handle(request: Request, out: &Path, live: &Live) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text(405, "method not allowed"));
        return;
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let response = match path.strip_prefix(PREFIX) {
        Some("events") => return events(request, live),
        Some("live.js") => bytes(200, LIVE_JS.into(), "text/javascript; charset=utf-8"),
        Some("live.css") => bytes(200, LIVE_CSS.into(), "text/css; charset=utf-8"),
        Some("state") => bytes(200, live.state().into_bytes(), "application/json"),
        Some(_) => text(404, "not found"),
        None => file(out, path, query, live),
    };
    // The reader may have gone away; nothing to do about it.
    let _ = request.respond(response);
}

/// A file of the site, a redirect to a folder's `/`, or the site's 404 page. When
/// `base_url` names a subfolder, the site answers under it as well as at the root: the
/// 404 page links from the subfolder (`/zscq/assets/…`), as it will once published.
fn file(out: &Path, path: &str, query: &str, live: &Live) -> Response<std::io::Cursor<Vec<u8>>> {
    let base = live.base_path();
    let inside = base
        .as_deref()
        .and_then(|base| path.strip_prefix(base.trim_end_matches('/')))
        .filter(|rest| rest.is_empty() || rest.starts_with('/'));
    let site_path = match inside {
        Some("") => "/",
        Some(rest) => rest,
        None => path,
    };
    let Some(segments) = segments(site_path) else {
        return not_found(out, "", live);
    };
    let relative = segments.join("/");
    let target: PathBuf = segments.iter().fold(out.to_path_buf(), |p, s| p.join(s));
    if target.is_dir() {
        if !path.ends_with('/') {
            let location = if query.is_empty() {
                format!("{path}/")
            } else {
                format!("{path}/?{query}")
            };
            let mut response = text(301, "moved");
            add_header(&mut response, "Location", &location);
            return response;
        }
        let page = if relative.is_empty() {
            "index.html".to_string()
        } else {
            format!("{relative}/index.html")
        };
        return match std::fs::read(target.join("index.html")) {
            Ok(body) => html(200, &body, &page, live),
            Err(_) => not_found(out, &page, live),
        };
    }
    match std::fs::read(&target) {
        Ok(body) if relative.ends_with(".html") => html(200, &body, &relative, live),
        Ok(body) => bytes(200, body, content_type(&relative)),
        // Browsers ask for it on their own: no 404 in the console when the site has none
        // (as docs/nginx/gongkai.conf does).
        Err(_) if relative == "favicon.ico" => bytes(204, Vec::new(), "image/x-icon"),
        // A folder URL names its index.html, which a rebuild may write.
        Err(_) if path.ends_with('/') => not_found(out, &format!("{relative}/index.html"), live),
        Err(_) => not_found(out, &relative, live),
    }
}

/// Status 404 with the site's `404.html` (or a short page while there is none: the first
/// build failed), with the script, which reloads it once `page` is written.
fn not_found(out: &Path, page: &str, live: &Live) -> Response<std::io::Cursor<Vec<u8>>> {
    let body = std::fs::read(out.join("404.html")).unwrap_or_else(|_| {
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>页面不存在</title></head><body><h1>页面不存在</h1><p>站点尚未成功生成，或此地址没有页面。</p></body></html>"
            .as_bytes()
            .to_vec()
    });
    html(404, &body, page, live)
}

/// The URL path's segments, percent-decoded; `None` for what can name no file of the
/// site: `..`, hidden names (`.gongkai-tmp` files being renamed into place), a
/// backslash or NUL, invalid UTF-8.
fn segments(path: &str) -> Option<Vec<String>> {
    let decoded = String::from_utf8(percent_decode(path.as_bytes())).ok()?;
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        if segment.is_empty() {
            continue;
        }
        if segment.starts_with('.') || segment.contains(['\\', '\0']) {
            return None;
        }
        segments.push(segment.to_string());
    }
    Some(segments)
}

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// `page` percent-encoded for a query string.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// An HTML response with the reload script injected: before `</head>`, else at the end.
/// `page` is the output path the URL names (`notices/x/index.html`), which the script
/// compares with the paths a rebuild wrote.
fn html(status: u16, body: &[u8], page: &str, live: &Live) -> Response<std::io::Cursor<Vec<u8>>> {
    bytes(status, inject(body, page, live), "text/html; charset=utf-8")
}

fn inject(body: &[u8], page: &str, live: &Live) -> Vec<u8> {
    let (session, version) = live.tag();
    let tag = format!(
        "<script type=\"module\" src=\"{PREFIX}live.js?page={}&amp;s={}&amp;v={version}\"></script>",
        percent_encode(page),
        percent_encode(&session)
    );
    let at = find_ascii_ci(body, b"</head>").unwrap_or(body.len());
    let mut out = Vec::with_capacity(body.len() + tag.len());
    out.extend_from_slice(&body[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&body[at..]);
    out
}

fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// The event stream: written straight to the connection (tiny_http would buffer a
/// streamed body in chunks), one `data:` line per message, until the page goes away.
fn events(request: Request, live: &Live) {
    let messages = live.subscribe();
    let mut writer = request.into_writer();
    let mut head = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n",
    );
    for (name, value) in SECURITY_HEADERS.iter() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    // Reconnect quickly after a restart of serve.
    head.push_str("\r\nretry: 1000\n\n");
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let chunk = match messages.recv_timeout(KEEPALIVE) {
            // Messages are one line of JSON.
            Ok(message) => format!("data: {message}\n\n"),
            Err(RecvTimeoutError::Timeout) => ": keepalive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if writer
            .write_all(chunk.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    bytes(
        status,
        body.as_bytes().to_vec(),
        "text/plain; charset=utf-8",
    )
}

fn bytes(status: u16, body: Vec<u8>, content_type: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut response = Response::from_data(body).with_status_code(status);
    add_header(&mut response, "Content-Type", content_type);
    // A preview always shows what is on disk now.
    add_header(&mut response, "Cache-Control", "no-store");
    for (name, value) in SECURITY_HEADERS.iter() {
        add_header(&mut response, name, value);
    }
    response
}

/// Adds a header; tiny_http refuses only non-ASCII names and values, which ours are not
/// (a `Location` is the request's raw path, still percent-encoded).
fn add_header<R: std::io::Read>(response: &mut Response<R>, name: &str, value: &str) {
    if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        response.add_header(header);
    }
}

/// The MIME type of a file of the site, by extension.
fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_production_headers_are_read_from_the_nginx_snippet() {
        let names: Vec<&str> = SECURITY_HEADERS.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"Content-Security-Policy"), "{names:?}");
        assert!(names.contains(&"X-Content-Type-Options"), "{names:?}");
        let csp = &SECURITY_HEADERS[0].1;
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(csp.contains("require-trusted-types-for 'script'"), "{csp}");
    }

    #[test]
    fn paths_that_name_no_site_file_are_refused() {
        assert_eq!(segments("/"), Some(vec![]));
        assert_eq!(
            segments("/notices/%E9%80%9A%E7%9F%A5/"),
            Some(vec!["notices".into(), "通知".into()])
        );
        assert_eq!(segments("/../etc/passwd"), None);
        assert_eq!(segments("/%2e%2e/etc/passwd"), None);
        assert_eq!(segments("/a/.index.html.gongkai-tmp-1"), None);
        assert_eq!(segments("/a%5c..%5cb"), None);
        assert_eq!(segments("/%ff"), None);
    }

    #[test]
    fn the_script_goes_before_the_end_of_head() {
        let live = Live::new();
        let page = inject(
            b"<html><head><title>t</title></HEAD><body>",
            "通知/index.html",
            &live,
        );
        let page = String::from_utf8(page).expect("UTF-8");
        assert!(
            page.starts_with("<html><head><title>t</title><script type=\"module\" src=\"/__gongkai/live.js?page=%E9%80%9A%E7%9F%A5/index.html&amp;s="),
            "{page}"
        );
        assert!(
            page.ends_with("&amp;v=0\"></script></HEAD><body>"),
            "{page}"
        );
        let bare = String::from_utf8(inject(b"<p>x", "a.html", &live)).expect("UTF-8");
        assert!(bare.starts_with("<p>x<script"), "{bare}");
    }
}
