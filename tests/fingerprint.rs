//! Fingerprinted theme files: every stylesheet, script and the favicon a page links is
//! named `stem.<hash>.ext` by the hash of its bytes (so servers may cache them for a
//! year), modules import each other by those names, and the search client stays at its
//! public path too.

mod common;

use std::fs;
use std::path::{Component, Path, PathBuf};

use common::{TestSite, read_page};
use scraper::{Html, Selector};

/// FNV-1a, 64 bits, top 40 as 10 hex digits: the scheme docs/architecture.md describes,
/// written again here so that the test does not take the name from the code it checks.
fn fnv_name_hash(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x100000001b3);
    }
    format!("{:010x}", hash >> 24)
}

/// `dir/relative` with `..` and `.` folded, as a browser resolves a relative URL.
fn resolve(dir: &Path, relative: &str) -> PathBuf {
    let mut path = dir.to_path_buf();
    for part in Path::new(relative).components() {
        match part {
            Component::ParentDir => {
                path.pop();
            }
            Component::CurDir => {}
            other => path.push(other),
        }
    }
    path
}

/// The stylesheets, icons and scripts `page` makes the browser fetch.
fn linked(page: &Html) -> Vec<String> {
    let links = Selector::parse("link[rel=stylesheet], link[rel=icon], script[src]").expect("sel");
    page.select(&links)
        .filter_map(|e| e.value().attr("href").or(e.value().attr("src")))
        .map(str::to_string)
        .collect()
}

/// Asserts `file` exists and is named `stem.<hash of its bytes>.ext`; returns its bytes.
fn assert_fingerprinted(file: &Path) -> Vec<u8> {
    let bytes = fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let name = file
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let parts: Vec<&str> = name.split('.').collect();
    assert_eq!(parts.len(), 3, "{name} is stem.hash.ext");
    assert_eq!(
        parts[1],
        fnv_name_hash(&bytes),
        "{name}: the hash of its bytes"
    );
    bytes
}

/// The relative module specifiers a script imports (`from "./x.js"`).
fn imports(script: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"\b(?:from|import)\s*\(?\s*["'](\.\.?/[^"']+)["']"#).expect("re");
    re.captures_iter(script).map(|c| c[1].to_string()).collect()
}

