"""Durable first-person facts: the user's lasting attributes as (slot, value) pairs (issue 13).

`extract("We're in Lisbon now")` → `(Fact(slot="home_city", relation="lives_in", value="Lisbon",
...),)`. A slot is an attribute of the user that holds for a long time: identity (name, age,
birthday, hometown, pronouns), home, work (employer, job title, school), health and diet
(allergies, conditions, diet), family (partner, parents, siblings, children), pets, standing
preferences (favourites, hobbies, the language being learnt, the car, the commute) and habits.
`SLOTS` lists them with their knowledge-graph relation and whether they hold one value at a time
(functional: a newer value supersedes the older one) or several (allergies, pets, siblings...).

Many phrasings map to one slot ("I live in X", "I moved to X", "we're in X now", "home is X these
days", "I'm based in X", "my new place in X"). Nothing is a fact that is not asserted by the
user about the user, now: questions, hypotheticals ("if I lived in Paris", "I might move to"),
plans ("I'm going to join Globex"), former states ("I used to live in Rome"), negations ("I don't
work at Acme anymore") and third-person statements ("Tom lives in Paris") give no slot. A passing
mention ("my cat Luna loves tuna") is not a statement of the attribute either; "I have a cat named
Luna" is. Rules are English, offline and deterministic; assistant and system turns give nothing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from zenbrain.errors import InvalidInputError
from zenbrain.extract import _fact_lexicon as lx
from zenbrain.extract.entities import NOT_JOBS, SELF_KEY, Triple, normalize_key
from zenbrain.extract.text import clean

__all__ = ["SLOTS", "Fact", "SlotSpec", "as_triples", "extract", "slot_of"]


@dataclass(frozen=True)
class SlotSpec:
    """One kind of lasting attribute: its graph relation, value type and arity."""

    relation: str
    object_type: str
    functional: bool  # one value at a time: a newer value supersedes the older one


SLOTS: dict[str, SlotSpec] = {
    "name": SlotSpec("named", "concept", True),
    "age": SlotSpec("age_is", "concept", True),
    "birthday": SlotSpec("birthday_is", "concept", True),
    "hometown": SlotSpec("from", "place", True),
    "pronouns": SlotSpec("pronouns_are", "concept", True),
    "home_city": SlotSpec("lives_in", "place", True),
    "employer": SlotSpec("works_at", "org", True),
    "job_title": SlotSpec("job_title", "concept", True),
    "school": SlotSpec("studies_at", "org", True),
    "partner": SlotSpec("partner_is", "person", True),
    "diet": SlotSpec("diet_is", "concept", True),
    "language_learning": SlotSpec("learning_language", "concept", True),
    "car": SlotSpec("drives", "object", True),
    "commute": SlotSpec("commutes_by", "concept", True),
    "allergy": SlotSpec("allergic_to", "concept", False),
    "health": SlotSpec("health_condition", "concept", False),
    "sibling": SlotSpec("has_sibling", "person", False),
    "parent": SlotSpec("has_parent", "person", False),
    "child": SlotSpec("has_child", "person", False),
    "hobby": SlotSpec("hobby", "concept", False),
    "habit": SlotSpec("habit", "concept", False),
    "exercise": SlotSpec("exercises_by", "concept", True),  # the current workout routine
    "usual_order": SlotSpec("usual_order", "concept", True),  # a standing drink/food order
    "anniversary": SlotSpec("anniversary_is", "concept", True),
    "team": SlotSpec("supports_team", "org", False),
    "dislike": SlotSpec("dislikes", "concept", False),  # standing food and drink dislikes
    # pet:<species> (has_pet, several) and favorite_<thing> (one each) are open families.
}


def slot_of(slot: str) -> SlotSpec:
    """The spec of `slot`, including the open families `pet:<species>` and `favorite_<thing>`."""
    if slot.startswith("pet:"):
        return SlotSpec("has_pet", "pet", False)
    if slot.startswith("favorite_"):
        return SlotSpec(slot, "concept", True)
    if slot not in SLOTS:
        raise InvalidInputError(f"unknown fact slot {slot!r}; known: {sorted(SLOTS)}, pet:*, favorite_*")
    return SLOTS[slot]


@dataclass(frozen=True)
class Fact:
    """One durable first-person fact: `slot` (e.g. "home_city") has `value` (e.g. "Lisbon")."""

    slot: str
    value: str

    @property
    def spec(self) -> SlotSpec:
        return slot_of(self.slot)

    @property
    def key(self) -> str:
        return normalize_key(self.value)


def as_triples(found: tuple[Fact, ...] | list[Fact]) -> tuple[Triple, ...]:
    """The knowledge-graph triples (subject: the user) that assert `found`."""
    return tuple(Triple(SELF_KEY, f.spec.relation, f.value, f.spec.object_type, f.spec.functional)
                 for f in found)


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# ---- guards ----------------------------------------------------------------------------------

_I = re.IGNORECASE
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]*")
_CLAUSE_SPLIT = re.compile(r",|\s+-\s+|\s+—\s+|\bbut\b|\bwhereas\b|\bthough\b|\balthough\b", _I)
_QUESTION_START = re.compile(
    r"^\W*(?:do|does|did|is|are|am|was|were|can|could|would|should|will|shall|have|has|where|"
    r"what|who|whom|which|when|how|why|remind me|tell me)\b", _I)
# A frame that makes the whole sentence unreal: conditions, wishes, imagining.
_UNREAL_SENTENCE = re.compile(
    r"\b(?:if|unless|suppose|supposing|imagine|imagining|pretend|wish|what if|in case|"
    r"hypothetically|in a parallel universe|dream(?:ing)? (?:of|about))\b", _I)
# Modality, plans and former states inside one clause ("I've been going to spin class" is a
# habit, not a plan).
_UNREAL_CLAUSE = re.compile(
    r"\b(?:would|wouldn't|could|couldn't|should|shouldn't|might|must|(?:i|we|you|it|that)\s+may|maybe|perhaps|"
    r"will|won't|shall|(?<!been )(?<!keep )going to|gonna|want to|wanna|wanted to|hope to|hoping to|plan to|"
    r"planning to|planning on|thinking (?:about|of)|considering|intend to|about to|"
    r"used to|no longer|anymore|any more|formerly|previously|not anymore|someday|one day|"
    r"next (?:year|month|week)|soon|apply(?:ing)? (?:to|for)|interview(?:ing|ed)? (?:at|with|for)|"
    r"offered|might)\b|\b(?:i|we)'(?:ll|d)\b", _I)
_NEGATION = re.compile(r"\b(?:not|never|no|none|nobody|nowhere|neither|nor)\b|n't\b", _I)
# Someone else is the subject: "Tom said", "my friend thinks", "she lives".
_HEARSAY = re.compile(
    r"\b(?:said|says|told me|tells me|thinks|claims|heard|according to|apparently|"
    r"he|she|they|his|her|their|he's|she's|they're)\b", _I)

# ---- value shapes ----------------------------------------------------------------------------

_CONNECT = r"(?:de|da|do|del|della|di|am|an|on|upon|of|la|le|el|les|los|sur|&)"
_CAP = r"[A-Z][\w'&.-]*"
_NAME = rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)?{_CAP}){{0,3}}"
_THE = r"(?:the\s+)?"
_DAY_WORDS = _words("monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december today tomorrow tonight now i")
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_MONTH_FULL = {m[:3]: m for m in _words("january february march april may june july august "
                                           "september october november december")}
_NOW = (r"(?:\s+(?:now|these\s+days|nowadays|at\s+the\s+moment|currently|for\s+good|"
        r"for\s+now|full[- ]time|permanently))")
_ADV = r"(?:(?:now|currently|still|just|recently|finally|actually|officially|also)\s+)*"

_LANGUAGES = sorted(_words("spanish french german italian portuguese japanese mandarin chinese cantonese korean "
              "russian arabic dutch swedish norwegian danish finnish polish turkish greek hindi "
              "hebrew vietnamese thai indonesian swahili czech hungarian ukrainian catalan latin "
              "irish welsh icelandic"))
_LANGUAGE = "|".join(_LANGUAGES)
_CAR_BRANDS = sorted(_words("toyota honda ford tesla bmw volkswagen vw audi subaru mazda kia hyundai volvo nissan "
               "mercedes mercedes-benz jeep chevy chevrolet fiat renault peugeot skoda mini "
               "polestar lexus porsche citroen citroën dacia seat opel jaguar rivian lucas suzuki "
               "mitsubishi cupra"), key=len, reverse=True)
_CAR = "|".join(re.escape(b) for b in _CAR_BRANDS)
_DIETS = {
    "vegetarian": "vegetarian", "veggie": "vegetarian", "vegan": "vegan",
    "pescatarian": "pescatarian", "pescetarian": "pescatarian", "keto": "keto", "paleo": "paleo",
    "gluten-free": "gluten-free", "gluten free": "gluten-free", "dairy-free": "dairy-free",
    "dairy free": "dairy-free", "low-carb": "low-carb", "low carb": "low-carb",
    "plant-based": "vegan", "plant based": "vegan", "flexitarian": "flexitarian",
    "halal": "halal", "kosher": "kosher", "carnivore": "carnivore", "mediterranean": "mediterranean",
}
_DIET = "|".join(sorted((re.escape(d) for d in _DIETS), key=len, reverse=True))
_CONDITIONS = ("asthma|diabetes|type 1 diabetes|type 2 diabetes|celiac disease|coeliac disease|"
               "migraines|epilepsy|adhd|arthritis|eczema|psoriasis|high blood pressure|"
               "hypertension|anxiety|depression|a bad back|tinnitus|crohn's disease|ibs|"
               "insomnia|sleep apnea|long covid|a heart condition|hay fever|lupus|"
               "multiple sclerosis|ms|dyslexia|fibromyalgia|gout|anemia")
_PETS = ("cat|dog|kitten|puppy|hamster|rabbit|bunny|parrot|budgie|horse|pony|turtle|tortoise|"
         "goldfish|snake|lizard|ferret|guinea pig|gecko|cockatiel|bearded dragon|chinchilla")
_PET_SPECIES = {"kitten": "cat", "puppy": "dog", "bunny": "rabbit", "pony": "horse"}
_SIBLINGS = {"sister": "sibling", "brother": "sibling", "sibling": "sibling",
             "twin": "sibling", "twin sister": "sibling", "twin brother": "sibling",
             "half-sister": "sibling", "half-brother": "sibling",
             "mom": "parent", "mum": "parent", "mother": "parent", "dad": "parent",
             "father": "parent", "stepmother": "parent", "stepfather": "parent",
             "stepmom": "parent", "stepdad": "parent",
             "son": "child", "daughter": "child", "kid": "child", "child": "child",
             "stepson": "child", "stepdaughter": "child", "baby": "child"}
_FAMILY = "|".join(sorted((re.escape(k) for k in _SIBLINGS), key=len, reverse=True))
_PARTNERS = ("wife|husband|partner|spouse|boyfriend|girlfriend|fiancé|fiancée|fiance|fiancee|"
             "hubby|missus")
_JOB_WORDS = _words("""teacher engineer developer programmer nurse doctor physician designer lawyer
    accountant architect chef cook writer author journalist scientist researcher professor lecturer
    manager consultant analyst artist musician photographer pilot farmer mechanic electrician
    plumber carpenter pharmacist dentist therapist psychologist surgeon paramedic firefighter
    officer soldier salesperson cashier waiter waitress barista baker driver librarian translator
    editor entrepreneur founder ceo cto cfo freelancer intern secretary assistant administrator
    veterinarian vet tutor coach trainer economist banker investor actor actress singer dancer
    producer director midwife radiologist technician scientist clerk receptionist bartender
    courier janitor caretaker hairdresser stylist butcher tailor welder machinist contractor
    recruiter marketer copywriter animator illustrator curator archivist counselor counsellor
    paralegal attorney judge detective guard ranger gardener landscaper nanny babysitter
    sommelier dietitian nutritionist optician physiotherapist physio surveyor broker realtor
    agent adviser advisor strategist statistician mathematician physicist chemist biologist
    geologist astronomer postdoc retiree""")
_NOT_JOBS = NOT_JOBS | _words("morning night early big huge bit little lot mess wreck natural")
_HOBBY_VERBS = ("play|practice|practise|do|go")
_HOBBIES = ("tennis|chess|guitar|piano|violin|drums|cello|football|soccer|basketball|volleyball|"
            "badminton|squash|padel|golf|hockey|rugby|cricket|baseball|poker|bridge|the guitar|"
            "the piano|the violin|the drums|the cello|the ukulele|the saxophone|the flute|ukulele|"
            "saxophone|flute|yoga|pilates|karate|judo|taekwondo|boxing|jiu-jitsu|climbing|"
            "bouldering|running|swimming|cycling|hiking|surfing|skiing|snowboarding|sailing|"
            "rowing|fencing|archery|dungeons and dragons|d&d|video games|board games|"
            "crossfit|salsa|ballet|tango|kayaking|fishing|birdwatching|knitting|pottery|"
            "photography|painting|gardening|woodworking|baking|calligraphy")
# "I play five-a-side football these days": a sport played as the current workout. Only with a
# cue of change: "I play tennis every weekend" is a hobby, and a second sport would otherwise
# close the first one's slot.
_SWITCH_CUE = r"(?=[^.;!?]*\b(?:now|these\s+days|nowadays|instead)\b)"
_SPORT = (r"(?:football|soccer|futsal|basketball|volleyball|netball|handball|badminton|squash|padel|"
          r"table\s+tennis|tennis|hockey|rugby|ultimate(?:\s+frisbee)?|water\s+polo)")
_SPORT_MOD = (r"(?:(?:five|six|seven|eleven|[5-7])-a-side|indoor|outdoor|beach|pickup|pick-up|amateur|"
              r"league|sunday|weekend|casual|competitive|social|walking)\s+")
_HABIT_FREQ = (r"(?:every\s+(?:single\s+)?(?:day|morning|evening|night|weekend|week|monday|tuesday|"
               r"wednesday|thursday|friday|saturday|sunday)|each\s+(?:day|morning|evening|night)|"
               r"daily|nightly|twice\s+a\s+(?:day|week)|once\s+a\s+(?:day|week)|"
               r"(?:three|four|five)\s+times\s+a\s+week|on\s+weekdays)")
_COMMUTE = {"bike": "bike", "cycle": "bike", "bicycle": "bike", "ride my bike": "bike",
            "walk": "foot", "drive": "car", "take the bus": "bus", "take the train": "train",
            "take the subway": "subway", "take the tube": "subway", "take the metro": "subway",
            "take the tram": "tram", "take the ferry": "ferry", "ride the bus": "bus",
            "ride the train": "train", "carpool": "carpool", "ride a scooter": "scooter",
            "scooter": "scooter", "bus": "bus", "train": "train", "car": "car", "foot": "foot",
            "subway": "subway", "tube": "subway", "metro": "subway", "tram": "tram",
            "ferry": "ferry", "motorbike": "motorbike", "motorcycle": "motorbike"}


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# Each rule: (slot or a function of the match, compiled pattern). Patterns see one clause; the
# first-person subject is part of every pattern, so third-person statements never match.
_HOME = [
    _rx(rf"(?i:\b(?:i|we)(?:'m|'re|'ve|\s+am|\s+are|\s+have)?\s+{_ADV}(?:live|living|reside|residing)"
        rf"\s+in\s+{_THE})(?P<v>{_NAME})"),
    _rx(rf"(?i:\b(?:i|we)(?:'ve|\s+have)?\s+{_ADV}(?:moved|relocated|settled(?:\s+down)?)\s+"
        rf"(?:back\s+)?(?:over\s+)?(?:to|in)\s+{_THE})(?P<v>{_NAME})"),
    _rx(rf"(?i:\b(?:i|we)(?:'m|'re|\s+am|\s+are)\s+{_ADV}based\s+(?:in|out\s+of)\s+{_THE})(?P<v>{_NAME})"),
    _rx(rf"(?i:\b(?:i|we)(?:'m|'re|\s+am|\s+are)\s+{_ADV}(?:in|living\s+in)\s+)(?P<v>{_NAME})(?i:{_NOW})"),
    _rx(rf"(?i:\b(?:my\s+)?home\s+(?:is|'s)\s+(?:in\s+)?{_THE})(?P<v>{_NAME})"),
    _rx(rf"(?i:\bhome\s+for\s+(?:me|us)\s+is\s+(?:in\s+)?)(?P<v>{_NAME})"),
    _rx(rf"(?P<v>{_NAME})(?i:\s+is\s+(?:my|our)\s+home|\s+is\s+home(?:\s+for\s+(?:me|us))?{_NOW})"),
    _rx(rf"(?i:\b(?:i|we)\s+{_ADV}call\s+)(?P<v>{_NAME})(?i:\s+home)"),
    _rx(rf"(?i:\b(?:my|our)\s+(?:new\s+)?(?:place|apartment|flat|house|home|condo)\s+in\s+)(?P<v>{_NAME})"),
]
# "I left my old position and joined…": the user's own earlier clause, in lower-case words (no
# name, no "that/if", no third person: "I think Sara left and joined Hooli" is about Sara).
_AND_THEN = (r"(?:(?:(?!(?:that|if|whether|think|thought|heard|said|he|she|they|his|her|their)\b)"
             r"(?-i:[a-z'][a-z']*)\s+){1,6}?and\s+)?")
_EMPLOYER = [
    _rx(rf"(?i:\b(?:i|we)(?:'m|\s+am)?\s+{_ADV}(?:work|working)\s+(?:at|for)\s+{_THE})(?P<v>{_NAME})"),
    _rx(rf"(?i:\bi(?:'m|\s+am)\s+{_ADV}employed\s+(?:at|by)\s+{_THE})(?P<v>{_NAME})"),
    _rx(rf"(?i:\bi(?:'ve|\s+have)?\s+{_AND_THEN}{_ADV}(?:joined|started\s+(?:working\s+)?at|started\s+a\s+(?:new\s+)?job\s+at|"
        rf"got\s+(?:a|the)\s+job\s+(?:at|with)|got\s+hired\s+(?:at|by)|was\s+hired\s+by|"
        rf"accepted\s+(?:a|an|the)\s+(?:job|offer|position)\s+(?:at|from|with)|"
        rf"switched\s+(?:jobs\s+)?to|signed\s+(?:on\s+)?with)\s+{_THE})(?P<v>{_NAME})"),
    _rx(rf"(?i:\b(?:my\s+(?:new\s+)?(?:employer|workplace)\s+is\s+{_THE}))(?P<v>{_NAME})"),
    _rx(rf"(?i:\bmy\s+(?:new\s+)?job\s+(?:at|with)\s+{_THE})(?P<v>{_NAME})"),
    _rx(rf"(?i:\bi(?:'m|\s+am)\s+{_ADV}(?:a|an)\s+)(?P<role>[a-z-]+(?:\s+[a-z-]+)?)(?i:\s+(?:at|for|with)\s+{_THE})(?P<v>{_NAME})"),
]
_JOB = [
    _rx(r"(?i:\bi(?:'m|\s+am)?\s+(?:now\s+|currently\s+|still\s+)?(?:work|working|employed)\s+as\s+(?:a|an)\s+)(?P<v>[a-z-]+(?:\s+[a-z-]+){0,2})"),
    _rx(r"(?i:\bmy\s+(?:new\s+)?(?:job|role|position|title|profession|occupation)\s+is\s+(?:now\s+)?(?:(?:a|an)\s+)?)(?P<v>[a-z-]+(?:\s+[a-z-]+){0,2})"),
    _rx(r"(?i:\bi(?:'ve|\s+have)?\s+(?:just\s+|recently\s+|finally\s+)?(?:started|got|landed|took|accepted)\s+(?:a\s+|my\s+)?(?:new\s+)?(?:job|role|position)\s+as\s+(?:a|an)\s+)(?P<v>[a-z-]+(?:\s+[a-z-]+){0,2})"),
    _rx(r"(?i:\bi(?:'ve|\s+have)?\s+(?:just\s+|recently\s+|finally\s+|now\s+)?(?:became|become|qualified\s+as|retrained\s+as|trained\s+as)\s+(?:a|an)\s+)(?P<v>[a-z-]+(?:\s+[a-z-]+){0,2})"),
    _rx(r"(?i:\bi(?:'m|\s+am)\s+(?:now\s+|currently\s+|still\s+|actually\s+)?(?:a|an)\s+)(?P<v>[a-z-]+(?:\s+[a-z-]+){0,2})(?i:\s+by\s+(?:profession|trade)|\s+(?:at|for|with)\s+[A-Z]|\s*(?=$|[.,!;]|\s+(?:now|these\s+days|nowadays|full[- ]time|part[- ]time)))"),
    _rx(r"(?i:\bi\s+(?:make\s+a\s+living|earn\s+my\s+living)\s+as\s+(?:a|an)\s+)(?P<v>[a-z-]+(?:\s+[a-z-]+){0,2})"),
]
_NAME_RULES = [
    _rx(r"(?i:\bmy\s+name\s+is|\bmy\s+name's|\bi(?:'m|\s+am)\s+called)\s+(?P<v>[A-Z][\w'-]*)"),
    _rx(r"(?i:\b(?:please\s+)?call\s+me|\bi\s+go\s+by|\b(?:people|everyone|everybody|friends|most\s+people)\s+calls?\s+me)\s+(?P<v>[A-Z][\w'-]*)"),
]
_AGE = [
    _rx(r"(?i:\bi(?:'m|\s+am)\s+(?P<v>\d{1,3})(?:\s+years?\s+old\b|\s+now\b|\s*(?=$|[.,!;])))"),
    _rx(r"(?i:\bi\s+(?:just\s+|recently\s+)?turned\s+(?P<v>\d{1,3})\b)"),
    _rx(r"(?i:\bmy\s+age\s+is\s+(?P<v>\d{1,3})\b)"),
]
_DATE = (rf"(?P<v>(?i:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?i:(?:st|nd|rd|th)?\s+(?:of\s+)?)"
         rf"(?i:{_MONTHS})\b)")
_BIRTHDAY = [
    _rx(rf"(?i:\bmy\s+birthday\s+(?:is|'s|falls)(?:\s+on)?|\bmy\s+birthday's(?:\s+on)?|"
        rf"\bi\s+was\s+born\s+on|\bi\s+celebrate\s+my\s+birthday\s+on)\s+(?:the\s+)?{_DATE}"),
    _rx(rf"(?i:{_DATE}\s+is\s+my\s+birthday)"),
]
_HOMETOWN = [
    _rx(rf"(?i:\bi(?:'m|\s+am)\s+(?:originally\s+)?from\s+{_THE}|\bi\s+(?:originally\s+)?come\s+from\s+{_THE}|"
        rf"\bi\s+grew\s+up\s+in\s+{_THE}|\bi\s+was\s+(?:born\s+and\s+raised|raised|born)\s+in\s+{_THE}|"
        rf"\bmy\s+hometown\s+is\s+{_THE})(?P<v>{_NAME})"),
]
_PRONOUNS = [_rx(r"(?i:\bmy\s+pronouns\s+are\s+)(?P<v>[a-z]+/[a-z]+(?:/[a-z]+)?)")]
_SCHOOL = [
    _rx(rf"(?i:\bi(?:'m|\s+am)?\s+{_ADV}(?:study|studying|enrolled|a\s+student|a\s+grad\s+student|"
        rf"a\s+phd\s+student|doing\s+(?:a|my)\s+(?:degree|phd|masters?|master's))\s+(?:at|in)\s+{_THE})"
        rf"(?P<v>{_NAME}(?:\s+(?:University|College|School))?)"),
]
_PARTNER = [
    _rx(rf"(?i:\bi(?:'m|\s+am)\s+{_ADV}(?:married\s+to|engaged\s+to|dating|seeing|with)\s+)(?P<v>{_CAP})(?!\s+(?:about|for|at|in|on))"),
    _rx(rf"(?i:\bmy\s+(?:{_PARTNERS})(?:'s\s+name\s+is|\s+is\s+called|\s+is\s+named|\s+is|,)?\s+)(?P<v>{_CAP})(?=\s*(?:$|[.,!;]|and\s+i\b|now\b))"),
    _rx(rf"(?P<v>{_CAP})(?i:\s+is\s+my\s+(?:{_PARTNERS}))"),
    _rx(rf"(?i:\bi\s+{_ADV}(?:married|got\s+married\s+to|got\s+engaged\s+to)\s+)(?P<v>{_CAP})"),
]
_DIET_RULES = [
    _rx(rf"(?i:\bi(?:'m|\s+am)\s+{_ADV}(?:a\s+)?(?:strict\s+|full\s+|fully\s+)?(?P<v>{_DIET})\b)(?!\s+(?:food|restaurant|place|recipe|dish))"),
    _rx(rf"(?i:\bi(?:'ve|\s+have)?\s+{_ADV}(?:gone|went|turned|became|become)\s+(?:fully\s+)?(?P<v>{_DIET})\b)"),
    _rx(rf"(?i:\bi\s+{_ADV}(?:eat|follow|keep|do)\s+(?:a\s+|an\s+)?(?:strictly\s+|mostly\s+)?(?P<v>{_DIET})(?:\s+diet)?\b)"),
    _rx(rf"(?i:\bi(?:'m|\s+am)\s+{_ADV}on\s+(?:a|the)\s+(?P<v>{_DIET})\s+diet\b)"),
    _rx(rf"(?i:\bmy\s+diet\s+is\s+(?:strictly\s+|mostly\s+)?(?P<v>{_DIET})\b)"),
]
_ALLERGY = [
    _rx(r"(?i:\bi(?:'m|\s+am)\s+(?:\w+\s+)?allergic\s+to\s+)(?P<v>[a-z][a-z -]*)"),
    _rx(r"(?i:\bi(?:'ve|\s+have)?\s+(?:got\s+)?(?:an?\s+)(?:severe\s+|mild\s+|bad\s+|serious\s+)?)(?P<v>[a-z][a-z-]*(?:\s+[a-z-]+)?)(?i:\s+allergy)"),
    _rx(r"(?i:\bi(?:'ve|\s+have)?\s+(?:got\s+)?an?\s+(?:severe\s+|mild\s+)?allergy\s+to\s+)(?P<v>[a-z][a-z -]*)"),
    _rx(r"(?i:\bmy\s+)(?P<v>[a-z][a-z-]*(?:\s+[a-z-]+)?)(?i:\s+allergy\b)"),
]
_HEALTH = [
    _rx(rf"(?i:\bi(?:'ve|\s+have)?\s+(?:got\s+)?(?:been\s+)?(?:diagnosed\s+with\s+|suffer\s+from\s+|live\s+with\s+)?)(?P<v>{_CONDITIONS})\b"),
    _rx(r"(?i:\bi(?:'ve|\s+have)?\s+(?:just\s+|recently\s+)?(?:been\s+|was\s+|got\s+)diagnosed\s+with\s+)(?P<v>[a-z][a-z' -]*)"),
    _rx(r"(?i:\bi(?:'m|\s+am)\s+(?P<v>diabetic|asthmatic|epileptic|(?:lactose|gluten)\s+intolerant))\b"),
]
_PET = [
    _rx(rf"(?i:\b(?:i|we)(?:'ve|\s+have)?\s+{_ADV}(?:have|got|adopted|rescued|own|bought|got\s+ourselves|"
        rf"got\s+myself)\s+(?:a|an)\s+(?:\w+\s+)?)(?P<sp>{_PETS})(?i:\s*,?\s+(?:named|called)\s+)(?P<v>{_CAP})"),
    _rx(rf"(?i:\b(?:my|our)\s+(?:new\s+|little\s+|old\s+)?)(?P<sp>{_PETS})(?i:'s\s+name\s+is|\s+is\s+(?:called|named)|\s+(?:'s|is)\s+)\s*(?P<v>{_CAP})(?=\s*(?:$|[.,!;]|and\b|now\b))"),
    _rx(rf"(?P<v>{_CAP})(?i:\s+is\s+(?:my|our)\s+(?:new\s+|little\s+)?)(?P<sp>{_PETS})"),
    _rx(rf"(?i:\b(?:i|we)(?:'ve|\s+have)?\s+{_ADV}(?:have|got|own)\s+(?:a|an)\s+(?:\w+\s+)?)(?P<sp>{_PETS})(?=\s*(?:$|[.!;]|now\b|at\s+home))"),
]
_FAMILY_RULES = [
    _rx(rf"(?i:\bi(?:'ve|\s+have)?\s+(?:got\s+)?(?:a|an|one)\s+(?:older\s+|younger\s+|little\s+|big\s+|baby\s+|twin\s+)?)(?P<rel>{_FAMILY})(?i:\s*,?\s+(?:named|called)\s+)(?P<v>{_CAP})"),
    _rx(rf"(?i:\bmy\s+(?:older\s+|younger\s+|little\s+|big\s+|baby\s+|twin\s+|only\s+)?)(?P<rel>{_FAMILY})(?i:'s\s+name\s+is|\s+is\s+(?:called|named))\s+(?P<v>{_CAP})"),
    _rx(rf"(?P<v>{_CAP})(?i:\s+is\s+my\s+(?:older\s+|younger\s+|little\s+|big\s+|baby\s+|twin\s+|only\s+)?)(?P<rel>{_FAMILY})\b"),
]
_FAVORITE = [
    _rx(r"(?i:\bmy\s+(?:absolute\s+|all-time\s+|new\s+|current\s+)?(?:favou?rite|fave|favs?)\s+)(?P<what>[a-z]+(?:\s+[a-z]+)?)\s+(?i:is|are|has\s+to\s+be|'s)\s+(?:(?i:now|probably|definitely|still)\s+)?(?P<v>[^.,!?;]+)"),
    _rx(r"^\W*(?P<v>[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+(?i:is|are|has\s+become|became)\s+(?i:(?:now\s+)?my\s+(?:new\s+)?(?:absolute\s+|all-time\s+)?(?:favou?rite|fave))\s+(?P<what>[a-z]+(?:\s+[a-z]+)?)\b"),
]
_LANG = [
    _rx(rf"(?i:\bi(?:'m|\s+am|'ve\s+been|\s+have\s+been)?\s+{_ADV}(?:learning|studying|practicing|practising|"
        rf"taking|doing|started\s+learning|began\s+learning|picked\s+up|started)\s+(?:to\s+speak\s+)?)(?P<v>(?i:{_LANGUAGE}))\b(?!\s+(?:food|cuisine|wine|film|movies?|history))"),
    _rx(rf"(?i:\bi\s+{_ADV}(?:take|have|go\s+to)\s+)(?P<v>(?i:{_LANGUAGE}))(?i:\s+(?:lessons|classes|class))"),
]
_CAR_RULES = [
    _rx(rf"(?i:\bi\s+{_ADV}(?:drive|own|have|bought|got|leased|lease)\s+(?:a|an|the)\s+(?:new\s+|used\s+|second-hand\s+|old\s+|\d{{4}}\s+)?)(?P<v>(?i:{_CAR})(?:\s+[A-Z0-9][\w-]*){{0,2}})"),
    _rx(r"(?i:\bmy\s+(?:new\s+)?car\s+(?:is|'s)\s+(?:a|an)\s+(?:new\s+|used\s+|\d{4}\s+)?)(?P<v>[A-Z][\w-]*(?:\s+[A-Z0-9][\w-]*){0,2})"),
    _rx(r"(?i:\bmy\s+car's\s+(?:a|an)\s+)(?P<v>[A-Z][\w-]*(?:\s+[A-Z0-9][\w-]*){0,2})"),
]
_COMMUTE_RULES = [
    _rx(r"(?i:\bi\s+(?:now\s+|usually\s+|always\s+|normally\s+)?(?P<v>bike|cycle|walk|drive|take\s+the\s+(?:bus|train|subway|tube|metro|tram|ferry)|ride\s+(?:my\s+bike|the\s+bus|the\s+train|a\s+scooter)|carpool))\s+(?i:to\s+(?:work|the\s+office|school|campus|uni))"),
    _rx(r"(?i:\bi\s+(?:now\s+|usually\s+|normally\s+)?(?:commute|get\s+to\s+work|go\s+to\s+work)\s+(?:by|on)\s+(?:the\s+|my\s+)?)(?P<v>bike|bicycle|bus|train|car|foot|subway|tube|metro|tram|ferry|scooter|motorbike|motorcycle)"),
    _rx(r"(?i:\bmy\s+commute\s+is\s+(?:by|on)\s+(?:the\s+|my\s+)?)(?P<v>bike|bicycle|bus|train|car|foot|subway|tube|metro|tram|ferry|scooter)"),
]
_HOBBY = [
    _rx(r"(?i:\bmy\s+(?:main\s+|favou?rite\s+|big\s+)?(?:hobby|hobbies|pastime|passion)\s+(?:is|are|'s)\s+)(?P<v>[a-z][a-z' -]*)"),
    _rx(rf"(?i:\bi\s+(?:also\s+|regularly\s+|still\s+)?(?:{_HOBBY_VERBS})\s+(?:{_SPORT_MOD})?)(?P<v>{_HOBBIES})\b(?=\s*(?:$|[.,!;]|every|these\s+days|nowadays|now\b|on\s+|in\s+my|most|a\s+lot|twice|once|three|at\s+|with\s+|competitively|for\s+fun|regularly|weekly))"),
    _rx(r"(?i:\bi(?:'ve|\s+have)?\s+(?:just\s+|recently\s+)?(?:taken\s+up|took\s+up|picked\s+up|got\s+into|gotten\s+into)\s+)(?!(?:my|the|a|an|our|some|his|her|their|it|them|this|that)\b)(?P<v>[a-z][a-z' -]*)"),
    _rx(r"(?i:\bi(?:'m|\s+am)\s+(?:really\s+|super\s+|totally\s+|very\s+)?(?:into|passionate\s+about|obsessed\s+with|hooked\s+on)\s+)(?P<v>[a-z][a-z' -]*)"),
    _rx(r"(?i:\bin\s+my\s+(?:free|spare)\s+time,?\s+i\s+(?:like\s+to\s+|love\s+to\s+|mostly\s+|usually\s+)?)(?P<v>[a-z][a-z' -]*)"),
    _rx(r"(?i:\bi\s+(?:like\s+to\s+|love\s+to\s+)?)(?P<v>[a-z][a-z' -]*?)(?i:\s+in\s+my\s+(?:free|spare)\s+time)"),
]
_HABIT = [
    _rx(r"(?i:\bi\s+(?P<v>(?:always|usually|normally|never|habitually)\s+[a-z][a-z' -]*))"),
    _rx(rf"(?i:\bi\s+(?P<v>(?!was\b|went\b|had\b|did\b|said\b|got\b|saw\b)[a-z]+(?:\s+[a-z']+){{0,4}}?\s+{_HABIT_FREQ}))"),
    _rx(rf"(?i:\b{_HABIT_FREQ},?\s+i\s+(?P<v>(?!was\b|went\b|had\b|did\b)[a-z][a-z' -]*))"),
]

_VALUE_STOP = _words("""now these days nowadays currently for with since and but because so as at on
    by from in last this next a few about after before when while until or which who that to
    full-time part-time permanently again too also yet though although anyway finally recently
    just really is was are were has had will would""")


def _trim(value: str, *, max_words: int = 4) -> str:
    words: list[str] = []
    for word in value.split():
        bare = word.strip(" '\",").lower()
        if words and bare in _VALUE_STOP:
            break
        words.append(word.strip(" ,"))
        if len(words) == max_words:
            break
    while words and words[-1].lower().strip(".'") in _DAY_WORDS | _VALUE_STOP:
        words.pop()
    while words and words[0].lower() in ("the", "a", "an", "my", "some", "being"):
        words.pop(0)
    value = " ".join(words).strip(" .,'\"-")
    return re.sub(r"'s$", "", value)


def _trim_name(value: str) -> str:
    value = _trim(value)
    return "" if value.lower() in _DAY_WORDS or len(value) < 2 else value


def _birthday(raw: str) -> str:
    parts = re.findall(r"[a-z]+|\d+", raw.lower())
    month = next((_MONTH_FULL[p[:3]] for p in parts if not p.isdigit() and p[:3] in _MONTH_FULL
                  and p not in ("st", "nd", "rd", "th", "of")), "")
    day = next((str(int(p)) for p in parts if p.isdigit()), "")
    return f"{month.capitalize()} {day}".strip()


def _job(value: str) -> str:
    words: list[str] = []
    for word in value.lower().split():
        if word in _VALUE_STOP or word in ("who", "and", "but", "by", "here", "there"):
            break
        words.append(word)
    if not words:
        return ""
    head = words[-1]
    if head in _NOT_JOBS or any(w in _NOT_JOBS for w in words):
        return ""
    if head in _JOB_WORDS or (len(head) > 4 and head.endswith(("er", "or", "ist", "ian", "eer"))):
        return " ".join(words)
    return ""


def _object_phrase(value: str, *, max_words: int = 3) -> str:
    value = re.split(r"\s+(?:and|but|so|because|which|when|while|with|since|though)\s+(?:i|we|it|that)\b",
                     value, maxsplit=1, flags=_I)[0]
    out = _trim(value, max_words=max_words).lower()
    return "" if out in ("it", "that", "this", "them", "stuff", "things", "something", "") else out


def _clauses(sentence: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_SPLIT.split(sentence) if c and c.strip()]


def _real(clause: str, start: int) -> bool:
    """The clause asserts, in the present, something about the speaker (up to the match end)."""
    return _UNREAL_CLAUSE.search(clause) is None and _NEGATION.search(clause[:start]) is None


def _run(rules: list[re.Pattern[str]], clause: str) -> list[re.Match[str]]:
    out = []
    for rule in rules:
        for m in rule.finditer(clause):
            if _real(clause, m.end()):
                out.append(m)
    return out


def _clause_facts(clause: str) -> list[Fact]:
    found: list[Fact] = []

    def add(slot: str, value: str) -> None:
        if value and len(value) <= 60 and normalize_key(value):
            found.append(Fact(slot, value))

    for m in _run(_HOME, clause):
        add("home_city", _trim_name(m["v"]))
    for m in _run(_EMPLOYER, clause):
        if "role" not in m.groupdict() or m["role"] is None or _job(m["role"]):
            add("employer", _trim_name(m["v"]))
    for m in _run(_JOB, clause):
        add("job_title", _job(m["v"]))
    for m in _run(_NAME_RULES, clause):
        add("name", _trim_name(m["v"]))
    for m in _run(_AGE, clause):
        add("age", m["v"])
    for m in _run(_BIRTHDAY, clause):
        add("birthday", _birthday(m["v"]))
    for m in _run(_HOMETOWN, clause):
        add("hometown", _trim_name(m["v"]))
    for m in _run(_PRONOUNS, clause):
        add("pronouns", m["v"].lower())
    for m in _run(_SCHOOL, clause):
        add("school", _trim_name(m["v"]))
    for m in _run(_PARTNER, clause):
        add("partner", _trim_name(m["v"]))
    for m in _run(_DIET_RULES, clause):
        add("diet", _DIETS[" ".join(m["v"].lower().split())])
    for m in _run(_ALLERGY, clause):
        add("allergy", _object_phrase(m["v"], max_words=2))
    for m in _run(_HEALTH, clause):
        raw = m["v"].lower()
        raw = {"diabetic": "diabetes", "asthmatic": "asthma", "epileptic": "epilepsy"}.get(raw, raw)
        add("health", _object_phrase(re.sub(r"\s+intolerant$", " intolerance", raw)))
    for m in _run(_PET, clause):
        species = m["sp"].lower()
        species = _PET_SPECIES.get(species, species)
        name = _trim_name(m["v"]) if "v" in m.groupdict() and m["v"] else species
        add(f"pet:{species.replace(' ', '_')}", name)
    for m in _run(_FAMILY_RULES, clause):
        add(_SIBLINGS[m["rel"].lower()], _trim_name(m["v"]))
    for m in _run(_FAVORITE, clause):
        what = re.sub(r"[^a-z]+", "_", _BRITISH.sub(lambda w: _BRITISH_MAP[w[0]],
                                                    m["what"].lower())).strip("_")
        value = _object_phrase(m["v"])
        if what and value and m["v"].split()[0].lower() not in ("it", "that", "this", "what"):
            add(f"favorite_{what}", value)
    for m in _run(_LANG, clause):
        add("language_learning", m["v"].capitalize())
    for m in _run(_CAR_RULES, clause):
        add("car", _trim(m["v"], max_words=3))
    for m in _run(_COMMUTE_RULES, clause):
        add("commute", _COMMUTE.get(" ".join(m["v"].lower().split()), m["v"].lower()))
    for m in _run(_HOBBY, clause):
        add("hobby", _object_phrase(m["v"]))
    for m in _HABIT[0].finditer(clause):  # "I never X" is a habit: the negation is its content
        if _UNREAL_CLAUSE.search(clause) is None and not _past_habit(m["v"]):
            add("habit", _habit(m["v"]))
    for m in _run(_HABIT[1:], clause):
        add("habit", _habit(m["v"]))
    return found


_BRITISH_MAP = {"colour": "color", "flavour": "flavor", "favourite": "favorite", "theatre": "theater"}
_BRITISH = re.compile("|".join(_BRITISH_MAP))


def _habit(value: str) -> str:
    words = value.lower().strip(" .,!;").split()[:7]
    return " ".join(words) if len(words) >= 2 else ""


_PAST_VERB = re.compile(r"^(?:always|usually|normally|never|habitually)\s+(?:\w+ed|was|were|did|had|"
                        r"went|said|told|thought|knew|got|made|took|saw)\b", _I)


def _past_habit(value: str) -> bool:
    return _PAST_VERB.search(value) is not None


def extract(text: str, *, speaker: str | None = None) -> tuple[Fact, ...]:
    """The durable first-person facts `text` states, one per (slot, value), in order of mention.

    Args:
        text: One memory or message.
        speaker: "user", "assistant", "system" or None (the user). Only the user's own
            statements are about the user; other speakers give nothing.

    Raises:
        InvalidInputError: `text` is not a str.
    """
    if not isinstance(text, str):
        raise InvalidInputError(f"text must be a str, got {type(text).__name__}")
    if speaker in ("assistant", "system"):
        return ()
    return _extract(clean(text)[:2000])


@functools.lru_cache(maxsize=2048)
def _extract(text: str) -> tuple[Fact, ...]:
    out: dict[tuple[str, str], Fact] = {}
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0).strip()
        if (not sentence or sentence.rstrip().endswith("?") or _QUESTION_START.search(_LEAD.sub("", sentence))
                or _UNREAL_SENTENCE.search(sentence) or sentence.startswith(('"', "“"))):
            continue
        sentence = _with_subject(sentence)  # "Just moved to Denver!" → "I just moved to Denver!"
        for clause in _clauses(sentence):
            if _HEARSAY.search(_PRONOUNS[0].sub("", clause)):  # "my pronouns are they/them"
                continue
            for fact in _clause_facts(clause):
                out.setdefault((fact.slot, fact.key), fact)
        for fact in _cue_facts(sentence):
            out.setdefault((fact.slot, fact.key), fact)
    # "We adopted a puppy, Milo": the named pet stands for its species.
    named = {f.slot for f in out.values() if f.slot.startswith("pet:") and f.key != f.slot[4:].replace("_", " ")}
    out = {k: f for k, f in out.items()
           if not (f.slot in named and f.key == f.slot[4:].replace("_", " "))}
    # A functional slot keeps its first value in one text ("I live in Berlin, home is Berlin").
    seen: set[str] = set()
    kept = []
    for fact in out.values():
        if fact.spec.functional and fact.slot in seen:
            continue
        seen.add(fact.slot)
        kept.append(fact)
    return tuple(kept)


# ---- cue + lexicon recogniser (issue 13, "whatever their wording") -----------------------------
# The hand-written patterns above read canonical phrasings clause by clause. The rules below read
# natural chat: a first-person cue (a possessive "my/our <noun>", an apposition "<Name>, my
# <relation>", an explicit "I <verb>", or a subjectless chat fragment "Picked up…", "Another shift
# as…") combined with a topic lexicon per life domain (`_fact_lexicon`), so the slot is found
# whatever the words around it. They see the whole sentence (an apposition spans commas) and are
# guarded on the clause(s) they touch. Three modes:
#   own   - the cue is the user's possession or relation ("our dog Pepper", "Lily, my daughter",
#           "my Japanese tutor"): it holds whoever the clause is about, so hearsay verbs are
#           allowed ("my Japanese tutor says…"), but not former/imagined modifiers ("my ex",
#           "my dream car", "my old Honda") nor loss ("sold my Honda", "our dog Pepper died").
#   first - an explicit first-person subject ("I've started seeing someone, Daniel").
#   bare  - a subjectless fragment ("as a paralegal at Hart & Cole"): only when the clause names
#           no other person ("my friend…", "she…") before it.
# All modes: no question, condition, wish, modality, plan or former-state word in the clause, and
# no negation before the cue. Small talk about a relative or pet with no name ("my sister keeps
# sending me memes", "the dog woke me up again") states nothing: a pet or relative needs a name
# or an ownership statement ("we adopted a puppy").

_LEAD = re.compile(
    r"^\W*(?:(?:btw|by\s+the\s+way|oh|ah|and|so|well|anyway|anyways|also|update|news|big\s+news|"
    r"good\s+news|fun\s+fact|quick\s+update|ps|p\.s|lol|haha|ok|okay|yay|guess\s+what|honestly|"
    r"fyi|side\s+note|random\s+thought|small\s+win|life\s+update)\b[\s:,!.\-–—]*)+", _I)
_DROP = {**dict.fromkeys(_words("living working studying learning eating cycling biking walking driving "
                         "commuting dating seeing doing practicing practising training renting taking "
                         "riding going teaching attending volunteering "
                         "raising"), "I'm "),
         **dict.fromkeys(_words("moved started joined got picked adopted rescued bought switched landed "
                         "signed took became turned married finished began relocated settled "
                         "leased accepted graduated enrolled qualified retrained brought welcomed "
                         "upgraded traded spent grew"), "I "),
         **dict.fromkeys(_words("born raised hired diagnosed promoted"), "I was "),
         **dict.fromkeys(_words("allergic based intolerant vegan vegetarian"), "I'm ")}
_DROP_RX = re.compile(r"^(?:(?:just|finally|recently|officially|already|also|now)\s+)*(?P<verb>[A-Za-z]+)\b", _I)


def _with_subject(clause: str) -> str:
    """A subjectless chat fragment with its implied "I" ("Just moved to Denver" → "I just moved…")."""
    body = _LEAD.sub("", clause, count=1)
    m = _DROP_RX.match(body)
    if m is None or m["verb"].lower() not in _DROP or (m["verb"][0].isupper() and body[:1].islower()):
        return clause
    return _DROP[m["verb"].lower()] + body[:1].lower() + body[1:]


_OTHER_SUBJECT = re.compile(
    rf"(?i:\b(?:my|our)\s+(?:[a-z]+\s+)?(?:{lx.OTHER_PEOPLE}))\b(?!\s+(?:at|from)\b)|\b[A-Z][a-z]+'s\b|"
    r"\b(?:he|she|they|his|her|their|he's|she's|they're|someone|everyone|people)\b")
# "Tom works as a nurse at…": a named third-person subject before a subjectless cue.
_NAMED_SUBJECT = re.compile(r"\b(?!I\b)[A-Z][a-z]+\s+(?:[a-z]+(?:s|ed)|is|was|has|had|got|did)\b")
_HEARSAY_VERB = re.compile(r"\b(?:said|says|told\s+me|tells\s+me|thinks|claims|heard|according\s+to|"
                           r"apparently|rumou?r)\b", _I)
_LOSS = re.compile(
    r"\b(?:sold|selling|totaled|totalled|wrote\s+off|written\s+off|traded\s+in|gave\s+away|rehomed|"
    r"lost|miss|missed|missing|passed\s+away|died|put\s+down|rip|broke\s+up|divorced|split\s+up|"
    r"separated|dumped|rest\s+in\s+peace|in\s+memory|borrowed|rented|renting|test[- ]drove|"
    r"test[- ]driving|stolen)\b", _I)
_TRANSIENT = re.compile(r"\b(?:right\s+now|today|tonight|this\s+(?:morning|afternoon|evening)|"
                        r"at\s+the\s+moment|later)\b", _I)
_NOT_NAMES = _DAY_WORDS | _words("""i the a an and but so we my our you it this that my he she they
    just also today tonight yesterday last next oh lol btw ok okay yes no hi hey""")
_MOD = (rf"(?P<mods>(?:(?!(?:{lx.OTHER_PEOPLE}|and|or|with|of|her|his|their|the|a|an|is|was|are|"
        rf"who|that|to|for|at|in)\b)[a-z]+(?:-[a-z]+)?\s+){{0,3}})")
_PNAME = r"(?P<v>[A-Z][a-z'-]+)"
_PNAME_END = r"(?![\w-])"
_ADVX = r"(?:(?:now|currently|still|just|recently|finally|actually|officially|also|really|"\
        r"genuinely|honestly|absolutely|seriously|truly|totally|even|already)\s+)*"
_I_SUBJ = r"\b(?:i|we)(?:'m|'re|'ve|\s+am|\s+are|\s+have|\s+has)?\s+"
_STRICT_JOBS = _JOB_WORDS | lx.MORE_JOBS


@dataclass(frozen=True)
class _Cue:
    mode: str  # "own" | "first" | "bare"
    rx: re.Pattern[str]
    read: object  # callable: match, sentence -> list[(slot, value)]
    negation_ok: bool = False
    transient_ok: bool = True


def _cue(mode: str, pattern: str, read, **kw) -> _Cue:
    return _Cue(mode, re.compile(pattern), read, **kw)


def _name(value: str) -> str:
    value = _trim_name(value)
    return "" if value.lower() in _NOT_NAMES else value


def _former(m: re.Match[str]) -> bool:
    mods = m.groupdict().get("mods") or ""
    return bool(set(mods.lower().split()) & lx.FORMER)


def _read_pet(m, _s):
    species = lx.PET_WORDS[" ".join(m["sp"].lower().split())]
    return [] if _former(m) else [(f"pet:{species}", _name(m["v"]) if m.groupdict().get("v") else species)]


def _read_kin(m, _s):
    rel = lx.KIN[" ".join(m["rel"].lower().split())]
    return [] if _former(m) else [(rel, _name(m["v"]))]


def _read_partner(m, _s):
    return [] if _former(m) else [("partner", _name(m["v"]))]


def _car_value(brand: str, model: str) -> str:
    canon = lx.CAR_BRANDS[brand.lower()]
    tokens = [t for t in model.split() if t[:1].isupper() or t[:1].isdigit()]
    tokens = [t for t in tokens if t.lower() not in _NOT_NAMES][:2]
    return " ".join([canon, *tokens])


def _read_car(m, _s):
    brand = m["brand"]
    if _former(m) or (brand.lower() in lx.CAR_AMBIGUOUS and not brand[:1].isupper()):
        return []
    return [("car", _car_value(brand, m["model"] or ""))]


def _read_car_noun(m, _s):
    if _former(m) or re.search(r"\b(?:rental|hire|friend|company|work)\b", m["mods"] or "", _I):
        return []
    mods = [w for w in (m["mods"] or "").lower().split()
            if w not in ("new", "used", "second-hand", "secondhand", "brand", "shiny", "own", "first")]
    return [("car", " ".join([*mods[-2:], m["noun"].lower()]))]


def _job_strict(role: str) -> str:
    words = [w for w in role.lower().split() if w not in ("new", "first", "current", "official")]
    value = _job(" ".join(words))
    return value if value and value.split()[-1] in _STRICT_JOBS else ""


def _read_role_at(m, _s):
    out = []
    if m.groupdict().get("role"):
        job = _job_strict(m["role"])
        if not job:
            return []
        out.append(("job_title", job))
    if m.groupdict().get("org"):
        out.append(("employer", _trim_name(m["org"])))
    return out


def _read_org(m, _s):
    return [] if _former(m) else [("employer", _trim_name(m["org"]))]


def _slot_value(slot: str, group: str = "v", fn=None):
    def read(m, _s):
        if _former(m):
            return []
        raw = m[group]
        return [(slot, fn(raw) if fn else _trim_name(raw))]
    return read


def _diet_value(raw: str) -> str:
    return _DIETS[" ".join(raw.lower().split())]


def _no_meat(raw: str) -> str:
    return lx.NO_MEAT[" ".join(raw.lower().split())]


def _canon(table: dict[str, str]):
    return lambda raw: table[" ".join(raw.lower().split())]


def _lower(raw: str) -> str:
    return " ".join(raw.lower().split())


def _read_team(m, s):
    team = _trim_name(m["v"])
    if re.search(rf"(?:^|\s){lx.TEAM_SUFFIX}$", team) or lx.SPORT_CONTEXT.search(s):
        return [("team", team)]
    return []


def _read_hobby_group(m, _s):
    if _former(m):
        return []
    noun, group = _lower(m["v"]), _lower(m["g"])
    return [("hobby", f"{noun} {group}" if noun in ("book", "board game", "pub quiz", "quiz", "trivia")
             else noun)]


def _read_order(m, _s):
    value = _object_phrase(m["v"], max_words=4)
    return [("usual_order", value)] if value else []


_ORG = rf"(?P<org>{_NAME})"
_EXER = rf"(?P<v>{lx.EXERCISE_ALT})(?:\s+class(?:es)?)?"
_FREQ_CUE = (r"(?=[^.;!?]*\b(?:now|these\s+days|nowadays|instead|lately|every|regularly|each|"
             r"times\s+a\s+week|most\s+(?:days|mornings|evenings)|daily|religiously|weekly)\b)")
# "I row", "I swim": the workout named by its verb (the nouns are in `lx.EXERCISE`)
_EXERCISE_VERBS = {"row": "rowing", "swim": "swimming", "run": "running", "jog": "running",
                   "climb": "climbing", "box": "boxing", "lift": "weightlifting"}
_EXERCISE_VERB = "|".join(_EXERCISE_VERBS)
_HOME_NOUN = r"(?:flat|apartment|house|place|condo|home|studio|townhouse|bungalow|loft)"

_CUES: list[_Cue] = [
    # pets: "our dog Pepper", "Pepper, our rescue dog", "we adopted a puppy"
    _cue("own", rf"(?i:\b(?:my|our)\s+){_MOD}(?P<sp>(?i:{lx.PET}))(?:\s*,\s*|\s+(?:(?i:named|called)\s+)?){_PNAME}{_PNAME_END}", _read_pet),
    _cue("own", rf"{_PNAME},\s+(?i:(?:my|our)\s+){_MOD}(?P<sp>(?i:{lx.PET}))\b", _read_pet),
    _cue("first", rf"(?i:{_I_SUBJ}{_ADVX}(?:got|adopted|rescued|brought\s+home|bought|have|own|welcomed|"
                  rf"got\s+ourselves|got\s+myself|fostered)\s+(?:a|an|two|three|a\s+new|another|our\s+first|my\s+first)\s+)"
                  rf"{_MOD}(?P<sp>(?i:{lx.PET}))(?![\w-])", _read_pet),
    # family: "my sister Anna", "Lily, my daughter", "my son, Leo"
    _cue("own", rf"(?i:\bmy\s+){_MOD}(?P<rel>(?i:{lx.KINSHIP}))(?:\s*,\s*|\s+(?:(?i:named|called)\s+)?){_PNAME}{_PNAME_END}", _read_kin),
    _cue("own", rf"{_PNAME},\s+(?i:my\s+){_MOD}(?P<rel>(?i:{lx.KINSHIP}))\b", _read_kin),
    # partner: "my girlfriend Maya", "Sam, my husband", "I've started seeing someone, Daniel"
    _cue("own", rf"(?i:\bmy\s+){_MOD}(?i:{lx.PARTNER})(?:\s*,\s*|\s+(?:(?i:named|called)\s+)?){_PNAME}{_PNAME_END}", _read_partner),
    _cue("own", rf"{_PNAME},\s+(?i:my\s+){_MOD}(?i:{lx.PARTNER})\b", _read_partner),
    _cue("first", rf"(?i:{_I_SUBJ}{_ADVX}(?:started\s+|been\s+|begun\s+)?(?:seeing|dating|going\s+out\s+with)\s+"
                  rf"(?:(?:someone|somebody|a\s+(?:new\s+)?(?:guy|girl|man|woman|person)|this\s+(?:guy|girl|man|woman))"
                  rf"(?:\s+(?:new|named|called))?\s*,?\s*)?){_PNAME}{_PNAME_END}", _read_partner),
    # cars: "my new silver Honda Civic", "I upgraded to a Tesla Model 3", "we bought an electric car"
    _cue("own", rf"(?i:\b(?:my|our)\s+){_MOD}(?P<brand>(?i:{lx.CAR}))\b(?P<model>(?:\s+[A-Z0-9][\w-]*){{0,2}})", _read_car),
    _cue("first", rf"(?i:{_I_SUBJ}{_ADVX}(?:bought|got|picked\s+up|leased|drive|driving|own|have|upgraded\s+to|switched\s+to|"
                  rf"traded\s+up\s+to|ordered)\s+(?:a|an|the)\s+){_MOD}(?P<brand>(?i:{lx.CAR}))\b(?P<model>(?:\s+[A-Z0-9][\w-]*){{0,2}})", _read_car),
    _cue("first", rf"(?i:{_I_SUBJ}{_ADVX}(?:bought|got|picked\s+up|leased|drive|own|have|upgraded\s+to)\s+(?:a|an|my|our)\s+)"
                  rf"{_MOD}(?P<noun>(?i:{lx.CAR_NOUNS}))(?![\w-])(?!\s+(?:wash|park|seat|insurance|loan|charger|keys?|service|repair))", _read_car_noun),
    # work: "as a paralegal at Hart & Cole", "being their new project manager", "first week at Keystone"
    _cue("bare", rf"(?i:\bas\s+(?:a|an|the|their|our)\s+)(?P<role>[a-z-]+(?:\s+[a-z-]+){{0,2}}?)(?i:\s+(?:at|for|with)\s+{_THE}){_ORG}", _read_role_at),
    _cue("bare", r"(?i:\bbeing\s+(?:a|an|the|their|our)\s+)(?P<role>[a-z-]+(?:\s+[a-z-]+){0,2})", _read_role_at),
    _cue("first", rf"(?i:\bi(?:'ve|\s+have)?\s+(?:[^.;!?]{{0,50}}?\band\s+)?{_ADVX}(?:joined|started\s+at)\s+{_THE}){_ORG}"
                  r"(?i:\s+as\s+(?:a|an|the|their|our)\s+(?:new\s+)?)"
                 r"(?P<role>[a-z-]+(?:\s+[a-z-]+){0,2})", _read_role_at),
    _cue("bare", rf"(?i:\b(?:(?:my|another|a|the)\s+)?(?:(?:first|second|third|new|long|late|early|busy|crazy|"
                 rf"double|night|morning|evening|12-hour|exhausting)\s+)*(?:shift|shifts|first\s+day|first\s+week|"
                 rf"first\s+month|onboarding|probation|workday|work\s+day)\s+(?:at|with)\s+{_THE}){_ORG}", _read_org),
    _cue("own", rf"(?i:\bmy\s+){_MOD}(?i:boss|manager|coworkers|co-workers|colleagues|team|office|desk|"
                rf"shift|department|employer)(?i:\s+at\s+{_THE}){_ORG}", _read_org),
    _cue("own", rf"(?i:\bmy\s+){_MOD}(?i:job|role|position)(?i:\s+as\s+(?:a|an|the)?\s*)(?P<role>[a-z-]+(?:\s+[a-z-]+){{0,2}}?)"
                rf"(?:(?i:\s+(?:at|for|with)\s+{_THE}){_ORG}|(?=\s*(?:$|[.,;!]|\s(?:is|has|was|keeps|starts))))", _read_role_at),
    _cue("first", r"(?i:\b(?:i(?:'ve|\s+have)?\s+(?:just\s+|finally\s+)?(?:been\s+|got\s+|was\s+)?)promoted\s+to\s+(?:a\s+|an\s+)?)"
                  r"(?P<role>[a-z-]+(?:\s+[a-z-]+){0,2})", _read_role_at),
    _cue("first", rf"(?i:{_I_SUBJ}{_ADVX}started\s+(?:my|a|the)\s+(?:new\s+)?(?:job|role|position)\s+(?:at|with)\s+{_THE}){_ORG}", _read_org),
    # home: "moved into a flat in Leeds", "got the keys to our new house in Bath", "since moving to Oslo"
    _cue("first", rf"(?i:{_I_SUBJ}{_ADVX}(?:moved|relocated)\s+(?:in)?to\s+(?:a|an|our|my|the)\s+(?:\w+\s+){{0,2}}{_HOME_NOUN}\s+in\s+{_THE})(?P<v>{_NAME})",
         _slot_value("home_city")),
    _cue("bare", rf"(?i:\b(?:got|signed|picked\s+up)\s+(?:the\s+keys\s+to|the\s+lease\s+(?:on|for))\s+(?:a|an|our|my)\s+(?:\w+\s+){{0,2}}{_HOME_NOUN}\s+in\s+{_THE})(?P<v>{_NAME})",
         _slot_value("home_city")),
    _cue("bare", rf"(?i:\bsince\s+(?:moving|relocating)\s+(?:back\s+)?to\s+{_THE})(?P<v>{_NAME})", _slot_value("home_city")),
    _cue("own", rf"(?i:\b(?:my|our)\s+new\s+(?:address|{_HOME_NOUN})\s+(?:is|'s)\s+(?:now\s+)?in\s+{_THE})(?P<v>{_NAME})",
         _slot_value("home_city")),
    # hometown: "Back in Bled, where I spent my childhood", "growing up in Cork"
    _cue("first", rf"(?P<v>{_NAME}),?\s+(?i:where\s+i\s+(?:grew\s+up|spent\s+my\s+(?:whole\s+)?(?:childhood|early\s+years|youth)|"
                  rf"was\s+born(?:\s+and\s+raised)?|was\s+raised))", _slot_value("hometown")),
    _cue("first", rf"(?i:\bi\s+spent\s+my\s+(?:whole\s+)?(?:childhood|early\s+years|youth)\s+in\s+{_THE})(?P<v>{_NAME})", _slot_value("hometown")),
    _cue("bare", rf"(?i:\b(?:growing\s+up|back\s+home)\s+in\s+{_THE})(?P<v>{_NAME})", _slot_value("hometown")),
    _cue("own", rf"(?i:\bmy\s+home\s*town\s+(?:of\s+)?{_THE})(?P<v>{_NAME})", _slot_value("hometown")),
    # diet: "I'm eating vegan these days", "I've been vegetarian for years", "I stopped eating meat"
    _cue("first", rf"(?i:{_I_SUBJ}{_ADVX}(?:eating|going|living|been|switched\s+to|sticking\s+to|doing)\s+(?:a\s+|an\s+)?"
                  rf"(?:mostly\s+|strictly\s+|fully\s+|100%\s+)?(?P<v>{_DIET})\b)(?!\s+(?:food|restaurant|place|recipe|dish|option))",
         _slot_value("diet", fn=_diet_value)),
    _cue("first", rf"(?i:\bi\s+{_ADVX}(?:stopped|quit|gave\s+up|cut\s+out|cut)\s+(?:eating\s+)?(?P<v>{lx.NO_MEAT_ALT})\b)(?!\s+(?:for|this|today|until))",
         _slot_value("diet", fn=_no_meat)),
    _cue("first", rf"(?i:\bi\s+(?:don't|do\s+not)\s+eat\s+(?:any\s+)?(?P<v>{lx.NO_MEAT_ALT})\b)(?!\s+(?:for|this|today|until|on))",
         _slot_value("diet", fn=_no_meat), negation_ok=True),
    # allergies and intolerances: "shellfish gives me hives", "I react badly to penicillin"
    _cue("first", rf"(?i:\b(?P<v>{lx.ALLERGEN})\s+(?:gives?|give)\s+me\s+{lx.REACTIONS})", _slot_value("allergy", fn=_lower)),
    _cue("first", rf"(?i:\bi\s+{_ADVX}react\s+(?:badly\s+|really\s+badly\s+|terribly\s+)?to\s+(?P<v>{lx.ALLERGEN})\b)", _slot_value("allergy", fn=_lower)),
    _cue("first", rf"(?i:\bi\s+(?:can't|cannot|can\s+not)\s+(?:eat|have|touch|tolerate|be\s+around)\s+(?:any\s+)?(?P<v>{lx.ALLERGEN})\b)"
                  r"(?=[^.!?]*\b(?i:allerg\w*|intoleran\w*|hives|epipen|reaction|anaphyla\w*))", _slot_value("allergy", fn=_lower), negation_ok=True),
    _cue("first", r"(?i:{I}{A}intolerant\s+(?:to|of)\s+(?P<v>[a-z]+))".replace("{I}", _I_SUBJ).replace("{A}", _ADVX),
         _slot_value("health", fn=lambda raw: f"{raw.lower()} intolerance")),
    _cue("own", r"(?i:\bmy\s+(?P<v>[a-z]+)\s+intolerance\b)", _slot_value("health", fn=lambda raw: f"{raw.lower()} intolerance")),
    _cue("own", r"(?i:\bmy\s+(?P<v>asthma|diabetes|type\s+[12]\s+diabetes|celiac|coeliac|migraines|epilepsy|adhd|arthritis|"
                r"eczema|psoriasis|high\s+blood\s+pressure|hypertension|tinnitus|ibs|crohn's|insomnia|sleep\s+apnea|"
                r"long\s+covid|hay\s+fever|lupus|ms|fibromyalgia|gout|anemia|endometriosis|pcos)\b)",
         _slot_value("health", fn=_lower)),
    # exercise: "I go to spin class now instead", "switched to pilates", "my workout routine is yoga",
    # "I row on the river these days", "I swim laps three times a week"
    _cue("first", rf"(?i:\bi\s+{_ADVX}(?P<v>{_EXERCISE_VERB})\b)(?!\s+(?:late|out|into|over|away|errands|a|an|the|my|our|things|it)\b){_FREQ_CUE}",
         _slot_value("exercise", fn=_canon(_EXERCISE_VERBS)), transient_ok=False),
    _cue("first", rf"(?i:\bi\s+{_ADVX}play\s+(?P<v>(?:{_SPORT_MOD})?{_SPORT})\b){_SWITCH_CUE}",
         _slot_value("exercise", fn=_lower), transient_ok=False),
    _cue("first", rf"(?i:\bi\s+{_ADVX}(?:go\s+to|do|attend|hit)\s+{_THE}{_EXER}\b)", _slot_value("exercise", fn=_canon(lx.EXERCISE)),
         transient_ok=False),
    _cue("first", rf"(?i:{_I_SUBJ}{_ADVX}(?:been\s+)?(?:going\s+to|doing|hitting)\s+{_THE}{_EXER}\b){_FREQ_CUE}",
         _slot_value("exercise", fn=_canon(lx.EXERCISE)), transient_ok=False),
    _cue("first", rf"(?i:{_I_SUBJ}{_ADVX}(?:started|switched\s+to|taken\s+up|took\s+up|signed\s+up\s+for|joined|got\s+into)\s+"
                  rf"(?:a\s+|the\s+|doing\s+|going\s+to\s+)?(?:local\s+|new\s+)?{_EXER}\b)"
                  r"(?!\s+(?:club|group|team|league|buddy|shoes|gear))", _slot_value("exercise", fn=_canon(lx.EXERCISE))),
    _cue("own", rf"(?i:\bmy\s+(?:new\s+)?(?:workout|fitness|exercise|training)(?:\s+(?:plan|routine|regime|regimen))?\s+(?:is|now\s+is|'s|:)\s+"
                rf"(?:mostly\s+|all\s+|just\s+)?{_THE}{_EXER}\b)", _slot_value("exercise", fn=_canon(lx.EXERCISE))),
    # hobbies: "my pottery class", "I'm in a chess club", "joined a climbing group"
    _cue("own", rf"(?i:\bmy\s+){_MOD}(?P<v>(?i:{lx.HOBBY_NOUNS}))\s+(?P<g>(?i:{lx.HOBBY_GROUPS}))\b", _read_hobby_group),
    _cue("first", rf"(?i:{_I_SUBJ}{_ADVX}(?:in|joined|started|signed\s+up\s+for)\s+(?:a|the)\s+(?:local\s+|new\s+)?)"
                  rf"(?P<v>(?i:{lx.HOBBY_NOUNS}))\s+(?P<g>(?i:{lx.HOBBY_GROUPS}|band|choir))\b", _read_hobby_group),
    # languages: "my Japanese tutor", "my Spanish is improving", "practising my Italian"
    _cue("own", rf"(?i:\bmy\s+(?:new\s+)?(?P<v>{_LANGUAGE})\s+(?:{lx.LANGUAGE_THINGS})\b)", _slot_value("language_learning", fn=str.capitalize)),
    _cue("own", rf"(?i:\bmy\s+(?P<v>{_LANGUAGE})\s+(?:is|'s)\s+(?:\w+\s+)?(?:improving|getting\s+better|coming\s+along|progressing))",
         _slot_value("language_learning", fn=str.capitalize)),
    _cue("first", rf"(?i:\b(?:practicing|practising|studying|brushing\s+up\s+on|working\s+on)\s+my\s+(?P<v>{_LANGUAGE})\b)",
         _slot_value("language_learning", fn=str.capitalize)),
    # standing orders: "my usual order is an oat flat white", "I always get a cortado"
    _cue("own", r"(?i:\bmy\s+(?:usual|regular|go-to|standard|daily|morning|default)\s+(?:coffee\s+order|order|drink|coffee|lunch|"
                r"breakfast|tipple)\s+(?:is|'s|=|:)\s+(?:now\s+)?)(?P<v>[^.,;!?]+)", _read_order),
    _cue("first", rf"(?i:\bi\s+(?:always|usually|normally|typically)\s+(?:order|get|have|grab|drink)\s+(?:a\s+|an\s+)?)"
                  rf"(?P<v>(?:[a-z-]+\s+){{0,2}}?(?i:{lx.DRINKS}))\b", _read_order),
    _cue("first", rf"(?i:{_I_SUBJ}{_ADVX}switched\s+to\s+(?:a\s+|an\s+)?)(?P<v>(?:[a-z-]+\s+){{0,2}}?(?i:{lx.DRINKS}))\b", _read_order),
    _cue("first", rf"(?i:{_I_SUBJ}{_ADVX}(?:switched|changed)\s+my\s+(?:usual\s+|regular\s+|morning\s+|daily\s+|coffee\s+)*(?:order|drink|coffee)\s+to\s+(?:a\s+|an\s+)?)"
                  rf"(?P<v>(?:[a-z-]+\s+){{0,2}}?(?i:{lx.DRINKS}))\b", _read_order),
    # birthdays and anniversaries
    _cue("own", rf"(?i:\bmy\s+(?:birthday|bday|b-day)\s+(?:is\s+|'s\s+)?(?:coming\s+up\s+)?(?:on\s+|falls\s+on\s+)?(?:the\s+)?){_DATE}",
         _slot_value("birthday", fn=_birthday)),
    _cue("first", rf"(?i:\bi(?:'m|\s+am)?\s+turn(?:ing|s)?\s+\d{{1,3}}\s+on\s+(?:the\s+)?){_DATE}", _slot_value("birthday", fn=_birthday)),
    _cue("own", rf"(?i:\bour\s+(?:wedding\s+)?anniversary\s+(?:is\s+|'s\s+)?(?:coming\s+up\s+)?(?:on\s+)?(?:the\s+)?){_DATE}",
         _slot_value("anniversary", fn=_birthday)),
    _cue("own", rf"(?i:{_DATE}\s+is\s+our\s+(?:wedding\s+)?anniversary)", _slot_value("anniversary", fn=_birthday)),
    _cue("first", rf"(?i:\bwe\s+got\s+married\s+on\s+(?:the\s+)?){_DATE}", _slot_value("anniversary", fn=_birthday)),
    # commute: "cycling to work these days", "my bike commute", "my commute is by tram now"
    _cue("first", rf"(?i:(?:\bi'm|\bi\s+am|\bi've\s+been|\bi\s+have\s+been|\bstarted|\bswitched\s+to|\bbeen)\s+{_ADVX}"
                  rf"(?P<v>{lx.COMMUTE_GERUND})\s+to\s+(?:work|the\s+office|school|campus|uni)\b)",
         _slot_value("commute", fn=_canon(lx.COMMUTE_GERUNDS)), transient_ok=False),
    _cue("own", rf"(?i:\bmy\s+(?:daily\s+|new\s+|morning\s+)?commute\s+(?:is\s+)?(?:now\s+)?(?:by|on)\s+(?:the\s+|my\s+)?(?P<v>{lx.COMMUTE_MODE})\b)",
         _slot_value("commute", fn=_canon(lx.COMMUTE_MODES))),
    _cue("own", rf"(?i:\bmy\s+(?:daily\s+|new\s+|morning\s+)?(?P<v>{lx.COMMUTE_MODE})\s+commute\b)", _slot_value("commute", fn=_canon(lx.COMMUTE_MODES))),
    _cue("first", rf"(?i:\bi\s+{_ADVX}(?:ride|take|catch|get\s+in|go\s+in|travel\s+in|come\s+in)\s+(?:on\s+|by\s+|in\s+)?(?:my|the|a|an)?\s*"
                  rf"(?P<v>{lx.COMMUTE_MODE})\b)(?=[^.;!?]*\b(?i:now|these\s+days|nowadays|instead|every\s+day|most\s+days|daily|commute|to\s+work|to\s+the\s+office)\b)",
         _slot_value("commute", fn=_canon(lx.COMMUTE_MODES)), transient_ok=False),
    _cue("bare", rf"(?i:\b(?:these\s+days|nowadays)\s*,?\s+i\s+{_ADVX}(?:ride|take|catch|get\s+in|go\s+in|travel\s+in|come\s+in)\s+(?:on\s+|by\s+|in\s+)?(?:my|the|a|an)?\s*"
                 rf"(?P<v>{lx.COMMUTE_MODE})\b)", _slot_value("commute", fn=_canon(lx.COMMUTE_MODES))),
    # teams: "I support Arsenal", "I'm a die-hard Lakers fan"
    _cue("first", rf"(?i:\bi\s+{_ADVX}(?:support|root\s+for|cheer\s+for|follow))\s+(?P<v>{_NAME})", _read_team),
    _cue("first", rf"(?i:{_I_SUBJ}(?:a|an)\s+(?:(?:huge|big|massive|die-?hard|lifelong|loyal|proud|long-suffering)\s+)*)(?P<v>{_NAME})(?i:\s+(?:fan|supporter))",
         _read_team),
    _cue("first", rf"(?i:\bseason\s+ticket\s+(?:holder\s+)?(?:at|for)\s+)(?P<v>{_NAME})", _read_team),
    # standing dislikes of food and drink: "I genuinely can't stand olives"
    _cue("first", rf"(?i:\bi\s+{_ADVX}(?:can't|cannot|can\s+not)\s+(?:stand|bear|stomach|abide)\s+(?P<v>{lx.FOODS})\b)",
         _slot_value("dislike", fn=_lower), negation_ok=True),
    _cue("first", rf"(?i:\bi\s+{_ADVX}(?:hate|detest|loathe|despise)\s+(?P<v>{lx.FOODS})\b)", _slot_value("dislike", fn=_lower)),
    _cue("first", rf"(?i:{_I_SUBJ}not\s+a\s+(?:big\s+|huge\s+)?fan\s+of\s+(?P<v>{lx.FOODS})\b)", _slot_value("dislike", fn=_lower),
         negation_ok=True),
]


def _clause_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    lo, hi = 0, len(sentence)
    for sep in _CLAUSE_SPLIT.finditer(sentence):
        if sep.end() <= start:
            lo = sep.end()
        elif sep.start() >= end:
            hi = sep.start()
            break
    return lo, hi


def _cue_ok(cue: _Cue, sentence: str, m: re.Match[str]) -> bool:
    lo, hi = _clause_span(sentence, m.start(), m.end())
    clause, before = sentence[lo:hi], sentence[lo:m.start()]
    if _UNREAL_CLAUSE.search(clause) or (not cue.negation_ok and _NEGATION.search(before)):
        return False
    if not cue.transient_ok and _TRANSIENT.search(clause):
        return False
    if cue.mode == "own":
        return _LOSS.search(clause) is None and not re.search(r"\b(?:her|his|their)\s*$", before, _I)
    if _HEARSAY_VERB.search(clause):
        return False
    if cue.mode == "bare":
        rest = before + " " + sentence[m.end():hi]
        return (_HEARSAY.search(rest) is None and _OTHER_SUBJECT.search(before) is None
                and _NAMED_SUBJECT.search(_LEAD.sub("", before)) is None)
    return _OTHER_SUBJECT.search(_LEAD.sub("", before)) is None or re.search(r"\b(?:i|we)\b", before, _I) is not None


def _cue_facts(sentence: str) -> list[Fact]:
    found: list[Fact] = []
    for cue in _CUES:
        for m in cue.rx.finditer(sentence):
            if not _cue_ok(cue, sentence, m):
                continue
            for slot, value in cue.read(m, sentence):  # type: ignore[operator]
                if value and len(value) <= 60 and normalize_key(value):
                    found.append(Fact(slot, value))
    return found
