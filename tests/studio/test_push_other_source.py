"""Two platforms' tables whose ids both count from 1, a row of each with the same text:
ingest gives both the same passage id, and push counted the second "already there"
without a word, its source recorded nowhere (the new-user passes; ``ingest --id-prefix``
is the opt-in fix). Push now compares each passage already there with the file's row by
the input file ingest recorded on both (read with the page-by-page listing, joined in
the staging database: no extra request, constant memory) and warns, naming a few, with
the fix. Nothing is changed on the server."""

from __future__ import annotations

from pathlib import Path

from annotate.studio.client import StudioClient, TaskListing
from annotate.studio.input_sources import input_file_of
from annotate.studio.push import PushResult, push
from tests.studio.test_staging_reposts import ROWS, TextListingClient, _write
from tests.test_cli import run


class SourceListingClient(TextListingClient):
    """Lists each task's licence and input file too, as the real client's listing does."""

    def iter_task_versions(self, project_id, after=None, text_field=None):
        for row in super().iter_task_versions(project_id, after, text_field):
            data = self.tasks[row[0] - 1]["data"]
            yield (*row, None, input_file_of(data))  # as the real client reads it


def _from(name: str, rows: list[dict]) -> list[dict]:
    return [{**r, "input_file": name, "input_row": f"line {i}"} for i, r in enumerate(rows, 1)]


def test_a_passage_there_from_another_input_file_is_counted_and_named(
    taxonomy, tmp_path: Path
) -> None:
    client = SourceListingClient(set())
    forum = _write(tmp_path / "forum.jsonl", _from("forumA.jsonl", ROWS[:3]))
    push(forum, "pro", taxonomy=taxonomy, client=client)
    discord = _write(tmp_path / "discord.jsonl", _from("discord.jsonl", ROWS[1:4]))
    result = push(discord, "pro", taxonomy=taxonomy, client=client)
    assert (result.created, result.skipped) == (1, 2)
    held = {t["data"]["passage_id"]: t["id"] for t in client.tasks}
    assert result.other_source == 2
    assert result.other_source_examples == [
        (ROWS[1]["id"], held[ROWS[1]["id"]], "forumA.jsonl", "discord.jsonl"),
        (ROWS[2]["id"], held[ROWS[2]["id"]], "forumA.jsonl", "discord.jsonl"),
    ]
    assert all(t["data"]["input_file"] == "forumA.jsonl" for t in client.tasks[:3])  # kept
    # the same file again, or rows that record no input file: nothing to say
    assert push(forum, "pro", taxonomy=taxonomy, client=client).other_source == 0
    bare = _write(tmp_path / "bare.jsonl", ROWS[:3])
    assert push(bare, "pro", taxonomy=taxonomy, client=client).other_source == 0


def test_the_client_listing_reads_the_input_file(monkeypatch) -> None:
    listed = [
        TaskListing(1, "p1", frozenset({"m"}), {}, {"text": "a", "input_file": "forumA.jsonl"}),
        TaskListing(2, "p2", frozenset({"m"}), {}, {"text": "b"}),
    ]
    monkeypatch.setattr(StudioClient, "_listing", lambda self, *a: iter(listed))
    client = StudioClient.__new__(StudioClient)
    rows = list(client.iter_task_versions(7, text_field="text"))
    assert [r[-1] for r in rows] == ["forumA.jsonl", None]


def test_the_cli_warns_with_the_id_prefix_fix(monkeypatch, tmp_path: Path) -> None:
    done = PushResult(1, "pro", "http://fake/projects/1/data", "m", total=9, skipped=9)
    done.other_source = 5
    done.other_source_examples = [("p_1", 11, "forumA.jsonl", "discord.jsonl")]
    monkeypatch.setattr("annotate.studio.push.push", lambda *a, **k: done)
    path = _write(tmp_path / "b.jsonl", [])
    out = run("push", str(path), "--project", "pro", "-q")
    assert out.returncode == 0, out.stderr
    said = " ".join((out.stdout + out.stderr).split())
    assert (
        "warning: 5 passages of this file are already in 'pro' under the same passage id "
        "from another input file (e.g. 'p_1': task 11 from 'forumA.jsonl', this file's row "
        "from 'discord.jsonl' and 4 more)"
    ) in said, said
    assert "ingest each source with its own --id-prefix" in said


