//! ふりがな for the easy-read plan: readings from MeCab's IPA dictionary (Debian's `mecab-ipadic`
//! sources, EUC-JP CSV), compiled with vibrato on first use and cached as one file, so that it
//! works offline. Staff-entered ふりがな of names take precedence over the dictionary.

use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Where Debian's `mecab-ipadic` puts the dictionary sources.
pub const DEBIAN_IPADIC: &str = "/usr/share/mecab/dic/ipadic";

/// A piece of text, with its reading when it has kanji and furigana are on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seg {
    pub t: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r: Option<String>,
}

impl Seg {
    pub fn plain(t: impl Into<String>) -> Self {
        Seg {
            t: t.into(),
            r: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FuriganaError {
    #[error("ふりがな辞書の元データ（{0}）が読めません: {1}")]
    Source(String, String),
    #[error("ふりがな辞書を作れませんでした: {0}")]
    Build(String),
}

fn is_kanji(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}' | '々' | '〆' | 'ヶ')
}

/// Katakana to hiragana (readings print in hiragana).
pub fn hiragana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Splits a word and its reading so that furigana sit over the kanji only:
/// 食べる/たべる → 食(た)べる; 取り扱い/とりあつかい → 取(と)り扱(あつか)い.
pub fn align(surface: &str, reading: &str) -> Vec<Seg> {
    if !surface.chars().any(is_kanji) || reading.is_empty() {
        return vec![Seg::plain(surface)];
    }
    // Runs of kanji and of everything else.
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in surface.chars() {
        let k = is_kanji(c);
        match runs.last_mut() {
            Some((kk, s)) if *kk == k => s.push(c),
            _ => runs.push((k, c.to_string())),
        }
    }
    let r: Vec<char> = hiragana(reading).chars().collect();
    let mut out = Vec::new();
    let mut pos = 0usize;
    for (i, (kanji, text)) in runs.iter().enumerate() {
        if !kanji {
            let lit: Vec<char> = hiragana(text).chars().collect();
            if r.get(pos..pos + lit.len()) != Some(&lit[..]) {
                return vec![Seg {
                    t: surface.into(),
                    r: Some(hiragana(reading)),
                }];
            }
            pos += lit.len();
            out.push(Seg::plain(text.clone()));
            continue;
        }
        // The kanji run reads up to where the next literal run starts (at least one character).
        let end = match runs.get(i + 1) {
            None => r.len(),
            Some((_, next)) => {
                let lit: Vec<char> = hiragana(next).chars().collect();
                let found = (pos + 1..=r.len().saturating_sub(lit.len()))
                    .find(|&j| r.get(j..j + lit.len()) == Some(&lit[..]));
                match found {
                    Some(j) => j,
                    None => {
                        return vec![Seg {
                            t: surface.into(),
                            r: Some(hiragana(reading)),
                        }];
                    }
                }
            }
        };
        if end <= pos {
            return vec![Seg {
                t: surface.into(),
                r: Some(hiragana(reading)),
            }];
        }
        out.push(Seg {
            t: text.clone(),
            r: Some(r[pos..end].iter().collect()),
        });
        pos = end;
    }
    out
}

/// A compiled dictionary that reads Japanese text.
pub struct Reader {
    tokenizer: vibrato::Tokenizer,
}

fn read_euc(dir: &Path, name: &str) -> Result<String, FuriganaError> {
    let p = dir.join(name);
    let bytes = std::fs::read(&p)
        .map_err(|e| FuriganaError::Source(p.display().to_string(), e.to_string()))?;
    let (text, _, _) = encoding_rs::EUC_JP.decode(&bytes);
    Ok(text.into_owned())
}

impl Reader {
    /// Compiles MeCab IPA dictionary sources (a directory of EUC-JP `*.csv`, `matrix.def`,
    /// `char.def`, `unk.def`). Takes seconds; [`Dictionary`] caches the result.
    pub fn build(dir: &Path) -> Result<Reader, FuriganaError> {
        let mut csvs: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| FuriganaError::Source(dir.display().to_string(), e.to_string()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .collect();
        csvs.sort();
        if csvs.is_empty() {
            return Err(FuriganaError::Source(
                dir.display().to_string(),
                "CSVがありません".into(),
            ));
        }
        let mut lex = String::new();
        for p in &csvs {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            lex.push_str(&read_euc(dir, name)?);
            if !lex.ends_with('\n') {
                lex.push('\n');
            }
        }
        let matrix = read_euc(dir, "matrix.def")?;
        let chars = read_euc(dir, "char.def")?;
        let unk = read_euc(dir, "unk.def")?;
        let dict = vibrato::SystemDictionaryBuilder::from_readers(
            lex.as_bytes(),
            matrix.as_bytes(),
            chars.as_bytes(),
            unk.as_bytes(),
        )
        .map_err(|e| FuriganaError::Build(e.to_string()))?;
        Ok(Reader {
            tokenizer: vibrato::Tokenizer::new(dict),
        })
    }

    fn load(path: &Path) -> Option<Reader> {
        let f = std::fs::File::open(path).ok()?;
        let dict = vibrato::Dictionary::read(std::io::BufReader::new(f)).ok()?;
        Some(Reader {
            tokenizer: vibrato::Tokenizer::new(dict),
        })
    }

    /// The text in segments, each word's kanji with its reading.
    pub fn annotate(&self, text: &str) -> Vec<Seg> {
        let mut out: Vec<Seg> = Vec::new();
        // Line by line: the tokenizer takes one sentence at a time and line breaks must stay.
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                push(&mut out, Seg::plain("\n"));
            }
            if line.is_empty() {
                continue;
            }
            let mut w = self.tokenizer.new_worker();
            w.reset_sentence(line);
            w.tokenize();
            for k in 0..w.num_tokens() {
                let tok = w.token(k);
                let reading = tok.feature().split(',').nth(7).unwrap_or("*");
                let segs = if reading == "*" {
                    vec![Seg::plain(tok.surface())]
                } else {
                    align(tok.surface(), reading)
                };
                for s in segs {
                    push(&mut out, s);
                }
            }
        }
        out
    }

    /// Like [`annotate`](Self::annotate), with `names` (text, its ふりがな as staff entered it)
    /// read as given wherever they appear.
    pub fn annotate_with(&self, text: &str, names: &[(String, String)]) -> Vec<Seg> {
        annotate_names(text, names, &|s| self.annotate(s))
    }
}

/// Appends, merging neighbouring plain pieces.
fn push(out: &mut Vec<Seg>, s: Seg) {
    if s.r.is_none()
        && let Some(last) = out.last_mut()
        && last.r.is_none()
    {
        last.t.push_str(&s.t);
        return;
    }
    out.push(s);
}

/// Splits `text` at the first of `names` found, reading names as given and the rest with `rest`.
pub fn annotate_names(
    text: &str,
    names: &[(String, String)],
    rest: &dyn Fn(&str) -> Vec<Seg>,
) -> Vec<Seg> {
    let hit = names
        .iter()
        .filter(|(n, k)| !n.is_empty() && !k.is_empty())
        .filter_map(|(n, k)| text.find(n.as_str()).map(|i| (i, n, k)))
        .min_by_key(|(i, n, _)| (*i, std::cmp::Reverse(n.len())));
    let Some((i, n, k)) = hit else {
        return rest(text);
    };
    let mut out = Vec::new();
    for s in rest(&text[..i]) {
        push(&mut out, s);
    }
    for s in align(n, k) {
        push(&mut out, s);
    }
    for s in annotate_names(&text[i + n.len()..], names, rest) {
        push(&mut out, s);
    }
    out
}

/// The dictionary of a running program: compiled from `source` once, cached in `cache`, loaded
/// from there on later starts. Missing sources leave it absent (documents print without
/// furigana and the settings page says how to install them).
pub struct Dictionary {
    source: PathBuf,
    cache: Option<PathBuf>,
    reader: OnceLock<Result<Arc<Reader>, String>>,
}

impl Dictionary {
    pub fn new(source: impl Into<PathBuf>, cache: Option<PathBuf>) -> Self {
        Self {
            source: source.into(),
            cache,
            reader: OnceLock::new(),
        }
    }

