//! The files the generator writes, as serde structs mirroring `docs/content.md`.
//!
//! These are this crate's own types, not gongkai's content model: they hold only the
//! fields the corpus uses, in the order the docs list them, and serialise with
//! serde-saphyr. Only what gongkai reads from them has to stay the same, not the YAML
//! text (the built site of a given N is byte-identical to that of the hand-formatted
//! YAML of generator version 1).

use jiff::civil::Date;
use serde::{Serialize, Serializer};

use crate::Result;

/// `content/site.yaml`.
#[derive(Serialize)]
pub struct SiteFile {
    pub title: String,
    pub language: &'static str,
    pub base_url: &'static str,
    pub owner: String,
    pub index_no_pattern: &'static str,
    #[serde(serialize_with = "date")]
    pub as_of: Date,
}

/// `content/units/<id>.yaml`.
#[derive(Serialize)]
pub struct UnitFile {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_name: Option<&'static str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub aliases: &'static [&'static str],
    pub kind: UnitKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// `kind:` of a unit.
#[derive(Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Government,
    Department,
    Court,
    Procuratorate,
    District,
    Agency,
    Customs,
    Collective,
    Other,
}

/// The front matter of `content/notices/**/*.md`.
#[derive(Serialize)]
pub struct NoticeFront {
    pub index_no: String,
    pub title: String,
    pub issuer: Issuer,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_no: Option<String>,
    #[serde(serialize_with = "date")]
    pub date: Date,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_date"
    )]
    pub published: Option<Date>,
    pub genre: &'static str,
    pub topic: &'static str,
    pub keywords: Vec<&'static str>,
    pub summary: String,
    /// Left out when `effective`, the default.
    #[serde(skip_serializing_if = "Validity::is_default")]
    pub validity: Validity,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_date"
    )]
    pub valid_from: Option<Date>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_date"
    )]
    pub valid_until: Option<Date>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
}

/// `issuer:` one unit id, or a list of them (联合发文).
#[derive(Serialize)]
#[serde(untagged)]
pub enum Issuer {
    One(String),
    Joint(Vec<String>),
}

/// 时效 as the publisher declares it.
#[derive(Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    Effective,
    Amended,
    PartiallyExpired,
    Expired,
    Repealed,
}

impl Validity {
    fn is_default(&self) -> bool {
        *self == Validity::Effective
    }
}

/// Dates as gongkai reads them: `2014-05-07`.
fn date<S: Serializer>(date: &Date, serializer: S) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_str(date)
}

fn optional_date<S: Serializer>(
    date: &Option<Date>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.collect_str(date),
        None => serializer.serialize_none(),
    }
}

/// A YAML file.
pub fn yaml<T: Serialize>(value: &T) -> Result<String> {
    // Plain scalars on one line each: block scalars (`>`) for long titles or summaries
    // would read the same but make the files harder to grep.
    let options = serde_saphyr::ser_options! {
        prefer_block_scalars: false,
    };
    serde_saphyr::to_string_with_options(value, options)
        .map_err(|e| format!("cannot serialise YAML: {e}"))
}

/// A Markdown file: the front matter between `---` lines, then the body.
pub fn markdown<T: Serialize>(front: &T, body: &str) -> Result<String> {
    let yaml = yaml(front)?;
    let mut file = String::with_capacity(yaml.len() + body.len() + 8);
    file.push_str("---\n");
    file.push_str(&yaml);
    if !yaml.ends_with('\n') {
        file.push('\n');
    }
    file.push_str("---\n");
    file.push_str(body);
    Ok(file)
}
