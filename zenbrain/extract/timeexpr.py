"""Rule-based English time expressions: the event time of a sentence and the window of a temporal query.

Everything is resolved against an explicit reference instant `at` (an aware datetime, read as UTC);
nothing here reads a clock. Conventions (SPEC §5.1 step 1 and §5.2 step 2; the details are ours):

* A day named without a clock time ("yesterday", "last Tuesday", "3 days ago", "2026-03-01") resolves
  to 12:00 UTC of that day; minutes and hours ago are exact offsets; a part of a day uses a fixed hour
  (morning 09:00, afternoon 15:00, evening 19:00, night 21:00); a month resolves to its 15th and a
  year to 1 July, both at noon. A point inside a window that contains `at` is clamped to `at`.
* Weekdays, month-days and months given without a year mean the most recent one on or before `at`
  ("last Tuesday": strictly before), or the next one when the sentence speaks of the future
  ("will", "'ll", "going to", "next", "remind me").
* Query windows are half-open `[start, end)` in UTC. "last/previous week|month|year" is the previous
  calendar unit (ISO weeks start on Monday), "this <unit>" the current one and "next <unit>" the
  following one; "past week|month|year" and "the last N days" are rolling and end with `at`'s day.
  "N days ago" is that day; "N weeks|months|years ago" the calendar unit holding it; "N hours ago" the
  two hours around it. "since X" runs from X to the end of `at`'s day, "after X" from X's end, and
  "before X" from 1970-01-01 to X's start. Expressions without a date ("before I moved", "the first
  time") give no window.

When a text holds several expressions the earliest one wins (longest on a tie). US numeric dates
such as 3/1/2025 are ambiguous and deliberately not parsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from zenbrain.errors import InvalidInputError
from zenbrain.extract.text import normalize

__all__ = ["TimeWindow", "has_time_expression", "query_window", "resolve_event_time"]


@dataclass(frozen=True)
class TimeWindow:
    """A half-open UTC interval `[start, end)`.

    Attributes:
        start: The first instant inside the window.
        end: The first instant after the window.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise InvalidInputError("TimeWindow bounds must be timezone-aware datetimes")
        if self.end <= self.start:
            raise InvalidInputError(
                f"TimeWindow end {self.end} is not after its start {self.start}"
            )

    def __contains__(self, instant: object) -> bool:
        return isinstance(instant, datetime) and self.start <= instant < self.end


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    point: datetime
    window: TimeWindow


# An open "before X" window needs some start; the Unix epoch predates every memory we can hold.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NOON = time(12, 0)
_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS = {
    d: i
    for i, d in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a few": 3,
    "few": 3,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "several": 3,
}
# Hours of the day that stand for a part of the day, and the window each part covers.
_PARTS = {
    "morning": (9, 5, 12),
    "afternoon": (15, 12, 17),
    "evening": (19, 17, 22),
    "night": (21, 17, 24),
}

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUM_RE = r"\d{1,6}|" + "|".join(sorted(map(re.escape, _NUMBERS), key=len, reverse=True))
_UNIT_RE = r"(?P<unit>minute|min|hour|hr|day|week|month|year)s?"
_DAY_RE = "|".join(_WEEKDAYS)

_FUTURE = re.compile(
    r"\b(?:will|shall|gonna|going to|plan(?:ning)? to|next|tomorrow|upcoming|remind me|"
    r"in (?:\d{1,3}|a|an|one|two|three|a few|a couple of) (?:minute|hour|day|week|month|year)s?)\b|'ll\b"
)
_MODIFIER = re.compile(r"\b(since|after|from|before|until|till|by|prior to)\s+(?:the\s+)?$")

_ISO = re.compile(
    r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[t ](?P<hh>\d{2}):(?P<mm>\d{2})(?::(?P<ss>\d{2}))?"
    r"(?:\.\d+)?(?P<tz>z|[+-]\d{2}:?\d{2})?)?\b"
)
_MONTH_DAY = re.compile(
    rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?"
)
_DAY_MONTH = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_RE})\b\.?(?:,?\s+(?P<y>\d{{4}})\b)?"
)
_MONTH_YEAR = re.compile(rf"\b(?P<mon>{_MONTH_RE})\s+(?P<y>\d{{4}})\b")
_IN_MONTH = re.compile(
    rf"\b(?P<rel>in|during|since|after|before|until|by|from|last|this|next|early|late|mid)[\s-]+"
    rf"(?P<mon>{_MONTH_RE})\b(?!\.?\s*\d)"
)
_IN_YEAR = re.compile(
    r"\b(?:in|during|throughout|since|by|until|before|after|of)\s+(?P<y>(?:19|20)\d{2})\b(?!-)"
)
_DAY_WORD = re.compile(
    r"\b(?:(?P<before>the day before yesterday)|(?P<after>the day after tomorrow)|"
    r"(?P<word>yesterday|today|tomorrow|tonight|this|last)(?:\s+(?P<part>morning|afternoon|evening|night))?)\b"
)
_WEEKDAY = re.compile(rf"\b(?:(?P<rel>last|this|next|on|past|coming)\s+)?(?P<day>{_DAY_RE})\b(?!s)")
_AGO = re.compile(rf"\b(?P<n>{_NUM_RE})\s+{_UNIT_RE}\s+(?:ago|back|earlier)\b")
_IN_N = re.compile(rf"\bin\s+(?P<n>{_NUM_RE})\s+{_UNIT_RE}\b")
_REL_UNIT = re.compile(
    r"\b(?P<rel>last|previous|this|next|past|coming)\s+(?P<unit>week|month|year|weekend)\b"
)
_LAST_N = re.compile(rf"\b(?:last|past|previous)\s+(?P<n>{_NUM_RE})\s+{_UNIT_RE}\b")
_VAGUE = re.compile(r"\b(?P<w>recently|lately|the other day|earlier today|just now|right now)\b")


