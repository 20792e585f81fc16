"""Where a model runs and at which precision: one rule for the encoder, the sequence
classifier, the fine-tuned model and training. Reads CPU flags, never assumes them.

Precision is part of a trained model: its heads are calibrated on the scores one
precision path produces (bf16 autocast or fp32), so :func:`resolve_precision` runs a
model at the precision it was trained with wherever the hardware runs that natively,
and logs a warning when it cannot (a bf16-calibrated model on an AVX2-only CPU runs
fp32: emulated bf16 is ~100x slower there).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import torch

log = logging.getLogger(__name__)

# oneDNN ISA caps (ONEDNN_MAX_CPU_ISA) under which oneDNN still runs bf16 natively
_ONEDNN_BF16_ISAS = ("AVX512_CORE_BF16", "AVX512_CORE_FP16", "AVX512_CORE_AMX", "AVX10", "ALL")


def cpu_flags() -> set[str]:
    """The CPU's feature flags from /proc/cpuinfo (empty when unreadable)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def cpuinfo_field(name: str) -> str:
    """The first ``name`` line's value in /proc/cpuinfo (e.g. "vendor_id", "model name");
    empty when unreadable or absent."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(name):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def cpu_vendor() -> str:
    """The CPU's ``vendor_id`` from /proc/cpuinfo ("GenuineIntel", "AuthenticAMD"; empty
    when unreadable)."""
    return cpuinfo_field("vendor_id")


def fp32_packing_pays() -> bool:
    """Whether fp32 linear layers run faster pre-packed for oneDNN
    (:mod:`annotate.classifier.packed_linear`, GELU fused) than as ``nn.Linear`` (MKL's
    SGEMM) on this CPU: an AMD CPU with AVX-512 that torch's kernels and oneDNN use
    (no ``ATEN_CPU_CAPABILITY``/``ONEDNN_MAX_CPU_ISA`` cap below it).

    A rule from measurements, not a guess (benchmarks/README.md, run K): on an AMD EPYC
    Zen 4 (avx512f, avx512_bf16, no AMX) the packed fp32 forward ran +14 % passages per
    CPU second (oneDNN's AVX-512 SGEMM against MKL's, which runs below it on AMD);
    on Intel AVX-512 Xeons it gained nothing beyond +-5 % (run H), and on an AVX2-only
    AMD EPYC Zen 3 it was no faster (run S: encoder 1.01x, ``prelabel()`` 0.89x, median
    of 5 interleaved rounds: MKL's AVX2 SGEMM is not behind oneDNN's there), so both
    keep ``nn.Linear``."""
    if cpu_vendor() != "AuthenticAMD" or "avx512f" not in cpu_flags():
        return False
    if not torch.backends.cpu.get_cpu_capability().upper().startswith("AVX512"):
        return False
    cap = onednn_isa_cap()
    return cap is None or cap in ("DEFAULT", "ALL") or cap.startswith(("AVX512", "AVX10"))


def onednn_isa_cap() -> str | None:
    """``ONEDNN_MAX_CPU_ISA`` (upper case) when set: the newest instruction set oneDNN,
    which runs torch's bf16 matmuls on CPU, may use."""
    cap = os.environ.get("ONEDNN_MAX_CPU_ISA") or os.environ.get("DNNL_MAX_CPU_ISA")
    return cap.strip().upper() if cap and cap.strip() else None


def cpu_has_bf16() -> bool:
    """True when the CPU executes bf16 matmuls natively (AVX512-BF16 or AMX-BF16) and
    oneDNN is not capped below them (``ONEDNN_MAX_CPU_ISA=AVX2`` makes bf16 emulated,
    hundreds of times slower than fp32)."""
    flags = cpu_flags()
    if not ({"avx512_bf16", "amx_bf16"} & flags):
        return False
    cap = onednn_isa_cap()
    return cap is None or cap == "DEFAULT" or cap.startswith(_ONEDNN_BF16_ISAS)


def pick_device(device: str | None = None) -> torch.device:
    """``device`` when given (e.g. "cpu", "cuda:1"), else CUDA when available, else CPU."""
    return torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))


def native_bf16(device: torch.device) -> bool:
    """Whether ``device`` runs bf16 matmuls natively (CPU flags read, CUDA asked)."""
    if device.type == "cuda":
        return bool(torch.cuda.is_bf16_supported())
    return device.type == "cpu" and cpu_has_bf16()


