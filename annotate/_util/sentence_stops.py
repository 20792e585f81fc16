"""Sentence-final punctuation of scripts whose full stop is not ``.``: CJK (``。！？``,
halfwidth ``｡``, fullwidth ``．``; a full stop between two digits ends none),
Devanagari and other Indic scripts (danda ``।``, double danda ``॥``), Arabic (question
mark ``؟``), Urdu (full stop ``۔``), Armenian (``։``), Ethiopic (``።``, ``፧``) and
Myanmar (``။``). Ingest's passage splitting and the classifier's sentence
ranges end a sentence after them (CJK text needs no space after one)."""

from __future__ import annotations

# ends a sentence with nothing after it but the next sentence's first character; the
# fullwidth full stop ``．`` (U+FF0E) too, as fullwidth Latin text ends its sentences
CJK_STOPS = "。！？｡．"
# the full stops among them, which a CJK input method may give for a decimal point or a
# version's ("3。5", "３．５"): between two digits they end no sentence
CJK_FULL_STOPS = "。｡．"
# ends a sentence before white space (the scripts that separate words with spaces)
SPACED_STOPS = "।॥؟۔։።፧။"
OTHER_STOPS = CJK_STOPS + SPACED_STOPS
# closing marks a CJK sentence end may carry: corner brackets, fullwidth brackets
CJK_CLOSING = "」』）】〕〉》"
