"""``--redact`` masks a number written alone in the national form of a configured region
when its length fits the plan, valid or not (new-user pass of stop 47, F7): Ofcom's
fictional ``07700 900456`` stayed while its ``+44`` form was masked as merely possible.
Counts, years, references without a trunk prefix and short local numbers stay, and
``phone_international: valid`` (the older rule) masks neither form."""

from __future__ import annotations

import pytest

from annotate.audit.redact import RedactionSettings, Redactor, possible_national_numbers


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Backup: 07700 900456 (not listed anywhere else)", "Backup: [PHONE-1] (not listed"),
        ("Text me on 07911 123456 or 07700 900456.", "on [PHONE-1] or [PHONE-2]."),
        ("call (07700) 900 123 or 07700-900-123", "call [PHONE-1] or [PHONE-1]"),
        ("+44 7700 900123 and 07700 900123", "[PHONE-1] and [PHONE-1]"),
    ],
)
def test_a_possible_national_number_is_masked(text: str, masked: str) -> None:
    assert masked in Redactor().redact(text).text


@pytest.mark.parametrize(
    "text",
    [
        "In 1990 there were 1234567 people and 2019 votes",
        "order 0123456 shipped on 2019-01-02",
        "version 0.07700900456 of item x-07700900456",
    ],
)
def test_counts_and_codes_stay(text: str) -> None:
    assert Redactor().redact(text).text == text


def test_the_valid_only_rule_leaves_it() -> None:
    settings = RedactionSettings(international_possible=False)
    assert "07700 900456" in Redactor(settings).redact("Backup: 07700 900456").text


def test_a_region_is_read_only_where_configured() -> None:
    assert possible_national_numbers("ring 07700 900456", ["GB"]) == [(5, 17)]
    assert possible_national_numbers("ring 07700 900456", ["US"]) == []  # US: trunk prefix 1
