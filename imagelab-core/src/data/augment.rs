//! データ拡張 (data augmentation): random changes to a training image that keep its class —
//! a digit rotated 10° is still that digit — so the network sees more varied examples and
//! overfits less.
//!
//! A [`Pipeline`] is an ordered list of [`Step`]s; each step applies one [`Aug`] with its own
//! probability and draws its random parameters from the generator it is given. Randomness is
//! injected, never global: [`Pipeline::apply`] with a generator from the same seed gives the same
//! image, on every platform, so the preview grid and a shared experiment repeat exactly.
//!
//! During training, image `i` of epoch `e` is augmented with [`image_rng`]`(seed, e, i)`: its
//! draws depend on nothing else (not on batch order, not on the device), and a new epoch brings
//! new draws. Validation and test images are never augmented.
//!
//! Each augmentation names the torchvision line that does the same ([`Aug::torchvision`]), the
//! way the image lab names NumPy / scikit-image.

use crate::error::CoreError;
use crate::i18n::Text;
use crate::images::color::equalize;
use crate::images::filter::{Border, Kernel, Plane, convolve};
use crate::images::geometry::{flip_horizontal, flip_vertical, resize};
use crate::rng::SplitMix64;
use serde::{Deserialize, Serialize};

/// An image as one plane per channel (1 = grayscale, 3 = RGB), values on the 0–255 scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    /// The channels, all of one size.
    pub planes: Vec<Plane>,
}

impl Image {
    /// An image from interleaved 8-bit pixels (HWC, as [`crate::data::dataset::Dataset`] keeps them).
    ///
    /// # Panics
    /// If `pixels.len() != width * height * channels` or `channels` is 0.
    pub fn from_hwc(width: usize, height: usize, channels: usize, pixels: &[u8]) -> Self {
        assert!(channels > 0, "an image with no channels");
        assert_eq!(pixels.len(), width * height * channels, "image size mismatch");
        let planes = (0..channels)
            .map(|c| Plane::new(width, height, pixels.iter().skip(c).step_by(channels).map(|&v| v as f32).collect()))
            .collect();
        Image { planes }
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.planes[0].width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.planes[0].height
    }

    /// Channels (1 or 3).
    pub fn channels(&self) -> usize {
        self.planes.len()
    }

    /// Interleaved 8-bit pixels (HWC), clamped and rounded.
    pub fn to_hwc(&self) -> Vec<u8> {
        let planes: Vec<Vec<u8>> = self.planes.iter().map(Plane::to_u8).collect();
        let n = self.width() * self.height();
        let mut out = Vec::with_capacity(n * planes.len());
        for i in 0..n {
            out.extend(planes.iter().map(|p| p[i]));
        }
        out
    }

    /// RGBA bytes for a canvas (a grayscale image is repeated into R, G and B).
    pub fn to_rgba(&self) -> Vec<u8> {
        let planes: Vec<Vec<u8>> = self.planes.iter().map(Plane::to_u8).collect();
        let n = self.width() * self.height();
        let mut out = Vec::with_capacity(n * 4);
        let channel = |c: usize| &planes[c.min(planes.len() - 1)][..n];
        for ((r, g), b) in channel(0).iter().zip(channel(1)).zip(channel(2)) {
            out.extend([*r, *g, *b, 255]);
        }
        out
    }

    /// Appends the network's input (CHW, values in `[0, 1]`) to `out`.
    pub fn push_chw_unit(&self, out: &mut Vec<f32>) {
        for p in &self.planes {
            out.extend(p.data.iter().map(|v| (v / 255.0).clamp(0.0, 1.0)));
        }
    }

    fn map(&self, f: impl Fn(&Plane) -> Plane) -> Image {
        Image { planes: self.planes.iter().map(f).collect() }
    }
}

/// What random erasing paints into its rectangle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fill {
    /// Black (torchvision's default `value=0`).
    Zero,
    /// Middle gray, 128.
    Gray,
    /// Random values per pixel (`value='random'`).
    Random,
}

/// One kind of augmentation and its parameters. The random parts (angle, offset, factor…) are
/// drawn fresh for every image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Aug {
    /// 左右反転.
    FlipHorizontal,
    /// 上下反転.
    FlipVertical,
    /// ランダム回転: an angle uniform in `[-degrees, degrees]`, about the centre, black corners.
    Rotate {
        /// Largest angle, 0–180.
        degrees: f32,
    },
    /// 平行移動: a shift uniform in `[-fraction, fraction]` of the width (and of the height).
    Translate {
        /// Largest shift as a share of the size, 0–1.
        fraction: f32,
    },
    /// 拡大縮小: a zoom factor uniform in `[min, max]` about the centre.
    Scale {
        /// Smallest factor (< 1 shrinks).
        min: f32,
        /// Largest factor (> 1 enlarges).
        max: f32,
    },
    /// ランダムクロップ: pad `padding` black pixels on each side, then cut out the original size
    /// at a random place.
    Crop {
        /// Pixels of padding, 1–64.
        padding: usize,
    },
    /// 切り抜いて拡大: cut out a random rectangle holding `[min_area, 1]` of the image (aspect
    /// 3:4–4:3) and resize it to the original size.
    ResizedCrop {
        /// Smallest share of the area kept, 0.05–1.
        min_area: f32,
    },
    /// ランダムイレージング: paint over a random rectangle of `[min_area, max_area]` of the image,
    /// its aspect (width / height) in `[1 / max_aspect, max_aspect]`.
    Erase {
        /// Smallest share of the area erased.
        min_area: f32,
        /// Largest share of the area erased, ≤ 1.
        max_area: f32,
        /// Most elongated aspect, ≥ 1 (torchvision's default range 0.3–3.3 is about 3.3).
        max_aspect: f32,
        /// What is painted.
        fill: Fill,
    },
    /// 色の揺らぎ: brightness, contrast and saturation factors uniform in `[1 − x, 1 + x]`, a hue
    /// shift uniform in `[−hue, hue]` of a turn. Saturation and hue do nothing to grayscale.
    ColorJitter {
        /// 0–1.
        brightness: f32,
        /// 0–1.
        contrast: f32,
        /// 0–1.
        saturation: f32,
        /// 0–0.5.
        hue: f32,
    },
    /// ガウスノイズ: normal noise of standard deviation `sigma` (0–255 scale) on every value.
    Noise {
        /// 0–128.
        sigma: f32,
    },
    /// ぼかし: a Gaussian blur with σ uniform in `[0.1, max_sigma]` pixels.
    Blur {
        /// 0.1–10.
        max_sigma: f32,
    },
    /// ヒストグラム平坦化 (per channel).
    Equalize,
}

