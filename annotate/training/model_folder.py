"""Which files of a model folder a model wrote, and keeping the others on a retrain.

``annotate train --out DIR --overwrite`` replaces a previous model in ``DIR``. The folder
is also where a user keeps notes on the model (``NOTES.txt``, ``eval/r.md``): a retrain
deleted them without a word (stop 46 new-user #5). A model's own files are the ones the
new model writes, plus every name a model of any kind writes (weights, configs, a
tokenizer's files, the card, a cross-source report): :func:`is_model_file`; a previous
model's file of such a name that the new model does not write (a span head it no longer
has) goes with it. Every other file is the user's and is carried into the new folder
unchanged (:func:`carry_user_files`), as :mod:`annotate.audit.report_files` does for a
report folder.
"""

from __future__ import annotations

import fnmatch
import logging
import shutil
from pathlib import Path

from annotate._util.os_files import is_os_file

log = logging.getLogger(__name__)

# top-level names a model folder holds, of any kind annotate trains or loads: annotate's
# records, weights, and what transformers' save_pretrained writes for a fine-tuned encoder
MODEL_PATTERNS = (
    "annotate_model.json",
    "annotate_thresholds.json",
    "model_card.md",
    "cross_source.json",
    "cross_source.md",
    "*.safetensors",
    "*.safetensors.index.json",
    "*.bin",
    "*.bin.index.json",
    "*.onnx",
    "*.pt",
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "vocab.txt",
    "vocab.json",
    "merges.txt",
    "*.model",  # sentencepiece: spiece.model, sentencepiece.bpe.model, tokenizer.model
)


def is_model_file(rel: str) -> bool:
    """Whether ``rel`` (relative to a model folder, ``/``-separated) is a name a model
    writes: a top-level file matching :data:`MODEL_PATTERNS`. Files in subfolders are
    never a model's (``eval/r.md``)."""
    return "/" not in rel and any(fnmatch.fnmatchcase(rel, p) for p in MODEL_PATTERNS)


def user_files(folder: Path, written: Path | None = None) -> list[str]:
    """The files of the model folder ``folder`` (relative, ``/``-separated, sorted) that
    no model wrote: not :func:`is_model_file`, not a file of the new model ``written``
    (its folder, when given), OS litter (``.DS_Store`` ...) left out. Empty when
    ``folder`` is missing or not a folder."""
    if not folder.is_dir():
        return []
    out = []
    for p in folder.rglob("*"):
        if not p.is_file():
            continue
        rel = p.relative_to(folder).as_posix()
        if is_model_file(rel) or is_os_file(rel):
            continue
        if written is not None and (written / rel).exists():
            continue
        out.append(rel)
    return sorted(out)


def carry_user_files(old: Path, new: Path) -> list[str]:
    """Copy the files of the previous model folder ``old`` that no model wrote
    (:func:`user_files`) into the new model's folder ``new`` (same relative paths, times
    kept), before it replaces ``old``; returns them (relative, sorted). OSError when a
    copy fails (the new folder is then not put in place, so nothing is lost)."""
    kept = user_files(old, new)
    for rel in kept:
        target = new / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(old / rel, target)
    if kept:
        log.info("kept %d file(s) no model wrote in %s", len(kept), old)
    return kept
