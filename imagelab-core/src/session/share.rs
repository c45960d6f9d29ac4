//! Experiment URLs (実験の URL): the whole experiment — lab, data, input size, augmentation,
//! network, optimizer and hyperparameters, split, seed, language — in the URL's `#` part, so a
//! classmate who opens the link sees the same settings.
//!
//! Format: `#/<lab>?e=<version>.<payload>`, the payload being the settings in postcard, deflated,
//! in unpadded base64url. Compact (the default experiment is 133 characters), versioned (a
//! link made today must open forever: [`VERSION`] changes whenever the encoded types change, and
//! old versions keep decoding or are refused in words), and strict: a damaged, truncated, oversized
//! or tampered payload decodes to nothing and [`decode`] says why; every value that does decode is
//! range-checked as if typed in the page. Nothing in a link is ever used as markup.

use crate::nn::architecture::InputShape;

use crate::data::augment::Pipeline;
use crate::data::library::clean_name;
use crate::i18n::{Lang, Text};
use crate::nn::architecture::{MAX_PARAMS, ModelSpec, Output, Shape};
use crate::nn::experiment::TrainConfig;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

/// The payload format written today. 4: the transfer-learning choice may fine-tune the
/// backbone's last blocks; 3 (read as frozen) could not; 2 (read as no transfer) had no
/// transfer-learning choice; 1 (read as softmax) had no output kind after the layers either.
pub const VERSION: u32 = 4;
/// Longest payload accepted, in characters (links stay well under browsers' URL limits).
pub const MAX_PAYLOAD_CHARS: usize = 6000;
/// Largest inflated payload accepted, in bytes (a deflate bomb stops here).
const MAX_INFLATED_BYTES: u64 = 64 * 1024;
/// Most layers a shared network may have.
pub const MAX_LAYERS: usize = 64;
/// The labs a link may open, as in the page's `#/lab`.
pub const LABS: [&str; 7] = ["image", "augment", "data", "concepts", "train", "compare", "share"];

/// The data an experiment trains on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum DataRef {
    /// The built-in handwritten digits (28×28 grayscale).
    Digits,
    /// A dataset of the data lab, by name (it lives in each student's own browser), at an input
    /// size and channel count.
    Local {
        /// The dataset's name.
        name: String,
        /// Input width and height in pixels.
        size: u16,
        /// 1 (grayscale) or 3 (RGB).
        channels: u8,
    },
}

/// Everything a link carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    /// The lab it opens (one of [`LABS`]).
    pub lab: String,
    /// The page's language.
    pub lang: Lang,
    /// The data.
    pub data: DataRef,
    /// The training settings: network, optimizer, hyperparameters, split, seed, augmentation
    /// used in training.
    pub config: TrainConfig,
    /// The augmentation lab's pipeline (what the training lab trains with when augmentation is on).
    pub pipeline: Pipeline,
    /// A model file the sender names, so a classmate knows which file to load (a name only).
    pub model_file: Option<String>,
}

impl Default for Experiment {
    fn default() -> Self {
        Experiment {
            lab: "train".into(),
            lang: Lang::Ja,
            data: DataRef::Digits,
            config: TrainConfig::default(),
            pipeline: Pipeline::digits(),
            model_file: None,
        }
    }
}

fn why(ja: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(ja, en)
}

