//! Geometry (幾何変換): flip, crop, rotate, translate, resize — each with the NumPy /
//! scikit-image line the course uses, so students can match the lab to their notebook.

use crate::images::filter::Plane;

/// 上下反転 — `img[::-1, :]`.
pub fn flip_vertical(p: &Plane) -> Plane {
    let mut data = Vec::with_capacity(p.data.len());
    for y in (0..p.height).rev() {
        data.extend_from_slice(&p.data[y * p.width..(y + 1) * p.width]);
    }
    Plane::new(p.width, p.height, data)
}

/// 左右反転 — `img[:, ::-1]`.
pub fn flip_horizontal(p: &Plane) -> Plane {
    let mut data = Vec::with_capacity(p.data.len());
    for row in p.data.chunks_exact(p.width.max(1)) {
        data.extend(row.iter().rev());
    }
    Plane::new(p.width, p.height, data)
}

/// 切り抜き — `img[y:y+h, x:x+w]`. The rectangle is clipped to the image; `None` when nothing
/// of it is inside.
pub fn crop(p: &Plane, x: usize, y: usize, w: usize, h: usize) -> Option<Plane> {
    let (x1, y1) = (x.saturating_add(w).min(p.width), y.saturating_add(h).min(p.height));
    if x >= x1 || y >= y1 {
        return None;
    }
    let mut data = Vec::with_capacity((x1 - x) * (y1 - y));
    for row in y..y1 {
        data.extend_from_slice(&p.data[row * p.width + x..row * p.width + x1]);
    }
    Some(Plane::new(x1 - x, y1 - y, data))
}

/// The value at fractional (x, y) by bilinear interpolation; cells outside the image are 0.
fn bilinear(p: &Plane, x: f32, y: f32) -> f32 {
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let at = |xi: f32, yi: f32| {
        if xi < 0.0 || yi < 0.0 || xi >= p.width as f32 || yi >= p.height as f32 {
            0.0
        } else {
            p.data[yi as usize * p.width + xi as usize]
        }
    };
    let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1.0, y0) * fx;
    let bottom = at(x0, y0 + 1.0) * (1.0 - fx) + at(x0 + 1.0, y0 + 1.0) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// Builds an output of the input's size where each output pixel (x, y) samples the input at
/// `map(x, y)`, bilinearly, with zeros outside — scikit-image's `warp(..., order=1, cval=0)`.
pub(crate) fn warp(p: &Plane, map: impl Fn(f32, f32) -> (f32, f32)) -> Plane {
    let mut data = Vec::with_capacity(p.data.len());
    for y in 0..p.height {
        for x in 0..p.width {
            let (sx, sy) = map(x as f32, y as f32);
            data.push(bilinear(p, sx, sy));
        }
    }
    Plane::new(p.width, p.height, data)
}

/// 回転 — `transform.rotate(img, angle=degrees)`: counter-clockwise about the centre, same size,
/// corners that come from outside are black.
pub fn rotate(p: &Plane, degrees: f32) -> Plane {
    let (s, c) = degrees.to_radians().sin_cos();
    let (cx, cy) = (p.width as f32 / 2.0 - 0.5, p.height as f32 / 2.0 - 0.5);
    warp(p, |x, y| {
        let (dx, dy) = (x - cx, y - cy);
        (c * dx - s * dy + cx, s * dx + c * dy + cy)
    })
}

/// 平行移動 — `transform.warp(img, transform.AffineTransform(translation=(tx, ty)).inverse)`:
/// content moves `tx` right and `ty` down.
pub fn translate(p: &Plane, tx: f32, ty: f32) -> Plane {
    warp(p, |x, y| (x - tx, y - ty))
}

/// リサイズ — `transform.resize(img, (h, w), order=1, anti_aliasing=aa)` with scikit-image's
/// default `mode='reflect'`: bilinear on pixel centres; when shrinking with `anti_aliasing`, a
/// Gaussian blur of σ = (scale − 1) / 2 first removes the detail the smaller grid cannot hold.
/// Past the border, both the blur and the sampling see the image mirrored about its edge pixels
/// (… c b | a b c … — SciPy's `'mirror'`, which scikit-image's `'reflect'` becomes).
///
/// # Panics
/// If `w` or `h` is 0, or the image is empty.
pub fn resize(p: &Plane, w: usize, h: usize, anti_aliasing: bool) -> Plane {
    assert!(w > 0 && h > 0, "resize to an empty image");
    assert!(p.width > 0 && p.height > 0, "resize of an empty image");
    let (sx, sy) = (p.width as f32 / w as f32, p.height as f32 / h as f32);
    let src = if anti_aliasing && (sx > 1.0 || sy > 1.0) {
        let sigma_x = ((sx - 1.0) / 2.0).max(0.0);
        let sigma_y = ((sy - 1.0) / 2.0).max(0.0);
        blur_separable(p, sigma_x, sigma_y)
    } else {
        p.clone()
    };
    // Each output pixel's two source columns (mirrored past the border) and the weight of the second.
    // (Positions in f64: at a sharp edge an error of 1e-6 px in f32 moves the value by 1e-3.)
    let taps = |n_out: usize, n_in: usize| -> Vec<(usize, usize, f32)> {
        let scale = n_in as f64 / n_out as f64;
        (0..n_out)
            .map(|i| {
                let f = (i as f64 + 0.5) * scale - 0.5;
                let i0 = f.floor();
                (mirror(i0 as isize, n_in), mirror(i0 as isize + 1, n_in), (f - i0) as f32)
            })
            .collect()
    };
    let (xs, ys) = (taps(w, src.width), taps(h, src.height));
    let mut data = Vec::with_capacity(w * h);
    for &(y0, y1, ay) in &ys {
        for &(x0, x1, ax) in &xs {
            let g = |xx: usize, yy: usize| src.data[yy * src.width + xx];
            let top = g(x0, y0) * (1.0 - ax) + g(x1, y0) * ax;
            let bottom = g(x0, y1) * (1.0 - ax) + g(x1, y1) * ax;
            data.push(top * (1.0 - ay) + bottom * ay);
        }
    }
    Plane::new(w, h, data)
}

