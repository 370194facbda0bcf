"""Table definitions of the SQLite system of record, and their migrations.

`SCHEMA_VERSION` is stored in `PRAGMA user_version`; `create_schema` is idempotent.
"""

from __future__ import annotations

import sqlite3

__all__ = ["SCHEMA_VERSION", "create_schema"]

SCHEMA_VERSION = 1

_DDL = """
CREATE TABLE IF NOT EXISTS memories (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    namespace TEXT NOT NULL,
    session_id TEXT,
    speaker TEXT,
    layer TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    event_time TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_recalled_at TEXT,
    recall_count INTEGER NOT NULL DEFAULT 0,
    decay_model TEXT NOT NULL,
    stability REAL NOT NULL,
    difficulty REAL NOT NULL,
    last_review_at TEXT NOT NULL,
    fast_at TEXT NOT NULL,
    due_at TEXT,
    storage_strength REAL NOT NULL DEFAULT 0,
    s0 REAL NOT NULL,
    deep_created_at TEXT,
    consolidated_into TEXT,
    conf_alpha REAL NOT NULL,
    conf_beta REAL NOT NULL,
    priority TEXT NOT NULL DEFAULT '{}',
    emotion TEXT NOT NULL DEFAULT '{}',
    neuro TEXT NOT NULL DEFAULT '{}',
    novelty REAL NOT NULL DEFAULT 1,
    encoding_pe REAL NOT NULL DEFAULT 0,
    context TEXT NOT NULL DEFAULT '{}',
    version INTEGER NOT NULL DEFAULT 1,
    root_id TEXT NOT NULL,
    supersedes TEXT,
    superseded_by TEXT,
    superseded_at TEXT,
    is_current INTEGER NOT NULL DEFAULT 1,
    sources TEXT NOT NULL DEFAULT '[]',
    pinned INTEGER NOT NULL DEFAULT 0,
    labile_until TEXT,
    lock_score REAL NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    archived_at TEXT,
    archive_reason TEXT,
    index_pending INTEGER NOT NULL DEFAULT 1,
    metadata TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS ix_mem_scope ON memories(user_id, namespace, layer, archived, is_current);
CREATE INDEX IF NOT EXISTS ix_mem_session ON memories(user_id, session_id, layer, created_at);
CREATE INDEX IF NOT EXISTS ix_mem_hash ON memories(user_id, content_hash);
CREATE INDEX IF NOT EXISTS ix_mem_root ON memories(root_id, version);
CREATE INDEX IF NOT EXISTS ix_mem_pending ON memories(index_pending) WHERE index_pending = 1;
CREATE INDEX IF NOT EXISTS ix_mem_priority ON memories(user_id, json_extract(priority, '$.composite'));

CREATE TABLE IF NOT EXISTS embeddings (
    memory_id TEXT PRIMARY KEY REFERENCES memories(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL
);

-- The vectors of a multi-sentence memory's sentences (zenbrain.extract.passages): recall's
-- vector route scores a candidate by its best sentence as well as by the whole text.
CREATE TABLE IF NOT EXISTS sentence_vectors (
    memory_id TEXT NOT NULL REFERENCES memories(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (memory_id, position)
);

CREATE TABLE IF NOT EXISTS memory_links (
    src TEXT NOT NULL,
    dst TEXT NOT NULL,
    type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    weight REAL NOT NULL DEFAULT 1,
    PRIMARY KEY (src, dst, type)
);
CREATE INDEX IF NOT EXISTS ix_links_dst ON memory_links(dst);

CREATE TABLE IF NOT EXISTS kg_nodes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    type TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    mention_count INTEGER NOT NULL DEFAULT 0,
    conf_alpha REAL NOT NULL DEFAULT 1,
    conf_beta REAL NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    source_memory_ids TEXT NOT NULL DEFAULT '[]',
    archived INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, key)
);

CREATE TABLE IF NOT EXISTS kg_edges (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    src TEXT NOT NULL,
    dst TEXT NOT NULL,
    relation TEXT NOT NULL,
    weight REAL NOT NULL DEFAULT 1,
    variance REAL NOT NULL DEFAULT 1,
    activation_count INTEGER NOT NULL DEFAULT 0,
    valid_from TEXT,
    valid_to TEXT,
    recorded_at TEXT NOT NULL,
    conf_alpha REAL NOT NULL DEFAULT 1,
    conf_beta REAL NOT NULL DEFAULT 1,
    source_memory_ids TEXT NOT NULL DEFAULT '[]',
    last_activated_at TEXT,
    archived INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_edges_user ON kg_edges(user_id, src, relation);
CREATE INDEX IF NOT EXISTS ix_edges_dst ON kg_edges(user_id, dst);
-- Closed edges are few (facts that changed), and recall's stale-slot check reads only them.
CREATE INDEX IF NOT EXISTS ix_edges_closed ON kg_edges(user_id, valid_to) WHERE valid_to IS NOT NULL;

CREATE TABLE IF NOT EXISTS memory_entities (
    memory_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'mention',
    PRIMARY KEY (memory_id, entity_id)
);
CREATE INDEX IF NOT EXISTS ix_me_entity ON memory_entities(entity_id);

CREATE TABLE IF NOT EXISTS working_slots (
    user_id TEXT NOT NULL,
    namespace TEXT NOT NULL,
    session_id TEXT NOT NULL,
    slot INTEGER NOT NULL,
    memory_id TEXT NOT NULL,
    relevance REAL NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, namespace, session_id, memory_id)
);

CREATE TABLE IF NOT EXISTS neuro_state (
    user_id TEXT NOT NULL,
    namespace TEXT NOT NULL,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, namespace)
);

CREATE TABLE IF NOT EXISTS sleep_runs (
    run_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    namespace TEXT NOT NULL,
    window_start TEXT,
    window_end TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    step INTEGER NOT NULL DEFAULT 0,
    report_json TEXT
);

CREATE TABLE IF NOT EXISTS recall_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    at TEXT NOT NULL,
    query_type TEXT NOT NULL,
    returned_ids TEXT NOT NULL,
    layers TEXT NOT NULL,
    sources_hhi REAL,
    flags TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE IF NOT EXISTS reconsolidation_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    memory_id TEXT NOT NULL,
    new_id TEXT,
    mode TEXT NOT NULL,
    pe REAL NOT NULL,
    threshold REAL,
    at TEXT NOT NULL,
    before_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS ix_recon_memory ON reconsolidation_log(memory_id);

CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    memory_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS shares (
    memory_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    grantee TEXT NOT NULL,
    PRIMARY KEY (memory_id, grantee)
);
CREATE INDEX IF NOT EXISTS ix_shares_grantee ON shares(grantee);

CREATE TABLE IF NOT EXISTS tombstones (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    reason TEXT NOT NULL
);

-- Users whose vectors are kept in the vector index too (zenbrain/store/placement.py), the row
-- is written once their collection has been built in full from `embeddings`.
CREATE TABLE IF NOT EXISTS vector_users (
    user_id TEXT PRIMARY KEY
);

CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS locks (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user_id TEXT NOT NULL,
    namespace TEXT NOT NULL,
    type TEXT NOT NULL,
    memory_id TEXT,
    payload TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS ix_events_user ON events(user_id, seq);
CREATE TRIGGER IF NOT EXISTS events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
"""


