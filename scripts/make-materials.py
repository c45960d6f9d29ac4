#!/usr/bin/env python3
"""Writes the built-in photo set "materials" (素材の写真), www/data/materials.zip: three classes of
20 phone-style close-ups of a surface (brick, grass, gravel), cut from three CC0 texture photos
that ship inside the scikit-image wheel (skimage/data/*.png; nothing is downloaded).

It is the data lab's sample set for Day 2 (transfer learning): 3 x 20 photos, the course's own
scenario, on which a network trained from scratch does little better than chance while the
pretrained backbone's features tell the surfaces apart (measured: scripts/bench/materials.sh).
The digits are the opposite case, so students see both.

Each shot is made as the lesson photos are (scripts/make-lesson-photos.py, whose `shot` is used):
a turned crop at a random scale, anywhere on the surface, brightness and contrast jittered,
sometimes mirrored, landscape 160x120 or portrait 120x160, baseline JPEG quality 85. The photos are
grayscale (the sources are), saved as RGB JPEG like a phone's. The zip is stored (JPEG does not
compress), entries in a fixed order with a fixed date, so a rerun writes the same bytes given the
same Pillow/libjpeg-turbo (www/data/README.md names the versions and the zip's SHA-256).

    python3 scripts/make-materials.py           # (re)write www/data/materials.zip
    python3 scripts/make-materials.py --check   # regenerate in memory, compare with the file

Needs numpy, Pillow and scikit-image (only for the location of its bundled sample photos).
"""
import hashlib
import importlib.util
import io
import os
import sys
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, '..', 'www', 'data', 'materials.zip'))
SEED = 20261206
PER_CLASS = 20
SCALE = (0.25, 0.6)   # crop's short side as a share of the texture's 512 px: a close-up
MAX_TURN = 30.0       # degrees, either way: a phone held roughly level
DATE = (2026, 12, 6, 0, 0, 0)

# class folder -> (file in skimage/data, its SHA-256 as in skimage/data/_registry.py)
CLASSES = {
    'brick': ('brick.png', '7966caf324f6ba843118d98f7a07746d22f6a343430add0233eca5f6eaaa8fcf'),
    'grass': ('grass.png', 'b6b6022426b38936c43a4ac09635cd78af074e90f42ffa8227ac8b7452d39f89'),
    'gravel': ('gravel.png', 'c48615b451bf1e606fbd72c0aa9f8cc0f068ab7111ef7d93bb9b0f2586440c12'),
}


def lesson_script():
    spec = importlib.util.spec_from_file_location('lesson', os.path.join(HERE, 'make-lesson-photos.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build():
    """The zip's bytes."""
    lesson = lesson_script()
    rng = np.random.default_rng(SEED)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', compression=zipfile.ZIP_STORED) as z:
        for cls, (name, sha256) in CLASSES.items():
            src = lesson.load_source(name, sha256)
            for i in range(1, PER_CLASS + 1):
                info = zipfile.ZipInfo(f'{cls}/{cls}-{i:02d}.jpg', date_time=DATE)
                info.external_attr = 0o644 << 16
                z.writestr(info, lesson.jpeg(lesson.shot(src, None, rng, SCALE, MAX_TURN)))
    return buf.getvalue()


def main():
    data = build()
    digest = hashlib.sha256(data).hexdigest()
    if '--check' in sys.argv[1:]:
        if not os.path.exists(OUT) or open(OUT, 'rb').read() != data:
            sys.exit(f'{OUT} differs from a fresh run (fresh: {len(data)} bytes, sha256 {digest})')
        print(f'materials.zip: matches a fresh run ({len(data)} bytes, sha256 {digest})')
        return
    with open(OUT, 'wb') as f:
        f.write(data)
    print(f'wrote {OUT}: {len(data)} bytes, sha256 {digest}')


if __name__ == '__main__':
    main()
