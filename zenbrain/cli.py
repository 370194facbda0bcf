"""The `zenbrain` command line: a thin typer shell over `Brain`.

Each command parses arguments, calls the library and formats the result: rich tables for people,
`--json` for scripts. A `ZenBrainError` becomes a one-line message and exit code 1.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

import zenbrain
from zenbrain import Brain, Recollection, ZenBrainError

app = typer.Typer(
    name="zenbrain", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="ZenBrain: brain-like long-term memory for AI agents.",
)
console = Console()


@dataclass
class _Options:
    home: Path | None
    as_json: bool
    namespace: str | None
    wait: float


def _opts(ctx: typer.Context) -> _Options:
    return ctx.obj


@app.callback()
def _main(
    ctx: typer.Context,
    home: Annotated[Path | None, typer.Option(help="Brain folder (default $ZENBRAIN_HOME or ~/.zenbrain).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
    namespace: Annotated[str | None, typer.Option(help="Agent/app namespace.")] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait if another process holds the brain.")] = 0.0,
) -> None:
    ctx.obj = _Options(home, as_json, namespace, wait)


def _open(ctx: typer.Context, *, switch_model: bool = False) -> Brain:
    o = _opts(ctx)
    return Brain(o.home, namespace=o.namespace, lock_timeout=o.wait, switch_model=switch_model)


def _emit(ctx: typer.Context, data: Any, table: Table | str | None = None) -> None:
    if _opts(ctx).as_json or table is None:
        typer.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))
    else:
        console.print(table)


def _meta(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise typer.BadParameter(f"--meta expects key=value, got {pair!r}")
        key, value = pair.split("=", 1)
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out


def _recollection_rows(results: list[Recollection]) -> list[dict[str, Any]]:
    return [{"rank": i, "id": r.memory.id, "layer": str(r.memory.layer), "score": r.score,
             "text": r.text, "created_at": r.memory.created_at.isoformat(), "copy": r.copy,
             "reasons": r.reasons} for i, r in enumerate(results, start=1)]


def _recollection_table(title: str, results: list[Recollection]) -> Table:
    table = Table(title=title, show_lines=True)
    for col in ("#", "layer", "score", "memory", "why"):
        table.add_column(col, overflow="fold")
    for i, r in enumerate(results, start=1):
        table.add_row(str(i), str(r.memory.layer), f"{r.score:.3f}",
                      f"{r.text}\n[dim]{r.memory.id} · {r.memory.created_at:%Y-%m-%d}[/dim]",
                      "\n".join(r.reasons))
    return table


@app.command()
def remember(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What to remember.")],
    user: Annotated[str, typer.Option("--user", "-u", help="User id.")],
    session: Annotated[str | None, typer.Option(help="Session id.")] = None,
    speaker: Annotated[str | None, typer.Option(help="user, assistant, system or a name.")] = None,
    at: Annotated[str | None, typer.Option(help="ISO time (naive means UTC).")] = None,
    layer: Annotated[str | None, typer.Option(help="Force a layer.")] = None,
    meta: Annotated[list[str] | None, typer.Option(help="Metadata key=value (repeatable).")] = None,
) -> None:
    """Store a memory; prints its id and layer."""
    with _open(ctx) as brain:
        mem = brain.remember(text, user_id=user, session_id=session, speaker=speaker, at=at,
                             layer=layer, metadata=_meta(meta or []))
    data = {"id": mem.id, "layer": str(mem.layer), "kind": str(mem.kind)}
    _emit(ctx, data, f"{mem.id}  [bold]{mem.layer}[/bold] ({mem.kind})")


@app.command()
def recall(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to recall.")],
    user: Annotated[str, typer.Option("--user", "-u", help="User id.")],
    k: Annotated[int, typer.Option("-k", help="How many results.")] = 10,
    at: Annotated[str | None, typer.Option(help="Recall as of this ISO time.")] = None,
    layers: Annotated[str | None, typer.Option(help="Comma-separated layers.")] = None,
    explain: Annotated[bool, typer.Option(help="Full-sentence reasons.")] = False,
    session: Annotated[str | None, typer.Option(help="Session id (puts its working slots first).")] = None,
) -> None:
    """Recall memories for a query, with the reasons each one was returned."""
    with _open(ctx) as brain:
        results = brain.recall(query, user_id=user, k=k, at=at, explain=explain,
                               layers=layers.split(",") if layers else None, session_id=session)
    _emit(ctx, _recollection_rows(results), _recollection_table(f"recall: {query}", results))


@app.command()
def context(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What the prompt is about (the user's message).")],
    user: Annotated[str, typer.Option("--user", "-u", help="User id.")],
    budget: Annotated[int, typer.Option(help="Token budget (tokens estimated as UTF-8 bytes / 4).")] = 1000,
    at: Annotated[str | None, typer.Option(help="Read as of this ISO time.")] = None,
    session: Annotated[str | None, typer.Option(help="Session id (puts its working slots first).")] = None,
) -> None:
    """Print the memory block to paste into a prompt: profile prefix, then dated evidence."""
    with _open(ctx) as brain:
        block = brain.context(query, user_id=user, budget_tokens=budget, at=at, session_id=session)
    if _opts(ctx).as_json:
        _emit(ctx, block.model_dump(mode="json"))
        return
    typer.echo(block.text)  # plain: memory text is data, not rich markup
    typer.echo(f"≈{block.tokens_used} of {block.budget_tokens} tokens ({block.token_rule}); "
               f"{len(block.memory_ids)} memories quoted, {len(block.left_out)} left out",
               err=True)


@app.command()
def stats(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option("--user", "-u", help="User id (default: all).")] = None,
) -> None:
    """Per-layer counts, archived counts, graph size and the last sleep runs."""
    with _open(ctx) as brain:
        data = brain.stats(user)
    table = Table(title=f"zenbrain stats{' for ' + user if user else ''}")
    for col in ("layer", "active", "archived", "superseded"):
        table.add_column(col)
    for layer, c in data["layers"].items():
        table.add_row(layer, str(c["active"]), str(c["archived"]), str(c["superseded"]))
    table.add_row("[bold]total", str(data["active"]), str(data["archived"]), str(data["superseded"]))
    table.caption = (f"graph: {data['kg_nodes']} entities, {data['kg_edges']} relations · "
                     f"storage {data['storage_bytes'] / 1e6:.1f} MB · "
                     f"sleep runs: {len(data['last_sleep'])}")
    _emit(ctx, data, table)


@app.command()
def sleep(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option("--user", "-u", help="User id (default: all).")] = None,
    now: Annotated[str | None, typer.Option(help="Run as of this ISO time.")] = None,
) -> None:
    """Run one sleep cycle (consolidation and forgetting) and print its report."""
    with _open(ctx) as brain:
        if _opts(ctx).as_json:
            report = brain.sleep(user, now=now)
        else:
            report = _sleep_with_bar(brain, user, now)
    data = report.model_dump(mode="json")
    summary = (f"sleep {report.status}: {report.candidates} candidates, "
               f"{len(report.semantic_created)} summaries created, "
               f"{len(report.semantic_updated)} updated, {len(report.archived_ids)} archived; "
               f"active {report.active_count_before} → {report.active_count_after}")
    _emit(ctx, data, summary)


def _sleep_with_bar(brain: Brain, user: str | None, now: str | None) -> Any:
    """`brain.sleep` with a rich progress bar over every (user, namespace) step."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]sleep[/bold] {task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def on_step(ev: Any) -> None:
            if ev.phase == "start":
                bar.update(task, total=ev.units, completed=ev.unit - 1,
                           description=f"{ev.user_id}/{ev.namespace}: {ev.name}")
            elif ev.phase == "done":
                bar.update(task, completed=ev.unit)

        return brain.sleep(user, now=now, progress=on_step)


