//! The tokenizer: text → runs of units → terms. The browser's `gongkai-search.js` is its
//! twin and must split every text exactly the same way (see docs/search.md).

use super::fold::fold_char;

/// Word prefixes longer than this are not indexed (a query word is cut to this length).
pub const MAX_PREFIX: usize = 16;

/// Longest run of units indexed as one term (an *n-gram*): every run of 2 to `MAX_GRAM`
/// adjacent units of a text is a term, so a query run of up to `MAX_GRAM` units is one
/// term, found only where it stands contiguously; a longer one is the chain of its
/// `MAX_GRAM`-unit windows (docs/search.md, "Exact matching").
pub const MAX_GRAM: usize = 4;

/// One unit of text: a Han character (or a 文号 bracket), or a maximal run of `[a-z0-9]`
/// (a word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// A Han character, or one of the 文号 brackets `〔` `〕` ([`is_mark`]).
    Han(char),
    /// A word of ASCII letters and digits, folded.
    Word(String),
}

impl Unit {
    fn push_to(&self, out: &mut String) {
        match self {
            Unit::Han(c) => out.push(*c),
            Unit::Word(w) => out.push_str(w),
        }
    }
}

/// Whether `c` (already folded) is a Han character.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Whether `c` is one of the brackets of a 文号 (`〔2014〕67号`, GB/T 9704): a unit of its
/// run, so that `〔2014〕67号` is one run and found contiguously, but never a term alone.
pub fn is_mark(c: char) -> bool {
    matches!(c, '〔' | '〕')
}

/// What [`scan`] meets in a folded text: a unit, or a separator ending the run.
enum Token<'w> {
    /// A Han character or a mark.
    Han(char),
    /// A complete word; the receiver may take the string.
    Word(&'w mut String),
    Break,
}

/// Walks a text once, folding it, and reports each unit and each separator: the one
/// definition of units and runs that [`runs`] and [`index_terms`] share.
fn scan(text: &str, mut on: impl FnMut(Token<'_>)) {
    let mut word = String::new();
    for c in text.chars().map(fold_char) {
        if c.is_ascii_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            on(Token::Word(&mut word));
            word.clear();
        }
        on(if is_han(c) || is_mark(c) {
            Token::Han(c)
        } else {
            Token::Break
        });
    }
    if !word.is_empty() {
        on(Token::Word(&mut word));
    }
}

/// Splits a text into runs of units; separators (anything else) end a run.
pub fn runs(text: &str) -> Vec<Vec<Unit>> {
    let mut runs = Vec::new();
    let mut run: Vec<Unit> = Vec::new();
    scan(text, |token| match token {
        Token::Han(c) => run.push(Unit::Han(c)),
        Token::Word(word) => run.push(Unit::Word(std::mem::take(word))),
        Token::Break => {
            if !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
        }
    });
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// A term as the indexer meets it. Terms made of Han characters (and marks) alone, nearly
/// every term of a Chinese text, come packed into an integer ([`han_key`]) so that the
/// indexer's hot loop hashes a number instead of a string; [`Term::text`] gives the string
/// the browser looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term<'a> {
    /// One Han character, or 2 to [`MAX_GRAM`] of them, packed by [`han_key`].
    Han(u128),
    /// Any other term: a word prefix (`>2014`) or an n-gram with a word in it (`67号`).
    Text(&'a str),
}

impl Term<'_> {
    /// The term as a string, exactly as [`query_terms`] spells it.
    pub fn text(&self) -> String {
        match self {
            Term::Han(key) => han_text(*key),
            Term::Text(text) => (*text).to_string(),
        }
    }
}

/// Packs 1 to [`MAX_GRAM`] characters into an integer, 21 bits each, the first highest.
/// Every character packed is non-zero, so distinct sequences get distinct keys, and a
/// single character's key is the character itself.
pub fn han_key(chars: &[char]) -> u128 {
    chars
        .iter()
        .fold(0u128, |key, &c| key << 21 | u128::from(u32::from(c)))
}

/// The string of a key made by [`han_key`].
pub fn han_text(key: u128) -> String {
    let mut chars = Vec::with_capacity(MAX_GRAM);
    let mut rest = key;
    while rest != 0 {
        chars.extend(char::from_u32((rest & 0x1F_FFFF) as u32));
        rest >>= 21;
    }
    chars.iter().rev().collect()
}

