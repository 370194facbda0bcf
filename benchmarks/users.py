"""Many users: what one embedded brain costs with thousands of tenants (issue 14).

    python -m benchmarks run users [--quick] [--tier 100,1k,10k] [--sample 1000]

Per tier, U users × 100 memories each in one brain on disk. Every user here has at most
`exact_scan_max` memories, so SQLite is their only vector store (`zenbrain/store/placement.py`):
no Chroma collection is made for them.

1. build: each user's 100 memories with `Brain.remember_many` (the real write path). The
   encoder would dominate (10k users = 1M sentences ≈ 1 h at ~300 sentences/s on 2 cores), so
   the memories are drawn from a pool of distinct synthetic chat texts (`benchmarks.synth`)
   encoded once with the bundled MiniLM, and the brain's embedder replays those vectors under the
   real model's name; anything outside the pool is encoded for real. The pool's vectors are
   cached in the results folder. A tier above `--sample` users (default 1,000) builds that many
   users this way and copies them in SQL up to U users (`clone_users`): 1M memories through the
   write path would still take over an hour here;
2. open, in a fresh process with the brain already on disk and the model already loaded:
   `Brain(path)`, the first index use (Chroma client start + outbox repair), the first recall of
   a random user; resident memory then;
3. recall for random users (one different user per query, so each is a cold user), queries
   encoded by the real model, then a second recall of the same user (warm); resident memory then;
4. the floor, on other random users: query encode + the bare vector route of that user (a k=10
   query on their collection if they have one, else the exact scan of their vectors in SQLite),
   cold (first touch) and warm; resident memory after it; disk (SQLite and Chroma apart), Chroma
   collections and files.

Tiers 100, 1k and 10k run by default, also in `make bench` (`run all`; ~25 min here: the 10k
tier reuses the 1k brain as built and copies it 9 times).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks import synth
from benchmarks.report import RESULTS, emit_json, in_fresh_process
from benchmarks.servers import backend_args
from benchmarks.speed import (
    _dir_bytes,
    _ms,
    _Replay,
    _status_kb,
    device_info,
    parse_tiers,
    pct,
)

__all__ = ["DEFAULT_TIERS", "QUICK_TIERS", "run", "run_tier", "section", "user_id"]

DEFAULT_TIERS = (100, 1_000, 10_000)
QUICK_TIERS = (100,)
PER_USER = 100
POOL = 20_000  # synthetic texts generated; ~18k distinct ones are encoded once
QUICK_POOL = 2_000
PROBE_USERS = 200
# Users built through the write path in a tier larger than this; the rest are SQL copies of them
# (`clone_users`): 1M memories through `remember_many` would take over an hour here.
SAMPLE = 1_000
SEED = 14


# Written from the measurements (this benchmark plus a Chroma-only scratch prototype of two
# layouts); kept here so the doc carries it, as speed.py keeps its profile notes.
LAYOUT_NOTES = """\
**The per-user layout did not hold at thousands of users.** Measured on it (the previous run
of this section, commit 7e4a8ce, every user with a collection: at 1k users 6.23 ms/memory to
build, 1,000 collections and 4,001 Chroma files, 416 MB of Chroma, RSS 1,137 MB after the bare
queries, a bare query 81.7 ms on a cold collection against 1.8 ms warm) and in a Chroma-only
scratch prototype of two layouts (same pool vectors, 100 per user, same metadata; not in the
repo), all on the busy shared 2-core box:

- **Open is O(users).** The first index use runs the outbox repair over *every* user
  (`outbox.repair_index`: one `index.count(user)` each), and Chroma's `count` loads that user's
  HNSW segment: 30 ms per user when profiled at 100 users, 130 s at 1k users (table). At 10k
  users that is ≥ 20 min before the first recall, in every process that opens the brain (a CLI
  `zenbrain recall` included).
- **Resident memory is O(users).** A loaded collection of 100 vectors (150 KB of floats) holds
  ~2.8 MB: the open above leaves 3.3 GB resident at 1k users (0.5 GB of it the model); the
  prototype: 57 → 687 MB after querying 200 users, 2.9 GB after touching all 1,000. At 10k users
  that is ~28 GB, more than this box has. Chroma's Rust client caps its loaded-index cache at
  `RLIMIT_NOFILE // 5` collections (4,000 here with `ulimit -n` 20,000; 204 with the common 1,024),
  so past that it evicts and reloads instead.
- **A cold user is ~100× a warm one, and worse with more users.** First query on a collection
  not yet loaded: p50 175 ms / p99 370 ms against 1.8 ms warm at 1k users, 547 / 661 ms against
  4.6 ms at 10k (prototype). The brain hides this only because the
  open-time repair already loaded every collection (so its "cold user" and "warm" columns match).
- **Disk and files.** 4 files and a folder per user (4,001 files at 1k users, 40,001 at 10k);
  Chroma takes 412 MB for 100k vectors per-user against 233 MB sharded (its SQLite 252 vs 80 MB).
