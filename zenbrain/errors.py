"""The ZenBrain error family.

Everything ZenBrain raises on purpose derives from `ZenBrainError`. Bad input raises
`InvalidInputError`, which is also a `ValueError`, so plain ``except ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = [
    "BrainClosedError",
    "BrainInUseError",
    "InvalidInputError",
    "MemoryNotFoundError",
    "StorageError",
    "ZenBrainError",
]


class ZenBrainError(Exception):
    """Base class of every error ZenBrain raises on purpose."""


class InvalidInputError(ZenBrainError, ValueError):
    """An argument failed validation; nothing was written."""


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
