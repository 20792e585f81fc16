"""A small HTTP proxy put between annotate and the real Label Studio, which loses the
answers of chosen requests: the way a reverse proxy, a load balancer or a flaky network
does. Each request whose path holds ``match`` (of ``method``, if set) is counted; every
``every``-th of them gets ``fault`` (the first ``times`` of them, if set; none of the
first ``after`` requests that match):

- ``"drop"``: the connection is closed before the request reaches the server;
- ``"drop-after"``: the server carries the request out, then the connection is closed
  without its answer;
- ``"502-after"``: the server carries it out, the client gets a 502 Bad Gateway page;
- ``"503"``: 503 Service Unavailable, the server never sees it;
- ``"slow-after"``: the server carries it out, its answer is held back ``delay`` seconds
  (a slow server, or one behind a slow link: past the client's timeout);
- ``"slow-before"``: the request is held back ``delay`` seconds, then carried out (a slow
  server still at work when the client's timeout fires: it lands after the timeout);
- ``"late"``: the request is held back until the client sends the next matching request
  (its retry), then carried out just after that one, before that one's answer goes
  back: a slow server that finished the lost request after the retry was sent;
- ``"held"``: the request is held back until the test sets ``release``, then carried out
  (a server that finishes the lost request after the command ended);
- ``"500"``: HTTP 500 in Label Studio's JSON error shape, ``reason`` as its ``detail`` (a
  server failing every write, e.g. SQLite's "database or disk is full"), the server
  never sees it;
- ``"500-page"``: HTTP 500 with Django's bare error page, ``<h1>Server Error (500)</h1>``.

``landed`` is set once a request held back by one of the last three was carried out.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length"}


@dataclass
class Faults:
    match: str
    every: int
    fault: str
    method: str = ""  # only requests of this method ("": any)
    times: int = 0  # fault this many at most (0: no limit)
    after: int = 0  # the first this many matching requests pass untouched
    delay: float = 0.0  # seconds "slow-after" holds an answer back
    reason: str = "database or disk is full"  # the "detail" of a "500" answer
    seen: int = 0
    faulted: list[str] = field(default_factory=list)  # "METHOD path" of each faulted request
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)  # "held": carry it out
    landed: threading.Event = field(default_factory=threading.Event)  # a held-back one was
    resent: threading.Event = field(default_factory=threading.Event)  # "late": the retry was

    def waiting_late(self, method: str, path: str) -> bool:
        """Whether this (unfaulted) request is the retry a "late" request waits for."""
        return (
            self.fault == "late"
            and bool(self.faulted)
            and not self.landed.is_set()
            and self.match in path
            and self.method in ("", method)
        )

    def pick(self, method: str, path: str) -> str | None:
        if self.match not in path or self.method not in ("", method):
            return None
        with self.lock:
            self.seen += 1
            if self.seen <= self.after:
                return None
            if (self.seen - self.after) % self.every or 0 < self.times <= len(self.faulted):
                return None
            self.faulted.append(f"{method} {path}")
            return self.fault


@contextmanager
def fault_proxy(upstream: str, faults: Faults) -> Iterator[str]:
    """Serve the proxy on a free port of 127.0.0.1 while the block runs; yields its URL."""
    up = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body go out in two writes: without TCP_NODELAY the body waits for
        # the client's delayed ACK (40 ms) on every request of a kept connection
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, code: int, body: bytes, headers: list[tuple[str, str]]) -> None:
            self.send_response(code)
            for key, value in headers:
                if key.lower() not in HOP_HEADERS:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
                self.close_connection = True

        def _drop(self) -> None:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)

        def _forward(self, body: bytes) -> tuple[int, bytes, list[tuple[str, str]]]:
            conn = http.client.HTTPConnection(up.hostname, up.port, timeout=300)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                return resp.status, resp.read(), resp.getheaders()
            finally:
                conn.close()

        def handle_one(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            fault = faults.pick(self.command, self.path)
            if fault is None and faults.waiting_late(self.command, self.path):
                answer = self._forward(body)  # the retry: carried out, then the late one
                faults.resent.set()
                faults.landed.wait(timeout=120)
                return self._answer(*answer)
            if fault in ("slow-before", "late", "held"):
                if fault == "slow-before":
                    time.sleep(faults.delay)
                else:
                    (faults.resent if fault == "late" else faults.release).wait(timeout=300)
                answer = self._forward(body)
                faults.landed.set()
                return self._answer(*answer)
            if fault == "drop":
                return self._drop()
            if fault == "503":
                return self._answer(503, b"<html>503 Service Unavailable</html>", [])
            if fault == "500":
                said = {"id": "fault-proxy", "status_code": 500, "detail": faults.reason}
                json_type = [("Content-Type", "application/json")]
                return self._answer(500, json.dumps(said).encode(), json_type)
            if fault == "500-page":
                page = [("Content-Type", "text/html")]
                return self._answer(500, b"<h1>Server Error (500)</h1>", page)
            answer = self._forward(body)
            if fault == "drop-after":
                return self._drop()
            if fault == "502-after":
                return self._answer(502, b"<html>502 Bad Gateway</html>", [])
            if fault == "slow-after":
                time.sleep(faults.delay)
            self._answer(*answer)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = handle_one

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
