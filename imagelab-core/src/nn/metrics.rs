//! Metrics computed on the CPU from read-back logits: cross-entropy, accuracy, confusion matrix.

use serde::{Deserialize, Serialize};

/// Softmax cross-entropy of one row of logits against the true class, computed stably
/// (log-sum-exp with the maximum subtracted).
///
/// # Panics
/// If `target >= logits.len()`.
pub fn cross_entropy(logits: &[f32], target: usize) -> f64 {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let sum: f64 = logits.iter().map(|&z| (z as f64 - max).exp()).sum();
    max + sum.ln() - logits[target] as f64
}

/// The index of the largest value (the first one on ties); 0 for an empty slice.
pub fn argmax(values: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best
}

/// Counts of (true class, predicted class) pairs: 混同行列.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    /// Number of classes.
    pub num_classes: usize,
    /// `counts[truth * num_classes + predicted]`.
    pub counts: Vec<u32>,
}

impl ConfusionMatrix {
    /// An empty matrix.
    pub fn new(num_classes: usize) -> Self {
        ConfusionMatrix { num_classes, counts: vec![0; num_classes * num_classes] }
    }

    /// Records one prediction.
    pub fn add(&mut self, truth: usize, predicted: usize) {
        self.counts[truth * self.num_classes + predicted] += 1;
    }

    /// How often `truth` was predicted as `predicted`.
    pub fn get(&self, truth: usize, predicted: usize) -> u32 {
        self.counts[truth * self.num_classes + predicted]
    }

    /// All recorded predictions.
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// The share on the diagonal; 0 when empty.
    pub fn accuracy(&self) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        let correct: u32 = (0..self.num_classes).map(|c| self.get(c, c)).sum();
        correct as f64 / total as f64
    }
}

/// Mean and standard deviation (population, `ddof=0` as NumPy's `std()` and scikit-learn's
/// `cross_val_score(...).std()` report it); `None` for no values.
pub fn mean_sd(values: &[f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    Some((mean, var.sqrt()))
}

impl ConfusionMatrix {
    /// Adds another matrix's counts (K-fold: every image is validated once, so the folds' matrices
    /// add up to one over the whole dataset).
    pub fn merge(&mut self, other: &ConfusionMatrix) {
        if other.num_classes == self.num_classes {
            for (a, b) in self.counts.iter_mut().zip(&other.counts) {
                *a += b;
            }
        }
    }

    /// 適合率 (precision) of `class`: of the images predicted as it, the share truly it.
    /// `None` when nothing was predicted as it.
    pub fn precision(&self, class: usize) -> Option<f64> {
        let predicted: u32 = (0..self.num_classes).map(|t| self.get(t, class)).sum();
        (predicted > 0).then(|| self.get(class, class) as f64 / predicted as f64)
    }

    /// 再現率 (recall) of `class`: of the images truly it, the share predicted as it. `None`
    /// when there are none.
    pub fn recall(&self, class: usize) -> Option<f64> {
        let actual: u32 = (0..self.num_classes).map(|p| self.get(class, p)).sum();
        (actual > 0).then(|| self.get(class, class) as f64 / actual as f64)
    }
}

/// Loss and accuracy of a model over a set of images.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Mean cross-entropy.
    pub loss: f64,
    /// Share of correct predictions, 0..=1.
    pub accuracy: f64,
    /// The confusion matrix.
    pub confusion: ConfusionMatrix,
    /// Every image's prediction, in the order evaluated.
    pub predictions: Vec<Prediction>,
}

/// What the model said about one image.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The image (its index in the dataset, once [`Evaluation::with_indices`] has mapped it).
    pub index: usize,
    /// 正解.
    pub truth: usize,
    /// 予測.
    pub predicted: usize,
    /// The softmax probability of the predicted class, 0–1.
    pub confidence: f32,
    /// The fold whose model made it (0 for hold-out; set by the worker for K-fold).
    pub fold: usize,
}

/// The wrong predictions the model was surest of, surest first (at most `n`).
pub fn most_confident_mistakes(predictions: &[Prediction], n: usize) -> Vec<Prediction> {
    let mut wrong: Vec<Prediction> = predictions.iter().filter(|p| p.truth != p.predicted).copied().collect();
    wrong.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.index.cmp(&b.index)));
    wrong.truncate(n);
    wrong
}

/// Softmax of one row of logits (the largest subtracted first, so large scores do not overflow).
pub fn softmax(row: &[f32]) -> Vec<f32> {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = row.iter().map(|v| (v - max).exp()).collect();
    let sum: f32 = e.iter().sum();
    e.iter().map(|v| v / sum).collect()
}

/// Softmax probability of the largest logit.
fn top_probability(row: &[f32], best: usize) -> f32 {
    let max = row[best];
    let sum: f32 = row.iter().map(|&z| (z - max).exp()).sum();
    1.0 / sum
}

