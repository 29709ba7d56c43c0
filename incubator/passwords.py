"""Passwords of local accounts: NIST SP 800-63B rules and argon2id hashes.

The rules are about length, not composition (no "one digit and one symbol"):
at least 15 characters, since a local account signs in with its password alone;
up to 1,024, so pass phrases with spaces and any Unicode fit (NIST asks for at
least 64); refused when it is a very common password or contains the e-mail
address. Passwords are NFKC-normalised before they are checked and hashed, so the
same phrase typed on another keyboard still matches.
"""

from __future__ import annotations

import functools
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 15
MAX_LENGTH = 1_024

# Long passwords that still top breach corpora: refused whatever their length.
COMMON = frozenset({
    "123456789012345", "1234567890123456", "12345678901234567890", "123456789123456789",
    "111111111111111", "000000000000000", "qwertyuiopasdfgh", "qwertyuiopasdfghjkl",
    "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv", "1q2w3e4r5t6y7u8i", "1q2w3e4r5t6y7u8i9o0p",
    "passwordpassword", "password1234567", "password12345678", "password123456789",
    "iloveyouiloveyou", "abcdefghijklmnop", "abcdefghijklmnopqrstuvwxyz", "letmeinletmein",
    "administrator123", "welcome123456789", "changemechangeme", "correcthorsebatterystaple",
    "correct horse battery staple", "qwertyqwertyqwerty", "asdfghjklasdfghjkl",
    "zaq12wsxcde34rfv", "trustno1trustno1", "p@ssw0rdp@ssw0rd", "passw0rdpassw0rd",
    "monkeymonkeymonkey", "superman123456789", "incubatorincubator", "incubator-password",
})

# Measured cost on the shared 2-core development machine: 0.2-0.4 s per hash (RFC 9106's
# second recommended profile: 64 MiB, 3 passes, 4 lanes), which is argon2-cffi's default.
hasher = PasswordHasher()


def normalise(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def problem_with(password: str, email: str) -> str | None:
    """Why this password is refused for this account, or None if it is fine."""
    password = normalise(password)
    if len(password) < MIN_LENGTH:
        return (f"Use at least {MIN_LENGTH} characters; a few unrelated words with spaces "
                "make a good one.")
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH:,} characters."
    folded = password.casefold()
    if folded in COMMON or len(set(folded)) < 4:
        return "That password is one of the most common ones: choose another."
    local_part = email.casefold().split("@")[0]
    if email and (email.casefold() in folded or (len(local_part) >= 4 and local_part in folded)):
        return "A password must not contain your e-mail address."
    return None


def hash_password(password: str) -> str:
    return hasher.hash(normalise(password))


def verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, normalise(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's."""
    return hasher.check_needs_rehash(password_hash)


@functools.cache
def dummy_hash() -> str:
    """Verified when the e-mail matches no account, so a wrong address takes as long
    as a wrong password and response times don't reveal who has an account."""
    return hasher.hash("no account has this password, it only costs time")
