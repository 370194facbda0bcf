"""delete_user removes a user everywhere: no trace of their text in the raw files."""

from __future__ import annotations

import json

import pytest
from helpers import day
from typer.testing import CliRunner

from zenbrain.cli import app

CANARY = "zqxcanary7731"


def _raw_bytes(home) -> bytes:
    return b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())


@pytest.mark.embedded_only("searches the raw files of the home; tests/store/test_postgres.py checks the server")
def test_delete_user_leaves_no_trace(open_brain, tmp_path):
    home = tmp_path / "b"
    brain = open_brain(home)
    mems = brain.remember_many([f"My secret word is {CANARY} number {i}" for i in range(5)],
                               user_id="victim", at=day(0))
    brain.observe([{"role": "user", "content": f"Remember {CANARY} for my cat Luna"}],
                  user_id="victim", session_id="s", at=day(1))
    brain.remember(f"Profile {CANARY}", user_id="victim", layer="core", metadata={"block": "p"})
    brain.forget(mems[0].id)
    brain.remember("Bystander note about the weather", user_id="other", at=day(0))
    brain.sleep("victim", now=day(2))
    brain.recall(CANARY, user_id="victim", at=day(2))
    assert CANARY.encode() in _raw_bytes(home)

    removed = brain.delete_user("victim")
    assert removed >= 7
    brain.close()
    raw = _raw_bytes(home)
    assert CANARY.encode() not in raw
    assert b"victim" not in raw

    brain = open_brain(home)
    assert brain.stats("victim")["active"] == 0 and brain.stats("victim")["archived"] == 0
    assert brain.recall(CANARY, user_id="victim", at=day(3)) == []
    assert brain.graph("victim").number_of_nodes() == 0
    assert list(brain.export("victim"))[1:] == []
    assert brain.stats("other")["active"] == 1


def test_delete_user_cli_requires_confirmation(tmp_path):
    runner = CliRunner()
    home = str(tmp_path / "b")
    runner.invoke(app, ["--home", home, "remember", f"note {CANARY}", "--user", "u1"])
    refused = runner.invoke(app, ["--home", home, "delete-user", "--user", "u1"])
    assert refused.exit_code != 0 and "--yes" in str(refused.exception)
    done = runner.invoke(app, ["--home", home, "--json", "delete-user", "--user", "u1", "--yes"])
    assert json.loads(done.output)["memories_removed"] == 1
