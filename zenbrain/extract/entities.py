"""Rule-based entity and triple extraction for the knowledge graph (SPEC §2.3 and §5.1 step 5).

`extract` finds the user's own statements ("my cat Luna", "I live in Berlin", "I work at Acme",
"my name is Dana", "I love hiking", "my favorite color is blue", "Anna is my sister"), third-person
preferences ("Bob prefers coffee") and capitalised proper-noun spans, and returns them as `Entity`
values plus `Triple`s whose subject is the user (`self`) or a named entity. It is offline,
deterministic and English-only; it does not touch the graph store, which upserts what it returns.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from zenbrain.errors import InvalidInputError
from zenbrain.extract.instructions import looks_like_instruction
from zenbrain.extract.text import clean

__all__ = [
    "ENTITY_TYPES",
    "FUNCTIONAL_RELATIONS",
    "NOT_JOBS",
    "SELF_KEY",
    "Entity",
    "Extraction",
    "Triple",
    "extract",
    "is_functional",
    "normalize_key",
]


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


ENTITY_TYPES: frozenset[str] = frozenset(
    {"person", "pet", "place", "org", "object", "event", "concept", "preference", "self"}
)
SELF_KEY = "self"
# SPEC §2.3: these slots hold a single value per subject at a time; favorite_* is matched by prefix.
FUNCTIONAL_RELATIONS: frozenset[str] = frozenset(
    {"lives_in", "works_at", "job_title", "named", "age_is", "birthday_is", "partner_is"}
)


@dataclass(frozen=True)
class Entity:
    """A graph node candidate.

    Attributes:
        name: Display name as written ("Luna").
        key: `normalize_key(name)`, unique per user ("luna"); "self" for the user.
        type: One of `ENTITY_TYPES`.
    """

    name: str
    key: str
    type: str

    def __post_init__(self) -> None:
        if self.type not in ENTITY_TYPES:
            raise InvalidInputError(
                f"entity type {self.type!r} is not one of {sorted(ENTITY_TYPES)}"
            )


@dataclass(frozen=True)
class Triple:
    """A relation edge candidate: subject -relation-> object.

    Attributes:
        subject_key: Key of the subject entity ("self" for the user).
        relation: snake_case predicate ("has_pet", "lives_in", "favorite_color").
        object_name: Display name of the object; its key is `normalize_key(object_name)`.
        object_type: Entity type of the object.
        functional: True when the relation holds one value per subject (`is_functional`).
    """

    subject_key: str
    relation: str
    object_name: str
    object_type: str
    functional: bool


@dataclass(frozen=True)
class Extraction:
    """What `extract` found: entities (deduplicated by key, first mention first) and triples."""

    entities: tuple[Entity, ...] = ()
    triples: tuple[Triple, ...] = ()


def is_functional(relation: str) -> bool:
    """Tell whether `relation` takes one value per subject (SPEC §2.3, including any favorite_*)."""
    return relation in FUNCTIONAL_RELATIONS or relation.startswith("favorite_")


_KEY_JUNK = re.compile(r"[^\w\s'-]+")


def normalize_key(name: str) -> str:
    """Return the graph key of a name: lower-case, quotes folded, possessive and "the" dropped.

    "The Beatles" -> "beatles", "Luna's" -> "luna", "  New   York " -> "new york".
    """
    key = clean(str(name)).lower()
    key = _KEY_JUNK.sub(" ", key)
    key = " ".join(key.split()).strip("'- ")
    key = re.sub(r"'s$", "", key)
    if key.startswith("the "):
        key = key[4:]
    return key


# ---- vocabularies ----------------------------------------------------------------------------

_PETS = _words(
    "cat dog kitten puppy pet hamster rabbit bunny parrot bird horse pony turtle tortoise fish goldfish snake lizard ferret guinea pig"
)
_PARTNERS = {
    "partner",
    "wife",
    "husband",
    "spouse",
    "boyfriend",
    "girlfriend",
    "fiance",
    "fiancee",
    "fiancé",
    "fiancée",
}
_RELATIVES = {
    "mom": "mother",
    "mum": "mother",
    "mother": "mother",
    "mama": "mother",
    "dad": "father",
    "father": "father",
    "papa": "father",
    "sister": "sister",
    "brother": "brother",
    "son": "son",
    "daughter": "daughter",
    "grandma": "grandmother",
    "grandmother": "grandmother",
    "grandpa": "grandfather",
    "grandfather": "grandfather",
    "aunt": "aunt",
    "uncle": "uncle",
    "cousin": "cousin",
    "niece": "niece",
    "nephew": "nephew",
    "kid": "child",
    "child": "child",
    "baby": "child",
    "friend": "friend",
    "boss": "boss",
    "manager": "manager",
    "colleague": "colleague",
    "coworker": "colleague",
    "co-worker": "colleague",
    "roommate": "roommate",
    "flatmate": "roommate",
    "neighbor": "neighbor",
    "neighbour": "neighbor",
    "teacher": "teacher",
    "doctor": "doctor",
    "therapist": "therapist",
    "dentist": "dentist",
    "mentor": "mentor",
    "coach": "coach",
    "stepmother": "stepmother",
    "stepfather": "stepfather",
    "stepsister": "stepsister",
    "stepbrother": "stepbrother",
}
_OBJECTS = {
    "car",
    "bike",
    "bicycle",
    "boat",
    "laptop",
    "phone",
    "guitar",
    "piano",
    "house",
    "apartment",
}
_ORGS = {
    "company": "works_at",
    "employer": "works_at",
    "startup": "works_at",
    "school": "studies_at",
    "university": "studies_at",
    "college": "studies_at",
    "team": "member_of",
    "club": "member_of",
    "band": "member_of",
}
_PLACES = {"home": "lives_in", "hometown": "from", "city": "lives_in"}
_NOUNS = sorted(
    [*_PETS, *_PARTNERS, *_RELATIVES, *_OBJECTS, *_ORGS, *_PLACES, "best friend"],
    key=len,
    reverse=True,
)
_ADJ = r"(?:little|older|younger|big|baby|new|old|best|late|dear|beloved|lovely|sweet|elder|twin|two|three|step)"
_JOBS = _words("""teacher engineer developer programmer nurse doctor physician designer student lawyer
    accountant architect chef cook writer author journalist scientist researcher professor lecturer
    manager consultant analyst artist musician photographer pilot farmer mechanic electrician
    plumber carpenter pharmacist dentist therapist psychologist surgeon paramedic firefighter
    police officer soldier salesperson cashier waiter waitress barista baker driver librarian
    translator editor entrepreneur founder ceo cto freelancer intern secretary assistant
    administrator veterinarian vet tutor coach trainer economist banker investor actor actress
    singer dancer producer director student retiree""")
# "I'm a die-hard Ajax supporter", "I'm a night owl and a worrier": nouns after "I'm a" that
# end like a job ("-er", "-ist", "-or") and name no job. Shared with `facts`.
NOT_JOBS = _words("""vegetarian vegan pescatarian beginner fan believer smoker non-smoker member owner user
    customer person lover learner reader runner sucker stranger newcomer foreigner parent mother
    father grandmother grandfather brother sister partner supporter follower fanatic
    admirer enthusiast subscriber drinker eater sleeper riser worrier overthinker perfectionist
    procrastinator optimist pessimist introvert extrovert gamer listener watcher viewer voter
    dreamer planner""")
# "I'm a keen gardener" is a hobby far more often than a trade in chat.
_NOT_JOBS_AFTER_AM = NOT_JOBS | {"gardener"}
_DIETS = frozenset({"vegetarian", "vegan", "pescatarian"})
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"

# Capitalised at the start of a sentence without being a name.
_COMMON = _words("""a about above after again against all also although always am an and another any anyone
    anything are around as at back be because been before being below between both but by can
    could did do does doing done down during each either else even ever every everyone everything
    few for from further had has have having he her here hers him his how however i if in into is
    it its just last later let like many maybe me might mine more most much must my myself never
    next no nobody none nor not nothing now of off often oh ok okay on once one only or other our
    out over own perhaps please quite rather really same she should since so some someone
    something sometimes soon still such than thank thanks that the their them then there these
    they this those though through thus to today tomorrow tonight too under until up upon us very
    was we well were what whatever when where whether which while who whom whose why will with
    within without would yes yesterday yet you your yours hello hi hey dear sure great good nice
    first second third finally lastly step remember remind tell note please today's anyway also
    took went got made came saw met had did said told asked gave bought ate drank found felt
    left kept lost paid ran sat slept spent started finished visited called tried moved worked
    lived loved liked hated wanted needed used walked talked played watched learned cooked
    make take get go come see let try use check call buy find give keep put read run send set
    show start stop turn unplug plug wait write add open close click press install reset cool
    awesome wow nope yeah yep yes lol sorry alright perfect exactly indeed absolutely definitely
    oops hmm just maybe sounds sound got went took great fine true false nice glad happy
    ugh meh argh yay omg phew ooh aww welp""")
# Everyday nouns that open a chat sentence ("Headache all day", "Deadline moved", "Yoga helps"):
# alone at the start, such a word names nothing unless the text also writes it capitalised
# further in. Grouped by domain; words, not sentences.
_EVERYDAY = _words("""headache migraine fever cold flu cough knee back neck shoulder stomach tooth teeth
    burnout stress anxiety insomnia sleep nap rest therapy physio surgery appointment checkup
    dentist doctor nurse hospital clinic pharmacy medicine pills vaccine injury diet workout gym
    yoga pilates run running walk hike swim swimming training practice rehearsal lesson lessons
    exam exams homework thesis essay lecture seminar course class classes semester
    deadline deploy release launch meeting meetings standup call calls email emails report
    budget finance sales payroll invoice interview commute office boss colleague team project
    client clients customer investors board conference presentation promotion raise salary
    overtime contract job career shift
    breakfast lunch dinner brunch coffee tea wine beer whisky pizza pasta bread milk cheese
    groceries cake dessert soup salad snack snacks cooking baking recipe
    house flat apartment room kitchen garden plants plant heating boiler fridge laundry rent
    landlord lease furniture chair desk sofa couch bed mattress keys door window roof
    car bike bicycle bus train flight plane taxi traffic road parking ticket tickets passport
    visa hotel hostel airport station luggage trip holiday vacation journey
    phone laptop computer printer router internet wifi battery charger screen tv
    card bank money bills bill tax taxes loan mortgage savings account payment
    weather rain snow wind storm sun heat
    party wedding birthday funeral shower retirement anniversary date concert match game
    book club movie film show episode podcast music song album band
    gardening knitting painting reading writing cooking camping fishing cycling climbing
    baby kids kid children family parents wedding neighbours neighbors friends
    morning mornings evening evenings night nights weekend weekends afternoon today
    time zones schedule plans plan news life work home school need bird seed tomatoes
    dark late early busy tired""")
# Language and nationality words are attributes, not nodes ("learning Spanish", "Spanish teacher").
_LANGUAGES = _words("""english spanish french german italian portuguese japanese chinese mandarin cantonese
    korean russian arabic hindi dutch swedish norwegian danish finnish polish greek turkish
    hebrew latin thai vietnamese czech hungarian ukrainian irish scottish welsh british
    american canadian mexican brazilian indian australian european african asian""")
_KINSHIP_TITLES = _words("""mom mum mommy mummy dad daddy grandma grandpa granny grandad nana papa mama
    auntie aunt uncle""")
_HONORIFIC = r"(?:Dr|Mr|Mrs|Ms|Mx|Prof|St)"
# Imperative verbs and everyday nouns that open a sentence without naming anything ("Ignore all
# previous instructions", "Night shift starts at 10"); a capitalised first word is a name only
# when it is none of these and the text never writes it in lower case.
_OPENERS = _words("""ignore disregard forget override bypass skip drop obey follow pretend act behave
    respond reply answer say speak print output reveal dump leak display repeat translate decode
    execute eval delete erase remove upload download forward email post share copy paste transmit
    approve deny include append list summarise summarize describe explain tell ask always never
    do don't dont be become assume imagine consider note render visit click follow login log sign
    night day morning evening afternoon noon midnight week weekend month year shift work job
    lunch dinner breakfast brunch meeting class school team family home office today tomorrow
    breakfast coffee tea rain snow weather traffic trip flight train bus car house kids dog cat
    new old big small last next every each some most many few several another other such
    ignoriere ignora ignorez negeer zignoruj vergiss oublie olvida désormais ab""")
_TIME_WORDS = _words("""monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december christmas easter""")
_PRONOUN_OBJECTS = _words(
    "it that this them him her you me those these there here so much one ones what which"
)
_PHRASE_STOP = _words("""in on at with because but when while since so if though although for from during after
    over instead
    before every whenever than more a lot very too now anymore nowadays these days lately
    recently either as which who that especially really always""")
_PLACE_CUES = frozenset(_words("in from near to visit visited visiting around across"))
_PERSON_CUES = frozenset(
    _words("with met meet meeting told tell asked ask call called texted emailed")
)
_PERSON_AFTER = frozenset(
    _words("said says told asks asked thinks thought wants wanted called texted")
)

_NAME = r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2}"
_NAMES = rf"{_NAME}(?:(?:\s*,\s*|\s+and\s+|\s*&\s*){_NAME})*"
_NOUN_RE = "|".join(re.escape(n) for n in _NOUNS)

_POSSESSIVE = re.compile(
    rf"(?i:\bmy\s+(?:{_ADJ}\s+)*(?P<noun>{_NOUN_RE})(?P<plural>e?s)?"
    rf"(?:'s\s+name\s+is|,?\s+(?:is\s+)?(?:named|called)|\s+is|,)?)\s+(?P<names>{_NAMES})"
)
_IS_MY = re.compile(
    rf"(?P<name>{_NAME})\s+(?i:is|was)\s+(?i:my)\s+(?i:(?:{_ADJ}\s+)*)(?P<noun>(?i:[a-z][a-z-]*))"
)
_LIVES = re.compile(
    rf"(?i:\b(?:i|we)(?:'m|'ve|\s+am|\s+have)?\s+(?:now\s+|currently\s+|still\s+|just\s+|recently\s+|finally\s+)?"
    rf"(?:live|living|reside|residing|moved|relocated|based)\s+(?:in|to)(?:\s+the\s+city\s+of)?"
    rf"|\bmoved\s+from\s+{_NAME}\s+to)\s+(?P<name>{_NAME})"
)
_WORKS = re.compile(
    rf"(?i:\b(?:i|we)(?:'m|'ve|\s+am|\s+have)?\s+(?:now\s+|currently\s+|still\s+|just\s+|recently\s+)?"
    rf"(?:work|working|joined|started\s+(?:a\s+new\s+job\s+)?at|got\s+a\s+job\s+(?:at|with)|employed\s+(?:at|by))"
    rf"(?:\s+(?:at|for))?(?:\s+the)?)\s+(?P<name>{_NAME})"
)
_NAMED = re.compile(
    r"(?i:\bmy\s+name\s+is|\bmy\s+name's|\bi(?:'m|\s+am)\s+called)\s+(?P<name>[A-Za-z][\w'-]*(?:\s+[A-Z][\w'-]*)?)"
    r"|(?i:\bcall\s+me|\bi\s+go\s+by)\s+(?P<cap>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)"
)
_JOB = re.compile(
    r"(?i:\b(?P<how>i\s+work\s+as|i(?:'m|\s+am)\s+working\s+as|my\s+job\s+is|i(?:'m|\s+am))\s+"
    r"(?:(?:a|an)\s+)(?P<job>[a-z-]+(?:\s+[a-z-]+){0,2}))"
)
_DIET = re.compile(
    r"(?i:\bi(?:'m|\s+am)\s+(?:a\s+)?(?:strict\s+)?(?P<diet>vegetarian|vegan|pescatarian)\b)"
)
_AGE = re.compile(
    r"(?i:\bi(?:'m|\s+am)\s+(?P<age>\d{1,3})(?:\s+years?\s+old\b|\s*(?=[.,!?;]|$))|\bi\s+(?:just\s+)?turned\s+(?P<age2>\d{1,3})\b)"
)
_BIRTHDAY = re.compile(
    rf"(?i:\bmy\s+birthday\s+is(?:\s+on)?|\bi\s+was\s+born\s+on)\s+"
    rf"(?P<date>(?i:(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})))"
)
_PARTNER = re.compile(
    rf"(?i:\bi(?:'m|\s+am)\s+(?:married\s+to|engaged\s+to|dating|seeing))\s+(?P<name>{_NAME})"
)
_FROM = re.compile(
    rf"(?i:\bi(?:'m|\s+am)\s+(?:originally\s+)?from|\bi\s+come\s+from|\bi\s+grew\s+up\s+in)\s+(?P<name>{_NAME})"
)
_ALLERGY = re.compile(r"(?i:\bi(?:'m|\s+am)\s+(?:\w+\s+)?allergic\s+to)\s+(?P<obj>[^.,!?;:]+)")
# An object phrase runs to the end of its clause; "and I ..." starts a new clause.
_OBJ = r"(?:(?!(?i:\b(?:and|but|so|because|while|though)\s+(?:i|we|he|she|they)\b))[^.,!?;:])+"
_LIKES = re.compile(
    r"(?i:\b(?:i|we)\s+(?:(?:really|also|absolutely|just|truly|totally|still|do|so)\s+)*"
    r"(?P<verb>like|love|enjoy|adore|prefer|hate|dislike|detest|loathe|can't\s+stand|cannot\s+stand|"
    r"don't\s+like|do\s+not\s+like|don't\s+enjoy|do\s+not\s+enjoy|don't\s+love)"
    r"|\bi(?:'m|\s+am)\s+(?:a\s+(?:huge\s+|big\s+)?fan\s+of|really\s+into|into|fond\s+of))\s+"
    rf"(?P<obj>{_OBJ})"
)
_THIRD_LIKES = re.compile(
    rf"(?P<name>{_NAME})\s+(?:really\s+|also\s+|absolutely\s+)?"
    r"(?P<verb>likes|loves|enjoys|adores|prefers|hates|dislikes|detests)\s+"
    rf"(?P<obj>{_OBJ})"
)
_FAVORITE = re.compile(
    r"(?i:\bmy\s+(?:absolute\s+|all-time\s+)?favou?rite\s+(?P<what>[a-z]+(?:\s+[a-z]+){0,2}?)\s+(?:is|are|was)\s+)"
    r"(?P<obj>[^.,!?;:]+)"
)
_FAVORITE_REV = re.compile(
    r"^\W*(?P<obj>[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+(?i:is|are)\s+(?i:my)\s+(?i:(?:absolute\s+|all-time\s+)?favou?rite)\s+"
    r"(?P<what>(?i:[a-z]+(?:\s+[a-z]+)?))\b"
)
# "University of Edinburgh", "Bank of the West": "of" inside a capitalised span joins it.
_PROPER = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'-]*)*")
# A full stop after an honorific ("Dr. Okafor") does not end the sentence.
_SENTENCE = re.compile(rf"(?:{_HONORIFIC}\.\s|[^.!?\n])+(?:[.!?]+|$)")
_HONORIFIC_LEAD = re.compile(rf"^{_HONORIFIC}\.?\s+")
_DISLIKE_VERBS = ("hate", "dislike", "detest", "loathe", "stand", "not", "n't")


class _Collector:
    """Accumulates entities (first specific type wins) and de-duplicated triples."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.triples: dict[tuple[str, str, str], Triple] = {}

    def entity(self, name: str, type_: str, *, weak: bool = False) -> str | None:
        key = normalize_key(name)
        if not key or len(key) > 60:
            return None
        old = self.entities.get(key)
        if old is None or (old.type == "concept" and type_ != "concept" and not weak):
            self.entities[key] = Entity(name=old.name if old else name, key=key, type=type_)
        return key

    def triple(self, subject: str, relation: str, obj: str, obj_type: str) -> None:
        obj = obj.strip(" '\"-")
        if not obj or subject == "":
            return
        if normalize_key(obj) in ("", subject):
            return
        if subject == SELF_KEY:
            self.entities.setdefault(SELF_KEY, Entity(name="user", key=SELF_KEY, type="self"))
        key = self.entity(obj, obj_type)
        if key is None:
            return
        marker = (subject, relation, key)
        if marker not in self.triples:
            self.triples[marker] = Triple(subject, relation, obj, obj_type, is_functional(relation))


