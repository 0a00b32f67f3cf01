//! The `gongkai` command line: arguments in, the library's pipeline, exit code out.
//!
//! Exit status: 0 when the content is fine (warnings allowed unless `--deny-warnings`),
//! 1 when it has errors, 2 when gongkai could not do its work (a missing root, an
//! unreadable file, a refused or locked output folder; clap's usage errors are 2 too).
//! Everything for the publisher goes to stderr, in the site's language; only
//! `check --format json` writes to stdout.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand, ValueEnum};
use gongkai::{BuildOptions, Diagnostics, Lang, PageCounts, Text, text};
use serde::Serialize;

/// mimalloc instead of the system allocator: a build makes ~10 M short-lived allocations
/// (strings, template values, minifier nodes) and glibc's malloc/free were a fifth of its
/// CPU time in a profile (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Static-site generator for government information disclosure (政府信息公开).
#[derive(Parser)]
#[command(name = "gongkai", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only if the whole build succeeds).
    Build {
        /// Site root: the folder holding content/site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: ROOT/public].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Judge validity and deadlines as of this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<jiff::civil::Date>,
        /// Include notices and news marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Replace the output folder even if it is not empty and was not made by gongkai
        /// (it has no .gongkai-output file). Never the site root or content/.
        #[arg(long)]
        force: bool,
        /// Also write a .gz and a .br beside every HTML, CSS, JS, JSON and XML file, for
        /// servers that send precompressed files (nginx gzip_static, brotli_static).
        #[arg(long)]
        precompress: bool,
        /// Render every page, ignoring and not updating the build cache in
        /// ROOT/.gongkai-cache/ (by default pages whose sources did not change since the
        /// last build into the same folder are taken from it unchanged).
        #[arg(long)]
        no_cache: bool,
        #[command(flatten)]
        report: Reporting,
    },
    /// Validate the content only, writing nothing; exit 1 with every error listed.
    Check {
        /// Site root: the folder holding content/site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Judge validity as of this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<jiff::civil::Date>,
        /// Include drafts in the check.
        #[arg(long)]
        drafts: bool,
        /// Also ask each external (http/https) link's server whether the page is there;
        /// reports warnings only, never fails (works offline too).
        #[arg(long)]
        external: bool,
        /// Also judge the site as a 政府网站检查 would (国办秘函〔2019〕19号) as of the date:
        /// stale home page and columns, empty columns, 政策解读, the annual report, identity;
        /// every finding is an error (docs/diagnostics.md).
        #[arg(long)]
        inspection: bool,
        /// `text` for people (stderr), `json` for tools: one document on stdout
        /// (docs/diagnostics.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        report: Reporting,
    },
    /// Print the annual report's tables (表二、表三、表四) for a year and write them as CSV.
    Report {
        /// The year: content/reports/YEAR.yaml must exist.
        #[arg(long, value_parser = parse_year)]
        year: gongkai::content::year_report::ReportYear,
        /// Site root: the folder holding content/site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The CSV file to write [default: report-YEAR.csv in the current folder].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Judge deadlines as of this date (YYYY-MM-DD), as `check` does; the tables
        /// themselves do not depend on it.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<jiff::civil::Date>,
        /// Replace the CSV file even if it is not one gongkai wrote.
        #[arg(long)]
        force: bool,
    },
    /// Write the JSON Schemas of every content file (for editors) into a folder.
    Schema {
        /// Site root: the folder holding content/site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Folder to write the *.schema.json files into [default: ROOT/schemas].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Scaffold a site or a content file, every field commented (a notice gets the next free 索引号).
    New {
        #[command(subcommand)]
        what: gongkai::scaffold::New,
    },
    /// Import notices, plans (工作分解表) and bodies from text copied out of old portals,
    /// .docx files and saved .html pages; every guess is shown with its line.
    Import(gongkai::import::ImportOptions),
    /// Build into a temporary folder, serve it on 127.0.0.1 and rebuild on every change
    /// of content/ or themes/; open pages reload, content errors show in them.
    Serve {
        /// Site root: the folder holding content/site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port on 127.0.0.1; the next free one if taken, any free one with 0.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include notices and news marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Judge validity and deadlines as of this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<jiff::civil::Date>,
    },
}

