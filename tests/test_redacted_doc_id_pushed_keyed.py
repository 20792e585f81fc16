"""Under ``ingest --redact`` a text file's document id is its name, and a file named by an
e-mail address or phone number (WhatsApp's ``WhatsApp Chat with +44 7700 900123.txt``)
kept the unmasked name in the id: the passage table masks it where reviewers are shown it
(``redaction.shown_doc_id``, the provenance line), but push sent the raw id to Label
Studio as the task's ``doc_id``, a Data Manager column (stop 47's new-user pass). Ingest
now records a keyed pseudonym of such an id (``redaction.doc_key``, ``pd_…``, the form and
key of ``export --redact``), and push sends that instead, on both push paths; the masked
name is no key (two chats named by two numbers both read ``[PHONE-1]``). ``verify
--sources`` still finds the document of an export of those tasks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.audit.passage_pseudonyms import default_key_path, document_pseudonym, load_key
from annotate.audit.pseudonym_lookup import lookup
from annotate.audit.redact import RedactionSettings
from annotate.audit.sources import CHANGED, UNCHANGED, check_sources
from annotate.corpus.export import export
from annotate.errors import InputError
from annotate.review.fanout import push_review
from annotate.studio.push import push
from annotate.studio.tasks import pushed_doc_id
from tests.audit.fakes import FakeStudio
from tests.audit.test_verify_sources import _tasks
from tests.conftest import FIXTURES
from tests.studio.test_push import RefusingClient
from tests.test_ingest_redact_file_names import OTHER, OTHER_TEXT, TEXTS, WHATSAPP, _ingest
from tests.test_review_fanout import ReviewStudio

RAW = "7700 900123"
DOC = f"chats/{WHATSAPP}"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One work folder (its pseudonym key) for ingest, push and verify, wherever they run."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))


def test_ingest_records_a_keyed_pseudonym_of_an_id_holding_the_name(tmp_path: Path) -> None:
    _, rows = _ingest(tmp_path, RedactionSettings())
    key = load_key(default_key_path())
    keys = {r["doc_id"]: json.loads(r["redaction"]).get("doc_key") for r in rows}
    assert keys == {d: document_pseudonym(key, d) for d in (f"chats/{n}" for n in TEXTS)}
    assert len(set(keys.values())) == len(TEXTS)
    assert {pushed_doc_id(r) for r in rows} == set(keys.values())
    # `annotate pseudonym pd_… --id-key KEY --passages PASSAGES` names the document again
    (hit,) = lookup(keys[DOC], key=key, passages=rows)
    assert hit.doc_id == DOC
    _, plain = _ingest(tmp_path / "plain", None)
    assert {pushed_doc_id(r) for r in plain} == {f"chats/{n}" for n in TEXTS}


def _prelabels(tmp_path: Path) -> tuple[Path, str]:
    """The fixture's pre-labels with doc-a as a chat named by a number, masked at ingest."""
    key = document_pseudonym(load_key(default_key_path()), DOC)
    record = json.dumps(
        {"at": "ingest", "shown_doc_id": "chats/WhatsApp Chat with [PHONE-1].txt", "doc_key": key}
    )
    out = []
    for line in (FIXTURES / "prelabels.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["doc_id"] == "doc-a":
            row = {**row, "doc_id": DOC, "redaction": record}
        out.append(json.dumps(row))
    path = tmp_path / "pre.jsonl"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path, key


def test_push_sends_the_pseudonym_and_links_the_document_s_passages(tmp_path: Path) -> None:
    path, key = _prelabels(tmp_path)
    client = RefusingClient(set())
    push(path, "chats", client=client)  # type: ignore[arg-type]
    chat = [t["data"] for t in client.tasks if t["data"]["passage_id"].startswith("doc-a")]
    assert {d["doc_id"] for d in chat} == {key}
    assert not any(RAW in json.dumps(t["data"]) for t in client.tasks)
    assert all("[PHONE-1]" in d["provenance"] for d in chat)
    second = next(d for d in chat if d["passage_index"] == 1)
    assert second["context_before"], second  # still one document: its neighbour is shown


def test_a_review_push_sends_the_pseudonym(tmp_path: Path) -> None:
    path, key = _prelabels(tmp_path)
    client = ReviewStudio()
    push_review(path, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    data = [t["data"] for tasks in client.tasks.values() for t in tasks]
    assert key in {d["doc_id"] for d in data}
    assert not any(RAW in json.dumps(d) for d in data)


def _pushed_tasks(tmp_path: Path, texts: dict[str, str] = TEXTS) -> tuple[Path, list[dict]]:
    """(the folder ingest ran from, reviewed tasks of its passages as push gives them)."""
    root, rows = _ingest(tmp_path, RedactionSettings(), texts)
    tasks = _tasks(tmp_path / "p.jsonl")
    by_id = {r["id"]: r for r in rows}
    for t in tasks:
        row = by_id[t["data"]["passage_id"]]
        t["data"]["doc_id"] = pushed_doc_id(row)
        t["data"]["redaction"] = row["redaction"]
    return root, tasks


def test_export_redact_gives_the_passages_of_a_pseudonymised_id_pseudonyms(
    tmp_path: Path,
) -> None:
    """A passage id is a hash of the document id and the text: beside the masked text it
    would confirm a guessed number as the raw id would, so export --redact gives the
    passages of a document ingest keyed pp_ ids, as it does where it finds the id itself."""
    _, tasks = _pushed_tasks(tmp_path)
    out = tmp_path / "x"
    export("p", out, client=FakeStudio(tasks), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    rows = [
        json.loads(x)
        for f in sorted((out / "jsonl").glob("*.jsonl"))
        for x in f.read_text().splitlines()
    ]
    assert rows and all(r["id"].startswith("pp_") and r["doc_id"].startswith("pd_") for r in rows)
    assert not any(RAW in json.dumps(r) for r in rows)


def test_verify_sources_finds_the_document_of_a_pseudonymised_id(tmp_path: Path) -> None:
    root, tasks = _pushed_tasks(tmp_path)
    assert not any(RAW in str(t["data"]["doc_id"]) for t in tasks)
    out = tmp_path / "x"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    found = check_sources(out, root)
    assert found.documents
    assert {d.status for d in found.documents} == {UNCHANGED}, [d.what for d in found.documents]


def test_verify_sources_checks_pseudonymised_masked_alike_documents_each_in_its_file(
    tmp_path: Path,
) -> None:
    """Two chats whose names both mask to ``WhatsApp Chat with [PHONE-1].txt``, exported
    under their ``pd_`` ids: each document is checked in its own file, matched there by
    its id as the export records it (this folder's key); the edited one, whose text no
    file holds, is reported changed in the file that gives its id, not in the first that
    fits (the fitting files gave raw ids, which no ``pd_`` id matched)."""
    root, tasks = _pushed_tasks(tmp_path, {**TEXTS, OTHER: OTHER_TEXT})
    out = tmp_path / "x"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    key = load_key(default_key_path())
    own = {document_pseudonym(key, f"chats/{n}"): n for n in (WHATSAPP, OTHER)}
    chats = {d.doc_id: d for d in check_sources(out, root).documents if d.doc_id in own}
    assert len(chats) == 2
    assert {d.status for d in chats.values()} == {UNCHANGED}, [d.what for d in chats.values()]
    assert {k: d.looked_for[0].name for k, d in chats.items()} == own
    (root / "chats" / OTHER).write_text(OTHER_TEXT + "Kim: an added line\n", encoding="utf-8")
    chats = {d.doc_id: d for d in check_sources(out, root).documents if d.doc_id in own}
    other = document_pseudonym(key, f"chats/{OTHER}")
    assert chats[other].status == CHANGED, chats[other].what
    assert chats[other].looked_for == [root / "chats" / OTHER]
    assert {d.status for k, d in chats.items() if k != other} == {UNCHANGED}


def test_a_key_that_cannot_be_used_is_an_ingest_error(tmp_path: Path) -> None:
    """Export's error named export's --id-key, which ingest has not."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "passage_id_key").write_text("short\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        _ingest(tmp_path, RedactionSettings())
    said = str(err.value)
    assert "ingest --redact keys the document ids" in said and "holds 5 character(s)" in said
    assert "--id-key" not in said and "ANNOTATE_HOME" in said
