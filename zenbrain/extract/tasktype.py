"""Task-type features for the write path (SPEC §5.1 step 4): which kind of work a text belongs to.

`classify_task` counts keyword cues for coding, writing, planning, personal and learning and returns
the class with the most cues (ties go to the earlier class in `TASK_TYPES`), or "other" when no cue
occurs. It is a cheap context feature, not a topic model.
"""

from __future__ import annotations

import re

from zenbrain.errors import InvalidInputError
from zenbrain.extract.text import tokenize

__all__ = ["TASK_TYPES", "classify_task"]


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


TASK_TYPES: tuple[str, ...] = ("coding", "writing", "planning", "personal", "learning", "other")

_CUES: dict[str, frozenset[str]] = {
    "coding": frozenset(
        _words("""code coding bug bugs debug debugging python javascript typescript java rust golang sql
        function functions class method compile compiler deploy deployment api endpoint git github
        commit merge repo repository refactor script stacktrace traceback exception server docker
        kubernetes database query regex test tests pytest unittest library package npm pip install
        linter variable runtime frontend backend css html json yaml programming developer""")
    ),
    "writing": frozenset(
        _words("""write writing essay draft email letter blog post article edit editing proofread
        proofreading story poem paragraph sentence wording tone headline chapter novel manuscript
        copy rewrite rephrase summary summarize grammar typo""")
    ),
    "planning": frozenset(
        _words("""plan planning schedule meeting meetings calendar deadline deadlines trip itinerary agenda
        roadmap book booking appointment remind reminder todo to-do goal goals milestone
        organize organise prepare tomorrow week weekend flight hotel reservation budget""")
    ),
    "personal": frozenset(
        _words("""family cat dog pet vet sister brother mom mum dad mother father wife husband partner
        friend friends birthday health doctor feel feeling felt love home dinner kids child
        son daughter girlfriend boyfriend wedding hobby hobbies allergic vegetarian sick
        therapist gym""")
    ),
    "learning": frozenset(
        _words("""learn learning learned study studying course courses lesson lessons exam exams quiz
        homework tutorial practice understand explain explanation concept lecture class
        university school research paper textbook flashcards vocabulary language""")
    ),
}
_PHRASES: dict[str, re.Pattern[str]] = {
    "coding": re.compile(r"\b(?:pull request|stack trace|unit test|error message|type hint)\b"),
    "learning": re.compile(r"\b(?:how does|what is the difference|teach me)\b"),
}


def classify_task(text: str) -> str:
    """Return the task type of `text`: one of coding, writing, planning, personal, learning, other.

    Raises:
        InvalidInputError: `text` is not a str.
    """
    if not isinstance(text, str):
        raise InvalidInputError(f"text must be a str, got {type(text).__name__}")
    tokens = tokenize(text)
    low = " ".join(tokens)
    best, best_score = "other", 0
    for task in TASK_TYPES[:-1]:
        score = sum(1 for t in tokens if t in _CUES[task])
        phrase = _PHRASES.get(task)
        if phrase is not None:
            score += 2 * len(phrase.findall(low))
        if score > best_score:
            best, best_score = task, score
    return best
