"""Sleep consolidation on LoCoMo: storage reduction against evidence recall, and sleep speed.

    python -m benchmarks.sleep_consolidation [--quick] [--conversations 0 1 ...] [--days 30]
                                              [--no-write]

Per conversation: a fresh `Brain` (temporary home, the real MiniLM model) ingests every turn with
its session time (`remember_many` per session, `speaker` = the turn's speaker, one user per
conversation, `metadata.dia_id` kept for scoring only). The home is then copied: copy A never
sleeps, copy B sleeps at T = last session + `--days` (30) days, and again at each later date
(`--later`, 30 and 90 days after T: a nightly job with nothing new to consolidate). Both copies
are asked every category 1–4 question with evidence as of T and as of each later date, read-only
(`recall(read_only=True)`: no further use, so asking cannot protect its own evidence).
Scoring: evidence recall@10 (`benchmarks.locomo.recall_at`); a consolidated memory counts every
turn in its `sources` (provenance counts, as in the recall benchmark). Reported: active
(non-archived, current) memories before/after, mean stability before/after (SleepReport), the
median stability of the memories active both before and after sleep (the same ids: strengthening,
not selection), the characters the top 10 hand a reader, sleep wall time, what was archived and
why.

Speed: one user with 10 000 synthetic memories (deterministic templates over a 400-day span; 2 000
with --quick), `sleep()` timed once at the end of the span + 30 days.

Skips cleanly (exit 0) when the LoCoMo file is absent.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks import locomo
from benchmarks.locomo_recall import CachingEmbedder

__all__ = ["main", "run_conversation", "speed"]

K = 10


def _ingest(brain, conv: locomo.Conversation, user: str) -> None:
    by_session: dict[int, list[locomo.Turn]] = defaultdict(list)
    for t in conv.turns:
        by_session[t.session].append(t)
    for session, turns in sorted(by_session.items()):
        brain.remember_many([{"text": t.text, "speaker": t.speaker, "at": t.at,
                              "metadata": {"dia_id": t.dia_id}} for t in turns],
                            user_id=user, session_id=f"s{session}")


def _dia_of(mem, brain, depth: int = 0, verbatim_in: str | None = None) -> set[str]:
    """The turns a recalled memory stands for: its own, or every source turn of a gist.

    With `verbatim_in` (strict scoring) a source turn counts only when that (gist) text quotes
    at least one of its sentences of three words or more verbatim (or the whole turn), i.e. the
    reader of the recollection actually sees something it said.
    """
    if "dia_id" in mem.metadata:
        if verbatim_in is not None and depth > 0 and not _quoted(mem.text, verbatim_in):
            return set()
        return {mem.metadata["dia_id"]}
    out: set[str] = set()
    if depth < 2:
        for s in mem.sources:
            src = brain.get(s) if s.startswith("mem_") else None
            if src is not None:
                out |= _dia_of(src, brain, depth + 1, verbatim_in)
    return out


def _quoted(turn: str, shown: str) -> bool:
    from zenbrain.context.text import sentences

    # The template drops a clause's closing punctuation; compare the words it keeps.
    whole = turn.strip().rstrip(".!?;")
    return whole in shown or any(
        s.rstrip(".!?;") in shown for s in sentences(turn) if len(s.split()) >= 3)


def _stabilities(brain, user: str) -> dict[str, float]:
    """Stability (days) of every active, current memory of the user."""
    return {m.id: m.stability for m in brain._store.select_memories(
        "user_id = ? AND archived = 0 AND is_current = 1", (user,))}


def _score(brain, conv: locomo.Conversation, at: datetime) -> dict[str, list[float]]:
    """Per question: recall@10 with provenance, strict (verbatim) recall@10, characters read."""
    out: dict[str, list[float]] = {"prov": [], "strict": [], "chars": []}
    for q in conv.questions:
        if q.category == 5:
            continue
        recs = brain.recall(q.question, user_id=conv.sample_id, k=K, at=at, read_only=True)
        out["prov"].append(locomo.recall_at(
            q.evidence, [_dia_of(r.memory, brain) for r in recs], K))
        out["strict"].append(locomo.recall_at(
            q.evidence, [_dia_of(r.memory, brain, verbatim_in=r.text) for r in recs], K))
        out["chars"].append(float(sum(len(r.text) for r in recs)))
    return out


def run_conversation(conv: locomo.Conversation, emb: CachingEmbedder, days: float,
                     later: tuple[float, ...] = ()) -> dict:
    from zenbrain import Brain

    at = conv.end + timedelta(days=days)
    dates = [at + timedelta(days=d) for d in later]
    with tempfile.TemporaryDirectory() as tmp:
        home_a, home_b = Path(tmp) / "a", Path(tmp) / "b"
        brain = Brain(home_a, embedder=emb)
        try:
            _ingest(brain, conv, conv.sample_id)
        finally:
            brain.close()
        shutil.copytree(home_a, home_b)
        brain = Brain(home_a, embedder=emb)
        try:
            pre_all = _score(brain, conv, at)
            pre_later = [_score(brain, conv, when)["prov"] for when in dates]
        finally:
            brain.close()
        brain = Brain(home_b, embedder=emb)
        try:
            before = _stabilities(brain, conv.sample_id)
            t0 = time.perf_counter()
            report = brain.sleep(conv.sample_id, now=at)
            wall = time.perf_counter() - t0
            after = _stabilities(brain, conv.sample_id)
            post_all = _score(brain, conv, at)
            archived = [brain.get(i) for i in report.archived_ids[:3]]
            post_later, active_later = [], []
            for when in dates:
                active_later.append(brain.sleep(conv.sample_id, now=when).active_count_after)
                post_later.append(_score(brain, conv, when)["prov"])
        finally:
            brain.close()
    return {"id": conv.sample_id, "turns": len(conv.turns), "pre": pre_all["prov"],
            "post": post_all["prov"], "pre_all": pre_all, "post_all": post_all,
            "survivors": [(before[i], after[i]) for i in before if i in after],
            "later": [(d, a, b, n) for d, a, b, n in zip(later, pre_later, post_later,
                                                         active_later, strict=True)],
            "report": report, "wall": wall, "sample_archived": archived}


_NAMES = ["Luna", "Max", "Bella", "Oscar", "Milo", "Coco", "Rex", "Nala", "Leo", "Zoe"]
_PLACES = ["Berlin", "Munich", "Paris", "Lisbon", "Oslo", "Vienna", "Prague", "Madrid"]
_ACTS = ["took {n} to the vet", "walked {n} along the river", "bought new food for {n}",
         "met Anna for coffee in {p}", "finished the report about {p}", "booked a train to {p}",
         "cooked pasta with {n}", "read a book about {p}", "fixed the bike before going to {p}",
         "watched a film with {n}", "planted tomatoes while {n} watched", "called mum about {p}"]
_MOODS = ["", " It was fine.", " I felt calm.", " It took all afternoon.", " Nothing special."]


def synthetic(n: int, seed: int = 7) -> list[dict]:
    """`n` deterministic first-person episodes over 400 days (no real data)."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 8, tzinfo=UTC)
    rows = []
    for i in range(n):
        act = rng.choice(_ACTS).format(n=rng.choice(_NAMES), p=rng.choice(_PLACES))
        text = f"On day {i // 25} I {act}.{rng.choice(_MOODS)} (note {i})"
        rows.append({"text": text, "at": start + timedelta(minutes=int(i * 400 * 1440 / n))})
    return rows


