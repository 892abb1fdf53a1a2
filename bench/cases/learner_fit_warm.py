"""`fit(0.01, 2)` again after a restart (activation cache on disk reused) against fastai 2.8's frozen fit."""
DESCRIPTION = ('The lesson\'s three lines at 128 px, ResNet34, when the activation cache already exists (as after a '
               'kernel restart): lesson_kit `from_paths` + `ConvLearner.pretrained(..., precompute=True)` + '
               '`fit(0.01, 2)` vs fastai 2.8 `vision_learner(dls, resnet34).fit_one_cycle(2)`; seconds.')
UNIT = 's'
HIGHER_IS_BETTER = False
TARGET = 30.0
PEER = 'fastai 2.8'
PAIRS = 5
TIMEOUT = 900
NOTE = ('fastai has no activation cache, so its side is the same as in learner_fit. Target 30 from issue #9: the '
        'same call after a kernel restart (cache reused) at least 30× faster than fastai\'s frozen fit.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'learner_fit_ours.py', ctx.jpegs, ctx.tmp, '--warm'],
            [ctx.peer_python, sides / 'learner_fit_peer.py', ctx.jpegs, ctx.tmp])
