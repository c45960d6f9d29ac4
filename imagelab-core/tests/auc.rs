//! ImageLab's ROC curve and AUC against scikit-learn 1.9.1's `roc_curve` and `roc_auc_score`
//! (reference numbers by `scripts/classical/make_auc_reference.py`): ties, all-equal scores,
//! perfect and inverted separation, one class, 200 random scores (also rounded: many ties), and
//! validation predictions as the page receives them, fold by fold.

use imagelab_core::nn::metrics::Prediction;
use imagelab_core::nn::roc::{RocSummary, positive_score, roc_auc, roc_corners, roc_curve};
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(include_str!("data/sklearn_auc.json")).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

fn points(fpr: &Value, tpr: &Value) -> Vec<(f64, f64)> {
    floats(fpr).into_iter().zip(floats(tpr)).collect()
}

fn assert_curve(name: &str, what: &str, ours: &[(f64, f64)], theirs: &[(f64, f64)]) {
    assert_eq!(ours.len(), theirs.len(), "{name}: {what} has {} points, scikit-learn {}\n{ours:?}\n{theirs:?}", ours.len(), theirs.len());
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        assert!((a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12, "{name}: {what} point {i}: {a:?} vs {b:?}");
    }
}

#[test]
fn roc_curves_and_aucs_match_scikit_learn() {
    let r = reference();
    let cases = r["cases"].as_array().unwrap();
    assert!(cases.len() >= 9);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let scores = floats(&c["scores"]);
        let positives: Vec<bool> = c["labels"].as_array().unwrap().iter().map(|v| v.as_u64() == Some(1)).collect();
        let auc = roc_auc(&scores, &positives);
        match c["auc"].as_f64() {
            None => {
                assert_eq!(auc, None, "{name}: one class, no AUC");
                assert!(roc_curve(&scores, &positives).is_empty() && roc_corners(&scores, &positives).is_empty());
                continue;
            }
            Some(expected) => {
                let auc = auc.unwrap_or_else(|| panic!("{name}: no AUC"));
                println!("{name}: AUC {auc:.12} (scikit-learn {expected:.12})");
                assert!((auc - expected).abs() < 1e-9, "{name}: AUC {auc} vs {expected}");
            }
        }
        assert_curve(name, "roc_curve (every threshold)", &roc_curve(&scores, &positives), &points(&c["fpr"], &c["tpr"]));
        assert_curve(name, "roc_curve corners", &roc_corners(&scores, &positives), &points(&c["corner_fpr"], &c["corner_tpr"]));
    }
}

#[test]
fn validation_predictions_give_scikit_learns_auc_per_fold() {
    let r = reference();
    let p = &r["predictions"];
    let ints = |k: &str| -> Vec<usize> { p[k].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect() };
    let (truth, predicted, fold) = (ints("truth"), ints("predicted"), ints("fold"));
    let confidence = floats(&p["confidence"]);
    let predictions: Vec<Prediction> = (0..truth.len())
        .map(|i| Prediction { index: i, truth: truth[i], predicted: predicted[i], confidence: confidence[i] as f32, fold: fold[i] })
        .collect();
    // The score of class 1, as the script computes it from the float32 confidence (to the last
    // bit or so: serde_json's default float parsing may miss the nearest double by one).
    for (i, (q, s)) in predictions.iter().zip(floats(&p["score"])).enumerate() {
        assert!((positive_score(q) - s).abs() <= 2.0 * f64::EPSILON, "score {i}: {} vs {s}", positive_score(q));
    }
    let summary = RocSummary::from_predictions(&predictions, 2).unwrap();
    let expected = floats(&p["fold_auc"]);
    assert_eq!(summary.folds.len(), 3);
    for (f, e) in summary.folds.iter().zip(&expected) {
        let auc = f.auc.unwrap();
        println!("fold {}: AUC {auc:.12} (scikit-learn {e:.12})", f.fold + 1);
        assert!((auc - e).abs() < 1e-9, "fold {}: {auc} vs {e}", f.fold);
        assert_eq!(f.curve.first(), Some(&(0.0, 0.0)));
        assert_eq!(f.curve.last(), Some(&(1.0, 1.0)));
    }
    let (mean, sd) = summary.mean_sd().unwrap();
    assert!((mean - p["mean"].as_f64().unwrap()).abs() < 1e-9 && (sd - p["sd"].as_f64().unwrap()).abs() < 1e-9, "{mean} ± {sd}");
    // All folds pooled (one model per fold, so the page shows the folds; this checks the scores).
    let scores: Vec<f64> = predictions.iter().map(positive_score).collect();
    let positives: Vec<bool> = truth.iter().map(|&t| t == 1).collect();
    let pooled = roc_auc(&scores, &positives).unwrap();
    assert!((pooled - p["pooled_auc"].as_f64().unwrap()).abs() < 1e-9);
    // float32 confidences (saturating near 0 and 1) move the AUC very little from the exact one.
    assert!((pooled - p["exact_auc"].as_f64().unwrap()).abs() < 1e-3);
}

