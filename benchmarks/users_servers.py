"""Many users on the servers: the many-users tier on PostgreSQL + a Chroma server (issue 14).

    python -m benchmarks run users --servers [--tier 100,1k,10k]

Per tier, after the embedded brain of that tier is built and probed (`benchmarks.users`), on a
throwaway PostgreSQL and `chroma run` (`benchmarks.servers`):

1. build: the first `SERVERS_BUILD` users through `Brain.remember_many` on the servers (pool
   vectors replayed, as embedded), into a database of their own: the write path's cost per
   memory on PostgreSQL;
2. load: the embedded tier's rows copied into an empty PostgreSQL brain table by table (`COPY`;
   the text-search column and indexes are built by the server), because building 10,000 users
   through the write path on PostgreSQL would take hours here; the copy is the same brain;
3. probe: open, recall and floor as embedded (`benchmarks.users.probe`), in a fresh process,
   with `Brain(database=…, vectors=…)`; disk is PostgreSQL's relations of the brain and the
   Chroma server's collections.

Every user has at most `exact_scan_max` memories, so none of them is in the Chroma server
(`zenbrain/store/placement.py`): it is started and connected to, and it holds no collection.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.servers import chroma_server, find_chroma_bin, find_postgres_bin, postgres_server

__all__ = ["SERVERS_BUILD", "SERVERS_NOTES", "available", "copy_to_postgres", "run_servers_tier", "section"]

# Written from a profile of the loaded brains (every statement timed in the client); kept here so
# the doc carries it, as users.py keeps its layout notes.
SERVERS_NOTES = """\
**What a recall costs on PostgreSQL.** Profiled on the 1k- and 10k-user brains loaded as above
(quiet box, 100 recalls of random users, query vectors computed beforehand, every statement
timed in the client): the pipeline besides the encoder takes 19.0 ms at 1k users and 24.7 ms at
10k (embedded ~9 / ~12 ms), of which the SQL round trips are 11.0 / 14.2 ms in 17.7 / 18.8
statements: the BM25 keyword query 2.1 / 2.2 ms, the user's vectors for the exact scan 1.3 /
1.6 ms, contiguity 1.1 / 1.4 ms, the head's rows (two reads) 1.0 / 1.2 ms, contradiction links
1.0 / 1.5 ms, every other statement under 0.8 ms. What grows with the tenants is every
statement a little (deeper indexes), not one of them (the keyword query, which matches words
brain-wide in its GIN index, 2.1 → 2.2 ms), and RSS, open and first query stay flat. What would
cut it is fewer statements per recall (the cheapest, a lookup by key, takes ~0.15 ms on
loopback), not another layout; not done."""

SERVERS_BUILD = 100  # users built through the write path on the servers, per tier at most


def available() -> str | None:
    """None when PostgreSQL and the Chroma server can run here, else why not."""
    if find_postgres_bin() is None:
        return "PostgreSQL is not installed"
    if find_chroma_bin() is None:
        return "the `chroma` server binary is not installed"
    return None


def copy_to_postgres(home: Path, url: str) -> dict[str, Any]:
    """Load the embedded brain at `home` into the empty PostgreSQL brain at `url`: every row of
    every table both have, with `COPY`; the brain's own meta rows (schema version, brain id)
    stay the server's."""
    import psycopg

    from benchmarks.users import row_tables
    from zenbrain.store.postgres import PostgresStore

    PostgresStore(url).close()  # the schema
    src = sqlite3.connect(f"file:{home / 'brain.db'}?mode=ro", uri=True)
    t0 = time.perf_counter()
    rows = 0
    with psycopg.connect(url, autocommit=False) as pg:
        # The rows are a consistent brain already: foreign keys are not checked row by row
        # while tables arrive in name order (the server's own superuser; triggers off too).
        pg.execute("SET session_replication_role = replica")
        for table in row_tables(src):
            if table == "meta":
                with pg.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                        src.execute("SELECT key, value FROM meta").fetchall())
                continue
            theirs = {r[0] for r in pg.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema() AND is_generated = 'NEVER'", (table,))}
            if not theirs:
                continue
            names = ", ".join(
                r[1] for r in src.execute(f"PRAGMA table_info({table})") if r[1] in theirs)
            with pg.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in src.execute(f"SELECT {names} FROM {table}"):
                    copy.write_row(row)
                    rows += 1
            print(f"users: loaded {table} into PostgreSQL ({time.perf_counter() - t0:.0f} s)",
                  file=sys.stderr)
        # An identity column continues after the rows copied in (events.seq).
        for table, column in pg.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE is_identity = 'YES' AND table_schema = current_schema()").fetchall():
            pg.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                       f"COALESCE((SELECT max({column}) FROM {table}), 0) + 1, false)")
        pg.commit()
        pg.execute("ANALYZE")
    src.close()
    return {"load_s": time.perf_counter() - t0, "load_rows": rows}


