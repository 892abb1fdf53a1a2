"""The lesson's `data.resize(int(sz*1.3))` trick: training loader throughput after resizing against before."""
DESCRIPTION = ('Training DataLoader at sz=224, 0 workers, bs 64: reading the copy made by '
               '`data.resize(int(224*1.3))` (made once, not timed) vs reading the original ~375x500 JPEGs.')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 3.0
PEER = 'lesson_kit without resize'
NOTE = ('The copy\'s 291 px JPEGs decode and resize in a fraction of the time of the originals; at 375x500 the '
        'originals are not much larger, so the gain here is smaller than on full-size photos.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    resized = ctx.tmp / 'resized'
    return ([ctx.python, sides / 'data_loader.py', ctx.jpegs, '--workers', '0', '--resize', '291', '--tmp', resized],
            [ctx.python, sides / 'data_loader.py', ctx.jpegs, '--workers', '0'])
