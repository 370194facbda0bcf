"""The SQLite system of record (the embedded default; `PostgresStore` is the server one).

Holds memories (every version), embeddings, provenance links, the knowledge-graph tables, working
slots, sleep runs, feedback, tombstones and an append-only event log. WAL mode; one connection per
`Brain`, used under the caller's lock. Writes happen inside `transaction()`, so a failed call
leaves nothing half-written.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from zenbrain.clock import parse_utc, utc_iso
from zenbrain.crypto import PREFIX, TextCipher, derive_key, is_encrypted
from zenbrain.errors import InvalidInputError, StorageError
from zenbrain.models import Memory
from zenbrain.store.schema import create_schema

__all__ = ["SQLiteStore", "escape_like", "match_expression", "open_store", "memory_from_row", "memory_to_row"]

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


def _kept_rows(column: str, *, include_archived: bool, before: str | None
               ) -> tuple[str, list[Any]]:
    """The keyword search's row filter: ` AND {column}archived = 0`, ` AND {column}created_at
    <= ?` as asked, and its parameters (`column`: "", "m." or "+", the planner hint)."""
    sql, params = "", []
    if not include_archived:
        sql += f" AND {column}archived = 0"
    if before is not None:
        sql += f" AND {column}created_at <= ?"
        params.append(before)
    return sql, params


def memory_from_row(row: dict[str, Any]) -> Memory:
    data = dict(row)
    for name in _JSON_FIELDS:
        data[name] = json.loads(data[name])
    for name in _BOOL_FIELDS:
        data[name] = bool(data[name])
    for name in _TIME_FIELDS:
        value = data[name]
        # Recall reads ~90 rows a query: the fixed-width UTC text `utc_iso` wrote parses
        # directly (already UTC), anything else goes through `parse_utc`.
        data[name] = datetime.fromisoformat(value) if value is not None \
            and value.endswith("+00:00") else parse_utc(value)
    return Memory.model_validate(data)


class SQLiteStore:
    """Rows in, rows out. Knows nothing about layers or recall.

    Callers write a portable SQL subset (qmark parameters, `ON CONFLICT` upserts, standard
    functions) through `conn`, `rows` and `scalar`; the few dialect-specific pieces (JSON access,
    full-text search, erasing deleted text) are the methods below, which `PostgresStore`
    overrides.
    """

    dialect = "sqlite"
    #: several processes share this store (PostgreSQL); SQLite is one process per brain (file lock)
    shared = False
    #: LIMIT value meaning "no limit"
    no_limit = "-1"
    #: an inner join whose left table the planner must keep as the outer loop (SQLite's hint)
    ordered_join = "CROSS JOIN"
    #: what `get`/`select_memories` read: every column is a Memory field here
    memory_columns = "*"
    #: set by `enable_encryption`: memory text is then stored encrypted
    cipher: TextCipher | None = None

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
        self._begin()
        self._depth = 1
        try:
            yield
        except self._driver_errors as exc:
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
            self._commit()
        except self._driver_errors as exc:
            self._rollback()
            raise StorageError(f"commit failed and was rolled back: {exc}") from exc

    #: what the driver raises: turned into `StorageError` by `transaction`
    _driver_errors: tuple[type[BaseException], ...] = (sqlite3.Error,)

    def _begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    # ---- memories -----------------------------------------------------------------------------

    def insert_memories(self, mems: Sequence[Memory], vectors: np.ndarray, model: str) -> None:
        # Plain executemany: sqlite-utils' insert_all (used before) re-plans the statement on every call, which
        # was most of the per-memory SQLite cost on the write path (one call per memory).
        if not mems:
            return
        rows = [self.to_row(m) for m in mems]
        cols = list(rows[0])
        self.conn.executemany(
            f"INSERT INTO memories ({', '.join(_q(c) for c in cols)}) "
            f"VALUES ({', '.join('?' * len(cols))})",
            [[r[c] for c in cols] for r in rows],
        )
        self.conn.executemany(
            "INSERT INTO embeddings (memory_id, model, dim, vector) VALUES (?, ?, ?, ?)",
            [(m.id, model, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
             for m, v in zip(mems, vectors, strict=True)],
        )

    def upsert_memory_row(self, row: dict[str, Any]) -> None:
        cols = list(row)
        self.conn.execute(
            f"INSERT INTO memories ({', '.join(f'{_q(c)}' for c in cols)}) "
            f"VALUES ({', '.join('?' * len(cols))}) ON CONFLICT(id) DO UPDATE SET "
            + ", ".join(f"{_q(c)} = excluded.{_q(c)}" for c in cols if c != "id"),
            [row[c] for c in cols],
        )

    def get(self, memory_id: str) -> Memory | None:
        rows = self.rows(f"SELECT {self.memory_columns} FROM memories WHERE id = ?", (memory_id,))
        return self.to_memory(rows[0]) if rows else None

    def get_many(self, ids: Iterable[str]) -> dict[str, Memory]:
        ids = list(dict.fromkeys(ids))
        out: dict[str, Memory] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for row in self.rows(f"SELECT {self.memory_columns} FROM memories WHERE id IN ({marks})", chunk):
                out[row["id"]] = self.to_memory(row)
        return out

    def select_memories(self, where: str, params: Sequence[Any] = ()) -> list[Memory]:
        return [self.to_memory(r) for r in self.rows(f"SELECT {self.memory_columns} FROM memories WHERE {where}", params)]

    def to_row(self, mem: Memory) -> dict[str, Any]:
        """`memory_to_row`, with the text encrypted when the brain has a key."""
        row = memory_to_row(mem)
        if self.cipher is not None:
            row["text"] = self.cipher.encrypt(row["text"])
        return row

    def to_memory(self, row: dict[str, Any]) -> Memory:
        if is_encrypted(row["text"]):
            if self.cipher is None:
                raise StorageError("this brain's memory text is encrypted: set ZENBRAIN_KEY")
            row = {**row, "text": self.cipher.decrypt(row["text"])}
        return memory_from_row(row)

    def enable_encryption(self, passphrase: str) -> int:
        """Store memory text encrypted from now on (key derived from `passphrase`). The first
        time a brain gets a key, its plain text is encrypted in one transaction; after that no
        plain text can arrive (every write encrypts, and a keyless open is refused), so later
        opens skip the scan. Returns how many texts were migrated.

        Raises:
            InvalidInputError: the passphrase is not the one this brain was encrypted with.
        """
        with self.transaction():
            first = not self.is_encrypted_brain()
            salt = base64.b64decode(self.meta("text_key_salt",
                                              base64.b64encode(os.urandom(16)).decode()))
            cipher = TextCipher(derive_key(passphrase, salt))
            check = self.meta("text_key_check", cipher.check_value())
            if not cipher.matches(check):
                raise InvalidInputError("ZENBRAIN_KEY does not match the key this brain's text "
                                        "was encrypted with")
            plain = self.rows(f"SELECT id, text FROM memories WHERE text NOT LIKE '{PREFIX}%'"
                              ) if first else []
            self.conn.executemany("UPDATE memories SET text = ? WHERE id = ?",
                                  [(cipher.encrypt(r["text"]), r["id"]) for r in plain])
        self.cipher = cipher
        return len(plain)

    def is_encrypted_brain(self) -> bool:
        return self.scalar("SELECT 1 FROM meta WHERE key = 'text_key_check'") is not None

    def update(self, memory_id: str, **fields: Any) -> None:
        """Set columns of one memory; datetimes, dicts and bools are converted."""
        if not fields:
            return
        values = {k: _to_sql(v) for k, v in fields.items()}
        if self.cipher is not None and isinstance(values.get("text"), str):
            values["text"] = self.cipher.encrypt(values["text"])
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

    def user_vectors(self, user_id: str, dim: int) -> tuple[list[str], np.ndarray]:
        """Every `dim`-sized vector of the user's memories (any layer, version or archived
        one, as the vector index holds them): (ids, n × dim), for an exact scan."""
        ids: list[str] = []
        blobs: list[bytes] = []
        for mid, blob in self.conn.execute(
            "SELECT e.memory_id, e.vector FROM memories m JOIN embeddings e "
            "ON e.memory_id = m.id WHERE m.user_id = ? AND e.dim = ?", (user_id, dim)
        ):
            ids.append(mid)
            blobs.append(bytes(blob))
        mat = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), dim)
        return ids, mat

    def set_vector(self, memory_id: str, vector: np.ndarray, model: str) -> None:
        self.set_vectors([(memory_id, vector)], model)

    def set_vectors(self, items: Sequence[tuple[str, np.ndarray]], model: str) -> None:
        """`set_vector` for many rows in one statement (the write path's merged versions)."""
        self.conn.executemany(
            "INSERT INTO embeddings (memory_id, model, dim, vector) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(memory_id) DO UPDATE SET model = excluded.model, dim = excluded.dim, "
            "vector = excluded.vector",
            [(mid, model, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
             for mid, v in items],
        )

    def set_sentence_vectors(self, items: Sequence[tuple[str, np.ndarray]]) -> None:
        """Store the sentence vectors (a k × d matrix) of memories just written (a memory's text
        never changes; a new text is a new memory)."""
        if not items:
            return
        self.conn.executemany(
            "INSERT INTO sentence_vectors (memory_id, position, vector) VALUES (?, ?, ?)",
            [(mid, i, np.asarray(v, dtype=np.float32).tobytes())
             for mid, mat in items for i, v in enumerate(mat)])

    def sentence_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """memory id → its sentence vectors (k × d), for the ids that have them."""
        rows: dict[str, list[np.ndarray]] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for mid, blob in self.conn.execute(
                f"SELECT memory_id, vector FROM sentence_vectors WHERE memory_id IN ({marks}) "
                f"ORDER BY memory_id, position", chunk
            ):
                rows.setdefault(mid, []).append(np.frombuffer(blob, dtype=np.float32))
        return {mid: np.stack(vs) for mid, vs in rows.items()}

    # ---- links, entities, events ---------------------------------------------------------------

    def add_link(self, src: str, dst: str, type_: str, at: datetime, weight: float = 1.0) -> None:
        self.conn.execute(
            "INSERT INTO memory_links(src, dst, type, created_at, weight) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
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
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
                          (key, default))
        return self.scalar("SELECT value FROM meta WHERE key = ?", (key,))

    # ---- the embedding model of the brain's vectors --------------------------------------------

    def embedding_model(self) -> tuple[str, int] | None:
        """The (model name, vector size) recorded for this brain's vectors; None before its
        first memory."""
        found = {r["key"]: r["value"] for r in self.rows(
            "SELECT key, value FROM meta WHERE key IN ('embedding_model', 'embedding_dim')")}
        if "embedding_model" not in found or "embedding_dim" not in found:
            return None
        return found["embedding_model"], int(found["embedding_dim"])

    def record_embedding_model(self, model: str, dim: int, *,
                               replace: bool = False) -> tuple[str, int]:
        """Record the model of the brain's vectors unless one is recorded (`replace`: in any
        case, ending a switch under way); returns the record as it now stands."""
        conflict = ("ON CONFLICT(key) DO UPDATE SET value = excluded.value" if replace
                    else "ON CONFLICT DO NOTHING")
        with self.transaction():
            self.conn.executemany(f"INSERT INTO meta(key, value) VALUES (?, ?) {conflict}",
                                  [("embedding_model", model), ("embedding_dim", str(int(dim)))])
            if replace:
                self.conn.execute("DELETE FROM meta WHERE key = 'embedding_switch_to'")
            recorded = self.embedding_model()
        assert recorded is not None
        return recorded

    def forget_embedding_model(self) -> None:
        """Drop the record (a brain whose every memory was deleted takes any model again)."""
        with self.transaction():
            self.conn.execute("DELETE FROM meta WHERE key IN "
                              "('embedding_model', 'embedding_dim', 'embedding_switch_to')")

    def embedding_switch(self) -> str | None:
        """The model a switch under way (or cut short) is moving the vectors to; None if none."""
        return self.scalar("SELECT value FROM meta WHERE key = 'embedding_switch_to'")

    def begin_embedding_switch(self, model: str) -> None:
        """Mark a switch to `model` under way: from here until `record_embedding_model(...,
        replace=True)` the stored vectors may be of either model."""
        with self.transaction():
            self.conn.execute(
                "INSERT INTO meta(key, value) VALUES ('embedding_switch_to', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (model,))

    def stored_embedding_model(self) -> tuple[str, int] | None:
        """The (model, size) most of the stored vectors have; None when none is stored."""
        rows = self.rows("SELECT model, dim, COUNT(*) AS n FROM embeddings GROUP BY model, dim "
                         "ORDER BY n DESC, model LIMIT 1")
        return (rows[0]["model"], int(rows[0]["dim"])) if rows else None

    def has_memories(self) -> bool:
        return self.scalar("SELECT 1 FROM memories LIMIT 1") is not None

    # ---- dialect-specific SQL ------------------------------------------------------------------

    def json_text(self, column: str, key: str) -> str:
        """SQL for the scalar at `key` of a JSON text column (NULL when absent or null)."""
        return f"json_extract({column}, '$.\"{_json_key(key)}\"')"

    def json_number(self, column: str, key: str) -> str:
        return self.json_text(column, key)

    def json_equals(self, column: str, key: str, value: Any) -> tuple[str, list[Any]]:
        """A condition `column.key == value` for a scalar value, with its parameters."""
        return f"json_extract({column}, ?) = ?", [f'$."{_json_key(key)}"', value]

    def json_array_items(self, column: str, alias: str) -> str:
        """A FROM item whose rows' `value` are the strings of a JSON array column."""
        return f"json_each({column}) {alias}"

    def keyword_search(self, terms: Sequence[str], *, user_id: str, n: int,
                       before: str | None, include_archived: bool) -> list[dict[str, Any]]:
        """Rows (id, text, score) matching any of `terms` (lower-case words), best first, equal
        scores in the order they were written; lower score is better (FTS5 bm25 is negative).
        None in an encrypted brain: the index holds ciphertext.

        Ranked inside the FTS index first, then only its best rows are read: joining every match
        to `memories` cost 3 µs a row (3,000 rows for a common word at 40k memories). The user's
        first `n` among the index's first L are the user's first `n` overall whenever there are
        `n` of them (one order, the same filter); else L grows, and past `_KEYWORD_MAX_PREFIX`
        every match is joined (`_keyword_search_all`, the same result)."""
        if self.cipher is not None:
            return []
        expr = match_expression(list(terms))
        rows_of_user = self.memory_count(user_id)
        if 4 * rows_of_user < (self.scalar("SELECT max(rowid) FROM memories") or 0):
            # A user with a small share of the brain (one of many tenants) rarely fills `n`
            # from the index's best rows, so the prefix would grow to the whole match list
            # several times over: rank only the user's own rows.
            return self._keyword_search_own(expr, user_id=user_id, n=n, before=before,
                                            include_archived=include_archived,
                                            rows_of_user=rows_of_user)
        keep, kept = _kept_rows("+", include_archived=include_archived, before=before)
        limit = 4 * int(n)
        while limit <= _KEYWORD_MAX_PREFIX:
            top = self.conn.execute(
                "SELECT rowid, bm25(memories_fts) AS score FROM memories_fts "
                "WHERE memories_fts MATCH ? ORDER BY score, rowid LIMIT ?", (expr, limit)).fetchall()
            score = dict(top)
            # `+column`: looked up by rowid only; left to itself the planner walked the user's
            # index (every row of the user) for 200 rowids.
            sql = (f"SELECT id, text, rowid AS r FROM memories "
                   f"WHERE rowid IN ({','.join('?' * len(score))}) AND +user_id = ?")
            found = sorted(self.rows(sql + keep, [*score, user_id, *kept]),
                           key=lambda r: (score[r["r"]], r["r"]))
            if len(found) >= n or len(top) < limit:
                return [{"id": r["id"], "text": r["text"], "score": score[r["r"]]}
                        for r in found[:n]]
            limit *= 8
        return self._keyword_search_all(expr, user_id=user_id, n=n, before=before,
                                        include_archived=include_archived)

    def _keyword_search_own(self, expr: str, *, user_id: str, n: int, before: str | None,
                            include_archived: bool, rows_of_user: int) -> list[dict[str, Any]]:
        """`keyword_search` for a user with a small share of the brain (one of many tenants).

        Up to `_OWN_INDEX_MAX` rows, the user's rows are ranked in an FTS5 index of their own,
        built in memory for the query: every row of the user as the brain's index holds them
        (archived and later ones too), the same tokenizer, so the result is what a brain holding
        this user alone returns, and no other tenant's words weigh on it. The brain's index can
        only rank a user's rows after matching and scoring every tenant's: bm25's IDF counts
        each word's documents brain-wide on every query (10,000 users × 100 memories: 45 ms a
        query against 0.7 ms here). A larger user is ranked inside the brain's index."""
        if rows_of_user > _OWN_INDEX_MAX:
            return self._keyword_search_in_index(expr, user_id=user_id, n=n, before=before,
                                                 include_archived=include_archived)
        rows = self.conn.execute(
            "SELECT rowid, id, text, archived, created_at FROM memories WHERE user_id = ? "
            "ORDER BY rowid", (user_id,)).fetchall()
        if not rows:
            return []
        own = sqlite3.connect(":memory:")
        try:
            own.execute("CREATE VIRTUAL TABLE own USING fts5(text, tokenize='porter unicode61')")
            own.executemany("INSERT INTO own(rowid, text) VALUES (?, ?)",
                            [(r[0], r[2]) for r in rows])
            ranked = own.execute("SELECT rowid, bm25(own) AS score FROM own WHERE own MATCH ? "
                                 "ORDER BY score, rowid", (expr,)).fetchall()
        finally:
            own.close()
        by_rowid = {r[0]: r for r in rows}
        out = []
        for rowid, score in ranked:
            _, mid, text, archived, created_at = by_rowid[rowid]
            if (archived and not include_archived) or (before is not None and created_at > before):
                continue
            out.append({"id": mid, "text": text, "score": score})
            if len(out) >= n:
                break
        return out

    def _keyword_search_in_index(self, expr: str, *, user_id: str, n: int, before: str | None,
                                 include_archived: bool) -> list[dict[str, Any]]:
        """`_keyword_search_all` for a larger user with a small share of the brain: the index
        scores its matches and keeps the user's rowids (1k users × 100 memories: 8 ms against
        12 ms for the join and ~34 ms for the prefix)."""
        keep, kept = _kept_rows("", include_archived=include_archived, before=before)
        top = self.conn.execute(
            f"SELECT rowid, bm25(memories_fts) AS score FROM memories_fts WHERE memories_fts "
            f"MATCH ? AND rowid IN (SELECT rowid FROM memories WHERE user_id = ?{keep}) "
            f"ORDER BY score, rowid LIMIT ?", [expr, user_id, *kept, int(n)]).fetchall()
        if not top:
            return []
        score = dict(top)
        text = {r["r"]: r for r in self.rows(
            f"SELECT id, text, rowid AS r FROM memories WHERE rowid IN ({','.join('?' * len(score))})",
            list(score))}
        return [{"id": text[r]["id"], "text": text[r]["text"], "score": sc} for r, sc in top]

    def _keyword_search_all(self, expr: str | None, *, user_id: str, n: int, before: str | None,
                            include_archived: bool) -> list[dict[str, Any]]:
        sql = (
            "SELECT m.id AS id, m.text AS text, bm25(memories_fts) AS score FROM memories_fts "
            "JOIN memories m ON m.rowid = memories_fts.rowid "
            "WHERE memories_fts MATCH ? AND m.user_id = ?"
        )
        keep, kept = _kept_rows("m.", include_archived=include_archived, before=before)
        sql += keep + " ORDER BY score, m.rowid LIMIT ?"
        return self.rows(sql, [expr, user_id, *kept, int(n)])

    def storage_bytes(self) -> int:
        """Bytes the system of record takes (the whole brain, every user)."""
        return sum(p.stat().st_size for p in (self.path, self.path.with_name(self.path.name + "-wal"))
                   if p.exists())

    def erase_freed_space(self) -> None:
        """After a hard delete: rebuild the text index and rewrite the file, so deleted text
        survives in neither free pages, the WAL, nor FTS segments."""
        self.conn.execute("INSERT INTO memories_fts(memories_fts) VALUES ('rebuild')")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.execute("VACUUM")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def memory_count(self, user_id: str) -> int:
        """How many rows (every layer, version and archived one) the user has."""
        return int(self.scalar("SELECT n FROM user_memory_counts WHERE user_id = ?", (user_id,))
                   or 0)

    def users_over(self, n: int) -> list[str]:
        """The users with more than `n` rows (every layer, version and archived one)."""
        return [r[0] for r in self.conn.execute(
            "SELECT user_id FROM user_memory_counts WHERE n > ? ORDER BY user_id", (int(n),))]

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


def open_store(home: Path, database_url: str | None = None) -> SQLiteStore:
    """The system of record: SQLite at `home/brain.db`, or PostgreSQL at `database_url`."""
    if not database_url:
        return SQLiteStore(home / "brain.db")
    from zenbrain.store.postgres import PostgresStore, is_postgres_url

    if not is_postgres_url(database_url):
        raise InvalidInputError(
            f"database URL must start with postgresql:// (SQLite needs no URL), got {database_url!r}")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise InvalidInputError("a PostgreSQL database needs the driver: "
                                "pip install 'zenbrain[postgres]'") from None
    return PostgresStore(database_url)


# The most FTS rows ranked before joining every match instead (a brain of many users, where
# most of a common word's matches are other users').
_KEYWORD_MAX_PREFIX = 20_000
# A user with at most this many rows and a small share of the brain is ranked in an index of
# their own (`_keyword_search_own`); the exact vector scan serves the same users (exact_scan_max).
_OWN_INDEX_MAX = 2_000


def match_expression(terms: list[str]) -> str | None:
    """A safe FTS5 MATCH expression: each term quoted, OR-joined; None without terms."""
    if not terms:
        return None
    return " OR ".join(f'"{t}"' for t in terms)


def escape_like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern written with `ESCAPE '\\'`."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _q(column: str) -> str:
    return f'"{column}"'


def _json_key(key: str) -> str:
    return key.replace('"', "").replace("'", "")


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
