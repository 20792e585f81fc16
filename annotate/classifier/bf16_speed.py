"""Whether bf16 matmuls run clearly faster than fp32 on this CPU: measured, not read
from the flags, once per machine and kept in the annotate cache.

CPU flags say whether bf16 is *native* (``avx512_bf16``, ``amx_bf16``:
:func:`annotate.classifier.device.cpu_has_bf16`), not whether it is *faster*. Measured
(benchmarks/README.md): on an Intel Xeon of the Sapphire Rapids family with
``avx512_bf16`` but no AMX, bf16 GEMMs ran at 0.59x the fp32 rate and ``prelabel()`` at
0.75x (run O); on an AMD Zen 4 with the same flag and no AMX bf16 GEMMs ran at 2.3x and
the default model 1.6-2.1x (run K); with AMX, ~7x and 2.3x (run N). So ``precision:
auto``, where a model's calibration does not decide, asks :func:`bf16_speed`: a
micro-benchmark of ``torch.matmul`` at the encoder's GEMM shapes in fp32 and bf16 (a
fraction of a second, at torch's configured thread count), whose rates are cached per
machine under :func:`annotate.settings.cache_dir` ``/bf16_speed/``, keyed by the CPU's
model name and flags, torch's version, the thread count and the instruction-set caps
(``ONEDNN_MAX_CPU_ISA``, torch's kernel ISA). bf16 is taken only where its rate is at
least :data:`BF16_MIN_SPEEDUP` times fp32's.

``ANNOTATE_BF16_FASTER`` (:data:`BF16_FASTER_ENV`) skips the measurement: ``1``/``yes``
takes native bf16 as faster (the rule before the measurement), ``0``/``no`` as slower;
``ANNOTATE_PRECISION=fp32|bf16`` still pins the precision outright.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import torch

from annotate._util.atomic import atomic_write_text
from annotate.classifier.device import cpu_flags, cpuinfo_field, onednn_isa_cap
from annotate.errors import AnnotateError, ModelError
from annotate.settings import BF16_FASTER_ENV, cache_dir

log = logging.getLogger(__name__)

# bf16's matmul rate must be at least this many times fp32's before `auto` takes it.
# Why 1.5: (1) bf16 moves scores (up to ~0.02, 0.2-0.3 % of label sets, run O), so it
# must buy a clear gain; (2) the GEMMs are about half of prelabel's time at fp32
# (run O: 0.59x matmul gave 0.75x end to end, i.e. a GEMM share of ~0.5), so 1.5x at the
# matmul is ~1.2x end to end, and 1.2x at the matmul would be only ~1.1x, within what a
# shared machine's load moves a short measurement (rounds of run N moved 8-40 %);
# (3) the CPUs measured sit far from it on either side: 0.59x (Sapphire Rapids without
# AMX) against 2.3x (Zen 4) and ~7x (AMX).
BF16_MIN_SPEEDUP = 1.5

# MiniLM-L6's GEMMs (hidden 384, intermediate 1536), rows of a batch of 16 passages of
# 32 tokens; a layer runs 4 (h, h), one (h, f) and one (f, h) GEMM
BENCH_ROWS = 512
BENCH_HIDDEN = 384
BENCH_INTER = 1536
BENCH_ROUNDS = 3  # timed rounds per precision, alternating, after one warm-up each
CACHE_VERSION = 1


@dataclass(frozen=True)
class Bf16Speed:
    """bf16 against fp32 matmuls on this CPU.

    ``fp32_gflops`` / ``bf16_gflops``: the measured rates in GFLOP per CPU second (best
    of :data:`BENCH_ROUNDS`), None when ``source`` is the environment override;
    ``threads``: torch's intra-op threads they ran on; ``source``: "measured" (now),
    "cache" (an earlier measurement on this machine) or :data:`BF16_FASTER_ENV`;
    ``forced``: the override's verdict (None: decided by the rates)."""

    fp32_gflops: float | None
    bf16_gflops: float | None
    threads: int
    source: str
    forced: bool | None = None

    @property
    def ratio(self) -> float | None:
        """bf16's rate over fp32's (None without a measurement)."""
        if self.fp32_gflops is None or self.bf16_gflops is None:
            return None
        return self.bf16_gflops / self.fp32_gflops

    @property
    def faster(self) -> bool:
        """Whether bf16 is clearly faster: ``ratio >= BF16_MIN_SPEEDUP`` (or the
        override's verdict)."""
        if self.forced is not None:
            return self.forced
        return self.ratio is not None and self.ratio >= BF16_MIN_SPEEDUP

    def said(self) -> str:
        """One phrase for a log line or a run record's ``why``."""
        if self.forced is not None:
            return f"{BF16_FASTER_ENV}={os.environ.get(BF16_FASTER_ENV, '')}"
        return (
            f"bf16 matmuls {self.ratio:.2f}x fp32 on this CPU "
            f"({self.bf16_gflops:.0f} against {self.fp32_gflops:.0f} GFLOP/s, "
            f"{self.threads} thread{'s' if self.threads != 1 else ''}; "
            f"bf16 needs >= {BF16_MIN_SPEEDUP}x)"
        )

    def record(self) -> dict[str, Any]:
        """JSON-ready: rates (GFLOP/s, 1 decimal), ratio, threads and the threshold; with
        the override, ``forced`` instead. Not ``source``: a run that measured and one
        that read the cache record the same rates, so the same record."""
        out: dict[str, Any] = {"threads": self.threads}
        if self.forced is not None:
            out[BF16_FASTER_ENV] = self.forced
        else:
            out["fp32_gflops"] = round(float(self.fp32_gflops or 0), 1)
            out["bf16_gflops"] = round(float(self.bf16_gflops or 0), 1)
            out["ratio"] = round(float(self.ratio or 0), 3)
            out["min_speedup"] = BF16_MIN_SPEEDUP
        return out


