"""The lesson's three lines in quick mode on a folder of N generated JPEGs: milliseconds per image and peak memory.

    python bench/sides/scale_lesson.py N TMP [--value ms|rss] [--budget-kb 1 --budget-to 32000] [--stages]
        ->   {"value": ..., "ms_per_image": ..., "peak_rss_mib": ..., "images": N}

Runs, in this fresh process, what the lesson's quick mode runs (resnet18, 64 px, batch 64, random body weights as
offline, seed 42):

    data = ImageClassifierData.from_paths(PATH, bs=64, tfms=tfms_from_model(resnet18, 64))
    learn = ConvLearner.pretrained(resnet18, data, precompute=True, pretrained=False, seed=42)
    learn.fit(0.01, 2)

on a folder of N pictures (4/5 train, 1/5 valid, half cats, half dogs) linked from one generated 32,000-picture
folder (`scale_jpegs`), under a new folder in TMP so the activation cache starts empty, as on a learner's first run.
`--value ms` reports milliseconds per image over the three lines; `--value rss` the peak resident memory in MiB
(`getrusage`'s ru_maxrss), plus `--budget-kb` KB for each image between N and `--budget-to` when given (the memory a
run on `--budget-to` images may use if each extra image costs at most that much). `--stages` prints the resident
memory after each line to stderr.
"""
import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
ROOT = Path(__file__).resolve().parents[2]
sys.path.append(str(ROOT))   # after PYTHONPATH: a run can measure another copy of lesson_kit
FULL = 32000
FULL_DEST = ROOT / 'bench' / '.data' / f'scale_{FULL}'


def scale_jpegs(n, full=FULL_DEST):
    "A folder of `n` pictures (4/5 train, 1/5 valid) linked from the generated 32,000-picture folder, made once."
    from bench.make_jpegs import make_jpegs
    make_jpegs(full, n_train=FULL * 4 // 5, n_valid=FULL // 5)
    if n == FULL: return full
    dest = full.parent / f'scale_{n}'
    if (dest / 'done').exists(): return dest
    tmp = Path(tempfile.mkdtemp(prefix=f'.scale_{n}-', dir=full.parent))
    for split, k in (('train', n * 4 // 5), ('valid', n // 5)):
        for cls in ('cats', 'dogs'):
            (tmp / split / cls).mkdir(parents=True)
            for i in range(k // 2):
                name = f'{cls[:-1]}.{i}.jpg'
                (tmp / split / cls / name).symlink_to(full / split / cls / name)
    (tmp / 'done').write_text(str(n))
    os.replace(tmp, dest)
    return dest


def rss_mib():
    "Resident memory now, MiB."
    with open('/proc/self/statm') as f: return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20


def peak_mib():
    "Peak resident memory of this process so far, MiB (ru_maxrss is in KB on Linux)."
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(n, tmp, value='ms', budget_kb=None, budget_to=None, stages=False):
    jpegs = scale_jpegs(n)
    import lesson_kit  # noqa: F401  first, as the lesson's `%load_ext lesson_kit`
    os.environ['LESSON_KIT_HOME'] = tempfile.mkdtemp(prefix='lesson_kit_home-', dir=tmp)
    path = Path(tempfile.mkdtemp(prefix='scale_data-', dir=tmp))
    for split in ('train', 'valid'): (path / split).symlink_to(Path(jpegs).resolve() / split)
    import torch

    from lesson_kit.all import ConvLearner, ImageClassifierData, resnet18, tfms_from_model
    log = (lambda what: print(f'[{n}] {what}: rss {rss_mib():.0f} MiB, peak {peak_mib():.0f} MiB', file=sys.stderr)) \
        if stages else (lambda what: None)
    log('imports')
    t0 = time.perf_counter()
    data = ImageClassifierData.from_paths(path, bs=64, tfms=tfms_from_model(resnet18, 64))
    log('from_paths')
    learn = ConvLearner.pretrained(resnet18, data, precompute=True, pretrained=False, seed=42)
    log('pretrained')
    learn.fit(0.01, 2)
    seconds = time.perf_counter() - t0
    log('fit')
    images = len(data.trn_ds) + len(data.val_ds)
    out = dict(ms_per_image=1000 * seconds / images, peak_rss_mib=peak_mib(), images=images, seconds=seconds,
               threads=torch.get_num_threads())
    out['value'] = out['ms_per_image'] if value == 'ms' else out['peak_rss_mib']
    if value == 'rss' and budget_kb is not None: out['value'] += budget_kb * (budget_to - images) / 1024
    print()
    print(json.dumps(out))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('n', type=int); p.add_argument('tmp')
    p.add_argument('--value', choices=('ms', 'rss'), default='ms')
    p.add_argument('--budget-kb', type=float); p.add_argument('--budget-to', type=int)
    p.add_argument('--stages', action='store_true')
    a = p.parse_args()
    main(a.n, a.tmp, a.value, a.budget_kb, a.budget_to, a.stages)
