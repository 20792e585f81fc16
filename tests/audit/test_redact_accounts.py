"""`--redact` detection rules of stop 50 (break 49, B18; note 49's leftovers): a listed
site's account written with the host phones copy (``mobile.twitter.com/jane``) and WSL's
view of a Windows home folder (``/mnt/c/Users/jane``) are masked; a URL's ``/@name``
(``tiktok.com/@jane.roe``) is a user URL, not an e-mail address; and the folders of
accounts of no one person (``C:\\Users\\Default``, ``/home/ubuntu``, ``~root``) are left in
every form alike. A record made before (no ``detection_revision``) masks as it did, so
``verify --sources`` still finds its documents unchanged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from annotate.audit.redact import DETECTION_REVISION, RedactionSettings, Redactor, user_url


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see mobile.twitter.com/jane now", "see [USER_URL-1] now"),
        ("see https://mobile.twitter.com/jane now", "see [USER_URL-1] now"),
        ("https://mobile.x.com/jane_roe/status/1", "[USER_URL-1]"),
        ("touch.facebook.com/jane.roe.7", "[USER_URL-1]"),
        ("on tiktok.com/@jane.roe, again", "on [USER_URL-1], again"),
        ("mastodon.social/@jane.roe", "[USER_URL-1]"),
        ("/mnt/c/Users/jane/Desktop/a.txt", "/mnt/c/Users/[HOME_USER-1]/Desktop/a.txt"),
        ("file:///mnt/d/Users/Laura Smith/x.pdf", "file:///mnt/d/Users/[HOME_USER-1]/x.pdf"),
        ("in /mnt/c/Users/bob.", "in /mnt/c/Users/[HOME_USER-1]."),
        # break4 B9: Windows' view of a WSL home (Explorer, VS Code), one number with
        # /home/NAME
        (
            r"Four \\wsl$\Ubuntu\home\jsmith\y and \\wsl.localhost\Ubuntu\home\jsmith\z "
            "and /home/jsmith/a here.",
            r"Four \\wsl$\Ubuntu\home\[HOME_USER-1]\y and "
            r"\\wsl.localhost\Ubuntu\home\[HOME_USER-1]\z and /home/[HOME_USER-1]/a here.",
        ),
        (
            "file://wsl.localhost/Debian/home/bob/x",
            "file://wsl.localhost/Debian/home/[HOME_USER-1]/x",
        ),
        (r"in \\WSL$\Ubuntu-22.04\home\bob.", r"in \\WSL$\Ubuntu-22.04\home\[HOME_USER-1]."),
    ],
)
def test_these_accounts_are_masked(redactor: Redactor, text: str, expected: str) -> None:
    assert redactor.redact(text).text == expected


def test_one_account_is_one_number_however_a_phone_wrote_it(redactor: Redactor) -> None:
    text = (
        "https://twitter.com/jane, mobile.twitter.com/jane, https://m.twitter.com/Jane/ "
        "and twitter.com/other"
    )
    assert redactor.redact(text).text == (
        "[USER_URL-1], [USER_URL-1], [USER_URL-1] and [USER_URL-2]"
    )


def test_a_urls_at_name_is_one_user_url_not_an_email(redactor: Redactor) -> None:
    red = redactor.redact("tiktok.com/@jane.roe and jane.roe@example.com")
    assert [m.kind for m in red.matches] == ["user_url", "email"]
    # with user URLs not masked, the @name is still a handle, never an address
    handles = Redactor(RedactionSettings(kinds=("email", "handle")))
    assert handles.redact("tiktok.com/@jane.roe").text == "tiktok.com/[HANDLE-1]"


@pytest.mark.parametrize(
    "text",
    [
        "docs.github.com/en/actions and help.instagram.com/1234",  # other pages of the site
        "/mnt/c/Windows/System32 and /mnt/data/Users/x",
        r"\\wsl$\Ubuntu\etc\hosts and \\server\Ubuntu\home\x and \\wsl$\Ubuntu\home",
    ],
)
def test_other_pages_and_paths_stay(redactor: Redactor, text: str) -> None:
    assert redactor.redact(text).text == text


@pytest.mark.parametrize(
    "account", ["Default", "Public", "root", "ubuntu", "ec2-user", "Administrator", "pi"]
)
def test_an_account_of_no_one_person_stays_in_every_form(redactor: Redactor, account: str) -> None:
    forms = [
        f"/home/{account}/x",
        f"/Users/{account}/x",
        f"~{account}/x",
        f"C:\\Users\\{account}\\x",
        f"/mnt/c/Users/{account}/x",
        f"\\\\wsl$\\Ubuntu\\home\\{account}\\x",
    ]
    for text in forms:
        assert redactor.redact(text).text == text


def test_a_record_made_before_masks_as_it_did() -> None:
    """verify --sources masks an earlier run's documents again with its recorded settings:
    a record without ``detection_revision`` (before stop 50) reads as revision 1."""
    now = RedactionSettings().record()
    assert now["detection_revision"] == DETECTION_REVISION
    older = {k: v for k, v in now.items() if k != "detection_revision"}
    settings = RedactionSettings.from_record(older)
    assert settings.revision == 1
    text = "mobile.twitter.com/jane, tiktok.com/@jane.roe, /home/ubuntu/x, /mnt/c/Users/jane/x"
    assert Redactor(settings).redact(text).text == (
        "mobile.twitter.com/jane, [EMAIL-1], /home/[HOME_USER-1]/x, /mnt/c/Users/jane/x"
    )
    unc = r"\\wsl$\Ubuntu\home\jane\x"  # break4 B9's form: revision 2's too
    assert Redactor(settings).redact(unc).text == unc
    assert RedactionSettings.from_record(now) == RedactionSettings()
    assert not user_url("https://mobile.twitter.com/jane", revision=1)


def test_ingest_previous_masked_before_is_compared_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.ingestion import ingest, record

    for week in ("w1", "w2"):
        (tmp_path / week).mkdir()
        (tmp_path / week / "post.txt").write_text("Write to jane@example.org about the vote.\n")
    keys = tuple(k for k in record.REDACTION_KEYS if k != "detection_revision")
    monkeypatch.setattr(record, "REDACTION_KEYS", keys)  # as the annotate of stop 49 did
    earlier = tmp_path / "w1.jsonl"
    ingest([tmp_path / "w1"], earlier, redact=RedactionSettings(revision=1))
    monkeypatch.undo()
    with caplog.at_level(logging.WARNING):
        stats = ingest(
            [tmp_path / "w2"], tmp_path / "w2.jsonl", previous=[earlier], redact=RedactionSettings()
        )
    assert stats.duplicates_of_previous == 1
    assert "before annotate's stop-50 detection rules" in caplog.text


def test_a_post_of_an_account_is_the_accounts_number(redactor: Redactor) -> None:
    """break4 B10: a status/video link of an account and twitter's x.com name were
    numbered as another account (a reviewer read two people)."""
    text = (
        "https://mobile.twitter.com/JaneDoe/status/1 and twitter.com/janedoe and "
        "x.com/JaneDoe; tiktok.com/@jane.doe99 and www.tiktok.com/@jane.doe99/video/123 "
        "and tiktok.com/@Jane.Doe99; twitter.com/other/status/2"
    )
    assert redactor.redact(text).text == (
        "[USER_URL-1] and [USER_URL-1] and [USER_URL-1]; [USER_URL-2] and [USER_URL-2] "
        "and [USER_URL-2]; [USER_URL-3]"
    )