def cpu_model_name() -> str:
    """The CPU's ``model name`` from /proc/cpuinfo (empty when unreadable)."""
    return cpuinfo_field("model name")


def machine_key(threads: int | None = None) -> dict[str, Any]:
    """What a cached measurement is valid for: CPU model name, a SHA-256 of its sorted
    flags, torch's version and kernel ISA, ``ONEDNN_MAX_CPU_ISA`` and the thread count
    (``threads``; None: torch's current one)."""
    flags = " ".join(sorted(cpu_flags()))
    return {
        "cpu": cpu_model_name(),
        "flags_sha256": hashlib.sha256(flags.encode()).hexdigest(),
        "torch": torch.__version__,
        "isa": torch.backends.cpu.get_cpu_capability(),
        "onednn_max_isa": onednn_isa_cap(),
        "threads": int(threads if threads is not None else torch.get_num_threads()),
    }


def cache_path(key: dict[str, Any]) -> Path:
    """The cache file of ``key`` (:func:`machine_key`): one small JSON file per key, so
    two machines or thread counts sharing a cache folder never overwrite each other."""
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
    return cache_dir() / "bf16_speed" / f"{digest}.json"


def measure_rates(threads: int) -> tuple[float, float]:
    """(fp32, bf16) GFLOP/s of ``torch.matmul`` at MiniLM-L6's GEMM shapes
    (:data:`BENCH_ROWS` rows; (h, h), (h, f), (f, h) weighted 4:1:1 as in a layer), per
    second of process CPU time (as benchmarks/bench_roofline.py measures the roofline:
    wall clock on a loaded machine counts the time other processes hold the cores, and
    moved the ratio between 0.38 and 0.71 on a CPU whose CPU-time ratio is 0.56-0.60),
    best of :data:`BENCH_ROUNDS` rounds alternating between the precisions; each shape
    runs once a round and its time counts as often as a layer runs it. ``threads``: the torch
    thread count it runs at (the caller's). 1.4 GFLOP a round: about 0.1 s on one idle
    thread of a Xeon (130 GFLOP/s fp32), a few tenths under load."""
    shapes = [
        (BENCH_ROWS, BENCH_HIDDEN, BENCH_HIDDEN, 4),
        (BENCH_ROWS, BENCH_HIDDEN, BENCH_INTER, 1),
        (BENCH_ROWS, BENCH_INTER, BENCH_HIDDEN, 1),
    ]
    flop = sum(2.0 * m * k * n * w for m, k, n, w in shapes)
    gen = torch.Generator().manual_seed(0)
    operands = {
        dtype: [
            (torch.randn(m, k, generator=gen).to(dtype), torch.randn(k, n, generator=gen).to(dtype))
            for m, k, n, _ in shapes
        ]
        for dtype in (torch.float32, torch.bfloat16)
    }

    def one_pass(dtype: torch.dtype) -> float:
        """Seconds of a layer's GEMMs: each shape timed once, weighted by its count."""
        total = 0.0
        with torch.inference_mode():
            for (a, b), (_, _, _, w) in zip(operands[dtype], shapes, strict=True):
                t0 = time.process_time()
                torch.matmul(a, b)
                total += w * (time.process_time() - t0)
        return total

    before = torch.get_num_threads()
    if before != threads:
        torch.set_num_threads(threads)
    try:
        best = {torch.float32: math.inf, torch.bfloat16: math.inf}
        for dtype in best:
            one_pass(dtype)  # warm: oneDNN/MKL pick and build their kernels
        for r in range(BENCH_ROUNDS):
            for dtype in list(best) if r % 2 == 0 else list(best)[::-1]:
                best[dtype] = min(best[dtype], one_pass(dtype))
    finally:
        if before != threads:
            torch.set_num_threads(before)
    return flop / best[torch.float32] / 1e9, flop / best[torch.bfloat16] / 1e9


