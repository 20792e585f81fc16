"""`--redact` masks a user's URL written without ``https://`` (``twitter.com/jane``) and the
user name of a home folder's path (``/home/laura/…``), which re-identified in a reviewer's
comment the handle and URL masked in the same row (audit 49, A4); ordinary text stays."""

from __future__ import annotations

import pytest

from annotate.audit.redact import RedactionSettings, Redactor, home_users, schemeless_user_urls


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see twitter.com/ironfist88", "see [USER_URL-1]"),
        ("see twitter.com/ironfist88.", "see [USER_URL-1]."),
        ("(x.com/jane_roe, again)", "([USER_URL-1], again)"),
        ("www.facebook.com/jane.roe.7", "[USER_URL-1]"),
        ("on instagram.com/jane_roe", "on [USER_URL-1]"),
        ("t.me/janeroe", "[USER_URL-1]"),
        ("youtube.com/@janeroe", "[USER_URL-1]"),
        ("reddit.com/u/janeroe", "[USER_URL-1]"),
        ("old.reddit.com/user/janeroe/comments", "[USER_URL-1]"),
        ("tiktok.com/@janeroe", "[USER_URL-1]"),
        ("m.facebook.com/profile.php?id=100012345", "[USER_URL-1]"),
    ],
)
def test_a_user_url_without_scheme_is_masked(redactor: Redactor, text: str, expected: str) -> None:
    assert redactor.redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "twitter.com alone, or twitter.com/ with nothing after it",
        "read bbc.co.uk/news/uk-12345 and reddit.com/r/news",
        "twitter.com/home and twitter.com/search?q=x",
        "version 1.2/3 and node 20.11/x, a ratio 3.5/10",
        "a path src/annotate.py/ or notes.txt",
        "jane@twitter.com/x",  # an address (masked as one), not a URL after it
    ],
)
def test_text_that_names_no_user_stays(redactor: Redactor, text: str) -> None:
    assert schemeless_user_urls(text) == []
    assert "[USER_URL" not in redactor.redact(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "see /home/laura/cases/case-4411.pdf, phoned",
            "see /home/[HOME_USER-1]/cases/case-4411.pdf, phoned",
        ),
        ("at /home/laura.", "at /home/[HOME_USER-1]."),
        ("/Users/mary/Desktop/x.txt", "/Users/[HOME_USER-1]/Desktop/x.txt"),
        (r"C:\Users\Laura Smith\Documents\x.pdf", r"C:\Users\[HOME_USER-1]\Documents\x.pdf"),
        ("c:/users/bob/x", "c:/users/[HOME_USER-1]/x"),
        (r"in C:\Users\bob", r"in C:\Users\[HOME_USER-1]"),
        ("file:///home/ann/x.pdf", "file:///home/[HOME_USER-1]/x.pdf"),
        ("~laura/cases/a and /home/laura/b", "~[HOME_USER-1]/cases/a and /home/[HOME_USER-1]/b"),
    ],
)
def test_a_home_folders_user_name_is_masked(redactor: Redactor, text: str, expected: str) -> None:
    assert redactor.redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "the /home page, and /home/ alone",
        "/srv/home/x/y and https://example.com/home/jane",
        r"C:\Users\Public\x and /Users/Shared/y",
        "~/notes and ~30 minutes",
        "version 1.2/home",
    ],
)
def test_paths_of_no_user_stay(redactor: Redactor, text: str) -> None:
    assert home_users(text) == []
    assert redactor.redact(text).text == text


def test_one_account_is_one_number_with_or_without_scheme(redactor: Redactor) -> None:
    text = (
        "https://twitter.com/ironfist88 wrote; see twitter.com/ironfist88 and "
        "www.twitter.com/ironfist88/ (not twitter.com/other); /home/laura/a, /home/laura/b"
    )
    assert redactor.redact(text).text == (
        "[USER_URL-1] wrote; see [USER_URL-1] and [USER_URL-1] (not [USER_URL-2]); "
        "/home/[HOME_USER-1]/a, /home/[HOME_USER-1]/b"
    )


def test_a_record_made_before_masks_as_it_did() -> None:
    """verify --sources masks an older ingest run's documents again with its recorded
    settings: a record without these detections (before 2026-12-06) gets none of them."""
    now = RedactionSettings().record()
    assert now["user_url_without_scheme"] is True and "home_user" in now["kinds"]
    older = {**now, "kinds": ["email", "phone", "user_url", "handle"]}
    older.pop("user_url_without_scheme")
    older["placeholders"] = {k: v for k, v in now["placeholders"].items() if k != "home_user"}
    text = "https://twitter.com/jane and twitter.com/jane at /home/laura/x"
    settings = RedactionSettings.from_record(older)
    assert settings.user_url_without_scheme is False and "home_user" not in settings.kinds
    assert (
        Redactor(settings).redact(text).text == "[USER_URL-1] and twitter.com/jane at /home/laura/x"
    )
    assert RedactionSettings.from_record(now) == RedactionSettings()
