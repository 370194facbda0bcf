"""Which embedding model made a brain's vectors (issue 14): recorded in `meta`, checked on open.

Vectors are comparable only with vectors of the same model and size. The brain records the model
(`embedding_model`, `embedding_dim`) with its first memory, or infers it from the stored vectors
of a brain written before the record existed, and a brain opened with another model is refused
(`EmbeddingModelMismatchError`) rather than silently re-embedded: on a big brain that is a long
hidden cost, and a half-switched brain mixes incomparable vectors. Switching is explicit: open
with `switch_model=True`, then a full reindex re-embeds every memory, and only then does the
record change (`finish_switch`). A switch cut short (a crash, a failed encoder) leaves vectors of
both models, so the brain is marked (`embedding_switch_to`) from its start until then, and opens
only to switch again, to either model.

The check on open reads two `meta` rows and compares names; it neither loads the model nor
opens the vector index.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from zenbrain.errors import EmbeddingModelMismatchError
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["begin_switch", "check_dim", "check_on_open", "finish_switch", "record_first",
           "reembed_sentences"]


def check_on_open(store: SQLiteStore, *, model: str, switch: bool,
                  home: str | None = None) -> tuple[str, int] | None:
    """The brain's recorded (model, size), inferring and recording it for a brain that has
    vectors but no record; None for a brain without vectors (its first write records it).

    Raises:
        EmbeddingModelMismatchError: the recorded model is not `model`, or a switch was cut
            short (unless `switch`).
    """
    recorded = store.embedding_model()
    if recorded is None:
        inferred = store.stored_embedding_model()  # the most common, should several be stored
        if inferred is None:
            return None
        recorded = store.record_embedding_model(*inferred)
    if switch:
        return recorded
    interrupted = store.embedding_switch()
    if interrupted is not None:  # vectors of both models: neither opens plainly
        raise EmbeddingModelMismatchError(recorded=recorded[0], recorded_dim=recorded[1],
                                          given=model, given_dim=None, home=home,
                                          interrupted=interrupted)
    if recorded[0] == model:
        return recorded
    if not store.has_memories():  # every memory was deleted: no vector to mismatch
        store.forget_embedding_model()
        return None
    raise EmbeddingModelMismatchError(recorded=recorded[0], recorded_dim=recorded[1],
                                      given=model, given_dim=None, home=home)


def check_dim(recorded: tuple[str, int], *, model: str, dim: int,
              home: str | None = None) -> None:
    """Raise the mismatch when the embedder makes vectors of another size than recorded."""
    if (model, dim) != recorded:
        raise EmbeddingModelMismatchError(recorded=recorded[0], recorded_dim=recorded[1],
                                          given=model, given_dim=dim, home=home)


def record_first(store: SQLiteStore, *, model: str, dim: int,
                 home: str | None = None) -> tuple[str, int]:
    """Record the model with a brain's first memory (inside its write transaction). Another
    process sharing the database may have recorded another model first: then the write fails
    with the mismatch and rolls back."""
    recorded = store.record_embedding_model(model, dim)
    check_dim(recorded, model=model, dim=dim, home=home)
    return recorded


def begin_switch(store: SQLiteStore, *, model: str) -> None:
    """Mark the brain as switching to `model` before the first vector of it is stored."""
    store.begin_embedding_switch(model)


def reembed_sentences(store: SQLiteStore,
                      encode: Callable[[Sequence[str]], list[np.ndarray | None]]) -> int:
    """Encode again the sentence vectors of every memory that has them (`extract.passages`);
    returns the memories re-encoded."""
    ids = [r["memory_id"] for r in store.rows(
        "SELECT DISTINCT memory_id FROM sentence_vectors ORDER BY memory_id")]
    for start in range(0, len(ids), 500):
        mems = list(store.get_many(ids[start:start + 500]).values())
        mats = encode([m.text for m in mems])
        with store.transaction():
            marks = ",".join("?" * len(mems))
            store.conn.execute(f"DELETE FROM sentence_vectors WHERE memory_id IN ({marks})",
                               [m.id for m in mems])
            store.set_sentence_vectors(
                [(m.id, mat) for m, mat in zip(mems, mats, strict=True) if mat is not None])
    return len(ids)


def finish_switch(store: SQLiteStore, *, model: str, dim: int) -> tuple[str, int] | None:
    """After a full re-embed: record the new model once every memory has a vector of it; None
    (the old record kept) while some memory still lacks one."""
    missing = store.scalar(
        "SELECT COUNT(*) FROM memories m LEFT JOIN embeddings e ON e.memory_id = m.id "
        "AND e.model = ? AND e.dim = ? WHERE e.memory_id IS NULL", (model, int(dim)))
    if missing:
        return None
    return store.record_embedding_model(model, dim, replace=True)
