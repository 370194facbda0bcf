"""Durable first-person facts (zenbrain.extract.facts): slots across phrasings, and non-facts."""

from __future__ import annotations

import pytest

from zenbrain.errors import InvalidInputError
from zenbrain.extract import facts


def _slots(text: str, **kw) -> dict[str, str]:
    return {f.slot: f.value for f in facts.extract(text, **kw)}


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("I live in Berlin", "home_city", "Berlin"),
        ("I'm living in Munich now", "home_city", "Munich"),
        ("We're in Lisbon now", "home_city", "Lisbon"),
        ("I just moved to San Francisco last month.", "home_city", "San Francisco"),
        ("home is Rio de Janeiro these days", "home_city", "Rio de Janeiro"),
        ("I'm based in Toronto.", "home_city", "Toronto"),
        ("My new place in Lyon has a balcony", "home_city", "Lyon"),
        ("Oslo is home now", "home_city", "Oslo"),
        ("I joined Globex last week", "employer", "Globex"),
        ("I started a new job at Initech as an analyst", "employer", "Initech"),
        ("I'm a nurse at St Mary's Hospital", "job_title", "nurse"),
        ("I work as a software engineer", "job_title", "software engineer"),
        ("Being their new architect is a steep learning curve", "job_title", "architect"),
        ("I play five-a-side football these days", "exercise", "five-a-side football"),
        ("I've been going to kickboxing every week", "exercise", "kickboxing"),
        ("Call me Dee", "name", "Dee"),
        ("I just turned 35", "age", "35"),
        ("My birthday's on the 3rd of May", "birthday", "May 3"),
        ("I was born on 13 March", "birthday", "March 13"),
        ("I'm originally from Porto", "hometown", "Porto"),
        ("My wife's name is Sam", "partner", "Sam"),
        ("I went vegan last year", "diet", "vegan"),
        ("I'm on a keto diet", "diet", "keto"),
        ("I have a severe shellfish allergy", "allergy", "shellfish"),
        ("I'm lactose intolerant", "health", "lactose intolerance"),
        ("I have a cat named Luna", "pet:cat", "Luna"),
        ("Milo is our new puppy", "pet:dog", "Milo"),
        ("Ben is my younger brother", "sibling", "Ben"),
        ("Green is my favourite colour", "favorite_color", "green"),
        ("I take Spanish lessons", "language_learning", "Spanish"),
        ("I drive a Toyota Corolla", "car", "Toyota Corolla"),
        ("I take the train to work", "commute", "train"),
        ("I've taken up pottery", "hobby", "pottery"),
        ("I always take the stairs", "habit", "always take the stairs"),
        ("My pronouns are they/them", "pronouns", "they/them"),
    ],
)
def test_phrasings_map_to_slots(text, slot, value):
    assert _slots(text).get(slot) == value


@pytest.mark.parametrize(
    "text",
    [
        "ugh, Mondays", "the bus was late again", "I hate Mondays", "I'm so tired",
        "the cat loves tuna",  # no name, no ownership statement: small talk
        "Tom lives in Paris",
        "My friend said she works at Google", "Do I live in Berlin?", "Where do I work",
        "If I lived in Paris I would walk everywhere", "I might move to Berlin next year",
        "I'm going to join Globex", "I used to live in Rome", "I don't work at Acme anymore",
        "I'm not vegetarian", "I'm in Paris for a conference", "I was in London last week",
        "I'm a huge fan of Coldplay", "I'm a night owl", "I never said that",
        "I wish I lived in Kyoto", "I'm such a procrastinator",
    ],
)
def test_non_facts_have_no_slot(text):
    assert facts.extract(text) == ()


def test_a_sport_is_the_workout_only_when_it_is_news():
    # A sport played "these days" answers "what's my workout?"; a second weekly sport is a
    # hobby, so it does not close the first one's (functional) exercise slot.
    assert _slots("I play squash every weekend") == {"hobby": "squash", "habit":
                                                     "play squash every weekend"}
    assert "job_title" not in _slots("Btw: I'm a die-hard Ajax supporter; match days are sacred.")


