"""The audit report: numbers from the exported files, figures, HTML that a browser renders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from annotate.audit.report import write_report
from annotate.cli import main
from annotate.corpus.export import export

from .browser import chromium, page_state
from .fakes import FakeStudio, reviewed_tasks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


def _rows(corpus: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for p in sorted((corpus / "jsonl").glob("*.jsonl"))
        for line in p.read_text(encoding="utf-8").splitlines()
    ]


def test_every_export_writes_a_report(corpus: Path) -> None:
    report = corpus / "report"
    assert (report / "report.md").is_file() and (report / "report.html").is_file()
    pngs = sorted((report / "figures").glob("*.png"))
    assert len(pngs) == 6
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000


def test_numbers_match_the_exported_rows(corpus: Path) -> None:
    numbers = json.loads((corpus / "report" / "report.json").read_text())
    rows = _rows(corpus)
    c = numbers["counts"]
    assert c["passages"] == len(rows) == 5
    assert c["annotations"] == sum(len(r["annotations"]) for r in rows) == 8
    assert c["by_category"]["violent_threat"] == sum("violent_threat" in r["labels"] for r in rows)
    assert c["by_category"]["none"] == 2
    # not given: the two answers without a severity, and doc-a-p0's news_reporting with
    # severity low (a harmful severity with no harmful category: read as none given)
    assert c["by_severity"]["high"] == 1 and c["by_severity"]["(not given)"] == 3
    assert c["by_severity"]["low"] == 0
    assert c["by_source"] == {"example.org": 4, "twitter.com": 1}
    assert c["source_kinds"] == {"example.org": "web host", "twitter.com": "web host"}
    per = numbers["model_vs_human"]["fixture-model-1"]["categories"]
    # model said violent_threat on the threat (kept) and on "Nothing to see here." (not kept)
    assert (per["violent_threat"]["tp"], per["violent_threat"]["fp"]) == (1, 1)
    assert (per["incitement"]["fp"], per["incitement"]["fn"]) == (1, 1)
    mv = numbers["model_vs_human"]["fixture-model-1"]
    assert mv["exact_agreement"] == sum(r["model_agreed"] for r in rows) == 1
    # categories alone: the model's equal the resolved ones on the museum passage and on
    # the news passage, whose reviewer added a span and a severity (model_agreed false)
    assert mv["same_categories"] == 2
    work = numbers["workload"]
    assert sum(w["annotations"] for w in work.values()) == 8 and len(work) == 3
    reviewer_of_threat = {
        a["reviewer"] for r in rows if r["id"] == "doc-a-p1" for a in r["annotations"]
    }
    assert all(work[rv]["high_severity"] >= 1 for rv in reviewer_of_threat)
    lt = numbers["lead_time"]
    assert (lt["n"], lt["missing"], lt["median"], lt["max"]) == (7, 1, 12.0, 45.0)
    assert (
        numbers["splits"]["sizes"]["train"]
        + numbers["splits"]["sizes"]["test"]
        + numbers["splits"]["sizes"]["validation"]
        == 5
    )
    assert numbers["splits"]["leakage"]["documents_in_several_splits"] == []
    assert numbers["checksums"]["verified"] is True
    # every export writes agreement.json: the report carries exactly what the file says
    agreement = json.loads((corpus / "agreement.json").read_text())
    assert numbers["agreement"]["n_items"] == agreement["n_items"]
    assert numbers["agreement"]["reviewers"] == agreement["reviewers"]
    assert numbers["gold"] == {}
    md = (corpus / "report" / "report.md").read_text()
    assert "| violent_threat | 1 | 1 | 0 | 3 | 0.500 | 1.000 |" in md
    assert (
        "5 passages; the model's categories equal the resolved ones on 2, and its "
        "categories, severity (where it suggested one: none for a harmful passage) and "
        "evidence spans (`model_agreed`) on 1." in md
    )
    assert "No `agreement.json` in this export" not in md
    manifest = json.loads((corpus / "manifest.json").read_text())
    for rel, meta in manifest["files"].items():
        assert f"| `{rel}` | {meta['bytes']} | `{meta['sha256']}` |" in md


def test_report_reads_agreement_gold_and_exposure_when_present(
    corpus: Path, tmp_path: Path
) -> None:
    """The shapes the review feature writes (agreement.json with gold, exposure.json)."""
    copy = tmp_path / "c"
    shutil.copytree(corpus, copy)
    agreement = {
        "n_items": 2,
        "n_reviewers": 3,
        "reviewers": ["r-a", "r-b", "r-c"],
        "categories": {
            "violent_threat": {"alpha": 0.61, "ci95": [0.2, 0.9], "n_items": 2, "n_answers": 5}
        },
        "severity": {"level": "ordinal", "alpha": 0.4, "ci95": None, "n_items": 2},
        "pairwise_kappa": [
            {"reviewers": ["r-a", "r-b"], "n_items": 2, "categories": {"violent_threat": 0.5},
             "severity": 0.25}
        ],
        "reviewer_vs_consensus": {"r-a": {"n_items": 2, "exact": 0.5, "flagged": True}},
        "gold": {
            "n_gold": 4,
            "min_accuracy": 0.8,
            "reviewers": {"r-a": {"n_items": 4, "exact": 0.75, "severity": 1.0, "flagged": True}},
        },
        "bootstrap": {"resamples": 200},
    }  # fmt: skip
    (copy / "agreement.json").write_text(json.dumps(agreement))
    exposure = {"reviewers": {"r-a": {"2026-06-01": {"answers": 3, "graphic": 1,
                                                     "high_severity": 2},
                                      "2026-06-02": {"answers": 5, "graphic": 0,
                                                     "high_severity": 1}}}}  # fmt: skip
    (copy / "exposure.json").write_text(json.dumps(exposure))
    result = write_report(copy, tmp_path / "r")
    md = result.markdown.read_text()
    assert "| violent_threat | 0.610 | [0.2, 0.9] | 2 | 5 |" in md
    assert "| r-a / r-b | 2 | 0.250 | 0.500 |" in md
    assert "| r-a | 2 | 0.500 | yes |" in md
    assert "Gold: 4 gold passages, minimum accuracy 0.8." in md
    assert "| r-a | 4 | 0.750 | 1.000 | yes |" in md
    numbers = json.loads((result.out / "report.json").read_text())  # for machines: a boolean
    assert numbers["agreement"]["reviewer_vs_consensus"]["r-a"]["flagged"] is True
    # exported without --gold-min-accuracy: the report said "minimum accuracy None"
    agreement["gold"]["min_accuracy"] = None
    (copy / "agreement.json").write_text(json.dumps(agreement))
    md = write_report(copy, tmp_path / "r2").markdown.read_text()
    assert "minimum accuracy None" not in md
    assert "minimum accuracy not set (export --gold-min-accuracy A)" in md
    # one gold passage is no "1 gold passages"
    agreement["gold"]["n_gold"] = 1
    (copy / "agreement.json").write_text(json.dumps(agreement))
    md = write_report(copy, tmp_path / "r3").markdown.read_text()
    assert "Gold: 1 gold passage, minimum accuracy" in md
    # exposure summed over days, busiest day; an exposure.json without roles: reviewers
    assert "| r-a | reviewer | 2 | 8 | 0 | 1 | 3 | 5 |" in md
    assert "gold tasks included" in md  # why its answers may exceed the annotations above
    assert '"resamples": 200' in md
    # the extras are not in the manifest: the report says the corpus no longer matches it
    assert result.numbers["checksums"]["verified"] is False


def test_cli_report_and_a_tampered_corpus(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as ok:
        main(["report", str(corpus), "--out", str(tmp_path / "rep")])
    assert ok.value.code == 0 and "corpus verified" in capsys.readouterr().err
    assert (tmp_path / "rep" / "report.html").is_file()
    with pytest.raises(SystemExit) as bad:
        main(["report", str(tmp_path / "nothing"), "--out", str(tmp_path / "x")])
    assert bad.value.code == 1 and "no such folder" in capsys.readouterr().err
    # a corpus whose files changed after export: the report is written and records it,
    # and the command fails, so that a compliance gate running `report` stops (it exited 0)
    import shutil

    copy = tmp_path / "tampered"
    shutil.copytree(corpus, copy)
    rows = max((copy / "jsonl").glob("*.jsonl"), key=lambda p: p.stat().st_size)
    rows.write_text(rows.read_text().replace('"text": "', '"text": "X', 1))
    with pytest.raises(SystemExit) as tampered:
        main(["report", str(copy), "--out", str(tmp_path / "rep2")])
    err = capsys.readouterr().err
    assert tampered.value.code != 0 and "DOES NOT match its manifest" in err
    assert f"error: {copy} does not match its manifest (1 mismatch(es)" in " ".join(err.split())
    assert "annotate verify" in err and (tmp_path / "rep2" / "report.html").is_file()


def test_cli_report_rerun_keeps_and_names_a_sign_off(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`echo x > rep/sign-off.md; annotate report corpus --out rep` deleted sign-off.md."""
    rep = tmp_path / "rep"
    with pytest.raises(SystemExit):
        main(["report", str(corpus), "--out", str(rep)])
    (rep / "sign-off.md").write_text("x\n")
    capsys.readouterr()
    with pytest.raises(SystemExit) as ok:
        main(["report", str(corpus), "--out", str(rep)])
    err = " ".join(capsys.readouterr().err.split())
    assert ok.value.code == 0 and (rep / "sign-off.md").read_text() == "x\n"
    assert f"note: kept 1 file(s) in {rep} that annotate did not write (sign-off.md)" in err


