"""`annotate verify EXPORT --sources DIR`: each source document an export names (its
input_file and input_row, document_sha256, the passages' start/end) is read again from
DIR and reported unchanged, changed (with the passages no longer at their offsets) or
missing (with the paths looked for). An export of real ingest output of every format
ingest reads: a folder of .txt/.md files, JSONL, CSV without an id column, Parquet, and a
save_to_disk DatasetDict."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from annotate.audit.sources import CHANGED, MISSING, NOT_CHECKED, UNCHANGED, check_sources
from annotate.cli import main
from annotate.corpus.export import export
from annotate.ingestion import ingest
from annotate.tables import iter_rows
from tests.audit.fakes import FakeStudio, annotation, reviewed_tasks, task
from tests.integration.helpers import choices

A = "The council met on Tuesday to discuss the new bus routes for the northern district."
B = "Residents asked for a later last bus on weekdays, and the council agreed to study it."
C = "A reader wrote that the market square should be closed to cars on Saturdays."


def _inputs(root: Path) -> list[str]:
    """Inputs of every format, written under ``root`` (the folder ingest runs from)."""
    (root / "notes").mkdir()
    (root / "notes" / "a.txt").write_text(f"{A}\n\n{B}\n", encoding="utf-8")
    (root / "notes" / "b.md").write_text(f"---\ntitle: B\n---\n{C}\n", encoding="utf-8")
    (root / "posts.jsonl").write_text(
        "".join(json.dumps({"id": f"j{i}", "text": t}) + "\n" for i, t in enumerate((A, C))),
        encoding="utf-8",
    )
    # no id column: its rows are named by position
    (root / "comments.csv").write_text(f'text\n"{B}"\n{C}\n', encoding="utf-8")
    pd.DataFrame({"doc_id": ["p0", "p1"], "text": [C, A]}).to_parquet(root / "table.parquet")
    import datasets

    datasets.DatasetDict(
        {"train": datasets.Dataset.from_dict({"id": ["h0"], "text": [B + " Train."]})}
    ).save_to_disk(str(root / "tweets"))
    return ["notes", "posts.jsonl", "comments.csv", "table.parquet", "tweets"]


def _tasks(passages: Path) -> list[dict[str, Any]]:
    """One reviewed task per passage, with the passage's data as push gives it."""
    out = []
    for n, row in enumerate(iter_rows(passages)):
        t = task(
            100 + n,
            row["id"],
            row["text"],
            doc=row["doc_id"],
            index=row["passage_index"],
            model_labels=["news_reporting"],
            annotations=[
                annotation(
                    1000 + n,
                    1,
                    [choices("category", ["news_reporting"]), choices("severity", ["low"])],
                    minute=n % 60,
                    lead_time=5.0,
                )
            ],
        )
        for key in ("start", "end", "source", "document_sha256", "input_file", "input_row"):
            t["data"][key] = row[key]
        t["data"]["ingest_run"] = row["ingest_run"]
        out.append(t)
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the folder ingest ran from, the export)."""
    base = tmp_path_factory.mktemp("sources")
    root = base / "in"
    root.mkdir()
    inputs = _inputs(root)
    passages = base / "passages.jsonl"
    cwd = os.getcwd()
    os.chdir(root)  # as a user runs it: names relative to the folder
    try:
        ingest(inputs, passages, min_chars=20, dedupe=False, near_dup_threshold=None)
    finally:
        os.chdir(cwd)
    out = base / "corpus"
    export("p", out, client=FakeStudio(_tasks(passages)), salt="s")  # type: ignore[arg-type]
    return root, out


def _copy(root: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "in"
    shutil.copytree(root, dst)
    return dst


def _by_file(found: Any) -> dict[tuple[str | None, str | None], str]:
    return {(d.input_file, d.input_row): d.status for d in found.documents}


def test_every_format_read_again_is_unchanged(exported: tuple[Path, Path]) -> None:
    root, corpus = exported
    found = check_sources(corpus, root)
    assert _by_file(found) == {
        ("notes/a.txt", None): UNCHANGED,
        ("notes/b.md", None): UNCHANGED,  # front matter: offsets index the whole file
        ("posts.jsonl", "line 1"): UNCHANGED,
        ("posts.jsonl", "line 2"): UNCHANGED,
        ("comments.csv", "row 1 (line 2)"): UNCHANGED,
        ("comments.csv", "row 2 (line 3)"): UNCHANGED,
        ("table.parquet", "row 1"): UNCHANGED,
        ("table.parquet", "row 2"): UNCHANGED,
        ("tweets[train]", "row 1"): UNCHANGED,
    }
    assert found.ok and found.complete
    # the folder itself given (its files' names start with its own): found too
    assert check_sources(corpus, root / "notes").count(UNCHANGED) == 2


def test_a_changed_document_names_its_passages_and_a_missing_one_the_path(
    exported: tuple[Path, Path], tmp_path: Path
) -> None:
    root, corpus = exported
    copy = _copy(root, tmp_path)
    # an edit in a.txt's first paragraph: the hash changes, and the second paragraph's
    # passage is no longer at its offsets (the text before it grew)
    (copy / "notes" / "a.txt").write_text(f"{A} Edited.\n\n{B}\n", encoding="utf-8")
    (copy / "comments.csv").unlink()
    # a JSONL row edited, its neighbour untouched
    (copy / "posts.jsonl").write_text(
        json.dumps({"id": "j0", "text": A})
        + "\n"
        + json.dumps({"id": "j1", "text": C + " More."})
        + "\n",
        encoding="utf-8",
    )
    found = check_sources(corpus, copy)
    status = _by_file(found)
    assert status[("notes/a.txt", None)] == CHANGED
    assert status[("notes/b.md", None)] == UNCHANGED
    assert status[("posts.jsonl", "line 1")] == UNCHANGED
    assert status[("posts.jsonl", "line 2")] == CHANGED
    assert status[("comments.csv", "row 1 (line 2)")] == MISSING
    assert not found.ok
    (a,) = [d for d in found.documents if d.input_file == "notes/a.txt"]
    assert "the export records" in a.what and len(a.moved) == 1, a.what
    (csv,) = {tuple(d.looked_for) for d in found.of(MISSING)}
    assert csv == (copy / "comments.csv",)


def test_cli_reports_per_document_and_exits(
    exported: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, corpus = exported
    with pytest.raises(SystemExit) as ok:
        main(["verify", str(corpus), "--sources", str(root), "--strict", "-q"])
    assert ok.value.code == 0
    said = capsys.readouterr().err
    assert f"sources of {corpus} in {root}: 9 documents, 9 unchanged, 0 changed" in said, said
    assert "no id column" not in said  # ingest's warning on the CSV is not repeated

    copy = _copy(root, tmp_path)
    (copy / "table.parquet").unlink()
    with pytest.raises(SystemExit) as missing:  # counted, not a failure without --strict
        main(["verify", str(corpus), "--sources", str(copy), "-q"])
    assert missing.value.code == 0
    said = capsys.readouterr().err
    assert (
        f"missing: table.parquet, the input file of 2 documents (p0, p1): looked for "
        f"{copy / 'table.parquet'}"
    ) in said, said
    with pytest.raises(SystemExit) as strict:
        main(["verify", str(corpus), "--sources", str(copy), "--strict", "-q"])
    assert strict.value.code == 1
    assert "(--strict)" in capsys.readouterr().err

    pd.DataFrame({"doc_id": ["p1", "p0"], "text": [A, C]}).to_parquet(copy / "table.parquet")
    with pytest.raises(SystemExit) as moved:  # the rows swapped: still there, not where said
        main(["verify", str(corpus), "--sources", str(copy), "-q"])
    assert moved.value.code == 1
    said = capsys.readouterr().err
    assert (
        "moved: table.parquet: 2 documents at another row than the export records, text "
        "unchanged: p0 (row 1, now row 2), p1 (row 2, now row 1)"
    ) in said, said
    assert "7 unchanged, 0 changed, 2 moved (text unchanged), 0 missing" in said, said
    assert said.strip().splitlines()[-1].startswith("error: sources of ")
    # each document's text is intact, only the rows moved: not "no longer holds the text"
    flat = " ".join(said.split())
    assert "no longer holds the text" not in flat, said
    assert "2 source documents are now at another row of the file than the export records" in (
        flat
    ), said
    assert "Fix: restore the file's row order" in flat, said


def test_a_file_moved_inside_the_folder_is_named_where_it_is_now(
    exported: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file moved inside DIR was reported missing with the path looked for only; the
    file of the same name holding the same text, a folder up, went unmentioned."""
    root, corpus = exported
    copy = _copy(root, tmp_path)
    (copy / "notes" / "a.txt").rename(copy / "a.txt")
    (copy / "deeper").mkdir()
    (copy / "notes" / "b.md").rename(copy / "deeper" / "b.md")
    (copy / "deeper" / "b.md").write_text("---\ntitle: B\n---\nAnother text.\n")
    found = check_sources(corpus, copy)
    by_file = {d.input_file: d for d in found.of(MISSING)}
    assert by_file["notes/a.txt"].same_text_at == copy / "a.txt"
    assert by_file["notes/b.md"].same_text_at is None  # same name, other text
    with pytest.raises(SystemExit):
        main(["verify", str(corpus), "--sources", str(copy), "-q"])
    said = " ".join(capsys.readouterr().err.split())
    assert (
        f"missing: notes/a.txt, the input file of 1 document (notes/a.txt): looked for "
        f"{copy / 'notes' / 'a.txt'}; a file of that name holding the same text is at "
        f"{copy / 'a.txt'}"
    ) in said, said
    assert f"is at {copy / 'deeper' / 'b.md'}" not in said