def _clean_name(raw: str) -> str:
    words = raw.split()
    while words and (
        words[-1].lower() in _COMMON
        or words[-1].lower() in _TIME_WORDS
        or words[-1] == "I"
        or words[-1].startswith("I'")
    ):
        words.pop()
    while words and (words[0].lower() in _COMMON or words[0] == "I"):
        words.pop(0)
    name = " ".join(words)
    return re.sub(r"'s$", "", name)


def _split_names(raw: str) -> list[str]:
    parts = re.split(r"\s*,\s*|\s+and\s+|\s*&\s*", raw)
    return [n for n in (_clean_name(p) for p in parts) if n]


def _phrase(raw: str) -> list[str]:
    """Cut a liked/disliked object at its first clause boundary and split simple lists."""
    words: list[str] = []
    raw_words = raw.split()
    for i, word in enumerate(raw_words):
        if word.lower() in _PHRASE_STOP and words:
            break
        # "loves tuna and sleeps on the sofa": "and" starts a second predicate, not a list item.
        if word.lower() == "and" and words and _starts_predicate(raw_words[i + 1 : i + 3]):
            break
        words.append(word)
        if len(words) == 5:
            break
    while words and words[0].lower() in ("the", "a", "an", "my", "some", "to", "being", "and"):
        words.pop(0)
    items = re.split(r"\s*,\s*|\s+and\s+|\s+or\s+", " ".join(words))
    out = []
    for item in items:
        item = item.strip(" '\"")
        if item and item.lower() not in _PRONOUN_OBJECTS and item.lower() not in _PHRASE_STOP:
            out.append(item)
    return out


