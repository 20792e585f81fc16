"""Redaction: each kind of personal data, offsets that still slice, nothing left in exports."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate.audit.redact import RedactionSettings, Redactor, shift_spans, user_url
from annotate.audit.redact_export import redact_row
from annotate.cli import main
from annotate.corpus.export import export
from annotate.ingestion import ingest

from .fakes import PERSONAL, FakeStudio, reviewed_tasks


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


CASES = [
    # (kind, text, the personal data, expected redacted text)
    ("email", "write to jane.roe@example.com today", "jane.roe@example.com",
     "write to [EMAIL-1] today"),
    ("email", "Mail me at Bob.Smith+x@mail.example.co.uk.", "Bob.Smith+x@mail.example.co.uk",
     "Mail me at [EMAIL-1]."),
    ("phone", "call +44 20 7946 0958 now", "+44 20 7946 0958", "call [PHONE-1] now"),
    ("phone", "ring (212) 555-0198 tonight", "(212) 555-0198", "ring [PHONE-1] tonight"),
    ("phone", "UK: 020 7946 0018.", "020 7946 0018", "UK: [PHONE-1]."),
    ("phone", "Paris +33 1 42 68 53 00", "+33 1 42 68 53 00", "Paris [PHONE-1]"),
    ("user_url", "see https://twitter.com/janeroe99 now", "https://twitter.com/janeroe99",
     "see [USER_URL-1] now"),
    ("user_url", "at https://www.reddit.com/u/someone_else", "https://www.reddit.com/u/someone_else",
     "at [USER_URL-1]"),
    ("user_url", "fb https://www.facebook.com/profile.php?id=100012345 x",
     "https://www.facebook.com/profile.php?id=100012345", "fb [USER_URL-1] x"),
    ("user_url", "toot https://mastodon.social/@alice", "https://mastodon.social/@alice",
     "toot [USER_URL-1]"),
    ("handle", "thanks @jane_roe99!", "@jane_roe99", "thanks [HANDLE-1]!"),
    ("handle", "ask @a_very_long_instagram_name please", "@a_very_long_instagram_name",
     "ask [HANDLE-1] please"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "text", "secret", "want"), CASES)
def test_each_kind_is_masked(
    redactor: Redactor, kind: str, text: str, secret: str, want: str
) -> None:
    red = redactor.redact(text)
    assert red.text == want
    assert [m.kind for m in red.matches] == [kind]
    assert secret not in red.text


@pytest.mark.parametrize(
    "text",
    [
        "Read https://example.org/news/2026/attack-report for details.",
        "The attack happened on 2026-11-30 and 12 people were hurt.",
        "Look at example.com and meet me at the station.",
        "Price: 1,250 euros; room 4021; year 1989.",
    ],
)
def test_what_is_not_personal_stays(redactor: Redactor, text: str) -> None:
    assert redactor.redact(text).text == text


def test_user_urls() -> None:
    assert user_url("https://x.com/someone/status/1")
    assert user_url("https://example.org/~jane/")
    assert user_url("https://user:pw@example.org/")
    assert not user_url("https://twitter.com/search?q=attack")
    # a video's permalink names its channel (detection revision 7); before, left
    assert user_url("https://www.youtube.com/watch?v=abc")
    assert not user_url("https://www.youtube.com/watch?v=abc", revision=6)
    assert not user_url("https://www.youtube.com/results?search_query=attack")


def test_a_source_ingest_masked_is_no_url(redactor: Redactor) -> None:
    """A source ingest --redact masked (a file name ``irc-[EMAIL-1].log.txt``, a user's
    URL ``[USER_URL-1]``: ``[...]`` read by urlsplit as a bracketed IPv6 host) raised
    ValueError: export --redact of such a corpus ended in a traceback (stop 48)."""
    for source in ("irc-[EMAIL-1].log.txt", "[USER_URL-1]", "[EMAIL-2]"):
        assert not user_url(source)
        assert redactor.url(source) == source


def test_offsets_move_with_the_text(redactor: Redactor) -> None:
    text = PERSONAL
    red = redactor.redact(text)
    parts = ["Mail me", "jane.roe@example.com", "roe@exa", "call +44", "kill them all", "🦁 ask"]
    spans = []
    for part in parts:
        start = text.index(part)
        spans.append({"start": start, "end": start + len(part), "label": "x", "text": part})
    moved = shift_spans(spans, red)
    for old, new in zip(spans, moved, strict=True):
        assert red.text[new["start"] : new["end"]] == new["text"]
        if not any(m.start < old["end"] and old["start"] < m.end for m in red.matches):
            assert new["text"] == old["text"]  # untouched spans keep their words
    assert moved[1]["text"] == "[EMAIL-1]" and moved[2]["text"] == "[EMAIL-1]"
    assert moved[3]["text"] == "call [PHONE-1]"
    assert moved[4]["text"] == "kill them all"


def test_row_redaction_keeps_every_span_exact(redactor: Redactor) -> None:
    import random

    rng = random.Random(0)
    text = PERSONAL
    for _ in range(300):
        a, b = sorted(rng.sample(range(len(text) + 1), 2))
        span = {"start": a, "end": b, "label": "threat", "text": text[a:b]}
        row = {
            "text": text,
            "title": None,
            "source": None,
            "annotations": [{"spans": [span], "comment": ""}],
            "spans": [span],
            "model_spans": [span],  # were left on the unredacted offsets (and words)
        }
        out = redact_row(row, redactor)
        for s in [*out["spans"], *out["annotations"][0]["spans"], *out["model_spans"]]:
            assert 0 <= s["start"] <= s["end"] <= len(out["text"])
            assert out["text"][s["start"] : s["end"]] == s["text"]


def test_the_text_reviewers_were_shown_is_masked_as_the_text_is(redactor: Redactor) -> None:
    """A subtitle cue's ``shown_text`` (the cue without markup, annotate.studio.shown_text)
    holds the same words as ``text``: masked alike, not left in the clear beside it."""
    row = {
        "text": "<v Bob><i>mail me at jane.doe@example.org</i>",
        "shown_text": "Bob: mail me at jane.doe@example.org",
        "title": None,
        "source": None,
        "annotations": [],
        "spans": [],
    }
    out = redact_row(row, redactor)
    assert "jane.doe@example.org" not in out["text"]
    # the voice tag's speaker is a name (detection revision 7), masked alike in both
    assert out["text"].startswith("<v [NAME-1]><i>mail me at ")
    assert out["shown_text"].startswith("[NAME-1]: mail me at ")
    assert "jane.doe@example.org" not in out["shown_text"]
    assert redact_row({**row, "shown_text": None}, redactor)["shown_text"] is None


SECRETS = [
    "jane.roe@example.com",
    "7946 0958",
    "jane_roe99",
    "janeroe99",
    "john.smith@example.net",
    "7946 0018",
]


def _every_string(path: Path) -> str:
    if path.suffix == ".parquet":
        return json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False, default=str)
    if path.suffix == ".arrow":
        with pa.memory_map(str(path)) as src:
            return json.dumps(pa.ipc.open_stream(src).read_all().to_pylist(), ensure_ascii=False)
    return path.read_bytes().decode("utf-8", errors="replace")


def test_export_with_redact_leaves_no_personal_data(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    plain = tmp_path / "plain"
    export("p", plain, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    assert "janeroe99" in (plain / "jsonl" / "train.jsonl").read_text()  # the fixture has some
    out = tmp_path / "red"
    export("p", out, client=FakeStudio(tasks), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 15
    for path in files:
        content = _every_string(path)
        for secret in SECRETS:
            assert secret not in content, f"{secret!r} left in {path.relative_to(out)}"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["redaction"]["ran"] is True
    kinds = ["email", "phone", "user_url", "handle", "home_user", "name", "address"]
    assert manifest["redaction"]["kinds"] == kinds
    assert manifest["redaction"]["library"]["scrubadub"]
    # without --redact the manifest says where e-mail addresses were left (it said only
    # "ran": false, so an auditor could not tell a corpus redacted at ingest from one that
    # holds reviewers' comments with addresses)
    unmasked = json.loads((plain / "manifest.json").read_text())["redaction"]
    assert unmasked["ran"] is False
    left = unmasked["rows_with_email_addresses"]
    plain_rows = [json.loads(line) for f in (plain / "jsonl").glob("*.jsonl") for line in f.open()]
    assert left["text"] == sum("@example." in r["text"] for r in plain_rows) > 0
    with_comment = [r for r in plain_rows if any("@" in a["comment"] for a in r["annotations"])]
    assert left["comments"] == len(with_comment) > 0
    row = next(
        json.loads(line)
        for line in (out / "jsonl" / "train.jsonl").read_text().splitlines()
        if json.loads(line)["doc_id"] == "doc-c" and json.loads(line)["passage_index"] == 0
    )
    assert row["id"].startswith("pp_")  # its ingest id hashed the unmasked text
    # numbered across the document: the text's values first (its handle is the title's),
    # then the comment's other address and number; the source's status URL is a post of
    # the text's account: its number (break4 B10: it was another URL, [USER_URL-2])
    assert row["source"] == "[USER_URL-1]" and row["title"] == "Post by [HANDLE-1]"
    assert row["annotations"][0]["comment"] == "reported by [EMAIL-2], phone [PHONE-2]"
    for s in [*row["spans"], *row["annotations"][0]["spans"]]:
        assert row["text"][s["start"] : s["end"]] == s["text"]
    assert {s["text"] for s in row["annotations"][0]["spans"]} == {"kill them all", "[EMAIL-1]"}


def test_ingest_with_redact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = "First line with no data.\n\n" + PERSONAL + "\n\nLast paragraph, call +44 20 7946 0958."
    (tmp_path / "post.txt").write_text(doc, encoding="utf-8")
    out = tmp_path / "passages.jsonl"
    with pytest.raises(SystemExit) as done:
        main(["ingest", str(tmp_path / "post.txt"), "--out", str(out), "--redact", "-q",
              "--min-chars", "0"])  # fmt: skip
    assert done.value.code == 0
    assert "person names its rules find masked, other names not" in capsys.readouterr().err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows
    text = out.read_text()
    for secret in SECRETS[:4]:
        assert secret not in text
    redacted_doc = Redactor().redact(doc).text
    for r in rows:
        assert redacted_doc[r["start"] : r["end"]] == r["text"]
    plain = tmp_path / "plain.jsonl"
    ingest([tmp_path / "post.txt"], plain, min_chars=0)
    assert "jane.roe@example.com" in plain.read_text()


def test_numbers_in_meta_are_read_as_their_digits(redactor: Redactor) -> None:
    """A phone column a table reader typed as numbers (``{"phone": 4155552671}``, or a float
    where the column has a missing value) was kept whole by --redact: only strings were
    masked. Numbers at any depth, lists of lists too, go through the detectors; other
    numbers (counts, years, fractions) stay numbers."""
    meta = {
        "phone": 4155552671,
        "fax": 2125550198.0,
        "contacts": [[14155552671, "jane.roe@example.com"], [3, 2.5]],
        "reactions": {"jane.roe@example.com": 7},
        "likes": 3,
        "year": 2026,
        "score": 0.25,
        "flag": True,
    }
    got = json.loads(redactor.json_strings(json.dumps(meta)) or "{}")
    # numbered as first met (the values walked in the order of their keys); the phone
    # written again with its country code is the same number
    assert got["phone"] == "[PHONE-1]" and got["fax"] == "[PHONE-2]"
    assert got["contacts"] == [["[PHONE-1]", "[EMAIL-1]"], [3, 2.5]]
    assert got["reactions"] == {"[EMAIL-1]": 7}  # the same address, the same number
    assert (got["likes"], got["year"], got["score"], got["flag"]) == (3, 2026, 0.25, True)
    assert "4155552671" not in json.dumps(got) and "2125550198" not in json.dumps(got)


def test_ingest_redact_masks_numbers_in_a_jsonl_tables_meta(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "A post about the march.", "phone": 4155552671, "karma": 12},
        {"id": "b", "text": "Another post.", "callers": [[2125550198], [5]], "karma": 1},
    ]
    src = tmp_path / "posts.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "passages.jsonl"
    ingest([src], out, min_chars=0, redact=RedactionSettings())
    text = out.read_text()
    assert "4155552671" not in text and "2125550198" not in text
    metas = {r["doc_id"]: json.loads(r["meta"]) for r in map(json.loads, text.splitlines())}
    assert metas["a"] == {"phone": "[PHONE-1]", "karma": 12}
    assert metas["b"] == {"callers": [["[PHONE-1]"], [5]], "karma": 1}  # its own numbers
