"""The precompute pass against its own bound: the folded body's forward pass alone, on the same batches."""
DESCRIPTION = ('Precompute pass on the JPEG folder at 128 px, ResNet34: lesson_kit building its activation cache from '
               'scratch (as in learner_precompute_vs_fastai: decode, resize, body forward, gather, save) vs the '
               'folded body\'s forward pass alone over the same train+valid batches, decoded into memory beforehand '
               '(bench/sides/learner_body_forward.py); images/s.')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 0.9
PEER = 'folded body, forward only'
PAIRS = 5
TIMEOUT = 600
NOTE = ("Target 0.9 from issue #21: the body's forward pass is the part no implementation of the pass can avoid. "
        'Both sides warm their folded body up on one batch first (oneDNN builds its kernels for each new layer '
        'shape on first use: ~0.3 s that a pass in a fresh process pays once). What the pass adds on the quiet '
        "machine (2026-12-05): decoding and resizing, 1.05 ms an image on one core (~4% of the pass's CPU time), "
        "the weights' hash (68 ms), folding (46 ms) and the width probe (45 ms) (~2.5%), normalising and the "
        'cache file (~1%). 5 pairs because the bound side alone varies by ~±2% from run to run (medians '
        '83.6-87.2).')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'learner_precompute_ours.py', ctx.jpegs, ctx.tmp, '--build-cache'],
            [ctx.python, sides / 'learner_body_forward.py', ctx.jpegs, ctx.tmp])
