"""model_card.md for a trained encoder-head model, written from its config and metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

INTENDED_USE = """\
Pre-labeling passages for **human review** in Label Studio: the scores order the
review queue and the labels/spans are suggestions a reviewer confirms or corrects.
It is not meant to take moderation decisions on its own, and its scores are not
evidence about a person."""

LIMITATIONS = """\
- The public training sets are short English social-media posts about far-right
  hate; none separates news reporting or counter-speech from propaganda, and none
  contains jihadist propaganda. Those distinctions come only from the project-written
  examples, which are few: expect errors on genres and phrasings they do not cover.
- Public labels are noisy (Gab Hate Corpus: Fleiss kappa 0.28) and were mapped onto
  this taxonomy by rules (below); the mapping is an approximation.
- The encoder is frozen (all-MiniLM-L6-v2, English, 256 tokens max per passage);
  longer passages are truncated.
- Thresholds aim at recall >= 0.9 on harmful labels where validation shows that this
  keeps precision >= 0.5; otherwise (threat, incitement and propaganda on the noisy
  public sets) they fall back to max F1, so recall is well below 0.9 there.
- The public negatives contain many quoted or hypothetical "I'll kill you" phrasings
  labelled not-hate; blunt first-person threats are learnt from about 100 project-written
  examples only, so unusual phrasings of a direct threat can still score below the
  threshold. Threat and incitement recall on held-out data is far below 0.9.
- Counter-speech that opens like a report ("Since Saturday's stabbing we have seen
  messages saying ...") is often taken for news_reporting, and a two-sentence wire report
  of a group's threat statement can be taken for counter-speech or none (the two known
  misses of the regression fixtures).
- Inside a multi-passage document, the document context can pull one harmful reply in an
  otherwise ordinary thread below its threshold.
- The public test sets keep their natural class balance (no subsampling), so their
  precision reflects rare positives; project test sets are small (about 90 passages):
  their per-label figures have wide confidence intervals.
