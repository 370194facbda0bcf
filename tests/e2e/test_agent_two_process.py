"""Acceptance: process 1 chats with the agent (a fake chat model in place of a remote API) and
exits; process 2 starts fresh on the same home, continues the thread, and the agent recalls a
fact from process 1's conversation with its provenance. Brain holds an exclusive lock per home,
so the two processes run one after the other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

_SCRIPT = textwrap.dedent("""
    import json, sys
    from langchain_core.language_models import FakeListChatModel
    from zenbrain import Brain
    from zenbrain.agents import build_graph, thread_config

    home, replies, *turns = sys.argv[1:]
    with Brain(home) as brain:
        graph = build_graph(brain, FakeListChatModel(responses=json.loads(replies)))
        for text in turns:
            out = graph.invoke({"messages": [("user", text)], "user_id": "alice",
                                "session_id": "s1"}, thread_config("alice", "s1"))
        top = out["recollections"][0] if out["recollections"] else None
        source = brain.get(top["sources"][0]) if top and top["sources"] else None
        print(json.dumps({
            "messages": [m.content for m in out["messages"]], "cited": out["cited"],
            "recollections": out["recollections"],
            "source": source and {"id": source.id, "speaker": source.speaker,
                                  "layer": str(source.layer), "session_id": source.session_id},
        }, default=str))
        graph.checkpointer.conn.close()
""")


def _run(home, replies, *turns):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "ANONYMIZED_TELEMETRY": "False", "ZENBRAIN_LLM": ""}
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(home), json.dumps(replies), *turns],
                          capture_output=True, text=True, env=env, timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_second_process_continues_thread_and_recalls_with_provenance(tmp_path):
    home = tmp_path / "brain"
    first = _run(home, ["Lovely — a grey Maine Coon called Luna!", "Noted."],
                 "My cat Luna is a grey Maine Coon and she loves tuna.",
                 "I also volunteer at the animal shelter on Saturdays.")
    assert len(first["messages"]) == 4

    second = _run(home, ["Your cat is called Luna."], "What is my cat called?")
    assert second["messages"][:4] == first["messages"]  # the thread continued
    assert second["messages"][4:6][0] == "What is my cat called?"
    assert second["messages"][5].startswith("Your cat is called Luna.")
    top = second["recollections"][0]
    assert "Luna" in top["text"] and top["session_id"] == "s1"
    assert top["created_at"] and top["reasons"]
    assert top["id"] in second["cited"]
    # Provenance: the episode points at the short-term turn process 1 observed.
    assert second["source"]["speaker"] == "user" and second["source"]["session_id"] == "s1"
