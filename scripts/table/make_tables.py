"""Built-in tables for the table lab (表データ), from scikit-learn's bundled data sets.

Run once (any machine with Python 3.11):
    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn==1.9.1 pandas
    /tmp/skvenv/bin/python scripts/table/make_tables.py

Writes, to www/data/tables/ (plain UTF-8, `\n` line ends, comma separated, one header row):
- breast_cancer.csv  569 rows, 30 features + `target` (malignant / benign);
- diabetes.csv       442 rows, the 10 raw features age,sex,bmi,bp,s1..s6 (`load_diabetes(scaled=False)`)
                     + `target` (disease progression after one year, a number);
- iris.csv           150 rows, 4 features + `target` (setosa / versicolor / virginica);
- wine.csv           178 rows, 13 features + `target` (class_0 / class_1 / class_2);
- README.md          where each table comes from, its attribution, shape and sha256.

Header = scikit-learn's `feature_names`, then `target`. Classification tables hold class NAMES in
`target`, never the integer codes. Numbers are written as integers where integral (`1001`, not
`1001.0`) and otherwise with Python's `repr` of the float (the shortest text that parses back to the
same double), so every value parses back exactly; the script checks that it does.

Nothing is downloaded: the data comes from inside the installed scikit-learn wheel. The output is
deterministic, so rerunning it with the same scikit-learn version changes no byte.
"""
import csv
import hashlib
import io
import math
from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "www" / "data" / "tables"
WHEEL = f"scikit-learn {sklearn.__version__} wheel"


def fmt(v):
    """A number as the table writes it: an int where integral, else the shortest round-trip repr."""
    v = float(v)
    assert math.isfinite(v)
    if v.is_integer():
        return str(int(v))
    return repr(v)


# name -> (loader, wheel data files, wheel descr file, attribution line for the README)
TABLES = {
    "breast_cancer": (
        load_breast_cancer,
        ["sklearn/datasets/data/breast_cancer.csv"],
        "sklearn/datasets/descr/breast_cancer.rst",
        "Breast Cancer Wisconsin (Diagnostic), a copy of the UCI Machine Learning Repository data set; "
        "creators Dr. William H. Wolberg, W. Nick Street and Olvi L. Mangasarian, donor Nick Street, "
        "November 1995. Cite W.N. Street, W.H. Wolberg and "
        "O.L. Mangasarian, \"Nuclear feature extraction for breast tumor diagnosis\", IS&T/SPIE 1993 "
        "International Symposium on Electronic Imaging, vol. 1905, pp. 861–870.",
    ),
    "diabetes": (
        lambda: load_diabetes(scaled=False),
        ["sklearn/datasets/data/diabetes_data_raw.csv.gz", "sklearn/datasets/data/diabetes_target.csv.gz"],
        "sklearn/datasets/descr/diabetes.rst",
        "Diabetes data of Bradley Efron, Trevor Hastie, Iain Johnstone and Robert Tibshirani (2004), "
        "\"Least Angle Regression\", Annals of Statistics (with discussion), 407–499 (source "
        "https://www4.stat.ncsu.edu/~boos/var.select/diabetes.html). These are the raw values "
        "(`scaled=False`: age in years, sex coded 1/2, BMI, …), not the centred and scaled ones the "
        "descr file describes.",
    ),
    "iris": (
        load_iris,
        ["sklearn/datasets/data/iris.csv"],
        "sklearn/datasets/descr/iris.rst",
        "Iris plants data of R.A. Fisher, \"The use of multiple measurements in taxonomic problems\", "
        "Annual Eugenics 7, Part II, 179–188 (1936); donor Michael Marshall, July 1988. scikit-learn's "
        "copy follows Fisher's paper (as R's does), not the UCI file, which has two wrong data points.",
    ),
    "wine": (
        load_wine,
        ["sklearn/datasets/data/wine_data.csv"],
        "sklearn/datasets/descr/wine_data.rst",
        "Wine recognition data, a copy of the UCI Machine Learning Repository data set; original owners "
        "M. Forina et al., PARVUS (Institute of Pharmaceutical and Food Analysis and Technologies, "
        "Genoa). Cite Lichman, M. (2013), UCI Machine Learning Repository, University of California, "
        "Irvine. (The descr file also lists \"Creator: R.A. Fisher, Donor: Michael Marshall, July 1988\"; "
        "that is copied from the iris description and does not belong to this data set.)",
    ),
}


