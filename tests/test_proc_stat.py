"""``/proc/PID/stat`` read once for the studio's checks (reader63 #9: three parsers of
it): a command name with spaces and parentheses, a missing process, the real file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotate._util.proc_stat import stat_fields
from annotate.studio import port_holder, server


def test_fields_follow_the_last_parenthesis(tmp_path: Path) -> None:
    (tmp_path / "42").mkdir()
    line = "42 (label) studio (x)) S 1 7 42 0 -1 4194560 " + " ".join(["0"] * 4)
    (tmp_path / "42" / "stat").write_text(line + " 150 25 3 2 20 0\n")
    fields = stat_fields(42, tmp_path)
    assert fields is not None and fields[0] == "S" and fields[3] == "42"
    assert fields[11:15] == ["150", "25", "3", "2"]
    assert port_holder._session(42, tmp_path) == 42
    assert stat_fields(43, tmp_path) is None


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_this_process_reads_as_running_with_its_own_session() -> None:
    fields = stat_fields(os.getpid())
    assert fields is not None and fields[0] in {"R", "S", "D"}
    assert port_holder._session(os.getpid(), port_holder.PROC) == os.getsid(0)
    assert server.pid_alive(os.getpid())
    cpu = server.process_cpu_seconds(os.getpid())
    assert cpu is not None and cpu > 0
