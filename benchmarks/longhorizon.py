"""Long-horizon recall: months of everyday chat, facts said once, questions asked weeks later.

    python -m benchmarks run longhorizon [--quick] [--no-mem0] [--no-sleep]

A seeded, pure-Python generator (`generate`, no LLM, our own templates) writes the chat of
`N_USERS` users with an assistant over 13 weeks (`DAYS`), several sessions a week:

- **Facts said once.** Each user holds 12–14 of 20 slots (home, hometown, job, pet, sibling,
  partner, parent, child, allergy, diet, hobby, drink, car, commute, exercise, language,
  birthday, anniversary, a strong dislike, a sports team), each stated once in one of several
  phrasings, inside an ordinary turn (a lead-in, a follow-up request).
- **Updates.** About 30% of the user's slots (4 of 12–14) change 3–7 weeks later, in different
  words ("Big change: I'm living in Porto now" after "Home for me is Leeds").
- **Recurring small talk.** Six lines per user, each said 20–35 times verbatim or nearly so
  ("ugh, Mondays", "the bus was late again", "my sister keeps sending me memes at 6am"); many
  share words with the questions on purpose (work, sister, mum, car, gym, dinner, home).
- **Other people's facts** ("my coworker Dana just moved to Lyon") and everyday requests
  ("can you suggest a quick recipe with leeks?"); the assistant's answer to a request is stored
  too (70% of them), as an agent that keeps both sides of the chat would.
- **Questions weeks later, paraphrased.** One question per slot, worded differently from the
  turn that answers it ("What's the name of my sibling?" for "My sister Ana just had a baby
  boy"), asked 2–8 weeks after the fact (after the update for changed slots) in the last four
  weeks, a few per sitting, one after the other, with more chatting between sittings.

Gold: the id of the user's turn that states the fact (for an updated slot, the newer turn; the
older one is the *stale* turn). Turn-level, as LoCoMo's evidence ids: a retrieved item stands for
the turns it was written from (a consolidated or versioned memory counts all its source turns).

Protocol. Everything is replayed in time order across all users. ZenBrain is used the way an
agent uses it: one brain for every user; before each user turn is stored, `recall(turn, k=10,
at=turn time)` runs on it (the agent's context lookup, so retrieval practice happens as in real
use); each session is stored with `remember_many` (speaker = the user's name or "Assistant",
the turns' dates); each question is one ordinary `recall(k=10, at=question time)`. The brain is
copied the night before the first question day: one copy answers as is ("ZenBrain"), the other
first runs one `Brain.sleep` per user ("ZenBrain + sleep"); both then replay the last four weeks
(chat, recall traffic and questions) independently. The baselines (flat cosine, BM25, BM25 +
cosine RRF, mem0 with `infer=False`) index "Speaker: text" of every turn said before the
question and are asked the same questions. All dense systems share one MiniLM `CachingEmbedder`.

Scores (k = 10 retrieved items per question): recall@5 / recall@10 (gold turn among the top k),
MRR@10, and latest-beats-stale over the questions about updated slots: a win when the first item
holding the current or the stale turn holds the current one (so "current in the top 10, stale
absent" wins, "neither in the top 10" loses; an item holding both, such as a new version that
cites the old one, counts as current). Small talk in top 5: the share of top-5 items made only
of recurring small-talk turns. Tenancy: items of another user (must be 0).
"""

from __future__ import annotations

import bisect
import random
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = [
    "Asked", "Dataset", "Question", "Turn", "asked_questions", "generate", "latest_beats_stale",
    "rank_of", "run", "score", "section",
]

SEED = 13
N_USERS = 12
QUICK_USERS = 4
DAYS = 91  # 13 weeks
QUESTION_DAY = 63  # first day questions may be asked (weeks 10-13)
START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
K = 10
ASSISTANT = "Assistant"
SYSTEMS = ("flat", "bm25", "hybrid", "mem0", "zenbrain", "zenbrain+sleep")
LABELS = {"flat": "flat cosine", "bm25": "BM25", "hybrid": "hybrid (BM25 + cosine, RRF)",
          "mem0": "mem0 (infer=False)", "zenbrain": "ZenBrain",
          "zenbrain+sleep": "ZenBrain + sleep"}


# ---- data model --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    id: str  # "<user>#<n>", unique across users
    user: str
    speaker: str  # the user's name or "Assistant"
    text: str
    at: datetime
    session: str
    kind: str  # fact | update | other | smalltalk | filler | assistant
    slot: str | None = None  # the fact's slot, or "talk:<line>" for small talk

    @property
    def indexed(self) -> str:
        """What the baselines index: "Speaker: text", as in the LoCoMo benchmark."""
        return f"{self.speaker}: {self.text}"


@dataclass(frozen=True)
class Question:
    id: str
    user: str
    text: str
    at: datetime
    slot: str
    gold: str  # the turn that states the current value
    stale: str | None  # the older turn, for updated slots
    fact_at: datetime  # when the gold turn was said


@dataclass
class Session:
    user: str
    id: str
    day: int
    at: datetime
    turns: list[Turn] = field(default_factory=list)


@dataclass
class UserData:
    uid: str
    name: str
    sessions: list[Session]
    questions: list[Question]
    facts: dict[str, dict[str, str]]  # slot -> current value

    @property
    def turns(self) -> list[Turn]:
        return [t for s in self.sessions for t in s.turns]


@dataclass
class Dataset:
    seed: int
    users: list[UserData]
    branch_at: datetime  # the night before the first question day (where "+ sleep" sleeps)

    @property
    def questions(self) -> list[Question]:
        return [q for u in self.users for q in u.questions]

    def turns(self) -> dict[str, Turn]:
        return {t.id: t for u in self.users for t in u.turns}

    def events(self) -> list[tuple[datetime, str, Any]]:
        """Every session and every question sitting of every user, in time order."""
        out: list[tuple[datetime, str, Any]] = []
        for u in self.users:
            out += [(s.at, "session", s) for s in u.sessions]
            sittings: dict[datetime, list[Question]] = defaultdict(list)
            for q in u.questions:
                sittings[q.at.replace(second=0, minute=0)].append(q)
            out += [(qs[0].at, "ask", qs) for _, qs in sorted(sittings.items())]
        out.sort(key=lambda e: (e[0], e[1], e[2][0].user if e[1] == "ask" else e[2].user))
        return out


# ---- templates (our own wording) ---------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    name: str
    values: tuple[dict[str, str], ...]
    state: tuple[str, ...]  # first statement
    ask: tuple[str, ...]  # questions, worded differently from the statements
    update: tuple[str, ...] = ()  # a later, differently worded statement of a new value


def _v(key: str, *vals: str) -> tuple[dict[str, str], ...]:
    return tuple({key: v} for v in vals)


CITIES = ("Lisbon", "Leeds", "Denver", "Osaka", "Toronto", "Porto", "Melbourne", "Lyon",
          "Krakow", "Valencia", "Montreal", "Edinburgh", "Tucson", "Gothenburg", "Bristol")
