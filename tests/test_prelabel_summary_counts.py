"""prelabel's summary wrote its counts without thousands separators beside the ones it
separated: '7,392 passages pre-labelled ... (1427 with a harmful label; ...)', and so did
the warnings on passages in another script or cut at the token limit."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from tests.test_cli import run


def test_the_summary_counts_have_separators(tmp_path: Path, monkeypatch) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "A passage."}) + "\n", encoding="utf-8")

    def fake_prelabel(input_path, out, **kwargs):
        return SimpleNamespace(
            passages=7392,
            flagged=1427,
            model_version="m@1",
            foreign=1200,
            first_foreign="p1",
            first_foreign_document="docs/a.txt",
            foreign_scripts={"cyrillic": 1200},
            trained_languages=["en"],
            foreign_languages={"de": 1300},
            first_foreign_language="p3",
            first_foreign_language_document="",
            cut=1500,
            first_cut="p2",
            token_limit=256,
            fallback_warning="",
            reading_warning="",
        )

    monkeypatch.setattr("annotate.prelabeling.prelabel", fake_prelabel)
    ran = run("prelabel", str(src), "--out", str(tmp_path / "o.jsonl"), "-q", "--threads", "1")
    assert ran.returncode == 0, ran.stderr
    assert "7,392 passages pre-labelled with m@1" in ran.stderr
    assert "(1,427 with a harmful label;" in ran.stderr
    assert "warning: 1,200 passage(s) (the first: p1, in docs/a.txt)" in ran.stderr
    assert "warning: 1,500 passage(s) (the first: p2)" in ran.stderr
    assert "warning: 1,300 passage(s) (the first: p3) are in a language" in ran.stderr
    assert "(German 1,300;" in ran.stderr
