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
        'check_pixels read a 64 kB head then cut it down to each smaller file, which left glibc\'s heap in pieces: '
        'from_paths ended 14 MiB higher at 32,000 pictures (714 vs 700 MiB, 450 bytes a picture); reading exactly '
        'the bytes there are fixed it (2026-12-05). Five runs since, 2,000 / 8,000 / 32,000 images: 871 and 880 / '
        '887 / 899 and 893 MiB, 0.64 KB per extra image (least squares), pairs 0.96 and 0.45 KB. What is left is '
        'noise from the precompute pass: RSS sits flat through it and jumps 15-20 MiB now and then (about the '
        '16 MiB first-layer output of a batch), so a longer pass catches more jumps. With glibc\'s mmap threshold '
        'fixed (MALLOC_MMAP_THRESHOLD_=4194304, a diagnosis, not in the code) the peaks drop: 863 and 857 / 871 and '
        '879 MiB, 0.50 KB per extra image. One pair before the fix, the same day: 876 / 898 MiB (0.78 KB).')


def commands(ctx):
    side = ctx.root / 'bench' / 'sides' / 'scale_lesson.py'
    return ([ctx.python, side, '32000', ctx.tmp, '--value', 'rss'],
            [ctx.python, side, '2000', ctx.tmp, '--value', 'rss', '--budget-kb', '1', '--budget-to', '32000'])