FIRST = ("Ana", "Ben", "Chloe", "Dario", "Elif", "Farah", "Gus", "Hana", "Ivo", "Jade", "Kofi",
         "Luz", "Mateo", "Nadia", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tess", "Uma", "Viktor",
         "Wren", "Yusuf", "Zara", "Noor", "Leon", "Maren", "Teo", "Ilse")

SLOTS: tuple[Slot, ...] = (
    Slot("home", _v("city", *CITIES), (
        "We've been renting a flat in {city} for about five years now, and the rent keeps creeping up.",
        "Living in {city} has its perks, the food scene here is unbeatable.",
        "I live in {city}, so a weekend at the coast is only a short train ride away.",
        "Home for me is {city}; I moved here right after university.",
        "Our little place in {city} finally has curtains that match.",
    ), (
        "Which city am I based in these days?",
        "Where do I live at the moment?",
        "What city is home for me now?",
        "Remind me which town I'm living in.",
    ), (
        "We did it, the move is done: our new address is in {city} and the boxes are mostly unpacked.",
        "Big change: I'm living in {city} now, still learning which bakery is the good one.",
        "Since relocating to {city} last month my commute has halved.",
        "First full week in {city} after the move, and I already love the neighbourhood.",
    )),
    Slot("hometown", _v("town", "Ballina", "Tromsø", "Aveiro", "Hexham", "Zell am See", "Bled",
                        "Kinsale", "Nafplio", "Ystad", "Whitby", "Colmar", "Lagos"), (
        "I grew up in {town}, a tiny place where everyone knows everyone.",
        "Back in {town}, where I spent my childhood, the summers felt endless.",
        "My parents still live in {town}, the village I was raised in.",
        "Every Christmas we drive back to {town}; it's where I was a kid.",
    ), (
        "Where was I raised?",
        "Where did I spend my childhood?",
        "Which town am I originally from?",
    )),
    Slot("job", tuple({"role": r, "org": o} for r, o in (
        ("nurse", "St. Mary's Hospital"), ("software engineer", "Brightline"),
        ("chemistry teacher", "Oakridge High"), ("accountant", "Farrow & Lee"),
        ("graphic designer", "Studio Nine"), ("pharmacist", "CityCare Pharmacy"),
        ("paralegal", "Hart & Cole"), ("data analyst", "Northwind Logistics"),
        ("architect", "Linden Partners"), ("physiotherapist", "MoveWell Clinic"),
        ("sous chef", "Osteria Verde"), ("project manager", "Keystone Builders"),
        ("librarian", "the Central Library"), ("electrician", "Volt Brothers"))), (
        "Another long shift as a {role} at {org}; I didn't even get a lunch break.",
        "I've been working as a {role} for {org} for almost three years now.",
        "Being the only {role} at {org} means my inbox never sleeps.",
        "My job as a {role} at {org} is mostly meetings this month.",
    ), (
        "What do I do for a living?",
        "Who is my employer?",
        "What's my profession these days?",
        "Which company do I work for?",
    ), (
        "I signed the offer! I'm now a {role} with {org}, starting on Monday.",
        "New chapter: I left my old position and joined {org} as their {role}.",
        "First week at {org} done; being their new {role} is a steep learning curve.",
    )),
    Slot("pet", tuple({"species": s, "pet": n} for s, n in (
        ("dog", "Biscuit"), ("cat", "Miso"), ("rabbit", "Clover"), ("parrot", "Kiwi"),
        ("tortoise", "Sheldon"), ("dog", "Pepper"), ("cat", "Noodle"), ("hamster", "Waffles"),
        ("dog", "Juno"), ("cat", "Pixel"))), (
        "Our {species} {pet} chewed through another charging cable this morning.",
        "Took {pet}, my {species}, to the vet for a check-up; all good.",
        "{pet} (my {species}) has decided my laptop is the best napping spot.",
        "I adopted a {species} called {pet} from the shelter last spring.",
    ), (
        "What's the name of my pet?",
        "What is my {species} called?",
        "What kind of animal do I have, and what's its name?",
    )),
    Slot("sibling", tuple({"rel": r, "sib": n} for r, n in (
        ("sister", "Ana"), ("brother", "Tomas"), ("sister", "Mira"), ("brother", "Felix"),
        ("sister", "Greta"), ("brother", "Ravi"), ("sister", "Lotte"), ("brother", "Emil"))), (
        "My {rel} {sib} just had a baby boy, so I'm officially the fun relative now!",
        "{sib}, my younger {rel}, is coming to stay with us next weekend.",
        "Had a long call with my {rel} {sib} about our parents' anniversary plans.",
        "My big {rel} {sib} finally finished that marathon.",
    ), (
        "What's the name of my sibling?",
        "Who is my {rel}?",
        "What is my {rel} called again?",
    )),
    Slot("partner", tuple({"rel": r, "p": n} for r, n in (
        ("husband", "Daniel"), ("wife", "Sofia"), ("girlfriend", "Lea"), ("boyfriend", "Marcus"),
        ("partner", "Robin"), ("wife", "Ines"), ("husband", "Karim"), ("partner", "Alex"))), (
        "My {rel} {p} surprised me with tickets to the ballet.",
        "{p} and I have been together seven years and {p} still laughs at my terrible puns.",
        "Date night with {p}, my {rel}, at the new ramen place.",
    ), (
        "Who is my significant other?",
        "What's the name of the person I'm in a relationship with?",
        "Who am I in a relationship with?",
    ), (
        "I've started seeing someone, {p}, and it's going really well so far.",
        "Things ended with my ex; I'm with {p} now and we're very happy.",
    )),
    Slot("parent", tuple({"rel": r, "relq": q, "par": n} for r, q, n in (
        ("mum", "mother", "Helen"), ("dad", "father", "George"), ("mom", "mother", "Lucia"),
        ("dad", "father", "Anand"), ("mum", "mother", "Brigid"), ("dad", "father", "Jorge"))), (
        "My {rel}, {par}, is turning sixty and wants a big party.",
        "{par}, my {rel}, just took up watercolour painting.",
        "Spent three hours on the phone helping my {rel} {par} set up a new tablet.",
    ), (
        "What is my {relq}'s first name?",
        "What's my {relq} called?",
        "What's the name of my {relq}?",
    )),
    Slot("child", tuple({"rel": r, "kid": n} for r, n in (
        ("daughter", "Lily"), ("son", "Oscar"), ("daughter", "Ayla"), ("son", "Finn"),
        ("daughter", "Maya"), ("son", "Theo"))), (
        "My {rel} {kid} starts kindergarten in September and I'm not ready.",
        "{kid} (my {rel}) lost a first tooth today!",
        "Parent-teacher evening for {kid}, my {rel}, went better than expected.",
    ), (
        "What's my kid's name?",
        "What is my {rel} called?",
        "What did I name my child?",
    )),
    Slot("allergy", _v("allergen", "peanuts", "shellfish", "sesame", "penicillin", "kiwi fruit",
                       "eggs", "tree nuts", "bee stings", "latex", "soy"), (
        "I'm allergic to {allergen}, so I always have to quiz the waiter.",
        "Reminder to self: carry the EpiPen, since {allergen} can land me in the ER.",
        "Can't go near {allergen}; even a trace and my throat swells up.",
        "Had to skip the office party snacks because of my {allergen} allergy.",
    ), (
        "Do I have any allergies?",
        "What gives me an allergic reaction?",
        "Which allergy should a restaurant know about before cooking for me?",
    )),
    Slot("diet", _v("diet", "vegetarian", "vegan", "pescatarian", "gluten-free", "keto",
                    "dairy-free", "low-carb"), (
        "I've been {diet} for about two years and honestly feel great.",
        "Being {diet} makes dinners at my in-laws' a bit tricky.",
        "Trying to find {diet} recipes that aren't just salad.",
    ), (
        "What kind of diet do I follow?",
        "What are my eating habits at the moment?",
        "Do I eat meat, or what's my diet these days?",
    ), (
        "I've changed how I eat: {diet} from now on.",
        "Quick food update: I switched to a {diet} diet last month.",
        "These days I'm eating {diet}; the old way wasn't working for me.",
    )),
    Slot("hobby", _v("hobby", "bouldering", "pottery", "salsa dancing", "birdwatching",
                     "woodworking", "sourdough baking", "chess", "trail running", "knitting",
                     "film photography", "gardening", "playing the cello"), (
        "I've gotten really into {hobby} lately; spent all Saturday on it.",
        "{hobby} is my favourite way of switching off after a long week.",
        "Signed up for a {hobby} class on Thursday evenings, my new favourite pastime.",
    ), (
        "What do I like to do in my spare time?",
        "What's my hobby these days?",
        "What do I do for fun?",
    ), (
        "I've put the old hobby aside and taken up {hobby} instead.",
        "New obsession: {hobby}. I can't stop.",
        "My free evenings and weekends go to {hobby} now.",
    )),
    Slot("drink", _v("drink", "oat flat white", "green tea", "double espresso", "chai latte",
                     "matcha", "black coffee", "peppermint tea", "iced americano"), (
        "Nothing beats a {drink} first thing in the morning.",
        "The café downstairs knows my order: a {drink}, every single day.",
        "I get through about three {drink}s before noon.",
    ), (
        "What do I usually order at the café?",
        "What's my morning drink of choice?",
        "What coffee or tea do I usually have?",
    ), (
        "I've switched my morning order to a {drink}; trying something new.",
        "Funny, I never used to like {drink} and now I have one daily.",
    )),
    Slot("car", _v("car", "silver Honda Civic", "red Volvo estate", "Tesla Model 3",
                   "blue Ford Fiesta", "Toyota Prius", "VW camper van", "Mini Cooper",
                   "green Subaru Outback"), (
        "My {car} needs new tyres before winter.",
        "Drove the {car} up to the lake this weekend, gorgeous views.",
        "Just paid to fix the air conditioning in my {car}, ouch.",
    ), (
        "What vehicle do I own?",
        "What kind of car do I have?",
        "What car am I driving these days?",
    ), (
        "Traded in the old one; I'm driving a {car} now.",
        "Picked up my new {car} from the dealer yesterday!",
    )),
    Slot("commute", tuple({"verb": a, "by": b} for a, b in (
        ("cycle", "by bike"), ("take the tram", "on the tram"), ("walk", "on foot"),
        ("take the train", "by train"), ("ride my scooter", "on my scooter"),
        ("carpool with a colleague", "in a colleague's car"))), (
        "I {verb} to work most days, rain or shine.",
        "Getting to the office {by} takes me about twenty-five minutes.",
    ), (
        "How do I get to my workplace?",
        "What's my usual way of commuting?",
    ), (
        "New routine for the commute: I {verb} now.",
        "These days I get in {by}, which is much less stressful.",
    )),
    Slot("exercise", _v("ex", "swim laps before breakfast", "go to spin class",
                        "lift weights", "run along the canal", "do hot yoga",
                        "play five-a-side football", "row on the river"), (
        "I {ex} three times a week; it's the only workout that keeps me sane.",
        "Managed to {ex} again this morning, my fitness is finally improving.",
    ), (
        "How do I stay fit?",
        "What's my workout routine?",
        "What kind of exercise do I do regularly?",
    ), (
        "Switched up my training: I {ex} these days.",
        "New fitness plan, I {ex} now instead.",
    )),
    Slot("language", _v("lang", "Japanese", "Portuguese", "Korean", "German", "Italian", "Arabic",
                        "Dutch", "Mandarin", "Greek"), (
        "I'm learning {lang} on an app, 200-day streak!",
        "My {lang} tutor says my pronunciation is improving.",
        "Practising my {lang} with subtitles on every show I watch.",
    ), (
        "Which foreign language am I studying?",
        "What language have I been trying to pick up?",
    ), (
        "I've paused the old lessons and started {lang} instead.",
        "Switched languages: it's {lang} classes for me now.",
    )),
    Slot("birthday", _v("date", "March 14", "July 3", "November 22", "February 9", "August 30",
                        "May 17", "October 5", "December 12", "April 26", "June 8"), (
        "My birthday is on {date} and I'm already dreading the fuss.",
        "I'm turning 35 on {date}; any ideas for a low-key celebration?",
        "Born on {date}, which means my party always clashes with something.",
    ), (
        "When is my birthday?",
        "On what day of the year was I born?",
    )),
    Slot("anniversary", _v("date", "June 21", "September 2", "January 30", "April 11",
                           "October 19", "May 6", "August 14"), (
        "Our wedding anniversary is {date}; ten years this time.",
        "We got married on {date}, so I need to book a restaurant soon.",
    ), (
        "When did my partner and I tie the knot?",
        "What's the date of our wedding anniversary?",
    )),
    Slot("dislike", _v("thing", "cilantro", "olives", "mushrooms", "horror films",
                       "loud restaurants", "jazz", "pineapple on pizza", "camping"), (
        "I genuinely can't stand {thing}; it ruins everything it touches.",
        "{thing}? Hard pass. I've hated it since I was a kid.",
        "Please never suggest {thing} to me, I really dislike it.",
    ), (
        "What's something I really hate?",
        "Is there anything I strongly dislike?",
    )),
    Slot("team", _v("team", "Celtic", "the Boston Celtics", "Benfica", "the Green Bay Packers",
                    "Borussia Dortmund", "the Toronto Raptors", "Ajax", "the Chicago Cubs"), (
        "I'm a die-hard {team} supporter; match days are sacred.",
        "Watched {team} lose again last night, my heart can't take it.",
    ), (
        "Which sports team do I root for?",
        "Who am I a fan of in sport?",
    )),
)
SLOT_BY_NAME = {s.name: s for s in SLOTS}