def speed(n: int, emb: CachingEmbedder, days: float = 30.0) -> dict:
    from zenbrain import Brain

    rows = synthetic(n)
    with tempfile.TemporaryDirectory() as tmp:
        brain = Brain(Path(tmp) / "b", embedder=emb)
        try:
            t0 = time.perf_counter()
            for start in range(0, n, 500):
                brain.remember_many(rows[start:start + 500], user_id="speed",
                                    session_id=f"w{start // 500}")
            ingest = time.perf_counter() - t0
            now = rows[-1]["at"] + timedelta(days=days)
            t0 = time.perf_counter()
            report = brain.sleep("speed", now=now)
            wall = time.perf_counter() - t0
        finally:
            brain.close()
    return {"n": n, "ingest": ingest, "wall": wall, "report": report}


HOW = """**How sleep keeps recall.** A gist quotes each member verbatim (System-1 template, packed to
≤ 600 characters), so a consolidated episode is redundant: it is archived (reason `redundant`) once
its own copy stops serving recall (M < 0.3), and a query that matches it — by keywords, vector or
graph — is served its gist at that rank (`zenbrain/recall/gist_redirect.py`). Episodes no gist
covers stay: the Information-Bottleneck `decay` rule is opt-in (`forget_unconsolidated`), because
it archived the only copy of evidence turns for ~2% storage. Before these changes (packing that
measured the already-cut text, so gists lost 64% of their members' words; no redirect; IB decay
on) the same run gave −58.7% active memories at 0.81× recall@10."""


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else float("nan")


