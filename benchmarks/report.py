"""Writing benchmark results into `docs/BENCHMARKS.md`, one marked section per benchmark.

Each benchmark owns the text between `<!-- BEGIN name -->` and `<!-- END name -->`, so several
benchmarks can update the same document without overwriting each other.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["DOC", "RESULTS", "emit_json", "in_fresh_process", "machine", "publish", "run_command",
           "write_section"]

DOC = Path(__file__).resolve().parents[1] / "docs" / "BENCHMARKS.md"
RESULTS = Path(__file__).resolve().parent / "results"
_HEADER = ("# Benchmarks\n\nEvery table below is written by the script named in its section; "
           "rerun the command shown to reproduce it.\n")


def machine() -> str:
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in
                   Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown CPU"
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    try:
        import torch

        dev = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    except ImportError:  # pragma: no cover
        dev = "torch missing"
    return (f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB RAM, {dev}, "
            f"Python {platform.python_version()}")


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True, cwd=DOC.parent).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_section(name: str, body: str, *, command: str, doc: Path = DOC) -> None:
    """Replace (or append) the section `name` with `body`, stamped with command, date, machine."""
    stamp = (f"_Command:_ `{command}`  \n_Run:_ {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
             f"commit {_commit()}  \n_Machine:_ {machine()}\n\n")
    block = f"<!-- BEGIN {name} -->\n{stamp}{body.rstrip()}\n<!-- END {name} -->"
    text = doc.read_text() if doc.exists() else _HEADER
    pattern = re.compile(rf"<!-- BEGIN {re.escape(name)} -->.*?<!-- END {re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text.rstrip()}\n\n{block}\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    tmp = doc.with_suffix(".md.tmp")
    tmp.write_text(text)
    tmp.replace(doc)


def publish(name: str, payload: Any, body: str, *, command: str, doc: Path | None = None) -> None:
    """Save `payload` as `<name>.json` in the results folder and write section `name` of the
    document. A test that passes its own `doc` gets its results beside it, not in the repo's."""
    out = RESULTS if doc is None else doc.parent / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(payload, indent=1, default=str))
    write_section(name, body, command=command, doc=DOC if doc is None else doc)


def run_command(name: str, tiers: tuple[int, ...], *, quick: bool) -> str:
    """The command that reproduces a tiered benchmark (`speed`, `users`), e.g.
    `python -m benchmarks run speed --tier 1k,10k,100k`."""
    tier_arg = ",".join(f"{n // 1000}k" if n % 1000 == 0 else str(n) for n in tiers)
    return f"python -m benchmarks run {name}" + (" --quick" if quick else f" --tier {tier_arg}")


def in_fresh_process(module: str, args: list[str]) -> dict[str, Any]:
    """Run `python -m module *args --json FILE` from the repository root and return what it
    wrote there (speed tiers and the many-users probe measure a process of their own)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        path = Path(fh.name)
    try:
        subprocess.run([sys.executable, "-m", module, *args, "--json", str(path)], check=True,
                       cwd=Path(__file__).resolve().parents[1])
        return json.loads(path.read_text())
    finally:
        path.unlink(missing_ok=True)


def emit_json(result: Any, path: Path | None) -> None:
    """The child side of `in_fresh_process`: the result to `path`, or to stdout without one."""
    text = json.dumps(result, default=str)
    if path:
        path.write_text(text)
    else:
        print(text)
