"""The CLI as a user meets it: one-line errors, non-zero exits, no tracebacks."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli import app

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str) -> Ran:
    """The CLI in-process (Typer's CliRunner): same app, same error handling as `annotate`."""
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback the user would see: fail loudly
    return Ran(result.exit_code, result.stdout, result.stderr)


def _error_line(proc: Ran) -> str:
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.fixture
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    files = {
        "unknown": ("doc.pdf", b"%PDF-1.4"),
        "empty": ("empty.txt", b""),
        "latin1": ("latin.txt", "caf\xe9".encode("latin-1")),
        "jsonl": ("bad.jsonl", b'{"text": "fine"}\n{"text": \n'),
        "csv": ("no_text.csv", b"id,body\n1,hello\n"),
    }
    out = {}
    for key, (name, data) in files.items():
        (tmp_path / name).write_bytes(data)
        out[key] = tmp_path / name
    return out


@pytest.mark.parametrize(
    ("key", "needle"),
    [
        ("unknown", "unsupported file type '.pdf'"),
        ("empty", "the file is empty"),
        ("latin1", "not valid UTF-8"),
        ("jsonl", "line 2 is not valid JSON"),
        ("csv", "missing column(s) 'text'"),
    ],
)
def test_ingest_bad_input(bad_inputs, tmp_path, key, needle):
    out = tmp_path / "p.parquet"
    line = _error_line(run("ingest", str(bad_inputs[key]), "--out", str(out), "-q"))
    assert needle in line and "Fix:" in line
    assert not out.exists()


def test_bad_labels_yaml(tmp_path):
    bad = tmp_path / "labels.yaml"
    text = (
        (ROOT / "labels.yaml")
        .read_text()
        .replace("  - name: incitement", "  - name: violent_threat")
    )
    bad.write_text(text)
    line = _error_line(run("taxonomy", "check", "--labels", str(bad)))
    assert "duplicate category name 'violent_threat'" in line
    bad.write_text((ROOT / "labels.yaml").read_text() + "\nextra_key: 1\n")
    assert "unknown key 'extra_key'" in _error_line(run("taxonomy", "check", "--labels", str(bad)))


def test_taxonomy_commands():
    proc = run("taxonomy", "check")
    assert proc.returncode == 0 and "7 categories" in proc.stdout
    proc = run("taxonomy", "config")
    assert proc.returncode == 0 and proc.stdout.startswith("<View>")


def test_prelabel_missing_columns(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"key": 1, "body": "x"}) + "\n")
    out = tmp_path / "o.jsonl"
    line = _error_line(run("prelabel", str(src), "--out", str(out), "-q"))
    assert "missing column(s) 'id', 'text'" in line and not out.exists()


def test_usage_error_is_not_a_traceback():
    proc = run("ingest")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_entry_point_smoke(tmp_path):
    """The one subprocess test: `python -m annotate` as installed, error contract included."""
    proc = subprocess.run(
        [sys.executable, "-m", "annotate", "ingest", str(tmp_path / "nope"), "--out", "o.jsonl"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")] == [
        f"error: {tmp_path / 'nope'}: no such file or folder. Fix: check the path."
    ]


def test_next_steps_name_a_command_that_runs_as_printed(monkeypatch, tmp_path):
    from annotate.cli.app import command_name

    exe = tmp_path / ".venv" / "bin" / "annotate"
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(exe)])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # not activated: the venv's bin is not on PATH
    assert command_name() == ".venv/bin/annotate"
    monkeypatch.setenv("PATH", f"{exe.parent}:/usr/bin:/bin")  # activated
    assert command_name() == "annotate"
    monkeypatch.setattr(sys, "argv", ["-c"])  # python -m annotate / embedded
    assert command_name().endswith(" -m annotate")


def test_prelabel_of_a_broken_parquet_file_is_one_error_line(tmp_path):
    src = tmp_path / "passages.parquet"
    src.write_bytes(b"PAR1 not really parquet")
    line = _error_line(run("prelabel", str(src), "--out", str(tmp_path / "o.jsonl")))
    assert "not a readable Parquet file" in line