/// One number an augmentation can be tuned by, for editors (and, later, URLs and the CLI).
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Stable key, e.g. `"degrees"`.
    pub key: &'static str,
    /// What it is, for students.
    pub label: Text,
    /// Current value (`fill`: 0 = black, 1 = gray, 2 = random).
    pub value: f32,
    /// Smallest allowed.
    pub min: f32,
    /// Largest allowed.
    pub max: f32,
    /// A sensible increment.
    pub step: f32,
}

/// Every kind, for menus (with the parameters a new step starts from).
pub const KINDS: [Aug; 12] = [
    Aug::Rotate { degrees: 15.0 },
    Aug::Translate { fraction: 0.1 },
    Aug::Scale { min: 0.9, max: 1.1 },
    Aug::Crop { padding: 2 },
    Aug::ResizedCrop { min_area: 0.6 },
    Aug::Erase { min_area: 0.02, max_area: 0.15, max_aspect: 3.3, fill: Fill::Zero },
    Aug::FlipHorizontal,
    Aug::FlipVertical,
    Aug::ColorJitter { brightness: 0.3, contrast: 0.3, saturation: 0.3, hue: 0.05 },
    Aug::Noise { sigma: 16.0 },
    Aug::Blur { max_sigma: 1.0 },
    Aug::Equalize,
];

