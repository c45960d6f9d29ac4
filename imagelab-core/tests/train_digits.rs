//! Trains the CNN on the built-in digits on `Device::flex()`, as the worker does in a browser.

use burn::prelude::Device;
use imagelab_core::dataset::Dataset;
use imagelab_core::experiment::TrainConfig;
use imagelab_core::train::Trainer;
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
    let config = TrainConfig {
        epochs: 2,
        ..TrainConfig::default()
    };
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
    assert!(
        final_point.val_accuracy >= 0.90,
        "validation accuracy {:.3} after 2 epochs",
        final_point.val_accuracy
    );
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
    let config = TrainConfig {
        epochs: 1,
        ..TrainConfig::default()
    };
    let run = |config: TrainConfig| {
        let mut t = Trainer::new(config, data.clone(), &Device::flex()).unwrap();
        (0..3).map(|_| pollster::block_on(t.step(|| 0.0)).unwrap().report.loss).collect::<Vec<_>>()
    };
    assert_eq!(run(config.clone()), run(config.clone()));
    let other = TrainConfig { seed: 7, ..config };
    assert_ne!(run(TrainConfig { epochs: 1, ..TrainConfig::default() }), run(other));
}
