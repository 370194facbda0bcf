"""Behaviours every storage backend combination must show (run by test_backends.py).

Each function takes `make`, a factory `make(home, **brain_kwargs) -> Brain` for one backend, and a
tmp path.
"""

from __future__ import annotations

from helpers import day

from zenbrain import EmbeddingModelMismatchError, HashEmbedder, Layer
from zenbrain.config import load_config


def remember_and_recall(make, tmp):
    brain = make(tmp / "b")
    mem = brain.remember("My cat Luna loves tuna", user_id="u1", at=day(0))
    brain.remember("The printer uses A4 paper", user_id="u1", at=day(0))
    assert brain.recall("what does Luna eat", user_id="u1", at=day(1))[0].memory.id == mem.id
    assert brain.recall("what does Luna eat", user_id="u2", at=day(1)) == []


def forget_restore_delete(make, tmp):
    brain = make(tmp / "b")
    mem = brain.remember("The locker code is 4312", user_id="u1", at=day(0))
    brain.forget(mem.id)
    assert all(r.memory.id != mem.id for r in brain.recall("locker", user_id="u1", at=day(1)))
    brain.restore(mem.id)
    assert brain.recall("locker", user_id="u1", at=day(1))[0].memory.id == mem.id
    assert brain.delete(mem.id) is True
    assert brain.get(mem.id) is None and brain.recall("locker", user_id="u1", at=day(1)) == []


def versions_and_layers(make, tmp):
    brain = make(tmp / "b")
    v1 = brain.remember("Name: Dana", user_id="u1", layer="core", metadata={"block": "p"}, at=day(0))
    v2 = brain.remember("Name: Dana K.", user_id="u1", layer="core", metadata={"block": "p"}, at=day(1))
    assert [m.id for m in brain.history(v2.id)] == [v1.id, v2.id]
    assert brain.recall("name", user_id="u1", at=day(2))[0].memory.layer is Layer.CORE


def index_rebuilt_after_loss(make, tmp, wipe_vectors):
    # A user above `exact_scan_max` is kept in the index (a smaller one has no collection to lose).
    config = load_config(tmp / "b", exact_scan_max=2)
    brain = make(tmp / "b", config=config)
    mems = brain.remember_many([f"Note {i} about the river Danube" for i in range(4)], user_id="u1")
    brain.close()
    wipe_vectors(brain)
    again = make(tmp / "b", config=config)
    assert again.repaired_on_open == 4
    assert {r.memory.id for r in again.recall("Danube", user_id="u1", k=4)} == {m.id for m in mems}


def delete_user_everywhere(make, tmp):
    brain = make(tmp / "b")
    brain.remember_many(["secret one", "secret two"], user_id="gone")
    brain.remember("stays", user_id="kept")
    assert brain.delete_user("gone") == 2
    assert brain.recall("secret", user_id="gone") == [] and brain.stats("kept")["active"] == 1


def embedding_model_recorded_and_switched(make, tmp):
    brain = make(tmp / "b", embedder=HashEmbedder())
    mem = brain.remember("My cat Luna loves tuna", user_id="u1", at=day(0))
    brain.close()
    try:
        make(tmp / "b")  # the default model of the suite (MiniLM)
        raise AssertionError("a brain of hash384 vectors opened with another model")
    except EmbeddingModelMismatchError as exc:
        assert "hash384" in str(exc)
    switching = make(tmp / "b", switch_model=True)
    assert switching.reindex(full=True) == 1
    switching.close()
    again = make(tmp / "b")
    assert again.embedding_model[0] != "hash384"
    assert again.recall("what does Luna eat", user_id="u1", at=day(1))[0].memory.id == mem.id


def vectors_placed_by_size(make, tmp):
    """Issue 14: a user above `exact_scan_max` is kept in the vector index, a smaller one in the
    system of record alone; both recall the same way, and delete_user removes either."""
    brain = make(tmp / "b", config=load_config(tmp / "b", exact_scan_max=3))
    small = brain.remember_many(["the red kite flew", "tea with lemon"], user_id="small")
    big = brain.remember_many([f"Note {i} about the river Danube" for i in range(5)], user_id="big")
    assert brain._store.scalar("SELECT COUNT(*) FROM vector_users") == 1
    assert brain._index.ids("big") == {m.id for m in big}
    assert not brain._index.has_collection("small")
    assert brain.recall("kite", user_id="small", k=1)[0].memory.id == small[0].id
    assert brain.recall("Danube note 3", user_id="big", k=1)[0].memory.user_id == "big"
    assert brain.delete_user("big") == 5
    assert not brain._index.has_collection("big")
    assert brain._store.scalar("SELECT COUNT(*) FROM vector_users") == 0


BEHAVIOURS = [remember_and_recall, forget_restore_delete, versions_and_layers,
              delete_user_everywhere, embedding_model_recorded_and_switched,
              vectors_placed_by_size]
