"""Every export records which pseudonym salt named its reviewers (a one-way fingerprint,
``pseudonym_salt``), a plain project's as a review set's: a review set's queue titles pin
the salt (an export with another one is refused), but a plain project's exports changed
every reviewer id without a word when run with another salt (a command run from another
folder makes a fresh ``.annotate/pseudonym_salt``)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.cli import main
from annotate.corpus.export import export, salt_fingerprint
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.test_export_pseudonymous_projects import NAME, ReviewSetStudio


def _salt(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())["pseudonym_salt"]


def test_plain_projects_and_review_sets_record_the_same_fingerprint(tmp_path: Path) -> None:
    export("p", tmp_path / "plain", client=FakeStudio(reviewed_tasks()), salt="s3cret")  # type: ignore[arg-type]
    export(NAME, tmp_path / "set", client=ReviewSetStudio(), salt="s3cret")  # type: ignore[arg-type]
    plain, review_set = _salt(tmp_path / "plain"), _salt(tmp_path / "set")
    assert plain["fingerprint"] == review_set["fingerprint"] == salt_fingerprint("s3cret")
    assert len(plain["fingerprint"]) == 16 and "s3cret" not in json.dumps(plain)
    assert salt_fingerprint("s3cret") != salt_fingerprint("another")
    assert plain["same_as_previous_export"] is None  # nothing exported there before


def test_a_re_export_with_another_salt_is_recorded_and_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    assert _salt(out)["same_as_previous_export"] is True
    with caplog.at_level(logging.WARNING, logger="annotate.corpus.export"):
        export("p", out, client=FakeStudio(reviewed_tasks()), salt="other")  # type: ignore[arg-type]
    assert _salt(out)["same_as_previous_export"] is False
    warned = [r.getMessage() for r in caplog.records if "pseudonym salt" in r.getMessage()]
    assert len(warned) == 1 and salt_fingerprint("s") in warned[0], warned


def test_same_as_names_two_salts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export("p", tmp_path / "a", client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    export("p", tmp_path / "b", client=FakeStudio(reviewed_tasks()), salt="other")  # type: ignore[arg-type]
    with pytest.raises(SystemExit) as failed:
        main(["verify", str(tmp_path / "a"), "--same-as", str(tmp_path / "b")])
    assert failed.value.code == 1
    err = capsys.readouterr().err
    assert "two pseudonym salts" in err and salt_fingerprint("other") in err, err
