"""`make gpu`: every check that needs a GPU, in one run of at most 8 minutes, reported in out/gpu-report.md.

1. Every `#| cuda` notebook cell: `nbdev_test --flags cuda` on the notebooks that have such cells.
2. The lessons in full mode (resnet34, 224 px, as on a GPU runtime) on a folder of generated JPEGs
   (`bench/make_jpegs.py`, 2,000 + 500 pictures, packed as a .tgz so the lesson's own `fetch` unpacks it: no download).
3. The GPU bench cases (`NEEDS_CUDA`): ResNet34 at 224 px unfrozen against fastai 2.8's `to_fp16()` (the peer venv:
   build it first with `bash bench/make_peer_env.sh`, which downloads for minutes; `make gpu` does not),
   GPU against CPU JPEG decoding, the forward pass against the GPU's peak; their rows land in BENCHMARKS.md's GPU table.

Each step gets what is left of the time limit; one that cannot start in time is reported as not run. On a machine
without a GPU it prints one line and exits 0; where a GPU is present but this torch cannot use it, one line and exit 1.

    python -m bench.gpu_check [--limit 480] [--report out/gpu-report.md]
"""
import argparse
import datetime
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import harness

ROOT = harness.ROOT
NBS, LESSONS = ROOT / 'nbs', ROOT / 'nbs' / 'lessons'
REPORT = ROOT / 'out' / 'gpu-report.md'
LESSONS_OUT = ROOT / 'out' / 'gpu'
LIMIT_S = 480
FULL_MODE = 'full mode, as in the lesson'   # what lesson 1's settings cell prints when it runs at full settings


@dataclass
class Check:
    "One line of the report: `ok` True (pass), False (fail) or None (not run), with figures as (label, text)."
    name: str
    ok: bool | None
    seconds: float = 0.0
    detail: str = ''
    figures: list = field(default_factory=list)


class Runner:
    "Runs commands within the time left before `deadline` (time.monotonic()); `(rc, output, seconds)` or None."
    def __init__(self, limit_s=LIMIT_S):
        self.start = time.monotonic()
        self.deadline = self.start + limit_s

    def left(self):
        return self.deadline - time.monotonic()

    def __call__(self, argv, timeout, env=None, min_s=20):
        "Run `argv` for at most `timeout` s (less if the limit is nearer); None if under `min_s` s are left."
        budget = min(timeout, self.left())
        if budget < min_s: return None
        t0 = time.monotonic()
        try:
            p = subprocess.run([str(a) for a in argv], cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=budget)
            return p.returncode, p.stdout + p.stderr, time.monotonic() - t0
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b'').decode(errors='replace') if isinstance(e.stdout, bytes) else (e.stdout or '')
            return 124, out + f'\n(stopped after {budget:.0f} s: the time limit)', time.monotonic() - t0


# ---------------------------------------------------------------- is there a GPU?
def gpu_status(python=sys.executable, gpu_name=harness._gpu_name):
    "(usable, line): whether torch can use a GPU here, and the one line to print when it cannot."
    name = gpu_name()
    if not name: return False, 'make gpu: no NVIDIA GPU on this machine (nvidia-smi lists none): nothing to check.'
    p = subprocess.run([str(python), '-c', 'import torch; print(torch.cuda.is_available(), torch.__version__, '
                        'torch.version.cuda)'], capture_output=True, text=True)
    words = p.stdout.split()
    if p.returncode == 0 and words[:1] == ['True']: return True, None
    torch_v, cuda_v = (words[1], words[2]) if len(words) >= 3 else ('?', '?')
    return False, (f'make gpu: {name} is present, but torch {torch_v} (built for CUDA {cuda_v}) cannot use it: '
                   'update the NVIDIA driver, or install a torch build for the CUDA this driver supports.')


