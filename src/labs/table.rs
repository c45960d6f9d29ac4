//! 表データ: the course's modelling basics on a CSV — pick the target, the task and the inputs,
//! see `get_dummies` make the inputs, fit linear or logistic regression, a tree or the course's
//! Keras network, judged by hold-out or K-fold as `cross_val_score` prints it, with the ROC curve
//! for two classes and the Python that does the same. The reading and encoding run here (core
//! `table::read`/`encode`); the fitting in a worker of the lab's own (core `table::run`).
//!
//! The lab's state is the core's reducer (`session::table_lab::TableLab`, here `State`, and
//! [`TableAction`]): every change — a control, a loaded file, a worker message — is an action.

use crate::bridge::{WorkerEvent, WorkerHandle};
use crate::error::PageError;
use crate::store::Store;
use crate::text::{self, T};
use imagelab_core::i18n::{Lang, Text};
use imagelab_core::nn::architecture::Activation;
use imagelab_core::nn::experiment::Optimizer;
use imagelab_core::session::protocol::{FromWorker, ToWorker};
use imagelab_core::session::table_lab::{ModelChoice, TableAction, TableLab as State, TableRun};
use imagelab_core::table::encode::Design;
use imagelab_core::table::read::TableError;
use imagelab_core::table::run::{Dense, MlpSpec, TableConfig, TableModel, TableOutcome, Validation};
use imagelab_core::table::{ColumnKind, Task, encode, read};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The built-in tables (`www/data/tables/`, from scikit-learn's wheel), with their target.
const BUILTINS: [(&str, T, T); 4] = [
    ("breast_cancer", text::TABLE_BREAST_CANCER_CLASSIFICATION_2, text::TABLE_SOURCE_BREAST_CANCER),
    ("diabetes", text::TABLE_DIABETES_PROGRESSION_REGRESSION_THE, text::TABLE_SOURCE_DIABETES),
    ("iris", text::TABLE_IRIS_CLASSIFICATION_3_CLASSES, text::TABLE_SOURCE_IRIS),
    ("wine", text::TABLE_WINE_CLASSIFICATION_3_CLASSES, text::TABLE_SOURCE_WINE),
];

/// A model's name in the select.
fn model_name(m: ModelChoice) -> T {
    match m {
        ModelChoice::Linear => text::TABLE_LINEAR_REGRESSION,
        ModelChoice::Logistic => text::TABLE_LOGISTIC_REGRESSION,
        ModelChoice::Tree => text::TABLE_DECISION_TREE,
        ModelChoice::Mlp => text::TABLE_NEURAL_NETWORK_KERAS_S,
    }
}

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The page's language.
    pub lang: Lang,
}

fn validation_slug(v: Validation) -> String {
    match v {
        Validation::Holdout { .. } => "holdout".into(),
        Validation::KFold { k } => format!("k{k}"),
    }
}

fn validation_name(v: Validation) -> Text {
    match v {
        Validation::Holdout { validation_fraction } => text::table_validation(None, (validation_fraction * 100.0).round()),
        Validation::KFold { k } => text::table_validation(Some(k), 0.0),
    }
}

fn fmt4(v: f64) -> String {
    format!("{v:.4}")
}

/// The fold list and mean ± sd, as `print(scores, scores.mean(), scores.std())` shows them.
fn scores_line(folds: &[f64], (m, s): (f64, f64)) -> String {
    format!("[{}]  {} ± {}", folds.iter().map(|v| fmt4(*v)).collect::<Vec<_>>().join(" "), fmt4(m), fmt4(s))
}

