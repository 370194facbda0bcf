"""PNG plots for docs/BENCHMARKS.md from the saved results (matplotlib, Agg backend, no display).

- `recall_at_k.png`: overall evidence recall@k (k = 1…10) per system (quality);
- `latency_vs_memories.png`: recall p50/p99 and the floor (query encode + bare Chroma query)
  against the number of memories, log-log (speed);
- `ingest_throughput.png`: `remember_many` memories/s beside the raw encoder's sentences/s (speed).

`python -m benchmarks.plots` redraws them from `benchmarks/results/*.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.report import RESULTS

__all__ = ["IMG", "plot_quality", "plot_speed"]

IMG = Path(__file__).resolve().parents[1] / "docs" / "img"


def _plt():  # noqa: ANN202 - matplotlib.pyplot
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_quality(summary: dict[str, Any], out: Path = IMG) -> list[Path]:
    from benchmarks.quality import KS, LABELS, SYSTEMS

    plt = _plt()
    out.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for s in SYSTEMS:
        if s in summary["systems"]:
            # mem0 dashed: without its optional extras it can coincide with flat cosine
            ax.plot(KS, summary["systems"][s]["overall"]["recall"], marker="o", markersize=3,
                    label=LABELS[s], linewidth=2.2 if s.startswith("zenbrain") else 1.4,
                    linestyle="--" if s == "mem0" else "-")
    ax.set_xlabel("k (retrieved items)")
    ax.set_ylabel("evidence recall@k (LoCoMo, cat 1-4)")
    ax.set_xticks(list(KS))
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(f"Recall@k on {len(summary['info']['conversations'])} LoCoMo conversation(s)")
    path = out / "recall_at_k.png"
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return [path]


def plot_speed(results: list[dict[str, Any]], out: Path = IMG) -> list[Path]:
    plt = _plt()
    out.mkdir(parents=True, exist_ok=True)
    ns = [r["n"] for r in results]
    paths = []

    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(ns, [r["recall_s"]["p50"] * 1000 for r in results], "o-", label="ZenBrain recall p50")
    ax.plot(ns, [r["recall_s"]["p99"] * 1000 for r in results], "o--", label="ZenBrain recall p99")
    ax.plot(ns, [r["floor_s"] * 1000 for r in results], "s-",
            label="floor: query encode + bare Chroma (p50)")
    ax.plot(ns, [r["chroma_s"]["p50"] * 1000 for r in results], "^:", label="bare Chroma query p50")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("memories (one user)")
    ax.set_ylabel("latency (ms)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    ax.set_title(f"Recall latency vs memory count (k=10, {results[0]['device']})")
    fig.tight_layout()
    paths.append(out / "latency_vs_memories.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 4.5))
    x = range(len(ns))
    width = 0.38
    ax.bar([i - width / 2 for i in x], [r["ingest_per_s"] for r in results], width,
           label="remember_many (memories/s)")
    ax.bar([i + width / 2 for i in x], [r["encoder_per_s"] for r in results], width,
           label="raw encoder (sentences/s)")
    ax.set_xticks(list(x), [f"{n:,}" for n in ns])
    ax.set_xlabel("memories (one user)")
    ax.set_ylabel("items per second")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8)
    ax.set_title(f"Ingest throughput (batches of {results[0]['batch']})")
    fig.tight_layout()
    paths.append(out / "ingest_throughput.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)
    return paths


def main() -> int:
    done = []
    if (RESULTS / "quality.json").exists():
        done += plot_quality(json.loads((RESULTS / "quality.json").read_text()))
    if (RESULTS / "speed.json").exists():
        done += plot_speed(json.loads((RESULTS / "speed.json").read_text()))
    print("\n".join(str(p) for p in done) or "no results in benchmarks/results/ yet")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
