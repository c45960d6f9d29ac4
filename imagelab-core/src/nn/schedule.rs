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
    /// Estimated seconds for the whole run (all folds), from `ms_per_image`.
    pub seconds: f64,
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
/// when the estimate at `ms_per_image` passes [`BUDGET_S`].
pub fn propose(images: usize, validation: Validation, fraction: f64, ms_per_image: f64) -> Proposal {
    let train = train_images(images, validation, fraction);
    let batch_size =
        BATCHES.into_iter().find(|&b| train.div_ceil(b) >= MIN_STEPS_PER_EPOCH).unwrap_or(BATCHES[BATCHES.len() - 1]).min(train.max(1));
    let per_epoch = train.div_ceil(batch_size);
    let mut epochs = TARGET_STEPS.div_ceil(per_epoch).clamp(EPOCHS.0, EPOCHS.1);
    let models = match validation {
        Validation::Holdout => 1,
        Validation::KFold { k } => k,
    };
    let seconds_for = |epochs: usize| (epochs * train * models) as f64 * ms_per_image / 1000.0;
    let mut cut_for_time = false;
    if seconds_for(epochs) > BUDGET_S {
        let fit = (BUDGET_S * 1000.0 / ((train * models) as f64 * ms_per_image)).floor() as usize;
        let fit = fit.max(EPOCHS.0);
        if fit < epochs {
            epochs = fit;
            cut_for_time = true;
        }
    }
    Proposal { images, train_images: train, batch_size, epochs, steps: epochs * per_epoch, seconds: seconds_for(epochs), cut_for_time }
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

    fn p(truth: usize, predicted: usize) -> Prediction {
        Prediction { index: 0, truth, predicted, confidence: 0.5, fold: 0 }
    }

    #[test]
    fn a_small_photo_set_gets_small_batches_and_many_epochs() {
        // 3 classes × 24 photos, hold-out 30 %: 50 building images.
        let p = propose(72, Validation::Holdout, 0.3, ms_per_image(32 * 32 * 3, None));
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
        let p = propose(1797, Validation::Holdout, 0.3, ms_per_image(784, None));
        let d = TrainConfig::default();
        assert_eq!((p.batch_size, p.epochs), (d.batch_size, d.epochs));
    }

    #[test]
    fn k_fold_counts_one_fold_and_every_model() {
        let p = propose(72, Validation::KFold { k: 3 }, 0.3, 1.0);
        assert_eq!(p.train_images, 48);
        assert_eq!(p.batch_size, 16);
        assert_eq!(p.epochs, 40);
        assert!((p.seconds - 40.0 * 48.0 * 3.0 / 1000.0).abs() < 1e-9);
    }

    #[test]
    fn tiny_sets_use_batches_of_eight_or_the_whole_set() {
        assert_eq!(propose(20, Validation::Holdout, 0.3, 1.0).batch_size, 8);
        let p = propose(3, Validation::Holdout, 0.3, 1.0);
        assert_eq!(p.train_images, 2);
        assert_eq!(p.batch_size, 2);
        assert_eq!(p.epochs, EPOCHS.1);
    }

    #[test]
    fn a_slow_device_gets_fewer_epochs_but_never_below_the_minimum() {
        // 50 building images at 100 ms each: 30 epochs would take 150 s.
        let p = propose(72, Validation::Holdout, 0.3, 100.0);
        assert_eq!(p.epochs, 24);
        assert!(p.cut_for_time);
        assert!(p.seconds <= BUDGET_S);
        assert!(p.sentence().en.contains("reduced"));
        let p = propose(72, Validation::Holdout, 0.3, 10_000.0);
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
