"""Achieved GFLOP/s of a ResNet34 forward pass (inference mode, channels_last), FLOPs counted by torch.

    python bench/sides/forward_resnet34.py [--bs 8] [--sz 128] [--reps 8] [--device cpu|cuda]
    ->   {"value": GFLOP/s, ...}

FLOPs come from `torch.utils.flop_counter` (2 per multiply-add of convolutions and the linear layer; BatchNorm,
ReLU and pooling count none). Best of `reps` timed batches after two warm-up batches. On CUDA the pass runs
under autocast in the dtype lesson_kit's learner picks for the device (bench/sides/precision.py: bfloat16 from
capability 8.0, float16 below).
"""
import argparse
import contextlib
import json
import os
import time

import torch
from precision import amp_dtype
from torch.utils.flop_counter import FlopCounterMode
from torchvision.models import resnet34


def _sync(device):
    if device == 'cuda': torch.cuda.synchronize()


def forward_gflops(bs, sz, reps, device='cpu'):
    "Best GFLOP/s and images/s of ResNet34 forward passes on a `bs`×3×`sz`×`sz` batch on `device`."
    model = resnet34().eval().to(device, memory_format=torch.channels_last)
    xb = torch.randn(bs, 3, sz, sz, device=device).to(memory_format=torch.channels_last)
    dtype = amp_dtype(device) if device != 'cpu' else None
    amp = torch.autocast('cuda', dtype=dtype) if dtype is not None else contextlib.nullcontext()
    with torch.inference_mode(), amp:
        with FlopCounterMode(display=False) as counter: model(xb)
        model(xb)  # warm-up: oneDNN/cuDNN pick and build their kernels for these shapes
        best = float('inf')
        for _ in range(reps):
            _sync(device)
            t0 = time.perf_counter()
            model(xb)
            _sync(device)
            best = min(best, time.perf_counter() - t0)
    flops = counter.get_total_flops()
    return flops / best / 1e9, bs / best, flops / bs / 1e9


if __name__ == '__main__':
    quick = bool(os.environ.get('BENCH_QUICK'))
    p = argparse.ArgumentParser()
    p.add_argument('--device', default='cpu')
    p.add_argument('--bs', type=int, default=8)
    p.add_argument('--sz', type=int, default=128)
    p.add_argument('--reps', type=int, default=3 if quick else 8)
    a = p.parse_args()
    gflops, ips, per_image = forward_gflops(a.bs, a.sz, a.reps, a.device)
    print(json.dumps({'value': gflops, 'images_per_s': ips, 'gflop_per_image': per_image, 'bs': a.bs, 'sz': a.sz,
                      'device': a.device, 'amp_dtype': str(amp_dtype(a.device)) if a.device != 'cpu' else None}))
