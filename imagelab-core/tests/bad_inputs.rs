//! The committed bad-input corpus (`tests/bad-inputs/`, written by `scripts/make-bad-inputs.py`
//! and, for the model files, by `write_model_files` below): every file goes through the real
//! import path — zip reading, planning, decoding and downscaling, then one all-or-nothing commit
//! into a dataset that already holds images — or through the model-file, link or scoring path,
//! and must give exactly the outcome in the table here (and in the corpus's README.md). After each
//! one, the images that were there before are all still there, byte for byte.
#![cfg(all(feature = "decoders", feature = "nn"))]

use burn::prelude::Device;
use imagelab_core::CoreError;
use imagelab_core::data::dataset::Dataset;
use imagelab_core::data::import::{Archive, Limits, Outcome, Report, SourceFile, add_planned, parse_labels, plan};
use imagelab_core::data::library::{DatasetInfo, MemoryStore, Store};
use imagelab_core::nn::architecture::InputShape;
use imagelab_core::nn::architecture::ModelSpec;
use imagelab_core::nn::experiment::TrainConfig;
use imagelab_core::nn::model::Net;
use imagelab_core::nn::modelfile::{self, META_KEY, ModelMeta};
use std::path::PathBuf;
use std::sync::Arc;

fn corpus() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/bad-inputs"))
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(corpus().join(name)).unwrap_or_else(|e| panic!("tests/bad-inputs/{name}: {e}"))
}