def _utc(at: datetime) -> datetime:
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise InvalidInputError(
            f"at must be a timezone-aware datetime, got {at!r}; convert naive values with clock.to_utc() first"
        )
    return at.astimezone(UTC)


def _midnight(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=UTC)


def _noon(d: date) -> datetime:
    return datetime.combine(d, _NOON, tzinfo=UTC)


def _day_window(d: date) -> TimeWindow:
    return TimeWindow(_midnight(d), _midnight(d + timedelta(days=1)))


def _week_window(d: date) -> TimeWindow:
    monday = d - timedelta(days=d.weekday())
    return TimeWindow(_midnight(monday), _midnight(monday + timedelta(days=7)))


def _month_window(year: int, month: int) -> TimeWindow:
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return TimeWindow(_midnight(date(year, month, 1)), _midnight(nxt))


def _year_window(year: int) -> TimeWindow:
    return TimeWindow(_midnight(date(year, 1, 1)), _midnight(date(year + 1, 1, 1)))


def _shift_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (_month_window(year, month).end - timedelta(days=1)).day
    return date(year, month, min(d.day, last))


def _number(raw: str) -> int:
    return int(raw) if raw.isdigit() else _NUMBERS[raw]


def _clamped(point: datetime, window: TimeWindow, at: datetime) -> datetime:
    # A representative point must not lie in the future of a window that is still running.
    return min(point, at) if at in window else point


def _hit(m: re.Match[str], point: datetime, window: TimeWindow, at: datetime) -> _Hit:
    return _Hit(m.start(), m.end(), _clamped(point, window, at), window)


def _pick_year(month: int, day: int, *, today: date, future: bool) -> date:
    candidate = date(today.year, month, day) if _valid(today.year, month, day) else None
    if future:
        if candidate is None or candidate < today:
            candidate = date(today.year + 1, month, day)
    elif candidate is None or candidate > today:
        candidate = date(today.year - 1, month, day)
    return candidate


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _iso(m: re.Match[str], at: datetime, future: bool) -> _Hit | None:
    d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    if m["hh"] is None:
        return _hit(m, _noon(d), _day_window(d), at)
    tz = "+00:00" if m["tz"] in (None, "z") else m["tz"]
    stamp = f"{m['y']}-{m['m']}-{m['d']}T{m['hh']}:{m['mm']}:{m['ss'] or '00'}{tz}"
    point = datetime.fromisoformat(stamp).astimezone(UTC)
    return _Hit(m.start(), m.end(), point, _day_window(point.date()))


def _month_day(m: re.Match[str], at: datetime, future: bool) -> _Hit | None:
    month, day = _MONTHS[m["mon"]], int(m["d"])
    if m["y"]:
        d = date(int(m["y"]), month, day)
    else:
        d = _pick_year(month, day, today=at.date(), future=future)
    return _hit(m, _noon(d), _day_window(d), at)


def _month_year(m: re.Match[str], at: datetime, future: bool) -> _Hit | None:
    year, month = int(m["y"]), _MONTHS[m["mon"]]
    return _hit(m, _noon(date(year, month, 15)), _month_window(year, month), at)


def _in_month(m: re.Match[str], at: datetime, future: bool) -> _Hit | None:
    month, today, rel = _MONTHS[m["mon"]], at.date(), m["rel"]
    if rel == "next" or (future and rel not in ("last", "this")):
        year = today.year if month > today.month else today.year + 1
    elif rel == "last":
        year = today.year if month < today.month else today.year - 1
    else:
        year = today.year if month <= today.month else today.year - 1
    w = _month_window(year, month)
    point = _clamped(_noon(date(year, month, 15)), w, at)
    # After a preposition the span starts at the month, so "since March" is seen as a modifier.
    start = m.start() if rel in ("last", "this", "next", "early", "late", "mid") else m.start("mon")
    return _Hit(start, m.end(), point, w)


