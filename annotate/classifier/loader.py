"""``load_classifier``: a model reference (directory, hub id or None) to a Classifier."""

from __future__ import annotations

import difflib
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from annotate.classifier.model_paths import (
    MODEL_FILES,
    close_model_dirs,
    did_you_mean,
    is_local_path,
    missing_dir_fix,
    model_dirs_in,
)
from annotate.errors import ModelError
from annotate.settings import default_model_dir

if TYPE_CHECKING:
    from annotate.classifier.base import Classifier
    from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

DEFAULT_MODEL_DIR = default_model_dir()
# what --model may name the default model by where no such local folder exists
DEFAULT_MODEL_NAMES = ("default", "models/default", "models/default/")
# the opt-in model beside it in a checkout (models/mpnet; not in the installed package)
SHIPPED_MODEL_NAMES = {"mpnet": ("mpnet", "models/mpnet", "models/mpnet/")}
HUB_ID_RE = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


def _encoder_head(path: Path, tax: Taxonomy, **kw: object) -> Classifier:
    from annotate.classifier.encoder_head import EncoderHeadClassifier

    return EncoderHeadClassifier(path, tax.category_names, **kw)  # type: ignore[arg-type]


def _finetuned(path: Path, tax: Taxonomy, **kw: object) -> Classifier:
    from annotate.classifier.finetuned import FinetunedClassifier

    return FinetunedClassifier(path, tax.category_names, **kw)  # type: ignore[arg-type]


def _frozen_linear(path: Path, tax: Taxonomy, **kw: object) -> Classifier:
    from annotate.classifier.frozen_linear import FrozenLinearClassifier

    return FrozenLinearClassifier(path, tax.category_names, **kw)  # type: ignore[arg-type]


def _sequence_classification(path: Path | str, tax: Taxonomy, **kw: object) -> Classifier:
    from annotate.classifier.hf import SequenceClassifier

    return SequenceClassifier(path, tax.category_names, tax.none_label, **kw)  # type: ignore[arg-type]


# Versioned kind names -> constructors; old names stay registered when a new version lands.
BACKENDS: dict[str, Callable[..., Classifier]] = {
    "annotate.encoder-head.v1": _encoder_head,
    "annotate.finetuned.v1": _finetuned,
    "annotate.frozen-linear.v1": _frozen_linear,
    "transformers.sequence-classification.v1": _sequence_classification,
}


def model_kind(path: Path) -> str:
    """The backend kind of a model directory."""
    ann = path / "annotate_model.json"
    if ann.is_file():
        try:
            kind = json.loads(ann.read_text(encoding="utf-8")).get("kind")
        except (OSError, json.JSONDecodeError) as exc:
            raise ModelError(f"{ann}: unreadable ({exc}).", fix="retrain the model.") from None
        if kind not in BACKENDS:
            raise ModelError(
                f"{ann}: unknown model kind {kind!r}; known: {', '.join(BACKENDS)}.",
                fix="upgrade annotate or retrain the model with this version.",
            )
        return kind
    if (path / "config.json").is_file():
        return "transformers.sequence-classification.v1"
    export = (path / "manifest.json").is_file()  # an `annotate export`, given as a model
    inside = [] if export else model_dirs_in(path)  # `models/`, the folder of the models
    if inside:
        shown = ", ".join(str(path / name) for name in inside[:8])
        more = f" and {len(inside) - 8} more" if len(inside) > 8 else ""
        raise ModelError(
            f"{path} is not a model directory: it has neither annotate_model.json nor "
            f"config.json; it holds {len(inside)} model director"
            f"{'y' if len(inside) == 1 else 'ies'}.",
            fix=f"pass one of them: {shown}{more}.",
        )
    raise ModelError(
        f"{path} is not a model directory: it has neither annotate_model.json nor config.json"
        + (" (it is an `annotate export`: it has a manifest.json)." if export else "."),
        fix=(
            f"pass it as labeled data (--data {path}) and the model as --model; " if export else ""
        )
        + "pass a directory written by `annotate train` or a transformers "
        "sequence-classification model directory.",
    )


def shipped_model_dir(ref: str) -> Path | None:
    """The shipped model ``ref`` names (:data:`DEFAULT_MODEL_NAMES`: the default model;
    :data:`SHIPPED_MODEL_NAMES`: ``mpnet``, the folder beside it) where it exists, else
    None. Used only where no folder of that name exists in the current folder."""
    if ref in DEFAULT_MODEL_NAMES:
        return DEFAULT_MODEL_DIR if DEFAULT_MODEL_DIR.is_dir() else None
    for name, refs in SHIPPED_MODEL_NAMES.items():
        if ref in refs and (DEFAULT_MODEL_DIR.parent / name).is_dir():
            return DEFAULT_MODEL_DIR.parent / name
    return None


def named_model_dir(model: str | Path) -> Path:
    """The folder ``--model`` names as :func:`load_classifier` reads it: the path given,
    or a shipped model for one of its names (:func:`shipped_model_dir`) where no such
    folder exists here (what is recorded of a model is read from there before it loads)."""
    path = Path(model).expanduser()
    if not path.is_dir():
        return shipped_model_dir(str(model)) or path
    return path


