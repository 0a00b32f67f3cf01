//! A saved page of an old portal (`.html`/`.htm`) → [`Document`]: its metadata table
//! (索引号, 发布机构, 发文日期 … in `<td>` label/value pairs, two or four to a row) as a
//! typed table, then the article body as lines.
//!
//! **Encoding.** Valid UTF-8 is read as UTF-8 whatever the page declares (a browser's
//! "save page" may re-encode and keep the old `<meta>`; GBK text is practically never
//! valid UTF-8). Otherwise the `<meta charset>` or `<meta http-equiv="Content-Type"
//! content="…; charset=gb2312">` in the first 4 KB is used (GBK and GB2312 are read with
//! the GB18030 decoder, their superset); with none, or when the page does not decode as
//! declared, the byte guess of `decode` decides, shown as a guess.
//!
//! **The metadata table** is the innermost `<table>` whose text holds 索引号 (or 索引號)
//! and that has at least two rows; layout tables around it are ignored. Its rows are read
//! like a `.docx` table (`colspan` → spanned columns, `rowspan` → merged-down cells
//! marked continued), the first row being the header, as for the pipe table of a copied
//! page (seed 000). It comes first in the text, one pipe line `| 索引号 | … |` per row.
//!
//! **The body** is, in this order, the element whose `class` or `id` is `TRS_Editor`
//! (what TRS WCM, the content system of most government portals, wraps articles in),
//! `zoom`/`zoomcon`, `article-content`/`article_content`/`artibody`/`detail`, `content`,
//! `article`; then an element whose class or id contains `trs_editor`, `zoom`, `content`
//! or `article`. Of several at one level, the one with the most text wins. With none, the
//! largest text block: the `div`/`td`/`article`/`section` whose own text (not that of the
//! blocks inside it) is longest. `<br>` and block elements (`p`, `div`, `li`, `tr`,
//! headings …) end lines; blank lines are dropped; white space is collapsed, and a
//! source line break between two Chinese characters is no space. `script`, `style`,
//! `noscript`, `iframe`, form controls, `nav`/`header`/`footer` and elements whose class
//! or id names a menu, navigation, share or footer are dropped; the metadata table is not
//! repeated in the body. A `<table>` in the body becomes a typed table too (a task table
//! published as a page imports as a plan), with one pipe line per row. Entities are
//! decoded by the HTML parser (html5ever, via scraper).

use std::collections::BTreeMap;

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node};

use crate::diagnostics::Text;
use crate::import::markup::{self, RawCell, RawRow, VMerge};
use crate::import::tables::Table;
use crate::import::{Document, decode};
use crate::text;

/// The encoding a page was read in, and the guess to show when it was not declared.
#[derive(Debug, Clone)]
pub(crate) struct Encoding {
    /// The WHATWG name (`UTF-8`, `gb18030` …).
    pub name: &'static str,
    /// How it was chosen, when that is a judgement to review.
    pub guess: Option<Text>,
}

/// The deepest nesting of elements read: real pages nest a few dozen deep; past this a
/// page is hostile (and walking it would cost time in proportion to depth × size).
pub(crate) const MAX_DEPTH: usize = 512;

/// Reads a saved page.
pub(crate) fn read_html(bytes: &[u8]) -> Result<(Document, Encoding), Text> {
    let (text, encoding) = decode_page(bytes)?;
    Ok((read_page(&text)?, encoding))
}

/// How deep elements nest in `html` (counted without recursion).
fn depth(html: &Html) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for edge in html.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ego_tree::iter::Edge::Close(_) => depth = depth.saturating_sub(1),
        }
    }
    deepest
}

/// The encoding a page declares in a `<meta>` of its first 4 KB.
pub(crate) fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        rest = &rest[at + 5..];
        let tag = rest.split('>').next().unwrap_or_default();
        if let Some(c) = tag.find("charset") {
            let value = tag[c + 7..].trim_start();
            let Some(value) = value.strip_prefix('=') else {
                continue;
            };
            let label: String = value
                .trim_start()
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                .collect();
            if let Some(encoding) = encoding_rs::Encoding::for_label(label.as_bytes()) {
                return Some(encoding);
            }
        }
    }
    None
}

