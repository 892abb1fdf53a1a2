"""`learn.fit(..., devices=2)` on two gloo CPU processes: the same step as one process, rank 0's output relayed once,
Ctrl-C and resume, a killed worker, and the same fit under `torchrun`. The hooks at the top of this module run inside
the spawned workers, which import them by name (this module's name)."""
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import pytest
import torch
from torch import nn
from torch.utils.data import DistributedSampler

from lesson_kit.data import SAMPLE_PATH, ImageClassifierData, tfms_from_model
from lesson_kit.distributed import WorkerError, current
from lesson_kit.learner import ConvLearner, Hook, _resampled
from lesson_kit.models import resnet18, unwrap
from lesson_kit.testing import spawned_workers

ROOT = Path(__file__).resolve().parents[1]
SZ = 32   # the sample's 152 training images give 2 batches of 64 (32 a process), its 200 validation images 4


def _rank():
    return current().rank if current() else 0


class BnEval(Hook):
    "BatchNorm in eval mode while training (tests only): one process and two then take exactly the same step."
    def before_fit(self, f):
        train_mode = f.learn._set_train_mode
        def eval_bn():
            train_mode()
            for m in f.learn.model.modules():
                if isinstance(m, nn.modules.batchnorm._BatchNorm): m.eval()
        f.learn._set_train_mode = eval_bn


def _hash(module):
    h = hashlib.sha1()
    for k, v in module.state_dict().items(): h.update(k.encode()); h.update(v.detach().cpu().numpy().tobytes())
    return h.hexdigest()


class Report(Hook):
    "Each rank writes what the test checks to `folder`/rank{r}.json after the fit: its weights' hash, the sampler seed."
    def __init__(self, folder): self.folder = str(folder)
    def after_fit(self, f):
        info = dict(hash=_hash(unwrap(f.learn.model)), seed=f.learn.sampler.seed, n=f.n)
        (Path(self.folder) / f'rank{_rank()}.json').write_text(json.dumps(info))


class SetEpoch(Hook):
    "The one-process side of the comparison: `sampler` deals the same order as the workers' samplers."
    def __init__(self, sampler): self.sampler = sampler
    def before_epoch(self, f): self.sampler.set_epoch(f.epoch)


class SlowEpoch(Hook):
    "From batch 0 of epoch `epoch` on, rank 0 says it is there (a file `ready`) and every rank takes a second a batch."
    def __init__(self, folder, epoch): self.folder, self.epoch = str(folder), epoch
    def after_batch(self, f):
        if f.epoch < self.epoch: return
        if _rank() == 0: (Path(self.folder) / 'ready').write_text('')
        time.sleep(1)


class Doomed(Hook):
    "Rank 1 prints, writes its pid after batch 0 and waits there to be killed."
    def __init__(self, folder): self.folder = str(folder)
    def after_batch(self, f):
        if _rank() != 1: return
        print(f'rank 1 after batch {f.i}', flush=True)
        (Path(self.folder) / 'pid').write_text(str(os.getpid()))
        time.sleep(60)


def _sample(tmp_path, name='s'):
    shutil.copytree(SAMPLE_PATH, tmp_path / name)
    return tmp_path / name


def _learner(path, bs=64):
    "An unfrozen resnet18 learner (random planted weights) on the sample at 32 px, without augmentation or dropout."
    val_tfms = tfms_from_model(resnet18, SZ)[1]
    data = ImageClassifierData.from_paths(path, bs=bs, tfms=(val_tfms, val_tfms))
    learn = ConvLearner.pretrained(resnet18, data, ps=0, seed=0)
    learn.unfreeze()
    return learn


