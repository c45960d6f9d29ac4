//! What the page knows about a training run: a pure reducer over worker messages, so the
//! training lab's logic is tested natively and the component only draws it.

use crate::data::augment::Pipeline;
use crate::i18n::Text;
use crate::nn::experiment::TrainConfig;
use crate::nn::metrics::ConfusionMatrix;
use crate::nn::progress::eta_ms;
use crate::session::protocol::{Backend, Checkpoint, CurvePoint, FoldResult, FromWorker, StepReport};

/// Where a run is.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Nothing started yet.
    Idle,
    /// Train pressed; the worker is loading or setting up the device.
    Starting,
    /// Steps are running.
    Running,
    /// Stop pressed; waiting for the step in flight.
    Stopping,
    /// All epochs done, or stopped.
    Finished {
        /// Whether the user stopped it.
        stopped: bool,
    },
    /// Something failed; the message says what.
    Failed(Text),
}

/// The page's view of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunState {
    /// Where the run is.
    pub phase: Phase,
    /// The device in use, once known.
    pub backend: Option<Backend>,
    /// Adapter description.
    pub backend_detail: String,
    /// Why WebGPU was not used, if it was wanted.
    pub fallback_reason: Option<Text>,
    /// Train / validation sizes.
    pub sizes: Option<(usize, usize)>,
    /// The latest step.
    pub last_step: Option<StepReport>,
    /// Validation points so far.
    pub points: Vec<CurvePoint>,
    /// Final confusion matrix.
    pub confusion: Option<ConfusionMatrix>,
    /// The latest live (webcam) prediction, and how many have arrived.
    pub live: Option<Vec<f32>>,
    pub live_count: u64,
    /// Answers to side requests (predictions and refusals): one frame is in flight until it grows.
    pub answers: u64,
    /// A side request (prediction, inspection, model file) that failed, in words; the run's own
    /// phase is untouched.
    pub notice: Option<Text>,
    /// Model files received (a counter, so saving the same model twice downloads twice).
    pub model_files: u64,
    /// The latest saved model file, to be downloaded.
    pub model_file: Option<std::rc::Rc<Vec<u8>>>,
    /// The latest answer to `PredictAll` (a competition's test set): its request id and labels.
    pub predicted_all: Option<(u32, Vec<u32>)>,
    /// Answers to `PredictAll` so far (a new one triggers the submission download).
    pub predicted_all_count: usize,
    /// The latest loaded model file: what it is and its validation accuracy.
    pub loaded_model: Option<(Text, f64)>,
    /// What the trained network makes of the image being inspected.
    pub inspection: Option<crate::session::protocol::Inspection>,
    /// The validation images' predictions, once finished.
    pub predictions: Vec<crate::nn::metrics::Prediction>,
    /// The first fold's set-up time, ms: the device and, for transfer learning, the backbone's
    /// loading (its download the first time) and every image's features.
    pub setup_ms: Option<f64>,
    /// Transfer learning: the first fold's time computing the features alone, ms.
    pub features_ms: Option<f64>,
    /// The fold in progress and the number of folds (1 for hold-out).
    pub fold: (usize, usize),
    /// Finished folds.
    pub folds: Vec<FoldResult>,
    /// The latest checkpoint of a GPU run (where it could continue on the CPU). Shared, not
    /// copied: the page copies this state on every step.
    pub checkpoint: Option<std::rc::Rc<Checkpoint>>,
    /// Set when a lost GPU run is to continue on the CPU: a counter (the page acts once per
    /// value), the checkpoint, and why.
    pub continuation: Option<(u64, std::rc::Rc<Checkpoint>, Text)>,
    /// A continuation was asked for and no new worker has started since: further news of the
    /// lost worker (its crash after its last message) changes nothing.
    pub awaiting_worker: bool,
    /// Transfer learning's preparation in progress (stage, done, total); cleared when training
    /// starts.
    pub preparing: Option<(crate::session::protocol::Preparation, usize, usize)>,
}

impl Default for RunState {
    fn default() -> Self {
        RunState {
            phase: Phase::Idle,
            backend: None,
            backend_detail: String::new(),
            fallback_reason: None,
            sizes: None,
            last_step: None,
            points: Vec::new(),
            confusion: None,
            predictions: Vec::new(),
            inspection: None,
            live: None,
            live_count: 0,
            answers: 0,
            notice: None,
            model_files: 0,
            model_file: None,
            loaded_model: None,
            predicted_all: None,
            predicted_all_count: 0,
            setup_ms: None,
            features_ms: None,
            fold: (0, 1),
            folds: Vec::new(),
            checkpoint: None,
            continuation: None,
            awaiting_worker: false,
            preparing: None,
        }
    }
}

impl RunState {
    /// A fresh run that is starting.
    pub fn starting() -> Self {
        RunState { phase: Phase::Starting, ..RunState::default() }
    }

