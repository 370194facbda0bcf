"""Citation handles: a short name for each quoted memory, and the way back from a cited name.

A memory id (`mem_` + a 26-character ULID) is about a fifth of a quoted chat turn; an agent's
context quotes dozens of them, and the model only has to tell them apart. A handle is the last
`HANDLE_CHARS` characters of the id: the ULID's random part, which the monotonic generator
increments from one id to the next, so ids written in the same millisecond still differ there
(their first characters, the timestamp, would not). It is a function of the id alone, so a
memory quoted in the stable prefix has the same handle in every context (the prefix stays
byte-identical), and it is lengthened only when it would collide with a handle already given in
the same context (in ≈ 1 of 200 contexts of 100 items: 32⁴ values; four characters rather
than six save two bytes a line, LoCoMo evidence within 2,000 tokens +0.004). `cited_ids` maps what a model wrote back to
memory ids; a full id cited as such is accepted too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["HANDLE_CHARS", "CitationHandles", "cited_ids", "handle"]

HANDLE_CHARS = 4  # 20 bits of the ULID's random part
_STEP = 2
_CITE = re.compile(r"\[\s*([0-9A-Za-z_]+)\s*\]")
_ID = re.compile(r"mem_[0-9A-Za-z]+")


def handle(memory_id: str, chars: int = HANDLE_CHARS) -> str:
    """The last `chars` characters of the id (the whole id, less `mem_`, when it is shorter).

    >>> handle("mem_01M8PM1M1HAQMDTNDDPRB4R555")
    'R555'
    >>> handle("mem_1")
    '1'
    """
    body = memory_id.removeprefix("mem_")
    return body[-chars:] if len(body) > chars else body


class CitationHandles:
    """The handles given in one context, in the order they were asked for.

    Args:
        given: handle → memory id already in use (an earlier part of the same context).
    """

    def __init__(self, given: Mapping[str, str] | None = None) -> None:
        self._by_handle: dict[str, str] = dict(given or {})
        self._by_id = {mid: h for h, mid in self._by_handle.items()}

    def of(self, memory_id: str) -> str:
        """This memory's handle in the context: `handle(memory_id)`, lengthened while another
        memory already holds it."""
        if memory_id in self._by_id:
            return self._by_id[memory_id]
        chars = HANDLE_CHARS
        name = handle(memory_id, chars)
        while self._by_handle.get(name, memory_id) != memory_id:
            longer = handle(memory_id, chars + _STEP)
            if longer == name:  # the whole id is taken by another id's handle: cannot happen
                name = memory_id  # with ULIDs; the full id is unique in any case
                break
            chars, name = chars + _STEP, longer
        self._by_handle[name] = memory_id
        self._by_id[memory_id] = name
        return name

    def as_dict(self) -> dict[str, str]:
        """handle → memory id, every handle given so far."""
        return dict(self._by_handle)


def cited_ids(text: str, handles: Mapping[str, str]) -> list[str]:
    """The memory ids `text` cites, first mention first: `[handle]` for a handle of `handles`
    (handle → memory id), or a full memory id written anywhere that is one of its values.

    >>> cited_ids("Luna eats tuna [B4R555], see [x] and mem_9.", {"B4R555": "mem_0B4R555", "7": "mem_7"})
    ['mem_0B4R555']
    """
    known = set(handles.values())
    found: list[tuple[int, str]] = [(m.start(), handles[m.group(1)])
                                    for m in _CITE.finditer(text) if m.group(1) in handles]
    found += [(m.start(), m.group(0)) for m in _ID.finditer(text) if m.group(0) in known]
    return list(dict.fromkeys(mid for _, mid in sorted(found)))
