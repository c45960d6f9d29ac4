//! Every UI string, Japanese first. `T::get(lang)` picks one; keeping them in one place makes a
//! missing translation a compile error rather than a blank label.

use imagelab_core::Lang;
use imagelab_core::i18n::Text;

/// A UI string in Japanese and English.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct T(pub &'static str, pub &'static str);

impl T {
    /// The string for `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.0,
            Lang::En => self.1,
        }
    }

    /// This text followed by `detail` (the same in both languages, e.g. a file's name).
    pub fn followed_by(self, detail: impl std::fmt::Display) -> Text {
        Text::new(format!("{}{detail}", self.0), format!("{}{detail}", self.1))
    }

    /// This text with why a step at the browser boundary failed in brackets, each in its language.
    pub fn with_reason(self, why: &crate::error::PageError) -> Text {
        let why = why.text();
        Text::new(format!("{}（{}）", self.0, why.ja), format!("{} ({})", self.1, why.en))
    }

    /// This text followed by why a step at the browser boundary failed, each in its language.
    pub fn because(self, why: &crate::error::PageError) -> Text {
        let why = why.text();
        Text::new(format!("{}{}", self.0, why.ja), format!("{}{}", self.1, why.en))
    }
}

impl From<T> for Text {
    fn from(t: T) -> Self {
        Text::new(t.0, t.1)
    }
}

pub const APP_TITLE: T = T("画像分類ラボ", "ImageLab");
pub const APP_TAGLINE: T =
    T("自分の写真で、画像処理とディープラーニングを試そう", "Learn image processing and deep learning with your own photos");
pub const SWITCH_LANG: T = T("English", "日本語");
pub const SWITCH_LANG_LABEL: T = T("表示言語を英語に切り替える", "Switch the language to Japanese");
pub const NAV_LABEL: T = T("実験室", "Labs");

pub const LAB_IMAGE: T = T("画像", "Image");
pub const LAB_AUGMENT: T = T("データ拡張", "Augmentation");
pub const LAB_DATA: T = T("データ", "Data");
pub const LAB_TRAIN: T = T("学習", "Training");
pub const LAB_COMPARE: T = T("比較", "Comparison");
pub const LAB_SHARE: T = T("共有", "Share");
pub const LAB_TABLE: T = T("表データ", "Tables");
pub const LAB_CONCEPTS: T = T("しくみ", "Concepts");

pub const CLOSE_NOTICE: T = T("お知らせを閉じる", "Close the notice");

pub const TRAIN_HEADING: T = T("学習：ニューラルネットワークで画像を分類", "Training: a neural network classifies images");
pub const TRAIN_INTRO: T = T(
    "内蔵の手書き数字 4,000 枚（MNIST より、各数字 400 枚）か「データ」実験室で作ったデータセットを、学習データと検証データに分け（層化・シード固定、既定は 7：3）、モデル（MLP や CNN）を学習します。モデルはひな形から選ぶか、層を自分で組み立てられます。",
    "The 4,000 built-in handwritten digits (from MNIST, 400 of each) or a dataset made in the Data lab are split into training and validation data (stratified, seeded; 7:3 by default), and a model (an MLP or a CNN) learns them. Pick a preset or build the layers yourself.",
);
pub const DATA_LOADING: T = T("内蔵データを読み込み中…", "Loading the built-in data…");
pub const DATA_FAILED: T = T("内蔵データを読み込めませんでした", "The built-in data could not be loaded");
pub const SAMPLES_LABEL: T = T("内蔵データの例（各数字の最初の 2 枚）", "Samples of the built-in data (the first two of each digit)");

pub const EPOCHS: T = T("エポック数", "Epochs");
pub const BATCH: T = T("ミニバッチサイズ", "Mini-batch size");
pub const LEARNING_RATE: T = T("学習率", "Learning rate");
pub const OPTIMIZER: T = T("最適化手法", "Optimizer");
pub const SEED: T = T("乱数シード", "Random seed");
pub const VAL_SHARE: T = T("検証データの割合", "Validation share");
pub const DEVICE: T = T("計算デバイス", "Compute device");
pub const DEVICE_AUTO: T = T("自動", "Auto");
pub const DEVICE_CPU: T = T("CPU", "CPU");
pub const DEVICE_WEBGPU: T = T("WebGPU", "WebGPU");

pub const TRAIN: T = T("学習開始", "Train");
pub const STOP: T = T("停止", "Stop");
pub const STOPPING: T = T("停止中…", "Stopping…");
pub const STARTING: T = T("準備中（ワーカーとデバイスを起動しています）…", "Starting (loading the worker and the device)…");
pub const RUNNING_ON: T = T("計算デバイス：", "Running on: ");
pub const BACKEND_WEBGPU: T = T("WebGPU（GPU）", "WebGPU (GPU)");
pub const BACKEND_CPU: T = T("CPU", "CPU");
pub const PROGRESS_LABEL: T = T("学習の進み具合", "Training progress");
pub const EPOCH: T = T("エポック", "Epoch");
pub const STEP: T = T("ステップ", "Step");
pub const ETA: T = T("残り", "Left");
pub const FINISHED: T = T("学習が終わりました。", "Training finished.");
pub const STOPPED: T = T("学習を途中で止めました。", "Training was stopped.");
pub const FAILED: T = T("学習できませんでした：", "Training failed: ");
pub const VAL_ACC: T = T("検証データの精度", "Validation accuracy");
pub const BEST: T = T("最高", "best");
pub const SPLIT_SIZES: T = T("学習データ / 検証データ", "Training / validation images");

pub const CHART_LOSS: T = T("損失（誤差）", "Loss");
pub const CHART_ACC: T = T("精度", "Accuracy");
pub const CHART_TRAIN: T = T("学習データ", "Training");
pub const CHART_VAL: T = T("検証データ", "Validation");
pub const CHART_X: T = T("エポック", "Epoch");
pub const CHART_EMPTY: T = T("学習を始めると曲線が描かれます。", "Curves appear once training starts.");

pub const CONFUSION: T =
    T("混同行列（検証データ、行＝正解・列＝予測）", "Confusion matrix (validation; rows = truth, columns = prediction)");

pub const WORKER_FAILED: T = T("学習ワーカーが動きませんでした：", "The training worker failed: ");
pub const TRAIN_NO_DATA: T = T(
    "データの準備がまだです。準備が終わってから、もう一度学習を始めてください。",
    "The data is not ready yet: start training again once it is.",
);
pub const WORKER_UNSUPPORTED: T = T("このブラウザは Web Worker を起動できません：", "This browser could not start a Web Worker: ");

pub const IMG_HEADING: T = T("画像：画像は数値の行列", "Image: an image is a matrix of numbers");
pub const IMG_INTRO: T = T(
    "写真を読み込んで、画素の値、チャンネル、グレースケール、ヒストグラム、フィルタ、幾何変換を確かめよう。大きな写真は長い辺が 640 画素になるよう縮小します。",
    "Load a photo and look at its pixel values, channels, grayscale, histograms, filters and geometric transforms. Big photos are scaled so the long side is 640 pixels.",
);
pub const IMG_PICK: T = T("画像ファイルを選ぶ", "Choose image files");
pub const IMG_CAMERA: T = T("カメラで撮る", "Take a photo");
pub const IMG_SAMPLE: T = T("サンプル画像", "Sample image");
pub const IMG_LOADING: T = T("読み込み中…", "Loading…");
pub const IMG_BAD_FILE: T = T("この画像は読み込めませんでした：", "This image could not be read: ");
pub const IMG_TOO_BIG_FILE: T = T("ファイルが大きすぎます（100 MB まで）", "The file is too large (100 MB at most)");
pub const IMG_TOO_MANY_PIXELS: T = T(
    "画素数が多すぎるか大きさが不正な画像です（1 億画素まで）：",
    "The image has too many pixels or an invalid size (100 megapixels at most): ",
);
pub const IMG_ORIGINAL: T = T("元の画像", "Original");
pub const IMG_SIZE: T = T("大きさ", "Size");
pub const IMG_PIXEL_HINT: T =
    T("画像の上にカーソルを置くか、タップすると、その画素の値が表示されます。", "Hover over or tap the image to read a pixel's values.");
pub const IMG_GRAY: T = T("グレースケール", "Grayscale");
pub const IMG_GRAY_FORMULA: T = T(
    "Y = 0.2125 R + 0.7154 G + 0.0721 B（scikit-image の rgb2gray と同じ）",
    "Y = 0.2125 R + 0.7154 G + 0.0721 B (as scikit-image's rgb2gray)",
);
pub const IMG_CHANNELS: T = T("R・G・B チャンネル", "R, G and B channels");
pub const IMG_CH_R: T = T("R（赤）チャンネル", "R (red) channel");
pub const IMG_CH_G: T = T("G（緑）チャンネル", "G (green) channel");
pub const IMG_CH_B: T = T("B（青）チャンネル", "B (blue) channel");
pub const IMG_HIST: T = T("ヒストグラム（値ごとの画素数）", "Histogram (pixels per value)");
pub const IMG_EQUALIZED: T = T("ヒストグラム平坦化", "Histogram equalisation");
pub const IMG_FILTER: T = T("フィルタ", "Filter");
pub const IMG_BORDER: T = T("画像の外側", "Outside the image");
pub const IMG_BORDER_ZERO: T = T("ゼロパディング", "Zero padding");
pub const IMG_BORDER_EDGE: T = T("端の画素を延ばす", "Repeat the edge");
pub const IMG_BORDER_REFLECT: T = T("鏡映", "Reflect");
pub const IMG_KERNEL: T = T("カーネル（重み）", "Kernel (weights)");
pub const IMG_FILTERED: T = T("フィルタをかけた画像", "Filtered image");
pub const IMG_GEOMETRY: T = T("幾何変換", "Geometry");
pub const IMG_ANGLE: T = T("回転角（度）", "Angle (degrees)");
pub const IMG_TRANSFORMED: T = T("変換後の画像", "Transformed image");
pub const IMG_CODE: T = T("Python（NumPy / scikit-image）で書くと", "In Python (NumPy / scikit-image)");
pub const IMG_ABSOLUTE: T = T("（負の値も見えるよう絶対値で表示）", " (absolute values, so negatives show too)");
pub const EXPLAIN_HEADING: T = T("畳み込みを 1 ステップずつ", "Convolution, one step at a time");
pub const EXPLAIN_INTRO: T = T(
    "カーネルを画像の上で 1 画素ずつずらし、重なった画素の値とカーネルの重みの積を足し合わせたものが出力になります。外側の画素は選んだ方法（ゼロパディングなど）で埋めます。",
    "The kernel slides over the image one pixel at a time; each output is the sum of the products of the pixels under the kernel and its weights. Pixels outside the image come from the chosen border mode (zero padding, …).",
);
pub const EXPLAIN_SOURCE: T = T("対象", "Input");
pub const EXPLAIN_EXAMPLE: T = T("小さな例（6×6）", "Small example (6×6)");
pub const EXPLAIN_PATCH: T = T("写真の一部（8×8、最後に指した画素のまわり）", "Part of the photo (8×8 around the last pixel pointed at)");
pub const EXPLAIN_PREV: T = T("前へ", "Previous");
pub const EXPLAIN_NEXT: T = T("次へ", "Next");
pub const EXPLAIN_INPUT: T = T("入力（灰色は画像の外側）", "Input (grey cells lie outside the image)");
pub const EXPLAIN_OUTPUT: T = T("出力（ここまでに計算した値）", "Output (values computed so far)");
pub const EXPLAIN_SUM: T = T("合計", "Sum");
pub const EXPLAIN_POSITION: T = T("位置", "Position");
pub const KERNEL_SIZE: T = T("カーネルの大きさ", "Kernel size");
pub const KERNEL_CELL: T = T("重み", "Weight");
pub const CAM_HEADING: T = T("カメラ（ライブ）", "Camera (live)");
pub const CAM_START: T = T("カメラを使う", "Start the camera");
pub const CAM_STOP: T = T("カメラを止める", "Stop the camera");
pub const CAM_SWITCH: T = T("前後のカメラを切り替える", "Switch front/back camera");
pub const CAM_CAPTURE: T = T("この画面を写真として使う", "Use this frame as the photo");
pub const CAM_LIVE: T = T("ライブ映像に今のフィルタをかけたもの", "The live image with the current filter");
pub const CAM_VIDEO: T = T("カメラの映像", "Camera image");
pub const CAM_FAILED: T = T("カメラを使えませんでした：", "The camera could not be used: ");
pub const CAM_MS: T = T("1 フレームの処理時間", "Time per frame");
pub const IMG_DROP: T =
    T("ここに画像をドロップするか、貼り付け（Ctrl+V）もできます。", "You can also drop an image here or paste one (Ctrl+V).");
