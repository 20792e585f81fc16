"""The fine-tune trainer's linear probe (``finetune.linear_probe``, on by default) reads
every training row with the frozen encoder before the first step: a pass as long as an
epoch that reported no progress, so `annotate train`'s line stood still (s58 odds #3).
It now counts its rows on the trainer's ``progress``, and the total (the probe's rows and
every step's batch) is told before the first row, so the line gives a percentage and
the time left from the start. A tiny random BERT on the CPU."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from annotate.training.config import DataEntry, TrainConfig
from annotate.training.finetune import fine_tune
from annotate.training.rows import load_rows
from tests.classifier.test_encoder_identity_offline import _tiny_encoder
from tests.conftest import project_taxonomy
from tests.test_train_loop import _native_rows


class Recorder:
    """A progress callable that keeps its calls: ``("total", n)`` and ``("done", n)``."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def __call__(self, n: int) -> None:
        self.calls.append(("done", n))

    def add_total(self, n: int) -> None:
        self.calls.append(("total", n))


@pytest.mark.parametrize("probe", [True, False])
def test_the_probe_pass_counts_on_the_trainers_progress(tmp_path: Path, probe: bool) -> None:
    tiny = _tiny_encoder(tmp_path / "tiny-bert")
    data = tmp_path / "rows.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in _native_rows()))
    cfg = TrainConfig(
        name="t",
        trainer="finetune",
        encoder=str(tiny),
        data=[DataEntry(path=str(data))],
        finetune={"linear_probe": probe, "epochs": 1.0, "batch_size": 16, "max_length": 64},
    )
    tax = project_taxonomy()
    rows, _ = load_rows(cfg, tax)
    train = rows[rows["split"] == "train"].reset_index(drop=True)
    got = Recorder()
    fine_tune(train, cfg, tax, torch.device("cpu"), progress=got)
    assert got.calls[0] == ("total", (len(train) if probe else 0) + len(train)), got.calls[:3]
    done = sum(n for kind, n in got.calls if kind == "done")
    assert done == got.calls[0][1]  # the line ends with the last step
    assert [k for k, _ in got.calls].count("total") == 1
