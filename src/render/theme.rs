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

/// Static files of the default theme, by their path in the output: the stylesheet and
/// scripts under `assets/`, and the search client at `search/gongkai-search.js` (the path
/// other pages and systems import it from).
pub const FILES: &[(&str, &[u8])] = &[
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
        "assets/search/search-page.js",
        include_bytes!("../../themes/default/static/search/search-page.js"),
    ),
    (
        "assets/search/from-disk.js",
        include_bytes!("../../themes/default/static/search/from-disk.js"),
    ),
    (
        "search/gongkai-search.js",
        include_bytes!("../../themes/default/static/search/gongkai-search.js"),
    ),
];

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
            match std::fs::read_to_string(&path) {
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
            }
        } else {
            (*embedded).to_string()
        };
        sources.push(((*name).to_string(), text));
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let mut tera = tera::Tera::new();
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