def test_a_folder_holding_none_of_the_sources_is_an_error_without_strict(
    exported: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every document missing (an empty or wrong folder): nothing was verified, so exit 1
    even without --strict (a script reading $? read exit 0 as verified)."""
    _, corpus = exported
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SystemExit) as none:
        main(["verify", str(corpus), "--sources", str(empty), "-q"])
    assert none.value.code == 1
    said = capsys.readouterr().err
    assert "9 missing" in said and "nothing was verified" in said, said
    table = next(root for root in exported[0].iterdir() if root.is_file())
    with pytest.raises(SystemExit) as a_file:  # a file where the folder is expected
        main(["verify", str(corpus), "--sources", str(table), "-q"])
    assert a_file.value.code == 1
    assert f"--sources {table}: a file, not a folder" in capsys.readouterr().err


def test_rows_without_provenance_are_not_checked_and_a_model_refuses_it(
    exported: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = exported
    out = tmp_path / "old"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    found = check_sources(out, root)
    assert {d.status for d in found.documents} == {NOT_CHECKED}
    assert found.ok and not found.complete
    assert "no input_file recorded" in found.documents[0].what
    # nothing could be checked: not a pass, with or without --strict (s54: exit 0 without
    # it); the folder is right, so the fix says why, not where to look
    for strict in ([], ["--strict"]):
        with pytest.raises(SystemExit) as none:
            main(["verify", str(out), "--sources", str(root), *strict, "-q"])
        assert none.value.code == 1, strict
        said = " ".join(capsys.readouterr().err.split())
        assert "error: sources of" in said and "3 not checked: nothing was checked" in said
        assert "no input_file recorded" in said and "pass the folder" not in said, said


def test_masked_and_decoded_documents_are_read_as_ingest_read_them(tmp_path: Path) -> None:
    """ingest --redact hashes the masked text and --encoding the decoded one: the check
    masks and decodes as the run recorded (without that, both read as changed)."""
    from annotate.audit.redact import RedactionSettings

    root = tmp_path / "in"
    (root / "mail").mkdir(parents=True)
    (root / "mail" / "a.txt").write_text(f"{A} Write to jane.doe@example.org today.\n")
    (root / "mail" / "b.txt").write_bytes(f"{B} Caf\xe9 opens at nine.\n".encode("cp1252"))
    # a control character inside an address: ingest removes it, then masks (as one address)
    (root / "mail" / "c.txt").write_text(f"{A} Or to jane\x00@example.org if it fails.\n")
    # a chat whose speakers are numbers phonenumbers calls invalid (Ofcom's fictional
    # range; an unassigned country code, not even possible): masked as the labels they
    # are, and masked again alike
    (root / "mail" / "d.txt").write_text(
        "12/05/26, 21:02 - +999 123 4567: leave him alone\n"
        "12/05/26, 21:04 - +44 7700 900456: or what\n"
        "12/05/26, 21:05 - +999 123 4567: you heard me, +999 123 4567 means it\n"
    )
    passages = tmp_path / "passages.jsonl"
    cwd = os.getcwd()
    os.chdir(root)
    try:
        ingest(
            ["mail"],
            passages,
            min_chars=20,
            near_dup_threshold=None,
            redact=RedactionSettings(),
            encoding="cp1252",
        )
    finally:
        os.chdir(cwd)
    assert "[EMAIL-1]" in passages.read_text()
    assert "[PHONE-1]: leave him alone" in passages.read_text()
    assert "7700" not in passages.read_text() and "4567" not in passages.read_text()
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_tasks(passages)), salt="s")  # type: ignore[arg-type]
    found = check_sources(out, root)
    assert _by_file(found) == {
        ("mail/a.txt", None): UNCHANGED,
        ("mail/b.txt", None): UNCHANGED,
        ("mail/c.txt", None): UNCHANGED,
        ("mail/d.txt", None): UNCHANGED,
    }
    (root / "mail" / "a.txt").write_text(f"{A} Write to john.roe@example.org today.\n")
    # another address masks alike: the masked text, all ingest hashed, is unchanged
    assert check_sources(out, root).count(UNCHANGED) == 4
    (root / "mail" / "a.txt").write_text(f"{A} Write to us today.\n")
    assert _by_file(check_sources(out, root))[("mail/a.txt", None)] == CHANGED


class _Progress:
    def __init__(self) -> None:
        self.total: int | None = None
        self.done = 0

    def set_total(self, total: int) -> None:
        self.total = total

    def __call__(self, n: int) -> None:
        self.done += n


def test_progress_counts_every_document_once(exported: tuple[Path, Path], tmp_path: Path) -> None:
    root, corpus = exported
    progress = _Progress()
    check_sources(corpus, root, progress=progress)
    assert progress.total == progress.done == 9
    copy = _copy(root, tmp_path)
    (copy / "comments.csv").unlink()
    (copy / "posts.jsonl").write_text("not json\n")  # read as ingest did, it fails
    progress = _Progress()
    found = check_sources(corpus, copy, progress=progress)
    assert progress.total == progress.done == 9
    assert _by_file(found)[("posts.jsonl", "line 1")] == CHANGED


def test_a_run_without_recorded_settings_is_not_checked_when_defaults_fail(
    tmp_path: Path,
) -> None:
    """Passages whose task carries no ingest_run: the text column is unknown; read with
    the default one, a table ingested with --text-column body fails: not checked, saying
    why, never 'changed'."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "t.jsonl").write_text(json.dumps({"id": "t0", "body": A}) + "\n")
    passages = tmp_path / "passages.jsonl"
    ingest([root / "t.jsonl"], passages, text_column="body", near_dup_threshold=None)
    tasks = _tasks(passages)
    for t in tasks:
        del t["data"]["ingest_run"]
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    (doc,) = check_sources(out, root).documents
    assert doc.status == NOT_CHECKED, doc
    assert "records no settings of the ingest run" in doc.what and "'text'" in doc.what


def test_a_folder_removed_while_sources_are_searched_is_passed_over(tmp_path: Path) -> None:
    """`verify --sources /tmp` died with FileNotFoundError (a traceback) when another
    program removed its scratch folder while the search for a moved file walked /tmp
    (stop 49 audit A13; Path.rglob raises FileNotFoundError in this very case): a folder
    that vanishes mid-walk is passed over."""
    from annotate.audit.sources import _files_named

    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "doc.txt").write_text("x", encoding="utf-8")
    found = []
    for path in _files_named(tmp_path, "doc.txt"):
        found.append(path)
        other = "b" if path.parent.name == "a" else "a"
        shutil.rmtree(tmp_path / other, ignore_errors=True)  # gone before it is walked
    assert len(found) == 1 and found[0].name == "doc.txt"
    assert list(_files_named(tmp_path, "*.pdf")) == []