# Said by others about others: share words and values with the user's own facts.
OTHER = (
    "My coworker {name} just moved to {city}, lucky thing.",
    "My friend {name} started a new job as a {role} at {org}.",
    "My neighbour {name} got a {species} called {pet}, it's adorable.",
    "{name} from work is learning {lang} too, we quiz each other.",
    "My cousin's birthday is {date}, I need to send a card.",
    "My friend {name} is allergic to {allergen}, so I'm bringing a separate dish to her party.",
    "{name}'s {rel} is visiting them from {city} next week.",
    "My colleague {name} went {diet} and won't stop talking about it.",
    "{name} just bought a {car}, I'm a bit jealous.",
)

# Recurring small talk: (variants of one line). {species} when the user has a pet.
SMALL_TALK = (
    ("ugh, Mondays", "Ugh. Mondays.", "ugh mondays again"),
    ("the bus was late again", "The bus was late AGAIN.", "bus was late again, of course"),
    ("work was brutal today", "Work was brutal today.", "brutal day at work"),
    ("so tired, barely slept last night", "So tired. Barely slept.", "barely slept again last night"),
    ("coffee number three today, send help", "third coffee of the day...", "coffee number three, send help"),
    ("the neighbours are drilling again", "Neighbours drilling again!!", "and the neighbours are drilling again"),
    ("it's raining again, of course", "Raining again. Of course.", "of course it's raining again"),
    ("my mum called again, we talked for an hour about nothing",
     "mum called again, an hour about nothing", "My mum called again. An hour about nothing."),
    ("my sister keeps sending me memes at 6am", "my sister sent me memes at 6am again",
     "My sister and her 6am memes..."),
    ("traffic was a nightmare this morning", "Traffic was a nightmare this morning.",
     "the traffic this morning, what a nightmare"),
    ("the gym was packed tonight", "Gym was packed tonight.", "gym was packed again tonight"),
    ("can't decide what to cook for dinner", "Can't decide what to cook for dinner.",
     "no idea what to cook for dinner again"),
    ("another day, another pile of emails", "Another day, another pile of emails.",
     "another pile of emails today"),
    ("finally Friday!!", "Finally Friday.", "finally friday"),
    ("the weekend went way too fast", "The weekend went way too fast.", "weekend went too fast again"),
    ("the wifi keeps dropping", "The wifi keeps dropping!", "wifi keeps dropping again"),
    ("I need a holiday", "I need a holiday.", "i really need a holiday"),
    ("my boss moved the deadline up again", "My boss moved the deadline up again.",
     "boss moved the deadline again"),
    ("the flat is freezing, the heating broke again", "Flat is freezing, heating broke again.",
     "heating broke again, the flat is freezing"),
    ("home at last, what a day", "Home at last. What a day.", "home at last"),
    ("stuck in another meeting that could've been an email",
     "Another meeting that could've been an email.", "stuck in another pointless meeting"),
    ("the {species} woke me up at 5am again", "The {species} woke me up at 5am AGAIN.",
     "{species} woke me up at 5am again"),
)
PET_LINE = len(SMALL_TALK) - 1

