//! Settings that fit the data, and what a finished run says about them.
//!
//! A student's own dataset is small (3 classes × 20–30 photos). The defaults that suit the
//! built-in digits (mini-batch 64, 6 epochs) give such a dataset a handful of updates and a model
//! that predicts one class for everything. [`propose`] picks the mini-batch and the epochs from
//! the number of training images so that a run makes enough updates, bounded by a time estimate
//! for this device; [`diagnose`] reads a finished run and says, in words, when it learned nothing
//! useful and what to try.

use crate::i18n::Text;
use crate::nn::experiment::{TrainConfig, Validation};
use crate::nn::metrics::Prediction;

/// The updates (steps) a proposed run aims for: enough for a small CNN to learn a few classes.
pub const TARGET_STEPS: usize = 120;
/// Proposed epochs are kept within this range.
pub const EPOCHS: (usize, usize) = (6, 60);
/// A proposed run should finish within about this many seconds on this device.
pub const BUDGET_S: f64 = 120.0;
/// Mini-batch sizes the proposal chooses from, largest first.
const BATCHES: [usize; 4] = [64, 32, 16, 8];
/// Fewest steps per epoch a proposed mini-batch leaves (so that one epoch is several updates).
const MIN_STEPS_PER_EPOCH: usize = 3;
/// A first guess of the cost of one training image, in milliseconds, for a 28×28 gray image on
/// the CPU path (the reference CNN at batch 64 took 25 ms a step in `make bench`, 2026-11-28), used
/// until a run on this device measured it.
pub const PRIOR_MS_PER_IMAGE_784: f64 = 0.4;

/// Transfer learning's first guess of the frozen backbone's cost per image (version) at 128 px, in
/// milliseconds, scaled by the pixels for 160 and 224: the lesson photos' live predictions
/// through the backbone ran at 13.5–17 a second (dev build, CPU;
/// `scripts/bench/transfer-e2e-2026-12-06.log`). Used until a run on this device measured it.
pub const PRIOR_FEATURE_MS_128: f64 = 60.0;
/// The first guess of a frozen run's cost per training image: a dense head on 1,280 features.
pub const PRIOR_HEAD_MS: f64 = 0.05;
/// The first guess of fine-tuning's cost per training image at 160 px with 1…5 unfrozen blocks:
/// twice what the native bench took (`scripts/bench/fine-tune-2026-12-06.log`: 42, 124 and 335 s
/// more than frozen with 1, 2 and 5 blocks, for 5,800 training-image passes — 7.2, 21.5 and
/// 57.7 ms; 3 and 4 blocks in between), the page being slower.
pub const PRIOR_TAIL_MS_160: [f64; 5] = [14.4, 43.0, 66.0, 90.0, 115.4];

/// What the last finished runs measured on this device, by what they trained.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Measured {
    /// A network on pixels: (ms per training image, pixels per image).
    pub pixels: Option<(f64, usize)>,
    /// Transfer learning's head (and unfrozen blocks): (ms per training image, input size,
    /// unfrozen blocks).
    pub head: Option<(f64, usize, usize)>,
    /// The frozen backbone: (ms per image version, input size).
    pub features: Option<(f64, usize)>,
}

/// What a run will cost on this device.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost {
    /// Milliseconds per training image and epoch.
    pub ms_per_image: f64,
    /// Milliseconds before the first step: transfer learning's features of every image version.
    pub setup_ms: f64,
}

