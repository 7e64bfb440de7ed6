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
from ..models import AuditLog, Base, ImportLog, School, Setting, SyncExport, SyncState, utcnow
from . import format as fmt


# ---------------------------------------------------------------- district: status per school

def imported_bundles(db: Database, school: str | None = None) -> dict[str, list[tuple]]:
    """Per school: (sequence, full, usn_to, received at, result, usn_from, file SHA-256) of each
    bundle imported or re-sent."""
    out: dict[str, list] = {}
    with db.session() as s:
        q = select(ImportLog).where(ImportLog.result.in_(["imported", "duplicate", "rejected"]))
        if school is not None:
            q = q.where(ImportLog.school_code == school)
        for log in s.scalars(q.order_by(ImportLog.id)):
            entry = log_entry(log.sequence, log.counts_json, log.imported_at, log.result, log.file_sha256)
            if entry is not None:
                out.setdefault(log.school_code, []).append(entry)
    return out


def log_entry(sequence, counts_json: str | None, imported_at, result: str, file_sha: str = "") -> tuple | None:
    """One import-log row as ``coverage`` reads it (result ``reused``: refused because its
    sequence number was already used by another bundle); None for other refusals."""
    try:
        info = json.loads(counts_json or "{}")
    except json.JSONDecodeError:
        info = {}
    if not isinstance(info, dict):
        info = {}
    if result == "rejected":
        if not info.get("sequence_reused"):
            return None
        result = "reused"
    usn_from = info.get("usn_from")
    return (sequence, bool(info.get("full")), int(info.get("usn_to") or 0), imported_at, result,
            usn_from if isinstance(usn_from, int) else None, file_sha or "")


def coverage(entries) -> dict:
    """Last sequence, gaps, and how far the bundles reach without a gap (a full bundle covers
    everything before it).

    A bundle continues the chain when its sequence follows the last one's *and* its changes
    start where the last one's ended (``usn_from`` = the previous ``usn_to``): a bundle from a
    database restored from an older backup does not, so it acknowledges nothing it did not
    carry. Gaps are ranges ``[first, last]`` of missing sequence numbers after the last full
    bundle, computed from the imported ones only: a sequence 1,000,000,000 costs nothing."""
    imported = {e[0]: e for e in entries if e[4] == "imported" and e[0] is not None}
    position = {e[0]: i for i, e in enumerate(entries) if e[4] == "imported" and e[0] is not None}
    seqs = sorted(imported)
    fulls = [s for s in seqs if imported[s][1]]
    # A refusal for a reused sequence r means the sender's history forked at r: an incremental
    # bundle imported after that refusal, numbered after r, may continue the other fork, so it
    # extends nothing until a full bundle numbered after r arrives.
    reuses = [(i, e[0]) for i, e in enumerate(entries) if e[4] == "reused" and isinstance(e[0], int)]

    def forked(seq: int) -> bool:
        return any(position[seq] > p and seq > r and not any(r < f < seq for f in fulls) for p, r in reuses)

    k, usn, sha = 0, 0, ""
    for seq in seqs:
        e = imported[seq]
        follows = seq == k + 1 and (len(e) < 6 or e[5] is None or e[5] == usn) and not forked(seq)
        if e[1] or follows:
            k, usn, sha = seq, e[2], e[6] if len(e) > 6 else ""
    last = seqs[-1] if seqs else 0
    last_full = max(fulls, default=0)
    gaps, prev = [], last_full
    for seq in seqs:
        if seq <= last_full:
            continue
        if seq > prev + 1:
            gaps.append([prev + 1, seq - 1])
        prev = seq
    received = max((e[3] for e in entries if e[4] != "reused"), default=None)
    return {"last_sequence": last, "gaps": gaps, "bundles": len(seqs), "acknowledged_sequence": k,
            "acknowledged_usn": usn, "acknowledged_sha256": sha,
            "last_received_at": received.isoformat(timespec="seconds") if received else None}