/// What importing one file must do.
enum Expect {
    /// The file is read; `imported` images go in; exactly these paths are skipped, each with a
    /// message starting with the English text given; `notes` start with these texts.
    Import { imported: usize, skipped: &'static [(&'static str, &'static str)], notes: &'static [&'static str] },
    /// The whole file is refused with this English message (its start), its Japanese one without
    /// the English reason, and nothing changes.
    Refused(&'static str),
}

const DECODE: &str = "The image could not be read (it is damaged or not an image)";

/// The import table: file → outcome.
const IMPORTS: &[(&str, Expect)] = &[
    ("good.png", Expect::Import { imported: 1, skipped: &[], notes: &[] }),
    ("good-photo.jpg", Expect::Import { imported: 1, skipped: &[], notes: &[] }),
    ("truncated.png", Expect::Import { imported: 0, skipped: &[("photos/truncated.png", DECODE)], notes: &[] }),
    (
        "truncated.jpg",
        Expect::Import {
            imported: 0,
            skipped: &[("photos/truncated.jpg", "The image could not be read (it is damaged or not an image): the JPEG file is cut short")],
            notes: &[],
        },
    ),
    ("empty.png", Expect::Import { imported: 0, skipped: &[("photos/empty.png", DECODE)], notes: &[] }),
    ("text-named.jpg", Expect::Import { imported: 0, skipped: &[("photos/text-named.jpg", DECODE)], notes: &[] }),
    (
        "header-30000x30000.png",
        Expect::Import {
            imported: 0,
            skipped: &[(
                "photos/header-30000x30000.png",
                "The image could not be read (it is damaged or not an image): the file claims 30000×30000 pixels (900 megapixels; at most 100 are accepted)",
            )],
            notes: &[],
        },
    ),
    (
        "bomb-1bit-12000x9000.png",
        Expect::Import {
            imported: 0,
            skipped: &[(
                "photos/bomb-1bit-12000x9000.png",
                "The image could not be read (it is damaged or not an image): the file claims 12000×9000 pixels (108 megapixels; at most 100 are accepted)",
            )],
            notes: &[],
        },
    ),
    // 36 megapixels of 16-bit RGBA (288 MB decoded) from 280 KB: under the 100-megapixel cap, a
    // real if unusual image; stored downscaled to 256 px.
    ("big-rgba16-6000x6000.png", Expect::Import { imported: 1, skipped: &[], notes: &[] }),
    ("not-a-zip.zip", Expect::Refused("The dataset is malformed: not a readable zip file")),
    ("nested-42-style.zip", Expect::Import { imported: 1, skipped: &[("class/nested.zip", "not an image file")], notes: &[] }),
    ("huge-entry.zip", Expect::Import { imported: 1, skipped: &[("class/huge.png", "larger than 64 MB: not imported")], notes: &[] }),
    (
        "path-traversal.zip",
        Expect::Import {
            imported: 1,
            skipped: &[
                ("../evil.png", "unsafe path (../ or absolute): not imported"),
                ("/absolute.png", "unsafe path (../ or absolute): not imported"),
                ("class/../../climb.png", "unsafe path (../ or absolute): not imported"),
                ("C:/windows.png", "unsafe path (../ or absolute): not imported"),
            ],
            notes: &[],
        },
    ),
    (
        "labels-unknown-files.zip",
        Expect::Import {
            imported: 2,
            skipped: &[("ghost.png", "listed in the label file but no such image was found")],
            notes: &["Label file “train.csv” read as UTF-8 (3 rows)"],
        },
    ),
    (
        "labels-duplicates.zip",
        Expect::Import {
            imported: 2,
            skipped: &[("more/a.png", "a file of the same name is at “train/a.png”")],
            notes: &[
                "Label file “train.csv” read as UTF-8 (2 rows)",
                "line 4: “a.png” was already labelled “red”; the first label is used",
            ],
        },
    ),
    ("labels-bom-crlf.zip", Expect::Import { imported: 2, skipped: &[], notes: &["Label file “train.csv” read as UTF-8 (BOM) (2 rows)"] }),
    ("labels-shift-jis.zip", Expect::Import { imported: 2, skipped: &[], notes: &["Label file “train.csv” read as Shift_JIS (2 rows)"] }),
];

/// The dataset that is there before each import: two images in class `photos`.
fn existing(store: &MemoryStore) -> (DatasetInfo, Vec<Vec<u8>>) {
    let mut info = DatasetInfo::new("existing", "硬貨").unwrap();
    let mut report = Report::default();
    let files = vec![
        SourceFile { path: "photos/one.png".into(), bytes: read("good.png") },
        SourceFile { path: "photos/two.jpg".into(), bytes: read("good-photo.jpg") },
    ];
    let planned = plan(files, None, &mut report);
    let added = add_planned(&mut info, planned, &mut report);
    assert_eq!(report.imported_count(), 2);
    let bytes = added.iter().map(|(_, b)| b.clone()).collect();
    pollster::block_on(store.commit(&info, added, &[])).unwrap();
    (info, bytes)
}

/// Imports one corpus file into the stored dataset as the page and the command line do: a zip
/// entry by entry; a single photo into the class `photos`. One commit at the end.
fn import(store: &MemoryStore, name: &str) -> Result<Report, CoreError> {
    let bytes = read(name);
    let mut report = Report::default();
    let files = if name.ends_with(".zip") {
        Archive::open(bytes, Limits::default())?.read_all(&mut report)
    } else {
        vec![SourceFile { path: format!("photos/{name}"), bytes }]
    };
    let planned = plan(files, None, &mut report);
    let mut info = pollster::block_on(store.datasets()).unwrap().into_iter().find(|d| d.id == "existing").unwrap();
    let added = add_planned(&mut info, planned, &mut report);
    pollster::block_on(store.commit(&info, added, &[])).unwrap();
    Ok(report)
}

fn skipped(report: &Report) -> Vec<(String, String)> {
    report
        .files
        .iter()
        .filter_map(|f| match &f.outcome {
            Outcome::Skipped(why) => Some((f.path.clone(), why.en.clone())),
            Outcome::Imported(_) => None,
        })
        .collect()
}

#[test]
fn every_bad_file_gets_its_outcome_and_earlier_images_stay() {
    let mut failures = Vec::new();
    for (name, expect) in IMPORTS {
        let store = MemoryStore::default();
        let (before, before_bytes) = existing(&store);
        let result = import(&store, name);
        let observed = match &result {
            Ok(r) => format!(
                "imported {}, skipped {:?}, notes {:?}, stopped {:?}",
                r.imported_count(),
                skipped(r),
                r.notes.iter().map(|n| &n.en).collect::<Vec<_>>(),
                r.stopped.as_ref().map(|s| &s.en)
            ),
            Err(e) => format!("refused: {}", e.text().en),
        };
        println!("| {name} | {observed} |");
        // Japanese too, for every line a student sees.
        if let Ok(r) = &result {
            for f in &r.files {
                if let Outcome::Skipped(why) = &f.outcome {
                    assert!(!why.ja.is_empty() && why.ja != why.en, "{name}: {f:?}");
                }
            }
        }
        let ok = match (expect, &result) {
            (Expect::Import { imported, skipped: want, notes }, Ok(r)) => {
                let got = skipped(r);
                r.stopped.is_none()
                    && r.imported_count() == *imported
                    && got.len() == want.len()
                    && want.iter().all(|(p, m)| got.iter().any(|(gp, gm)| gp == p && gm.starts_with(m)))
                    && notes.iter().all(|n| r.notes.iter().any(|g| g.en.starts_with(n)))
                    && r.notes.len() == notes.len()
            }
            // …and in Japanese without the English reason in it.
            (Expect::Refused(why), Err(e)) => {
                let reason = why.split_once(": ").map_or(*why, |(_, r)| r);
                e.text().en.starts_with(why) && !e.text().ja.is_empty() && !e.text().ja.contains(reason)
            }
            _ => false,
        };
        if !ok {
            failures.push(format!("{name}: {observed}"));
        }
        // What was there before is intact, byte for byte; only the imported images were added.
        let after = pollster::block_on(store.datasets()).unwrap().into_iter().find(|d| d.id == "existing").unwrap();
        assert_eq!(after.images[..2], before.images[..], "{name}");
        for (img, bytes) in before.images.iter().zip(&before_bytes) {
            assert_eq!(&pollster::block_on(store.file("existing", img.id)).unwrap(), bytes, "{name}");
        }
        let added = after.images.len() - 2;
        assert_eq!(added, result.as_ref().map_or(0, |r| r.imported_count()), "{name}");
        for img in &after.images[2..] {
            let stored = pollster::block_on(store.file("existing", img.id)).unwrap();
            assert!(img.width <= 256 && img.height <= 256 && stored.len() as u64 == img.bytes, "{name}: {img:?}");
        }
    }
    assert!(failures.is_empty(), "outcomes differ from the table:\n{}", failures.join("\n"));
}

fn digits() -> Arc<Dataset> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/data/");
    let png = std::fs::read(format!("{dir}digits.png")).unwrap();
    let labels = std::fs::read(format!("{dir}digits.labels")).unwrap();
    Arc::new(Dataset::from_sprite_png(&png, &labels, 28, Dataset::digit_class_names()).unwrap())
}

/// The validation accuracy `write_model_files` printed for `model-good.bpk` when it was trained
/// (862 of the 1,200 validation digits).
const GOOD_MODEL_ACCURACY: f64 = 862.0 / 1200.0;

/// The page's "load model": read the file, then measure it on the current data (the digits).
fn load_and_measure(name: &str) -> Result<f64, String> {
    let device = Device::flex();
    let (net, meta) = modelfile::load(&read(name), &device).map_err(|e| e.text().en)?;
    pollster::block_on(imagelab_core::nn::train::evaluate_loaded(&net, &meta, digits(), TrainConfig::default(), None, &device))
        .map(|e| e.accuracy)
        .map_err(|e| e.text().en)
}

#[test]
fn model_files_load_or_are_refused_in_words() {
    let table: &[(&str, Result<(), &str>)] = &[
        ("model-good.bpk", Ok(())), // measured below: its own known accuracy
        ("model-other-input.bpk", Err("The model file cannot be loaded: This model takes 8×8×3 images; the current data is 28×28×1.")),
        ("model-truncated.bpk", Err("The model file cannot be loaded: not a burnpack file, or damaged")),
        ("model-nan.bpk", Err("The model file cannot be loaded: weight ")),
        ("model-forged.bpk", Err("The model file cannot be loaded: weight layers.0.weight is missing from the file: another architecture")),
        ("model-newer.bpk", Err("The model file cannot be loaded: file version 99 cannot be read (this ImageLab reads version 1)")),
        ("text-named.jpg", Err("The model file cannot be loaded: not a burnpack file, or damaged")),
        ("empty.png", Err("The model file cannot be loaded: not a burnpack file, or damaged")),
    ];
    let mut failures = Vec::new();
    for (name, want) in table {
        let got = load_and_measure(name);
        println!("| {name} | {got:?} |");
        let ok = match (want, &got) {
            (Ok(()), Ok(acc)) => (0.0..=1.0).contains(acc),
            (Err(w), Err(g)) => g.starts_with(w),
            _ => false,
        };
        if !ok {
            failures.push(format!("{name}: {got:?}"));
        }
    }
    // The good file is a trained model: loaded and measured on its own validation part, it gives
    // back the accuracy it was saved with (an untrained or wrongly loaded network would not).
    let good = load_and_measure("model-good.bpk").unwrap();
    assert!((good - GOOD_MODEL_ACCURACY).abs() < 1e-9, "model-good.bpk measures {good}, saved at {GOOD_MODEL_ACCURACY}");
    // The NaN file names the weight and says why.
    assert!(load_and_measure("model-nan.bpk").unwrap_err().contains("holds NaN or infinity (a broken model)"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn links_decode_or_start_from_the_defaults_with_a_reason() {
    use imagelab_core::session::share::LinkProblem::{self, *};
    // Each file's own reason, by kind (the words are checked to exist in both languages).
    let table: &[(&str, Option<LinkProblem>)] = &[
        ("url-good.txt", None),
        ("url-truncated.txt", Some(Damaged)),
        ("url-huge.txt", Some(TooLong)),
        ("url-not-base64.txt", Some(Damaged)),
        ("url-script.txt", Some(Damaged)),
        ("url-newer.txt", Some(Newer)),
    ];
    for (name, want) in table {
        let text = String::from_utf8(read(name)).unwrap();
        let (lab, value) = imagelab_core::session::share::parse_hash(&text);
        assert_eq!(lab, "train", "{name}");
        let got = imagelab_core::session::share::decode(value.expect("an e= value"));
        println!("| {name} | {:?} |", got.as_ref().map(|_| "decoded").map_err(|e| (e.problem.slug(), &e.text.en)));
        match (want, got) {
            (None, Ok(e)) => assert!(e.validate().is_ok()),
            (Some(w), Err(e)) => {
                assert_eq!(e.problem, *w, "{name}: {}", e.text.en);
                assert!(!e.text.ja.is_empty() && !e.text.en.is_empty(), "{name}");
            }
            (_, got) => panic!("{name}: {:?}", got.map(|_| ())),
        }
    }
}

#[test]
fn scoring_files_in_shift_jis_bom_crlf_and_binary() {
    let truth = parse_labels(&read("truth-shift-jis.csv")).unwrap();
    assert_eq!((truth.encoding, truth.had_header, truth.rows.len()), ("Shift_JIS", true, 4));
    assert_eq!(truth.rows[0], ("q1.jpg".to_owned(), "十円".to_owned()));
    let sub = parse_labels(&read("submission-bom-crlf.csv")).unwrap();
    assert_eq!((sub.encoding, sub.had_header, sub.rows.len()), ("UTF-8 (BOM)", true, 4));
    assert_eq!(sub.problems.len(), 1, "q3.jpg labelled twice: {:?}", sub.problems);
    let s = imagelab_core::data::competition::score(&truth, &sub);
    assert_eq!((s.correct, s.total, s.missing.clone(), s.unknown.clone()), (2, 4, vec!["q4.jpg".to_owned()], vec!["zz.jpg".to_owned()]));
    let binary = parse_labels(&read("submission-binary.csv"));
    println!("| submission-binary.csv | {:?} |", binary.as_ref().map(|t| t.rows.len()).map_err(|e| e.text().en));
    assert!(binary.unwrap_err().text().en.starts_with("The dataset is malformed: the label file is not text"));
}

/// Writes the model files of the corpus: `cargo test -p imagelab-core --test bad_inputs --
/// --ignored write_model_files`.
#[test]
#[ignore]
fn write_model_files() {
    let device = Device::flex();
    device.seed(7);
    let digits = InputShape { channels: 1, height: 28, width: 28 };
    let names: Vec<String> = Dataset::digit_class_names();
    let spec = ModelSpec::course_mlp();
    // A trained model (the course's MLP, 2 epochs on the digits) whose validation accuracy is
    // known: GOOD_MODEL_ACCURACY, which loading it must give back.
    let config = TrainConfig { model: spec.clone(), epochs: 2, ..TrainConfig::default() };
    let mut trainer = imagelab_core::nn::train::Trainer::new(config.clone(), self::digits(), &device).unwrap();
    while !trainer.is_finished() {
        pollster::block_on(trainer.step(|| 0.0)).unwrap();
    }
    println!("model-good.bpk: validation accuracy {:.6}", trainer.current_evaluation().unwrap().accuracy);
    let net = trainer.model();
    let meta = ModelMeta::new(spec.clone(), digits, names.clone(), Some(config));
    let good = pollster::block_on(modelfile::save(&net, &meta)).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(corpus().join(name), bytes).unwrap();
    write("model-good.bpk", &good);
    write("model-truncated.bpk", &good[..good.len() / 2]);
    let small = InputShape { channels: 3, height: 8, width: 8 };
    let other = Net::new(&spec, small, 2, &device).unwrap();
    let other_meta = ModelMeta::new(spec.clone(), small, vec!["a".into(), "b".into()], None);
    write("model-other-input.bpk", &pollster::block_on(modelfile::save(&other, &other_meta)).unwrap());
    // Rewrites `good` with other tensors or other metadata.
    let repack = |map: &dyn Fn(burn_pack::Tensor) -> burn_pack::Tensor, meta: &ModelMeta| -> Vec<u8> {
        let reader = burn_pack::Reader::from_bytes(burn_pack::Bytes::from_bytes_vec(good.clone())).unwrap();
        let tensors: Vec<burn_pack::Tensor> = reader.into_tensors().unwrap().into_iter().map(map).collect();
        burn_pack::Writer::new(tensors).with_metadata(META_KEY, &serde_json::to_string(meta).unwrap()).into_bytes().unwrap().to_vec()
    };
    let first = std::cell::Cell::new(true);
    let nan = repack(
        &|t| {
            let (name, dtype, shape, id, data) = t.into_parts().unwrap();
            let mut data = data.to_vec();
            if first.replace(false) {
                data[..4].copy_from_slice(&f32::NAN.to_le_bytes());
            }
            burn_pack::Tensor::new(name, dtype, shape, id, burn_pack::Bytes::from_bytes_vec(data))
        },
        &meta,
    );
    write("model-nan.bpk", &nan);
    let forged_meta = ModelMeta { architecture: ModelSpec::small_cnn(), ..meta.clone() };
    write("model-forged.bpk", &repack(&|t| t, &forged_meta));
    let newer_meta = ModelMeta { version: 99, ..meta.clone() };
    write("model-newer.bpk", &repack(&|t| t, &newer_meta));
}

#[test]
fn tables_are_refused_in_words_naming_line_and_column() {
    use imagelab_core::table::{Task, encode, read};
    let e = read::parse(&read("table-ragged.csv")).unwrap_err();
    println!("| table-ragged.csv | {} |", e.0.en);
    assert!(e.0.en.starts_with("line 4 has 2 values but the header names 3 columns") && e.0.ja.contains("4 行目"), "{e:?}");
    let t = read::parse(&read("table-shift-jis-typo.csv")).unwrap();
    assert_eq!((t.encoding.as_str(), t.rows.len(), t.columns[2].as_str()), ("Shift_JIS", 11, "体重"));
    let e = encode::design(&t, 3, Task::Classification, &[1, 2]).unwrap_err();
    println!("| table-shift-jis-typo.csv | {} |", e.0.en);
    assert_eq!(e.0.en, "the column “体重” holds numbers, but line 8 holds “４７kg”; correct it or leave the column out");
    // Without the broken column it is fine; the name column (a value per row) is text with 11 values.
    assert_eq!(encode::design(&t, 3, Task::Classification, &[1]).unwrap().dim(), 1);
    let t = read::parse(&read("table-constant.csv")).unwrap();
    let e = encode::design(&t, 2, Task::Classification, &[0, 1]).unwrap_err();
    println!("| table-constant.csv | {} |", e.0.en);
    assert!(e.0.en.starts_with("the column “grade” holds the same value in every row"), "{e:?}");
    assert!(read::parse(&read("submission-binary.csv")).unwrap_err().0.en.starts_with("this is not a text file"));
}
