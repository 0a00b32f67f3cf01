//! Reading content files: front-matter split and byte offset → line:column.
//!
//! Positions are always those of the whole file, so a publisher's editor jumps to the
//! right line even for an error inside the front matter of a Markdown file.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, Text, closest};
use crate::text;

/// A 1-based line and column (in characters) in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters (a Chinese character is one column).
    pub column: usize,
}

impl Position {
    /// The first character of a file.
    pub const START: Position = Position { line: 1, column: 1 };

    /// Where the YAML parser says a value is. Unknown locations (line 0) fall back to
    /// the start of the file rather than pointing at a line that does not exist.
    pub fn of<T>(spanned: &Spanned<T>) -> Position {
        let loc = spanned.referenced;
        if loc.line() == 0 {
            return Position::START;
        }
        Position {
            line: usize::try_from(loc.line()).unwrap_or(usize::MAX),
            column: usize::try_from(loc.column()).unwrap_or(1).max(1),
        }
    }
}

/// A value from content together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Located<T> {
    /// The parsed value.
    pub value: T,
    /// Where it stands in its file.
    pub position: Position,
}

impl<T> Located<T> {
    /// Pairs a value with its position.
    pub fn new(value: T, position: Position) -> Self {
        Self { value, position }
    }
}

impl<T> From<Spanned<T>> for Located<T> {
    /// Keeps a YAML value with the position the parser reported for it.
    fn from(spanned: Spanned<T>) -> Self {
        let position = Position::of(&spanned);
        Located::new(spanned.value, position)
    }
}

/// One content file held in memory, with its path relative to the site root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, e.g. `content/notices/2014/a.md`.
    pub path: PathBuf,
    /// The whole text.
    pub text: String,
    line_starts: Vec<usize>,
    /// A hash of the path and text, computed once when the file is read: what tells a
    /// rebuild that the file's items changed without hashing every text again.
    hash: u64,
}

