//! Unit names in imported tables → the site's unit ids.
//!
//! A 负责单位 cell is a list written for people: `市编委办，各区、县级市政府`,
//! `各区、县级市财政局、知识产权局`, `市协作办、市贸促会等有关单位`. The `、` inside a
//! collective name (`各区、县级市政府`) is the same mark that separates two units, so the
//! list is not split first and matched after: at each place the *longest* known name
//! that ends at a separator wins, and only text no known name covers is split at
//! `、，,；;` and then at 及/和/与 — the "where safe" of the issue: a split at 及 is taken
//! only when every part is a known unit. Every step that is not an exact match is a guess
//! ([`Resolution::guess`]), shown by `--dry-run`.
//!
//! Names are compared normalised ([`normalise`]): no spaces, full-width ASCII (`（）`, `，`)
//! folded to half-width, so `市科技局（知识产权局）` = `市科技局(知识产权局)`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::unit::{self, UnitId};
use crate::diagnostics::Text;
use crate::source::SourceFile;
use crate::text;

/// A unit of the site, by the names it can be written as.
#[derive(Debug, Clone)]
pub(crate) struct Known {
    /// Its id.
    pub id: UnitId,
    /// Its official name, to show in suggestions.
    pub name: String,
}

/// The site's units, indexed by normalised name, short name and alias.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    units: Vec<Known>,
    /// Normalised name → indexes into `units` (a short name like 市科技局 may belong to
    /// units of two cities).
    by_name: BTreeMap<String, Vec<usize>>,
    /// Names longest first, for the longest-match scan.
    names_longest_first: Vec<String>,
}

/// Ways of writing the same collective: a name in a table that is one of a group, and no
/// unit's own name, is read as the first name of the group the site has (a guess).
const COLLECTIVE_GROUPS: &[&[&str]] = &[
    &[
        "各有关单位",
        "有关单位",
        "相关单位",
        "各相关单位",
        "有关部门",
        "相关部门",
        "各有关部门",
    ],
    &[
        "各县（市、区）政府",
        "各县（市、区）人民政府",
        "各县区政府",
        "各县、区政府",
        "各县、区人民政府",
        "各县（区）政府",
    ],
    &["各区、县级市政府", "各区、县级市人民政府"],
    &[
        "各领导小组成员单位",
        "领导小组各成员单位",
        "领导小组成员单位",
        "各成员单位",
        "成员单位",
    ],
];

/// Separators of a list of units (after [`normalise`]).
fn is_separator(c: char) -> bool {
    matches!(c, '、' | ',' | ';' | '/' | '\n')
}

/// Words that join the last two units of a list; a split there must be proven safe.
const CONJUNCTIONS: &[char] = &['及', '和', '与'];

/// Names compared as the same: spaces dropped, full-width ASCII folded to half-width.
pub(crate) fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

