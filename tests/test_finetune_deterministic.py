"""The fine-tuner's deterministic-kernel switch for CUDA (annotate.training.finetune):
on, for the fit only, and the process's own settings back afterwards. The GPU run itself
(two fits, one seed, byte-identical weights) is benchmarks/bench_gpu.py's, on a GPU."""

from __future__ import annotations

import os

import pytest
import torch

from annotate.training.finetune import CUBLAS_WORKSPACE, deterministic_kernels


def _state() -> tuple[bool, bool, bool, bool]:
    return (
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
        torch.backends.cudnn.deterministic,
        torch.backends.cudnn.benchmark,
    )


def test_on_cuda_the_fit_runs_deterministic_and_the_settings_come_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    before = _state()
    with deterministic_kernels(torch.device("cuda")):
        assert _state() == (True, True, True, False)
        assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == CUBLAS_WORKSPACE
    assert _state() == before


def test_a_users_cublas_setting_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUBLAS_WORKSPACE_CONFIG", ":16:8")
    with deterministic_kernels(torch.device("cuda")):
        assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":16:8"


def test_the_settings_come_back_after_a_failed_fit() -> None:
    before = _state()
    with pytest.raises(RuntimeError), deterministic_kernels(torch.device("cuda")):
        raise RuntimeError("fit failed")
    assert _state() == before


def test_on_a_cpu_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    before = _state()
    with deterministic_kernels(torch.device("cpu")):
        assert _state() == before
        assert "CUBLAS_WORKSPACE_CONFIG" not in os.environ