/// The cost of `config`'s run on `images` images of `pixels` values each: from what this device
/// measured for the same kind of run, else the priors. Transfer learning pays the frozen
/// backbone once per image version (its features) and then only the head, or the head and the
/// unfrozen blocks, per image and epoch.
pub fn cost(config: &TrainConfig, images: usize, pixels: usize, measured: &Measured) -> Cost {
    let Some(t) = config.transfer else { return Cost { ms_per_image: ms_per_image(pixels, measured.pixels), setup_ms: 0.0 } };
    let area = |size: usize, at: usize| (size * size) as f64 / (at * at).max(1) as f64;
    let unfrozen = t.unfrozen();
    // A frozen run's head takes the 1,280 pooled features whatever the size; unfrozen blocks
    // work on maps that grow with the image's area.
    let ms_per_image = match measured.head {
        Some((ms, size, blocks)) if ms.is_finite() && ms > 0.0 && blocks == unfrozen => {
            if unfrozen == 0 {
                ms
            } else {
                ms * area(t.size, size)
            }
        }
        _ if unfrozen == 0 => PRIOR_HEAD_MS,
        _ => PRIOR_TAIL_MS_160[unfrozen.min(PRIOR_TAIL_MS_160.len()) - 1] * area(t.size, 160),
    };
    let feature_ms = match measured.features {
        Some((ms, size)) if ms.is_finite() && ms > 0.0 => ms * area(t.size, size),
        _ => PRIOR_FEATURE_MS_128 * area(t.size, 128),
    };
    Cost { ms_per_image, setup_ms: feature_ms * (images * t.versions(&config.augment)) as f64 }
}

/// The mini-batch and epochs proposed for a dataset.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    /// Images in the dataset.
    pub images: usize,
    /// Images one model trains on (the building part; one fold's for K-fold).
    pub train_images: usize,
    /// Proposed mini-batch size.
    pub batch_size: usize,
    /// Proposed epochs.
    pub epochs: usize,
    /// Updates of one model: epochs × steps per epoch.
    pub steps: usize,
    /// Estimated seconds for the whole run (all folds), set-up included.
    pub seconds: f64,
    /// Of which set-up (transfer learning's features), seconds.
    pub setup_seconds: f64,
    /// Whether the epochs were cut to keep within [`BUDGET_S`].
    pub cut_for_time: bool,
}

/// Images one model trains on: the building part of a hold-out split or of one fold (rounded as
/// the stratified split rounds, closely enough for a proposal).
pub fn train_images(images: usize, validation: Validation, fraction: f64) -> usize {
    let held = match validation {
        Validation::Holdout => (images as f64 * fraction).round() as usize,
        Validation::KFold { k } => images / k.max(1),
    };
    images.saturating_sub(held).max(1)
}

/// Estimated milliseconds per training image for an input of `pixels` values (width × height ×
/// channels), scaled linearly from a measured `(ms_per_image, pixels)` pair or the prior.
pub fn ms_per_image(pixels: usize, measured: Option<(f64, usize)>) -> f64 {
    let (ms, at) = measured.filter(|(ms, at)| ms.is_finite() && *ms > 0.0 && *at > 0).unwrap_or((PRIOR_MS_PER_IMAGE_784, 784));
    ms * pixels.max(1) as f64 / at as f64
}

/// Proposes a mini-batch and epochs for `images` images judged by `validation`.
///
/// The mini-batch is the largest of 64, 32, 16, 8 that leaves at least three steps an epoch; the
/// epochs give about [`TARGET_STEPS`] updates, within [`EPOCHS`], cut (never below the minimum)
/// when the estimate at `cost` (set-up included) passes [`BUDGET_S`].
pub fn propose(images: usize, validation: Validation, fraction: f64, cost: Cost) -> Proposal {
    let Cost { ms_per_image, setup_ms } = cost;
    let train = train_images(images, validation, fraction);
    let batch_size =
        BATCHES.into_iter().find(|&b| train.div_ceil(b) >= MIN_STEPS_PER_EPOCH).unwrap_or(BATCHES[BATCHES.len() - 1]).min(train.max(1));
    let per_epoch = train.div_ceil(batch_size);
    let mut epochs = TARGET_STEPS.div_ceil(per_epoch).clamp(EPOCHS.0, EPOCHS.1);
    let models = match validation {
        Validation::Holdout => 1,
        Validation::KFold { k } => k,
    };
    let seconds_for = |epochs: usize| ((epochs * train * models) as f64 * ms_per_image + setup_ms) / 1000.0;
    let mut cut_for_time = false;
    if seconds_for(epochs) > BUDGET_S {
        let fit = ((BUDGET_S * 1000.0 - setup_ms).max(0.0) / ((train * models) as f64 * ms_per_image)).floor() as usize;
        let fit = fit.max(EPOCHS.0);
        if fit < epochs {
            epochs = fit;
            cut_for_time = true;
        }
    }
    Proposal {
        images,
        train_images: train,
        batch_size,
        epochs,
        steps: epochs * per_epoch,
        seconds: seconds_for(epochs),
        setup_seconds: setup_ms / 1000.0,
        cut_for_time,
    }
}