pub const IMG_ZOOM: T = T("指した画素のまわりの値（グレースケール 7×7）", "Values around the pixel pointed at (grayscale 7×7)");
pub const GEO_TX: T = T("右へ（画素）", "Right (pixels)");
pub const GEO_TY: T = T("下へ（画素）", "Down (pixels)");
pub const GEO_W: T = T("幅（画素）", "Width (pixels)");
pub const GEO_H: T = T("高さ（画素）", "Height (pixels)");
pub const GEO_AA: T = T("アンチエイリアス", "Anti-aliasing");
pub const GEO_CROP_HINT: T =
    T("元の画像の上をドラッグして、切り抜く範囲を選んでください。", "Drag on the original image to choose the area to crop.");
pub const CAM_PROCESS: T = T("うちフィルタ処理", "of which filtering");
pub const IMG_GALLERY: T = T("読み込んだ写真", "Loaded photos");
pub const IMG_IN_COLOUR: T = T("カラーのまま（R・G・B それぞれに）", "In colour (R, G and B separately)");

pub const AUG_HEADING: T = T("データ拡張：学習画像をランダムに変えて増やす", "Augmentation: vary the training images at random");
pub const AUG_INTRO: T = T(
    "回転・平行移動・切り抜き・イレージングなどを、確率つきで順に並べたものがパイプラインです。学習ではミニバッチの画像ごとに毎回ちがう結果が使われます（検証データには使いません）。シードが同じなら、同じ結果になります。",
    "A pipeline is an ordered list of augmentations (rotation, translation, cropping, erasing…), each applied with a probability. In training every image of every mini-batch gets a fresh draw (validation data never does). The same seed gives the same draws.",
);
pub const AUG_SOURCE: T = T("元の画像", "Source image");
pub const AUG_SOURCE_DIGIT: T = T("内蔵の手書き数字", "A built-in digit");
pub const AUG_SOURCE_PHOTO: T = T("「画像」実験室の写真", "The Image lab's photo");
pub const AUG_NEXT_DIGIT: T = T("別の数字", "Another digit");
pub const AUG_NO_PHOTO: T = T("「画像」実験室で写真を選ぶと、ここに使えます。", "Choose a photo in the Image lab to use it here.");
pub const AUG_PIPELINE: T = T("パイプライン（上から順に適用）", "Pipeline (applied top to bottom)");
pub const AUG_EMPTY: T = T("拡張なし：画像はそのまま使われます。", "No augmentation: images are used as they are.");
pub const AUG_ADD_KIND: T = T("追加する拡張の種類", "Kind of augmentation to add");
pub const AUG_ADD: T = T("追加", "Add");
pub const AUG_PRESET_DIGITS: T = T("手書き数字向けの設定", "Preset for digits");
pub const AUG_CLEAR: T = T("すべて削除", "Remove all");
pub const AUG_PROBABILITY: T = T("確率", "Probability");
pub const AUG_UP: T = T("上へ移動", "Move up");
pub const AUG_DOWN: T = T("下へ移動", "Move down");
pub const AUG_REMOVE: T = T("削除", "Remove");
pub const AUG_FILL_ZERO: T = T("黒 (0)", "black (0)");
pub const AUG_FILL_GRAY: T = T("灰色 (128)", "gray (128)");
pub const AUG_FILL_RANDOM: T = T("ランダム", "random");
pub const AUG_PREVIEW: T = T("プレビュー：16 回ランダムに適用", "Preview: 16 random draws");
pub const AUG_REDRAW: T = T("もう一度引く（シード + 1）", "Draw again (seed + 1)");
pub const AUG_SEED_NOTE: T = T(
    "同じシードなら何度でも同じ 16 枚になります。手書き数字を左右反転すると別の数字に見えることがあります：クラスが変わらない拡張だけを選びましょう。",
    "The same seed always gives the same 16 images. A flipped digit can look like another digit: choose only augmentations that keep the class.",
);
pub const AUG_ORIGINAL: T = T("元の画像", "Original");
pub const AUG_DRAW: T = T("拡張の例", "Augmented draw");
pub const AUG_CODE: T = T("同じことを PyTorch (torchvision) で書くと", "The same in PyTorch (torchvision)");
pub const AUG_TO_TRAIN: T = T(
    "「学習」実験室で「データ拡張を使う」をオンにすると、このパイプラインで学習します。「比較実験」で拡張あり・なしを同じシードで比べられます。",
    "Tick “Use augmentation” in the Training lab to train with this pipeline; “Ablation” trains with and without it on the same seed and draws both curves.",
);

pub const USE_AUGMENT: T =
    T("データ拡張を使う（「データ拡張」実験室のパイプライン）", "Use augmentation (the Augmentation lab's pipeline)");
pub const AUGMENT_STEPS: T = T("ステップ", "steps");
pub const ABLATION: T = T("比較実験：拡張あり・なし", "Ablation: with vs without augmentation");
pub const ABLATION_FAMILY: T = T("比較実験：ゼロから・転移学習", "Ablation: from scratch vs transfer learning");
pub const ABLATION_FAMILY_DONE: T = T(
    "比較実験が終わりました。同じデータ・同じ分け方・同じシードで、ゼロから学習したネットワークと、ImageNet で学習済みのバックボーンに新しいヘッドをつけたもの（転移学習）の曲線を重ねています。どちらが良いかはデータ次第です。写真が少ないときは転移学習が強いことが多く、手書き数字のように ImageNet の写真と違う画像では負けることもあります。",
    "Ablation finished: the same data, split and seed, a network trained from scratch against a new head on the ImageNet-pretrained backbone (transfer learning), both curves on one chart. Which wins depends on the data: with few photos transfer learning often does; on images unlike ImageNet's photos, such as handwritten digits, it can lose.",
);
pub const ABLATION_FAMILY_TRAIN_ACC: T = T("学習データの精度（ミニバッチ）", "Training accuracy (on the mini-batches)");
pub const ABLATION_RUNNING: T = T("比較実験中", "Ablation run");
pub const ABLATION_DONE: T = T(
    "比較実験が終わりました。同じモデル・同じシードで、拡張ありとなしの曲線を重ねています。学習と検証の差が小さいほど、過学習が少ないということです。",
    "Ablation finished: the same model and seed with and without augmentation, both curves on one chart. The smaller the gap between training and validation, the less overfitting.",
);
pub const ABLATION_NEEDS_PIPELINE: T =
    T("「データ拡張」実験室でパイプラインを作ってから比較してください。", "Build a pipeline in the Augmentation lab first.");
pub const PREPARE_MS: T = T("入力の準備（拡張を含む）", "Input preparation (incl. augmentation)");
pub const STEP_MS: T = T("1 ステップ", "one step");
pub const PER_BATCH: T = T("ミニバッチあたり", "per mini-batch");
pub const ABLATION_RUN: T = T("実験", "Run");
pub const ABLATION_TRAIN_ACC: T = T("学習データの精度（拡張後のミニバッチ）", "Training accuracy (on the augmented mini-batches)");
pub const ABLATION_GAP: T = T("差（学習 − 検証, ポイント）", "Gap (training − validation, points)");

pub const MODEL_HEADING: T = T("モデル（ネットワークの構造）", "Model (the network's layers)");
pub const MODEL_PRESET: T = T("ひな形", "Preset");
pub const MODEL_OUTPUT: T = T("出力層と損失関数", "Output layer and loss");
pub const OUTPUT_SOFTMAX: T =
    T("ソフトマックス（クラスの数だけ出力）＋ 交差エントロピー", "Softmax (one output per class) + cross-entropy");
pub const OUTPUT_SIGMOID: T =
    T("シグモイド（出力 1 つ）＋ 2値交差エントロピー — 2 クラスのみ", "Sigmoid (one output) + binary cross-entropy — two classes only");
