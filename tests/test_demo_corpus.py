"""`annotate demo --corpus DIR` read only the .txt files at the top of DIR, each named on
the command line: an empty one stopped the demo ("the file is empty") where `annotate
ingest DIR` skips it, and .md files, tables and sub-folders were left out without a word.
It reads the corpus as `annotate ingest` does, before the server starts."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import annotate.demo as demo_mod
from annotate.errors import InputError


class _ServerReached(Exception):
    """Raised where the demo would start Label Studio: the corpus was read by then."""


@pytest.fixture
def no_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    calls: list[int] = []

    def start(*args: object, **kwargs: object) -> None:
        calls.append(1)
        raise _ServerReached

    monkeypatch.setattr(demo_mod.server, "start", start)
    return calls


def test_the_demo_reads_your_corpus_as_ingest_does(tmp_path: Path, no_server: list[int]) -> None:
    corpus = tmp_path / "docs"
    (corpus / "forum").mkdir(parents=True)
    (corpus / "news.txt").write_text("Police said the vigil was peaceful.", encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "forum" / "thread.md").write_text("# Thread\n\nSee you at the meeting.\n")
    (corpus / "chat.jsonl").write_text(json.dumps({"id": "c1", "text": "ok then"}) + "\n")
    with pytest.raises(_ServerReached):
        demo_mod.demo("nu demo", corpus=corpus)
    rows = pq.read_table(tmp_path / "home" / "demo" / "passages.parquet").to_pylist()
    assert sorted(r["doc_id"] for r in rows) == ["c1", "docs/forum/thread.md", "docs/news.txt"]


def test_a_corpus_ingest_refuses_fails_before_the_server_starts(
    tmp_path: Path, no_server: list[int]
) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        demo_mod.demo("nu demo", corpus=tmp_path / "nope")
    assert no_server == []


def test_the_sample_keeps_its_document_ids(tmp_path: Path, no_server: list[int]) -> None:
    """The bundled sample's files are ingested by name, as before: a demo run again
    after an upgrade finds its passages in the project instead of adding them again."""
    with pytest.raises(_ServerReached):
        demo_mod.demo("nu demo")
    rows = pq.read_table(tmp_path / "home" / "demo" / "passages.parquet").to_pylist()
    names = {p.name for p in demo_mod.SAMPLE_CORPUS.glob("*.txt")}
    assert {r["doc_id"] for r in rows} == names


def test_the_ingest_stage_ends_before_the_server_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Off a terminal the demo printed `ingest: 9 docs done in 18 s` after the
    pre-labelling: the ingest's stage stayed open until the command ended, so its time
    counted the server's start and the model's run."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    events: list[str] = []

    class Stage:
        def __init__(self, desc: str) -> None:
            self.desc = desc

        def __call__(self, n: int) -> None:
            pass

        def close(self) -> None:
            events.append(f"{self.desc} closed")

    def start(*args: object, **kwargs: object) -> None:
        events.append("server")
        raise _ServerReached

    monkeypatch.setattr(demo_mod.server, "start", start)
    with pytest.raises(_ServerReached):
        demo_mod.demo("nu demo", progress=lambda desc, unit: Stage(desc))
    assert events == ["ingest closed", "server"]


def test_the_demo_checks_before_it_says_starting(tmp_path: Path, no_server: list[int]) -> None:
    """`annotate demo` printed "starting the local Label Studio ..." (and "installing ...")
    before its checks: a corpus that is not there, a labels.yaml it cannot read, a model
    folder that is not there were said after it. Now the checks come first, then the
    word of starting, then the server."""
    from annotate.errors import ModelError, TaxonomyError

    said: list[str] = []
    bad_labels = tmp_path / "labels.yaml"
    bad_labels.write_text("categories: [oops\n", encoding="utf-8")
    with pytest.raises(TaxonomyError):
        demo_mod.demo("nu demo", taxonomy=bad_labels, starting=lambda: said.append("s"))
    with pytest.raises(ModelError, match="does not exist"):
        demo_mod.demo("nu demo", model=tmp_path / "nomodel", starting=lambda: said.append("s"))
    # break5 B16: a folder that is there but holds no model (`--model data`) passed the
    # check and was said after the server started
    (tmp_path / "data").mkdir()
    with pytest.raises(ModelError, match="is not a model directory"):
        demo_mod.demo("nu demo", model=tmp_path / "data", starting=lambda: said.append("s"))
    # a model of another labels.yaml (its annotate_model.json's labels; no weights read)
    import json

    other = tmp_path / "other-model"
    other.mkdir()
    (other / "annotate_model.json").write_text(
        json.dumps({"kind": "annotate.frozen-linear.v1", "labels": ["spam", "ham"]}),
        encoding="utf-8",
    )
    with pytest.raises(ModelError, match="trained for other categories"):
        demo_mod.demo("nu demo", model=other, starting=lambda: said.append("s"))
    assert said == [] and no_server == []
    with pytest.raises(_ServerReached):
        demo_mod.demo("nu demo", starting=lambda: said.append("s"))
    assert said == ["s"] and no_server == [1]


def _transformers_folder(path: Path, id2label: dict[str, str], arch: str) -> Path:
    import json

    path.mkdir()
    (path / "config.json").write_text(
        json.dumps({"architectures": [arch], "id2label": id2label}), encoding="utf-8"
    )
    return path


def test_a_transformers_models_labels_are_checked_before_starting(
    tmp_path: Path, no_server: list[int]
) -> None:
    """A plain transformers model (config.json, no annotate_model.json) records no labels
    in annotate_model.json, so a model of other labels passed the pre-start check and
    was refused only on loading, after the server had started: its config.json's
    id2label is read now (no weights, no transformers import)."""
    from annotate.errors import ModelError
    from annotate.taxonomy import load_taxonomy

    said: list[str] = []
    other = _transformers_folder(
        tmp_path / "sentiment", {"0": "NEGATIVE", "1": "POSITIVE"}, "BertForSequenceClassification"
    )
    with pytest.raises(ModelError) as raised:
        demo_mod.demo("nu demo", model=other, starting=lambda: said.append("s"))
    err = raised.value
    assert "config.id2label does not match the taxonomy categories" in str(err)
    assert "extra NEGATIVE, POSITIVE" in str(err) and "missing violent_threat" in str(err)
    assert "set config.json id2label/label2id to the labels.yaml categories" in err.fix
    encoder = _transformers_folder(tmp_path / "encoder", {"0": "LABEL_0"}, "BertModel")
    with pytest.raises(ModelError, match="an encoder without a sequence-classification head"):
        demo_mod.demo("nu demo", model=encoder, starting=lambda: said.append("s"))
    assert said == [] and no_server == []
    # the labels.yaml's categories, in any order: no error before the server
    names = list(reversed(load_taxonomy(None).category_names))
    fits = _transformers_folder(
        tmp_path / "fits", {str(i): n for i, n in enumerate(names)}, "BertForSequenceClassification"
    )
    with pytest.raises(_ServerReached):
        demo_mod.demo("nu demo", model=fits, starting=lambda: said.append("s"))
    assert said == ["s"]


def test_the_demo_command_says_no_starting_before_a_mistake(
    tmp_path: Path, no_server: list[int]
) -> None:
    from tests.test_cli import _error_line, run

    ran = run("demo", "--corpus", str(tmp_path / "nope"))
    assert "no such file or folder" in _error_line(ran)
    assert "starting" not in ran.stdout + ran.stderr, ran.stdout
    assert "installing" not in ran.stdout + ran.stderr, ran.stdout