#[test]
fn every_linked_theme_file_is_named_by_the_hash_of_its_bytes() {
    let out = common::built_example_site();
    let mut seen = std::collections::BTreeSet::new();
    for page_path in [
        "",
        "search/",
        "notices/",
        "notices/k12498411-2014-00065/",
        "404.html",
    ] {
        let page = read_page(out, page_path);
        let file = if page_path.ends_with(".html") {
            out.join(page_path)
        } else {
            out.join(page_path).join("index.html")
        };
        let dir = file.parent().expect("dir").to_path_buf();
        let links = linked(&page);
        assert!(
            links.iter().any(|l| l.contains("assets/style.")),
            "{page_path}: links the stylesheet: {links:?}"
        );
        for href in links {
            // 404.html links from the site root (`/assets/…`): it is served at any depth.
            let target = match href.strip_prefix('/') {
                Some(from_root) => resolve(out, from_root),
                None => resolve(&dir, &href),
            };
            assert!(
                target.starts_with(out.join("assets")),
                "{page_path}: {href} is a theme file under assets/"
            );
            let bytes = assert_fingerprinted(&target);
            // Modules import each other by fingerprinted names too.
            if href.ends_with(".js") {
                let text = String::from_utf8(bytes).expect("utf-8");
                for specifier in imports(&text) {
                    let imported = resolve(target.parent().expect("dir"), &specifier);
                    assert_fingerprinted(&imported);
                    seen.insert(imported);
                }
            }
            seen.insert(target);
        }
    }
    let names: Vec<String> = seen
        .iter()
        .map(|p| {
            p.strip_prefix(out)
                .expect("under out")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .map(|p| {
            let mut parts: Vec<&str> = p.split('.').collect();
            parts.remove(1);
            parts.join(".")
        })
        .collect();
    assert_eq!(
        names,
        [
            "assets/elder.js",
            "assets/favicon.svg",
            "assets/search/from-disk.js",
            "assets/search/gongkai-search.js",
            "assets/search/search-page.js",
            "assets/style.css",
        ],
        "every theme file is linked or imported (the example site has no highlighted code)"
    );
    // No theme file under its plain name any more …
    for plain in [
        "assets/style.css",
        "assets/elder.js",
        "assets/search/search-page.js",
    ] {
        assert!(!out.join(plain).exists(), "{plain} is not written");
    }
    // … except the search client at its documented public path, byte for byte the source,
    // and its fingerprinted twin holds the same bytes.
    let source = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/static/search/gongkai-search.js"),
    )
    .expect("client source");
    assert_eq!(
        fs::read(out.join("search/gongkai-search.js")).expect("public client"),
        source
    );
    let twin = common::theme_asset(out, "search", "gongkai-search", "js");
    assert_eq!(fs::read(out.join(twin)).expect("twin"), source);
}

#[test]
fn the_same_content_gives_the_same_names_and_other_bytes_another() {
    use gongkai::render::theme;
    // The name depends on the bytes only: the hash of docs/architecture.md.
    let css = b"body { color: #333 }\n";
    assert_eq!(
        theme::fingerprinted("assets/style.css", css),
        format!("assets/style.{}.css", fnv_name_hash(css))
    );
    // A changed stylesheet is another file: a year-long cache never serves the old one.
    let changed = b"body { color: #222 }\n";
    assert_ne!(
        theme::fingerprinted("assets/style.css", css),
        theme::fingerprinted("assets/style.css", changed)
    );
    // The theme's own files: each named by its bytes as written.
    for asset in theme::assets() {
        if asset.path == theme::CLIENT {
            continue;
        }
        assert_eq!(
            asset.path,
            theme::fingerprinted(
                &asset
                    .path
                    .replace(&format!(".{}", fnv_name_hash(&asset.bytes)), ""),
                &asset.bytes
            ),
            "{}",
            asset.name
        );
    }
    // Two builds of the same content write the same names and bytes.
    let site = TestSite::new();
    site.notice(
        "2014/a",
        "index_no: k12498411/2014-00065\ntitle: 通知\nissuer: lyg-gov\ndate: 2014-05-07\nsummary: 概述\n",
        "正文。\n",
    );
    let assets_of = |out: &Path| -> Vec<(String, Vec<u8>)> {
        common::all_files(&out.join("assets"))
            .into_iter()
            .map(|p| {
                (
                    p.to_string_lossy().into_owned(),
                    fs::read(out.join("assets").join(&p)).expect("read"),
                )
            })
            .collect()
    };
    site.build("2024-12-31").expect("builds");
    let first = assets_of(&site.out());
    site.build("2024-12-31").expect("builds again");
    assert_eq!(assets_of(&site.out()), first);
    assert_eq!(
        assets_of(common::built_example_site())
            .into_iter()
            .map(|(p, _)| p)
            .collect::<Vec<_>>(),
        first.into_iter().map(|(p, _)| p).collect::<Vec<_>>(),
        "another site, the same theme files"
    );
}

#[test]
fn pages_with_code_link_the_fingerprinted_highlight_stylesheet() {
    let site = TestSite::new();
    let front = |n: u32| {
        format!(
            "index_no: k12498411/2014-{n:05}\ntitle: 通知{n}\nissuer: lyg-gov\ndate: 2014-05-07\nsummary: 概述\n"
        )
    };
    site.notice("2014/plain", &front(1), "正文。\n");
    site.build("2024-12-31").expect("builds");
    let highlight_files = |out: &Path| -> Vec<PathBuf> {
        common::all_files(&out.join("assets"))
            .into_iter()
            .filter(|p| p.to_string_lossy().starts_with("highlight."))
            .collect()
    };
    assert!(
        highlight_files(&site.out()).is_empty(),
        "no code, no highlight stylesheet"
    );

    site.notice("2014/code", &front(2), "```yaml\nkey: 1\n```\n");
    site.build("2024-12-31").expect("builds");
    let page = site.page("notices/k12498411-2014-00002/");
    let href = common::stylesheet_href(&page, "highlight").expect("links highlight.<hash>.css");
    let file = resolve(&site.out().join("notices/k12498411-2014-00002"), &href);
    let bytes = assert_fingerprinted(&file);
    assert!(String::from_utf8_lossy(&bytes).contains(".hl-"));
    assert_eq!(highlight_files(&site.out()).len(), 1);
    // A page without code does not link it.
    let plain = site.page("notices/k12498411-2014-00001/");
    assert_eq!(common::stylesheet_href(&plain, "highlight"), None);
    assert!(common::stylesheet_href(&plain, "style").is_some());
}

#[test]
fn an_override_linking_a_plain_theme_name_is_refused_with_the_fix() {
    let site = TestSite::new();
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<link rel=\"stylesheet\" href=\"{{ root }}assets/style.css\">{% endblock content %}",
    );
    let errors = common::rendered(&site.errors());
    assert!(errors.contains("assets/style.css"), "{errors}");
    assert!(
        errors.contains("asset(path=\"assets/style.css\")"),
        "{errors}"
    );
    // Written through asset(), it builds, and the public client path is fine as it is.
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<link rel=\"stylesheet\" href=\"{{ root }}{{ asset(path=\"assets/style.css\") }}\"><script type=\"module\">import \"{{ root }}search/gongkai-search.js\";</script>{% endblock content %}",
    );
    site.build("2024-12-31").expect("builds");
    // An unknown name is a template error naming it.
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{{ asset(path=\"assets/nope.css\") }}{% endblock content %}",
    );
    let errors = common::rendered(&site.errors());
    assert!(errors.contains("assets/nope.css"), "{errors}");
}
