//! The search index kept between builds, so that `gongkai serve` rewrites only the files
//! of `search/` an edit changes (see docs/search.md, "Incremental index").
//!
//! [`SearchIndex::build`] always yields the bytes a clean build of the same site gives;
//! the clean build is this same code starting from an empty index. What it keeps:
//!
//! - the plain text of every Markdown text, by the text itself (parsing Markdown is most
//!   of collecting the documents);
//! - the documents of the last build, in number order, so that an unchanged document is
//!   recognised by comparing it, and a changed one's old terms can be found again by
//!   tokenising only the fields that changed;
//! - every term's postings and their JSON, so that only the postings a change touches are
//!   encoded again;
//! - which terms each shard holds and which terms have files of their own, so that only
//!   the shards holding a changed entry are written;
//! - the bytes of `facets.json`, `dates.json` and `manifest.json`.
//!
//! Two ways to bring the postings up to date, both exact:
//!
//! - **in place**, when the documents keep their numbers (the same count, and the changed
//!   positions' texts are a small share of all text: an edited title or body, a renamed
//!   unit): each changed position's old and new fields of the changed field bits are
//!   tokenised, and only the postings of those terms are updated and encoded again;
//! - **renumbered** otherwise (a document added, deleted or moved by its date): documents
//!   equal to an old one keep their postings under their new number, the others are
//!   tokenised, and every posting is encoded again (the document count and every number
//!   after the change enter the encoding).

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use super::documents::{self, SearchDoc, field};
use super::index::{
    self, CHUNK, ChunkIndex, IndexStats, OWN_FILE_BYTES, SHARD_BYTES, fnv1a, json_count,
    json_string,
};
use super::packed::Packed;
use super::tokenize::{Term, code_term, han_text, index_terms};
use crate::content::markdown::plain_text;
use crate::site::Site;

/// One file under `search/` (the client, `gongkai-search.js`, is a theme asset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchFile {
    /// Path relative to the output folder (`search/s/3.json`).
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// What one [`SearchIndex::build`] changed in `search/`.
#[derive(Debug, Clone, Default)]
pub struct SearchUpdate {
    /// Files whose bytes differ from the previous build's (every file, the first time).
    pub written: Vec<SearchFile>,
    /// Paths the previous build wrote and this one does not.
    pub removed: Vec<String>,
}

/// The search index of a site, kept between builds (see the module documentation).
#[derive(Default)]
pub struct SearchIndex {
    sizes: FileSizes,
    plain: PlainCache,
    /// The notices' documents of the last build, by 索引号 (kept from the second build on,
    /// like the plain texts).
    notices: documents::KeptNotices,
    /// The documents of the last build, by number.
    docs: Vec<Arc<SearchDoc>>,
    terms: TermTable,
    /// Shard count of the last build; 0 before the first.
    shard_count: usize,
    /// The live terms of each shard, by name.
    shards: Vec<Vec<u32>>,
    /// Byte size of each shard file.
    shard_sizes: Vec<usize>,
    /// Terms whose posting is a file of its own (`t/<rank>.json`), by name.
    own: Vec<u32>,
    /// Σ (term bytes + posting bytes + 4) over live terms: gives the shard count.
    total: usize,
    /// Terms with a non-empty posting.
    live: usize,
    /// Keep the caches from the first build on (an index made for rebuilds), not only
    /// from the second.
    eager: bool,
    /// Byte size of each fragment file, by document number.
    fragment_sizes: Vec<usize>,
    /// Bytes of facets.json, dates.json and manifest.json, as last written.
    small: FxHashMap<&'static str, Vec<u8>>,
    stats: IndexStats,
}

/// Target shard size and the posting size from which a posting gets a file of its own.
#[derive(Debug, Clone, Copy)]
struct FileSizes {
    shard: usize,
    own: usize,
}

impl Default for FileSizes {
    fn default() -> Self {
        FileSizes {
            shard: SHARD_BYTES,
            own: OWN_FILE_BYTES,
        }
    }
}

impl SearchIndex {
    /// An empty index: its first [`build`](Self::build) writes every file.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty index for a rebuild engine: it keeps what the next build reuses from the
    /// first build on, so the first edit after starting is as quick as the others.
    pub fn for_rebuilds() -> Self {
        SearchIndex {
            eager: true,
            ..Self::default()
        }
    }

