"""The fault matrix of `lesson_kit.fetch`: a misbehaving local server, malicious archives, two processes at once.

Everything runs against `_LocalServer` on 127.0.0.1 with files each test builds; nothing touches the internet.
"""
import errno
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

import lesson_kit.fetch as lf
from lesson_kit.fetch import (
    ChecksumError,
    DiskFullError,
    HTTPStatusError,
    NotAnArchiveError,
    OfflineError,
    UnknownDatasetError,
    UnsafeArchiveError,
    fetch,
)
from lesson_kit.testing import LocalServer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def quick(monkeypatch, tmp_path):
    "Short pauses and timeouts, and a private data folder, for every test."
    monkeypatch.setattr(lf, 'BACKOFF', 0.001)
    monkeypatch.setattr(lf, 'TIMEOUT', 2)
    monkeypatch.setenv('LESSON_KIT_HOME', str(tmp_path/'home'))


def sha256(path): return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def make_tree(root, n=5, size=2000):
    "`root/ds/{train,valid}/{a,b}/N.bin`: a tiny dataset; returns `root/ds`."
    for split in ('train', 'valid'):
        for cls in ('a', 'b'):
            d = Path(root)/'ds'/split/cls
            d.mkdir(parents=True, exist_ok=True)
            for i in range(n): (d/f'{i}.bin').write_bytes(os.urandom(size))
    return Path(root)/'ds'


def make_tar(path, tree, mode='w:gz'):
    with tarfile.open(path, mode) as t: t.add(tree, tree.name)
    return path


@pytest.fixture
def served(tmp_path):
    "A folder of files to serve: `ds.tgz` (a small dataset) and `big.bin` (5 MB of noise)."
    files = tmp_path/'served'
    files.mkdir()
    tree = make_tree(tmp_path/'tree')
    make_tar(files/'ds.tgz', tree)
    (files/'big.bin').write_bytes(os.urandom(5*2**20 + 7))
    return files


# ---------------------------------------------------------------- downloads: the fault matrix

def test_resumes_after_dropped_connections(served, tmp_path):
    with LocalServer(served, drop_after=1_500_000) as srv:
        path = fetch(srv.url('big.bin'), tmp_path/'d', extract=False, progress=False)
    assert sha256(path) == sha256(served/'big.bin')
    ranges = [r for _, r in srv.requests]
    assert ranges[0] is None and ranges[1:] == [f'bytes={i*1_500_000}-' for i in range(1, 4)]
    assert not path.with_name('big.bin.part').exists()


def test_resumes_a_part_file_left_by_an_earlier_run(served, tmp_path):
    part = tmp_path/'d'/'downloads'/'big.bin.part'
    part.parent.mkdir(parents=True)
    part.write_bytes((served/'big.bin').read_bytes()[:3_000_000])
    with LocalServer(served) as srv:
        path = fetch(srv.url('big.bin'), tmp_path/'d', extract=False, progress=False)
    assert srv.requests == [('/big.bin', 'bytes=3000000-')]
    assert sha256(path) == sha256(served/'big.bin')


def test_server_ignoring_range_restarts_cleanly(served, tmp_path):
    part = tmp_path/'d'/'downloads'/'big.bin.part'
    part.parent.mkdir(parents=True)
    part.write_bytes((served/'big.bin').read_bytes()[:3_000_000])
    with LocalServer(served, ignore_range=True) as srv:
        path = fetch(srv.url('big.bin'), tmp_path/'d', extract=False, progress=False)
    assert sha256(path) == sha256(served/'big.bin')


def test_ignoring_range_and_dropping_gives_up_after_bounded_tries(served, tmp_path):
    with LocalServer(served, ignore_range=True, drop_after=1_000_000) as srv:
        with pytest.raises(OfflineError, match='closed after 1,000,000 of'):
            fetch(srv.url('big.bin'), tmp_path/'d', extract=False, progress=False)
    assert len(srv.requests) == lf.RETRIES


@pytest.mark.parametrize('status', [404, 403])
def test_client_errors_fail_at_once_with_status_and_url(served, tmp_path, status):
    with LocalServer(served, status=status) as srv:
        with pytest.raises(HTTPStatusError, match=f'{srv.url("ds.tgz")} answered HTTP {status}') as e:
            fetch(srv.url('ds.tgz'), tmp_path/'d', progress=False)
    assert e.value.status == status and len(srv.requests) == 1