/// How much `build` and `check` say, and whether warnings fail them.
#[derive(Args, Clone, Copy)]
struct Reporting {
    /// Fail (exit 1) on warnings as well as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Print errors only: no warnings, no summary.
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print the time of each stage and where the as-of date came from.
    #[arg(long, short)]
    verbose: bool,
}

/// What `check` prints its findings as.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Diagnostics with the offending line, for a terminal.
    Text,
    /// One JSON document on stdout.
    Json,
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    // clap's own messages are English, so this one is too.
    gongkai::time::parse_date(text).map_err(|e| e.en().to_string())
}

fn parse_year(text: &str) -> Result<gongkai::content::year_report::ReportYear, String> {
    gongkai::content::year_report::ReportYear::parse(text).map_err(|e| e.en().to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Build {
            root,
            out,
            as_of,
            drafts,
            force,
            precompress,
            no_cache,
            report,
        } => build(
            BuildOptions {
                root,
                out,
                as_of,
                drafts,
                force,
                precompress,
                cache: !no_cache,
            },
            report,
        ),
        Command::Check {
            root,
            as_of,
            drafts,
            external,
            inspection,
            format,
            report,
        } => check(
            BuildOptions {
                root,
                out: None,
                as_of,
                drafts,
                force: false,
                precompress: false,
                cache: false,
            },
            Extra {
                external,
                inspection,
            },
            format,
            report,
        ),
        Command::Report {
            year,
            root,
            out,
            as_of,
            force,
        } => report(
            BuildOptions {
                root,
                out: None,
                as_of,
                drafts: false,
                force,
                precompress: false,
                cache: false,
            },
            year,
            out,
        ),
        Command::Schema { root, out } => written(
            gongkai::schema::write(&out.unwrap_or_else(|| root.join(gongkai::schema::DEFAULT_DIR))),
            gongkai::config::site_language(&root),
        ),
        Command::New { what } => written(gongkai::scaffold::run(&what), what.language()),
        Command::Import(options) => import(options),
        Command::Serve {
            root,
            port,
            open,
            drafts,
            as_of,
        } => {
            let options = BuildOptions {
                root,
                out: None,
                as_of,
                drafts,
                force: false,
                precompress: false,
                cache: false,
            };
            match gongkai::serve::run(options, port, open) {
                Ok(()) => 0,
                Err(message) => {
                    eprintln!("error: {}", gongkai::diagnostics::printable(&message));
                    2
                }
            }
        }
    };
    ExitCode::from(status)
}

fn build(options: BuildOptions, report: Reporting) -> u8 {
    let lang = gongkai::config::site_language(&options.root);
    let started = Instant::now();
    let show_progress = !report.quiet && progress_wanted();
    let result = with_progress(show_progress, lang, |progress| {
        gongkai::build_counting(&options, Some(progress))
    });
    match result {
        Ok(built) => {
            let status = built.warnings.exit_code(report.deny_warnings);
            print_diagnostics(&built.warnings, lang, report);
            if status != 0 {
                // The site is written; --deny-warnings still fails the run.
                fail_line(&built.warnings, lang, report.deny_warnings);
                return status;
            }
            if report.quiet {
                return status;
            }
            let p = built.pages;
            let o = built.output;
            let out_dir = options.out_dir();
            let summary = text!(
                "built {counts} ({pages} pages, {files} files, {attachments} attachments, {mb:.1} MB) as of {as_of} into {out} in {time:.2?}; {warnings} warning(s)",
                "已构建：{counts_zh}（共 {pages} 个页面、{files} 个文件、{attachments} 个附件、{mb:.1} MB），截至 {as_of}，输出到 {out}，用时 {time:.2?}；警告 {warnings} 条",
                counts = counts_en(&p, true),
                counts_zh = counts_zh(&p, true),
                pages = o.pages,
                files = o.files,
                attachments = o.copied,
                mb = o.bytes as f64 / 1e6,
                as_of = built.as_of,
                out = out_dir.display(),
                time = started.elapsed(),
                warnings = built.warnings.warnings().count()
            );
            say(&summary, lang);
            if report.verbose {
                let t = built.timings;
                say(
                    &text!(
                        "  check {check:.2?}, render {render:.2?} (search index {search:.2?}), write {write:.2?}; {reused} files unchanged from the build cache; as of {as_of} from {source:?}",
                        "  检查 {check:.2?}，渲染 {render:.2?}（其中搜索索引 {search:.2?}），写出 {write:.2?}；沿用构建缓存中未变的文件 {reused} 个；截至日期 {as_of} 来自 {source:?}",
                        reused = built.reused,
                        check = t.check,
                        render = t.render,
                        search = t.search,
                        write = t.write,
                        as_of = built.as_of,
                        source = built.as_of.source
                    ),
                    lang,
                );
            }
            status
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, lang, report);
            fail_line(&diagnostics, lang, report.deny_warnings);
            diagnostics.exit_code(report.deny_warnings).max(1)
        }
    }
}

