"""Deterministic synthetic chat-like memories and questions for the speed benchmark.

Seeded templates over varied vocabularies (names, relations, places, cities, jobs, food, projects,
feelings, dates), so a 100k-memory brain has realistic entity and word statistics without any
data file. The same seed always yields the same texts, timestamps and sessions.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["START", "items", "queries"]

START = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)

_NAMES = ["Alice", "Bruno", "Chiara", "Dmitri", "Elena", "Farah", "Gustavo", "Hana", "Ivan", "Jamal", "Keiko", "Liam", "Mara", "Nikhil", "Olga", "Pedro", "Quinn", "Rosa", "Samir", "Tamsin", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bjorn", "Carmen", "Diego", "Esme", "Felix", "Greta", "Hiro", "Ines", "Jonas", "Kavya", "Lars", "Mei", "Noah", "Oskar", "Priya", "Rafael", "Sofia", "Tobias", "Ulla", "Viktor", "Willa", "Xavier", "Yara", "Zain", "Anouk", "Bastian", "Cleo", "Dario", "Elif", "Fionn", "Gael", "Hedda", "Isak", "Juno"]
_RELATIONS = ["sister", "brother", "mother", "father", "cousin", "aunt", "uncle", "niece", "nephew", "grandmother", "grandfather", "colleague", "neighbour", "roommate", "manager", "friend", "partner", "mentor"]
_CITIES = ["Lisbon", "Porto", "Berlin", "Munich", "Vienna", "Prague", "Krakow", "Oslo", "Bergen", "Helsinki", "Tallinn", "Riga", "Dublin", "Galway", "Edinburgh", "Leeds", "Lyon", "Marseille", "Bologna", "Turin", "Seville", "Valencia", "Bilbao", "Ghent", "Utrecht", "Aarhus", "Malmo", "Zagreb", "Ljubljana", "Athens", "Izmir", "Tbilisi", "Kyoto", "Osaka", "Busan", "Hanoi", "Penang", "Perth", "Hobart", "Auckland", "Montreal", "Halifax", "Denver", "Austin", "Portland", "Oaxaca", "Cusco", "Valparaiso", "Recife", "Nairobi"]
_PLACES = """the climbing gym|the farmers market|the public library|a jazz bar|the botanical garden|
the old harbour|a pottery studio|the night market|the lake trail|a tiny bookshop|the science museum|
the community garden|the ice rink|a ramen place|the rooftop cinema|the dog park|a board game cafe|
the swimming pool|the flea market|the observatory""".replace("\n", "").split("|")
_ACTIVITIES = """go bouldering|try paddle boarding|bake sourdough|learn the ukulele|run a half marathon|
paint watercolours|plant tomatoes|repair the old bike|visit the flea market|practise Spanish|
go birdwatching|build a bookshelf|take a salsa class|start journaling|cook a Thai curry|
hike the ridge trail|knit a scarf|learn to juggle|restore a vintage lamp|go kayaking|play chess online|
volunteer at the shelter|try a pottery class|photograph the sunrise|read a Russian novel""".replace(
    "\n", "").split("|")
_JOBS = """nurse|architect|data analyst|baker|teacher|electrician|translator|pilot|dentist|
carpenter|software engineer|librarian|vet|journalist|chef|park ranger|physiotherapist|
marine biologist|accountant|game designer""".replace("\n", "").split("|")
_FOODS = """miso ramen|shakshuka|pierogi|pad see ew|bibimbap|falafel wraps|mushroom risotto|
pastel de nata|khachapuri|banh mi|lamb tagine|poke bowls|spinach borek|cacio e pepe|tamales|
jollof rice|okonomiyaki|goulash|laksa|empanadas""".replace("\n", "").split("|")
_PROJECTS = """Atlas|Beacon|Cobalt|Driftwood|Ember|Fjord|Granite|Harbor|Juniper|Kestrel|Lumen|
Meridian|Nimbus|Orchard|Pioneer|Quartz|Redwood|Sextant|Tundra|Willow""".replace("\n", "").split("|")
_FEELINGS = """tired|excited|anxious|proud|relieved|grumpy|calm|nervous|grateful|restless|hopeful|
overwhelmed|cheerful|lonely|motivated""".replace("\n", "").split("|")
_GIFTS = """a scarf|a cookbook|concert tickets|a plant|a fountain pen|a jigsaw puzzle|hiking socks|
a mug|a watercolour set|a board game""".replace("\n", "").split("|")
_OPINIONS = """absolutely loved it|too salty for me|would go back tomorrow|a bit overrated|
surprisingly good|the portions were huge|not worth the queue|best I've had in years""".replace(
    "\n", "").split("|")
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