def test_a_named_possession_states_the_relation_not_the_others_attributes():
    # "my cat Luna" / "my sister Anna" say the user has them; what Anna does is not the user's.
    assert _slots("My cat Luna loves tuna") == {"pet:cat": "Luna"}
    assert _slots("My sister Anna lives in Paris") == {"sibling": "Anna"}


def test_only_the_user_states_facts_about_the_user():
    assert _slots("I live in Berlin", speaker="assistant") == {}
    assert _slots("I live in Berlin", speaker="user") == {"home_city": "Berlin"}


def test_slot_specs_and_triples():
    found = facts.extract("I live in Berlin and I have a dog named Rex.")
    triples = {t.relation: t for t in facts.as_triples(found)}
    assert triples["lives_in"].functional and triples["lives_in"].object_name == "Berlin"
    assert not triples["has_pet"].functional and triples["has_pet"].object_type == "pet"
    assert facts.slot_of("favorite_color").functional
    with pytest.raises(InvalidInputError):
        facts.slot_of("shoe_size")
    with pytest.raises(InvalidInputError):
        facts.extract(42)  # type: ignore[arg-type]


def test_a_functional_slot_keeps_one_value_per_text():
    assert [f.slot for f in facts.extract("I live in Berlin. Home is Potsdam these days.")] == [
        "home_city"]


# ---- generated cases (issue 13: "whatever their wording") -------------------------------------
# Templates per slot, several phrasings each, in the genre of chat: facts embedded in chatter,
# subjectless fragments, possessives and appositions. `{v}` is the value; each template lists the
# facts it states (slot -> value, `{v}` filled). Lead-ins and trailing chatter rotate over cases.

_LEAD_INS = ["", "Btw: ", "Quick update: ", "Oh and ", "So, "]
_TRAILERS = ["", " Anyway, can you help me plan meals?", " Not much else going on.",
             " Ugh, Mondays.", " Can you remind me to call the bank?"]

