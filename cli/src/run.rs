//! The commands: arguments, and the work, each on the core functions the page uses.

use crate::data::{self, BUILTIN};
use crate::device::{self, Choice};
use crate::fail::{Failure, unwritable};
use crate::images::{self, Input, load_photo, write_png};
use burn::prelude::Device;
use clap::{Args, ValueEnum};
use imagelab_core::data::augment::{Image, Pipeline, preview};
use imagelab_core::data::competition::{self, Delimiter, Score};
use imagelab_core::data::import::parse_labels;
use imagelab_core::images::filter::Kernel;
use imagelab_core::images::geometry::resize;
use imagelab_core::images::ops::{Filter, Geo, GeoParams, border_from_slug, parse_kernel};
use imagelab_core::nn::architecture::InputShape;
use imagelab_core::nn::architecture::{LayerSpec, ModelSpec};
use imagelab_core::nn::experiment::{BackboneId, Optimizer, TrainConfig, Transfer, Validation};
use imagelab_core::nn::metrics::mean_sd;
use imagelab_core::nn::modelfile::{self, ModelMeta};
use imagelab_core::nn::train::Trainer;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

fn filter_slugs() -> Vec<&'static str> {
    Filter::ALL.iter().map(|(_, s, _)| *s).collect()
}

fn geo_slugs() -> Vec<&'static str> {
    Geo::ALL.iter().map(|(_, s, _)| *s).collect()
}

/// `imagelab filter`.
#[derive(Args)]
#[command(after_help = "Example / 例:\n  imagelab filter --filter sobel --border reflect photos/ --out edges/\n  \
imagelab filter --filter custom --kernel '0,-1,0; -1,5,-1; 0,-1,0' coin.jpg --out out/")]
pub struct FilterArgs {
    /// Image files, or folders searched for images (PNG, JPEG, GIF, BMP, WebP).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The filter, as named in the image lab.
    #[arg(long, short, value_parser = clap::builder::PossibleValuesParser::new(filter_slugs()))]
    pub filter: String,
    /// The kernel of `--filter custom`: rows separated by ';', values by ',' (an odd square).
    #[arg(long)]
    pub kernel: Option<String>,
    /// What lies beyond the image's edge (ゼロ / 端の値 / 折り返し).
    #[arg(long, default_value = "zero", value_parser = ["zero", "edge", "reflect"])]
    pub border: String,
    /// Filter each colour channel instead of the gray image.
    #[arg(long)]
    pub colour: bool,
    /// Scale photos so the long side is at most this (the image lab's 640); 0 keeps full size.
    #[arg(long, default_value_t = 640)]
    pub max_side: u32,
    /// Folder for the PNGs (created if missing).
    #[arg(long, short)]
    pub out: PathBuf,
}

/// `imagelab transform`.
#[derive(Args)]
#[command(after_help = "Example / 例:\n  imagelab transform --op rotate --angle 45 coin.jpg --out out/\n  \
imagelab transform --op resize --width 28 --height 28 photos/ --out small/")]
pub struct TransformArgs {
    /// Image files, or folders searched for images.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The transform, as named in the image lab.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(geo_slugs()))]
    pub op: String,
    /// rotate: degrees, counter-clockwise.
    #[arg(long, default_value_t = 30.0, allow_negative_numbers = true)]
    pub angle: f32,
    /// translate: pixels right.
    #[arg(long, default_value_t = 40.0, allow_negative_numbers = true)]
    pub tx: f32,
    /// translate: pixels down.
    #[arg(long, default_value_t = 20.0, allow_negative_numbers = true)]
    pub ty: f32,
    /// resize: width in pixels (1–2048).
    #[arg(long, default_value_t = 80)]
    pub width: usize,
    /// resize: height in pixels (1–2048).
    #[arg(long, default_value_t = 60)]
    pub height: usize,
    /// resize: no smoothing before shrinking (anti_aliasing=False).
    #[arg(long)]
    pub no_anti_aliasing: bool,
    /// crop: the rectangle kept, as x,y,width,height.
    #[arg(long, value_parser = parse_rect)]
    pub crop: Option<(usize, usize, usize, usize)>,
    /// Scale photos so the long side is at most this (the image lab's 640); 0 keeps full size.
    #[arg(long, default_value_t = 640)]
    pub max_side: u32,
    /// Folder for the PNGs.
    #[arg(long, short)]
    pub out: PathBuf,
}

fn parse_channels(s: &str) -> Result<u8, String> {
    match s {
        "1" => Ok(1),
        "3" => Ok(3),
        _ => Err("use 1 (grayscale) or 3 (RGB)".into()),
    }
}

fn parse_rect(s: &str) -> Result<(usize, usize, usize, usize), String> {
    let v: Vec<usize> = s.split(',').map(|p| p.trim().parse::<usize>()).collect::<Result<_, _>>().map_err(|e| e.to_string())?;
    match v[..] {
        [x, y, w, h] if w > 0 && h > 0 && x.checked_add(w).is_some() && y.checked_add(h).is_some() => Ok((x, y, w, h)),
        _ => Err("write x,y,width,height (width and height above 0)".into()),
    }
}

