//! The table lab against scikit-learn, pandas and Keras on the same rows
//! (`scripts/table/make_reference.py`, `scripts/table/make_keras_reference.py` →
//! `tests/data/sklearn_tables.json`; the tables are `www/data/tables/*.csv`, written from
//! scikit-learn's wheel by `scripts/table/make_tables.py`).

use imagelab_core::data::split::Split;
use imagelab_core::table::linear::LinearFit;
use imagelab_core::table::run::{self, MlpSpec, TableConfig, TableModel, Validation};
use imagelab_core::table::{Design, Scaler, Target, Task, encode, read};
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sklearn_tables.json")).unwrap()).unwrap()
}

fn table(name: &str) -> read::Table {
    read::parse(&std::fs::read(format!("{}/../www/data/tables/{name}.csv", env!("CARGO_MANIFEST_DIR"))).unwrap()).unwrap()
}

/// The design of a table with every column but `target` as input.
fn design_of(t: &read::Table, target: &str, task: Task) -> Design {
    let target = t.find(target).unwrap();
    let inputs: Vec<usize> = (0..t.columns.len()).filter(|&c| c != target).collect();
    encode::design(t, target, task, &inputs).unwrap()
}

fn indices(v: &Value) -> Vec<usize> {
    v.as_array().unwrap().iter().map(|i| i.as_u64().unwrap() as usize).collect()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

#[test]
fn linear_regression_rmse_per_fold_equals_scikit_learn() {
    let r = &reference()["linear"];
    let d = design_of(&table("diabetes"), "target", Task::Regression);
    assert_eq!((d.rows, d.dim()), (442, 10));
    let Target::Values(y) = &d.target else { panic!("regression") };
    let splits: Vec<Split> = r["folds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let validation = indices(f);
            Split { train: (0..d.rows).filter(|i| !validation.contains(i)).collect(), validation }
        })
        .collect();
    let outcome = run::evaluate(&d, &splits, &TableModel::Linear, 0, &mut |_, _| true).unwrap();
    for (k, (split, want)) in splits.iter().zip(floats(&r["rmse"])).enumerate() {
        let fit = LinearFit::fit(&d.x, d.dim(), y, &split.train);
        let coef = floats(&r["coef"][k]);
        for (a, b) in fit.coef.iter().zip(&coef) {
            assert!((a - b).abs() < 1e-6 * b.abs().max(1.0), "fold {k}: coefficient {a} vs {b}");
        }
        let got = outcome.folds[k].val;
        assert!((got - want).abs() < 1e-6, "fold {k}: RMSE {got} vs scikit-learn {want}");
    }
    // cross_val_score(..., scoring='neg_mean_squared_error') is −RMSE².
    for (f, mse) in outcome.folds.iter().zip(floats(&r["cross_val_score_neg_mse"])) {
        assert!((-f.val * f.val - mse).abs() < 1e-4, "{} vs {mse}", -f.val * f.val);
    }
}

