//! The image lab's operations by name: the filters and geometric transforms a student picks in
//! the page and a teacher names on the command line (`imagelab filter --filter sobel`). One
//! definition, so both give the same pixels for the same parameters.

use crate::error::CoreError;
use crate::images::color::{channel, grayscale, plane_to_rgba, planes_to_rgba};
use crate::images::filter::{Border, Kernel, Plane, convolve, sobel_magnitude};
use crate::images::geometry::{crop, flip_horizontal, flip_vertical, resize, rotate, translate};
use image::RgbImage;

/// A filter of the image lab (フィルタ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    /// 平均化フィルタ 3×3.
    Mean3,
    /// 平均化フィルタ 5×5.
    Mean5,
    /// ガウシアンフィルタ, σ = 1.
    Gaussian,
    /// ソーベルフィルタ x (signed).
    SobelX,
    /// ソーベルフィルタ y (signed).
    SobelY,
    /// The Sobel gradient's length √(gx² + gy²).
    SobelMagnitude,
    /// ラプラシアンフィルタ (signed).
    Laplacian,
    /// 鮮鋭化.
    Sharpen,
    /// A kernel the student types.
    Custom,
}

impl Filter {
    /// Every filter in menu order, with its stable slug and its names (Japanese, English).
    pub const ALL: [(Filter, &'static str, (&'static str, &'static str)); 9] = [
        (Filter::Mean3, "mean3", ("平均化フィルタ 3×3", "Mean 3×3")),
        (Filter::Mean5, "mean5", ("平均化フィルタ 5×5", "Mean 5×5")),
        (Filter::Gaussian, "gaussian", ("ガウシアンフィルタ（σ=1）", "Gaussian (σ=1)")),
        (Filter::SobelX, "sobelx", ("ソーベルフィルタ x", "Sobel x")),
        (Filter::SobelY, "sobely", ("ソーベルフィルタ y", "Sobel y")),
        (Filter::SobelMagnitude, "sobel", ("ソーベル（強さ）", "Sobel magnitude")),
        (Filter::Laplacian, "laplacian", ("ラプラシアンフィルタ", "Laplacian")),
        (Filter::Sharpen, "sharpen", ("鮮鋭化", "Sharpen")),
        (Filter::Custom, "custom", ("自分で作る（カーネルを編集）", "Custom (edit the kernel)")),
    ];

    /// The stable name used in menus' values and on the command line.
    pub fn slug(self) -> &'static str {
        Self::ALL.iter().find(|(f, _, _)| *f == self).map_or("custom", |(_, s, _)| s)
    }

    /// The filter for a slug.
    pub fn from_slug(slug: &str) -> Option<Filter> {
        Self::ALL.iter().find(|(_, s, _)| *s == slug).map(|(f, _, _)| *f)
    }

    /// The kernel; `custom` is the student's. `None` for the Sobel magnitude (two kernels).
    pub fn kernel(self, custom: &Kernel) -> Option<Kernel> {
        Some(match self {
            Filter::Custom => custom.clone(),
            Filter::Mean3 => Kernel::mean(3),
            Filter::Mean5 => Kernel::mean(5),
            Filter::Gaussian => Kernel::gaussian(1.0),
            Filter::SobelX => Kernel::sobel_x(),
            Filter::SobelY => Kernel::sobel_y(),
            Filter::SobelMagnitude => return None,
            Filter::Laplacian => Kernel::laplacian(),
            Filter::Sharpen => Kernel::sharpen(),
        })
    }

    /// Filters one plane.
    pub fn apply(self, p: &Plane, border: Border, custom: &Kernel) -> Plane {
        match self.kernel(custom) {
            Some(k) => convolve(p, &k, border),
            None => sobel_magnitude(p, border),
        }
    }

    /// Whether the result has negative values, shown as their absolute value (`np.abs`).
    pub fn signed(self) -> bool {
        matches!(self, Filter::SobelX | Filter::SobelY | Filter::Laplacian | Filter::Custom)
    }