def table_text(bunch):
    """The CSV text of one data set (header, then one line per row)."""
    names = [str(n) for n in bunch.feature_names]
    assert "target" not in names and all("," not in n and '"' not in n for n in names)
    class_names = getattr(bunch, "target_names", None)
    buf = io.StringIO()
    buf.write(",".join(names + ["target"]) + "\n")
    for row, t in zip(bunch.data, bunch.target):
        target = str(class_names[t]) if class_names is not None else fmt(t)
        buf.write(",".join([fmt(v) for v in row] + [target]) + "\n")
    return buf.getvalue()


def check(text, bunch):
    """Parse the written text back with Python's csv and float() and compare bit for bit."""
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert header == [str(n) for n in bunch.feature_names] + ["target"]
    assert len(body) == bunch.data.shape[0]
    data = np.array([[float(v) for v in r[:-1]] for r in body])
    assert np.array_equal(data, bunch.data), "features do not round-trip"
    class_names = getattr(bunch, "target_names", None)
    if class_names is not None:
        assert [r[-1] for r in body] == [str(class_names[t]) for t in bunch.target]
    else:
        assert np.array_equal(np.array([float(r[-1]) for r in body]), bunch.target)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    sections = []
    for name, (load, data_files, descr, attribution) in TABLES.items():
        bunch = load()
        text = table_text(bunch)
        check(text, bunch)
        raw = text.encode("utf-8")
        (OUT / f"{name}.csv").write_bytes(raw)
        rows, cols = bunch.data.shape[0], bunch.data.shape[1] + 1
        sha = hashlib.sha256(raw).hexdigest()
        classes = getattr(bunch, "target_names", None)
        if classes is not None:
            counts = np.bincount(bunch.target)
            target = ", ".join(f"{c} {n}" for c, n in zip(classes, counts))
        else:
            target = f"a number, {fmt(bunch.target.min())}–{fmt(bunch.target.max())}"
        print(f"{name}.csv: {rows} rows × {cols} columns, {len(raw):,} bytes, sha256 {sha}")
        sections.append(
            f"### `{name}.csv`\n\n"
            f"- {rows} rows × {cols} columns ({cols - 1} features + `target`: {target}); "
            f"{len(raw):,} bytes; sha256 `{sha}`\n"
            f"- source: {WHEEL}, `{'` + `'.join(data_files)}`; description `{descr}`\n"
            f"- {attribution}\n"
        )

    readme = f"""# Built-in tables (表データ)

| file | what |
| --- | --- |
| `breast_cancer.csv` | 569 breast tumour samples, 30 measurements of cell nuclei, `target` malignant / benign |
| `diabetes.csv` | 442 diabetes patients, 10 baseline values, `target` disease progression after one year (a number) |
| `iris.csv` | 150 iris flowers, 4 measurements in cm, `target` setosa / versicolor / virginica |
| `wine.csv` | 178 wines, 13 chemical measurements, `target` class_0 / class_1 / class_2 (three cultivators) |

Plain UTF-8 CSV, comma separated, one header row: scikit-learn's `feature_names`, then `target`.
Classification tables hold the class names in `target`. Numbers are integers where integral and
otherwise the shortest decimal that parses back to the same double, so every value reads back exactly.

Made once by `scripts/table/make_tables.py` from the data sets bundled inside the scikit-learn
{sklearn.__version__} wheel (`sklearn.datasets.load_breast_cancer`, `load_diabetes(scaled=False)`,
`load_iris`, `load_wine`). scikit-learn is BSD-3-Clause (© the scikit-learn developers) and
distributes these data sets with it; the description files name their creators and how to cite
them (below) but state no separate licence. The script is deterministic; to regenerate:
`/tmp/skvenv/bin/python scripts/table/make_tables.py` (see its docstring for the venv).

The app loads these files from its own origin; nothing is downloaded from anywhere else at run time.

## Tables

""" + "\n".join(sections)
    (OUT / "README.md").write_text(readme, encoding="utf-8")
    print(f"README.md written ({sklearn.__version__})")


if __name__ == "__main__":
    main()
