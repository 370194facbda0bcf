"""`ZenBrainStore`: a `Brain` seen as a LangGraph `BaseStore`, so LangGraph and LangMem code can
use ZenBrain as its long-term store unchanged.

Namespace mapping (documented in docs/AGENT.md):

* the label at `user_index` (default 0) is the ZenBrain `user_id` — every item is scoped to one
  user, like every other memory;
* the other labels, joined with ".", are the ZenBrain namespace (agent/app scope); with no other
  label the brain's own namespace is used, so `("alice",)` items show up in alice's chat recall.

Each item is one semantic memory. Its text is the value's `content`/`text`/`memory` string (plus
the remaining fields as JSON) or the value as JSON; the metadata carries `lg_store`, the full
namespace (`lg_namespace`, labels joined with "."), `lg_key`, the JSON `lg_value` and
`lg_created_at`. A put on an existing key writes a new memory with the new value and *archives*
the old one (restorable, so the brain's "forgetting archives" rule holds and the old value stays
inspectable); `PutOp(value=None)` — `store.delete` — is an explicit delete and hard-deletes every
version of that key through `Brain.delete`. Search with a query ranks through ZenBrain's own
recall (so scores carry its layer/availability weighting); items the recall did not rank follow,
newest first, with `score=None`.

Only the public `zenbrain` API is used (STYLE.md §3 rule 7).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from langgraph.store.base import (
    BaseStore,
    GetOp,
    Item,
    ListNamespacesOp,
    MatchCondition,
    Op,
    PutOp,
    Result,
    SearchItem,
    SearchOp,
    validate_op_namespace,
)

from zenbrain import Context, InvalidInputError, Memory

if TYPE_CHECKING:
    from zenbrain import Brain

__all__ = ["ZenBrainStore"]

_TEXT_FIELDS = ("content", "text", "memory", "data")


class ZenBrainStore(BaseStore):
    """A LangGraph `BaseStore` backed by a `Brain` (see the module docstring for the mapping).

    Args:
        brain: an open `Brain`; the store does not close it.
        user_index: which namespace label names the user (LangMem's `("memories", "{user_id}")`
            wants `user_index=1`).
        source: the provenance recorded for items (`agent_inferred` by default; see trust).
    """

    supports_ttl = False

    def __init__(self, brain: Brain, *, user_index: int = 0, source: str = "agent_inferred") -> None:
        if user_index < 0:
            raise InvalidInputError(f"user_index is {user_index}; it must be ≥ 0")
        self.brain = brain
        self.user_index = user_index
        self.source = source

    # ---- the abstract core --------------------------------------------------------------------

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        """Run the operations in order (a later op in the batch sees an earlier put)."""
        results: list[Result] = []
        for op in ops:
            validate_op_namespace(op)
            if isinstance(op, GetOp):
                results.append(self._get(op.namespace, op.key))
            elif isinstance(op, PutOp):
                self._put(op.namespace, op.key, op.value)
                results.append(None)
            elif isinstance(op, SearchOp):
                results.append(self._search(op))
            elif isinstance(op, ListNamespacesOp):
                results.append(self._list_namespaces(op))
            else:
                raise InvalidInputError(f"unknown store operation {type(op).__name__}")
        return results

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        # Brain calls are blocking (SQLite, embedding); keep the event loop free.
        return await asyncio.to_thread(self.batch, list(ops))

    # ---- mapping ------------------------------------------------------------------------------

    def _scope(self, namespace: Sequence[str]) -> tuple[str, str]:
        """(user_id, ZenBrain namespace) of a full item namespace."""
        if len(namespace) <= self.user_index:
            raise InvalidInputError(
                f"namespace {tuple(namespace)!r} has no label at position {self.user_index} to "
                "use as the user id (ZenBrainStore(user_index=...))")
        rest = [label for i, label in enumerate(namespace) if i != self.user_index]
        return namespace[self.user_index], ".".join(rest) or self.brain.config.namespace

    def _current(self, namespace: Sequence[str], key: str, *, archived: bool = False) -> list[Memory]:
        user_id, _ = self._scope(namespace)
        return self.brain.memories(
            user_id, metadata={"lg_namespace": ".".join(namespace), "lg_key": key},
            include_archived=archived)

    def _item(self, mem: Memory, cls: type = Item, **extra: Any) -> Any:
        meta = mem.metadata
        created = datetime.fromisoformat(meta.get("lg_created_at") or mem.created_at.isoformat())
        return cls(namespace=tuple(meta["lg_namespace"].split(".")), key=meta["lg_key"],
                   value=meta["lg_value"], created_at=created, updated_at=mem.created_at, **extra)

    # ---- the prompt block ---------------------------------------------------------------------

    def context(self, namespace: Sequence[str], query: str, *, budget_tokens: int = 1000,
                at: datetime | str | None = None, session_id: str | None = None) -> Context:
        """The memory block to paste into a prompt for `query`: `Brain.context` for the user
        and ZenBrain namespace this item namespace maps to (a stable profile prefix, then the
        evidence, within `budget_tokens`), e.g. `store.context(("alice",), "what does my cat
        eat?", budget_tokens=500).text`. Read-only.
        """
        if isinstance(namespace, str):
            raise InvalidInputError(f"namespace must be a tuple of labels, e.g. ({namespace!r},)")
        user_id, zb_namespace = self._scope(tuple(namespace))
        return self.brain.context(query, user_id=user_id, namespace=zb_namespace,
                                  budget_tokens=budget_tokens, at=at, session_id=session_id)

    # ---- operations ---------------------------------------------------------------------------

    def _get(self, namespace: tuple[str, ...], key: str) -> Item | None:
        found = self._current(namespace, key)
        return self._item(found[0]) if found else None

    def _put(self, namespace: tuple[str, ...], key: str, value: dict[str, Any] | None) -> None:
        if value is None:
            for mem in self._current(namespace, key, archived=True):
                self.brain.delete(mem.id, user_id=mem.user_id, reason="store_delete")
            return
        if not isinstance(value, dict):
            raise InvalidInputError(f"store values must be dicts, got {type(value).__name__}")
        user_id, zb_namespace = self._scope(namespace)
        old = self._current(namespace, key)
        ns_text = ".".join(namespace)
        first = old[-1] if old else None
        created = (first.metadata.get("lg_created_at") or first.created_at.isoformat()) if first else None
        # One session per key: the write path's 10-minute idempotency works per session, so two
        # keys holding the same value stay two memories.
        session = "store:" + hashlib.sha1(f"{ns_text}\x00{key}".encode()).hexdigest()[:20]
        mem = self.brain.remember(
            _text(value), user_id=user_id, session_id=session, layer="semantic",
            metadata={"namespace": zb_namespace, "kind": "note", "source": self.source,
                      "lg_store": True, "lg_namespace": ns_text, "lg_key": key,
                      "lg_value": value, "lg_created_at": created})
        for prev in old:
            if prev.id != mem.id:
                self.brain.forget(prev.id, user_id=user_id)

    def _store_items(self, prefix: Sequence[str]) -> list[Memory]:
        users = [prefix[self.user_index]] if len(prefix) > self.user_index else self.brain.users()
        out: list[Memory] = []
        for user_id in users:
            out += [m for m in self.brain.memories(user_id, metadata={"lg_store": True})
                    if _has_prefix(tuple(m.metadata["lg_namespace"].split(".")), prefix)]
        return out

    def _search(self, op: SearchOp) -> list[SearchItem]:
        mems = [m for m in self._store_items(op.namespace_prefix)
                if all(_matches(m.metadata["lg_value"].get(k), v) for k, v in (op.filter or {}).items())]
        mems.sort(key=lambda m: (m.created_at, m.id), reverse=True)
        scores: dict[str, float] = {}
        if op.query and mems:
            scopes = {(m.user_id, m.namespace) for m in mems}
            k = min(self.brain.config.max_k, len(mems) + 10)
            for user_id, zb_namespace in sorted(scopes):
                for r in self.brain.recall(op.query, user_id=user_id, namespace=zb_namespace,
                                           k=k, layers=["semantic"]):
                    scores[r.memory.id] = r.score
            ranked = sorted((m for m in mems if m.id in scores), key=lambda m: -scores[m.id])
            mems = ranked + [m for m in mems if m.id not in scores]
        page = mems[op.offset: op.offset + op.limit]
        return [self._item(m, SearchItem, score=scores.get(m.id)) for m in page]

    def _list_namespaces(self, op: ListNamespacesOp) -> list[tuple[str, ...]]:
        prefix: tuple[str, ...] = ()
        for cond in op.match_conditions or ():
            if cond.match_type == "prefix" and "*" not in cond.path[: self.user_index + 1]:
                prefix = tuple(cond.path)
        spaces = {tuple(m.metadata["lg_namespace"].split(".")) for m in self._store_items(prefix)}
        picked = [ns for ns in spaces if all(_does_match(c, ns) for c in op.match_conditions or ())]
        if op.max_depth is not None:
            picked = list({ns[: op.max_depth] for ns in picked})
        return sorted(picked)[op.offset: op.offset + op.limit]


def _text(value: dict[str, Any]) -> str:
    """The text to embed: the value's main string first, the other fields as JSON after it."""
    for name in _TEXT_FIELDS:
        main = value.get(name)
        if isinstance(main, dict):  # LangMem: {"kind": ..., "content": {"content": "..."}}
            main = next((main[f] for f in _TEXT_FIELDS if isinstance(main.get(f), str)), None)
        if isinstance(main, str) and main.strip():
            rest = {k: v for k, v in value.items() if k != name}
            extra = json.dumps(rest, ensure_ascii=False, sort_keys=True, default=str) if rest else ""
            return f"{main}\n{extra}" if extra else main
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _has_prefix(namespace: tuple[str, ...], prefix: Sequence[str]) -> bool:
    return namespace[: len(prefix)] == tuple(prefix)


