//! The table lab's models on the image labs' split machinery, scored per fold as
//! `cross_val_score` prints them, and the Python that does the same.

use super::encode::{Design, Target, Task};
use super::read::TableError;
use crate::classical::TreeNodeView;
use crate::data::split::Split;
use crate::i18n::Text;
use crate::nn::architecture::Activation;
use crate::nn::experiment::Optimizer;
use crate::nn::metrics::mean_sd;
use crate::nn::roc::{FoldRoc, RocPoint, RocSummary};
use serde::{Deserialize, Serialize};

/// One dense hidden layer of the network.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dense {
    /// Its units (1–512).
    pub units: usize,
    /// Its activation.
    pub activation: Activation,
}

/// A dense network (多層パーセプトロン) and how it is trained. The output layer follows the
/// task: one sigmoid unit for two classes (binary cross-entropy), softmax for more
/// (cross-entropy), one linear unit for regression (mean squared error, on the target
/// standardised with the training part's statistics and turned back for the RMSE).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MlpSpec {
    /// The hidden layers, input side first.
    pub hidden: Vec<Dense>,
    /// The optimizer.
    pub optimizer: Optimizer,
    /// Its learning rate.
    pub learning_rate: f64,
    /// Rows per mini-batch.
    pub batch_size: usize,
    /// Passes over the training part.
    pub epochs: usize,
}

impl MlpSpec {
    /// The course's Keras program: Dense(10, tanh) → Dense(10, relu) → the output, SGD with
    /// learning rate 0.1, Nesterov momentum 0.9, batch 128, 100 epochs.
    pub fn course() -> MlpSpec {
        MlpSpec {
            hidden: vec![Dense { units: 10, activation: Activation::Tanh }, Dense { units: 10, activation: Activation::Relu }],
            optimizer: Optimizer::Nesterov { momentum: 0.9 },
            learning_rate: 0.1,
            batch_size: 128,
            epochs: 100,
        }
    }

    /// Checks the ranges.
    ///
    /// # Errors
    /// [`TableError`] naming the setting.
    pub fn validate(&self) -> Result<(), TableError> {
        let bad = |ja: String, en: String| Err(TableError::new(ja, en));
        if self.hidden.len() > 8 {
            return bad(
                format!("隠れ層は 8 層までです（{} 層）", self.hidden.len()),
                format!("at most 8 hidden layers ({})", self.hidden.len()),
            );
        }
        if let Some(d) = self.hidden.iter().find(|d| !(1..=512).contains(&d.units)) {
            return bad(format!("層のユニット数は 1〜512 です（{}）", d.units), format!("a layer has 1 to 512 units ({})", d.units));
        }
        if !(crate::nn::experiment::MIN_LEARNING_RATE..=crate::nn::experiment::MAX_LEARNING_RATE).contains(&self.learning_rate) {
            return bad(
                format!("学習率 {} は範囲外です", self.learning_rate),
                format!("learning rate {} is out of range", self.learning_rate),
            );
        }
        if !(1..=4096).contains(&self.batch_size) {
            return bad(
                format!("ミニバッチは 1〜4096 です（{}）", self.batch_size),
                format!("the mini-batch is 1 to 4096 ({})", self.batch_size),
            );
        }
        if !(1..=1000).contains(&self.epochs) {
            return bad(format!("エポック数は 1〜1000 です（{}）", self.epochs), format!("epochs are 1 to 1000 ({})", self.epochs));
        }
        Ok(())
    }
}

/// A model of the table lab.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TableModel {
    /// 線形回帰 (regression).
    Linear,
    /// ロジスティック回帰 (classification; `c` as scikit-learn's C).
    Logistic {
        /// Inverse regularisation strength.
        c: f64,
    },
    /// 決定木 (classification).
    Tree {
        /// Depth limit (`None`: none).
        max_depth: Option<usize>,
        /// The fewest rows a leaf keeps.
        min_samples_leaf: usize,
    },
    /// ニューラルネットワーク (either task).
    Mlp(MlpSpec),
}