/// `imagelab augment`.
#[derive(Args)]
#[command(after_help = "Example / 例:\n  imagelab augment --pipeline digits --seed 1 --count 16 coin.jpg --out aug/\n  \
imagelab augment --pipeline my-pipeline.json photos/ --out aug/")]
pub struct AugmentArgs {
    /// Image files, or folders searched for images.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// `digits` (the preset), or a JSON file of a pipeline (the `augment` part of the settings
    /// that `imagelab settings` prints).
    #[arg(long, default_value = "digits")]
    pub pipeline: String,
    /// The first draw's seed; draw i uses seed + i (the lab's "draw again").
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Draws per image.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub count: u16,
    /// Scale photos so the long side is at most this (the lab's preview: 112); 0 keeps full size.
    #[arg(long, default_value_t = 112)]
    pub max_side: u32,
    /// Folder for the PNGs (`NAME_01.png` …).
    #[arg(long, short)]
    pub out: PathBuf,
}

/// The network presets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Preset {
    /// conv 8 → pool → conv 16 → pool → dense 64.
    SmallCnn,
    /// The course's MLP: dense 10 tanh → dense 10 ReLU.
    Mlp,
    /// Two conv-conv-batch-norm-pool blocks → dense 128 → dropout.
    DeeperCnn,
    /// The benchmark's CNN: conv 8 → pool → conv 16 → pool → output.
    Reference,
}

impl Preset {
    fn spec(self) -> ModelSpec {
        match self {
            Preset::SmallCnn => ModelSpec::small_cnn(),
            Preset::Mlp => ModelSpec::course_mlp(),
            Preset::DeeperCnn => ModelSpec::deeper_cnn(),
            Preset::Reference => reference_cnn(),
        }
    }
}

/// The issue's reference CNN: the small CNN without its dense 64 (conv 8 → max-pool 2 → conv 16
/// → max-pool 2 → dense 10).
pub fn reference_cnn() -> ModelSpec {
    let mut spec = ModelSpec::small_cnn();
    spec.layers.retain(|l| !matches!(l, LayerSpec::Dense { .. }));
    spec
}

/// `imagelab train`.
#[derive(Args)]
#[command(after_help = "Example / 例:\n  imagelab train digits --epochs 3 --out digits.bpk\n  \
imagelab train coins.zip --size 32 --channels 3 --kfold 5 --out coins.bpk\n  \
imagelab settings --out s.json   # edit, then: imagelab train coins/ --settings s.json\n  \
imagelab train digits --url 'https://…/#/train?e=4.…'   # a link from the share lab\n  \
imagelab train coins/ --size 160 --backbone efficientnet-lite0 --out coins.bpk   # transfer learning\n  \
imagelab train coins/ --size 160 --backbone efficientnet-lite0 --unfreeze 2 --out coins.bpk   # and fine-tune 2 blocks")]
pub struct TrainArgs {
    /// `digits` (built in), a folder with one sub-folder per class, or a zip exported from the
    /// data lab (test/ images are left out).
    pub data: String,
    /// Settings as JSON (`imagelab settings` prints the defaults); the flags below override it.
    #[arg(long, conflicts_with = "url")]
    pub settings: Option<PathBuf>,
    /// An experiment link from the share lab (`https://…/#/train?e=4.…`): its settings; the
    /// flags below override them.
    #[arg(long)]
    pub url: Option<String>,
    /// The network preset (replaces the settings' network's layers).
    #[arg(long, value_enum)]
    pub model: Option<Preset>,
    /// The output layer and loss: softmax (cross-entropy) or sigmoid (binary cross-entropy;
    /// two classes only).
    #[arg(long, value_parser = ["softmax", "sigmoid"])]
    pub output: Option<String>,
    /// Epochs.
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Mini-batch size.
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// Learning rate.
    #[arg(long)]
    pub lr: Option<f64>,
    /// Optimizer: sgd, momentum, nesterov, adam, rmsprop.
    #[arg(long, value_parser = Optimizer::SLUGS)]
    pub optimizer: Option<String>,
    /// Weight decay (L2).
    #[arg(long)]
    pub weight_decay: Option<f64>,
    /// Seed of the split, the weights and the shuffles.
    #[arg(long)]
    pub seed: Option<u64>,
    /// K-fold cross-validation with K folds (2–20) instead of hold-out.
    #[arg(long)]
    pub kfold: Option<usize>,
    /// Hold-out: the share of each class kept for validation (0.3 = 7:3).
    #[arg(long)]
    pub validation_fraction: Option<f64>,
    /// Input size in pixels (square) for a folder or zip (the data lab's default: 32); with
    /// `--backbone`, also the backbone's input size (224, 160 or 128).
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(4..=256))]
    pub size: u16,
    /// 転移学習: put the frozen pretrained backbone before the network, which becomes a new
    /// head on its 1,280 features (dropout 0.2, then `--hidden` units if given, then the output).
    #[arg(long, value_parser = ["efficientnet-lite0"], conflicts_with = "model")]
    pub backbone: Option<String>,
    /// With `--backbone`: a hidden dense layer (ReLU) of this many units in the head.
    #[arg(long, requires = "backbone")]
    pub hidden: Option<usize>,
    /// With `--backbone`: the backbone file (default: the one the page ships, in www/models/).
    #[arg(long, requires = "backbone")]
    pub backbone_file: Option<PathBuf>,
    /// With `--backbone`: ファインチューニング — also train the backbone's last K blocks (1 = its
    /// head convolution, 2 = that and MBConv 16, …; at most 5); 0 or absent keeps it frozen.
    #[arg(long, requires = "backbone", value_parser = clap::value_parser!(u8).range(0..=5))]
    pub unfreeze: Option<u8>,
    /// With `--unfreeze`: those blocks learn at the learning rate divided by this (default 10).
    #[arg(long, requires = "unfreeze", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub unfrozen_rate_divisor: Option<u16>,
    /// Input channels for a folder or zip: 1 grayscale, 3 RGB.
    #[arg(long, default_value_t = 3, value_parser = parse_channels)]
    pub channels: u8,
    /// Where to train.
    #[arg(long, value_enum, default_value_t = Choice::Auto)]
    pub device: Choice,
    /// The model file to write (the browser's training lab loads it). K-fold writes the last
    /// fold's model, as the page does.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// No progress bar (logs one line per validation point instead).
    #[arg(long)]
    pub quiet: bool,
}

