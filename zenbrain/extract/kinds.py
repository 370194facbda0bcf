"""Kinds of memories and classes of queries, decided by English cue rules (SPEC §3 routing, §5.1 step 4,
§5.2 step 2).

`classify_kind` names what a piece of text is (a procedure, a preference, a plan, ...); the helper
predicates answer the narrower questions the write path asks (is it shaped like steps, is it an
assistant's commitment, is it a stable statement about the user). `classify_query` sorts a recall
query into temporal, procedural, factual or general. The rules are deterministic and offline; they
never read a clock and never call a model.
"""

from __future__ import annotations

import re

from zenbrain.extract import entities, facts, timeexpr
from zenbrain.extract.text import clean

__all__ = [
    "KINDS",
    "QUERY_TYPES",
    "classify_kind",
    "classify_query",
    "is_commitment",
    "is_core_candidate",
    "is_past_tense",
    "is_procedure",
]


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


KINDS: tuple[str, ...] = (
    "message",
    "event",
    "fact",
    "preference",
    "plan",
    "procedure",
    "summary",
    "profile",
    "note",
)
QUERY_TYPES: tuple[str, ...] = ("temporal", "procedural", "factual", "general")

_I = re.IGNORECASE

# ---- procedures ------------------------------------------------------------------------------

_NUMBERED = re.compile(r"(?:^|[\s:;,?!(])(\d{1,2})[.)]\s+\S")
_STEP_WORD = re.compile(r"\bstep\s+(?:1|one)\b", _I)
_HOW_TO_START = re.compile(r"^\W*how\s+to\s+\w+", _I)
_FIRST = re.compile(r"(?<!\bat )(?<!\bthe )\bfirst(?:ly)?\b(?!\s+time)", _I)
_THEN = re.compile(r"\bthen\b", _I)
_LATER = re.compile(r"\b(?:finally|lastly|after that|afterwards|next|last of all)\b", _I)
_BULLET = re.compile(r"(?m)^\s*(?:[-*\u2022]|\d{1,2}[.)])\s+\S")

# ---- commitments, plans and core statements --------------------------------------------------

_COMMIT = re.compile(
    r"\b(?:i'll|i will|i shall|i'm going to|i am going to|let me)\s+"
    r"(?:also\s+|definitely\s+|certainly\s+|make sure to\s+|be sure to\s+)?"
    r"(?!be\b|not\b|never\b|need\b|have\b|try\b|remember\b|keep\b|note\b|think\b|see\b|know\b|explain\b)"
    r"[a-z]+",
    _I,
)
_PLAN = re.compile(
    r"\b(?:i'll|i will|i shall|we'll|we will|i'm going to|i am going to|we're going to|i'm gonna|"
    r"i plan to|i'm planning to|i am planning to|i intend to|i want to|i need to|i have to|i must|"
    r"remind me|don't forget to|do not forget to|i should|my plan is|my goal is|to-?do:?)\b",
    _I,
)
_CORE = re.compile(
    r"\b(?:my name is|my name's|call me|i go by|i always|i never|i usually|i'm allergic|"
    r"i am allergic|i'm intolerant|i am intolerant|i'm (?:lactose|gluten) intolerant|"
    r"i am (?:lactose|gluten) intolerant|i(?:'m| am)(?: a)? (?:vegetarian|vegan|pescatarian)|"
    r"i don't eat|i do not eat|my birthday is|i was born (?:on|in)|my pronouns are|"
    r"i(?:'m| am) a (?:non-)?smoker)\b",
    _I,
)
_HABIT_VERB = re.compile(r"\bi (?:always|never|usually)\s+(?P<verb>[a-z']+)", _I)

# ---- preferences, profile statements, facts ------------------------------------------------

