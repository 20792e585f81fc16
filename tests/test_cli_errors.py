"""One line instead of a traceback (issue 12, item 11): a token that expired before the
client was built, an API key without LABEL_STUDIO_URL, a file that is not UTF-8, a
control character, and a full disk while writing."""

from __future__ import annotations

import base64
import errno
import json
import time
from pathlib import Path

import pytest

from annotate.errors import StudioAuthError
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from tests.test_cli import _error_line, run


def jwt(payload: dict) -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.c2ln"


EXPIRED = jwt({"token_type": "refresh", "exp": int(time.time()) - 3600, "user_id": 1})
NO_EXPIRY = jwt({"token_type": "refresh", "user_id": 1})


@pytest.mark.parametrize("token", [EXPIRED, NO_EXPIRY])
def test_an_expired_token_is_a_studio_auth_error_while_the_client_is_built(token: str) -> None:
    conn = Connection(url="http://127.0.0.1:9", api_key=token, source="environment")
    with pytest.raises(StudioAuthError, match="rejected the API token"):
        StudioClient(conn)


@pytest.mark.parametrize("token", [EXPIRED, NO_EXPIRY])
def test_the_cli_prints_one_line_for_an_expired_token(token, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", token)
    line = _error_line(run("export", "--project", "p", "--out", str(tmp_path / "o")))
    assert "rejected the API token" in line and token not in line  # never print a secret


def test_an_api_key_without_a_url_is_an_error_not_ignored(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "a" * 40)
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    line = _error_line(run("export", "--project", "p", "--out", str(tmp_path / "o")))
    assert "LABEL_STUDIO_API_KEY is set but LABEL_STUDIO_URL is not" in line
    assert "a" * 40 not in line


def test_a_non_utf8_csv_is_one_line_with_the_file_byte(tmp_path: Path) -> None:
    good = "".join(f'{i},"plain row {i} of valid text"\n' for i in range(5000))
    path = tmp_path / "legacy.csv"
    raw = b"id,text\n" + good.encode() + b'9999,"caf\xe9 \x93quoted\x94"\n'
    path.write_bytes(raw)
    line = _error_line(run("ingest", str(path), "--out", str(tmp_path / "p.parquet")))
    offset, lineno = raw.index(b"\xe9"), good.count("\n") + 2
    assert f"byte offset {offset} (line {lineno}, column 10)" in line  # 9999,"caf + 1
    assert "cp1252" in line


def test_a_full_disk_while_ingesting_leaves_no_partial_file(tmp_path, monkeypatch) -> None:
    import annotate.tables as tables

    real_write = tables.TableWriter.write

    def full(self, rows):
        real_write(self, rows)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tables.TableWriter, "write", full)
    src = tmp_path / "in.txt"
    src.write_text("Officials said the attack on the depot killed nine people today. " * 5)
    out = tmp_path / "p.jsonl"
    line = _error_line(run("ingest", str(src), "--out", str(out)))
    assert "space" in line.lower()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]


class FullDiskFile:
    """A file whose close fails like a full disk (the buffered rows cannot be flushed)."""

    def __init__(self, real):
        self.real = real

    def write(self, text):
        return self.real.write(text)

    def close(self):
        self.real.close()
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
@pytest.mark.parametrize("failing_body", [False, True])
def test_a_table_that_cannot_be_closed_leaves_no_partial(tmp_path, fmt, failing_body) -> None:
    """prelabel/ingest outputs: closing on a full disk used to leave `.partial` behind."""
    from annotate.tables import TableWriter

    out = tmp_path / f"out.{fmt}"
    with pytest.raises(OSError) as err, TableWriter(out) as writer:
        writer.write([{"id": "1", "text": "x"}])
        if fmt == "jsonl":
            writer._fh = FullDiskFile(writer._fh)
        else:
            real = writer._pq

            class Failing:
                def close(self):
                    real.close()
                    raise OSError(errno.ENOSPC, "No space left on device")

            writer._pq = Failing()
        if failing_body:
            raise OSError(errno.ENOSPC, "No space left on device")
    assert err.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_exporting_leaves_nothing(tmp_path, monkeypatch) -> None:
    from datasets import Dataset

    from annotate.corpus import export as export_module
    from annotate.taxonomy import load_taxonomy

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Dataset, "to_parquet", full)
    out = tmp_path / "corpus"
    with pytest.raises(OSError):
        export_module._write_atomically(out, [], load_taxonomy(), {"format": "x"})
    assert list(tmp_path.iterdir()) == []


