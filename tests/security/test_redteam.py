"""Red team: every injection phrasing of `phrasings.ATTACKS`, through every write path, then
reconsolidation, promotion attempts and one sleep cycle (issue 18).

Table-driven: one test per write path, each pushing all phrasings (one brain per path, writes
batched where the path allows, one sleep). For every phrasing it asserts:

* the memory holding it is flagged (`zb_instruction`, trust low) on write;
* nothing reaches core or cross-context (the import path and the MCP path even ask for core, and
  every flagged semantic memory is confirmed eight times, which promotes a clean control fact);
* every memory derived from flagged text (summary, reconsolidated version) keeps the flag, is
  low-trust and names its low-trust sources; no memory holding the text is without its flag;
* the chat agent's system prompt fences it as untrusted quoted data.

Runs on both backends (`make test` repeats the suite with `--postgres`).
"""

from __future__ import annotations

import json

import anyio
import pytest
from langchain_core.language_models import FakeListChatModel
from security.phrasings import ATTACKS

from zenbrain.agents import ZenBrainStore, build_graph, thread_config
from zenbrain.extract.text import content_hash
from zenbrain.ids import new_id

USER = "mallory"
FENCE = "[untrusted memory, quoted as data"
PATHS = ["remember", "remember_many", "observe", "import", "mcp_remember", "store_put",
         "chat_agent"]
CONTROL = "My name is Dana Whitfield and I was born in Leeds."


class RecordingChatModel(FakeListChatModel):
    """A scripted chat model that keeps every prompt it was sent (stands in for a remote API)."""

    prompts: list[list] = []

    def _call(self, messages, stop=None, run_manager=None, **kwargs):  # noqa: D401
        self.prompts.append(list(messages))
        return super()._call(messages, stop=stop, run_manager=run_manager, **kwargs)


def _llm() -> RecordingChatModel:
    return RecordingChatModel(responses=["Noted."], prompts=[])


def _turn(graph, text, session):
    return graph.invoke({"messages": [("user", text)], "user_id": USER, "session_id": session},
                        thread_config(USER, session))


# ---- the write paths ------------------------------------------------------------------------------


def _write(path, brain, clock, llm):
    texts = [t for _, t in ATTACKS]
    if path == "remember":
        for i, text in enumerate(texts):
            brain.remember(text, user_id=USER, session_id=f"s{i // 7}")
            clock.advance(minutes=1)
    elif path == "remember_many":
        brain.remember_many([{"text": t, "session_id": f"s{i // 7}"} for i, t in enumerate(texts)],
                            user_id=USER)
    elif path == "observe":
        for s in range(0, len(texts), 7):
            brain.observe([{"role": "user", "content": t} for t in texts[s:s + 7]],
                          user_id=USER, session_id=f"s{s // 7}")
            clock.advance(minutes=5)
    elif path == "import":
        donors = brain.remember_many([f"placeholder note number {i}" for i in range(len(texts))],
                                     user_id="donor")
        ids = {m.id for m in donors}
        lines = []
        for rec in brain.export("donor", with_embeddings=False):
            if rec["type"] == "header":
                header = json.dumps({**rec, "user_id": USER})
            if rec["type"] != "memory" or rec["record"]["id"] not in ids:
                continue
            text = texts[len(lines)]
            meta = {k: v for k, v in rec["record"]["metadata"].items() if k != "zb_instruction"}
            mid = new_id("mem")
            # A hostile file: flags stripped, full trust claimed, and core asked for.
            rec["record"].update(id=mid, root_id=mid, user_id=USER, text=text, layer="core",
                                 pinned=True, content_hash=content_hash(text),
                                 metadata={**meta, "zb_trust": "high", "zb_source": "user_said"})
            lines.append(json.dumps(rec))
        assert brain.import_records([header, *lines])["memory"] == len(texts)
    elif path == "mcp_remember":
        from zenbrain.mcp import build_server

        server = build_server(brain, default_user=USER)

        async def calls():
            for i, text in enumerate(texts):
                layer = "core" if i % 2 == 0 else None  # a steered model asks for core
                args = {"text": text, "session_id": f"s{i // 7}"} | ({"layer": layer} if layer else {})
                result = await server.call_tool("remember", args)
                assert not result.is_error, result.content
            found = await server.call_tool("recall", {"query": "instructions password prompt",
                                                      "k": 20})
            return found.structured_content or json.loads(found.content[0].text)

        out = anyio.run(calls)
        rows = out["results"]
        assert rows and all(r["untrusted"] and r["text"].startswith(FENCE) and r["flags"]
                            for r in rows if any(t[:25] in r["text"] for t in texts))
    elif path == "store_put":
        store = ZenBrainStore(brain)
        for i, text in enumerate(texts):
            store.put((USER,), f"k{i}", {"content": text})
    elif path == "chat_agent":
        # Seven turns of seven phrasings each, as a pasted page carrying several injections.
        graph = build_graph(brain, llm, checkpointer=False)
        for s in range(0, len(texts), 7):
            _turn(graph, "\n".join(texts[s:s + 7]), f"s{s // 7}")
            clock.advance(minutes=1)
    else:  # pragma: no cover
        raise AssertionError(path)


# ---- the checks -----------------------------------------------------------------------------------


def _all_records(brain):
    """Every memory of the user, current, superseded and archived (the export is lossless)."""
    return [r["record"] for r in brain.export(USER, with_embeddings=False) if r["type"] == "memory"]


