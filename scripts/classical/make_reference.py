"""Reference numbers for ImageLab's classical models (issue #7), from scikit-learn.

Run once (any machine with Python 3.11):
    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn==1.9.1
    /tmp/skvenv/bin/python scripts/classical/make_reference.py

Writes
- imagelab-core/tests/data/sklearn_digits.csv: scikit-learn's `digits` set (BSD-3-Clause, from
  the UCI optdigits data), 1,797 images of 8×8 values 0–16: `label,p0,…,p63` per line;
- imagelab-core/tests/data/sklearn_reference.json: a stratified 70/30 split (its indices) and
  the building (train) and validation accuracy of each model on it (trees, k-NN, logistic
  regression, random forests), features = values / 16.
`imagelab-core/tests/classical.rs` trains ImageLab's models on the same split and compares.
"""
import json
import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

OUT = Path(__file__).resolve().parents[2] / "imagelab-core" / "tests" / "data"
digits = load_digits()
X = digits.data / 16.0
y = digits.target
with open(OUT / "sklearn_digits.csv", "w") as f:
    for label, row in zip(y, digits.data.astype(int)):
        f.write(",".join([str(label)] + [str(v) for v in row]) + "\n")

idx = np.arange(len(y))
train, val = train_test_split(idx, test_size=0.3, stratify=y, random_state=0)
train, val = np.sort(train), np.sort(val)


def score(model):
    t = time.perf_counter()
    model.fit(X[train], y[train])
    ms = (time.perf_counter() - t) * 1000
    return {
        "train": float(model.score(X[train], y[train])),
        "val": float(model.score(X[val], y[val])),
        "ms": round(ms, 2),
    }


trees = []
for depth in [1, 2, 3, 4, 6, 8, 10, 12, None]:
    for leaf in [1, 5, 20]:
        r = score(DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaf, random_state=0))
        trees.append({"max_depth": depth, "min_samples_leaf": leaf, **r})
def knn_score(k):
    # Also, like with like: the building accuracy on the training images ImageLab measures it on
    # (every `step`-th, classical::KNN_TRAIN_SAMPLE = 1000 at most), and each validation
    # image's predicted class.
    model = KNeighborsClassifier(n_neighbors=k)
    r = score(model)
    step = -(-len(train) // 1000)
    sample = train[::step]
    r["train_sample"] = float(model.score(X[sample], y[sample]))
    r["val_pred"] = model.predict(X[val]).tolist()
    return {"k": k, **r}


knn = [knn_score(k) for k in [1, 3, 5, 9]]
logistic = [{"c": c, **score(LogisticRegression(C=c, max_iter=5000))} for c in [0.1, 1.0, 10.0]]
forest = [
    {"trees": n, "max_depth": d, **score(RandomForestClassifier(n_estimators=n, max_depth=d, max_features="sqrt", random_state=0))}
    for n, d in [(10, None), (50, None), (50, 8)]
]

json.dump(
    {
        "sklearn": sklearn.__version__,
        "features": "values / 16",
        "train": train.tolist(),
        "val": val.tolist(),
        "tree": trees,
        "knn": knn,
        "logistic": logistic,
        "forest": forest,
    },
    open(OUT / "sklearn_reference.json", "w"),
    indent=1,
)
print(f"wrote {OUT}")
for t in trees:
    print(t)
print([{k: v for k, v in r.items() if k != "val_pred"} for r in knn])
print(logistic)
print(forest)