def test_sigterm_removes_the_partial_output_like_ctrl_c(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    src = tmp_path / "big.jsonl"
    line = "Officials said the attack on the depot killed nine people, police confirmed. "
    # ingest writes its output (the partial) after it has read every passage (near-duplicate
    # groups first): 10,000 passages keep it writing ~2.5 s (measured at load 5; 60,000 made
    # the test wait 43-80 s for the partial), against a check every 0.05 s below
    src.write_text(
        "".join(json.dumps({"id": str(i), "text": line * 3 + str(i)}) + "\n" for i in range(10000))
    )
    out = tmp_path / "passages.jsonl"
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotate", "ingest", str(src), "--out", str(out), "-q"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(
        p.name.startswith(".passages.jsonl.partial") for p in tmp_path.iterdir()
    ):
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be interrupted"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl"]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["-k", "2", "--gold-rate", "0.2"], "--gold-rate was given without --gold"),
        (["--gold-rate", "0.2"], "--gold-rate was given without --gold"),
        (["-k", "2", "--batch-size", "10", "--wait", "0"], "--batch-size, --wait only apply"),
        # one option takes the singular ("--batch-size only apply" was printed)
        (["-k", "2", "--batch-size", "10"], "--batch-size only applies to a push"),
        (["--reviewer", "ana@example.org"], "--reviewer picks the reviewers of a review set"),
    ],
)
def test_a_push_option_this_push_would_ignore_is_an_error(
    extra: list[str], expected: str, monkeypatch, tmp_path: Path
) -> None:
    # refused before any server is asked: the URL below answers nothing
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "a" * 40)
    line = _error_line(run("push", str(tmp_path / "p.parquet"), "--project", "P", *extra))
    assert expected in line and "Fix: " in line


def test_verbose_after_the_command_is_moved_before_it() -> None:
    from annotate.cli import verbose_first

    assert verbose_first(["ingest", "docs", "-v", "--out", "p.parquet"]) == [
        "-v",
        "ingest",
        "docs",
        "--out",
        "p.parquet",
    ]
    assert verbose_first(["-vv", "push", "p.parquet"]) == ["-vv", "push", "p.parquet"]
    assert verbose_first(["ingest", "--", "-v"]) == ["ingest", "--", "-v"]  # a file named -v
    assert verbose_first(["studio", "status"]) == ["studio", "status"]


def test_main_takes_verbose_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    from annotate.cli import main

    with pytest.raises(SystemExit) as ended:
        main(["taxonomy", "check", "-v"])
    assert ended.value.code in (0, None)
    assert "No such option" not in capsys.readouterr().err


@pytest.mark.parametrize("command", ["agreement", "export"])
def test_a_gold_min_accuracy_given_as_a_percentage_is_an_error(
    command: str, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")  # never asked
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "a" * 40)
    extra = ["--out", str(tmp_path / "o")] if command == "export" else []
    ran = run(command, "--project", "P", "--gold-min-accuracy", "80", *extra)
    line = _error_line(ran)
    assert "share between 0 and 1, found 80 (for 80 % pass 0.8)" in line
    # README, "Commands": exit 2 for a value an option cannot take, as --gold-rate 2
    # and every other bound (it exited 1, the code of a failed run)
    assert ran.returncode == 2, line
    assert line.startswith("error: invalid value for '--gold-min-accuracy': "), line


def test_review_reports_refuses_it_too() -> None:
    from annotate.errors import InputError
    from annotate.review.report import check_min_accuracy

    check_min_accuracy(None)
    check_min_accuracy(0.0)
    check_min_accuracy(1.0)
    with pytest.raises(InputError, match=r"found -0\.1"):
        check_min_accuracy(-0.1)


def test_export_names_the_reviewers_below_the_gold_min_accuracy_it_was_given(
    monkeypatch, tmp_path: Path
) -> None:
    """`export --gold-min-accuracy 0.8` flagged two reviewers in manifest.json only: the
    lead who asked for the check saw nothing on the terminal."""
    import annotate.corpus.export as corpus_export

    def fake_export(project: str, out: Path, **kw: object) -> corpus_export.ExportResult:
        assert kw["gold_min_accuracy"] == 0.8
        review = {"flagged_reviewers": ["r-c672f2d202", "r-cad9086457"]}
        splits = {"train": 1, "validation": 0, "test": 0}
        # agreement.json's gold as a real export hands it back: both reviewers measured
        gold = {"reviewers": {r: {"accuracy": 0.5} for r in review["flagged_reviewers"]}}
        return corpus_export.ExportResult(
            Path(out), 1, splits, 2, 2, 0, {"review": review}, gold=gold
        )

    monkeypatch.setattr(corpus_export, "export", fake_export)
    result = run(
        "export", "--project", "P", "--out", str(tmp_path / "o"), "--gold-min-accuracy", "0.8"
    )
    assert result.returncode == 0, result.stderr
    assert (
        "warning: 2 reviewer(s) scored below --gold-min-accuracy 0.8 on the gold tasks: "
        "r-c672f2d202, r-cad9086457" in result.stderr
    )
    assert result.stderr.count("--gold-min-accuracy 0.8") == 1  # said once


@pytest.mark.parametrize("name", ["statement.txt", "notes.md"])
def test_a_document_given_to_prelabel_or_push_says_to_ingest_it(
    name: str, tmp_path: Path, monkeypatch
) -> None:
    # the fix said "rename the file with the right extension or convert it": a .txt
    # renamed .jsonl is no table either. Refused before any server is asked:
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "a" * 40)
    doc = tmp_path / name
    doc.write_text("They will pay for this.\n", encoding="utf-8")
    for args, then in (
        (["prelabel", str(doc), "--out", str(tmp_path / "p.parquet")], "then pre-label"),
        (["push", str(doc), "--project", "P"], "`annotate prelabel passages.parquet"),
    ):
        line = _error_line(run(*args))
        assert f"{doc} is a text document; expected a table of passages" in line, line
        fix = f"Fix: split it into passages first: `annotate ingest {doc} --out passages.parquet`"
        assert fix in line and then in line, line
        assert "rename the file" not in line
    assert not (tmp_path / "p.parquet").exists()
