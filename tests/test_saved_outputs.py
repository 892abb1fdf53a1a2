"""What a saved lesson notebook keeps, run as `make lesson` runs it: finished progress bars and `?`/`??` help.

A learner reads the executed notebooks (on GitHub, in out/*.html, offline); widgets and pager pop-ups are not
saved with a notebook, so these check that what replaces them is.
"""
import importlib.util
import os
import re

import nbformat
from conftest import ROOT
from nbclient import NotebookClient

WIDGET = 'application/vnd.jupyter.widget-view+json'


def _run(tmp_path, *sources):
    "Execute a notebook of code cells `sources` in a real kernel (this tree on its path); return its cells."
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    os.environ['PYTHONPATH'] = f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    NotebookClient(nb, timeout=120, kernel_name='python3', resources={'metadata': {'path': str(tmp_path)}}).execute()
    return nb.cells


def _texts(cell):
    "The text/plain of each display output of `cell`, colour codes removed."
    return [re.sub(r'\x1b\[[0-9;]*m', '', o['data'].get('text/plain', '')) for o in cell.outputs if 'data' in o]


def test_finished_bars_are_saved_as_their_last_line(tmp_path):
    cell, = _run(tmp_path, "from lesson_kit.progress import progress_bar\n"
                           "for _ in progress_bar(range(3), desc='epoch'):\n"
                           "    for _ in progress_bar(range(2), desc='batch', leave=False): pass")
    assert not [o for o in cell.outputs if WIDGET in o.get('data', {})], 'a widget was left in the saved notebook'
    texts = [t for t in _texts(cell) if t]
    assert len(texts) == 1 and texts[0].startswith('epoch: 100%') and '3/3' in texts[0], texts
    html = [o['data']['text/html'] for o in cell.outputs if 'text/html' in o.get('data', {})]
    assert len(html) == 1 and '3/3' in html[0] and '100%' in html[0], html


def _run_lessons():
    "The .ci/run_lessons.py module."
    spec = importlib.util.spec_from_file_location('run_lessons', ROOT/'.ci'/'run_lessons.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_help_output_is_saved(tmp_path, monkeypatch):
    rl = _run_lessons()
    monkeypatch.setattr(rl, 'OUT', tmp_path/'out')
    (tmp_path/'out').mkdir()
    src = tmp_path/'help.ipynb'
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('from lesson_kit.env import data_home'),
                                                   nbformat.v4.new_code_cell('?data_home'),
                                                   nbformat.v4.new_code_cell('??data_home')]), src)
    monkeypatch.setenv('PYTHONPATH', f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    rl.run_lesson(src)
    cells = nbformat.read(tmp_path/'out'/'help.ipynb', as_version=4).cells
    doc, source = ''.join(_texts(cells[1])), ''.join(_texts(cells[2]))
    assert 'Docstring' in doc and 'datasets are kept' in doc, cells[1].outputs
    assert 'def data_home' in source, cells[2].outputs
    assert 'Signature' in (tmp_path/'out'/'help.html').read_text(), 'the HTML should show the help too'
    raw = [o['data']['text/plain'] for c in cells[1:] for o in c.outputs]
    assert not [t for t in raw if '\x1b[' in t], 'colour codes would show as garbage outside a terminal'


def _run_saved(tmp_path, monkeypatch, *sources):
    "Run a notebook of code cells `sources` as `make lesson` does; return the saved notebook and its HTML."
    rl = _run_lessons()
    monkeypatch.setattr(rl, 'OUT', tmp_path/'out')
    (tmp_path/'out').mkdir()
    monkeypatch.setenv('PYTHONPATH', f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    monkeypatch.setenv('MATPLOTLIBRC', str(rl._modest_plots()))
    src = tmp_path/'saved.ipynb'
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources]), src)
    rl.run_lesson(src)
    return nbformat.read(tmp_path/'out'/'saved.ipynb', as_version=4), (tmp_path/'out'/'saved.html').read_text()


def test_saved_copy_shows_what_a_reader_needs(tmp_path, monkeypatch):
    nb, html = _run_saved(tmp_path, monkeypatch,
                          "#| hide\nassert 'secret_check' != ''",
                          "from lesson_kit.progress import progress_bar\n"
                          "for _ in progress_bar(range(3), desc='epoch'):\n"
                          "    for _ in progress_bar(range(2), desc='batch', leave=False): pass",
                          "import ipywidgets as w\nw.IntSlider()")
    sources = [c.source for c in nb.cells]
    assert not any('secret_check' in s for s in sources) and 'secret_check' not in html, 'a #| hide cell was saved'
    bars, slider = nb.cells
    assert [o for o in bars.outputs if not ''.join(o.get('data', {}).get('text/plain', ''))] == [], bars.outputs
    assert _texts(slider) == [_run_lessons().WIDGET_NOTE], slider.outputs
    assert 'widgets' not in nb.metadata, 'the saved widget state should be gone'


def test_saved_plots_are_modest(tmp_path, monkeypatch):
    import base64
    nb, _ = _run_saved(tmp_path, monkeypatch, "%matplotlib inline\nimport matplotlib.pyplot as plt\n"
                                              "plt.figure(figsize=(4, 2)); plt.plot([1, 2]);")
    png, = [base64.b64decode(o['data']['image/png']) for o in nb.cells[0].outputs if 'image/png' in o.get('data', {})]
    width = int.from_bytes(png[16:20], 'big')   # from the PNG header
    assert width <= 4 * 72 + 10, f'{width} pixels wide: a 4-inch figure should be saved at 72 dpi'


def test_lessons_get_a_fresh_data_folder(tmp_path, monkeypatch):
    rl = _run_lessons()
    monkeypatch.setattr(rl, 'OUT', tmp_path/'out')
    monkeypatch.delenv('LESSON_KIT_HOME', raising=False)
    (tmp_path/'out'/'data'/'sample-old').mkdir(parents=True)   # left over from an earlier run
    home = rl.fresh_data_home()
    assert home == tmp_path/'out'/'data' and os.environ['LESSON_KIT_HOME'] == str(home)
    assert list(home.iterdir()) == [], 'leftovers of an earlier run would show in the lessons'
    (home/'keep').mkdir()
    monkeypatch.setenv('LESSON_KIT_HOME', str(home))   # a folder the caller chose is never emptied
    assert rl.fresh_data_home() == home and (home/'keep').exists()