/// The page's text: UTF-8, else as declared, else as detected.
fn decode_page(bytes: &[u8]) -> Result<(String, Encoding), Text> {
    let declared = declared_charset(bytes);
    let utf8 =
        encoding_rs::Encoding::for_bom(bytes).is_some() || std::str::from_utf8(bytes).is_ok();
    if !utf8 && let Some(declared) = declared {
        let encoding = if declared == encoding_rs::GBK {
            encoding_rs::GB18030
        } else {
            declared
        };
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if !had_errors {
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            return Ok((
                text,
                Encoding {
                    name: encoding.name(),
                    guess: None,
                },
            ));
        }
    }
    let decoded = decode::decode(bytes)?;
    let name = decoded.encoding;
    let guess = match declared {
        _ if name.starts_with("UTF-16") => None,
        Some(d) if d.name() != name => {
            let d = d.name();
            Some(text!(
                "the page declares {d} but does not decode as it: read as {name}",
                "网页声明编码为 {d}，但无法按其解码：按 {name} 读取"
            ))
        }
        None if name != encoding_rs::UTF_8.name() => Some(text!(
            "not UTF-8: read as {name} (detected)",
            "不是 UTF-8：按检测到的 {name} 编码读取"
        )),
        _ => None,
    };
    Ok((decoded.text, Encoding { name, guess }))
}

/// Elements whose content is never text of the page.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "iframe", "object", "embed", "select", "option", "button",
    "input", "textarea", "nav", "header", "footer", "head", "title", "template", "svg",
];

/// Elements that end a line before and after them.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "section",
    "article",
    "aside",
    "main",
    "center",
    "hr",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "caption",
    "form",
    "fieldset",
    "address",
    "figure",
    "figcaption",
];

/// Containers for the largest-text-block rule: text in a `p` or `span` counts for the
/// nearest of these around it.
const CONTAINERS: &[&str] = &[
    "div", "td", "th", "article", "section", "main", "body", "li",
];

/// The body's names, strongest first (matched against class tokens and the id, ignoring
/// case).
const BODY_NAMES: &[&[&str]] = &[
    &["trs_editor"],
    &["zoom", "zoomcon"],
    &["article-content", "article_content", "artibody", "detail"],
    &["content"],
    &["article"],
];

/// Parts of class names and ids of page furniture inside a body.
const FURNITURE: &[&str] = &["menu", "footer", "share", "breadcrumb", "crumb", "navbar"];

fn names(e: &ElementRef<'_>) -> Vec<String> {
    let v = e.value();
    v.classes()
        .chain(v.id())
        .map(str::to_ascii_lowercase)
        .collect()
}

fn dropped(e: &ElementRef<'_>) -> bool {
    DROPPED.contains(&e.value().name())
        || names(e).iter().any(|n| {
            FURNITURE.iter().any(|f| n.contains(f))
                || n == "nav"
                || n.starts_with("nav_")
                || n.starts_with("nav-")
        })
}

/// Text without any whitespace, for finding labels.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn element_text(e: &ElementRef<'_>) -> String {
    e.text().collect()
}

fn is_table(node: &NodeRef<'_, Node>) -> bool {
    node.value()
        .as_element()
        .is_some_and(|e| e.name() == "table")
}

/// The rows of `table` that are its own, not those of a table inside it.
fn own_rows<'a>(table: &ElementRef<'a>) -> Vec<ElementRef<'a>> {
    table
        .descendent_elements()
        .filter(|e| e.value().name() == "tr")
        .filter(|e| {
            e.ancestors()
                .find(is_table)
                .is_some_and(|t| t.id() == table.id())
        })
        .collect()
}

