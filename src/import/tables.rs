//! Tables in imported text, in the three layouts old documents come in, read into one
//! typed [`Table`] that every later step (plans, notices' metadata, GFM tables) reads.
//!
//! - **Box drawing** (`┌─┬─┐ │ … │ ├─┼─┤ └─┴─┘`, and ASCII `+---+` / `|`): a cell wraps
//!   across as many lines as it needs; a rule that crosses only some columns
//!   (`│ │ ├───┼───┤`) leaves the others merged, so a 类号 cell spans its tasks; a `┴`
//!   in a rule merges two columns below it. Column widths are *not* trusted: text copied
//!   from Word keeps the number of `│` per line but not their positions, so cells are
//!   counted, never measured.
//! - **Pipe rows** (`| 索引号 | k124/2014-00065 |`), GFM delimiter rows skipped.
//! - **One cell per line** (`序号` / `|` / `工作任务` / `|` …, rows separated by blank
//!   lines): what a web page's table becomes when copied as text. A cell may hold several
//!   lines (targets numbered 1.… 2.… inside it).
//!
//! A table that goes on after a page break — a closing rule and a repeated header, a
//! repeated header row, a blank line or a `第 N 页` line in its middle — is read as one
//! table; the row after the break is marked ([`Row::after_break`]) so that
//! [`Table::join_continuations`] can join a row the break split.

use crate::diagnostics::Text;
use crate::import::decode::tidy;
use crate::text;

/// How a table was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Box-drawing characters (or ASCII `+-|`).
    Box,
    /// One row per line between `|`.
    Pipe,
    /// One cell per line, `|` lines between cells, blank lines between rows.
    Flat,
    /// Built from a file's own table markup (`.docx` `w:tbl`, HTML `<table>`): cells,
    /// spans and merges as the file has them, nothing guessed from the layout of text.
    Markup,
}

/// One cell: its text with wrapped lines joined and tidied ([`tidy`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cell {
    /// The text, one line.
    pub text: String,
    /// The 1-based source line where its text starts (the row's line when empty).
    pub line: usize,
    /// This cell is the one of the row above, merged across rows (a 类号 spanning its
    /// tasks): its text is the whole merged cell's, repeated.
    pub continued: bool,
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    /// One cell per column of the header.
    pub cells: Vec<Cell>,
    /// The 1-based source line the row starts on.
    pub line: usize,
    /// The row is the first after a page break (a repeated header, a blank or `第 N 页`
    /// line): it may be the rest of the row above.
    pub after_break: bool,
}

/// Something the reader could not read as written and what it did instead: the
/// import shows it as a guess with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableNote {
    /// 1-based source line.
    pub line: usize,
    /// What was done.
    pub what: Text,
}

/// A table found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    /// How it was written.
    pub layout: Layout,
    /// The header row's cells (the first row of a pipe or flat table).
    pub header: Vec<Cell>,
    /// The rows under the header, with repeated headers removed.
    pub rows: Vec<Row>,
    /// First and last source line of the table (1-based, inclusive).
    pub lines: (usize, usize),
    /// Cells it could not place where written, and rows it joined.
    pub notes: Vec<TableNote>,
}

impl Table {
    /// The index of the first column whose header, without spaces, is one of `names`
    /// or starts with one of them.
    pub(crate) fn column(&self, names: &[&str]) -> Option<usize> {
        let exact = self
            .header
            .iter()
            .position(|h| names.iter().any(|n| h.text == *n));
        exact.or_else(|| {
            self.header
                .iter()
                .position(|h| names.iter().any(|n| h.text.starts_with(n)))
        })
    }

    /// Joins each row whose `key` cell is empty into the row above — the rest of a row a
    /// page break split, or a wrapped line of a pipe table — appending the text of
    /// `columns` (not of the merged columns, which a break repeats). Returns the lines of
    /// the rows joined.
    pub(crate) fn join_continuations(&mut self, key: usize, columns: &[usize]) -> Vec<usize> {
        let mut joined = Vec::new();
        let mut rows: Vec<Row> = Vec::with_capacity(self.rows.len());
        for row in std::mem::take(&mut self.rows) {
            let empty_key = row.cells.get(key).is_none_or(|c| c.text.is_empty());
            let has_text = columns
                .iter()
                .any(|&c| row.cells.get(c).is_some_and(|c| !c.text.is_empty()));
            match rows.last_mut() {
                Some(previous) if empty_key && has_text => {
                    for &c in columns {
                        let (Some(cell), Some(into)) =
                            (row.cells.get(c), previous.cells.get_mut(c))
                        else {
                            continue;
                        };
                        if cell.text.is_empty() || cell.continued {
                            continue;
                        }
                        if into.text.is_empty() {
                            into.line = cell.line;
                        }
                        into.text = join_parts([into.text.as_str(), cell.text.as_str()]);
                    }
                    joined.push(row.line);
                }
                _ => rows.push(row),
            }
        }
        self.rows = rows;
        joined
    }