    /// Whether a run is in progress (the train button is disabled, stop enabled).
    pub fn is_active(&self) -> bool {
        matches!(self.phase, Phase::Starting | Phase::Running | Phase::Stopping)
    }

    /// The stopped run continues: its curves stay, its end-of-run results go until it ends again.
    pub fn resume(&mut self) {
        if self.phase == (Phase::Finished { stopped: true }) {
            self.phase = Phase::Running;
            self.confusion = None;
            self.predictions.clear();
            self.inspection = None;
        }
    }

    /// Marks that Stop was pressed.
    pub fn stop_requested(&mut self) {
        if self.is_active() {
            self.phase = Phase::Stopping;
        }
    }

    /// Marks a failure outside the worker's messages (worker crashed, failed to load).
    pub fn fail(&mut self, message: Text) {
        self.phase = Phase::Failed(message);
    }

    /// The worker crashed, or its device failed, with `why`. A run on the GPU that has a
    /// checkpoint of the fold in progress continues on the CPU: the curve points after the
    /// checkpoint go (those steps are redone), and [`Self::continuation`] says what to send.
    /// Anything else fails with `failed` followed by `why`.
    pub fn device_lost(&mut self, why: Text, failed: Text) -> bool {
        if self.awaiting_worker {
            return true;
        }
        let on_gpu = self.backend.is_some_and(|b| b != Backend::Cpu);
        let checkpoint = self.checkpoint.clone().filter(|c| c.fold == self.fold.0);
        let (true, Some(c), Phase::Starting | Phase::Running | Phase::Stopping) = (on_gpu, checkpoint, &self.phase) else {
            self.fail(Text::new(format!("{}{}", failed.ja, why.ja), format!("{}{}", failed.en, why.en)));
            return false;
        };
        if let Some(s) = &self.last_step {
            let kept = c.epochs_done * (s.total_steps / s.epochs.max(1));
            self.points.retain(|p| p.step <= kept);
        }
        self.last_step = None;
        // Lost between a fold's end and the next fold's start: that fold is redone from its
        // checkpoint and reports again.
        self.folds.retain(|f| f.fold < c.fold);
        let fold = (self.fold.1 > 1).then(|| (format!("第 {} 分割の", c.fold + 1), format!(" of fold {}", c.fold + 1)));
        let (fold_ja, fold_en) = fold.unwrap_or_default();
        let (from_ja, from_en) = if c.epochs_done == 0 {
            (format!("{fold_ja}最初から"), format!("the start{fold_en}"))
        } else {
            (format!("{fold_ja}第 {} エポックの終わりから", c.epochs_done), format!("the end of epoch {}{fold_en}", c.epochs_done))
        };
        let reason = Text::new(
            format!("GPU が使えなくなりました（{}）。CPU で{from_ja}続けます（最適化手法の移動平均はリセット）。", why.ja),
            format!("The GPU was lost ({}). Continuing on the CPU from {from_en} (the optimizer's running averages start afresh).", why.en),
        );
        self.fallback_reason = Some(reason.clone());
        // The run goes on on the CPU: there is nothing to fall back to from there.
        self.backend = Some(Backend::Cpu);
        self.awaiting_worker = true;
        let n = self.continuation.as_ref().map_or(1, |(n, _, _)| n + 1);
        self.continuation = Some((n, c, reason));
        true
    }

    /// A new worker was started (the continuation was sent to it): news of the old one no
    /// longer arrives.
    pub fn worker_replaced(&mut self) {
        self.awaiting_worker = false;
    }