/// The network's validation score per epoch, one line per fold (an SVG sized for a phone).
fn curve_svg(outcome: &TableOutcome, lang: Lang) -> Html {
    let lines: Vec<Vec<(f64, f64)>> = outcome
        .folds
        .iter()
        .map(|f| f.curve.iter().map(|p| (p.epoch as f64, p.val)).collect())
        .filter(|c: &Vec<_>| !c.is_empty())
        .collect();
    if lines.is_empty() {
        return html! {};
    }
    let epochs = lines.iter().flatten().map(|p| p.0).fold(1.0, f64::max);
    let (lo, hi) = match outcome.task {
        Task::Classification => (0.0, 1.0),
        Task::Regression => {
            let hi = lines.iter().flatten().map(|p| p.1).fold(0.0, f64::max);
            (0.0, if hi > 0.0 { hi } else { 1.0 })
        }
    };
    let (w, h, left, top) = (300.0, 160.0, 36.0, 8.0);
    let (pw, ph) = (w - left - 8.0, h - top - 24.0);
    let x = |e: f64| left + pw * (e - 1.0) / (epochs - 1.0).max(1.0);
    let y = |v: f64| top + ph * (1.0 - (v - lo) / (hi - lo));
    let title = match outcome.task {
        Task::Classification => text::TABLE_CURVE_ACCURACY,
        Task::Regression => text::TABLE_CURVE_RMSE,
    };
    let caption = if lines.len() > 1 { text::table_curve_folds(title) } else { title.into() }.get(lang).to_owned();
    let title = title.get(lang).to_owned();
    html! {
        <figure class="table-curve">
        <svg id="table-curve" viewBox={format!("0 0 {w} {h}")} width={w.to_string()} height={h.to_string()} role="img" aria-label={title.clone()}>
            <title>{ title }</title>
            <rect x={left.to_string()} y={top.to_string()} width={pw.to_string()} height={ph.to_string()} fill="#ffffff" stroke="#8c959f" />
            <text x="2" y={(top + 10.0).to_string()} font-size="10">{ format!("{hi:.2}") }</text>
            <text x="2" y={(top + ph).to_string()} font-size="10">{ format!("{lo:.2}") }</text>
            <text x={left.to_string()} y={(h - 6.0).to_string()} font-size="10">{ "1" }</text>
            <text x={(left + pw - 20.0).to_string()} y={(h - 6.0).to_string()} font-size="10">{ format!("{epochs}") }</text>
            <text x={(left + pw / 2.0 - 20.0).to_string()} y={(h - 6.0).to_string()} font-size="10">{ text::TABLE_EPOCH.get(lang) }</text>
            { for lines.iter().enumerate().map(|(i, line)| {
                let points = line.iter().map(|&(e, v)| format!("{:.1},{:.1}", x(e), y(v))).collect::<Vec<_>>().join(" ");
                html! { <polyline points={points} fill="none" stroke={imagelab_core::nn::roc::fold_colour(i)} stroke-width="1.5" /> }
            }) }
        </svg>
        <figcaption>{ caption }</figcaption>
        </figure>
    }
}

