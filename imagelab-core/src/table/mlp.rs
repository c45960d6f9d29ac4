//! The table lab's dense network on burn (the flex CPU backend: a table of hundreds of rows
//! trains in well under a second an epoch, and a GPU would spend longer on the round trips).
//!
//! Keras's defaults, so that the course's program and this give the same kind of result: weights
//! drawn Glorot-uniform (±√(6 / (fan-in + fan-out))) and biases 0, from the run's seed; each
//! epoch visits the training rows in a new seeded order (`shuffle=True`).

use super::encode::Target;
use super::read::TableError;
use super::run::{EpochPoint, MlpSpec};
use crate::data::split::Split;
use crate::nn::architecture::Activation;
use crate::rng::SplitMix64;
use burn::module::Param;
use burn::nn::Linear;
use burn::nn::loss::CrossEntropyLoss;
use burn::optim::GradientsParams;
use burn::prelude::*;
use burn::tensor::activation::{sigmoid, softmax};

/// The network: hidden dense layers with their activations, then the output layer.
#[derive(Module, Debug)]
struct TableNet {
    layers: Vec<Linear>,
    #[module(skip)]
    activations: Vec<Activation>,
    output: Linear,
}

impl TableNet {
    /// Scores before the output's activation (logits, or the regression's value).
    fn forward(&self, mut x: Tensor<2>) -> Tensor<2> {
        for (layer, a) in self.layers.iter().zip(&self.activations) {
            x = crate::nn::model::activate(layer.forward(x), *a);
        }
        self.output.forward(x)
    }
}

/// A Glorot-uniform dense layer with zero bias.
fn dense(inputs: usize, outputs: usize, rng: &mut SplitMix64, device: &Device) -> Linear {
    let limit = (6.0 / (inputs + outputs) as f64).sqrt();
    let w: Vec<f32> = (0..inputs * outputs).map(|_| ((rng.next_f64() * 2.0 - 1.0) * limit) as f32).collect();
    Linear {
        weight: Param::from_tensor(Tensor::<2>::from_data(TensorData::new(w, [inputs, outputs]), device)),
        bias: Some(Param::from_tensor(Tensor::<1>::zeros([outputs], device))),
    }
}

/// What a trained network gave.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpFit {
    /// After each epoch.
    pub curve: Vec<EpochPoint>,
    /// Each training row's output (the split's order): class probabilities, or `[value]`.
    pub train: Vec<Vec<f64>>,
    /// Each validation row's output.
    pub val: Vec<Vec<f64>>,
}

impl MlpFit {
    /// The last epoch's point.
    pub fn curve_last(&self) -> EpochPoint {
        self.curve.last().copied().unwrap_or(EpochPoint { epoch: 0, loss: 0.0, train: 0.0, val: 0.0 })
    }
}

fn device_error(e: impl std::fmt::Debug) -> TableError {
    TableError::new(format!("計算に失敗しました（{e:?}）"), format!("the computation failed ({e:?})"))
}

