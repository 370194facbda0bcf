"""The terminal chat behind `zenbrain chat`: a read–eval–print loop over the LangGraph agent.

Lines starting with "/" are commands (`/recall q`, `/why`, `/sleep`, `/stats`, `/forget id`,
`/help`, `/quit`); anything else is a turn for the agent. Input and output are injectable so the
loop can be tested without a terminal. This module prints (it is a CLI shell, like cli.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zenbrain import ZenBrainError
from zenbrain.agents import build_graph, thread_config

if TYPE_CHECKING:
    from zenbrain import Brain

__all__ = ["HELP", "ChatSession", "run_chat"]

HELP = ("commands: /recall <query> · /why (memories behind the last answer) · /sleep · /stats · "
        "/forget <memory id> · /help · /quit")


class ChatSession:
    """One user's conversation thread with the agent, plus the slash commands."""

    def __init__(self, brain: Brain, *, user_id: str, session_id: str = "default",
                 llm: Any = None, console: Console | None = None) -> None:
        self.brain = brain
        self.user_id = user_id
        self.session_id = session_id
        self.console = console or Console()
        self.graph = build_graph(brain, llm)
        self.config = thread_config(user_id, session_id)
        self.last: dict[str, Any] = {}

    @property
    def model_name(self) -> str | None:
        model = getattr(self.graph, "zenbrain_llm", None)
        if model is None:
            return None
        return str(getattr(model, "model_name", None) or getattr(model, "model", None)
                   or type(model).__name__)

    def banner(self) -> None:
        turns = len(self.graph.get_state(self.config).values.get("messages", []))
        mode = (f"model {self.model_name}" if self.model_name
                else "retrieval-only mode (no language model configured)")
        self.console.print(f"[bold]zenbrain chat[/bold] · user [cyan]{escape(self.user_id)}[/cyan] "
                           f"· session {escape(self.session_id)} · {mode} · "
                           f"{turns} earlier messages in this thread")
        self.console.print(f"[dim]{HELP}[/dim]")

    def handle(self, line: str) -> bool:
        """Process one input line; False when the user asked to quit."""
        line = line.strip()
        if not line:
            return True
        if line.startswith("/"):
            command, _, arg = line[1:].partition(" ")
            handler = _COMMANDS.get(command.lower())
            if handler is None:
                self.console.print(f"[red]unknown command /{escape(command)}[/red] — {HELP}")
                return True
            return handler(self, arg.strip())
        out = self.graph.invoke({"messages": [("user", line)], "user_id": self.user_id,
                                 "session_id": self.session_id}, self.config)
        self.last = out
        self.console.print(f"[bold green]zenbrain>[/bold green] {escape(str(out['messages'][-1].content))}")
        return True

    # ---- commands -----------------------------------------------------------------------------

    def _recall(self, query: str) -> bool:
        if not query:
            self.console.print("usage: /recall <query>")
            return True
        results = self.brain.recall(query, user_id=self.user_id, k=5, explain=True,
                                    session_id=self.session_id)
        self.console.print(_table(f"recall: {query}", [
            (r.memory.id, str(r.memory.layer), f"{r.score:.3f}", r.text,
             r.memory.created_at.strftime("%Y-%m-%d"), "; ".join(r.reasons[:2])) for r in results]))
        return True

    def _why(self, _: str) -> bool:
        recs = {r["id"]: r for r in self.last.get("recollections") or []}
        cited = self.last.get("cited") or []
        if not cited:
            self.console.print("no memories behind the last answer")
            return True
        self.console.print(_table("memories behind the last answer", [
            (mid, recs[mid]["layer"], f"{recs[mid]['score']:.3f}", recs[mid]["text"],
             recs[mid]["created_at"][:10], "; ".join(recs[mid]["reasons"][:3]))
            for mid in cited if mid in recs]))
        for c in self.last.get("corrections") or []:
            self.console.print(f"correction: [{c['contradicted']}] marked contradicted")
        return True

    def _sleep(self, _: str) -> bool:
        r = self.brain.sleep(self.user_id)
        self.console.print(f"sleep {r.status}: {len(r.semantic_created)} summaries created, "
                           f"{len(r.semantic_updated)} updated, {len(r.archived_ids)} archived; "
                           f"active {r.active_count_before} → {r.active_count_after}")
        return True

    def _stats(self, _: str) -> bool:
        s = self.brain.stats(self.user_id)
        layers = ", ".join(f"{k} {v['active']}" for k, v in s["layers"].items() if v["active"])
        self.console.print(f"{s['active']} active ({layers or 'none'}), {s['archived']} archived; "
                           f"graph {s['kg_nodes']} entities, {s['kg_edges']} relations")
        return True

    def _forget(self, memory_id: str) -> bool:
        if not memory_id:
            self.console.print("usage: /forget <memory id>")
            return True
        mem = self.brain.forget(memory_id, user_id=self.user_id)
        self.console.print(f"archived {mem.id} (restorable with `zenbrain restore {mem.id}`)")
        return True

    def _help(self, _: str) -> bool:
        self.console.print(HELP)
        return True

    def _quit(self, _: str) -> bool:
        return False


_COMMANDS: dict[str, Callable[[ChatSession, str], bool]] = {
    "recall": ChatSession._recall, "why": ChatSession._why, "sleep": ChatSession._sleep,
    "stats": ChatSession._stats, "forget": ChatSession._forget, "help": ChatSession._help,
    "quit": ChatSession._quit, "exit": ChatSession._quit, "q": ChatSession._quit,
}


def _table(title: str, rows: list[tuple[str, ...]]) -> Table:
    table = Table(title=title, show_lines=True)
    for col in ("id", "layer", "score", "memory", "date", "why"):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(escape(c) for c in row))
    return table


def run_chat(session: ChatSession, read: Callable[[], str] | None = None) -> None:
    """The loop: read a line, handle it, until /quit or end of input. Errors from the library
    are shown and the chat goes on."""
    console = session.console
    read = read or (lambda: console.input("[bold cyan]you>[/bold cyan] "))
    session.banner()
    while True:
        try:
            line = read()
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        try:
            if not session.handle(line):
                break
        except ZenBrainError as exc:
            console.print(f"[red]error:[/red] {escape(str(exc))}")
    console.print("[dim]bye — the thread and the memories are saved.[/dim]")
