//! What the markup readers (`.docx`, HTML) share: a table's rows placed on its grid as
//! a typed [`Table`] with one pipe line of text per row, and the clean-up the text path
//! does (conversion debris, `--simplify`) applied to a document and its cells.

use std::path::Path;

use crate::import::tables::{self, Cell, Layout, Row, Table, TableNote};
use crate::import::{Document, Guess, ImportError, ImportOptions, ImportReport, decode};
use crate::text;

/// How a cell is merged down (`w:vMerge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VMerge {
    /// `w:val="restart"`: the first cell of a vertical merge.
    Restart,
    /// No `w:val`, or `continue`: the cell of the row above goes on here.
    Continue,
}

/// A `w:tc` as read.
#[derive(Debug, Default)]
pub(crate) struct RawCell {
    /// Its paragraphs (lines of a paragraph with `w:br` are separate parts).
    pub parts: Vec<String>,
    /// Grid columns spanned (`w:gridSpan`), at least 1.
    pub span: usize,
    pub vmerge: Option<VMerge>,
    /// It holds a table of its own (flattened into `parts`).
    pub nested: bool,
    /// Its text is a number counted for Word's automatic numbering (`w:numPr`).
    pub numbered: bool,
}

/// A `w:tr` as read.
#[derive(Debug, Default)]
pub(crate) struct RawRow {
    pub cells: Vec<RawCell>,
    /// Empty grid columns before the first cell (`w:gridBefore`).
    pub before: usize,
}

/// A table's rows placed on its grid: one pipe line per row (numbered from
/// `first_line`) and the typed table (none when no row has a cell). Shared by the
/// `.docx` and HTML readers.
pub(crate) fn table(rows: &[RawRow], first_line: usize) -> (Vec<String>, Option<Table>) {
    let mut lines: Vec<String> = Vec::new();
    struct Slot {
        text: String,
        line: usize,
        own: bool,
        continued: bool,
        restart: bool,
        spanned: bool,
    }
    let mut grid: Vec<Vec<Slot>> = Vec::new();
    let mut row_lines = Vec::new();
    let mut notes = Vec::new();
    for row in rows.iter().filter(|r| !r.cells.is_empty()) {
        let line = first_line + lines.len();
        let mut slots: Vec<Slot> = Vec::new();
        let mut shown: Vec<String> = Vec::new();
        for _ in 0..row.before {
            slots.push(Slot {
                text: String::new(),
                line,
                own: false,
                continued: false,
                restart: false,
                spanned: false,
            });
        }
        for cell in &row.cells {
            let col = slots.len();
            let mut text = tables::join_parts(cell.parts.iter().map(String::as_str));
            let mut at = line;
            let continued = cell.vmerge == Some(VMerge::Continue);
            if continued {
                if let Some(above) = grid.last().and_then(|r| r.get(col)) {
                    text = above.text.clone();
                    at = above.line;
                }
                shown.push(String::new());
            } else {
                shown.push(text.clone());
            }
            if cell.numbered {
                notes.push(TableNote {
                    line,
                    what: text!(
                        "`{text}`: Word numbers this cell automatically and the number is not in the file; counted in its list",
                        "“{text}”：该单元格为 Word 自动编号，文件中没有编号本身；按所在列表计数得出"
                    ),
                });
            }
            if cell.nested {
                notes.push(TableNote {
                    line,
                    what: text!(
                        "a table inside a table cell: its text is joined into the cell",
                        "单元格中嵌有表格：其文字并入该单元格"
                    ),
                });
            }
            for k in 0..cell.span {
                // The spanned columns of a header cell are named by it (until a header
                // row below names them); in the body they stay empty.
                slots.push(Slot {
                    text: text.clone(),
                    line: at,
                    own: k == 0 && !continued,
                    continued,
                    restart: cell.vmerge == Some(VMerge::Restart),
                    spanned: k > 0,
                });
            }
        }
        lines.push(pipe_row(&shown));
        row_lines.push(line);
        grid.push(slots);
    }
    let (Some(&first), Some(&last)) = (row_lines.first(), row_lines.last()) else {
        return (lines, None);
    };
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    // The header: the first row and each row continuing one of its merged cells.
    let mut header_rows = 1;
    while let Some(row) = grid.get(header_rows) {
        let continues_header = row.iter().enumerate().any(|(c, s)| {
            s.continued
                && grid[..header_rows]
                    .iter()
                    .any(|h| h.get(c).is_some_and(|h| h.restart))
        });
        if !continues_header {
            break;
        }
        header_rows += 1;
    }
    let mut header = Vec::with_capacity(width);
    for c in 0..width {
        let named = grid[..header_rows]
            .iter()
            .rev()
            .filter_map(|r| r.get(c))
            .find(|s| s.own && !s.text.is_empty())
            .or_else(|| {
                grid[..header_rows]
                    .iter()
                    .rev()
                    .filter_map(|r| r.get(c))
                    .find(|s| !s.text.is_empty())
            });
        header.push(Cell {
            text: named.map(|s| s.text.clone()).unwrap_or_default(),
            line: first,
            continued: false,
        });
    }
    let mut body = Vec::new();
    for (slots, &line) in grid.iter().zip(&row_lines).skip(header_rows) {
        let mut cells: Vec<Cell> = slots
            .iter()
            .map(|s| Cell {
                text: if s.spanned {
                    String::new()
                } else {
                    s.text.clone()
                },
                line: s.line,
                continued: s.continued,
            })
            .collect();
        cells.resize(
            width,
            Cell {
                text: String::new(),
                line,
                continued: false,
            },
        );
        body.push(Row {
            cells,
            line,
            after_break: false,
        });
    }
    let table = Table {
        layout: Layout::Markup,
        header,
        rows: body,
        lines: (first, last),
        notes,
    };
    (lines, Some(table))
}

/// A table row as a line of the text: `| a | b | |` (an empty cell is `| |`).
pub(crate) fn pipe_row(cells: &[String]) -> String {
    let mut line = String::from("|");
    for cell in cells {
        let cell = cell.replace('\n', " ");
        if !cell.is_empty() {
            line.push(' ');
            line.push_str(&cell);
        }
        line.push_str(" |");
    }
    line
}

/// The clean-up of the text path for a document read from markup (`.docx`, HTML):
/// conversion debris removed from its text and cells, `--simplify` applied to both.
pub(crate) fn clean(
    file: &Path,
    mut document: Document,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Document, ImportError> {
    let (text, debris, first) = decode::remove_debris(&document.text);
    document.text = text;
    if debris > 0 {
        report.guesses.push(Guess {
            file: file.to_path_buf(),
            line: first,
            what: text!(
                "removed {debris} pieces of conversion debris such as `(fā)`",
                "已删除 {debris} 处转换残留（如“(fā)”）"
            ),
        });
    }
    let mut cells: Vec<&mut Cell> = Vec::new();
    for table in &mut document.tables {
        cells.extend(table.header.iter_mut());
        for row in &mut table.rows {
            cells.extend(row.cells.iter_mut());
        }
    }
    for cell in &mut cells {
        cell.text = decode::remove_debris(&cell.text).0;
    }
    if options.simplify {
        document.text = decode::simplify(&document.text).map_err(ImportError::Usage)?;
        // One conversion for all cells (each is one line): OpenCC's tables load once.
        let joined = cells
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let simplified = decode::simplify(&joined).map_err(ImportError::Usage)?;
        for (cell, text) in cells.iter_mut().zip(simplified.split('\n')) {
            cell.text = text.to_string();
        }
    }
    Ok(document)
}
