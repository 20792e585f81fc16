"""Which reviewers' answers were made or changed after ``NAME · adjudication`` showed
their passage's answers (the manifest's ``review.mode.adjudication_exposure``).

Label Studio Community lists every project to every member of the organization, so a
reviewer can open the adjudication project, where each disputed passage's task shows
every reviewer's answer by pseudonym (and a reviewer knows their own from their queue's
title). A passage counts as *shown* from its first task's ``created_at`` there
(`annotate adjudicate` never deletes such a task; a later run only brings it up to
date). A reviewer's answer counts as *after exposure* when Label Studio's ``created_at``
of the answer (made after) or its ``updated_at`` (changed after: Label Studio sets it on
every save of the answer, an update submitted unchanged included; a draft is a record
of its own and leaves it, and Community has no review step that saves it) is later than
that time. Such an answer could have been influenced by another reviewer's; one made
before cannot.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

RULE = (
    "a reviewer's answer (its latest, in their queue) whose Label Studio created_at "
    "(made) or updated_at (changed: any save of the answer; a draft alone does not count) "
    "is later than the created_at of its passage's first task in the adjudication "
    "project, which showed every member the passage's answers by pseudonym"
)


def instant(stamp: object) -> datetime | None:
    """A Label Studio time (ISO 8601; ``Z`` or an offset; naive read as UTC) as an
    aware datetime; None when missing or unreadable."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _made_or_changed_after(ann: Mapping[str, Any], moment: datetime) -> str | None:
    """ "made" when the answer was created after ``moment`` (aware), "changed" when only
    saved again after it, None otherwise (or when Label Studio gave no stamps)."""
    made, saved = instant(ann.get("created_at")), instant(ann.get("updated_at"))
    if made is not None and made > moment:
        return "made"
    if saved is not None and saved > moment:
        return "changed"
    return None


def first_shown(tasks: Iterable[tuple[str, object]]) -> dict[str, str]:
    """Passage id -> the earliest ``created_at`` of its tasks in the adjudication project,
    from ``(passage id, created_at)`` pairs (tasks without a readable time are left out)."""
    out: dict[str, tuple[datetime, str]] = {}
    for passage, stamp in tasks:
        moment = instant(stamp)
        if moment is None:
            continue
        if passage not in out or moment < out[passage][0]:
            out[passage] = (moment, str(stamp))
    return {p: stamp for p, (_, stamp) in sorted(out.items())}


def after_exposure(rows: Sequence[Mapping[str, Any]], shown: Mapping[str, str]) -> dict[str, Any]:
    """The record of answers made or changed after their passage was shown.

    ``rows``: corpus rows (``id``, ``annotations`` with ``reviewer``, ``created_at``,
    ``updated_at``); ``shown``: :func:`first_shown`. Returns ``{"rule", "adjudication_
    started_at" (the first task's time, None: no adjudication project or no task yet),
    "passages_shown" (count), "answers_after_exposure" (count), "passages" (ids, sorted),
    "by_reviewer" ({pseudonym: {"answers", "made", "changed", "passages"}} for every
    reviewer with an answer in ``rows``), "answers" ([{"passage", "reviewer", "what":
    "made"|"changed", "at", "shown_at"}])}``."""
    answers: list[dict[str, Any]] = []
    reviewers: set[str] = set()
    for row in rows:
        for ann in row.get("annotations") or []:
            reviewers.add(str(ann["reviewer"]))
            at = shown.get(str(row["id"]))
            seen = instant(at)
            if seen is None:
                continue
            what = _made_or_changed_after(ann, seen)
            if what is not None:
                answers.append(
                    {
                        "passage": str(row["id"]),
                        "reviewer": str(ann["reviewer"]),
                        "what": what,
                        "at": str(ann.get("updated_at") or ann.get("created_at")),
                        "shown_at": at,
                    }
                )
    answers.sort(key=lambda a: (a["passage"], a["reviewer"]))
    by: dict[str, dict[str, Any]] = {}
    for name in sorted(reviewers):
        mine = [a for a in answers if a["reviewer"] == name]
        by[name] = {
            "answers": len(mine),
            "made": sum(a["what"] == "made" for a in mine),
            "changed": sum(a["what"] == "changed" for a in mine),
            "passages": sorted({a["passage"] for a in mine}),
        }
    started = min(shown.values(), key=lambda s: instant(s) or datetime.max) if shown else None
    return {
        "rule": RULE,
        "adjudication_started_at": started,
        "passages_shown": len(shown),
        "answers_after_exposure": len(answers),
        "passages": sorted({a["passage"] for a in answers}),
        "by_reviewer": by,
        "answers": answers,
    }


