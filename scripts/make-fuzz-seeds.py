#!/usr/bin/env python3
"""Writes the small seed corpora of the fuzz targets, fuzz/corpus/<target>/ (deterministic; needs
Pillow). scripts/fuzz.sh also feeds tests/bad-inputs/ to every target as seeds."""
import io
import os
import zipfile

from PIL import Image

ROOT = os.path.join(os.path.dirname(__file__), '..')
FUZZ = os.path.join(ROOT, 'fuzz', 'corpus')
FIXED = (2026, 1, 1, 0, 0, 0)


def put(target, name, data):
    d = os.path.join(FUZZ, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def img(mode, size, fmt, **kw):
    im = Image.new(mode, size)
    for x in range(size[0]):
        for y in range(size[1]):
            v = (x * 37 + y * 11) % 256
            im.putpixel((x, y), {'L': v, '1': v > 127, 'P': v % 16, 'RGB': (v, 255 - v, x * 9 % 256),
                                 'RGBA': (v, 40, 200, 255 - v), 'I;16': v * 257}[mode])
    out = io.BytesIO()
    im.save(out, fmt, **kw)
    return out.getvalue()


put('image_decode', 'gray.png', img('L', (9, 7), 'PNG'))
put('image_decode', 'bits.png', img('1', (17, 5), 'PNG'))
put('image_decode', 'palette.png', img('P', (6, 6), 'PNG'))
put('image_decode', 'rgba.png', img('RGBA', (5, 8), 'PNG'))
put('image_decode', 'deep.png', img('I;16', (4, 4), 'PNG'))
put('image_decode', 'baseline.jpg', img('RGB', (16, 12), 'JPEG', quality=70))
put('image_decode', 'progressive.jpg', img('RGB', (16, 12), 'JPEG', quality=70, progressive=True))
exif = Image.Exif()
exif[0x0112] = 6  # rotated 90°
put('image_decode', 'rotated.jpg', img('RGB', (12, 8), 'JPEG', quality=60, exif=exif.tobytes()))
put('image_decode', 'small.gif', img('P', (8, 8), 'GIF'))
put('image_decode', 'small.bmp', img('RGB', (5, 3), 'BMP'))
put('image_decode', 'small.webp', img('RGB', (8, 8), 'WEBP', quality=50))
put('image_decode', 'lossless.webp', img('RGBA', (8, 8), 'WEBP', lossless=True))


def zipped(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data, method in entries:
            info = zipfile.ZipInfo(name, FIXED)
            info.compress_type = method
            z.writestr(info, data)
    return out.getvalue()


png = img('RGB', (4, 4), 'PNG')
put('zip_import', 'folders.zip', zipped([('coins/1yen/a.png', png, zipfile.ZIP_DEFLATED), ('coins/5yen/b.png', png, zipfile.ZIP_STORED),
                                         ('coins/test/c.png', png, zipfile.ZIP_DEFLATED), ('coins/', b'', zipfile.ZIP_STORED)]))
put('zip_import', 'labels.zip', zipped([('train/a.png', png, zipfile.ZIP_STORED), ('train/b.png', png, zipfile.ZIP_STORED),
                                        ('train.csv', 'ファイル名,ラベル\r\na.png,十円\r\nb,百円\r\n'.encode('shift_jis'), zipfile.ZIP_DEFLATED)]))

put('label_file', 'utf8.csv', b'file,label\na.png,cat\n"b, c.png","say ""hi"""\n\nd.png,dog\n')
put('label_file', 'sjis.csv', 'ファイル名,ラベル\r\n画像1.jpg,十円\r\n画像2.jpg,百円\r\n'.encode('shift_jis'))
put('label_file', 'bom.tsv', '\ufefffile\tlabel\r\nx.jpg\t赤\r\ny.jpg\t青\r\n'.encode('utf-8'))
put('label_file', 'utf16.csv', '\ufeffa.png,1\nb.png,2\n'.encode('utf-16-le'))
put('label_file', 'semicolon.txt', b'dir/a.png;x\ndir\\b.png;y\na.png;z\n')

pinned = open(os.path.join(ROOT, 'imagelab-core', 'tests', 'data', 'share_v1.txt')).read().strip()
put('experiment_url', 'value.txt', pinned.encode())
put('experiment_url', 'hash.txt', f'#/share?e={pinned}'.encode())
put('experiment_url', 'plain.txt', b'#/concepts')

with open(os.path.join(ROOT, 'tests', 'bad-inputs', 'model-other-input.bpk'), 'rb') as f:
    put('model_file', 'small-mlp.bpk', f.read())

truth = b'file,label\nq1.jpg,a\nq2.jpg,b\nq3,a\n'
sub = b'q1.jpg,a\nq2,b\nq3.png,b\nzz.jpg,a\n'
n = max(len(truth), len(sub))
put('submission', 'pair.csv', truth.ljust(n, b'\n') + sub.ljust(n, b'\n'))  # split in half by the target
put('table', 'bank.csv', b'"age";"job";"y"\n30;"admin.";"no"\n41;"blue-collar";"yes"\n35;"admin.";"no"\n')
put('table', 'numbers.csv', b'a,b,target\n1,2.5,3\n4,-1e3,5\n7,8,9\n1,0,2\n')
put('table', 'shift-jis.tsv', '身長\t血液型\t体重\n170\tA\t60\n160\tB\t50\n180\tA\t\n'.encode('shift_jis'))
print('seeds written to', os.path.normpath(FUZZ))
