"""Pre-packed oneDNN linear layers for the frozen encoder on the CPU (eager, no compile).

``nn.Linear`` hands its weight to oneDNN in the plain (out, in) layout on every call,
which oneDNN's AMX/AVX-512 kernels read through a reorder or a slower plain-layout
kernel. :func:`pack_linears` reorders each weight once
(``torch.ops.mkldnn._reorder_linear_weight``) and calls
``torch.ops.mkldnn._linear_pointwise`` on the packed weight: the same path
``torch.compile``'s freezing pass (inductor ``mkldnn_fusion``) emits, without compiling.
With ``fuse_gelu`` the feed-forward GELU is fused into its linear (oneDNN post-op,
exact erf GELU).

The encoder (:class:`annotate.classifier.encoder.Encoder`) packs at bf16, and at fp32
where :func:`annotate.classifier.device.fp32_packing_pays` (AMD with AVX-512), GELU
fused. Measured on MiniLM-L6, one thread, A/B in one process (benchmarks/README.md):
bf16 on AMX +15 % passages per CPU second at 89 tokens, embeddings bit-identical to
``nn.Linear`` (run G); fp32 on Intel AVX-512 +-5 % (noise, run H) and on an AVX2-only
AMD EPYC Zen 3 no faster (run S), so fp32 there keeps ``nn.Linear``; fp32 on an AMD EPYC
Zen 4 +14-20 % (run K: oneDNN's SGEMM runs faster than MKL's there), scores within 2e-6
of ``nn.Linear``.

These ops are internal to torch (not a public API): every layer is checked on a probe
input against its ``nn.Linear`` when packed, and any layer whose op is missing, raises
or disagrees (relative error above :data:`PROBE_RTOL`) stays an ``nn.Linear``; the
encoder then runs as before. ``ANNOTATE_PACK_LINEAR=0`` turns packing off.
"""

from __future__ import annotations

import logging
import os

import torch

log = logging.getLogger(__name__)

PACK_ENV = "ANNOTATE_PACK_LINEAR"  # "0": keep nn.Linear
PROBE_RTOL = {torch.float32: 1e-4, torch.bfloat16: 2e-2}  # max |diff| / max |ref| on a probe
ROWS_HINT = 32 * 64  # rows (batch x tokens) oneDNN packs for: a batch of 32 passages


def packing_wanted() -> bool:
    """False when ``ANNOTATE_PACK_LINEAR`` is "0", "false" or "no"."""
    return os.environ.get(PACK_ENV, "1").strip().lower() not in ("0", "false", "no")


def packing_available() -> bool:
    """Whether this torch has oneDNN and the two internal ops packing uses."""
    mkldnn = getattr(torch.ops, "mkldnn", None)
    return (
        torch.backends.mkldnn.is_available()
        and mkldnn is not None
        and hasattr(mkldnn, "_linear_pointwise")
        and hasattr(mkldnn, "_reorder_linear_weight")
    )


class PackedLinear(torch.nn.Module):
    """``linear`` (an ``nn.Linear`` on the CPU, fp32 or bf16) with its weight reordered
    once for oneDNN; ``gelu``: the exact GELU applied as a oneDNN post-op. Input
    (..., in_features) in any float dtype (cast to the weight's, as autocast would);
    output (..., out_features) in the weight's dtype."""

    def __init__(self, linear: torch.nn.Linear, gelu: bool = False) -> None:
        super().__init__()
        w = linear.weight.detach()
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.dtype = w.dtype
        self.packed = torch.ops.mkldnn._reorder_linear_weight(w, ROWS_HINT)
        self.bias = None if linear.bias is None else linear.bias.detach().to(w.dtype)
        self.attr, self.algorithm = ("gelu", "none") if gelu else ("none", "")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dtype != self.dtype:
            x = x.to(self.dtype)
        return torch.ops.mkldnn._linear_pointwise(
            x, self.packed, self.bias, self.attr, [], self.algorithm
        )

    def extra_repr(self) -> str:
        return f"in={self.in_features}, out={self.out_features}, {self.dtype}, post-op {self.attr}"


def _checked(linear: torch.nn.Linear, gelu: bool) -> PackedLinear | None:
    """``linear`` packed, or None when packing raises or disagrees on a probe."""
    try:
        packed = PackedLinear(linear, gelu)
        gen = torch.Generator().manual_seed(0)
        x = torch.randn(3, 5, linear.in_features, generator=gen).to(linear.weight.dtype)
        with torch.inference_mode():
            ref = linear(x)
            if gelu:
                ref = torch.nn.functional.gelu(ref)
            got = packed(x)
        if got.shape != ref.shape or got.dtype != ref.dtype:
            return None
        err = (got.float() - ref.float()).abs().max() / ref.float().abs().max().clamp(min=1e-6)
        return packed if float(err) <= PROBE_RTOL[linear.weight.dtype] else None
    except Exception as exc:  # an internal op: anything may change between torch versions
        log.debug("packing a linear layer failed: %s", exc)
        return None


def pack_linears(model: torch.nn.Module, fuse_gelu: bool = False) -> int:
    """Replace, in place, every ``nn.Linear`` of ``model`` (a transformers encoder on the
    CPU, fp32 or bf16 weights, inference only: packed layers have no gradient) by a
    checked :class:`PackedLinear`; ``fuse_gelu``: a BERT feed-forward ``dense`` followed
    by an exact GELU (``config.hidden_act == "gelu"``) gets the GELU as a post-op and
    its activation becomes the identity. Returns the number of layers packed (0 when
    the ops are unavailable or ``ANNOTATE_PACK_LINEAR=0``); layers that fail their
    check stay ``nn.Linear`` (logged)."""
    if not packing_wanted() or not packing_available():
        return 0
    exact_gelu = getattr(getattr(model, "config", None), "hidden_act", None) == "gelu"
    done = failed = 0
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if not isinstance(child, torch.nn.Linear) or child.weight.device.type != "cpu":
                continue
            if child.weight.dtype not in PROBE_RTOL:
                continue
            act = getattr(parent, "intermediate_act_fn", None)
            gelu = fuse_gelu and exact_gelu and name == "dense" and act is not None
            packed = _checked(child, gelu)
            if packed is None:
                failed += 1
                continue
            setattr(parent, name, packed)
            if gelu:
                parent.intermediate_act_fn = torch.nn.Identity()
            done += 1
    if failed:
        log.warning("%d linear layers could not be pre-packed; they run as nn.Linear", failed)
    log.debug("pre-packed %d linear layers (GELU fused: %s)", done, fuse_gelu and exact_gelu)
    return done
