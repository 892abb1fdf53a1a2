"""Side-by-side benchmarks: lesson_kit against its peer, alternately, in fresh processes.

Absolute times on a shared machine drift (other processes, thermal state, caches), so every case runs its two
commands alternately, A B A B ..., one warm-up pair and then `pairs` measured pairs, and reports the median of the
per-pair ratios. A ratio is oriented so that > 1 always means lesson_kit is better.

A case is a module `bench/cases/NAME.py` defining `DESCRIPTION`, `UNIT`, `HIGHER_IS_BETTER`, `TARGET`, `PEER`
and `commands(ctx) -> (ours_argv, peer_argv)`; each command prints `{"value": <float>}` as its last stdout line.
`BENCH_PEER_BUILD=0` reports a missing peer venv instead of building it (`make gpu` sets it: its time is short).
Optional: `NEEDS_CUDA` (skipped without a GPU), `NOTE` (why the target is what it is), `PAIRS`, `TIMEOUT` (s).
`TARGET = None` makes a case informational: measured and shown, never met or missed (its NOTE says why).
Targets belong to the case, not to a run: the table judges each stored ratio against the case's current TARGET.
Without bench/results/results.json (a fresh clone), the stored results are read back from BENCHMARKS.md, so running
one case rewrites only its own row.
"""
import argparse
import datetime
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / 'bench'
CASES_DIR = BENCH / 'cases'
RESULTS = BENCH / 'results' / 'results.json'
MARKDOWN = ROOT / 'BENCHMARKS.md'
STATUS = BENCH / 'STATUS.md'   # hand-written: what is pending, shown under BENCHMARKS.md's introduction
PEER_VENV = BENCH / '.venv-peer'
REQUIRED = ('DESCRIPTION', 'UNIT', 'HIGHER_IS_BETTER', 'TARGET', 'PEER', 'commands')
DEFAULT_PAIRS, QUICK_PAIRS, DEFAULT_TIMEOUT = 5, 2, 900


class SideError(RuntimeError):
    "One side of a case could not be run or did not print `{\"value\": float}` last."


# ---------------------------------------------------------------- context
class Context:
    "What a case's `commands(ctx)` may use: interpreters, the JPEG folder, a scratch folder, the repo root."

    def __init__(self, root=ROOT, python=None, peer_venv=PEER_VENV, quick=False, threads=None):
        self.root, self.quick = Path(root), quick
        self.python = Path(python or sys.executable)
        self.peer_venv = Path(peer_venv)
        self.peer_python = self.peer_venv / 'bin' / 'python'
        self.threads = threads or os.cpu_count() or 1
        self.tmp = None  # set per case by `run_case`
        self._jpegs = None

    @property
    def jpegs(self):
        "The dogscats-like JPEG folder, built on first use (`bench/make_jpegs.py`)."
        if self._jpegs is None:
            from bench.make_jpegs import make_jpegs
            self._jpegs = make_jpegs()
        return self._jpegs

    @property
    def big_jpegs(self):
        "The same folder with pictures about 1000x1333 px (`make_jpegs(scale=2.667)`), built on first use."
        from bench.make_jpegs import BIG_DEST, BIG_SCALE, make_jpegs
        return make_jpegs(BIG_DEST, scale=BIG_SCALE)

    @property
    def gpu_jpegs(self):
        "A bigger folder for GPU cases and `make gpu` (2,000 train + 500 valid pictures), built on first use."
        from bench.make_jpegs import GPU_DEST, GPU_TRAIN, GPU_VALID, make_jpegs
        return make_jpegs(GPU_DEST, n_train=GPU_TRAIN, n_valid=GPU_VALID)

    def env(self):
        "Environment for child processes: same thread count on both sides, passive OpenMP waits, repo importable."
        env = dict(os.environ)
        n = str(self.threads)
        path = [str(self.root)] + ([env['PYTHONPATH']] if env.get('PYTHONPATH') else [])
        env.update(OMP_WAIT_POLICY='PASSIVE', OMP_NUM_THREADS=n, MKL_NUM_THREADS=n, BENCH_THREADS=n,
                   PYTHONPATH=os.pathsep.join(path))
        env.setdefault('MPLBACKEND', 'Agg')
        if self.quick: env['BENCH_QUICK'] = '1'
        return env


