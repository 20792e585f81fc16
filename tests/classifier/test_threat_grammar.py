"""The rule threat_grammar (annotate.classifier.threat_grammar): explicit threats in the
author's own voice read by their grammar. Sentences written for the project (not copied
from any dataset or from benchmarks/probes)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.classifier.base import Span
from annotate.classifier.threat_grammar import (
    grammar_spans,
    keep_threat,
    rule_precision,
    threat_sentences,
    with_threat_floor,
)

THREATS = [
    # direct intent, first person
    "I will strangle the landlord who evicted my sister.",
    "We're going to burn your shop down on Sunday.",
    "I'm gonna stab the next referee who cheats us.",
    "Me and my cousins will hunt down every one of those protesters.",
    "I swear I'll put that inspector in the ground.",
    "We will set the community hall on fire during their meeting.",
    "I'm breaking his legs when he comes out of the pub.",
    # normative
    "Bankers like him should be hanged from the lamp posts.",
    "Those refugees deserve to die.",
    "All the councillors need to be shot.",
    "Someone should shoot that judge.",
    "I think every one of them should be executed.",
    # second person
    "Those traitors should be beaten.",
    "They should be run over in the car park.",
    "You're dead, landlord.",
    "Your days are numbered, snitch.",
    "You won't see tomorrow, pig.",
]
NOT_THREATS = [
    "This heat is killing me.",
    "The gunman shot four people outside the station on Friday.",
    "No one deserves to die like that.",
    "Should they really be punished for this?",
    "People who say immigrants should be shot are a disgrace.",
    "He said he will kill them all if they come back.",
    "The second season should be shot in Morocco.",
    "I'm going to kill it at the interview tomorrow.",
    "We are going to be killed if we stay in this town.",
    "This bill must die in the Senate.",
    "I will never hurt anyone again.",
    "Police said the man threatened to shoot the hostages.",
    "You're dead wrong about the bus times.",
    "I'm going to shoot a video for my channel tomorrow.",
    "In the game I'm going to kill the boss with one hit.",
    "We should beat them in the final on Saturday.",
    # a passive violent verb that needs its particle or object ("cut ... throat")
    "Ticket prices are to be cut by a fifth next spring.",
    # a clause under someone else's words, an attribution or a lament
    "The party dropped a candidate for allegedly suggesting that addicts should be killed.",
    "Radio caller: more farmers have to die before anyone listens.",
    "How many nurses must die at the hands of drunk drivers before the law changes.",
]


# Written for the project (5 Dec 2026) where a grammar rule over-fires: sport and games,
# cooking and DIY, fiction and lyrics, medicine and vets, history and law, plain news,
# counter-speech, self-talk, hypotheticals, narrative, forum quoting, text-speak. Left
# out as ambiguous under labels.yaml (a target, no means, plainly hyperbole): "the
# referee should be shot for that offside call", "I will literally kill him lol",
# "I'm going to kill my sister if she eats my cake", "the players should be shot for
# losing that match".
NOT_THREATS_BY_SETTING = {
    "sports_games": [
        "We're going to kill them on Saturday, the defence is a shambles.",
        "I'll murder this level once I get the double jump.",
        "We will destroy their midfield and crush them at home.",
        "We're gonna slaughter the Tigers in the semi final.",
        "I'm going to beat my brother at chess tonight.",
        "Our lads will hammer the visitors, they can't defend set pieces.",
        "I'm going to shoot some hoops after work.",
        "We'll smash them next week, no doubt about it.",
        "I'm going to kill the final boss with a sniper build.",
        "We're going to burn through the rest of the tournament.",
        "I'll knock out the champion in the third round.",
        "Our team should beat them easily if the keeper is fit.",
        "I'm gonna attack the left flank in the second half.",
        "We will hunt the ghost monsters down in the swamp map.",
        "I will snipe every one of the campers on that map.",
        "Me and my squad are going to wipe the other team out in ranked.",
        "We're going to batter them at the Emirates, their back four is slow.",
        "I'm going to destroy you at Mario Kart tonight.",
        "Our girls will kill it in the relay if the baton change is clean.",
        "We will murder the away side if we press high.",
        "I'll execute the perfect combo on the last round.",
        "I'm going to hunt the dragon down before the raid resets.",
        "We're gonna slaughter them in the derby, mark my words.",
        "The coach should be sacked, not shot, after that season.",
        "I'll shoot from outside the box if the keeper comes off his line.",
        "I'm going to attack the net more in the second set.",
        "I'm going to kill the ref after the game, what a joke of a decision.",
        "We will wipe the floor with them in the cup.",
        "I'll finish the cake off tonight.",
    ],
    "cooking_diy": [
        "I'm going to beat the eggs until they form stiff peaks.",
        "Burn the logs slowly overnight and the stove stays warm.",
        "I'll cut the onions into thin rings and fry them.",
        "We're going to smash the old tiles and lay new ones.",
        "I'm going to kill the weeds along the fence with vinegar.",
        "We'll break the old wall down and open up the kitchen.",
        "I'll butcher the chicken into eight pieces for the stew.",
        "The potatoes should be boiled and then mashed.",
        "I'm gonna hang the shelves in the hallway this weekend.",
        "We will strip the paint off the doors and burn the scraps.",
        "I'm going to shoot the nail gun into the stud, not the drywall.",
        "The dough should be beaten for ten minutes by hand.",
        "I'm going to torch the sugar on top of the creme brulee.",
        "We're going to gut the bathroom and start again.",
        "I'll beat the butter and sugar together until pale.",
        "We're going to burn the garden waste on Sunday.",
        "I'm going to kill the power at the fuse box before I rewire it.",
        "The meat should be hung for two weeks before cooking.",
        "I will smash the garlic with the flat of the knife.",
        "We're going to cut the old tree down next month.",
        "I'll hang the washing out once the rain stops.",
        "The steak should be seared and then rested.",
        "As promised, we will burn the old letters.",
        "I'm going to blow the candles out myself.",
        "We are going to put the bulbs in the ground in October.",
    ],
    "film_tv_books_lyrics": [
        "In the final episode the hero swears he will kill the king, and he does.",
        "The villain says he will burn the whole city down.",
        "Arya's list of people she will kill is the best running joke in the series.",
        "The chorus goes I will shoot the sheriff but not the deputy.",
        "In chapter nine she decides she will poison her husband.",
        "The killer tells the detective he will strangle her next.",
        "The trailer shows him vowing to hunt down every one of the gang.",
        "My favourite line is when the gangster says you're dead to the informer.",
        "In the movie the soldiers decide they must kill the prisoners.",
        "The witch in the play declares the children should be cooked.",
        "That rapper keeps writing bars about how he will shoot his rivals.",
        "The narrator admits he will murder the old man because of his eye.",
        "In the sequel the android decides humans should be exterminated.",
        "Her character thinks the traitors deserve to die.",
        "In the book the twins decide they will poison the governor at the feast.",
        "The song's hook is just I'm gonna shoot you down over and over.",
        "Season two ends with the queen ordering that the rebels be executed.",
        "The antagonist swears he'll burn the monastery to the ground.",
        "My review: the villain's speech about how the weak deserve to die is chilling.",
        "In the opera the jealous husband decides his wife must die.",
    ],
    "medicine_vet": [
        "The dog had to be put down after the accident.",
        "Our old cat should be put down before she suffers more.",
        "The vet said the horse must be put down.",
        "The tumour has to be cut out next week.",
        "Infected tissue must be burned off with a laser.",
        "The surgeon will cut him open tomorrow morning to remove the appendix.",
        "We're going to kill the infection with a strong course of antibiotics.",
        "The bacteria should be killed by boiling the water.",
        "I'm going to break the news to the family myself.",
        "The wart should be burnt off by the nurse.",
        "Sick cattle had to be shot during the outbreak.",
        "The badgers are to be culled under the new plan.",
        "The vet thinks our rabbit will have to be put to sleep.",
        "Old sheep that can't walk should be culled humanely.",
        "We're going to kill the lice with a medicated shampoo.",
        "The mole should be cut out and sent to the lab.",
        "The lame horse had to be shot on the course.",
        "I will break the bad news to her husband gently.",
    ],
    "history_law": [
        "The traitors were hanged in 1746 after the rising.",
        "Many argue that murderers should be executed, but the evidence on deterrence is weak.",
        "Under the old statute, horse thieves could be hanged.",
        "In 1610 the law said witches must be burned.",
        "The senator believes child killers deserve to die, a view the committee rejected.",
        "The Romans decided that the rebels should be crucified along the road.",
        "Supporters of capital punishment hold that terrorists should be put to death.",
        "The tribunal ruled that the general must be executed for war crimes.",
        "Medieval kings often had rivals beheaded.",
        "Several states still execute prisoners by lethal injection.",
        "Should drug dealers be executed is the question on tonight's debate.",
        "The death penalty debate asks whether murderers deserve to die.",
        "In 1793 the revolutionaries decided the king must die.",
        "Historians agree the prisoners were shot at dawn.",
        "The court decided the smugglers should be hanged at the port.",
        "In 1649 Parliament resolved that the king must be executed.",
        "Abolitionists argue no prisoner should be executed.",
        "Under martial law, looters could be shot on sight.",
        "The jury concluded the defendant should die for the murders.",
        "Witnesses recall that deserters were shot in the square.",
    ],
    "news_plain": [
        "The suspect told officers he would kill his neighbour, a court heard.",
        "Police say the gunman shot two guards before fleeing.",
        "The militia vowed to burn the villages if the army advanced.",
        "A man has been charged after threatening to stab a shop worker.",
        "The group announced it will attack government buildings, officials said.",
        "Prosecutors allege he planned to bomb the synagogue.",
        "The protesters chanted that the president should be hanged.",
        "Residents fear the gangs will burn their homes.",
        "The defendant admitted he wanted to hurt the victim.",
        "According to the indictment, the men intended to kill the governor.",
        "The minister insisted traitors should be punished and executed.",
        "The letter warned that staff will die if the clinic opens.",
        "Officers believe the attacker will strike again.",
        "The rebel leader pledged we will kill every soldier who enters the valley, "
        "according to state media.",
        "The man posted that he will shoot the nurses at the clinic, police said.",
        "The cartel promised it will kill any journalist who reports on it, according to the NGO.",
        "Officials fear the militants will bomb the power station.",
        "The accused wrote in a diary that the teachers deserve to die.",
        "A spokesman confirmed that the hostages will be executed at dawn unless demands are met.",
        "The rebels say they will attack the capital within days.",
    ],
    "counter_speech": [
        "Anyone who says gay people should be killed is a monster.",
        "People who think migrants should be shot need to take a long look at themselves.",
        "Saying Muslims deserve to die is hate speech and it should be reported.",
        "Nobody should be killed for who they love.",
        "Threatening to burn down a mosque is a crime, full stop.",
        "I'm sick of reading that women should be beaten into line.",
        "To the man who posted that refugees should be drowned: you are the problem.",
        "Calling for trans people to be hanged is incitement and the platform should act.",
        "We will not let them tell us Jews should be gassed.",
        "It is disgusting to hear that Roma must be wiped out, in 2026.",
        "If you believe disabled kids should be put down, unfollow me now.",
        "Those who cheer when protesters are shot have lost their humanity.",
        "Anyone claiming Black people should be lynched belongs in a cell.",
        "It makes me furious that people still joke that trans women should be shot.",
        "No, Roma people do not deserve to die, and saying so is vile.",
        "Stop sharing posts that say the refugees should be drowned.",
        "We condemn every call for the minister to be hanged.",
        "Being told that my people must be wiped out is what I live with every day.",
    ],
    "self_talk_hyperbole": [
        "My mum is going to kill me when she sees this report card.",
        "I could strangle whoever invented group projects.",
        "I'm going to die of embarrassment.",
        "I will kill for a coffee right now.",
        "I'm gonna shoot myself if this meeting runs over again.",
        "My boss will murder me if I'm late.",
        "I'm going to strangle this printer.",
        "These shoes are killing me.",
        "I'm going to kill this presentation tomorrow.",
        "My dad is going to murder me when he sees the car.",
        "I will die if she doesn't text back.",
        "Honestly I could murder a pizza right now.",
        "I'm going to strangle the wifi router.",
        "Gonna kill this essay before midnight.",
    ],
    "conditional_hypothetical": [
        "If the dam breaks, the floods will kill hundreds of people.",
        "If I were a villain I would burn the whole place down.",
        "What if we just hanged all the hosts in the game, would that count?",
        "Suppose someone threatened to shoot the teacher; what should staff do?",
        "In a zombie outbreak you'd have to shoot your neighbours.",
        "If they attack us, we will defend ourselves within the law.",
        "The drill assumes an intruder will shoot anyone in the corridor.",
        "Imagine if we had to kill our own food every day.",
        "If the storm hits the coast, it will kill thousands.",
        "If I were you I'd break up with him.",
        "Would you shoot a burglar if he came into your house?",
        "In a survival game you have to kill the other players to win.",
    ],
    "narrative_2nd_3rd": [
        "He will kill them all, the old woman whispered in the story.",
        "She's going to stab him in the next scene, I can feel it.",
        "You'll burn the toast if you leave it there.",
        "You're dead tired after a night shift, anyone would be.",
        "They're going to execute the plan on Monday.",
        "The soldiers will shoot anyone who crosses the line, the sergeant warned the recruits.",
        "You will die one day, so call your mother.",
        "The rebels are going to kill the hostages unless the ransom is paid.",
        "The dragon will burn the village unless the knight arrives.",
        "You're dead right about the timetable.",
        "You'll burn yourself on that pan if you're not careful.",
        "They're going to cut the budget again next year.",
        "She will kill him in the final chapter, I'd bet on it.",
        "You're dead on about the new manager.",
        "The wolves will kill the lambs if the fence is left open.",
        "You will die laughing at this clip.",
    ],
    "forum_quotes": [
        "> I will kill every one of you\nReported this to the mods, it's a clear threat.",
        "Gary wrote: we are going to burn your office down.\nThis needs reporting to the police.",
        ">>482013\n> those protesters deserve to die\n"
        "This is exactly the kind of post that gets people hurt.",
        "Quote from: Eagle88 on Monday\nYou're dead, traitor.\nThis guy needs banning.",
        "Originally posted by rdx: we'll hang them from the bridge.\nCan a mod delete this?",
        "> they should all be shot\nNo they shouldn't, what is wrong with you?",
        "> we should hang every one of them\nThis is a threat, reported.",
        "Dave_99 wrote:\nI'm going to stab the next person who parks there\n"
        "Mods please deal with this.",
        "Quote from: kitty on Tuesday\nThose landlords deserve to die.\nNo they don't.",
    ],
    "spelling_casing": [
        "IM GONNA KILL IT AT THE GIG TONIGHT!!!",
        "we r gonna smash them on saturday lads",
        "i'll murda this exam tmrw",
        "WE WILL BURN THE MIDNIGHT OIL UNTIL IT'S DONE",
        "im going 2 kill this level lmao",
        "ur dead wrong bro",
        "WE R GOING TO SMASH IT AT THE FINAL",
        "ima kill this workout lol",
        "u r dead wrong m8",
        "imma murder these pancakes",
    ],
    "business_work_hunting_photography": [
        "I'm going to shoot a deer this weekend if the weather holds.",
        "We're going to gas the wasps' nest behind the shed.",
        "We will kill this bill in committee.",
        "We're going to kill the competition with these prices.",
        "I'll kill the lights when I leave.",
        "The state will execute him on Thursday unless the governor steps in.",
        "Our startup is going to murder the incumbents on price.",
        "I'm going to attack this problem from a different angle.",
        "I will hunt down the best deals for you.",
        "We're going to smash our fundraising target.",
        "I'll shoot you an email tomorrow.",
        "I'm going to shoot you a text when I land.",
        "Let me know and I'll hit you up later.",
        "We will beat them at the polls in May.",
        "I'm going to execute the migration script tonight.",
        "We are going to burn the old branches in the fire pit.",
        "I'll hang them on the line to dry.",
        "I will destroy him in the debate.",
        "Doctors should kill the pain before anything else.",
        "Every student must be shot for the yearbook by Friday.",
        "The actors will be shot against a green screen.",
        "Those photos should be shot in natural light.",
        "The weakest contestants should be eliminated in the first round.",
        "Players who cheat should be banned for life.",
        "My grandad says the protesters should be shot, and I think that is disgusting.",
        "He is dead, you know, the guy from the band.",
        "Trolls like you deserve to be blocked.",
        "I'm going to cut you a slice of the cake.",
        "We will run them ragged in the second half.",
        "I'll break the record next year.",
        "I'm going to kill two birds with one stone.",
        "Watching him play, you'd think he wants to murder the ball.",
    ],
    "news_and_counter_speech_without_quotation_marks": [
        "Demonstrators held signs saying immigrants should be deported and shot.",
        "Graffiti on the wall read: Muslims must die.",
        "A banner reading Jews deserve to die was removed by police.",
        "The suspect's manifesto states that all immigrants must be killed.",
        "In the video, the gunman declares we will kill every one of you.",
        "Posts on the forum said traitors should be shot, the report found.",
        "The pamphlet argued that Jews must be exterminated.",
        "Prosecutors read messages in which he wrote that he would shoot the imam.",
        "The crowd was heard chanting that the judge should be hanged.",
        "The idea that refugees should be drowned is monstrous.",
        "If you think Black people should be lynched, you are the problem.",
        "Imagine believing that women deserve to be beaten.",
        "His message, we are going to kill you all, was shown to the jury.",
        "Under the headline Traitors Must Die, the paper ran photos of the judges.",
        "The caption under the photo, they all deserve to die, drew complaints.",
        "The note left at the scene warned that the family will die.",
        "Witnesses told the BBC the attackers shouted that every Christian must die.",
        "She reported a comment saying the nurses should all be shot.",
        "The slogan kill the boer was ruled hate speech by the court.",
        "Several accounts posted that the MP deserves to die; all were suspended.",
        "To everyone telling me I deserve to be raped: I am not going anywhere.",
        "We reject the claim that protesters deserve to be shot.",
        "The minister condemned calls online that the refugees should be drowned.",
        "The book documents how the regime decided the dissidents must die.",
    ],
    "final_probe_all_settings": [
        "I will kill that time trial on Sunday.",
        "Our pack is going to smash their scrum all afternoon.",
        "We should beat them by ten points in the league.",
        "I'm going to beat the cream by hand because the mixer broke.",
        "We will burn the leaves in the garden incinerator.",
        "I'll cut the chicken into strips and marinate it overnight.",
        "I'm going to hang the new mirror above the fireplace.",
        "We're going to smash the old bathroom tiles out tomorrow.",
        "In the finale the detective realises the butler will poison the heiress.",
        "The lyrics go we'll burn this city down tonight.",
        "The chapter where the captain decides the mutineers must hang is brutal.",
        "My favourite scene is when she tells him you're dead to me.",
        "The farmer said the injured ewe would have to be put down.",
        "We're going to kill the mould with bleach.",
        "The infected toenail should be cut out under local anaesthetic.",
        "The judge ordered that the prisoner be hanged at dawn, in 1820.",
        "Reports say the militia will execute anyone caught deserting.",
        "The MP's attacker had posted that politicians deserve to die, the court heard.",
        "According to the charge sheet, he planned to shoot the mayor.",
        "Campaigners argue that no child should be executed, whatever the crime.",
        "Anyone telling you trans kids should be shot is spreading hate.",
        "People keep tweeting that Muslims should be hanged and it has to stop.",
        "It's vile to say disabled people should be gassed.",
        "I'm going to kill myself laughing at this.",
        "You'll die when you hear what happened at work.",
        "He's going to shoot the wedding in black and white.",
        "They will attack the proposal at the board meeting.",
        "I'm going to murder a curry tonight.",
        "> you're dead, snitch\nThat's a threat, screenshot it.",
        "jay_77 wrote:\nwe will hunt you down\nReported.",
    ],
}

# Own-voice threats in varied grammar and spelling, including ones that sit beside the
# exclusions above (a contest word with a crowd of people, an object word after a
# coordinated threat, a first-person decision).
OWN_VOICE_THREATS_BY_FORM = {
    "direct": [
        "I will find the councillor and break his jaw.",
        "We're going to burn down the mosque on Elm Street.",
        "I'm going to shoot every one of those protesters at the rally.",
        "Me and the lads will beat him senseless when he leaves work.",
        "I swear to god I will stab that landlord.",
        "We are coming to kill you and your family.",
        "I'll put a bullet in the mayor's head.",
        "I am going to set the refugee hostel on fire.",
        "We will hunt down every journalist who wrote that article.",
        "I'm gonna slit your throat.",
        "Tomorrow I will shoot up the school.",
        "I will kill you.",
        "I'm going to shoot the imam when he walks out of the mosque.",
        "We will burn down every church in this town.",
        "I will stab your wife outside her work.",
        "My brothers and I are going to kill the judge.",
        "I'll hang that traitor from the bridge myself.",
        "We're going to blow up the council offices on Friday.",
    ],
    "normative": [
        "Every last one of those judges should be hanged.",
        "Those journalists deserve to be shot.",
        "Immigrants like him need to be exterminated.",
        "The mayor must be executed for what he did.",
        "Those protesters deserve a bullet.",
        "Someone needs to kill that senator.",
        "Traitors like her should be put to death.",
        "Those councillors should be hanged for treason.",
        "Every last one of the protesters deserves to be shot.",
        "Paedophiles like him must be executed.",
        "That reporter deserves a bullet.",
    ],
    "second_person": [
        "You're dead, snitch.",
        "Your days are numbered, councillor.",
        "You will die for this, traitor.",
        "You won't see tomorrow, pig.",
        "You're dead, grass.",
        "You will die screaming, you traitor.",
        "Your days are numbered, Councillor Reid.",
    ],
    "spelling_casing": [
        "I WILL KILL YOU AND YOUR WHOLE FAMILY",
        "we gonna shoot every one of them",
        "I WILL SHOOT EVERY ONE OF YOU",
        "YOU'RE DEAD",
    ],
    "beside_the_exclusions": [
        "We will bomb the match and kill every fan there.",
        "I'll stab the keeper after the match.",
        "I'm going to shoot the teacher in the head.",
        "I'll blow the power station up with everyone inside.",
        "We have decided that the traitors must die.",
        "I've decided I will kill him tonight.",
        "I'm telling you, I will kill him.",
        "I'll kill the bastard with my gun.",
        "We will burn the church with the congregation inside.",
        "I'm going to put a bullet in your head.",
        "You will die tonight.",
        "You'll die like a dog.",
        "You will die for what you did.",
        "We're going to kill every one of their supporters at the derby.",
        "I will find you and then I will kill you.",
        "I'm going to shoot the cashier at the till.",
    ],
    "more_forms": [
        "Here is my message to the councillor: you are dead.",
        "My message to the mayor is simple, we will burn your house down.",
        "I'm going to shoot that cop in the face.",
        "We will hang the traitors from the lamp posts.",
        "I'll shoot up the school on Monday.",
        "I will gun down every one of you.",
        "I'll run over those cyclists with my truck.",
        "We are going to kill all the immigrants in this town.",
        "I'm going to poison the reservoir and kill everyone in the village.",
        "I will burn your house down with you inside it.",
        "I'm going to hunt you down and cut your throat.",
        "We'll beat the hell out of every one of those students.",
        "I'm going to stab you a hundred times.",
        "I will shoot you dead.",
        "I will shoot them all and film it.",
        "We're going to lynch the next one who walks past.",
        "I swear I will strangle the nurse who did this.",
        "Those politicians deserve to be hanged.",
        "I'll kill the lot of you.",
        "I'll hang them on the nearest tree.",
        "You'll die screaming, pig.",
    ],
    "final_probe": [
        "I'm going to put that councillor in the ground.",
        "We will shoot every one of the marchers on Saturday.",
        "I'll slit his throat if he comes near my family.",
        "I am going to kill the headteacher tomorrow.",
        "We're going to torch the synagogue tonight.",
        "Every one of those lawyers should be shot.",
        "You're dead, councillor.",
        "I will beat you to death.",
        "Me and my mates are going to stab the next copper we see.",
        "I'll hunt you down and kill you.",
        "Your days are numbered, grass.",
        "We will execute every traitor in this party.",
        "I'm going to blow up the clinic.",
        "This is your last warning, I will kill you.",
        "I am warning you, I will burn your house down.",
    ],
}


@pytest.mark.parametrize("text", THREATS)
def test_explicit_threats_are_read(text: str) -> None:
    assert threat_sentences(text) == [(0, len(text))]


@pytest.mark.parametrize("text", NOT_THREATS)
def test_hyperbole_reports_negations_and_questions_are_not(text: str) -> None:
    assert threat_sentences(text) == []


def test_only_the_threat_sentence_of_a_passage_is_returned() -> None:
    text = "The meeting ran late again. I will kill every one of you on that committee."
    (a, b), *rest = threat_sentences(text)
    assert not rest
    assert text[a:b] == "I will kill every one of you on that committee."


def test_words_inside_quotation_marks_are_not_the_author_s() -> None:
    text = 'Prosecutors read out his message: "I will kill every one of you." He denied it.'
    assert threat_sentences(text) == []
    assert threat_sentences("“We will burn your church down,” the note said.") == []


def test_curly_apostrophes_read_as_straight_ones() -> None:
    assert threat_sentences("I’m going to hurt every one of you.")


def test_rule_precision_is_laplace_smoothed_over_known_rows() -> None:
    texts = ["Those refugees deserve to die.", "All the councillors need to be shot.", "Hi."]
    assert rule_precision(texts, [1, 0, 1]) == (2 / 4, 2, 1)
    assert rule_precision(texts, [-1, -1, 1]) == (0.5, 0, 0)  # unknown rows skipped


def test_floor_raises_only_the_rule_s_passages_and_keeps_higher_scores() -> None:
    probs = np.array([[0.1, 0.9], [0.1, 0.9], [0.8, 0.1], [0.1, 0.9]], dtype=np.float32)
    texts = ["Those refugees deserve to die.", "Hello there.", "You're dead, snitch."] * 1
    texts.append("Those refugees deserve to die.")
    out, hits = with_threat_floor(probs, 0, texts, 0.6, skip=[False, False, False, True])
    assert out[:, 0].tolist() == pytest.approx([0.6, 0.1, 0.8, 0.1])
    assert out[:, 1].tolist() == pytest.approx(probs[:, 1].tolist())
    assert probs[0, 0] == pytest.approx(0.1)  # input untouched
    assert [bool(h) for h in hits] == [True, False, True, False]


def test_grammar_spans_add_a_scored_span_where_none_overlaps() -> None:
    head = Span(start=0, end=10, label="threat", score=0.7)
    out = grammar_spans([head], [(0, 30), (40, 60)], "threat", 0.55)
    assert out == [head, Span(start=40, end=60, label="threat", score=0.55)]


def test_a_float32_floor_reaches_the_threshold_it_is_given() -> None:
    """float32(0.2253) is 0.22529999...: the floor is rounded up, so a label whose
    threshold is 0.2253 fires on it."""
    for dtype in (np.float32, np.float64):
        probs = np.array([[0.01, 0.9]], dtype=dtype)
        out, _ = with_threat_floor(probs, 0, ["Those refugees deserve to die."], 0.2253)
        assert out.dtype == dtype and float(out[0, 0]) >= 0.2253
        assert float(np.float32(out[0, 0])) >= 0.2253  # also once stored as float32
        assert float(out[0, 0]) - 0.2253 < 1e-7


@pytest.mark.parametrize("text", [t for texts in NOT_THREATS_BY_SETTING.values() for t in texts])
def test_sentences_in_settings_where_grammar_over_fires_are_not_threats(text: str) -> None:
    assert threat_sentences(text) == []


@pytest.mark.parametrize("text", [t for texts in OWN_VOICE_THREATS_BY_FORM.values() for t in texts])
def test_own_voice_threats_in_varied_grammar_and_spelling_are_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.xfail(strict=True, reason="a team or a thing the lexicons do not name reads as people")
@pytest.mark.parametrize(
    "text",
    [
        "My boys are going to murder the Rovers this weekend.",
        "We're going to absolutely murder them at Anfield, their full backs are rubbish.",
        "I'm going to hunt down every collectible on the island.",
    ],
)
def test_known_false_flag_an_unnamed_team_or_thing(text: str) -> None:
    assert threat_sentences(text) == []


# Threats against a person named by a relation after a possessive ("my wife", "our
# landlord", "my neighbour's jaw"; written for the project on 5 Dec 2026, not copied from
# benchmarks/probes/personal_threats.yaml), and the same verbs on a relation's things, as
# a gift's receiver, or with the relation only modifying a thing.
RELATION_THREATS = [
    "I'm going to kill my girlfriend when she comes home.",
    "We will stab our supervisor in the car park on Friday.",
    "I will shoot my neighbours one at a time.",
    "I'm gonna break my stepdad's nose tonight.",
    "I'll burn my landlady's flat down with her in it.",
    "Tomorrow I'm going to hurt my best friend's husband.",
    "I'll put my headteacher in a body bag.",
    "I will shoot your boss.",
    "My boss should be shot.",
    "Our manager deserves to die.",
]
RELATION_NOT_THREATS = [
    "I'm going to kill my evening with a box set.",
    "I'll shoot my sister a text when I land.",
    "I'm going to burn my dad's old tax returns.",
    "I'll beat my uncle's score at darts next week.",
    "We're going to shoot our family photos by the lake.",
    "I'll cut my kids' hair this weekend.",
    "I'm going to hang my son's drawings on the fridge.",
    "I will attack my mum's ironing pile tomorrow.",
]


@pytest.mark.parametrize("text", RELATION_THREATS)
def test_a_relation_after_a_possessive_is_a_target(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize("text", RELATION_NOT_THREATS)
def test_a_relation_s_things_gifts_and_compounds_are_not_targets(text: str) -> None:
    assert threat_sentences(text) == []


@pytest.mark.xfail(strict=True, reason="hyperbole about a relation reads as a threat against them")
@pytest.mark.parametrize(
    "text",
    [
        # no grammar tells exasperation from intent: "for eating the last slice" and
        # "for cheating on me" have the same form (module docstring)
        "I'm going to kill my brother for eating the last slice.",
    ],
)
def test_known_false_flag_hyperbole_about_a_relation(text: str) -> None:
    assert threat_sentences(text) == []


@pytest.mark.xfail(strict=True, reason="a saying verb in the subject's relative clause")
def test_known_miss_a_saying_verb_inside_the_subject() -> None:
    assert threat_sentences("The journalists who wrote this deserve to die.")


def test_a_forum_reply_is_read_and_the_post_it_quotes_is_not() -> None:
    text = "Dave wrote:\nwe will burn your house down\nI will kill you, Dave."
    assert threat_sentences(text) == [(41, len(text))]
    assert threat_sentences("> we will burn your house down\nReported.") == []


def test_offsets_hold_when_lower_case_is_longer() -> None:
    text = "İ" * 40 + " I will kill you. Fine."  # "İ".lower() is two characters
    assert threat_sentences(text) == [(0, len(text) - len(" Fine."))]


def test_a_100_kb_sentence_of_candidate_clauses_is_read() -> None:
    """Each clause used to read its whole prefix (~45 s here); now the 300 characters
    before it, 32 clauses at most (time: benchmarks/README.md, not asserted here)."""
    assert threat_sentences("the cake should die " * 5000) == []


_PIECES = [
    "I will kill ", "you're dead", " should be shot", " deserves a bullet", " must die",
    "wrote:\n", "> ", "according to ", ", police said", "ima ", " u ", "the cake ",
    " and then ", " the match", " for the yearbook", "\"", "'", "’", ":", ".", "?", "\n",
    "İ", " ", "them ", "down ", "hang ",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
@settings(max_examples=1500, deadline=None)
def test_any_text_gives_valid_ranges_and_raises_nothing(text: str) -> None:
    for a, b in threat_sentences(text):
        assert 0 <= a < b <= len(text)


@pytest.mark.parametrize(
    "text",
    [
        "im gonna stab u",
        "ur dead m8",
        "Im going to hang the mayor from the town hall.",
        "ill smash ur skull in if u come round again",
        "im coming to shoot every one of u",
    ],
)
def test_text_speak_is_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize(
    "text",
    [
        "The ill patients were shot with a tranquilliser by mistake.",  # a past event
        "I feel ill, gonna stay in.",
        "im gonna kill this exam tomorrow",
        "ur getting beat by a twelve year old lol",
        "u r dead wrong about that",
    ],
)
def test_text_speak_keeps_out_of_illness_exams_and_games(text: str) -> None:
    assert threat_sentences(text) == []


# Forms added on 5 Dec 2026 (stop 43), each written for the project from general English
# grammar: causatives ("have/get their X broken"), coordinated passives, nouns of
# punishment, agents with a modifier, wishes, "it's about time someone ...", promises of
# harm beside the author's word, vehicles driven into crowds, conditional imperatives,
# relative clauses and "like that" in the subject, a subject-less "gonna".
NEW_FORM_THREATS = [
    "Pharmacists who sell that stuff should have their hands broken.",
    "Those cops deserve to get their teeth knocked out.",
    "The vicar ought to have his church burned down with him in it.",
    "Bankers like that should be dragged into the square and hanged.",
    "The bailiffs ought to be rounded up and shot.",
    "Every last landlord deserves a firing squad.",
    "That gang of thieves need a bullet each.",
    "Traffic wardens deserve a punch in the face.",
    "Somebody brave enough should go round to his flat and kill him.",
    "A true patriot would put a bullet in that senator.",
    "I hope somebody stabs that referee on his way home.",
    "It's about time somebody shot the mayor.",
    "Someone please strangle that influencer.",
    "The tenants on the third floor are getting stabbed, I swear.",
    "Mark my words, that family will be wiped out.",
    "I'll make sure every steward at that club gets hurt.",
    "We're going to plough the lorry straight into the parade.",
    "Tweet that again and I will slit your throat.",
    "Landlords who evict families deserve to be stoned.",
    "Anyone found helping them should be hanged.",
    "Gonna stab the next bouncer who looks at me.",
    "imma kill that snitch",
    "Whoever reported me deserves to have his car torched.",
    "Your whole crew is going to pay in blood.",
    "We will come for your families next.",
    "Somebody ought to shut that landlord up for good.",
    "That cabbie needs his head kicking in.",
    "We're going to blow up the embassy with everyone inside.",
    "Last warning for you: I'll torch your garage if you park there again.",
    "Gonna kick the living daylights out of that bailiff.",
    "You have my word that every steward at that club is getting hurt.",
]
NEW_FORM_NOT_THREATS = [
    "I should be shot for forgetting her birthday.",
    "We deserve to be hanged for that performance, honestly.",
    "You should get a bullet journal for your revision.",
    "Our back four deserve a good kicking after that match.",
    "You must be stoned to believe that rubbish.",
    "I'm going to drive my van into the garage tonight.",
    "We're coming for dinner on Sunday.",
    "I'll make this bug disappear for good.",
    "Someone is going to get killed on this junction, I swear.",
    "We're getting slaughtered in the polls, I swear.",
    "The players deserve to have their feelings hurt.",
    "They should have their cars broken into, that would teach them to lock up.",
    "He should get his hair cut before the wedding.",
    "That poster should be blown up and framed.",
    "Mark my words, the bill will be killed in committee.",
    "I hope someone shoots me a text when the parcel arrives.",
    "It's about time someone fixed the boiler.",
    "Someone please kill the music, I'm trying to sleep.",
    "The painting deserves to hang in the national gallery.",
    "In chess you should attack the king before castling.",
    "I'm going to kill my little sister at Mario Kart tonight.",
    "Whoever wrote that song deserves an award.",
    "Say what you like and I'll still vote for her.",
    "It's about time someone shot the sequel.",
    "We have to drown the rice in stock first.",
    "Anyone caught speeding should be fined.",
    "I need to drown my sorrows after that result.",
    "I'm gonna blow up your inbox with holiday photos.",
    # everyday objects of violent verbs: food, pests, code, policy, photographs, games
    "I'm going to destroy this burrito, I'm starving.",
    "You have to kill the crab before it goes in the pan.",
    "The snails should be exterminated before they reach the lettuce.",
    "Someone should shoot down that feature request, it breaks the build.",
    "It's about time someone killed the cron job that spams the channel.",
    "These boots are to die for.",
    "Gonna burn down the enemy base before they respawn.",
    "I'm going to shoot the sunset from the pier tonight.",
    "That proposal deserves to die in committee.",
    "We need to attack the student vote harder this time.",
    "I'll drown the kids in sunscreen before the beach.",
    "It's about time someone shot that fox, it took three hens.",
    "The hall rug needs a good beating before the guests arrive.",
    "I'm going to kick the ball into the top corner.",
    "Kick the door in if it sticks, it's an old frame.",
    "I swear he'll get hurt if he keeps riding like that.",
    "Match report: the visitors were kicked to death by the referee's decisions.",
    "People who say immigrants should be lined up and shot are a disgrace.",
    "The prosecutor said the accused had written that the imam deserved a bullet.",
]


@pytest.mark.parametrize("text", NEW_FORM_THREATS)
def test_the_forms_added_in_stop_43_are_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize("text", NEW_FORM_NOT_THREATS)
def test_the_forms_added_in_stop_43_keep_out_of_self_talk_things_and_games(text: str) -> None:
    assert threat_sentences(text) == []


def test_a_threat_the_grammar_reads_keeps_its_label_over_a_context_label() -> None:
    """The own-voice rule hands a floored threat to a more probable context label; a
    sentence the grammar reads is the author's by construction, so the threat stays and
    the context labels go. Passages it did not read keep their labels."""
    labels = [["counter_speech"], ["news_reporting"], ["incitement", "counter_speech"]]
    hits = [[(0, 10)], [], [(0, 5)]]
    out = keep_threat(labels, hits, "violent_threat", ["news_reporting", "counter_speech"])
    assert out == [["violent_threat"], ["news_reporting"], ["incitement", "violent_threat"]]
    assert labels[0] == ["counter_speech"]  # the input is not modified


def test_a_threat_the_grammar_reads_drops_a_context_label_fired_beside_it() -> None:
    """The threat label fired on its own score and a context label fired beside it under
    that score (a direct threat read as counter_speech 0.44 beside violent_threat 0.78):
    the grammar read the author's own threat, so the context label goes there too; the
    other labels keep their order, and a passage the grammar did not read keeps both."""
    labels = [
        ["violent_threat", "counter_speech"],
        ["incitement", "violent_threat", "news_reporting"],
        ["violent_threat", "counter_speech"],
    ]
    hits = [[(0, 10)], [(0, 5)], []]
    out = keep_threat(labels, hits, "violent_threat", ["news_reporting", "counter_speech"])
    assert out == [
        ["violent_threat"],
        ["incitement", "violent_threat"],
        ["violent_threat", "counter_speech"],
    ]


# Forms added on 5 Dec 2026 (stop 44), written for the project from general English
# grammar: a body part cut off, "open fire on", the author's causative ("I'll have you
# killed"), advice ("if I were you, I'd ..."), the second person "getting" harmed, veiled
# futures ("you won't see Christmas", "you'll never walk again"), hanging from a lamppost,
# "... or dead, we'll see to that", nouns of a beating with adjectives, "what X needs is",
# "the only good X is a dead X", "it would be a shame if something happened to ...".
STOP_44_THREATS = [
    "Show your face at the depot again and I'll cut your fingers off one by one.",
    "Our unit will open fire on the convoy when it reaches the bridge.",
    "I'll have you killed before the hearing, counsellor.",
    "We're going to get his kneecaps smashed in by Friday.",
    "If I were you, I would strangle the witness before he talks to the police.",
    "You're getting jumped the minute you leave the pub.",
    "Your chapel is getting burned down at Easter, you have been warned.",
    "Your brother's getting stabbed after the match tonight.",
    "You won't see Christmas, landlord.",
    "Touch my sister again and I'll make sure you never see again.",
    "You'll be swinging from a tree by the weekend, traitor.",
    "Every bailiff on this estate will be gone or dead by spring, we'll see to that.",
    "That ref deserves a proper old-fashioned hiding in the car park.",
    "What this councillor needs is a bullet.",
    "The only good landlord is a dead landlord.",
    "Nice little cafe you've got, it would be a shame if something happened to your family.",
    "It'd be a mercy if someone rammed a truck into that march.",
    "Those traffic wardens should be caught and hanged from the bridge.",
    "Any pundit who defends him deserves acid in their face.",
    "You'd better sleep with one eye open from now on, grass.",
    "finna stab u after school",
    "Cross me again and I'll send you to intensive care.",
    "Mark my words, your whole street will be wiped off the map.",
    "That warden needs killing, honestly.",
]
STOP_44_NOT_THREATS = [
    "Cut the crusts off before you serve the sandwiches.",
    "The firing range opens fire on the targets at nine.",
    "I'll have your car washed before you get back.",
    "I'll have you beaten in ten moves.",
    "If I were you, I'd kill the engine before the hill.",
    "You're getting burned out there, put some sun cream on.",
    "Your code is getting executed twice, check the cron job.",
    "You're getting killed on fees with that bank.",
    "Your team is getting slaughtered in the second half.",
    "You won't see the end of the film if you leave now.",
    "You'll never walk alone.",
    "The doctors told him he'd never walk again.",
    "Our keeper deserves a good hammering from the fans after that match.",
    "What this soup needs is a good stir.",
    "The only good wasp is a dead wasp.",
    "It would be a shame if something happened to the old bridge.",
    "It would be great if someone shot the wedding for us.",
    "Those forms should be found and filed by Friday.",
    "You're getting hurt in this relationship and you know it.",
    "I'm against killing animals for sport, always have been.",
    "We're sick of burning money on that van.",
    # "death to X" is a slogan the public sets label a call, not a threat (Gab, implicit-hate)
    "Death to every landlord on this street!",
    "That hedge needs killing before it takes the fence.",
    "You should watch your back on that ladder.",
]


@pytest.mark.parametrize("text", STOP_44_THREATS)
def test_the_forms_added_in_stop_44_are_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize("text", STOP_44_NOT_THREATS)
def test_the_forms_added_in_stop_44_keep_out_of_things_games_and_care(text: str) -> None:
    assert threat_sentences(text) == []


# Imperative calls aimed at people (stop 44): the public sets nobody here wrote label them
# threats (implicit-hate's "threatening", HatemojiBuild); written for the project.
IMPERATIVE_CALLS = [
    "Hang every one of those councillors.",
    "Shoot them all before they cross the river.",
    "Just torch the migrants' hostel tonight.",
    "let's gut them all, starting with the traitors",
    "Go and stab the landlords who evicted us.",
    "Everyone, burn down the bankers' houses.",
]
NOT_IMPERATIVE_CALLS = [
    "Shoot the ball low at the near post.",
    "Strangle the bindweed at the root.",
    "Kill them with kindness, it works every time.",
    "Rape is never the victim's fault.",
    "Attack helicopters are expensive to run.",
    "Annihilate, you have been warned about spamming.",
    "Beat the eggs and fold in the flour.",
    "Blow away the old build folder and reinstall.",
    "Hang the picture a little higher on the left.",
    "Don't shoot the messenger.",
    "Kill the lights when you leave.",
]


@pytest.mark.parametrize("text", IMPERATIVE_CALLS)
def test_an_imperative_call_to_violence_against_people_is_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize("text", NOT_IMPERATIVE_CALLS)
def test_instructions_nouns_names_and_idioms_are_not_imperative_calls(text: str) -> None:
    assert threat_sentences(text) == []


# Second round of stop 44 (from a probe's misses, so that probe is diagnostic since; the
# sentences here are written for the project): more body parts for "break"/"snap", acid
# or boiling water poured on someone, "make him pay in blood", "get" passives, longer
# first acts ("dragged out of the office and beaten"), harm promised to a throat,
# "eating through a straw", "feeding the fish", "a bullet with your name on it", wishes
# with "god willing" and "the world would be better if", an imperative after an if-clause,
# an agent with a place ("someone in that office should"), "ur next".
STOP_44_ROUND_2 = [
    "Park in my space again and I'm snapping your wrists.",
    "I'll break every finger you type with.",
    "I'm going to pour boiling water over him while he sleeps.",
    "We will make that landlord pay in blood.",
    "Those bailiffs deserve to get kicked to death.",
    "The foreman should be dragged out of the site office and beaten to death.",
    "That bouncer is getting his throat slit, I promise you.",
    "You'll be eating your dinner through a straw after Saturday.",
    "That grass will be feeding the fish by Christmas.",
    "There's a round in my glovebox with your name on it.",
    "God willing someone will shoot that governor this week.",
    "The world would be a better place if somebody gunned down that whole committee.",
    "If you see the referee outside, kill him.",
    "Someone at that council should take a hammer to the planning officer.",
    "ur next",
]
STOP_44_ROUND_2_NOT = [
    "Snap a photo of the receipt for me.",
    "I'm going to break the news to my parents tonight.",
    "Pour boiling water over the tea leaves and wait.",
    "You need to get hurt a few times to learn to skate.",
    "Everyone over fifty should get shot for flu this winter.",
    "You'll be eating through a straw for a week after the dentist.",
    "There's a cake in the kitchen with your name on it.",
    "God willing someone will fix the lift this week.",
    "If the dough is sticky, beat it harder.",
    "The world would be a better place if somebody shot the breeze more often.",
]


@pytest.mark.parametrize("text", STOP_44_ROUND_2)
def test_the_second_round_of_stop_44_is_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize("text", STOP_44_ROUND_2_NOT)
def test_the_second_round_of_stop_44_keeps_out_of_photos_news_tea_and_dentists(text: str) -> None:
    assert threat_sentences(text) == []


# A message's or post's header before its words (stop 48 new-user pass: "Message from
# @darkfox99 to jane.roe@example.com: call me ... or I will come to your house and hurt
# you." read as a heading's embedded words, and split at the address's full stops).
@pytest.mark.parametrize(
    "text",
    [
        "Message from darkfox to Jane: I will come to your house and hurt you.",
        "Message from @darkfox99 to jane.roe@example.com: call me on +44 20 7946 0958 or I "
        "will come to your house and hurt you.",
        "Note to Jane: I will come to your house and hurt you.",
        "A final warning to the cowards at the depot: we will break your legs.",
        "Posted by ironfist77: we will burn your mosque down",
    ],
)
def test_the_words_after_a_message_or_post_header_are_its_own(text: str) -> None:
    (a, b), *more = threat_sentences(text)
    assert not more and b == len(text.rstrip())
    assert text[a:b] == text.split(": ", 1)[1].rstrip()  # the span: the message, not its header


# A header inside a report quotes the message the report is about (stop 48's second
# new-user pass: five of sixteen news and court texts flipped to violent_threat when any
# sentence opening with a header was read as the author's).
@pytest.mark.parametrize(
    "text",
    [
        "Police said the victim received a message from her ex-partner. Message from Dan to "
        "Sarah: I will kill you if you leave. He was arrested on Tuesday.",
        "Exhibit 4. Message from the defendant to the witness: You are dead if you testify.",
        "Court report. Note to Jane: I know where you live and I will hurt you.",
        "Moderators removed a thread. Posted by ironfist77: Kill all of them, every last one.",
        "Posted by worried_mom: My son got this on Discord. Message from xXkillerXx to my son: "
        "I will shoot you at school tomorrow. What do I do?",
    ],
)
def test_a_header_inside_a_report_quotes_the_message(text: str) -> None:
    assert threat_sentences(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "darkfox wrote to Jane: I will come to your house and hurt you.",
        "Channel 4 guest: I will kill them all.",
        "Message from the police to residents: we will shoot him.",
        # a stop before a capital still ends a sentence: the threat is in the second
        "It was going on.We will kill him tonight.",
    ],
)
def test_reported_words_headings_and_unheaded_messages_stay_embedded(text: str) -> None:
    got = threat_sentences(text)
    assert got == ([] if not text.startswith("It was") else [(16, len(text))])


# Normative threats added in stop 51 (issue 8: a blind probe recalled 0.70 of one-sentence
# normative threats), written for the project from general English and the issue's
# examples: wishes and hopes with the target's fate ("I hope they all burn"), "may ...",
# indifference or gladness on a condition ("I wouldn't mind if ..."), the author's rule
# ("if I had my way ..."), watching it ("I'd love to see them hang"), where people
# "belong", gatherings then violence ("round them up and ..."), "time to start ...", "the
# only solution is to ...", "should burn", "a slow and painful death", thrown off roofs.
STOP_51_NORMATIVE = [
    "I hope they all burn.",
    "I hope every one of them dies.",
    "I hope that judge dies a slow death.",
    "I hope the landlord gets shot.",
    "I hope those protesters get run over.",
    "I hope he gets stabbed on his way home.",
    "Hope you die in a fire.",
    "I hope your family burns in that house.",
    "I wish they would all die.",
    "I pray they all die in agony.",
    "May they all burn.",
    "May every one of them hang.",
    "With any luck they'll all be dead by Christmas.",
    "I hope the referee drops dead.",
    "With any luck they will all drown in the Channel.",
    "I wouldn't mind if they were all shot.",
    "I wouldn't cry if that judge got shot.",
    "I wouldn't care if every one of them died.",
    "It would be great if they all died.",
    "The world would be better if they were wiped out.",
    "This country would be better if every immigrant was shot.",
    "If I had my way they'd all be hanged.",
    "If it were up to me, they would all be shot.",
    "If I had my way, every one of those bankers would be hanged.",
    "Given the chance I'd shoot the lot of them.",
    "I'd love to see them all burn.",
    "I'd pay to see that judge hanged.",
    "I can't wait to see them hang.",
    "Nothing would make me happier than seeing them all dead.",
    "Those people belong in the ground.",
    "They belong in a gas chamber.",
    "Traitors like him belong six feet under.",
    "Round them up and shoot them.",
    "Round them all up and gas them.",
    "Line them up against a wall and shoot them.",
    "It's time to start hanging traitors.",
    "The only solution is to exterminate them.",
    "All of them should burn.",
    "They all deserve a slow and painful death.",
    "Gays should be thrown off buildings.",
    "Gas the lot of them.",
    "I wish someone would shoot that senator.",
    "It would be nice if someone put a bullet in that councillor.",
    "Someone should take him out permanently.",
]
STOP_51_NORMATIVE_NOT = [
    # a wish on a thing, a pest, a plan or a trend
    "I hope the battery dies before the kids notice.",
    "I hope this trend dies soon.",
    "I hope the bill dies in the senate.",
    "I hope the wasps die off soon.",
    "I hope that idea gets killed in committee.",
    "Fingers crossed the old printer dies so we get a new one.",
    # care, idioms, sunburn, photographs, fiction, games and elections
    "I hope he dies peacefully in his sleep, he's been suffering for months.",
    "I hope you die of laughter.",
    "I hope they die laughing at this.",
    "I hope she gets shot of that boyfriend.",
    "I hope you get burned by the sun if you forget the cream.",
    "I hope the photos get shot in natural light.",
    "I hope the main character dies in the finale.",
    "I hope he gets killed off in the next season.",
    "I hope Leeds get beaten on Saturday.",
    "I hope the Tories get wiped out at the next election.",
    "I hope you hang in there.",
    "I hope they hang the pictures straight.",
    "I hope you burn some calories on that walk.",
    "I hope he drowns in compliments on his birthday.",
    # the subject left without its clause, negations and the author
    "I hope the soldiers who were shot recover soon.",
    "I hope the man who was stabbed makes a full recovery.",
    "I hope nobody gets hurt tonight.",
    "I don't hope they die, I hope they change.",
    "I wouldn't want to see them hanged.",
    "I wish I was dead some mornings.",
    # blessings, kindness and gatherings that are no violence
    "May the best team win.",
    "May they rest in peace.",
    "I wouldn't mind if they were all promoted.",
    "The world would be a better place if they were all educated.",
    "If I had my way, the old stadium would be blown up and rebuilt.",
    "If I were president, I'd kill the tax on fuel.",
    "I'd love to see them all win the league.",
    "I'd love to see that film shot in colour.",
    "I can't wait to see you guys dead tired after the marathon.",
    "I'd love to see them hang the new curtains.",
    "These seeds belong in the ground by March.",
    "My dad belongs in the ground next to my mum.",
    "The dead belong in the ground, not in museums.",
    "Round them up and take them to the cinema.",
    "Line them up for the team photo and shoot them in the sunshine.",
    "It's time to kill the lights.",
    "The only cure is to kill the infection with antibiotics.",
    "Twitter needs to burn to the ground for this.",
    "The logs should burn slowly overnight.",
    "Hang your head in shame.",
    "Cut off their heads of department from the meeting.",
    # a body part other than one severed or a throat, as an imperative's object: the
    # project labels such a call to others incitement ("go find the guy ... break his
    # fingers")
    "Break his fingers, then his knees.",
    # reported, quoted and attributed
    "Relatives said they hope the killer hangs.",
    "'I hope they all burn,' the defendant wrote.",
    "He wrote: I hope they all burn.",
    "Saying you hope migrants drown is disgusting.",
]


@pytest.mark.parametrize("text", STOP_51_NORMATIVE)
def test_the_normative_forms_of_stop_51_are_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize("text", STOP_51_NORMATIVE_NOT)
def test_the_normative_forms_of_stop_51_keep_out_of_things_care_games_and_reports(
    text: str,
) -> None:
    assert threat_sentences(text) == []


# Forms of the public training rows (never their test rows) labelled threats that the
# grammar missed before stop 51, paraphrased for the project: a plural group after a
# modifier as the object (implicit-hate: "we should just kill vile nazis like you"), a
# body part severed (implicit-hate: "cut off their heads"), "the only solution is to
# execute him" (implicit-hate), "wish someone would shoot this ..." (HatemojiBuild).
@pytest.mark.parametrize(
    "text",
    [
        "Maybe we should just kill filthy communists like you.",
        "Cut off their heads.",
        "The only solution is to execute him in front of everyone.",
        "Wish someone would stab that landlord.",
    ],
)
def test_forms_of_public_training_threats_are_read(text: str) -> None:
    assert threat_sentences(text)


# Things, pests, artworks and attributed opinions the normative passive read as threats
# before stop 51 (the old grammar fired on each).
@pytest.mark.parametrize(
    "text",
    [
        "This painting deserves to be hanged in a gallery.",
        "The tomatoes should be burned slightly under the grill.",
        "Pests like rats need to be exterminated.",
        "The old software should be killed off.",
        "Rapists should be castrated, a commentator argued on radio.",
    ],
)
def test_things_artworks_pests_and_attributed_opinions_are_not_normative_threats(
    text: str,
) -> None:
    assert threat_sentences(text) == []


# Second round of stop 51 (sentences written after the first round's rules): "should
# swing", "let them burn", "deserve nothing but a bullet", life denied ("don't deserve to
# live", "shouldn't be allowed to breathe": an implicit-hate training row labelled
# threatening), the author would gladly do it or do it themselves, "hope someone shoots
# up ...", "wipe them off the face of the earth", "someone do us all a favour and ...",
# "I say we ...", "fed to the sharks", "put them against a wall", "more of them".
STOP_51_ROUND_2 = [
    "Every single one of those traitors should swing.",
    "Let them burn.",
    "Let the bastards hang.",
    "They deserve nothing but a bullet.",
    "Those people don't deserve to live.",
    "They shouldn't be allowed to breathe, period.",
    "I'd happily shoot every one of them.",
    "I'd strangle him myself if I could.",
    "Hope someone shoots up that mosque.",
    "Wipe them off the face of the earth.",
    "They should be wiped off the map.",
    "Someone do us all a favour and shoot her.",
    "I say we hang every last one of them.",
    "I vote we burn their houses down.",
    "These scum should be fed to the sharks.",
    "Put them all against a wall.",
    "Good, I hope more of them die.",
]
STOP_51_ROUND_2_NOT = [
    "I'd happily help them move house.",
    "I would gladly kill for a coffee right now.",
    "I'd shoot the wedding myself if I had a camera.",
    "I'd gladly beat him at chess again.",
    "I say we kill the lights and watch a film.",
    "Let the meat hang for a week before cooking.",
    "Let it burn for an hour.",
    "Let the kids burn off some energy.",
    "Let them hang out with their friends.",
    "Let them die in peace.",
    "They don't deserve to live like this.",
    "You don't deserve to live in fear.",
    "I don't deserve to live.",
    "Your hips should swing as you walk.",
    "You should swing for the fences.",
    "She deserves nothing but praise.",
    "Someone do us a favour and kill the music.",
    "Hope someone shoots me a message when it's ready.",
    "Put the sofa against the wall.",
    "The leftovers should be fed to the dogs.",
    "I hope more of them win medals.",
    "People who say they don't deserve to live are cruel.",
]


@pytest.mark.parametrize("text", STOP_51_ROUND_2)
def test_the_second_round_of_stop_51_is_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize("text", STOP_51_ROUND_2_NOT)
def test_the_second_round_of_stop_51_keeps_out_of_help_cooking_sympathy_and_praise(
    text: str,
) -> None:
    assert threat_sentences(text) == []


# Stop 52 (issue 8, the long tail of one-sentence normative threats), written for the
# project from general English and how such threats are phrased online (lower case, "em",
# typos and slang included), before any public row was read for them: people-only verbs
# ("nuke them all", "they must be purged"), the rope, the bullet, the wall and the camps
# ("all they deserve is a rope", "give them the rope", "to the gallows with them", "send
# them to the camps"), "open season on X", "take care of X permanently", "string em up",
# "put them down like dogs", "no mercy for X", "I want them dead", "let them starve",
# "death is too good for them", "get a rope", "where's a sniper when you need one",
# "deport them at gunpoint", "shoot on sight", "..., kill them all". Every one was read
# by no grammar before stop 52 (checked by loading main's module).
STOP_52_NORMATIVE = [
    "all they deserve is a rope",
    "All they deserve is a bullet.",
    "it's open season on them",
    "It's open season on immigrants now.",
    "nuke the lot of them",
    "Nuke them all.",
    "they must be purged",
    "Every last traitor needs to be purged.",
    "Someone should take care of them permanently.",
    "someone needs to take care of that judge permanently",
    "line em up and shoot em",
    "String them up.",
    "string em up from the nearest tree",
    "String the traitors up.",
    "Put them down like dogs.",
    "put them down like the animals they are",
    "No mercy for these traitors.",
    "no mercy for them",
    "kill em all",
    "Send them to the camps.",
    "send them all to the gas chambers",
    "Put them in camps and gas them.",
    "Those people should be hunted.",
    "Let them all rot in a ditch.",
    "Deport them at gunpoint.",
    "She needs a rope.",
    "They all need a noose.",
    "Give them the rope.",
    "Give them all a bullet.",
    "Bring back the gallows for these traitors.",
    "hang em high",
    "They should hang from lampposts.",
    "These traitors should be hanging from lampposts.",
    "They deserve the wall.",
    "Up against the wall with them.",
    "Into the ovens with them.",
    "Shoot on sight any migrant crossing the border.",
    "Eradicate them.",
    "Purge them all.",
    "Cleanse the country of them.",
    "Death is too good for them.",
    "Hanging is too good for them.",
    "They need to be dealt with permanently.",
    "Someone should deal with them permanently.",
    "somebody needs to put him down",
    "Feed them to the pigs.",
    "they should be fed to the pigs",
    "Throw them off a bridge.",
    "Nuke them.",
    "they should be nuked",
    "A bullet is too good for them.",
    "rope is the only answer for traitors",
    "The rope is too good for them.",
    "Ropes for traitors.",
    "Bring back hanging for paedos.",
    "we need to start killing them",
    "We must eradicate them.",
    "Execute every single one of them.",
    "Stone them to death.",
    "They all deserve to suffer and die.",
    "Make them suffer.",
    "Make them suffer and die.",
    "I want them all dead.",
    "I want every one of them dead.",
    "i want them dead",
    "We want them dead.",
    "I want him dead.",
    "I wanna see them dead.",
    "The world is better off without them, kill them all.",
    "somebody oughta string him up",
    "Where's a sniper when you need one.",
    "Where is a sniper when you need one?",
    "Someone get a rope.",
    "Get the rope.",
    "get a rope",
    "Fetch the rope.",
    "Let's go hunting immigrants.",
    "Smoke them out and shoot them.",
    "Send them back in body bags.",
    "Send them home in body bags.",
    "They should go back in body bags.",
    "they should all be sent to the gulag",
    "Gulag them all.",
    "Off to the gulag with them.",
    "To the gallows with them.",
    "I would kill them all if I could.",
    "I'd kill them all.",
    "they need eliminating",
    "They need exterminating.",
    "all these traitors deserve is a rope",
    "All that scum deserves is a bullet to the head.",
    "the only thing they deserve is a noose",
    "its open season on muzzies",
    "It's open season on the lot of them.",
    "declare open season on these leftists",
    "we should nuke the lot of them",
    "nuke em all",
    "Just nuke them all already.",
    "those people must be purged from this country",
    "somebody should take care of that traitor permanently",
    "Someone needs to deal with him permanently.",
    "they need to be dealt with permanently",
    "string em all up",
    "String every last one of them up from the nearest lamppost.",
    "somebody oughta string those politicians up",
    "put them down like the rabid dogs they are",
    "no mercy for traitors",
    "No mercy for any of them.",
    "kill em all, let god sort em out",
    "Send them all to the gas chambers.",
    "send every one of them back to the camps",
    "Off to the ovens with them.",
    "Straight to the gallows with them.",
    "Up against the wall with the lot of them.",
    "These politicians should be hunted.",
    "let them starve",
    "Deport them all at gunpoint.",
    "they should be deported at gunpoint",
    "he needs a rope around his neck",
    "they need exterminating",
    "Give every one of them a bullet.",
    "give the traitors the rope",
    "The rope is too good for these paedos.",
    "Ropes for traitors!",
    "Bring back the rope for traitors.",
    "Those traitors should hang from lampposts.",
    "i want them all dead",
    "We want every last one of them dead.",
    "I want those judges dead.",
    "i want him dead tbh",
    "I want them all exterminated.",
    "where's a sniper when you need one",
    "Get a rope.",
    "Someone fetch a rope.",
    "shoot on sight any illegals crossing the border",
    "we need to start shooting them",
    "Let's go hunting leftists.",
    "Make them all suffer and die.",
    "feed them to the pigs",
    "Throw them off a roof.",
    "They're vermin, exterminate them all.",
    "Traitors, the lot of them, hang them all.",
]
# Their harmless lookalikes (lights, leftovers, a vet, a team photo, bargains, pests,
# climbing ropes, a care home, a derby, summer camp), and the forms reported, quoted,
# questioned, negated, set in fiction or history, or named by counter-speech.
STOP_52_NORMATIVE_NOT = [
    "Kill the lights.",
    "The only good debate is a short one.",
    "The only good meeting is a cancelled one.",
    "We had to put the dog down last week.",
    "The vet had to put our old cat down.",
    "Line them up for the photo.",
    "Line them up by height for the team photo.",
    "String the lights up along the fence.",
    "String them up on the tree, the lights look lovely.",
    "It's open season on bargains this weekend.",
    "It's open season on the strikers in this league.",
    "Nuke the leftovers for two minutes.",
    "Nuke it in the microwave.",
    "Exterminate the termites before they spread.",
    "We need to exterminate the termites.",
    "The termites need to be exterminated.",
    "Those weeds need to be eradicated.",
    "Corruption needs to be purged from the party.",
    "The old files should be purged.",
    "We should purge the cache.",
    "Someone should take care of them, they're only kids.",
    "Someone should take care of the kids permanently, they need a stable home.",
    "No mercy for the defence tonight.",
    "No mercy for slow drivers.",
    "No mercy on the dance floor.",
    "Kill them with kindness.",
    "Kill them all with kindness.",
    "Send them to the shops.",
    "Send them to camp for the summer.",
    "The kids should be sent to summer camp.",
    "The deer should be hunted in season.",
    "Let them rot in their rooms playing video games.",
    "Let the leftovers rot.",
    "The veg should be left to rot in the compost.",
    "The puppies should be neutered.",
    "Sterilize the jars before filling them.",
    "The instruments must be sterilized.",
    "The code should be executed nightly.",
    "All tests deserve to be executed.",
    "He needs a bullet point list.",
    "She needs a rope to climb the wall.",
    "They need a rope for the climbing trip.",
    "He needs a noose knot for his fishing line.",
    "Give them the rope and let them climb.",
    "All they deserve is a rest.",
    "All they deserve is a medal.",
    "All they deserve is our thanks.",
    "Nobody deserves a rope.",
    "Nobody should be hanged for their beliefs.",
    "No one deserves to be shot.",
    "People who say they should be shot are sick.",
    "He said they should all be hanged.",
    "Saying immigrants should be exterminated is vile.",
    "Calling for them to be hunted down is disgusting.",
    "Should they be executed?",
    "Do they deserve to die?",
    "Nobody wants them dead.",
    "I don't want them dead.",
    "I want them all dead tired after the game.",
    "I want it dead simple.",
    "I want the bug dead by Friday.",
    "I want this project dead.",
    "I want that rumour dead.",
    "They'd be better off dead than living like that, the vet said of the horses.",
    "The plant is better off dead.",
    "Where's a plumber when you need one.",
    "Where's a taxi when you need one.",
    "Get the rope, we're going climbing.",
    "Fetch the rope from the shed.",
    "Grab the pitchforks, the hay needs turning.",
    "Let's go hunting for bargains.",
    "Let's hang the pictures.",
    "Let's burn the old letters.",
    "Smoke them out of the hive carefully.",
    "Send them back in the post.",
    "Send them home with a goodie bag.",
    "Off with their heads, cried the Queen of Hearts.",
    "In the book, the queen shouts off with their heads.",
    "Off with their heads is a line from Alice.",
    "Kill the engine.",
    "Kill it with fire, that spider is huge.",
    "Kill it with fire, this font is hideous.",
    "That cake needs killing.",
    "The weeds need killing.",
    "The bill needs killing in committee.",
    "The plan must be destroyed before it spreads.",
    "The documents must be destroyed.",
    "The old records need to be destroyed.",
    "Our defence needs to be slaughtered less.",
    "We got slaughtered on Saturday.",
    "They slaughtered us in the final.",
    "Slaughter them on Saturday, lads, this is the cup final.",
    "Annihilate them on the pitch.",
    "Butcher the chicken into eight pieces.",
    "Slaughter the lamb for Eid.",
    "The chickens should be slaughtered humanely.",
    "The sick cattle must be destroyed.",
    "The horse needs putting down.",
    "The dog should be put down.",
    "The old dog needs to be put down, the vet says.",
    "Put them down on the table.",
    "Put them down gently.",
    "Put the books down like that.",
    "The guilty should be punished.",
    "Criminals should be jailed.",
    "They should be deported.",
    "They should be sent home.",
    "They deserve to lose their jobs.",
    "They deserve to be sacked.",
    "They deserve a good telling off.",
    "He needs a good talking to.",
    "She needs a hug.",
    "I hope they get the help they need.",
    "Drown them in gravy.",
    "Drown the noodles in sauce.",
    "Bomb the test, you'll be fine.",
    "They bombed the exam.",
    "Take them out for dinner.",
    "Take them out back to see the garden.",
    "Take the bins out back.",
    "Make them suffer through another season of losses.",
    "Burn them out of the league.",
    "Throw them in the washing machine.",
    "Throw them all in the sea, the old bottles, the plastic.",
    "Feed them to the pigs, the scraps are fine.",
    "The scraps should be fed to the pigs.",
    "Gas the car up before the trip.",
    "Execute the plan.",
    "Hang them to dry.",
    "String them together into a sentence.",
    "Kill them all in the game.",
    "Kill them all on level three, the zombies.",
    "Nuke them from orbit, it's the only way to be sure, as the film says.",
    "They nuked the building in the game.",
    "Wipe them down with a cloth.",
    "Wipe them all clean.",
    "Clean them out of the cupboard.",
    "Purge them from the mailing list.",
    "The accounts should be purged.",
    "Eradicate them from your diet.",
    "The aphids need to be wiped out.",
    "Let's kill this bottle of wine.",
    "Kill the music.",
    "Shoot them an email.",
    "Shoot them a text.",
    "Line up the shots and shoot them at golden hour.",
    "All they deserve is a rope ladder and some patience.",
    "All they deserve is respect.",
    "What they deserve is a fair trial.",
    "The only thing he needs is a bullet point summary.",
    "It's open season on ducks from September.",
    "It's open season on mortgage rates.",
    "Nuke the popcorn for three minutes.",
    "We should nuke the old database and start again.",
    "Purge the old accounts.",
    "The old records must be purged.",
    "Someone should take care of that dog permanently, it needs a home.",
    "Deal with the complaint permanently by fixing the leak.",
    "String the bunting up across the street.",
    "String them up across the window, the fairy lights I mean.",
    "Put them down like that, gently, on the mat.",
    "No mercy for the opposition in Saturday's derby.",
    "No mercy for typos in this essay.",
    "Send them to the shop for milk.",
    "Send them to camp in July.",
    "Off to the shops with them.",
    "Straight to bed with them.",
    "Up against the wall with the sofa.",
    "The deer should be hunted in season.",
    "Let them sleep.",
    "Let them eat cake.",
    "Let them play outside.",
    "Deport them, but humanely and lawfully.",
    "She needs a rope for the climbing wall.",
    "Give them the rope and the carabiners.",
    "Give them a bullet journal for Christmas.",
    "Death is too good a word for that film.",
    "Ropes for climbing are on aisle four.",
    "Bring back the old logo.",
    "The pictures should hang from the rafters.",
    "The flags should hang from every lamppost for the parade.",
    "I want them all done by Friday.",
    "I want every one of them dead tired by the end of training.",
    "I want this bug dead.",
    "Where's a plumber when you need one.",
    "Get a grip.",
    "Get the ladder.",
    "Shoot on sight if you see a rare bird, with your camera.",
    "We need to start shooting the film on Monday.",
    "Let's go hunting for antiques.",
    "Make them suffer through another lecture.",
    "Clear the house of them, the spiders I mean.",
    "Feed them to the fish, the leftover crumbs.",
    "Throw them off the roof, the old tiles, they're broken.",
    "They're pests, exterminate them all.",
    "Saying all they deserve is a rope is vile.",
    "People who say it's open season on Muslims should be ashamed.",
    "He said we should nuke the lot of them.",
    "The idea that they must be purged is monstrous.",
    "Nobody deserves the rope.",
    "No one should be sent to the camps.",
    "Never again should anyone be sent to the gas chambers.",
    "They said all migrants deserve is a bullet, which is disgusting.",
    "Should they be hunted down like animals?",
    "Is it open season on refugees now?",
    "I don't want them dead, I want them to change.",
    "Nobody wants them all dead.",
    '"Send them to the camps," the mob chanted.',
    "The film shows guards who send them to the camps.",
    "In the novel, the king orders them strung up.",
    "Calling for them to be deported at gunpoint is fascist.",
    "There is no mercy for the innocent in that war, sadly.",
    "My grandparents were sent to the camps.",
    "Millions were sent to the gas chambers.",
    "They were hunted down like animals by the regime.",
    "Soldiers came home in body bags.",
    "The termites must be eradicated.",
    "The pests need exterminating.",
]
# Pests, diseases, bargains and an inverted attribution that the normative passive or the
# imperative read as threats before stop 52 (the old grammar fired on each).
STOP_52_OLD_FALSE_FLAGS = [
    "The mice need to be exterminated.",
    "Polio needs to be eradicated.",
    "Poverty must be eradicated.",
    "Those bargains should be hunted down.",
    "Exterminate them, says the Dalek.",
    "Rats need to be exterminated from the barn.",
]


@pytest.mark.parametrize("text", STOP_52_NORMATIVE)
def test_the_long_tail_of_normative_threats_of_stop_52_is_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize("text", STOP_52_NORMATIVE_NOT + STOP_52_OLD_FALSE_FLAGS)
def test_the_stop_52_forms_keep_out_of_lookalikes_reports_and_counter_speech(text: str) -> None:
    assert threat_sentences(text) == []


def test_the_spans_of_a_long_tail_threat_cover_only_its_sentence() -> None:
    text = "Another day, another attack. Someone get a rope."
    assert threat_sentences(text) == [(29, 48)]


def test_sterilisation_is_not_read_a_gab_training_row_labelled_no_threat() -> None:
    # 'sterilise them' was written in stop 52 and dropped: its passive read a Gab training
    # row labelled no threat ("some humans should be sterilized")
    assert threat_sentences("Those people should be sterilized.") == []


# Internet spellings of the normative modal and its passive (stop 52): "shud", "shld",
# "shoudl", "deserv to", "deserve 2", "need 2", "b" for "be", "ppl", "sum1".
STOP_52_SPELLING = [
    "they shud be shot",
    "they should b shot",
    "they shld be hanged",
    "they shoudl be shot",
    "they deserv to die",
    "they deserve 2 die",
    "they all need 2 die",
    "they need to b killed",
    "muslims shud be exterminated",
    "all these ppl deserve is a rope",
    "someone shud shoot him",
    "sum1 should kill him",
]
STOP_52_SPELLING_NOT = [
    "we need 2 eggs",
    "you need 2 be careful",
    "they should b here soon",
    "you shud b proud",
    "the cake should b baked",
    "the film shld be shot in colour",
    "every student should b shot for the yearbook",
    "the weeds need 2 die",
    "sum1 should kill the lights",
    "the old printer deserves 2 die",
    "the bill shud be killed in committee",
]


@pytest.mark.parametrize("text", STOP_52_SPELLING)
def test_internet_spellings_of_the_normative_modal_are_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize("text", STOP_52_SPELLING_NOT)
def test_internet_spellings_keep_out_of_things_photos_and_plans(text: str) -> None:
    assert threat_sentences(text) == []


# Counter-speech that names the stop 52 forms, history, and neutral or positive mentions
# of groups in the same words ("give them a chance", "send them to school", "all they
# need is love"): none is a threat.
STOP_52_COUNTER_SPEECH_AND_GROUPS = [
    "No, they don't deserve a rope, they deserve a fair trial.",
    "Wanting to nuke them all is not the answer.",
    "We shouldn't send them to the camps.",
    "It's not open season on immigrants, whatever the papers say.",
    "Imagine thinking all they deserve is a rope.",
    "Get a rope is not an argument.",
    "Nobody should be hunted down like animals.",
    "Refugees are not vermin to be exterminated.",
    "You want them all dead? That's sick.",
    "So you want them all dead, just say it.",
    "I want them all dead, said no decent person ever.",
    "Muslims deserve respect.",
    "Let the migrants stay.",
    "Let them live.",
    "Let them in.",
    "Send them to school.",
    "Give them a chance.",
    "Give them the vote.",
    "Give refugees the keys to a new home.",
    "Open season for applications from refugees starts Monday.",
    "We want them home safe.",
    "I want them all safe.",
    "I want every one of them hired.",
    "Send them to college.",
    "Jews deserve the same rights as everyone.",
    "Immigrants deserve a fair hearing.",
    "Give them all a hug.",
    "All they deserve is a chance.",
    "All they need is love.",
    "Put them down for the nursery waiting list.",
    "Take care of them, they're our neighbours.",
    "Take good care of the refugees.",
    "Round them up for the group photo.",
    "Line up the kids for lunch.",
    "String together a few words for the refugees.",
    "No mercy was shown to the Jews of Europe, and we must never forget it.",
    "Never again will Jews be sent to the camps.",
    "My family was sent to the camps in 1942.",
    "They were sent to the gas chambers at Auschwitz.",
    "The camps were liberated in 1945.",
    "It was open season on Jews in 1930s Germany, and we must remember that.",
    "Calls to nuke them all should be reported.",
    "Anyone saying they should be exterminated needs help.",
    "The far right wants them all dead, and we must stop it.",
    "The mob wanted them strung up.",
    "Lynch mobs used to string them up from trees; never again.",
    "Extremists say they should be gassed; they are wrong.",
    "I reported a post that said all they deserve is a rope.",
    "Migrants deserve dignity, not a rope.",
]


@pytest.mark.parametrize("text", STOP_52_COUNTER_SPEECH_AND_GROUPS)
def test_counter_speech_history_and_group_mentions_are_not_stop_52_threats(text: str) -> None:
    assert threat_sentences(text) == []


# Round 2 of stop 52: sentences written after round 1's rules and before they were read
# against them (round 1's grammar read 21 of 60 such threats, main's 16), then the forms
# added for them: the bullet or the rope as what they need or the cure, lampposts enough,
# a building burned or a boat sunk with people inside, their weddings, schools or places
# of worship bombed, "round them up and put them in camps", "make them dig their own
# graves", regret that nobody has killed someone yet or that not enough died, "I won't
# rest until they're all dead". Every one was read by no grammar before stop 52.
STOP_52_ROUND_2 = [
    "Honestly the only fix for these people is a mass grave.",
    "they all need a rope and a tall tree",
    "The only language these animals understand is a bullet.",
    "Public executions for every politician who signed it.",
    "They should be made to dig their own graves.",
    "Make them dig their own graves first.",
    "A firing squad is what they need.",
    "a bullet each would solve the problem",
    "Lock them in a building and burn it down.",
    "Burn their mosques with them inside.",
    "Sink the boats with them on board.",
    "The coast guard should just let them drown.",
    "Round up the leftists and put them in camps.",
    "They should be rounded up and put in camps.",
    "Throw every last one of them off a cliff.",
    "Feed the politicians to the sharks.",
    "Time to get the ropes out.",
    "Get the ropes ready, lads.",
    "There's plenty of lampposts for all of them.",
    "Plenty of trees and plenty of rope.",
    "I won't rest until they're all dead.",
    "Kill every single one of those parasites.",
    "They're a disease and the cure is a bullet.",
    "Bomb their weddings.",
    "Blow up every one of their schools.",
    "Shame nobody has shot him yet.",
    "Pity nobody has strangled her yet.",
    "Why hasn't anyone killed him yet.",
    "Not enough of them died.",
    "Too bad they didn't all drown.",
    "the only cure is a bullet to the head",
    "the answer is a bullet",
    "they need wiping out",
    "hang em from every lamppost in town",
]
# Their lookalikes (none flagged; main's grammar flagged "These contracts should be
# executed publicly", round 1's also "Kill every single one of those bugs ...").
STOP_52_ROUND_2_NOT = [
    "The only fix for these bugs is a patch.",
    "They need a rope and a harness for the climb.",
    "Every single one of those kids deserves a medal.",
    "Shoot every last photo on manual.",
    "The only language these kids understand is pizza.",
    "just clear the whole lot of them out of the garage already",
    "These contracts should be executed publicly.",
    "Hang the pictures from the rails on the landing.",
    "They should be made to do their own homework.",
    "A good night's sleep is what they need.",
    "Lock them in the shed, the bikes I mean.",
    "Put the lot of them on a boat and sail to France, the whole family loves it.",
    "The coast guard should rescue them.",
    "Round up the kids and put them in the car.",
    "Throw every last one of them in the recycling.",
    "Feed the ducks some peas.",
    "Someone should put that journalist in touch with me.",
    "If someone shot him a message I'd be grateful.",
    "I'll celebrate the day they get married.",
    "Can't wait till they all arrive.",
    "Time to get the ropes out for the tug of war.",
    "There's plenty of room for all of them.",
    "Plenty of trees and plenty of shade.",
    "Dead. The battery is dead.",
    "Kill every single one of those bugs before release.",
    "Exterminate the wasps in the loft.",
    "They're a disease and the cure is education.",
    "Drag them into the folder and save them.",
    "Blow up every one of their balloons for the party.",
    "Somebody needs to shoot the wedding.",
    "Shame nobody has called him yet.",
    "Why hasn't anyone fixed it yet.",
    "Too bad they didn't all come.",
    "Zero tolerance: check them at the border.",
    "the only cure is rest",
    "the answer is forty-two",
    "these weeds need wiping out",
    "Every one of them needs a hug.",
    "the old dog needs to be put down, poor thing",
    "hang the bunting from every lamppost in town",
    "Shame nobody has called him yet.",
    "Too bad they didn't all come.",
    "I won't rest until the bugs are all dead.",
    "The only cure for the weeds is a bullet.",
    "Burn the logs with the door open inside.",
    "Nobody should be rounded up and put in camps.",
    "The party is digging its own grave.",
    "They are digging their own graves with this policy.",
    "Not enough of them voted.",
    "Why hasn't anyone fixed him yet.",
    "Pity nobody has shot the film yet.",
    "I won't rest until my kids are all asleep.",
    "The day of the rope is a neo-Nazi fantasy.",
]


@pytest.mark.parametrize("text", STOP_52_ROUND_2)
def test_the_second_round_of_stop_52_is_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize("text", STOP_52_ROUND_2_NOT)
def test_the_second_round_of_stop_52_keeps_out_of_bugs_logs_policies_and_parties(
    text: str,
) -> None:
    assert threat_sentences(text) == []


def test_the_day_of_the_rope_is_not_read_a_gab_training_row_labelled_no_threat() -> None:
    # written in stop 52 and dropped: it read a Gab training row labelled no threat
    assert threat_sentences("Will get banned when the day of the rope arrives.") == []


def test_a_call_to_anyone_to_burn_a_place_with_people_inside_is_left_to_incitement() -> None:
    # a project validation row labelled no threat (a call to others: incitement)
    text = "Anyone with guts should go torch it with the nurses inside."
    assert threat_sentences(text) == []
    assert threat_sentences("Torch it with the nurses inside.")


@pytest.mark.parametrize(
    "text",
    [
        "I want them shot in black and white for the album.",
        "I want them hanged on the wall by Friday.",
        "We need them dead centre of the frame.",
        "I want them executed by the end of the sprint.",
    ],
)
def test_wanting_them_shot_or_hanged_keeps_out_of_photos_pictures_and_code(text: str) -> None:
    assert threat_sentences(text) == []


def test_wanting_them_shot_at_dawn_is_read() -> None:
    assert threat_sentences("I want them shot at dawn.")


# Round 3 of stop 52: 40 threats and 30 lookalikes written after round 2's rules; the
# round-2 grammar read 16 of the 40, as main's did (blind figure), and a model with it
# flagged 28 of 40 as main's did. Then mended: "hanging's too good for ...", "someone give
# that man a bullet", guillotine and carpet-bomb as people-only verbs, singular "pedo",
# "billionaires", "time for the rope", "fire up the ovens", "bring out the guillotines",
# "should be the first against the wall" (28 of 40 read after).
STOP_52_ROUND_3 = [
    "Hanging's too good for the lot of them.",
    "Someone give that man a bullet.",
    "Time for the rope, traitors.",
    "Hang every pedo from a tree.",
    "Fire up the ovens.",
    "Start the ovens back up.",
    "Carpet bomb the lot of them.",
    "The landlords should be the first against the wall.",
    "First against the wall when the revolution comes.",
    "Guillotine the billionaires.",
    "Bring out the guillotines.",
    "They should all be guillotined.",
]
STOP_52_ROUND_3_NOT = [
    "These degenerates need a haircut, every one of them.",
    "Lined up and photographed, that's what they wanted.",
    "Honestly they should just be fired on the spot.",
    "Every politician who voted for this should resign.",
    "Put a sticker on every one of them.",
    "These savages should be educated, says my racist uncle, which is vile.",
    "Deport them or keep them, I don't care which.",
    "If I see one I'm adopting it.",
    "Someone give that man a medal.",
    "These rats should be trapped humanely.",
    "Time for the rope swing, kids.",
    "Kill all the lights.",
    "Hang every bauble from a branch.",
    "Fire up the grill.",
    "Start the oven back up, the bread isn't done.",
    "They need to be taken out to dinner.",
    "Just drop a line to the whole lot.",
    "Wipe that whole file off the drive.",
    "Every one of those protesters deserves to be heard.",
    "Drive through the town, it's prettier.",
    "Those cops deserve a raise.",
    "The landlords should be the first to fix the damp.",
    "Eat the rich is a slogan about taxes.",
    "The guillotine was used in France until 1977.",
    "Hang the bankers' portraits in the lobby.",
    "They should all be fined.",
    "Bring out the cake.",
    "Those who insult the prophet should be ignored.",
    "Carpet the whole lot of them, the floors I mean.",
    "Glass the whole porch in for winter.",
    "Time for the rope swing.",
    "First against the wall is the sofa.",
    "He was first against the wall in the queue.",
    "The sofa should be first against the wall.",
    "Fire up the ovens, the bakery opens at six.",
    "Guillotine the paper into strips.",
]


@pytest.mark.parametrize("text", STOP_52_ROUND_3)
def test_the_third_round_of_stop_52_is_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize("text", STOP_52_ROUND_3_NOT)
def test_the_third_round_of_stop_52_keeps_out_of_swings_bakeries_and_paper(text: str) -> None:
    assert threat_sentences(text) == []


def test_those_who_is_no_imperative_object_an_implicit_hate_row_labelled_no_threat() -> None:
    # "kill those who ..." was written in round 3 and dropped: it read an implicit-hate
    # training row labelled no threat (others' alleged intentions listed as questions)
    assert threat_sentences("they want to kill those who tell the truth? kill those who draw") == []


# break7 L5: the long-tail forms of stop 52 on files, pests, furniture and reported
# speech; each read as a threat before the fix.
BREAK7_LONG_TAIL_NOT = [
    "Delete the temp files? Nuke them all.",
    "Nuke them all: the old branches are useless.",
    "They must be purged from the database by Friday.",
    "Someone should put them down, they're stuck up on the shelf.",
    "They deserve the electric chair, said the prosecutor about the convicted killers.",
    "They deserve the electric chair, argued the prosecutor in his closing speech.",
    "Someone should take care of them permanently, those fruit flies are everywhere.",
    "The weeds are back in the beds. They need to be eradicated.",
    "They need to be eradicated, those weeds.",
    "They must be eliminated from the list of suspects.",
    "Those people should be purged from the voter rolls.",
]
# the same forms with people as the antecedent or none: still read
BREAK7_LONG_TAIL_STILL = [
    "The immigrants are everywhere. Nuke them all.",
    "Those traitors are back. Nuke them all.",
    "They must be purged.",
    "those people must be purged from this country",
    "Someone should put them down.",
    "They deserve the electric chair.",
    "Someone should take care of them permanently.",
    "Someone should take care of them permanently, those traitors are everywhere.",
    # people named beside a thing: the subject may be the antecedent
    "The refugees took our jobs. Nuke them all.",
    "They need to be eradicated, those traitors.",
    "Those migrants must be eliminated from the face of the earth.",
]


@pytest.mark.parametrize("text", BREAK7_LONG_TAIL_NOT)
def test_long_tail_forms_said_of_files_pests_shelves_or_by_a_prosecutor_are_no_threat(
    text: str,
) -> None:
    assert threat_sentences(text) == []


@pytest.mark.parametrize("text", BREAK7_LONG_TAIL_STILL)
def test_long_tail_forms_with_people_as_antecedent_are_still_read(text: str) -> None:
    assert threat_sentences(text)


# stop 55 (issue 8): a slogan for "people like this", a bullet or a blade where it kills
# in the target's body, and the target's words as the condition of a threat
STOP55_THREATS = [
    "Bring back the gallows for folk like that.",
    "Bring back hanging for men like him.",
    "Ropes for traitors like these.",
    "A bullet in the head for every one of them.",
    "Keep it up and you'll catch a bullet right between your eyes.",
    "Next time I see you it's a round through your skull.",
    "I'll put one right between his eyes.",
    "One more word out of you and it's my knife in your throat.",
    "Post that photo again and I'll break your arms.",
    "Write another word about my sister and you will die.",
]
STOP55_NOT = [
    # a thing or an animal "like this", a wound told in the past, the betrayal idiom
    "Bring back rugs like this.",
    "Weeds like that should be burned.",
    "You took a bullet in your chest at Goose Green and still walked home.",
    "He got a bullet in his head at the front and survived.",
    "That felt like a knife in your back.",
    "Put a bullet point between your heading and the first line.",
    # someone else's words, reported; advice to say something
    "Say what you like and they will kill you anyway, he said.",
    "People who say we should kill them all are wrong.",
    "A rope for the tent and a hanging for the curtains.",
]


@pytest.mark.parametrize("text", STOP55_THREATS)
def test_the_forms_of_stop_55_are_read(text: str) -> None:
    assert threat_sentences(text)


@pytest.mark.parametrize("text", STOP55_NOT)
def test_the_forms_of_stop_55_keep_out_of_things_past_wounds_idioms_and_reports(
    text: str,
) -> None:
    assert threat_sentences(text) == []
