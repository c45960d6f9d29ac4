//! Labelled image datasets, kept as raw 8-bit pixels.
//!
//! A [`Dataset`] holds `len()` images of one size, `channels` values per pixel (1 = grayscale,
//! 3 = RGB), row-major, channel-last, 0 = black … 255 = white — the students' "an image is a
//! matrix" picture, stored as it is.
//!
//! The built-in digits ship as a PNG sprite plus a label file (see `scripts/pack-digits.mjs`):
//! [`Dataset::from_sprite_png`] cuts them out.

use crate::error::CoreError;
use image::ImageReader;
use serde::{Deserialize, Serialize};
use std::io::Cursor;

/// The largest decoded sprite we accept, in bytes. Guards against decompression bombs.
pub const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;

/// Labelled images of one size.
// `Eq` lets `Rc<Dataset>` compare by pointer first (Yew compares props on every render).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dataset {
    /// Width of every image, in pixels.
    pub width: usize,
    /// Height of every image, in pixels.
    pub height: usize,
    /// Values per pixel: 1 (grayscale) or 3 (RGB).
    pub channels: usize,
    /// All images, one after another, each `height * width * channels` bytes (HWC order).
    pub pixels: Vec<u8>,
    /// The class index of each image.
    pub labels: Vec<usize>,
    /// The class names, indexed by label.
    pub class_names: Vec<String>,
}

impl Dataset {
    /// Checks that sizes and labels are consistent and returns the dataset.
    ///
    /// # Errors
    /// [`CoreError::BadDataset`] when the pixel count, labels or class names disagree.
    pub fn new(
        width: usize,
        height: usize,
        channels: usize,
        pixels: Vec<u8>,
        labels: Vec<usize>,
        class_names: Vec<String>,
    ) -> Result<Self, CoreError> {
        if width == 0 || height == 0 {
            return Err(CoreError::dataset("画像の大きさが 0 です", "image size is zero"));
        }
        if channels != 1 && channels != 3 {
            return Err(CoreError::dataset(
                format!("チャンネル数が {channels} です（1 か 3 のはずです）"),
                format!("{channels} channels (expected 1 or 3)"),
            ));
        }
        let per_image = width * height * channels;
        if pixels.len() != per_image * labels.len() {
            let (n, images) = (pixels.len(), labels.len());
            return Err(CoreError::dataset(
                format!("画素の値 {n} 個は {width}×{height}×{channels} の画像 {images} 枚分ではありません"),
                format!("{n} pixel values for {images} images of {width}×{height}×{channels}"),
            ));
        }
        if class_names.is_empty() {
            return Err(CoreError::dataset("クラスがありません", "no classes"));
        }
        if let Some(bad) = labels.iter().find(|&&l| l >= class_names.len()) {
            let n = class_names.len();
            return Err(CoreError::dataset(
                format!("ラベル {bad} がありますが、クラスは {n} 個です"),
                format!("label {bad} but only {n} classes"),
            ));
        }
        Ok(Dataset { width, height, channels, pixels, labels, class_names })
    }

    /// Cuts a grayscale sprite (images in rows, left to right, top to bottom, each
    /// `cell`×`cell` pixels) into a dataset; `labels` holds one byte per image.
    ///
    /// # Errors
    /// [`CoreError::ImageDecode`] for a PNG that does not decode (or decodes to more than
    /// [`MAX_DECODED_BYTES`]); [`CoreError::BadDataset`] when the labels do not fit the sprite.
    pub fn from_sprite_png(png: &[u8], labels: &[u8], cell: usize, class_names: Vec<String>) -> Result<Self, CoreError> {
        if cell == 0 {
            return Err(CoreError::dataset("マスの大きさが 0 です", "cell size is zero"));
        }
        let mut reader = ImageReader::with_format(Cursor::new(png), image::ImageFormat::Png);
        let mut limits = image::Limits::default();
        limits.max_alloc = Some(MAX_DECODED_BYTES);
        reader.limits(limits);
        let sprite = reader.decode().map_err(|e| CoreError::ImageDecode(e.to_string()))?.into_luma8();
        let (sw, sh) = (sprite.width() as usize, sprite.height() as usize);
        let cols = sw / cell;
        let rows = sh / cell;
        if cols == 0 || labels.len() > cols * rows {
            let (n, held) = (labels.len(), cols * rows);
            return Err(CoreError::dataset(
                format!("ラベルは {n} 個ですが、{sw}×{sh} の画像には {cell}×{cell} の画像が {held} 枚しかありません"),
                format!("{n} labels but the {sw}×{sh} sprite holds {held} images of {cell}×{cell}"),
            ));
        }
        let raw = sprite.as_raw();
        let mut pixels = Vec::with_capacity(labels.len() * cell * cell);
        for n in 0..labels.len() {
            let (x0, y0) = ((n % cols) * cell, (n / cols) * cell);
            for y in y0..y0 + cell {
                pixels.extend_from_slice(&raw[y * sw + x0..y * sw + x0 + cell]);
            }
        }
        let labels = labels.iter().map(|&l| l as usize).collect();
        Dataset::new(cell, cell, 1, pixels, labels, class_names)
    }

    /// The number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The number of classes.
    pub fn num_classes(&self) -> usize {
        self.class_names.len()
    }

    /// Whether a network can be trained on it ([`trainable`]).
    ///
    /// # Errors
    /// As [`trainable`].
    pub fn check_trainable(&self) -> Result<(), CoreError> {
        trainable(&self.labels, &self.class_names)
    }

    /// Bytes per image.
    pub fn image_len(&self) -> usize {
        self.width * self.height * self.channels
    }

    /// The pixels of image `i` (HWC).
    ///
    /// # Panics
    /// If `i >= len()`.
    pub fn image(&self, i: usize) -> &[u8] {
        let n = self.image_len();
        &self.pixels[i * n..(i + 1) * n]
    }

