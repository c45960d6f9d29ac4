//! The training lab between runs, as a pure reducer: the history of runs, a running ablation
//! (比較実験), the settings of the run in view, and what the finished runs measured on this
//! device. Each event returns what the page must do next ([`Command`]), so "a run ended: record
//! it, publish it, start the ablation's next run, or look inside the model" is decided in one
//! place and tested natively; the component dispatches and draws. The run itself is
//! [`RunState`]'s.

use crate::data::augment::Pipeline;
use crate::nn::architecture::ModelSpec;
use crate::nn::experiment::TrainConfig;
use crate::nn::schedule::Measured;
use crate::session::run_state::{Ablation, History, Phase, RunState};

/// What the page does after an event, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Start a run with these settings (then tell the lab [`TrainLab::started`]).
    Start(TrainConfig),
    /// A run finished whole: its numbers, for the comparison lab's table.
    Publish(RunSummary),
}

/// A finished run's numbers, as the comparison lab lists them.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    /// The run's settings (its model and backbone name it).
    pub config: TrainConfig,
    /// Building accuracy (K-fold: the mean over folds).
    pub train_accuracy: f64,
    /// Validation accuracy of each fold (hold-out: one).
    pub fold_val: Vec<f64>,
    /// Two-class data: the validation AUC of each fold that has one (empty otherwise).
    pub fold_auc: Vec<f64>,
    /// Training time, ms.
    pub ms: f64,
}

/// The data a run trained on, as far as the cost measurements need it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DataSize {
    /// Images.
    pub images: usize,
    /// Values per image (width × height × channels).
    pub pixels: usize,
}

/// The training lab's state between runs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrainLab {
    /// Every run of this visit.
    pub history: History,
    /// The ablation in progress or last finished (its table and curves are shown).
    pub ablation: Option<Ablation>,
    /// The settings of the run in progress, or of the last one (what the page reports, what a
    /// new worker continues).
    pub running: Option<TrainConfig>,
    /// The history number of the last recorded run (a stopped run is taken back on resume).
    pub last_recorded: Option<usize>,
    /// What finished runs cost on this device (the time estimate's measurements).
    pub measured: Measured,
}

impl TrainLab {
    /// 学習開始: one run with `config`; an ablation on screen gives way to it.
    pub fn train(&mut self, config: TrainConfig) -> Vec<Command> {
        self.ablation = None;
        vec![Command::Start(config)]
    }

    /// 比較実験: with and without `pipeline`, else as `config`.
    pub fn ablation_augmentation(&mut self, config: &TrainConfig, pipeline: &Pipeline) -> Vec<Command> {
        self.begin(Ablation::augmentation(config, pipeline))
    }

    /// 比較実験：ゼロから・転移学習, on `config` (with the augmentation the run will use): the
    /// network being edited from scratch, or the default CNN when the editor holds a transfer
    /// head, against transfer learning with `config`'s backbone (or the default one).
    pub fn ablation_family(&mut self, config: &TrainConfig) -> Vec<Command> {
        let scratch = if config.transfer.is_none() { config.model.clone() } else { ModelSpec::default() };
        self.begin(Ablation::family(config, scratch, config.transfer.unwrap_or_default()))
    }

    fn begin(&mut self, mut ablation: Ablation) -> Vec<Command> {
        let first = ablation.start_next();
        self.ablation = Some(ablation);
        first.map(Command::Start).into_iter().collect()
    }

    /// A run starts with `config`: it is the one in view from now on.
    pub fn started(&mut self, config: &TrainConfig) {
        self.running = Some(config.clone());
        self.last_recorded = None;
    }

    /// The run's phase changed to `state.phase` (call once per change; `data`: the data it
    /// trained on). When it ends, finished or stopped, it joins the history; finished whole, it
    /// is published and its cost measured; an ablation records its curves and starts its next
    /// run, or is dropped when a run stops or fails.
    pub fn phase_changed(&mut self, state: &RunState, data: DataSize) -> Vec<Command> {
        let mut out = Vec::new();
        match &state.phase {
            Phase::Finished { stopped } => {
                if let Some(config) = self.running.clone() {
                    if !stopped {
                        self.measure(&config, state, data);
                    }
                    if let Some(number) = self.history.record(&config, state) {
                        self.last_recorded = Some(number);
                        if !stopped && !state.folds.is_empty() {
                            out.push(Command::Publish(summary(config, state)));
                        }
                    }
                }
                if let Some(a) = self.ablation.as_mut().filter(|a| a.current().is_some()) {
                    if *stopped {
                        a.cancel();
                    } else {
                        a.finished(state.points.clone());
                        out.extend(a.start_next().map(Command::Start));
                    }
                }
            }
            Phase::Failed(_) => {
                if let Some(a) = self.ablation.as_mut().filter(|a| a.current().is_some()) {
                    a.cancel();
                }
            }
            Phase::Idle | Phase::Starting | Phase::Running | Phase::Stopping => {}
        }
        out
    }

