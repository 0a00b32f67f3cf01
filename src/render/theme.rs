//! The theme: tera templates embedded in the binary, each overridable by a site file at
//! `themes/default/templates/<name>.html` under the site root.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The default templates, compiled into the binary so `gongkai` is one file to install.
const TEMPLATES: &[(&str, &str)] = embedded![
    "base.html",
    "notice_items.html",
    "pagination.html",
    "index.html",
    "notice.html",
    "notice_list.html",
    "unit.html",
    "unit_list.html",
    "body.html",
    "body_list.html",
    "plan.html",
    "plan_list.html",
    "plan_unit.html",
    "leaf_items.html",
    "status.html",
    "status_bar.html",
    "page.html",
    "news.html",
    "news_list.html",
    "404.html",
    "search.html",
    "sitemap.html",
    "data.html",
    "disclosure.html",
    "catalog.html",
    "catalog_list.html",
    "interpretations.html",
    "reports.html",
    "report.html",
    "report_table.html",
];

/// Static files of the default theme, by the path they had before fingerprinting (the
/// name templates give [`asset`]): the stylesheet and scripts under `assets/`, and the
/// search client, `search/gongkai-search.js`. A file that imports another comes after it
/// (its import is rewritten to the other's fingerprinted name, [`assets`]).
const FILES: &[(&str, &[u8])] = &[
    (
        "assets/style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "assets/elder.js",
        include_bytes!("../../themes/default/static/elder.js"),
    ),
    (
        "assets/favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        CLIENT,
        include_bytes!("../../themes/default/static/search/gongkai-search.js"),
    ),
    (
        "assets/search/search-page.js",
        include_bytes!("../../themes/default/static/search/search-page.js"),
    ),
    (
        "assets/search/from-disk.js",
        include_bytes!("../../themes/default/static/search/from-disk.js"),
    ),
];

/// The search client's public path (docs/search-client.md): other pages and systems import
/// it from there, so it is written there as well, unfingerprinted, besides its
/// fingerprinted twin under `assets/search/` that the theme's own pages load.
pub const CLIENT: &str = "search/gongkai-search.js";

/// The highlighting stylesheet's name in templates (`asset(path="assets/highlight.css")`).
pub const HIGHLIGHT: &str = "assets/highlight.css";

/// One static file as the build writes it.
#[derive(Debug)]
pub struct Asset {
    /// Its unfingerprinted name (`assets/style.css`): what templates pass to [`asset`].
    pub name: &'static str,
    /// Its path in the output: fingerprinted (`assets/style.3f2a1c9e0b.css`), except the
    /// search client's stable copy at [`CLIENT`].
    pub path: String,
    /// Its bytes, with the imports of other theme modules rewritten to their
    /// fingerprinted names.
    pub bytes: Vec<u8>,
}

/// Every static file of the theme in the order written: each fingerprinted file, then the
/// search client's stable copy. Made once (the files are compiled in: a site overrides
/// templates only, never static files, so the names are the same for every site).
pub fn assets() -> &'static [Asset] {
    static ASSETS: std::sync::LazyLock<Vec<Asset>> = std::sync::LazyLock::new(make_assets);
    &ASSETS
}

fn make_assets() -> Vec<Asset> {
    let mut assets: Vec<Asset> = Vec::with_capacity(FILES.len() + 1);
    for (name, bytes) in FILES {
        // The fingerprinted twin of the client sits under `assets/` with the rest, where
        // every name is fingerprinted (what the server caches for a year).
        let at = if *name == CLIENT {
            "assets/search/gongkai-search.js".to_string()
        } else {
            (*name).to_string()
        };
        let bytes = if name.ends_with(".js") {
            rewrite_imports(name, &at, bytes, &assets)
        } else {
            bytes.to_vec()
        };
        assets.push(Asset {
            name,
            path: fingerprinted(&at, &bytes),
            bytes,
        });
    }
    let client = FILES.iter().find(|(name, _)| *name == CLIENT);
    if let Some((name, bytes)) = client {
        assets.push(Asset {
            name,
            path: CLIENT.to_string(),
            bytes: bytes.to_vec(),
        });
    }
    assets
}

