"""The `scale_lesson` curve: milliseconds per image and peak memory at several folder sizes, each in a fresh process.

    python bench/sides/scale_lesson_curve.py [--sizes 2000 8000 32000] [--label NAME]

Appends each size's figures under `--label` to bench/scale_lesson.json and redraws bench/scale_lesson.png (peak
resident memory and ms/image against the number of images, one line per label, the memory slope in KB per extra
image in the legend). Memory figures are steady from run to run; time figures follow the machine's load, which is
recorded with each run (`os.getloadavg()` before it).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[1]
RESULTS, PLOT = BENCH / 'scale_lesson.json', BENCH / 'scale_lesson.png'


def measure(n, tmp):
    "One fresh-process run of `scale_lesson.py` on `n` images: its JSON figures plus the load before it."
    load = os.getloadavg()[0]
    p = subprocess.run([sys.executable, str(BENCH / 'sides' / 'scale_lesson.py'), str(n), tmp],
                       capture_output=True, text=True, check=True)
    return dict(json.loads(p.stdout.strip().splitlines()[-1]), load=round(load, 2))


def slope_kb(runs):
    "Least-squares memory slope of `runs`, in KB per extra image."
    n, mib = np.array([r['images'] for r in runs]), np.array([r['peak_rss_mib'] for r in runs])
    return float(np.polyfit(n, mib, 1)[0] * 1024)


def plot(results, path=PLOT):
    "Peak memory and ms/image against images, one line per label."
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, (mem, ms) = plt.subplots(1, 2, figsize=(10, 4))
    for label, runs in results.items():
        runs = sorted(runs, key=lambda r: r['images'])
        n = [r['images'] for r in runs]
        mem.plot(n, [r['peak_rss_mib'] for r in runs], 'o-', label=f'{label}: {slope_kb(runs):.1f} KB per extra image')
        ms.plot(n, [r['ms_per_image'] for r in runs], 'o-', label=label)
    mem.set(xlabel='images', ylabel='peak RSS (MiB)', title='Peak memory'); mem.legend(fontsize=8)
    ms.set(xlabel='images', ylabel='ms per image', title='Time per image (noisy: shared machine)', ylim=(0, None))
    ms.legend(fontsize=8)
    fig.suptitle("The lesson's three lines, quick mode (resnet18, 64 px, precompute, fit(0.01, 2))")
    fig.tight_layout(); fig.savefig(path, dpi=90)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--sizes', type=int, nargs='+', default=[2000, 8000, 32000])
    p.add_argument('--label', default='lesson_kit')
    a = p.parse_args()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    with tempfile.TemporaryDirectory(prefix='scale_lesson-') as tmp:
        runs = [measure(n, tmp) for n in a.sizes]
    for r in runs: print(json.dumps(r), flush=True)
    results[a.label] = runs
    RESULTS.write_text(json.dumps(results, indent=1) + '\n')
    plot(results)
    growth = runs[-1]["ms_per_image"] / runs[0]["ms_per_image"]
    print(f'{a.label}: {slope_kb(runs):.2f} KB per extra image; ms/image {growth:.2f}x '
          f'at {runs[-1]["images"]} vs {runs[0]["images"]}')


if __name__ == '__main__':
    main()
