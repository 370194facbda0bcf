"""The CLI, in-process through typer's runner, on a real brain folder."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from zenbrain.cli import app

runner = CliRunner()
COMMANDS = ["remember", "recall", "context", "stats", "sleep", "forget", "restore", "delete", "delete-user", "history",
            "export", "import", "reindex", "demo", "version", "chat", "mcp", "serve-scheduler", "graph"]


def run(home, *args):
    result = runner.invoke(app, ["--home", str(home), *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_every_command_is_documented():
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "CLI.md").read_text()
    for command in COMMANDS:
        assert f"zenbrain {command}" in doc, command


def test_remember_recall_stats_json(tmp_path):
    home = tmp_path / "b"
    out = json.loads(run(home, "--json", "remember", "My cat Luna loves tuna", "--user", "u1",
                         "--at", "2026-01-01T09:00:00").output)
    assert out["layer"] == "episodic" and out["id"].startswith("mem_")
    rec = json.loads(run(home, "--json", "recall", "what does Luna eat", "--user", "u1",
                         "--explain", "--at", "2026-01-02").output)
    assert rec[0]["id"] == out["id"] and rec[0]["reasons"]
    stats = json.loads(run(home, "--json", "stats", "--user", "u1").output)
    assert stats["active"] == 1
    human = run(home, "recall", "Luna", "--user", "u1").output
    assert "Luna" in human


def test_forget_restore_delete_history(tmp_path):
    home = tmp_path / "b"
    mid = json.loads(run(home, "--json", "remember", "Locker 12", "--user", "u1").output)["id"]
    assert json.loads(run(home, "--json", "forget", mid).output)["archived"] is True
    assert json.loads(run(home, "--json", "restore", mid).output)["archived"] is False
    assert json.loads(run(home, "--json", "history", mid).output)[0]["id"] == mid
    assert json.loads(run(home, "--json", "delete", mid).output)["deleted"] is True
    assert json.loads(run(home, "--json", "delete", mid).output)["deleted"] is False


def test_errors_are_one_line_and_exit_1(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "zenbrain", "--home", str(tmp_path / "b"), "remember", "  ",
         "--user", "u1"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "error:" in proc.stderr and "empty" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.embedded_only("two homes are two brains")
def test_export_import_round_trip_via_cli(tmp_path):
    src, dst = tmp_path / "src", tmp_path / "dst"
    run(src, "remember", "My cat Luna loves tuna", "--user", "u1")
    run(src, "remember", "Name: Dana", "--user", "u1", "--layer", "core", "--meta", "block=profile")
    run(src, "remember", "Name: Dana K.", "--user", "u1", "--layer", "core", "--meta", "block=profile")
    path = tmp_path / "u1.jsonl"
    run(src, "export", "--user", "u1", "--out", str(path))
    first = json.loads(run(dst, "--json", "import", str(path)).output)
    assert first["memory"] == 3
    assert json.loads(run(dst, "--json", "import", str(path)).output) == {}
    assert json.loads(run(dst, "--json", "stats", "--user", "u1").output)["superseded"] == 1


def test_reindex(tmp_path):
    home = tmp_path / "b"
    run(home, "remember", "note one about kites", "--user", "u1")
    out = json.loads(run(home, "--json", "reindex", "--full").output)
    assert out["vectors_written"] == 1


def test_reindex_switch_model_moves_a_brain_to_the_configured_embedder(tmp_path, monkeypatch):
    from zenbrain import EmbeddingModelMismatchError

    home = tmp_path / "b"
    monkeypatch.setenv("ZENBRAIN_EMBEDDER", "hash")
    mid = json.loads(run(home, "--json", "remember", "My cat Luna loves tuna", "--user", "u1",
                         "--at", "2026-01-01T09:00:00").output)["id"]
    monkeypatch.delenv("ZENBRAIN_EMBEDDER")  # the default model from here on
    refused = runner.invoke(app, ["--home", str(home), "recall", "Luna", "--user", "u1"])
    assert isinstance(refused.exception, EmbeddingModelMismatchError)
    assert "hash384" in str(refused.exception) and "all-MiniLM-L6-v2" in str(refused.exception)
    partial = runner.invoke(app, ["--home", str(home), "reindex", "--switch-model"])
    assert "--full" in str(partial.exception)
    out = json.loads(run(home, "--json", "reindex", "--full", "--switch-model").output)
    assert out == {"vectors_written": 1, "embedding_model": "all-MiniLM-L6-v2"}
    rec = json.loads(run(home, "--json", "recall", "what does Luna eat", "--user", "u1",
                         "--at", "2026-01-02").output)
    assert rec[0]["id"] == mid
    monkeypatch.setenv("ZENBRAIN_EMBEDDER", "hash")
    back = runner.invoke(app, ["--home", str(home), "stats"])
    assert isinstance(back.exception, EmbeddingModelMismatchError)


def test_context_prints_the_block_and_its_json(tmp_path):
    home = tmp_path / "b"
    run(home, "remember", "Name: Dana.", "--user", "u1", "--layer", "core", "--meta", "block=profile",
        "--at", "2026-01-01T09:00:00")
    mid = json.loads(run(home, "--json", "remember", "My cat Luna loves tuna", "--user", "u1",
                         "--at", "2026-01-01T09:00:00").output)["id"]
    plain = run(home, "context", "what does my cat eat?", "--user", "u1", "--budget", "200",
                "--at", "2026-01-02")
    assert plain.exit_code == 0
    assert plain.stdout.startswith("Core memory (always true of the user):\n")
    assert f'- 2026-01-01 user [{mid[-4:]}]: "My cat Luna loves tuna"' in plain.stdout
    assert "tokens" in plain.stderr and "tokens" not in plain.stdout  # stdout pastes as is
    data = json.loads(run(home, "--json", "context", "what does my cat eat?", "--user", "u1",
                          "--budget", "200", "--at", "2026-01-02").output)
    assert data["text"] == plain.stdout.rstrip("\n") and mid in data["memory_ids"]
    assert data["tokens_used"] <= data["budget_tokens"] == 200
    assert data["items"][-1]["explain"]
    bad = runner.invoke(app, ["--home", str(home), "context", "cat", "--user", "u1", "--budget", "0"])
    assert isinstance(bad.exception, ValueError) and "budget_tokens" in str(bad.exception)
