"""Category ids stable within a MAJOR labels.yaml version, against a real Label Studio
(stop 48 new-user F26): the server's project listing carries each project's labeling
config, so a labels.yaml 1.1.0 with a category inserted before `none` is refused for the
project made from 1.0.0 and for a new project beside it (the next batch); the appended
category passes."""

from __future__ import annotations

import pytest

from annotate.errors import TaxonomyError
from annotate.studio.client import StudioClient
from annotate.studio.push import ensure_project
from annotate.taxonomy import parse_taxonomy
from tests.conftest import ROOT

from .helpers import TAX

pytestmark = pytest.mark.integration
HARASSMENT = (
    "  - name: harassment\n    group: harmful\n    title: Harassment\n"
    "    definition: Targeted abuse.\n\n"
)


def test_a_minor_version_that_moves_ids_is_refused_by_the_server_record(
    client: StudioClient, name: str
) -> None:
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8").replace("1.0.0", "1.1.0", 1)
    moved = parse_taxonomy(text.replace("  - name: none\n", HARASSMENT + "  - name: none\n", 1))
    appended = parse_taxonomy(text.replace("\nspans:", "\n" + HARASSMENT + "spans:", 1))
    ensure_project(client, name, TAX.render_label_config(), TAX, "m")
    with pytest.raises(TaxonomyError, match=rf"project {name!r}.*none 6 -> 7"):
        ensure_project(client, name, moved.render_label_config(), moved, "m")
    with pytest.raises(TaxonomyError, match=rf"project {name!r}.*none 6 -> 7"):
        ensure_project(client, f"{name}b", moved.render_label_config(), moved, "m")
    assert client.find_project(f"{name}b") is None
    proj, made = ensure_project(client, f"{name}b", appended.render_label_config(), appended, "m")
    assert made and "harassment" in str(proj.get("label_config") or appended.render_label_config())


def test_adjudicate_refuses_to_renumber_its_project_s_config(
    client: StudioClient, name: str
) -> None:
    """`annotate adjudicate` replaced ``NAME · adjudication``'s labeling config with the
    labels.yaml given, renumbering included; it now refuses as push and export do, and the
    server keeps the lead's project's config (read back)."""
    from annotate.review.adjudication import adjudicate, adjudication_config
    from annotate.review.collect import adjudication_title

    text = (ROOT / "labels.yaml").read_text(encoding="utf-8").replace("1.0.0", "1.1.0", 1)
    moved = parse_taxonomy(text.replace("  - name: none\n", HARASSMENT + "  - name: none\n", 1))
    ensure_project(client, name, TAX.render_label_config(), TAX, "m")
    lead = client.create_project(adjudication_title(name), adjudication_config(TAX))
    with pytest.raises(TaxonomyError, match=r"none 6 -> 7"):
        adjudicate(client, name, moved, salt="s")
    kept = client.get_project(int(lead["id"]))["label_config"]
    assert "harassment" not in kept and kept == lead["label_config"]
