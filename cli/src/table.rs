//! `imagelab table`: the table lab (表データ) on the command line — the same reading,
//! `get_dummies`, standardisation, splits, models and scores as the page.

use crate::fail::{Failure, unreadable};
use clap::{Args, Subcommand, ValueEnum};
use imagelab_core::nn::architecture::Activation;
use imagelab_core::table::run::{self, Dense, MlpSpec, TableConfig, TableModel, Validation};
use imagelab_core::table::{TableError, Task, encode, read};
use std::path::PathBuf;

/// `imagelab table …`.
#[derive(Subcommand)]
pub enum TableCommand {
    /// Trains and judges a model on a CSV/TSV table: hold-out or K-fold, RMSE for regression,
    /// accuracy and AUC for classification, per fold and mean ± sd.
    #[command(after_help = "Example / 例 (the course's Keras program on the bank table):\n  \
imagelab table train bank.csv --target y --model mlp --holdout 0.3\n  \
imagelab table train diabetes.csv --target target --model linear --cv 3")]
    Train(TrainArgs),
}

/// The model.
#[derive(Clone, Copy, ValueEnum)]
pub enum ModelArg {
    /// 線形回帰 (regression).
    Linear,
    /// ロジスティック回帰 (classification).
    Logistic,
    /// 決定木 (classification).
    Tree,
    /// ニューラルネットワーク (either; the course's Keras network unless --hidden says else).
    Mlp,
}

/// The task.
#[derive(Clone, Copy, ValueEnum)]
pub enum TaskArg {
    /// 回帰: predict a number.
    Regression,
    /// 分類: predict a class.
    Classification,
}

/// `imagelab table train`.
#[derive(Args)]
pub struct TrainArgs {
    /// The table (CSV or TSV; UTF-8, UTF-8 with BOM or Shift_JIS; the first line names the columns).
    pub file: PathBuf,
    /// The column to predict (目的変数).
    #[arg(long)]
    pub target: String,
    /// Regression or classification (default: regression for a column of numbers with more than
    /// 10 distinct values, else classification).
    #[arg(long, value_enum)]
    pub task: Option<TaskArg>,
    /// Columns to leave out of the inputs, comma separated (an ID, a constant column…).
    #[arg(long, value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// The model (default: linear for regression, logistic for classification).
    #[arg(long, value_enum)]
    pub model: Option<ModelArg>,
    /// K-fold cross-validation with K folds (the course's cv=3); without it, hold-out.
    #[arg(long, conflicts_with = "holdout")]
    pub cv: Option<usize>,
    /// The hold-out's validation share.
    #[arg(long, default_value_t = 0.3)]
    pub holdout: f64,
    /// The split's and the network's seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Logistic regression's C.
    #[arg(long, default_value_t = 1.0)]
    pub c: f64,
    /// The tree's depth limit (none when left out).
    #[arg(long)]
    pub max_depth: Option<usize>,
    /// The fewest rows a tree's leaf keeps.
    #[arg(long, default_value_t = 1)]
    pub min_samples_leaf: usize,
    /// The network's hidden layers as units:activation, comma separated (default the course's
    /// `10:tanh,10:relu`; activations linear, sigmoid, tanh, relu).
    #[arg(long)]
    pub hidden: Option<String>,
    /// The network's epochs.
    #[arg(long, default_value_t = 100)]
    pub epochs: usize,
    /// The network's mini-batch.
    #[arg(long, default_value_t = 128)]
    pub batch_size: usize,
    /// The network's learning rate (SGD with Nesterov momentum 0.9, as the course's).
    #[arg(long, default_value_t = 0.1)]
    pub learning_rate: f64,
    /// Also print the Python (pandas, scikit-learn, Keras) that runs the same experiment.
    #[arg(long)]
    pub code: bool,
}

/// Runs a `table` command.
///
/// # Errors
/// [`Failure`] for an unreadable or refused table (3) or bad settings (2).
pub fn run(command: TableCommand) -> Result<(), Failure> {
    match command {
        TableCommand::Train(a) => train(a),
    }
}

fn refused(e: &TableError) -> Failure {
    Failure::input(e.0.ja.clone(), e.0.en.clone())
}

