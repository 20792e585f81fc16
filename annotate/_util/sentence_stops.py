"""Sentence-final punctuation of scripts whose full stop is not ``.``: CJK (``。！？``,
halfwidth ``｡``), Devanagari and other Indic scripts (danda ``।``, double danda ``॥``),
Arabic (question mark ``؟``), Urdu (full stop ``۔``), Armenian (``։``), Ethiopic (``።``,
``፧``) and Myanmar (``။``). Ingest's passage splitting and the classifier's sentence
ranges end a sentence after them (CJK text needs no space after one)."""

from __future__ import annotations

# ends a sentence with nothing after it but the next sentence's first character
CJK_STOPS = "。！？｡"
# ends a sentence before white space (the scripts that separate words with spaces)
SPACED_STOPS = "।॥؟۔։።፧။"
OTHER_STOPS = CJK_STOPS + SPACED_STOPS
# closing marks a CJK sentence end may carry: corner brackets, fullwidth brackets
CJK_CLOSING = "」』）】〕〉》"
