"""Near-duplicate passages across documents (real datasketch MinHash, DuckDB band index)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import annotate.ingestion.near_dups as near_dups
from annotate.cli import app
from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.ingestion.near_dups import bands_for, near_dup_index, shingles

BASE = (
    "The council met on Tuesday to discuss the new bridge over the river, which residents "
    "say has been delayed for three years while costs kept rising every single month."
)
NEAR = BASE.replace("Tuesday", "Wednesday")  # one word of 28 changed
OTHER = (
    "Volunteers planted four hundred trees along the northern road last weekend, and the "
    "school children painted signs asking drivers to slow down near the new saplings."
)


def _index_groups(docs: list[tuple[str, str, str]], threshold: float = 0.8) -> dict[str, str]:
    with near_dup_index(threshold) as index:
        index.add([d[0] for d in docs], [d[1] for d in docs], [d[2] for d in docs])
        index.group()
        return {docs[k][0]: g for k, g in index.groups_of(0, len(docs)).items()}


def test_near_duplicates_of_different_documents_share_the_first_ones_id() -> None:
    groups = _index_groups([("p1", "a", BASE), ("p2", "b", OTHER), ("p3", "c", NEAR)])
    assert groups == {"p1": "p1", "p3": "p1"}


def test_groups_are_transitive_across_several_documents() -> None:
    near2 = NEAR.replace("bridge", "tunnel")
    groups = _index_groups([("p1", "a", BASE), ("p2", "b", NEAR), ("p3", "c", near2)], 0.5)
    assert groups == {"p1": "p1", "p2": "p1", "p3": "p1"}


def test_passages_of_one_document_are_not_grouped() -> None:
    assert _index_groups([("p1", "a", BASE), ("p2", "a", NEAR), ("p3", "b", OTHER)]) == {}


def test_a_stricter_threshold_separates_what_a_looser_one_groups() -> None:
    changed = BASE.replace("bridge", "ferry").replace("residents", "neighbours")
    a, b = set(shingles(BASE)), set(shingles(changed))
    assert 0.4 < len(a & b) / len(a | b) < 0.7  # the true Jaccard similarity of the two
    docs = [("p1", "a", BASE), ("p2", "b", changed)]
    assert _index_groups(docs, 0.9) == {}
    assert _index_groups(docs, 0.3) == {"p1": "p1", "p2": "p1"}


def test_shingles_are_word_trigrams_or_the_whole_of_a_short_text() -> None:
    assert shingles("One two, three FOUR") == [b"one two three", b"two three four"]
    assert shingles("Hi there") == [b"hi there"]  # words in order (tests/test_near_dups_scripts)


@pytest.mark.parametrize("threshold", [0.0, 1.0, -0.2, 1.5])
def test_a_threshold_outside_zero_one_is_an_input_error(threshold: float) -> None:
    with pytest.raises(InputError, match="between 0 and 1"):
        bands_for(threshold)


def _docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(BASE + "\n\n" + OTHER + "\n")
    (folder / "b.txt").write_text(NEAR + "\n")
    (folder / "c.txt").write_text("An unrelated note about the weather in the hills today.\n")
    return folder


def test_ingest_counts_every_passage_it_marks(tmp_path: Path) -> None:
    """One pair of near-duplicates printed '(1 passages marked in near_dup_group)': both
    carry the group id (the first names the group), so the table held 2."""
    out = tmp_path / "p.jsonl"
    args = ["ingest", str(_docs(tmp_path)), "--out", str(out), "--min-chars", "0", "-q"]
    result = CliRunner().invoke(app, [*args, "--max-chars", "200"])
    assert result.exit_code == 0, result.output
    marked = sum(
        json.loads(x)["near_dup_group"] is not None for x in out.read_text().split("\n")[:-1]
    )
    assert marked == 2
    assert "1 near-duplicate group across documents (2 passages marked" in result.output


def test_ingest_writes_near_dup_group_and_can_drop_the_others(tmp_path: Path) -> None:
    folder = _docs(tmp_path)
    out = tmp_path / "p.jsonl"
    stats = ingest([folder], out, min_chars=0, max_chars=200)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    by_text = {r["text"]: r for r in rows}
    assert len(rows) == 4 and stats.near_dup_groups == 1 and stats.near_duplicates == 1
    first = by_text[BASE]["id"]
    assert by_text[BASE]["near_dup_group"] == first
    assert by_text[NEAR]["near_dup_group"] == first
    assert by_text[OTHER]["near_dup_group"] is None

    dropped = tmp_path / "d.parquet"
    stats = ingest([folder], dropped, min_chars=0, max_chars=200, drop_near_duplicates=True)
    kept = pq.read_table(dropped).to_pylist()
    assert stats.near_duplicates_dropped == 1 and stats.passages == 3
    assert NEAR not in {r["text"] for r in kept} and BASE in {r["text"] for r in kept}

    off = tmp_path / "off.jsonl"
    ingest([folder], off, min_chars=0, max_chars=200, near_dup_threshold=None)
    assert all(json.loads(x)["near_dup_group"] is None for x in off.read_text().splitlines())


def test_dropping_a_near_duplicate_leaves_no_gap_in_passage_index(tmp_path: Path) -> None:
    """As with exact duplicates, passage_index counts the passages kept: the passages
    around a dropped one stay index neighbours (the context the classifier and the
    review view read)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    intro = "A short introduction about the regional news of this week and the weather."
    outro = "Readers can send their letters to the editor by post or by e-mail as usual."
    (folder / "a.txt").write_text(BASE + "\n")
    (folder / "b.txt").write_text(f"{intro}\n\n{NEAR}\n\n{outro}\n\n{BASE} Again.\n")
    (folder / "c.txt").write_text(f"{intro} More.\n\n{OTHER}\n")  # its first one goes
    out = tmp_path / "p.jsonl"
    ingest([folder], out, min_chars=0, max_chars=200, drop_near_duplicates=True)
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["doc_id"], r["passage_index"], r["text"]) for r in got] == [
        ("docs/a.txt", 0, BASE),
        ("docs/b.txt", 0, intro),
        ("docs/b.txt", 1, outro),
        ("docs/c.txt", 0, OTHER),
    ]
    kept = ingest([folder], tmp_path / "k.jsonl", min_chars=0, max_chars=200)
    assert kept.passages == 7 and kept.near_duplicates == 3


