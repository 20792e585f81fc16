"""A conversation saved as text is split at its speaker turns (annotate.ingestion.turns).

Before, the splitter merged short paragraphs (under --min-chars, 80) with their
neighbours, so a forum thread's one-line threat and the next user's reply, or a chat's
two speakers, came out as one passage, whose one label was wrong for one author. Prose
with a ``Note:`` line, or a news article quoting ``He said: "..."``, must split as before."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotate.ingestion.splitter import Segment, split_passages
from annotate.ingestion.turns import find_turns

FORUM = """Thread: Anyone else fed up with the new bus routes?

Posted by grumpy_commuter on 3 Dec 2026, 09:14
The 42 doesn't stop at the hospital any more. Ridiculous.

Posted by night_owl on 3 Dec 2026, 09:20
Agreed.

Posted by throwaway_881 on 3 Dec 2026, 09:31
Whoever planned this should be dragged out and shot.

Posted by mod_karen on 3 Dec 2026, 09:40
> Whoever planned this should be dragged out and shot.
Not OK. Threats get you banned.

Posted by grumpy_commuter on 3 Dec 2026, 09:45
Thanks mod. Back on topic please.
"""

CHAT = """[21:02] <dave_k> anyone up
[21:02] <sam> yeah
[21:03] <dave_k> that guy from work again
[21:03] <dave_k> im going to wait for him in the car park tomorrow and break his legs
[21:04] <sam> dude no. dont do anything stupid
[21:04] <sam> talk to HR
"""

TRANSCRIPT = """Interview 14, recorded 2 December 2026.

SPEAKER 1: Thanks for coming in today.
SPEAKER 2: No problem.
SPEAKER 1: You said the group told you to burn the place down?
SPEAKER 2: They did. I said no, that's insane.
SPEAKER 1: Okay.
"""

PROSE_WITH_NOTE = """The river bridge will close for repairs from Monday.
Note: buses will divert via Mill Lane.

Residents can collect parking permits from the library on Harbour Street.
Update: the library closes early on Friday.
"""

NEWS_QUOTES = """Police have charged a man after threats were made against a councillor.
He said: "I will find you and I will hurt you."
Officers said: "We take every threat seriously."
The councillor said: "I am grateful for the support."
Smith: "This has been a frightening week."
Jones: "We will not be intimidated."
Smith: "The support has been overwhelming."
"""


def _texts(text: str, **kw: int) -> list[str]:
    segs = split_passages(text, **kw)
    _check_offsets(text, segs)
    return [text[s.start : s.end] for s in segs]


def _check_offsets(text: str, segs: list[Segment]) -> None:
    """The splitter's guarantees: in order, not overlapping, every character kept."""
    at = 0
    for s in segs:
        assert at <= s.start < s.end
        assert not text[at : s.start].strip()
        at = s.end
    assert not text[at:].strip()


def test_a_forum_thread_keeps_each_post_apart() -> None:
    texts = _texts(FORUM)
    assert texts == [
        "Thread: Anyone else fed up with the new bus routes?",
        "Posted by grumpy_commuter on 3 Dec 2026, 09:14\n"
        "The 42 doesn't stop at the hospital any more. Ridiculous.",
        "Posted by night_owl on 3 Dec 2026, 09:20\nAgreed.",
        "Posted by throwaway_881 on 3 Dec 2026, 09:31\n"
        "Whoever planned this should be dragged out and shot.",
        # the quote stays with the reply that condemns it
        "Posted by mod_karen on 3 Dec 2026, 09:40\n"
        "> Whoever planned this should be dragged out and shot.\n"
        "Not OK. Threats get you banned.",
        "Posted by grumpy_commuter on 3 Dec 2026, 09:45\nThanks mod. Back on topic please.",
    ]
    speakers = [t.speaker for t in find_turns(FORUM)]
    assert speakers == [
        None,
        "grumpy_commuter",
        "night_owl",
        "throwaway_881",
        "mod_karen",
        "grumpy_commuter",
    ]


def test_without_turns_the_thread_merges_as_before() -> None:
    """The defect, with turns off: the threat shares a passage with another's post."""
    texts = _texts(FORUM, turns=False)
    assert any("Agreed." in t and "dragged out and shot" in t for t in texts)


