//! Trains the CNN on the built-in digits on `Device::flex()`, as the worker does in a browser.

use burn::prelude::Device;
use imagelab_core::data::dataset::Dataset;
use imagelab_core::nn::experiment::TrainConfig;
use imagelab_core::nn::train::Trainer;
use std::sync::Arc;

fn digits() -> Arc<Dataset> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/data/");
    let png = std::fs::read(format!("{dir}digits.png")).expect("www/data/digits.png");
    let labels = std::fs::read(format!("{dir}digits.labels")).expect("www/data/digits.labels");
    Arc::new(Dataset::from_sprite_png(&png, &labels, 28, Dataset::digit_class_names()).unwrap())
}

#[test]
fn builtin_digits_are_balanced_28x28() {
    let d = digits();
    assert_eq!(d.len(), 4000);
    assert_eq!((d.width, d.height, d.channels), (28, 28, 1));
    assert_eq!(d.class_counts(), vec![400; 10]);
    // Digits are white strokes on black: mostly dark, some bright.
    let img = d.image(0);
    assert!(img.iter().filter(|&&p| p == 0).count() > 400);
    assert!(img.iter().any(|&p| p > 200));
}

#[test]
fn seeded_cnn_learns_the_digits() {
    let data = digits();
    let config = TrainConfig { epochs: 2, ..TrainConfig::default() };
    let mut trainer = Trainer::new(config, data, &Device::flex()).unwrap();
    assert_eq!(trainer.split().train.len(), 2800);
    assert_eq!(trainer.split().validation.len(), 1200);
    assert_eq!(trainer.total_steps(), 2 * 44);

    let mut losses = Vec::new();
    let mut points = Vec::new();
    while !trainer.is_finished() {
        let out = pollster::block_on(trainer.step(|| 0.0)).unwrap();
        assert!(out.report.loss.is_finite());
        losses.push(out.report.loss);
        points.extend(out.point);
    }
    assert_eq!(points.len(), 8, "4 validation points per epoch");
    let first: f64 = losses[..5].iter().sum::<f64>() / 5.0;
    let last: f64 = losses[losses.len() - 5..].iter().sum::<f64>() / 5.0;
    assert!(last < first * 0.5, "loss fell from {first:.3} to {last:.3}");
    let final_point = points.last().unwrap();
    assert!(final_point.val_accuracy >= 0.90, "validation accuracy {:.3} after 2 epochs", final_point.val_accuracy);
    assert!(points[0].val_accuracy < final_point.val_accuracy);
    // The finished run's last measurement is of the final weights, with its confusion matrix.
    let last = trainer.current_evaluation().expect("measured at the last step");
    assert_eq!(last.accuracy, final_point.val_accuracy);
    assert_eq!(last.confusion.total(), 1200);
    eprintln!("val accuracy per point: {:?}", points.iter().map(|p| p.val_accuracy).collect::<Vec<_>>());
}

#[test]
fn same_seed_gives_the_same_run() {
    let data = digits();
    let config = TrainConfig { epochs: 1, ..TrainConfig::default() };
    let run = |config: TrainConfig| {
        let mut t = Trainer::new(config, data.clone(), &Device::flex()).unwrap();
        (0..3).map(|_| pollster::block_on(t.step(|| 0.0)).unwrap().report.loss).collect::<Vec<_>>()
    };
    assert_eq!(run(config.clone()), run(config.clone()));
    let other = TrainConfig { seed: 7, ..config };
    assert_ne!(run(TrainConfig { epochs: 1, ..TrainConfig::default() }), run(other));
}

/// The first `per_class` images of each class.
fn subset(data: &Dataset, per_class: usize) -> Arc<Dataset> {
    let mut taken = vec![0; data.num_classes()];
    let (mut pixels, mut labels) = (Vec::new(), Vec::new());
    for i in 0..data.len() {
        let l = data.labels[i];
        if taken[l] < per_class {
            taken[l] += 1;
            pixels.extend_from_slice(data.image(i));
            labels.push(l);
        }
    }
    Arc::new(Dataset::new(data.width, data.height, data.channels, pixels, labels, data.class_names.clone()).unwrap())
}

/// Trains to the end; returns (accuracy on the un-augmented training images, validation accuracy).
fn train_and_measure(config: TrainConfig, data: Arc<Dataset>) -> (f64, f64) {
    let mut t = Trainer::new(config, data, &Device::flex()).unwrap();
    while !t.is_finished() {
        pollster::block_on(t.step(|| 0.0)).unwrap();
    }
    let train = pollster::block_on(t.evaluate(&t.split().train.clone())).unwrap().accuracy;
    let val = t.current_evaluation().unwrap().accuracy;
    (train, val)
}

