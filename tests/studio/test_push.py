"""push's partial-failure policy (on_error), bisection of refused batches and progress,
against a fake client that refuses batches holding chosen passages. The real server path
is tests/integration/test_push.py and test_concurrency.py."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from annotate.errors import InputError, StudioError
from annotate.studio.client import ImportAnswer
from annotate.studio.push import push
from tests.conftest import FIXTURES
from tests.fakes import another_server


class RefusingClient:
    """Just enough of StudioClient for push; a batch holding a passage in ``bad`` fails
    whole, as Label Studio refuses a whole batch for one bad task."""

    url = "http://fake"

    def __init__(self, bad: set[str]) -> None:
        self.bad = bad
        self.batches: list[list[str]] = []  # passage ids of every import attempt
        self.tasks: list[dict] = []

    def find_project(self, title):
        return None

    def find_projects(self, title):
        return [{"id": 1, "title": title}]

    def create_project(self, title, label_config, **kw):
        return {"id": 1, "title": title, "label_config": label_config, **kw}

    def list_projects(self, include=None):
        return []

    def iter_tasks(self, project_id, include=None, **params):
        return iter(list(self.tasks))

    def iter_task_versions(self, project_id, after=None, text_field=None):
        for t in list(self.tasks):
            if after is not None and t["id"] <= after:
                continue
            yield (
                t["id"],
                t["data"]["passage_id"],
                frozenset(p["model_version"] for p in t["predictions"]),
            )

    def get_project(self, project_id):
        return {
            "id": project_id,
            "task_number": len(self.tasks),
            "total_predictions_number": sum(len(t["predictions"]) for t in self.tasks),
        }

    def import_tasks(self, project_id, batch):
        batch = [json.loads(t) if isinstance(t, str) else t for t in batch]  # push sends JSON
        pids = [t["data"]["passage_id"] for t in batch]
        self.batches.append(pids)
        if self.bad & set(pids):
            raise StudioError("the server refused the batch (400).")
        ids = []
        for task in batch:
            ids.append(len(self.tasks) + 1)
            self.tasks.append(
                {"id": ids[-1], "data": task["data"], "predictions": task["predictions"]}
            )
        return ImportAnswer(task_ids=ids, task_count=len(ids), prediction_count=len(ids))

    def prediction_versions(self, project_id):
        return {t["id"]: {p["model_version"] for p in t["predictions"]} for t in self.tasks}

    def import_predictions(self, project_id, predictions):
        return 0

    def update_project(self, project_id, **kw):
        return None

    def create_view(self, project_id, data):
        return None

    def list_views(self, project_id):
        return []


PRELABELS = FIXTURES / "prelabels.jsonl"


@pytest.mark.parametrize("bad", [{"doc-b-p0"}, {"doc-a-p0", "doc-c-p1"}])
def test_continue_splits_a_refused_batch_so_only_bad_rows_fail(taxonomy, bad):
    client = RefusingClient(bad)
    seen: list[int] = []
    result = push(
        PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=4, progress=seen.append
    )
    assert result.failed == len(bad)
    assert sorted(e.split("'")[1] for e in result.errors) == sorted(bad)
    assert result.created == result.total - len(bad)
    assert {t["data"]["passage_id"] for t in client.tasks}.isdisjoint(bad)
    assert sum(seen) == result.total  # progress counts every row, failed ones too


def test_stop_imports_no_batch_after_the_refused_one(taxonomy):
    order = RefusingClient(set())
    push(PRELABELS, "pro", taxonomy=taxonomy, client=order, batch_size=2)
    bad = order.batches[1][0]  # a passage of the middle batch (of three)
    another_server()
    client = RefusingClient({bad})
    result = push(PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=2, on_error="stop")
    assert result.failed == 3 and bad in result.errors[0]
    assert all("not sent (--on-error stop)" in e for e in result.errors[1:])
    # the first batch, then the refused one split in halves, then nothing more
    assert client.batches == [order.batches[0], order.batches[1], [bad], [order.batches[1][1]]]
    assert result.created == len(client.tasks) == 3


def test_raise_fails_at_once(taxonomy):
    client = RefusingClient({"doc-a-p1"})  # the riskiest passage: in the first batch
    with pytest.raises(StudioError, match="refused"):
        push(PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=2, on_error="raise")
    assert client.tasks == [] and len(client.batches) == 1


def test_unknown_policy_is_an_input_error(taxonomy):
    with pytest.raises(InputError, match="on_error must be one of continue, stop, raise"):
        push(PRELABELS, "pro", taxonomy=taxonomy, client=RefusingClient(set()), on_error="skip")


class ReadCountingClient(RefusingClient):
    """Records every read of a project's tasks (``after`` of each); once it holds tasks it
    lists the project, and ``short`` makes import answers report no predictions."""

    def __init__(self) -> None:
        super().__init__(set())
        self.reads: list[int | None] = []
        self.short = False

    def list_projects(self, include=None):
        return [{"id": 1, "title": "pro"}] if self.tasks else []

    def iter_task_versions(self, project_id, after=None, text_field=None):
        self.reads.append(after)
        return super().iter_task_versions(project_id, after, text_field)

    def import_tasks(self, project_id, batch):
        answer = super().import_tasks(project_id, batch)
        if self.short:
            return ImportAnswer(answer.task_ids, answer.task_count, 0)
        return answer


def _first_rows(tmp_path, n):
    path = tmp_path / "first.jsonl"
    path.write_text("".join(PRELABELS.read_text().splitlines(keepends=True)[:n]))
    return path


def test_a_clean_import_is_checked_by_counts_without_reading_tasks(taxonomy):
    client = ReadCountingClient()
    result = push(PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=4)
    assert (result.created, result.failed) == (result.total, 0)
    assert client.reads == []  # a new project: nothing read before or after


def test_a_short_answer_re_reads_only_the_tasks_created_since(taxonomy, tmp_path):
    client = ReadCountingClient()
    push(_first_rows(tmp_path, 2), "pro", taxonomy=taxonomy, client=client)
    assert client.reads == []
    client.short = True
    result = push(PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=2)
    assert (result.skipped, result.created, result.failed) == (2, result.total - 2, 0)
    # the project before the import, then only what came after its last task (id 2)
    assert client.reads == [None, 2]
    assert sorted(t["data"]["passage_id"] for t in client.tasks) == sorted(
        {json.loads(x)["id"] for x in PRELABELS.read_text().splitlines() if x.strip()}
    )


def test_a_project_changed_meanwhile_is_re_read_whole(taxonomy, tmp_path):
    client = ReadCountingClient()
    push(_first_rows(tmp_path, 2), "pro", taxonomy=taxonomy, client=client)
    real_get = client.get_project
    client.get_project = lambda pid: {**real_get(pid), "task_number": 99}  # counts disagree
    client.short = True
    push(PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=2)
    assert client.reads == [None, None]  # before the import, then the whole project again


def test_pushing_passages_not_yet_prelabelled_names_the_prelabel_command(tmp_path: Path) -> None:
    from annotate.errors import SchemaError
    from annotate.studio.tasks import require_prelabels

    passages = tmp_path / "passages.jsonl"
    passages.write_text(json.dumps({"id": "p1", "doc_id": "d", "text": "hello"}) + "\n")
    with pytest.raises(SchemaError) as exc:
        require_prelabels(passages)
    named = tmp_path / "passages.prelabels.parquet"  # not prelabels.parquet: the batch's
    assert exc.value.fix == (
        f"pre-label it first (`annotate prelabel {passages} --out {named}`), then push {named}."
    )
    gold = tmp_path / "gold.csv"  # a gold sheet: pushed with --gold (newuser57 F5)
    gold.write_text("id,text,gold_labels\ng1,hello,none\n")
    with pytest.raises(SchemaError) as exc:
        require_prelabels(gold)
    assert f"--out {tmp_path / 'gold.prelabels.parquet'}`" in str(exc.value.fix)
    assert f"--gold {tmp_path / 'gold.prelabels.parquet'}" in str(exc.value.fix)
    other = tmp_path / "other.jsonl"  # not passages at all: documents to ingest
    other.write_text(json.dumps({"body": "hello"}) + "\n")
    with pytest.raises(
        SchemaError, match=r"split them first: `annotate ingest .* --text-column body"
    ):
        require_prelabels(other)


class CountingProgress:
    """A progress callable with a total (as the CLI's bars have)."""

    def __init__(self) -> None:
        self.done = 0
        self.totals: list[int] = []

    def __call__(self, n: int) -> None:
        self.done += n

    def set_total(self, total: int) -> None:
        self.totals.append(total)


def test_progress_learns_the_number_of_tasks_to_send(taxonomy):
    client = RefusingClient(set())
    first = CountingProgress()
    result = push(PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=2, progress=first)
    assert first.totals == [result.total] and first.done == result.total
    plain: list[int] = []  # a plain callable (no set_total) still counts
    push(PRELABELS, "qqq", taxonomy=taxonomy, client=RefusingClient(set()), progress=plain.append)
    assert sum(plain) == result.total


class SlowClient(RefusingClient):
    """Imports take a while and record how many ran at once and which thread sent them."""

    def __init__(self) -> None:
        super().__init__(set())
        self.running = 0
        self.most = 0

    def import_tasks(self, project_id, batch):
        self.running += 1
        self.most = max(self.most, self.running)
        time.sleep(0.05)  # the server's share: the next batch is built meanwhile
        try:
            return super().import_tasks(project_id, batch)
        finally:
            self.running -= 1


def test_batches_go_one_at_a_time_in_priority_order_and_stop_on_a_callback_error(taxonomy):
    sequential = RefusingClient(set())
    push(PRELABELS, "pro", taxonomy=taxonomy, client=sequential, batch_size=2)
    another_server()
    client = SlowClient()
    push(PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=2)
    assert client.most == 1 and client.batches == sequential.batches

    class Stop(Exception):
        pass

    def fail_after_first(number: int, ids: list[int]) -> None:
        raise Stop

    another_server()
    client = SlowClient()
    with pytest.raises(Stop):
        push(
            PRELABELS,
            "pro",
            taxonomy=taxonomy,
            client=client,
            batch_size=2,
            after_batch=fail_after_first,
        )
    # the batch built ahead of time is not sent once the first one's caller fails
    assert client.batches == sequential.batches[:1] and len(client.tasks) == 2


def test_tasks_imported_by_hand_are_named_as_such_not_as_passage_none(
    taxonomy, caplog, monkeypatch
):
    """A project made by hand held two tasks without a passage_id; push warned
    "passage 'None' is in 'pro' 2 times"."""
    from annotate.studio.client import StudioClient

    foreign = [{"id": 1, "data": {"text": "hello"}}, {"id": 2, "data": {"text": "bad"}}]
    real = StudioClient.__new__(StudioClient)  # only the task reading, no server
    monkeypatch.setattr(real, "iter_tasks", lambda *a, **kw: iter(foreign), raising=False)
    assert [pid for _, pid, *_ in real.iter_task_versions(1)] == ["", ""]

    client = ReadCountingClient()
    client.tasks = [
        {**t, "data": {**t["data"], "passage_id": ""}, "predictions": []} for t in foreign
    ]
    with caplog.at_level("WARNING", logger="annotate.studio.push"):
        result = push(PRELABELS, "pro", taxonomy=taxonomy, client=client)
    assert result.failed == 0
    assert "2 task(s) in 'pro' have no passage_id (not imported by annotate push" in caplog.text
    assert "passage 'None'" not in caplog.text and "passage ''" not in caplog.text


def test_a_folder_as_prelabels_is_named_a_folder(taxonomy, tmp_path):
    """`annotate push docs/` (or an export folder) said "unsupported input table type
    '(no extension)' ... rename the file"."""
    with pytest.raises(InputError) as err:
        push(tmp_path, "pro", taxonomy=taxonomy, client=RefusingClient(set()))
    assert "is a folder; expected a table file" in str(err.value)
    assert "no extension" not in str(err.value) and "annotate prelabel" in err.value.fix


def test_other_labels_under_the_same_labels_yaml_version_are_refused(taxonomy):
    """A category added to labels.yaml without bumping its version was pushed into a
    project made from the same version: answers then record one version for two label
    sets."""
    from annotate.errors import TaxonomyError
    from annotate.studio.label_config import parse_label_config
    from annotate.studio.push import check_label_change
    from annotate.taxonomy import parse_taxonomy
    from tests.conftest import ROOT

    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    added = text.replace(
        "\nspans:",  # at the end of the categories: no category's id moves
        "\n  - name: harassment\n    group: harmful\n    title: Harassment\n"
        "    definition: Targeted abuse.\n\nspans:",
        1,
    )
    same_version = parse_taxonomy(added)
    project = {"id": 1, "title": "pro", "label_config": taxonomy.render_label_config()}
    with pytest.raises(
        TaxonomyError, match=r"other labels than project 'pro'.*\+category:harassment"
    ):
        check_label_change(
            object(), project, parse_label_config(same_version.render_label_config()), same_version
        )  # type: ignore[arg-type]
    bumped = parse_taxonomy(added.replace("version: 1.0.0", "version: 1.1.0", 1))

    class Unanswered:  # a label added to a project with answers is warned: none here
        def count_annotated_tasks(self, project_id: int) -> int:
            return 0

    added_labels = check_label_change(
        Unanswered(),  # type: ignore[arg-type]
        project,
        parse_label_config(bumped.render_label_config()),
        bumped,
    )
    assert added_labels == ["category:harassment"]


def test_a_plain_push_into_a_reviewers_queue_is_refused(taxonomy):
    """`annotate push --project 'Batch · ana'` put every passage into ana's queue,
    outside the review set's assignment."""
    queue = {
        "id": 1,
        "title": "Batch · ana",
        "description": 'Review queue.\n[annotate-review] project="Batch" reviewer=ana@x.org',
    }

    class Queue(RefusingClient):
        def list_projects(self, include=None):
            return [dict(queue)]

        def get_project(self, project_id):
            return {**super().get_project(project_id), **queue}

    client = Queue(set())
    with pytest.raises(StudioError, match="one reviewer's queue of the review set 'Batch'"):
        push(PRELABELS, "Batch · ana", taxonomy=taxonomy, client=client)
    assert client.batches == []


def test_a_plain_push_into_a_review_sets_adjudication_project_is_refused(taxonomy):
    """`annotate push --project 'Batch · adjudication'` (the name the lead sees in Label
    Studio) put the model's pre-labels before the lead instead of the blank start and
    added passages of no dispute, whose answers export and escalations never read (stop 48
    new-user F22): refused as a push into a reviewer's queue is, with the fix."""
    from annotate.studio.projects import adjudication_description

    lead = {
        "id": 1,
        "title": "Batch · adjudication",
        "description": adjudication_description("Batch"),
    }

    class Lead(RefusingClient):
        def list_projects(self, include=None):
            return [dict(lead)]

        def get_project(self, project_id):
            return {**super().get_project(project_id), **lead}

    client = Lead(set())
    with pytest.raises(StudioError) as err:
        push(PRELABELS, "Batch · adjudication", taxonomy=taxonomy, client=client)
    assert "the lead's adjudication project of the review set 'Batch'" in str(err.value)
    assert "--project 'Batch'" in err.value.fix and "annotate adjudicate" in err.value.fix
    assert client.batches == []


def test_the_model_switch_note_names_no_blank_start_as_a_model():
    """The note of a push that replaced an adjudication project's blank start read "push
    start blank (decide from the answers)'s pre-labels again" (stop 48 new-user F22)."""
    from annotate.cli.push import model_switch_note
    from annotate.review.adjudication import BLANK_START

    said = model_switch_note("'B · adjudication'", "default@1", BLANK_START)
    assert BLANK_START not in said and "instead of a blank start" in said
    assert "annotate adjudicate" in said
    said = model_switch_note("'B'", "default@2", "default@1")
    assert "instead of default@1" in said and "push default@1's pre-labels again" in said


def test_a_project_annotate_did_not_make_is_refused_while_it_holds_tasks(taxonomy, caplog):
    from annotate.errors import StudioError
    from annotate.studio.push import check_foreign_project

    class Projects:
        def __init__(self, tasks: int) -> None:
            self.tasks, self.asked = tasks, 0

        def get_project(self, project_id: int) -> dict:
            self.asked += 1
            return {"id": project_id, "task_number": self.tasks}

    foreign = {
        "id": 7,
        "title": "films",
        "label_config": '<View><Text name="t" value="$t"/></View>',
    }
    with pytest.raises(StudioError, match=r"'films' \(id 7\) was not made by annotate.*3 task"):
        check_foreign_project(Projects(3), foreign, taxonomy)  # type: ignore[arg-type]
    with caplog.at_level("WARNING"):
        check_foreign_project(Projects(0), foreign, taxonomy)  # type: ignore[arg-type]
    assert "replaced by labels.yaml's" in caplog.text
    ours = {"id": 8, "title": "pro", "label_config": taxonomy.render_label_config()}
    client = Projects(5)
    check_foreign_project(client, ours, taxonomy)  # type: ignore[arg-type]
    assert client.asked == 0  # annotate's own config: no request


def test_a_control_added_in_label_studio_is_named_not_blamed_on_labels_yaml(taxonomy):
    """A lead added a `lang` choice to the project's labeling config in Label Studio; the
    next push with the very labels.yaml the project was made with said "labels.yaml 1.0.0
    drops or renames label(s) lang:en, lang:other ... Fix: push with the labels.yaml the
    project was made with", which it was: a fix that cannot work."""
    from annotate.errors import TaxonomyError
    from annotate.studio.label_config import parse_label_config
    from annotate.studio.push import check_label_change

    class Answered:
        def count_annotated_tasks(self, project_id: int) -> int:
            return 20

    config = taxonomy.render_label_config()
    head, tail = config.rsplit("</View>", 1)
    edited = (
        f'{head}  <Choices name="lang" toName="passage"><Choice value="en"/>'
        f'<Choice value="other"/></Choices>\n</View>{tail}'
    )
    assert edited.count('name="lang"') == 1
    project = {"id": 1, "title": "pro", "label_config": edited}
    with pytest.raises(TaxonomyError) as err:
        check_label_change(Answered(), project, parse_label_config(config), taxonomy)  # type: ignore[arg-type]
    message = f"{err.value} {err.value.fix}"
    assert "'lang'" in message and "edited in Label Studio" in message, message
    assert "Settings > Labeling Interface" in err.value.fix
    assert "the labels.yaml the project was made with" not in err.value.fix


class _Answered:
    """A client whose project holds ``n`` answered tasks."""

    def __init__(self, n: int) -> None:
        self.n = n

    def count_annotated_tasks(self, project_id: int) -> int:
        return self.n


def test_labels_reworded_under_the_same_labels_yaml_version_are_warned(taxonomy, caplog):
    """A category's definition edited in labels.yaml without a version bump was pushed
    silently: answers before and after the push record one version for two wordings."""
    import logging

    from annotate.studio.label_config import parse_label_config
    from annotate.studio.push import check_label_change
    from annotate.taxonomy import parse_taxonomy
    from tests.conftest import ROOT

    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    title = taxonomy.category("incitement").title
    reworded = text.replace(f"title: {title}\n", f"title: {title} (urging others)\n", 1)
    assert reworded != text
    project = {"id": 1, "title": "pro", "label_config": taxonomy.render_label_config()}
    caplog.set_level(logging.WARNING, logger="annotate")

    same_version = parse_taxonomy(reworded)
    check_label_change(
        _Answered(0), project, parse_label_config(same_version.render_label_config()), same_version
    )  # type: ignore[arg-type]
    (record,) = [r for r in caplog.records if "otherwise" in r.getMessage()]
    message = record.getMessage()
    assert "labels.yaml 1.0.0 words category:incitement otherwise" in message, message
    assert "project 'pro'" in message and "an export cannot tell" in message, message
    assert "Bump `version` in labels.yaml" in message, message

    caplog.clear()
    bumped = parse_taxonomy(reworded.replace("version: 1.0.0", "version: 1.0.1", 1))
    check_label_change(
        _Answered(0), project, parse_label_config(bumped.render_label_config()), bumped
    )  # type: ignore[arg-type]
    check_label_change(
        _Answered(0), project, parse_label_config(taxonomy.render_label_config()), taxonomy
    )  # type: ignore[arg-type]
    assert not [r for r in caplog.records if "otherwise" in r.getMessage()]


def test_other_content_under_the_same_version_and_wording_is_warned(taxonomy, caplog):
    """An example edited in labels.yaml without a version bump (nothing the labeling view
    shows): the content digest the project's config records tells it apart (audit 49
    A10), so the push warns as it does for a reworded label."""
    import logging

    from annotate.studio.label_config import parse_label_config
    from annotate.studio.push import check_label_change
    from annotate.taxonomy import parse_taxonomy
    from tests.conftest import ROOT

    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    example = "I know where the councillor parks."
    edited = parse_taxonomy(text.replace(example, "I know where the mayor parks.", 1))
    assert edited.content_sha256 != taxonomy.content_sha256
    project = {"id": 1, "title": "pro", "label_config": taxonomy.render_label_config()}
    caplog.set_level(logging.WARNING, logger="annotate")
    check_label_change(
        _Answered(0), project, parse_label_config(edited.render_label_config()), edited
    )  # type: ignore[arg-type]
    (record,) = [r for r in caplog.records if "other content" in r.getMessage()]
    message = record.getMessage()
    assert "project 'pro'" in message and taxonomy.content_sha256[:12] in message, message
    assert "Bump `version` in labels.yaml" in message, message
    caplog.clear()
    check_label_change(
        _Answered(0), project, parse_label_config(taxonomy.render_label_config()), taxonomy
    )  # type: ignore[arg-type]
    assert not [r for r in caplog.records if "other content" in r.getMessage()]


def test_other_content_of_the_same_version_is_refused_on_a_project_with_answers(taxonomy):
    """Break49 B15: a same-version re-push with an edited labels.yaml warned, then
    rewrote the project's recorded content digest, so a later export certified
    ``content_as_pushed`` for answers made under the old content. With answers in the
    project it is refused (both digests, the fix); without answers it still goes."""
    import pytest

    from annotate.errors import TaxonomyError
    from annotate.studio.label_config import parse_label_config
    from annotate.studio.push import check_label_change
    from annotate.taxonomy import parse_taxonomy
    from tests.conftest import ROOT

    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    example = "I know where the councillor parks."
    edited = parse_taxonomy(text.replace(example, "I know where the mayor parks.", 1))
    title = taxonomy.category("incitement").title
    reworded = parse_taxonomy(text.replace(f"title: {title}\n", f"title: {title} (x)\n", 1))
    project = {"id": 1, "title": "pro", "label_config": taxonomy.render_label_config()}
    for other in (edited, reworded):
        new = parse_label_config(other.render_label_config())
        with pytest.raises(TaxonomyError) as raised:
            check_label_change(_Answered(4), project, new, other)  # type: ignore[arg-type]
        message = str(raised.value) + str(raised.value.fix)
        assert taxonomy.content_sha256 in message and other.content_sha256 in message, message
        assert "4 answered task(s)" in message and "left unchanged" in message, message
        assert "bump `version`" in message and "--labels" in message, message
        check_label_change(_Answered(0), project, new, other)  # type: ignore[arg-type]
    # the same content, or a bumped version: no refusal
    same = parse_label_config(taxonomy.render_label_config())
    check_label_change(_Answered(4), project, same, taxonomy)  # type: ignore[arg-type]
    bumped = parse_taxonomy(
        text.replace(example, "I know where the mayor parks.", 1).replace(
            "version: 1.0.0", "version: 1.0.1", 1
        )
    )
    check_label_change(
        _Answered(4), project, parse_label_config(bumped.render_label_config()), bumped
    )  # type: ignore[arg-type]


def test_a_config_update_parses_each_labeling_config_once(taxonomy, monkeypatch, caplog):
    """Updating a project's labeling config parsed the project's XML three times and the
    new one twice more after push had parsed it (foreign-project check, label change,
    rewording): each is parsed once, the new one not again when push hands it over."""
    import xml.etree.ElementTree as ET

    from annotate.studio import label_config
    from annotate.studio.label_config import parse_label_config
    from annotate.studio.push import ensure_project
    from annotate.taxonomy import parse_taxonomy
    from tests.conftest import ROOT

    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    title = taxonomy.category("incitement").title
    reworded = parse_taxonomy(text.replace(f"title: {title}\n", f"title: {title} (x)\n", 1))
    new_xml = reworded.render_label_config()
    old_xml = taxonomy.render_label_config()
    updates: list[dict] = []

    class Client:
        def find_project(self, title):
            return {"id": 1, "title": title, "label_config": old_xml}

        def update_project(self, project_id, **fields):
            updates.append(fields)

        def count_annotated_tasks(self, project_id):
            return 0

    config = parse_label_config(new_xml)
    parsed: list[str] = []
    real = ET.fromstring
    monkeypatch.setattr(label_config.ET, "fromstring", lambda xml: parsed.append(xml) or real(xml))
    with caplog.at_level("WARNING"):
        ensure_project(Client(), "pro", new_xml, reworded, "m", config)  # type: ignore[arg-type]
    assert parsed == [old_xml]
    assert "words category:incitement otherwise" in caplog.text  # the checks still ran
    assert updates[0] == {"label_config": new_xml}
    parsed.clear()
    ensure_project(Client(), "pro", new_xml, reworded, "m")  # type: ignore[arg-type]
    assert sorted(parsed) == sorted([old_xml, new_xml])


def test_the_read_stage_times_the_reading_and_the_check_stage_the_rows(taxonomy, monkeypatch):
    """passK54 K4: a push into a new name read nothing, yet said "read: 0 tasks done in
    34 s": the time was the file's row checks. They have their own stage, `check` (rows),
    and `read`'s clock starts when the reading does."""
    import io

    from annotate.cli.progress_lines import ProgressLines
    from annotate.studio.staging import Staging

    now = [1000.0]
    checked = Staging.stage_file

    def slow_checks(self, *args, **kw):
        got = checked(self, *args, **kw)
        now[0] += 34  # the checks and spooling of a large file
        return got

    monkeypatch.setattr(Staging, "stage_file", slow_checks)
    out = io.StringIO()

    def lines(desc: str, unit: str) -> ProgressLines:
        return ProgressLines(
            desc, unit=unit, total=None, out=out, interval=1e-9, clock=lambda: now[0]
        )

    check, read = lines("check", "row"), lines("read", "task")
    result = push(
        PRELABELS,
        "pro",
        taxonomy=taxonomy,
        client=RefusingClient(set()),
        reading=read,
        checking=check,
    )
    said = out.getvalue()
    assert f"check: {result.total} rows done in 34 s" in said, said
    # nothing to read, at once: no line (it said "read: 0 tasks done in 34 s")
    assert "read:" not in said, said
