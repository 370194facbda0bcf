"""Ablation on LoCoMo: each recall and sleep mechanism switched off in turn, and the paper's figures.

    python -m benchmarks run ablation [--quick] [--conversations 1 2 ...]
    python -m benchmarks.ablation [--quick] [--conversations ...] [--sleep-conversations 3]
                                  [--no-sleep] [--no-write]

**Recall side.** Each conversation's brain is built once (temporary home, the real MiniLM through
one `CachingEmbedder`, `remember_many` per session as `benchmarks.locomo_recall` ingests), then
every category 1-4 question with evidence is asked one day after the last session, read-only, with
`recipes.DEFAULT` and with every variant of `recall_variants()`: DEFAULT with one field changed by
`dataclasses.replace` (a route dropped or added, a factor off or back to the SPEC's value), plus
the whole `SPEC_LITERAL` and `VECTOR_ONLY` recipes. Read-only asking keeps the variants
independent: no variant's retrieval practice shapes another's brain.

**Sleep side** (the first `--sleep-conversations`, 3 by default). The built brain is copied once per
variant of `sleep_variants()`; the copy sleeps at T = last session + 30 days (as
`benchmarks.sleep_consolidation` does) and is asked every question as of T. Reported: active
memories before → after, recall@10 after sleep over the never-slept brain asked as of T, and the
median stability of the memories active both before and after sleep. `Brain.sleep` takes no
parameters, so the variants reach the sleep steps without editing `zenbrain/`: forgetting and
clustering parameters through a `Brain` subclass whose `_sleep_env` returns a changed `Env`, the
replay constants (`SleepParams`) by binding `replay.select`'s `params` for the duration of the
call. The gist's inherited stability, reconsolidation and extraction have no switch and are not
ablated (docs/PAPER.md).

**The paper's figures.** `triple_copy_s30` (TripleCopy S(30 d)) and `priority_ndcg` (PriorityMap
NDCG@10 on a seeded synthetic set with graded importance) are the helpers docs/PAPER.md cites.

Scoring: evidence recall@10 (`benchmarks.locomo.recall_at`); a consolidated memory counts every
source turn (`benchmarks.sleep_consolidation._dia_of`). Skips cleanly when LoCoMo is absent.
"""

from __future__ import annotations

import argparse
import functools
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import locomo
from zenbrain.algorithms import triple_copy
from zenbrain.algorithms.sleep_math import SLEEP_DEFAULT, SleepParams
from zenbrain.consolidation.clustering import CLUSTER_DEFAULT, ClusterParams
from zenbrain.consolidation.forgetting import FORGET_DEFAULT, ForgetParams
from zenbrain.recall.recipes import DEFAULT, SPEC_LITERAL, VECTOR_ONLY, RecallRecipe

__all__ = [
    "PAPER_SEEDS", "RecallVariant", "SleepVariant", "main", "mulberry32", "ndcg_at",
    "priority_ndcg", "priority_ndcg_paper", "recall_variants", "run", "section", "sleep_variants",
    "triple_copy_s30",
]

K = 10
SLEEP_DAYS = 30.0  # sleep (and the sleep columns' questions) at last session + 30 d
SLEEP_CONVERSATIONS = 3


# ---- variants -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecallVariant:
    """One recall recipe of the table: `field` is the `RecallRecipe` field it changes from
    DEFAULT (None: a whole other recipe)."""

    name: str
    field: str | None
    recipe: RecallRecipe


def _change(name: str, base: RecallRecipe, field: str, value: Any) -> RecallVariant:
    return RecallVariant(name, field, replace(base, **{field: value}))


