"""lesson_kit's `learn.lr_find()` with `precompute=True`, the 2018 way, timed.

    python bench/sides/lr_find_ours.py JPEGS TMP [--warm]   ->   {"value": seconds}

Cold (default): from building the learner on a fresh copy of the folder (symlinks, so no cache of activations
exists) to the end of `lr_find()`: the cache build is included. `--warm`: the same learner runs `lr_find()` once
(building the cache), then the second `lr_find()` is timed.
"""
import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lr_find_weights import ensure_resnet34_weights  # noqa: E402


def fresh_copy(jpegs, tmp):
    "A new folder under `tmp` whose `train`/`valid` link to `jpegs`' own, so any cache starts empty."
    dest = Path(tempfile.mkdtemp(prefix='lr_find_data-', dir=tmp))
    for split in ('train', 'valid'): (dest / split).symlink_to(Path(jpegs).resolve() / split)
    return dest


def main(jpegs, tmp, warm):
    import lesson_kit  # noqa: F401  first, as the lesson's `%load_ext lesson_kit`: it sets its environment before torch loads
    weights = ensure_resnet34_weights(tmp)
    os.environ['LESSON_KIT_HOME'] = tempfile.mkdtemp(prefix='lesson_kit_home-', dir=tmp)
    from lesson_kit.all import ConvLearner, ImageClassifierData, resnet34, tfms_from_model
    path = fresh_copy(jpegs, tmp)
    t0 = time.perf_counter()
    data = ImageClassifierData.from_paths(path, bs=64, tfms=tfms_from_model(resnet34, 128))
    learn = ConvLearner.pretrained(resnet34, data, precompute=True)
    learn.lr_find()
    if warm:
        t0 = time.perf_counter()
        learn.lr_find()
    elapsed = time.perf_counter() - t0
    n_it = len(learn.sched.lrs) if hasattr(learn, 'sched') else None
    print()
    print(json.dumps({'value': elapsed, 'iterations': n_it, 'weights': weights, 'warm': warm}))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp'); p.add_argument('--warm', action='store_true')
    a = p.parse_args()
    main(a.jpegs, a.tmp, a.warm)