/// Prints each path written, or the error, and gives the exit code (for `schema`, `new`).
fn written(result: Result<Vec<PathBuf>, gongkai::diagnostics::Text>, lang: Lang) -> u8 {
    match result {
        Ok(paths) => {
            paths.iter().for_each(|p| println!("{}", p.display()));
            0
        }
        Err(message) => {
            let label = match lang {
                Lang::En => "error: ",
                Lang::Zh => "错误：",
            };
            eprintln!(
                "{label}{}",
                gongkai::diagnostics::printable(message.get(lang))
            );
            1
        }
    }
}

/// `gongkai import`: guesses and problems on stderr with their file:line; with
/// `--dry-run` each file that would be written on stdout, after a `==> path` line.
fn import(options: gongkai::import::ImportOptions) -> u8 {
    use gongkai::import::ImportError;
    let lang = gongkai::config::site_language(&options.root);
    let show_guesses = |guesses: &[gongkai::import::Guess]| {
        for g in guesses {
            eprintln!("{}", gongkai::diagnostics::printable(&g.render(lang)));
        }
    };
    let label = match lang {
        Lang::En => "error: ",
        Lang::Zh => "错误：",
    };
    match gongkai::import::run(&options) {
        Ok(report) => {
            show_guesses(&report.guesses);
            for file in &report.files {
                if report.written {
                    println!("{}", options.root.join(&file.path).display());
                } else {
                    println!("==> {}", file.path.display());
                    print!("{}", file.text);
                }
            }
            print_diagnostics(
                &report.warnings,
                lang,
                Reporting {
                    deny_warnings: false,
                    quiet: false,
                    verbose: false,
                },
            );
            let (files, guesses) = (report.files.len(), report.guesses.len());
            let summary = if report.written {
                text!(
                    "imported: {files} file(s) written, {guesses} guess(es) to review; the site passes check",
                    "已导入：写入 {files} 个文件，{guesses} 处推测待核对；站点检查通过"
                )
            } else {
                text!(
                    "dry run: {files} file(s) would be written, {guesses} guess(es); nothing written",
                    "试运行：将写入 {files} 个文件，{guesses} 处推测；未写入任何文件"
                )
            };
            say(&summary, lang);
            0
        }
        Err(ImportError::Usage(message)) => {
            eprintln!(
                "{label}{}",
                gongkai::diagnostics::printable(message.get(lang))
            );
            2
        }
        Err(ImportError::Input { problems, guesses }) => {
            show_guesses(&guesses);
            for p in &problems {
                let file = p.file.display();
                let line = p.line;
                eprintln!(
                    "{file}:{line}: {label}{}",
                    gongkai::diagnostics::printable(p.what.get(lang))
                );
            }
            let count = problems.len();
            say(
                &text!(
                    "not imported: {count} problem(s); nothing written",
                    "未导入：{count} 个问题；未写入任何文件"
                ),
                lang,
            );
            1
        }
        Err(ImportError::Check {
            report,
            diagnostics,
        }) => {
            show_guesses(&report.guesses);
            for file in &report.files {
                println!("{}", options.root.join(&file.path).display());
            }
            print_diagnostics(
                &diagnostics,
                lang,
                Reporting {
                    deny_warnings: false,
                    quiet: false,
                    verbose: false,
                },
            );
            say(
                &text!(
                    "the files are written, but the site does not pass check: fix the errors above",
                    "文件已写入，但站点未通过检查：请修正上面的错误"
                ),
                lang,
            );
            1
        }
    }
}

