"""Node identity and peers (DESIGN §5.1, format 2).

Every database is a node. ``gd_setting`` says which: ``node_id`` (a district's code, a hub's
school code, a workstation's ``<school code>-Wnn``), ``node_role`` (district | hub |
workstation) and, below the district, ``parent_node_id``. The node's private keys live in
``gd_setting`` too (``node_sign_key``, ``node_box_key``, raw hex) and never leave it.

``sync_peer`` rows are the nodes it talks to:
- its parent (``relation='parent'``): public keys from the setup file, pinned from the start;
  ``enroll_key`` kept until the parent has confirmed our keys (``confirmed``), so that every
  bundle up to then carries the enrollment proof;
- its children (``relation='child'``): ``pending`` with the digest of a one-time enrollment
  secret until the child's first bundle presents its keys under that secret, then ``active``
  with the keys pinned (the secret is spent), or ``revoked`` (a stolen PC). Opening a new
  enrollment for a child (re-issuing its setup file) drops its old keys.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from ..db import Database, write_settings
from ..errors import NotFoundError, ValidationError
from ..models import Setting, SyncPeer, utcnow
from .keys import NodeKeys, is_public_key, secret_digest

NODE_ID, NODE_ROLE, PARENT_NODE_ID = "node_id", "node_role", "parent_node_id"
SIGN_KEY, BOX_KEY = "node_sign_key", "node_box_key"
ROLES_ZH = {"district": "区教育局", "hub": "学校主机", "workstation": "工作站"}
STATUS_ZH = {"pending": "待加入", "active": "已加入", "revoked": "已吊销"}


@dataclass(frozen=True)
class Identity:
    node_id: str
    role: str
    parent_node_id: str
    keys: NodeKeys

    def card(self, name: str = "") -> dict:
        """What others may know of this node: put in a child's setup file."""
        return {"node_id": self.node_id, "role": self.role, "name": name,
                "sign_public": self.keys.sign_public, "box_public": self.keys.box_public}


# ---------------------------------------------------------------- this node

def make_identity(s, node_id: str, role: str, parent_node_id: str = "", keys: NodeKeys | None = None) -> NodeKeys:
    """Write this database's node settings with fresh key pairs (made here, on this machine)."""
    keys = keys or NodeKeys.generate()
    values = {NODE_ID: node_id, NODE_ROLE: role, SIGN_KEY: keys.sign_private.hex(), BOX_KEY: keys.box_private.hex()}
    if parent_node_id:
        values[PARENT_NODE_ID] = parent_node_id
    write_settings(s, values)
    return keys


def identity(db: Database) -> Identity:
    st = db.settings
    if not st.get(NODE_ID) or not st.get(SIGN_KEY) or not st.get(BOX_KEY):
        raise ValidationError("本数据库还没有节点身份（请升级软件后重新打开）",
                              "this database has no node identity yet (open it with this version first)",
                              field="node_id")
    return Identity(st[NODE_ID], st.get(NODE_ROLE, ""), st.get(PARENT_NODE_ID, ""),
                    NodeKeys.from_hex(st[SIGN_KEY], st[BOX_KEY]))


def has_identity(db: Database) -> bool:
    return bool(db.settings.get(NODE_ID) and db.settings.get(SIGN_KEY))


def renew_keys(s) -> NodeKeys:
    """New key pairs for this node (re-enrollment after a lost or stolen PC)."""
    keys = NodeKeys.generate()
    write_settings(s, {SIGN_KEY: keys.sign_private.hex(), BOX_KEY: keys.box_private.hex()})
    return keys


# ---------------------------------------------------------------- peers

def check_card(card, what_zh: str = "上级") -> dict:
    if not isinstance(card, dict):
        raise ValidationError(f"设置文件缺少{what_zh}节点信息", "the setup file lacks the parent node", field="parent")
    for key in ("node_id", "role", "sign_public", "box_public"):
        if not isinstance(card.get(key), str) or not card[key]:
            raise ValidationError(f"设置文件中的{what_zh}节点缺少 {key}", f"the setup file's parent node lacks {key}",
                                  field=f"parent.{key}")
    for key in ("sign_public", "box_public"):
        if not is_public_key(card[key]):
            raise ValidationError(f"设置文件中的{what_zh}公钥无效（{key}）", f"invalid parent public key {key}",
                                  field=f"parent.{key}")
    if card["role"] not in ROLES_ZH:
        raise ValidationError("设置文件中的上级节点类型无效", "invalid parent node role", field="parent.role",
                              value=card["role"])
    return card


