//! Spatial filtering (空間フィルタリング): a kernel slides over the image and each output pixel is
//! the sum of products of the pixels under the kernel and the kernel's weights.
//!
//! Written by hand on purpose: this convolution is what the students watch, step by step
//! ([`explain_at`]), so the code says exactly what the course says. Strictly it is a
//! *correlation* (the kernel is not flipped), as in the course and in `scipy.ndimage.correlate`;
//! for the symmetric kernels here the two are the same, and Sobel follows the course's sign.

use serde::{Deserialize, Serialize};

/// A single-channel image of `f32` values, row-major. 8-bit images keep their 0–255 scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plane {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `height * width` values, row by row.
    pub data: Vec<f32>,
}

impl Plane {
    /// A plane from its values.
    ///
    /// # Panics
    /// If `data.len() != width * height`.
    pub fn new(width: usize, height: usize, data: Vec<f32>) -> Self {
        assert_eq!(data.len(), width * height, "plane size mismatch");
        Plane { width, height, data }
    }

    /// A plane of 8-bit values.
    pub fn from_u8(width: usize, height: usize, data: &[u8]) -> Self {
        Plane::new(width, height, data.iter().map(|&v| v as f32).collect())
    }

    /// The value at (x, y).
    ///
    /// # Panics
    /// If out of bounds.
    pub fn get(&self, x: usize, y: usize) -> f32 {
        assert!(x < self.width && y < self.height, "({x}, {y}) outside the plane");
        self.data[y * self.width + x]
    }

    /// The value at (x, y), which may lie outside the image: then `border` decides (0 for zero
    /// padding).
    pub fn sample(&self, x: isize, y: isize, border: Border) -> f32 {
        match (border.index(x, self.width), border.index(y, self.height)) {
            (Some(sx), Some(sy)) => self.data[sy * self.width + sx],
            _ => 0.0,
        }
    }

    /// The values clamped to 0–255 and rounded (halves to even, as NumPy's `np.round`).
    pub fn to_u8(&self) -> Vec<u8> {
        self.data.iter().map(|&v| v.clamp(0.0, 255.0).round_ties_even() as u8).collect()
    }
}

/// What lies outside the image, where the kernel hangs over the edge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Border {
    /// ゼロパディング: zeros (the course's default; `mode='constant', cval=0`).
    #[default]
    Zero,
    /// The nearest edge pixel repeated (`mode='nearest'`).
    Edge,
    /// Mirrored, edge pixel included (`mode='reflect'` in SciPy: d c b a | a b c d | d c b a).
    Reflect,
}

impl Border {
    /// Maps a coordinate that may lie outside `0..n` to an index inside, or `None` for zero.
    fn index(self, i: isize, n: usize) -> Option<usize> {
        let n = n as isize;
        if (0..n).contains(&i) {
            return Some(i as usize);
        }
        match self {
            Border::Zero => None,
            Border::Edge => Some(i.clamp(0, n - 1) as usize),
            Border::Reflect => {
                // Period 2n: 0..n forwards, n..2n backwards.
                let period = 2 * n;
                let m = i.rem_euclid(period);
                Some(if m < n { m } else { period - 1 - m } as usize)
            }
        }
    }
}

/// A square kernel of odd size (3×3, 5×5, …), row-major.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kernel {
    /// Side length (odd).
    pub size: usize,
    /// `size * size` weights.
    pub weights: Vec<f32>,
}

impl Kernel {
    /// A kernel from its weights; `None` unless the size is odd and the weights fit.
    pub fn new(size: usize, weights: Vec<f32>) -> Option<Self> {
        (size % 2 == 1 && weights.len() == size * size).then_some(Kernel { size, weights })
    }

    /// 平均化フィルタ: every weight 1/(size²).
    pub fn mean(size: usize) -> Self {
        let size = size | 1;
        Kernel { size, weights: vec![1.0 / (size * size) as f32; size * size] }
    }

