"""The wheel: built from this checkout, installed (not editable) into a fresh venv, it
finds its default model and labels.yaml without the checkout and runs ingest + prelabel.

The fresh venv does not download the dependencies again (torch alone is GBs, and tests
stay offline): after the wheel is installed into it, a ``.pth`` file puts this
interpreter's site-packages *after* its own on ``sys.path``, as plain paths, so the
.pth files there (among them the editable install of the checkout) are not run. The
venv's own ``annotate`` is the wheel's, and the test checks that it is the one imported.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from annotate import settings
from annotate.classifier import load_classifier
from annotate.ingestion import ingest
from tests.conftest import project_taxonomy

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(
    ".git", ".venv", ".annotate", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
)


def _run(*cmd: str, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(cmd), capture_output=True, text=True, check=False, **kw)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src") / "annotate"
    shutil.copytree(ROOT, src, ignore=SKIP)
    out = tmp_path_factory.mktemp("dist")
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    _run(*pip_wheel, "--no-index", "-w", str(out), str(src), cwd=src)
    (found,) = out.glob("annotate-*.whl")
    return found


def test_wheel_ships_every_file_of_the_default_model_and_labels(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    model = settings.default_model_dir()
    expected = {
        f"annotate/resources/models/default/{p.relative_to(model).as_posix()}"
        for p in model.rglob("*")
        if p.is_file()
    }
    assert expected, "models/default is empty in this checkout"
    assert expected <= names
    assert "annotate/resources/labels.yaml" in names
    assert not any(n.startswith(("tests/", "models/", "data/")) for n in names)


@pytest.mark.slow
def test_installed_wheel_runs_ingest_and_prelabel_without_the_checkout(wheel: Path, tmp_path):
    # nothing of the checkout may be visible: no PYTHONPATH, no labels or home of the tests
    hidden = ("PYTHONPATH", settings.LABELS_ENV, settings.HOME_ENV, "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env.update(HF_HUB_OFFLINE="1", ANNOTATE_CACHE_DIR=str(tmp_path / "cache"))
    venv = tmp_path / "venv"
    py = str(venv / "bin" / "python")
    _run(sys.executable, "-m", "venv", "--without-pip", str(venv), env=env)
    # installed while the venv sees nothing else, so pip cannot touch another environment
    pip = [sys.executable, "-m", "pip", "--python", py, "install", "-q", "--no-deps"]
    _run(*pip, "--no-index", str(wheel), env=env)
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = _run(py, "-c", where, env=env).stdout
    deps = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib"), *site.getsitepackages()}
    (Path(purelib.strip()) / "zz_test_dependencies.pth").write_text("\n".join(sorted(deps)) + "\n")

    work = tmp_path / "work"
    docs = work / "docs"
    docs.mkdir(parents=True)
    for p in sorted((ROOT / "annotate" / "resources" / "sample_corpus").glob("0[12]_*.txt")):
        shutil.copy(p, docs / p.name)

    probe = (
        "import annotate.settings as s; "
        "print(s.__file__, s.in_checkout(), s.default_model_dir(), s.default_labels_path())"
    )
    file, in_checkout, model_dir, labels = _run(py, "-c", probe, cwd=work, env=env).stdout.split()
    assert in_checkout == "False"
    for found in (file, model_dir, labels):
        assert found.startswith(str(venv)), found

    cli = str(venv / "bin" / "annotate")
    _run(cli, "ingest", "docs", "--out", "passages.parquet", "-q", cwd=work, env=env)
    _run(cli, "prelabel", "passages.parquet", "--out", "prelabels.jsonl", "-q", cwd=work, env=env)

    ingest([docs], tmp_path / "here.jsonl")  # the checkout's ingest, for comparison
    here = [json.loads(line) for line in (tmp_path / "here.jsonl").read_text().splitlines()]
    rows = [json.loads(line) for line in (work / "prelabels.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [r["id"] for r in here]
    checkout_model = load_classifier(None, project_taxonomy())  # the checkout's default model
    assert {r["model_version"] for r in rows} == {checkout_model.version}
    assert set(rows[0]["scores"]) == set(checkout_model.labels)
