"""The Makefile and packaging a learner meets first: `make lesson` says what it does and installs only what the lessons
need, `make lab` runs as root and opens on the lessons, and building the package prints no setuptools warnings.
"""
import configparser
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
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not shutil.which('make'), reason='needs make')


def _dry_run(target, tmp_path):
    "The commands `make TARGET` would run on a fresh machine (a venv that does not exist yet), one per line."
    r = subprocess.run(['make', '-n', target, f'VENV={tmp_path/"fresh"}'], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    # under `make test`, make names its folders
    return [line for line in r.stdout.splitlines() if not line.startswith('make[')]


def test_first_make_lesson_says_what_it_does_and_installs_only_the_lesson_extra(tmp_path):
    lines = _dry_run('lesson', tmp_path)
    pips = [i for i, line in enumerate(lines) if 'pip install' in line]
    said = ' '.join(line for line in lines[:pips[0]] if line.startswith('echo'))
    assert 'takes 2-3 minutes' in said and 'about 5 GB' in said and 'printing nothing' in said
    installs = ' '.join(lines[i] for i in pips)
    assert '-e ".[lesson]"' in installs and '.[dev]' not in installs
    assert lines[-1].endswith('.ci/run_lessons.py')


def test_make_test_adds_the_development_tools(tmp_path):
    installs = ' '.join(line for line in _dry_run('test', tmp_path) if 'pip install' in line)
    assert '-e ".[lesson]"' in installs and '-e ".[dev]"' in installs


def test_lesson_extra_runs_notebooks_and_holds_no_development_tools():
    cfg = configparser.ConfigParser(delimiters=['='])
    cfg.read(ROOT/'settings.ini')
    lesson = {r.split('>')[0].split('=')[0].split('<')[0] for r in cfg['DEFAULT']['lesson_requirements'].split()}
    assert {'nbconvert', 'nbformat', 'ipykernel'} <= lesson
    assert not lesson & {'nbdev', 'pytest', 'ruff', 'playwright', 'jupyterlab', 'scikit-learn', 'hypothesis'}


def test_building_the_package_prints_no_setuptools_warnings(tmp_path):
    "No license-classifier deprecation, no 'Package would be ignored' for the asset folders; the assets still ship."
    repo = tmp_path/'repo'
    repo.mkdir()
    for f in ('setup.py', 'settings.ini', 'README.md', 'MANIFEST.in'): shutil.copy(ROOT/f, repo/f)
    shutil.copytree(ROOT/'lesson_kit', repo/'lesson_kit', ignore=shutil.ignore_patterns('__pycache__', 'tmp', 'models'))
    r = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-v', '-w',
                        str(tmp_path/'whl'), str(repo)], capture_output=True, text=True, timeout=300)
    log = r.stdout + r.stderr
    assert r.returncode == 0, log[-3000:]
    for bad in ('License classifiers are deprecated', 'Package would be ignored', 'is absent from the `packages`',
                'no files found matching', 'SetuptoolsDeprecationWarning'):
        assert bad not in log, bad
    names = zipfile.ZipFile(next((tmp_path/'whl').glob('*.whl'))).namelist()
    assert any(n.startswith('lesson_kit/assets/sample/train/') for n in names)
    assert any(n.startswith('lesson_kit/assets/photos/') for n in names)


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_make_lab_runs_as_root_and_opens_on_the_lessons(tmp_path):
    "`make lab` for real (as the user running the tests: root in containers and CI here), stopped once it answers."
    port, token = _free_port(), secrets.token_hex(8)
    args = f'--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token}'
    env = {**os.environ, 'HOME': str(tmp_path), 'JUPYTER_RUNTIME_DIR': str(tmp_path/'rt'),
           'JUPYTER_CONFIG_DIR': str(tmp_path/'cfg'), 'JUPYTER_DATA_DIR': str(tmp_path/'data')}
    # -o: take the installed .venv as it is (never reinstall into it from a test)
    cmd = ['make', '--no-print-directory', '-o', '.venv/.lesson_kit-lesson', '-o', '.venv/bin/python', 'lab',
           f'LAB_ARGS={args}']
    with open(tmp_path/'lab.log', 'w') as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        listing, deadline = None, time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f'http://127.0.0.1:{port}/api/contents?token={token}', timeout=2) as r:
                    listing = json.load(r); break
            except (urllib.error.URLError, ConnectionError, TimeoutError): time.sleep(0.5)
        assert listing is not None, (tmp_path/'lab.log').read_text()[-3000:]
        names = {c['name'] for c in listing['content']}
        assert 'lesson1.ipynb' in names and '02_fetch.ipynb' not in names, names
        log = (tmp_path/'lab.log').read_text()
        assert 'Running as root is not recommended' not in log
        if os.geteuid() == 0: assert '--allow-root' in log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try: proc.wait(15)
        except subprocess.TimeoutExpired: os.killpg(proc.pid, signal.SIGKILL); proc.wait(5)