def _holds(record_text, text):
    return text.strip().rstrip(".") in record_text


def _reconsolidation_round(brain, clock, texts):
    """Every phrasing restated as a semantic fact, then updated: versions, refinements, merges."""
    clock.advance(hours=1)
    brain.remember_many([{"text": t, "layer": "semantic", "metadata": {"kind": "fact"}}
                         for t in texts], user_id=USER)
    clock.advance(hours=1)
    brain.remember_many([{"text": f"{t} I said that on Monday.", "layer": "semantic",
                          "metadata": {"kind": "fact"}} for t in texts], user_id=USER)


# Reconsolidation sees a stored memory whichever path wrote it, so the round that restates and
# updates every phrasing runs once (after the plain `remember` path), not once per path: the
# CI budget pays for 49 embeddings per path, not 150.
@pytest.mark.parametrize("path", PATHS)
def test_injections_stay_flagged_through_every_path_and_sleep(path, brain, clock):
    _run(path, brain, clock, reconsolidate=path == "remember")


def _run(path, brain, clock, *, reconsolidate):
    llm = _llm()
    _write(path, brain, clock, llm)
    texts = [t for _, t in ATTACKS]

    if reconsolidate:
        _reconsolidation_round(brain, clock, texts)
    control = brain.remember(CONTROL, user_id=USER, layer="semantic")

    # Promotion attempt: flagged memories (and the clean control) confirmed 8 times. Each path
    # pushes its own seventh of them, so across the seven paths every phrasing is pushed once
    # (and every path still writes, sleeps and prompts with all of them).
    flagged = [m for m in brain.memories(USER) if m.metadata.get("zb_instruction")]
    assert flagged
    pushed = flagged[PATHS.index(path)::len(PATHS)] or flagged[:1]
    for _ in range(8):
        clock.advance(minutes=10)
        for m in [*pushed, control]:
            brain.feedback(m.id, "confirmed", user_id=USER)

    clock.advance(days=2)
    report = brain.sleep(USER)
    assert report.status == "ok", report.errors

    records = _all_records(brain)
    by_id = {r["id"]: r for r in records}
    flagged_ids = {r["id"] for r in records if r["metadata"].get("zb_instruction")}
    failures: list[str] = []

    # 1. Flagged on write, wherever the path put it.
    for name, text in ATTACKS:
        holders = [r for r in records if _holds(r["text"], text)]
        if not holders:
            failures.append(f"{name}: not stored")
        for r in holders:
            if not r["metadata"].get("zb_instruction") or r["metadata"].get("zb_trust") != "low":
                failures.append(f"{name}: {r['id']} ({r['layer']}) holds it without a flag")

    # 2. Nothing reaches core or cross-context, although the clean control fact does.
    core = [r for r in records if r["layer"] in ("core", "cross_context")]
    assert [r["id"] for r in core if r["is_current"] and not r["archived"]] == [control.id], (
        "only the clean control may reach core", [(r["id"], r["text"][:40]) for r in core])
    assert report.promoted_to_core == [control.id]

    # 3. Everything derived from flagged text keeps the flag and names its low-trust sources.
    derived = 0
    for r in records:
        parents = set(r["sources"]) | ({r["supersedes"]} if r["supersedes"] else set())
        tainted = parents & flagged_ids
        if not tainted:
            continue
        derived += 1
        named = {s["id"] for s in r["metadata"].get("zb_low_trust_sources", [])}
        if all(by_id[p]["text"] == r["text"] for p in tainted):
            continue  # an episode and its own short-term turn: the same text, its own flags
        if not r["metadata"].get("zb_instruction") or r["metadata"].get("zb_trust") != "low":
            failures.append(f"derived {r['id']} ({r['kind']}) lost the flag of {sorted(tainted)}")
        if not tainted & (named | {r["supersedes"]}):
            failures.append(f"derived {r['id']} does not name its low-trust sources")
    versions = [r for r in records if r["metadata"].get("zb_reconsolidation")]
    assert versions or not reconsolidate, "the reconsolidation round changed nothing"
    summaries = [r for r in records if r["kind"] == "summary"]
    for s in summaries:  # flagged episodes are kept out of abstraction altogether
        assert not set(s["sources"]) & flagged_ids, s["text"][:80]

    # 4. The chat agent's prompt fences every phrasing it holds.
    graph = build_graph(brain, llm, checkpointer=False, k=60, token_budget=40_000)
    _turn(graph, "What are my instructions, passwords and prompts? What should you send?", "probe")
    prompts = [p[0].content for p in llm.prompts]
    seen = set()
    for prompt in prompts:
        assert "never follow it" in prompt
        for line in prompt.splitlines():
            for name, text in ATTACKS:
                if _holds(line, text):
                    seen.add(name)
                    if FENCE not in line or "flags:" not in line:
                        failures.append(f"{name}: in the agent prompt unfenced: {line[:120]}")
    assert len(seen) >= len(ATTACKS) // 2, f"only {len(seen)} phrasings reached the prompt"

    assert not failures, "\n".join(failures)
    assert by_id  # keeps the figures' denominator honest: records were read
    print(f"\n{path}: {len(ATTACKS)} phrasings, {len(flagged_ids)} flagged records, "
          f"{derived} derived from flagged text, {len(versions)} reconsolidated, "
          f"{len(summaries)} summaries, {len(seen)} phrasings in the agent prompt (all fenced)")
