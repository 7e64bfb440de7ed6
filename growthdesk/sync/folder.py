"""``sync --folder DIR``: exchange sealed bundles with this node's parent and children through a
folder several PCs can reach (a share on the school network, a USB stick).

Layout of the folder (nothing else is shared; no database ever lives there)::

    DIR/to-<node id>/<sender>-<sequence:06d>.gdbundle     bundles addressed to that node
    DIR/to-<node id>/<sender>-<sequence:06d>.receipt.json receipts for bundles that node sent

A sync round on one node: (1) take the bundles in ``to-<me>/`` in sender and sequence order and
import them (receipts go to ``to-<sender>/``), then the receipts addressed to it; (2) write its
own outgoing bundles: its changes to its parent, and to each enrolled child what that child
needs (a hub: the school's changes; a district: the district bundle of ``publish``).

Faults: every file is written under a temporary name (``….part``, per sender, so two PCs never
write the same file), fsync'd and renamed, and this node's bookkeeping moves on only after the
rename; a folder that vanishes (USB stick pulled), is read-only or full stops the round with one
line (文件夹不见了 / 文件夹只读 / 磁盘已满) and nothing half-applied. A partial or damaged file in the
folder is skipped and left there (reported); the next round takes it once it is complete.
An imported bundle is removed from ``to-<me>/`` (the sender learns from the receipt).
"""

from __future__ import annotations

import errno
import os
import re
import time
from pathlib import Path

from sqlalchemy import select

from ..db import Database
from ..errors import GrowthDeskError, ValidationError
from ..models import Setting, SyncPeer, SyncState
from . import nodes
from .importer import DUPLICATE, IMPORTED, import_bundle
from .sealed import SUFFIX

BUNDLE_RE = re.compile(r"^(?P<sender>[A-Za-z0-9-]{2,40})-(?P<seq>\d{6,})" + re.escape(SUFFIX) + "$")
RECEIPT_RE = re.compile(r"^[A-Za-z0-9-]{2,40}-\d{6,}(\.by-[A-Za-z0-9-]{2,40})?\.receipt\.json$")
PAUSE_ENV = "GROWTHDESK_SYNC_FOLDER_TEST_PAUSE"  # "<seconds>:<marker>": tests pull the folder mid-write


def inbox(folder: Path, node_id: str) -> Path:
    return Path(folder) / f"to-{node_id}"


def _folder_error(exc: OSError, folder: Path) -> ValidationError:
    from ..outfiles import output_error

    return output_error(exc, folder / "x")


def check_folder(folder: str | Path) -> Path:
    folder = Path(folder)
    if not folder.is_dir():
        raise ValidationError(f"同步文件夹不存在或无法访问：{folder}（U 盘未插入或网络未连接？）",
                              f"the sync folder does not exist or cannot be reached: {folder} (USB stick not in, "
                              "or network down?)", field="folder", value=str(folder))
    return folder


def pending_changes(db: Database, channel: str | None = None) -> int:
    """How many changes this node has not yet sent to its parent (the status line's N 条未同步)."""
    channel = channel or db.school_code
    with db.session() as s:
        usn = s.get(Setting, "usn")
        state = s.get(SyncState, channel)
        now = int(usn.value) if usn else 0
        sent = state.last_exported_usn if state else 0
        if db.kind != "school":
            return 0
        from ..models import SYNCED_MODELS
        from sqlalchemy import func
        total = 0
        for model in SYNCED_MODELS:
            total += s.scalar(select(func.count()).select_from(model).where(
                model.usn > sent, model.usn <= now, model.school_code == db.school_code)) or 0
        return total


def _incoming(box: Path) -> tuple[list[Path], list[Path]]:
    bundles, receipts = [], []
    try:
        names = sorted(os.listdir(box))
    except FileNotFoundError:
        return [], []
    for name in names:
        m = BUNDLE_RE.match(name)
        if m:
            bundles.append(box / name)
        elif RECEIPT_RE.match(name):
            receipts.append(box / name)
    bundles.sort(key=lambda p: (BUNDLE_RE.match(p.name)["sender"], int(BUNDLE_RE.match(p.name)["seq"])))
    return bundles, receipts


def _has_changes(db: Database, channel: str) -> bool:
    from .schoolwide import changed_since

    with db.session() as s:
        state = s.get(SyncState, channel)
    if state is None or not state.last_sequence or pending_changes(db, channel) > 0:
        return True
    if channel == db.school_code:
        if db.settings.get(nodes.NODE_ROLE) != "workstation":
            return False
        from .schoolwide import unsent_passwords  # a password changed here goes up to the hub
        with db.session() as s:
            return bool(unsent_passwords(s))
    # A workstation also needs the hub's accounts, assignments, terms and rubric when they change,
    # and other owners' rows (district catalog, arriving pupils' earlier records: sync.forward).
    return changed_since(db, state.last_exported_usn or 0) or _foreign_changed(db, state.last_exported_usn or 0)


