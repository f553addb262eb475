//! Japanese text normalisation: done once at the edge, stored canonically.

use crate::errors::FieldErrors;
use unicode_normalization::UnicodeNormalization;

/// Normalise free text a user typed: NFC (never NFKC on prose — it would change ㈱, ①, and
/// full-width punctuation the person wrote), CRLF → LF, trimmed. Control characters other than
/// newline and tab are refused by [`check_text`].
pub fn clean_text(raw: &str) -> String {
    raw.replace("\r\n", "\n")
        .replace('\r', "\n")
        .nfc()
        .collect::<String>()
        .trim()
        .to_string()
}

/// NFKC for short structured values (numbers, codes, names' spacing): full-width digits and
/// letters become ASCII, half-width katakana becomes full-width.
pub fn nfkc(raw: &str) -> String {
    raw.nfkc().collect::<String>().trim().to_string()
}

/// Checks a cleaned value for length and control characters, recording a message on `field`.
pub fn check_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max_chars: usize,
    multiline: bool,
) {
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')))
    {
        errors.add(
            field,
            "使えない制御文字が含まれています。文字を入力し直してください。",
        );
        return;
    }
    let n = value.chars().count();
    if n > max_chars {
        errors.add(
            field,
            format!("{max_chars}文字以内で入力してください（現在{n}文字）。"),
        );
    }
}

/// Cleans and checks a required single-line value.
pub fn required_line(errors: &mut FieldErrors, field: &str, raw: &str, max: usize) -> String {
    let v = clean_text(raw);
    if v.is_empty() {
        errors.add(field, "入力してください。");
    } else {
        check_text(errors, field, &v, max, false);
    }
    v
}

/// Cleans and checks an optional single-line value.
pub fn optional_line(errors: &mut FieldErrors, field: &str, raw: &str, max: usize) -> String {
    let v = clean_text(raw);
    check_text(errors, field, &v, max, false);
    v
}

/// Cleans and checks optional multi-line text.
pub fn optional_text(errors: &mut FieldErrors, field: &str, raw: &str, max: usize) -> String {
    let v = clean_text(raw);
    check_text(errors, field, &v, max, true);
    v
}

/// Converts hiragana to katakana (ゔ and small kana included); other characters unchanged.
/// Whether every field of a row was left empty (a blank row of a grid form is no row).
pub fn all_blank<const N: usize>(fields: [&str; N]) -> bool {
    fields.iter().all(|f| f.trim().is_empty())
}

/// A checkbox or yes/no value as forms and the API send it.
pub fn is_yes(s: &str) -> bool {
    matches!(
        nfkc(s).to_lowercase().as_str(),
        "yes" | "true" | "1" | "on" | "はい"
    )
}

pub fn hiragana_to_katakana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}' => {
                char::from_u32(c as u32 + 0x60).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// Converts katakana to hiragana (for showing ふりがな consistently).
pub fn katakana_to_hiragana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{30A1}'..='\u{30F6}' | '\u{30FD}'..='\u{30FE}' => {
                char::from_u32(c as u32 - 0x60).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// The person's words in 「」 for display, once: words already typed in 「」 (as the hints ask)
/// are not wrapped again (「「仕事に戻りたい」」).
pub fn quoted(words: &str) -> String {
    let w = words.trim();
    if w.starts_with('「') && w.ends_with('」') {
        w.to_string()
    } else {
        format!("「{w}」")
    }
}

/// The key a name is searched by: NFKC (half-width kana → full-width, full-width ASCII →
/// ASCII), hiragana folded to katakana, lower case, spaces removed. Applied to both the stored
/// names and the query so that 「やまだ」「ﾔﾏﾀﾞ」「ヤマダ」 all match.
pub fn search_fold(s: &str) -> String {
    let n: String = s.nfkc().collect();
    hiragana_to_katakana(&n)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when the value is written only in kana (hiragana or katakana), the long-vowel mark,
/// the middle dot and spaces — what a ふりがな field may hold.
pub fn is_kana(s: &str) -> bool {
    s.chars().all(|c| {
        matches!(c, '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309F}' | '\u{30A1}'..='\u{30FA}'
            | '\u{30FC}'..='\u{30FF}' | '・' | ' ' | '\u{3000}')
    })
}

/// Normalises ふりがな input: NFKC (half-width katakana → full-width), katakana → hiragana,
/// ideographic spaces → one ASCII space.
pub fn normalize_furigana(raw: &str) -> String {
    let n = nfkc(raw);
    let h = katakana_to_hiragana(&n);
    h.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes `%`, `_` and `\` for a LIKE pattern using `\` as the escape character.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn words_are_quoted_once() {
        assert_eq!(quoted("仕事に戻りたい"), "「仕事に戻りたい」");
        assert_eq!(quoted("「仕事に戻りたい」"), "「仕事に戻りたい」");
        assert_eq!(quoted(" 「仕事に戻りたい」\n"), "「仕事に戻りたい」");
        assert_eq!(quoted("「働きたい」と言う"), "「「働きたい」と言う」");
    }

    use super::*;

    #[test]
    fn search_fold_merges_kana_width_and_script() {
        assert_eq!(search_fold("やまだ はなこ"), "ヤマダハナコ");
        assert_eq!(search_fold("ﾔﾏﾀﾞ"), "ヤマダ");
        assert_eq!(search_fold("ヤマダ"), "ヤマダ");
        assert_eq!(search_fold("ＡＢＣ１２"), "abc12");
        assert_eq!(search_fold("山田　花子"), "山田花子");
    }

    #[test]
    fn furigana_is_stored_as_hiragana() {
        assert_eq!(normalize_furigana("ﾔﾏﾀﾞ　ﾊﾅｺ"), "やまだ はなこ");
        assert_eq!(normalize_furigana("ヴォーカル"), "ゔぉーかる");
        assert!(is_kana("やまだ はなこ"));
        assert!(!is_kana("山田"));
    }

    #[test]
    fn control_characters_are_refused_but_newlines_allowed_in_text() {
        let mut e = FieldErrors::new();
        check_text(&mut e, "a", "行1\n行2", 100, true);
        assert!(e.is_empty());
        check_text(&mut e, "b", "a\u{0007}b", 100, true);
        check_text(&mut e, "c", "a\nb", 100, false);
        assert!(e.get("b").is_some());
        assert!(e.get("c").is_some());
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        let mut e = FieldErrors::new();
        check_text(&mut e, "a", &"あ".repeat(10), 10, false);
        assert!(e.is_empty());
        check_text(&mut e, "a", &"あ".repeat(11), 10, false);
        assert!(e.get("a").unwrap_or("").contains("10文字以内"));
    }

    #[test]
    fn clean_text_keeps_prose_but_trims_and_unifies_newlines() {
        assert_eq!(
            clean_text("  ①薬を飲み忘れる\r\n② 眠れない  "),
            "①薬を飲み忘れる\n② 眠れない"
        );
    }

    #[test]
    fn like_escape_escapes_wildcards() {
        assert_eq!(like_escape("100%_a\\"), "100\\%\\_a\\\\");
    }
}
