"""Licences are validated as SPDX expressions at ingest (``license-expression``, which ships
the SPDX list): an SPDX licence is recorded in its canonical form (``mit`` -> ``MIT``), free
text (a contract's terms) is kept as given with a warning, and ``--strict-license`` refuses
it, saying what was found, what was expected and the fix. The report shows the SPDX form."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate._util.spdx import closest_spdx, spdx_expression
from annotate.cli import app
from annotate.corpus.export import export
from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.tables import iter_rows
from tests.audit.fakes import FakeStudio, reviewed_tasks

TEXT = (
    "The council met on Tuesday to discuss the new bus routes for the northern district. "
    "Residents asked for a later last bus on weekdays, and the council agreed to study it."
)
REUTERS = "licensed by Reuters, internal use"


@pytest.mark.parametrize(
    ("given", "want"),
    [
        ("mit", "MIT"),
        ("cc-by-4.0", "CC-BY-4.0"),
        ("MIT  or  apache-2.0", "MIT OR Apache-2.0"),
        ("(mit or apache-2.0) and bsd-3-clause", "(MIT OR Apache-2.0) AND BSD-3-Clause"),
        ("gpl-2.0-or-later with classpath-exception-2.0",
         "GPL-2.0-or-later WITH Classpath-exception-2.0"),
        ("LicenseRef-reuters-2026", "LicenseRef-reuters-2026"),
        ("CC-BY-4.0 AND LicenseRef-reuters", "CC-BY-4.0 AND LicenseRef-reuters"),
        (REUTERS, None),
        ("Apache 2.0", None),
        ("public domain", None),
        ("MIT AND", None),
        ("Classpath-exception-2.0", None),  # an exception alone is no licence
        ("vendor contract 2026-07", None),
    ],
)  # fmt: skip
def test_spdx_expressions_are_recognised_and_normalised(given: str, want: str | None) -> None:
    assert spdx_expression(given) == want


def test_the_closest_spdx_id_is_offered_for_a_near_miss() -> None:
    assert closest_spdx("Apache 2.0") == "Apache-2.0"
    assert closest_spdx("CC BY 4.0") == "CC-BY-4.0"
    assert closest_spdx(REUTERS) is None


def _table(tmp_path: Path, rows: list[dict]) -> Path:
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return src


def test_ingest_records_the_canonical_form_and_keeps_free_text(tmp_path: Path) -> None:
    src = _table(
        tmp_path,
        [
            {"doc_id": "a", "text": TEXT, "license": "cc-by-4.0"},
            {"doc_id": "b", "text": TEXT + " B.", "license": REUTERS},
            {"doc_id": "c", "text": TEXT + " C.", "license": "CC-BY-4.0"},
            {"doc_id": "d", "text": TEXT + " D."},  # the option
        ],
    )
    out = tmp_path / "p.jsonl"
    stats = ingest([src], out, min_chars=20, license="mit")
    got = {r["doc_id"]: r["license"] for r in iter_rows(out)}
    assert got == {"a": "CC-BY-4.0", "b": REUTERS, "c": "CC-BY-4.0", "d": "MIT"}
    assert stats.license_normalised == {("cc-by-4.0", "CC-BY-4.0"): 1, ("mit", "MIT"): 1}
    assert stats.license_not_spdx == {REUTERS: 1}


def test_strict_license_refuses_free_text_naming_where_it_was_found(tmp_path: Path) -> None:
    src = _table(
        tmp_path,
        [
            {"doc_id": "a", "text": TEXT, "license": "mit"},
            {"doc_id": "b", "text": TEXT + " B.", "licence": "Apache 2.0"},
        ],
    )
    out = tmp_path / "p.jsonl"
    with pytest.raises(InputError) as err:
        ingest([src], out, min_chars=20, strict_license=True)
    said = str(err.value)
    assert "docs.jsonl line 2, its licence column" in said and "'Apache 2.0'" in said
    assert "is not an SPDX licence expression" in said and "expects one (CC-BY-4.0" in said
    assert "write 'Apache-2.0' if that is the licence meant" in err.value.fix
    assert "LicenseRef" in err.value.fix and "leave out --strict-license" in err.value.fix
    assert not out.exists()
    with pytest.raises(InputError, match=r"^--license: the licence 'licensed by Reuters"):
        ingest([src], out, license=REUTERS, strict_license=True)
    # an SPDX expression passes, in its canonical form; the row's own still wins
    src.write_text(json.dumps({"doc_id": "a", "text": TEXT, "license": "mit"}) + "\n")
    ingest([src], out, min_chars=20, license="LicenseRef-reuters", strict_license=True)
    assert [r["license"] for r in iter_rows(out)] == ["MIT"]


def test_ingest_cli_notes_normalised_licences_and_warns_of_free_text(tmp_path: Path) -> None:
    src = _table(
        tmp_path,
        [
            {"doc_id": "a", "text": TEXT, "license": "mit"},
            {"doc_id": "b", "text": TEXT + " B.", "license": REUTERS},
            {"doc_id": "c", "text": TEXT + " C.", "license": "Apache 2.0"},
        ],
    )
    out = tmp_path / "p.jsonl"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(src), "--out", str(out), "--min-chars", "20"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "note: licence recorded as its SPDX expression: 'mit' -> 'MIT' (1 document)" in said
    assert "warning: the licence of 2 documents is not an SPDX licence expression" in said
    assert f"'{REUTERS}' (1 document)" in said
    assert "'Apache 2.0' (1 document; closest SPDX id 'Apache-2.0')" in said
    assert "--strict-license makes this an error" in said
    result = runner.invoke(
        app,
        [
            "ingest",
            str(src),
            "--out",
            str(out),
            "--min-chars",
            "20",
            "--strict-license",
            "--overwrite",
        ],
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    said = " ".join(result.output.split())
    assert f"docs.jsonl line 2, its licence column: the licence '{REUTERS}'" in said
    assert said.startswith("error: ")


@pytest.mark.parametrize(
    ("given", "versions"),
    [
        ("GPL", "'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only', 'GPL-3.0-or-later'"),
        ("gpl", "'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only', 'GPL-3.0-or-later'"),
        ("LGPL", "'LGPL-2.1-only', 'LGPL-2.1-or-later', 'LGPL-3.0-only', 'LGPL-3.0-or-later'"),
        ("AGPL", "'AGPL-1.0-only', 'AGPL-1.0-or-later', 'AGPL-3.0-only', 'AGPL-3.0-or-later'"),
        ("CC BY", "'CC-BY-2.0', 'CC-BY-2.5', 'CC-BY-3.0', 'CC-BY-4.0'"),
        ("CC-BY-SA", "'CC-BY-SA-2.0', 'CC-BY-SA-2.5', 'CC-BY-SA-3.0', 'CC-BY-SA-4.0'"),
    ],
)
def test_a_licence_named_without_its_version_is_kept_as_given_naming_the_versions(
    tmp_path: Path, given: str, versions: str
) -> None:
    """`--license GPL` was recorded as GPL-1.0-or-later (the licence library's alias), a
    grant the user never gave, with only a note (stop 48 new-user F25): now kept as given,
    as `CC BY 4.0` is, with a warning naming the versions to choose from."""
    assert spdx_expression(given) is None
    src = tmp_path / "c.txt"
    src.write_text(TEXT + "\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ran = CliRunner().invoke(
        app, ["ingest", str(src), "--out", str(out), "--min-chars", "20", "--license", given]
    )
    assert ran.exit_code == 0, ran.output
    said = " ".join(ran.output.split())
    assert f"'{given}' (1 document; names no version: one of {versions})" in said
    assert "recorded as its SPDX expression" not in said
    assert [r["license"] for r in iter_rows(out)] == [given]
    with pytest.raises(InputError) as err:
        ingest([src], out, license=given, strict_license=True)
    assert f"write the version meant: one of {versions}" in err.value.fix


@pytest.mark.parametrize(
    ("given", "want"),
    [
        ("LicenseRef-GPL", "LicenseRef-GPL"),  # the user's own reference, not GPL-1.0+
        ("LicenseRef-x OR LicenseRef-Apache", "LicenseRef-x OR LicenseRef-Apache"),
        ("mit AND LicenseRef-LGPL", "MIT AND LicenseRef-LGPL"),
        ("GPL OR MIT", None),
        ("GPL-2.0", "GPL-2.0-only"),  # a (deprecated) SPDX id with its version
    ],
)
def test_licence_refs_are_kept_as_written_and_versionless_names_are_not_spdx(
    given: str, want: str | None
) -> None:
    assert spdx_expression(given) == want


def test_the_report_shows_the_spdx_form_and_flags_free_text(tmp_path: Path) -> None:
    """An older ingest recorded ``mit`` as given: the report shows its SPDX form beside it;
    a contract's terms show as not SPDX; the manifest records the same."""
    tasks = copy.deepcopy(reviewed_tasks())
    for t, lic in zip(tasks, ["mit", "mit", REUTERS, "CC-BY-4.0", "CC-BY-4.0"], strict=False):
        t["data"]["license"] = lic
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((out / "manifest.json").read_text())
    by = manifest["licenses"]["by_license"]
    assert (by["mit"]["spdx"], by[REUTERS]["spdx"], by["CC-BY-4.0"]["spdx"]) == (
        "MIT",
        None,
        "CC-BY-4.0",
    )
    report = json.loads((out / "report" / "report.json").read_text())
    assert {e["license"]: e["spdx"] for e in report["licenses"]["by_license"]} == {
        "mit": "MIT",
        REUTERS: None,
        "CC-BY-4.0": "CC-BY-4.0",
    }
    text = (out / "report" / "report.md").read_text()
    assert "| licence | SPDX | documents | passages |" in text
    assert "| mit | MIT |" in text and f"| {REUTERS} | not SPDX |" in text
    assert "1 licence(s) (1 document(s)) are not SPDX expressions" in text
