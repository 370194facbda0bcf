"""The scripted demo: a short multi-session conversation, recall with reasons, one sleep.

Runs offline on the real embedder in a local folder that is reset on every run. Returns plain
data; `zenbrain demo` (cli.py) prints it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from zenbrain.brain import Brain
from zenbrain.clock import FixedClock
from zenbrain.models import Recollection, SleepReport

__all__ = ["DAY0", "SESSIONS", "QUERIES", "DemoResult", "run_demo"]

DAY0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
USER = "dana"

# (day, session id, [(role, text), ...])
SESSIONS: list[tuple[int, str, list[tuple[str, str]]]] = [
    (0, "s1", [
        ("user", "Hi! My name is Dana and I live in Berlin."),
        ("assistant", "Nice to meet you, Dana! How can I help?"),
        ("user", "My cat Luna loves tuna, she eats it every evening."),
        ("user", "I always drink green tea in the morning."),
    ]),
    (1, "s2", [
        ("user", "Luna knocked over my plant yesterday, soil everywhere."),
        ("user", "How to reset the router: 1. unplug it 2. wait 30 seconds 3. plug it back in"),
        ("assistant", "Noted. That router procedure is saved."),
    ]),
    (2, "s3", [
        ("user", "Took Luna to the vet for her vaccination today."),
        ("assistant", "I'll remind you about Luna's next vaccination in a year."),
    ]),
    (30, "s4", [
        ("user", "Big news: I moved to Munich, I live in Munich now."),
        ("user", "I was terrified when the car crashed on the highway."),
        ("user", "The printer uses A4 paper."),
    ]),
]

QUERIES = ["where do I live", "tell me about Luna", "how do I reset the router",
           "what do I drink in the morning"]


@dataclass
class DemoResult:
    home: Path
    counts_before: dict[str, Any]
    counts_after: dict[str, Any]
    recalls: list[tuple[str, list[Recollection]]] = field(default_factory=list)
    after_sleep: list[tuple[str, list[Recollection]]] = field(default_factory=list)
    report: SleepReport | None = None


def _layer_counts(stats: dict[str, Any]) -> dict[str, Any]:
    return {"active": stats["active"], "archived": stats["archived"],
            "layers": {k: v["active"] for k, v in stats["layers"].items()}}


def run_demo(home: Path, *, k: int = 3) -> DemoResult:
    if home.exists():
        shutil.rmtree(home)
    clock = FixedClock(DAY0)
    with Brain(home, clock=clock, lock_timeout=5) as brain:
        for day, session, turns in SESSIONS:
            at = DAY0 + timedelta(days=day)
            messages = [{"role": role, "content": text,
                         "at": (at + timedelta(minutes=i)).isoformat()}
                        for i, (role, text) in enumerate(turns)]
            brain.observe(messages, user_id=USER, session_id=session, at=at)
        clock.set(DAY0 + timedelta(days=31))
        before = _layer_counts(brain.stats(USER))
        recalls = [(q, brain.recall(q, user_id=USER, k=k, explain=True)) for q in QUERIES]
        report = brain.sleep(USER)
        after = _layer_counts(brain.stats(USER))
        after_sleep = [(q, brain.recall(q, user_id=USER, k=k, explain=True))
                       for q in ("tell me about Luna",)]
    return DemoResult(home=home, counts_before=before, counts_after=after, recalls=recalls,
                      after_sleep=after_sleep, report=report)