def test_the_cli_advises_previous_first_for_one_source_taken_again(
    monkeypatch, tmp_path: Path
) -> None:
    """newuser60 #7: week 2 of one stream, ingested without --previous and pushed into the
    project holding week 1: its 97 overlapping passages were warned of with "Fix: ingest
    each source with its own --id-prefix" first, which would push them again as new
    passages; the "nothing is lost" of one source's export came last. The advice for one
    source (ingest again with --previous, not --id-prefix) now comes first, the
    --id-prefix fix only for two sources whose ids coincide."""
    done = PushResult(1, "Mod Week", "http://fake/projects/1/data", "m", total=250, skipped=97)
    done.other_source = 97
    done.other_source_examples = [("p_9", 40, "week1.csv", "week2.csv")]
    monkeypatch.setattr("annotate.studio.push.push", lambda *a, **k: done)
    out = run("push", str(_write(tmp_path / "b.jsonl", [])), "--project", "Mod Week", "-q")
    assert out.returncode == 0, out.stderr
    said = " ".join((out.stdout + out.stderr).split())
    assert "nothing is lost" in said and "none was pushed twice" in said, said
    fix = said.index("Fix:")
    assert said.index("--previous", fix) < said.index("--id-prefix", fix), said
    assert "not with --id-prefix, which would push them again as new passages" in said
    assert "Only if the files are two sources whose document ids coincide" in said


def test_a_review_set_push_counts_and_names_them_too(tmp_path: Path) -> None:
    from annotate.review.fanout import push_review
    from tests.test_review_push_reposts import MetaStudio

    client = MetaStudio()
    forum = _write(tmp_path / "forum.jsonl", _from("forumA.jsonl", ROWS[:3]))
    push_review(forum, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    discord = _write(tmp_path / "discord.jsonl", _from("discord.jsonl", ROWS[1:4]))
    result = push_review(discord, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    held = min(
        t["id"]
        for ts in client.tasks.values()
        for t in ts
        if t["data"]["passage_id"] == ROWS[1]["id"]
    )
    assert result.other_source == 2
    assert result.other_source_examples[0] == (
        ROWS[1]["id"],
        held,
        "forumA.jsonl",
        "discord.jsonl",
    )
    again = push_review(forum, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert again.other_source == 0


def _run(folder: str) -> str:
    """An ingest run record (JSON text, as rows and tasks carry it) that read ``folder``."""
    return '{"run":"ingest-1","sources_folders":["' + folder + '"]}'


def _in(folder: str, rows: list[dict]) -> list[dict]:
    return [{**r, "ingest_run": _run(folder)} for r in _from("posts.jsonl", rows)]


def test_files_of_one_name_from_two_folders_are_told_apart(taxonomy, tmp_path: Path) -> None:
    """break5 B4: discord/posts.jsonl and reddit/posts.jsonl (two platforms' exports named
    alike, ids both from 1) recorded the same input_file, and push said nothing."""
    client = SourceListingClient(set())
    first = _write(tmp_path / "a.jsonl", _in("/data/discord", ROWS[:3]))
    push(first, "pro", taxonomy=taxonomy, client=client)
    second = _write(tmp_path / "b.jsonl", _in("/data/reddit", ROWS[1:4]))
    result = push(second, "pro", taxonomy=taxonomy, client=client)
    assert result.other_source == 2
    _, _, theirs, ours = result.other_source_examples[0]
    assert (theirs, ours) == ("posts.jsonl (in discord/)", "posts.jsonl (in reddit/)")
    # the same folder's file again: one source
    assert push(first, "pro", taxonomy=taxonomy, client=client).other_source == 0
    # a row recording no folder: told by the name alone (the same name: one source)
    plain = _write(tmp_path / "c.jsonl", _from("posts.jsonl", ROWS[:3]))
    assert push(plain, "pro", taxonomy=taxonomy, client=client).other_source == 0


def test_the_folder_rule() -> None:
    from annotate.studio.input_sources import other_source

    assert input_file_of({"input_file": "posts.jsonl", "ingest_run": _run("/d/discord/")}) == (
        "posts.jsonl (in discord/)"
    )
    several = '{"sources_folders":["/a","/b"]}'
    assert input_file_of({"input_file": "posts.jsonl", "ingest_run": several}) == "posts.jsonl"
    assert input_file_of({"input_file": "posts.jsonl", "ingest_run": "not json"}) == "posts.jsonl"
    assert other_source("posts.jsonl (in discord/)", "posts.jsonl (in reddit/)")
    assert not other_source("posts.jsonl (in discord/)", "posts.jsonl")
    assert other_source("posts.jsonl (in discord/)", "forum.jsonl")
    assert not other_source("posts.jsonl", "posts.jsonl")


def test_a_review_set_push_tells_one_name_in_two_folders_apart(tmp_path: Path) -> None:
    from annotate.review.fanout import push_review
    from tests.test_review_push_reposts import MetaStudio

    client = MetaStudio()
    first = _write(tmp_path / "a.jsonl", _in("/data/discord", ROWS[:3]))
    push_review(first, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    second = _write(tmp_path / "b.jsonl", _in("/data/reddit", ROWS[1:4]))
    result = push_review(second, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert result.other_source == 2
