"""A senior review of stop 33's new-user fixes: findings the new user left (a wrong gold
label accepted by `prelabel`, refused only at `push`), and mistakes in the fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import _error_line, run

GOLD_SHEET = (
    "id,text,gold_labels,gold_severity\n"
    'g1,"I will find you and hurt you.",violent_threat,high\n'
    'g2,"We know where you live.",threat,high\n'
)


def test_prelabel_refuses_a_wrong_gold_label_before_the_model_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`prelabel gold.csv` pre-labelled a sheet whose gold_labels said 'threat' (no
    category name): `push --gold` refused it only then, after the model ran."""

    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model was loaded before the gold labels were checked")

    monkeypatch.setattr("annotate.classifier.load_classifier", no_model)
    src = tmp_path / "gold sheet.csv"
    src.write_text(GOLD_SHEET, encoding="utf-8")
    ran = run("prelabel", str(src), "--out", str(tmp_path / "gold.parquet"))
    line = _error_line(ran)
    assert f"{src} row 2 (line 3) (id 'g2'): gold_labels must be category names" in line
    assert "found ['threat']" in line and "write violent_threat for 'threat'" in line, line
    assert not (tmp_path / "gold.parquet").exists()


def test_prelabel_refuses_a_wrong_gold_severity(tmp_path: Path) -> None:
    src = tmp_path / "gold.csv"
    src.write_text(GOLD_SHEET.replace(",threat,high", ",violent_threat,urgent"))
    line = _error_line(run("prelabel", str(src), "--out", str(tmp_path / "gold.parquet")))
    assert "(id 'g2'): gold_severity 'urgent' is not a severity level" in line, line


def test_a_good_gold_sheet_and_a_plain_table_pass_the_gold_check(tmp_path: Path) -> None:
    from annotate.review.gold import check_gold_answers
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy()
    good = tmp_path / "gold.csv"
    good.write_text(GOLD_SHEET.replace(",threat,", ",violent_threat; incitement,"))
    assert check_gold_answers(good, tax) == 2
    plain = tmp_path / "passages.csv"
    plain.write_text("id,text\np1,hello\n")
    assert check_gold_answers(plain, tax) == 0


URL = "https://news.example.org/2026/12/03/city-council-votes-on-the-new-budget?utm_source=x"
BLOB = '"{""lang"": ""en"", ""retweets"": 12, ""entities"": {""hashtags"": [""budget""]}}"'
EMBED = (
    '"<blockquote class=""twitter-tweet""><p lang=""en"" dir=""ltr"">{t}</p>'
    '<a href=""https://t.example/status/1?ref_src=twsrc%5Etfw"">Dec 3</a></blockquote>"'
)


@pytest.mark.parametrize(
    ("column", "value"),
    [("expanded_url", URL), ("raw_json", BLOB), ("embed_html", EMBED)],
)
def test_short_posts_beside_a_url_json_or_html_column_are_not_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, column: str, value: str
) -> None:
    """Tweets are short; a column of long URLs, of the API's JSON or of the embed's HTML
    beside them holds no text to review: the short-text-column warning told the lead to
    pass that column as --text-column."""
    import logging

    caplog.set_level(logging.WARNING, logger="annotate")
    posts = ["vote no", "so proud of our town", "who pays for this?", "lol ok"]
    rows = [f"t{i},{text},{value.replace('{t}', text)}" for i, text in enumerate(posts)]
    src = tmp_path / "tweets.csv"
    src.write_text(f"id,text,{column}\n" + "\n".join(rows) + "\n", encoding="utf-8")
    ran = run("ingest", str(src), "--out", str(tmp_path / "p.parquet"))
    assert ran.returncode == 0, ran.stderr
    assert "holds short values" not in caplog.text, caplog.text


def test_the_guessed_ingest_command_pastes_into_a_shell_as_meant(tmp_path: Path) -> None:
    """The ingest command prelabel names for a documents table is copy-pasted: its path
    and columns must be single shell words with the names as the header has them. A
    ';'-separated export with quoted names gave `--text-column '"user\\'s comment"'` (quotes
    kept, the shell's quoting broken); a comma-separated .tsv gave `--id-column` its whole
    header (it ends in 'paid') and no --delimiter; 'post_title' was taken for the text."""
    import shlex

    from annotate.tables import documents_table_fix, table_columns

    def command(path: Path) -> list[str]:
        fix = documents_table_fix(path, table_columns(path), "then") or ""
        return shlex.split(fix.split("`")[1])

    quoted = tmp_path / "comments export.csv"
    quoted.write_text('"comment_id";"user\'s comment";"paid"\n"c1";"hi there";"no"\n')
    assert command(quoted) == [
        *("annotate", "ingest", str(quoted), "--delimiter", ";"),
        *("--text-column", "user's comment", "--id-column", "comment_id"),
        *("--out", "passages.parquet"),
    ]
    tsv = tmp_path / "export.tsv"
    tsv.write_text("postId,post_title,comment_body,paid\n1,Budget,vote no,yes\n")
    assert command(tsv)[3:9] == [
        *("--delimiter", ","),
        *("--text-column", "comment_body", "--id-column", "postId"),
    ]
    tabs = tmp_path / "posts.csv"
    tabs.write_text("valid\tpost\tthread id\nyes\thello\t7\n")
    assert command(tabs)[3:9] == [
        *("--delimiter", "tab"),
        *("--text-column", "post", "--id-column", "thread id"),
    ]
