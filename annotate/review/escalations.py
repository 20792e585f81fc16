"""`annotate escalations`: high and critical answers must reach someone, once each.

An *escalation* is one reviewer's answer with severity ``high`` or above (the taxonomy's
top level says "escalate now") on a non-gold passage. Those already delivered to a
webhook are remembered in ``$ANNOTATE_HOME/escalations/<project>.json`` (keyed on
passage, reviewer and severity), so a re-run lists and posts only new ones. Delivery is
a JSON ``POST`` per escalation; one that fails is not recorded and is retried next time.
The lead's decision in ``NAME · adjudication`` is an answer like the others (``role``
``adjudication``, under the lead's pseudonym): a lead who raises a passage to high or
critical escalates it, once, even when every reviewer said less. A reviewer's answer on a
passage the lead has decided is still listed (it was raised), carrying the decision
(``lead_decision``), so an answer the lead overruled is not taken for an open one.
An answer whose harmful severity contradicts its categories (none of them harmful: only
``none``, or only context labels such as ``news_reporting``) is one that export,
agreement and review status read as no severity given
(:func:`annotate.corpus.rows.harm_severity_without_harm`): it is still listed (safety
first: the reviewer chose ``high``), marked with the contradiction (``contradiction``),
so the lead sees why the export says no severity and has the answer corrected
(newuser60 #10: a reviewer's was left out without a word, a lead's listed unmarked).
The inverse, a harmful category with severity ``none`` (level 0, "no harmful content"),
is read as no severity alike: its level is unknown, so it is listed too, at ``none``,
marked ``harmful_severity_none`` (newuser60 left: it dropped without a word).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from annotate._util.atomic import atomic_write_text
from annotate._util.http import httpx
from annotate._util.network_words import transport_reason
from annotate._util.server_time import time_order
from annotate.corpus.rows import HARMFUL_SEVERITY_NONE, SEVERITY_WITHOUT_HARM, contradiction_of
from annotate.errors import InputError
from annotate.review.collect import collect
from annotate.review.since import iso_time, parse_since
from annotate.settings import annotate_home
from annotate.studio.client import StudioClient
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

ESCALATE_FROM = "high"


@dataclass(frozen=True)
class Escalation:
    passage: str
    doc_id: str | None
    source: str | None
    reviewer: str
    severity: str
    categories: list[str]
    answered_at: str | None  # the answer's last edit (``updated_at``), else ``created_at``
    text: str
    role: str = "reviewer"  # or "adjudication": the lead's decision
    # the other places ingest found the passage's exact text (dropped there as copies:
    # the passage's exact_copies): each "DOC_ID" or "DOC_ID (ROW)", the first 100, and
    # how many there were in all
    also_in: tuple[str, ...] = ()
    also_in_count: int = 0
    # a reviewer's answer on a passage the lead has decided in ``NAME · adjudication``:
    # the decision ({"severity", "categories"}: the passage's, as export writes it), so an
    # answer the lead overruled (high, decided low) is not taken for an open one; None
    # when no lead decided it (and for the lead's own answer)
    lead_decision: dict[str, Any] | None = None
    # ``severity_without_harm`` (:data:`annotate.corpus.rows.SEVERITY_WITHOUT_HARM`): the
    # severity contradicts the answer's categories (none of them harmful), so export,
    # agreement and review status read it as no severity given; ``harmful_severity_none``
    # (:data:`annotate.corpus.rows.HARMFUL_SEVERITY_NONE`): a harmful category with
    # severity ``none``, read so alike (its level unknown: listed at ``none``); None: no
    # contradiction
    contradiction: str | None = None

    @property
    def key(self) -> str:
        return f"{self.passage}|{self.reviewer}|{self.severity}"


def _state_path(project: str) -> Path:
    digest = hashlib.sha256(project.encode()).hexdigest()[:16]
    return annotate_home() / "escalations" / f"{digest}.json"


def _load(path: Path) -> dict[str, str]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _save(path: Path, sent: dict[str, str]) -> None:
    """Replace the record at ``path`` atomically and durably (an empty record after a
    power cut made the next run fail reading it, or re-send every escalation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(sent, indent=2, sort_keys=True) + "\n")


def _answered_at(value: object) -> datetime | None:
    """A Label Studio time (``created_at``/``updated_at``: ISO, ``Z``) as an aware
    datetime; None if missing or unreadable."""
    if not value:
        return None
    try:
        return iso_time(str(value))
    except ValueError:
        return None