def _does_match(cond: MatchCondition, namespace: tuple[str, ...]) -> bool:
    path = tuple(cond.path)
    if len(namespace) < len(path):
        return False
    part = namespace[: len(path)] if cond.match_type == "prefix" else namespace[len(namespace) - len(path):]
    return all(p == "*" or p == n for p, n in zip(path, part, strict=True))


def _matches(actual: Any, wanted: Any) -> bool:
    """LangGraph's JSONB-like filter semantics: nested dicts, lists, `$eq/$ne/$gt/$gte/$lt/$lte`."""
    if isinstance(wanted, dict):
        if any(k.startswith("$") for k in wanted):
            return all(_operator(actual, op, v) for op, v in wanted.items())
        return isinstance(actual, dict) and all(_matches(actual.get(k), v) for k, v in wanted.items())
    if isinstance(wanted, list | tuple):
        return (isinstance(actual, list | tuple) and len(actual) == len(wanted)
                and all(_matches(a, w) for a, w in zip(actual, wanted, strict=True)))
    return actual == wanted


def _operator(actual: Any, op: str, wanted: Any) -> bool:
    if op == "$eq":
        return actual == wanted
    if op == "$ne":
        return actual != wanted
    if actual is None:
        return False
    compare = {"$gt": float.__gt__, "$gte": float.__ge__, "$lt": float.__lt__, "$lte": float.__le__}
    if op not in compare:
        raise InvalidInputError(f"unsupported filter operator {op!r}; use $eq, $ne, $gt, $gte, $lt, $lte")
    return compare[op](float(actual), float(wanted))
