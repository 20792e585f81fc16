"""What differs between two model directories written by `annotate train`: the version
hash, the decision settings (thresholds, calibration, rules) and the weights, tensor by
tensor. `make model-check` rebuilds the default model into a temporary folder and runs
``python -m annotate.training.model_diff models/default TMP/default`` (needs the public
data beside the repository, so it is not part of `make test`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from annotate.classifier.model_files import CONFIG_FILE, model_version, versioned_config

# the weights of a model directory: every safetensors file, in name order
WEIGHTS_GLOB = "*.safetensors"


def _config(path: Path) -> dict[str, Any]:
    return json.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))


def _weights(path: Path) -> list[str]:
    return sorted(p.name for p in path.glob(WEIGHTS_GLOB))


def version(path: Path) -> str:
    """The model version as `annotate train` computed it (weights + config)."""
    return model_version(path, _config(path), _weights(path))


def _leaves(value: Any, where: str = "") -> dict[str, Any]:
    """Nested dicts flattened to {"a.b.c": value}; lists and scalars are leaves."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k in sorted(value):
            out.update(_leaves(value[k], f"{where}.{k}" if where else str(k)))
        return out
    return {where: value}


def _compared(config: dict[str, Any]) -> dict[str, Any]:
    """The config as the version sees it (:func:`annotate.classifier.model_files.
    versioned_config`: not the training metadata, nor where the encoder was found, nor
    ``training_sha256`` where ``training_content_sha256`` is set)."""
    return versioned_config(config)


def _config_differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    la = _leaves(_compared(a))
    lb = _leaves(_compared(b))
    out = []
    for key in sorted(set(la) | set(lb)):
        va, vb = la.get(key), lb.get(key)
        if va == vb:
            continue
        if isinstance(va, float) and isinstance(vb, float):
            out.append(f"{key}: {va:.6g} -> {vb:.6g} ({vb - va:+.4g})")
        else:
            out.append(f"{key}: {va!r} -> {vb!r}")
    return out


def _tensor_differences(a: Path, b: Path) -> list[str]:
    from safetensors.numpy import load_file

    names_a, names_b = _weights(a), _weights(b)
    if names_a != names_b:
        return [f"weight files: {names_a} -> {names_b}"]
    out = []
    for name in names_a:
        ta, tb = load_file(str(a / name)), load_file(str(b / name))
        for key in sorted(set(ta) | set(tb)):
            if key not in ta or key not in tb:
                out.append(f"{name} {key}: only in {'the first' if key in ta else 'the second'}")
            elif ta[key].shape != tb[key].shape:
                out.append(f"{name} {key}: shape {ta[key].shape} -> {tb[key].shape}")
            elif not np.array_equal(ta[key], tb[key]):
                d = np.abs(ta[key].astype(np.float64) - tb[key].astype(np.float64))
                out.append(
                    f"{name} {key}: {int((d > 0).sum())} of {d.size} values differ, "
                    f"max {d.max():.3g}"
                )
    return out


def model_differences(a: str | Path, b: str | Path) -> list[str]:
    """One line per difference between model directories ``a`` and ``b`` (settings such
    as ``thresholds.violent_threat`` old -> new, then weights tensor by tensor, then the
    version); empty when they are the same model. Training metadata, metrics and the
    creation time are not compared (they are not part of the version either)."""
    a, b = Path(a), Path(b)
    out = _config_differences(_config(a), _config(b)) + _tensor_differences(a, b)
    va, vb = version(a), version(b)
    if va != vb:
        out.append(f"version: {va} -> {vb}")
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m annotate.training.model_diff MODEL_DIR OTHER_MODEL_DIR")
        return 2
    for arg in args:
        if not (Path(arg) / CONFIG_FILE).is_file():
            print(
                f"error: {arg} is not a model directory (expected {CONFIG_FILE} in it); "
                "give two folders written by `annotate train --out`.",
                file=sys.stderr,
            )
            return 2
    diffs = model_differences(args[0], args[1])
    if not diffs:
        print(f"same model: {version(Path(args[0]))} (weights identical, same settings)")
        return 0
    print(f"{args[0]} -> {args[1]}: {len(diffs)} differences")
    for line in diffs:
        print(f"  {line}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