def test_cli_reports_the_near_duplicates_it_dropped(tmp_path: Path) -> None:
    folder = _docs(tmp_path)
    out = tmp_path / "p.jsonl"
    args = ["ingest", str(folder), "--out", str(out), "--min-chars", "0", "--max-chars", "200"]
    result = CliRunner().invoke(app, [*args, "--drop-near-duplicates", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "1 near-duplicate group across documents (1 near-duplicate dropped)" in result.output
    assert len(out.read_text().splitlines()) == 3
    bad = CliRunner().invoke(app, [*args, "--near-dup-threshold", "1.5"])
    assert bad.exit_code != 0
    assert bad.exit_code == 2  # a value the option cannot take: a usage error
    assert "error: invalid value for '--near-dup-threshold': 1.5 is not above 0" in bad.output
    assert "Traceback" not in bad.output
    # the fix named an option that cannot turn the search back on (--near-dup-threshold)
    off = CliRunner().invoke(app, [*args, "--no-near-dups", "--drop-near-duplicates"])
    assert off.exit_code != 0 and "Fix: leave out --no-near-dups" in off.output


def test_grouping_that_runs_out_of_memory_runs_again_with_more_room() -> None:
    """Real DuckDB: a statement over the memory limit is retried once the limit is raised
    (a corpus full of near-duplicates); the low limit stays for the usual case."""
    import duckdb

    from annotate.ingestion.near_dups import _Roomy
    from annotate.ingestion.scratch import GROUP_MEMORY_LIMIT, scratch_database

    with scratch_database() as db:
        db.execute("CREATE TABLE t AS SELECT range AS k, range % 7 AS g FROM range(300000)")
        big = "SELECT count(*) FROM (SELECT k, list(g) FROM t GROUP BY k ORDER BY k)"
        limit = "SELECT current_setting('memory_limit')"
        db.execute(f"SET memory_limit = '{GROUP_MEMORY_LIMIT}'")
        roomy = db.execute(limit).fetchall()
        db.execute("SET memory_limit = '1MB'")
        with pytest.raises(duckdb.OutOfMemoryException):
            db.execute(big)
        assert _Roomy(db).execute(big).fetchall() == [(300000,)]
        assert db.execute(limit).fetchall() == roomy


def test_grouping_raises_its_memory_again_until_a_statement_fits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A low threshold's buckets outgrew the first raise (64MB at 25,000 passages,
    break12 M1): each statement that runs out again raises the limit to the next of
    GROUP_MEMORY_LIMITS, bounded; the user's own limit (ANNOTATE_DUCKDB_MEMORY) is kept."""
    import duckdb

    from annotate.ingestion.near_dups import _Roomy
    from annotate.ingestion.scratch import scratch_database

    monkeypatch.setattr(near_dups, "GROUP_MEMORY_LIMIT", "1MB", raising=False)
    monkeypatch.setattr(near_dups, "GROUP_MEMORY_LIMITS", ("1MB", "64MB"), raising=False)
    monkeypatch.delenv("ANNOTATE_DUCKDB_MEMORY", raising=False)
    big = "SELECT count(*) FROM (SELECT k, list(g) FROM t GROUP BY k ORDER BY k)"
    with scratch_database() as db:
        db.execute("CREATE TABLE t AS SELECT range AS k, range % 7 AS g FROM range(300000)")
        db.execute("SET memory_limit = '1MB'")
        assert _Roomy(db).execute(big).fetchall() == [(300000,)]
        db.execute("SET memory_limit = '1MB'")
        monkeypatch.setattr(near_dups, "GROUP_MEMORY_LIMITS", ("1MB",), raising=False)
        with pytest.raises(duckdb.OutOfMemoryException):  # bounded: the CLI says what to do
            _Roomy(db).execute(big)


@pytest.mark.parametrize("threshold", [0.1, 0.3, 0.8])
def test_a_low_thresholds_many_bands_probe_fewer_passages_at_a_time(
    threshold: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """25,000 passages of 64 bands (threshold 0.1) outgrew the probe's 16MB (break12 M1):
    a probe holds at most as many band rows as PROBE_PASSAGES passages of PROBE_BANDS
    bands, whatever the threshold; the default threshold's chunk is unchanged."""
    monkeypatch.setattr(near_dups, "PROBE_PASSAGES", 12)
    rows: list[int] = []
    probe = near_dups.NearDupIndex._probe

    def counted(self: near_dups.NearDupIndex) -> None:
        rows.append(self._pending * self.bands)
        probe(self)

    monkeypatch.setattr(near_dups.NearDupIndex, "_probe", counted)
    words = OTHER.split()
    docs = [(f"p{i}", f"d{i}", " ".join(words[i:] + words[:i])) for i in range(40)]
    with near_dup_index(threshold) as index:
        for start in range(0, len(docs), 5):
            chunk = docs[start : start + 5]
            index.add([d[0] for d in chunk], [d[1] for d in chunk], [d[2] for d in chunk])
        index.group()
        got = {docs[k][0]: g for k, g in index.groups_of(0, len(docs)).items()}
    assert max(rows) <= 12 * near_dups.PROBE_BANDS + 5 * index.bands, rows
    assert got == _lsh_reference(docs, threshold)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7, 0.8, 0.9, 0.95])