/// What `check` does beyond the validation `build` shares.
#[derive(Clone, Copy)]
struct Extra {
    /// `--external`: ask each http(s) link's server.
    external: bool,
    /// `--inspection`: the 检查指标 items ([`gongkai::inspection`]).
    inspection: bool,
}

fn check(options: BuildOptions, extra: Extra, format: Format, report: Reporting) -> u8 {
    let lang = gongkai::config::site_language(&options.root);
    let started = Instant::now();
    let (diagnostics, checked) = match gongkai::check(&options) {
        Ok((site, mut warnings)) => {
            if extra.inspection {
                warnings.extend(gongkai::inspection::inspect(&site));
                warnings.sort();
            }
            if extra.external {
                let links = site.links.external();
                if format == Format::Text && !report.quiet {
                    say(
                        &text!(
                            "checking {n} external links …",
                            "正在检查 {n} 个外部链接……",
                            n = links.len()
                        ),
                        lang,
                    );
                }
                warnings.extend(gongkai::external::check(links));
                warnings.sort();
            }
            (warnings, Some(PageCounts::of(&site, 0)))
        }
        Err(diagnostics) => (diagnostics, None),
    };
    let status = diagnostics.exit_code(report.deny_warnings);
    if format == Format::Json {
        print_json(&diagnostics, checked, lang, status);
        return status;
    }
    print_diagnostics(&diagnostics, lang, report);
    if status != 0 {
        fail_line(&diagnostics, lang, report.deny_warnings);
    } else if !report.quiet {
        let items = checked.unwrap_or_default();
        say(
            &text!(
                "ok: checked {counts} in {time:.2?}; no errors, {warnings} warning(s)",
                "检查通过：{counts_zh}，用时 {time:.2?}；没有错误，警告 {warnings} 条",
                counts = counts_en(&items, false),
                counts_zh = counts_zh(&items, false),
                time = started.elapsed(),
                warnings = diagnostics.warnings().count()
            ),
            lang,
        );
    }
    status
}

/// `gongkai report`: the same validation as `check` (exit 1 with its errors), then the
/// tables on stdout and the CSV written. Exit 2 when the year has no year file or the
/// CSV cannot be written, or would replace a file gongkai did not write (without
/// `--force`).
fn report(
    options: BuildOptions,
    year: gongkai::content::year_report::ReportYear,
    out: Option<PathBuf>,
) -> u8 {
    use gongkai::duties::report;
    let lang = gongkai::config::site_language(&options.root);
    let all = Reporting {
        deny_warnings: false,
        quiet: false,
        verbose: false,
    };
    let expected = report::year_file_path(year);
    let expected_at = options.root.join(&expected);
    if !expected_at.is_file() {
        say(
            &text!(
                "error: there is no year file for {year}: expected {path}",
                "错误：没有 {year} 年的年度报告数据文件：应为 {path}",
                path = expected_at.display()
            ),
            lang,
        );
        return 2;
    }
    let (site, warnings) = match gongkai::check(&options) {
        Ok(checked) => checked,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, lang, all);
            fail_line(&diagnostics, lang, false);
            return diagnostics.exit_code(false).max(1);
        }
    };
    print_diagnostics(&warnings, lang, all);
    let Some(tables) = report::for_year(&site, year) else {
        // The file exists but was not loaded (a broken one fails the check above).
        say(
            &text!(
                "error: {path} was not read as a year file",
                "错误：{path} 未能作为年度报告数据读取",
                path = expected.display()
            ),
            lang,
        );
        return 2;
    };
    print!("{}", tables.terminal());
    let out = out
        .unwrap_or_else(|| PathBuf::from(gongkai::urls::report_tables(&year.to_string(), "csv")));
    match write_report_csv(&tables, &out, options.force) {
        Ok(()) => {
            say(
                &text!("wrote {path}", "已写出 {path}", path = out.display()),
                lang,
            );
            0
        }
        Err(message) => {
            let label = match lang {
                Lang::En => "error: ",
                Lang::Zh => "错误：",
            };
            eprintln!(
                "{label}{}",
                gongkai::diagnostics::printable(message.get(lang))
            );
            2
        }
    }
}

