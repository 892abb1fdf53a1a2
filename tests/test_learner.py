"""Slower ConvLearner tests (training from scratch, a real Ctrl-C, read-only data folders). Offline, on CPU."""
import os
import shutil
import signal
from pathlib import Path

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import numpy as np
import pytest
import torch

from lesson_kit.data import SAMPLE_PATH, ImageClassifierData, tfms_from_model
from lesson_kit.learner import ConvLearner
from lesson_kit.models import resnet18


@pytest.fixture
def path(offline_home):
    "A private copy of the sample, a temporary data home, and planted (random) resnet18 weights."
    tmp_path = offline_home
    shutil.copytree(SAMPLE_PATH, tmp_path / 'sample')
    return tmp_path / 'sample'


def _data(path, bs=16, sz=32):
    return ImageClassifierData.from_paths(path, bs=bs, tfms=tfms_from_model(resnet18, sz))


def test_lesson_lines_from_all(path):
    "The lesson's lines, through `from lesson_kit.all import *`."
    from lesson_kit import all as lk
    arch, sz, PATH = lk.resnet18, 32, path
    data = lk.ImageClassifierData.from_paths(PATH, tfms=lk.tfms_from_model(arch, sz))
    learn = lk.ConvLearner.pretrained(arch, data, precompute=True)
    val_loss, acc = learn.fit(0.01, 2)
    assert np.isfinite(val_loss) and 0 <= acc <= 1


def test_accuracy_from_scratch(path):
    "Planted random weights make 'pretrained' meaningless, so train the whole resnet18 from scratch: 3s vs 7s."
    learn = ConvLearner.pretrained(resnet18, _data(path), pretrained=False, seed=0)
    learn.unfreeze()
    val_loss, acc = learn.fit(0.01, 5, checkpoint=False)   # 152 training images: 5 epochs of 9 batches
    assert acc >= 0.85, f'accuracy {acc:.3f} after 5 epochs from scratch (0.98 measured)'


def test_differential_rates_change_the_right_groups(path):
    "Unfrozen, rates [0, 0, 0.01]: the body's weights stay put, the head's move."
    learn = ConvLearner.pretrained(resnet18, _data(path), seed=0)
    learn.unfreeze()
    before = [[p.detach().clone() for p in g.parameters()] for g in learn.layer_groups]
    def stop_after_two(lrn, epoch, i):
        if i == 1: raise KeyboardInterrupt
    learn.cbs = [stop_after_two]
    learn.fit([0, 0, 0.01], 1, checkpoint=False)
    moved = [any(not torch.equal(p, q) for p, q in zip(g.parameters(), b))
             for g, b in zip(learn.layer_groups, before)]
    assert moved == [False, False, True]


def test_real_ctrl_c_stops_after_the_batch(path, capsys):
    "A real SIGINT during fit: training stops after that batch, the model still predicts, the handler is restored."
    learn = ConvLearner.pretrained(resnet18, _data(path), precompute=True, seed=0)
    handler = signal.getsignal(signal.SIGINT)
    def ctrl_c(lrn, epoch, i):
        if (epoch, i) == (1, 3): os.kill(os.getpid(), signal.SIGINT)
    learn.cbs = [ctrl_c]
    learn.fit(0.01, 3)   # returns the metrics of the last finished epoch
    out = capsys.readouterr().out
    assert 'Interrupted in epoch 1 after batch 3' in out and 'resume=True' in out
    n = len(learn._trn_batches())
    assert len(learn.sched) == n + 4
    assert signal.getsignal(signal.SIGINT) is handler
    assert learn.predict().shape == (len(learn.data.val_ds), 2)


def test_precompute_checkpoint_is_small(path):
    "With precompute the checkpoint holds the head only, so it is quick to write after every epoch."
    learn = ConvLearner.pretrained(resnet18, _data(path), precompute=True)
    learn.fit(0.01, 1)
    ck = path / 'models' / 'fit_checkpoint.pth'
    assert ck.stat().st_size < 10e6   # head + momentum: ~4 MB; the whole resnet18 would be ~45 MB
    assert torch.load(ck, weights_only=True)['part'] == 'head'


def test_read_only_data_folder(path, monkeypatch, capsys):
    "A data folder we may not write to: models and cached activations go under the data home, and we say where."
    import lesson_kit.env as E
    real = E.is_writable
    monkeypatch.setattr(E, 'is_writable', lambda p: False if str(p).startswith(str(path)) else real(p))
    learn = ConvLearner.pretrained(resnet18, _data(path), precompute=True)
    learn.fit(0.01, 1, checkpoint=False)
    saved = learn.save('m')
    home = Path(os.environ['LESSON_KIT_HOME'])
    assert str(saved).startswith(str(home)) and saved.exists()
    assert str(saved.parent) in capsys.readouterr().out
    learn.load('m')


def test_ctrl_c_during_validation_stops_at_epoch_end(path, capsys):
    "A SIGINT while validating finishes that epoch (row, checkpoint) and stops before the next one."
    learn = ConvLearner.pretrained(resnet18, _data(path), precompute=True, seed=0)
    def accuracy_then_ctrl_c(log_preds, y):
        os.kill(os.getpid(), signal.SIGINT)
        return (log_preds.argmax(1) == y).float().mean().item()
    learn.fit(0.01, 3, metrics=[accuracy_then_ctrl_c])
    assert 'Interrupted at the end of epoch 0' in capsys.readouterr().out
    assert set(learn.sched.epochs) == {0}
    assert torch.load(path / 'models' / 'fit_checkpoint.pth', weights_only=True)['epoch'] == 1