/// Whether a table is a notice's metadata table: 索引号 in its text, two rows or more.
fn is_metadata(table: &ElementRef<'_>) -> bool {
    let t = squash(&element_text(table));
    (t.contains("索引号") || t.contains("索引號")) && own_rows(table).len() >= 2
}

/// Elements a parser closes by itself (or that have no content): not counted by
/// [`nesting_estimate`].
const SELF_CLOSING: &[&str] = &[
    "p", "li", "td", "th", "tr", "tbody", "thead", "tfoot", "dt", "dd", "option", "br", "img",
    "meta", "link", "input", "hr", "area", "base", "col", "embed", "param", "source", "track",
    "wbr", "colgroup", "caption", "optgroup",
];

/// How deep a page's elements would nest, from its tags alone: start tags minus end tags
/// of the elements a parser does not close by itself. The HTML parser spends time in
/// proportion to depth × size, so a page nested far too deep is refused before parsing.
fn nesting_estimate(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = bytes
        .get(i..)
        .and_then(|b| b.iter().position(|&c| c == b'<'))
    {
        i += at + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let name: String = bytes[start.min(bytes.len())..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .take(16)
            .map(|c| c.to_ascii_lowercase() as char)
            .collect();
        if name.is_empty() || SELF_CLOSING.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            let end = bytes[i..].iter().position(|&c| c == b'>').map(|e| i + e);
            let self_closed = end.is_some_and(|e| e > 0 && bytes[e - 1] == b'/');
            if !self_closed {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
    }
    deepest
}

/// A page's text → its document.
fn read_page(text: &str) -> Result<Document, Text> {
    let too_deep = |deepest: usize| {
        text!(
            "elements nest {deepest} deep, over the limit of {MAX_DEPTH}: not a page to import",
            "元素嵌套 {deepest} 层，超过上限 {MAX_DEPTH}：不是可导入的网页"
        )
    };
    // `script` and `style` bodies may hold `<` that is no tag: counted too, which errs
    // on the side of a larger estimate, and only twice the limit is refused here.
    let estimate = nesting_estimate(text);
    if estimate > 2 * MAX_DEPTH {
        return Err(too_deep(estimate));
    }
    let html = Html::parse_document(text);
    let deepest = depth(&html);
    if deepest > MAX_DEPTH {
        return Err(too_deep(deepest));
    }
    let root = html.root_element();
    let metadata = root
        .descendent_elements()
        .filter(|e| e.value().name() == "table" && is_metadata(e))
        .find(|t| {
            !t.descendent_elements().any(|inner| {
                inner.id() != t.id() && inner.value().name() == "table" && is_metadata(&inner)
            })
        });
    let mut out = Render::default();
    if let Some(table) = metadata {
        out.table(&table);
    }
    let skip = metadata.map(|t| t.id());
    if let Some(body) = find_body(&root, skip) {
        out.skip = skip;
        out.walk(*body);
        out.newline();
    }
    let mut text = out.lines.join("\n");
    text.push('\n');
    Ok(Document {
        text,
        tables: out.tables,
    })
}

/// The article body, by the rules of the module's documentation.
fn find_body<'a>(
    root: &ElementRef<'a>,
    metadata: Option<ego_tree::NodeId>,
) -> Option<ElementRef<'a>> {
    let elements: Vec<ElementRef<'a>> = root
        .descendent_elements()
        .filter(|e| {
            !e.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| dropped(&a))
                && !dropped(e)
        })
        .collect();
    let most_text = |found: Vec<ElementRef<'a>>| {
        let mut best: Option<(usize, ElementRef<'a>)> = None;
        for e in found {
            let n = squash(&element_text(&e)).chars().count();
            if n > 0 && best.as_ref().is_none_or(|(m, _)| n > *m) {
                best = Some((n, e));
            }
        }
        best.map(|(_, e)| e)
    };
    for level in BODY_NAMES {
        let found = elements
            .iter()
            .filter(|e| names(e).iter().any(|n| level.contains(&n.as_str())))
            .copied()
            .collect();
        if let Some(e) = most_text(found) {
            return Some(e);
        }
    }
    let loose = elements
        .iter()
        .filter(|e| {
            names(e).iter().any(|n| {
                ["trs_editor", "zoom", "content", "article"]
                    .iter()
                    .any(|k| n.contains(k))
            })
        })
        .copied()
        .collect();
    if let Some(e) = most_text(loose) {
        return Some(e);
    }
    // The largest text block: text counted for its nearest container.
    let mut scores: BTreeMap<ego_tree::NodeId, usize> = BTreeMap::new();
    let mut order: Vec<ego_tree::NodeId> = Vec::new();
    for node in root.descendants() {
        let Node::Text(t) = node.value() else {
            continue;
        };
        let n = squash(t).chars().count();
        if n == 0 {
            continue;
        }
        let mut ancestors = node.ancestors().filter_map(ElementRef::wrap);
        let mut container = None;
        for a in ancestors.by_ref() {
            if dropped(&a) || Some(a.id()) == metadata {
                container = None;
                break;
            }
            if container.is_none() && CONTAINERS.contains(&a.value().name()) {
                container = Some(a.id());
            }
        }
        if let Some(id) = container {
            let score = scores.entry(id).or_insert(0);
            if *score == 0 {
                order.push(id);
            }
            *score += n;
        }
    }
    let mut best: Option<(usize, ego_tree::NodeId)> = None;
    for id in order {
        let n = scores.get(&id).copied().unwrap_or(0);
        if best.is_none_or(|(m, _)| n > m) {
            best = Some((n, id));
        }
    }
    best.and_then(|(_, id)| html_node(root, id))
}

