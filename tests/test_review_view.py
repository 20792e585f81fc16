"""The reviewer's view: context, content warnings, guidelines, provenance (no server)."""

from __future__ import annotations

import json

from annotate.review.view import (
    HIDDEN_NEIGHBOUR,
    grid_view,
    hidden_neighbour,
    instructions_html,
    is_sensitive,
    link_neighbours,
)
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import provenance_line, row_to_task, source_name
from annotate.taxonomy import load_taxonomy

from .integration.helpers import PRELABELS

TAX = load_taxonomy()
CONFIG = parse_label_config(TAX.render_label_config())


def tasks():
    rows = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    return {r["id"]: row_to_task(r, TAX, CONFIG, where=r["id"]) for r in rows}


def test_graphic_and_high_severity_passages_are_hidden_until_revealed() -> None:
    by_id = tasks()
    gore = by_id["doc-c-p1"]  # graphic_violence by the model
    assert gore["data"]["warning"].startswith(
        "Content warning (graphic violence: model label graphic_violence)"
    )
    assert gore["data"]["graphic_hidden_by"] == "model label graphic_violence"
    assert gore["data"]["preview"] == "[hidden: graphic violence]"
    assert "reveal" not in {r["from_name"] for r in gore["predictions"][0]["result"]}
    news = by_id["doc-a-p0"]
    assert news["data"]["warning"] == "" and news["data"]["preview"].startswith("Police said")
    assert news["data"]["graphic_hidden_by"] == ""
    reveal = [r for r in news["predictions"][0]["result"] if r["from_name"] == "reveal"]
    assert reveal and reveal[0]["value"] == {"choices": ["shown"]}
    assert "shown" in CONFIG.controls["reveal"].values
    # a harmful label the model gives 0.5 or more hides the passage; less, or a label
    # that is not harmful, does not (stop 48 F19: no predicted severity decides it)
    assert is_sensitive(["violent_threat"], {"violent_threat": 0.5}, TAX)
    assert not is_sensitive(["violent_threat"], {"violent_threat": 0.49}, TAX)
    assert not is_sensitive(["news_reporting"], {"news_reporting": 0.99}, TAX)


def test_a_hidden_passage_s_spans_carry_no_text_a_shown_one_s_do() -> None:
    # Label Studio's Regions panel prints a region's value.text even while the passage
    # itself is hidden behind the content warning (seen in the browser test)
    by_id = tasks()
    gore_spans = [r for r in by_id["doc-c-p1"]["predictions"][0]["result"] if r["type"] == "labels"]
    assert gore_spans and all("text" not in r["value"] for r in gore_spans)
    assert all({"start", "end", "labels"} <= set(r["value"]) for r in gore_spans)
    news_spans = [r for r in by_id["doc-a-p0"]["predictions"][0]["result"] if r["type"] == "labels"]
    assert news_spans and all(r["value"]["text"] for r in news_spans)


def test_neighbours_come_from_the_same_document_and_hidden_ones_stay_hidden() -> None:
    by_id = tasks()
    link_neighbours(list(by_id.values()), TAX)
    assert by_id["doc-a-p1"]["data"]["context_before"] == by_id["doc-a-p0"]["data"]["text"]
    # doc-b-p1: extremist_propaganda 0.62, hidden as likely harmful (its severity was
    # "low" before stop 48 F19, and it was shown)
    assert by_id["doc-b-p1"]["data"]["warning"].startswith(
        "Content warning (likely harmful: model extremist_propaganda score 0.62 >= 0.5)"
    )
    assert by_id["doc-b-p0"]["data"]["context_after"] == hidden_neighbour("doc-b-p1")
    assert by_id["doc-b-p1"]["data"]["context_before"] == by_id["doc-b-p0"]["data"]["text"]
    assert by_id["doc-a-p0"]["data"]["context_before"] == ""
    # hidden passages (likely harmful; gore) never appear in a neighbour's context
    assert by_id["doc-a-p0"]["data"]["context_after"] == hidden_neighbour("doc-a-p1")
    assert by_id["doc-c-p0"]["data"]["context_after"] == hidden_neighbour("doc-c-p1")


