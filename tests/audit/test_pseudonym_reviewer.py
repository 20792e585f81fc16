"""`annotate pseudonym r-…` (an auditor looking up the reviewer an export names, the
pseudonym seen most in a corpus) said "no pseudonym map at .annotate/passage_pseudonyms
.jsonl", as if a map were missing. A reviewer's pseudonym is no passage or document
pseudonym: the error says so and where reviewers are paired with accounts, with a map
or without one; a passage pseudonym that merely starts alike is still looked up."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.audit.passage_pseudonyms import load_key, pseudonym
from annotate.audit.pseudonym_lookup import lookup
from annotate.corpus.resolve import pseudonym as reviewer_pseudonym
from annotate.errors import InputError
from tests.audit.test_pseudonym_lookup import cli, made  # noqa: F401  (fixture)
from tests.audit.test_redact_passage_pseudonyms import MASKED


def test_a_reviewer_pseudonym_is_told_where_reviewers_are_named(
    made: tuple[Path, Path, Path],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _out, key, id_map = made
    reviewer = reviewer_pseudonym(7, "salt")  # as export names a reviewer
    for extra in ([], ["--id-map", str(id_map)], ["--id-map", str(tmp_path / "nope.jsonl")]):
        code, said = cli(capsys, reviewer, *extra)
        lines = said.strip().splitlines()
        assert code == 1 and len(lines) == 1 and lines[0].startswith("error: "), said
        assert f"{reviewer} is a reviewer's pseudonym" in said, said
        assert "annotate review status --project NAME" in said and "no pseudonym map" not in said
    with pytest.raises(InputError, match="reviewer's pseudonym"):
        lookup(reviewer, map_entries=[])
    # a passage pseudonym is still found
    pp = pseudonym(load_key(key), MASKED)
    code, said = cli(capsys, pp, "--id-map", str(id_map))
    assert code == 0 and MASKED in said, said