def test_export_says_when_it_replaces_an_export_and_when_splits_are_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the export itself runs against a real server in tests/integration; here only what
    # the CLI tells the user about its result
    import annotate.corpus.export as corpus_export
    from annotate.corpus.export import MANIFEST, ExportResult

    out = tmp_path / "corpus"

    def fake_export(project: str, target: Path, **_: object) -> ExportResult:
        Path(target).mkdir(exist_ok=True)
        (Path(target) / MANIFEST).write_text("{}", encoding="utf-8")
        splits = {"train": 4, "validation": 0, "test": 0}
        return ExportResult(Path(target), 4, splits, 4, 1, 0)

    # the command imports the library when it runs
    monkeypatch.setattr(corpus_export, "export", fake_export)
    first = run("export", "--project", "p", "--out", str(out))
    assert first.returncode == 0 and "replaced" not in first.stderr
    # the anchor an auditor keeps outside the folder (sha256 of the manifest "{}")
    digest = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    assert f"manifest.json SHA-256 {digest}" in first.stderr
    assert "no passage in validation, test" in first.stderr
    second = run("export", "--project", "p", "--out", str(out), "--overwrite")
    assert second.returncode == 0 and "replaced the previous one" in second.stderr


def test_export_warns_about_reviewers_below_the_gold_minimum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the manifest listed them, but the command said nothing: a lead who exported with
    # --gold-min-accuracy learnt of a failing reviewer only by reading manifest.json
    import annotate.corpus.export as export_lib
    from annotate.corpus.export import ExportResult

    def fake_export(project: str, target: Path, **_: object) -> ExportResult:
        splits = {"train": 2, "validation": 0, "test": 0}
        review = {"gold_min_accuracy": 0.8, "flagged_reviewers": ["r-aaaa", "r-bbbb"]}
        return ExportResult(Path(target), 2, splits, 4, 3, 0, manifest={"review": review})

    monkeypatch.setattr(export_lib, "export", fake_export)
    out = str(tmp_path / "corpus")
    done = run("export", "--project", "B", "--out", out, "--gold-min-accuracy", "0.8")
    assert done.returncode == 0
    assert "2 reviewer(s) scored below --gold-min-accuracy 0.8" in done.stderr
    assert "r-aaaa, r-bbbb" in done.stderr


def test_export_without_redact_warns_about_e_mail_addresses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotate.corpus.export as export_lib
    from annotate.corpus.export import ExportResult

    def fake_export(project: str, target: Path, **_: object) -> ExportResult:
        left = {"text": 0, "title": 0, "source": 0, "comments": 2}
        redaction = {"ran": False, "rows_with_email_addresses": left}
        splits = {"train": 2, "validation": 0, "test": 0}
        return ExportResult(Path(target), 2, splits, 2, 1, 0, manifest={"redaction": redaction})

    monkeypatch.setattr(export_lib, "export", fake_export)
    done = run("export", "--project", "B", "--out", str(tmp_path / "corpus"))
    assert done.returncode == 0
    assert "holds e-mail addresses (rows per field: comments 2)" in done.stderr
    assert "--redact" in done.stderr


def test_export_without_redact_warns_about_what_redact_would_mask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """passD51 D5: phone numbers and handles in comments were not warned of (e-mail only)."""
    import annotate.corpus.export as export_lib
    from annotate.audit.redact import Redactor
    from annotate.audit.redact_export import unredacted_record
    from annotate.corpus.export import ExportResult

    row = {"id": "p1", "text": "call 555-0142", "annotations": [{"comment": "@dave_k77"}]}
    redaction = unredacted_record([row], Redactor())

    def fake_export(project: str, target: Path, **_: object) -> ExportResult:
        splits = {"train": 1, "validation": 0, "test": 0}
        return ExportResult(Path(target), 1, splits, 1, 1, 0, manifest={"redaction": redaction})

    monkeypatch.setattr(export_lib, "export", fake_export)
    done = run("export", "--project", "B", "--out", str(tmp_path / "corpus"))
    assert done.returncode == 0
    said = " ".join(done.stderr.split())
    assert "warning: 1 row(s) hold personal data that --redact would mask" in said
    assert "(rows per field and kind: text: phone 1; comments: handle 1)" in said
    assert "555-0142" not in said and "dave_k77" not in said


