"""The server's reason for a refused request, as one line (annotate.studio.client._detail)."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.studio.client import _detail


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {
                "detail": "Validation error",
                "validation_errors": {"title": ["Ensure this field has at least 3 characters."]},
            },
            "Validation error; title: Ensure this field has at least 3 characters.",
        ),
        (
            {"validation_errors": {"label_config": ["a", "b"], "title": "x"}},
            "label_config: a b; title: x",
        ),
        ({"detail": "Not found."}, "Not found."),
        ({"message": "bad\n  thing"}, "bad thing"),
        ({"other": 1}, '{"other": 1}'),
        ("plain\ntext", "plain text"),
        (
            '<!doctype html> <html lang="en"> <head> <meta charset="utf-8"> <title>Label '
            "Studio</title> <!-- Address string color --> <meta name=",
            "an HTML page titled 'Label Studio', not an API answer",
        ),
        ("<HTML><body>Not Found</body></html>", "an HTML page, not an API answer"),
        # Django's own 500 page has no doctype (faults49 F4: it was taken for a reason)
        (
            "<h1>Server Error (500)</h1>",
            "an HTML page titled 'Server Error (500)', not an API answer",
        ),
        ("\n<p>oops</p>", "an HTML page, not an API answer"),
        ("<3 is less than three", "<3 is less than three"),
    ],
)
def test_detail(body: Any, expected: str) -> None:
    assert _detail(body) == expected


@pytest.mark.parametrize(
    ("code", "says", "fix"),
    [
        (400, "refused the request", "check the input"),
        (500, "a server error", "server log"),
        (503, "a server error", "its database"),
    ],
)
def test_a_server_error_is_not_blamed_on_the_input(code: int, says: str, fix: str) -> None:
    from label_studio_sdk.core.api_error import ApiError

    from annotate.studio.client import StudioClient

    client = StudioClient.__new__(StudioClient)  # only the error mapping, no server
    client.url = "http://127.0.0.1:1"
    err = client._api_error(ApiError(status_code=code, body={"detail": "boom"}), "pushing")
    assert says in str(err) and fix in err.fix and "boom" in str(err)
    if code >= 500:
        assert "check the input" not in err.fix


@pytest.mark.parametrize("code", [400, 404, 500])
def test_a_reason_ending_in_a_full_stop_is_not_given_a_second(code: int) -> None:
    """A server of another kind answered every API path `{"detail": "Not found."}`: the
    line read "... while listing projects: Not found.. Fix: ..."."""
    from label_studio_sdk.core.api_error import ApiError

    from annotate.studio.client import StudioClient

    client = StudioClient.__new__(StudioClient)  # only the error mapping, no server
    client.url = "http://127.0.0.1:1"
    err = client._api_error(ApiError(status_code=code, body={"detail": "Not found."}), "listing")
    assert "Not found." in err.what and ".." not in err.what


@pytest.mark.parametrize("code", [502, 504])
def test_a_gateway_error_names_the_proxy_and_the_server_behind_it(code: int) -> None:
    """A 502/504 (after the SDK's retries) read "a server error ... a refused push batch is
    split to name such rows": Label Studio never answers those codes, a proxy does."""
    from label_studio_sdk.core.api_error import ApiError

    from annotate.errors import StudioUnavailableError
    from annotate.studio.client import StudioClient

    client = StudioClient.__new__(StudioClient)  # only the error mapping, no server
    client.url = "http://127.0.0.1:1"
    err = client._api_error(ApiError(status_code=code, body="<html>Bad Gateway</html>"), "x")
    assert isinstance(err, StudioUnavailableError)
    assert f"HTTP {code}" in err.what and "proxy or gateway" in err.what
    assert err.fix.startswith("the server behind it is down") and "push" not in err.fix
