"""`annotate evaluate`: a model + labeled data -> report.md, report.json and plots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from annotate._util.paths import require_out_apart
from annotate.cli.app import (
    Bars,
    DataRootOpt,
    LabelsOpt,
    QuietOpt,
    ThreadsOpt,
    above_zero,
    app,
    counted,
    echo,
    note,
)


@app.command("evaluate")
def evaluate_cli(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="Report directory to write.")],
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            help="An `annotate export` directory, a table with text + labels, or (with "
            "--mapping) any labeled table. Repeatable.",
        ),
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            help="Model directory or HF hub id (default: models/default). Twice (A, then B): "
            "compare the two on the same passages (comparison.md/.json, flips.jsonl).",
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(help="Mapping file for --data tables in a foreign format.", dir_okay=False),
    ] = None,
    split: Annotated[
        str,
        typer.Option(
            help="Which split to score: all, train, validation or test (exports carry splits; "
            "project tables are split by document with --seed, as in training)."
        ),
    ] = "all",
    seed: Annotated[
        int | None,
        typer.Option(
            help="Seed of the document split of project tables (default: the seed the "
            "model was trained with, else 13)."
        ),
    ] = None,
    cross_source: Annotated[
        bool,
        typer.Option(
            "--cross-source",
            help="Instead of scoring a model: hold each public source of --config out in "
            "turn, train on the rest, score it; the config's recipe and the frozen-encoder "
            "+ logistic-regression baseline side by side (cross_source.json/.md).",
        ),
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(help="Training config for --cross-source.", dir_okay=False),
    ] = None,
    data_root: DataRootOpt = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            help="--cross-source: hold out only these public sources (the names of the "
            "config's mapping files, e.g. crisislex-t26).",
        ),
    ] = None,
    fold_train_rows: Annotated[
        int | None,
        typer.Option(
            min=1, help="--cross-source: training rows per source and fold (cap; default all)."
        ),
    ] = None,
    fold_valid_rows: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="--cross-source: validation rows per source and fold (cap; default all).",
        ),
    ] = None,
    fold_train_total: Annotated[
        int | None,
        typer.Option(min=1, help="--cross-source: training rows per fold in all (seeded sample)."),
    ] = None,
    fold_eval_rows: Annotated[
        int | None,
        typer.Option(
            min=1, help="--cross-source: scored rows of the held-out source (cap; default all)."
        ),
    ] = None,
    fold_epochs: Annotated[
        float | None,
        typer.Option(
            callback=above_zero,
            help="--cross-source: fine-tuning epochs per fold, above 0 (default: the config's).",
        ),
    ] = None,
    baseline_only: Annotated[
        bool, typer.Option(help="--cross-source: only the frozen-encoder baseline.")
    ] = False,
    labels_file: LabelsOpt = None,
    threads: ThreadsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Score labeled passages with a model and write a report (metrics at the model's
    thresholds, AUPRC, calibration, context-vs-harmful confusion, PR curves); or, with
    --cross-source, evaluate a training config one held-out public source at a time."""
    _refuse_unused_options(ctx, cross_source)
    named = [("--data", p) for p in data or []] + [("--model", Path(m)) for m in model or []]
    named += [
        (how, Path(path))
        for how, path in (
            ("--mapping", mapping),
            ("--config", config),
            ("--labels", labels_file),
        )
        if path is not None
    ]
    require_out_apart(
        out,
        named,
        consequence="the report's files would be written over it",
        example="reports/NAME",
    )
    if not data and not cross_source:  # a usage mistake: said before any model is looked at
        from annotate.errors import InputError

        raise InputError(
            "`annotate evaluate` needs --data (or --cross-source --config FILE).",
            fix="pass --data PATH, or --cross-source --config models/default.train.yaml.",
        )
    from annotate.classifier.loader import check_hub_model
    from annotate.classifier.threads import use_threads

    for ref in model or []:  # a hub id it cannot get: said before torch is imported
        check_hub_model(ref)
    use_threads(threads)
    if cross_source:
        _cross_source(
            config,
            out,
            source,
            (fold_train_rows, fold_valid_rows, fold_eval_rows, fold_train_total),
            fold_epochs,
            baseline_only,
            13 if seed is None else seed,
            labels_file,
            quiet,
            data_root,
        )
        return
    from annotate.classifier import load_classifier
    from annotate.cli.train import refuse_unused_mapping
    from annotate.evaluation.evaluate import (
        anchored_note,
        evaluate,
        held_out_note,
        seen_note,
        split_seed,
    )
    from annotate.evaluation.near_copies import near_copy_note
    from annotate.taxonomy import load_taxonomy
    from annotate.training.sources import DataSource, is_export_dir, takes_mapping

    refuse_unused_mapping(mapping, [Path(p) for p in data])
    tax = load_taxonomy(labels_file)
    sources = [
        DataSource(str(p), str(mapping) if mapping and takes_mapping(p) else None) for p in data
    ]
    refuse_missing_data(sources)
    if said := seed_unused_note(seed, data, [s.mapping is not None for s in sources]):
        note(f"note: {said}", quiet)
    if model and len(model) > 1:
        _compare(model, tax, sources, data, out, split, seed, quiet)
        return
    clf = load_classifier(model[0] if model else None, tax)
    seed, seed_note = split_seed(clf, seed)
    if seed_note and not all(is_export_dir(Path(p)) for p in data):
        # an export keeps its own splits: the seed splits project tables only
        echo(f"warning: {seed_note}")
    with Bars(quiet) as bars:
        result = evaluate(clf, tax, sources, out, split=split, seed=seed, progress=bars("evaluate"))
    rep = result.report
    spans = rep.get("spans") or {}
    overall = {k: "n/a" if v is None else v for k, v in (spans.get("overall") or {}).items()}
    span_note = (
        f"; evidence spans: precision {overall['precision']}, recall {overall['recall']} "
        f"on {counted(spans['passages'], 'passage')} reviewed for spans "
        f"({counted((spans.get('overall') or {}).get('gold', 0), 'gold span')})"
        if spans.get("passages")
        else ""
    )
    per_label = rep.get("per_label") or {}
    unseen = [name for name, m in per_label.items() if not (m or {}).get("support")]
    over = f" over {len(per_label) - len(unseen)} of {len(per_label)} labels" if unseen else ""
    echo(
        f"evaluated {clf.version} on {counted(rep['n'], 'passage')}: macro F1 {rep['macro_f1']}"
        f"{over}{span_note} -> {out}"
    )
    if unseen:
        echo(f"warning: {unseen_warning(unseen, rep['split'])}")
    if said := anchored_note(rep):
        echo(f"warning: {said}.")
    if said := seen_note(rep):
        echo(f"warning: {said}")
    if said := held_out_note(rep):
        note(f"note: {said}.", quiet)
    if said := near_copy_note(rep.get("training_near_copies"), clf.version):
        echo(f"warning: {said}")