    /// Fills each empty cell of column `col` with the cell above, marked continued: the
    /// merged cells of pipe and flat tables, written once and left empty below.
    pub(crate) fn fill_down(&mut self, col: usize) {
        let mut above: Option<Cell> = None;
        for row in &mut self.rows {
            let Some(cell) = row.cells.get_mut(col) else {
                continue;
            };
            if cell.text.is_empty() {
                if let Some(a) = &above {
                    cell.text = a.text.clone();
                    cell.line = a.line;
                    cell.continued = true;
                }
            } else {
                above = Some(cell.clone());
            }
        }
    }
}

/// Every table in `text`, in order; lines are numbered from 1.
pub(crate) fn find_tables(text: &str) -> Vec<Table> {
    let lines: Vec<&str> = text.lines().collect();
    let mut tables: Vec<Table> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let found = if starts_box(lines[i]) {
            Some(read_box(&lines, i))
        } else if is_pipe_row(lines[i]) {
            Some(read_pipe(&lines, i))
        } else if starts_flat(&lines, i) {
            Some(read_flat(&lines, i))
        } else {
            None
        };
        let Some((table, next)) = found else {
            i += 1;
            continue;
        };
        let next = next.max(i + 1);
        match tables.last_mut() {
            Some(last) if continues(last, &table, &lines) => append(last, table),
            _ => {
                if !table.header.is_empty() {
                    tables.push(table);
                }
            }
        }
        i = next;
    }
    tables
}

/// A page's furniture between two parts of a table: a blank line, `第 3 页`, `- 3 -`,
/// `3/12`, `续表`, `（续）`.
pub(crate) fn is_page_break(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() || t == "续表" || t == "（续表）" || t == "(续表)" || t == "（续）" {
        return true;
    }
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if let Some(rest) = t.strip_prefix('第')
        && let Some(n) = rest.split('页').next()
        && digits(n)
        && rest.contains('页')
    {
        return true;
    }
    if let Some(n) = t.strip_prefix('-').and_then(|r| r.strip_suffix('-'))
        && digits(n)
    {
        return true;
    }
    if let Some((a, b)) = t.split_once('/')
        && digits(a)
        && digits(b)
    {
        return true;
    }
    false
}

/// Whether `next` is the same table as `last` going on after a page break: same layout
/// and header, only page furniture between them.
fn continues(last: &Table, next: &Table, lines: &[&str]) -> bool {
    if last.layout != next.layout || last.header.len() != next.header.len() {
        return false;
    }
    let same_header = last
        .header
        .iter()
        .zip(&next.header)
        .all(|(a, b)| a.text == b.text);
    let between = lines
        .get(last.lines.1..next.lines.0.saturating_sub(1))
        .unwrap_or(&[]);
    same_header && between.iter().all(|l| is_page_break(l))
}

/// Appends the rows of `next` (a continuation) to `last`.
fn append(last: &mut Table, mut next: Table) {
    if let Some(first) = next.rows.first_mut() {
        first.after_break = true;
    }
    last.rows.append(&mut next.rows);
    last.notes.append(&mut next.notes);
    last.lines.1 = next.lines.1;
}

/// Joins a cell's wrapped lines: Chinese lines join without a space, two ASCII words keep
/// one, then [`tidy`].
pub(crate) fn join_parts<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let ascii_seam = out
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && part
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if ascii_seam {
            out.push(' ');
        }
        out.push_str(part);
    }
    tidy(&out)
}

// ---------------------------------------------------------------------------------------
// Box drawing