impl Aug {
    /// A short stable name (`"rotate"`), for ids and menus.
    pub fn slug(&self) -> &'static str {
        match self {
            Aug::FlipHorizontal => "flip-h",
            Aug::FlipVertical => "flip-v",
            Aug::Rotate { .. } => "rotate",
            Aug::Translate { .. } => "translate",
            Aug::Scale { .. } => "scale",
            Aug::Crop { .. } => "crop",
            Aug::ResizedCrop { .. } => "resized-crop",
            Aug::Erase { .. } => "erase",
            Aug::ColorJitter { .. } => "color-jitter",
            Aug::Noise { .. } => "noise",
            Aug::Blur { .. } => "blur",
            Aug::Equalize => "equalize",
        }
    }

    /// The kind for a slug, with its default parameters.
    pub fn from_slug(slug: &str) -> Option<Aug> {
        KINDS.iter().find(|k| k.slug() == slug).cloned()
    }

    /// The name shown to students.
    pub fn name(&self) -> Text {
        let (ja, en) = match self {
            Aug::FlipHorizontal => ("左右反転", "Horizontal flip"),
            Aug::FlipVertical => ("上下反転", "Vertical flip"),
            Aug::Rotate { .. } => ("ランダム回転", "Random rotation"),
            Aug::Translate { .. } => ("平行移動", "Translation"),
            Aug::Scale { .. } => ("拡大縮小", "Scale"),
            Aug::Crop { .. } => ("ランダムクロップ", "Random crop"),
            Aug::ResizedCrop { .. } => ("切り抜いて拡大", "Random resized crop"),
            Aug::Erase { .. } => ("ランダムイレージング", "Random erasing"),
            Aug::ColorJitter { .. } => ("色の揺らぎ", "Colour jitter"),
            Aug::Noise { .. } => ("ガウスノイズ", "Gaussian noise"),
            Aug::Blur { .. } => ("ぼかし", "Blur"),
            Aug::Equalize => ("ヒストグラム平坦化", "Histogram equalisation"),
        };
        Text::new(ja, en)
    }

    /// The torchvision (`transforms.v2`) line that does the same, for the students' notebooks.
    /// `size` is the image's (height, width).
    pub fn torchvision(&self, p: f32, size: (usize, usize)) -> String {
        let (h, w) = size;
        let core = match self {
            Aug::FlipHorizontal => return format!("T.RandomHorizontalFlip(p={p})"),
            Aug::FlipVertical => return format!("T.RandomVerticalFlip(p={p})"),
            // (torchvision's default interpolation here is nearest; ImageLab's is bilinear.)
            Aug::Rotate { degrees } => format!("T.RandomRotation({degrees}, interpolation={BILINEAR})"),
            Aug::Translate { fraction } => format!("T.RandomAffine(0, translate=({fraction}, {fraction}), interpolation={BILINEAR})"),
            Aug::Scale { min, max } => format!("T.RandomAffine(0, scale=({min}, {max}), interpolation={BILINEAR})"),
            Aug::Crop { padding } => format!("T.RandomCrop(({h}, {w}), padding={padding})"),
            Aug::ResizedCrop { min_area } => format!("T.RandomResizedCrop(({h}, {w}), scale=({min_area}, 1.0))"),
            Aug::Erase { min_area, max_area, max_aspect, fill } => {
                let value = match fill {
                    Fill::Zero => "0".to_string(),
                    Fill::Gray => "0.5".to_string(),
                    Fill::Random => "'random'".to_string(),
                };
                let ratio = format!("({}, {max_aspect})", round3(1.0 / max_aspect));
                return format!("T.RandomErasing(p={p}, scale=({min_area}, {max_area}), ratio={ratio}, value={value})");
            }
            Aug::ColorJitter { brightness, contrast, saturation, hue } => {
                format!("T.ColorJitter({brightness}, {contrast}, {saturation}, {hue})")
            }
            Aug::Noise { sigma } => format!("T.GaussianNoise(sigma={})", round3(sigma / 255.0)),
            Aug::Blur { max_sigma } => {
                // The kernel filter::Kernel::gaussian uses at σ = max_sigma (cut at 4σ).
                let k = 2 * ((4.0 * max_sigma + 0.5) as usize).max(1) + 1;
                format!("T.GaussianBlur({k}, sigma=(0.1, {max_sigma}))")
            }
            Aug::Equalize => return format!("T.RandomEqualize(p={p})"),
        };
        if p >= 1.0 { core } else { format!("T.RandomApply([{core}], p={p})") }
    }

    /// The tunable numbers of this kind, with their ranges (those [`Aug::validate`] checks).
    pub fn params(&self) -> Vec<Param> {
        let p = |key, ja: &str, en: &str, value: f32, min: f32, max: f32, step: f32| Param {
            key,
            label: Text::new(ja, en),
            value,
            min,
            max,
            step,
        };
        match *self {
            Aug::FlipHorizontal | Aug::FlipVertical | Aug::Equalize => vec![],
            Aug::Rotate { degrees } => vec![p("degrees", "最大角度 (°)", "max angle (°)", degrees, 0.0, 180.0, 1.0)],
            Aug::Translate { fraction } => {
                vec![p("fraction", "最大移動 (幅の割合)", "max shift (share of size)", fraction, 0.0, 1.0, 0.01)]
            }
            Aug::Scale { min, max } => {
                vec![p("min", "最小倍率", "min factor", min, 0.1, 4.0, 0.05), p("max", "最大倍率", "max factor", max, 0.1, 4.0, 0.05)]
            }
            Aug::Crop { padding } => vec![p("padding", "パディング (px)", "padding (px)", padding as f32, 1.0, 64.0, 1.0)],
            Aug::ResizedCrop { min_area } => vec![p("min_area", "最小面積の割合", "min area share", min_area, 0.05, 1.0, 0.05)],
            Aug::Erase { min_area, max_area, max_aspect, fill } => vec![
                p("min_area", "最小面積の割合", "min area share", min_area, 0.001, 1.0, 0.01),
                p("max_area", "最大面積の割合", "max area share", max_area, 0.001, 1.0, 0.01),
                p("max_aspect", "最大縦横比", "max aspect ratio", max_aspect, 1.0, 10.0, 0.1),
                p("fill", "塗りつぶし", "fill", fill as u8 as f32, 0.0, 2.0, 1.0),
            ],
            Aug::ColorJitter { brightness, contrast, saturation, hue } => vec![
                p("brightness", "明るさ", "brightness", brightness, 0.0, 1.0, 0.05),
                p("contrast", "コントラスト", "contrast", contrast, 0.0, 1.0, 0.05),
                p("saturation", "彩度", "saturation", saturation, 0.0, 1.0, 0.05),
                p("hue", "色相", "hue", hue, 0.0, 0.5, 0.01),
            ],
            Aug::Noise { sigma } => vec![p("sigma", "標準偏差 σ (0–255)", "std dev σ (0–255)", sigma, 0.0, 128.0, 1.0)],
            Aug::Blur { max_sigma } => vec![p("max_sigma", "最大 σ (px)", "max σ (px)", max_sigma, 0.1, 10.0, 0.1)],
        }
    }

    /// This augmentation with parameter `key` set to `value` (unknown keys change nothing;
    /// the value is not range-checked here — [`Aug::validate`] does that).
    pub fn with_param(&self, key: &str, value: f32) -> Aug {
        let mut a = self.clone();
        match (&mut a, key) {
            (Aug::Rotate { degrees }, "degrees") => *degrees = value,
            (Aug::Translate { fraction }, "fraction") => *fraction = value,
            (Aug::Scale { min, .. }, "min") => *min = value,
            (Aug::Scale { max, .. }, "max") => *max = value,
            (Aug::Crop { padding }, "padding") => *padding = value.max(0.0).round() as usize,
            (Aug::ResizedCrop { min_area }, "min_area") => *min_area = value,
            (Aug::Erase { min_area, .. }, "min_area") => *min_area = value,
            (Aug::Erase { max_area, .. }, "max_area") => *max_area = value,
            (Aug::Erase { max_aspect, .. }, "max_aspect") => *max_aspect = value,
            (Aug::Erase { fill, .. }, "fill") => {
                *fill = match value.round() as i32 {
                    1 => Fill::Gray,
                    2 => Fill::Random,
                    _ => Fill::Zero,
                }
            }
            (Aug::ColorJitter { brightness, .. }, "brightness") => *brightness = value,
            (Aug::ColorJitter { contrast, .. }, "contrast") => *contrast = value,
            (Aug::ColorJitter { saturation, .. }, "saturation") => *saturation = value,
            (Aug::ColorJitter { hue, .. }, "hue") => *hue = value,
            (Aug::Noise { sigma }, "sigma") => *sigma = value,
            (Aug::Blur { max_sigma }, "max_sigma") => *max_sigma = value,
            _ => {}
        }
        a
    }

    /// Checks the parameters' ranges.
    ///
    /// # Errors
    /// [`CoreError::BadSetting`] naming the parameter.
    pub fn validate(&self) -> Result<(), CoreError> {
        fn within(name: &'static str, v: f32, lo: f32, hi: f32) -> Result<(), CoreError> {
            if v.is_finite() && (lo..=hi).contains(&v) { Ok(()) } else { Err(CoreError::out_of_range(name, v, format!("{lo}..={hi}"))) }
        }
        match *self {
            Aug::FlipHorizontal | Aug::FlipVertical | Aug::Equalize => Ok(()),
            Aug::Rotate { degrees } => within("rotate.degrees", degrees, 0.0, 180.0),
            Aug::Translate { fraction } => within("translate.fraction", fraction, 0.0, 1.0),
            Aug::Scale { min, max } => {
                within("scale.min", min, 0.1, 4.0)?;
                within("scale.max", max, min, 4.0)
            }
            Aug::Crop { padding } => within("crop.padding", padding as f32, 1.0, 64.0),
            Aug::ResizedCrop { min_area } => within("resized_crop.min_area", min_area, 0.05, 1.0),
            Aug::Erase { min_area, max_area, max_aspect, .. } => {
                within("erase.min_area", min_area, 0.001, 1.0)?;
                within("erase.max_area", max_area, min_area, 1.0)?;
                within("erase.max_aspect", max_aspect, 1.0, 10.0)
            }
            Aug::ColorJitter { brightness, contrast, saturation, hue } => {
                within("color_jitter.brightness", brightness, 0.0, 1.0)?;
                within("color_jitter.contrast", contrast, 0.0, 1.0)?;
                within("color_jitter.saturation", saturation, 0.0, 1.0)?;
                within("color_jitter.hue", hue, 0.0, 0.5)
            }
            Aug::Noise { sigma } => within("noise.sigma", sigma, 0.0, 128.0),
            Aug::Blur { max_sigma } => within("blur.max_sigma", max_sigma, 0.1, 10.0),
        }
    }

    /// Applies this augmentation once, drawing its parameters from `rng`.
    pub fn apply(&self, img: &Image, rng: &mut SplitMix64) -> Image {
        let (w, h) = (img.width() as f32, img.height() as f32);
        match *self {
            Aug::FlipHorizontal => img.map(flip_horizontal),
            Aug::FlipVertical => img.map(flip_vertical),
            Aug::Rotate { degrees } => {
                let angle = uniform(rng, -degrees, degrees).to_radians();
                affine(img, angle, 1.0, 0.0, 0.0)
            }
            Aug::Translate { fraction } => {
                let tx = uniform(rng, -fraction, fraction) * w;
                let ty = uniform(rng, -fraction, fraction) * h;
                affine(img, 0.0, 1.0, tx.round(), ty.round())
            }
            Aug::Scale { min, max } => affine(img, 0.0, uniform(rng, min, max), 0.0, 0.0),
            Aug::Crop { padding } => {
                let ox = rng.below(2 * padding + 1);
                let oy = rng.below(2 * padding + 1);
                padded_crop(img, padding, ox, oy)
            }
            Aug::ResizedCrop { min_area } => {
                let rect = random_rect(rng, img.width(), img.height(), (min_area, 1.0), (0.75, 4.0 / 3.0));
                resized_crop(img, rect.unwrap_or((0, 0, img.width(), img.height())))
            }
            Aug::Erase { min_area, max_area, max_aspect, fill } => {
                let aspect = (1.0 / max_aspect.max(1.0), max_aspect.max(1.0));
                match random_rect(rng, img.width(), img.height(), (min_area, max_area), aspect) {
                    Some(rect) => erase(img, rect, fill, rng),
                    None => img.clone(),
                }
            }
            Aug::ColorJitter { brightness, contrast, saturation, hue } => {
                let b = uniform(rng, 1.0 - brightness, 1.0 + brightness);
                let c = uniform(rng, 1.0 - contrast, 1.0 + contrast);
                let s = uniform(rng, 1.0 - saturation, 1.0 + saturation);
                let hshift = uniform(rng, -hue, hue);
                color_jitter(img, b, c, s, hshift)
            }
            Aug::Noise { sigma } => {
                let mut out = img.clone();
                for plane in &mut out.planes {
                    for v in &mut plane.data {
                        *v = (*v + sigma * normal(rng)).clamp(0.0, 255.0);
                    }
                }
                out
            }
            Aug::Blur { max_sigma } => {
                let sigma = uniform(rng, 0.1, max_sigma.max(0.1));
                let kernel = Kernel::gaussian(sigma);
                img.map(|p| convolve(p, &kernel, Border::Reflect))
            }
            Aug::Equalize => img.map(|p| Plane::new(p.width, p.height, equalize(&p.to_u8()))),
        }
    }
}

