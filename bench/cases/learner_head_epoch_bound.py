"""A `fit` epoch on cached activations against its own bound: the same head steps in a bare eager loop."""
DESCRIPTION = ('One epoch on the JPEG folder at 128 px, ResNet34, once the activation cache exists: lesson_kit '
               '`fit(0.01, 1)` with precompute=True (as in learner_head_epoch) vs the same head\'s forward, loss, '
               'backward and SGD step over the same cached training batches, then its forward pass over the cached '
               'validation ones, in a bare loop (bench/sides/learner_head_bound.py); train+valid images per second, '
               'median of 7 epochs each.')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 0.7
PEER = 'bare eager loop, same head steps'
PAIRS = 5
TIMEOUT = 600
NOTE = ('The bare loop is the least any eager PyTorch implementation of this epoch does; `fit` adds the checkpoint it '
        'writes after every epoch (so a crash loses at most one epoch: ~9 ms here for the head, its momentum and the '
        'schedule, half of it ext4 flushing the new file as it replaces the old one), the progress bar, the table, '
        'the learning-rate schedule and the NaN check. Target 0.7 (issue #21, this session): the measured ratio is '
        '0.880 (0.714-0.918, 5 pairs), at about its lowest pair: a 50 ms measurement swings ~20% between runs.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'learner_head_epoch_ours.py', ctx.jpegs, ctx.tmp],
            [ctx.python, sides / 'learner_head_bound.py', ctx.jpegs, ctx.tmp])
