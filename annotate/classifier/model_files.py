"""What the model directories of the annotate kinds share (annotate.classifier.frozen_linear,
annotate.classifier.finetuned, annotate.classifier.encoder_head): the config file's
name, reading and validating it, the version hash, the check of the trained labels."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from annotate._util.validation import validation_error
from annotate.classifier.encoder_identity import EncoderIdentity, versioned
from annotate.errors import ModelError

CONFIG_FILE = "annotate_model.json"
CARD_FILE = "model_card.md"
_CARD_VERSION = re.compile(r"^- version: `([^`]+)`", re.M)
log = logging.getLogger(__name__)
# config keys that change from build to build without changing what the model does
UNVERSIONED = ("metrics", "created_at", "training")
# config keys hashed only when set: models built before they existed (None) keep their
# version. ``encoder_identity`` (the encoder's package, version and weights digest) is part
# of what a new model is: the same head on other encoder weights scores otherwise (where
# the encoder was found on the building machine, its ``path``, is not).
VERSIONED_WHEN_SET = (
    "encoder_identity",
    "training_sha256",
    "training_content_sha256",
    "encoder_versioned_by_digest",
    "quoted_span_min_harm",
    "lawful_warning_cap",
    "self_directed_cap",
    "idiom_cap",
)
# the SHA-256 of the canonical ``training`` record (:func:`training_sha256`), written at
# build time beside it: ``training`` is not hashed into the version, its digest is, so a
# swapped training record is caught (annotate verify MODEL_DIR). None: built before it.
TRAINING_DIGEST_KEY = "training_sha256"
# the SHA-256 of the ``training`` record less where it was built (:func:`training_content`),
# written beside it since 2026-12-03 (stop 35): when set, the version hashes it instead of
# ``training_sha256``, so the same data, settings and weights give the same version from
# any checkout (``../shared`` a link or a folder) and at any commit. None: built before.
TRAINING_CONTENT_KEY = "training_content_sha256"
# True on a model built since 2026-12-04 (stop 36) whose encoder is a local folder with a
# weights digest: its version names the encoder by what it is (``encoder_identity`` less
# ``ref`` and ``path``: the weights' SHA-256, the config's ``_name_or_path``, the hub
# commit) and not by where the folder was (``encoder``, ``encoder_identity.ref`` and the
# training record's ``encoder``/``baseline_encoder`` are absolute paths whenever the
# config's folder is not the working directory), so the same model built in /a/proj and
# in /b/proj has one version. None: a ``pkg:`` encoder or a hub id (its reference is no
# path: models/default keeps its version), or a model built before (its version as then).
ENCODER_DIGEST_KEY = "encoder_versioned_by_digest"
# the training record's settings that name the encoder (a local folder: its path)
TRAINING_ENCODER_FIELDS = ("encoder", "baseline_encoder")
# what a training record says of how the build ran that the weights show (torch's thread
# count: embeddings, and so a frozen model's heads, or a fine-tuned model's weights, differ
# in their last bits between 1 and 2 threads): recorded, so a rebuild can run the same way,
# and in ``training_sha256``, but not hashed into the version (the same weights and
# settings are the same model; other weights are another version anyway). Fine-tuned
# models built on 5 Dec 2026 before this (from 544ab15) hashed it: verify accepts that.
BUILD_FIELDS = ("threads",)
# what a ``training.data`` entry says of where its files were, not what they are
# (annotate.training.data_files.DataSourceRecord; the files' digests and sizes stay)
LAYOUT_FIELDS = ("path", "given", "given_in", "root", "resolved", "mapping")
# the training record's own layout field: the folder ``annotate train`` ran in, relative
# to the model folder (``../..`` for ``--out models/m``), recorded when the model was
# written under it, so that ``annotate verify`` finds the data recorded relative to that
# folder from any working directory (passJ M1); not hashed into the version
RUN_FOLDER_KEY = "run_folder"
# how a local folder's path starts (a hub id or ``pkg:`` encoder never does)
_PATH_START = re.compile(r"(/|\\|\./|\.\./|~|[A-Za-z]:[\\/])")
_GIT_SUFFIX = re.compile(r"\s*\(git [^)]*\)$")

ConfigT = TypeVar("ConfigT", bound=BaseModel)


class PlattDict(BaseModel):
    """A stored Platt calibration (annotate.classifier.head.Platt)."""

    a: float = 1.0
    b: float = 0.0


class ModelFileFields(BaseModel):
    """Fields every ``annotate_model.json`` schema shares (frozen-linear and fine-tuned kinds).

    Each kind's schema subclasses it and adds its own (``kind``, ``encoder``, the encoder's
    shape, its rules). Unknown keys are refused (``extra="forbid"``): a typo in a hand-edited
    model file is an error, not a silently ignored setting.
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    # the base encoder's package, version and weights digest at training (None: built
    # before 2026-12; then the version is computed as before)
    encoder_identity: EncoderIdentity | None = None
    labels: list[str]
    harmful: list[str]
    context: list[str]
    none_label: str
    yield_to_none: list[str] = Field(default_factory=list)
    yield_to_context: list[str] = Field(default_factory=list)
    span_labels: list[str]
    own_voice_spans: list[str] = Field(default_factory=list)
    quoted_span: str | None = None
    calibration: dict[str, PlattDict]
    thresholds: dict[str, float]
    span_calibration: dict[str, PlattDict] = Field(default_factory=dict)
    span_thresholds: dict[str, float] = Field(default_factory=dict)
    taxonomy: dict[str, str]
    training: dict[str, Any] = Field(default_factory=dict)
    # SHA-256 of ``training`` as canonical JSON (training_sha256), hashed into the version
    # (None: built before 2026-12-03; the version is computed as before)
    training_sha256: str | None = None
    # SHA-256 of ``training`` less where it was built (training_content), hashed into the
    # version instead of training_sha256 (None: built before 2026-12-03, stop 35)
    training_content_sha256: str | None = None
    # True: the encoder is a local folder, versioned by its identity (weights digest), not
    # its path (ENCODER_DIGEST_KEY; None: pkg:/hub encoder, or built before 2026-12-04)
    encoder_versioned_by_digest: bool | None = None
    metrics: dict[str, Any] = Field(default_factory=dict)
    created_at: str = ""

    @model_validator(mode="after")
    def _labels_known(self) -> ModelFileFields:
        """Every label the file names outside ``labels`` is one of them: a hand edit that
        named another (a typo, a label taken out of ``labels``) was read without a word,
        and the rule or threshold it meant did nothing (faults61). The span-label lists
        (``own_voice_spans``, ``quoted_span``, ``span_thresholds``, ``span_calibration``)
        name only ``span_labels``; without a span model, see :func:`no_span_model_lists`."""
        known = set(self.labels)
        named: dict[str, list[str]] = {
            "harmful": self.harmful,
            "context": self.context,
            "none_label": [self.none_label],
            "yield_to_none": self.yield_to_none,
            "yield_to_context": self.yield_to_context,
            "thresholds": list(self.thresholds),
            "calibration": list(self.calibration),
        }
        _refuse_unknown(named, known, "labels", ", ".join(self.labels), "a label")
        spans = set(self.span_labels)
        named_spans: dict[str, list[str]] = {
            "own_voice_spans": self.own_voice_spans,
            "quoted_span": [] if self.quoted_span is None else [self.quoted_span],
            "span_thresholds": list(self.span_thresholds),
            "span_calibration": list(self.span_calibration),
        }
        if not self.span_labels:
            no_span_model_lists(self.own_voice_spans)
            del named_spans["own_voice_spans"], named_spans["quoted_span"]
        listing = ", ".join(self.span_labels) or "none"
        _refuse_unknown(named_spans, spans, "span labels", listing, "a span label")
        return self


