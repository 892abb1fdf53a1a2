"""Extracting a 10,000-file tgz of tiny (1-8 KB) files: where per-file overhead shows most."""
DESCRIPTION = ('Extraction of a 10,000-file .tgz of 1-8 KB files (about 45 MB): `fetch(archive_path)` against '
               '`tar xzf`, as extract_tgz but with files a fifth of the size, so that the fixed cost per file '
               'dominates. Wall seconds, page cache warm.')
UNIT = 's'
HIGHER_IS_BETTER = False
TARGET = 0.32
PEER = 'tar xzf'
NOTE = ('A guarded row (issue #21): target 0.32 is the ratio measured with fetch as it is, 0.385 (5 pairs, 0.320-0.400), '
        'less its spread, so that a regression shows; the 1/1.3 of extract_tgz is out of reach for an extractor '
        'written in Python on files this small. tar spends about 40 µs a file, nearly all of it creating the file in '
        'the kernel; fetch\'s reading thread spends about 40 µs of CPU a member (16 µs of it decompressing) before its '
        'writer thread creates the file. bench/sides/extract_fast.py prototypes a reader that slices each 512-byte '
        'header itself (checksum, GNU long names, the same path checks and background writer; links and pax headers '
        'go to tarfile): on 2026-12-04, at load average 7 on 2 cores, it cut the reading thread\'s CPU from about 40 to '
        '23.5 µs a member (0.40 s to 0.24 s for the 10,000 members; `extract_fast.py parse`: min of 4 runs, process '
        'time, no files written; decompressing alone is 15 µs), and extracted files identical to tar\'s. Wall times at that load were too noisy to give a ratio; '
        'the proposal for nbs/02_fetch.ipynb and its wall-clock ratio wait for a quiet machine.')


def commands(ctx):
    side = ctx.root / 'bench' / 'sides' / 'extract_tgz.py'
    return ([ctx.python, side, 'ours', ctx.tmp, '--kb', '1-8'], [ctx.python, side, 'tar', ctx.tmp, '--kb', '1-8'])
