"""lesson_kit's unfrozen training speed: `learn.unfreeze(); learn.fit(1e-3, 1)` on ResNet34 at 128 px, in images/s.

    python bench/sides/learner_unfrozen_ours.py JPEGS TMP [--warmup 1] [--batches 4] [--sz 128]
    ->   {"value": images/s}

A callback times `--batches` training batches (batch size 64) after `--warmup` ones, then stops the fit, so data
setup, learner construction and validation are not measured. Each timed batch includes loading and augmenting its
images, the forward and backward pass of the whole network and the optimiser step.
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learner_common import SZ, BatchClock, batch_cli, fresh_copy, ours_learner, report_batches, setup_ours  # noqa: E402


def main(jpegs, tmp, warmup, batches, sz=SZ):
    weights = setup_ours(tmp)
    learn = ours_learner(fresh_copy(jpegs, tmp), precompute=False, sz=sz)
    learn.unfreeze()
    clock = BatchClock(warmup, batches)

    def tick(learner, epoch, i):
        clock(learner.data.bs)
        if clock.done: raise KeyboardInterrupt   # the learner's own way to stop a fit early
    learn.cbs.append(tick)
    t0 = time.perf_counter()
    learn.fit(1e-3, 1 + (warmup + batches) // len(learn.data.trn_dl))
    report_batches(clock, time.perf_counter() - t0, weights)


if __name__ == '__main__':
    batch_cli(main)
