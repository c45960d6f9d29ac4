//! Golden tests: ImageLab's image operations against scikit-image / SciPy / NumPy.
//! The references come from `scripts/golden/make_golden.py` (committed output in `golden/`).
//!
//! Tolerance: every value within [`TOL`] = 1e-4 of the reference, absolute, on the 0–255 scale
//! ImageLab works in (8-bit intensities kept as 0–255 floats, not rescaled to 0–1; filter
//! responses such as Sobel or the Laplacian on that same scale, up to ~850 here). That is the
//! README's "match scikit-image/SciPy to 1e-4". Histograms (counts), flips and crops match exactly.
//! The filters and transforms run on the stored `gray` read as f32, and the script computes
//! their references on those same values, so the margin is ImageLab's f32 arithmetic alone.

use image::RgbImage;
use imagelab_core::images::color::{equalize, grayscale, histogram};
use imagelab_core::images::filter::{Border, Kernel, Plane, convolve};
use imagelab_core::images::geometry::{crop, flip_horizontal, flip_vertical, resize, rotate, translate};
use imagelab_core::images::ops::{Filter, parse_kernel};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
struct Array {
    shape: Vec<usize>,
    data: Vec<f32>,
}

#[derive(Deserialize)]
struct Doc {
    generator: String,
    arrays: HashMap<String, Array>,
}

fn doc() -> Doc {
    serde_json::from_str(include_str!("golden/reference.json")).expect("reference.json")
}

fn plane(doc: &Doc, name: &str) -> Plane {
    let a = &doc.arrays[name];
    Plane::new(a.shape[1], a.shape[0], a.data.clone())
}

/// The README's promise: 1e-4, absolute, on the 0–255 scale.
const TOL: f32 = 1e-4;

/// The three border modes, by the suffix the script gives them.
const BORDERS: [(&str, Border); 3] = [("zero", Border::Zero), ("edge", Border::Edge), ("reflect", Border::Reflect)];

fn border(name: &str) -> Border {
    BORDERS.iter().find(|(n, _)| *n == name).map(|(_, b)| *b).expect("border name")
}

/// Asserts every value is within `tol` (in 0–255 units) of the reference.
fn assert_close(doc: &Doc, name: &str, got: &Plane, tol: f32) {
    let want = plane(doc, name);
    assert_eq!((got.width, got.height), (want.width, want.height), "{name}: shape");
    let worst = got.data.iter().zip(&want.data).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
    assert!(worst <= tol, "{name}: max difference {worst} > {tol} (reference: {})", doc.generator);
}

fn inputs(doc: &Doc) -> (RgbImage, Plane) {
    let a = &doc.arrays["rgb"];
    let rgb = RgbImage::from_raw(a.shape[1] as u32, a.shape[0] as u32, a.data.iter().map(|&v| v as u8).collect()).unwrap();
    let gray = plane(doc, "gray");
    (rgb, gray)
}

#[test]
fn grayscale_matches_rgb2gray() {
    let d = doc();
    let (rgb, _) = inputs(&d);
    assert_close(&d, "gray", &grayscale(&rgb), TOL);
}

#[test]
fn filters_match_scipy_correlate() {
    let d = doc();
    let (_, gray) = inputs(&d);
    assert_close(&d, "mean3_zero", &convolve(&gray, &Kernel::mean(3), Border::Zero), TOL);
    assert_close(&d, "mean5_edge", &convolve(&gray, &Kernel::mean(5), Border::Edge), TOL);
    assert_close(&d, "sobel_x_zero", &convolve(&gray, &Kernel::sobel_x(), Border::Zero), TOL);
    assert_close(&d, "sobel_y_reflect", &convolve(&gray, &Kernel::sobel_y(), Border::Reflect), TOL);
}

#[test]
fn equalisation_matches_equalize_hist() {
    let d = doc();
    let (rgb, _) = inputs(&d);
    let red: Vec<u8> = rgb.pixels().map(|p| p[0]).collect();
    let got = Plane::new(rgb.width() as usize, rgb.height() as usize, equalize(&red));
    assert_close(&d, "equalize_red", &got, TOL);
}

#[test]
fn flips_and_crop_match_numpy_slicing() {
    let d = doc();
    let (_, gray) = inputs(&d);
    assert_close(&d, "flip_v", &flip_vertical(&gray), 0.0);
    assert_close(&d, "flip_h", &flip_horizontal(&gray), 0.0);
    assert_close(&d, "crop", &crop(&gray, 3, 2, 7, 5).unwrap(), 0.0);
}

#[test]
fn rotate_and_translate_match_skimage() {
    let d = doc();
    let (_, gray) = inputs(&d);
    assert_close(&d, "rotate_30", &rotate(&gray, 30.0), TOL);
    assert_close(&d, "translate_2_1", &translate(&gray, 2.0, 1.0), TOL);
}

