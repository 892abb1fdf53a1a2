"""Loopback download of a 200 MB file with hashing, against `curl -o` from the same local server."""
DESCRIPTION = ('Download of a 200 MB file from a local `python -m http.server` on 127.0.0.1: lesson_kit\'s '
               '`fetch(url, extract=False)` (streams to .part, computes sha256 and the first-MiB md5 on the fly, '
               'verifies, renames, writes its JSON record) against `curl -s -o`. MB/s, page cache warm.')
UNIT = 'MB/s'
HIGHER_IS_BETTER = True
TARGET = 0.8
PEER = 'curl'
NOTE = ('Target from issue #4: at least 0.8× the throughput of curl. Both sides read from the same single-threaded '
        'Python server, so on a small machine the server bounds both; the ratio measures what fetch adds.')


def commands(ctx):
    side = ctx.root / 'bench' / 'sides' / 'fetch_download.py'
    return ([ctx.python, side, 'ours', ctx.tmp], [ctx.python, side, 'curl', ctx.tmp])