_PREFERENCE = re.compile(
    r"\b(?:like|likes|liked|love|loves|loved|enjoy|enjoys|enjoyed|adore|adores|hate|hates|hated|"
    r"dislike|dislikes|disliked|prefer|prefers|preferred|favou?rite|can't stand|cannot stand|"
    r"can't stand|fond of|fan of|into)\b",
    _I,
)
# "like" is also a preposition ("it looks like rain"); only count it after a subject.
_LIKE_AS_VERB = re.compile(
    r"\b(?:i|we|you|they|he|she|[A-Z][a-z]+)\s+(?:really\s+|also\s+|just\s+|do\s+|don't\s+|"
    r"do not\s+|doesn't\s+|never\s+|still\s+)?(?:like|likes|liked)\b"
)
_NOT_LIKE = re.compile(r"\b(?:like|likes|liked|into)\b", _I)
_PROFILE = re.compile(
    r"\b(?:my name is|my name's|call me|i go by|i(?:'m| am) \d{1,3}(?: years old)?\b|"
    r"i(?:'m| am) (?:a|an) (?!bit\b|little\b|lot\b|tad\b|huge\b|big\b|fan\b)[a-z-]+|i work as|my job is|my pronouns are|i was born|"
    r"my birthday is|i(?:'m| am) from)\b",
    _I,
)
_COPULAR = re.compile(
    r"^\W*(?:the |my |our |his |her |their )?(?P<subj>[A-Za-z][\w'-]*(?:\s+[\w'-]+){0,3}?)\s+"
    r"(?:is|are|isn't|aren't|is not|are not|has|have)\s+(?:a|an|the|my|not|one of)?\s*\w+",
    _I,
)
_NON_ENTITY_SUBJECT = _words(
    "i you he she it we they this that there these those here what who where when why how which "
    "everything something nothing everyone someone anyone weather it's"
)

# ---- tense ---------------------------------------------------------------------------------

_IRREGULAR_PAST = _words("""was were had did went came took saw met got made ate drank bought brought thought told said
    found gave left felt kept knew lost paid ran sat slept spoke spent stood taught understood won
    wrote broke began chose drove fell flew forgot froze grew heard hid hit hurt led lent lay let
    meant put quit read rode rang rose sang sank shook shot shut sold sent set slid stole struck swam
    swung threw wore woke became caught fought held built burnt dreamt learnt sent tore""")
_NOT_PAST_ED = _words("""need bed red shed seed feed speed indeed weed breed bleed greed proceed succeed exceed
    hundred sacred naked wicked crooked rugged ragged wretched kindred embed tired interested
    excited bored worried scared confused""")
_ADJ_AFTER = _words("""am i'm is are 're be been being feel feels seem seems so very bit little quite too really
    pretty extremely totally super rather""")
_WORD = re.compile(r"[A-Za-z']+")

# ---- queries -------------------------------------------------------------------------------

_Q_TEMPORAL = re.compile(
    r"\b(?:when|ago|what time|what day|what date|how long ago|(?:first|last) time|"
    r"(?:last|next|this|past|previous) (?:week|month|year|weekend|time|night|morning|evening|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    _I,
)
_Q_TEMPORAL_WEAK = re.compile(r"\b(?:before|after|since|until|during)\b", _I)
_Q_PROCEDURAL = re.compile(
    r"\b(?:how (?:do|does|did|to|can|could|should|would|would you|should i)|steps?(?: to| for)?|"
    r"set ?up|install(?:ing|ed)?|fix(?:ing)?|configure|instructions?|procedure|guide|recipe|"
    r"walk me through)\b",
    _I,
)
_Q_FACTUAL = re.compile(
    r"\b(?:what(?:'s| is| are| was| were) (?:my|the|her|his|their|our)|what do i|who|whom|whose|"
    r"which|where do i|where does|where is|where are|where did i|do i (?:like|love|hate|prefer|have|"
    r"own|know)|does \w+ (?:like|love|hate|prefer)|favou?rite|name|how old|what kind|what type|"
    r"am i|is my|are my)\b",
    _I,
)


def _check(text: object) -> str:
    if not isinstance(text, str):
        from zenbrain.errors import InvalidInputError

        raise InvalidInputError(f"text must be a str, got {type(text).__name__}")
    return clean(text)


def is_procedure(text: str) -> bool:
    """Tell whether `text` is shaped like a procedure (SPEC §3, rule 1).

    Cues: it starts with "how to ..."; it holds numbered steps 1 and 2 in order ("1. ... 2. ...");
    it mentions "step 1"; it orders actions with "first ..., then ..., finally ..."; or it has at
    least three bullet lines.
    """
    t = _check(text)
    numbers = [int(m.group(1)) for m in _NUMBERED.finditer(t)]
    if 1 in numbers and 2 in numbers[numbers.index(1) + 1 :]:
        return True
    if _STEP_WORD.search(t) or _HOW_TO_START.search(t):
        return True
    first = _FIRST.search(t)
    if (
        first
        and _THEN.search(t, first.end())
        and (_LATER.search(t, first.end()) or len(_THEN.findall(t, first.end())) >= 2)
    ):
        return True
    return len(_BULLET.findall(text)) >= 3


def is_commitment(text: str) -> bool:
    """Tell whether an assistant turn promises a future action ("I'll remind you", "I will send ...").

    Politeness with no action ("I'll be happy to help", "I'll remember that") does not count.
    """
    return _COMMIT.search(_check(text)) is not None