impl Registry {
    /// Reads `content/units/*.yaml` under `root` (in file-name order). Files that do not
    /// parse are skipped here and reported by the check after writing.
    pub(crate) fn load(root: &Path) -> Result<Registry, Text> {
        let dir = root.join("content").join("units");
        let mut registry = Registry::default();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(registry),
            Err(e) => {
                let shown = dir.display();
                return Err(text!("cannot read {shown}: {e}", "无法读取 {shown}：{e}"));
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        paths.sort();
        for path in paths {
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let Ok(id) = UnitId::parse(stem) else {
                continue;
            };
            let relative = PathBuf::from("content/units").join(format!("{stem}.yaml"));
            let Ok(file) = SourceFile::read(root, &relative) else {
                continue;
            };
            if let (Some(u), _) = unit::parse(file, id) {
                let mut names = vec![u.name.clone()];
                names.extend(u.short_name.clone());
                names.extend(u.aliases.iter().cloned());
                registry.add(
                    Known {
                        id: u.id.clone(),
                        name: u.name.clone(),
                    },
                    &names,
                );
            }
        }
        Ok(registry)
    }

    /// Adds a unit under each of `names`.
    pub(crate) fn add(&mut self, known: Known, names: &[String]) {
        let index = self.units.len();
        self.units.push(known);
        for name in names {
            let key = normalise(name);
            if key.is_empty() {
                continue;
            }
            let entry = self.by_name.entry(key.clone()).or_default();
            if !entry.contains(&index) {
                entry.push(index);
            }
        }
        let mut names: Vec<String> = self.by_name.keys().cloned().collect();
        names.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        self.names_longest_first = names;
    }

    /// Whether a unit with this id exists.
    pub(crate) fn has_id(&self, id: &str) -> bool {
        self.units.iter().any(|u| u.id.as_str() == id)
    }

    /// The units a normalised name means (several when ambiguous).
    fn lookup(&self, key: &str) -> Vec<UnitId> {
        self.by_name
            .get(key)
            .map(|v| v.iter().map(|&i| self.units[i].id.clone()).collect())
            .unwrap_or_default()
    }

    /// The closest known names to `name`, by edit distance over characters (at most 3,
    /// and only those within half the name's length).
    pub(crate) fn closest(&self, name: &str) -> Vec<(String, UnitId)> {
        let key = normalise(name);
        let limit = key.chars().count().div_ceil(2).max(2);
        let mut scored: Vec<(usize, &String, usize)> = self
            .by_name
            .iter()
            .flat_map(|(n, ids)| ids.iter().map(move |&i| (n, i)))
            .map(|(n, i)| (strsim::levenshtein(&key, n), n, i))
            .filter(|(d, _, _)| *d <= limit)
            .collect();
        scored.sort();
        let mut out: Vec<(String, UnitId)> = Vec::new();
        for (_, n, i) in scored {
            let id = self.units[i].id.clone();
            if out.iter().any(|(_, known)| *known == id) {
                continue;
            }
            let shown = if *n == normalise(&self.units[i].name) {
                self.units[i].name.clone()
            } else {
                format!("{n}/{}", self.units[i].name)
            };
            out.push((shown, id));
            if out.len() == 3 {
                break;
            }
        }
        out
    }

    /// Splits a cell of unit names and matches each ([`Resolution`] per name found).
    pub(crate) fn resolve_list(&self, cell: &str) -> Vec<Resolution> {
        let s: Vec<char> = normalise(cell).chars().collect();
        let mut out: Vec<Resolution> = Vec::new();
        let mut pos = 0;
        while pos < s.len() {
            if is_separator(s[pos]) || s[pos] == '等' {
                pos += 1;
                continue;
            }
            // 1. The longest known name here that ends at a separator, 等, a conjunction
            //    or the end.
            let end = (pos..s.len())
                .find(|&i| is_separator(s[i]))
                .unwrap_or(s.len());
            if let Some((len, ids)) = self.longest_at(&s, pos) {
                // `及`/`和` right after a whole name splits only if a known name follows
                // (`市文化和旅游局` is one office, not 市文化 and 旅游局).
                let conjunction = s.get(pos + len).is_some_and(|c| CONJUNCTIONS.contains(c));
                let safe = !conjunction || {
                    let after: String = s[(pos + len + 1).min(end)..end].iter().collect();
                    self.longest_at(&s, pos + len + 1).is_some()
                        || self.collective(&after).is_some()
                };
                if safe {
                    let written: String = s[pos..pos + len].iter().collect();
                    out.push(Resolution::found(written, ids, None));
                    pos += len + usize::from(conjunction);
                    continue;
                }
            }
            // 2. A collective's other written forms (`各县、区政府`).
            if let Some((len, r)) = self.collective_at(&s, pos) {
                out.push(r);
                pos += len;
                continue;
            }
            // 3. Up to the next separator.
            let fragment: String = s[pos..end].iter().collect();
            out.extend(self.resolve_fragment(&fragment, out.last()));
            pos = end;
        }
        out
    }

    /// The longest known name at `pos` of `s` that ends at a boundary.
    fn longest_at(&self, s: &[char], pos: usize) -> Option<(usize, Vec<UnitId>)> {
        let rest: String = s[pos..].iter().collect();
        for name in &self.names_longest_first {
            if !rest.starts_with(name.as_str()) {
                continue;
            }
            let len = name.chars().count();
            let boundary = s
                .get(pos + len)
                .is_none_or(|&c| is_separator(c) || c == '等' || CONJUNCTIONS.contains(&c));
            if boundary {
                return Some((len, self.lookup(name)));
            }
        }
        None
    }

    /// A piece between separators that no known name starts: a collective word, a
    /// name sharing the previous one's prefix (`各区、县级市财政局、知识产权局`), a safe split
    /// at 及/和, else unknown with suggestions.
    fn resolve_fragment(&self, fragment: &str, previous: Option<&Resolution>) -> Vec<Resolution> {
        if let Some(r) = self.collective(fragment) {
            return vec![r];
        }
        if let Some(r) = previous.and_then(|p| self.inherit_prefix(fragment, p)) {
            return vec![r];
        }
        for &c in CONJUNCTIONS {
            let parts: Vec<&str> = fragment.split(c).filter(|p| !p.is_empty()).collect();
            if parts.len() < 2 {
                continue;
            }
            let resolved: Vec<Option<Resolution>> = parts
                .iter()
                .map(|p| {
                    let ids = self.lookup(p);
                    (!ids.is_empty())
                        .then(|| Resolution::found(p.to_string(), ids, None))
                        .or_else(|| self.collective(p))
                })
                .collect();
            if resolved.iter().all(Option::is_some) {
                let split = fragment.to_string();
                return resolved
                    .into_iter()
                    .flatten()
                    .map(|mut r| {
                        r.guess.get_or_insert_with(|| {
                            text!("split `{split}` at `{c}`", "在“{c}”处拆分“{split}”")
                        });
                        r
                    })
                    .collect();
            }
        }
        vec![Resolution {
            written: fragment.to_string(),
            ids: Vec::new(),
            guess: None,
            suggestions: self.closest(fragment),
        }]
    }

    /// `有关单位` → 各有关单位, `各县、区政府` → 各县（市、区）政府 …: the collective a
    /// written form stands for ([`COLLECTIVE_GROUPS`]), when the site has one of its names.
    fn collective(&self, fragment: &str) -> Option<Resolution> {
        let group = COLLECTIVE_GROUPS
            .iter()
            .find(|g| g.iter().any(|w| normalise(w) == fragment))?;
        let (meant, ids) = group.iter().find_map(|name| {
            let key = normalise(name);
            let ids = self.lookup(&key);
            (!ids.is_empty()).then_some((*name, ids))
        })?;
        Some(Resolution::found(
            fragment.to_string(),
            ids,
            Some(text!(
                "read `{fragment}` as the collective `{meant}`",
                "将“{fragment}”视为集合单位“{meant}”"
            )),
        ))
    }

    /// A collective written form ([`COLLECTIVE_GROUPS`]) starting at `pos` and ending at a
    /// boundary, longest first: found before the list is split, since such forms hold a
    /// `、` too.
    fn collective_at(&self, s: &[char], pos: usize) -> Option<(usize, Resolution)> {
        let rest: String = s[pos..].iter().collect();
        let mut forms: Vec<String> = COLLECTIVE_GROUPS
            .iter()
            .flat_map(|g| g.iter().map(|w| normalise(w)))
            .collect();
        forms.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        forms.into_iter().find_map(|form| {
            let len = form.chars().count();
            let boundary = s
                .get(pos + len)
                .is_none_or(|&c| is_separator(c) || c == '等' || CONJUNCTIONS.contains(&c));
            if !rest.starts_with(&form) || !boundary {
                return None;
            }
            self.collective(&form).map(|r| (len, r))
        })
    }

    /// `知识产权局` after `各区、县级市财政局` → `各区、县级市知识产权局`: the previous name's
    /// longest prefix that, put before the fragment, makes a known name.
    fn inherit_prefix(&self, fragment: &str, previous: &Resolution) -> Option<Resolution> {
        if previous.ids.is_empty() {
            return None;
        }
        let chars: Vec<char> = previous.written.chars().collect();
        for k in (1..chars.len()).rev() {
            let prefix: String = chars[..k].iter().collect();
            let whole = format!("{prefix}{fragment}");
            let ids = self.lookup(&whole);
            if !ids.is_empty() {
                return Some(Resolution::found(
                    fragment.to_string(),
                    ids,
                    Some(text!(
                        "read `{fragment}` as `{whole}` (the prefix of the name before it)",
                        "按前一名称的前缀将“{fragment}”读作“{whole}”"
                    )),
                ));
            }
        }
        None
    }

    /// The longest known name (at least two characters) that `text` starts with, and its
    /// units: `区政府分管副区长` → 区政府 (for a body's leaders and office).
    pub(crate) fn longest_prefix(&self, text: &str) -> Option<(String, Vec<UnitId>)> {
        let key = normalise(text);
        self.names_longest_first
            .iter()
            .filter(|n| n.chars().count() >= 2)
            .find(|n| key.starts_with(n.as_str()))
            .map(|n| (n.clone(), self.lookup(n)))
    }

    /// The official name of the unit `id`.
    pub(crate) fn name_of(&self, id: &str) -> Option<&str> {
        self.units
            .iter()
            .find(|u| u.id.as_str() == id)
            .map(|u| u.name.as_str())
    }

    /// The id a new unit for `name` would get: `import-N`, the first N free (so the same
    /// site and input give the same ids).
    pub(crate) fn free_id(&self, taken: &[String]) -> UnitId {
        let mut n = 1usize;
        loop {
            let id = format!("import-{n}");
            if !self.has_id(&id) && !taken.contains(&id) {
                return UnitId::parse(&id)
                    .unwrap_or_else(|_| unreachable!("import-N is a valid id"));
            }
            n += 1;
        }
    }
}

/// One name found in a cell and what it was matched to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolution {
    /// The name as found (normalised).
    pub written: String,
    /// Matching units: none (unknown), one, or several (ambiguous short name).
    pub ids: Vec<UnitId>,
    /// How it was read, when not by an exact name.
    pub guess: Option<Text>,
    /// The closest known names, for an unknown one.
    pub suggestions: Vec<(String, UnitId)>,
}