FILLER = (  # (request, the assistant's reply) over the same fill values
    ("Can you suggest a quick recipe with {ingredient}?",
     "Try a one-pan {ingredient} traybake with garlic, lemon and herbs; about thirty minutes."),
    ("How many {unit} are in a {unit2}?", "Here's the conversion from {unit2} to {unit}, "
     "with a rule of thumb you can remember."),
    ("What's a good {genre} film to watch tonight?", "For a {genre} night, here are three picks "
     "with short blurbs so you can choose."),
    ("Help me write a polite email to {who} about {topic}.", "Here's a short, friendly draft to "
     "{who} about {topic}; adjust the dates as needed."),
    ("What's the difference between {a} and {b} again?", "In short: {a} and {b} differ in a "
     "couple of key ways, summarised below."),
    ("I watched {show} last night, the ending was wild.", "No spoilers from me! Did you see the "
     "twist with {show} coming?"),
    ("Any tips for {task}?", "A few tips for {task}: start small, be consistent, and keep it "
     "simple."),
    ("Planning a trip to {place} in the autumn, what should I pack?", "For {place} in autumn: "
     "layers, a waterproof jacket and comfortable walking shoes."),
    ("Just finished reading {book}; can you recommend something similar?", "If you liked "
     "{book}, here are three books in a similar vein."),
    ("Can you remind me how to {how}?", "Sure, here's how to {how}, step by step."),
    ("What's a nice gift for {who2} under 30 euros?", "Gift ideas for {who2} on a budget: "
     "something small, useful and a little personal."),
    ("Is it normal for {plant} leaves to turn yellow?", "Yellow {plant} leaves usually mean "
     "too much water or too little light."),
    ("Give me three ideas for {occasion}.", "Three ideas for {occasion}, from low-effort to "
     "ambitious."),
    ("How long should I boil {ingredient}?", "It depends on the size, but {ingredient} usually "
     "needs a few minutes; test as you go."),
    ("Explain {concept} like I'm five.", "Here's {concept} with a simple everyday comparison."),
)
FILL = {
    "ingredient": ("leeks", "chickpeas", "salmon", "sweet potatoes", "tofu", "spinach", "lentils",
                   "eggs", "halloumi", "cauliflower", "rice noodles", "aubergine"),
    "unit": ("millilitres", "ounces", "grams", "teaspoons", "inches", "cups"),
    "unit2": ("pint", "pound", "tablespoon", "litre", "foot", "kilogram"),
    "genre": ("sci-fi", "comedy", "documentary", "thriller", "animated", "romance"),
    "who": ("my landlord", "a client", "the school", "my team", "the gym", "our neighbours"),
    "topic": ("a late payment", "a schedule change", "the broken heating", "a refund",
              "the noise at night", "next week's plan"),
    "a": ("baking soda", "weather", "affect", "a virus", "an alligator", "latitude"),
    "b": ("baking powder", "climate", "effect", "bacteria", "a crocodile", "longitude"),
    "show": ("that new detective series", "the cooking competition", "a nature documentary",
             "the space drama everyone talks about", "an old sitcom rerun"),
    "task": ("falling asleep faster", "cleaning a cast-iron pan", "public speaking",
             "keeping basil alive", "packing light", "staying focused in the afternoon"),
    "place": ("Iceland", "Morocco", "Vienna", "the Scottish Highlands", "Sardinia", "Kyoto"),
    "book": ("a thriller about a missing painter", "a memoir by a chef", "a fantasy trilogy",
             "a book about habits", "a short-story collection"),
    "how": ("reset my router", "descale a kettle", "change a bike tyre", "freeze fresh herbs",
            "take a screenshot on my laptop", "fold a fitted sheet"),
    "who2": ("a colleague who's leaving", "my neighbour", "a friend who likes tea",
             "a ten-year-old", "someone who has everything"),
    "plant": ("monstera", "basil", "fiddle-leaf fig", "pothos", "orchid"),
    "occasion": ("a rainy Sunday", "a picnic", "a team lunch", "a cheap date", "a kid's party"),
    "concept": ("inflation", "compound interest", "how vaccines work", "black holes",
                "how a mortgage works"),
}
LEADS = ("", "", "", "", "", "Oh, by the way: ", "Random thought: ", "Btw: ", "Quick one: ",
         "Update: ")  # about half the facts get a lead-in, half a follow-up
