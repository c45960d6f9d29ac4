//! 表データ: the course's modelling basics on a CSV — pick the target, the task and the inputs,
//! see `get_dummies` make the inputs, fit linear or logistic regression, a tree or the course's
//! Keras network, judged by hold-out or K-fold as `cross_val_score` prints it, with the ROC curve
//! for two classes and the Python that does the same. The reading and encoding run here (core
//! `table::read`/`encode`); the fitting in a worker of the lab's own (core `table::run`).
//!
//! The lab's state is one reducer ([`TableState`], [`Action`]): every change — a control, a
//! loaded file, a worker message — is an action.

use crate::bridge::{WorkerEvent, WorkerHandle};
use crate::text::T;
use imagelab_core::architecture::Activation;
use imagelab_core::experiment::Optimizer;
use imagelab_core::i18n::{Lang, Text};
use imagelab_core::protocol::{FromWorker, ToWorker};
use imagelab_core::table::run::{Dense, EpochPoint, MlpSpec, TableConfig, TableModel, TableOutcome, Validation};
use imagelab_core::table::{ColumnKind, Table, Task, encode, read};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

const TITLE: T = T("表データ（CSV）でモデルを作る", "Models on a table (CSV)");
const INTRO: T = T(
    "講座の 1 日目の例を、そのまま試せます。表（CSV・TSV、Excel の Shift_JIS も可）を読み込み、予測する列（目的変数）と、回帰か分類かを選びます。文字の列は pd.get_dummies のように 0/1 の列に分け、数の列は構築データの平均と標準偏差で標準化します。ホールドアウト法か K 分割交差検証で、回帰は RMSE、分類は正解率と AUC（2 クラス）で評価します。",
    "Day 1 of the course, as its slides show it. Load a table (CSV or TSV; Excel's Shift_JIS too), choose the column to predict (the target) and whether it is regression or classification. Text columns become 0/1 columns as pd.get_dummies makes them; number columns are standardised with the training part's mean and standard deviation. Judge by hold-out or K-fold cross-validation: RMSE for regression, accuracy and AUC (two classes) for classification.",
);
const SOURCE: T = T("表", "Table");
const BUILTIN: T = T("組み込みの表", "Built-in table");
const CHOOSE_BUILTIN: T = T("— 選ぶ —", "— choose —");
const OWN_FILE: T = T("自分の CSV / TSV を開く", "Open your own CSV / TSV");
const TARGET: T = T("目的変数（予測する列）", "Target (the column to predict)");
const TASK: T = T("タスク", "Task");
const REGRESSION: T = T("回帰（数を予測）", "regression (predict a number)");
const CLASSIFICATION: T = T("分類（クラスを予測）", "classification (predict a class)");
const INPUTS: T = T("入力に使う列", "Input columns");
const MODEL: T = T("モデル", "Model");
const VALIDATION: T = T("評価の方法", "Validation");
const SEED: T = T("乱数シード", "Random seed");
const RUN: T = T("学習して評価", "Fit and evaluate");
const STOP: T = T("停止", "Stop");
const COURSE_NET: T = T(
    "講座のネットワーク（Dense 10 tanh → Dense 10 relu、SGD 0.1・Nesterov 0.9、128、100 エポック）",
    "The course's network (Dense 10 tanh → Dense 10 relu, SGD 0.1 with Nesterov 0.9, 128, 100 epochs)",
);
const ADD_LAYER: T = T("層を追加", "Add a layer");
const REMOVE_LAYER: T = T("この層を削除", "Remove this layer");
const UNITS: T = T("ユニット数", "Units");
const ACTIVATION: T = T("活性化関数", "Activation");
const LR: T = T("学習率", "Learning rate");
const BATCH: T = T("ミニバッチ", "Mini-batch");
const EPOCHS: T = T("エポック数", "Epochs");
const OPTIMIZER: T = T("最適化手法", "Optimizer");
const HISTORY: T = T("これまでの結果", "Results so far");
const CODE: T = T("同じことをする Python（pandas・scikit-learn・Keras）", "The same in Python (pandas, scikit-learn, Keras)");
const CODE_NOTE: T = T(
    "行の分け方（乱数）が違うので、数値は少し変わります。",
    "The rows are split by another random generator, so the numbers differ a little.",
);
const PREVIEW: T = T("最初の 10 行", "The first 10 rows");
const WORKER_FAILED: T = T("計算用のワーカーが止まりました: ", "The computing worker stopped: ");