impl TableModel {
    /// Its name with its settings.
    pub fn name(&self) -> Text {
        match self {
            TableModel::Linear => Text::new("線形回帰", "linear regression"),
            TableModel::Logistic { c } => crate::classical::ModelKind::Logistic { c: *c }.name(),
            TableModel::Tree { max_depth, min_samples_leaf } => {
                crate::classical::ModelKind::Tree { max_depth: *max_depth, min_samples_leaf: *min_samples_leaf }.name()
            }
            TableModel::Mlp(m) => {
                let layers: Vec<String> = m.hidden.iter().map(|d| format!("{} {}", d.units, d.activation.keras())).collect();
                let layers = if layers.is_empty() { "—".to_owned() } else { layers.join(" → ") };
                Text::new(format!("ニューラルネットワーク（{layers}）"), format!("neural network ({layers})"))
            }
        }
    }

    /// Whether it does `task`.
    pub fn fits(&self, task: Task) -> bool {
        match self {
            TableModel::Linear => task == Task::Regression,
            TableModel::Logistic { .. } | TableModel::Tree { .. } => task == Task::Classification,
            TableModel::Mlp(_) => true,
        }
    }
}

/// How the rows are split (the image labs' machinery: stratified by class for classification).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Validation {
    /// ホールドアウト法: this share of the rows validates.
    Holdout {
        /// 0–1 (the course's 0.3).
        validation_fraction: f64,
    },
    /// K 分割交差検証 (the course's `cv=3`).
    KFold {
        /// 2–20.
        k: usize,
    },
}

/// One experiment on a table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableConfig {
    /// The model.
    pub model: TableModel,
    /// The split.
    pub validation: Validation,
    /// The split's (and the network's) seed.
    pub seed: u64,
}

/// The splits of `design`'s rows.
///
/// # Errors
/// [`TableError`] when the setting is out of range or a part would be empty.
pub fn splits(design: &Design, validation: Validation, seed: u64) -> Result<Vec<Split>, TableError> {
    let (strata, classes) = design.target.strata();
    let r = match validation {
        Validation::Holdout { validation_fraction } => {
            crate::data::split::stratified_holdout(&strata, classes, validation_fraction, seed).map(|s| vec![s])
        }
        Validation::KFold { k } => crate::data::split::stratified_k_fold(&strata, classes, k, seed),
    };
    r.map_err(|e| match e {
        crate::CoreError::BadSetting { .. } => TableError(e.text()),
        // Too few rows (the split's own words speak of images).
        _ => {
            let (n, how_ja, how_en) = match validation {
                Validation::Holdout { validation_fraction } => {
                    let p = (validation_fraction * 100.0).round();
                    (design.rows, format!("構築データと検証データ（{p} %）"), format!("training and validation ({p} %)"))
                }
                Validation::KFold { k } => (design.rows, format!(" {k} 分割"), format!("{k} folds")),
            };
            TableError::new(
                format!("{n} 行では{how_ja}に分けられません（クラスごとの行が少なすぎます）。行を増やすか、分け方を変えてください"),
                format!("{n} rows cannot be split into {how_en} (too few rows per class); add rows or split differently"),
            )
        }
    })
}

/// The network's progress after one epoch.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochPoint {
    /// 1-based.
    pub epoch: usize,
    /// The training loss, averaged over the epoch's mini-batches.
    pub loss: f64,
    /// The score of the training part after the epoch (accuracy, or RMSE).
    pub train: f64,
    /// The score of the validation part after the epoch.
    pub val: f64,
}

/// One fold's scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FoldScore {
    /// The training part's score: accuracy (classification) or RMSE (regression).
    pub train: f64,
    /// The validation part's score.
    pub val: f64,
    /// Two classes: the validation AUC (`None` with one class in the part).
    pub auc: Option<f64>,
    /// Two classes: the ROC curve's corners.
    pub roc: Vec<RocPoint>,
    /// The network's curve (networks only).
    pub curve: Vec<EpochPoint>,
}

