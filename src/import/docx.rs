//! `.docx` → [`Document`]: the paragraphs of `word/document.xml` as lines of text, its
//! tables built directly as [`tables::Table`]s (no text layout to guess from).
//!
//! **What a line is.** The text is the document as Word's "save as plain text" would
//! give it, one paragraph (`w:p`) a line: line N is the N-th paragraph of the body when
//! no paragraph holds a manual line break (`w:br` and `w:cr` start a new line, so they
//! count as one more). A table takes one line per row (`w:tr`), written as a pipe row
//! `| 序号 | 工作内容 | … |`, and every cell of the row carries that line; a cell merged
//! down (`w:vMerge` continue) carries the line of the row where the merge starts. So a
//! guess `file.docx:12` points at the twelfth paragraph or row from the top.
//!
//! **Runs.** The `w:t` of every run (`w:r`, also inside `w:hyperlink`, `w:ins`,
//! `w:smartTag`, `w:fldSimple`, `w:sdt`) are joined; `w:tab` is a tab, `w:br` / `w:cr`
//! a line break, `w:noBreakHyphen` a `-`. Deleted text (`w:delText`), field codes
//! (`w:instrText`) and the fallback copy of drawings (`mc:Fallback`) are not text.
//!
//! **Tables.** `w:gridSpan` spans grid columns: the cell's text goes to its first
//! column, the others stay empty (in a header row they repeat its text, unless a header
//! row below names them). `w:vMerge` continue cells repeat the text (and line) of the
//! cell above, marked [`tables::Cell::continued`]; `w:gridBefore` leaves leading columns
//! empty. The header is the first row, and every row below it that continues one of its
//! vertically merged cells (a two-row header: `负责单位` spanning `牵头单位 | 配合单位`);
//! each column is named by its lowest header cell that has text. A cell's paragraphs are
//! joined as wrapped lines are ([`tables::join_parts`]). A table inside a cell is
//! flattened into that cell's text, with a note.
//!
//! **Limits.** Automatic numbering (`w:numPr`: `1.`, `（一）` that Word draws) is not in
//! `document.xml`, and `numbering.xml` (the formats) is not read. One simple case is
//! reconstructed: an empty table-cell paragraph that Word numbers (a 序号 column) gets
//! its count in its list (`w:numId`, per level, in document order) as text, with a
//! guess. Numbered paragraphs with text read without their numbers. Text
//! boxes are read as paragraphs where they are anchored. Headers, footers, footnotes and
//! comments (other parts of the zip) are not read. `word/document.xml` larger than
//! [`MAX_DOCUMENT_XML`] uncompressed is refused (a zip bomb), whatever the zip declares.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};

use crate::diagnostics::Text;
use crate::import::Document;
use crate::import::markup::{self, RawCell, RawRow, VMerge};
use crate::import::tables::Table;
use crate::text;

/// The largest uncompressed `word/document.xml` read: a 200-page report with tables is
/// a few MB; past this a file is a zip bomb, not a document.
pub(crate) const MAX_DOCUMENT_XML: u64 = 64 << 20;

/// The first bytes of an OLE compound file: a binary `.doc` / `.wps` / `.et`.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The message for a binary Word or WPS file: gongkai reads only `.docx`.
pub(crate) fn binary_word_error() -> Text {
    text!(
        "a binary Word/WPS file (.doc, .wps) cannot be read: open it in Word or WPS and save it as .docx (Word document), then import the .docx",
        "无法读取二进制 Word/WPS 文件（.doc、.wps）：请用 Word 或 WPS 打开，另存为 .docx（Word 文档）后再导入"
    )
}