impl Resolution {
    fn found(written: String, ids: Vec<UnitId>, guess: Option<Text>) -> Self {
        Resolution {
            written,
            ids,
            guess,
            suggestions: Vec::new(),
        }
    }
}

/// Picks one id among several that share a name (市科技局 of two cities): the one whose
/// id prefix (`gz` of `gz-kjj`) the unambiguous matches of the same file use most.
pub(crate) fn disambiguate(ids: &[UnitId], prefixes: &BTreeMap<String, usize>) -> Option<UnitId> {
    let prefix = |id: &UnitId| id.as_str().split('-').next().unwrap_or("").to_string();
    ids.iter()
        .max_by_key(|id| {
            (
                prefixes.get(&prefix(id)).copied().unwrap_or(0),
                std::cmp::Reverse((*id).clone()),
            )
        })
        .cloned()
}

/// The YAML of a unit `--new-units` creates: marked for review by its leading comment.
pub(crate) fn new_unit_yaml(name: &str, collective: bool, source: &str) -> Result<String, Text> {
    #[derive(serde::Serialize)]
    struct NewUnit<'a> {
        name: &'a str,
        kind: &'a str,
    }
    let kind = if collective { "collective" } else { "other" };
    let yaml = serde_saphyr::to_string(&NewUnit { name, kind }).map_err(|e| {
        text!(
            "internal error: cannot write a unit as YAML: {e}",
            "内部错误：无法将单位写为 YAML：{e}"
        )
    })?;
    Ok(format!(
        "# 待审核 / to review: created by `gongkai import` from {source}.\n\
         # 请核对名称，补充 short_name、kind、parent 后删除这两行注释。\n{yaml}"
    ))
}