/// `imagelab predict`.
#[derive(Args)]
#[command(after_help = "Example / 例:\n  imagelab predict coins.bpk test/ --out submission.csv\n  \
imagelab predict coins.bpk test/ --tsv --no-header --out submission.tsv")]
pub struct PredictArgs {
    /// A model file (from the browser's training lab or `imagelab train`).
    pub model: PathBuf,
    /// Image files, or folders of images (the unlabelled test set).
    #[arg(required = true)]
    pub images: Vec<PathBuf>,
    /// The submission file to write; without it, printed.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Tab-separated instead of comma-separated.
    #[arg(long)]
    pub tsv: bool,
    /// No `file,label` header line.
    #[arg(long)]
    pub no_header: bool,
    /// Where to run the model.
    #[arg(long, value_enum, default_value_t = Choice::Cpu)]
    pub device: Choice,
    /// A transfer-learning model's backbone file (default: the one the page ships, in
    /// www/models/); it must be the file the model was trained on (same SHA-256).
    #[arg(long)]
    pub backbone_file: Option<PathBuf>,
}

/// `imagelab evaluate`.
#[derive(Args)]
#[command(after_help = "Example / 例:\n  imagelab evaluate imagelab-model.bpk digits\n  \
imagelab evaluate coins.bpk coins.zip   # loaded at the model's input size")]
pub struct EvaluateArgs {
    /// A model file.
    pub model: PathBuf,
    /// The data it was trained on: `digits`, a folder or a zip, loaded at the model's input size.
    pub data: String,
    /// Where to run the model.
    #[arg(long, value_enum, default_value_t = Choice::Cpu)]
    pub device: Choice,
    /// A transfer-learning model's backbone file (default: the one the page ships, in
    /// www/models/); it must be the file the model was trained on (same SHA-256).
    #[arg(long)]
    pub backbone_file: Option<PathBuf>,
}

/// `imagelab score`.
#[derive(Args)]
#[command(after_help = "Example / 例:\n  imagelab score truth.csv submissions/*.csv")]
pub struct ScoreArgs {
    /// The true labels (file, label; CSV or TSV, header optional, UTF-8 or Shift_JIS).
    pub truth: PathBuf,
    /// Submission files (each a student's or team's; the file name is its name in the table).
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    /// Also print each submission's confusion matrix.
    #[arg(long)]
    pub confusion: bool,
}

/// `imagelab bench`.
#[derive(Args)]
#[command(after_help = "Example / 例:\n  imagelab bench --device cpu --device wgpu --steps 50")]
pub struct BenchArgs {
    /// Devices to measure, in order (repeat the flag).
    #[arg(long, value_enum, default_values_t = [Choice::Cpu, Choice::Auto])]
    pub device: Vec<Choice>,
    /// Timed steps per device.
    #[arg(long, default_value_t = 50)]
    pub steps: usize,
    /// Untimed warm-up steps first (shader compilation, caches).
    #[arg(long, default_value_t = 5)]
    pub warmup: usize,
    /// Batch size.
    #[arg(long, default_value_t = 64)]
    pub batch_size: usize,
}

/// Each input with its decoded photo, or why it could not be read.
type Photos = Vec<(Input, Result<image::RgbImage, Failure>)>;

fn photos(inputs: &[PathBuf], max_side: u32) -> Result<Photos, Failure> {
    Ok(images::inputs(inputs)?
        .into_iter()
        .map(|i| {
            let photo = load_photo(&i.path, max_side);
            (i, photo)
        })
        .collect())
}

/// Reports each failed input and returns the overall result: exit 1 when some failed, 3 when
/// all did.
fn finish(done: usize, failed: Vec<(Input, Failure)>) -> Result<(), Failure> {
    for (input, f) in &failed {
        eprintln!("{}:", input.path.display());
        f.print();
    }
    match (done, failed.len()) {
        (_, 0) => Ok(()),
        (0, n) => Err(Failure::input(format!("{n} 個のファイルがすべて失敗しました"), format!("all {n} files failed"))),
        (d, n) => Err(Failure::partial(format!("{d} 個を処理、{n} 個は失敗しました"), format!("{d} done, {n} failed"))),
    }
}

/// A value clap let through that the core does not know (clap lists the same names, so only a
/// mismatch between the two could bring it here).
fn unknown(flag: &str, value: &str) -> Failure {
    Failure::usage(format!("{flag} に {value} は使えません"), format!("{flag} does not take {value}"))
}

