"""What the model suggested to a reviewer, and whether the reviewer kept it.

Label Studio records, on each annotation, the prediction it started from:
``parent_prediction`` (the id of the prediction the reviewer accepted or edited) and
``prediction`` (the serialized prediction of the project's model version when the
annotation was saved). After a re-push with a newer model, that is the newer model's
prediction, not the first one the task was imported with. :func:`annotation_model_view`
reads it (the model whose pre-labels the task showed the reviewer);
:func:`parent_prediction` says whether the answer records starting from one (an answer
made through the API, or one whose prediction was deleted since, records none).
Agreement is computed on every field a reviewer can change: categories, severity and
evidence spans (:func:`agrees`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from annotate.corpus.resolve import ReviewedSpan as Span
from annotate.taxonomy import Taxonomy

ParseResult = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class ModelView:
    """One prediction as a reviewer saw it (label names, code-point spans)."""

    version: str
    categories: list[str]
    severity: str  # a severity name, or "" when the prediction has none
    spans: list[Span] = field(default_factory=list)
    prediction_id: int | None = None


def _view(
    pred: dict[str, Any], tax: Taxonomy, text: str, parse: ParseResult, version: str | None = None
) -> ModelView:
    """``version``: the labels.yaml it was made under when ``pred`` does not say."""
    parsed = parse(
        pred.get("result") or [],
        tax,
        text,
        where=f"prediction {pred.get('id')}",
        version=pred.get("taxonomy_version") or version,
    )
    pid = pred.get("id")
    return ModelView(
        version=str(pred.get("model_version") or ""),
        categories=parsed["categories"],
        severity=parsed["severity"],
        spans=parsed["spans"],
        prediction_id=None if pid is None else int(pid),
    )


def task_model_view(task: dict[str, Any], tax: Taxonomy, parse: ParseResult) -> ModelView:
    """The prediction a task was pushed with (its ``data.model_version``), else the newest."""
    data = task.get("data") or {}
    text = str(data.get(tax.interface.text_field) or "")
    version = str(data.get("model_version") or "")
    predictions = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    chosen = [p for p in predictions if p.get("model_version") == version] or predictions
    if chosen:
        return _view(chosen[-1], tax, text, parse)
    labels = data.get("model_labels") or []
    return ModelView(version, [c for c in tax.category_names if c in labels], "")


def parent_prediction(ann: dict[str, Any]) -> int | None:
    """The id of the prediction ``ann`` was started from (Label Studio's
    ``parent_prediction``: set when the reviewer accepted or edited a pre-annotation), or
    None when the answer records none (made from scratch, through the API without it, or
    its prediction deleted since: Label Studio then clears it)."""
    parent = ann.get("parent_prediction")
    if isinstance(parent, dict):
        parent = parent.get("id")
    try:
        return None if parent is None or isinstance(parent, bool) else int(parent)
    except (TypeError, ValueError):
        return None


def annotation_model_view(
    ann: dict[str, Any], task: dict[str, Any], tax: Taxonomy, parse: ParseResult
) -> ModelView:
    """The prediction ``ann`` started from (see the module doc), else the task's."""
    text = str((task.get("data") or {}).get(tax.interface.text_field) or "")
    by_id = {
        int(p["id"]): p
        for p in task.get("predictions") or []
        if isinstance(p, dict) and p.get("id") is not None
    }
    parent = parent_prediction(ann)
    if parent is not None and parent in by_id:
        return _view(by_id[parent], tax, text, parse)
    viewed = ann.get("prediction")
    if isinstance(viewed, dict) and viewed:
        if viewed.get("id") is not None and int(viewed["id"]) in by_id:
            return _view(by_id[int(viewed["id"])], tax, text, parse)
        if viewed.get("result") is not None:
            return _view(viewed, tax, text, parse, ann.get("taxonomy_version"))
    shown = _newest_before(list(by_id.values()), ann.get("created_at"))
    if shown is not None:
        return _view(shown, tax, text, parse)
    return task_model_view(task, tax, parse)


def _when(value: Any) -> datetime | None:
    """An ISO 8601 time as Label Studio writes it (``...Z`` or with an offset), else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def _newest_before(predictions: list[dict[str, Any]], answered: Any) -> dict[str, Any] | None:
    """The newest prediction made before an answer that records none (an answer made
    through the API): after a re-push with a newer model, the task's own columns name the
    newer model, while an answer made before that re-push was shown the older one. None
    when the times are missing or unreadable (the caller then falls back on the task's)."""
    at = _when(answered)
    if at is None or not predictions:
        return None
    dated = [(_when(p.get("created_at")), p) for p in predictions]
    if any(when is None for when, _ in dated):
        return None
    before = [(when, p) for when, p in dated if when is not None and when <= at]
    return max(before, key=lambda pair: pair[0])[1] if before else None


def _same_severity(reviewer: str, model: str, tax: Taxonomy) -> bool:
    """A reviewer's severity left blank counts as level 0 (no harm). A prediction
    without a severity (the model suggests none for a harmful passage:
    :func:`annotate.studio.tasks.predicted_severity`) made no claim about it, so any
    severity agrees with it."""
    if not model:
        return True
    no_harm = tax.no_harm_severity or ""  # level 0, not the lowest level (break5 B8)
    return (reviewer or no_harm) == (model or no_harm)


def agrees(
    categories: list[str], severity: str, spans: list[Span], model: ModelView, tax: Taxonomy
) -> bool:
    """Same categories, same severity (where the model suggested one) and the same
    evidence spans (offsets and labels)."""
    key = {(s.start, s.end, s.label) for s in spans}
    model_key = {(s.start, s.end, s.label) for s in model.spans}
    return (
        set(categories) == set(model.categories)
        and _same_severity(severity, model.severity, tax)
        and key == model_key
    )
