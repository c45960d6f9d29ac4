//! The training loop, written out (burn's `Learner` does not run in a browser).
//!
//! [`Trainer::step`] runs one mini-batch and is `async` because every read of a tensor on WebGPU
//! must be: the worker awaits it between steps, which is also when it sees a Stop message.
//! Native tests drive the same code with `pollster::block_on` on `Device::flex()`.

use crate::data::augment::{augmented_batch, image_rng, mixup_batch};
use crate::data::dataset::Dataset;
use crate::data::split::Split;
use crate::error::CoreError;
use crate::nn::architecture::InputShape;
use crate::nn::experiment::{Optimizer, TrainConfig};
use crate::nn::metrics::Evaluation;
use crate::nn::model::Net;
use crate::nn::transfer::FeatureTable;
use crate::rng::SplitMix64;
use crate::session::protocol::{CurvePoint, StepReport};
use burn::nn::loss::CrossEntropyLoss;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, RmsPropConfig, SgdConfig, momentum::MomentumConfig};
use burn::prelude::*;
use burn::tensor::activation::log_softmax;
use std::sync::{Arc, Mutex};

/// Serialises seeding + weight initialisation (see [`Trainer::new`]).
static INIT_LOCK: Mutex<()> = Mutex::new(());

/// Images per forward pass when evaluating.
const EVAL_BATCH: usize = 256;

/// Fine-tuning: the most validation images a curve point before the last is measured on. Each
/// point runs every validation image through the unfrozen blocks, which made a run on the digits
/// with 10 training images per class (3,900 to validate, 4 points an epoch) take 398 s of training
/// for 20 epochs at 128 px with 2 blocks unfrozen, 102 s with the sample
/// (`scripts/bench/fine-tune-2026-12-06.log`).
/// The points on the way are measured on a fixed, stratified sample of this many (an accuracy's
/// standard error at most about 2.2 points), and the last point — the run's result, its confusion
/// matrix and mistakes — on them all.
pub const CURVE_SAMPLE: usize = 500;

/// About `max` of `validation`'s indices (each class's share rounded, at least one from each class
/// there is), drawn with `seed`; in ascending order. All of them when there are no more than `max`.
pub fn curve_sample(validation: &[usize], labels: &[usize], max: usize, seed: u64) -> Vec<usize> {
    if validation.len() <= max {
        return validation.to_vec();
    }
    let classes = validation.iter().map(|&i| labels[i] + 1).max().unwrap_or(0);
    let mut by_class = vec![Vec::new(); classes];
    for &i in validation {
        by_class[labels[i]].push(i);
    }
    let mut rng = SplitMix64::new(seed ^ 0x0C01_2E5A_3B1E);
    let mut out = Vec::with_capacity(max);
    for members in by_class.iter_mut().filter(|m| !m.is_empty()) {
        rng.shuffle(members);
        let share = (members.len() * max + validation.len() / 2) / validation.len();
        out.extend_from_slice(&members[..share.clamp(1, members.len())]);
    }
    out.sort_unstable();
    out
}