def _after(path, action, timeout=240):
    "A thread that runs `action(text of path)` once `path` exists."
    def run():
        end = time.monotonic() + timeout
        while not path.exists() and time.monotonic() < end: time.sleep(0.05)
        if path.exists(): action(path.read_text())
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_two_processes_take_the_one_process_steps(offline_home, capsys):
    "Both ranks end with the same weights, those of one process on the same global batches; the output comes once."
    path, folder = _sample(offline_home), offline_home / 'report'
    folder.mkdir()
    two = _learner(path)
    two.hooks = [BnEval(), Report(folder)]
    res = two.fit(1e-2, 1, devices=2, checkpoint=False)
    out, err = capsys.readouterr()
    ranks = [json.loads((folder / f'rank{r}.json').read_text()) for r in range(2)]
    assert ranks[0]['hash'] == ranks[1]['hash'] == _hash(unwrap(two.model))   # identical on both ranks, and here
    # The relay: one table (its header and one row, in order), one epoch bar, nothing from rank 1.
    lines = [line.split() for line in out.splitlines()]
    assert len(lines) == 2, out
    assert lines[0] == ['epoch', 'trn_loss', 'val_loss', 'accuracy', 'time'] and lines[1][0] == '0'
    assert err.count('epoch:   0%') == 1 and 'epoch: 100%' in err and len(two.sched) == ranks[0]['n'] == 2
    assert float(lines[1][2]) == pytest.approx(res[0], abs=1e-6)   # the table's val_loss is what fit returns

    one = _learner(path)   # the same start; its sampler deals the same global batches as the workers' two shares
    sampler = DistributedSampler(one.data.trn_ds, num_replicas=1, rank=0, seed=ranks[0]['seed'], drop_last=True)
    one.data.trn_dl = _resampled(one.data.trn_dl, sampler, one.data.bs)
    one.hooks = [BnEval(), SetEpoch(sampler)]
    res1 = one.fit(1e-2, 1, checkpoint=False)
    capsys.readouterr()
    # Tolerance: float32 sums over 32 + 32 images and over 64 differ in the last bits; 2 steps keep them ~1e-6.
    for k, v in unwrap(one.model).state_dict().items():
        torch.testing.assert_close(unwrap(two.model).state_dict()[k], v, atol=1e-4, rtol=1e-4, msg=k)
    torch.testing.assert_close(torch.tensor(two.sched.losses), torch.tensor(one.sched.losses), atol=1e-5, rtol=1e-5)
    assert res == pytest.approx(res1, abs=1e-4)   # whole-set validation: the one-process numbers
    assert spawned_workers() == [] and multiprocessing.active_children() == []


def test_ctrl_c_stops_both_workers_then_resume(offline_home, capsys):
    "A real SIGINT to this process in epoch 1: both workers stop after one batch, `learn` predicts; resume continues."
    path = _sample(offline_home)
    learn = _learner(path, bs=32)   # 4 batches an epoch
    learn.hooks = [SlowEpoch(offline_home, 1)]
    t = _after(offline_home / 'ready', lambda _: os.kill(os.getpid(), signal.SIGINT))
    learn.fit(1e-2, 2, devices=2)
    t.join()
    out, err = capsys.readouterr()
    assert out.count('Interrupted in epoch 1 after batch') == 1 and 'Stopping the workers' in err
    assert set(learn.sched.epochs) == {0, 1} and 4 < len(learn.sched) < 8   # epoch 0 whole, epoch 1 cut short
    assert learn.predict().shape == (200, 2)   # rank 0's weights from where it stopped
    assert spawned_workers() == [] and multiprocessing.active_children() == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler

    learn.hooks = []
    res = learn.fit(1e-2, 2, devices=2, resume=True)
    out, _ = capsys.readouterr()
    assert 'Resuming after epoch 0' in out and len(res) == 2
    rows = [line.split()[0] for line in out.splitlines()[1:]]
    assert rows[-1] == '1' and '0' not in rows[1:]   # the table goes on from epoch 1
    assert learn.sched.epochs == [0] * 4 + [1] * 4   # epoch 0 from the checkpoint, epoch 1 trained again
    assert spawned_workers() == []


