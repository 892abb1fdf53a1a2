"""The lesson's `learn.fit(0.01, 2)` with `precompute=True`, end to end, timed in seconds.

    python bench/sides/learner_fit_ours.py JPEGS TMP [--warm]   ->   {"value": seconds}

Cold (default): from `ImageClassifierData.from_paths` on a fresh copy of the folder (symlinks, so no activation
cache exists) to the end of `fit(0.01, 2)`: building the cache is included. `--warm`: a first learner fills the
cache; then, as after a kernel restart, new data and learner objects are built and the same three lines are timed
(the cache on disk is reused).
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
sys.path.insert(0, str(Path(__file__).resolve().parent))
from learner_common import fresh_copy, setup_ours  # noqa: E402


def lesson(path, sz):
    "The lesson's three lines; returns the final [val_loss, accuracy]."
    from lesson_kit.all import ConvLearner, ImageClassifierData, resnet34, tfms_from_model
    data = ImageClassifierData.from_paths(path, tfms=tfms_from_model(resnet34, sz))
    learn = ConvLearner.pretrained(resnet34, data, precompute=True)
    return learn.fit(0.01, 2)


def main(jpegs, tmp, warm, sz):
    weights = setup_ours(tmp)
    import lesson_kit.all  # noqa: F401  (imports are not part of the timing)
    path = fresh_copy(jpegs, tmp)
    if warm: lesson(path, sz)
    t0 = time.perf_counter()
    vals = lesson(path, sz)
    elapsed = time.perf_counter() - t0
    print()
    print(json.dumps({'value': elapsed, 'val_loss': vals[0], 'accuracy': vals[1], 'warm': warm, 'weights': weights}))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp'); p.add_argument('--warm', action='store_true')
    p.add_argument('--sz', type=int, default=128)
    a = p.parse_args()
    main(a.jpegs, a.tmp, a.warm, a.sz)
