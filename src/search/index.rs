//! Builds the inverted index and writes it as the sharded files of docs/search.md.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;
use std::fmt::Write as _;

use serde::Serialize;

use std::sync::Arc;

use super::documents::{self, SearchDoc, field};
use super::fold::{T2S_PAIRS, fold_char};
use super::incremental::{SearchFile, SearchIndex};
use super::tokenize::Term;
use crate::enums::{Key, Label};
use crate::site::Site;

/// Format version of the manifest.
pub const VERSION: u32 = 2;
/// Target size of a shard file; the shard count follows from the index size.
pub(crate) const SHARD_BYTES: usize = 32 * 1024;
/// A posting larger than this gets a file of its own.
pub(crate) const OWN_FILE_BYTES: usize = 16 * 1024;
/// Documents per parallel indexing chunk.
pub(crate) const CHUNK: usize = 2048;

/// A term's documents in ascending order, each packed as `doc << 4 | mask`.
pub(crate) type Postings = Vec<u32>;

/// Figures about the index, for the bench and the build report.
#[derive(Debug, Clone, Default)]
pub struct IndexStats {
    /// Documents indexed.
    pub docs: usize,
    /// Distinct terms.
    pub terms: usize,
    /// Shard files.
    pub shards: usize,
    /// Files written under `search/`.
    pub files: usize,
    /// Bytes written under `search/`.
    pub bytes: usize,
}

/// FNV-1a, 32 bits, over UTF-8 bytes: the shard of a term (the browser computes the same).
pub fn fnv1a(term: &str) -> u32 {
    let mut hash: u32 = 2_166_136_261;
    for b in term.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(16_777_619);
    }
    hash
}

/// Builds every file of `search/` for `site`: the clean build, which is the first build
/// of an empty [`SearchIndex`].
pub fn build(site: &Site) -> (Vec<SearchFile>, IndexStats) {
    let mut index = SearchIndex::new();
    let update = index.build(site);
    (update.written, index.stats().clone())
}

/// The postings of a set of documents, terms interned so each occurrence costs one hash
/// lookup (of an integer, for Han terms) and no allocation.
#[derive(Default)]
pub(crate) struct ChunkIndex {
    pub(crate) han: FxHashMap<u128, u32>,
    pub(crate) text: FxHashMap<Box<str>, u32>,
    pub(crate) postings: Vec<Postings>,
}

impl ChunkIndex {
    pub(crate) fn add(&mut self, term: Term<'_>, doc: u32, bit: u8) {
        let tid = match term {
            Term::Han(key) => self.han_id(key),
            Term::Text(text) => self.text_id(text),
        };
        let packed = doc << 4 | u32::from(bit);
        let list = &mut self.postings[tid as usize];
        match list.last_mut() {
            Some(last) if *last >> 4 == doc => *last |= packed,
            _ => list.push(packed),
        }
    }

    pub(crate) fn han_id(&mut self, key: u128) -> u32 {
        let postings = &mut self.postings;
        *self.han.entry(key).or_insert_with(|| new_list(postings))
    }

    pub(crate) fn text_id(&mut self, text: &str) -> u32 {
        if let Some(&tid) = self.text.get(text) {
            return tid;
        }
        let tid = new_list(&mut self.postings);
        self.text.insert(text.into(), tid);
        tid
    }
}

fn new_list(postings: &mut Vec<Postings>) -> u32 {
    postings.push(Vec::new());
    u32::try_from(postings.len() - 1).unwrap_or(u32::MAX)
}

/// The JSON of one posting: every document holding the term, then the documents holding
/// it in the title (`t`), in a code (`c`) and in the meta fields (`x`), and the documents
/// **not** holding it in the body (`e`, for "elsewhere only": usually few, where the body
/// set itself would repeat nearly every document). Knowing every field exactly lets the
/// client tell a word whose pairs meet in one field (a phrase, nearly always) from one
/// whose pairs lie in different fields (scattered).
pub(crate) fn encode_posting(list: &[u32], n_docs: usize) -> String {
    let mut out = format!("{{\"n\":{}", list.len());
    let docs = |keep: &dyn Fn(u8) -> bool| -> Vec<u32> {
        list.iter()
            .filter(|p| keep((**p & 0xF) as u8))
            .map(|p| p >> 4)
            .collect()
    };
    push_doc_set(&mut out, None, &docs(&|_| true), n_docs);
    let subsets: [(&str, &dyn Fn(u8) -> bool); 4] = [
        ("t", &|mask| mask & field::TITLE != 0),
        ("c", &|mask| mask & field::CODE != 0),
        ("x", &|mask| mask & field::META != 0),
        ("e", &|mask| mask & field::BODY == 0),
    ];
    for (key, keep) in subsets {
        let subset = docs(keep);
        if !subset.is_empty() {
            push_doc_set(&mut out, Some(key), &subset, n_docs);
        }
    }
    out.push('}');
    out
}

