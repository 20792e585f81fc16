"""``export --redact`` masks the file names an ingest run records (``ingest --previous``
files, ``--skip-bad-files`` files) in the manifest's ``ingest_runs``, as it masks text: a
file named after a reviewer's or a source's e-mail address went out unmasked there. The
records come from a real ingest (with ``--previous`` and a skipped file), pushed as tasks
carry them; the run id stays, so the rows still name their run."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.audit.redact import RedactionSettings
from annotate.corpus.export import export
from annotate.ingestion import ingest
from tests.audit.fakes import FakeStudio, reviewed_tasks

ADDRESS = "jane.doe@example.org"


def _record(tmp_path: Path) -> dict:
    """The ingest_run of a run with an earlier file and a skipped file named by e-mail."""
    earlier_src = tmp_path / "earlier"
    earlier_src.mkdir()
    (earlier_src / "a.txt").write_text("The council condemned the attack on the market.\n")
    earlier = tmp_path / f"from-{ADDRESS}.jsonl"
    ingest([earlier_src], earlier)
    src = tmp_path / "batch"
    src.mkdir()
    (src / "b.txt").write_text("Police said two men were arrested on Monday night.\n")
    (src / f"{ADDRESS}.txt").write_bytes("Caf\u00e9 \u201cnaive\u201d.\n".encode("cp1252"))
    out = tmp_path / "batch.jsonl"
    ingest([src], out, previous=[earlier], skip_bad_files=True)
    record = json.loads(json.loads(out.read_text().splitlines()[0])["ingest_run"])
    assert ADDRESS in record["previous"][0]["file"] and record["skipped_files"]
    return record


def _manifest(tmp_path: Path, record: dict, redact: bool) -> dict:
    tasks = reviewed_tasks()
    for t in tasks:
        t["data"]["ingest_run"] = json.dumps(record)
    out = tmp_path / ("redacted" if redact else "plain")
    settings = RedactionSettings() if redact else None
    export("p", out, client=FakeStudio(tasks), salt="s", redact=settings)  # type: ignore[arg-type]
    return json.loads((out / "manifest.json").read_text())


def test_redacted_export_masks_file_names_in_ingest_runs(tmp_path: Path) -> None:
    record = _record(tmp_path)
    manifest = _manifest(tmp_path, record, redact=True)
    text = json.dumps(manifest)
    assert ADDRESS not in text and "jane.doe" not in text
    (run,) = manifest["ingest_runs"]["runs"]
    assert run["run"] == record["run"] and run["inputs"] == record["inputs"]
    assert run["previous"][0]["file"] == "[EMAIL]"  # masked as text is: the whole match
    assert run["previous"][0]["sha256"] == record["previous"][0]["sha256"]
    assert run["skipped_files"][0]["file"] == "batch/[EMAIL]"
    assert run["skipped_files"][0]["problem"] == "cp1252"
    assert manifest["redaction"]["masked_at_export"]["ingest_run_file_names"] == 2


def test_an_export_without_redact_keeps_them(tmp_path: Path) -> None:
    record = _record(tmp_path)
    manifest = _manifest(tmp_path, record, redact=False)
    (run,) = manifest["ingest_runs"]["runs"]
    assert run["previous"] == record["previous"]
    assert run["skipped_files"] == record["skipped_files"]


def test_the_report_names_the_files_left_out(tmp_path: Path) -> None:
    """The audit report of the redacted export says a run left files out, masked names."""
    from annotate.audit.provenance import ingest_run_lines

    manifest = _manifest(tmp_path, _record(tmp_path), redact=True)
    text = "\n".join(ingest_run_lines(manifest["ingest_runs"]))
    assert "left out 1 input file(s) it could not read as UTF-8 text" in text
    assert "`batch/[EMAIL]` (cp1252)" in text and ADDRESS not in text
