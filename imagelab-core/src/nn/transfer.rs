//! 転移学習 with a frozen backbone (issue #19): every image goes through the pretrained
//! EfficientNet-Lite0 once, its 1280 pooled features are kept in a [`FeatureTable`], and only a
//! new head (a small [`Net`]) is trained on them — Teachable Machine's way, in seconds.
//!
//! With augmentation on, each image also gets `draws` augmented versions (the experiment's
//! pipeline applied at the image's own size, then resized), each with its features; every epoch
//! a training image is seen as one of them, picked by the run's seed. Validation always uses
//! the plain image (draw 0).
//!
//! The backbone never enters the autodiff graph, so its weights cannot change: training the head
//! is [`crate::nn::train::Trainer`] on the table instead of pixels.

use crate::data::augment::{Image, Pipeline, image_rng};
use crate::data::dataset::Dataset;
use crate::error::CoreError;
use crate::images::geometry::resize;
use crate::nn::architecture::InputShape;
use crate::nn::backbone::{EfficientNetLite0, normalise};
use crate::nn::experiment::Transfer;
use crate::nn::model::Net;
use burn::prelude::*;

/// Images per backbone forward pass while extracting.
pub const EXTRACT_BATCH: usize = 8;

/// What the frozen backbone gives for every image of a dataset, plain (draw 0) and augmented
/// (draws 1…), row-major: `values[(draw * images + image) * dim ..][.. dim]`. With the backbone
/// all frozen, the pooled features; when fine-tuning, the input of the first unfrozen block
/// (a small map: 320 × 5 × 5 at 160 px for the head convolution alone), with the weights of the
/// unfrozen blocks to start from.
#[derive(Clone, Debug)]
pub struct FeatureTable {
    /// Length of one row (`shape`'s values).
    pub dim: usize,
    /// Images in the dataset.
    pub images: usize,
    /// Versions per image: 1 plain + the augmented ones.
    pub draws: usize,
    values: Vec<f32>,
    /// One row as channels × height × width.
    shape: InputShape,
    /// Fine-tuning: the pretrained unfrozen blocks the training starts from.
    start: Option<crate::nn::backbone::Tail>,
}

impl PartialEq for FeatureTable {
    /// Equal rows (the starting weights are not compared).
    fn eq(&self, other: &Self) -> bool {
        (self.dim, self.images, self.draws, self.shape) == (other.dim, other.images, other.draws, other.shape)
            && self.values == other.values
    }
}

impl FeatureTable {
    /// A table from its values.
    ///
    /// # Errors
    /// [`CoreError::BadDataset`] when the count does not fit `dim × images × draws`.
    pub fn new(dim: usize, images: usize, draws: usize, values: Vec<f32>) -> Result<Self, CoreError> {
        Self::of_maps(InputShape { channels: dim, height: 1, width: 1 }, images, draws, values, None)
    }

    /// A table whose rows are maps of `shape`, with the unfrozen blocks' starting weights
    /// when fine-tuning.
    ///
    /// # Errors
    /// [`CoreError::BadDataset`] when the count does not fit `shape × images × draws`.
    pub fn of_maps(
        shape: InputShape,
        images: usize,
        draws: usize,
        values: Vec<f32>,
        start: Option<crate::nn::backbone::Tail>,
    ) -> Result<Self, CoreError> {
        let dim = shape.channels * shape.height * shape.width;
        if dim == 0 || draws == 0 || values.len() != dim * images * draws {
            return Err(CoreError::dataset(
                format!("特徴の値 {} 個は {images} 枚 × {draws} 回 × {dim} に合いません", values.len()),
                format!("{} feature values for {images} images × {draws} draws × {dim}", values.len()),
            ));
        }
        Ok(FeatureTable { dim, images, draws, values, shape, start })
    }

    /// The pretrained unfrozen blocks fine-tuning starts from (none when all is frozen).
    pub fn start(&self) -> Option<&crate::nn::backbone::Tail> {
        self.start.as_ref()
    }

    /// The features of `image` in version `draw` (0 = plain).
    ///
    /// # Panics
    /// If either is out of range.
    pub fn row(&self, draw: usize, image: usize) -> &[f32] {
        assert!(draw < self.draws && image < self.images, "draw {draw}, image {image}");
        let at = (draw * self.images + image) * self.dim;
        &self.values[at..at + self.dim]
    }

    /// What the network takes: the feature vector as `dim` channels of 1×1, or the maps.
    pub fn input(&self) -> InputShape {
        self.shape
    }

    /// The version of training image `image` seen in `epoch` (1-based): 0 without augmented
    /// draws, else one of 1…draws−1, drawn from the run's `seed`.
    pub fn draw_for(&self, seed: u64, epoch: usize, image: usize) -> usize {
        if self.draws == 1 {
            return 0;
        }
        let mut rng = image_rng(seed ^ 0x74_7261_6E73, epoch as u64, image as u64);
        1 + rng.below(self.draws - 1)
    }
}

