//! What a Markdown text alone can tell before anything is rendered: how deep its elements
//! nest and how many headings it has, each against the site's [`Limits`].
//!
//! This runs at load, so `gongkai check` refuses what would crash or stall the render:
//! `check` and `build` share one validation. The renderer guards the same limits again
//! (see `render::markdown`), but only as a second line: content never reaches it past them.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

use crate::diagnostics::{Code, Diagnostic};
use crate::limits::Limits;
use crate::links::WrittenLink;
use crate::source::{Position, SourceFile};
use crate::text;

/// The Markdown extensions of every text: parsing for checks and for rendering must agree.
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// How Markdown is rendered on this site: site.yaml's switch and limits.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Raw HTML passes through (`unsafe_html: true`); escaped otherwise.
    pub unsafe_html: bool,
    /// Code blocks longer than this many bytes are shown plain, not highlighted.
    pub highlight_max: usize,
    /// Elements deeper than this are not opened (a second guard behind [`check`]).
    pub nesting: usize,
}

impl Settings {
    /// The settings of a site with this switch and these limits.
    pub fn new(unsafe_html: bool, limits: &Limits) -> Self {
        Settings {
            unsafe_html,
            highlight_max: limits.highlight_bytes(),
            nesting: limits.nesting,
        }
    }
}

impl Default for Settings {
    /// Raw HTML escaped, default limits.
    fn default() -> Self {
        Settings::new(false, &Limits::default())
    }
}

/// Where a Markdown text sits, for positions in its diagnostics.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// The body of a Markdown file, starting at this byte offset of the file.
    Body(usize),
    /// A Markdown field of a YAML file (a body's `duties`, a plan's `notes` …): its
    /// name, and where the field stands.
    Field(&'a str, Position),
}

/// What checking one Markdown text found.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// One error per limit exceeded.
    pub errors: Vec<Diagnostic>,
    /// Every link and image, for the resolver to check ([`crate::links`]).
    pub links: Vec<WrittenLink>,
}

/// Checks one Markdown text against `limits` and collects its links.
pub fn check(file: &SourceFile, text: &str, origin: Origin<'_>, limits: &Limits) -> Checked {
    let mut errors = Vec::new();
    let mut links = Vec::new();
    let mut depth = 0usize;
    let mut too_deep = false;
    let mut headings = 0usize;
    let mut too_many_headings = false;
    let at = |offset: usize| match origin {
        Origin::Body(start) => file.position_of(start + offset),
        Origin::Field(_, position) => position,
    };
    let field = match origin {
        Origin::Body(_) => text!("", ""),
        Origin::Field(name, _) => text!(" in `{name}`", "（`{name}` 字段）"),
    };
    for (event, range) in Parser::new_ext(text, OPTIONS).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &tag {
                    let position = at(range.start);
                    links.push(WrittenLink {
                        dest: dest_url.to_string(),
                        from: file.path.clone(),
                        position,
                        line_text: file.line_text(position.line).to_string(),
                    });
                }
                depth += 1;
                if depth > limits.nesting && !too_deep {
                    too_deep = true;
                    errors.push(
                        Diagnostic::error(
                            Code::TooDeep,
                            file,
                            at(range.start),
                            text!(
                                "Markdown{en} nests more than {n} elements deep here",
                                "Markdown{zh} 在此处嵌套超过 {n} 层",
                                en = field.en(),
                                zh = field.zh(),
                                n = limits.nesting
                            ),
                        )
                        .with_help(text!(
                            "flatten the quotes or lists, or raise `limits: nesting:` in site.yaml",
                            "请减少引用或列表的嵌套，或在 site.yaml 中调高 `limits: nesting:`"
                        )),
                    );
                }
                if matches!(tag, Tag::Heading { .. }) {
                    headings += 1;
                    if headings > limits.headings && !too_many_headings {
                        too_many_headings = true;
                        errors.push(
                            Diagnostic::error(
                                Code::TooManyHeadings,
                                file,
                                at(range.start),
                                text!(
                                    "Markdown{en} has more than {n} headings (this is the next)",
                                    "Markdown{zh} 的标题超过 {n} 个（此处是下一个）",
                                    en = field.en(),
                                    zh = field.zh(),
                                    n = limits.headings
                                ),
                            )
                            .with_help(text!(
                                "split the document, or raise `limits: headings:` in site.yaml",
                                "请拆分文档，或在 site.yaml 中调高 `limits: headings:`"
                            )),
                        );
                    }
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Checked { errors, links }
}

/// The readable text of a Markdown document, blocks separated by a line break: what
/// search indexes and shows in snippets.
pub fn plain_text(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let markdown = without_nul(markdown);
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(&markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak if text.chars().last().is_some_and(|c| !is_wide(c)) => {
                text.push(' ');
            }
            Event::HardBreak | Event::End(_) if !text.ends_with('\n') && !text.is_empty() => {
                text.push('\n');
            }
            _ => {}
        }
    }
    text.trim_end().to_string()
}

