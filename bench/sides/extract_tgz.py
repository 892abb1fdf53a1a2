"""Extract a 10,000-file tgz: lesson_kit's `fetch(archive_path)` (checked, temp folder, rename) or `tar xzf`.

Usage: extract_tgz.py {ours,tar} SCRATCH_DIR [--files 10000] [--kb 10-35]
The archive (folders of 100 files of random bytes, which compress like JPEGs: not at all) is written once,
straight from memory in GNU tar format as `tar czf` would write it, and reused.
One warm-up extraction (not timed), then the timed one prints `{"value": seconds}` as the last line.
Nothing is deleted here: on ext4, creating files within minutes of deleting thousands of others is several
times slower (the kernel skips recently freed inodes), which would swamp what is measured. The harness
removes the case's folder when the case is done.
"""
import argparse
import io
import json
import os
import random
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def make_archive(scratch, n, lo, hi):
    "`scratch/dataset{n}_{lo}-{hi}kb.tgz` with `n` files of `lo`-`hi` KB in folders of 100, made once."
    path = scratch/f'dataset{n}_{lo}-{hi}kb.tgz'
    if path.exists(): return path
    rng, mtime = random.Random(0), int(time.time())
    tmp = path.with_suffix('.tmp')
    with tarfile.open(tmp, 'w:gz', compresslevel=6, format=tarfile.GNU_FORMAT) as t:
        for i in range(n):
            if i % 100 == 0: add(t, f'dataset/class{i // 100:03d}', None, mtime)
            add(t, f'dataset/class{i // 100:03d}/{i:05d}.jpg', rng.randbytes(rng.randint(lo, hi) * 1000), mtime)
    os.replace(tmp, path)
    return path


def add(t, name, data, mtime):
    "Add a folder (`data` None) or a file member to the open tar `t`."
    m = tarfile.TarInfo(name)
    m.mtime, m.uname, m.gname = mtime, 'user', 'user'
    if data is None: m.type, m.mode = tarfile.DIRTYPE, 0o755
    else: m.size, m.mode = len(data), 0o644
    t.addfile(m, None if data is None else io.BytesIO(data))


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
    p.add_argument('--kb', default='10-35', help='file sizes, uniform between these KB')
    args = p.parse_args()
    lo, hi = map(int, args.kb.split('-'))
    scratch = args.scratch/'extract_tgz'
    scratch.mkdir(parents=True, exist_ok=True)
    archive = make_archive(scratch, args.files, lo, hi)
    extract = extract_ours if args.tool == 'ours' else extract_tar
    times = []
    for i in range(2):  # warm-up, then the timed run
        out = scratch/f'out_{args.tool}_{os.getpid()}_{i}'
        t = time.perf_counter()
        extract(archive, out)
        times.append(time.perf_counter() - t)
    print(json.dumps({'value': times[-1]}))


if __name__ == '__main__': main()