    /// Applies one worker message.
    pub fn apply(&mut self, msg: FromWorker) {
        match msg {
            FromWorker::Loaded
            | FromWorker::Classical(_)
            | FromWorker::ImageNet { .. }
            | FromWorker::TableEpoch { .. }
            | FromWorker::Table(_) => {}
            FromWorker::Started {
                backend,
                detail,
                fallback_reason,
                train_size,
                validation_size,
                setup_ms,
                features_ms,
                fold,
                folds,
                ..
            } => {
                if fold != self.fold.0 {
                    // A new fold: new curves.
                    self.points.clear();
                    self.last_step = None;
                }
                self.fold = (fold, folds.max(1));
                self.preparing = None;
                self.backend = Some(backend);
                self.backend_detail = detail;
                self.fallback_reason = fallback_reason;
                self.sizes = Some((train_size, validation_size));
                // The first fold's: it includes what the whole run prepares once (transfer
                // learning's features).
                if fold == 0 {
                    self.setup_ms = Some(setup_ms);
                    self.features_ms = (features_ms > 0.0).then_some(features_ms);
                }
                if self.phase == Phase::Starting {
                    self.phase = Phase::Running;
                }
            }
            FromWorker::Step(step) => self.last_step = Some(step),
            FromWorker::FoldDone(result) => self.folds.push(result),
            FromWorker::Checkpoint(c) => self.checkpoint = Some(std::rc::Rc::new(c)),
            FromWorker::DeviceLost { message } => {
                self.device_lost(message, Text::new("GPU が使えなくなりました：", "The GPU was lost: "));
            }
            FromWorker::Crashed { message } => {
                self.device_lost(message, Text::new("", ""));
            }
            FromWorker::Inspected(inspection) => self.inspection = Some(inspection),
            FromWorker::Backprop(_) => {}
            FromWorker::PredictedAll { id, labels } => {
                self.predicted_all = Some((id, labels));
                self.predicted_all_count += 1;
            }
            FromWorker::Predicted { probabilities } => {
                self.live = Some(probabilities);
                self.live_count += 1;
                self.answers += 1;
            }
            FromWorker::RequestFailed { message } => {
                self.preparing = None;
                self.notice = Some(message);
                self.answers += 1;
            }
            FromWorker::ModelFile(bytes) => {
                self.model_file = Some(std::rc::Rc::new(bytes));
                self.model_files += 1;
            }
            FromWorker::ModelLoaded { summary, val_accuracy } => {
                self.preparing = None;
                self.loaded_model = Some((summary, val_accuracy));
            }
            // A point for the step of the last one supersedes it (a fine-tuning run stopped
            // right after a point on a sample is measured again on all).
            FromWorker::Point(point) => match self.points.last_mut() {
                Some(last) if last.step == point.step => *last = point,
                _ => self.points.push(point),
            },
            FromWorker::Finished { stopped, confusion, predictions, .. } => {
                self.confusion = confusion;
                self.predictions = predictions;
                self.phase = Phase::Finished { stopped };
            }
            FromWorker::Failed { message } => {
                self.preparing = None;
                self.phase = Phase::Failed(message);
            }
            FromWorker::Preparing { stage, done, total } => self.preparing = Some((stage, done, total)),
        }
    }

    /// Fraction of the run done, 0..=1.
    pub fn fraction_done(&self) -> f64 {
        let (fold, folds) = self.fold;
        match (&self.phase, self.steps_so_far()) {
            (Phase::Finished { stopped: false }, _) => 1.0,
            (_, Some((done, total))) if total > 0 => done as f64 / total as f64,
            _ => fold as f64 / folds as f64,
        }
    }

    /// (Steps done, steps in the whole run) counted across folds — every fold has the latest
    /// step report's number of steps.
    fn steps_so_far(&self) -> Option<(usize, usize)> {
        let s = self.last_step.as_ref()?;
        let (fold, folds) = self.fold;
        Some((fold * s.total_steps + s.step, folds * s.total_steps))
    }

    /// Time left, from the time so far (the clock runs across folds) and the steps done.
    pub fn eta_ms(&self) -> Option<f64> {
        if !self.is_active() {
            return None;
        }
        let (done, total) = self.steps_so_far()?;
        eta_ms(self.last_step.as_ref()?.elapsed_ms, done, total)
    }

    /// Milliseconds per step so far (the clock runs across folds, so earlier folds' steps count).
    pub fn ms_per_step(&self) -> Option<f64> {
        let (done, _) = self.steps_so_far()?;
        let elapsed = self.last_step.as_ref()?.elapsed_ms;
        (done > 0).then(|| elapsed / done as f64)
    }

    /// Mean ± sd of (training, validation) accuracy over the finished folds.
    pub fn fold_summary(&self) -> Option<((f64, f64), (f64, f64))> {
        let train: Vec<f64> = self.folds.iter().map(|f| f.train_accuracy).collect();
        let val: Vec<f64> = self.folds.iter().map(|f| f.val_accuracy).collect();
        Some((crate::nn::metrics::mean_sd(&train)?, crate::nn::metrics::mean_sd(&val)?))
    }

    pub fn val_accuracy(&self) -> Option<f64> {
        self.points.last().map(|p| p.val_accuracy)
    }

    /// The best validation accuracy so far: of the points on the whole validation part when
    /// there are any (the best of noisy samples would run high), else of the samples.
    pub fn best_val_accuracy(&self) -> Option<f64> {
        best_of(&self.points)
    }

    /// A finished run on two-class data: its validation ROC (each fold's), from its
    /// predictions and its own classes (the confusion matrix's).
    pub fn roc(&self) -> Option<crate::nn::roc::RocSummary> {
        if !matches!(self.phase, Phase::Finished { .. }) {
            return None;
        }
        crate::nn::roc::RocSummary::from_predictions(&self.predictions, self.confusion.as_ref()?.num_classes)
    }
}

/// A finished run kept for comparison: its name and its curves.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparedRun {
    /// What distinguishes it (e.g. "with augmentation").
    pub label: Text,
    /// Its learning curves.
    pub points: Vec<CurvePoint>,
}

