"""Sealed bundles, format 2 (DESIGN §5.1): encrypted to the recipient, signed by the sender.

File ``<sender>-<sequence:06d>.gdbundle``::

    magic     8 bytes   b"GDBNDL2\\n"
    version   2 bytes   big-endian, 2
    hlen      4 bytes   big-endian, length of the header
    header    hlen      canonical JSON (sorted keys, UTF-8): format, sender, sender_role, recipient,
                        sequence, kind, epk (ephemeral X25519 public key, hex), nonce (8-byte
                        prefix, hex), chunk (plaintext chunk size), cipher, created_at, and on a
                        child's bundles until its parent confirmed it: enroll {sign_public,
                        box_public, mac}
    body      chunks    the payload (the format-1 zip: manifest.json + CSVs) cut into ``chunk``
                        bytes; each sealed with ChaCha20-Poly1305 (16-byte tag), nonce = prefix +
                        chunk number (4 bytes, big-endian), associated data = SHA-256(magic …
                        header) + one byte 1 for the last chunk, else 0. The last chunk is always
                        shorter than ``chunk`` (it may be empty), so truncation at a chunk edge is
                        seen too.
    signature 64 bytes  Ed25519 by the sender over b"growthdesk-bundle-2\\0" + SHA-256(everything before it)

The key: X25519(ephemeral private, recipient's box key) → HKDF-SHA256 (salt = epk + recipient's
box public key, info = b"growthdesk bundle format 2") → 32 bytes. Only the recipient's private
box key opens the body; only the sender's signing key makes the signature.

The recipient checks, before anything is decrypted or written: magic and version → addressed
to this node → sender is this node's parent, or an enrolled (or enrolling, with a valid proof
under its one-time secret) child, and not revoked → signature under the pinned (or presented)
key → then decrypts chunk by chunk, every tag checked. Every refusal is a ``Rejected`` with a
bilingual reason, and the database is untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from ..db import Database
from ..models import SyncPeer, utcnow
from . import keys as K
from . import nodes
from .importer import Rejected

MAGIC = b"GDBNDL2\n"
FORMAT = 2
SUFFIX = ".gdbundle"
CHUNK = 1 << 20
TAG = 16
SIG = 64
SIG_DOMAIN = b"growthdesk-bundle-2\x00"
MAX_HEADER = 64 << 10
CIPHER = "chacha20poly1305"
SPOOL_BYTES = 32 << 20  # decrypted payloads larger than this go to a temporary file
KINDS = ("changes", "district")  # a node's own changes (up or down a tier) / a district bundle


def sealed_name(sender: str, sequence: int) -> str:
    return f"{sender}-{sequence:06d}{SUFFIX}"


def is_sealed(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _canonical(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _nonce(prefix: bytes, counter: int) -> bytes:
    return prefix + counter.to_bytes(4, "big")


# ---------------------------------------------------------------- sealing (sender)

def seal(src: BinaryIO, dst: BinaryIO, *, me: nodes.Identity, recipient: str, recipient_box_public: str,
         sequence: int, kind: str = "changes", enroll: dict | None = None) -> dict:
    """Encrypt ``src`` (the payload) to the recipient and sign it; writes the whole file to ``dst``."""
    eph_public, key = K.ephemeral_key(bytes.fromhex(recipient_box_public))
    prefix_nonce = os.urandom(8)
    header = {"format": FORMAT, "sender": me.node_id, "sender_role": me.role, "recipient": recipient,
              "sequence": sequence, "kind": kind, "epk": eph_public.hex(), "nonce": prefix_nonce.hex(),
              "chunk": CHUNK, "cipher": CIPHER, "created_at": utcnow().isoformat(timespec="seconds") + "Z"}
    if enroll:
        header["enroll"] = enroll
    hb = _canonical(header)
    head = MAGIC + struct.pack(">HI", FORMAT, len(hb)) + hb
    h = hashlib.sha256(head)
    dst.write(head)
    aad = hashlib.sha256(head).digest()
    aead = ChaCha20Poly1305(key)
    counter = 0
    while True:
        data = src.read(CHUNK)
        last = len(data) < CHUNK
        ct = aead.encrypt(_nonce(prefix_nonce, counter), data, aad + (b"\x01" if last else b"\x00"))
        dst.write(ct)
        if counter == 0:
            from .folder import test_pause
            test_pause()
        h.update(ct)
        counter += 1
        if last:
            break
    dst.write(me.keys.sign(SIG_DOMAIN + h.digest()))
    return header


def enrollment_block(peer: SyncPeer, me: nodes.Identity) -> dict | None:
    """Child side: our keys under the setup file's secret, until the parent has confirmed them."""
    if peer.relation != "parent" or peer.confirmed or not peer.enroll_key:
        return None
    return {"sign_public": me.keys.sign_public, "box_public": me.keys.box_public,
            "mac": K.enrollment_mac(peer.enroll_key, me.node_id, peer.node_id, me.keys.sign_public,
                                    me.keys.box_public)}


