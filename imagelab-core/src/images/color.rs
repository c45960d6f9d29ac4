//! Colour and intensity: channels, grayscale, histograms and histogram equalisation.
//!
//! Colour images are `image::RgbImage` (R, G, B per pixel, 0–255), as decoded from the
//! student's photo; results that can leave 0–255 are [`Plane`]s.

use crate::images::filter::Plane;
use image::RgbImage;

/// The weights of [`grayscale`]: ITU-R BT.709 luma, as scikit-image's `rgb2gray`.
pub const GRAY_WEIGHTS: [f32; 3] = [0.2125, 0.7154, 0.0721];

/// グレースケール: `Y = 0.2125 R + 0.7154 G + 0.0721 B` (scikit-image `color.rgb2gray`, on 0–255).
pub fn grayscale(img: &RgbImage) -> Plane {
    let [wr, wg, wb] = GRAY_WEIGHTS;
    let data = img.pixels().map(|p| wr * p[0] as f32 + wg * p[1] as f32 + wb * p[2] as f32).collect();
    Plane::new(img.width() as usize, img.height() as usize, data)
}

/// [`grayscale`] straight from RGBA bytes (a canvas frame), skipping an RGB copy.
///
/// # Panics
/// If `rgba.len() != width * height * 4`.
pub fn grayscale_rgba(rgba: &[u8], width: usize, height: usize) -> Plane {
    assert_eq!(rgba.len(), width * height * 4, "RGBA size mismatch");
    let [wr, wg, wb] = GRAY_WEIGHTS;
    let data = rgba.chunks_exact(4).map(|p| wr * p[0] as f32 + wg * p[1] as f32 + wb * p[2] as f32).collect();
    Plane::new(width, height, data)
}

/// The R, G and B planes of RGBA bytes (a canvas frame); alpha is dropped.
///
/// # Panics
/// If `rgba.len() != width * height * 4`.
pub fn channels_rgba(rgba: &[u8], width: usize, height: usize) -> [Plane; 3] {
    assert_eq!(rgba.len(), width * height * 4, "RGBA size mismatch");
    let n = width * height;
    let mut planes = [Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n)];
    for p in rgba.chunks_exact(4) {
        planes[0].push(p[0] as f32);
        planes[1].push(p[1] as f32);
        planes[2].push(p[2] as f32);
    }
    planes.map(|data| Plane::new(width, height, data))
}

/// A plane as RGBA bytes for a canvas: values clamped to 0–255 (or `|v|` when `absolute`, for
/// Sobel), drawn in gray or multiplied by `tint` (a channel shown in red, green or blue). Here in
/// the core, not the page, so this per-frame loop gets the core's opt-level 3 (the live camera).
pub fn plane_to_rgba(p: &Plane, absolute: bool, tint: [f32; 3]) -> Vec<u8> {
    let mut data = vec![255u8; p.data.len() * 4];
    // `round_ties_even` is one wasm instruction (f32.nearest); `round` is a library call.
    let level = |v: f32| if absolute { v.abs() } else { v }.clamp(0.0, 255.0).round_ties_even();
    if tint == [1.0, 1.0, 1.0] {
        for (px, &v) in data.chunks_exact_mut(4).zip(&p.data) {
            let g = level(v) as u8;
            px[0] = g;
            px[1] = g;
            px[2] = g;
        }
    } else {
        for (px, &v) in data.chunks_exact_mut(4).zip(&p.data) {
            let v = level(v);
            px[0] = (v * tint[0]) as u8;
            px[1] = (v * tint[1]) as u8;
            px[2] = (v * tint[2]) as u8;
        }
    }
    data
}

/// Three planes (R, G, B) as RGBA bytes, clamped (or `|v|` when `absolute`).
///
/// # Panics
/// If the planes differ in size.
pub fn planes_to_rgba(planes: &[Plane; 3], absolute: bool) -> Vec<u8> {
    let n = planes[0].data.len();
    assert!(planes.iter().all(|p| p.data.len() == n), "planes of different sizes");
    let mut data = vec![255u8; n * 4];
    let level = |v: f32| if absolute { v.abs() } else { v }.clamp(0.0, 255.0).round_ties_even() as u8;
    for (c, plane) in planes.iter().enumerate() {
        for (px, &v) in data.chunks_exact_mut(4).zip(&plane.data) {
            px[c] = level(v);
        }
    }
    data
}

