"""`python -m benchmarks run [quality|speed|longhorizon|startup|context|cues|ablation|users|all] [--quick] [--tier 1k,10k,100k]`.

Writes the "quality", "speed", "longhorizon", "context", "users" and "startup" sections of docs/BENCHMARKS.md, PNG plots
in docs/img/ and the raw numbers in benchmarks/results/*.json (git-ignored). `--quick` finishes in a
few minutes: one LoCoMo conversation, the 1k tier and 4 long-horizon users instead of 12. The speed tiers
are 1k, 10k and 100k (the 100k tier takes about 20 minutes on a 2-core CPU; `--tier` picks others). The other benchmarks keep their own entry points
(`python -m benchmarks.locomo_recall`, `python -m benchmarks.load`). `users` (one brain, many
tenants) counts users with `--user-tier` (default 100,1k,10k, ~25 min: the 10k tier is 1,000 users
built through the write path and SQL copies of them; `run users --tier` works too); `--servers`
runs each tier on PostgreSQL + a Chroma server too, and `run all` does where both are installed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="run benchmarks and update docs/BENCHMARKS.md")
    run.add_argument("what", nargs="?", default="all", choices=("quality", "speed", "longhorizon", "startup", "context", "cues", "ablation", "users", "all"))
    run.add_argument("--quick", action="store_true",
                     help="a few minutes: 1 conversation, 1k tier, 4 long-horizon users")
    run.add_argument("--tier", help="speed tiers, e.g. 1k,10k (default 1k,10k,100k; quick 1k); "
                     "with `run users`: user counts (default 100,1k,10k; quick 100)")
    run.add_argument("--user-tier", help="many-users tiers, user counts (default 100,1k,10k; "
                     "quick 100); in `run all` too")
    run.add_argument("--queries", type=int, default=60, help="recall questions per tier (≥ 50)")
    run.add_argument("--batch", type=int, default=256, help="remember_many batch size")
    run.add_argument("--profile", action="store_true",
                     help="cProfile ingest/recall/sleep; .prof files in benchmarks/results/")
    run.add_argument("--conversations", nargs="*", help="LoCoMo conversations (1-based or ids)")
    run.add_argument("--max-turns", type=int, help=argparse.SUPPRESS)  # smoke tests
    run.add_argument("--max-questions", type=int, help=argparse.SUPPRESS)
    run.add_argument("--users", type=int, help=argparse.SUPPRESS)  # longhorizon users (tests)
    run.add_argument("--per-user", type=int, help=argparse.SUPPRESS)  # users: memories each
    run.add_argument("--keep", type=Path, help=argparse.SUPPRESS)  # users: keep the brains here
    run.add_argument("--sample", type=int, help=argparse.SUPPRESS)  # users: built for real
    run.add_argument("--servers", action=argparse.BooleanOptionalAction, default=None,
                     help="users: each tier on PostgreSQL + a Chroma server too (default: in "
                     "`run all` where both are installed)")
    run.add_argument("--density", type=float, default=1.0, help=argparse.SUPPRESS)  # tests
    run.add_argument("--repeats", type=int, help=argparse.SUPPRESS)  # startup: runs (tests)
    run.add_argument("--seed", type=int, help="long-horizon generator seed (default 13)")
    run.add_argument("--no-mem0", action="store_true", help="leave the mem0 baseline out")
    run.add_argument("--no-engram", action="store_true",
                     help="leave the engram-search baseline out (context)")
    run.add_argument("--no-sleep", action="store_true", help="no sleep (quality and speed)")
    run.add_argument("--inline", action="store_true",
                     help="speed tiers in this process (faster start, RSS less clean)")
    run.add_argument("--no-write", action="store_true", help="print only; touch no files")
    run.add_argument("--doc", type=Path, help=argparse.SUPPRESS)  # tests: another BENCHMARKS.md
    run.add_argument("--img", type=Path, help=argparse.SUPPRESS)  # tests: another docs/img
    return parser


def main(argv: list[str] | None = None, *, embedder: object = None) -> int:
    args = _parser().parse_args(argv)
    from benchmarks import context_budget, longhorizon, plots, quality, speed, startup

    command = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
    img = args.img or plots.IMG
    write = not args.no_write
    if args.what in ("quality", "all"):
        summary = quality.run(quick=args.quick, conversations=args.conversations,
                              max_turns=args.max_turns, max_questions=args.max_questions,
                              use_mem0=not args.no_mem0, sleep=not args.no_sleep,
                              embedder=embedder, write=write, doc=args.doc, command=command)
        if summary is not None:
            print(quality.section(summary))
            if write:
                _try_plot(plots.plot_quality, summary, img)
    if args.what in ("speed", "all"):
        tiers = (speed.parse_tiers(args.tier) if args.tier
                 else speed.QUICK_TIERS if args.quick else speed.DEFAULT_TIERS)
        results = speed.run(tiers, quick=args.quick, queries=args.queries, batch=args.batch,
                            profile=args.profile, no_sleep=args.no_sleep, inline=args.inline,
                            write=write, doc=args.doc, embedder=embedder, command=command)
        print(speed.section(results, quick=args.quick))
        if write:
            _try_plot(plots.plot_speed, results, img)
    if args.what in ("longhorizon", "all"):
        summary = longhorizon.run(quick=args.quick, users=args.users, density=args.density,
                                  seed=longhorizon.SEED if args.seed is None else args.seed,
                                  use_mem0=not args.no_mem0, sleep=not args.no_sleep,
                                  embedder=embedder, write=write, doc=args.doc, command=command)
        print(longhorizon.section(summary))
    if args.what in ("context", "all"):
        summary = context_budget.run(quick=args.quick, conversations=args.conversations,
                                     max_turns=args.max_turns, max_questions=args.max_questions,
                                     users=args.users, density=args.density, seed=args.seed,
                                     use_mem0=not args.no_mem0, use_engram=not args.no_engram,
                                     embedder=embedder, write=write, doc=args.doc,
                                     command=command)
        print(context_budget.section(summary))
    if args.what == "cues":  # opt-in, as `all` is the suite the smoke test runs
        from benchmarks import cues

        summary = cues.run(quick=args.quick, conversations=args.conversations,
                           max_turns=args.max_turns, seed=cues.SEED if args.seed is None
                           else args.seed, embedder=embedder, write=write, doc=args.doc,
                           command=command)
        if summary is not None:
            print(cues.section(summary))
    if args.what == "ablation":  # not in "all": ~35 min on 2 cores (benchmarks/ablation.py)
        from benchmarks import ablation
        summary = ablation.run(quick=args.quick, conversations=args.conversations,
                               max_turns=args.max_turns, max_questions=args.max_questions,
                               embedder=embedder, write=write, doc=args.doc, command=command)
        if summary is not None:
            print(ablation.section(summary))
    if args.what in ("users", "all"):  # ~25 min: the 1k tier builds 100k memories
        from benchmarks import users

        asked = args.user_tier or (args.tier if args.what == "users" else None)
        tiers = (speed.parse_tiers(asked) if asked
                 else users.QUICK_TIERS if args.quick else users.DEFAULT_TIERS)
        results = users.run(tiers, quick=args.quick, per_user=args.per_user or users.PER_USER,
                            write=write, doc=args.doc, embedder=embedder, command=command,
                            keep=args.keep, sample=args.sample or users.SAMPLE,
                            servers=(args.servers if args.servers is not None
                                     else args.what == "all" and not args.quick))
        print(users.section(results, quick=args.quick))
    if args.what in ("startup", "all"):
        print(startup.section(startup.run(quick=args.quick, repeats=args.repeats,
                                          write=write, doc=args.doc, command=command)))
    return 0


def _try_plot(fn, data, img: Path) -> None:  # noqa: ANN001
    try:
        for path in fn(data, img):
            print(f"plot: {path}", file=sys.stderr)
    except ImportError:
        print("plots skipped: matplotlib is not installed (pip install -r requirements-dev.txt)",
              file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
