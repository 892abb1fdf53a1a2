"""One kernel edit in the kernel editor -> a new output picture, on a 512×512 colour photo with a 3×3 kernel.

    python bench/sides/kernel_edit.py editor [--edits N]   ->  {"value": median ms per edit, ...}
    python bench/sides/kernel_edit.py loop [--edits N]     ->  {"value": median ms per edit, ...}

`editor`: set the centre cell of a `KernelEditor` on the bundled astronaut photo, as typing a number and pressing
Enter does; the time covers parsing the cell, `apply_kernel`, `to_display`, the PNG encode, the widget update and
the pixel explanation. `loop`: the same edit done by the lesson's one-pixel-at-a-time `apply_kernel_loop`, then
`to_display` and the PNG encode. Warm-up edits are excluded; the value is the median over the timed edits.
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))   # measure the lesson_kit of this checkout

from lesson_kit.kernel_editor import KernelEditor, png_bytes  # noqa: E402
from lesson_kit.kernels import apply_kernel_loop, load_image, to_display  # noqa: E402


def time_editor(edits, warmup=3):
    "(wall, CPU) seconds of each of `edits` edits of the editor's centre cell."
    ed = KernelEditor('astronaut')
    assert ed.image.shape == (512, 512, 3) and ed.kernel.shape == (3, 3)
    times = []
    for i in range(warmup + edits):
        t0, c0 = time.perf_counter(), time.process_time()
        ed.cells[1][1].value = str(5 + i % 4)           # a new number each time: every edit changes the output
        if i >= warmup: times.append((time.perf_counter() - t0, time.process_time() - c0))
    return times


def time_loop(edits, warmup=1):
    "(wall, CPU) seconds of each of `edits` runs of the teaching loop plus display and PNG encode."
    img, tiny = load_image('astronaut'), load_image('astronaut', max_side=8)
    kernel = [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]
    for _ in range(warmup): png_bytes(to_display(apply_kernel_loop(tiny, kernel)))
    times = []
    for i in range(edits):
        kernel[1][1] = 5 + i % 4
        t0, c0 = time.perf_counter(), time.process_time()
        png_bytes(to_display(apply_kernel_loop(img, kernel)))
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    return times


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('impl', choices=['editor', 'loop'])
    p.add_argument('--edits', type=int, default=None, help='timed edits (default 40 for editor, 2 for loop)')
    args = p.parse_args()
    edits = args.edits or (40 if args.impl == 'editor' else 2)
    times = time_editor(edits) if args.impl == 'editor' else time_loop(edits)
    ms, cpu_ms = [w*1000 for w, _ in times], [c*1000 for _, c in times]
    # CPU time is printed too: on a busy machine the wall time includes waiting for a core.
    print(json.dumps({'value': statistics.median(ms), 'min_ms': min(ms), 'max_ms': max(ms),
                      'cpu_ms': statistics.median(cpu_ms), 'edits': edits, 'image': '512x512x3', 'kernel': '3x3'}))
