//! 学習 — the training lab: settings, train/stop, progress with ETA, learning curves, confusion
//! matrix. The lab between runs is `imagelab_core::session::train_lab::TrainLab` and the run's state
//! `imagelab_core::session::run_state::RunState` (both tested natively); the run and its worker are
//! `crate::labs::run`; this component draws them and joins them (`use_lab_effects`).

use imagelab_core::nn::architecture::InputShape;

use crate::assets::DataState;
use crate::chart::Curves;
use crate::labs::family::Family;
use crate::labs::live::LivePredict;
use crate::labs::model_editor::ModelEditor;
use crate::labs::model_files::ModelFiles;
use crate::labs::results::{cell_images, class_name, class_table, confusion_table, fold_table, inspection_view, mistakes, roc_view, thumb};
use crate::labs::run::{RunHandle, use_run};
use crate::labs::submission::Submission;
use crate::settings::{ConfigHandle, SettingsHandle};
use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::data::augment::Pipeline;
use imagelab_core::data::dataset::Dataset;
use imagelab_core::i18n::Text;
use imagelab_core::nn::architecture::{ModelSpec, Shape};
use imagelab_core::nn::experiment::{Optimizer, TrainConfig, Transfer, Validation};
use imagelab_core::nn::progress::format_duration;
use imagelab_core::nn::schedule;
use imagelab_core::session::protocol::CurvePoint;
use imagelab_core::session::protocol::{Backend, DevicePreference, Preparation, ToWorker};
use imagelab_core::session::run_state::{AblationKind, History, Phase, RunState};
use imagelab_core::session::settings::SettingsAction;
use imagelab_core::session::train_lab::{self, Command, DataSize};
use std::rc::Rc;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The built-in digits (loaded once by the page, shared with the augmentation lab).
    pub data: DataState,
    /// The shared settings (held by the page, which a link sets): the form's settings, the
    /// augmentation lab's pipeline and whether runs train with it.
    pub settings: SettingsHandle,
    /// The data's name (the built-in digits or a dataset of the data lab).
    pub data_name: String,
    /// Told every run that ends (not stopped), for the comparison lab's table.
    #[prop_or_default]
    pub on_result: Callback<crate::labs::NnResult>,
    /// The share lab's link to this experiment, for the report.
    #[prop_or_default]
    pub link: String,
    /// Why the data is not ready yet (a dataset being prepared), or why it failed (`true`).
    #[prop_or_default]
    pub data_status: Option<(Text, bool)>,
    /// The data lab's saved datasets (id, name), for the switcher.
    #[prop_or_default]
    pub datasets: Vec<(String, String)>,
    /// The id of the dataset in use (`None`: the built-in digits).
    #[prop_or_default]
    pub chosen: Option<String>,
    /// The switcher: "" = the built-in digits, else a dataset's id.
    #[prop_or_default]
    pub on_pick: Callback<String>,
    /// The page was opened with an experiment link: its settings win over the first proposal.
    #[prop_or_default]
    pub from_link: bool,
}

/// An event of the lab between runs ([`train_lab::TrainLab`]'s methods).
enum LabEvent {
    Train(TrainConfig),
    AblationAugmentation(TrainConfig, Pipeline),
    AblationFamily(TrainConfig),
    Started(TrainConfig),
    PhaseChanged(Box<RunState>, DataSize),
    Resume,
    Toggle(usize),
}

/// [`train_lab::TrainLab`] for Yew: the state after the latest event and what that event asked for
/// (`outbox`), numbered (`serial`) so that the page carries each batch out once.
#[derive(Default, PartialEq)]
struct Lab {
    lab: train_lab::TrainLab,
    outbox: Rc<Vec<Command>>,
    serial: u32,
}

impl Reducible for Lab {
    type Action = LabEvent;
    fn reduce(self: Rc<Self>, event: LabEvent) -> Rc<Self> {
        let mut lab = self.lab.clone();
        let out = match event {
            LabEvent::Train(config) => lab.train(config),
            LabEvent::AblationAugmentation(config, pipeline) => lab.ablation_augmentation(&config, &pipeline),
            LabEvent::AblationFamily(config) => lab.ablation_family(&config),
            LabEvent::Started(config) => {
                lab.started(&config);
                Vec::new()
            }
            LabEvent::PhaseChanged(state, size) => lab.phase_changed(&state, size),
            LabEvent::Resume => {
                lab.resume();
                Vec::new()
            }
            LabEvent::Toggle(number) => {
                lab.toggle(number);
                Vec::new()
            }
        };
        if out.is_empty() {
            return Rc::new(Lab { lab, outbox: self.outbox.clone(), serial: self.serial });
        }
        Rc::new(Lab { lab, outbox: Rc::new(out), serial: self.serial.wrapping_add(1) })
    }
}