    /// Whether the sources or a compiled cache exist (without loading anything).
    pub fn available(&self) -> bool {
        self.cache.as_ref().is_some_and(|c| c.exists()) || self.source.join("matrix.def").exists()
    }

    /// The reader, loading or compiling it on first call (blocking; seconds the first time).
    pub fn reader(&self) -> Result<Arc<Reader>, String> {
        self.reader
            .get_or_init(|| {
                if let Some(c) = &self.cache
                    && let Some(r) = Reader::load(c)
                {
                    return Ok(Arc::new(r));
                }
                let r = Reader::build(&self.source).map_err(|e| e.to_string())?;
                if let Some(c) = &self.cache {
                    // A failed cache only costs the next start a rebuild.
                    let tmp = c.with_extension("tmp");
                    if let Ok(f) = std::fs::File::create(&tmp)
                        && r.tokenizer
                            .dictionary()
                            .write(std::io::BufWriter::new(f))
                            .is_ok()
                    {
                        let _ = std::fs::rename(&tmp, c);
                    }
                }
                Ok(Arc::new(r))
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(segs: &[Seg]) -> String {
        segs.iter()
            .map(|s| match &s.r {
                Some(r) => format!("{}({})", s.t, r),
                None => s.t.clone(),
            })
            .collect()
    }

    #[test]
    fn readings_sit_over_the_kanji_only() {
        assert_eq!(show(&align("食べる", "タベル")), "食(た)べる");
        assert_eq!(
            show(&align("取り扱い", "トリアツカイ")),
            "取(と)り扱(あつか)い"
        );
        assert_eq!(show(&align("お金", "オカネ")), "お金(かね)");
        assert_eq!(show(&align("相談", "ソウダン")), "相談(そうだん)");
        assert_eq!(show(&align("ヘルパー", "ヘルパー")), "ヘルパー");
        // A reading that does not fit the kana goes over the whole word.
        assert_eq!(show(&align("今日は", "キョウワ")), "今日は(きょうわ)");
    }

    #[test]
    fn names_read_as_staff_entered_them() {
        let rest = |s: &str| vec![Seg::plain(s)];
        let names = vec![("山田".to_string(), "やまだ".to_string())];
        let segs = annotate_names("山田さんの計画", &names, &rest);
        assert_eq!(show(&segs), "山田(やまだ)さんの計画");
    }
}
