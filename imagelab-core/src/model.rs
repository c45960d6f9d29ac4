//! The small CNN of the training lab: conv → ReLU → max-pool → conv → ReLU → max-pool → dense →
//! ReLU → dense (畳み込み → プーリング → 畳み込み → プーリング → 全結合).

use crate::experiment::CnnSpec;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig2d, Relu};
use burn::prelude::*;

/// The size of the images a network takes: channels, height, width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputShape {
    /// 1 (grayscale) or 3 (RGB).
    pub channels: usize,
    /// Height in pixels.
    pub height: usize,
    /// Width in pixels.
    pub width: usize,
}

/// The CNN.
#[derive(Module, Debug)]
pub struct Cnn {
    conv1: Conv2d,
    conv2: Conv2d,
    pool: MaxPool2d,
    dense: Linear,
    output: Linear,
    activation: Relu,
}

/// Spatial size after the two 2×2 poolings.
fn pooled(size: usize) -> usize {
    size / 2 / 2
}

impl Cnn {
    /// A freshly initialised network for `input` images and `num_classes` classes. Seed the
    /// device first (`device.seed(..)`) for reproducible weights.
    pub fn new(spec: &CnnSpec, input: InputShape, num_classes: usize, device: &Device) -> Self {
        let pad = PaddingConfig2d::Same;
        let flat = spec.conv2_filters * pooled(input.height) * pooled(input.width);
        Cnn {
            conv1: Conv2dConfig::new([input.channels, spec.conv1_filters], [spec.kernel; 2])
                .with_padding(pad.clone())
                .init(device),
            conv2: Conv2dConfig::new([spec.conv1_filters, spec.conv2_filters], [spec.kernel; 2])
                .with_padding(pad)
                .init(device),
            pool: MaxPool2dConfig::new([2, 2]).init(),
            dense: LinearConfig::new(flat, spec.hidden).init(device),
            output: LinearConfig::new(spec.hidden, num_classes).init(device),
            activation: Relu::new(),
        }
    }

    /// The class scores (logits) of a batch.
    ///
    /// # Shapes
    /// - `images`: `[batch, channels, height, width]`, values in `[0, 1]`
    /// - returns: `[batch, num_classes]`
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        let [batch, _, _, _] = images.dims();
        let x = self.conv1.forward(images); // [batch, c1, h, w]
        let x = self.pool.forward(self.activation.forward(x)); // [batch, c1, h/2, w/2]
        let x = self.conv2.forward(x); // [batch, c2, h/2, w/2]
        let x = self.pool.forward(self.activation.forward(x)); // [batch, c2, h/4, w/4]
        let [_, c, h, w] = x.dims();
        let x = x.reshape([batch, c * h * w]); // [batch, c2*h/4*w/4]
        let x = self.activation.forward(self.dense.forward(x)); // [batch, hidden]
        self.output.forward(x) // [batch, num_classes]
    }

    /// The number of trainable values.
    pub fn parameter_count(&self) -> usize {
        self.num_params()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGITS: InputShape = InputShape {
        channels: 1,
        height: 28,
        width: 28,
    };

    #[test]
    fn output_has_one_score_per_class() {
        let device = Device::flex();
        let model = Cnn::new(&CnnSpec::default(), DIGITS, 10, &device);
        let out = model.forward(Tensor::zeros([3, 1, 28, 28], &device));
        assert_eq!(out.dims(), [3, 10]);
    }

    #[test]
    fn odd_sizes_and_colour_work() {
        let device = Device::flex();
        let input = InputShape {
            channels: 3,
            height: 30,
            width: 17,
        };
        let spec = CnnSpec {
            kernel: 5,
            ..CnnSpec::default()
        };
        let model = Cnn::new(&spec, input, 4, &device);
        let out = model.forward(Tensor::zeros([2, 3, 30, 17], &device));
        assert_eq!(out.dims(), [2, 4]);
    }

    #[test]
    fn parameter_count_matches_the_layers() {
        let device = Device::flex();
        let model = Cnn::new(&CnnSpec::default(), DIGITS, 10, &device);
        // conv1 1·8·9+8, conv2 8·16·9+16, dense 16·7·7·64+64, output 64·10+10
        let expected = (72 + 8) + (1152 + 16) + (784 * 64 + 64) + (640 + 10);
        assert_eq!(model.parameter_count(), expected);
    }
}
