"""Availability of a memory at an instant: which copy serves it and how strongly (SPEC §4.2.3),
and what one review at an instant does to it (`review_updates`).

FSRS layers: R(t, S). Ebbinghaus layers: max(fast, medium, deep) copies. Core and working: 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from zenbrain.algorithms import fsrs, triple_copy
from zenbrain.algorithms.ebbinghaus import episodic_recall_stability, retention
from zenbrain.algorithms.information import interpolate
from zenbrain.algorithms.two_factor import storage_strength_gain
from zenbrain.models import Layer, Memory

__all__ = ["Availability", "availability", "repeat_updates", "review_updates"]


@dataclass(frozen=True)
class Availability:
    value: float
    copy: Literal["fast", "medium", "deep", "record"]
    sudden_recall: bool = False


def _days(a: datetime, b: datetime) -> float:
    return max(0.0, (a - b).total_seconds() / 86_400.0)


def availability(mem: Memory, at: datetime) -> Availability:
    if mem.decay_model == "none" or mem.layer in (Layer.CORE, Layer.WORKING):
        return Availability(1.0, "record")
    if mem.decay_model == "fsrs":
        r = fsrs.retrievability(elapsed_days=_days(at, mem.last_review_at), stability=mem.stability)
        return Availability(r, "record")
    f = triple_copy.fast(s0=mem.s0, hours_since=_days(at, mem.fast_at) * 24.0)
    if mem.layer is Layer.SHORT_TERM:
        return Availability(f, "fast")
    m = triple_copy.medium(
        s0=mem.s0, days_since=_days(at, mem.last_review_at), stability=mem.stability
    )
    g = 0.0
    if mem.deep_created_at is not None and at > mem.deep_created_at:
        g = triple_copy.deep(s0=mem.s0, days_since_deep=_days(at, mem.deep_created_at))
    served = triple_copy.serving_copy(f=f, m=m, g=g) or "medium"
    return Availability(max(f, m, g), served, sudden_recall=served == "deep")


def review_updates(mem: Memory, at: datetime, *, grade: int) -> dict[str, object]:
    """Field updates for one review of `mem` at `at`: an FSRS review with `grade` (`fsrs`), the
    Ebbinghaus recall rule (`exp`), nothing for `none`. Storage strength grows on every review;
    stability only when the last review is at least 1 h old (reviews closer together merge into
    one, SPEC §4.1.2)."""
    days = _days(at, mem.last_review_at)
    out: dict[str, object] = {}
    if mem.decay_model == "fsrs":
        r = fsrs.retrievability(elapsed_days=days, stability=mem.stability)
        if days >= 1 / 24:
            s = fsrs.next_stability(difficulty=mem.difficulty, stability=mem.stability,
                                    retrievability=r, grade=grade)
            out.update(stability=s, last_review_at=at,
                       difficulty=fsrs.next_difficulty(difficulty=mem.difficulty, grade=grade),
                       due_at=at + timedelta(days=fsrs.interval_days(stability=s)))
        out["storage_strength"] = mem.storage_strength + storage_strength_gain(retrievability=r)
    elif mem.decay_model == "exp":
        r = retention(elapsed_days=days, stability=mem.stability)
        if days >= 1 / 24:
            out.update(stability=episodic_recall_stability(stability=mem.stability,
                                                           retrievability=r), last_review_at=at)
        out["storage_strength"] = mem.storage_strength + storage_strength_gain(retrievability=r)
    return out


def repeat_updates(mem: Memory, at: datetime, *, information: float) -> dict[str, object]:
    """Field updates when the user states `mem` again at `at` (a reconsolidation "confirmed").

    The repeat always counts as evidence: α += 1 (SPEC §4.2.2: the statement was made again),
    `metadata["zb_repeats"]` grows by one and `zb_last_repeat_at` is set. What it teaches scales
    with the information content I of the repeated text (`algorithms.information`): stability,
    difficulty, storage strength and the time of the last review move the share I of the way an
    Easy review (grade 4) would move them.
    Small talk (I = 0) repeated 30 times keeps its first stability; a restated fact (I ≥ 0.7)
    earns most of a review each time.
    """
    full = review_updates(mem, at, grade=4)
    i = float(information)
    out: dict[str, object] = {"conf_alpha": mem.conf_alpha + 1.0, "updated_at": at}
    if "storage_strength" in full:
        out["storage_strength"] = interpolate(old=mem.storage_strength,
                                              reviewed=float(full["storage_strength"]),
                                              information=i)
    if "stability" in full:
        s = interpolate(old=mem.stability, reviewed=float(full["stability"]), information=i)
        last = mem.last_review_at + (at - mem.last_review_at) * i
        out.update(stability=s, last_review_at=last)
        if "difficulty" in full:
            out["difficulty"] = interpolate(old=mem.difficulty, reviewed=float(full["difficulty"]),
                                            information=i)
            out["due_at"] = last + timedelta(days=fsrs.interval_days(stability=s))
    meta = dict(mem.metadata)
    meta["zb_repeats"] = int(meta.get("zb_repeats", 0)) + 1
    meta["zb_last_repeat_at"] = at.isoformat()
    out["metadata"] = meta
    return out
