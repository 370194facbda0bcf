"""The brain records the embedding model of its vectors (issue 14): a brain written with one model
is refused by another, loses nothing for it, and switches only on request (real SQLite, real
Chroma, the hash embedder and the bundled MiniLM as the two models)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import day

from zenbrain import EmbeddingModelMismatchError, HashEmbedder, InvalidInputError
from zenbrain.extract import passages

TEXTS = ["My cat Luna loves tuna. She sleeps on the sofa all afternoon.",
         "The printer on the second floor uses A4 paper.",
         "Ana booked the flight to Tokyo for the April trip."]


def _write(open_brain, home, embedder, user="u1"):
    brain = open_brain(home, embedder=embedder)
    mems = brain.remember_many(TEXTS, user_id=user, at=day(0))
    brain.close()
    return mems


def _models(brain):
    """model → number of stored vectors of it."""
    return {r["model"]: r["n"] for r in brain._store.rows(
        "SELECT model, COUNT(*) AS n FROM embeddings GROUP BY model")}


def test_first_memory_records_the_model(open_brain, tmp_path):
    brain = open_brain(tmp_path / "b", embedder=HashEmbedder())
    assert brain.embedding_model is None
    brain.remember("The boiler code is 7781", user_id="u1")
    assert brain.embedding_model == ("hash384", 384)
    assert brain._store.embedding_model() == ("hash384", 384)


def test_another_model_is_refused_and_nothing_is_lost(open_brain, tmp_path, minilm):
    home = tmp_path / "b"
    mems = _write(open_brain, home, HashEmbedder())
    with pytest.raises(EmbeddingModelMismatchError) as err:
        open_brain(home, embedder=minilm)
    message = str(err.value)
    assert "hash384" in message and "all-MiniLM-L6-v2" in message
    assert "switch_model=True" in message and "--switch-model" in message
    assert isinstance(err.value, InvalidInputError)
    again = open_brain(home, embedder=HashEmbedder())  # the lock was released, nothing changed
    assert {m.id for m in again.memories(user_id="u1")} == {m.id for m in mems}
    assert _models(again) == {"hash384": len(mems)}
    assert again.recall("Luna tuna", user_id="u1", at=day(1))[0].memory.id == mems[0].id


def test_switching_re_embeds_every_memory_then_records_the_new_model(open_brain, tmp_path,
                                                                     minilm):
    home = tmp_path / "b"
    mems = _write(open_brain, home, HashEmbedder())
    switching = open_brain(home, embedder=minilm, switch_model=True)
    assert switching.embedding_model == ("hash384", 384)  # until the re-embed ends
    assert switching.reindex(full=True) == len(mems)
    assert switching.embedding_model == ("all-MiniLM-L6-v2", 384)
    assert switching._store.embedding_switch() is None
    assert _models(switching) == {"all-MiniLM-L6-v2": len(mems)}
    stored = switching._store.vectors([mems[1].id])[mems[1].id]
    np.testing.assert_allclose(stored, minilm.embed([TEXTS[1]])[0], atol=1e-5)
    sentences = switching._store.sentence_vectors([mems[0].id])[mems[0].id]
    expected = passages.encode_sentences(minilm.embed, [TEXTS[0]])[0]
    np.testing.assert_allclose(sentences, expected, atol=1e-5)
    switching.close()

    plain = open_brain(home, embedder=minilm)
    assert plain.embedding_model == ("all-MiniLM-L6-v2", 384)
    assert plain.recall("what does Luna eat", user_id="u1", at=day(1))[0].memory.id == mems[0].id
    assert plain.recall("where is the trip going", user_id="u1",
                        at=day(1))[0].memory.id == mems[2].id
    plain.close()
    with pytest.raises(EmbeddingModelMismatchError, match="Open it with all-MiniLM-L6-v2"):
        open_brain(home, embedder=HashEmbedder())


def test_a_switch_cut_short_opens_only_to_switch_again(open_brain, tmp_path, minilm):
    home = tmp_path / "b"
    mems = _write(open_brain, home, HashEmbedder())
    switching = open_brain(home, embedder=minilm, switch_model=True)
    late = switching.remember("A note written while switching.", user_id="u1", at=day(1))
    switching.reindex("u1", full=True)  # one user, not the whole brain: the switch goes on
    assert switching.embedding_model == ("hash384", 384)
    switching.close()  # as a crash would: vectors of both models are stored
    for embedder in (minilm, HashEmbedder()):
        with pytest.raises(EmbeddingModelMismatchError, match="cut short") as err:
            open_brain(home, embedder=embedder)
        assert "hash384" in str(err.value) and "all-MiniLM-L6-v2" in str(err.value)
    back = open_brain(home, embedder=HashEmbedder(), switch_model=True)  # going back works too
    back.reindex(full=True)
    assert back.embedding_model == ("hash384", 384)
    back.close()
    plain = open_brain(home, embedder=HashEmbedder())
    assert _models(plain) == {"hash384": len(mems) + 1}
    assert plain.get(late.id) is not None


def test_an_empty_brain_opens_with_any_model(open_brain, tmp_path, minilm):
    home = tmp_path / "b"
    open_brain(home, embedder=HashEmbedder()).close()
    brain = open_brain(home, embedder=minilm)
    assert brain.embedding_model is None
    brain.remember("The boiler code is 7781", user_id="u1")
    assert brain.embedding_model == ("all-MiniLM-L6-v2", 384)


def test_a_brain_whose_memories_were_all_deleted_takes_another_model(open_brain, tmp_path,
                                                                     minilm):
    home = tmp_path / "b"
    brain = open_brain(home, embedder=HashEmbedder())
    brain.remember("The boiler code is 7781", user_id="u1")
    brain.delete_user("u1")
    brain.close()
    again = open_brain(home, embedder=minilm)
    assert again.embedding_model is None
    again.remember("The boiler code is 7781", user_id="u1")
    assert again.embedding_model == ("all-MiniLM-L6-v2", 384)


def test_a_brain_without_the_record_gets_it_inferred_on_open(open_brain, tmp_path, minilm):
    home = tmp_path / "b"
    mems = _write(open_brain, home, HashEmbedder())
    brain = open_brain(home, embedder=HashEmbedder())
    # A brain written before the record existed: no meta rows; one vector of another model.
    brain._store.conn.execute(
        "DELETE FROM meta WHERE key IN ('embedding_model', 'embedding_dim')")
    brain._store.conn.execute("UPDATE embeddings SET model = 'older-model' WHERE memory_id = ?",
                              (mems[0].id,))
    brain.close()
    with pytest.raises(EmbeddingModelMismatchError, match="hash384"):
        open_brain(home, embedder=minilm)
    again = open_brain(home, embedder=HashEmbedder())
    assert again.embedding_model == ("hash384", 384)  # the model most vectors have
    assert again._store.embedding_model() == ("hash384", 384)


def test_the_same_name_with_another_size_is_refused_when_vectors_are_used(open_brain, tmp_path):
    home = tmp_path / "b"
    _write(open_brain, home, HashEmbedder())
    brain = open_brain(home, embedder=HashEmbedder(dim=128))
    assert brain.stats("u1")["active"] == len(TEXTS)  # reading no vectors asks no model
    with pytest.raises(EmbeddingModelMismatchError, match="128 dimensions"):
        brain.recall("Luna", user_id="u1")


def test_opening_asks_the_embedder_only_its_name(open_brain, tmp_path):
    home = tmp_path / "b"
    _write(open_brain, home, HashEmbedder())

    class Counted(HashEmbedder):
        asked = 0

        @property
        def dim(self):  # type: ignore[override]
            Counted.asked += 1
            return 384

        @dim.setter
        def dim(self, value):
            pass

    brain = open_brain(home, embedder=Counted())
    assert brain.embedding_model == ("hash384", 384)
    assert brain.stats("u1")["active"] == len(TEXTS)
    assert Counted.asked == 0 and not brain._index.opened
