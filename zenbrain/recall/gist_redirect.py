"""Archived episodes lead to their gist (SPEC §4.2.3 deep copy, §5.5).

Sleep archives an episode once a semantic gist abstracts it; the episode keeps its FTS entry and
its vector, and `consolidated_into` points at the gist. When a route's cue matches such an
episode, recall serves the gist in the episode's place, at the episode's rank — the retrieval
cascade's "recovered from consolidated gist", and hippocampal indexing theory's view that details
index the consolidated trace. Without this, a question whose words match one archived turn must be
answered by a 3–12-turn summary that embeds and bm25-scores further from it, and sleep cost 19% of
LoCoMo recall@10 (docs/BENCHMARKS.md, sleep section).

An episode archived without a gist (decay) leads nowhere: it stays out of default recall.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from zenbrain.store.sqlite import SQLiteStore

__all__ = ["gist_targets", "redirect", "redirect_scores"]

# A gist can itself be consolidated by a later sleep; chains longer than this are not expected.
_MAX_HOPS = 4


def gist_targets(store: SQLiteStore, ids: Iterable[str]) -> dict[str, str | None]:
    """memory id → the id that stands for it in default recall.

    An active memory stands for itself; an archived one for its gist (following gists that were
    archived in turn); an archived one without a live gist for nothing (None).
    """
    out: dict[str, str | None] = {}
    frontier = {mid: mid for mid in dict.fromkeys(ids)}  # original id → id being resolved
    for _ in range(_MAX_HOPS + 1):
        if not frontier:
            break
        rows = _states(store, set(frontier.values()))
        nxt: dict[str, str] = {}
        for orig, cur in frontier.items():
            archived, gist = rows.get(cur, (True, None))
            if not archived:
                out[orig] = cur
            elif gist is None:
                out[orig] = None
            else:
                nxt[orig] = gist
        frontier = nxt
    for orig in frontier:
        out[orig] = None
    return out


def _states(store: SQLiteStore, ids: set[str]) -> dict[str, tuple[bool, str | None]]:
    out: dict[str, tuple[bool, str | None]] = {}
    chunk_ids = sorted(ids)
    for i in range(0, len(chunk_ids), 500):
        chunk = chunk_ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for r in store.rows(
                f"SELECT id, archived, consolidated_into FROM memories WHERE id IN ({marks})", chunk):
            out[r["id"]] = (bool(r["archived"]), r["consolidated_into"])
    return out


def redirect(ranked: Sequence[str], targets: Mapping[str, str | None]
             ) -> tuple[list[str], dict[str, str]]:
    """Replace each id by its target, keep each target's best (first) rank, drop dead ends.

    Returns the new ranking and, for every target reached first through another id, that id
    (gist → archived source), so explanations can name it. Ids missing from `targets` stay.
    """
    out: list[str] = []
    via: dict[str, str] = {}
    seen: set[str] = set()
    for mid in ranked:
        target = targets.get(mid, mid)
        if target is None or target in seen:
            continue
        seen.add(target)
        out.append(target)
        if target != mid:
            via[target] = mid
    return out, via


def redirect_scores(scores: Mapping[str, float], targets: Mapping[str, str | None]
                    ) -> dict[str, float]:
    """Scores (higher is better) moved to their targets; a target keeps its best score."""
    out: dict[str, float] = {}
    for mid, s in scores.items():
        target = targets.get(mid, mid)
        if target is not None and s > out.get(target, float("-inf")):
            out[target] = s
    return out
