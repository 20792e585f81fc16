"""Regression (issue 8, point 5): the default model on one-sentence fixtures written for
the project, each passage standing alone (no title, no neighbours).

Kinds (``kind`` column of tests/fixtures/regression_short.jsonl):
- ``boilerplate``: a byline, dateline, section label, "read more" prompt, caption or
  headline alone is ``none`` (a headline may be news_reporting), never harmful;
- ``quotation``: an attributed quotation of violent speech is ``news_reporting`` with a
  ``quoted_propaganda`` span overlapping the quoted words, and no own-voice harmful label;
- ``group``: a neutral or positive statement about a religion, nationality or other
  group is ``none``;
- ``threat``: a one-sentence direct ("I am going to ...") or normative ("people like
  them should be ...") threat is ``violent_threat``;
- ``gore``: gore in fiction and first-person self-harm talk is ``graphic_violence``;
- ``reply``: a short chat reply standing alone (an acknowledgement, greeting, reaction,
  one-word answer, number or emoji) is ``none``. The short ``threat`` rows beside them
  ("you're dead", "watch your back") keep "short" from meaning "harmless";
- ``warning``: a warning of a lawful or platform consequence ("We will see you in
  court.", "You will be reported and banned.", "Security will remove you.") is no
  harmful label; the contrast rows beside them name the police, a report or a court and
  threaten violence ("I will find you and hurt you, and the police can't stop me."), and
  are ``violent_threat``;
- ``turn``: a conversational turn that argues nothing (a call-centre agent's apology,
  an interviewer's question, "I understand. I won't say anything.") is no
  ``counter_speech`` and no harmful label; the contrast turns argue against violence
  (``counter_speech``) or threaten it (``violent_threat``);
- ``self_directed``: hyperbole with the author as the object ("My mum is going to kill
  me when she sees my grades.") is no ``violent_threat``; the contrast rows aim the same
  verbs at "you" and are;
- ``glorify``: praise of attackers ("glory to the martyrs who struck the infidels") is
  ``extremist_propaganda`` with a ``glorification`` span over it (``must_spans``) and no
  ``threat`` span (``no_spans``);
- ``normative``: a one-sentence normative threat in the forms stop 51 added to the
  threat grammar (a wish or hope with the target's fate, "may ...", "I wouldn't shed a
  tear if ...", "the world would be a better place if ...", "if it were up to me ...",
  "I'd love to see ... burn", "belong in a gas chamber", "round up ... and shoot them",
  "time to start hanging ...", "a slow and painful death") or the long tail stop 52
  added ("all ... deserve is a rope", "open season on ...", "nuke every last one of
  them", "take care of ... permanently", "string em up", "put down like rabid dogs",
  "send them all to the camps", "I want ... dead") is ``violent_threat``; the contrast
  rows beside them (an idiom, filming, an artwork hung, a negation, a wish for a team,
  gardening, a blessing, counter-speech quoting a normative threat, a microwave, fairy
  lights, a sale, termites) are not;
- ``idiom``: a violent word used idiomatically ("I'm going to kill it at the audition",
  "I could murder a pizza", "mondays are murder", "give it your best shot") is no
  harmful label; the contrast rows aim the same verbs at people ("I will murder your
  family.") and are ``violent_threat``;
- ``veiled``: a veiled or conditional threat with no violent verb (stop 53, passI53 I1:
  "keep talking and see what happens to you", "we know which bus your son takes. Drop the
  lawsuit.", "would be a shame if something happened to it", "if you pass this I will
  find you & your kids") is ``violent_threat`` and not counter-speech; the contrast rows
  (a seat found, an experiment, a bus route, the weather, a trade, the body, a report and
  counter-speech quoting the line) are not;
- ``reporter``: in a short news passage, the reporter's own sentence (an attribution, a
  contact address, a phone number) gets no ``quoted_propaganda`` span (``no_spans``: no
  span of that label overlapping the text), while the quoted words beside it do.
"""

from __future__ import annotations

import json

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR, PassageInput, load_classifier
from tests.conftest import FIXTURES, ROOT, known_miss_params

FILE = FIXTURES / "regression_short.jsonl"

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
    reason="models/default is not built (run `make model`)",
)