fn number<V: std::str::FromStr>(e: &Event) -> Option<V> {
    e.target_unchecked_into::<HtmlInputElement>().value().trim().parse().ok()
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// The lab's worker: a run's button sends the current settings and the design to a fresh worker
/// and its answers go to the reducer; the stop button ends the run and its worker.
#[hook]
fn use_table_run(
    state: &UseReducerHandle<Store<State>>,
    design: &Rc<Option<Result<Design, TableError>>>,
) -> (Callback<MouseEvent>, Callback<MouseEvent>) {
    let worker = use_mut_ref(|| None::<WorkerHandle>);
    let s = &**state;
    let on_run = {
        let (state, worker) = (state.clone(), worker.clone());
        let design = design.clone();
        let config = TableConfig { model: s.table_model(), validation: s.validation, seed: s.seed };
        let (name, table, inputs) = (s.name.clone(), s.table.clone(), s.inputs());
        Callback::from(move |_: MouseEvent| {
            let (Some(Ok(design)), Some(table)) = (&*design, &table) else { return };
            if let TableModel::Mlp(m) = &config.model
                && let Err(e) = m.validate()
            {
                state.dispatch(TableAction::Failed(e.0));
                return;
            }
            let names: Vec<String> = inputs.iter().map(|&c| table.columns[c].clone()).collect();
            let run = TableRun {
                name: name.clone(),
                config: config.clone(),
                names: design.names.clone(),
                code: imagelab_core::table::run::python_code(design, &config, &name, table.delimiter, &table.encoding, &names),
            };
            if worker.borrow().is_none() {
                let dispatch = state.dispatcher();
                let on_event = move |ev: WorkerEvent| match ev {
                    WorkerEvent::Message(FromWorker::TableEpoch { fold, point }) => dispatch.dispatch(TableAction::Epoch(fold, point)),
                    WorkerEvent::Message(FromWorker::Table(o)) => dispatch.dispatch(TableAction::Done(o)),
                    WorkerEvent::Message(FromWorker::RequestFailed { message } | FromWorker::Failed { message }) => {
                        dispatch.dispatch(TableAction::Failed(message))
                    }
                    WorkerEvent::Message(_) => {}
                    WorkerEvent::Crashed(why) => dispatch.dispatch(TableAction::Failed(text::TABLE_WORKER_FAILED.because(&why))),
                };
                match WorkerHandle::spawn(on_event) {
                    Ok(h) => *worker.borrow_mut() = Some(h),
                    Err(e) => {
                        state.dispatch(TableAction::Failed(text::TABLE_WORKER_FAILED.because(&e)));
                        return;
                    }
                }
            }
            // A fresh worker per run (the effect below ends it after each): the answers that
            // arrive are this run's, and a stop ends the run at once.
            let sent = worker.borrow().as_ref().map(|w| w.send(&ToWorker::Table { design: design.clone(), config: config.clone() }));
            match sent {
                Some(Ok(())) => state.dispatch(TableAction::Started(run)),
                Some(Err(e)) => {
                    *worker.borrow_mut() = None;
                    state.dispatch(TableAction::Failed(text::TABLE_WORKER_FAILED.because(&e)));
                }
                None => {}
            }
        })
    };
    // A run's answers belong to its own worker: one is dropped (terminated) when it is stopped
    // and before the next run, whose worker then carries the new settings.
    {
        let worker = worker.clone();
        let busy = s.busy;
        use_effect_with(busy, move |busy| {
            if !*busy {
                *worker.borrow_mut() = None;
            }
        });
    }
    let on_stop = {
        let (state, worker) = (state.clone(), worker.clone());
        Callback::from(move |_: MouseEvent| {
            *worker.borrow_mut() = None;
            state.dispatch(TableAction::Stopped);
        })
    };
    (on_run, on_stop)
}

/// The table lab.
#[function_component(TableLab)]
pub fn table_lab(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let state = use_reducer(Store::<State>::default);
    let s = &*state;

    let on_builtin = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let name = select_value(&e);
            if name.is_empty() {
                return;
            }
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match crate::assets::fetch_bytes(&format!("data/tables/{name}.csv")).await {
                    Ok(bytes) => match read::parse(&bytes) {
                        Ok(table) => {
                            let slug = BUILTINS.iter().map(|b| b.0).find(|b| *b == name);
                            state.dispatch(TableAction::Loaded(format!("{name}.csv"), slug, table))
                        }
                        Err(e) => state.dispatch(TableAction::LoadFailed(e.0)),
                    },
                    Err(e) => state.dispatch(TableAction::LoadFailed(text::TABLE_NOT_LOADED.with_reason(&e))),
                }
            });
        })
    };
    let on_file = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                if file.size() > read::MAX_TABLE_BYTES as f64 {
                    let mb = read::MAX_TABLE_BYTES / 1024 / 1024;
                    state.dispatch(TableAction::LoadFailed(text::table_too_large(&name, mb)));
                    return;
                }
                match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                    Ok(buffer) => match read::parse(&js_sys::Uint8Array::new(&buffer).to_vec()) {
                        Ok(table) => state.dispatch(TableAction::Loaded(name, None, table)),
                        Err(e) => state.dispatch(TableAction::LoadFailed(text::table_unreadable(&name, &e.0))),
                    },
                    Err(e) => state.dispatch(TableAction::LoadFailed(text::table_cannot_read(&name, &PageError::from_js(&e)))),
                }
            });
        })
    };

    // The design (inputs after get_dummies) the current choices give, or why there is none.
    let design = {
        let table = s.table.clone();
        let inputs = s.inputs();
        use_memo((s.version, s.target, s.task, inputs), move |(_, target, task, inputs)| {
            table.as_ref().map(|table| encode::design(table, *target, *task, inputs))
        })
    };

    let (on_run, on_stop) = use_table_run(&state, &design);

    let source_line = s.table.as_ref().map(|table| {
        let sep = match table.delimiter {
            '\t' => "TAB",
            ';' => ";",
            _ => ",",
        };
        text::table_source(&s.name, table.rows.len(), table.columns.len(), &table.encoding, sep)
    });

    let preview = preview_view(l, s);

    let controls = controls_view(l, s, &state);

    let design_line = match &*design {
        Some(Ok(d)) => {
            let classes = match &d.target {
                imagelab_core::table::Target::Classes { names, .. } => Some(names.as_slice()),
                imagelab_core::table::Target::Values(_) => None,
            };
            html! {
                <p id="table-design" data-inputs={d.dim().to_string()} data-dummies={d.dummies.to_string()}>
                    { text::table_design(d.dim(), d.dummies, classes).get(l).to_owned() }
                </p>
            }
        }
        Some(Err(e)) => html! { <p id="table-error" class="error" role="alert">{ e.0.get(l).to_owned() }</p> },
        None => html! {},
    };

    let model_controls = model_controls_view(l, s, &state);

    let validation_controls = validation_controls_view(l, s, &state);

    let progress = s.progress.zip(s.running.as_ref()).map(|((fold, p), run)| {
        let (folds, epochs) = (run.folds(), run.epochs());
        html! {
            <p id="table-progress" role="status">
                { text::table_progress(fold + 1, folds, p.epoch, epochs, p.loss, p.val).get(l).to_owned() }
            </p>
        }
    });

    let result = result_view(l, s);

    let history = history_view(l, s);

    let can_run = matches!(*design, Some(Ok(_))) && !s.busy;
    html! {
        <section class="lab table-lab" aria-labelledby="table-title">
            <h2 id="table-title">{ t(text::TABLE_TITLE) }</h2>
            <details class="intro"><summary>{ t(text::TABLE_ABOUT_THIS_LAB) }</summary><p>{ t(text::TABLE_INTRO) }</p></details>
            <div class="table-source">
                <label>{ t(text::TABLE_BUILTIN) }
                    <select id="table-builtin" onchange={on_builtin} disabled={s.busy}>
                        <option value="" selected={s.builtin.is_none()}>{ t(text::TABLE_CHOOSE_BUILTIN) }</option>
                        { for BUILTINS.iter().map(|(slug, name, _)| html! {
                            <option value={*slug} selected={s.builtin == Some(*slug)}>{ t(*name) }</option>
                        }) }
                    </select>
                </label>
                <label class="file">{ t(text::TABLE_OWN_FILE) }
                    <input id="table-file" type="file" disabled={s.busy} accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" onchange={on_file} />
                </label>
            </div>
            if let Some(e) = &s.load_error {
                <p id="table-load-error" class="error" role="alert">{ e.get(l).to_owned() }</p>
            }
            if let Some(line) = source_line {
                <p id="table-source-line">{ line.get(l).to_owned() }</p>
            }
            if let Some((_, _, source)) = BUILTINS.iter().find(|(slug, _, _)| s.builtin == Some(*slug)) {
                <p id="table-attribution" class="note">{ t(*source) }</p>
            }
            { for preview }
            { for controls }
            { design_line }
            if s.table.is_some() {
                { model_controls }
                { validation_controls }
                <div class="actions">
                    <button id="table-run" onclick={on_run} disabled={!can_run}>{ t(text::TABLE_RUN) }</button>
                    if s.busy {
                        <button id="table-stop" onclick={on_stop}>{ t(text::TABLE_STOP) }</button>
                    }
                </div>
            }
            { for progress }
            if let Some(n) = &s.notice {
                <p id="table-notice" role="status">{ n.get(l).to_owned() }</p>
            }
            if let Some(m) = &s.message {
                <p id="table-message" class="error" role="alert">{ m.get(l).to_owned() }</p>
            }
            { for result }
            { for history }
        </section>
    }
}

