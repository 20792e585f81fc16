"""`annotate verify A --same-as B` of two exports of one review state, one made with
`--gold-min-accuracy 0.8` and one without: the rows are the same (so is the content
SHA-256), but agreement.json records the minimum. The error said they "hold different
data" and "otherwise the review changed in between", sending a compliance reviewer to
look for answers that never came in. It names the option and its two values, and says
the rows are the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.cli import main
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


def _verify_same_as(a: Path, b: Path, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as ran:
        main(["verify", str(a), "--same-as", str(b)])
    assert ran.value.code == 1
    return " ".join(capsys.readouterr().err.split())


def test_another_gold_minimum_is_named_not_a_changed_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / ".annotate"))
    plain, strict = tmp_path / "plain", tmp_path / "strict"
    export("p", plain, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    export(
        "p",
        strict,
        client=FakeStudio(reviewed_tasks()),  # type: ignore[arg-type]
        salt="s",
        gold_min_accuracy=0.8,
    )
    said = _verify_same_as(strict, plain, capsys)
    assert f"{strict} and {plain} hold the same rows" in said
    assert "--gold-min-accuracy 0.8 and none" in said
    assert "the review changed in between" not in said
    assert "export both with the same options" in said


def test_another_seed_is_named_beside_the_rows_it_moved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / ".annotate"))
    a, b = tmp_path / "a", tmp_path / "b"
    export("p", a, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    export("p", b, client=FakeStudio(reviewed_tasks()), salt="s", seed=7)  # type: ignore[arg-type]
    said = _verify_same_as(a, b, capsys)
    assert "row(s) with other content" in said  # the seed moved documents to other splits
    assert "(exported with other options: --seed 0 and 7)" in said
