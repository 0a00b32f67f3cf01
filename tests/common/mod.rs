//! A throw-away site root for end-to-end tests, and ways to read what was built the way
//! a reader's browser would.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use gongkai::{BuildOptions, Diagnostics, Report};
use scraper::{Html, Selector};

/// The example site in `content/`, built once per test binary into a temporary folder;
/// returns its output folder.
pub fn built_example_site() -> &'static Path {
    static OUT: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, out) = OUT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        let options = BuildOptions {
            root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            out: Some(out.clone()),
            as_of: None,
            drafts: false,
            force: false,
            precompress: false,
            cache: false,
        };
        if let Err(errors) = gongkai::build(&options) {
            panic!("the example site must build:\n{errors}");
        }
        (dir, out)
    });
    out
}

/// A site root in a temporary folder, deleted when dropped.
pub struct TestSite {
    dir: tempfile::TempDir,
}

pub const SITE_YAML: &str = "title: 测试站点\nbase_url: https://ip.example.gov.cn/\nowner: 测试办公室\nsite_code: \"3207000001\"\nicp: 苏ICP备00000000号\nindex_no_pattern: '^[0-9A-Za-z]+/\\d{4}-\\d{5}$'\n";

impl TestSite {
    /// An empty site with a valid site.yaml and two units (`lyg-gov`, `lyg-kjj`).
    pub fn new() -> Self {
        let site = Self {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write("content/site.yaml", SITE_YAML);
        site.write(
            "content/units/lyg-gov.yaml",
            "name: 连云港市人民政府\nshort_name: 市政府\nkind: government\n",
        );
        site.write(
            "content/units/lyg-kjj.yaml",
            "name: 连云港市科学技术局\nshort_name: 市科技局\naliases: [市知识产权局]\nkind: department\nparent: lyg-gov\n",
        );
        site
    }

    /// Writes a file under the site root, creating folders.
    pub fn write(&self, relative: &str, text: &str) -> &Self {
        let path = self.dir.path().join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
        self
    }

    /// Makes this an English site (`language: en`), whose diagnostics and summaries are
    /// printed in English; the default, like gongkai's, is Chinese.
    pub fn english(&self) -> &Self {
        self.write("content/site.yaml", &format!("{SITE_YAML}language: en\n"))
    }

    /// Writes a notice with the given front matter lines and body.
    pub fn notice(&self, name: &str, front: &str, body: &str) -> &Self {
        self.write(
            &format!("content/notices/{name}.md"),
            &format!("---\n{front}---\n{body}"),
        )
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    pub fn options(&self, as_of: &str) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            out: None,
            as_of: Some(as_of.parse().expect("date")),
            drafts: false,
            force: false,
            precompress: false,
            cache: false,
        }
    }

    pub fn build(&self, as_of: &str) -> Result<Report, Diagnostics> {
        gongkai::build(&self.options(as_of))
    }

    /// Builds and expects failure, returning the diagnostics.
    pub fn errors(&self) -> Diagnostics {
        match self.build("2024-12-31") {
            Ok(_) => panic!("the build should have failed"),
            Err(d) => d,
        }
    }

    /// Runs the real `gongkai check --root <this site>`: its exit code and what it printed
    /// on stderr, as a publisher's terminal shows it.
    pub fn check_command(&self) -> (Option<i32>, String) {
        let output = self.run(&["check"], &[]);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code(), stderr)
    }

    /// Runs the real `gongkai <command> --root <this site> <args>` with `env` set (and
    /// `NO_COLOR`, `CLICOLOR_FORCE` and `CI` cleared unless `env` sets them), output piped.
    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
        let (command, rest) = args.split_first().expect("a command");
        let mut run = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"));
        run.arg(command).arg("--root").arg(self.root()).args(rest);
        for name in ["NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "CI"] {
            run.env_remove(name);
        }
        run.envs(env.iter().copied());
        run.output().expect("run gongkai")
    }

    /// `gongkai check --format json <args>`: the exit code and the parsed document.
    pub fn check_json(&self, args: &[&str]) -> (Option<i32>, serde_json::Value) {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let output = self.run(&all, &[]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{stdout}\nstderr:\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (output.status.code(), json)
    }

    /// A built page, parsed.
    pub fn page(&self, url_path: &str) -> Html {
        read_page(&self.out(), url_path)
    }
}

