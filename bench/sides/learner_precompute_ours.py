"""lesson_kit's precompute pass (the frozen ResNet34 body over every train and valid image once), in images/s.

    python bench/sides/learner_precompute_ours.py JPEGS TMP   ->   {"value": images per second}

Builds `ConvLearner.pretrained(resnet34, data, precompute=True)` on the JPEG folder at 128 px, runs one batch to warm
up, then times `_compute_activations()`: decoding, resizing, normalising and the body's forward pass, as a learner
experiences them on the first `fit`. The disk cache is not involved (nothing is read from or written to it).
"""
import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
sys.path.insert(0, str(Path(__file__).resolve().parent))
from lr_find_weights import ensure_resnet34_weights  # noqa: E402


def main(jpegs, tmp, sz):
    weights = ensure_resnet34_weights(tmp)
    os.environ['LESSON_KIT_HOME'] = tempfile.mkdtemp(prefix='lesson_kit_home-', dir=tmp)
    import torch
    from lesson_kit.all import ConvLearner, ImageClassifierData, resnet34, tfms_from_model
    data = ImageClassifierData.from_paths(jpegs, bs=64, tfms=tfms_from_model(resnet34, sz))
    learn = ConvLearner.pretrained(resnet34, data, precompute=True)
    xb, _ = next(iter(data.val_dl))
    with torch.inference_mode(): learn.features.eval()(xb.contiguous(memory_format=torch.channels_last))
    t0 = time.perf_counter()
    acts = learn._compute_activations()
    elapsed = time.perf_counter() - t0
    n = len(acts['trn']) + len(acts['val'])
    print()
    print(json.dumps({'value': n / elapsed, 'images': n, 'seconds': elapsed, 'sz': sz, 'weights': weights,
                      'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp'); p.add_argument('--sz', type=int, default=128)
    a = p.parse_args()
    main(a.jpegs, a.tmp, a.sz)
