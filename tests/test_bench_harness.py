"""Smoke test of the benchmark harness (`python -m bench`) with fake cases: fast, and no peer venv needed."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

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
    row = ('| `rate` | 6.00 things/s (4.00–8.00) | fake peer: 1.00 things/s (1.00–1.00) | 6.00 (4.00–8.00) '
           '| ≥ 1.5 | yes |')
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
    fake = FAKE.replace("[sys.executable, '-S', '-c', SCRIPT.format(side='B'",
                        "[ctx.peer_python, '-c', SCRIPT.format(side='B'")
    p, results, md = _run_bench(tmp_path, ('nopeer', True, '1'), pairs=1, fake=fake)
    assert p.returncode == 0, p.stderr
    assert results['nopeer']['peer_error'].startswith('not built:') and results['nopeer']['ours']['values'] == [4]
    assert '| `nopeer` | 4.00 things/s (4.00–4.00) | fake peer: not built:' in md


def test_peer_not_built_when_told_not_to(tmp_path):
    "`make gpu` has no minutes for downloads: with BENCH_PEER_BUILD=0 a missing peer venv is reported, not built."
    fake = FAKE.replace("[sys.executable, '-S', '-c', SCRIPT.format(side='B'",
                        "[ctx.peer_python, '-c', SCRIPT.format(side='B'")
    cases_dir = tmp_path / 'cases'
    cases_dir.mkdir()
    (cases_dir / 'nopeer.py').write_text(fake.format(hib=True, log=str(tmp_path / 'n.log'), peer='1'))
    args = ['--cases-dir', cases_dir, '--results', tmp_path / 'r.json', '--out', tmp_path / 'B.md', '--pairs', '1',
            '--peer-venv', tmp_path / 'no-peer-venv']
    p = subprocess.run([sys.executable, '-m', 'bench', *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                       env={'PATH': '/usr/bin:/bin', 'PYTHONPATH': str(ROOT), 'BENCH_PEER_BUILD': '0'}, timeout=60)
    assert p.returncode == 0, p.stderr
    assert 'checking the peer environment' not in p.stderr           # no build was attempted
    r = json.loads((tmp_path / 'r.json').read_text())['nopeer']
    assert r['peer_error'].startswith('not built: run `bash bench/make_peer_env.sh` first')
    assert r['ours']['values'] == [4]


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
    time_row = '| `time` | 4.00 things/s (4.00–4.00) | fake peer: 1.00 things/s (1.00–1.00) | 0.250 (0.250–0.250) '
    assert time_row + '| ≥ 1.5 | no |' in before
    res.unlink()
    # (a new length too: the same size within the same second would let Python reuse the old bytecode)
    (cases / 'time.py').write_text((cases / 'time.py').read_text().replace('TARGET = 1.5', 'TARGET = 0.25'))
    args = ['--case', 'rate', '--cases-dir', cases, '--results', res, '--out', out, '--pairs', '1']
    p = subprocess.run([sys.executable, '-m', 'bench', *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                       env={'PATH': '/usr/bin:/bin', 'PYTHONPATH': str(ROOT)}, timeout=60)
    assert p.returncode == 0, p.stderr
    md = out.read_text()
    assert time_row + '| ≥ 0.25 | yes |' in md
    assert '| `rate` | 8.00 things/s (8.00–8.00)' in md           # the run itself: A's 4th value (3rd: warm-up)
    stored = json.loads(res.read_text())
    assert stored['time']['restored_from'] == 'BENCHMARKS.md' and stored['time']['pairs'] == 1


def test_markdown_round_trip():
    "What `render` writes, `results_from_markdown` reads back so that `render` writes the same table again."
    from bench import harness as h
    text = (ROOT / 'BENCHMARKS.md').read_text(encoding='utf-8')
    machine = dict(h._machine_from_markdown(text), fastai='2.8.12', peer_build_s=103)
    results = h.results_from_markdown(text)
    row = next(line for line in text.splitlines() if line.startswith('| `learner_fit` |'))
    ratio = float(row.split(' | ')[3].split(' (')[0].replace(',', ''))   # the table's own figure, whatever the run
    assert results['learner_fit']['ratio']['median'] == ratio and results['learner_fit']['pairs'] >= 1
    cases = h.load_cases()
    once = h.render(cases, results, machine)
    assert h.render(cases, h.results_from_markdown(once), machine) == once


# --- `make gpu` (bench/gpu_check.py) and the GPU sides' precision rule, on this CPU machine

def test_make_gpu_without_a_gpu_says_so_in_one_line(tmp_path):
    report = tmp_path / 'gpu-report.md'
    p = subprocess.run([sys.executable, '-m', 'bench.gpu_check', '--report', report], cwd=ROOT, capture_output=True,
                       text=True, env={'PATH': str(tmp_path), 'PYTHONPATH': str(ROOT)}, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ['make gpu: no NVIDIA GPU on this machine (nvidia-smi lists none): '
                                     'nothing to check.']
    assert not report.exists()


def test_make_gpu_with_a_gpu_torch_cannot_use(tmp_path):
    "nvidia-smi lists a GPU, but this torch has no usable CUDA (driver too old, CPU-only build): one line, exit 1."
    smi = tmp_path / 'nvidia-smi'
    smi.write_text('#!/bin/sh\necho "Tesla T4"\n')
    smi.chmod(0o755)
    p = subprocess.run([sys.executable, '-m', 'bench.gpu_check'], cwd=ROOT, capture_output=True, text=True,
                       env={'PATH': f'{tmp_path}:/usr/bin:/bin', 'PYTHONPATH': str(ROOT), 'CUDA_VISIBLE_DEVICES': ''},
                       timeout=120)
    assert p.returncode == 1, p.stdout + p.stderr
    [line] = p.stdout.splitlines()
    assert line.startswith('make gpu: Tesla T4 is present, but torch ') and 'cannot use it' in line, line


class FakeRunner:
    "Answers commands from a script instead of running them; records what it was asked; `None` means out of time."
    def __init__(self, answers):
        self.answers, self.calls, self.start = answers, [], 0.0

    def __call__(self, argv, timeout, env=None, min_s=20):
        argv = [str(a) for a in argv]
        self.calls.append((argv, env))
        for key, answer in self.answers.items():
            if any(key in a for a in argv): return answer(argv) if callable(answer) else answer
        raise AssertionError(f'unexpected command {argv}')


def test_gpu_report_from_a_fake_run(tmp_path):
    from bench import gpu_check as g
    from bench import harness as h
    results, md = tmp_path / 'results.json', tmp_path / 'BENCH.md'
    md.write_text('')
    gpu_machine = {'gpu': 'NVIDIA H200', 'cpu': 'x', 'cores': 16}
    def bench_run(argv):   # the harness stores results as a real run would
        h.save_results({'forward_peak_cuda': {
            'case': 'forward_peak_cuda', 'unit': 'GFLOP/s', 'peer_name': 'peak matmul', 'target': 0.3, 'met': True,
            'ours': {'median': 300.0, 'min': 290.0, 'max': 310.0}, 'peer': {'median': 600.0, 'min': 600.0,
            'max': 600.0}, 'ratio': {'median': 0.5, 'min': 0.48, 'max': 0.52}, 'ours_error': None,
            'peer_error': None, 'machine': gpu_machine}}, results)
        return 0, 'ok', 42.0
    lesson_out = tmp_path / 'lessons'
    def lesson_run(argv):
        name = Path(argv[argv.index('--run-lesson') + 1]).name
        lesson_out.mkdir(exist_ok=True)
        text = 'Dataset x: full mode, as in the lesson, resnet34, sz=224' if name != 'lesson1.ipynb' else 'quick mode'
        (lesson_out / name).write_text(text)
        return 0, '', 30.0
    run = FakeRunner({'nbdev_test': (1, 'AssertionError: expected torch.float16, got torch.bfloat16', 12.0),
                      '--run-lesson': lesson_run, '-m': None})
    checks = g.check_cuda_cells(run)
    checks += g.check_lessons(run, tmp_path / 'd.tgz', lesson_out)
    run.answers = {'-m': bench_run}
    checks += g.check_bench(run, results, md, cases=['forward_peak_cuda', 'learner_unfrozen_cuda'])
    # the cuda cells ran with the cuda flag, once per notebook that has `#| cuda` cells
    cuda_calls = [a for a, _ in run.calls if 'nbdev_test' in a[0]]
    notebooks = [a[a.index('--path') + 1].split('/')[-1] for a in cuda_calls]
    assert notebooks == ['03_data.ipynb', '06b_distributed.ipynb', '07_learner.ipynb']
    assert all(a[a.index('--flags') + 1] == 'cuda' for a in cuda_calls)
    assert all(e['LESSON_KIT_TEST'] == '1' for a, e in run.calls if 'nbdev_test' in a[0])
    # the lessons ran in full mode on the generated archive, not the sample
    lesson_envs = [e for a, e in run.calls if '--run-lesson' in a]
    assert lesson_envs and all(e['LESSON_KIT_QUICK'] == '0' and e['LESSON_KIT_DATASET'].endswith('d.tgz')
                               and 'LESSON_KIT_OFFLINE' not in e for e in lesson_envs)
    device = {'gpu': 'NVIDIA H200', 'count': 1, 'capability': '9.0', 'memory_gib': 139.8, 'driver': '580.1',
              'torch': '2.14.1', 'cuda': '13.0', 'cudnn': 91000, 'torchvision': '0.29.1', 'lesson_kit': '0.1.0',
              'amp_dtype': 'bfloat16', 'amp_rule': 'lesson_kit.learner.amp_dtype'}
    text = g.report_text(device, checks, 300, when='2026-12-04 22:00 UTC')
    report = tmp_path / 'out' / 'gpu-report.md'
    g.write_report(report, text)
    text = report.read_text()
    assert 'NVIDIA H200 ×1, compute capability 9.0, 139.8 GiB; driver 580.1' in text
    assert 'Autocast dtype for this GPU: bfloat16 (rule: lesson_kit.learner.amp_dtype)' in text
    assert '| `#| cuda` cells of nbs/03_data.ipynb | **fail** | 12 s | AssertionError: expected torch.float16' in text
    assert '| lesson lesson1.ipynb, full mode | **fail** |' in text and 'not in full mode' in text
    assert '| lesson lesson1_convolutions.ipynb, full mode | pass | 30 s |' in text
    assert '| bench `forward_peak_cuda` | pass |' in text
    assert '| forward_peak_cuda: ratio (target ≥ 0.3) | 0.500 |' in text
    assert '| bench `learner_unfrozen_cuda` | **fail** |' in text and 'no result on this GPU' in text
    assert text.count('| pass |') + text.count('| **fail** |') == len(checks)


def test_out_of_time_steps_are_reported_not_run(tmp_path):
    from bench import gpu_check as g
    run = FakeRunner({'': None})      # every command: no time left
    checks = g.check_bench(run, tmp_path / 'r.json', tmp_path / 'B.md', cases=['forward_peak_cuda'])
    assert [(c.ok, c.detail) for c in checks] == [(None, 'not run: the time limit was reached first')]
    assert '| bench `forward_peak_cuda` | not run | 0 s |' in g.report_text({}, checks, 480)


def test_runner_stops_a_command_at_the_limit():
    from bench.gpu_check import Runner
    run = Runner(limit_s=22)
    rc, out, seconds = run([sys.executable, '-c', 'import time; print("started", flush=True); time.sleep(60)'],
                           timeout=600, min_s=1)
    assert rc == 124 and 'the time limit' in out and seconds < 30
    assert run([sys.executable, '-c', 'pass'], timeout=600) is None        # under 20 s left: not started


def _precision():
    import importlib
    sys.path.insert(0, str(ROOT / 'bench' / 'sides'))
    return importlib.import_module('precision')


@pytest.mark.parametrize('capability, dtype', [((6, 0), 'float16'), ((7, 5), 'float16'), ((8, 0), 'bfloat16'),
                                               ((9, 0), 'bfloat16')])
def test_gpu_sides_pick_the_learners_precision(monkeypatch, capability, dtype):
    "bf16 only where it is native (capability >= 8.0; a T4 is 7.5), float16 below, whatever is_bf16_supported says."
    import torch
    precision = _precision()
    seen = []
    monkeypatch.setattr(torch.cuda, 'get_device_capability', lambda d=None: seen.append(d) or capability)
    monkeypatch.setattr(torch.cuda, 'is_bf16_supported', lambda *a, **k: True)
    assert precision.capability_rule('cuda:1') == getattr(torch, dtype)
    assert seen == [torch.device('cuda:1')]                  # the device asked about, not the current one
    assert precision.capability_rule('cpu') is None


def test_gpu_sides_follow_lesson_kit_when_it_has_the_rule(monkeypatch):
    import torch

    import lesson_kit.learner
    precision = _precision()
    monkeypatch.setattr(lesson_kit.learner, 'amp_dtype', lambda device: ('learner rule', device), raising=False)
    assert precision.amp_dtype('cuda:0') == ('learner rule', torch.device('cuda:0'))
    assert precision.rule_source() == 'lesson_kit.learner.amp_dtype'
