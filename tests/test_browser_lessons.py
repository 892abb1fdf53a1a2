"""The lessons as a learner sees them: run through JupyterLab's UI in Debian's Chromium, driven by Playwright.

`nbdev_test` runs the lessons in a headless kernel where widgets and HTML tables are never drawn. Here they run
offline on the embedded sample in quick mode, and the checks are about what is on the screen, not about the
lessons' wording: no errors, progress bars drawn and full, one table row per epoch, the plots and image grids there,
and the kernel editor answering clicks. Screenshots of the key views land in out/screenshots/ for people to look at.

`LESSON_KIT_LESSONS=DIR` runs the tests on the lessons in DIR instead of nbs/lessons (e.g. a copy broken on purpose,
to see the tests fail).
"""
import ast
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from playwright.sync_api import TimeoutError as PlaywrightTimeout

LESSONS = Path(os.environ.get('LESSON_KIT_LESSONS') or ROOT/'nbs'/'lessons')
# Offline, on the embedded sample, small images and few epochs; no bytecode written into the repo by the kernels.
LESSON_ENV = {'LESSON_KIT_DATASET': 'sample', 'LESSON_KIT_QUICK': '1', 'PYTHONDONTWRITEBYTECODE': '1'}
LESSON1_TIMEOUT = 600            # seconds for every cell of lesson 1: it trains for real, on CPU
METRICS = ['epoch', 'trn_loss', 'val_loss', 'accuracy']


@pytest.fixture
def lesson_dir(tmp_path):
    "A scratch copy of the lesson notebooks: whatever they write stays out of the repo."
    d = tmp_path/'lessons'
    d.mkdir()
    for nb in LESSONS.glob('*.ipynb'): shutil.copy(nb, d)
    return d


def _run_lesson(lesson_dir, name, lab_factory, open_notebook, timeout):
    "Start a lab on `lesson_dir` with the lesson settings, open lesson `name` and run all its cells."
    assert (lesson_dir/name).exists(), f'{name} not found in {LESSONS}'
    nb = open_notebook(lab_factory(lesson_dir, env=LESSON_ENV), name, timeout=90)
    try: nb.run_all(timeout=timeout)
    except AssertionError:
        nb.screenshot(f'{Path(name).stem}_failed')
        raise
    return nb


# --- reading what a cell shows

def _progress_bars(nb, i):
    "The progress bars in cell `i`: live widgets (bar width, style classes, text) and finished ones (their final line)."
    live = nb.cell(i).locator('.jp-OutputArea-output').evaluate_all('''outs => outs
        .filter(o => !o.closest('.lm-mod-hidden'))
        .flatMap(o => [...o.querySelectorAll('.widget-hprogress, .widget-progress, progress')])
        .map(p => { const bar = p.querySelector('.progress-bar');
                    const row = p.closest('.widget-hbox') || p.parentElement;
                    return {width: bar ? bar.style.width : (p.max ? `${100 * p.value / p.max}%` : ''),
                            classes: bar ? bar.className : '', text: row.textContent}; })''')
    # A closed bar leaves its last line as text, e.g. "epoch: 100%|██████████| 3/3 [00:01<00:00, 2.1it/s]".
    lines = nb.cell(i).locator('.jp-OutputArea-output pre').all_text_contents()
    done = [{'width': f"{m.group(1)}%", 'classes': '', 'text': t} for t in lines
            for m in [re.match(r'^[^\n|]*?(\d+)%\|', t.strip())] if m]
    return live + done


def _tables(nb, i):
    "The HTML tables in cell `i`'s outputs, as lists of rows (the header row first)."
    return nb.cell(i).locator('.jp-OutputArea-output table').evaluate_all(
        'ts => ts.map(t => [...t.rows].map(r => [...r.cells].map(c => c.textContent.trim())))')


def _images(nb, i):
    "The natural (width, height) of every picture in cell `i`'s outputs; (0, 0) for one that did not decode."
    return nb.cell(i).locator('.jp-OutputArea-output img').evaluate_all(
        'ims => ims.map(e => [e.naturalWidth, e.naturalHeight])')


def _wait_images(nb, timeout=30_000):
    "Wait until every picture in the notebook's outputs has finished loading."
    nb.page.wait_for_function("() => [...document.querySelectorAll('.jp-OutputArea-output img')]"
                              ".every(e => e.complete)", timeout=timeout)


def _n_epochs(call):
    "Epochs run by a `fit(lrs, n_cycle, cycle_len=None, cycle_mult=1)` call node; None if not literal."
    try:
        n = ast.literal_eval(call.args[1]) if len(call.args) > 1 else None
        kw = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg in ('cycle_len', 'cycle_mult')}
    except ValueError: return None
    if not isinstance(n, int): return None
    if kw.get('cycle_len') is None: return n
    return kw['cycle_len'] * sum(kw.get('cycle_mult', 1)**c for c in range(n))