    /// An empty index with other file sizes than the site's, so that tests of small sites
    /// meet several shards and postings with files of their own.
    #[doc(hidden)]
    pub fn with_file_sizes(shard: usize, own: usize) -> Self {
        SearchIndex {
            sizes: FileSizes { shard, own },
            ..Self::default()
        }
    }

    /// Figures about the index as of the last build.
    pub fn stats(&self) -> &IndexStats {
        &self.stats
    }

    /// Bytes the kept postings take in memory, packed (for measurements).
    #[doc(hidden)]
    pub fn postings_bytes(&self) -> usize {
        self.terms.heap_bytes()
    }

    /// Brings the index up to `site` and returns the files of `search/` whose bytes
    /// changed since the previous call, and the paths it no longer writes. Applied to the
    /// previous output, the result is byte for byte a clean build of `site`.
    pub fn build(&mut self, site: &Site) -> SearchUpdate {
        let mut docs =
            self.plain
                .collect(site, self.eager || self.shard_count > 0, &mut self.notices);
        // Newest first; undated last; then kind order; stable for equal keys.
        docs.sort_by(|a, b| {
            (b.date.is_some(), b.date, a.kind).cmp(&(a.date.is_some(), a.date, b.kind))
        });
        let n_docs = docs.len();
        let old_docs = std::mem::take(&mut self.docs);
        let dirty = match in_place_changes(&old_docs, &docs) {
            Some(changes) => self.terms.update_in_place(&old_docs, &docs, &changes),
            None => self.terms.renumber(&old_docs, &docs),
        };
        let changed = self.terms.encode(&dirty, n_docs);
        for change in &changed {
            let name_len = self.terms.names[change.tid as usize].len();
            let new = &self.terms.sigs[change.tid as usize];
            if !change.old.is_empty() {
                self.total -= name_len + change.old.len + 4;
                self.live -= 1;
            }
            if !new.is_empty() {
                self.total += name_len + new.len + 4;
                self.live += 1;
            }
        }
        let mut update = SearchUpdate::default();
        self.write_postings(changed, n_docs, &mut update);
        self.write_fragments(&old_docs, &docs, &mut update);
        let same_filters = same_filters(&old_docs, &docs);
        self.docs = docs;
        self.write_small(same_filters, &mut update);
        // Freeing ten thousand documents takes longer than finding what changed in them.
        rayon::spawn(move || drop(old_docs));
        self.stats = IndexStats {
            docs: n_docs,
            terms: self.live,
            shards: self.shard_count,
            files: self.shard_count + self.own.len() + n_docs + self.small.len(),
            bytes: self.shard_sizes.iter().sum::<usize>()
                + self
                    .own
                    .iter()
                    .map(|&t| self.terms.sigs[t as usize].len)
                    .sum::<usize>()
                + self.fragment_sizes.iter().sum::<usize>()
                + self.small.values().map(Vec::len).sum::<usize>(),
        };
        update
    }

