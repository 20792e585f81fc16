"""The mapping engine's readers for the issue-8 public sets, on tiny tables written here
(CI has no ../shared): globs, JSON Lines, several text columns per row, linked rows kept
in one split, text patterns, explicit `known` labels and the English filter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import TrainingError
from annotate.training.sources import (
    DataSource,
    load_examples,
    load_mapping,
    looks_english,
    read_mapped,
)
from tests.conftest import ROOT


def _mapping(tmp_path: Path, taxonomy, body: str, name: str = "m.yaml"):
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return load_mapping(p, taxonomy)


@pytest.mark.parametrize(
    "name",
    [
        "hatemoji-build",
        "crowdcounter",
        "crisislex-t26",
        "stormfront-vicomtech",
        "isis-twitter-kaggle",
    ],
)
def test_shipped_mappings_are_valid(name: str, taxonomy) -> None:
    m = load_mapping(ROOT / "models" / "mappings" / f"{name}.yaml", taxonomy)
    assert m.name == name and m.license and m.citation and m.description


def test_glob_folder_column_list_values_and_english(tmp_path: Path, taxonomy) -> None:
    for event, rows in {
        "2013_A_bombing": [("Media", "Police say two bombs exploded near the finish line")],
        "2013_B_floods": [
            ("Media", "Death toll from floods rises to eight"),
            ("Media", "Las inundaciones dejan a miles de personas sin casa en la ciudad"),
            ("Outsiders", "Praying for everyone"),
        ],
        "2013_C_quake": [("Media", "Quake hits the coast")],
    }.items():
        d = tmp_path / "crisis" / event
        d.mkdir(parents=True)
        lines = ["Tweet ID, Tweet Text, Information Source"]
        lines += [f'"{i}", "{t}", {s}' for i, (s, t) in enumerate(rows)]
        (d / f"{event}-tweets_labeled.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    m = _mapping(
        tmp_path,
        taxonomy,
        """
name: crisis
skipinitialspace: true
text: Tweet Text
english_only: true
rules:
  - when: {_folder: [2013_C_quake, 2013_Z]}
    drop: true
  - when: {Information Source: Media}
    labels: [news_reporting]
  - drop: true
""",
    )
    exs = read_mapped(tmp_path / "crisis" / "*" / "*-tweets_labeled.csv", m, taxonomy, 13)
    assert sorted(e.text for e in exs) == [
        "Death toll from floods rises to eight",
        "Police say two bombs exploded near the finish line",
    ]
    assert all(e.labels == {"news_reporting"} and len(e.known) == 7 for e in exs)
    src = DataSource(str(tmp_path / "crisis" / "*" / "*.csv"), str(tmp_path / "m.yaml"))
    assert len(load_examples([src], taxonomy, 13)[0]) == 2
    with pytest.raises(TrainingError, match="no file matches"):
        read_mapped(tmp_path / "nothing" / "*.csv", m, taxonomy, 13)


def test_post_and_replies_share_a_split(tmp_path: Path, taxonomy) -> None:
    rows = [
        {"hatespeech": f"hate post {i}", "counterspeech": f"reply {i}.{j}"}
        for i in range(40)
        for j in range(3)
    ]
    (tmp_path / "Train.json").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    m = _mapping(
        tmp_path,
        taxonomy,
        """
name: cc
format: jsonl
text: [hatespeech, counterspeech]
rules:
  - when: {_column: counterspeech}
    labels: [counter_speech]
  - when: {_column: hatespeech}
    labels: ["none"]
    unknown: [violent_threat]
split: {validation: 0.3, test: 0.3, by: hatespeech}
""",
    )
    exs = read_mapped(tmp_path / "Train.json", m, taxonomy, 13)
    assert len(exs) == 40 + 120  # each post once, every reply
    split_of = {e.text: e.split for e in exs}
    assert {split_of[f"reply {i}.{j}"] for i in range(40) for j in range(3)} >= {"train", "test"}
    for i in range(40):
        assert {split_of[f"reply {i}.{j}"] for j in range(3)} == {split_of[f"hate post {i}"]}
    post = next(e for e in exs if e.text == "hate post 0")
    assert post.labels == {"none"} and "violent_threat" not in post.known


def test_linked_pairs_patterns_and_known(tmp_path: Path, taxonomy) -> None:
    lines = ["entry_id,text,type,matched_id"]
    for i in range(0, 60, 2):
        lines.append(f"{i},I will 🔪 group {i},threateninglanguage,{i + 1}")
        lines.append(f"{i + 1},I will 👏 group {i},none,{i}")
    lines.append("100,All of them need to 🔥,none,")
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    m = _mapping(
        tmp_path,
        taxonomy,
        """
name: hm
rules:
  - when: {type: threateninglanguage}
    labels: [violent_threat]
  - text_matches: "🔪|🔥|\\\\bkill"
    drop: true
  - when: {type: none}
    labels: []
    known: [violent_threat, incitement]
