"""A model trained from a folder outside the checkout (`cd ~/work && annotate train --data
t.csv --mapping /path/to/annotate/models/mappings/x.yaml`) records the mapping relative to
the checkout, and its card left the mapping's rules out without a word: the card looked
for it relative to the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.evaluation.model_card import mapping_lines
from annotate.settings import PROJECT_ROOT, display_path

MAPPING = PROJECT_ROOT / "models" / "mappings" / "hatemoji-build.yaml"


def test_the_rules_of_a_mapping_recorded_from_another_folder_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = display_path(MAPPING)  # as train records an absolute --mapping
    assert recorded == "models/mappings/hatemoji-build.yaml"
    monkeypatch.chdir(tmp_path)
    lines = mapping_lines(recorded)
    assert "  Mapping `hatemoji-build.yaml` (first matching rule wins):" in lines
    assert any("type=threateninglanguage -> violent_threat" in line for line in lines)


def test_a_mapping_that_is_nowhere_gives_no_lines(tmp_path: Path) -> None:
    assert mapping_lines(str(tmp_path / "gone.yaml")) == []
    assert mapping_lines("models/mappings/no-such-mapping.yaml") == []
