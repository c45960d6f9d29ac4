//! The settings of one training experiment: plain data, no burn types, so the UI can edit them,
//! the worker can receive them and (later) a URL can carry them.

use crate::data::augment::Pipeline;
use crate::error::CoreError;
use crate::nn::architecture::ModelSpec;
use serde::{Deserialize, Serialize};

/// How the weights are updated (最適化手法).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Optimizer {
    /// Plain stochastic gradient descent: w ← w − lr · g.
    Sgd,
    /// SGD with momentum: a running velocity of the gradients.
    Momentum {
        /// Momentum factor in [0, 1), typically 0.9.
        momentum: f64,
    },
    /// Nesterov's accelerated gradient: momentum that looks ahead.
    Nesterov {
        /// Momentum factor in [0, 1), typically 0.9.
        momentum: f64,
    },
    /// Adam with the usual β₁ = 0.9, β₂ = 0.999.
    Adam,
    /// RMSprop (α = 0.99, no momentum), as PyTorch's defaults.
    RmsProp,
}

impl Optimizer {
    /// A short stable name for menus and URLs.
    pub fn slug(self) -> &'static str {
        match self {
            Optimizer::Sgd => "sgd",
            Optimizer::Momentum { .. } => "momentum",
            Optimizer::Nesterov { .. } => "nesterov",
            Optimizer::Adam => "adam",
            Optimizer::RmsProp => "rmsprop",
        }
    }

    /// The optimizer for a slug (momentum 0.9 where there is one).
    pub fn from_slug(slug: &str) -> Option<Optimizer> {
        Some(match slug {
            "sgd" => Optimizer::Sgd,
            "momentum" => Optimizer::Momentum { momentum: 0.9 },
            "nesterov" => Optimizer::Nesterov { momentum: 0.9 },
            "adam" => Optimizer::Adam,
            "rmsprop" => Optimizer::RmsProp,
            _ => return None,
        })
    }

    /// Every slug, in menu order.
    pub const SLUGS: [&'static str; 5] = ["sgd", "momentum", "nesterov", "adam", "rmsprop"];
}

/// How the model is judged (検証方法).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Validation {
    /// ホールドアウト法: one split by `validation_fraction`.
    #[default]
    Holdout,
    /// K 分割交差検証: K models, each validated on another fold.
    KFold {
        /// Number of folds, 2–20.
        k: usize,
    },
}

/// The pretrained backbones ImageLab offers for transfer learning.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BackboneId {
    /// EfficientNet-Lite0 with ImageNet weights (`imagelab_core::nn::backbone`).
    #[default]
    EfficientNetLite0,
}

impl BackboneId {
    /// Its name on the command line and in model files.
    pub fn slug(self) -> &'static str {
        match self {
            BackboneId::EfficientNetLite0 => "efficientnet-lite0",
        }
    }

    /// Length of its pooled feature vector: what the head takes.
    pub fn features(self) -> usize {
        match self {
            BackboneId::EfficientNetLite0 => 1280,
        }
    }

    /// The backbone for a slug.
    pub fn from_slug(slug: &str) -> Option<BackboneId> {
        (slug == "efficientnet-lite0").then_some(BackboneId::EfficientNetLite0)
    }
}

/// 転移学習: every image goes through a pretrained network first, once, and the experiment's
/// `model` is a new head trained on its pooled features — with the backbone frozen, or with its
/// last blocks fine-tuned too ([`FineTune`]; then what is kept per image is their input).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// Which pretrained network.
    pub backbone: BackboneId,
    /// The square size the images are resized to before the backbone: 224, 160 or 128.
    pub size: usize,
    /// With augmentation on: how many augmented versions of each training image get features
    /// (each epoch draws one of them per image; validation images are never augmented).
    pub draws: usize,
    /// ファインチューニング: also train the backbone's last blocks (absent: all frozen).
    #[serde(default)]
    pub fine_tune: Option<FineTune>,
}

impl Default for Transfer {
    fn default() -> Self {
        Transfer { backbone: BackboneId::EfficientNetLite0, size: 160, draws: 4, fine_tune: None }
    }
}

impl Transfer {
    /// How many of the backbone's last blocks train (0: all frozen).
    pub fn unfrozen(&self) -> usize {
        self.fine_tune.map_or(0, |f| f.blocks)
    }