    /// Shards and own-file postings: only those holding an entry that changed, unless
    /// the shard count changed (then every shard). The JSON of a changed posting comes
    /// with it; that of an unchanged one in a shard to write is made again.
    fn write_postings(&mut self, changed: Vec<Changed>, n_docs: usize, update: &mut SearchUpdate) {
        let shard_count = self.total.div_ceil(self.sizes.shard).max(1);
        let own_bytes = self.sizes.own;
        let old_own = std::mem::take(&mut self.own);
        let old_rank: FxHashMap<u32, usize> =
            old_own.iter().enumerate().map(|(r, &t)| (t, r)).collect();
        let mut old_sig: FxHashMap<u32, Sig> = FxHashMap::default();
        let mut fresh: FxHashMap<u32, String> = FxHashMap::default();
        for change in changed {
            old_sig.insert(change.tid, change.old);
            fresh.insert(change.tid, change.json);
        }
        let terms = &self.terms;
        let by_name = |a: &u32, b: &u32| terms.names[*a as usize].cmp(&terms.names[*b as usize]);
        let mut dirty_shards: BTreeSet<usize> = BTreeSet::new();
        if shard_count != self.shard_count {
            // Every term may move: the shards are made again from the sorted live terms.
            let mut live: Vec<u32> = (0..terms.sigs.len())
                .filter(|&t| !terms.sigs[t].is_empty())
                .map(|t| u32::try_from(t).unwrap_or(u32::MAX))
                .collect();
            live.par_sort_unstable_by(by_name);
            let count = u32::try_from(shard_count).unwrap_or(u32::MAX);
            self.shards = vec![Vec::new(); shard_count];
            for &t in &live {
                let shard = (fnv1a(&terms.names[t as usize]) % count) as usize;
                self.shards[shard].push(t);
            }
            self.own = live
                .into_iter()
                .filter(|&t| terms.sigs[t as usize].len > own_bytes)
                .collect();
            dirty_shards.extend(0..shard_count);
            for i in shard_count..self.shard_count {
                update.removed.push(format!("search/s/{i}.json"));
            }
            self.shard_sizes.resize(shard_count, 0);
            self.shard_count = shard_count;
        } else {
            let count = u32::try_from(shard_count).unwrap_or(u32::MAX);
            let mut own = old_own.clone();
            for (&t, old) in &old_sig {
                let new = &terms.sigs[t as usize];
                let shard = (fnv1a(&terms.names[t as usize]) % count) as usize;
                let members = &mut self.shards[shard];
                match (old.is_empty(), new.is_empty()) {
                    (true, false) => {
                        if let Err(at) = members.binary_search_by(|m| by_name(m, &t)) {
                            members.insert(at, t);
                        }
                    }
                    (false, true) => {
                        if let Ok(at) = members.binary_search_by(|m| by_name(m, &t)) {
                            members.remove(at);
                        }
                    }
                    _ => {}
                }
                let was_own = old.len > own_bytes;
                let is_own = new.len > own_bytes;
                if was_own != is_own {
                    match own.binary_search_by(|m| by_name(m, &t)) {
                        Ok(at) if !is_own => {
                            own.remove(at);
                        }
                        Err(at) if is_own => own.insert(at, t),
                        _ => {}
                    }
                }
            }
            let new_rank: FxHashMap<u32, usize> =
                own.iter().enumerate().map(|(r, &t)| (t, r)).collect();
            // What a shard holds for a posting: the JSON, or a pointer to its own file.
            #[derive(PartialEq)]
            enum Entry {
                Json(Sig),
                Own(usize, usize),
            }
            let entry = |sig: &Sig, rank: Option<usize>| match rank {
                Some(rank) if sig.len > own_bytes => Entry::Own(sig.count, rank),
                _ => Entry::Json(*sig),
            };
            for (&t, old) in &old_sig {
                let before = entry(old, old_rank.get(&t).copied());
                let after = entry(&terms.sigs[t as usize], new_rank.get(&t).copied());
                if before != after {
                    dirty_shards.insert((fnv1a(&terms.names[t as usize]) % count) as usize);
                }
            }
            // A term that got or lost a file of its own moves the ranks after it.
            for (rank, &t) in own.iter().enumerate() {
                if old_rank.get(&t) != Some(&rank) {
                    dirty_shards.insert((fnv1a(&terms.names[t as usize]) % count) as usize);
                }
            }
            self.own = own;
        }
        let own_rank: FxHashMap<u32, usize> =
            self.own.iter().enumerate().map(|(r, &t)| (t, r)).collect();
        let terms = &self.terms;
        let shards = &self.shards;
        let fresh = &fresh;
        let written: Vec<(usize, SearchFile)> = dirty_shards
            .into_par_iter()
            .map(|i| {
                let mut out = String::from("{");
                for (j, &t) in shards[i].iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    out.push_str(&json_string(&terms.names[t as usize]));
                    out.push(':');
                    match own_rank.get(&t) {
                        Some(&rank) => out.push_str(&own_entry(terms.sigs[t as usize].count, rank)),
                        None => match fresh.get(&t) {
                            Some(json) => out.push_str(json),
                            None => out.push_str(&terms.json(t, n_docs)),
                        },
                    }
                }
                out.push('}');
                let file = SearchFile {
                    path: format!("search/s/{i}.json"),
                    bytes: out.into_bytes(),
                };
                (i, file)
            })
            .collect();
        for (i, file) in written {
            self.shard_sizes[i] = file.bytes.len();
            update.written.push(file);
        }
        // t/<rank>.json holds the posting of the rank-th own term.
        for (rank, &t) in self.own.iter().enumerate() {
            let sig = &terms.sigs[t as usize];
            let before = old_own
                .get(rank)
                .map(|&o| old_sig.get(&o).copied().unwrap_or(terms.sigs[o as usize]));
            if before.as_ref() != Some(sig) {
                let json = match fresh.get(&t) {
                    Some(json) => json.clone(),
                    None => terms.json(t, n_docs),
                };
                update.written.push(SearchFile {
                    path: format!("search/t/{rank}.json"),
                    bytes: json.into_bytes(),
                });
            }
        }
        for rank in self.own.len()..old_own.len() {
            update.removed.push(format!("search/t/{rank}.json"));
        }
    }

    /// `f/<n>.json` of every number whose fragment changed.
    fn write_fragments(
        &mut self,
        old: &[Arc<SearchDoc>],
        docs: &[Arc<SearchDoc>],
        update: &mut SearchUpdate,
    ) {
        let written: Vec<(usize, SearchFile)> = docs
            .par_iter()
            .enumerate()
            .filter(|(n, doc)| {
                old.get(*n)
                    .is_none_or(|o| !Arc::ptr_eq(o, doc) && o.fragment != doc.fragment)
            })
            .map(|(n, doc)| {
                let file = SearchFile {
                    path: format!("search/f/{n}.json"),
                    bytes: serde_json::to_vec(&doc.fragment).unwrap_or_default(),
                };
                (n, file)
            })
            .collect();
        self.fragment_sizes.resize(docs.len(), 0);
        for (n, file) in written {
            self.fragment_sizes[n] = file.bytes.len();
            update.written.push(file);
        }
        for n in docs.len()..old.len() {
            update.removed.push(format!("search/f/{n}.json"));
        }
    }

    /// facets.json, dates.json and manifest.json, when their bytes changed. With
    /// `same_filters` (every document has the values of the last build's at its number),
    /// facets.json and dates.json are those of the last build.
    fn write_small(&mut self, same_filters: bool, update: &mut SearchUpdate) {
        let docs = &self.docs;
        let manifest = index::Manifest {
            version: index::VERSION,
            docs: docs.len(),
            shards: self.shard_count,
            hash: "fnv1a32",
            grams: super::tokenize::MAX_GRAM,
            years: index::years(docs),
            kinds: <documents::SearchKind as strum::VariantArray>::VARIANTS,
            fold: index::fold_pairs(self.terms.live_han_chars()),
        };
        let mut files: Vec<(&'static str, Vec<u8>)> = Vec::new();
        if !same_filters || !self.small.contains_key(FACETS) {
            files.push((FACETS, index::facets_json(docs)));
            files.push((DATES, index::json_bytes(&index::dates(docs))));
        }
        files.push((MANIFEST, index::json_bytes(&manifest)));
        for (path, bytes) in files {
            if self.small.get(path) != Some(&bytes) {
                update.written.push(SearchFile {
                    path: path.to_string(),
                    bytes: bytes.clone(),
                });
                self.small.insert(path, bytes);
            }
        }
    }
}