#[function_component(TrainLab)]
pub fn train_lab(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let data = &props.data;
    let config = ConfigHandle(props.settings.clone());
    let use_augment = props.settings.use_augment;
    // The lab between runs (history, ablation, the run in view, what runs cost here): the core's
    // reducer; what its events ask for next runs in the effect on `lab.serial` below.
    let lab = use_reducer(Lab::default);
    // The confusion-matrix cell whose images are shown.
    let cell = use_state(|| None::<(usize, usize)>);
    let device = use_state(DevicePreference::default);
    // The run in view and its worker.
    let run = use_run(data, lab.lab.running.clone());
    // What the results are drawn from: the run's own data, else the current data.
    let shown = run.shown(data);
    // The validation image (position in the run's predictions) shown inside the network.
    let inspect_pos = use_inspection(&run, &shown, lab.lab.may_inspect());
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(data.clone(), move |data| {
            if let (DataState::Ready(d), Some(c)) = (data, canvas.cast::<HtmlCanvasElement>()) {
                draw_samples(&c, d);
            }
        });
    }

    use_fitting_settings(props, lab.lab.measured);
    // The settings a run will use: the form's, with the augmentation if ticked (the lab's config
    // holds none until a run starts). The estimate counts it; the runs start with it.
    let will_run = {
        let settings = props.settings.clone();
        move || settings.run_config()
    };
    use_lab_effects(&lab, &run, props, *device, &inspect_pos);
    let on_train = {
        let (lab, will_run) = (lab.clone(), will_run.clone());
        Callback::from(move |_: MouseEvent| lab.dispatch(LabEvent::Train(will_run())))
    };
    let on_ablation = {
        let (config, pipeline, lab, run) = (config.clone(), props.settings.pipeline.clone(), lab.clone(), run.clone());
        Callback::from(move |_: MouseEvent| {
            if pipeline.is_identity() {
                run.fail(text::ABLATION_NEEDS_PIPELINE.into());
                return;
            }
            lab.dispatch(LabEvent::AblationAugmentation((*config).clone(), pipeline.clone()));
        })
    };
    let on_family_ablation = {
        let (lab, will_run) = (lab.clone(), will_run.clone());
        Callback::from(move |_: MouseEvent| lab.dispatch(LabEvent::AblationFamily(will_run())))
    };
    let on_resume = {
        let (run, lab) = (run.clone(), lab.clone());
        Callback::from(move |_: MouseEvent| run.resume(|| lab.dispatch(LabEvent::Resume)))
    };
    let on_frame = {
        let run = run.clone();
        Callback::from(move |pixels: Vec<u8>| run.tell(ToWorker::Predict { pixels }))
    };
    // Loads model-file bytes into the worker (from a file or from the browser's storage).
    let load_bytes = {
        let (run, data, config) = (run.clone(), data.clone(), config.clone());
        Callback::from(move |bytes: Vec<u8>| {
            if let DataState::Ready(d) = &data {
                run.load(bytes, d, (*config).clone());
            }
        })
    };
    let has_model = matches!(run.phase, Phase::Finished { .. }) || run.loaded_model.is_some();
    let submission = html! {
        <Submission lang={l} data={data.clone()} has_model={has_model} running={run.is_active()}
                    answer={run.predicted_all.clone()} answer_count={run.predicted_all_count}
                    side_answers={run.answers} send={run.sender()} />
    };
    // The report: one self-contained HTML file of the finished run.
    let on_report = {
        let (run, data, running, link, data_name) =
            (run.clone(), data.clone(), lab.lab.running.clone(), props.link.clone(), props.data_name.clone());
        Callback::from(move |_: MouseEvent| {
            // The settings of the run the page shows, not the form's current values.
            if let (DataState::Ready(d), Some(c)) = (run.shown(&data), running.as_ref()) {
                crate::labs::report::download(l, &run, c, &d, &data_name, &link);
            }
        })
    };
    let on_stop = {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| run.stop())
    };

    let state: &RunState = &run;
    let active = state.is_active();
    let ready = matches!(data, DataState::Ready(_));
    let on_use_augment = {
        let settings = props.settings.dispatcher();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            settings.dispatch(SettingsAction::UseAugment(input.checked()));
        })
    };
    let ablation_label = lab.lab.ablation.as_ref().and_then(|a| a.current().map(|t| t.get(l).to_owned()));
    let on_cell = {
        let cell = cell.clone();
        Callback::from(move |c: (usize, usize)| cell.set(if *cell == Some(c) { None } else { Some(c) }))
    };
    let step_inspect = |delta: isize| {
        let (inspect_pos, n) = (inspect_pos.clone(), run.predictions.len());
        Callback::from(move |_: MouseEvent| {
            if n > 0 {
                inspect_pos.set(((*inspect_pos % n) as isize + delta).rem_euclid(n as isize) as usize);
            }
        })
    };
    let on_inspect_mistake = {
        let (inspect_pos, predictions) = (inspect_pos.clone(), run.predictions.clone());
        Callback::from(move |index: usize| {
            if let Some(pos) = predictions.iter().position(|p| p.index == index) {
                inspect_pos.set(pos);
            }
        })
    };
    let on_toggle_run = {
        let lab = lab.clone();
        // Choosing runs by hand ends the ablation view.
        Callback::from(move |number: usize| lab.dispatch(LabEvent::Toggle(number)))
    };
    let steps = props.settings.pipeline.steps.len();
    let names: Vec<String> = match &shown {
        DataState::Ready(d) => d.class_names.clone(),
        _ => Vec::new(),
    };
    // The advice after a run that learned nothing useful.
    let advice = advice(state, &shown, lab.lab.running.as_ref());

    html! {
        <section class="lab train" aria-labelledby="train-heading">
            <h2 id="train-heading">{ t(text::TRAIN_HEADING) }</h2>
            { data_head(props, active) }
            // A long page after a run: buttons that jump to its parts (not links: the hash
            // names the lab).
            <div class="jump" role="group" aria-label={t(text::JUMP_LABEL)}>
                { for [("train-settings", text::JUMP_SETTINGS), ("train-results", text::JUMP_RESULTS), ("live-heading", text::JUMP_LIVE)]
                    .into_iter().map(|(id, label)| html! {
                        <button class="jump-to" onclick={Callback::from(move |_: MouseEvent| scroll_to(id))}>{ t(label) }</button>
                    }) }
            </div>
            <details class="intro-more">
                <summary>{ t(text::TRAIN_INTRO_SUMMARY) }</summary>
                <p class="intro">{ t(text::TRAIN_INTRO) }</p>
            </details>
            <canvas ref={canvas} class="samples" role="img"
                    aria-label={t(text::SAMPLES_LABEL)} hidden={!ready}></canvas>

            if let DataState::Ready(d) = data {
                { proposal_line(l, &config, &proposal_for(&props.settings, d, &lab.lab.measured), active) }
            }
            <div id="train-settings"></div>
            { settings_form(l, &config, &device, active) }
            <Family lang={l} settings={props.settings.clone()} active={active} data={data.clone()} />
            { model_editor(l, &config, data, active) }
            <div class="field checkbox">
                <label for="use-augment">
                    <input id="use-augment" type="checkbox" checked={use_augment} onchange={on_use_augment} disabled={active} />
                    { t(text::USE_AUGMENT) }
                    { format!(" — {steps} {}", t(text::AUGMENT_STEPS)) }
                </label>
            </div>

            <div class="actions">
                <button id="train-button" class="primary" onclick={on_train} disabled={active || !ready}>
                    { t(text::TRAIN) }
                </button>
                <button id="ablation-button" onclick={on_ablation} disabled={active || !ready}>
                    { t(text::ABLATION) }
                </button>
                <button id="family-ablation-button" onclick={on_family_ablation} disabled={active || !ready}>
                    { t(text::ABLATION_FAMILY) }
                </button>
                if state.phase == (Phase::Finished { stopped: true }) {
                    <button id="resume-button" onclick={on_resume}>{ t(text::RESUME) }</button>
                }
                <button id="stop-button" onclick={on_stop} disabled={!active || state.phase == Phase::Stopping}>
                    { if state.phase == Phase::Stopping { t(text::STOPPING) } else { t(text::STOP) } }
                </button>
            </div>

            if let Some(label) = &ablation_label {
                <p id="ablation-current" role="status">{ format!("{}: {label}", t(text::ABLATION_RUNNING)) }</p>
            }
            <div id="train-results"></div>
            { status_panel(l, state) }
            if let Some(a) = &advice {
                <p id="advice" class="advice" role="status">{ a.get(l).to_owned() }</p>
            }
            <ModelFiles lang={l} can_save={matches!(state.phase, Phase::Finished { .. })} can_load={!active}
                        can_load_saved={!active && matches!(data, DataState::Ready(_))}
                        can_report={matches!(state.phase, Phase::Finished { stopped: false })} on_report={on_report}
                        file={state.model_file.clone()} files={state.model_files} data_name={props.data_name.clone()}
                        accuracy={state.val_accuracy().unwrap_or(0.0)} send={run.sender()} load={load_bytes}
                        on_fail={{ let run = run.clone(); Callback::from(move |t: Text| run.fail(t)) }} />
            { submission }
            if let Some(notice) = &state.notice {
                <p id="notice" class="error" role="alert">{ notice.get(l).to_owned() }</p>
            }
            if let Some((summary, acc)) = &state.loaded_model {
                <p id="model-loaded" data-value={format!("{acc:.4}")} role="status">
                    { format!("{}: {} — {}: {:.1}%", t(text::MODEL_LOADED), summary.get(l), t(text::VAL_ACC), acc * 100.0) }
                </p>
            }
            { compared_runs(l, &lab.lab, state, on_toggle_run) }
            { fold_table(l, state) }
            <div class="evaluation">
                { confusion_table(l, state, &names, *cell, on_cell) }
                { class_table(l, state, &names) }
            </div>
            { roc_view(l, state, &names) }
            { cell_images(l, state, &shown, *cell) }
            { mistakes(l, state, &shown, on_inspect_mistake) }
            { inspection_view(l, state, &shown, step_inspect(-1), step_inspect(1)) }
            if let DataState::Ready(d) = &shown {
                <LivePredict lang={l} class_names={d.class_names.clone()} input={(d.channels, d.height, d.width)}
                             probabilities={state.live.clone()} count={state.live_count} answers={state.answers}
                             ready={matches!(state.phase, Phase::Finished { .. }) || state.loaded_model.is_some()}
                             on_frame={on_frame} />
            }
        </section>
    }
}

