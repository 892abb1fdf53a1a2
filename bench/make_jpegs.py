"""Build a dogscats-like JPEG folder for benchmarks: `train/{cats,dogs}`, `valid/{cats,dogs}`.

The real Dogs vs Cats images are camera JPEGs of about 375x500 px saved at quality ~90. Decoding cost depends on
size, quality and content (noise compresses badly and decodes slowly; flat colour decodes fast), so the images are
made from real photographs bundled with scikit-image: random crops and scales, colour jitter and flips, saved at
the sizes and quality of the real set. Cached: a second call with the same parameters does nothing.

With `--scale 2.667` the same pictures come out about 1000x1333 px, like photos from a phone or a camera shrunk for
the web: the big pictures `data.resize` is for. They are upscaled, so smoother than real photos of that size, which
makes them a little cheaper to decode: a conservative stand-in when measuring what resizing saves.

    python bench/make_jpegs.py [--dest DIR] [--n-train 400] [--n-valid 100] [--scale 1]
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = ROOT / 'bench' / '.data' / 'dogscats_like'
BIG_DEST = ROOT / 'bench' / '.data' / 'dogscats_like_big'
BIG_SCALE = 2.667  # 375x500 -> 1000x1333
# `make gpu`: enough pictures that a GPU epoch is many batches long (the lessons in full mode, the GPU cases).
GPU_DEST, GPU_TRAIN, GPU_VALID = ROOT / 'bench' / '.data' / 'dogscats_like_gpu', 2000, 500
# Each class gets its own photos, so a model can actually tell the classes apart (useful for training cases).
SOURCES = {'cats': ['chelsea', 'coffee', 'astronaut'], 'dogs': ['rocket', 'stereo_motorcycle', 'camera']}
# (height, width) of typical Dogs vs Cats images, landscape most often.
SIZES = [(375, 500), (375, 500), (375, 500), (333, 500), (500, 375), (374, 500), (499, 375), (400, 500)]
QUALITY = 90
VERSION = 2


def _photo(name):
    "The scikit-image photo `name` as an RGB uint8 array."
    import skimage.data
    img = getattr(skimage.data, name)()
    if isinstance(img, tuple): img = img[0]  # stereo_motorcycle returns (left, right, disparity)
    if img.ndim == 2: img = np.stack([img] * 3, axis=-1)
    return np.ascontiguousarray(img[..., :3])


def _augment(photo, size, rng):
    "A random crop of `photo` (array) at scale 0.35-1, resized to `size` (h, w), colour-jittered, maybe flipped."
    h, w = size
    ph, pw = photo.shape[:2]
    scale = rng.uniform(0.35, 1.0)
    ch = int(min(ph, pw * h / w) * np.sqrt(scale))
    cw = int(ch * w / h)
    y, x = rng.integers(0, ph - ch + 1), rng.integers(0, pw - cw + 1)
    im = Image.fromarray(photo[y:y + ch, x:x + cw]).resize((w, h), Image.BICUBIC)
    for enh in (ImageEnhance.Brightness, ImageEnhance.Contrast, ImageEnhance.Color):
        im = enh(im).enhance(rng.uniform(0.7, 1.3))
    if rng.random() < 0.5: im = im.transpose(Image.FLIP_LEFT_RIGHT)
    return im


def make_jpegs(dest=DEFAULT_DEST, n_train=400, n_valid=100, seed=0, scale=1):
    "Write `n_train` + `n_valid` JPEGs (half cats, half dogs, sizes times `scale`) under `dest`, once. Returns `dest`."
    dest = Path(dest)
    params = {'version': VERSION, 'n_train': n_train, 'n_valid': n_valid, 'seed': seed, 'quality': QUALITY}
    if scale != 1: params['scale'] = scale
    stamp = dest / 'params.json'
    if stamp.exists() and json.loads(stamp.read_text()) == params: return dest
    rng = np.random.default_rng(seed)
    photos = {cls: [_photo(n) for n in names] for cls, names in SOURCES.items()}
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix='.dogscats_like-', dir=dest.parent))
    for split, n in (('train', n_train), ('valid', n_valid)):
        for cls, srcs in photos.items():
            (tmp / split / cls).mkdir(parents=True)
            for i in range(n // 2):
                size = tuple(round(d * scale) for d in SIZES[rng.integers(len(SIZES))])
                im = _augment(srcs[rng.integers(len(srcs))], size, rng)
                im.save(tmp / split / cls / f'{cls[:-1]}.{i}.jpg', quality=QUALITY)
    (tmp / 'params.json').write_text(json.dumps(params))
    if dest.exists(): shutil.rmtree(dest)
    os.replace(tmp, dest)
    return dest


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--dest', type=Path, default=DEFAULT_DEST)
    p.add_argument('--n-train', type=int, default=400)
    p.add_argument('--n-valid', type=int, default=100)
    p.add_argument('--scale', type=float, default=1, help='picture sizes times this (2.667: about 1000x1333)')
    a = p.parse_args(argv)
    print(make_jpegs(a.dest, a.n_train, a.n_valid, scale=a.scale))


if __name__ == '__main__':
    sys.exit(main())