#[test]
fn augmentation_narrows_the_train_validation_gap_on_a_small_set() {
    // 50 digits per class: 350 to learn from, few enough to overfit.
    let data = subset(&digits(), 50);
    let config = TrainConfig { epochs: 25, evals_per_epoch: 1, ..TrainConfig::default() };
    let (train_plain, val_plain) = train_and_measure(config.clone(), data.clone());
    let augmented = TrainConfig { augment: imagelab_core::data::augment::Pipeline::digits(), ..config };
    let (train_aug, val_aug) = train_and_measure(augmented, data);
    let (gap_plain, gap_aug) = (train_plain - val_plain, train_aug - val_aug);
    eprintln!(
        "without augmentation: train {train_plain:.3} val {val_plain:.3} gap {gap_plain:.3}; \
         with: train {train_aug:.3} val {val_aug:.3} gap {gap_aug:.3}"
    );
    assert!(gap_plain > 0.05, "the plain run should overfit a little (gap {gap_plain:.3})");
    assert!(gap_aug < gap_plain - 0.03, "gap {gap_aug:.3} with vs {gap_plain:.3} without augmentation");
    assert!(val_aug >= val_plain - 0.01, "validation accuracy {val_aug:.3} with vs {val_plain:.3} without");
}

#[test]
fn every_optimizer_makes_the_loss_fall() {
    use imagelab_core::nn::experiment::Optimizer;
    let data = subset(&digits(), 60);
    for (slug, lr) in [("sgd", 0.3), ("momentum", 0.03), ("nesterov", 0.02), ("adam", 0.003), ("rmsprop", 0.002)] {
        let config = TrainConfig {
            epochs: 10,
            learning_rate: lr,
            optimizer: Optimizer::from_slug(slug).unwrap(),
            weight_decay: 1e-4,
            evals_per_epoch: 1,
            ..TrainConfig::default()
        };
        let mut t = Trainer::new(config, data.clone(), &Device::flex()).unwrap();
        let mut losses = Vec::new();
        while !t.is_finished() {
            losses.push(pollster::block_on(t.step(|| 0.0)).unwrap().report.loss);
        }
        let first = losses[..3].iter().sum::<f64>() / 3.0;
        let last = losses[losses.len() - 3..].iter().sum::<f64>() / 3.0;
        eprintln!("{slug}: loss {first:.3} → {last:.3}, val {:.3}", t.current_evaluation().unwrap().accuracy);
        assert!(last < first * 0.7, "{slug}: loss {first:.3} → {last:.3}");
    }
}

#[test]
fn the_course_mlp_and_the_deeper_cnn_learn() {
    use imagelab_core::nn::architecture::ModelSpec;
    let data = subset(&digits(), 100);
    for (name, model, want) in [("mlp", ModelSpec::course_mlp(), 0.7), ("deeper", ModelSpec::deeper_cnn(), 0.8)] {
        let config = TrainConfig { epochs: 8, model, evals_per_epoch: 1, ..TrainConfig::default() };
        let (train, val) = train_and_measure(config, data.clone());
        eprintln!("{name}: train {train:.3} val {val:.3}");
        assert!(val >= want, "{name}: validation accuracy {val:.3}");
    }
}

#[test]
fn k_fold_trainers_validate_on_disjoint_folds_that_cover_the_data() {
    use imagelab_core::nn::experiment::Validation;
    let data = subset(&digits(), 12);
    let config = TrainConfig { validation: Validation::KFold { k: 3 }, epochs: 1, ..TrainConfig::default() };
    let mut seen = vec![0; data.len()];
    for fold in 0..3 {
        let t = Trainer::for_fold(config.clone(), data.clone(), fold, &Device::flex()).unwrap();
        assert_eq!(t.split().train.len() + t.split().validation.len(), data.len());
        for &i in &t.split().validation {
            seen[i] += 1;
        }
    }
    assert!(seen.iter().all(|&n| n == 1));
    assert!(Trainer::for_fold(config, data, 3, &Device::flex()).is_err());
}

#[test]
fn mixup_trains_with_mixed_labels() {
    let data = subset(&digits(), 60);
    let augment = imagelab_core::data::augment::Pipeline { steps: vec![], mixup: 0.4 };
    let config = TrainConfig { epochs: 8, evals_per_epoch: 1, augment, ..TrainConfig::default() };
    let mut t = Trainer::new(config, data, &Device::flex()).unwrap();
    let mut losses = Vec::new();
    while !t.is_finished() {
        losses.push(pollster::block_on(t.step(|| 0.0)).unwrap().report.loss);
    }
    let first = losses[..3].iter().sum::<f64>() / 3.0;
    let last = losses[losses.len() - 3..].iter().sum::<f64>() / 3.0;
    let val = t.current_evaluation().unwrap().accuracy;
    eprintln!("mixup: loss {first:.3} → {last:.3}, validation {val:.3}");
    assert!(losses.iter().all(|l| l.is_finite()));
    assert!(last < first * 0.8, "loss {first:.3} → {last:.3}");
    assert!(val > 0.7, "validation accuracy {val:.3}");
}