/// An ablation (比較実験): the same settings and seed run several times with one thing changed,
/// the curves drawn together. Runs go one after another in the one worker.
#[derive(Clone, Debug, PartialEq)]
pub struct Ablation {
    /// What is compared.
    pub kind: AblationKind,
    /// Runs still to start, in order.
    planned: Vec<(Text, TrainConfig)>,
    /// The label of the run in progress.
    current: Option<Text>,
    /// Finished runs.
    pub done: Vec<ComparedRun>,
}

/// What an [`Ablation`] compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AblationKind {
    /// With and without augmentation.
    Augmentation,
    /// A network from scratch against transfer learning (転移学習).
    Family,
}

impl Ablation {
    /// From scratch (`scratch`, a network on the images themselves) against transfer learning
    /// (`transfer`, a new head on the backbone — the head in `config` when it already is
    /// transfer learning, else a dense head), on the same data, split, seed, augmentation,
    /// optimizer and epochs: when does the pretrained network help?
    pub fn family(config: &TrainConfig, scratch: crate::nn::architecture::ModelSpec, transfer: crate::nn::experiment::Transfer) -> Self {
        let head = if config.transfer.is_some() { config.model.clone() } else { crate::nn::architecture::ModelSpec::transfer_head(None) };
        let from_scratch = TrainConfig { transfer: None, model: scratch, ..config.clone() };
        let pretrained = TrainConfig { transfer: Some(transfer), model: head, ..config.clone() };
        Ablation {
            kind: AblationKind::Family,
            planned: vec![
                (Text::new("ゼロから学習", "from scratch"), from_scratch),
                (
                    Text::new(
                        format!("転移学習（{} {}）", transfer.backbone.slug(), transfer.size),
                        format!("transfer learning ({} {})", transfer.backbone.slug(), transfer.size),
                    ),
                    pretrained,
                ),
            ],
            current: None,
            done: Vec::new(),
        }
    }

    /// With and without the augmentation pipeline `with`, everything else as in `config`.
    pub fn augmentation(config: &TrainConfig, with: &Pipeline) -> Self {
        let on = TrainConfig { augment: with.clone(), ..config.clone() };
        let off = TrainConfig { augment: Pipeline::default(), ..config.clone() };
        Ablation {
            kind: AblationKind::Augmentation,
            planned: vec![(Text::new("拡張あり", "with augmentation"), on), (Text::new("拡張なし", "without augmentation"), off)],
            current: None,
            done: Vec::new(),
        }
    }

    /// The next run's settings (and marks it as in progress), or `None` when all have run.
    pub fn start_next(&mut self) -> Option<TrainConfig> {
        if self.planned.is_empty() {
            return None;
        }
        let (label, config) = self.planned.remove(0);
        self.current = Some(label);
        Some(config)
    }

    /// Records the curves of the run in progress.
    pub fn finished(&mut self, points: Vec<CurvePoint>) {
        if let Some(label) = self.current.take() {
            self.done.push(ComparedRun { label, points });
        }
    }

    /// Drops the runs not yet started (the student stopped, or a run failed).
    pub fn cancel(&mut self) {
        self.planned.clear();
        self.current = None;
    }

    /// The label of the run in progress.
    pub fn current(&self) -> Option<&Text> {
        self.current.as_ref()
    }

    /// Whether every planned run has finished.
    pub fn is_complete(&self) -> bool {
        self.planned.is_empty() && self.current.is_none()
    }
}

/// A finished (or stopped) run, kept in the history with the settings that made it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    /// 1, 2, 3… in the order the runs were made.
    pub number: usize,
    /// The settings.
    pub config: TrainConfig,
    /// The learning curves (K-fold: the last fold's).
    pub points: Vec<CurvePoint>,
    /// Each fold's final accuracies (hold-out: one).
    pub folds: Vec<FoldResult>,
    /// Whether it was stopped before the end.
    pub stopped: bool,
}

impl RunRecord {
    /// The best validation accuracy on the curves.
    pub fn best_val_accuracy(&self) -> Option<f64> {
        best_of(&self.points)
    }

    /// The final validation accuracy: the mean over folds (hold-out: the one fold), else the
    /// curve's last point.
    pub fn final_val_accuracy(&self) -> Option<f64> {
        let val: Vec<f64> = self.folds.iter().map(|f| f.val_accuracy).collect();
        crate::nn::metrics::mean_sd(&val).map(|(m, _)| m).or_else(|| self.points.last().map(|p| p.val_accuracy))
    }
}

