"""The SQLite system of record, through sqlite-utils.

Holds memories (every version), embeddings, provenance links, the knowledge-graph tables, working
slots, sleep runs, feedback, tombstones and an append-only event log. WAL mode; one connection per
`Brain`, used under the caller's lock. Writes happen inside `transaction()`, so a failed call
leaves nothing half-written.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlite_utils

from zenbrain.clock import parse_utc, utc_iso
from zenbrain.errors import StorageError
from zenbrain.models import Memory
from zenbrain.store.schema import create_schema

__all__ = ["SQLiteStore", "memory_from_row", "memory_to_row"]

_JSON_FIELDS = ("priority", "emotion", "neuro", "context", "sources", "metadata")
_BOOL_FIELDS = ("is_current", "pinned", "archived", "index_pending")
_TIME_FIELDS = (
    "created_at", "event_time", "updated_at", "last_recalled_at", "last_review_at", "fast_at",
    "due_at", "deep_created_at", "labile_until", "archived_at", "superseded_at",
)


def memory_to_row(mem: Memory) -> dict[str, Any]:
    row = mem.model_dump()
    for name in _JSON_FIELDS:
        row[name] = json.dumps(row[name], sort_keys=True)
    for name in _BOOL_FIELDS:
        row[name] = int(row[name])
    for name in _TIME_FIELDS:
        if row[name] is not None:
            row[name] = utc_iso(row[name])
    row["layer"] = str(mem.layer)
    row["kind"] = str(mem.kind)
    return row


def memory_from_row(row: dict[str, Any]) -> Memory:
    data = dict(row)
    for name in _JSON_FIELDS:
        data[name] = json.loads(data[name])
    for name in _BOOL_FIELDS:
        data[name] = bool(data[name])
    for name in _TIME_FIELDS:
        data[name] = parse_utc(data[name])
    return Memory.model_validate(data)


class SQLiteStore:
    """Rows in, rows out. Knows nothing about layers or recall."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            conn = sqlite3.connect(
                str(path), isolation_level=None, check_same_thread=False, timeout=30.0
            )
            conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode survives a process crash (SIGKILL); only power loss can drop the
            # last commits, which is the trade-off SQLite documents for WAL.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            # Deleted content is overwritten, so a hard delete leaves no text in free pages.
            conn.execute("PRAGMA secure_delete=ON")
            create_schema(conn)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot open {path}: {exc}") from exc
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._depth = 0

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT; nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except sqlite3.Error as exc:
            self._depth = 0
            self._rollback()
            # Disk full, I/O error, corrupt page: the caller learns it plainly, nothing is kept.
            raise StorageError(f"write failed and was rolled back: {exc}") from exc
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise StorageError(f"commit failed and was rolled back: {exc}") from exc

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    # ---- memories -----------------------------------------------------------------------------

    def insert_memories(self, mems: Sequence[Memory], vectors: np.ndarray, model: str) -> None:
        # Plain executemany: sqlite-utils' insert_all re-plans the statement on every call, which
        # was most of the per-memory SQLite cost on the write path (one call per memory).
        if not mems:
            return
        rows = [memory_to_row(m) for m in mems]
        cols = list(rows[0])
        self.conn.executemany(
            f"INSERT INTO memories ({', '.join(f'[{c}]' for c in cols)}) "
            f"VALUES ({', '.join('?' * len(cols))})",
            [[r[c] for c in cols] for r in rows],
        )
        self.conn.executemany(
            "INSERT INTO embeddings (memory_id, model, dim, vector) VALUES (?, ?, ?, ?)",
            [(m.id, model, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
             for m, v in zip(mems, vectors, strict=True)],
        )

    def upsert_memory_row(self, row: dict[str, Any]) -> None:
        self.db["memories"].upsert(row, pk="id")

    def get(self, memory_id: str) -> Memory | None:
        rows = self.rows("SELECT * FROM memories WHERE id = ?", (memory_id,))
        return memory_from_row(rows[0]) if rows else None

    def get_many(self, ids: Iterable[str]) -> dict[str, Memory]:
        ids = list(dict.fromkeys(ids))
        out: dict[str, Memory] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for row in self.rows(f"SELECT * FROM memories WHERE id IN ({marks})", chunk):
                out[row["id"]] = memory_from_row(row)
        return out

    def select_memories(self, where: str, params: Sequence[Any] = ()) -> list[Memory]:
        return [memory_from_row(r) for r in self.rows(f"SELECT * FROM memories WHERE {where}", params)]

    def update(self, memory_id: str, **fields: Any) -> None:
        """Set columns of one memory; datetimes, dicts and bools are converted."""
        if not fields:
            return
        values = {k: _to_sql(v) for k, v in fields.items()}
        sets = ", ".join(f"{k} = ?" for k in values)
        self.conn.execute(f"UPDATE memories SET {sets} WHERE id = ?", [*values.values(), memory_id])

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, list(params))
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.conn.execute(sql, list(params)).fetchone()
        return None if row is None else row[0]

    # ---- embeddings ---------------------------------------------------------------------------

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for mid, blob in self.conn.execute(
                f"SELECT memory_id, vector FROM embeddings WHERE memory_id IN ({marks})", chunk
            ):
                out[mid] = np.frombuffer(blob, dtype=np.float32)
        return out

    def set_vector(self, memory_id: str, vector: np.ndarray, model: str) -> None:
        self.db["embeddings"].upsert(
            {"memory_id": memory_id, "model": model, "dim": int(vector.shape[0]),
             "vector": np.asarray(vector, dtype=np.float32).tobytes()},
            pk="memory_id",
        )

    def set_vectors(self, items: Sequence[tuple[str, np.ndarray]], model: str) -> None:
        """`set_vector` for many rows in one statement (the write path's merged versions)."""
        self.conn.executemany(
            "INSERT INTO embeddings (memory_id, model, dim, vector) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(memory_id) DO UPDATE SET model = excluded.model, dim = excluded.dim, "
            "vector = excluded.vector",
            [(mid, model, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
             for mid, v in items],
        )

    # ---- links, entities, events ---------------------------------------------------------------

    def add_link(self, src: str, dst: str, type_: str, at: datetime, weight: float = 1.0) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO memory_links(src, dst, type, created_at, weight) "
            "VALUES (?, ?, ?, ?, ?)",
            (src, dst, type_, utc_iso(at), weight),
        )

    def links(self, memory_id: str) -> list[dict[str, Any]]:
        return self.rows(
            "SELECT * FROM memory_links WHERE src = ? OR dst = ? ORDER BY created_at",
            (memory_id, memory_id),
        )

    def log_event(
        self, at: datetime, user_id: str, namespace: str, type_: str,
        memory_id: str | None = None, payload: dict[str, Any] | None = None,
    ) -> None:
        self.conn.execute(
            "INSERT INTO events(at, user_id, namespace, type, memory_id, payload) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (utc_iso(at), user_id, namespace, type_, memory_id,
             json.dumps(payload or {}, sort_keys=True, default=str)),
        )

    def meta(self, key: str, default: str) -> str:
        """A brain-level setting, written with `default` on first read (e.g. the brain id)."""
        self.conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)", (key, default))
        return self.scalar("SELECT value FROM meta WHERE key = ?", (key,))

    def user_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT user_id FROM memories ORDER BY user_id")]


def _to_sql(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_iso(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
