"""The admin PIN: six digits, stored only as an scrypt hash (`scrypt$n$r$p$salt$hash`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from typing import Final

PIN_LENGTH = 6
_N, _R, _P = 2**14, 8, 1


def valid_pin(pin: str) -> bool:
    return len(pin) == PIN_LENGTH and pin.isascii() and pin.isdigit()


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True when `pin` matches the stored hash; False for anything malformed."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest, validate=True)
        got = hashlib.scrypt(
            pin.encode(),
            salt=base64.b64decode(salt, validate=True),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


_PIN_HASH = re.compile(r"scrypt\$([0-9]{1,8})\$([0-9]{1,3})\$([0-9]{1,3})\$([^$]*)\$([^$]*)")
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
# OpenSSL's scrypt refuses to use more memory than this (hashlib's default maxmem).
_SCRYPT_MAX_MEMORY: Final = 32 * 1024 * 1024


def pin_hash_problem(value: str) -> str | None:
    """Why a stored PIN hash could never verify a PIN (hash_pin's format), or None.

    Checked without computing scrypt, so that the start stays fast.
    """
    match = _PIN_HASH.fullmatch(value)
    if match is None:
        return "not six $-separated fields"
    n, r, p = (int(match.group(i)) for i in (1, 2, 3))
    salt, digest = match.group(4), match.group(5)
    if not (1024 <= n <= 2**20 and n & (n - 1) == 0):
        return "N is not a power of 2 from 1024 to 1048576"
    if not 1 <= r <= 32:
        return "r is not 1–32"
    if not 1 <= p <= 16:
        return "p is not 1–16"
    if 128 * r * (n + 2) + 128 * r * p > _SCRYPT_MAX_MEMORY:
        return "N and r need more than 32 MB of memory"
    for name, text, least in (("salt", salt, 8), ("hash", digest, 16)):
        if not _BASE64.fullmatch(text):
            return f"the {name} is not base64"
        size = len(text) // 4 * 3 - text.count("=")
        if not least <= size <= 64:
            return f"the {name} is not {least}–64 bytes"
    return None