LATE_RULE = (
    "a reviewer's answer (its latest, in their queue) whose Label Studio created_at (made) "
    "or updated_at (changed: any save) is later than the time given: the start of "
    "adjudication (the first task of the adjudication project, when the round closed) or "
    "the previous export in the same folder; an answer made after it, by a reviewer with no "
    "answer on the passage by then, on a passage that had fewer answers by then than the "
    "review set's reviewers per passage (reviewers_per_task, K: a batch pushed since, a "
    "passage nobody had reached, or a task still open then), or no answer when K is not "
    "known, is new work, counted apart (new_answers), not a late change: there was no "
    "vote to reopen. An answer changed after it, or made on a passage that had K answers "
    "by then, is a late change"
)
LATE_LISTED = 20  # late answers named in the manifest (the rest counted)


# what an earlier record of the same export that names an answer is called in words, for
# a later record's sentence (``said_in``, :func:`late_changes`): each change is said once
SAID_IN = {
    "adjudication_exposure": "after the adjudication project showed their passage",
    "answers_changed_after_round": "after adjudication started",
}


def _late_and_new(
    rows: Sequence[Mapping[str, Any]], moment: datetime, k: int | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The answers made or changed after ``moment`` that are late changes
    (``{"passage", "reviewer", "what", "at"}``), and the passage id of each answer made
    after it that is new work: made by a reviewer with no answer on the passage by then,
    on a passage with fewer than ``k`` answers by then (no answer when ``k`` is None):
    see :func:`late_changes`."""
    late: list[dict[str, Any]] = []
    new: list[str] = []
    for row in rows:
        answers = list(row.get("annotations") or [])
        # answers the passage had by then (an unreadable created_at counts as one: kept late)
        before = [
            ann
            for ann in answers
            if (made := instant(ann.get("created_at"))) is None or made <= moment
        ]
        # a vote could be taken on the passage only once it had K answers (any, K unknown)
        open_then = len(before) < k if k else not before
        had = {str(ann.get("reviewer")) for ann in before}
        for ann in answers:
            what = _made_or_changed_after(ann, moment)
            if what == "made" and open_then and str(ann.get("reviewer")) not in had:
                new.append(str(row["id"]))
            elif what is not None:
                late.append(
                    {
                        "passage": str(row["id"]),
                        "reviewer": str(ann["reviewer"]),
                        "what": what,
                        "at": str(ann.get("updated_at") or ann.get("created_at")),
                    }
                )
    return late, new


def late_changes(
    rows: Sequence[Mapping[str, Any]],
    since: object,
    said_above: Mapping[tuple[str, str], str] | None = None,
    reviewers_per_task: int | None = None,
) -> dict[str, Any] | None:
    """Answers made or changed after ``since`` (a Label Studio time; None: no such time,
    the record is None), on any passage, shown in the adjudication project or not: an
    answer edited after the round closed (or after an earlier export) can reopen a vote
    the lead or an earlier export took as settled (passD51 D8).

    An answer made after ``since`` (its ``created_at`` later), by a reviewer with no answer
    on the passage by then, on a passage that had fewer answers by then than
    ``reviewers_per_task`` (the review set's K: a later batch pushed into the same review
    set, a passage nobody had reached, or a task still open then, which the earlier export
    told the user to answer and export again; newuser63 #6) is new work, not a late
    change: no vote on that passage existed to reopen (passI53 I3). With
    ``reviewers_per_task`` None (not known) only a passage with no answer by then counts
    (the rule before K was known here). Such answers are counted apart (``new_answers``,
    ``new_passages``) and are in none of the other fields. An answer changed after
    ``since`` (``updated_at`` later, ``created_at`` not), and one made on a passage that
    had K answers or more by then, stay late changes. A passage's answers by then are
    those with a ``created_at`` at or before ``since``, or none readable (so an answer
    without a readable ``created_at`` counts as one, and its change as late).

    ``said_above``: (passage, reviewer) of answers an earlier record of the same export
    names (:func:`late_answer_keys`), with that record's key (:data:`SAID_IN`): the
    adjudication exposure's (review.mode.adjudication_exposure) for the round's record,
    and the round's too for the one since the previous export. They stay in the counts
    (the record is the whole fact), are marked ``said_in`` in ``listed`` (listed after the
    others) and counted in ``said_above`` ({record key: answers}), so the warnings and the
    report say each change once (passH53 H10: one changed answer was two warnings).

    Returns ``{"rule", "since", "answers", "made", "changed", "passages" (ids, sorted),
    "by_reviewer" ({pseudonym: answers}), "listed" (the first :data:`LATE_LISTED`
    ``{"passage", "reviewer", "what", "at"}``, ``"said_in"`` too for those said above),
    "said_above", "new_answers", "new_passages" (count), "reviewers_per_task" (the K the
    rule used; None: not known)}``."""
    moment = instant(since)
    if moment is None:
        return None
    late, new = _late_and_new(rows, moment, reviewers_per_task)
    above: dict[str, int] = {}
    for a in late:
        if (where := (said_above or {}).get((a["passage"], a["reviewer"]))) is not None:
            a["said_in"] = where
            above[where] = above.get(where, 0) + 1
    late.sort(key=lambda a: ("said_in" in a, a["passage"], a["reviewer"]))
    by: dict[str, int] = {}
    for a in late:
        by[a["reviewer"]] = by.get(a["reviewer"], 0) + 1
    return {
        "rule": LATE_RULE,
        "since": str(since),
        "answers": len(late),
        "made": sum(a["what"] == "made" for a in late),
        "changed": sum(a["what"] == "changed" for a in late),
        "passages": sorted({a["passage"] for a in late}),
        "by_reviewer": dict(sorted(by.items())),
        "listed": late[:LATE_LISTED],
        # of ``answers``, those an earlier record names, by that record (said there only)
        "said_above": above,
        # answers made after ``since`` on passages short of K answers then: new work
        "new_answers": len(new),
        "new_passages": len(set(new)),
        # K of the rule (None: not known, so only passages with no answer then were new)
        "reviewers_per_task": reviewers_per_task,
    }


def late_answer_keys(
    record: Mapping[str, Any] | None, rows: Sequence[Mapping[str, Any]]
) -> set[tuple[str, str]]:
    """(passage, reviewer) of every answer a late-changes record (:func:`late_changes`)
    or an exposure record (:func:`after_exposure`) counts, all of them (``listed`` holds
    the first only): read again from ``rows`` at the record's ``since`` (and with its
    ``reviewers_per_task``) for a late one."""
    if not record:
        return set()
    if "answers_after_exposure" in record:
        return {(str(a["passage"]), str(a["reviewer"])) for a in record.get("answers") or []}
    moment = instant(record.get("since"))
    if moment is None:
        return set()
    k = record.get("reviewers_per_task")
    late = _late_and_new(rows, moment, k if isinstance(k, int) else None)[0]
    return {(a["passage"], a["reviewer"]) for a in late}


def round_closed_at(shown: Mapping[str, str]) -> str | None:
    """When adjudication started: the earliest time of :func:`first_shown` (None: no
    adjudication task)."""
    times = [(m, s) for s in shown.values() if (m := instant(s)) is not None]
    return min(times)[1] if times else None


def _listed_answers(listed: Sequence[Mapping[str, Any]], n: int, limit: int) -> str:
    """The first ``limit`` of a late-changes record's ``listed`` answers in words
    ("p1 by r-1 (changed), ..."), with "and K more" for the rest of its ``n``."""
    said = [f"{a['passage']} by {a['reviewer']} ({a['what']})" for a in listed[:limit]]
    more = n - len(said)
    return ", ".join(said) + (f" and {more} more" if more > 0 else "")


def late_sentence(record: Mapping[str, Any] | None, after: str, limit: int = 5) -> str:
    """A late-changes record (:func:`late_changes`) in words ("" when it holds none):
    ``after`` names the moment ("adjudication started at T"). First answers to passages
    nobody had answered by then are not in it (:func:`new_work_sentence`)."""
    if not record or not record.get("answers"):
        return ""
    above = {k: int(v) for k, v in (record.get("said_above") or {}).items() if v}
    n = int(record["answers"]) - sum(above.values())
    if n <= 0:  # each one said already (the exposure's warning, the round's)
        return ""
    listed = [a for a in record["listed"] if "said_in" not in a]
    besides = ""
    if above:
        said = " and ".join(f"{k} {SAID_IN.get(w, w)}" for w, k in above.items())
        besides = f", besides the {sum(above.values())} said above ({said})"
    return (
        f"{n} answer{'' if n == 1 else 's'} {'was' if n == 1 else 'were'} made or changed "
        f"after {after} on passages already answered then "
        f"({_listed_answers(listed, n, limit)}){besides}: "
        f"late change{'' if n == 1 else 's'} that can reopen a vote taken as settled"
    )


def new_work_sentence(record: Mapping[str, Any] | None, after: str) -> str:
    """The first answers a late-changes record (:func:`late_changes`) counts apart, in
    words ("" when none, or a record made before they were counted): ``after`` names the
    moment, as for :func:`late_sentence`. A record with its K (``reviewers_per_task``)
    says the passages had fewer than K answers then; one without (K not known, or made
    before K was recorded) that no reviewer had answered them."""
    n = int((record or {}).get("new_answers") or 0)
    if not n:
        return ""
    p = int((record or {}).get("new_passages") or 0)
    k = (record or {}).get("reviewers_per_task")
    if isinstance(k, int) and k > 1:
        return (
            f"{n} new answer{'' if n == 1 else 's'} since {after}: first answers of their "
            f"reviewers to {p} passage{'' if p == 1 else 's'} that had fewer than {k} answers "
            "then (a batch pushed since, passages not reached yet, or tasks still open then), "
            "new work with no vote to reopen"
        )
    return (
        f"{n} new answer{'' if n == 1 else 's'} since {after}: first answers to {p} "
        f"passage{'' if p == 1 else 's'} that no reviewer had answered then (a batch pushed "
        "since, or passages not reached yet), new work with no vote to reopen"
    )


def exposure_sentence(record: Mapping[str, Any], limit: int = 10) -> str:
    """The answers after exposure in words: ``doc-a-p1 by r-1 (changed), ...`` (at most
    ``limit``, then how many more)."""
    listed = [f"{a['passage']} by {a['reviewer']} ({a['what']})" for a in record["answers"][:limit]]
    more = len(record["answers"]) - len(listed)
    return ", ".join(listed) + (f" and {more} more" if more > 0 else "")


def blind_answers(
    rows: Sequence[Mapping[str, Any]], record: Mapping[str, Any] | None
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """``rows`` with only the answers made before their passage was shown: each answer
    :func:`after_exposure`'s ``record`` lists (by passage and reviewer) is taken out of its
    row's ``annotations``; the rows' resolved labels stay. Agreement compares independent
    answers, and Label Studio Community keeps no earlier version of a changed answer (one
    record per answer, overwritten on every save, with ``created_at`` and ``updated_at``
    only), so an answer made or changed after another reviewer's answer was on show cannot
    be counted, nor replaced by what it said before.

    Returns the rows (the same objects where nothing is taken out) and what was left out
    (None when ``record`` is None: no review set, or an export made before the record):
    ``{"rule", "answers" (count), "passages" (ids with an answer taken out, sorted),
    "passages_without_two_blind_answers" (those of them answered by two reviewers or more
    that now have fewer, so out of every pairwise figure), "by_reviewer" ({pseudonym:
    answers})}``."""
    if record is None:
        return [dict(r) for r in rows], None
    late = {(str(a["passage"]), str(a["reviewer"])) for a in record.get("answers") or []}
    out: list[dict[str, Any]] = []
    dropped: list[tuple[str, str]] = []
    fewer: list[str] = []
    for row in rows:
        pid = str(row["id"])
        answers = list(row.get("annotations") or [])
        kept = [a for a in answers if (pid, str(a["reviewer"])) not in late]
        if len(kept) == len(answers):
            out.append(dict(row))
            continue
        dropped += [(pid, str(a["reviewer"])) for a in answers if (pid, str(a["reviewer"])) in late]
        if len(answers) >= 2 > len(kept):
            fewer.append(pid)
        out.append({**row, "annotations": kept})
    by: dict[str, int] = {}
    for _, name in sorted(dropped, key=lambda d: d[1]):
        by[name] = by.get(name, 0) + 1
    return out, {
        "rule": f"left out: {RULE}",
        "answers": len(dropped),
        "passages": sorted({p for p, _ in dropped}),
        "passages_without_two_blind_answers": sorted(fewer),
        "by_reviewer": by,
    }


def left_out_sentence(entry: Mapping[str, Any] | None, figures: str = "these figures") -> str:
    """The answers :func:`blind_answers` left out of the agreement figures, in words (""
    when none): how many, on which passages, how many passages that leaves without two
    blind answers, and which way that leans the figures (``figures``: what they are left
    out of)."""
    if not entry or not entry.get("answers"):
        return ""
    n, passages = int(entry["answers"]), list(entry.get("passages") or [])
    fewer = len(entry.get("passages_without_two_blind_answers") or [])
    shown = ", ".join(passages[:5]) + (
        f" and {len(passages) - 5} more" if len(passages) > 5 else ""
    )
    sentence = (
        f"{n} answer{'' if n == 1 else 's'} made or changed after the adjudication project "
        f"showed {'its' if n == 1 else 'their'} passage's answers (not blind: {shown}) "
        f"{'is' if n == 1 else 'are'} left out of {figures}"
    )
    if fewer:
        sentence += (
            f"; {fewer} passage{'' if fewer == 1 else 's'} no longer "
            f"{'has' if fewer == 1 else 'have'} two blind answers and "
            f"{'is' if fewer == 1 else 'are'} out of them. Those passages were disputed when "
            "adjudication showed them, so "
            "the figures leave disagreements out and likely read higher than the round's "
            "blind agreement"
        )
    return sentence + "."


def agreed_only_after_shown(
    passage: str,
    answers: Sequence[Mapping[str, Any]],
    shown_at: str | None,
    *,
    category_order: Sequence[str],
    severity_levels: Sequence[str],
    not_offered: Mapping[str, Collection[str]] | None = None,
) -> list[dict[str, Any]]:
    """The answers (:func:`after_exposure`'s entries: ``reviewer``, ``what`` "made" or
    "changed", ``at``) made or changed after the adjudication project showed ``passage``
    (at ``shown_at``) that are all its reviewers' agreement rests on; [] when it does not
    rest on them.

    ``answers``: a corpus row's ``annotations`` now (``reviewer``, ``categories``,
    ``severity``, ``created_at``, ``updated_at``). A passage is only ever shown because it
    was disputed; its dispute ended *only* through a not-blind answer (one that could copy
    another reviewer's, read there: the capitulation case) when two answers or more agree
    now, at least one of them came after ``shown_at``, and the answers made before it
    (blind) do not agree by themselves: fewer than two, or still disputed
    (:func:`annotate.corpus.resolve.disputed`). [] also when it was never shown
    (``shown_at`` None), when it is disputed now, and when one answer or none is left (a
    dispute ended by a deleted answer: blind, whatever the answer left). ``not_offered``
    (the manifest's ``labels_not_offered``): answers do not vote on categories their
    config did not offer."""
    from annotate.corpus.resolve import disputed, unoffered_of

    def split(anns: Sequence[Mapping[str, Any]]) -> bool:
        return len(anns) >= 2 and disputed(
            [a["categories"] for a in anns],
            [a["severity"] for a in anns],
            category_order=category_order,
            severity_levels=severity_levels,
            unoffered=unoffered_of(anns, not_offered),
        )

    if shown_at is None or len(answers) < 2 or split(answers):
        return []
    record = after_exposure([{"id": passage, "annotations": answers}], {passage: shown_at})
    late = {str(a["reviewer"]) for a in record["answers"]}
    if not late:
        return []
    blind = [a for a in answers if str(a["reviewer"]) not in late]
    if len(blind) >= 2 and not split(blind):
        return []
    return list(record["answers"])


def changed_answers_sentence(late: Sequence[Mapping[str, Any]]) -> str:
    """``r-ben changed their answer, r-cy answered``: :func:`agreed_only_after_shown`'s
    answers in words."""
    return ", ".join(
        f"{a['reviewer']} {'answered' if a['what'] == 'made' else 'changed their answer'}"
        for a in late
    )


def late_gold_changes(
    gold_rows: Sequence[Mapping[str, Any]], since: object
) -> dict[str, Any] | None:
    """Gold answers made or changed after ``since``, by the rule of :func:`late_changes`
    (None: no such time): the ``gold`` entry of a late-changes record (passH53 H7). A gold
    answer reopens no vote, but it moves its reviewer's gold accuracy, which an export
    made before and one made after then report differently. ``{"answers", "made",
    "changed", "passages", "by_reviewer", "listed"}`` as :func:`late_changes` gives them."""
    record = late_changes(gold_rows, since)
    if record is None:
        return None
    # gold tasks go to every reviewer, not K of them: the rule without K, which it omits
    return {k: v for k, v in record.items() if k not in ("rule", "since", "reviewers_per_task")}


def late_gold_sentence(record: Mapping[str, Any] | None, after: str, limit: int = 5) -> str:
    """The gold entry of a late-changes record (:func:`late_gold_changes`) in words (""
    when it holds none)."""
    gold = (record or {}).get("gold") or {}
    if not gold.get("answers"):
        return ""
    n = int(gold["answers"])
    return (
        f"{n} gold answer{'' if n == 1 else 's'} {'was' if n == 1 else 'were'} made or "
        f"changed after {after} ({_listed_answers(gold['listed'], n, limit)}): "
        "the reviewers' gold accuracy counts the answer as it is now, not as it was then"
    )
