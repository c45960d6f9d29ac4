//! しくみ (concepts): the ideas of the course's first day, computed so students can move them —
//! a neuron, activation functions with their derivatives, softmax, and gradient descent on 2-D
//! loss surfaces with the five optimizers the training lab offers, written as their update rules
//! (PyTorch's conventions) so the paths on screen are the formulas on the slide.

use crate::nn::experiment::Optimizer;
use serde::{Deserialize, Serialize};

/// An activation function (活性化関数).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Activation {
    /// ステップ関数: 1 if x ≥ 0, else 0 (the perceptron's threshold).
    Step,
    /// 恒等関数: x.
    Identity,
    /// シグモイド関数: 1 / (1 + e^−x).
    Sigmoid,
    /// tanh.
    Tanh,
    /// ReLU: max(0, x).
    Relu,
    /// Leaky ReLU: x, or 0.01·x below 0.
    LeakyRelu,
}

impl Activation {
    /// Every activation, with its slug and names (Japanese, English) and formula.
    pub const ALL: [(Activation, &'static str, (&'static str, &'static str), &'static str); 6] = [
        (Activation::Step, "step", ("ステップ関数", "Step"), "f(x) = 1 (x ≥ 0), 0 (x < 0)"),
        (Activation::Identity, "identity", ("恒等関数", "Identity"), "f(x) = x"),
        (Activation::Sigmoid, "sigmoid", ("シグモイド関数", "Sigmoid"), "f(x) = 1 / (1 + e^(−x))"),
        (Activation::Tanh, "tanh", ("tanh", "tanh"), "f(x) = (e^x − e^(−x)) / (e^x + e^(−x))"),
        (Activation::Relu, "relu", ("ReLU", "ReLU"), "f(x) = max(0, x)"),
        (Activation::LeakyRelu, "leaky-relu", ("Leaky ReLU", "Leaky ReLU"), "f(x) = x (x ≥ 0), 0.01x (x < 0)"),
    ];

    /// The activation for a slug.
    pub fn from_slug(slug: &str) -> Option<Activation> {
        Self::ALL.iter().find(|(_, s, _, _)| *s == slug).map(|(a, _, _, _)| *a)
    }

    /// The stable name used in menus.
    pub fn slug(self) -> &'static str {
        Self::ALL.iter().find(|(a, _, _, _)| *a == self).map_or("", |(_, s, _, _)| s)
    }

    /// f(x).
    pub fn value(self, x: f64) -> f64 {
        match self {
            Activation::Step => f64::from(u8::from(x >= 0.0)),
            Activation::Identity => x,
            Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            Activation::Tanh => x.tanh(),
            Activation::Relu => x.max(0.0),
            Activation::LeakyRelu => {
                if x >= 0.0 {
                    x
                } else {
                    0.01 * x
                }
            }
        }
    }

    /// f′(x), the slope back-propagation multiplies by (0 where the step jumps).
    pub fn derivative(self, x: f64) -> f64 {
        match self {
            Activation::Step => 0.0,
            Activation::Identity => 1.0,
            Activation::Sigmoid => {
                let s = self.value(x);
                s * (1.0 - s)
            }
            Activation::Tanh => 1.0 - x.tanh().powi(2),
            Activation::Relu => f64::from(u8::from(x > 0.0)),
            Activation::LeakyRelu => {
                if x > 0.0 {
                    1.0
                } else {
                    0.01
                }
            }
        }
    }
}

/// ソフトマックス: e^xᵢ / Σ e^xⱼ (shifted by the largest value, so large inputs do not overflow).
pub fn softmax(xs: &[f64]) -> Vec<f64> {
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = xs.iter().map(|x| (x - max).exp()).collect();
    let sum: f64 = exps.iter().sum();
    exps.iter().map(|e| e / sum).collect()
}

/// One neuron: z = Σ wᵢxᵢ + b, y = f(z). Returns (z, y).
pub fn neuron(inputs: &[f64], weights: &[f64], bias: f64, activation: Activation) -> (f64, f64) {
    let z = inputs.iter().zip(weights).map(|(x, w)| x * w).sum::<f64>() + bias;
    (z, activation.value(z))
}

/// A 2-D loss surface to descend (損失関数の地形).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    /// お椀: x² + y², one minimum at (0, 0).
    Bowl,
    /// 細長い谷: 0.05x² + 2y², steep across and flat along — SGD zigzags.
    Valley,
    /// 2 つのくぼみ: a shallow local minimum near x = 1.35 and the global one near x = −1.47.
    TwoMinima,
    /// 鞍点: x² − y² + y⁴/4, flat at the saddle (0, 0), minima at (0, ±√2).
    Saddle,
}

