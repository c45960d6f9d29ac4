//! Each command of the `imagelab` binary on small fixtures: what it writes, that it equals what
//! the page computes with the same core functions, and its messages and exit codes on bad input.

use imagelab_core::data::augment::{Image, Pipeline, preview};
use imagelab_core::data::competition::{Delimiter, write_submission};
use imagelab_core::images::filter::{Border, Kernel};
use imagelab_core::images::ops::{Filter, Geo, GeoParams};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn imagelab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_imagelab")).args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A photo-like fixture: the page's sample scene, as PNG.
fn scene(dir: &Path, name: &str, w: u32, h: u32) -> PathBuf {
    let path = dir.join(name);
    imagelab_core::images::samples::scene(w, h).save(&path).unwrap();
    path
}

fn read_rgba(path: &Path) -> (u32, u32, Vec<u8>) {
    let img = image::open(path).unwrap().to_rgba8();
    (img.width(), img.height(), img.into_raw())
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in ["filter", "transform", "augment", "train", "predict", "evaluate", "score", "bench", "settings"] {
        let o = imagelab(&[cmd, "--help"]);
        assert!(o.status.success(), "{cmd} --help");
        assert!(stdout(&o).contains("Usage: imagelab"), "{cmd}");
        if cmd != "settings" {
            assert!(stdout(&o).contains("Example / 例"), "{cmd} --help has an example");
        }
    }
    let o = imagelab(&["--help"]);
    assert!(stdout(&o).contains("Exit codes"));
    let o = imagelab(&["filter", "--filter", "blur", "x.png", "--out", "o"]);
    assert_eq!(o.status.code(), Some(2), "an unknown filter is a usage error");
}