impl Experiment {
    /// Checks every value as the page would when typed in.
    ///
    /// # Errors
    /// What is wrong, in both languages.
    pub fn validate(&self) -> Result<(), Text> {
        if !LABS.contains(&self.lab.as_str()) {
            return Err(why("リンクの画面名が正しくありません", "the link names no lab of this page"));
        }
        if let DataRef::Local { name, size, channels } = &self.data {
            // The name as the data lab would have stored it: trimmed, no control characters.
            if clean_name(name).map_err(|e| e.text())? != *name {
                return Err(why("リンクのデータセット名が正しくありません", "the link's dataset name is invalid"));
            }
            if !(4..=256).contains(size) || !matches!(channels, 1 | 3) {
                return Err(why("リンクの入力サイズが正しくありません", "the link's input size is out of range"));
            }
        }
        self.config.validate().map_err(|e| e.text())?;
        self.pipeline.validate().map_err(|e| e.text())?;
        if self.config.model.layers.len() > MAX_LAYERS {
            return Err(why(format!("層が多すぎます（{MAX_LAYERS} 層まで）"), format!("too many layers (at most {MAX_LAYERS})")));
        }
        // The network must be buildable for the data it names (the digits' size when unknown).
        let input = match &self.data {
            // With transfer learning the network is a head on the backbone's pooled features.
            _ if self.config.transfer.is_some() => {
                let features = self.config.transfer.map_or(0, |t| t.backbone.features());
                Shape::Image(InputShape { channels: features, height: 1, width: 1 })
            }
            DataRef::Digits => Shape::Image(InputShape { channels: 1, height: 28, width: 28 }),
            DataRef::Local { size, channels, .. } => {
                Shape::Image(InputShape { channels: *channels as usize, height: *size as usize, width: *size as usize })
            }
        };
        // The digits have 10 classes; a dataset of one's own as many as its sigmoid output
        // allows (2), else 10 for the size check.
        let classes = match (&self.data, self.config.model.output) {
            (DataRef::Local { .. }, Output::Sigmoid) => 2,
            _ => 10,
        };
        check_model(&self.config.model, input, classes)?;
        if let Some(name) = &self.model_file
            && (name.is_empty() || name.chars().count() > 120 || name.chars().any(char::is_control))
        {
            return Err(why("リンクのモデルファイル名が正しくありません", "the link's model file name is invalid"));
        }
        Ok(())
    }
}

fn check_model(model: &ModelSpec, input: Shape, classes: usize) -> Result<(), Text> {
    let summary = model.summary(input, classes).map_err(|e| e.text())?;
    if summary.iter().map(|l| l.params).sum::<usize>() > MAX_PARAMS {
        return Err(why("ネットワークが大きすぎます", "the network is too large"));
    }
    Ok(())
}

/// The `e=` value for `experiment`: `1.` followed by the deflated postcard bytes in base64url.
#[allow(clippy::expect_used, reason = "serialising and compressing into memory cannot fail")]
pub fn encode(experiment: &Experiment) -> String {
    let bytes = postcard::to_allocvec(experiment).expect("an experiment always serialises");
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&bytes).expect("writing to memory");
    let packed = z.finish().expect("writing to memory");
    format!("{VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// What is wrong with a link, for programs (tests, logs, the page's `data-reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    /// Longer than [`MAX_PAYLOAD_CHARS`].
    TooLong,
    /// No version, or one that never existed.
    UnknownFormat,
    /// Made by a newer ImageLab.
    Newer,
    /// Not base64, not deflate, cut short, or bytes that do not decode.
    Damaged,
    /// Inflates past the size limit (a deflate bomb).
    TooLarge,
    /// Decodes, but a value is out of range ([`Experiment::validate`]).
    Invalid,
}

impl LinkProblem {
    /// Its name in kebab case: `too-long`, `unknown-format`, `newer`, `damaged`, `too-large`, `invalid`.
    pub fn slug(self) -> &'static str {
        match self {
            LinkProblem::TooLong => "too-long",
            LinkProblem::UnknownFormat => "unknown-format",
            LinkProblem::Newer => "newer",
            LinkProblem::Damaged => "damaged",
            LinkProblem::TooLarge => "too-large",
            LinkProblem::Invalid => "invalid",
        }
    }
}

/// Why a link cannot be used: its kind and the words shown.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkError {
    /// The kind.
    pub problem: LinkProblem,
    /// What the student reads, in both languages.
    pub text: Text,
}