impl SourceFile {
    /// Wraps a file's text; `path` is what diagnostics print.
    pub fn new(path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = rustc_hash::FxHasher::default();
            (&path, &text).hash(&mut h);
            h.finish()
        };
        Self {
            path,
            text,
            line_starts,
            hash,
        }
    }

    /// The hash of the path and text (see the field).
    pub fn content_hash(&self) -> u64 {
        self.hash
    }

    /// Reads `root/relative`, naming `relative` in any error.
    pub fn read(root: &Path, relative: &Path) -> Result<Self, Diagnostic> {
        let (file, errors) = Self::read_within(root, relative, u64::MAX)?;
        match errors.into_iter().next() {
            Some(error) => Err(error),
            None => Ok(file),
        }
    }

    /// Reads `root/relative` if it is at most `max_bytes` long. Bytes that are not UTF-8
    /// come back as an error at their line and column, and the file is still returned,
    /// read with U+FFFD in their place, so that its id or 索引号 is known and references
    /// to it are not reported as unknown too.
    pub fn read_within(
        root: &Path,
        relative: &Path,
        max_bytes: u64,
    ) -> Result<(Self, Vec<Diagnostic>), Diagnostic> {
        let cannot_read = |e: std::io::Error| {
            Diagnostic::at_path(
                Code::ReadFailed,
                relative,
                text!("cannot read file: {e}", "无法读取文件：{e}"),
            )
        };
        let file = std::fs::File::open(root.join(relative)).map_err(cannot_read)?;
        let size = file.metadata().map_err(cannot_read)?.len();
        if size > max_bytes {
            return Err(Diagnostic::at_path(
                Code::FileTooLarge,
                relative,
                text!(
                    "file is {size}, more than the limit of {max}",
                    "文件大小为 {size}，超过上限 {max}",
                    size = crate::limits::megabytes(size),
                    max = crate::limits::megabytes(max_bytes)
                ),
            )
            .with_help(text!(
                "split it, or raise `limits: file_mb:` in site.yaml",
                "请拆分文件，或在 site.yaml 中调高 `limits: file_mb:`"
            )));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        std::io::Read::read_to_end(
            &mut std::io::Read::take(file, max_bytes.saturating_add(1)),
            &mut bytes,
        )
        .map_err(cannot_read)?;
        if bytes.starts_with("\u{feff}".as_bytes()) {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok((Self::new(relative.to_path_buf(), text), Vec::new())),
            Err(e) => {
                let bad = e.utf8_error().valid_up_to();
                let file = Self::new(
                    relative.to_path_buf(),
                    String::from_utf8_lossy(e.as_bytes()).into_owned(),
                );
                let error = Diagnostic::error(
                    Code::NotUtf8,
                    &file,
                    file.position_of(bad),
                    text!(
                        "file is not UTF-8: the byte here is not valid UTF-8",
                        "文件不是 UTF-8 编码：此处的字节不是有效的 UTF-8"
                    ),
                )
                .with_help(text!(
                    "save the file as UTF-8 (GBK/GB18030 files must be converted)",
                    "请将文件另存为 UTF-8（GBK/GB18030 文件须先转换）"
                ));
                Ok((file, vec![error]))
            }
        }
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = line.checked_sub(1).and_then(|i| self.line_starts.get(i)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Line and column of a byte offset into the text.
    pub fn position_of(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_index];
        let column = self.text[start..offset].chars().count() + 1;
        Position {
            line: line_index + 1,
            column,
        }
    }

    /// Splits `---` YAML front matter from a Markdown body.
    pub fn front_matter(&self) -> Result<FrontMatter<'_>, Diagnostic> {
        let text = self.text.as_str();
        let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
        if text[..first_end].trim_end() != "---" {
            return Err(Diagnostic::error(
                Code::FrontMatter,
                self,
                Position::START,
                text!(
                    "expected front matter: the file must start with a line `---`",
                    "缺少前置元数据：文件须以一行 `---` 开头"
                ),
            )
            .with_help(text!(
                "put the metadata (index_no, title, …) between two `---` lines",
                "把元数据（index_no、title 等）写在两行 `---` 之间"
            )));
        }
        let mut offset = first_end;
        for line in text[first_end..].split_inclusive('\n') {
            if line.trim_end() == "---" {
                let yaml = &text[first_end..offset];
                let body_start = offset + line.len();
                return Ok(FrontMatter {
                    yaml: format!("\n{yaml}"),
                    body: &text[body_start..],
                    body_offset: body_start,
                });
            }
            offset += line.len();
        }
        Err(Diagnostic::error(
            Code::FrontMatter,
            self,
            Position::START,
            text!(
                "front matter is not closed: no second `---` line",
                "前置元数据未结束：缺少第二行 `---`"
            ),
        ))
    }

    /// Parses YAML into `T`, turning a syntax or shape error into a positioned diagnostic.
    ///
    /// `yaml` must have the same line numbering as the file (see [`FrontMatter::yaml`]).
    pub fn parse_yaml<T: DeserializeOwned>(&self, yaml: &str) -> Result<T, Diagnostic> {
        // The default budget already caps nodes, depth and the alias/anchor ratio; content
        // files never need many aliases, so a YAML bomb is stopped early.
        let mut budget = serde_saphyr::Budget::default();
        budget.max_aliases = 1_000;
        budget.max_depth = 48;
        let options = serde_saphyr::options! { budget: Some(budget) };
        serde_saphyr::from_str_with_options(yaml, options).map_err(|e| self.yaml_error(&e))
    }

    fn yaml_error(&self, error: &serde_saphyr::Error) -> Diagnostic {
        let position = error
            .location()
            .filter(|l| l.line() > 0)
            .map_or(Position::START, |l| Position {
                line: usize::try_from(l.line()).unwrap_or(1),
                column: usize::try_from(l.column()).unwrap_or(1).max(1),
            });
        let message = first_line(&error.to_string());
        let en = text!(
            "invalid YAML: {message}",
            "YAML 有误：{message}",
            message = &message
        );
        // serde words these three the same in every crate ("unknown field `x`, expected
        // one of `a`, `b`"), so they get their own code and a Chinese sentence; the
        // parser's own syntax messages are passed on as they are.
        let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        // "…, expected one of a, b, c" / "…, expected `a` or `b`": the names the schema has.
        let expected: Vec<&str> = message
            .split_once(", expected ")
            .map(|(_, list)| {
                list.trim_start_matches("one of ")
                    .split([',', ' '])
                    .map(|name| name.trim_matches('`'))
                    .filter(|name| !name.is_empty() && *name != "or")
                    .collect()
            })
            .unwrap_or_default();
        match (message.split('`').next(), quoted.first()) {
            (Some("unknown field "), Some(field)) => {
                let help = closest(field, expected.iter().copied())
                    .map(|c| text!("did you mean `{c}`?", "是否应为 `{c}`？"));
                let listed = expected.join("`, `");
                let help = help.or_else(|| {
                    (!expected.is_empty()).then(|| {
                        text!(
                            "the fields here are `{listed}`",
                            "此处可用的字段：`{listed}`",
                            listed = &listed
                        )
                    })
                });
                Diagnostic::error(
                    Code::UnknownField,
                    self,
                    position,
                    Text::new(en.en().to_string(), format!("未知字段 `{field}`")),
                )
                .with_help_opt(help)
            }
            (Some("missing field "), Some(field)) => Diagnostic::error(
                Code::MissingField,
                self,
                position,
                Text::new(en.en().to_string(), format!("缺少必填字段 `{field}`")),
            ),
            _ if message.starts_with("invalid type") || message.starts_with("invalid value") => {
                Diagnostic::error(
                    Code::InvalidType,
                    self,
                    position,
                    text!(
                        "invalid YAML: {message}",
                        "值的类型不符：{message}",
                        message = &message
                    ),
                )
            }
            _ => Diagnostic::error(Code::YamlSyntax, self, position, en),
        }
    }
}

