"""Fixtures for tests that drive JupyterLab in a real browser: Debian's Chromium through Playwright.

`lab_factory(root, env=None)` starts JupyterLab on 127.0.0.1 with a token in `root` (`env`: extra environment
variables for the lab and its kernels); `browser` is one headless Chromium for the session; `page` is a fresh tab.
`LabPage` opens a notebook, waits for its kernel, runs all cells, reads the cells' sources and outputs, and
collects the errors a learner would see. Nothing here downloads a browser: Playwright gets `/usr/bin/chromium`
(`.ci/browser_deps.sh` installs it), and a missing Chromium fails the tests instead of skipping them.
"""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT/'out'/'screenshots'
CHROMIUM = os.environ.get('LESSON_KIT_CHROMIUM', '/usr/bin/chromium')
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--no-first-run']
# JupyterLab settings for a quiet, offline lab: no news pop-up stealing focus, no update check.
LAB_OVERRIDES = {'@jupyterlab/apputils-extension:notification': {'fetchNews': 'false', 'checkForUpdates': False}}


@pytest.fixture
def offline_home(tmp_path, monkeypatch):
    "A temporary data home and TORCH_HOME with planted (random) resnet18 weights: nothing touches the network."
    import torch

    from lesson_kit.models import resnet18, weights_dir
    monkeypatch.setenv('LESSON_KIT_HOME', str(tmp_path / 'home'))
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch'))
    weights_dir().mkdir(parents=True)
    torch.save(resnet18.builder(weights=None).state_dict(), weights_dir() / resnet18.weights.url.split('/')[-1])
    return tmp_path


def _free_port():
    "A TCP port on 127.0.0.1 that nothing listens on right now."
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def write_notebook(path, cells):
    "Write a notebook of code `cells` (strings) to `path`, with the python3 kernel."
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    nbformat.write(nb, str(path))
    return Path(path)


class Lab:
    "A JupyterLab server running in `root` on 127.0.0.1, started by `start_lab`."
    def __init__(self, root, port, token, proc, log):
        self.root, self.port, self.token, self.proc, self.log = Path(root), port, token, proc, log
        self.url = f'http://127.0.0.1:{port}'

    def notebook_url(self, name):
        "URL that opens notebook `name` (relative to `root`) in a fresh workspace."
        return f'{self.url}/lab/tree/{name}?reset&token={self.token}'

    def log_tail(self, n=3000):
        "The end of the server's log, for failure messages."
        return Path(self.log).read_text(errors='replace')[-n:]

    def stop(self):
        "Stop the server and its kernels (the process group this lab started)."
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try: self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def start_lab(root, home, timeout=90, env=None):
    "Start JupyterLab serving `root`, with its settings, runtime files and HOME under `home`; `env` adds variables."
    home = Path(home)
    settings = home/'app-settings'
    settings.mkdir(parents=True, exist_ok=True)
    (settings/'overrides.json').write_text(json.dumps(LAB_OVERRIDES))
    port, token = _free_port(), secrets.token_hex(16)
    # Kernels get matplotlib's Jupyter default (inline), as a learner's would: no MPLBACKEND from `make`.
    env = {**{k: v for k, v in os.environ.items() if k != 'MPLBACKEND'},
           'HOME': str(home), 'JUPYTER_RUNTIME_DIR': str(home/'runtime'),
           'JUPYTER_CONFIG_DIR': str(home/'config'), 'PYTHONPATH': str(ROOT),
           'LESSON_KIT_HOME': str(home/'data'), 'PYDEVD_DISABLE_FILE_VALIDATION': '1', **(env or {})}
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--allow-root', '--ip=127.0.0.1', f'--port={port}',
           f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={root}', '--expose-app-in-browser',
           f'--LabApp.app_settings_dir={settings}', f'--LabApp.user_settings_dir={home/"user-settings"}',
           f'--LabApp.workspaces_dir={home/"workspaces"}']
    log = home/'jupyterlab.log'
    with open(log, 'w') as f:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=f, stderr=subprocess.STDOUT, start_new_session=True)
    lab = Lab(root, port, token, proc, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None: raise RuntimeError(f'JupyterLab exited early:\n{lab.log_tail()}')
        try:
            with urllib.request.urlopen(f'{lab.url}/api/status?token={token}', timeout=2): return lab
        except (urllib.error.URLError, ConnectionError, TimeoutError): time.sleep(0.3)
    lab.stop()
    raise RuntimeError(f'JupyterLab did not answer on {lab.url} within {timeout}s:\n{lab.log_tail()}')


@pytest.fixture
def lab_factory(tmp_path_factory):
    "Call `lab_factory(root, env=None)` to start JupyterLab in `root`; every lab started is stopped after the test."
    labs = []
    def start(root, env=None):
        labs.append(start_lab(root, tmp_path_factory.mktemp('lab-home'), env=env))
        return labs[-1]
    yield start
    for lab in labs: lab.stop()


@pytest.fixture(scope='session')
def browser():
    "Headless Debian Chromium driven by Playwright; fails (never skips) when Chromium or Playwright is missing."
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f'{CHROMIUM} not found: run `bash .ci/browser_deps.sh` (or `sudo apt-get install chromium`).')
    os.environ.setdefault('PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD', '1')
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    "A fresh browser tab (1400×1000) whose JavaScript errors are collected in `page.js_errors`."
    ctx = browser.new_context(viewport={'width': 1400, 'height': 1000})
    pg = ctx.new_page()
    pg.js_errors = []
    pg.on('pageerror', lambda e: pg.js_errors.append(str(e)))
    yield pg
    ctx.close()


