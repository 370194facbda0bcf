"""Partial and noisy cues: does the Hopfield route help recall from a damaged memory of a turn?

    python -m benchmarks run cues [--quick] [--conversations 1 2 ...] [--seed 15]

For a seeded sample of the LoCoMo evidence turns (turns that some category 1-4 question cites,
at least `MIN_WORDS` words; the photo caption is left out of the cue), each turn's own text is
damaged in four ways, plus the intact text as a control:

- fragment: one contiguous span of 30-50% of its words;
- drop-out: 40% of its words removed, the rest in order;
- typos: one character edit (delete, insert, substitute, swap) in 30% of its words (≥ 3 letters);
- synonym: every word found in `SYNONYMS` (a small general English table, written without looking
  at the data) replaced; a turn with no such word gets no synonym cue.

The generators are pure functions of the text and explicit choices (`fragment`, `drop_words`,
`typo`, `swap_synonyms`); `make_cues` draws the choices from a `random.Random` seeded by
(seed, conversation, turn, kind), so a cue never depends on which other cues were drawn.

Each cue is asked of one brain per conversation (`benchmarks.locomo_recall._ingest`: every turn,
`remember_many` per session, no sleep), `read_only=True` so that no recall changes what the next
one sees, with the default recipe, the default recipe plus the Hopfield route (its default weight
0.05) and plus the route at the SPEC's weight 0.6 (§4.3.6). Beside them: flat cosine over
"Speaker: text" and, as a diagnostic, Hopfield completion (β = 16, T = 2) over every turn of the
conversation with no other route. Metric: recall@k of the source turn (turn-level: a hit when the
cue's own `dia_id` is among the top k; a consolidated memory would count its source turns).
Latency: recall time per cue with the query vector already computed (encoder excluded).

Also times `zenbrain.algorithms.hopfield.complete` alone on 10k and 100k random unit patterns
(d = 384), on the CPU and, when one is present, on a CUDA device.

Skips cleanly when the LoCoMo file is absent.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import locomo

__all__ = [
    "KINDS", "SYNONYMS", "drop_words", "fragment", "hopfield_latency", "make_cues", "paired",
    "run", "sample_turns", "section", "spoken_text", "swap_synonyms", "typo", "verdict",
]

SEED = 15
KINDS = ("whole", "fragment", "dropout", "typo", "synonym")
PARTIAL = KINDS[1:]  # "whole" is the control
KS = (1, 5, 10)
MIN_WORDS = 8  # a 30% fragment of a shorter turn is two words: no cue anyone would give
PER_CONVERSATION = 60  # full run: 10 x 60 turns, ~2,900 cues, ~15 minutes on 2 cores
QUICK = {"conversations": ("conv-30",), "per_conversation": 20}
LATENCY_SIZES = (10_000, 100_000)
CLEAR_MARGIN = 0.02  # recall@10 gain on partial cues that would switch the route on for them
SYSTEMS = ("flat", "hopfield_all", "zenbrain", "zenbrain+hopfield", "zenbrain+hopfield@0.6")
LABELS = {"flat": "flat cosine", "hopfield_all": "_diagnostic:_ Hopfield over every turn",
          "zenbrain": "ZenBrain `DEFAULT`", "zenbrain+hopfield": "DEFAULT + Hopfield route (w 0.05)",
          "zenbrain+hopfield@0.6": "DEFAULT + Hopfield route (w 0.6, SPEC)"}
# variant → what it is held against: each Hopfield variant against the same thing without it
PAIRS = {"zenbrain+hopfield": "zenbrain", "zenbrain+hopfield@0.6": "zenbrain",
         "hopfield_all": "flat"}
_CAPTION = re.compile(r" \[shares an image: .*\]$", re.S)
_CORE = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_EDITS = ("delete", "insert", "substitute", "swap")

# General English, both directions where the pair is symmetric; written from common usage, not
# from LoCoMo, and never changed to suit a case. Word-level only: no phrase, no inflection rules.
SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "happy": ("glad", "cheerful"), "glad": ("happy",), "sad": ("unhappy", "down"),
    "big": ("large", "huge"), "large": ("big",), "huge": ("enormous",), "small": ("little",),
    "little": ("small",), "great": ("excellent", "wonderful"), "good": ("nice", "fine"),
    "nice": ("pleasant",), "bad": ("poor",), "awesome": ("fantastic",),
    "amazing": ("incredible", "astonishing"), "incredible": ("amazing",),
    "beautiful": ("lovely", "gorgeous"), "lovely": ("beautiful",), "fun": ("enjoyable",),
    "hard": ("difficult", "tough"), "difficult": ("hard",), "tough": ("hard",),
    "easy": ("simple",), "simple": ("easy",), "fast": ("quick",), "quick": ("fast",),
    "start": ("begin",), "begin": ("start",), "started": ("began",), "began": ("started",),
    "finish": ("complete",), "finished": ("completed",), "help": ("assist",),
    "helped": ("assisted",), "helps": ("assists",), "try": ("attempt",), "tried": ("attempted",),
    "think": ("believe",), "love": ("adore",), "loved": ("adored",), "enjoy": ("relish",),
    "buy": ("purchase",), "bought": ("purchased",), "friend": ("pal", "buddy"),
    "friends": ("pals", "buddies"), "kids": ("children",), "children": ("kids",),
    "child": ("kid",), "kid": ("child",), "house": ("home",), "home": ("house",),
    "car": ("vehicle",), "dog": ("hound",), "mom": ("mother",), "mother": ("mom",),
    "dad": ("father",), "father": ("dad",), "trip": ("journey",), "journey": ("trip",),
    "photo": ("picture",), "picture": ("photo",), "pic": ("photo",), "photos": ("pictures",),
    "pictures": ("photos",), "idea": ("thought",), "story": ("tale",), "movie": ("film",),
    "film": ("movie",), "movies": ("films",), "song": ("tune",), "city": ("town",),
    "town": ("city",), "street": ("road",), "road": ("street",), "store": ("shop",),
    "shop": ("store",), "food": ("meals",), "delicious": ("tasty",), "tasty": ("delicious",),
    "talk": ("speak",), "talked": ("spoke",), "said": ("stated",), "told": ("informed",),
    "excited": ("thrilled", "eager"), "thrilled": ("excited",), "scared": ("afraid",),
    "afraid": ("scared",), "angry": ("mad",), "tired": ("exhausted",), "sick": ("ill",),
    "really": ("truly",), "very": ("extremely",), "always": ("constantly",),
    "often": ("frequently",), "maybe": ("perhaps",), "perhaps": ("maybe",),
    "important": ("significant",), "special": ("unique",), "different": ("distinct",),
    "recently": ("lately",), "lately": ("recently",), "soon": ("shortly",),
    "stuff": ("things",), "things": ("items",), "lots": ("plenty",), "feel": ("sense",),
    "hope": ("wish",), "hoping": ("wishing",), "met": ("encountered",), "job": ("position",),
    "work": ("labor",), "class": ("course",), "begun": ("started",), "chat": ("conversation",),
    "awful": ("terrible",), "terrible": ("awful",), "smart": ("clever",), "clever": ("smart",),
    "wonderful": ("marvelous",), "proud": ("pleased",), "worried": ("anxious",),
    "anxious": ("worried",), "calm": ("peaceful",), "peaceful": ("calm",), "rich": ("wealthy",),
    "strong": ("powerful",), "weird": ("strange",), "strange": ("odd",), "cool": ("neat",),
    "gift": ("present",), "quiet": ("silent",), "place": ("spot",), "guess": ("suppose",),
    "yes": ("yeah",),
    "thanks": ("cheers",), "totally": ("completely",), "completely": ("entirely",),
}


# --- cue generators: pure functions of the text and the choices -------------------------------

def spoken_text(turn_text: str) -> str:
    """The words of a turn without the machine caption of a shared photo."""
    return _CAPTION.sub("", turn_text).strip()


def fragment(text: str, *, start: int, length: int) -> str:
    """Words `start` .. `start + length - 1` of `text` (split on whitespace)."""
    return " ".join(text.split()[start:start + length])


def drop_words(text: str, *, drop: set[int]) -> str:
    """`text` without the words at the positions in `drop`, the rest in order."""
    return " ".join(w for i, w in enumerate(text.split()) if i not in drop)


def typo(word: str, *, edit: str, pos: int, letter: str = "") -> str:
    """One character edit inside the letters of `word` (surrounding punctuation kept).

    `pos` indexes the word's core (punctuation stripped): delete the letter there, insert
    `letter` before it, substitute it with `letter`, or swap it with the next one.
    """
    lead, core, tail = _CORE.match(word).groups()  # type: ignore[union-attr]
    if edit == "delete":
        core = core[:pos] + core[pos + 1:]
    elif edit == "insert":
        core = core[:pos] + letter + core[pos:]
    elif edit == "substitute":
        core = core[:pos] + letter + core[pos + 1:]
    elif edit == "swap":
        core = core[:pos] + core[pos + 1:pos + 2] + core[pos] + core[pos + 2:]
    else:
        raise ValueError(f"edit is {edit!r}; expected one of {_EDITS}")
    return lead + core + tail


def swap_synonyms(text: str, *, table: Mapping[str, Sequence[str]] = SYNONYMS,
                  pick: Callable[[Sequence[str]], str] = lambda opts: opts[0]
                  ) -> tuple[str, int]:
    """`text` with every word found in `table` (case-insensitive, punctuation kept) replaced by
    `pick(options)`; a capitalised word stays capitalised. Returns (text, words swapped)."""
    out, swapped = [], 0
    for word in text.split():
        lead, core, tail = _CORE.match(word).groups()  # type: ignore[union-attr]
        options = table.get(core.lower())
        if options:
            new = pick(options)
            core = new[:1].upper() + new[1:] if core[:1].isupper() else new
            swapped += 1
        out.append(lead + core + tail)
    return " ".join(out), swapped


def _rng(seed: int, key: str, kind: str) -> random.Random:
    # A str seed is hashed with SHA-512 by `random`, so it is stable across processes.
    return random.Random(f"{seed}:{key}:{kind}")


def make_cues(text: str, *, seed: int, key: str) -> dict[str, str]:
    """The cues of one turn's text, kind → cue; "synonym" is absent when no word is in the table.

    Args:
        text: the turn's spoken text (at least 2 words).
        seed: the benchmark seed.
        key: the turn's identity (conversation and dia_id), so that each turn gets its own draw.
    """
    words = text.split()
    n = len(words)
    cues = {"whole": text}
    r = _rng(seed, key, "fragment")
    length = max(1, round(n * r.uniform(0.3, 0.5)))
    cues["fragment"] = fragment(text, start=r.randrange(n - length + 1), length=length)
    r = _rng(seed, key, "dropout")
    cues["dropout"] = drop_words(text, drop=set(r.sample(range(n), min(n - 1, round(0.4 * n)))))
    r = _rng(seed, key, "typo")
    cores = [_CORE.match(w).group(2) for w in words]  # type: ignore[union-attr]
    eligible = [i for i, c in enumerate(cores) if len(c) >= 3 and c.isalpha()]
    edited = list(words)
    for i in sorted(r.sample(eligible, min(len(eligible), max(1, round(0.3 * n))))):
        edit = r.choice(_EDITS)
        pos = r.randrange(len(cores[i]) - (1 if edit == "swap" else 0))
        letter = r.choice([c for c in _LETTERS if c != cores[i][pos].lower()])
        edited[i] = typo(words[i], edit=edit, pos=pos, letter=letter)
    cues["typo"] = " ".join(edited)
    r = _rng(seed, key, "synonym")
    swapped, count = swap_synonyms(text, pick=r.choice)
    if count:
        cues["synonym"] = swapped
    return cues


def sample_turns(conv: locomo.Conversation, questions: Sequence[locomo.Question], n: int, *,
                 seed: int) -> list[locomo.Turn]:
    """Up to `n` evidence turns of `questions` with ≥ MIN_WORDS spoken words, drawn with `seed`,
    in conversation order."""
    cited = {e for q in questions for e in q.evidence}
    pool = [t for t in conv.turns
            if t.dia_id in cited and len(spoken_text(t.text).split()) >= MIN_WORDS]
    chosen = set(random.Random(f"{seed}:{conv.sample_id}").sample(range(len(pool)),
                                                                  min(n, len(pool))))
    return [t for i, t in enumerate(pool) if i in chosen]


# --- the run -----------------------------------------------------------------------------------

def _recipes() -> dict[str, Any]:
    from zenbrain.recall.recipes import DEFAULT

    with_route = replace(DEFAULT, routes=(*DEFAULT.routes, "hopfield"))
    spec_weight = replace(with_route, weights={**DEFAULT.weights, "hopfield": 0.6})
    return {"zenbrain": DEFAULT, "zenbrain+hopfield": with_route,
            "zenbrain+hopfield@0.6": spec_weight}


def _ask_conversation(conv: locomo.Conversation, cues: list[tuple[str, str, str]], emb: Any,
                      rows: dict[str, list[dict[str, Any]]]) -> None:
    """Every cue (dia_id, kind, text) of one conversation, to every system; appends one row per
    (system, cue): kind, rank of the source turn (None beyond the first 10), seconds."""
    from benchmarks.locomo_recall import _dia_of, _ingest
    from benchmarks.systems.flat import rank_ids
    from zenbrain import Brain
    from zenbrain.algorithms.hopfield import complete, unit_rows

    ids = [t.dia_id for t in conv.turns]
    mat = unit_rows(emb.embed([locomo.indexed_text(t) for t in conv.turns]))
    qvecs = emb.embed([c for _, _, c in cues])
    at = conv.end + timedelta(days=1)

    def add(system: str, dia_id: str, kind: str, ranked: Sequence[set[str]], took: float) -> None:
        rank = next((i for i, item in enumerate(ranked[:10], 1) if dia_id in item), None)
        rows[system].append({"kind": kind, "rank": rank, "s": took})

    for (dia_id, kind, _), qv in zip(cues, qvecs, strict=True):
        t0 = time.perf_counter()
        flat = rank_ids(mat, qv, 10)
        add("flat", dia_id, kind, [{ids[i]} for i in flat], time.perf_counter() - t0)
        t0 = time.perf_counter()
        p = complete(mat, qv, normalized=True)
        top = np.argsort(-p, kind="stable")[:10]
        add("hopfield_all", dia_id, kind, [{ids[i]} for i in top], time.perf_counter() - t0)
        # How many patterns the final state mixes (1 / sum p^2): near 1 is retrieval of one
        # stored turn, large is a metastable average of many.
        rows["hopfield_all"][-1]["mixed"] = float(1.0 / np.square(p).sum())
    with tempfile.TemporaryDirectory(prefix="zb-cues-") as tmp, \
            Brain(Path(tmp) / "brain", embedder=emb) as brain:
        dia = _ingest(brain, conv, conv.sample_id)
        for system, recipe in _recipes().items():
            for dia_id, kind, text in cues:
                t0 = time.perf_counter()
                recs = brain.recall(text, user_id=conv.sample_id, k=10, at=at, recipe=recipe,
                                    read_only=True)
                took = time.perf_counter() - t0
                add(system, dia_id, kind, [_dia_of(r, dia, brain._store) for r in recs], took)


def hopfield_latency(sizes: Sequence[int] = LATENCY_SIZES, *, dim: int = 384, repeats: int = 7,
                     seed: int = SEED) -> list[dict[str, Any]]:
    """Median and p95 seconds of one `complete` (β = 16, T = 2) over N random unit patterns, on
    the CPU and on CUDA when available; the rows are unit already, as the route keeps them."""
    from benchmarks.speed import pct
    from zenbrain.algorithms.hopfield import complete, resolve_device, unit_rows

    devices = ["cpu"] + (["cuda"] if resolve_device("auto") == "cuda" else [])
    rng = np.random.default_rng(seed)
    out = []
    for n in sizes:
        x = unit_rows(rng.standard_normal((n, dim), dtype=np.float32))
        q = rng.standard_normal(dim, dtype=np.float32)
        for device in devices:
            complete(x, q, device=device, normalized=True)  # warm-up (CUDA context, kernels)
            took = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                complete(x, q, device=device, normalized=True)
                took.append(time.perf_counter() - t0)
            out.append({"n": n, "device": device, "p50_s": pct(took, 50),
                        "p95_s": pct(took, 95), "repeats": repeats})
    return out


def _summarise(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """system → kind (and "partial": every kind but the control) → recall@k, n, p50/p95 ms."""
    from benchmarks.speed import pct

    out: dict[str, Any] = {}
    for system, items in rows.items():
        out[system] = {}
        for kind in (*KINDS, "partial"):
            sel = [r for r in items if r["kind"] == kind or (kind == "partial"
                                                              and r["kind"] in PARTIAL)]
            if not sel:
                continue
            out[system][kind] = {
                "n": len(sel),
                **{f"r@{k}": sum(r["rank"] is not None and r["rank"] <= k for r in sel) / len(sel)
                   for k in KS},
                "p50_ms": pct([r["s"] for r in sel], 50) * 1000,
                "p95_ms": pct([r["s"] for r in sel], 95) * 1000}
    return out


def paired(rows: dict[str, list[dict[str, Any]]], a: str, b: str, *, k: int = 10,
           seed: int = SEED, resamples: int = 2000) -> dict[str, Any]:
    """Partial cues only: mean difference of hit@k (b − a), its 95% paired bootstrap interval,
    and the cues only b found / only a found."""
    def hits(system: str) -> np.ndarray:
        return np.array([r["rank"] is not None and r["rank"] <= k
                         for r in rows[system] if r["kind"] in PARTIAL], dtype=float)

    ha, hb = hits(a), hits(b)
    diff = hb - ha
    if not len(diff):
        return {"delta": float("nan"), "lo": float("nan"), "hi": float("nan"), "gained": 0,
                "lost": 0, "n": 0}
    idx = np.random.default_rng(seed).integers(0, len(diff), size=(resamples, len(diff)))
    means = diff[idx].mean(axis=1)
    return {"delta": float(diff.mean()), "lo": float(np.quantile(means, 0.025)),
            "hi": float(np.quantile(means, 0.975)), "gained": int((diff > 0).sum()),
            "lost": int((diff < 0).sum()), "n": len(diff)}


def run(*, quick: bool = False, conversations: Sequence[str] | None = None,
        per_conversation: int | None = None, max_turns: int | None = None, seed: int = SEED,
        latency: bool = True, embedder: Any = None, write: bool = True, doc: Path | None = None,
        command: str | None = None) -> dict[str, Any] | None:
    """Run every system on every cue; returns the summary (also `benchmarks/results/cues.json`),
    or None when the LoCoMo file is absent."""
    path = locomo.found("cues")
    if path is None:
        return None
    from benchmarks.locomo_recall import CachingEmbedder
    from benchmarks.quality import select

    picks = conversations or (QUICK["conversations"] if quick else None)
    per = per_conversation or (QUICK["per_conversation"] if quick else PER_CONVERSATION)
    picked = select(locomo.load(path), picks, quick=False, max_turns=max_turns)
    if embedder is None:
        from zenbrain.embeddings import make_embedder

        embedder = make_embedder("minilm", device="cpu")
    emb = embedder if isinstance(embedder, CachingEmbedder) else CachingEmbedder(embedder)
    rows: dict[str, list[dict[str, Any]]] = {s: [] for s in SYSTEMS}
    info: dict[str, Any] = {"conversations": [], "turns": 0, "sampled": 0, "seed": seed,
                            "per_conversation": per, "timing_s": {}}
    t_all = time.perf_counter()
    for conv, qs in picked:
        t0 = time.perf_counter()
        cues = [(t.dia_id, kind, text) for t in sample_turns(conv, qs, per, seed=seed)
                for kind, text in make_cues(spoken_text(t.text), seed=seed,
                                            key=f"{conv.sample_id}:{t.dia_id}").items()]
        emb.embed([t.text for t in conv.turns] + [locomo.indexed_text(t) for t in conv.turns]
                  + [c for _, _, c in cues])  # one batch; the timings below exclude the encoder
        info["timing_s"]["encode"] = info["timing_s"].get("encode", 0.0) + time.perf_counter() - t0
        _ask_conversation(conv, cues, emb, rows)
        info["conversations"].append(conv.sample_id)
        info["turns"] += len(conv.turns)
        info["sampled"] += len({d for d, _, _ in cues})
        whole = {d: text for d, kind, text in cues if kind == "whole"}
        info.setdefault("synonym_swaps", []).extend(
            sum(a != b for a, b in zip(whole[d].split(), text.split(), strict=True))
            for d, kind, text in cues if kind == "synonym")
        print(f"cues: {conv.sample_id} done ({len(cues)} cues, {time.perf_counter() - t0:.0f} s)",
              file=sys.stderr)
    info["timing_s"]["total"] = time.perf_counter() - t_all
    mixed = [r["mixed"] for r in rows["hopfield_all"] if r["kind"] in PARTIAL]
    if mixed:
        info["hopfield_mixed"] = [float(np.quantile(mixed, q)) for q in (0.5, 0.1, 0.9)]
    summary = {"systems": _summarise(rows), "info": info, "quick": quick,
               "paired": {s: paired(rows, base, s) for s, base in PAIRS.items()},
               "paired_at1": {s: paired(rows, base, s, k=1) for s, base in PAIRS.items()},
               "latency": hopfield_latency() if latency else []}
    if write:
        from benchmarks.report import publish

        publish("cues", summary, section(summary), doc=doc,
                command=command or "python -m benchmarks run cues" + (" --quick" if quick else ""))
    return summary


NOTES = """\
**Reading.** The route re-ranks what the other routes found (its pool is their fused top 200 plus
the 128 highest-priority memories; `ASSOCIATIVE` swaps the profile route for it, here it is only
added), so it can only reorder turns the keyword and vector routes
already hold; `DEFAULT` already has the source turn in its top 10 for 99% of the partial cues,
which leaves recall@10 nothing to gain. What the route moves is rank 1: it adds one more dense
vote to a fusion where keywords weigh 1.0 and vectors 0.4. At the SPEC's weight 0.6 that gain
costs recall@10. The completion itself does not repair a damaged cue: over every turn of a
conversation, Hopfield at β = 16, T = 2 finds the source turn less often than the plain cosine it
starts from, on every kind of cue. MiniLM's turn vectors lie close together, so the update pulls
the cue toward its neighbourhood instead of onto its own turn. **Decision:** the Hopfield route
stays off in `DEFAULT` and opt-in through `ASSOCIATIVE`, with no query-shape gate, since there is
no win to gate.

