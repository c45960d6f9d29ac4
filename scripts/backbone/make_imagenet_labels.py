#!/usr/bin/env python3
"""Writes www/models/imagenet-labels.txt: the 1,000 ImageNet class names, one per line, in the
order of EfficientNet-Lite0's outputs (the usual ILSVRC-2012 order), for the image lab's "what
does the pretrained network see?" (issue #19).

Source: the list `_IMAGENET_CATEGORIES` in `torchvision/models/_meta.py` of the PyPI wheel
torchvision 0.28.0 (BSD-3-Clause), fetched with the ordinary package client and read as text
(parsed with `ast`, never imported or run). The names are ImageNet's WordNet synset names.

    python3 scripts/backbone/make_imagenet_labels.py            # (re)write the file
    python3 scripts/backbone/make_imagenet_labels.py --check    # compare with the committed file
"""
import ast
import glob
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile

VERSION = "0.28.0"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "www", "models", "imagenet-labels.txt")


def labels():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", f"torchvision=={VERSION}", "--no-deps",
                        "--only-binary=:all:", "-q", "-d", tmp], check=True)
        (wheel,) = glob.glob(os.path.join(tmp, "torchvision-*.whl"))
        with open(wheel, "rb") as f:
            print(f"{os.path.basename(wheel)} sha256 {hashlib.sha256(f.read()).hexdigest()}", file=sys.stderr)
        source = zipfile.ZipFile(wheel).read("torchvision/models/_meta.py").decode()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "_IMAGENET_CATEGORIES":
            names = ast.literal_eval(node.value)
            assert len(names) == 1000 and all("\n" not in n for n in names)
            return "".join(n + "\n" for n in names)
    raise SystemExit("_IMAGENET_CATEGORIES not found")


if __name__ == "__main__":
    text = labels()
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            sys.exit(0 if f.read() == text else "www/models/imagenet-labels.txt differs from a fresh extraction")
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {OUT}: {hashlib.sha256(text.encode()).hexdigest()}", file=sys.stderr)