def test_server_errors_are_retried(served, tmp_path):
    with LocalServer(served, fail_first=2) as srv:
        path = fetch(srv.url('ds.tgz'), tmp_path/'d', progress=False)
    assert len(srv.requests) == 3 and (path/'train'/'a'/'0.bin').is_file()


def test_persistent_500_becomes_offline_error_with_manual_instructions(served, tmp_path):
    with LocalServer(served, status=500) as srv:
        with pytest.raises(OfflineError) as e:
            fetch(srv.url('ds.tgz'), tmp_path/'d', size=1234, progress=False)
    msg = str(e.value)
    assert 'HTTP 500' in msg and 'download ds.tgz (1,234 bytes) from that URL by hand' in msg
    assert f'put it at {tmp_path}/d/downloads/ds.tgz' in msg and len(srv.requests) == lf.RETRIES


def test_slow_server_times_out_then_resumes(served, tmp_path, monkeypatch):
    monkeypatch.setattr(lf, 'TIMEOUT', 0.2)
    with LocalServer(served, delay=0.4, chunk=2*2**20) as srv:
        srv_calls = srv.requests
        path = fetch(srv.url('big.bin'), tmp_path/'d', extract=False, progress=False)
    assert sha256(path) == sha256(served/'big.bin')
    assert any(r and r.startswith('bytes=') for _, r in srv_calls)


def test_no_network(tmp_path):
    with pytest.raises(OfflineError, match='Connection refused|refused'):
        fetch('http://127.0.0.1:9/ds.tgz', tmp_path/'d', progress=False)


# ---------------------------------------------------------------- verification

def test_checksum_mismatch_removes_file_and_keeps_old_extraction(served, tmp_path):
    with LocalServer(served) as srv:
        good = fetch(srv.url('ds.tgz'), tmp_path/'d', progress=False)
        with pytest.raises(ChecksumError, match=f'md5 expected {"0"*32}, got '):
            fetch(srv.url('ds.tgz'), tmp_path/'d', md5='0'*32, force=True, progress=False)
        with pytest.raises(ChecksumError, match='bytes, not the expected 3: the server sends a different'):
            fetch(srv.url('big.bin'), tmp_path/'d', size=3, extract=False, progress=False)
    assert (good/'train'/'a'/'0.bin').is_file()
    assert not list((tmp_path/'d'/'downloads').glob('*.part'))
    assert not (tmp_path/'d'/'downloads'/'big.bin').exists()


def test_registry_checks_size_and_first_mib_md5_and_records_sha256(served, tmp_path, monkeypatch, capsys):
    tgz = served/'ds.tgz'
    size, md5_1mib = tgz.stat().st_size, hashlib.md5(tgz.read_bytes()[:2**20]).hexdigest()
    with LocalServer(served) as srv:
        monkeypatch.setitem(lf._REGISTRY, 'ds', lf._Entry('ds', (lf._Source(srv.url('ds.tgz'), size, md5_1mib),)))
        path = fetch('ds', tmp_path/'d')
    out = capsys.readouterr()
    # The sha256 is recorded only once the archive has proved good by extracting (issue 17, item 2).
    assert 'verified: size, md5 of the first MiB.' in out.out
    assert 'ds.tgz extracted well: its full sha256 is recorded in ds.tgz.json' in out.out
    assert 'ds.tgz' in out.err and '100%' in out.err  # the text progress bar
    rec = lf._read_json(tmp_path/'d'/'downloads'/'ds.tgz.json')
    assert rec['sha256'] == sha256(tgz) and rec['size'] == tgz.stat().st_size
    assert path == tmp_path/'d'/'ds'


def test_recorded_sha256_catches_corruption_on_later_use(served, tmp_path):
    with LocalServer(served) as srv: path = fetch(srv.url('ds.tgz'), tmp_path/'d', progress=False)
    archive = tmp_path/'d'/'downloads'/'ds.tgz'
    data = bytearray(archive.read_bytes())
    data[-100] ^= 0xFF  # same size: only the full hash can tell
    archive.write_bytes(bytes(data))
    shutil.rmtree(path)  # the extraction is gone, so fetch must use the archive again
    with pytest.raises(ChecksumError, match='sha256 recorded at the first download expected .*delete ds.tgz.json'):
        fetch('http://127.0.0.1:9/ds.tgz', tmp_path/'d', progress=False)


