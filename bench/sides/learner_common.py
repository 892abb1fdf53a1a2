"""Setup shared by the learner side scripts: offline weights, a private lesson_kit home, a fresh data folder, fastai.

Both libraries get the same planted ResNet34 weights (`lr_find_weights.py`), the same JPEG folder, 128 px and batch
size 64. `BatchClock` times a fixed number of training batches after warm-up batches, from inside either library's
training loop, so data setup, learner construction and validation stay outside the measurement.
"""
import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from lr_find_weights import ensure_resnet34_weights

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
BS, SZ = 64, 128


def fresh_copy(jpegs, tmp):
    "A new folder under `tmp` whose `train`/`valid` link to `jpegs`' own, so caches and checkpoints start empty there."
    dest = Path(tempfile.mkdtemp(prefix='learner_data-', dir=tmp))
    for split in ('train', 'valid'): (dest / split).symlink_to(Path(jpegs).resolve() / split)
    return dest


def count_images(jpegs):
    "Number of (train, valid) JPEGs in `jpegs`."
    return tuple(sum(1 for _ in (Path(jpegs) / s).glob('*/*.jpg')) for s in ('train', 'valid'))


def setup_ours(tmp):
    "Weights for lesson_kit and a private `LESSON_KIT_HOME` under `tmp`; returns 'cached' or 'planted'."
    import lesson_kit  # noqa: F401  first, as the lesson's `%load_ext lesson_kit`: it sets its environment before torch loads
    weights = ensure_resnet34_weights(tmp)
    os.environ['LESSON_KIT_HOME'] = tempfile.mkdtemp(prefix='lesson_kit_home-', dir=tmp)
    return weights


def ours_learner(path, precompute, sz=SZ, bs=BS):
    "The lesson's `ImageClassifierData.from_paths` + `ConvLearner.pretrained(resnet34, ...)` on `path`."
    from lesson_kit.all import ConvLearner, ImageClassifierData, resnet34, tfms_from_model
    data = ImageClassifierData.from_paths(path, bs=bs, tfms=tfms_from_model(resnet34, sz))
    return ConvLearner.pretrained(resnet34, data, precompute=precompute)


def fastai_learner(jpegs, tmp, sz=SZ, bs=BS):
    "fastai 2.8's `vision_learner(ImageDataLoaders.from_folder(..., Resize(sz)), resnet34)` (frozen); and weights."
    weights = ensure_resnet34_weights(tmp)
    from fastai.vision.all import ImageDataLoaders, Resize, accuracy, resnet34, vision_learner
    dls = ImageDataLoaders.from_folder(jpegs, train='train', valid='valid', item_tfms=Resize(sz), bs=bs)
    return vision_learner(dls, resnet34, metrics=accuracy, path=tmp), weights


def _sync_gpu():
    "Wait for the GPU, where one is in use (a no-op on the CPU)."
    torch = sys.modules.get('torch')
    if torch is not None and torch.cuda.is_initialized(): torch.cuda.synchronize()


class BatchClock:
    "Call after each training batch with its size: times batches `warmup`..`warmup+n-1`; `done` once they ran."
    def __init__(self, warmup, n):
        self.warmup, self.n, self.i, self.images, self.t0, self.seconds = warmup, n, 0, 0, None, None

    def __call__(self, bs):
        _sync_gpu()   # a GPU runs ahead of Python: time work done, not work queued
        self.i += 1
        if self.i == self.warmup: self.t0 = time.perf_counter()
        elif self.i > self.warmup:
            self.images += bs
            if self.i == self.warmup + self.n: self.seconds = time.perf_counter() - self.t0

    @property
    def done(self): return self.seconds is not None

    @property
    def rate(self): return self.images / self.seconds


def report_batches(clock, fit_seconds, weights):
    "Print the side's JSON line for a `BatchClock` run, or exit saying how many batches ran when too few did."
    import torch
    if not clock.done: sys.exit(f'only {clock.i} training batches ran; expected {clock.warmup + clock.n}')
    print()
    print(json.dumps({'value': clock.rate, 'images': clock.images, 'seconds': clock.seconds,
                      'fit_seconds': fit_seconds, 'weights': weights, 'threads': torch.get_num_threads()}))


def batch_cli(main):
    "Call `main(jpegs, tmp, warmup, batches)` with the command line `JPEGS TMP [--warmup 1] [--batches 4]`."
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp')
    p.add_argument('--warmup', type=int, default=1); p.add_argument('--batches', type=int, default=4)
    p.add_argument('--sz', type=int, default=SZ, help='image size (sides that take `sz`)')
    p.add_argument('--fp16', action='store_true', help="fastai's `to_fp16()` (sides that take `fp16`)")
    a = p.parse_args()
    extra = {**({'sz': a.sz} if a.sz != SZ else {}), **({'fp16': True} if a.fp16 else {})}
    main(a.jpegs, a.tmp, a.warmup, a.batches, **extra)
