"""`annotate pseudonym`: a compliance officer goes from a `pp_`/`pd_` id of a redacted
export back to the ingest id (with the exporter's map, or the key and the ingest table)
and from an ingest id to its pseudonym (with the key), without writing code; a key that
did not make the export, an id nobody named and a missing map are one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.audit.passage_pseudonyms import key_fingerprint, load_key, pseudonym
from annotate.audit.pseudonym_lookup import lookup
from annotate.cli import main
from annotate.errors import InputError
from tests.audit.fakes import PERSONAL
from tests.audit.test_redact_passage_pseudonyms import MASKED, _export


@pytest.fixture()
def made(tmp_path: Path) -> tuple[Path, Path, Path]:
    out, key = tmp_path / "corpus", tmp_path / "secret" / "key"
    _export(out, key, tmp_path)
    return out, key, tmp_path / "map.jsonl"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        main(["pseudonym", *args])
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    seen = capsys.readouterr()
    return code, seen.out + seen.err


def test_a_pseudonym_back_to_its_passage_and_the_way_there(
    made: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out, key, id_map = made
    pp = pseudonym(load_key(key), MASKED)
    code, said = cli(capsys, pp, "--id-map", str(id_map), "--corpus", str(out))
    assert code == 0, said
    assert f"{pp}  passage {MASKED} of document doc-c (project 'p')" in said
    code, said = cli(capsys, MASKED, "--id-key", str(key), "--corpus", str(out))
    assert code == 0 and f"{pp}  passage {MASKED}" in said
    code, said = cli(capsys, pp, "--id-map", str(id_map), "--json")
    (found,) = json.loads(said)
    assert found["passage_id"] == MASKED and found["kind"] == "passage"


def test_the_key_and_an_ingest_table_find_the_passage_text(
    made: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, key, _ = made
    table = tmp_path / "passages.jsonl"
    rows = [
        {"id": MASKED, "doc_id": "doc-c", "text": PERSONAL},
        {"id": "x", "doc_id": "d", "text": "y"},
    ]
    table.write_text("".join(json.dumps(r) + "\n" for r in rows))
    pp = pseudonym(load_key(key), MASKED)
    code, said = cli(capsys, pp, "--id-key", str(key), "--passages", str(table))
    assert code == 0, said
    assert f"passage {MASKED} of document doc-c" in said and "jane.roe@example.com" in said


def test_a_key_that_did_not_make_the_export_is_named(
    made: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, key, _id_map = made
    other = tmp_path / "other-key"
    other.write_text("b" * 64 + "\n")
    code, said = cli(capsys, MASKED, "--id-key", str(other), "--corpus", str(out))
    assert code == 1 and "this key did not make this export" in said
    assert key_fingerprint(load_key(key)) in said and "Traceback" not in said
    assert len(said.strip().splitlines()) == 1


def test_unknown_ids_missing_maps_and_keys_are_one_line_errors(
    made: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _out, key, id_map = made
    code, said = cli(capsys, "pp_0000000000deadbeef00", "--id-map", str(id_map))
    assert code == 1 and "no passage or document of the map is named" in said
    code, said = cli(capsys, "pp_0000000000deadbeef00", "--id-map", str(tmp_path / "nope.jsonl"))
    assert code == 1 and "no pseudonym map at" in said
    code, said = cli(capsys, MASKED, "--id-key", str(tmp_path / "nokey"))
    assert code == 1 and "no passage id key at" in said and not (tmp_path / "nokey").exists()
    pp = pseudonym(load_key(key), MASKED)
    code, said = cli(capsys, pp, "--id-key", str(key))
    assert code == 1 and "one-way" in said
    code, said = cli(capsys, pp, "--passages", str(id_map))
    assert code == 2 and "--passages needs --id-key" in said
    code, said = cli(capsys, pp, "--id-map", str(id_map), "--corpus", str(tmp_path))
    assert code == 1 and "is no export folder" in said


def test_map_entries_of_another_key_are_not_taken_for_this_export(
    made: tuple[Path, Path, Path],
) -> None:
    _, key, id_map = made
    entries = [json.loads(x) for x in id_map.read_text().splitlines()]
    pp = pseudonym(load_key(key), MASKED)
    with pytest.raises(InputError, match="only under another key"):
        lookup(pp, map_entries=entries, corpus_fingerprint="0" * 16)
    (hit,) = lookup(pp, map_entries=entries)
    assert hit.passage_id == MASKED


def test_the_exporter_s_own_map_is_read_when_it_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotate.audit.passage_pseudonyms import default_key_path
    from annotate.audit.redact import RedactionSettings
    from annotate.corpus.export import export
    from tests.audit.fakes import StudioWithLead
    from tests.audit.test_redact_passage_pseudonyms import _lead, _tasks

    code, said = cli(capsys, "pp_0000000000deadbeef00")
    assert code == 1 and "no pseudonym map at" in said  # nothing exported here yet
    out = tmp_path / "corpus"
    export("p", out, client=StudioWithLead(_tasks(), _lead()), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    pp = pseudonym(load_key(default_key_path()), MASKED)
    for args in ([], ["--id-key", str(default_key_path())], ["--corpus", str(out)]):
        code, said = cli(capsys, pp, *args)
        assert code == 0 and f"passage {MASKED}" in said, (args, said)


def test_a_pseudonym_the_corpus_does_not_hold_is_said_so(
    made: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """audit49 A14: `pseudonym pp_… --corpus c2red` (another export of the same key, which
    does not hold that id) resolved it to the first export's passage without a word."""
    import shutil

    out, key, id_map = made
    pp = pseudonym(load_key(key), MASKED)
    other = tmp_path / "other"
    shutil.copytree(out, other)
    for path in (other / "jsonl").glob("*.jsonl"):
        kept = [x for x in path.read_text().splitlines() if json.loads(x)["id"] != pp]
        path.write_text("".join(f"{x}\n" for x in kept))
    code, said = cli(capsys, pp, "--id-map", str(id_map), "--corpus", str(other))
    assert code == 0, said
    assert (
        f"warning: {pp} is not in {other}: no row or gold passage of that export holds it" in said
    )
    assert "(the map names it from project 'p')" in said
    # the export that holds it: no warning
    code, said = cli(capsys, pp, "--id-map", str(id_map), "--corpus", str(out))
    assert code == 0 and "is not in" not in said