#[test]
fn filter_writes_what_the_image_lab_draws() {
    let dir = tempfile::tempdir().unwrap();
    let photo = scene(dir.path(), "scene.png", 96, 64);
    let out = dir.path().join("out");
    let o = imagelab(&["filter", "--filter", "sobel", "--border", "reflect", s(&photo), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (w, h, px) = read_rgba(&out.join("scene.png"));
    let expected = Filter::SobelMagnitude.render(&imagelab_core::images::samples::scene(96, 64), Border::Reflect, &Kernel::mean(3), false);
    assert_eq!((w, h), (96, 64));
    assert_eq!(px, expected, "the same pixels as the page's Sobel magnitude");

    // A custom kernel in colour.
    let o = imagelab(&["filter", "--filter", "custom", "--kernel", "0,-1,0; -1,5,-1; 0,-1,0", "--colour", s(&photo), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, _, px) = read_rgba(&out.join("scene.png"));
    assert_eq!(px, Filter::Custom.render(&imagelab_core::images::samples::scene(96, 64), Border::Zero, &Kernel::sharpen(), true));

    // A bad kernel, and custom without one: usage errors in both languages.
    let o = imagelab(&["filter", "--filter", "custom", "--kernel", "1,2;3,4", s(&photo), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("エラー:") && stderr(&o).contains("error:"), "{}", stderr(&o));
    assert_eq!(imagelab(&["filter", "--filter", "custom", s(&photo), "--out", s(&out)]).status.code(), Some(2));
}

#[test]
fn folders_keep_their_layout_and_bad_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("coins")).unwrap();
    scene(&input.join("coins"), "a.png", 40, 30);
    scene(&input, "b.png", 1000, 500);
    std::fs::write(input.join("coins/broken.jpg"), b"this is not a jpeg").unwrap();
    std::fs::write(input.join("notes.txt"), b"ignored: not an image name").unwrap();
    let out = dir.path().join("out");
    let o = imagelab(&["filter", "--filter", "gaussian", s(&input), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "some failed, the rest done");
    assert!(stderr(&o).contains("broken.jpg"), "{}", stderr(&o));
    assert!(stderr(&o).contains("画像を読み込めませんでした"), "{}", stderr(&o));
    assert!(out.join("coins/a.png").exists());
    // Scaled as the image lab scales photos: long side 640.
    let (w, h, _) = read_rgba(&out.join("b.png"));
    assert_eq!((w, h), (640, 320));
    let o = imagelab(&["filter", "--filter", "gaussian", "--max-side", "0", s(&input.join("b.png")), "--out", s(&out)]);
    assert!(o.status.success());
    assert_eq!(read_rgba(&out.join("b.png")).0, 1000);

    // a.png and a.jpg in one folder: both kept.
    scene(&input, "coins_a.png", 20, 20);
    image::RgbImage::new(20, 20).save(input.join("coins_a.jpg")).unwrap();
    let o = imagelab(&["filter", "--filter", "mean3", s(&input.join("coins_a.png")), s(&input.join("coins_a.jpg")), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("coins_a.png").exists() && out.join("coins_a_jpg.png").exists());

    // A missing path: exit code 3, said in both languages.
    let o = imagelab(&["filter", "--filter", "mean3", s(&dir.path().join("nope.png")), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("がありません") && stderr(&o).contains("does not exist"));
}

#[test]
fn transforms_match_the_page_and_print_their_python() {
    let dir = tempfile::tempdir().unwrap();
    let photo = scene(dir.path(), "p.png", 80, 60);
    let out = dir.path().join("out");
    let o = imagelab(&["transform", "--op", "rotate", "--angle", "-20", s(&photo), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("transform.rotate(img, angle=-20)"));
    let params = GeoParams { angle: -20.0, ..GeoParams::default() };
    let (w, h, expected) = Geo::Rotate.render(&imagelab_core::images::samples::scene(80, 60), &params);
    assert_eq!(read_rgba(&out.join("p.png")), (w as u32, h as u32, expected));

    let o = imagelab(&["transform", "--op", "crop", "--crop", "10,5,20,15", s(&photo), "--out", s(&out)]);
    assert!(o.status.success());
    assert_eq!(read_rgba(&out.join("p.png")).0, 20);
    let o = imagelab(&["transform", "--op", "crop", "--crop", "100,5,20,15", s(&photo), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(3), "all inputs failed");
    assert!(stderr(&o).contains("outside"));
    assert_eq!(imagelab(&["transform", "--op", "crop", s(&photo), "--out", s(&out)]).status.code(), Some(2));
    let huge = format!("{},0,2,2", usize::MAX);
    assert_eq!(imagelab(&["transform", "--op", "crop", "--crop", &huge, s(&photo), "--out", s(&out)]).status.code(), Some(2));
}

#[test]
fn augmentation_draws_are_seeded_like_the_lab() {
    let dir = tempfile::tempdir().unwrap();
    let photo = scene(dir.path(), "p.png", 224, 168);
    let out = dir.path().join("out");
    let o = imagelab(&["augment", "--seed", "7", "--count", "3", s(&photo), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("T.RandomRotation"), "prints the torchvision code: {}", stderr(&o));
    let img = imagelab_core::images::samples::scene(224, 168);
    let img = Image::from_hwc(224, 168, 3, img.as_raw());
    let small = Image { planes: img.planes.iter().map(|p| imagelab_core::images::geometry::resize(p, 112, 84, true)).collect() };
    let expected = preview(&small, &Pipeline::digits(), 7, 3);
    for (i, e) in expected.iter().enumerate() {
        let (w, h, px) = read_rgba(&out.join(format!("p_{:02}.png", i + 1)));
        assert_eq!((w as usize, h as usize), (e.width(), e.height()));
        assert_eq!(px, e.to_rgba(), "draw {}", i + 1);
    }
    // A pipeline file that is not one: a usage error naming the file.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"steps\": 3}").unwrap();
    let o = imagelab(&["augment", "--pipeline", s(&bad), s(&photo), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.json"));
}

/// A two-class dataset folder: bright squares and dark squares, with noise, and a `test/` folder.
fn two_class_folder(dir: &Path) -> PathBuf {
    let root = dir.join("shapes");
    let mut rng = imagelab_core::rng::SplitMix64::new(3);
    for (class, base) in [("bright", 190u8), ("dark", 60u8)] {
        std::fs::create_dir_all(root.join(class)).unwrap();
        for i in 0..30 {
            let img = image::RgbImage::from_fn(20, 20, |x, y| {
                let v = if (5..15).contains(&x) && (5..15).contains(&y) { base } else { 128 };
                let n = (rng.below(41) as i32 - 20) as i16;
                image::Rgb([(v as i16 + n).clamp(0, 255) as u8; 3])
            });
            img.save(root.join(class).join(format!("{class}_{i:02}.png"))).unwrap();
        }
    }
    std::fs::create_dir_all(root.join("test")).unwrap();
    for (i, base) in [190u8, 60, 190, 60].into_iter().enumerate() {
        let img =
            image::RgbImage::from_fn(20, 20, |x, y| image::Rgb([if (5..15).contains(&x) && (5..15).contains(&y) { base } else { 128 }; 3]));
        img.save(root.join("test").join(format!("t{i}.png"))).unwrap();
    }
    std::fs::write(root.join("bright/oops.jpg"), b"not a jpeg").unwrap();
    root
}

/// The page's rule for training holds on the command line too: 2 classes, 2 images each.
#[test]
fn a_dataset_too_small_to_train_is_refused_as_the_page_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("coins");
    for (class, n) in [("500yen", 3), ("100yen", 1)] {
        std::fs::create_dir_all(root.join(class)).unwrap();
        for i in 0..n {
            scene(&root.join(class), &format!("{i}.png"), 24, 16);
        }
    }
    let o = imagelab(&["train", s(&root), "--epochs", "1", "--device", "cpu", "--quiet"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("class “100yen” has only 1 image. Training needs at least 2 classes with 2 or more images each."),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("クラス「100yen」の画像が 1 枚だけです。"), "{}", stderr(&o));
    std::fs::remove_dir_all(root.join("100yen")).unwrap();
    let o = imagelab(&["train", s(&root), "--epochs", "1", "--device", "cpu", "--quiet"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("only 1 class(es) have images"), "{}", stderr(&o));
}

#[test]
fn train_predict_evaluate_and_score_on_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let data = two_class_folder(dir.path());
    let model = dir.path().join("m.bpk");
    let o = imagelab(&[
        "train",
        s(&data),
        "--size",
        "8",
        "--channels",
        "1",
        "--model",
        "mlp",
        "--epochs",
        "30",
        "--batch-size",
        "8",
        "--lr",
        "0.01",
        "--device",
        "cpu",
        "--quiet",
        "--out",
        s(&model),
    ]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("oops.jpg"), "the broken file is reported: {err}");
    assert!(err.contains("60 images, 2 classes (bright, dark), 8×8×1"), "{err}");
    assert!(err.contains("4 unlabelled test images left out"), "{err}");
    let line = stdout(&o);
    let val: f64 = line.trim().rsplit(' ').next().unwrap().parse().unwrap();
    assert!(val >= 0.9, "validation {val}: {line}");
    assert!(model.exists());

    // evaluate: the same number, from the file.
    let o = imagelab(&["evaluate", s(&model), s(&data)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with(&format!("validation {val:.4}")), "{} vs {val}", stdout(&o));

    // predict the test folder → submission; score it against the truth.
    let sub = dir.path().join("alice.csv");
    let o = imagelab(&["predict", s(&model), s(&data.join("test")), "--out", s(&sub)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&sub).unwrap();
    assert!(text.starts_with("file,label\n"), "{text}");
    assert_eq!(text.lines().count(), 5);
    let truth = dir.path().join("truth.tsv");
    let rows: Vec<(String, String)> =
        ["bright", "dark", "bright", "dark"].iter().enumerate().map(|(i, l)| (format!("t{i}.png"), l.to_string())).collect();
    std::fs::write(&truth, write_submission(&rows, Delimiter::Tab, false)).unwrap();
    let bob = dir.path().join("bob.csv");
    std::fs::write(&bob, "t0.png,dark\nt1.png,dark\n").unwrap();
    let o = imagelab(&["score", s(&truth), s(&bob), s(&sub)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[1].contains("alice") && lines[1].contains("1.0000") && lines[1].contains("4/4"), "{table}");
    assert!(lines[2].contains("bob") && lines[2].contains("0.2500") && lines[2].contains("1/4"), "{table}");

    // A second file of a name already seen (another folder's) is left out in words, as the page
    // leaves it out: a submission tells files apart by name alone. Exit code 1: the rest is done.
    let other = dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::copy(data.join("test/t1.png"), other.join("t0.png")).unwrap();
    let o = imagelab(&["predict", s(&model), s(&data.join("test")), s(&other)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 5, "{}", stdout(&o));
    assert!(stderr(&o).contains("a file named t0.png came first"), "{}", stderr(&o));

    // The same two classes with one sigmoid output and binary cross-entropy.
    let binary = dir.path().join("b.bpk");
    let o = imagelab(&[
        "train",
        s(&data),
        "--size",
        "8",
        "--channels",
        "1",
        "--model",
        "mlp",
        "--output",
        "sigmoid",
        "--epochs",
        "30",
        "--batch-size",
        "8",
        "--lr",
        "0.01",
        "--device",
        "cpu",
        "--quiet",
        "--out",
        s(&binary),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let val: f64 = stdout(&o).trim().rsplit(' ').next().unwrap().parse().unwrap();
    assert!(val >= 0.9, "sigmoid validation {val}");
    let o = imagelab(&["evaluate", s(&binary), s(&data)]);
    assert!(stdout(&o).starts_with(&format!("validation {val:.4}")), "{}", stdout(&o));
    // … which the ten digits cannot have.
    let o = imagelab(&["train", "digits", "--output", "sigmoid", "--epochs", "1", "--device", "cpu", "--quiet"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("two classes only"), "{}", stderr(&o));

    // A model on the wrong data: refused in words, exit code 3.
    let o = imagelab(&["evaluate", s(&model), "digits"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("8×8×1"), "{}", stderr(&o));
    // Not a model file.
    let o = imagelab(&["predict", s(&truth), s(&data.join("test"))]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("モデルファイルを読み込めません"), "{}", stderr(&o));
}

#[test]
fn settings_files_drive_training_and_bad_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("s.json");
    let o = imagelab(&["settings", "--out", s(&settings)]);
    assert!(o.status.success());
    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
    json["learning_rate"] = serde_json::json!(-1.0);
    std::fs::write(&settings, json.to_string()).unwrap();
    let o = imagelab(&["train", "digits", "--settings", s(&settings)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("learning_rate"), "{}", stderr(&o));
    // An experiment link from the share lab carries the settings.
    let e = imagelab_core::session::share::Experiment {
        config: imagelab_core::nn::experiment::TrainConfig {
            epochs: 1,
            model: imagelab_core::nn::architecture::ModelSpec::course_mlp(),
            validation: imagelab_core::nn::experiment::Validation::KFold { k: 2 },
            ..Default::default()
        },
        ..Default::default()
    };
    let url = format!("http://127.0.0.1:8080/{}", imagelab_core::session::share::hash(&e));
    let o = imagelab(&["train", "digits", "--url", &url, "--device", "cpu", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("2-fold: building"), "{}", stdout(&o));
    let o = imagelab(&["train", "digits", "--url", "http://x/#/train?e=1.broken"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--url: the link is damaged"), "{}", stderr(&o));
    let o = imagelab(&["train", "no-such-folder"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("does not exist"));
    let o = imagelab(&["train", "digits", "--kfold", "1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(imagelab(&["train", "digits", "--channels", "2"]).status.code(), Some(2));
}

/// Transfer learning on the command line: `train --backbone` on the lesson photos writes a model
/// file naming the shipped backbone, which `evaluate` judges as training did and `predict` uses
/// through the backbone.
#[test]
fn train_with_the_backbone_then_evaluate_and_predict() {
    let photos = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/e2e/fixtures/lesson-photos");
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("transfer.bpk");
    let o = imagelab(&[
        "train",
        s(&photos),
        "--size",
        "128",
        "--backbone",
        "efficientnet-lite0",
        "--epochs",
        "10",
        "--batch-size",
        "16",
        "--device",
        "cpu",
        "--quiet",
        "--out",
        s(&model),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("features / 特徴: 1280 × 72 images (1 version each) through efficientnet-lite0 at 128×128"),
        "{}",
        stderr(&o)
    );
    let trained = stdout(&o).lines().last().unwrap().to_owned();
    assert!(trained.starts_with("building 1.0000, validation "), "{trained}");
    let meta = imagelab_core::nn::modelfile::read_meta(&std::fs::read(&model).unwrap()).unwrap();
    let b = meta.backbone.clone().expect("the file names its backbone");
    assert_eq!((b.size, b.sha256.as_str()), (128, imagelab_core::nn::backbone::SHIPPED_SHA256));
    assert_eq!(meta.network_input().channels, 1280);

    let o = imagelab(&["evaluate", s(&model), s(&photos), "--device", "cpu"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let val = trained.split("validation ").nth(1).unwrap();
    assert!(stdout(&o).contains(&format!("validation {val} (21 images)")), "{} vs {trained}", stdout(&o));

    // The backbone named explicitly: the shipped file is the one; a missing file is an input error.
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/models").join(imagelab_core::nn::backbone::SHIPPED_FILE);
    let o = imagelab(&["evaluate", s(&model), s(&photos), "--device", "cpu", "--backbone-file", s(&shipped)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = imagelab(&["evaluate", s(&model), s(&photos), "--device", "cpu", "--backbone-file", s(&dir.path().join("none.bpk"))]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));

    let o = imagelab(&["predict", s(&model), s(&photos.join("neko")), "--device", "cpu"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 24);
    assert!(rows.iter().all(|r| r.ends_with(",neko")), "{rows:?}");

    // Fine-tuning the last 2 blocks: the input of MBConv 16 is kept per image (192 × 4 × 4 at
    // 128 px), the file holds those blocks with the head, and evaluates alike.
    let tuned = dir.path().join("tuned.bpk");
    let o = imagelab(&[
        "train",
        s(&photos),
        "--size",
        "128",
        "--backbone",
        "efficientnet-lite0",
        "--unfreeze",
        "2",
        "--unfrozen-rate-divisor",
        "20",
        "--epochs",
        "6",
        "--batch-size",
        "16",
        "--device",
        "cpu",
        "--quiet",
        "--out",
        s(&tuned),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("features / 特徴: 3072 × 72 images"), "{}", stderr(&o));
    let meta = imagelab_core::nn::modelfile::read_meta(&std::fs::read(&tuned).unwrap()).unwrap();
    assert_eq!(
        meta.training.as_ref().and_then(|t| t.transfer).and_then(|t| t.fine_tune),
        Some(imagelab_core::nn::experiment::FineTune { blocks: 2, rate_divisor: 20 })
    );
    assert_eq!((meta.unfrozen(), meta.network_input().channels), (2, 192));
    let trained = stdout(&o).lines().last().unwrap().to_owned();
    let o = imagelab(&["evaluate", s(&tuned), s(&photos), "--device", "cpu"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("validation {} (21 images)", trained.split("validation ").nth(1).unwrap())),
        "{} vs {trained}",
        stdout(&o)
    );
    // More blocks than offered, or a divisor without --unfreeze, are refused.
    assert_eq!(imagelab(&["train", "digits", "--backbone", "efficientnet-lite0", "--unfreeze", "6"]).status.code(), Some(2));
    assert_eq!(imagelab(&["train", "digits", "--backbone", "efficientnet-lite0", "--unfrozen-rate-divisor", "5"]).status.code(), Some(2));

    // --hidden and --backbone-file need --backbone; --model and --backbone exclude each other.
    assert_eq!(imagelab(&["train", "digits", "--hidden", "10"]).status.code(), Some(2));
    assert_eq!(imagelab(&["train", "digits", "--backbone", "efficientnet-lite0", "--model", "mlp"]).status.code(), Some(2));
    // A size the backbone is not offered at is refused in words.
    let o = imagelab(&["train", "digits", "--backbone", "efficientnet-lite0", "--size", "100"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("transfer_size"), "{}", stderr(&o));
}

/// The data lab's sample photos (www/data/materials.zip, brick / grass / gravel, 20 each) are the
/// committed file its README describes, and the Day-2 lesson holds on them: on the same hold-out
/// split, the default CNN trained from scratch stays far below transfer learning (measured:
/// 0.667 against 1.000; 5-fold in scripts/bench/materials-2026-12-06.log).
#[test]
fn the_sample_photos_are_where_transfer_learning_wins() {
    let zip = Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/data/materials.zip");
    let bytes = std::fs::read(&zip).unwrap();
    // scripts/make-materials.py --check regenerates it; www/data/README.md quotes this.
    assert_eq!(imagelab_core::nn::backbone::sha256_hex(&bytes), "a5f50580e3c695ddfceb6cf4fd85e2e6417158fb05513f2b2146107e1e47d64d");
    let validation = |extra: &[&str]| {
        let mut args = vec!["train", s(&zip), "--epochs", "20", "--batch-size", "16", "--device", "cpu", "--quiet"];
        args.extend_from_slice(extra);
        let o = imagelab(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains("60 images, 3 classes (brick, grass, gravel)"), "{}", stderr(&o));
        let last = stdout(&o).lines().last().unwrap().to_owned();
        last.split("validation ").nth(1).unwrap().parse::<f64>().unwrap()
    };
    let transfer = validation(&["--size", "128", "--backbone", "efficientnet-lite0"]);
    let scratch = validation(&["--size", "64"]);
    assert!(transfer >= 0.95, "transfer learning: validation {transfer}");
    assert!(transfer - scratch >= 0.2, "from scratch {scratch} vs transfer {transfer}");
}

#[test]
fn table_train_runs_the_course_examples() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    // The course's Keras program on a table of the course's kind: 51 inputs, the program shown.
    let bank = format!("{root}/imagelab-core/tests/data/bank_like.csv");
    let o = imagelab(&["table", "train", &bank, "--target", "y", "--model", "mlp", "--epochs", "20", "--code"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.contains("300 rows, 51 inputs (44 dummies) from 16 columns"), "{out}");
    assert!(out.contains("validation AUC per fold: ["), "{out}");
    assert!(out.contains("model.add(Dense(10, activation='tanh', input_dim=51))"), "{out}");
    // Linear regression by RMSE with cv=3, per fold and mean ± sd.
    let o = imagelab(&["table", "train", &format!("{root}/www/data/tables/diabetes.csv"), "--target", "target", "--cv", "3"]);
    let out = stdout(&o);
    assert!(
        out.contains("linear regression") && out.contains("validation RMSE per fold: [") && out.contains("validation RMSE: 5"),
        "{out}"
    );
    // A ragged file is refused with its line (exit 3); an unknown column is a usage error (2).
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "a,b,y\n1,2,3\n4,5\n").unwrap();
    let o = imagelab(&["table", "train", s(&bad), "--target", "y"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("line 3 has 2 values"), "{}", stderr(&o));
    let o = imagelab(&["table", "train", &format!("{root}/www/data/tables/iris.csv"), "--target", "z"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no column “z”"), "{}", stderr(&o));
}

/// Built without the `gpu` feature (as `make test` builds it), a GPU asked for is refused in both
/// languages, with the way out, and exit code 4; `auto` uses the CPU.
#[cfg(not(feature = "gpu"))]
#[test]
fn a_gpu_asked_of_a_build_without_one_is_refused_in_words() {
    let o = imagelab(&["train", "digits", "--epochs", "1", "--device", "wgpu", "--quiet"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("エラー: wgpu の GPU が使えません（this build of imagelab has no GPU backend"), "{e}");
    assert!(e.contains("error: the wgpu GPU is unavailable (this build of imagelab has no GPU backend (built without the `gpu` feature)); --device cpu uses the CPU"), "{e}");
    let o = imagelab(&["bench", "--device", "auto", "--steps", "2", "--warmup", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("no GPU found, using the CPU"), "{}", stderr(&o));
}