class LabPage:
    "A notebook open in JupyterLab in Playwright's `page`; the lab must run with `--expose-app-in-browser`."
    def __init__(self, page, lab, name, timeout=60):
        self.page, self.lab, self.name = page, lab, name
        page.goto(lab.notebook_url(name), timeout=timeout*1000)
        page.wait_for_function('() => window.jupyterapp && window.jupyterapp.shell.currentWidget'
                               ' && window.jupyterapp.shell.currentWidget.sessionContext', timeout=timeout*1000)
        self.wait_idle(timeout)

    def wait_idle(self, timeout=60):
        "Wait until the notebook's kernel is ready and idle."
        self.page.wait_for_function(
            '() => { const s = window.jupyterapp.shell.currentWidget.sessionContext;'
            ' return s.isReady && s.session && s.session.kernel && s.session.kernel.status === "idle"; }',
            timeout=timeout*1000)

    def prompts(self):
        "The execution counts of the code cells ('' for a cell not run)."
        return self.page.eval_on_selector_all(
            '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt',
            'els => els.map(e => e.textContent.replace(/[\\[\\]:\\s]/g, ""))')

    def run_all(self, timeout=90, tries=3):
        "Run all cells and wait until each has its prompt number; asks again if a request was lost."
        deadline = time.monotonic() + timeout
        for _ in range(tries):
            self.page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
            asked = time.monotonic()
            while time.monotonic() < deadline:
                ps = self.prompts()
                if ps and all(p.isdigit() for p in ps):
                    self.wait_idle(max(deadline - time.monotonic(), 1))
                    return ps
                if not any(ps):
                    if time.monotonic() - asked > 5: break   # nothing started: ask again
                elif '*' not in ps and self.error_outputs():  # an error stops Run All, as it would for a learner
                    raise AssertionError(f'Run All stopped at an error: {self.error_outputs()}; prompts: {ps}')
                self.page.wait_for_timeout(250)
            if time.monotonic() >= deadline: break
        raise AssertionError(f'cells did not all run within {timeout}s; prompts: {self.prompts()}\n'
                             f'{self.lab.log_tail()}')

    def run_cell(self, index, timeout=30):
        "Run code cell number `index` (0-based among all cells) and wait for its new prompt number."
        old = self.page.evaluate(f'() => window.jupyterapp.shell.currentWidget.content.widgets[{index}]'
                                 '.model.executionCount')
        self.page.evaluate(f"() => {{ const nb = window.jupyterapp.shell.currentWidget.content;"
                           f" nb.activeCellIndex = {index};"
                           " window.jupyterapp.commands.execute('notebook:run-cell'); }")
        self.page.wait_for_function(f'() => {{ const c = window.jupyterapp.shell.currentWidget.content'
                                    f'.widgets[{index}].model.executionCount; return c && c !== {old or 0}; }}',
                                    timeout=timeout*1000)
        self.wait_idle(timeout)

    def cells(self):
        "Every cell of the notebook as nbformat JSON (`cell_type`, `source`, `outputs`...), from JupyterLab's model."
        cells = self.page.evaluate('() => window.jupyterapp.shell.currentWidget.content.widgets'
                                   '.map(c => c.model.toJSON())')
        for c in cells:
            if isinstance(c.get('source'), list): c['source'] = ''.join(c['source'])
        return cells

    def code_cells_with(self, text):
        "Indices (among all cells) of the code cells whose source contains `text`."
        return [i for i, c in enumerate(self.cells()) if c['cell_type'] == 'code' and text in c['source']]

    def cell(self, index):
        "Locator of cell number `index` (0-based among all cells) in the page."
        return self.page.locator('.jp-Notebook .jp-Cell').nth(index)

    def show(self, index):
        "Scroll cell number `index` to the top of the notebook's view."
        for _ in range(3):   # again once the cells around it have rendered and their heights are known
            self.cell(index).evaluate('e => e.scrollIntoView({block: "start"})')
            self.page.wait_for_timeout(300)

    def error_outputs(self):
        "The notebook's error outputs (uncaught exceptions), as '[cell] Name: value'."
        return [f"[{i}] {o.get('ename')}: {o.get('evalue')}" for i, c in enumerate(self.cells())
                for o in c.get('outputs', []) if o.get('output_type') == 'error']

    def errors(self):
        "Error outputs, widget render failures and JavaScript errors a learner would see."
        texts = self.page.eval_on_selector_all(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
            'els => els.map(e => e.textContent)')
        texts = [t for t in texts if 'Error' in t or 'Traceback' in t]
        widget_fails = self.page.eval_on_selector_all(
            '.jp-OutputArea-output', 'els => els.map(e => e.textContent)'
            '.filter(t => /Error displaying widget|Failed to load model class/.test(t))')
        return self.error_outputs() + texts + widget_fails + list(getattr(self.page, 'js_errors', []))

    def screenshot(self, name, cell=None):
        "Save a screenshot to out/screenshots/`name`.png (with cell number `cell` at the top) and return its path."
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if cell is not None: self.show(cell)
        path = SCREENSHOTS/f'{name}.png'
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def open_notebook(page):
    "Call `open_notebook(lab, name)` to open notebook `name` of `lab` and wait for its kernel."
    return lambda lab, name, timeout=60: LabPage(page, lab, name, timeout)


def pytest_configure(config):
    "torchvision 0.29 deprecates its image decoders (lesson_kit falls back to PIL if they go): one note, not thousands."
    config.addinivalue_line('filterwarnings',
                            'ignore:The image decoding and encoding capabilities of TorchVision:DeprecationWarning')
