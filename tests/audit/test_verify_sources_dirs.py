"""`annotate verify CORPUS --sources DIR1 --sources DIR2`: a corpus ingested from two folders
(README's workflow, `annotate ingest /tmp/break_in /work/shared/seeds`: input_file
`break_in/...` and `seeds/...`) could not be checked in one run: the last --sources was
used alone, silently, and each single DIR reported the other folder's documents missing
(stop 48 new-user F14). --sources is repeatable: each input file is looked for under each
DIR, the first holding it wins, the output says which DIR each group came from, and a DIR
holding none of the export's input files is named as likely the wrong folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.audit.redact import RedactionSettings
from annotate.audit.sources import CHANGED, MISSING, NOT_CHECKED, UNCHANGED, check_sources
from annotate.corpus.export import export
from annotate.ingestion import ingest
from tests.audit.cli_run import run_cli
from tests.audit.fakes import FakeStudio
from tests.audit.test_verify_sources import A, B, C, _tasks


def _two_roots(base: Path) -> tuple[Path, Path, Path]:
    """(first root, second root, passages): ``first/break_in`` and ``second/seeds``
    ingested together, each given by its own path."""
    first, second = base / "tmp", base / "shared"
    (first / "break_in").mkdir(parents=True)
    (second / "seeds").mkdir(parents=True)
    (first / "break_in" / "a.txt").write_text(f"{A}\n\n{B}\n", encoding="utf-8")
    (first / "break_in" / "b.txt").write_text(f"{C}\n", encoding="utf-8")
    (second / "seeds" / "s.txt").write_text(f"{B} Seeded.\n", encoding="utf-8")
    passages = base / "passages.jsonl"
    ingest(
        [str(first / "break_in"), str(second / "seeds")],
        passages,
        min_chars=20,
        dedupe=False,
        near_dup_threshold=None,
    )
    return first, second, passages


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(first root, second root, the export)."""
    base = tmp_path_factory.mktemp("two_roots")
    first, second, passages = _two_roots(base)
    out = base / "corpus"
    export("p", out, client=FakeStudio(_tasks(passages)), salt="s")  # type: ignore[arg-type]
    return first, second, out


def _status(found) -> dict[str | None, str]:
    return {d.input_file: d.status for d in found.documents}


def test_each_document_is_looked_for_under_each_dir(two: tuple[Path, Path, Path]) -> None:
    first, second, corpus = two
    assert _status(check_sources(corpus, first)) == {
        "break_in/a.txt": UNCHANGED,
        "break_in/b.txt": UNCHANGED,
        "seeds/s.txt": MISSING,
    }
    found = check_sources(corpus, [first, second])
    assert _status(found) == {
        "break_in/a.txt": UNCHANGED,
        "break_in/b.txt": UNCHANGED,
        "seeds/s.txt": UNCHANGED,
    }
    assert found.complete and found.dirs == [first, second] and not found.empty_dirs
    assert {d.input_file: d.found_in for d in found.documents} == {
        "break_in/a.txt": first,
        "break_in/b.txt": first,
        "seeds/s.txt": second,
    }
    # the order given is kept (a DIR that is each folder itself works too)
    found = check_sources(corpus, [second / "seeds", first / "break_in"])
    assert found.complete, [(d.input_file, d.what) for d in found.documents]
    assert check_sources(corpus, [first, first]).dirs == [first]  # the same one twice: once


def test_the_first_dir_holding_a_file_wins(two: tuple[Path, Path, Path], tmp_path: Path) -> None:
    first, second, corpus = two
    other = tmp_path / "other"
    (other / "seeds").mkdir(parents=True)
    (other / "seeds" / "s.txt").write_text("Another text altogether, edited.\n", encoding="utf-8")
    found = check_sources(corpus, [first, other, second])
    (seed,) = [d for d in found.documents if d.input_file == "seeds/s.txt"]
    assert seed.status == CHANGED and seed.found_in == other
    assert seed.looked_for == [other / "seeds" / "s.txt"]
    found = check_sources(corpus, [first, second, other])
    assert found.complete and not found.empty_dirs  # `other` holds seeds/s.txt too