/// Measures a loaded model (`net`, `meta` from a model file) on `data`: on the validation part
/// of the split it was trained with (its own settings, so none of its training images count; a
/// K-fold model on its last fold, the one it was validated on), or of `fallback`'s split when
/// the file has no settings. The page's "load model" and `imagelab evaluate` both use it.
///
/// # Errors
/// [`CoreError::BadModelFile`] when the model's input size or classes differ from the data's,
/// in words; otherwise as [`Trainer::for_fold`] and [`Trainer::evaluate`].
/// A transfer-learning model (`meta.backbone`) is measured on `features`, the backbone's
/// features of `data` (plain images; [`crate::nn::transfer::extract`]), which the caller computed
/// after checking the backbone ([`crate::nn::modelfile::BackboneRef::check`]).
pub async fn evaluate_loaded(
    net: &Net,
    meta: &crate::nn::modelfile::ModelMeta,
    data: Arc<Dataset>,
    fallback: TrainConfig,
    features: Option<Arc<FeatureTable>>,
    device: &Device,
) -> Result<Evaluation, CoreError> {
    if meta.input() != (InputShape { channels: data.channels, height: data.height, width: data.width }) {
        return Err(CoreError::BadModelFile {
            ja: format!(
                "このモデルは {}×{}×{} の画像用です。いまのデータ（{}×{}×{}）には使えません。",
                meta.height, meta.width, meta.channels, data.height, data.width, data.channels
            ),
            en: format!(
                "This model takes {}×{}×{} images; the current data is {}×{}×{}.",
                meta.height, meta.width, meta.channels, data.height, data.width, data.channels
            ),
        });
    }
    if meta.class_names != data.class_names {
        return Err(CoreError::BadModelFile {
            ja: format!(
                "このモデルのクラス（{}）がいまのデータのクラス（{}）と違います。",
                meta.class_names.join(", "),
                data.class_names.join(", ")
            ),
            en: format!(
                "This model's classes ({}) differ from the current data's ({}).",
                meta.class_names.join(", "),
                data.class_names.join(", ")
            ),
        });
    }
    let split_from = meta.training.clone().unwrap_or(fallback);
    let config = TrainConfig { model: meta.architecture.clone(), augment: Default::default(), ..split_from };
    let fold = match config.validation {
        crate::nn::experiment::Validation::KFold { k } => k - 1,
        crate::nn::experiment::Validation::Holdout => 0,
    };
    let mut trainer = match (&meta.backbone, features) {
        (Some(_), Some(features)) => Trainer::on_features(config, data, features, fold, device)?,
        (Some(b), None) => {
            return Err(CoreError::BadModelFile {
                ja: format!("このモデルには {} の特徴が必要です", b.id.slug()),
                en: format!("this model needs {} features", b.id.slug()),
            });
        }
        (None, _) => Trainer::for_fold(config, data, fold, device)?,
    };
    trainer.set_model(net.clone());
    trainer.evaluate(&trainer.split().validation.clone()).await
}

/// What one call to [`Trainer::step`] produced.
#[derive(Clone, Debug, PartialEq)]
pub struct StepOutcome {
    /// The mini-batch's report.
    pub report: StepReport,
    /// A validation measurement, when one was due after this step.
    pub point: Option<CurvePoint>,
}

/// A training run in progress.
pub struct Trainer {
    config: TrainConfig,
    data: Arc<Dataset>,
    split: Split,
    device: Device,
    model: Net,
    optim: ModuleOptimizer,
    rng: SplitMix64,
    /// This epoch's order of training indices.
    order: Vec<usize>,
    /// Position in `order`.
    cursor: usize,
    epoch: usize,
    step: usize,
    steps_per_epoch: usize,
    /// Steps at which (within an epoch, 1-based) a validation point is measured.
    eval_steps: Vec<usize>,
    window_loss: f64,
    window_correct: usize,
    window_seen: usize,
    /// The latest measurement on the whole validation part and the step it was taken at.
    last_evaluation: Option<(usize, Evaluation)>,
    /// Fine-tuning with more than [`CURVE_SAMPLE`] validation images: the sample the points
    /// before the last are measured on.
    curve_sample: Option<Vec<usize>>,
    /// The last curve point.
    last_point: Option<CurvePoint>,
    /// The next batch, prepared while the previous step's read-back was awaited.
    prepared: Option<Prepared>,
    /// 転移学習: the frozen backbone's features of every image, which the network (a head)
    /// takes instead of pixels.
    features: Option<Arc<FeatureTable>>,
    /// What the network takes: the images' size, or the features as channels of 1×1.
    input: InputShape,
}

/// A training batch's indices and input pixels (augmented), its mixed labels under mixup, and
/// the time it took.
struct Prepared {
    indices: Vec<usize>,
    pixels: Vec<f32>,
    soft_targets: Option<Vec<f32>>,
    ms: f64,
}

