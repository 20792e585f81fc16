"""Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) make text display
in another order than it reads (the "Trojan Source" trick: words hidden from a
moderator). They reached reviewers unannounced. Ingest keeps the text as it is (offsets
index into it) and warns once per run: how many passages, the first few ids, how to find
them; the CLI's summary counts them."""

from __future__ import annotations

import ast
import json
import logging
import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from annotate.cli import app
from annotate.ingestion import ingest

PLAIN = "Police said the suspect posted threats against the synagogue hours before."
# shows as "... meet at the gate" while it reads "... meet at the etag" backwards
HIDDEN = "The meeting is tomorrow, we meet at the \u202egate\u202c at nine in the evening."
ISOLATE = "Reply: see you there \u2067\u05e9\u05dc\u05d5\u05dd\u2069 and bring the others along."


def _posts(tmp_path: Path) -> Path:
    src = tmp_path / "posts.jsonl"
    rows = [
        {"id": "a", "text": PLAIN},
        {"id": "b", "text": HIDDEN},
        {"id": "c", "text": ISOLATE},
        {"id": "d", "text": "Left to right mark \u200e only, as Hebrew text holds routinely."},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return src


def test_bidi_controls_are_kept_counted_and_warned_of_once(tmp_path: Path, caplog) -> None:
    out = tmp_path / "p.jsonl"
    with caplog.at_level(logging.WARNING, logger="annotate"):
        stats = ingest([_posts(tmp_path)], out)
    rows = {r["doc_id"]: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    assert rows["b"]["text"] == HIDDEN and rows["c"]["text"] == ISOLATE  # kept as they are
    assert stats.bidi_controls.passages == 2
    assert stats.bidi_controls.first_ids == [rows["b"]["id"], rows["c"]["id"]]
    said = [r.getMessage() for r in caplog.records if "bidirectional" in r.getMessage()]
    assert len(said) == 1
    assert said[0].startswith("2 passage(s) hold bidirectional override or isolate")
    assert f"{rows['b']['id']}, {rows['c']['id']}." in said[0]
    assert "2069}]' " + f"{out}`" in said[0]  # the grep that finds them


def test_the_cli_summary_counts_them(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    result = CliRunner().invoke(app, ["ingest", "-q", str(_posts(tmp_path)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 passages with bidirectional override characters kept" in result.output


def test_no_warning_without_them(tmp_path: Path, caplog) -> None:
    src = tmp_path / "plain.jsonl"
    src.write_text(json.dumps({"id": "a", "text": PLAIN}) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="annotate"):
        stats = ingest([src], tmp_path / "p.jsonl")
    assert stats.bidi_controls.passages == 0
    assert not [r for r in caplog.records if "bidirectional" in r.getMessage()]


def _shown_command(message: str) -> str:
    return message.split("Find them with `", 1)[1].split("` and check them", 1)[0]


def test_the_command_the_warning_gives_finds_them_in_jsonl_and_parquet(
    tmp_path: Path, caplog
) -> None:
    """The warning's command runs as given and lists exactly the two passages: grep on a
    JSONL file, pandas on a Parquet one (grep cannot read Parquet: the command it gave
    before found nothing there)."""
    for name in ("p.jsonl", "p.parquet"):
        out = tmp_path / name
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="annotate"):
            ingest([_posts(tmp_path)], out)
        said = [r.getMessage() for r in caplog.records if "bidirectional" in r.getMessage()]
        command = _shown_command(said[0])
        if name.endswith(".parquet"):
            assert command.startswith("python -c ")
            command = shlex.quote(sys.executable) + command[len("python") :]
        else:
            assert command.startswith("grep -nP ")
        run = subprocess.run(command, shell=True, capture_output=True, text=True, check=True)
        table = pd.read_json(out, lines=True) if name.endswith(".jsonl") else pd.read_parquet(out)
        want = sorted(table[table.doc_id.isin(["b", "c"])].id)
        if name.endswith(".jsonl"):
            lines = run.stdout.splitlines()
            assert len(lines) == 2 and all(any(i in line for line in lines) for i in want)
        else:
            assert sorted(ast.literal_eval(run.stdout.strip())) == want