def test_instructions_render_every_category_from_labels_yaml() -> None:
    html = instructions_html(TAX)
    for cat in TAX.categories:
        assert cat.title in html
        for item in (*cat.includes, *cat.excludes):
            assert item.replace('"', "&quot;").replace("'", "&#x27;") in html
    assert "Includes" in html and "Excludes" in html and "Examples" in html


def test_every_instruction_list_is_bulleted_by_its_own_style() -> None:
    """Label Studio's stylesheet resets lists (no bullet, no indent): the instructions'
    includes, excludes, examples, spans and severity levels ran together as plain lines
    (stop 46 ui pass). The server strips ``style`` attributes from instructions and keeps
    ``<style>`` and ``class``: the instructions are one block of their class, after the
    rule that bullets its lists (checked in a browser by
    tests/integration/test_browser_layout.py)."""
    from annotate.review.view import INSTRUCTIONS_CLASS, INSTRUCTIONS_STYLE

    html = instructions_html(TAX)
    assert html.startswith(f"<style>{INSTRUCTIONS_STYLE}</style>")
    assert f".{INSTRUCTIONS_CLASS} ul {{ list-style: disc" in INSTRUCTIONS_STYLE
    body = html.split("</style>", 1)[1].strip()
    assert body.startswith(f'<div class="{INSTRUCTIONS_CLASS}">') and body.endswith("</div>")
    assert body.count("<div") == 1 and "style=" not in body  # nothing the server strips


def test_provenance_never_shows_a_local_absolute_path() -> None:
    assert source_name("/home/ana/corpus/report.txt") == "report.txt"
    assert source_name("https://example.org/a") == "https://example.org/a"
    line = provenance_line({"source": "/srv/data/x.txt", "doc_id": "d1", "passage_index": 0})
    assert "/srv" not in line and "x.txt" in line and "document d1" in line


def test_a_table_rows_provenance_names_its_line_counted_from_1(tmp_path) -> None:
    """A JSONL row without a source column had the provenance `forum.jsonl#3` (counted
    from 0) beside `input_row` `line 4` (passH53 H11): the line names the row as an
    auditor opens the file, and the stored source is unchanged. A URL's #fragment stays."""
    import json

    from annotate.ingestion import ingest
    from annotate.tables import iter_rows

    src = tmp_path / "forum.jsonl"
    texts = ["first post here", "second post here", "third post here", "I know where you live."]
    src.write_text(
        "".join(json.dumps({"id": f"t1-{n}", "text": t}) + "\n" for n, t in enumerate(texts, 1))
    )
    ingest([src], tmp_path / "p.jsonl", min_chars=0, near_dup_threshold=None)
    row = next(r for r in iter_rows(tmp_path / "p.jsonl") if r["doc_id"] == "t1-4")
    assert (row["source"], row["input_row"]) == ("forum.jsonl#3", "line 4")
    line = provenance_line(row)
    assert line.startswith("forum.jsonl line 4 · document t1-4"), line
    assert "#3" not in line
    url = {**row, "source": "https://example.org/thread#3"}
    assert provenance_line(url).startswith("https://example.org/thread#3 · ")


def test_the_grid_keeps_studios_default_hidden_columns_and_the_trail_hidden() -> None:
    """A tab naming its hidden columns replaces Label Studio's defaults: Upload filename,
    Created at, "Annotation results" (a reviewer's answer as raw JSON) were shown, and
    title, preview and model_labels sat ~30 columns right (passI53 I9;
    tests/integration/test_queue_columns.py checks the list against the server's)."""
    from annotate.review.view import STUDIO_HIDDEN_COLUMNS

    for reviewer in (False, True):
        tab = grid_view(TAX, by_priority=True, reviewer=reviewer)
        for mode in ("explore", "labeling"):
            hidden = tab["hiddenColumns"][mode]
            assert set(STUDIO_HIDDEN_COLUMNS) <= set(hidden)
            assert {"tasks:annotations_results", "tasks:file_upload", "tasks:created_at"} <= set(
                hidden
            )
            assert {"tasks:data.ingest_run", "tasks:data.document_sha256"} <= set(hidden)
            for shown in ("title", "preview", "model_labels", "disputed"):
                assert f"tasks:data.{shown}" not in hidden
            assert len(hidden) == len(set(hidden))