def test_the_bands_make_a_pair_at_the_threshold_a_candidate_99_times_in_100(
    threshold: float,
) -> None:
    """The most rows per band (fewest chance candidates) that still reach 0.99 at the
    threshold, within NUM_PERM permutations."""
    b, r = bands_for(threshold)
    assert b * r <= near_dups.NUM_PERM
    assert near_dups.candidate_probability(threshold, b, r) >= near_dups.CANDIDATE_RECALL
    more = near_dups.NUM_PERM // (r + 1)
    assert near_dups.candidate_probability(threshold, more, r + 1) < near_dups.CANDIDATE_RECALL
    assert bands_for(0.8) == (12, 5)


def _lsh_reference(docs: list[tuple[str, str, str]], threshold: float) -> dict[str, str]:
    """Groups by datasketch's own MinHashLSH with the bands of :func:`bands_for`:
    candidate passages of two documents linked when their exact Jaccard similarity
    reaches the threshold; a group is named by its first passage."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=near_dups.NUM_PERM, params=bands_for(threshold))
    signatures = MinHash.bulk([shingles(t) for _, _, t in docs], num_perm=near_dups.NUM_PERM)
    for key, m in enumerate(signatures):
        lsh.insert(key, m)
    parent = list(range(len(docs)))

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    linked = set()
    for key, m in enumerate(signatures):
        for other in lsh.query(m):
            if docs[other][1] != docs[key][1] and (
                near_dups.jaccard(docs[key][2], docs[other][2]) >= threshold
            ):
                linked |= {key, other}
                a, b = sorted((root(key), root(other)))
                parent[b] = a
    return {docs[k][0]: docs[root(k)][0] for k in sorted(linked)}


def _edited_pairs(count: int, edits: int, seed: int) -> list[tuple[str, str]]:
    """``count`` posts of 30-45 pseudo-words and a copy of each with ``edits`` words
    replaced (as a forum corpus of short re-posted posts)."""
    import random

    rng = random.Random(seed)
    vocabulary = [f"{rng.choice('bdgklmnprstvz')}{rng.randrange(10**6):06d}x" for _ in range(5000)]
    out = []
    for _ in range(count):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(30, 45))]
        copy = list(words)
        for j in rng.sample(range(len(words)), edits):
            copy[j] = rng.choice(vocabulary)
        out.append((" ".join(words), " ".join(copy)))
    return out


def _pair_groups(pairs: list[tuple[str, str]], threshold: float = 0.8) -> list[bool]:
    docs = []
    for i, (a, b) in enumerate(pairs):
        docs += [(f"a{i}", f"da{i}", a), (f"b{i}", f"db{i}", b)]
    groups = _index_groups(docs, threshold)
    return [
        bool(groups.get(f"a{i}") and groups.get(f"a{i}") == groups.get(f"b{i}"))
        for i in range(len(pairs))
    ]


def test_one_word_edits_of_short_posts_above_the_threshold_are_all_found() -> None:
    """Pairs at true Jaccard 0.81-0.95 (one word of 30-45 changed): 64-permutation LSH
    with datasketch's optimum bands for 0.8 (5 of 11 rows) missed about a third of them
    (16 of 60 with this seed); candidates from bands chosen for recall, checked exactly,
    find them all."""
    pairs = _edited_pairs(60, 1, seed=3)
    similarities = [near_dups.jaccard(a, b) for a, b in pairs]
    assert min(similarities) > 0.8 and max(similarities) < 0.96
    found = _pair_groups(pairs)
    assert sum(found) == len(pairs), f"{len(pairs) - sum(found)} of {len(pairs)} missed"


def test_pairs_well_below_the_threshold_are_not_grouped() -> None:
    """Pairs at true Jaccard 0.41-0.71 (three or four words of 30-45 changed) are not
    near-duplicates at 0.8: the exact check keeps them apart, however many share a band
    (unchecked LSH grouped a few of them)."""
    pairs = _edited_pairs(40, 3, seed=5) + _edited_pairs(40, 4, seed=6)
    similarities = [near_dups.jaccard(a, b) for a, b in pairs]
    assert max(similarities) < 0.72
    assert not any(_pair_groups(pairs))
    assert all(_pair_groups(pairs, 0.4))  # and they are found at a looser threshold


@pytest.mark.parametrize("threshold", [0.8, 0.5])
def test_groups_equal_datasketchs_lsh_when_the_first_document_waits_unsigned(
    threshold: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first document's passages wait unsigned until a second document comes; here
    it spans several chunks (and several waiting chunks), its passages have near-copies
    in later documents and among themselves: the groups are those of MinHashLSH."""
    monkeypatch.setattr(near_dups, "UNSIGNED_CHUNK", 2)
    monkeypatch.setattr(near_dups, "PROBE_PASSAGES", 3)
    words = OTHER.split()
    first = [("p0", "a", BASE), ("p1", "a", OTHER), ("p2", "a", NEAR)]
    first += [(f"p{i}", "a", " ".join(words[i:] + words[:i])) for i in range(3, 9)]
    later = [("q0", "b", NEAR), ("q1", "b", "A plain unrelated line.")]
    later += [("r0", "c", " ".join(words[5:] + words[:5])), ("r1", "c", BASE)]
    docs = first + later
    with near_dup_index(threshold) as index:
        for start in range(0, len(docs), 4):
            chunk = docs[start : start + 4]
            index.add([d[0] for d in chunk], [d[1] for d in chunk], [d[2] for d in chunk])
        index.group()
        got = {docs[k][0]: g for k, g in index.groups_of(0, len(docs)).items()}
    assert got == _lsh_reference(docs, threshold)
    assert got["r1"] == "p0" and got["q0"] in ("p0", "p2")  # copies of waiting passages