def create_schema(conn: sqlite3.Connection) -> None:
    """Create every table, index and the FTS5 index (porter + unicode61) if missing."""
    conn.executescript(_DDL)
    has_fts = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'memories_fts'"
    ).fetchone()
    if not has_fts:
        conn.executescript(
            """
            CREATE VIRTUAL TABLE memories_fts USING fts5(
                text, content='memories', content_rowid='rowid',
                tokenize='porter unicode61');
            CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN
                INSERT INTO memories_fts(rowid, text) VALUES (new.rowid, new.text);
            END;
            CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN
                INSERT INTO memories_fts(memories_fts, rowid, text)
                VALUES ('delete', old.rowid, old.text);
            END;
            CREATE TRIGGER memories_au AFTER UPDATE OF text ON memories BEGIN
                INSERT INTO memories_fts(memories_fts, rowid, text)
                VALUES ('delete', old.rowid, old.text);
                INSERT INTO memories_fts(rowid, text) VALUES (new.rowid, new.text);
            END;
            """
        )
    has_counts = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'user_memory_counts'").fetchone()
    if not has_counts:
        # Each user's number of rows, kept by triggers: recall's graph route weighs entities by
        # it, and COUNT(*) over the user's index cost 2 ms a query at 100k memories. Created and
        # filled in one transaction, so an existing brain's counts start right.
        conn.executescript(
            """
            BEGIN IMMEDIATE;
            CREATE TABLE user_memory_counts (user_id TEXT PRIMARY KEY, n INTEGER NOT NULL);
            INSERT INTO user_memory_counts(user_id, n)
                SELECT user_id, COUNT(*) FROM memories GROUP BY user_id;
            CREATE TRIGGER memories_count_ai AFTER INSERT ON memories BEGIN
                INSERT INTO user_memory_counts(user_id, n) VALUES (new.user_id, 1)
                ON CONFLICT(user_id) DO UPDATE SET n = n + 1;
            END;
            CREATE TRIGGER memories_count_ad AFTER DELETE ON memories BEGIN
                UPDATE user_memory_counts SET n = n - 1 WHERE user_id = old.user_id;
                DELETE FROM user_memory_counts WHERE user_id = old.user_id AND n <= 0;
            END;
            CREATE TRIGGER memories_count_au AFTER UPDATE OF user_id ON memories BEGIN
                UPDATE user_memory_counts SET n = n - 1 WHERE user_id = old.user_id;
                DELETE FROM user_memory_counts WHERE user_id = old.user_id AND n <= 0;
                INSERT INTO user_memory_counts(user_id, n) VALUES (new.user_id, 1)
                ON CONFLICT(user_id) DO UPDATE SET n = n + 1;
            END;
            COMMIT;
            """
        )
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
