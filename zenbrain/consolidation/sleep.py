"""One sleep cycle (SPEC §5.3): the Simulation-Selection cycle, run per (user, namespace).

Steps, each one SQLite transaction that also records its number in `sleep_runs.step`:

0. lock and run record (window, counts, λ₂ and mean stability before);
1. housekeeping: short-term TTL/overflow, idle working slots, outbox;
2. SWS-a select: the replay pool ranked by TAG (`replay.select`);
3. SWS-b replay: strengthen or decay, two-factor edge updates;
4. SWS-c abstraction: clusters → semantic summaries with provenance; repeated procedures merge;
5. REM integration: duplicate entities merged, `similar_to` links, debates, promotion to core;
6. SHY homeostasis: edge decay, weak edges archived, the forgetting pass;
7. health and report: λ₂ after, counts, status `ok`, lock released.

**Resumable.** A step commits all or nothing, so a run killed at any point (even SIGKILL) leaves
the state of its last finished step; the next `sleep()` finds the `running` row, finishes that run
at its own `now`, and the end state equals an uninterrupted run.
**Idempotent.** A pair whose last completed run has `window_end ≥ now`, or that has had no
activity (no event since that run) for less than 20 h, is a no-op that changes nothing.
**Live writers.** The brain's lock is held per step, not per run: writes wait at most one step,
every step re-reads its input, and an episode joins a summary only while it is unconsolidated
inside the same transaction, so nothing is lost or consolidated twice.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean
from typing import Any, Literal

from zenbrain.algorithms import spectral
from zenbrain.clock import parse_utc, utc_iso
from zenbrain.consolidation import graph_upkeep, steps
from zenbrain.consolidation.abstraction import summary_text
from zenbrain.consolidation.steps import Env
from zenbrain.models import SleepReport
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["STEPS", "SleepContext", "SleepProgress", "run", "summary_text"]

log = logging.getLogger(__name__)

STEPS = ("lock", "housekeeping", "select", "replay", "abstraction", "integration",
         "homeostasis", "report")
LOCK_TTL = timedelta(hours=2)
IDLE_RERUN = timedelta(hours=20)  # a quiet pair still sleeps (decays, forgets) once a day [D]

_BODIES: dict[int, Callable[[Env, str, str, datetime, dict[str, Any]], None]] = {
    1: steps.housekeeping, 2: steps.select_step, 3: steps.replay_step, 4: steps.abstract,
    5: steps.integrate, 6: steps.homeostasis,
}


@dataclass(frozen=True)
class SleepProgress:
    """One progress event: `phase` is `start`, `commit` (inside the step's transaction, just
    before it commits) or `done`; `unit`/`units` count steps over every pair of the call."""

    user_id: str
    namespace: str
    step: int
    name: str
    phase: Literal["start", "commit", "done"]
    unit: int
    units: int


@dataclass
class SleepContext:
    """What a run needs from the Brain: storage, the lock, vector sync and the step env."""

    env: Env
    lock: threading.RLock | AbstractContextManager[Any]
    owner: str  # this Brain's token in the `locks` table
    sync: Callable[[str, Sequence[str]], None]  # refresh these ids' vectors/metadata

    @property
    def store(self) -> SQLiteStore:
        return self.env.store


def run(ctx: SleepContext, *, users: Sequence[str], now: datetime,
        progress: Callable[[SleepProgress], None] | None = None) -> SleepReport:
    """Sleep every (user, namespace) of `users` as of `now`; one report for all of them."""
    with ctx.lock:
        pairs = [(u, r["namespace"]) for u in users for r in ctx.store.rows(
            "SELECT DISTINCT namespace FROM memories WHERE user_id = ? ORDER BY namespace", (u,))]
    last_of_user = {u: i for i, (u, _) in enumerate(pairs)}
    states: list[dict[str, Any]] = []
    statuses: list[str] = []
    units = len(pairs) * (len(STEPS) - 1)
    for i, (user, ns) in enumerate(pairs):
        status, st = _run_pair(ctx, user, ns, now, graph_owner=last_of_user[user] == i,
                               progress=progress, base=i * (len(STEPS) - 1), units=units)
        statuses.append(status)
        states += st
    return _report(ctx, users, now, statuses, states)


# ---- one (user, namespace) ----------------------------------------------------------------------


def _run_pair(ctx: SleepContext, user: str, ns: str, now: datetime, *, graph_owner: bool,
              progress: Callable[[SleepProgress], None] | None, base: int,
              units: int) -> tuple[str, list[dict[str, Any]]]:
    store = ctx.store
    finished: list[dict[str, Any]] = []
    with ctx.lock:
        if not _take_lock(store, f"sleep:{user}:{ns}", ctx.owner, now):
            return "locked", finished
    try:
        while True:  # finish a run a crash left behind, at its own `now`
            with ctx.lock:
                row = _running(store, user, ns)
            if row is None:
                break
            resumed = json.loads(row["report_json"] or "{}")
            resumed.setdefault("run_id", row["run_id"])
            finished.append(_steps(ctx, row["run_id"], user, ns,
                                   parse_utc(row["window_end"]),  # type: ignore[arg-type]
                                   resumed, row["step"], progress, base, units))
        with ctx.lock:
            if _is_noop(store, user, ns, now):
                return ("ok" if finished else "noop"), finished
            run_id, st = _open_run(ctx, user, ns, now, graph_owner)
        st = _steps(ctx, run_id, user, ns, now, st, 0, progress, base, units)
        return ("ok" if not st.get("errors") else "partial"), [*finished, st]
    finally:
        with ctx.lock:
            store.conn.execute("DELETE FROM locks WHERE name = ? AND owner = ?",
                               (f"sleep:{user}:{ns}", ctx.owner))


def _take_lock(store: SQLiteStore, name: str, owner: str, now: datetime) -> bool:
    """Claim the `locks` row in one statement. The same owner holding it means another thread.
    On SQLite only one process opens a brain (file lock), so another owner's row is left over
    from a crash and is taken over; on a shared store (PostgreSQL, several workers) it is taken
    over only once it has expired."""
    takeover = "locks.owner <> excluded.owner"
    params: list[object] = [name, owner, utc_iso(now + LOCK_TTL)]
    if store.shared:
        takeover += " AND locks.expires_at < ?"
        params.append(utc_iso(now))
    cur = store.conn.execute(
        "INSERT INTO locks(name, owner, expires_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE "
        f"SET owner = excluded.owner, expires_at = excluded.expires_at WHERE {takeover}", params)
    return cur.rowcount == 1


def _running(store: SQLiteStore, user: str, ns: str) -> dict[str, Any] | None:
    rows = store.rows("SELECT * FROM sleep_runs WHERE user_id = ? AND namespace = ? AND "
                      "status = 'running' ORDER BY started_at, run_id LIMIT 1", (user, ns))
    return rows[0] if rows else None


def _last_seq(store: SQLiteStore, user: str, ns: str) -> int:
    return int(store.scalar("SELECT COALESCE(MAX(seq), 0) FROM events WHERE user_id = ? AND "
                            "namespace = ?", (user, ns)))


def _is_noop(store: SQLiteStore, user: str, ns: str, now: datetime) -> bool:
    rows = store.rows("SELECT window_end, report_json FROM sleep_runs WHERE user_id = ? AND "
                      "namespace = ? AND status = 'ok' ORDER BY window_end DESC LIMIT 1", (user, ns))
    if not rows:
        return False
    if rows[0]["window_end"] >= utc_iso(now):
        return True
    seq_end = json.loads(rows[0]["report_json"] or "{}").get("seq_end")
    quiet = seq_end is not None and _last_seq(store, user, ns) <= seq_end
    return quiet and now - parse_utc(rows[0]["window_end"]) < IDLE_RERUN  # type: ignore[operator]


def _active(store: SQLiteStore, user: str, ns: str) -> tuple[int, float, int]:
    """Active count, and the sum and count of stabilities of decaying active memories."""
    row = store.rows(
        "SELECT COUNT(*) AS n, SUM(CASE WHEN layer NOT IN ('core', 'working') THEN stability END) "
        "AS s, COUNT(CASE WHEN layer NOT IN ('core', 'working') THEN 1 END) AS d FROM memories "
        "WHERE user_id = ? AND namespace = ? AND archived = 0 AND is_current = 1", (user, ns))[0]
    return int(row["n"] or 0), float(row["s"] or 0.0), int(row["d"] or 0)


def _open_run(ctx: SleepContext, user: str, ns: str, now: datetime,
              graph_owner: bool) -> tuple[str, dict[str, Any]]:
    from zenbrain.ids import new_id

    store = ctx.store
    last = store.scalar("SELECT MAX(window_end) FROM sleep_runs WHERE user_id = ? AND "
                        "namespace = ? AND status = 'ok'", (user, ns))
    n, s_sum, s_n = _active(store, user, ns)
    st: dict[str, Any] = {
        "window": [last, utc_iso(now)], "graph_owner": graph_owner,
        "active_before": n, "stability_before": [s_sum, s_n],
        "fiedler_before": graph_upkeep.fiedler(store, user), "errors": [],
    }
    run_id = new_id("run")
    st["run_id"] = run_id
    with store.transaction():
        store.conn.execute(
            "INSERT INTO sleep_runs(run_id, user_id, namespace, window_start, window_end, "
            "started_at, status, step, report_json) VALUES (?,?,?,?,?,?,'running',0,?)",
            (run_id, user, ns, last, utc_iso(now), utc_iso(now), json.dumps(st)))
    return run_id, st


def _steps(ctx: SleepContext, run_id: str, user: str, ns: str, now: datetime,
           st: dict[str, Any], done: int, progress: Callable[[SleepProgress], None] | None,
           base: int, units: int) -> dict[str, Any]:
    store = ctx.store

    def emit(step: int, phase: Literal["start", "commit", "done"]) -> None:
        if progress is not None:
            progress(SleepProgress(user, ns, step, STEPS[step], phase, base + step, units))

    for step in range(done + 1, len(STEPS)):
        emit(step, "start")
        touched: list[str] = []
        with ctx.lock:
            try:
                with store.transaction():
                    if step in _BODIES:
                        _BODIES[step](ctx.env, user, ns, now, st)
                    else:
                        _finish(store, user, ns, now, st)
                    touched = list(dict.fromkeys(st.pop("_touched", [])))
                    store.conn.execute(
                        "UPDATE sleep_runs SET step = ?, report_json = ?, status = ?, "
                        "finished_at = ? WHERE run_id = ?",
                        (step, json.dumps(st, default=str), "ok" if step == len(STEPS) - 1
                         else "running", utc_iso(now) if step == len(STEPS) - 1 else None, run_id))
                    emit(step, "commit")
            except Exception as exc:  # a failing step is recorded, and the run ends as partial
                log.exception("sleep step %s failed for %s/%s", STEPS[step], user, ns)
                st.pop("_touched", None)
                st.setdefault("errors", []).append(f"{STEPS[step]}: {type(exc).__name__}: {exc}")
                with store.transaction():
                    store.conn.execute("UPDATE sleep_runs SET status = 'failed', report_json = ?, "
                                       "finished_at = ? WHERE run_id = ?",
                                       (json.dumps(st, default=str), utc_iso(now), run_id))
                return st
            if touched:
                ctx.sync(user, touched)
        emit(step, "done")
    return st


def _finish(store: SQLiteStore, user: str, ns: str, now: datetime, st: dict[str, Any]) -> None:
    n, s_sum, s_n = _active(store, user, ns)
    st["active_after"] = n
    st["stability_after"] = [s_sum, s_n]
    st["fiedler_after"] = graph_upkeep.fiedler(store, user)
    # The keys `zenbrain stats` shows for the last runs.
    st.update(status="ok", active_count_before=st["active_before"], active_count_after=n)
    store.log_event(now, user, ns, "sleep", None, {
        k: (len(v) if isinstance(v, list) else v) for k, v in st.items()
        if k in ("semantic_created", "semantic_updated", "archived_ids", "promoted_to_core")})
    st["seq_end"] = _last_seq(store, user, ns)


# ---- the report ---------------------------------------------------------------------------------


def _report(ctx: SleepContext, users: Sequence[str], now: datetime, statuses: list[str],
            states: list[dict[str, Any]]) -> SleepReport:
    if not states:
        status = "locked" if "locked" in statuses else "noop"
        with ctx.lock:
            counts = [_active(ctx.store, u, r["namespace"]) for u in users for r in ctx.store.rows(
                "SELECT DISTINCT namespace FROM memories WHERE user_id = ?", (u,))]
        total = sum(c[0] for c in counts)
        return SleepReport(users=list(users), started_at=now, finished_at=now, status=status,
                           active_count_before=total, active_count_after=total)

    def cat(key: str) -> list[Any]:
        return [x for st in states for x in st.get(key, [])]

    def tot(key: str) -> int:
        return sum(int(st.get(key, 0)) for st in states)

    def mean(key: str) -> float | None:
        s = sum(st.get(key, [0.0, 0])[0] for st in states)
        n = sum(st.get(key, [0.0, 0])[1] for st in states)
        return s / n if n else None

    owners = [st for st in states if st.get("graph_owner")] or states
    before = fmean(st["fiedler_before"] for st in owners)
    after = fmean(st.get("fiedler_after", 0.0) for st in owners)
    warnings = []
    if spectral.sharp_drop(before=before, after=after):
        warnings.append(f"knowledge graph connectivity fell by more than 20% "
                        f"(λ₂ {before:.4f} → {after:.4f})")
    window_start = min((st["window"][0] for st in states if st["window"][0]), default=None)
    errors = cat("errors")
    status = "partial" if errors else "ok"
    return SleepReport(
        run_ids=[st["run_id"] for st in states], users=list(users), started_at=now, finished_at=now,
        window=(parse_utc(window_start), now), status=status,
        candidates=tot("candidates"), replayed_ids=cat("replayed_ids"),
        strengthened=tot("strengthened"), decayed=tot("decayed"),
        counterfactuals=tot("counterfactuals"), clusters=tot("clusters"),
        semantic_created=cat("semantic_created"), semantic_updated=cat("semantic_updated"),
        procedural_created=cat("procedural_created"), promoted_to_core=cat("promoted_to_core"),
        merged_ids=cat("merged_ids"), expired_ids=cat("expired_ids"),
        archived_ids=cat("archived_ids"), archive_reasons=dict(cat("archive_reasons")),
        edges_strengthened=tot("edges_strengthened"), edges_archived=tot("edges_archived"),
        entities_merged=len(cat("entities_merged")), contradictions=tot("contradictions"),
        debates=cat("debates"),
        mean_stability_before=mean("stability_before"), mean_stability_after=mean("stability_after"),
        active_count_before=tot("active_before"), active_count_after=tot("active_after"),
        fiedler_before=before, fiedler_after=after,
        fragmentation_alert=spectral.is_fragmented(after), warnings=warnings, errors=errors,
    )