/// The text with every NUL replaced by U+FFFD (borrowed when there is none).
pub(crate) fn without_nul(markdown: &str) -> CowStr<'_> {
    if markdown.contains('\0') {
        CowStr::from(markdown.replace('\0', "\u{FFFD}"))
    } else {
        CowStr::Borrowed(markdown)
    }
}

/// Wide characters: CJK ideographs, kana, hangul and full-width punctuation, between which
/// a line break is not a space in Chinese typesetting.
pub(crate) fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_errors(body: &str, limits: &Limits) -> Vec<Diagnostic> {
        let text = format!("---\ntitle: x\n---\n{body}");
        let file = SourceFile::new("content/notices/a.md".into(), text);
        check(
            &file,
            body,
            Origin::Body(file.text.len() - body.len()),
            limits,
        )
        .errors
    }

    #[test]
    fn deep_quotes_and_lists_are_refused_where_they_get_too_deep() {
        let limits = Limits::default();
        let quotes = format!("第一段\n\n{}深\n", "> ".repeat(5_000));
        let errors = body_errors(&quotes, &limits);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].position.line, 6, "{}", errors[0]);
        assert!(
            errors[0].message.en().contains("64 elements"),
            "{}",
            errors[0]
        );
        let list: String = (0..2_000)
            .map(|i| format!("{}- 项\n", "  ".repeat(i)))
            .collect();
        assert_eq!(body_errors(&list, &limits).len(), 1);
        let fine = "> 引文\n>\n> - 一\n>   - 二\n";
        assert!(body_errors(fine, &limits).is_empty());
    }

    #[test]
    fn heading_count_has_a_limit() {
        let limits = Limits {
            headings: 10,
            ..Limits::default()
        };
        let many = "## 一\n\n".repeat(11);
        let errors = body_errors(&many, &limits);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].position.line, 4 + 20, "{}", errors[0]);
        assert!(body_errors(&"## 一\n\n".repeat(10), &limits).is_empty());
    }

    #[test]
    fn links_are_collected_with_their_lines() {
        let file = SourceFile::new(
            "content/notices/a.md".into(),
            "---\nt: x\n---\n正文[通知](notice:K1/2014-1)\n\n![图](@/attachments/a.png)\n".into(),
        );
        let body = &file.text[file.text.find("正文").unwrap_or(0)..];
        let checked = check(
            &file,
            body,
            Origin::Body(file.text.len() - body.len()),
            &Limits::default(),
        );
        let found: Vec<(&str, usize)> = checked
            .links
            .iter()
            .map(|l| (l.dest.as_str(), l.position.line))
            .collect();
        assert_eq!(found, [("notice:K1/2014-1", 4), ("@/attachments/a.png", 6)]);
    }

    #[test]
    fn a_yaml_field_is_located_at_the_field() {
        let file = SourceFile::new("content/bodies/b.yaml".into(), "name: x\n".into());
        let at = Position { line: 7, column: 5 };
        let errors = check(
            &file,
            &"> ".repeat(100),
            Origin::Field("duties", at),
            &Limits::default(),
        )
        .errors;
        assert_eq!(errors[0].position, at);
        assert!(
            errors[0].message.en().contains("in `duties`"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn plain_text_keeps_the_words_and_breaks_blocks() {
        let text = plain_text("# 标题\n\n第一段，\n接着写 `code`。\n\n- a\n- b\0\n");
        assert_eq!(text, "标题\n第一段，接着写 code。\na\nb\u{FFFD}");
        assert_eq!(plain_text("one\ntwo"), "one two");
    }
}
