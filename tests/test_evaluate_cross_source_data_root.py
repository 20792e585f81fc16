"""`annotate evaluate --cross-source --config CONFIG --data-root DIR`: the config's data sets
kept elsewhere than its relative paths say are looked for under DIR, as `annotate train
--data-root` does (without it the cross-source table could not be run on the shipped
config with the public data in /work/shared/data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotate.taxonomy import PROJECT_ROOT
from tests.test_cli import _error_line, run

MAPPINGS = PROJECT_ROOT / "models" / "mappings"
SETS = ("crisislex-t26/tweets.csv", "crowdcounter/replies.json")


class _Loaded(Exception):
    """Raised by the stand-in row loader: the config resolved, nothing heavy ran."""


def _config(tmp_path: Path) -> Path:
    """A config in ``checkout/models`` whose two public sets are read from
    ``../../shared/data`` (not there) and kept in ``elsewhere/sets`` instead."""
    models = tmp_path / "checkout" / "models"
    models.mkdir(parents=True)
    for name in SETS:
        (tmp_path / "elsewhere" / "sets" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "elsewhere" / "sets" / name).write_text("", encoding="utf-8")
    cfg = models / "recipe.train.yaml"
    cfg.write_text(
        "name: x\n"
        "data:\n"
        f"  - path: ../../shared/data/{SETS[0]}\n"
        f"    mapping: {MAPPINGS / 'crisislex-t26.yaml'}\n"
        f"  - path: ../../shared/data/{SETS[1]}\n"
        f"    mapping: {MAPPINGS / 'crowdcounter.yaml'}\n",
        encoding="utf-8",
    )
    return cfg


@pytest.fixture
def rows_seen(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The configs the rows would be loaded from (the loading itself stops the run)."""
    import annotate.training.config as config
    import annotate.training.rows as rows

    seen: list[Any] = []

    def load_rows(cfg: Any, *_a: object, **_k: object) -> None:
        seen.append(cfg)
        raise _Loaded

    monkeypatch.setattr(rows, "load_rows", load_rows)
    monkeypatch.setattr(config, "check_hub_encoders", lambda *_a, **_k: None)
    return seen


def _evaluate(cfg: Path, out: Path, *extra: str):
    return run(
        "evaluate",
        "--cross-source",
        "--config",
        str(cfg),
        "--out",
        str(out),
        "--baseline-only",
        *extra,
    )


def test_the_config_data_is_found_under_data_root(tmp_path: Path, rows_seen: list[Any]) -> None:
    cfg = _config(tmp_path)
    root = tmp_path / "elsewhere" / "sets"
    with pytest.raises(_Loaded):
        _evaluate(cfg, tmp_path / "r", "--data-root", str(root))
    (loaded,) = rows_seen
    assert [d.path for d in loaded.data] == [str(root / name) for name in SETS]


def test_without_data_root_the_error_names_it(tmp_path: Path, rows_seen: list[Any]) -> None:
    cfg = _config(tmp_path)
    line = _error_line(_evaluate(cfg, tmp_path / "r"))
    assert "2 data entries are not there" in line
    assert "`annotate evaluate --cross-source` takes it too" in line
    assert not rows_seen and not (tmp_path / "r").exists()


def test_data_not_under_data_root_is_still_named(tmp_path: Path, rows_seen: list[Any]) -> None:
    cfg = _config(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    line = _error_line(_evaluate(cfg, tmp_path / "r", "--data-root", str(empty)))
    assert "2 data entries are not there" in line
    assert "data[0] crisislex-t26, data[1] crowdcounter" in line
    assert not rows_seen


def test_a_data_root_that_is_not_there_is_a_usage_error(tmp_path: Path, rows_seen) -> None:
    cfg = _config(tmp_path)
    ran = _evaluate(cfg, tmp_path / "r", "--data-root", str(tmp_path / "nowhere"))
    assert ran.returncode == 2
    assert "--data-root" in ran.stderr and "does not exist" in ran.stderr
    assert not rows_seen


def test_data_root_without_cross_source_is_refused(tmp_path: Path) -> None:
    ran = run(
        "evaluate",
        "--data",
        str(tmp_path),
        "--out",
        str(tmp_path / "r"),
        "--data-root",
        str(tmp_path),
    )
    line = _error_line(ran)
    assert "--data-root only applies with --cross-source" in line
