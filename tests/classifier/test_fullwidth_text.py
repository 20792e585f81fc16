"""Stop 48 F20: a threat written in fullwidth Latin letters (English in wide forms, a
filter-evasion trick) scored violent_threat 0.008 against 0.553 in ASCII, and prelabel
warned that it was in a script the model was not trained on ("Fullwidth": "train a model
on labelled text in their language"). The model now reads an NFKC-folded copy of such
compatibility forms (the passage's text unchanged, its spans on its own characters), and
fullwidth Latin counts as Latin script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate import prelabel
from annotate.classifier import DEFAULT_MODEL_DIR
from annotate.classifier.base import PassageInput, Prediction, Span
from annotate.classifier.turn_text import predict_turns
from annotate.classifier.writing_system import compatibility_fold, dominant_script

ASCII = "If you show your face at the depot again I will break your legs."
WIDE = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in ASCII)


def test_fullwidth_latin_folds_one_character_for_one_and_is_latin_script() -> None:
    assert WIDE != ASCII and compatibility_fold(WIDE) == ASCII
    assert compatibility_fold("Ｉ\u3000ｗｉｌｌ 𝐛𝐫𝐞𝐚𝐤 ⓐ") == "I will break a"
    # a ligature (two letters under NFKC) and other scripts stay as written
    assert compatibility_fold("ﬁne Привет ｶ") == "ﬁne Привет カ"
    assert dominant_script(WIDE) == "LATIN"


class _Recorder:
    """A classifier that records what it read and marks "break your legs" in it."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def predict(self, passages, progress=None):  # type: ignore[no-untyped-def]
        out = []
        for p in passages:
            self.read.append(p.text)
            at = p.text.find("break your legs")
            spans = [] if at < 0 else [Span(at, at + 15, "threat", 0.9)]
            out.append(Prediction(scores={}, labels=[], spans=spans))
        return out


def test_the_classifier_reads_the_folded_copy_and_spans_land_on_the_passage() -> None:
    text = "<v Dave>" + WIDE  # a voice tag removed too: both mappings at once
    rec = _Recorder()
    (pred,) = predict_turns(rec, [PassageInput(id="p", text=text)])  # type: ignore[arg-type]
    assert rec.read == [ASCII]
    (span,) = pred.spans
    assert text[span.start : span.end] == WIDE[WIDE.index("ｂｒｅａｋ") :][:15]


@pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
    reason="models/default is not built (run `make model`)",
)
def test_a_fullwidth_threat_is_labelled_as_its_ascii_text(tmp_path: Path) -> None:
    rows = [{"id": "a", "text": ASCII}, {"id": "w", "text": WIDE}]
    src = tmp_path / "p.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    prelabel(src, tmp_path / "l.jsonl")
    out = {
        r["id"]: r for r in map(json.loads, (tmp_path / "l.jsonl").read_text("utf-8").splitlines())
    }
    assert out["w"]["text"] == WIDE  # the passage as given
    assert "violent_threat" in out["w"]["labels"]
    assert out["w"]["scores"]["violent_threat"] == pytest.approx(
        out["a"]["scores"]["violent_threat"], abs=1e-4
    )
    for span in out["w"]["spans"]:
        assert out["w"]["text"][span["start"] : span["end"]] in WIDE
