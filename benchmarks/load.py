"""Load test: concurrent writers and readers on each backend, then an exactly-once audit.

`python -m benchmarks.load [--backend embedded|servers|both] [--writers 8] [--readers 8]
[--seconds 60] [--json PATH] [--no-doc]` runs W writer threads (each `remember`s unique texts and
records the ids it got back) and R reader threads (`recall`) against one `Brain` per backend for a
fixed time, and prints one table with the backends side by side: throughput, p50/p99 latency, and
the audit. Backends:

- `embedded`: SQLite and embedded Chroma under a temporary home (no network at all);
- `servers`: a throwaway PostgreSQL (the system of record, `database=`) and a throwaway Chroma
  server (`vectors=`), both started by `benchmarks.servers` on loopback ports and removed after
  (PostgreSQL runs with fsync off: test data only).

The audit, after the threads stop, goes through the brain's public API on the system of record
(`Brain.memories` per user, `Brain.get` by id), so it reads SQLite or PostgreSQL alike: every
acknowledged write must be there by its id with its unique text (else `missing`), and that text
must be stored once (else `duplicated`). It then lists the ids in the user's vector store (their
Chroma collection, embedded or on the server, for a user above `exact_scan_max`; SQLite's
`embeddings` rows out of the outbox for a smaller one) and counts acknowledged, current memories
without a vector (`unindexed`). The exit status is 1 when any of missing, duplicated, unindexed or errors is
non-zero. Loopback only: nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zenbrain import Brain

__all__ = ["BACKENDS", "LoadResult", "audit", "open_backend", "run_load"]

BACKENDS = ("embedded", "servers")

_TOPICS = ["the garden", "a trip to Porto", "the new bike", "Luna the cat", "the piano lesson",
           "a dentist visit", "the quarterly report", "grandma's birthday"]
_USERS = 4  # writers and readers share these users, so reads see the writes


@dataclass
class LoadResult:
    seconds: float
    writes: int
    reads: int
    write_latencies: list[float] = field(default_factory=list)
    read_latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    missing: int = 0
    duplicated: int = 0
    unindexed: int = 0  # acknowledged, current memories without a vector in the index

    @staticmethod
    def _pct(values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> dict[str, float]:
        return {
            "seconds": self.seconds, "writes": self.writes, "reads": self.reads,
            "writes_per_s": self.writes / self.seconds, "reads_per_s": self.reads / self.seconds,
            "write_p50_ms": 1000 * statistics.median(self.write_latencies or [float("nan")]),
            "write_p99_ms": 1000 * self._pct(self.write_latencies, 0.99),
            "read_p50_ms": 1000 * statistics.median(self.read_latencies or [float("nan")]),
            "read_p99_ms": 1000 * self._pct(self.read_latencies, 0.99),
            "missing": self.missing, "duplicated": self.duplicated, "unindexed": self.unindexed,
            "errors": len(self.errors),
        }


def audit(brain: Brain, acked: dict[str, tuple[str, str]]) -> tuple[int, int, int]:
    """(missing, duplicated, unindexed) for `acked` (memory id -> (user id, its unique text)).

    Backend-neutral: only the public API on the system of record, plus the vector index's ids.
    """
    by_user: dict[str, dict[str, str]] = {}
    for mid, (user, text) in acked.items():
        by_user.setdefault(user, {})[mid] = text
    missing = duplicated = unindexed = 0
    for user, writes in by_user.items():
        rows = {m.id: m for m in brain.memories(user, include_archived=True, limit=None)}
        copies = Counter(m.text for m in rows.values())
        # No public API lists the vectors. A user above `exact_scan_max` is kept in the index
        # (`ChromaIndex.ids`); a smaller one has SQLite's `embeddings` as their only vector
        # store, settled once out of the outbox (zenbrain/store/placement.py).
        if brain._store.scalar("SELECT 1 FROM vector_users WHERE user_id = ?", (user,)):
            vectors = brain._index.ids(user)
        else:
            vectors = set(brain._store.user_vectors(user, brain.embedder.dim)[0]) - {
                r["id"] for r in brain._store.rows(
                    "SELECT id FROM memories WHERE user_id = ? AND index_pending = 1", (user,))}
        for mid, text in writes.items():
            mem = rows.get(mid)
            if mem is None:  # not listed (e.g. superseded by a newer version): look it up by id
                mem = brain.get(mid)
            if mem is None or (mem.text != text and copies[text] == 0):
                missing += 1
                continue
            if copies[text] > 1:
                duplicated += 1
            if mem.is_current and not mem.archived and mid not in vectors:
                unindexed += 1
    return missing, duplicated, unindexed


def run_load(brain: Brain, *, writers: int, readers: int, seconds: float) -> LoadResult:
    stop = threading.Event()
    acked: dict[str, tuple[str, str]] = {}  # memory id -> (user id, its unique text)
    lock = threading.Lock()
    result = LoadResult(seconds=seconds, writes=0, reads=0)

    def writer(w: int) -> None:
        i = 0
        user = f"load-{w % _USERS}"
        while not stop.is_set():
            text = f"writer {w} note {i}: thinking about {_TOPICS[(w + i) % len(_TOPICS)]} (#{w}-{i})"
            start = time.perf_counter()
            try:
                mem = brain.remember(text, user_id=user, session_id=f"w{w}")
            except Exception as exc:  # recorded, and the audit still runs
                with lock:
                    result.errors.append(f"write: {exc!r}")
                continue  # retried with the same text: a retry must not create a second copy
            elapsed = time.perf_counter() - start
            with lock:
                acked[mem.id] = (user, text)
                result.writes += 1
                result.write_latencies.append(elapsed)
            i += 1

    def reader(r: int) -> None:
        i = 0
        while not stop.is_set():
            start = time.perf_counter()
            try:
                brain.recall(_TOPICS[(r + i) % len(_TOPICS)], user_id=f"load-{r % _USERS}", k=10)
            except Exception as exc:
                with lock:
                    result.errors.append(f"read: {exc!r}")
                continue
            with lock:
                result.reads += 1
                result.read_latencies.append(time.perf_counter() - start)
            i += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    threads += [threading.Thread(target=reader, args=(r,)) for r in range(readers)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - began
    result.missing, result.duplicated, result.unindexed = audit(brain, acked)
    return result


@contextmanager
def open_backend(backend: str, home: Path, *, embedder: Any = None) -> Iterator[Brain]:
    """A brain on `backend` under `home`; for "servers", on throwaway PostgreSQL + Chroma servers."""
    if backend == "embedded":
        from benchmarks.servers import backend_args

        with Brain(home, embedder=embedder, **backend_args(home)) as brain:
            yield brain
    elif backend == "servers":
        from benchmarks.servers import chroma_server, postgres_server

        with postgres_server() as pg, chroma_server() as vectors_url, \
                Brain(home, database=pg.url, vectors=vectors_url, embedder=embedder) as brain:
            yield brain
    else:
        raise ValueError(f"unknown backend {backend!r}; expected one of {BACKENDS}")


_LABELS = {"embedded": "embedded (SQLite + Chroma files)",
           "servers": "servers (PostgreSQL + Chroma server)"}


def table(results: dict[str, LoadResult]) -> str:
    """One markdown table, a row per backend."""
    lines = ["| backend | writes/s | reads/s | write p50 | write p99 | read p50 | read p99 | "
             "acknowledged writes | missing | duplicated | unindexed | errors |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for backend, result in results.items():
        s = result.summary()
        lines.append(
            f"| {_LABELS.get(backend, backend)} | {s['writes_per_s']:.1f} | {s['reads_per_s']:.1f} "
            f"| {s['write_p50_ms']:.0f} ms | {s['write_p99_ms']:.0f} ms | {s['read_p50_ms']:.0f} ms "
            f"| {s['read_p99_ms']:.0f} ms | {result.writes} | {result.missing} | "
            f"{result.duplicated} | {result.unindexed} | {len(result.errors)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results here")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    backends = list(BACKENDS) if args.backend == "both" else [args.backend]
    if "servers" in backends:
        from benchmarks.servers import find_chroma_bin, find_postgres_bin

        if find_postgres_bin() is None or find_chroma_bin() is None:
            parser.error("--backend servers needs PostgreSQL (initdb) and the `chroma` binary; "
                         "apt-get install postgresql, pip install chromadb")

    results: dict[str, LoadResult] = {}
    embedder = None  # the model is loaded once and shared by the backends' brains
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp, \
                open_backend(backend, Path(tmp) / "brain", embedder=embedder) as brain:
            embedder = brain.embedder
            brain.remember("warm up", user_id="load-0")
            brain.recall("warm up", user_id="load-0")
            results[backend] = run_load(brain, writers=args.writers, readers=args.readers,
                                        seconds=args.seconds)
        for error in results[backend].errors[:5]:
            print(f"{backend}: {error}")

    seconds = max(r.seconds for r in results.values())
    body = (
        f"{args.writers} writer and {args.readers} reader threads on one brain per backend for "
        f"{seconds:.0f} s (the real MiniLM encoder on every write and read). Servers: a throwaway "
        "PostgreSQL (fsync off) and Chroma server on loopback. Audit afterwards: every "
        "acknowledged write present exactly once in the system of record (by id and unique text) "
        "and with its vector in the index (`unindexed` counts those without).\n\n" + table(results)
    )
    print(body)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(
            [{"backend": b, "writers": args.writers, "readers": args.readers, **r.summary(),
              "error_samples": r.errors[:20]} for b, r in results.items()], indent=2) + "\n")
    if not args.no_doc:
        from benchmarks.report import write_section

        write_section("load", "## Load\n\n" + body,
                      command=f"python -m benchmarks.load --backend {args.backend} "
                              f"--writers {args.writers} --readers {args.readers} "
                              f"--seconds {args.seconds:g}")
    bad = any(r.missing or r.duplicated or r.unindexed or r.errors for r in results.values())
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