impl Proposal {
    /// The sentence the training lab shows: "72 images: mini-batch 16, 30 epochs, about 4 s".
    pub fn sentence(&self) -> Text {
        let time = Text::new(
            if self.seconds < 1.0 { "1 秒未満".to_owned() } else { format!("約 {:.0} 秒", self.seconds.ceil()) },
            if self.seconds < 1.0 { "under 1 s".to_owned() } else { format!("about {:.0} s", self.seconds.ceil()) },
        );
        let mut ja = format!(
            "{} 枚の画像: ミニバッチ {}、{} エポック（更新 {} 回）、{}。",
            self.images, self.batch_size, self.epochs, self.steps, time.ja
        );
        let mut en = format!(
            "{} images: mini-batch {}, {} epochs ({} updates), {}.",
            self.images, self.batch_size, self.epochs, self.steps, time.en
        );
        if self.setup_seconds >= 1.0 {
            let s = self.setup_seconds.ceil();
            ja.push_str(&format!("うち約 {s:.0} 秒は、学習済みネットワークで全画像の特徴を求める時間です。"));
            en.push_str(&format!(" About {s:.0} s of that is spent computing every image's features with the pretrained network."));
        }
        if self.cut_for_time {
            ja.push_str("時間がかかりすぎないようエポックを減らしました。");
            en.push_str(" Epochs reduced to keep the run short.");
        }
        Text::new(ja, en)
    }

    /// `config` with the proposed mini-batch and epochs (everything else as it was).
    pub fn apply(&self, config: &TrainConfig) -> TrainConfig {
        TrainConfig { batch_size: self.batch_size, epochs: self.epochs, ..config.clone() }
    }
}

/// What went wrong with a finished run, if anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Validation accuracy is far above chance and predictions spread over the classes.
    Fine,
    /// Nearly every validation image was predicted as one class.
    OneClass {
        /// The class predicted.
        class: usize,
    },
    /// Validation accuracy is near what guessing gives.
    NearChance,
}

/// Reads a finished run: its validation predictions, the classes and the steps it made.
///
/// Near chance means a validation accuracy below 1.5 ÷ classes (50 % for 3 classes, 15 % for
/// 10); one class means at least 90 % of the predictions name one class while the validation
/// images hold at least two.
pub fn verdict(predictions: &[Prediction], classes: usize) -> Verdict {
    if predictions.is_empty() || classes < 2 {
        return Verdict::Fine;
    }
    let mut predicted = vec![0usize; classes];
    let mut truth = vec![0usize; classes];
    let mut correct = 0;
    for p in predictions {
        if let Some(c) = predicted.get_mut(p.predicted) {
            *c += 1;
        }
        if let Some(c) = truth.get_mut(p.truth) {
            *c += 1;
        }
        correct += usize::from(p.predicted == p.truth);
    }
    let n = predictions.len() as f64;
    let true_classes = truth.iter().filter(|&&c| c > 0).count();
    if let Some((class, &most)) = predicted.iter().enumerate().max_by_key(|(_, c)| **c)
        && true_classes >= 2
        && most as f64 >= 0.9 * n
    {
        return Verdict::OneClass { class };
    }
    if (correct as f64 / n) < 1.5 / classes as f64 {
        return Verdict::NearChance;
    }
    Verdict::Fine
}

