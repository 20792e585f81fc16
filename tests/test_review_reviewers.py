"""Reviewer accounts without a server: the sign-up form's error messages."""

from __future__ import annotations

# Label Studio 1.23.2's sign-up page after signing up an email it already has (a
# member removed from the organization keeps the account), trimmed
SIGNUP_TAKEN = """
<form id="signup-form" method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="x">
  <div class="input-wrapper">
    <label>Email Address</label>
    <input type="text" class="lsf-input-ls" name="email" id="email" value="cai@example.org">
                   <ul class="field_errors">
                           <li>User with this email already exists</li>
                       </ul>
                 </div>
  <div class="input-wrapper"><label>Password</label>
    <input type="password" class="lsf-input-ls" name="password" id="password">
  </div>
</form>
"""


def test_the_sign_up_forms_field_errors_are_read() -> None:
    from annotate.review.reviewers import form_errors

    # the message sits in an <li> inside the error list: it used to be read as the
    # whitespace before the <li>, so the CLI said "refused to sign up ...: HTTP 200"
    assert form_errors(SIGNUP_TAKEN) == ["User with this email already exists"]
    assert form_errors('<p class="error">Bad token</p><div>ok</div>') == ["Bad token"]
    assert form_errors("<div>no errors here</div>") == []


class _Admin:
    url = "http://ls.test"
    conn = type("Conn", (), {"url": "http://ls.test"})()  # the real URL the sign-up posts to

    def _get(self, path: str, what: str) -> object:
        if path == "api/invite":
            return {"token": "t0k"}
        raise AssertionError(path)

    def users(self) -> list[dict[str, object]]:
        return [{"id": 1, "email": "admin@annotate.local"}, {"id": 4, "email": "Deleted"}]

    def forget_users(self) -> None:
        pass


def test_signing_up_a_removed_reviewer_again_says_why_it_cannot(monkeypatch) -> None:
    import httpx
    import pytest

    from annotate.errors import StudioError
    from annotate.review import reviewers

    def server(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/user/signup/"
        if request.method == "GET":
            return httpx.Response(200, text="<form></form>")
        return httpx.Response(200, text=SIGNUP_TAKEN)  # the form again, with its error

    real = httpx.Client
    monkeypatch.setattr(
        reviewers.httpx,
        "Client",
        lambda **kw: real(**{**kw, "transport": httpx.MockTransport(server)}),
    )
    with pytest.raises(StudioError) as exc:
        reviewers.add_reviewer(_Admin(), "cai@example.org")  # type: ignore[arg-type]
    message = str(exc.value)
    assert "User with this email already exists" in message
    assert "HTTP 200" not in message and "admin token" not in message
    assert "under another email" in message