def _chroma_collections(url: str) -> int:
    """How many collections the Chroma server holds (default tenant and database, as the brain
    uses; over its REST API: the Python client leaves sockets open after `close()`)."""
    import json
    import urllib.request

    path = "/api/v2/tenants/default_tenant/databases/default_database/collections_count"
    with urllib.request.urlopen(url + path, timeout=30) as response:
        return int(json.loads(response.read()))


def run_servers_tier(home: Path, users: int, *, per_user: int, pool_size: int, emb: Any,
                     cache: Path, embedder: str,
                     built_before: dict[str, Any] | None = None) -> dict[str, Any]:
    """The tier of `users` on the servers; `home`: its embedded brain, built and probed.
    `built_before`: an earlier tier's servers build of as many users, not run again."""
    from benchmarks.users import _probe_subprocess, build
    from zenbrain.store.postgres import PostgresStore

    out: dict[str, Any] = {}
    with postgres_server() as pg, chroma_server() as vectors, \
            tempfile.TemporaryDirectory(prefix="zb-users-servers-") as tmp:
        built = min(users, SERVERS_BUILD)
        if built_before is not None and built_before["users"] == built:
            out["build"] = {**built_before, "reused": True}
        else:
            servers = {"database": pg.new_database("build"), "vectors": vectors}
            out["build"] = build(Path(tmp) / "build", built, per_user=per_user,
                                 pool_size=pool_size, emb=emb, cache=cache, servers=servers)
            out["build"]["users"] = built
        servers = {"database": pg.url, "vectors": vectors}
        out.update(copy_to_postgres(home, pg.url))
        out["probe"] = _probe_subprocess(Path(tmp) / "probe", users, embedder, servers)
        store = PostgresStore(pg.url)
        try:
            out["postgres_mb"] = store.storage_bytes() / 2**20
            out["memories"] = int(store.scalar("SELECT COUNT(*) FROM memories"))
            out["postgres_version"] = str(store.scalar("SHOW server_version")).split()[0]
        finally:
            store.close()
        out["collections"] = _chroma_collections(vectors)
    return out


def section(results: list[dict[str, Any]]) -> list[str]:
    """Markdown lines of the servers table, for the tiers that ran on the servers."""
    from benchmarks.speed import _ms

    ran = [r for r in results if "servers" in r]
    skipped = next((r["servers_skipped"] for r in results if "servers_skipped" in r), None)
    if not ran:
        return ["", "### On the servers (PostgreSQL + Chroma server)", "",
                f"Not run: {skipped}." if skipped else
                "Not run (`python -m benchmarks run users --servers`)."]
    lines = [
        "", "### On the servers (PostgreSQL + Chroma server)", "",
        f"The same tiers on a throwaway PostgreSQL {ran[0]['servers']['postgres_version']} "
        "(loopback, fsync off) and a `chroma run` "
        "server (`benchmarks/users_servers.py`). Build: the first "
        f"{SERVERS_BUILD} users through `remember_many` on the servers (vectors replayed as "
        "above), into a database of their own. The probed brain is the embedded tier's, loaded "
        "into PostgreSQL with `COPY` (the text-search column and indexes built by the server), "
        "since building 10,000 users through the write path on PostgreSQL would take hours "
        "here. Open, recall and floor as above, in a fresh process; disk is PostgreSQL's "
        "relations. No user reaches `exact_scan_max`, so the Chroma server holds no collection "
        "(vectors are read from PostgreSQL).", "",
        "| users | memories | build on servers (ms/memory) | load (`COPY`) | open: `Brain()` / "
        "index / first query | RSS open → after recalls | recall p50 / p99, cold user | "
        "recall p50 / p99, warm | floor p50: encode + bare vector route (cold / warm) | "
        "PostgreSQL | Chroma collections |",
        "|---" * 11 + "|",
    ]
    for r in ran:
        s, p = r["servers"], r["servers"]["probe"]
        o, rc, rw = p["open"], p["recall_cold_s"], p["recall_warm_s"]
        lines.append(
            f"| {r['users']:,} | {s['memories']:,} | {s['build']['build_ms_per_memory']:.2f} "
            f"({s['build']['users']:,} users) | {s['load_s']:.0f} s ({s['load_rows']:,} rows) | "
            f"{_ms(o['init_s'])} / {_ms(o['index_s'])} / {_ms(o['first_query_s'])} | "
            f"{p['rss_open_mb']:.0f} → {p['rss_recalled_mb']:.0f} MB | "
            f"{_ms(rc['p50'])} / {_ms(rc['p99'])} | {_ms(rw['p50'])} / {_ms(rw['p99'])} | "
            f"{_ms(p['encode_s']['p50'])} + ({_ms(p['bare_cold_s']['p50'])} / "
            f"{_ms(p['bare_warm_s']['p50'])}) | {s['postgres_mb']:.0f} MB | "
            f"{s['collections']:,} |")
    return [*lines, "", SERVERS_NOTES]
