"""The report's agreement section says which answers were not blind (made or changed after
the adjudication project showed their passage's answers, as the manifest's review.mode
records them) and gives its counts over blind answers only; an agreement.json written
before export left such answers out is said to count them (stop 48, F16: "of those with
the same categories from every reviewer: 39" of 39 and the alpha tables, with no caveat)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotate.audit.corpus import Corpus, load_corpus
from annotate.audit.report import compute, to_markdown
from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym

from .fakes import FakeStudio, reviewed_tasks

SHOWN = "2026-06-01T10:02:30Z"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("blind") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


def _with_record(path: Path, agreement_key: bool = True) -> Corpus:
    """The corpus as if user 2's answers on doc-a-p1 (of three) and doc-b-p0 (of two)
    were changed after the adjudication project showed those passages."""
    loaded = load_corpus(path)
    ben = pseudonym(2, "s")
    record = {
        "answers_after_exposure": 2,
        "passages": ["doc-a-p1", "doc-b-p0"],
        "answers": [
            {"passage": p, "reviewer": ben, "what": "changed", "at": "x", "shown_at": SHOWN}
            for p in ("doc-a-p1", "doc-b-p0")
        ],
    }
    review = dict(loaded.manifest.get("review") or {})
    review["mode"] = {**(review.get("mode") or {}), "adjudication_exposure": record}
    loaded.manifest = {**loaded.manifest, "review": review}
    loaded.agreement = dict(loaded.agreement or {})
    if not agreement_key:  # as an export made before 2026-12-06 wrote it
        loaded.agreement.pop("answers_after_adjudication")
    return loaded


def _text(n: dict[str, Any]) -> str:
    return " ".join(to_markdown(n).split())


def test_the_agreement_section_counts_blind_answers_and_says_so(corpus: Path) -> None:
    plain = compute(load_corpus(corpus))
    assert plain["answers_after_adjudication"] is None and plain["raw_agreement_blind"] is None
    assert "Not every answer above was blind" not in _text(plain)

    n = compute(_with_record(corpus))
    assert n["raw_agreement"]["multi_reviewed"] == 2  # every answer as it is now
    left = n["answers_after_adjudication"]
    assert left["answers"] == 2 and left["passages"] == ["doc-a-p1", "doc-b-p0"]
    assert left["passages_without_two_blind_answers"] == ["doc-b-p0"]
    # blind: doc-a-p1 keeps users 1 and 3 (both violent_threat only); doc-b-p0 one answer
    assert n["raw_agreement_blind"]["multi_reviewed"] == 1
    assert n["raw_agreement_blind"]["unanimous_categories"] == 1
    text = _text(n)
    section = text[text.index("## Agreement and gold") :]
    assert (
        "Not every answer above was blind: 2 answers made or changed after the adjudication "
        "project showed their passage's answers (not blind: doc-a-p1, doc-b-p0) are left out "
        "of the agreement figures below (`agreement.json`); 1 passage no longer has two "
        "blind answers and is out of them. Those passages were disputed when adjudication "
        "showed them, so the figures leave disagreements out and likely read higher than "
        "the round's blind agreement. Counting only blind answers: passages with two or "
        "more reviewers: 1; of those with the same categories from every reviewer: 1."
    ) in section
    # the span figures are of blind answers too: user 2's span on doc-a-p1 is out
    assert n["span_agreement"] != plain["span_agreement"]


def test_an_agreement_json_from_before_is_said_to_count_them(corpus: Path) -> None:
    text = _text(compute(_with_record(corpus, agreement_key=False)))
    assert (
        "Not every answer above was blind: 2 answers (doc-a-p1, doc-b-p0) were made or "
        "changed after the adjudication project showed the passage's answers "
        "(`manifest.json` `review.mode`). This export's `agreement.json` was written before "
        "such answers were left out, so its figures below count them: export again for "
        "figures of blind answers only."
    ) in text


def test_without_agreement_json_the_counts_still_leave_them_out(corpus: Path) -> None:
    loaded = _with_record(corpus)
    loaded.agreement = None
    text = _text(compute(loaded))
    assert "(not blind: doc-a-p1, doc-b-p0) are left out of these counts; 1 passage" in text
    assert "Counting only blind answers: passages with two or more reviewers: 1;" in text
    assert "No `agreement.json` in this export" in text
