"""Ingest: splitting invariants (property tests), readers, stable IDs, bad input."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotate.errors import InputError, SchemaError
from annotate.ingestion import ingest, iter_passages, passage_id
from annotate.ingestion.readers import Document
from annotate.ingestion.splitter import Segment, sentences, split_passages

WORDS = st.sampled_from(
    ["the", "attack", "Mosul", "said", "U.S.", "Gen.", "“quote”", "he", "3.5", "…", "émigré", "🙂"]
)
SENTENCE = st.builds(
    lambda ws, end: " ".join(ws) + end,
    st.lists(WORDS, min_size=1, max_size=25),
    st.sampled_from([".", "!", "?", "", '."', "…"]),
)
PARAGRAPH = st.builds(" ".join, st.lists(SENTENCE, min_size=1, max_size=8))
DOCUMENT = st.builds(
    lambda ps, seps: "".join(p + s for p, s in zip(ps, seps, strict=False)),
    st.lists(PARAGRAPH, min_size=1, max_size=8),
    st.lists(st.sampled_from(["\n", "\n\n", "\r\n\r\n", "\n  \n", " "]), min_size=8, max_size=8),
)


def _check_invariants(text: str, segs: list[Segment], max_chars: int) -> None:
    pos = 0
    for seg in segs:
        assert seg.start >= pos, "passages overlap or are out of order"
        assert text[pos : seg.start].strip() == "", "text lost between passages"
        assert text[seg.start : seg.end].strip() == text[seg.start : seg.end]
        pos = seg.end
    assert text[pos:].strip() == "", "text lost at the end"


@settings(max_examples=300, deadline=None)
@given(DOCUMENT, st.integers(min_value=40, max_value=800), st.integers(min_value=0, max_value=120))
def test_split_never_loses_or_reorders_text(text, max_chars, min_chars):
    segs = split_passages(text, max_chars=max_chars, min_chars=min_chars)
    _check_invariants(text, segs, max_chars)
    # concatenating the passages gives back every non-whitespace character, in order
    joined = "".join(text[s.start : s.end] for s in segs)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)


@settings(max_examples=200, deadline=None)
@given(st.lists(SENTENCE, min_size=1, max_size=30), st.integers(min_value=60, max_value=400))
def test_split_never_cuts_a_sentence_that_fits(sents, max_chars):
    text = " ".join(sents)
    para = Segment(0, len(text))
    sents_ = list(sentences(text, para))
    bounds = {s.end for s in sents_} | {len(text.rstrip())}
    segs = split_passages(text, max_chars=max_chars, min_chars=0)
    for seg in segs:
        assert seg.end - seg.start <= max_chars  # the limit holds, always
        if seg.end not in bounds:  # a cut inside a sentence: only one too long to fit
            inside = next(s for s in sents_ if s.start < seg.end < s.end)
            assert inside.end - inside.start > max_chars


LONG_WORD = "x" * 900


@pytest.mark.parametrize(
    ("text", "max_chars"),
    [
        # a chat log / transcript without sentence punctuation
        (" ".join(["ok so i said we meet at the park later"] * 80) + " then i kill him", 700),
        ("\n".join(["lol yeah whatever man"] * 200), 300),  # soft-wrapped lines, one paragraph
        (f"start {LONG_WORD} end of the message", 700),  # a single word longer than the limit
        ("word" + "e\u0301" * 600 + " tail", 500),  # combining marks stay with their letter
    ],
)
def test_max_chars_holds_without_sentence_boundaries(text: str, max_chars: int) -> None:
    segs = split_passages(text, max_chars=max_chars, min_chars=0)
    assert segs and all(s.end - s.start <= max_chars for s in segs)
    joined = "".join(text[s.start : s.end] for s in segs)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)
    for seg in segs[:-1]:
        after = text[seg.end : seg.end + 1]
        # cut at whitespace unless one word alone is longer than the limit
        assert after.isspace() or LONG_WORD[:50] in text[seg.start : seg.end] or "\u0301" in text
        assert not after or not unicodedata.combining(after)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(DOCUMENT, min_size=1, max_size=4))
def test_ids_stable_across_runs_and_offsets_slice_source(docs):
    documents = [Document(doc_id=f"d{i}", text=t, source="mem") for i, t in enumerate(docs)]
    first = list(iter_passages(iter(documents), dedupe=False))
    second = list(iter_passages(iter(documents), dedupe=False))
    assert [r["id"] for r in first] == [r["id"] for r in second]
    for row in first:
        doc = docs[int(row["doc_id"][1:])]
        assert doc[row["start"] : row["end"]] == row["text"]
        assert row["id"] == passage_id(row["doc_id"], row["text"])


def test_sentence_splitter_keeps_abbreviations_and_quotes():
    text = 'Gen. Haider Fadhil said it. "Start now!" he urged. The U.S. Army left. Done.'
    got = [text[s.start : s.end] for s in sentences(text, Segment(0, len(text)))]
    assert got == [
        "Gen. Haider Fadhil said it.",
        '"Start now!" he urged.',
        "The U.S. Army left.",
        "Done.",
    ]


def test_long_paragraph_is_split_at_sentences_within_bound():
    sent = "This sentence has exactly some words in it and then it ends. "
    text = sent * 40
    segs = split_passages(text, max_chars=200, min_chars=0)
    assert len(segs) > 5
    assert all(s.end - s.start <= 200 for s in segs)
    assert all(text[s.start : s.end].endswith("ends.") for s in segs)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_ingest_folder_of_text_files(tmp_path):
    src = tmp_path / "news"
    src.mkdir()
    body = "Headline here\n\n" + "Officials said the attack killed nine people. " * 3
    _write(src / "a.txt", body)
    _write(src / "b.md", "# Title B\n\nA different paragraph of text about a museum visit today.\n")
    _write(src / "notes.bin", "skip me")
    out = tmp_path / "p.parquet"
    stats = ingest([src], out)
    assert stats.documents == 2 and stats.skipped_files == [str(src / "notes.bin")]
    df = pq.read_table(out).to_pandas()
    assert set(df.doc_id) == {"news/a.txt", "news/b.md"}
    assert df.loc[df.doc_id == "news/b.md", "title"].iloc[0] == "Title B"
    for row in df.itertuples():
        # the source names the file relative to what was given, never the absolute path
        assert not Path(row.source).is_absolute()
        assert (tmp_path / row.source).read_text()[row.start : row.end] == row.text


def test_ingest_tables_keep_metadata_and_dedupe(tmp_path):
    rows = [
        {
            "id": "n1",
            "text": "Same boilerplate sentence here.",
            "title": "T1",
            "url": "http://x/1",
            "date": "2024-01-02",
            "lang": "en",
        },
        {
            "id": "n2",
            "text": "Same boilerplate sentence here.",
            "title": "T2",
            "url": "http://x/2",
            "date": "2024-01-03",
            "lang": "en",
        },
        {"id": "n3", "text": "Another text entirely, about hunting season.", "lang": "en"},
    ]
    jl = tmp_path / "docs.jsonl"
    jl.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    csv = tmp_path / "docs.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    pqf = tmp_path / "docs.parquet"
    pd.DataFrame(rows).to_parquet(pqf)
    for src in (jl, csv, pqf):
        out = tmp_path / f"out-{src.suffix[1:]}.jsonl"
        stats = ingest([src], out)
        got = [json.loads(line) for line in out.read_text().splitlines()]
        assert stats.duplicates == 1 and [r["doc_id"] for r in got] == ["n1", "n3"], src
        assert got[0]["title"] == "T1" and got[0]["source"] == "http://x/1"
        assert got[0]["date"] == "2024-01-02"
        assert json.loads(got[0]["meta"]) == {"lang": "en"}


def test_ingest_hf_dataset_saved_to_disk(tmp_path):
    import datasets

    ds = datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_dict(
                {"text": ["First doc about the siege."], "id": ["a"]}
            ),
            "test": datasets.Dataset.from_dict({"text": ["Second doc, a recipe."], "id": ["b"]}),
        }
    )
    ds.save_to_disk(tmp_path / "hf")
    out = tmp_path / "p.jsonl"
    stats = ingest([tmp_path / "hf"], out)
    assert stats.documents == 2
    assert sorted(json.loads(x)["doc_id"] for x in out.read_text().splitlines()) == ["a", "b"]


BAD_INPUTS = [
    ("unknown type", "doc.docx", b"hello", "unsupported file type '.docx'"),
    ("empty txt", "empty.txt", b"", "the file is empty"),
    # what Notepad saves for an empty UTF-8 file: it gave '1 documents -> 0 passages'
    (
        "txt of a byte-order mark and a line end",
        "bom.txt",
        b"\xef\xbb\xbf\r\n",
        "the file holds only white space",
    ),
    ("txt of a byte-order mark only", "bom0.txt", b"\xef\xbb\xbf", "the file is empty"),
    ("non-utf8", "latin.txt", "café olé".encode("latin-1"), "not valid UTF-8"),
    (
        "broken jsonl line",
        "bad.jsonl",
        b'{"text": "ok"}\n{"text": broken\n',
        "line 2 is not valid JSON",
    ),
    (
        "raw tab inside a JSONL string",
        "ctl.jsonl",
        b'{"text": "ok"}\n{"text": "tab\there"}\n',
        "(Invalid control character at column 14)",
    ),
    (
        # a line cut short (a closing brace lost): the column is where the line ends, 31;
        # the trailing newline was parsed with it, and the error said "at column 1"
        "jsonl line cut short",
        "cut.jsonl",
        b'{"id":"1","text":"hello there friend"}\n{"id":"2","text":"another one"\n',
        "line 2 is not valid JSON (Expecting ',' delimiter at column 31)",
    ),
    ("jsonl not object", "arr.jsonl", b'["a"]\n', "expected an object"),
    ("csv without text", "no_text.csv", b"id,body\n1,hello\n", "missing column(s) 'text'"),
    ("csv without text: the fix", "no_text.csv", b"id,body\n1,hello\n", "--text-column 'body'"),
    (
        "csv separated by semicolons",
        "semi.csv",
        b"id;text\n1;hello\n",
        "looks separated by ';', not by ',': pass --delimiter ';'",
    ),
    ("empty csv", "empty.csv", b"", "the file is empty"),
]


@pytest.mark.parametrize(
    ("case", "name", "content", "needle"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_is_one_clear_error_and_no_output(tmp_path, case, name, content, needle):
    src = tmp_path / name
    src.write_bytes(content)
    out = tmp_path / "out.parquet"
    with pytest.raises(InputError) as info:
        ingest([src], out)
    msg = str(info.value)
    assert needle in msg and "Fix:" in msg and "\n" not in msg
    assert not out.exists()
    assert not list(tmp_path.glob(".out.parquet*")), "partial output left behind"


@pytest.mark.parametrize(
    ("name", "unpack", "then"),
    [
        ("news.jsonl.gz", "`gunzip -k ", "then pass "),
        ("dump.zip", "`unzip ", "then pass "),
    ],
)
def test_a_compressed_input_is_told_to_be_unpacked_not_renamed(tmp_path, name, unpack, then):
    """`annotate ingest news.jsonl.gz` said "Fix: convert the file (e.g. to .txt or .jsonl)
    or rename it with the right extension": renamed to news.jsonl, its bytes stay
    gzip's, and ingest then calls it a binary file."""
    import gzip

    src = tmp_path / name
    src.write_bytes(gzip.compress(b'{"text": "hello"}\n'))
    with pytest.raises(InputError) as info:
        ingest([src], tmp_path / "out.parquet")
    fix = info.value.fix
    assert unpack in fix and then + str(src.with_suffix("")) in fix, fix
    assert "rename it with the right extension" not in fix, fix