_POSITIVE_TEMPLATES: list[tuple[str, dict[str, str], list[str]]] = [
    # cars
    ("Picked up my new silver {v} from the dealer yesterday!", {"car": "{v}"},
     ["Honda Civic", "Mazda CX-5", "Kia Niro"]),
    ("I upgraded to a {v} last month.", {"car": "{v}"}, ["Tesla Model 3", "Volvo XC40"]),
    ("Our {v} is already due for a service.", {"car": "{v}"}, ["Toyota Corolla", "Skoda Octavia"]),
    ("We bought an {v} car, finally.", {"car": "{v} car"}, ["electric", "hybrid"]),
    # work
    ("Another long shift as a {v} at Hart & Cole; I didn't even get a lunch break.",
     {"job_title": "{v}", "employer": "Hart & Cole"}, ["paralegal", "nurse", "barista"]),
    ("First week at {v} done; exhausting but fun.", {"employer": "{v}"},
     ["Keystone Builders", "Northwind", "Riverside Clinic"]),
    ("Being their new {v} is a steep learning curve.", {"job_title": "{v}"},
     ["project manager", "data analyst"]),
    ("Just got promoted to {v}!", {"job_title": "{v}"}, ["senior engineer", "head nurse"]),
    ("My job as a {v} keeps me busy.", {"job_title": "{v}"}, ["paralegal", "teacher"]),
    ("Started my new job at {v} on Monday.", {"employer": "{v}"}, ["Globex", "Bluebird Media"]),
    ("I left my old position and joined {v} as their architect.",
     {"employer": "{v}", "job_title": "architect"}, ["MoveWell Clinic", "Keystone Builders"]),
    # updates said in passing
    ("The move is done: our new address is in {v}.", {"home_city": "{v}"}, ["Lisbon", "Montreal"]),
    ("These days I get in on my {v}, much less stressful.", {"commute": "{v}"},
     ["scooter", "bike"]),
    ("Traded in the old one; I'm driving a {v} now.", {"car": "{v}"},
     ["Tesla Model 3", "Honda Civic"]),
    ("I've switched my morning order to an {v}.", {"usual_order": "{v}"},
     ["iced americano", "oat flat white"]),
    ("Switched up my training: I {v} on the river these days.", {"exercise": "rowing"}, ["row"]),
    ("I quit my job and joined {v} last week.", {"employer": "{v}"}, ["Initech", "Bluebird Media"]),
    ("I {v} laps before breakfast these days.", {"exercise": "swimming"}, ["swim"]),
    ("New fitness plan, I {v} along the canal now instead.", {"exercise": "running"},
     ["run", "jog"]),
    # pets
    ("Our dog {v} chewed through another charging cable this morning.", {"pet:dog": "{v}"},
     ["Pepper", "Biscuit", "Milo"]),
    ("{v}, our rescue cat, finally learned to use the flap.", {"pet:cat": "{v}"}, ["Luna", "Mochi"]),
    ("My rabbit {v} is snoring next to me.", {"pet:rabbit": "{v}"}, ["Clover", "Thumper"]),
    ("We adopted a {v} last weekend!", {"pet:dog": "dog"}, ["puppy", "beagle"]),
    # family and partner
    ("Parent-teacher evening for {v}, my daughter, went better than expected.", {"child": "{v}"},
     ["Lily", "Ava"]),
    ("My little brother {v} is visiting this weekend.", {"sibling": "{v}"}, ["Ben", "Jonah"]),
    ("Took my son {v} to his swimming lesson.", {"child": "{v}"}, ["Leo", "Arlo"]),
    ("I've started seeing someone, {v}, and it's going really well.", {"partner": "{v}"},
     ["Daniel", "Maya", "Priya"]),
    ("My girlfriend {v} made dinner tonight.", {"partner": "{v}"}, ["Maya", "Zoe"]),
    ("{v}, my husband, says hi.", {"partner": "{v}"}, ["Sam", "Tomas"]),
    # diet
    ("These days I'm eating {v}; the old way wasn't working for me.", {"diet": "{v}"},
     ["vegan", "vegetarian", "keto"]),
    ("I've been {v} for years now.", {"diet": "{v}"}, ["pescatarian", "vegetarian"]),
    ("I stopped eating meat last spring.", {"diet": "vegetarian"}, [""]),
    # exercise
    ("New fitness plan, I go to {v} now instead.", {"exercise": "{v}"}, ["spin class", "pilates", "crossfit"]),
    ("I've switched to {v} for my workouts.", {"exercise": "{v}"}, ["yoga", "bouldering"]),
    # hometown
    ("Back in {v}, where I spent my childhood, the summers felt endless.", {"hometown": "{v}"},
     ["Bled", "Cork", "Porto"]),
    ("Growing up in {v} meant lots of rain.", {"hometown": "{v}"}, ["Galway", "Bergen"]),
    # dislikes
    ("I genuinely can't stand {v}.", {"dislike": "{v}"}, ["olives", "mushrooms", "blue cheese"]),
    ("I really hate {v}, never could eat them.", {"dislike": "{v}"}, ["mushrooms", "pickles"]),
    # birthday and anniversary
    ("Born on {v}, so my party always clashes with something.", {"birthday": "{v}"},
     ["June 8", "March 3", "October 21"]),
    ("My birthday is coming up on {v}.", {"birthday": "{v}"}, ["May 2", "December 14"]),
    ("Our anniversary is on {v}, need to book a table.", {"anniversary": "{v}"}, ["July 19", "April 30"]),
    # languages
    ("My {v} tutor says my pronunciation is improving.", {"language_learning": "{v}"},
     ["Japanese", "Spanish", "Italian"]),
    ("Practising my {v} on the train again.", {"language_learning": "{v}"}, ["Korean", "German"]),
    # allergies and health
    ("Turns out I'm allergic to {v}, so that's out.", {"allergy": "{v}"},
     ["shellfish", "penicillin", "sesame"]),
    ("{V} gives me hives, so I avoid it.", {"allergy": "{v}"}, ["shellfish", "peanuts"]),
    ("My {v} is acting up with all this pollen.", {"health": "{v}"}, ["asthma", "eczema"]),
    # home
    ("Just moved to {v}!", {"home_city": "{v}"}, ["Denver", "Leeds", "Kyoto"]),
    ("We moved into a flat in {v} last month.", {"home_city": "{v}"}, ["Leeds", "Ghent"]),
    ("Living in {v} now, loving it.", {"home_city": "{v}"}, ["Porto", "Tallinn"]),
    # commute
    ("{v} to work these days, it's way faster.", {"commute": ""},
     ["Cycling", "Walking", "Taking the train"]),
    ("My commute is by {v} now.", {"commute": "{v}"}, ["tram", "bus"]),
    # hobbies
    ("My {v} class was packed tonight.", {"hobby": "{v}"}, ["pottery", "salsa"]),
    ("I joined a {v} club last month.", {"hobby": "{v}"}, ["chess", "running"]),
    # standing orders
    ("My usual order is an {v}.", {"usual_order": "{v}"}, ["oat flat white", "iced latte"]),
    ("I usually get a {v} before work.",
     {"usual_order": "{v}", "habit": "usually get a {v} before work"}, ["cortado", "chai latte"]),
    # teams
    ("I'm a die-hard {v} fan, so Saturday's match matters.", {"team": "{v}"}, ["Arsenal", "Leeds United"]),
    ("I support {v}, obviously.", {"team": "{v}"}, ["Celtic", "Aston Villa"]),
]
_COMMUTE_OF = {"Cycling": "bike", "Walking": "foot", "Taking the train": "train"}

