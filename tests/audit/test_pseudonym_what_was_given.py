"""`annotate pseudonym` on what is no pseudonym, and on an ingest id with the key (stop 48
new-user F5, F6). An e-mail address or an id cut short (`r-000000`) was answered "no
pseudonym map at ...", as if a map were missing: it is now told that it is no pseudonym
(the forms listed), and, for an e-mail, where a reviewer's pseudonym is found. An ingest
passage id (`p_` + 20 hex) given with --id-key printed a passage and a document
pseudonym, and neither need be in the export (export --redact pseudonymises only what it
masked): a passage id gets its passage line only, and a note says whether the export uses
it (--corpus: its rows hold the id itself)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.audit.passage_pseudonyms import DOCUMENT, PASSAGE, load_key, pseudonym
from annotate.audit.pseudonym_lookup import lookup
from tests.audit.test_pseudonym_lookup import cli, made  # noqa: F401  (fixture)
from tests.audit.test_redact_passage_pseudonyms import MASKED

UNMASKED = "doc-b-p0"  # reviewed_tasks' passage with nothing export --redact masks


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("ana@example.org", "ana@example.org is an e-mail address, not a pseudonym"),
        ("r-000000", "r-000000 is not a whole pseudonym: r- is followed by 10 hexadecimal"),
        ("pp_12ab", "pp_12ab is not a whole pseudonym: pp_ is followed by 20 hexadecimal"),
        ("p_" + "0" * 20, "is an ingest passage id, not a pseudonym"),
    ],
)
def test_what_is_no_pseudonym_is_told_so_before_the_missing_map(
    given: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = cli(capsys, given)  # nothing exported here: no map
    lines = out.strip().splitlines()
    assert code == 1 and len(lines) == 1 and lines[0].startswith("error: "), out
    assert said in out and "no pseudonym map" not in out, out
    assert "pp_… a passage and pd_… a document" in out and "r-… a reviewer" in out
    if "@" in given:
        assert "annotate review status --project NAME" in out
    else:
        assert "--id-key" in out or "copy the whole id" in out


def test_an_email_absent_from_a_map_is_still_told_it_is_no_pseudonym(
    made: tuple[Path, Path, Path],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, _, id_map = made
    code, out = cli(capsys, "ana@example.org", "--id-map", str(id_map))
    assert code == 1 and "is an e-mail address, not a pseudonym" in out, out
    assert "No passage or document of the map is named so either" in out


def test_an_ingest_passage_id_gets_its_passage_pseudonym_only(
    made: tuple[Path, Path, Path],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, key, _ = made
    passage = "p_b63fa7c29c880485d7c0"
    found = lookup(passage, key=load_key(key))
    assert [f.kind for f in found] == [PASSAGE]
    code, out = cli(capsys, passage, "--id-key", str(key))
    assert code == 0, out
    assert f"{pseudonym(load_key(key), passage)}  passage {passage}" in out
    assert " document " not in out, out
    assert "puts a pseudonym in place of an id only where it masked" in out
    # an id of no known form may be either kind: both lines, as before
    assert [f.kind for f in lookup("doc-b", key=load_key(key))] == [PASSAGE, DOCUMENT]


def test_the_export_is_said_to_hold_an_unmasked_passage_s_id_itself(
    made: tuple[Path, Path, Path],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_dir, key, _ = made
    pp = pseudonym(load_key(key), UNMASKED)
    code, out = cli(capsys, UNMASKED, "--id-key", str(key), "--corpus", str(out_dir))
    assert code == 0, out
    said = " ".join(out.split())
    assert f"{pp} passage {UNMASKED}" in said and " document " not in said, said
    assert f"the export's rows hold {UNMASKED} itself, not {pp}" in said, said
    # a masked passage's pseudonym is the one the export holds: no such note
    code, out = cli(capsys, MASKED, "--id-key", str(key), "--corpus", str(out_dir))
    assert code == 0 and pseudonym(load_key(key), MASKED) in out and "itself" not in out, out
