//! Markdown → HTML for notice bodies, pages and (later) duties and notes.
//!
//! On top of pulldown-cmark: readable unique heading ids for Chinese headings, no stray
//! space where a line breaks inside a Chinese sentence, footnote ids that cannot clash
//! with headings, raw HTML escaped unless the site allows it, unsafe link schemes dropped,
//! and fenced code highlighted.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html,
};

use super::highlight;
use crate::content::markdown::{OPTIONS, Settings, is_wide, without_nul};
use crate::links::LinkContext;

/// What rendering found out about a document besides its HTML.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML fragment.
    pub html: String,
    /// Headings in order: level, id and text, for a table of contents.
    pub headings: Vec<Heading>,
    /// Whether a highlighted code block appears (the page then links the stylesheet).
    pub has_code: bool,
}

/// A heading of a rendered document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The `id` attribute, unique in the document.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// Renders Markdown with the site's settings (raw HTML switch, highlight size, nesting).
///
/// NUL characters become U+FFFD, as CommonMark asks: they must not reach the HTML.
pub fn render(markdown: &str, settings: &Settings, links: &LinkContext<'_>) -> Rendered {
    let markdown = without_nul(markdown);
    let events: Vec<Event> = within_nesting(Parser::new_ext(&markdown, OPTIONS), settings.nesting);
    let mut out = Vec::with_capacity(events.len());
    let mut state = State {
        settings: *settings,
        links: Some(links),
        ..State::default()
    };
    let mut i = 0;
    while i < events.len() {
        i = state.transform(&events, i, &mut out);
    }
    let mut html_out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html_out, out.into_iter());
    Rendered {
        html: html_out,
        headings: state.headings,
        has_code: state.has_code,
    }
}

/// The events with every element deeper than `max` left out (its text kept): a second
/// guard behind the load-time check, since deep HTML overflows the minifier's stack.
fn within_nesting<'a>(events: impl Iterator<Item = Event<'a>>, max: usize) -> Vec<Event<'a>> {
    let mut depth = 0usize;
    // For each open element: whether it was kept.
    let mut open: Vec<bool> = Vec::new();
    let mut kept = Vec::new();
    for event in events {
        match event {
            Event::Start(_) => {
                let keep = depth < max;
                open.push(keep);
                if keep {
                    depth += 1;
                    kept.push(event);
                }
            }
            Event::End(_) => {
                if open.pop().unwrap_or(true) {
                    depth = depth.saturating_sub(1);
                    kept.push(event);
                }
            }
            other => kept.push(other),
        }
    }
    kept
}

#[derive(Default)]
struct State<'c> {
    settings: Settings,
    /// Rewrites internal links (`notice:…`, `../a.md`) to the pages they name.
    links: Option<&'c LinkContext<'c>>,
    headings: Vec<Heading>,
    used_ids: HashSet<String>,
    /// Next suffix to try for each base id, so that n equal headings cost O(n), not O(n²).
    next_suffix: HashMap<String, usize>,
    footnotes: HashMap<String, usize>,
    has_code: bool,
    /// The GFM table being written, if any.
    table: Option<TableState>,
}

/// Where a table's cells stand: pulldown-cmark would align columns with inline
/// `style="text-align: …"`, which the site's Content-Security-Policy refuses, so the
/// table is written here with classes (`align-right`) instead.
struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    column: usize,
}

