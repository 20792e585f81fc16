"""`annotate evaluate --cross-source --source NAME` checks NAME against the public sources
the config declares before anything heavy loads: `--source crisislex` (for
`crisislex-t26`) was refused only after a minute of loading rows and encoders (stop 48
new-user F13b)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.taxonomy import PROJECT_ROOT
from tests.test_cli import _error_line, run

MAPPINGS = PROJECT_ROOT / "models" / "mappings"


def _config(tmp_path: Path) -> Path:
    """A config of two public sources (real mapping files, stand-in data files)."""
    for name in ("tweets.csv", "replies.json"):
        (tmp_path / name).write_text("", encoding="utf-8")
    cfg = tmp_path / "recipe.train.yaml"
    cfg.write_text(
        "name: x\n"
        "data:\n"
        f"  - path: tweets.csv\n    mapping: {MAPPINGS / 'crisislex-t26.yaml'}\n"
        f"  - path: replies.json\n    mapping: {MAPPINGS / 'crowdcounter.yaml'}\n",
        encoding="utf-8",
    )
    return cfg


@pytest.fixture
def nothing_heavy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the rows or an encoder fails the test: the name is checked before."""
    import annotate.classifier.encoder as encoder
    import annotate.training.rows as rows

    def loaded(*_a: object, **_k: object) -> None:
        pytest.fail("rows or an encoder loaded before --source was checked")

    monkeypatch.setattr(rows, "load_rows", loaded)
    monkeypatch.setattr(encoder, "Encoder", loaded)


def test_a_misspelt_source_is_refused_before_loading(tmp_path: Path, nothing_heavy) -> None:
    cfg = _config(tmp_path)
    out = tmp_path / "r"
    ran = run(
        "evaluate",
        "--cross-source",
        "--config",
        str(cfg),
        "--out",
        str(out),
        "--source",
        "crisislex",
        "--baseline-only",
    )
    line = _error_line(ran)
    assert ran.returncode == 2  # a value the option cannot take: a usage error
    assert line.startswith("error: invalid value for '--source': 'crisislex' is not a public")
    assert "it declares crisislex-t26, crowdcounter" in line  # what exists
    assert "Fix: did you mean --source crisislex-t26? Otherwise" in line  # the closest
    assert "pass --source with one of crisislex-t26, crowdcounter" in line
    assert not out.exists()


def test_several_unknown_sources_are_named_together(tmp_path: Path, nothing_heavy) -> None:
    cfg = _config(tmp_path)
    ran = run(
        "evaluate",
        "--cross-source",
        "--config",
        str(cfg),
        "--out",
        str(tmp_path / "r"),
        "--source",
        "crowdcounter",
        "--source",
        "gab",
        "--source",
        "crowdconter",
    )
    line = _error_line(ran)
    assert ran.returncode == 2
    assert "'gab', 'crowdconter' are not public sources" in line
    assert "'crowdconter' -> 'crowdcounter'" in line and "'gab' ->" not in line


def test_a_config_without_a_public_source_is_refused(tmp_path: Path, nothing_heavy) -> None:
    """A config of one's own export alone wrote a report of table headers, exit 0: nothing
    to hold out (passF52 F6). A usage error, before anything loads."""
    (tmp_path / "corpus").mkdir()
    cfg = tmp_path / "own.train.yaml"
    cfg.write_text("name: moderation-v2\ndata:\n  - path: corpus\n", encoding="utf-8")
    ran = run("evaluate", "--cross-source", "--config", str(cfg), "--out", str(tmp_path / "r"))
    line = _error_line(ran)
    assert ran.returncode == 2, line
    assert line.startswith(
        f"error: invalid value for '--config': {cfg} declares no public source to hold out"
    ), line
    assert "copy models/default.train.yaml into models/" in line
    assert "`annotate evaluate --model DIR --data PATH`" in line
    assert not (tmp_path / "r").exists()
