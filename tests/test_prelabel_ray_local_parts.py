"""A Ray run to an --out whose passages an interrupted local run kept: the Ray engine
does not resume them, and its output left them beside it, stale (a later local run
resumed them instead of the output). It refuses them, or discards them with --restart
(that run on a real Ray: tests/test_prelabel_ray.py, on the Ray that file's tests share)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.prelabel_parts import PartsStore, parts_folder
from annotate.prelabeling_ray import prelabel_ray
from tests.test_prelabel_resume import _interrupted


def twelve_passages(path: Path) -> Path:
    """Four documents of three passages each, written to ``path`` (JSONL)."""
    rows = [
        {"id": f"d{d}-p{p}", "doc_id": f"d{d}", "passage_index": p, "text": f"Doc {d} says {p}."}
        for d in range(4)
        for p in range(3)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture
def src(tmp_path):
    return twelve_passages(tmp_path / "in.jsonl")


def test_ray_refuses_the_parts_of_an_interrupted_local_run(tmp_path, src, taxonomy):
    out = tmp_path / "pre.jsonl"
    _interrupted(src, out, taxonomy, fail_on=2)  # one window of 4 kept
    kept = sorted(p.name for p in parts_folder(out).iterdir())
    res = CliRunner().invoke(app, ["prelabel", str(src), "-o", str(out), "--engine", "ray"])
    assert res.exit_code == 1, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "4 passage(s) of" in lines[0], res.output
    assert "interrupted local run" in lines[0] and "--engine local" in lines[0]
    assert "--restart" in lines[0] and "Traceback" not in res.output
    assert sorted(p.name for p in parts_folder(out).iterdir()) == kept and not out.exists()


def test_ray_waits_for_no_local_run_writing_the_same_out(tmp_path, src):
    out = tmp_path / "pre.parquet"
    with PartsStore(out, "parquet"):
        res = CliRunner().invoke(app, ["prelabel", str(src), "-o", str(out), "--engine", "ray"])
    assert res.exit_code == 1 and "another annotate prelabel is writing" in res.output


def test_a_local_run_started_while_ray_runs_on_the_same_out_is_refused(
    tmp_path, src, taxonomy, monkeypatch
):
    """The Ray engine checked the parts lock once, before it started, and then ran
    without it: a local run of the same --out started meanwhile wrote its parts and
    output beside Ray's. The lock is held for the whole Ray run, as the local engine
    holds it, and the folder made for it is gone afterwards."""
    import annotate.prelabeling_ray as ray_engine
    from annotate.errors import InputError
    from annotate.prelabeling import prelabel
    from tests.fakes import KeywordClassifier

    out = tmp_path / "pre.jsonl"
    meanwhile: list[BaseException | None] = []

    class Stopped(Exception):
        pass

    def local_run_meanwhile() -> None:  # called once Ray's run has begun (before Ray starts)
        try:
            prelabel(src, out, classifier=KeywordClassifier(taxonomy.category_names))
            meanwhile.append(None)
        except InputError as exc:
            meanwhile.append(exc)
        raise Stopped

    monkeypatch.setattr(ray_engine, "_ray", local_run_meanwhile)
    with pytest.raises(Stopped):
        prelabel_ray(src, out, workers=1)
    assert isinstance(meanwhile[0], InputError), meanwhile
    assert "another annotate prelabel is writing" in meanwhile[0].what
    assert not out.exists() and not parts_folder(out).exists()
