"""fetch and `%lesson_setup` on real file systems that fail: a read-only home (issue 17, item 12) and a full disk
(issue 17, item 11). Each test mounts a small tmpfs (root only: skipped otherwise) and always unmounts it.
"""
import os
import subprocess
import sys
import tarfile
from contextlib import contextmanager
from pathlib import Path

import pytest

import lesson_kit.fetch as lf
from lesson_kit import env
from lesson_kit.fetch import DiskFullError, fetch
from lesson_kit.testing import LocalServer

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not hasattr(os, 'geteuid') or os.geteuid() != 0, reason='mounting needs root')


@contextmanager
def tmpfs(path, size='2m', readonly=False):
    "A tmpfs of `size` mounted at `path` (read-only if `readonly`), unmounted afterwards."
    path.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(['mount', '-t', 'tmpfs', '-o', f'size={size}', 'tmpfs', str(path)],
                       capture_output=True, text=True)
    if r.returncode: pytest.skip(f'cannot mount a tmpfs here: {r.stderr.strip()}')
    try:
        if readonly: subprocess.run(['mount', '-o', 'remount,ro', str(path)], check=True)
        yield path
    finally: subprocess.run(['umount', '-l', str(path)], check=True)


def leftovers(folder):
    "Temporary files and folders anywhere under `folder`."
    return [p for p in Path(folder).rglob('*') if p.name.endswith('.tmp') or '.extracting' in p.name
            or p.name.startswith('.sample-')]


def _run(args, tmp_path, home):
    "Run `args` with HOME at `home`, no LESSON_KIT_HOME, and temporary files in `tmp_path/tmp`."
    (tmp_path/'tmp').mkdir(exist_ok=True)
    e = {k: v for k, v in os.environ.items() if k != 'LESSON_KIT_HOME'}
    e.update(HOME=str(home), TMPDIR=str(tmp_path/'tmp'), PYTHONPATH=str(ROOT), PATH='/usr/bin:/bin')
    r = subprocess.run(args, capture_output=True, text=True, env=e, timeout=120)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r.stdout


# ---------------------------------------------------------------- a home folder that cannot be written

def test_sample_and_lesson_setup_with_a_read_only_home(tmp_path):
    with tmpfs(tmp_path/'home', readonly=True) as home:
        out = _run([sys.executable, '-c', "from lesson_kit.fetch import fetch; print('PATH', fetch('sample'))"],
                   tmp_path, home)
        data = tmp_path/'tmp'/'lesson_kit'/'data'
        assert f'{home}/.lesson_kit/data cannot be written, so datasets go to {data}' in out
        assert f'PATH {data}/sample' in out and (data/'sample'/'train').is_dir()
        out = _run([sys.executable, '-m', 'IPython', '--quick', '--no-banner', '--colors=NoColor', '-c',
                    '%load_ext lesson_kit\n%lesson_setup'], tmp_path, home)
        assert f'Data:      {data}' in out and 'Platform:  IPython terminal' in out


# ---------------------------------------------------------------- a disk that fills up

@pytest.fixture
def served(tmp_path):
    "`big.bin` (5 MB of noise) and `zeros.tgz` (a 4 MB dataset of zeros that packs into a few KB)."
    files = tmp_path/'served'
    (files/'zeros'/'train').mkdir(parents=True)
    (files/'big.bin').write_bytes(os.urandom(5*2**20))
    for i in range(4): (files/'zeros'/'train'/f'{i}.bin').write_bytes(bytes(2**20))
    with tarfile.open(files/'zeros.tgz', 'w:gz') as t: t.add(files/'zeros', 'zeros')
    return files


def test_disk_full_while_downloading(served, tmp_path, monkeypatch):
    monkeypatch.setattr(lf, 'BACKOFF', 0.001)
    with tmpfs(tmp_path/'small') as small, LocalServer(served) as srv:
        with pytest.raises(DiskFullError) as e: fetch(srv.url('big.bin'), small, extract=False, progress=False)
        msg = str(e.value)
        assert f'No space left while writing into {small}/downloads' in msg and 'pass dest=' in msg
        assert f'The partial file {small}/downloads/big.bin.part' in msg and 'delete it to get that space back' in msg
        assert leftovers(small) == []


def test_disk_full_while_extracting(served, tmp_path):
    with tmpfs(tmp_path/'small') as small, LocalServer(served) as srv:
        with pytest.raises(DiskFullError, match=f'No space left while writing into {small}'):
            fetch(srv.url('zeros.tgz'), small, progress=False)
        assert leftovers(small) == [] and not (small/'zeros').exists()
        assert (small/'downloads'/'zeros.tgz').is_file()             # the download is kept for the next try
        assert not (small/'downloads'/'zeros.tgz.json').exists()     # it never proved good here


def test_disk_full_while_copying_the_sample(tmp_path):
    with tmpfs(tmp_path/'small', size='512k') as small:
        with pytest.raises(DiskFullError, match=f'No space left while writing into {small}'): fetch('sample', small)
        assert leftovers(small) == [] and not (small/'sample').exists()


def test_disk_full_while_writing_a_record(tmp_path):
    with tmpfs(tmp_path/'small', size='64k') as small:
        with open(small/'filler', 'wb', buffering=0) as f:        # fill the disk to the last byte
            with pytest.raises(OSError):
                while True: f.write(b'x' * 4096)
        with pytest.raises(env.DiskFullError): lf._write_json(small/'r.json', {'sha256': 'a' * 64})
        assert leftovers(small) == [] and not (small/'r.json').exists()


# ---------------------------------------------------------------- an explicit dest that cannot be written (B11)

def test_read_only_dest_says_which_folder_and_what_to_pass(served, tmp_path):
    with tmpfs(tmp_path/'ro', readonly=True) as ro, LocalServer(served) as srv:
        for name in ('sample', srv.url('zeros.tgz')):
            with pytest.raises(PermissionError) as e: fetch(name, ro, progress=False)
            msg = str(e.value)
            want = f'Cannot write to {ro} (it is read-only, or not yours), so fetch cannot put {name} there'
            assert msg.startswith(want)
            assert "Pass dest= a folder you can write to, e.g. dest='~/data', or leave dest out" in msg
        with pytest.raises(PermissionError, match=f'Cannot write to {ro}/x '): lf.fetch_magic(f'sample --dest {ro}/x')
        assert srv.requests == []                                       # said before any download


def test_read_only_dest_with_the_dataset_already_there_returns_it(served, tmp_path):
    with tmpfs(tmp_path/'ro', size='8m') as ro, LocalServer(served) as srv:
        sample, zeros = fetch('sample', ro), fetch(srv.url('zeros.tgz'), ro, progress=False)
        subprocess.run(['mount', '-o', 'remount,ro', str(ro)], check=True)
        assert fetch('sample', ro) == sample and fetch(srv.url('zeros.tgz'), ro, progress=False) == zeros
        with pytest.raises(PermissionError, match=f'Cannot write to {ro}'): fetch('sample', ro, force=True)

