"""`annotate train`: labeled data -> a model directory that `annotate prelabel` loads."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from annotate._util.paths import require_out_apart
from annotate._util.shell import sh
from annotate.cli.app import (
    MAX_SEED,
    Bars,
    DataRootOpt,
    LabelsOpt,
    QuietOpt,
    ThreadsOpt,
    app,
    counted,
    echo,
    note,
    said_on_interrupt,
)

if TYPE_CHECKING:
    from annotate.training import TrainConfig


@app.command("train")
def train_cli(
    out: Annotated[Path, typer.Option("--out", "-o", help="Model directory to write.")],
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            help="An `annotate export` directory, a table with text + labels (category names), "
            "or (with --mapping) any labeled table. Repeatable.",
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            help="Mapping file (YAML/JSON) from a foreign table's columns to the taxonomy; "
            "applies to every --data table that is not an export directory.",
            dir_okay=False,
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            help="Training config (YAML): data + mappings + head settings, e.g. "
            "models/default.train.yaml. --data adds to its data.",
            dir_okay=False,
        ),
    ] = None,
    data_root: DataRootOpt = None,
    seed: Annotated[
        int | None,
        typer.Option(min=0, max=MAX_SEED, help="Random seed (overrides the config)."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(help="Model name (default: the config's name, else the --out folder)."),
    ] = None,
    labels_file: LabelsOpt = None,
    strict_labels: Annotated[
        bool,
        typer.Option(
            "--strict-labels",
            help="Refuse an export whose labels an older labels.yaml (same major version) "
            "lacks, instead of dropping them with a warning (other unknown labels are "
            "always refused).",
        ),
    ] = False,
    replace_default_model: Annotated[
        bool,
        typer.Option(
            "--replace-default-model",
            help="Let --out be the default model's folder (the one prelabel uses without "
            "--model) and replace it; `make model` passes it.",
        ),
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Let --out be a folder that holds a trained model and replace it (no copy "
            "is kept; files no model writes, such as notes, stay and are named); without it "
            "such a folder is refused before training.",
        ),
    ] = False,
    allow_no_harmful_passages: Annotated[
        bool,
        typer.Option(
            "--allow-no-harmful-passages",
            help="Train even when no training passage of the data has a harmful label (an "
            "export answered all `none`): the model's harmful scores are then noise, so use "
            "it to test the pipeline, not to prelabel. Default: refused before anything is "
            "embedded, naming what was found and the fix.",
        ),
    ] = False,
    threads: ThreadsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Train the pre-labeler (default: logistic regressions on a frozen encoder's
    embeddings) and write it with calibration, thresholds and a model card."""
    from annotate.classifier.threads import use_threads
    from annotate.evaluation.model_card import (
        cross_fitted_said,
        finetune_fallback_said,
        untrained_labels,
    )
    from annotate.taxonomy import load_taxonomy
    from annotate.training import DataEntry, TrainConfig, load_train_config, train
    from annotate.training.card_limits import derived_only_said
    from annotate.training.config import check_hub_encoders
    from annotate.training.embedding_cache import texts_stored
    from annotate.training.held_out_copies import copy_warning
    from annotate.training.model_folder import model_out_folder
    from annotate.training.sources import takes_mapping

    said_on_interrupt(**interrupt_said(texts_stored()))
    out = model_out_folder(out)  # '.', 'sub/..': resolved, or refused (break8 M7)
    refuse_default_model_out(out, replace=replace_default_model)
    tax = load_taxonomy(labels_file)
    cfg = load_train_config(config, data_root) if config else TrainConfig(name=out.name)
    if config:  # a hub encoder it cannot get: said before transformers is imported
        check_hub_encoders(cfg, config, ("encoder",))
    use_threads(threads)
    refuse_unused_mapping(mapping, data or [])
    for p in data or []:
        use_mapping = mapping if (mapping and takes_mapping(p)) else None
        cfg.data.append(DataEntry(path=str(p), mapping=str(use_mapping) if use_mapping else None))
    require_out_apart(out, _inputs(cfg, config, labels_file), **_MODEL_OUT)
    # --replace-default-model is the ask to replace the default model's folder (make model)
    replace = overwrite or (replace_default_model and is_default(out))
    refuse_model_overwrite(out, overwrite=replace)
    config_seed = cfg.seed  # the config's (or the default config's), before --seed
    if seed is not None:
        cfg.seed = seed
    if strict_labels:
        cfg.strict_labels = True
    if name:
        cfg.name = name
    elif renamed := shipped_name_taken_from_out(cfg.name, out, from_config=config is not None):
        # the shipped recipe retrained into a folder of one's own (the README's retrain
        # recipe): named after --out as a run without a config is, not `default` (passJ M5)
        note(f"note: {renamed}", quiet)
        cfg.name = out.name
    elif clash := shipped_name_clash(cfg.name, out, from_config=config is not None):
        echo(f"warning: {clash}")
    previous = previous_version(out)  # the model the run replaces, named once it has
    with Bars(quiet) as bars:
        # train counts texts the encoder reads (every split, span segments, derived
        # examples; a fine-tune's linear probe and every epoch), more than the data's passages
        # replace: a model another run wrote into --out meanwhile is not replaced without
        # --overwrite (checked again at the rename: passF52 F2)
        # then the frozen and finetune trainers score the test split with the model
        # saved, as evaluate does (the card's test tables): a stage of its own, made then
        result = train(
            cfg,
            out,
            tax,
            progress=bars("train (texts encoded)", unit="text"),
            replace=replace,
            scoring=bars,
            allow_no_harmful=allow_no_harmful_passages,
        )
    summary, warning = split_headline(result.metrics)
    echo(f"trained {result.version} -> {out} in {result.seconds:.0f} s ({summary})")
    if warning:
        echo(f"warning: {warning}")
    if previous:
        echo(f"note: {replaced_note(out, previous, result.version)}")
    if result.kept:
        note(f"note: {kept_note(result.kept, out)}", quiet)
    if seed is not None and seed != config_seed:
        note(seed_note(seed, config_seed, config), quiet)
    card = out / "annotate_model.json"
    model = json.loads(card.read_text(encoding="utf-8")) if card.is_file() else {}
    if model and (missing := untrained_labels(model)):
        them = "it" if len(missing) == 1 else "them"
        echo(
            f"warning: no training example of {', '.join(missing)}: the model has not "
            f"learned {them} and its scores for {them} mean nothing (the model card says so); "
            f"add examples of {them} to labels.yaml or review passages of {them}, and train "
            "again."
        )
    if model and (said := derived_only_said(model, warning=True)):
        echo(
            f"warning: {said} (the model card says so); review passages of them, export and "
            "train again."
        )
    if model and (said := copy_warning((model.get("metrics") or {}).get("test_copies"))):
        echo(f"warning: {said}.")
    for said in export_taxonomy_lines(model, f"labels.yaml {tax.version}") if model else []:
        if said.startswith("warning"):
            echo(said)
        else:
            note(said, quiet)
    if model and (said := cross_fitted_said(model)):
        note(f"note: {said[0].upper()}{said[1:]} (the model card says so).", quiet)
    for said in calibration_warnings(model) if model else []:
        echo(f"warning: {said}")
    if model and (said := finetune_fallback_said(model)):
        note(f"note: {said[0].upper()}{said[1:]} (the model card says so).", quiet)
    if model and (said := span_threshold_warning(model)):
        echo(f"warning: {said}")
    if model and (said := span_model_warning(model)):
        echo(f"warning: {said}")