def recall_variants(base: RecallRecipe = DEFAULT) -> list[RecallVariant]:
    """`base` and each recall mechanism switched off (or back to the SPEC's value) in turn."""
    def without(route: str) -> tuple[str, ...]:
        return tuple(r for r in base.routes if r != route)

    return [
        RecallVariant("default", None, base),
        _change("− keyword route (FTS5 BM25)", base, "routes", without("keyword")),
        _change("− vector route (MiniLM)", base, "routes", without("vector")),
        _change("− graph route (spreading activation)", base, "routes", without("graph")),
        _change("− profile route (lasting attributes)", base, "routes", without("profile")),
        _change("+ Hopfield route (SPEC)", base, "routes", (*base.routes, "hopfield")),
        _change("− vector lift when keywords miss", base, "vector_when_keywords_miss", 0.0),
        _change("− speaker factor", base, "speaker_boost", 1.0),
        _change("− address factor (only addresses a queried name)", base, "addressed_only", 1.0),
        _change("− temporal contiguity", base, "contiguity", 0.0),
        _change("− dynamics (band 0: availability, priority, confidence)", base,
                "dynamics_band", 0.0),
        _change("unbounded dynamics factors (SPEC)", base, "dynamics_band", None),
        _change("− updates (newer statement supersedes)", base, "updates_window", 0),
        _change("+ layer-by-query-type prior (SPEC)", base, "layer_prior", 1.0),
        _change("+ multi-route boost ×1.2 (SPEC)", base, "multi_route_boost", 1.2),
        _change("+ time-of-day context boost (SPEC)", base, "use_context", True),
        RecallVariant("SPEC_LITERAL recipe", None, SPEC_LITERAL),
        RecallVariant("VECTOR_ONLY recipe", None, VECTOR_ONLY),
    ]


@dataclass(frozen=True)
class SleepVariant:
    """One sleep of the table: the parameters the sleep steps get and the recipe asked after."""

    name: str
    sleep: SleepParams = SLEEP_DEFAULT
    forget: ForgetParams = FORGET_DEFAULT
    cluster: ClusterParams = CLUSTER_DEFAULT
    recipe: RecallRecipe = DEFAULT


def sleep_variants() -> list[SleepVariant]:
    return [
        SleepVariant("default sleep"),
        SleepVariant("paper's absolute TAG rule (strengthen only TAG > 0.5)",
                     sleep=replace(SLEEP_DEFAULT, strengthen_quantile=1.0)),
        SleepVariant("− replay (max_replays 0)", sleep=replace(SLEEP_DEFAULT, max_replays=0)),
        SleepVariant("− abstraction (no clusters → no gists)",
                     cluster=replace(CLUSTER_DEFAULT, min_members=10**9)),
        SleepVariant("− redundancy forgetting (quoted episodes stay)",
                     forget=replace(FORGET_DEFAULT, archive_quoted=False)),
        SleepVariant("+ IB decay of unconsolidated episodes",
                     forget=replace(FORGET_DEFAULT, decay_unconsolidated=True)),
        SleepVariant("− gist redirect at recall", recipe=replace(DEFAULT, gist_redirect=False)),
    ]


# ---- the paper's figures ------------------------------------------------------------------------


# The authors' experiment suite (zensation-ai/zenbrain, backend/src/__tests__/experiments/
# pma-benchmark.test.ts) draws from Mulberry32 with these ten seeds.
PAPER_SEEDS = (42, 123, 456, 789, 1024, 2048, 3072, 4096, 5120, 6144)
_U32 = 0xFFFFFFFF


def mulberry32(seed: int) -> Iterator[float]:
    """The Mulberry32 generator of the authors' experiments (JavaScript, 32-bit), in [0, 1)."""
    state = seed & _U32
    while True:
        state = (state + 0x6D2B79F5) & _U32
        t = ((state ^ (state >> 15)) * (1 | state)) & _U32
        t = ((t + ((t ^ (t >> 7)) * (61 | t))) & _U32) ^ t
        yield ((t ^ (t >> 14)) & _U32) / 2**32