def _fit_calls(source):
    "Expected epoch counts of the `.fit(...)` calls in a cell's `source`, in order (IPython magics dropped)."
    code = '\n'.join(line for line in source.splitlines() if not line.lstrip().startswith(('%', '!')))
    try: tree = ast.parse(code)
    except SyntaxError: return []
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr == 'fit']
    return [_n_epochs(c) for c in sorted(calls, key=lambda c: (c.lineno, c.col_offset))]


def _shown(nb, i):
    "The text of cell `i`'s outputs, for failure messages."
    return repr(nb.cell(i).locator('.jp-OutputArea').text_content()[:300])


def _widget_cells_rendered(nb, cells):
    "Problems with widget outputs not drawn as widgets (a closed widget, like a finished inner bar, is hidden)."
    problems = []
    for i, c in enumerate(cells):
        kinds = ['application/vnd.jupyter.widget-view+json' in o.get('data', {}) for o in c.get('outputs', [])]
        if not any(kinds): continue
        drawn = nb.cell(i).locator('.jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output').evaluate_all(
            "outs => outs.map(o => o.classList.contains('lm-mod-hidden') ? 'closed'"
            " : (o.querySelector('.jupyter-widgets') ? 'widget' : 'other'))")
        if len(drawn) != len(kinds):
            problems.append(f'cell {i}: {len(kinds)} outputs in the notebook but {len(drawn)} on the page')
        bad = [k for k, (w, d) in enumerate(zip(kinds, drawn)) if w and d == 'other']
        if bad: problems.append(f'cell {i}: widget outputs {bad} not drawn as widgets; shown: {_shown(nb, i)}')
    return problems


# --- Lesson 1: Dogs vs Cats

def _check_training(nb, i, source):
    "Problems with training cell `i`: a full progress bar and a metrics table of one row per epoch for each fit."
    problems, expected = [], _fit_calls(source)
    bars = _progress_bars(nb, i)
    if len(bars) < len(expected):
        problems.append(f'cell {i}: {len(expected)} fit calls but {len(bars)} progress bars drawn: {bars}')
    for b in bars:
        if b['width'] != '100%' or 'danger' in b['classes'] or '100%' not in b['text']:
            problems.append(f'cell {i}: a progress bar did not reach 100%: {b}')
    tables = [t for t in _tables(nb, i) if t and all(m in t[0] for m in METRICS)]
    if len(tables) != len(expected):
        problems.append(f'cell {i}: {len(expected)} fit calls but {len(tables)} metrics tables with columns '
                        f'{METRICS}: {_tables(nb, i)}')
    for n, t in zip(expected, tables):
        rows, col = t[1:], t[0].index('epoch')
        if n is not None and len(rows) != n:
            problems.append(f'cell {i}: expected {n} epoch rows in the metrics table, found {len(rows)}: {t}')
        epochs = [r[col] for r in rows]
        if not rows or any(not e.isdigit() for e in epochs) or \
                [int(e) for e in epochs] != list(range(int(epochs[0]), int(epochs[0]) + len(rows))):
            problems.append(f'cell {i}: the epoch column is not consecutive whole numbers: {epochs}')
    return problems


def _check_pictures(nb, cells, text, what, empty_ok=None):
    "Problems if a code cell whose source contains `text` shows no decoded picture (`what` names it)."
    idx = [i for i, c in enumerate(cells) if c['cell_type'] == 'code' and text in c['source']]
    if not idx: return [f'no cell calls {text!r}: cannot check the {what}']
    problems, drawn = [], 0
    for i in idx:
        ims = _images(nb, i)
        if ims and all(w and h for w, h in ims): drawn += 1; continue
        # A grid with nothing to show (a model right on every image has no "incorrect" ones) says so instead.
        if empty_ok and not ims and empty_ok in _shown(nb, i): continue
        problems.append(f'cell {i} ({text}): expected the {what} as a picture, found images {ims}; '
                        f'shown: {_shown(nb, i)}')
    if not drawn: problems.append(f'no {what} was drawn in any of the cells {idx}')
    return problems