/// Writes the report's CSV to `out` through a temporary file beside it, refusing to
/// replace anything but a report CSV gongkai wrote unless `force` (and never a folder).
fn write_report_csv(
    tables: &gongkai::duties::report::Tables,
    out: &std::path::Path,
    force: bool,
) -> Result<(), Text> {
    let path = out.display();
    if let Ok(meta) = std::fs::symlink_metadata(out) {
        let ours = meta.is_file()
            && std::fs::read(out).is_ok_and(|b| gongkai::duties::report::is_report_csv(&b));
        if !meta.is_file() || (!ours && !force) {
            return Err(text!(
                "{path} exists and was not written by gongkai report; nothing was written (use --force to replace it, or --out another file)",
                "{path} 已存在且不是 gongkai report 写出的文件；未写出任何内容（如需替换请加 --force，或用 --out 指定其他文件）"
            ));
        }
    }
    let bytes = tables
        .csv()
        .map_err(|e| text!("cannot write CSV: {e}", "无法写出 CSV：{e}"))?;
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let failed = |e: std::io::Error| text!("cannot write {path}: {e}", "无法写出 {path}：{e}");
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    temp.write_all(&bytes).map_err(failed)?;
    temp.persist(out).map_err(|e| failed(e.error))?;
    Ok(())
}

/// "12 notices, 3 units, …", the lists only after a build (a check writes none).
fn counts_en(p: &PageCounts, with_lists: bool) -> String {
    let mut text = format!(
        "{} notices, {} units, {} bodies, {} plans, {} news, {} pages",
        p.notices, p.units, p.bodies, p.plans, p.news, p.pages
    );
    if with_lists {
        text += &format!(", {} lists", p.lists);
    }
    text
}

/// "文件 12、单位 3、…", the counterpart of [`counts_en`].
fn counts_zh(p: &PageCounts, with_lists: bool) -> String {
    let mut text = format!(
        "文件 {}、单位 {}、议事协调机构 {}、工作方案 {}、工作动态 {}、页面 {}",
        p.notices, p.units, p.bodies, p.plans, p.news, p.pages
    );
    if with_lists {
        text += &format!("、列表 {}", p.lists);
    }
    text
}

/// One line of the summary on stderr.
fn say(line: &Text, lang: Lang) {
    anstream::eprintln!("{}", line.get(lang));
}

/// Every diagnostic, or under `--quiet` only those that fail the run, each followed by
/// an empty line; coloured when stderr takes colour (anstream strips the styles when it
/// is not a terminal or NO_COLOR is set).
fn print_diagnostics(diagnostics: &Diagnostics, lang: Lang, report: Reporting) {
    let mut stderr = anstream::stderr().lock();
    for d in diagnostics.iter() {
        if report.quiet && !d.is_error() && !report.deny_warnings {
            continue;
        }
        let _ = writeln!(stderr, "{}\n", d.render(lang, true));
    }
}

