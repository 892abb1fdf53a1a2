"""lesson_kit's `fit(0.01, 1)` with `precompute=True` once the activation cache exists, in images/s.

    python bench/sides/learner_head_epoch_ours.py JPEGS TMP [--epochs 7]   ->   {"value": images/s}

Warm-up: a first `fit(0.01, 1)` builds the activation cache (the frozen body over every image once). Then
`fit(0.01, 1)` is timed `--epochs` times and the median is kept (one epoch on 500 cached images takes tens of
milliseconds, so a single one is at the mercy of the scheduler): the head trains on the cached training activations and
is validated on the cached validation ones, with the checkpoint, progress bar and table `fit` always has. The value
counts the same images a fastai frozen epoch goes through (train + valid) over those seconds.
"""
import argparse
import contextlib
import io
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learner_common import count_images, fresh_copy, ours_learner, setup_ours  # noqa: E402


def main(jpegs, tmp, epochs):
    weights = setup_ours(tmp)
    import torch
    learn = ours_learner(fresh_copy(jpegs, tmp), precompute=True)
    learn.fit(0.01, 1)   # warm-up: builds the cache
    times = []
    for _ in range(epochs):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            t0 = time.perf_counter()
            vals = learn.fit(0.01, 1)
            times.append(time.perf_counter() - t0)
    elapsed = statistics.median(times)
    n_trn, n_val = len(learn._acts['trn']), len(learn._acts['val'])
    assert (n_trn, n_val) == count_images(jpegs), 'the cache does not cover the folder'
    print()
    print(json.dumps({'value': (n_trn + n_val) / elapsed, 'seconds': elapsed, 'epochs': epochs,
                      'seconds_min_max': [min(times), max(times)], 'train': n_trn, 'valid': n_val,
                      'val_loss': vals[0], 'accuracy': vals[1], 'weights': weights,
                      'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp'); p.add_argument('--epochs', type=int, default=7)
    a = p.parse_args()
    main(a.jpegs, a.tmp, a.epochs)
