"""Each detection revision of ``--redact`` masks a fixed sample as recorded.

A record names the revision its text was masked with (``detection_revision``);
``verify --sources`` and ``ingest --previous`` mask again with that revision's rules, so
a revision's output must never change once recorded: a change to what is masked is a new
revision. Revision 4's output changed after it was set (break7 L9, in the same unreleased
stop) with no test to say so; this one fails on the next such change. What each revision
masks in the sample is tests/fixtures/redaction_revisions/golden.json, written by its
make.py (which adds a new revision's outputs and never rewrites recorded ones)."""

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

GOLDEN = json.loads((HERE / "golden.json").read_text(encoding="utf-8"))["revisions"]
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


@pytest.mark.parametrize("revision", range(2, DETECTION_REVISION + 1))
def test_each_revision_changes_something_in_the_sample(revision: int) -> None:
    """A revision the sample cannot tell from the one before pins nothing of its change:
    the sample shows what each revision changed."""
    assert GOLDEN[str(revision)] != GOLDEN[str(revision - 1)]


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
