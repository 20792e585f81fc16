"""A forum or comment header naming the poster ("Posted by ironfist77:") is page
furniture, not a reporter's attribution: the post after it is its author's own voice and
must not become a quoted block (which makes the passage news reporting with a quoted
span). Found in a team lead's trial: every forum threat of a batch with such headers was
read as news."""

from __future__ import annotations

import pytest

from annotate.classifier.quote_blocks import quote_blocks, with_quote_blocks
from tests.conftest import ROOT

POST = "Tomorrow at the rally I am bringing a knife and nobody there will walk away."


@pytest.mark.parametrize(
    "header",
    [
        "Posted by ironfist77:",
        "posted by ironfist77 on 12 March 2026:",
        "Reply from grimreefer on 3 May:",
        "Comment by @user_1 at 10:02:",
        "Originally posted by k.lee:",
        "Re: Posted by night-owl at 22:15 on Friday:",
        "Submitted by a_user:",
    ],
)
def test_a_poster_header_opens_no_quoted_block(header: str) -> None:
    text = f"{header}\n{POST}"
    assert quote_blocks(text) == []
    segs, attributed = with_quote_blocks(text, [(len(header) + 1, len(text), False)])
    assert not attributed and segs == [(len(header) + 1, len(text), False)]


@pytest.mark.parametrize(
    "intro",
    [
        "In the recording, the commander says:",
        "The statement posted by the group on Sunday reads:",
        "The message was posted by the group's channel at 10:30:",
        "A spokesman for the movement posted the following message:",
    ],
)
def test_a_reporters_attribution_still_opens_one(intro: str) -> None:
    text = f"{intro}\n{POST}"
    found = quote_blocks(text)
    assert len(found) == 1
    (_, block) = found[0]
    assert text[block[0] : block[1]] == POST


def test_the_default_model_does_not_read_a_forum_post_as_news() -> None:
    """End to end with the shipped model: a threat posted under a forum header is not
    news reporting with a quoted span (whether the threat itself is caught is the
    model's recall, measured elsewhere)."""
    from annotate.classifier import PassageInput, load_classifier
    from annotate.taxonomy import load_taxonomy

    clf = load_classifier(None, load_taxonomy(ROOT / "labels.yaml"))
    posts = [
        "Posted by ironfist77:\nTomorrow at the rally I am bringing my knife and the first "
        "journalist who points a camera at me gets it in the throat. Consider this your "
        "warning.",
        "Reply from grimreefer on 3 May:\nMate, get his home address and make him regret it. "
        "Smash every window he owns and let him freeze like you are.",
    ]
    preds = clf.predict([PassageInput(id=str(i), text=t) for i, t in enumerate(posts)])
    for p in preds:
        assert "news_reporting" not in p.labels
        assert not [s for s in p.spans if s.label == "quoted_propaganda"]
