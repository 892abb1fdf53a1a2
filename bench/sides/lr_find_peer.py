"""fastai 2.8's `learn.lr_find()` on a ResNet34 `vision_learner` at 128 px, timed.

    python bench/sides/lr_find_peer.py JPEGS TMP [--num-it 100]   ->   {"value": seconds}

Timed from building the `DataLoaders` to the end of `lr_find()` (fastai's defaults: 100 iterations from 1e-7
to 10, stopping early when the loss diverges). fastai has no activation cache, so every iteration runs the whole
network forward and backward. `BENCH_QUICK=1` lowers `num_it` to 5 for a smoke test.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lr_find_weights import ensure_resnet34_weights  # noqa: E402


def main(jpegs, tmp, num_it):
    weights = ensure_resnet34_weights(tmp)
    from fastai.vision.all import ImageDataLoaders, Resize, resnet34, vision_learner
    t0 = time.perf_counter()
    dls = ImageDataLoaders.from_folder(jpegs, train='train', valid='valid', item_tfms=Resize(128), bs=64)
    learn = vision_learner(dls, resnet34)
    with learn.no_bar(): learn.lr_find(num_it=num_it, show_plot=False)
    elapsed = time.perf_counter() - t0
    print()
    print(json.dumps({'value': elapsed, 'iterations': len(learn.recorder.lrs), 'weights': weights}))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp')
    p.add_argument('--num-it', type=int, default=5 if os.environ.get('BENCH_QUICK') else 100)
    a = p.parse_args()
    main(a.jpegs, a.tmp, a.num_it)