impl Surface {
    /// Every surface, with its slug, names (Japanese, English) and formula.
    pub const ALL: [(Surface, &'static str, (&'static str, &'static str), &'static str); 4] = [
        (Surface::Bowl, "bowl", ("お椀（最小値が 1 つ）", "Bowl (one minimum)"), "L = x² + y²"),
        (Surface::Valley, "valley", ("細長い谷", "Long narrow valley"), "L = 0.05x² + 2y²"),
        (Surface::TwoMinima, "two-minima", ("局所解と大域解", "Local and global minimum"), "L = (x⁴ − 4x² + x)/4 + y²/2"),
        (Surface::Saddle, "saddle", ("鞍点", "Saddle point"), "L = x² − y² + y⁴/4"),
    ];

    /// The surface for a slug.
    pub fn from_slug(slug: &str) -> Option<Surface> {
        Self::ALL.iter().find(|(_, s, _, _)| *s == slug).map(|(v, _, _, _)| *v)
    }

    /// The stable name used in menus.
    pub fn slug(self) -> &'static str {
        Self::ALL.iter().find(|(v, _, _, _)| *v == self).map_or("", |(_, s, _, _)| s)
    }

    /// L(x, y).
    pub fn loss(self, x: f64, y: f64) -> f64 {
        match self {
            Surface::Bowl => x * x + y * y,
            Surface::Valley => 0.05 * x * x + 2.0 * y * y,
            Surface::TwoMinima => (x.powi(4) - 4.0 * x * x + x) / 4.0 + y * y / 2.0,
            Surface::Saddle => x * x - y * y + y.powi(4) / 4.0,
        }
    }

    /// (∂L/∂x, ∂L/∂y).
    pub fn gradient(self, x: f64, y: f64) -> (f64, f64) {
        match self {
            Surface::Bowl => (2.0 * x, 2.0 * y),
            Surface::Valley => (0.1 * x, 4.0 * y),
            Surface::TwoMinima => ((4.0 * x.powi(3) - 8.0 * x + 1.0) / 4.0, y),
            Surface::Saddle => (2.0 * x, -2.0 * y + y.powi(3)),
        }
    }

    /// The square shown: x and y from −r to r.
    pub fn radius(self) -> f64 {
        match self {
            Surface::Valley => 4.0,
            _ => 3.0,
        }
    }

    /// A start that shows the surface's lesson.
    pub fn default_start(self) -> (f64, f64) {
        match self {
            Surface::Bowl => (-2.5, 2.0),
            Surface::Valley => (-3.5, 1.0),
            Surface::TwoMinima => (2.5, 1.5),
            Surface::Saddle => (1.5, 0.05),
        }
    }
}

/// One descent: the points visited (x, y, loss), start first.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// (x, y, L) after each step.
    pub points: Vec<(f64, f64, f64)>,
    /// Whether it ran away (a value beyond 10⁶ or not a number): it stops there.
    pub diverged: bool,
}

/// The optimizer's memory between steps.
#[derive(Clone, Copy, Debug, Default)]
struct State {
    /// Momentum's velocity, or Adam's first moment.
    m: [f64; 2],
    /// RMSprop's and Adam's running mean of squared gradients.
    v: [f64; 2],
    /// Steps taken (Adam's bias correction).
    t: i32,
}

