"""`annotate verify` recomputes each row's split from the manifest's seed and ratios (by
document, near-duplicate group and reply thread, as export splits) and names the rows
moved: a document moved from train to test in every format with the manifest resealed
verified exit 0 before (audit61: verify did not recompute splits)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate._util.digest import sha256_file
from annotate.audit.splits_fit import split_misfits
from annotate.audit.verify import check, content_record, with_digest
from annotate.cli import main
from tests.audit.test_verify_sources import exported  # noqa: F401  (the fixture)


def _reseal(corpus: Path, rows: dict[str, int]) -> None:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = {
        rel: meta for rel, meta in manifest["files"].items() if (corpus / rel).is_file()
    }
    for path in sorted((corpus / "hf").rglob("*")):
        rel = str(path.relative_to(corpus))
        if path.is_file():
            manifest["files"].setdefault(rel, {})
    for rel, meta in manifest["files"].items():
        meta.update(sha256=sha256_file(corpus / rel), bytes=(corpus / rel).stat().st_size)
    manifest["rows"].update(rows, total=sum(rows.values()))
    manifest["content_sha256"] = content_record(corpus)
    (corpus / "manifest.json").write_text(json.dumps(with_digest(manifest)), encoding="utf-8")


def _move(corpus: Path, doc_ids: set[str], src: str, dst: str) -> list[str]:
    """Move the rows of ``doc_ids`` from split ``src`` to ``dst`` in JSONL, Parquet and
    HF (their ``split`` field too); the ids moved."""
    lines = {
        s: (corpus / f"jsonl/{s}.jsonl").read_text(encoding="utf-8").splitlines()
        for s in (src, dst)
    }
    rows = {s: [json.loads(line) for line in lines[s]] for s in lines}
    at = [i for i, r in enumerate(rows[src]) if r["doc_id"] in doc_ids]
    moved = [{**rows[src][i], "split": dst} for i in at]
    rows[dst] += moved
    rows[src] = [r for i, r in enumerate(rows[src]) if i not in at]
    for s in (src, dst):
        (corpus / f"jsonl/{s}.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in rows[s]), encoding="utf-8"
        )
    hf = {s: datasets.load_from_disk(str(corpus / "hf" / s)) for s in (src, dst)}
    code = hf[src].features["split"].str2int(dst)  # a ClassLabel in Parquet and HF
    tables = {s: pq.read_table(corpus / f"parquet/{s}.parquet") for s in (src, dst)}
    taken = tables[src].take(pa.array(at))
    taken = taken.set_column(
        taken.schema.get_field_index("split"),
        taken.schema.field("split"),
        pa.array([code] * len(at), type=taken.schema.field("split").type),
    )
    keep = [i for i in range(tables[src].num_rows) if i not in at]
    pq.write_table(
        tables[src].take(pa.array(keep, type=pa.int64())), corpus / f"parquet/{src}.parquet"
    )
    pq.write_table(pa.concat_tables([tables[dst], taken]), corpus / f"parquet/{dst}.parquet")
    out = {
        src: hf[src].select(keep),
        dst: datasets.concatenate_datasets(
            [hf[dst], hf[src].select(at).map(lambda r: {"split": code})]
        ),
    }
    for s, ds in out.items():
        ds.save_to_disk(str(corpus / f"hf-{s}"))
        shutil.rmtree(corpus / "hf" / s)
        (corpus / f"hf-{s}").rename(corpus / "hf" / s)
    return [str(r["id"]) for r in moved]


def test_the_export_as_written_recomputes_to_its_splits(
    exported: tuple[Path, Path],  # noqa: F811
) -> None:
    _, corpus = exported
    result = check(corpus)
    assert result.ok and result.splits_unchecked == ""
    assert split_misfits(corpus, json.loads((corpus / "manifest.json").read_text()), ["train"]) == (
        "",
        [],
    )


def test_a_document_moved_to_test_and_resealed_is_named(
    exported: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, corpus = exported
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    shutil.rmtree(copy / "report", ignore_errors=True)
    train = [json.loads(x) for x in (copy / "jsonl/train.jsonl").read_text().splitlines()]
    doc = next(r["doc_id"] for r in train if r["input_file"] == "posts.jsonl")
    ids = _move(copy, {doc}, "train", "test")
    _reseal(copy, {"train": len(train) - len(ids), "validation": 0, "test": len(ids)})
    with pytest.raises(SystemExit) as failed:
        main(["verify", str(copy), "-q"])
    assert failed.value.code == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "not in the split the manifest's seed 0 and ratios give them" in err, err
    assert f"{ids[0]} (test, made train)" in err, err
    assert "--manifest-sha256" in err


def test_a_redacted_export_says_why_its_splits_are_not_recomputed(tmp_path: Path) -> None:
    manifest = {"redaction": {"ran": True}, "splits": {}}
    assert "--redact" in str(split_misfits(tmp_path, manifest, ["train"]))
    manifest = {"splits": {"method": "stratified"}}
    assert "another split method" in str(split_misfits(tmp_path, manifest, ["train"]))


def test_only_what_a_split_follows_from_is_held_of_each_row(
    exported: tuple[Path, Path],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Verify recomputes the splits over every row at once: it keeps of each row the keys
    the split follows from (and the text for export's near-duplicate search), not the
    scores, spans and answers (benchmarks/README.md, "`annotate verify` at scale")."""
    import annotate.audit.splits_fit as splits_fit

    _, corpus = exported
    held: list[set[str]] = []
    real = splits_fit.recomputed

    def spy(rows: list[dict[str, object]], *args: object, **kwargs: object) -> list[str]:
        held.extend(set(r) for r in rows)
        return real(rows, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(splits_fit, "recomputed", spy)
    manifest = json.loads((corpus / "manifest.json").read_text())
    assert split_misfits(corpus, manifest, ["train"]) == ("", [])
    assert held
    allowed = {*splits_fit.KEPT, "text", "split"}
    assert all(keys <= allowed for keys in held), set().union(*held) - allowed
