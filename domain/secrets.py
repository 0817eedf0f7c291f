"""Secrets at rest: Fernet encryption under a key derived from SECRET_KEY (never logged, never returned)."""
from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet


def _fernet(secret_key: str, purpose: str) -> Fernet:
    digest = hashlib.sha256(f"{purpose}:{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(secret_key: str, purpose: str, value: str) -> str:
    return _fernet(secret_key, purpose).encrypt(value.encode()).decode()


def decrypt(secret_key: str, purpose: str, token: str) -> str:
    return _fernet(secret_key, purpose).decrypt(token.encode()).decode()
