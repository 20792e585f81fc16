"""Under ``ingest --redact`` an exact copy dropped at ingest is named in the kept
passage's ``exact_copies`` (and the run record's ``exact_copies_dropped``) by its document
id, which push sends to Label Studio. An id holding personal data (an id column's
address, a text file named by one) reached the server there as written (reader57b #2),
and a reply to such a copy lost its parent's text: its parent id is keyed
(``redaction.parent_keys``) while the copy was named by the raw id (reader57b #3). The
copy is now named by the keyed pseudonym its own task would carry (``doc_key``), at
ingest, and by push for a file an older ingest wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate.audit.passage_pseudonyms import default_key_path, document_pseudonym, load_key
from annotate.audit.redact import RedactionSettings
from annotate.ingestion import ingest
from annotate.review.escalations import _also_in
from annotate.review.parents import PARENT_FIELD, PARENT_ID_FIELD
from tests.studio.test_parent_context import _in_memory, _prelabelled, _staged

SPAM = "Buy cheap followers now at the link in my profile!!!"
REPLY = "No, it is a waste of money and everybody on this street knows it."
JANE = "jane@example.org"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))


def _table(tmp_path: Path) -> Path:
    """d1's text kept; jane@example.org's (the same) dropped as its copy; d3 replies to
    jane@example.org."""
    table = tmp_path / "c.csv"
    table.write_text(
        f'comment_id,parent_id,text\nd1,,{SPAM}\n{JANE},,{SPAM}\nd3,{JANE},"{REPLY}"\n',
        encoding="utf-8",
    )
    return table


def _ingest(tmp_path: Path) -> tuple[Path, dict[str, dict]]:
    passages = tmp_path / "c.parquet"
    ingest(
        [_table(tmp_path)],
        passages,
        id_column="comment_id",
        min_chars=10,
        redact=RedactionSettings(),
    )
    return passages, {r["doc_id"]: r for r in pq.read_table(passages).to_pylist()}


def _key(doc_id: str) -> str:
    return document_pseudonym(load_key(default_key_path()), doc_id)


def test_ingest_names_a_dropped_copy_by_its_key(tmp_path: Path) -> None:
    _, rows = _ingest(tmp_path)
    assert JANE not in rows  # dropped as a copy of d1's passage
    (copy,) = json.loads(rows["d1"]["exact_copies"])["copies"]
    assert copy["doc_id"] == _key(JANE)
    assert JANE not in rows["d1"]["exact_copies"]
    run = json.loads(rows["d1"]["ingest_run"])  # the run's first passage lists the copies
    assert run["exact_copies_dropped"]["first"][0]["doc_id"] == _key(JANE)


def test_a_file_named_copy_carries_its_masked_name(tmp_path: Path) -> None:
    """A text file named by an address dropped as a copy: its record names it by its key,
    and shows it as its passages would (``shown_doc_id``, the name masked), which the
    escalations list shows."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SPAM + "\n", encoding="utf-8")
    (folder / f"{JANE}.txt").write_text(SPAM + "\n", encoding="utf-8")
    passages = tmp_path / "p.parquet"
    ingest([folder], passages, min_chars=10, redact=RedactionSettings())
    (row,) = pq.read_table(passages).to_pylist()
    assert JANE not in row["exact_copies"]
    (copy,) = json.loads(row["exact_copies"])["copies"]
    assert copy["doc_id"] == _key(f"in/{JANE}.txt")
    assert copy["shown_doc_id"] == "in/[EMAIL-1].txt"
    assert _also_in(row["exact_copies"])["also_in"] == ("in/[EMAIL-1].txt",)


def _as_older_ingest_wrote(passages: Path) -> None:
    """The passages file as an ingest before stop 58 wrote it: copies by their raw ids."""
    rows = pq.read_table(passages).to_pylist()
    for row in rows:
        if row["exact_copies"]:
            row["exact_copies"] = row["exact_copies"].replace(_key(JANE), JANE)
        run = json.loads(row["ingest_run"])
        if (
            isinstance(run.get("exact_copies_dropped"), dict)
            and "first" in run["exact_copies_dropped"]
        ):
            row["ingest_run"] = row["ingest_run"].replace(_key(JANE), JANE)
    pq.write_table(pa.Table.from_pylist(rows), passages)