/// torchvision's name for the bilinear resampling the geometric augmentations use.
const BILINEAR: &str = "T.InterpolationMode.BILINEAR";

fn round3(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

/// A uniform value in `[lo, hi]` (exactly `lo` when the range is empty).
fn uniform(rng: &mut SplitMix64, lo: f32, hi: f32) -> f32 {
    if hi <= lo { lo } else { lo + (hi - lo) * rng.next_f64() as f32 }
}

/// A standard normal value (Box–Muller).
fn normal(rng: &mut SplitMix64) -> f32 {
    let u1 = 1.0 - rng.next_f64(); // (0, 1]: ln is finite
    let u2 = rng.next_f64();
    ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
}

/// A random rectangle (x, y, w, h) covering an area share in `area` with aspect w/h in
/// `aspect` (drawn on a log scale), as torchvision draws it: ten tries, then `None`.
fn random_rect(
    rng: &mut SplitMix64,
    width: usize,
    height: usize,
    area: (f32, f32),
    aspect: (f32, f32),
) -> Option<(usize, usize, usize, usize)> {
    let total = (width * height) as f32;
    for _ in 0..10 {
        let a = uniform(rng, area.0, area.1) * total;
        let r = uniform(rng, aspect.0.ln(), aspect.1.ln()).exp();
        let w = (a * r).sqrt().round() as usize;
        let h = (a / r).sqrt().round() as usize;
        if w >= 1 && h >= 1 && w <= width && h <= height {
            let x = rng.below(width - w + 1);
            let y = rng.below(height - h + 1);
            return Some((x, y, w, h));
        }
    }
    None
}

// The deterministic part of each augmentation, once its random parameters are drawn: public so
// that `tests/augment_reference.rs` checks each with fixed parameters against torchvision's maths
// and scikit-image (`scripts/golden/make_augment_reference.py`).

/// `T.RandomCrop(size, padding)` once its offset is drawn: the image padded with `padding` black
/// pixels on each side, then cut back to its size at (`ox`, `oy`) — the content moves by
/// `padding − o`.
pub fn padded_crop(img: &Image, padding: usize, ox: usize, oy: usize) -> Image {
    img.map(|p| shift(p, padding as isize - ox as isize, padding as isize - oy as isize))
}

/// `T.RandomResizedCrop` once its box is drawn: the box (x, y, w, h) cut out and resized back to
/// the image's size (bilinear, anti-aliased when shrinking, as the image lab resizes).
pub fn resized_crop(img: &Image, (x, y, w, h): (usize, usize, usize, usize)) -> Image {
    img.map(|p| {
        let cut = crate::images::geometry::crop(p, x, y, w, h).unwrap_or_else(|| p.clone());
        resize(&cut, p.width, p.height, true)
    })
}

/// `T.RandomErasing` once its box is drawn: the box (x, y, w, h) filled in every channel — with
/// 0, with the middle gray (`value=0.5` on torchvision's 0–1 scale: 127.5), or with values drawn
/// from `rng` (only then is it used).
///
/// # Panics
/// If the box does not lie inside the image.
pub fn erase(img: &Image, (x, y, w, h): (usize, usize, usize, usize), fill: Fill, rng: &mut SplitMix64) -> Image {
    assert!(x + w <= img.width() && y + h <= img.height(), "box ({x}, {y}, {w}, {h}) outside the image");
    let mut out = img.clone();
    for plane in &mut out.planes {
        for row in y..y + h {
            for v in &mut plane.data[row * plane.width + x..row * plane.width + x + w] {
                *v = match fill {
                    Fill::Zero => 0.0,
                    Fill::Gray => 127.5,
                    Fill::Random => rng.below(256) as f32,
                };
            }
        }
    }
    out
}

/// Moves the content by whole pixels (`dx` right, `dy` down), filling with black.
fn shift(p: &Plane, dx: isize, dy: isize) -> Plane {
    let (w, h) = (p.width as isize, p.height as isize);
    let mut data = vec![0.0; p.data.len()];
    for y in 0..h {
        let sy = y - dy;
        if !(0..h).contains(&sy) {
            continue;
        }
        for x in 0..w {
            let sx = x - dx;
            if (0..w).contains(&sx) {
                data[(y * w + x) as usize] = p.data[(sy * w + sx) as usize];
            }
        }
    }
    Plane::new(p.width, p.height, data)
}

/// `T.RandomRotation` / `T.RandomAffine` once drawn: rotates by `angle` (radians,
/// counter-clockwise), zooms by `scale` about the centre, then moves by (tx, ty) — one bilinear
/// resampling for all three, black outside (as scikit-image's `warp`, `order=1`, `mode='constant'`).
pub fn affine(img: &Image, angle: f32, scale: f32, tx: f32, ty: f32) -> Image {
    let (s, c) = angle.sin_cos();
    let (cx, cy) = (img.width() as f32 / 2.0 - 0.5, img.height() as f32 / 2.0 - 0.5);
    img.map(|p| {
        crate::images::geometry::warp(p, |x, y| {
            // Inverse map: output pixel → where it comes from in the input.
            let (dx, dy) = ((x - tx - cx) / scale, (y - ty - cy) / scale);
            (c * dx - s * dy + cx, s * dx + c * dy + cy)
        })
    })
}

/// torchvision's gray (ITU-R 601 luma) in its colour adjustments; the image lab's grayscale is
/// scikit-image's ([`crate::images::color::GRAY_WEIGHTS`]).
const TORCHVISION_GRAY: [f32; 3] = [0.2989, 0.587, 0.114];

/// `T.ColorJitter` once its factors are drawn: brightness × b, contrast × c about the mean gray,
/// saturation × s about each pixel's gray, hue + `hue` turns — torchvision's maths
/// (`transforms.v2.functional` on a float image) in its order without the shuffle, clamped after
/// each; gray is torchvision's `0.2989 R + 0.587 G + 0.114 B`.
pub fn color_jitter(img: &Image, b: f32, c: f32, s: f32, hue: f32) -> Image {
    let mut out = img.map(|p| Plane::new(p.width, p.height, p.data.iter().map(|v| (v * b).clamp(0.0, 255.0)).collect()));
    let n = out.width() * out.height();
    let gray_of = |planes: &[Plane], i: usize| -> f32 {
        if planes.len() == 3 {
            let [wr, wg, wb] = TORCHVISION_GRAY;
            wr * planes[0].data[i] + wg * planes[1].data[i] + wb * planes[2].data[i]
        } else {
            planes[0].data[i]
        }
    };
    let mean = (0..n).map(|i| gray_of(&out.planes, i)).sum::<f32>() / n.max(1) as f32;
    for p in &mut out.planes {
        for v in &mut p.data {
            *v = (mean + (*v - mean) * c).clamp(0.0, 255.0);
        }
    }
    if out.channels() == 3 {
        for i in 0..n {
            let g = gray_of(&out.planes, i);
            let mut rgb = [0.0f32; 3];
            for (ch, p) in out.planes.iter().enumerate() {
                rgb[ch] = (g + (p.data[i] - g) * s).clamp(0.0, 255.0);
            }
            if hue != 0.0 {
                rgb = shift_hue(rgb, hue);
            }
            for (ch, p) in out.planes.iter_mut().enumerate() {
                p.data[i] = rgb[ch];
            }
        }
    }
    out
}

/// Turns an RGB colour's hue by `turns` (1 = 360°) through HSV.
fn shift_hue([r, g, b]: [f32; 3], turns: f32) -> [f32; 3] {
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let delta = max - min;
    if delta <= 0.0 {
        return [r, g, b];
    }
    let h = if max == r {
        ((g - b) / delta).rem_euclid(6.0)
    } else if max == g {
        (b - r) / delta + 2.0
    } else {
        (r - g) / delta + 4.0
    };
    let h = (h / 6.0 + turns).rem_euclid(1.0) * 6.0;
    let (v, sat) = (max, delta / max);
    let i = h.floor();
    let f = h - i;
    let (p, q, t) = (v * (1.0 - sat), v * (1.0 - sat * f), v * (1.0 - sat * (1.0 - f)));
    match i as u32 % 6 {
        0 => [v, t, p],
        1 => [q, v, p],
        2 => [p, v, t],
        3 => [p, q, v],
        4 => [t, p, v],
        _ => [v, p, q],
    }
}

/// One augmentation and the probability it is applied to an image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// What is done.
    pub aug: Aug,
    /// 確率: the share of images it is applied to, 0–1.
    pub p: f32,
}

