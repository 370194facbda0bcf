"""Cold start: every CLI command in a fresh process, against two floors measured in the same run.

    python -m benchmarks run startup [--quick]

What a cron job, a shell user or a fresh worker pays before the first answer. A small brain (two
users, a few memories) is built once; then each command runs `repeats` times, each time in a new
`python -m zenbrain …` process, and the wall time of the whole process is taken (interpreter
start included). The floors: `python -c "import zenbrain"` (the package alone) and a bare model
load plus one encode (`make_embedder("minilm").embed([...])`: importing torch and
sentence-transformers, reading the model, one forward pass), which a command that embeds cannot
beat. Medians are reported (and the min–max spread); the box may be busy, so compare ratios.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import report

__all__ = ["COMMANDS", "run", "section"]

# (label, arguments after `python -m zenbrain`, needs the model)
COMMANDS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("--help", ("--help",), False),
    ("stats", ("stats", "--user", "u1"), False),
    ("history", ("history", "{mem}", "--user", "u1"), False),
    ("export", ("export", "--user", "u1"), False),
    ("forget --dry-run", ("forget", "--dry-run", "--user", "u1"), False),
    ("recall", ("recall", "where do I live", "--user", "u1"), True),
    ("remember", ("remember", "I started learning the cello", "--user", "u2"), True),
    ("context", ("context", "where do I live", "--user", "u1", "--budget", "300"), True),
)
FLOOR_IMPORT = "import zenbrain"
FLOOR_MODEL = ("from zenbrain.embeddings import make_embedder; "
               "make_embedder('minilm', device='cpu').embed(['where do I live'])")
_SEED = ("I live in Lisbon.", "My cat Luna loves tuna.", "ugh, Mondays",
         "I work at Globex as an engineer.")


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, ZENBRAIN_HOME=str(home), HF_HUB_OFFLINE="1",
               TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               TOKENIZERS_PARALLELISM="false")
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-400:]}")
    return elapsed


def _build(home: Path, env: dict[str, str]) -> str:
    """A small brain; returns the id of one memory (for `history`)."""
    code = ("import sys; from zenbrain import Brain\n"
            "with Brain(sys.argv[1]) as b:\n"
            f"    mems = b.remember_many({list(_SEED)!r}, user_id='u1')\n"
            "    print(mems[0].id)\n")
    out = subprocess.run([sys.executable, "-c", code, str(home)], env=env, capture_output=True,
                         text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def run(*, quick: bool = False, repeats: int | None = None, write: bool = True,
        doc: Path | None = None, command: str = "python -m benchmarks run startup"
        ) -> dict[str, Any]:
    n = repeats or (2 if quick else 5)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "brain"
        env = _env(home)
        mem = _build(home, env)
        times: dict[str, list[float]] = {}
        floors = {"import zenbrain": [sys.executable, "-c", FLOOR_IMPORT],
                  "model load + one encode": [sys.executable, "-c", FLOOR_MODEL]}
        for _ in range(n):  # interleaved, so a busy moment hits every command alike
            for label, argv in floors.items():
                times.setdefault(label, []).append(_timed(argv, env))
            for label, args, _model in COMMANDS:
                argv = [sys.executable, "-m", "zenbrain", *(a.format(mem=mem) for a in args)]
                times.setdefault(label, []).append(_timed(argv, env))
    summary = {
        "repeats": n,
        "median_s": {k: statistics.median(v) for k, v in times.items()},
        "min_s": {k: min(v) for k, v in times.items()},
        "max_s": {k: max(v) for k, v in times.items()},
        "needs_model": {label: model for label, _, model in COMMANDS},
    }
    if write:
        report.publish("startup", summary, section(summary), command=command, doc=doc)
    return summary


def section(summary: dict[str, Any]) -> str:
    med, lo, hi = summary["median_s"], summary["min_s"], summary["max_s"]
    imp, model = med["import zenbrain"], med["model load + one encode"]
    lines = [
        "## Cold start: each CLI command in a fresh process",
        "",
        f"`benchmarks/startup.py`: a small brain (2 users, 4 memories); every command run "
        f"{summary['repeats']} times, each in a new `python -m zenbrain` process (interpreter "
        "start included), interleaved with two floors: the package alone and a bare model load "
        "plus one encode. Median wall time (min–max).",
        "",
        "| command | loads the model | median s | min–max s | vs floor |",
        "|---|---|---|---|---|",
        f"| floor: `python -c \"import zenbrain\"` | no | {imp:.2f} | "
        f"{lo['import zenbrain']:.2f}–{hi['import zenbrain']:.2f} | 1.00× |",
        f"| floor: model load + one encode | yes | {model:.2f} | "
        f"{lo['model load + one encode']:.2f}–{hi['model load + one encode']:.2f} | 1.00× |",
    ]
    verdicts = []
    for label, needs in summary["needs_model"].items():
        floor = model if needs else imp
        lines.append(f"| `zenbrain {label}` | {'yes' if needs else 'no'} | {med[label]:.2f} | "
                     f"{lo[label]:.2f}–{hi[label]:.2f} | {med[label] / floor:.2f}× "
                     f"{'model' if needs else 'import'} floor |")
        if needs:
            verdicts.append((label, med[label] <= model + 1.0, f"≤ model floor + 1 s "
                             f"({med[label] - model:+.2f} s)"))
        else:
            verdicts.append((label, med[label] < 1.0, f"< 1.0 s ({med[label]:.2f} s)"))
    lines += ["", "Issue 14 targets: a command that needs no vectors < 1.0 s; a command that "
              "embeds ≤ the model floor + 1 s."]
    lines += [f"- `zenbrain {label}`: {'met' if ok else '**not met**'}, {why}"
              for label, ok, why in verdicts]
    return "\n".join(lines) + "\n"
