"""The lesson's `fit(0.01, 2)` with precompute, cache build included, against fastai 2.8's frozen fit_one_cycle(2)."""
DESCRIPTION = ('First training on the JPEG folder at 128 px, ResNet34: lesson_kit `ConvLearner.pretrained(resnet34, '
               'data, precompute=True).fit(0.01, 2)` on a fresh folder (activation cache built inside the timing) vs '
               'fastai 2.8 `vision_learner(dls, resnet34).fit_one_cycle(2)` (frozen); seconds from building the data '
               'to the end of training.')
UNIT = 's'
HIGHER_IS_BETTER = False
TARGET = 3.5
PEER = 'fastai 2.8'
PAIRS = 5
TIMEOUT = 900
NOTE = ('precompute=True runs the frozen body once per image (no backward pass, no second epoch through it); '
        "fastai's frozen fit still runs the whole network forward and, because its batchnorm layers stay "
        'trainable, backward, every epoch. Both sides load the same planted ResNet34 weights when offline.'
        " Target 3.5 from issue #9: `fit(0.01, 2)` end to end, cache building included, at least 3.5× faster than "
        "fastai's frozen `fit_one_cycle(2)`.")


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'learner_fit_ours.py', ctx.jpegs, ctx.tmp],
            [ctx.peer_python, sides / 'learner_fit_peer.py', ctx.jpegs, ctx.tmp])
