"""Questions a user asks about their own lasting attributes, one small set per fact slot.

`zenbrain.recall.profile_route` compares a query's vector with these to tell which slot of
`zenbrain.extract.facts` ("home_city", "employer", …) a question like "Which town am I living
in these days?" asks about. They are the product's own schema in question form, short and plain
on purpose: a paraphrase meets them through the embedding, not through shared words. Only a
question about the asker ("I", "my", "me") is matched: "Where does Caroline live?" is about
someone else, and the slots hold what the user said about themselves.
"""

from __future__ import annotations

import re
from types import MappingProxyType

__all__ = ["SLOT_QUESTIONS", "asks_about_self"]

# slot (or slot family, "pet" for pet:<species>) -> questions that ask for it
SLOT_QUESTIONS = MappingProxyType({
    "name": ("What is my name?", "What am I called?"),
    "age": ("How old am I?", "What is my age?"),
    "birthday": ("When is my birthday?", "What is my date of birth?"),
    "hometown": ("Where am I from?", "Where did I grow up?", "What is my hometown?"),
    "pronouns": ("What are my pronouns?",),
    "home_city": ("Where do I live?", "Which city do I live in?", "Where is my home?"),
    "employer": ("Where do I work?", "Which company do I work for?", "Who is my employer?"),
    "job_title": ("What is my job?", "What do I do for work?", "What is my occupation?"),
    "school": ("Where do I study?", "Which school or university do I go to?"),
    "partner": ("Who is my partner?", "Who am I dating?",
                "Who is my wife, husband, girlfriend or boyfriend?"),
    "diet": ("What diet do I follow?", "Am I vegetarian or vegan?", "What do I eat?"),
    "language_learning": ("Which language am I learning?", "What language am I studying?"),
    "car": ("What car do I drive?", "What kind of car do I have?"),
    "commute": ("How do I commute?", "How do I get to work?", "How do I travel to the office?"),
    "allergy": ("What am I allergic to?", "Do I have any allergies?"),
    "health": ("What health conditions do I have?", "Do I have a medical condition?"),
    "sibling": ("Do I have a brother or sister?", "What is my sibling's name?"),
    "parent": ("Who are my parents?", "What is my mother's name?", "What is my father's name?"),
    "child": ("Do I have children?", "What is my child's name?", "What are my kids called?"),
    "hobby": ("What are my hobbies?", "What do I do in my free time?"),
    "habit": ("What are my habits?", "What do I do every day?"),
    "exercise": ("How do I exercise?", "What is my workout?", "What sport do I do to keep fit?"),
    "usual_order": ("What do I usually drink?", "What is my usual order?",
                    "What coffee do I usually get?"),
    "anniversary": ("When is our anniversary?", "When did we get married?"),
    "team": ("Which team do I support?", "Which sports team am I a fan of?"),
    "dislike": ("What foods do I dislike?", "What can't I stand?"),
    "pet": ("Do I have a pet?", "What is my pet's name?", "What is my dog or cat called?"),
})

_SELF = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|mine|myself|we|our|us)\b", re.IGNORECASE)


def asks_about_self(query: str) -> bool:
    """True when the query is worded in the first person ("Where do I live now?")."""
    return _SELF.search(query) is not None