def test_a_file_under_no_dir_names_every_path_looked_for(
    two: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    first, _, corpus = two
    empty = tmp_path / "empty"
    empty.mkdir()
    found = check_sources(corpus, [first, empty])
    (seed,) = found.of(MISSING)
    assert seed.found_in is None
    assert seed.looked_for == [first / "seeds" / "s.txt", empty / "seeds" / "s.txt"]
    assert found.empty_dirs == [empty]


def test_cli_takes_sources_twice_and_says_where_each_group_came_from(
    two: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, corpus = two
    code, said = run_cli(
        ["verify", str(corpus), "--sources", str(first), "--sources", str(second), "--strict"],
        capsys,
    )
    assert code == 0, said
    flat = " ".join(said.split())
    assert (
        f"sources of {corpus} in {first} and {second}: 3 documents, 3 unchanged, 0 changed, "
        "0 missing, 0 not checked"
    ) in flat, said
    assert f"under {first}: 2 documents of 2 input files (break_in/a.txt, break_in/b.txt)" in (
        flat
    ), said
    assert f"under {second}: 1 document of 1 input file (seeds/s.txt)" in flat, said
    # one DIR: the output is as before (no `under DIR` line)
    code, said = run_cli(["verify", str(corpus), "--sources", str(first), "-q"], capsys)
    assert code == 0, said
    assert "under " not in said and f"sources of {corpus} in {first}: 3 documents" in said, said
    assert "missing: seeds/s.txt, the input file of 1 document" in said, said


def test_a_dir_holding_none_of_the_input_files_is_named(
    two: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, corpus = two
    wrong = tmp_path / "wrong"
    (wrong / "unrelated").mkdir(parents=True)
    (wrong / "unrelated" / "x.txt").write_text("nothing ingested\n", encoding="utf-8")
    argv = ["verify", str(corpus), "--sources", str(first), "--sources", str(wrong), "-q"]
    code, said = run_cli([*argv, "--sources", str(second)], capsys)
    assert code == 0, said  # every document was found and is unchanged
    flat = " ".join(said.split())
    assert (
        f"warning: --sources {wrong} holds none of the export's 3 input files (the wrong folder?)"
    ) in flat, said
    # with a document missing: the line says so too, and --strict fails on the missing one
    code, said = run_cli([*argv, "--strict"], capsys)
    assert code == 1, said
    flat = " ".join(said.split())
    assert f"warning: --sources {wrong} holds none of the export's 3 input files" in flat, said
    assert (
        f"missing: seeds/s.txt, the input file of 1 document (seeds/s.txt): looked for "
        f"{first / 'seeds' / 's.txt'} or {wrong / 'seeds' / 's.txt'}"
    ) in flat, said
    # none of the DIRs holds any: nothing verified, exit 1, each DIR named
    empty = tmp_path / "empty"
    empty.mkdir()
    code, said = run_cli(
        ["verify", str(corpus), "--sources", str(wrong), "--sources", str(empty), "-q"], capsys
    )
    assert code == 1, said
    flat = " ".join(said.split())
    assert f"none of the export's source documents is under {wrong} or {empty}" in flat, said


def test_a_redacted_export_finds_its_files_under_each_dir(tmp_path: Path, capsys) -> None:
    first, second, passages = _two_roots(tmp_path)
    out = tmp_path / "redx"
    export(
        "p",
        out,
        client=FakeStudio(_tasks(passages)),  # type: ignore[arg-type]
        salt="s",
        redact=RedactionSettings(),
    )
    found = check_sources(out, [first, second])
    assert {d.status for d in found.documents} == {NOT_CHECKED}
    assert {d.input_file: d.found_in for d in found.documents}["seeds/s.txt"] == second
    code, said = run_cli(
        ["verify", str(out), "--sources", str(first), "--sources", str(second)], capsys
    )
    assert code == 1, said  # found but nothing compared: no pass (s54)
    assert f"under {second}: 1 document of 1 input file (seeds/s.txt)" in said, said
    assert "nothing was checked against the sources" in said, said


def test_files_of_one_masked_name_under_two_dirs_are_each_read(tmp_path: Path) -> None:
    """Two folders named chats given to ingest --redact, each with one WhatsApp chat: both
    files' input_file is `chats/WhatsApp Chat with [PHONE-1].txt`, and the first DIR
    holding a file of that name held only one of them (the other chat was compared with
    it)."""
    one, two = tmp_path / "r1", tmp_path / "r2"
    (one / "chats").mkdir(parents=True)
    (two / "chats").mkdir(parents=True)
    (one / "chats" / "WhatsApp Chat with +44 7700 900123.txt").write_text(
        "+44 7700 900123: are you coming tonight to the meeting\nSam: yes, I will be there\n",
        encoding="utf-8",
    )
    (two / "chats" / "WhatsApp Chat with +44 7700 900456.txt").write_text(
        "+44 7700 900456: see you at the station at nine\nAna: fine, I will bring tickets\n",
        encoding="utf-8",
    )
    passages = tmp_path / "p.jsonl"
    ingest(
        [str(one / "chats"), str(two / "chats")],
        passages,
        min_chars=0,
        dedupe=False,
        near_dup_threshold=None,
        redact=RedactionSettings(),
    )
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_tasks(passages)), salt="s")  # type: ignore[arg-type]
    found = check_sources(out, [one, two])
    assert {d.input_file for d in found.documents} == {"chats/WhatsApp Chat with [PHONE-1].txt"}
    assert {d.doc_id[-10:]: (d.status, d.found_in) for d in found.documents} == {
        "900123.txt": (UNCHANGED, one),
        "900456.txt": (UNCHANGED, two),
    }, [d.what for d in found.documents]


def test_a_text_file_holding_another_document_is_not_said_to_be_row_none(
    tmp_path: Path,
) -> None:
    """A masked file name whose one fitting file is now another chat: the document was
    `missing: ...: None now holds document '...'` (a text file has no input_row)."""
    root = tmp_path / "in"
    (root / "chats").mkdir(parents=True)
    chat = root / "chats" / "WhatsApp Chat with +44 7700 900123.txt"
    chat.write_text("+44 7700 900123: are you coming tonight\nSam: yes I am\n", "utf-8")
    passages = tmp_path / "p.jsonl"
    ingest(
        [str(root / "chats")],
        passages,
        min_chars=0,
        dedupe=False,
        near_dup_threshold=None,
        redact=RedactionSettings(),
    )
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_tasks(passages)), salt="s")  # type: ignore[arg-type]
    chat.rename(root / "chats" / "WhatsApp Chat with +44 7700 900999.txt")
    (doc,) = check_sources(out, root).documents
    assert doc.status == MISSING, doc.what
    assert doc.what.startswith(
        "the file now holds document 'chats/WhatsApp Chat with +44 7700 900999.txt'; "
        "document 'chats/WhatsApp Chat with +44 7700 900123.txt' is not in "
    ), doc.what


