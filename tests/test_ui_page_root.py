"""A Label Studio URL copied from the browser names a page of its web interface; the
404 fix gives the server's root instead (tests/integration/test_browser_url.py against
the real server)."""

from __future__ import annotations

import pytest

from annotate._util.urls import ui_page_root


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("http://127.0.0.1:8080/projects/", "http://127.0.0.1:8080"),
        ("http://127.0.0.1:8080/projects/3/data?tab=4", "http://127.0.0.1:8080"),
        ("https://ls.example.org/user/login/", "https://ls.example.org"),
        ("http://localhost:8080/organization", "http://localhost:8080"),
        ("http://127.0.0.1:8080", None),
        ("http://127.0.0.1:8080/", None),
        ("https://example.org/labelstudio", None),  # a server served under a path
        ("https://***@ls.example.org/projects/", None),  # masked credentials: no root
        ("127.0.0.1:8080/projects", None),
    ],
)
def test_ui_page_root(url: str, root: str | None) -> None:
    assert ui_page_root(url) == root
