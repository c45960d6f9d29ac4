//! Errors the user can cause (bad files, bad settings) and errors of the device. Each one has a
//! message in Japanese and in English; the shell shows it once and keeps going.

use crate::i18n::{Lang, Text};
use thiserror::Error;

/// What went wrong, in words a student can act on.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum CoreError {
    /// An image file could not be decoded.
    #[error("image could not be read: {0}")]
    ImageDecode(String),
    /// A dataset asset is inconsistent (sizes, labels).
    #[error("dataset is malformed: {}", .0.en)]
    BadDataset(Text),
    /// A setting is out of its allowed range.
    #[error("setting `{name}` is invalid: {}", reason.en)]
    BadSetting {
        /// Which setting.
        name: &'static str,
        /// Why, in both languages.
        reason: Text,
    },
    /// A layer of the network cannot work (sizes, counts), found before training.
    #[error("layer {index}: {en}")]
    Layer {
        /// 1-based position in the layer list.
        index: usize,
        /// Why, in Japanese.
        ja: String,
        /// Why, in English.
        en: String,
    },
    /// A model file cannot be used (not ours, another version or architecture, damaged).
    #[error("model file refused: {en}")]
    BadModelFile {
        /// Why, in Japanese.
        ja: String,
        /// Why, in English.
        en: String,
    },
    /// Too few images to split or train.
    #[error("not enough data: {}", .0.en)]
    NotEnoughData(Text),
    /// The compute device failed (lost WebGPU device, failed read-back, ...).
    #[error("the compute device failed: {0}")]
    Device(String),
}

impl CoreError {
    /// A setting outside its range, told as what to use: `range` is `"lo..=hi"` (「1〜1000 に
    /// してください」, "use 1 to 1000"), `"lo.."` (「1 以上に…」, "use 1 or more"), `"{a, b}"`
    /// (「a, b のどれかに…」, "use one of a, b") or an interval as the slides write it,
    /// `"(0, 10]"`.
    pub fn out_of_range(name: &'static str, value: impl std::fmt::Display, range: impl std::fmt::Display) -> CoreError {
        let range = range.to_string();
        let (ja, en) = if let Some((lo, hi)) = range.split_once("..=") {
            (format!("{lo}〜{hi} にしてください"), format!("use {lo} to {hi}"))
        } else if let Some(lo) = range.strip_suffix("..") {
            (format!("{lo} 以上にしてください"), format!("use {lo} or more"))
        } else if let Some(set) = range.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
            (format!("{set} のどれかにしてください"), format!("use one of {set}"))
        } else {
            (format!("{range} の範囲にしてください"), format!("use a value in {range}"))
        };
        CoreError::BadSetting { name, reason: Text::new(format!("{value} は使えません（{ja}）"), format!("{value} ({en})")) }
    }

    /// A malformed dataset (or data that does not fit it), why in both languages.
    pub fn dataset(ja: impl Into<String>, en: impl Into<String>) -> CoreError {
        CoreError::BadDataset(Text::new(ja, en))
    }

    /// A setting refused for another reason, in both languages.
    pub fn setting(name: &'static str, ja: impl Into<String>, en: impl Into<String>) -> CoreError {
        CoreError::BadSetting { name, reason: Text::new(ja, en) }
    }

    /// The message for the user, in both languages.
    pub fn text(&self) -> Text {
        match self {
            CoreError::ImageDecode(detail) => Text::new(
                format!("画像を読み込めませんでした（壊れているか、画像ではないファイルです）: {detail}"),
                format!("The image could not be read (it is damaged or not an image): {detail}"),
            ),
            CoreError::BadDataset(detail) => Text::new(
                format!("データセットの形式が正しくありません: {}", detail.ja),
                format!("The dataset is malformed: {}", detail.en),
            ),
            CoreError::BadSetting { name, reason } => Text::new(
                format!("設定「{name}」が正しくありません: {}", reason.ja),
                format!("The setting “{name}” is invalid: {}", reason.en),
            ),
            CoreError::Layer { index, ja, en } => Text::new(format!("{index} 番目の層: {ja}"), format!("Layer {index}: {en}")),
            CoreError::BadModelFile { ja, en } => {
                Text::new(format!("モデルファイルを読み込めません: {ja}"), format!("The model file cannot be loaded: {en}"))
            }
            CoreError::NotEnoughData(detail) => {
                Text::new(format!("データが足りません: {}", detail.ja), format!("Not enough data: {}", detail.en))
            }
            CoreError::Device(detail) => {
                let detail = device_detail(detail);
                Text::new(format!("計算デバイスでエラーが起きました: {detail}"), format!("The compute device failed: {detail}"))
            }
        }
    }

    /// The message for the user in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        self.text().get(lang).to_owned()
    }
}

/// A device error's chain of causes on one line: wgpu and cubecl write "… / Caused by: / … /
/// Backtrace: …" over many lines, repeating themselves. Keeps each cause once, in order, joined
/// by "; ", and leaves out the backtrace.
pub fn device_detail(raw: &str) -> String {
    let mut causes: Vec<&str> = Vec::new();
    for line in raw.lines().map(str::trim) {
        if line.starts_with("Backtrace:") {
            break;
        }
        if !line.is_empty() && line != "Caused by:" && !causes.contains(&line) {
            causes.push(line);
        }
    }
    causes.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a WebGPU device destroyed mid-run gave (tests/e2e/app.test.mjs, 2026-12-06).
    #[test]
    fn a_device_error_chain_reads_as_one_line() {
        let raw = "The device is poisoned\nCaused by:\n  The device is poisoned\nCaused by:\n  Destroyed: Device was destroyed.\nBacktrace:\nNo backtrace available";
        assert_eq!(device_detail(raw), "The device is poisoned; Destroyed: Device was destroyed.");
        assert_eq!(device_detail("a read-back failed"), "a read-back failed");
        assert!(CoreError::Device(raw.into()).text().en.ends_with("failed: The device is poisoned; Destroyed: Device was destroyed."));
    }
}
