"""Unfrozen training against its own bound: the learner's own training step on a batch already in memory."""
DESCRIPTION = ('Unfrozen training on the JPEG folder at 128 px, ResNet34, batch size 64: lesson_kit `unfreeze()` + '
               '`fit(1e-3, 1)` (as in learner_unfrozen: loading, augmenting, forward, backward, step) vs the same '
               'learner\'s training step repeated on one batch already loaded (bench/sides/learner_unfrozen_bound.py); '
               'images/s over 4 batches after 1 warm-up batch.')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 0.9
PEER = 'same step, batch in memory'
PAIRS = 3
TIMEOUT = 600
NOTE = ('The step on a batch in memory is what the fit would reach if loading its images cost nothing; loading them '
        'alone takes ~0.1 s a batch of 64 here (the bound side reports it), against ~2.5 s for the step, on the same '
        '2 cores. Target 0.9 (issue #21, this session): the loop may lose at most a tenth to loading; trial runs '
        'measured 0.95-1.05, i.e. loading is hidden.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'learner_unfrozen_ours.py', ctx.jpegs, ctx.tmp],
            [ctx.python, sides / 'learner_unfrozen_bound.py', ctx.jpegs, ctx.tmp])
