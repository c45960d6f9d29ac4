//! Languages. Japanese first; English by switch, by `?lang=en` or by the browser's language.

use serde::{Deserialize, Serialize};

/// A UI language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// 日本語 (the default).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// The BCP-47 code, as used in `<html lang>` and `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// Parses a language tag such as `ja`, `ja-JP`, `en`, `en-US` (case-insensitive).
    /// Unknown tags give `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the language: an explicit `?lang=` value wins, then the first browser language we
    /// support, then Japanese.
    pub fn choose<'a>(query: Option<&str>, browser: impl IntoIterator<Item = &'a str>) -> Lang {
        if let Some(lang) = query.and_then(Lang::from_tag) {
            return lang;
        }
        browser.into_iter().find_map(Lang::from_tag).unwrap_or_default()
    }

    /// The other language (for the switch).
    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }
}

/// A text in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A text from its two versions.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Text { ja: ja.into(), en: en.into() }
    }

    /// The version for `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_wins_over_browser() {
        assert_eq!(Lang::choose(Some("en"), ["ja-JP"]), Lang::En);
        assert_eq!(Lang::choose(Some("JA"), ["en-US"]), Lang::Ja);
    }

    #[test]
    fn browser_language_is_used_when_no_query() {
        assert_eq!(Lang::choose(None, ["en-GB", "ja"]), Lang::En);
        assert_eq!(Lang::choose(None, ["fr-FR", "ja-JP"]), Lang::Ja);
    }

    #[test]
    fn unknown_everything_defaults_to_japanese() {
        assert_eq!(Lang::choose(Some("xx"), ["de", "fr"]), Lang::Ja);
        assert_eq!(Lang::choose(None, []), Lang::Ja);
        assert_eq!(Lang::from_tag(""), None);
    }
}