def is_core_candidate(text: str) -> bool:
    """Tell whether `text` is a stable, always-true statement about the user.

    Examples: "my name is Dana", "call me Dee", "I always take the stairs", "I never drink coffee",
    "I am allergic to peanuts", "I'm vegetarian". Questions and habits told in the past tense
    ("I never said that") are not candidates.
    """
    t = _check(text)
    if t.endswith("?") or _CORE.search(t) is None:
        return False
    return not any(_is_past_word(m.group("verb").lower()) for m in _HABIT_VERB.finditer(t))


def _is_past_word(word: str) -> bool:
    if word in _IRREGULAR_PAST:
        return True
    return len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST_ED


def is_past_tense(text: str) -> bool:
    """Tell whether `text` reports something that already happened (irregular past or a verb in -ed).

    A participle after "am/is/feel/so/very" is read as an adjective ("I'm tired"), not as past tense.
    """
    words = [w.lower() for w in _WORD.findall(_check(text))]
    for i, word in enumerate(words):
        if word in _IRREGULAR_PAST:
            return True
        if _is_past_word(word) and (i == 0 or words[i - 1] not in _ADJ_AFTER):
            return True
    return False


def _is_preference(t: str) -> bool:
    for m in _PREFERENCE.finditer(t):
        word = m.group(0).lower()
        if _NOT_LIKE.fullmatch(word) is None:
            return True
        if word.startswith("like") and _LIKE_AS_VERB.search(t):
            return True
    return False


def _is_copular_fact(t: str) -> bool:
    m = _COPULAR.search(t)
    if m is None or t.endswith("?"):
        return False
    return m.group("subj").split()[0].lower() not in _NON_ENTITY_SUBJECT


def classify_kind(text: str, *, speaker: str | None = None) -> str:
    """Return the kind of a memory written from `text` (SPEC §5.1 step 4).

    Order of the rules (the first that fires wins): procedure, profile, preference, plan, fact, event,
    note. A durable first-person fact (`extract.facts`) is a fact even when told in the past
    tense ("I moved to Lisbon", "I joined Globex"). Two changes to the SPEC order are ours: identity and habit statements ("my name is",
    "I am a nurse", "I always ...") are `profile`, and a plan is checked before a fact because a
    triple in a sentence about the future ("I will move to Munich") is not yet true. For the
    assistant (`speaker="assistant"` or "system") first-person statements describe the assistant,
    so only procedure, plan (a commitment), fact, event and note apply.

    Args:
        text: The text to classify.
        speaker: "user", "assistant", "system" or None (treated like the user).

    Returns:
        One of `KINDS` (never "message" or "summary"; the write path sets those itself).
    """
    t = _check(text)
    if not t:
        return "note"
    if is_procedure(text):
        return "procedure"
    machine = speaker in ("assistant", "system")
    if machine:
        if is_commitment(t):
            return "plan"
    else:
        # "I'm a huge fan of jazz" is a preference, not a job; a name is always a profile.
        if (_PROFILE.search(t) or is_core_candidate(t)) and (
            not _is_preference(t) or re.search(r"\bmy name|call me|i go by", t, _I)
        ):
            return "profile"
        if _is_preference(t):
            return "preference"
        if _PLAN.search(t):
            return "plan"
        if facts.extract(t, speaker=speaker):
            return "fact"  # a lasting attribute, even when told as news ("I moved to Lisbon")
    extraction = entities.extract(t, speaker=speaker)
    if extraction.triples or _is_copular_fact(t):
        return "fact"
    if is_past_tense(t) or timeexpr.has_time_expression(t):
        return "event"
    return "note"


def classify_query(text: str) -> str:
    """Sort a recall query into "temporal", "procedural", "factual" or "general" (SPEC §5.2 step 2).

    Strong temporal cues (when, ago, a date or other time expression, first/last time) win first;
    then procedural cues (how do/to, steps, set up, install, fix); then the weak temporal cues
    before/after/since/until; then factual cues (what is my, who, which, where do I, do I like,
    favorite, name). Anything else is general.
    """
    t = _check(text)
    if _Q_TEMPORAL.search(t) or timeexpr.has_time_expression(t):
        return "temporal"
    if _Q_PROCEDURAL.search(t):
        return "procedural"
    if _Q_TEMPORAL_WEAK.search(t):
        return "temporal"
    if _Q_FACTUAL.search(t):
        return "factual"
    return "general"
