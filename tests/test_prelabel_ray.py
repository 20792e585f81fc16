"""`annotate prelabel --engine ray`: the same rows and scores as the local engine, on a
local Ray that the tool starts (no dashboard, no usage statistics)."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel
from annotate.prelabeling_ray import prelabel_ray, ray_session
from annotate.tables import write_table
from tests.test_prelabel_carried_neighbours import (
    AFTER,
    ATTRIBUTION,
    QUOTE,
    ingest_batches,
    needs_model,
    rows_by_id,
    unpadded_classifier,
)

# a project-written news article of many passages (a fresh clone has no ../shared)
ARTICLE = Path(__file__).resolve().parent / "fixtures" / "long_article.txt"
# Scores of one passage differ between batches of different padding by float noise
# (bf16 where the CPU has it natively): measured up to 0.0034, see benchmarks/README.md.
SCORE_TOL = 0.01


@pytest.fixture
def passages(tmp_path) -> Path:
    """A news article (a document of many passages) and three short documents."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"))
    (docs / "threat.txt").write_text(
        "Local news\n\nI will kill you and your family tonight if you testify.\n"
    )
    (docs / "hunting.txt").write_text("Hunting season opens in October in the north.\n")
    # a passage labelled by its neighbour: a document split among actors reads it alone
    (docs / "report.txt").write_text("\n\n".join([ATTRIBUTION, QUOTE, AFTER]) + "\n")
    # a table's row: its passages name the file and the line (input_file, input_row)
    (docs / "posts.jsonl").write_text(
        json.dumps({"id": "post-1", "text": "The ferry leaves at noon on weekdays."}) + "\n"
    )
    out = tmp_path / "passages.parquet"
    ingest([docs], out, dedupe=False)
    return out


def _by_id(path: Path) -> list[dict]:
    return sorted(pq.read_table(path).to_pylist(), key=lambda r: r["id"])


@pytest.mark.slow
def test_a_normal_run_prints_no_error_line_of_ray_and_reads_and_writes_jsonl(tmp_path, passages):
    """Ray's core worker logged `[... E ...] core_worker.cc: Actor ... has constructor
    arguments in the object store and max_restarts > 0 ...` on every run (Ray Data's
    actor pool, ray-project/ray#57733): an alarm about nothing the user can act on. A
    normal run's stderr has no error line of Ray's.

    The same run (one Ray start and actor, not two: CI time) is the JSONL check: JSONL in
    (read by ray.data with the local engine's column types, an ingest's input_row too),
    JSONL out, the local engine's rows."""
    rows = pq.read_table(passages).to_pylist()
    short = [r for r in rows if not r["doc_id"].endswith(("article.txt", "report.txt"))]
    short += rows[:5]
    src, out, local = (tmp_path / f"{n}.jsonl" for n in ("in", "out", "local"))
    write_table(src, short)
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root), "HF_HUB_OFFLINE": "1"}
    argv = ["prelabel", str(src), "-o", str(out), "--engine", "ray", "--workers", "1", "-q"]
    proc = subprocess.run(
        [sys.executable, "-m", "annotate", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "max_restarts" not in proc.stderr, proc.stderr
    assert not re.search(r"^\[[^\]]* E \d+ \d+\]", proc.stderr, re.M), proc.stderr
    prelabel(src, local)
    jl, jr = _jsonl_by_id(local), _jsonl_by_id(out)
    assert len(jl) == len(jr) == 8
    assert {r["input_row"] for r in jr} == {None, "line 1"}  # JSONL in: typed as ingest's
    _assert_same_rows(jl, jr)
    # the threat and the hunting notice of the two-row run this one replaced
    assert any("kill you" in r["text"] for r in jr), jr
    assert any("Hunting season" in r["text"] for r in jr), jr


def test_unreachable_address_is_one_line_error(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.parquet"
    src.write_text('{"id": "1", "text": "hello"}\n')
    res = CliRunner().invoke(
        app,
        [
            "prelabel",
            str(src),
            "--out",
            str(out),
            "-q",
            "--engine",
            "ray",
            "--address",
            "127.0.0.1:9",
        ],
    )
    assert res.exit_code == 1, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(
        "error: cannot reach a Ray cluster at 127.0.0.1:9"
    )
    assert "Fix:" in lines[0] and not out.exists()


def test_ray_options_need_the_ray_engine(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "1", "text": "hello"}\n')
    res = CliRunner().invoke(app, ["prelabel", str(src), "--out", "o.parquet", "--workers", "2"])
    assert res.exit_code == 1 and "only apply to --engine ray" in res.output


def test_missing_ray_is_one_line_error(tmp_path, monkeypatch):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "1", "text": "hello"}\n')
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    with pytest.raises(InputError, match="needs Ray, which is not installed"):
        prelabel_ray(src, tmp_path / "out.parquet")


def test_ray_needs_passage_order_within_documents(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "1", "text": "a", "doc_id": "A"}\n{"id": "2", "text": "b", "doc_id": "A"}\n'
    )
    from annotate.prelabeling_ray import _plan

    with pytest.raises(InputError, match="without distinct passage_index"):
        _plan(src)


def test_ray_needs_no_passage_order_for_a_model_that_reads_no_neighbours(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "1", "text": "a", "doc_id": "A"}\n{"id": "2", "text": "b", "doc_id": "A"}\n'
    )
    from annotate.prelabeling_ray import _plan

    n, first = _plan(src, context=0)  # e.g. the default frozen-linear model
    assert n == 2 and [r["id"] for r in first] == ["1", "2"]


