"""Export pull: what Label Studio gives back, parsed against the taxonomy.

Label Studio's export of a task (its data, annotations and predictions) -> reviewers'
votes (categories, evidence spans in code-point offsets, severity, comment) and the
model's view. Turning those into corpus rows is :mod:`annotate.corpus.rows`.
"""

from __future__ import annotations

from typing import Any

from annotate.corpus.resolve import ReviewedSpan
from annotate.errors import ExportError
from annotate.studio.offsets import from_utf16
from annotate.taxonomy import Taxonomy


def latest_annotations(task: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    """One vote per reviewer: ``(reviewer id, their latest annotation)`` of a task from
    Label Studio's export, cancelled (skipped) annotations left out, oldest first."""
    latest: dict[Any, dict[str, Any]] = {}
    for ann in task.get("annotations") or []:
        if ann.get("was_cancelled"):
            continue
        by = ann.get("completed_by")
        user = by.get("id") if isinstance(by, dict) else by
        if user not in latest or str(ann.get("updated_at")) >= str(latest[user].get("updated_at")):
            latest[user] = ann
    return sorted(latest.items(), key=lambda kv: str(kv[1].get("created_at")))


def parse_result(
    result: list[dict[str, Any]], tax: Taxonomy, text: str, *, where: str
) -> dict[str, Any]:
    """Categories, spans (code-point offsets), severity and comment of one result list."""
    ui = tax.interface
    fix = "export with the labels.yaml the project was labelled with (--labels)."
    out: dict[str, Any] = {"categories": [], "spans": [], "severity": "", "comment": ""}
    for item in result:
        name = item.get("from_name")
        value = item.get("value") or {}
        if name == ui.categories:
            chosen = value.get("choices") or []
            bad = [c for c in chosen if c not in tax.category_names]
            if bad:
                raise ExportError(
                    f"{where}: category {bad[0]!r} is not in labels.yaml {tax.version}.", fix=fix
                )
            out["categories"] = [c for c in tax.category_names if c in chosen]
        elif name == ui.spans:
            for label in value.get("labels") or []:
                if label not in tax.span_names:
                    raise ExportError(
                        f"{where}: span label {label!r} is not in labels.yaml {tax.version}.",
                        fix=fix,
                    )
                try:
                    start = from_utf16(text, int(value["start"]))
                    end = from_utf16(text, int(value["end"]))
                except (KeyError, ValueError, TypeError) as exc:
                    raise ExportError(
                        f"{where}: span {value.get('start')}-{value.get('end')} does not fit the "
                        f"text ({exc}).",
                        fix="fix the region in Label Studio.",
                    ) from None
                out["spans"].append(ReviewedSpan(start, end, label, text[start:end]))
        elif name == ui.severity:
            chosen = value.get("choices") or []
            if chosen and chosen[0] not in tax.severity_names:
                raise ExportError(
                    f"{where}: severity {chosen[0]!r} is not in labels.yaml {tax.version}.",
                    fix=fix,
                )
            out["severity"] = chosen[0] if chosen else ""
        elif name == ui.comment:
            texts = value.get("text") or []
            out["comment"] = "\n".join(texts) if isinstance(texts, list) else str(texts)
    out["spans"].sort(key=lambda s: (s.start, s.end, s.label))
    return out


def model_view(task: dict[str, Any], tax: Taxonomy) -> tuple[list[str], str]:
    """The model's categories shown on a task and the model version that made them: the
    prediction of the task's ``model_version`` (else the latest), else ``model_labels``."""
    data = task.get("data") or {}
    version = str(data.get("model_version") or "")
    predictions = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    chosen = [p for p in predictions if p.get("model_version") == version] or predictions
    if chosen:
        pred = chosen[-1]
        for item in pred.get("result") or []:
            if item.get("from_name") == tax.interface.categories:
                choices = (item.get("value") or {}).get("choices") or []
                return [c for c in tax.category_names if c in choices], str(
                    pred.get("model_version") or version
                )
        return [], str(pred.get("model_version") or version)
    labels = data.get("model_labels") or []
    return [c for c in tax.category_names if c in labels], version
