"""The opt-in ONNX Runtime int8 engine: exported once, cached, within its tolerance."""

from __future__ import annotations

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


def test_onnx_int8_engine_matches_fp32_within_tolerance(tmp_path, monkeypatch):
    from annotate.classifier.encoder import ONNX_TOLERANCE, Encoder

    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path))
    enc = Encoder(precision="onnx-int8")
    assert enc.precision == "onnx-int8"
    assert list(tmp_path.glob("onnx/*/encoder.int8.onnx"))
    ref = Encoder(precision="fp32").encode(TEXTS, ranges=[[(0, 6)], [], [(0, 4), (5, 12)]])
    got = enc.encode(TEXTS, ranges=[[(0, 6)], [], [(0, 4), (5, 12)]])
    cos = np.sum(ref.embeddings * got.embeddings, axis=1)
    assert cos.min() >= ONNX_TOLERANCE
    assert [s.shape for s in got.segments] == [(1, 384), (0, 384), (2, 384)]
