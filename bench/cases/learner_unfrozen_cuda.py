"""Unfrozen training on the GPU at the lesson's 224 px: lesson_kit against fastai 2.8 with `to_fp16()`."""
DESCRIPTION = ('Unfrozen training on a GPU, ResNet34 at 224 px, batch size 64, on 2,000 + 500 generated JPEGs '
               '(`make_jpegs` GPU folder): lesson_kit `ConvLearner.pretrained(resnet34, data)` + `unfreeze()` + '
               '`fit(1e-3, 1)` (its own mixed precision: bfloat16 from CUDA capability 8.0, float16 with a gradient '
               'scaler below) vs fastai 2.8 `vision_learner(dls, resnet34).to_fp16()` + `unfreeze()` + '
               '`fit(1, 1e-3)`; images/s over 20 training batches after 3 warm-up batches, the GPU synchronised at '
               'each batch (loading, forward, backward and optimiser step).')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
NEEDS_CUDA = True
TARGET = 1.0
PEER = 'fastai 2.8, to_fp16()'
PAIRS = 2
TIMEOUT = 300
NOTE = ('Target 1.0 from issue #9: on a GPU, ResNet34 at 224 px unfrozen, images/s at least fastai\'s with `to_fp16()` '
        'on the same GPU (issue #21 asks for both figures side by side). Both decode JPEGs on the CPU, so on a GPU '
        'machine with few cores the loader, not the GPU, may set both rates.')


def commands(ctx):
    sides, jpegs = ctx.root / 'bench' / 'sides', ctx.gpu_jpegs
    args = [jpegs, ctx.tmp, '--sz', '224', '--warmup', '3', '--batches', '20']
    return ([ctx.python, sides / 'learner_unfrozen_ours.py', *args],
            [ctx.peer_python, sides / 'learner_unfrozen_peer.py', *args, '--fp16'])