def _read_cache(path: Path, key: dict[str, Any]) -> tuple[float, float] | None:
    """The cached (fp32, bf16) rates at ``path`` for ``key``; None when absent, and
    None with a warning when unreadable or not a measurement for ``key``."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rates = (float(data["fp32_gflops"]), float(data["bf16_gflops"]))
        if data.get("version") != CACHE_VERSION or data.get("key") != key:
            raise ValueError("written for another machine key or cache version")
        if not all(math.isfinite(r) and r > 0 for r in rates):
            raise ValueError(f"rates {rates} are not positive numbers")
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("ignoring the bf16 speed cache %s (%s): measuring again", path, exc)
        return None
    return rates


def _write_cache(path: Path, key: dict[str, Any], rates: tuple[float, float]) -> None:
    body = {
        "version": CACHE_VERSION,
        "key": key,
        "fp32_gflops": rates[0],
        "bf16_gflops": rates[1],
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "shapes": f"{BENCH_ROWS} rows x {BENCH_HIDDEN}/{BENCH_INTER}",
    }
    try:
        atomic_write_text(path, json.dumps(body, indent=1) + "\n")
    # a read-only cache (or a file where its folder would be) costs a measurement per
    # process, no more
    except (OSError, AnnotateError) as exc:
        log.warning("could not keep the bf16 speed measurement in %s (%s)", path, exc)


def _forced() -> bool | None:
    raw = os.environ.get(BF16_FASTER_ENV, "").strip().lower()
    if not raw:
        return None
    if raw in ("1", "yes", "true", "on"):
        return True
    if raw in ("0", "no", "false", "off"):
        return False
    raise ModelError(
        f"{BF16_FASTER_ENV}={os.environ[BF16_FASTER_ENV]!r} is not understood; "
        "expected 1 or 0 (yes/no).",
        fix=f"set {BF16_FASTER_ENV}=1 (take native bf16 as faster), =0 (as slower), "
        "or unset it to measure.",
    )


def bf16_speed(threads: int | None = None) -> Bf16Speed:
    """bf16 against fp32 on this CPU at ``threads`` torch threads (None: torch's
    current count): from :data:`BF16_FASTER_ENV` when set, else the cached measurement
    for this machine (:func:`machine_key`), else measured now (:func:`measure_rates`)
    and cached. Call it only where bf16 is native (``cpu_has_bf16()``): emulated bf16 is
    never a candidate, and not worth timing. Logs the rates at INFO when it measures.
    Raises ModelError when :data:`BF16_FASTER_ENV` holds something other than 1/0."""
    n = int(threads if threads is not None else torch.get_num_threads())
    forced = _forced()
    if forced is not None:
        return Bf16Speed(None, None, n, BF16_FASTER_ENV, forced)
    key = machine_key(n)
    path = cache_path(key)
    cached = _read_cache(path, key)
    if cached is not None:
        speed = Bf16Speed(cached[0], cached[1], n, "cache")
        log.debug("%s (measured earlier, kept in %s)", speed.said(), path)
        return speed
    t0 = time.perf_counter()
    rates = measure_rates(n)
    speed = Bf16Speed(rates[0], rates[1], n, "measured")
    log.info(
        "%s; measured in %.2f s, kept in %s (delete it to measure again)",
        speed.said(),
        time.perf_counter() - t0,
        path,
    )
    _write_cache(path, key, rates)
    return speed