/// The comparison lab's k-NN and logistic regression on two-class data (digits 3 vs 5, one row
/// of pixels) against scikit-learn's `predict_proba[:, 1]` AUC. The same objective, but not the
/// same numbers: neighbours at equal distances (the pixels take 17 values) are chosen
/// differently, and linfa's logistic regression stops at its own tolerance — so within 0.02.
#[test]
fn classical_models_give_scikit_learns_auc() {
    use imagelab_core::classical::{ModelKind, evaluate};
    use imagelab_core::data::split::Split;
    let r = reference();
    let c = &r["classical"];
    let digits: Vec<usize> = c["digits"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
    let columns: Vec<usize> = c["columns"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
    let (mut rows, mut labels) = (Vec::new(), Vec::new());
    for line in include_str!("data/sklearn_digits.csv").lines() {
        let v: Vec<f32> = line.split(',').map(|x| x.parse().unwrap()).collect();
        let digit = v[0] as usize;
        if let Some(class) = digits.iter().position(|&d| d == digit) {
            labels.push(class);
            rows.extend(columns.iter().map(|&col| v[1 + col] / 16.0));
        }
    }
    let ix = |k: &str| c[k].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
    let split = Split { train: ix("train"), validation: ix("val") };
    let dim = columns.len();
    let mut models: Vec<(ModelKind, f64)> = Vec::new();
    for m in c["knn"].as_array().unwrap() {
        models.push((ModelKind::Knn { k: m["k"].as_u64().unwrap() as usize }, m["auc"].as_f64().unwrap()));
    }
    for m in c["logistic"].as_array().unwrap() {
        models.push((ModelKind::Logistic { c: m["c"].as_f64().unwrap() }, m["auc"].as_f64().unwrap()));
    }
    for (model, expected) in models {
        let o = evaluate(&rows, dim, &labels, &split, model, &|| 0.0).unwrap();
        assert_eq!(o.fold_auc.len(), 1, "{model:?}");
        let auc = o.fold_auc[0].unwrap();
        println!("{model:?}: AUC {auc:.4} (scikit-learn {expected:.4}), accuracy {:.3}", o.val_accuracy);
        assert!((auc - expected).abs() <= 0.02, "{model:?}: {auc} vs {expected}");
    }
    // Trees and forests give scores too (leaf shares; many ties): an AUC, above chance.
    for model in [ModelKind::Tree { max_depth: Some(4), min_samples_leaf: 5 }, ModelKind::Forest { trees: 20, max_depth: Some(6) }] {
        let o = evaluate(&rows, dim, &labels, &split, model, &|| 0.0).unwrap();
        let auc = o.fold_auc[0].unwrap();
        println!("{model:?}: AUC {auc:.4}, accuracy {:.3}", o.val_accuracy);
        assert!(auc > 0.75 && auc <= 1.0, "{model:?}: {auc}");
    }
    // More classes: no AUC.
    let three: Vec<usize> = labels.iter().enumerate().map(|(i, &y)| if i % 7 == 0 { 2 } else { y }).collect();
    let o = evaluate(&rows, dim, &three, &split, ModelKind::Knn { k: 3 }, &|| 0.0).unwrap();
    assert!(o.fold_auc.is_empty());
}
