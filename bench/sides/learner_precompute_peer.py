"""Plain torchvision inference of the same ResNet34 body over the same JPEGs, in images/s: the precompute peer.

    python bench/sides/learner_precompute_peer.py JPEGS TMP   ->   {"value": images per second}

What a careful person would write by hand: `ImageFolder` with Resize(128) + CenterCrop + ToTensor + Normalize, a
`DataLoader` (batch 64, the same number of workers lesson_kit picks on this machine), the torchvision body
(`children()[:-2]`) in `inference_mode`. Both memory layouts are timed (each after a warm-up batch) and the better
one is reported, so lesson_kit is compared with the best plain code, not the default.
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


def _workers():
    n = os.cpu_count() or 1
    return 0 if n <= 4 else min(n - 1, 8)   # lesson_kit.data's rule


def run(body, dls, channels_last):
    import torch
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    body = body.to(memory_format=fmt)
    xb, _ = next(iter(dls[1]))
    with torch.inference_mode(): body(xb.contiguous(memory_format=fmt))   # warm-up
    t0, n = time.perf_counter(), 0
    with torch.inference_mode():
        for dl in dls:
            for xb, _ in dl:
                body(xb.contiguous(memory_format=fmt)); n += len(xb)
    return n / (time.perf_counter() - t0), n


def main(jpegs, tmp, sz):
    weights = ensure_resnet34_weights(tmp)
    import torch
    import torchvision
    from torchvision import transforms as T
    tfm = T.Compose([T.Resize(sz), T.CenterCrop(sz), T.ToTensor(),
                     T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    dls = [torch.utils.data.DataLoader(torchvision.datasets.ImageFolder(Path(jpegs) / s, tfm), batch_size=64,
                                       num_workers=_workers()) for s in ('train', 'valid')]
    m = torchvision.models.resnet34(weights=torchvision.models.ResNet34_Weights.IMAGENET1K_V1)
    body = torch.nn.Sequential(*list(m.children())[:-2]).eval()
    res = {cl: run(body, dls, cl) for cl in (False, True)}
    best = max(res, key=lambda k: res[k][0])
    print()
    print(json.dumps({'value': res[best][0], 'images': res[best][1], 'best_layout': 'channels_last' if best
                      else 'contiguous', 'contiguous': res[False][0], 'channels_last': res[True][0],
                      'weights': weights}))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp'); p.add_argument('--sz', type=int, default=128)
    a = p.parse_args()
    main(a.jpegs, a.tmp, a.sz)