def _starts_predicate(nxt: list[str]) -> bool:
    if len(nxt) < 2:
        return False
    verb, after = nxt[0].lower(), nxt[1].lower()
    return verb.endswith(("s", "ed")) and after in _PREDICATE_NEXT


_PREDICATE_NEXT = _words("on in at to into onto with the a an my her his their our its all every")


def _job_head(job: str, *, via_am: bool) -> str | None:
    words: list[str] = []
    for word in job.lower().split():
        if word in _PHRASE_STOP or word in ("who", "at", "and", "but"):
            break
        words.append(word)
    if not words:
        return None
    head = words[-1]
    if not via_am:
        return " ".join(words)
    if head in _NOT_JOBS_AFTER_AM:
        return None
    if head in _JOBS or (len(head) > 4 and head.endswith(("er", "or", "ist", "ian", "ant", "eer"))):
        return " ".join(words)
    return None


def _relation_for(noun: str) -> tuple[str, str]:
    noun = noun.lower()
    if noun in _PETS or noun == "guinea pig":
        return "has_pet", "pet"
    if noun in _PARTNERS:
        return "partner_is", "person"
    if noun == "best friend":
        return "has_friend", "person"
    if noun in _RELATIVES:
        return f"has_{_RELATIVES[noun]}", "person"
    if noun in _OBJECTS:
        return "owns", "object"
    if noun in _ORGS:
        return _ORGS[noun], "org"
    if noun in _PLACES:
        return _PLACES[noun], "place"
    return "has_" + re.sub(r"[^a-z]+", "_", noun).strip("_"), "concept"