/// Box characters that separate cells (every junction and vertical stroke).
const UNICODE_BOUNDS: &str = "│┃║├┤┼┌┐└┘┬┴┠┨┿╂╋┣┫┳┻┏┓┗┛╔╗╚╝╠╣╦╩╬╟╢╤╧╪╫";
/// Of those, the ones with no stroke going down: a column boundary that ends here.
const ENDING_BOUNDS: &str = "└┘┴┗┛┻╚╝╩╧";
/// Characters of a horizontal rule.
const RULE: &str = "─━═┄┅┈┉-=";

/// `┌…` or an ASCII `+---+`.
fn starts_box(line: &str) -> bool {
    let t = line.trim();
    t.starts_with(['┌', '╔', '┏']) || is_ascii_rule(t)
}

fn is_ascii_rule(t: &str) -> bool {
    t.starts_with('+') && t.len() > 2 && t.chars().all(|c| matches!(c, '+' | '-' | '=' | ' '))
}

/// One segment of a box line: a piece of rule (the cell above ends) or text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Rule,
    Text(String),
}

/// A line of a box table split at its boundaries.
struct Phys {
    line: usize,
    segs: Vec<Seg>,
    bounds: Vec<char>,
    break_before: bool,
}

/// Splits a box line at its boundary characters; the ASCII flavour splits rule lines at
/// `+` and text lines at `|` (so `9+2` in text stays whole).
fn split_box_line(line: &str, ascii: bool) -> (Vec<Seg>, Vec<char>) {
    let t = line.trim();
    let rule_line = ascii && is_ascii_rule(t);
    let is_bound = |c: char| {
        if ascii {
            if rule_line { c == '+' } else { c == '|' }
        } else {
            UNICODE_BOUNDS.contains(c)
        }
    };
    let mut segs = Vec::new();
    let mut bounds = Vec::new();
    let mut current: Option<String> = None;
    for c in t.chars() {
        if is_bound(c) {
            bounds.push(c);
            if let Some(s) = current.take() {
                segs.push(classify(&s));
            }
            current = Some(String::new());
        } else if let Some(s) = current.as_mut() {
            s.push(c);
        }
    }
    (segs, bounds)
}

fn classify(s: &str) -> Seg {
    let t = s.trim();
    if !t.is_empty() && t.chars().all(|c| RULE.contains(c)) {
        Seg::Rule
    } else {
        Seg::Text(s.to_string())
    }
}

/// Whether a line belongs to a box table in this flavour.
fn is_box_line(line: &str, ascii: bool) -> bool {
    let t = line.trim();
    if ascii {
        t.starts_with('|') || is_ascii_rule(t)
    } else {
        t.starts_with(|c: char| UNICODE_BOUNDS.contains(c))
    }
}

/// Reads the box table starting at `start`; returns it and the index after it.
fn read_box(lines: &[&str], start: usize) -> (Table, usize) {
    let ascii = !lines[start]
        .trim()
        .starts_with(|c: char| UNICODE_BOUNDS.contains(c));
    let mut phys: Vec<Phys> = Vec::new();
    let mut i = start;
    let mut pending_break = false;
    while i < lines.len() {
        let line = lines[i];
        if is_box_line(line, ascii) {
            let t = line.trim();
            // A second top rule is a new table (maybe the same one after a page break).
            if i > start && (t.starts_with(['┌', '╔', '┏'])) {
                break;
            }
            let (segs, bounds) = split_box_line(line, ascii);
            phys.push(Phys {
                line: i + 1,
                segs,
                bounds,
                break_before: std::mem::take(&mut pending_break),
            });
            i += 1;
            if t.starts_with(['└', '╚', '┗']) {
                break;
            }
            continue;
        }
        // Page furniture inside the table: go on if the table does.
        if is_page_break(line) {
            let mut j = i;
            while j < lines.len() && is_page_break(lines[j]) && !is_box_line(lines[j], ascii) {
                j += 1;
            }
            let resumes = lines
                .get(j)
                .is_some_and(|l| is_box_line(l, ascii) && !l.trim().starts_with(['┌', '╔', '┏']));
            if resumes && j > i {
                pending_break = true;
                i = j;
                continue;
            }
        }
        break;
    }
    let end = i;
    (build_box(phys, start + 1, end), end)
}