/// The best validation accuracy of `points`: of those on the whole validation part when there are
/// any, else of the samples ([`crate::nn::train::CURVE_SAMPLE`]).
fn best_of(points: &[CurvePoint]) -> Option<f64> {
    let full = points.iter().filter(|p| p.val_sample.is_none()).map(|p| p.val_accuracy).reduce(f64::max);
    full.or_else(|| points.iter().map(|p| p.val_accuracy).reduce(f64::max))
}

/// Every run of this visit, newest last, and which of them are drawn together.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// The runs (at most [`History::MAX`]; the oldest go first).
    pub runs: Vec<RunRecord>,
    /// Numbers of the runs whose curves are overlaid.
    pub selected: Vec<usize>,
    next: usize,
}

impl History {
    /// Runs kept.
    pub const MAX: usize = 50;
    /// Runs drawn at once (selecting another hides the earliest selected).
    pub const MAX_SELECTED: usize = 6;

    fn select(&mut self, number: usize) {
        self.selected.push(number);
        if self.selected.len() > Self::MAX_SELECTED {
            self.selected.remove(0);
        }
    }

    /// Records the run `state` made with `config` (nothing if it produced no curve), selects
    /// it, and returns its number.
    pub fn record(&mut self, config: &TrainConfig, state: &RunState) -> Option<usize> {
        if state.points.is_empty() && state.folds.is_empty() {
            return None;
        }
        self.next += 1;
        let number = self.next;
        self.runs.push(RunRecord {
            number,
            config: config.clone(),
            points: state.points.clone(),
            folds: state.folds.clone(),
            stopped: matches!(state.phase, Phase::Finished { stopped: true }),
        });
        if self.runs.len() > Self::MAX {
            let gone = self.runs.remove(0).number;
            self.selected.retain(|&n| n != gone);
        }
        self.select(number);
        Some(number)
    }

    /// Takes back run `number` if it is the newest and was stopped (it is being resumed and will
    /// be recorded whole, under the same number, when it ends), returning its settings.
    pub fn take_stopped(&mut self, number: usize) -> Option<TrainConfig> {
        let last = self.runs.last()?;
        if !last.stopped || last.number != number {
            return None;
        }
        let run = self.runs.pop()?;
        self.selected.retain(|&n| n != run.number);
        self.next -= 1;
        Some(run.config)
    }

    /// Draws or hides run `number`.
    pub fn toggle(&mut self, number: usize) {
        if let Some(at) = self.selected.iter().position(|&n| n == number) {
            self.selected.remove(at);
        } else if self.runs.iter().any(|r| r.number == number) {
            self.select(number);
        }
    }

    /// The runs to draw, in the order they were made.
    pub fn selected_runs(&self) -> impl Iterator<Item = &RunRecord> {
        self.runs.iter().filter(|r| self.selected.contains(&r.number))
    }