/// An index mirrored into `0..n` about the edge pixels (SciPy's `'mirror'`: … 2 1 | 0 1 2 … n−2
/// n−1 | n−2 …).
fn mirror(i: isize, n: usize) -> usize {
    if n == 1 {
        return 0;
    }
    let period = 2 * (n as isize - 1);
    let k = i.rem_euclid(period);
    (if k >= n as isize { period - k } else { k }) as usize
}

/// One 1-D pass of `weights` (centred) along x when `along_x`, else along y, the image mirrored
/// past its edges; sums in f64.
fn blur_pass(p: &mut Plane, weights: &[f64], along_x: bool) {
    let (width, height) = (p.width, p.height);
    let (r, src) = ((weights.len() / 2) as isize, p.data.clone());
    for y in 0..height {
        for x in 0..width {
            let at = |k: usize| {
                let d = k as isize - r;
                if along_x { y * width + mirror(x as isize + d, width) } else { mirror(y as isize + d, height) * width + x }
            };
            p.data[y * width + x] = weights.iter().enumerate().map(|(k, wk)| wk * f64::from(src[at(k)])).sum::<f64>() as f32;
        }
    }
}

/// A Gaussian blur with separate σ along x and y (the image mirrored past its edges, as
/// [`resize`] samples it), as two 1-D passes cut at 4σ like SciPy's `gaussian_filter`.
fn blur_separable(p: &Plane, sigma_x: f32, sigma_y: f32) -> Plane {
    // Weights and sums in f64: the 0–255 values then stay within 1e-4 of SciPy's.
    let weights = |sigma: f32| -> Option<Vec<f64>> {
        if sigma <= 0.0 {
            return None;
        }
        let sigma = f64::from(sigma);
        let radius = (4.0 * sigma + 0.5) as usize;
        let w: Vec<f64> = (0..=2 * radius).map(|i| (-((i as f64 - radius as f64).powi(2)) / (2.0 * sigma * sigma)).exp()).collect();
        let sum: f64 = w.iter().sum();
        Some(w.into_iter().map(|v| v / sum).collect())
    };
    let mut out = p.clone();
    if let Some(w) = weights(sigma_x) {
        blur_pass(&mut out, &w, true);
    }
    if let Some(w) = weights(sigma_y) {
        blur_pass(&mut out, &w, false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    fn random(rng: &mut SplitMix64, w: usize, h: usize) -> Plane {
        Plane::new(w, h, (0..w * h).map(|_| rng.below(256) as f32).collect())
    }

    #[test]
    fn mirror_reflects_about_the_edge_pixels() {
        // n = 4: … 2 1 | 0 1 2 3 | 2 1 0 | 1 …
        let got: Vec<usize> = (-4..9).map(|i| mirror(i, 4)).collect();
        assert_eq!(got, vec![2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2]);
        assert_eq!(mirror(-7, 1), 0);
    }

    #[test]
    fn flips_twice_are_the_identity() {
        let mut rng = SplitMix64::new(1);
        for _ in 0..20 {
            let (w, h) = (1 + rng.below(8), 1 + rng.below(8));
            let p = random(&mut rng, w, h);
            assert_eq!(flip_vertical(&flip_vertical(&p)), p);
            assert_eq!(flip_horizontal(&flip_horizontal(&p)), p);
        }
    }

    #[test]
    fn rotating_a_square_by_90_four_times_is_the_identity() {
        let mut rng = SplitMix64::new(2);
        let p = random(&mut rng, 6, 6);
        let mut q = p.clone();
        for _ in 0..4 {
            q = rotate(&q, 90.0);
        }
        for (a, b) in p.data.iter().zip(&q.data) {
            assert!((a - b).abs() < 1e-2, "{a} vs {b}");
        }
    }

    #[test]
    fn rotate_90_turns_counter_clockwise() {
        // 2×2: [a b; c d] → rotated 90° CCW → [b d; a c].
        let p = Plane::new(2, 2, vec![1.0, 2.0, 3.0, 4.0]);
        let r = rotate(&p, 90.0);
        let want = [2.0, 4.0, 1.0, 3.0];
        for (v, w) in r.data.iter().zip(want) {
            assert!((v - w).abs() < 1e-4, "{:?}", r.data);
        }
    }

    #[test]
    fn translate_moves_content_and_fills_black() {
        let p = Plane::new(3, 1, vec![10.0, 20.0, 30.0]);
        assert_eq!(translate(&p, 1.0, 0.0).data, vec![0.0, 10.0, 20.0]);
    }

    #[test]
    fn crop_is_slicing_and_clips() {
        let p = Plane::new(3, 3, (0..9).map(|v| v as f32).collect());
        assert_eq!(crop(&p, 1, 1, 5, 5).unwrap().data, vec![4.0, 5.0, 7.0, 8.0]);
        assert!(crop(&p, 3, 0, 1, 1).is_none());
    }

    #[test]
    fn resize_keeps_constants_and_sizes() {
        let p = Plane::new(7, 5, vec![42.0; 35]);
        for aa in [false, true] {
            let r = resize(&p, 3, 2, aa);
            assert_eq!((r.width, r.height), (3, 2));
            assert!(r.data.iter().all(|v| (v - 42.0).abs() < 1e-3));
        }
        let up = resize(&p, 14, 10, true);
        assert_eq!(up.data.len(), 140);
    }
}