def test_lesson1_in_jupyterlab(lesson_dir, lab_factory, open_notebook):
    nb = _run_lesson(lesson_dir, 'lesson1.ipynb', lab_factory, open_notebook, LESSON1_TIMEOUT)
    nb.page.set_viewport_size({'width': 1400, 'height': 1300})
    _wait_images(nb)
    cells = nb.cells()
    problems = list(nb.errors())
    problems += _widget_cells_rendered(nb, cells)

    # Training: every cell that fits shows its epoch bar at 100% and one metrics row per epoch.
    fits = [i for i, c in enumerate(cells) if c['cell_type'] == 'code' and _fit_calls(c['source'])]
    if not fits: problems.append('no cell calls fit(): cannot check the progress bars and metrics tables')
    for i in fits: problems += _check_training(nb, i, cells[i]['source'])

    problems += _check_pictures(nb, cells, 'sched.plot()', 'LR-finder plot')
    problems += _check_pictures(nb, cells, 'sched.plot_lr()', 'learning-rate schedule plot')
    problems += _check_pictures(nb, cells, 'plot_val_with_title', 'image grid', empty_ok='no images qualify')
    problems += _check_pictures(nb, cells, 'plt.imshow', 'picture')

    # Key views for people: the first training, an image grid, the LR finder, the last training.
    grids = nb.code_cells_with('plot_val_with_title')
    lr_plots = nb.code_cells_with('sched.plot()')
    for name, idx in [('lesson1_training', fits[:1]), ('lesson1_image_grid', grids[:1]),
                      ('lesson1_lr_finder', lr_plots[:1]), ('lesson1_fine_tuning', fits[-1:])]:
        if idx: nb.screenshot(name, cell=idx[0])
    assert not problems, 'lesson1 in JupyterLab:\n' + '\n'.join(problems)


# --- Lesson 1, part 2: convolutions and the kernel editor

def _editor_state(page):
    "What the kernel editor shows: output and input picture sources and the explanation's text."
    return page.evaluate("""() => { const q = s => document.querySelector(s);
        return {output: q('img.lk-output-view').src, input: q('img.lk-input-view').src,
                explanation: q('.lk-explanation').textContent}; }""")


def _wait_changed(page, before, keys, what, timeout=30_000):
    "Wait until each of the editor's `keys` differs from `before` (after `what`); return the new state."
    cond = ' && '.join(f"s.{k} !== {before[k]!r}" for k in keys)
    try:
        page.wait_for_function(f"""() => {{ const q = x => document.querySelector(x);
            const s = {{output: q('img.lk-output-view').src, input: q('img.lk-input-view').src,
                        explanation: q('.lk-explanation').textContent}}; return {cond}; }}""", timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(f'{", ".join(keys)} did not change after {what}') from None
    return _editor_state(page)


def test_lesson1_convolutions_in_jupyterlab(lesson_dir, lab_factory, open_notebook):
    nb = _run_lesson(lesson_dir, 'lesson1_convolutions.ipynb', lab_factory, open_notebook, 180)
    nb.page.set_viewport_size({'width': 1400, 'height': 1400})
    page = nb.page
    try: page.wait_for_selector('.lk-kernel-editor img.lk-output-view', state='visible', timeout=30_000)
    except PlaywrightTimeout:
        nb.screenshot('lesson1_convolutions_failed')
        raise AssertionError(f'the kernel editor did not render in the lesson; errors: {nb.errors()}') from None
    _wait_images(nb)
    cells = nb.cells()
    problems = list(nb.errors()) + _widget_cells_rendered(nb, cells)
    # Without ImageNet weights on the machine, the first-layer filter cell says so instead of drawing noise.
    problems += _check_pictures(nb, cells, 'axs = plt.subplots', 'figure', empty_ok='no learned first-layer filters')
    assert not problems, 'lesson1_convolutions in JupyterLab:\n' + '\n'.join(problems)
    editor = nb.code_cells_with('KernelEditor(')[0]
    nb.screenshot('lesson1_convolutions_editor_before', cell=editor)

    # Choose another preset from the dropdown: new numbers, new output picture, new explanation.
    state = _editor_state(page)
    select = page.locator('.lk-preset select')
    current = select.input_value()
    options = [o for o in select.locator('option').all_inner_texts() if o not in (current, 'custom')]
    choice = next((o for o in options if re.search('blur|edge|sobel', o)), options[0])
    select.select_option(label=choice)
    state = _wait_changed(page, state, ['output', 'explanation'], f'choosing the preset {choice!r}')
    cells_in = page.locator('.lk-kernel-cell input')
    values = [cells_in.nth(k).input_value() for k in range(cells_in.count())]

    # Type a new number into the centre cell, as a learner would.
    centre = cells_in.nth(len(values)//2)
    new = '7' if centre.input_value() != '7' else '3'
    centre.click()
    centre.fill(new)
    centre.press('Enter')
    state = _wait_changed(page, state, ['output', 'explanation'], f'typing {new} into the centre cell')
    assert select.input_value() == 'custom', select.input_value()

    # Move the pixel picker (the Row slider) with the keyboard: the explained pixel and its outline move.
    handle = page.locator('.lk-row .noUi-handle, .lk-row .ui-slider-handle').first
    handle.focus()
    for _ in range(5): handle.press('ArrowRight')
    _wait_changed(page, state, ['input', 'explanation'], 'moving the Row slider')
    page.wait_for_timeout(300)
    nb.screenshot('lesson1_convolutions_editor', cell=editor)
    assert nb.errors() == [], nb.errors()