def test_one_dir_missing_files_hints_that_sources_repeats(
    two: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With one DIR holding some input files but not others, the output says --sources is
    repeatable (the others may be under another folder): the fix of --strict's error and
    of the nothing-found error say so too (stop 48 new-user pass)."""
    first, second, corpus = two
    code, said = run_cli(["verify", str(corpus), "--sources", str(first), "-q"], capsys)
    assert code == 0, said
    flat = " ".join(said.split())
    assert (
        f"hint: 1 input file is not in {first} (listed above); if it lies in another folder"
    ) in flat, said
    assert f"--sources is repeatable (--sources {first} --sources OTHER)" in flat, said
    code, said = run_cli(["verify", str(corpus), "--sources", str(first), "--strict"], capsys)
    assert code == 1, said
    flat = " ".join(said.split())
    # the folders the run recorded, both (passD51 D2)
    assert f"pass --sources {first} --sources {second} (the folders" in flat, said
    assert "or leave out --strict" in flat, said
    empty = tmp_path / "empty"
    empty.mkdir()
    code, said = run_cli(["verify", str(corpus), "--sources", str(empty), "-q"], capsys)
    assert code == 1, said
    flat = " ".join(said.split())
    assert "hint:" not in flat, said  # nothing found: the error says what to do
    # the folders the ingest run recorded (passD51 D2), not a guess
    assert f"pass --sources {first} --sources {second} (the folders holding the paths" in (flat), (
        said
    )
    # every file found, or several DIRs given: no hint
    code, said = run_cli(
        ["verify", str(corpus), "--sources", str(first), "--sources", str(second), "-q"], capsys
    )
    assert code == 0 and "hint:" not in said, said


def test_the_fix_names_the_folders_ingest_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """passD51 D2: ingest run in w/ as `ingest ../corpus ../shared/seeds`; `verify
    --sources w` (the folder ingest was run from, as the fix said to pass) found nothing,
    and the fix said to pass the folder ingest was run from again. The run records the
    folders holding the paths given, and the fix names them."""
    first, second = tmp_path / "tmp", tmp_path / "shared"
    (first / "corpus").mkdir(parents=True)
    (second / "seeds").mkdir(parents=True)
    (first / "corpus" / "a.txt").write_text(f"{A}\n\n{B}\n", encoding="utf-8")
    (second / "seeds" / "s.txt").write_text(f"{C}\n", encoding="utf-8")
    work = first / "w"
    work.mkdir()
    monkeypatch.chdir(work)
    ingest(
        ["../corpus", "../../shared/seeds"],
        "passages.jsonl",
        min_chars=20,
        dedupe=False,
        near_dup_threshold=None,
    )
    out = tmp_path / "corpus_export"
    export("p", out, client=FakeStudio(_tasks(work / "passages.jsonl")), salt="s")  # type: ignore[arg-type]
    found = check_sources(out, work)
    assert found.recorded == [str(first.resolve()), str(second.resolve())]
    code, said = run_cli(["verify", str(out), "--sources", str(work), "-q"], capsys)
    assert code == 1, said
    flat = " ".join(said.split())
    assert f"Fix: pass --sources {first.resolve()} --sources {second.resolve()}" in flat, said
    assert "was run from" not in flat, said
    code, said = run_cli(
        ["verify", str(out), "--sources", str(first), "--sources", str(second), "--strict"],
        capsys,
    )
    assert code == 0, said


def test_a_redacted_export_with_some_files_missing_checked_nothing(tmp_path: Path, capsys) -> None:
    """Two documents not comparable (--redact) and one missing: none was checked, so no
    pass (s54: exit 0, as not every document was missing)."""
    first, _, passages = _two_roots(tmp_path)
    out = tmp_path / "redx"
    export(
        "p",
        out,
        client=FakeStudio(_tasks(passages)),  # type: ignore[arg-type]
        salt="s",
        redact=RedactionSettings(),
    )
    code, said = run_cli(["verify", str(out), "--sources", str(first)], capsys)
    flat = " ".join(said.split())
    assert code == 1, said
    assert "0 unchanged, 0 changed, 1 missing, 2 not checked: nothing was checked" in flat
    assert "and 1 is missing" in flat and "made without --redact" in flat, flat