def device_info(python=sys.executable):
    "The GPU, its capability and memory, the driver, CUDA/cuDNN and library versions, as a dict."
    code = ('import json, torch, torchvision, importlib.metadata as m\n'
            'p = torch.cuda.get_device_properties(0)\n'
            'print(json.dumps({"gpu": p.name, "capability": "%d.%d" % (p.major, p.minor), '
            '"memory_gib": round(p.total_memory / 2**30, 1), "count": torch.cuda.device_count(), '
            '"torch": torch.__version__, "torchvision": torchvision.__version__, "cuda": torch.version.cuda, '
            '"cudnn": torch.backends.cudnn.version(), "lesson_kit": m.version("lesson_kit") '
            'if any(d.metadata["Name"] == "lesson_kit" for d in m.distributions()) else "from the source tree"}))')
    p = subprocess.run([str(python), '-c', code], capture_output=True, text=True, cwd=ROOT)
    info = json.loads(p.stdout.strip().splitlines()[-1]) if p.returncode == 0 else {'error': p.stderr[-300:]}
    q = subprocess.run(['nvidia-smi', '--query-gpu=driver_version', '--format=csv,noheader'], capture_output=True,
                       text=True) if shutil.which('nvidia-smi') else None
    info['driver'] = q.stdout.strip().splitlines()[0] if q and q.returncode == 0 and q.stdout.strip() else None
    sys.path.insert(0, str(harness.BENCH / 'sides'))
    try:
        import precision
        info['amp_rule'] = precision.rule_source()
        if 'error' not in info: info['amp_dtype'] = str(precision.amp_dtype('cuda')).replace('torch.', '')
    except Exception as e:  # the report still comes out, saying what went wrong
        info['amp_rule'] = f'could not check: {e!r}'
    return info


# ---------------------------------------------------------------- the checks
def cuda_notebooks(nbs=NBS):
    "The notebooks under `nbs` with at least one `#| cuda` cell."
    found = []
    for path in sorted(Path(nbs).rglob('*.ipynb')):
        if '.ipynb_checkpoints' in path.parts: continue
        cells = json.loads(path.read_text(encoding='utf-8')).get('cells', [])
        if any(line.strip().replace(' ', '') == '#|cuda' for c in cells if c.get('cell_type') == 'code'
               for line in (''.join(c['source']) if isinstance(c['source'], list) else c['source']).splitlines()):
            found.append(path)
    return found


def _tail(text, n=600):
    "The end of a command's output, for the report."
    text = text.strip()
    return text if len(text) <= n else '…' + text[-n:]


def check_cuda_cells(run, nbs=NBS):
    "Step 1: `nbdev_test --flags cuda` on each notebook that has `#| cuda` cells."
    nbdev_test = Path(sys.executable).parent / 'nbdev_test'
    checks = []
    for nb in cuda_notebooks(nbs):
        name = f'`#| cuda` cells of {nb.relative_to(ROOT) if nb.is_relative_to(ROOT) else nb}'
        env = dict(os.environ, PYTHONPATH=str(ROOT), LESSON_KIT_TEST='1')   # as `make test` runs the notebooks
        got = run([nbdev_test, '--path', nb, '--flags', 'cuda', '--do_print'], timeout=180, env=env)
        checks.append(_result(name, got))
    return checks


def _result(name, got, figures=()):
    "A Check from a runner's answer."
    if got is None: return Check(name, None, detail='not run: the time limit was reached first')
    rc, out, seconds = got
    return Check(name, rc == 0, seconds, '' if rc == 0 else _tail(out), list(figures))


def lesson_archive(dest_dir):
    "The GPU JPEG folder packed as `dest_dir/dogscats_gpu.tgz` (the lessons' `fetch` unpacks it), made once."
    from bench.make_jpegs import GPU_DEST, GPU_TRAIN, GPU_VALID, make_jpegs
    folder = make_jpegs(GPU_DEST, n_train=GPU_TRAIN, n_valid=GPU_VALID)
    archive = Path(dest_dir) / 'dogscats_gpu.tgz'
    if archive.exists() and archive.stat().st_mtime >= (folder / 'params.json').stat().st_mtime: return archive
    tmp = archive.with_suffix('.tmp')
    with tarfile.open(tmp, 'w:gz', compresslevel=1) as t:
        for split in ('train', 'valid'): t.add(folder / split, arcname=f'dogscats_gpu/{split}')
    os.replace(tmp, archive)
    return archive