/// The lab and the run, joined: what the lab's latest event asked for is carried out once
/// (start a run on `device`, tell the comparison lab), and a run that ends (or fails) is the
/// lab's event (record, publish, measure, go on).
#[hook]
fn use_lab_effects(
    lab: &UseReducerHandle<Lab>,
    run: &RunHandle,
    props: &Props,
    device: DevicePreference,
    inspect_pos: &UseStateHandle<usize>,
) {
    {
        // What the lab's latest event asked for, once: start a run, tell the comparison lab.
        let (commands, on_result, run, lab, inspect_pos) =
            (lab.outbox.clone(), props.on_result.clone(), run.clone(), lab.clone(), inspect_pos.clone());
        let (data, data_name) = (props.data.clone(), props.data_name.clone());
        use_effect_with(lab.serial, move |_| {
            for command in commands.iter() {
                match command {
                    Command::Start(config) => {
                        inspect_pos.set(0);
                        // (An ablation's next run when other data is still being prepared: a
                        // failure, which ends the ablation, rather than nothing, which would
                        // leave it waiting.)
                        match &data {
                            DataState::Ready(d) => {
                                let lab = lab.clone();
                                run.start(config.clone(), d, &data_name, device, || lab.dispatch(LabEvent::Started(config.clone())));
                            }
                            _ => run.fail(text::TRAIN_NO_DATA.into()),
                        }
                    }
                    Command::Publish(s) => {
                        let (data, input) = run.data_name();
                        on_result.emit(crate::labs::NnResult {
                            model: model_text(&s.config.model, s.config.transfer),
                            data,
                            input,
                            train_accuracy: s.train_accuracy,
                            fold_val: s.fold_val.clone(),
                            fold_auc: s.fold_auc.clone(),
                            ms: s.ms,
                        });
                    }
                }
            }
        });
    }
    {
        // A run that ends (or fails) is the lab's event: record, publish, measure, go on.
        let (lab, state, run_data) = (lab.clone(), RunState::clone(run), run.data());
        use_effect_with(run.phase.clone(), move |phase| {
            if matches!(phase, Phase::Finished { .. } | Phase::Failed(_)) {
                let size = run_data.map_or(DataSize::default(), |d| DataSize { images: d.len(), pixels: d.width * d.height * d.channels });
                lab.dispatch(LabEvent::PhaseChanged(Box::new(state), size));
            }
        });
    }
}

