"""Earlier records of a taxonomy that a labels.yaml's category ids are checked against.

A category's id is its position in labels.yaml (:attr:`annotate.taxonomy.Taxonomy.
label2id`); models and Parquet/HF exports store ids. A labels.yaml that inserts a category
mid-list without a MAJOR bump gives every later category another id. Push, export and
prelabel notice it against what they read (a project's labeling config, a model); `annotate
taxonomy check` reads the records this module finds without a server:

- :func:`default_records`: the project's labels.yaml (``$ANNOTATE_LABELS``,
  ``./labels.yaml``, the shipped one) and the default model's record (the categories, in
  order, it was trained for), each when it is another file of the same taxonomy name;
- :func:`model_record`: the record of a model folder written by ``annotate train``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from annotate import taxonomy as taxonomy_module
from annotate.classifier.model_files import CONFIG_FILE
from annotate.errors import AnnotateError, TaxonomyError
from annotate.settings import default_labels_path, default_model_dir, resource
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

MODEL_RECORD = CONFIG_FILE  # a model folder's record (annotate_model.json)


@dataclass(frozen=True)
class TaxonomyRecord:
    """A taxonomy as something earlier recorded it: ``where`` (what recorded it, for
    messages: ``labels.yaml PATH``, ``model PATH``), ``name`` (the taxonomy's ``name:``;
    None: not recorded), ``categories`` (names, in id order), ``version`` (None: not
    recorded) and ``sha256`` (content SHA-256; None: not recorded)."""

    where: str
    name: str | None
    categories: list[str]
    version: str | None
    sha256: str | None


def model_record(folder: Path) -> TaxonomyRecord | str:
    """The taxonomy the model in ``folder`` was trained for, as its annotate_model.json
    records it (``labels``, ``taxonomy.name/version/sha256``); else what was found
    instead, in words (for an error): no annotate_model.json, one that is not JSON, one
    without the categories."""
    path = folder / MODEL_RECORD
    if not path.is_file():
        return f"a folder without a manifest.json (an export's) or {MODEL_RECORD} (a model's)"
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"{path} that cannot be read as JSON ({type(exc).__name__})"
    labels = info.get("labels") if isinstance(info, dict) else None
    if not isinstance(labels, list) or not labels:
        return f"a model ({path}) without a record of its categories (`labels`)"
    tax = info.get("taxonomy") if isinstance(info.get("taxonomy"), dict) else {}
    return TaxonomyRecord(
        where=f"model {folder}",
        name=str(tax["name"]) if tax.get("name") else None,
        categories=[str(x) for x in labels],
        version=str(tax["version"]) if tax.get("version") else None,
        sha256=str(tax["sha256"]) if tax.get("sha256") else None,
    )


def _labels_record(path: Path) -> TaxonomyRecord | None:
    try:  # looked up at call time, as the CLI does (a name bound at import would keep
        # whatever load_taxonomy was when this module was first imported: CI 59b)
        old = taxonomy_module.load_taxonomy(path)
    except AnnotateError as exc:  # a broken project file is the project's own check
        log.debug("not compared with %s: %s", path, exc)
        return None
    return TaxonomyRecord(
        f"labels.yaml {path}", old.name, old.category_names, old.version, old.content_sha256
    )


def _same_file(a: Path, b: Path | None) -> bool:
    if b is None:
        return False
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:
        return False


def default_records(tax: Taxonomy, labels_path: Path | None) -> list[TaxonomyRecord]:
    """The records ``tax`` (read from ``labels_path``; None: the default labels.yaml) is
    checked against without --against: the project's labels.yaml
    (:func:`annotate.settings.default_labels_path`) and the shipped one, when each is
    another file; the default model's record. Only those of ``tax``'s name (another name
    is another taxonomy, its ids are its own); duplicates (the same file) once."""
    checked = labels_path if labels_path is not None else default_labels_path()
    found: list[TaxonomyRecord] = []
    seen: list[Path] = [checked]
    for path in (default_labels_path(), resource("labels.yaml")):
        if not path.is_file() or any(_same_file(path, s) for s in seen):
            continue
        seen.append(path)
        record = _labels_record(path)
        if record is not None:
            found.append(record)
    model = model_record(default_model_dir())
    if isinstance(model, TaxonomyRecord):
        found.append(model)
    return [r for r in found if r.name == tax.name]


def check_records(tax: Taxonomy, records: list[TaxonomyRecord], *, own_name_fix: bool) -> None:
    """Refuse ``tax`` when it moves the id of a category one of ``records`` lists, within
    the same MAJOR version (:func:`annotate.taxonomy.check_stable_ids`): TaxonomyError
    naming the record, the moved categories and the fix; with ``own_name_fix``, the fix
    also says that a taxonomy of one's own takes another ``name:`` (the records were found,
    not named by the user). Warns (logs) when a record is the same version with other
    content: a change made without a version bump."""
    from annotate.taxonomy import check_stable_ids

    for record in records:
        try:
            check_stable_ids(record.categories, record.version, tax, where=record.where)
        except TaxonomyError as exc:
            if not own_name_fix:
                raise
            raise TaxonomyError(
                exc.what,
                fix=f"{exc.fix} If this file is a taxonomy of your own rather than a new "
                f"version of {tax.name!r}, give it another `name:`.",
            ) from None
    edited = [
        r.where
        for r in records
        if r.version == tax.version and r.sha256 not in (None, tax.content_sha256)
    ]
    if edited:
        log.warning(
            "labels.yaml %s has the same version %s as %s but other content (content SHA-256 "
            "%s…): exports and models made under them cannot be told apart by version; bump "
            "`version:` (PATCH for wording, MINOR for an added category)",
            tax.name,
            tax.version,
            " and ".join(edited),
            tax.content_sha256[:12],
        )