_peer_state = {}


def ensure_peer(ctx, log=print):
    "Build the peer venv if needed (`bench/make_peer_env.sh`); return None when ready, else why it is not."
    key = str(ctx.peer_venv)
    if os.environ.get('BENCH_PEER_BUILD') == '0' and not (ctx.peer_venv / '.peer-installed').exists():
        return 'not built: run `bash bench/make_peer_env.sh` first (this run does not build it: minutes of downloads)'
    if key not in _peer_state:
        log(f'[bench] checking the peer environment {ctx.peer_venv} (first build takes minutes)')
        env = dict(os.environ, PEER_VENV=key, PYTHON=os.environ.get('PEER_BASE_PYTHON', _base_python()))
        t0 = time.perf_counter()
        p = subprocess.run(['bash', str(BENCH / 'make_peer_env.sh')], env=env, capture_output=True, text=True)
        if p.returncode == 0 and ctx.peer_python.exists():
            _peer_state[key] = None
            log(f'[bench] peer environment ready ({time.perf_counter() - t0:.0f} s)')
        else:
            _peer_state[key] = 'not built: ' + _short(p.stderr or p.stdout or f'exit {p.returncode}')
            log(f'[bench] peer environment {_peer_state[key]}')
    return _peer_state[key]


def _base_python():
    "The interpreter the lesson_kit venv was made from, so the peer venv gets the same Python."
    return getattr(sys, '_base_executable', None) or shutil.which('python3') or sys.executable


# ---------------------------------------------------------------- cases
def load_cases(cases_dir=CASES_DIR):
    "Every `cases_dir/*.py` (not starting with `_`) as {name: module or the error that stopped it loading}."
    cases = {}
    for path in sorted(Path(cases_dir).glob('*.py')):
        if path.name.startswith('_'): continue
        name = path.stem
        try:
            spec = importlib.util.spec_from_file_location(f'bench_case_{name}', path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            missing = [a for a in REQUIRED if not hasattr(mod, a)]
            if missing: raise AttributeError(f'{path} lacks {", ".join(missing)} (see bench/harness.py)')
            cases[name] = mod
        except Exception as e:  # a broken case must not stop the others
            cases[name] = e
    return cases


# ---------------------------------------------------------------- running
def run_side(argv, env, cwd, timeout):
    "Run `argv` in a fresh process and return the float in the JSON object on its last stdout line."
    argv = [str(a) for a in argv]
    try: p = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)
    except subprocess.TimeoutExpired: raise SideError(f'timed out after {timeout} s') from None
    except OSError as e: raise SideError(f'could not start {argv[0]}: {e}') from None
    if p.returncode != 0: raise SideError(f'exit {p.returncode}: {_short(p.stderr or p.stdout)}')
    lines = [line for line in p.stdout.splitlines() if line.strip()]
    if not lines: raise SideError('printed nothing; expected {"value": <float>} as the last stdout line')
    try:
        out = json.loads(lines[-1])
        value = float(out['value'])
    except (ValueError, KeyError, TypeError):
        raise SideError(f'last stdout line is not {{"value": <float>}}: {lines[-1][:120]!r}') from None
    if not math.isfinite(value) or value <= 0: raise SideError(f'value must be a positive number, got {value}')
    return value, {k: v for k, v in out.items() if k != 'value'}


def _stats(values):
    return {'median': statistics.median(values), 'min': min(values), 'max': max(values), 'values': values}


def ratio(ours, peer, higher_is_better):
    "Speed-up of lesson_kit over the peer: > 1 means lesson_kit is better."
    return ours / peer if higher_is_better else peer / ours