#[test]
fn get_dummies_and_standard_scaler_equal_pandas_and_scikit_learn() {
    let r = &reference()["dummies"];
    let t = read::parse(&std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/bank_like.csv")).unwrap()).unwrap();
    assert_eq!((t.delimiter, t.rows.len(), t.columns.len()), (';', 300, 17));
    let d = design_of(&t, "y", Task::Classification);
    // The course's table: 16 columns, 51 inputs once the categorical ones are dummies.
    assert_eq!((d.dim(), d.dummies), (51, 44));
    let names: Vec<&str> = r["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(d.names, names);
    let scaler = Scaler::fit(&d.x, d.dim(), &indices(&r["train"]));
    for (c, (m, s)) in floats(&r["mean"]).iter().zip(floats(&r["scale"])).enumerate() {
        assert!((scaler.mean[c] - m).abs() < 1e-9 * m.abs().max(1.0), "{}: mean {} vs {m}", names[c], scaler.mean[c]);
        assert!((scaler.scale[c] - s).abs() < 1e-9 * s, "{}: scale {} vs {s}", names[c], scaler.scale[c]);
    }
    let z = scaler.transform(&d.x);
    for (i, row) in r["values"].as_array().unwrap().iter().enumerate() {
        for (c, v) in floats(row).iter().enumerate() {
            assert!((z[i * 51 + c] - v).abs() < 1e-9, "row {i} {}: {} vs {v}", names[c], z[i * 51 + c]);
        }
    }
    assert_eq!(d.target, Target::Classes { labels: d.target.strata().0, names: vec!["no".into(), "yes".into()] });
}

fn breast_cancer_split(r: &Value) -> (Design, Split) {
    let d = design_of(&table("breast_cancer"), "target", Task::Classification);
    let Target::Classes { names, .. } = &d.target else { panic!("classes") };
    let want: Vec<&str> = r["classes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(names, &want);
    (d, Split { train: indices(&r["train"]), validation: indices(&r["val"]) })
}

#[test]
fn logistic_regression_auc_as_roc_auc_score() {
    let r = &reference()["logistic"];
    let (d, split) = breast_cancer_split(r);
    let Target::Classes { labels, .. } = &d.target else { panic!("classes") };
    let positives: Vec<bool> = split.validation.iter().map(|&i| labels[i] == 1).collect();
    // The same predictions: the same AUC, to 1e-9.
    let auc = imagelab_core::nn::roc::roc_auc(&floats(&r["proba"]), &positives).unwrap();
    assert!((auc - r["auc"].as_f64().unwrap()).abs() < 1e-9, "{auc}");
    // Our own fit (linfa's solver, the same objective at the same C): the same accuracy, and
    // the AUC to 1e-4 (before two-class fits were penalised as scikit-learn's, they were off
    // by a point: its C was in effect doubled).
    let o = run::evaluate(&d, std::slice::from_ref(&split), &TableModel::Logistic { c: 1.0 }, 0, &mut |_, _| true).unwrap();
    let f = &o.folds[0];
    eprintln!("logistic regression: accuracy {} AUC {:?}", f.val, f.auc);
    let (sk_val, sk_auc) = (r["val_accuracy"].as_f64().unwrap(), r["auc"].as_f64().unwrap());
    assert!((f.val - sk_val).abs() < 1e-12, "accuracy {} vs {sk_val}", f.val);
    assert!((f.auc.unwrap() - sk_auc).abs() < 1e-4, "AUC {:?} vs {sk_auc}", f.auc);
    assert_eq!(f.roc.first(), Some(&(0.0, 0.0)));
    assert_eq!(f.roc.last(), Some(&(1.0, 1.0)));
}

#[test]
fn decision_trees_as_in_the_comparison_lab() {
    let r = reference();
    let (d, split) = breast_cancer_split(&r["logistic"]);
    for t in r["tree"].as_array().unwrap() {
        let max_depth = t["max_depth"].as_u64().map(|v| v as usize);
        let min_samples_leaf = t["min_samples_leaf"].as_u64().unwrap() as usize;
        let model = TableModel::Tree { max_depth, min_samples_leaf };
        let o = run::evaluate(&d, std::slice::from_ref(&split), &model, 0, &mut |_, _| true).unwrap();
        let (train, val) = (t["train_accuracy"].as_f64().unwrap(), t["val_accuracy"].as_f64().unwrap());
        // Ties between equally good questions go another way (scikit-learn visits features in
        // a random order): within 2 points, as in tests/classical.rs.
        let f = &o.folds[0];
        assert!(
            (f.train - train).abs() <= 0.02 && (f.val - val).abs() <= 0.02,
            "{max_depth:?}/{min_samples_leaf}: {} {} vs {train} {val}",
            f.train,
            f.val
        );
        assert!(!o.tree.is_empty());
    }
}

/// Keras's mean over ten seeds, less this margin, is what the course's network must reach here
/// (its seeds' own spread: 0.924–0.947).
const KERAS_MARGIN: f64 = 0.025;

#[test]
fn the_course_network_reaches_keras_accuracy_on_breast_cancer() {
    let r = reference();
    let keras = r["mlp"]["mean"].as_f64().unwrap();
    let (d, split) = breast_cancer_split(&r["logistic"]);
    let spec = MlpSpec::course();
    let mut accuracies = Vec::new();
    for seed in 0..5 {
        let mut epochs = 0;
        let o = run::evaluate(&d, std::slice::from_ref(&split), &TableModel::Mlp(spec.clone()), seed, &mut |_, p| {
            epochs = p.epoch;
            true
        })
        .unwrap();
        assert_eq!((epochs, o.folds[0].curve.len()), (100, 100));
        assert!(o.folds[0].train > 0.97, "seed {seed}: training accuracy {}", o.folds[0].train);
        accuracies.push(o.folds[0].val);
    }
    let mean = accuracies.iter().sum::<f64>() / accuracies.len() as f64;
    eprintln!("course network on breast cancer: validation accuracy {accuracies:?}, mean {mean:.4}; Keras {keras:.4}");
    assert!(mean >= keras - KERAS_MARGIN, "mean validation accuracy {mean:.4} ({accuracies:?}) vs Keras {keras:.4}");
}

#[test]
fn k_fold_on_iris_with_the_course_code() {
    let d = design_of(&table("iris"), "target", Task::Classification);
    let config = TableConfig {
        model: TableModel::Tree { max_depth: Some(3), min_samples_leaf: 1 },
        validation: Validation::KFold { k: 3 },
        seed: 42,
    };
    let splits = run::splits(&d, config.validation, config.seed).unwrap();
    assert_eq!(splits.len(), 3);
    let o = run::evaluate(&d, &splits, &config.model, config.seed, &mut |_, _| true).unwrap();
    let (mean, sd) = o.val_mean_sd();
    assert!(mean > 0.9 && sd < 0.1, "{mean} ± {sd}");
    assert!(o.roc().is_none(), "three classes: no ROC");
    // Every row validated exactly once, each fold stratified (50 of each class → 16–17 a fold).
    let mut seen: Vec<usize> = splits.iter().flat_map(|s| s.validation.clone()).collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..150).collect::<Vec<_>>());
    let code = run::python_code(&d, &config, "iris.csv", ',', "UTF-8", &d.names);
    assert!(code.contains("cross_val_score(model, X, y, cv=cv, scoring='accuracy')"), "{code}");
    assert!(code.contains("DecisionTreeClassifier(max_depth=3, min_samples_leaf=1)"), "{code}");
}

#[test]
fn the_course_program_is_the_code_shown_for_the_bank_table() {
    let t = read::parse(&std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/bank_like.csv")).unwrap()).unwrap();
    let d = design_of(&t, "y", Task::Classification);
    let config =
        TableConfig { model: TableModel::Mlp(MlpSpec::course()), validation: Validation::Holdout { validation_fraction: 0.3 }, seed: 0 };
    let inputs: Vec<String> = t.columns[..16].to_vec();
    let code = run::python_code(&d, &config, "bank.csv", ';', "UTF-8", &inputs);
    for line in [
        "df = pd.read_csv('bank.csv', sep=';')",
        "# 51 columns",
        "y = (df['y'].astype(str) == 'yes').astype(int)",
        "model.add(Dense(10, activation='tanh', input_dim=51))",
        "model.add(Dense(10, activation='relu'))",
        "model.add(Dense(1, activation='sigmoid'))",
        "model.compile(loss='binary_crossentropy', optimizer=SGD(learning_rate=0.1, momentum=0.9, nesterov=True), metrics=['accuracy'])",
        "model.fit(X_train, y_train, batch_size=128, epochs=100, verbose=0)",
        "train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)",
    ] {
        assert!(code.contains(line), "missing {line:?} in\n{code}");
    }
    // And it trains: the network learns the made-up rule behind y from its 51 inputs.
    let splits = run::splits(&d, config.validation, 0).unwrap();
    let o = run::evaluate(&d, &splits, &config.model, 0, &mut |_, _| true).unwrap();
    eprintln!("bank-like table, course network: accuracy {} AUC {:?}", o.folds[0].val, o.folds[0].auc);
    assert!(o.folds[0].val > 0.77 && o.folds[0].auc.unwrap() > 0.7, "{:?}", (o.folds[0].val, o.folds[0].auc));
}

#[test]
fn a_network_does_regression_too_and_can_be_stopped() {
    let d = design_of(&table("diabetes"), "target", Task::Regression);
    let splits = run::splits(&d, Validation::Holdout { validation_fraction: 0.3 }, 1).unwrap();
    let spec = MlpSpec { epochs: 60, learning_rate: 0.01, ..MlpSpec::course() };
    let o = run::evaluate(&d, &splits, &TableModel::Mlp(spec.clone()), 1, &mut |_, _| true).unwrap();
    let linear = run::evaluate(&d, &splits, &TableModel::Linear, 1, &mut |_, _| true).unwrap();
    // The target's sd is 77: both models explain a good part of it, in the target's units.
    let (net, lin) = (o.folds[0].val, linear.folds[0].val);
    eprintln!("diabetes hold-out RMSE: network {net:.2}, linear {lin:.2}");
    assert!(net < 70.0 && lin < 65.0 && (net - lin).abs() < 15.0, "network RMSE {net}, linear {lin}");
    let stopped = run::evaluate(&d, &splits, &TableModel::Mlp(spec), 1, &mut |_, p| p.epoch < 3);
    assert_eq!(stopped.unwrap_err().0.en, "stopped");
    assert!(
        run::evaluate(&d, &splits, &TableModel::Logistic { c: 1.0 }, 1, &mut |_, _| true).is_err(),
        "logistic regression does not do regression"
    );
}

#[test]
fn too_few_rows_are_told_as_rows_not_images() {
    let t = read::parse(b"x,y\n1,a\n2,b\n3,a\n4,b\n").unwrap();
    let d = encode::design(&t, 1, Task::Classification, &[0]).unwrap();
    let e = run::splits(&d, Validation::KFold { k: 5 }, 0).unwrap_err();
    assert_eq!(e.0.en, "4 rows cannot be split into 5 folds (too few rows per class); add rows or split differently");
    assert!(e.0.ja.starts_with("4 行では 5 分割に分けられません"), "{}", e.0.ja);
    let e = run::splits(&d, Validation::Holdout { validation_fraction: 1.5 }, 0).unwrap_err();
    assert!(e.0.en.contains("validation_fraction") && e.0.ja.contains("(0, 1) の範囲にしてください"), "{e:?}");
}
