"""Offline, rule-based text analysis for the write and read paths: time expressions, memory kinds and
query classes, entities and triples, emotional tags, task types, and text normalisation.

Every function here is pure, deterministic and English-only; none reads a clock (the reference time
is always an argument), calls a model, or touches storage. The modules are `timeexpr`, `kinds`,
`entities`, `emotion`, `tasktype` and `text`; this package re-exports their public names.
"""

from __future__ import annotations

from zenbrain.extract.emotion import Affect, emotion_intensity, tag
from zenbrain.extract.entities import (
    FUNCTIONAL_RELATIONS,
    Entity,
    Extraction,
    Triple,
    extract,
    is_functional,
    normalize_key,
)
from zenbrain.extract.kinds import (
    KINDS,
    QUERY_TYPES,
    classify_kind,
    classify_query,
    is_commitment,
    is_core_candidate,
    is_procedure,
)
from zenbrain.extract.tasktype import TASK_TYPES, classify_task
from zenbrain.extract.text import content_hash, normalize, tokenize
from zenbrain.extract.timeexpr import (
    TimeWindow,
    has_time_expression,
    query_window,
    resolve_event_time,
)

__all__ = [
    "FUNCTIONAL_RELATIONS",
    "KINDS",
    "QUERY_TYPES",
    "TASK_TYPES",
    "Affect",
    "Entity",
    "Extraction",
    "TimeWindow",
    "Triple",
    "classify_kind",
    "classify_query",
    "classify_task",
    "content_hash",
    "emotion_intensity",
    "extract",
    "has_time_expression",
    "is_commitment",
    "is_core_candidate",
    "is_functional",
    "is_procedure",
    "normalize",
    "normalize_key",
    "query_window",
    "resolve_event_time",
    "tag",
    "tokenize",
]