def triple_copy_s30(days: float = 30.0, *, lo: float = 0.8, hi: float = 1.0,
                    n: int = 2001) -> dict[str, float]:
    """Mean TripleCopy strengths `days` after encoding (the gist made at encoding), over s₀
    uniform on [lo, hi] (a midpoint grid of `n` points: deterministic, exact to ~1e-7).

    Keys: `deep` — the gist copy G = min(1, s₀·tanh(t / 7 d)) (SPEC §4.2.3; the paper's
    benchmark form); `deep_exp` — the paper's service-code form s₀·(1 − e^(−t / 7 d));
    `availability` — max(F, M, G) with M at S = 14 d (no replay); `paper_seeds` — the paper's
    protocol: max(F, M, G) averaged over one s₀ = 0.8 + 0.2·u per seed of `PAPER_SEEDS`
    (u the seed's first Mulberry32 draw)."""
    step = (hi - lo) / n
    s0s = [lo + (i + 0.5) * step for i in range(n)]
    tau = triple_copy.TRIPLE_COPY_DEFAULT.deep_tau_days

    def strength(s0: float) -> float:
        return triple_copy.availability(
            f=triple_copy.fast(s0=s0, hours_since=days * 24),
            m=triple_copy.medium(s0=s0, days_since=days),
            g=triple_copy.deep(s0=s0, days_since_deep=days))

    def mean(xs: list[float]) -> float:
        return math.fsum(xs) / len(xs)

    return {"deep": mean([triple_copy.deep(s0=s, days_since_deep=days) for s in s0s]),
            "deep_exp": mean([s * (1 - math.exp(-days / tau)) for s in s0s]),
            "availability": mean([strength(s) for s in s0s]),
            "paper_seeds": mean([strength(0.8 + 0.2 * next(mulberry32(seed)))
                                 for seed in PAPER_SEEDS])}


def ndcg_at(gains_in_rank_order: Sequence[float], k: int = 10, *,
            all_gains: Sequence[float] | None = None, linear: bool = False) -> float:
    """NDCG@k with graded gains 2^g − 1 (`linear`: g itself, as the paper's suite does) and
    log₂(rank + 1) discounts; the ideal ranking is the best order of `all_gains` (default: the
    ranked gains themselves). 0 when nothing is relevant."""
    def dcg(gs: Sequence[float]) -> float:
        return sum((g if linear else 2.0 ** g - 1.0) / math.log2(r + 2)
                   for r, g in enumerate(gs[:k]))

    ideal = dcg(sorted(all_gains if all_gains is not None else gains_in_rank_order, reverse=True))
    return dcg(list(gains_in_rank_order)) / ideal if ideal > 0 else 0.0


def priority_ndcg_paper(*, items: int = 50, k: int = K) -> dict[str, float]:
    """The paper's PriorityMap protocol with our `priority.composite`: per seed of
    `PAPER_SEEDS`, `items` memories with uniform random saliency, valence (in [−1, 1]), reward
    and goal; true importance 0.15·sal + 0.3·|val| + 0.25·rew + 0.3·goal; NDCG@k (linear gains)
    of the ranking by composite, and of newest-first order (the paper's baseline)."""
    from zenbrain.algorithms import priority

    ours, chrono = [], []
    for seed in PAPER_SEEDS:
        draw = mulberry32(seed)
        rows = []
        for _ in range(items):
            sal, val, rew, goal = next(draw), next(draw) * 2 - 1, next(draw), next(draw)
            truth = 0.15 * sal + 0.3 * abs(val) + 0.25 * rew + 0.3 * goal
            vec = priority.PriorityVector(saliency=sal, emotion=priority.emotion_input(valence=val),
                                          reward=rew, goal=goal)
            rows.append((priority.composite(vec)[0], truth))
        truths = [t for _, t in rows]
        ours.append(ndcg_at([t for _, t in sorted(rows, key=lambda r: -r[0])], k,
                            all_gains=truths, linear=True))
        chrono.append(ndcg_at(truths[::-1], k, all_gains=truths, linear=True))
    return {"ndcg": statistics.fmean(ours), "chronological": statistics.fmean(chrono)}


