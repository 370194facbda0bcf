"""Fault drills: disk full during a write, a corrupt vector index, a malformed import."""

from __future__ import annotations

import json

import pytest
from helpers import day

from zenbrain import InvalidInputError, StorageError
from zenbrain.config import load_config


@pytest.mark.embedded_only("fills the SQLite file")
def test_disk_full_during_write_is_clear_and_leaves_nothing(brain):
    brain.remember("a memory before the disk fills", user_id="u1", at=day(0))
    before = brain._store.scalar("SELECT COUNT(*) FROM memories")
    pages = brain._store.scalar("PRAGMA page_count")
    brain._store.conn.execute(f"PRAGMA max_page_count = {pages + 1}")  # the "disk" is now full
    with pytest.raises(StorageError, match="full"):
        brain.remember_many([f"long memory {i} " + "padding words " * 300 for i in range(40)],
                            user_id="u1", at=day(1))
    assert brain._store.scalar("SELECT COUNT(*) FROM memories") == before
    assert brain._store.scalar("SELECT COUNT(*) FROM embeddings") == before
    brain._store.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    brain.remember("a memory after space was freed", user_id="u1", at=day(2))
    assert brain.stats("u1")["active"] == 2


def test_corrupt_chroma_folder_is_rebuilt_from_sqlite(open_brain, tmp_path):
    home = tmp_path / "b"
    config = load_config(home, exact_scan_max=2)  # u1's 4 memories keep a collection
    brain = open_brain(home, config=config)
    mems = brain.remember_many([f"Memory {i} about lighthouses" for i in range(4)], user_id="u1")
    brain.close()
    (home / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    reopened = open_brain(home, config=config)
    assert reopened.repaired_on_open == 4
    assert reopened._index.ids("u1") == {m.id for m in mems}
    assert any(p.name.startswith("chroma.corrupt-") for p in home.iterdir())
    assert reopened.recall("lighthouse", user_id="u1", k=4)


@pytest.mark.embedded_only("two homes are two brains")
def test_malformed_import_file_is_rejected_with_line_number(open_brain, tmp_path):
    src = open_brain(tmp_path / "src")
    src.remember("Export me", user_id="u1")
    lines = [json.dumps(r, default=str) for r in src.export("u1")]
    dst = open_brain(tmp_path / "dst")
    bad_line = len(lines) + 1
    with pytest.raises(InvalidInputError, match=f"line {bad_line}: unknown record type 'bogus'"):
        dst.import_records([*lines, '{"type": "bogus"}'])
    with pytest.raises(InvalidInputError, match="line 1: the file has no header"):
        dst.import_records(lines[1:])
    assert dst.stats()["active"] == 0