def gap_texts(gaps, limit: int = 6) -> list[str]:
    """Gap ranges as people read them: ``["2", "4–5", "7–999999999"]``, at most ``limit`` of
    them, then one "…（共 N 段）" item, so a table cell or a PDF row stays short."""
    out = [str(a) if a == b else f"{a}–{b}" for a, b in gaps[:limit]]
    if len(gaps) > limit:
        out.append(f"…（共 {len(gaps)} 段 / {len(gaps)} ranges）")
    return out


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
                  full_required: bool = False, sealed: bool = False) -> str | None:
    """Write the signed receipt beside the bundle (or into ``out_dir``); None if it cannot be written.

    ``acknowledged_sha256`` names the file at ``acknowledged_sequence``: the school trusts the
    acknowledgement only for a bundle its own history holds with that SHA-256.
    ``full_required``: the bundle was refused because its sequence number was already used by
    another bundle (a database restored from an older backup); the school's next export must be
    a full one with a fresh sequence block.

    ``sealed``: the bundle was format 2; the receipt is signed with this node's Ed25519 key
    (``signed_by`` + ``signature_ed25519`` over the canonical JSON of the other fields), which the
    sender checks against the key it pinned for its parent. Format 1 keeps the HMAC with the
    school's ``sync_key``."""
    school = doc["school_code"]
    sender = doc.get("_sender") or school
    with db.session() as s:
        key = None if sealed else s.get(School, school).sync_key
    cov = coverage(imported_bundles(db, sender).get(sender, []))
    body = {"format": fmt.RECEIPT_FORMAT, "version": fmt.RECEIPT_VERSION, "district_code": db.district_code,
            "school_code": school, "node": sender, "receiver": db.node_id, "sequence": doc["sequence"], "bundle_sha256": file_sha, "usn_to": doc["usn_to"],
            "status": status, "counts": counts, "issued_at": utcnow().isoformat(timespec="seconds") + "Z",
            "acknowledged_sequence": cov["acknowledged_sequence"], "acknowledged_usn": cov["acknowledged_usn"],
            "acknowledged_sha256": cov["acknowledged_sha256"], "gaps": cov["gaps"],
            "full_required": bool(full_required)}
    if sealed:
        from .nodes import identity

        me = identity(db)
        body["signed_by"] = me.node_id
        signed = dict(body, signature_ed25519=me.keys.sign(fmt.canonical_json(body)).hex())
    else:
        signed = dict(body, signature=fmt.sign(fmt.canonical_json(body), key))
    name = fmt.receipt_name(sender, doc["sequence"])
    if sealed:  # a hub gets receipts from its district and its workstations for the same sequences
        name = name.replace(".receipt.json", f".by-{db.node_id}.receipt.json")
    path = Path(out_dir) / name
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
            raise _bad("本校已改用格式2：回执须由上级的密钥签名", "this school uses format 2: the receipt must be signed "
                       "with its parent's key")
        if not isinstance(doc.get("signature"), str) or not fmt.verify(fmt.canonical_json(body), key,
                                                                        doc["signature"]):
            raise _bad("回执签名不符（被改动过或不是本区签发的）",
                       "the receipt's signature does not match (altered, or not from the district)")
    for key in ("sequence", "acknowledged_sequence", "acknowledged_usn"):
        if not isinstance(doc.get(key), int) or isinstance(doc.get(key), bool) or doc[key] < 0:
            raise _bad(f"回执字段 {key} 无效", f"invalid receipt field {key}", value=doc.get(key))
    return doc


def _verify_ed25519(db: Database, doc: dict) -> None:
    """A format-2 receipt: signed by the node that received our bundle (our parent, or one of
    our children) with the key this node pinned for it, and that node is the receipt's receiver."""
    from ..models import SyncPeer
    from .keys import verify

    body = {k: v for k, v in doc.items() if k != "signature_ed25519"}
    signer = doc.get("signed_by")
    with db.session() as s:
        peer = s.get(SyncPeer, signer) if isinstance(signer, str) and signer else None
        key = peer.sign_public if peer is not None and peer.status == "active" else ""
    sig = doc.get("signature_ed25519")
    try:
        raw = bytes.fromhex(sig) if isinstance(sig, str) else b""
    except ValueError:
        raw = b""
    if not key or doc.get("receiver", signer) != signer or not verify(key, raw, fmt.canonical_json(body)):
        raise _bad("回执签名不符（被改动过，或不是由接收该数据包的节点签发的）",
                   "the receipt's signature does not match (altered, or not from the node that received the bundle)")


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


