"""annotate: find violent and violent-extremist content, route it to human review in
Label Studio, and export an auditable, retrainable corpus.

The stages, each one function that reads one table and writes the next::

    ingest(paths, out)                  documents -> passages table
    prelabel(passages, out)             passages -> prelabels (scores, labels, spans)
    push(prelabels, project)            prelabels -> Label Studio tasks, riskiest first
    export(project, out)                reviewed tasks -> corpus (HF datasets/Parquet/JSONL)
    train(config, out, taxonomy)        corpus (+ other data) -> a model directory
    evaluate(classifier, taxonomy, data, out)   a model on labeled data -> a report

with :func:`load_taxonomy` (labels.yaml, the single source of truth for label names)
and :func:`load_classifier` (a model directory or hub id). Every failure a user can
act on is an :class:`AnnotateError` (subclasses in :mod:`annotate.errors`).

Names are imported on first use, so ``import annotate`` stays cheap (no torch).
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

# public name -> module that defines it
_API = {
    "ingest": "annotate.ingestion",
    "prelabel": "annotate.prelabeling",
    "push": "annotate.studio.push",
    "export": "annotate.corpus.export",
    "train": "annotate.training",
    "evaluate": "annotate.evaluation.evaluate",
    "load_taxonomy": "annotate.taxonomy",
    "load_classifier": "annotate.classifier.loader",
    "Taxonomy": "annotate.taxonomy",
    "Classifier": "annotate.classifier.base",
    "AnnotateError": "annotate.errors",
}

__all__ = [
    "AnnotateError",
    "Classifier",
    "Taxonomy",
    "__version__",
    "evaluate",
    "export",
    "ingest",
    "load_classifier",
    "load_taxonomy",
    "prelabel",
    "push",
    "train",
]

if TYPE_CHECKING:
    from annotate.classifier.base import Classifier
    from annotate.classifier.loader import load_classifier
    from annotate.corpus.export import export
    from annotate.errors import AnnotateError
    from annotate.evaluation.evaluate import evaluate
    from annotate.ingestion import ingest
    from annotate.prelabeling import prelabel
    from annotate.studio.push import push
    from annotate.taxonomy import Taxonomy, load_taxonomy
    from annotate.training import train


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'annotate' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
