//! ネットワークの構造 (architecture): a network as a list of layers, as plain data — no burn — so
//! the page can edit it, show every layer's output shape and parameter count, and refuse an
//! impossible stack before anything is trained. `model::Net` builds the burn network from it.
//!
//! The output layer is implicit: after the listed layers comes a dense layer with one unit per
//! class and softmax (inside the cross-entropy loss), as in the course's Keras models.

use crate::error::CoreError;
use crate::i18n::Text;
use serde::{Deserialize, Serialize};

/// 活性化関数 applied after a layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Activation {
    /// 恒等関数: unchanged.
    Identity,
    /// シグモイド関数.
    Sigmoid,
    /// tanh.
    Tanh,
    /// ReLU.
    #[default]
    Relu,
}

impl Activation {
    /// All, for menus.
    pub const ALL: [Activation; 4] = [Activation::Identity, Activation::Sigmoid, Activation::Tanh, Activation::Relu];

    /// Keras's name for it (`"relu"`), also the id in menus.
    pub fn keras(self) -> &'static str {
        match self {
            Activation::Identity => "linear",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
        }
    }

    /// The activation for a Keras name.
    pub fn from_keras(name: &str) -> Option<Activation> {
        Activation::ALL.into_iter().find(|a| a.keras() == name)
    }
}

/// How a convolution treats the border.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Padding {
    /// ゼロパディング of kernel / 2 on each side: with stride 1 the size is kept (`padding="same"`).
    #[default]
    Same,
    /// No padding: the output shrinks by kernel − 1 (`padding="valid"`).
    Valid,
}

/// One layer of the network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LayerSpec {
    /// 畳み込み層.
    Conv {
        /// Number of filters (output channels).
        filters: usize,
        /// Kernel size (square, odd).
        kernel: usize,
        /// Step between positions.
        stride: usize,
        /// Border handling.
        padding: Padding,
        /// Activation after it.
        activation: Activation,
    },
    /// 最大プーリング: the largest value of each `size`×`size` block.
    MaxPool {
        /// Block size (and stride).
        size: usize,
    },
    /// 平均プーリング: the mean of each block.
    AvgPool {
        /// Block size (and stride).
        size: usize,
    },
    /// 平坦化: channels × height × width → one vector.
    Flatten,
    /// 全結合層.
    Dense {
        /// Number of units.
        units: usize,
        /// Activation after it.
        activation: Activation,
    },
    /// ドロップアウト: during training, each value is zeroed with probability `p`.
    Dropout {
        /// 0 ≤ p < 1.
        p: f64,
    },
    /// バッチ正規化 (per channel, or per unit after Flatten/Dense).
    BatchNorm,
}