# Graded by what a person would want kept, written before measuring (our labels, not the
# paper's): 3 = flagged by the speaker as something to keep, 2 = an emotionally weighty event,
# 1 = an ordinary personal fact or plan, 0 = small talk.
_GRADED: dict[int, list[str]] = {
    3: ["Please remember this: my passport expires on {day} and I must renew it.",
        "Important: {name}'s surgery is on {day} at 9 am, I need to drive them.",
        "Don't forget that I am severely allergic to {food}.",
        "Keep in mind that the rent for the flat in {city} is due on {day}.",
        "Note for later: the code for the storage unit in {city} is 4471.",
        "Never forget that {name} saved my life in {city}."],
    2: ["I was heartbroken when {name} moved away to {city}.",
        "We got engaged last night, I'm so happy I cried!",
        "My dad was rushed to the hospital and I'm terrified.",
        "I lost my job today and I feel completely devastated.",
        "{name} passed away this morning, I can't stop crying.",
        "I finally got accepted into the program in {city}, I'm thrilled!",
        "I had a horrible fight with {name} and I'm furious."],
    1: ["I'm meeting {name} for lunch on {day}.",
        "I started reading a book about the history of {city}.",
        "We repainted the kitchen over the weekend.",
        "I bought some {food} at the market.",
        "{name} recommended a podcast about cooking.",
        "I take the tram to work most mornings.",
        "My sister lives in {city} now.",
        "We watched a documentary about {city} last night.",
        "{name} and I went for a walk by the river.",
        "I need to buy a new charger for my phone."],
    0: ["ok", "haha yeah", "sounds good", "lol same", "thanks!", "see you later", "sure thing",
        "hmm", "right", "cool cool"],
}
_COUNTS = {3: 4, 2: 5, 1: 8, 0: 8}  # 25 distinct lines per user (templates drawn without
# replacement: the same words twice are one memory, which would count one memory twice)
_FILL = {"name": ["Anna", "Ben", "Clara", "David", "Elif", "Farid"],
         "city": ["Lisbon", "Oslo", "Vienna", "Porto", "Kyoto", "Quito"],
         "food": ["peanuts", "shellfish", "sesame", "kiwi"],
         "day": ["Monday", "the 3rd of May", "Friday", "next Tuesday"]}


def priority_ndcg(embedder: Any, *, users: int = 20, seed: int = 15, k: int = K) -> dict[str, Any]:
    """NDCG@k of ranking each synthetic user's memories by their stored PriorityMap composite.

    Per user: 25 distinct lines drawn (seeded) from graded templates (`_GRADED`), written in shuffled
    order through `Brain.remember_many` (so saliency, emotion and reward come from the write
    path's own extractors; goal is the SPEC's 0.5), then ranked by `priority["composite"]`
    (ties broken at random). Also reported: random order, the same seed."""
    from zenbrain import Brain

    rng = random.Random(seed)
    ours, rand = [], []
    start = datetime(2025, 3, 1, 9, tzinfo=UTC)
    with tempfile.TemporaryDirectory(prefix="zb-ndcg-") as tmp, \
            Brain(Path(tmp) / "b", embedder=embedder) as brain:
        for u in range(users):
            rows = [(g, t.format(**{f: rng.choice(v) for f, v in _FILL.items()}))
                    for g, n in _COUNTS.items() for t in rng.sample(_GRADED[g], n)]
            rng.shuffle(rows)
            mems = brain.remember_many(
                [{"text": t, "at": start + timedelta(minutes=i)} for i, (_, t) in enumerate(rows)],
                user_id=f"u{u}", session_id="s")
            gains = [g for g, _ in rows]
            ties = [rng.random() for _ in rows]
            order = sorted(range(len(rows)), key=lambda i: (
                -float(mems[i].priority.get("composite", 0.0)), ties[i]))
            ours.append(ndcg_at([gains[i] for i in order], k, all_gains=gains))
            rand.append(ndcg_at(rng.sample(gains, len(gains)), k, all_gains=gains))
    return {"ndcg": statistics.fmean(ours), "random": statistics.fmean(rand), "users": users,
            "per_user": len(rows), "counts": dict(_COUNTS), "min": min(ours)}


# ---- LoCoMo runs --------------------------------------------------------------------------------


def _ask(brain, conv: locomo.Conversation, questions: Sequence[locomo.Question], at: datetime,
         recipe: RecallRecipe) -> list[float]:
    from benchmarks.sleep_consolidation import _dia_of

    return [locomo.recall_at(q.evidence, [_dia_of(r.memory, brain) for r in brain.recall(
        q.question, user_id=conv.sample_id, k=K, at=at, recipe=recipe, read_only=True)], K)
        for q in questions]


