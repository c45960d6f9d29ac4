//! Messages between the page and the training worker.
//!
//! The page sends [`ToWorker`]; the worker answers with a stream of [`FromWorker`]. One training
//! run at a time: `Train` starts one (replacing nothing — the page disables the button), `Stop`
//! ends it after the step in flight, and the worker then sends `Finished { stopped: true }`.
//!
//! ```text
//! page                       worker
//!  │◀── Loaded ──────────────│  wasm started (the page queues messages until then)
//!  │── Train{config,data} ──▶│  picks WebGPU, else flex CPU
//!  │◀── Started{backend,fold,..} │  once per fold (hold-out: one fold)
//!  │◀── Step{..} × N ────────│  after every mini-batch
//!  │◀── Point{..} ───────────│  evals_per_epoch times an epoch
//!  │◀── FoldDone{..} ────────│  the fold's final training / validation accuracy
//!  │── Stop ────────────────▶│  (any time)
//!  │◀── Finished{..} ────────│  or Failed{message}; K-fold: the folds' confusion matrices summed
//! ```

use crate::classical::{FeatureKind, ModelKind, Outcome, SweepPoint};
use crate::data::dataset::Dataset;
use crate::i18n::Text;
use crate::images::filter::Plane;
use crate::nn::experiment::TrainConfig;
use crate::nn::metrics::{ConfusionMatrix, Prediction};
use serde::{Deserialize, Serialize};

/// The largest model file accepted (a browser tab has a few GB at most).
pub const MAX_MODEL_FILE_BYTES: usize = 256 * 1024 * 1024;

/// Where the training math runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Backend {
    /// The browser's WebGPU device, through burn's wgpu backend.
    WebGpu,
    /// burn's `flex` CPU backend, in the worker (the fallback).
    Cpu,
}

/// Which device the page asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DevicePreference {
    /// WebGPU when the browser has it, else the CPU.
    #[default]
    Auto,
    /// Always the CPU.
    Cpu,
    /// WebGPU or fail (for tests and benchmarks).
    WebGpu,
}

/// Page → worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ToWorker {
    /// Start training.
    Train {
        /// The experiment's settings.
        config: TrainConfig,
        /// The images; the worker splits them by `config`.
        dataset: Dataset,
        /// Which device to use.
        device: DevicePreference,
    },
    /// Stop the current run after the step in flight.
    Stop,
    /// Continue the stopped run from where it stopped (same weights, optimizer state and order).
    Resume,
    /// Continue a run whose GPU was lost (its worker crashed, or the device failed) on the CPU,
    /// from its last checkpoint: the fold in progress from the end of its last finished epoch,
    /// the folds before it as they were.
    Continue {
        /// The run's settings.
        config: TrainConfig,
        /// Its images.
        dataset: Dataset,
        /// Where to continue from.
        checkpoint: Checkpoint,
        /// Why, in both languages (shown as the run's fallback reason).
        reason: Text,
    },
    /// A test hook: the GPU run that starts next is lost just before step `step` of its first
    /// fold — the worker crashes, as when the browser's GPU process dies, or (`destroy`) WebGPU's
    /// `device.destroy()` is called on its device, as when the browser takes the device away.
    LoseDeviceAt {
        /// The step (1-based) that never happens on the GPU; 0: a transfer-learning run's
        /// features, once the backbone is on the GPU and before they are computed.
        step: usize,
        /// Destroy the device instead of crashing the worker.
        destroy: bool,
    },
    /// Save the last trained network as a model file (answered by `ModelFile`).
    SaveModel,
    /// Load a model file, check it fits `dataset`, and measure it on the validation part that
    /// `config` makes (answered by `ModelLoaded`).
    LoadModel {
        /// The file's bytes.
        bytes: Vec<u8>,
        /// The data it will be judged on.
        dataset: Dataset,
        /// The split settings.
        config: TrainConfig,
    },
    /// Class probabilities of one image (a webcam frame) by the last trained network.
    Predict {
        /// HWC pixels of the model's input size.
        pixels: Vec<u8>,
    },
    /// The class of each of many images (a competition's test set) by the last trained or loaded
    /// network (answered by `PredictedAll`).
    PredictAll {
        /// Chosen by the page; the answer carries it back, so an old answer is never taken for a
        /// newer request.
        id: u32,
        /// The images' HWC pixels of the model's input size, one after another.
        pixels: Vec<u8>,
    },
    /// One forward and backward pass of the concepts lab's 2-3-2 network (answered by
    /// `Backprop`).
    Backprop(crate::lesson::concepts::BackpropRequest),
    /// Show what the last trained network makes of dataset image `index` (its HWC `pixels`).
    Inspect {
        /// The image's index in the dataset.
        index: usize,
        /// The fold whose model validated it (0 for hold-out).
        fold: usize,
        /// Its pixels.
        pixels: Vec<u8>,
    },
    /// The table lab: fit and judge a model on a table's numbers, on the splits `config` makes
    /// (answered by `TableEpoch`s for a network, then `Table` or `RequestFailed`).
    Table {
        /// The table's inputs (after `get_dummies`, not standardised) and target.
        design: crate::table::Design,
        /// The model, split and seed.
        config: crate::table::run::TableConfig,
    },
    /// Fit a classical model (or sweep a tree's depth) on `dataset`'s features, on the splits
    /// `config` makes (answered by `Classical`).
    Classical {
        /// The images.
        dataset: Dataset,
        /// The split settings (hold-out or K-fold, fraction, seed).
        config: TrainConfig,
        /// How images become feature vectors.
        feature: FeatureKind,
        /// What to do.
        task: ClassicalTask,
        /// The image whose feature vector comes back for display.
        sample: usize,
    },
    /// "What does the pretrained network see?": ImageNet's five most probable classes for a
    /// photo (answered by `ImageNet`; the backbone is fetched first if need be, with `Preparing`).
    ImageNet {
        /// Width in pixels.
        width: usize,
        /// Height in pixels.
        height: usize,
        /// RGB, row by row (`width × height × 3` bytes).
        rgb: Vec<u8>,
    },
}

