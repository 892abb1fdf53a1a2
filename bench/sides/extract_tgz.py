"""Extract a 10,000-file tgz: lesson_kit's `fetch(archive_path)` (checked, temp folder, rename) or `tar xzf`.

Usage: extract_tgz.py {ours,tar} SCRATCH_DIR [--files 10000] [--kb 10-35]
       extract_tgz.py cpu SCRATCH_DIR [--kb 1-8]   ->   CPU µs a member of each reader, no files written
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


class _NoWriter:
    "Stands in for fetch's `_Writer`: takes the members, writes nothing, so that only the reading is timed."
    def __enter__(self): return self
    def __exit__(self, *exc): pass
    def folder(self, path): pass
    def file(self, path, data, mode=0o644, mtime=None): pass
    def stream(self, path, f, mode=0o644, mtime=None): f.read()


def reader_costs(archive, runs=4):
    "Process CPU µs a member (min of `runs`): decompressing alone, fetch's reader, tarfile's reader; no files written."
    sys.path.insert(0, str(ROOT))
    import lesson_kit.fetch as lf
    lf._Writer = _NoWriter
    with tarfile.open(archive, 'r:gz') as t: members = len(t.getmembers())
    def gunzip():
        with open(archive, 'rb') as f:
            for _ in lf._gunzip(f): pass
    readers = {'gunzip': gunzip, 'fetch': lambda: lf._untar(archive, '/nonexistent', progress=False),
               'tarfile': lambda: lf._untar_tarfile(archive, '/nonexistent', lf._bar(None, '', False))}
    costs = {}
    for _ in range(runs):
        for name, read in readers.items():
            t = time.process_time(); read()
            costs[name] = min(costs.get(name, 1e9), (time.process_time() - t) * 1e6 / members)
    return {k: round(v, 1) for k, v in costs.items()}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('tool', choices=['ours', 'tar', 'cpu'])
    p.add_argument('scratch', type=Path)
    p.add_argument('--files', type=int, default=10_000)
    p.add_argument('--kb', default='10-35', help='file sizes, uniform between these KB')
    args = p.parse_args()
    lo, hi = map(int, args.kb.split('-'))
    scratch = args.scratch/'extract_tgz'
    scratch.mkdir(parents=True, exist_ok=True)
    archive = make_archive(scratch, args.files, lo, hi)
    if args.tool == 'cpu': return print(json.dumps(reader_costs(archive)))
    extract = extract_ours if args.tool == 'ours' else extract_tar
    times = []
    for i in range(2):  # warm-up, then the timed run
        out = scratch/f'out_{args.tool}_{os.getpid()}_{i}'
        t = time.perf_counter()
        extract(archive, out)
        times.append(time.perf_counter() - t)
    print(json.dumps({'value': times[-1]}))


if __name__ == '__main__': main()
