"""``ingest --redact`` masks what the input file's name carries (new-user pass of stop 47,
F15): WhatsApp names every export ``WhatsApp Chat with <contact>.txt``, and the title was
masked while the passages' ``input_file`` and the provenance line Label Studio shows above
each passage (``document chats/WhatsApp Chat with +44 7700 900123.txt``) kept the number.
The document id itself is kept (a key); ``verify --sources`` still finds the file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from annotate.audit.redact import RedactionSettings, Redactor, masked_file_name, user_url
from annotate.audit.sources import CHANGED, MISSING, NOT_CHECKED, UNCHANGED, check_sources
from annotate.corpus.export import export
from annotate.ingestion import ingest
from annotate.studio.tasks import provenance_line
from tests.audit.cli_run import run_cli
from tests.audit.fakes import FakeStudio
from tests.audit.test_verify_sources import _tasks

WHATSAPP = "WhatsApp Chat with +44 7700 900123.txt"
IRC = "irc-jane.roe@example.com.log.txt"
RAW = ("7700 900123", "jane.roe@example.com")
TEXTS = {
    WHATSAPP: "+44 7700 900123: are you coming tonight to the meeting\n"
    "Sam: yes, I will be there at eight with the others\n",
    IRC: "<op> welcome to the channel, read the rules before posting\n"
    "<jane> thanks, I have read them all already\n",
}


def _ingest(
    tmp_path: Path, redact: RedactionSettings | None, texts: dict[str, str] = TEXTS
) -> tuple[Path, list[dict]]:
    root = tmp_path / "in"
    (root / "chats").mkdir(parents=True)
    for name, text in texts.items():
        (root / "chats" / name).write_text(text, encoding="utf-8")
    out = tmp_path / "p.jsonl"
    cwd = os.getcwd()
    os.chdir(root)
    try:
        ingest(["chats"], out, min_chars=0, dedupe=False, near_dup_threshold=None, redact=redact)
    finally:
        os.chdir(cwd)
    return root, [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_redacted_rows_show_no_value_of_the_file_name(tmp_path: Path) -> None:
    _, rows = _ingest(tmp_path, RedactionSettings())
    assert {r["doc_id"] for r in rows} == {f"chats/{n}" for n in TEXTS}  # the key is kept
    for row in rows:
        shown = [row["title"], row["source"], row["input_file"], provenance_line(row)]
        assert not any(raw in str(v) for raw in RAW for v in shown), shown
    chat = [r for r in rows if r["doc_id"] == f"chats/{WHATSAPP}"]
    # numbered as the title and text are: the speaker's number is [PHONE-1] throughout
    assert {r["input_file"] for r in chat} == {"chats/WhatsApp Chat with [PHONE-1].txt"}
    assert "document chats/WhatsApp Chat with [PHONE-1].txt, passage 0" in provenance_line(chat[0])
    assert all(json.loads(r["redaction"])["shown_doc_id"] for r in chat)


def test_without_redact_the_names_and_ids_are_as_before(tmp_path: Path) -> None:
    _, plain = _ingest(tmp_path, None)
    assert {r["input_file"] for r in plain} == {f"chats/{n}" for n in TEXTS}
    assert any(f"document chats/{WHATSAPP}" in provenance_line(r) for r in plain)


def test_verify_sources_finds_the_file_of_a_masked_name(tmp_path: Path) -> None:
    root, _ = _ingest(tmp_path, RedactionSettings())
    tasks = _tasks(tmp_path / "p.jsonl")
    assert any("[PHONE-1]" in t["data"]["input_file"] for t in tasks)
    out = tmp_path / "x"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    found = check_sources(out, root)
    assert found.documents
    assert {d.status for d in found.documents} == {UNCHANGED}, [d.what for d in found.documents]


def _run_record(tmp_path: Path, **options: object) -> dict:
    """The ingest_run of an ingest --redact of a folder with a good file and a cp1252 file
    named by an e-mail address."""
    src = tmp_path / "batch"
    src.mkdir(exist_ok=True)
    (src / "b.txt").write_text("Police said two men were arrested on Monday night.\n")
    (src / "jane.roe@example.com.txt").write_bytes(
        "Caf\u00e9 \u201cnaive\u201d.\n".encode("cp1252")
    )
    out = tmp_path / "batch.jsonl"
    ingest([src], out, min_chars=0, redact=RedactionSettings(), **options)  # type: ignore[arg-type]
    return json.loads(json.loads(out.read_text(encoding="utf-8").splitlines()[0])["ingest_run"])


def test_the_run_record_names_skipped_and_decoded_files_masked(tmp_path: Path) -> None:
    """Stop 47's new-user pass: the run record's ``skipped_files`` and ``decoded_files``
    named a file by its raw name under --redact (the passages' input_file was masked)."""
    skipped = _run_record(tmp_path, skip_bad_files=True)["skipped_files"]
    assert [f["file"] for f in skipped] == ["batch/[EMAIL-1].txt"], skipped
    assert skipped[0]["sha256"] and skipped[0]["problem"]
    decoded = _run_record(tmp_path, encoding="cp1252")["decoded_files"]
    assert [f["file"] for f in decoded] == ["batch/[EMAIL-1].txt"], decoded
    assert decoded[0]["encoding"] == "cp1252"


def test_a_conversation_named_by_an_address_keeps_its_extension_in_title_and_name(
    tmp_path: Path,
) -> None:
    """Stop 47's new-user pass: an IRC log named by an address was titled ``[EMAIL-1]``
    alone (the address read as taking ``.txt`` along), and its input_file read
    ``chats/[EMAIL-1]``. The name's extension is kept where the name without it still
    holds the address; ``jane@example.md`` (an address, no Markdown file) is masked whole."""
    chats = tmp_path / "chats"
    chats.mkdir()
    talk = "<op> welcome to the channel, read the rules\n<jane> thanks, I have read them\n"
    (chats / "jane.roe@example.com.txt").write_text(talk, encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([chats], out, min_chars=0, redact=RedactionSettings())
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # the source (the file's path) is masked as its name is: it read "[EMAIL-2]", the
    # address taken with ".txt" for another one
    assert {(r["title"], r["input_file"], r["source"]) for r in rows} == {
        ("[EMAIL-1].txt", "chats/[EMAIL-1].txt", "chats/[EMAIL-1].txt")
    }
    redactor = Redactor(RedactionSettings())
    assert masked_file_name(redactor, "a/jane@example.md") == "a/[EMAIL-1]"
    assert masked_file_name(redactor, "notes.v2.txt") == "notes.v2.txt"


def test_a_masked_name_is_no_url_of_a_user() -> None:
    """``export --redact`` read a source masked at ingest (``[EMAIL-1].txt``) as a URL to
    see whether it names a user, and urllib took ``[EMAIL-1]`` for a bracketed IPv6
    host: ValueError, a traceback. It is no URL of a user."""
    assert not user_url("[EMAIL-1].txt") and not user_url("chats/[PHONE-2]")
    assert user_url("https://twitter.com/jane")
    redactor = Redactor(RedactionSettings())
    assert redactor.url("[EMAIL-1].txt") == "[EMAIL-1].txt"


def test_the_run_record_names_previous_files_masked(tmp_path: Path) -> None:
    """The ``--previous`` files are listed by name in the run record too: masked alike."""
    src = tmp_path / "earlier"
    src.mkdir()
    (src / "a.txt").write_text("The council condemned the attack on the market.\n")
    earlier = tmp_path / "from-jane.doe@example.org.jsonl"
    ingest([src], earlier, min_chars=0, redact=RedactionSettings())
    (src / "b.txt").write_text("Police said two men were arrested on Monday night.\n")
    out = tmp_path / "batch.jsonl"
    ingest([src], out, min_chars=0, previous=[earlier], redact=RedactionSettings())
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    listed = json.loads(first["ingest_run"])["previous"]
    assert [f["file"] for f in listed] == ["[EMAIL-1].jsonl"], listed
    assert listed[0]["sha256"] and listed[0]["runs"]


def test_verify_sources_reads_the_file_of_a_masked_name_that_holds_the_text(
    tmp_path: Path,
) -> None:
    """A second file whose name masks alike (``WhatsApp Chat with [PHONE-1].txt``),
    first in path order, holds other text: the documents are found in the file that
    holds theirs, not reported changed in the first that fits."""
    root, _ = _ingest(tmp_path, RedactionSettings())
    tasks = _tasks(tmp_path / "p.jsonl")
    (root / "chats" / "WhatsApp Chat with +44 7700 900000.txt").write_text(
        "Kim: the train is late again, start the meeting without me\n", encoding="utf-8"
    )
    out = tmp_path / "x"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    found = check_sources(out, root)
    chat = [d for d in found.documents if "WhatsApp" in d.doc_id]
    assert chat and {d.status for d in chat} == {UNCHANGED}, [d.what for d in chat]
    assert {p.name for d in chat for p in d.looked_for} == {WHATSAPP}


OTHER = "WhatsApp Chat with +44 7700 900456.txt"  # masks alike: [PHONE-1] too
OTHER_TEXT = (
    "+44 7700 900456: the train is late again, start the meeting without me\n"
    "Kim: fine, we will wait for you anyway until nine\n"
)


def _two_chats(tmp_path: Path, redact_export: bool = False) -> tuple[Path, Path]:
    """Two WhatsApp exports whose names both mask to ``WhatsApp Chat with [PHONE-1].txt``,
    ingested with --redact and exported: (the folder ingest ran from, the export)."""
    root, rows = _ingest(tmp_path, RedactionSettings(), {**TEXTS, OTHER: OTHER_TEXT})
    assert {r["input_file"] for r in rows if "WhatsApp" in r["doc_id"]} == {
        "chats/WhatsApp Chat with [PHONE-1].txt"
    }
    out = tmp_path / "x"
    tasks = _tasks(tmp_path / "p.jsonl")
    redact = RedactionSettings() if redact_export else None
    export("p", out, client=FakeStudio(tasks), salt="s", redact=redact)  # type: ignore[arg-type]
    return root, out


def test_verify_sources_checks_each_document_of_a_masked_name_in_its_own_file(
    tmp_path: Path, capsys
) -> None:
    """Two input files whose names mask alike were one masked name: no one file holds
    both chats, so the first was read for both and the second chat reported missing
    (stop 48). Each document is now checked in the file that holds it."""
    root, out = _two_chats(tmp_path)
    chats = [d for d in check_sources(out, root).documents if "WhatsApp" in d.doc_id]
    assert len(chats) == 2
    assert {d.status for d in chats} == {UNCHANGED}, [d.what for d in chats]
    assert {d.doc_id: d.looked_for[0].name for d in chats} == {
        f"chats/{WHATSAPP}": WHATSAPP,
        f"chats/{OTHER}": OTHER,
    }
    code, err = run_cli(["verify", str(out), "--sources", str(root), "--strict", "-q"], capsys)
    assert code == 0, err


def test_verify_sources_reports_the_changed_one_of_two_masked_alike_files(
    tmp_path: Path,
) -> None:
    """One of the two edited: it is reported changed, read in its own file; the other
    unchanged."""
    root, out = _two_chats(tmp_path)
    (root / "chats" / OTHER).write_text(OTHER_TEXT + "Kim: an added line\n", encoding="utf-8")
    chats = {d.doc_id: d for d in check_sources(out, root).documents if "WhatsApp" in d.doc_id}
    assert chats[f"chats/{WHATSAPP}"].status == UNCHANGED
    changed = chats[f"chats/{OTHER}"]
    assert changed.status == CHANGED, changed.what
    assert changed.looked_for == [root / "chats" / OTHER]


def test_verify_sources_finds_where_masked_alike_files_moved(tmp_path: Path, capsys) -> None:
    """Both files moved to another folder under DIR: each missing document is told the
    file holding its text (a masked name's files found by their fitting names)."""
    root, out = _two_chats(tmp_path)
    (root / "old").mkdir()
    for name in (WHATSAPP, OTHER):
        (root / "chats" / name).rename(root / "old" / name)
    chats = {d.doc_id: d for d in check_sources(out, root).documents if "WhatsApp" in d.doc_id}
    assert {d.status for d in chats.values()} == {MISSING}
    assert {k: d.same_text_at for k, d in chats.items()} == {
        f"chats/{WHATSAPP}": root / "old" / WHATSAPP,
        f"chats/{OTHER}": root / "old" / OTHER,
    }
    code, err = run_cli(["verify", str(out), "--sources", str(root), "-q"], capsys)
    said = " ".join(err.split())
    assert code == 0, err  # missing counted (the IRC log is there)
    assert "files of names that fit it holding their documents' text are at " in said, said
    assert f"{root / 'old' / WHATSAPP}" in said and f"{root / 'old' / OTHER}" in said


def test_verify_sources_finds_masked_names_of_a_redacted_export(tmp_path: Path, capsys) -> None:
    """An export made with --redact of files whose names ingest --redact masked: their
    files were looked for under the masked name only, and reported missing."""
    root, out = _two_chats(tmp_path, redact_export=True)
    found = check_sources(out, root)
    chats = [d for d in found.documents if d.input_file and "WhatsApp" in d.input_file]
    assert chats and {d.status for d in chats} == {NOT_CHECKED}, [d.what for d in chats]
    assert "2 files whose names fit its masked name are there" in chats[0].what
    code, err = run_cli(["verify", str(out), "--sources", str(root), "-q"], capsys)
    assert code == 1, err  # found, but nothing compared (--redact): no pass (s54)
    assert "missing:" not in err and "0 missing" in err, err
    assert "nothing was checked against the sources" in " ".join(err.split()), err