/// The built-in tables (`www/data/tables/`, from scikit-learn's wheel), with their target.
const BUILTINS: [(&str, T); 4] = [
    ("breast_cancer", T("乳がん（分類・2 クラス：AUC の例）", "breast cancer (classification, 2 classes: the AUC example)")),
    ("diabetes", T("糖尿病の進行（回帰：RMSE の例）", "diabetes progression (regression: the RMSE example)")),
    ("iris", T("アヤメ（分類・3 クラス）", "iris (classification, 3 classes)")),
    ("wine", T("ワイン（分類・3 クラス）", "wine (classification, 3 classes)")),
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum ModelChoice {
    Linear,
    Logistic,
    Tree,
    Mlp,
}

impl ModelChoice {
    fn slug(self) -> &'static str {
        match self {
            ModelChoice::Linear => "linear",
            ModelChoice::Logistic => "logistic",
            ModelChoice::Tree => "tree",
            ModelChoice::Mlp => "mlp",
        }
    }

    fn name(self) -> T {
        match self {
            ModelChoice::Linear => T("線形回帰", "linear regression"),
            ModelChoice::Logistic => T("ロジスティック回帰", "logistic regression"),
            ModelChoice::Tree => T("決定木", "decision tree"),
            ModelChoice::Mlp => T("ニューラルネットワーク（Keras の Dense）", "neural network (Keras's Dense)"),
        }
    }

    fn for_task(task: Task) -> &'static [ModelChoice] {
        match task {
            Task::Regression => &[ModelChoice::Linear, ModelChoice::Mlp],
            Task::Classification => &[ModelChoice::Logistic, ModelChoice::Tree, ModelChoice::Mlp],
        }
    }
}

/// One finished run, for the results table.
#[derive(Clone, Debug, PartialEq)]
struct HistoryRow {
    table: String,
    model: Text,
    validation: Validation,
    metric: Text,
    folds: Vec<f64>,
    mean_sd: (f64, f64),
    auc: Option<(f64, f64)>,
}

/// The lab's whole state.
#[derive(Clone, Debug, PartialEq)]
struct TableState {
    name: String,
    table: Option<Rc<Table>>,
    load_error: Option<Text>,
    target: usize,
    task: Task,
    excluded: Vec<usize>,
    model: ModelChoice,
    c: f64,
    max_depth: Option<usize>,
    min_leaf: usize,
    mlp: MlpSpec,
    validation: Validation,
    seed: u64,
    busy: bool,
    progress: Option<(usize, EpochPoint)>,
    result: Option<(TableOutcome, TableConfig)>,
    message: Option<Text>,
    history: Vec<HistoryRow>,
}

impl Default for TableState {
    fn default() -> Self {
        TableState {
            name: String::new(),
            table: None,
            load_error: None,
            target: 0,
            task: Task::Classification,
            excluded: Vec::new(),
            model: ModelChoice::Logistic,
            c: 1.0,
            max_depth: Some(3),
            min_leaf: 1,
            mlp: MlpSpec::course(),
            validation: Validation::Holdout { validation_fraction: 0.3 },
            seed: 42,
            busy: false,
            progress: None,
            result: None,
            message: None,
            history: Vec::new(),
        }
    }
}

/// Everything that changes the lab.
enum Action {
    Loaded(String, Table),
    LoadFailed(Text),
    Target(usize),
    Task(Task),
    ToggleInput(usize),
    Model(ModelChoice),
    C(f64),
    MaxDepth(Option<usize>),
    MinLeaf(usize),
    Mlp(MlpSpec),
    Validation(Validation),
    Seed(u64),
    Started,
    Epoch(usize, EpochPoint),
    Done(TableOutcome, TableConfig),
    Failed(Text),
    Stopped,
}

impl TableState {
    /// The model the controls describe.
    fn table_model(&self) -> TableModel {
        match self.model {
            ModelChoice::Linear => TableModel::Linear,
            ModelChoice::Logistic => TableModel::Logistic { c: self.c },
            ModelChoice::Tree => TableModel::Tree { max_depth: self.max_depth, min_samples_leaf: self.min_leaf },
            ModelChoice::Mlp => TableModel::Mlp(self.mlp.clone()),
        }
    }

    fn inputs(&self) -> Vec<usize> {
        let n = self.table.as_ref().map_or(0, |t| t.columns.len());
        (0..n).filter(|c| *c != self.target && !self.excluded.contains(c)).collect()
    }

    /// The model choice kept when the task changes, if it does the task.
    fn fit_model(&mut self) {
        if !ModelChoice::for_task(self.task).contains(&self.model) {
            self.model = ModelChoice::for_task(self.task)[0];
        }
    }
}

