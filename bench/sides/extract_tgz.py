"""Extract a 10,000-file tgz: lesson_kit's `fetch(archive_path)` (checked, temp folder, rename) or `tar xzf`.

Usage: extract_tgz.py {ours,tar} SCRATCH_DIR [--files 10000]
The archive (100 folders of 100 files, 1-8 KB of noise each, like small JPEGs) is made once and reused.
One warm-up extraction (not timed), then the timed one prints `{"value": seconds}` as the last line.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def make_archive(scratch, n):
    "`scratch/dataset{n}.tgz` with `n` small files in folders of 100, made once."
    path = scratch/f'dataset{n}.tgz'
    if path.exists(): return path
    rng, tree = random.Random(0), scratch/'tree'
    shutil.rmtree(tree, ignore_errors=True)
    for i in range(n):
        f = tree/'dataset'/f'class{i // 100:03d}'/f'{i:05d}.jpg'
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(rng.randbytes(rng.randint(1000, 8000)))
    tmp = path.with_suffix('.tmp')
    with tarfile.open(tmp, 'w:gz', compresslevel=6) as t: t.add(tree/'dataset', 'dataset')
    os.replace(tmp, path)
    shutil.rmtree(tree)
    return path


def extract_ours(archive, out):
    sys.path.insert(0, str(ROOT))
    from lesson_kit.fetch import fetch
    fetch(archive, out, progress=False)


def extract_tar(archive, out):
    out.mkdir(parents=True)
    subprocess.run(['tar', 'xzf', str(archive), '-C', str(out)], check=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('tool', choices=['ours', 'tar'])
    p.add_argument('scratch', type=Path)
    p.add_argument('--files', type=int, default=10_000)
    args = p.parse_args()
    scratch = args.scratch/'extract_tgz'
    scratch.mkdir(parents=True, exist_ok=True)
    archive = make_archive(scratch, args.files)
    extract = extract_ours if args.tool == 'ours' else extract_tar
    times = []
    for i in range(2):  # warm-up, then the timed run
        out = scratch/f'out_{args.tool}_{os.getpid()}_{i}'
        t = time.perf_counter()
        extract(archive, out)
        times.append(time.perf_counter() - t)
        shutil.rmtree(out)
    print(json.dumps({'value': times[-1]}))


if __name__ == '__main__': main()