def seed_unused_note(seed: int | None, data: list[Path], mapped: list[bool]) -> str:
    """A note ("" if none) when ``--seed`` was given but every ``--data`` keeps splits of
    its own (an ``annotate export``, a table whose rows name their split;
    ``mapped``: per path, whether ``--mapping`` applies to it): the seed changes
    nothing."""
    from annotate.evaluation.seed_effect import seed_has_no_effect

    if seed is None or not seed_has_no_effect(data, mapped):
        return ""
    return (
        f"--seed {seed} has no effect: every --data keeps the splits it was written with "
        "(an `annotate export`, or a table whose rows name their split), and the seed "
        "only splits the rows of project tables that name none; drop --seed."
    )


def auprc_moved(rep: dict[str, Any]) -> str:
    """The comparison summary's labels whose AUPRC B - A has a 95 % interval clear of 0
    ("violent_threat +0.120 [0.05, 0.2]"; "none" when no label's is), from the report's
    ``per_label``. A label with fewer gold positives than
    :data:`annotate.evaluation.model_card.FEW_POSITIVES` is not counted among them but
    named after them with the caveat comparison.md footnotes: on one or two positives
    the resampled interval is as narrow as the few passages allow and says little."""
    from annotate.evaluation.model_card import FEW_POSITIVES

    moved, few = [], []
    for name, m in rep["per_label"].items():
        ci = m.get("auprc_diff_ci")
        if not ci or not (ci[0] > 0 or ci[1] < 0):
            continue
        said = f"{name} {m['auprc_diff']:+.3f} {ci}"
        (few if 0 < (m.get("support") or 0) < FEW_POSITIVES else moved).append(said)
    out = "; ".join(moved) or "none"
    if few:
        out += (
            f" (not counted: {'; '.join(few)}, on fewer than {FEW_POSITIVES} gold positives, "
            "too few for the interval to say anything; see comparison.md)"
        )
    return out


