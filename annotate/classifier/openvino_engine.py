"""Opt-in OpenVINO engine for the frozen encoder (precisions ``openvino-fp32`` and
``openvino-bf16``).

The encoder is exported once to ONNX with torch's exporter (the file the ``onnx-int8``
path shares, :func:`export_onnx`), read by OpenVINO's ONNX frontend, saved as
OpenVINO IR and compiled for the CPU plugin at an inference precision of f32 or bf16
(bf16 runs AMX/AVX512-BF16 kernels; OpenVINO keeps LayerNorm and softmax accumulation
in f32). Both files live under the annotate cache directory, keyed by a hash of the
encoder's weights (:func:`model_hash`); OpenVINO's own compiled-blob cache sits next to
them. One thread per process unless torch is set otherwise (``torch.get_num_threads``).

Measured on MiniLM-L6 (benchmarks/README.md, "Pre-label against the machine's
roofline"): a modest gain over torch eager on a loaded 2-vCPU Xeon, not the 0.8 of the
matmul roofline issue 11 asks for; hence opt-in.

**Nothing leaves the machine.** OpenVINO's only telemetry is in its model-conversion
tools (``openvino.tools.ovc``: ``convert_model``/``ovc``), which send usage events
through the separate ``openvino-telemetry`` package when it is installed (a dependency
of the ``openvino`` wheel). This module never calls them (it uses ``Core.read_model``,
``save_model`` and ``compile_model`` only), and before importing OpenVINO it marks
``openvino_telemetry`` as absent in this process (``sys.modules`` entry ``None``), so
that OpenVINO binds its built-in no-op stub even if something else in the process later
calls ``convert_model``. tests/classifier/test_openvino.py checks the stub is bound.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import numpy as np
import torch

from annotate._util.atomic import atomic_output
from annotate.errors import ModelError
from annotate.settings import cache_dir

log = logging.getLogger(__name__)

# annotate precision -> OpenVINO INFERENCE_PRECISION_HINT
OPENVINO_PRECISIONS = {"openvino-fp32": "f32", "openvino-bf16": "bf16"}
_TELEMETRY = "openvino_telemetry"


def import_openvino() -> Any:
    """The ``openvino`` module, its telemetry package kept out of this process (module
    doc). Raises ModelError (with the fix) when OpenVINO is not installed."""
    if _TELEMETRY not in sys.modules:
        sys.modules[_TELEMETRY] = None  # type: ignore[assignment]  # import -> ImportError
    try:
        import openvino
    except ImportError:
        raise ModelError(
            "precisions openvino-fp32/openvino-bf16 need OpenVINO, which is not installed.",
            fix='pip install "annotate[openvino]" (or pip install openvino), or use '
            "precision auto, fp32 or bf16.",
        ) from None
    return openvino


class OpenVINOEncoder:
    """An OpenVINO compiled encoder: ``__call__(batch)`` takes the collated int64 arrays
    (batch, length) of :class:`annotate.classifier.encoder.Encoder` and returns the last
    hidden states (batch, length, hidden) as a float32 tensor."""

    def __init__(self, onnx_path: Path, precision: str, key: str) -> None:
        """``precision``: a key of :data:`OPENVINO_PRECISIONS`; ``key``: the model hash
        the IR is cached under (``<cache>/openvino/<key>/ir/encoder.xml``)."""
        ov = import_openvino()
        root = cache_dir() / "openvino" / key
        xml = root / "ir" / "encoder.xml"
        core = ov.Core()
        if not xml.is_file():
            root.mkdir(parents=True, exist_ok=True)
            with atomic_output(root / "ir") as tmp:
                tmp.mkdir()
                model = core.read_model(str(onnx_path))
                ov.save_model(model, str(tmp / "encoder.xml"), compress_to_fp16=False)
        core.set_property({"CACHE_DIR": str(root / "compiled")})
        self.compiled = core.compile_model(  # from the file: the blob cache applies
            str(xml),
            "CPU",
            {
                "INFERENCE_NUM_THREADS": max(1, torch.get_num_threads()),
                "NUM_STREAMS": 1,
                "PERFORMANCE_HINT": "LATENCY",
                "INFERENCE_PRECISION_HINT": OPENVINO_PRECISIONS[precision],
            },
        )
        self.request = self.compiled.create_infer_request()
        self.inputs = [i.get_any_name() for i in self.compiled.inputs]
        self.output = self.compiled.outputs[0]
        log.info("OpenVINO %s encoder from %s", precision, xml)

    def __call__(self, batch: dict[str, np.ndarray]) -> torch.Tensor:
        out = self.request.infer({n: batch[n] for n in self.inputs})[self.output]
        return torch.from_numpy(np.array(out, dtype=np.float32, copy=True))
