"""What went wrong with a request, in plain words, for the one-line errors the CLI prints.

Messages said the transport's exception class instead ("importing 20 tasks: ReadError",
"failed: doc-7-p2 (r-abc): ConnectError"): a name from httpx's source, not what happened
(s56 left #7)."""

from __future__ import annotations

from annotate._util.http import httpx

# most specific first: ConnectTimeout is a TimeoutException, ReadError a NetworkError
_SAID: tuple[tuple[type[BaseException], str], ...] = (
    (httpx.TimeoutException, "no answer in time"),
    (httpx.ProxyError, "the proxy refused the connection"),
    (
        httpx.ConnectError,
        "could not connect (the connection was refused, or the host cannot be reached)",
    ),
    (httpx.ReadError, "the connection broke while the answer was read"),
    (httpx.WriteError, "the connection broke while the request was sent"),
    (httpx.CloseError, "the connection broke while it was closed"),
    (httpx.RemoteProtocolError, "the server closed the connection without a complete answer"),
    (httpx.LocalProtocolError, "the request could not be sent as HTTP"),
    (httpx.UnsupportedProtocol, "the URL does not start with http:// or https://"),
    (httpx.TooManyRedirects, "too many redirects"),
)


def transport_reason(exc: BaseException) -> str:
    """What ``exc`` (an httpx error, or any other) means, in words: "could not connect
    (...)", "the connection broke while the answer was read", "the receiver answered HTTP
    500"...; an error this does not know is "a network error"."""
    if isinstance(exc, httpx.HTTPStatusError):
        return f"the receiver answered HTTP {exc.response.status_code}"
    for kind, said in _SAID:
        if isinstance(exc, kind):
            return said
    return "a network error"
