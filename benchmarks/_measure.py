"""How the benchmarks measure: wall time of a call, peak and sampled RSS of a process,
and the models and pipelines they time (one definition for every bench_*.py)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def timed(fn: Callable[[], Any], warm: Callable[[], Any] | None = None) -> tuple[float, Any]:
    """(seconds, result) of ``fn()`` (perf_counter), after one ``warm()`` call if given."""
    if warm is not None:
        warm()
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


@dataclass
class ProcessRun:
    """A finished process: wall seconds, exit status (wait4's), max RSS (MiB, from the
    kernel), VmRSS samples ``(seconds since start, MiB)``, whether it was stopped at the
    time limit, and the process object (for its stderr)."""

    seconds: float
    status: int
    max_rss_mib: float
    samples: list[tuple[float, float]] = field(default_factory=list)
    stopped: bool = False
    proc: subprocess.Popen | None = None


def run_sampling_rss(
    cmd: Sequence[str],
    *,
    interval: float,
    limit_s: float = 0.0,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> ProcessRun:
    """Run ``cmd`` (stdout discarded, stderr piped), sampling its VmRSS every
    ``interval`` seconds; ``limit_s`` > 0: terminate it once it has run that long."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd
    )
    samples: list[tuple[float, float]] = []
    stopped = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        try:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    samples.append((time.perf_counter() - t, int(line.split()[1]) / 1024))
        except OSError:
            pass
        if limit_s and time.perf_counter() - t > limit_s and not stopped:
            proc.terminate()
            stopped = True
        time.sleep(interval)
    secs = time.perf_counter() - t
    return ProcessRun(secs, status, usage.ru_maxrss / 1024, samples, stopped, proc)


@dataclass
class CliRun:
    """A finished `annotate` command run by :func:`run_annotate`: wall and CPU seconds
    (the command's own, its waited-for children included), peak RSS (MiB, its own VmHWM
    as ``_peak.py`` records it; None when it wrote none), and the process (exit code,
    output)."""

    wall_s: float
    cpu_s: float
    peak_rss_mib: float | None
    proc: subprocess.CompletedProcess[str]


def run_annotate(args: Sequence[str], work: Path, env: dict[str, str] | None = None) -> CliRun:
    """Run `annotate ARGS` in its own process through ``benchmarks/_peak.py`` (its own peak
    RSS), with compiled bytecode cached in ``work/pycache``, as an installed tool does:
    where $PYTHONDONTWRITEBYTECODE is set and the environment was installed without
    bytecode (uv's default), every run would otherwise compile the ~900 modules it
    imports from source, seconds that no user's install pays. ``env``: added to this
    process's environment (e.g. PYTHONPATH: another checkout's code)."""
    import sys
    import uuid

    peak = work / f"peak-{uuid.uuid4().hex[:8]}.txt"
    full_env = {
        **os.environ,
        **(env or {}),
        "PEAK_RSS_FILE": str(peak),
        "PYTHONPYCACHEPREFIX": str(work / "pycache"),
    }
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    t0 = time.perf_counter()
    cpu0 = os.times()
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("_peak.py")), *args],
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    cpu1 = os.times()
    cpu = cpu1.children_user + cpu1.children_system - cpu0.children_user - cpu0.children_system
    rss = int(peak.read_text()) / 1024 if peak.exists() else None
    peak.unlink(missing_ok=True)
    return CliRun(wall, cpu, rss, proc)


def build_seqcls_from(src: str, path: Path, labels: list[str]) -> Path:
    """An AutoModelForSequenceClassification = the encoder at ``src`` + a fresh head of
    ``labels`` (multi-label, seed 0: speed only), saved with its tokenizer to ``path``;
    kept when ``path`` already holds one."""
    if (path / "config.json").is_file():
        return path
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(0)
    model = AutoModelForSequenceClassification.from_pretrained(
        src,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={n: i for i, n in enumerate(labels)},
        problem_type="multi_label_classification",
    )
    model.save_pretrained(str(path))
    AutoTokenizer.from_pretrained(src).save_pretrained(str(path))
    return path


def text_pipeline(model_dir: Path) -> Any:
    """``transformers.pipeline("text-classification")`` on ``model_dir`` as the benchmarks
    time it: every label's sigmoid score, CPU, truncated at 256 tokens."""
    from transformers import pipeline

    return pipeline(
        "text-classification",
        model=str(model_dir),
        tokenizer=str(model_dir),
        top_k=None,
        function_to_apply="sigmoid",
        device=-1,
        truncation=True,
        max_length=256,
    )
