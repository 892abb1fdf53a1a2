"""Exact save/restore of model and optimizer state, and properties of the suggestion rules."""
import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lesson_kit.lr_find import lr_find_model, lr_schedule, restore_state, snapshot_state, suggest_lrs


def _cnn():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Dropout(0.2),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))


def _state(model, opt):
    ts = {f'm.{k}': v.clone() for k, v in model.state_dict().items()}
    for i, s in enumerate(opt.state.values()):
        ts.update({f'o.{i}.{k}': v.clone() for k, v in s.items() if torch.is_tensor(v)})
    return ts


def test_cnn_adam_bitwise_restore_and_frozen_layers():
    model = _cnn()
    model[0].weight.requires_grad_(False)                # a frozen layer, as in transfer learning
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3, weight_decay=1e-4)
    g = torch.Generator().manual_seed(1)
    dl = DataLoader(TensorDataset(torch.randn(64, 3, 8, 8, generator=g), torch.randint(0, 2, (64,), generator=g)),
                    batch_size=8, shuffle=True)
    for xb, yb in dl:                                     # give Adam some state first
        opt.zero_grad(); nn.functional.cross_entropy(model(xb), yb).backward(); opt.step()
    model.eval()                                          # the finder must restore eval mode too
    before, groups = _state(model, opt), [dict(g, params=None) for g in opt.param_groups]
    grads = [None if p.grad is None else p.grad.clone() for p in model.parameters()]
    res = lr_find_model(model, opt, nn.CrossEntropyLoss(), dl, num_it=30, end_lr=100, progress=False)
    assert len(res) > 0
    after = _state(model, opt)
    assert before.keys() == after.keys()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert [dict(g, params=None) for g in opt.param_groups] == groups
    assert not model.training and not any(m.training for m in model.modules())
    for a, p in zip(grads, model.parameters()):
        assert (a is None and p.grad is None) or torch.equal(a, p.grad)


def test_restore_twice_from_one_snapshot():
    model = _cnn()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    xb, yb = torch.randn(4, 3, 8, 8), torch.tensor([0, 1, 0, 1])
    def train():
        for _ in range(3):
            opt.zero_grad(); nn.functional.cross_entropy(model(xb), yb).backward(); opt.step()
    train()
    snap, before = snapshot_state(model, opt), _state(model, opt)
    for _ in range(2):                                    # the snapshot must not be changed by training
        train()
        restore_state(model, opt, snap)
        after = _state(model, opt)
        assert all(torch.equal(before[k], after[k]) for k in before)


curves = st.lists(st.floats(0.01, 100, allow_nan=False), min_size=0, max_size=80)


@settings(max_examples=60, deadline=None)
@given(curves, st.integers(0, 12), st.integers(0, 8))
def test_suggestions_are_rates_from_the_sweep(losses, n_skip, n_skip_end):
    lrs = lr_schedule(1e-5, 10, max(len(losses), 1))[:len(losses)]
    sugg = suggest_lrs(lrs, losses, n_skip, n_skip_end)
    if len(losses) - n_skip - n_skip_end < 2:
        assert sugg == {}
        return
    window = lrs[n_skip:len(lrs) - n_skip_end]
    assert set(sugg) == {'steepest', 'valley', 'min_div10'}
    assert sugg['steepest'] in window and sugg['valley'] in window
    assert np.isclose(sugg['min_div10'] * 10, window).any()
