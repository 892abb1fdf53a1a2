"""fastai 2.8's unfrozen training speed: `vision_learner(...).unfreeze()` then `fit(1, 1e-3)`, in images/s.

    python bench/sides/learner_unfrozen_peer.py JPEGS TMP [--warmup 1] [--batches 4]   ->   {"value": images/s}

Same model (ResNet34, planted weights when offline), size (128 px), batch size (64) and measurement as
`learner_unfrozen_ours.py`: a callback times `--batches` training batches after `--warmup` ones, then cancels the fit.
"""
import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learner_common import BatchClock, fastai_learner  # noqa: E402


def main(jpegs, tmp, warmup, batches):
    import torch
    from fastai.callback.core import Callback, CancelFitException
    learn, weights = fastai_learner(jpegs, tmp)
    learn.unfreeze()
    clock = BatchClock(warmup, batches)

    class Tick(Callback):
        def after_batch(self):
            if not self.training: return
            clock(len(self.learn.yb[0]))
            if clock.done: raise CancelFitException()
    t0 = time.perf_counter()
    with learn.no_bar(), learn.no_logging():
        learn.fit(1 + (warmup + batches) // len(learn.dls.train), 1e-3, cbs=Tick())
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