TAILS = ("", "", "", "", "", " Anyway, can you help me plan meals for the week?",
         " Anyway, what's the weather looking like tomorrow?", " Anyway, any podcast tips?",
         " Anyway, remind me to call the dentist.", " Anyway, how was your day?")
USERS = (("maya", "Maya"), ("jonas", "Jonas"), ("priya", "Priya"), ("tomas", "Tomás"),
         ("aiko", "Aiko"), ("femi", "Femi"), ("lena", "Lena"), ("marco", "Marco"),
         ("sofia", "Sofía"), ("dev", "Dev"), ("ingrid", "Ingrid"), ("kwame", "Kwame"),
         ("rhea", "Rhea"), ("owen", "Owen"), ("yuki", "Yuki"), ("bruno", "Bruno"))


# ---- generator ---------------------------------------------------------------------------------


def _fill(rng: random.Random) -> tuple[str, str]:
    """A request to the assistant and its reply."""
    vals = {k: rng.choice(v) for k, v in FILL.items()}
    ask, reply = rng.choice(FILLER)
    return _tidy(ask.format(**vals)), _tidy(reply.format(**vals))


def _tidy(text: str) -> str:
    """Capitalised, with "an" before a vowel."""
    text = re.sub(r"\b([Aa]) ([aeiouAEIOU])", r"\1n \2", text)
    return text[:1].upper() + text[1:]


def _embed(rng: random.Random, stmt: str) -> str:
    """A fact inside an ordinary turn: sometimes a lead-in, sometimes a follow-up request."""
    lead, tail = rng.choice(LEADS), rng.choice(TAILS)
    return f"{lead}{_tidy(stmt)}{tail}"


def _other_values(rng: random.Random) -> dict[str, str]:
    vals: dict[str, str] = {"name": rng.choice(FIRST), "city": rng.choice(CITIES)}
    for slot in ("job", "pet", "language", "allergy", "diet", "car"):
        vals.update(rng.choice(SLOT_BY_NAME[slot].values))
    vals["date"] = rng.choice(SLOT_BY_NAME["birthday"].values)["date"]
    vals["rel"] = rng.choice(("sister", "brother", "mum", "dad"))
    return vals


def _user(seed: int, index: int, density: float) -> UserData:
    uid, name = USERS[index]
    rng = random.Random(f"longhorizon:{seed}:{uid}")
    day_at = lambda d, h, m: START + timedelta(days=d, hours=h, minutes=m)  # noqa: E731
    sessions: list[Session] = []

    def new_session(day: int) -> Session:
        s = Session(uid, "", day, day_at(day, rng.randint(7, 21), rng.randint(0, 59)))
        sessions.append(s)
        return s

    for day in range(DAYS):
        if rng.random() < 0.55 * density:
            new_session(day)
        if rng.random() < 0.08 * density:
            new_session(day)

    def session_on(lo: int, hi: int) -> Session:
        pool = [s for s in sessions if lo <= s.day <= hi]
        return rng.choice(pool) if pool else new_session(rng.randint(lo, hi))

    # facts: 12-14 slots, ~30% of the updatable ones updated 3-7 weeks later
    slots = rng.sample(SLOTS, rng.randint(12, 14))
    updatable = [s for s in slots if s.update]
    n_upd = min(len(updatable), max(1, round(0.3 * len(slots))))
    updated = {s.name for s in rng.sample(updatable, n_upd)}
    # id(session) -> (kind, text, slot | small-talk line | None)
    planned: dict[int, list[tuple[str, str, str | None]]] = defaultdict(list)
    by_id: dict[int, Session] = {}
    facts: dict[str, dict[str, str]] = {}
    asks: list[tuple[Slot, dict[str, str], int, int, int]] = []  # slot, value, first, gold, stale
    for slot in slots:
        value = rng.choice(slot.values)
        if slot.name in updated:
            first = session_on(3, 28)
            new = rng.choice([v for v in slot.values if v != value])
            second = session_on(max(first.day + 21, 35), 56)
            planned[id(first)].append(("fact", _embed(rng, rng.choice(slot.state).format(**value)),
                                       slot.name))
            planned[id(second)].append(("update", _embed(rng, rng.choice(slot.update).format(**new)),
                                        slot.name))
            by_id[id(first)], by_id[id(second)] = first, second
            facts[slot.name] = new
            asks.append((slot, new, second.day, id(second), id(first)))
        else:
            first = session_on(7, 49)
            planned[id(first)].append(("fact", _embed(rng, rng.choice(slot.state).format(**value)),
                                       slot.name))
            by_id[id(first)] = first
            facts[slot.name] = value
            asks.append((slot, value, first.day, id(first), 0))
    for _ in range(rng.randint(5, 7)):  # other people's facts, any time
        s = session_on(2, DAYS - 1)
        planned[id(s)].append(("other", _tidy(rng.choice(OTHER).format(**_other_values(rng))),
                               None))

    # recurring small talk: six lines, each 20-35 times (fewer under a low density)
    pool = [i for i in range(len(SMALL_TALK)) if i != PET_LINE or "pet" in facts]
    species = facts.get("pet", {}).get("species", "dog")
    talk = rng.sample(pool, 6)
    if "pet" in facts and PET_LINE not in talk and rng.random() < 0.7:
        talk[-1] = PET_LINE
    sessions.sort(key=lambda s: s.at)
    for line in talk:
        n = min(len(sessions), max(2, round(rng.randint(20, 35) * density)))
        for s in rng.sample(sessions, n):
            variant = rng.choices(SMALL_TALK[line], weights=(6, 2, 2))[0]
            planned[id(s)].append(("smalltalk", variant.format(species=species), f"talk:{line}"))

    # write the sessions: planned items, filler up to 3-7 user turns, assistant replies
    turn_no = 0
    slot_turn: dict[tuple[int, str], str] = {}
    for n, s in enumerate(sessions, start=1):
        s.id = f"{uid}-s{n:03d}"
        items = planned.get(id(s), [])
        n_fill = max(0, rng.randint(3, 7) - len(items)) if items else rng.randint(2, 5)
        items += [("filler", *_fill(rng)) for _ in range(n_fill)]
        rng.shuffle(items)
        at = s.at
        for kind, text, extra in items:
            turn_no += 1
            slot_name = extra if kind != "filler" else None
            t = Turn(f"{uid}#{turn_no:04d}", uid, name, text, at, s.id, kind, slot_name)
            s.turns.append(t)
            if kind in ("fact", "update"):
                slot_turn[(id(s), slot_name)] = t.id
            if kind == "filler" and rng.random() < 0.7:  # the assistant's answer is kept too
                turn_no += 1
                s.turns.append(Turn(f"{uid}#{turn_no:04d}", uid, ASSISTANT, extra,
                                    at + timedelta(seconds=40), s.id, "assistant"))
            at += timedelta(minutes=rng.randint(1, 4))

    # questions: 2-8 weeks after the (current) fact, in sittings during the last four weeks
    sitting_days = sorted(rng.sample(range(QUESTION_DAY, DAYS), 6))
    sitting_at: dict[int, datetime] = {}
    questions = []
    for slot, value, day, gold_sid, stale_sid in asks:
        lo, hi = max(QUESTION_DAY, day + 14), min(DAYS - 1, day + 56)
        days = [d for d in sitting_days if lo <= d <= hi] or [rng.randint(lo, hi)]
        qday = rng.choice(days)
        if qday not in sitting_at:
            sitting_at[qday] = day_at(qday, rng.randint(8, 21), 0)
        gold = slot_turn[(gold_sid, slot.name)]
        stale = slot_turn[(stale_sid, slot.name)] if stale_sid else None
        questions.append((qday, rng.random(), slot, value, gold, stale, by_id[gold_sid]))
    questions.sort(key=lambda q: (q[0], q[1]))
    out: list[Question] = []
    seen_day: dict[int, int] = defaultdict(int)
    for qday, _, slot, value, gold, stale, sess in questions:
        at = sitting_at[qday] + timedelta(minutes=2 * seen_day[qday])
        seen_day[qday] += 1
        fact_at = next(t.at for t in sess.turns if t.id == gold)
        out.append(Question(f"{uid}-q{len(out) + 1:02d}", uid,
                            rng.choice(slot.ask).format(**value), at, slot.name, gold, stale,
                            fact_at))
    return UserData(uid, name, sessions, out, facts)


