"""Prototype for issue #21: tar extraction with less Python per member, measured against fetch's and `tar xzf`.

    python bench/sides/extract_fast.py {fast,ours,tar} SCRATCH [--files 10000] [--kb 1-8]   ->   {"value": seconds}
    python bench/sides/extract_fast.py parse SCRATCH   ->   CPU µs a member of each reader, no files written

fetch's `_untar` builds a `tarfile.TarInfo` and an `ExFileObject` per member and reads through `tarfile`'s stream
layer. `untar_fast` reads the decompressed stream in 1 MiB blocks and slices each 512-byte header itself (name,
mode, size, mtime, type, checksum checked as tarfile does), with the same safety checks (`_unsafe_path`) and the
same background writer (`_Writer`) as fetch. It handles what dataset archives hold: files, folders and GNU long
names; any other member type (links, pax headers, devices) hands the whole archive back to fetch's `_untar`.
Not part of lesson_kit: nbs/02_fetch.ipynb belongs to another change; this measures what the change would give.
"""
import argparse
import json
import os
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_tgz import ROOT, extract_tar, make_archive  # noqa: E402

BLOCK = 512


class _Unsupported(Exception):
    "A member type the prototype leaves to tarfile."


def _gunzip_blocks(path, chunk=1 << 20):
    "The decompressed bytes of the gzip file `path`, in pieces."
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with open(path, 'rb') as f:
        while data := f.read(chunk):
            out = d.decompress(data)
            if out: yield out
            while d.unused_data:                       # concatenated gzip members
                rest, d = d.unused_data, zlib.decompressobj(16 + zlib.MAX_WBITS)
                out = d.decompress(rest)
                if out: yield out
    if tail := d.flush(): yield tail


class _Stream:
    "Read exact byte counts from an iterator of byte pieces, with few copies."
    def __init__(self, pieces):
        self.pieces, self.buf, self.pos = pieces, b'', 0

    def read(self, n):
        if self.pos + n <= len(self.buf):
            self.pos += n
            return self.buf[self.pos - n:self.pos]
        parts, need = [self.buf[self.pos:]], n - (len(self.buf) - self.pos)
        while need > 0:
            piece = next(self.pieces, None)
            if piece is None: raise EOFError('unexpected end of the tar data')
            parts.append(piece); need -= len(piece)
        self.buf = b''.join(parts)
        self.pos = n
        return self.buf[:n]


def _octal(field):
    "The number in a tar header's octal `field` (NUL or space padded)."
    return int(field.split(b'\0', 1)[0].strip() or b'0', 8)