def _shipped_meant(ref: str) -> str:
    """``"did you mean 'models/default' (...)? Otherwise "`` when ``ref``, a model path that
    names no folder, is a typo of a name of the shipped default model
    (:data:`DEFAULT_MODEL_NAMES`: ``models/defualt``, ``./models/defualt``) and no model
    directory beside it is closer by name (:func:`close_model_dirs`); else ``""``."""
    if not DEFAULT_MODEL_DIR.is_dir() or close_model_dirs(ref):
        return ""
    folder, _, name = ref.rstrip("/").removeprefix("./").rpartition("/")
    if folder not in ("", "models"):
        return ""
    if difflib.SequenceMatcher(None, name.lower(), "default").ratio() < 0.8:
        return ""
    meant = "models/default" if folder else "default"
    return (
        f"did you mean {meant!r} (the default model shipped with annotate, which that name "
        "loads where no such folder exists)? Otherwise "
    )


def load_classifier(
    model: str | Path | None,
    tax: Taxonomy,
    **options: object,
) -> Classifier:
    """Load a classifier for the taxonomy.

    ``model`` is None (the default model: :func:`annotate.settings.default_model_dir`,
    the checkout's ``models/default`` or the copy shipped in the package), a model
    directory (``annotate train`` output, or a transformers sequence-classification
    model), or a Hugging Face hub id. ``options`` go to the backend (``precision``:
    auto/fp32/bf16/onnx-int8/openvino-fp32/openvino-bf16, ``batch_size``). The result's
    ``predict(passages)`` gives one Prediction per passage: ``scores`` {category:
    calibrated probability in [0, 1]}, ``labels`` and evidence ``spans`` (character
    offsets).

    Raises ModelError: no such directory, not a model, labels that do not match the
    taxonomy, or a hub id that cannot be fetched offline.
    """
    if model is None:
        path = DEFAULT_MODEL_DIR
        if not path.is_dir():
            raise ModelError(
                f"the default model is missing ({path}).",
                fix="run `make model` (needs ../shared/data) or pass --model DIR.",
            )
        return BACKENDS[model_kind(path)](path, tax, **options)
    path = Path(model).expanduser()
    if path.is_dir():
        return BACKENDS[model_kind(path)](path, tax, **options)
    ref = str(model)
    shipped = shipped_model_dir(ref)
    if shipped is not None:
        # the name the help and the model versions give it ("default@…", "mpnet@…"),
        # typed in a folder that has no such folder of its own: the shipped model
        log.info("%s: no such folder here, using the shipped model (%s)", ref, shipped)
        return BACKENDS[model_kind(shipped)](shipped, tax, **options)
    if path.exists():
        folder = path.parent  # models/m6/annotate_model.json: the model's own file
        in_model = any((folder / name).is_file() for name in MODEL_FILES)
        raise ModelError(
            f"{ref} is a file, expected a model directory.",
            fix=f"pass the model directory it is in: --model {folder}."
            if in_model
            else "pass the directory.",
        )
    if is_local_path(ref):  # runs/nomodel beside a runs folder: no hub id
        raise ModelError(
            f"model directory {ref!r} does not exist (a local path: not looked up on the "
            "Hugging Face hub).",
            fix=f"{_shipped_meant(ref)}{missing_dir_fix(ref)}.",
        )
    if ref.startswith((".", "/", "~")) or ref.count("/") > 1 or not HUB_ID_RE.match(ref):
        raise ModelError(
            f"model directory {ref!r} not found.",
            fix=f"{_shipped_meant(ref) or did_you_mean(ref)}check the path, or train one with "
            "`annotate train --out DIR`.",
        )
    log.info("%s is not a local directory: treating it as a Hugging Face hub id", ref)
    check_hub_model(ref)  # before transformers is imported
    return _sequence_classification(ref, tax, **options)


def hub_id(model: str | Path | None) -> str | None:
    """``model`` when :func:`load_classifier` reads it as a Hugging Face hub id (no such
    folder, not a name of the default model, no local path), else None."""
    if model is None:
        return None
    ref = str(model)
    path = Path(ref).expanduser()
    if path.exists() or shipped_model_dir(ref) is not None:
        return None
    if is_local_path(ref) or ref.startswith((".", "/", "~")) or ref.count("/") > 1:
        return None
    return ref if HUB_ID_RE.match(ref) else None


def offline_model_error(hub_id: str, reason: str | None = None) -> ModelError:
    """The error for a hub id that is not in the Hugging Face cache while the hub cannot
    be reached (``reason``: :func:`annotate.classifier.hub.unreachable_reason`'s)."""
    from annotate.classifier.hub import download_hint

    why = f"offline: {reason}" if reason else "offline"
    what = (
        f"model {hub_id!r} is not a local directory (no such folder in {Path.cwd()}, "
        "the folder a relative path is read from), is not in the Hugging Face cache, "
        f"and the hub cannot be reached ({why})."
    )
    shipped = _shipped_meant(hub_id)  # `defualt`: a typo, not a hub id to download
    if shipped:
        return ModelError(
            what,
            fix=f"{shipped}pass the model directory's path from this folder, or an absolute path.",
        )
    return ModelError(
        what,
        fix=f"{did_you_mean(hub_id)}pass the model directory's path from this folder, "
        "or an absolute path (--model default is the model shipped with annotate, "
        "from any folder); or download the model where the hub is reachable: "
        f"{download_hint(hub_id)}.",
    )


def check_hub_model(model: str | Path | None) -> None:
    """Raise :func:`offline_model_error` when ``model`` is a hub id (as
    :func:`load_classifier` reads it) that the Hugging Face cache lacks while the hub
    cannot be reached; without importing torch or transformers, so a command can say it
    before it loads them (about 7 s of imports on one core). Other models: nothing."""
    from annotate.classifier import hub

    ref = hub_id(model)
    if ref is None or hub.cached(ref):
        return
    reason = hub.unreachable_reason()
    if reason is not None:
        raise offline_model_error(ref, reason)