_NEGATIVE_TEMPLATES: list[tuple[str, list[str]]] = [
    # hearsay about other people
    ("My friend {v} is allergic to eggs.", ["Chloe", "Omar"]),
    ("My coworker {v} moved to Lisbon.", ["Luz", "Karl"]),
    ("My neighbour got a {v}.", ["cat", "puppy"]),
    ("My sister is {v} now.", ["vegan", "keto"]),
    ("{v} works as a nurse at Riverside Clinic.", ["Tom", "Anna"]),
    ("My brother drives a {v}.", ["Honda Civic", "Tesla Model 3"]),
    ("My sister's new {v} is gorgeous.", ["Tesla", "Audi A3"]),
    ("Her dog {v} is adorable.", ["Biscuit", "Rex"]),
    ("My friend's cat {v} ran away.", ["Luna", "Milo"]),
    ("My mum says she's learning {v}.", ["Spanish", "Italian"]),
    # questions and requests
    ("Can you suggest a recipe with {v}?", ["eggs", "mushrooms"]),
    ("What's a nice gift for my {v}?", ["sister", "dad"]),
    ("Should I get a {v} or a Mazda?", ["Honda Civic", "Kia Niro"]),
    ("Could you find {v} restaurants near me", ["vegan", "vegetarian"]),
    ("Any tips for training my {v}?", ["dog", "puppy"]),
    ("Recommend a good {v} near me.", ["spin class", "yoga studio"]),
    # hypotheticals, wishes and plans
    ("If I moved to {v} I'd need a car.", ["Denver", "Leeds"]),
    ("I might adopt a {v} next year.", ["puppy", "cat"]),
    ("I'm thinking of going {v}.", ["vegan", "keto"]),
    ("Planning to switch to {v} soon.", ["pilates", "yoga"]),
    ("Maybe I'll get a {v} someday.", ["Tesla Model 3", "Honda Civic"]),
    ("I'd love a dog named {v}.", ["Biscuit", "Pepper"]),
    ("We're hoping to move into a flat in {v}.", ["Leeds", "Ghent"]),
    ("I want to learn {v} someday.", ["Japanese", "Korean"]),
    ("Next month I'm starting at {v}.", ["Keystone Builders", "Globex"]),
    # negated and former states
    ("I'm not {v} anymore.", ["vegan", "vegetarian"]),
    ("I sold my {v} last week.", ["Honda Civic", "Toyota Corolla"]),
    ("My old {v} finally died.", ["Toyota Corolla", "Ford Focus"]),
    ("I used to work as a {v} at Hart & Cole.", ["paralegal", "nurse"]),
    ("My friend joined {v} as their designer.", ["Globex", "Initech"]),
    ("I think {v} left and joined Hooli.", ["Sara", "Tom"]),
    ("I run {v} these days.", ["a small bakery", "the book club"]),
    ("My sister {v} every day.", ["swims", "runs"]),
    ("My friend works as a nurse at {v}.", ["St Mary's", "Riverside Clinic"]),
    ("I'm driving my sister's {v} this week.", ["Tesla Model 3", "Honda Civic"]),
    ("My ex, {v}, texted me.", ["Daniel", "Maya"]),
    ("We no longer live in {v}.", ["Denver", "Porto"]),
    ("I'm no longer seeing {v}.", ["Daniel", "Sam"]),
    ("Our late dog {v} was the best.", ["Pepper", "Rex"]),
    ("My dream car is a {v}.", ["Porsche 911", "Tesla Model S"]),
    # recurring small talk
    ("the {v} woke me up at 5am again", ["dog", "cat"]),
    ("my {v} keeps sending me memes", ["sister", "brother"]),
    ("{v} was awful", ["traffic", "the commute"]),
    ("ugh, {v}", ["Mondays", "Tuesdays"]),
    ("The {v} was late again.", ["bus", "train"]),
    ("My car is making a weird {v} again.", ["noise", "sound"]),
    ("I'm at the {v} right now.", ["gym", "office"]),
    ("{v} to work today was freezing.", ["Cycling", "Walking"]),
    ("I hate {v}.", ["Mondays", "traffic"]),
    ("Long day at the {v}.", ["office", "hospital"]),
]


