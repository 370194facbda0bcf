"""Abstraction: a cluster of episodes becomes one semantic memory (SPEC §4.1.8, §5.3 step 4).

System 1 (always): the template `"<anchor> (<type>): clause; clause"` where each clause is a
member's text, trailing punctuation removed, in event-time order, each distinct clause once (a
line said again adds no words); a named speaker (not user, assistant or system) is kept as
`"Name: "` so the summary still says who said it [D]. System 2
(optional): any object with the `Summariser` protocol, used only for clusters that SPEC §4.1.8
sends there (coherence < 0.6, ≥ 8 members, a conflict) and kept only when its text stays close to
the cluster (cosine ≥ 0.5 to the centroid); at most 20 calls per run. Off by default.

`summary_memory` builds the new `Memory` row (layer semantic, kind summary, sources = every member,
Beta(1 + n, 1), S = 3.7145·(1 + 0.5·(n − 1))·1.5).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import numpy as np

from zenbrain.algorithms.reconsolidation import content_key
from zenbrain.extract.text import content_hash
from zenbrain.ids import new_id
from zenbrain.models import Kind, Layer, Memory

__all__ = ["REPEAT_TYPE", "Summariser", "TemplateSummariser", "cluster_key", "coherence", "content_key",
           "distinct_clauses", "repeat_text", "summary_memory", "summary_text"]

SUMMARY_MAX_CHARS = 600
FSRS_GOOD_S0 = 3.7145
REPLAY_BONUS = 1.5  # the abstraction counts as one strengthening replay (SPEC §5.3)
ANONYMOUS = frozenset({None, "user", "assistant", "system", "tool"})
REPEAT_TYPE = "repeated line"  # the anchor type of a gist of one recurring line (sleep step 4)


@runtime_checkable
class Summariser(Protocol):
    """A System-2 summariser (e.g. an LLM): texts of a cluster → summary text and rationale."""

    def summarise(self, anchor: str, texts: Sequence[str]) -> tuple[str, str]:
        """Return (summary ≤ 600 characters, reasoning kept in `metadata.zb_rationale`)."""
        ...


def repeat_text(members: Sequence[Memory]) -> str:
    """The text of the gist of one recurring line: its most frequent wording (ties: the earliest),
    as said, without a speaker prefix (the gist keeps the speaker), so it has the same content
    words as every copy (`content_key`)."""
    ordered = sorted(members, key=lambda m: (m.event_time, m.id))
    counts = Counter(m.text.strip() for m in ordered)
    first = {t: i for i, t in reversed(list(enumerate(m.text.strip() for m in ordered)))}
    return min(counts, key=lambda t: (-counts[t], first[t]))


def distinct_clauses(clauses: Sequence[str]) -> list[str]:
    """The clauses in order, each said once: quoting the same words twice adds nothing."""
    return list(dict.fromkeys(c for c in clauses if c.strip()))


def clause(mem: Memory) -> str:
    text = mem.text.strip().rstrip(".!?;")
    return text if mem.speaker in ANONYMOUS else f"{mem.speaker}: {text}"


def summary_text(anchor_name: str, anchor_type: str, clauses: Sequence[str], *,
                 limit: int | None = SUMMARY_MAX_CHARS) -> str:
    """System-1 template, cut to `limit` characters (packing keeps it under the limit anyway).

    Packing measures with `limit=None`: a measure that is already cut could never exceed the
    limit, and every chunk would fill up to `max_members` with its tail cut off.
    """
    body = "; ".join(distinct_clauses([c.strip().rstrip(".!?;") for c in clauses]))
    text = f"{anchor_name} ({anchor_type}): {body}"
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


class TemplateSummariser:
    """System 1: the extractive template; keeps every member's words verbatim."""

    def summarise(self, anchor: str, texts: Sequence[str]) -> tuple[str, str]:
        name, _, kind = anchor.rpartition(" (")
        return summary_text(name, kind.rstrip(")"), texts), ""


def cluster_key(user_id: str, namespace: str, anchor_key: str, part: int = 0) -> str:
    """sha1(user, namespace, anchor) [SPEC]; later parts of a large anchor add their number."""
    raw = f"{user_id}\x00{namespace}\x00{anchor_key}" + (f"\x00{part}" if part else "")
    return hashlib.sha1(raw.encode()).hexdigest()


def coherence(vectors: Sequence[np.ndarray]) -> float:
    """Mean pairwise cosine of the members (1.0 for fewer than two)."""
    if len(vectors) < 2:
        return 1.0
    mat = np.stack(vectors).astype(np.float64)
    mat /= np.linalg.norm(mat, axis=1, keepdims=True) + 1e-12
    n = len(vectors)
    return float(((mat @ mat.T).sum() - n) / (n * (n - 1)))


def summary_memory(*, user_id: str, namespace: str, text: str, members: Sequence[Memory],
                   now: datetime, metadata: dict[str, Any],
                   previous: Memory | None = None) -> Memory:
    """The semantic row for a cluster (a new version of `previous` when given)."""
    n = len(members)
    latest = max(members, key=lambda m: (m.event_time, m.id))
    strongest = max(members, key=lambda m: abs(float(m.emotion.get("valence", 0.0))))
    composite = max(float(m.priority.get("composite", 0.0)) for m in members)
    mem_id = new_id("mem")
    voices = {m.speaker for m in members}
    return Memory(
        id=mem_id, user_id=user_id, namespace=namespace, session_id=None,
        speaker=voices.pop() if len(voices) == 1 else None,
        layer=Layer.SEMANTIC, kind=Kind.SUMMARY, text=text, content_hash=content_hash(text),
        created_at=now, event_time=latest.event_time, updated_at=now, decay_model="fsrs",
        # At least as durable as its strongest member: sleep replayed the members earlier in the
        # night, and that strength must survive their consolidation into this gist.
        stability=max(FSRS_GOOD_S0 * (1 + 0.5 * (n - 1)) * REPLAY_BONUS,
                      max(m.stability for m in members)), last_review_at=now,
        fast_at=now, s0=max(m.s0 for m in members), deep_created_at=None,
        conf_alpha=1.0 + n, conf_beta=1.0,
        # The gist is as important as its most important episode, so it is kept alike.
        priority={**latest.priority, "composite": composite},
        emotion=dict(strongest.emotion), neuro=dict(latest.neuro), novelty=0.0,
        context=dict(latest.context),
        version=previous.version + 1 if previous else 1,
        root_id=previous.root_id if previous else mem_id,
        supersedes=previous.id if previous else None,
        sources=sorted({m.id for m in members}), metadata=metadata, index_pending=True,
    )
