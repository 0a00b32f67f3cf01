//! Links between documents, written in Markdown and checked like every other reference.
//!
//! A link is *internal* when it names another document of the site: by id
//! (`notice:K12498411/2014-00065`, `unit:lyg-kjj`, `body:…`, `plan:…`, `page:…`,
//! `news:…`, `report:2024`) or by the path of its source file, relative to the file it is written in
//! (`../2014/other.md`) or to `content/` (`@/units/lyg-kjj.yaml`). A path to any other
//! file under `content/` publishes that file, as an attachment is. Internal links are
//! checked when the site is resolved (an unknown one is an error at its line) and
//! rewritten to the page's relative URL when rendered. `http(s)`, `mailto` and `tel`
//! links and `#fragments` are left as they are; an absolute path (`/x/`) is an error,
//! since it breaks a site served from a subfolder or from disk.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use crate::diagnostics::{Code, Diagnostic, Severity, Text};
use crate::enums::{Key, Label};
use crate::text;
use crate::urls;

/// A link found in a Markdown text, where it was written.
#[derive(Debug, Clone)]
pub struct WrittenLink {
    /// The destination as written.
    pub dest: String,
    /// The file it is written in, relative to the site root.
    pub from: std::path::PathBuf,
    /// Where it stands in that file.
    pub position: crate::source::Position,
    /// The source line, for the diagnostic.
    pub line_text: String,
}

impl WrittenLink {
    /// A problem with this link, pointing at it.
    pub fn diagnostic(&self, severity: Severity, code: Code, message: Text) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            path: self.from.clone(),
            position: self.position,
            message,
            line_text: self.line_text.clone(),
            help: None,
        }
    }
}

/// What an internal link leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A page: its root-relative folder URL (`notices/x/`) and the fragment, if any.
    Page(String, Option<String>),
    /// A file published as is: its path in the output, which is its path under `content/`.
    File(String),
}

/// Why an internal link does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// What kind of problem, and a message saying what is wrong.
    Invalid(Code, Text),
    /// A path inside `content/` that is no document: published as a file if it exists.
    MaybeFile(String),
}

/// The kinds of document a link can name by id: the scheme of `notice:…`, `unit:…` ….
/// The scheme is the serde name; the label is how a Chinese message calls it (an English
/// one says the scheme).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Kind {
    /// `notice:索引号`.
    #[strum(message = "文件")]
    Notice,
    /// `unit:id`.
    #[strum(message = "单位")]
    Unit,
    /// `body:id`.
    #[strum(message = "议事协调机构")]
    Body,
    /// `plan:id`.
    #[strum(message = "工作方案")]
    Plan,
    /// `page:id`.
    #[strum(message = "页面")]
    Page,
    /// `news:id`.
    #[strum(message = "工作动态")]
    News,
    /// `report:2024`: the 政府信息公开工作年度报告 of a year.
    #[strum(message = "年度报告")]
    Report,
}

impl Key for Kind {}
impl Label for Kind {}

impl Kind {
    /// How readers of a message call it, in both languages.
    fn name(self) -> Text {
        Text::new(self.key().to_string(), self.label().to_string())
    }

    /// The page of the document with this id (for a notice, its 索引号).
    fn url(self, id: &str) -> String {
        match self {
            Kind::Notice => urls::notice_written(id),
            Kind::Unit => urls::unit(id),
            Kind::Body => urls::body(id),
            Kind::Plan => urls::plan(id),
            Kind::Page => urls::page(id),
            Kind::News => urls::news(id),
            Kind::Report => urls::report(id),
        }
    }
}

/// Every document a link can lead to, built once the site is resolved.
#[derive(Debug, Default)]
pub struct LinkIndex {
    /// Source path under `content/` (`notices/2014/a.md`) → page URL.
    by_path: rustc_hash::FxHashMap<String, String>,
    /// (kind, id) → page URL.
    by_id: rustc_hash::FxHashMap<(Kind, String), String>,
    /// Files published because a link names them (paths under `content/`).
    files: BTreeMap<String, u64>,
    /// The `http(s)` links, for `check --external`.
    external: Vec<WrittenLink>,
}

impl LinkIndex {
    /// Records a document by its source file (relative to the site root), kind and id
    /// (a notice's id is its 索引号).
    pub fn add(&mut self, source: &Path, kind: Kind, id: &str) {
        let url = kind.url(id);
        if let Ok(under_content) = source.strip_prefix("content") {
            self.by_path.insert(slash_path(under_content), url.clone());
        }
        self.by_id.insert((kind, id.to_string()), url);
    }

    /// Records that `path` (under `content/`) is published because a link names it.
    pub fn publish_file(&mut self, path: String, size: u64) {
        self.files.insert(path, size);
    }

