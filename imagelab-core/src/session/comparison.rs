//! The comparison lab (比較) as a pure reducer: the features and the model a student picked with
//! their settings, the request in flight, and what the worker answered — the table's rows, the
//! model-complexity sweeps, the last answer (its features and tree are drawn) and a message. The
//! page dispatches [`ComparisonAction`]s and draws; the worker fits.

use crate::classical::{FeatureKind, ModelKind, Outcome, SweepPoint};
use crate::i18n::Text;
use crate::nn::experiment::Validation;
use crate::session::Reducer;
use crate::session::protocol::{ClassicalResult, ClassicalTask, FromWorker};

/// Sweeps drawn together (one per `min_samples_leaf`, say): a newer one pushes out the oldest.
pub const MAX_SWEEPS: usize = 4;

/// The deepest tree of a sweep.
pub const SWEEP_MAX_DEPTH: usize = 20;

/// Which features (the form's select).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeatureChoice {
    /// The image shrunk.
    Pixels,
    /// Colour histogram.
    ColorHistogram,
    /// HOG.
    Hog,
    /// Edge-direction histogram.
    EdgeHistogram,
}

impl FeatureChoice {
    /// All, in the select's order.
    pub const ALL: [FeatureChoice; 4] =
        [FeatureChoice::Pixels, FeatureChoice::ColorHistogram, FeatureChoice::Hog, FeatureChoice::EdgeHistogram];

    /// The select's value.
    pub fn slug(self) -> &'static str {
        match self {
            FeatureChoice::Pixels => "pixels",
            FeatureChoice::ColorHistogram => "hist",
            FeatureChoice::Hog => "hog",
            FeatureChoice::EdgeHistogram => "edge",
        }
    }

    /// The choice for a select's value (anything else: pixels).
    pub fn from_slug(slug: &str) -> Self {
        Self::ALL.into_iter().find(|c| c.slug() == slug).unwrap_or(FeatureChoice::Pixels)
    }
}

/// Which model (the form's select).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelChoice {
    /// Decision tree.
    Tree,
    /// Random forest.
    Forest,
    /// k-nearest neighbours.
    Knn,
    /// Logistic regression.
    Logistic,
}

impl ModelChoice {
    /// All, in the select's order.
    pub const ALL: [ModelChoice; 4] = [ModelChoice::Tree, ModelChoice::Forest, ModelChoice::Knn, ModelChoice::Logistic];

    /// The select's value.
    pub fn slug(self) -> &'static str {
        match self {
            ModelChoice::Tree => "tree",
            ModelChoice::Forest => "forest",
            ModelChoice::Knn => "knn",
            ModelChoice::Logistic => "logistic",
        }
    }

    /// The choice for a select's value (anything else: the tree).
    pub fn from_slug(slug: &str) -> Self {
        Self::ALL.into_iter().find(|c| c.slug() == slug).unwrap_or(ModelChoice::Tree)
    }
}

/// A number field of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// Pixels: the side the image is shrunk to.
    Size,
    /// The histograms' bins.
    Bins,
    /// HOG's cell side.
    Cell,
    /// A tree's or the forest's depth limit (not a number: unlimited).
    MaxDepth,
    /// A tree's smallest leaf.
    MinLeaf,
    /// k-NN's neighbours.
    K,
    /// Logistic regression's C.
    C,
    /// The forest's trees.
    Trees,
}

/// The form: both choices and every parameter, kept while another choice is shown (switching
/// back shows them again).
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// The features.
    pub feature: FeatureChoice,
    /// Pixels' side.
    pub size: usize,
    /// The histograms' bins (the edge histogram takes at most 36).
    pub bins: usize,
    /// HOG's cell.
    pub cell: usize,
    /// The model.
    pub model: ModelChoice,
    /// Depth limit (`None`: unlimited).
    pub max_depth: Option<usize>,
    /// `min_samples_leaf`.
    pub min_leaf: usize,
    /// k.
    pub k: usize,
    /// C.
    pub c: f64,
    /// The forest's trees.
    pub trees: usize,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            feature: FeatureChoice::Pixels,
            size: 14,
            bins: 16,
            cell: 4,
            model: ModelChoice::Tree,
            max_depth: Some(8),
            min_leaf: 1,
            k: 3,
            c: 1.0,
            trees: 50,
        }
    }
}

impl Form {
    /// The features the form asks for.
    pub fn feature_kind(&self) -> FeatureKind {
        match self.feature {
            FeatureChoice::Pixels => FeatureKind::Pixels { size: self.size },
            FeatureChoice::ColorHistogram => FeatureKind::ColorHistogram { bins: self.bins },
            FeatureChoice::Hog => FeatureKind::Hog { cell: self.cell },
            FeatureChoice::EdgeHistogram => FeatureKind::EdgeHistogram { bins: self.bins.min(36) },
        }
    }

