"""Extracting a 10,000-file tgz with lesson_kit's checked extraction, against `tar xzf`."""
DESCRIPTION = ('Extraction of a 10,000-file .tgz (100 folders of 100 files of 1-8 KB, about 45 MB): '
               '`fetch(archive_path)` (member checks, temporary folder, rename into place, marker) against '
               '`tar xzf`. Wall seconds, page cache warm.')
UNIT = 's'
HIGHER_IS_BETTER = False
TARGET = round(1 / 1.3, 3)
PEER = 'tar xzf'
NOTE = 'Target from issue #4: within 1.3× the time of `tar xzf` (ratio ≥ 1/1.3).'


def commands(ctx):
    side = ctx.root / 'bench' / 'sides' / 'extract_tgz.py'
    return ([ctx.python, side, 'ours', ctx.tmp], [ctx.python, side, 'tar', ctx.tmp])
