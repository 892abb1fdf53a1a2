"""`make lesson`: run every notebook in nbs/lessons/ (or those named: `run_lessons.py lesson1`) headless, offline, on
the bundled sample; write out/.

Each lesson is executed in a real Jupyter kernel (as a learner's would be), saved as out/NAME.ipynb, and
rendered to out/NAME.html. A cell that raises stops the run with the lesson's name and the error.

The saved copies show what a learner reading them needs, and nothing else: `#| hide` cells (the lessons' own checks)
run but are left out, empty outputs (what a closed inner progress bar leaves) are dropped, a widget (which needs a
running kernel; the lessons show a still picture next to it) becomes a line saying so, `?`/`??` help is kept without
its colour codes, and plots are saved at a modest resolution. The lessons get a fresh data folder, out/data.
"""
import os
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import CellExecutionError, ExecutePreprocessor

ROOT = Path(__file__).resolve().parent.parent
LESSONS, OUT = ROOT / 'nbs' / 'lessons', ROOT / 'out'
WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json'
ANSI = re.compile(r'\x1b\[[0-9;]*m')   # terminal colour codes, shown as garbage outside a terminal
PLOT_DPI = 72   # matplotlib's default is 100; saved plots stay small, so the notebooks diff well


def _error_outputs(nb):
    "Every error output left in `nb`, as (cell index, error name)."
    return [(i, o.get('ename')) for i, c in enumerate(nb.cells) if c.cell_type == 'code'
            for o in c.get('outputs', []) if o.get('output_type') == 'error']


def keep_pager_output(cell, cell_index, execute_reply):
    "Save what `?name` and `??name` show (a pager payload, not an output) as the cell's output, as JupyterLab shows it."
    for payload in execute_reply.get('content', {}).get('payload', []):
        if payload.get('source') == 'page':
            data = {k: ANSI.sub('', v) if k == 'text/plain' else v for k, v in payload['data'].items()}
            cell.outputs.append(nbformat.v4.new_output('display_data', data=data))


def _is_hidden(cell):
    "True for a code cell marked `#| hide`: it runs, but a reader of the lesson is not meant to see it."
    return cell.cell_type == 'code' and any(re.match(r'#\|\s*hide\s*$', line.strip())
                                            for line in cell.source.splitlines())


def _is_empty(output):
    "True for a display that shows nothing: what a progress bar closed without a final line leaves behind."
    if output.get('output_type') != 'display_data': return False
    return not any(''.join(v) if isinstance(v, list) else v for v in output.get('data', {}).values())


WIDGET_NOTE = ('[An interactive widget: it shows and works only while the notebook runs in Jupyter. '
               'Run the notebook to use it.]')


def _widgets_as_text(nb):
    "Replace each widget in `nb`'s outputs with a line saying it needs a running kernel; drop the saved widget state."
    for c in nb.cells:
        for o in c.get('outputs', []):
            if WIDGET_VIEW in o.get('data', {}): o['data'] = {'text/plain': WIDGET_NOTE}
    nb.metadata.pop('widgets', None)   # megabytes (images, closed progress bars) that only a live kernel could use


def for_readers(nb):
    "`nb` as the saved lesson shows it: hidden cells left out, empty outputs dropped, widgets as a line of text."
    nb.cells = [c for c in nb.cells if not _is_hidden(c)]
    for c in nb.cells:
        if c.cell_type == 'code': c.outputs = [o for o in c.outputs if not _is_empty(o)]
    _widgets_as_text(nb)
    return nb


def _modest_plots():
    "A matplotlibrc for the lessons' kernels, setting the saved plots' resolution; returns its folder."
    d = OUT / '.matplotlib'
    d.mkdir(parents=True, exist_ok=True)
    (d / 'matplotlibrc').write_text(f'figure.dpi: {PLOT_DPI}\n')
    return d


def fresh_data_home():
    "Point the lessons at a data folder of their own, out/data, emptied first, so nothing of an earlier run shows."
    if os.environ.get('LESSON_KIT_HOME'): return Path(os.environ['LESSON_KIT_HOME'])   # the caller chose one
    home = OUT / 'data'
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    os.environ['LESSON_KIT_HOME'] = str(home)
    return home


def run_lesson(path):
    "Execute the notebook at `path` in its own folder; write the executed notebook and its HTML to out/."
    nb = nbformat.read(path, as_version=4)
    ep = ExecutePreprocessor(timeout=1800, kernel_name='python3')
    print(f'{path.name}: running every cell in a Jupyter kernel...', flush=True)
    ep.on_cell_executed = keep_pager_output
    start, ran = time.time(), False
    try:
        ep.preprocess(nb, {'metadata': {'path': str(path.parent)}})
        ran = True
    finally:
        errors = _error_outputs(nb)
        if ran: nb = for_readers(nb)   # after a failure the saved copy keeps everything, the failed check included
        nbformat.write(nb, OUT / path.name)
        (OUT / path.with_suffix('.html').name).write_text(HTMLExporter().from_notebook_node(nb)[0], encoding='utf-8')
    if errors: raise RuntimeError(f'{path.name}: error outputs in cells {errors}')
    print(f'{path.name}: ok in {time.time() - start:.0f} s -> out/{path.stem}.ipynb, out/{path.stem}.html')


def main():
    OUT.mkdir(exist_ok=True)
    # Offline and quick: the embedded sample dataset, small sizes, few epochs (the lessons announce it).
    os.environ.setdefault('LESSON_KIT_OFFLINE', '1')
    os.environ.setdefault('LESSON_KIT_DATASET', 'sample')
    os.environ.setdefault('LESSON_KIT_QUICK', '1')
    os.environ.setdefault('MATPLOTLIBRC', str(_modest_plots()))
    print(f'Data folder for this run: {fresh_data_home()}')
    lessons = [LESSONS / f'{name}.ipynb' for name in sys.argv[1:]] or sorted(LESSONS.glob('*.ipynb'))
    if not lessons: sys.exit(f'no lesson notebooks found in {LESSONS}')
    try:
        for path in lessons: run_lesson(path)
    except CellExecutionError as e:
        sys.exit(f'A lesson failed; the executed notebook up to the error is in out/.\n{e}')


if __name__ == '__main__':
    main()