def _in_year(m: re.Match[str], at: datetime, future: bool) -> _Hit | None:
    year = int(m["y"])
    w = _year_window(year)
    # The span starts at the year so that a preceding "since"/"before" is seen as its modifier.
    return _Hit(m.start("y"), m.end(), _clamped(_noon(date(year, 7, 1)), w, at), w)


def _day_word(m: re.Match[str], at: datetime, future: bool) -> _Hit | None:
    today = at.date()
    if m["before"] or m["after"]:
        d = today + timedelta(days=-2 if m["before"] else 2)
        return _hit(m, _noon(d), _day_window(d), at)
    word, part = m["word"], m["part"]
    if word == "tonight":
        word, part = "today", part or "night"
    if word in ("this", "last"):
        if part is None or (word == "last" and part != "night"):
            return None
        word = "yesterday" if word == "last" else "today"
    offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[word]
    d = today + timedelta(days=offset)
    if part is None:
        return _hit(m, at if offset == 0 else _noon(d), _day_window(d), at)
    hour, lo, hi = _PARTS[part]
    base = _midnight(d)
    # A night runs into the small hours of the next day.
    hi = 29 if part == "night" else hi
    window = TimeWindow(base + timedelta(hours=lo), base + timedelta(hours=hi))
    return _hit(m, base + timedelta(hours=hour), window, at)


def _weekday(m: re.Match[str], at: datetime, future: bool) -> _Hit | None:
    today = at.date()
    target, rel = _WEEKDAYS[m["day"]], m["rel"]
    back = (today.weekday() - target) % 7
    ahead = (target - today.weekday()) % 7
    if rel in ("last", "past"):
        d = today - timedelta(days=back or 7)
    elif rel in ("next", "coming"):
        d = today + timedelta(days=ahead or 7)
    elif future:
        d = today + timedelta(days=ahead)
    else:
        d = today - timedelta(days=back)
    return _hit(m, _noon(d), _day_window(d), at)


def _unit_hit(m: re.Match[str], n: int, at: datetime) -> _Hit:
    """A point `n` units from `at` (negative: past) and the calendar unit that holds it."""
    unit = m["unit"]
    if unit in ("minute", "min", "hour", "hr"):
        step = timedelta(minutes=1) if unit.startswith("min") else timedelta(hours=1)
        point = at + n * step
        return _Hit(m.start(), m.end(), point, TimeWindow(point - step, point + step))
    today = at.date()
    if unit == "day":
        d = today + timedelta(days=n)
        return _Hit(m.start(), m.end(), _noon(d), _day_window(d))
    if unit == "week":
        d = today + timedelta(weeks=n)
        return _Hit(m.start(), m.end(), _noon(d), _week_window(d))
    d = _shift_months(today, n if unit == "month" else 12 * n)
    w = _month_window(d.year, d.month) if unit == "month" else _year_window(d.year)
    return _Hit(m.start(), m.end(), _noon(d), w)


def _ago(m: re.Match[str], at: datetime, future: bool) -> _Hit | None:
    return _unit_hit(m, -_number(m["n"]), at)


def _in_n(m: re.Match[str], at: datetime, future: bool) -> _Hit | None:
    return _unit_hit(m, _number(m["n"]), at)


def _last_n(m: re.Match[str], at: datetime, future: bool) -> _Hit | None:
    probe = _unit_hit(m, -_number(m["n"]), at)
    end_of_today = _midnight(at.date() + timedelta(days=1))
    return _Hit(m.start(), m.end(), probe.point, TimeWindow(probe.window.start, end_of_today))


def _rel_unit(m: re.Match[str], at: datetime, future: bool) -> _Hit | None:
    today = at.date()
    rel, unit = m["rel"], m["unit"]
    step = {"last": -1, "previous": -1, "this": 0, "next": 1, "coming": 1, "past": -1}[rel]
    if unit == "weekend":
        saturday = today - timedelta(days=today.weekday()) + timedelta(days=5 + 7 * step)
        w = TimeWindow(_midnight(saturday), _midnight(saturday + timedelta(days=2)))
        return _hit(m, _noon(saturday), w, at)
    if rel == "past":
        start = today - timedelta(days={"week": 7, "month": 30, "year": 365}[unit])
        end_of_today = _midnight(today + timedelta(days=1))
        return _Hit(m.start(), m.end(), _noon(start), TimeWindow(_midnight(start), end_of_today))
    if unit == "week":
        d = today + timedelta(weeks=step)
        return _hit(m, at if step == 0 else _noon(d), _week_window(d), at)
    if unit == "month":
        d = _shift_months(today, step)
        point = at if step == 0 else _noon(d.replace(day=15))
        return _hit(m, point, _month_window(d.year, d.month), at)
    year = today.year + step
    return _hit(m, at if step == 0 else _noon(date(year, 7, 1)), _year_window(year), at)


