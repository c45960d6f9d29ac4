//! Transfer learning with the frozen, shipped EfficientNet-Lite0 (`www/models/`, issue #19) on
//! real photos: the committed phone-lesson set (three classes × 24 shots cut from scikit-image's
//! sample photos, `tests/e2e/fixtures/lesson-photos`).

use burn::prelude::*;
use imagelab_core::data::augment::{Aug, Pipeline, Step};
use imagelab_core::data::dataset::Dataset;
use imagelab_core::nn::architecture::ModelSpec;
use imagelab_core::nn::backbone::{self, EfficientNetLite0, EfficientNetLite0Config};
use imagelab_core::nn::experiment::{TrainConfig, Transfer};
use imagelab_core::nn::metrics::Evaluation;
use imagelab_core::nn::train::Trainer;
use imagelab_core::nn::transfer::{self, FeatureTable};
use std::sync::{Arc, OnceLock};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn backbone() -> &'static EfficientNetLite0 {
    static NET: OnceLock<EfficientNetLite0> = OnceLock::new();
    NET.get_or_init(|| {
        let bytes = std::fs::read(format!("{ROOT}/www/models/{}", backbone::SHIPPED_FILE)).expect("the shipped backbone");
        assert_eq!(backbone::sha256_hex(&bytes), backbone::SHIPPED_SHA256);
        backbone::load_burnpack(&bytes, &EfficientNetLite0Config::new(), &Device::flex()).unwrap()
    })
}

/// The 72 lesson photos as the data lab makes them: `size`×`size` RGB.
fn lesson(size: usize) -> Arc<Dataset> {
    let dir = format!("{ROOT}/tests/e2e/fixtures/lesson-photos");
    let classes = ["coffee", "neko", "rocket"];
    let (mut pixels, mut labels) = (Vec::new(), Vec::new());
    for (label, class) in classes.iter().enumerate() {
        let mut files: Vec<_> = std::fs::read_dir(format!("{dir}/{class}")).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            let img = image::open(&f).unwrap().to_rgba8();
            let (w, h) = (img.width() as usize, img.height() as usize);
            pixels.extend(imagelab_core::data::library::input_pixels(img.as_raw(), w, h, size, size, 3));
            labels.push(label);
        }
    }
    Arc::new(Dataset::new(size, size, 3, pixels, labels, classes.iter().map(|s| s.to_string()).collect()).unwrap())
}

fn features(data: &Dataset, t: &Transfer, pipeline: &Pipeline, seed: u64) -> FeatureTable {
    pollster::block_on(transfer::extract(backbone(), data, t, pipeline, seed, &Device::flex(), |_, _| async { true })).unwrap()
}

fn flips() -> Pipeline {
    Pipeline { steps: vec![Step { aug: Aug::FlipHorizontal, p: 1.0 }, Step { aug: Aug::Rotate { degrees: 15.0 }, p: 1.0 }], mixup: 0.0 }
}

fn run(trainer: &mut Trainer) -> Evaluation {
    while !trainer.is_finished() {
        pollster::block_on(trainer.step(|| 0.0)).unwrap();
    }
    trainer.current_evaluation().cloned().unwrap()
}

fn head_config(t: Transfer) -> TrainConfig {
    TrainConfig {
        model: ModelSpec::transfer_head(None),
        transfer: Some(t),
        epochs: 20,
        batch_size: 16,
        learning_rate: 0.003,
        evals_per_epoch: 1,
        ..TrainConfig::default()
    }
}

