"""ResNet34 forward pass GFLOP/s against this machine's peak fp32 matmul GFLOP/s: a physical-limit case."""
DESCRIPTION = ('ResNet34 forward pass (torchvision body as lesson_kit runs it: inference mode, channels_last, '
               'batch 8 at 128 px, FLOPs counted by `torch.utils.flop_counter`), achieved GFLOP/s, best of 8 '
               'batches. Batch 8 (19 GFLOP) matches one 2048² matmul (17 GFLOP), so both sides take their best '
               'over equally long windows; on 2 threads batch 32 reaches the same rate.')
UNIT = 'GFLOP/s'
HIGHER_IS_BETTER = True
TARGET = 0.7
PEER = 'peak fp32 matmul (2048², best of MKL and oneDNN)'
NOTE = ('A physical limit, so the ratio is below 1 by nature. Target 0.7: the 3×3 convolutions are GEMMs in '
        'disguise, but the 7×7 stem, the 4×4 feature maps of the last stage and BatchNorm/ReLU/pooling/'
        'residual adds (memory traffic that counts no FLOPs) cost time; losing more than 30% means layout '
        'conversions or framework overhead are eating the machine.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'forward_resnet34.py'], [ctx.python, sides / 'peak_matmul.py'])
