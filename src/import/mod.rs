//! `gongkai import`: notices and plans held as text on old portals and in Word/WPS files
//! → content files, with every guess shown for review.
//!
//! A pipeline of its own, a module per stage:
//!
//! 1. `decode`: bytes → text (UTF-8, else GB18030/GBK), conversion debris removed,
//!    `--simplify`;
//! 2. `tables`: the tables in the text (box drawing, pipe rows, one cell per line) as
//!    one typed `tables::Table`;
//! 3. `plan`: a task-decomposition table → a plan; `notice`: any other text → a notice
//!    (front matter and Markdown body), and `body`: the coordinating body it establishes
//!    (`--kind auto`); `units`: the names → the site's unit ids;
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
//! (no task table, or `--kind notice`), making [`Imported`] files and [`Guess`]es like
//! the plan branch does. A notice without a 索引号 gets its issuer's next free one (as
//! `gongkai new notice` gives it), a guess.

pub(crate) mod body;
pub(crate) mod decode;
pub(crate) mod docx;
pub(crate) mod html;
pub(crate) mod markup;
pub(crate) mod notice;
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
    /// A notice (通知) with its metadata table and body; no body proposed.
    Notice,
    /// A task-decomposition plan (工作分解表).
    Plan,
    /// A plan when the file holds a task-decomposition table, else a notice (and the
    /// body it establishes, 成立…领导小组/联席会议).
    #[default]
    Auto,
}

