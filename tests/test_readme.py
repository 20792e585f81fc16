"""Docs cannot drift: every CLI command and option is in the README or docs/."""

from __future__ import annotations

import click
import typer.main

from annotate.cli import app
from tests.docs_text import docs_text

README = docs_text()  # README.md and docs/*.md


def _commands(group: click.Group, prefix: str = "annotate"):
    for name, cmd in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            yield path, cmd
            yield from _commands(cmd, path)
        else:
            yield path, cmd


def test_every_command_and_option_is_documented():
    root = typer.main.get_command(app)
    missing = []
    for path, cmd in _commands(root):
        if isinstance(cmd, click.Group):
            subs = "|".join(cmd.commands)
            if f"{path} {subs}" not in README and not all(
                f"{path} {s}" in README for s in cmd.commands
            ):
                missing.append(f"{path} {subs}")
            continue
        if path not in README:
            missing.append(path)
        for param in cmd.params:
            for opt in param.opts:
                if opt.startswith("--") and opt not in ("--help",) and opt not in README:
                    missing.append(f"{path} {opt}")
    assert not missing, f"undocumented in README.md and docs/: {missing}"


def test_train_help_describes_the_default_trainer():
    from annotate.training import TrainConfig

    words = {"frozen": "logistic regressions", "encoder-head": "context head"}
    words["finetune"] = "fine-tun"
    cmd = typer.main.get_command(app).commands["train"]  # type: ignore[attr-defined]
    text = " ".join((cmd.help or "").split())
    default = TrainConfig(name="x").trainer
    assert words[default] in text, (default, text)
    assert not any(w in text for t, w in words.items() if t != default), text


def test_a_reviewer_leaves_section_lines_fit_100_characters():
    start = README.index("## A reviewer leaves\n\n") + len("## A reviewer leaves\n\n")
    section = README[start : README.index("\n\n", start)]
    long = [line for line in section.splitlines() if len(line) > 100]
    assert not long, long


def test_the_several_reviewers_example_ingests_its_gold_as_the_batch() -> None:
    """newuser57 F4: the example pre-labelled a bare sheet (id, text, gold_labels), whose
    tasks show no provenance and ``g1`` ids, and push warned at once that reviewers can
    tell gold apart. The example ingests the gold posts as the batch was, then prelabels."""
    section = README[README.index("\n# Several reviewers") :]
    block = section[section.index("```bash") : section.index("```", section.index("```bash") + 7)]
    assert "annotate prelabel gold.csv" not in block, block
    ingest_at = block.index("annotate ingest gold_posts.csv --out gold_passages.parquet")
    prelabel_at = block.index("annotate prelabel gold_passages.parquet --out gold.parquet")
    assert ingest_at < prelabel_at < block.index("--gold gold.parquet")


def test_the_workflow_compares_the_retrained_model_with_the_default() -> None:
    """newuser61 F3: the workflow scored the new model and the default in two runs, two
    reports to set side by side by hand, on passages resampled apart; `evaluate --model A
    --model B` (docs/retrain.md) compares them on the same passages with paired intervals."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("## The workflow")
    block = readme[
        readme.index("```bash", start) : readme.index("```\n", readme.index("```bash", start) + 7)
    ]
    assert "annotate evaluate --model default --model models/batch-2026-11" in block, block
    assert "comparison.md" in block, block


def test_the_workflow_goes_on_to_the_next_batch() -> None:
    """newuser61 F6: the workflow stopped at evaluate; the next week's batch (ingest with
    --previous so reviewers are not sent what they saw, pre-label with the chosen model,
    push) was only in docs/ingest.md#batches, so a lead pushed it without --previous."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("```bash", readme.index("## The workflow"))
    block = readme[start : readme.index("```\n", start + 7)]
    evaluate = block.index("annotate evaluate --model default --model models/batch-2026-11")
    ingest = block.index("--previous passages.parquet --out passages-2.parquet", evaluate)
    prelabel = block.index("annotate prelabel passages-2.parquet --model models/batch-2026-11")
    assert ingest < prelabel < block.index("annotate push prelabels-2.parquet"), block
