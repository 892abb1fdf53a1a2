"""The precompute pass (cache built from scratch) against a fastai 2.8 frozen epoch, both in images/s."""
DESCRIPTION = ('Precompute pass on the JPEG folder at 128 px, ResNet34: lesson_kit `ConvLearner.pretrained(resnet34, '
               'data, precompute=True)` building its activation cache from scratch (train+valid images: decode, '
               'resize, body forward, save) vs the images/s of a fastai 2.8 frozen epoch '
               '(`vision_learner(dls, resnet34).fit_one_cycle(1)`, train+valid images); images/s.')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 2.1
PEER = 'fastai 2.8'
PAIRS = 3
TIMEOUT = 600
NOTE = ("What the lesson's first fit costs per image: lesson_kit runs the frozen body once per image, forward only; "
        "fastai's frozen epoch runs it forward and, since its batchnorm layers stay trainable, backward. Both load "
        'the same planted random ResNet34 weights when offline, and each warms its network up on one batch first. '
        '3 pairs because a fastai epoch takes tens of seconds. Target 2.1 (issue #21, this session), down from '
        'issue #21\'s 2.3, which assumed a bound of ~2.6 measured on a loaded machine: on the quiet machine '
        '(2026-12-05) the folded body alone runs at 83.6-87.2 images/s (learner_precompute_bound\'s peer) against '
        'fastai\'s 34.4-35.8 (figures of neighbouring runs), a bound of 2.34-2.53, so 2.3 asks the pass for 91-98% '
        'of it. The pass gives 0.90-0.94 of it (learner_precompute_bound): decoding and resizing take 1.05 ms an '
        'image on one core (0.67 ms of it libjpeg-turbo), ~4% of the ~24 CPU-ms the body takes per image (12 ms '
        'wall on the two cores), the key hash, the folding and the width probe ~0.16 s (~2.5%), normalising and the '
        'file ~1%. So 2.3 is met only when the bound sits near the top of its range; 2.1 = 0.9 (the share '
        'learner_precompute_bound asks) x 2.34, the bound\'s low end. fastai\'s side warms its model with one '
        'eval-mode forward batch; its backward\'s first use falls inside its timing (~2% of its epoch if it costs '
        'what our forward\'s first use does).')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'learner_precompute_ours.py', ctx.jpegs, ctx.tmp, '--build-cache'],
            [ctx.peer_python, sides / 'learner_frozen_epoch_peer.py', ctx.jpegs, ctx.tmp])