    /// How many images each class has.
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.num_classes()];
        for &l in &self.labels {
            counts[l] += 1;
        }
        counts
    }

    /// The images at `indices` as CHW floats in `[0, 1]`, one after another — the network's
    /// input layout.
    pub fn to_chw_f32(&self, indices: &[usize]) -> Vec<f32> {
        let (w, h, c) = (self.width, self.height, self.channels);
        let mut out = Vec::with_capacity(indices.len() * self.image_len());
        for &i in indices {
            let img = self.image(i);
            for ch in 0..c {
                for y in 0..h {
                    for x in 0..w {
                        out.push(img[(y * w + x) * c + ch] as f32 / 255.0);
                    }
                }
            }
        }
        out
    }

    /// The names "0" … "9", for the built-in digits.
    pub fn digit_class_names() -> Vec<String> {
        (0..10).map(|d| d.to_string()).collect()
    }
}

/// The rule for training on a dataset, shared by the page (before it converts any photo) and the
/// command line: at least 2 classes, each with 2 or more images (`labels[i]` is image i's class
/// in `class_names`; a class with no image counts as absent). With fewer, a split cannot put a
/// class on both sides and "accuracy" means nothing.
///
/// # Errors
/// [`CoreError::NotEnoughData`] naming the first class that is short, in both languages.
pub fn trainable(labels: &[usize], class_names: &[String]) -> Result<(), CoreError> {
    let counts: Vec<usize> = (0..class_names.len()).map(|c| labels.iter().filter(|&&l| l == c).count()).collect();
    let rule =
        ("学習には 2 クラス以上、各クラスに 2 枚以上の画像が必要です。", "Training needs at least 2 classes with 2 or more images each.");
    let with_images = counts.iter().filter(|&&n| n > 0).count();
    if with_images < 2 {
        return Err(CoreError::NotEnoughData(crate::i18n::Text::new(
            format!("画像のあるクラスが {with_images} 個だけです。{}", rule.0),
            format!("only {with_images} class(es) have images. {}", rule.1),
        )));
    }
    if let Some((name, &n)) = class_names.iter().zip(&counts).find(|(_, n)| **n == 1) {
        return Err(CoreError::NotEnoughData(crate::i18n::Text::new(
            format!("クラス「{name}」の画像が {n} 枚だけです。{}", rule.0),
            format!("class “{name}” has only {n} image. {}", rule.1),
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, ImageEncoder, codecs::png::PngEncoder};

    #[test]
    fn training_needs_two_classes_of_two_images() {
        let names: Vec<String> = ["coin", "button", "empty"].iter().map(|s| s.to_string()).collect();
        assert!(trainable(&[0, 0, 1, 1], &names).is_ok(), "an empty class is absent, not short");
        let e = trainable(&[0, 0, 0], &names).unwrap_err().text();
        assert_eq!(e.en, "Not enough data: only 1 class(es) have images. Training needs at least 2 classes with 2 or more images each.");
        let e = trainable(&[0, 0, 1], &names).unwrap_err().text();
        assert_eq!(
            e.ja,
            "データが足りません: クラス「button」の画像が 1 枚だけです。学習には 2 クラス以上、各クラスに 2 枚以上の画像が必要です。"
        );
        assert!(trainable(&[], &[]).is_err());
    }

    fn png_of(img: &GrayImage) -> Vec<u8> {
        let mut out = Vec::new();
        PngEncoder::new(&mut out).write_image(img.as_raw(), img.width(), img.height(), image::ExtendedColorType::L8).unwrap();
        out
    }

    #[test]
    fn sprite_is_cut_row_by_row() {
        // A 2×2-cell sprite of 3 columns, 2 rows: cell n is filled with value n*10.
        let img = GrayImage::from_fn(6, 4, |x, y| {
            let n = (y / 2) * 3 + x / 2;
            image::Luma([(n * 10) as u8])
        });
        let ds = Dataset::from_sprite_png(&png_of(&img), &[0, 1, 0, 1, 0], 2, vec!["a".into(), "b".into()]).unwrap();
        assert_eq!(ds.len(), 5);
        assert_eq!(ds.image(0), &[0, 0, 0, 0]);
        assert_eq!(ds.image(4), &[40, 40, 40, 40]);
        assert_eq!(ds.class_counts(), vec![3, 2]);
    }

    #[test]
    fn corrupt_png_is_an_error_not_a_panic() {
        let err = Dataset::from_sprite_png(b"\x89PNG not really", &[0], 28, vec!["a".into()]).unwrap_err();
        assert!(matches!(err, CoreError::ImageDecode(_)));
        assert!(err.message(crate::Lang::Ja).contains("画像を読み込めません"));
    }

    #[test]
    fn too_many_labels_is_an_error() {
        let img = GrayImage::new(4, 4);
        let err = Dataset::from_sprite_png(&png_of(&img), &[0; 5], 2, vec!["a".into()]).unwrap_err();
        assert!(matches!(err, CoreError::BadDataset(_)));
    }

    #[test]
    fn labels_out_of_range_are_rejected() {
        let err = Dataset::new(1, 1, 1, vec![0, 0], vec![0, 2], vec!["a".into(), "b".into()]).unwrap_err();
        assert!(matches!(err, CoreError::BadDataset(_)));
    }

    #[test]
    fn chw_conversion_reorders_channels() {
        // One 2×1 RGB image: pixel0 = (255,0,0), pixel1 = (0,255,0).
        let ds = Dataset::new(2, 1, 3, vec![255, 0, 0, 0, 255, 0], vec![0], vec!["x".into()]).unwrap();
        assert_eq!(ds.to_chw_f32(&[0]), vec![1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    }
}
