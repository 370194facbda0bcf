"""One sleep cycle (SPEC §5.3), foundation version: abstraction and forgetting.

Per (user, namespace) with activity since its last completed run:
1. SWS-c abstraction: active, current, not-yet-consolidated episodes are grouped by their anchor
   entity (the non-`self` entity mentioned by the most of them; ties → rarer overall, then id).
   A group of ≥ 3 becomes one semantic summary (System-1 template, SPEC §4.1.8) whose `sources`
   are the episode ids; a later group with the same anchor makes a new version of that summary.
2. Forgetting (SPEC §5.5): an episode is archived (reason `decay`) when its medium copy has fallen
   below θ = 0.1, and it is not pinned, not high-priority (composite ≥ 0.5), not strongly stored
   (SS ≥ 2) and either already abstracted or not worth keeping raw.
Each run is recorded in `sleep_runs`; a second run for the same window is a no-op.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np

from zenbrain.clock import utc_iso
from zenbrain.ids import new_id
from zenbrain.layers.dynamics import availability
from zenbrain.models import Kind, Layer, Memory, SleepReport
from zenbrain.store.graph import GraphStore
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["run", "summary_text"]

MIN_CLUSTER = 3
SUMMARY_MAX_CHARS = 600
ARCHIVE_THRESHOLD_EXP = 0.1  # θ_archive for Ebbinghaus layers [P]
FSRS_GOOD_S0 = 3.7145


def summary_text(anchor_name: str, anchor_type: str, clauses: Sequence[str]) -> str:
    """System-1 template: `"<anchor> (<type>): clause; clause"`, cut to 600 characters."""
    body = "; ".join(c.strip().rstrip(".!?;") for c in clauses if c.strip())
    text = f"{anchor_name} ({anchor_type}): {body}"
    return text if len(text) <= SUMMARY_MAX_CHARS else text[: SUMMARY_MAX_CHARS - 1] + "…"


def run(*, store: SQLiteStore, graph: GraphStore, writer: Any, users: Sequence[str],
        now: datetime, namespace: str) -> SleepReport:
    started = now
    report: dict[str, Any] = defaultdict(list)
    counts = {"candidates": 0, "clusters": 0}
    run_ids, statuses = [], []
    active_before = _active_count(store, users)
    for user_id in users:
        namespaces = [r["namespace"] for r in store.rows(
            "SELECT DISTINCT namespace FROM memories WHERE user_id = ? ORDER BY namespace",
            (user_id,))]
        for ns in namespaces:
            status, run_id = _run_one(store, graph, writer, user_id, ns, now, report, counts)
            statuses.append(status)
            if run_id:
                run_ids.append(run_id)
    status = "ok" if any(s == "ok" for s in statuses) else "noop"
    return SleepReport(
        run_ids=run_ids, users=list(users), started_at=started, finished_at=now, status=status,
        candidates=counts["candidates"], clusters=counts["clusters"],
        semantic_created=report["semantic_created"], semantic_updated=report["semantic_updated"],
        archived_ids=report["archived_ids"], active_count_before=active_before,
        active_count_after=_active_count(store, users),
    )


def _active_count(store: SQLiteStore, users: Sequence[str]) -> int:
    if not users:
        return 0
    marks = ",".join("?" * len(users))
    return store.scalar(
        f"SELECT COUNT(*) FROM memories WHERE user_id IN ({marks}) AND archived = 0 "
        "AND is_current = 1", list(users))


def _run_one(store: SQLiteStore, graph: GraphStore, writer: Any, user_id: str, ns: str,
             now: datetime, report: dict[str, list], counts: dict[str, int]) -> tuple[str, str | None]:
    last = store.rows(
        "SELECT window_end FROM sleep_runs WHERE user_id = ? AND namespace = ? AND status = 'ok' "
        "ORDER BY window_end DESC LIMIT 1", (user_id, ns))
    window_start = last[0]["window_end"] if last else None
    if window_start is not None and window_start >= utc_iso(now):
        return "noop", None
    run_id = new_id("run")
    with store.transaction():
        store.conn.execute(
            "INSERT INTO sleep_runs(run_id, user_id, namespace, window_start, window_end, "
            "started_at, status, step) VALUES (?,?,?,?,?,?,?,0)",
            (run_id, user_id, ns, window_start, utc_iso(now), utc_iso(now), "running"))
    local: dict[str, list] = defaultdict(list)
    episodes = store.select_memories(
        "user_id = ? AND namespace = ? AND layer = 'episodic' AND archived = 0 AND is_current = 1 "
        "AND consolidated_into IS NULL AND created_at <= ? ORDER BY created_at, id",
        (user_id, ns, utc_iso(now)))
    counts["candidates"] += len(episodes)
    for anchor_id, members in _clusters(store, graph, episodes).items():
        counts["clusters"] += 1
        _abstract(store, graph, writer, user_id, ns, anchor_id, members, now, local)
    _forget(store, user_id, ns, now, local)
    for key, values in local.items():
        report[key].extend(values)
    with store.transaction():
        store.conn.execute(
            "UPDATE sleep_runs SET status = 'ok', step = 7, finished_at = ?, report_json = ? "
            "WHERE run_id = ?", (utc_iso(now), json.dumps(dict(local)), run_id))
        store.log_event(now, user_id, ns, "sleep", None,
                        {"run_id": run_id, **{k: len(v) for k, v in local.items()}})
    return "ok", run_id


def _clusters(store: SQLiteStore, graph: GraphStore, episodes: list[Memory]) -> dict[str, list[Memory]]:
    if not episodes:
        return {}
    ents = graph.entity_ids_of([m.id for m in episodes])
    types = {r["id"]: r["type"] for r in store.rows(
        "SELECT id, type FROM kg_nodes WHERE user_id = ?", (episodes[0].user_id,))}
    local = Counter(e for m in episodes for e in set(ents[m.id]) if types.get(e) != "self")
    overall = {r["entity_id"]: r["n"] for r in store.rows(
        "SELECT entity_id, COUNT(*) AS n FROM memory_entities GROUP BY entity_id")}
    groups: dict[str, list[Memory]] = defaultdict(list)
    for mem in episodes:
        candidates = [e for e in set(ents[mem.id]) if types.get(e) != "self"]
        if not candidates:
            continue
        anchor = min(candidates, key=lambda e: (-local[e], overall.get(e, 0), e))
        groups[anchor].append(mem)
    existing = _existing_summaries(store, episodes[0].user_id)
    return {a: ms for a, ms in groups.items() if len(ms) >= MIN_CLUSTER or (a in existing and ms)}


def _cluster_key(user_id: str, ns: str, anchor_id: str) -> str:
    return hashlib.sha1(f"{user_id}\x00{ns}\x00{anchor_id}".encode()).hexdigest()


def _existing_summaries(store: SQLiteStore, user_id: str) -> dict[str, Memory]:
    out = {}
    for m in store.select_memories(
        "user_id = ? AND layer = 'semantic' AND kind = 'summary' AND is_current = 1", (user_id,)
    ):
        anchor = m.metadata.get("zb_anchor")
        if anchor:
            out[anchor] = m
    return out


def _abstract(store: SQLiteStore, graph: GraphStore, writer: Any, user_id: str, ns: str,
              anchor_id: str, members: list[Memory], now: datetime, report: dict[str, list]) -> None:
    from zenbrain.write_path import Draft

    node = store.rows("SELECT name, type FROM kg_nodes WHERE id = ?", (anchor_id,))[0]
    old = _existing_summaries(store, user_id).get(anchor_id)
    members = sorted(members, key=lambda m: (m.event_time, m.id))
    if old is not None:
        prior = [store.get(s) for s in old.sources]
        all_members = sorted([p for p in prior if p is not None] + members,
                             key=lambda m: (m.event_time, m.id))
    else:
        all_members = members
    sources = sorted({m.id for m in all_members})
    text = summary_text(node["name"], node["type"], [m.text for m in all_members])
    n = len(sources)
    draft = Draft(text=text, user_id=user_id, namespace=ns, session_id=None, speaker=None,
                  at=now, layer=Layer.SEMANTIC, kind=Kind.SUMMARY,
                  metadata={"zb_anchor": anchor_id,
                            "zb_cluster_key": _cluster_key(user_id, ns, anchor_id)},
                  sources=tuple(sources))
    summary = writer.write([draft])[0]
    coherence = _coherence(store, sources)
    with store.transaction():
        updates: dict[str, Any] = {
            "conf_alpha": 1.0 + n, "conf_beta": 1.0,
            "stability": FSRS_GOOD_S0 * (1 + 0.5 * (n - 1)) * 1.5,
            "metadata": {**summary.metadata, "zb_coherence": coherence},
        }
        if old is not None:
            store.update(old.id, is_current=False, superseded_by=summary.id, superseded_at=now,
                         updated_at=now, index_pending=True)
            updates.update(version=old.version + 1, root_id=old.root_id, supersedes=old.id)
            store.add_link(summary.id, old.id, "supersedes", now)
            report["semantic_updated"].append(summary.id)
        else:
            report["semantic_created"].append(summary.id)
        store.update(summary.id, index_pending=True, **updates)
        for m in members:
            store.update(m.id, consolidated_into=summary.id, deep_created_at=now, updated_at=now)
        for m in all_members:
            if m.consolidated_into and m.consolidated_into != summary.id:
                store.update(m.id, consolidated_into=summary.id)
    writer.sync_vectors(user_id, [x for x in (store.get(summary.id), old and store.get(old.id)) if x])


def _coherence(store: SQLiteStore, ids: list[str]) -> float:
    vecs = list(store.vectors(ids).values())
    if len(vecs) < 2:
        return 1.0
    mat = np.stack(vecs)
    sims = mat @ mat.T
    n = len(vecs)
    return float((sims.sum() - n) / (n * (n - 1)))


def _forget(store: SQLiteStore, user_id: str, ns: str, now: datetime, report: dict[str, list]) -> None:
    rows = store.select_memories(
        "user_id = ? AND namespace = ? AND layer = 'episodic' AND archived = 0 AND is_current = 1 "
        "AND pinned = 0", (user_id, ns))
    doomed = []
    for mem in rows:
        if float(mem.priority.get("composite", 0.0)) >= 0.5 or mem.storage_strength >= 2.0:
            continue
        days = max(0.0, (now - mem.last_review_at).total_seconds() / 86_400)
        medium = 0.8 * mem.s0 * math.exp(-days / mem.stability)
        if medium >= ARCHIVE_THRESHOLD_EXP:
            continue
        # Unabstracted episodes go only once they are nearly gone (their gist would be lost).
        if mem.consolidated_into is None and availability(mem, now).value >= ARCHIVE_THRESHOLD_EXP / 2:
            continue
        doomed.append(mem)
    if not doomed:
        return
    with store.transaction():
        for mem in doomed:
            store.update(mem.id, archived=True, archived_at=now, archive_reason="decay",
                         updated_at=now, index_pending=True)
            store.log_event(now, user_id, ns, "archive", mem.id, {"reason": "decay"})
            report["archived_ids"].append(mem.id)
