"""Cold start (issue 14): a command that reads no vectors imports neither the model stack nor the
vector index, and the vector index opens (and repairs itself) on first use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import day

from zenbrain import Brain
from zenbrain.config import load_config

HEAVY = ("torch", "sentence_transformers", "transformers", "chromadb")
_PROBE = """
import json, sys
from zenbrain.cli import main
sys.argv = ["zenbrain", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print("LOADED=" + json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _loaded_after(args: list[str], home: Path) -> list[str]:
    env = dict(os.environ, ZENBRAIN_HOME=str(home))
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=HEAVY), json.dumps(args)],
                          env=env, capture_output=True, text=True, check=True, timeout=120)
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("LOADED="))
    return json.loads(line.removeprefix("LOADED="))


@pytest.fixture
def small_home(tmp_path, minilm, clock):
    home = tmp_path / "brain"
    with Brain(home, embedder=minilm, clock=clock) as brain:
        mem = brain.remember("I live in Lisbon.", user_id="u1", at=day(0))
    return home, mem.id


@pytest.mark.embedded_only("the probe opens the brain folder; PostgreSQL runs share a database")
@pytest.mark.parametrize("args", [
    ["--help"], ["stats", "--user", "u1"], ["history", "{mem}", "--user", "u1"],
    ["export", "--user", "u1"], ["forget", "--dry-run", "--user", "u1"],
])
def test_commands_that_read_no_vectors_load_no_model_and_no_index(small_home, args):
    home, mem = small_home
    assert _loaded_after([a.format(mem=mem) for a in args], home) == []


def test_the_index_opens_on_first_use_and_repairs_then(open_brain, tmp_path):
    home = tmp_path / "b"
    brain = open_brain(home)
    mem = brain.remember("The boiler code is 7781", user_id="u1")
    brain._index.delete("u1", [mem.id])  # the vector lost, as after a crash
    brain._store.update(mem.id, index_pending=True)
    brain.close()
    # exact_scan_max=0: recall asks the index even for a small user (the default scans SQLite
    # for them, tests/recall/test_exact_scan.py, and finds the pending row without the index).
    reopened = open_brain(home, config=load_config(home, exact_scan_max=0))
    assert not reopened._index.opened  # opening the brain read no vectors
    assert reopened.stats("u1")["active"] == 1
    assert not reopened._index.opened
    assert reopened.recall("boiler code", user_id="u1")[0].memory.id == mem.id
    assert reopened._index.opened and reopened.repaired_on_open == 1
    assert mem.id in reopened._index.ids("u1")


def test_opening_the_index_repairs_only_users_with_outbox_rows(open_brain, tmp_path):
    # Comparing a user's vector count loads their collection: at open that is done only for
    # users the outbox names; any other user's gap is found on their first recall.
    home = tmp_path / "b"
    brain = open_brain(home, config=load_config(home, exact_scan_max=0))  # every user indexed
    mems = {u: brain.remember_many([f"{u} note {i}: the shed key is under pot {i}"
                                    for i in range(3)], user_id=u) for u in ("u1", "u2", "u3")}
    brain._store.update(mems["u2"][0].id, index_pending=True)  # its upsert never confirmed
    brain._index.delete("u2", [mems["u2"][0].id])
    brain._index.delete("u3", [mems["u3"][1].id])  # lost without an outbox row
    brain.close()
    reopened = open_brain(home, config=load_config(home, exact_scan_max=0))  # recall uses the index
    assert reopened.repaired_on_open == 1  # u2's pending row, nothing of u3
    assert reopened._index.count("u3") == 2
    assert reopened.stats("u2")["index_pending"] == 0
    reopened.recall("where is the shed key", user_id="u3", read_only=True)
    assert reopened._index.ids("u3") == {m.id for m in mems["u3"]}


def test_a_lost_index_is_rebuilt_for_every_user_on_open(open_brain, tmp_path):
    home = tmp_path / "b"
    config = load_config(home, exact_scan_max=0)  # every user indexed
    brain = open_brain(home, config=config)
    for u in ("u1", "u2"):
        brain.remember_many([f"{u} likes tea number {i}" for i in range(2)], user_id=u)
    brain.close()
    import shutil

    shutil.rmtree(home / "chroma")
    reopened = open_brain(home, config=config)
    assert reopened.repaired_on_open == 4
    assert reopened._index.count("u1") == reopened._index.count("u2") == 2