/// An ordered list of steps; empty means no augmentation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pipeline {
    /// Applied in this order.
    pub steps: Vec<Step>,
    /// ミックスアップ: each training batch is blended with itself shifted by one image, pixels and
    /// labels alike, by λ ~ Beta(α, α) (torchvision's `MixUp`); 0 = off.
    #[serde(default)]
    pub mixup: f32,
}

impl Pipeline {
    /// A pipeline that suits handwritten digits: small rotations, shifts and zooms, and a little
    /// erasing — no flips (a flipped 2 or 7 is no longer a 2 or 7).
    pub fn digits() -> Self {
        Pipeline {
            steps: vec![
                Step { aug: Aug::Rotate { degrees: 15.0 }, p: 0.8 },
                Step { aug: Aug::Translate { fraction: 0.12 }, p: 0.8 },
                Step { aug: Aug::Scale { min: 0.85, max: 1.15 }, p: 0.5 },
                Step { aug: Aug::Erase { min_area: 0.02, max_area: 0.12, max_aspect: 3.3, fill: Fill::Zero }, p: 0.3 },
            ],
            mixup: 0.0,
        }
    }

    /// Whether it changes nothing (every probability 0 and no mixup).
    pub fn is_identity(&self) -> bool {
        !self.changes_images() && self.mixup <= 0.0
    }

