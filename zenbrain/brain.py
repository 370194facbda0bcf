"""`Brain`: the one entry object. It wires storage, embedder, layers and processes together.

The memory logic lives in `write_path`, `recall/`, `layers/` and `consolidation/`; this module
validates arguments at the API edge, resolves time from the injected clock, takes the locks and
calls them. One process owns a brain folder at a time (an exclusive file lock): Chroma's embedded
store is not safe for two writers, so a second process gets `BrainInUseError` (or waits up to
`lock_timeout` seconds) instead of corrupting the index.
"""

from __future__ import annotations

import dataclasses
import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zenbrain import inspect as inspect_mod
from zenbrain import trust, viz
from zenbrain.clock import Clock, SystemClock, to_utc
from zenbrain.config import BrainConfig, default_home, load_config
from zenbrain.consolidation import forgetting
from zenbrain.consolidation import scheduler as scheduler_mod
from zenbrain.consolidation import sleep as sleep_mod
from zenbrain.consolidation.abstraction import Summariser
from zenbrain.consolidation.scheduler import SleepScheduler
from zenbrain.consolidation.sleep import SleepProgress
from zenbrain.consolidation.steps import Env
from zenbrain.context import build as context_build
from zenbrain.context.models import DEFAULT_BUDGET_TOKENS, Context, ContextRequest
from zenbrain.embeddings import Embedder, make_embedder
from zenbrain.errors import (
    BrainClosedError,
    BrainInUseError,
    InvalidInputError,
    MemoryNotFoundError,
)
from zenbrain.extract import kinds, passages
from zenbrain.ids import new_id
from zenbrain.layers import short_term
from zenbrain.layers.dynamics import review_updates
from zenbrain.models import Layer, Memory, Recollection, SleepReport
from zenbrain.recall import channels, pipeline, profile_route
from zenbrain.recall.recipes import DEFAULT as DEFAULT_RECIPE
from zenbrain.recall.recipes import RecallRecipe
from zenbrain.store import model_record, outbox, placement, portable
from zenbrain.store.chroma import ChromaIndex, LazyIndex
from zenbrain.store.graph import GraphStore
from zenbrain.store.sqlite import open_store
from zenbrain.validation import (
    check_at,
    check_id,
    check_k,
    check_kind,
    check_layer,
    check_layers,
    check_metadata,
    check_text,
    check_user_id,
)
from zenbrain.write_path import Draft, Writer

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

__all__ = ["Brain"]

log = logging.getLogger(__name__)

_ROLE_ALIASES = {"human": "user", "ai": "assistant", "user": "user", "assistant": "assistant",
                 "system": "system", "tool": "tool", "function": "tool"}
# Role names as chat frameworks spell them ("Assistant", "AI", "Human"); a person's name is kept.
_ROLES = {"assistant": "assistant", "ai": "assistant", "bot": "assistant", "user": "user",
          "human": "user", "system": "system"}


def _speaker_role(speaker: str | None) -> str | None:
    """A role name in any casing becomes its canonical lower-case role (the write path routes
    by role: an assistant turn is short-term); any other speaker name is kept as given."""
    if speaker is None:
        return None
    return _ROLES.get(speaker.strip().lower(), speaker)


_OUTCOMES = ("confirmed", "contradicted", "used", "rejected")