_MODEL_OUT: dict[str, Any] = {
    "consequence": "the model folder is replaced whole, so the input would be deleted",
    "example": "models/NAME",
    "folder": True,
}


def _inputs(cfg: TrainConfig, config: Path | None, labels: Path | None) -> list[tuple[str, Path]]:
    """The files and folders training reads, as the command line (or the config) names
    them: every data source and mapping, the config, the labels file."""
    named = [("--config", config), ("--labels", labels)]
    for entry in cfg.data:
        named.append(("the data source", Path(entry.path)))
        if entry.mapping:
            named.append(("the mapping", Path(entry.mapping)))
    return [(how, path) for how, path in named if path is not None]


def refuse_unused_mapping(mapping: Path | None, data: list[Path]) -> None:
    """InputError when ``--mapping`` applies to none of the ``--data`` paths (none given,
    as with a config alone, or only `annotate export` folders, which carry the taxonomy's
    labels): it would be ignored, and the table it was meant for not read."""
    from annotate.errors import InputError
    from annotate.training.sources import takes_mapping

    if mapping is None or any(takes_mapping(p) for p in data):
        return
    if not data:
        raise InputError(
            f"--mapping {mapping} applies to the --data tables, and no --data was given (a "
            "config's data entries name their own `mapping:`), so it would be ignored.",
            fix="pass the table it maps with --data, or write `mapping:` in the config's "
            "data entry.",
        )
    raise InputError(
        f"--mapping {mapping} applies to the --data tables, but "
        + (
            f"{data[0]} is an `annotate export` folder"
            if len(data) == 1
            else f"{', '.join(map(str, data))} are `annotate export` folders"
        )
        + ", read with their own labels, so it would be ignored.",
        fix="pass the table it maps with --data too, or drop --mapping.",
    )