    /// How many versions of each image go through the frozen backbone: 1, or 1 + `draws` when
    /// `pipeline` changes images.
    pub fn versions(&self, pipeline: &crate::data::augment::Pipeline) -> usize {
        if pipeline.changes_images() { 1 + self.draws } else { 1 }
    }
}

/// Most backbone blocks that may be unfrozen (the head convolution and the last MBConv blocks;
/// their inputs are what is computed once and kept, and stay small).
pub const MAX_UNFROZEN: usize = 5;

/// Fine-tuning: the backbone's last `blocks` blocks (counted from the end: the 1×1 head
/// convolution first, then MBConv 16, 15, …) train too, at the experiment's learning rate
/// divided by `rate_divisor`, so the pretrained weights move slowly. Their batch norms keep the
/// ImageNet statistics (inference mode) while their scales and shifts train, as Keras advises
/// for fine-tuning; everything before them stays frozen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FineTune {
    /// Blocks unfrozen, 1..=[`MAX_UNFROZEN`].
    pub blocks: usize,
    /// Their learning rate is the experiment's divided by this (1..=1000; 10 by default).
    pub rate_divisor: usize,
}

impl Default for FineTune {
    fn default() -> Self {
        FineTune { blocks: 2, rate_divisor: 10 }
    }
}

/// The smallest learning rate the concepts lab's sliders offer (settings may go lower, down to
/// anything above 0).
pub const MIN_LEARNING_RATE: f64 = 1e-5;
/// The largest learning rate accepted anywhere.
pub const MAX_LEARNING_RATE: f64 = 10.0;

/// Everything that decides a training run. Equal settings and data give equal runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// エポック: passes over the training part.
    pub epochs: usize,
    /// ミニバッチ size.
    pub batch_size: usize,
    /// 学習率.
    pub learning_rate: f64,
    /// 最適化手法.
    pub optimizer: Optimizer,
    /// Seed of the split, the initial weights and the shuffles.
    pub seed: u64,
    /// Hold-out or K-fold.
    pub validation: Validation,
    /// Share of each class held out for validation in hold-out (0.3 = the course's 7:3).
    pub validation_fraction: f64,
    /// Validation measurements per epoch (points on the curves).
    pub evals_per_epoch: usize,
    /// 重み減衰 (L2 penalty added to the gradients), 0 for none.
    pub weight_decay: f64,
    /// The network.
    pub model: ModelSpec,
    /// データ拡張 applied to every training batch (never to validation data); empty = none.
    pub augment: Pipeline,
    /// 転移学習: `Some` puts a frozen pretrained backbone before `model` (then the head).
    /// Model files written before it existed have none.
    #[serde(default)]
    pub transfer: Option<Transfer>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 6,
            batch_size: 64,
            learning_rate: 0.003,
            optimizer: Optimizer::Adam,
            seed: 42,
            validation: Validation::Holdout,
            validation_fraction: 0.3,
            evals_per_epoch: 4,
            weight_decay: 0.0,
            model: ModelSpec::default(),
            augment: Pipeline::default(),
            transfer: None,
        }
    }
}

impl TrainConfig {
    /// The splits this experiment trains on: one for hold-out, K for K-fold.
    ///
    /// # Errors
    /// As [`crate::data::split::stratified_holdout`] and [`crate::data::split::stratified_k_fold`].
    pub fn splits(&self, labels: &[usize], num_classes: usize) -> Result<Vec<crate::data::split::Split>, CoreError> {
        match self.validation {
            Validation::Holdout => {
                Ok(vec![crate::data::split::stratified_holdout(labels, num_classes, self.validation_fraction, self.seed)?])
            }
            Validation::KFold { k } => crate::data::split::stratified_k_fold(labels, num_classes, k, self.seed),
        }
    }