/// One update of (x, y) by `optimizer` with gradient `g`, as PyTorch writes them (no weight decay):
/// - SGD: θ ← θ − lr·g
/// - momentum μ: v ← μv + g; θ ← θ − lr·v
/// - Nesterov μ: v ← μv + g; θ ← θ − lr·(g + μv)
/// - RMSprop: s ← 0.99s + 0.01g²; θ ← θ − lr·g / (√s + 10⁻⁸)
/// - Adam: m ← 0.9m + 0.1g; v ← 0.999v + 0.001g²; θ ← θ − lr·m̂ / (√v̂ + 10⁻⁸), m̂ = m/(1 − 0.9ᵗ),
///   v̂ = v/(1 − 0.999ᵗ)
fn update(optimizer: Optimizer, lr: f64, theta: &mut [f64; 2], g: [f64; 2], s: &mut State) {
    s.t += 1;
    for i in 0..2 {
        let step = match optimizer {
            Optimizer::Sgd => g[i],
            Optimizer::Momentum { momentum } => {
                s.m[i] = momentum * s.m[i] + g[i];
                s.m[i]
            }
            Optimizer::Nesterov { momentum } => {
                s.m[i] = momentum * s.m[i] + g[i];
                g[i] + momentum * s.m[i]
            }
            Optimizer::RmsProp => {
                s.v[i] = 0.99 * s.v[i] + 0.01 * g[i] * g[i];
                g[i] / (s.v[i].sqrt() + 1e-8)
            }
            Optimizer::Adam => {
                s.m[i] = 0.9 * s.m[i] + 0.1 * g[i];
                s.v[i] = 0.999 * s.v[i] + 0.001 * g[i] * g[i];
                let m_hat = s.m[i] / (1.0 - 0.9f64.powi(s.t));
                let v_hat = s.v[i] / (1.0 - 0.999f64.powi(s.t));
                m_hat / (v_hat.sqrt() + 1e-8)
            }
        };
        theta[i] -= lr * step;
    }
}

/// Descends `surface` from `start` for `steps` steps of `optimizer` at learning rate `lr`.
pub fn descend(surface: Surface, optimizer: Optimizer, start: (f64, f64), lr: f64, steps: usize) -> Path {
    let mut theta = [start.0, start.1];
    let mut state = State::default();
    let mut points = vec![(theta[0], theta[1], surface.loss(theta[0], theta[1]))];
    for _ in 0..steps {
        let (gx, gy) = surface.gradient(theta[0], theta[1]);
        update(optimizer, lr, &mut theta, [gx, gy], &mut state);
        let loss = surface.loss(theta[0], theta[1]);
        if !(theta[0].abs() < 1e6 && theta[1].abs() < 1e6 && loss.is_finite()) {
            return Path { points, diverged: true };
        }
        points.push((theta[0], theta[1], loss));
    }
    Path { points, diverged: false }
}

/// One run of [`compare_batches`]: the loss on all the data after every step.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchRun {
    /// Mini-batch size (the data's size = full-batch gradient descent, 1 = single-sample SGD).
    pub batch: usize,
    /// (epoch as a fraction, step, loss on all the data), the start first.
    pub points: Vec<(f64, usize, f64)>,
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Mean binary cross-entropy of logistic regression (w, b) on rows `x` (each `d` long) and 0/1 `y`.
fn logistic_loss(x: &[f64], y: &[f64], d: usize, w: &[f64], b: f64) -> f64 {
    let n = y.len();
    (0..n)
        .map(|i| {
            let z: f64 = x[i * d..(i + 1) * d].iter().zip(w).map(|(a, b)| a * b).sum::<f64>() + b;
            let p = sigmoid(z).clamp(1e-12, 1.0 - 1e-12);
            -(y[i] * p.ln() + (1.0 - y[i]) * (1.0 - p).ln())
        })
        .sum::<f64>()
        / n as f64
}

/// Trains logistic regression on (`x`, `y`) — `x` holds `y.len()` rows of `d` values — with plain
/// SGD at rate `lr` for `epochs` epochs, once per mini-batch size in `batches` (the same seeded
/// shuffle each epoch for all), and records the loss on all the data after every step. Small
/// batches take many noisy steps per epoch; the full batch takes one smooth step. The gradient of
/// the mean cross-entropy is (1/|B|) Σ (σ(w·x + b) − y) x, written out here as the lesson.
pub fn compare_batches(x: &[f64], y: &[f64], d: usize, batches: &[usize], epochs: usize, lr: f64, seed: u64) -> Vec<BatchRun> {
    let n = y.len();
    assert_eq!(x.len(), n * d, "x must hold n rows of d values");
    batches
        .iter()
        .map(|&batch| {
            let batch = batch.clamp(1, n.max(1));
            let (mut w, mut b) = (vec![0.0; d], 0.0);
            let mut rng = crate::rng::SplitMix64::new(seed);
            let mut points = vec![(0.0, 0, logistic_loss(x, y, d, &w, b))];
            let mut step = 0;
            for epoch in 0..epochs {
                let mut order: Vec<usize> = (0..n).collect();
                rng.shuffle(&mut order);
                for (k, chunk) in order.chunks(batch).enumerate() {
                    let (mut gw, mut gb) = (vec![0.0; d], 0.0);
                    for &i in chunk {
                        let row = &x[i * d..(i + 1) * d];
                        let err = sigmoid(row.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>() + b) - y[i];
                        for (g, v) in gw.iter_mut().zip(row) {
                            *g += err * v;
                        }
                        gb += err;
                    }
                    let m = chunk.len() as f64;
                    for (wi, g) in w.iter_mut().zip(&gw) {
                        *wi -= lr * g / m;
                    }
                    b -= lr * gb / m;
                    step += 1;
                    let done = (k * batch + chunk.len()) as f64 / n as f64;
                    points.push((epoch as f64 + done, step, logistic_loss(x, y, d, &w, b)));
                }
            }
            BatchRun { batch, points }
        })
        .collect()
}