#[test]
fn resize_matches_skimage() {
    let d = doc();
    let (_, gray) = inputs(&d);
    assert_close(&d, "resize_down", &resize(&gray, 5, 4, false), TOL);
    assert_close(&d, "resize_up", &resize(&gray, 24, 18, false), TOL);
    assert_close(&d, "resize_down_aa", &resize(&gray, 5, 4, true), TOL);
    // A photo with a white frame and a black bottom row, shrunk 107 × 160 → 48 × 64 (the border
    // mode decides its edge rows: up to ~6 gray levels with the edge pixel repeated instead of
    // mirrored), and a corner of it enlarged by odd factors.
    let photo = plane(&d, "photo");
    assert_close(&d, "photo_resize_aa", &resize(&photo, 64, 48, true), TOL);
    let corner = crop(&photo, 0, 0, 30, 20).unwrap();
    assert_close(&d, "photo_resize_up", &resize(&corner, 41, 37, false), TOL);
}

#[test]
fn gaussian_matches_gaussian_filter() {
    // scipy.ndimage.gaussian_filter(gray, σ, truncate=4.0, mode=…). σ = 1 is the lab's
    // ガウシアンフィルタ (through ops::Filter, as the page and the CLI call it); the others are σ
    // the augmentation's blur may draw, with radius 2, 6 and 8.
    let d = doc();
    let (_, gray) = inputs(&d);
    let none = Kernel::mean(1);
    for (name, b) in BORDERS {
        assert_close(&d, &format!("gaussian_s1_{name}"), &Filter::Gaussian.apply(&gray, b, &none), TOL);
    }
    for (tag, sigma, name) in [("s0_6", 0.6, "reflect"), ("s1_5", 1.5, "reflect"), ("s2", 2.0, "edge")] {
        let got = convolve(&gray, &Kernel::gaussian(sigma), border(name));
        assert_close(&d, &format!("gaussian_{tag}_{name}"), &got, TOL);
    }
}

#[test]
fn laplacian_and_sharpen_match_ndi_laplace() {
    // Laplacian = ndi.laplace(gray); sharpen = gray − ndi.laplace(gray).
    let d = doc();
    let (_, gray) = inputs(&d);
    let none = Kernel::mean(1);
    for (name, b) in BORDERS {
        assert_close(&d, &format!("laplacian_{name}"), &Filter::Laplacian.apply(&gray, b, &none), TOL);
    }
    for name in ["zero", "reflect"] {
        let got = Filter::Sharpen.apply(&gray, border(name), &none);
        assert_close(&d, &format!("sharpen_{name}"), &got, TOL);
    }
}

#[test]
fn sobel_magnitude_matches_hypot_of_ndi_sobel() {
    // np.hypot(ndi.sobel(gray, axis=1), ndi.sobel(gray, axis=0)).
    let d = doc();
    let (_, gray) = inputs(&d);
    for (name, b) in BORDERS {
        let got = Filter::SobelMagnitude.apply(&gray, b, &Kernel::mean(1));
        assert_close(&d, &format!("sobel_mag_{name}"), &got, TOL);
    }
}

#[test]
fn custom_5x5_kernels_match_scipy_correlate() {
    // ndi.correlate(gray, k) for a 5×5 kernel typed in the lab's kernel editor: one not
    // separable, one of rank 1 (ImageLab's column-then-row pass), both asymmetric so a flipped
    // kernel would show.
    let d = doc();
    let (_, gray) = inputs(&d);
    for kname in ["custom5", "custom5_rank1"] {
        let weights = &d.arrays[&format!("kernel_{kname}")].data;
        let text =
            weights.chunks(5).map(|row| row.iter().map(f32::to_string).collect::<Vec<_>>().join(", ")).collect::<Vec<_>>().join("; ");
        let kernel = parse_kernel(&text).expect("a 5×5 kernel");
        assert_eq!(kernel, Kernel::new(5, weights.clone()).unwrap(), "{text}");
        assert_eq!(kernel.separate().is_some(), kname == "custom5_rank1", "{kname}: separable?");
        for (name, b) in BORDERS {
            let got = Filter::Custom.apply(&gray, b, &kernel);
            assert_close(&d, &format!("{kname}_{name}"), &got, TOL);
        }
    }
}

#[test]
fn histograms_match_exposure_histogram() {
    // skimage.exposure.histogram(plane, source_range='dtype'): 256 counts, exactly.
    let d = doc();
    let (rgb, _) = inputs(&d);
    let gray_u8 = grayscale(&rgb).to_u8();
    for (name, values) in [
        ("red", rgb.pixels().map(|p| p[0]).collect::<Vec<u8>>()),
        ("green", rgb.pixels().map(|p| p[1]).collect()),
        ("blue", rgb.pixels().map(|p| p[2]).collect()),
        ("gray", gray_u8),
    ] {
        let want: Vec<u32> = d.arrays[&format!("hist_{name}")].data.iter().map(|&v| v as u32).collect();
        assert_eq!(histogram(&values).to_vec(), want, "hist_{name} (reference: {})", d.generator);
    }
}

#[test]
fn equalisation_of_gray_and_few_levels_matches_equalize_hist() {
    // exposure.equalize_hist × 255 on the lab's 8-bit gray (its 平坦化 view) and on planes of 9
    // (green) and 2 (blue) levels.
    let d = doc();
    let (rgb, _) = inputs(&d);
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    for (name, values) in [
        ("gray", grayscale(&rgb).to_u8()),
        ("green", rgb.pixels().map(|p| p[1]).collect::<Vec<u8>>()),
        ("blue", rgb.pixels().map(|p| p[2]).collect()),
    ] {
        assert_close(&d, &format!("equalize_{name}"), &Plane::new(w, h, equalize(&values)), TOL);
    }
}