impl LayerSpec {
    /// A short stable name, for ids and menus.
    pub fn slug(&self) -> &'static str {
        match self {
            LayerSpec::Conv { .. } => "conv",
            LayerSpec::MaxPool { .. } => "maxpool",
            LayerSpec::AvgPool { .. } => "avgpool",
            LayerSpec::Flatten => "flatten",
            LayerSpec::Dense { .. } => "dense",
            LayerSpec::Dropout { .. } => "dropout",
            LayerSpec::BatchNorm => "batchnorm",
        }
    }

    /// A new layer of a kind, with sensible defaults.
    pub fn from_slug(slug: &str) -> Option<LayerSpec> {
        Some(match slug {
            "conv" => LayerSpec::Conv { filters: 16, kernel: 3, stride: 1, padding: Padding::Same, activation: Activation::Relu },
            "maxpool" => LayerSpec::MaxPool { size: 2 },
            "avgpool" => LayerSpec::AvgPool { size: 2 },
            "flatten" => LayerSpec::Flatten,
            "dense" => LayerSpec::Dense { units: 32, activation: Activation::Relu },
            "dropout" => LayerSpec::Dropout { p: 0.25 },
            "batchnorm" => LayerSpec::BatchNorm,
            _ => return None,
        })
    }

    /// Every kind's slug, in menu order.
    pub const SLUGS: [&'static str; 7] = ["conv", "maxpool", "avgpool", "flatten", "dense", "dropout", "batchnorm"];

    /// The name shown to students.
    pub fn name(&self) -> Text {
        let (ja, en) = match self {
            LayerSpec::Conv { .. } => ("畳み込み層 Conv2D", "Convolution Conv2D"),
            LayerSpec::MaxPool { .. } => ("最大プーリング MaxPool", "Max pooling"),
            LayerSpec::AvgPool { .. } => ("平均プーリング AvgPool", "Average pooling"),
            LayerSpec::Flatten => ("平坦化 Flatten", "Flatten"),
            LayerSpec::Dense { .. } => ("全結合層 Dense", "Dense"),
            LayerSpec::Dropout { .. } => ("ドロップアウト Dropout", "Dropout"),
            LayerSpec::BatchNorm => ("バッチ正規化 BatchNorm", "Batch normalisation"),
        };
        Text::new(ja, en)
    }

    /// The Keras line that builds the same layer.
    pub fn keras(&self) -> String {
        match self {
            LayerSpec::Conv { filters, kernel, stride, padding, activation } => {
                let pad = if *padding == Padding::Same { "same" } else { "valid" };
                format!(
                    "layers.Conv2D({filters}, ({kernel}, {kernel}), strides={stride}, padding=\"{pad}\", activation=\"{}\")",
                    activation.keras()
                )
            }
            LayerSpec::MaxPool { size } => format!("layers.MaxPooling2D(({size}, {size}))"),
            LayerSpec::AvgPool { size } => format!("layers.AveragePooling2D(({size}, {size}))"),
            LayerSpec::Flatten => "layers.Flatten()".into(),
            LayerSpec::Dense { units, activation } => format!("layers.Dense({units}, activation=\"{}\")", activation.keras()),
            LayerSpec::Dropout { p } => format!("layers.Dropout({p})"),
            LayerSpec::BatchNorm => "layers.BatchNormalization()".into(),
        }
    }
}

/// The size of an image as a network takes it: channels, height, width (the input, and the
/// values between convolution layers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputShape {
    /// 1 (grayscale) or 3 (RGB) for an input; filters between layers.
    pub channels: usize,
    /// Height in pixels.
    pub height: usize,
    /// Width in pixels.
    pub width: usize,
}

/// The shape of the values between layers (one image, without the batch). Not stored: model
/// files keep the input's channels, height and width as fields of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Channels × height × width.
    Image(InputShape),
    /// A vector of this many values.
    Vector(usize),
}

impl From<InputShape> for Shape {
    fn from(s: InputShape) -> Shape {
        Shape::Image(s)
    }
}

impl Shape {
    /// The number of values.
    pub fn len(&self) -> usize {
        match *self {
            // Saturating: a crafted shared link must not wrap the count on 32-bit wasm.
            Shape::Image(InputShape { channels, height, width }) => channels.saturating_mul(height).saturating_mul(width),
            Shape::Vector(n) => n,
        }
    }

    /// Whether it holds no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Display for Shape {
    /// Keras's order: `(28, 28, 8)` for an image, `(64,)` for a vector.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Shape::Image(InputShape { channels, height, width }) => write!(f, "({height}, {width}, {channels})"),
            Shape::Vector(n) => write!(f, "({n},)"),
        }
    }
}

/// One row of the model summary, like Keras's `model.summary()` but counting trainable values
/// only (Keras also lists batch norm's 2 × C running statistics as non-trainable).
#[derive(Clone, Debug, PartialEq)]
pub struct LayerSummary {
    /// The layer's name.
    pub name: Text,
    /// Its output shape.
    pub output: Shape,
    /// Its trainable values.
    pub params: usize,
}

/// The output layer and the loss it is trained with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Output {
    /// One unit per class, softmax, cross-entropy (交差エントロピー).
    #[default]
    Softmax,
    /// Two classes only: one unit, sigmoid — the probability of the second class — and binary
    /// cross-entropy (2値交差エントロピー).
    Sigmoid,
}

impl Output {
    /// Its name in settings and on the command line.
    pub fn slug(self) -> &'static str {
        match self {
            Output::Softmax => "softmax",
            Output::Sigmoid => "sigmoid",
        }
    }
}

/// A network: the layers, then the implicit output layer (softmax: one unit per class; sigmoid:
/// one unit for two classes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSpec {
    /// In order, input first.
    pub layers: Vec<LayerSpec>,
    /// The output layer and its loss (model files written before it existed: softmax).
    #[serde(default)]
    pub output: Output,
}