/// The first rows of the table, each column with its kind (number, text and how many values).
fn preview_view(l: Lang, s: &State) -> Option<Html> {
    let t = |x: T| x.get(l);
    s.table.as_ref().map(|table| {
        let numeric: Vec<bool> = (0..table.columns.len()).map(|c| table.kind(c) == ColumnKind::Numeric).collect();
        let kinds: Vec<String> = (0..table.columns.len())
            .map(|c| match table.kind(c) {
                ColumnKind::Numeric => t(text::TABLE_NUMBER).to_owned(),
                ColumnKind::Categorical(v) => format!("{} {}", t(text::TABLE_TEXT), v.len()),
                ColumnKind::Broken { .. } => t(text::TABLE_NUMBER_TEXT_INSIDE).to_owned(),
            })
            .collect();
        html! {
            <details id="table-preview" open=true>
                <summary>{ t(text::TABLE_PREVIEW) }</summary>
                <div class="table-scroll">
                    <table class="data-table">
                        <thead>
                            <tr>{ for table.columns.iter().enumerate().map(|(c, n)| html! {
                                <th scope="col" class={classes!((c == s.target).then_some("target"))}>{ n }<br/><small>{ &kinds[c] }</small></th>
                            }) }</tr>
                        </thead>
                        <tbody>
                            { for table.rows.iter().take(10).map(|r| html! {
                                <tr>{ for r.iter().enumerate().map(|(c, v)| html! { <td class={classes!(numeric[c].then_some("num"))}>{ v }</td> }) }</tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </details>
        }
    })
}

/// What to predict (the target column), regression or classification, and the input columns.
fn controls_view(l: Lang, s: &State, state: &UseReducerHandle<Store<State>>) -> Option<Html> {
    let t = |x: T| x.get(l);
    s.table.as_ref().map(|table| {
        let on_target = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                if let Ok(c) = select_value(&e).parse() {
                    state.dispatch(TableAction::Target(c));
                }
            })
        };
        let on_task = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                state.dispatch(TableAction::Task(if select_value(&e) == "regression" { Task::Regression } else { Task::Classification }))
            })
        };
        html! {
            <div class="table-controls">
                <label>{ t(text::TABLE_TARGET) }
                    <select id="table-target" onchange={on_target}>
                        { for table.columns.iter().enumerate().map(|(c, n)| html! { <option value={c.to_string()} selected={c == s.target}>{ n }</option> }) }
                    </select>
                </label>
                <label>{ t(text::TABLE_TASK) }
                    <select id="table-task" onchange={on_task}>
                        <option value="regression" selected={s.task == Task::Regression}>{ t(text::TABLE_REGRESSION) }</option>
                        <option value="classification" selected={s.task == Task::Classification}>{ t(text::TABLE_CLASSIFICATION) }</option>
                    </select>
                </label>
                <details class="table-inputs-box" open={table.columns.len() <= 20}>
                <summary id="table-inputs-summary">{ format!("{}（{} / {}）", t(text::TABLE_INPUTS), s.inputs().len(), table.columns.len() - 1) }</summary>
                <fieldset id="table-inputs" class="table-inputs">
                    <legend class="visually-hidden">{ t(text::TABLE_INPUTS) }</legend>
                    { for table.columns.iter().enumerate().filter(|(c, _)| *c != s.target).map(|(c, n)| {
                        let state = state.clone();
                        html! {
                            <label class="check">
                                <input type="checkbox" checked={!s.excluded.contains(&c)} data-column={n.clone()}
                                       onchange={Callback::from(move |_: Event| state.dispatch(TableAction::ToggleInput(c)))} />
                                { n }
                            </label>
                        }
                    }) }
                </fieldset>
                </details>
            </div>
        }
    })
}

