"""Download a 200 MB file from a local HTTP server: lesson_kit's `fetch` (hashing as it goes) or `curl -o`.

Usage: fetch_download.py {ours,curl} SCRATCH_DIR [--mb 200]
A server process (stdlib `http.server`, bodies sent with `sendfile`) serves the file on 127.0.0.1 for both
sides. One warm-up download (not timed)
puts the served file in the page cache; the timed one prints `{"value": MB/s}` as the last line.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def served_file(scratch, mb):
    "A file of `mb` MB of noise under `scratch/served`, made once and reused."
    path = scratch/'served'/f'noise{mb}.bin'
    if not path.exists() or path.stat().st_size != mb*10**6:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix('.tmp')
        with open(tmp, 'wb') as f:
            for _ in range(mb): f.write(os.urandom(10**6))
        os.replace(tmp, path)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def serve(folder, port):
    "Serve `folder` on 127.0.0.1:`port`, sending file bodies with `sendfile` (zero-copy, as nginx does)."
    import http.server

    class Handler(http.server.SimpleHTTPRequestHandler):
        def copyfile(self, source, outputfile):
            self.wfile.flush()
            self.connection.sendfile(source)

        def log_message(self, *args): pass

    handler = lambda *a, **kw: Handler(*a, directory=str(folder), **kw)  # noqa: E731
    http.server.ThreadingHTTPServer(('127.0.0.1', port), handler).serve_forever()


def start_server(folder):
    "A server process for `folder` (this script's `serve` mode); returns (process, port)."
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, 'serve', str(folder), '--port', str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=0.1): return proc, port
        except OSError: time.sleep(0.05)
    proc.kill()
    raise RuntimeError('the local http.server did not start')


def download_ours(url, out):
    sys.path.insert(0, str(ROOT))
    from lesson_kit.fetch import fetch
    fetch(url, out, extract=False, progress=False)


def download_curl(url, out):
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(['curl', '-s', '-S', '-f', '-o', str(out/'file.bin'), url], check=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('tool', choices=['ours', 'curl', 'serve'])
    p.add_argument('scratch', type=Path, help='scratch folder (for serve: the folder to serve)')
    p.add_argument('--mb', type=int, default=200)
    p.add_argument('--port', type=int, default=0)
    args = p.parse_args()
    if args.tool == 'serve': return serve(args.scratch, args.port)
    src = served_file(args.scratch/'fetch_download', args.mb)
    download = download_ours if args.tool == 'ours' else download_curl
    proc, port = start_server(src.parent)
    try:
        url = f'http://127.0.0.1:{port}/{src.name}'
        results = []
        for i in range(2):  # warm-up, then the timed run
            out = args.scratch/'fetch_download'/f'out_{args.tool}_{os.getpid()}_{i}'
            t = time.perf_counter()
            download(url, out)
            results.append(time.perf_counter() - t)
            shutil.rmtree(out)
    finally: proc.kill(); proc.wait()
    print(json.dumps({'value': args.mb / results[-1]}))


if __name__ == '__main__': main()