    /// The filtered photo as RGBA pixels, exactly as the image lab draws it: on the gray
    /// version, or on each colour channel when `colour`.
    pub fn render(self, photo: &RgbImage, border: Border, custom: &Kernel, colour: bool) -> Vec<u8> {
        if colour {
            let planes = [0, 1, 2].map(|c| self.apply(&channel(photo, c), border, custom));
            planes_to_rgba(&planes, self.signed())
        } else {
            plane_to_rgba(&self.apply(&grayscale(photo), border, custom), self.signed(), [1.0; 3])
        }
    }
}

/// Parses a border rule: `zero`, `edge` or `reflect`.
pub fn border_from_slug(slug: &str) -> Option<Border> {
    Some(match slug {
        "zero" => Border::Zero,
        "edge" => Border::Edge,
        "reflect" => Border::Reflect,
        _ => return None,
    })
}

/// Parses a square kernel written as rows separated by `;` and values by `,` or spaces
/// (`"0,-1,0; -1,5,-1; 0,-1,0"`), as typed in the lab's kernel editor.
///
/// # Errors
/// [`CoreError::BadSetting`] when a value is not a number or the rows do not make an odd square.
pub fn parse_kernel(text: &str) -> Result<Kernel, CoreError> {
    let bad = |ja: String, en: String| CoreError::setting("kernel", ja, en);
    let rows: Vec<Vec<f32>> = text
        .split(';')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| {
            r.split([',', ' ', '\t'])
                .filter(|v| !v.is_empty())
                .map(|v| {
                    v.parse::<f32>()
                        .ok()
                        .filter(|x| x.is_finite())
                        .ok_or_else(|| bad(format!("{v:?} は数ではありません"), format!("{v:?} is not a number")))
                })
                .collect()
        })
        .collect::<Result<_, _>>()?;
    let n = rows.len();
    if n == 0 || n.is_multiple_of(2) || n > 15 || rows.iter().any(|r| r.len() != n) {
        return Err(bad(
            format!("{n} 行: 1×1〜15×15 の奇数の正方形に値を書き、行は ';' で区切ってください"),
            format!("{n} rows: write an odd square of 1×1 to 15×15 values, rows separated by ';'"),
        ));
    }
    Kernel::new(n, rows.concat()).ok_or_else(|| bad("正方形のカーネルではありません".into(), "not a square kernel".into()))
}

/// A geometric transform of the image lab (幾何変換).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Geo {
    /// 上下反転.
    FlipV,
    /// 左右反転.
    FlipH,
    /// 回転 by [`GeoParams::angle`].
    Rotate,
    /// 平行移動 by ([`GeoParams::tx`], [`GeoParams::ty`]).
    Translate,
    /// リサイズ to [`GeoParams::width`] × [`GeoParams::height`].
    Resize,
    /// 切り抜き of [`GeoParams::crop`].
    Crop,
}

/// The settings of the geometric transforms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GeoParams {
    /// Degrees, counter-clockwise.
    pub angle: f32,
    /// Shift right, in pixels.
    pub tx: f32,
    /// Shift down, in pixels.
    pub ty: f32,
    /// Resize width (clamped to 1–2048).
    pub width: usize,
    /// Resize height (clamped to 1–2048).
    pub height: usize,
    /// Smooth before shrinking (`anti_aliasing=True`).
    pub anti_aliasing: bool,
    /// x, y, width, height of the rectangle kept; `None` keeps the whole image.
    pub crop: Option<(usize, usize, usize, usize)>,
}

impl Default for GeoParams {
    fn default() -> Self {
        GeoParams { angle: 30.0, tx: 40.0, ty: 20.0, width: 80, height: 60, anti_aliasing: true, crop: None }
    }
}

impl Geo {
    /// Every transform in menu order, with its slug and its names (Japanese, English).
    pub const ALL: [(Geo, &'static str, (&'static str, &'static str)); 6] = [
        (Geo::FlipV, "flipv", ("上下反転", "Flip vertically")),
        (Geo::FlipH, "fliph", ("左右反転", "Flip horizontally")),
        (Geo::Rotate, "rotate", ("回転", "Rotate")),
        (Geo::Translate, "translate", ("平行移動", "Translate")),
        (Geo::Resize, "resize", ("リサイズ", "Resize")),
        (Geo::Crop, "crop", ("切り抜き（元の画像の上をドラッグ）", "Crop (drag on the original)")),
    ];

    /// The stable name used in menus' values and on the command line.
    pub fn slug(self) -> &'static str {
        Self::ALL.iter().find(|(g, _, _)| *g == self).map_or("", |(_, s, _)| s)
    }

