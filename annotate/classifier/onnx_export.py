"""The frozen encoder as one ONNX file, exported once and cached by model hash: the
input of the ONNX Runtime int8 path and of the OpenVINO engine."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import torch

from annotate._util.atomic import atomic_output
from annotate.settings import cache_dir


def model_hash(ref: str, src: Path) -> str:
    """16 hex digits of SHA-256 over ``ref`` and the content of the weight files
    (``*.safetensors``, ``*.bin``) in directory ``src``: the key of converted graphs."""
    h = hashlib.sha256(ref.encode())
    if src.is_dir():
        for w in sorted([*src.glob("*.safetensors"), *src.glob("*.bin")]):
            h.update(w.name.encode())
            with w.open("rb") as fh:
                while chunk := fh.read(1 << 22):
                    h.update(chunk)
    return h.hexdigest()[:16]


def export_onnx(model: torch.nn.Module, tokenizer: Any, path: Path) -> None:
    """Export ``model`` (a transformers encoder on CPU) to ONNX at ``path``: inputs the
    tokenizer's ``input_ids``, ``attention_mask`` (and ``token_type_ids``), dynamic batch
    and sequence axes; output ``last_hidden_state`` (batch, length, hidden) float32.
    Written atomically (a crash leaves no half file)."""

    class LastHidden(torch.nn.Module):
        def __init__(self, m: torch.nn.Module) -> None:
            super().__init__()
            self.m = m

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor | None = None,
        ) -> torch.Tensor:
            kw = {"input_ids": input_ids, "attention_mask": attention_mask}
            if token_type_ids is not None:
                kw["token_type_ids"] = token_type_ids
            return self.m(**kw).last_hidden_state

    enc = tokenizer(["a probe sentence", "another"], padding=True, return_tensors="pt")
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in enc]
    batch, seq = torch.export.Dim("batch"), torch.export.Dim("seq")
    with atomic_output(path) as tmp:
        torch.onnx.export(
            LastHidden(model),
            tuple(enc[n] for n in names),
            str(tmp),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamo=True,
            external_data=False,
            dynamic_shapes={n: {0: batch, 1: seq} for n in names},
        )


def cached_onnx(model: torch.nn.Module, tokenizer: Any, ref: str, src: Path) -> tuple[Path, str]:
    """The fp32 ONNX file of the encoder ``ref`` (weights in directory ``src``) under
    ``<cache>/onnx/<model hash>/encoder.onnx``, exported on first use; and the hash.
    ``model`` must be on the CPU in fp32 while this runs."""
    key = model_hash(ref, src)
    path = cache_dir() / "onnx" / key / "encoder.onnx"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        export_onnx(model, tokenizer, path)
    return path, key