/// The validation image looked into (a position in the run's predictions, which the lab moves):
/// after a run, and when another image is chosen, the worker is asked to look inside it; not
/// while an ablation goes on (`may`, `TrainLab::may_inspect`): the next run replaces the models,
/// and the answer would be an error shown all through that run and after it.
#[hook]
fn use_inspection(run: &RunHandle, shown: &DataState, may: bool) -> UseStateHandle<usize> {
    let pos = use_state(|| 0usize);
    let (run, data) = (run.clone(), shown.clone());
    let finished = matches!(run.phase, Phase::Finished { .. });
    let n = run.predictions.len();
    let target = (n > 0).then(|| run.predictions[*pos % n]).map(|p| (p.index, p.fold));
    use_effect_with((finished, target, may), move |(finished, target, may)| {
        if let (true, Some((index, fold)), DataState::Ready(d), true) = (*finished, *target, &data, *may) {
            run.tell(ToWorker::Inspect { index, fold, pixels: d.image(index).to_vec() });
        }
    });
    pos
}

/// The proposed mini-batch and epochs for the data, with a button that applies them when the
/// form differs.
fn proposal_line(l: Lang, config: &ConfigHandle, p: &schedule::Proposal, active: bool) -> Html {
    let on_apply = {
        let (config, p) = (config.clone(), p.clone());
        Callback::from(move |_: MouseEvent| config.set(p.apply(&config)))
    };
    html! {
        <p id="proposal" class="proposal" role="status">
            { format!("{}: {}", text::PROPOSAL_NOTE.get(l), p.sentence().get(l)) }
            if (p.batch_size, p.epochs) != (config.batch_size, config.epochs) {
                { " " }
                <button id="proposal-apply" onclick={on_apply} disabled={active}>{ text::PROPOSAL_APPLY.get(l) }</button>
            }
        </p>
    }
}

/// The network's editor: for transfer learning, the head on the backbone's features.
fn model_editor(l: Lang, config: &ConfigHandle, data: &DataState, active: bool) -> Html {
    let (input, classes) = match (data, config.transfer) {
        (_, Some(t)) => (InputShape { channels: t.backbone.features(), height: 1, width: 1 }, data_classes(data)),
        (DataState::Ready(d), None) => (InputShape { channels: d.channels, height: d.height, width: d.width }, d.num_classes()),
        _ => (InputShape { channels: 1, height: 28, width: 28 }, 10),
    };
    let on_change = {
        let config = config.clone();
        Callback::from(move |model: ModelSpec| config.set(TrainConfig { model, ..(*config).clone() }))
    };
    html! {
        <ModelEditor lang={l} spec={config.model.clone()} input={Shape::Image(input)} {classes}
                     code={config.transfer.map(|tr| imagelab_core::nn::lite0::transfer_code(&config.model, &tr, classes))}
                     disabled={active} {on_change} />
    }
}

/// The number of classes of the data (10, the digits', before any is ready).
fn data_classes(data: &DataState) -> usize {
    match data {
        DataState::Ready(d) => d.num_classes(),
        _ => 10,
    }
}

/// The runs drawn together: an ablation's when one has finished (with its table), otherwise
/// those chosen in the history, with the run in progress; then the history itself.
fn compared_runs(l: Lang, lab: &train_lab::TrainLab, state: &RunState, on_toggle: Callback<usize>) -> Html {
    let active = state.is_active();
    let ablation = lab.ablation.as_ref();
    let (compare, current): (Vec<(String, Vec<CurvePoint>)>, Option<String>) = match ablation {
        Some(a) => {
            (a.done.iter().map(|r| (r.label.get(l).to_owned(), r.points.clone())).collect(), a.current().map(|t| t.get(l).to_owned()))
        }
        None => (
            lab.history.selected_runs().map(|r| (format!("#{}", r.number), r.points.clone())).collect(),
            active.then(|| text::RUN_NOW.get(l).to_owned()),
        ),
    };
    let complete = ablation.filter(|a| a.is_complete() && a.done.len() == 2);
    let points = if active || lab.history.runs.is_empty() && complete.is_none() { state.points.clone() } else { Vec::new() };
    html! {
        <>
            if let Some(a) = complete {
                {{
                    let family = a.kind == AblationKind::Family;
                    html! {
                        <>
                            <p id="ablation-done" class="note" data-kind={if family { "family" } else { "augmentation" }}>
                                { (if family { text::ABLATION_FAMILY_DONE } else { text::ABLATION_DONE }).get(l) }
                            </p>
                            { ablation_table(l, family, &a.done) }
                        </>
                    }
                }}
            }
            <Curves lang={l} {points} {current} {compare} />
            { history_table(l, &lab.history, on_toggle) }
        </>
    }
}

