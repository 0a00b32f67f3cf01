//! 公开目录: the notices grouped by 主题分类 (first level), by 文种 and as 政策解读, made once
//! per resolve so that the catalog's pages and their fingerprints read a group without
//! walking every notice.
//!
//! A group's URL folder is a [`GroupSlug`] of its name: topics and genres are Chinese, and
//! a crawler's URL must stay the same when other topics come and go, so the slug depends
//! on the name alone (docs/portal.md, "URL scheme").

use rustc_hash::FxHashMap;

use crate::content::notice::Notice;
use crate::site::{NoticeIx, NoticeLinks};

/// Hex digits of a slug: 32 bits, so a clash is a one-in-a-million event among the
/// hundred-odd topics of a big site (and then both names take 16 digits).
const SLUG_DIGITS: usize = 8;

/// The ASCII folder name of a topic or genre: `t` or `g` and the first hex digits of the
/// FNV-1a hash of the name's UTF-8 bytes (`t3f2a91c0`). FNV-1a is written out here, not
/// taken from a hasher crate, because its output is the URL and must never change with
/// a dependency.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(into = "String", try_from = "String")]
pub struct GroupSlug(String);

impl From<GroupSlug> for String {
    fn from(slug: GroupSlug) -> String {
        slug.0
    }
}

/// Read back (the build cache): `t` or `g` and 8 or 16 lowercase hex digits, nothing else.
impl TryFrom<String> for GroupSlug {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let mut chars = text.chars();
        let prefix_ok = matches!(chars.next(), Some('t' | 'g'));
        let hex = chars.as_str();
        let hex_ok = (hex.len() == SLUG_DIGITS || hex.len() == 16)
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if prefix_ok && hex_ok {
            Ok(GroupSlug(text))
        } else {
            Err(format!("`{text}` is not a group slug"))
        }
    }
}

impl GroupSlug {
    /// The slug of `name` with `digits` hex digits after `prefix`.
    fn of(prefix: char, name: &str, digits: usize) -> GroupSlug {
        let hex = format!("{:016x}", fnv1a(name.as_bytes()));
        GroupSlug(format!("{prefix}{}", &hex[..digits]))
    }

    /// The folder name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 64-bit FNV-1a.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Which grouping a [`Group`] belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum GroupKind {
    /// 主题分类, first level.
    Topic,
    /// 文种.
    Genre,
}

impl GroupKind {
    fn prefix(self) -> char {
        match self {
            GroupKind::Topic => 't',
            GroupKind::Genre => 'g',
        }
    }
}

/// The notices of one first-level topic or one genre, newest first.
#[derive(Debug, Clone)]
pub struct Group {
    /// The name as written (`科技、教育`, `通知`).
    pub name: String,
    /// Its URL folder.
    pub slug: GroupSlug,
    /// Its notices, in site order (newest first).
    pub notices: Vec<NoticeIx>,
}

/// The catalog of one site.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// First-level topics, by name.
    pub topics: Vec<Group>,
    /// Genres, by name.
    pub genres: Vec<Group>,
    /// The notices that are the 政策解读 of others, newest first.
    pub interpretations: Vec<NoticeIx>,
}

impl Catalog {
    /// Groups `notices` (in site order) by first-level topic and by genre.
    pub fn of(notices: &[std::sync::Arc<Notice>], links: &[NoticeLinks]) -> Catalog {
        let mut topics: FxHashMap<&str, Vec<NoticeIx>> = FxHashMap::default();
        let mut genres: FxHashMap<&str, Vec<NoticeIx>> = FxHashMap::default();
        for (ix, notice) in notices.iter().enumerate() {
            if let Some(topic) = notice.topic.first() {
                topics.entry(topic).or_default().push(ix);
            }
            if let Some(genre) = &notice.genre {
                genres.entry(genre).or_default().push(ix);
            }
        }
        Catalog {
            topics: groups(GroupKind::Topic, topics, SLUG_DIGITS),
            genres: groups(GroupKind::Genre, genres, SLUG_DIGITS),
            interpretations: (0..links.len())
                .filter(|&ix| !links[ix].interprets.is_empty())
                .collect(),
        }
    }

    /// The groups of `kind`.
    pub fn groups(&self, kind: GroupKind) -> &[Group] {
        match kind {
            GroupKind::Topic => &self.topics,
            GroupKind::Genre => &self.genres,
        }
    }

    /// The position of the group of `kind` with `slug`.
    pub fn find(&self, kind: GroupKind, slug: &GroupSlug) -> Option<usize> {
        self.groups(kind).iter().position(|g| &g.slug == slug)
    }
}

/// The groups of `kind`, by name, each with a slug of `digits` hex digits; names whose
/// slugs clash take 16.
fn groups(kind: GroupKind, by_name: FxHashMap<&str, Vec<NoticeIx>>, digits: usize) -> Vec<Group> {
    let mut list: Vec<Group> = by_name
        .into_iter()
        .map(|(name, notices)| Group {
            slug: GroupSlug::of(kind.prefix(), name, digits),
            name: name.to_string(),
            notices,
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    let mut count: FxHashMap<GroupSlug, usize> = FxHashMap::default();
    for g in &list {
        *count.entry(g.slug.clone()).or_default() += 1;
    }
    for g in &mut list {
        if count.get(&g.slug).copied().unwrap_or(0) > 1 {
            g.slug = GroupSlug::of(kind.prefix(), &g.name, 16);
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slug is the URL crawlers keep: it must not change, whatever else changes.
    #[test]
    fn slugs_are_stable_ascii_and_depend_on_the_name_alone() {
        let slug = GroupSlug::of('t', "科技、教育", SLUG_DIGITS);
        assert_eq!(slug.as_str(), "t460ac637");
        assert!(slug.as_str().bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(
            GroupSlug::of('g', "通知", SLUG_DIGITS).as_str(),
            "gfe845d75"
        );
        // FNV-1a's published test vector.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn clashing_slugs_take_sixteen_digits_and_groups_sort_by_name() {
        let mut by_name = FxHashMap::default();
        by_name.insert("甲", vec![0]);
        by_name.insert("乙", vec![1]);
        // With no digits every slug clashes.
        let list = groups(GroupKind::Genre, by_name.clone(), 0);
        assert_eq!(list[0].name, "乙");
        assert!(list.iter().all(|g| g.slug.as_str().len() == 17));
        assert_ne!(list[0].slug, list[1].slug);
        let list = groups(GroupKind::Genre, by_name, SLUG_DIGITS);
        assert!(
            list.iter()
                .all(|g| g.slug.as_str().len() == 1 + SLUG_DIGITS)
        );
    }
}