impl Reducible for TableState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Loaded(name, table) => {
                // The last column is the target by default (scikit-learn's tables, the bank's y).
                let target = table.columns.len() - 1;
                s.task = encode::suggest_task(&table, target);
                s.target = target;
                // ID-like text columns (a value per row) are left out at first.
                s.excluded = (0..table.columns.len())
                    .filter(|&c| c != target && matches!(table.kind(c), ColumnKind::Categorical(v) if v.len() > read::MAX_CATEGORIES))
                    .collect();
                s.name = name;
                s.table = Some(Rc::new(table));
                s.load_error = None;
                s.result = None;
                s.progress = None;
                s.fit_model();
            }
            Action::LoadFailed(why) => s.load_error = Some(why),
            Action::Target(c) => {
                s.target = c;
                s.excluded.retain(|&x| x != c);
                if let Some(t) = &s.table {
                    s.task = encode::suggest_task(t, c);
                }
                s.fit_model();
            }
            Action::Task(task) => {
                s.task = task;
                s.fit_model();
            }
            Action::ToggleInput(c) => {
                if let Some(i) = s.excluded.iter().position(|&x| x == c) {
                    s.excluded.remove(i);
                } else {
                    s.excluded.push(c);
                }
            }
            Action::Model(m) => s.model = m,
            Action::C(c) => s.c = c,
            Action::MaxDepth(d) => s.max_depth = d,
            Action::MinLeaf(m) => s.min_leaf = m,
            Action::Mlp(m) => s.mlp = m,
            Action::Validation(v) => s.validation = v,
            Action::Seed(seed) => s.seed = seed,
            Action::Started => {
                s.busy = true;
                s.progress = None;
                s.message = None;
            }
            Action::Epoch(fold, point) => s.progress = Some((fold, point)),
            Action::Done(outcome, config) => {
                s.busy = false;
                s.progress = None;
                let auc = outcome.roc().and_then(|r| r.mean_sd());
                s.history.push(HistoryRow {
                    table: s.name.clone(),
                    model: config.model.name(),
                    validation: config.validation,
                    metric: outcome.metric(),
                    folds: outcome.folds.iter().map(|f| f.val).collect(),
                    mean_sd: outcome.val_mean_sd(),
                    auc,
                });
                s.result = Some((outcome, config));
            }
            Action::Failed(why) => {
                s.busy = false;
                s.progress = None;
                s.message = Some(why);
            }
            Action::Stopped => {
                s.busy = false;
                s.progress = None;
                s.message = Some(Text::new("停止しました", "Stopped"));
            }
        }
        Rc::new(s)
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
        Validation::Holdout { validation_fraction } => {
            let p = (validation_fraction * 100.0).round();
            Text::new(format!("ホールドアウト法（検証 {p} %）"), format!("hold-out ({p} % validation)"))
        }
        Validation::KFold { k } => Text::new(format!("{k} 分割交差検証"), format!("{k}-fold cross-validation")),
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
    let title = match (outcome.task, lang) {
        (Task::Classification, Lang::Ja) => "エポックごとの検証データの正解率".to_owned(),
        (Task::Classification, Lang::En) => "Validation accuracy per epoch".to_owned(),
        (Task::Regression, Lang::Ja) => "エポックごとの検証データの RMSE".to_owned(),
        (Task::Regression, Lang::En) => "Validation RMSE per epoch".to_owned(),
    };
    let caption = match (lines.len() > 1, lang) {
        (true, Lang::Ja) => format!("{title}（線は分割ごと、ROC曲線と同じ色）"),
        (true, Lang::En) => format!("{title} (one line per fold, coloured as in the ROC chart)"),
        (false, _) => title.clone(),
    };
    html! {
        <figure class="table-curve">
        <svg id="table-curve" viewBox={format!("0 0 {w} {h}")} width={w.to_string()} height={h.to_string()} role="img" aria-label={title.clone()}>
            <title>{ title }</title>
            <rect x={left.to_string()} y={top.to_string()} width={pw.to_string()} height={ph.to_string()} fill="#ffffff" stroke="#8c959f" />
            <text x="2" y={(top + 10.0).to_string()} font-size="10">{ format!("{hi:.2}") }</text>
            <text x="2" y={(top + ph).to_string()} font-size="10">{ format!("{lo:.2}") }</text>
            <text x={left.to_string()} y={(h - 6.0).to_string()} font-size="10">{ "1" }</text>
            <text x={(left + pw - 20.0).to_string()} y={(h - 6.0).to_string()} font-size="10">{ format!("{epochs}") }</text>
            <text x={(left + pw / 2.0 - 20.0).to_string()} y={(h - 6.0).to_string()} font-size="10">{ if lang == Lang::Ja { "エポック" } else { "epoch" } }</text>
            { for lines.iter().enumerate().map(|(i, line)| {
                let points = line.iter().map(|&(e, v)| format!("{:.1},{:.1}", x(e), y(v))).collect::<Vec<_>>().join(" ");
                html! { <polyline points={points} fill="none" stroke={imagelab_core::roc::fold_colour(i)} stroke-width="1.5" /> }
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

/// The table lab.
#[function_component(TableLab)]
pub fn table_lab(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let state = use_reducer(TableState::default);
    let worker = use_mut_ref(|| None::<WorkerHandle>);
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
                let url = format!("data/tables/{name}.csv");
                let got = async {
                    let resp = gloo_net::http::Request::get(&url).send().await.map_err(|e| e.to_string())?;
                    if !resp.ok() {
                        return Err(format!("{url}: HTTP {}", resp.status()));
                    }
                    resp.binary().await.map_err(|e| e.to_string())
                };
                match got.await {
                    Ok(bytes) => match read::parse(&bytes) {
                        Ok(table) => state.dispatch(Action::Loaded(format!("{name}.csv"), table)),
                        Err(e) => state.dispatch(Action::LoadFailed(e.0)),
                    },
                    Err(e) => {
                        state.dispatch(Action::LoadFailed(Text::new(format!("読み込めません（{e}）"), format!("cannot load it ({e})"))))
                    }
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
                    state.dispatch(Action::LoadFailed(Text::new(
                        format!("「{name}」は大きすぎます（上限 {mb} MB）"),
                        format!("“{name}” is too large (the limit is {mb} MB)"),
                    )));
                    return;
                }
                match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                    Ok(buffer) => match read::parse(&js_sys::Uint8Array::new(&buffer).to_vec()) {
                        Ok(table) => state.dispatch(Action::Loaded(name, table)),
                        Err(e) => state
                            .dispatch(Action::LoadFailed(Text::new(format!("「{name}」: {}", e.0.ja), format!("“{name}”: {}", e.0.en)))),
                    },
                    Err(e) => state.dispatch(Action::LoadFailed(Text::new(
                        format!("「{name}」を読めません（{e:?}）"),
                        format!("cannot read “{name}” ({e:?})"),
                    ))),
                }
            });
        })
    };

    // The design (inputs after get_dummies) the current choices give, or why there is none.
    let design = s.table.as_ref().map(|table| encode::design(table, s.target, s.task, &s.inputs()));

    let on_run = {
        let (state, worker) = (state.clone(), worker.clone());
        let design = design.clone();
        let config = TableConfig { model: s.table_model(), validation: s.validation, seed: s.seed };
        Callback::from(move |_: MouseEvent| {
            let Some(Ok(design)) = &design else { return };
            if let TableModel::Mlp(m) = &config.model {
                if let Err(e) = m.validate() {
                    state.dispatch(Action::Failed(e.0));
                    return;
                }
            }
            if worker.borrow().is_none() {
                let dispatch = state.dispatcher();
                let cfg = config.clone();
                let on_event = move |ev: WorkerEvent| match ev {
                    WorkerEvent::Message(FromWorker::TableEpoch { fold, point }) => dispatch.dispatch(Action::Epoch(fold, point)),
                    WorkerEvent::Message(FromWorker::Table(o)) => dispatch.dispatch(Action::Done(o, cfg.clone())),
                    WorkerEvent::Message(FromWorker::RequestFailed { message } | FromWorker::Failed { message }) => {
                        dispatch.dispatch(Action::Failed(message))
                    }
                    WorkerEvent::Message(_) => {}
                    WorkerEvent::Crashed(why) => dispatch
                        .dispatch(Action::Failed(Text::new(format!("{}{why}", WORKER_FAILED.0), format!("{}{why}", WORKER_FAILED.1)))),
                };
                match WorkerHandle::spawn(on_event) {
                    Ok(h) => *worker.borrow_mut() = Some(h),
                    Err(e) => {
                        state.dispatch(Action::Failed(Text::new(format!("{}{e}", WORKER_FAILED.0), format!("{}{e}", WORKER_FAILED.1))));
                        return;
                    }
                }
            }
            // The worker remembers nothing between runs; a fresh one per run keeps the answer's
            // config the one sent (a stop ends the worker).
            let sent = worker.borrow().as_ref().map(|w| w.send(&ToWorker::Table { design: design.clone(), config: config.clone() }));
            match sent {
                Some(Ok(())) => state.dispatch(Action::Started),
                Some(Err(e)) => {
                    *worker.borrow_mut() = None;
                    state.dispatch(Action::Failed(Text::new(format!("{}{e}", WORKER_FAILED.0), format!("{}{e}", WORKER_FAILED.1))));
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
            state.dispatch(Action::Stopped);
        })
    };

    let source_line = s.table.as_ref().map(|table| {
        let sep = match table.delimiter {
            '\t' => "TAB",
            ';' => ";",
            _ => ",",
        };
        Text::new(
            format!("{}: {} 行 × {} 列（{}、区切り {sep}）", s.name, table.rows.len(), table.columns.len(), table.encoding),
            format!("{}: {} rows × {} columns ({}, separator {sep})", s.name, table.rows.len(), table.columns.len(), table.encoding),
        )
    });

    let preview = s.table.as_ref().map(|table| {
        let numeric: Vec<bool> = (0..table.columns.len()).map(|c| table.kind(c) == ColumnKind::Numeric).collect();
        let kinds: Vec<String> = (0..table.columns.len())
            .map(|c| match table.kind(c) {
                ColumnKind::Numeric => t(T("数", "number")).to_owned(),
                ColumnKind::Categorical(v) => format!("{} {}", t(T("文字", "text")), v.len()),
                ColumnKind::Broken { .. } => t(T("数？（文字が混じる）", "number? (text inside)")).to_owned(),
            })
            .collect();
        html! {
            <details id="table-preview" open=true>
                <summary>{ t(PREVIEW) }</summary>
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
    });

    let controls = s.table.as_ref().map(|table| {
        let on_target = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                if let Ok(c) = select_value(&e).parse() {
                    state.dispatch(Action::Target(c));
                }
            })
        };
        let on_task = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                state.dispatch(Action::Task(if select_value(&e) == "regression" { Task::Regression } else { Task::Classification }))
            })
        };
        html! {
            <div class="table-controls">
                <label>{ t(TARGET) }
                    <select id="table-target" onchange={on_target}>
                        { for table.columns.iter().enumerate().map(|(c, n)| html! { <option value={c.to_string()} selected={c == s.target}>{ n }</option> }) }
                    </select>
                </label>
                <label>{ t(TASK) }
                    <select id="table-task" onchange={on_task}>
                        <option value="regression" selected={s.task == Task::Regression}>{ t(REGRESSION) }</option>
                        <option value="classification" selected={s.task == Task::Classification}>{ t(CLASSIFICATION) }</option>
                    </select>
                </label>
                <details class="table-inputs-box" open={table.columns.len() <= 20}>
                <summary id="table-inputs-summary">{ format!("{}（{} / {}）", t(INPUTS), s.inputs().len(), table.columns.len() - 1) }</summary>
                <fieldset id="table-inputs" class="table-inputs">
                    <legend class="visually-hidden">{ t(INPUTS) }</legend>
                    { for table.columns.iter().enumerate().filter(|(c, _)| *c != s.target).map(|(c, n)| {
                        let state = state.clone();
                        html! {
                            <label class="check">
                                <input type="checkbox" checked={!s.excluded.contains(&c)} data-column={n.clone()}
                                       onchange={Callback::from(move |_: Event| state.dispatch(Action::ToggleInput(c)))} />
                                { n }
                            </label>
                        }
                    }) }
                </fieldset>
                </details>
            </div>
        }
    });

    let design_line = match &design {
        Some(Ok(d)) => {
            let numeric = d.dim() - d.dummies;
            let classes = match &d.target {
                imagelab_core::table::Target::Classes { names, .. } => Text::new(
                    format!("、クラス {} 個（{}）", names.len(), names.join("・")),
                    format!("; {} classes ({})", names.len(), names.join(", ")),
                ),
                imagelab_core::table::Target::Values(_) => Text::new("", ""),
            };
            html! {
                <p id="table-design" data-inputs={d.dim().to_string()} data-dummies={d.dummies.to_string()}>
                    { format!("{}{}", Text::new(
                        format!("入力 {} 列（数の列 {numeric}、get_dummies で作った 0/1 の列 {}）", d.dim(), d.dummies),
                        format!("{} inputs ({numeric} number columns, {} 0/1 columns from get_dummies)", d.dim(), d.dummies),
                    ).get(l), classes.get(l)) }
                </p>
            }
        }
        Some(Err(e)) => html! { <p id="table-error" class="error" role="alert">{ e.0.get(l).to_owned() }</p> },
        None => html! {},
    };

    let model_controls = {
        let on_model = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                let v = select_value(&e);
                if let Some(m) =
                    [ModelChoice::Linear, ModelChoice::Logistic, ModelChoice::Tree, ModelChoice::Mlp].into_iter().find(|m| m.slug() == v)
                {
                    state.dispatch(Action::Model(m));
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
                               onchange={Callback::from(move |e: Event| if let Some(c) = number::<f64>(&e).filter(|c| *c > 0.0 && c.is_finite()) { state.dispatch(Action::C(c)) })} />
                    </label>
                }
            }
            ModelChoice::Tree => {
                let (s1, s2) = (state.clone(), state.clone());
                html! {
                    <>
                        <label>{ "max_depth" }
                            <input id="table-max-depth" type="number" min="1" max="30" placeholder="∞" value={s.max_depth.map(|d| d.to_string()).unwrap_or_default()}
                                   onchange={Callback::from(move |e: Event| s1.dispatch(Action::MaxDepth(number::<usize>(&e).filter(|d| *d > 0))))} />
                        </label>
                        <label>{ "min_samples_leaf" }
                            <input id="table-min-leaf" type="number" min="1" value={s.min_leaf.to_string()}
                                   onchange={Callback::from(move |e: Event| if let Some(m) = number::<usize>(&e).filter(|m| *m > 0) { s2.dispatch(Action::MinLeaf(m)) })} />
                        </label>
                    </>
                }
            }
            ModelChoice::Mlp => mlp_controls(l, &s.mlp, &state),
        };
        html! {
            <div class="table-model">
                <label>{ t(MODEL) }
                    <select id="table-model" onchange={on_model}>
                        { for ModelChoice::for_task(s.task).iter().map(|m| html! { <option value={m.slug()} selected={*m == s.model}>{ t(m.name()) }</option> }) }
                    </select>
                </label>
                { settings }
            </div>
        }
    };

    let validation_controls = {
        let on_validation = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                let v = select_value(&e);
                let k = v.strip_prefix('k').and_then(|k| k.parse().ok());
                state.dispatch(Action::Validation(match k {
                    Some(k) => Validation::KFold { k },
                    None => Validation::Holdout { validation_fraction: 0.3 },
                }))
            })
        };
        let on_seed = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                if let Some(v) = number::<u64>(&e) {
                    state.dispatch(Action::Seed(v))
                }
            })
        };
        let current = validation_slug(s.validation);
        html! {
            <div class="table-validation">
                <label>{ t(VALIDATION) }
                    <select id="table-validation" onchange={on_validation}>
                        { for [Validation::Holdout { validation_fraction: 0.3 }, Validation::KFold { k: 3 }, Validation::KFold { k: 5 }].into_iter().map(|v| {
                            let slug = validation_slug(v);
                            html! { <option value={slug.clone()} selected={slug == current}>{ validation_name(v).get(l).to_owned() }</option> }
                        }) }
                    </select>
                </label>
                <label>{ t(SEED) }
                    <input id="table-seed" type="number" min="0" value={s.seed.to_string()} onchange={on_seed} />
                </label>
            </div>
        }
    };

    let progress = s.progress.map(|(fold, p)| {
        let folds = match s.validation {
            Validation::KFold { k } => k,
            Validation::Holdout { .. } => 1,
        };
        let epochs = s.mlp.epochs;
        html! {
            <p id="table-progress" role="status">
                { Text::new(
                    format!("分割 {}/{folds}・エポック {}/{epochs}・損失 {:.4}・検証 {:.4}", fold + 1, p.epoch, p.loss, p.val),
                    format!("fold {}/{folds} · epoch {}/{epochs} · loss {:.4} · validation {:.4}", fold + 1, p.epoch, p.loss, p.val),
                ).get(l).to_owned() }
            </p>
        }
    });

    let result = s.result.as_ref().map(|(o, config)| {
        let metric = o.metric();
        let (m, sd) = o.val_mean_sd();
        let roc = o.roc();
        let auc_line = roc.as_ref().map(|r| {
            let aucs = r.aucs();
            let ms = r.mean_sd().unwrap_or((0.0, 0.0));
            html! { <p id="table-auc" data-value={format!("{:.4}", ms.0)}>{ format!("AUC: {}", scores_line(&aucs, ms)) }</p> }
        });
        let code = match (&design, &s.table) {
            (Some(Ok(d)), Some(table)) => {
                let names: Vec<String> = s.inputs().iter().map(|&c| table.columns[c].clone()).collect();
                imagelab_core::table::run::python_code(d, config, &s.name, table.delimiter, &names)
            }
            _ => String::new(),
        };
        let coefficients = o.coefficients.as_ref().zip(design.as_ref().and_then(|d| d.as_ref().ok())).map(|((coef, intercept), d)| {
            html! {
                <details id="table-coefficients">
                    <summary>{ t(T("係数（1 つ目の分割、元の単位）", "Coefficients (first fold, in the inputs' own units)")) }</summary>
                    <div class="table-scroll">
                        <table class="data-table">
                            <tbody>
                                <tr><th scope="row">{ t(T("切片", "intercept")) }</th><td class="num">{ format!("{intercept:.4}") }</td></tr>
                                { for d.names.iter().zip(coef).map(|(n, c)| html! { <tr><th scope="row">{ n }</th><td class="num">{ format!("{c:.4}") }</td></tr> }) }
                            </tbody>
                        </table>
                    </div>
                </details>
            }
        });
        html! {
            <section id="table-result" class="table-result" aria-live="polite">
                <h3>{ config.model.name().get(l).to_owned() }{ " — " }{ validation_name(config.validation).get(l).to_owned() }</h3>
                <p id="table-score" data-value={format!("{m:.4}")} data-metric={metric.en.clone()}>
                    { format!("{} ({}): {}", metric.get(l), t(T("検証データ", "validation")), scores_line(&o.folds.iter().map(|f| f.val).collect::<Vec<_>>(), (m, sd))) }
                </p>
                <p id="table-train-score">
                    { format!("{} ({}): {}", metric.get(l), t(T("構築データ", "training")), scores_line(&o.folds.iter().map(|f| f.train).collect::<Vec<_>>(), o.train_mean_sd())) }
                </p>
                { for auc_line }
                if o.task == Task::Classification && o.train_mean_sd().0 - m > 0.1 {
                    <p id="table-overfit" class="note">{ t(T(
                        "構築データの正解率が検証データよりずっと高い：過学習です。層やエポックを減らす、木を浅くする（max_depth）、C を小さくする、を試しましょう。",
                        "The training accuracy is far above the validation accuracy: overfitting. Try fewer layers or epochs, a shallower tree (max_depth) or a smaller C.",
                    )) }</p>
                }
                if let Some(r) = &roc {
                    <div class="roc-box">{ Html::from_html_unchecked(AttrValue::from(imagelab_core::roc::svg(r, l, "table-roc"))) }</div>
                }
                { curve_svg(o, l) }
                { for coefficients }
                <details id="table-code-box">
                    <summary>{ t(CODE) }</summary>
                    <p class="note">{ t(CODE_NOTE) }</p>
                    <pre id="table-code"><code>{ code }</code></pre>
                </details>
            </section>
        }
    });

    let history = (!s.history.is_empty()).then(|| {
        html! {
            <section class="table-history">
                <h3>{ t(HISTORY) }</h3>
                <div class="table-scroll">
                    <table id="table-history" class="data-table">
                        <thead><tr>
                            <th scope="col">{ t(SOURCE) }</th><th scope="col">{ t(MODEL) }</th><th scope="col">{ t(VALIDATION) }</th>
                            <th scope="col">{ t(T("検証データのスコア", "validation score")) }</th><th scope="col">{ "AUC" }</th>
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
    });

    let can_run = matches!(design, Some(Ok(_))) && !s.busy;
    html! {
        <section class="lab table-lab" aria-labelledby="table-title">
            <h2 id="table-title">{ t(TITLE) }</h2>
            <details class="intro"><summary>{ t(T("この実験について", "About this lab")) }</summary><p>{ t(INTRO) }</p></details>
            <div class="table-source">
                <label>{ t(BUILTIN) }
                    <select id="table-builtin" onchange={on_builtin}>
                        <option value="" selected={!BUILTINS.iter().any(|(slug, _)| s.name == format!("{slug}.csv"))}>{ t(CHOOSE_BUILTIN) }</option>
                        { for BUILTINS.iter().map(|(slug, name)| html! {
                            <option value={*slug} selected={s.name == format!("{slug}.csv")}>{ t(*name) }</option>
                        }) }
                    </select>
                </label>
                <label class="file">{ t(OWN_FILE) }
                    <input id="table-file" type="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" onchange={on_file} />
                </label>
            </div>
            if let Some(e) = &s.load_error {
                <p id="table-load-error" class="error" role="alert">{ e.get(l).to_owned() }</p>
            }
            if let Some(line) = source_line {
                <p id="table-source-line">{ line.get(l).to_owned() }</p>
            }
            { for preview }
            { for controls }
            { design_line }
            if s.table.is_some() {
                { model_controls }
                { validation_controls }
                <div class="actions">
                    <button id="table-run" onclick={on_run} disabled={!can_run}>{ t(RUN) }</button>
                    if s.busy {
                        <button id="table-stop" onclick={on_stop}>{ t(STOP) }</button>
                    }
                </div>
            }
            { for progress }
            if let Some(m) = &s.message {
                <p id="table-message" class="error" role="alert">{ m.get(l).to_owned() }</p>
            }
            { for result }
            { for history }
        </section>
    }
}