/// The backbone's input for one image: each channel resized to `size`×`size` (bilinear,
/// anti-aliased when shrinking, as the image lab resizes), a grayscale image repeated into R, G
/// and B, values clamped to 0…255 and normalised ([`crate::nn::backbone::normalise`]); channels first.
pub fn backbone_input(img: &Image, size: usize, out: &mut Vec<f32>) {
    let planes: Vec<_> = img.planes.iter().map(|p| resize(p, size, size, true)).collect();
    for c in 0..3 {
        let p = &planes[c.min(planes.len() - 1)];
        out.extend(p.data.iter().map(|v| normalise(v.clamp(0.0, 255.0))));
    }
}

/// The version `draw` of image `i` of `data`: plain for 0, else the pipeline applied with the
/// run's seed (the same image every time for the same draw).
fn version(data: &Dataset, i: usize, draw: usize, pipeline: &Pipeline, seed: u64) -> Image {
    let img = Image::from_hwc(data.width, data.height, data.channels, data.image(i));
    if draw == 0 { img } else { pipeline.apply(&img, &mut image_rng(seed ^ 0x6472_6177, draw as u64, i as u64)) }
}

/// A tensor's values read back as f32 (async: WebGPU reads must be).
async fn values<const D: usize>(t: Tensor<D>) -> Result<Vec<f32>, CoreError> {
    t.into_data_async()
        .await
        .map_err(|e| CoreError::Device(format!("{e:?}")))?
        .convert::<f32>()
        .try_to_vec::<f32>()
        .map_err(|e| CoreError::Device(format!("{e:?}")))
}

/// What stays fixed for the images `inputs` (already [`backbone_input`]s, `n` of them) when
/// the last `unfrozen` blocks train ([`EfficientNetLite0::forward_until`]), read back.
async fn features(
    net: &EfficientNetLite0,
    inputs: Vec<f32>,
    n: usize,
    size: usize,
    unfrozen: usize,
    device: &Device,
) -> Result<Vec<f32>, CoreError> {
    let x = Tensor::<4>::from_data(TensorData::new(inputs, [n, 3, size, size]), device);
    values(net.forward_until(x, unfrozen)).await
}

/// Runs every image of `data` (and its augmented versions, see [`draws`]) through the frozen
/// backbone, [`EXTRACT_BATCH`] at a time, calling `progress(done, total)` after each batch
/// (awaiting its future, so a worker can post it and see a Stop message).
///
/// # Errors
/// [`CoreError::Device`] when a read-back fails; [`CoreError::BadSetting`] `stopped` when
/// `progress` answers `false` (the student pressed stop).
pub async fn extract<F, Fut>(
    net: &EfficientNetLite0,
    data: &Dataset,
    transfer: &Transfer,
    pipeline: &Pipeline,
    seed: u64,
    device: &Device,
    mut progress: F,
) -> Result<FeatureTable, CoreError>
where
    F: FnMut(usize, usize) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let draws = transfer.versions(pipeline);
    let n = data.len();
    let total = n * draws;
    let unfrozen = transfer.unfrozen();
    let [channels, height, width] = crate::nn::lite0::boundary(transfer.size, unfrozen);
    let shape = InputShape { channels, height, width };
    let mut values = Vec::with_capacity(total * channels * height * width);
    let jobs: Vec<(usize, usize)> = (0..draws).flat_map(|d| (0..n).map(move |i| (d, i))).collect();
    let size = transfer.size;
    let mut done = 0;
    for chunk in jobs.chunks(EXTRACT_BATCH) {
        let mut inputs = Vec::with_capacity(chunk.len() * 3 * size * size);
        for &(d, i) in chunk {
            backbone_input(&version(data, i, d, pipeline, seed), size, &mut inputs);
        }
        values.extend(features(net, inputs, chunk.len(), size, unfrozen, device).await?);
        done += chunk.len();
        if !progress(done, total).await {
            return Err(CoreError::setting("stopped", "特徴の計算中に停止しました", "stopped while computing features"));
        }
    }
    FeatureTable::of_maps(shape, n, draws, values, (unfrozen > 0).then(|| net.tail(unfrozen)))
}

/// Class scores of a transfer-learning model (`head`, with its fine-tuned blocks if any) for images given as 8-bit HWC pixels of
/// `(width, height, channels)`: backbone features, then the head, [`EXTRACT_BATCH`] images at a
/// time; the scores of all images one after another.
///
/// # Errors
/// [`CoreError::Device`] when a read-back fails.
pub async fn predict(
    backbone: &EfficientNetLite0,
    head: &Net,
    size: usize,
    (width, height, channels): (usize, usize, usize),
    images: &[&[u8]],
    device: &Device,
) -> Result<Vec<f32>, CoreError> {
    // EXTRACT_BATCH at a time: the backbone's activations take megabytes per image, and a
    // competition's test set may hold hundreds.
    let mut out = Vec::new();
    for chunk in images.chunks(EXTRACT_BATCH) {
        let mut inputs = Vec::with_capacity(chunk.len() * 3 * size * size);
        for px in chunk {
            backbone_input(&Image::from_hwc(width, height, channels, px), size, &mut inputs);
        }
        let x = Tensor::<4>::from_data(TensorData::new(inputs, [chunk.len(), 3, size, size]), device);
        out.extend(values(head.forward(backbone.forward_until(x, head.unfrozen()))).await?);
    }
    Ok(out)
}