# The tests below share one local Ray, started as the tool starts it when none runs (what
# each of them started for itself took ~10-20 s a start on 2 busy cores); the CLI test
# above starts its own, in its subprocess, before this one is up (the tests of a file run
# in order, on one pytest-xdist worker under --dist loadfile).
@pytest.fixture(scope="module")
def local_ray():  # type: ignore[no-untyped-def]
    """The Ray :func:`ray_session` starts for one actor of two threads (3 CPUs), shut down
    after this file's last test."""
    pytest.importorskip("ray")
    with ray_session(workers=1, threads=2) as ray:
        yield ray
    assert not ray.is_initialized()  # ray_session shuts down the Ray it started


def _assert_same_rows(a: list[dict], b: list[dict]) -> None:
    """Rows of the local and the Ray engine, sorted by id: equal but for scores, within
    batching noise (span scores move by the same noise: their spans are compared)."""
    assert [r["id"] for r in a] == [r["id"] for r in b]
    # prelabel_run: each engine's run record, the same but for the engine, the run id and
    # where it ran (s56 left #3: the Ray engine wrote none)
    skip = ("scores", "spans", "prelabel_run")
    where = ("run", "engine", "compute", "threads")
    for x, y in zip(a, b, strict=True):
        if "prelabel_run" in x or "prelabel_run" in y:  # (rows the caller kept it in)
            local, ray = json.loads(x["prelabel_run"]), json.loads(y["prelabel_run"])
            assert (local["engine"], ray["engine"]) == ("local", "ray"), (local, ray)
            assert {k: v for k, v in local.items() if k not in where} == {
                k: v for k, v in ray.items() if k not in where
            }, (local, ray)
        assert {k: v for k, v in x.items() if k not in skip} == {
            k: v for k, v in y.items() if k not in skip
        }
        assert [(s["start"], s["end"], s["label"]) for s in x["spans"]] == [
            (s["start"], s["end"], s["label"]) for s in y["spans"]
        ]
        for k, v in x["scores"].items():
            assert math.isclose(v, y["scores"][k], abs_tol=SCORE_TOL), (x["id"], k)


def _jsonl_by_id(path: Path) -> list[dict]:
    return sorted(map(json.loads, path.read_text().splitlines()), key=lambda r: r["id"])


@pytest.mark.slow
def test_a_local_ray_has_no_dashboard_and_sends_no_usage_statistics(local_ray):
    from ray._common.usage.usage_lib import usage_stats_enabled

    assert not usage_stats_enabled()
    env = local_ray.get(
        local_ray.remote(lambda: os.environ.get("RAY_USAGE_STATS_ENABLED")).remote()
    )
    assert env == "0"  # the cluster's own processes too
    assert not local_ray._private.worker._global_node.webui_url  # no dashboard
    assert local_ray.cluster_resources()["CPU"] == 3  # one actor x 2 threads + the driver's