def _self_patterns(sentence: str, out: _Collector) -> None:
    for m in _POSSESSIVE.finditer(sentence):
        relation, type_ = _relation_for(m["noun"])
        for name in _split_names(m["names"]):
            out.triple(SELF_KEY, relation, name, type_)
    for m in _IS_MY.finditer(sentence):
        name, noun = _clean_name(m["name"]), m["noun"].lower()
        if name and noun not in ("favorite", "favourite") and len(noun) <= 20:
            out.triple(SELF_KEY, *_with_obj(_relation_for(noun), name))
    for m in _LIVES.finditer(sentence):
        out.triple(SELF_KEY, "lives_in", _clean_name(m["name"]), "place")
    for m in _WORKS.finditer(sentence):
        out.triple(SELF_KEY, "works_at", _clean_name(m["name"]), "org")
    for m in _NAMED.finditer(sentence):
        raw = m["name"] or m["cap"]
        name = raw if m["cap"] else raw.split()[0] if raw.split()[0].islower() else raw
        if name.lower() not in _COMMON and name.lower() not in _PRONOUN_OBJECTS:
            out.triple(SELF_KEY, "named", _clean_name(name) or name, "concept")
    for m in _JOB.finditer(sentence):
        how = m["how"].lower()
        # Only "I am a ..." needs the noun to look like a job; "I work as a ..." says so itself.
        via_am = how.startswith(("i'm", "i am")) and "working" not in how
        job = _job_head(m["job"], via_am=via_am)
        if job:
            out.triple(SELF_KEY, "job_title", job, "concept")
    for m in _DIET.finditer(sentence):
        out.triple(SELF_KEY, "is_a", m["diet"].lower(), "concept")
    for m in _AGE.finditer(sentence):
        out.triple(SELF_KEY, "age_is", m["age"] or m["age2"], "concept")
    for m in _BIRTHDAY.finditer(sentence):
        out.triple(SELF_KEY, "birthday_is", " ".join(m["date"].split()), "concept")
    for m in _PARTNER.finditer(sentence):
        out.triple(SELF_KEY, "partner_is", _clean_name(m["name"]), "person")
    for m in _FROM.finditer(sentence):
        out.triple(SELF_KEY, "from", _clean_name(m["name"]), "place")
    for m in _ALLERGY.finditer(sentence):
        for obj in _phrase(m["obj"]):
            out.triple(SELF_KEY, "allergic_to", obj, "concept")
    for m in _LIKES.finditer(sentence):
        verb = (m["verb"] or "like").lower()
        relation = "dislikes" if any(v in verb for v in _DISLIKE_VERBS) else "likes"
        for obj in _phrase(m["obj"]):
            out.triple(SELF_KEY, relation, obj, "concept")
    for m in _FAVORITE.finditer(sentence):
        for obj in _phrase(m["obj"])[:1]:
            out.triple(SELF_KEY, _favorite(m["what"]), obj, "concept")
    m = _FAVORITE_REV.search(sentence)
    if m and m["obj"].split()[0].lower() not in _PRONOUN_OBJECTS:
        out.triple(SELF_KEY, _favorite(m["what"]), m["obj"], "concept")