pub const PRESET_SMALL_CNN: T = T("小さな CNN（畳み込み→プーリング ×2 → 全結合）", "Small CNN (conv→pool ×2 → dense)");
pub const PRESET_MLP: T = T("講座の MLP（tanh 10 個 → ReLU 10 個）", "The course's MLP (10 tanh → 10 ReLU)");
pub const PRESET_DEEPER_CNN: T = T("深めの CNN（畳み込み ×4、バッチ正規化、ドロップアウト）", "Deeper CNN (4 convs, batch norm, dropout)");
pub const PRESET_CUSTOM: T = T("自分で編集した構造", "Edited by you");
pub const MODEL_INPUT: T = T("入力（高さ, 幅, チャンネル）", "Input (height, width, channels)");
pub const MODEL_PARAMS: T = T("パラメータ", "parameters");
pub const MODEL_TOTAL: T = T("パラメータの合計", "Total parameters");
pub const MODEL_KERAS: T = T("同じモデルを Keras で書くと", "The same model in Keras");
pub const LAYER_ADD_KIND: T = T("追加する層の種類", "Kind of layer to add");
pub const LAYER_ADD: T = T("層を追加（出力層の前）", "Add layer (before the output)");
pub const LAYER_ACTIVATION: T = T("活性化関数", "Activation");
pub const LAYER_FILTERS: T = T("フィルタ数", "Filters");
pub const LAYER_KERNEL: T = T("カーネルの大きさ", "Kernel size");
pub const LAYER_STRIDE: T = T("ストライド", "Stride");
pub const LAYER_PADDING: T = T("パディング", "Padding");
pub const PADDING_SAME: T = T("same（ゼロパディング）", "same (zero padding)");
pub const PADDING_VALID: T = T("valid（なし）", "valid (none)");
pub const LAYER_POOL: T = T("大きさ", "Size");
pub const LAYER_UNITS: T = T("ユニット数", "Units");
pub const LAYER_DROPOUT: T = T("ドロップアウト率", "Dropout rate");
pub const ACT_IDENTITY: T = T("恒等関数", "identity");
pub const ACT_SIGMOID: T = T("シグモイド", "sigmoid");
pub const ACT_TANH: T = T("tanh", "tanh");
pub const ACT_RELU: T = T("ReLU", "ReLU");
pub const WEIGHT_DECAY: T = T("重み減衰（L2）", "Weight decay (L2)");
pub const OPT_SGD: T = T("SGD（確率的勾配降下法）", "SGD");
pub const OPT_MOMENTUM: T = T("SGD + モーメンタム 0.9", "SGD + momentum 0.9");
pub const OPT_NESTEROV: T = T("Nesterov（モーメンタム 0.9）", "Nesterov (momentum 0.9)");
pub const OPT_ADAM: T = T("Adam", "Adam");
pub const OPT_RMSPROP: T = T("RMSprop", "RMSprop");
pub const VALIDATION: T = T("検証方法", "Validation");
pub const VALIDATION_HOLDOUT: T = T("ホールドアウト法", "Hold-out");
pub const VALIDATION_KFOLD: T = T("K 分割交差検証", "K-fold cross-validation");
pub const FOLDS: T = T("分割数 K", "Folds K");
pub const FOLD: T = T("分割", "Fold");
pub const FOLDS_CAPTION: T = T(
    "K 分割交差検証：分割ごとの構築データと検証データの精度（最後の重み、拡張なしで測定）と平均 ± 標準偏差",
    "K-fold cross-validation: building and validation accuracy per fold (final weights, measured without augmentation), with mean ± sd",
);
pub const HOLDOUT_CAPTION: T = T(
    "ホールドアウト法：構築データと検証データの精度（最後の重み、拡張なしで測定）",
    "Hold-out: building and validation accuracy (final weights, measured without augmentation)",
);
pub const BUILD_ACC: T = T("構築データの精度", "Building accuracy");
pub const MEAN_SD: T = T("平均 ± 標準偏差", "Mean ± sd");
pub const PER_CLASS: T = T("クラスごとの適合率と再現率（検証データ）", "Precision and recall per class (validation data)");
pub const CLASS: T = T("クラス", "Class");
pub const PRECISION: T = T("適合率", "Precision");
pub const RECALL: T = T("再現率", "Recall");
pub const RUN_NOW: T = T("実行中", "running");
pub const HISTORY: T = T(
    "実験の記録：チェックした実験の曲線をグラフに重ねます。実験ごとに違う設定には色がついています。",
    "Run history: ticked runs are drawn on the charts. Settings that differ between runs are highlighted.",
);
pub const HISTORY_SHOW: T = T("グラフに表示", "Show on charts");
pub const HISTORY_MODEL: T = T("モデル", "Model");
pub const HISTORY_AUGMENT: T = T("データ拡張", "Augmentation");
pub const HISTORY_FINAL: T = T("最終の検証精度（K 分割は平均）", "Final validation accuracy (K-fold: mean)");
pub const HISTORY_STOPPED: T = T("中断", "stopped");
pub const PRESET_SMALL_CNN_SHORT: T = T("小さな CNN", "small CNN");
pub const PRESET_MLP_SHORT: T = T("講座の MLP", "course MLP");
pub const PRESET_DEEPER_SHORT: T = T("深めの CNN", "deeper CNN");
pub const PRESET_CUSTOM_SHORT: T = T("カスタム 層数", "custom, layers");
pub const HISTORY_BEST: T = T("最高の検証精度", "Best validation accuracy");
pub const CONFUSION_CLICK: T = T("（数字を押すと、その画像が見られます）", " (press a number to see those images)");
pub const TRUTH: T = T("正解", "truth");
pub const PREDICTED: T = T("予測", "predicted");
pub const IMAGES: T = T("枚", "images");
pub const FIRST: T = T("最初の", "the first");
pub const MISTAKES: T =
    T("自信を持って間違えた画像（確率の高い順、検証データ）", "The most confident mistakes (validation data, surest first)");
pub const INSPECT_HEADING: T = T("ネットワークの中を見る（検証データの画像）", "Inside the network (a validation image)");
pub const INSPECT_PREV: T = T("前の画像", "Previous image");
pub const INSPECT_NEXT: T = T("次の画像", "Next image");
pub const INSPECT_THIS: T = T("この画像をネットワークの中で見る", "Look at this image inside the network");
pub const PROBABILITIES: T = T("各クラスの確率（softmax の出力）", "Probability of each class (softmax output)");
pub const INSPECT_FILTERS: T = T(
    "1 層目の畳み込みフィルタ（学習で決まった重み。黒＝小さい、白＝大きい）",
    "First-layer convolution filters (weights found by training; black = low, white = high)",
);
pub const FILTER: T = T("フィルタ", "filter");
pub const LAYER: T = T("層", "Layer");
pub const INSPECT_MAPS: T =
    T("の特徴マップ（この画像にフィルタをかけた結果、活性化関数の後）", "feature maps (this image filtered, after the activation)");
pub const INSPECT_NO_CONV: T =
    T("このモデルには畳み込み層がないので、特徴マップはありません。", "This model has no convolution, so there are no feature maps.");
pub const RESUME: T = T("続きから再開", "Resume");
pub const SAVE_MODEL: T = T("モデルを保存（ファイル）", "Save model (file)");
pub const LOAD_MODEL: T = T("モデルを読み込む", "Load model");
pub const MODEL_LOADED: T = T("読み込んだモデル", "Loaded model");
pub const MODEL_TOO_BIG: T = T("モデルファイルが大きすぎます（256 MB まで）。", "The model file is too big (at most 256 MB).");
pub const LIVE_HEADING: T = T("ライブ予測（カメラ）", "Live prediction (camera)");
pub const LIVE_INTRO: T = T(
    "カメラの映像の中央を、モデルの入力の大きさに縮めて予測します。紙に太いペンで数字を書いて映してみましょう。",
    "The centre of the camera picture, shrunk to the model's input size, is predicted. Write a digit on paper with a thick pen and show it.",
);
pub const LIVE_START: T = T("カメラで予測を始める", "Start predicting from the camera");
pub const LIVE_INVERT: T = T(
    "白黒を反転（白い紙に黒い字 → 学習データと同じ黒地に白い字）",
    "Invert (black ink on white paper → white on black, like the training data)",
);
pub const LIVE_INPUT: T = T("モデルへの入力", "Model input");
pub const LIVE_RATE: T = T("1 秒あたりの予測数", "Predictions per second");
pub const AUG_MIXUP: T = T(
    "ミックスアップ α（0 = なし）：学習のミニバッチごとに、2 枚の画像とそのラベルを λ〜Beta(α, α) の割合で混ぜます（プレビューには出ません）",
    "Mixup α (0 = off): each training mini-batch blends pairs of images and their labels by λ ~ Beta(α, α) (not shown in the preview)",
);

// データ — the data lab.
pub const DS_HEADING: T = T("データ：自分のデータセットを作る", "Data: build your own dataset");
pub const DS_INTRO: T = T(
    "クラス（例：1円玉・5円玉…）を作り、カメラやファイルから画像を集めます。データはこのブラウザの中（IndexedDB）に保存され、写真はこの端末から出ません。zip で書き出し・取り込みができます。",
    "Make classes (e.g. 1-yen, 5-yen coins…) and collect images from the camera or files. Everything is kept in this browser (IndexedDB); photos never leave this device. Datasets export to and import from zip files.",
);
pub const DS_DATASET: T = T("データセット", "Dataset");
pub const DS_BUILTIN: T = T("内蔵の手書き数字（4,000 枚）", "Built-in handwritten digits (4,000)");
pub const DS_NEW_NAME: T = T("新しいデータセットの名前", "Name of a new dataset");
pub const DS_CREATE: T = T("作成", "Create");
pub const DS_RENAME: T = T("データセットの名前", "Dataset name");
pub const DS_DELETE: T = T("このデータセットを削除", "Delete this dataset");
pub const DS_CONFIRM_DELETE: T = T("このデータセットと画像をすべて削除します。よろしいですか？", "Delete this dataset and all its images?");
pub const DS_STORAGE: T = T("保存容量", "Storage");
pub const DS_CLASSES: T = T("クラス", "Classes");
pub const DS_NEW_CLASS: T = T("新しいクラスの名前", "Name of a new class");
pub const DS_ADD_CLASS: T = T("クラスを追加", "Add class");
pub const DS_CLASS_NAME: T = T("クラス名", "Class name");
pub const DS_CLASS_COLOR: T = T("色", "Colour");
pub const DS_DELETE_CLASS: T = T("クラスを削除", "Delete class");
pub const DS_CONFIRM_DELETE_CLASS: T =
    T("このクラスと、その画像をすべて削除します。よろしいですか？", "Delete this class and all its images?");
