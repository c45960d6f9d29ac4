"""Keras reference for the table lab's small network (the "mlp" key of sklearn_tables.json).

The course's network on breast_cancer.csv, trained with real Keras (JAX backend, CPU):
    Dense(10, tanh, input 30) → Dense(10, relu) → Dense(1, sigmoid), loss binary_crossentropy,
    SGD(learning_rate=0.1, momentum=0.9, nesterov=True), batch_size=128, epochs=100, no validation
    during fit, Keras's default initialisation (glorot_uniform weights, zero biases).
Same split, labels and standardisation as the "logistic" key (scripts/table/make_reference.py):
stratified 70/30 split with random_state=0, StandardScaler fitted on the training rows, benign = 0,
malignant = 1. Ten seeds (keras.utils.set_random_seed(s), s = 0..9): each seed's validation accuracy
(P(malignant) > 0.5), and their mean, min and max. Results vary with the seed; the app's network is
checked against the range, not against one run.

Run once, after scripts/table/make_tables.py (any machine with Python 3.11; CPU only):
    python3 -m venv /tmp/kerasvenv
    /tmp/kerasvenv/bin/pip install keras jax jaxlib scikit-learn==1.9.1 pandas
    KERAS_BACKEND=jax /tmp/kerasvenv/bin/python scripts/table/make_keras_reference.py

Rewrites only the "mlp" key of imagelab-core/tests/data/sklearn_tables.json (the file must exist:
run scripts/table/make_reference.py first); everything else in it is left as it is.
"""
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_reference import JSON, breast_cancer, dumps  # noqa: E402  (same split and features)

SEEDS = list(range(10))
SETTINGS = {
    "layers": [{"units": 10, "activation": "tanh"}, {"units": 10, "activation": "relu"},
               {"units": 1, "activation": "sigmoid"}],
    "input_dim": 30,
    "loss": "binary_crossentropy",
    "optimizer": "SGD",
    "learning_rate": 0.1,
    "momentum": 0.9,
    "nesterov": True,
    "batch_size": 128,
    "epochs": 100,
    "shuffle": True,
    "kernel_initializer": "glorot_uniform",
    "bias_initializer": "zeros",
    "features": "StandardScaler fitted on the training rows, float32",
    "labels": "benign 0, malignant 1",
    "predict": "malignant if output > 0.5",
}


def build():
    """The course's network (keras.Input(shape=(30,)) is Keras 3's spelling of input_dim=30)."""
    model = keras.Sequential([
        keras.Input(shape=(SETTINGS["input_dim"],)),
        keras.layers.Dense(10, activation="tanh"),
        keras.layers.Dense(10, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(loss="binary_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
                  metrics=["accuracy"])
    return model


def main():
    assert keras.backend.backend() == "jax", keras.backend.backend()
    doc = json.loads(JSON.read_text())
    classes, y, train, val, Z = breast_cancer()
    assert classes == ["benign", "malignant"] and doc["logistic"]["val"] == val.tolist()
    Z = Z.astype(np.float32)
    yf = y.astype(np.float32)

    val_acc, train_acc, loss = [], [], []
    for s in SEEDS:
        t = time.perf_counter()
        keras.utils.set_random_seed(s)
        model = build()
        hist = model.fit(Z[train], yf[train], batch_size=128, epochs=100, shuffle=True, verbose=0)
        pred_val = model.predict(Z[val], verbose=0)[:, 0] > 0.5
        pred_train = model.predict(Z[train], verbose=0)[:, 0] > 0.5
        val_acc.append(float(np.mean(pred_val == y[val])))
        train_acc.append(float(np.mean(pred_train == y[train])))
        loss.append(float(hist.history["loss"][-1]))
        print(f"seed {s}: val accuracy {val_acc[-1]!r}, train accuracy {train_acc[-1]!r}, "
              f"final loss {loss[-1]:.5f} ({time.perf_counter() - t:.1f} s)")

    doc["mlp"] = {
        "table": "breast_cancer", "target": "target",
        "framework": f"keras {keras.__version__} (jax {jax.__version__})",
        "seeds": SEEDS, "val_accuracy": val_acc,
        "mean": float(np.mean(val_acc)), "min": min(val_acc), "max": max(val_acc),
        "train_accuracy": train_acc, "final_loss": loss, "settings": SETTINGS,
    }
    JSON.write_text(dumps(doc) + "\n", encoding="utf-8")
    assert json.loads(JSON.read_text()) == doc
    m = doc["mlp"]
    print(f"\n{m['framework']}: val accuracy mean {m['mean']!r}, min {m['min']!r}, max {m['max']!r}")
    print(f"train accuracy mean {float(np.mean(train_acc))!r}; wrote the \"mlp\" key of {JSON}")


if __name__ == "__main__":
    main()