def _compare(
    models: list[str],
    tax: Any,
    sources: list[Any],
    data: list[Path],
    out: Path,
    split: str,
    seed: int | None,
    quiet: bool,
) -> None:
    """`annotate evaluate --model A --model B`: annotate.evaluation.compare."""
    from annotate.classifier import load_classifier
    from annotate.classifier.loader import named_model_dir
    from annotate.classifier.model_files import recorded_labels
    from annotate.errors import InputError
    from annotate.evaluation.compare import (
        anchor_notes,
        compare,
        copy_notes,
        held_out_notes,
        require_same_labels,
        seen_in_summary,
    )
    from annotate.evaluation.evaluate import split_seed
    from annotate.training.sources import is_export_dir

    if len(models) != 2:
        raise InputError(
            f"--model was given {len(models)} times; a comparison takes two models (A, then B).",
            fix="pass --model once to evaluate a model, or twice to compare two.",
        )
    # "default" names the shipped model where no such folder is here, as loading reads it
    require_same_labels(models, [recorded_labels(named_model_dir(m)) for m in models])
    clfs = [load_classifier(m, tax) for m in models]
    if clfs[0].version == clfs[1].version:
        echo(
            f"warning: --model {models[0]} and --model {models[1]} are the same model "
            f"({clfs[0].version}): every B - A is 0 and no passage flips; pass the model to "
            "compare against as the other --model."
        )
    seed, seed_note = split_seed(clfs[0], seed)
    other = split_seed(clfs[1], seed)[1]
    if (seed_note or other) and not all(is_export_dir(Path(p)) for p in data):
        for said in dict.fromkeys(n for n in (seed_note, other) if n):
            echo(f"warning: {said}")
    with Bars(quiet) as bars:
        # a line per model, each counting the passages (not 2 x the passages as one)
        result = compare(
            clfs,
            tax,
            sources,
            out,
            split=split,
            seed=seed,
            model_progress=lambda side: bars(f"evaluate (model {side})"),
        )
    rep = result.report
    unit = rep["bootstrap"]["unit"]
    echo(
        f"compared {clfs[0].version} (A) and {clfs[1].version} (B) on "
        f"{counted(rep['n'], 'passage')}{seen_in_summary(rep)}: macro F1 {rep['macro_f1']['a']} -> "
        f"{rep['macro_f1']['b']}; AUPRC B - A with a 95 % interval clear of 0 "
        f"({unit}s resampled): {auprc_moved(rep)}; "
        f"{counted(rep['flips']['passages'], 'passage')} labeled differently -> "
        f"{out / 'comparison.md'}"
    )
    warning, said = held_out_notes(rep)
    if warning:
        echo(f"warning: {warning}")
    if said:
        note(f"note: {said}.", quiet)
    for side, text in copy_notes(rep):
        echo(f"warning: model {side.upper()}: {text}")
    for side, text in anchor_notes(rep):
        echo(f"warning: model {side.upper()}: {text}.")


