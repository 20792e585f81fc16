"""``ingest --id-prefix``: two platforms' tables whose rows share an id and a text
(``1``, "You are dead meat, I swear.") got the same passage id, so a push of the second
counted its threat "already there" and recorded its source nowhere (passB50 Q4). Passage
ids stay as they were without the option (a re-ingest gives the same ids); with a prefix
per source they differ, and the same prefix gives the same ids again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest
from tests.test_cli import run

THREAT = "You are dead meat, I swear."


def _table(path: Path) -> Path:
    rows = [{"id": 1, "text": THREAT}, {"id": 2, "text": "nice pic of the lake today"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _ids(path: Path) -> dict[str, str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {r["text"]: (r["id"], r["doc_id"]) for r in rows}


def test_a_prefix_per_source_keeps_their_passages_apart(tmp_path: Path) -> None:
    forum, discord = _table(tmp_path / "forumA.jsonl"), _table(tmp_path / "discord.jsonl")
    ingest([forum], tmp_path / "f.jsonl", near_dup_threshold=None)
    ingest([discord], tmp_path / "d.jsonl", near_dup_threshold=None)
    # without it, as before: the same passage id (ids stay stable for existing users)
    assert _ids(tmp_path / "f.jsonl")[THREAT] == _ids(tmp_path / "d.jsonl")[THREAT]
    ingest([forum], tmp_path / "fp.jsonl", near_dup_threshold=None, id_prefix="forumA:")
    ingest([discord], tmp_path / "dp.jsonl", near_dup_threshold=None, id_prefix="discord:")
    f, d = _ids(tmp_path / "fp.jsonl")[THREAT], _ids(tmp_path / "dp.jsonl")[THREAT]
    assert f[1] == "forumA:1" and d[1] == "discord:1"
    assert f[0] != d[0]
    ingest([discord], tmp_path / "dp2.jsonl", near_dup_threshold=None, id_prefix="discord:")
    assert _ids(tmp_path / "dp2.jsonl") == _ids(tmp_path / "dp.jsonl")  # stable


@pytest.mark.parametrize("prefix", ["", "  ", "my export:"])
def test_a_blank_prefix_or_one_with_spaces_is_refused(tmp_path: Path, prefix: str) -> None:
    with pytest.raises(InputError, match="--id-prefix"):
        ingest([_table(tmp_path / "t.jsonl")], tmp_path / "p.jsonl", id_prefix=prefix)
    assert not (tmp_path / "p.jsonl").exists()


def test_the_cli_takes_it(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    ran = run(
        "ingest",
        "-q",
        str(_table(tmp_path / "t.jsonl")),
        "--out",
        str(out),
        "--id-prefix",
        "discord:",
    )
    assert ran.returncode == 0, ran.stderr
    assert _ids(out)[THREAT][1] == "discord:1"


def _settings(path: Path) -> dict:
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    return json.loads(first["ingest_run"])["settings"]


def test_the_prefix_is_recorded_and_previous_refuses_another(tmp_path: Path) -> None:
    # break4 B1: the prefix was not in the run's settings, and a later run of the same
    # source without it (or with another) was compared with --previous silently, its
    # changed rows given un-prefixed ids that collide with the other platform's again
    table = _table(tmp_path / "t.jsonl")
    ingest([table], tmp_path / "p.jsonl", near_dup_threshold=None, id_prefix="discord:")
    assert _settings(tmp_path / "p.jsonl")["id_prefix"] == "discord:"
    ingest([table], tmp_path / "plain.jsonl", near_dup_threshold=None)
    assert "id_prefix" not in _settings(tmp_path / "plain.jsonl")  # run ids as before
    for other in (None, "forum:"):
        with pytest.raises(InputError) as raised:
            ingest(
                [table],
                tmp_path / "q.jsonl",
                near_dup_threshold=None,
                id_prefix=other,
                previous=[tmp_path / "p.jsonl"],
            )
        said = str(raised.value)
        assert "--id-prefix 'discord:' (this run: " in said, said
        assert "--allow-other-previous-settings" in said
        assert not (tmp_path / "q.jsonl").exists()
    # the same prefix compares; another one with the override, too
    ingest(
        [table],
        tmp_path / "same.jsonl",
        near_dup_threshold=None,
        id_prefix="discord:",
        previous=[tmp_path / "p.jsonl"],
    )
    ingest(
        [table],
        tmp_path / "forced.jsonl",
        near_dup_threshold=None,
        previous=[tmp_path / "p.jsonl"],
        allow_other_previous_settings=True,
    )
    # an earlier run without a prefix against one with it
    with pytest.raises(InputError, match=r"no --id-prefix \(this run: --id-prefix 'discord:'\)"):
        ingest(
            [table],
            tmp_path / "r.jsonl",
            near_dup_threshold=None,
            id_prefix="discord:",
            previous=[tmp_path / "plain.jsonl"],
        )


def test_another_prefix_for_another_source_is_compared(tmp_path: Path) -> None:
    """A first run of documents and a JSONL without a prefix; a forum CSV ingested
    with its own prefix and --previous the first run's passages was refused ("the same
    document gets another document id", passI53 I10), though it shares no document with
    it: the README asks for a prefix per source. Refused only when the earlier file
    holds passages of one of this run's input files (by file, or under a folder given),
    which the error now names."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.txt").write_text("A note about the meeting, long enough to keep.\n")
    posts = _table(tmp_path / "posts.jsonl")
    ingest([docs, posts], tmp_path / "p1.jsonl", near_dup_threshold=None)
    forum = tmp_path / "forum.jsonl"
    forum.write_text(json.dumps({"id": 7, "text": "Another source, its own words."}) + "\n")
    ingest(
        [forum],
        tmp_path / "p2.jsonl",
        near_dup_threshold=None,
        id_prefix="forum:",
        previous=[tmp_path / "p1.jsonl"],
    )
    assert [v[1] for v in _ids(tmp_path / "p2.jsonl").values()] == ["forum:7"]
    for shared, named in ((posts, "posts.jsonl"), (docs, "docs/note.txt")):
        with pytest.raises(InputError) as raised:
            ingest(
                [forum, shared],
                tmp_path / "p3.jsonl",
                near_dup_threshold=None,
                id_prefix="forum:",
                previous=[tmp_path / "p1.jsonl"],
            )
        said = str(raised.value)
        assert "gets another document id" in said and f"both read {named}" in said, said


