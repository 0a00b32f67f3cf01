//! Bytes → text: the first step of `gongkai import`.
//!
//! Text exported from old portals and "saved as text" from Word/WPS is UTF-8 (often with
//! a BOM) or, on older Windows machines, GB18030/GBK. UTF-8 is tried first because it is
//! self-checking: bytes that decode as UTF-8 almost never are anything else. Otherwise
//! chardetng (Firefox's detector) names the legacy encoding and encoding_rs decodes it;
//! a file that still does not decode cleanly is refused with the line of its first bad
//! byte rather than imported with replacement characters.
//!
//! The clean-ups here apply to every kind of import: conversion debris (`發(fā)布`, the
//! pinyin a traditional-character converter left after each character it was unsure of)
//! is always removed; traditional → simplified is done only when asked (`--simplify`),
//! since some offices publish in 繁體 on purpose.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostics::Text;
use crate::text;

/// Text decoded from a file, with the encoding it was read in (for the dry-run summary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    /// The text, line ends normalised to `\n`, without BOM.
    pub text: String,
    /// The encoding's WHATWG name: `UTF-8`, `GBK`, `gb18030`, `Big5` …
    pub encoding: &'static str,
}

/// Decodes `bytes`: UTF-8 (a BOM is dropped), UTF-16 with a BOM, else the legacy
/// encoding chardetng guesses (GB18030/GBK for mainland files). The error names the
/// 1-based line of the first byte that does not decode.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, Text> {
    let (text, encoding) = if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(bad_bytes(bytes, encoding));
        }
        (text.into_owned(), encoding.name())
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), encoding_rs::UTF_8.name())
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        // No top-level domain to hint with; UTF-8 was ruled out above. GBK is decoded by
        // encoding_rs's GB18030 decoder (a superset), so four-byte GB18030 also reads.
        let mut encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
        if encoding == encoding_rs::GBK {
            encoding = encoding_rs::GB18030;
        }
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(bad_bytes(bytes, encoding));
        }
        (text.into_owned(), encoding.name())
    };
    Ok(Decoded {
        text: text.replace("\r\n", "\n").replace('\r', "\n"),
        encoding,
    })
}

/// The refusal of bytes that are neither UTF-8 nor `encoding`, naming the line.
fn bad_bytes(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> Text {
    // Find the first byte the decoder rejects by decoding growing prefixes is quadratic;
    // decoding line by line is enough to name the line.
    let mut line = 1usize;
    for chunk in bytes.split(|&b| b == b'\n') {
        let (_, had_errors) = encoding.decode_without_bom_handling(chunk);
        if had_errors {
            break;
        }
        line += 1;
    }
    let name = encoding.name();
    text!(
        "line {line}: the file is neither UTF-8 nor {name}: save it as UTF-8 and import again",
        "第 {line} 行：文件既不是 UTF-8 也不是 {name} 编码：请另存为 UTF-8 后再导入"
    )
}

/// `發(fā)布` → `發布`: a Han character followed by its pinyin with a tone mark in half- or
/// full-width brackets. At least one tone-marked vowel is required, so `(a)` or `（B）`
/// in real text stay.
static DEBRIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han})[(（]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*)[)）]")
        .unwrap_or_else(|e| unreachable!("the debris pattern is a valid regex: {e}"))
});

/// Removes conversion debris; returns the text, how many were removed and the 1-based
/// line of the first.
pub(crate) fn remove_debris(text: &str) -> (String, usize, usize) {
    let count = DEBRIS.find_iter(text).count();
    let Some(first) = DEBRIS.find(text) else {
        return (text.to_string(), 0, 0);
    };
    let line = text[..first.start()].matches('\n').count() + 1;
    (DEBRIS.replace_all(text, "$1").into_owned(), count, line)
}

/// Traditional → simplified with OpenCC's t2s tables (`--simplify`).
pub(crate) fn simplify(text: &str) -> Result<String, Text> {
    use ferrous_opencc::OpenCC;
    use ferrous_opencc::config::BuiltinConfig;
    let opencc = OpenCC::from_config(BuiltinConfig::T2s).map_err(|e| {
        text!(
            "cannot load the traditional → simplified tables: {e}",
            "无法加载繁体转简体词表：{e}"
        )
    })?;
    Ok(opencc.convert(text))
}