def check_lessons(run, archive, out_dir=LESSONS_OUT):
    "Step 2: every lesson in full mode on `archive`, executed by `make lesson`'s runner into `out_dir`."
    home = Path(tempfile.mkdtemp(prefix='gpu-lessons-home-'))
    env = {k: v for k, v in os.environ.items() if k not in ('LESSON_KIT_OFFLINE', 'LESSON_KIT_TEST')}
    env.update(LESSON_KIT_DATASET=str(archive), LESSON_KIT_QUICK='0', LESSON_KIT_HOME=str(home),
               PYTHONPATH=str(ROOT), MPLBACKEND='Agg')
    checks = []
    for nb in sorted(LESSONS.glob('*.ipynb')):
        got = run([sys.executable, '-m', 'bench.gpu_check', '--run-lesson', nb, '--out', out_dir], timeout=300,
                  env=env)
        check = _result(f'lesson {nb.name}, full mode', got)
        executed = Path(out_dir) / nb.name
        if check.ok and nb.name == 'lesson1.ipynb' and FULL_MODE not in executed.read_text(encoding='utf-8'):
            check.ok, check.detail = False, f'ran, but not in full mode: its settings cell did not print {FULL_MODE!r}'
        if check.ok: check.figures.append((f'{nb.stem}: wall time, full mode', f'{check.seconds:.0f} s'))
        checks.append(check)
    shutil.rmtree(home, ignore_errors=True)
    return checks


def run_one_lesson(path, out_dir):
    "Execute lesson `path` as `make lesson` does (.ci/run_lessons.py), writing into `out_dir`."
    spec = importlib.util.spec_from_file_location('run_lessons', ROOT / '.ci' / 'run_lessons.py')
    lessons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lessons)
    lessons.OUT = Path(out_dir)
    lessons.OUT.mkdir(parents=True, exist_ok=True)
    lessons.run_lesson(Path(path))


def gpu_cases(cases_dir=harness.CASES_DIR):
    "Names of the bench cases that need CUDA."
    return [n for n, m in harness.load_cases(cases_dir).items()
            if not isinstance(m, Exception) and getattr(m, 'NEEDS_CUDA', False)]


def check_bench(run, results_path=harness.RESULTS, markdown=harness.MARKDOWN, cases=None):
    "Step 3: the GPU bench cases, 2 pairs each; one check per case, with its figures."
    cases = cases if cases is not None else gpu_cases()
    args = ['--case', ','.join(cases), '--pairs', '2', '--results', results_path, '--out', markdown]
    # The peer venv is used if it is there; building it (torch and fastai downloads) would not fit in the limit.
    env = dict(os.environ, PYTHONPATH=str(ROOT), BENCH_PEER_BUILD='0')
    got = run([sys.executable, '-m', 'bench', *args], timeout=360, env=env, min_s=60)
    if got is None: return [Check(f'bench `{c}`', None, detail='not run: the time limit was reached first')
                            for c in cases]
    rc, out, seconds = got
    results = harness.load_results(results_path, markdown)
    checks = []
    for c in cases:
        r = results.get(c)
        if not r or not r.get('machine', {}).get('gpu'):
            checks.append(Check(f'bench `{c}`', False, detail=f'no result on this GPU; {_tail(out, 300)}'))
            continue
        figures = [(f'{c}: lesson_kit', harness._side(r['ours'], r['unit']) if r.get('ours') else r['ours_error']),
                   (f'{c}: {r["peer_name"]}', r['peer_error'] or harness._side(r['peer'], r['unit']))]
        if r.get('ratio'):
            figures.append((f'{c}: ratio (target ≥ {r["target"]:g})', harness._fmt(r['ratio']['median'])))
        ok = not r.get('ours_error') and r.get('met') is not False
        detail = r.get('ours_error') or ('' if r.get('met') is not False else 'below its target')
        checks.append(Check(f'bench `{c}`', ok, detail=detail, figures=figures))
    return checks