impl State<'_> {
    /// Emits the transformed form of `events[i]` (and what it consumes) and returns the
    /// index of the next event to look at.
    fn transform<'a>(&mut self, events: &[Event<'a>], i: usize, out: &mut Vec<Event<'a>>) -> usize {
        let unsafe_html = self.settings.unsafe_html;
        match &events[i] {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => self.heading(events, i, *level, id.as_ref(), classes, out),
            Event::Start(Tag::CodeBlock(kind)) => self.code_block(events, i, kind, out),
            Event::Start(Tag::Table(alignments)) => {
                self.table = Some(TableState {
                    alignments: alignments.clone(),
                    in_head: false,
                    column: 0,
                });
                out.push(Event::Html(CowStr::from("<table>")));
                i + 1
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                let head = matches!(events[i], Event::Start(Tag::TableHead));
                if let Some(table) = &mut self.table {
                    table.in_head = head;
                    table.column = 0;
                }
                out.push(Event::Html(CowStr::from(if head {
                    "<thead><tr>"
                } else {
                    "<tr>"
                })));
                i + 1
            }
            Event::End(TagEnd::TableHead) => {
                out.push(Event::Html(CowStr::from("</tr></thead><tbody>")));
                i + 1
            }
            Event::End(TagEnd::TableRow) => {
                out.push(Event::Html(CowStr::from("</tr>")));
                i + 1
            }
            Event::End(TagEnd::Table) => {
                self.table = None;
                out.push(Event::Html(CowStr::from("</tbody></table>")));
                i + 1
            }
            Event::Start(Tag::TableCell) => {
                out.push(Event::Html(CowStr::from(self.open_cell())));
                i + 1
            }
            Event::End(TagEnd::TableCell) => {
                let head = self.table.as_ref().is_some_and(|t| t.in_head);
                out.push(Event::Html(CowStr::from(if head {
                    "</th>"
                } else {
                    "</td>"
                })));
                i + 1
            }
            Event::SoftBreak => {
                let before = last_char(out);
                let after = next_char(&events[i + 1..]);
                if !(before.is_some_and(is_wide) && after.is_some_and(is_wide)) {
                    out.push(Event::SoftBreak);
                }
                i + 1
            }
            Event::Html(raw) | Event::InlineHtml(raw) if !unsafe_html => {
                out.push(Event::Text(raw.clone()));
                i + 1
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: self.href(dest_url),
                    title: title.clone(),
                    id: id.clone(),
                }));
                i + 1
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: self.href(dest_url),
                    title: title.clone(),
                    id: id.clone(),
                }));
                i + 1
            }
            Event::FootnoteReference(label) => {
                let n = self.footnote_number(label);
                let id = footnote_id(label);
                out.push(Event::Html(CowStr::from(format!(
                    "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\" id=\"fnref-{id}\">[{n}]</a></sup>"
                ))));
                i + 1
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = self.footnote_number(label);
                let id = footnote_id(label);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote\" id=\"fn-{id}\"><span class=\"footnote-label\">[{n}]</span>"
                ))));
                i + 1
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                out.push(Event::Html(CowStr::from("</div>")));
                i + 1
            }
            other => {
                out.push(other.clone());
                i + 1
            }
        }
    }

    fn heading<'a>(
        &mut self,
        events: &[Event<'a>],
        start: usize,
        level: HeadingLevel,
        explicit_id: Option<&CowStr<'a>>,
        classes: &[CowStr<'a>],
        out: &mut Vec<Event<'a>>,
    ) -> usize {
        let end = events[start..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
            .map_or(events.len(), |p| start + p);
        let text: String = events[start + 1..end]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let wanted = explicit_id.map_or_else(|| slugify(&text), |id| slugify(id));
        let id = self.unique_id(wanted);
        self.headings.push(Heading {
            level: level as u8,
            id: id.clone(),
            text: text.trim().to_string(),
        });
        out.push(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id)),
            classes: classes.to_vec(),
            attrs: Vec::new(),
        }));
        start + 1
    }

    fn code_block<'a>(
        &mut self,
        events: &[Event<'a>],
        start: usize,
        kind: &CodeBlockKind<'a>,
        out: &mut Vec<Event<'a>>,
    ) -> usize {
        let end = events[start..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::CodeBlock)))
            .map_or(events.len(), |p| start + p);
        let code: String = events[start + 1..end]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or(""),
            CodeBlockKind::Indented => "",
        };
        let highlighted = if lang.is_empty() || code.len() > self.settings.highlight_max {
            None
        } else {
            highlight::highlight(&code, lang)
        };
        match highlighted {
            Some(spans) => {
                self.has_code = true;
                out.push(Event::Html(CowStr::from(format!(
                    "<pre class=\"code\"><code>{spans}</code></pre>\n"
                ))));
            }
            // Unknown or no language: pulldown-cmark prints it escaped and plain, its
            // class from the info string's first word only (pulldown-cmark splits at a
            // space, not at a tab: `~~~a\tb` would give a class with a tab in it).
            None => {
                let info = CowStr::from(lang.to_string());
                out.push(Event::Start(Tag::CodeBlock(match kind {
                    CodeBlockKind::Fenced(_) => CodeBlockKind::Fenced(info),
                    CodeBlockKind::Indented => CodeBlockKind::Indented,
                })));
                out.extend(
                    events[start + 1..=end.min(events.len() - 1)]
                        .iter()
                        .cloned(),
                );
            }
        }
        end + 1
    }

    fn unique_id(&mut self, wanted: String) -> String {
        let base = if wanted.is_empty() {
            "section".to_string()
        } else {
            wanted
        };
        if self.used_ids.insert(base.clone()) {
            return base;
        }
        let n = self.next_suffix.entry(base.clone()).or_insert(2);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.used_ids.insert(id.clone()) {
                return id;
            }
        }
    }

    /// `<td>`, `<th>` or one with its column's alignment class.
    fn open_cell(&mut self) -> &'static str {
        let Some(table) = &mut self.table else {
            return "<td>";
        };
        let alignment = table.alignments.get(table.column).copied();
        table.column += 1;
        match (table.in_head, alignment) {
            // Header cells name their column for screen readers (WCAG 1.3.1).
            (true, Some(Alignment::Left)) => "<th scope=\"col\" class=\"align-left\">",
            (true, Some(Alignment::Center)) => "<th scope=\"col\" class=\"align-center\">",
            (true, Some(Alignment::Right)) => "<th scope=\"col\" class=\"align-right\">",
            (true, _) => "<th scope=\"col\">",
            (false, Some(Alignment::Left)) => "<td class=\"align-left\">",
            (false, Some(Alignment::Center)) => "<td class=\"align-center\">",
            (false, Some(Alignment::Right)) => "<td class=\"align-right\">",
            (false, _) => "<td>",
        }
    }

    /// An internal link's page URL, else the link itself if its scheme is safe.
    fn href<'a>(&self, dest: &CowStr<'a>) -> CowStr<'a> {
        match self.links.and_then(|links| links.rewrite(dest)) {
            Some(href) => CowStr::from(href),
            None => safe_url(dest),
        }
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(label.to_string()).or_insert(next)
    }
}

