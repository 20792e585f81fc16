"""README's project-test figures are those docs/model.md gives for the model that ships
(the version models/default/model_card.md records), not a predecessor's (audit61: README
said macro F1 0.5687, span precision 0.611, recall 0.343, docs/model.md's figures for
default@513fc60ad5d5, while default@d4020044ae7e ships and gives 0.5661, 0.6077, 0.3405)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _shipped_version() -> str:
    card = (ROOT / "models" / "default" / "model_card.md").read_text(encoding="utf-8")
    found = re.search(r"^- version: `(default@[0-9a-f]+)`", card, re.M)
    assert found, "models/default/model_card.md has no version line"
    return found.group(1)


def test_readme_gives_the_shipped_models_project_test_figures() -> None:
    version = _shipped_version()
    model_md = " ".join((ROOT / "docs" / "model.md").read_text(encoding="utf-8").split())
    measured = re.search(
        rf"`{re.escape(version)}` (?:this )?gives macro F1 ([0-9.]+), span precision "
        r"([0-9.]+), recall ([0-9]+\.[0-9]+)",
        model_md,
    )
    assert measured, f"docs/model.md gives no project-test figures for {version}"
    f1, precision, recall = (float(x) for x in measured.groups())
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    said = re.search(
        r"\*\*Project test split\*\* \([0-9,]+ passages[^)]*\): label macro F1 ([0-9.]+), "
        r"evidence-span precision ([0-9.]+), recall ([0-9]+\.[0-9]+)",
        readme,
    )
    assert said, "README has no project test split line"
    r_f1, r_precision, r_recall = (float(x) for x in said.groups())
    assert round(f1, 4) == r_f1, (version, f1, r_f1)
    assert round(precision, 3) == r_precision, (version, precision, r_precision)
    assert round(recall, 3) == r_recall, (version, recall, r_recall)
    assert version in readme, f"README does not name the version {version} its figures are of"
