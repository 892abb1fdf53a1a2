"""`learn.lr_find()` with precompute=True, cache build included, against fastai 2.8's `lr_find()`."""
DESCRIPTION = ('LR finder on the JPEG folder at 128 px, ResNet34: lesson_kit `ConvLearner.pretrained(resnet34, '
               'data, precompute=True).lr_find()` from a fresh folder (activation cache built inside the timing) '
               "vs fastai 2.8 `vision_learner(dls, resnet34).lr_find()`; seconds, learner construction included.")
UNIT = 's'
HIGHER_IS_BETTER = False
TARGET = 10.0
PEER = 'fastai 2.8'
PAIRS = 3
TIMEOUT = 900
NOTE = ('The 2018 idea: with precompute=True only the new head trains, so the body runs once per image to fill '
        'the cache and the search itself is nearly free; fastai 2.8 runs the whole network forward and backward on '
        'every one of its ~100 iterations (202 s for 90 iterations measured on this machine). Without internet both '
        'sides load the same planted random ResNet34 weights (bench/sides/lr_find_weights.py): timing does not '
        'depend on weight values. 3 pairs because one fastai run takes minutes; the table\'s figure (2026-12-05) was '
        'measured with `--pairs 1`, one fastai run taking ~3 min.'
        " Target 10 from issue #10: with the cache build included, at least 10× faster than fastai 2.8's `lr_find()`.")


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'lr_find_ours.py', ctx.jpegs, ctx.tmp],
            [ctx.peer_python, sides / 'lr_find_peer.py', ctx.jpegs, ctx.tmp])