def test_report_takes_quiet_like_the_other_commands_and_reports_its_steps(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`annotate report -q` was refused (no such option), unlike every command with bars."""
    from annotate.audit.report import REPORT_STEPS

    with pytest.raises(SystemExit) as ok:
        main(["report", str(corpus), "--out", str(tmp_path / "rep"), "-q"])
    err = capsys.readouterr().err
    assert ok.value.code == 0 and "corpus verified" in err and "step" not in err
    steps: list[int] = []
    write_report(corpus, tmp_path / "rep2", progress=steps.append)
    assert sum(steps) == REPORT_STEPS == 4


def test_a_line_that_is_not_a_corpus_row_is_one_line_not_a_traceback(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line appended to a split's JSONL ended `annotate report` in KeyError: 'labels'."""
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    train = copy / "jsonl" / "train.jsonl"
    lines = len(train.read_text(encoding="utf-8").splitlines())
    with train.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"x": 1}) + "\n")
    with pytest.raises(SystemExit) as bad:
        main(["report", str(copy), "--out", str(tmp_path / "rep")])
    err = capsys.readouterr().err
    assert bad.value.code == 1 and "Traceback" not in err
    assert f"train.jsonl:{lines + 1} is not a corpus row (no 'id', 'text'" in err


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed (make test installs it)")
def test_html_renders_with_every_image(corpus: Path) -> None:
    state = page_state(corpus / "report" / "report.html")
    assert state["readyState"] == "complete" and state["title"] == "Review report: p"
    assert len(state["images"]) == 6 and state["tables"] >= 8
    broken = [i["src"] for i in state["images"] if not i["naturalWidth"]]
    assert broken == []


