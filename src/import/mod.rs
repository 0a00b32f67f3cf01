//! `gongkai import`: notices and plans held as text on old portals and in Word/WPS files
//! → content files, with every guess shown for review.
//!
//! A pipeline of its own, a module per stage:
//!
//! 1. `decode`: bytes → text (UTF-8, else GB18030/GBK), conversion debris removed,
//!    `--simplify`;
//! 2. `tables`: the tables in the text (box drawing, pipe rows, one cell per line) as
//!    one typed `tables::Table`;
//! 3. `plan`: a task-decomposition table → a plan; `units`: the names in its cells →
//!    the site's unit ids;
//! 4. here: what would be written, refusal to overwrite, writing, then the same
//!    validation as `gongkai check`.
//!
//! Nothing is written when anything cannot be imported (an unknown unit without
//! `--new-units`, a task without 负责单位, a file that exists without `--force`), so an
//! import either writes every file it names or none. The output depends only on the
//! input files and the site's units: the same import gives the same bytes.
//!
//! Where the rest plugs in: a `.docx` or `.html` reader makes a `Document` (text and
//! typed tables) in `read_document`; notices are the other branch of `import_document`
//! (no task table, or `--kind notice`), making an [`Imported`] file and [`Guess`]es like
//! the plan branch does.

pub(crate) mod decode;
pub(crate) mod docx;
pub(crate) mod html;
pub(crate) mod markup;
pub(crate) mod plan;
pub(crate) mod tables;
pub(crate) mod units;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::ids::PlanId;
use crate::content::unit::UnitId;
use crate::diagnostics::{Diagnostics, Text};
use crate::text;

/// What the imported file is to become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ImportKind {
    /// A notice (通知) with its metadata table and body.
    Notice,
    /// A task-decomposition plan (工作分解表).
    Plan,
    /// A plan when the file holds a task-decomposition table, else a notice.
    #[default]
    Auto,
}

/// What `gongkai import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The input files (plain text for now).
    pub files: Vec<PathBuf>,
    /// The site root: the folder holding `content/site.yaml`.
    pub root: PathBuf,
    /// What to make of each file.
    pub kind: ImportKind,
    /// Print what would be written and every guess; write nothing.
    pub dry_run: bool,
    /// Replace files that already exist.
    pub force: bool,
    /// Convert traditional characters to simplified (OpenCC t2s).
    pub simplify: bool,
    /// Write a unit file, marked for review, for each unit name the site does not know.
    pub new_units: bool,
}

impl ImportOptions {
    /// Options importing `files` into the site at `root`, with the defaults.
    pub fn new(root: impl Into<PathBuf>, files: Vec<PathBuf>) -> Self {
        ImportOptions {
            files,
            root: root.into(),
            kind: ImportKind::Auto,
            dry_run: false,
            force: false,
            simplify: false,
            new_units: false,
        }
    }
}

/// Something the import decided by a heuristic — a field filled from the text around a
/// table, a unit matched by a prefix or a collective word, a cell placed from the left —
/// with the input line it came from, for review before (or after) writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guess {
    /// The input file.
    pub file: PathBuf,
    /// 1-based line in the (decoded) input.
    pub line: usize,
    /// What was guessed.
    pub what: Text,
}

impl Guess {
    /// `file:line: guess: what`, in `lang`.
    pub fn render(&self, lang: crate::Lang) -> String {
        let file = self.file.display();
        let line = self.line;
        let what = self.what.get(lang);
        match lang {
            crate::Lang::En => format!("{file}:{line}: guess: {what}"),
            crate::Lang::Zh => format!("{file}:{line}: 推测：{what}"),
        }
    }
}

/// A file the import makes, relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Path relative to the root (`content/progress/<id>.yaml`).
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// The files made, in order: plans, then new units.
    pub files: Vec<Imported>,
    /// Every guess, by file and line.
    pub guesses: Vec<Guess>,
    /// Whether the files were written (false with `--dry-run`).
    pub written: bool,
    /// The encoding each input was read in (`UTF-8`, `gb18030` …).
    pub encodings: Vec<(PathBuf, &'static str)>,
    /// Warnings of the check after writing.
    pub warnings: Diagnostics,
}

