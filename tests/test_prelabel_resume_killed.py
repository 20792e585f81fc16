"""A pre-label killed mid-run (SIGKILL, SIGINT: SIGTERM takes its path) resumes: the
same command again scores only what is left, and writes what an uninterrupted run writes.

Real processes, real signals and the default model on the project's own passages
(data/project/context.jsonl: documents of several passages, which the model reads with
their neighbours). Windows of 8 passages (set in the child before the CLI runs) so that a
run of 120 passages writes 15 parts and is killed with some of them done."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from annotate.classifier import DEFAULT_MODEL_DIR
from annotate.prelabel_parts import STATE_FILE, parts_folder

ROOT = Path(__file__).resolve().parent.parent
PASSAGES = 120
WINDOW = 8

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(), reason="models/default is not built"
)

# the CLI in a child process, its windows of WINDOW passages
DRIVER = (
    "import sys\n"
    "from annotate import prelabeling\n"
    f"prelabeling.prelabel.__kwdefaults__['chunk_size'] = {WINDOW}\n"
    "from annotate.cli import main\n"
    "main(sys.argv[1:])\n"
)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    env["ANNOTATE_PROGRESS_INTERVAL"] = "0.2"  # progress lines in the (piped) stderr
    return env


def _cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, "prelabel", *args, "--threads", "1"],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    proc = _cli(*args)
    out, err = proc.communicate(timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture(scope="module")
def passages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first PASSAGES passages of data/project/context.jsonl as a passages table
    (documents whole and in order, as ingest writes them)."""
    rows = []
    with (ROOT / "data/project/context.jsonl").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            raw = json.loads(line)
            rows.append(
                {
                    "id": f"c-{n:04d}",
                    "doc_id": raw["doc_id"],
                    "passage_index": raw["passage_index"],
                    "title": raw.get("title"),
                    "text": raw["text"],
                }
            )
    rows = rows[:PASSAGES]
    first = {r["doc_id"]: n for n, r in reversed(list(enumerate(rows)))}
    rows.sort(key=lambda r: (first[r["doc_id"]], r["passage_index"]))
    path = tmp_path_factory.mktemp("resume") / "passages.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def clean(passages: Path) -> dict[str, Path]:
    """Uninterrupted runs' outputs, one per format."""
    outs = {}
    for suffix in (".parquet", ".jsonl"):
        out = passages.with_name(f"clean{suffix}")
        done = _run(str(passages), "--out", str(out), "-q")
        assert done.returncode == 0, done.stderr
        outs[suffix] = out
    return outs


def _parts_done(out: Path) -> int:
    try:
        state = json.loads((parts_folder(out) / STATE_FILE).read_text())
    except (OSError, ValueError):
        return 0
    return sum(p["rows"] for p in state["parts"])


def _kill_after_parts(out: Path, args: list[str], sig: int, parts: int = 3) -> tuple[int, str]:
    """Start the CLI, send ``sig`` once ``parts`` windows are kept; (exit code, stderr)."""
    proc = _cli(*args)
    deadline = time.monotonic() + 300
    while _parts_done(out) < parts * WINDOW:
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, "no part written in 300 s"
        time.sleep(0.05)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


def _same_output(got: Path, want: Path) -> None:
    if got.suffix == ".jsonl":
        assert got.read_bytes() == want.read_bytes()
    else:
        assert pq.read_table(got).equals(pq.read_table(want))
        assert pq.ParquetFile(got).metadata.num_row_groups == (
            pq.ParquetFile(want).metadata.num_row_groups
        )


@pytest.mark.parametrize(
    ("sig", "suffix"),
    [(signal.SIGKILL, ".parquet"), (signal.SIGINT, ".jsonl")],
    ids=["sigkill-parquet", "sigint-jsonl"],
)
def test_a_killed_run_resumes_and_writes_what_an_uninterrupted_run_writes(
    passages: Path, clean: dict[str, Path], tmp_path: Path, sig: int, suffix: str
) -> None:
    out = tmp_path / f"pre{suffix}"
    code, err = _kill_after_parts(out, [str(passages), "--out", str(out)], sig)
    done = _parts_done(out)
    assert not out.exists() and 3 * WINDOW <= done < PASSAGES
    if sig == signal.SIGKILL:
        assert code == -signal.SIGKILL
    else:  # the CLI's interruption message says what a re-run does
        assert code == 128 + sig, err
        assert f"kept in {parts_folder(out)}" in err and "it resumes" in err, err
    again = _run(str(passages), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert f"resuming: {done} of {PASSAGES} passages already pre-labelled" in again.stderr
    # the progress lines count on from the passages done before
    counts = [
        int(line.split()[1].replace(",", ""))
        for line in again.stderr.splitlines()
        if line.startswith("prelabel: ") and " / " in line
    ]
    assert all(n >= done for n in counts), again.stderr
    assert f"{PASSAGES} passages pre-labelled" in again.stderr
    _same_output(out, clean[suffix])
    assert not parts_folder(out).exists()


def test_other_settings_discard_the_parts_with_a_warning(
    passages: Path, clean: dict[str, Path], tmp_path: Path
) -> None:
    """Parts scored at another precision (ANNOTATE_PRECISION) are not mixed in."""
    out = tmp_path / "pre.parquet"
    _kill_after_parts(out, [str(passages), "--out", str(out)], signal.SIGKILL, parts=2)
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, "prelabel", str(passages), "--out", str(out), "-q"],
        cwd=ROOT,
        env={**_env(), "ANNOTATE_PRECISION": "fp32"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "discarding the" in proc.stderr and "ANNOTATE_PRECISION" in proc.stderr
    assert "resuming" not in proc.stderr
    # fp32 is what auto runs at on this machine: the same rows and scores; the run record
    # says what was asked (precision_choice), so it alone differs
    got, want = pq.read_table(out), pq.read_table(clean[".parquet"])
    assert got.drop(["prelabel_run"]).equals(want.drop(["prelabel_run"]))
    record = json.loads(got.column("prelabel_run")[0].as_py())
    assert record["precision_choice"]["asked"] == "fp32", record