# ---------------------------------------------------------------- the report
def report_text(device, checks, seconds, limit_s=LIMIT_S, when=None):
    "out/gpu-report.md's text: the device and versions, each check with pass/fail, and every figure."
    when = when or datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    word = {True: 'pass', False: '**fail**', None: 'not run'}
    passed = sum(c.ok is True for c in checks)
    d = device
    lines = ['# GPU check', '', f'`make gpu` on {when}: {passed} of {len(checks)} checks passed in '
             f'{seconds / 60:.1f} min (limit {limit_s / 60:.0f} min).', '', '## Device', '',
             f"- GPU: {d.get('gpu', '?')} ×{d.get('count', '?')}, compute capability {d.get('capability', '?')}, "
             f"{d.get('memory_gib', '?')} GiB; driver {d.get('driver') or '?'}",
             f"- torch {d.get('torch', '?')} (CUDA {d.get('cuda', '?')}, cuDNN {d.get('cudnn', '?')}), torchvision "
             f"{d.get('torchvision', '?')}, lesson_kit {d.get('lesson_kit', '?')}",
             f"- Autocast dtype for this GPU: {d.get('amp_dtype', '?')} (rule: {d.get('amp_rule', '?')})"]
    if d.get('error'): lines.append(f"- Could not read the device: {d['error']}")
    lines += ['', '## Checks', '', '| check | result | time | detail |', '|---|---|---|---|']
    for c in checks:
        detail = ' '.join(c.detail.split()).replace('|', '/')
        lines.append(f'| {c.name} | {word[c.ok]} | {c.seconds:.0f} s | {detail} |')
    figures = [f for c in checks for f in c.figures]
    lines += ['', '## Figures', '']
    lines += ['| figure | value |', '|---|---|', *[f'| {k} | {v} |' for k, v in figures]] if figures else ['none']
    return '\n'.join(lines) + '\n'


def write_report(path, text):
    "Write the report atomically."
    harness._write_atomic(Path(path), text)


# ---------------------------------------------------------------- command line
def run_all(run, report=REPORT, limit_s=LIMIT_S, device=None, archive_dir=None):
    "Every step in order within the limit; writes the report; returns the checks."
    device = device if device is not None else device_info()
    checks = check_cuda_cells(run)
    t0 = time.monotonic()
    try: archive = lesson_archive(archive_dir or harness.BENCH / '.data')
    except Exception as e:
        checks.append(Check('JPEG folder for the lessons', False, time.monotonic() - t0, repr(e)))
    else: checks += check_lessons(run, archive)
    checks += check_bench(run)
    write_report(report, report_text(device, checks, time.monotonic() - run.start, limit_s))
    return checks


def main(argv=None):
    p = argparse.ArgumentParser(prog='python -m bench.gpu_check', description=__doc__.splitlines()[0])
    p.add_argument('--limit', type=float, default=LIMIT_S, help='seconds for the whole run (default 480)')
    p.add_argument('--report', type=Path, default=REPORT)
    p.add_argument('--run-lesson', type=Path, help=argparse.SUPPRESS)   # one lesson, in a child process
    p.add_argument('--out', type=Path, default=LESSONS_OUT, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.run_lesson: return run_one_lesson(a.run_lesson, a.out)
    usable, line = gpu_status()
    if not usable:
        print(line)
        return 0 if 'no NVIDIA GPU' in line else 1
    checks = run_all(Runner(a.limit), a.report, a.limit)
    failed = [c.name for c in checks if c.ok is not True]
    print(f'make gpu: {len(checks) - len(failed)} of {len(checks)} checks passed; report in {a.report}'
          + (f'; not passed: {", ".join(failed)}' if failed else ''))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
