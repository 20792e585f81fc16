"""annotate runs on Python 3.10 (pyproject's requires-python, README): no name of the
standard library that is new in 3.11 is used without a fallback. ``from datetime import
UTC`` made annotate.review (status, handover, offboard) fail to import on 3.10, and
``hashlib.file_digest`` every file digest (prelabel parts, verify, model identity)."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import pytest

from annotate._util.digest import sha256_file
from annotate._util.server_time import server_time

ROOT = Path(__file__).resolve().parents[2]
# names of the standard library that Python 3.10 lacks: module -> names
NEW_IN_311 = {"datetime": {"UTC"}}


def _uses(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in NEW_IN_311:
            found += [
                f"from {node.module} import {a.name} (line {node.lineno})"
                for a in node.names
                if a.name in NEW_IN_311[node.module]
            ]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.attr in NEW_IN_311.get(node.value.id, set())
        ):
            found.append(f"{node.value.id}.{node.attr} (line {node.lineno})")
    return found


def test_no_standard_library_name_new_in_python_311() -> None:
    bad = {}
    for folder in ("annotate", "tests", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            names = {n for names in NEW_IN_311.values() for n in names}
            if not any(n in text for n in names):
                continue  # most files: parsed only when they hold such a name at all
            uses = _uses(ast.parse(text))
            if uses:
                bad[str(path.relative_to(ROOT))] = uses
    assert not bad, f"Python 3.11+ only (use timezone.utc): {bad}"


def test_the_file_digest_without_hashlib_file_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "part.jsonl"
    path.write_bytes(b'{"id": "p1"}\n' * 1000)
    monkeypatch.delattr(hashlib, "file_digest", raising=False)  # as on Python 3.10
    assert sha256_file(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    counted: list[int] = []
    assert sha256_file(path, progress=counted.append, unit=4096) == sha256_file(path)
    assert sum(counted) == 4  # 13,000 bytes in chunks of 4,096


def test_server_times_with_any_fraction_of_a_second() -> None:
    """Python 3.10's fromisoformat reads a fraction of 3 or 6 digits only."""
    assert server_time("2026-12-03T10:00:00.5Z") == server_time("2026-12-03T10:00:00.500000Z")
    assert server_time("2026-12-03T10:00:00.1234567+01:00") == server_time(
        "2026-12-03T09:00:00.123456Z"
    )
    assert server_time("2026-12-03T10:00:00.25") is not None
