//! The network the training lab builds from an [`ModelSpec`]: the listed layers, each with its
//! activation, then a dense output layer with one score per class (softmax is in the loss).

use crate::error::CoreError;
use crate::nn::architecture::{Activation, InputShape, LayerSpec, ModelSpec, Padding, Shape};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{AvgPool2d, AvgPool2dConfig, MaxPool2d, MaxPool2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Dropout, DropoutConfig, Linear, LinearConfig, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::{relu, sigmoid, tanh};

/// One layer with weights (or none).
#[derive(Module, Debug)]
pub enum Layer {
    /// Convolution.
    Conv(Conv2d),
    /// Max pooling.
    MaxPool(MaxPool2d),
    /// Average pooling.
    AvgPool(AvgPool2d),
    /// Dense.
    Dense(Linear),
    /// Dropout (active only while training).
    Dropout(Dropout),
    /// Batch normalisation (batch statistics while training, running ones after).
    BatchNorm(BatchNorm),
    /// Flatten (no weights; `Dropout` with p = 0 stands in as the module).
    Flatten(Dropout),
}

/// The network.
#[derive(Module, Debug)]
pub struct Net {
    layers: Vec<Layer>,
    /// The activation after each layer (identity for those without one).
    #[module(skip)]
    activations: Vec<Activation>,
    output: Linear,
    /// A sigmoid output (one unit, two classes): its score `z` is returned as `[0, z]`.
    #[module(skip)]
    sigmoid: bool,
    /// ファインチューニング: the backbone's unfrozen last blocks, before the layers (which then
    /// take the pooled features as 1280 channels of 1×1); the network's input is then what the
    /// frozen part of the backbone gives ([`crate::nn::lite0::boundary`]).
    tail: Option<crate::nn::backbone::Tail>,
}

/// Values between layers: images or vectors, with the batch first.
enum Value {
    Image(Tensor<4>),
    Vector(Tensor<2>),
}

pub(crate) fn activate<const D: usize>(x: Tensor<D>, a: Activation) -> Tensor<D> {
    match a {
        Activation::Identity => x,
        Activation::Sigmoid => sigmoid(x),
        Activation::Tanh => tanh(x),
        Activation::Relu => relu(x),
    }
}

/// One layer (and its activation) applied to the values between layers.
fn apply(layer: &Layer, a: Activation, x: Value) -> Value {
    match (layer, x) {
        (Layer::Conv(c), Value::Image(t)) => Value::Image(activate(c.forward(t), a)),
        (Layer::MaxPool(p), Value::Image(t)) => Value::Image(p.forward(t)),
        (Layer::AvgPool(p), Value::Image(t)) => Value::Image(p.forward(t)),
        (Layer::Flatten(_), Value::Image(t)) => Value::Vector(t.flatten(1, 3)),
        (Layer::Flatten(_), v @ Value::Vector(_)) => v,
        (Layer::Dense(d), Value::Vector(t)) => Value::Vector(activate(d.forward(t), a)),
        (Layer::Dropout(d), Value::Image(t)) => Value::Image(d.forward(t)),
        (Layer::Dropout(d), Value::Vector(t)) => Value::Vector(d.forward(t)),
        (Layer::BatchNorm(n), Value::Image(t)) => Value::Image(n.forward(t)),
        (Layer::BatchNorm(n), Value::Vector(t)) => Value::Vector(n.forward(t)),
        // `Net::new` built the layers from a checked summary: shapes always fit.
        (_, _) => unreachable!("layer and value shapes were checked when the network was built"),
    }
}

impl Net {
    /// A freshly initialised network for `input` images and `classes` classes. Seed the device
    /// first (`device.seed(..)`) for reproducible weights.
    ///
    /// # Errors
    /// [`CoreError::Layer`] when the stack cannot work (see [`ModelSpec::summary`]).
    pub fn new(spec: &ModelSpec, input: InputShape, classes: usize, device: &Device) -> Result<Self, CoreError> {
        let summary = spec.summary(input.into(), classes)?;
        let mut shape: Shape = input.into();
        let mut layers = Vec::with_capacity(spec.layers.len());
        let mut activations = Vec::with_capacity(spec.layers.len());
        for (layer, row) in spec.layers.iter().zip(&summary) {
            let (module, activation) = match (layer, shape) {
                (LayerSpec::Conv { filters, kernel, stride, padding, activation }, Shape::Image(InputShape { channels, .. })) => {
                    let pad = if *padding == Padding::Same { kernel / 2 } else { 0 };
                    let conv = Conv2dConfig::new([channels, *filters], [*kernel; 2])
                        .with_stride([*stride; 2])
                        .with_padding(PaddingConfig2d::Explicit(pad, pad, pad, pad))
                        .init(device);
                    (Layer::Conv(conv), *activation)
                }
                (LayerSpec::MaxPool { size }, _) => (Layer::MaxPool(MaxPool2dConfig::new([*size; 2]).init()), Activation::Identity),
                (LayerSpec::AvgPool { size }, _) => (Layer::AvgPool(AvgPool2dConfig::new([*size; 2]).init()), Activation::Identity),
                (LayerSpec::Flatten, _) => (Layer::Flatten(DropoutConfig::new(0.0).init()), Activation::Identity),
                (LayerSpec::Dense { units, activation }, s) => (Layer::Dense(LinearConfig::new(s.len(), *units).init(device)), *activation),
                (LayerSpec::Dropout { p }, _) => (Layer::Dropout(DropoutConfig::new(*p).init()), Activation::Identity),
                (LayerSpec::BatchNorm, s) => {
                    let features = match s {
                        Shape::Image(InputShape { channels, .. }) => channels,
                        Shape::Vector(n) => n,
                    };
                    (Layer::BatchNorm(BatchNormConfig::new(features).init(device)), Activation::Identity)
                }
                (LayerSpec::Conv { .. }, Shape::Vector(_)) => unreachable!("summary() refuses a convolution on a vector"),
            };
            layers.push(module);
            activations.push(activation);
            shape = row.output;
        }
        let output = LinearConfig::new(shape.len(), spec.output_units(classes)).init(device);
        Ok(Net { layers, activations, output, sigmoid: spec.output == crate::nn::architecture::Output::Sigmoid, tail: None })
    }

    /// This network (a head built for the pooled features, 1280 × 1 × 1) behind the backbone's
    /// unfrozen last blocks `tail`: it then takes their input.
    pub fn with_tail(mut self, tail: crate::nn::backbone::Tail) -> Net {
        self.tail = Some(tail);
        self
    }

    /// The backbone blocks it fine-tunes, if any.
    pub fn tail(&self) -> Option<&crate::nn::backbone::Tail> {
        self.tail.as_ref()
    }

    /// How many backbone blocks it fine-tunes (0 for none).
    pub fn unfrozen(&self) -> usize {
        self.tail.as_ref().map_or(0, crate::nn::backbone::Tail::unfrozen)
    }

    /// The values between layers at the start: the images, or the tail's pooled features.
    fn start(&self, images: Tensor<4>) -> Value {
        match &self.tail {
            Some(t) => {
                let f = t.forward(images);
                let [b, c] = f.dims();
                Value::Image(f.reshape([b, c, 1, 1]))
            }
            None => Value::Image(images),
        }
    }

    /// The class scores (logits) of a batch. A sigmoid output's one score `z` comes back as the
    /// two scores `[0, z]`: their softmax is `[1 − σ(z), σ(z)]` and their cross-entropy is the
    /// binary cross-entropy of `σ(z)`, so everything downstream (loss, accuracy, probabilities,
    /// predictions) treats both outputs alike.
    ///
    /// # Shapes
    /// - `images`: `[batch, channels, height, width]`, values in `[0, 1]`
    /// - returns: `[batch, classes]`
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        let z = self.output_scores(images);
        if self.sigmoid { Tensor::cat(vec![z.zeros_like(), z], 1) } else { z }
    }

    /// The output layer's own values: one per class, or the one sigmoid input.
    fn output_scores(&self, images: Tensor<4>) -> Tensor<2> {
        let mut x = self.start(images);
        for (layer, &a) in self.layers.iter().zip(&self.activations) {
            x = apply(layer, a, x);
        }
        let flat = match x {
            Value::Image(t) => t.flatten(1, 3),
            Value::Vector(t) => t,
        };
        self.output.forward(flat)
    }

    /// The output (after its activation) of every convolution for `images`: the feature maps,
    /// with the layer's position in the list.
    pub fn feature_maps(&self, images: Tensor<4>) -> Vec<(usize, Tensor<4>)> {
        let mut out = Vec::new();
        let mut x = self.start(images);
        for (i, (layer, &a)) in self.layers.iter().zip(&self.activations).enumerate() {
            // Past the last image-shaped layer there are no more maps.
            if matches!(x, Value::Vector(_)) {
                break;
            }
            x = apply(layer, a, x);
            if let (Layer::Conv(_), Value::Image(t)) = (layer, &x) {
                out.push((i, t.clone()));
            }
        }
        out
    }

    /// The first convolution's weights, `[filters, channels, k, k]`, if the network starts
    /// with convolutions.
    pub fn first_conv_weights(&self) -> Option<Tensor<4>> {
        self.layers.iter().find_map(|l| match l {
            Layer::Conv(c) => Some(c.weight.val()),
            _ => None,
        })
    }

    /// The number of trainable values (BatchNorm's running statistics are not trained).
    pub fn parameter_count(&self) -> usize {
        let running: usize = self
            .layers
            .iter()
            .map(|l| match l {
                Layer::BatchNorm(n) => 2 * n.gamma.shape().dims::<1>()[0],
                _ => 0,
            })
            .sum();
        match &self.tail {
            Some(t) => self.num_params() - t.num_params() - running + t.parameter_count(),
            None => self.num_params() - running,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGITS: InputShape = InputShape { channels: 1, height: 28, width: 28 };

    fn counts(spec: &ModelSpec, input: InputShape, classes: usize) -> (usize, usize) {
        let device = Device::flex();
        let net = Net::new(spec, input, classes, &device).unwrap();
        let out = net.forward(Tensor::zeros([3, input.channels, input.height, input.width], &device));
        assert_eq!(out.dims(), [3, classes]);
        let summary: usize = spec.summary(input.into(), classes).unwrap().iter().map(|r| r.params).sum();
        (net.parameter_count(), summary)
    }

    #[test]
    fn every_preset_runs_and_its_parameters_match_the_summary() {
        for spec in [ModelSpec::small_cnn(), ModelSpec::course_mlp(), ModelSpec::deeper_cnn()] {
            let (net, summary) = counts(&spec, DIGITS, 10);
            assert_eq!(net, summary, "{spec:?}");
        }
        assert_eq!(counts(&ModelSpec::small_cnn(), DIGITS, 10).0, (72 + 8) + (1152 + 16) + (784 * 64 + 64) + (640 + 10));
        // One class stays one score (only a sigmoid output becomes [0, z]); a sigmoid output
        // has one unit and two scores.
        counts(&ModelSpec::course_mlp(), DIGITS, 1);
        let binary = ModelSpec { output: crate::nn::architecture::Output::Sigmoid, ..ModelSpec::course_mlp() };
        let device = Device::flex();
        let net = Net::new(&binary, DIGITS, 2, &device).unwrap();
        assert_eq!(net.forward(Tensor::zeros([3, 1, 28, 28], &device)).dims(), [3, 2]);
        assert_eq!(counts(&binary, DIGITS, 2).1, 784 * 10 + 10 + 110 + 11);
    }

    #[test]
    fn every_layer_kind_with_odd_sizes_and_colour() {
        let input = InputShape { channels: 3, height: 30, width: 17 };
        let spec = ModelSpec {
            layers: vec![
                LayerSpec::Conv { filters: 4, kernel: 5, stride: 2, padding: Padding::Valid, activation: Activation::Sigmoid },
                LayerSpec::BatchNorm,
                LayerSpec::AvgPool { size: 2 },
                LayerSpec::Conv { filters: 6, kernel: 3, stride: 1, padding: Padding::Same, activation: Activation::Tanh },
                LayerSpec::MaxPool { size: 2 },
                LayerSpec::Dropout { p: 0.5 },
                LayerSpec::Flatten,
                LayerSpec::Dense { units: 7, activation: Activation::Identity },
                LayerSpec::BatchNorm,
                LayerSpec::Dropout { p: 0.2 },
            ],
            output: Default::default(),
        };
        let (net, summary) = counts(&spec, input, 4);
        assert_eq!(net, summary);
    }

    #[test]
    fn gradients_reach_every_parameter_of_every_layer_kind() {
        use burn::optim::GradientsParams;
        let device = Device::flex().autodiff();
        let input = InputShape { channels: 3, height: 12, width: 12 };
        let spec = ModelSpec {
            layers: vec![
                LayerSpec::Conv { filters: 4, kernel: 3, stride: 1, padding: Padding::Same, activation: Activation::Relu },
                LayerSpec::BatchNorm,
                LayerSpec::MaxPool { size: 2 },
                LayerSpec::Conv { filters: 4, kernel: 3, stride: 1, padding: Padding::Valid, activation: Activation::Tanh },
                LayerSpec::AvgPool { size: 2 },
                LayerSpec::Dropout { p: 0.1 },
                LayerSpec::Flatten,
                LayerSpec::Dense { units: 5, activation: Activation::Sigmoid },
                LayerSpec::BatchNorm,
            ],
            output: Default::default(),
        };
        device.seed(3);
        let net = Net::new(&spec, input, 3, &device).unwrap();
        let x = Tensor::<4>::random([6, 3, 12, 12], burn::tensor::Distribution::Default, &device);
        let loss = net.forward(x).powf_scalar(2.0).mean();
        let grads = GradientsParams::from_grads(loss.backward(), &net);
        // Weight and bias (or γ and β) of each convolution, batch norm and dense layer, and the
        // output layer's: 2 × 6.
        let weighted =
            spec.layers.iter().filter(|l| matches!(l, LayerSpec::Conv { .. } | LayerSpec::BatchNorm | LayerSpec::Dense { .. })).count();
        assert_eq!(grads.len(), 2 * (weighted + 1), "every weight tensor gets a gradient");
    }

    #[test]
    fn feature_maps_follow_the_convolutions() {
        let device = Device::flex();
        let net = Net::new(&ModelSpec::small_cnn(), DIGITS, 10, &device).unwrap();
        let maps = net.feature_maps(Tensor::zeros([1, 1, 28, 28], &device));
        let shapes: Vec<(usize, [usize; 4])> = maps.iter().map(|(i, t)| (*i, t.dims())).collect();
        assert_eq!(shapes, vec![(0, [1, 8, 28, 28]), (2, [1, 16, 14, 14])]);
        assert_eq!(net.first_conv_weights().unwrap().dims(), [8, 1, 3, 3]);
        let mlp = Net::new(&ModelSpec::course_mlp(), DIGITS, 10, &device).unwrap();
        assert!(mlp.feature_maps(Tensor::zeros([1, 1, 28, 28], &device)).is_empty());
        assert!(mlp.first_conv_weights().is_none());
    }

    #[test]
    fn an_impossible_stack_is_an_error_not_a_panic() {
        let spec = ModelSpec { layers: vec![LayerSpec::Dense { units: 3, activation: Activation::Relu }], output: Default::default() };
        assert!(matches!(Net::new(&spec, DIGITS, 10, &Device::flex()), Err(CoreError::Layer { .. })));
    }
}