    /// What the finished run cost per image, by what it trained.
    fn measure(&mut self, config: &TrainConfig, state: &RunState, data: DataSize) {
        let Some(ms) = state.ms_per_step() else { return };
        if data.pixels == 0 {
            return;
        }
        let per_image = ms / config.batch_size.max(1) as f64;
        match config.transfer {
            None => self.measured.pixels = Some((per_image, data.pixels)),
            Some(t) => {
                self.measured.head = Some((per_image, t.size, t.unfrozen()));
                if let Some(features) = state.features_ms {
                    let versions = (data.images * t.versions(&config.augment)).max(1);
                    self.measured.features = Some((features / versions as f64, t.size));
                }
            }
        }
    }

    /// Whether the model of a finished run may be looked inside: not while an ablation runs (its
    /// next run replaces the models, and the answer would be an error).
    pub fn may_inspect(&self) -> bool {
        self.ablation.as_ref().is_none_or(|a| a.current().is_none())
    }

    /// 再開: the stopped run leaves the history; it is recorded whole, under the same number,
    /// when it ends.
    pub fn resume(&mut self) {
        if let Some(number) = self.last_recorded.take() {
            self.history.take_stopped(number);
        }
    }

    /// Draws or hides run `number` of the history (the ablation's own view gives way).
    pub fn toggle(&mut self, number: usize) {
        self.ablation = None;
        self.history.toggle(number);
    }
}