class Brain:
    """A brain-like long-term memory in one folder (embedded; no server).

    Args:
        path: the brain's home; default `$ZENBRAIN_HOME`, else `~/.zenbrain`.
        config: a `BrainConfig`; default read from `config.toml` and `ZENBRAIN_*` variables.
        clock: time source for calls without `at=`/`now=`; default the wall clock.
        embedder: an `Embedder`; default from `config.embedder` (the bundled MiniLM).
        database: a PostgreSQL URL (`postgresql://user@host/db`, or `ZENBRAIN_DATABASE_URL`) for
            the system of record instead of SQLite under `path`; several workers may share it.
        vectors: a Chroma server URL (`http://host:8000`, or `ZENBRAIN_VECTORS_URL`) to keep the
            vectors there instead of under `path`.
        encryption_key: a passphrase (default `ZENBRAIN_KEY`) to store memory text encrypted
            (AES-256-GCM); vectors, entity names and metadata stay readable and the keyword
            route is off (docs/SECURITY.md). A brain once encrypted needs the key to open.
        namespace: agent/app context for this handle (overrides the config).
        lock_timeout: seconds to wait for another process to release the brain.
        consolidate: "nightly" starts the sleep scheduler (03:00 local; see `schedule_sleep`).
        summariser: an optional System-2 `Summariser` (e.g. an LLM) for sleep abstraction.
        switch_model: open a brain whose vectors were made by another embedding model, to move
            it to `embedder`: `reindex(full=True)` then re-embeds every memory and records the
            new model. Without it such a brain is refused.

    The brain records the embedding model (name and vector size) of its vectors with its first
    memory; opening it compares that name with `embedder.name` (nothing is loaded for that).

    Raises:
        BrainInUseError: another process holds the brain open.
        EmbeddingModelMismatchError: the brain's vectors are of another model than `embedder`
            (pass `switch_model=True` to switch).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        config: BrainConfig | None = None,
        clock: Clock | None = None,
        embedder: Embedder | None = None,
        namespace: str | None = None,
        lock_timeout: float | None = None,
        vectors: str | None = None,
        database: str | None = None,
        encryption_key: str | None = None,
        consolidate: str | None = None,
        summariser: Summariser | None = None,
        switch_model: bool = False,
    ) -> None:
        self.home = Path(path).expanduser() if path is not None else default_home()
        self.home.mkdir(parents=True, exist_ok=True)
        base = config or load_config(self.home)
        overrides: dict[str, Any] = {}
        if namespace is not None:
            overrides["namespace"] = check_id(namespace, what="namespace")
        if lock_timeout is not None:
            overrides["lock_timeout_s"] = lock_timeout
        if vectors is not None:
            overrides["vectors_url"] = vectors
        if database is not None:
            overrides["database_url"] = database
        self.config = base.model_copy(update=overrides) if overrides else base
        self.clock: Clock = clock or SystemClock()
        self._lock = threading.RLock()
        self._closed = True
        # Parts outside the core store (agent checkpoints, scheduler jobs) register here so that
        # delete_user reaches them too.
        self._user_deletion_hooks: list[Any] = []
        self._scheduler: SleepScheduler | None = None
        self.summariser = summariser
        if consolidate not in (None, "off", "nightly"):
            raise InvalidInputError(f"consolidate must be 'nightly' or None, got {consolidate!r}")
        self._lock_file = self._acquire_process_lock()
        try:
            self.embedder: Embedder = embedder or make_embedder(
                self.config.embedder, device=self.config.device)
            self._store = open_store(self.home, self.config.database_url)
            self._open_encryption(encryption_key)
            self._switching = bool(switch_model)
            self._recorded_model = model_record.check_on_open(
                self._store, model=self.embedder.name, switch=self._switching, home=str(self.home))
            if self._switching and self._recorded_model not in (
                    None, (self.embedder.name, self.embedder.dim)):
                # Marked before any vector of the new model can be stored (a write, the lazy
                # repair): until `reindex(full=True)` ends, the vectors are of both models.
                model_record.begin_switch(self._store, model=self.embedder.name)
            self._graph = GraphStore(self._store)
            # The vector index opens on first use; opening it repairs it from SQLite.
            self._repaired_on_open = 0
            self._vectors_checked: set[str] = set()  # users whose vectors this process checked
            self._dim_checked = False  # the embedder's vector size against the record
            self._index = LazyIndex(self._open_and_repair_index)
            self._writer = Writer(store=self._store, graph=self._graph, index=self._index,
                                  embedder=self.embedder, config=self.config)
            if self._recorded_model is None:
                self._writer.on_first_write = self._record_model
            self._closed = False
            # Identifies this open Brain in the sleep lock rows (a crashed owner's rows are stale).
            self._sleep_owner = new_id("own")
            if consolidate == "nightly":
                self.schedule_sleep()
        except BaseException:
            self._closed = True
            store = getattr(self, "_store", None)
            if store is not None:
                store.close()
            self._release_process_lock()
            raise

    # ---- lifecycle ----------------------------------------------------------------------------

    def _acquire_process_lock(self) -> Any:
        fh = open(self.home / "brain.lock", "a+")  # noqa: SIM115 - held for the Brain's lifetime
        deadline = time.monotonic() + self.config.lock_timeout_s
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.close()
                    raise BrainInUseError(
                        f"the brain at {self.home} is in use by another process; close it there, "
                        "or pass lock_timeout= (CLI: --wait) to wait for it"
                    ) from None
                time.sleep(0.1)
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        return fh

    def _open_encryption(self, key: str | None) -> None:
        key = key if key is not None else os.environ.get("ZENBRAIN_KEY")
        if key:
            migrated = self._store.enable_encryption(key)
            if migrated:
                log.info("encrypted the text of %d memories stored before the key was set",
                         migrated)
        elif self._store.is_encrypted_brain():
            raise InvalidInputError("this brain's memory text is encrypted: set ZENBRAIN_KEY "
                                    "(or pass encryption_key=)")

    @property
    def repaired_on_open(self) -> int:
        """Vectors written when the index was opened (upserted from the outbox, restored after a
        lost or corrupt index). Reading it opens the index."""
        self._index.get()
        return self._repaired_on_open

    @property
    def embedding_model(self) -> tuple[str, int] | None:
        """The (model name, vector size) recorded for this brain's vectors; None until its
        first memory. During a switch it is the old model until `reindex(full=True)` ends."""
        return self._recorded_model

    def _record_model(self) -> None:
        self._recorded_model = model_record.record_first(
            self._store, model=self.embedder.name, dim=self.embedder.dim, home=str(self.home))
        self._writer.on_first_write = None

    def _vector_dim(self) -> int:
        """The size of the index's vectors: the recorded one (the model's files are not read
        for it); the embedder's when nothing is recorded yet or the brain is switching."""
        if self._recorded_model is None or self._switching:
            return self.embedder.dim
        return self._recorded_model[1]

    def _check_embedder_dim(self) -> None:
        """Same name, other size (e.g. `HashEmbedder(dim=...)`): as refused as another model.
        Checked on first vector use (the index, or a recall that scans SQLite), not on open:
        only a command that uses vectors asks the embedder."""
        if self._dim_checked:
            return
        if self._recorded_model is not None and not self._switching:
            model_record.check_dim(self._recorded_model, model=self.embedder.name,
                                   dim=self.embedder.dim, home=str(self.home))
        self._dim_checked = True

    def _open_and_repair_index(self) -> ChromaIndex:
        self._check_embedder_dim()
        index = self._open_index()
        with self._lock:
            self._repaired_on_open = outbox.repair_pending(
                self._store, index, self.embedder, exact_scan_max=self.config.exact_scan_max)
        return index

    def _check_user_vectors(self, user_id: str) -> bool:
        """True when recall scans the user's vectors in SQLite (`exact_scan_max`). Otherwise,
        on the user's first recall in this process, compare their index vectors with SQLite and
        fill any gap (`outbox.repair_pending` says why this is not done for every user at open)."""
        if user_id in self._vectors_checked:
            return False
        if channels.scans_exactly(self._store, user_id, self.config.exact_scan_max):
            self._check_embedder_dim()
            return True
        outbox.repair_index(self._store, self._index, self.embedder,
                            exact_scan_max=self.config.exact_scan_max, user_id=user_id)
        if not placement.in_index(self._store, user_id):
            # Their collection could not be built (the index failed): SQLite has every vector.
            self._check_embedder_dim()
            return True
        self._vectors_checked.add(user_id)
        return False

    def _open_index(self) -> ChromaIndex:
        """Open the vector index; a corrupt one is moved aside and rebuilt from SQLite."""
        path = self.home / "chroma"
        if self.config.vectors_url:
            # Brains sharing one server keep their collections apart by their own id.
            brain_id = self._store.meta("brain_id", new_id("brain"))
            prefix = brain_id.removeprefix("brain_")[-10:].lower() + "_"
            return ChromaIndex(path, model_name=self.embedder.name, dim=self._vector_dim(),
                               url=self.config.vectors_url, prefix=prefix)
        try:
            return ChromaIndex(path, model_name=self.embedder.name, dim=self._vector_dim())
        except Exception as exc:  # chromadb raises many types for a damaged store
            aside = path.with_name(f"chroma.corrupt-{int(time.time())}")
            log.warning("vector index at %s unreadable (%s); moved to %s and rebuilding",
                        path, exc, aside)
            path.rename(aside)
            return ChromaIndex(path, model_name=self.embedder.name, dim=self._vector_dim())

    def _release_process_lock(self) -> None:
        if self._lock_file is not None:
            try:
                fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
            finally:
                self._lock_file.close()
                self._lock_file = None

    def close(self) -> None:
        """Release the files and the lock. Safe to call twice."""
        if self._scheduler is not None:  # before the lock: a running job may be waiting for it
            self._scheduler.stop()
            self._scheduler = None
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                self._index.close()
                self._store.close()
            finally:
                self._release_process_lock()

    def __enter__(self) -> Brain:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise BrainClosedError("this Brain is closed; open a new Brain(path) to continue")

    def _now(self, at: Any, what: str = "at") -> datetime:
        value = check_at(at, what=what)
        return value if value is not None else to_utc(self.clock.now())

    def _namespace(self, metadata: dict[str, Any]) -> str:
        ns = metadata.pop("namespace", None)
        return check_id(ns, what="namespace") if ns is not None else self.config.namespace  # type: ignore[return-value]

    # ---- writing ------------------------------------------------------------------------------

    def _draft(self, text: Any, *, user_id: Any, session_id: Any, speaker: Any, at: Any,
               layer: Any, metadata: Any, sources: Sequence[str] = (),
               salience_gate: bool = False) -> Draft:
        meta = check_metadata(metadata)
        kind = check_kind(meta.pop("kind", None))
        text = check_text(text, max_chars=self.config.max_text_chars)
        speaker = _speaker_role(check_id(speaker, what="speaker", optional=True))
        meta.update(trust.provenance(text, speaker=speaker, source=meta.pop("source", None)))
        return Draft(
            text=text,
            user_id=check_user_id(user_id), namespace=self._namespace(meta),
            session_id=check_id(session_id, what="session_id", optional=True),
            speaker=speaker,
            at=self._now(at), layer=check_layer(layer), kind=kind, metadata=meta,
            sources=tuple(sources), salience_gate=salience_gate,
        )

    def remember(
        self, text: str, *, user_id: str, session_id: str | None = None,
        speaker: str | None = None, at: datetime | str | None = None,
        layer: Layer | str | None = None, metadata: dict[str, Any] | None = None,
    ) -> Memory:
        """Store one memory; the router picks its layer unless `layer=` is given.

        Identical text in the same session within 10 minutes returns the earlier memory
        (retries create nothing). Naive datetimes mean UTC.

        Raises:
            InvalidInputError: empty/too long/non-string text, bad ids, unknown layer or kind,
                metadata that is not JSON, a core block over its limits.
        """
        self._check_open()
        draft = self._draft(text, user_id=user_id, session_id=session_id, speaker=speaker, at=at,
                            layer=layer, metadata=metadata)
        with self._lock:
            result = self._writer.write([draft])[0]
        assert result is not None
        return result

    def remember_many(
        self, items: Iterable[str | dict[str, Any]], *, user_id: str,
        session_id: str | None = None, at: datetime | str | None = None,
        layer: Layer | str | None = None, metadata: dict[str, Any] | None = None,
    ) -> list[Memory]:
        """Store many memories of one user with one embedding batch and one transaction.

        Each item is a text or a dict with `text` and any of `session_id`, `speaker`, `at`,
        `layer`, `metadata` (overriding the call's defaults). Every item is validated before
        anything is written.
        """
        self._check_open()
        drafts = []
        for pos, item in enumerate(items):
            spec = {"text": item} if isinstance(item, str) else item
            if not isinstance(spec, dict):
                raise InvalidInputError(f"item {pos}: expected a text or a dict, got {type(item).__name__}")
            unknown = set(spec) - {"text", "session_id", "speaker", "at", "layer", "metadata"}
            if unknown:
                raise InvalidInputError(f"item {pos}: unknown keys {sorted(unknown)}")
            try:
                drafts.append(self._draft(
                    spec.get("text"), user_id=user_id,
                    session_id=spec.get("session_id", session_id), speaker=spec.get("speaker"),
                    at=spec.get("at", at), layer=spec.get("layer", layer),
                    metadata={**(metadata or {}), **(spec.get("metadata") or {})},
                ))
            except InvalidInputError as exc:
                raise InvalidInputError(f"item {pos}: {exc}") from None
        with self._lock:
            results = self._writer.write(drafts)
        return [m for m in results if m is not None]

    def observe(
        self, messages: Sequence[Any], *, user_id: str, session_id: str | None = None,
        at: datetime | str | None = None,
    ) -> list[Memory]:
        """Record chat turns: every message goes to short-term; user turns that carry content,
        and assistant commitments, also become episodes (`sources` = the short-term turn).

        Accepts OpenAI/LangChain dicts (`role`, `content`, optional `name`, `at`, `id`) or
        LangChain `BaseMessage` objects. Returns every created or returned memory in order.
        """
        self._check_open()
        user_id = check_user_id(user_id)
        if isinstance(messages, dict) or not isinstance(messages, Sequence):
            raise InvalidInputError("messages must be a list of message dicts or LangChain messages")
        base_at = self._now(at)
        turns = [self._message(m, pos, base_at) for pos, m in enumerate(messages)]
        short = [self._draft(t["content"], user_id=user_id, session_id=session_id,
                             speaker=t["role"], at=t["at"], layer=Layer.SHORT_TERM,
                             metadata={"kind": "message", **({"name": t["name"]} if t["name"] else {})},
                             sources=[f"msg:{t['id']}"] if t["id"] else ())
                 for t in turns]
        with self._lock:
            stored = self._writer.write(short)
            episodes = []
            for turn, st in zip(turns, stored, strict=True):
                assert st is not None
                if turn["role"] == "user" or (turn["role"] == "assistant"
                                               and kinds.is_commitment(turn["content"])):
                    episodes.append(self._draft(
                        turn["content"], user_id=user_id, session_id=session_id,
                        speaker=turn["role"], at=turn["at"], layer=None, metadata={},
                        sources=[st.id], salience_gate=True))
            derived = self._writer.write(episodes) if episodes else []
            by_source = {m.sources[0]: m for m in derived if m is not None and m.sources}
            self._expire_short_term(user_id, base_at)
        out: list[Memory] = []
        for st in stored:
            assert st is not None
            out.append(self._store.get(st.id) or st)
            if st.id in by_source:
                out.append(by_source[st.id])
        return out

    def _message(self, msg: Any, pos: int, default_at: datetime) -> dict[str, Any]:
        if isinstance(msg, dict):
            role, content = msg.get("role"), msg.get("content")
            name, mid, at = msg.get("name"), msg.get("id"), msg.get("at")
        elif hasattr(msg, "content") and hasattr(msg, "type"):
            role, content = msg.type, msg.content
            name, mid, at = getattr(msg, "name", None), getattr(msg, "id", None), None
        else:
            raise InvalidInputError(f"message {pos}: expected a dict or a LangChain message")
        if isinstance(content, list):  # LangChain content blocks: keep the text parts
            content = " ".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
        norm_role = _ROLE_ALIASES.get(str(role).lower()) if role is not None else None
        if norm_role is None:
            raise InvalidInputError(f"message {pos}: unknown role {role!r} (use user/assistant/system)")
        try:
            check_text(content, max_chars=self.config.max_text_chars, what=f"message {pos} content")
        except InvalidInputError:
            raise
        when = check_at(at, what=f"message {pos} at") or default_at
        return {"role": norm_role, "content": content, "name": name,
                "id": str(mid) if mid else None, "at": when}

    def _expire_short_term(self, user_id: str, now: datetime) -> list[str]:
        """Archive short-term turns beyond capacity or past the TTL (reason short_term_expired)."""
        rows = self._store.rows(
            "SELECT id, session_id, created_at FROM memories WHERE user_id = ? AND layer = "
            "'short_term' AND archived = 0 ORDER BY created_at, id", (user_id,))
        by_session: dict[str | None, list[dict[str, Any]]] = {}
        for r in rows:
            by_session.setdefault(r["session_id"], []).append(r)
        expired: list[str] = []
        for turns in by_session.values():
            last = to_utc(turns[-1]["created_at"])
            if short_term.session_expired(last_activity=last, now=now,
                                          ttl_hours=self.config.short_term_ttl_hours):
                expired += [t["id"] for t in turns]
            else:
                expired += short_term.overflow_ids([t["id"] for t in turns],
                                                   capacity=self.config.short_term_capacity)
        if expired:
            self._archive(expired, reason=short_term.EXPIRED_REASON, at=now)
        return expired

    def _archive(self, ids: Sequence[str], *, reason: str, at: datetime) -> None:
        with self._store.transaction():
            for mid in ids:
                mem = self._store.get(mid)
                if mem is None or mem.archived:
                    continue
                self._store.update(mid, archived=True, archived_at=at, archive_reason=reason,
                                   updated_at=at, index_pending=True)
                self._store.log_event(at, mem.user_id, mem.namespace, "archive", mid,
                                      {"reason": reason})
        self._sync([m for m in self._store.get_many(ids).values()])

    def _sync(self, mems: Sequence[Memory]) -> None:
        by_user: dict[str, list[Memory]] = {}
        for m in mems:
            by_user.setdefault(m.user_id, []).append(m)
        for user_id, group in by_user.items():
            self._writer.sync_vectors(user_id, group)

    # ---- reading ------------------------------------------------------------------------------

    def recall(
        self, query: str, *, user_id: str, k: int = 10, at: datetime | str | None = None,
        layers: Iterable[Layer | str] | None = None, explain: bool = False,
        session_id: str | None = None, namespace: str | None = None,
        include_archived: bool = False, recipe: RecallRecipe | None = None,
        read_only: bool = False,
    ) -> list[Recollection]:
        """The `k` memories most worth returning for `query`, as of `at` (default now).

        Memories created after `at` are ignored and availabilities are evaluated at `at`, so an
        earlier `at` answers as the brain would have then. Relevance comes first: the memories'
        dynamics only reorder matches of similar relevance (docs/LAYERS.md). The first k of a
        larger k are the same k. Strong matches among ranks 1–3 count as a light retrieval
        practice unless `at` is earlier than their last recall; `read_only=True` writes nothing
        (inspection, notebooks, benchmarks). A memory the caller actually used is strengthened
        by `feedback(id, "used")`.
        """
        return self._recall(query, user_id=user_id, k=k, at=at, layers=layers, explain=explain,
                            session_id=session_id, namespace=namespace,
                            include_archived=include_archived, recipe=recipe,
                            read_only=read_only)[0]

    def _recall(
        self, query: str, *, user_id: str, k: int = 10, at: datetime | str | None = None,
        layers: Iterable[Layer | str] | None = None, explain: bool = False,
        session_id: str | None = None, namespace: str | None = None,
        include_archived: bool = False, recipe: RecallRecipe | None = None,
        read_only: bool = False, focus_gists: bool = True,
    ) -> tuple[list[Recollection], np.ndarray]:
        """`recall`, and the query's vector (`context` compares it with a gist's clauses)."""
        self._check_open()
        text = check_text(query, max_chars=self.config.max_text_chars, what="query")
        req = pipeline.RecallRequest(
            query=text, user_id=check_user_id(user_id),
            namespace=check_id(namespace, what="namespace") if namespace else self.config.namespace,  # type: ignore[arg-type]
            k=check_k(k, max_k=self.config.max_k), at=self._now(at), layers=check_layers(layers),
            explain=bool(explain), session_id=check_id(session_id, what="session_id", optional=True),
            short_term_ttl=timedelta(hours=self.config.short_term_ttl_hours),
            include_archived=bool(include_archived), recipe=recipe or DEFAULT_RECIPE,
            device=self._recall_device(), focus_gists=focus_gists,
        )
        qvec = self.embedder.embed([text])[0]
        if "profile" in req.recipe.routes and profile_route.asks_about_self(text):
            req = dataclasses.replace(req, profile_slots=profile_route.question_slots(
                text, qvec, self._slot_questions()))
        with self._lock:
            req = dataclasses.replace(req, scan_exactly=self._check_user_vectors(req.user_id))
            results = pipeline.recall(store=self._store, index=self._index, qvec=qvec, req=req)
            if not read_only:
                with self._store.transaction():
                    pipeline.apply_practice(store=self._store, results=results, at=req.at,
                                            qtype=kinds.classify_query(text),
                                            user_id=req.user_id, recipe=req.recipe)
        # Say where untrusted text came from (docs/SECURITY.md): trust, flags, low-trust sources.
        return [r.model_copy(update={"reasons": [*r.reasons, *why]}) if (
            why := trust.trust_reasons(r.memory.metadata, explain=req.explain)) else r
            for r in results], qvec

    def context(
        self, query: str, *, user_id: str, budget_tokens: int = DEFAULT_BUDGET_TOKENS,
        at: datetime | str | None = None, session_id: str | None = None,
        namespace: str | None = None,
    ) -> Context:
        """The memory block to paste into a prompt for `query`, within `budget_tokens`.

        A stable prefix (core blocks, then standing preferences: the same bytes for every query
        until they change, so a provider's prompt cache hits) and then the evidence a
        read-only recall found, packed best first: a reply with the turn it answers, a gist
        only as far as it bears on the query (or its sources when shorter), the current value
        of a fact (superseded ones only when the query asks about change), nothing twice, a
        long item cut only at a sentence boundary and marked with ….  Every line has its date,
        speaker, layer and `[mem_id]`, and quotes the memory as data (`quote_as_data`).
        Looking changes nothing (`recall(read_only=True)`); tokens are estimated as UTF-8
        bytes / 4 (`zenbrain.context.tokens`). The rules: `zenbrain.context.build`.

        Args:
            query: what the prompt is about (usually the user's message).
            user_id: whose memories (plus `cross_context` memories shared with them).
            budget_tokens: the most tokens the text may take (1 to 32,000).
            at: read as of this instant (default now).
            session_id: the conversation (its working slots come first).
            namespace: agent/app scope (default the brain's).

        Raises:
            InvalidInputError: an empty query, a bad user id, a budget that is not a whole
                number from 1 to 32,000.
        """
        self._check_open()
        req = ContextRequest.checked(query=query, user_id=user_id, budget_tokens=budget_tokens)
        check_text(query, max_chars=self.config.max_text_chars, what="query")
        uid = check_user_id(user_id)
        ns = check_id(namespace, what="namespace") if namespace else self.config.namespace
        when = self._now(at)
        # The packer picks a gist's clauses by its own rule, so recall's quoting is skipped; the
        # query's vector is recall's, not encoded again.
        found, qvec = self._recall(
            query, user_id=uid, at=when, namespace=ns, session_id=session_id, explain=True,
            k=context_build.candidates_for(req.budget_tokens, max_k=self.config.max_k),
            read_only=True, focus_gists=False)
        with self._lock:
            return context_build.build_context(self._store, req, namespace=ns, at=when,  # type: ignore[arg-type]
                                               found=found, query_vector=qvec)

    def _slot_questions(self) -> profile_route.SlotQuestions:
        """The slot questions encoded by this brain's model, once (on the first question about
        the user themselves)."""
        if getattr(self, "_slot_question_vectors", None) is None:
            self._slot_question_vectors = profile_route.SlotQuestions.encode(self.embedder.embed)
        return self._slot_question_vectors

    def _recall_device(self) -> str:
        """The torch device of the Hopfield route (`config.device`; auto → CUDA if present)."""
        if getattr(self, "_device", None) is None:
            from zenbrain.algorithms.hopfield import resolve_device

            self._device = resolve_device(self.config.device)
        return self._device

    def get(self, memory_id: str, *, user_id: str | None = None) -> Memory | None:
        """The memory (any version, archived too), or None. With `user_id`, only that user's."""
        self._check_open()
        if not isinstance(memory_id, str):
            raise InvalidInputError(f"memory_id must be a string, got {type(memory_id).__name__}")
        mem = self._store.get(memory_id)
        if mem is None or (user_id is not None and mem.user_id != user_id):
            return None
        return mem

    def _require(self, memory_id: str, user_id: str | None) -> Memory:
        mem = self.get(memory_id, user_id=user_id)
        if mem is None:
            raise MemoryNotFoundError(memory_id)
        return mem

    def memories(
        self, user_id: str, *, namespace: str | None = None,
        layers: Iterable[Layer | str] | None = None, session_id: str | None = None,
        metadata: dict[str, str | int | float | bool] | None = None,
        include_archived: bool = False, limit: int | None = None, offset: int = 0,
    ) -> list[Memory]:
        """List a user's current memories, newest first, without ranking or side effects.

        Filters are exact: `namespace`, `layers`, `session_id`, and `metadata` (each key must
        equal the given scalar). Used by the agent (core blocks) and the LangGraph store.
        """
        self._check_open()
        where = ["user_id = ?", "is_current = 1"]
        params: list[Any] = [check_user_id(user_id)]
        if namespace is not None:
            where.append("namespace = ?")
            params.append(check_id(namespace, what="namespace"))
        picked = check_layers(layers)
        if picked is not None:
            where.append(f"layer IN ({','.join('?' * len(picked))})")
            params += sorted(str(layer) for layer in picked)
        if session_id is not None:
            where.append("session_id = ?")
            params.append(check_id(session_id, what="session_id"))
        for key, value in check_metadata(metadata).items():
            if not isinstance(value, str | int | float | bool):
                raise InvalidInputError(f"metadata filter {key!r}: only scalar values can be matched")
            cond, args = self._store.json_equals("metadata", key, value)
            where.append(cond)
            params += args
        if not include_archived:
            where.append("archived = 0")
        if not isinstance(offset, int) or offset < 0 or (limit is not None and (
                not isinstance(limit, int) or limit < 0)):
            raise InvalidInputError(f"limit/offset must be non-negative integers, got {limit!r}/{offset!r}")
        sql = " AND ".join(where) + " ORDER BY created_at DESC, id DESC"
        sql += f" LIMIT {limit if limit is not None else self._store.no_limit} OFFSET {offset}"
        with self._lock:
            return self._store.select_memories(sql, params)

    def history(self, memory_id: str, *, user_id: str | None = None) -> list[Memory]:
        """Every version of this memory, oldest first."""
        mem = self._require(memory_id, user_id)
        return self._store.select_memories("root_id = ? ORDER BY version, created_at", (mem.root_id,))

    def forget(self, memory_id: str, *, user_id: str | None = None,
               at: datetime | str | None = None) -> Memory:
        """Archive (restorable, excluded from recall). Idempotent.

        Raises:
            MemoryNotFoundError: unknown id (a `KeyError`).
        """
        self._check_open()
        with self._lock:
            mem = self._require(memory_id, user_id)
            if not mem.archived:
                self._archive([mem.id], reason="user_forget", at=self._now(at))
            return self._require(memory_id, user_id)

    def restore(self, memory_id: str, *, user_id: str | None = None,
                at: datetime | str | None = None) -> Memory:
        """Bring an archived memory back into recall."""
        self._check_open()
        with self._lock:
            mem = self._require(memory_id, user_id)
            if mem.archived:
                now = self._now(at)
                with self._store.transaction():
                    self._store.update(mem.id, archived=False, archived_at=None,
                                       archive_reason=None, updated_at=now, index_pending=True)
                    self._store.log_event(now, mem.user_id, mem.namespace, "restore", mem.id)
                self._sync([self._require(memory_id, user_id)])
            return self._require(memory_id, user_id)

    def delete(self, memory_id: str, *, user_id: str | None = None,
               reason: str = "user_delete") -> bool:
        """Hard delete, explicit: row, FTS entry, embedding, vector, links, and its id in every
        `sources` list. Leaves a content-free tombstone. False if nothing had that id."""
        self._check_open()
        with self._lock:
            mem = self.get(memory_id, user_id=user_id)
            if mem is None:
                return False
            portable.hard_delete(self._store, mem, at=to_utc(self.clock.now()), reason=reason)
            if not self._may_hold_vectors(mem.user_id):
                return True
            try:
                self._index.delete(mem.user_id, [mem.id])
            except Exception:  # the repair on open drops vectors without a row
                log.exception("vector delete failed for %s", mem.id)
            return True

    def delete_user(self, user_id: str) -> int:
        """Remove a user everywhere — every layer, version, archive entry, vector, graph node,
        log and sleep record — and leave no content behind. Returns the memories removed.

        This is the privacy operation; it cannot be undone. Export first if needed.
        """
        self._check_open()
        uid = check_user_id(user_id)
        with self._lock:
            kept = placement.in_index(self._store, uid)
            removed = portable.delete_user(self._store, uid)
            if kept or self._may_hold_vectors(uid):
                self._index.drop_user(uid)
            self._vectors_checked.discard(uid)
            scheduler_mod.purge_user(self, uid)
            for hook in self._user_deletion_hooks:
                hook(uid)
        log.info("deleted user (%d memories)", removed)
        return removed

    def _may_hold_vectors(self, user_id: str) -> bool:
        """Whether the vector index may hold some of the user's vectors: they are kept there, or
        an index exists at all (a collection left by an older layout, or by a user who shrank).
        A brain whose users were all small has none, and deleting opens nothing for them."""
        return (placement.in_index(self._store, user_id) or self._index.opened
                or bool(self.config.vectors_url) or (self.home / "chroma").exists())

    def on_delete_user(self, callback: Any) -> None:
        """Register `callback(user_id)` to run inside `delete_user` (e.g. to drop agent threads)."""
        self._user_deletion_hooks.append(callback)

    def feedback(self, memory_id: str, outcome: str, *, at: datetime | str | None = None,
                 user_id: str | None = None) -> Memory:
        """Record whether a recalled memory was confirmed, contradicted, used or rejected;
        confirmation raises its confidence, contradiction/rejection lower it. Being used or
        confirmed is what strengthens a memory: it counts as a retrieval practice (an FSRS
        "good" review), which a memory merely returned by `recall` does not earn."""
        self._check_open()
        if outcome not in _OUTCOMES:
            raise InvalidInputError(f"unknown outcome {outcome!r}; use one of: {', '.join(_OUTCOMES)}")
        now = self._now(at)
        with self._lock:
            mem = self._require(memory_id, user_id)
            updates: dict[str, Any] = {"updated_at": now}
            if outcome == "confirmed":
                updates["conf_alpha"] = mem.conf_alpha + 1
            elif outcome in ("contradicted", "rejected"):
                updates["conf_beta"] = mem.conf_beta + 1
            else:
                prio = dict(mem.priority)
                prio["reward"] = min(1.0, float(prio.get("reward", 0.3)) + 0.2)
                updates["priority"] = prio
            if outcome in ("confirmed", "used") and now >= mem.created_at and (
                    mem.last_recalled_at is None or now > mem.last_recalled_at):
                updates.update(recall_count=mem.recall_count + 1, last_recalled_at=now,
                               **review_updates(mem, now, grade=3))
            with self._store.transaction():
                self._store.update(mem.id, **updates)
                self._store.conn.execute(
                    "INSERT INTO feedback(memory_id, user_id, at, outcome) VALUES (?,?,?,?)",
                    (mem.id, mem.user_id, now.isoformat(), outcome))
                self._store.log_event(now, mem.user_id, mem.namespace, "feedback", mem.id,
                                      {"outcome": outcome})
            return self._require(memory_id, user_id)

    def graph(self, user_id: str, *, at: datetime | str | None = None) -> nx.MultiDiGraph:
        """A fresh `MultiDiGraph` of the user's entities, relations, memories and their links."""
        self._check_open()
        return inspect_mod.user_graph(self._store, self._graph, check_user_id(user_id),
                                   at=self._now(at))

    def visualize(
        self, user_id: str, *, around: str | None = None, depth: int = 2,
        at: datetime | str | None = None, layers: Iterable[Layer | str] | None = None,
        archived: bool = False, superseded: bool = False, limit: int | None = 300,
    ) -> viz.GraphView:
        """A picture of the user's graph as it was `at` (default now), changing nothing.

        Memories show a short text, date, layer and retrievability; edges their relation; gists
        link to their episodes. `around` an entity keeps `depth` hops of it; `archived` and
        `superseded` memories appear, styled apart, only on request; `limit` keeps the newest
        memories. Shows inline in a notebook; `.save("g.html")` or `.save("g.png")`.
        """
        when = self._now(at)
        picked = check_layers(layers)
        return viz.build_view(
            self.graph(user_id, at=when), user_id=check_user_id(user_id), at=when, around=around,
            depth=depth, layers={str(x) for x in picked} if picked else None,
            archived=archived, superseded=superseded, limit=limit)

    def stats(self, user_id: str | None = None, *, at: datetime | str | None = None) -> dict[str, Any]:
        """Counts per layer/namespace (active, archived, superseded), means, graph size,
        last sleep runs and storage size; without `user_id`, totals and a per-user table."""
        self._check_open()
        uid = check_user_id(user_id) if user_id is not None else None
        return inspect_mod.stats(self._store, self._graph, uid, at=self._now(at), home=self.home)

    def users(self) -> list[str]:
        self._check_open()
        return self._store.user_ids()

    # ---- processes ----------------------------------------------------------------------------

    def sleep(self, user_id: str | None = None, now: datetime | str | None = None, *,
              progress: Callable[[SleepProgress], None] | None = None) -> SleepReport:
        """One consolidation cycle per (user, namespace): replay, abstraction into semantic
        memories with provenance, graph upkeep, forgetting (archive only). Idempotent and
        resumable; see `zenbrain.consolidation.sleep`. `progress` receives a `SleepProgress` at
        the start, commit and end of every step."""
        self._check_open()
        when = self._now(now, what="now")
        with self._lock:
            users = [check_user_id(user_id)] if user_id is not None else self._store.user_ids()
        ctx = sleep_mod.SleepContext(env=self._sleep_env(), lock=self._lock,
                                     owner=self._sleep_owner, sync=self._sync_ids)
        return sleep_mod.run(ctx, users=users, now=when, progress=progress)

    def _sleep_env(self) -> Env:
        c = self.config
        return Env(store=self._store, embed=self.embedder.embed, model_name=self.embedder.name,
                   summariser=self.summariser, short_term_ttl_hours=c.short_term_ttl_hours,
                   short_term_capacity=c.short_term_capacity,
                   working_idle_minutes=c.working_idle_minutes, core_max_blocks=c.core_max_blocks,
                   forget=self._forget_params())

    def _forget_params(self) -> forgetting.ForgetParams:
        return forgetting.ForgetParams(decay_unconsolidated=self.config.forget_unconsolidated)

    def _sync_ids(self, user_id: str, ids: Sequence[str]) -> None:
        with self._lock:
            mems = list(self._store.get_many(ids).values())
            if mems:
                self._writer.sync_vectors(user_id, mems)

    def forgetting_preview(self, user_id: str | None = None, *,
                           now: datetime | str | None = None) -> list[dict[str, Any]]:
        """What the forgetting pass would archive at `now`, and why; changes nothing.

        (A sleep also abstracts first, so it may archive episodes it consolidates in that run.)
        """
        self._check_open()
        when = self._now(now, what="now")
        with self._lock:
            users = [check_user_id(user_id)] if user_id is not None else self._store.user_ids()
            return [{"user_id": u, **v.as_dict()} for u in users
                    for v in forgetting.candidates(self._store, u, None, when,
                                                     params=self._forget_params())]

    def maintenance(self, now: datetime | str | None = None) -> dict[str, int]:
        """The 15-minute job: expire short-term turns and retry the vector outbox."""
        self._check_open()
        when = self._now(now, what="now")
        with self._lock:
            expired = sum(len(self._expire_short_term(u, when)) for u in self._store.user_ids())
            written = outbox.repair_pending(self._store, self._index, self.embedder,
                                            exact_scan_max=self.config.exact_scan_max)
        return {"expired": expired, "vectors_written": written}

    def schedule_sleep(self, *, cron: str | None = None, timezone: Any = None,
                       trigger: Any = None, user_id: str | None = None,
                       maintenance_minutes: float = 15.0) -> SleepScheduler:
        """Start the background sleep scheduler (default 03:00 local time; `close()` stops it).

        Jobs persist in `<home>/scheduler.db`; a missed run within the hour runs once on wake.
        On a shared database (`database="postgresql://…"`) the sleep job lives in that
        database's `zenbrain_jobs` table instead, so every worker that calls this shares one
        nightly schedule (the last to call sets it); each fire instant is claimed in the `locks`
        table first and runs on exactly one worker. The maintenance job stays per worker, in
        memory, since it repairs this worker's own vector index.
        """
        self._check_open()
        if self._scheduler is not None:
            self._scheduler.stop()
        sched = SleepScheduler(self, cron=cron, timezone=timezone, trigger=trigger,
                               user_id=check_user_id(user_id) if user_id is not None else None,
                               maintenance_minutes=maintenance_minutes)
        self._scheduler = sched.start()
        if not getattr(self, "_scheduler_hooked", False):
            self._scheduler_hooked = True
            self.on_delete_user(lambda uid: self._scheduler and self._scheduler.drop_user(uid))
        return sched

    def repair_index(self, user_id: str | None = None, *, full: bool = False) -> int:
        """Bring the vector index in line with SQLite: upsert outbox rows, add missing vectors,
        drop vectors without a row. `full=True` rebuilds every vector (`zenbrain reindex`).
        Returns the number of vectors written.

        On a brain opened with `switch_model=True`, `reindex(full=True)` (every user) re-embeds
        every memory and its sentences with the new embedder, then records the new model; a
        plain open with the old model is refused from then on.
        """
        self._check_open()
        switch = self._switching and full and user_id is None
        with self._lock:
            written = outbox.repair_index(self._store, self._index, self.embedder,
                                          exact_scan_max=self.config.exact_scan_max,
                                          user_id=user_id, full=full)
            if switch:
                self._finish_switch()
            return written

    def _finish_switch(self) -> None:
        # The record changes last, once every memory has a vector of the new model: a crash
        # before that leaves the old model recorded and the switch marked, so a plain open is
        # refused with either model until a switch (to either) runs to its end.
        model_record.reembed_sentences(
            self._store, lambda texts: passages.encode_sentences(self.embedder.embed, texts))
        recorded = model_record.finish_switch(self._store, model=self.embedder.name,
                                              dim=self.embedder.dim)
        if recorded is None:
            log.warning("model switch not finished: some memories still lack a %s vector; "
                        "run reindex(full=True) again", self.embedder.name)
            return
        log.info("switched the brain's embedding model to %s", self.embedder.name)
        self._recorded_model, self._switching = recorded, False
        self._writer.on_first_write = None

    reindex = repair_index

    def export(self, user_id: str, *, with_embeddings: bool = True) -> Iterator[dict[str, Any]]:
        """The user's records as JSON-ready dicts (header first); see `zenbrain export`."""
        self._check_open()
        return portable.export_user(self._store, check_user_id(user_id),
                                    embedder=self.embedder.name, with_embeddings=with_embeddings,
                                    now=to_utc(self.clock.now()))

    def import_records(self, lines: Iterable[str]) -> dict[str, int]:
        """Import JSONL lines from `export` (upsert by id: a second import creates nothing).

        Every line is parsed and validated first; a bad line raises `InvalidInputError` naming
        its line number and nothing is imported.
        """
        self._check_open()
        records = portable.parse_jsonl(lines)
        for _, obj in records:
            if obj.get("type") == "memory":
                obj["record"] = trust.rescan_record(obj["record"])
        with self._lock:
            counts, users = portable.import_records(self._store, records, embedder=self.embedder.name)
            if users and self._recorded_model is None:
                self._record_model()
            for uid in users:
                outbox.repair_index(self._store, self._index, self.embedder,
                                    exact_scan_max=self.config.exact_scan_max, user_id=uid)
        return counts
