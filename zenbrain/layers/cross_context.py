"""Cross-context memory: knowledge shared on purpose, across namespaces or across users.

A cross-context memory lives in namespace `"*"`, so every namespace (agent) of its owner sees it.
Other users see it only when the owner lists them in `metadata={"shared_with": [...]}` — sharing
is always explicit; nothing else ever crosses a tenant boundary.
"""

from __future__ import annotations

from typing import Any

from zenbrain.errors import InvalidInputError

__all__ = ["ALL_NAMESPACES", "shared_with"]

ALL_NAMESPACES = "*"


def shared_with(metadata: dict[str, Any], *, owner: str) -> list[str]:
    """Validated list of other user ids a cross-context memory is shared with."""
    value = metadata.get("shared_with", [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidInputError("metadata['shared_with'] must be a list of user ids")
    return sorted({v for v in value if v != owner})