def test_manual_placement_is_verified_and_used_offline(served, tmp_path):
    downloads = tmp_path/'d'/'downloads'
    downloads.mkdir(parents=True)
    (downloads/'ds.tgz').write_bytes((served/'ds.tgz').read_bytes())
    path = fetch('http://127.0.0.1:9/ds.tgz', tmp_path/'d', sha256=sha256(served/'ds.tgz'), progress=False)
    assert (path/'valid'/'b'/'4.bin').is_file()


def test_bad_manual_copy_is_removed_with_a_clear_error(served, tmp_path):
    downloads = tmp_path/'d'/'downloads'
    downloads.mkdir(parents=True)
    (downloads/'ds.tgz').write_bytes(b'truncated')
    with pytest.raises(ChecksumError, match='size expected .* got 9 bytes.*removed'):
        fetch('http://127.0.0.1:9/ds.tgz', tmp_path/'d', size=(served/'ds.tgz').stat().st_size, progress=False)
    assert not (downloads/'ds.tgz').exists()


def test_second_call_uses_no_network(served, tmp_path):
    with LocalServer(served) as srv:
        first = fetch(srv.url('ds.tgz'), tmp_path/'d', progress=False)
    assert fetch('http://127.0.0.1:9/ds.tgz', tmp_path/'d', progress=False) == first


def test_force_downloads_and_extracts_again_keeping_what_the_learner_made(served, tmp_path, capsys):
    "force=True restores the archive's files and keeps models/, tmp/ and the learner's own files (issue 17, item 1)."
    with LocalServer(served) as srv:
        first = fetch(srv.url('ds.tgz'), tmp_path/'d', progress=False)
        (first/'models').mkdir(); (first/'models'/'mine.pth').write_bytes(b'weights')
        (first/'tmp'/'x').mkdir(parents=True); (first/'tmp'/'x'/'act.bin').write_bytes(b'cache')
        (first/'train'/'a'/'my_photo.jpg').write_bytes(b'mine')
        (first/'train'/'a'/'0.bin').write_bytes(b'edited')         # an archive file: restored
        (first/'valid'/'b'/'1.bin').unlink()                       # deleted by mistake: restored
        again = fetch(srv.url('ds.tgz'), tmp_path/'d', force=True, progress=False)
    assert again == first and len(srv.requests) == 2
    assert (again/'models'/'mine.pth').read_bytes() == b'weights'
    assert (again/'tmp'/'x'/'act.bin').read_bytes() == b'cache'
    assert (again/'train'/'a'/'my_photo.jpg').read_bytes() == b'mine'
    assert (again/'train'/'a'/'0.bin').read_bytes() == (tmp_path/'tree'/'ds'/'train'/'a'/'0.bin').read_bytes()
    assert (again/'valid'/'b'/'1.bin').is_file()
    assert not list((tmp_path/'d').glob('ds.old*')) and not list((tmp_path/'d').glob('.*extracting'))
    assert f'Kept what you added to {again}: models, tmp, train/a/my_photo.jpg.' in capsys.readouterr().out


def test_disk_full_is_a_clear_error_and_keeps_the_part(served, tmp_path, monkeypatch):
    def full(self, b): raise OSError(errno.ENOSPC, 'No space left on device')
    monkeypatch.setattr(lf._Hashes, 'update', full)
    with LocalServer(served) as srv:
        with pytest.raises(DiskFullError, match='No space left while writing .* pass dest='):
            fetch(srv.url('big.bin'), tmp_path/'d', extract=False, progress=False)


# ---------------------------------------------------------------- bad input

def test_unknown_name_lists_names_and_suggests():
    with pytest.raises(UnknownDatasetError, match="Did you mean 'mnist_tiny'.*dogscats, imagenette2-160"):
        fetch('mnist-tiny')


def test_not_an_archive(tmp_path):
    f = tmp_path/'notes.txt'
    f.write_text('hello')
    with pytest.raises(NotAnArchiveError, match='Pass extract=False'): fetch(f, tmp_path/'d', progress=False)
    assert not list((tmp_path/'d').glob('.*extracting'))


