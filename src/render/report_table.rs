//! The annual report's three tables as HTML, in the layout of the national template
//! (国办公开办函〔2021〕30号): the same merged cells a reader knows from the printed form.
//!
//! - 表二 is four blocks, one per item of 条例第二十条 (第（一）项, 第（五）项 …), each with
//!   its own heading row (信息内容 and the block's columns); a block with one column spreads
//!   its cells over the width of three.
//! - 表三 has three columns of row headings: 三、本年度办理结果 spans its 22 rows, each
//!   （三）不予公开-like group spans its numbered reasons, and a heading without sub-rows
//!   spreads over the columns it leaves free. Above the columns, 申请人情况 spans all seven
//!   and 法人或其他组织 its five; the template's balance note fills the corner.
//! - 表四 is one row of fifteen numbers under 行政复议 and 行政诉讼 (未经复议直接起诉,
//!   复议后起诉), each with 结果维持 … 总计 beneath.
//!
//! The cells and labels come from the [`Grid`]s every output is written from, so the HTML
//! cannot say another number than the CSV. Every number names its headings in `headers`
//! (by `id`): merged headings at several levels are what `scope` alone cannot express to
//! a screen reader.

use serde::Serialize;

use crate::duties::report::{
    BALANCE_NOTE, Grid, GridColumn, GridRow, REQUEST_COLUMNS_HEADING, TableId,
};

/// One table as the template writes it: rows of cells, spans resolved.
#[derive(Debug, Serialize)]
pub(super) struct HtmlTable {
    /// `id` of the table's heading (`<h2>`), for the scroll region's label.
    pub heading_id: &'static str,
    /// The table's key (`active`, `requests`, `cases`), for its class.
    pub key: &'static str,
    /// The section heading (二、主动公开政府信息情况 …).
    pub title: &'static str,
    /// The rows of `<thead>` (表三, 表四).
    pub head: Vec<Vec<Cell>>,
    /// The `<tbody>` groups, each its rows (表二 has one per block).
    pub bodies: Vec<Vec<Vec<Cell>>>,
}

/// One `<th>` or `<td>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct Cell {
    /// `th` or `td`.
    pub tag: &'static str,
    /// What it says.
    pub text: String,
    /// Columns it spans (1: none).
    pub colspan: usize,
    /// Rows it spans (1: none).
    pub rowspan: usize,
    /// `scope` of a heading that heads one plain row or column.
    pub scope: Option<&'static str>,
    /// Its `id`, when other cells name it.
    pub id: Option<String>,
    /// The ids of the headings of a number, space-separated.
    pub headers: Option<String>,
    /// A class: `num` for numbers, `note` for the template's note.
    pub class: Option<&'static str>,
}

impl Cell {
    fn heading(text: impl Into<String>, id: String) -> Cell {
        Cell {
            tag: "th",
            text: text.into(),
            colspan: 1,
            rowspan: 1,
            scope: None,
            id: Some(id),
            headers: None,
            class: None,
        }
    }

    fn number(text: String, headers: &[String]) -> Cell {
        Cell {
            tag: "td",
            text,
            colspan: 1,
            rowspan: 1,
            scope: None,
            id: None,
            headers: Some(headers.join(" ")),
            class: Some("num"),
        }
    }

    fn spans(self, colspan: usize, rowspan: usize) -> Cell {
        Cell {
            colspan,
            rowspan,
            ..self
        }
    }

    fn scope(self, scope: &'static str) -> Cell {
        Cell {
            scope: Some(scope),
            ..self
        }
    }

    fn under(self, headers: &[String]) -> Cell {
        Cell {
            headers: (!headers.is_empty()).then(|| headers.join(" ")),
            ..self
        }
    }
}

/// `grid` in the template's layout.
pub(super) fn html_table(grid: &Grid) -> HtmlTable {
    let prefix = id_prefix(grid.table);
    let (head, bodies) = match grid.table {
        TableId::Active => (Vec::new(), active_blocks(grid, prefix)),
        TableId::Requests => (request_head(grid, prefix), vec![request_rows(grid, prefix)]),
        TableId::Cases => case_layout(grid, prefix),
    };
    HtmlTable {
        heading_id: heading_id(grid.table),
        key: grid.table.key(),
        title: grid.table.title(),
        head,
        bodies,
    }
}

/// The `id` of the `<h2>` of the section a table belongs to.
pub(super) fn heading_id(table: TableId) -> &'static str {
    match table {
        TableId::Active => "section-2",
        TableId::Requests => "section-3",
        TableId::Cases => "section-4",
    }
}

fn id_prefix(table: TableId) -> &'static str {
    match table {
        TableId::Active => "t2",
        TableId::Requests => "t3",
        TableId::Cases => "t4",
    }
}

