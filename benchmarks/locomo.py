"""LoCoMo loading and evidence scoring, shared by every benchmark (no zenbrain imports).

Reads `../shared/data/locomo10.json` in place (CC BY-NC 4.0: evaluation only, never packaged).
Turns are indexed raw (text plus the photo caption, as retrieval baselines do); the LLM-written
`observation`/`session_summary` fields are never read. Evidence ids are extracted with the regex
`D\\d+:\\d+` and normalised with int(); ids that resolve to no turn count as misses for every
system alike.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = [
    "CATEGORY_NAMES", "Conversation", "Question", "Turn", "data_path", "found", "indexed_text", "load",
    "recall_at",
]

CATEGORY_NAMES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop", 5: "adversarial"}
_EVIDENCE = re.compile(r"D(\d+):(\d+)")


def data_path() -> Path:
    """`$ZENBRAIN_LOCOMO`, else `../shared/data/locomo10.json` next to the repository."""
    env = os.environ.get("ZENBRAIN_LOCOMO")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "data" / "locomo10.json"


def found(benchmark: str) -> Path | None:
    """The LoCoMo file, or None after telling stderr that `benchmark` is skipped without it."""
    path = data_path()
    if path.exists():
        return path
    print(f"{benchmark}: LoCoMo data not found at {path}; skipped (set ZENBRAIN_LOCOMO).",
          file=sys.stderr)
    return None


@dataclass(frozen=True)
class Turn:
    dia_id: str
    speaker: str
    text: str  # with " [shares an image: <caption>]" when the turn carried a photo
    session: int
    at: datetime


@dataclass(frozen=True)
class Question:
    question: str
    category: int
    evidence: tuple[str, ...]  # normalised dia_ids ("D1:3")


@dataclass(frozen=True)
class Conversation:
    sample_id: str
    speakers: tuple[str, str]
    turns: tuple[Turn, ...]
    questions: tuple[Question, ...]

    @property
    def end(self) -> datetime:
        return self.turns[-1].at


def _norm(session: str, turn: str) -> str:
    return f"D{int(session)}:{int(turn)}"


def load(path: Path | None = None) -> list[Conversation]:
    path = path or data_path()
    raw = json.loads(path.read_text())
    out = []
    for conv in raw:
        c = conv["conversation"]
        turns: list[Turn] = []
        n = 1
        while f"session_{n}" in c:
            start = datetime.strptime(c[f"session_{n}_date_time"], "%I:%M %p on %d %B, %Y")
            start = start.replace(tzinfo=UTC)
            for i, t in enumerate(c[f"session_{n}"]):
                text = t["text"]
                if t.get("blip_caption"):
                    text = f"{text} [shares an image: {t['blip_caption']}]"
                # turns of one session are spaced a minute apart so their order is kept
                turns.append(Turn(_norm(*_EVIDENCE.match(t["dia_id"]).groups()), t["speaker"],
                                  text, n, start + timedelta(minutes=i)))
            n += 1
        questions = []
        for q in conv["qa"]:
            ids = tuple(dict.fromkeys(_norm(a, b) for e in q.get("evidence", [])
                                      for a, b in _EVIDENCE.findall(e)))
            if ids:
                questions.append(Question(q["question"], int(q["category"]), ids))
        out.append(Conversation(conv["sample_id"], (c["speaker_a"], c["speaker_b"]),
                                tuple(turns), tuple(questions)))
    return out


def indexed_text(turn: Turn) -> str:
    """What a baseline indexes for a turn: "Speaker: text". Baselines see who spoke, as ZenBrain
    does through `speaker=`; the bare text would make them weaker than they need to be."""
    return f"{turn.speaker}: {turn.text}"


def recall_at(evidence: Sequence[str], retrieved: Iterable[Iterable[str]], k: int) -> float:
    """Fraction of evidence dia_ids covered by the top-k retrieved items.

    Each retrieved item is the set of dia_ids it stands for: one turn for a raw memory, every
    source turn for a consolidated one (provenance counts, as the issues define it).
    """
    covered: set[str] = set()
    for item in list(retrieved)[:k]:
        covered.update(item)
    return sum(1 for e in evidence if e in covered) / len(evidence)