def is_model_dir(path: Path) -> bool:
    """Whether ``path`` is a folder annotate trained (it has ``annotate_model.json``).
    This module imports no torch: `annotate verify` tells a model from an export with it
    before loading anything heavy (newuser63 #14)."""
    return (path / CONFIG_FILE).is_file()


def _refuse_unknown(
    named: dict[str, list[str]], known: set[str], kind: str, listing: str, one: str
) -> None:
    """Raise ValueError for the first key of ``named`` whose names are not all in
    ``known`` (the model's ``kind``, listed as ``listing``): a hand edit of the file."""
    for key, names in named.items():
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ValueError(
                f"{key} names {', '.join(map(repr, unknown))}, which is not one of the "
                f"model's {kind} ({listing}); {one} is added by training, not by editing "
                "this file"
            )


def no_span_model_lists(own_voice_spans: Sequence[str]) -> None:
    """A model without a span model (``span_labels`` empty): its ``own_voice_spans`` name
    nothing it scores, and ``quoted_span`` is the label the quoted-blocks rule gives a
    whole quoted block (no span head needed), so neither is checked against
    ``span_labels``. ``annotate train`` (frozen, no span examples or ``spans: false``)
    wrote the config's own_voice_spans there until 2026-12-07: such a model loads as
    before (the list did nothing and is left in the file, so its version stays), with
    this log line (reader 62 finding 6)."""
    if own_voice_spans:
        log.info(
            "own_voice_spans (%s) ignored: the model has no span model (span_labels empty)",
            ", ".join(own_voice_spans),
        )


