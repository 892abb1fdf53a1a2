"""`make lesson`: run every notebook in nbs/lessons/ (or those named: `run_lessons.py lesson1`) headless, offline, on the
bundled sample; write out/.

Each lesson is executed in a real Jupyter kernel (as a learner's would be), saved as out/NAME.ipynb, and
rendered to out/NAME.html. A cell that raises stops the run with the lesson's name and the error.
"""
import os
import sys
import time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import CellExecutionError, ExecutePreprocessor

ROOT = Path(__file__).resolve().parent.parent
LESSONS, OUT = ROOT / 'nbs' / 'lessons', ROOT / 'out'


def _error_outputs(nb):
    "Every error output left in `nb`, as (cell index, error name)."
    return [(i, o.get('ename')) for i, c in enumerate(nb.cells) if c.cell_type == 'code'
            for o in c.get('outputs', []) if o.get('output_type') == 'error']


def keep_pager_output(cell, cell_index, execute_reply):
    "Save what `?name` and `??name` show (a pager payload, not an output) as the cell's output, as JupyterLab shows it."
    for payload in execute_reply.get('content', {}).get('payload', []):
        if payload.get('source') == 'page':
            cell.outputs.append(nbformat.v4.new_output('display_data', data=payload['data']))


def run_lesson(path):
    "Execute the notebook at `path` in its own folder; write the executed notebook and its HTML to out/."
    nb = nbformat.read(path, as_version=4)
    ep = ExecutePreprocessor(timeout=1800, kernel_name='python3')
    print(f'{path.name}: running every cell in a Jupyter kernel...', flush=True)
    ep.on_cell_executed = keep_pager_output
    start = time.time()
    try: ep.preprocess(nb, {'metadata': {'path': str(path.parent)}})
    finally:
        nbformat.write(nb, OUT / path.name)
        (OUT / path.with_suffix('.html').name).write_text(HTMLExporter().from_notebook_node(nb)[0], encoding='utf-8')
    errors = _error_outputs(nb)
    if errors: raise RuntimeError(f'{path.name}: error outputs in cells {errors}')
    print(f'{path.name}: ok in {time.time() - start:.0f} s -> out/{path.stem}.ipynb, out/{path.stem}.html')


def main():
    OUT.mkdir(exist_ok=True)
    # Offline and quick: the embedded sample dataset, small sizes, few epochs (the lessons announce it).
    os.environ.setdefault('LESSON_KIT_OFFLINE', '1')
    os.environ.setdefault('LESSON_KIT_DATASET', 'sample')
    os.environ.setdefault('LESSON_KIT_QUICK', '1')
    lessons = [LESSONS / f'{name}.ipynb' for name in sys.argv[1:]] or sorted(LESSONS.glob('*.ipynb'))
    if not lessons: sys.exit(f'no lesson notebooks found in {LESSONS}')
    try:
        for path in lessons: run_lesson(path)
    except CellExecutionError as e:
        sys.exit(f'A lesson failed; the executed notebook up to the error is in out/.\n{e}')


if __name__ == '__main__':
    main()
