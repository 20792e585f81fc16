"""What a command imports: a cheap command must not pay for the heavy libraries (each of
torch, transformers, datasets, scipy, scikit-learn, pandas costs about a second or more
to import here, and leads run these commands many times a day). Each command runs as
`annotate` does, in a fresh interpreter, and reports ``sys.modules`` when it ends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MODEL = ("torch", "transformers", "datasets", "sklearn")
HEAVY = (*MODEL, "scipy", "datasketch", "pandas", "matplotlib", "pyarrow", "duckdb")

RUN = """
import json, sys
from annotate.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
finally:
    with open(sys.argv[1], "w") as f:
        json.dump(sorted(sys.modules), f)
"""


def imported(tmp_path: Path, *argv: str, **env_: str) -> set[str]:
    """The top-level packages of HEAVY that `annotate ARGV` imported (run in tmp_path,
    with ``env_`` added to the environment)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    env.update(PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", ANNOTATE_HOME=str(tmp_path / ".h"))
    env.update(env_)
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", RUN, str(out), *argv],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    modules = json.loads(out.read_text())
    return {name for name in HEAVY if any(m.split(".")[0] == name for m in modules)}


def _docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("The council met on Tuesday about the new bus routes.\n")
    (folder / "b.txt").write_text("A storm knocked out power to thousands of homes.\n")
    return folder


@pytest.mark.parametrize(
    "argv",
    [("--help",), ("export", "--help"), ("studio", "status"), ("taxonomy", "check")],
)
def test_a_cheap_command_imports_no_heavy_library(tmp_path: Path, argv: tuple[str, ...]) -> None:
    assert imported(tmp_path, *argv) == set()


def test_ingest_without_a_near_duplicate_search_imports_no_scipy(tmp_path: Path) -> None:
    """datasketch imports scipy.integrate (~1 s): only a search over two documents or
    more imports it, never a model library."""
    docs = _docs(tmp_path)
    one = imported(tmp_path, "ingest", str(docs / "a.txt"), "-o", "one.jsonl", "-q")
    off = imported(tmp_path, "ingest", str(docs), "-o", "off.jsonl", "-q", "--no-near-dups")
    both = imported(tmp_path, "ingest", str(docs), "-o", "both.jsonl", "-q")
    assert (tmp_path / "one.jsonl").is_file() and (tmp_path / "off.jsonl").is_file()
    assert one.isdisjoint({*MODEL, "scipy", "datasketch"}), one
    assert off.isdisjoint({*MODEL, "scipy", "datasketch"}), off
    assert {"scipy", "datasketch"} <= both and both.isdisjoint(MODEL), both  # the search ran


def test_ingest_without_a_near_duplicate_search_imports_no_pandas(tmp_path: Path) -> None:
    """Ingest's scratch database takes its chunks as NumPy columns: an Arrow table built
    from Python objects imported pandas (0.5-1 s) through pyarrow. (With the search, the
    passages staged in Parquet until their groups are known still import it.)"""
    docs = _docs(tmp_path)
    off = imported(tmp_path, "ingest", str(docs), "-o", "off.jsonl", "-q", "--no-near-dups")
    assert len((tmp_path / "off.jsonl").read_text().splitlines()) == 2
    assert off.isdisjoint({*MODEL, "scipy", "datasketch", "pandas"}), off


@pytest.mark.parametrize(
    "argv",
    [
        ("review", "status", "--project", "P"),
        ("review", "reassign", "--project", "P", "--from", "a@example.org", "--to", "b@x.org"),
        ("adjudicate", "--project", "P"),
    ],
)
def test_a_review_command_imports_neither_the_exporter_nor_ingest_nor_duckdb(
    tmp_path: Path, argv: tuple[str, ...]
) -> None:
    """`review status` needed the pseudonym salt (it imported the exporter for it) and the
    corpus rows (which imported the ingestion package: pyarrow, numpy, pandas through
    pyarrow, DuckDB). The review commands import push for its project helpers; DuckDB is
    imported when a push stages. Run against a port where nothing answers: each fails
    after its imports."""
    url = {"LABEL_STUDIO_URL": "http://127.0.0.1:9", "LABEL_STUDIO_API_KEY": "x"}
    found = imported(tmp_path, *argv, **url)
    assert found.isdisjoint({*MODEL, "scipy", "datasketch", "pandas", "pyarrow", "duckdb"}), found


def test_ingest_into_jsonl_imports_no_pandas(tmp_path: Path) -> None:
    """pyarrow imports pandas (~0.3 s) on its first conversion of Python rows (it looks for
    pandas objects among them): ingest staged its passages for the near-duplicate groups
    that way, so even a one-file ingest into JSONL imported pandas, which nothing on
    that path uses."""
    docs = _docs(tmp_path)
    table = tmp_path / "posts.jsonl"
    table.write_text('{"id": "1", "text": "A first post."}\n{"id": "2", "text": "Another."}\n')
    for name, argv in {
        "one .txt": (str(docs / "a.txt"), "-o", "txt.jsonl"),
        "one .jsonl": (str(table), "-o", "table.jsonl"),
        "a folder": (str(docs), "-o", "folder.jsonl"),
    }.items():
        found = imported(tmp_path, "ingest", *argv, "-q")
        assert (tmp_path / argv[-1]).is_file(), name
        assert "pandas" not in found, (name, found)


def test_prelabel_imports_no_label_studio_sdk() -> None:
    """Pre-labelling needs no Label Studio: a GPU or Ray worker that has only the model's
    libraries must run it (the review view's hiding rule is shared, its client is not)."""
    code = (
        "import sys, annotate.prelabeling, annotate.prelabeling_ray, annotate.cli.prelabel; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'label_studio_sdk', 'duckdb'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert out.stdout.strip() == "[]", out.stdout
