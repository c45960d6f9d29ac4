#!/usr/bin/env python3
"""Writes the committed "phone lesson" photo set, tests/e2e/fixtures/lesson-photos/ (see its
README.md for the sources and their licences).

Three classes x 24 small JPEG "phone shots", each cut from one real photo that ships inside the
scikit-image wheel (skimage/data/*.png|jpg; nothing is downloaded, pooch is never called):

    neko    <- chelsea.png  (a cat, CC0, Stefan van der Walt)
    coffee  <- coffee.png   (an espresso cup, CC0, Rachel Michetti)
    rocket  <- rocket.jpg   (Falcon 9 / DSCOVR on the pad, public domain, SpaceX)

Each shot imitates a hand-held phone photo of the object: a crop around the object at a random
scale, a small rotation, a little brightness/contrast change, sometimes a mirror image, and some
shots held upright (portrait) instead of landscape. The result is 160x120 or 120x160, saved as
baseline JPEG quality 85 with no EXIF, ICC profile or comment.

Deterministic: one numpy Generator with a fixed seed drives every random choice, and the source
files are checked against their SHA-256 first, so running the script again writes the same bytes
(given the same Pillow/libjpeg-turbo; the README names the versions used). Also writes SHA256SUMS.

    python3 scripts/make-lesson-photos.py           # (re)write the set
    python3 scripts/make-lesson-photos.py --check   # regenerate in memory, compare with the files

Needs numpy, Pillow and scikit-image (only for the location of its bundled sample photos).
"""
import hashlib
import importlib.util
import io
import math
import os
import sys

import numpy as np
from PIL import Image, ImageEnhance

OUT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', 'tests', 'e2e', 'fixtures',
                                    'lesson-photos'))
SEED = 20260611       # the one seed for the whole set
PER_CLASS = 24
LANDSCAPE = (160, 120)  # (width, height) of a shot held sideways
PORTRAIT = (120, 160)   # ... and of one held upright
P_PORTRAIT = 1 / 3      # share of upright shots
P_FLIP = 0.3            # share of mirrored shots
SCALE = (0.55, 0.95)    # crop's short side as a share of the photo's short side
MAX_TURN = 15.0         # degrees, either way
JITTER = 0.15           # brightness and contrast factors in [1 - JITTER, 1 + JITTER]
SHIFT = 0.08            # the crop's centre wanders this share of the crop's size from the object
QUALITY = 85

# class folder -> (file in skimage/data, its SHA-256 as in skimage/data/_registry.py,
#                  object centre (x, y) in source pixels, chosen by eye)
CLASSES = {
    'neko': ('chelsea.png', '596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb',
             (225, 165)),   # between the eyes and the nose
    'coffee': ('coffee.png', 'cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7',
               (285, 185)),  # the cup, a little above the saucer's middle
    'rocket': ('rocket.jpg', 'c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c',
               (322, 240)),  # the rocket's body
}


def skimage_data_dir():
    """skimage/data inside the installed package, found without importing skimage."""
    spec = importlib.util.find_spec('skimage')
    if spec is None or not spec.submodule_search_locations:
        sys.exit('scikit-image is not installed: pip install scikit-image==0.26.0')
    return os.path.join(list(spec.submodule_search_locations)[0], 'data')


def load_source(name, sha256):
    path = os.path.join(skimage_data_dir(), name)
    if not os.path.exists(path):
        sys.exit(f'{path} is missing: this scikit-image wheel does not bundle {name}')
    data = open(path, 'rb').read()
    got = hashlib.sha256(data).hexdigest()
    if got != sha256:
        sys.exit(f'{path} has SHA-256 {got}, expected {sha256}')
    # convert('RGB') gives a fresh image: no ICC profile, EXIF or comment travels on to the output.
    return Image.open(io.BytesIO(data)).convert('RGB')


def fits(cx, cy, w, h, turn, src_w, src_h):
    """Half-extents of a w x h box turned by `turn` radians, and whether it fits the photo at
    some centre (so no shot ever shows an empty corner)."""
    c, s = abs(math.cos(turn)), abs(math.sin(turn))
    hw, hh = (w * c + h * s) / 2, (w * s + h * c) / 2
    return hw, hh, 2 * hw <= src_w and 2 * hh <= src_h


