//! The fuzzers' entry points: one function per parser of outside input, taking raw bytes. Each
//! must never panic, hang or allocate without bound, and each checks what must hold of what it
//! accepted (a panic here is a finding). `fuzz/` (cargo-fuzz, libFuzzer) calls them; the test
//! `tests/fuzz_corpus.rs` replays the committed corpora and every crash found, on stable Rust, in
//! `cargo test`.

#![allow(clippy::expect_used, reason = "a fuzz target's expectations are its oracles: a failed one is the finding")]
use crate::data::import::{self, Archive, Entry, Limits, Outcome, Report};

/// Limits small enough that one fuzz input stays fast, with the same code paths as the defaults.
const FUZZ_LIMITS: Limits = Limits { max_files: 64, max_total_bytes: 8 << 20, max_file_bytes: 2 << 20 };

#[cfg(feature = "decoders")]
/// A photo: the header probe, then decoding and downscaling for storage, then the network's
/// input. What is stored fits [`crate::data::library::STORED_LONGEST_SIDE`] and decodes again.
pub fn image_decode(data: &[u8]) {
    let _ = crate::images::probe::check_header(data);
    let Ok(stored) = import::prepare_for_storage(data) else { return };
    let side = crate::data::library::STORED_LONGEST_SIDE;
    assert!(stored.width >= 1 && stored.height >= 1 && stored.width <= side && stored.height <= side, "{}×{}", stored.width, stored.height);
    let pixels = import::decode_resized(&stored.bytes, 28, 28, 1).expect("a stored image decodes again");
    assert_eq!(pixels.len(), 28 * 28);
}

/// A dataset zip, read entry by entry, then planned into classes (the page's and the command
/// line's path). No file escapes its folder, every entry is accounted for, and the caps hold.
pub fn zip_import(data: &[u8]) {
    let Ok(mut archive) = Archive::open(data.to_vec(), FUZZ_LIMITS) else { return };
    let entries = archive.len();
    assert!(entries <= FUZZ_LIMITS.max_files);
    let (mut files, mut report, mut seen, mut inflated) = (Vec::new(), Report::default(), 0, 0u64);
    while let Some(entry) = archive.next_file() {
        seen += 1;
        match entry {
            Ok(Entry::File(f)) => {
                assert!(!f.path.split('/').any(|p| p == ".." || p.is_empty()) && !f.path.starts_with('/'), "unsafe path {:?}", f.path);
                assert!(f.bytes.len() as u64 <= FUZZ_LIMITS.max_file_bytes);
                inflated += f.bytes.len() as u64;
                files.push(f);
            }
            Ok(Entry::Skipped(line)) => report.files.push(line),
            Ok(Entry::Quiet) => {}
            Err(_) => break,
        }
    }
    assert!(seen <= entries);
    assert!(inflated <= FUZZ_LIMITS.max_total_bytes);
    let count = files.len();
    let planned = import::plan(files, None, &mut report);
    assert!(planned.len() <= count);
    for p in &planned {
        assert!(!p.name.contains('/'), "{:?}", p.name);
        if let Some(class) = &p.class {
            assert!(!class.is_empty());
        }
    }
    for line in &report.files {
        if let Outcome::Skipped(why) = &line.outcome {
            assert!(!why.ja.is_empty() && !why.en.is_empty());
        }
    }
}

/// A label file (CSV/TSV; UTF-8, BOM, Shift_JIS, UTF-16): every row has a file name without a
/// folder and a label, and no file is named twice.
pub fn label_file(data: &[u8]) {
    let Ok(table) = import::parse_labels(data) else { return };
    assert!(!table.rows.is_empty());
    let mut names = std::collections::HashSet::new();
    for (file, label) in &table.rows {
        assert!(!file.is_empty() && !label.is_empty());
        assert!(!file.contains(['/', '\\']), "{file:?}");
        assert!(names.insert(file.as_str()), "{file:?} twice");
    }
}