/// What an experiment gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableOutcome {
    /// The task.
    pub task: Task,
    /// One per fold (hold-out: one).
    pub folds: Vec<FoldScore>,
    /// A tree's top levels (first fold).
    pub tree: Vec<TreeNodeView>,
    /// Linear regression's weights on the inputs and its intercept (first fold), in the
    /// inputs' own units.
    pub coefficients: Option<(Vec<f64>, f64)>,
}

impl TableOutcome {
    /// Mean and population sd of the folds' validation scores (as `scores.mean()`,
    /// `scores.std()` of `cross_val_score`).
    pub fn val_mean_sd(&self) -> (f64, f64) {
        mean_sd(&self.folds.iter().map(|f| f.val).collect::<Vec<_>>()).unwrap_or((0.0, 0.0))
    }

    /// The same for the training parts.
    pub fn train_mean_sd(&self) -> (f64, f64) {
        mean_sd(&self.folds.iter().map(|f| f.train).collect::<Vec<_>>()).unwrap_or((0.0, 0.0))
    }

    /// Two classes: every fold's ROC, for the chart.
    pub fn roc(&self) -> Option<RocSummary> {
        let folds: Vec<FoldRoc> = self
            .folds
            .iter()
            .enumerate()
            .filter(|(_, f)| f.auc.is_some())
            .map(|(i, f)| FoldRoc { fold: i, auc: f.auc, curve: f.roc.clone() })
            .collect();
        (!folds.is_empty()).then_some(RocSummary { folds })
    }

    /// The score's name: 正解率 or RMSE.
    pub fn metric(&self) -> Text {
        match self.task {
            Task::Regression => Text::new("RMSE", "RMSE"),
            Task::Classification => Text::new("正解率", "accuracy"),
        }
    }
}

/// The class with the highest probability (the last of equals, as `max_by` keeps it; 0 when none).
#[cfg(feature = "nn")]
pub(crate) fn argmax(p: &[f64]) -> usize {
    p.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(i, _)| i)
}

#[cfg(all(feature = "classical", feature = "nn"))]
fn class_scores(labels: &[usize], classes: usize, predicted: &[Vec<f64>], rows: &[usize]) -> (f64, Option<f64>, Vec<RocPoint>) {
    let mut correct = 0;
    let (mut scores, mut positives) = (Vec::new(), Vec::new());
    for (p, &r) in predicted.iter().zip(rows) {
        let best = argmax(p);
        correct += usize::from(best == labels[r]);
        if classes == 2 {
            scores.push(p[1]);
            positives.push(labels[r] == 1);
        }
    }
    let accuracy = correct as f64 / rows.len().max(1) as f64;
    if classes != 2 {
        return (accuracy, None, Vec::new());
    }
    (accuracy, crate::nn::roc::roc_auc(&scores, &positives), crate::nn::roc::roc_corners(&scores, &positives))
}

