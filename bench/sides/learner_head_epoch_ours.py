"""lesson_kit's `fit(0.01, 1)` with `precompute=True` once the activation cache exists, in images/s.

    python bench/sides/learner_head_epoch_ours.py JPEGS TMP   ->   {"value": images/s}

Warm-up: a first `fit(0.01, 1)` builds the activation cache (the frozen body over every image once). Then one more
`fit(0.01, 1)` is timed: the head trains on the cached training activations and is validated on the cached validation
ones. The value counts the same images a fastai frozen epoch goes through (train + valid) over its seconds.
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learner_common import count_images, fresh_copy, ours_learner, setup_ours  # noqa: E402


def main(jpegs, tmp):
    weights = setup_ours(tmp)
    import torch
    learn = ours_learner(fresh_copy(jpegs, tmp), precompute=True)
    learn.fit(0.01, 1)   # warm-up: builds the cache
    t0 = time.perf_counter()
    vals = learn.fit(0.01, 1)
    elapsed = time.perf_counter() - t0
    n_trn, n_val = len(learn._acts['trn']), len(learn._acts['val'])
    assert (n_trn, n_val) == count_images(jpegs), 'the cache does not cover the folder'
    print()
    print(json.dumps({'value': (n_trn + n_val) / elapsed, 'seconds': elapsed, 'train': n_trn, 'valid': n_val,
                      'val_loss': vals[0], 'accuracy': vals[1], 'weights': weights,
                      'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    main(*sys.argv[1:3])
