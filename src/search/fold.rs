//! Character folding shared by the index and the browser: full-width ASCII to ASCII,
//! lowercase, and traditional to simplified Chinese, one character to one character so
//! positions in a text never move (snippets highlight by position).

use std::sync::LazyLock;

/// Traditional → simplified pairs (character, then its fold), generated from OpenCC's t2s
/// tables by the test `fold_table_matches_opencc` (run it with `GONGKAI_REGEN_FOLD=1` to
/// rewrite the file after an OpenCC update). The browser receives the same string.
pub const T2S_PAIRS: &str = include_str!("fold_t2s.txt");

/// First code point of the direct lookup table; every traditional character OpenCC maps
/// lies in `TABLE_START..TABLE_END`.
const TABLE_START: u32 = 0x3400;
const TABLE_END: u32 = 0xFB00;

/// A direct table (one entry per code point) rather than a hash map: folding runs on
/// every character of every indexed text.
static T2S: LazyLock<Vec<char>> = LazyLock::new(|| {
    let mut table: Vec<char> = (TABLE_START..TABLE_END)
        .map(|c| char::from_u32(c).unwrap_or('\u{FFFD}'))
        .collect();
    let chars: Vec<char> = T2S_PAIRS.trim_end().chars().collect();
    for pair in chars.chunks_exact(2) {
        if let Some(slot) = (pair[0] as u32)
            .checked_sub(TABLE_START)
            .and_then(|i| table.get_mut(i as usize))
        {
            *slot = pair[1];
        }
    }
    table
});

/// Folds one character (see the module docs).
pub fn fold_char(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        '\u{FF01}'..='\u{FF5E}' => {
            let ascii = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            ascii.to_ascii_lowercase()
        }
        '\u{3000}' => ' ',
        c if (TABLE_START..TABLE_END).contains(&(c as u32)) => {
            T2S[(c as u32 - TABLE_START) as usize]
        }
        c => c,
    }
}

/// Folds a whole text, character by character.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_and_traditional_characters() {
        assert_eq!(fold("發布機構"), "发布机构");
        assert_eq!(fold("聯席會議ＡＢｃ１２"), "联席会议abc12");
        assert_eq!(fold("K12498411"), "k12498411");
        assert_eq!(fold("〔2014〕"), "〔2014〕");
    }

    /// Found by tests/properties.rs: OpenCC maps 薴 to 苧 and 苧 to 苎, so folding 薴 once
    /// gave 苧 and twice 苎, and the client (which folds a query twice) missed 薴.
    #[test]
    fn folding_is_idempotent_through_chains() {
        assert_eq!(fold("薴"), "苎");
        assert_eq!(fold(&fold("薴苧")), fold("薴苧"));
    }

    /// The committed table must be what OpenCC says; set GONGKAI_REGEN_FOLD=1 to rewrite it.
    #[test]
    fn fold_table_matches_opencc() {
        use ferrous_opencc::OpenCC;
        use ferrous_opencc::config::BuiltinConfig;
        let opencc = OpenCC::from_config(BuiltinConfig::T2s).expect("OpenCC t2s tables");
        let mut pairs = String::new();
        let ranges = [0x3400..=0x4DBF, 0x4E00..=0x9FFF, 0xF900..=0xFAFF];
        for code in ranges.into_iter().flatten() {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let one = |c: char| {
                let converted = opencc.convert(&c.to_string());
                let mut out = converted.chars();
                match (out.next(), out.next()) {
                    (Some(s), None) => s,
                    _ => c,
                }
            };
            // OpenCC maps a few characters to ones it maps again (薴 → 苧 → 苎): follow the
            // chain so that folding is idempotent (the client folds a query twice).
            let mut s = one(c);
            for _ in 0..8 {
                let next = one(s);
                if next == s {
                    break;
                }
                s = next;
            }
            if s != c {
                pairs.push(c);
                pairs.push(s);
            }
        }
        pairs.push('\n');
        if std::env::var("GONGKAI_REGEN_FOLD").is_ok() {
            std::fs::write(
                concat!(env!("CARGO_MANIFEST_DIR"), "/src/search/fold_t2s.txt"),
                &pairs,
            )
            .expect("write fold table");
        }
        assert!(
            pairs == T2S_PAIRS,
            "fold_t2s.txt is stale: rerun with GONGKAI_REGEN_FOLD=1"
        );
    }
}
