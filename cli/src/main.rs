//! `imagelab`: ImageLab (画像分類ラボ) on the command line, for teachers and for students who
//! outgrow the browser. Every command runs the same core code as the page, so the same photo and
//! the same settings give the same pixels, the same splits and the same model files.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
mod backbone;
mod data;
mod device;
mod fail;
mod images;
mod run;
mod table;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// ImageLab (画像分類ラボ) on the command line: the image lab's filters, augmentation,
/// training, prediction and the competition's scoring, on the same core as the browser.
#[derive(Parser)]
#[command(name = "imagelab", version, propagate_version = true, max_term_width = 100)]
#[command(after_help = "Exit codes: 0 done; 1 some inputs failed (the rest were done); 2 bad arguments or \
settings; 3 an input cannot be read (missing path, not an image, bad model file); 4 the device asked \
for is unavailable.\n終了コード: 0 完了 / 1 一部の入力が失敗 / 2 引数・設定の誤り / 3 入力が読めない / 4 指定の装置が使えない")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Applies an image-lab filter (フィルタ) to images: PNG/JPEG in, PNG out.
    Filter(run::FilterArgs),
    /// Applies an image-lab geometric transform (幾何変換) to images: PNG/JPEG in, PNG out.
    Transform(run::TransformArgs),
    /// Draws seeded augmentations (データ拡張) of each image, as the augmentation lab does.
    Augment(run::AugmentArgs),
    /// Trains a network on a dataset folder, an exported dataset zip or the built-in digits and
    /// writes a model file the browser loads.
    Train(run::TrainArgs),
    /// Predicts the class of every image in a folder with a model file and writes a submission
    /// file (file name, label).
    Predict(run::PredictArgs),
    /// Measures a model file on a dataset: the validation part of the split it was trained with,
    /// as the training lab does when it loads a model.
    Evaluate(run::EvaluateArgs),
    /// Scores submission files against the true labels: accuracy and a ranked table (the
    /// teacher's side of the competition).
    Score(run::ScoreArgs),
    /// Measures training steps per second of the reference CNN on each device.
    Bench(run::BenchArgs),
    /// The pretrained backbone for transfer learning (EfficientNet-Lite0, ImageNet): `convert`.
    Backbone {
        #[command(subcommand)]
        command: backbone::BackboneCommand,
    },
    /// The table lab (表データ) on a CSV/TSV: `train`.
    Table {
        #[command(subcommand)]
        command: table::TableCommand,
    },
    /// Prints the default training settings as JSON, to edit and pass to `train --settings`.
    Settings {
        /// Write them here instead of printing.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Filter(a) => run::filter(a),
        Command::Transform(a) => run::transform(a),
        Command::Augment(a) => run::augment(a),
        Command::Train(a) => run::train(a),
        Command::Predict(a) => run::predict(a),
        Command::Evaluate(a) => run::evaluate(a),
        Command::Score(a) => run::score(a),
        Command::Bench(a) => run::bench(a),
        Command::Backbone { command } => backbone::run(command),
        Command::Table { command } => table::run(command),
        Command::Settings { out } => run::settings(out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.print();
            ExitCode::from(failure.code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use fail::Failure;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn failures_have_their_codes() {
        assert_eq!(Failure::usage("x", "x").code(), 2);
        assert_eq!(Failure::input("x", "x").code(), 3);
    }
}
