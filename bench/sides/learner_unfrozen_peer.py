"""fastai 2.8's unfrozen training speed: `vision_learner(...).unfreeze()` then `fit(1, 1e-3)`, in images/s.

    python bench/sides/learner_unfrozen_peer.py JPEGS TMP [--warmup 1] [--batches 4] [--sz 128] [--fp16]
        ->   {"value": images/s}

Same model (ResNet34, planted weights when offline), size (128 px), batch size (64) and measurement as
`learner_unfrozen_ours.py`: a callback times `--batches` training batches after `--warmup` ones, then cancels the fit.
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learner_common import SZ, BatchClock, batch_cli, fastai_learner, report_batches  # noqa: E402


def main(jpegs, tmp, warmup, batches, sz=SZ, fp16=False):
    from fastai.callback.core import Callback, CancelFitException
    learn, weights = fastai_learner(jpegs, tmp, sz=sz)
    if fp16: learn = learn.to_fp16()     # fastai's mixed precision: float16 autocast and a gradient scaler
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
    report_batches(clock, time.perf_counter() - t0, weights)


if __name__ == '__main__':
    batch_cli(main)