def test_a_chat_log_with_timestamps_keeps_each_speaker_apart() -> None:
    texts = _texts(CHAT)
    assert texts == [
        "[21:02] <dave_k> anyone up",
        "[21:02] <sam> yeah",
        # one speaker's lines in a row are one turn, merged as short text is
        "[21:03] <dave_k> that guy from work again\n"
        "[21:03] <dave_k> im going to wait for him in the car park tomorrow and break his legs",
        "[21:04] <sam> dude no. dont do anything stupid\n[21:04] <sam> talk to HR",
    ]
    assert [t.speaker for t in find_turns(CHAT)] == ["dave_k", "sam", "dave_k", "sam"]


def test_a_transcript_with_speaker_labels_keeps_each_turn_apart() -> None:
    texts = _texts(TRANSCRIPT)
    assert texts == [
        "Interview 14, recorded 2 December 2026.",
        "SPEAKER 1: Thanks for coming in today.",
        "SPEAKER 2: No problem.",
        "SPEAKER 1: You said the group told you to burn the place down?",
        "SPEAKER 2: They did. I said no, that's insane.",
        "SPEAKER 1: Okay.",
    ]


@pytest.mark.parametrize(
    "line, speaker",
    [
        ("12/05/26, 21:02 - Dave: see you there", "Dave"),
        ("[05/12/2026, 21:02:11] Dave Smith: see you there", "Dave Smith"),
        ("[2026-12-05 21:02] dave_k: see you there", "dave_k"),
        ("Speaker 1 (00:01:23): see you there", "Speaker 1"),
        ("[9:05 PM] <@op_mia> see you there", "op_mia"),
        # a chat app's export names a contact not saved by their phone number
        ("12/05/26, 21:02 - +1 415-555-2671: see you there", "+1 415-555-2671"),
        ("[05/12/2026, 21:02:11] +44 7700 900123: see you there", "+44 7700 900123"),
    ],
)
def test_chat_exports_name_their_speakers(line: str, speaker: str) -> None:
    other = line.replace(speaker, "Kim").replace("see you there", "ok")
    turns = find_turns(f"{line}\n{other}\n{line}\n")
    assert [t.speaker for t in turns] == [speaker, "Kim", speaker]


def test_a_markdown_transcript_with_bold_names_keeps_each_turn_apart() -> None:
    text = "**Interviewer:** Why did you go?\n**Ahmed**: They paid me.\n**Interviewer:** Ok.\n"
    assert _texts(text) == [
        "**Interviewer:** Why did you go?",
        "**Ahmed**: They paid me.",
        "**Interviewer:** Ok.",
    ]


def test_a_long_turn_is_split_inside_it_and_a_short_one_stays_alone() -> None:
    long_post = " ".join(["The council has voted on the bus lane again this week."] * 12)
    text = f"alice: {long_post}\nbob: ok\nalice: fine\n"
    segs = split_passages(text, max_chars=200, min_chars=80)
    _check_offsets(text, segs)
    texts = [text[s.start : s.end] for s in segs]
    assert texts[-2:] == ["bob: ok", "alice: fine"]
    assert len(texts) > 3 and all(len(t) <= 200 for t in texts)
    assert all("bob" not in t for t in texts[:-2])


def test_footer_bylines_end_their_posts() -> None:
    """A blog signs each post below it: the post before a by-line is its speaker's."""
    text = (
        "Great to see the market back this year.\n"
        "Posted by ann_h at 10:02 AM\n\n"
        "Someone should torch the stalls.\n"
        "Posted by anon_77 at 10:15 AM\n"
    )
    assert _texts(text) == [
        "Great to see the market back this year.\nPosted by ann_h at 10:02 AM",
        "Someone should torch the stalls.\nPosted by anon_77 at 10:15 AM",
    ]
    assert [t.speaker for t in find_turns(text)] == ["ann_h", "anon_77"]


def test_crlf_line_ends_read_alike() -> None:
    text = TRANSCRIPT.replace("\n", "\r\n")
    assert [t.strip() for t in _texts(text)] == _texts(TRANSCRIPT)


def test_a_note_line_in_prose_is_no_turn() -> None:
    assert find_turns(PROSE_WITH_NOTE) == []
    assert _texts(PROSE_WITH_NOTE) == _texts(PROSE_WITH_NOTE, turns=False)