fn html_node<'a>(root: &ElementRef<'a>, id: ego_tree::NodeId) -> Option<ElementRef<'a>> {
    std::iter::once(*root)
        .chain(root.descendent_elements())
        .find(|e| e.id() == id)
}

/// Lines and tables being written.
#[derive(Default)]
struct Render {
    lines: Vec<String>,
    current: String,
    tables: Vec<Table>,
    /// The metadata table, not repeated in the body.
    skip: Option<ego_tree::NodeId>,
}

impl Render {
    fn newline(&mut self) {
        let line = tidy_line(&self.current);
        if !line.is_empty() {
            self.lines.push(line);
        }
        self.current.clear();
    }

    fn push_text(&mut self, t: &str) {
        for c in t.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
                if !self.current.ends_with(' ') {
                    self.current.push(' ');
                }
            } else {
                self.current.push(c);
            }
        }
    }

    fn walk(&mut self, node: NodeRef<'_, Node>) {
        match node.value() {
            Node::Text(t) => self.push_text(t),
            Node::Element(e) => {
                let Some(element) = ElementRef::wrap(node) else {
                    return;
                };
                if dropped(&element) || Some(node.id()) == self.skip {
                    return;
                }
                match e.name() {
                    "br" => self.newline(),
                    "table" => {
                        self.newline();
                        self.table(&element);
                    }
                    name if BLOCKS.contains(&name) => {
                        self.newline();
                        for child in node.children() {
                            self.walk(child);
                        }
                        self.newline();
                    }
                    _ => {
                        for child in node.children() {
                            self.walk(child);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// A `<table>`: its pipe lines and its typed table.
    fn table(&mut self, table: &ElementRef<'_>) {
        let rows = raw_rows(table);
        let (lines, table) = markup::table(&rows, self.lines.len() + 1);
        self.lines.extend(lines);
        self.tables.extend(table);
    }
}

/// A line with its white space tidied: trimmed, and no space between two Chinese
/// characters (a source line break inside a paragraph).
fn tidy_line(line: &str) -> String {
    let chars: Vec<char> = line.trim().chars().collect();
    let wide = |c: Option<&char>| c.is_some_and(|&c| c as u32 >= 0x2E80);
    let mut out = String::with_capacity(line.len());
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' && wide(i.checked_sub(1).and_then(|j| chars.get(j))) && wide(chars.get(i + 1))
        {
            continue;
        }
        out.push(*c);
    }
    out
}

/// A span attribute (`colspan`, `rowspan`), at least 1, at most `max`.
fn span(e: &ElementRef<'_>, name: &str, max: usize) -> usize {
    e.value()
        .attr(name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, max)
}

/// The rows of an HTML table in the `.docx` model: `rowspan` becomes a restarted merge
/// and a continuation cell in each row it covers.
fn raw_rows(table: &ElementRef<'_>) -> Vec<RawRow> {
    struct Down {
        left: usize,
        span: usize,
    }
    let mut downs: BTreeMap<usize, Down> = BTreeMap::new();
    let mut rows = Vec::new();
    let continuation = |span| RawCell {
        parts: Vec::new(),
        span,
        vmerge: Some(VMerge::Continue),
        nested: false,
        numbered: false,
    };
    for tr in own_rows(table) {
        let mut cells = Vec::new();
        let mut col = 0;
        let mut html_cells = tr
            .child_elements()
            .filter(|c| matches!(c.value().name(), "td" | "th"));
        loop {
            if let Some(d) = downs.get_mut(&col)
                && d.left > 0
            {
                d.left -= 1;
                cells.push(continuation(d.span));
                col += d.span;
                continue;
            }
            let Some(cell) = html_cells.next() else {
                // Cells merged down from above, right of the last cell of this row.
                let rest: Vec<usize> = downs
                    .range(col..)
                    .filter(|(_, d)| d.left > 0)
                    .map(|(&c, _)| c)
                    .collect();
                for c in rest {
                    while col < c {
                        cells.push(RawCell {
                            span: 1,
                            ..RawCell::default()
                        });
                        col += 1;
                    }
                    if let Some(d) = downs.get_mut(&c) {
                        d.left -= 1;
                        cells.push(continuation(d.span));
                        col += d.span;
                    }
                }
                break;
            };
            let colspan = span(&cell, "colspan", 64);
            let rowspan = span(&cell, "rowspan", 10_000);
            let mut inner = Render::default();
            let mut nested = false;
            for child in cell.children() {
                nested |= child
                    .descendants()
                    .any(|d| d.value().as_element().is_some_and(|e| e.name() == "table"));
                inner.walk_flat(child);
            }
            inner.newline();
            let vmerge = if rowspan > 1 {
                downs.insert(
                    col,
                    Down {
                        left: rowspan - 1,
                        span: colspan,
                    },
                );
                Some(VMerge::Restart)
            } else {
                None
            };
            cells.push(RawCell {
                parts: inner.lines,
                span: colspan,
                vmerge,
                nested,
                numbered: false,
            });
            col += colspan;
        }
        rows.push(RawRow { cells, before: 0 });
    }
    rows
}

impl Render {
    /// Like [`Render::walk`], with a table inside flattened into lines (a cell's text).
    fn walk_flat(&mut self, node: NodeRef<'_, Node>) {
        match node.value() {
            Node::Text(t) => self.push_text(t),
            Node::Element(e) => {
                let Some(element) = ElementRef::wrap(node) else {
                    return;
                };
                if dropped(&element) {
                    return;
                }
                let block = e.name() == "br" || BLOCKS.contains(&e.name()) || e.name() == "td";
                if block {
                    self.newline();
                }
                for child in node.children() {
                    self.walk_flat(child);
                }
                if block {
                    self.newline();
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/import/lyg-2014-notice.html"
        );
        std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn the_2014_portal_page_gives_its_metadata_table_and_body() {
        let bytes = fixture();
        assert!(std::str::from_utf8(&bytes).is_err(), "the fixture is GBK");
        let (d, encoding) = read_html(&bytes).unwrap_or_else(|e| panic!("{}", e.en()));
        assert_eq!(encoding.name, "gb18030");
        assert!(encoding.guess.is_none(), "declared, not guessed");
        let lines: Vec<&str> = d.text.lines().collect();
        assert_eq!(d.tables.len(), 1, "{}", d.text);
        let t = &d.tables[0];
        assert_eq!(t.lines, (1, 6));
        let header: Vec<&str> = t.header.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(header, ["索引号", "k12498411/2014-00065", "", ""]);
        let row = |label: &str| {
            t.rows
                .iter()
                .find(|r| r.cells[0].text == label || r.cells[2].text == label)
                .unwrap_or_else(|| panic!("no row {label}: {:?}", t.rows))
        };
        let published = row("发布机构");
        assert_eq!(published.cells[1].text, "连云港市人民政府");
        assert_eq!(published.cells[3].text, "2014-05-07");
        assert_eq!(published.line, 2);
        assert_eq!(
            row("标题").cells[1].text,
            "市政府办公室关于印发连云港市知识产权联席会议工作制度的通知"
        );
        assert_eq!(row("文号").cells[1].text, "连政办发〔2014〕67号");
        assert_eq!(row("时效").cells[1].text, "有效");
        // Entities decoded, the colspan'd 内容概述 read whole.
        assert!(
            row("内容概述").cells[1]
                .text
                .starts_with("为加强对全市知识产权工作的宏观管理")
        );
        assert_eq!(lines[0], "| 索引号 | k12498411/2014-00065 | | |");
        // The body follows the table: title, salutation, paragraphs, signature; no menu,
        // script, style or footer.
        assert_eq!(
            lines[6],
            "市政府办公室关于印发连云港市知识产权联席会议工作制度的通知"
        );
        assert_eq!(lines[7], "各县、区人民政府，市各有关单位：");
        assert!(lines[8].starts_with("《连云港市知识产权联席会议工作制度》已经市政府同意"));
        assert!(lines.contains(&"连云港市人民政府办公室"));
        assert!(lines.contains(&"2014年5月7日"));
        assert!(lines.contains(&"一、主要职责"));
        assert!(lines.contains(&"（三）组织知识产权联合执法行动。"));
        assert_eq!(lines.last(), Some(&"（三）组织知识产权联合执法行动。"));
        for furniture in [
            "首页",
            "版权所有",
            "var ",
            "font-size",
            "打印本页",
            "政务公开",
        ] {
            assert!(!d.text.contains(furniture), "{furniture} in {}", d.text);
        }
        // A source line break inside a paragraph is no space between Chinese characters.
        assert!(d.text.contains("健全知识产权协调机制"));
    }

    #[test]
    fn a_page_nested_too_deep_is_refused_quickly() {
        // Refused before parsing (the parser would take minutes) …
        let page = format!("{}正文{}", "<div>".repeat(50_000), "</div>".repeat(50_000));
        let started = std::time::Instant::now();
        let e = read_html(page.as_bytes()).err().map(|e| e.en().to_string());
        assert!(
            e.as_deref().is_some_and(|e| e.contains("50000 deep")),
            "{e:?}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // … or after, by the parsed tree's depth.
        let page = format!("{}正文{}", "<span>".repeat(800), "</span>".repeat(800));
        let e = read_html(page.as_bytes()).err().map(|e| e.en().to_string());
        assert!(
            e.as_deref()
                .is_some_and(|e| e.contains("over the limit of 512")),
            "{e:?}"
        );
        // Thousands of unclosed paragraphs and cells are not nesting.
        let soup = format!("<table>{}</table>", "<tr><td>格<p>段<li>项".repeat(2_000));
        let read = read_html(soup.as_bytes());
        assert!(read.is_ok(), "{:?}", read.err().map(|e| e.en().to_string()));
        let fine = format!("{}正文{}", "<div>".repeat(400), "</div>".repeat(400));
        let (d, _) = read_html(fine.as_bytes()).unwrap_or_else(|e| panic!("{}", e.en()));
        assert_eq!(d.text, "正文\n");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn any_markup_reads_without_panic(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<table>", "</table>", "<tr>", "<td rowspan=3>", "<td colspan=9>", "<td>",
                    "</td>", "<p>", "<br>", "索引号", "正文", "<div class=TRS_Editor>", "</div>",
                    "<script>", "&nbsp;", "<th rowspan=0>",
                ]),
                0..40,
            )
        ) {
            let page = parts.concat();
            let _ = read_html(page.as_bytes());
        }
    }

    #[test]
    fn charset_comes_from_either_meta_form() {
        assert_eq!(
            declared_charset(b"<html><head><meta charset=\"gb2312\">"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(
            declared_charset(
                b"<META http-equiv=Content-Type content=\"text/html; charset=GBK\"><title>"
            ),
            Some(encoding_rs::GBK)
        );
        assert_eq!(
            declared_charset(b"<meta name=\"keywords\" content=\"x\">"),
            None
        );
    }

    #[test]
    fn utf8_bytes_win_over_a_stale_meta_and_undeclared_gbk_is_a_guess() {
        let page = "<meta charset=\"gb2312\"><div class=\"TRS_Editor\"><p>第一段</p><p>第二&nbsp;段<br>下一行</p></div>";
        let (d, e) = read_html(page.as_bytes()).unwrap_or_else(|e| panic!("{}", e.en()));
        assert_eq!(e.name, "UTF-8");
        assert!(e.guess.is_some_and(|g| g.en().contains("declares GBK")));
        assert_eq!(d.text, "第一段\n第二\u{a0}段\n下一行\n");
        let (gbk, _, _) =
            encoding_rs::GBK.encode("<div id=\"zoom\"><p>关于印发知识产权工作制度的通知</p></div>");
        let (d, e) = read_html(&gbk).unwrap_or_else(|e| panic!("{}", e.en()));
        assert_eq!(e.name, "gb18030");
        assert!(e.guess.is_some_and(|g| g.en().contains("detected")));
        assert_eq!(d.text, "关于印发知识产权工作制度的通知\n");
    }

    #[test]
    fn without_a_known_class_the_largest_text_block_is_the_body() {
        let page = "<body><div class=\"left\"><a>首页</a><a>机构</a></div>\
            <div class=\"main\"><span>短</span><div class=\"x\"><p>这是正文第一段，比较长的一段文字。</p><p>第二段。</p></div></div>\
            <div class=\"bottom\">版权所有</div></body>";
        let (d, _) = read_html(page.as_bytes()).unwrap_or_else(|e| panic!("{}", e.en()));
        assert_eq!(d.text, "这是正文第一段，比较长的一段文字。\n第二段。\n");
    }

    #[test]
    fn a_table_in_the_body_is_typed_with_rowspan_and_colspan() {
        let page = "<div class=\"TRS_Editor\"><p>2009年某市工作任务分解表</p><table>\
            <tr><td>类号</td><td>序号</td><td>工作内容</td><td>责任单位</td></tr>\
            <tr><td rowspan=\"2\">一</td><td>1</td><td>甲<br>任务</td><td>市知识产权局</td></tr>\
            <tr><td>2</td><td colspan=\"2\">乙</td></tr></table></div>";
        let (d, _) = read_html(page.as_bytes()).unwrap_or_else(|e| panic!("{}", e.en()));
        assert_eq!(
            d.text,
            "2009年某市工作任务分解表\n| 类号 | 序号 | 工作内容 | 责任单位 |\n| 一 | 1 | 甲任务 | 市知识产权局 |\n| | 2 | 乙 |\n"
        );
        let t = &d.tables[0];
        assert_eq!(t.lines, (2, 4));
        assert_eq!(t.rows[1].cells[0].text, "一");
        assert!(t.rows[1].cells[0].continued);
        assert_eq!(t.rows[1].cells[0].line, 3);
        assert_eq!(t.rows[1].cells[2].text, "乙");
        assert_eq!(t.rows[1].cells[3].text, "");
    }
}
