"""The precompute pass against its own bound: the folded body's forward pass alone, on the same batches."""
DESCRIPTION = ('Precompute pass on the JPEG folder at 128 px, ResNet34: lesson_kit building its activation cache from '
               'scratch (as in learner_precompute_vs_fastai: decode, resize, body forward, gather, save) vs the '
               'folded body\'s forward pass alone over the same train+valid batches, decoded into memory beforehand '
               '(bench/sides/learner_body_forward.py); images/s.')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 0.9
PEER = 'folded body, forward only'
PAIRS = 3
TIMEOUT = 600
NOTE = ('Target 0.9 from issue #21: the body\'s forward pass is the part no implementation of the pass can avoid, '
        'and earlier closing notes (quoted in issue #21) measured the whole pass at ~94% of it on this machine '
        '(convolutions at ~117 GFLOP/s, above a plain 2048² matmul). Falling below 0.9 means decoding, the loader '
        'or the cache bookkeeping have started to cost time the body does not.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'learner_precompute_ours.py', ctx.jpegs, ctx.tmp, '--build-cache'],
            [ctx.python, sides / 'learner_body_forward.py', ctx.jpegs, ctx.tmp])
