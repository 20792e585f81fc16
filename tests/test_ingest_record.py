"""Ingest records what it ran with in every passage (``ingest_run``): the settings, the
input files' SHA-256, the ``--previous`` files and the runs they came from, the tool
version (annotate.ingestion.record). Before, nothing said how the passages were cut."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

import annotate
from annotate._util.revision import checkout_revision, tool_version
from annotate.audit.redact import RedactionSettings
from annotate.ingestion import ingest

LONG = " ".join(f"Sentence number {i} talks about the harbour and the ferry." for i in range(12))


def _inputs(root: Path) -> list[Path]:
    texts = root / "texts"
    texts.mkdir(parents=True)
    (texts / "a.txt").write_text(LONG + "\n", encoding="utf-8")
    (texts / "b.md").write_text("Mail jane@example.com about the ferry.\n", encoding="utf-8")
    (texts / ".hidden.txt").write_text("not read by ingest\n", encoding="utf-8")
    table = root / "posts.csv"
    table.write_text("post_id;text\n1;The first post.\n2;The second post.\n", encoding="utf-8")
    return [texts, table]


def _runs(out: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows
    return [json.loads(r["ingest_run"]) for r in rows]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_passage_records_the_settings_inputs_and_version(tmp_path: Path) -> None:
    paths = _inputs(tmp_path / "in")
    out = tmp_path / "passages.jsonl"
    ingest(
        paths,
        out,
        id_column="post_id",
        delimiter=";",
        max_chars=200,
        min_chars=40,
        near_dup_threshold=0.6,
        drop_near_duplicates=True,
    )
    runs = _runs(out)
    where = ("input_paths", "working_folder")  # on the first passage only
    assert all(k in runs[0] for k in where) and not any(k in r for r in runs[1:] for k in where)
    assert all(r == {k: v for k, v in runs[0].items() if k not in where} for r in runs[1:])
    run = runs[0]
    # the release; the git revision of a checkout apart (not part of the run id)
    assert run["annotate_version"] == annotate.__version__
    assert run.get("revision") == checkout_revision()
    assert tool_version().startswith(run["annotate_version"])
    settings = run["settings"]
    assert {k: settings[k] for k in ("text_column", "id_column", "delimiter")} == {
        "text_column": "text",
        "id_column": "post_id",
        "delimiter": ";",
    }
    assert (settings["max_chars"], settings["min_chars"]) == (200, 40)
    assert settings["drop_exact_duplicates"] is True
    assert (settings["near_dup_threshold"], settings["drop_near_duplicates"]) == (0.6, True)
    assert settings["redact"] is None
    # the input files, named as ingest names documents (hidden files are not read)
    files = {
        "texts/a.txt": paths[0] / "a.txt",
        "texts/b.md": paths[0] / "b.md",
        "posts.csv": paths[1],
    }
    inputs = run["inputs"]
    assert inputs["files"] == 3
    assert inputs["bytes"] == sum(p.stat().st_size for p in files.values())
    assert "listed" not in inputs  # on every row: the digest stands for them
    # the digest of every file: sha256sum's lines, sorted by name
    lines = "".join(f"{_sha(files[name])}  {name}\n" for name in sorted(files))
    assert inputs["sha256"] == hashlib.sha256(lines.encode()).hexdigest()
    assert "previous" not in run  # none given
    assert settings["tables"] is True  # posts.csv: text_column and id_column applied
    # where the inputs were (not part of the id either: passD51 D2)
    where = ("input_paths", "working_folder", "sources_folders")
    body = {k: v for k, v in run.items() if k not in ("run", "revision", *where)}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert run["run"] == "ingest-" + hashlib.sha256(canonical.encode()).hexdigest()[:16]


def test_the_run_id_follows_the_settings_and_the_inputs(tmp_path: Path) -> None:
    paths = _inputs(tmp_path / "in")
    ingest(paths, tmp_path / "one.jsonl", delimiter=";")
    ingest(paths, tmp_path / "same.jsonl", delimiter=";")
    ingest(paths, tmp_path / "other.jsonl", delimiter=";", max_chars=300)
    one, same, other = (_runs(tmp_path / f"{n}.jsonl")[0] for n in ("one", "same", "other"))
    assert one["run"] == same["run"]
    assert other["run"] != one["run"] and other["settings"]["max_chars"] == 300
    (paths[1]).write_text("post_id;text\n1;The first post, edited.\n", encoding="utf-8")
    ingest(paths, tmp_path / "edited.jsonl", delimiter=";")
    edited = _runs(tmp_path / "edited.jsonl")[0]
    assert edited["run"] != one["run"] and edited["inputs"]["sha256"] != one["inputs"]["sha256"]


def test_previous_files_and_their_runs_are_recorded(tmp_path: Path) -> None:
    paths = _inputs(tmp_path / "in")
    first = tmp_path / "batch1.parquet"
    ingest(paths[:1], first)
    (earlier,) = {r["run"] for r in _runs_parquet(first)}
    later = tmp_path / "b2"
    later.mkdir()
    (later / "c.txt").write_text("A new text about the harbour.\n", encoding="utf-8")
    out = tmp_path / "batch2.jsonl"
    ingest([later], out, previous=[first])
    (run,) = {json.dumps(r, sort_keys=True) for r in _runs(out)}
    assert json.loads(run)["previous"] == [
        {"file": "batch1.parquet", "sha256": _sha(first), "runs": [earlier]}
    ]


def _runs_parquet(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    column = pq.read_table(path, columns=["ingest_run"]).column("ingest_run").to_pylist()
    return [json.loads(v) for v in column]


def test_redaction_and_switched_off_searches_are_recorded(tmp_path: Path) -> None:
    from tests.test_open_work import run_cli

    paths = _inputs(tmp_path / "in")
    out = tmp_path / "p.jsonl"
    ran = run_cli(
        "ingest", *map(str, paths), "--out", str(out), "--delimiter", ";",
        "--keep-duplicates", "--no-near-dups", "--redact", "-q",
    )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    settings = _runs(out)[0]["settings"]
    assert settings["drop_exact_duplicates"] is False
    assert settings["near_dup_threshold"] is None and settings["drop_near_duplicates"] is False
    full = RedactionSettings().record()
    # what changes a masked text; the libraries' versions are in each row's redaction,
    # phonenumbers' in the run's too (verify --sources compares it with the one installed)
    keys = ("kinds", "placeholders", "phone_regions", "phone_international")
    keys += ("user_url_without_scheme", "subtitle_markup", "detection_revision")
    phonenumbers = {"phonenumbers": full["library"]["phonenumbers"]}
    assert settings["redact"] == {k: full[k] for k in keys} | phonenumbers


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_prelabel_carries_the_record_to_push(tmp_path: Path, taxonomy: Any, suffix: str) -> None:
    import pyarrow.parquet as pq

    from annotate.prelabeling import prelabel
    from tests.fakes import KeywordClassifier

    passages = tmp_path / f"passages{suffix}"
    ingest(_inputs(tmp_path / "in"), passages, delimiter=";")
    out = tmp_path / f"pre{suffix}"
    prelabel(passages, out, classifier=KeywordClassifier(taxonomy.category_names))
    if suffix == ".jsonl":
        before = _runs(passages)
        after = _runs(out)
    else:
        before, after = _runs_parquet(passages), _runs_parquet(out)
        assert pq.read_schema(out).field("ingest_run").type == "string"
    assert after == before and after[0]["settings"]["delimiter"] == ";"


def test_many_inputs_are_all_in_the_digest_and_the_record_does_not_grow(tmp_path: Path) -> None:
    """Up to 5 input files were listed in the record, on every row: a folder's passages
    carried about 1.3 KB of it each. The digest covers every file; no name is listed."""
    sizes = {}
    for count in (2, 30):
        folder = tmp_path / f"many{count}"
        folder.mkdir()
        for i in range(count):
            (folder / f"{i:02d}.txt").write_text(f"Text number {i} about the ferry.\n")
        out = tmp_path / f"p{count}.jsonl"
        ingest([folder], out)
        # a later passage's record (the first also says where the inputs were)
        raw = json.loads(out.read_text().splitlines()[-1])["ingest_run"]
        sizes[count] = len(raw.encode())
        inputs = json.loads(raw)["inputs"]
        assert inputs["files"] == count and "listed" not in inputs
        settings = json.loads(raw)["settings"]  # text files: the table options did nothing
        assert settings["tables"] is False and "text_column" not in settings
        names = sorted(p.name for p in folder.iterdir())
        lines = "".join(f"{_sha(folder / n)}  {folder.name}/{n}\n" for n in names)
        assert inputs["sha256"] == hashlib.sha256(lines.encode()).hexdigest()
    assert abs(sizes[30] - sizes[2]) <= 4, sizes  # only the counts' digits differ
    # and the folder holding the input once (sources_folders, for `verify --sources`)
    assert sizes[30] < 450 + len(str(tmp_path.resolve())), sizes


def test_an_exported_corpus_as_previous_names_its_runs(tmp_path: Path) -> None:
    """An exported corpus's rows carry the bare run id (its manifest has the record)."""
    corpus_rows = tmp_path / "train.jsonl"
    row = {"id": "p1", "doc_id": "d", "text": "An earlier passage.", "ingest_run": "ingest-00aa"}
    corpus_rows.write_text(json.dumps({**row, "ingest_redaction": None}) + "\n")
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "c.txt").write_text("A new text about the harbour.\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([folder], out, previous=[corpus_rows])
    assert _runs(out)[0]["previous"][0]["runs"] == ["ingest-00aa"]


def test_previous_files_are_listed_once_per_run_and_read_back_from_any_row(
    tmp_path: Path,
) -> None:
    """The ``--previous`` list (each file with the runs its passages record) was repeated
    on every passage and every task pushed, as ``skipped_files`` was: the run's first
    passage lists both, the others hold their count and digest under the same run id,
    derived from the summaries; ingest --previous, pull's ingest_runs (export) and the
    report read the list (or say where it is)."""
    from annotate.audit.provenance import ingest_run_lines
    from annotate.ingestion.record import list_summary, record_run_id, recorded_runs
    from annotate.studio.pull import ingest_runs

    paths = _inputs(tmp_path / "in")
    first = tmp_path / "batch1.jsonl"
    ingest(paths[:1], first, max_chars=40, min_chars=1)
    later = tmp_path / "b2"
    later.mkdir()
    (later / "c.txt").write_text("\n\n".join(f"Harbour note {k}." for k in range(6)) + "\n")
    (later / "d.txt").write_bytes(b"\xff\xfe not UTF-8 \x81")
    out = tmp_path / "batch2.jsonl"
    ingest([later], out, previous=[first], skip_bad_files=True, max_chars=40, min_chars=1)
    records = _runs(out)
    head, rest = records[0], records[1:]
    assert len(rest) >= 3 and isinstance(head["previous"], list)
    assert isinstance(head["skipped_files"], list)
    assert head["previous"][0]["runs"] == sorted({r["run"] for r in _runs(first)})
    summaries = {
        "previous": list_summary(head["previous"]),
        "skipped_files": list_summary(head["skipped_files"]),
    }
    where = ("input_paths", "working_folder")  # on the first passage only
    first = {k: v for k, v in {**head, **summaries}.items() if k not in where}
    assert all(first == r for r in rest)  # the lists apart, the same
    assert record_run_id(rest[0]) == head["run"]  # both forms name one run
    assert set(rest[0]["previous"]) == {"files", "sha256"}
    assert recorded_runs(out).records == {head["run"]: head}
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    tasks = [{"data": {"ingest_run": r["ingest_run"]}} for r in reversed(rows)]
    assert ingest_runs(tasks) == {head["run"]: head}
    listed = "\n".join(ingest_run_lines({"runs": [{**head, "rows": 9}]}))
    assert head["previous"][0]["runs"][0] in listed
    only = "\n".join(ingest_run_lines({"runs": [{**rest[0], "rows": 9}]}))
    assert "1 file(s), runs listed in the run's first passage" in only


def test_a_file_listing_previous_on_every_row_reads_as_before(tmp_path: Path) -> None:
    """Files written before: the ``previous`` list on every row, the run id derived from
    it; the readers take it as they did."""
    from annotate.audit.provenance import ingest_run_lines
    from annotate.ingestion.record import recorded_runs
    from annotate.studio.pull import ingest_runs

    earlier = [{"file": "batch1.jsonl", "sha256": "ab" * 32, "runs": ["ingest-00aa"]}]
    old = {"run": "ingest-0123456789abcdef", "annotate_version": "0.1.0", "previous": earlier}
    rows = [{"id": f"p{k}", "text": "t", "ingest_run": json.dumps(old)} for k in range(3)]
    out = tmp_path / "old.jsonl"
    out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert recorded_runs(out).records == {old["run"]: old}
    assert ingest_runs([{"data": r} for r in rows]) == {old["run"]: old}
    assert "ingest-00aa" in "\n".join(ingest_run_lines({"runs": [{**old, "rows": 3}]}))


def _fixed_record(**settings: Any) -> Any:
    from annotate.ingestion.record import IngestRecord, IngestSettings, InputFile

    base = IngestSettings(
        text_column="text",
        id_column=None,
        delimiter=None,
        tables=False,
        max_chars=1200,
        min_chars=40,
        drop_exact_duplicates=True,
        near_dup_threshold=0.8,
        drop_near_duplicates=False,
        redact=None,
        **settings,
    )
    return IngestRecord(
        annotate_version="0.1.0",
        settings=base,
        inputs=[InputFile(name="corpus/a.txt", sha256="ab" * 32, bytes=10)],
        revision="git abc",
    )


def test_the_licence_is_recorded_and_tells_runs_apart(tmp_path: Path) -> None:
    """passD51 D6: runs under different --license gave one run id and a record without
    the licence; the id of a run without one stays what it was (the value below is the
    one annotate gave before the licence was recorded, once the splitter's version
    joined the settings: s51-ids, merged first)."""
    from dataclasses import replace

    plain = _fixed_record()
    assert plain.as_dict()["run"] == "ingest-3e65b57c0bf69ab5"
    assert "license" not in plain.as_dict()["settings"]
    mit = replace(plain, settings=replace(plain.settings, license="MIT"))
    assert mit.as_dict()["settings"]["license"] == "MIT"
    assert mit.as_dict()["run"] != plain.as_dict()["run"]
    # where the inputs were is recorded, but is no part of the id
    moved = replace(
        plain,
        input_paths=[{"given": "../corpus", "sources_folder": "/srv"}],
        working_folder="/srv/w",
    )
    assert moved.as_dict()["run"] == plain.as_dict()["run"]
    paths = _inputs(tmp_path / "in")
    ingest(paths, tmp_path / "none.jsonl", delimiter=";")
    ingest(paths, tmp_path / "mit.jsonl", delimiter=";", license="mit")
    ingest(paths, tmp_path / "own.jsonl", delimiter=";", license="LicenseRef-internal-test")
    runs = [_runs(tmp_path / f"{n}.jsonl")[0] for n in ("none", "mit", "own")]
    assert [r["settings"].get("license") for r in runs] == [None, "MIT", "LicenseRef-internal-test"]
    assert len({r["run"] for r in runs}) == 3


def test_the_folders_holding_the_inputs_are_recorded(tmp_path: Path, monkeypatch: Any) -> None:
    """passD51 D2: `ingest ../corpus` run in w/ names documents corpus/a.txt, relative to
    the parent of corpus, not to w/; the record names that folder (absolute) for `verify
    --sources`, and the paths as given and the working folder."""
    paths = _inputs(tmp_path / "in")
    work = tmp_path / "w"
    work.mkdir()
    monkeypatch.chdir(work)
    ingest([Path("../in/texts"), Path("../in/posts.csv")], Path("p.jsonl"), delimiter=";")
    run = _runs(work / "p.jsonl")[0]
    folder = str((tmp_path / "in").resolve())
    assert run["input_paths"] == [
        {"given": "../in/texts", "sources_folder": folder},
        {"given": "../in/posts.csv", "sources_folder": str(Path("../in").absolute())},
    ]
    assert Path(run["input_paths"][1]["sources_folder"]).resolve() == paths[1].parent.resolve()
    # the folders on every row (a run's first passage may be left out of an export)
    later = _runs(work / "p.jsonl")[-1]
    assert "input_paths" not in later and later["run"] == run["run"]
    assert later["sources_folders"] == [folder, str(Path("../in").absolute())]
    assert (
        run["working_folder"] == str(work.resolve())
        or Path(run["working_folder"]).resolve() == work.resolve()
    )