def test_quotes_in_a_news_article_are_no_turns() -> None:
    assert find_turns(NEWS_QUOTES) == []
    assert _texts(NEWS_QUOTES) == _texts(NEWS_QUOTES, turns=False)


@pytest.mark.parametrize(
    "text",
    [
        # one name alone is no conversation
        "alice: I went to the market.\nIt was busy.\nalice: Then home.\n",
        # two names once each, the text not opening with one: a label in passing
        "The rota for the week.\nMonday: Sam\nTuesday: Kim\n",
        # one by-line is a signature, not a thread
        "The market is back this year.\nPosted by ann_h at 10:02 AM\n",
        # a quoted reply's header, then the quote: no turn
        "I disagree.\n\nalice wrote:\n> they should all be shot\n\nNo they should not.\n",
        # an e-mail's header fields
        "From: Ann\nTo: Bob\nSubject: Rota\n\nSee you Monday.\n",
        # hard-wrapped prose, where a line may start with any word and a colon
        "The model was trained with one more\n"
        "recipe: each sentence of a passage is scored on its own and the\n"
        "highest score is kept for the passage as a whole, which gave the\n"
        "labels: threat and incitement the largest gains on the held-out\n"
        "sources, while the other labels stayed where they were before\n"
        "recipe: changes, and the thresholds were calibrated again on the\n"
        "validation data of each source held out in turn, one at a time\n"
        "so that no source was used both to fit and to check a threshold\n"
        "and the numbers in the table are the means over the folds.\n"
        "Nothing else changed between the two builds of the model.\n"
        "The next build will be checked the same way.\n",
        # prose that mentions what was posted by whom, at line starts
        "The notice was\nPosted by the council on Monday, and a reply was\n"
        "Posted by the mayor on Friday.\n",
        # URLs, list numbers, times
        "See https://example.org/a for details.\n1: first\n2: second\n10:30 start\n",
    ],
)
def test_prose_lines_with_colons_are_no_turns(text: str) -> None:
    assert find_turns(text) == []


def test_turns_cover_the_text_whole() -> None:
    for text in (FORUM, CHAT, TRANSCRIPT):
        turns = find_turns(text)
        assert turns[0].start == 0 and turns[-1].end == len(text)
        assert all(a.end == b.start for a, b in pairwise(turns))