/// `imagelab filter`.
pub fn filter(a: FilterArgs) -> Result<(), Failure> {
    let filter = Filter::from_slug(&a.filter).ok_or_else(|| unknown("--filter", &a.filter))?;
    let border = border_from_slug(&a.border).ok_or_else(|| unknown("--border", &a.border))?;
    let custom = match (&a.kernel, filter) {
        (Some(k), Filter::Custom) => parse_kernel(k).map_err(|e| Failure::core("--kernel", &e))?,
        (None, Filter::Custom) => {
            return Err(Failure::usage("--filter custom には --kernel が必要です", "--filter custom needs --kernel"));
        }
        (Some(_), _) => {
            return Err(Failure::usage("--kernel は --filter custom のときだけ使えます", "--kernel is only for --filter custom"));
        }
        (None, _) => Kernel::mean(3),
    };
    let (mut done, mut failed) = (0, Vec::new());
    for (input, photo) in photos(&a.inputs, a.max_side)? {
        match photo.and_then(|p| {
            let rgba = filter.render(&p, border, &custom, a.colour);
            write_png(&a.out, &input.stem, p.width() as usize, p.height() as usize, rgba)
        }) {
            Ok(path) => {
                println!("{}", path.display());
                done += 1;
            }
            Err(f) => failed.push((input, f)),
        }
    }
    finish(done, failed)
}

/// `imagelab transform`.
pub fn transform(a: TransformArgs) -> Result<(), Failure> {
    let geo = Geo::from_slug(&a.op).ok_or_else(|| unknown("--op", &a.op))?;
    if geo == Geo::Crop && a.crop.is_none() {
        return Err(Failure::usage("--op crop には --crop x,y,幅,高さ が必要です", "--op crop needs --crop x,y,width,height"));
    }
    if !(a.angle.is_finite() && a.tx.is_finite() && a.ty.is_finite()) {
        return Err(Failure::usage("角度と移動量は有限の数にしてください", "angle and shifts must be finite numbers"));
    }
    if !(1..=2048).contains(&a.width) || !(1..=2048).contains(&a.height) {
        return Err(Failure::usage("幅と高さは 1〜2048 にしてください", "width and height must be 1–2048"));
    }
    let params = GeoParams {
        angle: a.angle,
        tx: a.tx,
        ty: a.ty,
        width: a.width,
        height: a.height,
        anti_aliasing: !a.no_anti_aliasing,
        crop: a.crop,
    };
    eprintln!("# {}", geo.code(&params));
    let (mut done, mut failed) = (0, Vec::new());
    for (input, photo) in photos(&a.inputs, a.max_side)? {
        let result = photo.and_then(|p| {
            if let Some((x, y, _, _)) = params.crop.filter(|_| geo == Geo::Crop)
                && (x >= p.width() as usize || y >= p.height() as usize)
            {
                return Err(Failure::usage(
                    format!("切り抜く範囲が画像（{}×{}）の外です", p.width(), p.height()),
                    format!("the crop lies outside the {}×{} image", p.width(), p.height()),
                ));
            }
            let (w, h, rgba) = geo.render(&p, &params);
            write_png(&a.out, &input.stem, w, h, rgba)
        });
        match result {
            Ok(path) => {
                println!("{}", path.display());
                done += 1;
            }
            Err(f) => failed.push((input, f)),
        }
    }
    finish(done, failed)
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: (&str, &str)) -> Result<T, Failure> {
    let bytes = images::read_limited(path, 10_000_000)?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Failure::usage(
            format!("{} は{}として読めません（{e}）", path.display(), what.0),
            format!("{} is not {} ({e})", path.display(), what.1),
        )
    })
}

/// `imagelab augment`.
pub fn augment(a: AugmentArgs) -> Result<(), Failure> {
    let pipeline = if a.pipeline == "digits" {
        Pipeline::digits()
    } else {
        read_json::<Pipeline>(Path::new(&a.pipeline), ("データ拡張の設定", "an augmentation pipeline"))?
    };
    pipeline.validate().map_err(|e| Failure::core("--pipeline", &e))?;
    let width = (a.count as usize).to_string().len().max(2);
    let (mut done, mut failed) = (0, Vec::new());
    let mut size = None;
    for (input, photo) in photos(&a.inputs, 0)? {
        let result = photo.and_then(|p| {
            let img = Image::from_hwc(p.width() as usize, p.height() as usize, 3, p.as_raw());
            let img = shrink(img, a.max_side as usize);
            size.get_or_insert((img.width(), img.height()));
            for (i, drawn) in preview(&img, &pipeline, a.seed, a.count as usize).into_iter().enumerate() {
                let stem = format!("{}_{:0width$}", input.stem, i + 1);
                let path = write_png(&a.out, &stem, drawn.width(), drawn.height(), drawn.to_rgba())?;
                println!("{}", path.display());
            }
            Ok(())
        });
        match result {
            Ok(()) => done += 1,
            Err(f) => failed.push((input, f)),
        }
    }
    if let Some((w, h)) = size {
        eprintln!("# torchvision:\n{}", pipeline.torchvision((h, w)));
    }
    finish(done, failed)
}

/// Scales an image so its long side is at most `side` (anti-aliased), as the augmentation lab
/// does with a photo; 0 keeps it.
fn shrink(img: Image, side: usize) -> Image {
    let (w, h) = (img.width(), img.height());
    if side == 0 || w.max(h) <= side {
        return img;
    }
    let scale = side as f32 / w.max(h) as f32;
    let (nw, nh) = (((w as f32 * scale).round() as usize).max(1), ((h as f32 * scale).round() as usize).max(1));
    Image { planes: img.planes.iter().map(|p| resize(p, nw, nh, true)).collect() }
}

