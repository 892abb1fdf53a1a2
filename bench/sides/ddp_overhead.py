"""Unfrozen ResNet34 training at 128 px on the CPU: N gloo processes (lesson_kit.distributed.launch) or one process.

    python bench/sides/ddp_overhead.py --procs 2 [--threads 1] [--warmup 1] [--batches 4]   ->   {"value": images/s}

Every step trains on a global batch of 64 random 128 px images (each of N processes takes 64/N), BatchNorm in
training mode with per-process statistics, SGD with momentum: the network and the optimiser as `fit` runs them after
`unfreeze()`, without the JPEG loader, so the ratio shows what the distributed machinery (spawned processes, DDP's
gradient all-reduce over gloo) costs on the same cores. Rank 0 times `--batches` steps after `--warmup` ones, between
two barriers.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
import torch.nn.functional as F  # noqa: E402

BS, SZ = 64, 128


def train(rank, world_size, warmup, batches):
    "Train `warmup` + `batches` steps; returns images/s over the last `batches` (measured on rank 0)."
    from torchvision.models import resnet34

    from lesson_kit.distributed import ddp
    torch.manual_seed(rank)
    model = ddp(resnet34(num_classes=2).to(memory_format=torch.channels_last))
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    x = torch.randn(BS // world_size, 3, SZ, SZ).contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 2, (BS // world_size,))
    model.train()
    for i in range(warmup + batches):
        if i == warmup:
            if dist.is_initialized(): dist.barrier()
            t0 = time.perf_counter()
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
    if dist.is_initialized(): dist.barrier()
    return dict(value=BS * batches / (time.perf_counter() - t0), threads=torch.get_num_threads(), procs=world_size)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--procs', type=int, default=2); p.add_argument('--threads', type=int, default=None)
    p.add_argument('--warmup', type=int, default=1); p.add_argument('--batches', type=int, default=4)
    a = p.parse_args()
    if a.procs == 1:
        torch.set_num_threads(a.threads or torch.get_num_threads())
        result = train(0, 1, a.warmup, a.batches)
    else:
        from lesson_kit.distributed import launch
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import ddp_overhead  # by its module name, so the spawned workers can import `train`
        result = launch(ddp_overhead.train, a.warmup, a.batches, nprocs=a.procs, backend='gloo', threads=a.threads)
    print(json.dumps(result))


if __name__ == '__main__':
    main()