def _with_obj(relation_type: tuple[str, str], name: str) -> tuple[str, str, str]:
    return relation_type[0], name, relation_type[1]


def _favorite(what: str) -> str:
    return "favorite_" + re.sub(r"[^a-z]+", "_", what.lower()).strip("_")


def _third_person(sentence: str, out: _Collector) -> None:
    for m in _THIRD_LIKES.finditer(sentence):
        name = _clean_name(m["name"])
        if not name or name.lower() in _TIME_WORDS:
            continue
        subject = out.entity(name, "person", weak=True)
        if subject is None:
            continue
        relation = "dislikes" if m["verb"].lower() in ("hates", "dislikes", "detests") else "likes"
        for obj in _phrase(m["obj"]):
            out.triple(subject, relation, obj, "concept")


def _proper_nouns(sentence: str, out: _Collector, lower: frozenset[str]) -> None:
    lead = len(sentence) - len(sentence.lstrip(" \t\"'([-*0123456789.)"))
    for m in _PROPER.finditer(sentence):
        words = m.group(0).split()
        at_start = m.start() <= lead
        # Drop the capitalised word that merely opens the sentence ("Yesterday Anna ...",
        # "Ignore all ...", "Night shift ..."): a function word, a verb form, an imperative or
        # everyday noun, or a word the text also writes in lower case.
        if at_start and words and (words[0].lower() in _COMMON or _looks_verbal(words[0])
                                   or words[0].lower() in _OPENERS or words[0] in lower
                                   or _is_contraction(words[0])
                                   or (len(words) == 1 and words[0].lower() in _EVERYDAY
                                       and not _capitalised_later(words[0], sentence))):
            words = words[1:]
            at_start = False
        # Honorifics and kinship words title a name ("Dr. Lee", "Grandpa Joe") or stand for a
        # relative the graph knows by relation ("Mom"); neither is part of the name.
        while words and (words[0].rstrip(".") in ("Dr", "Mr", "Mrs", "Ms", "Mx", "Prof")
                         or words[0].lower() in _KINSHIP_TITLES):
            words = words[1:]
        if len(words) == 1 and words[0].lower().removesuffix("'s") in _LANGUAGES:
            continue
        words = [w for w in words if not any(ch.isdigit() for ch in w)]
        name = _clean_name(" ".join(w for w in words if w != "I" and not w.startswith("I'")))
        if not name or name.lower() in _COMMON or name.lower().removesuffix("s") in _TIME_WORDS:
            continue
        if any(w.lower() in _TIME_WORDS for w in name.split()) and len(name.split()) == 1:
            continue
        before = sentence[: m.start()].split()
        after = sentence[m.end() :].split()
        prev = before[-1].lower().strip(",") if before else ""
        nxt = after[0].lower().strip(",.!?") if after else ""
        if prev in _PLACE_CUES:
            type_ = "place"
        elif prev in _PERSON_CUES or nxt in _PERSON_AFTER:
            type_ = "person"
        elif prev == "at":
            type_ = "org"
        else:
            type_ = "concept"
        out.entity(name, type_, weak=True)