def model_version(
    path: Path,
    config: dict[str, Any],
    weight_files: Iterable[str],
    unversioned: Sequence[str] = UNVERSIONED,
) -> str:
    """``<name>@<sha256 of the weight files (in order) + the config without the
    ``unversioned`` keys, as sorted JSON>[:12]``; the name is the directory's when the
    config has none. A config with :data:`TRAINING_CONTENT_KEY` has that digest hashed,
    not :data:`TRAINING_DIGEST_KEY` (which names the checkout's paths and commit)."""
    h = hashlib.sha256()
    for f in weight_files:
        h.update((path / f).read_bytes())
    h.update(json.dumps(versioned_config(config, unversioned), sort_keys=True).encode())
    return f"{config.get('name', path.name)}@{h.hexdigest()[:12]}"


def versioned_config(
    config: dict[str, Any], unversioned: Sequence[str] = UNVERSIONED
) -> dict[str, Any]:
    """The part of a model config that :func:`model_version` hashes: without the
    ``unversioned`` keys, the :data:`VERSIONED_WHEN_SET` keys that are None, where the
    encoder was found (``encoder_identity`` as :func:`versioned` gives it), and
    :data:`TRAINING_DIGEST_KEY` where :data:`TRAINING_CONTENT_KEY` is set (the former
    names the checkout's paths and commit), and the encoder's path (``encoder`` and
    ``encoder_identity.ref``) where :data:`ENCODER_DIGEST_KEY` is set. What two models
    are compared on (annotate.training.model_diff)."""
    stable = {
        k: v
        for k, v in config.items()
        if k not in unversioned and not (k in VERSIONED_WHEN_SET and v is None)
    }
    if isinstance(stable.get("encoder_identity"), dict):  # where it was found: not hashed
        stable["encoder_identity"] = versioned(stable["encoder_identity"])
    if stable.get(TRAINING_CONTENT_KEY) is not None:  # the record less where it was built
        stable.pop(TRAINING_DIGEST_KEY, None)
    if stable.get(ENCODER_DIGEST_KEY):  # a local folder: named by its digest, not its path
        stable.pop("encoder", None)
        if isinstance(stable.get("encoder_identity"), dict):
            stable["encoder_identity"] = {
                k: v for k, v in stable["encoder_identity"].items() if k != "ref"
            }
    return stable