def run_case(name, mod, ctx, pairs=None, log=print):
    "Run case `mod` as a warm-up pair plus `pairs` alternating pairs; return its result record."
    pairs = pairs or getattr(mod, 'PAIRS', None) or (QUICK_PAIRS if ctx.quick else DEFAULT_PAIRS)
    res = _record(name, mod, ctx, pairs)
    hib, timeout = bool(mod.HIGHER_IS_BETTER), getattr(mod, 'TIMEOUT', DEFAULT_TIMEOUT)
    ctx.tmp = Path(tempfile.mkdtemp(prefix=f'bench-{name}-'))
    res['load_before'] = _loadavg()
    try:
        try: ours_argv, peer_argv = mod.commands(ctx)
        except Exception as e:
            res['ours_error'] = f'commands(ctx) failed: {_short(repr(e))}'
            return res
        if any(str(a) == str(ctx.peer_python) for a in [*ours_argv, *peer_argv]):
            res['peer_error'] = ensure_peer(ctx, log)
        env, ours, peer, ratios = ctx.env(), [], [], []
        for i in range(pairs + 1):
            tag = 'warm-up' if i == 0 else f'pair {i}/{pairs}'
            try: o, res['ours_extra'] = run_side(ours_argv, env, ctx.root, timeout)
            except SideError as e:
                res['ours_error'] = _short(str(e))
                log(f'[bench] {name} {tag}: lesson_kit side failed: {e}')
                break
            res['order'].append('ours')
            p = None
            if not res['peer_error']:
                try: p, res['peer_extra'] = run_side(peer_argv, env, ctx.root, timeout)
                except SideError as e:
                    res['peer_error'] = 'failed: ' + _short(str(e))
                    log(f'[bench] {name} {tag}: peer side failed: {e}')
                else: res['order'].append('peer')
            msg = f'[bench] {name} {tag}: lesson_kit {_fmt(o)} {mod.UNIT}'
            if p is not None: msg += f', {mod.PEER} {_fmt(p)} {mod.UNIT}, ratio {_fmt(ratio(o, p, hib))}'
            log(msg)
            if i == 0: continue
            ours.append(o)
            if p is not None:
                peer.append(p)
                ratios.append(ratio(o, p, hib))
        res['load_after'] = _loadavg()
        res['ours'] = _stats(ours) if ours else None
        res['peer'] = _stats(peer) if peer and len(peer) == len(ours) else None
        if res['peer'] and ratios:
            res['ratio'] = _stats(ratios)
            res['met'] = _met(res['ratio']['median'], res['target'])
        return res
    finally:
        shutil.rmtree(ctx.tmp, ignore_errors=True)


def _target(mod):
    "The case's target ratio, or None for an informational case."
    return None if mod.TARGET is None else float(mod.TARGET)


def _met(ratio_median, target):
    "Whether a median ratio meets `target` (None: informational, neither met nor missed)."
    return None if target is None or ratio_median is None else ratio_median >= target


def _loadavg():
    "The 1-minute load average (how busy the machine was), or None where the OS does not tell."
    try: return round(os.getloadavg()[0], 1)
    except (AttributeError, OSError): return None


def _record(name, mod, ctx, pairs):
    return {'case': name, 'description': str(mod.DESCRIPTION), 'unit': str(mod.UNIT),
            'higher_is_better': bool(mod.HIGHER_IS_BETTER), 'target': _target(mod), 'peer_name': str(mod.PEER),
            'note': str(getattr(mod, 'NOTE', '')), 'needs_cuda': bool(getattr(mod, 'NEEDS_CUDA', False)),
            'quick': ctx.quick, 'pairs': pairs, 'threads': ctx.threads,
            'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
            'ours': None, 'peer': None, 'ratio': None, 'met': None, 'ours_error': None, 'peer_error': None,
            'ours_extra': {}, 'peer_extra': {}, 'order': []}