/// The model and its settings (C, the tree's depth and leaves, the network's layers).
fn model_controls_view(l: Lang, s: &State, state: &UseReducerHandle<Store<State>>) -> Html {
    let t = |x: T| x.get(l);
    {
        let on_model = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                let v = select_value(&e);
                if let Some(m) =
                    [ModelChoice::Linear, ModelChoice::Logistic, ModelChoice::Tree, ModelChoice::Mlp].into_iter().find(|m| m.slug() == v)
                {
                    state.dispatch(TableAction::Model(m));
                }
            })
        };
        let settings = match s.model {
            ModelChoice::Linear => html! {},
            ModelChoice::Logistic => {
                let state = state.clone();
                html! {
                    <label>{ "C" }
                        <input id="table-c" type="number" min="0.001" step="any" value={s.c.to_string()}
                               onchange={Callback::from(move |e: Event| if let Some(c) = number::<f64>(&e).filter(|c| *c > 0.0 && c.is_finite()) { state.dispatch(TableAction::C(c)) })} />
                    </label>
                }
            }
            ModelChoice::Tree => {
                let (s1, s2) = (state.clone(), state.clone());
                html! {
                    <>
                        <label>{ "max_depth" }
                            <input id="table-max-depth" type="number" min="1" max="30" placeholder="∞" value={s.max_depth.map(|d| d.to_string()).unwrap_or_default()}
                                   onchange={Callback::from(move |e: Event| s1.dispatch(TableAction::MaxDepth(number::<usize>(&e).filter(|d| *d > 0))))} />
                        </label>
                        <label>{ "min_samples_leaf" }
                            <input id="table-min-leaf" type="number" min="1" value={s.min_leaf.to_string()}
                                   onchange={Callback::from(move |e: Event| if let Some(m) = number::<usize>(&e).filter(|m| *m > 0) { s2.dispatch(TableAction::MinLeaf(m)) })} />
                        </label>
                    </>
                }
            }
            ModelChoice::Mlp => mlp_controls(l, &s.mlp, state),
        };
        html! {
            <div class="table-model">
                <label>{ t(text::TABLE_MODEL) }
                    <select id="table-model" onchange={on_model}>
                        { for ModelChoice::for_task(s.task).iter().map(|m| html! { <option value={m.slug()} selected={*m == s.model}>{ t(model_name(*m)) }</option> }) }
                    </select>
                </label>
                { settings }
            </div>
        }
    }
}