    /// A Gaussian of standard deviation `sigma` (at least 0.1), normalised to sum 1, cut at 4σ as
    /// `scipy.ndimage.gaussian_filter` and scikit-image are (`truncate=4.0`): radius
    /// ⌊4σ + 0.5⌋, at least 1 — 9×9 for σ = 1. Computed in f64 and rounded once, so the f32
    /// weights sum to 1 as closely as f32 allows (an f32 sum over a 13×13 kernel is off by ~6e-7).
    pub fn gaussian(sigma: f32) -> Self {
        let sigma = f64::from(sigma.max(0.1));
        let radius = ((4.0 * sigma + 0.5) as usize).max(1);
        let size = 2 * radius + 1;
        let mut weights = Vec::with_capacity(size * size);
        for y in 0..size {
            for x in 0..size {
                let (dx, dy) = (x as f64 - radius as f64, y as f64 - radius as f64);
                weights.push((-(dx * dx + dy * dy) / (2.0 * sigma * sigma)).exp());
            }
        }
        let sum: f64 = weights.iter().sum();
        Kernel { size, weights: weights.iter().map(|w| (w / sum) as f32).collect() }
    }

    /// ソーベルフィルタ x: responds to changes from left to right.
    pub fn sobel_x() -> Self {
        Kernel { size: 3, weights: vec![-1.0, 0.0, 1.0, -2.0, 0.0, 2.0, -1.0, 0.0, 1.0] }
    }

    /// ソーベルフィルタ y: responds to changes from top to bottom.
    pub fn sobel_y() -> Self {
        Kernel { size: 3, weights: vec![-1.0, -2.0, -1.0, 0.0, 0.0, 0.0, 1.0, 2.0, 1.0] }
    }

    /// ラプラシアンフィルタ (4-neighbour).
    pub fn laplacian() -> Self {
        Kernel { size: 3, weights: vec![0.0, 1.0, 0.0, 1.0, -4.0, 1.0, 0.0, 1.0, 0.0] }
    }

    /// 鮮鋭化 (sharpen): the image plus its negative Laplacian.
    pub fn sharpen() -> Self {
        Kernel { size: 3, weights: vec![0.0, -1.0, 0.0, -1.0, 5.0, -1.0, 0.0, -1.0, 0.0] }
    }

    /// Splits a rank-1 kernel into a column and a row with `at(kx, ky) = col[ky] * row[kx]`
    /// (to float precision), or `None` when it does not factor that way.
    pub fn separate(&self) -> Option<(Vec<f32>, Vec<f32>)> {
        let k = self.size;
        let (pivot, &pv) = self.weights.iter().enumerate().max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))?;
        if pv == 0.0 {
            return None;
        }
        let (py, px) = (pivot / k, pivot % k);
        let row: Vec<f32> = (0..k).map(|x| self.at(x, py)).collect();
        let col: Vec<f32> = (0..k).map(|y| self.at(px, y) / pv).collect();
        let scale = pv.abs();
        let factors = (0..k).all(|y| (0..k).all(|x| (col[y] * row[x] - self.at(x, y)).abs() <= 1e-6 * scale));
        factors.then_some((col, row))
    }

    /// The weight at kernel row `ky`, column `kx`.
    pub fn at(&self, kx: usize, ky: usize) -> f32 {
        self.weights[ky * self.size + kx]
    }
}

/// Filters `src` with `kernel`: `out(x, y) = Σ kernel(i, j) · src(x + i − r, y + j − r)` where `r`
/// is the kernel's radius and pixels outside the image come from `border`. The output has the
/// input's size.
pub fn convolve(src: &Plane, kernel: &Kernel, border: Border) -> Plane {
    let (w, h, k) = (src.width, src.height, kernel.size);
    let r = k / 2;
    let mut out = vec![0.0f32; w * h];
    // Interior: the kernel lies wholly inside, no border lookups — plain slices the compiler
    // vectorises. A separable kernel (mean, Gaussian, Sobel) runs as a column pass then a row
    // pass: 2k multiply-adds per pixel instead of k².
    let interior = w > 2 * r && h > 2 * r;
    if interior && let Some((col, row)) = kernel.separate() {
        let mut tmp = vec![0.0f32; w];
        for y in r..h - r {
            tmp.iter_mut().for_each(|t| *t = 0.0);
            for (ky, &c) in col.iter().enumerate() {
                if c == 0.0 {
                    continue;
                }
                let src_row = &src.data[(y + ky - r) * w..(y + ky - r + 1) * w];
                for (t, &v) in tmp.iter_mut().zip(src_row) {
                    *t += c * v;
                }
            }
            let out_row = &mut out[y * w + r..y * w + w - r];
            for (kx, &c) in row.iter().enumerate() {
                if c == 0.0 {
                    continue;
                }
                for (o, &v) in out_row.iter_mut().zip(&tmp[kx..kx + w - 2 * r]) {
                    *o += c * v;
                }
            }
        }
    } else if interior {
        for y in r..h - r {
            let out_row = &mut out[y * w..(y + 1) * w];
            for ky in 0..k {
                let src_row = &src.data[(y + ky - r) * w..(y + ky - r + 1) * w];
                let weights = &kernel.weights[ky * k..(ky + 1) * k];
                for (kx, &wgt) in weights.iter().enumerate() {
                    if wgt == 0.0 {
                        continue;
                    }
                    let shifted = &src_row[kx..kx + w - 2 * r];
                    for (o, &v) in out_row[r..w - r].iter_mut().zip(shifted) {
                        *o += wgt * v;
                    }
                }
            }
        }
    }
    // The frame of pixels whose kernel hangs over the edge (or everything in a tiny image).
    for y in 0..h {
        let edge_row = !interior || y < r || y >= h - r;
        for x in 0..w {
            if edge_row || x < r || x >= w - r {
                out[y * w + x] = border_pixel(src, kernel, border, x, y);
            }
        }
    }
    Plane::new(w, h, out)
}