# ---------------------------------------------------------------- machine
def machine_info(ctx):
    "CPU model, cores, RAM, Python/torch versions, GPU (if any) and the peer's fastai version."
    info = {'cpu': _cpu_model(), 'cores': os.cpu_count(), 'ram_gib': _ram_gib(), 'python': platform.python_version(),
            'torch': _version('torch'), 'torchvision': _version('torchvision'), 'gpu': _gpu_name(),
            'threads': ctx.threads}
    if ctx.peer_python.exists():
        code = 'import importlib.metadata as m; print(m.version("fastai"))'
        p = subprocess.run([str(ctx.peer_python), '-c', code], capture_output=True, text=True)
        info['fastai'] = p.stdout.strip() if p.returncode == 0 else None
        build = ctx.peer_venv / '.build-seconds'
        info['peer_build_s'] = int(build.read_text()) if build.exists() else None
    return info


def _cpu_model():
    try:
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'): return line.split(':', 1)[1].strip()
    except OSError: pass
    return platform.processor() or platform.machine()


def _ram_gib():
    try:
        for line in Path('/proc/meminfo').read_text().splitlines():
            if line.startswith('MemTotal'): return round(int(line.split()[1]) / 2**20, 1)
    except OSError: pass
    return None


def _version(pkg):
    try: return importlib.metadata.version(pkg)
    except importlib.metadata.PackageNotFoundError: return None


def _gpu_name():
    "The first NVIDIA GPU's name, or None (no `nvidia-smi`, or it finds no GPU)."
    if not shutil.which('nvidia-smi'): return None
    p = subprocess.run(['nvidia-smi', '--query-gpu=name', '--format=csv,noheader'], capture_output=True, text=True)
    names = p.stdout.strip().splitlines() if p.returncode == 0 else []
    return names[0].strip() if names else None


def cuda_available(ctx):
    "Whether torch in the lesson_kit venv can use CUDA."
    if not _gpu_name(): return False
    p = subprocess.run([str(ctx.python), '-c', 'import torch; print(torch.cuda.is_available())'],
                       capture_output=True, text=True)
    return p.stdout.strip() == 'True'


# ---------------------------------------------------------------- results and markdown
def load_results(path=RESULTS, markdown=MARKDOWN):
    "Stored results by case: results.json, or, where there is none yet, what BENCHMARKS.md (`markdown`) shows."
    path, markdown = Path(path), Path(markdown)
    if path.exists(): return json.loads(path.read_text())
    return results_from_markdown(markdown.read_text(encoding='utf-8')) if markdown.exists() else {}


_NUM = r'[\d,.]+(?:e[-+]?\d+)?'
_SIDE = re.compile(rf'^(?:(?P<peer>.*): )?(?P<median>{_NUM}) (?P<unit>.+?) \((?P<min>{_NUM})–(?P<max>{_NUM})\)$')
_ROW = re.compile(r'^\| `(?P<name>[^`]+)`(?P<label>[^|]*)\| (?P<ours>[^|]*) \| (?P<peer>[^|]*) \| '
                  r'(?P<ratio>[^|]*) \| (?P<target>[^|]*) \| (?P<met>[^|]*) \|$')
_MEASURED = re.compile(r'^- `(?P<name>[^`]+)`: .* Measured (?P<date>[\d-]+ [\d:]+ UTC), (?P<pairs>\d+) pairs'
                       r'(?:, load average (?P<lb>[\d.]+) → (?P<la>[\d.]+) on (?P<cores>\d+) cores)?')


def _number(text):
    return float(text.replace(',', ''))


def _side_stats(text):
    "(stats, unit, peer name) from a table cell such as 'fastai 2.8: 209 images/s (195–245)', or None."
    m = _SIDE.match(text.strip())
    if not m: return None
    stats = {k: _number(m.group(k)) for k in ('median', 'min', 'max')}
    return dict(stats, values=[]), m.group('unit'), m.group('peer')


