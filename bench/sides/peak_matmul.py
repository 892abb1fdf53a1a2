"""This machine's peak matmul rate: the physical limit a forward pass is compared with.

    python bench/sides/peak_matmul.py [--n 2048] [--reps 10] [--device cpu|cuda]   ->   {"value": GFLOP/s, ...}

Best of `reps` timed n×n @ n×n products after warm-up (the best run is the one least disturbed by other load).
On the CPU, fp32 on both of torch's GEMM engines: `torch.mm` (MKL or OpenBLAS) and oneDNN (the same product
written as a 1×1 convolution in channels_last, the engine the forward pass's convolutions use); the faster one is
the peak (on AMD CPUs MKL can leave speed on the table that oneDNN gets). On CUDA, bf16 `torch.mm`.
"""
import argparse
import json
import os
import time

import torch
import torch.nn.functional as F


def _best_time(fn, reps, warmup, sync=lambda: None):
    "Shortest of `reps` timed calls of `fn` after `warmup` untimed ones."
    for _ in range(warmup): fn()
    best = float('inf')
    for _ in range(reps):
        sync()
        t0 = time.perf_counter()
        fn()
        sync()
        best = min(best, time.perf_counter() - t0)
    return best


def cpu_peak(n, reps, warmup=2):
    "Best GFLOP/s of fp32 `n`×`n` matmuls, per engine: {'mm': ..., 'onednn': ...}."
    a, b = torch.randn(n, n), torch.randn(n, n)
    out = torch.empty(n, n)
    x = a.T.reshape(1, n, 1, n).contiguous(memory_format=torch.channels_last)  # n pixels × n channels
    w = b.T.reshape(n, n, 1, 1).contiguous(memory_format=torch.channels_last)
    with torch.inference_mode():
        times = {'mm': _best_time(lambda: torch.mm(a, b, out=out), reps, warmup),
                 'onednn': _best_time(lambda: F.conv2d(x, w), reps, warmup)}
    return {k: 2 * n**3 / t / 1e9 for k, t in times.items()}


def cuda_peak(n, reps, warmup=5):
    "Best GFLOP/s of `n`×`n` matmuls on the GPU in the learner's autocast dtype: {'mm_bfloat16': ...}."
    from precision import amp_dtype
    dtype = amp_dtype('cuda')
    a, b = (torch.randn(n, n, device='cuda', dtype=dtype) for _ in range(2))
    out = torch.empty(n, n, device='cuda', dtype=dtype)
    t = _best_time(lambda: torch.mm(a, b, out=out), reps, warmup, torch.cuda.synchronize)
    return {f'mm_{str(dtype).split(".")[-1]}': 2 * n**3 / t / 1e9}


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--device', default='cpu')
    p.add_argument('--n', type=int, default=2048)
    p.add_argument('--reps', type=int, default=5 if os.environ.get('BENCH_QUICK') else 10)
    a = p.parse_args()
    rates = cuda_peak(a.n, a.reps) if a.device == 'cuda' else cpu_peak(a.n, a.reps)
    print(json.dumps({'value': max(rates.values()), **rates, 'n': a.n, 'device': a.device,
                      'threads': torch.get_num_threads()}))
