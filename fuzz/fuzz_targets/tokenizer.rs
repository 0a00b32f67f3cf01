//! The search tokenizer: folding, runs, index terms, query terms and code terms.
#![no_main]

use gongkai::search::fold::{fold, fold_char};
use gongkai::search::tokenize::{
    Term, code_term, han_key, han_text, index_terms, query_terms, runs,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let folded = fold(text);
    // One character to one character: positions never move.
    assert_eq!(folded.chars().count(), text.chars().count());
    for c in text.chars() {
        let _ = fold_char(c);
    }
    let _ = runs(text);
    let mut terms = std::collections::HashSet::new();
    index_terms(text, |term| {
        if let Term::Han(key) = term {
            let chars: Vec<char> = han_text(key).chars().collect();
            assert_eq!(han_key(&chars), key);
        }
        terms.insert(term.text());
    });
    // Every query term of the text itself is one of its index terms.
    for term in query_terms(text) {
        assert!(
            terms.contains(&term),
            "query term {term:?} of {text:?} is not indexed"
        );
    }
    let _ = code_term(text);
});
