"""`%load_ext lesson_kit` and the magics in a real terminal IPython, where inline plots and widgets make no sense."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ipython(code, tmp_path, **env):
    "Run `code` in a fresh terminal IPython (no display unless `env` gives one) and return its stdout."
    env = {'LESSON_KIT_HOME': str(tmp_path), 'PATH': '/usr/bin:/bin', 'HOME': str(tmp_path),
           'PYTHONPATH': str(ROOT), **env}
    res = subprocess.run([sys.executable, '-m', 'IPython', '--quick', '--no-banner', '--colors=NoColor', '-c', code],
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    return res.stdout


def test_lesson_setup_in_terminal(tmp_path):
    "With no display, plots are not promised a window (issue 17, item 19); the report does not start CUDA."
    out = _ipython('%load_ext lesson_kit\n%lesson_setup\n'
                   'import torch; print("CUDA started:", torch.cuda.is_initialized())', tmp_path)
    assert 'IPython terminal with no display: plt.show() cannot open a window here' in out
    assert 'own window' not in out
    assert 'Platform:  IPython terminal' in out
    assert f'Data:      {tmp_path}' in out
    assert 'CUDA started: False' in out
    assert Path(tmp_path).is_dir()


def test_lesson_setup_in_terminal_with_a_display(tmp_path):
    out = _ipython('%load_ext lesson_kit\n%lesson_setup --quiet', tmp_path, DISPLAY=':0')
    assert 'IPython terminal: plots open in their own window' in out


def test_autoreload_mode_2_in_terminal(tmp_path):
    code = ('%load_ext lesson_kit\n%lesson_setup --quiet\n'
            "r = get_ipython().magics_manager.registry['AutoreloadMagics']._reloader\n"
            'print("MODE2", r.enabled and r.check_all)')
    assert 'MODE2 True' in _ipython(code, tmp_path)


def test_kernel_editor_in_terminal_says_it_needs_jupyter(tmp_path):
    out = _ipython('%load_ext lesson_kit\n%kernel_editor coffee', tmp_path)
    assert '%kernel_editor shows sliders and pictures, which need Jupyter' in out
    assert 'VBox' not in out


def test_magics_accept_a_trailing_comment(tmp_path):
    "`%lesson_setup   # ...` and `%fetch sample  # ...` as a learner types them (issue 17, item 16)."
    code = ("%load_ext lesson_kit\n%lesson_setup --quiet   # autoreload 2 + inline plots + environment report\n"
            "%fetch sample  # the digits\nprint('PATH is', PATH)")
    out = _ipython(code, tmp_path)
    assert f'PATH is {tmp_path}/sample' in out


def _readme_first_code_block():
    "The first ```python block of README.md, verbatim."
    return re.search(r'```python\n(.*?)```', (ROOT/'README.md').read_text(), re.S).group(1)


def test_readme_first_code_block_runs_verbatim(tmp_path):
    "The README's first block, as written, in a terminal IPython; `fetch('dogscats')` is served the sample locally."
    block = _readme_first_code_block()
    assert block.startswith('%load_ext lesson_kit\n%lesson_setup   ') and "fetch('dogscats')" in block
    prelude = '\n'.join([   # the internet, played by a local server holding the sample as dogscats.tgz
        'import tarfile, lesson_kit.fetch as lf', 'from lesson_kit.env import asset_path',
        'from lesson_kit.testing import LocalServer', f'served = {str(tmp_path / "served")!r}',
        'import os; os.makedirs(served, exist_ok=True)',
        "t = tarfile.open(served + '/dogscats.tgz', 'w:gz'); t.add(asset_path('sample'), 'dogscats'); t.close()",
        'srv = LocalServer(served).__enter__()',
        "lf._REGISTRY['dogscats'] = lf._Entry('dogscats', (lf._Source(srv.url('dogscats.tgz')),))",
        # and download.pytorch.org by a planted weights file (random weights under torchvision's name)
        'import torch, torchvision; ckpt = torch.hub.get_dir() + "/checkpoints"; os.makedirs(ckpt)',
        'torch.save(torchvision.models.resnet34().state_dict(), ckpt + "/resnet34-b627a593.pth")', ''])
    (tmp_path/'home').mkdir()
    out = _ipython(prelude + block + "\nprint('FIT DONE', PATH)", tmp_path/'home', MPLBACKEND='Agg',
                   TORCH_HOME=str(tmp_path/'torch'))
    assert 'Platform:  IPython terminal' in out
    assert f'FIT DONE {tmp_path}/home/dogscats' in out