/// burn's optimizer for the experiment's choice, with weight decay when it is above 0.
pub(crate) fn optimizer(choice: Optimizer, weight_decay: f64) -> ModuleOptimizer {
    let decay = (weight_decay > 0.0).then(|| WeightDecayConfig::new(weight_decay as f32));
    let momentum = |m: f64, nesterov: bool| Some(MomentumConfig::new().with_momentum(m).with_dampening(0.0).with_nesterov(nesterov));
    match choice {
        Optimizer::Sgd => SgdConfig::new().with_weight_decay(decay).init(),
        Optimizer::Momentum { momentum: m } => SgdConfig::new().with_momentum(momentum(m, false)).with_weight_decay(decay).init(),
        Optimizer::Nesterov { momentum: m } => SgdConfig::new().with_momentum(momentum(m, true)).with_weight_decay(decay).init(),
        Optimizer::Adam => AdamConfig::new().with_weight_decay(decay).init(),
        Optimizer::RmsProp => RmsPropConfig::new().with_momentum(0.0).with_weight_decay(decay).init(),
    }
}

impl Trainer {
    /// Splits `data`, initialises the network on `device` (made autodiff here) and prepares the
    /// first epoch.
    ///
    /// # Errors
    /// Invalid settings ([`CoreError::BadSetting`]) or too little data to split.
    pub fn new(config: TrainConfig, data: Arc<Dataset>, device: &Device) -> Result<Self, CoreError> {
        Self::for_fold(config, data, 0, device)
    }

    /// As [`Trainer::new`], on split number `fold` of [`TrainConfig::splits`] (always 0 for
    /// hold-out). Every fold starts from the same seeded weights.
    ///
    /// # Errors
    /// Invalid settings, too little data, or a fold that does not exist.
    pub fn for_fold(config: TrainConfig, data: Arc<Dataset>, fold: usize, device: &Device) -> Result<Self, CoreError> {
        Self::build(config, data, None, fold, device)
    }

    /// As [`Trainer::for_fold`] for transfer learning with a frozen backbone: the network
    /// (`config.model`, a head) trains on `features` of `data`'s images ([`crate::nn::transfer`]),
    /// a training image seen each epoch as one of its augmented versions when there are some.
    ///
    /// # Errors
    /// As [`Trainer::for_fold`]; [`CoreError::BadDataset`] when the table is not `data`'s.
    pub fn on_features(
        config: TrainConfig,
        data: Arc<Dataset>,
        features: Arc<FeatureTable>,
        fold: usize,
        device: &Device,
    ) -> Result<Self, CoreError> {
        if features.images != data.len() {
            return Err(CoreError::dataset(
                format!("{} 枚分の特徴を {} 枚のデータに使おうとしました", features.images, data.len()),
                format!("features of {} images for {} images", features.images, data.len()),
            ));
        }
        if let Some(t) = config.transfer {
            let [channels, height, width] = crate::nn::lite0::boundary(t.size, t.unfrozen());
            if features.input() != (InputShape { channels, height, width }) {
                let s = features.input();
                let shape = format!("{}×{}×{}", s.channels, s.height, s.width);
                return Err(CoreError::dataset(
                    format!("特徴の形 {shape} は、微調整する {} ブロックの入力に合いません", t.unfrozen()),
                    format!("features of shape {shape} for {} unfrozen blocks", t.unfrozen()),
                ));
            }
        }
        Self::build(config, data, Some(features), fold, device)
    }

    /// [`Trainer::on_features`] when the run has `features` (transfer learning), else
    /// [`Trainer::for_fold`]: a run's fold as the worker and the command line start it.
    ///
    /// # Errors
    /// As those two.
    pub fn for_fold_with(
        config: TrainConfig,
        data: Arc<Dataset>,
        features: Option<Arc<FeatureTable>>,
        fold: usize,
        device: &Device,
    ) -> Result<Self, CoreError> {
        match features {
            Some(f) => Self::on_features(config, data, f, fold, device),
            None => Self::for_fold(config, data, fold, device),
        }
    }