    /// Checks every value's range.
    ///
    /// # Errors
    /// [`CoreError::BadSetting`] naming the first value out of range.
    pub fn validate(&self) -> Result<(), CoreError> {
        fn bad(name: &'static str, value: impl std::fmt::Display, range: impl std::fmt::Display) -> Result<(), CoreError> {
            Err(CoreError::out_of_range(name, value, range))
        }
        if !(1..=1000).contains(&self.epochs) {
            return bad("epochs", self.epochs, "1..=1000");
        }
        if !(1..=4096).contains(&self.batch_size) {
            return bad("batch_size", self.batch_size, "1..=4096");
        }
        if !(self.learning_rate > 0.0 && self.learning_rate <= MAX_LEARNING_RATE) {
            return bad("learning_rate", self.learning_rate, format!("(0, {MAX_LEARNING_RATE}]"));
        }
        if let Optimizer::Momentum { momentum } | Optimizer::Nesterov { momentum } = self.optimizer
            && !(0.0..1.0).contains(&momentum)
        {
            return bad("momentum", momentum, "[0, 1)");
        }
        if !(self.weight_decay >= 0.0 && self.weight_decay <= 1.0) {
            return bad("weight_decay", self.weight_decay, "[0, 1]");
        }
        if !(self.validation_fraction > 0.0 && self.validation_fraction < 1.0) {
            return bad("validation_fraction", self.validation_fraction, "(0, 1)");
        }
        if let Validation::KFold { k } = self.validation
            && !(2..=20).contains(&k)
        {
            return bad("k", k, "2..=20");
        }
        if !(1..=100).contains(&self.evals_per_epoch) {
            return bad("evals_per_epoch", self.evals_per_epoch, "1..=100");
        }
        if let Some(t) = self.transfer {
            if ![224, 160, 128].contains(&t.size) {
                return bad("transfer_size", t.size, "{224, 160, 128}");
            }
            if !(1..=16).contains(&t.draws) {
                return bad("transfer_draws", t.draws, "1..=16");
            }
            if let Some(f) = t.fine_tune {
                if !(1..=MAX_UNFROZEN).contains(&f.blocks) {
                    return bad("unfrozen_blocks", f.blocks, format!("1..={MAX_UNFROZEN}"));
                }
                if !(1..=1000).contains(&f.rate_divisor) {
                    return bad("fine_tune_rate_divisor", f.rate_divisor, "1..=1000");
                }
            }
        }
        self.augment.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        TrainConfig::default().validate().unwrap();
    }

    #[test]
    fn out_of_range_values_name_themselves() {
        let c = TrainConfig { learning_rate: 0.0, ..TrainConfig::default() };
        assert!(matches!(c.validate(), Err(CoreError::BadSetting { name: "learning_rate", .. })));
        // In both languages, the Japanese without English words.
        let e = TrainConfig { epochs: 0, ..TrainConfig::default() }.validate().unwrap_err().text();
        assert_eq!(e.ja, "設定「epochs」が正しくありません: 0 は使えません（1〜1000 にしてください）");
        assert_eq!(e.en, "The setting “epochs” is invalid: 0 (use 1 to 1000)");
        let e = CoreError::out_of_range("k", 0, "1..").text();
        assert_eq!(
            (e.ja.as_str(), e.en.as_str()),
            ("設定「k」が正しくありません: 0 は使えません（1 以上にしてください）", "The setting “k” is invalid: 0 (use 1 or more)")
        );
        let e = CoreError::out_of_range("transfer_size", 100, "{224, 160, 128}").text();
        assert!(e.ja.ends_with("（224, 160, 128 のどれかにしてください）") && e.en.ends_with("100 (use one of 224, 160, 128)"), "{e:?}");
        let e = CoreError::out_of_range("learning_rate", 0, "(0, 10]").text();
        assert!(e.ja.ends_with("（(0, 10] の範囲にしてください）") && e.en.ends_with("0 (use a value in (0, 10])"), "{e:?}");
        let c = TrainConfig { weight_decay: -0.1, ..TrainConfig::default() };
        assert!(matches!(c.validate(), Err(CoreError::BadSetting { name: "weight_decay", .. })));
        for slug in Optimizer::SLUGS {
            assert_eq!(Optimizer::from_slug(slug).unwrap().slug(), slug);
        }
        let c = TrainConfig { optimizer: Optimizer::Nesterov { momentum: 1.0 }, ..TrainConfig::default() };
        assert!(matches!(c.validate(), Err(CoreError::BadSetting { name: "momentum", .. })));
    }
}