def _last_touched(ann: dict[str, Any]) -> tuple[str | None, datetime | None]:
    """The later of an answer's ``created_at`` and ``updated_at`` (raw text, parsed).

    An answer saved at ``low`` and edited to ``critical`` later only became an escalation
    at the edit, so ``--since`` must look at the edit time, not only the creation time.
    """
    times = [(ann.get(k), _answered_at(ann.get(k))) for k in ("created_at", "updated_at")]
    readable = [(raw, when) for raw, when in times if when is not None]
    if readable:
        raw, when = max(readable, key=lambda t: t[1])
        return str(raw), when
    raw = ann.get("updated_at") or ann.get("created_at")
    return (str(raw) if raw else None), None


def _also_in(recorded: str | None) -> dict[str, Any]:
    """``also_in`` and ``also_in_count`` of a passage from its ``exact_copies`` (JSON,
    :data:`annotate.table_schemas`; None or unreadable: none)."""
    try:
        found = json.loads(recorded) if recorded else {}
        copies = found.get("copies") or []
        # under ingest --redact: the id with its file's name masked, as reviewers see it
        shown = [c.get("shown_doc_id") or c["doc_id"] for c in copies]
        names = tuple(
            f"{d} ({c['input_row']})" if c.get("input_row") else str(d)
            for d, c in zip(shown, copies, strict=True)
        )
        count = int(found.get("count") or len(names))
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}
    return {"also_in": names, "also_in_count": count}


def _lead_decision(row: dict[str, Any]) -> dict[str, Any] | None:
    """The lead's decision on ``row`` (a collected row): its severity and categories once
    a lead decided it (``resolution`` ``adjudicated``), else None."""
    if row.get("resolution") != "adjudicated":
        return None
    return {"severity": str(row.get("severity") or ""), "categories": list(row.get("labels") or [])}


def lead_decided(decision: dict[str, Any]) -> str:
    """``lead decided: low (news_reporting)``, as `annotate escalations` marks an answer on
    a passage the lead has decided (``no severity`` when the lead's decision left it open)."""
    severity = decision.get("severity") or "no severity"
    categories = ", ".join(decision.get("categories") or [])
    return f"lead decided: {severity}" + (f" ({categories})" if categories else "")


def contradiction_said(contradiction: str | None) -> str | None:
    """``no harmful category: export reads no severity`` (or ``harmful category with
    severity none: ...``), as `annotate escalations` marks an answer whose severity
    contradicts its categories (None: no mark)."""
    if contradiction == SEVERITY_WITHOUT_HARM:
        return "no harmful category: export reads no severity"
    if contradiction == HARMFUL_SEVERITY_NONE:
        return "harmful category with severity none: export reads no severity"
    return None


