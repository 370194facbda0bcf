"""Packing: which quoted lines fill a byte budget, and how each line is written.

Pure functions over simple records. An `Entry` is one memory ready to quote: a fixed header
(date, speaker, layer, id, note) and its text as parts (sentences, or a gist's clauses). A
`Candidate` is one recalled item with its renderings, preferred first (e.g. "its question, then
it" before "it alone"). `pack` walks the candidates in rank order:

1. a candidate whose words are all quoted already is left out as a duplicate (same id, same
   text, or every part of four words or more already quoted); parts already quoted are dropped
   from what is left, with … in their place;
2. the first rendering whose lines fit what is left of the budget is taken (cost = the line's
   UTF-8 bytes + 1 for its newline) — or, for renderings that say the same thing (a gist or
   its sources), the cheapest one that fits;
3. when none fits, the plain item is cut after the last whole part that fits, marked with …
   (never mid-sentence), if at least one part fits;
4. otherwise it is left out ("no room"), and later, smaller candidates may still fit.

So the result is greedy by rank with a per-item cost, never truncation of the whole block.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from zenbrain.context.text import ELLIPSIS, MIN_DEDUP_WORDS, join_parts, norm, word_count
from zenbrain.context.tokens import BYTES_PER_TOKEN, size
from zenbrain.trust import quote_as_data

__all__ = ["ELLIPSIS", "Candidate", "Entry", "Packed", "Placed", "header", "pack"]



def header(*, date: str, speaker: str, handle: str, note: str = "") -> str:
    """`- 2026-01-03 user [R555] note` — what precedes a quoted memory (`handle`: its
    citation handle, `handles.CitationHandles`; the memory's layer and full id are in its item)."""
    return f"- {date} {speaker} [{handle}]" + (f" {note}" if note else "")


@dataclass(frozen=True)
class Entry:
    """One memory to quote. Its text is `head` + the kept `parts` joined by `sep`, a part left
    out showing as … ; the line is `header: quote_as_data(text)`.

    Args:
        id: the memory's id.
        role: why the line is there (see `ContextItem.role`).
        header: the line's start (`header(...)`).
        parts: the text's sentences or clauses, in order.
        head: text before the parts (a gist's "Luna (pet): ").
        sep: how parts are joined (" " for sentences, "; " for a gist's clauses).
        keep: the indexes of the parts shown; None = all.
        metadata: the memory's metadata (trust and instruction flags decide the quoting).
    """

    id: str
    role: str
    header: str
    parts: tuple[str, ...]
    head: str = ""
    sep: str = " "
    keep: tuple[int, ...] | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def shown(self) -> tuple[int, ...]:
        return tuple(range(len(self.parts))) if self.keep is None else self.keep

    @property
    def cut(self) -> bool:
        return len(self.shown) < len(self.parts)

    @property
    def full_text(self) -> str:
        return self.head + self.sep.join(self.parts)

    @property
    def text(self) -> str:
        return join_parts(self.head, self.parts, self.sep, self.keep)

    @property
    def line(self) -> str:
        return f"{self.header}: {quote_as_data(self.text, dict(self.metadata))}"

    @property
    def cost(self) -> int:
        """Bytes this line takes in the context, its newline included."""
        return size(self.line) + 1


@dataclass(frozen=True)
class Candidate:
    """A recalled item and its renderings, preferred first; the last is the item alone.

    With `cheapest`, the renderings say the same thing (a gist, or its sources): the one that
    costs least once words already quoted are dropped is taken.
    """

    id: str
    options: tuple[tuple[Entry, ...], ...]
    cheapest: bool = False


@dataclass(frozen=True)
class Placed:
    """An entry as placed in the context, and the candidate it belongs to."""

    entry: Entry
    candidate: str


@dataclass(frozen=True)
class Packed:
    placed: tuple[Placed, ...]
    used: int  # bytes, newlines included
    left_out: dict[str, str]
    seen: frozenset[str]  # what later packing must not repeat (ids and text keys)


def _keys(entry: Entry) -> set[str]:
    keys = {f"id:{entry.id}", f"t:{norm(entry.full_text)}"}
    keys |= {f"t:{norm(entry.parts[i])}" for i in entry.shown
             if word_count(entry.parts[i]) >= MIN_DEDUP_WORDS}
    return keys


def _fresh(entry: Entry, seen: set[str]) -> Entry | None:
    """`entry` without the parts already quoted; None when nothing of it is new."""
    if f"id:{entry.id}" in seen or f"t:{norm(entry.full_text)}" in seen:
        return None
    keep = tuple(i for i in entry.shown
                 if not (word_count(entry.parts[i]) >= MIN_DEDUP_WORDS
                         and f"t:{norm(entry.parts[i])}" in seen))
    if not keep:
        return None
    return entry if keep == entry.shown else dataclasses.replace(entry, keep=keep)


def _fresh_all(option: Sequence[Entry], seen: set[str]) -> list[Entry]:
    local = set(seen)
    out = []
    for entry in option:
        fresh = _fresh(entry, local)
        if fresh is not None:
            out.append(fresh)
            local |= _keys(fresh)
    return out


def _cut_to_fit(entry: Entry, room: int) -> Entry | None:
    """The longest head of `entry`'s shown parts (at least one) whose line fits `room` bytes."""
    shown = entry.shown
    for n in range(len(shown) - 1, 0, -1):
        cut = dataclasses.replace(entry, keep=shown[:n])
        if cut.cost <= room:
            return cut
    return None


def pack(candidates: Iterable[Candidate], *, budget: int,
         seen: Iterable[str] = ()) -> Packed:
    """Fill `budget` bytes with the candidates' lines, in the candidates' order (see the
    module docstring for the rules). `seen` holds what is quoted already (`Packed.seen` of an
    earlier pack), so nothing is quoted twice."""
    done = set(seen)
    placed: list[Placed] = []
    left_out: dict[str, str] = {}
    used = 0
    for cand in candidates:
        alone = cand.options[-1]
        if not _fresh_all(alone, done):
            left_out[cand.id] = "duplicate: its words are already quoted"
            continue
        chosen: list[Entry] | None = None
        renderings = [f for f in (_fresh_all(o, done) for o in cand.options) if f]
        if cand.cheapest:
            renderings.sort(key=lambda f: sum(e.cost for e in f))
        for fresh in renderings:
            if used + sum(e.cost for e in fresh) <= budget:
                chosen = fresh
                break
        if chosen is None and len(alone) == 1:
            fresh = _fresh_all(alone, done)
            cut = _cut_to_fit(fresh[0], budget - used) if fresh else None
            chosen = [cut] if cut is not None else None
        if chosen is None:
            need = sum(e.cost for e in _fresh_all(alone, done))
            left_out[cand.id] = (f"no room: needs ≈{-(-need // BYTES_PER_TOKEN)} tokens, "
                                 f"≈{max(0, budget - used) // BYTES_PER_TOKEN} left")
            continue
        for entry in chosen:
            placed.append(Placed(entry, cand.id))
            used += entry.cost
            done |= _keys(entry)
    return Packed(tuple(placed), used, left_out, frozenset(done))