/// Why an import did not finish.
#[derive(Debug, Clone)]
pub enum ImportError {
    /// gongkai could not do its work (exit status 2): an unreadable input, no site
    /// root, a file that exists without `--force`, a kind not supported yet.
    Usage(Text),
    /// The input cannot be imported as it is (exit status 1); nothing was written. Each
    /// problem names its file and line; the guesses made so far come along.
    Input {
        /// What stops the import.
        problems: Vec<Guess>,
        /// Guesses made before it stopped.
        guesses: Vec<Guess>,
    },
    /// The files were written but the site does not pass `gongkai check` (exit status 1).
    Check {
        /// The report of what was written.
        report: Box<ImportReport>,
        /// The check's findings.
        diagnostics: Diagnostics,
    },
}

/// Runs the import.
pub fn run(options: &ImportOptions) -> Result<ImportReport, ImportError> {
    let root = &options.root;
    if !root.join("content").join("site.yaml").is_file() {
        let shown = root.display();
        return Err(ImportError::Usage(text!(
            "{shown} is not a site root (no content/site.yaml)",
            "{shown} 不是站点根目录（没有 content/site.yaml）"
        )));
    }
    if options.files.is_empty() {
        return Err(ImportError::Usage(text!(
            "no file to import",
            "没有要导入的文件"
        )));
    }
    let registry = units::Registry::load(root).map_err(ImportError::Usage)?;
    let mut report = ImportReport {
        files: Vec::new(),
        guesses: Vec::new(),
        written: false,
        encodings: Vec::new(),
        warnings: Diagnostics::new(),
    };
    let mut problems: Vec<Guess> = Vec::new();
    let mut plans: Vec<(PathBuf, PlanId, plan::ImportedPlan)> = Vec::new();
    for file in &options.files {
        match import_file(file, options, &registry, &mut report)? {
            Ok((id, imported)) => plans.push((file.clone(), id, imported)),
            Err(mut found) => problems.append(&mut found),
        }
    }
    // Unit names the site does not know: new units, or the reason nothing is written.
    let mut new_ids: BTreeMap<String, UnitId> = BTreeMap::new();
    let mut taken: Vec<String> = Vec::new();
    for (file, _, imported) in &mut plans {
        for unit_ref in imported.unit_refs_mut() {
            let plan::UnitRef::Unknown {
                name,
                line,
                suggestions,
            } = unit_ref
            else {
                continue;
            };
            if options.new_units {
                if new_ids.contains_key(name.as_str()) {
                    continue;
                }
                let id = registry.free_id(&taken);
                taken.push(id.to_string());
                let source = format!("{}:{line}", file.display());
                let yaml = units::new_unit_yaml(name, plan::unknown_is_collective(name), &source)
                    .map_err(ImportError::Usage)?;
                report.guesses.push(Guess {
                    file: file.clone(),
                    line: *line,
                    what: text!(
                        "unknown unit `{name}`: new unit {id}, marked for review",
                        "未知单位“{name}”：新建单位 {id}，待审核"
                    ),
                });
                report.files.push(Imported {
                    path: PathBuf::from(format!("content/units/{id}.yaml")),
                    text: yaml,
                });
                new_ids.insert(name.clone(), id);
            } else {
                let closest = if suggestions.is_empty() {
                    String::new()
                } else {
                    suggestions
                        .iter()
                        .map(|(n, id)| format!("{n} ({id})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let what = if closest.is_empty() {
                    text!(
                        "unknown unit `{name}`: add it (or an alias) to content/units/, or pass --new-units",
                        "未知单位“{name}”：请在 content/units/ 中添加该单位（或别名），或使用 --new-units"
                    )
                } else {
                    text!(
                        "unknown unit `{name}`; closest known: {closest}. Add an alias, or pass --new-units",
                        "未知单位“{name}”；最接近的已知单位：{closest}。请添加别名，或使用 --new-units"
                    )
                };
                problems.push(Guess {
                    file: file.clone(),
                    line: *line,
                    what,
                });
            }
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Input {
            problems,
            guesses: std::mem::take(&mut report.guesses),
        });
    }
    let mut plan_files = Vec::new();
    for (_, id, imported) in &plans {
        let text = plan::to_yaml(imported, &new_ids).map_err(ImportError::Usage)?;
        plan_files.push(Imported {
            path: PathBuf::from(format!("content/progress/{id}.yaml")),
            text,
        });
    }
    plan_files.append(&mut report.files);
    report.files = plan_files;
    refuse_overwrite(root, &report.files, options.force)?;
    if options.dry_run {
        return Ok(report);
    }
    for file in &report.files {
        write(root, file).map_err(ImportError::Usage)?;
    }
    report.written = true;
    match crate::check(&crate::BuildOptions::new(root.clone())) {
        Ok((_, warnings)) => {
            report.warnings = warnings;
            Ok(report)
        }
        Err(diagnostics) => Err(ImportError::Check {
            report: Box::new(report),
            diagnostics,
        }),
    }
}

/// An input read into text and tables: what every later step works on, whatever the
/// file was. A `.docx` or `.html` reader makes one too — the paragraphs as `text`, one
/// per line, and its tables built directly as [`tables::Table`]s whose line numbers
/// count in that `text` — and everything after it (plans, units, guesses) stays as is.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    /// The text, `\n` between lines; guesses' lines count in it.
    pub text: String,
    /// Its tables, in order.
    pub tables: Vec<tables::Table>,
}

/// Reads one input and makes its plan; `Err` inside is the input's problems.
fn import_file(
    file: &Path,
    options: &ImportOptions,
    registry: &units::Registry,
    report: &mut ImportReport,
) -> Result<Result<(PlanId, plan::ImportedPlan), Vec<Guess>>, ImportError> {
    let document = read_document(file, options, report)?;
    import_document(file, document, options, registry, report)
}

/// Reads a file into a [`Document`], by extension: `.docx` (`docx`), `.html`/`.htm`
/// (`html`), a clear refusal for binary `.doc`/`.wps`, plain text otherwise.
fn read_document(
    file: &Path,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Document, ImportError> {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let named = |message: Text| {
        let shown = file.display();
        ImportError::Usage(text!(
            "{shown}: {message_en}",
            "{shown}：{message_zh}",
            message_en = message.en(),
            message_zh = message.zh()
        ))
    };
    if matches!(extension.as_deref(), Some("doc" | "wps")) {
        return Err(named(docx::binary_word_error()));
    }
    let bytes = std::fs::read(file).map_err(|e| {
        let shown = file.display();
        ImportError::Usage(text!("cannot read {shown}: {e}", "无法读取 {shown}：{e}"))
    })?;
    match extension.as_deref() {
        Some("docx") => {
            let document = docx::read_docx(&bytes, docx::MAX_DOCUMENT_XML).map_err(named)?;
            report
                .encodings
                .push((file.to_path_buf(), encoding_rs::UTF_8.name()));
            return markup::clean(file, document, options, report);
        }
        Some("html" | "htm") => {
            let (document, encoding) = html::read_html(&bytes).map_err(named)?;
            report.encodings.push((file.to_path_buf(), encoding.name));
            if let Some(what) = encoding.guess {
                report.guesses.push(Guess {
                    file: file.to_path_buf(),
                    line: 1,
                    what,
                });
            }
            return markup::clean(file, document, options, report);
        }
        _ => {}
    }
    let decoded = match decode::decode(&bytes) {
        Ok(decoded) => decoded,
        Err(message) => {
            let shown = file.display();
            return Err(ImportError::Usage(text!(
                "{shown}: {message_en}",
                "{shown}：{message_zh}",
                message_en = message.en(),
                message_zh = message.zh()
            )));
        }
    };
    report
        .encodings
        .push((file.to_path_buf(), decoded.encoding));
    if decoded.encoding != encoding_rs::UTF_8.name() && !decoded.encoding.starts_with("UTF-16") {
        // chardetng's answer is a judgement on the bytes, so it is shown for review.
        let encoding = decoded.encoding;
        report.guesses.push(Guess {
            file: file.to_path_buf(),
            line: 1,
            what: text!(
                "not UTF-8: read as {encoding} (detected)",
                "不是 UTF-8：按检测到的 {encoding} 编码读取"
            ),
        });
    }
    let (mut text, debris, first) = decode::remove_debris(&decoded.text);
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
    if options.simplify {
        text = decode::simplify(&text).map_err(ImportError::Usage)?;
    }
    let tables = tables::find_tables(&text);
    Ok(Document { text, tables })
}

/// Makes a plan of a document's first task-decomposition table (the notice reader will
/// take the other branch: a document without one, or `--kind notice`).
fn import_document(
    file: &Path,
    document: Document,
    options: &ImportOptions,
    registry: &units::Registry,
    report: &mut ImportReport,
) -> Result<Result<(PlanId, plan::ImportedPlan), Vec<Guess>>, ImportError> {
    let at = |found: Vec<plan::Found>| -> Vec<Guess> {
        found
            .into_iter()
            .map(|f| Guess {
                file: file.to_path_buf(),
                line: f.line,
                what: f.what,
            })
            .collect()
    };
    let Document { text, tables } = document;
    let shown = file.display();
    if options.kind == ImportKind::Notice {
        return Err(ImportError::Usage(text!(
            "{shown}: importing notices is not supported yet (only plans: --kind plan)",
            "{shown}：暂不支持导入通知（目前只支持工作分解表：--kind plan）"
        )));
    }
    let mut task_tables = tables.into_iter().filter(plan::is_task_table);
    let Some(table) = task_tables.next() else {
        if options.kind == ImportKind::Plan {
            return Ok(Err(vec![Guess {
                file: file.to_path_buf(),
                line: 1,
                what: text!(
                    "no task-decomposition table (序号, 工作内容, 负责单位) found",
                    "未找到工作分解表（须有 序号、工作内容、负责单位 列）"
                ),
            }]));
        }
        return Err(ImportError::Usage(text!(
            "{shown}: no task-decomposition table, and importing notices is not supported yet",
            "{shown}：没有工作分解表，且暂不支持导入通知"
        )));
    };
    let mut found = Vec::new();
    for other in task_tables {
        found.push(plan::Found {
            line: other.lines.0,
            what: text!(
                "another task-decomposition table, not imported: only the first table of a file becomes its plan (split the file to import this one)",
                "另一张工作分解表未导入：每个文件只导入第一张表（如需导入请拆分文件）"
            ),
        });
    }
    let id = plan_id(file);
    let result = plan::read_plan(&text, table, registry, &mut found);
    // By line, for review in reading order (stable: same-line guesses keep their order).
    found.sort_by_key(|f| f.line);
    report.guesses.extend(at(found));
    Ok(result.map(|p| (id, p)).map_err(at))
}

/// The plan id of an input: its file stem, lower-cased, every run of other characters
/// than `[a-z0-9]` made one `-` (`001_c7cd.txt` → `001-c7cd`).
pub(crate) fn plan_id(file: &Path) -> PlanId {
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut id = String::new();
    for c in stem.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    PlanId::parse(id)
        .or_else(|_| PlanId::parse("imported-plan"))
        .unwrap_or_else(|_| unreachable!("imported-plan is a valid id"))
}

/// Refuses, before anything is written, when a file to write exists and `--force` is
/// not given.
fn refuse_overwrite(root: &Path, files: &[Imported], force: bool) -> Result<(), ImportError> {
    if force {
        return Ok(());
    }
    let existing: Vec<String> = files
        .iter()
        .filter(|f| root.join(&f.path).exists())
        .map(|f| f.path.display().to_string())
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    let list = existing.join(", ");
    Err(ImportError::Usage(text!(
        "{list} already exists; nothing written (pass --force to replace)",
        "{list} 已存在，未写入任何文件（如需覆盖请用 --force）"
    )))
}

/// Writes one imported file, creating its folder.
fn write(root: &Path, file: &Imported) -> Result<(), Text> {
    let path = root.join(&file.path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            let shown = parent.display();
            text!("cannot create {shown}: {e}", "无法创建 {shown}：{e}")
        })?;
    }
    std::fs::write(&path, &file.text).map_err(|e| {
        let shown = path.display();
        text!("cannot write {shown}: {e}", "无法写入 {shown}：{e}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_ids_from_file_names() {
        assert_eq!(plan_id(Path::new("a/001_C7cd.txt")).as_str(), "001-c7cd");
        assert_eq!(
            plan_id(Path::new("gz-2007-ip-demo-city.txt")).as_str(),
            "gz-2007-ip-demo-city"
        );
        assert_eq!(plan_id(Path::new("分解表.txt")).as_str(), "imported-plan");
    }
}
