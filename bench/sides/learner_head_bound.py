"""The bound on a `fit` epoch on cached activations: the same head steps in a bare eager loop, in images/s.

    python bench/sides/learner_head_bound.py JPEGS TMP [--epochs 7]   ->   {"value": images/s}

Builds the same learner as learner_head_epoch_ours.py and runs the same warm-up `fit(0.01, 1)` (it builds the cache
and the optimizer). Then times, `--epochs` times (median kept), what an eager loop of that epoch's modules and
optimizer cannot skip: over the same shuffled batches of cached training activations, the head's forward pass, the
loss, backward and the learner's own SGD step; then the head's forward pass over the cached validation activations.
Nothing else: no checkpoint, progress bar, table, learning-rate schedule or loss bookkeeping. Counts train + valid
images, as the learner's side does.
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learner_common import count_images, fresh_copy, ours_learner, setup_ours  # noqa: E402


def bare_epoch(top, opt, trn, val):
    "One epoch of `top` over batches `trn` (train, SGD `opt`) and `val` (forward only), nothing else."
    import torch
    import torch.nn.functional as F
    top.train()
    for xb, yb in trn:
        loss = F.nll_loss(top(xb), yb)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    top.eval()
    with torch.no_grad():
        for xb, yb in val: F.nll_loss(top(xb), yb)


def main(jpegs, tmp, epochs):
    weights = setup_ours(tmp)
    import torch
    learn = ours_learner(fresh_copy(jpegs, tmp), precompute=True)
    learn.fit(0.01, 1)   # warm-up: builds the cache and the optimizer, as on the learner's side
    top, trn = learn._model_and_batches('trn')
    val = learn._model_and_batches('val')[1]
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        bare_epoch(top, learn.opt, trn, val)
        times.append(time.perf_counter() - t0)
    elapsed = statistics.median(times)
    n_trn, n_val = len(learn._acts['trn']), len(learn._acts['val'])
    assert (n_trn, n_val) == count_images(jpegs), 'the cache does not cover the folder'
    print(json.dumps({'value': (n_trn + n_val) / elapsed, 'seconds': elapsed, 'epochs': epochs,
                      'seconds_min_max': [min(times), max(times)], 'train': n_trn, 'valid': n_val,
                      'weights': weights, 'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp'); p.add_argument('--epochs', type=int, default=7)
    a = p.parse_args()
    main(a.jpegs, a.tmp, a.epochs)