/// Frozen mode on the lesson photos: the network the trainer trains is the head alone
/// (1280 × 3 + 3 values: the backbone never enters it, so it cannot change) and it learns them; from
/// scratch on the same split is printed beside it.
#[test]
fn a_frozen_backbone_and_a_new_head_learn_the_lesson_photos() {
    let t = Transfer { size: 128, ..Transfer::default() };
    let data = lesson(64);
    let table = Arc::new(features(&data, &t, &Pipeline::default(), 1));
    assert_eq!((table.dim, table.images, table.draws), (1280, 72, 1));
    let mut trainer = Trainer::on_features(head_config(t), data.clone(), table, 0, &Device::flex()).unwrap();
    let untrained = pollster::block_on(trainer.evaluate(&trainer.split().validation.clone())).unwrap();
    let transfer = run(&mut trainer);
    assert_eq!(trainer.model().parameter_count(), 1280 * 3 + 3, "a dense head over the 1280 features");

    let scratch_config = TrainConfig { model: ModelSpec::small_cnn(), transfer: None, ..head_config(t) };
    let scratch = run(&mut Trainer::new(scratch_config.clone(), data.clone(), &Device::flex()).unwrap());
    println!(
        "lesson photos, hold-out 7:3 ({} validation images): untrained head {:.3}, transfer (EfficientNet-Lite0 128 px, frozen) {:.3}, small CNN from scratch (64 px) {:.3}",
        transfer.predictions.len(),
        untrained.accuracy,
        transfer.accuracy,
        scratch.accuracy
    );
    assert!(transfer.accuracy >= 0.95, "transfer validation accuracy {}", transfer.accuracy);
    assert!(untrained.accuracy < 0.6, "untrained head {}", untrained.accuracy);
    // No assertion against from scratch: these three kinds differ in colour too, and the small
    // CNN also reaches 1.0 here (measured, even with 4 photos per class). Transfer is not always
    // the winner; the lab lets students compare.
}

/// Augmented versions: draw 0 is the plain image's features (as without a pipeline), the others
/// differ, and each epoch picks one of them per training image, reproducibly.
#[test]
fn augmented_versions_are_extracted_once_and_drawn_per_epoch() {
    let t = Transfer { size: 128, draws: 3, ..Transfer::default() };
    let data = lesson(48);
    let plain = features(&data, &t, &Pipeline::default(), 7);
    let table = features(&data, &t, &flips(), 7);
    assert_eq!((plain.draws, table.draws), (1, 4));
    for i in 0..data.len() {
        assert_eq!(table.row(0, i), plain.row(0, i), "draw 0 of image {i} is the plain image");
        assert_ne!(table.row(1, i), table.row(0, i));
        assert_ne!(table.row(2, i), table.row(1, i));
    }
    let mut seen = [0usize; 4];
    for epoch in 1..=40 {
        let d = table.draw_for(5, epoch, 3);
        assert_eq!(d, table.draw_for(5, epoch, 3));
        seen[d] += 1;
    }
    assert_eq!(seen[0], 0, "training never sees the plain version when there are augmented ones");
    assert!(seen[1..].iter().all(|&n| n > 5), "{seen:?}");
    assert_eq!(plain.draw_for(5, 1, 3), 0);
}

/// Validation measures the plain images: the trainer's evaluation equals prediction through the
/// backbone and the trained head on the pixels themselves (as live prediction and a loaded model
/// do), even when training drew augmented versions.
#[test]
fn validation_is_prediction_on_the_plain_images() {
    let t = Transfer { size: 128, draws: 2, ..Transfer::default() };
    let data = lesson(48);
    let table = Arc::new(features(&data, &t, &flips(), 3));
    // Barely trained (one epoch, small steps), so the scores are far from certain and any other
    // input would show in every confidence.
    let config = TrainConfig { epochs: 1, learning_rate: 3e-4, augment: flips(), ..head_config(t) };
    let mut trainer = Trainer::on_features(config, data.clone(), table, 0, &Device::flex()).unwrap();
    let val = run(&mut trainer);
    let indices = trainer.split().validation.clone();
    let images: Vec<&[u8]> = indices.iter().map(|&i| data.image(i)).collect();
    let logits =
        pollster::block_on(transfer::predict(backbone(), &trainer.model(), t.size, (48, 48, 3), &images, &Device::flex())).unwrap();
    let labels: Vec<usize> = indices.iter().map(|&i| data.labels[i]).collect();
    let direct = Evaluation::from_logits(&logits, &labels, 3);
    assert!((direct.loss - val.loss).abs() < 1e-5, "loss {} vs {}", direct.loss, val.loss);
    for (a, b) in direct.predictions.iter().zip(&val.predictions) {
        assert!((a.confidence - b.confidence).abs() < 1e-5, "confidence {} vs {}", a.confidence, b.confidence);
    }
    assert_eq!(direct.confusion, val.confusion);
}

