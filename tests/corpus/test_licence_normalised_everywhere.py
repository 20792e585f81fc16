"""A licence enters a task through ingest, prelabel or push, and export keeps the task's
licence as recorded. ingest already wrote an SPDX expression in its canonical form
(`mit` -> `MIT`), but prelabel and push passed a passages file's licence as they found it
(a file from an older ingest, or made by hand): the export then recorded `mit`. Now all
three use one normaliser, warn (never fail) on a licence that is no SPDX expression, and
the exported licence is the pushed one."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
import pytest

from annotate._util.licence_tally import LicenceTally, pushed_license
from annotate.corpus.export import export
from annotate.prelabeling import prelabel
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import StudioWithLead, annotation
from tests.fakes import KeywordClassifier
from tests.integration.helpers import PRELABELS, choices

TAX = load_taxonomy()
CONFIG = parse_label_config(TAX.render_label_config())
FREE = "licensed by Reuters, internal use"


def test_one_normaliser_rewrites_spdx_and_keeps_free_text_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tally = LicenceTally()
    assert [tally(v) for v in ("mit", " cc-by-4.0 ", "MIT", FREE, "Apache 2.0", "", None, 4)] == [
        "MIT",
        "CC-BY-4.0",
        "MIT",
        FREE,
        "Apache 2.0",
        None,
        None,
        None,
    ]
    assert pushed_license("mit or apache-2.0") == "MIT OR Apache-2.0"
    with caplog.at_level(logging.INFO, logger="t"):
        tally.log(logging.getLogger("t"), "f.jsonl")
    (note,) = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert "'mit' -> 'MIT' (1)" in note and "'cc-by-4.0' -> 'CC-BY-4.0' (1)" in note
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "the licence of 2 passage(s) is not an SPDX licence expression" in warning
    assert "closest SPDX id 'Apache-2.0'" in warning and repr(FREE) in warning


def test_prelabel_writes_the_licence_as_ingest_records_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = tmp_path / "passages.csv"
    pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "text": ["I will kill you", "hello there", "a third one"],
            "license": ["mit", FREE, None],
        }
    ).to_csv(src, index=False)
    out = tmp_path / "prelabels.jsonl"
    with caplog.at_level(logging.WARNING):
        prelabel(src, out, classifier=KeywordClassifier(TAX.category_names))
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r.get("license") for r in rows] == ["MIT", FREE, None]
    assert any("not an SPDX licence expression" in r.getMessage() for r in caplog.records)


def test_the_exported_licence_is_the_pushed_one(tmp_path: Path) -> None:
    row = json.loads(PRELABELS.read_text(encoding="utf-8").splitlines()[0])
    pushed = row_to_task({**row, "license": "cc-by-4.0"}, TAX, CONFIG, where="row 1")
    assert pushed["data"]["license"] == "CC-BY-4.0"
    free = row_to_task({**row, "license": f"  {FREE} "}, TAX, CONFIG, where="row 1")
    assert free["data"]["license"] == FREE
    task = {
        "id": 7,
        "data": pushed["data"],
        "predictions": pushed["predictions"],
        "annotations": [
            annotation(70, 1, [choices("category", ["none"])], minute=1, lead_time=2.0)
        ],
    }
    out = tmp_path / "corpus"
    export("p", out, client=StudioWithLead([task], []), salt="s")  # type: ignore[arg-type]
    (exported,) = [
        json.loads(x) for p in (out / "jsonl").glob("*.jsonl") for x in p.read_text().splitlines()
    ]
    assert exported["license"] == pushed["data"]["license"] == "CC-BY-4.0"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["licenses"]["by_license"]["CC-BY-4.0"]["spdx"] == "CC-BY-4.0"


def test_the_ray_engine_checks_and_warns_of_licences_as_the_local_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from annotate.prelabeling_ray import _plan

    src = tmp_path / "passages.jsonl"
    rows = [
        {"id": "a", "text": "one", "license": "mit"},
        {"id": "b", "text": "two", "license": FREE},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with caplog.at_level(logging.WARNING):
        n, first = _plan(src, context=0)
    assert n == 2 and [r["license"] for r in first] == ["MIT", FREE]
    assert any("not an SPDX licence expression" in r.getMessage() for r in caplog.records)
