#!/usr/bin/env python3
"""Writes reference outputs for the deterministic part of ImageLab's augmentations (issue #22):
each augmentation with fixed parameters, as torchvision does it (its maths written out in NumPy
from `torchvision.transforms.v2.functional`, on a float image scaled to 0-255) or as
scikit-image does it where torchvision's result is scikit-image's (geometry).

Run offline after `pip install scikit-image==0.26.0` (it brings SciPy and NumPy):
    python3 scripts/golden/make_augment_reference.py
The output, imagelab-core/tests/golden/augment-reference.json, is committed;
imagelab-core/tests/augment_reference.rs compares the Rust results with it. The input image is
made here from a fixed formula and seed, with strong edges at its border.
"""
import json
import pathlib

import numpy as np
import skimage
from skimage import transform

H, W = 10, 14
rng = np.random.default_rng(20261206)
yy, xx = np.mgrid[0:H, 0:W]
rgb = np.stack([
    np.where(xx < 2, 250, (xx * 17 + rng.integers(0, 40, (H, W))) % 256),   # R: bright left edge, noisy ramp
    np.where(yy >= H - 2, 5, (yy * 25 + 30) % 256),                          # G: dark bottom edge
    np.where((xx // 3 + yy // 2) % 2 == 0, 210, 40),                         # B: checks
], axis=-1).astype(np.uint8)
img = rgb.astype(float)                                                      # 0..255, as ImageLab's planes


# --- colour: torchvision.transforms.v2.functional._color, float images (bound 1.0, here 255) ---
def gray_tv(x):
    """`_rgb_to_grayscale_image`: 0.2989 R + 0.587 G + 0.114 B."""
    return 0.2989 * x[..., 0] + 0.587 * x[..., 1] + 0.114 * x[..., 2]


def blend(a, b, ratio):
    """`_blend`: ratio · a + (1 − ratio) · b, clamped to the bound."""
    return np.clip(ratio * a + (1.0 - ratio) * b, 0.0, 255.0)


def rgb_to_hsv(x):
    """`_rgb_to_hsv` on 0..1 values."""
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    maxc, minc = x.max(-1), x.min(-1)
    eqc = maxc == minc
    cr = maxc - minc
    ones = np.ones_like(maxc)
    s = cr / np.where(eqc, ones, maxc)
    cr_div = np.where(eqc, ones, cr)
    rc, gc, bc = (maxc - r) / cr_div, (maxc - g) / cr_div, (maxc - b) / cr_div
    hr = (maxc == r) * (bc - gc)
    hg = ((maxc == g) & (maxc != r)) * (2.0 + rc - bc)
    hb = ((maxc != g) & (maxc != r)) * (4.0 + gc - rc)
    h = np.fmod((hr + hg + hb) / 6.0 + 1.0, 1.0)
    return np.stack([h, s, maxc], -1)


def hsv_to_rgb(x):
    """`_hsv_to_rgb`."""
    h, s, v = x[..., 0], x[..., 1], x[..., 2]
    i = np.floor(h * 6.0)
    f = h * 6.0 - i
    i = i.astype(int) % 6
    p = np.clip(v * (1.0 - s), 0.0, 1.0)
    q = np.clip(v * (1.0 - s * f), 0.0, 1.0)
    t = np.clip(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    table = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)]
    out = np.zeros(h.shape + (3,))
    for k, (a, b, c) in enumerate(table):
        m = i == k
        out[m] = np.stack([a[m], b[m], c[m]], -1)
    return out


def color_jitter(x, b, c, s, hue):
    """ColorJitter's four adjustments in the order brightness, contrast, saturation, hue."""
    x = np.clip(x * b, 0.0, 255.0)                                   # adjust_brightness
    x = blend(x, gray_tv(x).mean(), c)                               # adjust_contrast
    x = blend(x, gray_tv(x)[..., None], s)                           # adjust_saturation
    if hue != 0.0:                                                   # adjust_hue
        hsv = rgb_to_hsv(x / 255.0)
        hsv[..., 0] = np.fmod(hsv[..., 0] + hue, 1.0)
        hsv[..., 0] = np.where(hsv[..., 0] < 0, hsv[..., 0] + 1.0, hsv[..., 0])
        x = hsv_to_rgb(hsv) * 255.0
    return x


def gray_jitter(x, b, c):
    """The same on one channel: contrast about the image's mean; saturation and hue leave it."""
    x = np.clip(x * b, 0.0, 255.0)
    return blend(x, x.mean(), c)


# --- geometry: scikit-image ---
def affine(x, degrees, scale, tx, ty):
    """Rotation (counter-clockwise), zoom about the centre, then a move: one bilinear warp, black
    outside — scikit-image's transforms composed as `transform.rotate` composes its own."""
    centre = np.array([W / 2 - 0.5, H / 2 - 0.5])
    # warp takes the map from output to input coordinates (x, y).
    inverse = (transform.SimilarityTransform(translation=-(centre + [tx, ty]))
               + transform.SimilarityTransform(scale=1.0 / scale)
               + transform.SimilarityTransform(rotation=np.deg2rad(degrees))
               + transform.SimilarityTransform(translation=centre))
    return transform.warp(x, inverse, order=1, mode="constant", cval=0.0, preserve_range=True)


def resized_crop(x, bx, by, bw, bh):
    """The box cut out and resized back (bilinear, anti-aliased when shrinking, mode='reflect')."""
    return transform.resize(x[by:by + bh, bx:bx + bw], (H, W), order=1, mode="reflect",
                            anti_aliasing=True, preserve_range=True)


def padded_crop(x, padding, ox, oy):
    """RandomCrop with padding (fill 0) at offset (ox, oy)."""
    padded = np.pad(x, ((padding, padding), (padding, padding), (0, 0)))
    return padded[oy:oy + H, ox:ox + W]


def erase(x, bx, by, bw, bh, value):
    """RandomErasing's `F.erase` on a float image, `value` on the 0..1 scale."""
    out = x.copy()
    out[by:by + bh, bx:bx + bw] = value * 255.0
    return out


# scikit-image's own rotation is the composed warp at scale 1 and no move: the conventions agree.
assert np.allclose(affine(img, 25.0, 1.0, 0, 0),
                   transform.rotate(img, 25.0, order=1, mode="constant", cval=0.0, preserve_range=True))

gray = img[..., 1]
cases = {
    "flip_h": ({"op": "flip_h"}, img[:, ::-1]),
    "flip_v": ({"op": "flip_v"}, img[::-1, :]),
    "rotate_20": ({"op": "affine", "degrees": 20.0, "scale": 1.0, "tx": 0, "ty": 0}, affine(img, 20.0, 1.0, 0, 0)),
    "rotate_-40": ({"op": "affine", "degrees": -40.0, "scale": 1.0, "tx": 0, "ty": 0}, affine(img, -40.0, 1.0, 0, 0)),
    "affine_zoom_move": ({"op": "affine", "degrees": 15.0, "scale": 1.3, "tx": 2, "ty": -1},
                         affine(img, 15.0, 1.3, 2, -1)),
    "scale_0.7": ({"op": "affine", "degrees": 0.0, "scale": 0.7, "tx": 0, "ty": 0}, affine(img, 0.0, 0.7, 0, 0)),
    "padded_crop": ({"op": "padded_crop", "padding": 3, "ox": 1, "oy": 5}, padded_crop(img, 3, 1, 5)),
    "resized_crop": ({"op": "resized_crop", "box": [3, 2, 9, 6]}, resized_crop(img, 3, 2, 9, 6)),
    "resized_crop_corner": ({"op": "resized_crop", "box": [0, 4, 5, 6]}, resized_crop(img, 0, 4, 5, 6)),
    "erase_zero": ({"op": "erase", "box": [4, 3, 5, 4], "fill": "zero"}, erase(img, 4, 3, 5, 4, 0.0)),
    "erase_gray": ({"op": "erase", "box": [0, 6, 7, 4], "fill": "gray"}, erase(img, 0, 6, 7, 4, 0.5)),
    "jitter": ({"op": "jitter", "b": 1.2, "c": 0.7, "s": 1.5, "hue": 0.1}, color_jitter(img, 1.2, 0.7, 1.5, 0.1)),
    "jitter_other": ({"op": "jitter", "b": 0.8, "c": 1.4, "s": 0.3, "hue": -0.25},
                     color_jitter(img, 0.8, 1.4, 0.3, -0.25)),
    "jitter_gray": ({"op": "jitter", "b": 1.1, "c": 1.6, "s": 0.5, "hue": 0.2, "gray": True},
                    gray_jitter(gray, 1.1, 1.6)[..., None]),
}

out = {
    "generator": f"scripts/golden/make_augment_reference.py (scikit-image {skimage.__version__}, NumPy {np.__version__})",
    "height": H,
    "width": W,
    "rgb": rgb.reshape(-1).tolist(),
    "cases": {name: {**params, "hwc": np.round(ref, 6).reshape(-1).tolist()} for name, (params, ref) in cases.items()},
}
path = pathlib.Path(__file__).resolve().parents[2] / "imagelab-core/tests/golden/augment-reference.json"
path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
print(f"wrote {path} ({path.stat().st_size} bytes, {len(cases)} cases)")