fn hidden_layers(s: &str) -> Result<Vec<Dense>, Failure> {
    s.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let (units, act) = p.trim().split_once(':').unwrap_or((p.trim(), "relu"));
            let units = units.parse::<usize>().ok();
            let activation = Activation::from_keras(act);
            match (units, activation) {
                (Some(units), Some(activation)) => Ok(Dense { units, activation }),
                _ => Err(Failure::usage(
                    format!("--hidden の「{p}」が読めません（例: 10:tanh,10:relu）"),
                    format!("cannot read “{p}” in --hidden (e.g. 10:tanh,10:relu)"),
                )),
            }
        })
        .collect()
}

fn train(a: TrainArgs) -> Result<(), Failure> {
    let bytes = std::fs::read(&a.file).map_err(|e| unreadable(&a.file, &e))?;
    let table = read::parse(&bytes).map_err(|e| refused(&e))?;
    let Some(target) = table.find(&a.target) else {
        return Err(Failure::usage(
            format!("列「{}」がありません（列: {}）", a.target, table.columns.join(", ")),
            format!("no column “{}” (columns: {})", a.target, table.columns.join(", ")),
        ));
    };
    if let Some(x) = a.exclude.iter().find(|x| table.find(x).is_none()) {
        return Err(Failure::usage(format!("--exclude の列「{x}」がありません"), format!("--exclude names no column “{x}”")));
    }
    let inputs: Vec<usize> = (0..table.columns.len()).filter(|&c| c != target && !a.exclude.contains(&table.columns[c])).collect();
    let task = match a.task {
        Some(TaskArg::Regression) => Task::Regression,
        Some(TaskArg::Classification) => Task::Classification,
        None => encode::suggest_task(&table, target),
    };
    let design = encode::design(&table, target, task, &inputs).map_err(|e| refused(&e))?;
    let model = match a.model.unwrap_or(if task == Task::Regression { ModelArg::Linear } else { ModelArg::Logistic }) {
        ModelArg::Linear => TableModel::Linear,
        ModelArg::Logistic => TableModel::Logistic { c: a.c },
        ModelArg::Tree => TableModel::Tree { max_depth: a.max_depth, min_samples_leaf: a.min_samples_leaf },
        ModelArg::Mlp => TableModel::Mlp(MlpSpec {
            hidden: a.hidden.as_deref().map(hidden_layers).transpose()?.unwrap_or_else(|| MlpSpec::course().hidden),
            epochs: a.epochs,
            batch_size: a.batch_size,
            learning_rate: a.learning_rate,
            ..MlpSpec::course()
        }),
    };
    let validation = match a.cv {
        Some(k) => Validation::KFold { k },
        None => Validation::Holdout { validation_fraction: a.holdout },
    };
    let config = TableConfig { model, validation, seed: a.seed };
    let splits = run::splits(&design, validation, a.seed).map_err(|e| Failure::usage(e.0.ja.clone(), e.0.en.clone()))?;
    let outcome = run::evaluate(&design, &splits, &config.model, a.seed, &mut |_, _| true)
        .map_err(|e| Failure::usage(e.0.ja.clone(), e.0.en.clone()))?;
    let task_name = if task == Task::Regression { "regression" } else { "classification" };
    println!(
        "table: {} rows, {} inputs ({} dummies) from {} columns; target {} ({task_name}); {}",
        design.rows,
        design.dim(),
        design.dummies,
        inputs.len(),
        design.target_name,
        config.model.name().en
    );
    let metric = outcome.metric().en;
    let list = |v: Vec<f64>| v.iter().map(|x| format!("{x:.4}")).collect::<Vec<_>>().join(" ");
    println!("validation {metric} per fold: [{}]", list(outcome.folds.iter().map(|f| f.val).collect()));
    let (m, s) = outcome.val_mean_sd();
    let (tm, ts) = outcome.train_mean_sd();
    println!("validation {metric}: {m:.4} ± {s:.4}");
    println!("training {metric}: {tm:.4} ± {ts:.4}");
    if let Some(roc) = outcome.roc() {
        println!("validation AUC per fold: [{}]", list(roc.aucs()));
        if let Some((m, s)) = roc.mean_sd() {
            println!("validation AUC: {m:.4} ± {s:.4}");
        }
    }
    if a.code {
        let file = a.file.file_name().map_or("data.csv".into(), |f| f.to_string_lossy().into_owned());
        let names: Vec<String> = inputs.iter().map(|&c| table.columns[c].clone()).collect();
        println!("\n{}", run::python_code(&design, &config, &file, table.delimiter, &table.encoding, &names));
    }
    Ok(())
}
