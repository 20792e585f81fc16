"""Whether the labels.yaml a command reads answers with is the one the projects were
pushed with: same version, same content.

A labels.yaml edited without a version bump (a definition reworded, a guideline added)
read the answers as if made under the new words: an export described them under
guidelines no reviewer saw, and its manifest recorded the edited file's digest. A
labeling config now records the content SHA-256 of the labels.yaml it was rendered from
(:func:`annotate.studio.label_config.version_comment`); export, agreement and adjudicate
compare it with the one in use and warn (:func:`other_content_warning`), and the export
records both (:func:`manifest_record`). A config rendered before 6 Dec 2026 records no
digest: "not recorded", and the labels' wording shown in the config (titles, definitions,
colours) is compared instead, warned only when it differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotate.studio.label_config import (
    config_taxonomy_name,
    config_taxonomy_sha256,
    config_taxonomy_version,
    label_words,
    parse_label_config,
    project_label_config,
)

if TYPE_CHECKING:
    from annotate.studio.client import StudioClient
    from annotate.taxonomy import Taxonomy

NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class PushedTaxonomy:
    """What a project's labeling config records of the labels.yaml it was made from
    (``name``, ``version``, ``sha256``: None where it records none), and, where that is
    the version in use, the labels whose wording in the config (title, definition or
    colour: ``control:name``) differs from the one in use (``reworded``) and whether the
    instructions shown before labeling differ (``instructions_differ``)."""

    project_id: int
    title: str
    name: str | None
    version: str | None
    sha256: str | None
    reworded: tuple[str, ...] = ()
    instructions_differ: bool = False

    def same_version(self, tax: Taxonomy) -> bool:
        return self.name == tax.name and self.version == tax.version

    def differs(self, tax: Taxonomy) -> bool:
        """Whether the answers were made under other content of ``tax``'s version: the
        recorded digest differs, or, none recorded, the wording shown differs. Another
        version (a push moved the project on; migrations read it) is not this case."""
        if not self.same_version(tax):
            return False
        if self.sha256 is not None:
            return self.sha256 != tax.content_sha256
        return bool(self.reworded)


def pushed_taxonomy(project: Mapping[str, Any], tax: Taxonomy) -> PushedTaxonomy:
    """:class:`PushedTaxonomy` of ``project`` (the server's project dict, with its
    ``label_config`` and ``expert_instruction``). Never raises for a missing or foreign
    config (all None)."""
    from annotate.review.view import project_view_settings

    xml = str(project.get("label_config") or "")
    found = PushedTaxonomy(
        project_id=int(project.get("id") or 0),
        title=str(project.get("title") or ""),
        name=config_taxonomy_name(xml),
        version=config_taxonomy_version(xml),
        sha256=config_taxonomy_sha256(xml),
    )
    if not found.same_version(tax):
        return found
    ui = tax.interface
    names = (ui.categories, ui.spans, ui.severity)
    before = label_words(project_label_config(xml), names)
    after = label_words(parse_label_config(tax.render_label_config()), names)
    reworded = tuple(sorted(k for k in before.keys() & after.keys() if before[k] != after[k]))
    shown = project.get("expert_instruction")
    instructions = isinstance(shown, str) and bool(shown.strip())
    differ = instructions and shown != project_view_settings(tax)["expert_instruction"]
    return PushedTaxonomy(**{**found.__dict__, "reworded": reworded, "instructions_differ": differ})


def read_pushed_taxonomies(
    client: StudioClient, project_ids: Iterable[int], tax: Taxonomy
) -> list[PushedTaxonomy]:
    """:func:`pushed_taxonomy` of each project (read from the server), in the order given,
    each once."""
    seen: dict[int, PushedTaxonomy] = {}
    for pid in project_ids:
        if int(pid) not in seen:
            seen[int(pid)] = pushed_taxonomy(client.get_project(int(pid)), tax)
    return list(seen.values())


def _shown(values: list[str], most: int = 3) -> str:
    more = len(values) - most
    return ", ".join(values[:most]) + (f" and {more} more" if more > 0 else "")


def other_content_warning(found: Iterable[PushedTaxonomy], tax: Taxonomy) -> str:
    """The warning when answers of projects in ``found`` were made under other content
    of ``tax``'s labels.yaml version, the one the command reads them with ("" when none
    were): what differs, what was found (the digests), and the fix."""
    other = [p for p in found if p.differs(tax)]
    if not other:
        return ""
    titles = [repr(p.title) for p in other]
    recorded = sorted({p.sha256[:12] for p in other if p.sha256})
    reworded = sorted({k for p in other for k in p.reworded})
    what = []
    if reworded:
        what.append(f"the wording (title, definition or colour) of {_shown(reworded)}")
    if any(p.instructions_differ for p in other):
        what.append("the guidelines shown before labeling")
    differs = (
        " and ".join(what)
        if what
        else "content the labeling view does not show (examples, spans' or severity "
        "levels' details, migrations)"
    )
    pushed = (
        f"content sha256 {', '.join(recorded)} recorded in their labeling config"
        if recorded
        else "their labeling config records no content digest (pushed before 6 Dec 2026), "
        "but its wording differs"
    )
    return (
        f"the labels.yaml the answers are read with ({tax.name} {tax.version}, content "
        f"sha256 {tax.content_sha256[:12]}) is not the one project(s) {_shown(titles)} were "
        f"pushed with, though the version is the same ({pushed}): {differs} differ from "
        "what their reviewers saw, and the export's manifest and report would describe "
        "the answers under guidelines no reviewer saw. Fix: pass the labels.yaml the "
        "project was pushed with (--labels PATH); if the edit is meant for the answers to "
        "come, bump `version` in labels.yaml (PATCH for a change of wording) and push it"
    )


def manifest_record(found: Iterable[PushedTaxonomy], tax: Taxonomy) -> dict[str, Any]:
    """The export manifest's record of the labels.yaml content the projects were pushed
    with, beside the one in use (``taxonomy.sha256``): ``sha256_pushed``, the digest
    their labeling configs record when they agree on one ("not recorded" when none
    records one; None when they record several: see the per-project record),
    ``sha256_pushed_by_project`` (project id -> digest or "not recorded"), and
    ``content_as_pushed``: whether the content in use is what the projects of its
    version were pushed with (None: not recorded and no wording difference seen)."""
    found = list(found)
    by_project = {str(p.project_id): p.sha256 or NOT_RECORDED for p in found}
    digests = {p.sha256 for p in found if p.sha256}
    if not digests:
        single: str | None = NOT_RECORDED
    else:
        single = next(iter(digests)) if len(digests) == 1 else None
    same = [p for p in found if p.same_version(tax)]
    if any(p.differs(tax) for p in same):
        as_pushed: bool | None = False
    elif any(p.sha256 for p in same):
        as_pushed = True
    else:
        as_pushed = None
    return {
        "sha256_pushed": single,
        "sha256_pushed_by_project": by_project,
        "content_as_pushed": as_pushed,
    }