/// The largest number of trainable values accepted (a browser tab has a few GB at most).
pub const MAX_PARAMS: usize = 20_000_000;

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec::small_cnn()
    }
}

impl ModelSpec {
    /// 小さな CNN: conv 8 → max-pool → conv 16 → max-pool → dense 64 (the foundation's network).
    pub fn small_cnn() -> Self {
        let conv = |filters| LayerSpec::Conv { filters, kernel: 3, stride: 1, padding: Padding::Same, activation: Activation::Relu };
        ModelSpec {
            layers: vec![
                conv(8),
                LayerSpec::MaxPool { size: 2 },
                conv(16),
                LayerSpec::MaxPool { size: 2 },
                LayerSpec::Flatten,
                LayerSpec::Dense { units: 64, activation: Activation::Relu },
            ],
            output: Output::Softmax,
        }
    }

    /// The course's MLP: flatten → dense 10 tanh → dense 10 ReLU.
    pub fn course_mlp() -> Self {
        ModelSpec {
            layers: vec![
                LayerSpec::Flatten,
                LayerSpec::Dense { units: 10, activation: Activation::Tanh },
                LayerSpec::Dense { units: 10, activation: Activation::Relu },
            ],
            output: Output::Softmax,
        }
    }

    /// A new head for a frozen backbone (転移学習): the pooled features flattened, dropout 0.2
    /// (as Keras's transfer-learning guide), optionally a hidden dense layer with ReLU (Teachable
    /// Machine's head has one of 100 units), then the output layer.
    pub fn transfer_head(hidden: Option<usize>) -> Self {
        let mut layers = vec![LayerSpec::Flatten, LayerSpec::Dropout { p: 0.2 }];
        if let Some(units) = hidden {
            layers.push(LayerSpec::Dense { units, activation: Activation::Relu });
        }
        ModelSpec { layers, output: Output::Softmax }
    }

    /// A deeper CNN: two blocks of conv-conv-(batch norm)-pool, then dense 128 with dropout.
    pub fn deeper_cnn() -> Self {
        let conv = |filters| LayerSpec::Conv { filters, kernel: 3, stride: 1, padding: Padding::Same, activation: Activation::Relu };
        ModelSpec {
            layers: vec![
                conv(16),
                conv(16),
                LayerSpec::BatchNorm,
                LayerSpec::MaxPool { size: 2 },
                conv(32),
                conv(32),
                LayerSpec::BatchNorm,
                LayerSpec::MaxPool { size: 2 },
                LayerSpec::Flatten,
                LayerSpec::Dense { units: 128, activation: Activation::Relu },
                LayerSpec::Dropout { p: 0.3 },
            ],
            output: Output::Softmax,
        }
    }

