//! Problems found in content, each pointing at `path:line:col` with the offending line.
//!
//! Every stage pushes into one [`Diagnostics`] list instead of returning at the first
//! problem, so a publisher sees every mistake of a commit in one run.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::source::{Position, SourceFile};

/// How bad a problem is: errors fail the build, warnings are only printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The site cannot be built until this is fixed.
    Error,
    /// Worth fixing (a notice without summary), but the build goes on.
    Warning,
}

/// One problem in one file, with where it is and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root (as the publisher knows it).
    pub path: PathBuf,
    /// 1-based line and column in the file (not in the front-matter block).
    pub position: Position,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The source line the position is on, shown under the message.
    pub line_text: String,
    /// A hint such as "did you mean `jx-kjj`?".
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `position` of `file`.
    pub fn error(file: &SourceFile, position: Position, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, position, message)
    }

    /// A warning at `position` of `file`.
    pub fn warning(file: &SourceFile, position: Position, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, position, message)
    }

    /// A problem about a whole file or folder that has no text to point into
    /// (unreadable file, missing `site.yaml`).
    pub fn at_path(path: &Path, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path: path.to_path_buf(),
            position: Position::START,
            message: message.into(),
            line_text: String::new(),
            help: None,
        }
    }

    /// A warning about a whole file that has no text to point into (a skipped symlink).
    pub fn warning_at_path(path: &Path, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::at_path(path, message)
        }
    }

    fn new(
        severity: Severity,
        file: &SourceFile,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            path: file.path.clone(),
            position,
            message: message.into(),
            line_text: file.line_text(position.line).to_string(),
            help: None,
        }
    }

    /// Adds a hint shown after the source line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this problem fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:col: error: message`, then the line with a caret, then the help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {label}: {}",
            printable(&self.path.display().to_string()),
            self.position.line,
            self.position.column,
            printable(&self.message)
        )?;
        if !self.line_text.is_empty() {
            let gutter = self.position.line.to_string();
            let pad = " ".repeat(gutter.len());
            // The caret counts characters of the line as written; an escaped control
            // character takes more columns, so pad by what is printed before it.
            let before: String = self
                .line_text
                .chars()
                .take(self.position.column.saturating_sub(1))
                .collect();
            let caret_indent: String = printable(&before)
                .chars()
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(
                f,
                "\n{pad} |\n{gutter} | {}\n{pad} | {caret_indent}^",
                printable(&self.line_text)
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {}", printable(help))?;
        }
        Ok(())
    }
}

/// Text from content made safe for a terminal: control characters (ESC, BEL, NUL …) and
/// the bidirectional overrides that reorder what is shown are written as `\u{1b}`, so a
/// file cannot retitle, clear or disguise the publisher's terminal. Tabs stay.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Every problem found so far, in the order files were read.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Moves every problem of `other` into this list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether any problem fails the build.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Every problem, errors and warnings.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    /// Number of problems.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts by path, then position, so output does not depend on parallel scheduling.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.path, a.position, a.severity).cmp(&(&b.path, b.position, b.severity))
        });
        self.items.dedup();
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// "missing required field `title`", pointing at the start of the file (a missing field
/// has no line of its own).
pub fn missing_field(file: &SourceFile, field: &str) -> Diagnostic {
    Diagnostic::error(
        file,
        Position::START,
        format!("missing required field `{field}`"),
    )
}

/// "unknown <what> `value`" for a value outside a fixed list, suggesting the closest key
/// or, failing that, listing them all.
pub fn unknown_value(
    file: &SourceFile,
    position: Position,
    what: &str,
    value: &str,
    keys: &[&str],
) -> Diagnostic {
    let help = did_you_mean(value, keys.iter().copied())
        .unwrap_or_else(|| format!("use one of: {}", keys.join(", ")));
    Diagnostic::error(file, position, format!("unknown {what} `{value}`")).with_help(help)
}

/// The known id closest to `unknown`, if any is close enough to be a likely typo.
pub fn closest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in known {
        let score = strsim::normalized_damerau_levenshtein(unknown, candidate);
        let contains =
            !unknown.is_empty() && (candidate.contains(unknown) || unknown.contains(candidate));
        let score = if contains { score.max(0.7) } else { score };
        if best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.filter(|(score, _)| *score >= 0.5).map(|(_, c)| c)
}

/// "did you mean `x`?" for an unknown reference, if some known id is close.
pub fn did_you_mean<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(unknown, known).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_id() {
        let known = ["jx-kjj", "lyg-kjj", "lyg-gov"];
        assert_eq!(closest("jx-kj", known), Some("jx-kjj"));
        assert_eq!(closest("lyg-gv", known), Some("lyg-gov"));
        assert_eq!(closest("zzzzzzzzz", known), None);
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let file = SourceFile::new(
            "content/units/a.yaml".into(),
            "parent: \u{1b}]0;pwned\u{7}\u{1b}[2J\n".into(),
        );
        let d = Diagnostic::error(
            &file,
            Position { line: 1, column: 9 },
            "unknown unit `\u{1b}]0;pwned\u{7}`",
        );
        let text = d.to_string();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(
            text.contains("unknown unit `\\u{1b}]0;pwned\\u{7}`"),
            "{text}"
        );
        assert!(text.contains("1 | parent: \\u{1b}]0;pwned"), "{text}");
        assert_eq!(printable("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(printable("发布机构\t"), "发布机构\t");
    }

    #[test]
    fn renders_path_line_col_and_the_line() {
        let file = SourceFile::new(
            "notices/a.md".into(),
            "---\ntitle: x\nissuer: nobody\n".into(),
        );
        let d = Diagnostic::error(
            &file,
            Position { line: 3, column: 9 },
            "unknown unit `nobody`",
        )
        .with_help("did you mean `lyg-gov`?");
        let text = d.to_string();
        assert!(text.starts_with("notices/a.md:3:9: error: unknown unit `nobody`"));
        assert!(text.contains("3 | issuer: nobody"));
        assert!(text.contains("        ^"));
        assert!(text.ends_with("help: did you mean `lyg-gov`?"));
    }
}
