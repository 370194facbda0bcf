"""Compositional context similarity and boost (SPEC §4.1.5) [P~; P values, D formula].

Defines `ContextParams`, the `Context` value (time-of-day bucket, weekday, task type) and pure
functions: `context_of` (bucket from the wall-clock hour: morning 5-12, afternoon 12-17, evening
17-22, night otherwise), ``sim = 0.4*s_time + 0.2*s_day + 0.4*s_task`` and the encoding-specificity
boost ``1 + 0.3*sim`` [P]. Buckets are treated as a cycle, so night and morning are adjacent. A
small keyword classifier `classify_task` gives a task type when metadata has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, cast, get_args

from zenbrain.algorithms._validate import non_negative, unit
from zenbrain.errors import InvalidInputError

__all__ = [
    "CONTEXT_DEFAULT",
    "RELATED_TASKS",
    "TASK_TYPES",
    "TIME_BUCKETS",
    "Context",
    "ContextParams",
    "TaskType",
    "TimeBucket",
    "boost",
    "classify_task",
    "context_of",
    "similarity",
    "time_bucket",
]

TimeBucket = Literal["morning", "afternoon", "evening", "night"]
TaskType = Literal["coding", "writing", "planning", "personal", "learning", "other"]
TIME_BUCKETS: tuple[TimeBucket, ...] = get_args(TimeBucket)
TASK_TYPES: tuple[TaskType, ...] = get_args(TaskType)

# Related task pairs [D].
RELATED_TASKS: frozenset[frozenset[str]] = frozenset(
    frozenset(p)
    for p in (
        ("coding", "learning"),
        ("writing", "learning"),
        ("writing", "planning"),
        ("planning", "personal"),
    )
)

_TASK_KEYWORDS: dict[TaskType, tuple[str, ...]] = {
    "coding": (
        "code",
        "bug",
        "python",
        "function",
        "compile",
        "debug",
        "api",
        "git",
        "deploy",
        "test",
        "script",
        "error",
        "repo",
    ),
    "writing": (
        "write",
        "essay",
        "draft",
        "blog",
        "article",
        "edit",
        "paragraph",
        "email",
        "story",
    ),
    "planning": (
        "plan",
        "schedule",
        "meeting",
        "deadline",
        "roadmap",
        "agenda",
        "todo",
        "calendar",
    ),
    "learning": ("learn", "study", "course", "lesson", "tutorial", "understand", "exam", "read"),
    "personal": (
        "family",
        "friend",
        "cat",
        "dog",
        "pet",
        "birthday",
        "vet",
        "home",
        "wife",
        "husband",
        "kids",
        "doctor",
        "vacation",
    ),
}
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class ContextParams:
    """Weights of the context similarity (SPEC §4.1.5).

    Attributes:
        w_time, w_day, w_task: component weights 0.4/0.2/0.4 [D].
        task_related, task_other: s_task for related and unrelated types [P: 0.5, 0.1].
        max_boost: the boost at sim = 1 is 1 + max_boost [P: 30%].
    """

    w_time: float = 0.4
    w_day: float = 0.2
    w_task: float = 0.4
    task_related: float = 0.5
    task_other: float = 0.1
    max_boost: float = 0.3

    def __post_init__(self) -> None:
        for name in ("w_time", "w_day", "w_task", "max_boost"):
            non_negative(name, getattr(self, name))
        unit("task_related", self.task_related)
        unit("task_other", self.task_other)


CONTEXT_DEFAULT = ContextParams()


@dataclass(frozen=True)
class Context:
    """An encoding or retrieval context: weekday is 0 (Monday) to 6 (Sunday)."""

    time_bucket: TimeBucket
    weekday: int
    task_type: TaskType = "other"

    def __post_init__(self) -> None:
        if self.time_bucket not in TIME_BUCKETS:
            raise InvalidInputError(
                f"time_bucket is {self.time_bucket!r}; expected one of {TIME_BUCKETS}"
            )
        if (
            isinstance(self.weekday, bool)
            or not isinstance(self.weekday, int)
            or not 0 <= self.weekday <= 6
        ):
            raise InvalidInputError(f"weekday is {self.weekday!r}; it must be an int 0-6")
        if self.task_type not in TASK_TYPES:
            raise InvalidInputError(
                f"task_type is {self.task_type!r}; expected one of {TASK_TYPES}"
            )


def time_bucket(hour: int) -> TimeBucket:
    """The bucket of an hour 0-23: morning [5, 12), afternoon [12, 17), evening [17, 22), night."""
    if not 0 <= hour <= 23:
        raise InvalidInputError(f"hour is {hour}; it must lie in 0-23")
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return "night"


def context_of(dt: datetime, task_type: str = "other") -> Context:
    """The context of a moment, read from `dt`'s own wall clock (pass local time)."""
    if not isinstance(dt, datetime):
        raise InvalidInputError(f"dt must be a datetime; got {type(dt).__name__}")
    if task_type not in TASK_TYPES:
        raise InvalidInputError(f"task_type is {task_type!r}; expected one of {TASK_TYPES}")
    return Context(
        time_bucket=time_bucket(dt.hour), weekday=dt.weekday(), task_type=cast(TaskType, task_type)
    )


def _s_time(a: TimeBucket, b: TimeBucket) -> float:
    gap = abs(TIME_BUCKETS.index(a) - TIME_BUCKETS.index(b))
    gap = min(gap, len(TIME_BUCKETS) - gap)
    return 1.0 if gap == 0 else 0.5 if gap == 1 else 0.0


def _s_day(a: int, b: int) -> float:
    if a == b:
        return 1.0
    return 0.5 if (a < 5) == (b < 5) else 0.0


def _s_task(a: str, b: str, params: ContextParams) -> float:
    if a == b:
        return 1.0
    return params.task_related if frozenset((a, b)) in RELATED_TASKS else params.task_other


def similarity(a: Context, b: Context, *, params: ContextParams = CONTEXT_DEFAULT) -> float:
    """``sim = 0.4*s_time + 0.2*s_day + 0.4*s_task``, in [0, 1] with the default weights."""
    return (
        params.w_time * _s_time(a.time_bucket, b.time_bucket)
        + params.w_day * _s_day(a.weekday, b.weekday)
        + params.w_task * _s_task(a.task_type, b.task_type, params)
    )


def boost(a: Context, b: Context, *, params: ContextParams = CONTEXT_DEFAULT) -> float:
    """Encoding-specificity boost ``1 + 0.3*sim`` (1.3 for an identical context)."""
    return 1.0 + params.max_boost * similarity(a, b, params=params)


def classify_task(text: str) -> TaskType:
    """A keyword guess at the task type; "other" when no keyword matches (ties: first listed)."""
    words = set(_WORD.findall(text.lower()))
    best: TaskType = "other"
    best_hits = 0
    for task, keys in _TASK_KEYWORDS.items():
        hits = sum(1 for k in keys if k in words)
        if hits > best_hits:
            best, best_hits = task, hits
    return best