/// `imagelab settings`.
pub fn settings(out: Option<PathBuf>) -> Result<(), Failure> {
    let json = serde_json::to_string_pretty(&TrainConfig::default())
        .map_err(|e| Failure::input(format!("設定を JSON にできません（{e}）"), format!("the settings cannot be written as JSON ({e})")))?;
    match out {
        Some(path) => std::fs::write(&path, json + "\n").map_err(|e| unwritable(&path, &e)),
        None => {
            println!("{json}");
            Ok(())
        }
    }
}

fn config_of(a: &TrainArgs) -> Result<TrainConfig, Failure> {
    let mut c = match (&a.settings, &a.url) {
        (Some(p), _) => read_json::<TrainConfig>(p, ("学習の設定", "training settings"))?,
        (None, Some(url)) => {
            let hash = url.split_once('#').map_or(url.as_str(), |(_, h)| h);
            let value = imagelab_core::session::share::parse_hash(hash)
                .1
                .ok_or_else(|| Failure::usage("--url に実験の設定（#/…?e=…）がありません", "--url holds no experiment (#/…?e=…)"))?;
            let e = imagelab_core::session::share::decode(value)
                .map_err(|why| Failure::usage(format!("--url: {}", why.text.ja), format!("--url: {}", why.text.en)))?;
            if let imagelab_core::session::share::DataRef::Local { name, size, channels } = &e.data {
                eprintln!(
                    "the link trains on the dataset “{name}” at {size}×{size}×{channels}: pass --size {size} --channels {channels} / \
                     リンクはデータセット「{name}」({size}×{size}×{channels}) 用です"
                );
            }
            e.config
        }
        (None, None) => TrainConfig::default(),
    };
    if let Some(m) = a.model {
        c.model = ModelSpec { output: c.model.output, ..m.spec() };
    }
    if let Some(o) = &a.output {
        c.model.output = if o == "sigmoid" {
            imagelab_core::nn::architecture::Output::Sigmoid
        } else {
            imagelab_core::nn::architecture::Output::Softmax
        };
    }
    if let Some(v) = a.epochs {
        c.epochs = v;
    }
    if let Some(v) = a.batch_size {
        c.batch_size = v;
    }
    if let Some(v) = a.lr {
        c.learning_rate = v;
    }
    if let Some(v) = &a.optimizer {
        c.optimizer = Optimizer::from_slug(v).ok_or_else(|| unknown("--optimizer", v))?;
    }
    if let Some(v) = a.weight_decay {
        c.weight_decay = v;
    }
    if let Some(v) = a.seed {
        c.seed = v;
    }
    if let Some(k) = a.kfold {
        c.validation = Validation::KFold { k };
    }
    if let Some(v) = a.validation_fraction {
        c.validation_fraction = v;
    }
    if let Some(slug) = &a.backbone {
        let backbone = BackboneId::from_slug(slug).ok_or_else(|| unknown("--backbone", slug))?;
        let fine_tune = a.unfreeze.filter(|&k| k > 0).map(|k| imagelab_core::nn::experiment::FineTune {
            blocks: k as usize,
            rate_divisor: a.unfrozen_rate_divisor.map_or(imagelab_core::nn::experiment::FineTune::default().rate_divisor, usize::from),
        });
        c.transfer = Some(Transfer { backbone, size: a.size as usize, fine_tune, ..Transfer::default() });
        c.model = ModelSpec { output: c.model.output, ..ModelSpec::transfer_head(a.hidden) };
    }
    c.validate().map_err(|e| Failure::core("", &e))?;
    Ok(c)
}

/// The backbone's features of every image (and augmented versions), with a progress bar; and
/// the SHA-256 of the backbone file used.
fn backbone_features(
    a: &TrainArgs,
    data: &imagelab_core::data::dataset::Dataset,
    config: &TrainConfig,
    t: Transfer,
    device: &Device,
) -> Result<(Arc<imagelab_core::nn::transfer::FeatureTable>, String), Failure> {
    let (net, sha256) = load_backbone(a.backbone_file.as_deref(), device)?;
    if sha256 != imagelab_core::nn::backbone::SHIPPED_SHA256 {
        eprintln!(
            "note / 注意: not the backbone the page ships (sha256 {sha256}); the page will not load a model trained on it / \
             ページの同梱版と違うバックボーンです"
        );
    }
    extract_features(&net, data, config, t, device, a.quiet).map(|table| (table, sha256))
}

/// The backbone file at `path` (default: the one the page ships, `www/models/`) loaded on
/// `device`, and its SHA-256.
fn load_backbone(path: Option<&Path>, device: &Device) -> Result<(imagelab_core::nn::backbone::EfficientNetLite0, String), Failure> {
    use imagelab_core::nn::backbone;
    let path = path
        .map(Path::to_path_buf)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/models").join(backbone::SHIPPED_FILE));
    let bytes = std::fs::read(&path).map_err(|e| crate::fail::unreadable(&path, &e))?;
    let net = backbone::load_burnpack(&bytes, &backbone::EfficientNetLite0Config::new(), device)
        .map_err(|e| Failure::core(&path.display().to_string(), &e))?;
    Ok((net, backbone::sha256_hex(&bytes)))
}

/// A transfer-learning model file's backbone, loaded and checked against the file's checksum.
fn backbone_for(
    meta: &ModelMeta,
    file: Option<&Path>,
    device: &Device,
) -> Result<Option<(imagelab_core::nn::backbone::EfficientNetLite0, usize)>, Failure> {
    let Some(b) = &meta.backbone else { return Ok(None) };
    let (net, sha256) = load_backbone(file, device)?;
    b.check(&sha256).map_err(|e| Failure::core("", &e))?;
    Ok(Some((net, b.size)))
}

