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
        ConfusionMatrix {
            num_classes,
            counts: vec![0; num_classes * num_classes],
        }
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

/// Loss and accuracy of a model over a set of images.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Mean cross-entropy.
    pub loss: f64,
    /// Share of correct predictions, 0..=1.
    pub accuracy: f64,
    /// The confusion matrix.
    pub confusion: ConfusionMatrix,
}

impl Evaluation {
    /// Evaluates logits (`rows × num_classes`, row-major) against labels.
    ///
    /// # Panics
    /// If the sizes disagree.
    pub fn from_logits(logits: &[f32], labels: &[usize], num_classes: usize) -> Self {
        assert_eq!(logits.len(), labels.len() * num_classes, "logits/labels size mismatch");
        let mut confusion = ConfusionMatrix::new(num_classes);
        let mut loss = 0.0;
        for (row, &truth) in logits.chunks_exact(num_classes).zip(labels) {
            loss += cross_entropy(row, truth);
            confusion.add(truth, argmax(row));
        }
        let n = labels.len().max(1) as f64;
        Evaluation {
            loss: loss / n,
            accuracy: confusion.accuracy(),
            confusion,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
