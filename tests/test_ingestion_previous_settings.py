"""`annotate ingest --previous` given a file whose passages do not compare with this run's.

Ingest recorded nothing of how it cut and masked, so an earlier batch ingested with
another --max-chars (or other masking settings) was read as if it compared: the same
document gave other passages, no copy was found, and reviewers got the week's re-posts
again, with nothing said. Ingest now records its settings in every passage's
``ingest_run`` (annotate.ingestion.record); a later run refuses an earlier file cut or
masked otherwise before any work (``--allow-other-previous-settings`` compares anyway),
warns of one read from tables of another shape (likely another corpus), and accepts
files without a record (older versions) with a logged note."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.audit.redact import RedactionSettings
from annotate.cli import app
from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.ingestion.record import recorded_runs

# one document of four sentences: --max-chars 120 cuts it, the default keeps it whole
DOC = (
    "The council met on Tuesday to discuss the new bus lane on Harbour Road. "
    "Residents said the lane would cut them off from the market. "
    "Write to organiser.harbour@example.org or call 020 7946 0018 to join the petition. "
    "The vote is on the 14th at the library."
)


@pytest.fixture()
def week1(tmp_path: Path) -> Path:
    folder = tmp_path / "week1"
    folder.mkdir()
    (folder / "post.txt").write_text(DOC + "\n")
    return folder


@pytest.fixture()
def week2(tmp_path: Path) -> Path:
    folder = tmp_path / "week2"
    folder.mkdir()
    (folder / "repost.txt").write_text(DOC + "\n")
    return folder


def _as_older(path: Path) -> None:
    """The JSONL ``path`` as an annotate older than ``ingest_run`` wrote it."""
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    path.write_text(
        "".join(json.dumps({k: v for k, v in r.items() if k != "ingest_run"}) + "\n" for r in rows)
    )


def _settings(path: Path) -> list[dict]:
    return [r["settings"] for r in recorded_runs(path).records.values() if r]


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["ingest", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_an_earlier_file_cut_otherwise_is_refused_before_any_work(
    tmp_path: Path, week1: Path, week2: Path, suffix: str
) -> None:
    earlier = tmp_path / f"week1{suffix}"
    ingest([week1], earlier, max_chars=120, min_chars=40)
    assert [s["max_chars"] for s in _settings(earlier)] == [120]
    out = tmp_path / "week2.jsonl"
    code, output = _cli(str(week2), "--out", str(out), "--previous", str(earlier), "-q")
    assert code == 1, output
    line = " ".join(output.split())
    assert f"--previous {earlier} was ingested with --max-chars 120 (this run: 700)" in line
    assert "--min-chars 40 (this run: 80)" in line
    assert "Fix: ingest with the earlier run's settings" in line
    assert "--allow-other-previous-settings" in line and "Traceback" not in output
    assert not out.exists()

    # the same settings: the re-post is an exact copy of every earlier passage
    same = ingest([week2], out, max_chars=120, min_chars=40, previous=[earlier])
    assert same.duplicates_of_previous > 1 and same.passages == 0


def test_the_override_compares_anyway_and_warns(
    tmp_path: Path, week1: Path, week2: Path, caplog: pytest.LogCaptureFixture
) -> None:
    earlier = tmp_path / "week1.jsonl"
    ingest([week1], earlier, max_chars=120, min_chars=40)
    with caplog.at_level(logging.WARNING):
        stats = ingest(
            [week2], tmp_path / "w2.jsonl", previous=[earlier], allow_other_previous_settings=True
        )
    assert stats.passages == 1 and stats.duplicates_of_previous == 0  # cut otherwise: no copy
    assert "compared anyway" in caplog.text


def test_other_masking_settings_are_refused_also_from_an_older_file(
    tmp_path: Path, week1: Path, week2: Path
) -> None:
    earlier = tmp_path / "week1.jsonl"
    ingest([week1], earlier, redact=RedactionSettings(kinds=("email",)))
    with pytest.raises(InputError, match=r"--redact kinds \['email'\]"):
        ingest([week2], tmp_path / "a.jsonl", previous=[earlier], redact=RedactionSettings())
    # a file of an older version has no record; its rows still say how they were masked
    _as_older(earlier)
    with pytest.raises(InputError, match="--redact kinds"):
        ingest([week2], tmp_path / "b.jsonl", previous=[earlier], redact=RedactionSettings())
    stats = ingest(
        [week2],
        tmp_path / "c.jsonl",
        previous=[earlier],
        redact=RedactionSettings(kinds=("email",)),
    )
    assert stats.duplicates_of_previous == 1


def test_a_batch_masked_before_numbered_placeholders_names_the_only_way(
    tmp_path: Path, week1: Path, week2: Path
) -> None:
    """A batch ingested with --redact before placeholders were numbered differs in the
    masking, and no setting of this version masks as it did: the fix said "ingest with
    the earlier run's settings"."""
    earlier = tmp_path / "week1.jsonl"
    before = RedactionSettings(numbered=False, international_possible=False)
    ingest([week1], earlier, redact=before)
    with pytest.raises(InputError) as refused:
        ingest([week2], tmp_path / "a.jsonl", previous=[earlier], redact=RedactionSettings())
    assert "masked by an annotate before 2026-12-05" in refused.value.fix
    assert "--allow-other-previous-settings" in refused.value.fix
    assert "ingest with the earlier run's settings" not in refused.value.fix
    # other kinds too: a setting of this run can give those, the usual fix
    ingest([week1], earlier, redact=RedactionSettings(kinds=("email",), numbered=False))
    with pytest.raises(InputError) as kinds:
        ingest([week2], tmp_path / "b.jsonl", previous=[earlier], redact=RedactionSettings())
    assert "ingest with the earlier run's settings" in kinds.value.fix