    /// The model the form asks for.
    pub fn model_kind(&self) -> ModelKind {
        match self.model {
            ModelChoice::Tree => ModelKind::Tree { max_depth: self.max_depth, min_samples_leaf: self.min_leaf },
            ModelChoice::Forest => ModelKind::Forest { trees: self.trees, max_depth: self.max_depth },
            ModelChoice::Knn => ModelKind::Knn { k: self.k },
            ModelChoice::Logistic => ModelKind::Logistic { c: self.c },
        }
    }

    /// A parameter as the field shows it.
    pub fn value(&self, param: Param) -> String {
        match param {
            Param::Size => self.size.to_string(),
            Param::Bins => self.bins.to_string(),
            Param::Cell => self.cell.to_string(),
            Param::MaxDepth => self.max_depth.map(|d| d.to_string()).unwrap_or_default(),
            Param::MinLeaf => self.min_leaf.to_string(),
            Param::K => self.k.to_string(),
            Param::C => self.c.to_string(),
            Param::Trees => self.trees.to_string(),
        }
    }

    /// A field's new text: a number that does not parse leaves the value as it was, except the
    /// depth limit, for which it means unlimited. Ranges are checked when a request is made
    /// ([`Comparison::request`]), in words.
    pub fn set(&mut self, param: Param, text: &str) {
        let text = text.trim();
        let whole = text.parse::<usize>().ok();
        match param {
            Param::MaxDepth => self.max_depth = whole,
            Param::C => self.c = text.parse().unwrap_or(self.c),
            Param::Size => self.size = whole.unwrap_or(self.size),
            Param::Bins => self.bins = whole.unwrap_or(self.bins),
            Param::Cell => self.cell = whole.unwrap_or(self.cell),
            Param::MinLeaf => self.min_leaf = whole.unwrap_or(self.min_leaf),
            Param::K => self.k = whole.unwrap_or(self.k),
            Param::Trees => self.trees = whole.unwrap_or(self.trees),
        }
    }
}

/// One row of the comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The model with its settings.
    pub model: Text,
    /// The features with theirs.
    pub feature: Text,
    /// The data's name when the request was sent.
    pub data: String,
    /// What the fit gave.
    pub outcome: Outcome,
    /// ms spent on the features.
    pub features_ms: f64,
    /// K-fold's K (`None`: hold-out).
    pub kfold: Option<usize>,
}

/// One depth sweep: validation and building accuracy for each depth limit.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// The features it used.
    pub feature: FeatureKind,
    /// The trees' `min_samples_leaf`.
    pub min_samples_leaf: usize,
    /// A point per depth limit.
    pub points: Vec<SweepPoint>,
}

/// One change of the comparison lab.
#[derive(Clone, Debug, PartialEq)]
pub enum ComparisonAction {
    /// The features' select.
    Feature(FeatureChoice),
    /// The model's select.
    Model(ModelChoice),
    /// A number field's new text.
    Set(Param, String),
    /// A request went to the worker, on the data named so, split as `validation` says (its row
    /// is labelled with them).
    Sent {
        /// The data's name.
        data: String,
        /// The split.
        validation: Validation,
    },
    /// A request was not sent: its settings are out of range, or no worker could take it.
    Refused(Text),
    /// The worker's answer (or progress).
    Answer(Box<FromWorker>),
    /// The worker stopped (out of memory, say): the message says so, and the next request starts
    /// a fresh worker.
    Crashed(Text),
    /// The table and the sweeps emptied.
    Clear,
}

/// The comparison lab's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    /// The form.
    pub form: Form,
    /// Every fit of this visit, oldest first.
    pub rows: Vec<Row>,
    /// The latest sweeps (newest last), at most [`MAX_SWEEPS`].
    pub sweeps: Vec<Sweep>,
    /// The last answer: its sample's features and its tree are drawn.
    pub last: Option<ClassicalResult>,
    /// A request is in flight.
    pub busy: bool,
    /// Why the last request gave no result.
    pub message: Option<Text>,
    /// The worker crashed or failed: the next request starts a fresh one.
    pub worker_failed: bool,
    /// The data's name and K of the request in flight.
    pending: (String, Option<usize>),
}

