"""Load test: concurrent writers and readers on one embedded brain, then an exactly-once audit.

`python -m benchmarks.load [--writers 8] [--readers 8] [--seconds 60]` runs W writer threads
(each `remember`s unique texts and records the ids it got back) and R reader threads (`recall`)
against one `Brain` for a fixed time, reports throughput and p50/p99 latency, then checks that
every acknowledged write is present exactly once (by id and by its unique text). Loopback only:
the embedded brain has no network at all.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from zenbrain import Brain

__all__ = ["LoadResult", "run_load"]

_TOPICS = ["the garden", "a trip to Porto", "the new bike", "Luna the cat", "the piano lesson",
           "a dentist visit", "the quarterly report", "grandma's birthday"]


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

    @staticmethod
    def _pct(values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> dict[str, float]:
        return {
            "writes_per_s": self.writes / self.seconds, "reads_per_s": self.reads / self.seconds,
            "write_p50_ms": 1000 * statistics.median(self.write_latencies or [float("nan")]),
            "write_p99_ms": 1000 * self._pct(self.write_latencies, 0.99),
            "read_p50_ms": 1000 * statistics.median(self.read_latencies or [float("nan")]),
            "read_p99_ms": 1000 * self._pct(self.read_latencies, 0.99),
            "missing": self.missing, "duplicated": self.duplicated, "errors": len(self.errors),
        }


def run_load(brain: Brain, *, writers: int, readers: int, seconds: float) -> LoadResult:
    stop = threading.Event()
    acked: dict[str, str] = {}  # memory id -> its unique text
    lock = threading.Lock()
    result = LoadResult(seconds=seconds, writes=0, reads=0)

    def writer(w: int) -> None:
        i = 0
        while not stop.is_set():
            text = f"writer {w} note {i}: thinking about {_TOPICS[(w + i) % len(_TOPICS)]} (#{w}-{i})"
            start = time.perf_counter()
            try:
                mem = brain.remember(text, user_id=f"load-{w % 4}", session_id=f"w{w}")
            except Exception as exc:  # recorded, and the audit still runs
                with lock:
                    result.errors.append(f"write: {exc!r}")
                continue
            elapsed = time.perf_counter() - start
            with lock:
                acked[mem.id] = text
                result.writes += 1
                result.write_latencies.append(elapsed)
            i += 1

    def reader(r: int) -> None:
        i = 0
        while not stop.is_set():
            start = time.perf_counter()
            try:
                brain.recall(_TOPICS[(r + i) % len(_TOPICS)], user_id=f"load-{r % 4}", k=10)
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
    counts = {row["text"]: row["n"] for row in
              brain._store.rows("SELECT text, COUNT(*) AS n FROM memories GROUP BY text")}
    result.missing = sum(1 for mid, text in acked.items()
                         if brain.get(mid) is None or counts.get(text, 0) == 0)
    result.duplicated = sum(1 for text in acked.values() if counts.get(text, 0) > 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, Brain(Path(tmp) / "brain") as brain:
        brain.remember("warm up", user_id="load-0")
        brain.recall("warm up", user_id="load-0")
        result = run_load(brain, writers=args.writers, readers=args.readers, seconds=args.seconds)
    s = result.summary()
    table = (
        f"{args.writers} writer and {args.readers} reader threads on one embedded brain for "
        f"{result.seconds:.0f} s (the real MiniLM encoder on every write and read).\n\n"
        "| writes/s | reads/s | write p50 | write p99 | read p50 | read p99 | acknowledged writes | "
        "missing | duplicated | errors |\n|---|---|---|---|---|---|---|---|---|---|\n"
        f"| {s['writes_per_s']:.1f} | {s['reads_per_s']:.1f} | {s['write_p50_ms']:.0f} ms | "
        f"{s['write_p99_ms']:.0f} ms | {s['read_p50_ms']:.0f} ms | {s['read_p99_ms']:.0f} ms | "
        f"{result.writes} | {result.missing} | {result.duplicated} | {len(result.errors)} |\n"
    )
    print(table)
    if not args.no_doc:
        from benchmarks.report import write_section

        write_section("load", "## Load (embedded)\n\n" + table,
                      command=f"python -m benchmarks.load --writers {args.writers} "
                              f"--readers {args.readers} --seconds {args.seconds:g}")
    return 0 if not (result.missing or result.duplicated or result.errors) else 1


if __name__ == "__main__":
    raise SystemExit(main())
