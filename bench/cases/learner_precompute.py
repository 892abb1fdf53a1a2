"""The precompute pass (ResNet34 body over every image once) against plain torchvision inference of that body."""
DESCRIPTION = ('Precompute pass on the JPEG folder at 128 px, ResNet34: lesson_kit `ConvLearner.pretrained(resnet34, '
               'data, precompute=True)` computing the body activations of all train+valid images (decode, resize, '
               'forward) vs a hand-written torchvision ImageFolder/DataLoader/inference_mode loop over the same body '
               'in its better memory layout; images/s.')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 0.9
PEER = 'torchvision (hand-written)'
NOTE = ('Target 0.9 from issue #9: caching adds bookkeeping (hashing the weights, gathering outputs), and the peer '
        'reports whichever layout was faster in its own run. Both sides load the same planted ResNet34 weights when '
        'offline.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'learner_precompute_ours.py', ctx.jpegs, ctx.tmp],
            [ctx.python, sides / 'learner_precompute_peer.py', ctx.jpegs, ctx.tmp])
