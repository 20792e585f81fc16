"""Bad input and faults through the CLI: one line, the fix, a non-zero exit, nothing kept."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.cli import main
from annotate.settings import annotate_home
from annotate.studio import server
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection

from .helpers import FIXTURES, PRELABELS

pytestmark = pytest.mark.integration


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    assert "Fix:" in lines[0]
    return lines[0]


def use_server(monkeypatch: pytest.MonkeyPatch, url: str, key: str) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", key)


def test_label_studio_not_running(
    studio: Connection,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    use_server(monkeypatch, f"http://127.0.0.1:{server.free_port(41000)}", "x" * 40)
    code, _, err = run(["push", str(PRELABELS), "--project", "p", "-q"], capsys)
    line = one_error_line(err)
    assert code == 1 and "does not answer" in line and "annotate studio start" in line
    code, _, err = run(["export", "--project", "p", "--out", str(tmp_path / "o")], capsys)
    assert code == 1 and "does not answer" in one_error_line(err)
    assert not (tmp_path / "o").exists()


def test_no_local_server_and_no_url(
    studio: Connection,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "empty-home"))
    code, _, err = run(["push", str(PRELABELS), "--project", "p", "-q"], capsys)
    line = one_error_line(err)
    assert code == 1 and "no Label Studio configured" in line and "studio start" in line
    code, out, _ = run(["studio", "status"], capsys)
    assert code == 1 and "stopped: no local server runs from" in out and "empty-home" in out
    assert "ANNOTATE_HOME" in out  # says how to point at the project whose server is meant


def test_wrong_token(
    studio: Connection,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    use_server(monkeypatch, studio.url, "0" * 40)
    code, _, err = run(["export", "--project", "p", "--out", str(tmp_path / "o")], capsys)
    line = one_error_line(err)
    assert code == 1 and "rejected the API token" in line and "LABEL_STUDIO_API_KEY" in line
    assert not (tmp_path / "o").exists()


def test_export_of_a_project_that_does_not_exist(
    studio: Connection,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    use_server(monkeypatch, studio.url, studio.api_key)
    code, _, err = run(
        ["export", "--project", "no-such-project-4242", "--out", str(tmp_path / "o")], capsys
    )
    line = one_error_line(err)
    assert code == 1 and "no project titled 'no-such-project-4242'" in line
    assert list(tmp_path.iterdir()) == []


def test_a_mistyped_project_name_is_named_as_typed_with_the_name_meant(
    studio: Connection,
    client: StudioClient,
    project_name: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """A lead's typos: 'export --project' in another case said only 'no project titled';
    a doubled space was shown collapsed ('no project titled 'Team Dec'' for 'Team  Dec');
    a push under either made a second project beside the first."""
    use_server(monkeypatch, studio.url, studio.api_key)
    name = f"{project_name[:20]} Batch"
    try:
        assert run(["push", str(PRELABELS), "--project", name, "-q"], capsys)[0] == 0
        out = str(tmp_path / "o")
        for typed in (name.upper(), name.replace(" ", "  ")):
            code, _, err = run(["export", "--project", typed, "--out", out], capsys)
            line = one_error_line(err)
            assert code == 1 and f"no project titled {typed!r}" in line, line
            assert f"did you mean {name!r}?" in line, line
            code, _, err = run(["push", str(PRELABELS), "--project", typed, "-q"], capsys)
            assert code == 1 and f"pass --project {name!r}" in one_error_line(err)
            assert client.find_project(typed) is None
    finally:
        if (made := client.find_project(name)) is not None:
            client.sdk.projects.delete(int(made["id"]))


def test_prelabels_with_labels_not_in_the_taxonomy(
    studio: Connection,
    client: StudioClient,
    project_name: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_server(monkeypatch, studio.url, studio.api_key)
    bad = FIXTURES / "prelabels_bad_label.jsonl"
    code, _, err = run(["push", str(bad), "--project", project_name, "-q"], capsys)
    line = one_error_line(err)
    assert code == 1 and "'bogus_label' not in the taxonomy" in line and "line 3" in line
    assert client.find_project(project_name) is None  # validated before anything was sent


def test_push_and_export_through_the_cli(
    studio: Connection,
    project_name: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    use_server(monkeypatch, studio.url, studio.api_key)
    code, _, err = run(["push", str(PRELABELS), "--project", project_name, "-q"], capsys)
    assert code == 0 and "6 created, 0 skipped" in err and "0 failed" in err
    code, _, err = run(["push", str(PRELABELS), "--project", project_name, "-q"], capsys)
    assert code == 0 and "0 created, 6 skipped" in err
    code, _, err = run(["export", "--project", project_name, "--out", str(tmp_path / "o")], capsys)
    assert code == 0 and "exported 0 reviewed passages" in err


def test_studio_status_and_env(studio: Connection, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["studio", "status"], capsys)
    assert code == 0 and out.startswith(f"running: {studio.url}") and "token accepted" in out
    code, out, _ = run(["studio", "env"], capsys)
    assert code == 0
    assert out.splitlines() == [
        f"export LABEL_STUDIO_URL={studio.url}",
        f"export LABEL_STUDIO_API_KEY={studio.api_key}",
        f"export ANNOTATE_HOME={shlex.quote(str(annotate_home()))}",  # its salt, elsewhere too
    ]
    # a shell can eval it
    shown = subprocess.run(
        ["bash", "-c", f"eval {shlex.quote(out)}; echo $LABEL_STUDIO_URL"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == studio.url
    # start on a running server returns at once
    code, _, err = run(["studio", "start"], capsys)
    assert code == 0 and f"running at {studio.url}" in err


def test_cli_entry_point_exits_non_zero(studio: Connection, tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotate",
            "export",
            "--project",
            "nope",
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "LABEL_STUDIO_URL": studio.url,
            "LABEL_STUDIO_API_KEY": "bad",
        },
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and proc.stderr.startswith("error:")
