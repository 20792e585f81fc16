"""`ingest` and `prelabel` replaced an existing --out without a word, while `export`
refused without --overwrite (faults49 F8): a passages file a later `--previous` or
`verify --sources` relies on went silently. Both refuse now, naming what is there and
the fix (another --out, or --overwrite); a pre-label run stopped midway still resumes
when the same command runs again, with or without --overwrite as it was given."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import annotate.classifier
from annotate.cli import app
from annotate.prelabel_parts import parts_folder
from annotate.prelabeling import CHUNK_SIZE
from tests.fakes import KeywordClassifier


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_ingest_refuses_to_replace_an_existing_out(tmp_path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("A first document about the weather, long enough to keep.\n")
    out = tmp_path / "passages.parquet"
    code, said = _run("ingest", str(docs), "--out", str(out), "-q")
    assert code == 0, said
    before = out.read_bytes()
    (docs / "b.txt").write_text("Another document, which a second run would add to the file.\n")
    code, said = _run("ingest", str(docs), "--out", str(out), "-q")
    assert code == 1, said
    assert f"--out {out} already exists (1 row, written " in said, said
    assert "the passages of this run would replace it" in said, said
    assert "Fix: pass another --out, e.g. --out " in said and "or add --overwrite" in said
    assert out.read_bytes() == before  # untouched
    code, said = _run("ingest", str(docs), "--out", str(out), "-q", "--overwrite")
    assert code == 0 and "2 documents -> 2 passages" in said, said


class _Stopping(KeywordClassifier):
    """Raises KeyboardInterrupt (Ctrl-C) on its ``stop_on``-th window."""

    def __init__(self, labels: list[str], stop_on: int | None = None) -> None:
        super().__init__(labels)
        self.stop_on = stop_on

    def predict(self, passages, *, progress=None):
        if self.stop_on is not None and len(self.calls) + 1 == self.stop_on:
            raise KeyboardInterrupt
        return super().predict(passages, progress=progress)


@pytest.fixture
def big(tmp_path):
    """Two windows of the CLI's size (a run stopped in the second keeps the first)."""
    path = tmp_path / "big.jsonl"
    rows = ({"id": f"d{i // 3}-p{i % 3}", "doc_id": f"d{i // 3}", "passage_index": i % 3,
             "text": f"passage {i}" + (" they said they would kill" if i % 7 == 0 else "")}
            for i in range(CHUNK_SIZE + 30))  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_prelabel_refuses_to_replace_an_existing_out_and_still_resumes(
    tmp_path, big, taxonomy, monkeypatch
) -> None:
    names = taxonomy.category_names
    loaded: list[KeywordClassifier] = []
    # one thread count for every run: the default follows the machine's load, and the
    # run record (compared byte for byte below) names it (CI 57a: 2 in one run, 1 in the next)
    monkeypatch.setenv("ANNOTATE_THREADS", "1")

    def load(clf):
        def loader(*args, **kwargs):
            loaded.append(clf)
            return clf

        monkeypatch.setattr(annotate.classifier, "load_classifier", loader)

    want = tmp_path / "want.jsonl"
    load(_Stopping(names))
    code, said = _run("prelabel", str(big), "--out", str(want), "-q")
    assert code == 0, said

    # an interrupted run of a new --out resumes without --overwrite (nothing to replace)
    out = tmp_path / "pre.jsonl"
    load(_Stopping(names, stop_on=2))
    code, said = _run("prelabel", str(big), "--out", str(out), "-q")
    assert code != 0 and parts_folder(out).is_dir() and not out.exists(), said
    load(_Stopping(names))
    code, said = _run("prelabel", str(big), "--out", str(out))
    assert code == 0 and "resuming" in said, said
    assert out.read_bytes() == want.read_bytes()

    # an existing --out: refused before the model loads, the file untouched
    before = out.read_bytes()
    loaded.clear()
    code, said = _run("prelabel", str(big), "--out", str(out), "-q")
    assert code == 1 and not loaded, said
    assert f"--out {out} already exists (written " in said, said
    assert "the pre-labels of this run would replace it" in said, said
    assert "or add --overwrite to replace it" in said and "kept in" not in said, said
    assert out.read_bytes() == before

    # --overwrite replaces it; stopped midway, the same command (with --overwrite)
    # resumes; without it, the refusal names the passages kept and --overwrite
    load(_Stopping(names, stop_on=2))
    code, said = _run("prelabel", str(big), "--out", str(out), "-q", "--overwrite")
    assert code != 0 and parts_folder(out).is_dir(), said
    code, said = _run("prelabel", str(big), "--out", str(out), "-q")
    assert code == 1 and f"are kept in {parts_folder(out)}" in said, said
    assert "with --overwrite the run resumes from them" in said, said
    load(_Stopping(names))
    code, said = _run("prelabel", str(big), "--out", str(out), "--overwrite")
    assert code == 0 and "resuming" in said, said
    assert out.read_bytes() == want.read_bytes() and not parts_folder(out).exists()