def _machine_from_markdown(text):
    "The machine described in BENCHMARKS.md's Machine section."
    m = {'cpu': None, 'cores': None, 'ram_gib': None, 'gpu': None, 'python': None, 'torch': None}
    cpu = re.search(r'^- CPU: (.+?), (\d+) cores, ([\d.]+) GiB RAM; both sides pinned to (\d+) threads', text, re.M)
    if cpu: m.update(cpu=cpu.group(1), cores=int(cpu.group(2)), ram_gib=float(cpu.group(3)), threads=int(cpu.group(4)))
    ver = re.search(r'^- Python (\S+), torch (\S+), torchvision (\S+?);', text, re.M)
    if ver: m.update(python=ver.group(1), torch=ver.group(2), torchvision=ver.group(3))
    peer = re.search(r'peer venv: fastai (\S+?)(?: \(`bench/make_peer_env.sh` built it in (\d+) s\))?$', text, re.M)
    if peer and peer.group(1) != 'not':
        m.update(fastai=peer.group(1), peer_build_s=peer.group(2) and int(peer.group(2)))
    gpu = re.search(r'^- GPU: (.+)$', text, re.M)
    if gpu and gpu.group(1) != 'none': m['gpu'] = gpu.group(1)
    return m


def results_from_markdown(text):
    "Result records rebuilt from a BENCHMARKS.md written by `render`: the measured rows, their dates and loads."
    machine, results = _machine_from_markdown(text), {}
    for line in text.splitlines():
        row = _ROW.match(line.strip())
        if not row: continue
        ours, peer = _side_stats(row.group('ours')), _side_stats(row.group('peer'))
        if not ours: continue
        ratio = re.match(rf'^({_NUM}) \(({_NUM})–({_NUM})\)$', row.group('ratio').strip())
        name = row.group('name')
        results[name] = {
            'case': name, 'unit': ours[1], 'peer_name': peer[2] if peer else row.group('peer').split(': ')[0],
            'ours': ours[0], 'peer': peer[0] if peer else None, 'quick': '(quick run)' in row.group('met'),
            'ratio': {'median': _number(ratio.group(1)), 'min': _number(ratio.group(2)),
                      'max': _number(ratio.group(3)), 'values': []} if ratio else None,
            'ours_error': None, 'peer_error': None if peer else row.group('peer').split(': ', 1)[-1],
            'machine': machine, 'restored_from': 'BENCHMARKS.md'}
    for line in text.splitlines():
        m = _MEASURED.match(line)
        if not m or m.group('name') not in results: continue
        r = results[m.group('name')]
        r.update(date=m.group('date'), pairs=int(m.group('pairs')))
        if m.group('lb'): r.update(load_before=float(m.group('lb')), load_after=float(m.group('la')))
    return results


def save_results(results, path=RESULTS):
    "Write `results` as JSON atomically (temp file, then rename)."
    _write_atomic(Path(path), json.dumps(results, indent=1, sort_keys=True))


def _write_atomic(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f'.{path.name}-', dir=path.parent)
    with os.fdopen(fd, 'w') as f: f.write(text)
    os.replace(tmp, path)


def _fmt(x):
    "A number with 3 significant figures, no exponent for everyday magnitudes."
    if x is None: return '–'
    if abs(x) >= 1000: return f'{x:,.0f}'
    return f'{x:#.3g}'.rstrip('.') if abs(x) >= 0.001 else f'{x:.2e}'


def _short(text, n=160):
    "The last meaningful line of `text`, one line, no table-breaking pipes, at most `n` chars."
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    s = (lines[-1] if lines else str(text)).replace('|', '/')
    return s if len(s) <= n else s[:n - 1] + '…'


def _side(stats, unit):
    if not stats: return '–'
    return f"{_fmt(stats['median'])} {unit} ({_fmt(stats['min'])}–{_fmt(stats['max'])})"


