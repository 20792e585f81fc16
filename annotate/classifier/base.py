"""The classifier interface that `prelabel`, `evaluate` and `train` share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from annotate._util.progress import ProgressFn


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
