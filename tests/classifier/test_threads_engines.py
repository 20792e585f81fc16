"""The OpenVINO engine runs on the thread count annotate gave torch (--threads or the
default rule), as the ONNX Runtime engine does (``intra_op_num_threads``): checked here
with a stand-in for OpenVINO's runtime, which records what the engine compiles with."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
import torch

from annotate.classifier import openvino_engine


class _Core:
    compiled_with: ClassVar[dict[str, Any]] = {}

    def read_model(self, path: str) -> object:
        return object()

    def set_property(self, props: dict[str, Any]) -> None:
        pass

    def compile_model(self, xml: str, device: str, config: dict[str, Any]) -> Any:
        _Core.compiled_with = dict(config)
        return SimpleNamespace(
            create_infer_request=lambda: None,
            inputs=[SimpleNamespace(get_any_name=lambda: "input_ids")],
            outputs=[object()],
        )


def _save_model(model: object, path: str, compress_to_fp16: bool) -> None:
    Path(path).write_text("<net/>")


@pytest.mark.parametrize("threads", [1, 2])
def test_openvino_compiles_with_torch_s_thread_count(tmp_path, monkeypatch, threads: int) -> None:
    fake = SimpleNamespace(Core=_Core, save_model=_save_model)
    monkeypatch.setattr(openvino_engine, "import_openvino", lambda: fake)
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path))
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        openvino_engine.OpenVINOEncoder(tmp_path / "encoder.onnx", "openvino-fp32", "k")
    finally:
        torch.set_num_threads(before)
    assert _Core.compiled_with["INFERENCE_NUM_THREADS"] == threads