def test_export_notes_passages_short_of_reviewers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotate.corpus.export as export_lib
    from annotate.corpus.export import ExportResult

    def fake_export(project: str, target: Path, **_: object) -> ExportResult:
        splits = {"train": 7, "validation": 0, "test": 0}
        manifest = {"reviewers_per_passage": {"1": 1, "2": 6}}
        return ExportResult(Path(target), 7, splits, 13, 3, 0, manifest=manifest)

    monkeypatch.setattr(export_lib, "export", fake_export)
    done = run("export", "--project", "B", "--out", str(tmp_path / "corpus"))
    assert done.returncode == 0
    assert "1 passage(s) have answers from fewer reviewers than the 2" in done.stderr
    assert "annotate review status --project 'B'" in done.stderr


def test_export_notes_passages_with_more_answers_than_k(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stopped hand-over whose copy and original were both answered leaves a passage
    with K+1 answers; the summary noted passages short of K only."""
    import annotate.corpus.export as export_lib
    from annotate.corpus.export import ExportResult

    def fake_export(project: str, target: Path, **_: object) -> ExportResult:
        splits = {"train": 9, "validation": 0, "test": 0}
        manifest = {
            "reviewers_per_passage": {"2": 7, "3": 2},
            "review": {"reviewers_per_task": 2},
            "passages_over_reviewers_per_task": {
                "reviewers_per_task": 2,
                "passages": 2,
                "passage_ids": ["a", "b"],
            },
        }
        return ExportResult(Path(target), 9, splits, 20, 3, 0, manifest=manifest)

    monkeypatch.setattr(export_lib, "export", fake_export)
    done = run("export", "--project", "B", "--out", str(tmp_path / "corpus"))
    assert done.returncode == 0, done.stderr
    err = " ".join(done.stderr.split())
    assert "2 passage(s) have answers from more than the 2 reviewers per passage" in err, err
    assert "the extra answer votes (it can break a tie" in err, err
    assert "`annotate review status --project 'B'` names them" in err, err
    assert "fewer than" not in err, err


def test_a_review_push_prints_each_reviewers_pseudonym(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # README: push prints which pseudonym is whose; it printed only the e-mails, so a lead
    # could not tell whose answers `r-…` in an export or a queue's title were
    import annotate.review.fanout as fanout
    from annotate.review.fanout import ReviewerShare, ReviewPushResult

    share = ReviewerShare("ana@x.org", "r-0123456789", 3, "http://h/projects/3/data", 2)
    result = ReviewPushResult("B", 2, 2, "m@1", reviewers=[share])
    monkeypatch.setattr(fanout, "push_review", lambda *a, **k: result)
    pre = tmp_path / "pre.jsonl"
    pre.write_text("{}\n")
    done = run("push", str(pre), "--project", "B", "-k", "2")
    assert done.returncode == 0, done.stderr
    assert "  ana@x.org (r-0123456789): 2 added (0 gold)" in done.stderr


HEAVY = ("torch", "transformers", "datasets", "pandas", "duckdb", "pyarrow", "label_studio_sdk")


def test_cli_imports_no_heavy_library_until_a_command_runs():
    """`import annotate.cli` and `--help` of every command load none of the heavy
    libraries (each took seconds: a 10,000-task push spent ~5 s importing them)."""
    commands = [[], *([c] for c in _command_names())]
    code = (
        "import sys\n"
        "from annotate.cli import main\n"
        f"for argv in {commands!r}:\n"
        "    try:\n"
        "        main([*argv, '--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout[-500:]


def test_a_push_imports_httpx_without_its_command_line_client():
    """httpx's own shell command (``httpx._main``: click, rich, pygments, ~0.13 s of CPU)
    is not loaded by `annotate push`'s modules; httpx works, and its CLI module stays
    importable for whoever wants it."""
    code = (
        "import sys\n"
        "import annotate.cli, annotate.cli.push, annotate.studio.push\n"
        "cli = ('httpx._main', 'click', 'rich', 'pygments')\n"
        "print(sorted(m for m in cli if m in sys.modules))\n"
        "import httpx\n"
        "assert httpx.Client and httpx.ConnectError and 'httpx' in sys.modules\n"
        "import httpx._main\n"
        "print(callable(httpx._main.main))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    assert proc.stdout.split() == ["[]", "True"], proc.stdout[-500:]


def _command_names() -> list[str]:
    import typer.main

    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_an_empty_export_says_nobody_has_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotate.corpus.export as export_lib
    from annotate.corpus.export import ExportResult

    def fake_export(project: str, target: Path, **_: object) -> ExportResult:
        splits = {"train": 0, "validation": 0, "test": 0}
        return ExportResult(Path(target), 0, splits, 0, 0, 0)

    monkeypatch.setattr(export_lib, "export", fake_export)
    done = run("export", "--project", "Batch 1", "--out", str(tmp_path / "corpus"))
    assert done.returncode == 0
    assert "no passage of 'Batch 1' has a submitted answer yet" in done.stderr


def test_demo_names_the_team_project_to_export(monkeypatch: pytest.MonkeyPatch) -> None:
    # the reviewers of the demo answer in 'PROJECT · team': exporting only 'PROJECT' (the
    # admin's queue) after they answered gave an empty corpus
    import annotate.cli.demo as demo_cli
    import annotate.demo as demo_mod
    from annotate.studio import server
    from annotate.studio.push import PushResult

    push = PushResult(1, "annotate demo", "http://127.0.0.1:1/projects/1/data", "m@1", created=3)
    result = demo_mod.DemoResult(
        "http://127.0.0.1:1", "http://127.0.0.1:1/projects/1/data", "admin", "pw", 1, 3, push,
        Path("."), team=[], team_project="annotate demo · team",
    )  # fmt: skip
    monkeypatch.setattr(demo_mod, "demo", lambda *a, **k: result)
    monkeypatch.setattr(demo_cli, "demo", lambda *a, **k: result, raising=False)
    monkeypatch.setattr(server, "is_installed", lambda *a: True)
    monkeypatch.setattr(server, "status", lambda *a: type("S", (), {"answers": True})())
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    done = run("demo", "-q")
    assert done.returncode == 0, done.stderr
    assert "export --project 'annotate demo · team' --out out/team-corpus" in done.stderr


@pytest.mark.parametrize(
    ("args", "target", "says"),
    [
        (["taxonomy", "check"], "annotate.taxonomy.load_taxonomy", "(it starts afresh)"),
        (
            ["push", "x.jsonl", "--project", "p"],
            "annotate.studio.push.push",
            "(a push resumes where it stopped, without duplicates)",
        ),
    ],
)
def test_an_interruption_says_what_a_rerun_does(
    monkeypatch: pytest.MonkeyPatch, args: list[str], target: str, says: str
) -> None:
    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    module, name = target.rsplit(".", 1)
    monkeypatch.setattr(f"{module}.{name}", interrupted)
    cli_module = {"taxonomy": "annotate.cli.taxonomy", "push": "annotate.cli.push"}[args[0]]
    monkeypatch.setattr(f"{cli_module}.{name}", interrupted, raising=False)
    done = run(*args)
    assert done.returncode == 130
    line = _error_line(done)
    assert line.startswith("error: interrupted (Ctrl-C)") and line.endswith(f"again {says}.")
    if args[0] != "push":
        assert "push" not in line  # the old text promised a push's resume to every command


@pytest.mark.parametrize("signum", [None, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_duckdb_query_interrupted_is_not_a_traceback_and_names_the_signal(
    monkeypatch: pytest.MonkeyPatch, signum: signal.Signals | None
) -> None:
    """A KeyboardInterrupt raised while DuckDB runs a query (push's staging) comes out of
    it as RuntimeError("Query interrupted") (measured, duckdb 1.x), which printed a
    traceback. Under SIGTERM it said "interrupted (Ctrl-C or SIGTERM)" while SIGTERM
    elsewhere said "interrupted (SIGTERM)": which one came depended on where the signal
    landed (a fault-suite test failed on it)."""
    import annotate.cli

    monkeypatch.setattr(sys.modules["annotate.cli.app"], "SIGNALS_RECEIVED", [])

    def interrupted(*_: object, **__: object) -> None:
        if signum is not None:
            with contextlib.suppress(KeyboardInterrupt):  # DuckDB swallows it, and raises:
                annotate.cli._interrupt(signum, None)
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr("annotate.taxonomy.load_taxonomy", interrupted)
    monkeypatch.setattr("annotate.cli.taxonomy.load_taxonomy", interrupted, raising=False)
    done = run("taxonomy", "check")
    assert done.returncode == (143 if signum is not None else 130)  # 128 + the signal
    says = "SIGTERM" if signum is not None else "Ctrl-C"
    assert _error_line(done).startswith(f"error: interrupted ({says})")