/// The generated highlighting stylesheet under its fingerprinted name
/// (`assets/highlight.<hash>.css`), made once: its bytes depend on the highlighting theme
/// only, not on the pages, which decide only whether it is written.
pub fn highlight() -> &'static Asset {
    static CSS: std::sync::LazyLock<Asset> = std::sync::LazyLock::new(|| {
        let bytes = super::highlight::stylesheet().into_bytes();
        Asset {
            name: HIGHLIGHT,
            path: fingerprinted(HIGHLIGHT, &bytes),
            bytes,
        }
    });
    &CSS
}

/// The output path of the static file templates name `name` (`assets/style.css` →
/// `assets/style.3f2a1c9e0b.css`), or `None` for a name the theme has no file of.
pub fn asset(name: &str) -> Option<&'static str> {
    if name == HIGHLIGHT {
        return Some(highlight().path.as_str());
    }
    assets()
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.path.as_str())
}

/// Digits of [`content_hash`] in a fingerprinted name: 40 bits, so that two versions of a
/// file taking one name is out of the question for the handful a site ever has.
pub const HASH_DIGITS: usize = 10;

/// The fingerprint of `bytes` in names: the top 40 bits of their 64-bit FNV-1a hash, in
/// lower-case hex. Written out here (no dependency), stable across versions and
/// platforms, so a name depends on the file's bytes only.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!(
        "{:0width$x}",
        hash >> (64 - 4 * HASH_DIGITS),
        width = HASH_DIGITS
    )
}

/// `path` with the fingerprint of `bytes` before its extension: `assets/style.css` →
/// `assets/style.3f2a1c9e0b.css`.
pub fn fingerprinted(path: &str, bytes: &[u8]) -> String {
    let hash = content_hash(bytes);
    let file_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[file_start..].rfind('.') {
        Some(dot) => {
            let dot = file_start + dot;
            format!("{}.{hash}{}", &path[..dot], &path[dot..])
        }
        None => format!("{path}.{hash}"),
    }
}

/// `source` (the module the theme names `name`, written at `at` before fingerprinting)
/// with each relative import of an earlier asset pointed at that asset's fingerprinted
/// path: `import … from "../../search/gongkai-search.js"` in
/// `assets/search/search-page.js` becomes `from "./gongkai-search.<hash>.js"`. The
/// theme's files are ours and plain (no import in a comment or string is ever a
/// concern); other specifiers are left as they are.
fn rewrite_imports(name: &str, at: &str, source: &[u8], earlier: &[Asset]) -> Vec<u8> {
    static IMPORT: std::sync::LazyLock<Option<regex::bytes::Regex>> =
        std::sync::LazyLock::new(|| {
            regex::bytes::Regex::new(r#"\b(?:from|import)\s*\(?\s*["'](\.\.?/[^"'\s]+)["']"#).ok()
        });
    let Some(import) = IMPORT.as_ref() else {
        return source.to_vec();
    };
    let mut out = Vec::with_capacity(source.len());
    let mut last = 0;
    for captures in import.captures_iter(source) {
        let Some(specifier) = captures.get(1) else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(specifier.as_bytes()) else {
            continue;
        };
        let target = resolve(name, text);
        let Some(found) = earlier.iter().find(|a| a.name == target) else {
            continue;
        };
        out.extend_from_slice(&source[last..specifier.start()]);
        out.extend_from_slice(relative(at, &found.path).as_bytes());
        last = specifier.end();
    }
    out.extend_from_slice(&source[last..]);
    out
}

/// The path `specifier` (`../x.js`) names from the file at `from` (`a/b/c.js`).
fn resolve(from: &str, specifier: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in specifier.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(segment),
        }
    }
    parts.join("/")
}