def test_the_grid_hides_what_is_read_elsewhere_and_sizes_the_rest_for_1400_px() -> None:
    """The provenance line, the warning, passage_id, doc_id, source, date and the model
    version came before title, preview and model_labels and pushed them off the first
    screen at 1400 px (break9 N10; Label Studio orders the columns itself). They are
    hidden, and the columns left are sized to fit the window whatever their order
    (tests/integration/test_browser.py measures it in Chromium)."""
    from annotate.review.view import GRID_OFF_FIELDS, QUEUE_COLUMN_WIDTHS

    for reviewer in (False, True):
        tab = grid_view(TAX, by_priority=True, reviewer=reviewer)
        for mode in ("explore", "labeling"):
            hidden = set(tab["hiddenColumns"][mode])
            for off in ("provenance", "warning", "passage_id", "doc_id", "source", "date"):
                assert f"tasks:data.{off}" in hidden
            assert "tasks:data.model_version" in hidden and "tasks:total_predictions" in hidden
            assert {f"tasks:data.{f}" for f in GRID_OFF_FIELDS} <= hidden
        widths = tab["columnsWidth"]
        assert widths == QUEUE_COLUMN_WIDTHS
        # what a lead's adjudication grid shows (its Prediction score hidden by adjudicate):
        # as Label Studio 1.23.2 draws them, 20 px wider than set, a count at least 80 px,
        # after the 40 px tick column, within 1400 px
        shown = [
            "tasks:id",
            "tasks:completed_at",
            "tasks:total_annotations",
            "tasks:cancelled_annotations",
            "tasks:annotators",
            *(f"tasks:data.{f}" for f in ("title", "preview", "priority", "model_labels")),
            "tasks:data.disputed",
        ]
        assert not set(shown) & set(tab["hiddenColumns"]["explore"]) - {"tasks:data.priority"}
        drawn = 40 + sum(max(widths[c] + 20, 80 if "annotations" in c else 0) for c in shown)
        assert drawn <= 1400, drawn


def test_the_grid_hides_the_passage_text() -> None:
    assert "tasks:data.text" in grid_view(TAX)["hiddenColumns"]["explore"]
    # a subtitle cue's text as ingested (annotate.studio.shown_text): its words too
    for mode in ("explore", "labeling"):
        assert "tasks:data.source_text" in grid_view(TAX)["hiddenColumns"][mode]


# Label Studio 1.23.2's built-in grid columns hidden by default (``/api/dm/columns``:
# ``visibility_defaults`` false in both modes), as its server listed them (stop 53)
LS_DEFAULT_HIDDEN = [
    "inner_id",
    "annotations_results",
    "annotations_ids",
    "predictions_score",
    "predictions_model_versions",
    "predictions_results",
    "file_upload",
    "storage_filename",
    "created_at",
    "updated_at",
    "updated_by",
    "avg_lead_time",
    "draft_exists",
]


