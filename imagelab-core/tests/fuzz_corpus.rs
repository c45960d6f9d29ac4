//! Replays the fuzzers' inputs on stable Rust in `cargo test`: the seed corpora
//! (`fuzz/corpus/<target>/`), every crash or hang the fuzzers found (`fuzz/regressions/<target>/`,
//! kept as regression tests once fixed) and the bad-input corpus (`tests/bad-inputs/`, through
//! every target). Each input goes through the same function the fuzz target calls
//! (`imagelab_core::fuzzing`), which panics on a broken invariant.
#![cfg(all(feature = "decoders", feature = "nn"))]

use imagelab_core::fuzzing;
use std::path::{Path, PathBuf};

/// Each fuzz target's name and the function it calls.
type Target = (&'static str, fn(&[u8]));

const TARGETS: [Target; 7] = [
    ("image_decode", fuzzing::image_decode),
    ("zip_import", fuzzing::zip_import),
    ("label_file", fuzzing::label_file),
    ("experiment_url", fuzzing::experiment_url),
    ("model_file", fuzzing::model_file),
    ("submission", fuzzing::submission),
    ("table", fuzzing::table),
];

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file() && !p.ends_with("README.md")).collect();
    out.sort();
    out
}

#[test]
fn every_fuzz_input_found_so_far_passes() {
    let mut count = 0;
    for (target, run) in TARGETS {
        let seeds = files(&root().join("fuzz/corpus").join(target));
        assert!(!seeds.is_empty(), "fuzz/corpus/{target} has seeds");
        for path in seeds.iter().chain(&files(&root().join("fuzz/regressions").join(target))) {
            let bytes = std::fs::read(path).unwrap();
            eprintln!("{target}: {}", path.display());
            run(&bytes);
            count += 1;
        }
    }
    assert!(count >= 20, "{count} inputs");
}

#[test]
fn every_bad_input_passes_every_target() {
    let inputs = files(&root().join("tests/bad-inputs"));
    assert!(inputs.len() >= 30);
    for path in &inputs {
        let bytes = std::fs::read(path).unwrap();
        for (target, run) in TARGETS {
            eprintln!("{target}: {}", path.display());
            run(&bytes);
        }
    }
}