/// What `gongkai import` was asked to do: also the command's arguments (clap reads them
/// straight into this, so the command line and the library cannot drift apart).
#[derive(Debug, Clone, clap::Args)]
pub struct ImportOptions {
    /// The files to import: text (UTF-8 or GB18030/GBK), .docx or saved .html pages.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Site root: the folder holding content/site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// What each file becomes: a notice, a plan (工作分解表), or (auto) a plan when it
    /// holds a task-decomposition table, else a notice and the body it establishes.
    #[arg(long, value_enum, default_value_t = ImportKind::Auto)]
    pub kind: ImportKind,
    /// Print what would be written and every guess; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace files that already exist.
    #[arg(long)]
    pub force: bool,
    /// Convert traditional characters (繁體) to simplified (OpenCC t2s).
    #[arg(long)]
    pub simplify: bool,
    /// Write a unit file, marked for review, for each unit name the site does not know.
    #[arg(long)]
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
    /// The files made, in order: plans and notices (by input), bodies, then new units.
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
    let mut items: Vec<(PathBuf, Item)> = Vec::new();
    for file in &options.files {
        match import_file(file, options, &registry, &mut report)? {
            Ok(item) => items.push((file.clone(), item)),
            Err(mut found) => problems.append(&mut found),
        }
    }
    // Unit names the site does not know: new units, or the reason nothing is written.
    let mut new_ids: BTreeMap<String, UnitId> = BTreeMap::new();
    let mut taken: Vec<String> = Vec::new();
    for (file, item) in &mut items {
        for unit_ref in item.unit_refs_mut() {
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
    let mut made = Vec::new();
    let mut bodies = Vec::new();
    let mut site: Option<crate::content::Content> = None;
    let mut assigned: Vec<String> = Vec::new();
    for (file, item) in &items {
        match item {
            Item::Plan(id, imported) => {
                let text = plan::to_yaml(imported, &new_ids).map_err(ImportError::Usage)?;
                made.push(Imported {
                    path: PathBuf::from(format!("content/progress/{id}.yaml")),
                    text,
                });
            }
            Item::Notice(n) => {
                if site.is_none() {
                    site = Some(load_site(root)?);
                }
                let Some(content) = site.as_ref() else {
                    continue;
                };
                match notice_files(file, n, content, &new_ids, &mut assigned, &mut report) {
                    Ok((notice_file, body_file)) => {
                        made.push(notice_file);
                        bodies.extend(body_file);
                    }
                    Err(problem) => problems.push(problem),
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Input {
            problems,
            guesses: std::mem::take(&mut report.guesses),
        });
    }
    made.append(&mut bodies);
    made.append(&mut report.files);
    report.files = made;
    // By input, then line (stable: a line's guesses keep the order they were made in).
    let order = |file: &Path| options.files.iter().position(|f| f == file);
    report.guesses.sort_by_key(|g| (order(&g.file), g.line));
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

/// What one input becomes.
#[derive(Debug)]
enum Item {
    /// A plan, by its id.
    Plan(PlanId, plan::ImportedPlan),
    /// A notice, and the body it establishes.
    Notice(Box<NoticeItem>),
}

impl Item {
    /// Every unit reference, for listing unknown names.
    fn unit_refs_mut(&mut self) -> Box<dyn Iterator<Item = &mut plan::UnitRef> + '_> {
        match self {
            Item::Plan(_, p) => Box::new(p.unit_refs_mut()),
            Item::Notice(n) => {
                let NoticeItem { notice, body, .. } = &mut **n;
                Box::new(
                    notice
                        .unit_refs_mut()
                        .chain(body.iter_mut().flat_map(|b| b.unit_refs_mut())),
                )
            }
        }
    }
}

/// A notice read from a file, with its slug and the body it proposes.
#[derive(Debug)]
struct NoticeItem {
    /// The file stem as an id: `content/notices/<year>/<slug>.md`, `content/bodies/<slug>.yaml`.
    slug: String,
    notice: notice::ImportedNotice,
    body: Option<body::ProposedBody>,
}

/// Reads one input and makes its plan or notice; `Err` inside is the input's problems.
fn import_file(
    file: &Path,
    options: &ImportOptions,
    registry: &units::Registry,
    report: &mut ImportReport,
) -> Result<Result<Item, Vec<Guess>>, ImportError> {
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

/// Makes a plan of a document's first task-decomposition table, or a notice when there
/// is none or `--kind notice` is given.
fn import_document(
    file: &Path,
    document: Document,
    options: &ImportOptions,
    registry: &units::Registry,
    report: &mut ImportReport,
) -> Result<Result<Item, Vec<Guess>>, ImportError> {
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
    let has_task_table = tables.iter().any(plan::is_task_table);
    if options.kind == ImportKind::Notice || (options.kind == ImportKind::Auto && !has_task_table) {
        let mut found = Vec::new();
        let result = import_notice(file, &text, &tables, options, registry, &mut found);
        found.sort_by_key(|f| f.line);
        report.guesses.extend(at(found));
        return Ok(result.map(|n| Item::Notice(Box::new(n))).map_err(at));
    }
    let mut task_tables = tables.into_iter().filter(plan::is_task_table);
    let Some(table) = task_tables.next() else {
        return Ok(Err(vec![Guess {
            file: file.to_path_buf(),
            line: 1,
            what: text!(
                "no task-decomposition table (序号, 工作内容, 负责单位) found",
                "未找到工作分解表（须有 序号、工作内容、负责单位 列）"
            ),
        }]));
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
    Ok(result.map(|p| Item::Plan(id, p)).map_err(at))
}

/// The notice branch: the notice, and with `--kind auto` the body it establishes.
fn import_notice(
    file: &Path,
    text: &str,
    tables: &[tables::Table],
    options: &ImportOptions,
    registry: &units::Registry,
    found: &mut Vec<plan::Found>,
) -> Result<NoticeItem, Vec<plan::Found>> {
    let notice = notice::read_notice(text, tables, registry, found)?;
    let slug = file_id(file).unwrap_or_else(|| "imported-notice".to_string());
    let body = if options.kind == ImportKind::Auto && body::establishes(&notice.title) {
        let mut prefixes: BTreeMap<String, usize> = BTreeMap::new();
        let mut issuer_name = None;
        for unit in &notice.issuers {
            if let plan::UnitRef::Known(id) = unit {
                let prefix = id.as_str().split('-').next().unwrap_or("").to_string();
                *prefixes.entry(prefix).or_default() += 1;
                issuer_name = issuer_name.or_else(|| registry.name_of(id.as_str()));
            }
        }
        body::propose(
            &notice.title,
            notice.title_line,
            issuer_name,
            &notice.blocks,
            registry,
            &prefixes,
            found,
        )
    } else {
        None
    };
    Ok(NoticeItem { slug, notice, body })
}

/// The site's content, for the next free 索引号 and the ones taken.
fn load_site(root: &Path) -> Result<crate::content::Content, ImportError> {
    let (content, diagnostics) = crate::content::load(root);
    content.ok_or_else(|| {
        let (en, zh) = (
            diagnostics.error_lines(crate::Lang::En),
            diagnostics.error_lines(crate::Lang::Zh),
        );
        ImportError::Usage(text!(
            "the site does not load, so no 索引号 can be checked:\n{en}",
            "站点无法读取，无法核对索引号：\n{zh}"
        ))
    })
}

/// The notice's file (and its body's): the 索引号 from the text, else the issuer's next
/// free one (a guess, as `gongkai new notice` gives it); refused when another notice of
/// the site has it.
fn notice_files(
    file: &Path,
    item: &NoticeItem,
    content: &crate::content::Content,
    new_ids: &BTreeMap<String, UnitId>,
    assigned: &mut Vec<String>,
    report: &mut ImportReport,
) -> Result<(Imported, Option<Imported>), Guess> {
    let n = &item.notice;
    let problem = |line: usize, what: Text| Guess {
        file: file.to_path_buf(),
        line,
        what,
    };
    let issuers: Vec<String> = n
        .issuers
        .iter()
        .filter_map(|u| match u {
            plan::UnitRef::Known(id) => Some(id.to_string()),
            plan::UnitRef::Unknown { name, .. } => new_ids.get(name).map(|id| id.to_string()),
        })
        .collect();
    let path = PathBuf::from(format!(
        "content/notices/{:04}/{}.md",
        n.date.year(),
        item.slug
    ));
    let index_no = match &n.index_no {
        Some(i) => i.clone(),
        None => {
            let first = issuers.first().map(String::as_str).unwrap_or_default();
            let Some(unit) = content.units.iter().find(|u| u.id.as_str() == first) else {
                return Err(problem(
                    n.issuer_line,
                    text!(
                        "no 索引号 in the text, and the issuer `{first}` is a new unit without an index_prefix: add a 索引号 line to the input",
                        "正文中没有索引号，且发布机构 `{first}` 是没有 index_prefix 的新单位：请在输入中加上索引号"
                    ),
                ));
            };
            let mut next = crate::scaffold::next_index_no(&content.notices, unit, n.date.year())
                .map_err(|e| {
                    let (en, zh) = (e.en().to_string(), e.zh().to_string());
                    problem(
                        n.issuer_line,
                        text!(
                            "no 索引号 in the text, and none can be given: {en}",
                            "正文中没有索引号，也无法自动编号：{zh}"
                        ),
                    )
                })?;
            while assigned.contains(&next) {
                next = bump(&next);
            }
            report.guesses.push(Guess {
                file: file.to_path_buf(),
                line: n.issuer_line,
                what: text!(
                    "索引号 {next}: the text has none, so the issuer's next free one (as `gongkai new notice` gives)",
                    "索引号 {next}：正文中没有索引号，按发布机构的下一个可用编号（与 `gongkai new notice` 相同）"
                ),
            });
            next
        }
    };
    let parsed = crate::content::notice::IndexNo::parse(&index_no)
        .map_err(|e| problem(n.index_no_line, e))?;
    if let Some(other) = content.notices.iter().find(|o| {
        o.index_no.value.slug().eq_ignore_ascii_case(&parsed.slug()) && o.file.path != path
    }) {
        let by = other.file.path.display();
        return Err(problem(
            n.index_no_line,
            text!(
                "索引号 `{index_no}` is taken by {by}: nothing written",
                "索引号 `{index_no}` 已被 {by} 使用：未写入任何文件"
            ),
        ));
    }
    if let Some(pattern) = &content.config.index_no_pattern
        && !pattern.is_match(&index_no)
    {
        return Err(problem(
            n.index_no_line,
            text!(
                "索引号 `{index_no}` does not match the site's index_no_pattern `{pattern}`: nothing written",
                "索引号 `{index_no}` 不符合站点的 index_no_pattern `{pattern}`：未写入任何文件"
            ),
        ));
    }
    if assigned.contains(&index_no) {
        return Err(problem(
            n.index_no_line,
            text!(
                "索引号 `{index_no}` is that of another file of this import",
                "索引号 `{index_no}` 与本次导入的另一个文件相同"
            ),
        ));
    }
    assigned.push(index_no.clone());
    let text = n
        .to_markdown(&index_no, &issuers)
        .map_err(|e| problem(1, e))?;
    let notice_file = Imported { path, text };
    let body_file = match &item.body {
        Some(b) => {
            let source = file.display().to_string();
            let text = body::to_yaml(b, &index_no, new_ids, &source).map_err(|e| problem(1, e))?;
            Some(Imported {
                path: PathBuf::from(format!("content/bodies/{}.yaml", item.slug)),
                text,
            })
        }
        None => None,
    };
    Ok((notice_file, body_file))
}

/// `k1/2022-00007` → `k1/2022-00008` (same width).
fn bump(index_no: &str) -> String {
    let digits = index_no
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .count();
    let (head, tail) = index_no.split_at(index_no.len() - digits);
    match tail.parse::<u64>() {
        Ok(n) => format!("{head}{:0width$}", n + 1, width = digits),
        Err(_) => format!("{index_no}-2"),
    }
}

/// An input's file stem, lower-cased, every run of other characters than `[a-z0-9]`
/// made one `-`; `None` when nothing is left.
fn file_id(file: &Path) -> Option<String> {
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
    (!id.is_empty()).then(|| id.to_string())
}

/// The plan id of an input: its file stem, lower-cased, every run of other characters
/// than `[a-z0-9]` made one `-` (`001_c7cd.txt` → `001-c7cd`).
pub(crate) fn plan_id(file: &Path) -> PlanId {
    file_id(file)
        .and_then(|id| PlanId::parse(&id).ok())
        .or_else(|| PlanId::parse("imported-plan").ok())
        .unwrap_or_else(|| unreachable!("imported-plan is a valid id"))
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