def _is_contraction(word: str) -> bool:
    """"We're", "They'll", "Don't": a pronoun or verb with a clitic, never a name."""
    head, _, tail = word.lower().partition("'")
    return tail in ("re", "ve", "ll", "d", "m", "t") and (head in _COMMON or head.endswith("n"))


def _capitalised_later(word: str, sentence: str) -> bool:
    return re.search(rf"(?<=\s){re.escape(word)}\b", sentence) is not None


def _looks_verbal(word: str) -> bool:
    low = word.lower()
    return low.endswith(("ed", "ing", "ly")) and len(low) > 4


def extract(text: str, *, speaker: str | None = None) -> Extraction:
    """Extract entities and triples from `text` with English rules (SPEC §5.1 step 5).

    First-person patterns describe the user only when the user speaks: for `speaker="assistant"`
    or "system" they are skipped, and only third-person preferences and proper nouns remain.
    Objects of likes/dislikes, names, ages and jobs become `concept` entities.

    Args:
        text: The text of one memory or message.
        speaker: "user", "assistant", "system" or None (treated like the user).

    Returns:
        An `Extraction`; empty when nothing was found.

    Raises:
        InvalidInputError: `text` is not a str.
    """
    if not isinstance(text, str):
        raise InvalidInputError(f"text must be a str, got {type(text).__name__}")
    cleaned = clean(text)
    first_person = speaker not in ("assistant", "system")
    if len(cleaned) <= _CACHE_CHARS:
        return _extract_cached(cleaned, first_person)
    return _extract_clean(cleaned, first_person)


def _extract_clean(text: str, first_person: bool) -> Extraction:
    out = _Collector()
    lower = frozenset(w.capitalize() for w in re.findall(r"\b[a-z][\w'-]*", text))
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0).strip()
        if not sentence:
            continue
        if first_person:
            _self_patterns(sentence, out)
        # A sentence that reads as an instruction to the agent names nothing worth a graph node
        # ("Ignore", "Assistant", an attacker's address); it is kept as flagged text only.
        if looks_like_instruction(sentence):
            continue
        _third_person(sentence, out)
        _proper_nouns(sentence, out, lower)
    return Extraction(entities=tuple(out.entities.values()), triples=tuple(out.triples.values()))


# The write path extracts each text twice (its own analysis, then `classify_kind` on the cleaned
# text); the result is immutable and depends on the cleaned text alone, so a small cache is safe.
# Long texts bypass it to bound its memory.
_CACHE_CHARS = 2000
_extract_cached = functools.lru_cache(maxsize=1024)(_extract_clean)
