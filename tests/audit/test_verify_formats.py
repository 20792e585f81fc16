"""`annotate verify` compares the three formats: a JSONL forged with its manifest (checksums,
content digest and manifest digest rewritten to fit) while Parquet and HF keep the original
labels used to verify; now the format that differs is named with its rows and fields."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from annotate._util.digest import sha256_file
from annotate.audit.verify import VerifyError, check, content_record, verify, with_digest
from annotate.cli import main
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("formats") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


def _reseal(corpus: Path) -> None:
    """Rewrite the manifest to fit the files as they are now (what a forger does)."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    for rel, meta in manifest["files"].items():
        meta.update(sha256=sha256_file(corpus / rel), bytes=(corpus / rel).stat().st_size)
    manifest["content_sha256"] = content_record(corpus)
    (corpus / "manifest.json").write_text(json.dumps(with_digest(manifest)), encoding="utf-8")


def _forge_jsonl(corpus: Path, tmp_path: Path) -> tuple[Path, str]:
    copy = tmp_path / "forged"
    shutil.copytree(corpus, copy)
    path = copy / "jsonl" / "train.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows[0]["labels"] = ["none"]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    _reseal(copy)
    return copy, rows[0]["id"]


def test_a_fresh_export_compares_its_formats(corpus: Path) -> None:
    assert sorted(verify(corpus).formats_compared) == ["test", "train", "validation"]


def test_a_forged_jsonl_with_a_consistent_manifest_fails(corpus: Path, tmp_path: Path) -> None:
    copy, row_id = _forge_jsonl(corpus, tmp_path)
    found = {m.path: m.what for m in check(copy).mismatches}
    assert list(found) == ["jsonl/train.jsonl"], found  # the checksums all fit
    what = found["jsonl/train.jsonl"]
    assert f"{row_id} (labels)" in what
    assert "parquet/train.parquet and hf/train, which agree" in what
    with pytest.raises(VerifyError, match="1 row"):
        verify(copy)


def test_parquet_and_hf_differing_name_the_odd_one(corpus: Path, tmp_path: Path) -> None:
    """Forging JSONL and Parquet together leaves HF as the one that differs."""
    import pyarrow.parquet as pq

    copy, row_id = _forge_jsonl(corpus, tmp_path)
    path = copy / "parquet" / "train.parquet"
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["labels"] = [6]  # "none"'s id
    pq.write_table(type(table).from_pylist(rows, schema=table.schema), path)
    _reseal(copy)
    found = {m.path: m.what for m in check(copy).mismatches}
    assert list(found) == ["hf/train"], found
    assert f"{row_id} (labels)" in found["hf/train"]