def table_row(name, r, label=''):
    "One markdown table row for result `r` of case `name` (`label` goes after the name, e.g. the GPU)."
    if r.get('ours_error'): ours = f"failed: {r['ours_error']}"
    else: ours = _side(r['ours'], r['unit'])
    peer = f"{r['peer_name']}: " + (r['peer_error'] if r.get('peer_error') else _side(r['peer'], r['unit']))
    rt = r.get('ratio')
    rat = f"{_fmt(rt['median'])} ({_fmt(rt['min'])}–{_fmt(rt['max'])})" if rt else '–'
    met = '–' if r.get('met') is None else ('yes' if r['met'] else 'no')
    if r.get('quick'): met += ' (quick run)'
    return f"| `{name}`{label} | {ours} | {peer} | {rat} | {_target_text(r['target'])} | {met} |"


def _target_text(target):
    return 'informational' if target is None else f'≥ {target:g}'


HEADER = '| case | lesson_kit | peer | ratio (median, min–max) | target | met? |\n|---|---|---|---|---|---|'


def render(cases, results, machine, status=None):
    "BENCHMARKS.md from every discovered case and its stored result (if any), with the `status` text if given."
    cpu, gpu = [], []
    for name, mod in cases.items():
        r = results.get(name)
        if isinstance(mod, Exception):
            cpu.append(f'| `{name}` | case does not load: {_short(repr(mod))} | – | – | – | – |')
            continue
        needs_cuda = bool(getattr(mod, 'NEEDS_CUDA', False))
        rows = gpu if needs_cuda else cpu
        target = _target_text(_target(mod))
        if r:
            r = dict(r, target=_target(mod), met=_met((r.get('ratio') or {}).get('median'), _target(mod)))
            gpu_label = f" on {r['machine'].get('gpu')}" if needs_cuda and r.get('machine') else ''
            rows.append(table_row(name, r, gpu_label))
        elif needs_cuda and not machine.get('gpu'):
            rows.append(f'| `{name}` | not run: no GPU | {mod.PEER}: not run: no GPU | – | {target} | – |')
        else:
            rows.append(f'| `{name}` | not run yet (`make bench CASE={name}`) | {mod.PEER} | – | {target} | – |')
    runs = [r for r in results.values() if r.get('machine') and r['case'] in cases]
    latest = max((r['date'] for r in runs), default='never')
    m = machine
    lines = ['# Benchmarks', '',
             '> Generated by `make bench` (`python -m bench`, `make bench CASE=name` for one case); '
             'do not edit by hand.', '',
             'Each case runs lesson_kit and its peer **alternately** (A B A B …), each run in a fresh process, '
             'one warm-up pair and then the measured pairs. The ratio is taken pair by pair and oriented so that '
             '**> 1 means lesson_kit is better** (ours/peer for rates, peer/ours for times); the table gives its '
             'median and min–max over the pairs, and each side\'s median (min–max). Absolute numbers on this '
             'shared machine drift with other load; ratios measured side by side hold.', '',
             *(['## Status', '', status.strip(), ''] if status and status.strip() else []),
             '## Machine', '',
             f"- CPU: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; "
             f"both sides pinned to {m['threads']} threads, `OMP_WAIT_POLICY=PASSIVE`; lesson_kit's sides import "
             "lesson_kit first, as the lesson does, so they also run with `THP_MEM_ALLOC_ENABLE=1`, which that "
             "import sets (see nbs/10_package.ipynb); the peers run with their own defaults",
             f"- Python {m['python']}, torch {m['torch']}, torchvision {m['torchvision']}; "
             f"peer venv: fastai {m.get('fastai') or 'not built'}"
             + (f" (`bench/make_peer_env.sh` built it in {m['peer_build_s']} s)" if m.get('peer_build_s') else ''),
             f"- GPU: {m['gpu'] or 'none'}",
             f'- Last run: {latest}', '',
             '## CPU', '', HEADER, *cpu, '',
             '## GPU', '', HEADER, *(gpu or ['| – | no CUDA cases yet | – | – | – | – |']), '',
             '## Cases', '']
    for name, mod in cases.items():
        if isinstance(mod, Exception): continue
        r = results.get(name) or {}
        note = f' {mod.NOTE}' if getattr(mod, 'NOTE', '') else ''
        when = f" Measured {r['date']}, {r['pairs']} pairs" if r.get('date') else ''
        if r.get('load_before') is not None:
            when += f", load average {r['load_before']} → {r['load_after']} on {r['machine']['cores']} cores"
        when += '.' if when else ''
        other = r.get('machine') and (r['machine'].get('cpu'), r['machine'].get('gpu')) != (m['cpu'], m['gpu'])
        if other: when += f" On another machine: {r['machine']['cpu']}, GPU {r['machine'].get('gpu') or 'none'}."
        lines.append(f'- `{name}`: {mod.DESCRIPTION} Peer: {mod.PEER}.{note}{when}')
    return '\n'.join(lines) + '\n'


