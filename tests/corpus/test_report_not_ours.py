"""`annotate report CORPUS --out docs` into a folder holding the user's own report.md and
figures/splits.png (no report.json of an annotate report) replaced both, the note naming
only the other file kept; and a sign-off line appended to corpus/report/report.md was lost
on `export --overwrite` (stop 46 new-user #6). Now such a folder is refused, naming the
files, unless --overwrite; report.json records the SHA-256 of each file written, and one
edited since is kept as NAME.kept beside the new one, and named."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.corpus.export import export
from tests.audit.cli_run import run_cli as _run
from tests.audit.fakes import FakeStudio, reviewed_tasks


def test_a_folder_of_the_users_report_md_and_figures_is_refused(tmp_path, capsys) -> None:
    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    docs = tmp_path / "docs"
    (docs / "figures").mkdir(parents=True)
    (docs / "report.md").write_text("keep\n")
    (docs / "figures" / "splits.png").write_text("mine\n")
    (docs / "todo.txt").write_text("todo\n")
    code, err = _run(["report", str(corpus), "--out", str(docs)], capsys)
    said = " ".join(err.split())
    assert code != 0, err
    assert f"--out {docs} holds figures/splits.png, report.md, named as a report's" in said
    assert "--overwrite" in said and "Traceback" not in err
    assert (docs / "report.md").read_text() == "keep\n"
    assert (docs / "figures" / "splits.png").read_text() == "mine\n"

    code, err = _run(["report", str(corpus), "--out", str(docs), "--overwrite"], capsys)
    assert code == 0, err
    assert (docs / "report.md").read_text() != "keep\n"
    assert (docs / "todo.txt").read_text() == "todo\n"
    assert "todo.txt" in err
    # now a report annotate wrote: run again without --overwrite
    code, err = _run(["report", str(corpus), "--out", str(docs)], capsys)
    assert code == 0, err


def test_a_signed_report_md_is_kept_on_export_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    written = json.loads((out / "report" / "report.json").read_text())["written_files"]
    assert "report.md" in written and "figures/categories.png" in written
    signed = (out / "report" / "report.md").read_text() + "\nSigned off: A. Auditor\n"
    (out / "report" / "report.md").write_text(signed)
    result = export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    # kept as it was, moved aside with the export it signed off (passH53 H4)
    aside = result.kept_aside
    assert aside is not None and f"{aside}/report.md" in result.kept
    assert (out / aside / "report.md").read_text() == signed
    assert "Signed off" not in (out / "report" / "report.md").read_text()
    # an unedited report is replaced without a trace
    again = export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    assert again.kept_aside is None and f"{aside}/report.md" in again.kept  # left as it is


def test_the_kept_copy_is_named_where_it_stays(tmp_path: Path, capsys, caplog) -> None:
    """`annotate report` over a report folder with an edited report.md named the kept copy
    in the temporary folder the new report was written in (`.auditrep.partial-3135-...
    /report.md.kept`), gone once the report was put in place (passH53 H8)."""
    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    docs = tmp_path / "auditrep"
    code, err = _run(["report", str(corpus), "--out", str(docs)], capsys)
    assert code == 0, err
    with (docs / "report.md").open("a") as fh:
        fh.write("Signed: auditor\n")
    code, err = _run(["report", str(corpus), "--out", str(docs), "-q"], capsys)
    assert code == 0, err
    said = " ".join([*err.split(), *(r.getMessage() for r in caplog.records)])
    assert "report.md: the new report writes this name too; kept yours beside it as " in said
    assert "as report.md.kept" in said, said
    assert "partial" not in said
    assert (docs / "report.md.kept").read_text().endswith("Signed: auditor\n")
