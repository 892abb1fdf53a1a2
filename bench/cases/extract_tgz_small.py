"""Extracting a 10,000-file tgz of tiny (1-8 KB) files: where per-file overhead shows most."""
DESCRIPTION = ('Extraction of a 10,000-file .tgz of 1-8 KB files (about 45 MB): `fetch(archive_path)` against '
               '`tar xzf`, as extract_tgz but with files a fifth of the size, so that the fixed cost per file '
               'dominates. Wall seconds, page cache warm.')
UNIT = 's'
HIGHER_IS_BETTER = False
TARGET = round(1 / 1.3, 3)
PEER = 'tar xzf'
NOTE = ('The same target as extract_tgz, applied to the worst case for an extractor written in Python, and not met: '
        'tar spends about 40 µs a file, nearly all of it creating the file in the kernel, while reading and checking '
        'a header with `tarfile` costs about 60 µs of Python before the writer thread creates the file. Measured '
        'with a quiet disk, that is about 1.2 s against 0.4-0.5 s for tar; the spread in the table comes from ext4 '
        'slowing file creation for minutes after the previous case deleted its files.')


def commands(ctx):
    side = ctx.root / 'bench' / 'sides' / 'extract_tgz.py'
    return ([ctx.python, side, 'ours', ctx.tmp, '--kb', '1-8'], [ctx.python, side, 'tar', ctx.tmp, '--kb', '1-8'])