/// One output pixel, looking every source pixel up through the border mode. The sum is kept in
/// f64: a big kernel (a Gaussian of σ = 1.5 has 169 cells) summed in f32 drifts by ~1e-4 on the
/// 0–255 scale, and this frame is the slow path anyway.
fn border_pixel(src: &Plane, kernel: &Kernel, border: Border, x: usize, y: usize) -> f32 {
    let r = (kernel.size / 2) as isize;
    let (w, h) = (src.width, src.height);
    let mut acc = 0.0f64;
    for ky in 0..kernel.size {
        let Some(sy) = border.index(y as isize + ky as isize - r, h) else { continue };
        let row = &src.data[sy * w..(sy + 1) * w];
        for kx in 0..kernel.size {
            if let Some(sx) = border.index(x as isize + kx as isize - r, w) {
                acc += f64::from(kernel.at(kx, ky)) * f64::from(row[sx]);
            }
        }
    }
    acc as f32
}

/// The gradient magnitude √(Sobel x² + Sobel y²).
pub fn sobel_magnitude(src: &Plane, border: Border) -> Plane {
    let gx = convolve(src, &Kernel::sobel_x(), border);
    let gy = convolve(src, &Kernel::sobel_y(), border);
    let data = gx.data.iter().zip(&gy.data).map(|(a, b)| (a * a + b * b).sqrt()).collect();
    Plane::new(src.width, src.height, data)
}

/// One term of the sum at one position: the pixel under a kernel cell and its product.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// The pixel value used (0 for a zero-padded cell).
    pub pixel: f32,
    /// The kernel weight.
    pub weight: f32,
    /// `pixel * weight`.
    pub product: f32,
    /// Whether the cell lies outside the image (filled by the border mode).
    pub outside: bool,
}

