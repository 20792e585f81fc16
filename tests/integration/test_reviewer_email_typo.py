"""A lead who mistypes a reviewer's e-mail (`ana@x.exmaple` for `ana@x.example`) in
`push --reviewer` or `review reassign --to` is pointed at the account meant, not only told
to `annotate reviewers add` the misspelt address (which makes a second, bogus account that
later pushes without --reviewer give passages to); an address like no account's gets the
advice to add it, as before. Against the session's real Label Studio and its accounts."""

from __future__ import annotations

from annotate.studio.client import StudioClient

from .review_team import add_team, push_set, run


def _swap_last_two(email: str) -> str:
    """``ana@x.test`` -> ``ana@x.tets``: a typist's transposition."""
    return email[:-2] + email[-1] + email[-2]


def test_a_mistyped_reviewer_email_names_the_account_meant(client: StudioClient, name: str) -> None:
    ana, ben = add_team(("ana", "ben"), "typo-team.test")
    typo = _swap_last_two(ben)
    out = push_set(name, (ana, typo), code=1)
    assert f"did you mean {ben}?" in out, out
    assert len(out.strip().splitlines()) == 1, out

    push_set(name, (ana, ben))
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", typo, code=1)
    assert f"did you mean {ben}? Otherwise add it first" in out, out
    assert len(out.strip().splitlines()) == 1, out

    # nothing like any account: the advice to add it, no guess
    out = run(
        "review", "reassign", "--project", name, "--from", ana, "--to", "zed@elsewhere.invalid",
        code=1,
    )  # fmt: skip
    assert "did you mean" not in out and "Fix: add it first: annotate reviewers add" in out, out
