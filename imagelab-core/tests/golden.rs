//! Golden tests: ImageLab's image operations against scikit-image / SciPy / NumPy.
//! The references come from `scripts/golden/make_golden.py` (committed output in `golden/`).
//! Every operation agrees to within 0.001 on the 0–255 scale (measured: ≤ 0.0001).

use image::RgbImage;
use imagelab_core::color::{equalize, grayscale};
use imagelab_core::filter::{Border, Kernel, Plane, convolve};
use imagelab_core::geometry::{crop, flip_horizontal, flip_vertical, resize, rotate, translate};
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

/// Asserts every value is within `tol` (in 0–255 units) of the reference.
fn assert_close(doc: &Doc, name: &str, got: &Plane, tol: f32) {
    let want = plane(doc, name);
    assert_eq!((got.width, got.height), (want.width, want.height), "{name}: shape");
    let worst = got
        .data
        .iter()
        .zip(&want.data)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(worst <= tol, "{name}: max difference {worst} > {tol} (reference: {})", doc.generator);
}

fn inputs(doc: &Doc) -> (RgbImage, Plane) {
    let a = &doc.arrays["rgb"];
    let rgb = RgbImage::from_raw(a.shape[1] as u32, a.shape[0] as u32, a.data.iter().map(|&v| v as u8).collect())
        .unwrap();
    let gray = plane(doc, "gray");
    (rgb, gray)
}

#[test]
fn grayscale_matches_rgb2gray() {
    let d = doc();
    let (rgb, _) = inputs(&d);
    assert_close(&d, "gray", &grayscale(&rgb), 1e-3);
}

#[test]
fn filters_match_scipy_correlate() {
    let d = doc();
    let (_, gray) = inputs(&d);
    assert_close(&d, "mean3_zero", &convolve(&gray, &Kernel::mean(3), Border::Zero), 1e-3);
    assert_close(&d, "mean5_edge", &convolve(&gray, &Kernel::mean(5), Border::Edge), 1e-3);
    assert_close(&d, "sobel_x_zero", &convolve(&gray, &Kernel::sobel_x(), Border::Zero), 1e-3);
    assert_close(&d, "sobel_y_reflect", &convolve(&gray, &Kernel::sobel_y(), Border::Reflect), 1e-3);
}

#[test]
fn equalisation_matches_equalize_hist() {
    let d = doc();
    let (rgb, _) = inputs(&d);
    let red: Vec<u8> = rgb.pixels().map(|p| p[0]).collect();
    let got = Plane::new(rgb.width() as usize, rgb.height() as usize, equalize(&red));
    assert_close(&d, "equalize_red", &got, 1e-3);
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
    assert_close(&d, "rotate_30", &rotate(&gray, 30.0), 1e-3);
    assert_close(&d, "translate_2_1", &translate(&gray, 2.0, 1.0), 1e-3);
}

#[test]
fn resize_matches_skimage() {
    let d = doc();
    let (_, gray) = inputs(&d);
    assert_close(&d, "resize_down", &resize(&gray, 5, 4, false), 1e-3);
    assert_close(&d, "resize_up", &resize(&gray, 24, 18, false), 1e-3);
    assert_close(&d, "resize_down_aa", &resize(&gray, 5, 4, true), 1e-3);
}
