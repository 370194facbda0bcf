"""Encryption at rest of memory text (ZENBRAIN_KEY): the text is not in the raw files, the brain
works as before (the keyword route aside), and a missing or wrong key is a clear error."""

from __future__ import annotations

import base64

import pytest
from helpers import day

from zenbrain.crypto import PREFIX, TextCipher, derive_key, is_encrypted
from zenbrain.errors import InvalidInputError, StorageError

CANARY = "quokkacanary5521"


def _raw(home) -> bytes:
    return b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())


def test_cipher_round_trip_with_fresh_nonces_and_tamper_check():
    cipher = TextCipher(derive_key("correct horse", b"0123456789abcdef"))
    a, b = cipher.encrypt("Luna loves tuna"), cipher.encrypt("Luna loves tuna")
    assert a != b and is_encrypted(a) and cipher.decrypt(a) == "Luna loves tuna"
    assert cipher.decrypt("plain text") == "plain text"
    raw = bytearray(base64.b64decode(a[len(PREFIX):]))
    raw[-1] ^= 1
    with pytest.raises(StorageError, match="integrity"):
        cipher.decrypt(PREFIX + base64.b64encode(bytes(raw)).decode())
    assert not TextCipher(derive_key("wrong", b"0123456789abcdef")).matches(cipher.check_value())


def test_derived_key_is_scrypt_of_passphrase_and_salt():
    import hashlib

    expected = hashlib.scrypt(b"pw", salt=b"salt", n=2**14, r=8, p=1, dklen=32)
    assert derive_key("pw", b"salt") == expected and len(expected) == 32
    with pytest.raises(InvalidInputError):
        derive_key("", b"salt")


@pytest.mark.embedded_only("searches the raw files of the home")
def test_text_is_not_on_disk_and_the_brain_still_recalls(open_brain, tmp_path):
    home = tmp_path / "b"
    brain = open_brain(home, encryption_key="s3cret passphrase")
    mem = brain.remember(f"My locker code word is {CANARY}", user_id="u1", at=day(0))
    brain.remember("The printer uses A4 paper", user_id="u1", at=day(0))
    hits = brain.recall("what is my locker code word", user_id="u1", at=day(1))
    assert hits[0].memory.id == mem.id and CANARY in hits[0].memory.text
    assert all("bm25" not in " ".join(h.reasons) for h in hits)  # keyword route off
    brain.close()
    assert CANARY.encode() not in _raw(home)
    again = open_brain(home, encryption_key="s3cret passphrase")
    assert CANARY in again.get(mem.id).text


def test_missing_or_wrong_key_is_refused(open_brain, tmp_path):
    home = tmp_path / "b"
    open_brain(home, encryption_key="right").remember("A secret", user_id="u1").id  # noqa: B018
    open_brain.close_all()
    with pytest.raises(InvalidInputError, match="ZENBRAIN_KEY does not match"):
        open_brain(home, encryption_key="wrong")
    with pytest.raises(InvalidInputError, match="encrypted: set ZENBRAIN_KEY"):
        open_brain(home)


def test_setting_a_key_encrypts_what_was_stored_before(open_brain, tmp_path, monkeypatch):
    home = tmp_path / "b"
    plain = open_brain(home)
    mem = plain.remember(f"Before the key: {CANARY}", user_id="u1")
    open_brain.close_all()
    monkeypatch.setenv("ZENBRAIN_KEY", "later key")
    brain = open_brain(home)
    assert brain.get(mem.id).text == f"Before the key: {CANARY}"
    stored = brain._store.scalar("SELECT text FROM memories WHERE id = ?", (mem.id,))
    assert is_encrypted(stored) and CANARY not in stored