fn summary(config: TrainConfig, state: &RunState) -> RunSummary {
    let n = state.folds.len().max(1) as f64;
    RunSummary {
        config,
        train_accuracy: state.folds.iter().map(|f| f.train_accuracy).sum::<f64>() / n,
        fold_val: state.folds.iter().map(|f| f.val_accuracy).collect(),
        fold_auc: state.roc().map(|r| r.aucs()).unwrap_or_default(),
        ms: state.last_step.as_ref().map_or(0.0, |s| s.elapsed_ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Text;
    use crate::nn::experiment::Transfer;
    use crate::session::protocol::{Backend, CurvePoint, FoldResult, FromWorker, StepReport};

    const DATA: DataSize = DataSize { images: 100, pixels: 28 * 28 };

    /// A run of `config`'s kind that went 10 steps of 4 ms and ended with validation `acc`.
    fn run(acc: f64, stopped: bool, features_ms: f64) -> RunState {
        let mut s = RunState::starting();
        s.apply(FromWorker::Started {
            backend: Backend::Cpu,
            detail: String::new(),
            fallback_reason: None,
            train_size: 70,
            validation_size: 30,
            total_steps: 10,
            setup_ms: features_ms + 5.0,
            features_ms,
            fold: 0,
            folds: 1,
        });
        s.apply(FromWorker::Step(StepReport {
            epoch: 1,
            epochs: 1,
            step: 10,
            total_steps: 10,
            loss: 1.0,
            accuracy: acc,
            elapsed_ms: 40.0,
            prepare_ms: 0.0,
            train_ms: 4.0,
        }));
        s.apply(FromWorker::Point(CurvePoint {
            epoch: 1.0,
            step: 10,
            train_loss: 1.0,
            train_accuracy: acc,
            val_loss: 1.0,
            val_accuracy: acc,
            val_sample: None,
        }));
        if !stopped {
            s.apply(FromWorker::FoldDone(FoldResult { fold: 0, train_accuracy: acc, val_accuracy: acc, val_loss: 1.0 }));
        }
        s.apply(FromWorker::Finished { stopped, confusion: None, predictions: Vec::new(), elapsed_ms: 40.0 });
        s
    }

    fn starts(commands: &[Command]) -> Vec<&TrainConfig> {
        commands.iter().filter_map(|c| if let Command::Start(c) = c { Some(c) } else { None }).collect()
    }

    /// The page's loop: each Start is started (as `start_run` does) and then runs to `acc`.
    fn start_all(lab: &mut TrainLab, commands: Vec<Command>, accs: &mut impl Iterator<Item = f64>) -> Vec<Command> {
        let mut all = Vec::new();
        let mut queue = commands;
        while let Some(next) = starts(&queue).first().map(|c| (*c).clone()) {
            all.extend(queue.iter().filter(|c| !matches!(c, Command::Start(_))).cloned());
            lab.started(&next);
            assert!(lab.running.as_ref() == Some(&next));
            queue = lab.phase_changed(&run(accs.next().unwrap(), false, 0.0), DATA);
        }
        all.extend(queue);
        all
    }

    #[test]
    fn a_run_is_recorded_published_and_measured_once_it_ends() {
        let mut lab = TrainLab::default();
        let config = TrainConfig::default();
        let out = lab.train(config.clone());
        assert_eq!(out, vec![Command::Start(config.clone())]);
        lab.started(&config);
        // Nothing happens while it runs.
        assert!(lab.phase_changed(&RunState::starting(), DATA).is_empty());
        assert!(lab.history.runs.is_empty());
        let out = lab.phase_changed(&run(0.9, false, 0.0), DATA);
        let Some(Command::Publish(summary)) = out.first() else { panic!("{out:?}") };
        assert_eq!((summary.train_accuracy, summary.fold_val.clone(), summary.ms), (0.9, vec![0.9], 40.0));
        assert_eq!(out.len(), 1);
        assert_eq!(lab.history.runs.len(), 1);
        assert_eq!(lab.last_recorded, Some(1));
        // 4 ms a step of the default mini-batch, per image, at 28×28.
        assert_eq!(lab.measured.pixels, Some((4.0 / config.batch_size as f64, 28 * 28)));
        assert!(lab.may_inspect());
    }

    #[test]
    fn a_stopped_run_is_recorded_but_not_published_and_resume_takes_it_back() {
        let mut lab = TrainLab::default();
        let config = TrainConfig::default();
        lab.started(&config);
        assert!(lab.phase_changed(&run(0.5, true, 0.0), DATA).is_empty());
        assert_eq!(lab.history.runs.len(), 1);
        assert_eq!(lab.measured, Measured::default(), "a stopped run's speed is not measured");
        lab.resume();
        assert!(lab.history.runs.is_empty(), "resumed: recorded again, whole, when it ends");
        assert_eq!(lab.phase_changed(&run(0.8, false, 0.0), DATA).len(), 1);
        assert_eq!(lab.history.runs[0].number, 1);
    }

    #[test]
    fn an_ablation_starts_its_next_run_when_one_ends_and_is_not_inspected_meanwhile() {
        let mut lab = TrainLab::default();
        let base = TrainConfig::default();
        let first = lab.ablation_family(&base);
        assert_eq!(starts(&first).len(), 1);
        assert!(starts(&first)[0].transfer.is_none(), "from scratch first");
        lab.started(starts(&first)[0]);
        assert!(!lab.may_inspect(), "the ablation's first run is going");
        let out = lab.phase_changed(&run(0.6, false, 0.0), DATA);
        // Published, then the transfer run starts; the finished run's models are about to go.
        assert!(matches!(out[0], Command::Publish(_)));
        let next = starts(&out);
        assert_eq!(next.len(), 1);
        assert!(next[0].transfer.is_some());
        assert!(!lab.may_inspect(), "not inspected: the next run has started");
        lab.started(next[0]);
        let out = lab.phase_changed(&run(1.0, false, 300.0), DATA);
        assert!(starts(&out).is_empty());
        assert!(lab.may_inspect(), "the ablation is over: its last run may be inspected");
        let a = lab.ablation.as_ref().unwrap();
        assert!(a.is_complete());
        assert_eq!(
            a.done.iter().map(|r| r.label.get(crate::Lang::En).to_owned()).collect::<Vec<_>>(),
            ["from scratch", "transfer learning (efficientnet-lite0 160)"]
        );
        assert_eq!(lab.history.runs.len(), 2);
        // The transfer run measured its features per image version and its head.
        let t = Transfer::default();
        assert_eq!(lab.measured.features, Some((3.0, t.size)));
        assert_eq!(lab.measured.head, Some((4.0 / base.batch_size as f64, t.size, 0)));
        // Both runs are the same data, split and seed: only the network and the backbone differ.
        let (a, b) = (&lab.history.runs[0].config, &lab.history.runs[1].config);
        assert_eq!((a.seed, a.validation, a.epochs), (b.seed, b.validation, b.epochs));
    }

    #[test]
    fn an_ablation_stops_with_a_stopped_or_failed_run_and_gives_way_to_a_plain_run() {
        let mut lab = TrainLab::default();
        let mut accs = [0.7, 0.8].into_iter();
        let pipeline = Pipeline::default();
        let out = lab.ablation_augmentation(&TrainConfig::default(), &pipeline);
        let mut out = out;
        // Stopped in the first run: nothing more starts.
        lab.started(starts(&out)[0]);
        out = lab.phase_changed(&run(0.5, true, 0.0), DATA);
        assert!(starts(&out).is_empty());
        assert!(lab.may_inspect());
        // Failed: likewise.
        let out = lab.ablation_augmentation(&TrainConfig::default(), &pipeline);
        lab.started(starts(&out)[0]);
        let mut failed = RunState::starting();
        failed.fail(Text::new("x", "x"));
        assert!(lab.phase_changed(&failed, DATA).is_empty());
        assert!(lab.may_inspect());
        // A whole ablation, then 学習開始: the ablation's view is dropped.
        let out = lab.ablation_augmentation(&TrainConfig::default(), &pipeline);
        let rest = start_all(&mut lab, out, &mut accs);
        assert_eq!(rest.iter().filter(|c| matches!(c, Command::Publish(_))).count(), 2);
        assert!(lab.ablation.as_ref().is_some_and(|a| a.done.len() == 2));
        lab.train(TrainConfig::default());
        assert!(lab.ablation.is_none());
    }
}
