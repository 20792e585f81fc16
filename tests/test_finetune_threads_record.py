"""A fine-tuned model's weights depend on torch's intra-op thread count (1 and 2 threads
give other weights), so its training record (``annotate_model.json`` ``training``, with
the device and the torch version) keeps the count, and its card says it: a rebuild can
then be run with the same count and matched."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
import torch

import annotate.training.finetune as finetune
import annotate.training.finetune_train as finetune_train


@pytest.fixture
def three_threads():
    before = torch.get_num_threads()
    torch.set_num_threads(3)
    yield
    torch.set_num_threads(before)


def test_the_training_record_keeps_the_thread_count(
    monkeypatch: pytest.MonkeyPatch, three_threads: None
) -> None:
    """What the fine-tuner hands the row trainer for ``training`` (``**ran_on``)."""
    ran_on: list[dict[str, Any]] = []

    def train_on_rows(cfg, out, tax, fit_rows, replace=True, scoring=None, **_):  # the fit only
        ran_on.append(fit_rows(None, None)[1])

    fitted = SimpleNamespace(fit_info={"device": "cpu"})
    monkeypatch.setattr(finetune, "fit", lambda *args, **kwargs: fitted)
    monkeypatch.setattr(finetune_train, "train_on_rows", train_on_rows)
    finetune_train.train_finetuned(None, "unused", None)  # type: ignore[arg-type]
    assert ran_on == [{"device": "cpu", "threads": 3}]


def test_the_card_says_the_thread_count_when_recorded() -> None:
    from annotate.training.card import threads_said

    assert threads_said({"device": "cpu", "threads": 1}) == ", 1 torch thread"
    assert threads_said({"device": "cpu", "threads": 2}) == ", 2 torch threads"
    assert threads_said({"device": "cpu"}) == ""  # a model trained before it was kept
