"""The package states its licence as a PEP 639 SPDX expression (``license =
"Apache-2.0"``): the TOML-table form (``{ text = ... }``) made every build warn that it is
deprecated, and setuptools refuses it from 2027-02-18. The build backend that reads the
string form is required (setuptools 77.0.3)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def test_the_built_metadata_states_the_licence_without_a_deprecation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from setuptools import build_meta

    monkeypatch.chdir(ROOT)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        info = build_meta.prepare_metadata_for_build_wheel(str(tmp_path))
    said = [str(w.message) for w in caught if "licen" in str(w.message).lower()]
    assert said == []
    metadata = (tmp_path / info / "METADATA").read_text(encoding="utf-8")
    assert "License-Expression: Apache-2.0" in metadata.partition("\n\n")[0]


def test_the_build_requires_a_setuptools_that_reads_it() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["license"] == "Apache-2.0"
    (setuptools,) = [
        r for r in map(Requirement, meta["build-system"]["requires"]) if r.name == "setuptools"
    ]
    assert not setuptools.specifier.contains("77.0.2")
    assert setuptools.specifier.contains(Version("77.0.3"))