@contextmanager
def _replay_params(params: SleepParams) -> Iterator[None]:
    """Bind the replay constants sleep's select step uses (`Brain.sleep` takes none)."""
    from zenbrain.consolidation import replay

    if params == SLEEP_DEFAULT:
        yield
        return
    original = replay.select
    replay.select = functools.partial(original, params=params)
    try:
        yield
    finally:
        replay.select = original


def _brain_with(variant: SleepVariant):
    """A `Brain` class whose sleep steps get `variant`'s forgetting and clustering parameters."""
    from zenbrain import Brain

    class AblatedBrain(Brain):
        def _forget_params(self) -> ForgetParams:
            return variant.forget

        def _sleep_env(self):  # noqa: ANN202
            return replace(super()._sleep_env(), cluster=variant.cluster)

    return AblatedBrain


def _sleep_row(home: Path, conv: locomo.Conversation, qs: Sequence[locomo.Question], emb,
               variant: SleepVariant, at: datetime) -> dict[str, Any]:
    from benchmarks.sleep_consolidation import _stabilities

    with tempfile.TemporaryDirectory(prefix="zb-ablate-") as tmp:
        copy = Path(tmp) / "b"
        shutil.copytree(home, copy)
        with _brain_with(variant)(copy, embedder=emb) as brain:
            before = _stabilities(brain, conv.sample_id)
            t0 = time.perf_counter()
            with _replay_params(variant.sleep):
                report = brain.sleep(conv.sample_id, now=at)
            wall = time.perf_counter() - t0
            after = _stabilities(brain, conv.sample_id)
            scores = _ask(brain, conv, qs, at, variant.recipe)
    return {"recall": scores, "active": (report.active_count_before, report.active_count_after),
            "survivors": [(before[i], after[i]) for i in before if i in after],
            "strengthened": report.strengthened, "summaries": len(report.semantic_created),
            "wall": wall}


def run_conversation(conv: locomo.Conversation, qs: Sequence[locomo.Question], emb, *,
                     recall: Sequence[RecallVariant], sleep: Sequence[SleepVariant],
                     progress: Any = None) -> dict[str, Any]:
    """Build `conv`'s brain once; every recall variant read-only, then every sleep variant on a
    copy. Returns {"recall": {name: [recall@10]}, "sleep": {name: row}, "pre_sleep": [...]}."""
    from benchmarks.locomo_recall import _ingest
    from zenbrain import Brain

    out: dict[str, Any] = {"id": conv.sample_id, "questions": len(qs), "recall": {}, "sleep": {}}
    with tempfile.TemporaryDirectory(prefix="zb-ablation-") as tmp:
        home = Path(tmp) / "brain"
        with Brain(home, embedder=emb) as brain:
            t0 = time.perf_counter()
            _ingest(brain, conv, conv.sample_id)
            out["ingest_s"] = time.perf_counter() - t0
            at = conv.end + timedelta(days=1)
            for v in recall:
                out["recall"][v.name] = _ask(brain, conv, qs, at, v.recipe)
                if progress is not None:
                    progress(f"{conv.sample_id}: {v.name}")
            if sleep:
                out["pre_sleep"] = _ask(brain, conv, qs, conv.end + timedelta(days=SLEEP_DAYS),
                                        DEFAULT)
        for v in sleep:
            out["sleep"][v.name] = _sleep_row(home, conv, qs, emb, v,
                                              conv.end + timedelta(days=SLEEP_DAYS))
            if progress is not None:
                progress(f"{conv.sample_id}: {v.name}")
    return out


