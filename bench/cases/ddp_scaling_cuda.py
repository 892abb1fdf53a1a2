"""Data-parallel scaling on a GPU machine: `fit(devices='all')` against `fit()` on one GPU."""
DESCRIPTION = ('Unfrozen ResNet34 at 224 px, batch size 64 per GPU, on the `make_jpegs` GPU folder (2,000 + 500 '
               'JPEGs): lesson_kit `ConvLearner.pretrained(resnet34, data)` + `unfreeze()` + `fit(1e-3, 1, '
               "devices='all')` (one spawned worker per GPU, DistributedDataParallel over NCCL) vs the same fit in "
               'one process on one GPU; images/s over the epoch\'s training batches (the fit\'s own time, workers\' '
               'start-up excluded: rank 0 reports it through a hook).')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
NEEDS_CUDA = True
TARGET = None
PEER = 'one process, one GPU'
PAIRS = 2
TIMEOUT = 900
NOTE = ('Informational: the ratio is the speed-up of all the machine\'s GPUs over one (ideal: the number of GPUs); '
        'scaling efficiency = ratio / GPUs. Each GPU gets 64 images a step (the data is built with bs = 64 x GPUs), '
        'as data-parallel training is normally scaled. Decoding JPEGs on the CPU may bound both sides on machines '
        'with few cores per GPU.')


def commands(ctx):
    side, jpegs = ctx.root / 'bench' / 'sides' / 'ddp_scaling.py', ctx.gpu_jpegs
    return ([ctx.python, side, jpegs, ctx.tmp, '--devices', 'all'],
            [ctx.python, side, jpegs, ctx.tmp, '--devices', '1'])