    /// Every layer's output shape and parameter count for `input` images and `classes` classes,
    /// the implicit output layer last.
    ///
    /// # Errors
    /// [`CoreError::BadSetting`] naming the first layer that cannot work (a size below 1, zero
    /// units, a convolution after flattening, a dense layer on an image not flattened, too many
    /// parameters), in words a student can act on.
    pub fn summary(&self, input: Shape, classes: usize) -> Result<Vec<LayerSummary>, CoreError> {
        let bad = |i: usize, ja: String, en: String| CoreError::Layer { index: i + 1, ja, en };
        if input.is_empty() {
            return Err(bad(0, "入力画像の大きさが 0 です".into(), "the input image is empty".into()));
        }
        if self.layers.len() > 64 {
            return Err(bad(64, "層は 64 個までです".into(), "at most 64 layers".into()));
        }
        let mut shape = input;
        let mut rows = Vec::with_capacity(self.layers.len() + 1);
        let mut total = 0usize;
        for (i, layer) in self.layers.iter().enumerate() {
            let (out, params) = match (layer, shape) {
                (LayerSpec::Conv { filters, kernel, stride, padding, .. }, Shape::Image(InputShape { channels, height, width })) => {
                    if *filters == 0 || *filters > 512 {
                        return Err(bad(
                            i,
                            format!("フィルタ数 {filters} は 1〜512 にしてください"),
                            format!("{filters} filters: use 1 to 512"),
                        ));
                    }
                    if *kernel == 0 || kernel % 2 == 0 || *kernel > 11 {
                        return Err(bad(
                            i,
                            format!("カーネルの大きさ {kernel} は 1〜11 の奇数にしてください"),
                            format!("kernel size {kernel}: use an odd number from 1 to 11"),
                        ));
                    }
                    if *stride == 0 || *stride > 8 {
                        return Err(bad(i, format!("ストライド {stride} は 1〜8 にしてください"), format!("stride {stride}: use 1 to 8")));
                    }
                    let pad = if *padding == Padding::Same { kernel / 2 } else { 0 };
                    let size = |n: usize| (n + 2 * pad).checked_sub(*kernel).map(|d| d / stride + 1);
                    let (Some(h), Some(w)) = (size(height), size(width)) else {
                        return Err(bad(
                            i,
                            format!("{height}×{width} の入力に {kernel}×{kernel} のカーネルは大きすぎます（出力の大きさが 1 未満）"),
                            format!("a {kernel}×{kernel} kernel does not fit a {height}×{width} input (output smaller than 1)"),
                        ));
                    };
                    (Shape::Image(InputShape { channels: *filters, height: h, width: w }), channels * filters * kernel * kernel + filters)
                }
                (LayerSpec::MaxPool { size } | LayerSpec::AvgPool { size }, Shape::Image(InputShape { channels, height, width })) => {
                    if *size == 0 || *size > 8 {
                        return Err(bad(
                            i,
                            format!("プーリングの大きさ {size} は 1〜8 にしてください"),
                            format!("pool size {size}: use 1 to 8"),
                        ));
                    }
                    if height / size == 0 || width / size == 0 {
                        return Err(bad(
                            i,
                            format!("{height}×{width} を {size}×{size} でプーリングすると大きさが 1 未満になります"),
                            format!("pooling {height}×{width} by {size}×{size} leaves less than one pixel"),
                        ));
                    }
                    (Shape::Image(InputShape { channels, height: height / size, width: width / size }), 0)
                }
                (LayerSpec::Conv { .. } | LayerSpec::MaxPool { .. } | LayerSpec::AvgPool { .. }, Shape::Vector(_)) => {
                    return Err(bad(
                        i,
                        "平坦化（Flatten）や全結合層の後には、畳み込みやプーリングを置けません".into(),
                        "convolution and pooling need an image: they cannot follow Flatten or a dense layer".into(),
                    ));
                }
                (LayerSpec::Flatten, s) => (Shape::Vector(s.len()), 0),
                (LayerSpec::Dense { .. }, Shape::Image(InputShape { .. })) => {
                    return Err(bad(
                        i,
                        "全結合層の前に平坦化（Flatten）を入れてください".into(),
                        "put a Flatten layer before the dense layer".into(),
                    ));
                }
                (LayerSpec::Dense { units, .. }, Shape::Vector(n)) => {
                    if *units == 0 || *units > 4096 {
                        return Err(bad(
                            i,
                            format!("ユニット数 {units} は 1〜4096 にしてください"),
                            format!("{units} units: use 1 to 4096"),
                        ));
                    }
                    (Shape::Vector(*units), n.saturating_mul(*units).saturating_add(*units))
                }
                (LayerSpec::Dropout { p }, s) => {
                    if !(0.0..1.0).contains(p) {
                        return Err(bad(
                            i,
                            format!("ドロップアウト率 {p} は 0 以上 1 未満にしてください"),
                            format!("dropout rate {p}: use 0 ≤ p < 1"),
                        ));
                    }
                    (s, 0)
                }
                (LayerSpec::BatchNorm, s) => {
                    let features = match s {
                        Shape::Image(InputShape { channels, .. }) => channels,
                        Shape::Vector(n) => n,
                    };
                    (s, 2 * features)
                }
            };
            total = total.saturating_add(params);
            rows.push(LayerSummary { name: layer.name(), output: out, params });
            shape = out;
        }
        let Shape::Vector(n) = shape else {
            return Err(bad(
                self.layers.len().saturating_sub(1),
                "出力層（全結合）の前に平坦化（Flatten）を入れてください".into(),
                "put a Flatten layer before the output (dense) layer".into(),
            ));
        };
        if classes == 0 {
            return Err(bad(self.layers.len(), "クラスがありません".into(), "there are no classes".into()));
        }
        if self.output == Output::Sigmoid && classes != 2 {
            return Err(bad(
                self.layers.len(),
                format!(
                    "シグモイド出力（2値交差エントロピー）は 2 クラスのデータ専用です（このデータは {classes} クラス）。ソフトマックスを選んでください"
                ),
                format!("a sigmoid output (binary cross-entropy) is for two classes only (this data has {classes}); choose softmax"),
            ));
        }
        let units = self.output_units(classes);
        let out_params = n.saturating_mul(units).saturating_add(units);
        total = total.saturating_add(out_params);
        rows.push(LayerSummary {
            name: match self.output {
                Output::Softmax => Text::new("出力層 Dense + softmax", "Output: dense + softmax"),
                Output::Sigmoid => {
                    Text::new("出力層 Dense 1 + sigmoid（2値交差エントロピー）", "Output: dense 1 + sigmoid (binary cross-entropy)")
                }
            },
            output: Shape::Vector(units),
            params: out_params,
        });
        if total > MAX_PARAMS {
            return Err(bad(
                self.layers.len(),
                format!(
                    "パラメータが {total} 個で多すぎます（{MAX_PARAMS} 個まで）。フィルタ数やユニット数を減らすか、プーリングを増やしてください"
                ),
                format!("{total} parameters is too many (at most {MAX_PARAMS}); use fewer filters or units, or more pooling"),
            ));
        }
        Ok(rows)
    }

