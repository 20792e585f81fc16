"""`annotate verify` and the export's report/: the figures are drawn under matplotlib's
default style, so a user's matplotlib settings do not make verify call them edited
(break14 finding 1); a missing report/ is said (break14 finding 10)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotate.corpus.export import export

from .cli_run import run_cli
from .fakes import FakeStudio, reviewed_tasks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("figures") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


def test_a_users_matplotlib_settings_change_no_figure(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import matplotlib

    # what a matplotlibrc in the current folder (read when matplotlib is imported) sets
    with matplotlib.rc_context(
        {"font.family": "serif", "lines.linewidth": 2, "axes.facecolor": "#eeeeee"}
    ):
        code, said = run_cli(["verify", str(corpus)], capsys)
    assert code == 0, said
    assert "the report of the verified files" in said and "edited" not in said


def test_an_edited_figure_is_still_found(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    figure = copy / "report" / "figures" / "categories.png"
    figure.write_bytes(figure.read_bytes() + b"\0")
    code, said = run_cli(["verify", str(copy)], capsys)
    assert code == 1 and "figures/categories.png is not the report" in said


def test_a_missing_report_is_said(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    shutil.rmtree(copy / "report")
    code, said = run_cli(["verify", str(copy)], capsys)
    assert code == 0, said
    assert f"note: no report/ in {copy}: no report to compare" in said
    assert "annotate report" in said
    code, said = run_cli(["verify", str(copy), "-q"], capsys)
    assert code == 0 and "no report/" not in said


def test_a_matplotlibrc_in_the_current_folder_changes_nothing(corpus: Path, tmp_path: Path) -> None:
    """The finding as seen: `annotate verify` run from a folder holding a matplotlibrc."""
    import os
    import subprocess
    import sys

    auditor = tmp_path / "auditor"
    auditor.mkdir()
    (auditor / "matplotlibrc").write_text("font.family: serif\nlines.linewidth: 2\n")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-m", "annotate", "verify", str(corpus)],
        cwd=auditor,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "the report of the verified files" in done.stderr


def _drawn_by_another_matplotlib(copy: Path, version: str) -> None:
    """Change a figure's pixels as another matplotlib would, and record in report.json
    (as that report would) the digest of what was drawn and the version that drew it."""
    import hashlib
    import json

    report = copy / "report"
    figure = report / "figures" / "categories.png"
    figure.write_bytes(figure.read_bytes() + b"\0")
    numbers = json.loads((report / "report.json").read_text(encoding="utf-8"))
    assert numbers["figures_drawn_with"]["style"] == "matplotlib default"
    numbers["figures_drawn_with"]["matplotlib"] = version
    numbers["written_files"]["figures/categories.png"] = hashlib.sha256(
        figure.read_bytes()
    ).hexdigest()
    (report / "report.json").write_text(
        json.dumps(numbers, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def test_figures_of_another_matplotlib_are_no_proof_of_an_edit(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    import matplotlib

    numbers = json.loads((corpus / "report" / "report.json").read_text(encoding="utf-8"))
    assert numbers["figures_drawn_with"]["matplotlib"] == matplotlib.__version__
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    _drawn_by_another_matplotlib(copy, "3.0.0")
    code, said = run_cli(["verify", str(copy)], capsys)
    assert code == 0, said
    assert "figures/categories.png differ from the figures this matplotlib" in said
    assert "drawn by matplotlib 3.0.0" in said and "no proof of an edit" in said
    # the same figure with this matplotlib's version recorded: an edit
    _drawn_by_another_matplotlib(copy, matplotlib.__version__)
    code, said = run_cli(["verify", str(copy)], capsys)
    assert code == 1 and "figures/categories.png" in said and "edited" in said
    # the report's text stays strict with another matplotlib
    _drawn_by_another_matplotlib(copy, "3.0.0")
    md = copy / "report" / "report.md"
    md.write_text(md.read_text(encoding="utf-8").replace("5", "6", 1), encoding="utf-8")
    code, said = run_cli(["verify", str(copy)], capsys)
    assert code == 1 and "report.md" in said and "edited" in said