/// Reads a `.docx` held in `bytes`, refusing a `word/document.xml` over `cap` bytes.
pub(crate) fn read_docx(bytes: &[u8], cap: u64) -> Result<Document, Text> {
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(binary_word_error());
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        text!(
            "not a .docx: it is not a zip archive ({e})",
            "不是 .docx 文件：不是 zip 压缩包（{e}）"
        )
    })?;
    let mut entry = match archive.by_name("word/document.xml") {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => {
            return Err(text!(
                "not a .docx: the zip archive holds no word/document.xml",
                "不是 .docx 文件：压缩包中没有 word/document.xml"
            ));
        }
        Err(e) => {
            return Err(text!(
                "cannot read word/document.xml: {e}",
                "无法读取 word/document.xml：{e}"
            ));
        }
    };
    let too_big = |size: u64| {
        let mb = cap >> 20;
        let kb = cap >> 10;
        text!(
            "word/document.xml is {size} bytes uncompressed, over the limit of {mb} MB ({kb} KB): refused as a possible zip bomb",
            "word/document.xml 解压后 {size} 字节，超过上限 {mb} MB（{kb} KB）：疑为压缩炸弹，拒绝读取"
        )
    };
    if entry.size() > cap {
        return Err(too_big(entry.size()));
    }
    // The declared size may lie: never read more than the cap, whatever it says.
    let mut xml = Vec::new();
    (&mut entry)
        .take(cap.saturating_add(1))
        .read_to_end(&mut xml)
        .map_err(|e| {
            text!(
                "cannot read word/document.xml: {e}",
                "无法读取 word/document.xml：{e}"
            )
        })?;
    if xml.len() as u64 > cap {
        return Err(too_big(xml.len() as u64));
    }
    read_document_xml(&xml)
}

