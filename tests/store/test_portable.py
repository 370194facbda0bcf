"""Export/import (lossless JSONL round trip) and the vector-index repair from SQLite."""

from __future__ import annotations

import json
import shutil

import pytest
from helpers import day

from zenbrain import InvalidInputError
from zenbrain.config import load_config


def _populate(brain):
    brain.observe([{"role": "user", "content": "My cat Luna loves tuna", "id": "x1"},
                   {"role": "assistant", "content": "Cute!"}], user_id="u1", session_id="s", at=day(0))
    brain.remember("Profile: Dana", user_id="u1", layer="core", metadata={"block": "p"}, at=day(0))
    brain.remember("Profile: Dana, vegetarian", user_id="u1", layer="core", metadata={"block": "p"}, at=day(1))
    gone = brain.remember("An old note to archive", user_id="u1", at=day(1))
    brain.forget(gone.id)
    brain.remember("Someone else's note", user_id="u2", at=day(1))


def _counts(brain, user):
    s = brain.stats(user)
    g = brain.graph(user)
    return (s["active"], s["archived"], s["superseded"], s["kg_nodes"], s["kg_edges"],
            g.number_of_edges(), sorted(m for m, d in g.nodes(data=True) if d["node_type"] == "memory"))


@pytest.mark.embedded_only("two homes are two brains")
def test_round_trip_is_lossless_and_idempotent(open_brain, tmp_path):
    src = open_brain(tmp_path / "src")
    _populate(src)
    lines = [json.dumps(r, default=str) for r in src.export("u1")]
    header = json.loads(lines[0])
    assert header["type"] == "header" and header["schema_version"] == 1
    dst = open_brain(tmp_path / "dst")
    created = dst.import_records(lines)
    assert created["memory"] == len([x for x in lines if '"type": "memory"' in x])
    assert _counts(dst, "u1") == _counts(src, "u1")
    assert dst.stats("u2")["active"] == 0
    for mem in src.export("u1"):
        if mem["type"] == "memory":
            assert dst.get(mem["record"]["id"]).model_dump(mode="json") == {
                **mem["record"], "index_pending": False}
    assert dst.import_records(lines) == {}
    assert _counts(dst, "u1") == _counts(src, "u1")
    assert dst.recall("what does Luna eat", user_id="u1")[0].text == "My cat Luna loves tuna"


@pytest.mark.embedded_only("two homes are two brains")
def test_malformed_import_names_the_line_and_imports_nothing(open_brain, tmp_path):
    src = open_brain(tmp_path / "src")
    _populate(src)
    lines = [json.dumps(r, default=str) for r in src.export("u1")]
    dst = open_brain(tmp_path / "dst")
    broken = lines[:3] + ['{"type": "memory", "record": {"id": "mem_x"}}'] + lines[3:]
    with pytest.raises(InvalidInputError, match="line 4: invalid memory"):
        dst.import_records(broken)
    with pytest.raises(InvalidInputError, match="line 2: not valid JSON"):
        dst.import_records([lines[0], "{oops"])
    assert dst.stats()["active"] == 0


def test_lost_chroma_folder_is_rebuilt_on_open(open_brain, tmp_path):
    home = tmp_path / "b"
    config = load_config(home, exact_scan_max=3)  # u1's 5 memories keep a collection
    brain = open_brain(home, config=config)
    mems = brain.remember_many([f"Memory {i} about the Danube river" for i in range(5)], user_id="u1")
    brain.close()
    shutil.rmtree(home / "chroma")
    reopened = open_brain(home, config=config)
    assert reopened.repaired_on_open == 5
    assert reopened._index.ids("u1") == {m.id for m in mems}
    assert reopened.recall("Danube", user_id="u1", k=5)


def test_pending_rows_are_visible_and_repaired(open_brain, tmp_path):
    home = tmp_path / "b"
    config = load_config(home, exact_scan_max=0)  # every user in the index
    brain = open_brain(home, config=config)
    mem = brain.remember("The boiler code is 7781", user_id="u1")
    brain.recall("boiler", user_id="u1")  # this process has checked u1's vectors once
    # simulate a crash between the SQLite commit and the Chroma write
    brain._index.delete("u1", [mem.id])
    brain._store.update(mem.id, index_pending=True)
    assert brain.recall("boiler code", user_id="u1")[0].memory.id == mem.id
    brain.close()
    reopened = open_brain(home, config=config)
    assert reopened.repaired_on_open == 1
    assert reopened.stats("u1")["index_pending"] == 0
    assert mem.id in reopened._index.ids("u1")
