//! The `gongkai` command line: arguments in, the library's pipeline, exit code out.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use gongkai::{BuildOptions, Diagnostics};

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
    },
    /// Validate the content only; exit 1 with every error listed.
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
    },
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

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    gongkai::time::parse_date(text)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            as_of,
            drafts,
            force,
        } => {
            let options = BuildOptions {
                root,
                out,
                as_of,
                drafts,
                force,
            };
            let started = Instant::now();
            match gongkai::build(&options) {
                Ok(report) => {
                    print_diagnostics(&report.warnings);
                    eprintln!(
                        "built {} notices, {} pages ({} files, {} attachments, {:.1} MB) as of {} into {} in {:.2?}",
                        report.notices,
                        report.output.pages,
                        report.output.files,
                        report.output.copied,
                        report.output.bytes as f64 / 1e6,
                        report.as_of,
                        options.out_dir().display(),
                        started.elapsed()
                    );
                    let t = report.timings;
                    eprintln!(
                        "  check {:.2?}, render {:.2?} (search index {:.2?}), write {:.2?}",
                        t.check, t.render, t.search, t.write
                    );
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => fail(&diagnostics),
            }
        }
        Command::Check {
            root,
            as_of,
            drafts,
            external,
        } => {
            let options = BuildOptions {
                root,
                out: None,
                as_of,
                drafts,
                force: false,
            };
            match gongkai::check(&options) {
                Ok((site, mut warnings)) => {
                    if external {
                        let links = site.links.external();
                        eprintln!("checking {} external links …", links.len());
                        warnings.extend(gongkai::external::check(links));
                    }
                    print_diagnostics(&warnings);
                    eprintln!(
                        "ok: {} notices, {} units, {} pages checked",
                        site.notices.len(),
                        site.units.len(),
                        site.pages.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => fail(&diagnostics),
            }
        }
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
            };
            match gongkai::serve::run(options, port, open) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn print_diagnostics(diagnostics: &Diagnostics) {
    for d in diagnostics.iter() {
        eprintln!("{d}\n");
    }
}

fn fail(diagnostics: &Diagnostics) -> ExitCode {
    print_diagnostics(diagnostics);
    let errors = diagnostics.errors().count();
    eprintln!("error: {errors} problem(s) found; nothing was written");
    ExitCode::FAILURE
}
