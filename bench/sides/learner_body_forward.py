"""The bound on the precompute pass: the folded ResNet34 body's forward pass alone, on the pass's own batches, in
images/s.

    python bench/sides/learner_body_forward.py JPEGS TMP [--sz 128]   ->   {"value": images per second}

Builds the same learner as learner_precompute_ours.py, decodes every batch the pass would see (train in order,
un-augmented, then valid) into memory first, untimed, then times only the body with its BatchNorms folded, under
inference mode, channels_last and the learner's autocast dtype: what the pass would reach if decoding, resizing,
normalising, gathering and saving cost nothing.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
sys.path.insert(0, str(Path(__file__).resolve().parent))
from learner_common import ours_learner, setup_ours  # noqa: E402


def main(jpegs, tmp, sz):
    weights = setup_ours(tmp)
    import torch

    from lesson_kit.precompute import _autocast, _folded, _loader, _to
    learn = ours_learner(jpegs, precompute=True, sz=sz)
    body = _folded(learn.features)
    batches = [_to(xb, learn.device) for kind in ('fix', 'val') for xb, _ in _loader(learn.data, kind)]
    with torch.inference_mode(), _autocast(learn.device, learn.amp_dtype):
        body(batches[-1])                                           # warm-up, as the pass's side does
        if learn.device.type == 'cuda': torch.cuda.synchronize()
        t0 = time.perf_counter()
        for xb in batches: body(xb)
        if learn.device.type == 'cuda': torch.cuda.synchronize()
        elapsed = time.perf_counter() - t0
    n = sum(len(xb) for xb in batches)
    print(json.dumps({'value': n / elapsed, 'images': n, 'seconds': elapsed, 'sz': sz, 'weights': weights,
                      'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp'); p.add_argument('--sz', type=int, default=128)
    a = p.parse_args()
    main(a.jpegs, a.tmp, a.sz)