const FACETS: &str = "search/facets.json";
const DATES: &str = "search/dates.json";
const MANIFEST: &str = "search/manifest.json";

/// Whether every document has the filter values and date of the old document at its
/// number: what facets.json and dates.json are made of (computing the facets takes longer
/// than the rest of a one-title update).
fn same_filters(old: &[Arc<SearchDoc>], docs: &[Arc<SearchDoc>]) -> bool {
    old.len() == docs.len()
        && old.iter().zip(docs).all(|(a, b)| {
            Arc::ptr_eq(a, b)
                || a.kind == b.kind
                    && a.date == b.date
                    && a.issuers == b.issuers
                    && a.validity == b.validity
                    && a.genre == b.genre
                    && a.topic == b.topic
        })
}

/// The pointer a shard holds for a posting with a file of its own.
fn own_entry(count: usize, rank: usize) -> String {
    format!("{{\"n\":{count},\"f\":\"t/{rank}.json\"}}")
}

/// A hash of what a document is indexed under (fields and codes), to find an unchanged
/// document again after the numbers moved.
fn content_hash(doc: &SearchDoc) -> u64 {
    let mut hasher = FxHasher::default();
    doc.fields.hash(&mut hasher);
    doc.codes.hash(&mut hasher);
    hasher.finish()
}