/// Every product of the kernel at output position (x, y), row by row, and their sum — the
/// convolution explainer's data.
///
/// # Panics
/// If (x, y) is outside the image.
pub fn explain_at(src: &Plane, kernel: &Kernel, border: Border, x: usize, y: usize) -> (Vec<Term>, f32) {
    assert!(x < src.width && y < src.height, "({x}, {y}) outside the image");
    let r = (kernel.size / 2) as isize;
    let mut terms = Vec::with_capacity(kernel.size * kernel.size);
    for ky in 0..kernel.size {
        for kx in 0..kernel.size {
            let (ix, iy) = (x as isize + kx as isize - r, y as isize + ky as isize - r);
            let outside = ix < 0 || iy < 0 || ix >= src.width as isize || iy >= src.height as isize;
            let pixel = src.sample(ix, iy, border);
            let weight = kernel.at(kx, ky);
            terms.push(Term { pixel, weight, product: pixel * weight, outside });
        }
    }
    let sum = terms.iter().map(|t| t.product).sum();
    (terms, sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plane(w: usize, h: usize, v: &[f32]) -> Plane {
        Plane::new(w, h, v.to_vec())
    }

    #[test]
    fn mean_of_a_constant_is_the_constant_inside() {
        let p = plane(5, 5, &[90.0; 25]);
        let out = convolve(&p, &Kernel::mean(3), Border::Zero);
        assert!((out.get(2, 2) - 90.0).abs() < 1e-4);
        // At a corner, zero padding leaves 4 of 9 cells: 40.
        assert!((out.get(0, 0) - 40.0).abs() < 1e-4);
        // Edge and reflect keep the constant everywhere.
        for b in [Border::Edge, Border::Reflect] {
            let out = convolve(&p, &Kernel::mean(3), b);
            assert!(out.data.iter().all(|v| (v - 90.0).abs() < 1e-4));
        }
    }

    #[test]
    fn a_worked_example_by_hand() {
        // 3×3 mean over a 4×3 image; position (1,1) sums the left 3×3 block.
        let p = plane(4, 3, &[10., 20., 30., 40., 50., 60., 70., 80., 90., 100., 110., 120.]);
        let (terms, sum) = explain_at(&p, &Kernel::mean(3), Border::Zero, 1, 1);
        assert_eq!(terms.len(), 9);
        let expected: f32 = [10., 20., 30., 50., 60., 70., 90., 100., 110.].iter().sum::<f32>() / 9.0;
        assert!((sum - expected).abs() < 1e-4);
        assert!((convolve(&p, &Kernel::mean(3), Border::Zero).get(1, 1) - sum).abs() < 1e-4);
        // One step right: the block shifts by one column (+10 per pixel on average).
        let (_, next) = explain_at(&p, &Kernel::mean(3), Border::Zero, 2, 1);
        assert!((next - sum - 10.0).abs() < 1e-4);
    }

    #[test]
    fn an_impulse_returns_the_kernel_flipped_by_correlation() {
        // Correlating an impulse gives the kernel rotated 180°.
        let mut data = vec![0.0; 25];
        data[12] = 1.0;
        let p = plane(5, 5, &data);
        let k = Kernel::new(3, (1..=9).map(|v| v as f32).collect()).unwrap();
        let out = convolve(&p, &k, Border::Zero);
        for ky in 0..3 {
            for kx in 0..3 {
                assert_eq!(out.get(1 + kx, 1 + ky), k.at(2 - kx, 2 - ky));
            }
        }
        assert_eq!(out.data.iter().filter(|&&v| v != 0.0).count(), 9);
    }

    #[test]
    fn sobel_finds_a_vertical_edge() {
        // Left half 0, right half 100.
        let p = Plane::new(6, 4, (0..24).map(|i| if i % 6 >= 3 { 100.0 } else { 0.0 }).collect());
        let gx = convolve(&p, &Kernel::sobel_x(), Border::Edge);
        let gy = convolve(&p, &Kernel::sobel_y(), Border::Edge);
        assert_eq!(gx.get(2, 1), 400.0);
        assert_eq!(gx.get(0, 1), 0.0);
        assert!(gy.data.iter().all(|&v| v == 0.0));
        assert_eq!(sobel_magnitude(&p, Border::Edge).get(3, 2), 400.0);
    }

    #[test]
    fn border_modes_map_like_scipy() {
        // n = 4: reflect gives ... 1 0 | 0 1 2 3 | 3 2 ...
        let idx = |b: Border, i| b.index(i, 4);
        assert_eq!(idx(Border::Reflect, -1), Some(0));
        assert_eq!(idx(Border::Reflect, -2), Some(1));
        assert_eq!(idx(Border::Reflect, 4), Some(3));
        assert_eq!(idx(Border::Reflect, 5), Some(2));
        assert_eq!(idx(Border::Edge, -3), Some(0));
        assert_eq!(idx(Border::Edge, 9), Some(3));
        assert_eq!(idx(Border::Zero, -1), None);
        assert_eq!(idx(Border::Zero, 2), Some(2));
    }

    #[test]
    fn gaussian_is_normalised_and_symmetric() {
        let k = Kernel::gaussian(1.0);
        assert_eq!(k.size, 9);
        assert!((k.weights.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert_eq!(k.at(0, 4), k.at(8, 4));
        assert_eq!(k.at(0, 4), k.at(4, 0));
        assert!(k.at(4, 4) > k.at(3, 4));
    }

    #[test]
    fn gaussian_is_cut_at_four_sigma_like_scipy() {
        // scipy.ndimage.gaussian_filter(truncate=4.0): radius int(4σ + 0.5).
        for (sigma, radius) in [(0.1, 1), (0.6, 2), (1.0, 4), (1.5, 6), (2.0, 8), (2.5, 10)] {
            assert_eq!(Kernel::gaussian(sigma).size, 2 * radius + 1, "σ = {sigma}");
        }
    }

    #[test]
    fn explain_marks_padding_cells() {
        let p = plane(3, 3, &[1.0; 9]);
        let (terms, sum) = explain_at(&p, &Kernel::mean(3), Border::Zero, 0, 0);
        assert_eq!(terms.iter().filter(|t| t.outside).count(), 5);
        assert!((sum - 4.0 / 9.0).abs() < 1e-6);
        let (terms, _) = explain_at(&p, &Kernel::mean(3), Border::Edge, 0, 0);
        assert!(terms.iter().all(|t| t.pixel == 1.0));
    }

    /// Asserts `convolve` agrees with the plain per-pixel sum everywhere.
    fn assert_matches_plain_sum(p: &Plane, k: &Kernel, border: Border) {
        let fast = convolve(p, k, border);
        for y in 0..p.height {
            for x in 0..p.width {
                let slow = border_pixel(p, k, border, x, y);
                let (w, h, size) = (p.width, p.height, k.size);
                assert!((fast.get(x, y) - slow).abs() < 1e-3, "{w}×{h} k{size} {border:?} ({x},{y})");
            }
        }
    }

    #[test]
    fn sample_reads_through_the_border() {
        let p = plane(2, 1, &[5.0, 7.0]);
        assert_eq!(p.sample(1, 0, Border::Zero), 7.0);
        assert_eq!(p.sample(-1, 0, Border::Zero), 0.0);
        assert_eq!(p.sample(3, 0, Border::Edge), 7.0);
        assert_eq!(p.sample(-1, 0, Border::Reflect), 5.0);
    }

    #[test]
    fn fast_interior_path_equals_the_plain_sum() {
        let mut rng = crate::rng::SplitMix64::new(11);
        for _ in 0..30 {
            let (w, h) = (1 + rng.below(12), 1 + rng.below(12));
            let p = Plane::new(w, h, (0..w * h).map(|_| rng.below(256) as f32).collect());
            let size = [1, 3, 5][rng.below(3)];
            let k = Kernel::new(size, (0..size * size).map(|_| rng.next_f64() as f32 - 0.5).collect()).unwrap();
            for border in [Border::Zero, Border::Edge, Border::Reflect] {
                assert_matches_plain_sum(&p, &k, border);
            }
        }
    }

    #[test]
    fn standard_kernels_separate_and_others_do_not() {
        for k in [Kernel::mean(3), Kernel::mean(5), Kernel::gaussian(1.0), Kernel::sobel_x(), Kernel::sobel_y()] {
            let (col, row) = k.separate().expect("separable");
            for (y, c) in col.iter().enumerate() {
                for (x, r) in row.iter().enumerate() {
                    assert!((c * r - k.at(x, y)).abs() < 1e-6);
                }
            }
        }
        assert!(Kernel::laplacian().separate().is_none());
        assert!(Kernel::sharpen().separate().is_none());
        assert!(Kernel::new(3, vec![0.0; 9]).unwrap().separate().is_none());
    }

    #[test]
    fn separable_path_equals_the_plain_sum() {
        let mut rng = crate::rng::SplitMix64::new(12);
        for _ in 0..20 {
            let (w, h) = (3 + rng.below(14), 3 + rng.below(14));
            let p = Plane::new(w, h, (0..w * h).map(|_| rng.below(256) as f32).collect());
            for k in [Kernel::mean(3), Kernel::sobel_y(), Kernel::gaussian(0.7), Kernel::mean(5)] {
                assert_matches_plain_sum(&p, &k, Border::Zero);
            }
        }
    }

    #[test]
    fn random_images_keep_size_and_mean_keeps_range() {
        let mut rng = crate::rng::SplitMix64::new(3);
        for _ in 0..20 {
            let (w, h) = (1 + rng.below(9), 1 + rng.below(9));
            let p = Plane::new(w, h, (0..w * h).map(|_| rng.below(256) as f32).collect());
            for border in [Border::Zero, Border::Edge, Border::Reflect] {
                let out = convolve(&p, &Kernel::mean(3), border);
                assert_eq!((out.width, out.height), (w, h));
                assert!(out.data.iter().all(|&v| (-1e-3..=255.001).contains(&v)));
            }
        }
    }
}