/// Every term a text is indexed under, passed to `emit` (duplicates included): the same
/// terms, in the same order, as walking [`runs`] unit by unit (the n-grams ending at the
/// unit, shortest first, then the unit's own terms), but in one pass without allocating
/// the runs, since this runs on every character of every indexed text.
pub fn index_terms(text: &str, emit: impl FnMut(Term<'_>)) {
    let mut stream = TermStream {
        emit,
        window: Vec::with_capacity(MAX_GRAM),
        spare: Vec::new(),
        term: String::new(),
    };
    scan(text, |token| match token {
        Token::Han(c) => stream.unit(Unit::Han(c)),
        Token::Word(word) => {
            let mut owned = stream.spare.pop().unwrap_or_default();
            owned.clear();
            owned.push_str(word);
            stream.unit(Unit::Word(owned));
        }
        Token::Break => stream.clear(),
    });
}

/// The state of [`index_terms`] between units.
struct TermStream<F> {
    emit: F,
    /// The last units of the current run, at most `MAX_GRAM - 1` before a new one comes.
    window: Vec<Unit>,
    /// Word buffers to reuse.
    spare: Vec<String>,
    term: String,
}

impl<F: FnMut(Term<'_>)> TermStream<F> {
    fn clear(&mut self) {
        for unit in self.window.drain(..) {
            if let Unit::Word(w) = unit {
                self.spare.push(w);
            }
        }
    }

    fn unit(&mut self, unit: Unit) {
        if self.window.len() == MAX_GRAM
            && let Unit::Word(w) = self.window.remove(0)
        {
            self.spare.push(w);
        }
        self.window.push(unit);
        let len = self.window.len();
        // The n-grams ending here, shortest first.
        for n in 2..=len {
            let gram = &self.window[len - n..];
            if gram.iter().all(|u| matches!(u, Unit::Han(_))) {
                let mut key = 0u128;
                for u in gram {
                    if let Unit::Han(c) = u {
                        key = key << 21 | u128::from(u32::from(*c));
                    }
                }
                (self.emit)(Term::Han(key));
            } else {
                self.term.clear();
                for u in gram {
                    u.push_to(&mut self.term);
                }
                (self.emit)(Term::Text(&self.term));
            }
        }
        // The unit's own terms.
        match &self.window[len - 1] {
            Unit::Han(c) if is_mark(*c) => {}
            Unit::Han(c) => (self.emit)(Term::Han(u128::from(u32::from(*c)))),
            Unit::Word(word) => {
                for (n, (end, _)) in word
                    .char_indices()
                    .skip(1)
                    .chain([(word.len(), ' ')])
                    .enumerate()
                {
                    if n >= MAX_PREFIX {
                        break;
                    }
                    self.term.clear();
                    self.term.push('>');
                    self.term.push_str(&word[..end]);
                    (self.emit)(Term::Text(&self.term));
                }
            }
        }
    }
}

/// The term of one query run: the unit itself for a run of one (a word as its prefix
/// term; a mark alone is no term), else the n-grams of the run: the run itself up to
/// [`MAX_GRAM`] units, every window of `MAX_GRAM` units of a longer run.
fn run_terms(run: &[Unit], out: &mut Vec<String>) {
    let gram = |units: &[Unit]| {
        let mut term = String::new();
        for u in units {
            u.push_to(&mut term);
        }
        term
    };
    match run {
        [Unit::Han(c)] if is_mark(*c) => {}
        [Unit::Han(c)] => out.push(c.to_string()),
        [Unit::Word(w)] => out.push(format!(
            ">{}",
            w.chars().take(MAX_PREFIX).collect::<String>()
        )),
        _ if run.len() <= MAX_GRAM => out.push(gram(run)),
        _ => out.extend(run.windows(MAX_GRAM).map(gram)),
    }
}

/// The terms a query word must all match for an exact match: for each run, its n-grams
/// ([`run_terms`]). Distinct, in order of appearance, as the client's `queryTerms`.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for run in runs(query) {
        run_terms(&run, &mut terms);
    }
    let mut seen = std::collections::HashSet::new();
    terms.retain(|term| seen.insert(term.clone()));
    terms
}

/// The terms of a *scattered* match of a query: the adjacent pairs of each run of three
/// units or more (the run's own term otherwise), as the client's `pairTerms`. A document
/// holding them all but not the query's n-grams holds the query's pairs, not its runs.
pub fn pair_terms(query: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for run in runs(query) {
        if run.len() <= 2 {
            run_terms(&run, &mut terms);
            continue;
        }
        for pair in run.windows(2) {
            run_terms(pair, &mut terms);
        }
    }
    let mut seen = std::collections::HashSet::new();
    terms.retain(|term| seen.insert(term.clone()));
    terms
}

