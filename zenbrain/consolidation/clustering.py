"""Grouping episodes for abstraction (SPEC §5.3 step 4): entity anchor first, then meaning, then time.

1. **Entity anchor.** Each episode gets one anchor: among its non-`self` entities, the one mentioned
   by the most of the episodes being clustered (ties: the rarer entity overall, then the smaller
   id). Clustering by entity first also works with the lexical `hash` embedder.
2. **Meaning.** An anchor group larger than `max_members` is split by average-linkage clustering of
   the embeddings, cut at cosine `split_cosine` (0.35).
3. **Size.** Every group is packed in event-time order into chunks whose System-1 summary fits the
   600-character limit, so a summary never drops a member's words [D: SPEC cuts the text instead;
   cutting would leave sources the summary no longer says anything about].
4. **Time.** Episodes without an anchor, or left over from chunks that stayed below `min_members`,
   are grouped by conversation (`session_id`; episodes without one stay as they are) and packed the
   same way in time order,
   breaking at gaps longer than `max_gap` [D]: turns spoken together are one experience.

Only chunks with at least `min_members` (3) episodes become new clusters; a chunk that continues an
existing summary (same anchor) needs just one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np

from zenbrain.models import Memory

__all__ = ["Anchor", "Cluster", "ClusterParams", "anchors_of", "pack", "split_by_meaning"]


@dataclass(frozen=True)
class ClusterParams:
    """Limits of one cluster [D unless marked]."""

    min_members: int = 3  # SPEC §5.3 [D]
    max_members: int = 12  # SPEC §5.3: larger groups are split
    split_cosine: float = 0.35  # SPEC §5.3: average-linkage cut
    max_chars: int = 600  # SPEC §2.2: summaries ≤ 600 characters
    max_gap: timedelta = timedelta(hours=2)
    # True: split every group by meaning, not only those over `max_members` [D]. Off: measured on
    # LoCoMo it did not keep recall better than time-contiguous chunks (see docs/BENCHMARKS.md).
    split_all: bool = False


CLUSTER_DEFAULT = ClusterParams()


@dataclass(frozen=True)
class Anchor:
    """What a cluster is about: a KG entity, or a conversation (`time:<session or day>`)."""

    key: str  # entity id or "time:<label>"
    name: str
    type: str


@dataclass
class Cluster:
    anchor: Anchor
    members: list[Memory] = field(default_factory=list)


def anchors_of(
    episodes: Sequence[Memory], entities: Mapping[str, Sequence[str]],
    types: Mapping[str, str], overall: Mapping[str, int],
) -> dict[str, str | None]:
    """Episode id → anchor entity id (None when it mentions no non-`self` entity)."""
    local = Counter(e for m in episodes for e in set(entities.get(m.id, ()))
                    if types.get(e, "self") != "self")
    out: dict[str, str | None] = {}
    for mem in episodes:
        cands = [e for e in set(entities.get(mem.id, ())) if types.get(e, "self") != "self"]
        out[mem.id] = min(cands, key=lambda e: (-local[e], overall.get(e, 0), e)) if cands else None
    return out


def split_by_meaning(members: Sequence[Memory], vectors: Mapping[str, np.ndarray], *,
                     params: ClusterParams = CLUSTER_DEFAULT) -> list[list[Memory]]:
    """Average-linkage groups at cosine ≥ `split_cosine` (only for groups over `max_members`)."""
    if len(members) <= (params.min_members - 1 if params.split_all else params.max_members):
        return [list(members)]
    from scipy.cluster.hierarchy import fcluster, linkage

    have = [m for m in members if m.id in vectors]
    missing = [[m] for m in members if m.id not in vectors]
    if len(have) < 2:
        return [have, *missing] if have else missing
    mat = np.stack([vectors[m.id] for m in have]).astype(np.float64)
    mat /= np.linalg.norm(mat, axis=1, keepdims=True) + 1e-12
    dist = np.clip(1.0 - mat @ mat.T, 0.0, 2.0)
    condensed = dist[np.triu_indices(len(have), k=1)]
    labels = fcluster(linkage(condensed, method="average"), t=1.0 - params.split_cosine,
                      criterion="distance")
    groups: dict[int, list[Memory]] = defaultdict(list)
    for mem, label in zip(have, labels, strict=True):
        groups[int(label)].append(mem)
    # Deterministic order: by each group's earliest member.
    ordered = sorted(groups.values(), key=lambda g: min((m.event_time, m.id) for m in g))
    return [*ordered, *missing]


def pack(members: Sequence[Memory], text_of: Callable[[Sequence[Memory]], str], *,
         params: ClusterParams = CLUSTER_DEFAULT, gap: bool = False,
         start: Sequence[Memory] = ()) -> list[list[Memory]]:
    """Cut members (event-time order) into chunks whose summary fits `max_chars`.

    `start` seeds the first chunk (an existing summary's members that new ones may join); with
    `gap`, a pause longer than `max_gap` also ends a chunk.
    """
    ordered = sorted(members, key=lambda m: (m.event_time, m.id))
    chunks: list[list[Memory]] = []
    current: list[Memory] = list(start)
    for mem in ordered:
        trial = [*current, mem]
        too_long = len(text_of(trial)) > params.max_chars or len(trial) > params.max_members
        far = gap and current and mem.event_time - current[-1].event_time > params.max_gap
        if current and (too_long or far):
            chunks.append(current)
            current = [mem]
        else:
            current = trial
    if current:
        chunks.append(current)
    return chunks
