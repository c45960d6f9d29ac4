"""Reference numbers for ImageLab's ROC curve and AUC (issue #20, item 2), from scikit-learn.

Run once (any machine with Python 3.11):
    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn==1.9.1
    /tmp/skvenv/bin/python scripts/classical/make_auc_reference.py

Writes imagelab-core/tests/data/sklearn_auc.json: score/label vectors and, for each,
`roc_auc_score` and `roc_curve` twice — every threshold (`drop_intermediate=False`: one point per
distinct score, tied scores moving diagonally) and the corners only (the default,
`drop_intermediate=True`). The `predictions` case is shaped as the training lab's validation
predictions (truth, predicted class, float32 probability of the predicted class, fold), with the
AUC of each fold and their mean and population sd. `classical` holds the comparison lab's k-NN
and logistic regression on digits 3 vs 5 (validation AUC). `imagelab-core/tests/auc.rs` compares.
"""
import json
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

OUT = Path(__file__).resolve().parents[2] / "imagelab-core" / "tests" / "data" / "sklearn_auc.json"
rng = np.random.default_rng(20)


def case(name, scores, labels):
    scores = [float(s) for s in scores]
    labels = [int(v) for v in labels]
    entry = {"name": name, "scores": scores, "labels": labels}
    if len(set(labels)) < 2:
        # Not defined: scikit-learn 1.9 warns ("Only one class is present in y_true") and returns
        # nan (older versions raised); ImageLab answers None.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert np.isnan(roc_auc_score(labels, scores))
        entry["auc"] = None
        return entry
    entry["auc"] = float(roc_auc_score(labels, scores))
    fpr, tpr, _ = roc_curve(labels, scores, drop_intermediate=False)
    entry["fpr"], entry["tpr"] = fpr.tolist(), tpr.tolist()
    fpr, tpr, _ = roc_curve(labels, scores)
    entry["corner_fpr"], entry["corner_tpr"] = fpr.tolist(), tpr.tolist()
    return entry


cases = [
    # scikit-learn's own example (roc_curve docstring, labels 1/2 → 0/1): AUC 0.75.
    case("sklearn_doc", [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]),
    # Ties across the classes: the curve moves diagonally through them.
    case("ties", [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.1, 0.35, 0.6], [1, 0, 1, 1, 1, 0, 1, 0, 0, 0]),
    case("all_equal", [0.5] * 8, [0, 1, 0, 1, 1, 0, 0, 1]),
    case("perfect", [0.9, 0.8, 0.7, 0.3, 0.2, 0.1], [1, 1, 1, 0, 0, 0]),
    case("inverted", [0.9, 0.8, 0.7, 0.3, 0.2, 0.1], [0, 0, 0, 1, 1, 1]),
    case("unbalanced", [0.2, 0.7, 0.4, 0.1, 0.9, 0.3, 0.6, 0.55, 0.05], [0, 1, 0, 0, 0, 0, 0, 0, 0]),
    case("one_class", [0.2, 0.7, 0.4], [1, 1, 1]),
]

# A realistic validation part: 200 images, about 40% positive, scores from two overlapping
# normals through a sigmoid, once at full precision and once rounded to 2 decimals (many ties).
labels = (rng.random(200) < 0.4).astype(int)
z = rng.normal(0.0, 1.0, 200) + 1.6 * labels
p = 1.0 / (1.0 + np.exp(-z))
cases.append(case("random_200", p, labels))
cases.append(case("random_200_rounded", np.round(p, 2), labels))

# Validation predictions as the page receives them (3 folds): two logits per image, the
# prediction is the larger (the first on ties), confidence its softmax probability in float32;
# the score of class 1 is confidence when predicted 1, else 1 − confidence (computed in float64).
n = 150
truth = (rng.random(n) < 0.5).astype(int)
logits = rng.normal(0.0, 1.5, (n, 2))
logits[:, 1] += 2.0 * truth
logits[:6] = [[0.0, 0.0], [1.0, 1.0], [0.0, 30.0], [30.0, 0.0], [0.0, 40.0], [2.0, 2.0]]  # ties, saturation
fold = np.arange(n) % 3
predicted = np.argmax(logits, axis=1)
e = np.exp(logits.astype(np.float32) - logits.max(axis=1, keepdims=True).astype(np.float32))
confidence = (np.float32(1.0) / e.sum(axis=1, dtype=np.float32)).astype(np.float32)
score = np.where(predicted == 1, confidence.astype(np.float64), 1.0 - confidence.astype(np.float64))
fold_auc = [float(roc_auc_score(truth[fold == f], score[fold == f])) for f in range(3)]
predictions = {
    "truth": truth.tolist(),
    "predicted": predicted.tolist(),
    "confidence": [float(c) for c in confidence],
    "fold": fold.tolist(),
    "score": score.tolist(),
    "fold_auc": fold_auc,
    "mean": float(np.mean(fold_auc)),
    "sd": float(np.std(fold_auc)),
    "pooled_auc": float(roc_auc_score(truth, score)),
    # The exact (float64) probability of class 1: float32 rounding moves the AUC by at most this.
    "exact_auc": float(roc_auc_score(truth, 1.0 / (1.0 + np.exp(logits[:, 0] - logits[:, 1])))),
}

# The comparison lab's classical models on two-class data: scikit-learn's digits 3 vs 5 (class 1:
# the 5s; rows of tests/data/sklearn_digits.csv in order), features = the 8 values of the image's
# fifth row (columns 32–39) / 16 — all 64 separate the two almost perfectly (AUC ≈ 1, which would
# test little) — a stratified 70/30 split, and the validation AUC of `predict_proba[:, 1]`.
digits = load_digits()
rows = np.where((digits.target == 3) | (digits.target == 5))[0]
COLUMNS = list(range(32, 40))
X = digits.data[rows][:, COLUMNS] / 16.0
y = (digits.target[rows] == 5).astype(int)
train, val = train_test_split(np.arange(len(y)), test_size=0.3, stratify=y, random_state=0)
train, val = np.sort(train), np.sort(val)


def val_auc(model):
    model.fit(X[train], y[train])
    return float(roc_auc_score(y[val], model.predict_proba(X[val])[:, 1]))


classical = {
    "digits": [3, 5],
    "columns": COLUMNS,
    "train": train.tolist(),
    "val": val.tolist(),
    "knn": [{"k": k, "auc": val_auc(KNeighborsClassifier(n_neighbors=k))} for k in [3, 5, 9]],
    "logistic": [{"c": c, "auc": val_auc(LogisticRegression(C=c, max_iter=5000))} for c in [0.1, 1.0, 10.0]],
}

json.dump(
    {"sklearn": sklearn.__version__, "cases": cases, "predictions": predictions, "classical": classical},
    open(OUT, "w"),
    indent=1,
)
print(f"wrote {OUT}")
for c in cases:
    print(c["name"], c["auc"], len(c.get("fpr", [])), "points,", len(c.get("corner_fpr", [])), "corners")
print("classical:", classical["knn"], classical["logistic"])
print("predictions: folds", fold_auc, "pooled", predictions["pooled_auc"], "exact", predictions["exact_auc"])