    /// The transform for a slug.
    pub fn from_slug(slug: &str) -> Option<Geo> {
        Self::ALL.iter().find(|(_, s, _)| *s == slug).map(|(g, _, _)| *g)
    }

    /// Transforms one plane.
    pub fn apply(self, p: &Plane, g: &GeoParams) -> Plane {
        match self {
            Geo::FlipV => flip_vertical(p),
            Geo::FlipH => flip_horizontal(p),
            Geo::Rotate => rotate(p, g.angle),
            Geo::Translate => translate(p, g.tx, g.ty),
            Geo::Resize => resize(p, g.width.clamp(1, 2048), g.height.clamp(1, 2048), g.anti_aliasing),
            Geo::Crop => g.crop.and_then(|(x, y, w, h)| crop(p, x, y, w, h)).unwrap_or_else(|| p.clone()),
        }
    }

    /// The transformed photo as RGBA pixels (the lab works on the gray version) and its size.
    pub fn render(self, photo: &RgbImage, g: &GeoParams) -> (usize, usize, Vec<u8>) {
        let out = self.apply(&grayscale(photo), g);
        (out.width, out.height, plane_to_rgba(&out, false, [1.0; 3]))
    }

    /// The NumPy / scikit-image line that does the same.
    pub fn code(self, g: &GeoParams) -> String {
        match self {
            Geo::FlipV => "img[::-1, :]".into(),
            Geo::FlipH => "img[:, ::-1]".into(),
            Geo::Rotate => format!("transform.rotate(img, angle={})", g.angle),
            Geo::Translate => format!("transform.warp(img, transform.AffineTransform(translation=({}, {})).inverse)", g.tx, g.ty),
            Geo::Resize => format!(
                "transform.resize(img, ({}, {}), anti_aliasing={})",
                g.height,
                g.width,
                if g.anti_aliasing { "True" } else { "False" }
            ),
            Geo::Crop => match g.crop {
                Some((x, y, w, h)) => format!("img[{y}:{}, {x}:{}]", y + h, x + w),
                None => "img[y0:y1, x0:x1]".into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for (f, slug, _) in Filter::ALL {
            assert_eq!(Filter::from_slug(slug), Some(f));
            assert_eq!(f.slug(), slug);
        }
        for (g, slug, _) in Geo::ALL {
            assert_eq!(Geo::from_slug(slug), Some(g));
            assert_eq!(g.slug(), slug);
        }
        assert_eq!(Filter::from_slug("blur"), None);
        assert_eq!(border_from_slug("reflect"), Some(Border::Reflect));
    }

    #[test]
    fn kernels_parse_or_say_why() {
        let k = parse_kernel("0,-1,0; -1,5,-1; 0,-1,0").unwrap();
        assert_eq!(k, Kernel::sharpen());
        assert_eq!(parse_kernel("1").unwrap().size, 1);
        for bad in ["", "1,2;3,4", "1,2,3;4,5;6,7,8", "a,b,c;d,e,f;g,h,i", "NaN"] {
            assert!(matches!(parse_kernel(bad), Err(CoreError::BadSetting { name: "kernel", .. })), "{bad:?}");
        }
    }

    #[test]
    fn renders_are_rgba_of_the_right_size() {
        let photo = crate::images::samples::scene(40, 30);
        let px = Filter::SobelMagnitude.render(&photo, Border::Reflect, &Kernel::mean(3), false);
        assert_eq!(px.len(), 40 * 30 * 4);
        let colour = Filter::Mean3.render(&photo, Border::Edge, &Kernel::mean(3), true);
        assert_ne!(px, colour);
        let (w, h, px) = Geo::Resize.render(&photo, &GeoParams { width: 20, height: 10, ..GeoParams::default() });
        assert_eq!((w, h, px.len()), (20, 10, 800));
    }
}