    /// Whether any per-image step can apply (mixup aside).
    pub fn changes_images(&self) -> bool {
        self.steps.iter().any(|s| s.p > 0.0)
    }

    /// Checks every step.
    ///
    /// # Errors
    /// [`CoreError::BadSetting`] for the first bad probability or parameter.
    pub fn validate(&self) -> Result<(), CoreError> {
        if !(self.mixup.is_finite() && (0.0..=4.0).contains(&self.mixup)) {
            return Err(CoreError::out_of_range("augmentation.mixup", format!("α = {}", self.mixup), "0..=4"));
        }
        if self.steps.len() > 32 {
            return Err(CoreError::setting(
                "augmentation",
                format!("{} 段階（32 段階まで）", self.steps.len()),
                format!("{} steps (at most 32)", self.steps.len()),
            ));
        }
        for s in &self.steps {
            if !(s.p.is_finite() && (0.0..=1.0).contains(&s.p)) {
                return Err(CoreError::out_of_range("augmentation.p", s.p, "0..=1"));
            }
            s.aug.validate()?;
        }
        Ok(())
    }

    /// Runs the steps in order; each is applied with its probability.
    pub fn apply(&self, img: &Image, rng: &mut SplitMix64) -> Image {
        let mut out = img.clone();
        for s in &self.steps {
            // One draw per step whether or not it applies, so a step's probability does not
            // change the draws of the steps after it.
            let roll = rng.next_f64() as f32;
            let mut step_rng = SplitMix64::new(rng.next_u64());
            if roll < s.p {
                out = s.aug.apply(&out, &mut step_rng);
            }
        }
        out
    }

    /// The torchvision `Compose` that does the same (and the batch-level `MixUp`).
    pub fn torchvision(&self, size: (usize, usize)) -> String {
        let lines: Vec<String> = self.steps.iter().map(|s| format!("    {},", s.aug.torchvision(s.p, size))).collect();
        let mut code = format!("T.Compose([\n{}\n])", lines.join("\n"));
        if self.mixup > 0.0 {
            code.push_str(&format!("\n# per batch, after the DataLoader:\nmixup = T.MixUp(alpha={}, num_classes=NUM_CLASSES)", self.mixup));
        }
        code
    }
}

/// The generator for image `index` in `epoch` of a run seeded with `seed`: independent of batch
/// order and device, different for every epoch.
pub fn image_rng(seed: u64, epoch: u64, index: u64) -> SplitMix64 {
    let mut mix = SplitMix64::new(seed ^ 0xA076_1D64_78BD_642F);
    let a = mix.next_u64();
    let mut mix = SplitMix64::new(a ^ epoch.wrapping_mul(0xE703_7ED1_A0B4_28DB));
    let b = mix.next_u64();
    SplitMix64::new(b ^ index.wrapping_mul(0x8EBC_6AF0_9C88_C6E3))
}