pub const DS_ADD_FILES: T = T("画像ファイルを追加", "Add image files");
pub const DS_IMAGES: T = T("枚", "images");
pub const DS_UNLABELLED: T = T("ラベルなし（テスト用）", "Unlabelled (test)");
pub const DS_IMPORT_ZIP: T = T("zip を取り込む", "Import a zip");
pub const DS_IMPORT_FOLDER: T = T("フォルダを取り込む", "Import a folder");
pub const DS_IMPORT_HELP: T = T(
    "クラスごとのフォルダ（例：coins/1円/a.jpg）、または学習画像＋ラベルファイル（CSV/TSV：ファイル名,ラベル）＋test フォルダ（ラベルなし）の形。ここにファイルやフォルダをドロップしても取り込めます。",
    "One folder per class (e.g. coins/1yen/a.jpg), or training images + a label file (CSV/TSV: file name, label) + a test folder (unlabelled). You can also drop files or folders here.",
);
pub const DS_SAMPLE: T = T("見本の写真を取り込む（レンガ・草・砂利 各 20 枚）", "Import the sample photos (brick, grass, gravel: 20 each)");
pub const DS_SAMPLE_NOTE: T = T(
    "自分の写真がまだないときの見本です。scikit-image に入っている CC0 の写真 3 枚から、スマホで撮ったような接写を切り出しました。学習画面の「比較実験：ゼロから・転移学習」で、ゼロから学習したネットワークと転移学習を比べてみましょう。",
    "A sample for when you have no photos of your own yet: phone-style close-ups cut from three CC0 photos that ship with scikit-image. Compare a network trained from scratch with transfer learning in the training lab's “Ablation: from scratch vs transfer learning”.",
);
pub const DS_SAMPLE_NAME: T = T("素材の写真（見本）", "Materials (sample)");
pub const DS_SAMPLE_THERE: T = T(
    "見本の写真はもう取り込んであります。そのデータセットを開きました（取り込み直すときは、削除してからもう一度）。",
    "The sample photos are already here: their dataset is open (to import them afresh, delete it first).",
);
pub const DS_SAMPLE_FETCHING: T = T("見本の写真を読み込んでいます…", "Fetching the sample photos…");
/// How long transfer learning's features took (every image version through the frozen backbone).
pub fn features_time(ms: f64) -> Text {
    Text::new(
        format!("特徴の計算（学習済みネットワーク）: {:.1} 秒", ms / 1000.0),
        format!("Features (the pretrained network): {:.1} s", ms / 1000.0),
    )
}
/// Fine-tuning: the validation points before the last were measured on a sample of `n` images
/// (the report says the same).
pub fn curve_sample(n: usize) -> Text {
    imagelab_core::session::report::curve_sample_note(n)
}
/// The sample photos could not be fetched (offline before their first use, a server error).
pub fn sample_failed(why: &crate::error::PageError) -> Text {
    let why = why.text();
    Text::new(
        format!("見本の写真を読み込めません（{}）。ネットにつながっているか確かめてください。", why.ja),
        format!("The sample photos could not be fetched ({}). Check that you are online.", why.en),
    )
}
pub const DS_DROP: T = T("ここにドロップ", "Drop here");
pub const DS_EXPORT: T = T("zip で書き出す", "Export as zip");
pub const DS_WORKING: T = T("処理中", "Working");
pub const DS_REPORT: T = T("取り込みの結果", "Import report");
pub const DS_SKIPPED: T = T("スキップしたファイル", "Skipped files");
pub const DS_SELECTED: T = T("選択中", "Selected");
pub const DS_DELETE_SELECTED: T = T("選択した画像を削除", "Delete the selected images");
pub const DS_MOVE_TO: T = T("選択した画像の移動先", "Move the selected images to");
pub const DS_MOVE: T = T("移動", "Move");
pub const DS_CLEAR_SELECTION: T = T("選択を解除", "Clear the selection");
pub const DS_MORE: T = T("さらに表示", "Show more");
pub const DS_SHOW_SPLIT: T = T(
    "分割を表示（このデータセットを学習実験室の今の設定で使ったとき）",
    "Show the split (as the training lab's current settings would make it for this dataset)",
);
pub const DS_PART_TRAIN: T = T("学", "T");
pub const DS_PART_VAL: T = T("検", "V");
pub const DS_SPLIT_LEGEND_HOLDOUT: T = T("学＝構築（学習）データ、検＝検証データ", "T = training data, V = validation data");
pub const DS_SPLIT_LEGEND_KFOLD: T = T("F1…FK＝その画像が検証に使われる分割", "F1…FK = the fold in which the image is validation data");
pub const DS_USE: T = T("このデータで学習する", "Train on this dataset");
pub const DS_USING: T = T("学習実験室で使用中", "In use in the training lab");
pub const DS_INPUT_SIZE: T = T("入力サイズ（ピクセル）", "Input size (pixels)");
pub const DS_INPUT_COLOR: T = T("色", "Colour");
pub const DS_GRAY: T = T("グレースケール", "Grayscale");
pub const DS_RGB: T = T("カラー（RGB）", "Colour (RGB)");
pub const DS_CAMERA: T = T("カメラで撮る", "Take photos with the camera");
pub const DS_CAMERA_STOP: T = T("カメラを止める", "Stop the camera");
pub const DS_FPS: T = T("1 秒あたりの枚数", "Frames per second");
pub const DS_HOLD: T = T("押している間、撮影", "Hold to record");
pub const DS_NEED_CLASS: T = T("まずクラスを作ってください。", "Make a class first.");
pub const DS_CAMERA_FAILED: T = T("カメラを使えません: ", "The camera cannot be used: ");
pub const DS_BAD_IMAGE: T = T("画像を読み込めません: ", "The image cannot be read: ");
pub const DS_CONVERTING: T = T("学習用に変換中", "Converting for training");
/// The promise, on every lab (the header): nothing the student loads is sent anywhere.
pub const PRIVACY_LINE: T = T(
    "🔒 写真はこの端末から出ません（通信はこのアプリ自身のファイルだけ）",
    "🔒 Your photos never leave this device (the app fetches only its own files)",
);
pub const DS_PRIVACY: T = T("写真はこの端末から出ません。", "Photos never leave this device.");
pub const DS_DATA_NAME: T = T("データ", "Data");
pub const DS_SHOOT: T = T("スマホのカメラで撮る", "Take a photo (phone camera)");
pub const SAVE_MODEL_BROWSER: T = T("モデルをブラウザに保存", "Save model in this browser");
pub const MODEL_SAVED_BROWSER: T = T("モデルをこのブラウザに保存しました。", "The model is saved in this browser.");
pub const SAVED_MODELS: T = T("このブラウザに保存したモデル", "Models saved in this browser");
pub const LOAD_SAVED: T = T("読み込む", "Load");
pub const DELETE_SAVED: T = T("削除", "Delete");

// 比較 — the comparison lab (classical machine learning).
pub const CMP_HEADING: T = T("比較：古典的な機械学習とくらべる", "Comparison: classical machine learning beside the network");
pub const CMP_INTRO: T = T(
    "画像を特徴量（画素・色ヒストグラム・HOG・エッジの向き）に変え、決定木・k 近傍法・ロジスティック回帰で分類します。分割は学習実験室と同じです。決定木の深さを変えると、構築データの正解率は上がり続けるのに検証データの正解率は頭打ちになる――過学習が見えます。",
    "Turn images into features (pixels, colour histogram, HOG, edge directions) and classify them with a decision tree, k-nearest neighbours or logistic regression, on the same split as the training lab. Sweep the tree's depth: building accuracy keeps rising while validation accuracy levels off — overfitting made visible.",
);
pub const CMP_FEATURE: T = T("特徴量", "Features");
pub const CMP_F_PIXELS: T = T("画素（縮小）", "Pixels (downsampled)");
pub const CMP_F_HIST: T = T("色ヒストグラム", "Colour histogram");
pub const CMP_F_EDGE: T = T("エッジ方向ヒストグラム", "Edge-direction histogram");
pub const CMP_SIZE: T = T("縮小後の一辺（ピクセル）", "Side after shrinking (pixels)");
pub const CMP_BINS: T = T("区間の数", "Bins");
pub const CMP_CELL: T = T("セルの一辺（ピクセル）", "Cell side (pixels)");
pub const CMP_MODEL: T = T("モデル", "Model");
pub const CMP_M_TREE: T = T("決定木", "Decision tree");
pub const CMP_M_KNN: T = T("k 近傍法", "k-nearest neighbours");
pub const CMP_M_LOGISTIC: T = T("ロジスティック回帰", "Logistic regression");
pub const CMP_DEPTH: T = T("max_depth（木の深さの上限、空欄＝制限なし）", "max_depth (empty = no limit)");
pub const CMP_LEAF: T = T("min_samples_leaf（葉の最小サンプル数）", "min_samples_leaf");
pub const CMP_K: T = T("k（近傍の数）", "k (neighbours)");
pub const CMP_C: T = T("C（正則化の弱さ）", "C (inverse regularisation)");
pub const CMP_FIT: T = T("学習して評価", "Fit and evaluate");
pub const CMP_SWEEP: T = T("深さを変えて比較（モデルの複雑さ）", "Sweep the depth (model complexity)");
pub const CMP_CLEAR: T = T("表を消す", "Clear the table");
pub const CMP_BUSY: T = T("計算中…", "Computing…");
pub const CMP_TABLE: T = T("くらべる：モデル・特徴量・正解率・時間", "Comparison: model, features, accuracy, time");
pub const CMP_TRAIN_ACC: T = T("構築データの正解率", "Building accuracy");
pub const CMP_VAL_ACC: T = T("検証データの正解率", "Validation accuracy");
pub const CMP_TIME: T = T("時間", "Time");
pub const CMP_FEATURE_VIEW: T = T("最初の画像の特徴量", "The first image's features");
pub const CMP_VALUES: T = T("個の値", "values");
pub const CMP_SWEEP_TITLE: T = T("モデルの複雑さと正解率", "Model complexity and accuracy");
pub const CMP_BEST: T = T("検証データで最も良い設定", "Best on validation data");
pub const CMP_TREE: T = T("決定木の上の 3 段", "The top three levels of the tree");
pub const CMP_TREE_DEPTH: T = T("深さ", "depth");
pub const CMP_TREE_LEAVES: T = T("葉の数", "leaves");
pub const CMP_PIXEL: T = T("画素", "pixel");
pub const CMP_CLASS: T = T("答え", "answer");
pub const CMP_NN: T = T("ニューラルネットワーク", "Neural network");
pub const CMP_IMAGE_ITSELF: T = T("画像そのもの", "the image itself");
pub const CMP_M_FOREST: T = T("ランダムフォレスト", "Random forest");
pub const CMP_TREES: T = T("木の本数", "Trees");

// 共有 (share lab)
pub const SH_INTRO: T = T(
    "このリンクを開くと、データ・ネットワーク・最適化手法・学習率・エポック数・分割・シード・データ拡張・言語が同じ実験が始まります。写真やモデルはリンクに入りません（ファイルで渡してください）。",
    "Opening this link starts the same experiment: data, network, optimizer, learning rate, epochs, split, seed, augmentation and language. Photos and models are not in the link (pass them as files).",
);
pub const SH_LINK_HEADING: T = T("実験のリンク", "Experiment link");
pub const SH_MODEL_FILE: T = T("一緒に渡すモデルファイルの名前（任意）", "Name of a model file you pass along (optional)");
pub const SH_URL: T = T("リンク", "Link");
pub const SH_COPY: T = T("リンクをコピー", "Copy link");
pub const SH_COPIED: T = T("コピーしました", "Copied");
pub const SH_QR: T = T("実験のリンクの QR コード", "QR code of the experiment link");
pub const SH_QR_CAPTION: T = T("スマートフォンのカメラで読み取れます", "Scan it with a phone's camera");
pub const SH_QR_TOO_LONG: T = T(
    "リンクが長すぎて QR コードにできません。リンクをコピーして渡してください。",
    "The link is too long for a QR code; copy the link instead.",
);
pub const SH_DATA: T = T("データ", "Data");
pub const SH_NETWORK: T = T("ネットワーク", "Network");
pub const SH_LAYERS: T = T("層 + 出力層", "layers + output");
pub const SH_TRAINING: T = T("学習", "Training");
pub const SH_VALIDATION: T = T("検証", "Validation");
pub const SH_AUGMENT: T = T("データ拡張（拡張画面 / 学習で使用）の手順数", "Augmentation steps (augmentation lab / used in training)");
pub const SH_SCORE_HEADING: T = T("コンペの採点（先生用）", "Scoring a competition (for the teacher)");
pub const SH_SCORE_INTRO: T = T(
    "正解ファイル（ファイル名, ラベル）を選び、生徒の提出ファイルをまとめて選ぶと、正解率の順位表ができます。CSV・TSV、見出し行の有無、Shift_JIS も読めます。ファイルはこの端末から出ません。",
    "Choose the true labels (file name, label), then all the students' submission files: you get a table ranked by accuracy. CSV or TSV, with or without a header, Shift_JIS too. The files never leave this device.",
);
pub const SH_TRUTH: T = T("正解ファイル", "True labels");
pub const SH_SUBMISSIONS: T = T("提出ファイル（複数選べます）", "Submission files (choose several)");
pub const SH_TRUTH_ROWS: T = T("枚の正解", "labelled files");
pub const SH_RANKING: T = T("順位表", "Ranking");
pub const SH_RANK: T = T("順位", "Rank");
pub const SH_SUBMISSION: T = T("提出", "Submission");
pub const SH_ACCURACY: T = T("正解率", "Accuracy");
pub const SH_CORRECT: T = T("正解数", "Correct");
pub const SH_MISSING: T = T("予測なし", "Missing");
pub const SH_UNKNOWN: T = T("余分な行", "Extra rows");

