"""README "The taxonomy": exports of labels.yaml 1.0.0 and 1.1.0 (a category appended)
read together with datasets (newuser57 F9). Listing the older export first failed: its
``model_scores`` struct lacks the added category and the first file's schema won. The
README's snippet, run as written (its paths pointed at two exports), in both orders."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.audit.fakes import reviewed_tasks
from tests.conftest import project_taxonomy
from tests.docs_text import python_blocks
from tests.test_open_work import export_cli
from tests.test_taxonomy_label_added import ChangedStudio, _changed_project, _labels_text


def _snippet() -> tuple[Path, str]:
    """The snippet and the documentation file that holds it."""
    (found,) = [(f, b) for f, b in python_blocks() if "data_files=" in b and "features=" in b]
    return found


def test_the_readmes_form_reads_both_versions_in_either_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_studio = ChangedStudio(reviewed_tasks(), project_taxonomy().render_label_config())
    v10 = tmp_path / "v1.0"
    assert export_cli(old_studio, v10, monkeypatch).exit_code == 0
    monkeypatch.undo()  # export_cli patches the library export: once at a time
    labels = tmp_path / "labels.yaml"
    labels.write_text(_labels_text("1.1.0"), encoding="utf-8")
    v11 = tmp_path / "v1.1"
    ran = export_cli(_changed_project(), v11, monkeypatch, "--labels", str(labels))
    assert ran.exit_code == 0, ran.stderr
    where, snippet = _snippet()
    code = snippet.replace("exports/v1.0", str(v10)).replace("exports/v1.1", str(v11))
    files = f'["{v10}/parquet/train.parquet", "{v11}/parquet/train.parquet"]'
    assert files in code  # the older export first, as the README lists them
    newest_first = f'["{v11}/parquet/train.parquet", "{v10}/parquet/train.parquet"]'
    expected = sum(len(pd.read_parquet(f / "parquet" / "train.parquet")) for f in (v10, v11))
    for order in (code, code.replace(files, newest_first)):
        scope: dict[str, object] = {}
        exec(compile(order, str(where), "exec"), scope)  # the documentation's own code
        corpus = scope["corpus"]
        assert len(corpus) == expected  # type: ignore[arg-type]
        assert "harassment" in corpus.features["model_scores"]  # type: ignore[attr-defined]