def test_the_report_table_of_ingest_runs_shows_the_id_prefix() -> None:
    from annotate.audit.provenance import ingest_run_lines

    def run(name: str, **settings: object) -> dict[str, object]:
        recorded = {"max_chars": 700, "min_chars": 80, "near_dup_threshold": None, **settings}
        return {"run": name, "rows": 2, "annotate_version": "0.1.0", "settings": recorded}

    lines = ingest_run_lines({"runs": [run("ingest-a", id_prefix="discord:"), run("ingest-b")]})
    header = next(line for line in lines if line.startswith("| run |"))
    assert header.endswith("| corpus | id prefix |"), header
    (a,) = [line for line in lines if "ingest-a" in line]
    (b,) = [line for line in lines if "ingest-b" in line]
    assert a.endswith("| - | `discord:` |"), a
    assert b.endswith("| - | - |"), b


def _posts(path: Path, first: str = "I will make you pay for what you said yesterday.") -> Path:
    rows = [
        first,
        "The match last night was the best one of the whole season so far.",
        "Does anyone know when the library opens again after the holidays?",
        "Thanks to everyone who came to the meeting on Tuesday evening.",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(json.dumps({"id": f"f{n}", "text": t}) + "\n" for n, t in enumerate(rows))
    )
    return path


@pytest.mark.parametrize("case", ["renamed", "folder_then_file", "file_then_folder", "masked"])
def test_the_same_file_named_otherwise_is_refused_with_another_prefix(
    tmp_path: Path, case: str
) -> None:
    """break9 N5: the "same input file" refusal went by the recorded name only, so the
    same file named otherwise escaped it, and its edited document got a new document and
    passage id: a monthly dump renamed (told by its documents, document_sha256), a folder
    given in one run and the file in the other (by the file name), a name masked by
    --redact (its placeholder fits any text)."""
    from annotate.audit.redact import RedactionSettings

    redact = RedactionSettings() if case == "masked" else None
    edited = "I will make you pay dearly for what you said yesterday."
    if case == "renamed":
        first = [_posts(tmp_path / "oct" / "forum.jsonl")]
        second = [_posts(tmp_path / "nov" / "forum_nov.jsonl", edited)]
        named = "forum.jsonl (this run: forum_nov.jsonl, the same documents)"
    elif case == "folder_then_file":
        _posts(tmp_path / "c2" / "sub" / "forum.jsonl")
        first = [tmp_path / "c2"]
        second = [_posts(tmp_path / "c2" / "sub" / "forum.jsonl", edited)]
        named = "c2/sub/forum.jsonl (by its file name)"
    elif case == "file_then_folder":
        first = [_posts(tmp_path / "corpus" / "forum.jsonl")]
        _posts(tmp_path / "corpus" / "forum.jsonl", edited)
        second = [tmp_path / "corpus"]
        named = "forum.jsonl (by its file name)"
    else:
        chat = tmp_path / "WhatsApp Chat with +44 7700 900123.txt"
        chat.write_text("I know where you live and I will come for you tonight.\n")
        first = [chat]
        second = [chat]
        chat.write_text("I know where you live and I will come for you tomorrow.\n")
        named = "WhatsApp Chat with [PHONE-1].txt (by its file name)"
        # the earlier file's name is masked: a name comparison never matched
    ingest(first, tmp_path / "p1.jsonl", near_dup_threshold=None, redact=redact)
    if case == "masked":
        first_row = json.loads((tmp_path / "p1.jsonl").read_text().splitlines()[0])
        assert first_row["input_file"] == "WhatsApp Chat with [PHONE-1].txt"
    with pytest.raises(InputError) as raised:
        ingest(
            second,
            tmp_path / "p2.jsonl",
            near_dup_threshold=None,
            id_prefix="zz",
            previous=[tmp_path / "p1.jsonl"],
            redact=redact,
        )
    said = " ".join(str(raised.value).split())
    assert "gets another document id" in said and f"both read {named}" in said, said


