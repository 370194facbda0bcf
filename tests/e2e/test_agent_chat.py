"""`zenbrain chat` offline: retrieval-only mode, the slash commands, and the thread surviving a
restart — driven through the CLI with scripted input."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from zenbrain.cli import app

runner = CliRunner()


def chat(home, lines, *extra):
    result = runner.invoke(app, ["--home", str(home), "chat", "--user", "alice", *extra],
                           input="\n".join(lines) + "\n", env={"ZENBRAIN_LLM": "", "COLUMNS": "200"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result.output


def test_chat_offline_retrieval_only_with_commands(tmp_path):
    home = tmp_path / "b"
    out = chat(home, ["My cat Luna loves tuna.", "I work at Acme Corp as a nurse.",
                      "What does my cat eat?", "/why", "/recall where do I work", "/stats",
                      "/sleep", "/nonsense", "/quit"])
    assert "retrieval-only mode" in out and "0 earlier messages" in out
    assert "No language model is configured" in out
    assert "memories behind the last answer" in out and "Luna" in out
    assert "recall: where do I work" in out and "Acme" in out
    assert "active (" in out and "sleep " in out and "unknown command /nonsense" in out
    assert "bye" in out

    recalled = json.loads(runner.invoke(app, ["--home", str(home), "--json", "recall", "Luna",
                                              "--user", "alice", "-k", "1"]).output)
    mid = recalled[0]["id"]
    again = chat(home, [f"/forget {mid}", "/forget mem_nope", "what does my cat eat?"])
    assert "6 earlier messages" in again  # the thread was saved by the first process
    assert f"archived {mid}" in again and "error:" in again


def test_chat_with_an_unknown_provider_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["--home", str(tmp_path / "b"), "chat", "--user", "alice",
                                 "--model", "gpt4"], input="/quit\n")
    assert isinstance(result.exception, ValueError) and "provider:model" in str(result.exception)