def test_one_document_alone_is_never_signed(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_: object) -> None:
        raise AssertionError("passages of one document alone were signed")

    monkeypatch.setattr(near_dups, "band_hashes", never)
    assert _index_groups([("p1", "a", BASE), ("p2", "a", NEAR), ("p3", "a", BASE)]) == {}


def test_exports_search_finds_the_one_word_edits_too() -> None:
    """Export's own search (across ingest runs) uses the same index: same recall."""
    from annotate.corpus.export_near_dups import export_near_dup_groups

    pairs = _edited_pairs(60, 1, seed=3)
    rows = []
    for i, (a, b) in enumerate(pairs):
        rows += [{"id": f"a{i}", "doc_id": f"da{i}", "text": a}]
        rows += [{"id": f"b{i}", "doc_id": f"db{i}", "text": b}]
    rows.sort(key=lambda r: r["doc_id"])  # export sorts by doc_id
    found = dict(zip([r["id"] for r in rows], export_near_dup_groups(rows, 0.8), strict=True))
    missed = [
        i for i in range(len(pairs)) if not found[f"a{i}"] or found[f"a{i}"] != found[f"b{i}"]
    ]
    assert missed == []


def _true_groups(docs: list[tuple[str, str, str]], threshold: float) -> list[set[str]]:
    """The groups by brute force: components of the passages of two documents at
    Jaccard >= threshold (groups of two passages or more)."""
    parent = list(range(len(docs)))

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            if docs[i][1] != docs[j][1] and near_dups.jaccard(docs[i][2], docs[j][2]) >= threshold:
                a, b = sorted((root(i), root(j)))
                parent[b] = a
    out: dict[int, set[str]] = {}
    for i in range(len(docs)):
        out.setdefault(root(i), set()).add(docs[i][0])
    return sorted((g for g in out.values() if len(g) > 1), key=min)