@dataclass
class Envelope:
    """How ``export_bundle`` seals what it writes: to one peer, on one channel (the
    ``sync_state`` row that counts the sequences)."""

    me: nodes.Identity
    recipient: str
    recipient_role: str
    box_public: str
    channel: str
    enroll: dict | None = None
    kind: str = "changes"

    @property
    def to_district(self) -> bool:
        return self.recipient_role == "district"

    def name(self, sequence: int) -> str:
        return sealed_name(self.me.node_id, sequence)

    def seal_file(self, src: BinaryIO, dst: Path, sequence: int) -> None:
        with open(dst, "wb") as fout:
            seal(src, fout, me=self.me, recipient=self.recipient, recipient_box_public=self.box_public,
                 sequence=sequence, kind=self.kind, enroll=self.enroll)
            fout.flush()
            os.fsync(fout.fileno())


def envelope_for(db: Database, node_id: str | None = None, kind: str = "changes") -> Envelope | None:
    """The envelope to a peer (default: this node's parent); None if there is no such peer
    with keys (a format-1 school has no parent peer and keeps writing format 1)."""
    if not nodes.has_identity(db):
        return None
    me = nodes.identity(db)
    with db.session() as s:
        if node_id is None:
            from sqlalchemy import select
            peer = s.scalars(select(SyncPeer).where(SyncPeer.relation == "parent")).first()
        else:
            peer = s.get(SyncPeer, node_id)
        if peer is None:
            return None
        if peer.status != "active" or not peer.box_public:
            raise Rejected(f"节点 {peer.node_id} 尚未加入或已被吊销，不能给它发送数据",
                           f"node {peer.node_id} is not enrolled or was revoked; nothing can be sent to it",
                           field="recipient", value=peer.node_id)
        channel = db.school_code if peer.relation == "parent" else peer.node_id
        return Envelope(me, peer.node_id, peer.role, peer.box_public, channel, enrollment_block(peer, me), kind)


# ---------------------------------------------------------------- opening (recipient)

@dataclass
class Opened:
    """A sealed bundle that passed every check: its header, its sender, the decrypted payload."""

    path: Path
    header: dict
    sender: dict                # the peer row as a dict (nodes.peer_dict), before any pinning
    payload: BinaryIO
    file_sha256: str
    enroll: dict | None = None  # keys to pin (a child's first bundle)
    size: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def sequence(self) -> int:
        return self.header["sequence"]

    @property
    def kind(self) -> str:
        return self.header["kind"]

    def close(self) -> None:
        self.payload.close()


def _r(zh: str, en: str, **kw) -> Rejected:
    return Rejected(zh, en, **kw)


