"""What may take an own-voice label away (rule ``quoted_blocks_by_content``) is a line
that reports someone else's words, stricter than what opens a candidate quotation: an
address to the reader or a noun alone opens the author's own words."""

from __future__ import annotations

import pytest

from annotate.classifier.quote_blocks import (
    block_ranges,
    ends_with_attribution,
    ends_with_reported_attribution,
    reported_attribution,
)


@pytest.mark.parametrize(
    "intro",
    [
        "According to a translation by the news agency, the commander says:",
        "The group's statement, posted on its channel on Sunday, reads:",
        "The monitoring group transcribes his words:",
        "The court transcript shows the defendant told the undercover officer:",
        "Witnesses filmed the crowd chanting:",
    ],
)
def test_a_line_reporting_someone_elses_words(intro: str) -> None:
    assert reported_attribution(intro)
    assert ends_with_reported_attribution("Fighting resumed on Monday. " + intro)


@pytest.mark.parametrize(
    "intro",
    [
        "Message to the traitors who run this town:",  # a noun alone: an address
        "A final statement for the cowards at the mosque on Elm Street:",
        "Read this carefully, all of you who voted for the new mayor:",  # an order
        "Tell the people who did this to my brother:",
        "Here is what I told them last night:",  # first person
        "Everyone who says otherwise, listen to what you will get:",  # second person
        "Posted by ironfist77 on 3 May:",  # a forum header
    ],
)
def test_an_address_or_the_authors_own_line_reports_nobody(intro: str) -> None:
    assert not reported_attribution(intro)
    text = intro + "\n\nWe will burn your houses with your children inside."
    assert block_ranges(text, reported_only=True) == ([], [])
    assert not ends_with_reported_attribution(intro)


def test_the_stricter_test_is_a_subset_of_the_candidate_one() -> None:
    # "Message to the traitors:" still opens a block (a candidate span; the line is
    # none), but the block is not flagged quoted for the span head and no label may be
    # taken away on its strength
    line = "Message to the traitors who run this town:"
    assert ends_with_attribution(line)
    assert not ends_with_reported_attribution(line)
