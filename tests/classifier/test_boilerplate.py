"""Page furniture standing alone gets no context label (annotate.classifier.boilerplate)."""

from __future__ import annotations

import pytest

from annotate.classifier.boilerplate import furniture_labels, is_page_furniture

FURNITURE = [
    "By Halvard Osei-Brandt",
    "– by Margit Lunde and Sami Haddad",
    "By Inés Carvalho, Chief Political Correspondent",
    "Additional reporting by Oona Fitzgerald; Editing by Piet van Houten",
    "OSTRAVEN (Lowland Press Agency) -",
    "BRELLING, 3 October -",
    "Corvain, 22 July 2025 (Northern Newswire) -",
    "Last updated 18:20 CET, 4 June 2025",
    "Posted on 12/03/2024 at 09:15",
    "Photograph: Dana Kowalczyk/Harbour Images",
    "Sport | Football | Live",
    "Related: inside the court case that split a village",
    "Continue reading below",
    "Sign up to our weekly newsletter",
    "© 2025 Eastmoor Gazette. All rights reserved.",
]
NOT_FURNITURE = [
    "By Friday every one of them will be gone, one way or another.",
    "By God I will make them pay for this with their blood.",
    "By the time police arrived, the crowd had dispersed.",
    "Gunfire was heard near the harbour on Tuesday night, residents said.",
    "Updated figures show that three people were killed in the blast and twelve injured.",
    "We will burn the depot down tonight.",
    "Read the manifesto and then do your part for the cause; the time for talk is over, "
    "the time for rifles has come and every patriot knows what that means by now.",
    "",
]


@pytest.mark.parametrize("text", FURNITURE)
def test_page_furniture(text: str) -> None:
    assert is_page_furniture(text)


@pytest.mark.parametrize("text", NOT_FURNITURE)
def test_not_page_furniture(text: str) -> None:
    assert not is_page_furniture(text)


def test_furniture_labels_drop_context_only() -> None:
    ctx = ["news_reporting", "counter_speech"]
    got = furniture_labels(
        [["news_reporting"], ["news_reporting", "violent_threat"], ["news_reporting"]],
        ["By Halvard Osei-Brandt", "By Allah", "Police said two men were arrested."],
        ctx,
        "none",
    )
    assert got == [["none"], ["violent_threat"], ["news_reporting"]]