def test_another_source_with_a_few_same_posts_is_still_compared(tmp_path: Path) -> None:
    """One copied post (spam on both platforms) does not make another source's file the
    earlier one: a file is the same only when its documents largely are."""
    _posts(tmp_path / "a" / "forum.jsonl")
    ingest([tmp_path / "a" / "forum.jsonl"], tmp_path / "p1.jsonl", near_dup_threshold=None)
    rows = [f"Post {n} of the other platform, in words of its own here." for n in range(12)]
    rows.append("The match last night was the best one of the whole season so far.")
    other = tmp_path / "b" / "chat.jsonl"
    other.parent.mkdir()
    other.write_text(
        "".join(json.dumps({"id": str(n), "text": t}) + "\n" for n, t in enumerate(rows))
    )
    ingest(
        [other],
        tmp_path / "p2.jsonl",
        near_dup_threshold=None,
        id_prefix="chat:",
        previous=[tmp_path / "p1.jsonl"],
    )
    assert len(_ids(tmp_path / "p2.jsonl")) == 12  # the copy dropped, the rest kept


def test_each_platforms_export_csv_with_its_own_prefix_is_compared(tmp_path: Path) -> None:
    """Stop 54: two platforms' ``export.csv`` (in folders of their own), each ingested
    with its own prefix, the second with --previous the first's passages: refused as
    "both read export.csv" by the name alone. Both runs giving a prefix, a file of the
    same name is the same file only when its documents are; the ids stay apart."""
    discord, slack = tmp_path / "discord" / "export.csv", tmp_path / "slack" / "export.csv"
    for path, texts in (
        (discord, ["You are dead meat, I swear.", "nice pic of the lake today"]),
        (slack, ["the build is broken again", "lunch at noon, anyone?"]),
    ):
        path.parent.mkdir()
        path.write_text("id,text\n" + "".join(f'{n},"{t}"\n' for n, t in enumerate(texts, 1)))
    ingest([discord], tmp_path / "p1.jsonl", near_dup_threshold=None, id_prefix="discord:")
    ingest(
        [slack],
        tmp_path / "p2.jsonl",
        near_dup_threshold=None,
        id_prefix="slack:",
        previous=[tmp_path / "p1.jsonl"],
    )
    first, second = _ids(tmp_path / "p1.jsonl"), _ids(tmp_path / "p2.jsonl")
    assert sorted(d for _, d in second.values()) == ["slack:1", "slack:2"]
    assert not {i for i, _ in first.values()} & {i for i, _ in second.values()}
    # the same export again under another prefix is still the same file
    with pytest.raises(InputError) as raised:
        ingest(
            [discord],
            tmp_path / "p3.jsonl",
            near_dup_threshold=None,
            id_prefix="slack:",
            previous=[tmp_path / "p1.jsonl"],
        )
    said = " ".join(str(raised.value).split())
    assert "both read export.csv (this run: export.csv, the same documents)" in said, said