/// Turns the split lines of a box table into header, cells and rows.
fn build_box(phys: Vec<Phys>, first_line: usize, end: usize) -> Table {
    let mut notes = Vec::new();
    let empty = Table {
        layout: Layout::Box,
        header: Vec::new(),
        rows: Vec::new(),
        lines: (first_line, end),
        notes: Vec::new(),
    };
    // The header: the text lines after the top rule, up to the first rule.
    let body_start = phys
        .iter()
        .skip(1)
        .position(|p| p.segs.contains(&Seg::Rule));
    let Some(header_end) = body_start.map(|p| p + 1) else {
        return empty;
    };
    let header_lines = &phys[1.min(header_end)..header_end];
    let Some(n) = header_lines
        .first()
        .map(|p| p.segs.len())
        .filter(|&n| n > 0)
    else {
        return empty;
    };
    // Each line's segments, one per column.
    let mut groups: Vec<Vec<usize>> = (0..n).map(|c| vec![c]).collect();
    let mut grid: Vec<(usize, Vec<Seg>, bool)> = Vec::new();
    for p in &phys {
        let cols = if p.segs.len() == n {
            p.segs.clone()
        } else if p.segs.iter().all(|s| *s == Seg::Rule) {
            vec![Seg::Rule; n]
        } else if p.segs.len() == groups.len() {
            let mut cols = vec![Seg::Text(String::new()); n];
            for (seg, group) in p.segs.iter().zip(&groups) {
                cols[group[0]] = seg.clone();
            }
            cols
        } else {
            let count = p.segs.len();
            notes.push(TableNote {
                line: p.line,
                what: text!(
                    "{count} cells where the table has {n} columns: placed from the left",
                    "此行有 {count} 个单元格而表格有 {n} 列：已从左起依次放置"
                ),
            });
            let mut cols: Vec<Seg> = p.segs.iter().take(n).cloned().collect();
            cols.resize(n, Seg::Text(String::new()));
            cols
        };
        if p.bounds.len() == n + 1 {
            groups = column_groups(&p.bounds);
        } else if p.segs.len() == n {
            groups = (0..n).map(|c| vec![c]).collect();
        }
        grid.push((p.line, cols, p.break_before));
    }
    let text_of = |seg: &Seg| match seg {
        Seg::Text(t) => t.trim().to_string(),
        Seg::Rule => String::new(),
    };
    let header: Vec<Cell> = (0..n)
        .map(|c| {
            let parts: Vec<String> = grid[1..header_end]
                .iter()
                .map(|g| text_of(&g.1[c]))
                .collect();
            let text: String = join_parts(parts.iter().map(String::as_str))
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            Cell {
                text,
                line: grid[1].0,
                continued: false,
            }
        })
        .collect();
    let body = &grid[header_end..];
    // Cells of each column: runs of lines between that column's rules.
    let mut cell_of: Vec<Vec<Option<usize>>> = vec![vec![None; body.len()]; n];
    let mut cells: Vec<Vec<(String, usize)>> = vec![Vec::new(); n];
    for c in 0..n {
        let mut current: Option<usize> = None;
        let mut parts: Vec<(usize, String)> = Vec::new();
        let flush = |parts: &mut Vec<(usize, String)>, cells: &mut Vec<(String, usize)>| {
            let line = parts
                .iter()
                .find(|(_, t)| !t.is_empty())
                .or(parts.first())
                .map_or(0, |(l, _)| *l);
            let text = join_parts(parts.iter().map(|(_, t)| t.as_str()));
            cells.push((text, line));
            parts.clear();
        };
        for (k, (line, cols, _)) in body.iter().enumerate() {
            match &cols[c] {
                Seg::Rule => {
                    if current.take().is_some() {
                        flush(&mut parts, &mut cells[c]);
                    }
                }
                Seg::Text(t) => {
                    let index = *current.get_or_insert(cells[c].len());
                    cell_of[c][k] = Some(index);
                    parts.push((*line, t.trim().to_string()));
                }
            }
        }
        if current.is_some() {
            flush(&mut parts, &mut cells[c]);
        }
    }
    // Rows: runs of lines with no rule in any column.
    let mut rows: Vec<Row> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; n];
    let mut k = 0;
    let mut pending_break = false;
    while k < body.len() {
        pending_break |= body[k].2;
        if body[k].1.contains(&Seg::Rule) {
            k += 1;
            continue;
        }
        let start = k;
        while k < body.len() && !body[k].1.contains(&Seg::Rule) {
            k += 1;
        }
        let line = (start..k)
            .find(|&j| body[j].1.iter().any(|s| !text_of(s).is_empty()))
            .map_or(body[start].0, |j| body[j].0);
        let mut row_cells = Vec::with_capacity(n);
        let mut anything_new = false;
        for c in 0..n {
            let index = cell_of[c][start];
            let continued = index.is_some() && index == previous[c];
            let (text, cell_line) = index
                .and_then(|i| cells[c].get(i).cloned())
                .unwrap_or_else(|| (String::new(), line));
            if !continued && !text.is_empty() {
                anything_new = true;
            }
            previous[c] = index;
            row_cells.push(Cell {
                text,
                line: cell_line.max(1),
                continued,
            });
        }
        if anything_new {
            rows.push(Row {
                cells: row_cells,
                line,
                after_break: std::mem::take(&mut pending_break),
            });
        }
    }
    let mut table = Table {
        layout: Layout::Box,
        header,
        rows,
        lines: (first_line, end),
        notes,
    };
    drop_repeated_headers(&mut table);
    table
}

