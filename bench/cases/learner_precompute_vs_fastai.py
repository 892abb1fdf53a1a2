"""The precompute pass (cache built from scratch) against a fastai 2.8 frozen epoch, both in images/s."""
DESCRIPTION = ('Precompute pass on the JPEG folder at 128 px, ResNet34: lesson_kit `ConvLearner.pretrained(resnet34, '
               'data, precompute=True)` building its activation cache from scratch (train+valid images: decode, '
               'resize, body forward, save) vs the images/s of a fastai 2.8 frozen epoch '
               '(`vision_learner(dls, resnet34).fit_one_cycle(1)`, train+valid images); images/s.')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 2.3
PEER = 'fastai 2.8'
PAIRS = 3
TIMEOUT = 600
NOTE = ("What the lesson's first fit costs per image: lesson_kit runs the frozen body once per image, forward only; "
        "fastai's frozen epoch runs it forward and, since its batchnorm layers stay trainable, backward. Both load "
        'the same planted random ResNet34 weights when offline. 3 pairs because a fastai epoch takes tens of seconds. '
        'Target 2.3 from issue #21, down from 2.5: the folded ResNet34 body alone runs at 46-50 images/s on this '
        'machine and the whole pass at ~94% of that (see learner_precompute_bound), so against fastai\'s 16-21 '
        'images/s the ratio cannot exceed ~2.6; 2.3 leaves room for the spread of three pairs.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'learner_precompute_ours.py', ctx.jpegs, ctx.tmp, '--build-cache'],
            [ctx.peer_python, sides / 'learner_frozen_epoch_peer.py', ctx.jpegs, ctx.tmp])
