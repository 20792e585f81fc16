"""Each detection revision of ``--redact`` masks a fixed sample as recorded.

A record names the revision its text was masked with (``detection_revision``);
``verify --sources`` and ``ingest --previous`` mask again with that revision's rules, so
a revision's output must never change once recorded: a change to what is masked is a new
revision. Revision 4's output changed after it was set (break7 L9, in the same unreleased
stop) with no test to say so; this one fails on the next such change. What each revision
masks in the sample is tests/fixtures/redaction_revisions/golden.json, written by its
make.py (which adds a new revision's outputs and never rewrites recorded ones), with the
default settings and with each of make.py's OTHER_SETTINGS (revision 6 changes only what
settings that leave user URLs as written mask)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from annotate.audit.redact import (
    DETECTION_REVISION,
    REVISION_CHANGES,
    RedactionSettings,
)

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "redaction_revisions"
# loaded under a name of its own: tests/test_ingestion_golden.py imports another make.py
_spec = importlib.util.spec_from_file_location("redaction_revisions_make", HERE / "make.py")
assert _spec is not None and _spec.loader is not None
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)

_BODY = json.loads((HERE / "golden.json").read_text(encoding="utf-8"))
GOLDEN = _BODY["revisions"]
# {settings name: {revision: {text: output}}}, make.OTHER_SETTINGS'
GOLDEN_SETTINGS = _BODY.get("settings", {})
HOW = (
    "a recorded revision's output never changes (records made with it are masked again "
    "with its rules): keep revision {r} as it was, and make the change a new revision "
    "(DETECTION_REVISION + 1, REVISION_CHANGES, README), then "
    "`PYTHONPATH=. python tests/fixtures/redaction_revisions/make.py` records its outputs"
)


def test_every_revision_up_to_the_current_one_is_recorded_and_named() -> None:
    assert sorted(GOLDEN, key=int) == [str(r) for r in range(1, DETECTION_REVISION + 1)], (
        "record the new revision's outputs: "
        "`PYTHONPATH=. python tests/fixtures/redaction_revisions/make.py`"
    )
    assert sorted(REVISION_CHANGES) == list(range(2, DETECTION_REVISION + 1))
    assert RedactionSettings().record()["detection_revision"] == DETECTION_REVISION
    for revision, outputs in GOLDEN.items():
        assert set(outputs) == set(make.SAMPLE_KEYS), f"revision {revision}: run make.py"
    assert sorted(GOLDEN_SETTINGS) == sorted(make.OTHER_SETTINGS), "run make.py"
    for name, revisions in GOLDEN_SETTINGS.items():
        assert sorted(revisions, key=int) == sorted(GOLDEN, key=int), f"{name}: run make.py"
        for revision, outputs in revisions.items():
            assert set(outputs) == set(make.SAMPLE_KEYS), f"{name} {revision}: run make.py"


@pytest.mark.parametrize("revision", range(2, DETECTION_REVISION + 1))
def test_each_revision_changes_something_in_the_sample(revision: int) -> None:
    """A revision the sample cannot tell from the one before pins nothing of its change:
    the sample shows what each revision changed, with the default settings or others."""
    goldens = [GOLDEN, *GOLDEN_SETTINGS.values()]
    assert any(g[str(revision)] != g[str(revision - 1)] for g in goldens)


@pytest.mark.parametrize("revision", range(1, DETECTION_REVISION + 1))
def test_a_revision_masks_the_sample_as_recorded(revision: int) -> None:
    recorded = GOLDEN[str(revision)]
    now = make.outputs(revision)
    changed = {
        text: (recorded[text], now[text])
        for text in make.SAMPLE_KEYS
        if now[text] != recorded[text]
    }
    assert not changed, HOW.format(r=revision) + f"; recorded -> now: {changed}"


@pytest.mark.parametrize("settings", sorted(make.OTHER_SETTINGS))
@pytest.mark.parametrize("revision", range(1, DETECTION_REVISION + 1))
def test_a_revision_masks_the_sample_as_recorded_with_other_settings(
    revision: int, settings: str
) -> None:
    """A record made with settings of its own (kinds without user_url, plain
    placeholders ...) is masked again with its revision too: those outputs never change
    either."""
    recorded = GOLDEN_SETTINGS[settings][str(revision)]
    now = make.outputs(revision, settings)
    changed = {
        text: (recorded[text], now[text])
        for text in make.SAMPLE_KEYS
        if now[text] != recorded[text]
    }
    assert not changed, HOW.format(r=revision) + f" ({settings}); recorded -> now: {changed}"


def test_revision_6_leaves_a_user_urls_account_id_where_user_urls_are_left() -> None:
    """Settings without the user_url kind leave a user's URL as written; before revision
    6 its account id was masked as a phone number, half-masking the URL."""
    settings = "no user_url"
    text = "see https://forum.example/u/4155550123/profile and forum.example/members/4155550199/x"
    assert GOLDEN_SETTINGS[settings]["6"][text] == text
    assert "[PHONE-1]" in GOLDEN_SETTINGS[settings]["5"][text]
    assert make.outputs(6, settings)[text] == text
