//! The table lab (表データ) as a pure reducer: the table loaded, the target, the task and the
//! inputs chosen, the model and its settings, the split, the run in flight and its epochs, the
//! last result and every run's scores. Every change — a control, a loaded file, a worker message
//! — is a [`TableAction`]; the page (`src/labs/table.rs`) draws and sends.

use crate::i18n::Text;
use crate::session::Reducer;
use crate::table::run::{EpochPoint, MlpSpec, TableConfig, TableModel, TableOutcome, Validation};
use crate::table::{ColumnKind, Table, Task, encode, read};
use std::rc::Rc;

/// Which model the lab fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelChoice {
    /// Linear regression.
    Linear,
    /// Logistic regression.
    Logistic,
    /// A decision tree.
    Tree,
    /// The course's Keras network.
    Mlp,
}

impl ModelChoice {
    /// The select's value.
    pub fn slug(self) -> &'static str {
        match self {
            ModelChoice::Linear => "linear",
            ModelChoice::Logistic => "logistic",
            ModelChoice::Tree => "tree",
            ModelChoice::Mlp => "mlp",
        }
    }

    /// The models that do `task`, the first the default.
    pub fn for_task(task: Task) -> &'static [ModelChoice] {
        match task {
            Task::Regression => &[ModelChoice::Linear, ModelChoice::Mlp],
            Task::Classification => &[ModelChoice::Logistic, ModelChoice::Tree, ModelChoice::Mlp],
        }
    }
}

/// One finished run, for the results table.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    /// The table's name.
    pub table: String,
    /// The model with its settings.
    pub model: Text,
    /// The split.
    pub validation: Validation,
    /// What the scores are (accuracy, R², RMSE…).
    pub metric: Text,
    /// Each fold's validation score.
    pub folds: Vec<f64>,
    /// Their mean and standard deviation.
    pub mean_sd: (f64, f64),
    /// Two classes: the AUC's mean and standard deviation over the folds.
    pub auc: Option<(f64, f64)>,
}

/// A run as it was sent: its settings, the table's name, the inputs' names and the Python.
#[derive(Clone, Debug, PartialEq)]
pub struct TableRun {
    /// The table's name.
    pub name: String,
    /// The settings sent.
    pub config: TableConfig,
    /// The inputs after get_dummies (for the coefficients).
    pub names: Vec<String>,
    /// The same run in pandas, scikit-learn and Keras.
    pub code: String,
}

impl TableRun {
    /// The folds it runs (hold-out: 1).
    pub fn folds(&self) -> usize {
        match self.config.validation {
            Validation::KFold { k } => k,
            Validation::Holdout { .. } => 1,
        }
    }

    /// The network's epochs (0 for the other models).
    pub fn epochs(&self) -> usize {
        match &self.config.model {
            TableModel::Mlp(m) => m.epochs,
            _ => 0,
        }
    }
}

/// The table lab's whole state.
#[derive(Clone, Debug, PartialEq)]
pub struct TableLab {
    /// The table's file name.
    pub name: String,
    /// The built-in table shown (its slug), not a student's file of the same name.
    pub builtin: Option<&'static str>,
    /// Counts loaded tables: what the design is computed again for.
    pub version: u64,
    /// The table (none yet).
    pub table: Option<Rc<Table>>,
    /// Why the last file could not be read.
    pub load_error: Option<Text>,
    /// The target column.
    pub target: usize,
    /// Classification or regression.
    pub task: Task,
    /// Columns left out of the inputs.
    pub excluded: Vec<usize>,
    /// The model.
    pub model: ModelChoice,
    /// Logistic regression's C.
    pub c: f64,
    /// The tree's depth limit (`None`: unlimited).
    pub max_depth: Option<usize>,
    /// The tree's `min_samples_leaf`.
    pub min_leaf: usize,
    /// The network.
    pub mlp: MlpSpec,
    /// Hold-out or K-fold.
    pub validation: Validation,
    /// The split's (and the network's) seed.
    pub seed: u64,
    /// A run is in flight.
    pub busy: bool,
    /// The network's last epoch: its fold and scores.
    pub progress: Option<(usize, EpochPoint)>,
    /// The run in flight, as it was sent.
    pub running: Option<TableRun>,
    /// The last finished run, drawn with what it ran on (not the controls' current state).
    pub result: Option<(TableOutcome, TableRun)>,
    /// A failure (an alert).
    pub message: Option<Text>,
    /// A stop (a status, not an error).
    pub notice: Option<Text>,
    /// Every finished run of this visit.
    pub history: Vec<HistoryRow>,
}

