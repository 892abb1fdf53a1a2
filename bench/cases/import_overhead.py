"""Cold `import lesson_kit.all` against the `import torch, torchvision` it cannot avoid."""
DESCRIPTION = ('Wall time of `import lesson_kit.all` in a fresh process, against `import torch, torchvision` in the '
               'same venv: the overhead lesson_kit adds on top of the libraries it is built on.')
UNIT = 's'
HIGHER_IS_BETTER = False
TARGET = round(1 / 1.2, 3)
PEER = 'import torch, torchvision'
NOTE = ('Target from issue #9: `import lesson_kit.all` costs at most 1.2× `import torch, torchvision` '
        '(ratio ≥ 1/1.2).')


def commands(ctx):
    side = ctx.root / 'bench' / 'sides' / 'import_time.py'
    return ([ctx.python, side, 'import lesson_kit.all'], [ctx.python, side, 'import torch, torchvision'])