/// The middle square of `img` (the longer side cut evenly on both ends): how a photo is shown to
/// an ImageNet network.
pub fn centre_square(img: &Image) -> Image {
    let (w, h) = (img.planes[0].width, img.planes[0].height);
    let s = w.min(h);
    let (x0, y0) = ((w - s) / 2, (h - s) / 2);
    let planes = img
        .planes
        .iter()
        .map(|p| {
            let data = (0..s).flat_map(|y| p.data[(y0 + y) * w + x0..(y0 + y) * w + x0 + s].iter().copied()).collect();
            crate::images::filter::Plane::new(s, s, data)
        })
        .collect();
    Image { planes }
}

/// "What does the pretrained network see?": the `k` most probable of ImageNet's 1,000 classes
/// for a photo (its middle square at `size`×`size`), with their softmax probabilities, most
/// probable first.
///
/// # Errors
/// [`CoreError::Device`] when a read-back fails.
pub async fn imagenet_top(
    net: &EfficientNetLite0,
    img: &Image,
    size: usize,
    k: usize,
    device: &Device,
) -> Result<Vec<(usize, f32)>, CoreError> {
    let mut input = Vec::with_capacity(3 * size * size);
    backbone_input(&centre_square(img), size, &mut input);
    let x = Tensor::<4>::from_data(TensorData::new(input, [1, 3, size, size]), device);
    let p = values(burn::tensor::activation::softmax(net.forward(x), 1)).await?;
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
    Ok(order.into_iter().take(k).map(|i| (i, p[i])).collect())
}

/// Blocks after which [`inspect`] keeps feature maps (0-based): the first, and the ends of the
/// next two stages — early enough that the maps still look like the photo.
pub const INSPECTED_BLOCKS: [usize; 3] = [0, 2, 4];

/// Looking inside a transfer-learning model for one image (HWC `pixels` of `(width, height,
/// channels)`): the class probabilities through backbone and head, the backbone's first
/// convolution (32 RGB filters, 3×3: pretrained filters look like edges and colour blobs), and
/// the feature maps of the stem and of the blocks in [`INSPECTED_BLOCKS`]. A map layer's number
/// is its row in [`crate::nn::lite0::rows`] (0 = the stem).
///
/// # Errors
/// [`CoreError::BadDataset`] when the pixels do not fit the size; [`CoreError::Device`] when a
/// read-back fails.
pub async fn inspect(
    backbone: &EfficientNetLite0,
    head: &Net,
    size: usize,
    (width, height, channels): (usize, usize, usize),
    index: usize,
    pixels: &[u8],
    device: &Device,
) -> Result<crate::session::protocol::Inspection, CoreError> {
    use crate::session::protocol::{Inspection, MapLayer};
    if pixels.len() != width * height * channels || !(channels == 1 || channels == 3) {
        return Err(CoreError::dataset(
            format!("{} 個の値は {height}×{width}×{channels} の画像 1 枚分ではありません", pixels.len()),
            format!("{} values for a {height}×{width}×{channels} image", pixels.len()),
        ));
    }
    async fn planes(t: Tensor<4>, max: usize) -> Result<Vec<crate::images::filter::Plane>, CoreError> {
        let [n, c, h, w] = t.dims();
        let v = values(t).await?;
        Ok(v.chunks_exact(h * w).take((n * c).min(max)).map(|p| crate::images::filter::Plane::new(w, h, p.to_vec())).collect())
    }
    let mut input = Vec::with_capacity(3 * size * size);
    backbone_input(&Image::from_hwc(width, height, channels, pixels), size, &mut input);
    let mut x =
        burn::tensor::activation::relu6(backbone.stem.forward(Tensor::<4>::from_data(TensorData::new(input, [1, 3, size, size]), device)));
    let mut layers = vec![MapLayer { layer: 0, maps: planes(x.clone(), crate::nn::inspect::MAX_MAPS).await? }];
    let last = INSPECTED_BLOCKS[INSPECTED_BLOCKS.len() - 1];
    for (i, block) in backbone.blocks.iter().enumerate().take(last + 1) {
        x = block.forward(x);
        if INSPECTED_BLOCKS.contains(&i) {
            layers.push(MapLayer { layer: i + 1, maps: planes(x.clone(), crate::nn::inspect::MAX_MAPS).await? });
        }
    }
    let filters = planes(backbone.stem.conv.weight.val(), 32 * 3).await?;
    let logits = predict(backbone, head, size, (width, height, channels), &[pixels], device).await?;
    Ok(Inspection { index, probabilities: crate::nn::metrics::softmax(&logits), filters, filter_channels: 3, layers })
}