/// Whether two documents are indexed under the same terms with the same fields.
fn same_terms(a: &SearchDoc, b: &SearchDoc) -> bool {
    std::ptr::eq(a, b) || a.fields == b.fields && a.codes == b.codes
}

/// The field bits whose texts differ between `a` and `b` (the codes count as
/// [`field::CODE`], which they are indexed under).
fn changed_bits(a: &SearchDoc, b: &SearchDoc) -> u8 {
    fn texts(doc: &SearchDoc, bit: u8) -> impl Iterator<Item = &str> {
        doc.fields
            .iter()
            .filter(move |(b, _)| *b == bit)
            .map(|(_, t)| &**t)
    }
    let mut bits = 0;
    for bit in [field::TITLE, field::CODE, field::META, field::BODY] {
        let differ = !texts(a, bit).eq(texts(b, bit)) || (bit == field::CODE && a.codes != b.codes);
        if differ {
            bits |= bit;
        }
    }
    bits
}

/// Bytes of the texts of `doc` under `bits`.
fn text_bytes(doc: &SearchDoc, bits: u8) -> usize {
    let fields: usize = doc
        .fields
        .iter()
        .filter(|(b, _)| b & bits != 0)
        .map(|(_, t)| t.len())
        .sum();
    let codes: usize = if bits & field::CODE != 0 {
        doc.codes.iter().map(String::len).sum()
    } else {
        0
    };
    fields + codes
}

/// A position whose document changed, and the field bits that changed.
struct InPlace {
    number: u32,
    bits: u8,
}

/// The changes, when the documents keep their numbers and the changed texts are few
/// enough that tokenising them beats encoding every posting again; `None` otherwise.
fn in_place_changes(old: &[Arc<SearchDoc>], docs: &[Arc<SearchDoc>]) -> Option<Vec<InPlace>> {
    if old.len() != docs.len() || old.is_empty() {
        return None;
    }
    let changes: Vec<InPlace> = (0..docs.len())
        .into_par_iter()
        .filter(|&n| !same_terms(&old[n], &docs[n]))
        .map(|n| InPlace {
            number: u32::try_from(n).unwrap_or(u32::MAX),
            bits: changed_bits(&old[n], &docs[n]),
        })
        .collect();
    let changed: usize = changes
        .iter()
        .map(|c| {
            let n = c.number as usize;
            text_bytes(&old[n], c.bits) + text_bytes(&docs[n], c.bits)
        })
        .sum();
    let all: usize = docs.iter().map(|d| text_bytes(d, 0xF)).sum();
    (changed <= all / 4).then_some(changes)
}

/// A term in a map of its own (the table's [`Term`] borrows).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum TermKey {
    Han(u128),
    Text(Box<str>),
}

/// Calls `emit` with every term `doc` is indexed under from its texts under `bits`, and
/// the field bit: the one definition of a document's terms, for the clean and the
/// incremental path alike.
fn for_each_term(doc: &SearchDoc, bits: u8, mut emit: impl FnMut(Term<'_>, u8)) {
    for (bit, text) in &doc.fields {
        if bit & bits != 0 {
            index_terms(text, |term| emit(term, *bit));
        }
    }
    if bits & field::CODE != 0 {
        for code in &doc.codes {
            if let Some(term) = code_term(code) {
                emit(Term::Text(&term), field::CODE);
            }
        }
    }
}

/// Terms, each with the field bits it occurs under in one document.
type TermMasks = FxHashMap<TermKey, u8>;

/// The terms of `doc` under `bits`, each with the bits it occurs under.
fn term_masks(doc: &SearchDoc, bits: u8) -> TermMasks {
    let mut out = TermMasks::default();
    for_each_term(doc, bits, |term, bit| {
        let key = match term {
            Term::Han(key) => TermKey::Han(key),
            Term::Text(text) => TermKey::Text(text.into()),
        };
        *out.entry(key).or_default() |= bit;
    });
    out
}

/// What stands for a posting's JSON between builds: its length, its hash and its count of
/// documents (the JSON itself is made again when a shard holding it is written, so the
/// index does not hold a second copy of every file it wrote). `len` 0: no posting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sig {
    len: usize,
    hash: u64,
    count: usize,
}

