"""The embedding cache is keyed by the CPU code path: fp32 embeddings computed by AVX-512
kernels differ in their last bits from AVX2 ones (0 of 300 project texts bitwise equal,
up to 2.4e-7), so a cache filled on one path read by a build on another gave another
model than a cold build there."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from annotate.classifier import device
from annotate.training import embedding_cache
from annotate.training.embedding_cache import EmbeddingCache, cpu_code_path

from .test_embedding_cache import _Encoder


def _cache_file(tmp_path: Path) -> str:
    cache = EmbeddingCache(_Encoder(), tmp_path)  # type: ignore[arg-type]
    cache.db.close()
    return cache.path.name


def test_another_cpu_capability_reads_another_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("MKL_ENABLE_INSTRUCTIONS", "MKL_CBWR", "ONEDNN_MAX_CPU_ISA"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: "AVX512")
    monkeypatch.setattr(device, "fp32_packing_pays", lambda: False)
    avx512 = _cache_file(tmp_path)
    assert cpu_code_path() == "AVX512"
    monkeypatch.setattr(device, "fp32_packing_pays", lambda: True)  # AMD: oneDNN's kernels
    assert cpu_code_path() == "AVX512|packed-fp32"
    assert _cache_file(tmp_path) != avx512
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: "AVX2")
    avx2 = _cache_file(tmp_path)
    assert avx2 != avx512


@pytest.mark.parametrize("var", ["MKL_ENABLE_INSTRUCTIONS", "MKL_CBWR", "ONEDNN_MAX_CPU_ISA"])
def test_a_kernel_setting_reads_another_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, var: str
) -> None:
    for v in embedding_cache._KERNEL_ENV:
        monkeypatch.delenv(v, raising=False)
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: "AVX2")
    monkeypatch.setattr(device, "fp32_packing_pays", lambda: False)
    plain = _cache_file(tmp_path)
    monkeypatch.setenv(var, "AVX2")
    assert cpu_code_path() == f"AVX2|{var}=AVX2"
    assert _cache_file(tmp_path) != plain


def test_the_same_path_reads_the_same_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: "AVX2")
    assert _cache_file(tmp_path) == _cache_file(tmp_path)


def test_bf16_caches_are_keyed_by_the_attention_kernel(tmp_path: Path) -> None:
    """At bf16 transformers' sdpa and annotate.classifier.cpu_attention's padded kernel
    round the attention scores differently: their vectors never share a cache file; fp32
    keys are the same whichever attention the model names (sdpa is the one fp32 runs)."""

    class _Config:
        _attn_implementation = "sdpa"

    class _Model:
        config = _Config()

    def key(precision: str, attention: str) -> str:
        enc = _Encoder()
        enc.precision = precision  # type: ignore[misc]
        model = _Model()
        model.config = _Config()
        model.config._attn_implementation = attention
        enc.model = model  # type: ignore[attr-defined]
        cache = EmbeddingCache(enc, tmp_path)  # type: ignore[arg-type]
        cache.db.close()
        return cache.path.name

    assert key("bf16", "sdpa") != key("bf16", "annotate_padded_eager")
    assert key("fp32", "sdpa") == key("fp32", "annotate_padded_eager") == _cache_file(tmp_path)