/// Fits `model` on each split's training part (inputs standardised with that part's
/// statistics) and scores both parts. `on_epoch(fold, point)` hears a network's progress and
/// stops it by returning `false`.
///
/// # Errors
/// [`TableError`] for a model that does not fit the task, settings out of range, a model the
/// data cannot fit, or a stop.
#[cfg(all(feature = "classical", feature = "nn"))]
pub fn evaluate(
    design: &Design,
    splits: &[Split],
    model: &TableModel,
    seed: u64,
    on_epoch: &mut dyn FnMut(usize, &EpochPoint) -> bool,
) -> Result<TableOutcome, TableError> {
    let task = design.target.task();
    if !model.fits(task) {
        return Err(TableError::new(
            format!("{}は{}に使えません", model.name().ja, if task == Task::Regression { "回帰" } else { "分類" }),
            format!("{} does not do {}", model.name().en, if task == Task::Regression { "regression" } else { "classification" }),
        ));
    }
    if let TableModel::Mlp(m) = model {
        m.validate()?;
    }
    let dim = design.dim();
    let mut outcome = TableOutcome { task, folds: Vec::new(), tree: Vec::new(), coefficients: None };
    for (fold, split) in splits.iter().enumerate() {
        let scaler = super::Scaler::fit(&design.x, dim, &split.train);
        let z = scaler.transform(&design.x);
        let score = match (model, &design.target) {
            (TableModel::Linear, Target::Values(y)) => {
                let fit = super::linear::LinearFit::fit(&design.x, dim, y, &split.train);
                let rmse = |rows: &[usize]| {
                    let p: Vec<f64> = rows.iter().map(|&r| fit.predict(design.row(r))).collect();
                    let t: Vec<f64> = rows.iter().map(|&r| y[r]).collect();
                    super::linear::rmse(&p, &t)
                };
                if fold == 0 {
                    outcome.coefficients = Some((fit.coef.clone(), fit.intercept));
                }
                FoldScore { train: rmse(&split.train), val: rmse(&split.validation), auc: None, roc: Vec::new(), curve: Vec::new() }
            }
            (TableModel::Logistic { c }, Target::Classes { labels, names }) => {
                classical(&z, dim, labels, names.len(), split, crate::classical::ModelKind::Logistic { c: *c })?.0
            }
            (TableModel::Tree { max_depth, min_samples_leaf }, Target::Classes { labels, names }) => {
                let kind = crate::classical::ModelKind::Tree { max_depth: *max_depth, min_samples_leaf: *min_samples_leaf };
                let (score, tree) = classical(&z, dim, labels, names.len(), split, kind)?;
                if fold == 0 {
                    outcome.tree = tree;
                }
                score
            }
            (TableModel::Mlp(spec), target) => {
                let fit = super::mlp::train(&z, dim, target, split, spec, seed, &mut |p| on_epoch(fold, p))?;
                match target {
                    Target::Values(_) => {
                        FoldScore { train: fit.curve_last().train, val: fit.curve_last().val, auc: None, roc: Vec::new(), curve: fit.curve }
                    }
                    Target::Classes { labels, names } => {
                        let (train, _, _) = class_scores(labels, names.len(), &fit.train, &split.train);
                        let (val, auc, roc) = class_scores(labels, names.len(), &fit.val, &split.validation);
                        FoldScore { train, val, auc, roc, curve: fit.curve }
                    }
                }
            }
            _ => unreachable!("fits() checked the task"),
        };
        outcome.folds.push(score);
    }
    Ok(outcome)
}

#[cfg(all(feature = "classical", feature = "nn"))]
/// A classical model on the standardised rows: its fold score and, for a tree, its top levels.
fn classical(
    z: &[f64],
    dim: usize,
    labels: &[usize],
    classes: usize,
    split: &Split,
    kind: crate::classical::ModelKind,
) -> Result<(FoldScore, Vec<TreeNodeView>), TableError> {
    let rows: Vec<f32> = z.iter().map(|&v| v as f32).collect();
    let o = crate::classical::evaluate(&rows, dim, labels, split, kind, &|| 0.0).map_err(|e| {
        let t = e.text();
        TableError::new(format!("学習できません（{}）", t.ja), format!("cannot fit the model ({})", t.en))
    })?;
    let (auc, roc) = if classes == 2 {
        let positives: Vec<bool> = split.validation.iter().map(|&r| labels[r] == 1).collect();
        (crate::nn::roc::roc_auc(&o.val_scores, &positives), crate::nn::roc::roc_corners(&o.val_scores, &positives))
    } else {
        (None, Vec::new())
    };
    Ok((FoldScore { train: o.train_accuracy, val: o.val_accuracy, auc, roc, curve: Vec::new() }, o.tree))
}

/// Quotes a name as a Python string.
fn py(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'").replace('\n', "\\n").replace('\r', "\\r"))
}