/// An `id` from a prefix and a stable key (`withheld/state_secret` → `t3-r-withheld-state_secret`).
fn id(prefix: &str, part: &str, key: &str) -> String {
    format!("{prefix}-{part}-{}", key.replace('/', "-"))
}

fn text_of(value: Option<crate::duties::report::Value>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------
// 表二: a block per item of 第二十条

/// The width of 表二: 信息内容 and the three columns of 第（一）项.
const ACTIVE_VALUE_COLUMNS: usize = 3;

fn active_blocks(grid: &Grid, prefix: &str) -> Vec<Vec<Vec<Cell>>> {
    let mut blocks = Vec::new();
    let mut start = 0;
    while start < grid.rows.len() {
        let group = grid.rows[start].groups.first().copied().unwrap_or_default();
        let end = start
            + grid.rows[start..]
                .iter()
                .take_while(|r| r.groups.first().copied().unwrap_or_default() == group)
                .count();
        blocks.push(active_block(
            grid,
            &grid.rows[start..end],
            prefix,
            blocks.len(),
        ));
        start = end;
    }
    blocks
}

/// One block: its heading row, the row of 信息内容 and its columns, its rows.
fn active_block(grid: &Grid, rows: &[GridRow], prefix: &str, n: usize) -> Vec<Vec<Cell>> {
    // The columns this block has: those its first row has a cell in.
    let columns: Vec<usize> = (0..grid.columns.len())
        .filter(|&c| rows.iter().any(|r| r.values[c].is_some()))
        .collect();
    let span = if columns.len() == 1 {
        ACTIVE_VALUE_COLUMNS
    } else {
        1
    };
    let block_id = format!("{prefix}-b{n}");
    let item_id = format!("{prefix}-b{n}-item");
    let group = rows[0].groups.first().copied().unwrap_or_default();
    let mut out = vec![
        vec![
            Cell::heading(group, block_id.clone())
                .spans(1 + ACTIVE_VALUE_COLUMNS, 1)
                .scope("colgroup"),
        ],
        std::iter::once(
            Cell::heading(crate::duties::report::ACTIVE_ITEM_HEADING, item_id.clone())
                .under(std::slice::from_ref(&block_id))
                .scope("col"),
        )
        .chain(columns.iter().map(|&c| {
            Cell::heading(
                grid.columns[c].label,
                column_id(prefix, n, &grid.columns[c]),
            )
            .spans(span, 1)
            .under(std::slice::from_ref(&block_id))
            .scope("col")
        }))
        .collect(),
    ];
    for row in rows {
        let row_id = id(prefix, "r", row.key);
        let mut cells = vec![
            Cell::heading(row.label.clone(), row_id.clone())
                .under(&[block_id.clone(), item_id.clone()])
                .scope("row"),
        ];
        cells.extend(columns.iter().map(|&c| {
            let headers = [
                block_id.clone(),
                row_id.clone(),
                column_id(prefix, n, &grid.columns[c]),
            ];
            Cell::number(text_of(row.values[c]), &headers).spans(span, 1)
        }));
        out.push(cells);
    }
    out
}

fn column_id(prefix: &str, block: usize, column: &GridColumn) -> String {
    format!("{prefix}-b{block}-c-{}", column.key)
}

// ---------------------------------------------------------------------------------
// 表三: three columns of row headings under two rows of column headings

/// The width of 表三's row headings: 三、本年度办理结果, （三）不予公开, 1.属于国家秘密.
const REQUEST_LABEL_COLUMNS: usize = 3;

/// The `id` of 申请人情况.
fn applicants_id(prefix: &str) -> String {
    format!("{prefix}-applicants")
}

/// The column headings: the note and 申请人情况, then each column (one without a group
/// spanning two rows), then the columns under a group.
fn request_head(grid: &Grid, prefix: &str) -> Vec<Vec<Cell>> {
    let top = applicants_id(prefix);
    let note = Cell {
        tag: "td",
        text: BALANCE_NOTE.to_string(),
        colspan: REQUEST_LABEL_COLUMNS,
        rowspan: 3,
        scope: None,
        id: None,
        headers: None,
        class: Some("note"),
    };
    let first = vec![
        note,
        Cell::heading(REQUEST_COLUMNS_HEADING, top.clone())
            .spans(grid.columns.len(), 1)
            .scope("colgroup"),
    ];
    let mut second = Vec::new();
    let mut third = Vec::new();
    for (group, run) in runs(&grid.columns, |c| c.group) {
        match group {
            None => second.extend(run.iter().map(|c| {
                Cell::heading(c.label, id(prefix, "c", c.key))
                    .spans(1, 2)
                    .under(std::slice::from_ref(&top))
                    .scope("col")
            })),
            Some(group) => {
                let group_id = id(prefix, "g", run[0].key);
                second.push(
                    Cell::heading(group, group_id.clone())
                        .spans(run.len(), 1)
                        .under(std::slice::from_ref(&top))
                        .scope("colgroup"),
                );
                third.extend(run.iter().map(|c| {
                    Cell::heading(c.label, id(prefix, "c", c.key))
                        .under(&[top.clone(), group_id.clone()])
                        .scope("col")
                }));
            }
        }
    }
    vec![first, second, third]
}

/// The headings of column `c` of 表三, outermost first.
fn request_column_headers(grid: &Grid, prefix: &str, c: usize) -> Vec<String> {
    let column = &grid.columns[c];
    let mut ids = vec![applicants_id(prefix)];
    if column.group.is_some() {
        // A group's id is that of its first column.
        let first = grid.columns[..=c]
            .iter()
            .rposition(|other| other.group != column.group)
            .map_or(0, |i| i + 1);
        ids.push(id(prefix, "g", grid.columns[first].key));
    }
    ids.push(id(prefix, "c", column.key));
    ids
}

/// The rows: at each level of headings a row opens, a heading spanning the run of rows
/// that share it; then the row's own label over the columns left.
fn request_rows(grid: &Grid, prefix: &str) -> Vec<Vec<Cell>> {
    let mut out = Vec::new();
    for (i, row) in grid.rows.iter().enumerate() {
        let mut cells = Vec::new();
        let mut ids = Vec::new();
        for level in 0..row.groups.len() {
            let shares = |other: &GridRow| other.groups.get(..=level) == row.groups.get(..=level);
            let group_id = format!("{prefix}-h{level}-{}", first_of_run(grid, i, shares));
            let opens = i == 0 || !shares(&grid.rows[i - 1]);
            if opens {
                let run = grid.rows[i..].iter().take_while(|r| shares(r)).count();
                cells.push(
                    Cell::heading(row.groups[level], group_id.clone())
                        .spans(1, run)
                        .scope("rowgroup")
                        .under(&ids),
                );
            }
            ids.push(group_id);
        }
        let row_id = id(prefix, "r", row.key);
        cells.push(
            Cell::heading(row.label.clone(), row_id.clone())
                .spans(REQUEST_LABEL_COLUMNS - row.groups.len(), 1)
                .scope("row")
                .under(&ids),
        );
        ids.push(row_id);
        for (c, value) in row.values.iter().enumerate() {
            let headers: Vec<String> = ids
                .iter()
                .cloned()
                .chain(request_column_headers(grid, prefix, c))
                .collect();
            cells.push(Cell::number(text_of(*value), &headers));
        }
        out.push(cells);
    }
    out
}

/// The index of the first row of the run around row `i` that `shares` holds for.
fn first_of_run(grid: &Grid, i: usize, shares: impl Fn(&GridRow) -> bool) -> usize {
    grid.rows[..=i]
        .iter()
        .rposition(|r| !shares(r))
        .map_or(0, |p| p + 1)
}

// ---------------------------------------------------------------------------------
// 表四: one row of fifteen numbers

/// 表四 as the template prints it: the kinds of case (the grid's rows) as column groups,
/// their results (the grid's columns) beneath, all numbers in one row.
fn case_layout(grid: &Grid, prefix: &str) -> (Vec<Vec<Cell>>, Vec<Vec<Vec<Cell>>>) {
    let results = grid.columns.len();
    let mut first = Vec::new();
    let mut second = Vec::new();
    let mut third = Vec::new();
    let mut numbers = Vec::new();
    for (group, run) in runs(&grid.rows, |r| r.groups.first().copied()) {
        let group_id = group.map(|_| id(prefix, "g", run[0].key));
        if let (Some(group), Some(group_id)) = (group, &group_id) {
            first.push(
                Cell::heading(group, group_id.clone())
                    .spans(results * run.len(), 1)
                    .scope("colgroup"),
            );
        }
        for row in run {
            let kind_id = id(prefix, "k", row.key);
            let kind = Cell::heading(row.label.clone(), kind_id.clone()).spans(results, 1);
            let mut above: Vec<String> = group_id.iter().cloned().collect();
            match &group_id {
                Some(_) => second.push(kind.under(&above).scope("colgroup")),
                None => first.push(kind.scope("colgroup")),
            }
            above.push(kind_id);
            for (column, value) in grid.columns.iter().zip(&row.values) {
                let result_id = format!("{}-{}", id(prefix, "c", row.key), column.key);
                let heading = Cell::heading(column.label, result_id.clone()).under(&above);
                match &group_id {
                    Some(_) => third.push(heading.scope("col")),
                    None => second.push(heading.spans(1, 2).scope("col")),
                }
                let mut headers = above.clone();
                headers.push(result_id);
                numbers.push(Cell::number(text_of(*value), &headers));
            }
        }
    }
    (vec![first, second, third], vec![vec![numbers]])
}

/// Consecutive items with the same key, each run with its key.
fn runs<T, K: PartialEq + Copy>(items: &[T], key: impl Fn(&T) -> K) -> Vec<(K, &[T])> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < items.len() {
        let k = key(&items[start]);
        let len = items[start..].iter().take_while(|i| key(i) == k).count();
        out.push((k, &items[start..start + len]));
        start += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The width of each row of `table` once row spans from above are counted: every row
    /// of a well-formed table is as wide as the others.
    fn widths(rows: &[Vec<Cell>]) -> Vec<usize> {
        let mut carried: Vec<usize> = Vec::new(); // rows still covered, per column
        let mut out = Vec::new();
        for row in rows {
            let mut column = 0;
            let mut width = 0;
            let mut cells = row.iter();
            let mut next = cells.next();
            loop {
                if carried.get(column).copied().unwrap_or(0) > 0 {
                    carried[column] -= 1;
                    column += 1;
                    width += 1;
                    continue;
                }
                let Some(cell) = next else { break };
                for c in column..column + cell.colspan {
                    if carried.len() <= c {
                        carried.resize(c + 1, 0);
                    }
                    carried[c] = cell.rowspan - 1;
                }
                column += cell.colspan;
                width += cell.colspan;
                next = cells.next();
            }
            // Columns covered beyond the last cell still count.
            while carried.get(column).copied().unwrap_or(0) > 0 {
                carried[column] -= 1;
                column += 1;
                width += 1;
            }
            out.push(width);
        }
        out
    }

    fn tables() -> [Grid; 3] {
        let year = crate::content::year_report::ReportYear::parse("2024").expect("year");
        crate::duties::report::Tables::empty(year).grids()
    }

    #[test]
    fn every_row_is_as_wide_as_the_template() {
        let [active, requests, cases] = tables();
        for (grid, width) in [(&active, 4), (&requests, 10), (&cases, 15)] {
            let t = html_table(grid);
            let rows: Vec<Vec<Cell>> = t
                .head
                .iter()
                .cloned()
                .chain(t.bodies.iter().flatten().cloned())
                .collect();
            // 表二's blocks are separate tbodies, but no span crosses them.
            let w = widths(&rows);
            assert!(w.iter().all(|&x| x == width), "{:?}: {w:?}", grid.table);
        }
    }

    #[test]
    fn the_results_heading_spans_its_22_rows() {
        let [_, requests, _] = tables();
        let t = html_table(&requests);
        let results = t.bodies[0]
            .iter()
            .flatten()
            .find(|c| c.text == "三、本年度办理结果")
            .expect("heading");
        assert_eq!(results.rowspan, 22);
        let withheld = t.bodies[0]
            .iter()
            .flatten()
            .find(|c| c.text == "（三）不予公开")
            .expect("group");
        assert_eq!(withheld.rowspan, 8);
        let received = &t.bodies[0][0][0];
        assert_eq!(
            (received.text.as_str(), received.colspan),
            ("一、本年新收政府信息公开申请数量", 3)
        );
    }

    #[test]
    fn every_heading_has_a_scope() {
        for grid in &tables() {
            let t = html_table(grid);
            let cells = t
                .head
                .iter()
                .flatten()
                .chain(t.bodies.iter().flatten().flatten());
            for c in cells.filter(|c| c.tag == "th") {
                assert!(c.scope.is_some(), "{} in {:?}", c.text, grid.table);
            }
        }
    }

    #[test]
    fn every_number_names_existing_headings() {
        for grid in &tables() {
            let t = html_table(grid);
            let cells: Vec<&Cell> = t
                .head
                .iter()
                .flatten()
                .chain(t.bodies.iter().flatten().flatten())
                .collect();
            let ids: Vec<&str> = cells.iter().filter_map(|c| c.id.as_deref()).collect();
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(
                unique.len(),
                ids.len(),
                "ids are unique in {:?}",
                grid.table
            );
            for c in cells
                .iter()
                .filter(|c| c.tag == "td" && c.class == Some("num"))
            {
                let headers = c.headers.as_deref().expect("headers");
                for h in headers.split(' ') {
                    assert!(ids.contains(&h), "{h} in {:?}", grid.table);
                }
            }
        }
    }
}
