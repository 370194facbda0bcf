"""The ZenBrain error family.

Everything ZenBrain raises on purpose derives from `ZenBrainError`. Bad input raises
`InvalidInputError`, which is also a `ValueError`, so plain ``except ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = [
    "BrainClosedError",
    "BrainInUseError",
    "EmbeddingModelMismatchError",
    "InvalidInputError",
    "MemoryNotFoundError",
    "StorageError",
    "ZenBrainError",
]


class ZenBrainError(Exception):
    """Base class of every error ZenBrain raises on purpose."""


class InvalidInputError(ZenBrainError, ValueError):
    """An argument failed validation; nothing was written."""


class EmbeddingModelMismatchError(InvalidInputError):
    """The brain's vectors were made by another embedding model (or size) than the one given.

    Mixing models would put incomparable vectors side by side, so the brain is not opened. The
    message names both models and the way to switch (re-embed every memory with the new one).
    """

    def __init__(self, *, recorded: str, recorded_dim: int, given: str, given_dim: int | None,
                 home: str | None = None, interrupted: str | None = None) -> None:
        self.recorded, self.recorded_dim = recorded, recorded_dim
        self.given, self.given_dim = given, given_dim
        self.interrupted = interrupted
        where = f"the brain at {home}" if home else "this brain"
        how = ("`zenbrain reindex --full --switch-model` (with that embedder configured), or "
               "`Brain(home, embedder=..., switch_model=True)` followed by "
               "`brain.reindex(full=True)`")
        if interrupted is not None:
            message = (f"a switch of {where} from {recorded} to {interrupted} was cut short, so "
                       f"its vectors are of both models. Finish it with {interrupted} (or go "
                       f"back to {recorded}): {how}.")
        else:
            given_desc = given if given_dim is None else f"{given} ({given_dim} dimensions)"
            message = (f"{where} holds vectors of {recorded} ({recorded_dim} dimensions), but the "
                       f"embedder given is {given_desc}. Open it with {recorded}, or switch every "
                       f"memory to {given}: {how}.")
        super().__init__(message)


class MemoryNotFoundError(ZenBrainError, KeyError):
    """No memory with this id exists (in the caller's scope)."""

    def __init__(self, memory_id: str) -> None:
        super().__init__(memory_id)
        self.memory_id = memory_id

    def __str__(self) -> str:
        return f"no memory with id {self.memory_id!r}"


class BrainInUseError(ZenBrainError):
    """Another process holds this brain open."""


class BrainClosedError(ZenBrainError):
    """The brain was closed; open a new `Brain` to continue."""


class StorageError(ZenBrainError):
    """The storage layer failed (disk full, corrupt file, unreachable server)."""