/// A heading id that stays readable in Chinese: letters, digits and CJK characters are
/// kept (Latin lowercased), runs of anything else become one `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

fn footnote_id(label: &str) -> String {
    let slug = slugify(label);
    if slug.is_empty() { "note".into() } else { slug }
}

/// Keeps relative links and http(s), mailto and tel; anything else (`javascript:`,
/// `data:`) becomes `#`, so content cannot smuggle script through a link.
fn safe_url<'a>(url: &CowStr<'a>) -> CowStr<'a> {
    let lower = url.trim_start().to_ascii_lowercase();
    let scheme_end = lower.find([':', '/', '?', '#']);
    let has_scheme = scheme_end.is_some_and(|i| lower.as_bytes().get(i) == Some(&b':'));
    if !has_scheme
        || ["http:", "https:", "mailto:", "tel:"]
            .iter()
            .any(|s| lower.starts_with(s))
    {
        url.clone()
    } else {
        CowStr::from("#")
    }
}

fn last_char(events: &[Event]) -> Option<char> {
    events.iter().rev().find_map(|e| match e {
        Event::Text(t) | Event::Code(t) => t.chars().last(),
        _ => None,
    })
}

fn next_char(events: &[Event]) -> Option<char> {
    events.iter().find_map(|e| match e {
        Event::Text(t) | Event::Code(t) => t.chars().next(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use crate::links::LinkIndex;

    fn render(markdown: &str, unsafe_html: bool) -> Rendered {
        let index = LinkIndex::default();
        let links = LinkContext::new(&index, std::path::Path::new("content/pages/a.md"), "../");
        super::render(
            markdown,
            &Settings::new(unsafe_html, &Limits::default()),
            &links,
        )
    }

    /// The class of a code block in an unknown language is its info string's first word,
    /// whatever white space follows it (found by the minify property test: a tab).
    #[test]
    fn an_unknown_language_class_is_the_first_word() {
        let html = render("~~~知~~\t知识产权\n代码\n~~~\n", false).html;
        assert!(html.contains("<code class=\"language-知~~\">"), "{html}");
        let html = render("```x y\n代码\n```\n", false).html;
        assert!(html.contains("<code class=\"language-x\">"), "{html}");
    }

    #[test]
    fn chinese_line_break_is_not_a_space() {
        let html = render("各县、区人民政府\n市各有关单位\n", false).html;
        assert!(html.contains("各县、区人民政府市各有关单位"), "{html}");
        let html = render("hello\nworld\n", false).html;
        assert!(html.contains("hello\nworld"), "{html}");
    }

    #[test]
    fn chinese_heading_ids_are_readable_and_unique() {
        let r = render(
            "## 一、主要职责\n\n## 一、主要职责\n\n## Rules (2014)\n",
            false,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["一-主要职责", "一-主要职责-2", "rules-2014"]);
        assert!(r.html.contains("<h2 id=\"一-主要职责\">"), "{}", r.html);
    }

    #[test]
    fn raw_html_is_escaped_unless_enabled() {
        let html = render("<script>alert(1)</script>\n\n段落<b>粗</b>\n", false).html;
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        let html = render("段落<b>粗</b>\n", true).html;
        assert!(html.contains("<b>粗</b>"), "{html}");
    }

    #[test]
    fn script_links_are_dropped() {
        let html = render(
            "[a](javascript:alert(1)) [b](https://x.cn/) [c](../a/)\n",
            false,
        )
        .html;
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("href=\"https://x.cn/\""));
        assert!(html.contains("href=\"../a/\""));
    }

    #[test]
    fn aligned_columns_get_classes_not_inline_styles() {
        let html = render(
            "| 单位 | 件数 | 备注 |\n|:---|---:|:-:|\n| 市科技局 | 3 | 无 |\n",
            false,
        )
        .html;
        assert!(!html.contains("style="), "{html}");
        assert!(
            html.contains("<th scope=\"col\" class=\"align-left\">单位</th>"),
            "{html}"
        );
        assert!(html.contains("<td class=\"align-right\">3</td>"), "{html}");
        assert!(
            html.contains("<td class=\"align-center\">无</td>"),
            "{html}"
        );
        assert!(html.contains("</tr></thead><tbody><tr>"), "{html}");
    }

    #[test]
    fn tables_footnotes_and_code() {
        let md = "| 单位 | 职责 |\n|---|---|\n| 市科技局 | 牵头 |\n\n正文[^1]\n\n[^1]: 注释\n\n```rust\nfn a() {}\n```\n";
        let r = render(md, false);
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("href=\"#fn-1\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-1\""), "{}", r.html);
        assert!(r.has_code);
    }
}