/// A 2-3-2 network for the forward/backward stepper: 2 inputs, 3 hidden units, 2 outputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TinyNet {
    /// Hidden weights, `w1[j][i]` from input i to hidden unit j.
    pub w1: [[f32; 2]; 3],
    /// Hidden biases.
    pub b1: [f32; 3],
    /// Output weights, `w2[k][j]` from hidden unit j to output k.
    pub w2: [[f32; 3]; 2],
    /// Output biases.
    pub b2: [f32; 2],
}

impl Default for TinyNet {
    /// Small fixed weights (the same for every student, so everyone sees the same numbers).
    fn default() -> Self {
        TinyNet {
            w1: [[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]],
            b1: [0.1, -0.1, 0.0],
            w2: [[0.7, -0.4, 0.3], [-0.2, 0.6, 0.5]],
            b2: [0.0, 0.1],
        }
    }
}

/// The loss the stepper uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Loss {
    /// 平均二乗誤差: mean of (y − t)² over the two sigmoid outputs.
    Mse,
    /// 二値交差エントロピー: −mean(t·log y + (1 − t)·log(1 − y)) over the two sigmoid outputs.
    BinaryCrossEntropy,
    /// 交差エントロピー: −log of the softmax probability of the right class.
    CrossEntropy,
}

/// One forward and backward pass of [`TinyNet`] on one example, asked of the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackpropRequest {
    /// The weights before the step.
    pub net: TinyNet,
    /// The input (x₁, x₂).
    pub x: [f32; 2],
    /// The right class, 0 or 1 (one-hot target for MSE and BCE).
    pub target: usize,
    /// The hidden layer's activation.
    pub hidden: Activation,
    /// The loss.
    pub loss: Loss,
    /// The learning rate of the SGD update.
    pub lr: f32,
}

/// Every number of the pass.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackpropResult {
    /// Hidden pre-activations z₁ = W₁x + b₁.
    pub z1: [f32; 3],
    /// Hidden activations a₁ = f(z₁).
    pub a1: [f32; 3],
    /// Output pre-activations z₂ = W₂a₁ + b₂.
    pub z2: [f32; 2],
    /// Outputs: sigmoid(z₂) for MSE and BCE, softmax(z₂) for cross-entropy.
    pub y: [f32; 2],
    /// The loss.
    pub loss: f32,
    /// ∂loss/∂(each weight and bias), from burn's autodiff.
    pub grads: TinyNet,
    /// The weights after w ← w − lr·∂loss/∂w.
    pub updated: TinyNet,
}

/// The forward pass in plain f64 (for checking the gradients by finite differences): the loss.
pub fn tiny_loss(r: &BackpropRequest) -> f64 {
    let n = &r.net;
    let f = |v: f64| r.hidden.value(v);
    let a1: Vec<f64> = (0..3).map(|j| f(n.w1[j][0] as f64 * r.x[0] as f64 + n.w1[j][1] as f64 * r.x[1] as f64 + n.b1[j] as f64)).collect();
    let z2: Vec<f64> = (0..2).map(|k| (0..3).map(|j| n.w2[k][j] as f64 * a1[j]).sum::<f64>() + n.b2[k] as f64).collect();
    let t = |k: usize| f64::from(u8::from(k == r.target));
    match r.loss {
        Loss::Mse => (0..2).map(|k| (Activation::Sigmoid.value(z2[k]) - t(k)).powi(2)).sum::<f64>() / 2.0,
        Loss::BinaryCrossEntropy => (0..2).map(|k| z2[k].max(0.0) - t(k) * z2[k] + (-z2[k].abs()).exp().ln_1p()).sum::<f64>() / 2.0,
        Loss::CrossEntropy => -softmax(&z2)[r.target].ln(),
    }
}

