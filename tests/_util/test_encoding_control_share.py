"""The encoding guess (``_guess``) and the fallback check (``fallback_problem``) call a
file binary by one measure, :func:`annotate._util.encoding._control_share`: the guess
counted the control bytes inline, a second copy of the same rule that could drift."""

from __future__ import annotations

import pytest

from annotate._util import encoding


def test_the_guess_measures_control_bytes_with_the_shared_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = b"The council said the market would open again on Monday.\n"
    assert encoding._guess(text)[1] is None  # text: a guess, not "binary"
    monkeypatch.setattr(encoding, "_control_share", lambda raw: 20 / len(raw))
    guess, not_text = encoding._guess(text)
    assert guess is None
    assert not_text == f"20 of its first {len(text)} bytes are NUL or other control bytes"


def test_the_guess_still_counts_the_control_bytes_it_found() -> None:
    raw = b"\x01\x02\x03" * 30 + b"plain words here and there " * 3
    guess, not_text = encoding._guess(raw)
    assert guess is None
    assert not_text == f"90 of its first {len(raw)} bytes are NUL or other control bytes"
