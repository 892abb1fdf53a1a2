"""fastai 2.8's frozen `fit_one_cycle(2)` on a ResNet34 `vision_learner` at 128 px, end to end, in seconds.

    python bench/sides/learner_fit_peer.py JPEGS TMP   ->   {"value": seconds}

Timed from building the `DataLoaders` to the end of training, like lesson_kit's side. `vision_learner` starts
frozen (only the head and the batchnorm layers train), fastai's closest equivalent of the lesson's first fit; it
has no activation cache, so both epochs run the whole network forward (and backward, for batchnorm).
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
sys.path.insert(0, str(Path(__file__).resolve().parent))
from lr_find_weights import ensure_resnet34_weights  # noqa: E402


def main(jpegs, tmp, epochs, sz):
    weights = ensure_resnet34_weights(tmp)
    from fastai.vision.all import ImageDataLoaders, Resize, accuracy, resnet34, vision_learner
    t0 = time.perf_counter()
    dls = ImageDataLoaders.from_folder(jpegs, train='train', valid='valid', item_tfms=Resize(sz), bs=64)
    learn = vision_learner(dls, resnet34, metrics=accuracy)
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(epochs)
    elapsed = time.perf_counter() - t0
    val_loss, acc = learn.recorder.values[-1][1:3]
    print()
    print(json.dumps({'value': elapsed, 'val_loss': float(val_loss), 'accuracy': float(acc), 'weights': weights}))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp')
    p.add_argument('--epochs', type=int, default=1 if os.environ.get('BENCH_QUICK') else 2)
    p.add_argument('--sz', type=int, default=128)
    a = p.parse_args()
    main(a.jpegs, a.tmp, a.epochs, a.sz)
