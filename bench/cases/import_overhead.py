"""Cold `import lesson_kit.all` against the `import torch, torchvision` it cannot avoid."""
DESCRIPTION = ('Wall time of `import lesson_kit.all` in a fresh process, against `import torch, torchvision` in the '
               'same venv: the overhead lesson_kit adds on top of the libraries it is built on.')
UNIT = 's'
HIGHER_IS_BETTER = False
TARGET = round(1 / 1.2, 3)
PEER = 'import torch, torchvision'
NOTE = ('Target from issue #9: `import lesson_kit.all` costs at most 1.2× `import torch, torchvision` '
        '(ratio ≥ 1/1.2). matplotlib and its pyplot (`plt`) load at their first use (about 0.6 s here, see '
        'nbs/11_all.ipynb) and ipywidgets when a kernel editor is built; in a notebook `%lesson_setup` turns on '
        'inline plots and so loads pyplot in that cell: there the time moves, it does not disappear. Measured in one '
        'process, lesson_kit adds about 0.1 s after torch and torchvision; fresh-process import times vary by ±20% '
        'here, which is why the ratio can exceed 1.')


def commands(ctx):
    side = ctx.root / 'bench' / 'sides' / 'import_time.py'
    return ([ctx.python, side, 'import lesson_kit.all'], [ctx.python, side, 'import torch, torchvision'])
