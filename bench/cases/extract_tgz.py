"""Extracting a 10,000-file tgz of dogscats-sized pictures with lesson_kit's checked extraction, against `tar xzf`."""
DESCRIPTION = ('Extraction of a 10,000-file .tgz (100 folders of 100 files of 10-35 KB, about 225 MB, the size '
               'of the JPEGs in dogscats.tgz, which averages 21 KB a file): `fetch(archive_path)` (member checks, '
               'temporary folder, rename into place, marker) against `tar xzf`. Wall seconds, page cache warm.')
UNIT = 's'
HIGHER_IS_BETTER = False
TARGET = round(1 / 1.3, 3)
PEER = 'tar xzf'
NOTE = ('Target from issue #4: within 1.3× the time of `tar xzf` (ratio ≥ 1/1.3). The archive is written in GNU '
        'tar format, one header per member, as `tar czf` writes the course archives. No files are deleted during '
        'the case: ext4 creates files several times slower for minutes after thousands were deleted (earlier '
        'runs of this case measured that, for both sides). See `extract_tgz_small` for tiny files.')


def commands(ctx):
    side = ctx.root / 'bench' / 'sides' / 'extract_tgz.py'
    return ([ctx.python, side, 'ours', ctx.tmp], [ctx.python, side, 'tar', ctx.tmp])
