"""Cold `import lesson_kit.all` against fastai's `from fastai.vision.all import *`."""
DESCRIPTION = ('Wall time of `import lesson_kit.all` in a fresh process, against `from fastai.vision.all import *` '
               '(fastai 2.8 in the peer venv): what a learner waits for at every kernel start.')
UNIT = 's'
HIGHER_IS_BETTER = False
TARGET = 1.4
PEER = 'fastai 2.8'
NOTE = ('Target 1.4 follows from issue #9: lesson_kit may cost at most 1.2× `import torch, torchvision` '
        '(case `import_overhead`), and fastai\'s `vision.all` was measured at 1.7× that; 1.7 / 1.2 ≈ 1.4.')


def commands(ctx):
    side = ctx.root / 'bench' / 'sides' / 'import_time.py'
    return ([ctx.python, side, 'import lesson_kit.all'], [ctx.peer_python, side, 'from fastai.vision.all import *'])