def test_an_empty_export_still_has_a_report(tmp_path: Path) -> None:
    export("p", tmp_path / "c", client=FakeStudio([]), salt="s")  # type: ignore[arg-type]
    numbers = json.loads((tmp_path / "c" / "report" / "report.json").read_text())
    assert numbers["counts"]["passages"] == 0 and numbers["lead_time"]["n"] == 0
    assert len(list((tmp_path / "c" / "report" / "figures").glob("*.png"))) == 5


def test_exported_values_are_shown_as_text(tmp_path: Path) -> None:
    """A project title or source with markup cannot inject HTML into the report."""
    tasks = reviewed_tasks()
    tasks[0]["data"]["source"] = "https://<img src=x onerror=alert(1)>.example/"
    export("<script>alert(1)</script>", tmp_path / "c", client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    html = (tmp_path / "c" / "report" / "report.html").read_text()
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_report_names_the_projects_read_never_none(corpus: Path, tmp_path: Path) -> None:
    md = (corpus / "report" / "report.md").read_text()
    manifest = json.loads((corpus / "manifest.json").read_text())
    (title, pid), *_ = manifest["label_studio_projects"].items()
    assert f"from the Label Studio project '{title}' (id {pid})" in md
    assert "project None" not in md
    # a review set: one project per reviewer, no id of its own (as `push -k 2` makes)
    copy = tmp_path / "c"
    shutil.copytree(corpus, copy)
    manifest["project"] = {"title": "B", "id": None, "label_studio_url": "http://ls:8080"}
    manifest["label_studio_projects"] = {"B · ana": 1, "B · ben": 2}
    (copy / "manifest.json").write_text(json.dumps(manifest))
    md = write_report(copy, tmp_path / "r").markdown.read_text()
    # exports made before reviewer projects were named by pseudonym recorded their titles,
    # which carry the reviewer's e-mail name: the report shows neither
    assert (
        "from 2 Label Studio projects at http://ls:8080: a reviewer's queue (id 1), a "
        "reviewer's queue (id 2) (format" in md
    )
    assert "B · ana" not in md and "B · ben" not in md
    assert "None" not in md.split("\n\n")[1]


def test_report_out_with_other_files_is_refused_and_left_alone(
    corpus: Path, tmp_path: Path
) -> None:
    from annotate.errors import InputError

    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "minutes.txt").write_text("mine")
    with pytest.raises(InputError, match="would be deleted"):
        write_report(corpus, mine)
    assert (mine / "minutes.txt").read_text() == "mine"
    write_report(corpus, tmp_path / "r")  # a new folder, then the same one again: replaced
    assert write_report(corpus, tmp_path / "r").markdown.is_file()