    /// Units of the output layer for `classes` classes (a sigmoid output has one).
    pub fn output_units(&self, classes: usize) -> usize {
        match self.output {
            Output::Softmax => classes,
            Output::Sigmoid => 1,
        }
    }

    /// The Keras code that builds the same network.
    pub fn keras(&self, input: Shape, classes: usize) -> String {
        let input = match input {
            Shape::Image(InputShape { channels, height, width }) => format!("({height}, {width}, {channels})"),
            Shape::Vector(n) => format!("({n},)"),
        };
        let mut lines = vec![format!("    layers.Input(shape={input}),")];
        lines.extend(self.layers.iter().map(|l| format!("    {},", l.keras())));
        let (last, loss) = match self.output {
            Output::Softmax => (format!("layers.Dense({classes}, activation=\"softmax\")"), "sparse_categorical_crossentropy"),
            Output::Sigmoid => ("layers.Dense(1, activation=\"sigmoid\")".to_owned(), "binary_crossentropy"),
        };
        lines.push(format!("    {last},"));
        format!("model = keras.Sequential([\n{}\n])\n# model.compile(loss=\"{loss}\", …)", lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGITS: Shape = Shape::Image(InputShape { channels: 1, height: 28, width: 28 });

    #[test]
    fn presets_have_the_expected_shapes_and_parameters() {
        let rows = ModelSpec::small_cnn().summary(DIGITS, 10).unwrap();
        let shapes: Vec<String> = rows.iter().map(|r| r.output.to_string()).collect();
        assert_eq!(shapes, ["(28, 28, 8)", "(14, 14, 8)", "(14, 14, 16)", "(7, 7, 16)", "(784,)", "(64,)", "(10,)"]);
        let total: usize = rows.iter().map(|r| r.params).sum();
        assert_eq!(total, (72 + 8) + (1152 + 16) + (784 * 64 + 64) + (640 + 10));

        let mlp = ModelSpec::course_mlp().summary(DIGITS, 10).unwrap();
        assert_eq!(mlp.iter().map(|r| r.params).sum::<usize>(), (784 * 10 + 10) + (10 * 10 + 10) + (10 * 10 + 10));
        let deep = ModelSpec::deeper_cnn().summary(DIGITS, 10).unwrap();
        assert_eq!(deep.last().unwrap().output, Shape::Vector(10));
    }

    #[test]
    fn stride_and_valid_padding_shrink_as_keras_does() {
        let m = ModelSpec {
            output: Output::Softmax,
            layers: vec![
                LayerSpec::Conv { filters: 4, kernel: 5, stride: 1, padding: Padding::Valid, activation: Activation::Relu },
                LayerSpec::Conv { filters: 4, kernel: 3, stride: 2, padding: Padding::Same, activation: Activation::Relu },
                LayerSpec::Flatten,
            ],
        };
        let rows = m.summary(DIGITS, 3).unwrap();
        assert_eq!(rows[0].output, Shape::Image(InputShape { channels: 4, height: 24, width: 24 }));
        assert_eq!(rows[1].output, Shape::Image(InputShape { channels: 4, height: 12, width: 12 }));
    }

    #[test]
    fn impossible_stacks_are_refused_with_the_layer_named() {
        let err = |layers: Vec<LayerSpec>| ModelSpec { layers, output: Output::Softmax }.summary(DIGITS, 10).unwrap_err();
        let pool = LayerSpec::MaxPool { size: 2 };
        // 28 → 14 → 7 → 3 → 1 → 0.
        let e = err(vec![pool.clone(), pool.clone(), pool.clone(), pool.clone(), pool.clone(), LayerSpec::Flatten]);
        assert!(matches!(e, CoreError::Layer { index: 5, .. }), "{e:?}");
        assert!(e.text().ja.contains("1 未満"));
        let e = err(vec![LayerSpec::Flatten, LayerSpec::Dense { units: 0, activation: Activation::Relu }]);
        assert!(matches!(e, CoreError::Layer { index: 2, .. }));
        let e = err(vec![LayerSpec::Dense { units: 5, activation: Activation::Relu }]);
        assert!(e.text().en.contains("Flatten"));
        let e = err(vec![LayerSpec::Flatten, LayerSpec::from_slug("conv").unwrap()]);
        assert!(e.text().ja.contains("畳み込み"));
        let e = err(vec![LayerSpec::from_slug("conv").unwrap()]);
        assert!(e.text().en.contains("output"));
        let big = LayerSpec::Conv { filters: 9, kernel: 31, stride: 1, padding: Padding::Valid, activation: Activation::Relu };
        assert!(matches!(err(vec![big]), CoreError::Layer { index: 1, .. }));
        let e = err(vec![
            LayerSpec::Flatten,
            LayerSpec::Dense { units: 4096, activation: Activation::Relu },
            LayerSpec::Dense { units: 4096, activation: Activation::Relu },
        ]);
        assert!(e.text().en.contains("too many"), "{e:?}");
        let e = err(vec![LayerSpec::Dropout { p: 1.0 }, LayerSpec::Flatten]);
        assert!(matches!(e, CoreError::Layer { index: 1, .. }));
    }

    #[test]
    fn a_sigmoid_output_has_one_unit_and_only_for_two_classes() {
        let binary = ModelSpec { output: Output::Sigmoid, ..ModelSpec::course_mlp() };
        let rows = binary.summary(DIGITS, 2).unwrap();
        let last = rows.last().unwrap();
        assert_eq!((last.output, last.params), (Shape::Vector(1), 10 + 1));
        assert!(last.name.en.contains("sigmoid"));
        let e = binary.summary(DIGITS, 10).unwrap_err();
        assert!(e.text().en.contains("for two classes only (this data has 10)"), "{e:?}");
        assert!(e.text().ja.contains("2 クラス"));
        // Model files written before the output kind existed read as softmax.
        let old: ModelSpec = serde_json::from_str(r#"{"layers":[{"Flatten":null}]}"#)
            .or_else(|_| serde_json::from_str(r#"{"layers":["Flatten"]}"#))
            .unwrap();
        assert_eq!(old.output, Output::Softmax);
    }

    #[test]
    fn keras_code_names_every_layer() {
        let code = ModelSpec::course_mlp().keras(DIGITS, 10);
        assert_eq!(
            code,
            "model = keras.Sequential([\n    layers.Input(shape=(28, 28, 1)),\n    layers.Flatten(),\n    \
             layers.Dense(10, activation=\"tanh\"),\n    layers.Dense(10, activation=\"relu\"),\n    \
             layers.Dense(10, activation=\"softmax\"),\n])\n# model.compile(loss=\"sparse_categorical_crossentropy\", …)"
        );
        let binary = ModelSpec { output: Output::Sigmoid, ..ModelSpec::course_mlp() };
        let code = binary.keras(DIGITS, 2);
        assert!(code.contains("layers.Dense(1, activation=\"sigmoid\"),\n])") && code.contains("binary_crossentropy"), "{code}");
        for slug in LayerSpec::SLUGS {
            assert_eq!(LayerSpec::from_slug(slug).unwrap().slug(), slug);
        }
    }
}
