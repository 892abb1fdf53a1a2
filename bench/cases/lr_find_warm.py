"""`learn.lr_find()` with precompute=True once the activation cache exists, against fastai 2.8's `lr_find()`."""
DESCRIPTION = ('LR finder on the JPEG folder at 128 px, ResNet34, activation cache already built: lesson_kit\'s '
               'second `learn.lr_find()` (precompute=True) vs fastai 2.8 `vision_learner(dls, resnet34).lr_find()`; '
               'seconds.')
UNIT = 's'
HIGHER_IS_BETTER = False
TARGET = 100.0
PEER = 'fastai 2.8'
PAIRS = 3
TIMEOUT = 900
NOTE = ('Once the cache exists, lesson_kit\'s search trains a linear head on cached activations: no image is '
        'decoded and the body never runs. The peer number is the same fastai run as in the lr_find case (fastai '
        'has no cache). Same planted random weights on both sides when offline. The table\'s figure (2026-12-05) was '
        'measured with `--pairs 1`, one fastai run taking ~3 min.'
        ' Target 100 from issue #10: once the cache exists, at least 100× faster.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'lr_find_ours.py', ctx.jpegs, ctx.tmp, '--warm'],
            [ctx.peer_python, sides / 'lr_find_peer.py', ctx.jpegs, ctx.tmp])
