"""Reference probabilities for ImageLab's logistic regression (issue #22), from scikit-learn.

    /tmp/skvenv/bin/python scripts/classical/make_logistic_reference.py   (scikit-learn 1.9.1)

Writes imagelab-core/tests/data/sklearn_logistic.json, on scikit-learn's `digits` (the same
values / 16 as imagelab-core/tests/data/sklearn_digits.csv):
- "pair": the hardest-looking two classes, 3 (label 0) against 8 (label 1), a stratified 70/30
  split of their images (indices into the whole set), and for C = 0.1, 1 and 10 the probability
  of class 1 for every validation image (`predict_proba(...)[:, 1]`);
- "all": the ten classes on sklearn_reference.json's split (recomputed the same way), and for
  C = 1 and 10 the predicted class of every validation image.
Regularisation is what C changes: `LogisticRegression(C=c, max_iter=5000)`, lbfgs, L2 on the
weights only, i.e. minimise sum(log-loss) + ||W||² / (2C).
"""
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

OUT = Path(__file__).resolve().parents[2] / "imagelab-core" / "tests" / "data" / "sklearn_logistic.json"
digits = load_digits()
X = digits.data / 16.0
y = digits.target

pair_idx = np.flatnonzero((y == 3) | (y == 8))
pair_y = (y[pair_idx] == 8).astype(int)
tr, va = train_test_split(np.arange(len(pair_idx)), test_size=0.3, stratify=pair_y, random_state=0)
tr, va = np.sort(tr), np.sort(va)
pair = {"images": pair_idx.tolist(), "train": tr.tolist(), "val": va.tolist(), "fits": []}
for c in [0.1, 1.0, 10.0]:
    m = LogisticRegression(C=c, max_iter=5000).fit(X[pair_idx][tr], pair_y[tr])
    p = m.predict_proba(X[pair_idx][va])[:, 1]
    pair["fits"].append({"c": c, "val_p1": [round(float(v), 8) for v in p], "iterations": int(m.n_iter_[0])})

idx = np.arange(len(y))
train, val = train_test_split(idx, test_size=0.3, stratify=y, random_state=0)
train, val = np.sort(train), np.sort(val)
everything = {"train": train.tolist(), "val": val.tolist(), "fits": []}
for c in [1.0, 10.0]:
    m = LogisticRegression(C=c, max_iter=5000).fit(X[train], y[train])
    everything["fits"].append({"c": c, "val_pred": m.predict(X[val]).tolist(), "val": float(m.score(X[val], y[val]))})

json.dump({"sklearn": sklearn.__version__, "pair": pair, "all": everything}, open(OUT, "w"))
for f in pair["fits"]:
    p = np.array(f["val_p1"])
    print(f"pair C={f['c']}: {len(p)} validation images, mean p1 {p.mean():.4f}, iterations {f['iterations']}")
p1, p10 = (np.array(pair["fits"][i]["val_p1"]) for i in (1, 2))
print(f"pair: mean |p(C=10) - p(C=1)| = {np.abs(p10 - p1).mean():.4f}")
for f in everything["fits"]:
    print(f"all C={f['c']}: validation accuracy {f['val']:.4f}")
