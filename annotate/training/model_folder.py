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
import os
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


def model_out_folder(out: Path) -> Path:
    """The folder ``--out`` names, as training writes it: ``out`` itself, or its resolved
    path when it has no name of its own (``.``, ``sub/..``: the partial folder beside it
    and the final rename need one; ``--out .`` ended in a traceback and ``--out sub/..``
    trained the whole model, then failed at the rename and lost it: break8 M7).
    InputError, before any work, when it is the current folder or a folder above it
    (training replaces ``--out`` whole, the folder the command runs in with it)."""
    from annotate.errors import InputError

    target = out.resolve()
    here = Path.cwd().resolve()
    if target == here or target in here.parents:
        where = "the current folder" if target == here else "a folder above the current one"
        raise InputError(
            f"--out {out} is {where} ({target}); expected a folder for the model, new, "
            "empty or holding a previous model (training replaces --out whole, so the "
            "folder this command runs in would be replaced).",
            fix="name a folder of its own, e.g. --out ./my-model.",
        )
    if out.name in ("", ".", "..") or ".." in out.parts:
        return target
    return out


def partial_model_folder(out: Path) -> Path:
    """A fresh hidden folder name beside ``out`` for this run to write its model in
    (``.NAME.partial-PID-HEX@HOST``, :func:`annotate._util.atomic.temp_sibling`), after
    removing the partial folders of runs into ``out`` that were killed outright on this
    machine (``kill -9``, out of memory) and whose process is gone, each said in a
    warning. A fixed ``NAME.partial`` was visible, never removed unless the same ``--out``
    was trained again (silently), and shared by two runs into one ``--out``, either of
    which could delete the other's (passF52 F2, F3); one an earlier version left is named
    with the command that removes it (:func:`older_partial`)."""
    from annotate._util.atomic import discard_stale_partials, temp_sibling
    from annotate._util.shell import sh

    discard_stale_partials(out)
    old = older_partial(out)
    if old is not None:
        log.warning(
            "%s looks like the partial model folder of an interrupted `annotate train` run "
            "of an earlier version (before 6 Dec 2026 a run wrote its model in a visible "
            "NAME.partial beside --out, and one killed outright left it); this version "
            "never writes it, and it is left since that version took no lock to tell "
            "whether a run of it still writes there. Unless an older annotate is training "
            "into %s now, remove it: `rm -r %s`.",
            old,
            out,
            sh(old),
        )
    return temp_sibling(out)


def older_partial(out: Path) -> Path | None:
    """The visible ``NAME.partial`` folder beside ``out`` that an ``annotate train`` of an
    earlier version wrote its model in (removed only by the next run of that version
    into ``out``), or None: none there, a link, or a folder holding anything a model does
    not write (a subfolder, ``NOTES.txt``: a folder of the user's of that name, not ours)."""
    old = out.with_name(out.name + ".partial")
    if old.is_symlink() or not old.is_dir():
        return None
    try:
        entries = list(old.iterdir())
    except OSError:
        return None
    for entry in entries:
        if entry.is_symlink() or not entry.is_file():
            return None
        if not (is_model_file(entry.name) or is_os_file(entry.name)):
            return None
    return old


def kept_model_path(out: Path, version: str) -> Path:
    """Where a model whose ``out`` was taken meanwhile is kept: ``NAME-HASH`` beside
    ``out`` (the hash of ``version``, ``NAME@HASH``), with ``-2``, ``-3`` ... while taken."""
    stem = f"{out.name}-{version.rpartition('@')[2] or 'new'}"
    path, n = out.with_name(stem), 2
    while path.exists():
        path, n = out.with_name(f"{stem}-{n}"), n + 1
    return path


def put_model_in_place(tmp: Path, out: Path, version: str, *, replace: bool) -> list[str]:
    """Rename the finished model folder ``tmp`` onto ``out``; returns the user files
    carried over from a previous folder there (:func:`carry_user_files`).

    ``replace=False`` (no ``--overwrite``): the caller checked before training that
    ``out`` held no model, but another run may have written one there since (two
    ``train`` runs into one new ``--out`` both succeeded and the second replaced the
    first's model without a word: passF52 F2). Then nothing is replaced: ``tmp`` is
    renamed to :func:`kept_model_path` and TrainingError names both models and the fix.
    A missing ``out`` is taken in one rename that fails if a folder appeared at that
    very moment (:func:`annotate._util.atomic.commit` with ``replace=False``). Flushed to
    the disk before and after the rename (:func:`annotate._util.atomic.commit_durably`): a
    power cut left no model folder with empty weights under the model's name."""
    from annotate._util.atomic import commit_durably, release_partial
    from annotate.errors import TrainingError

    def taken() -> TrainingError:
        from annotate.classifier.model_files import card_version

        if (out / "annotate_model.json").is_file():
            held = card_version(out) or "a model of unknown version"
        else:  # a folder of other files, made at that very moment
            held = "a folder of other files"
        kept = kept_model_path(out, version)
        os.rename(tmp, kept)
        release_partial(tmp)
        return TrainingError(
            f"--out {out} was new when this run started, but while it trained another run "
            f"wrote {held} there; this run's model {version} did not replace it (no "
            f"--overwrite) and is kept in {kept}.",
            fix=f"use it from there (--model {kept}) or rename it; to replace {held} with "
            "it, delete or move that folder and rename this one, or train again with "
            "--overwrite.",
        )

    out.parent.mkdir(parents=True, exist_ok=True)
    if not replace and (out / "annotate_model.json").is_file():
        raise taken()
    existed = out.exists()  # a folder of notes without a model is taken as before
    kept = carry_user_files(out, tmp)  # a user's notes in the folder stay
    if replace or existed:
        try:
            commit_durably(tmp, out, replace=True)
        except OSError as exc:
            raise not_put_in_place(tmp, out, version, exc) from exc
        return kept
    try:
        commit_durably(tmp, out, replace=False)
    except FileExistsError:
        raise taken() from None
    except OSError as exc:
        raise not_put_in_place(tmp, out, version, exc) from exc
    return kept


# partial model folders kept after a failed final rename: never removed on the way out
_KEPT: set[Path] = set()


def not_put_in_place(tmp: Path, out: Path, version: str, exc: OSError) -> Exception:
    """The TrainingError for a finished model ``tmp`` that could not be renamed onto
    ``out`` (``exc``): the model is kept, renamed to :func:`kept_model_path` (visible, named
    after ``out`` and the version), or left in ``tmp`` when even that rename fails, and the
    error says where. The trained model was lost here before (break8 M7)."""
    from annotate._util.atomic import release_partial
    from annotate._util.shell import sh
    from annotate.errors import TrainingError

    kept = kept_model_path(out, version)
    try:
        os.rename(tmp, kept)
        release_partial(tmp)
    except OSError:
        kept = tmp
        _KEPT.add(tmp)
    return TrainingError(
        f"the trained model {version} could not be put in place at --out {out} "
        f"({exc.strerror or exc}); it is kept in {kept}.",
        fix=f"use it from there (--model {kept}) or move it where you want it "
        f"(e.g. `mv {sh(kept)} models/NAME`); no need to train again.",
    )


def discard_on_failure(tmp: Path) -> None:
    """Remove the partial model folder ``tmp`` (a failed or interrupted run), unless it
    holds a finished model kept after a failed rename (:func:`not_put_in_place`)."""
    from annotate._util.atomic import discard

    if tmp in _KEPT:
        return
    discard(tmp)