// Competition submission (training lab)
pub const SUBMIT_HEADING: T = T("コンペの提出ファイルを作る", "Make a competition submission");
pub const SUBMIT_INTRO: T = T(
    "ラベルのないテスト画像（ファイルかフォルダ）を選ぶと、いまのモデルで 1 枚ずつ予測し、「ファイル名, ラベル」の提出ファイルをダウンロードします。",
    "Choose the unlabelled test images (files or a folder): the current model predicts each one and a “file name, label” submission file is downloaded.",
);
pub const SUBMIT_FORMAT: T = T("形式", "Format");
pub const SUBMIT_HEADER: T = T("見出し行（file,label）を付ける", "Header line (file,label)");
pub const SUBMIT_FILES: T = T("テスト画像を選ぶ", "Choose test images");
pub const SUBMIT_FOLDER: T = T("テスト画像のフォルダを選ぶ", "Choose a test folder");
pub const SUBMIT_NEEDS_MODEL: T = T("先に学習するか、モデルを読み込んでください。", "Train or load a model first.");
pub const SUBMIT_WORKING: T = T("予測しています…", "Predicting…");
pub const SUBMIT_NONE: T = T("読める画像がありませんでした。", "No readable image was chosen.");
pub const SUBMIT_SKIPPED: T = T("読めずに飛ばした画像: ", "Skipped (not readable): ");
pub const SUBMIT_DONE: T = T("枚の予測を提出ファイルに書き出しました。", "predictions written to the submission file.");

// Report
pub const REPORT: T = T("レポートを書き出す（HTML）", "Export a report (HTML)");
pub const REPORT_TITLE: T = T("実験レポート", "Experiment report");
pub const SUBMIT_TOO_MANY: T =
    T("一度に予測できる画像の数を超えています。この入力サイズでは最大 ", "Too many images for one submission; at this input size at most ");

// しくみ (concepts lab)
pub const CON_INTRO: T = T(
    "1 日目の考え方を自分で動かしてみましょう。ニューロン、活性化関数、そして勾配降下法で最適化手法が損失の谷を下る様子です。",
    "Move the first day's ideas yourself: a neuron, the activation functions, and optimizers descending a loss surface by gradient descent.",
);
pub const CON_NEURON: T = T("ニューロン（入力 × 重み + バイアス → 活性化関数）", "A neuron (inputs × weights + bias → activation)");
pub const CON_BIAS: T = T("バイアス b（しきい値）", "bias b (threshold)");
pub const CON_ACTIVATION: T = T("活性化関数", "Activation");
pub const CON_ACTIVATIONS: T = T("活性化関数と、その傾き（微分）", "Activation functions and their slopes (derivatives)");
pub const CON_ACT_NOTE: T = T(
    "実線が f(x)、破線が f′(x)。誤差逆伝播では層ごとに f′ を掛けます。シグモイドや tanh は x が大きいと f′ がほぼ 0 になり、深いネットワークでは勾配が消えてしまいます。ReLU は x > 0 で f′ = 1 なので勾配が減らず、深いネットワークも速く学習できます。",
    "Solid: f(x); dashed: f′(x). Back-propagation multiplies by f′ at every layer. Sigmoid and tanh have f′ near 0 for large |x|, so in deep networks the gradient vanishes; ReLU has f′ = 1 for x > 0, so the gradient survives and deep networks train faster.",
);
pub const CON_SOFTMAX: T = T("ソフトマックス関数: スコアを確率に", "Softmax: scores into probabilities");
pub const CON_SCORE: T = T("スコア", "score");
pub const CON_CLASS: T = T("クラス", "class");
pub const CON_GD: T = T("勾配降下法: 損失の地形を下る", "Gradient descent: walking down a loss surface");
pub const CON_GD_NOTE: T = T(
    "暗いほど損失が小さい地形です。同じ出発点から最適化手法が競争します。学習率が大きすぎると発散し、小さすぎるとほとんど進みません。「局所解と大域解」では、ただの SGD は近くのくぼみ（局所解）で止まり、モーメンタムは勢いで越えていきます。",
    "Darker is lower loss. The optimizers race from the same start. Too large a learning rate diverges, too small crawls. On “local and global minimum”, plain SGD stops in the nearby dip (a local minimum) while momentum rolls past it.",
);
pub const CON_SURFACE: T = T("損失の地形", "Loss surface");
pub const CON_STEPS: T = T("ステップ数", "Steps");
pub const CON_START_X: T = T("出発点 x", "Start x");
pub const CON_START_Y: T = T("出発点 y", "Start y");
pub const CON_PATHS: T = T("各最適化手法が下った道すじ", "The path of each optimizer");
pub const CON_END: T = T("到着点", "Where it ended");
pub const CON_END_LOSS: T = T("損失", "Loss");
pub const CON_DIVERGED: T = T("発散しました", "diverged");
pub const CON_TRY: T = T("この学習率を学習画面で試す", "Try this learning rate in the training lab");
pub const CON_BACKPROP: T =
    T("順伝播と逆伝播: 2-3-2 のネットワークで 1 ステップずつ", "Forward and backward propagation, step by step on a 2-3-2 network");
pub const CON_BACKPROP_NOTE: T = T(
    "入力 2 つ、隠れ層 3 ユニット、出力 2 つ。「1 ステップ進める」で順伝播（予測と損失）、逆伝播（すべての重みの勾配 ∂L/∂w、burn の自動微分で計算）、更新 w ← w − 学習率 × ∂L/∂w を計算し、すべての数を表示します。押すたびに同じ例で学習し、損失が下がっていきます。",
    "Two inputs, three hidden units, two outputs. “One step” computes the forward pass (prediction and loss), the backward pass (the gradient ∂L/∂w of every weight, by burn's automatic differentiation) and the update w ← w − learning rate × ∂L/∂w, and shows every number. Each press learns from the same example, and the loss goes down.",
);
pub const CON_TARGET: T = T("正解", "Right answer");
pub const CON_LOSS: T = T("損失関数 L", "Loss L");
pub const CON_STEP: T = T("1 ステップ進める", "One step");
pub const CON_RESET: T = T("重みを初めに戻す", "Reset the weights");
pub const CON_STEPS_DONE: T = T("ステップ", "Steps");
pub const CON_FORWARD: T = T("順伝播", "Forward pass");
pub const CON_BACKWARD: T = T("逆伝播と更新（SGD）", "Backward pass and update (SGD)");
pub const CON_WEIGHT: T = T("重み（前）", "Weight (before)");
pub const CON_UPDATED: T = T("更新後", "After the update");
pub const CON_MINIBATCH: T = T("ミニバッチ・全データ・1 枚ずつの勾配降下法", "Mini-batch, full-batch and single-sample gradient descent");
pub const CON_MINIBATCH_NOTE: T = T(
    "内蔵の手書き数字の 0 と 1（各 100 枚、7×7 に縮小）をロジスティック回帰で見分けます。ミニバッチの大きさが 1（1 枚ずつ）、16、200（全データ）の 3 通りを同じ学習率・同じエポック数で比べます。縦軸は全データでの損失。1 枚ずつだと 1 エポックに 200 回更新しますが損失はギザギザ、全データだと 1 エポックに 1 回だけでなめらかです。横軸を「ステップ」にすると違いが分かります。",
    "Logistic regression tells the built-in digits 0 and 1 apart (100 of each, shrunk to 7×7). Mini-batches of 1 (one image at a time), 16 and 200 (all the data) are compared at the same learning rate and epochs. Up: the loss on all the data. One at a time makes 200 updates per epoch but the loss is jagged; the full batch makes one smooth update per epoch. Switch the axis to steps to see the difference.",
);
pub const CON_AXIS: T = T("横軸", "Across");
pub const CON_AXIS_EPOCHS: T = T("エポック", "epochs");
pub const CON_AXIS_STEPS: T = T("ステップ（更新の回数）", "steps (updates)");
pub const CON_BATCH: T = T("ミニバッチの大きさ", "Mini-batch size");
pub const CON_MB_WAIT: T = T("手書き数字を読み込んでいます…", "Loading the digits…");
pub const CON_TRY_ACTIVATION: T =
    T("この活性化関数を学習画面のネットワークの全層で試す", "Try this activation on every layer of the training lab's network");
pub const CON_TRY_BATCH: T =
    T("ミニバッチ 16 とこの学習率を学習画面で試す", "Try mini-batch 16 and this learning rate in the training lab");
pub const CON_COMPUTING: T = T("計算しています…", "Computing…");
pub const CON_MB_NO_DIGITS: T = T(
    "内蔵の手書き数字を読み込めなかったため、この比較は表示できません。",
    "The built-in digits could not be loaded, so this comparison cannot be shown.",
);

// The start page and the phone classroom flow.
pub const LAB_START: T = T("はじめに", "Start");
pub const START_HEADING: T = T("きょうの流れ", "Today's lesson");
pub const START_INTRO: T = T(
    "自分の写真で画像を分類する AI を作ります。上から順に進めましょう。",
    "Build an AI that sorts your own photos. Go through the steps in order.",
);
pub const START_RESUME: T = T("続きから", "Continue");
pub const START_PATH_LABEL: T = T("学習の流れ", "Lesson path");
pub const START_STEP_IMAGE: T = T("画像は数字の行列。フィルタを試す", "An image is a matrix of numbers: try filters");
pub const START_STEP_DATA: T = T("クラスを作り、写真を集める", "Make classes and collect photos");
pub const START_STEP_TRAIN: T = T("モデルを学習させ、精度を確かめる", "Train a model and check its accuracy");
pub const START_STEP_SHARE: T = T("実験をリンクで友だちに送る", "Send your experiment as a link");
pub const START_MORE: T = T("もっと知りたいときは:", "To dig deeper:");
pub const HEAVY_PROGRESS_LABEL: T = T("学習用ファイルの読み込み", "Loading the training files");
pub const HEAVY_FAILED: T = T(
    "学習用のプログラムを読み込めませんでした。ネットワークを確かめて再読み込みしてください",
    "The training program could not be loaded; check the network and reload",
);
pub const TRAIN_DATA_PICK: T = T("学習に使うデータ", "Data to train on");
pub const TRAIN_DATA_GO: T = T("データを作る・編集する", "Make or edit datasets");
pub const PROPOSAL_NOTE: T = T("このデータに合わせた設定", "Settings for this data");
pub const PROPOSAL_APPLY: T = T("この設定に戻す", "Use these settings");
pub const DATA_IMAGES: T = T("枚", "images");
pub const DATA_CLASSES: T = T("クラス", "classes");
pub const TRAIN_INTRO_SUMMARY: T = T("この実験室でできること", "What this lab does");
pub const TECH_DETAIL: T = T("技術的な詳細", "Technical detail");
pub const LIVE_INTRO_OWN: T = T(
    "カメラの映像の中央を、モデルの入力の大きさに縮めて予測します。学習したクラスのものを画面の中央に映してみましょう: ",
    "The centre of the camera picture, shrunk to the model's input size, is predicted. Show one of the classes it learned in the middle of the picture: ",
);
pub const JUMP_LABEL: T = T("このページの中を移動", "Jump within this page");
pub const JUMP_SETTINGS: T = T("設定", "Settings");
pub const JUMP_RESULTS: T = T("結果", "Results");
pub const JUMP_LIVE: T = T("ライブ予測", "Live prediction");
pub const ROC_HEADING: T = T("ROC曲線と AUC（検証データ）", "ROC curve and AUC (validation data)");
pub const ROC_MEAN_OF_FOLDS: T = T("分割の平均 ± 標準偏差", "mean ± sd of the folds");
pub const ROC_FOLD_AUC: T = T("分割ごとの AUC", "AUC of each fold");
pub const ROC_ONE_CLASS: T =
    T("検証データに1つのクラスしかない分割では AUC を計算できません", "A fold whose validation part holds one class only has no AUC");
