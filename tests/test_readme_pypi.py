"""The package's long description (PyPI's page) has no relative link (stop 58's note).

PyPI renders README.md alone: its links into docs/ (`[push](docs/push.md)`) and its
in-page anchors were broken there. setup.py gives the build README.md with each relative
link made absolute into ``[project.urls] Source``, or, without one (as now), plain text
naming the file, which the sdist carries."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RELATIVE = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:)[^)]*\)", re.I)


def _setup_module():
    spec = importlib.util.spec_from_file_location("annotate_setup", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # not as __main__: setup() is not run
    return module


def test_the_built_metadata_has_no_relative_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from setuptools import build_meta

    monkeypatch.chdir(ROOT)
    info = build_meta.prepare_metadata_for_build_wheel(str(tmp_path))
    metadata = (tmp_path / info / "METADATA").read_text(encoding="utf-8")
    description = metadata.partition("\n\n")[2]
    assert "annotate ingest" in description  # the README is there
    assert "Description-Content-Type: text/markdown" in metadata
    assert RELATIVE.findall(description) == []
    assert "push (`docs/push.md`)" in description  # the file a link went to is named


def test_links_point_into_the_source_when_it_is_declared() -> None:
    setup = _setup_module()
    text = (
        "See [push](docs/push.md), [docs/model.md](docs/model.md#a) and [below](#the-workflow);"
        " [x](https://example.org/y).\n```bash\n[k](docs/k.md)\n```\n"
    )
    got = setup.pypi_readme(text, "https://git.example.org/team/annotate/")
    base = "https://git.example.org/team/annotate/blob/main/"
    assert f"[push]({base}docs/push.md)" in got
    assert f"[docs/model.md]({base}docs/model.md#a)" in got
    assert f"[below]({base}README.md#the-workflow)" in got
    assert "[x](https://example.org/y)" in got and "[k](docs/k.md)" in got  # code kept
    plain = setup.pypi_readme(text, None)
    assert plain.startswith("See push (`docs/push.md`), docs/model.md and below;")
