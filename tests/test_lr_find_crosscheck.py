"""Cross-check `lesson_kit.lr_find` against an independent implementation, torch-lr-finder (test-only).

Both run the same model (same initial weights), the same data in the same order, the same optimizer and
the same exponential schedule. torch-lr-finder's `history['loss']` is smoothed by default (a non-debiased
EMA, `smooth_f=0.05`) and it stops at 5x the best raw loss, so we run it with `smooth_f=0` (raw losses)
and a huge `diverge_th` to compare raw with raw, then with its defaults to compare suggestions.
"""
import copy

import matplotlib
import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lesson_kit.lr_find import lr_find_model, lr_schedule, smooth_losses

matplotlib.use('Agg')
torch_lr_finder = pytest.importorskip('torch_lr_finder')
N_IT = 100


@pytest.fixture(scope='module')
def setup():
    from sklearn.datasets import load_digits
    digits = load_digits()
    x = torch.tensor(digits.data / 16, dtype=torch.float32)
    y = torch.tensor(digits.target)
    dl = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=False)   # same order for both
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    return model, dl


def _ours(model, dl):
    model = copy.deepcopy(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    return lr_find_model(model, opt, nn.CrossEntropyLoss(), dl, start_lr=1e-5, end_lr=10, num_it=N_IT,
                         progress=False)


def _theirs(model, dl, **kw):
    model = copy.deepcopy(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    finder = torch_lr_finder.LRFinder(model, opt, nn.CrossEntropyLoss(), device='cpu')
    finder.range_test(dl, start_lr=1e-5, end_lr=10, num_iter=N_IT, step_mode='exp', **kw)
    return finder


def test_raw_losses_match(setup):
    model, dl = setup
    ours = _ours(model, dl)
    theirs = _theirs(model, dl, smooth_f=0, diverge_th=1e12)
    n = len(ours)
    assert n > 50, f'our run stopped too early ({n} iterations) to compare'
    assert len(theirs.history['loss']) >= n
    np.testing.assert_allclose(ours.lrs, np.array(theirs.history['lr'][:n]), rtol=1e-12)
    np.testing.assert_allclose(ours.lrs, lr_schedule(1e-5, 10, N_IT)[:n], rtol=1e-12)
    finite = np.isfinite(theirs.history['loss'][:n])
    assert finite.all()
    np.testing.assert_allclose(ours.losses, np.array(theirs.history['loss'][:n]), rtol=1e-5, atol=1e-6)
    # our smoothed curve is the debiased EMA of the very losses they recorded
    np.testing.assert_allclose(ours.smoothed, smooth_losses(theirs.history['loss'][:n]), rtol=1e-5)


def test_steepest_suggestions_agree(setup):
    model, dl = setup
    ours = _ours(model, dl).suggest(n_skip=10, n_skip_end=5)
    theirs = _theirs(model, dl)                      # its defaults: smooth_f=0.05, diverge_th=5
    import matplotlib.pyplot as plt
    _, ax = plt.subplots()
    _, their_lr = theirs.plot(skip_start=10, skip_end=5, ax=ax, suggest_lr=True)
    plt.close('all')
    ratio = ours['steepest'] / their_lr
    assert 0.5 <= ratio <= 2, f"steepest: ours {ours['steepest']:.2e}, torch-lr-finder {their_lr:.2e}"