/// The network's layers (editable), the course's preset and the training settings.
fn mlp_controls(l: Lang, spec: &MlpSpec, state: &UseReducerHandle<TableState>) -> Html {
    let t = |s: T| s.get(l);
    let set = {
        let (state, spec) = (state.clone(), spec.clone());
        move |f: Box<dyn Fn(&mut MlpSpec)>| {
            let mut m = spec.clone();
            f(&mut m);
            state.dispatch(Action::Mlp(m));
        }
    };
    let set = Rc::new(set);
    let on_course = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Mlp(MlpSpec::course())))
    };
    let on_add = {
        let set = set.clone();
        Callback::from(move |_: MouseEvent| set(Box::new(|m| m.hidden.push(Dense { units: 10, activation: Activation::Relu }))))
    };
    let field = |id: &str, label: T, value: String, min: &str, apply: Rc<dyn Fn(&mut MlpSpec, f64)>| {
        let set = set.clone();
        html! {
            <label>{ t(label) }
                <input id={id.to_owned()} type="number" min={min.to_owned()} step="any" value={value}
                       onchange={Callback::from(move |e: Event| if let Some(v) = number::<f64>(&e) { let apply = apply.clone(); set(Box::new(move |m| apply(m, v))) })} />
            </label>
        }
    };
    let on_optimizer = {
        let set = set.clone();
        Callback::from(move |e: Event| {
            let choice = match select_value(&e).as_str() {
                "sgd" => Optimizer::Sgd,
                "momentum" => Optimizer::Momentum { momentum: 0.9 },
                "adam" => Optimizer::Adam,
                _ => Optimizer::Nesterov { momentum: 0.9 },
            };
            set(Box::new(move |m| m.optimizer = choice))
        })
    };
    html! {
        <div class="table-mlp">
            <button id="table-course-net" onclick={on_course}>{ t(COURSE_NET) }</button>
            <ol id="table-layers" class="table-layers">
                { for spec.hidden.iter().enumerate().map(|(i, d)| {
                    let (s1, s2, s3) = (set.clone(), set.clone(), set.clone());
                    html! {
                        <li>
                            { "Dense " }
                            <input type="number" min="1" max="512" value={d.units.to_string()} aria-label={format!("{} {}", t(UNITS), i + 1)}
                                   onchange={Callback::from(move |e: Event| if let Some(u) = number::<usize>(&e) { s1(Box::new(move |m| m.hidden[i].units = u)) })} />
                            <select aria-label={format!("{} {}", t(ACTIVATION), i + 1)}
                                    onchange={Callback::from(move |e: Event| {
                                        let v = select_value(&e);
                                        if let Some(a) = Activation::ALL.into_iter().find(|a| a.keras() == v) { s2(Box::new(move |m| m.hidden[i].activation = a)) }
                                    })}>
                                { for Activation::ALL.into_iter().map(|a| html! { <option value={a.keras()} selected={a == d.activation}>{ a.keras() }</option> }) }
                            </select>
                            <button aria-label={format!("{} {}", t(REMOVE_LAYER), i + 1)} onclick={Callback::from(move |_: MouseEvent| s3(Box::new(move |m| { m.hidden.remove(i); })))}>{ "✕" }</button>
                        </li>
                    }
                }) }
                <li class="output">{ t(T("出力層: 回帰は Dense(1)、2 クラスは Dense(1, sigmoid)、3 クラス以上は softmax", "Output: Dense(1) for regression, Dense(1, sigmoid) for two classes, softmax for more")) }</li>
            </ol>
            <button id="table-add-layer" onclick={on_add} disabled={spec.hidden.len() >= 8}>{ t(ADD_LAYER) }</button>
            <div class="table-mlp-settings">
                <label>{ t(OPTIMIZER) }
                    <select id="table-optimizer" onchange={on_optimizer}>
                        { for [("nesterov", "SGD + Nesterov 0.9"), ("momentum", "SGD + momentum 0.9"), ("sgd", "SGD"), ("adam", "Adam")].into_iter().map(|(v, n)| html! {
                            <option value={v} selected={spec.optimizer.slug() == v}>{ n }</option>
                        }) }
                    </select>
                </label>
                { field("table-lr", LR, spec.learning_rate.to_string(), "0.00001", Rc::new(|m, v| m.learning_rate = v)) }
                { field("table-batch", BATCH, spec.batch_size.to_string(), "1", Rc::new(|m, v| m.batch_size = v as usize)) }
                { field("table-epochs", EPOCHS, spec.epochs.to_string(), "1", Rc::new(|m, v| m.epochs = v as usize)) }
            </div>
        </div>
    }
}