@dataclass(frozen=True)
class PrecisionChoice:
    """The precision a model runs at and why, for logs and prelabel's run record.

    ``precision``: "fp32" or "bf16"; ``asked``: the precision requested ("auto",
    "fp32", "bf16"); ``why``: one phrase; ``speed``: the bf16/fp32 matmul measurement
    behind an ``auto`` choice on a CPU
    (:meth:`annotate.classifier.bf16_speed.Bf16Speed.record`: GFLOP/s, ratio, threads,
    threshold), None where none decided it."""

    precision: str
    asked: str
    why: str
    speed: dict[str, Any] | None = field(default=None)

    def record(self) -> dict[str, Any]:
        """JSON-ready: ``asked``, ``chose``, ``why`` and ``speed`` when measured."""
        out: dict[str, Any] = {"asked": self.asked, "chose": self.precision, "why": self.why}
        if self.speed is not None:
            out["speed"] = self.speed
        return out


def auto_bf16(device: torch.device) -> tuple[bool, str, dict[str, Any] | None]:
    """Whether ``auto`` should take bf16 on ``device`` when no calibration decides:
    (take it, why, the measurement's record or None). A GPU: where it supports bf16.
    A CPU: only with native bf16 (:func:`cpu_has_bf16`; emulated bf16 is never timed)
    *and* bf16 matmuls measured at least
    :data:`annotate.classifier.bf16_speed.BF16_MIN_SPEEDUP` times fp32's here
    (:func:`annotate.classifier.bf16_speed.bf16_speed`, cached per machine)."""
    if device.type == "cuda":
        ok = bool(torch.cuda.is_bf16_supported())
        return ok, "the GPU supports bf16" if ok else "the GPU has no bf16", None
    if device.type != "cpu":
        return False, f"{device} is not a CPU or CUDA GPU", None
    if not cpu_has_bf16():
        return False, "this CPU has no native bf16", None
    from annotate.classifier.bf16_speed import bf16_speed

    speed = bf16_speed()
    return speed.faster, speed.said(), speed.record()


def bf16_worth_trying(requested: str, device: torch.device) -> bool:
    """Whether precision ``requested`` ("auto", "bf16", "fp32", ...) should try bf16 on
    ``device``: asked for bf16, or "auto" where :func:`auto_bf16` takes it (a GPU with
    bf16; a CPU with native bf16 measured clearly faster than fp32). The caller still
    checks bf16 against fp32 on a probe batch before using it."""
    if requested == "bf16":
        return True
    return requested == "auto" and auto_bf16(device)[0]


def trained_precision(config: Mapping[str, Any]) -> str | None:
    """The precision ("bf16", "fp32" or "onnx-int8") a model's heads were calibrated
    with ("openvino-bf16"/"openvino-fp32" count as bf16/fp32), read from its
    ``annotate_model.json`` content: top-level ``precision``,
    ``training.precision`` (when resolved, not "auto") or the fine-tuner's
    ``metrics.fit.autocast``; None when the model does not say."""
    training = config.get("training") or {}
    fit = (config.get("metrics") or {}).get("fit") or {}
    for value in (config.get("precision"), training.get("precision"), fit.get("autocast")):
        if isinstance(value, str):  # the OpenVINO engine computes the same precision
            value = value.removeprefix("openvino-")
        if value in ("bf16", "bfloat16"):
            return "bf16"
        if value in ("fp32", "float32"):
            return "fp32"
        if value == "onnx-int8":
            return "onnx-int8"
    return None


def resolve_precision(requested: str, trained: str | None, device: torch.device) -> str:
    """The precision ("fp32" or "bf16") to run a model at: :func:`choose_precision`'s."""
    return choose_precision(requested, trained, device).precision