impl Comparison {
    /// What the fit button asks for (`sweep`: the depth sweep's button), checked.
    ///
    /// # Errors
    /// The out-of-range setting, in words.
    pub fn request(&self, sweep: bool) -> Result<(FeatureKind, ClassicalTask), Text> {
        let feature = self.form.feature_kind();
        feature.validate().map_err(|e| e.text())?;
        let task = if sweep {
            ClassicalTask::SweepDepth { min_samples_leaf: self.form.min_leaf, max_depth: SWEEP_MAX_DEPTH }
        } else {
            let model = self.form.model_kind();
            model.validate().map_err(|e| e.text())?;
            ClassicalTask::Fit(model)
        };
        Ok((feature, task))
    }

    fn answer(&mut self, msg: FromWorker) {
        match msg {
            FromWorker::Classical(r) => {
                self.message = None;
                match (r.task, &r.outcome) {
                    (ClassicalTask::Fit(m), Some(o)) => {
                        let (data, kfold) = self.pending.clone();
                        self.rows.push(Row {
                            model: m.name(),
                            feature: r.feature.name(),
                            data,
                            outcome: o.clone(),
                            features_ms: r.features_ms,
                            kfold,
                        });
                    }
                    (ClassicalTask::SweepDepth { min_samples_leaf, .. }, _) => {
                        self.sweeps.push(Sweep { feature: r.feature, min_samples_leaf, points: r.sweep.clone() });
                        if self.sweeps.len() > MAX_SWEEPS {
                            self.sweeps.remove(0);
                        }
                    }
                    _ => {}
                }
                self.last = Some(r);
            }
            FromWorker::RequestFailed { message } => self.message = Some(message),
            FromWorker::Failed { message } => {
                self.message = Some(message);
                self.worker_failed = true;
            }
            // The worker's other messages (it started, say): the request is still running.
            _ => self.busy = true,
        }
    }
}

impl Reducer for Comparison {
    type Action = ComparisonAction;