/// Appends a set of document numbers (see [`doc_set_body`]) inside an object under `key`
/// (`"t":{"v":"…"}`) when a key is given, else as the fields of the posting itself.
fn push_doc_set(out: &mut String, key: Option<&str>, docs: &[u32], n_docs: usize) {
    let body = doc_set_body(docs, n_docs);
    match key {
        Some(key) => {
            let _ = write!(out, ",\"{key}\":{{{body}}}");
        }
        None => {
            let _ = write!(out, ",{body}");
        }
    }
}

/// A set of document numbers in its smallest encoding, as the inside of a JSON object: a
/// range `"r":[lo,hi]`, gaps as base64 LEB128 varints `"v":"…"`, the gaps of the
/// documents **not** in the set likewise `"u":"…"` (a term nearly every document holds),
/// or a bitmap `"b":"…"`.
fn doc_set_body(docs: &[u32], n_docs: usize) -> String {
    match (docs.first(), docs.last()) {
        (Some(&lo), Some(&hi)) if (hi - lo) as usize + 1 == docs.len() && docs.len() > 2 => {
            format!("\"r\":[{lo},{hi}]")
        }
        _ => {
            let bitmap = n_docs.div_ceil(8);
            let varints = gaps(docs.iter().copied());
            if varints.len() < bitmap {
                return format!("\"v\":\"{}\"", base64(&varints));
            }
            if docs.len() * 2 > n_docs {
                let mut members = docs.iter().copied().peekable();
                let absent = (0..u32::try_from(n_docs).unwrap_or(u32::MAX)).filter(|&d| {
                    if members.peek() == Some(&d) {
                        members.next();
                        false
                    } else {
                        true
                    }
                });
                let complement = gaps(absent);
                if complement.len() < bitmap {
                    return format!("\"u\":\"{}\"", base64(&complement));
                }
            }
            let mut bits = vec![0u8; bitmap];
            for &doc in docs {
                bits[doc as usize / 8] |= 1 << (doc % 8);
            }
            format!("\"b\":\"{}\"", base64(&bits))
        }
    }
}

/// Ascending document numbers as LEB128 varints of their gaps (the first number itself).
fn gaps(docs: impl Iterator<Item = u32>) -> Vec<u8> {
    let mut varints = Vec::new();
    let mut previous = None;
    for doc in docs {
        let mut gap = match previous {
            None => doc,
            Some(p) => doc - p,
        };
        previous = Some(doc);
        loop {
            let byte = (gap & 0x7f) as u8;
            gap >>= 7;
            if gap == 0 {
                varints.push(byte);
                break;
            }
            varints.push(byte | 0x80);
        }
    }
    varints
}

