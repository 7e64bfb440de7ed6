"""Node key pairs and the few primitives format 2 needs, all from ``cryptography`` (nothing by hand).

Every node (district, school hub, workstation) makes its own key pairs where it lives and keeps
the private halves in its own database (``gd_setting``): an Ed25519 pair that signs what the node
sends, and an X25519 pair that bundles for the node are encrypted to. Only the public halves
(32 bytes each, hex) ever leave the node: in setup files and in the first bundle to a parent.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_RAW = dict(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)
_RAW_PRIVATE = dict(encoding=serialization.Encoding.Raw, format=serialization.PrivateFormat.Raw,
                    encryption_algorithm=serialization.NoEncryption())
HKDF_INFO = b"growthdesk bundle format 2"


@dataclass(frozen=True)
class NodeKeys:
    """A node's two private keys (raw 32 bytes each)."""

    sign_private: bytes
    box_private: bytes

    @classmethod
    def generate(cls) -> "NodeKeys":
        return cls(Ed25519PrivateKey.generate().private_bytes(**_RAW_PRIVATE),
                   X25519PrivateKey.generate().private_bytes(**_RAW_PRIVATE))

    @classmethod
    def from_hex(cls, sign_hex: str, box_hex: str) -> "NodeKeys":
        return cls(bytes.fromhex(sign_hex), bytes.fromhex(box_hex))

    @property
    def sign_public(self) -> str:
        return Ed25519PrivateKey.from_private_bytes(self.sign_private).public_key().public_bytes(**_RAW).hex()

    @property
    def box_public(self) -> str:
        return X25519PrivateKey.from_private_bytes(self.box_private).public_key().public_bytes(**_RAW).hex()

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.sign_private).sign(message)

    def shared_key(self, peer_box_public: bytes, salt: bytes) -> bytes:
        """The recipient's side of ``ephemeral_key``."""
        shared = X25519PrivateKey.from_private_bytes(self.box_private).exchange(
            X25519PublicKey.from_public_bytes(peer_box_public))
        return _hkdf(shared, salt)


def _hkdf(shared: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=HKDF_INFO).derive(shared)


def ephemeral_key(recipient_box_public: bytes) -> tuple[bytes, bytes]:
    """(ephemeral public key, symmetric key) for one bundle to ``recipient_box_public``.

    X25519 with a fresh key pair, then HKDF-SHA256 salted with both public keys."""
    eph = X25519PrivateKey.generate()
    eph_public = eph.public_key().public_bytes(**_RAW)
    shared = eph.exchange(X25519PublicKey.from_public_bytes(recipient_box_public))
    return eph_public, _hkdf(shared, eph_public + recipient_box_public)


def verify(sign_public_hex: str, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(sign_public_hex)).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def is_public_key(value) -> bool:
    """32 bytes as 64 lower-case hex digits, and a valid point for both key kinds we use."""
    if not isinstance(value, str) or len(value) != 64:
        return False
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        return False
    return raw.hex() == value


def secret_digest(secret: str) -> str:
    """What a parent keeps of a one-time enrollment secret (and the key of the child's proof)."""
    return hashlib.sha256(("growthdesk-enroll:" + secret).encode("utf-8")).hexdigest()


def enrollment_mac(secret_digest_hex: str, node_id: str, recipient: str, sign_public: str, box_public: str) -> str:
    """The child's proof that it holds the setup file's secret, bound to the keys it presents."""
    msg = "\x1f".join(("growthdesk-enroll-2", node_id, recipient, sign_public, box_public)).encode("utf-8")
    return hmac.new(bytes.fromhex(secret_digest_hex), msg, hashlib.sha256).hexdigest()


def mac_ok(expected: str, got) -> bool:
    return isinstance(got, str) and hmac.compare_digest(expected, got)