def run(*, quick: bool = False, conversations: Sequence[str] | None = None,
        sleep_conversations: int = SLEEP_CONVERSATIONS, max_turns: int | None = None,
        max_questions: int | None = None, embedder: Any = None, write: bool = True,
        doc: Path | None = None, command: str | None = None,
        priority_users: int = 20) -> dict[str, Any] | None:
    """Run the ablation; returns the summary (saved to `benchmarks/results/ablation.json` and
    the "ablation" section of docs/BENCHMARKS.md when `write`), None without LoCoMo."""
    from benchmarks import quality
    from benchmarks.locomo_recall import CachingEmbedder

    path = locomo.found("ablation")
    if path is None:
        return None
    t_all = time.perf_counter()
    picked = quality.select(locomo.load(path), conversations, quick=quick, max_turns=max_turns,
                            max_questions=max_questions)
    if embedder is None:
        from zenbrain.embeddings import make_embedder

        embedder = make_embedder("minilm", device="cpu")
    emb = embedder if isinstance(embedder, CachingEmbedder) else CachingEmbedder(embedder)
    emb.embed([t.text for c, _ in picked for t in c.turns] + [q.question for _, qs in picked
                                                               for q in qs])
    recall, sleeping = recall_variants(), sleep_variants()
    convs = []
    for i, (conv, qs) in enumerate(picked):
        t0 = time.perf_counter()
        convs.append(run_conversation(conv, qs, emb, recall=recall,
                                      sleep=sleeping if i < sleep_conversations else ()))
        print(f"ablation: {conv.sample_id} ({len(conv.turns)} turns, {len(qs)} questions) in "
              f"{time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    summary = {"conversations": convs, "quick": quick,
               "triple_copy": triple_copy_s30(),
               "priority": priority_ndcg(emb, users=priority_users) if priority_users else None,
               "priority_paper": priority_ndcg_paper(),
               "wall_s": time.perf_counter() - t_all,
               "recall_variants": [(v.name, v.field) for v in recall],
               "sleep_variants": [v.name for v in sleeping]}
    if write:
        from benchmarks.report import publish

        publish("ablation", summary, section(summary), doc=doc,
                command=command or "python -m benchmarks run ablation" + (" --quick" if quick else ""))
    return summary


# ---- report -------------------------------------------------------------------------------------


def _mean(xs: Sequence[float]) -> float:
    return math.fsum(xs) / len(xs) if xs else float("nan")


def _recall_table(convs: list[dict[str, Any]], names: list[tuple[str, str | None]]) -> list[str]:
    base = [x for c in convs for x in c["recall"]["default"]]
    d = _mean(base)
    lines = ["| mechanism | recipe field | recall@10 | Δ vs default | questions better / worse |",
             "|---|---|---|---|---|"]
    for name, fld in names:
        vals = [x for c in convs for x in c["recall"][name]]
        better = sum(1 for a, b in zip(vals, base, strict=True) if a > b + 1e-12)
        worse = sum(1 for a, b in zip(vals, base, strict=True) if a < b - 1e-12)
        m = _mean(vals)
        label = f"**{name}**" if name == "default" else name
        lines.append(f"| {label} | {f'`{fld}`' if fld else '—'} | {m:.3f} | "
                     f"{'—' if name == 'default' else f'{m - d:+.3f}'} | "
                     f"{'—' if name == 'default' else f'{better} / {worse}'} |")
    return lines


def _sleep_table(convs: list[dict[str, Any]], names: list[str]) -> list[str]:
    slept = [c for c in convs if c["sleep"]]
    pre = _mean([x for c in slept for x in c["pre_sleep"]])
    lines = [f"Never slept, asked as of T: recall@10 **{pre:.3f}** "
             f"(n={sum(len(c['pre_sleep']) for c in slept)}).", "",
             "| sleep variant | active before → after | reduction | recall@10 after sleep "
             "(× never slept) | survivors' median S before → after (d) | strengthened | "
             "summaries |", "|---|---|---|---|---|---|---|"]
    for name in names:
        rows = [c["sleep"][name] for c in slept]
        a, b = sum(r["active"][0] for r in rows), sum(r["active"][1] for r in rows)
        rec = _mean([x for r in rows for x in r["recall"]])
        pairs = [p for r in rows for p in r["survivors"]]
        if pairs:
            sb, sa = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
            surv = f"{sb:.1f} → {sa:.1f} ({sa / sb - 1:+.0%}, n={len(pairs):,})"
        else:
            surv = "—"
        lines.append(f"| {name} | {a:,} → {b:,} | {1 - b / max(1, a):.1%} | {rec:.3f} "
                     f"(×{rec / pre if pre else float('nan'):.3f}) | {surv} | "
                     f"{sum(r['strengthened'] for r in rows):,} | "
                     f"{sum(r['summaries'] for r in rows):,} |")
    return lines