def test_the_queue_tab_keeps_label_studios_hidden_columns_hidden() -> None:
    """A tab's hidden columns replace Label Studio's defaults: the Queue tab showed the
    upload and storage file names, created/updated at, lead time, drafts, result and id
    columns, and the title, preview and dispute came after them, right of the window
    (seen in a browser, stop 53). "Prediction score" is the lead project's to show."""
    for tab in (grid_view(TAX), grid_view(TAX, by_priority=True, reviewer=True)):
        for mode in ("explore", "labeling"):
            hidden = set(tab["hiddenColumns"][mode])
            shown = {c for c in LS_DEFAULT_HIDDEN if f"tasks:{c}" not in hidden}
            assert shown <= {"predictions_score"}, (mode, shown)
    assert "tasks:predictions_score" in grid_view(TAX, reviewer=True)["hiddenColumns"]["explore"]
    assert "tasks:predictions_score" not in grid_view(TAX)["hiddenColumns"]["explore"]


class _Tabs:
    """A project's Data Manager tabs, as StudioClient lists and changes them."""

    def __init__(self, views: list[dict]) -> None:
        self.views = views

    def list_views(self, project_id: int) -> list[dict]:
        return self.views

    def create_view(self, project_id: int, data: dict) -> None:
        self.views.append({"id": 9, "data": data})

    def update_view(self, view_id: int, project_id: int, data: dict) -> None:
        next(v for v in self.views if v["id"] == view_id)["data"] = data


def test_the_adjudication_grid_hides_the_reviewers_answers_that_quote_evidence() -> None:
    """The lead's grid showed the `reviews` column: 'r-…: graphic_violence · evidence
    graphic_detail «his fingers had been cut off…»', the text of a passage hidden behind
    its content warning. A tab made before the fix is updated, its other settings kept."""
    from annotate.review.view import hide_in_queue_tab

    old = grid_view(TAX)
    old["ordering"] = ["tasks:id"]
    tabs = _Tabs([{"id": 3, "data": old}])
    hide_in_queue_tab(tabs, 1, TAX, ["reviews"])  # type: ignore[arg-type]
    (tab,) = tabs.views
    for mode in ("explore", "labeling"):
        assert "tasks:data.reviews" in tab["data"]["hiddenColumns"][mode]
        assert "tasks:data.text" in tab["data"]["hiddenColumns"][mode]
    assert tab["data"]["ordering"] == ["tasks:id"]
    fresh = _Tabs([])
    hide_in_queue_tab(fresh, 1, TAX, ["reviews"])  # type: ignore[arg-type]
    assert "tasks:data.reviews" in fresh.views[0]["data"]["hiddenColumns"]["explore"]


def test_an_earlier_adjudication_tab_gets_the_first_screen_columns_once() -> None:
    """break9 N10: the lead's adjudication project lives across batches, and its tab, made
    before the columns were sized, kept `disputed` as the last column, off the screen at
    1400 px. adjudicate's call updates it once (sizes, the columns read elsewhere hidden);
    a column its lead shows again afterwards stays shown."""
    from annotate.review.view import GRID_OFF_FIELDS, QUEUE_COLUMN_WIDTHS, hide_in_queue_tab

    old = grid_view(TAX)
    del old["columnsWidth"]
    for mode in ("explore", "labeling"):
        old["hiddenColumns"][mode] = [
            c
            for c in old["hiddenColumns"][mode]
            if c.removeprefix("tasks:data.") not in GRID_OFF_FIELDS
        ]
    tabs = _Tabs([{"id": 3, "data": old}])
    hide_in_queue_tab(tabs, 1, TAX, ["reviews"])  # type: ignore[arg-type]
    data = tabs.views[0]["data"]
    assert data["columnsWidth"] == QUEUE_COLUMN_WIDTHS
    for mode in ("explore", "labeling"):
        for off in ("provenance", "warning", "passage_id", "doc_id"):
            assert f"tasks:data.{off}" in data["hiddenColumns"][mode]
    # the lead shows passage_id again: the next run leaves it shown
    for mode in ("explore", "labeling"):
        data["hiddenColumns"][mode].remove("tasks:data.passage_id")
    hide_in_queue_tab(tabs, 1, TAX, ["reviews"])  # type: ignore[arg-type]
    assert "tasks:data.passage_id" not in tabs.views[0]["data"]["hiddenColumns"]["explore"]