/// The advice for a verdict, in both languages; `None` when the run is fine. `steps` is the
/// number of updates the run made, `augmented` whether it trained with augmentation and
/// `class_name` names the class of [`Verdict::OneClass`].
pub fn advice(verdict: &Verdict, config: &TrainConfig, steps: usize, train_images: usize, class_name: &str) -> Option<Text> {
    let (mut ja, mut en) = match verdict {
        Verdict::Fine => return None,
        Verdict::OneClass { .. } => (
            format!("検証データのほとんどを「{class_name}」と予測しています。モデルはまだ見分け方を学べていません。"),
            format!(
                "Almost every validation image was predicted as “{class_name}”: the model has not learned to tell the classes apart yet."
            ),
        ),
        Verdict::NearChance => (
            "検証の精度が、でたらめに答えた場合とほとんど変わりません。".to_owned(),
            "Validation accuracy is close to what guessing would give.".to_owned(),
        ),
    };
    let mut tips_ja = Vec::new();
    let mut tips_en = Vec::new();
    if steps < TARGET_STEPS {
        tips_ja.push(format!("重みの更新が {steps} 回だけでした。エポックを増やす"));
        tips_en.push(format!("the weights were updated only {steps} times: use more epochs"));
    }
    if train_images.div_ceil(config.batch_size.max(1)) < MIN_STEPS_PER_EPOCH || (config.batch_size > 16 && train_images < 200) {
        tips_ja.push("ミニバッチを小さくする（例: 16）".to_owned());
        tips_en.push("use a smaller mini-batch (say 16)".to_owned());
    }
    if config.augment.is_identity() {
        tips_ja.push("データ拡張を使う".to_owned());
        tips_en.push("train with data augmentation".to_owned());
    }
    tips_ja.push("クラスごとの写真を増やす".to_owned());
    tips_en.push("take more photos of each class".to_owned());
    ja.push_str("試してみよう: ");
    ja.push_str(&tips_ja.join("、"));
    ja.push('。');
    en.push_str(" Try: ");
    en.push_str(&tips_en.join("; "));
    en.push('.');
    Some(Text::new(ja, en))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cost of `ms` per image and no set-up.
    fn at(ms: f64) -> Cost {
        Cost { ms_per_image: ms, setup_ms: 0.0 }
    }

    #[test]
    fn transfer_learning_pays_the_features_once_then_only_the_head() {
        use crate::data::augment::Pipeline;
        use crate::nn::experiment::{FineTune, Transfer};
        let frozen = TrainConfig { transfer: Some(Transfer { size: 160, ..Transfer::default() }), ..TrainConfig::default() };
        // No augmentation: one version of each of the 72 photos, 60 ms × (160/128)² each.
        let c = cost(&frozen, 72, 160 * 160 * 3, &Measured::default());
        assert!((c.setup_ms - 72.0 * 60.0 * 1.5625).abs() < 1e-9 && c.ms_per_image == PRIOR_HEAD_MS, "{c:?}");
        let p = propose(72, Validation::Holdout, 0.3, c);
        assert_eq!((p.batch_size, p.epochs, p.cut_for_time), (16, 30, false));
        assert!((p.setup_seconds - 6.75).abs() < 1e-9 && p.seconds < 7.0, "{p:?}");
        assert_eq!(
            p.sentence().ja,
            "72 枚の画像: ミニバッチ 16、30 エポック（更新 120 回）、約 7 秒。うち約 7 秒は、学習済みネットワークで全画像の特徴を求める時間です。"
        );
        // Augmentation with 4 drawn versions: five versions of each image through the backbone.
        let augmented = TrainConfig { augment: Pipeline::digits(), ..frozen.clone() };
        assert!((cost(&augmented, 72, 0, &Measured::default()).setup_ms - 5.0 * c.setup_ms).abs() < 1e-9);
        // Measured on this device (at 128 px): scaled to 160.
        let m = Measured { features: Some((30.0, 128)), head: Some((0.2, 160, 0)), pixels: Some((99.0, 784)) };
        let c = cost(&frozen, 72, 0, &m);
        assert!((c.setup_ms - 72.0 * 30.0 * 1.5625).abs() < 1e-9 && (c.ms_per_image - 0.2).abs() < 1e-12, "{c:?}");
        // Fine-tuning two blocks: the head's measurement with 0 blocks does not apply.
        let tuned = TrainConfig {
            transfer: Some(Transfer { size: 160, fine_tune: Some(FineTune { blocks: 2, rate_divisor: 10 }), ..Transfer::default() }),
            ..TrainConfig::default()
        };
        assert!((cost(&tuned, 72, 0, &m).ms_per_image - PRIOR_TAIL_MS_160[1]).abs() < 1e-12);
        // A frozen head's cost does not grow with the image: measured at 128, the same at 224.
        let at_224 = TrainConfig { transfer: Some(Transfer { size: 224, ..Transfer::default() }), ..TrainConfig::default() };
        let m128 = Measured { head: Some((0.2, 128, 0)), ..Measured::default() };
        assert!((cost(&at_224, 72, 0, &m128).ms_per_image - 0.2).abs() < 1e-12);
        // A network on pixels ignores the transfer measurements.
        assert_eq!(cost(&TrainConfig::default(), 72, 784, &m), Cost { ms_per_image: 99.0, setup_ms: 0.0 });
        // Features that take most of the budget leave the epochs for the rest, never below the minimum.
        let p = propose(72, Validation::Holdout, 0.3, Cost { ms_per_image: 40.0, setup_ms: 90_000.0 });
        assert!(p.cut_for_time && p.epochs == 15 && p.seconds <= BUDGET_S, "{p:?}");
        let p = propose(72, Validation::Holdout, 0.3, Cost { ms_per_image: 40.0, setup_ms: 200_000.0 });
        assert_eq!(p.epochs, EPOCHS.0);
    }

    fn p(truth: usize, predicted: usize) -> Prediction {
        Prediction { index: 0, truth, predicted, confidence: 0.5, fold: 0 }
    }

    #[test]
    fn a_small_photo_set_gets_small_batches_and_many_epochs() {
        // 3 classes × 24 photos, hold-out 30 %: 50 building images.
        let p = propose(72, Validation::Holdout, 0.3, at(ms_per_image(32 * 32 * 3, None)));
        assert_eq!(p.train_images, 50);
        assert_eq!(p.batch_size, 16);
        assert_eq!(p.epochs, 30);
        assert_eq!(p.steps, 120);
        assert!(!p.cut_for_time);
        // 30 epochs × 50 images × 0.4 ms × 3072 / 784.
        assert!((p.seconds - 30.0 * 50.0 * 0.4 * 3072.0 / 784.0 / 1000.0).abs() < 1e-9, "{}", p.seconds);
        assert_eq!(p.sentence().ja, "72 枚の画像: ミニバッチ 16、30 エポック（更新 120 回）、約 3 秒。");
        assert_eq!(p.sentence().en, "72 images: mini-batch 16, 30 epochs (120 updates), about 3 s.");
    }

    #[test]
    fn the_built_in_digits_keep_the_usual_defaults() {
        let p = propose(1797, Validation::Holdout, 0.3, at(ms_per_image(784, None)));
        let d = TrainConfig::default();
        assert_eq!((p.batch_size, p.epochs), (d.batch_size, d.epochs));
    }

    #[test]
    fn k_fold_counts_one_fold_and_every_model() {
        let p = propose(72, Validation::KFold { k: 3 }, 0.3, at(1.0));
        assert_eq!(p.train_images, 48);
        assert_eq!(p.batch_size, 16);
        assert_eq!(p.epochs, 40);
        assert!((p.seconds - 40.0 * 48.0 * 3.0 / 1000.0).abs() < 1e-9);
    }

    #[test]
    fn tiny_sets_use_batches_of_eight_or_the_whole_set() {
        assert_eq!(propose(20, Validation::Holdout, 0.3, at(1.0)).batch_size, 8);
        let p = propose(3, Validation::Holdout, 0.3, at(1.0));
        assert_eq!(p.train_images, 2);
        assert_eq!(p.batch_size, 2);
        assert_eq!(p.epochs, EPOCHS.1);
    }

    #[test]
    fn a_slow_device_gets_fewer_epochs_but_never_below_the_minimum() {
        // 50 building images at 100 ms each: 30 epochs would take 150 s.
        let p = propose(72, Validation::Holdout, 0.3, at(100.0));
        assert_eq!(p.epochs, 24);
        assert!(p.cut_for_time);
        assert!(p.seconds <= BUDGET_S);
        assert!(p.sentence().en.contains("reduced"));
        let p = propose(72, Validation::Holdout, 0.3, at(10_000.0));
        assert_eq!(p.epochs, EPOCHS.0);
    }

    #[test]
    fn measured_cost_scales_with_the_input() {
        assert!((ms_per_image(784 * 4, Some((0.5, 784))) - 2.0).abs() < 1e-12);
        assert!((ms_per_image(784, Some((f64::NAN, 784))) - PRIOR_MS_PER_IMAGE_784).abs() < 1e-12);
    }

    #[test]
    fn verdicts() {
        // 22 validation images of 3 classes, all predicted as class 1.
        let all_one: Vec<_> = (0..22).map(|i| p(i % 3, 1)).collect();
        assert_eq!(verdict(&all_one, 3), Verdict::OneClass { class: 1 });
        // 20 of 22 (91 %) in one class is one class too; 19 of 22 (86 %) is not.
        let mostly = |k: usize| (0..22).map(|i| p(i % 3, if i < k { 1 } else { 2 * (i % 2) })).collect::<Vec<_>>();
        assert_eq!(verdict(&mostly(20), 3), Verdict::OneClass { class: 1 });
        assert_ne!(verdict(&mostly(19), 3), Verdict::OneClass { class: 1 });
        let chance: Vec<_> = (0..30).map(|i| p(i % 3, (i / 3) % 3)).collect();
        assert_eq!(verdict(&chance, 3), Verdict::NearChance);
        let good: Vec<_> = (0..30).map(|i| p(i % 3, if i == 4 { 0 } else { i % 3 })).collect();
        assert_eq!(verdict(&good, 3), Verdict::Fine);
        assert_eq!(verdict(&[], 3), Verdict::Fine);
        // One true class only: predicting it everywhere is right, not a failure.
        let single: Vec<_> = (0..10).map(|_| p(2, 2)).collect();
        assert_eq!(verdict(&single, 3), Verdict::Fine);
    }

    #[test]
    fn advice_names_the_class_and_what_to_change() {
        let config = TrainConfig::default();
        let text = advice(&Verdict::OneClass { class: 0 }, &config, 6, 50, "1円玉").unwrap();
        assert!(text.ja.contains("「1円玉」"), "{}", text.ja);
        assert!(text.ja.contains("6 回"), "{}", text.ja);
        assert!(text.ja.contains("ミニバッチを小さく"), "{}", text.ja);
        assert!(text.en.contains("data augmentation"), "{}", text.en);
        assert_eq!(advice(&Verdict::Fine, &config, 6, 50, ""), None);
        // Enough updates and a small batch: neither is suggested.
        let small = TrainConfig { batch_size: 16, ..TrainConfig::default() };
        let text = advice(&Verdict::NearChance, &small, 300, 50, "").unwrap();
        assert!(!text.en.contains("more epochs") && !text.en.contains("smaller mini-batch"), "{}", text.en);
    }
}