- Evidence spans are candidate sentences and quotations scored by a small head; they
  are coarse (whole sentences or whole quotations)."""


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def metrics_table(rep: dict[str, Any], labels: list[str]) -> list[str]:
    lines = [
        "| label | support | precision | recall | F1 | AUPRC | ECE |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in labels:
        m = rep["per_label"].get(name)
        if m is None or m["n"] == 0:
            continue
        lines.append(
            f"| {name} | {m['support']} | {_fmt(m['precision'])} | {_fmt(m['recall'])} | "
            f"{_fmt(m['f1'])} | {_fmt(m['auprc'])} | {_fmt(m['ece'])} |"
        )
    return lines


def context_lines(rep: dict[str, Any]) -> list[str]:
    out = []
    for c, v in rep.get("context_confusion", {}).items():
        if v["n"]:
            out.append(
                f"- gold `{c}` passages (no harmful gold label, n={v['n']}): "
                f"false-flag rate (any harmful label predicted) **{_fmt(v['false_flag_rate'])}**; "
                + ", ".join(f"{h} {_fmt(r)}" for h, r in v["harmful_label_rate"].items())
            )
    return out


def mapping_lines(mapping_path: str) -> list[str]:
    """The rules of a mapping file, one line each (first match wins)."""
    import yaml

    try:
        m = yaml.safe_load(Path(mapping_path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []
    out = [f"  Mapping `{Path(mapping_path).name}` (first matching rule wins):"]
    if m.get("description"):
        out.insert(0, f"  {' '.join(str(m['description']).split())}")
    for r in m.get("rules", []):
        when = ", ".join(f"{k}={v}" for k, v in (r.get("when") or {}).items()) or "any other row"
        if r.get("drop"):
            out.append(f"  - {when} -> dropped")
            continue
        extra = []
        if r.get("unknown"):
            extra.append("not supervised: " + ", ".join(r["unknown"]))
        if r.get("span"):
            extra.append(f"whole post = `{r['span']}` evidence")
        out.append(
            f"  - {when} -> {', '.join(r.get('labels', []))}"
            + (f" ({'; '.join(extra)})" if extra else "")
        )
    if m.get("unknown"):
        out.append(f"  - never supervised by this source: {', '.join(m['unknown'])}")
    if m.get("sample_train"):
        caps = ", ".join(f"{k} <= {v}" for k, v in m["sample_train"].items())
        out.append(f"  - training rows subsampled (seeded): {caps}; validation/test rows are not")
    return out


def recall_lines(rep: dict[str, Any], harmful: list[str]) -> list[str]:
    return [
        f"- recall of `{h}`: **{_fmt(rep['per_label'][h]['recall'])}** "
        f"(n={rep['per_label'][h]['support']}, precision {_fmt(rep['per_label'][h]['precision'])})"
        for h in harmful
        if rep["per_label"].get(h, {}).get("support")
    ]


def write_model_card(path: Path, config: dict[str, Any], version: str) -> None:
    tr = config["training"]
    met = config["metrics"]
    labels = config["labels"]
    lines = [
        f"# Model card: {config['name']}",
        "",
        f"- version: `{version}`",
        f"- kind: `{config['kind']}` (frozen encoder + context head); taxonomy "
        f"{config['taxonomy']['name']} {config['taxonomy']['version']}",
        f"- encoder: `{config['encoder']}` (mean pooling + L2), max {config['encoder_max_length']} "
        "tokens; the encoder weights are not stored here",
        f"- head: MLP, hidden {config['head']['hidden']}, over features `{config['features']}` "
        "(passage, neighbour-mean, title and document-mean embeddings + stylistic cues)",
        f"- trained {config['created_at']} on {tr['device']}, torch {tr['torch']}, "
        f"seed {tr['seed']}",
        "",
        "## Intended use",
        "",
        INTENDED_USE,
        "",
        "## Training data and label mapping",
        "",
    ]
    for d in tr["data"]:
        counts = "; ".join(
            f"{split}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items()))
            for split, c in sorted(d.get("label_counts", {}).items())
        )
        name = Path(d["path"]).name
        if d.get("name"):
            name = f"{d['name']}: {name}"
        lic = f", license {d['license']}" if d.get("license") else ""
        cite = f" — {d['citation']}" if d.get("citation") else ""
        mp = f", mapping `{Path(d['mapping']).name}`" if d.get("mapping") else ""
        lines.append(f"- **{name}** ({d['kind']}{mp}{lic}){cite}: {d['rows']} rows. {counts}")
        if d.get("mapping"):
            lines += mapping_lines(d["mapping"])
    lines += [
        "",
        "Public tables are mapped with the files in `models/mappings/` (each documents its "
        "choices); a mapped source supervises only the labels it can tell (the others are "
        "masked out of the loss). Project-written tables are split by document, stratified "
        "by label (70/15/15, seeded), so no document straddles two splits; mapped public "
        "tables by a seeded hash of the text (Gab: its own test file is the test split). "
        "The labels.yaml examples and the own-voice evidence spans cut out of training "
        "passages are extra training rows only.",
        "",
        "## Calibration and thresholds (fitted on the validation split only)",
        "",
        "Per-label Platt scaling of the head's logits, then per-label thresholds: "
        f"harmful labels at recall >= {config['operating_point']['harmful_min_recall']} with "
        f"precision >= {config['operating_point']['harmful_min_precision']} where reachable "
        "(else the F1 rule); context labels by the F1 rule: "
        + (
            "half the maximal validation F1 (the F1-optimal threshold for calibrated scores, "
            "Lipton et al. 2014; steadier than the arg-max on a small validation split). "
            if config["operating_point"].get("half_max_f1")
            else "the arg-max of validation F1. "
        )
        + "`none` is predicted exactly when no other label fires.",
        "",
        "| label | threshold | rule |",
        "|---|---|---|",
    ]
    for name in labels:
        lines.append(
            f"| {name} | {config['thresholds'][name]} | {met['threshold_rules'].get(name, '')} |"
        )
    test = met.get("test")
    lines += [
        "",
        "## Held-out results (test split: never used for training, calibration or thresholds)",
        "",
    ]
    if test is None:
        lines.append("No test split was available.")
    else:
        lines += [f"All test sources together (n={test['n']}):", ""]
        lines += metrics_table(test, labels)
        lines += [
            "",
            f"Macro F1 {_fmt(test['macro_f1'])}; expected calibration error {_fmt(test['ece'])}.",
            "",
        ]
        lines += context_lines(test)
        lines += recall_lines(test, config["harmful"])
        for src, rep in test.get("by_source", {}).items():
            lines += ["", f"### Test: {src} (n={rep['n']})", ""]
            lines += metrics_table(rep, labels)
            cl = context_lines(rep) + recall_lines(rep, config["harmful"])
            if cl:
                lines += ["", *cl]
    sp = met.get("spans", {})
    if sp.get("trained"):
        lines += [
            "",
            "## Evidence spans",
            "",
            f"Span head trained on {sp['n_train']} candidate segments; validation "
            f"({sp['n_validation']} segments) at the chosen thresholds:",
            "",
            "| span label | support | threshold | precision | recall | F1 |",
            "|---|---|---|---|---|---|",
        ]
        for name, v in sp["validation"].items():
            lines.append(
                f"| {name} | {v['support']} | {v['threshold']} | {_fmt(v['precision'])} | "
                f"{_fmt(v['recall'])} | {_fmt(v['f1'])} |"
            )
    lines += ["", "## Known limitations", "", LIMITATIONS, ""]
    (path / "model_card.md").write_text("\n".join(lines), encoding="utf-8")
