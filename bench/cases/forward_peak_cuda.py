"""ResNet34 forward pass GFLOP/s on the GPU against its peak matmul GFLOP/s in the same dtype: a physical limit."""
DESCRIPTION = ('ResNet34 forward pass on the GPU (torchvision body, inference mode, channels_last, autocast in the '
               'learner\'s dtype (bfloat16 from CUDA capability 8.0, float16 below), '
               'batch 256 at 224 px, FLOPs counted by `torch.utils.flop_counter`), achieved GFLOP/s.')
UNIT = 'GFLOP/s'
HIGHER_IS_BETTER = True
NEEDS_CUDA = True
TARGET = 0.3
PEER = 'peak matmul (8192², same dtype)'
NOTE = ('A physical limit. Target 0.3 is a first estimate, not yet checked on a GPU: tensor cores reach their peak '
        'only on large GEMMs, while ResNet34 has 64-channel early layers, 7×7 maps late, and BatchNorm/ReLU/'
        'residual adds that are bound by memory bandwidth.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'forward_resnet34.py', '--device', 'cuda', '--bs', '256', '--sz', '224',
             '--reps', '10'],
            [ctx.python, sides / 'peak_matmul.py', '--device', 'cuda', '--n', '8192', '--reps', '20'])