Not about Hopfield: `DEFAULT` puts the intact turn text's own turn first less often than flat
cosine does (recall@1 of the control row). Checked by hand with `explain=True` on conv-30: the
speaker factor lifted the turns of whoever the text addressed ("Hey Mel!" counted as asking about
Mel), and the graph route's votes and the availability band lift neighbouring turns over the exact
match. Since 3cb820a an addressed name lifts nothing (`rerank.query_names`): the control row's
recall@1 went 0.533 → 0.728 and the partial cues' 0.627 → 0.721 (recall@10 0.992 → 0.993); the
rest matters for verbatim lookups, not for LoCoMo's questions."""


# --- the report --------------------------------------------------------------------------------

def _delta(d: dict[str, Any]) -> str:
    return (f"{d['delta']:+.3f} [{d['lo']:+.3f}, {d['hi']:+.3f}], +{d['gained']} / "
            f"−{d['lost']} of {d['n']}")


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else float("nan")


def _cell(s: dict[str, Any] | None) -> str:
    return f"{s['r@1']:.3f} / {s['r@5']:.3f} / {s['r@10']:.3f}" if s else "–"


def verdict(summary: dict[str, Any]) -> str:
    """The decision rule, fixed before the run: the route is worth using on partial cues when
    adding it to `DEFAULT` raises hit@10 on them by at least `CLEAR_MARGIN` with the paired 95%
    interval above zero."""
    d = summary["paired"].get("zenbrain+hopfield")
    if not d or not d["n"]:
        return "Verdict: no partial cues were asked."
    won = d["delta"] >= CLEAR_MARGIN and d["lo"] > 0
    return (f"**Verdict:** adding the Hopfield route to `DEFAULT` changes recall@10 on partial cues "
            f"by {d['delta']:+.3f} (95% interval {d['lo']:+.3f} to {d['hi']:+.3f}); the bar was "
            f"+{CLEAR_MARGIN:.2f} with the interval above zero: "
            + ("**met**." if won else "**not met**, so the route stays opt-in (`ASSOCIATIVE`)."))