/// Settings that fit the data: each time other data becomes ready, the mini-batch and epochs are
/// set for it ([`proposal_for`]). A link's settings are kept for its first data.
#[hook]
fn use_fitting_settings(props: &Props, measured: schedule::Measured) {
    let proposed_for = use_mut_ref(|| None::<(String, usize, usize, usize)>);
    let (settings, from_link) = (props.settings.clone(), props.from_link);
    // Keyed by the dataset's id (not its name: the digits' name changes with the language).
    let (key, dataset) = match &props.data {
        DataState::Ready(d) => (Some((props.chosen.clone().unwrap_or_default(), d.len(), d.width * d.height, d.channels)), Some(d.clone())),
        _ => (None, None),
    };
    use_effect_with(key, move |key| {
        let (Some(key), Some(d)) = (key, dataset) else { return };
        let first = proposed_for.borrow().is_none();
        if proposed_for.borrow().as_ref() == Some(key) {
            return;
        }
        *proposed_for.borrow_mut() = Some(key.clone());
        if !(first && from_link) {
            let config = ConfigHandle(settings.clone());
            let p = proposal_for(&settings, &d, &measured);
            if (p.batch_size, p.epochs) != (config.batch_size, config.epochs) {
                config.set(p.apply(&config));
            }
        }
    });
}

/// The mini-batch and epochs proposed for `d` ([`schedule::propose`]), with the settings a run
/// will use and the cost per image measured on this device once a run has finished.
fn proposal_for(settings: &SettingsHandle, d: &Dataset, measured: &schedule::Measured) -> schedule::Proposal {
    let c = settings.run_config();
    let cost = schedule::cost(&c, d.len(), d.width * d.height * d.channels, measured);
    schedule::propose(d.len(), c.validation, c.validation_fraction, cost)
}

/// The advice after a finished run (with `config`) that learned nothing useful on `shown`.
fn advice(state: &RunState, shown: &DataState, config: Option<&TrainConfig>) -> Option<Text> {
    let (Phase::Finished { stopped: false }, DataState::Ready(d), Some(c)) = (&state.phase, shown, config) else { return None };
    let verdict = schedule::verdict(&state.predictions, d.num_classes());
    let models = state.folds.len().max(1);
    let steps = state.last_step.as_ref().map_or(0, |st| st.total_steps / models);
    let train_images = schedule::train_images(d.len(), c.validation, c.validation_fraction);
    let class_name = match verdict {
        schedule::Verdict::OneClass { class } => class_name(&d.class_names, class),
        _ => String::new(),
    };
    schedule::advice(&verdict, c, steps, train_images, &class_name)
}

/// The data in use, at the top of the lab: its name, size and state, and a switcher (the data
/// lab's datasets; disabled while a run is on).
fn data_head(props: &Props, active: bool) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let data = &props.data;
    let on_pick = props.on_pick.clone();
    let on_change = Callback::from(move |e: Event| on_pick.emit(e.target_unchecked_into::<HtmlSelectElement>().value()));
    let summary = match data {
        DataState::Ready(d) => format!(
            " — {} {} · {} {} · {}×{} {}",
            d.len(),
            t(text::DATA_IMAGES),
            d.num_classes(),
            t(text::DATA_CLASSES),
            d.width,
            d.height,
            if d.channels == 1 { t(text::DS_GRAY) } else { t(text::DS_RGB) }
        ),
        _ => String::new(),
    };
    let chosen = props.chosen.clone();
    html! {
        <div class="data-head">
            <p id="train-data" class="data-name"><strong>{ format!("{}: {}", t(text::DS_DATA_NAME), props.data_name) }</strong>{ summary }</p>
            {
                match (&props.data_status, data) {
                    (Some((m, true)), _) => html! { <p id="data-status" class="error" role="alert">{ m.get(l).to_owned() }</p> },
                    (Some((m, false)), _) => html! { <p id="data-status" role="status">{ m.get(l).to_owned() }</p> },
                    (None, DataState::Loading) => html! { <p id="data-status" role="status">{ t(text::DATA_LOADING) }</p> },
                    (None, DataState::Failed(e)) => html! { <p id="data-status" class="error" role="alert">{ e.get(l).to_owned() }</p> },
                    (None, DataState::Ready(_)) => html! {},
                }
            }
            <div class="data-switch">
                <div class="field">
                    <label for="train-data-pick">{ t(text::TRAIN_DATA_PICK) }</label>
                    <select id="train-data-pick" onchange={on_change} disabled={active}>
                        <option value="" selected={chosen.is_none()}>{ t(text::DS_BUILTIN) }</option>
                        if let Some(id) = chosen.as_ref().filter(|id| !props.datasets.iter().any(|(i, _)| i == *id)) {
                            <option value={id.clone()} selected=true disabled=true>{ props.data_name.clone() }</option>
                        }
                        { for props.datasets.iter().map(|(id, name)| html! {
                            <option value={id.clone()} selected={chosen.as_deref() == Some(id.as_str())}>{ name.clone() }</option>
                        }) }
                    </select>
                </div>
                <a class="button" href="#/data">{ t(text::TRAIN_DATA_GO) }</a>
            </div>
        </div>
    }
}

/// Scrolls the element `id` into view (the training lab's jump buttons).
fn scroll_to(id: &str) {
    if let Some(e) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
        e.scroll_into_view();
    }
}

// Each argument is one attribute of the field; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn number_field<V: std::str::FromStr + ToString + Copy + 'static>(
    id: &'static str,
    label: T,
    lang: Lang,
    value: V,
    step: &'static str,
    min: &'static str,
    disabled: bool,
    set: impl Fn(V) + 'static,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        if let Ok(v) = input.value().trim().parse::<V>() {
            set(v);
        }
    });
    html! {
        <div class="field">
            <label for={id}>{ label.get(lang) }</label>
            <input id={id} type="number" inputmode="decimal" step={step} min={min}
                   value={value.to_string()} {onchange} {disabled} />
        </div>
    }
}