def refuse_default_model_out(out: Path, *, replace: bool) -> None:
    """InputError, before any work, when ``out`` is the default model's folder and
    ``replace`` (``--replace-default-model``) is not given: training into it replaced the
    model every prelabel without ``--model`` uses (built by ``make model`` from the public
    data) with one trained on whatever ``--data`` held, without a word."""
    from annotate.classifier import DEFAULT_MODEL_DIR
    from annotate.errors import InputError

    if replace or not is_default(out) or not out.exists():
        return
    raise InputError(
        f"--out {out} is the default model's folder ({DEFAULT_MODEL_DIR}), the model "
        "`annotate prelabel` uses without --model; training there would replace it whole "
        "with this run's model; expected a folder of its own for the new model.",
        fix="write it to another folder, e.g. --out models/batch-2026-12, and pass "
        "--model models/batch-2026-12 to prelabel; to replace the default model on purpose, "
        "add --replace-default-model (`make model` does; `git checkout models/default` "
        "brings a checkout's back).",
    )


def is_default(out: Path) -> bool:
    """Whether ``out`` is the default model's folder (the one prelabel uses without
    --model)."""
    from annotate.classifier import DEFAULT_MODEL_DIR

    return out.resolve() == DEFAULT_MODEL_DIR.resolve()


def refuse_model_overwrite(out: Path, *, overwrite: bool) -> None:
    """InputError, before any work, when ``out`` holds a trained model
    (``annotate_model.json``) and ``overwrite`` (``--overwrite``) is not given: training
    replaces the model's files and keeps no copy, so the model that prelabels and exports
    credit by its version would be lost, with only a note after the run."""
    from annotate.errors import InputError

    previous = previous_version(out)
    if overwrite or previous is None:
        return
    kept = out.parent / (out.name + "-2")
    held = (
        "a trained model of unknown version"
        if previous == "a model of unknown version"
        else f"the trained model {previous}"
    )
    raise InputError(
        f"--out {out} holds {held}; training would replace it "
        "and keep no copy; expected a new or empty folder for the new model.",
        fix=f"train into a new folder, e.g. --out {kept}, and compare the two with `annotate "
        f"evaluate --model {out} --model {kept} --data CORPUS --out REPORT`; or add "
        "--overwrite to replace it.",
    )


def seed_note(seed: int, config_seed: int, config: Path | None) -> str:
    """The note of a run whose ``--seed`` differs from the seed of its config (``config``;
    None: the default config): the seed is part of what the model version hashes, so the
    same data and config give another version than without --seed (a retrained model
    then looks unrelated to the config's build of the same export)."""
    of = f"{config}'s" if config is not None else "the default config's"
    return (
        f"note: --seed {seed} replaces {of} seed {config_seed}: the seed is part of the model "
        f"version, so this model's version differs from the one seed {config_seed} gives on "
        f"the same data (drop --seed, or set `seed:` in the config, to keep one)"
    )