/// Hold-out or K-fold, and the seed.
fn validation_controls_view(l: Lang, s: &State, state: &UseReducerHandle<Store<State>>) -> Html {
    let t = |x: T| x.get(l);
    {
        let on_validation = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                let v = select_value(&e);
                let k = v.strip_prefix('k').and_then(|k| k.parse().ok());
                state.dispatch(TableAction::Validation(match k {
                    Some(k) => Validation::KFold { k },
                    None => Validation::Holdout { validation_fraction: 0.3 },
                }))
            })
        };
        let on_seed = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                if let Some(v) = number::<u64>(&e) {
                    state.dispatch(TableAction::Seed(v))
                }
            })
        };
        let current = validation_slug(s.validation);
        html! {
            <div class="table-validation">
                <label>{ t(text::TABLE_VALIDATION) }
                    <select id="table-validation" onchange={on_validation}>
                        { for [Validation::Holdout { validation_fraction: 0.3 }, Validation::KFold { k: 3 }, Validation::KFold { k: 5 }].into_iter().map(|v| {
                            let slug = validation_slug(v);
                            html! { <option value={slug.clone()} selected={slug == current}>{ validation_name(v).get(l).to_owned() }</option> }
                        }) }
                    </select>
                </label>
                <label>{ t(text::TABLE_SEED) }
                    <input id="table-seed" type="number" min="0" value={s.seed.to_string()} onchange={on_seed} />
                </label>
            </div>
        }
    }
}