def choose_precision(requested: str, trained: str | None, device: torch.device) -> PrecisionChoice:
    """The precision ("fp32" or "bf16") to run a model at, and why.

    ``requested``: "auto", "fp32" or "bf16" (``ANNOTATE_PRECISION`` is read by the
    callers); ``trained``: what the model's heads were calibrated with
    (:func:`trained_precision`), None when unknown. "auto" runs the trained precision
    when the device runs it natively, else fp32; with no record, bf16 only where
    :func:`auto_bf16` takes it (native and measured clearly faster than fp32).
    A run at another precision than the trained one is logged as a warning that says
    how far scores then move (bf16 against fp32: up to :data:`BF16_SCORE_TOLERANCE`)
    and what that does to labels. Raises ModelError for a malformed
    ``ANNOTATE_BF16_FASTER``."""
    speed: dict[str, Any] | None = None
    if requested in ("fp32", "bf16"):
        chosen = requested
        why = "asked for"
        if requested == "bf16" and not native_bf16(device):
            log.warning(
                "precision bf16 was asked for, but %s has no native bf16 "
                "(avx512_bf16 or amx_bf16): it is emulated, several times slower than fp32 "
                "(about 8x measured on an AVX2 CPU); leave ANNOTATE_PRECISION unset to run fp32",
                "this CPU" if device.type == "cpu" else device,
            )
    elif trained == "fp32":
        chosen, why = "fp32", "the model's heads were calibrated at fp32"
    elif trained == "bf16" and native_bf16(device):
        chosen, why = "bf16", "the model's heads were calibrated at bf16, native here"
    elif trained == "bf16":
        chosen, why = "fp32", "calibrated at bf16, but this device has no native bf16"
    else:
        take, why, speed = auto_bf16(device)
        chosen = "bf16" if take else "fp32"
    if trained is not None and chosen != trained:
        cause = (
            "this device has no native bf16"
            if trained == "bf16" and not native_bf16(device)
            else f"precision {requested} was asked for"
        )
        drift = (
            f"up to about {BF16_SCORE_TOLERANCE} (the bf16/fp32 difference measured on the "
            "default model)"
            if {trained, chosen} == {"bf16", "fp32"}
            else f"the difference between {trained} and {chosen}"
        )
        log.warning(
            "the model was calibrated at %s but runs at %s (%s): its scores differ from the "
            "calibrated ones by %s, so a passage scored that close to a threshold may get "
            "other labels or evidence spans than at %s",
            trained,
            chosen,
            cause,
            drift,
            trained,
        )
    return PrecisionChoice(chosen, requested, why, speed)


# Stated tolerance of the bf16 path: calibrated scores (probabilities) of a model run
# with bf16 autocast differ from its fp32 scores by at most this much on the project's
# passages (tests/classifier/test_precision_tolerance.py checks it with the default model).
BF16_SCORE_TOLERANCE = 0.02


def compute_identity(device: torch.device | str | None, precision: str | None) -> dict[str, Any]:
    """What decides a model's float noise besides the model and its settings, as JSON-ready
    values: the machine and libraries it ran on. A prelabel run records it so that a run
    resumed on another machine does not mix two machines' scores into one output (the
    same text scores the same only on the same kernels: a GPU, an AVX-512 and an AVX2 CPU
    each sum in their own order).

    ``device``: where the model ran (None: a model that names none, taken as this CPU);
    ``precision``: the precision it ran at ("fp32", "bf16", "onnx-int8", ...; None:
    unknown). Returns ``device`` (its type), ``torch`` (the version) and
    ``matmul_precision`` (``torch.get_float32_matmul_precision``: "high" or "medium" let
    fp32 matmuls run at TF32/bf16); on a GPU ``gpu`` (its name) and ``cuda`` (the CUDA
    version torch was built with); on a CPU ``isa`` (the instruction set torch's kernels
    were chosen for, ``torch.backends.cpu.get_cpu_capability``: "AVX2", "AVX512", ...),
    ``onednn_max_isa`` when capped (:func:`onednn_isa_cap`), at a bf16 precision
    ``bf16``: "native" or "emulated" (:func:`cpu_has_bf16`: other kernels), and at fp32
    ``fp32_linears``: "packed" where the encoder pre-packs its fp32 linears for oneDNN
    (:func:`fp32_packing_pays`: scores up to ~2e-6 from ``nn.Linear``'s); ``precision``
    when known, and the version of ``onnxruntime``/``openvino`` when they ran it."""
    import importlib.metadata

    dev = torch.device(device) if device is not None else torch.device("cpu")
    out: dict[str, Any] = {
        "device": dev.type,
        "torch": torch.__version__,
        "matmul_precision": torch.get_float32_matmul_precision(),
    }
    if dev.type == "cuda":
        out["gpu"] = torch.cuda.get_device_name(dev)
        out["cuda"] = torch.version.cuda
    elif dev.type == "cpu":
        out["isa"] = torch.backends.cpu.get_cpu_capability()
        if cap := onednn_isa_cap():
            out["onednn_max_isa"] = cap
        if precision is not None and precision.endswith("bf16"):
            out["bf16"] = "native" if cpu_has_bf16() else "emulated"
        if precision == "fp32" and fp32_packing_pays():  # oneDNN's kernels, not MKL's
            out["fp32_linears"] = "packed"
    if precision is not None:
        out["precision"] = precision
        engine = {"onnx": "onnxruntime", "openvino": "openvino"}.get(precision.split("-")[0])
        if engine is not None:
            try:
                out[engine] = importlib.metadata.version(engine)
            except importlib.metadata.PackageNotFoundError:
                out[engine] = None
    return out