/// Reads an `e=` value back.
///
/// # Errors
/// Why the link cannot be used ([`LinkProblem`]), in both languages: too long, another version,
/// not base64, damaged or truncated, too large, or a value out of range.
pub fn decode(value: &str) -> Result<Experiment, LinkError> {
    let fail = |problem, text| LinkError { problem, text };
    let damaged = || fail(LinkProblem::Damaged, why("リンクが壊れているか、途中で切れています", "the link is damaged or cut short"));
    if value.len() > MAX_PAYLOAD_CHARS {
        return Err(fail(LinkProblem::TooLong, why("リンクが長すぎます", "the link is too long")));
    }
    let (version, payload) = value.split_once('.').ok_or_else(damaged)?;
    let version = match version.parse::<u32>() {
        Ok(v @ (1 | 2 | 3 | VERSION)) => v,
        Ok(v) if v > VERSION => {
            return Err(fail(
                LinkProblem::Newer,
                why(
                    format!("このリンクは新しい版（{v}）の画像分類ラボで作られました。ページを再読み込みしてください"),
                    format!("this link was made by a newer ImageLab (format {v}); reload the page"),
                ),
            ));
        }
        _ => return Err(fail(LinkProblem::UnknownFormat, why("リンクの形式が分かりません", "the link's format is unknown"))),
    };
    let packed = URL_SAFE_NO_PAD.decode(payload.trim()).map_err(|_| damaged())?;
    let mut bytes = Vec::new();
    flate2::read::DeflateDecoder::new(packed.as_slice()).take(MAX_INFLATED_BYTES + 1).read_to_end(&mut bytes).map_err(|_| damaged())?;
    if bytes.len() as u64 > MAX_INFLATED_BYTES {
        return Err(fail(LinkProblem::TooLarge, why("リンクが大きすぎます", "the link is too large")));
    }
    let (experiment, rest): (Experiment, &[u8]) = if version == 1 {
        let (old, rest): (v1::Experiment, &[u8]) = postcard::take_from_bytes(&bytes).map_err(|_| damaged())?;
        (old.into(), rest)
    } else if version == 2 {
        let (old, rest): (v2::Experiment, &[u8]) = postcard::take_from_bytes(&bytes).map_err(|_| damaged())?;
        (old.into(), rest)
    } else if version == 3 {
        let (old, rest): (v3::Experiment, &[u8]) = postcard::take_from_bytes(&bytes).map_err(|_| damaged())?;
        (old.into(), rest)
    } else {
        postcard::take_from_bytes(&bytes).map_err(|_| damaged())?
    };
    if !rest.is_empty() {
        return Err(damaged());
    }
    experiment.validate().map_err(|text| fail(LinkProblem::Invalid, text))?;
    Ok(experiment)
}

/// Format 1: the same types before the network had an output kind (postcard reads fields in
/// order, so these mirror today's types with `ModelSpec` as it was).
mod v1 {
    use crate::data::augment::Pipeline;
    use crate::i18n::Lang;
    use crate::nn::architecture::{LayerSpec, Output};
    use crate::nn::experiment::{Optimizer, Validation};
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct ModelSpec {
        layers: Vec<LayerSpec>,
    }

    #[derive(Deserialize)]
    struct TrainConfig {
        epochs: usize,
        batch_size: usize,
        learning_rate: f64,
        optimizer: Optimizer,
        seed: u64,
        validation: Validation,
        validation_fraction: f64,
        evals_per_epoch: usize,
        weight_decay: f64,
        model: ModelSpec,
        augment: Pipeline,
    }

    #[derive(Deserialize)]
    pub(super) struct Experiment {
        lab: String,
        lang: Lang,
        data: super::DataRef,
        config: TrainConfig,
        pipeline: Pipeline,
        model_file: Option<String>,
    }

    impl From<Experiment> for super::Experiment {
        fn from(e: Experiment) -> Self {
            let c = e.config;
            super::Experiment {
                lab: e.lab,
                lang: e.lang,
                data: e.data,
                config: crate::nn::experiment::TrainConfig {
                    epochs: c.epochs,
                    batch_size: c.batch_size,
                    learning_rate: c.learning_rate,
                    optimizer: c.optimizer,
                    seed: c.seed,
                    validation: c.validation,
                    validation_fraction: c.validation_fraction,
                    evals_per_epoch: c.evals_per_epoch,
                    weight_decay: c.weight_decay,
                    model: crate::nn::architecture::ModelSpec { layers: c.model.layers, output: Output::Softmax },
                    augment: c.augment,
                    transfer: None,
                },
                pipeline: e.pipeline,
                model_file: e.model_file,
            }
        }
    }
}