/// The columns below a rule line: a `┴` ends the boundary between two columns, which
/// then form one cell below.
fn column_groups(bounds: &[char]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (c, _) in bounds
        .iter()
        .enumerate()
        .take(bounds.len().saturating_sub(1))
    {
        let starts_new = c == 0 || !ENDING_BOUNDS.contains(bounds[c]);
        match groups.last_mut() {
            Some(group) if !starts_new => group.push(c),
            _ => groups.push(vec![c]),
        }
    }
    groups
}

/// Removes rows that repeat the header (a page's repeated header inside one table) and
/// marks the row after each as following a break.
fn drop_repeated_headers(table: &mut Table) {
    let header: Vec<String> = table.header.iter().map(|c| squash(&c.text)).collect();
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut broke = false;
    for mut row in std::mem::take(&mut table.rows) {
        let repeats = row.cells.len() == header.len()
            && row
                .cells
                .iter()
                .zip(&header)
                .all(|(c, h)| squash(&c.text) == *h);
        if repeats {
            broke = true;
            continue;
        }
        row.after_break |= std::mem::take(&mut broke);
        rows.push(row);
    }
    table.rows = rows;
}

/// Text without any whitespace, for comparing headers.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

// ---------------------------------------------------------------------------------------
// Pipe rows

/// `| a | b |`: starts with a pipe and has another one.
fn is_pipe_row(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.matches('|').count() >= 2 && !is_ascii_rule(t)
}

/// `|---|:--:|`.
fn is_delimiter_row(line: &str) -> bool {
    line.trim()
        .chars()
        .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '='))
}

fn pipe_cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(|c| c.trim().to_string()).collect()
}

