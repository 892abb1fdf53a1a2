"""One `fit` epoch on cached activations against a fastai 2.8 frozen epoch, both in images/s."""
DESCRIPTION = ('One epoch on the JPEG folder at 128 px, ResNet34, once the activation cache exists: lesson_kit '
               '`fit(0.01, 1)` with precompute=True (the head trains on cached train activations and is validated '
               'on cached valid ones; the cache is built by a first fit before the timing) vs a fastai 2.8 frozen '
               'epoch (`vision_learner(dls, resnet34).fit_one_cycle(1)`); train+valid images per second.')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 500.0
PEER = 'fastai 2.8'
PAIRS = 3
TIMEOUT = 600
NOTE = ('With the cache, an epoch is a few small matrix products over 512-wide activations (plus the checkpoint '
        "write `fit` does after each epoch); fastai has no cache, so its epoch runs the whole network. Both load the "
        'same planted random ResNet34 weights when offline. 3 pairs because a fastai epoch takes tens of seconds.'
        ' Target 500 from issue #9: a `fit` epoch on cached activations at least 500× faster than a fastai frozen '
        'epoch.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'learner_head_epoch_ours.py', ctx.jpegs, ctx.tmp],
            [ctx.peer_python, sides / 'learner_frozen_epoch_peer.py', ctx.jpegs, ctx.tmp])