- Writes slow down as collections accumulate: 7.2 → 9.8 ms/memory from the first to the last
  tenth of the 1k build; the per-user 10k prototype filled ~260 users/min over its first 4k
  users and ~125/min past 7k, on a box that had grown quieter meanwhile. The 10k brain (1M
  memories through `remember_many`, ~8 ms each here) would take over 2 h to build, so that tier
  was not run then (it is now, from 1,000 users built and SQL copies); the prototype covers 10k
  users for Chroma alone.

Prototype, Chroma alone, one k=10 query per random user (200 users), fresh process:

| layout | users | collections | build ms/vector | files | disk | query p50 / p99, cold user | query p50 / p99, warm | RSS after 200 users | open scan (count each) |
|---|---|---|---|---|---|---|---|---|---|
| per user, unfiltered | 1,000 | 1,000 | 1.53 | 4,001 | 412 MB | 175 / 370 ms | 1.8 / 16 ms | 687 MB | 148 s |
| 16 shards, `where={"user_id": …}` | 1,000 | 16 | 1.38 | 81 | 233 MB | 6.5 / 373 ms | 5.8 / 34 ms | 383 MB | 0.01 s |
| per user, unfiltered | 10,000 | 10,000 | 3.51 | 40,001 | 4,131 MB | 547 / 661 ms | 4.6 / 9 ms | 682 MB | not run (≈ 10× 1k) |
| 64 shards, `where={"user_id": …}` | 10,000 | 64 | 1.63 | 321 | 2,285 MB | 16.7 / 679 ms | 12.6 / 31 ms | 2,210 MB | not run (64 counts) |

(A sharded p99 "cold" is the first touch of a shard; after 200 users nearly every shard is
loaded, so the sharded RSS is the whole index: 1.5–2.2× the raw floats (1M vectors at 10k), against
~18× for per-user collections.) A filtered query costs more as the shard grows (5.8 ms at 6k
vectors per shard, 12.6 ms at 16k; ../shared/ENV.md §4: 60 ms at 100k), so shards must stay
small. A third option was measured on the 1k brain itself: an exact scan of the user's current
vectors straight from SQLite's `embeddings` table (join on `memories.user_id`, numpy dot,
top 10): p50 0.31 ms, p99 14.5 ms for a random cold user, and nothing resident per user.

**Proposal** (written before any of it changed the package; 1 and 2 have landed, see below):
1. Open in O(1): repair only the users with pending outbox rows at open
   (`SELECT DISTINCT user_id FROM memories WHERE index_pending = 1`: 0.6 ms on the 1k brain,
   through the partial index `ix_mem_pending`), and leave the count-per-user comparison to
   `maintenance()` / `repair_index()` or to a user's first query. Needed whatever the layout.
   Tried on the 1k brain (the same probe, with `outbox.repair_index` wrapped that way in a
   scratch script): open 130 s → 3.6 s (index 0.72 s + first recall 2.9 s), RSS after open
   3.3 GB → 0.58 GB, 1.14 GB after 200 users (still ~2.8 MB per user touched). But now the cold
   users show: recall p50 222 ms for a cold user against 83 ms warm (bare Chroma 111 ms cold,
   7 ms warm; encode p50 91 ms, a very busy box). So 1 alone is not enough: 2 or 3 as well.
2. Small users need no ANN index: below a threshold (say ≤ 2,000 current vectors) answer the
   vector route by an exact scan of the user's vectors from SQLite (0.3 ms at 100 vectors,
   exact, no per-user residency, no cold load), and give Chroma only users above it.
3. If every user must stay in Chroma: shard by user hash with a hashed `user_id` in the metadata
   and `where` on every query, with the shard count growing with the brain (≤ ~10k vectors per
   shard) — cold users go from 175 ms to 6–17 ms and RSS from ~2.8 MB per user to 1.5–2.2× the
   raw vectors, at +4–11 ms on a warm query. `delete_user` becomes a delete by `where`.