pub const ROC_POSITIVE: T = T("陽性のクラス", "Positive class");
pub const ROC_NOTE: T = T(
    "モデルが出す陽性クラスの確率に対するしきい値を高い方から下げていくと、偽陽性率（陰性を陽性と誤る割合）と真陽性率（陽性を見つける割合）がともに増えます。その道のりが ROC 曲線、曲線の下の面積が AUC です。AUC 1 は完全に分けられた状態、0.5 は偶然と同じ（破線）です。",
    "Lower a threshold on the model's probability of the positive class from high to low: the false-positive rate (negatives called positive) and the true-positive rate (positives found) both grow. Their path is the ROC curve; the area under it is the AUC. AUC 1: perfectly separated; 0.5: no better than chance (dashed).",
);
pub const CMP_AUC: T = T("AUC（検証）", "AUC (validation)");

// The course's worked convolution (issue #20): editable input, the course's example, padding.
pub const EXPLAIN_SIZE: T = T("入力の大きさ", "Input size");
pub const EXPLAIN_CELL: T = T("入力の値", "Input value");
pub const EXPLAIN_OWN: T = T("入力した値（授業の例・編集した値）", "Your values (the course's example or your edits)");
pub const EXPLAIN_COURSE: T = T("授業の例題を読み込む", "Load the course's example");
pub const EXPLAIN_PAD: T = T(
    "ゼロパディングなどで外側を埋める（出力が入力と同じ大きさ）",
    "Pad the border, e.g. zero padding (the output keeps the input's size)",
);
pub const EXPLAIN_PAD_ON: T = T(
    "パディングあり: カーネルはすべての画素に中心を置き、はみ出した部分（灰色）は「画像の端」で選んだ方法で埋めます（ゼロパディングなら 0）。",
    "With padding: the kernel's centre visits every pixel, and the cells hanging over the edge (grey) are filled by the border mode (0 for zero padding).",
);
pub const EXPLAIN_PAD_OFF: T = T(
    "パディングなし: 授業の手計算と同じく、カーネルは画像の内側だけを動きます。最初は左上の 3×3 の窓です。出力は入力より小さくなります。",
    "Without padding: as in the course's hand calculation, the kernel stays inside the image, starting on the top-left 3×3 window. The output is smaller than the input.",
);
pub const EXPLAIN_PADDED_STEP: T = T(
    "この位置ではカーネルが画像の外にはみ出しています。外側の画素は埋めた値（ゼロパディングなら 0）で計算します。",
    "Here the kernel hangs over the edge: the pixels outside count with their padded value (0 for zero padding).",
);
pub const EXPLAIN_TOO_SMALL: T = T(
    "カーネルが入力より大きいので、パディングなしでは置ける位置がありません。入力を大きくするか、パディングをオンにしてください。",
    "The kernel is larger than the input, so without padding it fits nowhere. Make the input larger or turn padding on.",
);

// "An image is worth 16×16 words": ViT's patches (issue #20).
pub const PATCH_HEADING: T = T("画像は 16×16 の単語：ViT のパッチ", "An image is worth 16×16 words: ViT's patches");
pub const PATCH_INTRO: T = T(
    "Vision Transformer（ViT）は、画像を P×P の小さなパッチに切り、左上から右へ、上の行から下の行へ（読む順に）並べて、単語の列のように読みます。1 枚のパッチは、上の行から順に各画素の R, G, B を 1 列に並べた P×P×3 個の数です。",
    "A Vision Transformer (ViT) cuts the image into small P×P patches and reads them like a sequence of words, in reading order: left to right, top row first. One patch is P×P×3 numbers: each pixel's R, G, B in turn, pixel row by pixel row.",
);
pub const PATCH_OPEN: T = T("写真をパッチに切ってみる", "Cut the photo into patches");
pub const PATCH_CLOSE: T = T("パッチの表示を閉じる", "Hide the patches");
pub const PATCH_SIZE: T = T("パッチの大きさ P", "Patch size P");
pub const PATCH_VIT: T = T("ViT と同じく、先に 224×224 に縮小する", "Resize to 224×224 first, as ViT does");
pub const PATCH_COUNT_MID: T = T("枚のパッチ、各", "patches of");
pub const PATCH_COUNT_END: T = T("個の値", "values");
pub const PATCH_GRID: T = T("並び（横 × 縦）", "Grid (across × down)");
pub const PATCH_ONE: T = T("パッチ 1 枚", "one patch");
pub const PATCH_RESIZED: T = T("写真を ViT の入力の大きさに縮小しました:", "The photo was resized to ViT's input size:");
pub const PATCH_EXACT: T = T("大きさが P で割り切れるので、捨てる画素はありません。", "The size divides by P: no pixel is dropped.");
pub const PATCH_DROPPED: T = T(
    "P で割り切れない端（暗くした部分）はパッチにならないので捨てます（ViT は先に 224×224 に縮小します）。捨てた画素:",
    "The edge that does not fill a whole patch (darkened) is dropped (ViT resizes to 224×224 first). Dropped:",
);
pub const PATCH_RIGHT: T = T("右", "right");
pub const PATCH_BOTTOM: T = T("下", "bottom");
pub const PATCH_VIT_REF: T = T("ViT（P = 16）では", "ViT (P = 16):");
pub const PATCH_GRID_LABEL: T =
    T("パッチの区切りと番号（読む順）をつけた写真", "The photo with the patch grid and the patches' numbers (reading order)");
pub const PATCH_NO_NUMBERS: T =
    T("パッチが小さいので番号は省略（下の列には番号があります）", "the patches are too small for numbers here (the strip below has them)");
pub const PATCH_FLAT: T = T("パッチ 1 を 1 列に並べると（画素ごとに R, G, B）", "Patch 1 as one row of numbers (R, G, B per pixel)");
pub const PATCH_CAP: T = T("軽くするため、並べるのは最初のパッチだけです", "To keep the page light, only the first patches are laid out");
pub const PATCH_STRIP: T = T("ViT が読む順に並べたパッチ", "The patches in the order ViT reads them");
pub const PATCH_ONE_LABEL: T = T("パッチ", "Patch");

/// An optimizer's name (by its slug) in the menus, the history, the report and the share lab.
pub fn optimizer_name(slug: &str) -> T {
    match slug {
        "sgd" => OPT_SGD,
        "momentum" => OPT_MOMENTUM,
        "nesterov" => OPT_NESTEROV,
        "rmsprop" => OPT_RMSPROP,
        _ => OPT_ADAM,
    }
}

// Transfer learning (転移学習, issue #19).
pub const FAMILY: T = T("モデルの種類", "Kind of model");
pub const FAMILY_SCRATCH: T = T("ゼロから学習（層を自分で組む）", "From scratch (build the layers yourself)");
pub const FAMILY_TRANSFER: T = T("転移学習（EfficientNet-Lite0）", "Transfer learning (EfficientNet-Lite0)");
pub const TRANSFER_SIZE: T = T("バックボーンの入力サイズ", "Backbone input size");
pub const TRANSFER_NOTE: T = T(
    "ImageNet の 128 万枚で学習済みのネットワーク（約 465 万パラメータ、9.6 MB）を固定したまま使い、画像ごとに 1,280 個の特徴を一度だけ計算します。学習するのは、その特徴から答えを出す新しい部分（ヘッド）だけです。データ拡張をオンにすると、画像ごとに拡張した版の特徴も計算します。ネットワークは初めて使うときにこのサイトから取得し、そのあとはオフラインでも使えます。計算は、GPU（WebGPU）が使えればその上で、なければ CPU で行います。",
    "A network already trained on ImageNet's 1.28 million photos (about 4.65 million parameters, 9.6 MB) is kept fixed: each image goes through it once and gives 1,280 features. Only a new head that answers from those features is trained. With augmentation on, augmented versions of each image get features too. The network is fetched from this site the first time it is used, and works offline after that. It runs on the GPU through WebGPU where there is one, else on the CPU.",
);
pub const TRANSFER_HEAD_NOTE: T = T(
    "下の「構造」は、バックボーンの後ろにつく新しいヘッドです（入力は 1,280 個の特徴）。",
    "The layers below are the new head after the backbone (its input is the 1,280 features).",
);
pub const PREPARING_DOWNLOAD: T = T("事前学習済みネットワークを取得中", "Fetching the pretrained network");
pub const PREPARING_FEATURES: T = T("画像の特徴を計算中", "Computing the images' features");
pub const IMAGENET_HEADING: T = T("学習済みネットワークには何に見える？", "What does the pretrained network see?");
pub const IMAGENET_NOTE: T = T(
    "ImageNet の 1,000 クラスで学習済みの EfficientNet-Lite0 に、この写真（中央の正方形を 224×224 に縮小）を見せて、確率の高い 5 クラスを出します。クラス名は ImageNet のもの（英語）です。初回はネットワーク（9.6 MB）をこのサイトから取得します。",
    "Shows this photo (its middle square at 224×224) to EfficientNet-Lite0, trained on ImageNet's 1,000 classes, and lists the five most probable. The class names are ImageNet's. The network (9.6 MB) is fetched from this site the first time.",
);
pub const IMAGENET_ASK: T = T("学習済みネットワークに聞く", "Ask the pretrained network");
pub const IMAGENET_BUSY: T = T("計算中…", "Working…");
pub const BACKBONE_LAYERS: T = T("バックボーンの層", "The backbone's layers");
pub const BACKBONE_FROZEN_PARAMS: T = T("個の固定パラメータ", "frozen parameters");
pub const FROZEN: T = T("固定", "frozen");
pub const UNFROZEN: T = T("微調整", "fine-tuned");
pub const UNFREEZE: T = T("ファインチューニング（最後のブロックも学習）", "Fine-tuning (train the last blocks too)");
pub const UNFREEZE_NONE: T = T("しない（バックボーンは固定）", "None (the backbone stays frozen)");
pub const UNFROZEN_RATE: T = T("微調整するブロックの学習率", "Learning rate of the fine-tuned blocks");
pub const UNFREEZE_NOTE: T = T(
    "最後のブロックを ImageNet の重みから少しずつ動かします。学習率はヘッドより小さく、BatchNorm は ImageNet の統計のまま（推論モード）です。画像ごとに保存するのはそのブロックの入力なので、準備の時間は固定のときと同じで、学習は少し遅くなります。",
    "The last blocks move slowly away from their ImageNet weights: at a smaller learning rate than the head, with batch norm kept on ImageNet's statistics (inference mode). What is kept per image is those blocks' input, so the preparation takes as long as when frozen; training is a little slower.",
);