/// Whether a name reads as a collective (各…, …等单位).
pub(crate) fn looks_collective(name: &str) -> bool {
    name.starts_with('各') || name.ends_with("有关单位") || name.ends_with("成员单位")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        let mut r = Registry::default();
        let mut add = |id: &str, names: &[&str], _collective: bool| {
            r.add(
                Known {
                    id: UnitId::parse(id).unwrap(),
                    name: names[0].to_string(),
                },
                &names.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            );
        };
        add("gz-bwb", &["广州市机构编制委员会办公室", "市编委办"], false);
        add(
            "gz-district-govs",
            &["各区、县级市人民政府", "各区、县级市政府"],
            true,
        );
        add("gz-district-bwb", &["各区、县级市编委办及相关部门"], true);
        add("gz-district-czj", &["各区、县级市财政局"], true);
        add("gz-district-zscqj", &["各区、县级市知识产权局"], true);
        add("gz-all-relevant", &["各有关单位"], true);
        add(
            "gz-xzb",
            &["广州市人民政府经济技术协作办公室", "市协作办"],
            false,
        );
        add(
            "gz-mcch",
            &["中国国际贸易促进委员会广州市委员会", "市贸促会"],
            false,
        );
        add("gz-kjj", &["广州市科学技术局", "市科技局"], false);
        add(
            "lyg-kjj",
            &["连云港市科学技术局", "市科技局（知识产权局）", "市科技局"],
            false,
        );
        add("gz-whj", &["广州市文化局", "市文化局"], false);
        r
    }

    fn ids(rs: &[Resolution]) -> Vec<Vec<&str>> {
        rs.iter()
            .map(|r| r.ids.iter().map(UnitId::as_str).collect())
            .collect()
    }

    #[test]
    fn brackets_and_spaces_do_not_matter() {
        assert_eq!(
            normalise("市科技局（知识产权局）"),
            normalise("市科技局(知识产权局)")
        );
        assert_eq!(normalise(" 市 科技局 "), "市科技局");
        let r = registry().resolve_list("市科技局(知识产权局)");
        assert_eq!(ids(&r), [["lyg-kjj"]]);
    }

    #[test]
    fn collective_names_keep_their_inner_marks() {
        let r = registry().resolve_list("市编委办,各区、县级市政府");
        assert_eq!(ids(&r), [vec!["gz-bwb"], vec!["gz-district-govs"]]);
        let r = registry().resolve_list("各区、县级市编委办及相关部门");
        assert_eq!(ids(&r), [["gz-district-bwb"]]);
    }

    #[test]
    fn a_shared_prefix_is_inherited() {
        let r = registry().resolve_list("各区、县级市财政局、知识产权局");
        assert_eq!(ids(&r), [["gz-district-czj"], ["gz-district-zscqj"]]);
        assert!(r[1].guess.is_some());
    }

    #[test]
    fn deng_youguan_danwei_is_the_collective() {
        let r = registry().resolve_list("市协作办、市贸促会等有关单位");
        assert_eq!(ids(&r), [["gz-xzb"], ["gz-mcch"], ["gz-all-relevant"]]);
        assert!(r[2].guess.is_some());
    }

    #[test]
    fn collective_forms_map_to_the_sites_collective() {
        let mut r = registry();
        r.add(
            Known {
                id: UnitId::parse("lyg-counties").unwrap(),
                name: "各县、区人民政府".into(),
            },
            &["各县、区人民政府".into(), "各县区政府".into()],
        );
        r.add(
            Known {
                id: UnitId::parse("lg-members").unwrap(),
                name: "各成员单位".into(),
            },
            &["各成员单位".into()],
        );
        let found = r.resolve_list("各县（市、区）政府、各领导小组成员单位、各有关单位");
        assert_eq!(
            ids(&found),
            [["lyg-counties"], ["lg-members"], ["gz-all-relevant"]]
        );
        assert!(found[0].guess.is_some() && found[1].guess.is_some());
        assert!(found[2].guess.is_none(), "an exact name is no guess");
    }

    #[test]
    fn conjunction_split_only_when_safe() {
        let r = registry().resolve_list("市科技局和市文化局");
        assert_eq!(r.len(), 2);
        assert_eq!(ids(&r)[1], ["gz-whj"]);
        // Not safe: one part is unknown, so the whole stays one unknown name.
        let r = registry().resolve_list("市文化局和旅游局");
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].ids.is_empty());
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let r = registry().resolve_list("市文化广电局");
        assert!(r[0].ids.is_empty());
        assert_eq!(r[0].suggestions[0].1.as_str(), "gz-whj");
    }

    #[test]
    fn ambiguous_short_names_follow_the_file() {
        let r = registry().resolve_list("市科技局");
        assert_eq!(r[0].ids.len(), 2);
        let mut prefixes = BTreeMap::new();
        prefixes.insert("gz".to_string(), 3);
        assert_eq!(
            disambiguate(&r[0].ids, &prefixes).unwrap().as_str(),
            "gz-kjj"
        );
        prefixes.insert("lyg".to_string(), 5);
        assert_eq!(
            disambiguate(&r[0].ids, &prefixes).unwrap().as_str(),
            "lyg-kjj"
        );
    }

    #[test]
    fn new_unit_is_marked_for_review() {
        let yaml = new_unit_yaml("市文化广电局", false, "a.txt:3").unwrap();
        assert!(yaml.starts_with("# 待审核"));
        assert!(yaml.contains("name: 市文化广电局"));
    }
}
