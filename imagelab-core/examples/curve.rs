//! Prints the validation curve of a training run on the built-in digits (native, flex):
//! `cargo run --release -p imagelab-core --example curve -- [epochs] [lr] [model] [batch]`,
//! model = small-cnn (default), mlp or deeper-cnn.
use burn::prelude::Device;
use imagelab_core::data::dataset::Dataset;
use imagelab_core::nn::architecture::ModelSpec;
use imagelab_core::nn::experiment::TrainConfig;
use imagelab_core::nn::train::Trainer;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let arg = |i: usize, d: f64| std::env::args().nth(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/data/");
    let png = std::fs::read(format!("{dir}digits.png")).unwrap();
    let labels = std::fs::read(format!("{dir}digits.labels")).unwrap();
    let data = Arc::new(Dataset::from_sprite_png(&png, &labels, 28, Dataset::digit_class_names()).unwrap());
    let config = TrainConfig {
        epochs: arg(1, 8.0) as usize,
        learning_rate: arg(2, 0.003),
        batch_size: arg(4, 64.0) as usize,
        model: match std::env::args().nth(3).as_deref() {
            Some("mlp") => ModelSpec::course_mlp(),
            Some("deeper-cnn") => ModelSpec::deeper_cnn(),
            _ => ModelSpec::small_cnn(),
        },
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(config, data, &Device::flex()).unwrap();
    let start = Instant::now();
    while !trainer.is_finished() {
        let out = pollster::block_on(trainer.step(|| start.elapsed().as_secs_f64() * 1e3)).unwrap();
        if let Some(p) = out.point {
            println!(
                "epoch {:5.2}  step {:4}  {:7.0} ms  train loss {:.3} acc {:.3}  val loss {:.3} acc {:.3}",
                p.epoch, p.step, out.report.elapsed_ms, p.train_loss, p.train_accuracy, p.val_loss, p.val_accuracy
            );
        }
    }
}
