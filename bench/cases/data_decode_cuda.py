"""JPEG decoding on the GPU (nvJPEG, `decode_device='cuda'`) against the default CPU threads, both delivering GPU
batches."""
DESCRIPTION = ('Training DataLoader at sz=224, 0 workers, bs 64, ~375x500 JPEGs, every batch delivered on the GPU: '
               "`from_paths(PATH, tfms=tfms_from_model(arch, 224), decode_device='cuda')` (nvJPEG, then resize, crop "
               'and normalise on the GPU) vs the default loader (libjpeg-turbo on the CPU threads), its batches moved '
               'to the GPU; images/s over 2 epochs after a warm-up epoch.')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
NEEDS_CUDA = True
TARGET = 1.0
PEER = 'lesson_kit, CPU decoding'
NOTE = ('Issue #8 asks for the option and its measurement against CPU decoding, not for a ratio; target 1.0 says the '
        'option must not be slower where it is offered. The CPU side uses as many decoding threads as the machine '
        'has cores (at most 4), so on a GPU machine with many cores the CPU is a strong peer; the gain is largest on '
        '2-core VMs such as Colab.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    loader = [ctx.python, sides / 'data_loader.py', ctx.jpegs, '--workers', '0']
    return ([*loader, '--decode-device', 'cuda', '--to', 'cuda'], [*loader, '--to', 'cuda'])
