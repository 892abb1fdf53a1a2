"""lesson_kit's precompute pass (the frozen ResNet34 body over every train and valid image once), in images/s.

    python bench/sides/learner_precompute_ours.py JPEGS TMP [--build-cache]   ->   {"value": images per second}

Builds `ConvLearner.pretrained(resnet34, data, precompute=True)` on the JPEG folder at 128 px, runs one batch through
a folded copy of its body to warm up (as learner_body_forward.py does: oneDNN builds its kernels for each new layer
shape on first use, about 0.3 s here, which a pass in a fresh process pays once), then times `_compute_activations()`:
decoding, resizing, normalising and the body's forward pass, as a learner experiences them on the first `fit`. No
cache file is read or kept: the pass streams its rows into a temporary file under the folder's tmp/, deleted after.
With `--build-cache`, the learner works on a fresh copy of the folder and `_activations()` is timed instead: building
the cache from scratch, i.e. hashing the body's weights, the same pass, and saving the cache file.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
sys.path.insert(0, str(Path(__file__).resolve().parent))
from learner_common import fresh_copy, ours_learner, setup_ours  # noqa: E402


def main(jpegs, tmp, sz, build_cache):
    weights = setup_ours(tmp)
    import torch
    learn = ours_learner(fresh_copy(jpegs, tmp) if build_cache else jpegs, precompute=True, sz=sz)
    from lesson_kit.precompute import _folded, _to
    xb, _ = next(iter(learn.data.val_dl))
    with torch.inference_mode(): _folded(learn.features)(_to(xb, learn.device))   # warm-up, as the bound's side does
    t0 = time.perf_counter()
    acts = learn._activations() if build_cache else learn._compute_activations()
    elapsed = time.perf_counter() - t0
    if build_cache and not learn._cache_file().exists(): sys.exit('the activation cache was not saved')
    n = len(acts['trn']) + len(acts['val'])
    print()
    print(json.dumps({'value': n / elapsed, 'images': n, 'seconds': elapsed, 'sz': sz, 'weights': weights,
                      'threads': torch.get_num_threads(), 'build_cache': build_cache}))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp'); p.add_argument('--sz', type=int, default=128)
    p.add_argument('--build-cache', action='store_true')
    a = p.parse_args()
    main(a.jpegs, a.tmp, a.sz, a.build_cache)