def test_a_batch_masked_before_home_users_and_schemeless_urls_is_compared_with_a_warning(
    tmp_path: Path,
    week1: Path,
    week2: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A batch masked by the annotate of 2026-12-05 (no ``home_user`` kind, no
    ``user_url_without_scheme`` in its record) differs from this run's masking only where
    a passage holds a home folder's path or a user URL without ``https://``: no setting
    gives the older masking, so refusing it left no way but --allow-other-previous-settings."""
    from annotate.ingestion import record

    older = RedactionSettings(kinds=("email", "phone", "user_url", "handle"))
    keys = ("kinds", "placeholders", "phone_regions", "phone_international")
    monkeypatch.setattr(record, "REDACTION_KEYS", keys)  # as that annotate recorded it
    earlier = tmp_path / "week1.jsonl"
    ingest([week1], earlier, redact=older)
    monkeypatch.undo()
    # (and the phonenumbers version, recorded since 2026-12-06: no setting, not compared)
    assert set(_settings(earlier)[0]["redact"]) == {*keys, "phonenumbers"}
    with caplog.at_level(logging.WARNING):
        stats = ingest(
            [week2], tmp_path / "a.jsonl", previous=[earlier], redact=RedactionSettings()
        )
    assert stats.duplicates_of_previous == 1
    assert "before annotate masked home folders' user names" in caplog.text
    # another difference besides is still refused
    ingest([week1], earlier, redact=RedactionSettings(kinds=("email", "handle")))
    with pytest.raises(InputError, match="--redact kinds"):
        ingest([week2], tmp_path / "b.jsonl", previous=[earlier], redact=RedactionSettings())


def test_a_file_without_a_record_is_accepted_with_a_note(
    tmp_path: Path, week1: Path, week2: Path, caplog: pytest.LogCaptureFixture
) -> None:
    earlier = tmp_path / "week1.jsonl"
    ingest([week1], earlier, max_chars=120, min_chars=40)
    _as_older(earlier)  # as an annotate older than the record wrote it
    with caplog.at_level(logging.INFO, logger="annotate.ingestion.previous"):
        stats = ingest([week2], tmp_path / "w2.jsonl", previous=[earlier])
    assert stats.passages == 1
    assert "records no ingest settings" in caplog.text


def test_tables_read_with_another_id_column_warn_of_another_corpus(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    theirs = tmp_path / "theirs.csv"
    theirs.write_text(f'tweet_id,body\n1,"{DOC}"\n')
    ours = tmp_path / "ours.csv"
    ours.write_text(f'post_id,text\n7,"{DOC}"\n9,"Another post, about the market."\n')
    earlier = tmp_path / "theirs.jsonl"
    ingest([theirs], earlier, text_column="body", id_column="tweet_id")
    with caplog.at_level(logging.WARNING):
        code, output = _cli(
            str(ours), "--id-column", "post_id", "--out", str(tmp_path / "o.jsonl"),
            "--previous", str(earlier), "-q",
        )  # fmt: skip
    assert code == 0, output
    assert caplog.text.count("it may be another corpus") == 1, caplog.text  # said once
    assert "--id-column 'tweet_id' (this run: 'post_id')" in caplog.text
    assert "--text-column 'body' (this run: 'text')" in caplog.text

    # an earlier run of text files says nothing of a table's columns: no warning
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text(DOC + "\n")
    ingest([folder], tmp_path / "texts.jsonl")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        ingest(
            [ours], tmp_path / "o2.jsonl", id_column="post_id", previous=[tmp_path / "texts.jsonl"]
        )
    assert "another corpus" not in caplog.text


def test_an_id_column_not_given_is_named_as_the_default_not_none(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The second batch of a forum export ingested with `--id-column post_id`, given as a
    JSONL file of its own `id`s without the option, said `(this run: None)`: a Python value,
    not what ingest read. It names the columns read when no --id-column is given."""
    first = tmp_path / "forum.csv"
    first.write_text(f'post_id,text\n7,"{DOC}"\n')
    earlier = tmp_path / "r1.jsonl"
    ingest([first], earlier, id_column="post_id")
    later = tmp_path / "posts.jsonl"
    later.write_text(json.dumps({"id": "j1", "text": "A new post about the market."}) + "\n")
    with caplog.at_level(logging.WARNING):
        ingest([later], tmp_path / "r2.jsonl", previous=[earlier])
    assert "it may be another corpus" in caplog.text, caplog.text
    assert "None" not in caplog.text, caplog.text
    assert (
        "--id-column 'post_id' (this run: not given: 'doc_id' or 'id' or 'document_id')"
        in caplog.text
    )

    # and the other way round: the earlier run gave none
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        ingest(
            [first], tmp_path / "r3.jsonl", id_column="post_id", previous=[tmp_path / "r2.jsonl"]
        )
    assert (
        "--id-column not given: 'doc_id' or 'id' or 'document_id' (this run: 'post_id')"
        in caplog.text
    )
    assert "None" not in caplog.text, caplog.text
