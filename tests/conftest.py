"""Shared fixtures. Tests never reach a model hub; user paths point at a tmp dir."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LABELS = ROOT / "labels.yaml"


@pytest.fixture(autouse=True)
def _isolated_user_paths(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep caches and settings of a test run out of the user's home."""
    home = tmp_path_factory.getbasetemp() / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HF_DATASETS_CACHE", str(home / "hf-datasets"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("ANNOTATE_LABELS", str(ROOT / "labels.yaml"))


@functools.cache
def project_taxonomy():
    """The project's labels.yaml, loaded once for the whole run: the one way tests get
    the taxonomy (the ``taxonomy`` fixture, or this at module level)."""
    from annotate.taxonomy import load_taxonomy

    return load_taxonomy(LABELS)


@pytest.fixture(scope="session")
def taxonomy():
    return project_taxonomy()
