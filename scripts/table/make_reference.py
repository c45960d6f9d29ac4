"""Reference numbers for the table lab (表データ), from scikit-learn and pandas.

Run once, after scripts/table/make_tables.py (any machine with Python 3.11):
    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn==1.9.1 pandas
    /tmp/skvenv/bin/python scripts/table/make_tables.py
    /tmp/skvenv/bin/python scripts/table/make_reference.py
    # then, for the "mlp" key (needs Keras; see that script's docstring):
    /tmp/kerasvenv/bin/python scripts/table/make_keras_reference.py

Writes
- imagelab-core/tests/data/bank_like.csv: a SYNTHETIC table (300 made-up rows from a fixed numpy
  seed) with exactly the columns, categories and file format of the UCI "Bank Marketing" bank.csv
  (semicolon separated; the header and every text field in double quotes, numbers bare, as in
  UCI's file). No row comes from the real data set. `y` depends on `duration` and `poutcome`
  (and a little on `housing` and `contact`) so a model has something to learn; about 20% "yes".
- imagelab-core/tests/data/sklearn_tables.json:
  "sklearn"   the scikit-learn version;
  "linear"    diabetes.csv, KFold(3) without shuffling: each fold's validation rows, the RMSE of
              LinearRegression fitted on the other two folds (raw features), its intercept and
              coefficients, and cross_val_score(..., scoring="neg_mean_squared_error");
  "dummies"   bank_like.csv: pd.get_dummies of the 16 input columns (7 numbers + 44 dummies = 51
              columns, dummies as float), a 70/30 split, StandardScaler's mean_ and scale_ on the
              training rows and the standardised value of every row;
  "logistic"  breast_cancer.csv, stratified 70/30 split, StandardScaler on the training rows,
              LogisticRegression(C=1, max_iter=10000): P(malignant) per validation row, AUC and
              accuracies;
  "tree"      DecisionTreeClassifier(random_state=0) on the same split and features (as float32)
              for six (max_depth, min_samples_leaf) settings;
  "mlp"       kept as it is if the file already has it (scripts/table/make_keras_reference.py
              writes it).
  Classes are encoded like LabelEncoder (names sorted, code = position), so in breast_cancer
  benign = 0 and malignant = 1 (the reverse of sklearn's load_breast_cancer codes). Every index list
  holds 0-based data-row numbers of the CSV (the header is not a row), sorted ascending.
Tables are read back from the CSVs (not from sklearn.datasets), exactly as the app reads them; the
script checks they equal scikit-learn's arrays. Everything is deterministic.
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, mean_squared_error, roc_auc_score
from sklearn.model_selection import KFold, cross_val_score, train_test_split
from sklearn.preprocessing import LabelEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

ROOT = Path(__file__).resolve().parents[2]
TABLES = ROOT / "www" / "data" / "tables"
DATA = ROOT / "imagelab-core" / "tests" / "data"
BANK = DATA / "bank_like.csv"
JSON = DATA / "sklearn_tables.json"

# ---------------------------------------------------------------------------------------------
# The synthetic bank table
# ---------------------------------------------------------------------------------------------
BANK_SEED = 2024
BANK_ROWS = 300
BANK_COLUMNS = ["age", "job", "marital", "education", "default", "balance", "housing", "loan",
                "contact", "day", "month", "duration", "campaign", "pdays", "previous", "poutcome", "y"]
BANK_NUMERIC = ["age", "balance", "day", "duration", "campaign", "pdays", "previous"]
# UCI's categories, in the order of UCI's bank-names.txt, with made-up drawing weights (roughly
# UCI's proportions, rare ones raised so that each appears a few times in 300 rows).
BANK_CATEGORIES = {
    "job": {"admin.": 11, "unknown": 3, "unemployed": 3, "management": 20, "housemaid": 3,
            "entrepreneur": 4, "student": 3, "blue-collar": 19, "self-employed": 4, "retired": 5,
            "technician": 16, "services": 9},
    "marital": {"married": 60, "divorced": 12, "single": 28},
    "education": {"unknown": 4, "secondary": 51, "primary": 15, "tertiary": 30},
    "default": {"yes": 3, "no": 97},
    "housing": {"yes": 56, "no": 44},
    "loan": {"yes": 15, "no": 85},
    "contact": {"unknown": 29, "telephone": 7, "cellular": 64},
    "month": {"jan": 3, "feb": 5, "mar": 3, "apr": 6.5, "may": 28, "jun": 11, "jul": 14, "aug": 13,
              "sep": 3, "oct": 3, "nov": 8, "dec": 3},
    "poutcome": {"unknown": 0, "other": 20, "failure": 55, "success": 25},  # "unknown" = no earlier contact
    "y": {"yes": 0, "no": 0},  # drawn from a logistic model below, not from weights
}


def make_bank_like():
    """Draw the synthetic table; return it as a DataFrame (columns in UCI's order)."""
    rng = np.random.default_rng(BANK_SEED)
    n = BANK_ROWS

    def draw(col):
        cats = list(BANK_CATEGORIES[col])
        w = np.array([BANK_CATEGORIES[col][c] for c in cats], float)
        return rng.choice(cats, size=n, p=w / w.sum())

    job = draw("job")
    # Age: working-age adults; retired people older, students younger.
    age = rng.normal(41, 10, n)
    age = np.where(job == "retired", rng.normal(66, 8, n), age)
    age = np.where(job == "student", rng.normal(24, 4, n), age)
    age = np.clip(np.rint(age), 18, 95).astype(int)
    marital, education, default = draw("marital"), draw("education"), draw("default")
    # Balance in euros: mostly a skewed positive amount, sometimes overdrawn.
    balance = np.where(rng.random(n) < 0.08, -rng.integers(1, 2001, n), np.rint(rng.lognormal(6.5, 1.4, n)))
    balance = np.clip(balance, -2000, 50000).astype(int)
    housing, loan, contact = draw("housing"), draw("loan"), draw("contact")
    day = rng.integers(1, 32, n)
    month = draw("month")
    duration = np.clip(rng.exponential(260, n).astype(int), 0, 3000)  # call length, seconds
    campaign = np.clip(rng.geometric(0.38, n), 1, 50)
    # Earlier campaign: ~18% were contacted before (pdays days ago, `previous` times, with an
    # outcome); the rest have pdays = -1, previous = 0, poutcome = "unknown", as in UCI's data.
    before = rng.random(n) < 0.18
    pdays = np.where(before, rng.integers(1, 801, n), -1)
    previous = np.where(before, np.clip(1 + rng.poisson(1.5, n), 1, 20), 0)
    poutcome = np.where(before, draw("poutcome"), "unknown")
    # Subscribed? Longer calls and an earlier success make "yes" likelier.
    logit = (-3.2 + duration / 180 + 2.5 * (poutcome == "success") - 0.4 * (housing == "yes")
             + 0.3 * (contact == "cellular"))
    y = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")

    df = pd.DataFrame({
        "age": age, "job": job, "marital": marital, "education": education, "default": default,
        "balance": balance, "housing": housing, "loan": loan, "contact": contact, "day": day,
        "month": month, "duration": duration, "campaign": campaign, "pdays": pdays,
        "previous": previous, "poutcome": poutcome, "y": y,
    })[BANK_COLUMNS]

    # The promised shape of the data.
    for col, cats in BANK_CATEGORIES.items():
        assert set(df[col]) == set(cats), f"{col}: {sorted(set(cats) - set(df[col]))} missing"
    for col, lo, hi in [("age", 18, 95), ("balance", -2000, 50000), ("day", 1, 31), ("duration", 0, 3000),
                        ("campaign", 1, 50), ("previous", 0, 20)]:
        assert df[col].between(lo, hi).all(), col
    assert ((df.pdays == -1) | df.pdays.between(1, 800)).all()
    assert 0.15 <= (df.y == "yes").mean() <= 0.25, (df.y == "yes").mean()
    return df


def write_bank_like(df):
    """Write in UCI's bank.csv format: `;`, header and text fields in double quotes, numbers bare."""
    lines = [";".join(f'"{c}"' for c in df.columns)]
    for row in df.itertuples(index=False):
        lines.append(";".join(str(int(v)) if c in BANK_NUMERIC else f'"{v}"' for c, v in zip(df.columns, row)))
    BANK.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def read_table(name):
    """A built-in table as the app reads it: features (float64), target column (as written)."""
    df = pd.read_csv(TABLES / f"{name}.csv")  # pandas 3 parses floats exactly; checked below
    return df.drop(columns="target").to_numpy(float), df["target"].to_numpy(), list(df.columns[:-1])


def split(n, y=None):
    """train_test_split(range(n), test_size=0.3, random_state=0), both halves sorted."""
    train, val = train_test_split(np.arange(n), test_size=0.3, stratify=y, random_state=0)
    return np.sort(train), np.sort(val)


def floats(a):
    return [float(v) for v in np.ravel(a)]


def dumps(obj, level=0):
    """JSON like json.dumps(indent=1), but a list of plain numbers/strings stays on one line."""
    pad, inner = " " * level, " " * (level + 1)
    if isinstance(obj, dict):
        items = [f"{inner}{json.dumps(k)}: {dumps(v, level + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and any(isinstance(v, (dict, list)) for v in obj):
        return "[\n" + ",\n".join(inner + dumps(v, level + 1) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj, allow_nan=False)


# ---------------------------------------------------------------------------------------------
# Reference numbers
# ---------------------------------------------------------------------------------------------
def linear():
    X, y, _ = read_table("diabetes")
    ref = load_diabetes(scaled=False)
    assert np.array_equal(X, ref.data) and np.array_equal(y.astype(float), ref.target)
    y = y.astype(float)
    folds, rmse, intercept, coef = [], [], [], []
    for fit_rows, val_rows in KFold(n_splits=3).split(X):
        model = LinearRegression().fit(X[fit_rows], y[fit_rows])
        folds.append(val_rows.tolist())
        rmse.append(float(np.sqrt(mean_squared_error(y[val_rows], model.predict(X[val_rows])))))
        intercept.append(float(model.intercept_))
        coef.append(floats(model.coef_))
    cv = cross_val_score(LinearRegression(), X, y, cv=3, scoring="neg_mean_squared_error")
    assert np.allclose(-cv, np.square(rmse), rtol=1e-12)
    return {"table": "diabetes", "target": "target", "folds": folds, "rmse": rmse,
            "intercept": intercept, "coef": coef, "cross_val_score_neg_mse": floats(cv)}


def dummies():
    df = pd.read_csv(BANK, sep=";")
    assert list(df.columns) == BANK_COLUMNS and len(df) == BANK_ROWS
    X = df.drop(columns="y")
    D = pd.get_dummies(X, dtype=float)
    # Numbers first in their own order, then each text column's categories, sorted, as `col_value`.
    expected = BANK_NUMERIC + [f"{c}_{v}" for c in X.columns if c not in BANK_NUMERIC for v in sorted(set(X[c]))]
    assert list(D.columns) == expected
    assert D.shape[1] == 51, D.shape  # 7 numbers + 44 dummies
    train, val = split(len(df))
    scaler = StandardScaler().fit(D.iloc[train])
    assert (D.iloc[train].std(ddof=0) > 0).all(), "a column is constant on the training rows"
    values = scaler.transform(D)
    return {"file": "imagelab-core/tests/data/bank_like.csv", "target": "y", "train": train.tolist(),
            "val": val.tolist(), "columns": list(D.columns), "mean": floats(scaler.mean_),
            "scale": floats(scaler.scale_), "values": [floats(r) for r in values]}


def breast_cancer():
    """The breast cancer table, LabelEncoder codes, stratified split and standardised features."""
    X, names, _ = read_table("breast_cancer")
    ref = load_breast_cancer()
    assert np.array_equal(X, ref.data) and list(names) == [ref.target_names[t] for t in ref.target]
    enc = LabelEncoder().fit(names)
    y = enc.transform(names)
    train, val = split(len(y), y)
    scaler = StandardScaler().fit(X[train])
    return list(enc.classes_), y, train, val, scaler.transform(X)


def logistic(classes, y, train, val, Z):
    model = LogisticRegression(C=1.0, max_iter=10000).fit(Z[train], y[train])
    proba = model.predict_proba(Z[val])[:, 1]
    return {"table": "breast_cancer", "target": "target", "classes": classes, "train": train.tolist(),
            "val": val.tolist(), "C": 1.0, "proba": floats(proba),
            "auc": float(roc_auc_score(y[val], proba)),
            "val_accuracy": float(accuracy_score(y[val], model.predict(Z[val]))),
            "train_accuracy": float(accuracy_score(y[train], model.predict(Z[train]))),
            "n_iter": int(model.n_iter_[0])}


def tree(y, train, val, Z):
    Z = Z.astype(np.float32)
    out = []
    for depth, leaf in [(1, 1), (2, 1), (3, 5), (5, 1), (None, 1), (None, 10)]:
        m = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaf, random_state=0).fit(Z[train], y[train])
        out.append({"table": "breast_cancer", "max_depth": depth, "min_samples_leaf": leaf,
                    "train_accuracy": float(m.score(Z[train], y[train])),
                    "val_accuracy": float(m.score(Z[val], y[val])),
                    "depth": int(m.get_depth()), "leaves": int(m.get_n_leaves())})
    return out


def main():
    assert (TABLES / "breast_cancer.csv").exists(), "run scripts/table/make_tables.py first"
    bank = make_bank_like()
    write_bank_like(bank)

    classes, y, train, val, Z = breast_cancer()
    out = {"sklearn": sklearn.__version__, "linear": linear(), "dummies": dummies(),
           "logistic": logistic(classes, y, train, val, Z), "tree": tree(y, train, val, Z)}
    if JSON.exists():  # keep the Keras numbers make_keras_reference.py wrote
        old = json.loads(JSON.read_text())
        if "mlp" in old:
            out["mlp"] = old["mlp"]
    JSON.write_text(dumps(out) + "\n", encoding="utf-8")
    assert json.loads(JSON.read_text()) == out

    # A readable summary of everything written.
    print(f"wrote {BANK.relative_to(ROOT)} ({BANK.stat().st_size:,} bytes) and "
          f"{JSON.relative_to(ROOT)} ({JSON.stat().st_size:,} bytes), scikit-learn {out['sklearn']}")
    print(f"\nbank_like: {len(bank)} rows, y=yes {(bank.y == 'yes').mean():.1%}; category counts:")
    for col in BANK_CATEGORIES:
        print(f"  {col}: " + ", ".join(f"{k} {v}" for k, v in bank[col].value_counts().sort_index().items()))
    print("  " + "; ".join(f"{c} {bank[c].min()}..{bank[c].max()}" for c in BANK_NUMERIC))
    lin = out["linear"]
    print(f"\nlinear (diabetes, KFold 3): fold sizes {[len(f) for f in lin['folds']]}")
    for i, (f, r, b, w) in enumerate(zip(lin["folds"], lin["rmse"], lin["intercept"], lin["coef"])):
        print(f"  fold {i}: rows {f[0]}..{f[-1]}, RMSE {r!r}, intercept {b!r}")
        print(f"          coef {w}")
    print(f"  cross_val_score neg MSE {lin['cross_val_score_neg_mse']}")
    d = out["dummies"]
    print(f"\ndummies (bank_like): {len(d['columns'])} columns, train {len(d['train'])} / val {len(d['val'])}")
    print(f"  train rows {d['train']}")
    for c, m, s in zip(d["columns"], d["mean"], d["scale"]):
        print(f"  {c:24s} mean {m!r:24s} scale {s!r}")
    print(f"  values: {len(d['values'])} × {len(d['values'][0])}; row 0 = {d['values'][0]}")
    lg = out["logistic"]
    print(f"\nlogistic (breast_cancer, classes {lg['classes']}): train {len(lg['train'])} / val {len(lg['val'])}, "
          f"n_iter {lg['n_iter']}")
    print(f"  AUC {lg['auc']!r}, val accuracy {lg['val_accuracy']!r}, train accuracy {lg['train_accuracy']!r}")
    print(f"  val rows {lg['val']}")
    print(f"  P(malignant) {lg['proba']}")
    print("\ntree (breast_cancer, float32 standardised features):")
    for t in out["tree"]:
        print(f"  max_depth {str(t['max_depth']):4s} min_samples_leaf {t['min_samples_leaf']:2d}: "
              f"train {t['train_accuracy']:.6f} val {t['val_accuracy']:.6f} (depth {t['depth']}, {t['leaves']} leaves)")
    if "mlp" in out:
        m = out["mlp"]
        print(f"\nmlp kept from the previous file: {m['framework']}, mean {m['mean']}, min {m['min']}, max {m['max']}")
    else:
        print("\nmlp: not in the file yet; run scripts/table/make_keras_reference.py")


if __name__ == "__main__":
    main()
