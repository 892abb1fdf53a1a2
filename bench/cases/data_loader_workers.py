"""Training loader throughput at 224 px with 2 DataLoader worker processes: lesson_kit against fastai 2.8."""
DESCRIPTION = ('Training DataLoader at sz=224, 2 workers, bs 64, ~375x500 JPEGs, as data_loader but with '
               '`num_workers=2` on both sides; each timed epoch includes starting its workers where the library '
               'restarts them (fastai does; lesson_kit keeps them alive between epochs).')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 2.0
PEER = 'fastai 2.8'
NOTE = "Target 2 from issue #8: with 2 workers at least 2× fastai's."


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'data_loader.py', ctx.jpegs, '--workers', '2'],
            [ctx.peer_python, sides / 'data_loader_fastai.py', ctx.jpegs, '--workers', '2'])
