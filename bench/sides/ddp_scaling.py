"""Images/s of an unfrozen ResNet34 fit at 224 px on one GPU or on all of them (`fit(devices='all')`).

    python bench/sides/ddp_scaling.py JPEGS TMP --devices all|1 [--sz 224] [--bs 64]   ->   {"value": images/s}

Each GPU takes `--bs` images a step (the data's batch size is `--bs` times the GPUs). A hook on rank 0 (the only
process with one GPU) times the epoch's training batches, from the end of the first to the end of the last, so the
workers' start-up, the first batch (cuDNN's search) and validation are not measured.
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import torch  # noqa: E402
from learner_common import fresh_copy, setup_ours  # noqa: E402

from lesson_kit.learner import Hook  # noqa: E402


class Clock(Hook):
    "Rank 0 writes the images/s of batches 1 to the last of epoch 0 to `path` (torch.cuda synchronised at both ends)."
    def __init__(self, path): self.path = str(path)
    def after_batch(self, f):
        from lesson_kit.distributed import is_main
        if not is_main() or f.epoch != 0 or f.i not in (0, f.n - 1): return
        torch.cuda.synchronize()
        if f.i == 0: self.t0 = time.perf_counter()
        else: Path(self.path).write_text(json.dumps(f.learn.data.bs * (f.n - 1) / (time.perf_counter() - self.t0)))


def main():
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument('jpegs'); p.add_argument('tmp'); p.add_argument('--devices', default='all')
    p.add_argument('--sz', type=int, default=224); p.add_argument('--bs', type=int, default=64)
    a = p.parse_args()
    import ddp_scaling  # by its module name, so the spawned workers can import `Clock`

    from lesson_kit.all import ConvLearner, ImageClassifierData, resnet34, tfms_from_model
    weights = setup_ours(Path(a.tmp))
    n = torch.cuda.device_count() if a.devices == 'all' else int(a.devices)
    data = ImageClassifierData.from_paths(fresh_copy(a.jpegs, Path(a.tmp)), bs=a.bs * n,
                                          tfms=tfms_from_model(resnet34, a.sz))
    learn = ConvLearner.pretrained(resnet34, data)
    learn.unfreeze()
    out = Path(a.tmp) / f'ddp_scaling_{a.devices}.json'
    learn.hooks = [ddp_scaling.Clock(out)]
    learn.fit(1e-3, 1, checkpoint=False, devices='all' if a.devices == 'all' else n)
    print(json.dumps(dict(value=json.loads(out.read_text()), gpus=n, weights=weights)))


if __name__ == '__main__':
    main()