impl Sig {
    fn of(json: &str) -> Sig {
        if json.is_empty() {
            return Sig::default();
        }
        // SipHash (fixed keys within a process, which is as long as a Sig lives): no easy
        // collisions, unlike the Fx hash of the tables.
        let mut hasher = std::hash::DefaultHasher::new();
        hasher.write(json.as_bytes());
        Sig {
            len: json.len(),
            hash: hasher.finish(),
            count: json_count(json),
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Every term ever indexed: its postings, packed, and what stands for their JSON (empty
/// for a term no document holds any more; it keeps its id).
#[derive(Default)]
struct TermTable {
    han: FxHashMap<u128, u32>,
    text: FxHashMap<Box<str>, u32>,
    postings: Vec<Packed>,
    names: Vec<Box<str>>,
    sigs: Vec<Sig>,
}

/// A term whose posting JSON changed: what stood for it before, and the new JSON.
struct Changed {
    tid: u32,
    old: Sig,
    json: String,
}

impl TermTable {
    /// The id of `key`, a new one (named, no documents) if the table lacks it.
    fn id(&mut self, key: &TermKey) -> u32 {
        match key {
            TermKey::Han(key) => self.han_id(*key),
            TermKey::Text(text) => self.text_id(text),
        }
    }

    fn new_term(&mut self, name: Box<str>) -> u32 {
        self.postings.push(Packed::default());
        self.names.push(name);
        self.sigs.push(Sig::default());
        u32::try_from(self.postings.len() - 1).unwrap_or(u32::MAX)
    }

    fn han_id(&mut self, key: u128) -> u32 {
        if let Some(&tid) = self.han.get(&key) {
            return tid;
        }
        let tid = self.new_term(han_text(key).into());
        self.han.insert(key, tid);
        tid
    }

    fn text_id(&mut self, text: &str) -> u32 {
        if let Some(&tid) = self.text.get(text) {
            return tid;
        }
        let tid = self.new_term(text.into());
        self.text.insert(text.into(), tid);
        tid
    }

    /// The JSON of a term's posting as it stands.
    fn json(&self, tid: u32, n_docs: usize) -> String {
        let list = &self.postings[tid as usize];
        if list.is_empty() {
            String::new()
        } else {
            index::encode_posting(&list.entries(), n_docs)
        }
    }

    /// Updates the postings for documents changed in place and returns the terms whose
    /// postings changed.
    fn update_in_place(
        &mut self,
        old: &[Arc<SearchDoc>],
        docs: &[Arc<SearchDoc>],
        changes: &[InPlace],
    ) -> Vec<u32> {
        let masks: Vec<(u32, u8, TermMasks, TermMasks)> = changes
            .par_iter()
            .filter(|c| c.bits != 0)
            .map(|c| {
                let n = c.number as usize;
                let before = term_masks(&old[n], c.bits);
                let after = term_masks(&docs[n], c.bits);
                (c.number, c.bits, before, after)
            })
            .collect();
        // Term → (document, bits changed, mask under those bits after).
        let mut edits: FxHashMap<u32, Vec<(u32, u8, u8)>> = FxHashMap::default();
        for (doc, bits, before, after) in &masks {
            let keys: FxHashSet<&TermKey> = before.keys().chain(after.keys()).collect();
            for key in keys {
                let tid = self.id(key);
                let mask = after.get(key).copied().unwrap_or(0);
                edits.entry(tid).or_default().push((*doc, *bits, mask));
            }
        }
        let postings = &self.postings;
        let updated: Vec<(u32, Packed)> = edits
            .into_par_iter()
            .filter_map(|(tid, edits)| {
                let mut list = postings[tid as usize].entries();
                let mut changed = false;
                for (doc, bits, after) in edits {
                    let found = list.binary_search_by_key(&doc, |p| p >> 4);
                    let old_mask = found.map_or(0, |at| (list[at] & 0xF) as u8);
                    let new_mask = (old_mask & !bits) | after;
                    if new_mask == old_mask {
                        continue;
                    }
                    let packed = doc << 4 | u32::from(new_mask);
                    match found {
                        Ok(at) if new_mask == 0 => {
                            list.remove(at);
                        }
                        Ok(at) => list[at] = packed,
                        Err(at) => list.insert(at, packed),
                    }
                    changed = true;
                }
                changed.then(|| (tid, Packed::from_entries(&list)))
            })
            .collect();
        updated
            .into_iter()
            .map(|(tid, list)| {
                self.postings[tid as usize] = list;
                tid
            })
            .collect()
    }

    /// Gives documents equal to an old one their new numbers in every posting, drops the
    /// old documents that have no equal, indexes the new documents that have none, and
    /// returns every term (every posting must be encoded again).
    fn renumber(&mut self, old: &[Arc<SearchDoc>], docs: &[Arc<SearchDoc>]) -> Vec<u32> {
        let (old_hashes, hashes): (Vec<u64>, Vec<u64>) = rayon::join(
            || old.par_iter().map(|d| content_hash(d)).collect(),
            || docs.par_iter().map(|d| content_hash(d)).collect(),
        );
        let mut by_hash: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
        for (n, &h) in old_hashes.iter().enumerate().rev() {
            by_hash.entry(h).or_default().push(n);
        }
        // New number of each old document; u32::MAX for none.
        let mut renumbered = vec![u32::MAX; old.len()];
        let mut fresh: Vec<(u32, &SearchDoc)> = Vec::new();
        for (n, doc) in docs.iter().enumerate() {
            let number = u32::try_from(n).unwrap_or(u32::MAX >> 4);
            let found = by_hash.get_mut(&hashes[n]).and_then(|candidates| {
                let at = candidates.iter().rposition(|&o| same_terms(&old[o], doc))?;
                Some(candidates.remove(at))
            });
            match found {
                Some(o) => renumbered[o] = number,
                None => fresh.push((number, doc)),
            }
        }
        let identity = renumbered.iter().enumerate().all(|(o, &n)| n as usize == o);
        if !identity {
            self.postings.par_iter_mut().for_each(|packed| {
                if packed.is_empty() {
                    return;
                }
                let mut list = packed.entries();
                list.retain_mut(|p| {
                    let n = renumbered[(*p >> 4) as usize];
                    *p = n << 4 | (*p & 0xF);
                    n != u32::MAX
                });
                if !list.is_sorted_by_key(|p| p >> 4) {
                    list.sort_unstable_by_key(|p| p >> 4);
                }
                *packed = Packed::from_entries(&list);
            });
        }
        self.add(&fresh);
        (0..self.sigs.len())
            .map(|t| u32::try_from(t).unwrap_or(u32::MAX))
            .collect()
    }

    /// Indexes `docs` (number, document; ascending numbers) into the postings: chunks of
    /// documents in parallel, a few at a time, each merged in order as soon as its batch is
    /// done, so that only a batch of chunks is held unpacked at once.
    fn add(&mut self, docs: &[(u32, &SearchDoc)]) {
        if docs.is_empty() {
            return;
        }
        // Entries of terms some posting of which a fresh document precedes: merged at the
        // end (an incremental renumbering); a clean build appends everything.
        let mut late: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let batch = CHUNK * rayon::current_num_threads().max(1) * 2;
        for group in docs.chunks(batch) {
            let partials: Vec<ChunkIndex> = group
                .par_chunks(CHUNK)
                .map(|slice| {
                    let mut index = ChunkIndex::default();
                    for (number, doc) in slice {
                        for_each_term(doc, 0xF, |term, bit| index.add(term, *number, bit));
                    }
                    index
                })
                .collect();
            for partial in partials {
                let ChunkIndex {
                    han,
                    text,
                    mut postings,
                } = partial;
                let mut merge = |table: &mut TermTable, global: u32, list: Vec<u32>| {
                    let packed = &mut table.postings[global as usize];
                    let first = list.first().map(|p| p >> 4);
                    let appendable = !late.contains_key(&global)
                        && match (packed.last_doc(), first) {
                            (Some(last), Some(first)) => first > last,
                            _ => true,
                        };
                    if appendable {
                        packed.extend(&list);
                    } else {
                        late.entry(global).or_default().extend(list);
                    }
                };
                for (key, tid) in han {
                    let list = std::mem::take(&mut postings[tid as usize]);
                    let global = self.han_id(key);
                    merge(self, global, list);
                }
                for (term, tid) in text {
                    let list = std::mem::take(&mut postings[tid as usize]);
                    let global = self.text_id(&term);
                    merge(self, global, list);
                }
            }
        }
        let postings = &mut self.postings;
        let late: Vec<(u32, Vec<u32>)> = late.into_iter().collect();
        let merged: Vec<(u32, Packed)> = late
            .into_par_iter()
            .map(|(tid, extra)| {
                let mut list = postings[tid as usize].entries();
                list.extend(extra);
                list.sort_unstable_by_key(|p| p >> 4);
                (tid, Packed::from_entries(&list))
            })
            .collect();
        for (tid, list) in merged {
            postings[tid as usize] = list;
        }
        postings.par_iter_mut().for_each(Packed::shrink);
    }

    /// Encodes the postings of `tids` again and returns those whose JSON changed, with it.
    fn encode(&mut self, tids: &[u32], n_docs: usize) -> Vec<Changed> {
        let table = &*self;
        let encoded: Vec<(u32, String, Sig)> = tids
            .par_iter()
            .filter_map(|&t| {
                let json = table.json(t, n_docs);
                let sig = Sig::of(&json);
                (sig != table.sigs[t as usize]).then_some((t, json, sig))
            })
            .collect();
        encoded
            .into_iter()
            .map(|(tid, json, sig)| Changed {
                tid,
                old: std::mem::replace(&mut self.sigs[tid as usize], sig),
                json,
            })
            .collect()
    }

    /// Han characters indexed alone by some document (for the manifest's fold map).
    fn live_han_chars(&self) -> BTreeSet<char> {
        self.han
            .iter()
            .filter(|(key, tid)| **key >> 21 == 0 && !self.sigs[**tid as usize].is_empty())
            .filter_map(|(key, _)| char::from_u32(u32::try_from(*key).ok()?))
            .collect()
    }

    /// Bytes the postings hold, packed (for the bench).
    fn heap_bytes(&self) -> usize {
        self.postings.iter().map(Packed::heap_bytes).sum()
    }
}

/// Markdown → plain text, remembered by the Markdown text from one build to the next.
#[derive(Default)]
struct PlainCache {
    map: FxHashMap<Box<str>, Cached>,
}

struct Cached {
    plain: Arc<str>,
    /// Asked for during the current build: kept for the next.
    used: AtomicBool,
}

impl PlainCache {
    /// The site's documents, with the plain text of every Markdown text from the cache
    /// where the text is unchanged; the cache then holds exactly this build's texts if
    /// `remember`, else none. (The first build does not remember: a one-shot build would
    /// hold a second copy of every body for nothing, a fifth more memory at 10,000
    /// notices; an index kept for `serve` fills its cache on its second build.)
    fn collect(
        &mut self,
        site: &Site,
        remember: bool,
        notices: &mut documents::KeptNotices,
    ) -> Vec<Arc<SearchDoc>> {
        let misses: Mutex<Vec<(Box<str>, Arc<str>)>> = Mutex::new(Vec::new());
        let map = &self.map;
        let plain = |markdown: &str| -> Arc<str> {
            if let Some(cached) = map.get(markdown) {
                cached.used.store(true, Ordering::Relaxed);
                return cached.plain.clone();
            }
            let text: Arc<str> = plain_text(markdown).into();
            if !remember {
                return text;
            }
            if let Ok(mut misses) = misses.lock() {
                misses.push((markdown.into(), text.clone()));
            }
            text
        };
        let docs = documents::collect_with(site, &plain, remember.then_some(notices));
        self.map
            .retain(|_, c| c.used.swap(false, Ordering::Relaxed));
        for (markdown, plain) in misses.into_inner().unwrap_or_default() {
            let used = AtomicBool::new(false);
            self.map.insert(markdown, Cached { plain, used });
        }
        docs
    }
}
