"""Smoke test of the benchmark harness (`python -m bench`) with fake cases: fast, and no peer venv needed."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The lesson_kit side prints 2, 4, 6, ... on its 1st, 2nd, 3rd, ... run; the peer always prints 1.
FAKE = '''
import sys
DESCRIPTION = 'A fake case.'
UNIT = 'things/s'
HIGHER_IS_BETTER = {hib}
TARGET = 1.5
PEER = 'fake peer'
LOG = {log!r}
SCRIPT = """
import json, pathlib
log = pathlib.Path({log!r})
log.write_text((log.read_text() if log.exists() else '') + '{{side}}')
n = log.read_text().count('{{side}}')
print('some chatter first')
print(json.dumps({{{{'value': {{value}}}}}}))
"""

def commands(ctx):
    return ([sys.executable, '-S', '-c', SCRIPT.format(side='A', value='2 * n')],
            [sys.executable, '-S', '-c', SCRIPT.format(side='B', value='{peer}')])
'''


def _run_bench(tmp_path, *cases, pairs=3, fake=FAKE):
    "Write fake `cases` (name, hib, peer value expression) and run the harness on them; return results, markdown."
    cases_dir = tmp_path / 'cases'
    cases_dir.mkdir()
    for name, hib, peer in cases:
        (cases_dir / f'{name}.py').write_text(fake.format(hib=hib, log=str(tmp_path / f'{name}.log'), peer=peer))
    res, out = tmp_path / 'results.json', tmp_path / 'BENCH.md'
    args = ['--cases-dir', cases_dir, '--results', res, '--out', out, '--pairs', str(pairs),
            '--peer-venv', tmp_path / 'no-peer-venv']
    p = subprocess.run([sys.executable, '-m', 'bench', *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                       env={'PATH': '/usr/bin:/bin', 'PYTHONPATH': str(ROOT), 'PEER_BASE_PYTHON': '/bin/false'},
                       timeout=60)
    return p, json.loads(res.read_text()), out.read_text()


def test_alternates_and_takes_median_of_pair_ratios(tmp_path):
    p, results, md = _run_bench(tmp_path, ('rate', True, '1'), ('time', False, '1'))
    assert p.returncode == 0, p.stderr
    # A warm-up pair, then 3 pairs, strictly alternating.
    assert (tmp_path / 'rate.log').read_text() == 'ABABABAB'
    r = results['rate']
    assert r['ours']['values'] == [4, 6, 8]  # warm-up value 2 dropped
    assert r['ratio']['values'] == [4, 6, 8] and r['ratio']['median'] == 6 and r['met'] is True
    # Lower is better: ratio = peer / ours, so > 1 still means lesson_kit is better.
    t = results['time']
    assert t['ratio']['values'] == [1 / 4, 1 / 6, 1 / 8] and t['ratio']['median'] == 1 / 6 and t['met'] is False
    row = '| `rate` | 6.00 things/s (4.00–8.00) | fake peer: 1.00 things/s (1.00–1.00) | 6.00 (4.00–8.00) | ≥ 1.5 | yes |'
    assert row in md
    assert '| `time` |' in md and '| no |' in md
    assert '## GPU' in md and 'CPU:' in md


def test_failing_peer_is_reported_not_fatal(tmp_path):
    p, results, md = _run_bench(tmp_path, ('broken', True, 'no_such_name'), pairs=2)
    assert p.returncode == 0, p.stderr
    r = results['broken']
    assert r['peer_error'].startswith('failed: exit 1') and 'NameError' in r['peer_error']
    assert r['ours']['values'] == [4, 6] and r['ratio'] is None
    assert (tmp_path / 'broken.log').read_text() == 'ABAA'  # the peer is not retried once it failed
    assert 'fake peer: failed: exit 1' in md


def test_one_case_updates_only_its_row(tmp_path):
    _run_bench(tmp_path, ('rate', True, '1'), pairs=1)
    res, out = tmp_path / 'results.json', tmp_path / 'BENCH.md'
    stored = json.loads(res.read_text())
    stored['other'] = dict(stored['rate'], case='other')
    res.write_text(json.dumps(stored))
    (tmp_path / 'cases' / 'other.py').write_text((tmp_path / 'cases' / 'rate.py').read_text())
    args = ['--case', 'rate', '--cases-dir', tmp_path / 'cases', '--results', res, '--out', out, '--pairs', '2']
    p = subprocess.run([sys.executable, '-m', 'bench', *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                       env={'PATH': '/usr/bin:/bin', 'PYTHONPATH': str(ROOT)}, timeout=60)
    assert p.returncode == 0, p.stderr
    new = json.loads(res.read_text())
    assert new['other'] == stored['other'] and new['rate']['ours']['values'] == [8, 10]  # log goes on: A #4, #5
    md = out.read_text()
    assert '| `other` | 4.00 things/s (4.00–4.00)' in md and '| `rate` | 9.00 things/s (8.00–10.0)' in md


def test_peer_env_that_cannot_be_built_is_reported(tmp_path):
    # A case whose peer runs in the peer venv; `/bin/false` as its base interpreter makes the build fail at once.
    fake = FAKE.replace("[sys.executable, '-S', '-c', SCRIPT.format(side='B'", "[ctx.peer_python, '-c', SCRIPT.format(side='B'")
    p, results, md = _run_bench(tmp_path, ('nopeer', True, '1'), pairs=1, fake=fake)
    assert p.returncode == 0, p.stderr
    assert results['nopeer']['peer_error'].startswith('not built:') and results['nopeer']['ours']['values'] == [4]
    assert '| `nopeer` | 4.00 things/s (4.00–4.00) | fake peer: not built:' in md


def test_informational_case_is_neither_met_nor_missed(tmp_path):
    fake = FAKE.replace('TARGET = 1.5', 'TARGET = None')
    p, results, md = _run_bench(tmp_path, ('info', True, '1'), pairs=1, fake=fake)
    assert p.returncode == 0, p.stderr
    assert results['info']['target'] is None and results['info']['met'] is None
    assert '| `info` | 4.00 things/s (4.00–4.00) | fake peer: 1.00 things/s (1.00–1.00) | 4.00 (4.00–4.00) | ' \
           'informational | – |' in md


def test_fresh_clone_keeps_the_other_rows_of_benchmarks_md(tmp_path):
    "No results.json (a fresh clone): one case's run keeps every other row BENCHMARKS.md had, judged by today's target."
    _run_bench(tmp_path, ('rate', True, '1'), ('time', False, '1'), pairs=1)
    res, out, cases = tmp_path / 'results.json', tmp_path / 'BENCH.md', tmp_path / 'cases'
    before = out.read_text()
    assert '| `time` | 4.00 things/s (4.00–4.00) | fake peer: 1.00 things/s (1.00–1.00) | 0.250 (0.250–0.250) | ≥ 1.5 | no |' in before
    res.unlink()
    (cases / 'time.py').write_text((cases / 'time.py').read_text().replace('TARGET = 1.5', 'TARGET = 0.2'))
    args = ['--case', 'rate', '--cases-dir', cases, '--results', res, '--out', out, '--pairs', '1']
    p = subprocess.run([sys.executable, '-m', 'bench', *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                       env={'PATH': '/usr/bin:/bin', 'PYTHONPATH': str(ROOT)}, timeout=60)
    assert p.returncode == 0, p.stderr
    md = out.read_text()
    assert '| `time` | 4.00 things/s (4.00–4.00) | fake peer: 1.00 things/s (1.00–1.00) | 0.250 (0.250–0.250) | ≥ 0.2 | yes |' in md
    assert '| `rate` | 8.00 things/s (8.00–8.00)' in md           # the run itself: A's 4th value (3rd: warm-up)
    stored = json.loads(res.read_text())
    assert stored['time']['restored_from'] == 'BENCHMARKS.md' and stored['time']['pairs'] == 1


def test_markdown_round_trip():
    "What `render` writes, `results_from_markdown` reads back so that `render` writes the same table again."
    from bench import harness as h
    text = (ROOT / 'BENCHMARKS.md').read_text(encoding='utf-8')
    machine = dict(h._machine_from_markdown(text), fastai='2.8.12', peer_build_s=103)
    results = h.results_from_markdown(text)
    assert results['learner_fit']['ratio']['median'] == 4.49 and results['learner_fit']['pairs'] == 1
    cases = h.load_cases()
    once = h.render(cases, results, machine)
    assert h.render(cases, h.results_from_markdown(once), machine) == once