**Landed: 1, 2, and 2 on the write side.** 1 (`outbox.repair_pending`, commit 3bca7ae): opening
the index repairs the users with outbox rows, and every user only when the index holds nothing
of the brain; a user's vector count is compared on their first index recall in the process. 2
(commit 0eb7a15): a user with at most `exact_scan_max` memories (2,000) is recalled by an exact
scan of their vectors in SQLite, so recall loads no Chroma collection for them. The keyword route
had the same blind spot: one FTS5 index for every user, and a plan that ranked the brain's best
matches first, which for a user with 0.1% of the rows ranked every match four times (34 of a
recall's 53 ms here); a user with under a quarter of the rows is now ranked among their own rows
inside the index (commit 7e4a8ce, the same result). Then writes (commit 30210aa): such a user's
vectors go to SQLite only. No collection is created for them, the write path's neighbour query
(novelty and reconsolidation: the top 8 by cosine over every vector of the user, archived and
superseded ones included, as the unfiltered collection query was) is the same exact scan, and a
user who crosses the threshold gets their collection built in full from SQLite (dropped first,
so nothing of an older layout survives; the `vector_users` table records it once built, so a
crash mid-build is built again). LoCoMo, whose users all stay under the threshold and so now
write through the exact scan, gives the same figures to the last digit (recall@10 0.677, + sleep
0.700; 5,859 memories, 1,192 consolidated, 3,713 archived), and the builds here merged exactly as
many versions as with the collections' neighbours (4,120 at 100 users, 40,596 at 1k).

What that changed, in the table above: the brain has no Chroma collection and no Chroma file
per user at any tier (0 / 0, against 1,000 / 4,001 and 416 MB at 1k before), so the 10k tier,
1M memories, is 5.2 GB of SQLite and nothing else (the index folder holds only Chroma's own
empty catalogue once opened); resident memory stays flat with the users (~575 MB after 200 cold
and 200 warm recalls at every tier, ~500 MB of it the model), where each user with a collection
held ~2.8 MB once it was loaded; a cold user costs what a warm one does, and the bare exact scan
is ~0.5 ms cold and 0.2 ms warm at 10k users, against 81.7 / 1.8 ms for a bare per-user Chroma
query at 1k before. Back to back on a busy box (60 users × 100 memories, pool vectors replayed,
new, old, new, old layout): 8.30 / 6.92 / 7.38 / 7.75 ms/memory, so the HNSW upsert the small
users no longer pay (~0.5 ms/vector quiet) is lost in the noise there; 2 files against 243.

**The keyword route at 1M memories** (profiled on a kept 10k brain, commit 68112da): of a
recall's pipeline time besides the encoder, the keyword route took 52 of ~75 ms (cProfile, busy
box; recall p50 36.6 ms, 4.9× its floor, p99 0.53 s on a quiet box before). FTS5 matches and
scores every tenant's rows before the user's can be kept: bm25's IDF counts each query word's
documents brain-wide on every query (45 ms p50 for the query with bm25, 19–24 ms for the bare
match; `rowid IN (…)` is not pushed into the index, and a loop of `rowid = ?` lookups costs the
same). A user with a small share of the brain and at most 2,000 rows is now ranked in an FTS5
index of their own rows, built in memory per query: 0.66 ms p50 on the same 60 queries, the same
matches for all 60 and the same order for 54 (IDF from the user's own rows: what a brain holding
that user alone returns, tested; no other tenant's words weigh on the ranking). The first run
after it, every tier on a quiet AMD EPYC box (commit 5683f62): recall p50 1.76× / 1.80× / 1.87×
its floor and p99 within 2.5× at 100, 1k and 10k users, the first query after open 0.15–0.19 s
(1.4 s at 10k before). The table above is a later run on an Intel Xeon box of the same size
(same recall code): 1.87× / 1.75× / 2.12× p50, p99 2.8× / 2.4× / 3.8×, first query 0.17–0.22 s.
What is left of a cold user is reading their rows for the first time (vectors, sentence vectors,
the head's rows). Still open: 3 would only matter for users above the threshold."""


def user_id(i: int) -> str:
    return f"user-{i:05d}"


def _pool(size: int, emb: Any, cache: Path) -> tuple[list[dict[str, Any]], dict[str, Any], float]:
    """The distinct texts of `synth.items(size)`, their vectors (cached) and the encode time."""
    import numpy as np

    seen: set[str] = set()
    rows = []
    for row in synth.items(size):
        if row["text"] not in seen:
            seen.add(row["text"])
            rows.append(row)
    texts = [r["text"] for r in rows]
    digest = hashlib.sha1(("\n".join(texts) + emb.name).encode()).hexdigest()[:12]
    path = cache / f"users_pool_{size}_{digest}.npy"
    encode_s = 0.0
    if path.exists():
        vecs = np.load(path)
    else:
        t0 = time.perf_counter()
        vecs = np.concatenate([emb.embed(texts[i:i + 256]) for i in range(0, len(texts), 256)])
        encode_s = time.perf_counter() - t0
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, vecs)
    return rows, dict(zip(texts, vecs, strict=True)), encode_s


def _user_items(pool: list[dict[str, Any]], i: int, per_user: int) -> list[dict[str, Any]]:
    picks = sorted(random.Random(SEED * 1_000_003 + i).sample(range(len(pool)), per_user))
    return [pool[p] for p in picks]


def _chroma_files(home: Path) -> tuple[int, int]:
    root = home / "chroma"
    if not root.exists():
        return 0, 0
    files = sum(1 for p in root.rglob("*") if p.is_file())
    dirs = sum(1 for p in root.iterdir() if p.is_dir())
    return files, dirs


def build(home: Path, users: int, *, per_user: int, pool_size: int, emb: Any,
          cache: Path, servers: dict[str, str] | None = None) -> dict[str, Any]:
    """Fill a brain at `home` with `users` × `per_user` memories; returns build timings.
    `servers`: `Brain`'s `database` and `vectors` URLs (PostgreSQL, Chroma server)."""
    from zenbrain import Brain

    pool, table, encode_s = _pool(pool_size, emb, cache)
    if per_user > len(pool):
        raise SystemExit(f"per-user {per_user} exceeds the pool of {len(pool)} distinct texts")
    replay = _Replay(emb, table)
    out: dict[str, Any] = {"pool_texts": len(pool), "pool_encode_s": encode_s}
    marks = sorted({max(1, users * k // 10) for k in range(1, 11)})
    curve = []
    with Brain(home, embedder=replay, **backend_args(home, servers)) as brain:
        t0 = last = time.perf_counter()
        done_before = 0
        for i in range(users):
            brain.remember_many(_user_items(pool, i, per_user), user_id=user_id(i))
            if i + 1 in marks:
                now = time.perf_counter()
                # per-memory cost of this slice of users: does it grow with the collections?
                curve.append({"users": i + 1, "ms_per_memory":
                              1000 * (now - last) / ((i + 1 - done_before) * per_user)})
                print(f"users: built {i + 1:,}/{users:,} users "
                      f"({now - t0:.0f} s, {curve[-1]['ms_per_memory']:.2f} ms/memory)",
                      file=sys.stderr)
                last, done_before = now, i + 1
        out["build_s"] = time.perf_counter() - t0
    out["memories"] = users * per_user
    out["build_ms_per_memory"] = 1000 * out["build_s"] / out["memories"]
    out["build_curve"] = curve
    out["replayed"], out["encoded"] = replay.replayed, replay.encoded
    return out


def probe(home: Path, users: int, *, queries: int = PROBE_USERS,
          embedder: str = "minilm", servers: dict[str, str] | None = None) -> dict[str, Any]:
    """Open the brain at `home` in this (fresh) process and query random users. `servers`:
    `Brain`'s `database` and `vectors` URLs, for a brain on PostgreSQL and a Chroma server."""
    from zenbrain import Brain
    from zenbrain.embeddings import make_embedder

    rng = random.Random(SEED)
    emb = make_embedder(embedder, device="cpu")
    emb.embed(["warm up the model"])
    out: dict[str, Any] = {"rss_model_mb": _status_kb("VmRSS") / 1024, **device_info()}
    # Chroma's Rust client caches at most this many loaded HNSW indexes (RLIMIT_NOFILE // 5)
    out["open_files_limit"] = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    picks = rng.sample(range(users), min(queries, users))
    qs = synth.queries(2 * len(picks) + 1, seed=SEED)
    at = synth.START + timedelta(minutes=17 * POOL, days=1)  # after every pool memory

    t0 = time.perf_counter()
    brain = Brain(home, embedder=emb, **backend_args(home, servers))
    t1 = time.perf_counter()
    out["repaired_on_open"] = brain.repaired_on_open  # opens the index: Chroma start + repair
    t2 = time.perf_counter()
    first = user_id(rng.randrange(users))
    brain.recall(qs[-1], user_id=first, k=10, at=at)
    t3 = time.perf_counter()
    out["open"] = {"init_s": t1 - t0, "index_s": t2 - t1, "first_query_s": t3 - t2,
                   "total_s": t3 - t0}
    out["rss_open_mb"] = _status_kb("VmRSS") / 1024

    # Recall first, every picked user cold then warm: recall reads a small user's vectors from
    # SQLite (`exact_scan_max`), so what it leaves resident is measured before the floor's bare
    # Chroma queries load each user's collection.
    rec_cold, rec_warm = [], []
    for j, u in enumerate(picks):
        uid = user_id(u)
        a = time.perf_counter()
        brain.recall(qs[2 * j], user_id=uid, k=10, at=at)
        rec_cold.append(time.perf_counter() - a)
        a = time.perf_counter()
        brain.recall(qs[2 * j + 1], user_id=uid, k=10, at=at)
        rec_warm.append(time.perf_counter() - a)
    out["rss_recalled_mb"] = _status_kb("VmRSS") / 1024
    # The floor: query encode + the bare vector route of the user, on users not recalled above
    # where the brain has enough (so "cold" is a first touch of their rows). A user kept in the
    # index (above `exact_scan_max`) is asked on their collection; a smaller one, which has no
    # collection, by the exact scan recall runs for them (SQLite rows, one matrix product).
    rest = [u for u in range(users) if u not in set(picks)]
    floor_users = rng.sample(rest, len(picks)) if len(rest) >= len(picks) else picks
    enc, bare_cold, bare_warm, get_cold, routes = [], [], [], [], {"index": 0, "exact": 0}
    for j, u in enumerate(floor_users):
        uid, q = user_id(u), qs[2 * j]
        a = time.perf_counter()
        v = emb.embed([q])
        b = time.perf_counter()
        col = brain._index._collection(uid, create=False) if _kept(brain, uid) else None
        c = time.perf_counter()
        if col is not None:
            routes["index"] += 1
            col.query(query_embeddings=v, n_results=10, include=["distances"])
            d = time.perf_counter()
            col.query(query_embeddings=v, n_results=10, include=["distances"])
        else:
            routes["exact"] += 1
            _bare_scan(brain, uid, v[0])
            d = time.perf_counter()
            _bare_scan(brain, uid, v[0])
        enc.append(b - a)
        get_cold.append(c - b)
        bare_cold.append(d - c)
        bare_warm.append(time.perf_counter() - d)
    out["floor_routes"] = routes

    def stats(v: list[float]) -> dict[str, float]:
        return {"p50": pct(v, 50), "p99": pct(v, 99), "n": len(v)}

    out["queries"] = len(picks)
    out["recall_cold_s"] = stats(rec_cold)
    out["recall_warm_s"] = stats(rec_warm)
    out["encode_s"] = stats(enc)
    out["bare_cold_s"] = stats(bare_cold)
    out["bare_warm_s"] = stats(bare_warm)
    out["get_collection_cold_s"] = stats(get_cold)
    out["floor_s"] = out["encode_s"]["p50"] + out["bare_warm_s"]["p50"]
    out["floor_cold_s"] = (out["encode_s"]["p50"] + out["get_collection_cold_s"]["p50"]
                           + out["bare_cold_s"]["p50"])
    out["rss_queried_mb"] = _status_kb("VmRSS") / 1024
    out["peak_rss_mb"] = _status_kb("VmHWM") / 1024
    brain.close()
    return out


def _kept(brain: Any, uid: str) -> bool:
    return brain._store.scalar("SELECT 1 FROM vector_users WHERE user_id = ?", (uid,)) is not None


def _bare_scan(brain: Any, uid: str, qvec: Any) -> list[str]:
    """The exact scan's own work, nothing of recall around it: the user's vectors from SQLite,
    one matrix product, the top 10."""
    import numpy as np

    ids, mat = brain._store.user_vectors(uid, int(qvec.shape[0]))
    sims = mat @ qvec
    top = np.argsort(-sims)[:10]
    return [ids[i] for i in top]


def _probe_subprocess(home: Path, users: int, embedder: str,
                      servers: dict[str, str] | None = None) -> dict[str, Any]:
    t0 = time.perf_counter()
    urls = [arg for key, url in (servers or {}).items() for arg in (f"--{key}", url)]
    result = in_fresh_process("benchmarks.users", ["--probe", str(home), "--users", str(users),
                                                   "--embedder", embedder, *urls])
    result["process_s"] = time.perf_counter() - t0
    return result


def _disk(home: Path) -> dict[str, Any]:
    files, dirs = _chroma_files(home)
    root = home / "chroma"
    collections = 0
    if root.exists():
        import chromadb
        from chromadb.config import Settings

        client = chromadb.PersistentClient(path=str(root),
                                           settings=Settings(anonymized_telemetry=False))
        collections = int(client.count_collections())
        client.close()
    chroma_sqlite = root / "chroma.sqlite3"
    return {"sqlite_mb": sum(p.stat().st_size for p in home.glob("brain.db*")) / 2**20,
            "chroma_mb": _dir_bytes(root) / 2**20 if root.exists() else 0.0,
            "chroma_sqlite_mb": chroma_sqlite.stat().st_size / 2**20
            if chroma_sqlite.exists() else 0.0,
            "chroma_files": files, "chroma_dirs": dirs, "collections": collections}


_ID = re.compile(r"\b(brain|ent|mem|own|rel|run)_[0-9A-HJKMNP-TV-Z]{26}\b")
_USER = re.compile(r"\buser-\d{5}\b")
# Filled by triggers on insert (per-user counts) or about one process's brain, not its rows.
_NOT_ROWS = ("locks", "user_memory_counts")


def row_tables(db: Any) -> list[str]:
    """The tables of a brain's own rows in its SQLite file (`db`, a connection), by name: not
    FTS5's (filled by triggers), not SQLite's, not `_NOT_ROWS`."""
    return [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'memories_fts%' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name") if r[0] not in _NOT_ROWS]


def clone_users(home: Path, sample: int, users: int) -> dict[str, Any]:
    """Grow an embedded brain of users 0..sample-1 to `users` users by copying theirs in its
    SQLite file.

    Copy c of user i is user i + c·sample: every row of every per-user table (memories, their
    vectors and sentence vectors, graph, links, events, logs) copied with that user id and every
    object id given the suffix `x<c>`, so each copy is a distinct tenant with rows exactly as the
    write path laid out its original's. The FTS5 index and the per-user counts fill themselves
    through their insert triggers. Used where building every user through `remember_many` would
    take hours here (the 10k tier: 1M memories at ~5 ms each)."""
    import sqlite3

    copies = -(-users // sample)  # the original counts as copy 0
    db = sqlite3.connect(str(home / "brain.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode=DELETE")  # one bulk writer, nobody reading: no WAL needed
    db.execute("PRAGMA synchronous=OFF")
    plan = []
    for table in row_tables(db):
        if table == "meta":  # about the brain itself, not its users
            continue
        info = list(db.execute(f"PRAGMA table_info({table})"))
        # an INTEGER PRIMARY KEY (rowid alias, e.g. events.seq) is numbered anew
        cols = [c for c in info if not (c[5] and c[2].upper() == "INTEGER" and
                                        sum(x[5] > 0 for x in info) == 1)]
        if db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
            plan.append((table, [c[1] for c in cols],
                         [c[1] for c in cols if "TEXT" in (c[2] or "TEXT").upper()]))
    t0 = time.perf_counter()
    rows_copied = 0
    skipped: set[str] = set()
    for c in range(1, copies):
        first = c * sample
        if first >= users:
            break
        suffix = f"x{c}"

        def remap(value: Any, _first: int = first, _suffix: str = suffix) -> Any:
            if not isinstance(value, str) or ("_" not in value and "user-" not in value):
                return value
            value = _ID.sub(lambda m: m.group(0) + _suffix, value)
            return _USER.sub(lambda m: user_id(int(m.group(0)[5:]) + _first), value)

        db.create_function("zb_remap", 1, remap, deterministic=True)
        last = min(users, first + sample) - first  # a last partial copy takes users 0..last-1
        # Only the original users' rows are copied (each copy from the originals, not from the
        # copies before it); their ids sort below every copy's user id.
        originals = f"user_id < '{user_id(last)}'"
        db.execute("BEGIN")
        for table, cols, text_cols in plan:
            select = ", ".join(f"zb_remap({col})" if col in text_cols else col for col in cols)
            if "user_id" in cols:
                where = originals
            elif "memory_id" in cols or table == "memory_links":
                key = "memory_id" if "memory_id" in cols else "src"
                where = f"{key} IN (SELECT id FROM memories WHERE {originals})"
            else:
                skipped.add(table)
                continue
            cur = db.execute(f"INSERT INTO {table} ({', '.join(cols)}) "
                             f"SELECT {select} FROM {table} WHERE {where}")
            rows_copied += max(cur.rowcount, 0)
        db.execute("COMMIT")
        print(f"users: copied users {first:,}..{first + last - 1:,} "
              f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    return {"cloned_users": users - sample, "clone_s": time.perf_counter() - t0,
            "clone_rows": rows_copied, "clone_skipped_tables": sorted(skipped)}


def run_tier(users: int, *, per_user: int = PER_USER, pool_size: int = POOL, emb: Any = None,
             cache: Path = RESULTS, keep: Path | None = None, sample: int | None = None,
             built_before: tuple[Path, dict[str, Any]] | None = None,
             save_built: Path | None = None, servers: bool = False,
             servers_built: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build a brain of `users` × `per_user` memories, then probe it in a fresh process.
    With `sample` (< users), only that many users go through the write path; the rest are
    copies of them (`clone_users`). `built_before`: (a brain just as `build` left it, its build
    figures) to start from instead of building those users again; `save_built`: where to leave a
    copy of this tier's brain as built, before anything else touches it. `servers`: the same
    tier on PostgreSQL + a Chroma server too (`benchmarks.users_servers`; `servers_built`: an
    earlier tier's build there)."""
    from zenbrain.embeddings import make_embedder

    emb = emb or make_embedder("minilm", device="cpu")
    built = sample if sample is not None and sample < users else users
    out: dict[str, Any] = {"users": users, "per_user": per_user, "built_users": built}
    with tempfile.TemporaryDirectory(prefix="zb-users-") as tmp:
        home = keep or Path(tmp) / "brain"
        if built_before is not None and built_before[1]["memories"] == built * per_user:
            shutil.copytree(built_before[0], home)
            out.update(built_before[1], build_reused=True)
        else:
            out.update(build(home, built, per_user=per_user, pool_size=pool_size, emb=emb,
                             cache=cache))
        if save_built is not None:
            shutil.copytree(home, save_built)
        if built < users:
            out.update(clone_users(home, built, users))
            out["memories"] = int(_count(home, "SELECT COUNT(*) FROM memories"))
        out.update(_disk(home))
        # tests build with the hash embedder; the probe must open the same collections
        embedder = "hash" if emb.name == "hash384" else "minilm"
        out.update(_probe_subprocess(home, users, embedder))
        if servers:
            from benchmarks import users_servers

            why_not = users_servers.available()
            if why_not:
                out["servers_skipped"] = why_not
            else:
                out["servers"] = users_servers.run_servers_tier(
                    home, users, per_user=per_user, pool_size=pool_size, emb=emb, cache=cache,
                    embedder=embedder, built_before=servers_built)
    return out


def _count(home: Path, sql: str) -> Any:
    import sqlite3

    with sqlite3.connect(str(home / "brain.db")) as db:
        return db.execute(sql).fetchone()[0]


def section(results: list[dict[str, Any]], *, quick: bool) -> str:
    """The markdown of the "users" section."""
    if not results:
        return "## Many users: one brain, thousands of tenants\n\nNo tier was run."
    r0 = results[0]
    cloned = [r for r in results if r.get("built_users", r["users"]) < r["users"]]
    lines = [
        "## Many users: one brain, thousands of tenants", "",
        f"`benchmarks/users.py`: U users × {r0['per_user']} memories in one embedded brain "
        "(SQLite + Chroma under one home). A user with at most `exact_scan_max` (2,000) "
        "memories, every user here, lives in SQLite alone (`zenbrain/store/placement.py`): "
        "their vectors are in the `embeddings` table, recall and the write path's neighbour "
        "query (novelty, reconsolidation) scan them exactly, and no Chroma collection is made "
        "for them; a user above it gets a collection, built in full when they cross it. "
        "**Vectors are replayed:** the memories are "
        f"drawn from a pool of {r0['pool_texts']:,} distinct synthetic chat texts "
        "(`benchmarks/synth.py`) encoded once with the bundled all-MiniLM-L6-v2, and the brain's "
        "embedder returns those real vectors under the real model's name, so the build measures "
        "the write path (SQLite, FTS5, graph, extraction, reconsolidation) without "
        "spending an hour in the encoder. Queries are encoded by the real model. Open and "
        "queries run in a fresh process with the brain already on disk and the model already "
        f"loaded; each query asks a different random user ({PROBE_USERS}, or every user of a "
        f"smaller brain once; device: {r0['device']}, {r0['threads']} torch threads). The query "
        "encode's p50 in the floor column shows how busy the machine was (~8 ms when quiet)."
        + (" **Quick run: numbers are indicative only.**" if quick else ""), "",
    ]
    for r in cloned:
        lines += [
            f"**The {r['users']:,}-user tier is {r['built_users']:,} users built plus copies.** "
            f"Its first {r['built_users']:,} users went through `remember_many` as in the other "
            "tiers (build column: their time"
            + ("; the brain of the tier of that many users, copied as built before its probe"
               if r.get("build_reused") else "")
            + f"); the other {r['cloned_users']:,} are copies of "
            "them made in SQL (`clone_users`: every row of every per-user table — memories, "
            "vectors, sentence vectors, graph, links, events, logs — copied under a new user id "
            "with every object id suffixed, the FTS5 index and per-user counts filled by their "
            f"insert triggers; {r['clone_s']:.0f} s, {r['clone_rows']:,} rows), because "
            f"{r['users'] * r['per_user']:,} memories through the write path would take over an "
            "hour here. Open, recall, RSS and disk are measured on the whole "
            f"{r['memories']:,}-memory brain; copies answer a query as their original would.",
            ""]
    lines += [
        "| users | memories | build (ms/memory) | open: `Brain()` / index / first query | "
        "RSS open → after recalls → after floor | recall p50 / p99, cold user | "
        "recall p50 / p99, warm | "
        "floor p50: encode + bare vector route (cold / warm) | disk: SQLite + Chroma | "
        "collections / Chroma files |",
        "|---" * 10 + "|",
    ]
    for r in results:
        o = r["open"]
        rc, rw = r["recall_cold_s"], r["recall_warm_s"]
        built = r.get("built_users", r["users"])
        build = (f"{r['build_s']:.0f} s ({r['build_ms_per_memory']:.2f})" if built == r["users"]
                 else f"{r['build_s']:.0f} s for {built:,} users ({r['build_ms_per_memory']:.2f})"
                 f" + {r['clone_s']:.0f} s copies")
        lines.append(
            f"| {r['users']:,} | {r['memories']:,} | {build} | {_ms(o['init_s'])} / "
            f"{_ms(o['index_s'])} / "
            f"{_ms(o['first_query_s'])} | {r['rss_open_mb']:.0f} → "
            f"{r.get('rss_recalled_mb', float('nan')):.0f} → "
            f"{r['rss_queried_mb']:.0f} MB | {_ms(rc['p50'])} / {_ms(rc['p99'])} | "
            f"{_ms(rw['p50'])} / {_ms(rw['p99'])} | {_ms(r['encode_s']['p50'])} + "
            f"({_ms(r['bare_cold_s']['p50'])} / {_ms(r['bare_warm_s']['p50'])}) | "
            f"{r['sqlite_mb']:.0f} + {r['chroma_mb']:.1f} MB | "
            f"{r['collections']:,} / {r['chroma_files']:,} |")
    lines += [
        "", "Build: `remember_many` once per user (100 memories), pool vectors replayed; the "
        "per-memory cost by tenth of the users built shows whether writes slow down as users "
        "accumulate:", ""]
    for r in results:
        curve = ", ".join(f"{c['ms_per_memory']:.2f}" for c in r["build_curve"])
        lines.append(f"- {r['users']:,} users ({r.get('built_users', r['users']):,} built): "
                     f"{curve} ms/memory ({r['encoded']:,} merged "
                     "versions encoded for real by reconsolidation)")
    lines += [
        "", "Open: `Brain(path)` (SQLite, config, lock; the index is lazy), then the first index "
        "use (Chroma's client start and the outbox repair check: nothing to repair, no user is "
        "kept in Chroma), then the first recall of a "
        "random user. RSS includes the loaded model (~"
        f"{r0['rss_model_mb']:.0f} MB before the brain opens). Cold user: the first recall of a "
        "user in the process; warm: a second recall of the same user. Floor (as in the speed "
        "section), run after the recalls on other random users where the brain has enough: "
        "query encode + the bare vector route of that user — for these users the exact scan "
        "alone (their vectors read from SQLite, one matrix product, top 10), since they have no "
        "collection; cold on the process's first touch of that user, warm on a second scan.",
    ]
    from benchmarks import users_servers

    lines += users_servers.section(results)
    lines += ["", "### What the per-user layout cost, and what changed", "", LAYOUT_NOTES]
    return "\n".join(lines)


def run(tiers: tuple[int, ...], *, quick: bool = False, per_user: int = PER_USER,
        write: bool = True, doc: Path | None = None, embedder: Any = None,
        command: str | None = None, keep: Path | None = None,
        sample: int = SAMPLE, servers: bool = False) -> list[dict[str, Any]]:
    """Every tier, saved to `benchmarks/results/users.json` and docs/BENCHMARKS.md. With `keep`,
    each tier's brain stays on disk there (`brain-<users>`) for a later look; with `servers`,
    each tier runs on PostgreSQL + a Chroma server too (`benchmarks.users_servers`)."""
    cache = RESULTS if doc is None else doc.parent / "results"
    results = []
    spare = Path(tempfile.mkdtemp(prefix="zb-users-built-"))
    built_before: tuple[Path, dict[str, Any]] | None = None
    servers_built: dict[str, Any] | None = None
    try:
        for users in tiers:
            print(f"users: tier {users:,} …", file=sys.stderr)
            t0 = time.perf_counter()
            # A tier of exactly `sample` users is the start of every larger tier: kept as built.
            save = spare / "brain" if users == sample and any(t > sample for t in tiers) else None
            r = run_tier(users, per_user=per_user, pool_size=QUICK_POOL if quick else POOL,
                         emb=embedder, cache=cache, keep=keep and keep / f"brain-{users}",
                         sample=sample, built_before=built_before, save_built=save,
                         servers=servers, servers_built=servers_built)
            if "servers" in r:
                servers_built = r["servers"]["build"]
            if save is not None:
                built_before = (save, {k: r[k] for k in (
                    "pool_texts", "pool_encode_s", "build_s", "memories", "build_ms_per_memory",
                    "build_curve", "replayed", "encoded")})
            r["tier_wall_s"] = time.perf_counter() - t0
            results.append(r)
            print(f"users: tier {users:,}: build {r['build_ms_per_memory']:.2f} ms/memory, open "
                  f"{r['open']['total_s']:.2f} s, recall p50 cold "
                  f"{_ms(r['recall_cold_s']['p50'])}, RSS {r['rss_queried_mb']:.0f} MB, disk "
                  f"{r['sqlite_mb'] + r['chroma_mb']:.0f} MB ({r['tier_wall_s']:.0f} s)",
                  file=sys.stderr)
    finally:
        shutil.rmtree(spare, ignore_errors=True)
    if write:
        from benchmarks.report import publish, run_command

        cmd = command or run_command("users", tiers, quick=quick)
        if servers and "--servers" not in cmd:
            cmd += " --servers"
        publish("users", results, section(results, quick=quick), command=cmd, doc=doc)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.users",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--probe", type=Path, help="open this brain and query it (internal)")
    parser.add_argument("--users", type=int, help="with --probe: the brain's user count")
    parser.add_argument("--json", type=Path, help="with --probe: write the result here")
    parser.add_argument("--embedder", default="minilm", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)  # with --probe: servers' URLs
    parser.add_argument("--vectors", help=argparse.SUPPRESS)
    parser.add_argument("--tier", default=None, help="user counts, e.g. 100,1k,10k")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sample", type=int, default=SAMPLE,
                        help="users built through the write path in a larger tier")
    parser.add_argument("--servers", action="store_true",
                        help="each tier on PostgreSQL + a Chroma server too")
    args = parser.parse_args(argv)
    if args.probe:
        servers = {k: v for k, v in (("database", args.database), ("vectors", args.vectors)) if v}
        emit_json(probe(args.probe, args.users, embedder=args.embedder, servers=servers),
                  args.json)
        return 0
    tiers = parse_tiers(args.tier) if args.tier else (QUICK_TIERS if args.quick else DEFAULT_TIERS)
    run(tiers, quick=args.quick, sample=args.sample, servers=args.servers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