# ---------------------------------------------------------------- command line
def main(argv=None):
    p = argparse.ArgumentParser(prog='python -m bench', description='lesson_kit benchmarks, side by side with peers.')
    p.add_argument('--case', action='append', default=[], help='case name (repeat or comma-separate); default all')
    p.add_argument('--pairs', type=int, help=f'measured pairs after the warm-up (default {DEFAULT_PAIRS})')
    p.add_argument('--quick', action='store_true', help=f'{QUICK_PAIRS} pairs and BENCH_QUICK=1 for smaller work')
    p.add_argument('--threads', type=int, help='threads for both sides (default: all cores)')
    p.add_argument('--list', action='store_true', help='list the cases and exit')
    p.add_argument('--render-only', action='store_true', help='rewrite BENCHMARKS.md from stored results')
    p.add_argument('--cases-dir', type=Path, default=CASES_DIR)
    p.add_argument('--results', type=Path, default=RESULTS)
    p.add_argument('--out', type=Path, default=MARKDOWN)
    p.add_argument('--peer-venv', type=Path, default=PEER_VENV)
    a = p.parse_args(argv)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    cases = load_cases(a.cases_dir)
    if a.list:
        for name, mod in cases.items(): print(name, '-', mod if isinstance(mod, Exception) else mod.DESCRIPTION)
        return 0
    names = [n for arg in a.case for n in arg.split(',') if n] or list(cases)
    unknown = [n for n in names if n not in cases]
    if unknown: p.error(f"unknown case {', '.join(unknown)}; cases in {a.cases_dir}: {', '.join(cases)}")
    ctx = Context(quick=a.quick, threads=a.threads, peer_venv=a.peer_venv)
    results, failed = load_results(a.results, a.out), []
    cuda = any(getattr(cases[n], 'NEEDS_CUDA', False) for n in names
               if not isinstance(cases[n], Exception)) and cuda_available(ctx)
    for name in [] if a.render_only else names:
        mod = cases[name]
        if isinstance(mod, Exception):
            log(f'[bench] {name}: case does not load: {mod!r}')
            failed.append(name)
            continue
        if getattr(mod, 'NEEDS_CUDA', False) and not cuda:
            log(f'[bench] {name}: not run: no GPU')
            continue
        log(f'[bench] {name}: lesson_kit vs {mod.PEER}')
        r = run_case(name, mod, ctx, a.pairs, log)
        r['machine'] = machine_info(ctx)
        results[name] = r
        save_results(results, a.results)
        if r['ours_error']: failed.append(name)
        log('[bench] ' + table_row(name, r))
    machine = machine_info(ctx)
    if 'fastai' not in machine and Path(a.out).exists():   # no peer venv here: keep what the table was measured with
        before = _machine_from_markdown(Path(a.out).read_text(encoding='utf-8'))
        machine.update({k: before[k] for k in ('fastai', 'peer_build_s') if before.get(k)})
    status = STATUS.read_text(encoding='utf-8') if STATUS.exists() else None
    _write_atomic(Path(a.out), render(cases, results, machine, status))
    log(f'[bench] wrote {a.out}')
    return 1 if failed else 0
