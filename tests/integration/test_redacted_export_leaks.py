"""A redacted export leaks no raw id, against a real Label Studio: a review set of two
reviewers with gold tasks, a high-severity answer, a tie the lead decides with a comment
naming a reviewer's e-mail, reviewers' comments naming an account by a URL written without
``https://`` and a home folder's path (audit 49, A4: they re-identified the handle masked in
the row's title), and documents whose ids (a mail archive's paths) hold an
e-mail address. Every passage's text holds one too, so under `export --redact` every
passage id and document id must be a pseudonym: every file the export writes (Parquet and
Arrow read back as values, not only the text files) is scanned for each raw passage id,
document id and e-mail address, and one pseudonym mapping serves the whole export (a
gold item's document has the pseudonym of its rows' document). `annotate pseudonym` then
traces a pseudonym of the export back through the exporter's map."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient

from .helpers import FIXTURES, PRELABELS, answer_of, choices, comment
from .review_team import add_team, run

pytestmark = pytest.mark.integration
SHARED_DOC = "doc-a"  # a gold passage is put in this document too
# in every reviewer's comment: a user URL without its scheme, a home folder's path
ACCOUNT, HOME = "ironfist88", "/home/laura/"
NOTE = f"see twitter.com/{ACCOUNT} and {HOME}cases/case-4411.pdf"


def _personal(doc: str) -> str:
    return f"archive/{doc}.owner@example.net/inbox.eml"


def _with_personal_data(src: Path, dst: Path) -> list[dict[str, Any]]:
    """``src``'s rows with an e-mail address in each text and in each document id."""
    rows = []
    for i, line in enumerate(src.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        row["text"] = f"{row['text']} Write to sender{i}@example.com"  # spans stay in place
        row["end"] = row["start"] + len(row["text"])
        doc = SHARED_DOC if row["id"] == "doc-g-p0" else row["doc_id"]
        row["doc_id"] = row["source"] = _personal(doc)
        rows.append(row)
    dst.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


def _every_value(out: Path) -> dict[str, str]:
    """Each file of the export as text: Parquet and Arrow read back (every value, as
    JSON), every other file as its bytes decoded (JSON, JSONL, Markdown, HTML, SVG)."""
    found = {}
    for path in (p for p in out.rglob("*") if p.is_file()):
        if path.suffix == ".parquet":
            text = json.dumps(pd.read_parquet(path).to_dict("records"), default=str)
            text += path.read_bytes().decode("latin-1")  # the schema metadata too
        elif path.suffix == ".arrow":
            with pa.memory_map(str(path)) as src:
                text = json.dumps(pa.ipc.open_stream(src).read_all().to_pylist(), default=str)
        else:
            text = path.read_bytes().decode("utf-8", errors="replace")
        found[path.relative_to(out).as_posix()] = text
    return found


def _answer(
    client: StudioClient, task_id: int, user: int, categories: list[str], *extra: Any
) -> None:
    severity = "none" if categories == ["none"] else "high"
    result = [choices("category", categories), choices("severity", [severity]), *extra]
    answer_of(client, task_id, user, result)


def test_a_redacted_export_holds_no_raw_id_nor_address(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    from annotate.review.reviewers import find_user

    rows = _with_personal_data(PRELABELS, tmp_path / "prelabels.jsonl")
    gold = _with_personal_data(FIXTURES / "gold.jsonl", tmp_path / "gold.jsonl")
    team = add_team(("ana", "ben"), "leak.test")
    lead_email = str(client.whoami()["email"])
    emails = [*team, lead_email]
    run(
        "push",
        str(tmp_path / "prelabels.jsonl"),
        "--project",
        name,
        "-k",
        "2",
        *[a for e in team for a in ("--reviewer", e)],
        "--gold",
        str(tmp_path / "gold.jsonl"),
        "--gold-rate",
        "0.5",
        "-q",
    )
    # both reviewers answer every task of their queue (gold included); they split on
    # doc-a-p1 (a tie for the lead) and ana's high-severity answers name ben's address
    ana, ben = team
    for email, proj in reviewer_projects(client, name).items():
        user = int(find_user(client, email)["id"])  # type: ignore[index]
        for task in client.iter_tasks(int(proj["id"])):
            pid = task["data"]["passage_id"]
            cats = ["violent_threat"] if pid in ("doc-a-p1", "doc-h-p0") else ["none"]
            if pid == "doc-a-p1" and email == ben:
                cats = ["incitement"]
            _answer(client, int(task["id"]), user, cats, comment(f"asked {ben} about it; {NOTE}"))
    run("adjudicate", "--project", name, "-q")
    lead_proj = client.find_project(f"{name} · adjudication")
    assert lead_proj is not None
    (lead_task,) = list(client.iter_tasks(int(lead_proj["id"])))
    admin = int(client.whoami()["id"])
    _answer(client, int(lead_task["id"]), admin, ["incitement"], comment(f"per {ana}"))

    out, key, id_map = tmp_path / "corpus", tmp_path / "secret" / "key", tmp_path / "map.jsonl"
    run(
        "export",
        "--project",
        name,
        "--out",
        str(out),
        "--redact",
        "--decision-records",
        "--id-key",
        str(key),
        "--id-map",
        str(id_map),
        "-q",
    )
    raw = {r["id"] for r in [*rows, *gold]} | {r["doc_id"] for r in [*rows, *gold]}
    raw |= {f"sender{i}@example.com" for i in range(len(rows))}
    files = _every_value(out)
    assert {"agreement.json", "exposure.json", "decision_records.jsonl"} <= set(files)
    assert any(f.startswith("report/") for f in files)
    hits = sorted(
        f"{needle} in {f}"
        for f, text in files.items()
        for needle in (*raw, *emails, ACCOUNT, HOME)
        if needle in text
    )
    assert not hits, hits
    masked_note = "see [USER_URL-1] and /home/[HOME_USER-1]/cases/case-4411.pdf"
    assert any(masked_note in text for f, text in files.items() if f.startswith("jsonl/"))

    # one mapping: every pseudonym written is in the exporter's map, a gold item's
    # document is named as the rows of that document are
    entries = [json.loads(x) for x in id_map.read_text(encoding="utf-8").splitlines()]
    back = {e["pseudonym"]: e for e in entries}
    agreement = json.loads(files["agreement.json"])
    items = {back[i["passage_id"]]["passage_id"]: i for i in agreement["gold"]["items"]}
    assert set(items) == {g["id"] for g in gold} & set(items) and items
    corpus = pd.concat([pd.read_json(p, lines=True) for p in (out / "jsonl").glob("*.jsonl")])
    docs = {back[d]["doc_id"]: d for d in corpus["doc_id"]}
    assert set(docs) == {r["doc_id"] for r in rows}
    if "doc-g-p0" in items:
        assert items["doc-g-p0"]["doc_id"] == docs[_personal(SHARED_DOC)]
    assert {back[i]["passage_id"] for i in corpus["id"]} == {r["id"] for r in rows}

    # the way back, by the command an auditor runs
    pp = corpus.loc[corpus["doc_id"] == docs[_personal("doc-b")], "id"].iloc[0]
    said = run("pseudonym", pp, "--id-map", str(id_map), "--corpus", str(out))
    assert back[pp]["passage_id"] in said and _personal("doc-b") in said
    said = run("pseudonym", back[pp]["passage_id"], "--id-key", str(key), "--corpus", str(out))
    assert pp in said
