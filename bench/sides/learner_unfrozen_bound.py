"""The bound on unfrozen training: lesson_kit's own training step on one batch already in memory, in images/s.

    python bench/sides/learner_unfrozen_bound.py JPEGS TMP [--warmup 1] [--batches 4]   ->   {"value": images/s}

Builds the same learner as learner_unfrozen_ours.py (`unfreeze()`, `fit(1e-3, ...)`'s optimizer), loads one training
batch, then times `--batches` of the learner's own steps (forward, backward, optimiser step) on that same batch after
`--warmup` ones: what the fit would reach if loading, decoding and augmenting images cost nothing. Also reports
`load_seconds_per_batch`: the loader alone handing out training batches with nothing else running, the CPU time the
fit must find for its images on the same cores.
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learner_common import SZ, batch_cli, fresh_copy, ours_learner, setup_ours  # noqa: E402


def main(jpegs, tmp, warmup, batches, sz=SZ):
    weights = setup_ours(tmp)
    import torch
    learn = ours_learner(fresh_copy(jpegs, tmp), precompute=False, sz=sz)
    learn.unfreeze()
    f = learn._begin_fit(lrs=1e-3, n_cycle=1, cycle_len=None, cycle_mult=1, wds=None, metrics=None,
                         checkpoint=False, resume=False)   # fit's own optimizer, schedule and batches
    it = iter(f.batches)
    t0 = time.perf_counter()
    loaded = [next(it) for _ in range(batches)]
    load = (time.perf_counter() - t0) / batches
    xb, yb = loaded[0]
    learn._set_train_mode()
    for _ in range(warmup): learn._step(f.model, xb, yb)
    t0 = time.perf_counter()
    for _ in range(batches): learn._step(f.model, xb, yb)
    elapsed = time.perf_counter() - t0
    print(json.dumps({'value': batches * len(xb) / elapsed, 'images': batches * len(xb), 'seconds': elapsed,
                      'load_seconds_per_batch': load, 'weights': weights, 'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    batch_cli(main)