def test_sample_entry(tmp_path, monkeypatch):
    "`fetch('sample')` copies the embedded dataset into the data folder (models/, tmp/ writable), follows a newer one."
    src = tmp_path/'pkg'/'sample'
    (src/'train'/'3').mkdir(parents=True)
    (src/'train'/'3'/'a.png').write_bytes(b'x')
    monkeypatch.setattr(lf, '_sample_dir', lambda: src)
    got = fetch('sample', tmp_path/'home')
    assert got == tmp_path/'home'/'sample' and (got/'train'/'3'/'a.png').read_bytes() == b'x'
    (src/'train'/'3'/'b.png').write_bytes(b'y')
    (got/'train'/'3'/'a.png').write_bytes(b'changed by hand')
    assert fetch('sample', tmp_path/'home') == got and (got/'train'/'3'/'b.png').read_bytes() == b'y'  # a newer sample
    assert (got/'train'/'3'/'a.png').read_bytes() == b'x'
    (got/'train'/'3'/'a.png').write_bytes(b'changed by hand')
    assert fetch('sample', tmp_path/'home') == got and (got/'train'/'3'/'a.png').read_bytes() == b'changed by hand'
    assert not list((tmp_path/'home').glob('.sample-*'))
    monkeypatch.setattr(lf, '_sample_dir', lambda: tmp_path/'missing')
    with pytest.raises(FileNotFoundError, match='make_sample.py'): fetch('sample', tmp_path/'other')


def test_registry_facts():
    dc = lf._REGISTRY['dogscats'].sources
    assert [s.url for s in dc] == ['http://files.fast.ai/data/dogscats.zip',
                                   'https://s3.amazonaws.com/fast-ai-sample/dogscats.tgz']
    assert [s.size for s in dc] == [857_214_334, 839_285_364]
    assert dc[1].md5_1mib == '3e483c8d6ef2175e9d395a6027eb92b7'


# ---------------------------------------------------------------- archives

@pytest.mark.parametrize('mode,suffix', [('w', '.tar'), ('w:gz', '.tgz'), ('w:gz', '.tar.gz'),
                                         ('w:bz2', '.tar.bz2'), ('w:xz', '.tar.xz'), ('zip', '.zip')])
def test_formats(tmp_path, mode, suffix):
    tree = make_tree(tmp_path/'tree', n=2)
    archive = tmp_path/f'ds{suffix}'
    if mode == 'zip':
        with zipfile.ZipFile(archive, 'w') as z:
            for p in tree.rglob('*'): z.write(p, p.relative_to(tree.parent))
    else: make_tar(archive, tree, mode)
    path = fetch(archive, tmp_path/'d', progress=False)
    assert path == tmp_path/'d'/'ds' and sha256(path/'train'/'a'/'1.bin') == sha256(tree/'train'/'a'/'1.bin')


def evil_tgz(path, *members):
    "A tgz with one innocent file, then `members`: (name, type, linkname) tuples."
    with tarfile.open(path, 'w:gz') as t:
        ok = tarfile.TarInfo('data/ok.txt')
        ok.size = 2
        t.addfile(ok, io.BytesIO(b'ok'))
        for name, kind, link in members:
            m = tarfile.TarInfo(name)
            m.type, m.linkname = kind, link
            m.size = 4 if kind == tarfile.REGTYPE else 0
            t.addfile(m, io.BytesIO(b'evil') if kind == tarfile.REGTYPE else None)
    return path


REG, SYM, LNK = tarfile.REGTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE
EVIL = {
    'dotdot': [('../x', REG, '')],
    'dotdot_inside': [('data/../../x', REG, '')],
    'absolute': [('/tmp/lesson_kit_evil_abs', REG, '')],
    'symlink_etc': [('data/etc', SYM, '/etc')],
    'symlink_up': [('data/up', SYM, '../..')],
    'symlink_then_file': [('data/etc', SYM, '/etc'), ('data/etc/passwd', REG, '')],
    'symlink_chain': [('data/a/b/l', SYM, '../..'), ('data/a/b/k', SYM, 'l/../..')],
    'hardlink_out': [('data/h', LNK, '../../etc/passwd')],
    'chardev': [('data/null', tarfile.CHRTYPE, '')],
    'blockdev': [('data/sda', tarfile.BLKTYPE, '')],
    'fifo': [('data/pipe', tarfile.FIFOTYPE, '')],
}


@pytest.mark.parametrize('case', list(EVIL))
def test_malicious_tar_is_refused_naming_the_member(tmp_path, case):
    members = EVIL[case]
    bad = evil_tgz(tmp_path/'evil.tgz', *members)
    with pytest.raises(UnsafeArchiveError) as e: fetch(bad, tmp_path/'d', progress=False)
    assert any(repr(name) in str(e.value) for name, _, _ in members)
    assert not (tmp_path/'x').exists() and not Path('/tmp/lesson_kit_evil_abs').exists()
    assert not list((tmp_path/'d').glob('.*extracting')) and not (tmp_path/'d'/'data').exists()