def training_sha256(training: Any) -> str:
    """SHA-256 (hex) of a model's ``training`` record as canonical JSON: sorted keys, no
    whitespace, UTF-8 (non-ASCII characters unescaped), as ``annotate_model.json`` holds
    it once read back (so a record written and read again gives the same digest)."""
    canonical = json.dumps(training, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def training_content(
    training: Any, local_encoder: bool = False, *, build_fields: bool = False
) -> Any:
    """``training`` less where the model was built: each ``data`` entry without its
    :data:`LAYOUT_FIELDS`, its files named by their own file name (their SHA-256, size,
    role and rows kept), ``annotate`` without the git revision (``0.1.0 (git
    1a2b3c4)`` -> ``0.1.0``), and without the :data:`BUILD_FIELDS` (unless
    ``build_fields``: the digest fine-tuned models built before they were left out
    recorded); with ``local_encoder`` (a model with
    :data:`ENCODER_DIGEST_KEY`) also without the :data:`TRAINING_ENCODER_FIELDS` that name
    a local folder (the encoder is versioned by its identity). Anything that is not a dict
    is returned as it is."""
    if not isinstance(training, dict):
        return training
    out = {
        k: v
        for k, v in training.items()
        if (build_fields or k not in BUILD_FIELDS) and k != RUN_FOLDER_KEY
    }
    if local_encoder:  # by the value alone: the same record gives one digest anywhere
        encoder = out.get("encoder")
        for key in TRAINING_ENCODER_FIELDS:
            value = out.get(key)
            if isinstance(value, str) and (value == encoder or _names_a_path(value)):
                out.pop(key)
    if isinstance(out.get("annotate"), str):
        out["annotate"] = _GIT_SUFFIX.sub("", out["annotate"])
    if isinstance(out.get("data"), list):
        out["data"] = [_data_content(entry) for entry in out["data"]]
    return out


def _names_a_path(value: str) -> bool:
    return _PATH_START.match(value) is not None


def _data_content(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return entry
    out = {k: v for k, v in entry.items() if k not in LAYOUT_FIELDS}
    if isinstance(out.get("files"), list):
        out["files"] = [
            {**f, "path": str(f["path"]).rsplit("/", 1)[-1]}
            if isinstance(f, dict) and "path" in f
            else f
            for f in out["files"]
        ]
    return out


def training_content_sha256(
    training: Any, local_encoder: bool = False, *, build_fields: bool = False
) -> str:
    """:func:`training_sha256` of :func:`training_content` (``training`` less where it
    was built; ``local_encoder``, ``build_fields``: see there): what the version hashes
    of a model that records it."""
    return training_sha256(training_content(training, local_encoder, build_fields=build_fields))


def card_version(path: Path) -> str | None:
    """The version the model card in ``path`` records (its ``- version: `...``` line);
    None without a readable card or such a line."""
    try:
        card = (path / CARD_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = _CARD_VERSION.search(card)
    return found.group(1) if found else None


def check_card_version(path: Path, version: str) -> None:
    """Warn when the model card in ``path`` records another version than ``version``
    (computed from the files now): the weights or ``annotate_model.json`` changed after
    training (edited, or a damaged copy), so the card's figures and data are not this
    model's. Nothing is said without a card or a version line in it."""
    recorded = card_version(path)
    if recorded is not None and recorded != version:
        log.warning(
            "%s: its model card records version %s, its files give %s: the weights or %s "
            "changed after training (edited, or a damaged copy), so the card's data, "
            "thresholds and figures do not describe what runs; copy the model again or "
            "retrain it",
            path,
            recorded,
            version,
            CONFIG_FILE,
        )


def read_model_config(path: Path, schema: type[ConfigT], reference: str) -> ConfigT:
    """``path/annotate_model.json`` validated by ``schema``. Raises ModelError (unreadable,
    not JSON, or not valid; ``reference``: the file that defines the schema)."""
    p = path / CONFIG_FILE
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        return schema.model_validate(data)
    except OSError as exc:
        raise ModelError(f"{p}: unreadable ({exc.strerror}).", fix="retrain the model.") from None
    except json.JSONDecodeError as exc:
        raise ModelError(f"{p} is not valid JSON: {exc}.", fix="retrain the model.") from None
    except ValidationError as err:
        raise validation_error(err, data, str(p), ModelError, reference=reference) from None


def load_weights(path: Path, name: str) -> dict[str, Any]:
    """The tensors of the safetensors file ``path/name``. Raises ModelError when it is
    missing or is not a readable safetensors file (cut short by a copy, overwritten)."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    f = path / name
    if not f.is_file():
        raise ModelError(f"{path}: {name} is missing.", fix="retrain the model.")
    try:
        return load_file(str(f))
    except (SafetensorError, OSError) as exc:
        raise ModelError(
            f"{f} is not a readable safetensors file ({exc}).",
            fix="copy the model directory again (the file may have been cut short) or "
            "retrain the model.",
        ) from None


@dataclass(frozen=True)
class LabelDifference:
    """How two category lists differ (:func:`label_difference`): the names only the first
    has, those only the second has; neither: the same names in another order."""

    only_first: list[str]
    only_second: list[str]

    @property
    def reordered(self) -> bool:
        return not self.only_first and not self.only_second

    def said(self, only_first: str, only_second: str, reordered: str) -> str:
        """The difference in words: ``only_first``/``only_second`` with ``{}`` for the
        comma-separated names (each left out when there are none), joined by "; ";
        ``reordered`` when the names are the same in another order."""
        if self.reordered:
            return reordered
        parts = [
            template.format(", ".join(names))
            for template, names in ((only_first, self.only_first), (only_second, self.only_second))
            if names
        ]
        return "; ".join(parts)


def label_difference(first: Sequence[str], second: Sequence[str]) -> LabelDifference | None:
    """None when ``first`` and ``second`` are the same category list (same names, same
    order: a model's scores line up with a taxonomy's, or another model's), else what
    differs."""
    if list(first) == list(second):
        return None
    return LabelDifference(
        [n for n in first if n not in second], [n for n in second if n not in first]
    )


def check_trained_labels(path: Path, trained: Sequence[str], labels: Sequence[str]) -> None:
    """Raises ModelError when the model at ``path`` was trained for other categories
    (or another order) than the taxonomy's ``labels``."""
    difference = label_difference(labels, trained)
    if difference is None:
        return
    diff = difference.said(
        "{} in labels.yaml, not in the model",
        "{} in the model, not in labels.yaml",
        f"the same categories in another order: {', '.join(trained)}",
    )
    recorded = recorded_taxonomy(path)
    sha = ((recorded_config(path) or {}).get("taxonomy") or {}).get("sha256")
    if recorded and isinstance(sha, str) and sha:
        # the version alone cannot tell two labels.yaml apart whose categories only moved
        # (passF52 F4): the content digest can
        recorded += f", content sha256 {sha[:12]}"
    # the file it needs has the same categories in the model's order
    order = f", categories in this order: {', '.join(trained)}" if difference.reordered else ""
    raise ModelError(
        f"model {path} was trained for other categories than this labels.yaml's ({diff}"
        + (f"; it was trained with labels.yaml {recorded}" if recorded else "")
        + ").",
        fix="pass the labels.yaml it was trained with (--labels FILE"
        + (f", {recorded}" if recorded else "")
        + f"{order}), or retrain the model for this one (`annotate train`).",
    )


def check_label_map(id2label: dict[Any, str], categories: Sequence[str], source: str) -> list[str]:
    """A transformers model's labels in output order (``config.id2label``, its keys
    read as numbers); ModelError when they are not the taxonomy's categories (any order)."""
    names = [str(id2label[k]) for k in sorted(id2label, key=lambda k: int(k))]
    missing = [c for c in categories if c not in names]
    extra = [n for n in names if n not in categories]
    if missing or extra or len(set(names)) != len(names):
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if extra:
            parts.append(f"extra {', '.join(extra)}")
        if len(set(names)) != len(names):
            parts.append("duplicate names")
        raise ModelError(
            f"{source}: config.id2label does not match the taxonomy categories "
            f"({'; '.join(parts)}).",
            fix="set config.json id2label/label2id to the labels.yaml categories "
            f"({', '.join(categories)}) and retrain the head, or pass the labels.yaml the model "
            "was trained with (--labels).",
        )
    return names


def check_has_head(config: Any, source: str) -> None:
    """A model saved without a sequence-classification head (an encoder such as a
    sentence-transformers folder) is a ModelError: its id2label is only the default
    LABEL_0, LABEL_1 and loading it would score with a random head. ``config``: a
    transformers config, or config.json read as a dict."""
    found = config.get("architectures") if isinstance(config, dict) else None
    archs = list(found or getattr(config, "architectures", None) or [])
    if archs and not any(str(a).endswith("ForSequenceClassification") for a in archs):
        raise ModelError(
            f"{source}: the model is a {', '.join(map(str, archs))}, an encoder without a "
            "sequence-classification head (expected an architecture ending in "
            "ForSequenceClassification).",
            fix="train a model on it with `annotate train` (a train config's `encoder:` "
            "takes this folder), or pass a folder written by `annotate train` or a "
            "sequence-classification model whose id2label is the labels.yaml categories.",
        )


def check_transformers_labels(path: Path, categories: Sequence[str]) -> None:
    """What loading a transformers model folder (``config.json``, no annotate_model.json)
    would refuse, read from its config.json alone (no transformers import, no weights):
    an encoder without a classification head (:func:`check_has_head`) and an
    ``id2label`` that is not the taxonomy's ``categories`` (:func:`check_label_map`).
    A config.json that cannot be read, or has no ``id2label``, is left to loading."""
    try:
        config = json.loads((Path(path) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(config, dict):
        return
    check_has_head(config, str(path))
    id2label = config.get("id2label")
    if isinstance(id2label, dict) and id2label:
        try:
            check_label_map(id2label, categories, str(path))
        except (TypeError, ValueError):  # keys that are no numbers: loading says
            return


def recorded_config(model: str | Path) -> dict[str, Any] | None:
    """A model directory's ``annotate_model.json`` as it is, for what messages say of the
    model before (or instead of) loading it; None when there is none or it is not a JSON
    object (a transformers model, a hub id, a damaged file). Loading validates it
    (:func:`read_model_config`)."""
    try:
        info = json.loads((Path(model) / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def recorded_labels(model: str | Path) -> list[str] | None:
    """The categories a model directory's ``annotate_model.json`` records, None when it
    has none (a transformers model, a hub id) or cannot be read."""
    labels = (recorded_config(model) or {}).get("labels")
    return [str(x) for x in labels] if isinstance(labels, list) else None


def recorded_taxonomy(model: str | Path) -> str:
    """The labels.yaml a model's ``annotate_model.json`` records (``NAME VERSION``), "" when
    it records none (a transformers model) or cannot be read."""
    tax = (recorded_config(model) or {}).get("taxonomy")
    if not isinstance(tax, dict) or not tax.get("version"):
        return ""
    return " ".join(str(tax[k]) for k in ("name", "version") if tax.get(k))


def fitted_fields(model: Any) -> dict[str, Any]:
    """The config fields a fitted model fills alike whatever its kind
    (annotate.training.frozen.FrozenLinear, annotate.training.finetune.FineTuned: ``tax``,
    ``cfg``, ``labels``, yields, calibration and thresholds), stamped now (UTC)."""
    from annotate.classifier.encoder_identity import encoder_identity

    tax, cfg = model.tax, model.cfg
    return {
        "name": cfg.name,
        "encoder": cfg.encoder,
        # package, version and weights digest of the encoder trained with (model card too)
        "encoder_identity": encoder_identity(cfg.encoder).model_dump(),
        "labels": model.labels,
        "harmful": tax.harmful,
        "context": tax.context,
        "none_label": tax.none_label,
        "yield_to_none": list(model.yield_to_none),
        "yield_to_context": list(model.yield_to_context),
        "own_voice_spans": cfg.own_voice_spans,
        "quoted_span": cfg.quoted_span,
        "calibration": {k: PlattDict(**v.as_dict()) for k, v in model.calibration.items()},
        "thresholds": model.thresholds,
        "span_calibration": {
            k: PlattDict(**v.as_dict()) for k, v in model.span_calibration.items()
        },
        "span_thresholds": model.span_thresholds,
        "taxonomy": tax.identity(),
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def write_model_config(
    out: Path, schema: type[BaseModel], fields: dict[str, Any], weight_files: Iterable[str]
) -> str:
    """Validate ``fields`` by ``schema``, write them to ``out/annotate_model.json`` (in the
    schema's field order, indented) and return the model version (weights already in
    ``out``). A schema with :data:`TRAINING_DIGEST_KEY` gets the digest of the
    ``training`` record as the file will hold it, one with :data:`TRAINING_CONTENT_KEY`
    that of the record less where it was built (:func:`training_content`), one with
    :data:`ENCODER_DIGEST_KEY` True there when its encoder is a local folder with a
    weights digest (``encoder_identity`` records its ``path`` only then)."""
    conf = schema(**fields).model_dump()
    if isinstance(conf.get("training"), dict):
        run_folder = run_folder_from(out)
        if run_folder is not None:
            conf["training"][RUN_FOLDER_KEY] = run_folder
    written = json.loads(json.dumps(conf.get("training") or {}))  # as read back
    identity = conf.get("encoder_identity")
    if (
        ENCODER_DIGEST_KEY in conf
        and isinstance(identity, dict)
        and identity.get("path")  # only a local folder's identity records one
        and identity.get("weights_sha256")
    ):
        conf[ENCODER_DIGEST_KEY] = True
    if TRAINING_DIGEST_KEY in conf:
        conf[TRAINING_DIGEST_KEY] = training_sha256(written)
    if TRAINING_CONTENT_KEY in conf:
        conf[TRAINING_CONTENT_KEY] = training_content_sha256(
            written, bool(conf.get(ENCODER_DIGEST_KEY))
        )
    (out / CONFIG_FILE).write_text(json.dumps(conf, indent=2) + "\n", encoding="utf-8")
    return model_version(out, conf, weight_files)


def run_folder_from(out: Path) -> str | None:
    """The working directory relative to the model folder ``out`` (POSIX, ``../..``),
    when ``out`` is under it; None otherwise (a path naming the trainer's folders is not
    recorded). ``out`` may be the partial folder beside the final one: the same depth."""
    import os

    cwd, model = Path.cwd().resolve(), out.resolve()
    if not model.is_relative_to(cwd) or model == cwd:
        return None
    return Path(os.path.relpath(cwd, model)).as_posix()


def require_model_target(out: Path) -> None:
    """Refuse to train into ``out`` unless it is new, empty or a previous model directory.

    A trained model replaces its directory whole, so any other folder (documents, an
    export, the current directory) would be lost. Checked before training starts.
    Raises InputError.
    """
    from annotate._util.atomic import require_replaceable

    require_replaceable(
        out,
        (CONFIG_FILE,),
        "a model folder",
        "models/NAME",
        reuse="replace it, with --overwrite",
    )
