"""Multi-process tests of lesson_kit.distributed: two gloo CPU processes train with DDP, output is relayed once,
failures and Ctrl-C leave no worker behind. The worker functions live at the top of this module because spawned
processes import them by name."""
import multiprocessing
import os
import signal
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import pytest
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lesson_kit.distributed import (
    MetricsTable,
    WorkerError,
    current,
    ddp,
    launch,
    progress_bar,
    seed_worker,
    sharded_outputs,
    stop_requested,
    train_sampler,
    unwrap,
)
from lesson_kit.testing import spawned_workers

ROOT = Path(__file__).resolve().parents[1]
EPOCHS, BS, N = 2, 16, 48   # 3 steps per epoch; each of the 2 ranks takes 8 images of every global batch of 16


def _cnn():
    "A small CNN with BatchNorm, the same weights on every call."
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.Conv2d(8, 8, 3, padding=1, stride=2), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3))


def _data():
    g = torch.Generator().manual_seed(1)
    return torch.randn(N, 3, 16, 16, generator=g), torch.randint(0, 3, (N,), generator=g)


def _train_mode(model):
    "Training mode with BatchNorm in eval mode (running statistics), so one process and two give the same step."
    model.train()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d): m.eval()


def _step(model, opt, xb, yb):
    loss = F.cross_entropy(model(xb), yb)
    opt.zero_grad(); loss.backward(); opt.step()