NEEDS_FULL = "sync_needs_full"  # setting: the next export must be full, with a fresh sequence block


def load_receipt(db: Database, path: str | Path, *, user: str = "", purge: bool = True) -> dict:
    """Mark what the receiver acknowledged; purge the tombstones it surely holds.

    An acknowledgement counts only when this database's own export history holds the
    acknowledged sequence with the same file SHA-256; the usn it covers is then taken from that
    history. Anything else (a receipt for a bundle sent before this database was restored from
    an older backup, a receipt from an older district version) acknowledges nothing and purges
    nothing. A receipt saying a bundle was refused for a reused sequence number makes the next
    export a full one (``NEEDS_FULL``)."""
    if db.kind != "school":
        raise DatabaseError("回执只能载入学校数据库", "a receipt is loaded into a school database", field="db", value=db.kind)
    doc = read_receipt(db, path)
    peer = doc.get("receiver") or doc["district_code"]
    if doc.get("node", db.node_id) != db.node_id:
        raise _bad(f"回执是发给 {doc.get('node')} 的，不是本机（{db.node_id}）",
                   f"the receipt is for {doc.get('node')}, not this database ({db.node_id})", value=doc.get("node"))
    state_key = db.school_code if peer == db.district_code else peer
    notes = []
    with db.session(user=user) as s:
        state = s.get(SyncState, state_key)
        if state is None:
            state = SyncState(school_code=state_key, last_sequence=0, last_exported_usn=0,
                              acknowledged_sequence=0, acknowledged_usn=0)
            s.add(state)
        seq, sha = doc["acknowledged_sequence"], doc.get("acknowledged_sha256")
        mine = s.get(SyncExport, (peer, seq)) if seq else None
        needs_full = bool(doc.get("full_required"))
        if seq and (mine is None or not isinstance(sha, str) or mine.file_sha256 != sha):
            needs_full = True
            notes.append(("回执确认的数据包不在本校的导出记录中（数据库可能从备份恢复过）：本次不确认、不清理删除记录，"
                          "下次导出将自动成为完整导出",
                          "the receipt acknowledges a bundle this database has no record of sending (restored from "
                          "a backup?): nothing is acknowledged or purged, and the next export will be a full one"))
        elif mine is not None and seq > (state.acknowledged_sequence or 0):
            state.acknowledged_sequence = seq
            state.acknowledged_usn = max(state.acknowledged_usn or 0, mine.usn_to)
        if doc.get("status") == "rejected":
            notes.append(("数据包被拒绝：" + ("请在本校执行“完整导出”后重新发送" if doc.get("full_required") else "请查看导入结果"),
                          "the bundle was refused: " + ("make a full export at the school and send it again"
                                                        if doc.get("full_required") else "see the import result")))
        if needs_full:
            row = s.get(Setting, NEEDS_FULL)
            if row is None:
                s.add(Setting(key=NEEDS_FULL, value="receipt"))
        state.acknowledged_at = utcnow()
        if "signature_ed25519" in doc:  # the parent pinned our keys: no more enrollment proof needed
            from ..models import SyncPeer
            up = s.get(SyncPeer, doc["signed_by"])
            if up is not None and up.relation == "parent" and not up.confirmed:
                up.confirmed, up.enroll_key = True, ""
        s.flush()
        # A tombstone goes only when every node this one sends to (its parent and its children,
        # one sync_state row each) has acknowledged it.
        upto = min(s.scalars(select(SyncState.acknowledged_usn)), default=0) or 0
        purged = _purge_tombstones(s, upto) if purge else 0
        if purged:
            s.add(AuditLog(at=utcnow(), user=user, action="purge", table_name="*", record_id="",
                           after_json=json.dumps({"tombstones_purged": purged, "upto_usn": state.acknowledged_usn})))
        result = {"sequence": doc["sequence"], "status": doc.get("status"), "gaps": doc.get("gaps", []),
                  "acknowledged_sequence": state.acknowledged_sequence, "acknowledged_usn": state.acknowledged_usn,
                  "tombstones_purged": purged, "full_export_next": needs_full,
                  "notes": [{"zh": zh, "en": en} for zh, en in notes]}
    if needs_full:
        db.reload_settings()
    return result
