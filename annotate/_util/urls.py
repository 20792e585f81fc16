"""URLs as they may be shown or logged: without the credentials they may carry.

``LABEL_STUDIO_URL=https://user:password@studio.example.org`` (a server behind a proxy
with HTTP basic auth) must not put the password into an error line, a log file or an
export's manifest; :func:`masked` is the one place that takes it out.
"""

from __future__ import annotations

import logging
import re

# scheme://userinfo@ : the userinfo is everything up to the last "@" before the host
# ends (a password may hold "@" or ":" when it is not percent-encoded)
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^\s/?#]*@")
MASK = "***"


def masked(text: str) -> str:
    """``text`` (a URL, or a message quoting URLs) with the ``user:password@`` part of
    every URL in it replaced by ``***@``: ``http://ann:s3cret@host:8080/x`` ->
    ``http://***@host:8080/x``. Text without such a URL is returned as it is."""
    return _USERINFO.sub(rf"\g<1>{MASK}@", text)


class MaskedUrls(logging.Filter):
    """A logging filter that passes every record with the credentials of the URLs in its
    message masked (:func:`masked`): put on a handler, it covers the records of other
    libraries too (``httpx`` logs each request's full URL at INFO)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        shown = masked(message)
        if shown != message:
            record.msg, record.args = shown, None
        return True


def mask_logged_urls(logger: logging.Logger | None = None) -> None:
    """Put :class:`MaskedUrls` on every handler of ``logger`` (default: the root logger)
    that does not have it yet."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, MaskedUrls) for f in handler.filters):
            handler.addFilter(MaskedUrls())


# the first path segment of pages of Label Studio's web interface (a URL copied from the
# browser's address bar: http://host:8080/projects/3/data), never where a server is served
UI_PAGES = frozenset({"projects", "user", "organization", "data", "tasks", "models"})


def ui_page_root(url: str) -> str | None:
    """The server's root URL when ``url`` names a page of Label Studio's web interface
    (``http://host:8080/projects/3/data`` -> ``http://host:8080``), else None."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    first = parts.path.strip("/").split("/", 1)[0].lower()
    if not parts.scheme or not parts.netloc or "@" in parts.netloc or first not in UI_PAGES:
        return None  # (a URL with user:password@ is shown masked: no root to give)
    return f"{parts.scheme}://{parts.netloc}"