/// Format 2: today's types before the training settings had a transfer-learning choice.
mod v2 {
    use crate::data::augment::Pipeline;
    use crate::i18n::Lang;
    use crate::nn::architecture::ModelSpec;
    use crate::nn::experiment::{Optimizer, Validation};
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct TrainConfig {
        epochs: usize,
        batch_size: usize,
        learning_rate: f64,
        optimizer: Optimizer,
        seed: u64,
        validation: Validation,
        validation_fraction: f64,
        evals_per_epoch: usize,
        weight_decay: f64,
        model: ModelSpec,
        augment: Pipeline,
    }

    #[derive(Deserialize)]
    pub(super) struct Experiment {
        lab: String,
        lang: Lang,
        data: super::DataRef,
        config: TrainConfig,
        pipeline: Pipeline,
        model_file: Option<String>,
    }

    impl From<Experiment> for super::Experiment {
        fn from(e: Experiment) -> Self {
            let c = e.config;
            super::Experiment {
                lab: e.lab,
                lang: e.lang,
                data: e.data,
                config: crate::nn::experiment::TrainConfig {
                    epochs: c.epochs,
                    batch_size: c.batch_size,
                    learning_rate: c.learning_rate,
                    optimizer: c.optimizer,
                    seed: c.seed,
                    validation: c.validation,
                    validation_fraction: c.validation_fraction,
                    evals_per_epoch: c.evals_per_epoch,
                    weight_decay: c.weight_decay,
                    model: c.model,
                    augment: c.augment,
                    transfer: None,
                },
                pipeline: e.pipeline,
                model_file: e.model_file,
            }
        }
    }
}

/// Format 3: today's types before transfer learning could fine-tune (its choice had no
/// `fine_tune` at the end).
mod v3 {
    use crate::data::augment::Pipeline;
    use crate::i18n::Lang;
    use crate::nn::architecture::ModelSpec;
    use crate::nn::experiment::{BackboneId, Optimizer, Validation};
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Transfer {
        backbone: BackboneId,
        size: usize,
        draws: usize,
    }

    #[derive(Deserialize)]
    struct TrainConfig {
        epochs: usize,
        batch_size: usize,
        learning_rate: f64,
        optimizer: Optimizer,
        seed: u64,
        validation: Validation,
        validation_fraction: f64,
        evals_per_epoch: usize,
        weight_decay: f64,
        model: ModelSpec,
        augment: Pipeline,
        transfer: Option<Transfer>,
    }

    #[derive(Deserialize)]
    pub(super) struct Experiment {
        lab: String,
        lang: Lang,
        data: super::DataRef,
        config: TrainConfig,
        pipeline: Pipeline,
        model_file: Option<String>,
    }

    impl From<Experiment> for super::Experiment {
        fn from(e: Experiment) -> Self {
            let c = e.config;
            super::Experiment {
                lab: e.lab,
                lang: e.lang,
                data: e.data,
                config: crate::nn::experiment::TrainConfig {
                    epochs: c.epochs,
                    batch_size: c.batch_size,
                    learning_rate: c.learning_rate,
                    optimizer: c.optimizer,
                    seed: c.seed,
                    validation: c.validation,
                    validation_fraction: c.validation_fraction,
                    evals_per_epoch: c.evals_per_epoch,
                    weight_decay: c.weight_decay,
                    model: c.model,
                    augment: c.augment,
                    transfer: c.transfer.map(|t| crate::nn::experiment::Transfer {
                        backbone: t.backbone,
                        size: t.size,
                        draws: t.draws,
                        fine_tune: None,
                    }),
                },
                pipeline: e.pipeline,
                model_file: e.model_file,
            }
        }
    }
}

