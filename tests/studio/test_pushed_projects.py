"""The record of the projects pushes from this machine made (annotate.studio.
pushed_projects): a project gone from the server is named, refused unless told to make it
again, and forgotten once it is; records are kept per server and name."""

from __future__ import annotations

import pytest

from annotate.errors import StudioError
from annotate.studio import pushed_projects as pp

URL, OTHER = "http://127.0.0.1:8080", "https://ls.example.org"


def test_a_recorded_project_that_is_gone_is_refused_then_forgotten_when_told() -> None:
    pp.remember(URL, "Batch 12", {3: "Batch 12 · r-a", 4: "Batch 12 · r-b"})
    pp.remember(OTHER, "Batch 12", {3: "Batch 12"})  # another server: its own record
    assert pp.check_deleted(URL, "Batch 12", [3, 4], recreate=False, what="review set") == {}
    with pytest.raises(StudioError) as err:
        pp.check_deleted(URL, "Batch 12", [3], recreate=False, what="review set")
    assert "'Batch 12 · r-b' (id 4)" in err.value.what and "--recreate-deleted" in str(err.value)
    assert pp.recorded(URL, "Batch 12") == {3: "Batch 12 · r-a", 4: "Batch 12 · r-b"}
    gone = pp.check_deleted(URL, "Batch 12", [3], recreate=True, what="review set")
    assert gone == {4: "Batch 12 · r-b"} and pp.recorded(URL, "Batch 12") == {3: "Batch 12 · r-a"}
    assert pp.recorded(OTHER, "Batch 12") == {3: "Batch 12"}
    assert pp.recorded(URL, "Batch 13") == {}


def test_an_unreadable_record_is_no_refusal(caplog: pytest.LogCaptureFixture) -> None:
    path = pp.record_path(URL, "x")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    assert pp.check_deleted(URL, "x", [], recreate=False, what="project") == {}
    assert "could not read" in caplog.text