def test_cli_says_the_formats_were_compared(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as ok:
        main(["verify", str(corpus)])
    assert ok.value.code == 0
    assert "jsonl, parquet and hf hold the same rows" in capsys.readouterr().err
    copy, row_id = _forge_jsonl(corpus, tmp_path)
    with pytest.raises(SystemExit) as bad:
        main(["verify", str(copy)])
    assert bad.value.code == 1
    err = capsys.readouterr().err.strip()
    assert "jsonl/train.jsonl" in err and row_id in err and len(err.splitlines()) == 1


def test_an_hf_shard_rewritten_alone_is_named(corpus: Path, tmp_path: Path) -> None:
    """Parquet and HF are compared in Arrow first: a differing HF batch is still read."""
    import pyarrow as pa

    copy = tmp_path / "hf"
    shutil.copytree(corpus, copy)
    shard = copy / "hf" / "train" / "data-00000-of-00001.arrow"
    with pa.memory_map(str(shard)) as source:
        table = pa.ipc.open_stream(source).read_all()
    rows = table.to_pylist()
    rows[-1]["severity"] = "low" if rows[-1]["severity"] != "low" else "high"
    with pa.OSFile(str(shard), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(type(table).from_pylist(rows, schema=table.schema))
    _reseal(copy)
    found = {m.path: m.what for m in check(copy).mismatches}
    assert list(found) == ["hf/train"], found
    assert f"{rows[-1]['id']} (severity)" in found["hf/train"]


def test_normalize_decodes_labels_and_rounds_float32() -> None:
    from annotate.audit.formats import normalize

    label = {"_type": "ClassLabel", "names": ["a", "b"]}
    assert normalize({"_type": "List", "feature": label}, [1, 0]) == ["b", "a"]
    assert normalize([label], ["a", 1]) == ["a", "b"]  # a name stays; older list spelling
    assert normalize(label, 7) == "<label id 7>"
    f32 = {"_type": "Value", "dtype": "float32"}
    assert normalize(f32, 0.9) == normalize(f32, 0.8999999761581421) != 0.9
    assert normalize({"_type": "Value", "dtype": "float64"}, 0.9) == 0.9
    # a struct keeps the feature's keys: a key the JSONL lacks is None
    assert normalize({"x": label, "y": f32}, {"x": 0, "z": 1}) == {"x": "a", "y": None}


def _edit_jsonl_row(corpus: Path, tmp_path: Path) -> tuple[Path, str]:
    """A copy of ``corpus`` whose first train JSONL row has another label, the manifest
    left as exported (an edit an auditor is to catch)."""
    copy = tmp_path / "edited"
    shutil.copytree(corpus, copy)
    path = copy / "jsonl" / "train.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows[0]["labels"] = ["none"] if rows[0]["labels"] != ["none"] else ["violent_threat"]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return copy, rows[0]["id"]


def test_an_edited_row_is_named_with_its_file(corpus: Path, tmp_path: Path) -> None:
    """A row edited in one format, checksums left as exported: the file's checksum
    mismatch also names the row and field (the other two formats still hold the export's);
    it used to name the file only."""
    copy, row_id = _edit_jsonl_row(corpus, tmp_path)
    found = {m.path: m.what for m in check(copy).mismatches}
    assert list(found) == ["jsonl/train.jsonl"], found
    assert "SHA-256" in found["jsonl/train.jsonl"] or "bytes" in found["jsonl/train.jsonl"]
    assert f"{row_id} (labels)" in found["jsonl/train.jsonl"]
    with pytest.raises(VerifyError, match=f"jsonl/train.jsonl: .*{row_id} \\(labels\\)"):
        verify(copy)


def test_a_row_edited_alike_in_two_formats_names_the_one_left(corpus: Path, tmp_path: Path) -> None:
    """JSONL and Parquet edited alike, checksums left: both files are named with the row,
    which differs from HF, the format that still matches the manifest."""
    import pyarrow.parquet as pq

    copy, row_id = _edit_jsonl_row(corpus, tmp_path)
    label = json.loads((copy / "jsonl" / "train.jsonl").read_text().splitlines()[0])["labels"]
    path = copy / "parquet" / "train.parquet"
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["labels"] = [6 if label == ["none"] else 0]  # ClassLabel ids of labels.yaml
    pq.write_table(type(table).from_pylist(rows, schema=table.schema), path)
    found = {m.path: m.what for m in check(copy).mismatches}
    assert sorted(found) == ["jsonl/train.jsonl", "parquet/train.parquet"], found
    for what in found.values():
        assert f"differ from hf/train, which matches the manifest: {row_id} (labels)" in what


def _rewrite_jsonl(corpus: Path, tmp_path: Path, edit: Any) -> tuple[Path, list[str]]:
    """A copy of ``corpus`` whose train JSONL lines ``edit`` rewrote (manifest as
    exported); the ids of the lines before the edit."""
    copy = tmp_path / "rewritten"
    shutil.copytree(corpus, copy)
    path = copy / "jsonl" / "train.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    path.write_text("".join(line + "\n" for line in edit(lines)), encoding="utf-8")
    return copy, ids


def test_a_deleted_row_is_named(corpus: Path, tmp_path: Path) -> None:
    """A row deleted from the JSONL: verify named the file and its row count, never which
    row; now the id the other two formats still hold."""
    copy, ids = _rewrite_jsonl(corpus, tmp_path, lambda lines: lines[1:])
    with pytest.raises(VerifyError) as err:
        verify(copy)
    message = str(err.value)
    assert f"jsonl/train.jsonl: {(copy / 'jsonl' / 'train.jsonl').stat().st_size} bytes" in message
    assert f"lacks 1 row(s) that parquet/train.parquet and hf/train hold: {ids[0]}" in message, (
        message
    )


def test_a_copied_row_is_named(corpus: Path, tmp_path: Path) -> None:
    copy, ids = _rewrite_jsonl(corpus, tmp_path, lambda lines: [*lines, lines[0]])
    found = [m.what for m in check(copy).mismatches if m.path == "jsonl/train.jsonl"]
    assert any(
        f"holds 1 row(s) more times than the other two formats (copied): {ids[0]}" in w
        for w in found
    ), found


def test_a_row_added_with_a_resealed_manifest_is_named(corpus: Path, tmp_path: Path) -> None:
    """A made-up row added and the manifest resealed (checksums, counts and digests fitted):
    the JSONL is named with the row only it holds."""

    def add(lines: list[str]) -> list[str]:
        row = json.loads(lines[0])
        return [*lines, json.dumps({**row, "id": "p_made_up"})]

    copy, _ = _rewrite_jsonl(corpus, tmp_path, add)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["rows"]["train"] += 1
    manifest["rows"]["total"] += 1
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _reseal(copy)
    found = {m.path: m.what for m in check(copy).mismatches}
    assert "holds 1 row(s) that the other two formats lack: p_made_up" in found.get(
        "jsonl/train.jsonl", ""
    ), found


def test_a_row_deleted_by_a_pandas_rewrite_is_named(corpus: Path, tmp_path: Path) -> None:
    """newuser59 #4: a Parquet split re-saved by pandas with a row dropped loses the HF
    features; verify said so and counted the rows, never which one was deleted, though the
    ids are plain strings in every format."""
    pd = pytest.importorskip("pandas")
    copy = tmp_path / "pandas"
    shutil.copytree(corpus, copy)
    path = copy / "parquet" / "train.parquet"
    frame = pd.read_parquet(path)
    gone = str(frame["id"].iloc[0])
    frame.iloc[1:].to_parquet(path)
    found = [m.what for m in check(copy).mismatches if m.path == "parquet/train.parquet"]
    what = "; ".join(found)
    assert "has no HF features in its schema metadata" in what, found
    assert f"lacks 1 row(s) that jsonl/train.jsonl and hf/train hold: {gone}" in what, found