/// Reads `word/document.xml` into a [`Document`].
pub(crate) fn read_document_xml(xml: &[u8]) -> Result<Document, Text> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut builder = Builder::default();
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            let at = reader.error_position();
            text!(
                "word/document.xml is not well-formed XML at byte {at}: {e}",
                "word/document.xml 在第 {at} 字节处不是合法的 XML：{e}"
            )
        })?;
        match event {
            Event::Start(e) => builder.start(&e, false),
            Event::Empty(e) => builder.start(&e, true),
            Event::End(e) => builder.end(e.local_name().as_ref()),
            Event::Text(t) if builder.collecting() => {
                let s = t.xml10_content().map_err(|e| {
                    text!(
                        "word/document.xml: text that does not decode: {e}",
                        "word/document.xml：无法解码的文本：{e}"
                    )
                })?;
                builder.push_text(&s);
            }
            Event::CData(t) if builder.collecting() => {
                builder.push_text(&String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) if builder.collecting() => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => {
                        let name = String::from_utf8_lossy(&r);
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .and_then(|s| s.chars().next())
                    }
                };
                if let Some(c) = c {
                    builder.push_text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(builder.finish())
}

/// The state of the reading: element stacks and what has been made so far.
#[derive(Debug, Default)]
struct Builder {
    /// Finished lines.
    lines: Vec<String>,
    tables: Vec<Table>,
    /// Paragraphs being read (a text box's paragraphs sit inside another one).
    paragraphs: Vec<String>,
    /// Their automatic numbering (`w:numPr`): list (`w:numId`) and level (`w:ilvl`).
    numbering: Vec<Option<(String, usize)>>,
    /// Inside a `w:numPr`.
    in_num_pr: bool,
    /// Each list's counters, one per level.
    counters: std::collections::BTreeMap<String, Vec<usize>>,
    /// Depth of `w:r` elements around the reader.
    runs: usize,
    /// Inside `w:t`.
    in_text: usize,
    /// Depth of `mc:Fallback` (skipped: a copy of the `mc:Choice` content).
    fallback: usize,
    /// Depth of `w:tbl`.
    table_depth: usize,
    /// The outermost table's rows being read.
    rows: Vec<RawRow>,
    /// Inside a `w:tcPr` / `w:trPr` of the outermost table.
    in_tc_pr: bool,
    in_tr_pr: bool,
}

/// The value of the `val` attribute (`w:val`), whatever the prefix.
fn val(e: &BytesStart<'_>) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == b"val")
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

impl Builder {
    fn collecting(&self) -> bool {
        self.in_text > 0 && self.fallback == 0 && !self.paragraphs.is_empty()
    }

    fn push_text(&mut self, s: &str) {
        if let Some(p) = self.paragraphs.last_mut() {
            p.push_str(s);
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let name = e.local_name();
        let name = name.as_ref();
        let prefix_mc = e.name().prefix().is_some_and(|p| p.as_ref() == b"mc");
        if name == b"Fallback" && prefix_mc {
            if !empty {
                self.fallback += 1;
            }
            return;
        }
        if self.fallback > 0 {
            return;
        }
        let outer = self.table_depth == 1;
        match name {
            b"p" if !empty => {
                self.paragraphs.push(String::new());
                self.numbering.push(None);
            }
            b"p" => self.end_paragraph(String::new(), None),
            b"numPr" if !empty => self.in_num_pr = true,
            b"numId" | b"ilvl" if self.in_num_pr => {
                let value = val(e).unwrap_or_default();
                if let Some(slot) = self.numbering.last_mut() {
                    let (mut id, mut level) = slot.take().unwrap_or_default();
                    if name == b"numId" {
                        id = value;
                    } else {
                        level = value.parse::<usize>().unwrap_or(0).min(8);
                    }
                    *slot = Some((id, level));
                }
            }
            b"r" if !empty => self.runs += 1,
            b"t" if !empty && self.runs > 0 => self.in_text += 1,
            b"tab" if self.runs > 0 => self.push_text("\t"),
            b"br" | b"cr" if self.runs > 0 => self.push_text("\n"),
            b"noBreakHyphen" if self.runs > 0 => self.push_text("-"),
            b"tbl" if !empty => {
                self.table_depth += 1;
                if self.table_depth == 1 {
                    self.rows.clear();
                } else if let Some(cell) = self.current_cell() {
                    cell.nested = true;
                }
            }
            b"tr" if outer => self.rows.push(RawRow::default()),
            b"tc" if outer => {
                if let Some(row) = self.rows.last_mut() {
                    row.cells.push(RawCell {
                        span: 1,
                        ..RawCell::default()
                    });
                }
            }
            b"tcPr" if outer && !empty => self.in_tc_pr = true,
            b"trPr" if outer && !empty => self.in_tr_pr = true,
            b"gridSpan" if outer && self.in_tc_pr => {
                let span = val(e).and_then(|v| v.parse::<usize>().ok()).unwrap_or(1);
                if let Some(cell) = self.current_cell() {
                    // A grid column count, never more than a table could have.
                    cell.span = span.clamp(1, 64);
                }
            }
            b"vMerge" if outer && self.in_tc_pr => {
                let merge = match val(e).as_deref() {
                    Some("restart") => VMerge::Restart,
                    _ => VMerge::Continue,
                };
                if let Some(cell) = self.current_cell() {
                    cell.vmerge = Some(merge);
                }
            }
            b"gridBefore" if outer && self.in_tr_pr => {
                let n = val(e).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
                if let Some(row) = self.rows.last_mut() {
                    row.before = n.min(64);
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        if self.fallback > 0 {
            if name == b"Fallback" {
                self.fallback -= 1;
            }
            return;
        }
        let outer = self.table_depth == 1;
        match name {
            b"p" => {
                if let Some(p) = self.paragraphs.pop() {
                    let numbering = self.numbering.pop().flatten();
                    self.end_paragraph(p, numbering);
                }
            }
            b"numPr" => self.in_num_pr = false,
            b"r" => self.runs = self.runs.saturating_sub(1),
            b"t" => self.in_text = self.in_text.saturating_sub(1),
            b"tcPr" if outer => self.in_tc_pr = false,
            b"trPr" if outer => self.in_tr_pr = false,
            b"tbl" if self.table_depth > 0 => {
                self.table_depth -= 1;
                if self.table_depth == 0 {
                    let rows = std::mem::take(&mut self.rows);
                    self.finish_table(rows);
                }
            }
            _ => {}
        }
    }

    fn current_cell(&mut self) -> Option<&mut RawCell> {
        self.rows.last_mut().and_then(|r| r.cells.last_mut())
    }

    /// A finished paragraph: lines of the text, or parts of the current cell. A numbered
    /// paragraph counts in its list; an empty numbered cell paragraph (a 序号 column
    /// numbered by Word) gets the count as its text, since the format (numbering.xml) is
    /// not read.
    fn end_paragraph(&mut self, mut p: String, numbering: Option<(String, usize)>) {
        let mut counted = false;
        if let Some((id, level)) = numbering.filter(|(id, _)| !id.is_empty() && id != "0") {
            let counters = self.counters.entry(id).or_default();
            counters.resize(level + 1, 0);
            counters[level] += 1;
            let n = counters[level];
            if self.table_depth > 0 && p.trim().is_empty() {
                p = n.to_string();
                counted = true;
            }
        }
        if self.table_depth > 0 {
            if let Some(cell) = self.current_cell() {
                cell.numbered |= counted;
                cell.parts
                    .extend(p.split('\n').map(|l| l.trim().to_string()));
            }
            return;
        }
        for line in p.split('\n') {
            self.lines.push(line.trim_end().to_string());
        }
    }

    /// A finished table: its pipe lines go to the text, the typed table is kept.
    fn finish_table(&mut self, rows: Vec<RawRow>) {
        let (lines, table) = markup::table(&rows, self.lines.len() + 1);
        self.lines.extend(lines);
        self.tables.extend(table);
    }

    fn finish(mut self) -> Document {
        // Unclosed paragraphs of a truncated file still count.
        while let Some(p) = self.paragraphs.pop() {
            self.end_paragraph(p, None);
        }
        if self.table_depth > 0 {
            let rows = std::mem::take(&mut self.rows);
            self.table_depth = 0;
            self.finish_table(rows);
        }
        let mut text = self.lines.join("\n");
        text.push('\n');
        Document {
            text,
            tables: self.tables,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal `.docx`: `[Content_Types].xml` and `word/document.xml` holding `body`
    /// (the children of `w:body`), deflated — what the tests import, written here so no
    /// binary file is committed.
    pub(crate) fn docx(body: &str) -> Vec<u8> {
        use std::io::Write;
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}<w:sectPr/></w:body></w:document>"#
        );
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", options).expect("zip");
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).expect("zip");
        zip.start_file("word/document.xml", options).expect("zip");
        zip.write_all(xml.as_bytes()).expect("zip");
        zip.finish().expect("zip");
        out.into_inner()
    }

    /// A paragraph of one run.
    pub(crate) fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    /// A table cell: `props` inside `w:tcPr`, one paragraph per `\n` of `text`.
    pub(crate) fn tc(props: &str, text: &str) -> String {
        let paragraphs: String = if text.is_empty() {
            "<w:p/>".to_string()
        } else {
            text.split('\n').map(p).collect()
        };
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>")
    }

    fn read(body: &str) -> Document {
        read_docx(&docx(body), MAX_DOCUMENT_XML).unwrap_or_else(|e| panic!("{}", e.en()))
    }

    #[test]
    fn paragraphs_are_lines_with_runs_tabs_and_breaks() {
        let body = format!(
            "{}<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr><w:r><w:t>一、</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>任务</w:t><w:tab/><w:t>分解</w:t></w:r></w:p>\
             <w:p><w:r><w:t>甲</w:t><w:br/><w:t>乙</w:t></w:r><w:hyperlink><w:r><w:t>&amp;链接&#x4E00;</w:t></w:r></w:hyperlink></w:p>\
             <w:p><w:del><w:r><w:delText>删去</w:delText></w:r></w:del><w:r><w:instrText> PAGE </w:instrText><w:t>留下</w:t></w:r></w:p>\
             <w:p><w:r><mc:AlternateContent><mc:Choice><w:t>图</w:t></mc:Choice><mc:Fallback><w:t>图</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>\
             <w:p/>{}",
            p("标题"),
            p("末行")
        );
        let d = read(&body);
        assert_eq!(
            d.text,
            "标题\n一、任务\t分解\n甲\n乙&链接一\n留下\n图\n\n末行\n"
        );
        assert!(d.tables.is_empty());
    }

    /// A two-row header (责任单位 spanning 牵头单位 | 配合单位), 类号 merged down over
    /// two tasks, a nested table.
    fn plan_table() -> String {
        let restart = "<w:vMerge w:val=\"restart\"/>";
        let cont = "<w:vMerge/>";
        let span2 = "<w:gridSpan w:val=\"2\"/>";
        let nested = format!(
            "<w:tc>{}<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>{}</w:tc></w:tr></w:tbl><w:p/></w:tc>",
            p("宣传"),
            p("内表")
        );
        format!(
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>\
             <w:tr>{}{}{}{}</w:tr>\
             <w:tr>{}{}{}{}{}</w:tr>\
             <w:tr>{}{}{}{}{}</w:tr>\
             <w:tr>{}{}{}{}{}</w:tr></w:tbl>",
            tc(restart, "类号"),
            tc(restart, "序号"),
            tc(restart, "工作内容"),
            tc(span2, "责任单位"),
            tc(cont, ""),
            tc(cont, ""),
            tc(cont, ""),
            tc("", "牵头单位"),
            tc("", "配合单位"),
            tc(restart, "一"),
            tc("", "1"),
            tc("", "制定知识产权\n战略"),
            tc("", "市知识产权局"),
            tc("", ""),
            tc(cont, ""),
            tc("", "2"),
            nested,
            tc("", "市财政局"),
            tc("", "各有关单位"),
        )
    }

    #[test]
    fn tables_keep_spans_merges_and_lines() {
        let d = read(&format!(
            "{}{}{}",
            p("某市工作任务分解表"),
            plan_table(),
            p("完")
        ));
        let lines: Vec<&str> = d.text.lines().collect();
        assert_eq!(lines.len(), 6, "{}", d.text);
        assert_eq!(lines[1], "| 类号 | 序号 | 工作内容 | 责任单位 |");
        assert_eq!(lines[3], "| 一 | 1 | 制定知识产权战略 | 市知识产权局 | |");
        assert_eq!(lines[5], "完");
        assert_eq!(d.tables.len(), 1);
        let t = &d.tables[0];
        assert_eq!(t.lines, (2, 5));
        let header: Vec<&str> = t.header.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(header, ["类号", "序号", "工作内容", "牵头单位", "配合单位"]);
        assert_eq!(t.rows.len(), 2);
        let first = &t.rows[0];
        assert_eq!(first.line, 4);
        assert_eq!(first.cells[2].text, "制定知识产权战略");
        assert_eq!(first.cells[4].text, "");
        let second = &t.rows[1];
        assert_eq!(second.line, 5);
        assert!(second.cells[0].continued);
        assert_eq!(second.cells[0].text, "一");
        assert_eq!(
            second.cells[0].line, 4,
            "a merged cell points to where it starts"
        );
        assert!(!second.cells[1].continued);
        // The nested table is flattened into its cell, with a note.
        assert_eq!(second.cells[2].text, "宣传内表");
        assert_eq!(t.notes.len(), 1);
        assert_eq!(t.notes[0].line, 5);
    }

    #[test]
    fn an_auto_numbered_number_column_is_counted() {
        let numbered = |level: usize| {
            format!(
                "<w:tc><w:p><w:pPr><w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"3\"/></w:numPr></w:pPr></w:p></w:tc>"
            )
        };
        let d = read(&format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            tc("", "序号"),
            tc("", "工作内容"),
            numbered(0),
            tc("", "甲"),
            numbered(0),
            tc("", "乙"),
        ));
        let t = &d.tables[0];
        let numbers: Vec<&str> = t.rows.iter().map(|r| r.cells[0].text.as_str()).collect();
        assert_eq!(numbers, ["1", "2"]);
        assert_eq!(t.notes.len(), 2);
        assert!(t.notes[1].what.en().contains("`2`: Word numbers this cell"));
        assert_eq!(t.notes[1].line, 3);
    }

    #[test]
    fn a_single_row_header_span_names_its_columns() {
        let d = read(&format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
            tc("", "序号"),
            tc("<w:gridSpan w:val=\"2\"/>", "单位"),
            tc("", "1"),
            tc("", "甲"),
            tc("", "乙"),
        ));
        let t = &d.tables[0];
        let header: Vec<&str> = t.header.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(header, ["序号", "单位", "单位"]);
        assert_eq!(t.rows[0].cells[2].text, "乙");
    }

    #[test]
    fn not_a_zip_a_missing_part_a_bomb_and_a_doc_are_refused() {
        let not_zip = read_docx(b"hello, I am text", MAX_DOCUMENT_XML).unwrap_err();
        assert!(
            not_zip.en().contains("not a zip archive"),
            "{}",
            not_zip.en()
        );

        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("word/other.xml", zip::write::SimpleFileOptions::default())
            .expect("zip");
        zip.finish().expect("zip");
        let missing = read_docx(&out.into_inner(), MAX_DOCUMENT_XML).unwrap_err();
        assert!(
            missing.en().contains("no word/document.xml"),
            "{}",
            missing.en()
        );

        // Larger than the cap once inflated: refused by the declared size …
        let big = docx(&p(&"很".repeat(4_000)));
        let bomb = read_docx(&big, 1_000).unwrap_err();
        assert!(bomb.en().contains("zip bomb"), "{}", bomb.en());
        assert!(bomb.zh().contains("压缩炸弹"));
        // … and by the bytes read when the declared size lies.
        let lying = declare_size(&big, "word/document.xml", 10);
        let bomb = read_docx(&lying, 1_000).unwrap_err();
        assert!(
            bomb.en().contains("zip bomb") || bomb.en().contains("cannot read"),
            "{}",
            bomb.en()
        );

        let mut doc = OLE_MAGIC.to_vec();
        doc.extend_from_slice(&[0; 504]);
        let binary = read_docx(&doc, MAX_DOCUMENT_XML).unwrap_err();
        assert!(binary.en().contains("save it as .docx"), "{}", binary.en());
    }

    /// `bytes` (a zip) with the uncompressed size of `name` rewritten to `size` in its
    /// local header and central directory entry: a zip that lies about what it holds.
    pub(crate) fn declare_size(bytes: &[u8], name: &str, size: u32) -> Vec<u8> {
        let mut out = bytes.to_vec();
        let name = name.as_bytes();
        let size = size.to_le_bytes();
        let mut i = 0;
        while i + 46 <= out.len() {
            let (size_at, name_len_at, name_at) = match &out[i..i + 4] {
                [0x50, 0x4b, 0x03, 0x04] => (22, 26, 30),
                [0x50, 0x4b, 0x01, 0x02] => (24, 28, 46),
                _ => {
                    i += 1;
                    continue;
                }
            };
            let len = u16::from_le_bytes([out[i + name_len_at], out[i + name_len_at + 1]]);
            let start = i + name_at;
            if out.get(start..start + len as usize) == Some(name) {
                out[i + size_at..i + size_at + 4].copy_from_slice(&size);
            }
            i += 4;
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn any_document_xml_reads_without_panic(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "文", "<w:br/>",
                    "<w:tbl>", "</w:tbl>", "<w:tr>", "</w:tr>", "<w:tc>", "</w:tc>",
                    "<w:tcPr><w:vMerge/><w:gridSpan w:val=\"99999\"/></w:tcPr>",
                    "<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>", "&amp;", "&#0;",
                    "<mc:Fallback>", "</mc:Fallback>",
                ]),
                0..40,
            )
        ) {
            let _ = read_document_xml(parts.concat().as_bytes());
        }
    }

    #[test]
    fn truncated_xml_is_an_error_not_a_panic() {
        let e = read_document_xml(b"<w:document><w:body><w:p><w:r><w:t>a</w:t></w:p>").err();
        // quick-xml may or may not check end names; either way no panic and no lost text.
        if let Some(e) = e {
            assert!(e.en().contains("not well-formed"), "{}", e.en());
        }
    }
}