def _cross_source(
    config: Path | None,
    out: Path,
    sources: list[str] | None,
    caps: tuple[int | None, int | None, int | None, int | None],
    fold_epochs: float | None,
    baseline_only: bool,
    seed: int,
    labels: Path | None,
    quiet: bool,
    data_root: Path | None = None,
) -> None:
    from annotate.errors import InputError
    from annotate.training.crosssource import Caps, run_cross_source

    if config is None:
        raise InputError(
            "--cross-source needs --config.", fix="pass --config models/default.train.yaml."
        )
    # no public source, or a misspelt one: said before the rows and encoders load (a minute)
    check_sources(config, sources or [], labels, data_root)

    def on_rows(n: int) -> None:
        echo(f"{counted(n, 'training row')} loaded from {config}")

    with Bars(quiet) as bars:  # a bar on a terminal, a line now and then in a log
        folds: list[Any] = []  # the folds' bar, made at the first fit

        def on_fold(src: str, side: str) -> None:
            if not folds:
                folds.append(bars("folds", unit="fit"))
            if folds[0] is not None:
                folds[0].note(f"{src}: {side}")
                folds[0](1)

        report = run_cross_source(
            config,
            out,
            caps=Caps(*caps[:3], seed=seed, train_total=caps[3]),
            sources=sources,
            model=not baseline_only,
            fold_epochs=fold_epochs,
            labels_path=labels,
            data_root=data_root,
            on_rows=None if quiet else on_rows,
            on_fold=on_fold,
            embed_progress=NewTexts(bars, "model"),
            baseline_embed_progress=NewTexts(bars, "baseline"),
        )
    comp = report["comparison"]
    wins = sum(c["model_wins"] for c in comp)
    echo(
        f"cross-source: {counted(len(report['folds']), 'held-out source')}"
        + (f", model AUPRC above the baseline's in {wins} of {len(comp)}" if comp else "")
        + f" -> {out / 'cross_source.md'}"
    )


class NewTexts:
    """The progress of one encoder's embedding in a cross-source run: a bar
    ``embed (SIDE, new texts)`` over the texts the embedding cache lacks, its total told
    (``add_total``) before they are embedded; texts read from the cache are not counted
    (``cached``). When a call's texts are all embedded its bar closes (its own time and
    rate); the next call with texts to embed opens another. ``bars``: the CLI's
    :class:`~annotate.cli.app.Bars` (or any ``(desc, unit=, total=) -> progress``)."""

    def __init__(self, bars: Callable[..., Any], side: str) -> None:
        self._bars = bars
        self.desc = f"embed ({side}, new texts)"
        self._bar: Any = None
        self._total = self._done = 0

    def add_total(self, n: int) -> None:
        from annotate._util.progress import set_total

        if self._done >= self._total:  # no bar open: one for these texts
            self._total, self._done = n, 0
            self._bar = self._bars(self.desc, unit="text", total=n)
        else:  # more texts before the open bar's are done
            self._total += n
            set_total(self._bar, self._total)

    def __call__(self, n: int) -> None:
        self._done += n
        if self._bar is not None:
            self._bar(n)

    def cached(self, n: int) -> None:
        """``n`` texts read from the cache: nothing to embed, not counted."""


def refuse_missing_data(sources: list[Any]) -> None:
    """InputError naming every ``--data`` path that is not there, before the model loads: the
    reading of the rows said "training data corpus-old not found" of the data to score
    (passF52 F9). A mapped glob pattern is there when it matches a file."""
    from annotate._util.near_paths import missing_path_fix, near_paths
    from annotate.errors import InputError
    from annotate.training.sources.tables import glob_paths, is_pattern

    missing = [
        Path(src.path)
        for src in sources
        if not Path(src.path).exists()
        and not (src.mapping and is_pattern(Path(src.path)) and glob_paths(Path(src.path)))
    ]
    if len(missing) == 1:
        p = missing[0]
        raise InputError(
            f"--data {p} not found (the labeled data to score).", fix=missing_path_fix(p)
        )
    if missing:  # all of them: the first alone was named (break7 L13)
        near = [
            f"for {p} did you mean {' or '.join(map(repr, close))}?"
            for p in missing
            if (close := near_paths(p))
        ]
        raise InputError(
            f"{len(missing)} --data paths not found (the labeled data to score): "
            f"{', '.join(map(str, missing))}.",
            fix=" ".join([*near, "Otherwise check the paths." if near else "check the paths."]),
        )


