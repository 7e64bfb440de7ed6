"""Receipts (district → school) and the district's view of each school's bundles.

A receipt is a signed JSON file: which bundle arrived, what happened, and how far the school's
changes have arrived *without a gap* (``acknowledged_sequence`` / ``acknowledged_usn``). The
school marks only that contiguous part as delivered, so tombstones are purged only once the
district surely holds them, even when an earlier bundle got lost on the way.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import and_, delete, exists, select

from ..db import Database
from ..errors import DatabaseError, ValidationError
from ..models import AuditLog, Base, ImportLog, School, SyncState, utcnow
from . import format as fmt


# ---------------------------------------------------------------- district: status per school

def imported_bundles(db: Database, school: str | None = None) -> dict[str, list[tuple]]:
    """Per school: (sequence, full, usn_to, received at, result) of each bundle imported or re-sent."""
    out: dict[str, list] = {}
    with db.session() as s:
        q = select(ImportLog).where(ImportLog.result.in_(["imported", "duplicate"]))
        if school is not None:
            q = q.where(ImportLog.school_code == school)
        for log in s.scalars(q.order_by(ImportLog.id)):
            try:
                info = json.loads(log.counts_json or "{}")
            except json.JSONDecodeError:
                info = {}
            out.setdefault(log.school_code, []).append(
                (log.sequence, bool(info.get("full")), int(info.get("usn_to") or 0), log.imported_at, log.result))
    return out


def coverage(entries) -> dict:
    """Last sequence, gaps, and how far the bundles reach without a gap (a full bundle covers
    everything before it)."""
    imported = {e[0]: e for e in entries if e[4] == "imported" and e[0] is not None}
    seqs = sorted(imported)
    k, usn = 0, 0
    for seq in seqs:
        if imported[seq][1] or seq == k + 1:
            k, usn = seq, imported[seq][2]
    last = seqs[-1] if seqs else 0
    fulls = [s for s in seqs if imported[s][1]]
    gaps = [s for s in range(1, last + 1) if s not in imported and not any(f > s for f in fulls)]
    received = max((e[3] for e in entries), default=None)
    return {"last_sequence": last, "gaps": gaps, "bundles": len(seqs), "acknowledged_sequence": k,
            "acknowledged_usn": usn, "last_received_at": received.isoformat(timespec="seconds") if received else None}


def district_school_status(db: Database) -> list[dict]:
    """Per registered school: last sequence, missing sequence numbers (gaps), last received."""
    logs = imported_bundles(db)
    with db.session() as s:
        schools = [(sc.code, sc.name, sc.category) for sc in s.scalars(select(School).order_by(School.code))]
    out = []
    for code, name, category in schools:
        out.append({"school_code": code, "name": name, "category": category, **coverage(logs.get(code, []))})
    return out


# ---------------------------------------------------------------- district: writing a receipt

def write_receipt(db: Database, doc: dict, file_sha: str, status: str, counts: dict, out_dir, *,
                  sealed: bool = False) -> str | None:
    """Write the signed receipt beside the bundle (or into ``out_dir``); None if it cannot be written.

    For a format-2 (sealed) bundle the receipt is signed with this node's Ed25519 key
    (``signed_by`` + ``signature_ed25519``), which the school checks against the key it pinned
    from its setup file; format 1 keeps the HMAC with the school's ``sync_key``."""
    school = doc["school_code"]
    with db.session() as s:
        key = None if sealed else s.get(School, school).sync_key
    cov = coverage(imported_bundles(db, school).get(school, []))
    body = {"format": fmt.RECEIPT_FORMAT, "version": fmt.RECEIPT_VERSION, "district_code": db.district_code,
            "school_code": school, "sequence": doc["sequence"], "bundle_sha256": file_sha, "usn_to": doc["usn_to"],
            "status": status, "counts": counts, "issued_at": utcnow().isoformat(timespec="seconds") + "Z",
            "acknowledged_sequence": cov["acknowledged_sequence"], "acknowledged_usn": cov["acknowledged_usn"],
            "gaps": cov["gaps"]}
    if sealed:
        from .nodes import identity

        me = identity(db)
        body["signed_by"] = me.node_id
        signed = dict(body, signature_ed25519=me.keys.sign(fmt.canonical_json(body)).hex())
    else:
        signed = dict(body, signature=fmt.sign(fmt.canonical_json(body), key))
    path = Path(out_dir) / fmt.receipt_name(school, doc["sequence"])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(json.dumps(signed, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        return None
    return str(path)


# ---------------------------------------------------------------- school: loading a receipt

def _bad(zh: str, en: str, **kw) -> ValidationError:
    return ValidationError(zh, en, field="receipt", **kw)


def read_receipt(db: Database, path: str | Path) -> dict:
    """A receipt checked against this school's identity and key."""
    from ..setup import school_sync_key

    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _bad(f"找不到回执文件：{path}", f"receipt file not found: {path}", value=str(path))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(f"回执文件无法读取或不是 JSON：{path.name}", f"the receipt cannot be read or is not JSON: {exc}",
                   value=str(path))
    if not isinstance(doc, dict) or doc.get("format") != fmt.RECEIPT_FORMAT or doc.get("version") != fmt.RECEIPT_VERSION:
        raise _bad("这不是 GrowthDesk 回执文件", "this is not a GrowthDesk receipt", value=str(path))
    if doc.get("school_code") != db.school_code or doc.get("district_code") != db.district_code:
        raise _bad(f"回执属于另一所学校或另一个区（{doc.get('school_code')} / {doc.get('district_code')}）",
                   f"the receipt is for another school or district ({doc.get('school_code')} / {doc.get('district_code')})",
                   value=doc.get("school_code"))
    if "signature_ed25519" in doc:
        _verify_ed25519(db, doc)
    else:
        body = {k: v for k, v in doc.items() if k != "signature"}
        key = school_sync_key(db)
        if not key:
            raise _bad("本校已改用格式2：回执须由区教育局的密钥签名", "this school uses format 2: the receipt must be "
                       "signed with the district's key")
    if "signature_ed25519" not in doc and (not isinstance(doc.get("signature"), str)
                                           or not fmt.verify(fmt.canonical_json(body), key, doc["signature"])):
        raise _bad("回执签名不符（被改动过或不是本区签发的）", "the receipt's signature does not match (altered, or not from the district)")
    for key in ("sequence", "acknowledged_sequence", "acknowledged_usn"):
        if not isinstance(doc.get(key), int) or isinstance(doc.get(key), bool) or doc[key] < 0:
            raise _bad(f"回执字段 {key} 无效", f"invalid receipt field {key}", value=doc.get(key))
    return doc


def _verify_ed25519(db: Database, doc: dict) -> None:
    from .keys import verify
    from .nodes import parent

    up = parent(db)
    body = {k: v for k, v in doc.items() if k != "signature_ed25519"}
    sig = doc.get("signature_ed25519")
    try:
        raw = bytes.fromhex(sig) if isinstance(sig, str) else b""
    except ValueError:
        raw = b""
    if up is None or doc.get("signed_by") != up["node_id"] or not up["sign_public"] \
            or not verify(up["sign_public"], raw, fmt.canonical_json(body)):
        raise _bad("回执签名不符（被改动过或不是本校上级签发的）",
                   "the receipt's signature does not match (altered, or not from this school's parent)")


def _purge_tombstones(s, upto_usn: int) -> int:
    """Remove acknowledged tombstones, children first; keep any still referenced by a row."""
    purged = 0
    for model in reversed(fmt.SPECS):
        t = model.table
        cond = and_(t.c.deleted.is_(True), t.c.usn <= upto_usn)
        for other in Base.metadata.sorted_tables:
            for fk in other.foreign_keys:
                if fk.column.table is t:
                    cond = and_(cond, ~exists().where(fk.parent == t.c[fk.column.name]))
        purged += s.execute(delete(t).where(cond)).rowcount or 0
    return purged


def load_receipt(db: Database, path: str | Path, *, user: str = "", purge: bool = True) -> dict:
    """Mark what the district acknowledged; purge the tombstones it surely holds."""
    if db.kind != "school":
        raise DatabaseError("回执只能载入学校数据库", "a receipt is loaded into a school database", field="db", value=db.kind)
    doc = read_receipt(db, path)
    with db.session(user=user) as s:
        state = s.get(SyncState, db.school_code)
        if state is None:
            state = SyncState(school_code=db.school_code)
            s.add(state)
        if doc["acknowledged_sequence"] > (state.last_sequence or 0):
            raise _bad("回执确认了本校尚未导出的数据包（数据库是否从备份恢复过？）",
                       "the receipt acknowledges bundles this school has not exported (was the database restored?)",
                       value=doc["acknowledged_sequence"])
        state.acknowledged_sequence = max(state.acknowledged_sequence or 0, doc["acknowledged_sequence"])
        state.acknowledged_usn = max(state.acknowledged_usn or 0, doc["acknowledged_usn"])
        state.acknowledged_at = utcnow()
        if "signature_ed25519" in doc:  # the parent pinned our keys: no more enrollment proof needed
            from ..models import SyncPeer
            peer = s.get(SyncPeer, doc["signed_by"])
            if peer is not None and not peer.confirmed:
                peer.confirmed, peer.enroll_key = True, ""
        s.flush()
        purged = _purge_tombstones(s, state.acknowledged_usn) if purge else 0
        if purged:
            s.add(AuditLog(at=utcnow(), user=user, action="purge", table_name="*", record_id="",
                           after_json=json.dumps({"tombstones_purged": purged, "upto_usn": state.acknowledged_usn})))
        result = {"sequence": doc["sequence"], "status": doc.get("status"), "gaps": doc.get("gaps", []),
                  "acknowledged_sequence": state.acknowledged_sequence, "acknowledged_usn": state.acknowledged_usn,
                  "tombstones_purged": purged}
    return result