/// The last run's scores per fold (validation and training), AUC and ROC, the learning curve, the
/// coefficients and the Python code.
fn result_view(l: Lang, s: &State) -> Option<Html> {
    let t = |x: T| x.get(l);
    s.result.as_ref().map(|(o, run)| {
        let metric = o.metric();
        let (m, sd) = o.val_mean_sd();
        let roc = o.roc();
        let auc_line = roc.as_ref().map(|r| {
            let aucs = r.aucs();
            let ms = r.mean_sd().unwrap_or((0.0, 0.0));
            html! { <p id="table-auc" data-value={format!("{:.4}", ms.0)}>{ format!("AUC: {}", scores_line(&aucs, ms)) }</p> }
        });
        let (config, code) = (&run.config, run.code.clone());
        let coefficients = o.coefficients.as_ref().map(|(coef, intercept)| {
            html! {
                <details id="table-coefficients">
                    <summary>{ t(text::TABLE_COEFFICIENTS_FIRST_FOLD_IN) }</summary>
                    <div class="table-scroll">
                        <table class="data-table">
                            <tbody>
                                <tr><th scope="row">{ t(text::TABLE_INTERCEPT) }</th><td class="num">{ format!("{intercept:.4}") }</td></tr>
                                { for run.names.iter().zip(coef).map(|(n, c)| html! { <tr><th scope="row">{ n }</th><td class="num">{ format!("{c:.4}") }</td></tr> }) }
                            </tbody>
                        </table>
                    </div>
                </details>
            }
        });
        html! {
            <section id="table-result" class="table-result">
                <h3>{ config.model.name().get(l).to_owned() }{ " — " }{ validation_name(config.validation).get(l).to_owned() }</h3>
                <p id="table-score" aria-live="polite" data-value={format!("{m:.4}")} data-metric={metric.en.clone()}>
                    { format!("{} ({}): {}", metric.get(l), t(text::TABLE_VALIDATION_2), scores_line(&o.folds.iter().map(|f| f.val).collect::<Vec<_>>(), (m, sd))) }
                </p>
                <p id="table-train-score">
                    { format!("{} ({}): {}", metric.get(l), t(text::TABLE_TRAINING), scores_line(&o.folds.iter().map(|f| f.train).collect::<Vec<_>>(), o.train_mean_sd())) }
                </p>
                { for auc_line }
                if o.task == Task::Classification && o.train_mean_sd().0 - m > 0.1 {
                    <p id="table-overfit" class="note">{ t(text::TABLE_THE_TRAINING_ACCURACY_IS) }</p>
                }
                if let Some(r) = &roc {
                    <div class="roc-box">{ Html::from_html_unchecked(AttrValue::from(imagelab_core::nn::roc::svg(r, l, "table-roc"))) }</div>
                }
                { curve_svg(o, l) }
                { for coefficients }
                <details id="table-code-box">
                    <summary>{ t(text::TABLE_CODE) }</summary>
                    <p class="note">{ t(text::TABLE_CODE_NOTE) }</p>
                    <pre id="table-code"><code>{ code }</code></pre>
                </details>
            </section>
        }
    })
}