    fn build(
        config: TrainConfig,
        data: Arc<Dataset>,
        features: Option<Arc<FeatureTable>>,
        fold: usize,
        device: &Device,
    ) -> Result<Self, CoreError> {
        config.validate()?;
        let mut splits = config.splits(&data.labels, data.num_classes())?;
        if fold >= splits.len() {
            return Err(CoreError::out_of_range("fold", fold, format!("0..{}", splits.len())));
        }
        let split = splits.swap_remove(fold);
        let device = device.clone().autodiff();
        let input = match &features {
            Some(f) => f.input(),
            None => InputShape { channels: data.channels, height: data.height, width: data.width },
        };
        let model = {
            // Backends keep one global RNG: seed and draw under a lock so that concurrent
            // trainers (tests, the CLI) each get the weights their seed promises.
            let _guard = INIT_LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            device.seed(config.seed);
            let unfrozen = config.transfer.map_or(0, |t| t.unfrozen());
            let model = if unfrozen > 0 {
                // Fine-tuning: a head on the pooled features behind the backbone's last blocks,
                // which start from their pretrained weights (fresh ones only when the table has
                // none: a loaded model's weights replace them).
                let head = Net::new(
                    &config.model,
                    InputShape { channels: crate::nn::backbone::FEATURES, height: 1, width: 1 },
                    data.num_classes(),
                    &device,
                )?;
                let tail = match features.as_ref().and_then(|f| f.start()) {
                    Some(t) => t.clone().train().fork(&device),
                    None => crate::nn::backbone::Tail::new(unfrozen, &device),
                };
                head.with_tail(tail)
            } else {
                Net::new(&config.model, input, data.num_classes(), &device)?
            };
            // Parameters are drawn lazily, on first use: use them all now, inside the lock.
            let _ = model.forward(Tensor::zeros([1, input.channels, input.height, input.width], &device));
            model
        };
        let optim = optimizer(config.optimizer, config.weight_decay);
        let steps_per_epoch = split.train.len().div_ceil(config.batch_size);
        let evals = config.evals_per_epoch.min(steps_per_epoch);
        let eval_steps = (1..=evals).map(|k| (k * steps_per_epoch).div_ceil(evals)).collect();
        let curve_sample = (config.transfer.is_some_and(|t| t.unfrozen() > 0) && split.validation.len() > CURVE_SAMPLE)
            .then(|| curve_sample(&split.validation, &data.labels, CURVE_SAMPLE, config.seed));
        let mut rng = SplitMix64::new(config.seed ^ 0x5E_ED0F_0DE5);
        let mut order = split.train.clone();
        rng.shuffle(&mut order);
        Ok(Trainer {
            config,
            data,
            split,
            device,
            model,
            optim,
            rng,
            order,
            cursor: 0,
            epoch: 1,
            step: 0,
            steps_per_epoch,
            eval_steps,
            window_loss: 0.0,
            window_correct: 0,
            window_seen: 0,
            last_evaluation: None,
            curve_sample,
            last_point: None,
            prepared: None,
            features,
            input,
        })
    }

    /// Continues fold `fold` of a run on `device` from the end of epoch `epochs_done`, with
    /// `net` — the weights as they were then (a copy the caller kept, e.g. on the CPU while the
    /// run was on a GPU that was then lost). The shuffles and augmentations that follow are the
    /// ones the run would have had; the optimizer starts afresh, since its running averages
    /// (momentum, Adam's moments) were on the lost device. A transfer-learning run continues on
    /// `features` (as [`Trainer::on_features`]; they may be computed again on the new device),
    /// with `net`'s head and fine-tuned blocks.
    ///
    /// # Errors
    /// As [`Trainer::for_fold`] or [`Trainer::on_features`]; a `BadSetting` when `epochs_done` is
    /// not before the last epoch.
    pub fn resume_after_epoch(
        config: TrainConfig,
        data: Arc<Dataset>,
        features: Option<Arc<FeatureTable>>,
        fold: usize,
        device: &Device,
        net: Net,
        epochs_done: usize,
    ) -> Result<Self, CoreError> {
        if epochs_done >= config.epochs {
            return Err(CoreError::setting(
                "epochs",
                format!("{} エポックのうち {epochs_done} エポック目のあとからは続けられません", config.epochs),
                format!("cannot resume after epoch {epochs_done} of {}", config.epochs),
            ));
        }
        let mut trainer = Self::for_fold_with(config, data, features, fold, device)?;
        // Back to training mode (gradients tracked), with an autodiff graph on this device.
        trainer.model = net.train().fork(&trainer.device);
        for _ in 0..epochs_done {
            trainer.order = trainer.split.train.clone();
            trainer.rng.shuffle(&mut trainer.order);
        }
        trainer.epoch = epochs_done + 1;
        trainer.step = epochs_done * trainer.steps_per_epoch;
        Ok(trainer)
    }