MESSAGE = st.lists(
    st.sampled_from(["ok", "the", "bus", "lane", "again", "no.", "Why?", "I", "will", "go"]),
    min_size=1,
    max_size=60,
).map(" ".join)
CONVERSATION = st.lists(
    st.tuples(st.sampled_from(["alice", "bob_99", "SPEAKER 2"]), MESSAGE, st.booleans()),
    min_size=2,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(
    CONVERSATION, st.integers(min_value=40, max_value=300), st.integers(min_value=0, max_value=120)
)
def test_no_passage_holds_two_speakers_turns(
    turns: list[tuple[str, str, bool]], max_chars: int, min_chars: int
) -> None:
    """Whatever the limits, each passage lies inside one turn, and no text is lost."""
    text = "".join(f"{who}: {said}\n" + ("\n" if blank else "") for who, said, blank in turns)
    found = find_turns(text)
    assume(len({t.speaker for t in found}) > 1)
    segs = split_passages(text, max_chars=max_chars, min_chars=min(min_chars, max_chars))
    _check_offsets(text, segs)
    for s in segs:
        assert any(t.start <= s.start and s.end <= t.end for t in found), text[s.start : s.end]
        assert s.end - s.start <= max_chars


def test_a_question_and_answer_transcript_keeps_each_turn_apart() -> None:
    """ "Q:"/"A:" labels: "A" is a speaker here, not the article (the README lists "Q:")."""
    text = (
        "Q: Did he threaten you?\nA: Yes, he said he would burn my house.\n"
        "Q: When?\nA: Last week.\n"
    )
    assert [t.speaker for t in find_turns(text)] == ["Q", "A", "Q", "A"]


def test_lines_in_a_code_fence_are_no_turns() -> None:
    """A YAML block in a Markdown document ("model: default" twice) is no conversation; a
    fence inside a chat turn stays inside it."""
    doc = "Settings we use:\n\n```yaml\nmodel: default\nthreshold: 0.5\nmodel: other\n```\n"
    assert find_turns(doc) == []
    chat = (
        "[12:01] alice: try this\n```\nbob: not a turn\ncarol: nor this\n```\n[12:02] bob: thanks\n"
    )
    assert [t.speaker for t in find_turns(chat)] == ["alice", "bob"]


GLOSSARY = (
    "# Glossary of harms\n\n"
    "Doxxing: publishing someone's private information online.\n"
    "Brigading: coordinated harassment of a user or community.\n"
    "Swatting: a hoax emergency call that sends armed police.\n"
    'Doxxing: see also "outing".\n'
)
POLICY = (
    "**Policy:** Threats of violence are removed.\n\n"
    '**Examples:** "I will kill you" is removed.\n\n'
    "**Exceptions:** Fiction that is clearly marked.\n\n"
    "**Examples:** Song lyrics quoted in a discussion.\n"
)


@pytest.mark.parametrize(
    "text",
    [
        GLOSSARY,
        # terms a suffix does not mark as such: the definitions read as definitions
        "Troll: someone who posts to provoke.\nRaid: a coordinated flood of posts.\n"
        "Sockpuppet: an account run to fake support.\nTroll: see also Raid.\n",
        POLICY,
        # the same fields again for a second rule: as often as two speakers alternating
        POLICY + "\n" + POLICY.replace("Threats of violence", "Slurs"),
        # an API reference's fields (undici's docs)
        "# Agent\n\nExtends: `undici.Dispatcher`\n\nAgent dispatches requests.\n\n"
        "Returns: `Agent`\n\nExtends: `PoolOptions`\n\nReturns: `Promise`\n",
        # a code of conduct's enforcement ladder (the Contributor Covenant)
        "### 1. Correction\n\n**Community Impact**: Use of inappropriate language.\n\n"
        "**Consequence**: A private, written warning.\n\n### 2. Warning\n\n"
        "**Community Impact**: A violation through a single incident.\n\n"
        "**Consequence**: A warning with consequences.\n",
        # an e-mail saved with its headers
        "Return-Path: <ann@example.org>\nReceived: by mail.example.org\nMIME-Version: 1.0\n"
        "Content-Type: text/plain\nX-Mailer: Mutt\n\nYou will regret this.\n",
        # a changelog's issue ids, one in 10 a typo (IDLE's NEWS.txt)
        "What's new\n\n"
        + "".join(f"gh-{1200 + i}: Fix crash {i}.\n" for i in range(9))
        + "bp0-4470: Typo.\ngh-1200: Follow-up.\n",
        # numbered examples (the AWS CLI's docs)
        "**Example1: To list builds**\n\nThe command lists them.\n\n"
        "**Example2: To delete a build**\n\nThe command deletes one.\n",
        # a record's fields, each once (an .ABOUT file of a licence database)
        "about_resource: index.json\ndownload_url: https://example.org/index.json\n"
        "license_expression: mit\nhomepage_url: https://example.org\n",
        # a YAML block in an HTML comment (Node.js's docs), hidden when rendered
        "# Report\n\n<!-- YAML\nchanges:\n  - version: v20.13.0\n"
        "    pr-url: https://github.com/nodejs/node/pull/51645\n"
        "    description: Added an option.\n  - version: v13.9.0\n"
        "    pr-url: https://github.com/nodejs/node/pull/31386\n"
        "    description: Workers are included.\n-->\n\nText.\n",
    ],
)
def test_definitions_and_fields_are_no_turns(text: str) -> None:
    """A glossary ("Term: definition" a line), a policy's bold fields, an API reference's
    fields: labels of the same shape as speakers', not a conversation (break helper's
    finding: a glossary became one-line passages, a policy split where a field text opened
    with a quote mark and not elsewhere)."""
    assert find_turns(text) == []


@pytest.mark.parametrize(
    "text, speakers",
    [
        # three speakers, each once or twice, as many as a glossary's terms
        (
            "alice: the bus is late again\nbob: a bit, yes\ncarol: see you there\nalice: ok\n",
            ["alice", "bob", "carol", "alice"],
        ),
        # speakers named by role, and a surname a suffix could take for a term
        (
            "Interviewer: Where were you?\nManning: At home.\nInterviewer: Alone?\n",
            ["Interviewer", "Manning", "Interviewer"],
        ),
        (
            "MANNING: Put it down.\nSTERLING: Make me.\nMANNING: I'm calling the police.\n",
            ["MANNING", "STERLING", "MANNING"],
        ),
    ],
)
def test_conversations_beside_definitions_still_split(text: str, speakers: list[str]) -> None:
    assert [t.speaker for t in find_turns(text)] == speakers


DISCORD = (
    "alice — Today at 10:02 PM\nhey\n"
    "bob — Today at 10:03 PM\nI know where you live\nand I know your car\n"
    "alice — Today at 10:04 PM\nreported\n"
)


@pytest.mark.parametrize(
    "text",
    [
        DISCORD,
        DISCORD.replace("Today at", "Yesterday at"),
        DISCORD.replace("Today at 10:0", "12/05/2026 10:0"),
        DISCORD.replace("Today at 10:0", "12/5/26, 10:0"),
        # Slack: the name, two spaces, the time
        DISCORD.replace(" — Today at ", "  "),
        DISCORD.replace(" — Today at ", "\t"),
    ],
)
def test_a_discord_or_slack_copy_keeps_each_speaker_apart(text: str) -> None:
    """A Discord or Slack copy names its speaker on a line of its own with the time, the
    message on the next lines: it was one passage with three speakers (break helper's #6)."""
    assert [t.speaker for t in find_turns(text)] == ["alice", "bob", "alice"]
    texts = _texts(text)
    assert len(texts) == 3 and "I know where you live\nand I know your car" in texts[1]


def test_a_slack_copy_with_full_names() -> None:
    text = (
        "Alice Smith  10:02 PM\nhey\nBob Jones  10:03 PM\nwatch yourself\n"
        "Alice Smith  10:04 PM\nok\n"
    )
    assert [t.speaker for t in find_turns(text)] == ["Alice Smith", "Bob Jones", "Alice Smith"]


@pytest.mark.parametrize(
    "text",
    [
        # an agenda: times beside items, no message under them
        "Registration  9:00 AM\nWelcome  9:30 AM\nKeynote  10:00 AM\nLunch  12:30 PM\n",
        # one time on a line of its own in prose
        "We met at the station.\nDeparture  10:02 PM\nThe train was late.\n",
    ],
)
def test_times_beside_items_are_no_speakers(text: str) -> None:
    assert find_turns(text) == []


def test_a_chat_that_mixes_label_styles_keeps_each_speaker_apart() -> None:
    """One '[12:01] <@op> ...' line in a chat labelled by e-mail addresses was text of the
    turn before: the timestamped kind needs 2 lines (break helper's #6)."""
    text = (
        "jane.roe@example.com: my account was hacked\n"
        "[12:01] <@op> please stay calm\n"
        "agent_7: we are looking into it\n"
        "jane.roe@example.com: they posted my address\n"
        "agent_7: removed it\n"
    )
    assert [t.speaker for t in find_turns(text)] == [
        "jane.roe@example.com",
        "op",
        "agent_7",
        "jane.roe@example.com",
        "agent_7",
    ]


@pytest.mark.parametrize(
    "text, speakers",
    [
        # Otter.ai: the name, two spaces, the time into the recording; the text under it
        (
            "Jane Doe  0:03\nThanks for joining.\n\nJohn Smith  0:15\nThey said they would "
            "burn it down.\n\nJane Doe  1:02\nWho said that?\n",
            ["Jane Doe", "John Smith", "Jane Doe"],
        ),
        ("Speaker 1  1:02:03\nHello.\nSpeaker 2  1:02:09\nHi.\n", ["Speaker 1", "Speaker 2"]),
        # Zoom's saved transcript: the name in brackets, then the time
        (
            "[Jane Doe] 10:02:03\nCan you hear me?\n[John Smith] 10:02:09\nYes.\n"
            "[Jane Doe] 10:02:15\nGood.\n",
            ["Jane Doe", "John Smith", "Jane Doe"],
        ),
        # a Zoom recording's transcript (WebVTT): each label under its cue's timing
        (
            "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nJane Doe: Can you hear me?\n\n"
            "2\n00:00:05.000 --> 00:00:07.000\nJohn Smith: Yes.\n\n"
            "3\n00:00:08.000 --> 00:00:09.000\nJane Doe: Good.\n",
            [None, "Jane Doe", "John Smith", "Jane Doe"],
        ),
        # a chat whose every label is "@name:": that is how it names its speakers
        (
            "@alice: anyone here\n@bob: yes\n@alice: he did it again\n@bob: report him\n",
            ["alice", "bob", "alice", "bob"],
        ),
        # "@bob:" among plain labels is a message addressed to bob, not bob speaking
        (
            "alice: hi all\n@bob: are you there?\ncarol: he left\nalice: ok\n",
            ["alice", "carol", "alice"],
        ),
    ],
)
def test_transcript_headers_and_at_labels(text: str, speakers: list[str]) -> None:
    assert [t.speaker for t in find_turns(text)] == speakers


def test_a_growing_chat_keeps_its_passages_until_its_last_speaker_goes_on() -> None:
    """A chat log ingested again after new lines (`ingest --previous`): its earlier
    passages are cut again alike, and found, when the next line is another speaker's;
    when the last speaker goes on, their last turn grows and its passage is a new one
    (one speaker's lines in a row are one turn: README "Conversations")."""
    before = _texts(CHAT)
    other = _texts(CHAT + "[21:05] <dave_k> fine, I won't\n")
    assert other[: len(before)] == before and other[-1] == "[21:05] <dave_k> fine, I won't"
    same = _texts(CHAT + "[21:05] <sam> and call the police if he tries\n")
    assert same[:-1] == before[:-1]
    assert same[-1] == before[-1] + "\n[21:05] <sam> and call the police if he tries"


HEADER = st.sampled_from(
    ["{} — Today at 10:02 PM", "{}  10:02 PM", "{}  0:03", "[{}] 10:02:03", "{}\t9:15 AM"]
)


@settings(max_examples=200, deadline=None)
@given(
    HEADER,
    st.lists(st.tuples(st.sampled_from(["alice", "bob_99", "Jane Doe"]), MESSAGE), min_size=2),
    st.integers(min_value=40, max_value=300),
)
def test_no_passage_holds_two_speakers_headers(
    header: str, turns: list[tuple[str, str]], max_chars: int
) -> None:
    """Discord/Slack/Otter/Zoom headers: each passage lies inside one turn, none is lost."""
    assume(len({who for who, _ in turns}) > 1)
    text = "".join(f"{header.format(who)}\n{said}\n" for who, said in turns)
    found = find_turns(text)
    assert [t.speaker for t in found] == [
        who for i, (who, _) in enumerate(turns) if i == 0 or turns[i - 1][0] != who
    ]
    segs = split_passages(text, max_chars=max_chars, min_chars=80)
    _check_offsets(text, segs)
    for s in segs:
        assert any(t.start <= s.start and s.end <= t.end for t in found), text[s.start : s.end]


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # a group chat where four people each speak once: a threat and three replies
        # condemning it (a "more than 3 names each used once are fields" rule merged them)
        (
            "kev: someone should torch that hall tonight\nsara: what the hell kev, no\n"
            "omar: reported to the admins\nlee: kev you need to leave this group\n",
            ["kev", "sara", "omar", "lee"],
        ),
        # messages opening as definitions do ("the", "see"), in the first or second person
        (
            "mike: the depot is where we hit them tomorrow.\njoe: a few cans of petrol.\n"
            "ann: the police will hear about this, you are both sick.\n"
            "mike: see you at the gate at eight.\n",
            ["mike", "joe", "ann", "mike"],
        ),
        # two names alternating, read as terms (-ing) or identifiers (anon-1234)
        (
            "Fleming: he walks in again and he is finished\nHarding: you cannot say that\n"
            "Fleming: watch me\nHarding: reporting this now\n",
            ["Fleming", "Harding", "Fleming", "Harding"],
        ),
        (
            "anon-5521: more of this please\nanon-2277: you are sick, people died\n"
            "anon-5521: the next one will be bigger\nanon-2277: reported\n",
            ["anon-5521", "anon-2277", "anon-5521", "anon-2277"],
        ),
    ],
)
def test_chats_shaped_like_glossaries_or_fields_still_split(text: str, speakers: list[str]) -> None:
    """Stop 46's break helper: the glossary and field-list guards of that stop put a
    threat and the replies condemning it into one passage."""
    assert [t.speaker for t in find_turns(text)] == speakers
