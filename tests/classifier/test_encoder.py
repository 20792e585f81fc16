"""The opt-in ONNX Runtime int8 engine: exported once, cached, within its tolerance, and
the heads' calibration precision honoured (a model calibrated on int8 runs int8 under
auto; a model calibrated on bf16/fp32 run at int8 says its scores move)."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnxscript")
pytestmark = pytest.mark.slow

TEXTS = [
    "Police said the suspect posted threats against the synagogue hours before the attack.",
    "The museum's new wing covers the siege of Leningrad with letters, maps and ration cards.",
    "Stop talking and start shooting.",
]


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ANNOTATE_CACHE_DIR for this file's tests: the int8 export (~13 s on the CI
    machine) is made by the first test that builds the engine and read from the cache by
    the other, as a second run reads it (s61: each made its own)."""
    return tmp_path_factory.mktemp("onnx-cache")


def test_onnx_int8_engine_matches_fp32_within_tolerance(onnx_cache, monkeypatch):
    from annotate.classifier.encoder import ONNX_TOLERANCE, Encoder

    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(onnx_cache))
    enc = Encoder(precision="onnx-int8")
    assert enc.precision == "onnx-int8"
    assert list(onnx_cache.glob("onnx/*/encoder.int8.onnx"))
    ref = Encoder(precision="fp32").encode(TEXTS, ranges=[[(0, 6)], [], [(0, 4), (5, 12)]])
    got = enc.encode(TEXTS, ranges=[[(0, 6)], [], [(0, 4), (5, 12)]])
    cos = np.sum(ref.embeddings * got.embeddings, axis=1)
    assert cos.min() >= ONNX_TOLERANCE
    assert [s.shape for s in got.segments] == [(1, 384), (0, 384), (2, 384)]


def test_onnx_int8_follows_the_calibration_precision(onnx_cache, monkeypatch, caplog):
    from annotate.classifier.encoder import Encoder

    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(onnx_cache))
    monkeypatch.delenv("ANNOTATE_PRECISION", raising=False)
    # heads calibrated on int8 embeddings: auto runs int8, silently
    with caplog.at_level(logging.WARNING):
        assert Encoder(trained_precision="onnx-int8").precision == "onnx-int8"
    assert not [r for r in caplog.records if "calibrated" in r.getMessage()]
    # heads calibrated on bf16 embeddings run at int8 on request: said as a warning
    with caplog.at_level(logging.WARNING):
        enc = Encoder(precision="onnx-int8", trained_precision="bf16")
    assert enc.precision == "onnx-int8"
    assert "calibrated on bf16 embeddings but run on onnx-int8" in caplog.text
