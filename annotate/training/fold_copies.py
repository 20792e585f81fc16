"""Training and validation rows of a cross-source fold that copy a held-out scored row.

A fold holds one public source out by its ``source`` name, but the same post can sit in
another source too (a Gab post quoted in implicit-hate, a HatemojiBuild test sentence in
Stormfront's validation split): the fold would then fit (or calibrate) on a passage its
held-out figures count. :func:`held_out_copies` finds such rows: the same text after
:func:`key` (case, white space, links, @mentions, a leading "RT" and punctuation
folded), or a near-copy of one (shingle Jaccard at least ``DEFAULT_NEAR_DUP_THRESHOLD``
on the keyed texts: the MinHash LSH search of
:func:`annotate.evaluation.near_copies.near_copy_pairs`, ingest's shingles and bands).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from annotate._util.folding import folded
from annotate.defaults import DEFAULT_NEAR_DUP_THRESHOLD

_LINK = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_RETWEET = re.compile(r"^\s*rt\b[: ]*")
_PUNCT = re.compile(r"[^\w\s]+")


def key(text: str) -> str:
    """``text`` folded (:func:`annotate._util.folding.folded`) without links, @mentions,
    a leading "rt" or punctuation; "" for a text with nothing else."""
    t = _RETWEET.sub(" ", _MENTION.sub(" ", _LINK.sub(" ", folded(text))))
    return folded(_PUNCT.sub(" ", t))


def held_out_copies(
    fit_texts: Sequence[str],
    scored_texts: Sequence[str],
    threshold: float = DEFAULT_NEAR_DUP_THRESHOLD,
) -> tuple[np.ndarray, np.ndarray]:
    """(exact, near): two (len(fit_texts),) bool masks. ``exact``: the fit text's
    :func:`key` is a scored text's (texts whose key is empty match nothing); ``near``:
    otherwise a near-copy of a scored text (Jaccard >= ``threshold`` on the keys).
    Raises InputError unless 0 < threshold < 1 (from the near-copy search)."""
    from annotate.evaluation.near_copies import near_copy_pairs

    fit_keys = [key(t) for t in fit_texts]
    scored_keys = [key(t) for t in scored_texts]
    held = {k for k in scored_keys if k}
    exact = np.array([bool(k) and k in held for k in fit_keys], dtype=bool)
    near = np.zeros(len(fit_keys), dtype=bool)
    rest = [i for i, k in enumerate(fit_keys) if k and not exact[i]]
    targets = [k for k in scored_keys if k]
    for a, _, _ in near_copy_pairs([fit_keys[i] for i in rest], targets, threshold):
        near[rest[a]] = True
    return exact, near