#[cfg(feature = "nn")]
/// One forward and backward pass with burn's autodiff on the CPU, and the SGD update.
///
/// # Errors
/// [`crate::CoreError::BadSetting`] for a target other than 0 or 1 or a learning rate that is not
/// finite and positive; [`crate::CoreError::Device`] when a read-back fails.
pub fn backprop(r: &BackpropRequest) -> Result<BackpropResult, crate::CoreError> {
    use burn::prelude::*;
    use burn::tensor::activation;
    if r.target > 1 {
        return Err(crate::CoreError::out_of_range("target", r.target, "{0, 1}"));
    }
    if !(r.lr.is_finite() && r.lr > 0.0 && r.lr <= 10.0) {
        return Err(crate::CoreError::out_of_range("learning_rate", r.lr, "(0, 10]"));
    }
    let device = Device::flex().autodiff();
    let n = &r.net;
    let param = |v: Vec<f32>, shape: [usize; 2]| Tensor::<2>::from_data(TensorData::new(v, shape), &device).require_grad();
    let w1 = param(n.w1.concat(), [3, 2]);
    let b1 = param(n.b1.to_vec(), [1, 3]);
    let w2 = param(n.w2.concat(), [2, 3]);
    let b2 = param(n.b2.to_vec(), [1, 2]);
    let x = Tensor::<2>::from_data(TensorData::new(r.x.to_vec(), [1, 2]), &device);
    let z1 = x.matmul(w1.clone().transpose()) + b1.clone();
    let a1 = match r.hidden {
        Activation::Sigmoid => activation::sigmoid(z1.clone()),
        Activation::Tanh => activation::tanh(z1.clone()),
        Activation::Relu => activation::relu(z1.clone()),
        Activation::Identity => z1.clone(),
        Activation::LeakyRelu => activation::leaky_relu(z1.clone(), 0.01),
        // The step function has no useful gradient: it is not offered for training.
        Activation::Step => activation::sigmoid(z1.clone()),
    };
    let z2 = a1.clone().matmul(w2.clone().transpose()) + b2.clone();
    let onehot: Vec<f32> = (0..2).map(|k| f32::from(u8::from(k == r.target))).collect();
    let t = Tensor::<2>::from_data(TensorData::new(onehot, [1, 2]), &device);
    let (y, loss) = match r.loss {
        Loss::Mse => {
            let y = activation::sigmoid(z2.clone());
            (y.clone(), (y - t).powf_scalar(2.0).mean())
        }
        Loss::BinaryCrossEntropy => {
            // From the logits: max(z, 0) − t·z + log(1 + e^−|z|) equals −(t·log y + (1 − t)·log(1 − y))
            // but never takes log 0 when the sigmoid rounds to 1 (a logit past ~17 in f32).
            let y = activation::sigmoid(z2.clone());
            let l = (activation::relu(z2.clone()) - t * z2.clone() + z2.clone().abs().neg().exp().add_scalar(1.0).log()).mean();
            (y, l)
        }
        Loss::CrossEntropy => {
            let logp = activation::log_softmax(z2.clone(), 1);
            (logp.clone().exp(), (logp * t).sum().neg())
        }
    };
    let grads = loss.backward();
    let read = |tensor: Tensor<2>| -> Result<Vec<f32>, crate::CoreError> {
        tensor.into_data().try_to_vec::<f32>().map_err(|e| crate::CoreError::Device(format!("{e:?}")))
    };
    let grad = |p: &Tensor<2>| -> Result<Vec<f32>, crate::CoreError> {
        p.grad(&grads).map_or_else(
            || Ok(vec![0.0; p.shape().num_elements()]),
            |g| g.into_data().try_to_vec::<f32>().map_err(|e| crate::CoreError::Device(format!("{e:?}"))),
        )
    };
    let (gw1, gb1, gw2, gb2) = (grad(&w1)?, grad(&b1)?, grad(&w2)?, grad(&b2)?);
    let rows3 = |v: &[f32]| [[v[0], v[1]], [v[2], v[3]], [v[4], v[5]]];
    let rows2 = |v: &[f32]| [[v[0], v[1], v[2]], [v[3], v[4], v[5]]];
    let grads = TinyNet { w1: rows3(&gw1), b1: [gb1[0], gb1[1], gb1[2]], w2: rows2(&gw2), b2: [gb2[0], gb2[1]] };
    let step = |w: f32, g: f32| w - r.lr * g;
    let mut updated = n.clone();
    for j in 0..3 {
        for i in 0..2 {
            updated.w1[j][i] = step(n.w1[j][i], grads.w1[j][i]);
        }
        updated.b1[j] = step(n.b1[j], grads.b1[j]);
        for k in 0..2 {
            updated.w2[k][j] = step(n.w2[k][j], grads.w2[k][j]);
        }
    }
    for k in 0..2 {
        updated.b2[k] = step(n.b2[k], grads.b2[k]);
    }
    let v3 = |v: Vec<f32>| [v[0], v[1], v[2]];
    let v2 = |v: Vec<f32>| [v[0], v[1]];
    Ok(BackpropResult {
        z1: v3(read(z1)?),
        a1: v3(read(a1)?),
        z2: v2(read(z2)?),
        y: v2(read(y)?),
        loss: loss.into_scalar(),
        grads,
        updated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOMENTUM: Optimizer = Optimizer::Momentum { momentum: 0.9 };
    const NESTEROV: Optimizer = Optimizer::Nesterov { momentum: 0.9 };

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    fn at(p: &Path, i: usize) -> (f64, f64) {
        (p.points[i].0, p.points[i].1)
    }

    #[test]
    fn one_step_of_each_optimizer_by_hand() {
        // Bowl from (1, 2): gradient (2, 4); lr 0.1.
        let s = Surface::Bowl;
        assert!(close(at(&descend(s, Optimizer::Sgd, (1.0, 2.0), 0.1, 1), 1), (0.8, 1.6)));
        // Momentum's first step is SGD's; the second adds 0.9 × the first velocity:
        // v = 0.9·(2, 4) + (1.6, 3.2) = (3.4, 6.8); θ = (0.8, 1.6) − 0.1·v = (0.46, 0.92).
        let m = descend(s, MOMENTUM, (1.0, 2.0), 0.1, 2);
        assert!(close(at(&m, 1), (0.8, 1.6)));
        assert!(close(at(&m, 2), (0.46, 0.92)), "{:?}", at(&m, 2));
        // Nesterov: v = (2, 4); θ − 0.1·(g + 0.9v) = (1, 2) − 0.1·(3.8, 7.6) = (0.62, 1.24).
        assert!(close(at(&descend(s, NESTEROV, (1.0, 2.0), 0.1, 1), 1), (0.62, 1.24)));
        // RMSprop: s = 0.01·g² → √s = 0.1·|g|: the step is lr·10·sign(g) = 1 in each coordinate.
        let r = at(&descend(s, Optimizer::RmsProp, (1.0, 2.0), 0.1, 1), 1);
        assert!((r.0 - 0.0).abs() < 1e-6 && (r.1 - 1.0).abs() < 1e-6, "{r:?}");
        // Adam: m̂ = g, v̂ = g²: the first step is lr·sign(g).
        let a = at(&descend(s, Optimizer::Adam, (1.0, 2.0), 0.1, 1), 1);
        assert!((a.0 - 0.9).abs() < 1e-6 && (a.1 - 1.9).abs() < 1e-6, "{a:?}");
        // Second steps, where the running averages and Adam's bias correction matter (worked out
        // with PyTorch's formulas in plain Python): Adam at lr 0.1, RMSprop at lr 0.01.
        let a2 = at(&descend(s, Optimizer::Adam, (1.0, 2.0), 0.1, 2), 2);
        assert!((a2.0 - 0.800_412_2).abs() < 1e-6 && (a2.1 - 1.800_166_5).abs() < 1e-6, "{a2:?}");
        let r2 = at(&descend(s, Optimizer::RmsProp, (1.0, 2.0), 0.01, 2), 2);
        assert!((r2.0 - 0.832_918_0).abs() < 1e-6 && (r2.1 - 1.830_943_3).abs() < 1e-6, "{r2:?}");
    }

    #[test]
    fn gradients_match_finite_differences() {
        for (surface, _, _, _) in Surface::ALL {
            for &(x, y) in &[(0.3, -1.2), (-2.0, 0.7), (1.1, 1.9)] {
                let h = 1e-6;
                let dx = (surface.loss(x + h, y) - surface.loss(x - h, y)) / (2.0 * h);
                let dy = (surface.loss(x, y + h) - surface.loss(x, y - h)) / (2.0 * h);
                let (gx, gy) = surface.gradient(x, y);
                assert!((gx - dx).abs() < 1e-5 && (gy - dy).abs() < 1e-5, "{surface:?} at ({x}, {y})");
            }
        }
        for (a, _, _, _) in Activation::ALL {
            for x in [-2.3, -0.4, 0.6, 1.7] {
                let h = 1e-6;
                let d = (a.value(x + h) - a.value(x - h)) / (2.0 * h);
                assert!((a.derivative(x) - d).abs() < 1e-5, "{a:?} at {x}");
            }
        }
    }

    #[test]
    fn too_large_rates_diverge_and_too_small_ones_crawl() {
        let s = Surface::Bowl;
        // x ← x − lr·2x = (1 − 2lr)x: |1 − 2·1.1| = 1.2 > 1, so it grows until it runs away.
        let big = descend(s, Optimizer::Sgd, (1.0, 1.0), 1.1, 200);
        assert!(big.diverged);
        let good = descend(s, Optimizer::Sgd, (1.0, 1.0), 0.1, 100);
        assert!(!good.diverged && good.points.last().unwrap().2 < 1e-9);
        let small = descend(s, Optimizer::Sgd, (1.0, 1.0), 0.001, 100);
        // (1 − 0.002)¹⁰⁰ ≈ 0.82: after 100 tiny steps the loss is still two thirds of its start, 2.
        assert!(small.points.last().unwrap().2 > 1.3, "after 100 tiny steps it has hardly moved");
    }

    #[test]
    fn plain_sgd_stays_in_the_local_minimum_and_momentum_rolls_past_it() {
        let s = Surface::TwoMinima;
        let start = s.default_start();
        let sgd = descend(s, Optimizer::Sgd, start, 0.05, 300);
        let end = sgd.points.last().unwrap();
        assert!((end.0 - 1.35).abs() < 0.05, "SGD ends at x = {}", end.0);
        let momentum = descend(s, MOMENTUM, start, 0.05, 300);
        let end_m = momentum.points.last().unwrap();
        assert!((end_m.0 + 1.47).abs() < 0.05, "momentum ends at x = {}", end_m.0);
        assert!(end_m.2 < end.2, "the global minimum is lower");
    }

    #[test]
    fn sgd_zigzags_across_the_valley() {
        let s = Surface::Valley;
        let sgd = descend(s, Optimizer::Sgd, s.default_start(), 0.45, 40);
        // Across the valley (y) the sign flips every step: 1 − 0.45·4 = −0.8.
        let flips = sgd.points.windows(2).filter(|w| w[0].1.signum() != w[1].1.signum()).count();
        assert!(flips > 30, "{flips} sign changes");
        assert!(!sgd.diverged);
    }

    #[test]
    fn a_start_on_the_saddle_line_never_leaves_it() {
        let s = Surface::Saddle;
        let stuck = descend(s, Optimizer::Sgd, (1.0, 0.0), 0.1, 200);
        let end = stuck.points.last().unwrap();
        assert!(end.0.abs() < 1e-6 && end.1 == 0.0 && end.2.abs() < 1e-9, "stuck at the saddle: {end:?}");
        let away = descend(s, Optimizer::Sgd, (1.0, 0.05), 0.1, 200);
        assert!((away.points.last().unwrap().1 - 2f64.sqrt()).abs() < 1e-3, "a nudge finds a minimum");
    }

    #[cfg(feature = "nn")]
    #[test]
    fn autodiff_gradients_match_finite_differences_and_the_step_lowers_the_loss() {
        for (loss, hidden) in
            [(Loss::Mse, Activation::Sigmoid), (Loss::BinaryCrossEntropy, Activation::Tanh), (Loss::CrossEntropy, Activation::Relu)]
        {
            let r = BackpropRequest { net: TinyNet::default(), x: [1.0, -0.5], target: 1, hidden, loss, lr: 0.5 };
            let out = backprop(&r).unwrap();
            assert!((out.loss as f64 - tiny_loss(&r)).abs() < 1e-5, "{loss:?}: the forward pass agrees");
            // Nudge each weight and bias by ±h in f64 and compare the slope with autodiff's.
            let h = 1e-3f32;
            let check = |set: &dyn Fn(&mut TinyNet, f32), g: f32, what: &str| {
                let (mut plus, mut minus) = (r.clone(), r.clone());
                set(&mut plus.net, h);
                set(&mut minus.net, -h);
                let fd = (tiny_loss(&plus) - tiny_loss(&minus)) / (2.0 * h as f64);
                assert!((fd - g as f64).abs() < 2e-3, "{loss:?} {what}: autodiff {g} vs finite differences {fd}");
            };
            for j in 0..3 {
                for i in 0..2 {
                    check(&|n, d| n.w1[j][i] += d, out.grads.w1[j][i], &format!("w1[{j}][{i}]"));
                }
                check(&|n, d| n.b1[j] += d, out.grads.b1[j], &format!("b1[{j}]"));
                for k in 0..2 {
                    check(&|n, d| n.w2[k][j] += d, out.grads.w2[k][j], &format!("w2[{k}][{j}]"));
                }
            }
            for k in 0..2 {
                check(&|n, d| n.b2[k] += d, out.grads.b2[k], &format!("b2[{k}]"));
            }
            // The update is w − lr·g, and it lowers the loss on this example.
            assert!((out.updated.w2[0][0] - (r.net.w2[0][0] - 0.5 * out.grads.w2[0][0])).abs() < 1e-7);
            let after = tiny_loss(&BackpropRequest { net: out.updated.clone(), ..r.clone() });
            assert!(after < out.loss as f64, "{loss:?}: {after} < {}", out.loss);
        }
        // Saturated outputs (logits near 46): finite numbers, not NaN.
        let mut r = BackpropRequest {
            net: TinyNet::default(),
            x: [2.0, 2.0],
            target: 1,
            hidden: Activation::Relu,
            loss: Loss::BinaryCrossEntropy,
            lr: 10.0,
        };
        for _ in 0..3 {
            let out = backprop(&r).unwrap();
            assert!(out.loss.is_finite() && out.updated.w2.iter().flatten().all(|w| w.is_finite()), "{out:?}");
            r.net = out.updated;
        }
        let bad = BackpropRequest {
            target: 2,
            ..BackpropRequest { net: TinyNet::default(), x: [0.0, 0.0], target: 0, hidden: Activation::Sigmoid, loss: Loss::Mse, lr: 0.1 }
        };
        assert!(backprop(&bad).is_err());
    }

    #[test]
    fn small_batches_take_many_noisy_steps_and_the_full_batch_few_smooth_ones() {
        // Two noisy classes in 2-D: y = 1 when x₀ + x₁ > 0, with 10 % of labels flipped.
        let mut rng = crate::rng::SplitMix64::new(5);
        let n = 200;
        let mut x = Vec::new();
        let mut y = Vec::new();
        for _ in 0..n {
            let (a, b) = (rng.next_f64() * 4.0 - 2.0, rng.next_f64() * 4.0 - 2.0);
            let label = f64::from(u8::from(a + b > 0.0));
            x.extend([a, b]);
            y.push(if rng.below(10) == 0 { 1.0 - label } else { label });
        }
        let runs = compare_batches(&x, &y, 2, &[1, 20, n], 5, 0.1, 42);
        let steps: Vec<usize> = runs.iter().map(|r| r.points.len() - 1).collect();
        assert_eq!(steps, vec![1000, 50, 5], "steps per 5 epochs");
        let rises = |r: &BatchRun| r.points.windows(2).filter(|w| w[1].2 > w[0].2 + 1e-12).count();
        assert_eq!(rises(&runs[2]), 0, "full-batch descent on a convex loss never goes up");
        assert!(rises(&runs[0]) > 100, "single-sample steps are noisy: {} rises", rises(&runs[0]));
        let end = |r: &BatchRun| r.points.last().unwrap().2;
        assert!(end(&runs[0]) < end(&runs[2]), "in the same 5 epochs, many small steps get further");
        assert!((runs[1].points.last().unwrap().0 - 5.0).abs() < 1e-12, "the last point is at epoch 5");
    }

    #[test]
    fn softmax_and_neurons() {
        let p = softmax(&[1.0, 2.0, 3.0]);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(p[2] > p[1] && p[1] > p[0]);
        assert!(softmax(&[1000.0, 1000.0]).iter().all(|v| (v - 0.5).abs() < 1e-12), "no overflow");
        let (z, y) = neuron(&[1.0, -2.0], &[0.5, 0.25], 0.1, Activation::Relu);
        assert!((z - 0.1).abs() < 1e-12 && (y - 0.1).abs() < 1e-12);
        assert_eq!(neuron(&[1.0], &[-1.0], 0.0, Activation::Step).1, 0.0);
        for (a, slug, _, _) in Activation::ALL {
            assert_eq!(Activation::from_slug(slug), Some(a));
        }
        for (s, slug, _, _) in Surface::ALL {
            assert_eq!(Surface::from_slug(slug), Some(s));
            assert_eq!(s.slug(), slug);
        }
    }
}