def previous_version(out: Path) -> str | None:
    """The version a previous model in ``out`` records (its model card's), which training
    there replaces; None when ``out`` holds no model. A model without a version line in
    its card: ``"a model of unknown version"``."""
    from annotate.classifier.model_files import card_version

    if not (out / "annotate_model.json").is_file():
        return None
    return card_version(out) or "a model of unknown version"


def replaced_note(out: Path, previous: str, version: str) -> str:
    """What ``train`` says after replacing the model ``previous`` in ``out`` with
    ``version``: the model's files are replaced and no copy is kept, so the version is the
    only trace of the model prelabels and exports made with it were credited to."""
    if previous == version:
        return f"{out} held {previous} before, the same version: nothing changed."
    return (
        f"{out} held {previous}, which this model replaced (--overwrite); no copy of it is "
        f"kept (prelabels, exports and reports credit it by that version)."
    )


def kept_note(kept: list[str], out: Path) -> str:
    """What ``train`` says of the files of the previous model folder ``out`` that no
    model wrote (``kept``: relative paths; up to 5 named, then a count), carried into the
    new one."""
    more = f" and {len(kept) - 5} more" if len(kept) > 5 else ""
    return (
        f"kept {len(kept)} file(s) in {out} that annotate did not write "
        f"({', '.join(kept[:5])}{more}); only the model's own files were replaced."
    )


def shipped_name_taken_from_out(name: str, out: Path, *, from_config: bool) -> str:
    """The note ("" if none) for a config named like the shipped model (a copy of
    ``models/default.train.yaml``) trained into another folder, whose name is not the
    shipped one's either (``--out models/batch-2``) and no ``--name``: the model is named
    after ``--out``, as without a config, so Label Studio and exports tell it from the
    shipped model. ``make model`` (``--out models/default``) and a folder named like the
    shipped one (``make model-check``'s ``TMP/default``) keep the config's name."""
    from annotate.classifier import DEFAULT_MODEL_DIR

    shipped = DEFAULT_MODEL_DIR.name
    if (
        not from_config
        or name != shipped
        or out.name == shipped
        or out.resolve() == DEFAULT_MODEL_DIR.resolve()
    ):
        return ""
    return (
        f"the model is named {out.name!r} after its --out folder: the config's `name: "
        f"{name}` is the shipped model's ({DEFAULT_MODEL_DIR}), whose name Label Studio and "
        f"exports would show for both; pass --name NAME to choose another."
    )


def shipped_name_clash(name: str, out: Path, *, from_config: bool = True) -> str:
    """A warning ("" if none) when another model would be named like the shipped one: by
    a config copied from the shipped model's (``from_config``), or after an ``--out``
    folder named like the shipped model's (``models/default`` in a folder of one's own).
    Its version (``default@<hash>``) is what Label Studio shows reviewers and exports
    credit, so the two would be told apart only by the hash."""
    from annotate.classifier import DEFAULT_MODEL_DIR

    shipped = DEFAULT_MODEL_DIR.name
    if name != shipped or out.resolve() == DEFAULT_MODEL_DIR.resolve():
        return ""
    if not from_config:
        return (
            f"the model is named {name!r} after its --out folder {out}, as the shipped "
            f"model is ({DEFAULT_MODEL_DIR}, which `annotate prelabel` without --model "
            f"still uses: this run does not replace it), so Label Studio and exports would "
            f"show both as {name}@<hash>; pass --name NAME (e.g. --name batch-2026-12) or "
            "another --out to tell them apart."
        )
    # the --out folder's name as the fix, unless it is the clashing name itself
    other = out.name if out.name != shipped else "NAME (e.g. --name batch-2026-12)"
    return (
        f"the model is named {name!r} by the config's `name:`, as the shipped model is "
        f"({DEFAULT_MODEL_DIR}), so Label Studio and exports would show both as "
        f"{name}@<hash>; pass --name {other} (or edit `name:`) to tell them apart."
    )