/// One channel (0 = R, 1 = G, 2 = B) as a plane: `img[:, :, c]`.
///
/// # Panics
/// If `c > 2`.
pub fn channel(img: &RgbImage, c: usize) -> Plane {
    assert!(c < 3, "channel {c} of an RGB image");
    let data = img.pixels().map(|p| p[c] as f32).collect();
    Plane::new(img.width() as usize, img.height() as usize, data)
}

/// How many pixels have each value 0–255.
pub fn histogram(values: &[u8]) -> [u32; 256] {
    let mut h = [0u32; 256];
    for &v in values {
        h[v as usize] += 1;
    }
    h
}

/// ヒストグラム平坦化: each value becomes the share of pixels at or below it (the cumulative
/// histogram), scaled to 0–255 — scikit-image's `exposure.equalize_hist` on 8-bit input, × 255.
pub fn equalize(values: &[u8]) -> Vec<f32> {
    let h = histogram(values);
    let total = values.len().max(1) as f32;
    let mut cdf = [0f32; 256];
    let mut running = 0u32;
    for (v, &count) in h.iter().enumerate() {
        running += count;
        cdf[v] = running as f32 / total * 255.0;
    }
    values.iter().map(|&v| cdf[v as usize]).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn planes_become_canvas_pixels() {
        let p = super::Plane::new(2, 1, vec![-20.0, 300.0]);
        assert_eq!(super::plane_to_rgba(&p, false, [1.0, 1.0, 1.0]), vec![0, 0, 0, 255, 255, 255, 255, 255]);
        assert_eq!(super::plane_to_rgba(&p, true, [1.0, 0.0, 0.0]), vec![20, 0, 0, 255, 255, 0, 0, 255]);
        let q = super::Plane::new(2, 1, vec![1.4, 2.6]);
        assert_eq!(super::planes_to_rgba(&[q.clone(), p.clone(), q], false), vec![1, 0, 1, 255, 3, 255, 3, 255]);
    }

    use super::*;

    #[test]
    fn gray_of_pure_colours_is_the_weight() {
        let img = RgbImage::from_raw(3, 1, vec![255, 0, 0, 0, 255, 0, 0, 0, 255]).unwrap();
        let g = grayscale(&img);
        for (v, w) in g.data.iter().zip(GRAY_WEIGHTS) {
            assert!((v - 255.0 * w).abs() < 1e-3);
        }
        assert!((GRAY_WEIGHTS.iter().sum::<f32>() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn rgba_and_rgb_grayscale_agree() {
        let rgb = RgbImage::from_raw(2, 1, vec![10, 200, 30, 255, 0, 128]).unwrap();
        let rgba = [10, 200, 30, 255, 255, 0, 128, 7];
        assert_eq!(grayscale(&rgb), grayscale_rgba(&rgba, 2, 1));
    }

    #[test]
    fn rgba_channels_split_and_drop_alpha() {
        let [r, g, b] = channels_rgba(&[1, 2, 3, 4, 5, 6, 7, 8], 2, 1);
        assert_eq!((r.data, g.data, b.data), (vec![1.0, 5.0], vec![2.0, 6.0], vec![3.0, 7.0]));
    }

    #[test]
    fn channels_pick_one_value_per_pixel() {
        let img = RgbImage::from_raw(2, 1, vec![1, 2, 3, 4, 5, 6]).unwrap();
        assert_eq!(channel(&img, 1).data, vec![2.0, 5.0]);
    }

    #[test]
    fn equalisation_spreads_a_narrow_histogram() {
        let v: Vec<u8> = (0..100).map(|i| 100 + (i % 10) as u8).collect();
        let eq = equalize(&v);
        let (min, max) = eq.iter().fold((f32::MAX, f32::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        assert!(min <= 26.0 && max == 255.0, "{min}..{max}");
        // Order is kept.
        assert!(eq[0] < eq[1]);
        assert_eq!(histogram(&v)[105], 10);
    }
}