def _found_groups(groups: dict[str, str]) -> list[set[str]]:
    out: dict[str, set[str]] = {}
    for key, g in groups.items():
        out.setdefault(g, set()).add(key)
    return sorted(out.values(), key=min)


def test_a_copy_in_the_first_passages_document_is_grouped_in_a_large_bucket() -> None:
    """In a bucket of more than PAIR_BUCKET passages each passage was paired with the
    bucket's first only, and a passage of the first one's own document with none: a copy
    kept there (--keep-duplicates; export's rows of two runs of one document) shares only
    such buckets and went ungrouped (40 of 41 grouped). It is paired with the bucket's
    first passage of another document."""
    docs = [("p0", "d0", BASE), ("p1", "d0", OTHER), ("p2", "d0", BASE)]
    docs += [(f"q{i}", f"d{i}", BASE) for i in range(1, near_dups.PAIR_BUCKET + 8)]
    groups = _index_groups(docs)
    assert "p2" in groups and len(groups) == len(docs) - 1
    assert _found_groups(groups) == _true_groups(docs, 0.8)


def test_a_large_cluster_of_edits_is_grouped_as_brute_force_groups_it() -> None:
    """120 one-word edits of one post (large buckets), one of them in the first post's
    document, and a drifted copy (six words changed: under 0.8 to the first post) with
    a one-word edit of its own (at 0.8 or more to it): the groups are those of the exact
    Jaccard over all pairs."""
    import random

    rng = random.Random(1)
    vocabulary = [f"w{rng.randrange(10**6)}" for _ in range(5000)]
    base = [rng.choice(vocabulary) for _ in range(40)]

    def edit(words: list[str], k: int) -> list[str]:
        words = list(words)
        for j in rng.sample(range(len(words)), k):
            words[j] = rng.choice(vocabulary)
        return words

    drifted = edit(base, 6)
    texts = [("d0", base), ("d0", edit(base, 1))]
    texts += [(f"d{i}", edit(base, 1)) for i in range(1, 120)]
    texts += [("x1", drifted), ("x2", edit(drifted, 1))]
    docs = [(f"p{i}", d, " ".join(w)) for i, (d, w) in enumerate(texts)]
    assert (
        near_dups.jaccard(docs[-1][2], docs[-2][2])
        >= 0.8
        > near_dups.jaccard(docs[0][2], docs[-1][2])
    )
    assert _found_groups(_index_groups(docs)) == _true_groups(docs, 0.8)


def test_signing_holds_one_texts_shingles_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk's shingle lists were all built before the first was hashed: 5,000
    700-character Chinese passages hold 700 shingles each (peak RSS of the Thai
    benchmark 259 MiB, 219 MiB one at a time). Each text is now shingled as it is hashed."""
    from datasketch import MinHash

    log: list[str] = []
    real_shingles, real_update = near_dups.shingles, MinHash.update_batch

    def shingled(text: str) -> list[bytes]:
        log.append("shingles")
        return real_shingles(text)

    def hashed(self: MinHash, b: list[bytes]) -> None:
        log.append("hash")
        real_update(self, b)

    monkeypatch.setattr(near_dups, "shingles", shingled)
    monkeypatch.setattr(MinHash, "update_batch", hashed)
    near_dups.band_hashes([BASE, NEAR, OTHER], 12, 5)
    assert log == ["shingles", "hash"] * 3
