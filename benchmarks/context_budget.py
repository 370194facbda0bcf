"""Evidence within a token budget: the context an agent actually pastes, side by side.

    python -m benchmarks run context [--quick] [--no-mem0] [--no-engram] [--conversations 1 2 ...]

Recall@k counts items; a prompt pays for bytes. Here every system fills the same budget of B
tokens (B = 500, 1000, 2000; tokens = ⌈UTF-8 bytes / 4⌉ of the text handed over, the rule of
`zenbrain.estimate_tokens`) and the score is the share of a question's evidence turns held by
what fits.

- **Baselines** (flat cosine, BM25, BM25 + cosine RRF: the rankings of `benchmarks/systems/`;
  mem0 with `infer=False` when `.venv-mem0` exists) hand over turns, one line each, formatted
  like ZenBrain's lines less its citation handle and quotes: `- YYYY-MM-DD Speaker: text`. They retrieve
  over "Speaker: text", as in the quality benchmark.
- **engram-search 0.1.7** (`.venv-engram`, `benchmarks/engram_worker.py`): its own documents
  (6-turn chunks overlapping by one, a "[timestamp] " prefix, "Name: text" lines; a preference
  and a topic document per session) ranked by its hybrid pipeline, all-MiniLM-L6-v2 offline; a
  document is handed over as its text. A chunk holds its turns; the preference document holds
  the turns its phrases were taken from; the topic document holds none.
- All of these are packed by one greedy rule (`fill`), the rule of ZenBrain's packer: in rank
  order, an item is taken when its line (+ 1 byte for its newline) fits what is left, else
  skipped, and later, smaller items may still fit.
- **ZenBrain**: `Brain.context(question, user_id=…, budget_tokens=B, at=…)` as is (prefix
  included: it counts toward the budget, as in real use). An item holds the turns of its memory
  and, following `sources`, of every memory it was written from (a gist counts its source
  turns, as in the quality benchmark); a line cut at a sentence boundary, or quoting only the
  sentences that bear on the question (`Brain.context` leaves the small talk around a fact
  out), still counts its memory. That is the point of the metric: what a line costs against
  the evidence it carries.

Data: LoCoMo categories 1-4 (asked one day after the last session; ZenBrain ingests as in the
quality benchmark, `remember_many` per session) and the long-horizon benchmark (its generator,
questions and gold turn; ZenBrain is fed by `longhorizon.run_zenbrain`, recall traffic on every
user turn included, and `Brain.context` takes the place of each question's recall). Baselines see
the turns said before each long-horizon question. Cache check: per conversation or user, the
prefix of `Brain.context` for two different questions at the same instant, byte for byte.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import locomo

__all__ = ["BUDGETS", "CHARS", "SYSTEMS", "evidence_within", "fill", "line", "line_cost", "pack",
           "run", "section", "summarise"]

BUDGETS = (500, 1000, 2000)
CHARS = {500: 2000, 2000: 8000}  # the budgets in characters (4 a token)
BYTES_PER_TOKEN = 4  # zenbrain.estimate_tokens: ⌈UTF-8 bytes / 4⌉
SYSTEMS = ("flat", "bm25", "hybrid", "mem0", "engram", "zenbrain")
DIAGNOSTICS = ("zenbrain-recall",)  # shown below the systems; never judged as one
LABELS = {"flat": "flat cosine", "bm25": "BM25", "hybrid": "hybrid (BM25 + cosine, RRF)",
          "mem0": "mem0 (infer=False)", "engram": "engram-search 0.1.7 (hybrid)",
          "zenbrain": "ZenBrain `context`",
          "zenbrain-recall": "_diagnostic:_ ZenBrain `recall` packed like a baseline"}
DEPTH = 300  # ranked turns per baseline question: far more than 2000 tokens hold
ENGRAM_DEPTH = 60  # engram documents (6-turn chunks) per question
CATEGORIES = (1, 2, 3, 4)


# ---- the metric (pure) -------------------------------------------------------------------------


def line(at: datetime, speaker: str, text: str) -> str:
    """A baseline's turn as handed over: `- YYYY-MM-DD Speaker: text` (ZenBrain's lines carry
    the same date and speaker, plus a citation handle and JSON quotes)."""
    return f"- {at:%Y-%m-%d} {speaker}: {text}"


def line_cost(text: str) -> int:
    """Bytes an item takes in the text handed over: its UTF-8 length + 1 for its newline."""
    return len(text.encode("utf-8")) + 1


def fill(costs: Sequence[int], budget: int) -> list[int]:
    """Indices of the items that fill `budget` bytes: in rank order, an item is taken when it fits
    what is left and skipped otherwise (a later, smaller one may still fit)."""
    taken, used = [], 0
    for i, cost in enumerate(costs):
        if used + cost <= budget:
            taken.append(i)
            used += cost
    return taken


def evidence_within(evidence: Sequence[str], held: Iterable[Iterable[str]]) -> float:
    """Share of the evidence turns that the items handed over hold."""
    covered = {t for item in held for t in item}
    return sum(1 for e in evidence if e in covered) / len(evidence)


def pack(items: Sequence[tuple[str, Iterable[str]]], budget_tokens: int
         ) -> tuple[set[str], int]:
    """(turns held, tokens used) of ranked items (text, turns it holds) packed by `fill` into
    `budget_tokens`. The text handed over is the taken lines joined by newlines."""
    taken = fill([line_cost(text) for text, _ in items], budget_tokens * BYTES_PER_TOKEN)
    text = "\n".join(items[i][0] for i in taken)
    held = {t for i in taken for t in items[i][1]}
    return held, -(-len(text.encode("utf-8")) // BYTES_PER_TOKEN)


# ---- results -----------------------------------------------------------------------------------


class Collector:
    """Per system, per question: the category and, per budget, (evidence share, tokens used)."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.cache = {"identical": 0, "total": 0, "with_prefix": 0, "prefix_tokens": []}
        # ZenBrain: per question and budget, evidence share its candidates held but left out
        self.lost: list[dict[str, dict[str, float]]] = []

    def add(self, system: str, qid: str, category: int | None, evidence: Sequence[str],
            per_budget: dict[int, tuple[set[str], int]]) -> None:
        self.rows[system].append({
            "q": qid, "cat": category,
            "budgets": {str(b): [evidence_within(evidence, [held]), tokens]
                        for b, (held, tokens) in per_budget.items()}})

    def add_ranked(self, system: str, qid: str, category: int | None, evidence: Sequence[str],
                   items: Sequence[tuple[str, Iterable[str]]]) -> None:
        self.add(system, qid, category, evidence, {b: pack(items, b) for b in BUDGETS})

    def check_prefix(self, prefixes: Sequence[tuple[str, str]]) -> None:
        """One conversation or user: (prefix for question 1, prefix for question 2) per budget."""
        self.cache["total"] += 1
        self.cache["identical"] += all(a == b for a, b in prefixes)
        self.cache["with_prefix"] += any(a for a, _ in prefixes)
        self.cache["prefix_tokens"] += [-(-len(a.encode()) // BYTES_PER_TOKEN)
                                        for a, _ in prefixes]


def summarise(rows: dict[str, list[dict[str, Any]]], *, categories: bool) -> dict[str, Any]:
    """system → {"overall"|"1".."4": {budget: {"evidence": mean, "tokens_p50": median, "n"}}}."""
    out: dict[str, Any] = {}
    keys: list[tuple[str, tuple[int, ...] | None]] = [("overall", None)]
    if categories:
        keys += [(str(c), (c,)) for c in CATEGORIES]
    for system, qs in rows.items():
        out[system] = {}
        for key, cats in keys:
            sel = [r for r in qs if cats is None or r["cat"] in cats]
            out[system][key] = {
                str(b): {"evidence": statistics.fmean(r["budgets"][str(b)][0] for r in sel)
                         if sel else float("nan"),
                         "tokens_p50": statistics.median(r["budgets"][str(b)][1] for r in sel)
                         if sel else float("nan"),
                         "n": len(sel)}
                for b in BUDGETS}
    return out


# ---- ZenBrain ----------------------------------------------------------------------------------


LOST_ORDER = ("stale", "no room", "duplicate")  # a lost turn is put under the first that applies


def _zenbrain_held(ctx: Any, dia: dict[str, set[str]], store: Any) -> set[str]:
    from benchmarks.locomo_recall import _turns_of

    return {t for item in ctx.items for t in _turns_of(item.id, item.sources, dia, store)}


def lost_evidence(evidence: Sequence[str], held: set[str],
                  left_out: dict[str, set[str]]) -> dict[str, float]:
    """Share of the evidence that candidates left out held and the context does not, by reason
    (`left_out`: reason → turns of the candidates left out for it; the first of `LOST_ORDER`
    that applies wins, then any other reason)."""
    out: dict[str, float] = {}
    order = [*LOST_ORDER, *sorted(set(left_out) - set(LOST_ORDER))]
    for e in evidence:
        if e in held:
            continue
        why = next((r for r in order if e in left_out.get(r, ())), None)
        if why is not None:
            out[why] = out.get(why, 0.0) + 1 / len(evidence)
    return out


def _left_out_turns(ctx: Any, dia: dict[str, set[str]], store: Any) -> dict[str, set[str]]:
    from benchmarks.locomo_recall import _turns_of

    out: dict[str, set[str]] = defaultdict(set)
    for mid, why in ctx.left_out.items():
        mem = store.get(mid)
        out[why.split(":")[0]] |= _turns_of(mid, mem.sources if mem else (), dia, store)
    return out


def _recall_items(brain: Any, text: str, user: str, at: datetime, dia: dict[str, set[str]]
                  ) -> list[tuple[str, set[str]]]:
    """Diagnostic: ZenBrain's recall ranking handed over like a baseline's (one line per memory,
    `line()`; a gist holds its source turns), read-only, as many candidates as `context` asks
    for at the largest budget."""
    from benchmarks.locomo_recall import _dia_of
    from zenbrain.context.build import candidates_for

    recs = brain.recall(text, user_id=user, at=at, read_only=True,
                        k=candidates_for(max(BUDGETS), max_k=brain.config.max_k))
    return [(line(r.memory.created_at, r.memory.speaker or "user", r.text),
             _dia_of(r, dia, brain._store)) for r in recs]


def _ask_zenbrain(brain: Any, col: Collector, *, qid: str, category: int | None, text: str,
                  user: str, at: datetime, evidence: Sequence[str], dia: dict[str, set[str]],
                  other: str | None) -> None:
    """`Brain.context` at every budget; with `other` (another question), the cache check. Also
    the diagnostics: what its candidates held but it left out, and its recall packed like a
    baseline's."""
    store = brain._store
    ctxs = {b: brain.context(text, user_id=user, budget_tokens=b, at=at) for b in BUDGETS}
    held = {b: _zenbrain_held(c, dia, store) for b, c in ctxs.items()}
    col.add("zenbrain", qid, category, evidence, {b: (held[b], c.tokens_used)
                                                  for b, c in ctxs.items()})
    col.lost.append({str(b): lost_evidence(evidence, held[b], _left_out_turns(c, dia, store))
                     for b, c in ctxs.items()})
    col.add_ranked("zenbrain-recall", qid, category, evidence,
                   _recall_items(brain, text, user, at, dia))
    if other is not None:
        col.check_prefix([(ctxs[b].prefix,
                           brain.context(other, user_id=user, budget_tokens=b, at=at).prefix)
                          for b in BUDGETS])


# ---- LoCoMo ------------------------------------------------------------------------------------


def _baseline_ranks(query: str, qvec: Any, mat: Any, bm: Any, n: int) -> dict[str, list[int]]:
    """flat, BM25 and their RRF hybrid (each route's top `hybrid.DEPTH`, as `systems.hybrid`)."""
    from benchmarks.locomo_recall import _bm25_rank, _rrf
    from benchmarks.systems import flat, hybrid

    dense = flat.rank_ids(mat, qvec, DEPTH)
    sparse = _bm25_rank(bm, query, DEPTH, n)
    return {"flat": dense, "bm25": sparse,
            "hybrid": _rrf(sparse[:hybrid.DEPTH], dense[:hybrid.DEPTH])[:DEPTH]}


def _engram_session_entries(user: str, turns: Sequence[Any], speakers: dict[str, str],
                            role: Callable[[Any], str], tid: Callable[[Any], str],
                            session: Callable[[Any], str]) -> dict[str, Any]:
    by_session: dict[str, list[Any]] = defaultdict(list)
    for t in turns:
        by_session[session(t)].append(t)
    return {"user_id": user, "speaker_names": speakers, "questions": [], "sessions": [
        {"session_id": f"session_{s}", "timestamp": _engram_stamp(ts[0].at),
         "turns": [{"id": tid(t), "role": role(t), "content": t.text} for t in ts]}
        for s, ts in by_session.items()]}


def _engram_stamp(at: datetime) -> str:
    """LoCoMo's own date format ("1:56 pm on 8 May, 2023"), which engram's script passes on."""
    return f"{at.hour % 12 or 12}:{at:%M} {'am' if at.hour < 12 else 'pm'} on {at.day} " \
           f"{at:%B}, {at.year}"


def _engram(col: Collector, entries: list[dict[str, Any]], order: list[tuple[str, str, int | None,
            Sequence[str]]], info: dict[str, Any], notes: list[str], use: bool) -> None:
    """Run the worker over `entries`; `order` lists (user, qid, category, evidence) per question
    in the entries' order."""
    from benchmarks.systems import engram

    if not use:
        notes.append("engram skipped (--no-engram).")
        return
    ok, why = engram.available()
    if not ok:
        notes.append(why)
        return
    t0 = time.perf_counter()
    ranked, meta = engram.run_entries(entries, depth=ENGRAM_DEPTH)
    meta["wall_s"] = time.perf_counter() - t0
    info["engram"] = meta
    pos: dict[str, int] = defaultdict(int)
    for user, qid, cat, evidence in order:
        docs = ranked[user][pos[user]]
        pos[user] += 1
        col.add_ranked("engram", qid, cat, evidence, [(d["text"], d["turns"]) for d in docs])


def run_locomo(picked: Sequence[tuple[locomo.Conversation, Sequence[locomo.Question]]], emb: Any,
               *, use_mem0: bool, use_engram: bool, notes: list[str],
               progress: Callable[[], None] | None = None) -> dict[str, Any]:
    from benchmarks.locomo_recall import _bm25, _ingest
    from zenbrain import Brain

    col = Collector()
    info: dict[str, Any] = {"conversations": [c.sample_id for c, _ in picked],
                            "turns": sum(len(c.turns) for c, _ in picked),
                            "questions": sum(len(qs) for _, qs in picked), "timing_s":
                            defaultdict(float)}
    timing = info["timing_s"]
    lines: dict[str, dict[str, str]] = {}
    for conv, qs in picked:
        t0 = time.perf_counter()
        lines[conv.sample_id] = {t.dia_id: line(t.at, t.speaker, t.text) for t in conv.turns}
        ids = [t.dia_id for t in conv.turns]
        mat = emb.embed([locomo.indexed_text(t) for t in conv.turns])
        qvecs = emb.embed([q.question for q in qs])
        bm = _bm25([locomo.indexed_text(t) for t in conv.turns])
        for i, (q, qv) in enumerate(zip(qs, qvecs, strict=True)):
            for name, ranks in _baseline_ranks(q.question, qv, mat, bm, len(ids)).items():
                col.add_ranked(name, f"{conv.sample_id}/{i}", q.category, q.evidence,
                               [(lines[conv.sample_id][ids[j]], (ids[j],)) for j in ranks])
        timing["baselines"] += time.perf_counter() - t0
        at = conv.end + timedelta(days=1)
        with tempfile.TemporaryDirectory(prefix="zb-context-") as tmp, \
                Brain(Path(tmp) / "brain", embedder=emb) as brain:
            t0 = time.perf_counter()
            dia = _ingest(brain, conv, conv.sample_id)
            timing["zenbrain_ingest"] += time.perf_counter() - t0
            t0 = time.perf_counter()
            for i, q in enumerate(qs):
                other = qs[1].question if i == 0 and len(qs) > 1 else None
                _ask_zenbrain(brain, col, qid=f"{conv.sample_id}/{i}", category=q.category,
                              text=q.question, user=conv.sample_id, at=at, evidence=q.evidence,
                              dia=dia, other=other)
                if progress is not None:
                    progress()
            timing["zenbrain_context"] += time.perf_counter() - t0
        print(f"context: {conv.sample_id} done ({len(conv.turns)} turns, {len(qs)} questions)",
              file=sys.stderr)
    order = [(c.sample_id, f"{c.sample_id}/{i}", q.category, q.evidence)
             for c, qs in picked for i, q in enumerate(qs)]
    if use_mem0:
        _mem0_locomo(col, picked, lines, order, info, notes)
    else:
        notes.append("mem0 skipped (--no-mem0).")
    entries = []
    for conv, qs in picked:
        first = conv.speakers[0]  # engram's script: the first speaker is "user"
        entry = _engram_session_entries(
            conv.sample_id, conv.turns, {"user": first, "assistant": conv.speakers[1]},
            role=lambda t, first=first: "user" if t.speaker == first else "assistant",
            tid=lambda t: t.dia_id, session=lambda t: str(t.session))
        entry["questions"] = [q.question for q in qs]
        entries.append(entry)
    _engram(col, entries, order, info, notes, use_engram)
    return {"systems": summarise(col.rows, categories=True), "cache": _cache(col),
            "lost": _lost(col), "info": info, "rows": col.rows}


def _mem0_locomo(col: Collector, picked: Sequence[tuple[locomo.Conversation, Any]],
                 lines: dict[str, dict[str, str]], order: list[tuple[str, str, int | None,
                 Sequence[str]]], info: dict[str, Any], notes: list[str]) -> None:
    from benchmarks.systems import mem0 as mem0_sys

    ok, why = mem0_sys.available()
    if not ok:
        notes.append(why)
        return
    ranked, info["mem0"] = mem0_sys.run_all(picked, k=DEPTH)
    pos: dict[str, int] = defaultdict(int)
    for user, qid, cat, evidence in order:
        row = ranked[user][pos[user]]
        pos[user] += 1
        col.add_ranked("mem0", qid, cat, evidence,
                       [(lines[user][d], (d,)) for item in row for d in item])


def _lost(col: Collector) -> dict[str, dict[str, float]]:
    """budget → reason → mean share of the evidence ZenBrain's candidates held but left out."""
    n = len(col.lost)
    out: dict[str, dict[str, float]] = {}
    for b in BUDGETS:
        sums: dict[str, float] = defaultdict(float)
        for q in col.lost:
            for why, share in q[str(b)].items():
                sums[why] += share
        out[str(b)] = {why: v / n for why, v in sums.items()} if n else {}
    return out


def _cache(col: Collector) -> dict[str, Any]:
    c = col.cache
    return {"identical": c["identical"], "total": c["total"], "with_prefix": c["with_prefix"],
            "prefix_tokens_p50": statistics.median(c["prefix_tokens"]) if c["prefix_tokens"]
            else 0}


# ---- long horizon ------------------------------------------------------------------------------


def run_longhorizon(data: Any, emb: Any, *, use_mem0: bool, use_engram: bool, notes: list[str],
                    progress: Callable[[], None] | None = None) -> dict[str, Any]:
    from benchmarks import longhorizon as lh

    col = Collector()
    info: dict[str, Any] = {"data": lh.describe(data), "timing_s": defaultdict(float)}
    timing = info["timing_s"]
    turns = data.turns()
    lines = {t.id: line(t.at, t.speaker, t.text) for t in turns.values()}
    t0 = time.perf_counter()
    entries, order = [], []
    for a in lh.asked_questions(data, emb):
        u, q, said = a.user, a.question, a.turns
        if a.new_cut:
            entries.append(_engram_session_entries(
                u.uid, said[:a.cut], {"user": u.name, "assistant": lh.ASSISTANT},
                role=lambda t: "assistant" if t.speaker == lh.ASSISTANT else "user",
                tid=lambda t: t.id, session=lambda t: t.session))
        entries[-1]["questions"].append(q.text)
        order.append((u.uid, q.id, None, (q.gold,)))
        for name, ranks in _baseline_ranks(q.text, a.qvec, a.vectors, a.bm25, a.cut).items():
            col.add_ranked(name, q.id, None, (q.gold,),
                           [(lines[said[j].id], (said[j].id,)) for j in ranks])
    timing["baselines"] = time.perf_counter() - t0

    checked: set[str] = set()
    others = {u.uid: [q.text for q in u.questions] for u in data.users}

    def ask(brain: Any, q: Any, dia: dict[str, set[str]]) -> None:
        other = None
        if q.user not in checked:
            checked.add(q.user)
            other = next((t for t in others[q.user] if t != q.text), None)
        _ask_zenbrain(brain, col, qid=q.id, category=None, text=q.text, user=q.user, at=q.at,
                      evidence=(q.gold,), dia=dia, other=other)

    t0 = time.perf_counter()
    res = lh.run_zenbrain(data, emb, sleep=False, progress=progress, ask=ask)
    timing["zenbrain"] = time.perf_counter() - t0
    info["zenbrain"] = res["info"]
    if use_mem0:
        from benchmarks.systems import mem0 as mem0_sys

        ok, why = mem0_sys.available()
        if ok:
            ranked, info["mem0"] = lh.run_mem0(data, k=DEPTH)
            for q in data.questions:
                col.add_ranked("mem0", q.id, None, (q.gold,),
                               [(lines[t], (t,)) for item in ranked[q.id] for t in item])
        else:
            notes.append(why)
    else:
        notes.append("mem0 skipped (--no-mem0).")
    _engram(col, entries, order, info, notes, use_engram)
    return {"systems": summarise(col.rows, categories=False), "cache": _cache(col),
            "lost": _lost(col), "info": info, "rows": col.rows}


# ---- the run -----------------------------------------------------------------------------------


def run(*, quick: bool = False, conversations: Sequence[str] | None = None,
        max_turns: int | None = None, max_questions: int | None = None,
        users: int | None = None, density: float = 1.0, seed: int | None = None,
        use_mem0: bool = True, use_engram: bool = True, embedder: Any = None,
        write: bool = True, doc: Path | None = None, command: str | None = None
        ) -> dict[str, Any]:
    """Both data sets, every system; saves `benchmarks/results/context.json` and the "context"
    section of docs/BENCHMARKS.md when `write`. LoCoMo is skipped (with a note) when its file is
    absent."""
    from rich.progress import Progress

    from benchmarks import longhorizon as lh
    from benchmarks import quality
    from benchmarks.locomo_recall import CachingEmbedder

    t_all = time.perf_counter()
    if embedder is None:
        from zenbrain.embeddings import make_embedder

        embedder = make_embedder("minilm", device="cpu")
    emb = embedder if isinstance(embedder, CachingEmbedder) else CachingEmbedder(embedder)
    notes: list[str] = []
    summary: dict[str, Any] = {"budgets": list(BUDGETS), "notes": notes, "locomo": None,
                               "longhorizon": None}
    path = locomo.data_path()
    picked = []
    if path.exists():
        picked = quality.select(locomo.load(path), conversations, quick=quick,
                                max_turns=max_turns, max_questions=max_questions)
    else:
        notes.append(f"LoCoMo skipped: data not found at {path} (set ZENBRAIN_LOCOMO).")
    n_users = users or (lh.QUICK_USERS if quick else lh.N_USERS)
    data = lh.generate(lh.SEED if seed is None else seed, n_users, density=density)
    all_turns = [t for u in data.users for t in u.turns]
    t0 = time.perf_counter()
    emb.embed([locomo.indexed_text(t) for c, _ in picked for t in c.turns]
              + [t.text for c, _ in picked for t in c.turns]
              + [q.question for _, qs in picked for q in qs]
              + [t.text for t in all_turns] + [t.indexed for t in all_turns]
              + [q.text for q in data.questions])
    encode_s = time.perf_counter() - t0
    lh_notes: list[str] = []
    with Progress(transient=True) as bar:
        if picked:
            task = bar.add_task("context: LoCoMo", total=sum(len(qs) for _, qs in picked))
            summary["locomo"] = run_locomo(picked, emb, use_mem0=use_mem0, use_engram=use_engram,
                                           notes=notes, progress=lambda: bar.advance(task))
        task = bar.add_task("context: long horizon",
                            total=sum(len(u.sessions) for u in data.users))
        summary["longhorizon"] = run_longhorizon(data, emb, use_mem0=use_mem0,
                                                 use_engram=use_engram, notes=lh_notes,
                                                 progress=lambda: bar.advance(task))
    notes += [n for n in lh_notes if n not in notes]
    summary["quick"] = bool(quick or (picked and len(picked) < 10) or max_questions or max_turns
                            or n_users < lh.N_USERS or density < 1)
    summary["timing_s"] = {"encode_all": encode_s, "total": time.perf_counter() - t_all}
    if write:
        from benchmarks.report import publish

        publish("context", summary, section(summary), doc=doc,
                command=command or "python -m benchmarks run context"
                + (" --quick" if quick else ""))
    return summary


# ---- the report --------------------------------------------------------------------------------


def _budget_head() -> str:
    return " | ".join(f"{b} tok" + (f" ({CHARS[b]:,} chars)" if b in CHARS else "")
                      for b in BUDGETS)


def _table(systems: dict[str, Any], key: str = "overall") -> list[str]:
    lines = [f"| system | {_budget_head()} | median tokens used ({' / '.join(map(str, BUDGETS))})"
             " | n |", "|---" * (len(BUDGETS) + 3) + "|"]
    for s in (*SYSTEMS, *DIAGNOSTICS):
        if s not in systems:
            continue
        cells = systems[s][key]
        ev = " | ".join(f"**{cells[str(b)]['evidence']:.3f}**" if s == "zenbrain" else
                        f"{cells[str(b)]['evidence']:.3f}" for b in BUDGETS)
        tok = " / ".join(f"{cells[str(b)]['tokens_p50']:.0f}" for b in BUDGETS)
        lines.append(f"| {LABELS[s]} | {ev} | {tok} | {cells[str(BUDGETS[0])]['n']} |")
    return lines


def _categories(systems: dict[str, Any]) -> list[str]:
    some = next(iter(systems.values()))
    head = " | ".join(f"{locomo.CATEGORY_NAMES[c]} (cat {c}, n={some[str(c)]['500']['n']})"
                      for c in CATEGORIES)
    lines = [f"| system | {head} |", "|---" * (len(CATEGORIES) + 1) + "|"]
    for s in (*SYSTEMS, *DIAGNOSTICS):
        if s in systems:
            lines.append(f"| {LABELS[s]} | " + " | ".join(
                f"{systems[s][str(c)]['500']['evidence']:.3f} / "
                f"{systems[s][str(c)]['2000']['evidence']:.3f}" for c in CATEGORIES) + " |")
    return lines


def _ev(systems: dict[str, Any], s: str, b: int, key: str = "overall") -> float:
    return systems[s][key][str(b)]["evidence"]


def verdicts(summary: dict[str, Any]) -> list[str]:
    """The issue's acceptance, line by line (budgets in characters: 2,000 = 500 tokens,
    8,000 = 2,000 tokens)."""
    out = []
    loc = summary.get("locomo")
    if loc and "zenbrain" in loc["systems"]:
        sy = loc["systems"]
        others = [s for s in SYSTEMS if s in sy and s != "zenbrain"]
        for b, floor in ((500, 0.75), (2000, 0.87)):
            z = _ev(sy, "zenbrain", b)
            best = max(others, key=lambda s: _ev(sy, s, b)) if others else None
            ratio = z / max(_ev(sy, best, b), 1e-9) if best else float("nan")
            ok = z >= floor and (best is None or ratio >= 1.1)
            out.append(f"- LoCoMo 1-4, within {CHARS[b]:,} chars ({b:,} tokens): ZenBrain {z:.3f} "
                       f"(target ≥ {floor}); ×{ratio:.2f} the best other system"
                       + (f" ({LABELS[best]}, {_ev(sy, best, b):.3f}; target ≥ ×1.1)"
                          if best else "") + f": {'met' if ok else '**not met**'}.")
        if "engram" in sy:
            cells = []
            ok = True
            for c in (1, 3):
                z, e = _ev(sy, "zenbrain", 2000, str(c)), _ev(sy, "engram", 2000, str(c))
                ok &= z >= e
                cells.append(f"{locomo.CATEGORY_NAMES[c]} {z:.3f} vs {e:.3f}")
            out.append(f"- LoCoMo multi-hop and open-domain within 8,000 chars, ZenBrain vs "
                       f"engram: {'; '.join(cells)} (target ≥ engram's): "
                       f"{'met' if ok else '**not met**'}.")
        else:
            out.append("- LoCoMo multi-hop and open-domain vs engram: not judged (engram "
                       "skipped).")
    lh = summary.get("longhorizon")
    if lh and "zenbrain" in lh["systems"]:
        sy = lh["systems"]
        others = [s for s in SYSTEMS if s in sy and s != "zenbrain"]
        behind = [f"{b} tok: {LABELS[s]} {_ev(sy, s, b):.3f} ≥ ZenBrain {_ev(sy, 'zenbrain', b):.3f}"
                  for b in BUDGETS for s in others if _ev(sy, s, b) >= _ev(sy, "zenbrain", b)]
        margin = min((_ev(sy, "zenbrain", b) - max(_ev(sy, s, b) for s in others))
                     for b in BUDGETS) if others else float("nan")
        out.append(f"- Long horizon: ZenBrain ahead of every other system at every budget "
                   f"(smallest margin {margin:+.3f}): "
                   + ("met." if not behind else f"**not met** ({'; '.join(behind)})."))
    return out


def _lost_text(lost: dict[str, dict[str, float]]) -> str:
    reasons = list(dict.fromkeys(r for b in BUDGETS for r in lost.get(str(b), {})))
    if not reasons:
        return "none"
    notes = {"stale": " (an older statement a newer one updates; quoted only when the query asks "
                      "about change)", "no room": " (did not fit)",
             "duplicate": " (its words already quoted)"}
    return "; ".join(f"{r}{notes.get(r, '')} " + " / ".join(
        f"{lost.get(str(b), {}).get(r, 0.0):.3f}" for b in BUDGETS) for r in reasons)


def _diagnostic_text(part: dict[str, Any]) -> str:
    sy = part["systems"]
    if "zenbrain-recall" not in sy:
        return ""
    others = [s for s in SYSTEMS if s in sy and s != "zenbrain"]
    cells = []
    for b in BUDGETS:
        best = max((_ev(sy, s, b) for s in others), default=float("nan"))
        got = _ev(sy, "zenbrain-recall", b)
        cells.append(f"{got:.3f} (×{got / max(best, 1e-9):.2f})")
    return (" The diagnostic row hands over `recall`'s own ranking (read-only, as many candidates "
            "as `context` asks for) as baseline lines: " + " / ".join(cells)
            + " (× the best other system).")


def section(summary: dict[str, Any]) -> str:
    """The markdown of the "context" section."""
    out = [
        "## Context within a budget: evidence an agent's prompt actually gets", "",
        "Every system fills the same token budget (tokens = ⌈UTF-8 bytes / 4⌉ of the text handed "
        "over; 500 and 2,000 tokens are the issue's 2,000 and 8,000 characters) with its items in "
        "rank order; score = share of the question's evidence turns held by what fits, mean over "
        "questions. Baselines hand over turns as `- YYYY-MM-DD Speaker: text` (ZenBrain's lines "
        "carry the same date and speaker plus a 4-character citation handle and JSON string quotes, "
        "~9 bytes more a line), packed greedily: an item "
        "that does not fit is skipped and later, smaller ones may still fit (the rule of "
        "ZenBrain's packer). engram hands over its documents (6-turn chunks with a timestamp, "
        "a preference and a topic document per session). ZenBrain is `Brain.context(question, "
        "budget_tokens=B)` as is, its stable prefix counted; an item holds its memory's turns and "
        "its sources' turns, also when its line quotes only the sentences that bear on the "
        "question (the rest shown as …), as it does for the small talk around a fact. "
        "All dense systems use all-MiniLM-L6-v2. "
        "`benchmarks/context_budget.py` describes each choice."
        + (" **Quick or reduced run: indicative only.**" if summary.get("quick") else ""), ""]
    loc = summary.get("locomo")
    if loc:
        info = loc["info"]
        out += [f"### LoCoMo, categories 1-4 ({len(info['conversations'])} conversations, "
                f"{info['turns']} turns, {info['questions']} questions; asked one day after the "
                "last session)", "", *_table(loc["systems"]), "",
                "Per category, evidence within 500 / 2,000 tokens (2,000 / 8,000 chars):", "",
                *_categories(loc["systems"]), ""]
    lh = summary.get("longhorizon")
    if lh:
        d = lh["info"]["data"]
        zb = lh["info"].get("zenbrain", {})
        out += [f"### Long horizon (seed {d['seed']}, {d['users']} users, {d['turns']} turns, "
                f"{d['questions']} questions; one gold turn each)", "",
                *_table(lh["systems"]), "",
                f"ZenBrain fed as `benchmarks/longhorizon.py` feeds it: one brain, "
                f"{zb.get('traffic_recalls', 0)} recalls of traffic (one per user turn, before "
                "it is stored), `remember_many` per session, no sleep; `Brain.context` (read-only) "
                "in place of each question's recall. Baselines and engram see the turns said "
                "before each question.", ""]
    caches = [(name, part["cache"]) for name, part in (("LoCoMo", loc), ("long horizon", lh))
              if part and part["cache"]["total"]]
    if caches:
        out.append("Cache check (the `prefix` of `Brain.context` for two different questions at "
                   "the same instant, at every budget, byte for byte): " + "; ".join(
                       f"{name} {c['identical']}/{c['total']} identical ({c['with_prefix']} with a "
                       f"non-empty prefix, median {c['prefix_tokens_p50']:.0f} tokens)"
                       for name, c in caches) + "."
                   + (" No core block or standing preference was stored in either data set (no "
                      "sleep), so every prefix is empty and the check holds trivially."
                      if not any(c["with_prefix"] for _, c in caches) else ""))
        out.append("")
    out += ["Acceptance (issue 16):", "", *verdicts(summary)]
    for name, part in (("LoCoMo", loc), ("long horizon", lh)):
        if part and part.get("lost"):
            out.append(f"- {name[0].upper()}{name[1:]}: of the evidence turns, ZenBrain's own "
                       "candidates held these shares that `context` left out (500 / 1,000 / "
                       f"2,000 tokens): {_lost_text(part['lost'])}." + _diagnostic_text(part))
    runs = [(name, part["info"]["engram"]) for name, part in (("LoCoMo", loc), ("long horizon", lh))
            if part and part["info"].get("engram")]
    if runs:
        out.append(f"- engram {runs[0][1].get('version')}: " + "; ".join(
            f"{name} {m['documents']} documents ({m['encoded']} encoded in {m['encode_s']:.0f} s, "
            f"searches {m['search_s']:.0f} s)" for name, m in runs) + ". Run as its own LoCoMo "
            "script's hybrid mode (no cross-encoder) with all-MiniLM-L6-v2 instead of bge-large "
            "(nothing can be downloaded here); LoCoMo photo captions kept in the turn text, as for "
            "every system here; turn-level evidence within a budget instead of its session-level "
            "recall@k; a preference document counts the turns its phrases came from, a topic "
            "document none.")
    t = summary.get("timing_s", {})
    out.append(f"- Time: {t.get('total', 0):.0f} s in all (encoding {t.get('encode_all', 0):.0f} "
               "s)" + "".join(
                   f"; {name}: " + ", ".join(f"{k} {v:.0f} s" for k, v in part["info"]
                                             ["timing_s"].items())
                   for name, part in (("LoCoMo", loc), ("long horizon", lh)) if part) + ".")
    out += [f"- {n}" for n in summary.get("notes", [])]
    return "\n".join(out)