// 表データ (the table lab, src/labs/table.rs).
pub const TABLE_TITLE: T = T("表データ（CSV）でモデルを作る", "Models on a table (CSV)");
pub const TABLE_INTRO: T = T(
    "講座の 1 日目の例を、そのまま試せます。表（CSV・TSV、Excel の Shift_JIS も可）を読み込み、予測する列（目的変数）と、回帰か分類かを選びます。文字の列は pd.get_dummies のように 0/1 の列に分け、入力の列はすべて（0/1 の列も）構築データの平均と標準偏差で標準化します。ホールドアウト法か K 分割交差検証で、回帰は RMSE、分類は正解率と AUC（2 クラス）で評価します。",
    "Day 1 of the course, as its slides show it. Load a table (CSV or TSV; Excel's Shift_JIS too), choose the column to predict (the target) and whether it is regression or classification. Text columns become 0/1 columns as pd.get_dummies makes them; every input column (the 0/1 ones too) is standardised with the training part's mean and standard deviation. Judge by hold-out or K-fold cross-validation: RMSE for regression, accuracy and AUC (two classes) for classification.",
);
pub const TABLE_SOURCE: T = T("表", "Table");
pub const TABLE_BUILTIN: T = T("組み込みの表", "Built-in table");
pub const TABLE_CHOOSE_BUILTIN: T = T("— 選ぶ —", "— choose —");
pub const TABLE_OWN_FILE: T = T("自分の CSV / TSV を開く", "Open your own CSV / TSV");
pub const TABLE_TARGET: T = T("目的変数（予測する列）", "Target (the column to predict)");
pub const TABLE_TASK: T = T("タスク", "Task");
pub const TABLE_REGRESSION: T = T("回帰（数を予測）", "regression (predict a number)");
pub const TABLE_CLASSIFICATION: T = T("分類（クラスを予測）", "classification (predict a class)");
pub const TABLE_INPUTS: T = T("入力に使う列", "Input columns");
pub const TABLE_MODEL: T = T("モデル", "Model");
pub const TABLE_VALIDATION: T = T("評価の方法", "Validation");
pub const TABLE_SEED: T = T("乱数シード", "Random seed");
pub const TABLE_RUN: T = T("学習して評価", "Fit and evaluate");
pub const TABLE_STOP: T = T("停止", "Stop");
pub const TABLE_COURSE_NET: T = T(
    "講座のネットワーク（Dense 10 tanh → Dense 10 relu、SGD 0.1・Nesterov 0.9、128、100 エポック）",
    "The course's network (Dense 10 tanh → Dense 10 relu, SGD 0.1 with Nesterov 0.9, 128, 100 epochs)",
);
pub const TABLE_ADD_LAYER: T = T("層を追加", "Add a layer");
pub const TABLE_REMOVE_LAYER: T = T("この層を削除", "Remove this layer");
pub const TABLE_UNITS: T = T("ユニット数", "Units");
pub const TABLE_ACTIVATION: T = T("活性化関数", "Activation");
pub const TABLE_LR: T = T("学習率", "Learning rate");
pub const TABLE_BATCH: T = T("ミニバッチ", "Mini-batch");
pub const TABLE_EPOCHS: T = T("エポック数", "Epochs");
pub const TABLE_OPTIMIZER: T = T("最適化手法", "Optimizer");
pub const TABLE_HISTORY: T = T("これまでの結果", "Results so far");
pub const TABLE_CODE: T = T("同じことをする Python（pandas・scikit-learn・Keras）", "The same in Python (pandas, scikit-learn, Keras)");
pub const TABLE_CODE_NOTE: T = T(
    "行の分け方（乱数）が違うので、数値は少し変わります。",
    "The rows are split by another random generator, so the numbers differ a little.",
);
pub const TABLE_PREVIEW: T = T("最初の 10 行", "The first 10 rows");
pub const TABLE_WORKER_FAILED: T = T("計算用のワーカーが止まりました: ", "The computing worker stopped: ");
pub const TABLE_BREAST_CANCER_CLASSIFICATION_2: T =
    T("乳がん（分類・2 クラス：AUC の例）", "breast cancer (classification, 2 classes: the AUC example)");
pub const TABLE_DIABETES_PROGRESSION_REGRESSION_THE: T =
    T("糖尿病の進行（回帰：RMSE の例）", "diabetes progression (regression: the RMSE example)");
pub const TABLE_IRIS_CLASSIFICATION_3_CLASSES: T = T("アヤメ（分類・3 クラス）", "iris (classification, 3 classes)");
pub const TABLE_WINE_CLASSIFICATION_3_CLASSES: T = T("ワイン（分類・3 クラス）", "wine (classification, 3 classes)");
pub const TABLE_LINEAR_REGRESSION: T = T("線形回帰", "linear regression");
pub const TABLE_LOGISTIC_REGRESSION: T = T("ロジスティック回帰", "logistic regression");
pub const TABLE_DECISION_TREE: T = T("決定木", "decision tree");
pub const TABLE_NEURAL_NETWORK_KERAS_S: T = T("ニューラルネットワーク（Keras の Dense）", "neural network (Keras's Dense)");
pub const TABLE_NUMBER: T = T("数", "number");
pub const TABLE_TEXT: T = T("文字", "text");
pub const TABLE_NUMBER_TEXT_INSIDE: T = T("数？（文字が混じる）", "number? (text inside)");
pub const TABLE_COEFFICIENTS_FIRST_FOLD_IN: T = T("係数（1 つ目の分割、元の単位）", "Coefficients (first fold, in the inputs' own units)");
pub const TABLE_INTERCEPT: T = T("切片", "intercept");
pub const TABLE_VALIDATION_2: T = T("検証データ", "validation");
pub const TABLE_TRAINING: T = T("構築データ", "training");
pub const TABLE_THE_TRAINING_ACCURACY_IS: T = T(
    "構築データの正解率が検証データよりずっと高い：過学習です。層やエポックを減らす、木を浅くする（max_depth）、C を小さくする、を試しましょう。",
    "The training accuracy is far above the validation accuracy: overfitting. Try fewer layers or epochs, a shallower tree (max_depth) or a smaller C.",
);
pub const TABLE_VALIDATION_SCORE: T = T("検証データのスコア", "validation score");
pub const TABLE_ABOUT_THIS_LAB: T = T("この実験について", "About this lab");
pub const TABLE_OUTPUT_DENSE_1_FOR: T = T(
    "出力層: 回帰は Dense(1)、2 クラスは Dense(1, sigmoid)、3 クラス以上は softmax",
    "Output: Dense(1) for regression, Dense(1, sigmoid) for two classes, softmax for more",
);
pub const TABLE_SOURCE_BREAST_CANCER: T = T(
    "出典: Breast Cancer Wisconsin (Diagnostic)、UCI 機械学習リポジトリ（W.H. Wolberg、W.N. Street、O.L. Mangasarian、1995）。scikit-learn 同梱のもの",
    "Source: Breast Cancer Wisconsin (Diagnostic), UCI Machine Learning Repository (W.H. Wolberg, W.N. Street, O.L. Mangasarian, 1995), as shipped with scikit-learn",
);
pub const TABLE_SOURCE_DIABETES: T = T(
    "出典: B. Efron、T. Hastie、I. Johnstone、R. Tibshirani「Least Angle Regression」(2004)。scikit-learn 同梱のもの（元の単位）",
    "Source: B. Efron, T. Hastie, I. Johnstone, R. Tibshirani, “Least Angle Regression” (2004), as shipped with scikit-learn (raw units)",
);
pub const TABLE_SOURCE_IRIS: T = T(
    "出典: R.A. Fisher「The use of multiple measurements in taxonomic problems」(1936)。scikit-learn 同梱のもの",
    "Source: R.A. Fisher, “The use of multiple measurements in taxonomic problems” (1936), as shipped with scikit-learn",
);
pub const TABLE_SOURCE_WINE: T = T(
    "出典: Wine recognition data、UCI 機械学習リポジトリ（M. Forina ほか、PARVUS）。scikit-learn 同梱のもの",
    "Source: Wine recognition data, UCI Machine Learning Repository (M. Forina et al., PARVUS), as shipped with scikit-learn",
);

// Texts with names or numbers in them: functions, so that their words stay in this file too.

/// The training lab's line while a dataset is converted for training (`progress`: done, total).
pub fn preparing(name: &str, progress: Option<(usize, usize)>) -> Text {
    match progress {
        Some((done, total)) => Text::new(
            format!("「{name}」を学習用に準備中… {done} / {total} 枚"),
            format!("Preparing “{name}” for training… {done} / {total} images"),
        ),
        None => Text::new(format!("「{name}」を学習用に準備中…"), format!("Preparing “{name}” for training…")),
    }
}

/// The heavy files' download line (`mb`: loaded and total megabytes, once the total is known).
pub fn heavy_loading(mb: Option<(f64, f64)>) -> Text {
    match mb {
        Some((loaded, total)) => Text::new(
            format!("学習用のプログラムとデータを読み込み中… {loaded:.1} / {total:.1} MB（初回だけ。このあとはオフラインでも使えます）"),
            format!("Loading the training program and data… {loaded:.1} / {total:.1} MB (once; afterwards it also works offline)"),
        ),
        None => Text::new("学習用のプログラムとデータを読み込み中…", "Loading the training program and data…"),
    }
}

/// An experiment link that could not be used, and why.
pub fn link_unusable(why: &Text) -> Text {
    Text::new(
        format!("リンクを読めませんでした（{}）。既定の設定で始めます。", why.ja),
        format!("The link could not be used ({}); starting with the default settings.", why.en),
    )
}

/// A link's experiment, loaded: which of the student's datasets it needs (name, size, grayscale)
/// and which model file came with it.
pub fn link_loaded(dataset: Option<(&str, usize, bool)>, model_file: Option<&str>) -> Text {
    let mut ja = String::from("リンクの実験の設定を読み込みました。");
    let mut en = String::from("The link's experiment settings are loaded.");
    if let Some((name, size, gray)) = dataset {
        let kind = if gray { ("グレースケール", "grayscale") } else { ("カラー", "colour") };
        ja.push_str(&format!(
            "この実験はデータセット「{name}」（{size}×{size}、{}）を使います。データ画面でそのデータセットを開き「このデータで学習」を押してください。",
            kind.0
        ));
        en.push_str(&format!(
            " It uses the dataset “{name}” ({size}×{size}, {}): open it in the data lab and press “Train on this dataset”.",
            kind.1
        ));
    }
    if let Some(file) = model_file {
        ja.push_str(&format!("モデルファイル「{file}」を受け取ったら、学習画面の「モデルを読み込む」で開けます。"));
        en.push_str(&format!(" If you received the model file “{file}”, open it with “Load a model” in the training lab."));
    }
    Text::new(ja, en)
}