    /// Mini-batches in one epoch.
    pub fn steps_per_epoch(&self) -> usize {
        self.steps_per_epoch
    }

    /// Epochs finished so far.
    pub fn epochs_done(&self) -> usize {
        self.step / self.steps_per_epoch
    }

    /// The split in use.
    pub fn split(&self) -> &Split {
        &self.split
    }

    /// The validation images the curve's points before the last are measured on, when they are
    /// a sample ([`CURVE_SAMPLE`]).
    pub fn curve_sample(&self) -> Option<&[usize]> {
        self.curve_sample.as_deref()
    }

    /// Mini-batches in the whole run.
    pub fn total_steps(&self) -> usize {
        self.steps_per_epoch * self.config.epochs
    }

    /// Steps done.
    pub fn steps_done(&self) -> usize {
        self.step
    }

    /// Whether all epochs are done.
    pub fn is_finished(&self) -> bool {
        self.step >= self.total_steps()
    }

    /// The validation measurement of the current weights, if one was taken after the last step
    /// (always so when the run finished: the last step of an epoch is measured).
    pub fn current_evaluation(&self) -> Option<&Evaluation> {
        self.last_evaluation.as_ref().filter(|(step, _)| *step == self.step).map(|(_, e)| e)
    }

    /// Replaces the weights (a loaded model file) — for evaluating it on this trainer's split.
    pub fn set_model(&mut self, net: Net) {
        self.model = net.to_device(&self.device);
    }

    /// The current model, without autodiff (for inference).
    pub fn model(&self) -> Net {
        self.model.valid()
    }

