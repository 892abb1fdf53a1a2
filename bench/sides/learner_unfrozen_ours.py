"""lesson_kit's unfrozen training speed: `learn.unfreeze(); learn.fit(1e-3, 1)` on ResNet34 at 128 px, in images/s.

    python bench/sides/learner_unfrozen_ours.py JPEGS TMP [--warmup 1] [--batches 4]   ->   {"value": images/s}

A callback times `--batches` training batches (batch size 64) after `--warmup` ones, then stops the fit, so data
setup, learner construction and validation are not measured. Each timed batch includes loading and augmenting its
images, the forward and backward pass of the whole network and the optimiser step.
"""
import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learner_common import BatchClock, fresh_copy, ours_learner, setup_ours  # noqa: E402


def main(jpegs, tmp, warmup, batches):
    weights = setup_ours(tmp)
    import torch
    learn = ours_learner(fresh_copy(jpegs, tmp), precompute=False)
    learn.unfreeze()
    clock = BatchClock(warmup, batches)

    def tick(learner, epoch, i):
        clock(learner.data.bs)
        if clock.done: raise KeyboardInterrupt   # the learner's own way to stop a fit early
    learn.cbs.append(tick)
    t0 = time.perf_counter()
    learn.fit(1e-3, 1 + (warmup + batches) // len(learn.data.trn_dl))
    if not clock.done: sys.exit(f'only {clock.i} training batches ran; expected {warmup + batches}')
    print()
    print(json.dumps({'value': clock.rate, 'images': clock.images, 'seconds': clock.seconds,
                      'fit_seconds': time.perf_counter() - t0, 'weights': weights,
                      'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp')
    p.add_argument('--warmup', type=int, default=1); p.add_argument('--batches', type=int, default=4)
    a = p.parse_args()
    main(a.jpegs, a.tmp, a.warmup, a.batches)