@pytest.mark.parametrize("older", [False, True], ids=["keyed", "older-file"])
@pytest.mark.parametrize("build", [_staged, _in_memory], ids=["staged", "review-set"])
def test_a_reply_to_a_copy_with_a_personal_id_shows_its_text(
    build, older, taxonomy, tmp_path: Path
) -> None:
    """reader57b #3: the reply's parent (keyed) is found among the copies the kept
    passage names, for a file an older ingest wrote (raw ids) too; no task carries the
    address (reader57b #2)."""
    passages, _ = _ingest(tmp_path)
    if older:
        _as_older_ingest_wrote(passages)
        assert JANE in pq.read_table(passages).to_pylist()[0]["exact_copies"]
    got = build(_prelabelled(passages, tmp_path / "pre.jsonl"), taxonomy)
    by_doc = {d["doc_id"]: d for d in got.values()}
    assert set(by_doc) == {"d1", "d3"}
    assert by_doc["d3"][PARENT_ID_FIELD] == _key(JANE)
    assert by_doc["d3"][PARENT_FIELD] == SPAM
    assert JANE not in json.dumps(got)
    (copy,) = json.loads(by_doc["d1"]["exact_copies"])["copies"]
    assert copy["doc_id"] == _key(JANE)


def test_an_older_file_copy_named_after_a_speaker_number_is_keyed(tmp_path: Path) -> None:
    """reader58b F6: ingest keys a document whose file name masks only with its speaker
    labels (a chat file named after a speaker's number, which the name alone does not
    show as one); a passages file ingested before stop 58 named such a copy by its raw
    id, with its masked ``input_file``. Push keys it as ingest keys the document (its
    ``doc_key``), with the ``shown_doc_id`` ingest gives it now."""
    from annotate.audit.redact import IngestRedaction, Redactor, ingest_record, masked_file_name
    from annotate.studio.copy_keys import pushed_copies, pushed_run

    number = "98765 43210"
    name = f"in/z chat with {number}.txt"
    settings = RedactionSettings()
    redactor = Redactor(settings)
    assert masked_file_name(redactor, name) == name  # the name alone shows no number
    masked = masked_file_name(redactor, name, labels=[number])
    assert masked == "in/z chat with [PHONE-1].txt"
    record = ingest_record(settings)
    done = IngestRedaction(record, redactor).names(name, name, redactor.numbering(), [number])
    assert done.doc_key and done.shown_doc_id == masked  # what ingest does now
    older = {"passage_id": "p_1", "doc_id": name, "input_file": masked, "input_row": None}
    value = json.dumps({"copies": [older], "count": 1}, separators=(",", ":"))
    (copy,) = json.loads(pushed_copies(value, record))["copies"]
    assert copy["doc_id"] == done.doc_key and copy["shown_doc_id"] == masked
    assert number not in pushed_copies(value, record)
    run = json.dumps({"exact_copies_dropped": {"count": 1, "first": [older]}})
    assert number not in pushed_run(run, record)
    # a copy whose name was not masked (no placeholder in its input_file) stays as it is
    plain = value.replace(masked, name)
    assert pushed_copies(plain, record) == plain


def test_a_copy_of_a_file_named_by_an_address_alone_matches_only_its_own_id() -> None:
    """reader59 #6: a masked name that is only a placeholder (`[EMAIL-1]`, a file named by
    an address, no extension) matched any id: an id column's `42` was keyed and shown as
    `[EMAIL-1]2`, and the file's own id `alice@example.org` shown as
    `[EMAIL-1]lice@example.org` (the address, less its first letter, in Label Studio)."""
    from annotate.audit.redact import ingest_record
    from annotate.studio.copy_keys import pushed_copies

    record = ingest_record(RedactionSettings())

    def pushed(doc_id: str, input_row: int | None) -> dict:
        copy = {"passage_id": "p_1", "doc_id": doc_id, "input_file": "[EMAIL-1]"}
        value = json.dumps({"copies": [{**copy, "input_row": input_row}], "count": 1})
        return json.loads(pushed_copies(value, record))["copies"][0]

    row = pushed("42", 3)  # an id column's id: nothing of the file's name in it
    assert row["doc_id"] == "42" and "shown_doc_id" not in row
    own = pushed("alice@example.org", None)  # the file's own id: keyed, shown masked
    assert own["doc_id"] == _key("alice@example.org")
    assert own["shown_doc_id"] == "[EMAIL-1]"