/// Every image's backbone features (and augmented versions), with a progress bar.
fn extract_features(
    net: &imagelab_core::nn::backbone::EfficientNetLite0,
    data: &imagelab_core::data::dataset::Dataset,
    config: &TrainConfig,
    t: Transfer,
    device: &Device,
    quiet: bool,
) -> Result<Arc<imagelab_core::nn::transfer::FeatureTable>, Failure> {
    let t0 = Instant::now();
    let total = data.len() * t.versions(&config.augment);
    let bar = progress_bar(total, quiet);
    if let Ok(style) = ProgressStyle::with_template("features [{bar:30}] {pos}/{len} images, {eta} left") {
        bar.set_style(style);
    }
    let table = pollster::block_on(imagelab_core::nn::transfer::extract(net, data, &t, &config.augment, config.seed, device, |done, _| {
        bar.set_position(done as u64);
        async { true }
    }))
    .map_err(|e| Failure::core("", &e))?;
    bar.finish_and_clear();
    eprintln!(
        "features / 特徴: {} × {} images ({} version{} each) through {} at {}×{} in {:.1} s ({:.1} ms/image)",
        table.dim,
        table.images,
        table.draws,
        if table.draws == 1 { "" } else { "s" },
        t.backbone.slug(),
        t.size,
        t.size,
        t0.elapsed().as_secs_f64(),
        t0.elapsed().as_secs_f64() * 1000.0 / total.max(1) as f64
    );
    Ok(Arc::new(table))
}

