"""Build `lesson_kit/assets/sample/`: real handwritten 3s and 7s in the dogscats folder layout.

The images are scikit-learn's bundled digits (8x8 grayscale scans of handwriting, UCI "Optical
Recognition of Handwritten Digits", BSD-licensed with scikit-learn), upscaled with a smooth bicubic
filter to 32x32 RGB PNGs, white ink on black like MNIST. Every "3" and "7" in the set is used once;
nothing is synthetic. The split is deterministic (a fixed seed), so re-running this script
reproduces the committed files byte for byte.

Layout (the 2018 lesson's dogscats shape, class folders named for the digit):
    sample/train/3, sample/train/7, sample/valid/3, sample/valid/7, sample/test1 (unlabelled)

Usage: python .ci/make_sample.py [DEST]   (default: lesson_kit/assets/sample next to this script)
"""
import shutil
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits

SZ = 32                      # output side in pixels
# per class: 200 validation images, so one image is 0.5%; the rest (about 75 per class) trains
N_VALID, N_TEST = 100, 5
CLASSES = (3, 7)
SEED = 42


def _to_png_image(digit):
    "An 8x8 array of ink levels 0..16 as a smooth `SZ`x`SZ` RGB PIL image."
    small = Image.fromarray(np.round(digit * 255 / 16).astype(np.uint8), mode='L')
    big = small.resize((SZ, SZ), Image.Resampling.BICUBIC)
    return big.convert('RGB')


def _save(img, fn):
    "Write `img` to `fn` as PNG, deterministically (no timestamps or text chunks)."
    fn.parent.mkdir(parents=True, exist_ok=True)
    img.save(fn, format='PNG', optimize=True)


def build(dest):
    "Write the sample dataset to `dest` (replacing what is there) and return per-folder counts."
    dest = Path(dest)
    if dest.exists(): shutil.rmtree(dest)
    digits = load_digits()
    rng = np.random.default_rng(SEED)
    counts, test = {}, []
    for c in CLASSES:
        idxs = rng.permutation(np.flatnonzero(digits.target == c))
        splits = dict(valid=idxs[:N_VALID], test1=idxs[N_VALID:N_VALID + N_TEST], train=idxs[N_VALID + N_TEST:])
        for split in ('train', 'valid'):
            for i in sorted(splits[split]): _save(_to_png_image(digits.images[i]), dest/split/str(c)/f'{i:04d}.png')
            counts[f'{split}/{c}'] = len(splits[split])
        test += list(splits['test1'])
    for n, i in enumerate(rng.permutation(test)):  # unlabelled: shuffled, numbered names as in dogscats
        _save(_to_png_image(digits.images[i]), dest/'test1'/f'{n + 1}.png')
    counts['test1'] = len(test)
    return counts


if __name__ == '__main__':
    default = Path(__file__).resolve().parents[1]/'lesson_kit'/'assets'/'sample'
    dest = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    counts = build(dest)
    size = sum(f.stat().st_size for f in dest.rglob('*') if f.is_file())
    print(f'{dest}: {counts}, {size / 1024:.0f} KiB')