def section(summary: dict[str, Any]) -> str:
    """The markdown of the "ablation" section."""
    convs = summary["conversations"]
    n_q = sum(c["questions"] for c in convs)
    slept = [c["id"] for c in convs if c["sleep"]]
    out = ["## Ablation: each mechanism switched off in turn", "",
           f"Recall side: conversations {', '.join(c['id'] for c in convs)} ({n_q} questions of "
           "categories 1-4), each brain built once and asked read-only one day after its last "
           "session with `recipes.DEFAULT` and with one recipe field changed "
           "(`benchmarks.ablation.recall_variants`). Evidence recall@10, pooled over questions; "
           "\"better / worse\" counts questions whose recall@10 moved against the default."
           + (" **Quick run: indicative only.**" if summary.get("quick") else ""), "",
           *_recall_table(convs, [tuple(x) for x in summary["recall_variants"]])]
    if slept:
        out += ["", f"Sleep side: conversations {', '.join(slept)}, each copy of the built brain "
                f"sleeping once at T = last session + {SLEEP_DAYS:g} d and asked as of T "
                "(read-only). \"Survivors\" are the memories active both before and after sleep "
                "(strengthening, not selection). Variants reach the sleep steps without editing "
                "`zenbrain/`: forgetting/clustering parameters through a `Brain` subclass's "
                "`_sleep_env`, replay constants by binding `replay.select`'s `params`.", "",
                *_sleep_table(convs, summary["sleep_variants"])]
    tc, pr, pp = summary.get("triple_copy"), summary.get("priority"), summary.get("priority_paper")
    if tc:
        out += ["", f"TripleCopy at 30 d (the paper: 0.912): the paper's protocol (max(F, M, G), "
                f"one s₀ = 0.8 + 0.2·u per seed of its ten Mulberry32 seeds) "
                f"**{tc['paper_seeds']:.4f}**; the expectation over s₀ ~ U[0.8, 1.0] "
                f"{tc['availability']:.4f} (gist copy G = s₀·tanh(t/7 d) {tc['deep']:.4f}; "
                f"the service-code form s₀·(1 − e^(−t/7 d)) {tc['deep_exp']:.4f})."]
    if pp:
        out += ["", f"PriorityMap NDCG@10 (the paper: 0.997): the paper's protocol (10 seeds × 50 "
                f"random input vectors, truth 0.15/0.3/0.25/0.3 of the same inputs) with "
                f"`priority.composite` **{pp['ndcg']:.4f}** (newest first {pp['chronological']:.3f})"
                + (f"; through the write path on seeded text ({pr['users']} users × "
                   f"{pr['per_user']} memories graded 3/2/1/0 by template, "
                   f"{'/'.join(str(v) for v in pr['counts'].values())} each, ranked by the stored "
                   f"composite) **{pr['ndcg']:.3f}** (worst user {pr['min']:.3f}; random order "
                   f"{pr['random']:.3f})" if pr else "") + "."]
    out += ["", f"Wall time: {summary['wall_s'] / 60:.1f} min. Not ablated (no switch without "
            "editing `zenbrain/`): sentence vectors in the vector route, the gist's inherited "
            "stability, reconsolidation and extraction on the write path. See docs/PAPER.md."]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.ablation",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one conversation (conv-30)")
    ap.add_argument("--conversations", nargs="*", help="1-based indices or sample ids")
    ap.add_argument("--sleep-conversations", type=int, default=SLEEP_CONVERSATIONS,
                    help="sleep variants on the first N chosen conversations (0: none)")
    ap.add_argument("--no-sleep", action="store_true", help="recall variants only")
    ap.add_argument("--max-turns", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--max-questions", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--priority-users", type=int, default=20, help=argparse.SUPPRESS)
    ap.add_argument("--no-write", action="store_true", help="print only; touch no files")
    ap.add_argument("--doc", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    command = "python -m benchmarks.ablation " + " ".join(argv if argv is not None
                                                          else sys.argv[1:])
    summary = run(quick=args.quick, conversations=args.conversations,
                  sleep_conversations=0 if args.no_sleep else args.sleep_conversations,
                  max_turns=args.max_turns, max_questions=args.max_questions,
                  write=not args.no_write, doc=args.doc, command=command.strip(),
                  priority_users=args.priority_users)
    if summary is not None:
        print(section(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
