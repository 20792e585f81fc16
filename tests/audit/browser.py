"""Open a page in headless Chromium over the DevTools protocol and read its images back.

Chromium is the Debian package (``make test`` installs it when absent); tests skip with
the reason when it cannot be found. No network: a fresh profile, background services off.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-port=0",
]
PAGE_STATE = """
new Promise(resolve => {
  const done = () => resolve(JSON.stringify({
    title: document.title,
    readyState: document.readyState,
    images: [...document.images].map(i => ({src: i.getAttribute('src'), complete: i.complete,
                                           naturalWidth: i.naturalWidth})),
    tables: document.querySelectorAll('table').length,
  }));
  if (document.readyState === 'complete') done(); else addEventListener('load', done);
})
"""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def page_state(html: Path, *, timeout: float = 60.0) -> dict[str, Any]:
    """Title, ready state, tables and every ``<img>``'s naturalWidth of ``html`` once loaded."""
    import websocket

    binary = chromium()
    if binary is None:
        raise FileNotFoundError("chromium")
    # chromium's helper processes may still write to the profile for a moment after the
    # browser exits: the whole process group is stopped, and a late file in the temporary
    # profile does not fail the test
    with tempfile.TemporaryDirectory(
        prefix="annotate-chromium-", ignore_cleanup_errors=True
    ) as profile:
        proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + timeout
            while not port_file.is_file() or not port_file.read_text().strip():
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"chromium did not start (exit {proc.poll()})")
                time.sleep(0.2)
            port = int(port_file.read_text().split()[0])
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
                targets = json.load(r)
            page = next(t for t in targets if t.get("type") == "page")
            ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=timeout)
            try:
                _EVENTS.clear()
                _call(ws, 1, "Page.enable", {})
                _call(ws, 2, "Page.navigate", {"url": html.resolve().as_uri()})
                _wait_event(ws, "Page.loadEventFired")
                msg = _call(
                    ws,
                    3,
                    "Runtime.evaluate",
                    {"expression": PAGE_STATE, "awaitPromise": True, "returnByValue": True},
                )
            finally:
                ws.close()
            return json.loads(msg["result"]["result"]["value"])
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


_EVENTS: list[str] = []  # events that arrived while waiting for a reply


def _call(ws: Any, msg_id: int, method: str, params: dict[str, Any]) -> dict[str, Any]:
    ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
    while True:
        msg = json.loads(ws.recv())
        if "method" in msg:
            _EVENTS.append(msg["method"])
        if msg.get("id") == msg_id:
            if "error" in msg:
                raise RuntimeError(f"{method}: {msg['error']}")
            return msg


def _wait_event(ws: Any, method: str) -> None:
    if method in _EVENTS:
        return
    while json.loads(ws.recv()).get("method") != method:
        pass
