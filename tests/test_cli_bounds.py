"""Options that cannot mean what was typed are refused before anything runs: numbers out
of range (negative waits and counts, shares outside [0, 1]), --min-chars above
--max-chars, an export --out named like a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import _error_line, run


@pytest.mark.parametrize(
    "args",
    [
        ("push", "x.jsonl", "-p", "P", "--wait", "-5"),
        ("push", "x.jsonl", "-p", "P", "--batch-size", "0"),
        ("push", "x.jsonl", "-p", "P", "--gold", "g.jsonl", "--gold-rate", "1.5"),
        ("push", "x.jsonl", "-p", "P", "--gold", "g.jsonl", "--gold-rate", "-0.1"),
        ("prelabel", "x.jsonl", "--out", "o.jsonl", "--engine", "ray", "--workers", "0"),
        ("evaluate", "--cross-source", "--fold-train-rows", "-1"),
        ("evaluate", "--cross-source", "--fold-epochs", "-2"),
        ("evaluate", "--cross-source", "--fold-epochs", "0"),  # no training at all
        ("train", "--out", "m", "--seed", "-1"),  # numpy's seeds are 0 to 2**32 - 1
        ("train", "--out", "m", "--seed", str(2**32)),
        ("studio", "start", "--port", "70000"),
        ("push", "x.jsonl", "-p", "P", "--batch-size", "many"),  # not a number
        ("prelabel", "x.jsonl", "--out", "o.jsonl", "--engine", "spark"),  # not a choice
        ("ingest", "x.txt", "--out", "o.jsonl", "--min-chars", "-1"),
    ],
)
def test_out_of_range_numbers_are_usage_errors(args: tuple[str, ...]) -> None:
    ran = run(*args)
    assert ran.returncode == 2, ran.stdout + ran.stderr
    # one line like every other user mistake (not click's boxed usage error)
    line = _error_line(ran)
    assert line.startswith(f"error: invalid value for '{args[-2]}': "), line
    assert f"Fix: give {args[-2]} a value it takes (`annotate {args[0]}" in line, line
    assert "Usage:" not in ran.stderr and "╭" not in ran.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("push", "x.jsonl"), "Missing option '--project'"),
        (("ingest",), "Missing argument"),
        (("evaluate", "--no-such-option"), "No such option"),
    ],
)
def test_a_malformed_command_keeps_clicks_usage_hint(args: tuple[str, ...], says: str) -> None:
    ran = run(*args)
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert says in ran.stderr and "Usage:" in ran.stderr and "--help" in ran.stderr
    assert "error: invalid value" not in ran.stderr


def _doc(tmp_path: Path) -> Path:
    doc = tmp_path / "d.txt"
    sentences = [f"Sentence number {i} is short." for i in range(12)]
    doc.write_text("\n\n".join(sentences), encoding="utf-8")
    return doc


def test_min_chars_above_max_chars_both_given_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    args = ("ingest", str(_doc(tmp_path)), "--out", str(out), "-q")
    line = _error_line(run(*args, "--max-chars", "60", "--min-chars", "100"))
    assert "--min-chars 100 is above --max-chars 60" in line and "Fix:" in line
    assert not out.exists()


def test_max_chars_alone_below_the_default_minimum_lowers_it(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    ran = run("ingest", str(_doc(tmp_path)), "--out", str(out), "-q", "--max-chars", "60")
    assert ran.returncode == 0, ran.stderr
    texts = [json.loads(line)["text"] for line in out.read_text().splitlines()]
    # 12 sentences of ~29 characters merge in pairs up to 60, never past it
    assert texts and all(len(t) <= 60 for t in texts)
    assert len(texts) < 12


def test_export_to_a_parquet_name_fails_before_asking_the_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")  # answers nothing
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "a" * 40)
    out = tmp_path / "corpus.parquet"
    line = _error_line(run("export", "--project", "P", "--out", str(out)))
    assert "export writes a folder" in line and f"--out {tmp_path / 'corpus'}/" in line
    assert not out.exists()


@pytest.mark.parametrize(
    ("setting", "field"),
    [
        ("finetune: {epochs: 0}", "epochs"),
        ("finetune: {batch_size: 0}", "batch_size"),
        ("head: {epochs: -1}", "epochs"),
        ("seed: -3", "seed"),
        # a negative weight trained a model that unlearns its rows (macro F1 0.28); a
        # misspelt split put every row of the source into no split, silently unused
        ("data: [{path: a.jsonl, weight: -2}]", r"data\[0\]\.weight"),
        ("data: [{path: a.jsonl, weight: 0}]", r"data\[0\]\.weight"),
        ("data: [{path: a.jsonl, split: tst}]", r"data\[0\]\.split"),
        ("span_examples_weight: -1", "span_examples_weight"),
    ],
)
def test_a_training_config_with_a_number_out_of_range_is_refused(
    tmp_path: Path, setting: str, field: str
) -> None:
    from annotate.errors import TrainingError
    from annotate.training import load_train_config

    cfg = tmp_path / "t.train.yaml"
    cfg.write_text(f"name: t\n{setting}\n", encoding="utf-8")
    with pytest.raises(TrainingError, match=field) as err:
        load_train_config(cfg)
    assert str(cfg) in str(err.value)


@pytest.mark.parametrize("langs", ["[english]", "[en, Arabic]", "[eng]"])
def test_a_training_config_language_that_is_no_iso_code_is_refused(
    tmp_path: Path, langs: str
) -> None:
    """`languages: [english]` was taken: a code prelabel does not know turns its
    foreign-script warning off, so an English model gave Arabic passages no warning."""
    from annotate.errors import TrainingError
    from annotate.training import load_train_config

    cfg = tmp_path / "t.train.yaml"
    cfg.write_text(f"name: t\nlanguages: {langs}\n", encoding="utf-8")
    with pytest.raises(TrainingError, match=r"languages: .* not an ISO 639-1 language code"):
        load_train_config(cfg)
    cfg.write_text("name: t\nlanguages: [en, pt-BR, zh-Hant, jv]\n", encoding="utf-8")
    assert load_train_config(cfg).languages == ["en", "pt-BR", "zh-Hant", "jv"]


def test_a_copied_training_config_names_the_folder_its_paths_are_read_from(
    tmp_path: Path,
) -> None:
    """`cp models/default.train.yaml /tmp/` then `annotate train --config /tmp/...` said
    only "mapping file /tmp/mappings/implicit-hate.yaml: No such file or directory"."""
    from annotate.errors import TrainingError
    from annotate.training import load_train_config

    (tmp_path / "here.jsonl").write_text("{}\n", encoding="utf-8")
    cfg = tmp_path / "t.train.yaml"
    cfg.write_text("data:\n  - path: here.jsonl\n  - path: ../data/*.jsonl\n", encoding="utf-8")
    with pytest.raises(TrainingError, match=r"data\[1\]\.path '\.\./data/\*\.jsonl' is read") as e:
        load_train_config(cfg)
    assert f"relative to the config's folder ({tmp_path.resolve()})" in str(e.value)
    cfg.write_text("data:\n  - path: here.jsonl\n", encoding="utf-8")
    assert load_train_config(cfg).data[0].path == str((tmp_path / "here.jsonl").resolve())


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("export", "--project", "Batch Dec", "--out", ""), "'--out' / '-o'"),
        (("ingest", "docs", "--out", ""), "'--out' / '-o'"),
        (("ingest", "", "--out", "p.parquet"), "'paths'"),
        (("ingest", "docs", "--out", "p.parquet", "--previous", ""), "'--previous'"),
        (("evaluate", "--model", "m", "--data", " "), "'--data'"),
        (("taxonomy", "check", "--labels", ""), "'--labels'"),  # a command of a sub-group
    ],
)
def test_an_empty_path_is_an_error_naming_the_option(
    args: tuple[str, ...], named: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`export --out ""` said `error: . exists and is not a previous export`: Python reads
    Path("") as the current folder, and nothing said --out was empty (an unset $OUT)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    proc = run(*args)
    line = _error_line(proc)
    assert proc.returncode == 2
    assert line.startswith(f"error: invalid value for {named}: expected a file or folder path, ")
    assert "found an empty value" in line and "an unset shell variable" in line


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("prelabel", "x.parquet", "--out", "y.parquet", "--model", ""), "'--model'"),
        (("evaluate", "--model", " ", "--data", "d.jsonl"), "'--model'"),
        (("studio", "start", "--database", ""), "'--database'"),
        (("push", "x.jsonl", "-p", "P", "--reviewer", "a@x.org", "--reviewer", ""), "'--reviewer'"),
        (("ingest", "docs", "--out", "p.parquet", "--text-column", ""), "'--text-column'"),
        (("review", "reassign", "-p", "P", "--from", ""), "'--from'"),
    ],
)
def test_an_empty_text_option_is_an_error_naming_the_option(
    args: tuple[str, ...], named: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`prelabel --model ""` went on to look up '' as a model (an unset $MODEL), and
    `studio start --database ""` had nothing say which option was empty: the same usage
    error as an empty path, before anything runs."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    proc = run(*args)
    line = _error_line(proc)
    assert proc.returncode == 2
    assert line.startswith(f"error: invalid value for {named}: expected a value, ")
    assert "found an empty value" in line and "an unset shell variable" in line
