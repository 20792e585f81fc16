"""The report's provenance numbers: skips (the rows' ``skipped_by`` and the manifest's
counts, the lead's included), source-document hashes (the rows' ``document_sha256``), the
input files and rows the documents were read from (the rows' ``input_file``/``input_row``), the
ingest runs that cut the passages (the manifest's ``ingest_runs``) and the re-posts push
left out (the manifest's ``reposts``).

Each ``*_numbers`` function reads the exported rows (JSONL shape) and manifest and returns
plain dicts for ``report.json``; None where the export predates the field (not recorded,
never guessed). The ``*_lines`` functions turn them into the report's Markdown.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from annotate.audit.markdown import code_span, escape_markdown, markdown_table

Row = dict[str, Any]


def skip_numbers(rows: Sequence[Row], manifest: dict[str, Any]) -> dict[str, Any]:
    """``in_corpus`` (rows' ``skipped_by``: passages with a skip, and per pseudonym the
    passages each skipped; None for an export without the column), ``without_answer``
    (passages only skipped, not in the corpus: ``total`` and ``by`` pseudonym; either None
    when not recorded) and ``in_adjudication`` (the lead's skips; None: not recorded, or no
    adjudication project)."""
    # an empty corpus has nothing to count, which is not "not recorded"
    per_row = not rows or any("skipped_by" in r for r in rows)
    by = Counter(who for r in rows for who in r.get("skipped_by") or [])
    review = manifest.get("review") or {}
    return {
        "in_corpus": {
            "passages": sum(bool(r.get("skipped_by")) for r in rows),
            "by": dict(sorted(by.items())),
        }
        if per_row
        else None,
        "without_answer": {
            "total": manifest.get("passages_skipped_without_answer"),
            "by": manifest.get("passages_skipped_without_answer_by"),
        },
        "in_adjudication": review.get("skipped_in_adjudication"),
    }


def document_hash_numbers(rows: Sequence[Row], manifest: dict[str, Any]) -> dict[str, Any]:
    """Documents (``doc_id``, else the passage id) by whether their rows carry a
    ``document_sha256``: ``with_hash`` (every row), ``without_hash`` (no row), ``partly``
    (some rows), ``several_hashes`` (rows of two versions of the text), and the rows
    without one. ``left_out_by_export_redact``: export --redact wrote the column null.
    ``{"recorded": False}`` for an export whose rows lack the column (an empty corpus
    counts zeros: no row to lack it)."""
    if rows and not any("document_sha256" in r for r in rows):
        return {"recorded": False}
    hashes: dict[str, set[str]] = {}
    unhashed: Counter[str] = Counter()
    for r in rows:
        doc = str(r.get("doc_id") or r["id"])
        found = hashes.setdefault(doc, set())
        if r.get("document_sha256"):
            found.add(str(r["document_sha256"]))
        else:
            unhashed[doc] += 1
    record = manifest.get("document_sha256") or {}
    return {
        "recorded": True,
        "documents": len(hashes),
        "with_hash": sum(1 for d, h in hashes.items() if h and not unhashed[d]),
        "without_hash": sum(1 for h in hashes.values() if not h),
        "partly": sum(1 for d, h in hashes.items() if h and unhashed[d]),
        "several_hashes": sum(1 for h in hashes.values() if len(h) > 1),
        "rows_without": sum(unhashed.values()),
        "left_out_by_export_redact": bool(record.get("left_out_by_export_redact")),
    }


INPUT_FILES_SHOWN = 10  # the input files the report lists by name, most rows first


def input_file_numbers(rows: Sequence[Row], manifest: dict[str, Any]) -> dict[str, Any]:
    """Rows by whether they name the input file (``input_file``) and row of it
    (``input_row``) their document was read from: ``files`` (distinct input files),
    ``rows_with_file``, ``rows_with_row`` (of those, with a row: a table's; a text file is
    one document), ``rows_without`` (no file: ingested before ingest recorded it; never
    guessed), ``by_file`` (rows per file, most first, at most :data:`INPUT_FILES_SHOWN`),
    ``masked_by_export_redact`` (the manifest's ``input_files``) and, for an export that
    lists its input files beside the manifest, ``listed_in`` (that file's name); for one
    that lists the input files that gave no row (``input_files.files_without_rows``),
    ``without_rows`` (how many) and ``without_rows_first`` (the first few, ``FILE (why)``).
    ``{"recorded": False}`` for an export whose rows lack the column (an empty corpus
    counts zeros)."""
    if rows and not any("input_file" in r for r in rows):
        return {"recorded": False}
    files: Counter[str] = Counter(str(r["input_file"]) for r in rows if r.get("input_file"))
    record = manifest.get("input_files") or {}
    listing = record.get("listing") if isinstance(record, dict) else None
    return {
        "recorded": True,
        "files": len(files),
        "rows_with_file": sum(files.values()),
        "rows_with_row": sum(1 for r in rows if r.get("input_file") and r.get("input_row")),
        "rows_without": sum(1 for r in rows if not r.get("input_file")),
        "by_file": dict(sorted(files.items(), key=lambda kv: (-kv[1], kv[0]))[:INPUT_FILES_SHOWN]),
        "masked_by_export_redact": bool(record.get("masked_by_export_redact")),
        # input files no row names but the exact copies of a row's text do (ingest
        # dropped those copies: annotate.table_schemas exact_copies), the first few
        **_copies_only(rows, files),
        # input files of the ingest runs that gave no row, with why (the manifest's)
        **_without_rows(record),
        # table rows the ingest runs skipped for no text (the manifest's)
        **_rows_without_text(record),
        # the listing beside the manifest of a corpus from many input files
        **({"listed_in": str(listing.get("file"))} if isinstance(listing, dict) else {}),
    }


def _without_rows(record: Any) -> dict[str, Any]:
    """``without_rows`` and ``without_rows_first`` of the manifest's ``input_files``
    (``files_without_rows``: the input files the ingest runs read that gave no row, each
    with why); {} when it lists none (or an export made before it)."""
    return _counted_first(
        record,
        "files_without_rows",
        "files",
        "without_rows",
        lambda f: f"{f.get('file')} ({str(f.get('why') or '').split(':')[0]})",
    )


def _rows_without_text(record: Any) -> dict[str, Any]:
    """``rows_without_text`` (how many table rows the ingest runs skipped for no text) and
    ``rows_without_text_first`` (the first few, ``FILE ROW``) of the manifest's
    ``input_files``; {} when none was (or an export made before it was recorded)."""
    return _counted_first(
        record,
        "rows_without_text",
        "rows",
        "rows_without_text",
        lambda r: f"{r.get('input_file')} {r.get('input_row')}",
    )


def _counted_first(
    record: Any, entry: str, items: str, name: str, shown: Callable[[dict[str, Any]], str]
) -> dict[str, Any]:
    """``NAME`` (the count of the manifest ``input_files`` entry ``entry``) and
    ``NAME_first`` (its first five ``items``, each as ``shown`` writes it); {} when the
    entry counts none (or an export made before it was recorded)."""
    found = record.get(entry) if isinstance(record, dict) else None
    if not isinstance(found, dict) or not found.get("count"):
        return {}
    listed = [x for x in found.get(items) or [] if isinstance(x, dict)]
    return {name: int(found["count"]), f"{name}_first": [shown(x) for x in listed[:5]]}


def _copies_only(rows: Sequence[Row], files: Counter[str]) -> dict[str, Any]:
    """``copies_only`` (how many input files the rows' ``exact_copies`` name that no
    row's ``input_file`` does) and ``copies_only_first`` (the first few, by name); {} when
    there are none."""
    named: set[str] = set()
    for r in rows:
        recorded = r.get("exact_copies")
        if not recorded:
            continue
        try:
            copies = json.loads(str(recorded)).get("copies") or []
            named.update(str(c["input_file"]) for c in copies if c.get("input_file"))
        except (ValueError, AttributeError, TypeError):
            continue
    only = sorted(named - set(files))
    return {"copies_only": len(only), "copies_only_first": only[:5]} if only else {}


def ingest_run_numbers(rows: Sequence[Row], manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The manifest's ``ingest_runs`` (None: an export made before it), with the rows that
    name each run counted again from the rows (``rows_in_corpus``)."""
    recorded = manifest.get("ingest_runs")
    if not isinstance(recorded, dict):
        return None
    named = Counter(r.get("ingest_run") for r in rows)
    runs = [
        {**run, "rows_in_corpus": named.get(run.get("run"), 0)}
        for run in recorded.get("runs") or []
        if isinstance(run, dict)
    ]
    return {"runs": runs, "rows_without_record": recorded.get("rows_without_record")}


# ---- Markdown ----------------------------------------------------------------------------
def _by(by: dict[str, int] | None) -> str:
    if not by:
        return "nobody"
    return ", ".join(f"{who} ({n})" for who, n in by.items())


def skip_lines(n: dict[str, Any]) -> list[str]:
    """The skips in one paragraph: in-corpus passages, passages only skipped, the lead's."""
    out = []
    inside = n.get("in_corpus")
    if inside is None:
        out.append("Skips per passage: not recorded (an export made before `skipped_by`).")
    else:
        out.append(
            f"Passages in the corpus that a reviewer skipped (another answered them): "
            f"{inside['passages']}; skipped by (passages): {_by(inside['by'])}."
        )
    without = n.get("without_answer") or {}
    if without.get("total") is not None:
        who = (
            _by(without["by"])
            if without.get("by") is not None
            else "not recorded (an export made before it named them)"
        )
        out.append(
            f"Passages skipped and answered by nobody (not in the corpus): {without['total']}; "
            f"skipped by (passages): {who}."
        )
    lead = n.get("in_adjudication")
    if isinstance(lead, dict):
        out.append(
            f"Skipped by the lead in adjudication: {lead.get('tasks', 0)} task(s) "
            f"({lead.get('skips', 0)} skip(s)), {lead.get('passages_without_lead_answer', 0)} "
            f"not answered by a lead since ({_skipped_fate(lead)}); by (passages): "
            f"{_by(lead.get('by'))}."
        )
    return [" ".join(out), ""]


def _skipped_fate(lead: dict[str, Any]) -> str:
    """What decides the passages the lead skipped and no lead answered (manifest
    ``review.skipped_in_adjudication``): the reviewers' vote, but not where it is a tie."""
    n = int(lead.get("passages_without_lead_answer") or 0)
    tied = min(n, int(lead.get("passages_without_lead_answer_undecided") or 0))
    if not tied:
        return "the reviewers' vote decides them"
    if tied == n:
        return "undecided: their vote is a tie"
    return f"the reviewers' vote decides {n - tied}; {tied} undecided, their vote a tie"


def document_hash_lines(n: dict[str, Any]) -> list[str]:
    if not n.get("recorded"):
        return [
            "Source-document hashes: not recorded (an export made before `document_sha256`).",
            "",
        ]
    if n.get("left_out_by_export_redact"):
        return [
            f"Source-document hashes: left out by `export --redact` (a hash of the unmasked "
            f"document would confirm a masked value); {n['documents']} document(s).",
            "",
        ]
    line = (
        f"Source-document hashes (`document_sha256`): {n['documents']} document(s); "
        f"{n['with_hash']} with their hash on every row, {n['without_hash']} without one "
        f"(ingested before ingest recorded it), {n['partly']} on some rows only; "
        f"{n['rows_without']} row(s) without a hash."
    )
    if n["several_hashes"]:
        line += (
            f" {n['several_hashes']} document(s) have rows from more than one version of "
            "their text."
        )
    return [line, ""]


def input_file_lines(n: dict[str, Any]) -> list[str]:
    """Where the rows were read from (:func:`input_file_numbers`): one paragraph and the
    files with the most rows."""
    if not n.get("recorded"):
        return [
            "Input files: not recorded (an export made before `input_file` and `input_row`).",
            "",
        ]
    line = (
        f"Input files (`input_file`, `input_row`): {n['files']} file(s); "
        f"{n['rows_with_file']} row(s) name the input file their document was read from, "
        f"{n['rows_with_row']} of them the row or line in it (a text file is one document); "
        f"{n['rows_without']} row(s) name none (ingested before ingest recorded it)."
    )
    if n.get("masked_by_export_redact"):
        line += " File names are as `export --redact` masked them."
    if n.get("listed_in"):
        line += f" Every file, with its rows, is listed in `{n['listed_in']}`."
    if n.get("copies_only"):
        first = ", ".join(f"`{f}`" for f in n["copies_only_first"])
        more = ", ..." if n["copies_only"] > len(n["copies_only_first"]) else ""
        line += (
            f" {n['copies_only']} more input file(s) hold only exact copies of exported "
            f"passages' text, dropped at ingest and named in those rows' `exact_copies` "
            f"({first}{more})."
        )
    if n.get("without_rows"):
        first = ", ".join(f"`{f}`" for f in n["without_rows_first"])
        more = ", ..." if n["without_rows"] > len(n["without_rows_first"]) else ""
        line += (
            f" {n['without_rows']} input file(s) of the ingest runs gave no row ({first}{more}): "
            "the manifest's `input_files.files_without_rows` says why for each."
        )
    if n.get("rows_without_text"):
        first = ", ".join(f"`{f}`" for f in n["rows_without_text_first"])
        more = ", ..." if n["rows_without_text"] > len(n["rows_without_text_first"]) else ""
        line += (
            f" {n['rows_without_text']} table row(s) were skipped at ingest for having no "
            f"text ({first}{more}): the manifest's `input_files.rows_without_text` lists them."
        )
    by_file = n.get("by_file") or {}
    if not by_file:
        return [line, ""]
    more = n["files"] - len(by_file)
    return [
        line + (f" The {len(by_file)} with the most rows:" if more > 0 else ""),
        "",
        *markdown_table(["input file", "rows"], by_file.items()),
    ]


def ingest_run_lines(n: dict[str, Any] | None) -> list[str]:
    """The section on how the passages were cut (``## Ingest``)."""
    lines = ["## Ingest: how the passages were cut", ""]
    if n is None:
        return [
            *lines,
            "Not recorded: an export made before the manifest listed the ingest runs.",
            "",
        ]
    runs = n["runs"]
    missing = n.get("rows_without_record") or 0
    if not runs:
        lines += ["No exported passage carries an ingest record."]
    else:
        lines += [
            f"{len(runs)} ingest run(s) cut the exported passages (settings from each "
            "passage's `ingest_run`, pushed with it):",
            "",
            *_runs_table(runs),
        ]
        lines += _skipped_lines(runs)
        lines += _decoded_lines(runs)
    if missing:
        lines += [
            f"{missing} row(s) carry no ingest record (ingested before ingest recorded its "
            "settings, or not cut by `annotate ingest`): how they were cut is unknown.",
        ]
    return [*lines, ""]


# per list of files a run record holds (annotate.ingestion.record.LISTS): the field that
# qualifies each file, what the run did to them, and the note after it when the record
# holds the list's summary only / the list in full
_FILE_LISTS = {
    "skipped_files": (
        "problem",
        "left out {n} input file(s) it could not read as UTF-8 text (`--skip-bad-files`), "
        "or of a type it does not read in a folder given",
        "",
        " (the manifest's `ingest_runs` lists each with its SHA-256)",
    ),
    "decoded_files": (
        "encoding",
        "read {n} input file(s) that were not UTF-8 with the codec given to `--encoding` "
        "(or, a web page, the charset it declares)",
        "",
        " (their passages' text and character offsets are of that decoding; the manifest's "
        "`ingest_runs` lists each with the SHA-256 of its bytes)",
    ),
}


def _skipped_lines(runs: list[dict[str, Any]], shown: int = 5) -> list[str]:
    """A line per run that left input files out (``ingest --skip-bad-files``, and files of
    an unsupported type in a folder: the record's ``skipped_files``), naming the first
    ``shown`` with their problems."""
    return _file_list_lines(runs, "skipped_files", shown)


def _decoded_lines(runs: list[dict[str, Any]], shown: int = 5) -> list[str]:
    """A line per run that read input files that were not UTF-8 as its fallback codec
    (``ingest --encoding``: the record's ``decoded_files``), naming the first ``shown``
    with their codecs: their passages' text and offsets are of that decoding."""
    return _file_list_lines(runs, "decoded_files", shown)


def _file_list_lines(runs: list[dict[str, Any]], key: str, shown: int) -> list[str]:
    """A line per run whose record lists files under ``key`` (:data:`_FILE_LISTS`): in
    full, the first ``shown`` named; as the list's summary (the task holding the list was
    not pulled), their count and where the list is."""
    field_name, did, summary_note, listed_note = _FILE_LISTS[key]
    out = []
    for run in runs:
        recorded = run.get(key)
        if isinstance(recorded, dict):  # the summary: the task with the list not pulled
            if recorded.get("files"):
                out += [
                    "",
                    f"Run `{run.get('run')}` {did.format(n=recorded['files'])}{summary_note}; "
                    "their list is in the ingest output's first passage of the run, which "
                    "this corpus lacks.",
                ]
            continue
        files = [f for f in recorded or () if isinstance(f, dict)]
        if not files:
            continue
        named = ", ".join(
            f"{code_span(f.get('file'))} ({escape_markdown(str(f.get(field_name)))})"
            for f in files[:shown]
        )
        more = f" and {len(files) - shown} more" if len(files) > shown else ""
        out += [
            "",
            f"Run `{run.get('run')}` {did.format(n=len(files))}{listed_note}: {named}{more}.",
        ]
    return out


def _version(run: dict[str, Any]) -> str:
    """The release that cut a run, with the short git revision when it ran from a
    checkout (``0.1.0 (git 1a2b3c4)``; records before ``revision`` hold both in
    ``annotate_version``)."""
    version = str(run.get("annotate_version"))
    revision = str(run.get("revision") or "")
    if revision.startswith("git "):
        sha, _, dirty = revision[4:].partition(",")
        version += f" (git {sha[:7]}{', dirty' if dirty else ''})"
    return version


def _runs_table(runs: list[dict[str, Any]]) -> list[str]:
    header = ["run", "rows", "annotate", "max/min chars, splitter", "exact dups", "near dups",
              "redact", "inputs (files, sha256)", "previous runs", "corpus",
              "id prefix"]  # fmt: skip
    body = []
    for run in runs:
        s = run.get("settings") or {}
        threshold = s.get("near_dup_threshold")
        near = (
            "not searched"
            if threshold is None
            else f"{threshold}, {'dropped' if s.get('drop_near_duplicates') else 'marked'}"
        )
        inputs = run.get("inputs") or {}
        earlier = run.get("previous") or []
        if isinstance(earlier, dict):  # the summary: the task with the list not pulled
            previous = f"{earlier.get('files')} file(s), runs listed in the run's first passage"
        else:
            runs_of = (r for p in earlier if isinstance(p, dict) for r in p.get("runs") or [])
            previous = ", ".join(runs_of) or f"{len(earlier)} file(s)"
        body.append(
            [
                f"`{run.get('run')}`",
                run.get("rows"),
                _version(run),
                # ingest --no-turns (recorded only when off): conversations cut as prose;
                # the splitter's version (annotate.ingestion.splitter; none recorded: 1)
                f"{s.get('max_chars')}/{s.get('min_chars')}"
                + (", no turns" if s.get("turns") is False else "")
                + f", splitter {s.get('splitter', 1)}",
                "dropped" if s.get("drop_exact_duplicates") else "kept",
                near,
                ", ".join((s.get("redact") or {}).get("kinds") or []) or "no",
                # no backticks: mid-cell they are escaped, shown as \` in Markdown, ` in HTML
                f"{inputs.get('files')}, {str(inputs.get('sha256'))[:16]}",
                previous,
                run.get("corpus") or "-",  # ingest --corpus
                # ingest --id-prefix (recorded only when given), put before every document
                # id: a code span, as it may hold Markdown (a prefix "_a:" or "*x*")
                code_span(s["id_prefix"]) if s.get("id_prefix") else "-",
            ]
        )
    return markdown_table(header, body)


__all__ = [
    "document_hash_lines",
    "document_hash_numbers",
    "ingest_run_lines",
    "ingest_run_numbers",
    "input_file_lines",
    "input_file_numbers",
    "skip_lines",
    "skip_numbers",
]


REPOST_EXAMPLES = 5


def repost_numbers(manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The manifest's ``reposts`` (:func:`annotate.corpus.export_reposts.reposts_record`)
    without its full mapping: the counts, the tasks at the cap (``tasks_at_cap``: how
    many) and up to :data:`REPOST_EXAMPLES` ``examples`` ``{"passage_id", "repost_of"}``;
    None for an export made before it was recorded."""
    reposts = manifest.get("reposts")
    if not isinstance(reposts, dict):
        return None
    mapping = reposts.get("by_passage") or {}
    return {
        **{k: reposts.get(k) for k in ("passages", "texts", "texts_in_corpus", "pushed_later")},
        "max_listed_per_task": reposts.get("max_listed_per_task"),
        "tasks_at_cap": len(reposts.get("tasks_at_cap") or []),
        "examples": [
            {"passage_id": pid, "repost_of": (entry or {}).get("repost_of")}
            for pid, entry in list(mapping.items())[:REPOST_EXAMPLES]
        ],
    }


def repost_lines(n: dict[str, Any] | None) -> list[str]:
    """The re-posts push left out, in one paragraph (:func:`repost_numbers`)."""
    if n is None:
        return [
            "Re-posts left out by push: not recorded (an export made before the manifest's "
            "`reposts`).",
            "",
        ]
    if not n.get("passages"):
        line = "Re-posts left out by push: none recorded on the tasks read."
    else:
        texts, held = n.get("texts") or 0, n.get("texts_in_corpus") or 0
        shown = ", ".join(
            f"{code_span(e['passage_id'])} of {code_span(e['repost_of'])}" for e in n["examples"]
        )
        line = (
            f"Re-posts left out by push: {n['passages']} ingested passage(s) have no row "
            "because a task already held their exact text under another passage id (the "
            "same statement posted again under another document; `push --keep-reposts` "
            f"pushes them). They repeat {texts} passage(s), {held} of which are in the "
            "corpus" + (" (the rest gold or not answered yet)" if held < texts else "") + "; "
            f"`manifest.json` `reposts.by_passage` maps each to the passage and task it "
            f"repeats (e.g. {shown})."
        )
        if n.get("tasks_at_cap"):
            line += (
                f" {n['tasks_at_cap']} task(s) hold the most a task lists "
                f"({n.get('max_listed_per_task')}): later re-posts of their text, if any, are "
                "not listed."
            )
    if n.get("pushed_later"):
        line += (
            f" {n['pushed_later']} recorded re-post(s) were pushed later (`--keep-reposts`) "
            "and are passages of their own."
        )
    return [line, ""]