@pytest.mark.slow
def test_ray_engine_equals_local_engine(tmp_path, passages, local_ray):
    local, on_ray = tmp_path / "local.parquet", tmp_path / "ray.parquet"
    prelabel(passages, local)
    seen: list[int] = []
    # two actors; chunk_size 4: the article is cut into windows with neighbours as context
    stats = prelabel_ray(passages, on_ray, workers=2, chunk_size=4, progress=seen.append)
    a, b = _by_id(local), _by_id(on_ray)
    assert stats.passages == len(a) == sum(seen) > 10
    assert pq.read_schema(local) == pq.read_schema(on_ray)
    _assert_same_rows(a, b)
    assert any(r["labels"] != ["none"] for r in a)  # the comparison covers a flagged row
    (quote,) = [r for r in b if r["text"] == QUOTE]  # read after its attribution line
    assert "news_reporting" in quote["labels"], quote
    # the input file and row each passage was read from come through Ray as they went in
    assert {(r["input_file"], r["input_row"]) for r in b} == {
        ("docs/article.txt", None),
        ("docs/threat.txt", None),
        ("docs/hunting.txt", None),
        ("docs/report.txt", None),
        ("docs/posts.jsonl", "line 1"),
    }
    # JSONL in and out: test_a_normal_run_prints_no_error_line_of_ray_and_reads_and_writes_jsonl


@pytest.mark.slow
def test_ray_with_two_threads_per_actor_warns_and_scores_like_the_local_engine(tmp_path, local_ray):
    """One run for two checks. --threads 2: the actor's model on two torch threads, with
    the local engine's labels and scores. Warnings: the Ray engine said nothing about
    passages longer than the model reads or written in a script the model was not
    trained on; the local engine warns about both."""
    from tests.classifier.test_writing_system import ARABIC

    long = "The city council met on Tuesday to discuss the budget for parks. " * 50
    rows = [
        {"id": "a", "doc_id": "d1", "passage_index": 0, "text": "Rehearsals start in October."},
        {"id": "b", "doc_id": "d1", "passage_index": 1, "text": "I will kill you tonight."},
        {"id": "c", "doc_id": "d2", "passage_index": 0, "text": "The bus routes change in May."},
        {"id": "long", "doc_id": "d3", "passage_index": 0, "text": long},
        {"id": "ar", "doc_id": "d4", "passage_index": 0, "text": ARABIC},
    ]
    src = tmp_path / "in.jsonl"
    write_table(src, rows)
    local = prelabel(src, tmp_path / "local.jsonl")
    on_ray = prelabel_ray(src, tmp_path / "ray.jsonl", workers=1, threads=2)
    for stats in (local, on_ray):
        assert stats.passages == 5
        assert (stats.cut, stats.first_cut, stats.token_limit) == (1, "long", 256)
        assert (stats.foreign, stats.first_foreign, stats.foreign_scripts) == (
            1,
            "ar",
            {"ARABIC": 1},
        )
    a, b = _jsonl_by_id(tmp_path / "local.jsonl"), _jsonl_by_id(tmp_path / "ray.jsonl")
    _assert_same_rows(a, b)
    assert any(r["labels"] != ["none"] for r in a)  # the comparison covers a flagged row
    # every Ray row records the run, as the local engine's do: the actor's two threads
    assert {r["prelabel_run"] for r in b} == {on_ray.run_record}
    run = json.loads(on_ray.run_record)
    assert run["engine"] == "ray" and run["run"].startswith("pr-"), run
    assert run["threads"] == (2 if run["compute"]["device"] == "cpu" else None), run
    # each engine records the finding in the row, for push (passG52 G2)
    for rows_of in (a, b):
        said = {r["id"]: r["model_language_warning"] for r in rows_of}
        assert said["ar"] == "Arabic script (the model was trained on en text)"
        assert said["a"] is None


@pytest.mark.slow
def test_ray_with_restart_discards_a_local_runs_parts_and_leaves_no_folder(
    tmp_path, taxonomy, local_ray
):
    """With the default model, one actor (tests/test_prelabel_ray_local_parts.py: the
    parts an interrupted local run kept are refused without --restart)."""
    from annotate.prelabel_parts import parts_folder
    from tests.test_prelabel_ray_local_parts import twelve_passages
    from tests.test_prelabel_resume import WINDOW, _interrupted

    src, out = twelve_passages(tmp_path / "in.jsonl"), tmp_path / "pre.jsonl"
    _interrupted(src, out, taxonomy, fail_on=2)
    assert parts_folder(out).is_dir()
    stats = prelabel_ray(src, out, workers=1, chunk_size=WINDOW, restart=True)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert stats.passages == len(rows) == 12 and not parts_folder(out).exists()
    assert {r["model_version"] for r in rows} == {stats.model_version} != {"keyword-fake@0"}


