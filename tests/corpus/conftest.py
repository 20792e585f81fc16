"""Exports made here keep what they make beside the corpus (the pseudonym salt, the
passage id key and its map of ``export --redact``) in a temporary ANNOTATE_HOME, never in
the checkout's ``.annotate``."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.settings import HOME_ENV


@pytest.fixture(autouse=True)
def _annotate_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "annotate-home"))