/// An experiment link (the part after `#/lab?e=`, or a whole hash): what decodes is valid and
/// encodes back to the same experiment.
pub fn experiment_url(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (_, value) = crate::session::share::parse_hash(&text);
    for candidate in [Some(text.as_ref()), value] {
        let Some(candidate) = candidate else { continue };
        if let Ok(e) = crate::session::share::decode(candidate) {
            assert!(e.validate().is_ok(), "a decoded link is valid");
            // A link compressed better than ours may re-encode past the length cap.
            let encoded = crate::session::share::encode(&e);
            if encoded.len() < crate::session::share::MAX_PAYLOAD_CHARS {
                assert_eq!(crate::session::share::decode(&encoded).expect("a re-encoded link decodes"), e);
            }
        }
    }
}

#[cfg(feature = "nn")]
/// A model file: its metadata, then the whole network on the CPU. What loads has finite weights
/// and answers for one input of its shape with one probability per class.
pub fn model_file(data: &[u8]) {
    use burn::prelude::*;
    let device = Device::flex();
    if crate::nn::modelfile::read_meta(data).is_err() {
        assert!(crate::nn::modelfile::load(data, &device).is_err());
        return;
    }
    let Ok((net, meta)) = crate::nn::modelfile::load(data, &device) else { return };
    // What the stored network takes: pixels, or (transfer learning) the backbone's output.
    let input = meta.network_input();
    let n = input.channels * input.height * input.width;
    let x = Tensor::<4>::from_data(TensorData::new(vec![0.5f32; n], [1, input.channels, input.height, input.width]), &device);
    let out = net.valid().forward(x).into_data().try_to_vec::<f32>().expect("f32 outputs");
    assert_eq!(out.len(), meta.class_names.len());
}

/// The teacher's scoring: the first half of the input as the true labels, the rest as a
/// submission. Counts add up, and each submitted row answers for one file at most.
pub fn submission(data: &[u8]) {
    let (truth, submitted) = data.split_at(data.len() / 2);
    let (Ok(truth), Ok(submitted)) = (import::parse_labels(truth), import::parse_labels(submitted)) else { return };
    let s = crate::data::competition::score(&truth, &submitted);
    assert_eq!(s.total, truth.rows.len());
    assert!(s.correct <= s.total);
    assert!((0.0..=1.0).contains(&s.accuracy));
    let answered = s.total - s.missing.len();
    assert!(s.correct <= answered);
    assert_eq!(answered + s.unknown.len(), submitted.rows.len(), "each submitted row answers for one file at most");
    assert!(s.foreign_labels <= answered);
}

/// A table file (the table lab): read, then every column as the target of either task with
/// every other column as input. What is refused says why in both languages; what is accepted
/// has one value per row and input, finite, and a linear fit on it predicts finite numbers.
pub fn table(data: &[u8]) {
    use crate::table::{Target, Task, encode, read};
    let Ok(t) = read::parse(data) else { return };
    assert!(t.columns.len() >= 2 && !t.rows.is_empty() && t.rows.iter().all(|r| r.len() == t.columns.len()));
    assert_eq!(t.lines.len(), t.rows.len());
    for target in 0..t.columns.len().min(8) {
        let inputs: Vec<usize> = (0..t.columns.len()).filter(|&c| c != target).collect();
        for task in [Task::Regression, Task::Classification] {
            match encode::design(&t, target, task, &inputs) {
                Err(e) => assert!(!e.0.ja.is_empty() && !e.0.en.is_empty()),
                Ok(d) => {
                    assert_eq!(d.x.len(), d.rows * d.dim());
                    assert!(d.x.iter().all(|v| v.is_finite()));
                    if let Target::Values(y) = &d.target {
                        let rows: Vec<usize> = (0..d.rows).collect();
                        let fit = crate::table::linear::LinearFit::fit(&d.x, d.dim(), y, &rows);
                        // Finite inputs can still overflow a sum of squares (1e300²): then the
                        // fit is not finite, but it must not panic.
                        let _ = fit.predict(d.row(0));
                    }
                }
            }
        }
    }
}
