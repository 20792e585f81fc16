"""`annotate prelabel --engine ray --threads N`: each actor runs its model on N torch
threads and reserves N CPUs (a local Ray is started with workers x N + 1), with the
local engine's scores."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pyarrow as pa
import pytest
import torch

from annotate.prelabeling import prelabel
from annotate.prelabeling_ray import _Labeler, prelabel_ray, ray_session
from annotate.tables import write_table
from annotate.taxonomy import load_taxonomy
from tests.test_prelabel_ray import SCORE_TOL

pytest.importorskip("ray")


@pytest.mark.parametrize("threads", [1, 2])
def test_an_actor_sets_its_thread_count_before_its_model_loads(threads: int) -> None:
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(3 - threads)  # the other count: the actor must change it
        _Labeler(None, load_taxonomy(None), 4, pa.schema([]), threads)
        assert torch.get_num_threads() == threads
    finally:
        torch.set_num_threads(before)


@pytest.mark.slow
def test_ray_with_two_threads_per_actor_equals_the_local_engine(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "doc_id": "d1", "passage_index": 0, "text": "Rehearsals start in October."},
        {"id": "b", "doc_id": "d1", "passage_index": 1, "text": "I will kill you tonight."},
        {"id": "c", "doc_id": "d2", "passage_index": 0, "text": "The bus routes change in May."},
    ]
    src = tmp_path / "in.jsonl"
    write_table(src, rows)
    local = tmp_path / "local.jsonl"
    prelabel(src, local)
    with ray_session(workers=1, threads=2) as ray:
        assert ray.cluster_resources()["CPU"] == 3  # one actor x 2 threads + the driver's
        stats = prelabel_ray(src, tmp_path / "ray.jsonl", workers=1, threads=2)
    assert stats.passages == 3
    a = {r["id"]: r for r in map(json.loads, local.read_text().splitlines())}
    b = {r["id"]: r for r in map(json.loads, (tmp_path / "ray.jsonl").read_text().splitlines())}
    assert a.keys() == b.keys()
    for pid, row in a.items():
        assert row["labels"] == b[pid]["labels"]
        for k, v in row["scores"].items():
            assert math.isclose(v, b[pid]["scores"][k], abs_tol=SCORE_TOL), (pid, k)