/// A relative specifier from the file at `from` to the file at `to` (`./x.js`, `../y/z.js`).
fn relative(from: &str, to: &str) -> String {
    let mut from_dirs: Vec<&str> = from.split('/').collect();
    from_dirs.pop();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let up = from_dirs.len() - common;
    let mut spec = if up == 0 {
        "./".to_string()
    } else {
        "../".repeat(up)
    };
    spec.push_str(&to_parts[common..].join("/"));
    spec
}

/// Where a site's own template overrides live, relative to its root.
pub const OVERRIDE_DIR: &str = "themes/default/templates";

/// Loads the templates: the embedded ones, replaced by any site override of the same name.
pub fn load(root: &Path) -> Result<tera::Tera, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let mut sources: Vec<(String, String)> = Vec::with_capacity(TEMPLATES.len());
    for (name, embedded) in TEMPLATES {
        let relative = Path::new(OVERRIDE_DIR).join(name);
        let path = root.join(&relative);
        let text = if path.is_file() {
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) => {
                    diagnostics.push(Diagnostic::at_path(
                        crate::diagnostics::Code::ReadFailed,
                        &relative,
                        crate::text!(
                            "cannot read template override: {e}",
                            "无法读取覆盖模板：{e}"
                        ),
                    ));
                    continue;
                }
            };
            if let Some(old) = unfingerprinted_link(&text) {
                diagnostics.push(
                    Diagnostic::at_path(
                        crate::diagnostics::Code::Template,
                        &relative,
                        crate::text!(
                            "the template links `{old}`, which the build no longer writes: the theme's CSS and JS have fingerprinted names",
                            "模板链接了 `{old}`，构建已不再写出该文件：主题的 CSS 和 JS 文件名带内容指纹"
                        ),
                    )
                    .with_help(crate::text!(
                        "write `{{{{ root }}}}{{{{ asset(path=\"{old}\") }}}}` instead",
                        "改写为 `{{{{ root }}}}{{{{ asset(path=\"{old}\") }}}}`"
                    )),
                );
                continue;
            }
            text
        } else {
            (*embedded).to_string()
        };
        sources.push(((*name).to_string(), text));
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let mut tera = tera::Tera::new();
    tera.register_function("asset", asset_function);
    tera.autoescape_on(vec![".html", ".xml"]);
    if let Err(e) = tera.add_raw_templates(sources) {
        diagnostics.push(Diagnostic::at_path(
            crate::diagnostics::Code::Template,
            Path::new(OVERRIDE_DIR),
            crate::text!("template error: {e}", "模板错误：{e}"),
        ));
        return Err(diagnostics);
    }
    Ok(tera)
}

/// `asset(path="assets/style.css")` in a template: the file's fingerprinted path, from the
/// site root (`assets/style.3f2a1c9e0b.css`); an error for a name the theme has no file of.
fn asset_function(kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    let name: &str = kwargs.must_get("path")?;
    asset(name).map(str::to_string).ok_or_else(|| {
        let known: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
        tera::Error::message(format!(
            "asset(path=\"{name}\"): the theme has no such file (it has {} and {HIGHLIGHT})",
            known.join(", ")
        ))
    })
}

/// The first unfingerprinted name of a theme stylesheet or script that `template` (a site's
/// override) links as a literal path (`{{ root }}assets/style.css`, not as
/// `asset(path="assets/style.css")`): written by an older gongkai, it would now link a
/// file that is not there. The search client's public path is fine.
fn unfingerprinted_link(template: &str) -> Option<&'static str> {
    FILES
        .iter()
        .map(|(name, _)| *name)
        .chain(std::iter::once(HIGHLIGHT))
        .filter(|name| *name != CLIENT)
        .find(|name| {
            template.match_indices(name).any(|(at, _)| {
                let before = template[..at].trim_end_matches(['"', '\'']);
                !before.trim_end().ends_with("path=") || before.len() == at
            })
        })
}