/// A table that is not the data's is refused, in words.
#[test]
fn features_of_other_data_are_refused() {
    let table = Arc::new(FeatureTable::new(1280, 5, 1, vec![0.0; 1280 * 5]).unwrap());
    let err = Trainer::on_features(head_config(Transfer::default()), lesson(16), table, 0, &Device::flex()).err().unwrap();
    assert!(err.to_string().contains("features of 5 images for 72 images"), "{err}");
    assert!(FeatureTable::new(1280, 5, 1, vec![0.0; 10]).is_err());
}

/// "What does the pretrained network see?" on the lesson photos as taken (160×120 or 120×160
/// phone shots): an ImageNet class of the photo's kind is among the five answers for nearly every
/// photo (the close-ups of the coffee are often "consomme" first, espresso second: printed).
#[test]
fn the_pretrained_network_names_the_lesson_photos() {
    use imagelab_core::data::augment::Image;
    let dir = format!("{ROOT}/tests/e2e/fixtures/lesson-photos");
    // ImageNet's cats (tabby … Egyptian cat); espresso, cup, coffee mug; missile, projectile, space shuttle.
    // The least number named so first: measured 24, 10 and 5 of 24 (pixel / 255 instead of
    // (pixel − 127) / 128 gives 24, 1 and 9).
    let kinds: [(&str, &[usize], usize); 3] =
        [("neko", &[281, 282, 283, 284, 285], 22), ("coffee", &[967, 968, 504], 8), ("rocket", &[657, 744, 812], 3)];
    assert_eq!(backbone::imagenet_label(285), "Egyptian cat");
    assert_eq!(backbone::IMAGENET_LABELS.lines().count(), 1000);
    for (kind, classes, least_first) in kinds {
        let mut files: Vec<_> = std::fs::read_dir(format!("{dir}/{kind}")).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let (mut first, mut five) = (0, 0);
        for f in &files {
            let rgb = image::open(f).unwrap().to_rgb8();
            let img = Image::from_hwc(rgb.width() as usize, rgb.height() as usize, 3, rgb.as_raw());
            let top = pollster::block_on(transfer::imagenet_top(backbone(), &img, 224, 5, &Device::flex())).unwrap();
            assert_eq!(top.len(), 5);
            assert!(top.windows(2).all(|w| w[0].1 >= w[1].1), "most probable first");
            first += usize::from(classes.contains(&top[0].0));
            five += usize::from(top.iter().any(|(i, _)| classes.contains(i)));
        }
        println!("{kind}: {first} of {} photos named as {kind} first, {five} within the top 5", files.len());
        assert!(five * 10 >= files.len() * 9, "{kind}: {five} of {} within the top 5", files.len());
        assert!(first >= least_first, "{kind}: {first} of {} first", files.len());
    }
}

