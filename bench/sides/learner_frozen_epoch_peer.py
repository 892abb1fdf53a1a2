"""fastai 2.8's frozen epoch, `vision_learner(dls, resnet34).fit_one_cycle(1)` at 128 px, in images/s.

    python bench/sides/learner_frozen_epoch_peer.py JPEGS TMP   ->   {"value": images/s}

The peer of both the precompute pass and the head epoch on cached activations: the same JPEG folder, model (planted
weights when offline), size and batch size. After building the data and the learner and one warm-up forward batch,
`fit_one_cycle(1)` is timed; the value is the number of images it went through (training images in full batches,
forward and backward through the whole network since fastai's frozen batchnorm layers still train, plus validation
images, forward only) divided by its seconds.
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learner_common import fastai_learner  # noqa: E402


def main(jpegs, tmp):
    import torch
    from fastai.callback.core import Callback
    learn, weights = fastai_learner(jpegs, tmp)
    xb, _ = learn.dls.valid.one_batch()
    with torch.no_grad(): learn.model.eval()(xb)   # warm-up
    seen = {'train': 0, 'valid': 0}

    class Count(Callback):
        def after_batch(self): seen['train' if self.training else 'valid'] += len(self.learn.yb[0])
    t0 = time.perf_counter()
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(1, cbs=Count())
    elapsed = time.perf_counter() - t0
    n = seen['train'] + seen['valid']
    print()
    print(json.dumps({'value': n / elapsed, 'seconds': elapsed, **seen, 'weights': weights,
                      'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    main(*sys.argv[1:3])
