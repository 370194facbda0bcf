"""Core memory: pinned blocks that are always true of the user or agent.

At most 20 blocks of at most 2,000 characters per user (SPEC §3). Writing to an existing block
(`metadata={"block": "profile"}`) makes a new version of it; core never decays and is never
changed by prediction error or sleep.
"""

from __future__ import annotations

from zenbrain.errors import InvalidInputError

__all__ = ["check_block"]


def check_block(*, text: str, block: str | None, existing_blocks: set[str], max_blocks: int,
                max_chars: int) -> None:
    """Raise `InvalidInputError` when a core write would break the block limits."""
    if len(text) > max_chars:
        raise InvalidInputError(
            f"core memory text is {len(text):,} characters; the limit is {max_chars:,} "
            "(BrainConfig.core_max_chars). Split it into several blocks."
        )
    if (block is None or block not in existing_blocks) and len(existing_blocks) >= max_blocks:
        raise InvalidInputError(
            f"user already has {len(existing_blocks)} core blocks; the limit is {max_blocks} "
            "(BrainConfig.core_max_blocks). Update an existing block with metadata={'block': …} "
            "or forget one."
        )