/// Whether `c` is a CJK ideograph or CJK/full-width punctuation: the neighbours that make
/// a half-width mark full-width and a space droppable.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'   // CJK punctuation 、。〔〕《》
        | '\u{3400}'..='\u{4DBF}' // extension A
        | '\u{4E00}'..='\u{9FFF}' // unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF01}'..='\u{FF0F}' // ！＂＃…／
        | '\u{FF1A}'..='\u{FF20}' // ：；＜＝＞？＠
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '\u{2018}'..='\u{201F}' // “” ‘’ as Chinese text uses them
        | '\u{2014}' | '\u{2026}' | '\u{00B7}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// Tidies one cell's or paragraph's text as a Chinese publisher writes it: whitespace
/// between two CJK characters (or a CJK character and a mark) goes — it is the padding of
/// fixed-width tables and letter-spaced labels (`工 作 内 容`) — and a half-width `, ; : ( )
/// ? !` next to Chinese text becomes full-width (`，；：（）？！`), which is how the
/// published documents write them; text between ASCII characters (`[2006]58`, `4.32`) is
/// left as it is.
pub(crate) fn tidy(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let before = out.chars().last();
            let after = chars.get(j).copied();
            let keep = matches!((before, after), (Some(b), Some(a)) if !is_cjk(b) && !is_cjk(a) && !is_opening(a) && !is_closing(b));
            if keep {
                out.push(' ');
            }
            i = j;
            continue;
        }
        let prev = out.chars().last();
        let next = chars[i + 1..].iter().copied().find(|c| !c.is_whitespace());
        let near_cjk = |c: Option<char>| c.is_some_and(is_cjk);
        let wide = match c {
            ',' | ';' | ':' | '?' | '!' if near_cjk(prev) => full_width(c),
            '(' if near_cjk(next) || near_cjk(prev) => '（',
            ')' if near_cjk(prev) || near_cjk(next) => '）',
            _ => c,
        };
        out.push(wide);
        i += 1;
    }
    out
}

/// `（` and `(`: no space is kept after an opening bracket's neighbour.
fn is_opening(c: char) -> bool {
    matches!(c, '（' | '(' | '《' | '“')
}

/// `）` and `)`: no space is kept before a closing bracket's neighbour.
fn is_closing(c: char) -> bool {
    matches!(c, '）' | ')' | '》' | '”')
}

/// The full-width twin of an ASCII mark.
fn full_width(c: char) -> char {
    char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("一、任务分解\r\n".as_bytes()).unwrap();
        assert_eq!(plain.text, "一、任务分解\n");
        assert_eq!(plain.encoding, "UTF-8");
        let bom = decode(b"\xEF\xBB\xBF\xE4\xB8\x80").unwrap();
        assert_eq!(bom.text, "一");
    }

    #[test]
    fn gb18030_is_detected_and_decoded() {
        let text = "广州市人民政府办公厅印发广州市创建国家知识产权示范城市工作分解方案的通知\n各区、县级市人民政府，市政府各部门、各直属机构：\n";
        let (bytes, _, _) = encoding_rs::GB18030.encode(text);
        assert!(std::str::from_utf8(&bytes).is_err());
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, "gb18030");
    }

    #[test]
    fn undecodable_bytes_name_their_line() {
        // A lone 0x80 after valid UTF-8 lines is neither UTF-8 nor (as a final byte)
        // valid in the detected legacy encoding; either way, no panic and a line number.
        let bytes = b"ok\nok\n\x81";
        match decode(bytes) {
            Ok(d) => assert!(!d.text.is_empty()),
            Err(e) => assert!(e.en().contains("line 3"), "{}", e.en()),
        }
    }

    #[test]
    fn debris_goes_but_real_brackets_stay() {
        let (text, n, line) = remove_debris("標題\n發(fā)布機構 聯（lián）席 方案(a) 附件（B）");
        assert_eq!(text, "標題\n發布機構 聯席 方案(a) 附件（B）");
        assert_eq!((n, line), (2, 2));
    }

    #[test]
    fn simplify_converts_traditional() {
        assert_eq!(simplify("發布機構").unwrap(), "发布机构");
    }

    #[test]
    fn tidy_joins_and_widens() {
        assert_eq!(tidy(" 工 作 内 容 "), "工作内容");
        assert_eq!(
            tidy("意见》 (穗府[2006]58号),研究"),
            "意见》（穗府[2006]58号），研究"
        );
        assert_eq!(tidy("万人 4.32 件, 2015-2020"), "万人4.32件，2015-2020");
        assert_eq!(tidy("Word 2007 file"), "Word 2007 file");
    }
}
