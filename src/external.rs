//! `gongkai check --external`: asks the server of every external link whether the page is
//! there. Opt-in, because it needs the network and takes seconds; it only ever reports
//! (warnings), so an offline machine or a slow ministry server never fails a check.

use std::collections::BTreeMap;
use std::time::Duration;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostics, Severity};
use crate::links::WrittenLink;
use crate::text;

/// Requests at once: links point at many servers, each answering in its own time.
const PARALLEL: usize = 8;
/// How long one server may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// What became of one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Fine,
    Status(u16),
    Unreachable(String),
}

/// Checks every distinct `http(s)` URL among `links`; returns a warning at each place a
/// broken or unreachable one is written.
pub fn check(links: &[WrittenLink]) -> Diagnostics {
    let mut by_url: BTreeMap<&str, Vec<&WrittenLink>> = BTreeMap::new();
    for link in links {
        by_url.entry(link.dest.trim()).or_default().push(link);
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .user_agent(concat!(
            "gongkai/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let urls: Vec<&str> = by_url.keys().copied().collect();
    let outcomes: Vec<Outcome> = match rayon::ThreadPoolBuilder::new()
        .num_threads(PARALLEL)
        .build()
    {
        Ok(pool) => pool.install(|| urls.par_iter().map(|url| ask(&agent, url)).collect()),
        Err(_) => urls.iter().map(|url| ask(&agent, url)).collect(),
    };
    let mut warnings = Diagnostics::new();
    for (url, outcome) in urls.iter().zip(outcomes) {
        let message = match outcome {
            Outcome::Fine => continue,
            Outcome::Status(code) => text!(
                "external link `{url}` answers HTTP {code}",
                "外部链接 `{url}` 返回 HTTP {code}"
            ),
            Outcome::Unreachable(why) => text!(
                "external link `{url}` could not be checked: {why}",
                "外部链接 `{url}` 无法检查：{why}"
            ),
        };
        for link in &by_url[url] {
            warnings.push(link.diagnostic(Severity::Warning, Code::ExternalLink, message.clone()));
        }
    }
    warnings
}

/// HEAD, then GET for servers that refuse HEAD.
fn ask(agent: &ureq::Agent, url: &str) -> Outcome {
    let status = |response: Result<ureq::http::Response<ureq::Body>, ureq::Error>| {
        response.map(|r| r.status().as_u16())
    };
    let answer = match status(agent.head(url).call()) {
        Ok(405 | 501) => status(agent.get(url).call()),
        other => other,
    };
    match answer {
        Ok(code) if code < 400 => Outcome::Fine,
        Ok(code) => Outcome::Status(code),
        Err(e) => Outcome::Unreachable(e.to_string()),
    }
}

/// Whether a link is one `--external` checks.
pub fn is_external(dest: &str) -> bool {
    let lower = dest.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    fn link(dest: String) -> WrittenLink {
        WrittenLink {
            dest,
            from: "content/notices/a.md".into(),
            position: crate::source::Position { line: 9, column: 1 },
            line_text: String::new(),
        }
    }

    /// A one-thread server answering `/ok` with 200 and anything else with 404.
    fn server() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten().take(4) {
                let mut stream = stream;
                let mut buffer = [0u8; 2048];
                let n = stream.read(&mut buffer).unwrap_or(0);
                let request = String::from_utf8_lossy(&buffer[..n]);
                let status = if request.contains(" /ok ") {
                    "200 OK"
                } else {
                    "404 Not Found"
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        format!("http://{address}")
    }

    #[test]
    fn broken_and_unreachable_links_are_warnings_at_their_line() {
        let base = server();
        let warnings = check(&[
            link(format!("{base}/ok")),
            link(format!("{base}/gone")),
            link("http://127.0.0.1:9/".into()),
        ]);
        let messages: Vec<String> = warnings.iter().map(|d| d.message.en().to_owned()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages
                .iter()
                .any(|m| m.contains("/gone") && m.contains("HTTP 404")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("127.0.0.1:9") && m.contains("could not be checked"))
        );
        assert!(
            warnings
                .iter()
                .all(|d| !d.is_error() && d.position.line == 9)
        );
        assert!(is_external("HTTPS://www.gov.cn/") && !is_external("notice:x"));
    }
}