    /// The names of the settings that differ between the runs (what a sweep varied), so a table
    /// can show those columns first.
    pub fn varied_settings(&self) -> Vec<&'static str> {
        let Some(first) = self.runs.first() else { return Vec::new() };
        let mut out = Vec::new();
        let mut check = |name: &'static str, differs: bool| {
            if differs {
                out.push(name);
            }
        };
        let c0 = &first.config;
        let any = |f: &dyn Fn(&TrainConfig) -> bool| self.runs.iter().any(|r| f(&r.config));
        check("learning_rate", any(&|c| c.learning_rate != c0.learning_rate));
        check("epochs", any(&|c| c.epochs != c0.epochs));
        check("batch_size", any(&|c| c.batch_size != c0.batch_size));
        check("optimizer", any(&|c| c.optimizer != c0.optimizer));
        check("weight_decay", any(&|c| c.weight_decay != c0.weight_decay));
        check("model", any(&|c| c.model != c0.model || c.transfer != c0.transfer));
        check("augment", any(&|c| c.augment != c0.augment));
        check("validation", any(&|c| c.validation != c0.validation || c.validation_fraction != c0.validation_fraction));
        check("seed", any(&|c| c.seed != c0.seed));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(step: usize, total: usize, ms: f64) -> FromWorker {
        FromWorker::Step(StepReport {
            epoch: 1,
            epochs: 1,
            step,
            total_steps: total,
            loss: 1.0,
            accuracy: 0.5,
            elapsed_ms: ms,
            prepare_ms: 0.1,
            train_ms: 1.0,
        })
    }

    /// A point on all validation images; each accuracy at a step of its own (a point at the
    /// last one's step would replace it).
    fn point(acc: f64) -> FromWorker {
        FromWorker::Point(CurvePoint {
            epoch: 1.0,
            step: (acc * 1000.0) as usize,
            train_loss: 1.0,
            train_accuracy: acc,
            val_loss: 1.0,
            val_accuracy: acc,
            val_sample: None,
        })
    }

    fn started() -> FromWorker {
        started_on(Backend::Cpu, None)
    }

    fn started_on(backend: Backend, fallback_reason: Option<Text>) -> FromWorker {
        FromWorker::Started {
            backend,
            detail: "flex".into(),
            fallback_reason,
            train_size: 70,
            validation_size: 30,
            total_steps: 10,
            setup_ms: 5.0,
            features_ms: 0.0,
            fold: 0,
            folds: 1,
        }
    }

    /// Fine-tuning's points on a sample: a point for the same step replaces the last (a stopped
    /// run measured again on all), and the best accuracy is of the points on all.
    #[test]
    fn a_point_on_all_replaces_a_sampled_one_and_the_best_ignores_samples() {
        let mut s = RunState::default();
        let point = |step: usize, acc: f64, sample: Option<usize>| {
            FromWorker::Point(CurvePoint {
                epoch: step as f64,
                step,
                train_loss: 1.0,
                train_accuracy: 0.5,
                val_loss: 1.0,
                val_accuracy: acc,
                val_sample: sample,
            })
        };
        s.apply(point(1, 0.9, Some(500)));
        assert_eq!(s.best_val_accuracy(), Some(0.9), "only samples so far");
        s.apply(point(2, 0.95, Some(500)));
        s.apply(point(2, 0.8, None));
        assert_eq!(s.points.len(), 2);
        assert_eq!((s.val_accuracy(), s.best_val_accuracy()), (Some(0.8), Some(0.8)));
    }

    #[test]
    fn a_lost_gpu_run_continues_on_the_cpu_from_its_last_epoch_and_a_cpu_crash_fails() {
        let gpu = || started_on(Backend::WebGpu, None);
        let at = |step: usize, epoch: usize| {
            vec![
                FromWorker::Step(StepReport {
                    epoch,
                    epochs: 3,
                    step,
                    total_steps: 30,
                    loss: 1.0,
                    accuracy: 0.5,
                    elapsed_ms: step as f64,
                    prepare_ms: 0.1,
                    train_ms: 1.0,
                }),
                FromWorker::Point(CurvePoint {
                    epoch: step as f64 / 10.0,
                    step,
                    train_loss: 1.0,
                    train_accuracy: 0.5,
                    val_loss: 1.0,
                    val_accuracy: 0.5,
                    val_sample: None,
                }),
            ]
        };
        let checkpoint = |epochs_done: usize, model: Option<Vec<u8>>| Checkpoint {
            fold: 0,
            epochs_done,
            model,
            earlier_confusion: None,
            earlier_predictions: Vec::new(),
            elapsed_ms: 0.0,
        };
        let failed = Text::new("失敗：", "Failed: ");
        let mut s = RunState::starting();
        s.apply(gpu());
        s.apply(FromWorker::Checkpoint(checkpoint(0, None)));
        for m in (5..=20).step_by(5).flat_map(|k| at(k, 1 + (k - 1) / 10)) {
            s.apply(m);
        }
        s.apply(FromWorker::Checkpoint(checkpoint(1, Some(vec![1, 2, 3]))));
        assert!(s.device_lost(Text::new("クラッシュ", "crashed"), failed.clone()));
        // Epoch 2's points are redone on the CPU; epoch 1's stay.
        assert_eq!(s.points.iter().map(|p| p.step).collect::<Vec<_>>(), vec![5, 10]);
        assert_eq!(s.phase, Phase::Running);
        let (n, c, reason) = s.continuation.clone().unwrap();
        assert_eq!((n, c.epochs_done, c.model.clone()), (1, 1, Some(vec![1, 2, 3])));
        assert!(reason.en.contains("from the end of epoch 1") && reason.en.contains("crashed"), "{}", reason.en);
        assert!(reason.ja.contains("第 1 エポックの終わりから"));
        // The lost worker's own crash report, arriving after, changes nothing.
        assert!(s.device_lost(Text::new("もう一度", "again"), failed.clone()));
        assert_eq!(s.continuation.as_ref().unwrap().0, 1);
        assert_eq!(s.phase, Phase::Running);
        s.worker_replaced();
        // The continuing worker reports the CPU with that reason; the run goes on.
        s.apply(started_on(Backend::Cpu, Some(reason.clone())));
        assert_eq!((s.backend, s.fallback_reason.clone()), (Some(Backend::Cpu), Some(reason)));
        assert_eq!(s.points.len(), 2);
        // On the CPU there is nothing to fall back to: a crash is a failure.
        assert!(!s.device_lost(Text::new("クラッシュ", "crashed"), failed.clone()));
        assert_eq!(s.phase, Phase::Failed(Text::new("失敗：クラッシュ", "Failed: crashed")));
        // A GPU run without a checkpoint (lost while starting) fails too.
        let mut fresh = RunState::starting();
        fresh.apply(gpu());
        assert!(!fresh.device_lost(Text::new("x", "x"), failed));
        // The worker may survive the device: DeviceLost continues the same way.
        let mut s = RunState::starting();
        s.apply(gpu());
        s.apply(FromWorker::Checkpoint(checkpoint(0, None)));
        s.apply(FromWorker::DeviceLost { message: Text::new("デバイス", "device lost") });
        let (_, c, reason) = s.continuation.clone().unwrap();
        assert_eq!(c.epochs_done, 0);
        assert!(reason.en.contains("from the start"), "{}", reason.en);
        // Lost after a fold reported but before the next began: the fold is redone and its
        // result not counted twice; a Stop pressed before the loss still holds.
        let mut s = RunState::starting();
        s.apply(gpu());
        s.apply(FromWorker::Checkpoint(checkpoint(2, Some(vec![9]))));
        s.apply(FromWorker::FoldDone(FoldResult { fold: 0, train_accuracy: 0.9, val_accuracy: 0.8, val_loss: 0.5 }));
        s.stop_requested();
        assert!(s.device_lost(Text::new("x", "x"), Text::new("", "")));
        assert!(s.folds.is_empty());
        assert_eq!(s.phase, Phase::Stopping);
    }

    #[test]
    fn a_run_goes_from_starting_to_finished() {
        let mut s = RunState::starting();
        assert!(s.is_active());
        s.apply(started());
        assert_eq!(s.phase, Phase::Running);
        assert_eq!(s.sizes, Some((70, 30)));
        s.apply(step(5, 10, 1000.0));
        assert_eq!(s.fraction_done(), 0.5);
        assert_eq!(s.eta_ms(), Some(1000.0));
        s.apply(point(0.6));
        s.apply(point(0.9));
        s.apply(point(0.8));
        assert_eq!(s.val_accuracy(), Some(0.8));
        assert_eq!(s.best_val_accuracy(), Some(0.9));
        s.apply(FromWorker::Finished { stopped: false, confusion: None, predictions: vec![], elapsed_ms: 2000.0 });
        assert!(!s.is_active());
        assert_eq!(s.fraction_done(), 1.0);
        assert_eq!(s.eta_ms(), None);
    }

    #[test]
    fn k_fold_progress_spans_the_folds_and_summarises_them() {
        let mut s = RunState::starting();
        let started = |fold| FromWorker::Started {
            backend: Backend::Cpu,
            detail: String::new(),
            fallback_reason: None,
            fold,
            folds: 3,
            train_size: 20,
            validation_size: 10,
            total_steps: 10,
            setup_ms: 0.0,
            features_ms: 0.0,
        };
        s.apply(started(0));
        s.apply(step(5, 10, 500.0));
        assert!((s.fraction_done() - 1.0 / 6.0).abs() < 1e-12);
        assert!((s.eta_ms().unwrap() - 2500.0).abs() < 1e-6);
        assert_eq!(s.ms_per_step(), Some(100.0));
        s.apply(point(0.5));
        let done = |fold, t, v| FromWorker::FoldDone(FoldResult { fold, train_accuracy: t, val_accuracy: v, val_loss: 0.5 });
        s.apply(done(0, 1.0, 0.8));
        s.apply(started(1));
        assert!(s.points.is_empty(), "each fold has its own curves");
        assert!((s.fraction_done() - 1.0 / 3.0).abs() < 1e-12);
        s.apply(step(5, 10, 1500.0));
        assert_eq!(s.ms_per_step(), Some(100.0), "15 steps in 1.5 s across two folds");
        s.apply(done(1, 0.9, 0.9));
        s.apply(started(2));
        s.apply(done(2, 0.8, 1.0));
        let ((tm, _), (vm, vsd)) = s.fold_summary().unwrap();
        assert!((tm - 0.9).abs() < 1e-12 && (vm - 0.9).abs() < 1e-12);
        assert!((vsd - 0.081_649_658_092_772_6).abs() < 1e-12);
    }

    #[test]
    fn history_keeps_runs_with_their_settings_and_what_varied() {
        let mut h = History::default();
        let mut s = RunState::starting();
        s.apply(started());
        assert_eq!(h.record(&TrainConfig::default(), &s), None, "no curve, no record");
        s.apply(point(0.7));
        s.apply(point(0.9));
        s.apply(point(0.8));
        s.apply(FromWorker::FoldDone(FoldResult { fold: 0, train_accuracy: 0.95, val_accuracy: 0.85, val_loss: 0.4 }));
        s.apply(FromWorker::Finished { stopped: false, confusion: None, predictions: vec![], elapsed_ms: 1.0 });
        let a = h.record(&TrainConfig::default(), &s).unwrap();
        let b = h.record(&TrainConfig { learning_rate: 0.01, ..TrainConfig::default() }, &s).unwrap();
        assert_eq!((a, b), (1, 2));
        assert_eq!(h.runs[0].best_val_accuracy(), Some(0.9));
        assert_eq!(h.runs[0].final_val_accuracy(), Some(0.85));
        assert_eq!(h.varied_settings(), vec!["learning_rate"]);
        assert_eq!(h.selected_runs().count(), 2);
        h.toggle(1);
        assert_eq!(h.selected_runs().map(|r| r.number).collect::<Vec<_>>(), vec![2]);
        h.toggle(1);
        h.toggle(99);
        assert_eq!(h.selected, vec![2, 1]);
        for _ in 0..60 {
            h.record(&TrainConfig::default(), &s);
        }
        assert_eq!(h.runs.len(), History::MAX);
        assert_eq!(h.selected.len(), History::MAX_SELECTED);
        assert!(h.selected.iter().all(|n| h.runs.iter().any(|r| r.number == *n)));
    }

    #[test]
    fn stop_then_finish_is_a_stopped_run() {
        let mut s = RunState::starting();
        s.apply(started());
        s.stop_requested();
        assert_eq!(s.phase, Phase::Stopping);
        s.apply(FromWorker::Finished { stopped: true, confusion: None, predictions: vec![], elapsed_ms: 1.0 });
        assert_eq!(s.phase, Phase::Finished { stopped: true });
        s.resume();
        assert_eq!(s.phase, Phase::Running);
        let mut h = History::default();
        s.apply(point(0.5));
        s.phase = Phase::Finished { stopped: true };
        let n = h.record(&TrainConfig::default(), &s).unwrap();
        assert_eq!(h.take_stopped(n + 1), None, "only the run being resumed");
        assert_eq!(h.take_stopped(n), Some(TrainConfig::default()));
        assert!(h.runs.is_empty() && h.selected.is_empty());
        assert_eq!(h.take_stopped(n), None);
        assert_eq!(h.record(&TrainConfig::default(), &s), Some(1), "the resumed run keeps its number");
    }

    #[test]
    fn ablation_runs_with_then_without_augmentation() {
        let base = TrainConfig { seed: 9, ..TrainConfig::default() };
        let mut a = Ablation::augmentation(&base, &Pipeline::digits());
        let first = a.start_next().unwrap();
        assert_eq!(first.augment, Pipeline::digits());
        assert_eq!(first.seed, 9);
        assert_eq!(a.current().unwrap().en, "with augmentation");
        a.finished(vec![]);
        let second = a.start_next().unwrap();
        assert!(second.augment.is_identity());
        assert_eq!(TrainConfig { augment: Pipeline::default(), ..first }, second);
        assert!(!a.is_complete());
        a.finished(vec![]);
        assert!(a.is_complete());
        assert_eq!(a.start_next(), None);
        assert_eq!(a.done.len(), 2);
        // Stopping half way keeps what finished and plans nothing more.
        let mut b = Ablation::augmentation(&base, &Pipeline::digits());
        b.start_next();
        b.cancel();
        assert!(b.is_complete() && b.done.is_empty());
    }

    #[test]
    fn scratch_against_transfer_changes_only_the_network() {
        use crate::nn::architecture::ModelSpec;
        use crate::nn::experiment::Transfer;
        let base = TrainConfig { seed: 4, epochs: 7, augment: Pipeline::digits(), ..TrainConfig::default() };
        let t = Transfer { size: 128, ..Transfer::default() };
        let mut a = Ablation::family(&base, ModelSpec::small_cnn(), t);
        assert_eq!(a.kind, AblationKind::Family);
        let scratch = a.start_next().unwrap();
        assert_eq!(a.current().unwrap().en, "from scratch");
        assert_eq!(scratch, TrainConfig { model: ModelSpec::small_cnn(), ..base.clone() });
        a.finished(vec![]);
        let transfer = a.start_next().unwrap();
        assert_eq!(a.current().unwrap().ja, "転移学習（efficientnet-lite0 128）");
        assert_eq!(transfer, TrainConfig { model: ModelSpec::transfer_head(None), transfer: Some(t), ..base.clone() });
        // Already transfer learning: its own head is kept, and the scratch side has no backbone.
        let own = TrainConfig { model: ModelSpec::transfer_head(Some(32)), transfer: Some(t), ..base.clone() };
        let mut b = Ablation::family(&own, ModelSpec::default(), t);
        assert_eq!(b.start_next().unwrap().transfer, None);
        assert_eq!(b.start_next().unwrap().model, ModelSpec::transfer_head(Some(32)));
        assert!(b.start_next().is_none());
    }

    #[test]
    fn failures_end_the_run_with_a_message() {
        let mut s = RunState::starting();
        s.fail(Text::new("失敗", "failed"));
        assert!(!s.is_active());
        assert!(matches!(s.phase, Phase::Failed(_)));
        // Stop after a failure changes nothing.
        s.stop_requested();
        assert!(matches!(s.phase, Phase::Failed(_)));
    }
}
