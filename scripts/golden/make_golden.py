#!/usr/bin/env python3
"""Writes reference outputs of scikit-image / SciPy / NumPy for ImageLab's image operations.

Run offline after `pip install scikit-image==0.24.0` (it brings SciPy and NumPy):
    python3 scripts/golden/make_golden.py
The output, imagelab-core/tests/golden/reference.json, is committed; imagelab-core/tests/golden.rs
compares the Rust results with it. The input image is made here from a fixed formula and seed.
"""
import json
import pathlib

import numpy as np
import scipy
import scipy.ndimage as ndi
import skimage
from skimage import color, exposure, transform

H, W = 9, 12
rng = np.random.default_rng(20261128)
yy, xx = np.mgrid[0:H, 0:W]
rgb = np.stack([
    (xx * 20 + rng.integers(0, 30, (H, W))) % 256,           # R: a ramp with noise
    (yy * 28 + 10) % 256,                                      # G: vertical ramp
    np.where((xx // 3 + yy // 3) % 2 == 0, 220, 30),           # B: checkerboard
], axis=-1).astype(np.uint8)

gray = color.rgb2gray(rgb) * 255.0                             # float, 0..255
red = rgb[:, :, 0]                                             # uint8 plane
mean3 = np.full((3, 3), 1 / 9)
sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)

out = {
    "rgb": rgb,
    "gray": gray,
    "mean3_zero": ndi.correlate(gray, mean3, mode="constant", cval=0.0),
    "mean5_edge": ndi.correlate(gray, np.full((5, 5), 1 / 25), mode="nearest"),
    "sobel_x_zero": ndi.correlate(gray, sobel_x, mode="constant", cval=0.0),
    "sobel_y_reflect": ndi.correlate(gray, sobel_x.T, mode="reflect"),
    "equalize_red": exposure.equalize_hist(red, nbins=256) * 255.0,
    "flip_v": gray[::-1, :],
    "flip_h": gray[:, ::-1],
    "crop": gray[2:7, 3:10],
    "rotate_30": transform.rotate(gray, 30, order=1, preserve_range=True, mode="constant", cval=0),
    "translate_2_1": transform.warp(gray, transform.AffineTransform(translation=(2, 1)).inverse,
                                    order=1, preserve_range=True, mode="constant", cval=0),
    "resize_down": transform.resize(gray, (4, 5), order=1, mode="edge", anti_aliasing=False,
                                    preserve_range=True),
    "resize_down_aa": transform.resize(gray, (4, 5), order=1, mode="edge", anti_aliasing=True,
                                       preserve_range=True),
    "resize_up": transform.resize(gray, (18, 24), order=1, mode="edge", anti_aliasing=False,
                                  preserve_range=True),
}
doc = {
    "generator": f"scikit-image {skimage.__version__}, SciPy {scipy.__version__}, NumPy {np.__version__}",
    "arrays": {k: {"shape": list(v.shape), "data": np.asarray(v, dtype=float).round(5).ravel().tolist()}
               for k, v in out.items()},
}
path = pathlib.Path(__file__).resolve().parents[2] / "imagelab-core/tests/golden/reference.json"
path.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
print(f"wrote {path} ({path.stat().st_size} bytes) with {doc['generator']}")