fn progress_bar(total: usize, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} steps, {eta} left  {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// `imagelab train`.
pub fn train(a: TrainArgs) -> Result<(), Failure> {
    let config = config_of(&a)?;
    let t_load = Instant::now();
    let size = a.size as usize;
    let loaded = data::load(&a.data, size, size, a.channels.into())?;
    if a.data != BUILTIN {
        data::print_report(&loaded.report);
    }
    // The page's rule too: 2 classes, 2 images each (exit code 3, naming the short class).
    loaded.dataset.check_trainable().map_err(|e| Failure::core(&a.data, &e))?;
    let dataset = Arc::new(loaded.dataset);
    eprintln!(
        "data / データ: {} images, {} classes ({}), {}×{}×{}, loaded in {:.1} s{}",
        dataset.len(),
        dataset.num_classes(),
        dataset.class_names.join(", "),
        dataset.width,
        dataset.height,
        dataset.channels,
        t_load.elapsed().as_secs_f64(),
        if loaded.unlabelled > 0 { format!("; {} unlabelled test images left out", loaded.unlabelled) } else { String::new() },
    );
    let chosen = device::select(a.device)?;
    eprintln!("device / 装置: {} — {}", chosen.backend, chosen.detail);
    let features = match config.transfer {
        Some(t) => Some(backbone_features(&a, &dataset, &config, t, &chosen.device)?),
        None => None,
    };
    let folds = config.splits(&dataset.labels, dataset.num_classes()).map_err(|e| Failure::core("", &e))?.len();
    let mut results = Vec::new();
    let mut last_model = None;
    let t0 = Instant::now();
    for fold in 0..folds {
        let table = features.as_ref().map(|(table, _)| table.clone());
        let mut trainer =
            Trainer::for_fold_with(config.clone(), dataset.clone(), table, fold, &chosen.device).map_err(|e| Failure::core("", &e))?;
        let bar = progress_bar(trainer.total_steps(), a.quiet);
        if folds > 1 {
            bar.set_prefix(format!("fold {}/{folds}", fold + 1));
        }
        let start = Instant::now();
        while !trainer.is_finished() {
            let out = pollster::block_on(trainer.step(|| start.elapsed().as_secs_f64() * 1000.0)).map_err(|e| Failure::core("", &e))?;
            bar.inc(1);
            bar.set_message(format!("epoch {}/{} loss {:.4}", out.report.epoch, out.report.epochs, out.report.loss));
            if let Some(p) = out.point {
                let sample = p.val_sample.map(|n| format!(" (a sample of {n} / {n} 枚の見本)")).unwrap_or_default();
                let line = format!(
                    "epoch {:.2}: train loss {:.4} acc {:.3} | validation loss {:.4} acc {:.3}{sample}",
                    p.epoch, p.train_loss, p.train_accuracy, p.val_loss, p.val_accuracy
                );
                if a.quiet { eprintln!("{line}") } else { bar.println(line) }
            }
        }
        bar.finish_and_clear();
        let train_eval = pollster::block_on(trainer.evaluate(&trainer.split().train.clone())).map_err(|e| Failure::core("", &e))?;
        // A finished run was measured on all its validation images at its last step.
        let val = match trainer.current_evaluation() {
            Some(e) => e.clone(),
            None => pollster::block_on(trainer.evaluate(&trainer.split().validation.clone())).map_err(|e| Failure::core("", &e))?,
        };
        eprintln!(
            "{}building accuracy / 学習データの正解率 {:.4}, validation accuracy / 検証データの正解率 {:.4} ({:.1} s)",
            if folds > 1 { format!("fold {}: ", fold + 1) } else { String::new() },
            train_eval.accuracy,
            val.accuracy,
            start.elapsed().as_secs_f64()
        );
        results.push((train_eval.accuracy, val.accuracy));
        last_model = Some(trainer.model());
        if fold + 1 == folds {
            print_confusion(&dataset.class_names, &val.confusion);
        }
    }
    if folds > 1 {
        let (tm, ts) = mean_sd(&results.iter().map(|r| r.0).collect::<Vec<_>>()).unwrap_or_default();
        let (vm, vs) = mean_sd(&results.iter().map(|r| r.1).collect::<Vec<_>>()).unwrap_or_default();
        println!("{folds}-fold: building {tm:.4} ± {ts:.4}, validation {vm:.4} ± {vs:.4}");
    } else {
        println!("building {:.4}, validation {:.4}", results[0].0, results[0].1);
    }
    eprintln!("trained in / 学習時間 {:.1} s", t0.elapsed().as_secs_f64());
    if let (Some(path), Some(net)) = (&a.out, last_model) {
        let input = InputShape { channels: dataset.channels, height: dataset.height, width: dataset.width };
        let mut meta = ModelMeta::new(config.model.clone(), input, dataset.class_names.clone(), Some(config.clone()));
        if let (Some(t), Some((_, sha256))) = (config.transfer, &features) {
            meta = meta.with_backbone(modelfile::BackboneRef { id: t.backbone, sha256: sha256.clone(), size: t.size });
        }
        let bytes = pollster::block_on(modelfile::save(&net, &meta)).map_err(|e| Failure::core("", &e))?;
        std::fs::write(path, &bytes).map_err(|e| unwritable(path, &e))?;
        eprintln!("model / モデル: {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}

fn print_confusion(classes: &[String], m: &imagelab_core::nn::metrics::ConfusionMatrix) {
    let width = classes.iter().map(|c| c.chars().count()).max().unwrap_or(1).max(5);
    eprintln!("confusion matrix / 混同行列 (rows: truth 正解, columns: predicted 予測)");
    eprint!("{:>width$} ", "");
    for c in classes {
        eprint!("{c:>width$} ");
    }
    eprintln!();
    for (t, c) in classes.iter().enumerate() {
        eprint!("{c:>width$} ");
        for p in 0..classes.len() {
            eprint!("{:>width$} ", m.get(t, p));
        }
        eprintln!();
    }
}

fn load_model(path: &Path, device: &Device) -> Result<(imagelab_core::nn::model::Net, ModelMeta), Failure> {
    let bytes = images::read_limited(path, modelfile::MAX_FILE_BYTES as u64)?;
    modelfile::load(&bytes, device).map_err(|e| Failure::core(&path.display().to_string(), &e))
}

/// `imagelab predict`.
pub fn predict(a: PredictArgs) -> Result<(), Failure> {
    let chosen = device::select(a.device)?;
    let (net, meta) = load_model(&a.model, &chosen.device)?;
    let input = meta.input();
    let backbone = backbone_for(&meta, a.backbone_file.as_deref(), &chosen.device)?;
    let inputs = images::inputs(&a.images)?;
    let (mut rows, mut failed) = (Vec::new(), Vec::new());
    let mut names = competition::Names::default();
    for i in inputs {
        let name = i.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Err(why) = names.admit(&name) {
            failed.push((i, Failure::input(why.ja, why.en)));
            continue;
        }
        let result = images::read_limited(&i.path, images::MAX_FILE_BYTES).and_then(|bytes| {
            // Stored as an import stores it, then resized as training saw it.
            let stored = imagelab_core::data::import::prepare_for_storage(&bytes).map_err(|e| Failure::core("", &e))?;
            let px = imagelab_core::data::import::decode_resized(&stored.bytes, input.width, input.height, input.channels)
                .map_err(|e| Failure::core("", &e))?;
            let probs = match &backbone {
                Some((b, size)) => pollster::block_on(imagelab_core::nn::transfer::predict(
                    b,
                    &net,
                    *size,
                    (input.width, input.height, input.channels),
                    &[&px[..]],
                    &chosen.device,
                )),
                None => pollster::block_on(imagelab_core::nn::inspect::predict(&net, input, &px, &chosen.device)),
            }
            .map_err(|e| Failure::core("", &e))?;
            let best = imagelab_core::nn::metrics::argmax(&probs);
            Ok(competition::label(&meta.class_names, best))
        });
        match result {
            Ok(label) => rows.push((name, label)),
            Err(f) => failed.push((i, f)),
        }
    }
    let delimiter = if a.tsv { Delimiter::Tab } else { Delimiter::Comma };
    let text = competition::write_submission(&rows, delimiter, !a.no_header);
    match &a.out {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| unwritable(path, &e))?;
            eprintln!("{} predictions → {}", rows.len(), path.display());
        }
        None => print!("{text}"),
    }
    finish(rows.len(), failed)
}

/// `imagelab evaluate`.
pub fn evaluate(a: EvaluateArgs) -> Result<(), Failure> {
    let chosen = device::select(a.device)?;
    let (net, meta) = load_model(&a.model, &chosen.device)?;
    let input = meta.input();
    let loaded = data::load(&a.data, input.width, input.height, input.channels)?;
    let data = Arc::new(loaded.dataset);
    // Transfer learning: the features of the plain images through the backbone the file names.
    let features = match (backbone_for(&meta, a.backbone_file.as_deref(), &chosen.device)?, &meta.training) {
        (Some((backbone, _)), Some(training)) => {
            let plain = TrainConfig { augment: Pipeline::default(), ..training.clone() };
            let t = training.transfer.ok_or_else(|| {
                Failure::input(
                    "このモデルファイルは学習済みネットワークを使うのに、転移学習の設定がありません",
                    "this model file names a backbone but its settings have no transfer learning",
                )
            })?;
            Some(extract_features(&backbone, &data, &plain, t, &chosen.device, true)?)
        }
        _ => None,
    };
    let evaluation = pollster::block_on(imagelab_core::nn::train::evaluate_loaded(
        &net,
        &meta,
        data.clone(),
        TrainConfig::default(),
        features,
        &chosen.device,
    ))
    .map_err(|e| Failure::core(&a.model.display().to_string(), &e))?;
    let layers = meta.architecture.layers.len();
    eprintln!(
        "model / モデル: {layers} layers + output, input {}×{}×{}, classes {}",
        input.height,
        input.width,
        input.channels,
        meta.class_names.join(", ")
    );
    print_confusion(&data.class_names, &evaluation.confusion);
    println!("validation {:.4} ({} images)", evaluation.accuracy, evaluation.confusion.total());
    Ok(())
}

/// `imagelab score`.
pub fn score(a: ScoreArgs) -> Result<(), Failure> {
    let read = |p: &Path| -> Result<imagelab_core::data::import::LabelTable, Failure> {
        let bytes = images::read_limited(p, 50_000_000)?;
        parse_labels(&bytes).map_err(|e| Failure::core(&p.display().to_string(), &e))
    };
    let truth = read(&a.truth)?;
    for problem in &truth.problems {
        eprintln!("{}: {} / {}", a.truth.display(), problem.ja, problem.en);
    }
    let mut entries: Vec<(String, Score)> = Vec::new();
    let mut failed = Vec::new();
    for p in &a.submissions {
        let name = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        match read(p) {
            Ok(sub) => entries.push((name, competition::score(&truth, &sub))),
            Err(f) => failed.push((Input { path: p.clone(), stem: name }, f)),
        }
    }
    let order = competition::ranking(&entries);
    let width = entries.iter().map(|(n, _)| n.chars().count()).max().unwrap_or(4).max(10);
    println!("{:>4}  {:<width$}  {:>8}  {:>9}  {:>7}  {:>7}", "rank", "submission", "accuracy", "correct", "missing", "unknown");
    let mut rank = 0;
    let mut previous = None;
    for (position, &i) in order.iter().enumerate() {
        let (name, s) = &entries[i];
        // Equal accuracies share a rank.
        if previous != Some(s.accuracy) {
            rank = position + 1;
            previous = Some(s.accuracy);
        }
        println!(
            "{rank:>4}  {name:<width$}  {:>8.4}  {:>9}  {:>7}  {:>7}",
            s.accuracy,
            format!("{}/{}", s.correct, s.total),
            s.missing.len(),
            s.unknown.len()
        );
    }
    if a.confusion {
        for &i in &order {
            println!("\n{}", entries[i].0);
            print_confusion(&entries[i].1.classes, &entries[i].1.confusion);
        }
    }
    finish(entries.len(), failed)
}

/// `imagelab bench`: ms per training step of the reference CNN on the built-in digits (batch 64
/// of 28×28, Adam, the loss read back every step), median of `steps` after `warmup`.
pub fn bench(a: BenchArgs) -> Result<(), Failure> {
    let data = Arc::new(data::digits()?);
    let config =
        TrainConfig { model: reference_cnn(), batch_size: a.batch_size, epochs: 1000, evals_per_epoch: 1, ..TrainConfig::default() };
    config.validate().map_err(|e| Failure::core("", &e))?;
    println!("Reference CNN (conv8→pool→conv16→pool→dense10), batch {} of 28×28, Adam, loss read every step", a.batch_size);
    println!("{:<8} {:<48} {:>10} {:>10} {:>8}", "device", "detail", "ms/step", "steps/s", "steps");
    let mut unavailable = None;
    let mut measured = 0;
    for choice in &a.device {
        let chosen = match device::select(*choice) {
            Ok(c) => c,
            Err(f) => {
                f.print();
                unavailable = Some(f);
                continue;
            }
        };
        measured += 1;
        let mut trainer = Trainer::new(config.clone(), data.clone(), &chosen.device).map_err(|e| Failure::core("", &e))?;
        let mut times = Vec::new();
        let clock = Instant::now();
        for i in 0..a.warmup + a.steps {
            let out = pollster::block_on(trainer.step(|| clock.elapsed().as_secs_f64() * 1000.0)).map_err(|e| Failure::core("", &e))?;
            if i >= a.warmup {
                times.push(out.report.train_ms);
            }
        }
        times.sort_by(f64::total_cmp);
        let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
        let detail: String = chosen.detail.chars().take(48).collect();
        println!("{:<8} {:<48} {:>10.2} {:>10.1} {:>8}", chosen.backend, detail, median, 1000.0 / median, times.len());
    }
    // No device could be measured: the device error's exit code (4).
    match (measured, unavailable) {
        (0, Some(f)) => Err(f),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_cnn_is_the_issues() {
        let s = reference_cnn()
            .summary(imagelab_core::nn::architecture::Shape::Image(InputShape { channels: 1, height: 28, width: 28 }), 10)
            .unwrap();
        // conv 8 (80) → pool → conv 16 (1,168) → pool → flatten 784 → dense 10 (7,850).
        assert_eq!(s.iter().map(|l| l.params).sum::<usize>(), 80 + 1168 + 7850);
    }

    #[test]
    fn rectangles_parse() {
        assert_eq!(parse_rect("1,2,3,4"), Ok((1, 2, 3, 4)));
        assert!(parse_rect("1,2,0,4").is_err());
        assert!(parse_rect("1,2,3").is_err());
    }
}