def shot(src, centre, rng, scale_range=SCALE, max_turn=MAX_TURN):
    """One phone shot of `src` around `centre`: returns a PIL image of LANDSCAPE or PORTRAIT size.

    With `centre` None (a texture, no one object) the crop goes anywhere it fits: the same two
    draws that make the small wander place it across the whole photo instead."""
    src_w, src_h = src.size
    # Every random number is drawn here, in a fixed order, whatever happens below.
    portrait = rng.random() < P_PORTRAIT
    scale = rng.uniform(*scale_range)
    turn_deg = rng.uniform(-max_turn, max_turn)
    dx, dy = rng.uniform(-SHIFT, SHIFT, size=2)
    brightness = rng.uniform(1 - JITTER, 1 + JITTER)
    contrast = rng.uniform(1 - JITTER, 1 + JITTER)
    flip = rng.random() < P_FLIP

    out_w, out_h = PORTRAIT if portrait else LANDSCAPE
    turn = math.radians(turn_deg)
    # The crop has the output's 4:3 or 3:4 shape; its short side is `scale` of the photo's short
    # side, shrunk (in 2 % steps) until the turned crop lies wholly inside the photo.
    short = scale * min(src_w, src_h)
    while True:
        w = short * out_w / min(out_w, out_h)
        h = short * out_h / min(out_w, out_h)
        hw, hh, ok = fits(0, 0, w, h, turn, src_w, src_h)
        if ok:
            break
        short *= 0.98
    if centre is None:
        # Anywhere the turned crop fits: dx, dy in [-SHIFT, SHIFT] mapped onto [0, 1].
        cx = hw + (dx + SHIFT) / (2 * SHIFT) * (src_w - 2 * hw)
        cy = hh + (dy + SHIFT) / (2 * SHIFT) * (src_h - 2 * hh)
    else:
        # Centre: the object plus a small wander, then pushed back inside the photo if needed.
        cx = min(max(centre[0] + dx * w, hw), src_w - hw)
        cy = min(max(centre[1] + dy * h, hh), src_h - hh)

    # Cut the turned crop at full resolution: output pixel (u, v) of a w x h image samples the
    # photo at centre + R(turn) . ((u, v) - (w, h) / 2). PIL's AFFINE data maps output -> input.
    cw, ch = max(1, round(w)), max(1, round(h))
    c, s = math.cos(turn), math.sin(turn)
    a, b = c * w / cw, -s * h / ch
    d, e = s * w / cw, c * h / ch
    off_x = cx - (a * cw + b * ch) / 2
    off_y = cy - (d * cw + e * ch) / 2
    crop = src.transform((cw, ch), Image.Transform.AFFINE, (a, b, off_x, d, e, off_y),
                         resample=Image.Resampling.BICUBIC)
    # Then shrink to phone-thumbnail size with an antialiasing filter.
    img = crop.resize((out_w, out_h), Image.Resampling.LANCZOS)
    if flip:
        img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    img = ImageEnhance.Brightness(img).enhance(brightness)
    img = ImageEnhance.Contrast(img).enhance(contrast)
    return img


def jpeg(img):
    """Baseline JPEG, quality 85, 4:2:0, no EXIF/ICC/comment (Pillow writes only a JFIF header)."""
    buf = io.BytesIO()
    img.save(buf, 'JPEG', quality=QUALITY, subsampling='4:2:0', optimize=False, progressive=False)
    return buf.getvalue()


def build():
    """{relative path: bytes} for the whole set, in a fixed order."""
    rng = np.random.default_rng(SEED)
    files = {}
    for cls, (name, sha256, centre) in CLASSES.items():
        src = load_source(name, sha256)
        for i in range(1, PER_CLASS + 1):
            files[f'{cls}/{cls}-{i:02d}.jpg'] = jpeg(shot(src, centre, rng))
    return files


def sums(files):
    return ''.join(f'{hashlib.sha256(data).hexdigest()}  {rel}\n' for rel, data in files.items())


def main():
    files = build()
    if '--check' in sys.argv[1:]:
        bad = []
        for rel, data in files.items():
            path = os.path.join(OUT, rel)
            if not os.path.exists(path) or open(path, 'rb').read() != data:
                bad.append(rel)
        sums_path = os.path.join(OUT, 'SHA256SUMS')
        if not os.path.exists(sums_path) or open(sums_path).read() != sums(files):
            bad.append('SHA256SUMS')
        if bad:
            sys.exit(f'{len(bad)} file(s) differ from a fresh run: ' + ', '.join(bad))
        print(f'lesson-photos: all {len(files)} photos and SHA256SUMS match a fresh run')
        return
    for cls in CLASSES:
        folder = os.path.join(OUT, cls)
        os.makedirs(folder, exist_ok=True)
        for old in os.listdir(folder):  # no stale shots from an earlier, larger set
            if old.endswith('.jpg'):
                os.remove(os.path.join(folder, old))
    for rel, data in files.items():
        with open(os.path.join(OUT, rel), 'wb') as f:
            f.write(data)
    with open(os.path.join(OUT, 'SHA256SUMS'), 'w') as f:
        f.write(sums(files))
    total = sum(len(d) for d in files.values())
    print(f'wrote {len(files)} photos ({total} bytes) and SHA256SUMS to {OUT}')


if __name__ == '__main__':
    main()
