"""Optional encryption at rest of memory text (`ZENBRAIN_KEY`), with AES-256-GCM.

The key is derived from the passphrase with scrypt and a random salt kept in the brain's `meta`
table, beside a check value that tells a wrong key from a right one at open. Each text gets its own
12-byte nonce; the stored form is `zbenc1:` + base64(nonce ‖ ciphertext ‖ tag), so encrypted and
plain rows can be told apart (a brain that gains a key is migrated once, at open).

What stays readable is listed in docs/SECURITY.md: vectors, entity names in the knowledge graph,
metadata, content hashes. Full-text search cannot run over ciphertext, so the keyword route is off
in an encrypted brain.
"""

from __future__ import annotations

import base64
import hashlib
import os

from zenbrain.errors import InvalidInputError, StorageError

__all__ = ["PREFIX", "TextCipher", "derive_key", "is_encrypted"]

PREFIX = "zbenc1:"
_NONCE = 12
# scrypt cost: ~50 ms per open on a laptop, which also bounds offline guessing of a passphrase.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_CHECK_PLAINTEXT = "zenbrain key check"


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX)


def derive_key(passphrase: str, salt: bytes) -> bytes:
    """32 key bytes from a passphrase (any non-empty string) and the brain's salt."""
    if not passphrase:
        raise InvalidInputError("ZENBRAIN_KEY is empty")
    return hashlib.scrypt(passphrase.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R,
                          p=_SCRYPT_P, dklen=32)


class TextCipher:
    """Encrypts and decrypts memory text with one 32-byte key."""

    def __init__(self, key: bytes) -> None:
        try:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        except ImportError:
            raise InvalidInputError("encryption at rest needs the `cryptography` package: "
                                    "pip install 'zenbrain[encryption]'") from None
        self._aead = AESGCM(key)

    def encrypt(self, text: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, text.encode(), None)
        return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, value: str) -> str:
        """The plain text; a value that was never encrypted is returned as it is."""
        if not is_encrypted(value):
            return value
        from cryptography.exceptions import InvalidTag

        raw = base64.b64decode(value[len(PREFIX):])
        try:
            return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], None).decode()
        except InvalidTag:
            raise StorageError("a memory text failed its integrity check: wrong key, or the "
                               "stored text was altered") from None

    def check_value(self) -> str:
        return self.encrypt(_CHECK_PLAINTEXT)

    def matches(self, check_value: str) -> bool:
        try:
            return self.decrypt(check_value) == _CHECK_PLAINTEXT
        except StorageError:
            return False