def test_killed_worker_is_named(offline_home):
    "A worker killed mid-epoch: `WorkerError` naming rank 1 and its last lines; `learn` unchanged; no process left."
    learn = _learner(_sample(offline_home))
    learn.hooks = [Doomed(offline_home)]
    before = _hash(unwrap(learn.model))
    killer = _after(offline_home / 'pid', lambda pid: os.kill(int(pid), signal.SIGKILL))
    with pytest.raises(WorkerError) as e: learn.fit(1e-2, 1, devices=2)
    killer.join()
    msg = str(e.value)
    assert e.value.rank == 1 and msg.startswith('Worker rank 1 was killed by signal SIGKILL.')
    assert 'rank 1 after batch 0' in msg
    assert _hash(unwrap(learn.model)) == before and learn.predict().shape == (200, 2)
    assert spawned_workers() == [] and multiprocessing.active_children() == []


def test_precompute_pass_sharded_then_head_trains_here(offline_home, capsys, monkeypatch):
    "fit(devices=2) with precompute: 2 workers share the pass, the cache equals one process's, the head trains here."
    import lesson_kit.precompute as pre
    from lesson_kit.precompute import Activations
    launched, launch = [], pre.launch
    monkeypatch.setattr(pre, 'launch', lambda *a, **kw: launched.append(kw['nprocs']) or launch(*a, **kw))
    path = _sample(offline_home)
    val_tfms = tfms_from_model(resnet18, SZ)[1]
    data = ImageClassifierData.from_paths(path, bs=64, tfms=(val_tfms, val_tfms))
    two = ConvLearner.pretrained(resnet18, data, precompute=True, seed=0)
    two.fit(1e-2, 1, devices=2, checkpoint=False)
    out, _ = capsys.readouterr()
    assert launched == [2] and out.count('shards only the pass that computes them') == 1
    assert out.count('trn_loss') == 1   # one table, from this process
    cache = two._cache_file()
    sharded = {k: Activations(cache)[k].clone() for k in ('trn', 'val')}
    cache.unlink()
    one = ConvLearner.pretrained(resnet18, data, precompute=True, seed=0)
    one.fit(1e-2, 1, checkpoint=False)
    capsys.readouterr()
    assert one._cache_file() == cache   # the same key: same body, data and dtype
    for k, v in sharded.items(): assert torch.equal(Activations(cache)[k], v), k
    assert launched == [2] and len(two.sched) == len(one.sched) and spawned_workers() == []


def test_bad_devices_fail_before_any_worker(offline_home):
    learn = _learner(_sample(offline_home))
    with pytest.raises(ValueError, match='devices=64 asks for 64'): learn.fit(1e-2, 1, devices=64)
    learn.hooks = [Report(offline_home)]   # importable: fine; a lambda callback is not
    learn.cbs = [lambda lrn, epoch, i: None]
    with pytest.raises(TypeError, match='define them at the top level'): learn.fit(1e-2, 1, devices=2)
    assert spawned_workers() == []


def test_torchrun_fit(offline_home):
    "The lesson's fit under `torchrun --standalone --nproc-per-node 2` (gloo CPU processes): rank 0 shows and saves."
    path = _sample(offline_home)
    torchrun = Path(sys.executable).parent / 'torchrun'
    cmd = [str(torchrun), '--standalone', '--nproc-per-node', '2', '-m', 'lesson_kit.learner', str(path),
           '--arch', 'resnet18', '--sz', str(SZ), '--unfreeze', '--epochs', '1', '--save', 'tr']
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                         env={**os.environ, 'PYTHONPATH': str(ROOT)}, start_new_session=True)
    try: out, err = p.communicate(timeout=300)
    finally:
        if p.poll() is None: os.killpg(p.pid, signal.SIGKILL); p.wait()   # torchrun and its workers, no orphans
    assert p.returncode == 0, out + err
    assert out.count('trn_loss') == 1 and out.count('saved') == 1, out
    assert (path / 'models' / 'tr.pth').exists() and (path / 'models' / 'fit_checkpoint.pth').exists()