_TEMPLATES = [
    "{n1} and I went to {place} in {city} on {date} and stayed until closing.",
    "My {rel} {n1} just started working as a {job} in {city}.",
    "I'm planning to {act} with {n1} next {wd}, weather permitting.",
    "Reminder: {n1}'s birthday is on {date}, maybe get {gift}.",
    "I tried {food} at a little place in {city} - {opinion}.",
    "Work update: the {proj} project deadline moved to {date}, {n1} is not happy about it.",
    "Feeling {feel} today after the {proj} review with {n1}.",
    "{n1} told me that {n2} is moving to {city} in {month}.",
    "We finally booked the trip to {city} for {month}; {n1} wants to {act} there.",
    "Note to self: I promised {n1} to {act} before the end of {month}.",
    "Had dinner with my {rel} {n1}; we cooked {food} and talked about {city}.",
    "I have a dentist appointment on {date} at {hour}:{minute} near {place}.",
    "{n1} recommended {place} in {city} - apparently great for a rainy {wd}.",
    "My goal this month is to {act} at least three times.",
    "I lent {n1} {gift} and I'd like it back by {date}.",
    "Met {n1}, a {job} from {city}, at {place}; really interesting person.",
    "The {proj} budget meeting with {n1} and {n2} is every {wd} at {hour}:00.",
    "I don't really like {food}; {n1} keeps ordering it anyway.",
    "Spent the {wd} with {n1} at {place}, felt {feel} afterwards.",
    "{n1} is allergic to peanuts, remember that when cooking {food}.",
]

_QUESTIONS = [
    "When is {n1}'s birthday?",
    "What does my {rel} {n1} do for work?",
    "Where did {n1} and I go in {city}?",
    "What did I think of the {food}?",
    "When is the {proj} deadline?",
    "Who is moving to {city}?",
    "What did {n1} recommend in {city}?",
    "What did I promise {n1}?",
    "When is my dentist appointment?",
    "What are my plans with {n1}?",
    "What is {n1} allergic to?",
    "How did I feel after the {proj} review?",
    "Which trip did we book for {month}?",
    "What did I lend to {n1}?",
]


def _fill(template: str, rng: random.Random) -> str:
    day = START + timedelta(days=rng.randrange(0, 730))
    n1, n2 = rng.sample(_NAMES, 2)
    return template.format(
        n1=n1, n2=n2, rel=rng.choice(_RELATIONS), city=rng.choice(_CITIES),
        place=rng.choice(_PLACES), act=rng.choice(_ACTIVITIES), job=rng.choice(_JOBS),
        food=rng.choice(_FOODS), proj=rng.choice(_PROJECTS), feel=rng.choice(_FEELINGS),
        gift=rng.choice(_GIFTS), opinion=rng.choice(_OPINIONS), wd=rng.choice(_WEEKDAYS),
        month=rng.choice(_MONTHS), date=f"{day:%B} {day.day}", hour=rng.randrange(7, 20),
        minute=rng.choice(["00", "15", "30", "45"]),
    )


def items(n: int, *, seed: int = 7, session_len: int = 25) -> list[dict[str, Any]]:
    """`n` memories for one user: text, speaker (80% user), `at` (17 min apart), session id."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        out.append({
            "text": _fill(rng.choice(_TEMPLATES), rng),
            "speaker": "user" if rng.random() < 0.8 else "assistant",
            "at": START + timedelta(minutes=17 * i),
            "session_id": f"s{i // session_len}",
        })
    return out


def queries(n: int, *, seed: int = 11) -> list[str]:
    """`n` chat-style questions over the same vocabularies (deterministic)."""
    rng = random.Random(seed)
    return [_fill(rng.choice(_QUESTIONS), rng) for _ in range(n)]