/// A name inside a Python comment: on one line.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// The Python (pandas, scikit-learn, Keras) that runs the same experiment: the course's way of
/// writing it. `file` is the table's file name, `delimiter` its separator and `encoding` the one
/// it was read in ([`super::Table`]'s), `inputs` the input columns' names as the table has them.
pub fn python_code(design: &Design, config: &TableConfig, file: &str, delimiter: char, encoding: &str, inputs: &[String]) -> String {
    let mut o = String::from(
        "import pandas as pd\nfrom sklearn.model_selection import train_test_split, cross_val_score, KFold, StratifiedKFold\nfrom sklearn.preprocessing import StandardScaler\nfrom sklearn.pipeline import make_pipeline\n",
    );
    let task = design.target.task();
    match &config.model {
        TableModel::Linear => o.push_str("from sklearn.linear_model import LinearRegression\n"),
        TableModel::Logistic { .. } => o.push_str("from sklearn.linear_model import LogisticRegression\n"),
        TableModel::Tree { .. } => o.push_str("from sklearn.tree import DecisionTreeClassifier\n"),
        TableModel::Mlp(_) => o.push_str(
            "import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import Dense\nfrom keras.optimizers import SGD, Adam, RMSprop\n",
        ),
    }
    let sep = match delimiter {
        '\t' => ", sep='\\t'",
        ';' => ", sep=';'",
        _ => "",
    };
    let encoding = match encoding {
        "Shift_JIS" => ", encoding='shift_jis'",
        "UTF-8 (BOM)" => ", encoding='utf-8-sig'",
        "UTF-16LE" | "UTF-16BE" => ", encoding='utf-16'",
        _ => "",
    };
    o.push_str(&format!("\ndf = pd.read_csv({}{sep}{encoding})\n", py(file)));
    o.push_str(&format!(
        "X = pd.get_dummies(df[[{}]], dtype=float)  # {} columns\n",
        inputs.iter().map(|s| py(s)).collect::<Vec<_>>().join(", "),
        design.dim()
    ));
    let target = py(&design.target_name);
    match &design.target {
        Target::Classes { names, .. } if names.len() == 2 && matches!(config.model, TableModel::Mlp(_)) => {
            o.push_str(&format!("y = (df[{target}].astype(str) == {}).astype(int)  # 1 = {}\n", py(&names[1]), one_line(&names[1])));
        }
        Target::Classes { .. } if matches!(config.model, TableModel::Mlp(_)) => {
            o.push_str(&format!("y = df[{target}].astype('category').cat.codes  # classes numbered in sorted order\n"));
        }
        _ => o.push_str(&format!("y = df[{target}]\n")),
    }
    let sklearn_model = match &config.model {
        TableModel::Linear => "LinearRegression()".to_owned(),
        TableModel::Logistic { c } => format!("LogisticRegression(C={c}, max_iter=1000)"),
        TableModel::Tree { max_depth, min_samples_leaf } => format!(
            "DecisionTreeClassifier(max_depth={}, min_samples_leaf={min_samples_leaf})",
            max_depth.map_or("None".to_owned(), |d| d.to_string())
        ),
        TableModel::Mlp(_) => String::new(),
    };
    let stratify = if task == Task::Classification { ", stratify=y" } else { "" };
    let seed = config.seed;
    if let TableModel::Mlp(m) = &config.model {
        let (out, loss) = match &design.target {
            Target::Values(_) => ("Dense(1)".to_owned(), "'mse'"),
            Target::Classes { names, .. } if names.len() == 2 => ("Dense(1, activation='sigmoid')".to_owned(), "'binary_crossentropy'"),
            Target::Classes { names, .. } => (format!("Dense({}, activation='softmax')", names.len()), "'sparse_categorical_crossentropy'"),
        };
        let optimizer = match m.optimizer {
            Optimizer::Sgd => format!("SGD(learning_rate={})", m.learning_rate),
            Optimizer::Momentum { momentum } => format!("SGD(learning_rate={}, momentum={momentum})", m.learning_rate),
            Optimizer::Nesterov { momentum } => format!("SGD(learning_rate={}, momentum={momentum}, nesterov=True)", m.learning_rate),
            Optimizer::Adam => format!("Adam(learning_rate={})", m.learning_rate),
            Optimizer::RmsProp => format!("RMSprop(learning_rate={})", m.learning_rate),
        };
        let metric = if task == Task::Regression { "" } else { ", metrics=['accuracy']" };
        let mut net = String::from("\ndef build():\n    model = Sequential()\n");
        for (i, d) in m.hidden.iter().enumerate() {
            let input = if i == 0 { format!(", input_dim={}", design.dim()) } else { String::new() };
            net.push_str(&format!("    model.add(Dense({}, activation='{}'{input}))\n", d.units, d.activation.keras()));
        }
        let input = if m.hidden.is_empty() { format!(", input_dim={}", design.dim()) } else { String::new() };
        let out = if input.is_empty() { out } else { format!("{}{input})", out.trim_end_matches(')')) };
        net.push_str(&format!("    model.add({out})\n    model.compile(loss={loss}, optimizer={optimizer}{metric})\n    return model\n"));
        o.push_str(&net);
        let (b, e) = (m.batch_size, m.epochs);
        o.push_str("\ndef judge(X_train, X_test, y_train, y_test):\n    sc = StandardScaler().fit(X_train)  # statistics of the training part only\n    X_train, X_test = sc.transform(X_train), sc.transform(X_test)\n    model = build()\n");
        match task {
            Task::Classification => o.push_str(&format!(
                "    model.fit(X_train, y_train, batch_size={b}, epochs={e}, verbose=0)\n    return model.evaluate(X_test, y_test, verbose=0)[1]  # accuracy\n"
            )),
            Task::Regression => o.push_str(&format!(
                "    m, s = y_train.mean(), y_train.std(ddof=0)  # the target standardised too, as ImageLab does\n    model.fit(X_train, (y_train - m) / s, batch_size={b}, epochs={e}, verbose=0)\n    predicted = model.predict(X_test, verbose=0)[:, 0] * s + m\n    return ((predicted - y_test) ** 2).mean() ** 0.5  # RMSE\n"
            )),
        }
        match config.validation {
            Validation::Holdout { validation_fraction } => o.push_str(&format!(
                "\nprint(judge(*train_test_split(X, y, test_size={validation_fraction}, random_state={seed}{stratify})))\n"
            )),
            Validation::KFold { k } => {
                let kf = if task == Task::Classification { "StratifiedKFold" } else { "KFold" };
                o.push_str(&format!(
                    "\ncv = {kf}({k}, shuffle=True, random_state={seed})\nscores = np.array([judge(X.iloc[tr], X.iloc[te], y.iloc[tr], y.iloc[te]) for tr, te in cv.split(X, y)])\nprint(scores, scores.mean(), scores.std())\n"
                ));
            }
        }
        return o;
    }
    let scoring = match task {
        Task::Regression => "'neg_root_mean_squared_error'",
        Task::Classification => "'accuracy'",
    };
    o.push_str(&format!("\nmodel = make_pipeline(StandardScaler(), {sklearn_model})  # the scaler learns from the training part only\n"));
    match config.validation {
        Validation::Holdout { validation_fraction } => {
            o.push_str(&format!(
                "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size={validation_fraction}, random_state={seed}{stratify})\nmodel.fit(X_train, y_train)\n"
            ));
            match task {
                Task::Regression => o.push_str("from sklearn.metrics import root_mean_squared_error\nprint(root_mean_squared_error(y_test, model.predict(X_test)))  # RMSE\n"),
                Task::Classification => o.push_str("print(model.score(X_test, y_test))  # accuracy\n"),
            }
            if matches!(&design.target, Target::Classes { names, .. } if names.len() == 2) {
                o.push_str(
                    "from sklearn.metrics import roc_auc_score\nprint(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))  # AUC\n",
                );
            }
        }
        Validation::KFold { k } => {
            let kf = if task == Task::Classification { "StratifiedKFold" } else { "KFold" };
            o.push_str(&format!(
                "cv = {kf}({k}, shuffle=True, random_state={seed})\nscores = cross_val_score(model, X, y, cv=cv, scoring={scoring})\n"
            ));
            if task == Task::Regression {
                o.push_str("scores = -scores  # RMSE (scikit-learn makes every score larger-is-better)\n");
            }
            o.push_str("print(scores, scores.mean(), scores.std())\n");
            if matches!(&design.target, Target::Classes { names, .. } if names.len() == 2) {
                o.push_str("print(cross_val_score(model, X, y, cv=cv, scoring='roc_auc'))  # AUC\n");
            }
        }
    }
    o
}