def export_taxonomy_lines(model: dict[str, Any], labels: str) -> list[str]:
    """The lines train ends with on its exports read under another labels.yaml than
    theirs (``annotate_model.json``'s ``training.data[]``): a note per migration applied,
    a warning per export whose labels ``labels`` (the labels.yaml trained with) lacks:
    the model has not learned them, said again after the run's other lines."""
    from annotate.training.sources.export_taxonomy import dropped_said, migration_said

    lines = []
    for d in (model.get("training") or {}).get("data") or []:
        if not isinstance(d, dict):
            continue
        if isinstance(mig := d.get("taxonomy_migration"), dict):
            lines.append(
                f"note: {d.get('path')} was read through the migration {labels} declares "
                f"from its labels.yaml: {migration_said(mig)} (recorded in the model card)"
            )
        if isinstance(dropped := d.get("labels_dropped"), dict):
            copy = Path(str(d.get("path"))) / str(dropped.get("file") or "labels.yaml")
            use = (
                f"--labels {sh(str(copy))}"
                if copy.is_file()
                else "--labels FILE, the labels.yaml the export was made with"
            )
            lines.append(
                f"warning: the model has not learned {dropped_said(dropped)} of "
                f"{d.get('path')}: labels of its labels.yaml {dropped.get('version')} that "
                f"{labels} lacks (dropped; the model card says so). To learn them, train "
                f"again with {use}"
            )
    return lines


def interrupt_said(mark: int) -> dict[str, Callable[[], str | None]]:
    """What an interrupted `annotate train` says it keeps and what a re-run does
    (:func:`annotate.cli.app.said_on_interrupt`'s ``again`` and ``left``), from the
    texts stored in the embedding cache since ``mark``
    (:func:`annotate.training.embedding_cache.texts_stored`): the model folder it was
    writing is removed, the texts embedded so far are kept in the cache and a re-run
    reads them from there; with none stored, the defaults ("it starts afresh")."""
    from annotate.training.embedding_cache import texts_stored

    def kept() -> int:
        return texts_stored() - mark

    def left() -> str | None:
        n = kept()
        if not n:
            return None
        return f"but the {n:,} texts embedded so far are kept in the embedding cache"

    def again() -> str | None:
        n = kept()
        if not n:
            return None
        return f"it reads those {n:,} texts from the embedding cache and embeds the rest"

    return {"again": again, "left": left}


def calibration_warnings(model: dict[str, Any]) -> list[str]:
    """The warnings ([] if none) on labels the validation split could not calibrate or
    fit a threshold on, one for each fact: the labels only left uncalibrated (too few
    passages with or without them: their scores are the head's raw probabilities; a
    harmful or context label's threshold was still fitted there), then those whose
    threshold is the fallback (fewer validation positives or negatives than the
    operating point's minimums, with their counts; not calibrated either), said loudest
    when no harmful label was fitted
    (:func:`annotate.evaluation.model_card.fallback_thresholds_said`). A small export's
    validation split (about a tenth of its documents) often lacks them."""
    from annotate.classifier.head import PLATT_MIN_EXAMPLES
    from annotate.evaluation.model_card import (
        all_harmful_fall_back,
        fallback_thresholds_said,
        uncalibrated_labels,
    )

    raw, default = uncalibrated_labels(model)
    out = []
    if raw:
        one = len(raw) == 1
        out.append(
            f"not calibrated: {', '.join(raw)} (fewer than {PLATT_MIN_EXAMPLES} validation "
            "passages with, or without, the label): "
            + ("its scores are" if one else "their scores are")
            + " the head's raw, class-weighted probabilities, not calibrated ones (the model "
            "card says so); read those scores as a ranking only, or review more passages of "
            + ("it." if one else "them.")
        )
    if default:
        them = "it" if len(default) == 1 else "them"
        said = fallback_thresholds_said(model, "the model's", "; the model card says so")
        out.append(
            said[0].upper()
            + said[1:]
            + ": "
            + (
                "its labels are no more than a raw score above the fallback, so ordinary text "
                "can be labelled harmful; `annotate prelabel` and `annotate verify` warn on "
                "this model each time. "
                if all_harmful_fall_back(model)
                else f"its labels for {them} are unreliable. "
            )
            + f"Review more passages of {them} and train again, or read those scores as a "
            "ranking only."
        )
    return out