    /// Trains on one mini-batch. `elapsed_ms` (the caller's clock) goes into the report.
    ///
    /// # Errors
    /// [`CoreError::Device`] when a read-back from the device fails.
    ///
    /// # Panics
    /// If called after [`Self::is_finished`].
    pub async fn step(&mut self, elapsed_ms: impl Fn() -> f64) -> Result<StepOutcome, CoreError> {
        assert!(!self.is_finished(), "step() after the last epoch");
        let t_start = elapsed_ms();
        let end = (self.cursor + self.config.batch_size).min(self.order.len());
        let prepared = match self.prepared.take() {
            Some(p) if p.indices == self.order[self.cursor..end] => p,
            _ => self.prepare(self.order[self.cursor..end].to_vec(), self.epoch, &elapsed_ms),
        };
        let Prepared { indices: batch, pixels, soft_targets, ms: prepare_ms } = prepared;
        let batch = &batch;
        let images = Tensor::<4>::from_data(
            TensorData::new(pixels, [batch.len(), self.input.channels, self.input.height, self.input.width]),
            &self.device,
        );
        let targets = self.targets(batch, &self.device);

        let logits = self.model.forward(images);
        let loss = match soft_targets {
            // Mixup: cross-entropy against the mixed labels, −Σ y·log softmax(z), batch mean.
            Some(soft) => {
                let soft = Tensor::<2>::from_data(TensorData::new(soft, [batch.len(), self.data.num_classes()]), &self.device);
                (soft * log_softmax(logits.clone(), 1)).sum_dim(1).mean().neg()
            }
            None => CrossEntropyLoss::new(None, &self.device).forward(logits.clone(), targets.clone()),
        };
        let correct = logits.clone().argmax(1).squeeze_dim::<1>(1).equal(targets).int().sum().float();
        // One read-back for both numbers: on WebGPU every read is a round trip.
        let readout = Tensor::cat(vec![loss.clone().detach().reshape([1]), correct.reshape([1])], 0);
        let mut grads = loss.backward();
        // Fine-tuning: the backbone's unfrozen blocks step at their own, smaller rate.
        let tail_grads = self.model.tail().map(|t| GradientsParams::from_module(&mut grads, t));
        let grads = GradientsParams::from_grads(grads, &self.model);
        self.model = self.optim.step(self.config.learning_rate, self.model.clone(), grads);
        if let (Some(g), Some(f)) = (tail_grads, self.config.transfer.and_then(|t| t.fine_tune)) {
            self.model = self.optim.step(self.config.learning_rate / f.rate_divisor as f64, self.model.clone(), g);
        }
        // While the device works and the read-back is awaited, prepare the next batch of this
        // epoch on the CPU (the first batch of an epoch waits for its shuffle).
        let next = (end < self.order.len()).then(|| self.order[end..(end + self.config.batch_size).min(self.order.len())].to_vec());
        let (values, prepared_next) = futures_lite::future::zip(readout.into_data_async(), async {
            next.map(|indices| self.prepare(indices, self.epoch, &elapsed_ms))
        })
        .await;
        self.prepared = prepared_next;
        // The step itself, without the validation pass that may follow it.
        let train_ms = elapsed_ms() - t_start;
        let values = values
            .map_err(|e| CoreError::Device(format!("{e:?}")))?
            .try_to_vec::<f32>()
            .map_err(|e| CoreError::Device(format!("{e:?}")))?;
        let (batch_loss, batch_correct) = (values[0] as f64, values[1] as usize);
        if !batch_loss.is_finite() {
            return Err(CoreError::setting(
                "learning_rate",
                format!("損失が {batch_loss} になりました（発散）。学習率を小さくしてください"),
                format!("the loss became {batch_loss} (diverged); try a smaller learning rate"),
            ));
        }

        self.step += 1;
        self.cursor = end;
        let step_in_epoch = self.step - (self.epoch - 1) * self.steps_per_epoch;
        let batch_len = batch.len();
        self.window_loss += batch_loss * batch_len as f64;
        self.window_correct += batch_correct;
        self.window_seen += batch_len;
        let report = StepReport {
            epoch: self.epoch,
            epochs: self.config.epochs,
            step: self.step,
            total_steps: self.total_steps(),
            loss: batch_loss,
            accuracy: batch_correct as f64 / batch_len as f64,
            elapsed_ms: elapsed_ms(),
            prepare_ms,
            train_ms,
        };

        let point = if self.eval_steps.contains(&step_in_epoch) {
            // The last point is the run's result: on every validation image.
            let sample = self.curve_sample.as_deref().filter(|_| !self.is_finished());
            let val = self.evaluate(sample.unwrap_or(&self.split.validation)).await?;
            let point = self.point_now(&val, sample.map(<[usize]>::len));
            self.window_loss = 0.0;
            self.window_correct = 0;
            self.window_seen = 0;
            self.last_point = Some(point.clone());
            if point.val_sample.is_none() {
                self.last_evaluation = Some((self.step, val));
            }
            Some(point)
        } else {
            None
        };

        if step_in_epoch == self.steps_per_epoch && !self.is_finished() {
            self.epoch += 1;
            self.cursor = 0;
            self.order = self.split.train.clone();
            self.rng.shuffle(&mut self.order);
        }
        Ok(StepOutcome { report, point })
    }

    /// A run stopped on the way: its result, the current weights on every validation image —
    /// taken at its last point when that was on all of them, else measured now. When the last
    /// point was on a sample ([`CURVE_SAMPLE`]), also a point for now on all of them, so the
    /// curve and the run's accuracy end on the whole validation part (its training numbers are
    /// the batches' since the last point, or the last point's when there were none).
    ///
    /// # Errors
    /// [`CoreError::Device`] when a read-back fails.
    pub async fn measure_stopped(&mut self) -> Result<(Evaluation, Option<CurvePoint>), CoreError> {
        if let Some(e) = self.current_evaluation() {
            return Ok((e.clone(), None));
        }
        let val = self.evaluate(&self.split.validation).await?;
        let point = self.last_point.as_ref().is_some_and(|p| p.val_sample.is_some()).then(|| self.point_now(&val, None));
        self.last_evaluation = Some((self.step, val.clone()));
        Ok((val, point))
    }