def _headers(stream):
    "(name, type, mode, size, mtime) of each member, its data read by the caller before the next."
    long_name = None
    while True:
        h = stream.read(BLOCK)
        if h.count(0) == BLOCK: return                # end-of-archive block
        chk = _octal(h[148:156])
        if chk != sum(h[:148]) + 256 + sum(h[156:]): raise zlib.error('bad tar header checksum')
        typ, size = h[156:157], _octal(h[124:136])
        if h[124] & 0x80: raise _Unsupported('base-256 size')
        name = long_name or (h[0:100].split(b'\0', 1)[0]).decode('utf-8', 'surrogateescape')
        if h[257:262] == b'ustar' and h[345] and not long_name:
            name = h[345:500].split(b'\0', 1)[0].decode('utf-8', 'surrogateescape') + '/' + name
        long_name = None
        if typ == b'L':
            long_name = stream.read(-(-size // BLOCK) * BLOCK)[:size].split(b'\0', 1)[0].decode(
                'utf-8', 'surrogateescape')
            continue
        if typ not in (b'0', b'\0', b'5', b'7'): raise _Unsupported(f'member type {typ!r}')
        yield name, typ, _octal(h[100:108]), size, _octal(h[136:148])


def untar_fast(archive, dest):
    "Unpack the gzipped tar `archive` into `dest` with fetch's checks and writer, slicing headers directly."
    from lesson_kit.fetch import _BATCH_BYTES, _file_mode, _unsafe, _unsafe_path, _Writer
    stream = _Stream(_gunzip_blocks(archive))
    join, file_mode = os.path.join, _file_mode
    with _Writer() as w:
        for name, typ, mode, size, mtime in _headers(stream):
            if _unsafe_path(name): raise _unsafe(Path(archive), name, 'has an absolute path or `..`')
            path = join(dest, name)
            if typ == b'5': w.folder(path); continue
            if size > _BATCH_BYTES: raise _Unsupported('big member')
            data = stream.read(-(-size // BLOCK) * BLOCK)[:size] if size else b''
            w.file(path, data, file_mode(mode), mtime)


def extract_fast(archive, out):
    "The prototype in fetch's frame: a temporary folder, renamed into place when complete."
    sys.path.insert(0, str(ROOT))
    tmp = out.with_name(out.name + '.part')
    try: untar_fast(archive, tmp)
    except _Unsupported:
        import shutil
        from lesson_kit.fetch import _untar
        shutil.rmtree(tmp, ignore_errors=True)
        _untar(archive, tmp, progress=False)
    os.replace(tmp, out)


def extract_ours(archive, out):
    sys.path.insert(0, str(ROOT))
    from lesson_kit.fetch import fetch
    fetch(archive, out, progress=False)


class _NoWriter:
    "Stands in for fetch's `_Writer`: takes the members, writes nothing, so only the reading is timed."
    def __enter__(self): return self
    def __exit__(self, *exc): pass
    def folder(self, path): pass
    def file(self, path, data, mode=0o644, mtime=None): pass
    def stream(self, path, f, mode=0o644, mtime=None): f.read()


def parse_costs(archive, runs=4):
    "Process CPU µs a member (min of `runs`) of: decompressing alone, fetch's `_untar`, `untar_fast`; no files written."
    import lesson_kit.fetch as fetch_module
    fetch_module._Writer = _NoWriter
    stream, members = _Stream(_gunzip_blocks(archive)), 0
    for *_, size, _mtime in _headers(stream):
        members += 1
        stream.read(-(-size // BLOCK) * BLOCK)
    def gunzip():
        for _ in _gunzip_blocks(archive): pass
    readers = {'gunzip': gunzip, 'fetch': lambda: fetch_module._untar(archive, '/nonexistent', progress=False),
               'prototype': lambda: untar_fast(archive, '/nonexistent')}
    costs = {}
    for _ in range(runs):
        for name, read in readers.items():
            t = time.process_time(); read()
            costs[name] = min(costs.get(name, 1e9), (time.process_time() - t) * 1e6 / members)
    return costs


def main():
    p = argparse.ArgumentParser()
    p.add_argument('tool', choices=['fast', 'ours', 'tar', 'parse'])
    p.add_argument('scratch', type=Path)
    p.add_argument('--files', type=int, default=10_000)
    p.add_argument('--kb', default='1-8')
    args = p.parse_args()
    lo, hi = map(int, args.kb.split('-'))
    scratch = args.scratch/'extract_tgz'
    scratch.mkdir(parents=True, exist_ok=True)
    archive = make_archive(scratch, args.files, lo, hi)
    if args.tool == 'parse':
        sys.path.insert(0, str(ROOT))
        print(json.dumps({k: round(v, 1) for k, v in parse_costs(archive).items()}))
        return
    extract = {'fast': extract_fast, 'ours': extract_ours, 'tar': extract_tar}[args.tool]
    times = []
    for i in range(2):  # warm-up, then the timed run
        out = scratch/f'out_{args.tool}_{os.getpid()}_{i}'
        t = time.perf_counter()
        extract(archive, out)
        times.append(time.perf_counter() - t)
    print(json.dumps({'value': times[-1]}))


if __name__ == '__main__': main()
