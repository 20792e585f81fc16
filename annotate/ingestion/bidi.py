"""Bidirectional override and isolate characters in passage text (U+202A-U+202E,
U+2066-U+2069): they make text display in another order than it reads (the "Trojan
Source" trick), so a reviewer can be shown words other than those the model scored, or
miss words hidden by reordering. Ingest keeps the text as it is (passage offsets index
into it) and warns once per run (:class:`BidiTally`).

The bidi *marks* (U+200E, U+200F, U+061C) are not counted: they only nudge neutral
characters, and right-to-left text holds them routinely.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

# LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
SHOWN_IDS = 3  # passage ids the warning names


@dataclass
class BidiTally:
    """Passages whose text holds a bidi override or isolate: how many, and the ids of the
    first :data:`SHOWN_IDS`."""

    passages: int = 0
    first_ids: list[str] = field(default_factory=list)

    def add(self, passage_id: str, text: str) -> None:
        """Count the passage ``passage_id`` when ``text`` holds one of :data:`BIDI_CONTROLS`."""
        if BIDI_CONTROLS.search(text) is None:
            return
        self.passages += 1
        if len(self.first_ids) < SHOWN_IDS:
            self.first_ids.append(passage_id)

    def warn(self, logger: logging.Logger, out: str) -> None:
        """Log one warning when any passage was counted (``out``: the passages file)."""
        if not self.passages:
            return
        more = ", ..." if self.passages > len(self.first_ids) else ""
        logger.warning(
            "%d passage(s) hold bidirectional override or isolate characters (U+202A-U+202E, "
            "U+2066-U+2069), which make text display in another order than it reads and can "
            "hide words from reviewers; kept as they are (offsets index into the text): %s%s. "
            "Find them with %s and check them before review",
            self.passages,
            ", ".join(self.first_ids),
            more,
            find_command(out),
        )


def find_command(out: str) -> str:
    """A shell command that lists the passages of the passages file ``out`` holding a bidi
    control: grep for a JSONL file (one passage a line), a pandas one-liner for Parquet
    (grep cannot read its compressed columns)."""
    if str(out).endswith(".jsonl"):
        return f"`grep -nP '[\\x{{202A}}-\\x{{202E}}\\x{{2066}}-\\x{{2069}}]' {out}`"
    return (
        "`python -c \"import pandas as p; d = p.read_parquet('"
        + str(out)
        + "'); print(d[d.text.str.contains('[\\u202a-\\u202e\\u2066-\\u2069]')].id.tolist())\"`"
    )