def _vague(m: re.Match[str], at: datetime, future: bool) -> _Hit | None:
    today = at.date()
    w = m["w"]
    if w == "the other day":
        window = TimeWindow(_midnight(today - timedelta(days=7)), _midnight(today))
        return _Hit(m.start(), m.end(), _noon(today - timedelta(days=3)), window)
    if w in ("recently", "lately"):
        # In conversation "recently" rarely reaches back more than a fortnight.
        end_of_today = _midnight(today + timedelta(days=1))
        return _Hit(
            m.start(), m.end(), at, TimeWindow(_midnight(today - timedelta(days=14)), end_of_today)
        )
    return _Hit(m.start(), m.end(), at, _day_window(today))


_Resolver = Callable[[re.Match[str], datetime, bool], "_Hit | None"]
_RULES: tuple[tuple[re.Pattern[str], _Resolver], ...] = (
    (_ISO, _iso),
    (_MONTH_DAY, _month_day),
    (_DAY_MONTH, _month_day),
    (_MONTH_YEAR, _month_year),
    (_IN_MONTH, _in_month),
    (_IN_YEAR, _in_year),
    (_DAY_WORD, _day_word),
    (_WEEKDAY, _weekday),
    (_AGO, _ago),
    (_IN_N, _in_n),
    (_LAST_N, _last_n),
    (_REL_UNIT, _rel_unit),
    (_VAGUE, _vague),
)


def _hits(low: str, at: datetime) -> list[_Hit]:
    future = _FUTURE.search(low) is not None
    found: list[_Hit] = []
    for pattern, resolver in _RULES:
        for m in pattern.finditer(low):
            try:
                hit = resolver(m, at, future)
            except (ValueError, OverflowError):
                # Impossible dates (2026-02-30) and absurd offsets are simply not time expressions.
                continue
            if hit is not None:
                found.append(hit)
    return sorted(found, key=lambda h: (h.start, -(h.end - h.start)))


def _first(text: str, at: datetime) -> tuple[str, _Hit] | None:
    if not isinstance(text, str):
        raise InvalidInputError(f"text must be a str, got {type(text).__name__}")
    low = normalize(text)
    hits = _hits(low, _utc(at))
    return (low, hits[0]) if hits else None


def resolve_event_time(text: str, *, at: datetime) -> datetime | None:
    """Return when the event described in `text` happened (or will happen), or None.

    Args:
        text: Free text, e.g. "Took Luna to the vet yesterday".
        at: The reference instant (aware; read as UTC), normally the memory's created_at.

    Returns:
        An aware UTC datetime following the module conventions, or None when `text` holds no
        time expression.

    Raises:
        InvalidInputError: `at` is naive or `text` is not a str.
    """
    found = _first(text, at)
    if found is None:
        return None
    low, hit = found
    modifier = _MODIFIER.search(low[: hit.start])
    if modifier is None:
        return hit.point
    word = modifier.group(1)
    if word in ("before", "until", "till", "by", "prior to"):
        return _noon(hit.window.start.date() - timedelta(days=1))
    if word == "after":
        return _noon(hit.window.end.date())
    return _noon(hit.window.start.date())


def query_window(text: str, *, at: datetime) -> TimeWindow | None:
    """Return the time window a temporal query asks about, or None when it names no date.

    Args:
        text: A query such as "what did I do last week" or "what happened in 2023".
        at: The as-of instant of the query (aware; read as UTC).

    Returns:
        A half-open UTC `TimeWindow` following the module conventions, or None.

    Raises:
        InvalidInputError: `at` is naive or `text` is not a str.
    """
    found = _first(text, at)
    if found is None:
        return None
    low, hit = found
    modifier = _MODIFIER.search(low[: hit.start])
    if modifier is None:
        return hit.window
    word = modifier.group(1)
    if word in ("before", "prior to"):
        return TimeWindow(_EPOCH, max(hit.window.start, _EPOCH + timedelta(days=1)))
    if word in ("until", "till", "by"):
        return TimeWindow(_EPOCH, max(hit.window.end, _EPOCH + timedelta(days=1)))
    start = hit.window.end if word == "after" else hit.window.start
    end_of_today = _midnight(_utc(at).date() + timedelta(days=1))
    return TimeWindow(start, max(end_of_today, start + timedelta(days=1)))


def has_time_expression(text: str) -> bool:
    """Tell whether `text` holds a time expression this module can resolve."""
    if not isinstance(text, str):
        return False
    # The reference instant only moves the result, never whether something matches.
    return bool(_hits(normalize(text), datetime(2000, 1, 1, tzinfo=UTC)))