def generate(seed: int = SEED, users: int = N_USERS, *, density: float = 1.0) -> Dataset:
    """The data set: `users` users (at most 16), deterministic in `seed`. The first n users are
    the same whatever `users` is, so a quick run is a subset of the full one. `density` < 1 thins
    sessions and small talk (tests)."""
    if not 1 <= users <= len(USERS):
        raise ValueError(f"users must be 1..{len(USERS)}")
    data = [_user(seed, i, density) for i in range(users)]
    return Dataset(seed, data, START + timedelta(days=QUESTION_DAY, hours=3))


# ---- scoring -----------------------------------------------------------------------------------


def rank_of(turn: str | None, items: Sequence[set[str]], k: int = K) -> int | None:
    """1-based rank of the first of the top-k items that holds `turn`, None when none does."""
    if turn is None:
        return None
    for r, item in enumerate(items[:k], start=1):
        if turn in item:
            return r
    return None


def latest_beats_stale(current: str, stale: str, items: Sequence[set[str]], k: int = K) -> bool:
    """The first item holding either turn holds the current one (an item holding both counts as
    current); False when neither is in the top k."""
    for item in items[:k]:
        if current in item:
            return True
        if stale in item:
            return False
    return False


def score(data: Dataset, ranked: dict[str, list[set[str]]]) -> dict[str, Any]:
    """Per-system summary from {question id: ranked items (sets of turn ids)}."""
    turns = data.turns()
    owner = {t: v.user for t, v in turns.items()}
    n = upd = 0
    sums: dict[str, float] = defaultdict(float)
    for q in data.questions:
        items = ranked.get(q.id)
        if items is None:
            continue
        n += 1
        r = rank_of(q.gold, items)
        sums["r5"] += r is not None and r <= 5
        sums["r10"] += r is not None
        sums["mrr"] += 1.0 / r if r else 0.0
        top5 = [[turns[t].kind for t in i if t in turns] for i in items[:5] if i]
        sums["talk5"] += (sum(bool(i) and all(k == "smalltalk" for k in i) for i in top5)
                          / len(top5)) if top5 else 0.0
        sums["foreign"] += sum(1 for i in items for t in i if owner.get(t, q.user) != q.user)
        if q.stale is not None:
            upd += 1
            sums["lbs"] += latest_beats_stale(q.gold, q.stale, items)
            sums["upd_r5"] += r is not None and r <= 5
            rs = rank_of(q.stale, items, 5)
            sums["stale5"] += rs is not None and (r is None or rs < r)
    if not n:
        return {"n": 0}
    return {"n": n, "n_updated": upd, "recall@5": sums["r5"] / n, "recall@10": sums["r10"] / n,
            "mrr": sums["mrr"] / n, "smalltalk_top5": sums["talk5"] / n,
            "latest_beats_stale": sums["lbs"] / upd if upd else float("nan"),
            "updated_recall@5": sums["upd_r5"] / upd if upd else float("nan"),
            "stale_above_current@5": sums["stale5"] / upd if upd else float("nan"),
            "tenancy_violations": int(sums["foreign"])}


# ---- systems -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    """One question with what a baseline may search: the user's turns said before it."""

    user: UserData
    turns: list[Turn]  # the user's turns by time; the first `cut` were said before the question
    question: Question
    qvec: Any
    vectors: Any  # the vectors of `turns[:cut]`
    bm25: Any  # a BM25 index of `turns[:cut]`, shared by the questions asked at one cut
    cut: int
    new_cut: bool  # the first question asked at this cut


def asked_questions(data: Dataset, emb: Any) -> Iterator[Asked]:
    """Every question, user by user, with the turns said before it (each user's turns and
    questions encoded once; one BM25 index per distinct cut)."""
    from benchmarks.locomo_recall import _bm25

    for u in data.users:
        turns = sorted(u.turns, key=lambda t: t.at)
        stamps = [t.at for t in turns]
        texts = [t.indexed for t in turns]
        mat = emb.embed(texts)
        qvecs = emb.embed([q.text for q in u.questions])
        indexes: dict[int, Any] = {}
        for q, qv in zip(u.questions, qvecs, strict=True):
            cut = bisect.bisect_left(stamps, q.at)
            new_cut = cut not in indexes
            if new_cut:
                indexes[cut] = _bm25(texts[:cut])
            yield Asked(u, turns, q, qv, mat[:cut], indexes[cut], cut, new_cut)


def run_baselines(data: Dataset, emb: Any, k: int = K) -> dict[str, dict[str, list[set[str]]]]:
    """Flat cosine, BM25 and their RRF fusion over each user's turns said before the question."""
    import numpy as np

    from benchmarks.locomo_recall import _bm25_rank, _rrf
    from benchmarks.systems import flat

    out: dict[str, dict[str, list[set[str]]]] = {"flat": {}, "bm25": {}, "hybrid": {}}
    for a in asked_questions(data, emb):
        dense = flat.rank_ids(np.ascontiguousarray(a.vectors), a.qvec, 100)
        sparse = _bm25_rank(a.bm25, a.question.text, 100, a.cut)
        for name, ids in (("flat", dense), ("bm25", sparse), ("hybrid", _rrf(sparse, dense))):
            out[name][a.question.id] = [{a.turns[i].id} for i in ids[:k]]
    return out