def test_local_sources_are_counted_per_input_not_per_row_or_file() -> None:
    from annotate.audit.report import _top
    from annotate.audit.stats import _source_key

    assert _source_key("forum_export.csv#12") == "forum_export.csv"
    assert _source_key("articles/2026-11/raid.txt") == "articles"
    assert _source_key("bakery.txt") == "bakery.txt"
    assert _source_key("https://example.org/a#3") == "example.org"
    assert _source_key(None) == "(none)"
    counts = {f"s{i}": 100 - i for i in range(40)}
    top = _top(counts, 30)
    assert len(top) == 30 and top[-1] == ("(11 other sources)", sum(range(61, 72)))
    assert sum(v for _, v in top) == sum(counts.values())


def test_a_reviewer_without_recorded_lead_times_has_none_not_zero_seconds(
    tmp_path: Path,
) -> None:
    # answers sent through Label Studio's API carry no lead time: the workload table
    # showed 0.000 s for such a reviewer while the lead-time section said none was recorded
    tasks = reviewed_tasks()
    for t in tasks:
        for a in t["annotations"]:
            if a["completed_by"] == 3:
                a["lead_time"] = None
    export("p", tmp_path / "c", client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    numbers = json.loads((tmp_path / "c" / "report" / "report.json").read_text())
    times = sorted(
        (w["lead_time_s"] for w in numbers["workload"].values()), key=lambda v: v is not None
    )
    # user 1: 10 + 31.5 (and one without); user 2: 12 + 4 + 45; user 3: none recorded
    assert times[0] is None and sorted(times[1:]) == [41.5, 61.0]
    md = (tmp_path / "c" / "report" / "report.md").read_text()
    lines = md.splitlines()
    start = lines.index(
        "| reviewer | role | annotations | of which adjudications | harmful passages "
        "| high/critical | lead time (s) |"
    )
    table = lines[start + 2 : start + 5]
    assert sorted(line.rsplit("| ", 2)[-1] for line in table) == ["41.500 |", "61.000 |", "n/a |"]


def test_the_report_an_export_writes_names_the_corpus_folder(corpus: Path) -> None:
    # export writes its report inside the partial folder it renames into place: report.json
    # named that folder ('/…/.corpus.partial-123-abcdef'), which no longer exists; then it
    # named the corpus by its absolute path, which names the lead's machine and home folder
    # in a report that is shared with the corpus: now by the folder's name alone
    numbers = json.loads((corpus / "report" / "report.json").read_text())
    assert numbers["corpus"] == corpus.name
    assert str(corpus.parent) not in (corpus / "report" / "report.json").read_text()
    assert str(corpus.parent) not in (corpus / "report" / "report.md").read_text()
    # `annotate report` of the corpus, written elsewhere, names it alike
    again = write_report(corpus, corpus.parent / "elsewhere")
    assert again.numbers["corpus"] == corpus.name


def test_passages_with_fewer_reviewer_answers_than_the_rest_are_counted(corpus: Path) -> None:
    """A passage of a K=2 review set answered by one reviewer (the other's task still open)
    was exported as `unanimous`, and neither the manifest nor the report said it was short
    of a reviewer: an auditor checking "K blind reviewers" could not see it."""
    from collections import Counter

    rows = _rows(corpus)
    per = Counter(len(r["annotations"]) for r in rows)
    assert len(per) > 1  # the fixture has passages with one and with two answers
    want = {str(k): per[k] for k in sorted(per)}
    numbers = json.loads((corpus / "report" / "report.json").read_text())
    assert numbers["raw_agreement"]["reviewers_per_passage"] == want
    manifest = json.loads((corpus / "manifest.json").read_text())
    assert manifest["reviewers_per_passage"] == want
    most = max(per)
    short = sum(n for k, n in per.items() if k < most)
    md = (corpus / "report" / "report.md").read_text()
    assert f"{short} passage(s) have fewer answers than the {most} the most-reviewed have" in md


def test_passages_with_more_answers_than_k_are_named_with_what_the_extra_one_does() -> None:
    """A stopped hand-over's copy and original both answered: K+1 answers, which the
    report's agreement section counted (`reviewers_per_passage`) without a word."""
    from annotate.audit.report import _short_of_reviewers_lines

    line = " ".join(_short_of_reviewers_lines({"1": 1, "2": 6, "3": 2}, 2))
    assert "1 passage(s) have fewer than 2 answers" in line, line
    assert "2 passage(s) have more than 2 answers: a hand-over that stopped midway" in line
    assert "the extra answer votes (it can break a tie" in line, line
    assert "`annotate review status` names them" in line, line
    assert "more than" not in " ".join(_short_of_reviewers_lines({"1": 1, "2": 6}, 2))
    # K not recorded: the most-reviewed are the reference, no passage is "over"
    assert "more than" not in " ".join(_short_of_reviewers_lines({"2": 6, "3": 2}))


def test_a_report_inside_the_corpus_but_not_its_report_folder_is_refused(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`annotate report corpus --out corpus/audit` wrote files the manifest does not list:
    the corpus then failed `annotate verify` (and a re-export over it was refused)."""
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    with pytest.raises(SystemExit) as exit_:
        main(["report", str(copy), "--out", str(copy / "audit"), "-q"])
    err = capsys.readouterr().err.strip()
    assert exit_.value.code == 1 and "is inside the corpus" in err and len(err.splitlines()) == 1
    assert not (copy / "audit").exists()
    with pytest.raises(SystemExit) as ok:  # its own report/ stays the place for it
        main(["report", str(copy), "--out", str(copy / "report"), "-q"])
    assert ok.value.code == 0
    with pytest.raises(SystemExit) as ok:
        main(["verify", str(copy)])
    assert ok.value.code == 0


def test_the_by_source_table_says_what_a_source_is(corpus: Path) -> None:
    """The header was "By source (host)" while local inputs were listed too (a folder as
    ``sub/``, a file by its name): the table says what a source is and each one's kind."""
    md = (corpus / "report" / "report.md").read_text(encoding="utf-8")
    section = md.split("### By source\n", 1)[1].split("\n## ", 1)[0]
    assert "A passage's source is where its document came from" in section
    assert "the input given to `annotate ingest`" in section
    assert "| source | kind | passages |" in section
    assert "| example.org | web host | 4 |" in section


def test_a_folder_and_a_file_given_to_ingest_are_named_alike(tmp_path: Path) -> None:
    """Sources as ingest writes them: a folder given to it was ``sub/``, a file given to
    it ``bakery.txt``; now each is the name of the input, its kind in its own column."""
    from annotate.audit.stats import counts
    from annotate.ingestion import ingest
    from annotate.tables import iter_rows

    text = "A paragraph long enough to be kept by the splitter as a passage of its own."
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    (tmp_path / "sub" / "a.txt").write_text(text + " One.", encoding="utf-8")
    (tmp_path / "sub" / "deep" / "b.txt").write_text(text + " Two.", encoding="utf-8")
    (tmp_path / "bakery.txt").write_text(text + " Three.", encoding="utf-8")
    table = tmp_path / "forum.jsonl"
    table.write_text(json.dumps({"text": text + " Four."}) + "\n", encoding="utf-8")
    out = tmp_path / "passages.jsonl"
    ingest([tmp_path / "sub", tmp_path / "bakery.txt", table], out)
    rows = [
        {"source": r["source"], "labels": [], "severity": None, "annotations": [],
         "label_tie": False, "id": r["id"], "doc_id": r["doc_id"]}
        for r in iter_rows(out)
    ]  # fmt: skip
    c = counts(rows, [], [])
    assert c["by_source"] == {"sub": 2, "bakery.txt": 1, "forum.jsonl": 1}
    assert c["source_kinds"] == {"bakery.txt": "file", "forum.jsonl": "file", "sub": "folder"}


def test_sources_of_every_kind() -> None:
    from annotate.audit.stats import source_of

    assert source_of("posts[train]#3") == ("posts", "dataset")
    assert source_of("reddit") == ("reddit", "named by the input")
    assert source_of("") == ("(none)", "not recorded")


def test_passages_short_of_k_counted_once_by_own_reviewers() -> None:
    """The manifest had two counts of passages short of K: ``passages_short_of_reviewers``
    (any account's answers) and ``passages_short_of_own_reviewers`` (each queue's own
    reviewer's); an answer by another account made up the first, so export and `review
    status` said 1 passage short while the report said none (s56 left #2). The report now
    says the own count with why, and new manifests carry only that one."""
    from annotate.audit.report import _short_of_reviewers_lines

    own = {
        "reviewers_per_task": 2,
        "passages": 1,
        "by_reason": {"open": 0, "answered_by_another_account": 1},
        "examples": {"answered_by_another_account": ["doc-a-p0"]},
    }
    line = " ".join(_short_of_reviewers_lines({"2": 3}, 2, own=own))
    assert "1 passage(s) have fewer than 2 answers by their queues' own reviewers" in line, line
    assert "`answered_by_another_account` 1" in line and "`open`" not in line, line
    # an export before the record: counted from the answers per passage, as before
    line = " ".join(_short_of_reviewers_lines({"1": 1, "2": 2}, 2))
    assert "1 passage(s) have fewer than 2 answers: their other reviewers'" in line, line


def test_review_manifest_has_one_short_of_k_count() -> None:
    from annotate.review.report import review_reports
    from annotate.taxonomy import load_taxonomy

    reports = review_reports([], [], load_taxonomy(None), reviewers_per_task=2)
    assert reports["manifest"]["reviewers_per_task"] == 2
    assert "passages_short_of_reviewers" not in reports["manifest"]


def test_model_versions_on_different_passages_are_said_to_be_apart(tmp_path: Path) -> None:
    """retrain56 finding 11: batch 2 pre-labelled by batch-1, batch 1 by the default: the
    report showed both versions' tables side by side with no word that they are on
    different passages."""
    tasks = reviewed_tasks()
    for t in tasks[:2]:
        t["data"]["model_version"] = "batch-1@abc"
        t["predictions"][0]["model_version"] = "batch-1@abc"
    export("p", tmp_path / "c", client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    md = (tmp_path / "c" / "report" / "report.md").read_text()
    assert (
        "2 model versions pre-labelled these passages, each passage by one of them "
        "(passages per version: `batch-1@abc` 2, `fixture-model-1` 3): the tables below are "
        "on different passages"
    ) in md.replace("\n", " "), md
    assert "`annotate evaluate --data EXPORT --model A --model B`" in md.replace("\n", " ")
    one = tmp_path / "one"
    export("p", one, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    assert "model versions pre-labelled" not in (one / "report" / "report.md").read_text()


@pytest.mark.parametrize("name", ["rep.md", "report.html", "audit.json"])
def test_a_new_out_named_like_a_file_is_refused(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """newuser59: `annotate report corpus --out rep.md` made a folder rep.md holding
    rep.md/report.md: the report is always a folder, as an export is (whose --out
    ending in .parquet/.jsonl is refused)."""
    out = tmp_path / name
    with pytest.raises(SystemExit) as exit_:
        main(["report", str(corpus), "--out", str(out), "-q"])
    err = capsys.readouterr().err.strip()
    assert exit_.value.code == 1 and len(err.splitlines()) == 1, err
    assert "the report is a folder" in err and f"--out {tmp_path / Path(name).stem}" in err, err
    assert not out.exists()