/// The parts of a Markdown file with front matter.
#[derive(Debug)]
pub struct FrontMatter<'a> {
    /// The YAML block, prefixed with one empty line so its line numbers are the file's.
    pub yaml: String,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// Byte offset of the body in the file, for positions inside the body.
    pub body_offset: usize,
}

fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    // serde-saphyr may also start with "error: line X column Y: ".
    let line = match line.strip_prefix("error: line ") {
        Some(rest) => rest.split_once(": ").map_or(line, |(_, message)| message),
        None => line,
    };
    // serde-saphyr appends " at line X column Y"; we print the position ourselves.
    match line.rfind(" at line ") {
        Some(i) => line[..i].to_string(),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let f = SourceFile::new("a".into(), "标题: 一\nissuer: x\n".into());
        assert_eq!(f.position_of(0), Position { line: 1, column: 1 });
        let offset = f.text.find('一').unwrap_or(0);
        assert_eq!(f.position_of(offset), Position { line: 1, column: 5 });
        assert_eq!(f.line_text(2), "issuer: x");
        assert_eq!(f.line_text(9), "");
    }

    #[test]
    fn front_matter_keeps_file_line_numbers() {
        let f = SourceFile::new("a.md".into(), "---\ntitle: a\nbad: [\n---\nbody\n".into());
        let fm = f.front_matter().expect("front matter");
        assert_eq!(fm.body, "body\n");
        let err = f
            .parse_yaml::<serde_json::Value>(&fm.yaml)
            .expect_err("unclosed flow sequence");
        assert!(err.position.line >= 3, "{err}");
    }

    #[test]
    fn missing_front_matter_is_an_error() {
        let f = SourceFile::new("a.md".into(), "# title\n".into());
        assert!(f.front_matter().is_err());
        let f = SourceFile::new("a.md".into(), "---\ntitle: a\n".into());
        assert!(f.front_matter().is_err());
    }
}