pub const DS_SWITCHED_STOPPED: T = T(
    "別のデータセットに切り替えたので、前のデータセットへの追加を止めました。",
    "Another dataset was opened, so adding to the previous one stopped.",
);
pub const DS_NOT_SAVED: T = T("保存できませんでした", "not saved");
pub const DS_STORE_STOPPED: T = T(
    "保存できなかったので、取り込みをここで止めました（それまでの画像は保存されています）。",
    "Storing failed, so the import stopped here (the images before are saved).",
);

/// The dataset chosen for training is gone (deleted since, or storage failed).
pub fn dataset_missing(name: &str) -> Text {
    Text::new(
        format!("データセット「{name}」が見つかりません。データ画面で選び直してください。"),
        format!("The dataset “{name}” was not found; choose one again in the data lab."),
    )
}

/// A file in an import that could not be read (`.with_reason(why)`).
pub const DS_CANNOT_READ: T = T("読めません", "cannot be read");
/// A file that could not be converted for the store (`.with_reason(why)`).
pub const DS_NOT_STORABLE: T = T("保存用に変換できません", "could not be converted for storage");

/// An image of a dataset that could not be converted for training.
pub fn bad_image(name: &str, why: &crate::error::PageError) -> Text {
    let why = why.text();
    Text::new(format!("{}{name}（{}）", DS_BAD_IMAGE.0, why.ja), format!("{}{name} ({})", DS_BAD_IMAGE.1, why.en))
}

/// The fine-tuning choice: how many of the backbone's last blocks train (`blocks` ≥ 1).
pub fn unfreeze_blocks(blocks: usize) -> Text {
    match blocks {
        1 => Text::new("最後の 1 ブロック（ヘッドの 1×1 畳み込み）", "The last block (the head's 1×1 convolution)"),
        k => Text::new(format!("最後の {k} ブロック"), format!("The last {k} blocks")),
    }
}

/// The fine-tuned blocks' learning rate, as a share of the head's.
pub fn unfrozen_rate(divisor: usize) -> Text {
    match divisor {
        1 => Text::new("ヘッドと同じ", "The head's"),
        d => Text::new(format!("ヘッドの 1/{d}"), format!("1/{d} of the head's")),
    }
}

/// How many passes through the backbone a transfer run makes before it trains.
pub fn transfer_passes(images: usize, versions: usize) -> Text {
    let n = images * versions;
    let (slow_ja, slow_en) = if n > 500 { ("（数分かかります）", " (this takes minutes)") } else { ("", "") };
    Text::new(
        format!("学習の前に {images} 枚 × {versions} 版 = {n} 回、ネットワークに画像を通します{slow_ja}。"),
        format!(
            "Before training, {images} images × {versions} version{} = {n} passes through the network{slow_en}.",
            if versions == 1 { "" } else { "s" }
        ),
    )
}

/// Fine-tuning in a report's model line.
pub fn fine_tuned(blocks: usize, divisor: usize) -> Text {
    Text::new(
        format!("最後の {blocks} ブロックを学習率 1/{divisor} で微調整"),
        format!("last {blocks} blocks fine-tuned at 1/{divisor} of the rate"),
    )
}

/// A transfer model's short name: the backbone, its input size, fine-tuning, then the head's name.
pub fn transfer_model(backbone: &str, size: usize, fine_tune: Option<(usize, usize)>, head: &Text) -> Text {
    let (ja, en) = match fine_tune {
        Some((blocks, divisor)) => (
            format!("（微調整 {blocks} ブロック、学習率 1/{divisor}）"),
            format!(" (fine-tuning {blocks} blocks at 1/{divisor} of the rate)"),
        ),
        None => (String::new(), String::new()),
    };
    Text::new(format!("転移学習 {backbone} {size}{ja} + {}", head.ja), format!("transfer {backbone} {size}{en} + {}", head.en))
}

/// The share lab's validation line: hold-out with its validation share in percent, or K-fold.
pub fn share_validation(kfold: Option<usize>, validation_percent: f64, seed: u64) -> Text {
    match kfold {
        None => Text::new(
            format!("ホールドアウト法（検証 {validation_percent:.0} %）、乱数シード {seed}"),
            format!("hold-out {validation_percent:.0} %, seed {seed}"),
        ),
        Some(k) => Text::new(format!("K 分割交差検証（K = {k}）、乱数シード {seed}"), format!("K-fold, K = {k}, seed {seed}")),
    }
}

/// The share lab's training line.
pub fn share_training(optimizer: &str, learning_rate: f64, epochs: usize, batch: usize, weight_decay: f64) -> Text {
    Text::new(
        format!("{}、学習率 {learning_rate}、{epochs} エポック、ミニバッチ {batch}、重み減衰 {weight_decay}", optimizer_name(optimizer).0),
        format!("{optimizer}, lr {learning_rate}, {epochs} epochs, batch {batch}, weight decay {weight_decay}"),
    )
}

/// The share lab's name of a network's output (`slug`: the model file's).
pub fn share_output(slug: &str) -> Text {
    match slug {
        "sigmoid" => Text::new("シグモイド出力 1 つ", slug),
        _ => Text::new("ソフトマックス出力", slug),
    }
}

pub const FILE_TOO_LARGE_50MB: T = T("ファイルが大きすぎます（50 MB まで）", "the file is too large (50 MB at most)");
pub const FILE_UNREADABLE: T = T("ファイルを読めません", "the file cannot be read");
pub const CON_CLASS_1: T = T("クラス 1", "class 1");
pub const CON_CLASS_2: T = T("クラス 2", "class 2");
pub const CON_LOSS_MSE: T = T("平均二乗誤差（MSE）", "Mean squared error");
pub const CON_LOSS_BCE: T = T("二値交差エントロピー", "Binary cross-entropy");
pub const CON_LOSS_CE: T = T("交差エントロピー（softmax）", "Cross-entropy (softmax)");

/// The table lab's validation: hold-out with its validation share, or K-fold.
pub fn table_validation(kfold: Option<usize>, validation_percent: f64) -> Text {
    match kfold {
        None => {
            Text::new(format!("ホールドアウト法（検証 {validation_percent} %）"), format!("hold-out ({validation_percent} % validation)"))
        }
        Some(k) => Text::new(format!("{k} 分割交差検証"), format!("{k}-fold cross-validation")),
    }
}

pub const TABLE_CURVE_ACCURACY: T = T("エポックごとの検証データの正解率", "Validation accuracy per epoch");
pub const TABLE_CURVE_RMSE: T = T("エポックごとの検証データの RMSE", "Validation RMSE per epoch");
pub const TABLE_EPOCH: T = T("エポック", "epoch");

/// The table lab's curve caption with several folds.
pub fn table_curve_folds(title: T) -> Text {
    Text::new(
        format!("{}（線は分割ごと、ROC曲線と同じ色）", title.0),
        format!("{} (one line per fold, coloured as in the ROC chart)", title.1),
    )
}

/// A table file over the table lab's size limit.
pub fn table_too_large(name: &str, limit_mb: usize) -> Text {
    Text::new(format!("「{name}」は大きすぎます（上限 {limit_mb} MB）"), format!("“{name}” is too large (the limit is {limit_mb} MB)"))
}

/// A table file that could not be read or parsed (`why` in both languages).
pub fn table_unreadable(name: &str, why: &Text) -> Text {
    Text::new(format!("「{name}」: {}", why.ja), format!("“{name}”: {}", why.en))
}

/// A table file the browser could not read.
pub fn table_cannot_read(name: &str, why: &crate::error::PageError) -> Text {
    let why = why.text();
    Text::new(format!("「{name}」を読めません（{}）", why.ja), format!("cannot read “{name}” ({})", why.en))
}

/// A built-in table that could not be fetched (`.with_reason(why)`).
pub const TABLE_NOT_LOADED: T = T("読み込めません", "cannot load it");

/// The loaded table's source line (`separator` as shown: TAB, ; or ,).
pub fn table_source(name: &str, rows: usize, columns: usize, encoding: &str, separator: &str) -> Text {
    Text::new(
        format!("{name}: {rows} 行 × {columns} 列（{encoding}、区切り {separator}）"),
        format!("{name}: {rows} rows × {columns} columns ({encoding}, separator {separator})"),
    )
}

/// The network's inputs after get_dummies, and the classes of a classification target.
pub fn table_design(inputs: usize, dummies: usize, classes: Option<&[String]>) -> Text {
    let numeric = inputs - dummies;
    let (cja, cen) = match classes {
        Some(names) => {
            (format!("、クラス {} 個（{}）", names.len(), names.join("・")), format!("; {} classes ({})", names.len(), names.join(", ")))
        }
        None => (String::new(), String::new()),
    };
    Text::new(
        format!("入力 {inputs} 列（数の列 {numeric}、get_dummies で作った 0/1 の列 {dummies}）{cja}"),
        format!("{inputs} inputs ({numeric} number columns, {dummies} 0/1 columns from get_dummies){cen}"),
    )
}

/// The table lab's progress line (`fold` counted from 1).
pub fn table_progress(fold: usize, folds: usize, epoch: usize, epochs: usize, loss: f64, validation: f64) -> Text {
    Text::new(
        format!("分割 {fold}/{folds}・エポック {epoch}/{epochs}・損失 {loss:.4}・検証 {validation:.4}"),
        format!("fold {fold}/{folds} · epoch {epoch}/{epochs} · loss {loss:.4} · validation {validation:.4}"),
    )
}

#[cfg(test)]
mod tests {
    /// Every Japanese word the page shows is in this file (or in `error.rs`'s reasons): a lab
    /// that writes its own would have no table to be checked, or translated, from.
    #[test]
    fn japanese_words_live_in_the_text_tables() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let (mut found, mut files) = (Vec::new(), 0);
        let mut dirs = vec![src.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let name = path.strip_prefix(&src).unwrap_or(&path).to_string_lossy().into_owned();
                if !name.ends_with(".rs") || name == "text.rs" || name == "error.rs" {
                    continue;
                }
                let Ok(code) = std::fs::read_to_string(&path) else { continue };
                files += 1;
                for (n, line) in code.lines().enumerate() {
                    // Comments may say what a word means; only code is shown. A comment starts
                    // a line or follows a space (so "https://…" in a string is code).
                    let comment =
                        line.match_indices("//").map(|(i, _)| i).find(|&i| line[..i].trim().is_empty() || line[..i].ends_with(' '));
                    let code_part = &line[..comment.unwrap_or(line.len())];
                    if code_part.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                        found.push(format!("{name}:{}: {}", n + 1, line.trim()));
                    }
                }
            }
        }
        assert!(files > 30, "only {files} source files read from {}", src.display());
        assert!(found.is_empty(), "Japanese outside src/text.rs:\n{}", found.join("\n"));
    }
}