def run_mem0(data: Dataset, k: int = K) -> tuple[dict[str, list[set[str]]], dict[str, Any]]:
    """mem0 through its worker: per user, the turns up to each sitting, then its questions."""
    from benchmarks.systems import mem0 as mem0_sys

    entries, order = [], []
    for u in data.users:
        turns = sorted(u.turns, key=lambda t: t.at)
        stamps = [t.at for t in turns]
        done = 0
        for q in u.questions:
            cut = bisect.bisect_left(stamps, q.at)
            if not entries or entries[-1]["user_id"] != u.uid or cut > done:
                entries.append({"user_id": u.uid, "turns": [[t.id, t.indexed]
                                                           for t in turns[done:cut]],
                                "questions": []})
                done = max(done, cut)
            entries[-1]["questions"].append(q.text)
            order.append(q)
    ranked, meta = mem0_sys.run_entries(entries, k=k)
    out: dict[str, list[set[str]]] = {}
    pos: dict[str, int] = defaultdict(int)
    for q in order:
        out[q.id] = ranked[q.user][pos[q.user]]
        pos[q.user] += 1
    return out, meta


def run_zenbrain(data: Dataset, emb: Any, *, sleep: bool = True, k: int = K,
                 progress: Callable[[], None] | None = None,
                 ask: Callable[[Any, Question, dict[str, set[str]]], None] | None = None
                 ) -> dict[str, Any]:
    """{"zenbrain": {qid: items}, "zenbrain+sleep": {...} (when `sleep`), "info": {...}}.

    `ask(brain, question, dia)`, when given, is called for each question instead of its
    `recall` (another benchmark's reads at the question's time; `dia` maps memory ids to the
    turns they were written from); the answers are then left empty."""
    from benchmarks.locomo_recall import _dia_of
    from zenbrain import Brain

    events = data.events()
    before = [e for e in events if e[0] < data.branch_at]
    after = [e for e in events if e[0] >= data.branch_at]
    info: dict[str, Any] = {"traffic_recalls": 0, "ingest_s": 0.0, "traffic_s": 0.0,
                            "questions_s": 0.0, "tenancy_violations": 0}
    out: dict[str, Any] = {"info": info}

    def replay(brain: Any, evs: Iterable[tuple[datetime, str, Any]], dia: dict[str, set[str]],
               answers: dict[str, list[set[str]]] | None) -> None:
        for _, kind, obj in evs:
            if kind == "session":
                t0 = time.perf_counter()
                for t in obj.turns:
                    if t.speaker != ASSISTANT:
                        brain.recall(t.text, user_id=t.user, k=k, at=t.at)
                        info["traffic_recalls"] += 1
                t1 = time.perf_counter()
                mems = brain.remember_many(
                    [{"text": t.text, "speaker": t.speaker, "at": t.at} for t in obj.turns],
                    user_id=obj.user, session_id=obj.id)
                for t, m in zip(obj.turns, mems, strict=True):
                    dia[m.id].add(t.id)
                info["traffic_s"] += t1 - t0
                info["ingest_s"] += time.perf_counter() - t1
                if progress is not None:
                    progress()
            else:
                t0 = time.perf_counter()
                for q in obj:
                    if ask is not None:
                        ask(brain, q, dia)
                        continue
                    recs = brain.recall(q.text, user_id=q.user, k=k, at=q.at)
                    info["tenancy_violations"] += sum(r.memory.user_id != q.user for r in recs)
                    if answers is not None:
                        answers[q.id] = [_dia_of(r, dia, brain._store) for r in recs]
                info["questions_s"] += time.perf_counter() - t0

    with tempfile.TemporaryDirectory(prefix="zb-longhorizon-") as tmp:
        home = Path(tmp) / "brain"
        dia: dict[str, set[str]] = defaultdict(set)
        with Brain(home, embedder=emb) as brain:
            replay(brain, before, dia, None)
            info["memories_at_branch"] = brain.stats()["active"]
        variants = [("zenbrain", home)]
        if sleep:
            shutil.copytree(home, Path(tmp) / "slept")
            variants.append(("zenbrain+sleep", Path(tmp) / "slept"))
        for name, path in variants:
            answers: dict[str, list[set[str]]] = {}
            mine = defaultdict(set, {m: set(ts) for m, ts in dia.items()})
            with Brain(path, embedder=emb) as brain:
                if name == "zenbrain+sleep":
                    t0 = time.perf_counter()
                    created = archived = 0
                    for u in data.users:
                        report = brain.sleep(u.uid, now=data.branch_at)
                        created += len(report.semantic_created) + len(report.semantic_updated)
                        archived += len(report.archived_ids)
                    info.update(sleep_s=time.perf_counter() - t0, consolidated=created,
                                archived=archived)
                replay(brain, after, mine, answers)
                info[f"memories_{name}"] = brain.stats()["active"]
            out[name] = answers
    return out


# ---- the run -----------------------------------------------------------------------------------


def describe(data: Dataset) -> dict[str, Any]:
    turns = [t for u in data.users for t in u.turns]
    kinds: dict[str, int] = defaultdict(int)
    for t in turns:
        kinds[t.kind] += 1
    gaps = [(q.at - q.fact_at).days for q in data.questions]
    repeats = [c for u in data.users for c in _repeat_counts(u).values()]
    return {"seed": data.seed, "users": len(data.users),
            "sessions": sum(len(u.sessions) for u in data.users), "turns": len(turns),
            "kinds": dict(kinds), "questions": len(data.questions),
            "updated": sum(q.stale is not None for q in data.questions),
            "gap_days": [min(gaps), round(sum(gaps) / len(gaps)), max(gaps)] if gaps else [],
            "smalltalk_repeats": [min(repeats), max(repeats)] if repeats else [],
            "days": DAYS}


def _repeat_counts(u: UserData) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for t in u.turns:
        if t.kind == "smalltalk":
            out[t.slot or ""] += 1
    return out


