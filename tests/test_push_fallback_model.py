"""retrain56 finding 10: pre-labels of a model whose harmful thresholds are all the
fallback were pushed with no warning (prelabel and verify warn; push, which orders the
riskiest-first queue by those scores, said nothing). prelabel records those labels in
the run record; push warns."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from typer.testing import CliRunner

from annotate.cli import app
from annotate.prelabeling import fallback_harmful_of, run_record
from annotate.review.fallback_models import fallback_models
from tests.test_review_fanout import PRELABELS, ReviewStudio

FP = {"input": {"size": 3, "sha256": "abc"}, "model_version": "batch-1@ffdb396101cc"}


def _config(source: str) -> dict:
    return {
        "labels": ["violent_threat", "incitement", "none"],
        "harmful": ["violent_threat", "incitement"],
        "metrics": {
            "threshold_sources": {
                "violent_threat": {"source": source},
                "incitement": {"source": "fallback"},
                "none": {"source": "not used"},
            }
        },
    }


def test_the_run_record_names_the_fallback_labels_only_when_all_fell_back() -> None:
    fell = SimpleNamespace(config=_config("fallback"))
    fitted = SimpleNamespace(config=_config("validation"))
    assert fallback_harmful_of(fell) == ["violent_threat", "incitement"]
    assert fallback_harmful_of(fitted) == []
    record = json.loads(run_record(FP, Path("p.jsonl"), fallback_harmful_of(fell)))
    assert record["fallback_thresholds"] == ["violent_threat", "incitement"]
    # a model with a fitted harmful threshold writes the record it wrote before
    assert run_record(FP, Path("p.jsonl"), []) == run_record(FP, Path("p.jsonl"))
    assert "fallback_thresholds" not in run_record(FP, Path("p.jsonl"))


def _prelabels(tmp_path: Path, fallback: bool) -> Path:
    record = run_record(FP, Path("p.jsonl"), ["violent_threat"] if fallback else [])
    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    out = tmp_path / f"pre-{fallback}.jsonl"
    with out.open("w") as f:
        for r in rows:
            f.write(
                json.dumps({**r, "model_version": FP["model_version"], "prelabel_run": record})
                + "\n"
            )
    return out


def test_push_warns_on_a_model_with_only_fallback_harmful_thresholds(
    tmp_path: Path, monkeypatch
) -> None:
    import annotate.review.fanout as fanout

    assert fallback_models(_prelabels(tmp_path, False)) == {}
    pre = _prelabels(tmp_path, True)
    assert fallback_models(pre) == {"batch-1@ffdb396101cc": ["violent_threat"]}
    client = ReviewStudio()
    real = fanout.push_review
    monkeypatch.setattr(
        fanout, "push_review", lambda *a, **kw: real(*a, **kw, client=client, salt="s")
    )
    result = CliRunner().invoke(app, ["push", str(pre), "--project", "Batch", "-k", "2"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert (
        "warning: model batch-1@ffdb396101cc (these pre-labels' model): none of its harmful "
        "labels (violent_threat) has a fitted threshold"
    ) in said, said
    assert "riskiest-first queue" in said