#[test]
fn a_run_resumed_after_an_epoch_on_another_device_follows_the_same_batches() {
    use imagelab_core::nn::experiment::Optimizer;
    // Plain SGD keeps no state, so resuming from the epoch-1 weights must give exactly the
    // steps the uninterrupted run took (the same shuffles, the same augmented images).
    let data = subset(&digits(), 30);
    let config = TrainConfig {
        epochs: 3,
        optimizer: Optimizer::Sgd,
        learning_rate: 0.1,
        evals_per_epoch: 1,
        augment: imagelab_core::data::augment::Pipeline::digits(),
        ..TrainConfig::default()
    };
    let device = Device::flex();
    let mut whole = Trainer::new(config.clone(), data.clone(), &device).unwrap();
    let mut losses = Vec::new();
    let mut after_first = None;
    while !whole.is_finished() {
        losses.push(pollster::block_on(whole.step(|| 0.0)).unwrap().report.loss);
        if whole.steps_done() == whole.steps_per_epoch() {
            assert_eq!(whole.epochs_done(), 1);
            after_first = Some(whole.model());
        }
    }
    let per_epoch = whole.steps_per_epoch();
    let mut resumed = Trainer::resume_after_epoch(config.clone(), data.clone(), None, 0, &device, after_first.unwrap(), 1).unwrap();
    assert_eq!((resumed.steps_done(), resumed.epochs_done()), (per_epoch, 1));
    let mut again = Vec::new();
    let mut last = None;
    while !resumed.is_finished() {
        let out = pollster::block_on(resumed.step(|| 0.0)).unwrap();
        assert_eq!(out.report.epoch, 2 + (again.len() / per_epoch));
        again.push(out.report.loss);
        last = out.point.or(last);
    }
    assert_eq!(again, losses[per_epoch..], "the same batches, the same losses");
    assert_eq!(last.unwrap().epoch, 3.0);
    assert!(Trainer::resume_after_epoch(config, data, None, 0, &device, whole.model(), 3).is_err(), "nothing left to resume");
}

#[test]
fn a_sigmoid_output_learns_two_classes_with_binary_cross_entropy() {
    use burn::prelude::{Tensor, TensorData};
    use imagelab_core::nn::architecture::{ModelSpec, Output};
    // Digits 3 and 8, the two classes: 80 images each.
    let all = digits();
    let (mut pixels, mut labels) = (Vec::new(), Vec::new());
    let mut taken = [0; 2];
    for i in 0..all.len() {
        let class = match all.labels[i] {
            3 => 0,
            8 => 1,
            _ => continue,
        };
        if taken[class] < 80 {
            taken[class] += 1;
            pixels.extend_from_slice(all.image(i));
            labels.push(class);
        }
    }
    let data = Arc::new(Dataset::new(28, 28, 1, pixels, labels, vec!["3".into(), "8".into()]).unwrap());
    let model = ModelSpec { output: Output::Sigmoid, ..ModelSpec::course_mlp() };
    let config = TrainConfig { epochs: 8, evals_per_epoch: 1, learning_rate: 0.01, model, ..TrainConfig::default() };
    let device = Device::flex();
    let mut t = Trainer::new(config, data.clone(), &device).unwrap();
    let mut first = None;
    while !t.is_finished() {
        let out = pollster::block_on(t.step(|| 0.0)).unwrap();
        first.get_or_insert(out.report.loss);
    }
    let val = t.current_evaluation().unwrap().clone();
    assert!(val.accuracy > 0.9, "validation accuracy {}", val.accuracy);
    assert!(val.loss < first.unwrap() * 0.7, "loss {} from {}", val.loss, first.unwrap());
    // One output unit; its scores come back as [0, z], so softmax gives [1 − σ(z), σ(z)] and the
    // reported loss is the binary cross-entropy −[y log σ(z) + (1 − y) log(1 − σ(z))].
    let net = t.model();
    let idx: Vec<usize> = t.split().validation.clone();
    let x = Tensor::<4>::from_data(TensorData::new(data.to_chw_f32(&idx), [idx.len(), 1, 28, 28]), &device);
    let scores = net.forward(x).into_data().try_to_vec::<f32>().unwrap();
    let mut bce = 0.0f64;
    for (k, &i) in idx.iter().enumerate() {
        assert_eq!(scores[2 * k], 0.0);
        let p = 1.0 / (1.0 + (-(scores[2 * k + 1] as f64)).exp());
        bce -= if data.labels[i] == 1 { p.ln() } else { (1.0 - p).ln() };
    }
    bce /= idx.len() as f64;
    assert!((bce - val.loss).abs() < 1e-4, "binary cross-entropy {bce} vs the evaluation's loss {}", val.loss);
}