def test_symlinks_inside_are_fine(tmp_path):
    bad = evil_tgz(tmp_path/'fine.tgz', ('data/same', SYM, 'ok.txt'), ('data/sub/up', SYM, '../ok.txt'))
    path = fetch(bad, tmp_path/'d', progress=False)
    assert (path/'same').read_text() == 'ok' and (path/'sub'/'up').read_text() == 'ok'


def files_of(folder):
    "{relative path: (kind, mode, mtime, contents or link target)} of the files and links under `folder`."
    out = {}
    for p in sorted(Path(folder).rglob('*')):
        st, rel = p.lstat(), p.relative_to(folder).as_posix()
        if p.is_symlink(): out[rel] = ('link', os.readlink(p))
        elif p.is_file(): out[rel] = ('file', oct(st.st_mode), st.st_mtime, p.read_bytes())
    return out


@pytest.mark.skipif(shutil.which('tar') is None, reason='needs GNU tar')
@pytest.mark.parametrize('fmt,sparse', [('gnu', False), ('posix', False), ('gnu', True)])
def test_archives_from_gnu_tar_extract_as_tar_does(tmp_path, monkeypatch, fmt, sparse):
    src = tmp_path/'src'
    (src/'ds'/'sub').mkdir(parents=True)
    (src/'ds'/'a.txt').write_text('hi'); (src/'ds'/'a.txt').chmod(0o750)
    (src/'ds'/'sub'/('n' * 120 + '.bin')).write_bytes(os.urandom(3000))   # a long name
    (src/'ds'/'link').symlink_to('a.txt'); os.link(src/'ds'/'a.txt', src/'ds'/'hard')
    if sparse:
        with open(src/'ds'/'holes.img', 'wb') as f: f.truncate(5 * 2**20); f.seek(0, 2); f.write(b'x')
    archive = tmp_path/'ds.tgz'
    subprocess.run(['tar', 'czf', str(archive), f'--format={fmt}', *(['--sparse'] if sparse else []), 'ds'],
                   cwd=src, check=True)
    calls, real = [], lf._untar_tarfile
    monkeypatch.setattr(lf, '_untar_tarfile', lambda archive, *a: calls.append(archive.name) or real(archive, *a))
    ours = fetch(archive, tmp_path/'d', progress=False)
    (tmp_path/'t').mkdir()
    subprocess.run(['tar', 'xzf', str(archive), '-C', str(tmp_path/'t')], check=True)
    assert files_of(ours) == files_of(tmp_path/'t'/'ds') and len(files_of(ours)) == 4 + sparse
    assert calls == (['ds.tgz'] if sparse else [])   # a sparse file is left to tarfile


@pytest.mark.parametrize('name', ['../x.txt', '/tmp/lesson_kit_evil_zip'])
def test_malicious_zip_is_refused(tmp_path, name):
    bad = tmp_path/'evil.zip'
    with zipfile.ZipFile(bad, 'w') as z:
        z.writestr('data/ok.txt', 'ok')
        z.writestr(zipfile.ZipInfo(name), 'evil')
    with pytest.raises(UnsafeArchiveError, match=f'member {name!r}'): fetch(bad, tmp_path/'d', progress=False)


# ---------------------------------------------------------------- interruptions and concurrency

def test_interrupted_extraction_is_redone(served, tmp_path, monkeypatch):
    calls = []
    real = lf._put_in_place
    def crash(*args, **kw):
        calls.append(1)
        raise KeyboardInterrupt  # the learner pressed stop, or the VM died, mid-extraction
    monkeypatch.setattr(lf, '_put_in_place', crash)
    with LocalServer(served) as srv:
        with pytest.raises(KeyboardInterrupt): fetch(srv.url('ds.tgz'), tmp_path/'d', progress=False)
        assert not (tmp_path/'d'/'ds').exists()
        monkeypatch.setattr(lf, '_put_in_place', real)
        path = fetch(srv.url('ds.tgz'), tmp_path/'d', progress=False)
    assert len(srv.requests) == 1  # the verified archive was kept; only the extraction was redone
    assert len(list(path.rglob('*.bin'))) == 20 and not list((tmp_path/'d').glob('.*extracting'))


