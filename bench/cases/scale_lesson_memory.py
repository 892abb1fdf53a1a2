"""The lesson's peak memory on 32,000 pictures against 2,000 pictures plus 1 KB for each extra picture."""
DESCRIPTION = ("Peak resident memory (getrusage's ru_maxrss) of the lesson's three lines in quick mode, as in "
               "`scale_lesson`, in a fresh process on 32,000 generated JPEGs vs the budget: the peak on 2,000 of them "
               "plus 1 KB for each of the 30,000 extra pictures; MiB.")
UNIT = 'MiB'
HIGHER_IS_BETTER = False
TARGET = 1.0
PEER = '2,000 images + 1 KB per extra image'
PAIRS = 1
TIMEOUT = 900
NOTE = ('Target from issue #20: at most 1 KB of memory per extra image, so an ImageNet-size folder (1.2 M pictures) '
        'fits in about 2 GB beyond the model; the ratio is >= 1 exactly when 32,000 pictures cost no more than that. '
        'Memory does not depend on the machine\'s load, unlike time. The curve (2,000 / 8,000 / 32,000 images, '
        '`python bench/sides/scale_lesson_curve.py`): [bench/scale_lesson.png](bench/scale_lesson.png). With the '
        'activation cache held in memory (4 KB an image in float32, up to three times while it was computed and '
        'saved): 906 / 936 / 1,262 MiB, 12.7 KB per extra image. Streamed to the cache file as it is computed and '
        'read back a batch at a time (2026-12-05): 877 / 884 / 910 MiB, 1.14 KB per extra image (least squares). '
        'What is left, from RSS checkpoints at 32,000 vs 2,000 pictures: `from_paths` ends 20 MiB higher, 18 MiB of '
        'it freed heap that glibc keeps (`malloc_trim(0)` hands it back; Python\'s own heap after from_paths is 1.2 '
        'MiB, measured with tracemalloc); the precompute pass peaks 16 MiB above where it ends (not found yet); the '
        'cache itself keeps 8 bytes an image in memory (the labels). The harness run of 2026-12-05 gave 0.85 KB per '
        'extra image in its warm-up pair (896 vs 871 MiB) and 1.38 in its measured pair (907 vs 867): about 1 KB, '
        'give or take a few MiB of heap from run to run.')


def commands(ctx):
    side = ctx.root / 'bench' / 'sides' / 'scale_lesson.py'
    return ([ctx.python, side, '32000', ctx.tmp, '--value', 'rss'],
            [ctx.python, side, '2000', ctx.tmp, '--value', 'rss', '--budget-kb', '1', '--budget-to', '32000'])
