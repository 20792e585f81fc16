"""A subtitle file whose name does not say so (a WebVTT or SRT transcript saved as
``talk.txt``) is read and shown as the same file named ``talk.vtt``/``talk.srt``: ingest
tells it by its content and records so in its passages' ``meta``
(annotate.classifier.cue_sentences.META_KEY), which prelabel (its cues read within their
sentences, windows carrying the cues a sentence reaches), evaluate and the training
readers (``Example.subtitles``) and push (its cues shown without markup) read; before
(aa2bd061), ingest cut its cues but every step after told a subtitle file by its name,
so its cues were scored one by one and shown with their markup. A passage without the
key (a corpus ingested before it) is told by its name, as before."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.classifier.cue_sentences import META_KEY, recorded_subtitles, subtitle_row
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel
from annotate.studio.shown_text import SOURCE_TEXT_FIELD, shown_for_row
from annotate.studio.tasks import row_to_task
from annotate.training.sources import DataSource, load_examples
from tests.evaluation.test_evaluate_reading import _both
from tests.studio.test_shown_text import CONFIG, SHOWN, TAX, cue_rows
from tests.test_cue_sentences import SRT, _Reads

VTT = (
    "WEBVTT\n\n"
    "00:00:01.000 --> 00:00:03.000\nI know where you live,\n\n"
    "00:00:03.000 --> 00:00:05.000\nand if you talk to the police...\n\n"
    "00:00:05.000 --> 00:00:07.000\n<i>I will find you</i>\n\n"
    "00:00:07.000 --> 00:00:09.000\nand break your legs.\n\n"
    "00:00:10.000 --> 00:00:12.000\nGood night\n"
)
SENTENCE = (
    "I know where you live, and if you talk to the police... I will find you and break your legs."
)


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _ingested(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / name.replace(".", "_")
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / f"{name}.jsonl"
    ingest([folder / name], out, min_chars=0)
    return out


def _scored(rows: list[dict]) -> list[tuple]:
    """What prelabel gave each passage, its document's name aside."""
    return [(r["text"], r["labels"], r["scores"], r["spans"]) for r in rows]


@pytest.mark.parametrize(("text", "named"), [(VTT, "talk.vtt"), (SRT, "talk.srt")])
@pytest.mark.parametrize("chunk_size", [1, 2, 10_000])
def test_a_txt_holding_subtitles_is_prelabeled_as_the_named_copy(
    tmp_path: Path, taxonomy, text: str, named: str, chunk_size: int
) -> None:
    as_txt = _ingested(tmp_path, "talk.txt", text)
    as_named = _ingested(tmp_path, named, text)
    txt_rows, named_rows = _rows(as_txt), _rows(as_named)
    assert [r["text"] for r in txt_rows] == [r["text"] for r in named_rows]
    reads = {}
    for src, size in ((as_txt, chunk_size), (as_named, 10_000)):
        clf = _Reads(taxonomy.category_names)
        out = tmp_path / f"pre-{src.stem}.jsonl"
        prelabel(src, out, classifier=clf, chunk_size=size)
        reads[src] = (clf.read, _scored(_rows(out)))
    assert SENTENCE in reads[as_txt][0]  # its cues read within their sentence
    assert reads[as_txt][1] == reads[as_named][1]  # the same labels, scores and spans
    spans = [[r["text"][s["start"] : s["end"]] for s in r["spans"]] for r in _rows(out)]
    assert ["find"] in spans and ["break your legs"] in spans
    # recorded in the meta of the file told by its content only; the named copy's as before
    assert {json.loads(r["meta"])[META_KEY] for r in txt_rows} == {True}
    assert not [r for r in named_rows if META_KEY in json.loads(r["meta"])]


def test_a_corpus_without_the_record_is_read_by_name_as_before(tmp_path: Path, taxonomy) -> None:
    """Passages of a .txt ingested before the record (ingest's rows, meta dropped): each
    cue read alone, as before."""
    src = _ingested(tmp_path, "talk.txt", VTT)
    old = tmp_path / "old.jsonl"
    old.write_text("".join(json.dumps({**r, "meta": None}) + "\n" for r in _rows(src)), "utf-8")
    clf = _Reads(taxonomy.category_names)
    prelabel(old, tmp_path / "pre.jsonl", classifier=clf)
    assert SENTENCE not in clf.read
    assert clf.read[:2] == ["I know where you live,", "and if you talk to the police..."]
    assert all(shown_for_row(r) is None for r in _rows(tmp_path / "pre.jsonl"))


def test_ingest_no_longer_warns_to_rename_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="annotate"):
        _ingested(tmp_path, "talk.txt", VTT)
    said = [r for r in caplog.records if "holds subtitles" in r.getMessage()]
    assert [r.levelno for r in said] == [logging.INFO]
    assert "rename" not in said[0].getMessage()


def test_push_shows_a_txt_holding_webvtt_without_markup(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    named, txt = cue_rows(tmp_path / "a", "call.vtt"), cue_rows(tmp_path / "b", "call.txt")
    assert [r["text"] for r in txt] == [raw for raw, _ in SHOWN[:3]]
    for row, same in zip(txt, named, strict=True):
        assert subtitle_row(row)
        task = row_to_task(row, TAX, CONFIG, where="t")
        want = row_to_task(same, TAX, CONFIG, where="t")
        assert task["data"]["text"] == want["data"]["text"] != row["text"]
        assert task["data"][SOURCE_TEXT_FIELD] == row["text"]
        assert task["predictions"][0]["result"] == want["predictions"][0]["result"]
    # the record as a task's data may hold it (an object), and none or another value
    row = txt[0]
    assert shown_for_row({**row, "meta": {META_KEY: True}}) is not None
    for meta in (None, "{}", json.dumps({META_KEY: "yes"}), "not json " + META_KEY):
        assert recorded_subtitles({**row, "meta": meta}) is None
        assert shown_for_row({**row, "meta": meta}) is None


def test_evaluate_and_the_training_readers_carry_the_record(tmp_path: Path, taxonomy) -> None:
    meta = json.dumps({META_KEY: True})
    rows = [
        {"id": f"s{i}", "doc_id": "film.txt", "passage_index": i, "text": t, "meta": meta}
        for i, t in enumerate(["If you come back here", "I will kill you.", "Good night."])
    ]
    pre_clf, pre, ev_clf, ev = _both(tmp_path, taxonomy, rows)
    assert "If you come back here I will kill you." in ev_clf.read
    assert sorted(ev_clf.read) == sorted(pre_clf.read) and ev == pre
    gold = tmp_path / "gold.jsonl"
    examples, _ = load_examples([DataSource(str(gold))], taxonomy, 13)
    assert {e.subtitles for e in examples} == {True}
    # without the record: each passage alone, in both
    plain = tmp_path / "plain"
    plain.mkdir()
    rows = [{k: v for k, v in r.items() if k != "meta"} for r in rows]
    pre_clf, pre, ev_clf, ev = _both(plain, taxonomy, rows)
    assert "If you come back here I will kill you." not in ev_clf.read + pre_clf.read
