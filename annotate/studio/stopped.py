"""A refused connection to the local Label Studio that annotate started and that is no
longer running: reported at once, not retried.

A lost answer is retried (:func:`annotate.studio.retry.retry_lost`: 4 tries, 1, 2 and
4 s apart, and the SDK's own 2 retries of a refused connection inside each), since a
team server's outage is often transient. The local server is annotate's own: its state
file names its process (:func:`annotate.studio.server.stopped_local_hint`), so when that
process is gone (``annotate studio stop``, a kill, a crash) nothing will answer on its
port until ``annotate studio start``, and a new user's command spent about 19 s in
retries before saying so. :class:`StoppedAwareTransport` checks that on a refused
connection and raises :class:`LocalServerStopped`, which neither the SDK's retry (it
retries ``httpx.ConnectError`` and ``httpx.RemoteProtocolError`` only) nor
:func:`~annotate.studio.retry.retry_lost` (``StudioUnavailableError.gone``) retries.
A local server whose process still runs (starting, restarting, busy) and any other
server are retried as before.
"""

from __future__ import annotations

import logging

from annotate._util.http import httpx

log = logging.getLogger(__name__)


class LocalServerStopped(httpx.NetworkError):
    """A connection to the local server was refused and its process is gone.

    An ``httpx.NetworkError`` (what :meth:`annotate.studio.client.StudioClient.guard`
    maps to a lost answer) but no ``httpx.ConnectError`` (what the SDK retries)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint  # stopped_local_hint's fix: start it again


class StoppedAwareTransport(httpx.HTTPTransport):
    """httpx's transport, raising :class:`LocalServerStopped` in place of a refused
    connection (``httpx.ConnectError``) to ``url`` when ``url`` is the local server's and
    its process is gone; other errors, and every other server's, pass unchanged."""

    def __init__(self, url: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._url = url

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return super().handle_request(request)
        except httpx.ConnectError as exc:
            from annotate.studio.server import stopped_local_hint

            hint = stopped_local_hint(self._url)
            if not hint:
                raise
            log.info("%s refused the connection and the local server is stopped", self._url)
            raise LocalServerStopped(str(exc) or type(exc).__name__, hint) from exc
