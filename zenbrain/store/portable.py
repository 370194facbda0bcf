"""Moving a user's records in and out (JSONL export/import) and hard deletion.

Export writes a header line, then one typed object per line: `{"type": "memory", "record": …,
"embedding": …}` for every version (archived too), and `{"type": T, "row": {…}}` for link,
entity, edge, memory_entity, working_slot, feedback, share, neuro_state and sleep_run rows. Import validates every line before writing anything and upserts by id,
so importing the same file twice creates nothing.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import numpy as np
from pydantic import ValidationError

from zenbrain.clock import utc_iso
from zenbrain.errors import InvalidInputError
from zenbrain.models import Memory
from zenbrain.store.schema import SCHEMA_VERSION
from zenbrain.store.sqlite import SQLiteStore, escape_like

__all__ = ["delete_user", "export_user", "hard_delete", "import_records", "parse_jsonl"]

# record type → (table, primary-key columns)
_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "link": ("memory_links", ("src", "dst", "type")),
    "entity": ("kg_nodes", ("id",)),
    "edge": ("kg_edges", ("id",)),
    "memory_entity": ("memory_entities", ("memory_id", "entity_id")),
    "working_slot": ("working_slots", ("user_id", "namespace", "session_id", "memory_id")),
    "feedback": ("feedback", ("memory_id", "at", "outcome")),
    "share": ("shares", ("memory_id", "grantee")),
    "neuro_state": ("neuro_state", ("user_id", "namespace")),
    "sleep_run": ("sleep_runs", ("run_id",)),
}


def export_user(
    store: SQLiteStore, user_id: str, *, embedder: str, with_embeddings: bool, now: datetime
) -> Iterator[dict[str, Any]]:
    yield {"type": "header", "schema_version": SCHEMA_VERSION, "embedder": embedder,
           "exported_at": utc_iso(now), "user_id": user_id}
    mems = store.select_memories("user_id = ? ORDER BY id", (user_id,))
    ids = [m.id for m in mems]
    vectors = store.rows(
        "SELECT e.memory_id, e.model, e.vector FROM embeddings e JOIN memories m "
        "ON m.id = e.memory_id WHERE m.user_id = ?", (user_id,)) if with_embeddings else []
    by_id = {v["memory_id"]: v for v in vectors}
    for mem in mems:
        item: dict[str, Any] = {"type": "memory", "record": mem.model_dump(mode="json")}
        vec = by_id.get(mem.id)
        if vec is not None:
            item["embedding"] = {"model": vec["model"],
                                 "vector": base64.b64encode(vec["vector"]).decode()}
        yield item
    id_set = set(ids)
    for link in store.rows("SELECT * FROM memory_links ORDER BY src, dst, type"):
        if link["src"] in id_set or link["dst"] in id_set:
            yield {"type": "link", "row": link}
    # Every query has a total order, so two exports of an unchanged brain are identical line for
    # line (PostgreSQL returned the ties of a partial ORDER BY in varying order).
    queries = {
        "entity": ("SELECT * FROM kg_nodes WHERE user_id = ? ORDER BY id", (user_id,)),
        "edge": ("SELECT * FROM kg_edges WHERE user_id = ? ORDER BY id", (user_id,)),
        "memory_entity": ("SELECT me.* FROM memory_entities me JOIN memories m ON m.id = "
                          "me.memory_id WHERE m.user_id = ? ORDER BY me.memory_id, me.entity_id",
                          (user_id,)),
        "working_slot": ("SELECT * FROM working_slots WHERE user_id = ? "
                         "ORDER BY namespace, session_id, memory_id", (user_id,)),
        "feedback": ("SELECT memory_id, user_id, at, outcome FROM feedback WHERE user_id = ? "
                     "ORDER BY id", (user_id,)),
        "share": ("SELECT * FROM shares WHERE owner = ? ORDER BY memory_id, grantee", (user_id,)),
        "neuro_state": ("SELECT * FROM neuro_state WHERE user_id = ? ORDER BY namespace",
                        (user_id,)),
        "sleep_run": ("SELECT * FROM sleep_runs WHERE user_id = ? ORDER BY run_id", (user_id,)),
    }
    for type_, (sql, params) in queries.items():
        for row in store.rows(sql, params):
            yield {"type": type_, "row": row}


def parse_jsonl(lines: Iterable[str]) -> list[tuple[int, dict[str, Any]]]:
    """Parse and validate every line; raise `InvalidInputError` naming the first bad line."""
    out: list[tuple[int, dict[str, Any]]] = []
    saw_header = False
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(f"line {lineno}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or "type" not in obj:
            raise InvalidInputError(f"line {lineno}: expected an object with a 'type'")
        type_ = obj["type"]
        if type_ == "header":
            if obj.get("schema_version") != SCHEMA_VERSION:
                raise InvalidInputError(
                    f"line {lineno}: schema_version {obj.get('schema_version')!r} is not "
                    f"{SCHEMA_VERSION}")
            saw_header = True
        elif type_ == "memory":
            try:
                Memory.model_validate(obj.get("record"))
            except ValidationError as exc:
                first = exc.errors()[0]
                raise InvalidInputError(
                    f"line {lineno}: invalid memory: {'.'.join(map(str, first['loc']))}: "
                    f"{first['msg']}") from None
            emb = obj.get("embedding")
            if emb is not None:
                try:
                    base64.b64decode(emb["vector"], validate=True)
                    str(emb["model"])
                except (KeyError, TypeError, ValueError):
                    raise InvalidInputError(f"line {lineno}: invalid embedding") from None
        elif type_ in _TABLES:
            row = obj.get("row")
            if not isinstance(row, dict) or not row:
                raise InvalidInputError(f"line {lineno}: {type_} has no 'row' object")
            if not all(isinstance(k, str) and k.isidentifier() for k in row):
                raise InvalidInputError(f"line {lineno}: {type_} has invalid column names")
            missing = [k for k in _TABLES[type_][1] if k not in row]
            if missing:
                raise InvalidInputError(f"line {lineno}: {type_} lacks {missing}")
        else:
            raise InvalidInputError(f"line {lineno}: unknown record type {type_!r}")
        out.append((lineno, obj))
    if out and not saw_header:
        raise InvalidInputError("line 1: the file has no header line (was it made by export?)")
    return out


def import_records(
    store: SQLiteStore, records: list[tuple[int, dict[str, Any]]], *, embedder: str
) -> tuple[dict[str, int], set[str]]:
    """Upsert validated records in one transaction. Returns (created counts, user ids touched).

    Vectors from another embedding model are dropped here; the index repair re-embeds them.
    """
    created: dict[str, int] = {}
    users: set[str] = set()
    with store.transaction():
        for _lineno, obj in records:
            type_ = obj["type"]
            if type_ == "header":
                continue
            if type_ == "memory":
                mem = Memory.model_validate(obj["record"])
                users.add(mem.user_id)
                exists = store.scalar("SELECT 1 FROM memories WHERE id = ?", (mem.id,))
                row = store.to_row(mem.model_copy(update={"index_pending": True}))
                store.upsert_memory_row(row)
                emb = obj.get("embedding")
                if emb is not None and emb["model"] == embedder:
                    store.set_vector(mem.id, np.frombuffer(base64.b64decode(emb["vector"]),
                                                           dtype=np.float32), emb["model"])
                if not exists:
                    created["memory"] = created.get("memory", 0) + 1
                continue
            table, pk = _TABLES[type_]
            row = obj["row"]
            where = " AND ".join(f"{k} = ?" for k in pk)
            exists = store.scalar(f"SELECT 1 FROM {table} WHERE {where}", [row[k] for k in pk])
            if exists:
                continue
            cols = ",".join(row)
            store.conn.execute(f"INSERT INTO {table}({cols}) VALUES ({','.join('?' * len(row))})",
                               list(row.values()))
            created[type_] = created.get(type_, 0) + 1
    return created, users


def hard_delete(store: SQLiteStore, mem: Memory, *, at: datetime, reason: str) -> None:
    """Remove one memory version everywhere in SQLite and leave a content-free tombstone."""
    mid = mem.id
    with store.transaction():
        prev = store.get(mem.supersedes) if mem.supersedes else None
        nxt = store.get(mem.superseded_by) if mem.superseded_by else None
        if prev is not None and nxt is not None:
            store.update(prev.id, superseded_by=nxt.id)
            store.update(nxt.id, supersedes=prev.id)
        elif prev is not None:  # the newest remaining version becomes current again
            store.update(prev.id, superseded_by=None, superseded_at=None, is_current=True,
                         index_pending=True)
        elif nxt is not None:
            store.update(nxt.id, supersedes=None)
        store.conn.execute("DELETE FROM embeddings WHERE memory_id = ?", (mid,))
        store.conn.execute("DELETE FROM memory_links WHERE src = ? OR dst = ?", (mid, mid))
        store.conn.execute("DELETE FROM memory_entities WHERE memory_id = ?", (mid,))
        store.conn.execute("DELETE FROM working_slots WHERE memory_id = ?", (mid,))
        store.conn.execute("DELETE FROM shares WHERE memory_id = ?", (mid,))
        store.conn.execute("DELETE FROM feedback WHERE memory_id = ?", (mid,))
        store.conn.execute("DELETE FROM reconsolidation_log WHERE memory_id = ? OR new_id = ?",
                           (mid, mid))
        store.conn.execute("UPDATE memories SET consolidated_into = NULL WHERE consolidated_into = ?",
                           (mid,))
        like = f'%"{mid}"%'
        for row in store.rows("SELECT id, sources FROM memories WHERE sources LIKE ?", (like,)):
            store.update(row["id"], sources=[s for s in json.loads(row["sources"]) if s != mid])
        for table in ("kg_nodes", "kg_edges"):
            for row in store.rows(
                f"SELECT id, source_memory_ids FROM {table} WHERE source_memory_ids LIKE ?", (like,)
            ):
                kept = [s for s in json.loads(row["source_memory_ids"]) if s != mid]
                store.conn.execute(f"UPDATE {table} SET source_memory_ids = ? WHERE id = ?",
                                   (json.dumps(kept), row["id"]))
        store.conn.execute("DELETE FROM memories WHERE id = ?", (mid,))
        store.conn.execute(
            "INSERT INTO tombstones(id, user_id, deleted_at, reason) VALUES (?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET user_id = excluded.user_id, "
            "deleted_at = excluded.deleted_at, reason = excluded.reason",
            (mid, mem.user_id, utc_iso(at), reason))
        store.log_event(at, mem.user_id, mem.namespace, "delete", mid, {"reason": reason})


# (table, column holding the user id) for every per-user table; memory-keyed tables go first.
_USER_TABLES = (
    ("kg_edges", "user_id"), ("kg_nodes", "user_id"), ("working_slots", "user_id"),
    ("neuro_state", "user_id"), ("sleep_runs", "user_id"), ("recall_log", "user_id"),
    ("feedback", "user_id"), ("tombstones", "user_id"), ("events", "user_id"),
    ("reconsolidation_log", "user_id"), ("vector_users", "user_id"),
    ("locks", "owner"),
)


# Tables other parts keep in a shared database: agent threads (langgraph-checkpoint-postgres), whose
# thread ids start with "<user_id>:". On SQLite they live in their own file in the home.
_THREAD_TABLES = ("checkpoint_writes", "checkpoint_blobs", "checkpoints")


def delete_user(store: SQLiteStore, user_id: str) -> int:
    """Remove every row of one user from the system of record; returns memories removed.

    Privacy outranks the append-only event log: the user's events go too. The FTS index is
    rebuilt and the file vacuumed (`erase_freed_space`) so no deleted text survives in free
    pages or index segments.
    """
    with store.transaction():
        ids = [r["id"] for r in store.rows("SELECT id FROM memories WHERE user_id = ?", (user_id,))]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for table, col in (("embeddings", "memory_id"), ("memory_entities", "memory_id"),
                               ("shares", "memory_id")):
                store.conn.execute(f"DELETE FROM {table} WHERE {col} IN ({marks})", chunk)
            store.conn.execute(
                f"DELETE FROM memory_links WHERE src IN ({marks}) OR dst IN ({marks})", chunk + chunk)
        store.conn.execute("DELETE FROM shares WHERE owner = ? OR grantee = ?", (user_id, user_id))
        store.conn.execute("DELETE FROM memories WHERE user_id = ?", (user_id,))
        for table, col in _USER_TABLES:
            store.conn.execute(f"DELETE FROM {table} WHERE {col} = ?", (user_id,))
        if store.shared:
            prefix = escape_like(user_id) + ":%"
            for table in _THREAD_TABLES:
                if store.scalar("SELECT to_regclass(?) IS NOT NULL", (table,)):
                    store.conn.execute(
                        f"DELETE FROM {table} WHERE thread_id LIKE ? ESCAPE '\\'", (prefix,))
    store.erase_freed_space()
    return len(ids)
