"""Personal data at rest (个人信息保护): ID numbers and phones as an HMAC, a masked form and AES-GCM ciphertext.

``id_hash`` (HMAC-SHA256 with ``settings.ID_HASH_KEY``) is what uniqueness and look-ups use; the masked
form is all pages, exports and audit rows ever show; the ciphertext is opened only by an audited reveal.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from .idnumber import mask_id, normalize_id

NONCE_BYTES = 12


@lru_cache(maxsize=4)
def _hash_key(raw: str) -> bytes:
    return raw.encode()


@lru_cache(maxsize=4)
def _cipher(raw: str) -> AESGCM:
    raw = raw.strip()
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    if len(key) not in (16, 24, 32):
        raise ValueError("ID_ENCRYPTION_KEY must be 32 bytes: 64 hex characters or URL-safe base64")
    return AESGCM(key)


def id_hash(number: str) -> str:
    """HMAC-SHA256 of a normalised ID number (hex): equal for the same person in every village."""
    return hmac.new(_hash_key(settings.ID_HASH_KEY), number.encode(), hashlib.sha256).hexdigest()


def id_hasher():
    """A fast hasher for a whole column: ``hasher(number) -> hex``."""
    key = _hash_key(settings.ID_HASH_KEY)
    digest = hmac.digest

    def hasher(number: str) -> str:
        return digest(key, number.encode(), "sha256").hex()

    return hasher


def encrypter():
    """A fast encrypter for a whole column: ``encrypt(text) -> base64 text`` ('' stays '')."""
    cipher = _cipher(settings.ID_ENCRYPTION_KEY)
    urandom, b64 = os.urandom, base64.b64encode
    encrypt_bytes = cipher.encrypt

    def encrypt(text: str) -> str:
        if not text:
            return ""
        nonce = urandom(NONCE_BYTES)
        return b64(nonce + encrypt_bytes(nonce, text.encode(), None)).decode()

    return encrypt


def encrypt(text: str) -> str:
    return encrypter()(text)


def decrypt(token: str) -> str:
    if not token:
        return ""
    data = base64.b64decode(token)
    return _cipher(settings.ID_ENCRYPTION_KEY).decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], None).decode()


def mask_phone(phone: str) -> str:
    """``138****0000``: the first three and last four digits."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return phone[:2] + "*" * (len(phone) - 2)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


__all__ = ["decrypt", "encrypt", "encrypter", "id_hash", "id_hasher", "mask_id", "mask_phone", "normalize_id"]
