//! The deterministic part of each augmentation, with fixed parameters, against references written
//! by `scripts/golden/make_augment_reference.py` (issue #22): torchvision's colour maths
//! (`transforms.v2.functional`, on a float image) and scikit-image's geometry, on a 14×10 RGB
//! image with strong edges at its border. The seeded grids in `augment_golden.rs` check how the
//! parameters are drawn; this checks what is done with them.
//!
//! Tolerance: 1e-3 of a gray level, f32 arithmetic against f64 (the bilinear warps differ by at
//! most 2e-4). Found by it: the colour jitter took its gray from scikit-image's weights, not
//! torchvision's (up to 20 levels apart), and erasing with gray filled 128 where torchvision's
//! `value=0.5` is 127.5.

use imagelab_core::data::augment::{self, Fill, Image};
use imagelab_core::images::geometry::{flip_horizontal, flip_vertical};
use imagelab_core::rng::SplitMix64;
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(include_str!("golden/augment-reference.json")).expect("augment-reference.json")
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().expect("an array").iter().map(|x| x.as_f64().expect("a number")).collect()
}

fn boxed(v: &Value) -> (usize, usize, usize, usize) {
    let b: Vec<usize> = numbers(v).iter().map(|&x| x as usize).collect();
    (b[0], b[1], b[2], b[3])
}

/// The Rust result of one case, as height × width × channels values.
fn run(case: &Value, rgb: &Image) -> Vec<f32> {
    let f = |k: &str| case[k].as_f64().unwrap_or_else(|| panic!("{k}")) as f32;
    let out = match case["op"].as_str().unwrap() {
        "flip_h" => Image { planes: rgb.planes.iter().map(flip_horizontal).collect() },
        "flip_v" => Image { planes: rgb.planes.iter().map(flip_vertical).collect() },
        "affine" => augment::affine(rgb, f("degrees").to_radians(), f("scale"), f("tx"), f("ty")),
        "padded_crop" => augment::padded_crop(rgb, f("padding") as usize, f("ox") as usize, f("oy") as usize),
        "resized_crop" => augment::resized_crop(rgb, boxed(&case["box"])),
        "erase" => {
            let fill = match case["fill"].as_str().unwrap() {
                "zero" => Fill::Zero,
                "gray" => Fill::Gray,
                other => panic!("{other}"),
            };
            augment::erase(rgb, boxed(&case["box"]), fill, &mut SplitMix64::new(0))
        }
        "jitter" if case["gray"].as_bool() == Some(true) => {
            let green = Image { planes: vec![rgb.planes[1].clone()] };
            augment::color_jitter(&green, f("b"), f("c"), f("s"), f("hue"))
        }
        "jitter" => augment::color_jitter(rgb, f("b"), f("c"), f("s"), f("hue")),
        other => panic!("unknown case {other}"),
    };
    let (w, h, c) = (out.width(), out.height(), out.channels());
    (0..h * w).flat_map(|i| out.planes.iter().map(move |p| p.data[i])).take(h * w * c).collect()
}

#[test]
fn each_augmentation_with_fixed_parameters_matches_its_reference() {
    let r = reference();
    let (w, h) = (r["width"].as_u64().unwrap() as usize, r["height"].as_u64().unwrap() as usize);
    let pixels: Vec<u8> = numbers(&r["rgb"]).iter().map(|&v| v as u8).collect();
    let rgb = Image::from_hwc(w, h, 3, &pixels);
    let cases = r["cases"].as_object().unwrap();
    assert_eq!(cases.len(), 14, "every case the script writes");
    let mut failures = Vec::new();
    for (name, case) in cases {
        let expected = numbers(&case["hwc"]);
        let got = run(case, &rgb);
        assert_eq!(got.len(), expected.len(), "{name}: size");
        let (worst, at) = got
            .iter()
            .zip(&expected)
            .map(|(&g, &e)| (f64::from(g) - e).abs())
            .enumerate()
            .fold((0.0, 0), |(m, at), (i, d)| if d > m { (d, i) } else { (m, at) });
        println!("{name:>20}: largest difference {worst:.2e} (value {at})");
        if worst > 1e-3 {
            failures.push(format!("{name}: {worst} at value {at} (got {}, expected {})", got[at], expected[at]));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