@app.command()
def forget(
    ctx: typer.Context,
    memory_id: Annotated[str | None, typer.Argument(help="Memory to archive.")] = None,
    user: Annotated[str | None, typer.Option("--user", "-u")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show what the forgetting pass would archive now, and why.")] = False,
    now: Annotated[str | None, typer.Option(help="With --dry-run: as of this ISO time.")] = None,
) -> None:
    """Archive a memory (restorable with `restore`), or preview forgetting with --dry-run."""
    if dry_run:
        with _open(ctx) as brain:
            rows = brain.forgetting_preview(user, now=now)
        table = Table(title=f"would be archived by the next sleep ({len(rows)})", show_lines=False)
        for col in ("id", "layer", "reason", "availability < threshold", "text"):
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(r["memory_id"], r["layer"], r["reason"],
                          f"{r['availability']:.3f} < {r['threshold']:.3f}", r["text"][:80])
        _emit(ctx, rows, table)
        return
    if memory_id is None:
        raise ZenBrainError("forget needs a memory id (or --dry-run to preview forgetting)")
    with _open(ctx) as brain:
        mem = brain.forget(memory_id, user_id=user)
    _emit(ctx, {"id": mem.id, "archived": mem.archived}, f"archived {mem.id}")


@app.command("serve-scheduler")
def serve_scheduler(
    ctx: typer.Context,
    sleep_cron: Annotated[str, typer.Option(help="Crontab of the nightly sleep (local time).")] = "0 3 * * *",
    tz: Annotated[str | None, typer.Option(help="Time zone of the cron (default: local).")] = None,
    user: Annotated[str | None, typer.Option("--user", "-u", help="Sleep only this user.")] = None,
) -> None:
    """Run the sleep and maintenance jobs in the foreground (Ctrl-C stops)."""
    import signal
    import threading

    stop = threading.Event()
    with _open(ctx) as brain:
        sched = brain.schedule_sleep(cron=sleep_cron, timezone=tz, user_id=user)
        console.print(f"zenbrain scheduler for {brain.home}: sleep '{sleep_cron}', next run "
                      f"{sched.next_run()}; Ctrl-C to stop")
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        stop.wait()


@app.command()
def restore(ctx: typer.Context, memory_id: str,
            user: Annotated[str | None, typer.Option("--user", "-u")] = None) -> None:
    """Bring an archived memory back."""
    with _open(ctx) as brain:
        mem = brain.restore(memory_id, user_id=user)
    _emit(ctx, {"id": mem.id, "archived": mem.archived}, f"restored {mem.id}")


@app.command()
def delete(ctx: typer.Context, memory_id: str,
           user: Annotated[str | None, typer.Option("--user", "-u")] = None) -> None:
    """Delete a memory for good (leaves a content-free tombstone)."""
    with _open(ctx) as brain:
        deleted = brain.delete(memory_id, user_id=user)
    _emit(ctx, {"id": memory_id, "deleted": deleted},
          f"deleted {memory_id}" if deleted else f"nothing with id {memory_id}")


@app.command("delete-user")
def delete_user(
    ctx: typer.Context,
    user: Annotated[str, typer.Option("--user", "-u", help="User id to erase.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """Erase a user everywhere (memories, versions, archive, vectors, graph, logs)."""
    if not yes:
        raise ZenBrainError(f"delete-user erases {user!r} for good; add --yes to confirm "
                            "(run `zenbrain export --user` first to keep a copy)")
    with _open(ctx) as brain:
        removed = brain.delete_user(user)
    _emit(ctx, {"user": user, "memories_removed": removed},
          f"erased {user}: {removed} memories removed")


@app.command()
def history(ctx: typer.Context, memory_id: str,
            user: Annotated[str | None, typer.Option("--user", "-u")] = None) -> None:
    """Every version of a memory, oldest first."""
    with _open(ctx) as brain:
        versions = brain.history(memory_id, user_id=user)
    rows = [{"version": m.version, "id": m.id, "current": m.is_current, "text": m.text,
             "created_at": m.created_at.isoformat()} for m in versions]
    table = Table(title=f"history of {memory_id}")
    for col in ("version", "id", "current", "text"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["version"]), r["id"], str(r["current"]), r["text"])
    _emit(ctx, rows, table)


@app.command("export")
def export_cmd(
    ctx: typer.Context,
    user: Annotated[str, typer.Option("--user", "-u", help="User id.")],
    out: Annotated[Path | None, typer.Option(help="Output file (default: <home>/exports/<user>.jsonl).")] = None,
    embeddings: Annotated[bool, typer.Option(help="Include the vectors (no re-embedding on import).")] = True,
) -> None:
    """Export one user's memories, versions, links and graph as JSONL."""
    with _open(ctx) as brain:
        target = out or brain.home / "exports" / f"{user}.jsonl"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        n = 0
        with tmp.open("w", encoding="utf-8") as fh:
            for record in brain.export(user, with_embeddings=embeddings):
                fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
                n += 1
        tmp.replace(target)  # atomic: a crash never leaves a half-written export
    _emit(ctx, {"path": str(target), "records": n}, f"wrote {n} records to {target}")


@app.command("import")
def import_cmd(ctx: typer.Context,
               path: Annotated[Path, typer.Argument(help="A JSONL file made by export.")]) -> None:
    """Import a JSONL export (idempotent: upsert by id)."""
    if not path.exists():
        raise ZenBrainError(f"no such file: {path}")
    with _open(ctx) as brain, path.open(encoding="utf-8") as fh:
        counts = brain.import_records(fh)
    _emit(ctx, counts, "imported: " + (", ".join(f"{v} {k}" for k, v in counts.items()) or "nothing new"))


@app.command()
def reindex(ctx: typer.Context,
            user: Annotated[str | None, typer.Option("--user", "-u")] = None,
            full: Annotated[bool, typer.Option(help="Rebuild every vector, not just the missing.")] = False,
            switch_model: Annotated[bool, typer.Option(
                help="With --full: re-embed every memory with the configured embedder and record it "
                     "as the brain's model (a brain written with another model is refused otherwise).")] = False,
            ) -> None:
    """Repair the vector index from SQLite (the system of record)."""
    if switch_model and (not full or user is not None):
        raise ZenBrainError("--switch-model re-embeds every memory: use it with --full and no --user")
    with _open(ctx, switch_model=switch_model) as brain:
        n = brain.reindex(user, full=full)
        recorded = brain.embedding_model
    data: dict[str, Any] = {"vectors_written": n}
    note = ""
    if switch_model:
        data["embedding_model"] = recorded[0] if recorded else None
        note = f"; the brain's embedding model is {data['embedding_model']}"
    _emit(ctx, data, f"reindex: {n} vectors written{note}")


@app.command()
def demo(
    ctx: typer.Context,
    home: Annotated[Path, typer.Option(help="Demo folder (reset on every run).")] = Path(".zenbrain-demo"),
) -> None:
    """Scripted offline demo: four sessions, recall with reasons, one sleep cycle."""
    from zenbrain.demo import run_demo

    result = run_demo(home)
    if _opts(ctx).as_json:
        _emit(ctx, {"counts_before": result.counts_before, "counts_after": result.counts_after,
                    "recalls": {q: _recollection_rows(r) for q, r in result.recalls},
                    "sleep": result.report.model_dump(mode="json") if result.report else None})
        return
    console.print(f"[bold]ZenBrain demo[/bold] — brain at {result.home.resolve()}")
    for query, results in result.recalls:
        console.print(_recollection_table(f"recall: {query!r} (day 31)", results))
    counts = Table(title="layer counts (active) before and after one sleep cycle")
    for col in ("layer", "before", "after"):
        counts.add_column(col)
    for layer in result.counts_before["layers"]:
        counts.add_row(layer, str(result.counts_before["layers"][layer]),
                       str(result.counts_after["layers"][layer]))
    counts.add_row("[bold]active", str(result.counts_before["active"]),
                   str(result.counts_after["active"]))
    counts.add_row("[bold]archived", str(result.counts_before["archived"]),
                   str(result.counts_after["archived"]))
    console.print(counts)
    if result.report is not None:
        r = result.report
        console.print(f"sleep: {len(r.semantic_created)} summaries created, "
                      f"{len(r.archived_ids)} memories archived (restorable)")
    for query, results in result.after_sleep:
        console.print(_recollection_table(f"after sleep: {query!r}", results))


@app.command()
def chat(
    ctx: typer.Context,
    user: Annotated[str, typer.Option("--user", "-u", help="User id.")],
    session: Annotated[str, typer.Option(help="Session (conversation thread) id.")] = "default",
    model: Annotated[str | None, typer.Option(help="provider:model for init_chat_model (default $ZENBRAIN_LLM; none = retrieval-only).")] = None,
) -> None:
    """Chat with the LangGraph memory agent (/recall, /why, /sleep, /stats, /forget, /quit)."""
    from zenbrain.chat import ChatSession, run_chat

    with _open(ctx) as brain:
        run_chat(ChatSession(brain, user_id=user, session_id=session, llm=model, console=console))


@app.command()
def mcp(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option("--user", "-u", help="Default user id for tools called without one.")] = None,
) -> None:
    """Serve the brain over MCP (stdio): tools context, remember, recall, search, feedback,
    forget, sleep, stats."""
    from zenbrain.mcp import serve

    o = _opts(ctx)
    serve(str(o.home) if o.home else None, namespace=o.namespace, default_user=user,
          lock_timeout=o.wait)


@app.command()
def graph(
    ctx: typer.Context,
    user: Annotated[str, typer.Option("--user", "-u", help="User id.")],
    html: Annotated[Path | None, typer.Option("--html", help="Write the interactive page here.")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Write a static picture here (matplotlib).")] = None,
    around: Annotated[str | None, typer.Option(help="Only what is around this entity.")] = None,
    depth: Annotated[int, typer.Option(help="Hops kept around --around.")] = 2,
    at: Annotated[str | None, typer.Option(help="The graph as it was at this ISO time.")] = None,
    layers: Annotated[str | None, typer.Option(help="Comma-separated layers.")] = None,
    archived: Annotated[bool, typer.Option(help="Show archived memories too (greyed).")] = False,
    superseded: Annotated[bool, typer.Option(help="Show superseded memories and ended relations.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many memories (the newest).")] = 300,
) -> None:
    """Draw a user's memory graph: a self-contained HTML page (nothing fetched) or a PNG; reads
    only. Without --html/--png, prints the nodes and edges (--json for all of it)."""
    with _open(ctx) as brain:
        view = brain.visualize(user, around=around, depth=depth, at=at, archived=archived,
                               superseded=superseded, limit=limit,
                               layers=[x.strip() for x in layers.split(",")] if layers else None)
    for target in (html, png):
        if target is not None:
            view.save(target)
            typer.echo(f"wrote {target} ({view.summary()})")
    if html is None and png is None:
        table = Table(title=view.title, caption=view.summary())
        for col in ("kind", "label", "state"):
            table.add_column(col)
        for n in view.nodes:
            table.add_row(n.kind, n.label.replace("\n", " · "), n.state)
        _emit(ctx, view.to_dict(), table)


@app.command()
def version() -> None:
    """Print the package version."""
    typer.echo(zenbrain.__version__)


def main() -> None:
    try:
        app()
    except ZenBrainError as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc}")
        sys.exit(1)


if __name__ == "__main__":
    main()
