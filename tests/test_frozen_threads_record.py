"""A frozen model's embeddings depend on torch's intra-op thread count (1 and 2 threads
gave 8 of 200 fp32 embeddings other last bits; the embedding cache is kept per count), so
its training record keeps the count, as a fine-tuned model's does, and its card says it.
The count is not hashed into the version: the same weights and settings built with
another count are the same model (and models/default, recorded without it, is still what
`make model` builds); fine-tuned models that hashed it (built before) still verify."""

from __future__ import annotations

from typing import Any

import pytest
import torch

import annotate.classifier.encoder as encoder_module
import annotate.training.embedding_cache as embedding_cache
import annotate.training.frozen as frozen
import annotate.training.frozen_train as frozen_train
from annotate.audit.model_verify import DIFFERS, MATCH, check_training_record
from annotate.classifier.model_files import (
    TRAINING_CONTENT_KEY,
    TRAINING_DIGEST_KEY,
    training_content_sha256,
    training_sha256,
)


@pytest.fixture
def three_threads():
    before = torch.get_num_threads()
    torch.set_num_threads(3)
    yield
    torch.set_num_threads(before)


class _Encoder:
    device = "cpu"
    precision = "fp32"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass


def test_the_training_record_keeps_the_thread_count(
    monkeypatch: pytest.MonkeyPatch, three_threads: None
) -> None:
    """What the frozen trainer hands the row trainer for ``training`` (``**ran_on``)."""
    ran_on: list[dict[str, Any]] = []

    def train_on_rows(cfg, out, tax, fit, prepare=None, replace=True, scoring=None, **_):  # the fit
        ran_on.append(fit(None, None)[1])

    monkeypatch.setattr(encoder_module, "Encoder", _Encoder)
    monkeypatch.setattr(embedding_cache, "EmbeddingCache", lambda *a, **k: None)
    monkeypatch.setattr(frozen, "RowFeatures", lambda *a, **k: None)
    monkeypatch.setattr(frozen, "fit_frozen", lambda *a, **k: "model")
    monkeypatch.setattr(frozen_train, "train_on_rows", train_on_rows)
    cfg = frozen_train.TrainConfig()
    frozen_train.train_frozen(cfg, "unused", None)  # type: ignore[arg-type]
    assert ran_on == [{"device": "cpu", "precision": "fp32", "threads": 3}]


def _record(**extra: Any) -> dict[str, Any]:
    return {"trainer": "frozen", "seed": 13, "annotate": "0.1.0 (git 1a2b3c4)", **extra}


def test_the_thread_count_is_recorded_but_not_in_the_version() -> None:
    """``training_content_sha256`` (hashed into the version) is the same with the count
    and without it; ``training_sha256`` (the whole record, for verify) is not."""
    without, one, two = _record(), _record(threads=1), _record(threads=2)
    assert training_content_sha256(one) == training_content_sha256(without)
    assert training_content_sha256(two) == training_content_sha256(without)
    assert len({training_sha256(r) for r in (without, one, two)}) == 3


def _config(training: dict[str, Any], content: str) -> dict[str, Any]:
    return {
        "kind": "annotate.finetuned.v1",
        "training": training,
        TRAINING_DIGEST_KEY: training_sha256(training),
        TRAINING_CONTENT_KEY: content,
    }


def test_a_model_whose_version_hashed_the_thread_count_still_verifies() -> None:
    """Fine-tuned models built on 5 Dec 2026 from 544ab15 on hashed it; an edited count is
    still caught by the whole record's digest."""
    record = _record(threads=2)
    hashed = training_content_sha256(record, build_fields=True)
    assert hashed != training_content_sha256(record)
    assert check_training_record(_config(record, hashed)).status == MATCH
    assert check_training_record(_config(record, training_content_sha256(record))).status == MATCH
    edited = _config(record, hashed)
    edited["training"] = _record(threads=1)
    assert check_training_record(edited).status == DIFFERS
    assert check_training_record(_config(record, "0" * 64)).status == DIFFERS


def test_the_card_says_the_thread_count_of_a_frozen_model() -> None:
    from annotate.training.card import threads_said

    assert threads_said(_record(threads=1)) == ", 1 torch thread"
    assert threads_said(_record()) == ""  # models/default: trained before it was kept
