"""The opt-in OpenVINO engine (precisions openvino-fp32/openvino-bf16) with the real
encoder and the real default model: converted once and cached by model hash, within
the stated tolerances of fp32, the heads' calibration honoured, OpenVINO's telemetry
package kept out of the process, and a clear error when OpenVINO is missing."""

from __future__ import annotations

import importlib.util
import logging
import sys

import numpy as np
import pytest

from annotate.classifier.device import BF16_SCORE_TOLERANCE, cpu_has_bf16
from annotate.errors import ModelError
from tests.classifier.test_precision_tolerance import project_passages

pytestmark = pytest.mark.slow
needs_openvino = pytest.mark.skipif(
    importlib.util.find_spec("openvino") is None,
    reason="openvino is not installed (pip install 'annotate[openvino]')",
)
needs_bf16 = pytest.mark.skipif(not cpu_has_bf16(), reason="this CPU has no native bf16")


@needs_openvino
def test_openvino_fp32_matches_torch_fp32_and_is_cached(tmp_path, monkeypatch):
    from annotate.classifier.encoder import Encoder

    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path))
    texts = [p.text for p in project_passages(64)]
    enc = Encoder(precision="openvino-fp32")
    assert enc.precision == "openvino-fp32"
    [ir] = tmp_path.glob("openvino/*/ir/encoder.xml")
    [onnx] = tmp_path.glob("onnx/*/encoder.onnx")
    assert ir.parent.parent.name == onnx.parent.name  # one model hash keys both
    ranges = [[(0, 10)] if i % 2 else [] for i in range(len(texts))]
    got = enc.encode(texts, ranges=ranges)
    ref = Encoder(precision="fp32").encode(texts, ranges=ranges)
    assert np.sum(ref.embeddings * got.embeddings, axis=1).min() >= 0.99999
    assert [s.shape for s in got.segments] == [s.shape for s in ref.segments]
    mtime = ir.stat().st_mtime_ns
    Encoder(precision="openvino-fp32")  # second load: the cached IR, not a new export
    assert ir.stat().st_mtime_ns == mtime
    # OpenVINO's conversion tools are bound to their no-op telemetry stub
    assert sys.modules.get("openvino_telemetry") is None
    tm = sys.modules["openvino.tools.ovc.telemetry_utils"].tm
    assert tm.__name__ == "openvino.tools.ovc.telemetry_stub"


@needs_openvino
@needs_bf16
def test_default_model_openvino_bf16_scores_within_tolerance(taxonomy, monkeypatch, caplog):
    """The default model on OpenVINO bf16: scores within the bf16 tolerance of fp32, and
    a calibration warning exactly when its heads were calibrated at another precision
    (the default model is fp32-calibrated since default@7f5e640fb89f)."""
    from annotate.classifier import load_classifier

    monkeypatch.delenv("ANNOTATE_PRECISION", raising=False)
    passages = project_passages(96)
    fp32 = load_classifier(None, taxonomy, precision="fp32").predict(passages)
    with caplog.at_level(logging.WARNING):
        clf = load_classifier(None, taxonomy, precision="openvino-bf16")
    assert clf.encoder.precision == "openvino-bf16"
    warned = [r for r in caplog.records if "calibrated on" in r.getMessage()]
    assert bool(warned) == (clf.encoder.trained_precision not in (None, "bf16"))
    ov = clf.predict(passages)
    a = np.array([[p.scores[n] for n in taxonomy.category_names] for p in fp32])
    b = np.array([[p.scores[n] for n in taxonomy.category_names] for p in ov])
    assert np.abs(a - b).max() <= BF16_SCORE_TOLERANCE
    assert np.abs(a - b).max() > 0  # really another engine


def test_missing_openvino_is_a_clear_error(monkeypatch):
    from annotate.classifier.encoder import Encoder

    monkeypatch.setitem(sys.modules, "openvino", None)  # import openvino -> ImportError
    with pytest.raises(ModelError, match="need OpenVINO") as err:
        Encoder(precision="openvino-fp32")
    assert "annotate[openvino]" in str(err.value.fix)
