"""The lesson's `data.resize(int(sz*1.3))` trick: training loader throughput after resizing against before."""
DESCRIPTION = ('Training DataLoader at sz=224, 0 workers, bs 64: reading the copy made by '
               '`data.resize(int(224*1.3))` (made once, not timed) vs reading the original ~375x500 JPEGs.')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 3.0
PEER = 'lesson_kit without resize'
NOTE = ('Target 3 is met on full-size photos (1000x1333 JPEGs: 182 vs 62 images/s measured on 2 cores) but not '
        'on ~375x500 ones: the 291 px copy has 0.6x the pixels of the original, so decoding plus resizing it costs '
        'about half as much (2.2 vs 4.1 ms a picture), about 1.2-1.8x in images/s.')


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    resized = ctx.tmp / 'resized'
    return ([ctx.python, sides / 'data_loader.py', ctx.jpegs, '--workers', '0', '--resize', '291', '--tmp', resized],
            [ctx.python, sides / 'data_loader.py', ctx.jpegs, '--workers', '0'])