pub(crate) fn json_count(json: &str) -> usize {
    json.strip_prefix("{\"n\":")
        .and_then(|rest| rest.split([',', '}']).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub(crate) fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// A value as compact JSON.
pub(crate) fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// `manifest.json`.
#[derive(Serialize)]
pub(crate) struct Manifest {
    pub(crate) version: u32,
    pub(crate) docs: usize,
    pub(crate) shards: usize,
    pub(crate) hash: &'static str,
    /// Longest n-gram indexed ([`MAX_GRAM`](super::tokenize::MAX_GRAM)).
    pub(crate) grams: usize,
    pub(crate) years: BTreeMap<String, [usize; 2]>,
    pub(crate) kinds: &'static [documents::SearchKind],
    pub(crate) fold: String,
}

/// Year → first and last document number (documents are numbered newest first, so a
/// year is a contiguous range).
pub(crate) fn years(docs: &[Arc<SearchDoc>]) -> BTreeMap<String, [usize; 2]> {
    let mut years: BTreeMap<String, [usize; 2]> = BTreeMap::new();
    for (n, doc) in docs.iter().enumerate() {
        if let Some(date) = doc.date {
            years
                .entry(date.year().to_string())
                .and_modify(|r| r[1] = n)
                .or_insert([n, n]);
        }
    }
    years
}

/// `[date, first document]` for each date, newest first (for a 发文日期 range).
pub(crate) fn dates(docs: &[Arc<SearchDoc>]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for (n, doc) in docs.iter().enumerate() {
        if let Some(date) = doc.date {
            let date = date.to_string();
            if out.last().is_none_or(|(d, _)| *d != date) {
                out.push((date, n));
            }
        }
    }
    out
}

/// Only the pairs whose simplified character the index holds (`indexed`: the Han
/// characters indexed alone): a traditional character folding to anything else could
/// not match anyway.
pub(crate) fn fold_pairs(indexed: BTreeSet<char>) -> String {
    let chars: Vec<char> = T2S_PAIRS.trim_end().chars().collect();
    chars
        .chunks_exact(2)
        .filter(|p| indexed.contains(&fold_char(p[1])))
        .flat_map(|p| [p[0], p[1]])
        .collect()
}

#[derive(Serialize)]
struct FacetValue {
    value: String,
    label: String,
    posting: serde_json::Value,
}

/// A value of a field in column form: its documents are in the column.
#[derive(Serialize)]
struct ColumnValue {
    value: String,
    label: String,
}

/// One filter field of facets.json, in whichever form is smaller (docs/search.md).
#[derive(Serialize)]
#[serde(untagged)]
enum FacetField {
    /// Each value with its document set: small for a field of few, clustered values
    /// (year, kind).
    List(Vec<FacetValue>),
    /// Each document's value (its 1-based index, 0 for none) packed in `bits` bits, then
    /// the documents a second value holds as well (joint issuers): small for a field
    /// nearly every document has one value of, scattered over the documents (issuer,
    /// topic, genre, validity), where document sets would repeat every document number.
    Column {
        values: Vec<ColumnValue>,
        bits: u32,
        column: String,
        extra: BTreeMap<usize, serde_json::Value>,
    },
}

impl FacetField {
    /// The smaller of the two forms for `values` (value, label, ascending documents).
    fn smallest(values: Vec<(String, String, Vec<u32>)>, n_docs: usize) -> FacetField {
        let column = Self::column(&values, n_docs);
        let list = FacetField::List(
            values
                .into_iter()
                .map(|(value, label, docs)| FacetValue {
                    posting: doc_set_json(&docs, n_docs),
                    value,
                    label,
                })
                .collect(),
        );
        let size = |field: &FacetField| serde_json::to_vec(field).map_or(usize::MAX, |v| v.len());
        match column {
            Some(column) if size(&column) < size(&list) => column,
            _ => list,
        }
    }

    fn column(values: &[(String, String, Vec<u32>)], n_docs: usize) -> Option<FacetField> {
        let count = u32::try_from(values.len()).ok()?;
        let bits = u32::BITS - count.leading_zeros();
        let mut of_doc = vec![0u32; n_docs];
        let mut extra: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
        for (i, (_, _, docs)) in values.iter().enumerate() {
            for &doc in docs {
                let slot = of_doc.get_mut(doc as usize)?;
                if *slot == 0 {
                    *slot = u32::try_from(i + 1).ok()?;
                } else {
                    extra.entry(i + 1).or_default().push(doc);
                }
            }
        }
        let mut packed = vec![0u8; (n_docs * bits as usize).div_ceil(8)];
        for (doc, &value) in of_doc.iter().enumerate() {
            for bit in 0..bits as usize {
                if value >> bit & 1 == 1 {
                    let at = doc * bits as usize + bit;
                    packed[at / 8] |= 1 << (at % 8);
                }
            }
        }
        Some(FacetField::Column {
            values: values
                .iter()
                .map(|(value, label, _)| ColumnValue {
                    value: value.clone(),
                    label: label.clone(),
                })
                .collect(),
            bits,
            column: base64(&packed),
            extra: extra
                .into_iter()
                .map(|(i, docs)| (i, doc_set_json(&docs, n_docs)))
                .collect(),
        })
    }
}

/// A document set (ascending numbers) in its smallest encoding, as a JSON value.
fn doc_set_json(docs: &[u32], n_docs: usize) -> serde_json::Value {
    serde_json::from_str(&format!("{{{}}}", doc_set_body(docs, n_docs)))
        .unwrap_or(serde_json::Value::Null)
}

/// The bytes of `facets.json`.
pub(crate) fn facets_json(docs: &[Arc<SearchDoc>]) -> Vec<u8> {
    json_bytes(&facets(docs))
}

fn facets(docs: &[Arc<SearchDoc>]) -> BTreeMap<&'static str, FacetField> {
    type Values = BTreeMap<String, (String, Vec<u32>)>;
    let mut fields: BTreeMap<&'static str, Values> = BTreeMap::new();
    // Runs for every value of every document whenever a filter value changes: no
    // allocation unless the value is new.
    let mut add = |facet: &'static str, value: &str, label: &dyn Fn() -> String, n: usize| {
        let values = fields.entry(facet).or_default();
        if !values.contains_key(value) {
            values.insert(value.to_string(), (label(), Vec::new()));
        }
        let Some((_, docs)) = values.get_mut(value) else {
            return;
        };
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        if docs.last() != Some(&n) {
            docs.push(n);
        }
    };
    let mut year = String::new();
    for (n, doc) in docs.iter().enumerate() {
        add("kind", doc.kind.key(), &|| doc.kind.label().to_string(), n);
        for (id, name) in &doc.issuers {
            add("issuer", id, &|| name.clone(), n);
        }
        if let Some((key, label)) = doc.validity {
            add("validity", key, &|| label.to_string(), n);
        }
        if let Some(genre) = &doc.genre {
            add("genre", genre, &|| genre.clone(), n);
        }
        if let Some(topic) = &doc.topic {
            add("topic", topic, &|| topic.clone(), n);
        }
        if let Some(date) = doc.date {
            year.clear();
            let _ = write!(year, "{}", date.year());
            add("year", &year, &|| format!("{year}年"), n);
        }
    }
    fields
        .into_iter()
        .map(|(facet, values)| {
            let mut list: Vec<(String, String, Vec<u32>)> = values
                .into_iter()
                .map(|(value, (label, docs))| (value, label, docs))
                .collect();
            if facet == "year" {
                list.reverse();
            }
            (facet, FacetField::smallest(list, docs.len()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(""), 2_166_136_261);
        assert_eq!(fnv1a("a"), 0xE40C_292C);
    }

    #[test]
    fn postings_choose_the_smaller_encoding() {
        let sparse = encode_posting(&[5 << 4 | 8, 9 << 4 | 1 | 4, 300 << 4 | 8], 1000);
        // gaps 5, 4, 291 → varints 05 04 A3 02 → "BQSjAg=="; document 9 is not in a body.
        assert_eq!(
            sparse,
            "{\"n\":3,\"v\":\"BQSjAg==\",\"t\":{\"v\":\"CQ==\"},\"x\":{\"v\":\"CQ==\"},\"e\":{\"v\":\"CQ==\"}}"
        );
        let range = encode_posting(&[7 << 4 | 8, 8 << 4 | 8, 9 << 4 | 8], 1000);
        assert_eq!(range, "{\"n\":3,\"r\":[7,9]}");
        let all: Vec<u32> = (0..64).map(|d| d << 4 | 8).collect();
        let dense = encode_posting(&all, 64);
        assert_eq!(dense, "{\"n\":64,\"r\":[0,63]}");
        let scattered: Vec<u32> = (0..64).filter(|d| d % 3 != 0).map(|d| d << 4 | 8).collect();
        assert!(encode_posting(&scattered, 64).contains("\"b\":"));
        // Nearly every document: the two missing ones, 5 and 900 (gaps 5, 895).
        let nearly: Vec<u32> = (0..1000)
            .filter(|d| *d != 5 && *d != 900)
            .map(|d| d << 4 | 8)
            .collect();
        assert_eq!(encode_posting(&nearly, 1000), "{\"n\":998,\"u\":\"Bf8G\"}");
    }

    #[test]
    fn scattered_single_values_go_in_a_column() {
        let value = |v: &str, docs: Vec<u32>| (v.to_string(), v.to_string(), docs);
        // 40 documents alternating over three values; document 0 also holds value "c".
        let values = vec![
            value("a", (0..40).step_by(3).collect()),
            value("b", (1..40).step_by(3).collect()),
            value("c", [0].into_iter().chain((2..40).step_by(3)).collect()),
        ];
        let FacetField::Column {
            bits,
            column,
            extra,
            ..
        } = FacetField::smallest(values, 40)
        else {
            panic!("expected the column form");
        };
        assert_eq!(bits, 2);
        // Two bits a document, low bits first: documents 0–3 hold 1, 2, 3, 1 → 0x79;
        // 4–7 hold 2, 3, 1, 2 → 0x9e; 8–11 hold 3, 1, 2, 3 → 0xe7.
        assert!(column.starts_with(&base64(&[0x79, 0x9e, 0xe7])));
        assert_eq!(extra.len(), 1);
        assert_eq!(extra[&3], serde_json::json!({"v": "AA=="}));
    }

    #[test]
    fn clustered_values_stay_a_list() {
        let values = vec![
            ("2024".to_string(), "2024年".to_string(), (0..500).collect()),
            (
                "2023".to_string(),
                "2023年".to_string(),
                (500..1000).collect(),
            ),
        ];
        assert!(matches!(
            FacetField::smallest(values, 1000),
            FacetField::List(_)
        ));
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
    }
}
