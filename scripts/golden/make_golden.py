#!/usr/bin/env python3
"""Writes reference outputs of scikit-image / SciPy / NumPy for ImageLab's image operations.

Run offline after `pip install scikit-image==0.26.0` (it brings SciPy and NumPy):
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
import skimage.data
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
# What golden.rs feeds the Rust operations: `gray` as stored (5 decimals) and read as f32. The
# references of the filters and transforms are computed on exactly these values, so the 1e-4
# comparison measures ImageLab's f32 arithmetic, not the rounding of the stored input (which alone
# moves a Sobel response by up to 8 × 5e-6).
gray_in = gray.round(5).astype(np.float32).astype(float)
red = rgb[:, :, 0]                                             # uint8 plane
mean3 = np.full((3, 3), 1 / 9)
sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)

out = {
    "rgb": rgb,
    "gray": gray,
    "mean3_zero": ndi.correlate(gray_in, mean3, mode="constant", cval=0.0),
    "mean5_edge": ndi.correlate(gray_in, np.full((5, 5), 1 / 25), mode="nearest"),
    "sobel_x_zero": ndi.correlate(gray_in, sobel_x, mode="constant", cval=0.0),
    "sobel_y_reflect": ndi.correlate(gray_in, sobel_x.T, mode="reflect"),
    "equalize_red": exposure.equalize_hist(red, nbins=256) * 255.0,
    "flip_v": gray[::-1, :],
    "flip_h": gray[:, ::-1],
    "crop": gray[2:7, 3:10],
    "rotate_30": transform.rotate(gray_in, 30, order=1, preserve_range=True, mode="constant", cval=0),
    "translate_2_1": transform.warp(gray_in, transform.AffineTransform(translation=(2, 1)).inverse,
                                    order=1, preserve_range=True, mode="constant", cval=0),
    # transform.resize with its default mode="reflect" (SciPy's "mirror"), as geometry::resize.
    "resize_down": transform.resize(gray_in, (4, 5), order=1, anti_aliasing=False, preserve_range=True),
    "resize_down_aa": transform.resize(gray_in, (4, 5), order=1, anti_aliasing=True, preserve_range=True),
    "resize_up": transform.resize(gray_in, (18, 24), order=1, anti_aliasing=False, preserve_range=True),
}

# A photo with strong edges at its border, shrunk by a non-integer factor with anti-aliasing
# (where the border mode shows: 2.5 × 2.23, blur radius 3 and 2): the astronaut (NASA, public
# domain, bundled with scikit-image) in gray, 107 × 160, with a white frame 2 px wide on the left
# and top and a black bottom row.
photo = color.rgb2gray(skimage.data.astronaut())[40:147, 120:280] * 255.0
photo[:, :2] = 255.0
photo[:2, :] = 255.0
photo[-1, :] = 0.0
photo_in = photo.round(5).astype(np.float32).astype(float)
out["photo"] = photo
out["photo_resize_aa"] = transform.resize(photo_in, (48, 64), order=1, anti_aliasing=True, preserve_range=True)
out["photo_resize_up"] = transform.resize(photo_in[:20, :30], (37, 41), order=1, anti_aliasing=False, preserve_range=True)

# ImageLab's border modes in SciPy's words: Border::Zero = mode="constant", cval=0;
# Border::Edge = "nearest"; Border::Reflect = "reflect" (d c b a | a b c d, the edge pixel
# repeated; SciPy's "mirror" would skip it).
MODES = {"zero": dict(mode="constant", cval=0.0), "edge": dict(mode="nearest"), "reflect": dict(mode="reflect")}

# Gaussian (filter::Kernel::gaussian): exp(-(dx²+dy²)/2σ²) normalised, radius int(4σ + 0.5) —
# SciPy's default truncate=4.0. σ = 1 is the image lab's ガウシアンフィルタ; 0.6 and 1.5 are draws of
# the augmentation's blur (which uses reflect); 2.0 has radius 8, wider than the 9-row image.
for sigma, tag, modes in [(1.0, "s1", ("zero", "edge", "reflect")), (0.6, "s0_6", ("reflect",)),
                          (1.5, "s1_5", ("reflect",)), (2.0, "s2", ("edge",))]:
    for m in modes:
        out[f"gaussian_{tag}_{m}"] = ndi.gaussian_filter(gray_in, sigma, truncate=4.0, **MODES[m])

# Laplacian (Kernel::laplacian, 4-neighbour [[0,1,0],[1,-4,1],[0,1,0]]) = ndi.laplace (the sum of
# the second differences [1,-2,1] along each axis). Sharpen (Kernel::sharpen, centre 5, the four
# neighbours -1) = the image minus its Laplacian.
for m in ("zero", "edge", "reflect"):
    out[f"laplacian_{m}"] = ndi.laplace(gray_in, **MODES[m])
for m in ("zero", "reflect"):
    out[f"sharpen_{m}"] = gray_in - ndi.laplace(gray_in, **MODES[m])

# Sobel magnitude (filter::sobel_magnitude) = sqrt(sx² + sy²) with the unnormalised 3×3 Sobel
# kernels: ndi.sobel along x (axis=1) and y (axis=0). (skimage.filters.sobel scales by 1/4 and
# averages the squares, so it is not the same number.)
for m in ("zero", "edge", "reflect"):
    out[f"sobel_mag_{m}"] = np.hypot(ndi.sobel(gray_in, axis=1, **MODES[m]), ndi.sobel(gray_in, axis=0, **MODES[m]))

# Custom 5×5 kernels as a student types them (ops::parse_kernel → Kernel::new), applied by
# correlation (not flipped): one asymmetric, not separable; one asymmetric of rank 1, which
# ImageLab runs as a column pass then a row pass. Weights in sixteenths (exact in f32) and a small
# sum of |w|, so results stay near 0–255 where f32 carries the 1e-4 the test asks for.
custom5 = np.array([[1, 0, -1, 2, 0],
                    [0, 3, 1, 0, -2],
                    [-1, 1, 4, 1, 0],
                    [2, 0, 1, 0, -1],
                    [0, -2, 0, 1, 1]], dtype=float) / 16
custom5_rank1 = np.outer([1, 2, 0, -1, 3], [2, 1, 0, -1, -3]) / 16
out["kernel_custom5"] = custom5
out["kernel_custom5_rank1"] = custom5_rank1
for m in ("zero", "edge", "reflect"):
    out[f"custom5_{m}"] = ndi.correlate(gray_in, custom5, **MODES[m])
    out[f"custom5_rank1_{m}"] = ndi.correlate(gray_in, custom5_rank1, **MODES[m])

# Histograms (color::histogram): counts of each value 0–255 of the R, G, B planes and of the gray
# plane as the lab rounds it to 8 bits (Plane::to_u8: clamp, round halves to even = np.round;
# no gray value here lies within 0.002 of a half).
gray_u8 = np.clip(np.round(gray), 0, 255).astype(np.uint8)
assert np.abs(gray - np.floor(gray) - 0.5).min() > 1e-3
planes = {"red": rgb[:, :, 0], "green": rgb[:, :, 1], "blue": rgb[:, :, 2], "gray": gray_u8}
for name, p in planes.items():
    counts, centers = exposure.histogram(p, source_range="dtype")
    assert len(counts) == 256 and centers[0] == 0 and centers[-1] == 255
    out[f"hist_{name}"] = counts

# Equalisation (color::equalize): each value becomes cdf(v) / N × 255. That is what
# skimage.exposure.equalize_hist does for integer images (each integer is its own bin, np.interp
# at the bin centres gives the cdf exactly) — not the textbook (cdf − cdf_min) / (N − cdf_min),
# which would map the darkest value to 0. Checked here against NumPy's cumsum, then stored.
# Gray is the image lab's 平坦化 (on grayscale(rgb).to_u8()); green has 9 levels, blue 2.
for name in ("gray", "green", "blue"):
    p = planes[name]
    eq = exposure.equalize_hist(p) * 255.0
    cdf = np.cumsum(np.bincount(p.ravel(), minlength=256)) / p.size
    assert np.allclose(eq, cdf[p] * 255.0, rtol=0, atol=1e-9)
    out[f"equalize_{name}"] = eq

doc = {
    "generator": f"scikit-image {skimage.__version__}, SciPy {scipy.__version__}, NumPy {np.__version__}",
    "arrays": {k: {"shape": list(v.shape), "data": np.asarray(v, dtype=float).round(5).ravel().tolist()}
               for k, v in out.items()},
}
path = pathlib.Path(__file__).resolve().parents[2] / "imagelab-core/tests/golden/reference.json"
path.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
print(f"wrote {path} ({path.stat().st_size} bytes) with {doc['generator']}")
