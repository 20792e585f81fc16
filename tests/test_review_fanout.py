"""Assignment of passages to K reviewers and the disputed-passage rule (no server)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from annotate.corpus.resolve import disputed, pseudonym
from annotate.errors import InputError, StudioError
from annotate.review.assignment import assign
from annotate.review.fanout import push_review
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.queues import queue_title
from annotate.studio.client import StudioClient
from tests.conftest import FIXTURES
from tests.fakes import another_server

LEVELS = ["none", "low", "medium", "high", "critical"]
PRELABELS = FIXTURES / "prelabels.jsonl"


def test_each_passage_goes_to_k_different_reviewers_balanced() -> None:
    pids = [f"p{i}" for i in range(30)]
    people = ["a@x.org", "b@x.org", "c@x.org"]
    todo = assign(pids, people, 2, {})
    assert all(len(set(who)) == 2 for who in todo.values()) and set(todo) == set(pids)
    load = Counter(r for who in todo.values() for r in who)
    assert set(load.values()) == {20}  # 60 assignments over 3 reviewers


def test_existing_placements_are_kept_and_a_rerun_adds_nothing() -> None:
    people = ["a@x.org", "b@x.org", "c@x.org"]
    holders = {"p0": {"c@x.org"}, "p1": {"a@x.org", "b@x.org"}}
    todo = assign(["p0", "p1"], people, 2, holders)
    assert list(todo) == ["p0"] and "c@x.org" not in todo["p0"] and len(todo["p0"]) == 1
    holders["p0"].update(todo["p0"])
    assert assign(["p0", "p1"], people, 2, holders) == {}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([(["a"], "low"), (["a", "b"], "low")], True),  # categories differ
        ([(["a"], "none"), (["a"], "medium")], True),  # two levels apart
        ([(["a"], "high"), (["a"], "critical")], True),  # 1-1: no severity majority
        ([(["a"], "high"), (["a"], "critical"), (["a"], "high")], False),  # 2 of 3 decide
        ([(["a"], "none"), (["a"], "high"), (["a"], "none")], True),  # 2 of 3, but far apart
        ([(["a"], "high"), (["a"], "")], False),  # no severity given: no vote on it
        ([(["a"], "high"), (["a"], "high")], False),
        ([(["a"], "high")], False),  # one answer: nothing to compare
    ],
)
def test_disputed_means_a_tie_categories_differ_or_severity_two_levels_apart(
    answers: list[tuple[list[str], str]], expected: bool
) -> None:
    cats, sevs = [c for c, _ in answers], [s for _, s in answers]
    order = ["a", "b"]
    assert disputed(cats, sevs, category_order=order, severity_levels=LEVELS) is expected


def test_queue_titles_fit_label_studio() -> None:
    alias = pseudonym(7, "salt")
    assert queue_title("Batch 12", alias) == f"Batch 12 · {alias}"
    assert len(queue_title("x" * 35, alias)) == 50
    other = queue_title("Batch 12", alias, {f"Batch 12 · {alias}"})  # a hand-made one
    assert other.startswith("Batch 12 · q-") and len(other) == len(f"Batch 12 · {alias}")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"project": "x" * 36}, "characters"), ({"k": 0}, "at least 1")],
)
def test_bad_review_push_input_is_one_clear_error(kwargs: dict, message: str) -> None:
    args = {"prelabels": "unused.jsonl", "project": "p", "k": 2, **kwargs}
    with pytest.raises(InputError, match=message):
        push_review(args.pop("prelabels"), args.pop("project"), args.pop("k"))


def test_a_reviewer_named_twice_counts_once() -> None:
    from annotate.review.assignment import pick_reviewers

    accounts = ["ana@x.org", "ben@x.org", "cai@x.org"]
    picked = pick_reviewers(accounts, ["ana@x.org", " ANA@x.org", "ben@x.org"], 2, "http://ls")
    assert picked == (["ana@x.org", "ben@x.org"], [])
    # the same person twice is not two blind reviewers: K=2 needs two different ones
    with pytest.raises(InputError, match="need 2 different reviewers") as exc:
        pick_reviewers(accounts, ["cai@x.org", "CAI@x.org"], 2, "http://ls")
    assert "--reviewer names 1 (cai@x.org)" in str(exc.value)
    with pytest.raises(InputError, match="has 1 besides the admin"):
        pick_reviewers(["ana@x.org"], None, 2, "http://ls")
    with pytest.raises(InputError, match=r"dee@x\.org has no account"):
        pick_reviewers(accounts, ["dee@x.org", "ana@x.org"], 2, "http://ls")


def test_a_gold_table_without_gold_labels_says_how_to_make_one(tmp_path) -> None:
    import json

    from annotate.errors import SchemaError
    from annotate.review.gold import read_gold
    from annotate.studio.label_config import parse_label_config
    from tests.conftest import project_taxonomy

    tax = project_taxonomy()
    gold = tmp_path / "gold.jsonl"
    row = {"id": "g1", "text": "t", "scores": {}, "labels": [], "spans": [], "model_version": "m"}
    gold.write_text(json.dumps(row) + "\n")
    with pytest.raises(SchemaError) as exc:
        read_gold(gold, tax, parse_label_config(tax.render_label_config()))
    assert "missing column(s) 'gold_labels'" in str(exc.value)
    assert "(as written by `annotate prelabel`)" not in str(exc.value)  # prelabel never does
    # nor a command in backticks that is no command (`annotate prelabel, plus gold_labels`)
    assert "as written by" not in str(exc.value)
    assert exc.value.fix is not None and "gold_labels column" in exc.value.fix


def test_a_gold_sheet_of_passages_and_answers_is_told_the_prelabel_command_that_works(
    tmp_path, monkeypatch
) -> None:
    """A lead's gold sheet (a spreadsheet's id, text, gold_labels) lacked the prelabel
    columns; the fix said to add gold_labels "to the output of annotate prelabel", which
    it had. It names the command, and that command makes a gold table push reads."""
    import shlex

    from typer.testing import CliRunner

    from annotate.cli import app
    from annotate.errors import SchemaError
    from annotate.review.gold import read_gold
    from annotate.studio.label_config import parse_label_config
    from tests.conftest import project_taxonomy

    monkeypatch.chdir(tmp_path)
    tax = project_taxonomy()
    config = parse_label_config(tax.render_label_config())
    sheet = tmp_path / "gold sheet.csv"
    sheet.write_text(
        "id,text,gold_labels,gold_severity\n"
        'g1,"I will burn your house down tonight, you know what you did",violent_threat,high\n'
        'g2,"The minister said the attack was a tragedy.",news_reporting,none\n',
        encoding="utf-8",
    )
    with pytest.raises(SchemaError) as exc:
        read_gold(sheet, tax, config)
    made = tmp_path / "gold sheet.prelabels.parquet"
    command = f"annotate prelabel {shlex.quote(str(sheet))} --out {shlex.quote(str(made))}"
    assert exc.value.fix is not None and f"`{command}`" in exc.value.fix
    assert f"--gold {shlex.quote(str(made))}" in exc.value.fix
    result = CliRunner().invoke(app, [*shlex.split(command)[1:], "-q"])
    assert result.exit_code == 0, result.output
    tasks = read_gold(made, tax, config)
    assert [t["meta"]["annotate_gold"] for t in tasks] == [
        {"labels": ["violent_threat"], "severity": "high"},
        {"labels": ["news_reporting"], "severity": "none"},
    ]


def test_a_gold_table_saved_as_csv_by_pandas_is_told_to_pre_label_it_again(
    tmp_path, monkeypatch
) -> None:
    """Pre-labels with gold_labels added in pandas and saved `to_csv` (to edit in a
    spreadsheet) hold scores as Python's repr, not JSON: "'scores' must be an object ...
    Fix: pass a file written by `annotate prelabel`", which it was. The fix names the
    prelabel run that makes it a gold table again, and that run works."""
    import shlex

    import pandas as pd
    from typer.testing import CliRunner

    from annotate.cli import app
    from annotate.errors import PredictionError
    from annotate.review.gold import read_gold
    from annotate.studio.label_config import parse_label_config
    from tests.conftest import project_taxonomy

    monkeypatch.chdir(tmp_path)
    tax = project_taxonomy()
    config = parse_label_config(tax.render_label_config())
    scores = {c: 0.1 for c in tax.category_names}
    sheet = tmp_path / "gold.csv"
    pd.DataFrame(
        {
            "id": ["g1"],
            "doc_id": ["d1"],
            "passage_index": [0],
            "start": [0],
            "end": [16],
            "text": ["I will hurt you."],
            "scores": [scores],
            "labels": [["none"]],
            "spans": [[]],
            "model_version": ["default@1"],
            "gold_labels": ["violent_threat"],
        }
    ).to_csv(sheet, index=False)
    with pytest.raises(PredictionError) as exc:
        read_gold(sheet, tax, config)
    made = tmp_path / "gold.prelabels.parquet"
    command = f"annotate prelabel {sheet} --out {made}"
    assert exc.value.fix is not None and f"`{command}`" in exc.value.fix
    result = CliRunner().invoke(app, [*shlex.split(command)[1:], "-q"])
    assert result.exit_code == 0, result.output
    (task,) = read_gold(made, tax, config)
    assert task["meta"]["annotate_gold"] == {"labels": ["violent_threat"], "severity": ""}


def test_a_bad_gold_row_is_named_by_its_line(tmp_path) -> None:
    import json

    from annotate.review.gold import read_gold
    from annotate.studio.label_config import parse_label_config
    from tests.conftest import project_taxonomy

    tax = project_taxonomy()
    scores = dict.fromkeys(tax.category_names, 0.1)
    base = {"text": "t", "scores": scores, "labels": [], "spans": [], "model_version": "m"}
    good = {**base, "id": "g1", "gold_labels": [tax.category_names[0]]}
    bad = {**base, "id": "g2", "gold_labels": ["no_such_category"]}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(f"{json.dumps(good)}\n\n{json.dumps(bad)}\n")  # a blank line between
    with pytest.raises(InputError, match=r"gold\.jsonl line 3 \(id 'g2'\): gold_labels"):
        read_gold(gold, tax, parse_label_config(tax.render_label_config()))


def test_gold_labels_written_as_text_are_category_names(tmp_path) -> None:
    """A gold table made in a spreadsheet has gold_labels 'violent_threat' (text, not a
    list): it was read letter by letter ('found ['v', 'i', 'o', ...]')."""
    import json

    from annotate.review.gold import GOLD_META_KEY, read_gold
    from annotate.studio.label_config import parse_label_config
    from tests.conftest import project_taxonomy

    tax = project_taxonomy()
    scores = dict.fromkeys(tax.category_names, 0.1)
    base = {"text": "t", "scores": scores, "labels": [], "spans": [], "model_version": "m"}
    rows = [
        {**base, "id": "g1", "gold_labels": "violent_threat"},
        {**base, "id": "g2", "gold_labels": "news_reporting; counter_speech"},
        {**base, "id": "g3", "gold_labels": '["none"]'},
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows))
    tasks = read_gold(gold, tax, parse_label_config(tax.render_label_config()))
    assert [t["meta"][GOLD_META_KEY]["labels"] for t in tasks] == [
        ["violent_threat"],
        ["news_reporting", "counter_speech"],
        ["none"],
    ]
    gold.write_text(json.dumps({**base, "id": "g4", "gold_labels": "violent threat"}) + "\n")
    with pytest.raises(InputError, match=r"found \['violent threat'\]"):
        read_gold(gold, tax, parse_label_config(tax.render_label_config()))


def test_a_gold_label_written_as_its_title_is_told_the_name(tmp_path) -> None:
    """A lead writes gold as reviewers see the categories ("Violent threat",
    "Counter-speech"): the fix names the category meant, not only the list of names."""
    import json

    from annotate.review.gold import read_gold
    from annotate.studio.label_config import parse_label_config
    from tests.conftest import project_taxonomy

    tax = project_taxonomy()
    base = {"text": "t", "scores": dict.fromkeys(tax.category_names, 0.1), "labels": []}
    base |= {"spans": [], "model_version": "m", "id": "g1"}
    gold = tmp_path / "gold.jsonl"
    config = parse_label_config(tax.render_label_config())
    for written, meant in [
        ("Violent threat", "write violent_threat for 'Violent threat'"),
        ("news_reporting, Counter-speech", "write counter_speech for 'Counter-speech'"),
    ]:
        gold.write_text(json.dumps({**base, "gold_labels": written}) + "\n")
        with pytest.raises(InputError) as info:
            read_gold(gold, tax, config)
        assert f"Fix: {meant} (the name" in str(info.value), info.value
    gold.write_text(json.dumps({**base, "gold_labels": "riot"}) + "\n")  # nothing close
    with pytest.raises(InputError, match=r"Fix: use some of violent_threat, "):
        read_gold(gold, tax, config)


class _Users:
    """A stand-in for StudioClient's user listing: the admin (id 1), two reviewers and a
    member removed from the organization, as Label Studio 1.23 lists one."""

    def whoami(self) -> dict:
        return {"id": 1}

    def users(self) -> list[dict]:
        return [
            {"id": 1, "email": "admin@annotate.local"},
            {"id": 2, "email": "ana@x.org", "first_name": "Ana"},
            {"id": 4, "email": "Deleted", "first_name": "Deleted", "last_name": "User"},
            {"id": 3, "email": "ben@x.org", "first_name": "Ben"},
        ]


def test_a_reviewer_removed_from_the_organization_is_no_reviewer() -> None:
    from annotate.review.assignment import pick_reviewers
    from annotate.review.reviewers import list_reviewers

    reviewers = list_reviewers(_Users())  # type: ignore[arg-type]
    assert [u["email"] for u in reviewers] == ["ana@x.org", "ben@x.org"]
    # a push with every account does not make a queue "NAME · Deleted" for them
    accounts = [u["email"].lower() for u in reviewers]
    assert pick_reviewers(accounts, None, 2, "http://ls") == (["ana@x.org", "ben@x.org"], [])
    # naming them again says they may have been removed, and how to go on without them
    with pytest.raises(InputError, match="or was removed from its organization") as exc:
        pick_reviewers(accounts, ["ana@x.org", "cai@x.org"], 2, "http://ls")
    assert "leave cai@x.org out of --reviewer" in str(exc.value)


def test_gold_keeps_its_rate_over_the_whole_queue() -> None:
    from annotate.review.assignment import gold_to_add

    gold = ["g1", "g2", "g3", "g4"]
    # R = 0.1: about one gold task per 9 regular ones, at least one
    assert gold_to_add(gold, set(), 9, 0.1) == ["g1"]  # not 2 (0.1 * 9 / 0.9 > 1 in floats)
    assert gold_to_add(gold, set(), 21, 0.1) == ["g1", "g2", "g3"]
    # a second push into a queue of 21 regular tasks and 3 gold: 30 regular in all
    assert gold_to_add(gold, {"g1", "g2", "g3"}, 30, 0.1) == ["g4"]
    assert gold_to_add(gold, {"g1", "g2", "g3", "g4"}, 300, 0.1) == []  # the gold table is all


def test_gold_share_is_reckoned_on_the_largest_queue_for_every_queue() -> None:
    from annotate.review.assignment import GoldShare, gold_share

    gold = ["g1", "g2", "g3"]
    todo = {f"p{i}": ["ana", "ben"] for i in range(9)} | {"p9": ["ana"]}  # ana 10, ben 9
    people = ["ana", "ben", "cai", "dee"]
    present = {"ana": set(), "ben": {"g1"}, "cai": set(), "dee": {"old", "g1"}}
    share = gold_share(todo, people, {"dee": {"id": 4}}, present, gold, 0.1)
    # ana's 10 regular tasks: 0.1 * 10 / 0.9 = 1.1, so 2 gold in each queue; cai gets no
    # passage and has no queue (none of gold only); dee's queue is there already
    assert share == GoldShare(2, {"ana": ["g1", "g2"], "ben": ["g2"], "cai": [], "dee": ["g2"]})
    # more wanted than the table holds: every queue gets all of it
    share = gold_share(todo, people, {}, present, gold, 0.5)
    assert share.wanted == 10 and share.adds["ana"] == gold
    assert gold_share(todo, people, {}, present, [], 0.1) == GoldShare(0, {e: [] for e in people})


class ReviewStudio:
    """Just enough of a Label Studio for push_review: users, projects, tasks with
    predictions; it refuses a project model version it holds no prediction of, as 1.23
    does ("Model version doesn't exist either as live model or as static predictions")."""

    url = "http://fake"

    def __init__(self, users: tuple[str, ...] = ("ana@x.org", "ben@x.org")) -> None:
        self.accounts = [{"id": i, "email": e} for i, e in enumerate(users, start=2)]
        self.projects: dict[int, dict] = {}
        self.tasks: dict[int, list[dict]] = {}
        self.listings: Counter[int] = Counter()  # project id -> times its tasks were listed
        self.views: dict[int, list[dict]] = {}  # project id -> its Data Manager tabs

    def whoami(self) -> dict:
        return {"id": 1}

    def users(self) -> list[dict]:
        return [dict(u) for u in self.accounts]

    def list_projects(self, include: str | None = None) -> list[dict]:
        keep = include.split(",") if include else None  # the server sends only those
        return [
            {k: v for k, v in p.items() if keep is None or k in keep}
            for p in self.projects.values()
        ]

    def get_project(self, project_id: int) -> dict:
        return dict(self.projects[project_id])

    def find_project(self, title: str) -> dict | None:
        return next((dict(p) for p in self.projects.values() if p["title"] == title), None)

    def create_project(self, title: str, label_config: str, **kw) -> dict:
        pid = len(self.projects) + 1
        self.projects[pid] = {"id": pid, "title": title, "label_config": label_config, **kw}
        self.tasks[pid] = []
        return dict(self.projects[pid])

    def update_project(self, project_id: int, **kw) -> None:
        version = kw.get("model_version")
        held = {p["model_version"] for t in self.tasks[project_id] for p in t["predictions"]}
        if version is not None and version not in held:
            raise StudioError("Model version doesn't exist either as live model or as static")
        self.projects[project_id].update(kw)

    def create_view(self, project_id: int, data: dict) -> None:
        self.views.setdefault(project_id, []).append({"id": project_id, "data": data})

    def list_views(self, project_id: int) -> list[dict]:
        return list(self.views.get(project_id, []))

    # the client's own listing code, over the task list below
    iter_task_versions = StudioClient.iter_task_versions
    iter_task_listing = StudioClient.iter_task_listing
    _listing = StudioClient._listing

    def iter_tasks(self, project_id: int, include: str = "id,data", **params):
        """The task list (``api/tasks/``) with only the fields in ``include``;
        ``predictions_model_versions`` comma-joined, as the server gives it."""
        self.listings[project_id] += 1
        for t in self.tasks[project_id]:
            full = {
                **json.loads(json.dumps(t)),
                "predictions_model_versions": ",".join(
                    sorted({p["model_version"] for p in t["predictions"]})
                ),
            }
            yield {k: v for k, v in full.items() if k in include.split(",")}

    def count_annotated_tasks(self, project_id: int) -> int:
        """Tasks holding a non-cancelled answer (``annotations`` a test gives a task)."""
        return sum(
            any(not a.get("was_cancelled") for a in t.get("annotations", []))
            for t in self.tasks[project_id]
        )

    def prediction_versions(self, project_id: int) -> dict[int, set[str]]:
        self.listings[project_id] += 1  # counted as a listing too
        return {
            t["id"]: {p["model_version"] for p in t["predictions"]} for t in self.tasks[project_id]
        }

    def import_tasks(self, project_id: int, batch: list[dict]):
        from annotate.studio.client import ImportAnswer

        ids = []
        for task in batch:
            ids.append(sum(len(v) for v in self.tasks.values()) + 1)
            self.tasks[project_id].append({"id": ids[-1], **json.loads(json.dumps(task))})
        return ImportAnswer(ids, len(ids), sum(len(t["predictions"]) for t in batch))

    def import_predictions(self, project_id: int, predictions: list[dict]) -> int:
        by_id = {t["id"]: t for t in self.tasks[project_id]}
        for p in predictions:
            by_id[p["task"]]["predictions"].append({k: v for k, v in p.items() if k != "task"})
        return len(predictions)


def test_a_review_set_re_pushed_with_a_newer_model_gets_its_predictions(tmp_path) -> None:
    """The re-push failed with HTTP 400 'Model version doesn't exist ...' on a reviewer
    project that got no new task, and the newer model's predictions were never added."""
    newer = tmp_path / "newer.jsonl"
    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    newer.write_text("".join(json.dumps({**r, "model_version": "m2"}) + "\n" for r in rows))
    client = ReviewStudio()
    push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    result = push_review(newer, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert [s.created for s in result.reviewers] == [0, 0]
    assert [s.predictions_added for s in result.reviewers] == [len(rows), len(rows)]
    for pid, tasks in client.tasks.items():
        assert client.projects[pid]["model_version"] == "m2"
        assert all(
            sorted(p["model_version"] for p in t["predictions"]) == ["fixture-model-1", "m2"]
            for t in tasks
        )
    again = push_review(newer, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert [s.predictions_added for s in again.reviewers] == [0, 0]


def test_a_review_push_lists_each_reviewer_queue_once() -> None:
    """Model versions and gold meta come from one listing of each queue's tasks (it was
    two: one for the versions, one more for the meta of gold tasks)."""
    gold = FIXTURES / "gold.jsonl"
    client = ReviewStudio()
    push_review(PRELABELS, "Batch", 2, gold=gold, gold_rate=0.25, client=client, salt="s")  # type: ignore[arg-type]
    client.listings.clear()
    again = push_review(PRELABELS, "Batch", 2, gold=gold, gold_rate=0.25, client=client, salt="s")  # type: ignore[arg-type]
    assert [s.created for s in again.reviewers] == [0, 0]
    assert sorted(client.listings.values()) == [1, 1] and len(client.tasks) == 2


def test_a_review_push_result_gives_each_queue_its_pseudonym() -> None:
    """README: push prints each reviewer's e-mail with the pseudonym of their queue's
    title; it printed only the e-mail, so the lead could not tell which queue was whose."""
    client = ReviewStudio()
    result = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert len(result.reviewers) == 2
    for share in result.reviewers:
        assert share.alias.startswith("r-") and share.alias not in share.email
        assert client.projects[share.project_id]["title"] == f"Batch · {share.alias}"


def test_a_gold_rate_the_gold_table_cannot_meet_is_reported() -> None:
    """--gold-rate 0.95 with a small gold table gave each queue every gold passage and
    said nothing about the rate it did not reach."""
    gold = FIXTURES / "gold.jsonl"
    n_gold = len(gold.read_text().splitlines())
    client = ReviewStudio()
    high = push_review(PRELABELS, "Batch", 2, gold=gold, gold_rate=0.95, client=client, salt="s")  # type: ignore[arg-type]
    assert high.gold_available == n_gold and high.gold_wanted > n_gold
    assert all(share.gold == n_gold for share in high.reviewers)
    low = push_review(
        PRELABELS, "Other", 2, gold=gold, gold_rate=0.1, client=ReviewStudio(), salt="s"
    )  # type: ignore[arg-type]
    assert low.gold_wanted == 0


def test_queues_name_their_reviewer_by_pseudonym_only() -> None:
    """Every member sees every project's title and description: they held the reviewer's
    e-mail (description) and its local part (title)."""
    client = ReviewStudio()
    push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    shown = [f"{p['title']}\n{p['description']}" for p in client.projects.values()]
    assert len(shown) == 2
    for text, uid in zip(shown, (2, 3), strict=True):
        assert "@" not in text and "ana" not in text and "ben" not in text
        assert text.count(pseudonym(uid, "s")) == 3  # title, description, marker
    found = reviewer_projects(client, "Batch", salt="s")  # type: ignore[arg-type]
    assert sorted(found) == ["ana@x.org", "ben@x.org"]  # the mapping, on this machine


def test_queues_made_with_the_email_are_found_and_renamed() -> None:
    client = ReviewStudio()
    push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    for proj, email in zip(client.projects.values(), ("ana@x.org", "ben@x.org"), strict=True):
        proj["title"] = f"Batch · {email.split('@')[0]}"  # as an earlier version made them
        proj["description"] = f'Review queue of {email}.\n[annotate-review] project="Batch" '
        proj["description"] += f"reviewer={email}"
    assert sorted(reviewer_projects(client, "Batch", salt="s")) == ["ana@x.org", "ben@x.org"]  # type: ignore[arg-type]
    again = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert len(client.projects) == 2 and [s.created for s in again.reviewers] == [0, 0]
    assert [p["title"] for p in client.projects.values()] == [
        f"Batch · {pseudonym(2, 's')}",
        f"Batch · {pseudonym(3, 's')}",
    ]
    assert not any("@" in p["description"] for p in client.projects.values())


def test_a_review_set_pushed_with_another_salt_is_one_clear_error() -> None:
    client = ReviewStudio()
    push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="another salt") as exc:
        push_review(PRELABELS, "Batch", 2, client=client, salt="t")  # type: ignore[arg-type]
    assert "ANNOTATE_PSEUDONYM_SALT" in str(exc.value.fix) and len(client.projects) == 2


def test_a_push_without_reviewer_leaves_the_demo_accounts_out() -> None:
    """After `annotate demo`, a push to "every account" gave the demo's Ana and Ben real
    passages too."""
    client = ReviewStudio(("ana@annotate.local", "ana@x.org", "ben@annotate.local", "ben@x.org"))
    result = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert [s.email for s in result.reviewers] == ["ana@x.org", "ben@x.org"]
    assert result.demo_left_out == ["ana@annotate.local", "ben@annotate.local"]
    assert len(client.projects) == 2
    named = push_review(  # named, they review like anyone
        PRELABELS,
        "Demo",
        2,
        reviewers=["ana@annotate.local", "ben@annotate.local"],
        client=client,
        salt="s",  # type: ignore[arg-type]
    )
    assert [s.created for s in named.reviewers] == [6, 6] and named.demo_left_out == []
    another_server()
    client = ReviewStudio(("ana@annotate.local", "ana@x.org", "ben@annotate.local"))
    with pytest.raises(InputError, match="demo accounts") as exc:
        push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert "--reviewer" in str(exc.value.fix)


def test_a_reviewer_who_gets_no_passage_gets_no_queue(tmp_path) -> None:
    one = tmp_path / "one.jsonl"
    one.write_text(PRELABELS.read_text(encoding="utf-8").splitlines()[0] + "\n")
    client = ReviewStudio(("ana@x.org", "ben@x.org", "cai@x.org"))
    gold = FIXTURES / "gold.jsonl"
    result = push_review(one, "Batch", 2, gold=gold, gold_rate=0.25, client=client, salt="s")  # type: ignore[arg-type]
    assert len(result.reviewers) == 2 and len(client.projects) == 2  # no empty (or gold-only) one
    (left,) = result.without_queue
    assert left not in [s.email for s in result.reviewers]
    again = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert len(client.projects) == 3 and again.without_queue == []  # now it has passages


def test_a_model_version_with_a_comma_lists_tasks_once_with_their_meta(tmp_path) -> None:
    """The task list joins model versions with commas, so a version holding one is read
    from the prediction list; the tasks are still listed once, with their meta."""
    comma = tmp_path / "comma.jsonl"
    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    comma.write_text("".join(json.dumps({**r, "model_version": "m,2"}) + "\n" for r in rows))
    gold = FIXTURES / "gold.jsonl"
    client = ReviewStudio()
    push_review(comma, "Batch", 2, gold=gold, gold_rate=0.25, client=client, salt="s")  # type: ignore[arg-type]
    client.listings.clear()
    again = push_review(comma, "Batch", 2, gold=gold, gold_rate=0.25, client=client, salt="s")  # type: ignore[arg-type]
    assert [(s.created, s.predictions_added) for s in again.reviewers] == [(0, 0), (0, 0)]
    assert sorted(client.listings.values()) == [2, 2]  # predictions once, tasks once


def test_a_review_set_over_a_project_annotate_did_not_make_says_so() -> None:
    """A project made in the Label Studio UI was called 'a project pushed without
    --reviewers-per-task'; one annotate pushed still is."""
    client = ReviewStudio()
    client.create_project("Manual", '<View><Text name="text" value="$text"/></View>')
    with pytest.raises(InputError, match="annotate did not make") as exc:
        push_review(PRELABELS, "Manual", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert "pushed without" not in str(exc.value)
    from annotate.taxonomy import load_taxonomy

    client.create_project("Plain", load_taxonomy().render_label_config())
    with pytest.raises(InputError, match="pushed without --reviewers-per-task"):
        push_review(PRELABELS, "Plain", 2, client=client, salt="s")  # type: ignore[arg-type]


def test_a_gold_label_that_is_one_word_of_a_category_names_it(tmp_path) -> None:
    """A lead's gold sheet said 'threat' (a span label's name, and the word reviewers use):
    the error listed every category and left the lead to guess."""
    import json

    from annotate.review.gold import read_gold
    from annotate.studio.label_config import parse_label_config
    from tests.conftest import project_taxonomy

    tax = project_taxonomy()
    scores = dict.fromkeys(tax.category_names, 0.1)
    row = {
        "id": "g9",
        "text": "t",
        "scores": scores,
        "labels": [],
        "spans": [],
        "model_version": "m",
        "gold_labels": "threat",
    }
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(row) + "\n")
    with pytest.raises(InputError) as err:
        read_gold(gold, tax, parse_label_config(tax.render_label_config()))
    assert (err.value.fix or "").startswith("write violent_threat for 'threat'"), err.value.fix
    gold.write_text(json.dumps({**row, "gold_labels": "violen"}) + "\n")  # no whole word
    with pytest.raises(InputError) as err:
        read_gold(gold, tax, parse_label_config(tax.render_label_config()))
    assert (err.value.fix or "").startswith("use some of"), err.value.fix


def test_the_import_order_note_counts_only_open_tasks_of_earlier_pushes(tmp_path) -> None:
    """The note that "Label All Tasks" serves a new batch after earlier pushes' open
    tasks fired whenever a queue held earlier tasks, answered ones too: after yesterday's
    queue was all answered it sent the lead to change a queue order that was already
    riskiest first."""
    from annotate.cli.review.push_review import import_order_note

    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in rows[: len(rows) // 2]))
    second.write_text("".join(json.dumps(r) + "\n" for r in rows[len(rows) // 2 :]))

    open_client = ReviewStudio()
    push_review(first, "Batch", 2, client=open_client, salt="s")  # type: ignore[arg-type]
    kept_open = push_review(second, "Batch", 2, client=open_client, salt="s")  # type: ignore[arg-type]
    assert all(s.open_before == s.queued_before > 0 for s in kept_open.reviewers)
    assert import_order_note(kept_open.reviewers) is not None

    another_server()
    answered_client = ReviewStudio()
    push_review(first, "Batch", 2, client=answered_client, salt="s")  # type: ignore[arg-type]
    for tasks in answered_client.tasks.values():
        for t in tasks:
            t["annotations"] = [{"was_cancelled": False}]
    answered = push_review(second, "Batch", 2, client=answered_client, salt="s")  # type: ignore[arg-type]
    assert all(s.queued_before > 0 and s.open_before == 0 for s in answered.reviewers)
    assert sum(s.created for s in answered.reviewers) > 0
    assert import_order_note(answered.reviewers) is None


def test_a_skipped_task_is_not_an_open_task_the_new_batch_waits_behind(tmp_path) -> None:
    """passI53 I8: "N tasks added to queues that hold earlier pushes' open tasks" fired for
    a queue whose only unanswered task was a skip, and named no queue. Label Studio 1.23's
    next-task logic leaves a reviewer's own skipped task out of "Label All Tasks" (served,
    with the project's "Requeue for me" only, after every other task), so only tasks
    neither answered nor skipped hold a new batch back; the note names those queues."""
    from annotate.cli.review.push_review import import_order_note

    rows = PRELABELS.read_text().splitlines()
    first = tmp_path / "first.jsonl"
    first.write_text("\n".join(rows[:4]) + "\n")
    client = ReviewStudio()
    push_review(first, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    ana_q, ben_q = (
        next(p for p in client.projects.values() if p["title"].endswith(pseudonym(u, "s")))["id"]
        for u in (2, 3)
    )
    for pid, last in ((ana_q, "skipped"), (ben_q, "open")):
        *done, left = client.tasks[pid]
        for t in done:
            t.update(annotations=[{"was_cancelled": False}], total_annotations=1)
            t["cancelled_annotations"] = 0
        cancelled = last == "skipped"
        left.update(annotations=[{"was_cancelled": True}] if cancelled else [])
        left.update(total_annotations=0, cancelled_annotations=int(cancelled))
    second = tmp_path / "second.jsonl"  # the next batch: new passages only
    second.write_text("\n".join(rows[4:]) + "\n")
    result = push_review(second, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    by = {s.email: s for s in result.reviewers}
    assert (by["ana@x.org"].created, by["ben@x.org"].created) == (2, 2)
    assert (by["ana@x.org"].open_before, by["ben@x.org"].open_before) == (0, 1)
    note = import_order_note(result.reviewers)
    assert note is not None and note.startswith("note: 2 tasks added to queues that hold")
    assert f"ben@x.org ({pseudonym(3, 's')}): 1 open" in note
    assert "ana@x.org" not in note and "neither answered nor skipped" in note