def test_leftover_temp_folder_and_unmarked_folder_are_handled(served, tmp_path):
    d = tmp_path/'d'
    (d/'.ds.tgz.extracting'/'ds').mkdir(parents=True)  # what a killed process left behind
    (d/'ds').mkdir()
    (d/'ds'/'half.txt').write_text('half')  # a folder with no marker: not known to be complete
    with LocalServer(served) as srv: path = fetch(srv.url('ds.tgz'), d, progress=False)
    assert len(list(path.rglob('*.bin'))) == 20 and not (path/'half.txt').exists()
    assert (d/'ds.old'/'half.txt').exists()  # moved aside, not deleted
    assert not (d/'.ds.tgz.extracting').exists()


def test_two_processes_fetching_the_same_dataset(served, tmp_path):
    code = textwrap.dedent(f"""
        import sys
        from lesson_kit.fetch import fetch
        print('RESULT', fetch(sys.argv[1], {str(tmp_path/'d')!r}, progress=False))
    """)
    env = {**os.environ, 'PYTHONPATH': str(ROOT)}
    with LocalServer(served, delay=0.1, chunk=4096) as srv:  # about a second per download
        url = srv.url('ds.tgz')
        procs = [subprocess.Popen([sys.executable, '-c', code, url], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
        outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    results = {line for out, _ in outs for line in out.splitlines() if line.startswith('RESULT')}
    assert results == {f'RESULT {tmp_path}/d/ds'}
    assert len(srv.requests) == 1  # the second process waited, then found the work done
    assert sum('Waiting for another process' in out for out, _ in outs) == 1
    assert len(list((tmp_path/'d'/'ds').rglob('*.bin'))) == 20


def test_part_longer_than_the_file_restarts(served, tmp_path):
    part = tmp_path/'d'/'downloads'/'big.bin.part'
    part.parent.mkdir(parents=True)
    part.write_bytes(os.urandom(6*2**20))  # stale: longer than the file on the server
    with LocalServer(served) as srv:
        path = fetch(srv.url('big.bin'), tmp_path/'d', extract=False, progress=False)
    assert [r for _, r in srv.requests] == [f'bytes={6*2**20}-', None]  # 416, then from the start
    assert sha256(path) == sha256(served/'big.bin')


def test_truncated_archive_is_called_damaged(served, tmp_path):
    cut = tmp_path/'cut.tgz'
    cut.write_bytes((served/'ds.tgz').read_bytes()[:20_000])
    with pytest.raises(NotAnArchiveError, match='is damaged .*Delete it'): fetch(cut, tmp_path/'d', progress=False)
    assert not list((tmp_path/'d').glob('.*extracting')) and not (tmp_path/'d'/'ds').exists()


def test_progress_bar_text_and_widget(monkeypatch, capsys):
    with lf._bar(1000, 'text.bin', True) as bar: bar.update(1000)
    assert 'text.bin: 100%' in capsys.readouterr().err  # a terminal gets a text bar
    import lesson_kit.progress
    monkeypatch.setattr(lesson_kit.progress, 'in_notebook', lambda: True)  # as in Jupyter and Colab
    with lf._bar(1000, 'widget.bin', True) as bar: bar.update(400)
    label, progress, _ = bar.container.children
    assert progress.max == 1000 and progress.value == 400 and 'widget.bin' in label.value
    with lf._bar(1000, 'quiet.bin', False) as bar: bar.update(1000)
    assert 'quiet.bin' not in str(capsys.readouterr())


def test_file_changed_on_the_server_is_not_glued_onto_the_old_part(served, tmp_path):
    part = tmp_path/'d'/'downloads'/'big.bin.part'
    part.parent.mkdir(parents=True)
    part.write_bytes(os.urandom(3_000_000))  # the start of an older version of the file
    lf._write_json(part.with_name('big.bin.part.json'), {'validator': '"old"'})
    with LocalServer(served, etag='"new"') as srv:
        path = fetch(srv.url('big.bin'), tmp_path/'d', extract=False, progress=False)
    assert sha256(path) == sha256(served/'big.bin')  # If-Range made the server send it whole
    assert not part.with_name('big.bin.part.json').exists()


def test_resume_sends_if_range_with_the_etag(served, tmp_path):
    with LocalServer(served, drop_after=2_000_000, drops=1, etag='"abc"') as srv:
        fetch(srv.url('big.bin'), tmp_path/'d', extract=False, progress=False)
    assert [r for _, r in srv.requests] == [None, 'bytes=2000000-']


# ---------------------------------------------------------------- what is recorded, and when (issue 17, item 2)

def test_a_bad_first_download_is_not_recorded_and_force_recovers(served, tmp_path):
    "An HTML error page served in place of the archive: no sha256 is recorded, and force=True then gets the real one."
    real = (served/'ds.tgz').read_bytes()
    (served/'ds.tgz').write_text('<html><body>Service temporarily unavailable</body></html>')
    downloads = tmp_path/'d'/'downloads'
    with LocalServer(served) as srv:
        with pytest.raises(NotAnArchiveError): fetch(srv.url('ds.tgz'), tmp_path/'d', progress=False)
        assert not (downloads/'ds.tgz.json').exists()
        (served/'ds.tgz').write_bytes(real)
        path = fetch(srv.url('ds.tgz'), tmp_path/'d', force=True, progress=False)
    assert len(list(path.rglob('*.bin'))) == 20
    assert lf._read_json(downloads/'ds.tgz.json')['sha256'] == hashlib.sha256(real).hexdigest()


def test_a_changed_file_names_the_record_to_delete_and_leaves_no_part_json(served, tmp_path):
    downloads = tmp_path/'d'/'downloads'
    with LocalServer(served) as srv:
        path = fetch(srv.url('ds.tgz'), tmp_path/'d', progress=False)
        shutil.rmtree(path); (downloads/'ds.tgz').unlink()      # gone: the next call downloads again
        make_tar(served/'ds.tgz', make_tree(tmp_path/'tree2'))    # and the server now has another file
        with pytest.raises(ChecksumError) as e: fetch(srv.url('ds.tgz'), tmp_path/'d', progress=False)
        msg = str(e.value)
        assert f'run fetch again with force=True, or delete ds.tgz.json (in {downloads})' in msg
        assert 'part.json' not in msg
        assert sorted(p.name for p in downloads.iterdir()) == ['ds.tgz.extracted.json', 'ds.tgz.json', 'ds.tgz.lock']
        path = fetch(srv.url('ds.tgz'), tmp_path/'d', force=True, progress=False)   # force forgets the record
    assert lf._read_json(downloads/'ds.tgz.json')['sha256'] == sha256(served/'ds.tgz')


def test_sha256_recorded_at_once_only_when_a_full_checksum_matched(served, tmp_path):
    with LocalServer(served) as srv:
        plain = fetch(srv.url('big.bin'), tmp_path/'a', extract=False, progress=False)
        checked = fetch(srv.url('big.bin'), tmp_path/'b', extract=False, progress=False,
                        sha256=sha256(served/'big.bin'))
    assert not lf._record_path(plain).exists()           # nothing proved it good
    assert lf._read_json(lf._record_path(checked))['sha256'] == sha256(served/'big.bin')


# ---------------------------------------------------------------- offline (issue 17, item 3)

def test_offline_fails_fast_on_dns_errors_and_says_it_once(monkeypatch, tmp_path, capsys):
    import socket
    calls = []
    def no_dns(host, *args, **kw):
        calls.append(host)
        raise socket.gaierror(socket.EAI_AGAIN, 'Temporary failure in name resolution')
    monkeypatch.setattr(socket, 'getaddrinfo', no_dns)
    entry = lf._Entry('ds', (lf._Source('http://files.example.invalid/ds.zip', 1000),
                             lf._Source('https://s3.example.invalid/ds.tgz', 900)))
    monkeypatch.setitem(lf._REGISTRY, 'ds', entry)
    with pytest.raises(OfflineError) as e: fetch('ds', tmp_path/'d')
    assert calls == ['files.example.invalid', 's3.example.invalid']  # one try per mirror, no retries
    msg, out = str(e.value), capsys.readouterr()
    assert msg.startswith('Could not download ds from any of its 2 mirrors: http://files.example.invalid/ds.zip '
                          '(the host name did not resolve')
    assert msg.count('by hand') == 1 and "fetch('sample')" in msg
    assert (f'download ds.zip (1,000 bytes) from http://files.example.invalid/ds.zip by hand and put it at '
            f'{tmp_path}/d/downloads/ds.zip') in msg
    import traceback
    assert ''.join(traceback.format_exception(e.value)).count('by hand') == 1  # as the learner sees it: once
    assert 'trying the next mirror' in out.out and 'by hand' not in out.out   # the advice is said once
    assert '0%' not in out.err                                                   # no bar stuck at 0%


def test_retries_are_announced(served, tmp_path, capsys):
    with LocalServer(served, fail_first=2) as srv: fetch(srv.url('big.bin'), tmp_path/'d', extract=False)
    out = capsys.readouterr().out
    assert 'big.bin: HTTP 500' in out and '(try 2 of 5)' in out and '(try 3 of 5)' in out


def test_fetch_finds_the_sample_without_importing_data_or_torch(tmp_path):
    "fetch('sample') takes the sample from env.asset_path: no `lesson_kit.data`, so no 3 s of torch (issue 19, item 6)."
    code = ('import sys; from lesson_kit.fetch import fetch; p = fetch("sample", sys.argv[1]); '
            'print(p, sorted(m for m in ("torch", "lesson_kit.data") if m in sys.modules))')
    out = subprocess.check_output([sys.executable, '-c', code, str(tmp_path)], text=True,
                                  env={**os.environ, 'PYTHONPATH': str(ROOT)})
    assert out.split() == [str(tmp_path/'sample'), '[]']
    assert (tmp_path/'sample'/'train').is_dir()


def test_disk_full_is_fetchs_and_envs_error():
    from lesson_kit import env
    assert issubclass(DiskFullError, lf.FetchError) and issubclass(DiskFullError, env.DiskFullError)


def test_fetch_magic_force_keeps_models(served, tmp_path, capsys):
    "`%fetch URL --force  # a comment` keeps what the learner made, like fetch(force=True)."
    with LocalServer(served) as srv:
        first = fetch(srv.url('ds.tgz'), tmp_path/'d', progress=False)
        (first/'models').mkdir(); (first/'models'/'mine.pth').write_bytes(b'weights')
        lf.fetch_magic(f"{srv.url('ds.tgz')} --dest {tmp_path/'d'} --force  # again, fresh")
    assert (first/'models'/'mine.pth').read_bytes() == b'weights' and len(srv.requests) == 2
    assert capsys.readouterr().out.rstrip().endswith(str(first))


def test_star_import_gives_the_disk_full_error_that_catches_them_all():
    "`from lesson_kit.all import *`: one `DiskFullError` catches fetch's and the learner's full disks alike."
    ns = {}
    exec('from lesson_kit.all import *', ns)
    from lesson_kit import env
    assert ns['DiskFullError'] is env.DiskFullError and issubclass(DiskFullError, ns['DiskFullError'])


def test_dest_that_is_a_file(tmp_path):
    (tmp_path/'afile').write_text('mine')
    want = f"dest='{tmp_path}/afile' is a file, not a folder: pass dest= a folder"
    with pytest.raises(NotADirectoryError, match=want):
        fetch('sample', tmp_path/'afile')
    assert (tmp_path/'afile').read_text() == 'mine'


# ---------------------------------------------------------------- a refused connection (B16)

def _refused_url():
    "A URL on 127.0.0.1 at a port nothing listens on: connecting is refused at once."
    import socket
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return f'http://127.0.0.1:{s.getsockname()[1]}/ds.tgz'


def test_refused_connection_fails_at_once(tmp_path, capsys, monkeypatch):
    import time
    monkeypatch.setattr(lf, 'BACKOFF', 1.0)                     # a retry would cost a second at least
    url, t0 = _refused_url(), time.monotonic()
    with pytest.raises(OfflineError) as e: fetch(url, tmp_path/'d')
    assert time.monotonic() - t0 < 1
    assert str(e.value).startswith(f'Could not download {url} (the connection was refused: the host answered, but '
                                   'no server listens at that address (a wrong port or URL, or the server is down); '
                                   '1 try)')
    assert 'trying again' not in capsys.readouterr().out


def test_refused_after_some_bytes_is_retried(served, tmp_path, monkeypatch):
    "A server that refuses mid-download has probably gone down for a restart: that is worth the retries."
    import urllib.error
    real, calls = lf._attempt, []
    def restarting(url, part, *args):
        calls.append(url)
        if len(calls) > 1: return real(url, part, *args)
        part.write_bytes((served/'big.bin').read_bytes()[:100_000])   # what arrived before the server went down
        raise urllib.error.URLError(ConnectionRefusedError(111, 'Connection refused'))
    monkeypatch.setattr(lf, '_attempt', restarting)
    with LocalServer(served) as srv: path = fetch(srv.url('big.bin'), tmp_path/'d', extract=False, progress=False)
    assert len(calls) == 2 and sha256(path) == sha256(served/'big.bin')