/// A 文号 or 索引号 as one exact term: `#` and its folded Han characters and `[a-z0-9]`.
pub fn code_term(code: &str) -> Option<String> {
    let kept: String = code
        .chars()
        .map(fold_char)
        .filter(|&c| is_han(c) || c.is_ascii_alphanumeric())
        .collect();
    (!kept.is_empty()).then(|| format!("#{kept}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        index_terms(text, |t| out.push(t.text()));
        out
    }

    #[test]
    fn han_text_gives_characters_and_ngrams() {
        assert_eq!(
            all_terms("知识产权局"),
            [
                "知",
                "知识",
                "识",
                "识产",
                "知识产",
                "产",
                "产权",
                "识产权",
                "知识产权",
                "权",
                "权局",
                "产权局",
                "识产权局",
                "局"
            ]
        );
    }

    /// The definition [`index_terms`] must follow: for each unit of each run, the n-grams
    /// ending at it (2 to MAX_GRAM units, shortest first), then its own terms.
    fn reference_terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for run in runs(text) {
            for (i, unit) in run.iter().enumerate() {
                for n in 2..=MAX_GRAM.min(i + 1) {
                    let mut gram = String::new();
                    for u in &run[i + 1 - n..=i] {
                        u.push_to(&mut gram);
                    }
                    out.push(gram);
                }
                match unit {
                    Unit::Han(c) if is_mark(*c) => {}
                    Unit::Han(c) => out.push(c.to_string()),
                    Unit::Word(w) => {
                        let chars: Vec<char> = w.chars().collect();
                        for n in 1..=chars.len().min(MAX_PREFIX) {
                            out.push(format!(">{}", chars[..n].iter().collect::<String>()));
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn one_pass_terms_follow_the_runs() {
        for text in [
            "知识产权",
            "〔2014〕67号",
            "连政办发〔2014〕67号文 k12498411/2014-00065",
            "abc知识x9年 ２０１４年Ｂ 聯席會議，a",
            "x",
            "",
            "知",
            "号2014",
            "〔〕〔",
            "abcdefghijklmnopqrstuvwxyz0123456789长词",
        ] {
            assert_eq!(all_terms(text), reference_terms(text), "{text}");
        }
    }

    #[test]
    fn han_keys_round_trip() {
        for chars in [
            &['知'][..],
            &['知', '识'],
            &['𠀀', '号', '〔', '〕'],
            &['a'],
            &['知', '识', '产'],
        ] {
            let text: String = chars.iter().collect();
            assert_eq!(han_text(han_key(chars)), text);
        }
        assert_ne!(han_key(&['知', '识']), han_key(&['识', '知']));
    }

    #[test]
    fn words_and_marks_make_ngrams() {
        let terms = all_terms("〔2014〕67号");
        assert_eq!(
            terms,
            [
                "〔2014",
                ">2",
                ">20",
                ">201",
                ">2014",
                "2014〕",
                "〔2014〕",
                "〕67",
                "2014〕67",
                "〔2014〕67",
                ">6",
                ">67",
                "67号",
                "〕67号",
                "2014〕67号",
                "号"
            ]
        );
    }

    #[test]
    fn queries_use_the_run_or_its_windows() {
        assert_eq!(query_terms("知识产"), ["知识产"]);
        assert_eq!(query_terms("知识产权"), ["知识产权"]);
        assert_eq!(query_terms("知识产权局"), ["知识产权", "识产权局"]);
        assert_eq!(query_terms("67号"), ["67号"]);
        assert_eq!(query_terms("〔2014〕11号"), ["〔2014〕11", "2014〕11号"]);
        assert_eq!(query_terms("知"), ["知"]);
        assert_eq!(query_terms("〔"), Vec::<String>::new());
        assert_eq!(query_terms("K1249"), [">k1249"]);
        assert_eq!(query_terms("聯席 會議"), ["联席", "会议"]);
        // Found by tests/properties.rs: a repeated term that is not adjacent was kept
        // twice, where the client keeps each term once.
        assert_eq!(query_terms("6 x.6"), [">6", ">x"]);
        assert_eq!(query_terms("知识知识"), ["知识知识"]);
        assert_eq!(pair_terms("知识产权"), ["知识", "识产", "产权"]);
        assert_eq!(pair_terms("知识"), ["知识"]);
        assert_eq!(pair_terms("知识知识"), ["知识", "识知"]);
    }

    /// Every query term of a text's own substrings is among the text's index terms (a
    /// run's n-grams are the text's), and the terms of a phrase split over two fields are
    /// not among either field's terms.
    #[test]
    fn query_ngrams_are_indexed_only_where_contiguous() {
        let text = "关于加强食品安全监管的通知〔2014〕11号";
        let indexed: std::collections::HashSet<String> = all_terms(text).into_iter().collect();
        for q in [
            "食品安全",
            "加强食品安全监管",
            "〔2014〕11号",
            "2014〕11号",
            "安全监",
        ] {
            for term in query_terms(q) {
                assert!(indexed.contains(&term), "{q}: {term}");
            }
        }
        // 食品 … 安全 apart: the pairs are there, the 4-gram is not.
        let scattered: std::collections::HashSet<String> =
            all_terms("食品检验和安全生产").into_iter().collect();
        assert!(
            pair_terms("食品安全")
                .iter()
                .all(|t| t != "品安" || !scattered.contains(t))
        );
        assert!(!scattered.contains("食品安全"));
        // The end of a title and the start of a body are two texts: no n-gram across.
        let title: std::collections::HashSet<String> = all_terms("关于食品").into_iter().collect();
        let body: std::collections::HashSet<String> = all_terms("安全的通知").into_iter().collect();
        assert!(!title.contains("食品安全") && !body.contains("食品安全"));
    }

    #[test]
    fn codes_ignore_brackets_and_spacing() {
        assert_eq!(
            code_term("连政办发〔2014〕67号").as_deref(),
            Some("#连政办发201467号")
        );
        assert_eq!(
            code_term("连政办发 [2014] 67 号"),
            code_term("连政办发〔2014〕67号")
        );
        assert_eq!(
            code_term("k12498411/2014-00065").as_deref(),
            Some("#k12498411201400065")
        );
    }
}