split: {validation: 0.3, test: 0.3, link: [entry_id, matched_id]}
""",
    )
    exs = read_mapped(tmp_path / "t.csv", m, taxonomy, 13)
    assert len(exs) == 60 and not any("🔥" in e.text for e in exs)
    by_text = {e.text: e for e in exs}
    assert len({e.split for e in exs}) > 1
    for i in range(0, 60, 2):
        assert by_text[f"I will 🔪 group {i}"].split == by_text[f"I will 👏 group {i}"].split
    neg = by_text["I will 👏 group 0"]
    assert neg.labels == set() and neg.known == {"violent_threat", "incitement"}


def test_unlabeled_pool_and_bad_rules(tmp_path: Path, taxonomy) -> None:
    (tmp_path / "p.csv").write_text("tweets\nhello there\nRT @x: hi\n", encoding="utf-8")
    m = _mapping(
        tmp_path,
        taxonomy,
        "name: pool\ntext: tweets\nrules:\n  - text_matches: '^RT @'\n    drop: true\n"
        "  - labels: []\n    known: []\n",
    )
    (ex,) = read_mapped(tmp_path / "p.csv", m, taxonomy, 13)
    assert ex.text == "hello there" and ex.known == set() and ex.labels == set()
    with pytest.raises(TrainingError, match="neither drops rows nor gives labels"):
        _mapping(tmp_path, taxonomy, "name: x\nrules:\n  - when: {a: b}\n", "bad.yaml")
    with pytest.raises(TrainingError, match="not a regular expression"):
        _mapping(
            tmp_path,
            taxonomy,
            "name: x\nrules:\n  - text_matches: '('\n    drop: true\n",
            "b2.yaml",
        )
    with pytest.raises(TrainingError, match="unknown format"):
        _mapping(tmp_path, taxonomy, "name: x\nformat: xls\nrules:\n  - drop: true\n", "b3.yaml")


def test_looks_english() -> None:
    assert looks_english("Colorado floods: 7 dead, hundreds missing http://t.co/x")
    assert looks_english("Suspect in LAX shooting says he acted alone")
    assert not looks_english("Las inundaciones dejan a miles de personas sin casa en la ciudad")
    assert not looks_english("Tulungan po natin ang mga biktima ng bagyo")
    assert not looks_english("Что на самом деле упало в Челябинске")


@pytest.mark.parametrize(
    ("key", "line", "named"),
    [
        ("doc_id", "doc_id: postid", "doc_id: 'postid'"),
        ("title", "title: headline", "title: 'headline'"),
        ("passage_index", "passage_index: pos", "passage_index: 'pos'"),
        ("split.by", "split: {by: threadd}", "split.by: 'threadd'"),
        ("join key", "join: [{path: other.csv, key: uid, columns: [x]}]", "join[0].key: 'uid'"),
    ],
)
def test_a_column_the_mapping_names_is_missing(
    tmp_path: Path, taxonomy, key: str, line: str, named: str
) -> None:
    """Every column a mapping names (not only the text and rule columns) is checked before
    any row is read: one line naming the key and the table's columns, never a KeyError."""
    (tmp_path / "t.csv").write_text("post_id,body\n1,hello there\n", encoding="utf-8")
    (tmp_path / "other.csv").write_text("uid,x\n1,a\n", encoding="utf-8")
    m = _mapping(
        tmp_path, taxonomy, f"name: mine\ntext: body\n{line}\nrules:\n  - labels: ['none']\n"
    )
    with pytest.raises(TrainingError) as err:
        read_mapped(tmp_path / "t.csv", m, taxonomy, 13)
    assert named in str(err.value), key
    assert "['post_id', 'body']" in str(err.value)


def test_a_passage_index_that_is_no_number(tmp_path: Path, taxonomy) -> None:
    (tmp_path / "t.csv").write_text("body,pos\nhello there,first\n", encoding="utf-8")
    m = _mapping(
        tmp_path, taxonomy, "name: m\ntext: body\npassage_index: pos\nrules:\n  - labels: [none]\n"
    )
    with pytest.raises(TrainingError, match=r"t.csv row 1: passage_index column 'pos' holds"):
        read_mapped(tmp_path / "t.csv", m, taxonomy, 13)


def test_a_mapping_that_gives_no_example(tmp_path: Path, taxonomy) -> None:
    """Rules whose values are not the table's (`yes` against `0`/`1`) leave nothing: an
    error naming the file, the count and the values the table holds, not the bare 'no
    training examples were read. Fix: pass --data.' after --data was passed."""
    (tmp_path / "t.csv").write_text("body,is_threat\nhello there,0\nyou die,1\n", "utf-8")
    m = _mapping(
        tmp_path,
        taxonomy,
        "name: m\ntext: body\nrules:\n  - when: {is_threat: 'yes'}\n    labels: [violent_threat]\n",
    )
    with pytest.raises(TrainingError) as err:
        read_mapped(tmp_path / "t.csv", m, taxonomy, 13)
    assert "(2 of its 2 texts matched no rule); 'is_threat' holds '0', '1'" in str(err.value)
    (tmp_path / "h.csv").write_text("body,is_threat\n", "utf-8")
    with pytest.raises(TrainingError, match=r"h.csv: the table has no rows"):
        read_mapped(tmp_path / "h.csv", m, taxonomy, 13)


@pytest.mark.parametrize("name", ["t.csv", "t.parquet", "t.jsonl"])
def test_an_empty_mapped_file(tmp_path: Path, taxonomy, name: str) -> None:
    """An empty file says so, as ingest does (it was 'cannot read the table (No columns
    to parse from file)' or pyarrow's 'Parquet file size is 0 bytes')."""
    (tmp_path / name).write_bytes(b"")
    m = _mapping(tmp_path, taxonomy, "name: m\nrules:\n  - labels: ['none']\n")
    with pytest.raises(TrainingError, match=rf"{name}: the file is empty\."):
        read_mapped(tmp_path / name, m, taxonomy, 13)