def read_header(fh: BinaryIO, size: int) -> tuple[dict, bytes]:
    fixed = fh.read(len(MAGIC) + 6)
    if len(fixed) < len(MAGIC) + 6 or fixed[:len(MAGIC)] != MAGIC:
        raise _r("不是 GrowthDesk 格式2数据包，或文件已损坏", "not a GrowthDesk format-2 bundle, or the file is damaged",
                 field="file")
    version, hlen = struct.unpack(">HI", fixed[len(MAGIC):])
    if version != FORMAT:
        newer = version > FORMAT
        raise _r(f"数据包格式版本 {version} 不受支持" + ("（请升级软件）" if newer else ""),
                 f"bundle format version {version} is not supported" + (" (upgrade the app)" if newer else ""),
                 field="format_version", value=version)
    if hlen > MAX_HEADER or len(fixed) + hlen + TAG + SIG > size:
        raise _r("数据包被截断或已损坏（文件头）", "the bundle is truncated or damaged (header)", field="file")
    hb = fh.read(hlen)
    try:
        header = json.loads(hb.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _r("数据包文件头无法读取（已损坏或被改动）", "the bundle's header cannot be read (damaged or altered)",
                 field="header")
    for key, kind in (("sender", str), ("recipient", str), ("sequence", int), ("kind", str), ("epk", str),
                      ("nonce", str), ("chunk", int)):
        value = header.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise _r(f"数据包文件头字段 {key} 缺失或无效", f"header field {key!r} is missing or invalid", field=key)
    if header["sequence"] < 1 or header["kind"] not in KINDS or not K.is_public_key(header["epk"]) \
            or len(header["nonce"]) != 16 or not 1024 <= header["chunk"] <= (16 << 20) \
            or header.get("cipher") != CIPHER:
        raise _r("数据包文件头的取值无效", "the bundle's header has invalid values", field="header")
    try:
        bytes.fromhex(header["nonce"])
    except ValueError:
        raise _r("数据包文件头的取值无效", "the bundle's header has invalid values", field="nonce")
    return header, fixed + hb


def peek_header(path: Path) -> dict | None:
    """The header of a bundle as written (unauthenticated: for messages only), or None."""
    try:
        with open(path, "rb") as fh:
            return read_header(fh, path.stat().st_size)[0]
    except (OSError, Rejected):
        return None


def _sender_key(s, header: dict, me: nodes.Identity) -> tuple[SyncPeer, str, dict | None]:
    """The sender's peer row, the key its signature must verify with, and keys to pin."""
    sender = header["sender"]
    peer = s.get(SyncPeer, sender)
    if peer is None:
        raise _r(f"发送方 {sender[:40]} 不是本节点的上级，也不是已登记的下级（可能是另一所学校的设置文件）",
                 f"the sender {sender[:40]!r} is neither this node's parent nor a registered child "
                 "(a setup file of another school?)", field="sender", value=sender[:40])
    if peer.status == "revoked":
        raise _r(f"发送方 {sender} 的密钥已被吊销，数据包不予接受（如是新电脑，请重新签发设置文件）",
                 f"the sender {sender}'s key was revoked; the bundle is refused (a new PC needs a re-issued "
                 "setup file)", field="sender", value=sender)
    enroll = header.get("enroll")
    if peer.relation == "child" and peer.status == "pending":
        if not isinstance(enroll, dict) or not peer.enroll_key:
            raise _r(f"{sender} 尚未完成加入：数据包没有加入凭证（或用的是已作废的设置文件）",
                     f"{sender} has not enrolled: the bundle carries no enrollment proof (or an old setup file)",
                     field="enroll", value=sender)
        sign_pub, box_pub = enroll.get("sign_public"), enroll.get("box_public")
        if not (K.is_public_key(sign_pub) and K.is_public_key(box_pub)):
            raise _r("加入凭证中的公钥无效", "invalid public keys in the enrollment proof", field="enroll")
        expected = K.enrollment_mac(peer.enroll_key, sender, me.node_id, sign_pub, box_pub)
        if not K.mac_ok(expected, enroll.get("mac")):
            raise _r(f"{sender} 的加入凭证不符：设置文件的加入密钥不对，或已被重新签发",
                     f"{sender}'s enrollment proof does not match: wrong setup-file secret, or it was re-issued",
                     field="enroll", value=sender)
        return peer, sign_pub, {"sign_public": sign_pub, "box_public": box_pub}
    if peer.status != "active" or not peer.sign_public:
        raise _r(f"发送方 {sender} 尚未加入", f"the sender {sender} is not enrolled", field="sender", value=sender)
    if isinstance(enroll, dict) and enroll.get("sign_public") != peer.sign_public:
        raise _r(f"{sender} 已用另一把密钥加入；如更换了电脑，请先重新签发其设置文件",
                 f"{sender} is enrolled with another key; a replaced PC needs a re-issued setup file first",
                 field="enroll", value=sender)
    return peer, peer.sign_public, None


def open_bundle(db: Database, path: str | Path) -> Opened:
    """Check a sealed bundle completely and decrypt it (see the module text). Writes nothing."""
    path = Path(path)
    try:
        size = path.stat().st_size
        fh = open(path, "rb")
    except FileNotFoundError:
        raise _r(f"找不到文件：{path.name}", f"file not found: {path.name}", field="file", value=str(path))
    except OSError as exc:
        raise _r(f"无法读取数据包：{path.name}", f"cannot read the bundle {path.name}: {exc}", field="file")
    with fh:
        header, head = read_header(fh, size)
        me = nodes.identity(db)
        if header["recipient"] != me.node_id:
            raise _r(f"数据包是发给另一个节点的（{header['recipient'][:40]}），本节点是 {me.node_id}",
                     f"the bundle is addressed to another node ({header['recipient'][:40]!r}); this node is "
                     f"{me.node_id}", field="recipient", value=header["recipient"][:40])
        with db.session() as s:
            peer, sign_key, enroll = _sender_key(s, header, me)
            sender = nodes.peer_dict(peer)
        # The signature first: nothing is decrypted unless the sender made exactly these bytes.
        body_len = size - len(head) - SIG
        h, file_h = hashlib.sha256(head), hashlib.sha256(head)
        fh.seek(len(head))
        left = body_len
        while left > 0:
            block = fh.read(min(1 << 20, left))
            if not block:
                raise _r("数据包被截断", "the bundle is truncated", field="file")
            h.update(block)
            file_h.update(block)
            left -= len(block)
        signature = fh.read(SIG)
        file_h.update(signature)
        if len(signature) != SIG or not K.verify(sign_key, signature, SIG_DOMAIN + h.digest()):
            raise _r("签名不符：数据包被改动、被截断，或不是发送方用自己的密钥生成的",
                     "the signature does not match: the bundle was altered or truncated, or not made with the "
                     "sender's key", field="signature")
        fh.seek(len(head))
        payload = _decrypt(fh, body_len, header, head, me)
    return Opened(path, header, sender, payload, file_h.hexdigest(), enroll, size)


def _decrypt(fh: BinaryIO, body_len: int, header: dict, head: bytes, me: nodes.Identity) -> BinaryIO:
    chunk, epk = header["chunk"], bytes.fromhex(header["epk"])
    full, rest = divmod(body_len, chunk + TAG)
    if rest < TAG:
        raise _r("数据包被截断或已损坏（正文长度不对）", "the bundle is truncated or damaged (body length)", field="file")
    try:
        key = me.keys.shared_key(epk, salt=epk + bytes.fromhex(me.keys.box_public))
    except ValueError:
        raise _r("数据包的临时公钥无效", "the bundle's ephemeral key is invalid", field="epk")
    aead, prefix = ChaCha20Poly1305(key), bytes.fromhex(header["nonce"])
    aad = hashlib.sha256(head).digest()
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        for i in range(full + 1):
            last = i == full
            ct = fh.read(rest if last else chunk + TAG)
            out.write(aead.decrypt(_nonce(prefix, i), ct, aad + (b"\x01" if last else b"\x00")))
    except InvalidTag:
        out.close()
        raise _r("无法解密：数据包不是加密给本节点的密钥，或已损坏",
                 "cannot decrypt: the bundle was not sealed to this node's key, or it is damaged",
                 field="file") from None
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def accept(db: Database, opened: Opened, *, user: str = "") -> None:
    """After a sealed bundle was opened: pin a child's keys (its enrollment secret is spent),
    note that a parent has our keys (it sealed this to them), remember the sequence."""
    with db.session(user=user) as s:
        peer = s.get(SyncPeer, opened.header["sender"])
        if opened.enroll and peer.status == "pending":
            peer.sign_public, peer.box_public = opened.enroll["sign_public"], opened.enroll["box_public"]
            peer.status, peer.enroll_key, peer.enrolled_at = "active", "", utcnow()
        if peer.relation == "parent" and not peer.confirmed:
            peer.confirmed, peer.enroll_key = True, ""
        peer.received_sequence = max(peer.received_sequence or 0, opened.sequence)
        peer.last_seen_at = utcnow()
