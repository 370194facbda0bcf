"""ZenBrain, without and with sleep, from one ingest.

The conversation is ingested once (`benchmarks.locomo_recall._ingest`: `remember_many` per
session, the turn's speaker and date, `metadata.dia_id` for scoring only), the brain is closed and
its folder copied: the original answers every question as is, the copy first sleeps (6 hours after
the last session) and then answers. Copying keeps the two variants independent: recall's retrieval
practice in one cannot shape the other. Questions are asked one day after the last session. A
retrieved consolidated memory counts every turn in its `sources` (`locomo_recall._dia_of`).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks import locomo
from benchmarks.locomo_recall import _dia_of, _ingest
from benchmarks.systems import Ranked

__all__ = ["run"]


def _ask(brain, conv: locomo.Conversation, questions: Sequence[locomo.Question],
         dia: dict[str, str], k: int, progress: Any = None) -> tuple[Ranked, list[float]]:
    at = conv.end + timedelta(days=1)
    ranked, took = [], []
    for q in questions:
        t0 = time.perf_counter()
        recs = brain.recall(q.question, user_id=conv.sample_id, k=k, at=at)
        took.append(time.perf_counter() - t0)
        ranked.append([_dia_of(r, dia, brain._store) for r in recs])
        if progress is not None:
            progress()
    return ranked, took


def run(conv: locomo.Conversation, questions: Sequence[locomo.Question], emb, *, k: int = 10,
        sleep: bool = True, progress: Any = None) -> dict[str, Any]:
    """{"zenbrain": Ranked, "zenbrain+sleep": Ranked (when `sleep`), "info": {...}}."""
    from zenbrain import Brain

    info: dict[str, Any] = {}
    out: dict[str, Any] = {"info": info}
    with tempfile.TemporaryDirectory(prefix="zb-quality-") as tmp:
        home = Path(tmp) / "brain"
        with Brain(home, embedder=emb) as brain:
            t0 = time.perf_counter()
            dia = _ingest(brain, conv, conv.sample_id)
            info["ingest_s"] = time.perf_counter() - t0
            info["memories"] = brain.stats(conv.sample_id)["active"]
        if sleep:
            shutil.copytree(home, Path(tmp) / "slept")
        with Brain(home, embedder=emb) as brain:
            out["zenbrain"], info["recall_s"] = _ask(brain, conv, questions, dia, k, progress)
        if sleep:
            with Brain(Path(tmp) / "slept", embedder=emb) as brain:
                t0 = time.perf_counter()
                report = brain.sleep(conv.sample_id, now=conv.end + timedelta(hours=6))
                info["sleep_s"] = time.perf_counter() - t0
                info["consolidated"] = len(report.semantic_created) + len(report.semantic_updated)
                info["archived"] = len(report.archived_ids)
                out["zenbrain+sleep"], _ = _ask(brain, conv, questions, dia, k, progress)
    return out