# Known misses of the default model, each also named in the model card's limitations.
# Strict xfail: the test fails as soon as one passes, so the list cannot go stale.
KNOWN_MISSES: dict[str, str] = {
    "s-0041": "normative threat 'Jews like him need to be put in the ground.' read as none",
    # short chat replies read as counter-speech or as a threat (issue 8; default@a2d7572cd296,
    # thresholds violent_threat 0.225, counter_speech 0.429; before data/project/
    # short_replies.jsonl, default@94b7c9c41e70 also read 'ok' 0.631, 'nice' 0.445,
    # 'one' 0.345, 'see you' 0.279, 'first' 0.254 and 'cool' 0.235 as violent_threat)
    # s-0056 ('Okay.', counter_speech 0.890, default@513fc60ad5d5) passes since a passage
    # of fewer than three words gets no context label (addressee.too_short_for_context)
    "s-0076": "'ok see you tomorrow' read as violent_threat 0.511 "
    "(default@a2d7572cd296; was 0.713)",
    "s-0078": "'sounds fair to me' read as counter_speech 0.721 (default@513fc60ad5d5)",
    # short threats read as none (violent_threat below its threshold 0.215)
    # s-0082 ('watch your back') and s-0086 ('sleep with one eye open') pass since the
    # threat grammar reads both as orders (stop 53)
    # s-0085 ("I'm coming for you tonight.") passes since the threat grammar reads
    # "coming for" with a person as its object (stop 43)
    # s-0089 ... s-0100 (warnings of a lawful or platform consequence read as threats by
    # default@64b15ee6d17e) pass since lawful_warning_cap (default@db8ef148f06a); s-0105 ...
    # s-0107 (the reporter's own sentence as a quoted_propaganda span) since
    # quoted_span_min_harm
    # conversational turns read as counter-speech or a threat (passC50 R5, passB50 Q8;
    # default@db8ef148f06a, thresholds counter_speech 0.429, violent_threat 0.2243): the
    # model reads each passage alone here, so the neighbour is not the cause
    "s-0114": "'I'm sorry about that, let me look it up.' read as counter_speech 0.830 "
    "(default@db8ef148f06a; with 'AGENT: ' before it, none)",
    "s-0115": "'I understand. I won't say anything.' read as counter_speech 0.997 "
    "(default@db8ef148f06a)",
    "s-0116": "'Interviewer: What do you say to someone who is angry?' read as counter_speech "
    "0.954 (default@db8ef148f06a)",
    "s-0120": "'Right, I hear you. Let's talk again tomorrow.' read as violent_threat 0.275 "
    "(default@db8ef148f06a)",
    # s-0125 ... s-0132 (self-directed hyperbole read as a threat by the category head,
    # passB50 Q8) pass since self_directed_cap (default@dc099bddabbe)
    # glorification of attackers (passB50 Q7): one segment with a call read as a threat span
    "s-0137": "'Join the fight, brothers, glory to the martyrs who struck the infidels! Take up "
    "arms now.': the first sentence is a threat span 0.412, no glorification span "
    "(default@db8ef148f06a; alone, without 'Take up arms now.', glorification 0.28)",
    "s-0141": "'Glory to the martyr who gave his life blowing up the police station.' read as "
    "incitement 0.149 only (extremist_propaganda 0.115, threshold 0.2002), no span "
    "(default@db8ef148f06a)",
    "s-0143": "'We salute the martyrs of the market attack.' gets no glorification span "
    "(the call after it gets call_to_violence 0.57; default@db8ef148f06a)",
    # a contrast row of kind normative that the category head (not the threat grammar,
    # which reads nothing in it) rates a threat
    "s-0161": "'I hope the lads win on Saturday and nobody gets hurt.' read as violent_threat "
    "0.268 against 0.2243 by the category head (default@dc099bddabbe; the grammar reads "
    "nothing in it)",
}


def _rows() -> list[dict]:
    return [json.loads(x) for x in FILE.read_text(encoding="utf-8").splitlines() if x.strip()]


def _params():
    return known_miss_params(_rows(), KNOWN_MISSES, lambda row: f"{row['kind']}-{row['doc_id']}")


def test_fixtures_cover_every_kind() -> None:
    kinds: dict[str, int] = {}
    for row in _rows():
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
        for s in row["spans"] + row.get("no_spans", []) + row.get("must_spans", []):
            assert s["text"] in row["text"], row["doc_id"]
    assert set(kinds) == {
        "boilerplate",
        "quotation",
        "group",
        "threat",
        "gore",
        "reply",
        "warning",
        "reporter",
        "turn",
        "self_directed",
        "glorify",
        "normative",
        "idiom",
        "veiled",
    }
    assert min(kinds.values()) >= 8, kinds


@pytest.fixture(scope="module")
def predictions():
    """Every fixture predicted as its own one-passage document, in one call."""
    from annotate.taxonomy import load_taxonomy

    clf = load_classifier(None, load_taxonomy(ROOT / "labels.yaml"))
    rows = _rows()
    inputs = [PassageInput(id=r["doc_id"], text=r["text"], doc_id=r["doc_id"]) for r in rows]
    return dict(zip([r["doc_id"] for r in rows], clf.predict(inputs), strict=True))


@pytest.mark.parametrize("row", _params())
def test_short_fixture(row, predictions) -> None:
    pred = predictions[row["doc_id"]]
    got = set(pred.labels)
    scores = {k: round(v, 3) for k, v in pred.scores.items()}
    missing = [m for m in row["must"] if m not in got]
    forbidden = [m for m in row["must_not"] if m in got]
    problems = []
    if missing or forbidden:
        problems.append(f"predicted {sorted(got)}; missing {missing}, forbidden {forbidden}")
    gold_spans = [s for s in row["spans"] if s["label"] == "quoted_propaganda"]
    for gold in gold_spans + row.get("must_spans", []):
        a = row["text"].index(gold["text"])
        b = a + len(gold["text"])
        hits = [s for s in pred.spans if s.label == gold["label"] and s.start < b and a < s.end]
        if not hits:
            problems.append(f"no {gold['label']} span over {gold['text'][:50]!r}")
    for bad in row.get("no_spans", []):
        a = row["text"].index(bad["text"])
        b = a + len(bad["text"])
        hits = [s for s in pred.spans if s.label == bad["label"] and s.start < b and a < s.end]
        if hits:
            shown = [(row["text"][s.start : s.end][:50], s.score) for s in hits]
            problems.append(f"{bad['label']} span over {bad['text'][:50]!r}: {shown}")
    assert not problems, f"{row['doc_id']}: {'; '.join(problems)}; scores {scores}; {row['text']!r}"
