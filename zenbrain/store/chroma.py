"""The Chroma vector index: derived data, rebuilt from SQLite whenever it is lost or behind.

Embedded (`PersistentClient` under the brain's home) by default, or a Chroma server
(`HttpClient`) for teams; the same calls either way.

Layout: one collection per (embedding model, user), for the users above `exact_scan_max` only
(`zenbrain.store.placement`; smaller users live in SQLite alone). ZenBrain's recall always runs
inside one user's scope, and a metadata-filtered Chroma query is ~30× slower than an unfiltered
one at 100k vectors (../shared/ENV.md §4: 60 ms vs 2 ms), so a per-user collection lets recall
query without a `where` filter and keeps tenants apart by construction. Embeddings are always passed explicitly: Chroma's
default embedding function would try to download a model.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from zenbrain.errors import InvalidInputError

__all__ = ["ChromaIndex", "LazyIndex", "VectorHit", "vector_metadata"]


class VectorHit(tuple):
    """(memory_id, cosine similarity)."""

    __slots__ = ()

    def __new__(cls, memory_id: str, similarity: float) -> VectorHit:
        return super().__new__(cls, (memory_id, similarity))

    @property
    def memory_id(self) -> str:
        return self[0]

    @property
    def similarity(self) -> float:
        return self[1]


def _forget_cached_system(path: Path) -> None:
    """Drop Chroma's per-process cached system for `path` after a failed open.

    Chroma caches one system per persist directory; a failed start leaves a broken one behind,
    and every later client for the same path would get it. (Private API, hence the guard.)
    """
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(str(path), None)
        SharedSystemClient._identifier_to_refcount.pop(str(path), None)
    except (ImportError, AttributeError):  # pragma: no cover - other chromadb versions
        pass


def _http_sessions(client: Any) -> list[Any]:
    found = []
    for owner in (client, getattr(client, "_admin_client", None)):
        session = getattr(getattr(owner, "_server", None), "_session", None)
        if session is not None:
            found.append(session)
    return found


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()[:40] or "model"


class LazyIndex:
    """A `ChromaIndex` opened on first use (issue 14).

    Importing chromadb and starting its client costs about a second; `stats`, `history`,
    `export`, `forget` and the other commands that read no vectors never pay it. Every attribute
    of the index is reached through this object, so callers hold it like the index itself.
    """

    def __init__(self, opener: Callable[[], ChromaIndex]) -> None:
        self._opener = opener
        self._index: ChromaIndex | None = None
        self._lock = threading.Lock()

    @property
    def opened(self) -> bool:
        return self._index is not None

    def get(self) -> ChromaIndex:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = self._opener()
        return self._index

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)

    def close(self) -> None:
        """Close the index if it was opened (opening it only to close it would be wasted)."""
        if self._index is not None:
            self._index.close()


class ChromaIndex:
    """Per-user Chroma collections for one embedding model."""

    def __init__(
        self, path: Path, *, model_name: str, dim: int, url: str | None = None,
        prefix: str = "",
    ) -> None:
        """Open the index: embedded under `path`, or on a Chroma server when `url` is given
        (``http://host:8000``). `prefix` keeps brains that share one server apart."""
        import chromadb
        from chromadb.config import Settings

        self.path = path
        self.url = url
        self.model_name = model_name
        self.dim = dim
        self.prefix = prefix
        settings = Settings(anonymized_telemetry=False, allow_reset=True)
        if url is not None:
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise InvalidInputError(f"vectors URL {url!r} must look like http://host:8000")
            self._client = chromadb.HttpClient(
                host=parsed.hostname, port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https", settings=settings)
        else:
            try:
                self._client = chromadb.PersistentClient(path=str(path), settings=settings)
            except Exception:
                _forget_cached_system(path)
                raise
        self._max_batch = int(self._client.get_max_batch_size())
        self._collections: dict[str, Any] = {}

    def close(self) -> None:
        """Release Chroma's shared system for this path (it is cached per process otherwise)."""
        self._collections.clear()
        sessions = _http_sessions(self._client)
        self._client.close()
        for session in sessions:  # Chroma does not close its HTTP connection pools
            session.close()

    def collection_name(self, user_id: str) -> str:
        digest = hashlib.sha1(user_id.encode()).hexdigest()[:20]
        return f"zb_{self.prefix}{_slug(self.model_name)}_{self.dim}_{digest}"

    def _collection(self, user_id: str, *, create: bool = True) -> Any | None:
        col = self._collections.get(user_id)
        if col is not None:
            return col
        name = self.collection_name(user_id)
        if create:
            col = self._client.get_or_create_collection(
                name, embedding_function=None,
                metadata={"hnsw:space": "cosine", "zb_model": self.model_name},
            )
        else:
            try:
                col = self._client.get_collection(name, embedding_function=None)
            except Exception:  # chromadb raises NotFoundError/ValueError across versions
                return None
        self._collections[user_id] = col
        return col

    def upsert(
        self, user_id: str, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict]
    ) -> None:
        if not ids:
            return
        if len(set(ids)) != len(ids):
            # Chroma rejects a batch that names an id twice; the last entry is the newest state.
            last = {mid: i for i, mid in enumerate(ids)}
            keep = sorted(last.values())
            ids = [ids[i] for i in keep]
            vectors = np.asarray(vectors)[keep]
            metadatas = [metadatas[i] for i in keep]
        col = self._collection(user_id)
        for start in range(0, len(ids), self._max_batch):
            stop = start + self._max_batch
            col.upsert(
                ids=list(ids[start:stop]),
                embeddings=np.asarray(vectors[start:stop], dtype=np.float32),
                metadatas=list(metadatas[start:stop]),
            )

    def update_metadata(self, user_id: str, ids: Sequence[str], metadatas: Sequence[dict]) -> None:
        col = self._collection(user_id, create=False)
        if col is None or not ids:
            return
        present = set(col.get(ids=list(ids), include=[])["ids"])
        keep = [(i, m) for i, m in zip(ids, metadatas, strict=True) if i in present]
        if keep:
            col.update(ids=[i for i, _ in keep], metadatas=[m for _, m in keep])

    def delete(self, user_id: str, ids: Sequence[str]) -> None:
        col = self._collection(user_id, create=False)
        if col is not None and ids:
            col.delete(ids=list(ids))

    def drop_user(self, user_id: str) -> None:
        if self._collection(user_id, create=False) is not None:
            self._client.delete_collection(self.collection_name(user_id))
        self._collections.pop(user_id, None)

    def has_collection(self, user_id: str) -> bool:
        """Whether the user's collection exists (its vectors are not loaded for this)."""
        return self._collection(user_id, create=False) is not None

    def count(self, user_id: str) -> int:
        col = self._collection(user_id, create=False)
        return 0 if col is None else int(col.count())

    def ids(self, user_id: str) -> set[str]:
        col = self._collection(user_id, create=False)
        if col is None:
            return set()
        return set(col.get(include=[])["ids"])

    def query(
        self, user_id: str, vector: np.ndarray, n: int, where: dict | None = None
    ) -> list[VectorHit]:
        col = self._collection(user_id, create=False)
        if col is None:
            return []
        # No count() first: Chroma returns fewer hits when n exceeds the collection (none when
        # empty), and the extra call cost as much as the query itself on a busy CPU.
        res = col.query(
            query_embeddings=np.asarray([vector], dtype=np.float32),
            n_results=n, where=where, include=["distances"],
        )
        return [
            VectorHit(mid, 1.0 - float(dist))
            for mid, dist in zip(res["ids"][0], res["distances"][0], strict=True)
        ]

    def query_many(
        self, user_id: str, vectors: np.ndarray, n: int
    ) -> list[list[VectorHit]]:
        col = self._collection(user_id, create=False)
        if col is None or len(vectors) == 0:
            return [[] for _ in range(len(vectors))]
        res = col.query(
            query_embeddings=np.asarray(vectors, dtype=np.float32),
            n_results=n, include=["distances"],
        )
        return [
            [VectorHit(mid, 1.0 - float(d)) for mid, d in zip(ids, dists, strict=True)]
            for ids, dists in zip(res["ids"], res["distances"], strict=True)
        ]


def vector_metadata(mem: Any) -> dict[str, Any]:
    """The metadata each vector carries (SPEC §2.1), from a `Memory`.

    No `user_id`: the collection is already per user (named by a hash), and keeping identifiers
    out of Chroma means `delete_user` leaves nothing of the user in Chroma's own logs.
    """
    return {
        "namespace": mem.namespace,
        "layer": str(mem.layer),
        "kind": str(mem.kind),
        "archived": bool(mem.archived),
        "is_current": bool(mem.is_current),
        "created_ts": mem.created_at.timestamp(),
    }