def test_the_search_for_moved_files_walks_each_folder_once(
    exported: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search for a missing file's moved copy walked the whole of DIR once per missing
    file (`--sources /tmp`: 32 s for 2 documents, stop 49 audit A13): DIR is walked once,
    with the same files found."""
    root, corpus = exported
    copy = _copy(root, tmp_path)
    (copy / "moved").mkdir()
    (copy / "notes" / "a.txt").rename(copy / "moved" / "a.txt")
    (copy / "notes" / "b.md").rename(copy / "moved" / "b.md")
    (copy / "posts.jsonl").rename(copy / "moved" / "posts.jsonl")
    walked: list[str] = []
    walk = os.walk

    def counted(top: Any, *args: Any, **kwargs: Any) -> Any:
        walked.append(str(top))
        return walk(top, *args, **kwargs)

    monkeypatch.setattr(os, "walk", counted)
    found = check_sources(corpus, copy)
    monkeypatch.undo()
    by_file = {d.input_file: d.same_text_at for d in found.of(MISSING)}
    assert by_file == {
        "notes/a.txt": copy / "moved" / "a.txt",
        "notes/b.md": copy / "moved" / "b.md",
        "posts.jsonl": copy / "moved" / "posts.jsonl",
    }
    assert walked.count(str(copy)) == 1, walked


def test_a_run_with_an_id_prefix_is_matched_with_its_prefix(tmp_path: Path) -> None:
    """ingest --id-prefix puts the prefix before every document id of the run: the check
    puts it before the ids it reads again (break9 N7: each prefixed document was
    "missing", its row "now holds document 'c1'", and --strict failed on an unchanged
    file). A JSONL with ids and a CSV named by position, as the README's two sources."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "posts.jsonl").write_text(
        "".join(json.dumps({"id": f"{i}", "text": t}) + "\n" for i, t in enumerate((A, C))),
        encoding="utf-8",
    )
    (root / "comments.csv").write_text(f'text\n"{B}"\n{C}\n', encoding="utf-8")
    passages = tmp_path / "passages.jsonl"
    cwd = os.getcwd()
    os.chdir(root)
    try:
        ingest(
            ["posts.jsonl", "comments.csv"],
            passages,
            min_chars=20,
            dedupe=False,
            near_dup_threshold=None,
            id_prefix="c",
        )
    finally:
        os.chdir(cwd)
    assert {r["doc_id"] for r in iter_rows(passages)} >= {"c0", "c1"}
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_tasks(passages)), salt="s")  # type: ignore[arg-type]
    found = check_sources(out, root)
    assert set(_by_file(found).values()) == {UNCHANGED}, [d.what for d in found.documents]
    assert found.count(UNCHANGED) == 4 and found.ok and found.complete
    # an edited row is still told changed, under its prefixed id
    (root / "posts.jsonl").write_text(
        "".join(json.dumps({"id": f"{i}", "text": t}) + "\n" for i, t in enumerate((A, B))),
        encoding="utf-8",
    )
    assert _by_file(check_sources(out, root))[("posts.jsonl", "line 2")] == CHANGED


