//! Datasets for `train`: the built-in digits, a folder, or a zip exported from the data lab —
//! planned, downscaled and converted by the same core functions as the page's import, so a
//! dataset gives the same classes, images and splits here as in the browser.

use crate::fail::Failure;
use crate::images::read_limited;
use imagelab_core::data::dataset::Dataset;
use imagelab_core::data::import::{self, Archive, Limits, Outcome, Report, SourceFile};
use imagelab_core::data::library::{DatasetInfo, to_dataset};
use std::collections::HashMap;
use std::path::Path;

/// The built-in digits (the page's `www/data`), compiled in.
const DIGITS_PNG: &[u8] = include_bytes!("../../www/data/digits.png");
const DIGITS_LABELS: &[u8] = include_bytes!("../../www/data/digits.labels");

/// The name that selects the built-in digits.
pub const BUILTIN: &str = "digits";

/// The built-in 4,000 digits, 28×28 grayscale.
///
/// # Errors
/// Only if the copy built into the binary is damaged.
pub fn digits() -> Result<Dataset, Failure> {
    Dataset::from_sprite_png(DIGITS_PNG, DIGITS_LABELS, 28, Dataset::digit_class_names()).map_err(|e| Failure::core("digits", &e))
}

/// A loaded dataset and what its import did.
pub struct Loaded {
    /// The labelled images at the network's input size.
    pub dataset: Dataset,
    /// File by file: imported (with class) or skipped (with why).
    pub report: Report,
    /// Unlabelled images found (a `test/` folder): not trained on.
    pub unlabelled: usize,
}

fn folder_files(dir: &Path, base: &Path, out: &mut Vec<SourceFile>, total: &mut u64, limits: &Limits) -> Result<(), Failure> {
    for (p, _) in crate::images::visible_entries(dir)? {
        if p.is_dir() {
            folder_files(&p, base, out, total, limits)?;
            continue;
        }
        if out.len() >= limits.max_files {
            return Err(Failure::input(
                format!("ファイルが多すぎます（{} 個まで）", limits.max_files),
                format!("too many files (at most {})", limits.max_files),
            ));
        }
        let bytes = read_limited(&p, limits.max_file_bytes)?;
        *total += bytes.len() as u64;
        if *total > limits.max_total_bytes {
            return Err(Failure::input("フォルダが大きすぎます（合計 1 GiB まで）", "the folder is too large (1 GiB in all at most)"));
        }
        let path = p.strip_prefix(base).unwrap_or(&p).to_string_lossy().replace('\\', "/");
        out.push(SourceFile { path, bytes });
    }
    Ok(())
}

/// The files of a folder or a zip, and the report of what the archive itself skipped.
fn source_files(path: &Path, report: &mut Report) -> Result<Vec<SourceFile>, Failure> {
    let limits = Limits::default();
    if path.is_dir() {
        let mut files = Vec::new();
        folder_files(path, path, &mut files, &mut 0, &limits)?;
        return Ok(files);
    }
    let bytes = read_limited(path, 2 * limits.max_total_bytes)?;
    let archive = Archive::open(bytes, limits).map_err(|e| Failure::core(&path.display().to_string(), &e))?;
    // A zip bomb stops the reading, keeps what came before, and says so in the report.
    Ok(archive.read_all(report))
}

/// Loads `source` (`digits`, a folder or a zip) at `width`×`height`×`channels`. The digits come
/// at their own 28×28 grayscale.
///
/// # Errors
/// A missing path, an unreadable zip, or no labelled image (exit code 3).
pub fn load(source: &str, width: usize, height: usize, channels: usize) -> Result<Loaded, Failure> {
    if source == BUILTIN {
        return Ok(Loaded { dataset: digits()?, report: Report::default(), unlabelled: 0 });
    }
    let path = Path::new(source);
    if !path.exists() {
        return Err(Failure::input(
            format!("{source} がありません（フォルダ、データ画面で書き出した zip、または digits を指定してください）"),
            format!("{source} does not exist (name a folder, a zip exported from the data lab, or digits)"),
        ));
    }
    let mut report = Report::default();
    let files = source_files(path, &mut report)?;
    let planned = import::plan(files, None, &mut report);
    let mut info = DatasetInfo::new("cli", "cli").map_err(|e| {
        let t = e.text();
        Failure::input(t.ja, t.en)
    })?;
    let stored: HashMap<u64, Vec<u8>> = import::add_planned(&mut info, planned, &mut report).into_iter().collect();
    let unlabelled = info.images.iter().filter(|i| i.class.is_none()).count();
    let mut failed = None;
    let dataset =
        to_dataset(&info, width, height, channels, |_, img| match import::decode_resized(&stored[&img.id], width, height, channels) {
            Ok(px) => px,
            Err(e) => {
                failed.get_or_insert(e);
                Vec::new()
            }
        });
    if let Some(e) = failed {
        return Err(Failure::core(source, &e));
    }
    let dataset = dataset.map_err(|e| Failure::core(source, &e))?;
    Ok(Loaded { dataset, report, unlabelled })
}

/// Prints the import's summary, and each skipped file with why, to stderr.
pub fn print_report(report: &Report) {
    for line in &report.files {
        if let Outcome::Skipped(why) = &line.outcome {
            eprintln!("  skipped / 読み込まず: {} — {} / {}", line.path, why.ja, why.en);
        }
    }
    for note in &report.notes {
        eprintln!("  {} / {}", note.ja, note.en);
    }
    if let Some(why) = &report.stopped {
        eprintln!("  stopped early / 途中で停止: {} / {}", why.ja, why.en);
    }
    let s = report.summary();
    eprintln!("{} / {}", s.ja, s.en);
}
