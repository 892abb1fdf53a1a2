"""What data-parallel training costs on the CPU: 2 gloo processes x 1 thread against 1 process x 2 threads."""
DESCRIPTION = ('Unfrozen ResNet34 training at 128 px, global batch 64, on the CPU: `lesson_kit.distributed.launch` '
               'with 2 gloo processes of 1 thread each (DistributedDataParallel, 32 images per process) vs one '
               'process with 2 threads; images/s over 4 steps after 1 warm-up step (random images: the network, '
               'the gradient all-reduce and the optimiser, not the JPEG loader).')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 0.85
PEER = 'one process, 2 threads'
PAIRS = 3
TIMEOUT = 600
NOTE = ('Target from issue #20: the distributed machinery (spawned processes, the all-reduce of 21 M gradients over '
        'gloo each step) may cost at most 15% on the same cores. Both sides use the same 2 cores; on GPUs the same '
        'code scales across devices instead.')


def commands(ctx):
    side = ctx.root / 'bench' / 'sides' / 'ddp_overhead.py'
    return ([ctx.python, side, '--procs', '2', '--threads', '1'], [ctx.python, side, '--procs', '1', '--threads', '2'])
