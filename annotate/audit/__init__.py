"""Audit-ready exports: verification, the human-readable report, decision records, redaction.

One module per concern:

- :mod:`annotate.audit.verify` recomputes a corpus's checksums and row counts.
- :mod:`annotate.audit.corpus` reads an exported corpus back (the report's only input).
- :mod:`annotate.audit.report` / :mod:`annotate.audit.plots` write the report.
- :mod:`annotate.audit.decision_records` writes DSA-shaped statements of reasons.
- :mod:`annotate.audit.redact` masks personal data, keeping offsets consistent;
  :mod:`annotate.audit.placeholders` numbers a document's placeholders, and
  :mod:`annotate.audit.redact_export` masks export rows.
"""