def test_another_source_with_its_own_prefix_and_columns_is_not_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """break9 N6: the README's flow (a table of another source with its own --id-prefix,
    text and id columns, --previous the first batch) was accepted, then warned of as
    "may be another corpus": it is another source by design."""
    import logging

    ingest([_table(tmp_path / "t.jsonl")], tmp_path / "p1.jsonl", near_dup_threshold=None)
    comments = tmp_path / "comments.csv"
    comments.write_text("post_id,body\n7,a comment of the forum in words of its own\n")
    with caplog.at_level(logging.WARNING):
        ingest(
            [comments],
            tmp_path / "p2.jsonl",
            near_dup_threshold=None,
            text_column="body",
            id_column="post_id",
            id_prefix="c",
            previous=[tmp_path / "p1.jsonl"],
        )
    assert not [r for r in caplog.records if "another corpus" in r.getMessage()]
    # the same table without a prefix: another corpus, maybe, as before
    with caplog.at_level(logging.WARNING):
        ingest(
            [comments],
            tmp_path / "p3.jsonl",
            near_dup_threshold=None,
            text_column="body",
            id_column="post_id",
            previous=[tmp_path / "p1.jsonl"],
        )
    assert [r for r in caplog.records if "another corpus" in r.getMessage()]


def test_a_run_of_text_files_and_a_table_notes_that_the_prefix_went_before_both(
    tmp_path: Path,
) -> None:
    """newuser61 F1: a newsroom's article folder ingested beside its comments table with
    --id-prefix comments: gave the articles ``comments:articles/...`` ids, unsaid; the
    help's "every document id of the run" read as every row. The summary notes it."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.md").write_text("# Police raid\n\nPolice arrested four men.\n", "utf-8")
    table = _table(tmp_path / "comments.jsonl")
    out = tmp_path / "p.jsonl"
    ran = run("ingest", str(articles), str(table), "--out", str(out), "--id-prefix", "c:")
    assert ran.returncode == 0, ran.stderr
    said = " ".join(ran.stderr.split())
    assert "--id-prefix 'c:' is one per run" in said, said
    assert "'c:articles/a.md'" in said and "2 table rows" in said, said
    # a table alone (or files alone): nothing to note
    alone = run("ingest", str(table), "--out", str(tmp_path / "t.jsonl"), "--id-prefix", "c:")
    assert alone.returncode == 0 and "one per run" not in alone.stderr, alone.stderr