@needs_model
@pytest.mark.slow
def test_the_ray_engine_reads_the_carried_neighbours_too(tmp_path, local_ray):
    """tests/test_prelabel_carried_neighbours.py on Ray: a changed passage of an
    `ingest --previous` batch is read with the neighbours its row carries."""
    batch, _ = ingest_batches(tmp_path)
    prelabel(batch, tmp_path / "local.jsonl", classifier=unpadded_classifier())
    prelabel_ray(batch, tmp_path / "ray.jsonl", workers=1)
    local, on_ray = rows_by_id(tmp_path / "local.jsonl"), rows_by_id(tmp_path / "ray.jsonl")
    _assert_same_rows([local[k] for k in sorted(local)], [on_ray[k] for k in sorted(on_ray)])
    assert "news_reporting" in next(iter(on_ray.values()))["labels"]


@pytest.mark.slow
def test_more_actors_than_the_ray_has_cpus_for_are_refused(tmp_path, local_ray):
    """Three actors on a Ray of 3 CPUs leave none for reading the input: the run waited
    for ever (tests/test_prelabel_ray_join.py: the message)."""
    src = tmp_path / "in.jsonl"
    rows = [{"id": k, "doc_id": k, "passage_index": 0, "text": "Hello."} for k in "abc"]
    write_table(src, rows)  # three windows of one passage: work for three actors
    with pytest.raises(InputError, match="has 3 CPU"):
        prelabel_ray(src, tmp_path / "out.jsonl", workers=3, chunk_size=1)
    assert local_ray.is_initialized()  # the shared Ray, not shut down by the refused run


@pytest.mark.slow
def test_the_ray_engine_reads_a_txt_holding_webvtt_as_the_vtt_file(tmp_path, local_ray):
    """tests/test_subtitles_by_content.py on Ray: a WebVTT file saved as .txt (ingest's
    record in its meta) is scored as its .vtt copy by the local engine, its cues within
    their sentences, a window cutting it carrying the cues a sentence reaches."""
    from tests.test_subtitles_by_content import VTT

    scored = {}
    for name in ("talk.txt", "talk.vtt"):
        (tmp_path / name).write_text(VTT, encoding="utf-8")
        ingest([tmp_path / name], tmp_path / f"{name}.jsonl", min_chars=0)
    prelabel_ray(tmp_path / "talk.txt.jsonl", tmp_path / "ray.jsonl", workers=1, chunk_size=2)
    prelabel(tmp_path / "talk.vtt.jsonl", tmp_path / "local.jsonl")
    for name in ("ray", "local"):
        rows = [json.loads(line) for line in (tmp_path / f"{name}.jsonl").read_text().splitlines()]
        scored[name] = sorted(rows, key=lambda r: r["passage_index"])
    assert len(scored["ray"]) == 5
    keep = ("text", "labels", "scores", "spans")  # "id": the cue's place (the ids differ)
    a, b = (
        [{"id": r["passage_index"]} | {k: r[k] for k in keep} for r in scored[n]]
        for n in ("ray", "local")
    )
    _assert_same_rows(a, b)


@pytest.mark.slow
def test_ray_progress_moves_within_a_bucket_and_leaves_the_rows_as_they_were(
    tmp_path, local_ray, monkeypatch
):
    """Progress came one bucket (up to 2,048 passages) at a time, when its rows came
    back: 300 passages on one actor were one call, 0 then 300 after a minute of nothing
    on a slow machine. The actor tells what its model batches scored (here every batch,
    read every 20 ms), so progress moves within the bucket; the rows are those of a run
    without progress, in the same order."""
    import annotate.prelabeling_ray as pr

    monkeypatch.setattr(pr, "TELL_EVERY", 0.0, raising=False)
    monkeypatch.setattr(pr, "POLL_EVERY", 0.02, raising=False)
    src = tmp_path / "in.jsonl"
    words = ["harbour", "market", "school", "ferry", "library", "bridge", "festival"]
    rows = [
        {
            "id": f"p{i}",
            "doc_id": f"d{i // 3}",
            "passage_index": i % 3,
            "text": f"The {words[i % 7]} opens at {i % 12 + 1} o'clock on day {i}. " * (1 + i % 4),
        }
        for i in range(300)
    ]
    write_table(src, rows)
    seen: list[int] = []
    prelabel_ray(src, tmp_path / "told.jsonl", workers=1, progress=seen.append)
    prelabel_ray(src, tmp_path / "quiet.jsonl", workers=1)
    assert sum(seen) == 300
    assert len(seen) > 1, seen  # within the one bucket, not once at its end
    told, quiet = (
        [json.loads(line) for line in (tmp_path / f"{n}.jsonl").read_text().splitlines()]
        for n in ("told", "quiet")
    )
    assert told == quiet