def run(*, quick: bool = False, users: int | None = None, density: float = 1.0,
        seed: int = SEED, use_mem0: bool = True, sleep: bool = True, embedder: Any = None,
        write: bool = True, doc: Path | None = None, command: str | None = None) -> dict[str, Any]:
    """Generate, run every system, score; saves `benchmarks/results/longhorizon.json` and the
    "longhorizon" section of docs/BENCHMARKS.md when `write`."""
    from rich.progress import Progress

    from benchmarks.locomo_recall import CachingEmbedder
    from benchmarks.systems import mem0 as mem0_sys

    n_users = users or (QUICK_USERS if quick else N_USERS)
    t_all = time.perf_counter()
    data = generate(seed, n_users, density=density)
    if embedder is None:
        from zenbrain.embeddings import make_embedder

        embedder = make_embedder("minilm", device="cpu")
    emb = embedder if isinstance(embedder, CachingEmbedder) else CachingEmbedder(embedder)
    info: dict[str, Any] = {"data": describe(data), "timing_s": {}}
    notes: list[str] = []
    t0 = time.perf_counter()
    all_turns = [t for u in data.users for t in u.turns]
    emb.embed([t.text for t in all_turns] + [t.indexed for t in all_turns]
              + [q.text for q in data.questions])
    info["timing_s"]["encode_all"] = time.perf_counter() - t0
    ranked: dict[str, dict[str, list[set[str]]]] = {}
    t0 = time.perf_counter()
    ranked.update(run_baselines(data, emb))
    info["timing_s"]["baselines"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with Progress(transient=True) as bar:
        n_sessions = sum(len(u.sessions) for u in data.users)
        after = sum(1 for e in data.events() if e[1] == "session" and e[0] >= data.branch_at)
        task = bar.add_task("longhorizon: ZenBrain replay",
                            total=n_sessions + (after if sleep else 0))
        res = run_zenbrain(data, emb, sleep=sleep, progress=lambda: bar.advance(task))
    info["timing_s"]["zenbrain"] = time.perf_counter() - t0
    info["zenbrain"] = res.pop("info")
    ranked.update(res)
    if use_mem0:
        ok, why = mem0_sys.available()
        if ok:
            print("longhorizon: mem0 in .venv-mem0 …", file=sys.stderr)
            t0 = time.perf_counter()
            ranked["mem0"], info["mem0"] = run_mem0(data)
            info["timing_s"]["mem0"] = time.perf_counter() - t0
        else:
            notes.append(why)
    else:
        notes.append("mem0 skipped (--no-mem0).")
    if not sleep:
        notes.append("ZenBrain + sleep skipped (--no-sleep).")
    info["timing_s"]["total"] = time.perf_counter() - t_all
    summary = {"systems": {s: score(data, ranked[s]) for s in SYSTEMS if s in ranked},
               "info": info, "notes": notes, "quick": quick or n_users < N_USERS or density < 1}
    if write:
        from benchmarks.report import publish

        detail = {s: {qid: [sorted(i) for i in items] for qid, items in r.items()}
                  for s, r in ranked.items()}
        questions = [{"id": q.id, "user": q.user, "text": q.text, "at": q.at.isoformat(),
                      "slot": q.slot, "gold": q.gold, "stale": q.stale} for q in data.questions]
        publish("longhorizon", {**summary, "questions": questions, "ranked": detail},
                section(summary), doc=doc,
                command=command or "python -m benchmarks run longhorizon"
                + (" --quick" if quick else ""))
    return summary


def section(summary: dict[str, Any]) -> str:
    """The markdown of the "longhorizon" section."""
    systems, info = summary["systems"], summary["info"]
    d = info["data"]
    kinds = d["kinds"]
    lines = [
        "## Long horizon: months of chat, facts said once, questions weeks later", "",
        f"`benchmarks/longhorizon.py`, seed {d['seed']}: {d['users']} user(s) chatting with an "
        f"assistant over {d['days']} days ({d['sessions']} sessions, {d['turns']} turns: "
        f"{kinds.get('smalltalk', 0)} recurring small talk, each line said "
        f"{d['smalltalk_repeats'][0]}–{d['smalltalk_repeats'][1]} times; "
        f"{kinds.get('fact', 0)} facts said once; {kinds.get('update', 0)} updates in other "
        f"words; {kinds.get('other', 0)} facts about other people; {kinds.get('filler', 0)} "
        f"requests; {kinds.get('assistant', 0)} assistant replies). {d['questions']} paraphrased "
        f"questions ({d['updated']} about updated facts), asked {d['gap_days'][0]}–"
        f"{d['gap_days'][2]} days (mean {d['gap_days'][1]}) after the fact, a few at a time "
        "during the last four weeks with more chat between. ZenBrain is used as an agent uses it: "
        "one brain for all users, `recall` on every user turn before it is stored "
        f"({info['zenbrain'].get('traffic_recalls', 0)} recalls of traffic), `remember_many` per "
        "session, each question an ordinary `recall`; \"+ sleep\" ran one `Brain.sleep` per user "
        "the night before the first question day. Baselines index \"Speaker: text\" of the turns "
        "said before each question. Gold is turn-level (a consolidated or versioned memory counts "
        "its source turns)." + (" **Quick or reduced run: indicative only.**"
                                if summary.get("quick") else ""), "",
        "| system | recall@5 | recall@10 | MRR | latest beats stale | recall@5 (updated) | "
        "stale above current @5 | small talk in top 5 | tenancy violations |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in SYSTEMS:
        if s not in systems or not systems[s]["n"]:
            continue
        m = systems[s]
        lines.append(f"| {LABELS[s]} | **{m['recall@5']:.3f}** | {m['recall@10']:.3f} | "
                     f"{m['mrr']:.3f} | **{m['latest_beats_stale']:.3f}** | "
                     f"{m['updated_recall@5']:.3f} | {m['stale_above_current@5']:.3f} | "
                     f"{m['smalltalk_top5']:.3f} | {m['tenancy_violations']} |")
    n, upd = next(((m["n"], m["n_updated"]) for m in systems.values() if m["n"]), (0, 0))
    lines += ["", f"n = {n} questions, {upd} about updated facts. Latest beats stale: the first "
              "of the top 10 items that holds the current or the stale turn holds the current "
              "one (neither in the top 10 is a loss). Small talk in top 5: the mean share of "
              "top-5 items made only of recurring small-talk turns.", ""]
    lines += _verdict(systems)
    t = info["timing_s"]
    zb = info.get("zenbrain", {})
    lines.append(f"- Time: {t.get('total', 0):.0f} s in all (encoding {t.get('encode_all', 0):.0f} "
                 f"s, baselines {t.get('baselines', 0):.0f} s, ZenBrain {t.get('zenbrain', 0):.0f} "
                 f"s: traffic recalls {zb.get('traffic_s', 0):.0f} s, ingest "
                 f"{zb.get('ingest_s', 0):.0f} s, questions {zb.get('questions_s', 0):.0f} s"
                 + (f", sleep {zb['sleep_s']:.0f} s writing {zb['consolidated']} consolidated "
                    f"memories and archiving {zb['archived']}" if "sleep_s" in zb else "") + ").")
    if info.get("mem0"):
        m = info["mem0"]
        lines.append(f"- mem0 {m.get('version')} ({m.get('vector_store')}, local): "
                     f"{m['turns']} adds in {m['add_s']:.0f} s, searches in {m['search_s']:.0f} s.")
    lines += [f"- {note}" for note in summary.get("notes", [])]
    return "\n".join(lines)


def _verdict(systems: dict[str, Any]) -> list[str]:
    out: list[str] = []
    base = [s for s in ("flat", "bm25", "hybrid", "mem0") if s in systems and systems[s]["n"]]
    if "flat" not in base:
        return out
    best = max(base, key=lambda s: systems[s]["recall@5"])
    for s in ("zenbrain", "zenbrain+sleep"):
        if s not in systems or not systems[s]["n"]:
            continue
        r5, flat5 = systems[s]["recall@5"], systems["flat"]["recall@5"]
        lbs = systems[s]["latest_beats_stale"]
        ok = r5 >= 1.10 * flat5 and r5 >= systems[best]["recall@5"] and lbs >= 0.95
        out.append(f"- {LABELS[s]}: recall@5 ×{r5 / max(flat5, 1e-9):.2f} flat cosine, "
                   f"{r5 - systems[best]['recall@5']:+.3f} vs the best baseline ({LABELS[best]}); "
                   f"latest beats stale {lbs:.2f}. Issue 13 target (≥ 1.10× flat, ≥ best "
                   f"baseline, ≥ 0.95): {'met' if ok else '**not met**'}.")
    return out