fn settings_form(l: Lang, config: &ConfigHandle, device: &UseStateHandle<DevicePreference>, disabled: bool) -> Html {
    let c = (**config).clone();
    let update = |f: fn(&mut TrainConfig, f64)| {
        let config = config.clone();
        move |v: f64| {
            let mut next = (*config).clone();
            f(&mut next, v);
            config.set(next);
        }
    };
    let on_optimizer = {
        let config = config.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Some(o) = Optimizer::from_slug(&sel.value()) {
                let mut next = (*config).clone();
                next.optimizer = o;
                config.set(next);
            }
        })
    };
    let on_validation = {
        let config = config.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            let mut next = (*config).clone();
            next.validation = if sel.value() == "kfold" { Validation::KFold { k: 3 } } else { Validation::Holdout };
            config.set(next);
        })
    };
    let on_device = {
        let device = device.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            device.set(match sel.value().as_str() {
                "cpu" => DevicePreference::Cpu,
                "webgpu" => DevicePreference::WebGpu,
                _ => DevicePreference::Auto,
            });
        })
    };
    let opt_value = c.optimizer.slug();
    let opt_name = text::optimizer_name;
    let dev_value = match **device {
        DevicePreference::Auto => "auto",
        DevicePreference::Cpu => "cpu",
        DevicePreference::WebGpu => "webgpu",
    };
    html! {
        <fieldset class="settings" {disabled}>
            { number_field("epochs", text::EPOCHS, l, c.epochs as f64, "1", "1", disabled,
                update(|c, v| c.epochs = v.max(0.0) as usize)) }
            { number_field("batch", text::BATCH, l, c.batch_size as f64, "1", "1", disabled,
                update(|c, v| c.batch_size = v.max(0.0) as usize)) }
            { number_field("lr", text::LEARNING_RATE, l, c.learning_rate, "0.0005", "0", disabled,
                update(|c, v| c.learning_rate = v)) }
            <div class="field">
                <label for="optimizer">{ text::OPTIMIZER.get(l) }</label>
                <select id="optimizer" onchange={on_optimizer} {disabled}>
                    { for Optimizer::SLUGS.iter().map(|slug| html! {
                        <option value={*slug} selected={opt_value == *slug}>{ opt_name(slug).get(l) }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label for="validation">{ text::VALIDATION.get(l) }</label>
                <select id="validation" onchange={on_validation} {disabled}>
                    <option value="holdout" selected={c.validation == Validation::Holdout}>{ text::VALIDATION_HOLDOUT.get(l) }</option>
                    <option value="kfold" selected={matches!(c.validation, Validation::KFold { .. })}>{ text::VALIDATION_KFOLD.get(l) }</option>
                </select>
            </div>
            if let Validation::KFold { k } = c.validation {
                { number_field("folds", text::FOLDS, l, k as f64, "1", "2", disabled,
                    update(|c, v| c.validation = Validation::KFold { k: v.max(0.0) as usize })) }
            } else {
                { number_field("val-share", text::VAL_SHARE, l, c.validation_fraction, "0.05", "0.05", disabled,
                    update(|c, v| c.validation_fraction = v)) }
            }
            { number_field("seed", text::SEED, l, c.seed as f64, "1", "0", disabled,
                update(|c, v| c.seed = v.max(0.0) as u64)) }
            { number_field("weight-decay", text::WEIGHT_DECAY, l, c.weight_decay, "0.0001", "0", disabled,
                update(|c, v| c.weight_decay = v)) }
            <div class="field">
                <label for="device">{ text::DEVICE.get(l) }</label>
                <select id="device" onchange={on_device} {disabled}>
                    <option value="auto" selected={dev_value == "auto"}>{ text::DEVICE_AUTO.get(l) }</option>
                    <option value="cpu" selected={dev_value == "cpu"}>{ text::DEVICE_CPU.get(l) }</option>
                    <option value="webgpu" selected={dev_value == "webgpu"}>{ text::DEVICE_WEBGPU.get(l) }</option>
                </select>
            </div>
        </fieldset>
    }
}

fn status_panel(l: Lang, s: &RunState) -> Html {
    let t = |x: T| x.get(l);
    let backend = s.backend.map(|b| match b {
        Backend::WebGpu => t(text::BACKEND_WEBGPU),
        Backend::Cpu => t(text::BACKEND_CPU),
    });
    let pct = (s.fraction_done() * 100.0).round();
    let message = match &s.phase {
        Phase::Idle => None,
        Phase::Starting => Some(t(text::STARTING).to_owned()),
        Phase::Running | Phase::Stopping => None,
        Phase::Finished { stopped: false } => Some(t(text::FINISHED).to_owned()),
        Phase::Finished { stopped: true } => Some(t(text::STOPPED).to_owned()),
        Phase::Failed(m) => Some(format!("{}{}", t(text::FAILED), m.get(l))),
    };
    let failed = matches!(s.phase, Phase::Failed(_));
    html! {
        <div class="status" aria-live="polite">
            if let Some(b) = backend {
                <div id="backend" class="backend" data-backend={match s.backend { Some(Backend::WebGpu) => "webgpu", _ => "cpu" }}>
                    <p>{ t(text::RUNNING_ON) }<strong>{ b }</strong></p>
                    // The engine and the adapter or build: detail for those who want it.
                    <details>
                        <summary>{ t(text::TECH_DETAIL) }</summary>
                        <p class="note">
                            { match s.backend { Some(Backend::WebGpu) => "burn wgpu", _ => "burn flex" } }
                            { if s.backend_detail.is_empty() { String::new() } else { format!(" — {}", s.backend_detail) } }
                        </p>
                    </details>
                </div>
            }
            if let Some(reason) = &s.fallback_reason {
                <p id="fallback-reason" class="note" role="status">{ reason.get(l) }</p>
            }
            if let Some((tr, va)) = s.sizes {
                <p>{ format!("{}: {tr} / {va}", t(text::SPLIT_SIZES)) }</p>
            }
            if let Some(ms) = s.features_ms {
                <p id="features-ms" data-ms={format!("{ms:.1}")}>{ text::features_time(ms).get(l).to_owned() }</p>
            }
            if let Some((stage, done, total)) = s.preparing {
                <div class="progress-row">
                    <progress id="preparing" max={total.to_string()} value={done.to_string()}
                              aria-label={t(match stage { Preparation::Download => text::PREPARING_DOWNLOAD, Preparation::Features => text::PREPARING_FEATURES })}></progress>
                    <span id="preparing-text" class="progress-text" data-stage={match stage { Preparation::Download => "download", Preparation::Features => "features" }}>
                        { match stage {
                            Preparation::Download => format!("{}: {:.1} / {:.1} MB", t(text::PREPARING_DOWNLOAD), done as f64 / 1e6, total as f64 / 1e6),
                            Preparation::Features => format!("{}: {done} / {total}", t(text::PREPARING_FEATURES)),
                        } }
                    </span>
                </div>
            }
            if s.phase != Phase::Idle && !failed {
                <div class="progress-row">
                    <progress id="progress" max="100" value={pct.to_string()} aria-label={t(text::PROGRESS_LABEL)}></progress>
                    <span class="progress-text"
                          data-step={s.last_step.as_ref().map(|st| st.step.to_string())}
                          data-elapsed-ms={s.last_step.as_ref().map(|st| format!("{:.0}", st.elapsed_ms))}>
                        { if s.fold.1 > 1 { format!("{} {}/{} · ", t(text::FOLD), s.fold.0 + 1, s.fold.1) } else { String::new() } }
                        { match &s.last_step {
                            Some(st) => format!("{} {}/{} · {} {}/{} · {}%",
                                t(text::EPOCH), st.epoch, st.epochs,
                                t(text::STEP), st.step, st.total_steps, pct),
                            None => format!("{pct}%"),
                        } }
                        { s.eta_ms().map(|ms| format!(" · {} {}", t(text::ETA), format_duration(ms, l))).unwrap_or_default() }
                    </span>
                </div>
            }
            if let (Some(st), Some(step_ms)) = (s.last_step.as_ref(), s.ms_per_step()) {
                <p id="prepare-ms" data-prepare-ms={format!("{:.3}", st.prepare_ms)} data-step-ms={format!("{step_ms:.2}")}
                   data-train-ms={format!("{:.2}", st.train_ms)}>
                    { format!("{} {:.2} ms / {} {:.1} ms（{}）", t(text::PREPARE_MS), st.prepare_ms,
                        t(text::STEP_MS), step_ms, t(text::PER_BATCH)) }
                </p>
            }
            if let Some(acc) = s.val_accuracy() {
                <p id="val-accuracy" data-value={format!("{acc:.4}")}>
                    { format!("{}: {:.1}%", t(text::VAL_ACC), acc * 100.0) }
                    { s.best_val_accuracy().map(|b| format!(" （{} {:.1}%）", t(text::BEST), b * 100.0)).unwrap_or_default() }
                </p>
            }
            if let Some(m) = message {
                <p id="run-message" class={classes!(failed.then_some("error"))} role={failed.then_some("alert")}>{ m }</p>
            }
        </div>
    }
}

/// Every run with its settings, best and final validation accuracy; a tick draws its curves.
/// The settings that differ between runs (what a sweep varied) are marked.
fn history_table(l: Lang, h: &History, on_toggle: Callback<usize>) -> Html {
    let t = |x: T| x.get(l);
    if h.runs.is_empty() {
        return html! {};
    }
    let varied = h.varied_settings();
    let cell = |name: &'static str, v: String| {
        html! {
            <td class={classes!(varied.contains(&name).then_some("varied"))}>{ v }</td>
        }
    };
    let pct = crate::labs::pct_or_dash;
    let model_name = |c: &TrainConfig| model_text(&c.model, c.transfer).get(l).to_owned();
    html! {
        <figure class="history">
            <figcaption>{ t(text::HISTORY) }</figcaption>
            <div class="table-scroll">
            <table id="history-table" class="runs">
                <thead><tr>
                    <th scope="col">{ t(text::HISTORY_SHOW) }</th>
                    <th scope="col">{ "#" }</th>
                    <th scope="col">{ t(text::HISTORY_MODEL) }</th>
                    <th scope="col">{ t(text::OPTIMIZER) }</th>
                    <th scope="col">{ t(text::LEARNING_RATE) }</th>
                    <th scope="col">{ t(text::EPOCHS) }</th>
                    <th scope="col">{ t(text::BATCH) }</th>
                    <th scope="col">{ t(text::WEIGHT_DECAY) }</th>
                    <th scope="col">{ t(text::HISTORY_AUGMENT) }</th>
                    <th scope="col">{ t(text::VALIDATION) }</th>
                    <th scope="col">{ t(text::SEED) }</th>
                    <th scope="col">{ t(text::HISTORY_BEST) }</th>
                    <th scope="col">{ t(text::HISTORY_FINAL) }</th>
                </tr></thead>
                <tbody>
                { for h.runs.iter().rev().map(|r| {
                    let c = &r.config;
                    let n = r.number;
                    let onchange = { let on = on_toggle.clone(); Callback::from(move |_: Event| on.emit(n)) };
                    let validation = match c.validation {
                        Validation::Holdout => format!("{} {:.0}%", t(text::VALIDATION_HOLDOUT), c.validation_fraction * 100.0),
                        Validation::KFold { k } => format!("K = {k}"),
                    };
                    html! {
                        <tr data-run={n.to_string()} class={classes!(r.stopped.then_some("stopped"))}>
                            <td><input type="checkbox" checked={h.selected.contains(&n)} {onchange}
                                       aria-label={format!("#{n} {}", t(text::HISTORY_SHOW))} /></td>
                            <th scope="row">{ format!("#{n}{}", if r.stopped { format!(" ({})", t(text::HISTORY_STOPPED)) } else { String::new() }) }</th>
                            { cell("model", model_name(c)) }
                            { cell("optimizer", t(text::optimizer_name(c.optimizer.slug())).to_owned()) }
                            { cell("learning_rate", c.learning_rate.to_string()) }
                            { cell("epochs", c.epochs.to_string()) }
                            { cell("batch_size", c.batch_size.to_string()) }
                            { cell("weight_decay", c.weight_decay.to_string()) }
                            { cell("augment", if c.augment.is_identity() { "—".into() } else {
                                format!("{} {}{}", c.augment.steps.len(), t(text::AUGMENT_STEPS),
                                    if c.augment.mixup > 0.0 { format!(" + mixup α={}", c.augment.mixup) } else { String::new() })
                            }) }
                            { cell("validation", validation) }
                            { cell("seed", c.seed.to_string()) }
                            <td class="best" data-value={r.best_val_accuracy().map(|v| format!("{v:.4}"))}>{ pct(r.best_val_accuracy()) }</td>
                            <td>{ pct(r.final_val_accuracy()) }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            </div>
        </figure>
    }
}

/// The compared runs' final accuracies and the gap between them.
fn ablation_table(l: Lang, family: bool, runs: &[imagelab_core::session::run_state::ComparedRun]) -> Html {
    let t = |s: T| s.get(l);
    let pct = crate::labs::pct;
    html! {
        <table id="ablation-table" class="runs">
            <thead><tr>
                <th scope="col">{ t(text::ABLATION_RUN) }</th>
                <th scope="col">{ t(if family { text::ABLATION_FAMILY_TRAIN_ACC } else { text::ABLATION_TRAIN_ACC }) }</th>
                <th scope="col">{ t(text::VAL_ACC) }</th>
                <th scope="col">{ t(text::ABLATION_GAP) }</th>
            </tr></thead>
            <tbody>
            { for runs.iter().map(|r| {
                let last = r.points.last();
                html! {
                    <tr>
                        <th scope="row">{ r.label.get(l).to_owned() }</th>
                        <td>{ last.map(|p| pct(p.train_accuracy)).unwrap_or_default() }</td>
                        <td data-val={last.map(|p| format!("{:.4}", p.val_accuracy))}>{ last.map(|p| pct(p.val_accuracy)).unwrap_or_default() }</td>
                        <td data-gap={last.map(|p| format!("{:.4}", p.train_accuracy - p.val_accuracy))}>
                            { last.map(|p| format!("{:+.1}", (p.train_accuracy - p.val_accuracy) * 100.0)).unwrap_or_default() }
                        </td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
    }
}

/// A model's short name: its preset, or "custom (N layers)"; after the backbone for transfer
/// learning.
fn model_text(m: &ModelSpec, transfer: Option<Transfer>) -> Text {
    let head = model_text_of(m);
    match transfer {
        Some(t) => text::transfer_model(t.backbone.slug(), t.size, t.fine_tune.map(|f| (f.blocks, f.rate_divisor)), &head),
        None => head,
    }
}

fn model_text_of(m: &ModelSpec) -> Text {
    let short = |s: T| Text::new(s.0, s.1);
    let layers = |p: ModelSpec| p.layers == m.layers;
    let name = if layers(ModelSpec::small_cnn()) {
        short(text::PRESET_SMALL_CNN_SHORT)
    } else if layers(ModelSpec::course_mlp()) {
        short(text::PRESET_MLP_SHORT)
    } else if layers(ModelSpec::deeper_cnn()) {
        short(text::PRESET_DEEPER_SHORT)
    } else {
        Text::new(
            format!("{} ({})", text::PRESET_CUSTOM_SHORT.0, m.layers.len()),
            format!("{} ({})", text::PRESET_CUSTOM_SHORT.1, m.layers.len()),
        )
    };
    match m.output {
        imagelab_core::nn::architecture::Output::Softmax => name,
        imagelab_core::nn::architecture::Output::Sigmoid => Text::new(format!("{} + sigmoid", name.ja), format!("{} + sigmoid", name.en)),
    }
}

/// Draws the first two digits of each class onto the samples canvas (CSS scales it up).
fn draw_samples(canvas: &HtmlCanvasElement, d: &Dataset) {
    let Ok(Some(ctx)) = canvas.get_context("2d") else { return };
    let Ok(ctx) = ctx.dyn_into::<web_sys::CanvasRenderingContext2d>() else { return };
    let mut picks = Vec::new();
    for class in 0..d.num_classes() {
        picks.extend(d.labels.iter().enumerate().filter(|(_, l)| **l == class).take(2).map(|(i, _)| i));
    }
    // Sized for these images (setting the size also clears the old ones).
    canvas.set_width((picks.len().max(1) * d.width) as u32);
    canvas.set_height(d.height as u32);
    for (slot, &i) in picks.iter().enumerate() {
        let px = thumb(d, i);
        if let Ok(data) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&px.data), px.width, px.height) {
            let _ = ctx.put_image_data(&data, (slot * d.width) as f64, 0.0);
        }
    }
}
