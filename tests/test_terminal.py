"""`%load_ext lesson_kit` and `%lesson_setup` in a real terminal IPython, where inline plots make no sense."""
import subprocess
import sys
from pathlib import Path


def _ipython(code, tmp_path):
    "Run `code` in a fresh terminal IPython and return its stdout."
    env = {'LESSON_KIT_HOME': str(tmp_path), 'PATH': '/usr/bin:/bin', 'HOME': str(tmp_path)}
    res = subprocess.run([sys.executable, '-m', 'IPython', '--quick', '--no-banner', '--colors=NoColor', '-c', code],
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_lesson_setup_in_terminal(tmp_path):
    out = _ipython('%load_ext lesson_kit\n%lesson_setup', tmp_path)
    assert 'IPython terminal: plots open in their own window' in out
    assert 'Platform:  IPython terminal' in out
    assert f'Data:      {tmp_path}' in out
    assert Path(tmp_path).is_dir()


def test_autoreload_mode_2_in_terminal(tmp_path):
    code = ('%load_ext lesson_kit\n%lesson_setup --quiet\n'
            "r = get_ipython().magics_manager.registry['AutoreloadMagics']._reloader\n"
            'print("MODE2", r.enabled and r.check_all)')
    assert 'MODE2 True' in _ipython(code, tmp_path)
