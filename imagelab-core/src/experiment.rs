//! The settings of one training experiment: plain data, no burn types, so the UI can edit them,
//! the worker can receive them and (later) a URL can carry them.

use crate::augment::Pipeline;
use crate::error::CoreError;
use serde::{Deserialize, Serialize};

/// How the weights are updated (最適化手法).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Optimizer {
    /// Adam with burn's default betas.
    Adam,
    /// Stochastic gradient descent with (optional) momentum.
    Sgd {
        /// Momentum factor, 0 for plain SGD.
        momentum: f64,
    },
}

/// The shape of the small CNN: conv → pool → conv → pool → dense → dense.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CnnSpec {
    /// Filters in the first convolution.
    pub conv1_filters: usize,
    /// Filters in the second convolution.
    pub conv2_filters: usize,
    /// Kernel size (odd: 3 or 5), zero-padded so the size is kept.
    pub kernel: usize,
    /// Units in the hidden dense layer.
    pub hidden: usize,
}

impl Default for CnnSpec {
    fn default() -> Self {
        CnnSpec {
            conv1_filters: 8,
            conv2_filters: 16,
            kernel: 3,
            hidden: 64,
        }
    }
}

/// Everything that decides a training run. Equal settings and data give equal runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// エポック: passes over the training part.
    pub epochs: usize,
    /// ミニバッチ size.
    pub batch_size: usize,
    /// 学習率.
    pub learning_rate: f64,
    /// 最適化手法.
    pub optimizer: Optimizer,
    /// Seed of the split, the initial weights and the shuffles.
    pub seed: u64,
    /// Share of each class held out for validation (0.3 = the course's 7:3).
    pub validation_fraction: f64,
    /// Validation measurements per epoch (points on the curves).
    pub evals_per_epoch: usize,
    /// The network.
    pub model: CnnSpec,
    /// データ拡張 applied to every training batch (never to validation data); empty = none.
    pub augment: Pipeline,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 6,
            batch_size: 64,
            learning_rate: 0.003,
            optimizer: Optimizer::Adam,
            seed: 42,
            validation_fraction: 0.3,
            evals_per_epoch: 4,
            model: CnnSpec::default(),
            augment: Pipeline::default(),
        }
    }
}

impl TrainConfig {
    /// Checks every value's range.
    ///
    /// # Errors
    /// [`CoreError::BadSetting`] naming the first value out of range.
    pub fn validate(&self) -> Result<(), CoreError> {
        fn bad(name: &'static str, reason: String) -> Result<(), CoreError> {
            Err(CoreError::BadSetting { name, reason })
        }
        if !(1..=1000).contains(&self.epochs) {
            return bad("epochs", format!("{} is not in 1..=1000", self.epochs));
        }
        if !(1..=4096).contains(&self.batch_size) {
            return bad("batch_size", format!("{} is not in 1..=4096", self.batch_size));
        }
        if !(self.learning_rate > 0.0 && self.learning_rate <= 10.0) {
            return bad("learning_rate", format!("{} is not in (0, 10]", self.learning_rate));
        }
        if let Optimizer::Sgd { momentum } = self.optimizer
            && !(0.0..1.0).contains(&momentum)
        {
            return bad("momentum", format!("{momentum} is not in [0, 1)"));
        }
        if !(self.validation_fraction > 0.0 && self.validation_fraction < 1.0) {
            return bad(
                "validation_fraction",
                format!("{} is not between 0 and 1", self.validation_fraction),
            );
        }
        if !(1..=100).contains(&self.evals_per_epoch) {
            return bad("evals_per_epoch", format!("{} is not in 1..=100", self.evals_per_epoch));
        }
        let m = &self.model;
        for (name, v) in [("conv1_filters", m.conv1_filters), ("conv2_filters", m.conv2_filters)] {
            if !(1..=128).contains(&v) {
                return bad(name, format!("{v} is not in 1..=128"));
            }
        }
        if !(1..=1024).contains(&m.hidden) {
            return bad("hidden", format!("{} is not in 1..=1024", m.hidden));
        }
        if m.kernel % 2 == 0 || !(1..=7).contains(&m.kernel) {
            return bad("kernel", format!("{} is not 1, 3, 5 or 7", m.kernel));
        }
        self.augment.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        TrainConfig::default().validate().unwrap();
    }

    #[test]
    fn out_of_range_values_name_themselves() {
        let mut c = TrainConfig::default();
        c.learning_rate = 0.0;
        assert!(matches!(c.validate(), Err(CoreError::BadSetting { name: "learning_rate", .. })));
        let mut c = TrainConfig::default();
        c.model.kernel = 4;
        assert!(matches!(c.validate(), Err(CoreError::BadSetting { name: "kernel", .. })));
        let mut c = TrainConfig::default();
        c.optimizer = Optimizer::Sgd { momentum: 1.0 };
        assert!(matches!(c.validate(), Err(CoreError::BadSetting { name: "momentum", .. })));
    }
}
