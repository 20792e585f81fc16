"""The classifier interface that `prelabel`, `evaluate` and `train` share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from annotate._util.progress import ProgressFn

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class PassageInput:
    """One passage to classify, with the document context the classifier may use.

    Callers pass every passage of a document together and in document order, so that
    context (title, neighbouring passages) is available.
    """

    id: str
    text: str
    doc_id: str | None = None
    title: str | None = None
    passage_index: int | None = None
    # whether the document is a conversation (plain ``Dave: `` speaker labels), as ingest
    # read it on the whole document (the passages' ``conversation`` column); None: not
    # recorded, judged from the document's passages given (annotate.classifier.turn_text)
    conversation: bool | None = None
    # whether the document is a subtitle file though its name does not say so, as ingest
    # recorded it in its ``meta`` (annotate.classifier.cue_sentences.recorded_subtitles):
    # its cues are read within their sentences; None: told by its name (``.vtt``, ``.srt``)
    subtitles: bool | None = None
    # a subtitle cue's start and end in the video, in seconds, as ingest recorded them in
    # its ``meta`` (annotate.classifier.cue_sentences.recorded_cue_times): cues further
    # apart than cue_sentences.MAX_GAP are not read as one sentence; None: not recorded
    cue_start: float | None = None
    cue_end: float | None = None


@dataclass(frozen=True)
class Span:
    start: int  # character offsets into PassageInput.text (Python code points)
    end: int
    label: str  # a span label of labels.yaml
    score: float

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "label": self.label, "score": self.score}


@dataclass(frozen=True)
class Prediction:
    scores: dict[str, float]  # a calibrated probability for every category
    labels: list[str]  # categories at or above the model's thresholds
    spans: list[Span] = field(default_factory=list)


def predictions(
    probs: np.ndarray,
    names: Sequence[str],
    labels: Sequence[list[str]],
    spans: Sequence[list[Span]] | None = None,
) -> list[Prediction]:
    """One Prediction per row of ``probs`` (n, len(names)): its scores by category name,
    ``labels[i]`` and ``spans[i]`` (none when ``spans`` is None)."""
    return [
        Prediction(
            scores={n: float(v) for n, v in zip(names, probs[i], strict=True)},
            labels=labels[i],
            spans=spans[i] if spans is not None else [],
        )
        for i in range(len(labels))
    ]


@runtime_checkable
class Classifier(Protocol):
    """What every backend provides."""

    labels: list[str]  # the category names, in labels.yaml order
    version: str  # recorded as model_version on every prediction

    def predict(
        self, passages: Sequence[PassageInput], *, progress: ProgressFn | None = None
    ) -> list[Prediction]:
        """Predictions in input order. ``progress(n)`` is called as n passages finish."""
        ...


# Neighbouring passages each side that a model kind reads besides the passage and its
# title (annotate/classifier/*): the fine-tuned model reads the previous and next
# passage; a plain sequence classifier reads the passage alone; the encoder-head model
# reads the whole document (its mean embedding and style), so it is absent (None).
KIND_CONTEXT: dict[str, int] = {
    "annotate.finetuned.v1": 1,
    "transformers.sequence-classification.v1": 0,
}
_UNSET = object()


def context_passages(clf: Classifier) -> int | None:
    """How many neighbouring passages on each side of a passage ``clf`` reads (with the
    passage's title); None: it reads the whole document.

    A classifier may say so itself (``context_passages`` attribute); otherwise it is
    known by its kind (:data:`KIND_CONTEXT`), and an unknown classifier gets whole
    documents, which is always exact.
    """
    declared = getattr(clf, "context_passages", _UNSET)
    if declared is not _UNSET:
        return None if declared is None else int(declared)
    return KIND_CONTEXT.get(getattr(clf, "kind", None))


def training_record(clf: Any) -> Mapping[str, Any]:
    """The training record of a loaded classifier: the ``training`` mapping of its
    ``annotate_model.json`` config (``seed``, ``languages``, ``data`` ... as training
    wrote them), read from ``clf.config`` as an attribute (the pydantic configs of the
    frozen-encoder and fine-tuned models) or as a key (a config kept as a dict). The
    mapping itself, not a copy; an empty dict when ``clf`` has no config, the config no
    training record, or the record is not a mapping (a transformers model, a model
    trained before the record). Never raises."""
    config = getattr(clf, "config", None)
    training = getattr(config, "training", None)
    if training is None and isinstance(config, Mapping):
        training = config.get("training")
    return training if isinstance(training, Mapping) else {}


# the keys of a classifier's annotate_model.json that say how its thresholds were set
THRESHOLD_RECORD_KEYS = ("labels", "harmful", "metrics", "training")


def threshold_record(clf: Any) -> dict[str, Any]:
    """The parts of a loaded classifier's ``annotate_model.json`` config that say how its
    thresholds were set (:data:`THRESHOLD_RECORD_KEYS`: ``metrics.threshold_sources``,
    the operating point in ``training``), read as :func:`training_record` reads
    ``training``; keys the config lacks (or holds as no list or mapping) are left out,
    so a transformers model or a model built before the record gives {}. Never raises."""
    config = getattr(clf, "config", None)
    out: dict[str, Any] = {}
    for key in THRESHOLD_RECORD_KEYS:
        value = getattr(config, key, None)
        if value is None and isinstance(config, Mapping):
            value = config.get(key)
        if isinstance(value, (Mapping, list)):
            out[key] = value
    return out