impl Evaluation {
    /// Replaces each prediction's position with `indices[position]` (the dataset index).
    pub fn with_indices(mut self, indices: &[usize]) -> Self {
        for p in &mut self.predictions {
            p.index = indices[p.index];
        }
        self
    }

    /// Evaluates logits (`rows × num_classes`, row-major) against labels.
    ///
    /// # Panics
    /// If the sizes disagree.
    pub fn from_logits(logits: &[f32], labels: &[usize], num_classes: usize) -> Self {
        assert_eq!(logits.len(), labels.len() * num_classes, "logits/labels size mismatch");
        let mut confusion = ConfusionMatrix::new(num_classes);
        let mut loss = 0.0;
        let mut predictions = Vec::with_capacity(labels.len());
        for (index, (row, &truth)) in logits.chunks_exact(num_classes).zip(labels).enumerate() {
            loss += cross_entropy(row, truth);
            let predicted = argmax(row);
            confusion.add(truth, predicted);
            predictions.push(Prediction { index, truth, predicted, confidence: top_probability(row, predicted), fold: 0 });
        }
        let n = labels.len().max(1) as f64;
        Evaluation { loss: loss / n, accuracy: confusion.accuracy(), confusion, predictions }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_recall_and_merge() {
        let mut m = ConfusionMatrix::new(2);
        // truth 0: 3 right, 1 called 1; truth 1: 2 right, 2 called 0.
        for (t, p, n) in [(0, 0, 3), (0, 1, 1), (1, 1, 2), (1, 0, 2)] {
            for _ in 0..n {
                m.add(t, p);
            }
        }
        assert_eq!(m.precision(0), Some(3.0 / 5.0));
        assert_eq!(m.recall(0), Some(3.0 / 4.0));
        assert_eq!(m.precision(1), Some(2.0 / 3.0));
        assert_eq!(m.recall(1), Some(2.0 / 4.0));
        assert_eq!(ConfusionMatrix::new(3).precision(1), None);
        let mut sum = m.clone();
        sum.merge(&m);
        assert_eq!(sum.total(), 16);
        assert_eq!(sum.get(1, 0), 4);
    }

    #[test]
    fn predictions_carry_confidence_and_the_surest_mistakes_come_first() {
        // Three images, two classes: right and sure, wrong and sure, wrong and unsure.
        let logits = [3.0, 0.0, 4.0, 0.0, 0.2, 0.0];
        let e = Evaluation::from_logits(&logits, &[0, 1, 1], 2).with_indices(&[10, 20, 30]);
        assert_eq!(e.predictions.iter().map(|p| p.index).collect::<Vec<_>>(), vec![10, 20, 30]);
        let p = e.predictions[1];
        assert_eq!((p.truth, p.predicted), (1, 0));
        assert!((p.confidence - 1.0 / (1.0 + (-4.0f32).exp())).abs() < 1e-6);
        let worst = most_confident_mistakes(&e.predictions, 5);
        assert_eq!(worst.iter().map(|p| p.index).collect::<Vec<_>>(), vec![20, 30]);
        assert_eq!(most_confident_mistakes(&e.predictions, 1).len(), 1);
    }

    #[test]
    fn mean_and_population_sd() {
        let (m, sd) = mean_sd(&[0.8, 0.9, 1.0]).unwrap();
        assert!((m - 0.9).abs() < 1e-12);
        // NumPy: np.std([0.8, 0.9, 1.0]) = 0.0816496580927726
        assert!((sd - 0.081_649_658_092_772_6).abs() < 1e-12);
        assert_eq!(mean_sd(&[]), None);
    }

    #[test]
    fn cross_entropy_of_uniform_logits_is_ln_k() {
        let ce = cross_entropy(&[0.0; 10], 3);
        assert!((ce - 10f64.ln()).abs() < 1e-9);
    }

    #[test]
    fn cross_entropy_is_stable_for_huge_logits() {
        let ce = cross_entropy(&[1000.0, 0.0], 0);
        assert!(ce.is_finite() && ce < 1e-6);
        let ce = cross_entropy(&[1000.0, 0.0], 1);
        assert!((ce - 1000.0).abs() < 1e-6);
    }

    #[test]
    fn evaluation_counts_hits_and_confusions() {
        // 3 rows, 2 classes: predictions 0, 1, 1; truths 0, 1, 0.
        let logits = [2.0, 1.0, 0.0, 3.0, -1.0, 1.0];
        let e = Evaluation::from_logits(&logits, &[0, 1, 0], 2);
        assert!((e.accuracy - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(e.confusion.get(0, 1), 1);
        assert_eq!(e.confusion.get(1, 1), 1);
        assert_eq!(e.confusion.total(), 3);
    }
}