impl Default for TableLab {
    fn default() -> Self {
        TableLab {
            name: String::new(),
            builtin: None,
            version: 0,
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
            running: None,
            result: None,
            message: None,
            notice: None,
            history: Vec::new(),
        }
    }
}

/// Everything that changes the lab.
#[derive(Clone, Debug, PartialEq)]
pub enum TableAction {
    /// A table: its file name, the built-in's slug if it is one, the table.
    Loaded(String, Option<&'static str>, Table),
    /// A file could not be read: why.
    LoadFailed(Text),
    /// The target column (its task is suggested again).
    Target(usize),
    /// The task.
    Task(Task),
    /// A column in or out of the inputs.
    ToggleInput(usize),
    /// The model.
    Model(ModelChoice),
    /// Logistic regression's C.
    C(f64),
    /// The tree's depth limit.
    MaxDepth(Option<usize>),
    /// The tree's `min_samples_leaf`.
    MinLeaf(usize),
    /// The network.
    Mlp(MlpSpec),
    /// The split.
    Validation(Validation),
    /// The seed.
    Seed(u64),
    /// A run was sent.
    Started(TableRun),
    /// The network finished an epoch of a fold.
    Epoch(usize, EpochPoint),
    /// The run's result.
    Done(TableOutcome),
    /// The run failed: why.
    Failed(Text),
    /// The student stopped the run.
    Stopped,
}

impl TableLab {
    /// The model the controls describe.
    pub fn table_model(&self) -> TableModel {
        match self.model {
            ModelChoice::Linear => TableModel::Linear,
            ModelChoice::Logistic => TableModel::Logistic { c: self.c },
            ModelChoice::Tree => TableModel::Tree { max_depth: self.max_depth, min_samples_leaf: self.min_leaf },
            ModelChoice::Mlp => TableModel::Mlp(self.mlp.clone()),
        }
    }