def test_rows_that_only_moved_are_counted_apart_from_changed_ones(
    exported: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """newuser59 #8: one JSONL line deleted moved every row below it up a line; each was
    listed as "changed" and counted so (34 changed, 31 of them only moved), burying the
    real changes. Rows whose document is intact at another row are one line per file and
    counted as moved; the deleted row's document and an edited file stay listed apart."""
    root, corpus = exported
    copy = _copy(root, tmp_path)
    lines = (copy / "posts.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (copy / "posts.jsonl").write_text("".join(lines[1:]), encoding="utf-8")  # j0 gone
    (copy / "notes" / "b.md").write_text(f"---\ntitle: B\n---\n{C} Edited.\n", encoding="utf-8")
    with pytest.raises(SystemExit) as run:
        main(["verify", str(corpus), "--sources", str(copy), "-q"])
    assert run.value.code == 1
    said = capsys.readouterr().err
    flat = " ".join(said.split())
    assert not any(line.startswith("changed: j1") for line in said.splitlines()), said
    assert (
        "moved: posts.jsonl: 1 document at another row than the export records, text "
        "unchanged: j1 (line 2, now line 1)"
    ) in flat, said
    assert "changed: notes/b.md" in said, said
    assert "missing: j0 (posts.jsonl line 1)" in said, said
    assert "9 documents, 6 unchanged, 1 changed, 1 moved (text unchanged), 1 missing" in flat
    assert "no longer holds the text" in flat, said  # b.md changed: not only moved