/// Inside a transfer model: the backbone's 32 RGB first-layer filters, the stem's and three
/// blocks' feature maps at their sizes, and the probabilities prediction gives.
#[test]
fn a_transfer_model_can_be_looked_into() {
    let data = lesson(48);
    let t = Transfer { size: 128, ..Transfer::default() };
    let table = Arc::new(features(&data, &t, &Pipeline::default(), 1));
    let mut trainer = Trainer::on_features(TrainConfig { epochs: 2, ..head_config(t) }, data.clone(), table, 0, &Device::flex()).unwrap();
    run(&mut trainer);
    let head = trainer.model();
    let ins = pollster::block_on(transfer::inspect(backbone(), &head, 128, (48, 48, 3), 5, data.image(5), &Device::flex())).unwrap();
    assert_eq!((ins.index, ins.filter_channels, ins.filters.len()), (5, 3, 96));
    assert!(ins.filters.iter().all(|p| (p.width, p.height) == (3, 3)));
    let sides: Vec<(usize, usize, usize)> = ins.layers.iter().map(|l| (l.layer, l.maps.len(), l.maps[0].width)).collect();
    // Stem 64×64 (32 maps), block 1 64×64 (16), block 3 32×32 (24), block 5 16×16 (40 → 32 kept).
    assert_eq!(sides, vec![(0, 32, 64), (1, 16, 64), (3, 24, 32), (5, 32, 16)]);
    let logits = pollster::block_on(transfer::predict(backbone(), &head, 128, (48, 48, 3), &[data.image(5)], &Device::flex())).unwrap();
    let best = logits.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
    assert_eq!(imagelab_core::nn::metrics::argmax(&ins.probabilities), best);
    assert!((ins.probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    // The pretrained filters are not noise: their RGB weights vary far more across filters than
    // a fresh network's would be told apart from; at least one is strongly colour-tuned.
    let spread = |k: usize| {
        let means: Vec<f32> = (0..3).map(|c| ins.filters[3 * k + c].data.iter().sum::<f32>() / 9.0).collect();
        means.iter().copied().fold(f32::NEG_INFINITY, f32::max) - means.iter().copied().fold(f32::INFINITY, f32::min)
    };
    assert!((0..32).any(|k| spread(k) > 0.5), "{:?}", (0..32).map(spread).collect::<Vec<_>>());
    // A wrong pixel count is refused in words.
    assert!(pollster::block_on(transfer::inspect(backbone(), &head, 128, (48, 48, 3), 0, &[0u8; 10], &Device::flex())).is_err());
}

/// Every float tensor of a module (weights, batch-norm scales, shifts and running statistics),
/// by path, as f32 values.
fn tensors<M: burn::module::Module>(m: &M) -> Vec<(String, Vec<f32>)> {
    struct Collect(Vec<String>, Vec<(String, Vec<f32>)>);
    impl burn::module::ModuleVisitor for Collect {
        fn enter_module(&mut self, name: &str, _: &str) {
            self.0.push(name.to_owned());
        }
        fn exit_module(&mut self, _: &str, _: &str) {
            self.0.pop();
        }
        fn visit_float<const D: usize>(&mut self, param: &burn::module::Param<Tensor<D>>) {
            let v = param.val().into_data().convert::<f32>().try_to_vec::<f32>().unwrap();
            self.1.push((self.0.join("."), v));
        }
    }
    let mut c = Collect(Vec::new(), Vec::new());
    m.visit(&mut c);
    c.1
}

fn biggest_change(before: &[f32], after: &[f32]) -> f32 {
    before.iter().zip(after).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max)
}

/// ファインチューニング of the last 2 blocks (the head convolution and MBConv 16): what is kept
/// per image is the input of MBConv 16 (192 × 4 × 4 at 128 px); the trainer starts from the
/// pretrained blocks (so at the start it computes exactly the frozen features); training moves
/// every weight, scale and shift of those blocks but never their ImageNet statistics; the
/// divisor sets their step; the model file holds the two blocks and the head, and loads back to
/// the same predictions.
#[test]
fn fine_tuning_changes_exactly_the_unfrozen_blocks() {
    use imagelab_core::nn::architecture::InputShape;
    use imagelab_core::nn::experiment::FineTune;
    use imagelab_core::nn::modelfile::{self, BackboneRef, ModelMeta};
    let data = lesson(48);
    let frozen = Transfer { size: 128, ..Transfer::default() };
    let tuned = |rate_divisor| Transfer { fine_tune: Some(FineTune { blocks: 2, rate_divisor }), ..frozen };
    let pooled = Arc::new(features(&data, &frozen, &Pipeline::default(), 1));
    let table = Arc::new(features(&data, &tuned(10), &Pipeline::default(), 1));
    assert_eq!(table.input(), InputShape { channels: 192, height: 4, width: 4 });
    let start = table.start().expect("the pretrained blocks to start from").clone();
    assert_eq!(start.unfrozen(), 2);
    assert_eq!(start.parameter_count(), 320 * 1280 + 2 * 1280 + 192 * 1152 + 2 * 1152 + 1152 * 9 + 2 * 1152 + 1152 * 320 + 2 * 320);

    // At the start the trainer's network gives the frozen features: the same blocks, the same
    // (inference-mode) batch norm, split at the boundary.
    let trainer = Trainer::on_features(head_config(tuned(10)), data.clone(), table.clone(), 0, &Device::flex()).unwrap();
    let tail = trainer.model().tail().unwrap().clone();
    let rows: Vec<f32> = (0..4).flat_map(|i| table.row(0, i).to_vec()).collect();
    let f = tail.forward(Tensor::<4>::from_data(TensorData::new(rows, [4, 192, 4, 4]), &Device::flex()));
    let f = f.into_data().try_to_vec::<f32>().unwrap();
    for i in 0..4 {
        assert!(biggest_change(&f[i * 1280..(i + 1) * 1280], pooled.row(0, i)) < 1e-4, "image {i}");
    }
    // The network holds those two blocks and the head, nothing else of the backbone.
    assert_eq!(trainer.model().parameter_count(), start.parameter_count() + 1280 * 3 + 3);

    let train = |rate_divisor| {
        let mut trainer = Trainer::on_features(
            TrainConfig { epochs: 8, ..head_config(tuned(rate_divisor)) },
            data.clone(),
            Arc::new(features(&data, &tuned(rate_divisor), &Pipeline::default(), 1)),
            0,
            &Device::flex(),
        )
        .unwrap();
        let eval = run(&mut trainer);
        (trainer, eval)
    };
    let (trainer, eval) = train(10);
    let after = tensors(trainer.model().tail().unwrap());
    let before = tensors(&start);
    assert_eq!(before.len(), after.len());
    let mut moved = 0;
    for ((name, b), (_, a)) in before.iter().zip(&after) {
        let change = biggest_change(b, a);
        if name.ends_with("running_mean") || name.ends_with("running_var") {
            assert_eq!(change, 0.0, "{name}: the ImageNet statistics stay");
        } else {
            assert!(change > 0.0, "{name} did not train");
            moved += 1;
        }
    }
    assert_eq!(moved, 4 * 3, "weight, scale and shift of 4 convolutions: the head's and MBConv 16's three");
    println!("lesson photos, fine-tuning 2 blocks at lr/10: validation {:.3}", eval.accuracy);
    assert!(eval.accuracy >= 0.95, "fine-tuned validation accuracy {}", eval.accuracy);

    // The divisor is the blocks' own rate: at 1/1000 they move far less than at 1/1.
    let head_weight = |t: &Trainer| tensors(t.model().tail().unwrap()).into_iter().find(|(n, _)| n.starts_with("head.conv")).unwrap().1;
    let step = |d| biggest_change(&before.iter().find(|(n, _)| n.starts_with("head.conv")).unwrap().1, &head_weight(&train(d).0));
    let (fast, slow) = (step(1), step(1000));
    println!("largest change of the head convolution's weights: {fast:.2e} at lr/1, {slow:.2e} at lr/1000");
    assert!(fast > 20.0 * slow, "lr/1 {fast} vs lr/1000 {slow}");

    // The model file: the fine-tuned blocks and the head, loaded back to the same predictions.
    let config = TrainConfig { epochs: 8, ..head_config(tuned(10)) };
    let record = BackboneRef { id: frozen.backbone, sha256: backbone::SHIPPED_SHA256.into(), size: 128 };
    let meta = ModelMeta::new(
        config.model.clone(),
        InputShape { channels: 3, height: 48, width: 48 },
        data.class_names.clone(),
        Some(config.clone()),
    )
    .with_backbone(record);
    assert_eq!(meta.network_input(), table.input());
    let bytes = pollster::block_on(modelfile::save(&trainer.model(), &meta)).unwrap();
    assert!(bytes.len() < 4 * 1024 * 1024, "{} bytes: the frozen rest is not stored", bytes.len());
    let (loaded, _) = modelfile::load(&bytes, &Device::flex()).unwrap();
    assert_eq!(loaded.unfrozen(), 2);
    let images: Vec<&[u8]> = (0..6).map(|i| data.image(i)).collect();
    let a = pollster::block_on(transfer::predict(backbone(), &trainer.model(), 128, (48, 48, 3), &images, &Device::flex())).unwrap();
    let b = pollster::block_on(transfer::predict(backbone(), &loaded, 128, (48, 48, 3), &images, &Device::flex())).unwrap();
    assert_eq!(a, b);
    let again = pollster::block_on(imagelab_core::nn::train::evaluate_loaded(
        &loaded,
        &meta,
        data.clone(),
        TrainConfig::default(),
        Some(table),
        &Device::flex(),
    ))
    .unwrap();
    assert_eq!(again.accuracy, eval.accuracy);
}

/// Fine-tuning with much validation data (the digits with 10 training images per class validate
/// 3,900): the curve's points on the way are measured on a fixed sample of
/// [`imagelab_core::nn::train::CURVE_SAMPLE`] validation images, stratified by class, and the last —
/// the run's result, its confusion matrix — on all of them. A run stopped on the way has no
/// measurement on all yet, so the worker measures it afresh.
#[test]
fn fine_tuning_measures_the_points_on_the_way_on_a_sample() {
    use imagelab_core::nn::architecture::InputShape;
    use imagelab_core::nn::experiment::FineTune;
    use imagelab_core::nn::train::{CURVE_SAMPLE, curve_sample};
    use imagelab_core::rng::SplitMix64;
    let counts = [600, 400, 200];
    let labels: Vec<usize> = counts.iter().enumerate().flat_map(|(c, &n)| std::iter::repeat_n(c, n)).collect();
    let n = labels.len();
    let names = vec!["a".to_string(), "b".into(), "c".into()];
    let data = Arc::new(Dataset::new(2, 2, 1, vec![0; n * 4], labels.clone(), names).unwrap());
    // Maps at the boundary of the last block at 128 px, a class's maps shifted by its label so
    // that the network has something to learn.
    let [channels, height, width] = imagelab_core::nn::lite0::boundary(128, 1);
    let dim = channels * height * width;
    let mut rng = SplitMix64::new(7);
    let values: Vec<f32> = (0..n * dim).map(|v| rng.next_f64() as f32 + labels[v / dim] as f32 * 0.1).collect();
    let table = Arc::new(FeatureTable::of_maps(InputShape { channels, height, width }, n, 1, values, None).unwrap());
    let tuned = Transfer { size: 128, fine_tune: Some(FineTune { blocks: 1, rate_divisor: 10 }), ..Transfer::default() };
    let config = TrainConfig { validation_fraction: 0.7, epochs: 2, batch_size: 64, evals_per_epoch: 2, ..head_config(tuned) };
    let mut trainer = Trainer::on_features(config.clone(), data.clone(), table.clone(), 0, &Device::flex()).unwrap();

    let validation = trainer.split().validation.clone();
    assert_eq!(validation.len(), 840);
    let sample = trainer.curve_sample().expect("840 validation images are more than the sample").to_vec();
    assert_eq!(sample.len(), CURVE_SAMPLE);
    assert!(sample.windows(2).all(|w| w[0] < w[1]) && sample.iter().all(|i| validation.contains(i)));
    let per_class: Vec<usize> = (0..3).map(|c| sample.iter().filter(|&&i| labels[i] == c).count()).collect();
    assert_eq!(per_class, [250, 167, 83], "each class in proportion to its 420, 280, 140 validation images");
    // The same seed draws the same sample; another seed another one.
    assert_eq!(curve_sample(&validation, &labels, CURVE_SAMPLE, config.seed), sample);
    assert_ne!(curve_sample(&validation, &labels, CURVE_SAMPLE, config.seed + 1), sample);
    assert_eq!(curve_sample(&validation[..400], &labels, CURVE_SAMPLE, 1), validation[..400], "no more than the sample: all");

    let mut points = Vec::new();
    while !trainer.is_finished() {
        let out = pollster::block_on(trainer.step(|| 0.0)).unwrap();
        if let Some(p) = out.point {
            if !trainer.is_finished() {
                assert_eq!(p.val_sample, Some(CURVE_SAMPLE));
                let on_sample = pollster::block_on(trainer.evaluate(&sample)).unwrap();
                assert_eq!((p.val_accuracy, p.val_loss), (on_sample.accuracy, on_sample.loss), "point at step {}", p.step);
                assert!(trainer.current_evaluation().is_none(), "a run stopped here is measured afresh, on all");
            }
            points.push(p);
        }
    }
    assert_eq!(points.len(), 4);
    let last = points.last().unwrap();
    assert_eq!(last.val_sample, None, "the last point is on every validation image");
    let result = trainer.current_evaluation().cloned().unwrap();
    assert_eq!(result.predictions.len(), 840);
    assert_eq!((last.val_accuracy, last.val_loss), (result.accuracy, result.loss));
    println!("fine-tuning, points on the way: {:?}", points.iter().map(|p| p.val_accuracy).collect::<Vec<_>>());

    // Stopped right after a point on the sample: the result is measured on all, and a point on
    // all for the same step follows (the page's curve and accuracy end on the whole part).
    let mut stopped = Trainer::on_features(config.clone(), data.clone(), table.clone(), 0, &Device::flex()).unwrap();
    let sampled = loop {
        if let Some(p) = pollster::block_on(stopped.step(|| 0.0)).unwrap().point {
            break p;
        }
    };
    assert_eq!(sampled.val_sample, Some(CURVE_SAMPLE));
    let (result, point) = pollster::block_on(stopped.measure_stopped()).unwrap();
    let point = point.expect("a point on all after a sampled one");
    assert_eq!((point.step, point.val_sample, point.train_loss), (sampled.step, None, sampled.train_loss));
    assert_eq!((point.val_accuracy, result.predictions.len()), (result.accuracy, 840));
    // Measured once: asked again, the same result and no new point.
    let (again, none) = pollster::block_on(stopped.measure_stopped()).unwrap();
    assert_eq!((again.accuracy, none), (result.accuracy, None));

    // Frozen, the head is cheap to measure: every point on all.
    let frozen = Transfer { fine_tune: None, ..tuned };
    let pooled = Arc::new(FeatureTable::new(1280, n, 1, vec![0.5; n * 1280]).unwrap());
    let trainer = Trainer::on_features(TrainConfig { transfer: Some(frozen), ..config }, data, pooled, 0, &Device::flex()).unwrap();
    assert!(trainer.curve_sample().is_none());
}

/// A transfer-learning run whose GPU is lost continues on the CPU from its last epoch's model
/// file, on features computed again there: with plain SGD (no optimizer state to lose) and a head
/// without dropout, the rest of the run takes exactly the steps the uninterrupted run took — the
/// same shuffles, the same augmented versions, the fine-tuned block's weights restored.
#[test]
fn a_fine_tuning_run_resumed_from_its_epoch_file_follows_the_same_batches() {
    use imagelab_core::nn::architecture::{InputShape, LayerSpec, Output};
    use imagelab_core::nn::experiment::{FineTune, Optimizer};
    use imagelab_core::nn::modelfile::{self, BackboneRef, ModelMeta};
    let data = lesson(48);
    let t = Transfer { size: 128, fine_tune: Some(FineTune { blocks: 1, rate_divisor: 10 }), ..Transfer::default() };
    let config = TrainConfig {
        model: ModelSpec { layers: vec![LayerSpec::Flatten], output: Output::Softmax },
        epochs: 3,
        optimizer: Optimizer::Sgd,
        learning_rate: 0.05,
        augment: flips(),
        ..head_config(t)
    };
    let table = Arc::new(features(&data, &t, &flips(), config.seed));
    assert!(table.draws > 1, "augmented versions to draw from");
    let mut whole = Trainer::on_features(config.clone(), data.clone(), table.clone(), 0, &Device::flex()).unwrap();
    let mut losses = Vec::new();
    let mut after_first = None;
    while !whole.is_finished() {
        losses.push(pollster::block_on(whole.step(|| 0.0)).unwrap().report.loss);
        if whole.steps_done() == whole.steps_per_epoch() {
            after_first = Some(whole.model());
        }
    }
    // The checkpoint as the worker writes it: the head and the fine-tuned block, naming the backbone.
    let meta = ModelMeta::new(
        config.model.clone(),
        InputShape { channels: 3, height: 48, width: 48 },
        data.class_names.clone(),
        Some(config.clone()),
    )
    .with_backbone(BackboneRef { id: t.backbone, sha256: backbone::SHIPPED_SHA256.into(), size: 128 });
    let bytes = pollster::block_on(modelfile::save(&after_first.unwrap(), &meta)).unwrap();
    let (net, _) = modelfile::load(&bytes, &Device::flex()).unwrap();
    assert_eq!(net.unfrozen(), 1);
    let again_table = Arc::new(features(&data, &t, &flips(), config.seed));
    let mut resumed = Trainer::resume_after_epoch(config.clone(), data.clone(), Some(again_table), 0, &Device::flex(), net, 1).unwrap();
    let per_epoch = resumed.steps_per_epoch();
    assert_eq!(resumed.steps_done(), per_epoch);
    let mut again = Vec::new();
    while !resumed.is_finished() {
        again.push(pollster::block_on(resumed.step(|| 0.0)).unwrap().report.loss);
    }
    assert_eq!(again, losses[per_epoch..], "the same batches, the same losses");
    // Features of another size are refused, as for a run started on them.
    let other = Arc::new(features(&data, &Transfer { size: 160, ..t }, &flips(), config.seed));
    assert!(Trainer::resume_after_epoch(config, data, Some(other), 0, &Device::flex(), whole.model(), 1).is_err());
}
