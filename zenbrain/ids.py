"""Prefixed ULIDs (`mem_…`, `ent_…`, `rel_…`, `run_…`) that sort by creation order.

48 bits of milliseconds then 80 random bits, Crockford base32. Within one millisecond the random
part is incremented, so ids made by one process are strictly increasing.
"""

from __future__ import annotations

import os
import threading
import time

__all__ = ["new_id"]

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_lock = threading.Lock()
_last_ms = -1
_last_rand = 0


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    """A new id such as `mem_01JD…`; prefix without the underscore."""
    global _last_ms, _last_rand
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _last_rand = (_last_rand + 1) % (1 << 80)
        else:
            _last_ms = ms
            _last_rand = int.from_bytes(os.urandom(10), "big") >> 1  # headroom for increments
        return f"{prefix}_{_encode(ms, 10)}{_encode(_last_rand, 16)}"