def test_an_earlier_tab_its_lead_resized_gets_the_first_screen_columns_once() -> None:
    """break10 B11: a lead who resized a column of the old adjudication tab before the
    columns were sized had a ``columnsWidth`` (their column alone), which read as sized:
    the read-elsewhere columns stayed shown and `disputed` off the screen. The tab gets
    the sizes once, the lead's own kept."""
    from annotate.review.view import GRID_OFF_FIELDS, QUEUE_COLUMN_WIDTHS, hide_in_queue_tab

    old = grid_view(TAX)
    old["columnsWidth"] = {"tasks:id": 80, "tasks:data.title": 300}  # the lead's sizes
    for mode in ("explore", "labeling"):
        old["hiddenColumns"][mode] = [
            c
            for c in old["hiddenColumns"][mode]
            if c.removeprefix("tasks:data.") not in GRID_OFF_FIELDS
        ]
    tabs = _Tabs([{"id": 3, "data": old}])
    hide_in_queue_tab(tabs, 1, TAX, ["reviews"])  # type: ignore[arg-type]
    data = tabs.views[0]["data"]
    assert data["columnsWidth"] == {**QUEUE_COLUMN_WIDTHS, "tasks:id": 80, "tasks:data.title": 300}
    assert "tasks:data.provenance" in data["hiddenColumns"]["explore"]
    for mode in ("explore", "labeling"):
        data["hiddenColumns"][mode].remove("tasks:data.passage_id")
    hide_in_queue_tab(tabs, 1, TAX, ["reviews"])  # type: ignore[arg-type]
    assert "tasks:data.passage_id" not in tabs.views[0]["data"]["hiddenColumns"]["explore"]


def test_a_hidden_neighbours_note_names_its_passage_id() -> None:
    """passC50 R6's note told a reviewer to open "the passage numbered one before or
    after this one", which no column of the Data Manager shows: it now names the
    neighbour's passage id (a filter on passage_id finds its task), never its text."""
    by_id = tasks()
    link_neighbours(list(by_id.values()), TAX)
    note = by_id["doc-c-p0"]["data"]["context_after"]
    assert note != HIDDEN_NEIGHBOUR and "doc-c-p1" in note, note
    assert "passage_id doc-c-p1" in note and "Show the passage" in note
    assert by_id["doc-c-p1"]["data"]["text"][:20] not in note
    assert hidden_neighbour(None) == HIDDEN_NEIGHBOUR  # id unknown: the note as before


def test_the_hidden_neighbours_note_never_sends_a_reviewer_to_another_queue() -> None:
    """break5 B19: in a review set the neighbour is often in another reviewer's queue; the
    note said "open its own task" with no condition, so a reviewer could answer it there
    (breaking the assignment and the graphic cap). It now says: only in your project,
    else ask your lead, never answer it in another reviewer's project."""
    for note in (hidden_neighbour("doc-c-p1"), hidden_neighbour(None)):
        assert "if it is in your project" in note, note
        assert "ask your lead" in note and "do not answer it in another reviewer's" in note


def test_a_row_named_by_position_shows_its_line_alone(tmp_path) -> None:
    """break9 N11: a JSONL without ids showed "blank.jsonl line 2 · document
    blank.jsonl#0, ...": two numberings side by side, read as two rows."""
    from annotate.ingestion import ingest
    from annotate.tables import iter_rows

    src = tmp_path / "blank.jsonl"
    src.write_text('\n{"text":"first row text here"}\n\n\n{"text":"second row text here"}\n')
    ingest([src], tmp_path / "b.jsonl", min_chars=0, near_dup_threshold=None, id_prefix="zz")
    first, second = (provenance_line(r) for r in iter_rows(tmp_path / "b.jsonl"))
    assert first == "blank.jsonl line 2 · passage 0 (characters 0–19)", first
    assert second.startswith("blank.jsonl line 5 · passage 0"), second
    assert "#" not in first + second