def span_model_warning(model: dict[str, Any]) -> str:
    """A warning ("" if none) for a model trained without an evidence-span model (no
    gold spans in its training or validation split): prelabel marks no spans with it."""
    from annotate.training.card_limits import no_span_model

    why = no_span_model(model)
    if not why:
        return ""
    return (
        f"no evidence-span model: {why}; the span model needs passages with gold evidence "
        "spans in both the training and the validation split, so prelabel with this model "
        "marks no evidence spans (reviewers get no span suggestions; the model card says "
        "so). Train on an export of reviewed passages with their spans (or add span "
        "examples to labels.yaml), and train again."
    )


def span_threshold_warning(model: dict[str, Any]) -> str:
    """A warning ("" if none) naming the evidence-span labels whose threshold fell back
    (fewer validation segments with, or without, the span label than the operating
    point's minimums), with their counts and the fallback threshold."""
    from annotate.evaluation.model_card import fallback_rule_text
    from annotate.training.card_limits import span_fallback_descriptions

    fell = span_fallback_descriptions(model)
    if not fell:
        return ""
    need, fallback = fallback_rule_text(model)
    one = len(fell) == 1
    return (
        f"span thresholds not fitted: {', '.join(fell)} among the validation segments; "
        f"fitting needs at least {need}, so "
        + ("its threshold is" if one else "their thresholds are")
        + f" the fallback {fallback} on uncalibrated scores (the model card says so); "
        "review more passages with those evidence spans and train again."
    )


def split_headline(metrics: dict[str, Any]) -> tuple[str, str]:
    """The test split's headline for the console, and a warning ("" if none): the test
    split is empty, or it has no example of the labels it names (a macro F1 over the
    others says nothing about them)."""
    test = metrics.get("test") or {}
    if not test:
        return "no test split", (
            "no passage of the data is in the test split, so the model was not measured on "
            "held-out data (splits keep whole documents together, by a seeded hash of each "
            "document, so a corpus of few documents may leave test empty); review more "
            "documents, or evaluate on other labeled data (`annotate evaluate --data ...`)."
        )
    per_label = test.get("per_label") or {}
    unseen = [name for name, m in per_label.items() if not (m or {}).get("support")]
    seen = [name for name in per_label if name not in unseen]
    n_test = counted(test.get("n") or 0, "test passage")
    summary = f"macro F1 {test.get('macro_f1')} on {n_test}"
    if per_label and len(seen) < 2:
        # a macro F1 over one label (every test passage `none`) is that label's F1: 1.0
        # said nothing of the harmful labels (retrain56 finding 9)
        only = f"only {seen[0]} has" if seen else "no label has"
        summary = f"macro F1 n/a on {n_test}: {only} a test example"
    copies = metrics.get("test_copies") or {}
    if copies.get("macro_f1_without_copies") is not None:
        # test passages that are copies of fitted rows inflate the figure: the one without
        kept = int(copies.get("test_passages_without_copies") or 0)
        summary += (
            f"; {copies['macro_f1_without_copies']} on the {kept:,} that are no copy of a "
            "training or validation row"
        )
    if not unseen:
        return summary, ""
    them = "it" if len(unseen) == 1 else "them"
    if len(seen) >= 2:
        summary += f", over the {len(seen)} of {len(per_label)} labels with a test example"
    return (
        summary,
        f"the test split has no example of {', '.join(unseen)}, so the figure says nothing "
        f"about {them}; review more passages, or evaluate on other labeled data (`annotate "
        "evaluate --data ...`). The model card lists every label.",
    )
