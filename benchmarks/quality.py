"""Quality side by side on LoCoMo: evidence recall@{1,5,10} and MRR per category and overall.

    python -m benchmarks run quality [--quick] [--conversations 1 2 ...]

Systems (`benchmarks/systems/`), all over the same raw turns and the same embedding model
(all-MiniLM-L6-v2, one shared `CachingEmbedder`): flat cosine, BM25 alone, BM25 + cosine fused by
reciprocal rank, mem0 (`infer=False`, local qdrant, its own venv; skipped with a note when absent),
ZenBrain without sleep and ZenBrain after one sleep (consolidated memories count their source
turns). Questions of categories 1-4 (multi-hop, temporal, open-domain, single-hop); category 5
(adversarial) asks about things that never happened and is left out, as in most published tables.

recall@k: the fraction of a question's evidence turns among the top-k retrieved items
(`benchmarks.locomo.recall_at`). MRR (@10): 1 / rank of the first retrieved item that holds any
evidence turn, 0 when none does in the top 10. Means are over questions.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks import locomo

__all__ = ["CATEGORIES", "KS", "SYSTEMS", "mrr", "run", "score", "section", "select"]

KS = tuple(range(1, 11))
CATEGORIES = (1, 2, 3, 4)
SYSTEMS = ("flat", "bm25", "hybrid", "mem0", "zenbrain", "zenbrain+sleep")
LABELS = {"flat": "flat cosine", "bm25": "BM25", "hybrid": "hybrid (BM25 + cosine, RRF)",
          "mem0": "mem0 (infer=False)", "zenbrain": "ZenBrain",
          "zenbrain+sleep": "ZenBrain + sleep"}
QUICK_CONVERSATIONS = ("conv-30",)  # the smallest conversation: 369 turns, 81 questions (1-4)


def mrr(evidence: Sequence[str], retrieved: Sequence[set[str]], k: int = 10) -> float:
    """Reciprocal rank of the first of the top-k items that holds any evidence turn."""
    wanted = set(evidence)
    for rank, item in enumerate(retrieved[:k], start=1):
        if item & wanted:
            return 1.0 / rank
    return 0.0


def score(evidence: Sequence[str], retrieved: Sequence[set[str]]) -> list[float]:
    """[recall@1, …, recall@10, reciprocal rank]."""
    return [locomo.recall_at(evidence, retrieved, k) for k in KS] + [mrr(evidence, retrieved)]


def select(convs: list[locomo.Conversation], picks: Sequence[str] | None, *, quick: bool,
           max_turns: int | None = None,
           max_questions: int | None = None) -> list[tuple[locomo.Conversation, list]]:
    """The conversations to run (1-based indices or sample ids) and their questions (cat 1-4).

    `max_turns` cuts a conversation short (smoke tests) and keeps only questions whose evidence
    lies wholly within the kept turns.
    """
    if picks:
        chosen = [c for p in picks for i, c in enumerate(convs, start=1)
                  if p in (str(i), c.sample_id)]
    elif quick:
        chosen = [c for c in convs if c.sample_id in QUICK_CONVERSATIONS]
    else:
        chosen = list(convs)
    out = []
    for conv in chosen:
        qs = [q for q in conv.questions if q.category in CATEGORIES]
        if max_turns is not None and max_turns < len(conv.turns):
            kept = conv.turns[:max_turns]
            ids = {t.dia_id for t in kept}
            qs = [q for q in qs if set(q.evidence) <= ids]
            conv = replace(conv, turns=kept, questions=tuple(qs))
        out.append((conv, qs[:max_questions] if max_questions is not None else qs))
    return out


def _summarise(per_q: dict[str, list[tuple[int, list[float]]]]) -> dict[str, Any]:
    """system → {"overall"|"1".."4": {"recall": [@1..@10], "mrr": x, "n": n}}."""
    out: dict[str, Any] = {}
    for system, rows in per_q.items():
        out[system] = {}
        for key, cats in [("overall", CATEGORIES), *[(str(c), (c,)) for c in CATEGORIES]]:
            vals = [v for c, v in rows if c in cats]
            n = len(vals)
            means = [sum(v[i] for v in vals) / n if n else float("nan") for i in range(len(KS) + 1)]
            out[system][key] = {"recall": means[:-1], "mrr": means[-1], "n": n}
    return out


def run(*, quick: bool = False, conversations: Sequence[str] | None = None,
        max_turns: int | None = None, max_questions: int | None = None,
        use_mem0: bool = True, sleep: bool = True, embedder: Any = None, write: bool = True,
        doc: Path | None = None, command: str | None = None) -> dict[str, Any] | None:
    """Run every system; returns the summary (also saved to `benchmarks/results/quality.json`),
    or None when the LoCoMo file is absent."""
    path = locomo.found("quality")
    if path is None:
        return None
    from rich.progress import Progress

    from benchmarks.locomo_recall import CachingEmbedder
    from benchmarks.systems import bm25, flat, hybrid
    from benchmarks.systems import mem0 as mem0_sys
    from benchmarks.systems import zenbrain as zb_sys

    picked = select(locomo.load(path), conversations, quick=quick, max_turns=max_turns,
                    max_questions=max_questions)
    if embedder is None:
        from zenbrain.embeddings import make_embedder

        embedder = make_embedder("minilm", device="cpu")
    emb = embedder if isinstance(embedder, CachingEmbedder) else CachingEmbedder(embedder)
    notes: list[str] = []
    info: dict[str, Any] = {"conversations": [c.sample_id for c, _ in picked],
                            "turns": sum(len(c.turns) for c, _ in picked),
                            "questions": sum(len(qs) for _, qs in picked), "timing_s": {},
                            "zenbrain": []}
    t0 = time.perf_counter()
    emb.embed([t.text for c, _ in picked for t in c.turns] + [q.question for _, qs in picked
                                                               for q in qs])
    info["timing_s"]["encode_all"] = time.perf_counter() - t0
    per_q: dict[str, list[tuple[int, list[float]]]] = {s: [] for s in SYSTEMS}

    def add(system: str, qs: Sequence[locomo.Question], ranked: list[list[set[str]]]) -> None:
        for q, items in zip(qs, ranked, strict=True):
            per_q[system].append((q.category, score(q.evidence, items)))

    with Progress(transient=True) as bar:
        n_q = info["questions"]
        task = bar.add_task("quality: ZenBrain recall", total=n_q * (2 if sleep else 1))
        for conv, qs in picked:
            for name, mod in (("flat", flat), ("bm25", bm25), ("hybrid", hybrid)):
                t0 = time.perf_counter()
                add(name, qs, mod.run(conv, qs, emb))
                info["timing_s"][name] = info["timing_s"].get(name, 0.0) + time.perf_counter() - t0
            res = zb_sys.run(conv, qs, emb, sleep=sleep,
                             progress=lambda: bar.advance(task))  # noqa: B023
            add("zenbrain", qs, res["zenbrain"])
            if sleep:
                add("zenbrain+sleep", qs, res["zenbrain+sleep"])
            info["zenbrain"].append({"conversation": conv.sample_id, **res["info"]})
            print(f"quality: {conv.sample_id} done ({len(conv.turns)} turns, {len(qs)} questions)",
                  file=sys.stderr)
    if use_mem0:
        ok, why = mem0_sys.available()
        if ok:
            print("quality: mem0 in .venv-mem0 …", file=sys.stderr)
            ranked, meta = mem0_sys.run_all(picked)
            for conv, qs in picked:
                add("mem0", qs, ranked[conv.sample_id])
            info["mem0"] = meta
        else:
            notes.append(why)
    else:
        notes.append("mem0 skipped (--no-mem0).")
    if not sleep:
        notes.append("ZenBrain + sleep skipped (--no-sleep).")
    summary = {"systems": _summarise({s: v for s, v in per_q.items() if v}), "info": info,
               "notes": notes, "quick": quick}
    if write:
        from benchmarks.report import publish

        publish("quality", summary, section(summary), doc=doc,
                command=command or "python -m benchmarks run quality" + (" --quick" if quick else ""))
    return summary


def _cell(s: dict[str, Any]) -> str:
    if not s["n"]:
        return "–"
    r = s["recall"]
    return f"{r[0]:.3f} / {r[4]:.3f} / {r[9]:.3f} / {s['mrr']:.3f}"


def section(summary: dict[str, Any]) -> str:
    """The markdown of the "quality" section."""
    systems = summary["systems"]
    info = summary["info"]
    names = [s for s in SYSTEMS if s in systems]
    lines = [
        "## Quality: LoCoMo evidence recall, side by side", "",
        f"Conversations: {', '.join(info['conversations'])} ({info['turns']} turns, "
        f"{info['questions']} questions of categories 1-4). Turn-level evidence recall@k over "
        "`dia_id`s; MRR@10 = 1 / rank of the first item holding any evidence turn. Every dense "
        "system uses all-MiniLM-L6-v2; the baselines index \"Speaker: text\". ZenBrain: one user per conversation, `remember_many` per "
        "session with the turns' dates, asked one day after the last session; \"+ sleep\" ran "
        "one `Brain.sleep` 6 h after the last session (a consolidated memory counts all its "
        "source turns)." + (" **Quick run: one conversation, indicative only.**"
                            if summary.get("quick") else ""), "",
        "| system | recall@1 | recall@5 | recall@10 | MRR | n |", "|---|---|---|---|---|---|",
    ]
    for s in names:
        o = systems[s]["overall"]
        lines.append(f"| {LABELS[s]} | {o['recall'][0]:.3f} | {o['recall'][4]:.3f} | "
                     f"**{o['recall'][9]:.3f}** | {o['mrr']:.3f} | {o['n']} |")
    lines += ["", "Per category, recall@1 / @5 / @10 / MRR:", "",
              "| system | " + " | ".join(f"{locomo.CATEGORY_NAMES[c]} (cat {c}, n="
                                         f"{systems[names[0]][str(c)]['n']})" for c in CATEGORIES)
              + " |", "|---" * (len(CATEGORIES) + 1) + "|"]
    for s in names:
        lines.append(f"| {LABELS[s]} | " + " | ".join(_cell(systems[s][str(c)])
                                                      for c in CATEGORIES) + " |")
    lines += ["", "![recall@k per system](img/recall_at_k.png)", "", *_verdict(systems)]
    if info.get("mem0"):
        m = info["mem0"]
        lines.append(f"- mem0 {m.get('version')} ({m.get('vector_store')}, local): "
                     f"{m['turns']} adds in {m['add_s']:.0f} s, searches in {m['search_s']:.0f} s. "
                     "With `infer=False` and without its optional spaCy/fastembed extras (left "
                     "out: fastembed would download a model) mem0 ranks by the same MiniLM cosine "
                     "as flat cosine, so equal numbers are expected.")
    zb = info.get("zenbrain") or []
    if zb:
        ingest = sum(z.get("ingest_s", 0) for z in zb)
        slept = sum(z.get("sleep_s", 0) for z in zb)
        cons = sum(z.get("consolidated", 0) for z in zb)
        archived = sum(z.get("archived", 0) for z in zb)
        mems = sum(z.get("memories", 0) for z in zb)
        lines.append(f"- ZenBrain ingest {ingest:.0f} s for {mems} memories (turn vectors cached "
                     f"across systems); sleep {slept:.0f} s in all, writing {cons} consolidated "
                     f"memories and archiving {archived} raw ones.")
    lines += [f"- {n}" for n in summary.get("notes", [])]
    return "\n".join(lines)


def _verdict(systems: dict[str, Any]) -> list[str]:
    def r10(s: str) -> float:
        return systems[s]["overall"]["recall"][9]

    out = []
    if "hybrid" not in systems:
        return out
    for s in ("zenbrain", "zenbrain+sleep"):
        if s not in systems:
            continue
        gap = r10(s) - r10("hybrid")
        word = "beats" if gap > 0 else "does **not** beat"
        out.append(f"- {LABELS[s]} {word} the simple hybrid at recall@10: {r10(s):.3f} vs "
                   f"{r10('hybrid'):.3f} ({gap:+.3f}, ×{r10(s) / max(r10('hybrid'), 1e-9):.3f}); "
                   f"vs flat cosine {r10(s) - r10('flat'):+.3f}.")
        worse = [locomo.CATEGORY_NAMES[c] for c in CATEGORIES
                 if systems[s][str(c)]["recall"][9] < systems["hybrid"][str(c)]["recall"][9]]
        if worse:
            out.append(f"  Categories where {LABELS[s]} trails the hybrid at @10: "
                       f"{', '.join(worse)}.")
    return out