def test_error_after_some_rows_leaves_no_output(tmp_path):
    lines = [json.dumps({"id": str(i), "text": f"Document number {i} text."}) for i in range(3000)]
    lines.insert(2500, "{broken")
    src = tmp_path / "big.jsonl"
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    with pytest.raises(InputError, match="line 2501"):
        ingest([src], out)
    assert not out.exists() and not list(tmp_path.glob(".out.jsonl*"))


def test_csv_missing_text_column_is_schema_error(tmp_path):
    src = _write(tmp_path / "x.csv", "id,content\n1,hi\n")
    with pytest.raises(SchemaError, match="found 'id', 'content'"):
        ingest([src], tmp_path / "o.jsonl")
    ingest([src], tmp_path / "o.jsonl", text_column="content")


@pytest.mark.parametrize(
    ("header", "given", "suggested", "rename"),
    [
        # a forum export: the text column named otherwise, ids and dates beside it
        ("post_id,message,channel,created_at", "text", "--text-column 'message'", "'text'"),
        # a typo of the column given: it was told to rename the column to 'text'
        ("post_id,message,channel,created_at", "msg", "--text-column 'message'", "'msg'"),
        ("id,content,title", "contnet", "--text-column 'content'", "'contnet'"),
        ("a,b", "text", "--text-column NAME", "'text'"),
    ],
)
def test_missing_text_column_names_the_likely_one(tmp_path, header, given, suggested, rename):
    """The fix names the column that probably holds the text, and renaming goes to the
    name given (`--text-column msg`: renaming a column to 'text' would not help)."""
    values = ",".join(str(i) for i in range(header.count(",") + 1))
    src = _write(tmp_path / "x.csv", f"{header}\n{values}\n")
    with pytest.raises(SchemaError) as info:
        ingest([src], tmp_path / "o.jsonl", text_column=given)
    fix = str(info.value).split("Fix: ", 1)[1]
    assert f"with {suggested}, or rename it to {rename} " in fix, fix