def pending(
    client: StudioClient, project: str, tax: Taxonomy, *, salt: str, since: str | None = None
) -> list[Escalation]:
    """High/critical answers of ``project`` not yet delivered, oldest first: reviewers'
    answers and the lead's decisions (``role`` ``adjudication``), each at the severity
    it chose: one whose categories hold no harmful one (read as no severity by export)
    is kept, its ``contradiction`` set; so is one pairing a harmful category with
    severity ``none`` (below the floor, but its level is unknown: listed at ``none``).

    ``since``: an ISO date or time (:func:`parse_since`); answers neither created nor
    edited since then are left out (an answer whose times cannot be read is kept).
    Raises InputError for another ``since``.
    """
    start = parse_since(since) if since else None
    levels = tax.severity_names
    floor = levels.index(ESCALATE_FROM) if ESCALATE_FROM in levels else len(levels) - 1
    sent = _load(_state_path(project))
    collected = collect(client, project, tax, salt=salt)
    by_id = {row["id"]: row for row in collected.rows}
    answers = [(row, ann, "reviewer") for row in collected.rows for ann in row["annotations"]]
    answers += [
        (by_id[ann["passage"]], ann, "adjudication")
        for ann in collected.adjudications
        if ann["passage"] in by_id
    ]
    # passages whose lead's answer chose a harmful severity with no harmful category
    lead_without_harm = set(getattr(collected, "lead_severity_without_harm", None) or [])
    # ... and the reverse: a harmful category with severity `none`
    lead_harm_none = set(getattr(collected, "lead_harmful_severity_none", None) or [])
    found: list[Escalation] = []
    keys: set[str] = set()  # a lead who also reviewed the passage at that severity: once
    for row, ann, role in answers:
        # the severity as chosen: export reads one contradicting the categories as none
        # given (``severity`` empty, ``severity_answered`` kept), but an escalation is not
        # dropped for it; it is marked (a lead's answer keeps its severity as given)
        sev = ann.get("severity_answered", ann.get("severity")) or ""
        if sev not in levels:
            continue
        if role == "reviewer":
            contradiction = contradiction_of(ann, tax.no_harm_severity)
        elif row["id"] in lead_without_harm:
            contradiction = SEVERITY_WITHOUT_HARM
        else:
            contradiction = HARMFUL_SEVERITY_NONE if row["id"] in lead_harm_none else None
        # below the floor: only a harmful category at `none`, whose level nobody gave
        if levels.index(sev) < floor and contradiction != HARMFUL_SEVERITY_NONE:
            continue
        when, answered = _last_touched(ann)
        if start is not None and answered is not None and answered < start:
            continue
        esc = Escalation(
            passage=row["id"],
            doc_id=row["doc_id"],
            source=row["source"],
            reviewer=ann["reviewer"],
            severity=sev,
            categories=list(ann["categories"]),
            answered_at=when,
            text=row["text"],
            role=role,
            **_also_in(row.get("exact_copies")),
            lead_decision=_lead_decision(row) if role == "reviewer" else None,
            contradiction=contradiction,
        )
        if esc.key not in sent and esc.key not in keys:
            keys.add(esc.key)
            found.append(esc)
    # oldest first as times, not text: the server's stamps vary in form
    return sorted(found, key=lambda e: (time_order(e.answered_at), e.passage, e.reviewer))


def check_webhook(webhook: str) -> None:
    """An InputError unless ``webhook`` is an http(s) URL with a host."""
    if not webhook.startswith(("http://", "https://")) or not urlparse(webhook).hostname:
        raise InputError(
            f"--webhook {webhook!r} is not an http(s) URL.",
            fix="pass the receiver's full URL, e.g. https://hooks.example.org/annotate.",
        )


def deliver(
    project: str, escalations: list[Escalation], webhook: str, *, timeout: float = 30.0
) -> tuple[int, list[str]]:
    """POST each escalation to ``webhook`` once; returns (delivered, errors): one line per
    escalation that could not be delivered (logged at debug level only; the caller
    reports them).

    ``timeout``: seconds per request. When the receiver cannot be reached (connection
    refused or no answer within ``timeout``: ``httpx.ConnectError`` or
    ``httpx.TimeoutException``), the rest are not attempted (each gets a "not attempted"
    line) and stay for the next run: a host that drops packets would otherwise cost
    ``timeout`` seconds per escalation. A receiver that answers with an HTTP error is
    tried for each escalation (the error may be about one payload)."""
    check_webhook(webhook)
    path = _state_path(project)
    sent = _load(path)
    delivered, errors = 0, []
    unreachable: str | None = None  # why the receiver is not tried again this run
    with httpx.Client(timeout=timeout) as http:
        for esc in escalations:
            if esc.key in sent:
                continue
            if unreachable is not None:
                errors.append(f"{esc.passage} ({esc.reviewer}): not attempted ({unreachable})")
                continue
            body: dict[str, Any] = {"project": project, **asdict(esc)}
            try:
                resp = http.post(webhook, json=body)
                resp.raise_for_status()
            except httpx.HTTPError as exc:
                # httpx's status error adds a second line (a link to MDN's page on the
                # status): the first says it all, and the CLI prints one line each
                # in words, then httpx's own first line (the URL, the status text)
                why = next(iter(str(exc).splitlines()), "")
                errors.append(f"{esc.passage} ({esc.reviewer}): {transport_reason(exc)}: {why}")
                # returned to the caller, who reports it (the CLI prints one line each): a
                # warning here printed every failure twice
                log.debug("escalation of %s failed: %s", esc.passage, exc)
                if isinstance(exc, httpx.ConnectError | httpx.TimeoutException):
                    unreachable = f"the receiver could not be reached: {transport_reason(exc)}"
                continue
            sent[esc.key] = str(esc.answered_at)
            _save(path, sent)  # after each: an interrupted run never posts twice
            delivered += 1
    return delivered, errors