def section(summary: dict[str, Any]) -> str:
    """The markdown of the "cues" section."""
    systems, info = summary["systems"], summary["info"]
    names = [s for s in SYSTEMS if s in systems]
    first = systems[names[0]]
    lines = [
        "## Partial and noisy cues: does the Hopfield route help?", "",
        f"Conversations: {', '.join(info['conversations'])} ({info['turns']} turns). Sample "
        f"(seed {info['seed']}): up to {info['per_conversation']} evidence turns per conversation "
        f"(cited by a category 1-4 question, ≥ {MIN_WORDS} words), {info['sampled']} turns in all; "
        "each gives a fragment (30-50% contiguous span), a drop-out (40% of words removed), typos "
        "(one edit in 30% of words) and a synonym swap (general table in `benchmarks/cues.py`; "
        f"only turns with a table word; {_mean(info.get('synonym_swaps', [])):.1f} words swapped "
        "per cue on average), plus the intact text as a control. **Turn-level** recall "
        "@1 / @5 / @10 of the cue's own source turn. One brain per conversation, every turn "
        "ingested, no sleep, `read_only` recalls; latency per cue with the query vector "
        "precomputed (encoder excluded).", "",
        "| system | " + " | ".join(f"{k} (n={first[k]['n']})" for k in KINDS if k in first)
        + f" | **partial cues** (n={first['partial']['n']}) | p50 / p95 ms |",
        "|---" * (len([k for k in KINDS if k in first]) + 3) + "|"]
    for s in names:
        cells = [_cell(systems[s].get(k)) for k in KINDS if k in first]
        p = systems[s]["partial"]
        lines.append(f"| {LABELS[s]} | " + " | ".join(cells) + f" | **{_cell(p)}** | "
                     f"{p['p50_ms']:.2f} / {p['p95_ms']:.2f} |")
    lines += ["", "Paired on the partial cues, hit@10 and hit@1 of each Hopfield variant minus "
              "the same system without it (95% bootstrap interval; cues only the variant found / "
              "only the system without it found):", ""]
    for s, d in summary["paired"].items():
        one = summary.get("paired_at1", {}).get(s)
        lines.append(f"- {LABELS[s]} vs {LABELS[PAIRS[s]]}: @10 {_delta(d)}"
                     + (f"; @1 {_delta(one)}" if one else ""))
    mixed = info.get("hopfield_mixed")
    if mixed:
        lines.append(f"- Hopfield over every turn ends in a state that mixes {mixed[0]:.0f} turns "
                     f"(1 / Σp², median over partial cues; p10-p90 {mixed[1]:.0f}-{mixed[2]:.0f})"
                     ": near 1 would be the retrieval of one stored turn.")
    lines += ["", verdict(summary)]
    if summary.get("latency"):
        lines += ["", "`zenbrain.algorithms.hopfield.complete` alone (β = 16, T = 2, random unit "
                  "patterns, d = 384, rows already unit as the route keeps them), p50 / p95 ms:",
                  "", "| patterns | " + " | ".join(
                      dict.fromkeys(r["device"] for r in summary["latency"])) + " |",
                  "|---" * (1 + len({r["device"] for r in summary["latency"]})) + "|"]
        by_n: dict[int, list[str]] = {}
        for r in summary["latency"]:
            by_n.setdefault(r["n"], []).append(f"{r['p50_s'] * 1000:.1f} / "
                                               f"{r['p95_s'] * 1000:.1f}")
        lines += [f"| {n:,} | " + " | ".join(v) + " |" for n, v in by_n.items()]
        if all(r["device"] == "cpu" for r in summary["latency"]):
            lines.append("\nNo CUDA device on this machine: the GPU figure is not measured "
                         "(`tests/algorithms/test_hopfield.py` checks the CUDA path where one is).")
    lines += ["", NOTES]
    return "\n".join(lines)
