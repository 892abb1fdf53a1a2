"""The lessons' install cell must not replace the platform's torch (Colab and Paperspace ship their own GPU builds).

Colab can't be reached from here, so a throwaway virtual environment plays it: a plain venv (no system site
packages, so it can't see our torch) holding a FAKE torch 2.5.1 and torchvision 0.20.1, just a package and its
dist-info, which pip takes as installed. Into it we install lesson_kit from a copy of this repo (not GitHub: no
network to it here), the lesson's way and the plain way, and check pip keeps the platform's torch: our
requirements are lower bounds that any recent torch meets.
"""
import ast
import json
import os
import shutil
import subprocess
import venv
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
FAKES = {'torch': '2.5.1', 'torchvision': '0.20.1'}
REPO_FILES = ['setup.py', 'settings.ini', 'README.md', 'MANIFEST.in', 'LICENSE', 'pyproject.toml', 'lesson_kit']


def _install_cell(path=ROOT/'nbs'/'lessons'/'lesson1.ipynb'):
    "The source of the lesson's install cell: its first code cell that runs pip."
    nb = nbformat.read(path, as_version=4)
    return next(c.source for c in nb.cells if c.cell_type == 'code' and 'pip' in c.source)


def _pip_commands(source):
    "The argument lists after `-m pip` in `subprocess.run([...])` calls of `source`."
    cmds = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, 'attr', '') == 'run' and node.args \
                and isinstance(node.args[0], ast.List):
            parts = [ast.literal_eval(e) if isinstance(e, ast.Constant) else None for e in node.args[0].elts]
            if 'pip' in parts: cmds.append(parts[parts.index('pip') + 1:])
    return cmds


def _fake_dist(site, name, version):
    "Put a fake, importable-looking distribution `name`==`version` into `site`."
    (site/name).mkdir()
    (site/name/'__init__.py').write_text(f'__version__ = {version!r}\n')
    info = site/f'{name}-{version}.dist-info'
    info.mkdir()
    (info/'METADATA').write_text(f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n')
    (info/'INSTALLER').write_text('pip\n')
    (info/'RECORD').write_text(f'{name}/__init__.py,,\n{info.name}/METADATA,,\n')


@pytest.fixture(scope='module')
def colab_like(tmp_path_factory):
    "(python, repo): a venv with a fake platform torch/torchvision, and a copy of this repo to install from."
    tmp = tmp_path_factory.mktemp('colab')
    venv.create(tmp/'venv', with_pip=True, system_site_packages=False)
    python = tmp/'venv'/'bin'/'python'
    purelib = 'import sysconfig; print(sysconfig.get_paths()["purelib"])'
    site = Path(subprocess.check_output([str(python), '-c', purelib], text=True).strip())
    for name, version in FAKES.items(): _fake_dist(site, name, version)
    repo = tmp/'lesson_kit_repo'   # a copy: building in place would leave build/ and *.egg-info in the repo
    repo.mkdir()
    for f in REPO_FILES:
        src = ROOT/f
        if src.is_dir(): shutil.copytree(src, repo/f, ignore=shutil.ignore_patterns('__pycache__', 'tmp', 'models'))
        elif src.exists(): shutil.copy(src, repo/f)
    return python, repo


def _versions(python):
    "Installed versions of the fake platform packages, read with importlib.metadata in `python`."
    code = f'import importlib.metadata as m, json; print(json.dumps({{n: m.version(n) for n in {list(FAKES)}}}))'
    return json.loads(subprocess.check_output([str(python), '-c', code], text=True))


def _pip(python, *args, timeout=300):
    "Run pip in `python`'s venv; fail with pip's output if it fails."
    r = subprocess.run([str(python), '-m', 'pip', *args], capture_output=True, text=True, timeout=timeout,
                       env={**os.environ, 'PIP_DISABLE_PIP_VERSION_CHECK': '1', 'PYTHONPATH': ''})
    assert r.returncode == 0, f'pip {" ".join(args)} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}'
    return r


def _planned(python, tmp, args):
    "Names pip would install for `pip install *args` (a dry run with a JSON report)."
    report = tmp/'report.json'
    _pip(python, 'install', '--dry-run', '--quiet', '--report', str(report), *args)
    return {i['metadata']['name'].lower(): i['metadata']['version'] for i in json.loads(report.read_text())['install']}


def test_fakes_are_installed(colab_like):
    python, _ = colab_like
    assert _versions(python) == FAKES


def test_install_cell_keeps_platform_torch(colab_like, tmp_path):
    "Each pip command of the lesson's install cell, pointed at the local repo, plans no torch or torchvision."
    python, repo = colab_like
    cmds = _pip_commands(_install_cell())
    assert cmds and all(c[0] == 'install' for c in cmds), cmds
    for cmd in cmds:
        args = [str(repo) if isinstance(a, str) and 'lesson_kit' in a and ('git+' in a or '://' in a) else a
                for a in cmd[1:] if a != '-q']
        assert None not in args, f'a pip argument of the install cell is not a literal: {cmd}'
        planned = _planned(python, tmp_path, args)
        assert not set(planned) & set(FAKES), f'pip {cmd} would replace the platform torch: {planned}'
    assert any('--no-deps' in c for c in cmds), 'the cell installs lesson_kit without --no-deps'


def test_plain_install_keeps_platform_torch(colab_like, tmp_path):
    "Even `pip install lesson_kit` with its dependencies keeps torch 2.5.1: our requirements are lower bounds."
    python, repo = colab_like
    planned = _planned(python, tmp_path, [str(repo)])
    assert 'lesson-kit' in planned or 'lesson_kit' in planned, planned
    assert not set(planned) & set(FAKES), f'pip would replace the platform torch: {planned}'


def test_install_no_deps_then_import(colab_like):
    "The lesson's last step for real: lesson_kit installed without dependencies, torch untouched, importable."
    python, repo = colab_like
    _pip(python, 'install', '--quiet', '--no-deps', str(repo))
    assert _versions(python) == FAKES
    code = ('import lesson_kit, pathlib; p = pathlib.Path(lesson_kit.__file__).parent; '
            'print(lesson_kit.__version__, p, (p/"assets"/"sample"/"train").is_dir(), (p/"learner.py").exists())')
    out = subprocess.check_output([str(python), '-c', code], text=True, cwd='/', env={**os.environ, 'PYTHONPATH': ''})
    version, where, sample, learner = out.split()
    assert str(python.parents[1]) in where, f'lesson_kit imported from {where}, not from the venv'
    assert sample == 'True' and learner == 'True', out