def table(results: list[dict], fast: dict | None, days: float) -> str:
    lines = ["| conversation | turns | active before → after | reduction | recall@10 pre → post "
             "(ratio) | mean stability before → after (d) | summaries | archived | sleep s |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        rep = r["report"]
        pre, post = _mean(r["pre"]), _mean(r["post"])
        lines.append(
            f"| {r['id']} | {r['turns']} | {rep.active_count_before} → {rep.active_count_after} | "
            f"{1 - rep.active_count_after / max(1, rep.active_count_before):.1%} | "
            f"{pre:.3f} → {post:.3f} ({post / pre if pre else float('nan'):.3f}) | "
            f"{rep.mean_stability_before:.1f} → {rep.mean_stability_after:.1f} | "
            f"{len(rep.semantic_created)} | {len(rep.archived_ids)} | {r['wall']:.1f} |")
    before = sum(r["report"].active_count_before for r in results)
    after = sum(r["report"].active_count_after for r in results)
    pre = _mean([x for r in results for x in r["pre"]])
    post = _mean([x for r in results for x in r["post"]])
    sb = _mean([r["report"].mean_stability_before for r in results])
    sa = _mean([r["report"].mean_stability_after for r in results])
    n_q = sum(len(r["pre"]) for r in results)
    lines.append(f"| **all ({len(results)})** | {sum(r['turns'] for r in results)} | "
                 f"**{before} → {after}** | **{1 - after / max(1, before):.1%}** | "
                 f"**{pre:.3f} → {post:.3f} ({post / pre if pre else float('nan'):.3f})** "
                 f"(n={n_q}) | {sb:.1f} → {sa:.1f} ({sa / sb - 1:+.0%}) | "
                 f"{sum(len(r['report'].semantic_created) for r in results)} | "
                 f"{sum(len(r['report'].archived_ids) for r in results)} | "
                 f"{sum(r['wall'] for r in results):.1f} |")
    reasons = Counter(v for r in results for v in r["report"].archive_reasons.values())
    out = ["Sleep runs at T = last session + "
           f"{days:g} days; both recalls are asked as of T (copy A before sleep, copy B after).",
           "Targets: active memories −40% or more, recall@10 ≥ 0.98× pre-sleep; the memories "
           "active both before and after sleep +30% median stability or more; the text the top "
           "10 hand a reader ≤ 1.5× pre-sleep; recall@10 30 and 90 days later, with no further "
           "use, ≥ 1.05× the brain that never slept.", "",
           *lines, "",
           "Archive reasons: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) + "."]
    if all("pre_all" in r for r in results) and results:
        def pooled(when: str, key: str) -> list[float]:
            return [x for r in results for x in r[when][key]]

        s_pre, s_post = _mean(pooled("pre_all", "strict")), _mean(pooled("post_all", "strict"))
        c_pre = statistics.median(pooled("pre_all", "chars"))
        c_post = statistics.median(pooled("post_all", "chars"))
        out += ["", f"Stricter reading: a gist counts only the source turns it quotes (a "
                f"sentence of theirs, verbatim) — recall@10 {s_pre:.3f} → {s_post:.3f} "
                f"({s_post / s_pre if s_pre else float('nan'):.3f}×). Text the top 10 hand to a "
                f"reader, median per question: {c_pre:,.0f} → {c_post:,.0f} characters "
                f"({c_post / c_pre if c_pre else float('nan'):.2f}×); a recalled gist hands "
                f"over only its two sentences that bear most on the question (`zenbrain/recall/gist_view.py`)."]
        pairs = [p for r in results for p in r.get("survivors", [])]
        if pairs:
            sb = statistics.median(b for b, _ in pairs)
            sa = statistics.median(a for _, a in pairs)
            out += ["", f"**Strengthening:** memories active both before and after sleep "
                    f"({len(pairs):,}): median stability {sb:.1f} → {sa:.1f} d "
                    f"(**{sa / sb - 1:+.0%}**); the mean over all "
                    f"active memories (table) also changes with what is archived (redundant "
                    f"episodes, often emotional ones with S up to 3 × 14 d) and what is created "
                    f"(a gist starts at the SPEC's FSRS S = 3.7145·(1 + 0.5·(n − 1))·1.5 d, or "
                    f"at its strongest member's S when that is higher)."]
        later = [r["later"] for r in results if r.get("later")]
        if later:
            out += ["", "Later, with no further use (copy A never sleeps; copy B slept at T and "
                    "sleeps again at each date):", "",
                    "| as of | recall@10 never slept | recall@10 slept | ratio | active slept / "
                    "never slept |", "|---|---|---|---|---|"]
            total = sum(r["report"].active_count_before for r in results)
            for j, (d, *_rest) in enumerate(later[0]):
                a = _mean([x for rows in later for x in rows[j][1]])
                b = _mean([x for rows in later for x in rows[j][2]])
                n = sum(rows[j][3] for rows in later)
                out.append(f"| T + {d:g} d | {a:.3f} | {b:.3f} | **{b / a if a else float('nan'):.3f}** | "
                           f"{n:,} / {total:,} ({n / max(1, total) - 1:+.0%}) |")
    out += ["", HOW, ""]
    sample = next((r["sample_archived"] for r in results if r["sample_archived"]), [])
    if sample:
        out.append("Sample archived (" + results[0]["id"] + "): " + "; ".join(
            f"`{m.text[:70]}` ({m.archive_reason})" for m in sample if m is not None) + ".")
    if fast is not None:
        rep = fast["report"]
        out += ["", f"Speed: one user, {fast['n']:,} synthetic memories (ingest "
                f"{fast['ingest']:.0f} s): **sleep {fast['wall']:.1f} s** "
                f"(target < 120 s); active {rep.active_count_before:,} → "
                f"{rep.active_count_after:,}, {len(rep.semantic_created):,} summaries, "
                f"{len(rep.archived_ids):,} archived."]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2 conversations, 2k-memory speed run")
    ap.add_argument("--conversations", type=int, nargs="*", help="indices into locomo10.json")
    ap.add_argument("--days", type=float, default=30.0, help="sleep this long after the end")
    ap.add_argument("--later", type=float, nargs="*", default=[30.0, 90.0],
                    help="also ask this many days after T, with no further use")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--no-write", action="store_true", help="do not update docs/BENCHMARKS.md")
    args = ap.parse_args(argv)
    if not locomo.data_path().exists():
        print(f"LoCoMo data not found at {locomo.data_path()}; skipping.")
        return 0
    from zenbrain.embeddings import make_embedder

    emb = CachingEmbedder(make_embedder("minilm", device="auto"))
    convs = locomo.load()
    picks = args.conversations if args.conversations is not None else (
        [0, 1] if args.quick else list(range(len(convs))))
    results = []
    for i in picks:
        r = run_conversation(convs[i], emb, args.days, tuple(args.later))
        print(f"{r['id']}: active {r['report'].active_count_before} → "
              f"{r['report'].active_count_after}, recall@10 {_mean(r['pre']):.3f} → "
              f"{_mean(r['post']):.3f}, sleep {r['wall']:.1f} s", flush=True)
        results.append(r)
    fast = None if args.no_speed else speed(2_000 if args.quick else 10_000, emb)
    if fast is not None:
        print(f"speed: {fast['n']} memories, sleep {fast['wall']:.1f} s", flush=True)
    body = table(results, fast, args.days)
    print(body)
    if not args.no_write:
        from benchmarks.report import write_section

        cmd = "python -m benchmarks.sleep_consolidation" + (" --quick" if args.quick else "")
        write_section("sleep_consolidation", body, command=cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
