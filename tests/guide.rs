//! docs/guide.md, the publisher's guide, stays true to the tool and the repository:
//! (a) every relative link and image points to an existing file (and every `#fragment` of
//! the guide itself to one of its headings); (b) every `gongkai <subcommand>` run in a code
//! block is a real subcommand (`gongkai <sub> --help` succeeds, nested ones such as `new
//! notice` too); (c) every `--flag` given to it there appears in that subcommand's help.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

/// Numbered lines (1-based) of a text.
type Lines<'a> = Vec<(usize, &'a str)>;

/// The guide split into prose lines and code-block lines (fenced with ``` or ~~~, possibly
/// indented inside a list item), with 1-based line numbers.
fn split(text: &str) -> (Lines<'_>, Lines<'_>) {
    let (mut prose, mut code) = (Vec::new(), Vec::new());
    let mut fence: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(f), Some(m)) if f == m && trimmed.trim_end() == m => fence = None,
            (Some(_), _) => code.push((i + 1, line)),
            (None, None) => prose.push((i + 1, line)),
        }
    }
    assert!(fence.is_none(), "docs/guide.md ends inside a code block");
    (prose, code)
}

/// GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Problems with the links and images of the guide's prose.
fn link_problems(text: &str, dir: &Path) -> Vec<String> {
    let (prose, _) = split(text);
    let inline_code = Regex::new(r"`[^`]*`").unwrap();
    let link = Regex::new(r#"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)"#).unwrap();
    let scheme = Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:").unwrap();
    let anchors: BTreeSet<String> = prose
        .iter()
        .filter_map(|(_, l)| l.strip_prefix('#'))
        .map(|h| slug(h.trim_start_matches('#')))
        .collect();
    let mut problems = Vec::new();
    let mut relative = 0;
    for (n, line) in &prose {
        let line = inline_code.replace_all(line, "");
        for cap in link.captures_iter(&line) {
            let target = &cap[1];
            if scheme.is_match(target) {
                continue;
            }
            let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
            if path.is_empty() {
                if !anchors.contains(fragment) {
                    problems.push(format!("line {n}: no heading for `#{fragment}`"));
                }
                continue;
            }
            relative += 1;
            if path.starts_with('/') {
                problems.push(format!("line {n}: `{target}` is absolute"));
            } else if !dir.join(path).exists() {
                problems.push(format!("line {n}: `{target}` does not exist"));
            }
        }
    }
    if relative == 0 {
        problems.push("no relative link found: is the parser broken?".into());
    }
    problems
}

/// Runs `gongkai <args> --help`; its output, or None when it fails.
fn help(cache: &mut HashMap<Vec<String>, Option<String>>, args: &[String]) -> Option<String> {
    cache
        .entry(args.to_vec())
        .or_insert_with(|| {
            let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
                .args(args)
                .arg("--help")
                .output()
                .expect("run gongkai");
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
        })
        .clone()
}

/// Problems with the `gongkai` commands of the guide's code blocks, and how many were checked.
fn command_problems(text: &str) -> (Vec<String>, usize) {
    let (_, code) = split(text);
    // A command starts a line (after a `$ ` prompt), follows `&&`, `;`, `|` or a backtick,
    // and may be called by a path (`target/release/gongkai`). It runs to the next separator.
    let command = Regex::new(
        r"(?:^\s*(?:\$\s+)?|&&\s*|;\s*|\|\s*|`)(?:[\w./-]*/)?gongkai((?:\s+[a-z][a-z-]*\b)*)([^`;&|]*)",
    )
    .unwrap();
    let flag = Regex::new(r"(?:^|\s)(--[a-z][a-z-]*)").unwrap();
    let mut cache = HashMap::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    for (n, line) in &code {
        for cap in command.captures_iter(line) {
            // Words after `gongkai`: as many as are subcommands (`new notice`), the rest are
            // arguments (`new unit lyg-scjgj`).
            let words: Vec<String> = cap[1].split_whitespace().map(String::from).collect();
            let mut sub: Vec<String> = Vec::new();
            let mut text = help(&mut cache, &sub).expect("gongkai --help");
            let mut rest = String::new();
            let mut real = true;
            for (i, word) in words.iter().enumerate() {
                if !text.contains("\nCommands:\n") {
                    rest = words[i..].join(" ");
                    break;
                }
                sub.push(word.clone());
                match help(&mut cache, &sub) {
                    Some(t) => text = t,
                    None => {
                        problems.push(format!(
                            "line {n}: `gongkai {}` is not a subcommand",
                            sub.join(" ")
                        ));
                        real = false;
                        break;
                    }
                }
            }
            if !real {
                continue;
            }
            checked += 1;
            rest.push(' ');
            rest.push_str(&cap[2]);
            for f in flag.captures_iter(&rest) {
                let f = &f[1];
                let accepted = Regex::new(&format!(
                    r"(?m)(?:^|[\s,\[])({})(?:[\s<=,\]]|$)",
                    regex::escape(f)
                ))
                .unwrap()
                .is_match(&text);
                if !accepted {
                    problems.push(format!(
                        "line {n}: `gongkai {}` does not accept `{f}`",
                        sub.join(" ")
                    ));
                }
            }
        }
    }
    (problems, checked)
}

#[test]
fn guide_links_point_to_existing_files() {
    let dir = docs();
    let text = std::fs::read_to_string(dir.join("guide.md")).expect("docs/guide.md");
    let problems = link_problems(&text, &dir);
    assert!(
        problems.is_empty(),
        "docs/guide.md:\n{}",
        problems.join("\n")
    );
}

#[test]
fn guide_commands_are_real() {
    let text = std::fs::read_to_string(docs().join("guide.md")).expect("docs/guide.md");
    let (problems, checked) = command_problems(&text);
    assert!(
        problems.is_empty(),
        "docs/guide.md:\n{}",
        problems.join("\n")
    );
    assert!(
        checked >= 10,
        "only {checked} gongkai commands found: is the parser broken?"
    );
}

/// The checks catch what they are for (so that a pass means something).
#[test]
fn the_checks_can_fail() {
    let dir = docs();
    let broken = "[x](img/no-such.png)\n\n![y](img/serve-preview.png)\n\n[z](#nowhere)\n";
    let problems = link_problems(broken, &dir);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("img/no-such.png"), "{problems:?}");
    assert!(problems[1].contains("#nowhere"), "{problems:?}");

    let bad = "```console\n$ gongkai publish --now\n$ gongkai new notice --issuer x --colour red\n$ gongkai new page p\n$ gongkai check --format json && gongkai build --format json\n```\n";
    let (problems, _) = command_problems(bad);
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(
        problems[0].contains("`gongkai publish` is not"),
        "{problems:?}"
    );
    assert!(problems[1].contains("`--colour`"), "{problems:?}");
    assert!(
        problems[2].contains("`gongkai new page` is not"),
        "{problems:?}"
    );
    assert!(
        problems[3].contains("`gongkai build` does not accept `--format`"),
        "{problems:?}"
    );
}