def _fill(template: str, value: str) -> str:
    return template.replace("{v}", value).replace("{V}", value[:1].upper() + value[1:])


def _positive_cases() -> list[tuple[str, dict[str, str]]]:
    out, i = [], 0
    for template, expected, values in _POSITIVE_TEMPLATES:
        for value in values:
            lead, trail = _LEAD_INS[i % len(_LEAD_INS)], _TRAILERS[(i // 2) % len(_TRAILERS)]
            i += 1
            text = lead + _fill(template, value) + trail
            want = {slot: (_COMMUTE_OF[value] if slot == "commute" and not v else _fill(v, value))
                    for slot, v in expected.items()}
            out.append((text, want))
    return out


def _negative_cases() -> list[str]:
    out, i = [], 0
    for template, values in _NEGATIVE_TEMPLATES:
        for value in values:
            lead, trail = _LEAD_INS[i % len(_LEAD_INS)], _TRAILERS[(i // 3) % len(_TRAILERS)]
            i += 1
            out.append(lead + _fill(template, value) + trail)
    return out


POSITIVE_CASES = _positive_cases()
NEGATIVE_CASES = _negative_cases()


def test_generated_case_counts():
    assert len(POSITIVE_CASES) + len(NEGATIVE_CASES) >= 150
    assert len({slot for _, want in POSITIVE_CASES for slot in want}) >= 20


@pytest.mark.parametrize(("text", "want"), POSITIVE_CASES)
def test_generated_statements_state_their_slots(text, want):
    assert _slots(text) == want


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_generated_non_facts_state_nothing(text):
    assert facts.extract(text) == ()


def test_a_newer_loosely_worded_value_supersedes_on_a_functional_slot():
    """write_path versions an old memory when the new one holds all of its slots with another value
    (`_is_slot_update`): two statements of one functional slot in different wordings must give the
    same slot and values with different keys."""
    by_slot: dict[str, set[str]] = {}
    for text, want in POSITIVE_CASES:
        for found in facts.extract(text):
            if found.spec.functional and found.slot in want:
                by_slot.setdefault(found.slot, set()).add(found.key)
    functional = [slot for slot in by_slot if facts.slot_of(slot).functional]
    assert len(functional) >= 12
    for slot in functional:
        assert len(by_slot[slot]) >= 2, slot
    old = {f.slot: f.key for f in facts.extract("I drive a Toyota Corolla")}
    new = {f.slot: f.key for f in facts.extract("Picked up my new silver Honda Civic yesterday!")}
    assert set(old) <= set(new) and old["car"] != new["car"]
    old = {f.slot: f.key for f in facts.extract("I bought an electric car")}
    new = {f.slot: f.key for f in facts.extract("We just got a hybrid car")}
    assert old["car"] != new["car"]


def test_precision_and_recall_on_generated_sets():
    tp = fp = fn = 0
    for text, want in POSITIVE_CASES:
        got = set(_slots(text).items())
        tp += len(got & set(want.items()))
        fp += len(got - set(want.items()))
        fn += len(set(want.items()) - got)
    fp += sum(len(facts.extract(text)) for text in NEGATIVE_CASES)
    assert tp / (tp + fp) >= 0.95 and tp / (tp + fn) >= 0.9
