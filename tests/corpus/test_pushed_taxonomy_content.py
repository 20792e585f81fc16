"""An export under a labels.yaml whose guidelines were edited without a version bump (audit
49, A10): the labeling config records the content sha256 of the labels.yaml a push
rendered it from; export (and agreement/adjudicate, through collect) compares it with the
one in use and warns, and the manifest records both. Projects pushed before it was
recorded say "not recorded", with no warning unless their labels' wording differs."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import export
from annotate.review.view import project_view_settings
from annotate.settings import resource
from annotate.studio.label_config import (
    config_taxonomy_name,
    config_taxonomy_sha256,
    config_taxonomy_version,
)
from annotate.taxonomy import Taxonomy, load_taxonomy, parse_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks

PUSHED = load_taxonomy()
EDITED = parse_taxonomy(
    resource("labels.yaml")
    .read_text(encoding="utf-8")
    .replace(
        "The author states an intent to kill",
        "EDITED GUIDELINE: only threats against named people count. The author states an "
        "intent to kill",
        1,
    )
)


def old_config(tax: Taxonomy) -> str:
    """A labeling config rendered before configs recorded the content digest."""
    return tax.render_label_config().replace(f" sha256 {tax.content_sha256}", "")


class PushedWith(FakeStudio):
    """A project pushed with ``tax`` (its labeling config and instructions)."""

    def __init__(self, tasks: list[dict[str, Any]], tax: Taxonomy, *, recorded: bool = True):
        super().__init__(tasks)
        config = tax.render_label_config() if recorded else old_config(tax)
        self.project = {
            "label_config": config,
            **project_view_settings(tax),
        }

    def require_project(self, title: str) -> dict[str, Any]:
        return {"id": 7, "title": title, **self.project}

    def get_project(self, project_id: int) -> dict[str, Any]:
        return {"id": project_id, "title": "p", **self.project}


def _export(tmp_path: Path, client: FakeStudio, tax: Taxonomy) -> dict[str, Any]:
    out = tmp_path / "corpus"
    export("p", out, client=client, taxonomy=tax, salt="s")  # type: ignore[arg-type]
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING and "pushed with" in r.getMessage()
    ]


def test_the_labeling_config_records_the_content_digest() -> None:
    config = PUSHED.render_label_config()
    assert f"<!-- annotate labels.yaml violent-content {PUSHED.version} sha256 " in config
    assert config_taxonomy_sha256(config) == PUSHED.content_sha256
    assert config_taxonomy_version(config) == PUSHED.version
    assert config_taxonomy_name(config) == PUSHED.name
    old = old_config(PUSHED)  # as configs before 6 Dec 2026 record it
    assert config_taxonomy_sha256(old) is None and config_taxonomy_version(old) == PUSHED.version
    assert EDITED.version == PUSHED.version and EDITED.content_sha256 != PUSHED.content_sha256


def test_an_export_with_the_edited_labels_yaml_warns_and_records_both_digests(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        manifest = _export(tmp_path, PushedWith(reviewed_tasks(), PUSHED), EDITED)
    (warned,) = _warnings(caplog)
    assert "violent_threat" in warned and "same" in warned, warned
    assert PUSHED.content_sha256[:12] in warned and EDITED.content_sha256[:12] in warned
    assert "--labels" in warned and "bump `version`" in warned
    tax = manifest["taxonomy"]
    assert tax["sha256"] == EDITED.content_sha256
    assert tax["sha256_pushed"] == PUSHED.content_sha256
    assert tax["sha256_pushed_by_project"] == {"7": PUSHED.content_sha256}
    assert tax["content_as_pushed"] is False
    report = (tmp_path / "corpus" / "report" / "report.md").read_text(encoding="utf-8")
    assert "NOT the content the projects were pushed with" in report
    assert f"`{PUSHED.content_sha256[:12]}`" in report


def test_an_export_with_the_pushed_labels_yaml_says_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        manifest = _export(tmp_path, PushedWith(reviewed_tasks(), PUSHED), PUSHED)
    assert _warnings(caplog) == []
    assert manifest["taxonomy"]["sha256_pushed"] == manifest["taxonomy"]["sha256"]
    assert manifest["taxonomy"]["content_as_pushed"] is True


def test_a_project_pushed_before_the_digest_was_recorded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Not recorded: said quietly (manifest, report); a warning only when the wording its
    labeling config shows differs from the labels.yaml read with."""
    with caplog.at_level(logging.WARNING):
        manifest = _export(tmp_path, PushedWith(reviewed_tasks(), PUSHED, recorded=False), PUSHED)
    assert _warnings(caplog) == []
    assert manifest["taxonomy"]["sha256_pushed"] == "not recorded"
    assert manifest["taxonomy"]["content_as_pushed"] is None
    report = (tmp_path / "corpus" / "report" / "report.md").read_text(encoding="utf-8")
    assert "pushed with: not recorded" in report
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        manifest = _export(
            tmp_path / "b", PushedWith(reviewed_tasks(), PUSHED, recorded=False), EDITED
        )
    (warned,) = _warnings(caplog)
    assert "records no content digest" in warned and "violent_threat" in warned
    assert manifest["taxonomy"]["content_as_pushed"] is False


def test_adjudicate_warns_before_the_lead_judges_under_the_edited_guidelines(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from annotate.review.adjudication import adjudicate
    from tests.test_adjudication_stable_ids import Recording

    with caplog.at_level(logging.WARNING):
        adjudicate(Recording(lead=False), "p", PUSHED, salt="s")  # type: ignore[arg-type]
    assert _warnings(caplog) == []
    with caplog.at_level(logging.WARNING):
        adjudicate(Recording(lead=False), "p", EDITED, salt="s")  # type: ignore[arg-type]
    (warned,) = _warnings(caplog)
    assert "'p'" in warned and "violent_threat" in warned
