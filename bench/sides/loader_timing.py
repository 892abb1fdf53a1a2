"""Loader throughput, measured the same way for lesson_kit and its peer (imports neither library)."""
import argparse
import os
import time


def loader_parser():
    "The command line both loader sides take: `PATH [--sz 224] [--bs 64] [--workers 0] [--epochs 2]`."
    p = argparse.ArgumentParser()
    p.add_argument('path')
    p.add_argument('--sz', type=int, default=224)
    p.add_argument('--bs', type=int, default=64)
    p.add_argument('--workers', type=int, default=0)
    p.add_argument('--epochs', type=int, default=1 if os.environ.get('BENCH_QUICK') else 2)
    return p


def images_per_s(dl, epochs, to=None, sync=None):
    "Images per second over `epochs` passes through `dl` after a warm-up pass, and this process's CPU ms per image."
    def run():
        n = 0
        for xb, _ in dl:
            if to is not None: xb = xb.to(to, non_blocking=True)
            n += len(xb)
        if sync is not None: sync()  # GPU work is asynchronous: wait for it before reading the clock
        return n
    run()
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    for _ in range(epochs): n += run()
    return n / (time.perf_counter() - t0), (time.process_time() - c0) * 1000 / n