/// Every run so far, newest first.
fn history_view(l: Lang, s: &State) -> Option<Html> {
    let t = |x: T| x.get(l);
    (!s.history.is_empty()).then(|| {
        html! {
            <section class="table-history">
                <h3>{ t(text::TABLE_HISTORY) }</h3>
                <div class="table-scroll">
                    <table id="table-history" class="data-table">
                        <thead><tr>
                            <th scope="col">{ t(text::TABLE_SOURCE) }</th><th scope="col">{ t(text::TABLE_MODEL) }</th><th scope="col">{ t(text::TABLE_VALIDATION) }</th>
                            <th scope="col">{ t(text::TABLE_VALIDATION_SCORE) }</th><th scope="col">{ "AUC" }</th>
                        </tr></thead>
                        <tbody>
                            { for s.history.iter().rev().map(|h| html! {
                                <tr>
                                    <td>{ &h.table }</td>
                                    <td>{ h.model.get(l).to_owned() }</td>
                                    <td>{ validation_name(h.validation).get(l).to_owned() }</td>
                                    <td>{ format!("{} {}", h.metric.get(l), scores_line(&h.folds, h.mean_sd)) }</td>
                                    <td>{ h.auc.map_or("—".to_owned(), |(m, s)| format!("{m:.4} ± {s:.4}")) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </section>
        }
    })
}

/// The network's layers (editable), the course's preset and the training settings.
fn mlp_controls(l: Lang, spec: &MlpSpec, state: &UseReducerHandle<Store<State>>) -> Html {
    let t = |s: T| s.get(l);
    let set = {
        let (state, spec) = (state.clone(), spec.clone());
        move |f: Box<dyn Fn(&mut MlpSpec)>| {
            let mut m = spec.clone();
            f(&mut m);
            state.dispatch(TableAction::Mlp(m));
        }
    };
    let set = Rc::new(set);
    let on_course = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(TableAction::Mlp(MlpSpec::course())))
    };
    let on_add = {
        let set = set.clone();
        Callback::from(move |_: MouseEvent| set(Box::new(|m| m.hidden.push(Dense { units: 10, activation: Activation::Relu }))))
    };
    // The training settings: id, label, value, minimum, and how a typed number applies.
    type Setting = (&'static str, T, String, &'static str, fn(&mut MlpSpec, f64));
    let fields: [Setting; 3] = [
        ("table-lr", text::TABLE_LR, spec.learning_rate.to_string(), "0.00001", |m, v| m.learning_rate = v),
        ("table-batch", text::TABLE_BATCH, spec.batch_size.to_string(), "1", |m, v| m.batch_size = v as usize),
        ("table-epochs", text::TABLE_EPOCHS, spec.epochs.to_string(), "1", |m, v| m.epochs = v as usize),
    ];
    let fields = fields.into_iter().map(|(id, label, value, min, apply)| {
        let set = set.clone();
        html! {
            <label>{ t(label) }
                <input id={id} type="number" min={min} step="any" value={value}
                       onchange={Callback::from(move |e: Event| if let Some(v) = number::<f64>(&e) { set(Box::new(move |m| apply(m, v))) })} />
            </label>
        }
    });
    let on_optimizer = {
        let set = set.clone();
        Callback::from(move |e: Event| {
            if let Some(choice) = Optimizer::from_slug(&select_value(&e)) {
                set(Box::new(move |m| m.optimizer = choice))
            }
        })
    };
    html! {
        <div class="table-mlp">
            <button id="table-course-net" onclick={on_course}>{ t(text::TABLE_COURSE_NET) }</button>
            <ol id="table-layers" class="table-layers">
                { for spec.hidden.iter().enumerate().map(|(i, d)| {
                    let (s1, s2, s3) = (set.clone(), set.clone(), set.clone());
                    html! {
                        <li>
                            { "Dense " }
                            <input type="number" min="1" max="512" value={d.units.to_string()} aria-label={format!("{} {}", t(text::TABLE_UNITS), i + 1)}
                                   onchange={Callback::from(move |e: Event| if let Some(u) = number::<usize>(&e) { s1(Box::new(move |m| m.hidden[i].units = u)) })} />
                            <select aria-label={format!("{} {}", t(text::TABLE_ACTIVATION), i + 1)}
                                    onchange={Callback::from(move |e: Event| {
                                        let v = select_value(&e);
                                        if let Some(a) = Activation::from_keras(&v) { s2(Box::new(move |m| m.hidden[i].activation = a)) }
                                    })}>
                                { for Activation::ALL.into_iter().map(|a| html! { <option value={a.keras()} selected={a == d.activation}>{ a.keras() }</option> }) }
                            </select>
                            <button aria-label={format!("{} {}", t(text::TABLE_REMOVE_LAYER), i + 1)} onclick={Callback::from(move |_: MouseEvent| s3(Box::new(move |m| { m.hidden.remove(i); })))}>{ "✕" }</button>
                        </li>
                    }
                }) }
                <li class="output">{ t(text::TABLE_OUTPUT_DENSE_1_FOR) }</li>
            </ol>
            <button id="table-add-layer" onclick={on_add} disabled={spec.hidden.len() >= 8}>{ t(text::TABLE_ADD_LAYER) }</button>
            <div class="table-mlp-settings">
                <label>{ t(text::TABLE_OPTIMIZER) }
                    <select id="table-optimizer" onchange={on_optimizer}>
                        { for [("nesterov", "SGD + Nesterov 0.9"), ("momentum", "SGD + momentum 0.9"), ("sgd", "SGD"), ("adam", "Adam"), ("rmsprop", "RMSprop")].into_iter().map(|(v, n)| html! {
                            <option value={v} selected={spec.optimizer.slug() == v}>{ n }</option>
                        }) }
                    </select>
                </label>
                { for fields }
            </div>
        </div>
    }
}