/// A Gamma(shape, 1) draw (Marsaglia and Tsang; shapes below 1 by the usual boost).
fn gamma(rng: &mut SplitMix64, shape: f64) -> f64 {
    if shape < 1.0 {
        let u = 1.0 - rng.next_f64();
        return gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng) as f64;
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u = 1.0 - rng.next_f64();
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// A Beta(α, α) draw in [0, 1].
pub fn beta(rng: &mut SplitMix64, alpha: f64) -> f64 {
    let a = gamma(rng, alpha);
    let b = gamma(rng, alpha);
    if a + b > 0.0 { a / (a + b) } else { 0.5 }
}

/// ミックスアップ of one batch, in place: `pixels` (CHW per image, `per_image` values each) become
/// λ·x + (1 − λ)·x_rolled, where x_rolled is the batch shifted by one image, and the returned
/// soft labels (`labels.len() × classes`) are mixed the same way. λ ~ Beta(α, α).
pub fn mixup_batch(pixels: &mut [f32], per_image: usize, labels: &[usize], classes: usize, alpha: f32, rng: &mut SplitMix64) -> Vec<f32> {
    let n = labels.len();
    let lambda = beta(rng, alpha as f64) as f32;
    let original = pixels.to_vec();
    for i in 0..n {
        let j = (i + n - 1) % n;
        for k in 0..per_image {
            pixels[i * per_image + k] = lambda * original[i * per_image + k] + (1.0 - lambda) * original[j * per_image + k];
        }
    }
    let mut soft = vec![0.0; n * classes];
    for i in 0..n {
        soft[i * classes + labels[i]] += lambda;
        soft[i * classes + labels[(i + n - 1) % n]] += 1.0 - lambda;
    }
    soft
}

/// The preview grid: `n` draws of `pipeline` on `img`, draw `k` made with
/// [`image_rng`]`(seed, 0, k)` — the same seed gives the same grid.
pub fn preview(img: &Image, pipeline: &Pipeline, seed: u64, n: usize) -> Vec<Image> {
    (0..n).map(|k| pipeline.apply(img, &mut image_rng(seed, 0, k as u64))).collect()
}

/// The network input (CHW in `[0, 1]`) of `images` images, each augmented by `pipeline` with
/// its [`image_rng`]`(seed, epoch, index)`. `image(i)` gives image `i`'s HWC pixels.
pub fn augmented_batch<'a>(
    indices: &[usize],
    (width, height, channels): (usize, usize, usize),
    image: impl Fn(usize) -> &'a [u8],
    pipeline: &Pipeline,
    seed: u64,
    epoch: u64,
) -> Vec<f32> {
    let mut out = Vec::with_capacity(indices.len() * width * height * channels);
    for &i in indices {
        let img = Image::from_hwc(width, height, channels, image(i));
        pipeline.apply(&img, &mut image_rng(seed, epoch, i as u64)).push_chw_unit(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_image(rng: &mut SplitMix64, w: usize, h: usize, c: usize) -> Image {
        let px: Vec<u8> = (0..w * h * c).map(|_| rng.below(256) as u8).collect();
        Image::from_hwc(w, h, c, &px)
    }

    fn every_kind_always() -> Pipeline {
        Pipeline { steps: KINDS.iter().map(|k| Step { aug: k.clone(), p: 1.0 }).collect(), mixup: 0.0 }
    }

    #[test]
    fn default_parameters_are_valid_and_slugs_round_trip() {
        every_kind_always().validate().unwrap();
        Pipeline::digits().validate().unwrap();
        for k in KINDS {
            assert_eq!(Aug::from_slug(k.slug()), Some(k.clone()));
        }
    }

    #[test]
    fn shapes_and_value_ranges_hold() {
        let mut rng = SplitMix64::new(3);
        for _ in 0..10 {
            let (w, h, c) = (1 + rng.below(20), 1 + rng.below(20), if rng.below(2) == 0 { 1 } else { 3 });
            let img = random_image(&mut rng, w, h, c);
            for k in KINDS {
                let out = k.apply(&img, &mut rng);
                assert_eq!((out.width(), out.height(), out.channels()), (w, h, c), "{k:?}");
                for p in &out.planes {
                    assert!(p.data.iter().all(|v| v.is_finite() && (-1e-3..=255.001).contains(v)), "{k:?}");
                }
            }
        }
    }

    #[test]
    fn probability_zero_is_the_identity() {
        let mut rng = SplitMix64::new(4);
        let img = random_image(&mut rng, 9, 7, 3);
        let mut pipe = every_kind_always();
        for s in &mut pipe.steps {
            s.p = 0.0;
        }
        assert!(pipe.is_identity());
        assert_eq!(pipe.apply(&img, &mut rng), img);
    }

    #[test]
    fn same_seed_same_output_and_other_seeds_differ() {
        let mut rng = SplitMix64::new(5);
        let img = random_image(&mut rng, 16, 16, 3);
        let pipe = every_kind_always();
        let a = pipe.apply(&img, &mut SplitMix64::new(9));
        let b = pipe.apply(&img, &mut SplitMix64::new(9));
        let c = pipe.apply(&img, &mut SplitMix64::new(10));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(image_rng(1, 1, 5).next_u64(), image_rng(1, 2, 5).next_u64());
        assert_ne!(image_rng(1, 1, 5).next_u64(), image_rng(1, 1, 6).next_u64());
        assert_eq!(image_rng(1, 1, 5).next_u64(), image_rng(1, 1, 5).next_u64());
    }

    #[test]
    fn a_steps_probability_does_not_change_later_draws() {
        let img = random_image(&mut SplitMix64::new(6), 12, 12, 1);
        let rot = Step { aug: Aug::Rotate { degrees: 30.0 }, p: 1.0 };
        let with = |p| Pipeline { steps: vec![Step { aug: Aug::FlipHorizontal, p }, rot.clone()], mixup: 0.0 };
        // Flip at p=1 then flip back by hand = skipping the flip, if the rotation drew the same.
        let flipped = with(1.0).apply(&img, &mut SplitMix64::new(1));
        let plain = with(0.0).apply(&img, &mut SplitMix64::new(1));
        let mirror_rot = Pipeline { steps: vec![rot], mixup: 0.0 }.apply(&img.map(flip_horizontal), &mut {
            let mut r = SplitMix64::new(1);
            r.next_f64();
            r.next_u64();
            r
        });
        assert_eq!(flipped, mirror_rot);
        assert_ne!(flipped, plain);
    }

    #[test]
    fn probability_is_honoured_on_average() {
        let img = random_image(&mut SplitMix64::new(7), 4, 4, 1);
        let pipe = Pipeline { steps: vec![Step { aug: Aug::FlipVertical, p: 0.3 }], mixup: 0.0 };
        let mut rng = SplitMix64::new(8);
        let changed = (0..2000).filter(|_| pipe.apply(&img, &mut rng) != img).count();
        assert!((500..700).contains(&changed), "{changed} of 2000");
    }

    #[test]
    fn geometric_steps_do_what_they_say() {
        // One bright pixel at (2, 1) of a 5×5 image.
        let mut px = vec![0u8; 25];
        px[5 + 2] = 200;
        let img = Image::from_hwc(5, 5, 1, &px);
        let at = |im: &Image| im.planes[0].data.iter().position(|&v| v > 100.0);
        assert_eq!(at(&Aug::FlipHorizontal.apply(&img, &mut SplitMix64::new(0))), Some(5 + 2));
        assert_eq!(at(&Aug::FlipVertical.apply(&img, &mut SplitMix64::new(0))), Some(3 * 5 + 2));
        // Padding crop = a whole-pixel shift by at most `padding`.
        for seed in 0..20 {
            let out = Aug::Crop { padding: 1 }.apply(&img, &mut SplitMix64::new(seed));
            if let Some(i) = at(&out) {
                let (x, y) = (i % 5, i / 5);
                assert!(x.abs_diff(2) <= 1 && y.abs_diff(1) <= 1);
                assert_eq!(out.planes[0].data[i], 200.0);
            }
        }
        // A rotation by 0° and a zoom of 1 change nothing.
        assert_eq!(affine(&img, 0.0, 1.0, 0.0, 0.0), img);
    }

    #[test]
    fn erasing_paints_a_rectangle_of_the_asked_size() {
        let img = Image::from_hwc(20, 20, 1, &[255; 400]);
        for seed in 0..20 {
            let out =
                Aug::Erase { min_area: 0.1, max_area: 0.2, max_aspect: 3.3, fill: Fill::Zero }.apply(&img, &mut SplitMix64::new(seed));
            let erased = out.planes[0].data.iter().filter(|&&v| v == 0.0).count();
            assert!((30..=90).contains(&erased), "{erased} pixels erased");
        }
    }

    #[test]
    fn jitter_of_zero_changes_nothing_and_hue_turns_colours() {
        let img = random_image(&mut SplitMix64::new(9), 6, 6, 3);
        let same = Aug::ColorJitter { brightness: 0.0, contrast: 0.0, saturation: 0.0, hue: 0.0 }.apply(&img, &mut SplitMix64::new(1));
        for (a, b) in same.planes.iter().zip(&img.planes) {
            for (x, y) in a.data.iter().zip(&b.data) {
                assert!((x - y).abs() < 1e-3);
            }
        }
        // A third of a turn sends pure red to pure green.
        let g = shift_hue([255.0, 0.0, 0.0], 1.0 / 3.0);
        assert!(g[0] < 1e-3 && (g[1] - 255.0).abs() < 1e-3 && g[2] < 1e-3, "{g:?}");
        let back = shift_hue(shift_hue([200.0, 50.0, 90.0], 0.2), -0.2);
        assert!(back.iter().zip([200.0, 50.0, 90.0]).all(|(a, b)| (a - b).abs() < 1e-2), "{back:?}");
    }

    #[test]
    fn noise_has_the_asked_spread() {
        let img = Image::from_hwc(100, 100, 1, &[128; 10_000]);
        let out = Aug::Noise { sigma: 10.0 }.apply(&img, &mut SplitMix64::new(2));
        let n = out.planes[0].data.len() as f32;
        let mean = out.planes[0].data.iter().sum::<f32>() / n;
        let sd = (out.planes[0].data.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / n).sqrt();
        assert!((mean - 128.0).abs() < 0.5 && (sd - 10.0).abs() < 0.5, "mean {mean} sd {sd}");
    }

    #[test]
    fn bad_parameters_are_refused_by_name() {
        let bad = Pipeline { steps: vec![Step { aug: Aug::Rotate { degrees: 400.0 }, p: 0.5 }], mixup: 0.0 };
        assert!(matches!(bad.validate(), Err(CoreError::BadSetting { name: "rotate.degrees", .. })));
        let bad = Pipeline { steps: vec![Step { aug: Aug::Equalize, p: 1.5 }], mixup: 0.0 };
        assert!(matches!(bad.validate(), Err(CoreError::BadSetting { name: "augmentation.p", .. })));
        let bad = Aug::Scale { min: 1.2, max: 1.1 };
        assert!(matches!(bad.validate(), Err(CoreError::BadSetting { name: "scale.max", .. })));
        let bad = Aug::Noise { sigma: f32::NAN };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn params_round_trip_through_with_param() {
        for k in KINDS {
            for p in k.params() {
                assert!(p.min <= p.value && p.value <= p.max, "{k:?} {}", p.key);
                let changed = k.with_param(p.key, p.max);
                let back = changed.params().into_iter().find(|q| q.key == p.key).unwrap();
                assert_eq!(back.value, p.max, "{k:?} {}", p.key);
                assert_eq!(changed.with_param(p.key, p.value), k, "{k:?} {}", p.key);
            }
        }
        assert_eq!(Aug::Equalize.with_param("degrees", 3.0), Aug::Equalize);
    }

    #[test]
    fn mixup_blends_pixels_and_labels_alike() {
        let mut rng = SplitMix64::new(3);
        let draws: Vec<f64> = (0..4000).map(|_| beta(&mut rng, 0.4)).collect();
        assert!(draws.iter().all(|v| (0.0..=1.0).contains(v)));
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        // Beta(0.4, 0.4): mean 1/2, most mass near 0 and 1.
        assert!((mean - 0.5).abs() < 0.03, "mean {mean}");
        assert!(draws.iter().filter(|v| **v < 0.1 || **v > 0.9).count() > 1600);
        // Two one-pixel images of classes 0 and 1.
        let mut px = vec![1.0, 0.0];
        let soft = mixup_batch(&mut px, 1, &[0, 1], 2, 1.0, &mut SplitMix64::new(8));
        let l = soft[0];
        assert!((px[0] - l).abs() < 1e-6 && (px[1] - (1.0 - l)).abs() < 1e-6);
        assert_eq!(soft.len(), 4);
        for row in soft.chunks(2) {
            assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        }
        let p = Pipeline { steps: vec![], mixup: 0.2 };
        assert!(!p.is_identity());
        p.validate().unwrap();
        assert!(Pipeline { steps: vec![], mixup: -1.0 }.validate().is_err());
        assert!(p.torchvision((28, 28)).contains("T.MixUp(alpha=0.2"));
    }

    #[test]
    fn torchvision_lines_read_like_the_notebook() {
        assert_eq!(
            Aug::Rotate { degrees: 15.0 }.torchvision(0.5, (28, 28)),
            "T.RandomApply([T.RandomRotation(15, interpolation=T.InterpolationMode.BILINEAR)], p=0.5)"
        );
        assert_eq!(Aug::FlipHorizontal.torchvision(0.5, (28, 28)), "T.RandomHorizontalFlip(p=0.5)");
        assert_eq!(Aug::Crop { padding: 2 }.torchvision(1.0, (28, 28)), "T.RandomCrop((28, 28), padding=2)");
        assert!(Pipeline::digits().torchvision((28, 28)).starts_with("T.Compose([\n    T.RandomApply"));
    }

    #[test]
    fn hwc_round_trip_and_rgba() {
        let px: Vec<u8> = (0..2 * 3 * 3).map(|v| v as u8 * 10).collect();
        let img = Image::from_hwc(2, 3, 3, &px);
        assert_eq!(img.to_hwc(), px);
        assert_eq!(&img.to_rgba()[..4], &[0, 10, 20, 255]);
        let gray = Image::from_hwc(1, 1, 1, &[77]);
        assert_eq!(gray.to_rgba(), vec![77, 77, 77, 255]);
        let mut chw = Vec::new();
        img.push_chw_unit(&mut chw);
        assert_eq!(chw.len(), 18);
        assert!((chw[1] - 30.0 / 255.0).abs() < 1e-6);
    }
}