    /// Keeps an `http(s)` link for `check --external`.
    pub fn add_external(&mut self, link: WrittenLink) {
        self.external.push(link);
    }

    /// Every `http(s)` link of the site, in file order.
    pub fn external(&self) -> &[WrittenLink] {
        &self.external
    }

    /// Files published because links name them, sorted.
    pub fn published_files(&self) -> impl Iterator<Item = (&str, u64)> {
        self.files.iter().map(|(path, &size)| (path.as_str(), size))
    }

    /// Where `dest`, written in the file `from`, leads: `Ok(None)` for a link that is not
    /// internal (external, a fragment, or a scheme the renderer drops).
    pub fn target(&self, from: &Path, dest: &str) -> Result<Option<Target>, Unresolved> {
        let dest = dest.trim();
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") {
            return Ok(None);
        }
        if let Some((scheme, id)) = scheme_of(dest) {
            let Some(kind) = crate::content::parse_key::<Kind>(&scheme) else {
                return Ok(None);
            };
            let (id, fragment) = split_fragment(id);
            return match self.by_id.get(&(kind, id.to_string())) {
                Some(url) => Ok(Some(Target::Page(url.clone(), fragment))),
                None => {
                    let kind = kind.name();
                    Err(Unresolved::Invalid(
                        Code::BrokenLink,
                        text!(
                            "link to an unknown {en} `{id}`",
                            "链接指向不存在的{zh} `{id}`",
                            en = kind.en(),
                            zh = kind.zh()
                        ),
                    ))
                }
            };
        }
        if dest.starts_with('/') {
            return Err(Unresolved::Invalid(
                Code::UnsafeLink,
                text!(
                    "link `{dest}` starts from the server root: it breaks when the site is served from a subfolder or opened from disk",
                    "链接 `{dest}` 从服务器根目录开始：站点部署在子目录或从本地磁盘打开时会失效"
                ),
            ));
        }
        let (path, fragment) = split_fragment(dest);
        let path = path.split('?').next().unwrap_or(path);
        let under_content = match path.strip_prefix("@/") {
            Some(rooted) => normalise(Path::new(""), rooted),
            None => {
                let folder = from
                    .strip_prefix("content")
                    .ok()
                    .and_then(Path::parent)
                    .unwrap_or(Path::new(""));
                normalise(folder, path)
            }
        }
        .ok_or_else(|| {
            Unresolved::Invalid(
                Code::BrokenLink,
                text!(
                    "link `{dest}` leads outside content/",
                    "链接 `{dest}` 指向 content/ 之外"
                ),
            )
        })?;
        if let Some(url) = self.by_path.get(&under_content) {
            return Ok(Some(Target::Page(url.clone(), fragment)));
        }
        if self.files.contains_key(&under_content) {
            return Ok(Some(Target::File(under_content)));
        }
        if is_document_source(&under_content) {
            return Err(Unresolved::Invalid(
                Code::BrokenLink,
                text!(
                    "link `{dest}` names content/{under_content}, which is not a published document (a draft, or a file that does not exist?)",
                    "链接 `{dest}` 指向 content/{under_content}，但它不是已发布的文档（是草稿，或文件不存在？）"
                ),
            ));
        }
        Err(Unresolved::MaybeFile(under_content))
    }
}

/// `notice:K1/2014-1` → (`notice`, `K1/2014-1`), for any `scheme:` a URL may start with.
fn scheme_of(dest: &str) -> Option<(String, &str)> {
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    let is_scheme = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme.then(|| (scheme.to_ascii_lowercase(), &dest[colon + 1..]))
}

fn split_fragment(text: &str) -> (&str, Option<String>) {
    match text.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment.to_string())),
        None => (text, None),
    }
}

/// `folder/relative` with `.` and `..` worked out, as a `/` path under `content/`; `None`
/// when it climbs out.
fn normalise(folder: &Path, relative: &str) -> Option<String> {
    let mut parts: Vec<String> = folder
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other.to_string()),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn slash_path(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether a path under `content/` is where a document's source lives (never published
/// as a file, even when it exists: it may be a draft).
fn is_document_source(path: &str) -> bool {
    let kind_folder = [
        "notices/",
        "units/",
        "bodies/",
        "progress/",
        "pages/",
        "news/",
    ]
    .iter()
    .any(|f| path.starts_with(f));
    path == "site.yaml"
        || path.starts_with("applications/")
        || path.starts_with("reports/")
        || kind_folder && (path.ends_with(".md") || path.ends_with(".yaml"))
}

/// Where a Markdown text is rendered: the links it may name, the file it was written in
/// (relative paths start there) and the page it appears on (hrefs start there).
#[derive(Debug, Clone)]
pub struct LinkContext<'a> {
    index: &'a LinkIndex,
    from: &'a Path,
    root: &'a str,
    /// Destinations rewritten so far: what the page depends on besides its own file.
    resolved: std::cell::RefCell<Vec<String>>,
}