/// A classical-model request.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum ClassicalTask {
    /// Fit one model and score it.
    Fit(ModelKind),
    /// The model-complexity chart: trees of depth 1 … `max_depth` (and unlimited).
    SweepDepth {
        /// 葉の最小サンプル数 for every tree.
        min_samples_leaf: usize,
        /// The deepest limit tried.
        max_depth: usize,
    },
}

/// The answer to `ToWorker::Classical`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassicalResult {
    /// The features used.
    pub feature: FeatureKind,
    /// The request.
    pub task: ClassicalTask,
    /// Values per feature vector.
    pub dim: usize,
    /// The sample image's feature vector.
    pub sample_features: Vec<f32>,
    /// ms spent computing the features of all images.
    pub features_ms: f64,
    /// For `Fit`.
    pub outcome: Option<Outcome>,
    /// For `SweepDepth`.
    pub sweep: Vec<SweepPoint>,
}

/// One mini-batch done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// Epoch, from 1.
    pub epoch: usize,
    /// Epochs in the run.
    pub epochs: usize,
    /// Steps done so far, from 1.
    pub step: usize,
    /// Steps the whole run will take.
    pub total_steps: usize,
    /// This batch's mean loss.
    pub loss: f64,
    /// This batch's accuracy, 0..=1.
    pub accuracy: f64,
    /// Milliseconds since training started (after device set-up).
    pub elapsed_ms: f64,
    /// Milliseconds spent preparing this batch's input (reading, augmenting, converting). It is
    /// prepared while the previous step's read-back is awaited, so on WebGPU it overlaps the GPU.
    pub prepare_ms: f64,
    /// Milliseconds of this training step alone (forward, backward, update, loss read-back and
    /// preparing the next batch), without any validation pass after it.
    pub train_ms: f64,
}

/// The end of one fold: 構築データ vs 検証データ accuracy of the final weights, both measured
/// without augmentation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FoldResult {
    /// 0-based.
    pub fold: usize,
    /// Accuracy on the fold's training part.
    pub train_accuracy: f64,
    /// Accuracy on the fold's validation part.
    pub val_accuracy: f64,
    /// Loss on the validation part.
    pub val_loss: f64,
}

/// A GPU run's state kept by the page, enough to continue it elsewhere.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The fold in progress (0 for hold-out).
    pub fold: usize,
    /// Epochs of that fold finished.
    pub epochs_done: usize,
    /// The weights at the end of epoch `epochs_done` as a model file; `None` at a fold's start
    /// (the fold then starts again from its seeded weights).
    pub model: Option<Vec<u8>>,
    /// The finished folds' merged validation confusion matrix and predictions.
    pub earlier_confusion: Option<ConfusionMatrix>,
    /// See `earlier_confusion`.
    pub earlier_predictions: Vec<Prediction>,
    /// Milliseconds of training until then.
    pub elapsed_ms: f64,
}

/// What a trained network makes of one image (see `inspect`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    /// The image's index in the dataset.
    pub index: usize,
    /// Softmax probability of each class.
    pub probabilities: Vec<f32>,
    /// The first convolution's kernels, `filter_channels` planes per filter (empty for an MLP).
    pub filters: Vec<Plane>,
    /// Input channels per filter.
    pub filter_channels: usize,
    /// Each convolution's feature maps for this image.
    pub layers: Vec<MapLayer>,
}

/// The feature maps of one convolution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapLayer {
    /// The layer's position in the model's list (0-based).
    pub layer: usize,
    /// One map per filter (the first `inspect::MAX_MAPS`).
    pub maps: Vec<Plane>,
}

