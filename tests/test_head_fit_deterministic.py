"""The head fitter's seeding (annotate.training.head_fit.seed_deterministic): torch's
deterministic mode is on for the fit only, and the process's own setting comes back
afterwards, as the fine-tuner's deterministic_kernels does."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from annotate.training.head_fit import fit_head, seed_deterministic


def _state() -> tuple[bool, bool]:
    return (
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
    )


@pytest.fixture(autouse=True)
def _off() -> None:
    was = _state()
    torch.use_deterministic_algorithms(False)
    yield
    torch.use_deterministic_algorithms(was[0], warn_only=was[1])


def test_the_block_runs_deterministic_and_the_setting_comes_back() -> None:
    with seed_deterministic(3):
        assert _state() == (True, True)
    assert _state() == (False, False)


def test_the_setting_comes_back_after_a_failed_block() -> None:
    with pytest.raises(RuntimeError), seed_deterministic(3):
        raise RuntimeError("fit failed")
    assert _state() == (False, False)


def test_a_strict_setting_of_the_caller_is_kept() -> None:
    torch.use_deterministic_algorithms(True)  # strict: not warn-only
    with seed_deterministic(3):
        assert _state() == (True, True)
    assert _state() == (True, False)


def test_the_seed_is_applied() -> None:
    with seed_deterministic(5):
        a = (np.random.rand(), torch.rand(1).item())
    with seed_deterministic(5):
        b = (np.random.rand(), torch.rand(1).item())
    assert a == b


def test_a_head_fit_leaves_the_setting_as_it_found_it() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 4)).astype(np.float32)
    y = (rng.random((16, 2)) > 0.5).astype(np.float32)
    m = np.ones_like(y)
    w = np.ones(16, np.float32)
    fit_head(
        x, y, m, w, x[:4], y[:4], m[:4],
        hidden=8, dropout=0.0, epochs=2, lr=1e-2, weight_decay=0.0, batch_size=8,
        patience=2, max_pos_weight=5.0, seed=0, device=torch.device("cpu"),
    )  # fmt: skip
    assert _state() == (False, False)
