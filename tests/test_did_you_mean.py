"""The "did you mean" of a mistyped reviewer e-mail (reviewers remove, review reassign,
push --reviewer) names a likely typo, never just another reviewer of the same domain:
copied into `review reassign --from`, a wrong suggestion would move someone else's tasks."""

from __future__ import annotations

from annotate.review.reviewers import did_you_mean

TEAM = ["ana@example.org", "ben@example.org", "cai@example.org"]


def test_another_name_on_the_team_domain_is_not_suggested() -> None:
    # zed@example.org against ben@example.org scores 0.87 as whole addresses
    assert did_you_mean("zed@example.org", TEAM) == ""
    assert did_you_mean("bob@example.org", TEAM) == ""


def test_typos_are_still_suggested() -> None:
    assert did_you_mean("ana@example.ogr", TEAM) == "did you mean ana@example.org? Otherwise "
    assert did_you_mean("aan@example.org", TEAM) == "did you mean ana@example.org? Otherwise "
    assert did_you_mean("Ben@Exmaple.org", TEAM) == "did you mean ben@example.org? Otherwise "
    assert did_you_mean("ana-1a2b3c@typo-team.tets", ["ana-1a2b3c@typo-team.test"]) != ""
    assert did_you_mean("zed@elsewhere.invalid", TEAM) == ""


def test_a_short_name_two_edits_away_is_not_suggested() -> None:
    """`--reviewer dan@example.org` suggested ana@example.org (0.67 alike before @)."""
    assert did_you_mean("dan@example.org", TEAM) == ""
    assert did_you_mean("dan@example.org", ["ana@example.org", "dan@exmaple.org"]) == (
        "did you mean dan@exmaple.org? Otherwise "
    )


def test_letters_in_another_order_are_a_typo() -> None:
    team = [*TEAM, "dan@example.org"]
    assert did_you_mean("adn@example.org", team) == "did you mean dan@example.org? Otherwise "
    long = ["alexandra@example.org"]
    assert did_you_mean("alexnadar@example.org", long) != ""  # its letters in another order
    assert did_you_mean("alexnadar@example.com", long) == ""  # and another domain: two typos
    assert did_you_mean("alexander@example.org", long) == ""  # two edits: another name


def test_a_short_anagram_is_another_name() -> None:
    """Names of three or four letters in another order are mostly other people's (they
    were suggested: copied into `review reassign --from`, someone else's tasks move)."""
    for typed, account in [
        ("nia", "ian"),
        ("myra", "mary"),
        ("leon", "noel"),
        ("ami", "mia"),
        ("nad", "dan"),
    ]:
        assert did_you_mean(f"{typed}@example.org", [f"{account}@example.org"]) == "", typed
    assert did_you_mean("lean@example.org", ["lena@example.org"]) != ""  # one adjacent swap


def test_one_edit_in_a_name_of_two_letters_is_another_name() -> None:
    assert did_you_mean("jo@example.org", ["bo@example.org"]) == ""
    assert did_you_mean("oj@example.org", ["jo@example.org"]) != ""  # letters swapped


def test_a_new_reviewers_domain_one_letter_from_the_teams_is_named() -> None:
    from annotate.review.reviewers import near_domain

    team = ["ana@example.org", "ben@example.org", "admin@annotate.local", "Deleted"]
    assert near_domain("cai@exmaple.org", team) == (
        "example.org",
        ["ana@example.org", "ben@example.org"],
    )
    assert near_domain("cai@example.ogr", team) is not None
    assert near_domain("cai@example.org", team) is None  # the team's own domain
    assert near_domain("cai@example.com", team) is None  # three letters apart: another one
    assert near_domain("cai@ex.org", ["ana@x.org"]) is None  # too short to tell
    # a domain an account has already is no typo, however close to another
    assert near_domain("cai@exmaple.org", [*team, "dan@exmaple.org"]) is None