impl<'a> LinkContext<'a> {
    /// Text written in `from` (relative to the site root), shown on the page whose
    /// root-relative prefix is `root` (`../../` for `notices/x/index.html`).
    pub fn new(index: &'a LinkIndex, from: &'a Path, root: &'a str) -> Self {
        LinkContext {
            index,
            from,
            root,
            resolved: Default::default(),
        }
    }

    /// Every destination [`rewrite`](Self::rewrite) turned into an internal link.
    pub fn resolved(self) -> Vec<String> {
        self.resolved.into_inner()
    }

    /// The relative `href` for an internal link, or `None` when `dest` is not one.
    pub fn rewrite(&self, dest: &str) -> Option<String> {
        match self.index.target(self.from, dest) {
            Ok(Some(target)) => {
                self.resolved.borrow_mut().push(dest.to_string());
                Some(href(&target, self.root))
            }
            _ => None,
        }
    }
}

/// The `../` prefix from a page at the folder URL `url` (`notices/x/`) to the site root.
pub fn root_of(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// The `href` of an internal link from a page whose root prefix is `root` (`../../`).
pub fn href(target: &Target, root: &str) -> String {
    match target {
        Target::Page(url, None) => format!("{root}{url}index.html"),
        Target::Page(url, Some(fragment)) => format!("{root}{url}index.html#{fragment}"),
        Target::File(path) => format!("{root}{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> LinkIndex {
        let mut index = LinkIndex::default();
        index.add(
            Path::new("content/notices/2014/a.md"),
            Kind::Notice,
            "K12498411/2014-00065",
        );
        index.add(
            Path::new("content/units/lyg-kjj.yaml"),
            Kind::Unit,
            "lyg-kjj",
        );
        index.publish_file("attachments/2014/x.pdf".into(), 4);
        index
    }

    #[test]
    fn ids_and_paths_lead_to_pages() {
        let index = index();
        let from = Path::new("content/notices/2014/b.md");
        let page = |url: &str| Ok(Some(Target::Page(url.into(), None)));
        assert_eq!(
            index.target(from, "notice:K12498411/2014-00065"),
            page("notices/K12498411-2014-00065/")
        );
        assert_eq!(
            index.target(from, "a.md"),
            page("notices/K12498411-2014-00065/")
        );
        assert_eq!(
            index.target(from, "./../2014/a.md"),
            page("notices/K12498411-2014-00065/")
        );
        assert_eq!(
            index.target(from, "@/units/lyg-kjj.yaml"),
            page("units/lyg-kjj/")
        );
        assert_eq!(
            index.target(from, "unit:lyg-kjj#职责"),
            Ok(Some(Target::Page(
                "units/lyg-kjj/".into(),
                Some("职责".into())
            )))
        );
        assert_eq!(
            index.target(from, "../../attachments/2014/x.pdf"),
            Ok(Some(Target::File("attachments/2014/x.pdf".into())))
        );
        for external in [
            "https://www.gov.cn/",
            "mailto:a@b.cn",
            "#top",
            "javascript:x",
        ] {
            assert_eq!(index.target(from, external), Ok(None), "{external}");
        }
    }

    #[test]
    fn what_does_not_resolve_says_why() {
        let index = index();
        let from = Path::new("content/notices/2014/b.md");
        assert!(
            matches!(index.target(from, "notice:K1/2014-1"), Err(Unresolved::Invalid(_, m)) if m.en().contains("unknown notice"))
        );
        assert!(matches!(
            index.target(from, "unit:nobody"),
            Err(Unresolved::Invalid(..))
        ));
        assert!(
            matches!(index.target(from, "/units/x/"), Err(Unresolved::Invalid(_, m)) if m.en().contains("server root"))
        );
        assert!(
            matches!(index.target(from, "../../../../etc/passwd"), Err(Unresolved::Invalid(_, m)) if m.en().contains("outside"))
        );
        assert!(
            matches!(index.target(from, "c.md"), Err(Unresolved::Invalid(_, m)) if m.en().contains("not a published document"))
        );
        assert_eq!(
            index.target(from, "@/attachments/y.pdf"),
            Err(Unresolved::MaybeFile("attachments/y.pdf".into()))
        );
    }

    #[test]
    fn hrefs_are_relative_to_the_page() {
        let page = Target::Page("notices/x/".into(), Some("a".into()));
        assert_eq!(href(&page, "../../"), "../../notices/x/index.html#a");
        assert_eq!(
            href(&Target::File("attachments/x.pdf".into()), ""),
            "attachments/x.pdf"
        );
    }
}