def _ddp_worker(rank, world_size):
    "Train the CNN with DDP and a DistributedSampler; report weights, sampler orders, seeds and a sharded pass."
    x, y = _data()
    ds = TensorDataset(x, y)
    seed, draw = seed_worker(100), torch.rand(2)
    model = ddp(_cnn())
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    sampler = train_sampler(ds, seed=0)
    orders = []
    for epoch in range(EPOCHS):
        sampler.set_epoch(epoch)
        orders.append(list(sampler))
        _train_mode(model)
        for xb, yb in DataLoader(ds, batch_size=BS // world_size, sampler=sampler): _step(model, opt, xb, yb)
    flat = torch.cat([p.detach().flatten() for p in model.parameters()])
    flats = [torch.empty_like(flat) for _ in range(world_size)]
    dist.all_gather(flats, flat)
    infos = [None] * world_size
    env = [os.environ[k] for k in ('RANK', 'WORLD_SIZE', 'LOCAL_RANK', 'MASTER_ADDR')]
    dist.all_gather_object(infos, dict(orders=orders, seed=seed, draw=draw, threads=torch.get_num_threads(), env=env))
    outs = sharded_outputs(unwrap(model), x[:45], bs=8)   # 45 rows: shares of 22 and 23
    return dict(state=unwrap(model).state_dict(), flats=flats, infos=infos, outs=outs)


def _one_process(orders):
    "The same training in this process: each step on the union of both ranks' batches (the same global batch)."
    x, y = _data()
    model = _cnn()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    half = BS // 2
    for epoch in range(EPOCHS):
        _train_mode(model)
        for i in range(0, N // 2, half):
            idx = orders[0][epoch][i:i + half] + orders[1][epoch][i:i + half]
            _step(model, opt, x[idx], y[idx])
    return model


def test_ddp_matches_one_process_and_sharded_forward():
    res = launch(_ddp_worker, nprocs=2, backend='gloo')
    assert torch.equal(res['flats'][0], res['flats'][1])   # both ranks hold the very same weights
    infos = res['infos']
    orders = [info['orders'] for info in infos]
    for epoch in range(EPOCHS):   # the two shares cover the data once; set_epoch gives each epoch a new order
        assert sorted(orders[0][epoch] + orders[1][epoch]) == list(range(N))
    assert orders[0][0] != orders[0][1]
    assert [info['seed'] for info in infos] == [100, 101] and not torch.equal(infos[0]['draw'], infos[1]['draw'])
    assert [info['env'] for info in infos] == [['0', '2', '0', '127.0.0.1'], ['1', '2', '1', '127.0.0.1']]
    assert [info['threads'] for info in infos] == [max(1, len(os.sched_getaffinity(0)) // 2)] * 2
    one = _one_process(orders)
    for k, v in one.state_dict().items():   # tolerance 1e-5: the same sums, added in another order
        torch.testing.assert_close(res['state'][k], v, atol=1e-5, rtol=1e-5, msg=k)
    one.eval()
    with torch.no_grad(): torch.testing.assert_close(res['outs'], one(_data()[0][:45]), atol=1e-5, rtol=1e-5)


def _relay_worker(rank, world_size):
    "Rank 0 prints, draws an epoch bar, batch bars and a table; rank 1 does the same, and must stay unseen."
    print(f'hello from rank {rank}')
    table = MetricsTable(['epoch', 'trn_loss'])
    for epoch in progress_bar(range(2), desc='epoch'):
        for _ in progress_bar(range(4), desc=f'batches {epoch}', leave=False): dist.barrier()
        table.add_row([epoch, torch.tensor(0.25 * (epoch + 1))])
        print(f'rank {rank} finished epoch {epoch}')
    print(f'rank {rank} warns', file=sys.stderr)
    return current().rank


def test_relay_shows_rank_0_once_in_order(capsys):
    assert launch(_relay_worker, nprocs=2, backend='gloo', notebook=False) == 0
    out, err = capsys.readouterr()
    lines = [line.split() for line in out.splitlines()]
    assert lines == [['hello', 'from', 'rank', '0'], ['epoch', 'trn_loss'], ['0', '0.250000'],
                     ['rank', '0', 'finished', 'epoch', '0'], ['1', '0.500000'],
                     ['rank', '0', 'finished', 'epoch', '1']]
    assert 'rank 0 warns' in err and 'rank 1' not in err
    assert 'epoch: 100%' in err and '2/2' in err and 'batches 1' in err
    assert spawned_workers() == [] and multiprocessing.active_children() == []


def _raise_worker(rank, world_size):
    "Rank 1 prints, then raises; rank 0 waits for it at a barrier."
    if rank == 1:
        print('rank 1 loading batch 3')
        raise ValueError('a bad batch')
    dist.barrier()


def test_worker_that_raises_is_named():
    with pytest.raises(WorkerError) as e: launch(_raise_worker, nprocs=2, backend='gloo')
    msg = str(e.value)
    assert e.value.rank == 1 and msg.startswith('Worker rank 1 raised an exception:')
    assert 'ValueError: a bad batch' in msg and 'rank 1 loading batch 3' in msg
    assert spawned_workers() == [] and multiprocessing.active_children() == []


def _long_worker(rank, world_size, folder):
    "Steps of all-reduces; rank 1 writes its pid after step 2, then keeps going until it is killed."
    for step in range(10_000):
        print(f'rank {rank} step {step}')
        t = torch.ones(1)
        dist.all_reduce(t)
        if rank == 1 and step == 2: (Path(folder) / 'pid').write_text(str(os.getpid()))
        time.sleep(0.02)


def _after(path, action, timeout=60):
    "A thread that runs `action(text of path)` once `path` exists."
    def run():
        end = time.monotonic() + timeout
        while not path.exists() and time.monotonic() < end: time.sleep(0.02)
        if path.exists(): action(path.read_text())
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_worker_killed_mid_run(tmp_path):
    killer = _after(tmp_path / 'pid', lambda pid: os.kill(int(pid), signal.SIGKILL))
    t0 = time.monotonic()
    with pytest.raises(WorkerError) as e: launch(_long_worker, str(tmp_path), nprocs=2, backend='gloo')
    killer.join()
    msg = str(e.value)
    assert e.value.rank == 1 and e.value.exitcode == -signal.SIGKILL
    assert msg.startswith('Worker rank 1 was killed by signal SIGKILL.') and 'rank 1 step 2' in msg
    assert time.monotonic() - t0 < 60
    assert spawned_workers() == [] and multiprocessing.active_children() == []


def _polite_worker(rank, world_size, folder):
    "Steps until Ctrl-C is asked for, checking `stop_requested` after each; returns the step each rank stopped at."
    for step in range(10_000):
        time.sleep(0.02)
        if rank == 0 and step == 3: (Path(folder) / 'ready').write_text('')
        if stop_requested(): break
    steps = [None] * world_size
    dist.all_gather_object(steps, step)
    return steps


def _deaf_worker(rank, world_size, folder):
    "Never asks whether to stop."
    if rank == 0: (Path(folder) / 'ready').write_text('')
    time.sleep(600)


def _ctrl_c_after(path):
    return _after(path, lambda _: os.kill(os.getpid(), signal.SIGINT))


def test_ctrl_c_stops_all_workers(tmp_path, capsys):
    "A real SIGINT to this process: a deaf worker is stopped after `grace`; a polite one stops with its peer."
    (tmp_path / 'a').mkdir(); (tmp_path / 'b').mkdir()
    t = _ctrl_c_after(tmp_path / 'a' / 'ready')
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        launch(_deaf_worker, str(tmp_path / 'a'), nprocs=2, backend='gloo', grace=1)
    t.join()
    assert time.monotonic() - t0 < 60
    assert spawned_workers() == [] and multiprocessing.active_children() == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler   # this process is as before
    t = _ctrl_c_after(tmp_path / 'b' / 'ready')
    steps = launch(_polite_worker, str(tmp_path / 'b'), nprocs=2, backend='gloo')
    t.join()
    assert steps[0] == steps[1] >= 3   # both ranks stopped after the same batch
    assert 'Stopping the workers at the end of their current batch' in capsys.readouterr().err
    assert spawned_workers() == []


def test_torchrun_runs_the_check():
    "The same worker code under torchrun (2 local processes): `python -m lesson_kit.distributed`."
    import subprocess
    torchrun = Path(sys.executable).parent / 'torchrun'
    env = {**os.environ, 'PYTHONPATH': str(ROOT)}
    cmd = [str(torchrun), '--standalone', '--nproc-per-node', '2', '-m', 'lesson_kit.distributed']
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
                         start_new_session=True)
    try: out, err = p.communicate(timeout=240)
    finally:
        if p.poll() is None: os.killpg(p.pid, signal.SIGKILL); p.wait()   # torchrun and its workers, not orphans
    r = subprocess.CompletedProcess(cmd, p.returncode, out, err)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count('ok: the process group works (sum of ranks 1)') == 2
    assert 'rank 0 of 2: the all-reduce gave 1' in r.stdout


def test_ctrl_c_to_the_whole_process_group(tmp_path):
    "Ctrl-C in a terminal (and Jupyter's interrupt) signals the whole process group: the workers too."
    import subprocess
    code = ('import sys; sys.path.insert(0, sys.argv[1]); import test_distributed as t; '
            'from lesson_kit.distributed import launch; '
            'print("steps", launch(t._polite_worker, sys.argv[2], nprocs=2, backend="gloo"))')
    env = {**os.environ, 'PYTHONPATH': str(ROOT)}
    p = subprocess.Popen([sys.executable, '-c', code, str(ROOT / 'tests'), str(tmp_path)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    try:
        end = time.monotonic() + 120
        while not (tmp_path / 'ready').exists() and time.monotonic() < end and p.poll() is None: time.sleep(0.05)
        os.killpg(p.pid, signal.SIGINT)
        out, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None: os.killpg(p.pid, signal.SIGKILL); p.wait()
    assert p.returncode == 0, out + err
    steps = eval(out.split('steps', 1)[1])
    assert steps[0] == steps[1] >= 3 and 'Stopping the workers' in err
    left = [d for d in Path('/proc').iterdir() if d.name.isdigit() and _session(d) == p.pid]
    assert left == []


def _session(proc_dir):
    "The session id of the process at `proc_dir` (/proc/PID), or None if it is gone."
    try: return int((proc_dir / 'stat').read_text().rsplit(')', 1)[1].split()[4])
    except (OSError, IndexError, ValueError): return None


def _run_cell(kc, code, timeout=120, during=None):
    "Execute `code` in the kernel of client `kc`; its iopub messages (`during()` is called while it runs)."
    msg_id, msgs = kc.execute(code), []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if during: during()
        try: m = kc.get_iopub_msg(timeout=0.2)
        except Exception: continue   # queue.Empty
        if m['parent_header'].get('msg_id') != msg_id: continue
        msgs.append(m)
        if m['msg_type'] == 'status' and m['content']['execution_state'] == 'idle': return msgs
    raise TimeoutError(f'the cell did not finish in {timeout} s: {code}')


def _text(msgs, kind='stream'):
    return ''.join(m['content'].get('text', '') for m in msgs if m['msg_type'] == kind)


def test_in_a_real_jupyter_kernel(tmp_path):
    "In a Jupyter kernel: rank 0's lines, one HTML table and widget bars in the cell; its interrupt stops both workers."
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name='python3', env={**os.environ, 'PYTHONPATH': str(ROOT)}, cwd=str(tmp_path))
    try:
        msgs = _run_cell(kc, 'import torch; torch.zeros(1)\nfrom lesson_kit.distributed import launch, check\n'
                             'print("result", launch(check, nprocs=2))')
        out = _text(msgs)
        assert out.count('rank 0 of 2: the all-reduce gave 1') == 1 and 'rank 1' not in out and 'result 1.0' in out
        tables = [m for m in msgs if m['msg_type'] in ('display_data', 'update_display_data')
                  and '<table' in m['content']['data'].get('text/html', '')]
        assert [m['msg_type'] for m in tables] == ['display_data', 'update_display_data', 'update_display_data']
        assert '<td>2</td>' in tables[-1]['content']['data']['text/html']
        assert any('application/vnd.jupyter.widget-view+json' in m['content'].get('data', {}) for m in msgs)   # tqdm
        ready = tmp_path / 'ready'
        def interrupt_when_ready():
            if ready.exists() and not (tmp_path / 'sent').exists():
                (tmp_path / 'sent').write_text(''); km.interrupt_kernel()
        msgs = _run_cell(kc, f'import sys; sys.path.insert(0, {str(ROOT / "tests")!r}); import test_distributed as t\n'
                             f'steps = launch(t._polite_worker, {str(tmp_path)!r}, nprocs=2)',
                       during=interrupt_when_ready)
        assert 'Stopping the workers' in _text(msgs)
        out = _text(_run_cell(kc, 'print("steps", steps, "alive", torch.ones(2).sum().item())'))
        steps = eval(out.split('steps', 1)[1].split('alive')[0])
        assert steps[0] == steps[1] >= 3 and 'alive 2.0' in out
    finally:
        kc.stop_channels(); km.shutdown_kernel(now=True)