fn read_pipe(lines: &[&str], start: usize) -> (Table, usize) {
    let mut rows: Vec<Row> = Vec::new();
    let mut i = start;
    let mut pending_break = false;
    while i < lines.len() {
        let line = lines[i];
        if is_pipe_row(line) {
            if !is_delimiter_row(line) {
                let cells = pipe_cells(line)
                    .into_iter()
                    .map(|t| Cell {
                        text: tidy(&t),
                        line: i + 1,
                        continued: false,
                    })
                    .collect();
                rows.push(Row {
                    cells,
                    line: i + 1,
                    after_break: std::mem::take(&mut pending_break),
                });
            }
            i += 1;
            continue;
        }
        if is_page_break(line) {
            let mut j = i;
            while j < lines.len() && is_page_break(lines[j]) {
                j += 1;
            }
            if j > i && lines.get(j).is_some_and(|l| is_pipe_row(l)) {
                pending_break = true;
                i = j;
                continue;
            }
        }
        break;
    }
    let mut rows = rows.into_iter();
    let header = rows
        .next()
        .map(|r| {
            r.cells
                .into_iter()
                .map(|c| Cell {
                    text: squash(&c.text),
                    ..c
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let n = header.len();
    let mut notes = Vec::new();
    let rows: Vec<Row> = rows
        .map(|mut r| {
            if r.cells.len() != n {
                let count = r.cells.len();
                notes.push(TableNote {
                    line: r.line,
                    what: text!(
                        "{count} cells where the header has {n}: placed from the left",
                        "此行有 {count} 个单元格而表头有 {n} 个：已从左起依次放置"
                    ),
                });
                let line = r.line;
                r.cells.resize(
                    n,
                    Cell {
                        text: String::new(),
                        line,
                        continued: false,
                    },
                );
            }
            r
        })
        .collect();
    let mut table = Table {
        layout: Layout::Pipe,
        header,
        rows,
        lines: (start + 1, i),
        notes,
    };
    drop_repeated_headers(&mut table);
    (table, i)
}

// ---------------------------------------------------------------------------------------
// One cell per line

/// A line that is a lone `|`: the separator of the flat layout.
fn is_bar(line: &str) -> bool {
    line.trim() == "|"
}

/// A flat table starts with a cell line followed by a `|` line.
fn starts_flat(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    !line.is_empty()
        && !is_bar(line)
        && !is_page_break(line)
        && lines.get(i + 1).is_some_and(|l| is_bar(l))
}

/// One blank-line-separated group of a flat table: its cells (lines of each).
struct Record {
    cells: Vec<Vec<(usize, String)>>,
    /// Ends with a `|` line: its last cell is an empty one still to be filled.
    open_end: bool,
    bars: usize,
    line: usize,
}

fn read_records(lines: &[&str], start: usize) -> (Vec<(Record, bool)>, usize) {
    let mut records = Vec::new();
    let mut i = start;
    loop {
        // Skip page furniture between records.
        let mut page = false;
        while i < lines.len() && is_page_break(lines[i]) {
            page |= !lines[i].trim().is_empty();
            i += 1;
        }
        if i >= lines.len() {
            break;
        }
        let mut record = Record {
            cells: vec![Vec::new()],
            open_end: false,
            bars: 0,
            line: i + 1,
        };
        while i < lines.len() && !lines[i].trim().is_empty() && !is_page_break(lines[i]) {
            if is_bar(lines[i]) {
                record.cells.push(Vec::new());
                record.bars += 1;
                record.open_end = true;
            } else {
                if let Some(last) = record.cells.last_mut() {
                    last.push((i + 1, lines[i].trim().to_string()));
                }
                record.open_end = false;
            }
            i += 1;
        }
        records.push((record, page));
    }
    (records, i)
}

fn read_flat(lines: &[&str], start: usize) -> (Table, usize) {
    let (records, _) = read_records(lines, start);
    let mut notes = Vec::new();
    let mut records = records.into_iter().peekable();
    let Some((header_record, _)) = records.next() else {
        return (
            Table {
                layout: Layout::Flat,
                header: Vec::new(),
                rows: Vec::new(),
                lines: (start + 1, start + 1),
                notes,
            },
            start + 1,
        );
    };
    let cell_text = |parts: &[(usize, String)]| join_parts(parts.iter().map(|(_, t)| t.as_str()));
    let cell_line =
        |parts: &[(usize, String)], fallback: usize| parts.first().map_or(fallback, |p| p.0);
    let header: Vec<Cell> = header_record
        .cells
        .iter()
        .map(|parts| Cell {
            text: squash(&cell_text(parts)),
            line: cell_line(parts, header_record.line),
            continued: false,
        })
        .collect();
    let n = header.len();
    let mut rows: Vec<Row> = Vec::new();
    let mut end_line = header_record
        .cells
        .iter()
        .flatten()
        .map(|p| p.0)
        .max()
        .unwrap_or(start + 1);
    while let Some((mut record, after_break)) = records.next() {
        if record.bars == 0 && record.cells.len() < n {
            // A paragraph after the table, unless it is needed to complete a split row.
            break;
        }
        // A row a blank or `第 N 页` line split: join the next record(s) into it.
        while record.cells.len() < n {
            let Some((more, _)) =
                records.next_if(|(r, _)| r.cells.len() + record.cells.len() <= n + 1)
            else {
                break;
            };
            notes.push(TableNote {
                line: more.line,
                what: text!(
                    "joined to the row above, split by a page break",
                    "与上一行合并（该行被分页断开）"
                ),
            });
            let mut more_cells = more.cells.into_iter();
            if record.open_end {
                record.cells.pop();
            } else if let (Some(last), Some(first)) = (record.cells.last_mut(), more_cells.next()) {
                last.extend(first);
            }
            record.cells.extend(more_cells);
            record.open_end = more.open_end;
        }
        if record.cells.len() != n {
            let count = record.cells.len();
            notes.push(TableNote {
                line: record.line,
                what: text!(
                    "{count} cells where the header has {n}: placed from the left",
                    "此行有 {count} 个单元格而表头有 {n} 个：已从左起依次放置"
                ),
            });
            record.cells.resize(n, Vec::new());
        }
        end_line = record
            .cells
            .iter()
            .flatten()
            .map(|p| p.0)
            .max()
            .unwrap_or(end_line)
            .max(end_line);
        let line = record.line;
        rows.push(Row {
            cells: record
                .cells
                .iter()
                .map(|parts| Cell {
                    text: cell_text(parts),
                    line: cell_line(parts, line),
                    continued: false,
                })
                .collect(),
            line,
            after_break,
        });
    }
    let mut table = Table {
        layout: Layout::Flat,
        header,
        rows,
        lines: (start + 1, end_line),
        notes,
    };
    drop_repeated_headers(&mut table);
    (table, end_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(row: &Row) -> Vec<&str> {
        row.cells.iter().map(|c| c.text.as_str()).collect()
    }

    /// Two pages of a box table: 类号 merged across a partial rule, a cell wrapping
    /// across five lines, an empty 配合单位, and a row a page break split (its 序号 cell
    /// empty on the second page).
    const BOX: &str = "\
┌──┬──────┬──┬────────┬──────┬──────┐
│类号│ 项目分类 │序号│ 工 作 内 容 │ 负责单位 │ 配合单位 │
├──┼──────┼──┼────────┼──────┼──────┤
│ │ │ │ 第一行, │市科技局│ │
│一 │建立健全 │ 1 │ 第二行 │ │ │
│ │ │ │ 第三行 │ │ │
│ │ │ │ 第四行 │ │ │
│ │ │ │ 第五行。 │ │ │
│ │ ├──┼────────┼──────┼──────┤
│ │管理体系 │ 2 │ 分页前的 │市财政局│市统计局│
└──┴──────┴──┴────────┴──────┴──────┘
第 2 页
┌──┬──────┬──┬────────┬──────┬──────┐
│类号│ 项目分类 │序号│ 工 作 内 容 │ 负责单位 │ 配合单位 │
├──┼──────┼──┼────────┼──────┼──────┤
│一（续）│ │ │ 半行文字。 │ │ │
├──┼──────┼──┼────────┴──────┴──────┤
│ │ │ │ │
└──┴──────┴──┴──────────────────────┘
";

    #[test]
    fn box_merged_wrapped_split() {
        let tables = find_tables(BOX);
        assert_eq!(tables.len(), 1, "{tables:#?}");
        let mut t = tables.into_iter().next().unwrap();
        assert_eq!(t.layout, Layout::Box);
        let header: Vec<&str> = t.header.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            header,
            [
                "类号",
                "项目分类",
                "序号",
                "工作内容",
                "负责单位",
                "配合单位"
            ]
        );
        assert_eq!(t.rows.len(), 3, "{:#?}", t.rows);
        // Five lines joined into one cell, punctuation widened.
        assert_eq!(texts(&t.rows[0])[3], "第一行，第二行第三行第四行第五行。");
        assert_eq!(t.rows[0].cells[3].line, 4);
        // The merged 类号 / 项目分类 cells span both rows.
        assert_eq!(texts(&t.rows[0])[..2], ["一", "建立健全管理体系"]);
        assert_eq!(texts(&t.rows[1])[..3], ["一", "建立健全管理体系", "2"]);
        assert!(t.rows[1].cells[0].continued && t.rows[1].cells[1].continued);
        assert!(!t.rows[1].cells[2].continued);
        // Empty 配合单位.
        assert_eq!(texts(&t.rows[0])[5], "");
        // The second page's row has no 序号: it is the rest of row 2.
        assert!(t.rows[2].after_break);
        assert_eq!(texts(&t.rows[2])[0], "一（续）");
        let joined = t.join_continuations(2, &[2, 3, 4, 5]);
        assert_eq!(joined, [16]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(texts(&t.rows[1])[3], "分页前的半行文字。");
    }

    /// A page break inside one box (no closing rule): a blank line and `- 2 -` between
    /// two lines of the same cell; the cell reads as one.
    #[test]
    fn box_page_line_inside_a_cell() {
        let text = "\
┌──┬────┬────┐
│序号│工作内容│负责单位│
├──┼────┼────┤
│1 │分页前 │市科技局│

- 2 -
│  │分页后。│    │
└──┴────┴────┘
";
        let t = &find_tables(text)[0];
        assert_eq!(t.rows.len(), 1);
        assert_eq!(texts(&t.rows[0]), ["1", "分页前分页后。", "市科技局"]);
        assert_eq!(t.lines, (1, 8));
    }

    #[test]
    fn ascii_box_keeps_plus_in_text() {
        let text = "\
+----+--------+
| 序号 | 内容 |
+----+--------+
| 1 | 9+2 合作 |
|   | 继续 |
+----+--------+
";
        let t = &find_tables(text)[0];
        assert_eq!(t.rows.len(), 1);
        assert_eq!(texts(&t.rows[0]), ["1", "9+2合作继续"]);
    }

    #[test]
    fn pipe_rows_with_repeated_header_and_page_line() {
        let text = "\
| 序号 | 工作任务 | 责任单位 | 配合单位 |
|---|---|---|---|
| 1 | 制定方案 | 市科技局 | |
|   | (续前行) | | |
第 2 页
| 序号 | 工作任务 | 责任单位 | 配合单位 |
| 2 | 开展宣传 | 市委宣传部 | 各有关单位 |
正文。
";
        let tables = find_tables(text);
        assert_eq!(tables.len(), 1);
        let mut t = tables.into_iter().next().unwrap();
        assert_eq!(t.layout, Layout::Pipe);
        assert_eq!(t.rows.len(), 3);
        assert!(t.rows[2].after_break);
        assert_eq!(texts(&t.rows[0])[3], "");
        t.join_continuations(0, &[1, 2, 3]);
        assert_eq!(texts(&t.rows[0])[1], "制定方案（续前行）");
        assert_eq!(
            texts(&t.rows[1]),
            ["2", "开展宣传", "市委宣传部", "各有关单位"]
        );
        assert_eq!(t.lines, (1, 7));
    }

    #[test]
    fn pipe_metadata_table_of_seed_000() {
        let text = "| 索 引 號 | k12498411/2014-00065 | ||\n| 發布機構 | 連云港市人民政府 | 發文日期 | 2014-05-07 |\n";
        let t = &find_tables(text)[0];
        assert_eq!(t.header[0].text, "索引號");
        assert_eq!(t.header[1].text, "k12498411/2014-00065");
        assert_eq!(
            texts(&t.rows[0]),
            ["發布機構", "連云港市人民政府", "發文日期", "2014-05-07"]
        );
    }

    #[test]
    fn flat_cells_numbered_targets_and_split_row() {
        let text = "\
序号
|
工作任务
|
责任单位
|
配合单位

1
|
1.建立制度
2.开展培训
|
市科技局
|

2
|
加强
第 3 页

保护。
|
市公安局
|
各有关单位

以上为分解表。
";
        let tables = find_tables(text);
        assert_eq!(tables.len(), 1, "{tables:#?}");
        let t = &tables[0];
        assert_eq!(t.layout, Layout::Flat);
        assert_eq!(t.rows.len(), 2, "{:#?}", t.rows);
        assert_eq!(
            texts(&t.rows[0]),
            ["1", "1.建立制度2.开展培训", "市科技局", ""]
        );
        assert_eq!(
            texts(&t.rows[1]),
            ["2", "加强保护。", "市公安局", "各有关单位"]
        );
        assert_eq!(t.notes.len(), 1);
    }

    #[test]
    fn page_breaks() {
        for yes in ["", "  ", "第 3 页", "第3页 共5页", "- 12 -", "3/12", "续表"] {
            assert!(is_page_break(yes), "{yes}");
        }
        for no in ["第一章", "一、任务", "2009年"] {
            assert!(!is_page_break(no), "{no}");
        }
    }

    proptest::proptest! {
        /// Any mix of box characters, pipes, page lines and text reads without a panic,
        /// and every row has one cell per header column.
        #[test]
        fn any_text_reads_without_panic(lines in proptest::collection::vec(
            proptest::string::string_regex("[┌┬┐├┼┤└┴┘│─| 一二1.、第页\\n]{0,12}").unwrap(), 0..24)) {
            let text = lines.join("\n");
            for table in find_tables(&text) {
                for row in &table.rows {
                    proptest::prop_assert_eq!(row.cells.len(), table.header.len());
                }
            }
        }
    }

    #[test]
    fn unexpected_cell_counts_are_noted_not_panics() {
        let text = "┌─┬─┐\n│a│b│\n├─┼─┤\n│1│2│3│4│\n│x│\n└─┴─┘\n";
        let t = &find_tables(text)[0];
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.notes.len(), 2);
    }
}
