"""Keys for data at rest: the database key, key slots, the recovery key, the evidence key.

Every encrypted database (SQLCipher) has one random 256-bit **database key**. Nobody types it:
each account has a **key slot** (the database key wrapped with AES-GCM under a key derived from
the account's password by scrypt with OWASP's parameters, n=2^17, r=8, p=1), and a **recovery
key** (printed once at setup, re-printable by an admin) has one more. Unwrapping a slot *is*
the password check when a database is opened.

The slots live in the **key file** ``<db file>.keys`` beside the database, which can be read
before the database is open (it reveals nothing without a password). They are rebuilt from the
accounts' stored password hashes (``security.refresh_keyfile``): a slot is wrapped under the scrypt
digest the account's hash holds, so when the hub's accounts reach a workstation by sync, their
slots are made there without anyone's password. A workstation still waiting for its accounts has
one temporary slot instead, opened by its setup file's enrollment secret
(``make_enrollment_slot``); the first accounts to arrive replace it.

Evidence files are sealed with a key derived from the database key (HKDF).

The KDF cost is an explicit parameter (``kdf=``) only so tests can make slots quickly; nothing
lowers it by default.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import DatabaseError

KEY_BYTES = 32
KEYFILE_FORMAT = "growthdesk-keys"
KEYFILE_VERSION = 1


@dataclass(frozen=True)
class Kdf:
    """scrypt cost. ``OWASP`` (the default everywhere) is n=2^17, r=8, p=1 (128 MiB, ~0.5 s here)."""

    n: int = 2 ** 17
    r: int = 8
    p: int = 1

    def derive(self, password: str, salt: bytes, length: int = 32) -> bytes:
        maxmem = 128 * self.r * self.n * 2 + (1 << 20)
        return hashlib.scrypt(str(password).encode("utf-8"), salt=salt, n=self.n, r=self.r, p=self.p,
                              maxmem=maxmem, dklen=length)

    def to_dict(self) -> dict:
        return {"kdf": "scrypt", "n": self.n, "r": self.r, "p": self.p}


OWASP = Kdf()
# For tests only, passed explicitly (``open_database(..., kdf=keys.FAST_FOR_TESTS)``); never a default.
FAST_FOR_TESTS = Kdf(n=2 ** 10, r=8, p=1)


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def sqlcipher_key_pragma(key: bytes) -> str:
    """The raw-key form: SQLCipher uses the 256-bit key as is (no PBKDF2 on every connection)."""
    if len(key) != KEY_BYTES:
        raise ValueError("database key must be 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def _hkdf(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)


def _aad(login: str) -> bytes:
    return b"growthdesk-slot:" + login.lower().encode("utf-8")


# ---------------------------------------------------------------- slots


def make_slot(db_key: bytes, login: str, password: str, kdf: Kdf | None = None, *,
              _derived: tuple[bytes, bytes] | None = None) -> dict:
    """The database key wrapped under ``password`` for ``login`` (a JSON-able dict)."""
    kdf = kdf or OWASP
    salt, wrap_key = _derived if _derived else (os.urandom(16), None)
    wrap_key = wrap_key or kdf.derive(password, salt)
    nonce = os.urandom(12)
    wrapped = AESGCM(wrap_key).encrypt(nonce, db_key, _aad(login))
    return {"login": login.lower(), **kdf.to_dict(), "salt": salt.hex(), "nonce": nonce.hex(), "wrapped": wrapped.hex()}


def make_slots_same_password(db_key: bytes, logins: list[str], password: str, kdf: Kdf | None = None) -> list[dict]:
    """Slots for many accounts that share one password (the demo's): one derivation for all."""
    kdf = kdf or OWASP
    salt = os.urandom(16)
    derived = kdf.derive(password, salt)
    return [make_slot(db_key, login, password, kdf, _derived=(salt, derived)) for login in logins]


def open_slot(slot: dict, password: str) -> bytes | None:
    """The database key, or None when the password does not open this slot."""
    try:
        kdf = Kdf(int(slot["n"]), int(slot["r"]), int(slot["p"]))
        if slot.get("kdf") != "scrypt" or kdf.n < 2 or kdf.n > 2 ** 22:
            return None
        wrap_key = kdf.derive(password, bytes.fromhex(slot["salt"]))
        return AESGCM(wrap_key).decrypt(bytes.fromhex(slot["nonce"]), bytes.fromhex(slot["wrapped"]),
                                        _aad(str(slot["login"])))
    except Exception:  # noqa: BLE001 - a damaged slot opens nothing, like a wrong password
        return None


# ---------------------------------------------------------------- recovery key

RECOVERY_BYTES = 20  # 160 bits -> 32 base32 characters


def new_recovery_key() -> str:
    """``XXXX-XXXX-…`` (8 groups of 4 base32 characters), shown once and printed."""
    raw = base64.b32encode(secrets.token_bytes(RECOVERY_BYTES)).decode("ascii")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def _recovery_raw(recovery_key: str) -> bytes:
    text = "".join(ch for ch in str(recovery_key).upper() if ch.isalnum())
    text = text.replace("0", "O").replace("1", "I").replace("8", "B")  # what people misread
    try:
        raw = base64.b32decode(text)
    except Exception as exc:  # noqa: BLE001
        raise ValueError("not a recovery key") from exc
    if len(raw) != RECOVERY_BYTES:
        raise ValueError("not a recovery key")
    return raw


def make_recovery_slot(db_key: bytes, recovery_key: str) -> dict:
    wrap_key = _hkdf(_recovery_raw(recovery_key), b"growthdesk-recovery-slot")
    nonce = os.urandom(12)
    return {"kind": "recovery", "nonce": nonce.hex(),
            "wrapped": AESGCM(wrap_key).encrypt(nonce, db_key, b"growthdesk-recovery").hex()}


def open_recovery_slot(slot: dict, recovery_key: str) -> bytes | None:
    try:
        wrap_key = _hkdf(_recovery_raw(recovery_key), b"growthdesk-recovery-slot")
        return AESGCM(wrap_key).decrypt(bytes.fromhex(slot["nonce"]), bytes.fromhex(slot["wrapped"]),
                                        b"growthdesk-recovery")
    except Exception:  # noqa: BLE001
        return None


def seal_recovery_key(db_key: bytes, recovery_key: str) -> str:
    """The recovery key kept (wrapped with the database key) so an admin can print it again."""
    nonce = os.urandom(12)
    sealed = AESGCM(_hkdf(db_key, b"growthdesk-recovery-store")).encrypt(nonce, recovery_key.encode("ascii"), None)
    return nonce.hex() + ":" + sealed.hex()


def unseal_recovery_key(db_key: bytes, stored: str) -> str:
    nonce, sealed = stored.split(":")
    return AESGCM(_hkdf(db_key, b"growthdesk-recovery-store")).decrypt(
        bytes.fromhex(nonce), bytes.fromhex(sealed), None).decode("ascii")


# ---------------------------------------------------------------- a new workstation's temporary slot
#
# A workstation is encrypted from the moment it is made, but its accounts only arrive with the
# hub's first bundle down. Until then its key file holds one **enrollment slot**: the database
# key wrapped with AES-GCM under HKDF-SHA256 of the one-time enrollment secret of the workstation
# setup file (256 random bits, so no memory-hard KDF is needed). The slot is dropped as soon as
# the accounts' slots are written (``security.refresh_keyfile``).


def _enrollment_wrap_key(secret: str, node_id: str) -> bytes:
    return _hkdf(str(secret).encode("utf-8"), b"growthdesk-enrollment-slot:" + node_id.encode("utf-8"))


def _enrollment_aad(node_id: str, slot_id: str) -> bytes:
    return b"growthdesk-enrollment:" + node_id.encode("utf-8") + b":" + slot_id.encode("ascii")


def make_enrollment_slot(db_key: bytes, secret: str, node_id: str) -> dict:
    """The database key wrapped under the workstation setup file's enrollment secret."""
    if len(str(secret)) < 32:
        raise ValueError("an enrollment secret has at least 128 bits")
    slot_id = secrets.token_hex(8)
    nonce = os.urandom(12)
    wrapped = AESGCM(_enrollment_wrap_key(secret, node_id)).encrypt(nonce, db_key, _enrollment_aad(node_id, slot_id))
    return {"kind": "enrollment", "id": slot_id, "node_id": node_id, "nonce": nonce.hex(), "wrapped": wrapped.hex()}


def open_enrollment_slot(slot: dict, secret: str) -> bytes | None:
    """The database key, or None when ``secret`` is not the one this slot was made with."""
    try:
        node_id, slot_id = str(slot["node_id"]), str(slot["id"])
        return AESGCM(_enrollment_wrap_key(secret, node_id)).decrypt(
            bytes.fromhex(slot["nonce"]), bytes.fromhex(slot["wrapped"]), _enrollment_aad(node_id, slot_id))
    except Exception:  # noqa: BLE001 - a damaged slot opens nothing, like a wrong secret
        return None


# ---------------------------------------------------------------- evidence

EVIDENCE_MAGIC = b"GDEV1\x00"


def evidence_key(db_key: bytes) -> bytes:
    return _hkdf(db_key, b"growthdesk-evidence")


def seal_bytes(key: bytes, data: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(12)
    return EVIDENCE_MAGIC + nonce + AESGCM(key).encrypt(nonce, data, aad)


def is_sealed(head: bytes) -> bool:
    return head.startswith(EVIDENCE_MAGIC)


def open_bytes(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if not is_sealed(blob):
        raise ValueError("not a sealed file")
    n = len(EVIDENCE_MAGIC)
    return AESGCM(key).decrypt(blob[n:n + 12], blob[n + 12:], aad)


# ---------------------------------------------------------------- key file


_DB_KEYS: dict[str, bytes] = {}


def register_database_key(db_path: Path, key: bytes) -> None:
    """Remember the key of an open encrypted database (for its evidence files, by path)."""
    _DB_KEYS[str(Path(db_path).resolve())] = key


def database_key_for(db_path: Path | None) -> bytes | None:
    if db_path is None:
        return None
    return _DB_KEYS.get(str(Path(db_path).resolve()))


def keyfile_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".keys")


def read_keyfile(db_path: Path) -> dict | None:
    path = keyfile_path(db_path)
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatabaseError(f"密钥文件 {path.name} 已损坏，请用恢复密钥打开", f"the key file {path.name} is damaged; open "
                            "the database with its recovery key", value=str(path)) from exc
    if not isinstance(doc, dict) or doc.get("format") != KEYFILE_FORMAT:
        raise DatabaseError(f"{path.name} 不是 GrowthDesk 密钥文件", f"{path.name} is not a GrowthDesk key file",
                            value=str(path))
    return doc


def write_keyfile(db_path: Path, slots: list[dict], recovery: dict | None, public: dict | None = None, *,
                  lockout: bool = True, enrollment: dict | None = None) -> Path:
    """Atomically (temp + rename), owner-only. ``public`` holds what the login dialog shows
    before the database is open (school name, demo login): nothing about students.
    ``enrollment``: a new workstation's temporary slot (until its accounts arrive)."""
    from .fileperms import private_file

    path = keyfile_path(db_path)
    try:
        old = read_keyfile(db_path) or {}
    except DatabaseError:
        old = {}
    lockout_key = old.get("lockout_key") or base64.b64encode(os.urandom(32)).decode("ascii")
    doc = {"format": KEYFILE_FORMAT, "version": KEYFILE_VERSION, "public": public or {},
           "slots": sorted(slots, key=lambda s: s["login"]), "recovery": recovery}
    if enrollment is not None:
        doc["enrollment"] = enrollment
    if lockout:  # authenticates <db>.lockout (security.py); a backup's key file has none
        doc["lockout_key"] = lockout_key
    tmp = path.with_name(path.name + ".tmp")
    with private_file(tmp) as fh:
        fh.write(json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))
    os.replace(tmp, path)
    if lockout and not old.get("lockout_key"):
        from .security import start_lockout_file
        start_lockout_file(db_path, lockout_key)
    return path


def unlock_key(db_path: Path, login: str, password: str) -> bytes | None:
    """The database key from the key file for ``login`` + ``password``, or None."""
    doc = read_keyfile(db_path)
    if doc is None:
        return None
    login = str(login or "").strip().lower()
    for slot in doc.get("slots") or []:
        if slot.get("login") == login:
            return open_slot(slot, password)
    # An unknown login costs the same time as a wrong password.
    with contextlib.suppress(Exception):
        OWASP.derive(str(password), b"\x00" * 16)
    return None


def unlock_with_recovery(db_path: Path, recovery_key: str) -> bytes | None:
    doc = read_keyfile(db_path)
    if doc is None or not doc.get("recovery"):
        return None
    return open_recovery_slot(doc["recovery"], recovery_key)


__all__ = ["Kdf", "OWASP", "FAST_FOR_TESTS", "new_database_key", "make_slot", "make_slots_same_password", "open_slot",
           "new_recovery_key", "make_recovery_slot", "open_recovery_slot", "seal_recovery_key", "unseal_recovery_key",
           "make_enrollment_slot", "open_enrollment_slot", "evidence_key", "seal_bytes", "open_bytes", "is_sealed", "keyfile_path", "read_keyfile", "write_keyfile",
           "unlock_key", "unlock_with_recovery", "sqlcipher_key_pragma"]