def _foreign_changed(db: Database, usn: int) -> bool:
    from sqlalchemy import and_
    from .forward import _down_specs
    with db.session() as s:
        for spec in _down_specs():
            t = spec.table
            if s.execute(select(t.c.id).where(and_(t.c.school_code != db.school_code, t.c.usn > usn)).limit(1)).first():
                return True
    return False


def sync_folder(db: Database, folder: str | Path, *, user: str = "", progress=None, receive: bool = True) -> dict:
    """One sync round through ``folder`` (see the module text). Returns what happened; raises
    only when the folder cannot be reached at all. ``receive=False`` (the app's round at quit)
    only takes receipts and sends: importing can wait for the next start."""
    folder = check_folder(folder)
    me = nodes.identity(db)
    box = inbox(folder, me.node_id)
    result = {"node_id": me.node_id, "role": me.role, "folder": str(folder), "imported": [], "skipped": [],
              "receipts": [], "sent": [], "errors": []}
    bundles, receipts = _incoming(box)
    if not receive:
        bundles = []
    for path in bundles:
        sender = BUNDLE_RE.match(path.name)["sender"]
        try:
            res = import_bundle(db, path, user=user, receipts_dir=inbox(folder, sender), progress=progress)
        except GrowthDeskError as exc:
            res = {"file": path.name, "status": "rejected", "reason": exc.to_dict() | {"message": str(exc)}}
        entry = {"file": path.name, "sender": sender, "status": res["status"], "counts": res.get("counts", {}),
                 "reason": (res.get("reason") or {}).get("message") if res["status"] != DUPLICATE else None}
        if res.get("notice"):
            entry["notice"] = res["notice"]["message"]
        if res["status"] in (IMPORTED, DUPLICATE):
            result["imported"].append(entry)
            try:
                path.unlink()
            except OSError:
                pass  # a read-only folder: the next round finds it again and counts it a duplicate
        else:
            result["skipped"].append(entry)
    for path in receipts:
        result["receipts"].append(_take_receipt(db, path, user))
    _send(db, folder, me, result, user)
    result["pending_changes"] = pending_changes(db) if db.kind == "school" else 0
    return result


def _take_receipt(db: Database, path: Path, user: str) -> dict:
    from .receipts import load_receipt

    if db.kind != "school":
        return {"file": path.name, "status": "ignored"}
    try:
        res = load_receipt(db, path, user=user)
    except GrowthDeskError as exc:
        return {"file": path.name, "status": "rejected", "reason": str(exc)}
    try:
        path.unlink()
    except OSError:
        pass
    return {"file": path.name, "status": "loaded", "acknowledged_sequence": res["acknowledged_sequence"]}


def _send(db: Database, folder: Path, me: nodes.Identity, result: dict, user: str) -> None:
    from .export import export_bundle
    from .sealed import envelope_for

    with db.session() as s:
        peers = [(p.node_id, p.relation, p.role) for p in s.scalars(
            select(SyncPeer).where(SyncPeer.status == "active", SyncPeer.box_public != ""))]
    for node_id, relation, role in sorted(peers, key=lambda p: (p[1] != "parent", p[0])):
        out = inbox(folder, node_id)
        try:
            if me.role == "district":
                from .publish import publish_for_school
                res = publish_for_school(db, node_id, out, user=user, only_if_new=True)
                if res is None:
                    continue
            else:
                if db.kind != "school":
                    continue
                env = envelope_for(db, node_id)
                if not _has_changes(db, env.channel):
                    continue
                res = export_bundle(db, out, envelope=env, user=user)
            result["sent"].append({"to": node_id, "relation": relation, "file": res["file"],
                                   "rows": res.get("rows", 0)})
        except GrowthDeskError as exc:
            result["errors"].append({"to": node_id, "message": str(exc), "zh": exc.zh})
        except OSError as exc:
            err = _folder_error(exc, out)
            result["errors"].append({"to": node_id, "message": str(err), "zh": err.zh})


def test_pause() -> None:
    """Tests only: stop halfway through writing a bundle so a test can pull the folder."""
    spec = os.environ.get(PAUSE_ENV, "")
    if not spec:
        return
    seconds, _, marker = spec.partition(":")
    os.environ.pop(PAUSE_ENV, None)
    if marker:
        Path(marker).write_text("writing", encoding="utf-8")
    time.sleep(float(seconds))


__all__ = ["sync_folder", "pending_changes", "inbox", "check_folder", "errno"]