def check_sources(
    config: Path, given: list[str], labels: Path | None, data_root: Path | None = None
) -> None:
    """A usage error (exit 2) for a ``--source`` that is not a public source ``config``
    declares (the names of its mapping files), with the closest name, or for a ``config``
    that declares none (nothing to hold out); read from the config and its mapping files
    only (``data_root``: ``--data-root``, where those not beside the config are looked
    for, as :func:`annotate.training.config.load_train_config`)."""
    from difflib import get_close_matches

    from annotate.cli.app import BadValue
    from annotate.taxonomy import load_taxonomy
    from annotate.training.config import load_train_config
    from annotate.training.crosssource import declared_sources

    have = declared_sources(load_train_config(config, data_root), load_taxonomy(labels))
    if not have:
        # held out one at a time, a config without any wrote an empty report, exit 0
        # (passF52 F6)
        raise BadValue(
            f"{config} declares no public source to hold out: --cross-source holds out, "
            "one at a time, each data entry with a `mapping:` (a public data set), and "
            "its data entries have none",
            param_hint="'--config'",
            fix="add public data sets with their mappings to the config (to hold them out "
            "beside your export: copy models/default.train.yaml into models/, keeping its "
            "paths, and add your export to its `data:`, e.g. `- path: ../corpus`, relative to "
            "models/), or evaluate a model "
            "trained on it with `annotate evaluate --model DIR --data PATH`.",
        )
    bad = [s for s in dict.fromkeys(given) if s not in have]
    if not bad:
        return
    meant = {s: get_close_matches(s, have, n=1, cutoff=0.6) for s in bad}
    one = len(bad) == 1
    if one:
        guesses = [f"--source {m[0]}" for m in meant.values() if m]
    else:
        guesses = [f"{s!r} -> {m[0]!r}" for s, m in meant.items() if m]
    raise BadValue(
        f"{', '.join(map(repr, bad))} "
        + ("is not a public source" if one else "are not public sources")
        + f" of {config}; it declares {', '.join(have) or 'none'} (the names of its data "
        "entries' mapping files)",
        param_hint="'--source'",
        fix=(f"did you mean {'; '.join(guesses)}? Otherwise " if guesses else "")
        + f"pass --source with one of {', '.join(have)}, or leave --source out to hold out "
        "each in turn.",
    )


# options that only one kind of evaluation reads: (option, parameter name)
_MODEL_ONLY = (
    ("--data", "data"),
    ("--model", "model"),
    ("--mapping", "mapping"),
    ("--split", "split"),
)
_CROSS_SOURCE_ONLY = (
    ("--config", "config"),
    ("--data-root", "data_root"),
    ("--source", "source"),
    ("--fold-train-rows", "fold_train_rows"),
    ("--fold-valid-rows", "fold_valid_rows"),
    ("--fold-train-total", "fold_train_total"),
    ("--fold-eval-rows", "fold_eval_rows"),
    ("--fold-epochs", "fold_epochs"),
    ("--baseline-only", "baseline_only"),
)


def _refuse_unused_options(ctx: typer.Context, cross_source: bool) -> None:
    """InputError for an option given on the command line that this evaluation would
    ignore: --cross-source retrains the --config recipe (it scores no --model and reads no
    --data), and scoring a model reads none of the --cross-source options."""
    from annotate.errors import InputError

    def given(param: str) -> bool:
        source = ctx.get_parameter_source(param)
        return source is not None and source.name != "DEFAULT"

    if cross_source:
        unused = [opt for opt, param in _MODEL_ONLY if given(param)]
        if unused:
            raise InputError(
                f"{', '.join(unused)} {'scores' if len(unused) == 1 else 'score'} a trained "
                "model, but --cross-source scores the "
                "--config recipe instead (it retrains it with each public source held out), "
                "so they would be ignored.",
                fix=f"drop {', '.join(unused)}, or drop --cross-source to score the model "
                "on --data.",
            )
        return
    unused = [opt for opt, param in _CROSS_SOURCE_ONLY if given(param)]
    if unused:
        raise InputError(
            f"{', '.join(unused)} only {'applies' if len(unused) == 1 else 'apply'} with "
            f"--cross-source; scoring a model on --data does not read "
            f"{'it' if len(unused) == 1 else 'them'}.",
            fix=f"add --cross-source (to evaluate the --config recipe), or drop "
            f"{', '.join(unused)}.",
        )


def unseen_warning(unseen: list[str], split: str) -> str:
    """The warning of an evaluation whose scored passages (``split``, or ``all``) have no
    example of the labels ``unseen``: its macro F1 says nothing about them."""
    scored = "every split" if split == "all" else f"{split} split"
    them = "it" if len(unseen) == 1 else "them"
    return (
        f"the scored passages ({scored}) have no example of {', '.join(unseen)}, so the "
        f"macro F1 says nothing about {them}; evaluate on labeled data that has {them} "
        "(report.md lists every label's support)"
    )
