#!/usr/bin/env python3
"""Writes the committed bad-input corpus, tests/bad-inputs/ (see its README.md for the table of
inputs and outcomes; imagelab-core/tests/bad_inputs.rs asserts them). Deterministic: running it
again gives the same bytes. Needs Pillow. The model files are written by
`cargo test -p imagelab-core --test bad_inputs -- --ignored write_model_files`.
"""
import io
import os
import struct
import zipfile
import zlib

from PIL import Image, ImageDraw

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'bad-inputs')
os.makedirs(OUT, exist_ok=True)
FIXED = (2026, 1, 1, 0, 0, 0)  # zip timestamps, so the bytes do not change between runs


def write(name, data):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)


def picture(w, h, hue, fmt='PNG', **kw):
    img = Image.new('RGB', (w, h), (230, 230, 220))
    d = ImageDraw.Draw(img)
    d.ellipse((w // 5, h // 5, 4 * w // 5, 4 * h // 5), fill=hue)
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_raw(w, h, bit_depth, colour_type, rows):
    """A PNG from raw scanlines (filter byte included), deflated at level 9."""
    ihdr = struct.pack('>IIBBBBB', w, h, bit_depth, colour_type, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', rows) + chunk(b'IEND', b'')


def zeros_deflated(row_bytes, h):
    z = zlib.compressobj(9)
    row = b'\x00' * (row_bytes + 1)
    out = [z.compress(row) for _ in range(h)]
    out.append(z.flush())
    return b''.join(out)


def zip_of(entries, method=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', method, compresslevel=9) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED)
            info.compress_type = method
            z.writestr(info, data)
    return out.getvalue()


good = picture(12, 10, (200, 120, 50))
write('good.png', good)
write('good-photo.jpg', picture(640, 480, (40, 90, 200), 'JPEG', quality=85))

# Cut short, empty, or not an image at all.
big_png = picture(64, 64, (10, 160, 60))
write('truncated.png', big_png[: len(big_png) // 2])
jpeg = picture(64, 64, (160, 10, 60), 'JPEG', quality=90)
write('truncated.jpg', jpeg[: len(jpeg) // 2])
write('empty.png', b'')
write('text-named.jpg', 'これは写真ではありません。This is a text file.\n'.encode('utf-8'))

# A header claiming 30000×30000 (900 megapixels), with one tiny IDAT: refused from the header.
write('header-30000x30000.png', png_raw(30000, 30000, 8, 2, zlib.compress(b'\x00' * 16)))
# A decompression bomb with real pixel data: 1-bit 12000×9000 (108 megapixels, over the 100
# megapixel cap: 13 KB that would decode to 108 MB). And its legal cousin: 16-bit RGBA 6000×6000
# (36 megapixels, under the cap; 280 KB that decodes to 288 MB), which is imported downscaled.
write('bomb-1bit-12000x9000.png', png_raw(12000, 9000, 1, 0, zeros_deflated(12000 // 8, 9000)))
write('big-rgba16-6000x6000.png', png_raw(6000, 6000, 16, 6, zeros_deflated(6000 * 8, 6000)))

# Zips.
write('not-a-zip.zip', b'PK\x03\x04' + bytes(range(256)) * 4)
# 42.zip-style nesting: zips of zips of zips; the importer never opens an inner archive.
inner = zip_of([(f'zeros-{i}.bin', b'\x00' * (1 << 20)) for i in range(4)])
for level in range(3):
    inner = zip_of([(f'level{level}-{i}.zip', inner) for i in range(8)])
write('nested-42-style.zip', zip_of([('class/good.png', good), ('class/nested.zip', inner)]))
# One entry that inflates to 70 MB (the per-file cap is 64 MB).
huge = io.BytesIO()
with zipfile.ZipFile(huge, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    info = zipfile.ZipInfo('class/huge.png', FIXED)
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, 'w', force_zip64=True) as f:
        block = b'\x00' * (1 << 20)
        for _ in range(70):
            f.write(block)
    z.writestr(zipfile.ZipInfo('class/good.png', FIXED), good)
write('huge-entry.zip', huge.getvalue())
write('path-traversal.zip', zip_of([
    ('../evil.png', good),
    ('/absolute.png', good),
    ('class/../../climb.png', good),
    ('C:/windows.png', good),
    ('class/good.png', good),
]))

# Label files inside zips (the competition layout) and as the teacher's scoring files.
a, b = picture(16, 16, (200, 30, 30)), picture(16, 16, (30, 30, 200))
write('labels-unknown-files.zip', zip_of([
    ('train/a.png', a), ('train/b.png', b), ('train.csv', b'file,label\na.png,red\nb.png,blue\nghost.png,red\n'),
]))
write('labels-duplicates.zip', zip_of([
    ('train/a.png', a), ('train/b.png', b), ('more/a.png', b),
    ('train.csv', b'file,label\na.png,red\nb.png,blue\na.png,blue\nb.png,blue\n'),
]))
write('labels-bom-crlf.zip', zip_of([
    ('train/a.png', a), ('train/b.png', b), ('train.csv', '\ufefffile,label\r\na.png,赤\r\nb.png,青\r\n'.encode('utf-8')),
]))
write('labels-shift-jis.zip', zip_of([
    ('train/a.png', a), ('train/b.png', b), ('train.csv', 'ファイル名,ラベル\r\na.png,十円\r\nb.png,百円\r\n'.encode('shift_jis')),
]))
write('truth-shift-jis.csv', 'ファイル名,ラベル\r\nq1.jpg,十円\r\nq2.jpg,百円\r\nq3.jpg,十円\r\nq4.jpg,百円\r\n'.encode('shift_jis'))
write('submission-bom-crlf.csv', '\ufefffile,label\r\nq1.jpg,十円\r\nq2.jpg,十円\r\nq3.jpg,十円\r\nq3.jpg,百円\r\nzz.jpg,百円\r\n'.encode('utf-8'))
write('submission-binary.csv', bytes((i * 37) % 256 for i in range(512)))

# Tables (the table lab): a ragged row; Excel's Shift_JIS with CRLF and a typing mistake in a
# column of numbers; a constant column.
write('table-ragged.csv', b'x,y,target\n1,2,a\n3,4,b\n5,6\n7,8,a\n')
rows = ['名前,身長,体重,血液型'] + [f'生徒{i},{150 + i},{40 + i},{"AB"[i % 2]}' for i in range(1, 12)]
rows[7] = '生徒7,157,４７kg,A'
write('table-shift-jis-typo.csv', ('\r\n'.join(rows) + '\r\n').encode('shift_jis'))
write('table-constant.csv', b'grade,score,passed\n2,71,yes\n2,48,no\n2,90,yes\n2,55,no\n')

# Experiment links (the part after `#`).
pinned = open(os.path.join(os.path.dirname(__file__), '..', 'imagelab-core', 'tests', 'data', 'share_v1.txt')).read().strip()
write('url-good.txt', f'/train?e={pinned}'.encode())
write('url-truncated.txt', f'/train?e={pinned[: len(pinned) // 2]}'.encode())
write('url-huge.txt', ('/train?e=1.' + 'A' * 20000).encode())
write('url-not-base64.txt', b'/train?e=1.%%%not*base64!!')
write('url-script.txt', b'/train?e=1.<script>alert(1)</script>')
write('url-newer.txt', b'/train?e=9.AAAA')
print('wrote', len(os.listdir(OUT)), 'files to', os.path.normpath(OUT))