    /// A curve point for now: the training batches since the last point (that point's numbers
    /// when there were none) and `val`, measured on every validation image or (`val_sample`) on
    /// a sample of that many.
    fn point_now(&self, val: &Evaluation, val_sample: Option<usize>) -> CurvePoint {
        let (train_loss, train_accuracy) = match (self.window_seen, &self.last_point) {
            (0, Some(last)) => (last.train_loss, last.train_accuracy),
            (seen, _) => {
                let seen = seen.max(1) as f64;
                (self.window_loss / seen, self.window_correct as f64 / seen)
            }
        };
        // (The epoch moves on after its last step's point: `done` is then 0 of the next.)
        let done = self.step - (self.epoch - 1) * self.steps_per_epoch;
        CurvePoint {
            epoch: (self.epoch - 1) as f64 + done as f64 / self.steps_per_epoch as f64,
            step: self.step,
            train_loss,
            train_accuracy,
            val_loss: val.loss,
            val_accuracy: val.accuracy,
            val_sample,
        }
    }

    /// Loss, accuracy and confusion matrix of the current model on `indices`.
    ///
    /// # Errors
    /// [`CoreError::Device`] when a read-back fails.
    pub async fn evaluate(&self, indices: &[usize]) -> Result<Evaluation, CoreError> {
        let model = self.model.valid();
        let device = self.device.clone().without_autodiff();
        let mut logits = Vec::with_capacity(indices.len() * self.data.num_classes());
        for chunk in indices.chunks(EVAL_BATCH) {
            let (images, _) = self.batch_tensors(chunk, &device);
            let data = model.forward(images).into_data_async().await.map_err(|e| CoreError::Device(format!("{e:?}")))?;
            logits.extend(data.try_to_vec::<f32>().map_err(|e| CoreError::Device(format!("{e:?}")))?);
        }
        let labels: Vec<usize> = indices.iter().map(|&i| self.data.labels[i]).collect();
        Ok(Evaluation::from_logits(&logits, &labels, self.data.num_classes()).with_indices(indices))
    }

    /// A training batch's input: the images at `indices`, augmented for `epoch` by the
    /// experiment's pipeline (or only converted when it has none), timed with `clock`.
    fn prepare(&self, indices: Vec<usize>, epoch: usize, clock: &impl Fn() -> f64) -> Prepared {
        let t0 = clock();
        let d = &self.data;
        let pipeline = &self.config.augment;
        let mut pixels = if let Some(f) = &self.features {
            indices.iter().flat_map(|&i| f.row(f.draw_for(self.config.seed, epoch, i), i).iter().copied()).collect()
        } else if pipeline.changes_images() {
            augmented_batch(&indices, (d.width, d.height, d.channels), |i| d.image(i), pipeline, self.config.seed, epoch as u64)
        } else {
            d.to_chw_f32(&indices)
        };
        let soft_targets = (pipeline.mixup > 0.0 && !indices.is_empty()).then(|| {
            let labels: Vec<usize> = indices.iter().map(|&i| d.labels[i]).collect();
            // One λ per batch, seeded by the run, the epoch and the batch's first image.
            let mut rng = image_rng(self.config.seed ^ 0x6D_6978_7570, epoch as u64, indices[0] as u64);
            let per_input = self.input.channels * self.input.height * self.input.width;
            mixup_batch(&mut pixels, per_input, &labels, d.num_classes(), pipeline.mixup, &mut rng)
        });
        Prepared { indices, pixels, soft_targets, ms: clock() - t0 }
    }

    fn targets(&self, indices: &[usize], device: &Device) -> Tensor<1, Int> {
        let labels: Vec<i64> = indices.iter().map(|&i| self.data.labels[i] as i64).collect();
        Tensor::<1, Int>::from_data(TensorData::new(labels, [indices.len()]), device)
    }

    fn batch_tensors(&self, indices: &[usize], device: &Device) -> (Tensor<4>, Tensor<1, Int>) {
        // Validation and evaluation: plain images, or their plain (draw 0) features.
        let pixels = match &self.features {
            Some(f) => indices.iter().flat_map(|&i| f.row(0, i).iter().copied()).collect(),
            None => self.data.to_chw_f32(indices),
        };
        let s = self.input;
        let images = Tensor::<4>::from_data(TensorData::new(pixels, [indices.len(), s.channels, s.height, s.width]), device);
        (images, self.targets(indices, device))
    }
}