/// Trains `spec` on `split.train` rows of the standardised, row-major `z` (`dim` columns) for
/// `target`, on the flex CPU. `on_epoch` hears each epoch and stops the run by returning `false`.
///
/// # Errors
/// [`TableError`] for settings out of range, a stop, or a failed read-back.
pub fn train(
    z: &[f64],
    dim: usize,
    target: &Target,
    split: &Split,
    spec: &MlpSpec,
    seed: u64,
    on_epoch: &mut dyn FnMut(&EpochPoint) -> bool,
) -> Result<MlpFit, TableError> {
    spec.validate()?;
    if split.train.is_empty() || split.validation.is_empty() {
        return Err(TableError::new("構築データか検証データが空です", "the training or validation part is empty"));
    }
    let device = Device::flex().autodiff();
    // Output units and the regression target's standardisation (training part's statistics).
    let (outputs, y_shift, y_scale) = match target {
        Target::Classes { names, .. } if names.len() == 2 => (1, 0.0, 1.0),
        Target::Classes { names, .. } => (names.len(), 0.0, 1.0),
        Target::Values(y) => {
            let s = super::Scaler::fit(y, 1, &split.train);
            (1, s.mean[0], s.scale[0])
        }
    };
    let mut rng = SplitMix64::new(seed);
    let mut widths = vec![dim];
    widths.extend(spec.hidden.iter().map(|d| d.units));
    let layers: Vec<Linear> = widths.windows(2).map(|w| dense(w[0], w[1], &mut rng, &device)).collect();
    let output = dense(*widths.last().unwrap_or(&dim), outputs, &mut rng, &device);
    let mut net = TableNet { layers, activations: spec.hidden.iter().map(|d| d.activation).collect(), output };
    let mut optim = crate::nn::train::optimizer(spec.optimizer, 0.0);
    let inputs = |rows: &[usize], device: &Device| {
        let v: Vec<f32> = rows.iter().flat_map(|&r| z[r * dim..(r + 1) * dim].iter().map(|&v| v as f32)).collect();
        Tensor::<2>::from_data(TensorData::new(v, [rows.len(), dim]), device)
    };
    // The network's outputs as probabilities (or values, in the target's own units).
    let outputs_of = |net: &TableNet, rows: &[usize]| -> Result<Vec<Vec<f64>>, TableError> {
        let inner = net.valid();
        let s = inner.forward(inputs(rows, &Device::flex()));
        let s = match target {
            Target::Classes { names, .. } if names.len() == 2 => sigmoid(s),
            Target::Classes { .. } => softmax(s, 1),
            Target::Values(_) => s,
        };
        let v = s.into_data().try_to_vec::<f32>().map_err(device_error)?;
        Ok(v.chunks(outputs)
            .map(|o| match target {
                Target::Classes { names, .. } if names.len() == 2 => vec![1.0 - o[0] as f64, o[0] as f64],
                Target::Classes { .. } => o.iter().map(|&p| p as f64).collect(),
                Target::Values(_) => vec![o[0] as f64 * y_scale + y_shift],
            })
            .collect())
    };
    let score = |out: &[Vec<f64>], rows: &[usize]| match target {
        Target::Values(y) => {
            let p: Vec<f64> = out.iter().map(|o| o[0]).collect();
            let t: Vec<f64> = rows.iter().map(|&r| y[r]).collect();
            super::linear::rmse(&p, &t)
        }
        Target::Classes { labels, .. } => {
            let right = out.iter().zip(rows).filter(|(o, r)| super::run::argmax(o) == labels[**r]).count();
            right as f64 / rows.len() as f64
        }
    };
    let mut order = split.train.clone();
    let mut curve = Vec::with_capacity(spec.epochs);
    // The last epoch's outputs are the fit's (the weights do not change after it).
    let (mut train_out, mut val_out) = (Vec::new(), Vec::new());
    for epoch in 1..=spec.epochs {
        rng.shuffle(&mut order);
        let mut loss_sum = 0.0;
        for batch in order.chunks(spec.batch_size) {
            let x = inputs(batch, &device);
            let scores = net.forward(x);
            let n = batch.len();
            let loss = match target {
                Target::Classes { labels, names } if names.len() == 2 => {
                    let y: Vec<f32> = batch.iter().map(|&r| labels[r] as f32).collect();
                    let y = Tensor::<2>::from_data(TensorData::new(y, [n, 1]), &device);
                    // Binary cross-entropy on the logit, in its stable form:
                    // max(s, 0) − s·y + log(1 + e^−|s|).
                    (scores.clone().clamp_min(0.0) - scores.clone() * y + scores.abs().neg().exp().log1p()).mean()
                }
                Target::Classes { labels, .. } => {
                    let y: Vec<i64> = batch.iter().map(|&r| labels[r] as i64).collect();
                    let y = Tensor::<1, Int>::from_data(TensorData::new(y, [n]), &device);
                    CrossEntropyLoss::new(None, &device).forward(scores, y)
                }
                Target::Values(values) => {
                    let y: Vec<f32> = batch.iter().map(|&r| ((values[r] - y_shift) / y_scale) as f32).collect();
                    let y = Tensor::<2>::from_data(TensorData::new(y, [n, 1]), &device);
                    (scores - y).powi_scalar(2).mean()
                }
            };
            let value = loss.clone().detach().into_data().try_to_vec::<f32>().map_err(device_error)?;
            loss_sum += value[0] as f64 * n as f64;
            let grads = GradientsParams::from_grads(loss.backward(), &net);
            net = optim.step(spec.learning_rate, net, grads);
        }
        train_out = outputs_of(&net, &split.train)?;
        val_out = outputs_of(&net, &split.validation)?;
        let point = EpochPoint {
            epoch,
            loss: loss_sum / split.train.len() as f64,
            train: score(&train_out, &split.train),
            val: score(&val_out, &split.validation),
        };
        curve.push(point);
        if !point.loss.is_finite() {
            return Err(TableError::new(
                format!("{epoch} エポック目で損失が数でなくなりました（発散）。学習率を小さくしてください"),
                format!("the loss stopped being a number at epoch {epoch} (it diverged); use a smaller learning rate"),
            ));
        }
        if !on_epoch(&point) {
            return Err(TableError::new("停止しました", "stopped"));
        }
    }
    Ok(MlpFit { curve, train: train_out, val: val_out })
}