def pin_parent(s, card: dict, secret: str, school_code: str = "") -> SyncPeer:
    """Child side: the parent from the setup file, trusted as given; the secret's digest is
    kept to prove our keys in our first bundles."""
    check_card(card)
    for old in s.scalars(select(SyncPeer).where(SyncPeer.relation == "parent")):
        if old.node_id != card["node_id"]:
            s.delete(old)
    s.flush()
    peer = s.get(SyncPeer, card["node_id"])
    if peer is None:
        peer = SyncPeer(node_id=card["node_id"], relation="parent", received_sequence=0)
        s.add(peer)
    peer.relation, peer.role, peer.name = "parent", card["role"], str(card.get("name") or "")[:100]
    peer.school_code = school_code if card["role"] == "hub" else ""
    peer.sign_public, peer.box_public = card["sign_public"], card["box_public"]
    peer.status, peer.enroll_key, peer.confirmed = "active", secret_digest(secret), False
    peer.enrolled_at, peer.revoked_at = utcnow(), None
    write_settings(s, {PARENT_NODE_ID: card["node_id"]})
    return peer


def open_enrollment(s, node_id: str, role: str, name: str, school_code: str) -> str:
    """Parent side: (re-)open a child's enrollment; returns the one-time secret for its setup
    file. Any keys the child had are dropped: only the holder of the new secret can join."""
    secret = secrets.token_hex(32)
    peer = s.get(SyncPeer, node_id)
    if peer is None:
        peer = SyncPeer(node_id=node_id, relation="child", received_sequence=0, confirmed=False)
        s.add(peer)
    elif peer.relation != "child":
        raise ValidationError(f"{node_id} 是本节点的上级，不能作为下级加入", f"{node_id} is this node's parent",
                              field="node_id", value=node_id)
    peer.role, peer.name, peer.school_code = role, name[:100], school_code
    peer.sign_public, peer.box_public = "", ""
    peer.status, peer.enroll_key = "pending", secret_digest(secret)
    peer.enrolled_at, peer.revoked_at = None, None
    return secret


def get_peer(s, node_id: str) -> SyncPeer:
    peer = s.get(SyncPeer, node_id) if node_id else None
    if peer is None:
        raise NotFoundError(f"找不到节点：{node_id}", f"no such node: {node_id}", field="node", value=node_id)
    return peer


def revoke(db: Database, node_id: str, *, user: str = "") -> dict:
    """Refuse every bundle from this child from now on (a stolen or retired PC). Re-enroll it
    with a new setup file (``district add-school --reissue`` / ``school add-workstation --reissue``)."""
    with db.session(user=user) as s:
        peer = get_peer(s, node_id)
        if peer.relation != "child":
            raise ValidationError("只能吊销下级节点的密钥", "only a child node's key can be revoked", field="node",
                                  value=node_id)
        peer.status, peer.enroll_key, peer.revoked_at = "revoked", "", utcnow()
        return peer_dict(peer)


def parent(db: Database) -> dict | None:
    with db.session() as s:
        peer = s.scalars(select(SyncPeer).where(SyncPeer.relation == "parent")).first()
        return peer_dict(peer) if peer else None


def list_peers(db: Database) -> list[dict]:
    with db.session() as s:
        return [peer_dict(p) for p in s.scalars(select(SyncPeer).order_by(SyncPeer.relation.desc(), SyncPeer.node_id))]


def peer_dict(p: SyncPeer) -> dict:
    return {"node_id": p.node_id, "relation": p.relation, "role": p.role, "name": p.name,
            "school_code": p.school_code, "status": p.status, "status_zh": STATUS_ZH.get(p.status, p.status),
            "sign_public": p.sign_public, "box_public": p.box_public, "enrollment_open": bool(p.enroll_key),
            "confirmed": bool(p.confirmed), "received_sequence": p.received_sequence or 0,
            "enrolled_at": p.enrolled_at.isoformat(timespec="seconds") if p.enrolled_at else None,
            "revoked_at": p.revoked_at.isoformat(timespec="seconds") if p.revoked_at else None,
            "last_seen_at": p.last_seen_at.isoformat(timespec="seconds") if p.last_seen_at else None}


def next_workstation_id(s, school_code: str) -> str:
    used = set(s.scalars(select(SyncPeer.node_id).where(SyncPeer.node_id.like(f"{school_code}-W%"))))
    n = 1
    while f"{school_code}-W{n:02d}" in used:
        n += 1
    return f"{school_code}-W{n:02d}"


def setting(s, key: str) -> str:
    row = s.get(Setting, key)
    return row.value if row else ""