    fn apply(&mut self, action: ComparisonAction) {
        match action {
            ComparisonAction::Feature(f) => self.form.feature = f,
            ComparisonAction::Model(m) => self.form.model = m,
            ComparisonAction::Set(param, text) => self.form.set(param, &text),
            ComparisonAction::Sent { data, validation } => {
                let kfold = match validation {
                    Validation::KFold { k } => Some(k),
                    Validation::Holdout => None,
                };
                self.pending = (data, kfold);
                self.busy = true;
                self.message = None;
                self.worker_failed = false;
            }
            ComparisonAction::Refused(why) => self.message = Some(why),
            ComparisonAction::Answer(msg) => {
                self.busy = false;
                self.answer(*msg);
            }
            ComparisonAction::Crashed(why) => {
                self.busy = false;
                self.message = Some(why);
                self.worker_failed = true;
            }
            ComparisonAction::Clear => {
                self.rows.clear();
                self.sweeps.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(val: f64) -> Outcome {
        Outcome {
            train_accuracy: 1.0,
            val_accuracy: val,
            fit_ms: 3.0,
            tree: Vec::new(),
            tree_size: None,
            importance: Vec::new(),
            fold_val: vec![val],
            fold_auc: Vec::new(),
            val_predictions: Vec::new(),
            val_scores: Vec::new(),
        }
    }

    fn result(feature: FeatureKind, task: ClassicalTask, outcome: Option<Outcome>, sweep: Vec<SweepPoint>) -> FromWorker {
        FromWorker::Classical(ClassicalResult { feature, task, dim: 4, sample_features: vec![0.0; 4], features_ms: 2.0, outcome, sweep })
    }

    fn sent(c: &mut Comparison, data: &str, validation: Validation) {
        c.apply(ComparisonAction::Sent { data: data.to_owned(), validation });
    }

    #[test]
    fn a_fit_becomes_a_row_labelled_with_the_data_and_split_it_was_sent_with() {
        let mut c = Comparison::default();
        let (feature, task) = c.request(false).unwrap();
        assert_eq!(feature, FeatureKind::Pixels { size: 14 });
        assert_eq!(task, ClassicalTask::Fit(ModelKind::Tree { max_depth: Some(8), min_samples_leaf: 1 }));
        sent(&mut c, "coins", Validation::KFold { k: 5 });
        assert!(c.busy);
        // The row is labelled with what the request was sent with (the page's data may change
        // while the fit runs).
        c.apply(ComparisonAction::Answer(Box::new(result(feature, task, Some(outcome(0.75)), Vec::new()))));
        assert!(!c.busy);
        assert_eq!(c.rows.len(), 1);
        let row = &c.rows[0];
        assert_eq!((row.data.as_str(), row.kfold, row.features_ms), ("coins", Some(5), 2.0));
        assert_eq!(row.model.en, "decision tree (max_depth=8, min_samples_leaf=1)");
        assert_eq!(row.feature.en, "pixels 14×14");
        assert!(c.last.is_some());

        sent(&mut c, "digits", Validation::Holdout);
        c.apply(ComparisonAction::Answer(Box::new(result(feature, task, Some(outcome(0.5)), Vec::new()))));
        assert_eq!((c.rows[1].data.as_str(), c.rows[1].kfold), ("digits", None));
    }

    #[test]
    fn sweeps_keep_the_newest_four_and_clear_empties_rows_and_sweeps() {
        let mut c = Comparison::default();
        for leaf in 1..=6 {
            c.apply(ComparisonAction::Set(Param::MinLeaf, leaf.to_string()));
            let (feature, task) = c.request(true).unwrap();
            assert_eq!(task, ClassicalTask::SweepDepth { min_samples_leaf: leaf, max_depth: SWEEP_MAX_DEPTH });
            sent(&mut c, "digits", Validation::Holdout);
            let point = SweepPoint { max_depth: Some(1), train_accuracy: 0.5, val_accuracy: 0.4 };
            c.apply(ComparisonAction::Answer(Box::new(result(feature, task, None, vec![point]))));
        }
        let leaves: Vec<usize> = c.sweeps.iter().map(|s| s.min_samples_leaf).collect();
        assert_eq!(leaves, [3, 4, 5, 6]);
        assert!(c.rows.is_empty(), "a sweep is not a row of the table");
        c.apply(ComparisonAction::Clear);
        assert!(c.sweeps.is_empty());
    }

    #[test]
    fn a_failed_or_crashed_worker_is_replaced_at_the_next_request_and_a_refused_request_is_not() {
        let mut c = Comparison::default();
        // Refused before sending (out of range, no worker): said, and nothing is in flight.
        c.apply(ComparisonAction::Refused(Text::new("範囲外", "out of range")));
        assert_eq!((c.busy, c.worker_failed), (false, false));
        assert_eq!(c.message.as_ref().map(|m| m.en.as_str()), Some("out of range"));
        sent(&mut c, "digits", Validation::Holdout);
        c.apply(ComparisonAction::Answer(Box::new(FromWorker::RequestFailed { message: Text::new("だめ", "no") })));
        assert_eq!((c.busy, c.worker_failed), (false, false));
        assert_eq!(c.message.as_ref().map(|m| m.en.as_str()), Some("no"));

        sent(&mut c, "digits", Validation::Holdout);
        assert_eq!(c.message, None, "a new request clears the last message");
        c.apply(ComparisonAction::Answer(Box::new(FromWorker::Failed { message: Text::new("メモリ不足", "out of memory") })));
        assert!(c.worker_failed && !c.busy);
        sent(&mut c, "digits", Validation::Holdout);
        assert!(!c.worker_failed, "the request went to a fresh worker");
        c.apply(ComparisonAction::Crashed(Text::new("止まりました", "stopped")));
        assert!(c.worker_failed && !c.busy);
        assert_eq!(c.message.as_ref().map(|m| m.en.as_str()), Some("stopped"));
    }

    #[test]
    fn the_form_keeps_each_setting_and_checks_ranges_when_asked() {
        let mut c = Comparison::default();
        c.apply(ComparisonAction::Set(Param::Size, "abc".into()));
        assert_eq!(c.form.size, 14, "text that is not a number leaves the value");
        c.apply(ComparisonAction::Set(Param::MaxDepth, "".into()));
        assert_eq!(c.form.max_depth, None, "an empty depth is unlimited");
        assert_eq!(c.form.value(Param::MaxDepth), "");
        c.apply(ComparisonAction::Set(Param::Bins, " 50 ".into()));
        c.apply(ComparisonAction::Feature(FeatureChoice::from_slug("edge")));
        assert_eq!(c.form.feature_kind(), FeatureKind::EdgeHistogram { bins: 36 });
        c.apply(ComparisonAction::Feature(FeatureChoice::from_slug("hist")));
        assert_eq!(c.form.feature_kind(), FeatureKind::ColorHistogram { bins: 50 });
        c.apply(ComparisonAction::Model(ModelChoice::from_slug("logistic")));
        c.apply(ComparisonAction::Set(Param::C, "0".into()));
        let why = c.request(false).unwrap_err();
        assert!(why.en.contains('C') && why.ja.contains('C'), "{why:?}");
        // The sweep has no C: it is asked for all the same.
        assert!(c.request(true).is_ok());
        c.apply(ComparisonAction::Set(Param::Bins, "1".into()));
        assert!(c.request(true).is_err(), "1 bin is out of range");
        for m in ModelChoice::ALL {
            assert_eq!(ModelChoice::from_slug(m.slug()), m);
        }
        for f in FeatureChoice::ALL {
            assert_eq!(FeatureChoice::from_slug(f.slug()), f);
        }
    }
}