/// The last line of a failed run.
fn fail_line(diagnostics: &Diagnostics, lang: Lang, deny_warnings: bool) {
    let errors = diagnostics.errors().count();
    let warnings = diagnostics.warnings().count();
    let line = if errors == 0 && deny_warnings {
        text!(
            "error: {warnings} warning(s), which --deny-warnings makes fail",
            "错误：有 {warnings} 条警告，--deny-warnings 使其视为失败"
        )
    } else {
        text!(
            "error: {errors} problem(s) found; nothing was written",
            "错误：发现 {errors} 个问题；没有写出任何文件"
        )
    };
    let red = anstyle::AnsiColor::Red.on_default().bold();
    anstream::eprintln!("{red}{}{red:#}", line.get(lang));
}

/// `check --format json`: what tools read (the shape is documented in
/// docs/diagnostics.md and kept stable).
#[derive(Serialize)]
struct JsonReport<'a> {
    /// Bumped only when a field changes meaning or goes away.
    version: u32,
    /// The language of `message` and `help`.
    language: Lang,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: String,
    line: usize,
    column: usize,
    severity: gongkai::Severity,
    code: gongkai::Code,
    message: &'a str,
    help: Option<&'a str>,
    /// The line the problem is on, or null for a whole file or folder.
    source_line: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    /// The exit status of this run.
    exit_code: u8,
    /// Items checked; null when the content could not be read as a site.
    checked: Option<PageCounts>,
}

fn print_json(diagnostics: &Diagnostics, checked: Option<PageCounts>, lang: Lang, status: u8) {
    let report = JsonReport {
        version: 1,
        language: lang,
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                file: d.path.to_string_lossy().replace('\\', "/"),
                line: d.position.line,
                column: d.position.column,
                severity: d.severity,
                code: d.code,
                message: d.message.get(lang),
                help: d.help.as_ref().map(|h| h.get(lang)),
                source_line: (!d.line_text.is_empty()).then_some(d.line_text.as_str()),
            })
            .collect(),
        summary: JsonSummary {
            errors: diagnostics.errors().count(),
            warnings: diagnostics.warnings().count(),
            exit_code: status,
            checked: checked.map(|mut c| {
                c.lists = 0;
                c
            }),
        },
    };
    let mut stdout = std::io::stdout().lock();
    match serde_json::to_writer_pretty(&mut stdout, &report) {
        Ok(()) => {
            let _ = writeln!(stdout);
        }
        Err(e) => eprintln!("cannot write JSON: {e}"),
    }
}

/// A progress bar only where someone watches it: stderr is a terminal and this is not
/// a CI job (whose logs would fill with redraws).
fn progress_wanted() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// Runs `work` with a counter of files written; if it takes more than a second and
/// `show` holds, a spinner with the count runs on stderr until it returns.
fn with_progress<T>(show: bool, lang: Lang, work: impl FnOnce(Arc<gongkai::Progress>) -> T) -> T {
    let progress = Arc::new(gongkai::Progress::default());
    if !show {
        return work(progress);
    }
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let counter = Arc::clone(&progress);
    let drawer = std::thread::spawn(move || {
        // A build done within a second never shows a bar.
        if finished.recv_timeout(Duration::from_secs(1)).is_ok() {
            return;
        }
        // The second already waited counts in the time shown.
        let bar = indicatif::ProgressBar::new(0).with_elapsed(Duration::from_secs(1));
        // Until the content is checked the number of pages is unknown: a spinner; then a
        // bar of the pages (the search index follows them, shown as the bar's end).
        let template = match lang {
            Lang::En => "{spinner} [{bar:30}] {pos}/{len} files, then the search index {elapsed}",
            Lang::Zh => "{spinner} [{bar:30}] 已写出 {pos}/{len} 个文件，随后写搜索索引 {elapsed}",
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        loop {
            let pages = counter.pages.load(Ordering::Relaxed);
            bar.set_length(pages);
            bar.set_position(counter.written.load(Ordering::Relaxed).min(pages));
            bar.tick();
            match finished.recv_timeout(Duration::from_millis(100)) {
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
                _ => break,
            }
        }
        bar.finish_and_clear();
    });
    let result = work(progress);
    let _ = done.send(());
    let _ = drawer.join();
    result
}
