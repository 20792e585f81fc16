"""Which categories of the labels.yaml an export reads with were not offered to the
reviewers of answers made under an older one (newuser57 F2): a category appended in a
MINOR version (``harassment`` in 1.1.0) was in no labeling config an answer made under
1.0.0 was made with, so its passages are neither a "decided no" nor a model's true
negative for it. The manifest's ``labels_not_offered`` records them per version of
answers; :func:`row_not_offered` reads them back per passage for the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotate.studio.client import StudioClient
    from annotate.taxonomy import Taxonomy


def labels_not_offered(
    client: StudioClient,
    projects: Mapping[str, int],
    rows: Sequence[dict[str, Any]],
    tax: Taxonomy,
) -> dict[str, list[str]]:
    """labels.yaml version of answers -> the categories of ``tax`` that no labeling
    config of the ``projects`` (title -> id) offered while it was of that version
    (:func:`annotate.studio.pull.categories_offered`), in ``tax``'s order; only the
    versions of the rows' answers older than ``tax``'s in its major version, with no
    declared migration (a minor version only adds labels), and that miss some. {} when
    every answer was made under ``tax``'s version. Reads each project once."""
    from annotate.studio.pull import categories_offered

    made = {str(a.get("taxonomy_version")) for r in rows for a in r.get("annotations") or []}
    major = tax.version.split(".")[0]
    made = {
        v
        for v in made
        if v != tax.version and v.split(".")[0] == major and tax.migration_from_declared(v) is None
    }
    if not made:
        return {}
    offered: dict[str, set[str]] = {}
    for pid in projects.values():
        for version, names in categories_offered(client.get_project(int(pid)), tax).items():
            offered.setdefault(version, set()).update(names)
    out = {}
    for version in sorted(made):
        if version in offered:
            missing = [c for c in tax.category_names if c not in offered[version]]
            if missing:
                out[version] = missing
    return out


def row_not_offered(
    rows: Sequence[dict[str, Any]], recorded: Mapping[str, Sequence[str]] | None
) -> dict[str, set[str]]:
    """Passage id -> the categories none of its reviewers' answers could choose: each
    answer was made under a version ``recorded`` (the manifest's ``labels_not_offered``)
    lists them for. Passages with no such category are left out; {} for an export
    without the record."""
    if not recorded:
        return {}
    out: dict[str, set[str]] = {}
    for row in rows:
        answers = row.get("annotations") or []
        if not answers:
            continue
        sets = [set(recorded.get(str(a.get("taxonomy_version")), ())) for a in answers]
        common = set.intersection(*sets)
        if common:
            out[str(row["id"])] = common
    return out