/// Splits a page's `#` part into the lab slug and the experiment value, if any:
/// `#/train?e=1.xyz` → (`train`, `Some("1.xyz")`).
pub fn parse_hash(hash: &str) -> (&str, Option<&str>) {
    let hash = hash.trim_start_matches('#').trim_start_matches('/');
    let (lab, query) = hash.split_once('?').unwrap_or((hash, ""));
    let value = query.split('&').find_map(|kv| kv.strip_prefix("e="));
    (lab, value)
}

/// The `#` part for `experiment`.
pub fn hash(experiment: &Experiment) -> String {
    format!("#/{}?e={}", experiment.lab, encode(experiment))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::augment::{Aug, Fill, KINDS, Step};
    use crate::nn::architecture::{Activation, LayerSpec, Padding};
    use crate::nn::experiment::{Optimizer, Validation};
    use crate::rng::SplitMix64;

    /// A random valid experiment: every setting drawn over its range.
    fn random(rng: &mut SplitMix64) -> Experiment {
        let pick = |rng: &mut SplitMix64, n: usize| rng.below(n);
        let unit = |rng: &mut SplitMix64| rng.next_f64();
        let optimizer = match pick(rng, 5) {
            0 => Optimizer::Sgd,
            1 => Optimizer::Momentum { momentum: (unit(rng) * 0.99 * 100.0).round() / 100.0 },
            2 => Optimizer::Nesterov { momentum: unit(rng) * 0.99 },
            3 => Optimizer::Adam,
            _ => Optimizer::RmsProp,
        };
        let act = |rng: &mut SplitMix64| [Activation::Identity, Activation::Sigmoid, Activation::Tanh, Activation::Relu][rng.below(4)];
        let mut layers = Vec::new();
        let convs = pick(rng, 3);
        for _ in 0..convs {
            layers.push(LayerSpec::Conv {
                filters: 1 + pick(rng, 16),
                kernel: [1, 3, 5][pick(rng, 3)],
                stride: 1,
                padding: if pick(rng, 2) == 0 { Padding::Same } else { Padding::Valid },
                activation: act(rng),
            });
            if pick(rng, 2) == 0 {
                layers.push(if pick(rng, 2) == 0 { LayerSpec::MaxPool { size: 2 } } else { LayerSpec::AvgPool { size: 2 } });
            }
            if pick(rng, 3) == 0 {
                layers.push(LayerSpec::BatchNorm);
            }
        }
        layers.push(LayerSpec::Flatten);
        for _ in 0..pick(rng, 3) {
            layers.push(LayerSpec::Dense { units: 1 + pick(rng, 64), activation: act(rng) });
            if pick(rng, 2) == 0 {
                layers.push(LayerSpec::Dropout { p: (unit(rng) * 0.9 * 100.0).round() / 100.0 });
            }
        }
        let mut steps = Vec::new();
        for _ in 0..pick(rng, 5) {
            // Each kind with its default parameters, at a random probability.
            let aug: Aug = KINDS[pick(rng, KINDS.len())].clone();
            steps.push(Step { aug, p: (unit(rng) as f32 * 100.0).round() / 100.0 });
        }
        let pipeline = Pipeline { steps, mixup: [0.0, 0.2, 1.0][pick(rng, 3)] };
        let config = TrainConfig {
            epochs: 1 + pick(rng, 1000),
            batch_size: 1 + pick(rng, 4096),
            learning_rate: 10f64.powf(-5.0 + unit(rng) * 5.0),
            optimizer,
            seed: rng.next_u64(),
            validation: if pick(rng, 2) == 0 { Validation::Holdout } else { Validation::KFold { k: 2 + pick(rng, 19) } },
            validation_fraction: 0.05 + unit(rng) * 0.9,
            evals_per_epoch: 1 + pick(rng, 100),
            weight_decay: unit(rng) * 0.1,
            model: ModelSpec { layers, output: if pick(rng, 4) == 0 { Output::Sigmoid } else { Output::Softmax } },
            augment: if pick(rng, 2) == 0 { Pipeline::default() } else { pipeline.clone() },
            transfer: (pick(rng, 4) == 0).then(|| crate::nn::experiment::Transfer {
                backbone: crate::nn::experiment::BackboneId::EfficientNetLite0,
                size: [224, 160, 128][pick(rng, 3)],
                draws: 1 + pick(rng, 16),
                fine_tune: (pick(rng, 2) == 0).then(|| crate::nn::experiment::FineTune {
                    blocks: 1 + pick(rng, crate::nn::experiment::MAX_UNFROZEN),
                    rate_divisor: 1 + pick(rng, 1000),
                }),
            }),
        };
        Experiment {
            lab: LABS[pick(rng, LABS.len())].into(),
            lang: if pick(rng, 2) == 0 { Lang::Ja } else { Lang::En },
            data: if pick(rng, 2) == 0 {
                DataRef::Digits
            } else {
                DataRef::Local {
                    name: ["硬貨", "coins 2", "ネコと犬"][pick(rng, 3)].into(),
                    size: 16 + pick(rng, 100) as u16,
                    channels: [1, 3][pick(rng, 2)],
                }
            },
            config,
            pipeline,
            model_file: if pick(rng, 2) == 0 { None } else { Some("imagelab-model (2).bpk".into()) },
        }
    }

    #[test]
    fn every_setting_round_trips() {
        let mut rng = SplitMix64::new(2026);
        let mut checked = 0;
        for _ in 0..2000 {
            let e = random(&mut rng);
            if e.validate().is_err() {
                continue; // e.g. a random stack that shrinks the image below 1 pixel
            }
            let value = encode(&e);
            assert!(value.len() < MAX_PAYLOAD_CHARS);
            assert!(value.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)), "{value}");
            assert_eq!(decode(&value).unwrap(), e);
            let h = hash(&e);
            assert_eq!(parse_hash(&h), (e.lab.as_str(), Some(value.as_str())));
            checked += 1;
        }
        assert!(checked > 500, "{checked} valid random experiments");
    }

    #[test]
    fn the_default_link_is_short_and_old_links_keep_opening() {
        let value = encode(&Experiment::default());
        assert!(value.len() < 160, "{} characters: {value}", value.len());
        assert!(value.starts_with("4."));
        // Written by earlier versions; must decode forever (bump VERSION instead of breaking it).
        const V1: &str = include_str!("../../tests/data/share_v1.txt");
        assert_eq!(decode(V1.trim()).unwrap(), Experiment::default());
        const V2: &str = include_str!("../../tests/data/share_v2.txt");
        let mut binary = Experiment { data: DataRef::Local { name: "硬貨".into(), size: 32, channels: 3 }, ..Experiment::default() };
        binary.config.model = ModelSpec::course_mlp();
        binary.config.model.output = Output::Sigmoid;
        assert_eq!(decode(V2.trim()).unwrap(), binary, "today's link for {}", encode(&binary));
        // Transfer learning: the backbone and its input size travel with the link, the network
        // is the head (checked on 1280 features).
        let mut transfer = Experiment { data: DataRef::Local { name: "硬貨".into(), size: 32, channels: 3 }, ..Experiment::default() };
        transfer.config.transfer = Some(crate::nn::experiment::Transfer { size: 128, ..Default::default() });
        transfer.config.model = ModelSpec::transfer_head(Some(64));
        const V3: &str = include_str!("../../tests/data/share_v3.txt");
        assert_eq!(decode(V3.trim()).unwrap(), transfer, "a format-3 link for {}", encode(&transfer));
        // Fine-tuning travels too: the unfrozen blocks and their rate.
        transfer.config.transfer = Some(crate::nn::experiment::Transfer {
            size: 128,
            fine_tune: Some(crate::nn::experiment::FineTune { blocks: 3, rate_divisor: 20 }),
            ..Default::default()
        });
        const V4: &str = include_str!("../../tests/data/share_v4.txt");
        assert_eq!(decode(V4.trim()).unwrap(), transfer, "today's link for {}", encode(&transfer));
        // A sigmoid output on the 10-class digits is refused in words.
        let wrong = Experiment { data: DataRef::Digits, ..binary };
        assert!(decode(&encode(&wrong)).unwrap_err().text.en.contains("two classes only"));
    }

    #[test]
    fn damaged_links_say_why_and_never_panic() {
        let good = encode(&Experiment::default());
        let cut = &good[..good.len() - 5];
        for bad in ["", "1", "1.", "x.abc", "0.abc", "1.!!!!", "1.<script>alert(1)</script>", cut, &"1.".repeat(4000)] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
        assert_eq!(decode("7.abc").unwrap_err().problem, LinkProblem::Newer);
        assert!(decode("7.abc").unwrap_err().text.en.contains("newer"));
        // Every single-character change of a valid link is refused or decodes to valid settings.
        let alphabet: Vec<char> = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".chars().collect();
        for i in 2..good.len() {
            for &c in alphabet.iter().step_by(7) {
                let mut s: Vec<char> = good.chars().collect();
                s[i] = c;
                let s: String = s.into_iter().collect();
                if let Ok(e) = decode(&s) {
                    assert!(e.validate().is_ok());
                }
            }
        }
    }

    #[test]
    fn values_out_of_range_are_refused_after_decoding() {
        let mut e = Experiment::default();
        e.config.learning_rate = 1e9;
        assert!(decode(&encode(&e)).unwrap_err().text.en.contains("learning_rate"));
        let e = Experiment { lab: "<img src=x onerror=alert(1)>".into(), ..Experiment::default() };
        assert!(decode(&encode(&e)).is_err());
        let e = Experiment { data: DataRef::Local { name: "a\u{0}b".into(), size: 32, channels: 3 }, ..Experiment::default() };
        assert!(decode(&encode(&e)).is_err());
        let e = Experiment { data: DataRef::Local { name: "coins".into(), size: 2, channels: 3 }, ..Experiment::default() };
        assert!(decode(&encode(&e)).is_err());
        let mut e = Experiment::default();
        e.config.model.layers = vec![LayerSpec::Dense { units: 100_000, activation: Activation::Relu }; 3];
        e.config.model.layers.insert(0, LayerSpec::Flatten);
        assert!(decode(&encode(&e)).is_err(), "too many parameters");
        // 512 × 256 × 256 values flattened into 4096 units: 2³⁷ parameters, refused (not wrapped).
        let mut e = Experiment { data: DataRef::Local { name: "big".into(), size: 256, channels: 3 }, ..Experiment::default() };
        e.config.model.layers = vec![
            LayerSpec::Conv { filters: 512, kernel: 1, stride: 1, padding: Padding::Same, activation: Activation::Relu },
            LayerSpec::Flatten,
            LayerSpec::Dense { units: 4096, activation: Activation::Relu },
        ];
        assert!(decode(&encode(&e)).is_err(), "2^37 parameters");
        let mut e = Experiment::default();
        e.pipeline.steps.push(Step { aug: Aug::Erase { min_area: 0.5, max_area: 0.1, max_aspect: 3.0, fill: Fill::Zero }, p: 0.5 });
        assert!(decode(&encode(&e)).is_err());
    }

    #[test]
    fn a_deflate_bomb_stops_at_the_cap() {
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![0u8; 1 << 20]).unwrap();
        let value = format!("1.{}", URL_SAFE_NO_PAD.encode(z.finish().unwrap()));
        assert!(value.len() < MAX_PAYLOAD_CHARS);
        let e = decode(&value).unwrap_err();
        assert_eq!(e.problem, LinkProblem::TooLarge);
        assert!(e.text.en.contains("too large"));
    }

    #[test]
    fn hashes_without_settings_name_their_lab() {
        assert_eq!(parse_hash("#/data"), ("data", None));
        assert_eq!(parse_hash(""), ("", None));
        assert_eq!(parse_hash("#/train?x=1&e=1.abc"), ("train", Some("1.abc")));
    }
}
