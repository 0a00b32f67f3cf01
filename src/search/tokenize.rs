//! The tokenizer: text → runs of units → terms. The browser's `gongkai-search.js` is its
//! twin and must split every text exactly the same way (see docs/search.md).

use super::fold::fold_char;

/// Word prefixes longer than this are not indexed (a query word is cut to this length).
pub const MAX_PREFIX: usize = 16;

/// One unit of text: a Han character, or a maximal run of `[a-z0-9]` (a word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// A Han character.
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

/// What [`scan`] meets in a folded text: a unit, or a separator ending the run.
enum Token<'w> {
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
        on(if is_han(c) {
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

/// A term as the indexer meets it. Terms made of Han characters alone, nearly every term
/// of a Chinese text, come packed into an integer ([`han_key`]) so that the indexer's hot
/// loop hashes a number instead of a string; [`Term::text`] gives the string the browser
/// looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term<'a> {
    /// One Han character or a pair of them, packed by [`han_key`].
    Han(u64),
    /// Any other term: a word prefix (`>2014`) or a pair with a word in it (`67号`).
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

/// Packs one Han character, or a pair, into an integer (21 bits a character; bit 42 marks
/// a pair). Distinct terms get distinct keys.
pub fn han_key(first: char, second: Option<char>) -> u64 {
    match second {
        None => u64::from(first),
        Some(second) => 1 << 42 | u64::from(first) << 21 | u64::from(second),
    }
}

/// The string of a key made by [`han_key`].
pub fn han_text(key: u64) -> String {
    let char_at = |shift: u32| char::from_u32(((key >> shift) & 0x1F_FFFF) as u32);
    if key >> 42 == 1 {
        [char_at(21), char_at(0)].into_iter().flatten().collect()
    } else {
        char_at(0).map(String::from).unwrap_or_default()
    }
}

/// Every term a text is indexed under, passed to `emit` (duplicates included): the same
/// terms, in the same order, as walking [`runs`] unit by unit (each unit's own terms, then
/// its pair with the next), but in one pass without allocating the runs, since this runs
/// on every character of every indexed text.
pub fn index_terms(text: &str, emit: impl FnMut(Term<'_>)) {
    let mut stream = TermStream {
        emit,
        previous: Previous::Nothing,
        previous_word: String::new(),
        term: String::new(),
    };
    scan(text, |token| match token {
        Token::Han(c) => stream.han(c),
        Token::Word(word) => stream.word(word),
        Token::Break => stream.previous = Previous::Nothing,
    });
}

/// The unit before the current one in a run.
#[derive(Clone, Copy)]
enum Previous {
    /// At the start of a run.
    Nothing,
    Han(char),
    /// A word, held in `TermStream::previous_word`.
    Word,
}

/// The state of [`index_terms`] between units.
struct TermStream<F> {
    emit: F,
    previous: Previous,
    previous_word: String,
    term: String,
}

impl<F: FnMut(Term<'_>)> TermStream<F> {
    fn han(&mut self, c: char) {
        match self.previous {
            Previous::Han(p) => (self.emit)(Term::Han(han_key(p, Some(c)))),
            Previous::Word => {
                self.term.clear();
                self.term.push_str(&self.previous_word);
                self.term.push(c);
                (self.emit)(Term::Text(&self.term));
            }
            Previous::Nothing => {}
        }
        (self.emit)(Term::Han(han_key(c, None)));
        self.previous = Previous::Han(c);
    }

    /// A complete word: its pair with the Han character before it, then its prefixes.
    fn word(&mut self, word: &mut String) {
        if let Previous::Han(p) = self.previous {
            self.term.clear();
            self.term.push(p);
            self.term.push_str(word);
            (self.emit)(Term::Text(&self.term));
        }
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
        self.previous_word = std::mem::take(word);
        self.previous = Previous::Word;
    }
}

/// The terms a query word must all match: adjacent pairs of each run, or the unit
/// itself for a run of one (a word as a prefix term). Distinct, in order of appearance,
/// as the client's `queryTerms`.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for run in runs(query) {
        if let [unit] = run.as_slice() {
            terms.push(match unit {
                Unit::Han(c) => c.to_string(),
                Unit::Word(w) => format!(">{}", w.chars().take(MAX_PREFIX).collect::<String>()),
            });
            continue;
        }
        for pair in run.windows(2) {
            let mut term = String::new();
            pair[0].push_to(&mut term);
            pair[1].push_to(&mut term);
            terms.push(term);
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
    fn han_text_gives_characters_and_pairs() {
        assert_eq!(
            all_terms("知识产权"),
            ["知", "知识", "识", "识产", "产", "产权", "权"]
        );
    }

    /// The definition [`index_terms`] must follow: each unit of each run, then its pair
    /// with the next unit.
    fn reference_terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for run in runs(text) {
            for (i, unit) in run.iter().enumerate() {
                match unit {
                    Unit::Han(c) => out.push(c.to_string()),
                    Unit::Word(w) => {
                        let chars: Vec<char> = w.chars().collect();
                        for n in 1..=chars.len().min(MAX_PREFIX) {
                            out.push(format!(">{}", chars[..n].iter().collect::<String>()));
                        }
                    }
                }
                if let Some(next) = run.get(i + 1) {
                    let mut pair = String::new();
                    unit.push_to(&mut pair);
                    next.push_to(&mut pair);
                    out.push(pair);
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
            "abcdefghijklmnopqrstuvwxyz0123456789长词",
        ] {
            assert_eq!(all_terms(text), reference_terms(text), "{text}");
        }
    }

    #[test]
    fn han_keys_round_trip() {
        for (a, b) in [
            ('知', None),
            ('知', Some('识')),
            ('𠀀', Some('号')),
            ('a', None),
        ] {
            let text: String = [Some(a), b].into_iter().flatten().collect();
            assert_eq!(han_text(han_key(a, b)), text);
        }
        assert_ne!(han_key('知', Some('识')), han_key('识', Some('知')));
    }

    #[test]
    fn words_give_prefixes_and_pair_with_han() {
        let terms = all_terms("〔2014〕67号");
        assert_eq!(
            terms,
            [">2", ">20", ">201", ">2014", ">6", ">67", "67号", "号"]
        );
    }

    #[test]
    fn queries_use_pairs_or_single_units() {
        assert_eq!(query_terms("知识产"), ["知识", "识产"]);
        assert_eq!(query_terms("67号"), ["67号"]);
        assert_eq!(query_terms("知"), ["知"]);
        assert_eq!(query_terms("K1249"), [">k1249"]);
        assert_eq!(query_terms("聯席 會議"), ["联席", "会议"]);
        // Found by tests/properties.rs: a repeated term that is not adjacent was kept
        // twice, where the client keeps each term once.
        assert_eq!(query_terms("6 x.6"), [">6", ">x"]);
        assert_eq!(query_terms("知识知识"), ["知识", "识知"]);
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