/// A point on the learning curves: training vs validation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Fractional epoch at which it was measured (e.g. 1.25).
    pub epoch: f64,
    /// Step at which it was measured.
    pub step: usize,
    /// Mean loss of the training batches since the last point.
    pub train_loss: f64,
    /// Accuracy of the training batches since the last point.
    pub train_accuracy: f64,
    /// Loss on the whole validation part, or on the sample `val_sample` says.
    pub val_loss: f64,
    /// Accuracy on the whole validation part, or on the sample `val_sample` says.
    pub val_accuracy: f64,
    /// Fine-tuning on much validation data: measured on a sample of this many validation images
    /// ([`crate::nn::train::CURVE_SAMPLE`]); `None`: on all of them (always so for a run's last point).
    pub val_sample: Option<usize>,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's wasm is running and listening. Messages sent before this are lost, so the
    /// page queues them until it arrives.
    Loaded,
    /// The device is ready and training begins.
    Started {
        /// The device in use.
        backend: Backend,
        /// Adapter name or similar, for the curious.
        detail: String,
        /// Why WebGPU was not used, when it was wanted but failed.
        fallback_reason: Option<Text>,
        /// Which fold this is (0-based; always 0 for hold-out) …
        fold: usize,
        /// … of how many (1 for hold-out).
        folds: usize,
        /// Images in the training part.
        train_size: usize,
        /// Images in the validation part.
        validation_size: usize,
        /// Steps the run will take.
        total_steps: usize,
        /// Milliseconds from the request to this fold's start: the device, and for transfer
        /// learning the backbone's loading and every image's features.
        setup_ms: f64,
        /// Transfer learning: of `setup_ms`, the milliseconds computing the features (the
        /// backbone already loaded); 0 otherwise.
        features_ms: f64,
    },
    /// A mini-batch finished.
    Step(StepReport),
    /// The answer to `SaveModel`: the file's bytes.
    ModelFile(Vec<u8>),
    /// The answer to `LoadModel`.
    ModelLoaded {
        /// What the file holds, in words.
        summary: Text,
        /// Its accuracy on the validation part.
        val_accuracy: f64,
    },
    /// A side request (`Predict`, `Inspect`, `SaveModel`, `LoadModel`) could not be done; the
    /// training run, if any, is not affected.
    RequestFailed {
        /// Why, in both languages.
        message: Text,
    },
    /// The answer to `Classical`.
    Classical(ClassicalResult),
    /// The table lab's network finished an epoch of fold `fold` (0-based).
    TableEpoch {
        /// The fold.
        fold: usize,
        /// Its scores after the epoch.
        point: crate::table::run::EpochPoint,
    },
    /// The answer to `Table`.
    Table(crate::table::run::TableOutcome),
    /// The answer to `Predict`.
    Predicted {
        /// Softmax probability of each class.
        probabilities: Vec<f32>,
    },
    /// The answer to `PredictAll`: each image's most probable class, in order.
    PredictedAll {
        /// The request's id.
        id: u32,
        /// Class index per image.
        labels: Vec<u32>,
    },
    /// The answer to `Backprop`: every number of the pass.
    Backprop(crate::lesson::concepts::BackpropResult),
    /// The answer to `Inspect`.
    Inspected(Inspection),
    /// A fold (or the hold-out run) finished: its final accuracies.
    FoldDone(FoldResult),
    /// Where a GPU run could continue on the CPU if its device were lost: sent at the start of
    /// every fold and after every epoch but the last.
    Checkpoint(Checkpoint),
    /// The worker is about to die of a panic (its last words): a GPU run continues on the CPU
    /// from its checkpoint; anything else fails with this message.
    Crashed {
        /// What happened, in both languages.
        message: Text,
    },
    /// The GPU failed mid-run (the worker itself survived): the page continues the run on the
    /// CPU from the last checkpoint, as after a crash.
    DeviceLost {
        /// What the device said.
        message: Text,
    },
    /// A validation measurement.
    Point(CurvePoint),
    /// The run ended (all epochs, or stopped).
    Finished {
        /// Whether the user stopped it.
        stopped: bool,
        /// The validation confusion matrix of the final model.
        confusion: Option<ConfusionMatrix>,
        /// Every validation image's prediction by the final model (K-fold: each image once, by
        /// the model that did not learn from it).
        predictions: Vec<Prediction>,
        /// Milliseconds of training.
        elapsed_ms: f64,
    },
    /// The run failed; the page shows the message and stays usable.
    Failed {
        /// What happened, in both languages.
        message: Text,
    },
    /// Transfer learning before the first step: the backbone downloading (bytes) or the images
    /// going through it (images, augmented versions included).
    Preparing {
        /// Which of the two.
        stage: Preparation,
        /// Done so far …
        done: usize,
        /// … of this many.
        total: usize,
    },
    /// The answer to `ImageNet`: class names and probabilities, most probable first.
    ImageNet {
        /// Five (name, probability) pairs.
        top: Vec<(String, f32)>,
    },
}

/// The largest photo side `ToWorker::ImageNet` takes (the image lab scales photos to 640 px).
pub const MAX_IMAGENET_SIDE: usize = 4096;

/// What a transfer-learning run does before it trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preparation {
    /// Fetching the pretrained backbone (bytes).
    Download,
    /// Computing every image's features (images).
    Features,
}