    /// The input columns: all but the target and the excluded.
    pub fn inputs(&self) -> Vec<usize> {
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

impl Reducer for TableLab {
    type Action = TableAction;

    fn apply(&mut self, action: TableAction) {
        let s = self;
        match action {
            TableAction::Loaded(name, builtin, table) => {
                // The last column is the target by default (scikit-learn's tables, the bank's y).
                let target = table.columns.len().saturating_sub(1);
                s.task = encode::suggest_task(&table, target);
                s.target = target;
                // ID-like text columns (a value per row) are left out at first.
                s.excluded = (0..table.columns.len())
                    .filter(|&c| c != target && matches!(table.kind(c), ColumnKind::Categorical(v) if v.len() > read::MAX_CATEGORIES))
                    .collect();
                s.name = name;
                s.builtin = builtin;
                s.version += 1;
                s.table = Some(Rc::new(table));
                s.load_error = None;
                s.result = None;
                s.progress = None;
                s.fit_model();
            }
            TableAction::LoadFailed(why) => s.load_error = Some(why),
            TableAction::Target(c) => {
                s.target = c;
                s.excluded.retain(|&x| x != c);
                if let Some(t) = &s.table {
                    s.task = encode::suggest_task(t, c);
                }
                s.fit_model();
            }
            TableAction::Task(task) => {
                s.task = task;
                s.fit_model();
            }
            TableAction::ToggleInput(c) => {
                if let Some(i) = s.excluded.iter().position(|&x| x == c) {
                    s.excluded.remove(i);
                } else {
                    s.excluded.push(c);
                }
            }
            TableAction::Model(m) => s.model = m,
            TableAction::C(c) => s.c = c,
            TableAction::MaxDepth(d) => s.max_depth = d,
            TableAction::MinLeaf(m) => s.min_leaf = m,
            TableAction::Mlp(m) => s.mlp = m,
            TableAction::Validation(v) => s.validation = v,
            TableAction::Seed(seed) => s.seed = seed,
            TableAction::Started(run) => {
                s.busy = true;
                s.progress = None;
                s.message = None;
                s.notice = None;
                s.running = Some(run);
            }
            TableAction::Epoch(fold, point) => s.progress = Some((fold, point)),
            TableAction::Done(outcome) => {
                s.busy = false;
                s.progress = None;
                let Some(run) = s.running.take() else { return };
                let auc = outcome.roc().and_then(|r| r.mean_sd());
                s.history.push(HistoryRow {
                    table: run.name.clone(),
                    model: run.config.model.name(),
                    validation: run.config.validation,
                    metric: outcome.metric(),
                    folds: outcome.folds.iter().map(|f| f.val).collect(),
                    mean_sd: outcome.val_mean_sd(),
                    auc,
                });
                s.result = Some((outcome, run));
            }
            TableAction::Failed(why) => {
                s.busy = false;
                s.progress = None;
                s.running = None;
                s.message = Some(why);
            }
            TableAction::Stopped => {
                s.busy = false;
                s.progress = None;
                s.running = None;
                s.notice = Some(Text::new("停止しました", "Stopped"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::run::FoldScore;

    fn table(csv: &str) -> Table {
        read::parse(csv.as_bytes()).unwrap()
    }

    fn fold(val: f64) -> FoldScore {
        FoldScore { train: 1.0, val, auc: None, roc: Vec::new(), curve: Vec::new() }
    }

    fn sent(lab: &TableLab) -> TableRun {
        let config = TableConfig { model: lab.table_model(), validation: lab.validation, seed: lab.seed };
        TableRun { name: lab.name.clone(), config, names: Vec::new(), code: String::new() }
    }

    #[test]
    fn a_loaded_table_targets_its_last_column_and_leaves_out_id_like_text() {
        // 120 rows: `id` has a value per row (more than MAX_CATEGORIES), `size` is a number,
        // `kind` a category, `price` (the last) a number.
        let mut csv = String::from("id,size,kind,price\n");
        for i in 0..120 {
            csv.push_str(&format!("r{i},{},{},{}.5\n", i % 7, ["a", "b"][i % 2], i * 3));
        }
        let mut lab = TableLab::default();
        lab.apply(TableAction::Loaded("shop.csv".into(), None, table(&csv)));
        assert_eq!((lab.target, lab.task), (3, Task::Regression));
        assert_eq!(lab.excluded, vec![0], "the id column is left out");
        assert_eq!(lab.inputs(), vec![1, 2]);
        assert_eq!(lab.model, ModelChoice::Linear, "logistic regression does not do regression");

        // A class column as the target: classification, and a model that does it.
        lab.apply(TableAction::Target(2));
        assert_eq!((lab.task, lab.model), (Task::Classification, ModelChoice::Logistic));
        assert_eq!(lab.inputs(), vec![1, 3]);
        // The id column taken as the target is no longer left out; put back in by hand.
        lab.apply(TableAction::Target(0));
        assert!(lab.excluded.is_empty());
        lab.apply(TableAction::ToggleInput(1));
        assert_eq!(lab.inputs(), vec![2, 3]);
        lab.apply(TableAction::ToggleInput(1));
        assert_eq!(lab.inputs(), vec![1, 2, 3]);
        // The network does both tasks: kept across a change of task.
        lab.apply(TableAction::Model(ModelChoice::Mlp));
        lab.apply(TableAction::Task(Task::Regression));
        assert_eq!(lab.model, ModelChoice::Mlp);
    }

    #[test]
    fn a_run_is_recorded_with_the_settings_it_was_sent_with_and_a_stop_is_not() {
        let mut lab = TableLab::default();
        lab.apply(TableAction::Loaded("t.csv".into(), Some("iris"), table("x,y\n1,a\n2,b\n3,a\n4,b\n")));
        lab.apply(TableAction::Validation(Validation::KFold { k: 2 }));
        lab.apply(TableAction::Started(sent(&lab)));
        assert!(lab.busy);
        // The controls change while the run goes on: the row keeps what was sent.
        lab.apply(TableAction::C(10.0));
        lab.apply(TableAction::Validation(Validation::Holdout { validation_fraction: 0.3 }));
        let outcome = TableOutcome { task: Task::Classification, folds: vec![fold(0.5), fold(1.0)], tree: Vec::new(), coefficients: None };
        lab.apply(TableAction::Done(outcome));
        assert!(!lab.busy);
        let row = &lab.history[0];
        assert_eq!(row.validation, Validation::KFold { k: 2 });
        assert_eq!(row.model.en, TableModel::Logistic { c: 1.0 }.name().en);
        assert_eq!(row.folds, vec![0.5, 1.0]);
        assert_eq!(row.mean_sd.0, 0.75);
        assert_eq!(lab.result.as_ref().map(|(_, run)| run.folds()), Some(2));

        lab.apply(TableAction::Started(sent(&lab)));
        lab.apply(TableAction::Stopped);
        assert_eq!(lab.history.len(), 1, "a stopped run is not a row");
        assert_eq!(lab.notice.as_ref().map(|n| n.en.as_str()), Some("Stopped"));
        // A late answer of the stopped run's worker changes nothing.
        let late = TableOutcome { task: Task::Classification, folds: vec![fold(0.1)], tree: Vec::new(), coefficients: None };
        lab.apply(TableAction::Done(late));
        assert_eq!(lab.history.len(), 1);

        lab.apply(TableAction::Loaded("u.csv".into(), None, table("x,y\n1,2\n2,4\n3,6\n")));
        assert_eq!((lab.result.is_none(), lab.version), (true, 2), "a new table clears the last result");
    }
}