/// Parses `out/url_path/index.html` (or `out/url_path` if it names a file).
pub fn read_page(out: &Path, url_path: &str) -> Html {
    let mut path = out.join(url_path.trim_start_matches('/'));
    if path.is_dir() || url_path.ends_with('/') || url_path.is_empty() {
        path = path.join("index.html");
    }
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

/// The visible text of every element matching `selector`, whitespace collapsed.
pub fn texts(page: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).expect("selector");
    page.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The value a reader sees next to a label of the metadata block (`索引号` → value).
pub fn meta_value(page: &Html, label: &str) -> Option<String> {
    let row = Selector::parse(".meta > div").expect("selector");
    let dt = Selector::parse("dt").expect("selector");
    let dd = Selector::parse("dd").expect("selector");
    page.select(&row).find_map(|div| {
        let key: String = div.select(&dt).next()?.text().collect();
        (key.trim() == label).then(|| {
            let value: String = div
                .select(&dd)
                .next()
                .map(|d| d.text().collect())
                .unwrap_or_default();
            value.split_whitespace().collect::<Vec<_>>().join(" ")
        })
    })
}

/// The labels of the metadata block, in order.
pub fn meta_labels(page: &Html) -> Vec<String> {
    texts(page, ".meta > div > dt")
}

/// Every diagnostic rendered as text, one string.
pub fn rendered(diagnostics: &Diagnostics) -> String {
    diagnostics.to_string()
}

/// Finds the diagnostic whose message contains `needle`.
pub fn find<'a>(diagnostics: &'a Diagnostics, needle: &str) -> &'a gongkai::Diagnostic {
    diagnostics
        .iter()
        .find(|d| d.message.en().contains(needle))
        .unwrap_or_else(|| panic!("no diagnostic containing {needle:?} in:\n{diagnostics}"))
}

/// Every file under `dir`, relative, sorted.
pub fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).expect("prefix").to_path_buf())
        .collect();
    files.sort();
    files
}

/// Every internal link (`href`, `src`) of every HTML file under `out` that does not
/// resolve to a file inside `out`, as "page -> link". Same-page `#fragment` links must
/// name an existing id.
pub fn broken_links(out: &Path) -> Vec<String> {
    let selector = Selector::parse("a[href], link[href], script[src], img[src]").expect("selector");
    let mut broken = Vec::new();
    for file in all_files(out) {
        if file.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let text = fs::read_to_string(out.join(&file)).expect("read page");
        let page = Html::parse_document(&text);
        for element in page.select(&selector) {
            let attr = element
                .value()
                .attr("href")
                .or(element.value().attr("src"))
                .unwrap_or("");
            if attr.contains("://") || attr.starts_with("mailto:") || attr.starts_with("tel:") {
                continue;
            }
            if let Some(fragment) = attr.strip_prefix('#') {
                let id_sel = Selector::parse(&format!("[id=\"{fragment}\"]")).expect("id selector");
                if page.select(&id_sel).next().is_none() {
                    broken.push(format!("{} -> {attr}", file.display()));
                }
                continue;
            }
            // Only 404.html may link from the server root (it is shown at any depth);
            // the fixtures' base_url is the domain root.
            if attr.starts_with('/') && file != Path::new("404.html") {
                broken.push(format!("{} -> {attr} (absolute link)", file.display()));
                continue;
            }
            let target = percent_decoded(attr.split(['#', '?']).next().unwrap_or(""));
            let target = target.as_str();
            let mut path = if attr.starts_with('/') {
                PathBuf::new()
            } else {
                file.parent().map(Path::to_path_buf).unwrap_or_default()
            };
            let mut escaped = false;
            for part in target.split('/') {
                match part {
                    "" | "." => {}
                    ".." => escaped |= !path.pop(),
                    other => path.push(other),
                }
            }
            if target.ends_with('/') || target.is_empty() {
                path.push("index.html");
            }
            if escaped || !out.join(&path).is_file() {
                broken.push(format!("{} -> {attr}", file.display()));
            }
        }
    }
    broken
}

/// `%E8%A1%A8` → `表`: hrefs are percent-encoded, file names are not.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
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
    String::from_utf8_lossy(&out).into_owned()
}

/// The `href` of the page's first stylesheet link ending in `.css` whose file name starts
/// with `stem` (`style` → `../assets/style.3f2a1c9e0b.css`): the theme's files have
/// fingerprinted names, so tests read them from the page.
pub fn stylesheet_href(page: &Html, stem: &str) -> Option<String> {
    let links = Selector::parse("link[rel=stylesheet]").expect("selector");
    page.select(&links)
        .filter_map(|l| l.value().attr("href"))
        .find(|href| {
            let name = href.rsplit('/').next().unwrap_or(href);
            name.starts_with(&format!("{stem}.")) && name.ends_with(".css")
        })
        .map(str::to_string)
}

/// The output path (from the site root) of the theme's `stem.<hash>.ext` file under
/// `assets/` (`style`, `css` → `assets/style.3f2a1c9e0b.css`), found on disk.
pub fn theme_asset(out: &Path, folder: &str, stem: &str, ext: &str) -> String {
    let dir = out.join("assets").join(folder);
    let found: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            name.strip_prefix(&format!("{stem}."))
                .and_then(|rest| rest.strip_suffix(&format!(".{ext}")))
                .is_some_and(|hash| hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {stem}.<hash>.{ext} in {}: {found:?}",
        dir.display()
    );
    let folder = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    format!("assets/{folder}{}", found[0])
}
